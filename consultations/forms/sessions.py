"""Forms of the session pages. They check the shape of the input; the services check the rules."""

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from villagegov.forms.councils import PersonChoiceField
from villagegov.models import Council, Person

# Far enough for any real meeting, and clear of the dates a database or a time zone minds.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    chair = PersonChoiceField(
        label=_("Chair"),
        queryset=Person.objects.none(),
        help_text=_("People who hold a seat or an office in the village."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    # Browsers send <input type=datetime-local> in ISO form whatever the page's language; the
    # time is read in the village's time zone.
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )

    def __init__(
        self, *args: Any, councils: QuerySet[Council], chairs: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = councils
        chair_field = self.fields["chair"]
        assert isinstance(chair_field, PersonChoiceField)
        chair_field.queryset = chairs

    def clean_starts_at(self) -> datetime:
        starts_at: datetime = self.cleaned_data["starts_at"]
        if not EARLIEST_YEAR <= starts_at.year <= LATEST_YEAR:
            raise forms.ValidationError(
                _("Give a time between %(first)d and %(last)d."),
                params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
        return starts_at


class SessionAnnounceForm(forms.Form):
    short_notice_acknowledged = forms.BooleanField(
        label=_("Announce anyway, with shorter notice than the law asks"), required=False
    )
