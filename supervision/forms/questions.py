"""Forms of the question pages (质询). They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.services.questions import ANSWER_MAX_LENGTH, TEXT_MAX_LENGTH
from villagegov.models import Council, Person


class QuestionForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("To an official"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Choose an official, or a body below."),
    )
    council = forms.ModelChoiceField(label=_("Or to a body"), queryset=Council.objects.none(), required=False)
    question = forms.CharField(
        label=_("The question"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    due_on = forms.DateField(
        label=_("Answer due by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tomorrow at the earliest. If it is not answered by then, every resident sees that."),
    )

    def __init__(
        self, *args: Any, officials: QuerySet[Person], councils: QuerySet[Council], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        official_field = self.fields["official"]
        council_field = self.fields["council"]
        assert isinstance(official_field, forms.ModelChoiceField)
        assert isinstance(council_field, forms.ModelChoiceField)
        official_field.queryset = officials
        council_field.queryset = councils

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if ("official" in cleaned and "council" in cleaned) and (
            (cleaned["official"] is None) == (cleaned["council"] is None)
        ):
            raise forms.ValidationError(_("Address the question either to one official or to one body."))
        return cleaned


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
