"""The form of a new convening request. It checks the shape of the input; the service checks the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.services.convening import MATTER_MAX_LENGTH
from villagegov.models import Council


class ConveningRequestForm(forms.Form):
    council = forms.ModelChoiceField(
        label=_("Body to convene"),
        queryset=Council.objects.none(),
        help_text=_("Only bodies that the law lets villagers convene by a joint request."),
    )
    matter = forms.CharField(
        label=_("Matter to discuss"),
        max_length=MATTER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, councils: QuerySet[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = councils
