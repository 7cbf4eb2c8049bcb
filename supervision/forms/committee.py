"""The form of the committee page: appointing a member elected by a resolution. It checks the
shape of the input; the service checks the law's rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Resolution
from villagegov.formats import local_date
from villagegov.forms.fields import date_field
from villagegov.forms.roster import person_option_value, pick_person
from villagegov.models import Person, SeatPosition


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        held = local_date(timezone.localdate(obj.session.starts_at))
        return f"{obj.title} · {obj.session.council.name} · {held}"


class AppointmentForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        max_length=80,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "person-options", "autocomplete": "off"}),
    )
    position = forms.ChoiceField(
        label=_("Position"),
        choices=[
            (SeatPosition.CHAIR.value, SeatPosition.CHAIR.label),
            (SeatPosition.MEMBER.value, SeatPosition.MEMBER.label),
        ],
        initial=SeatPosition.MEMBER.value,
        widget=forms.RadioSelect,
    )
    starts_on = date_field(_("Term starts"), initial=timezone.localdate)
    ends_on = date_field(
        _("Term ends"),
        required=False,
        help_text=_(
            "Leave empty for the end of the village committee's current term, or, if the roster does "
            "not know it, five years after the start less one day."
        ),
    )
    resolution = ResolutionChoiceField(
        label=_("Elected by the resolution"),
        queryset=Resolution.objects.none(),
        help_text=_("A passed or published resolution of this village's 村民会议 or 村民代表会议."),
    )
    finance_knowledge = forms.BooleanField(label=_("Has finance or accounting knowledge"), required=False)

    def __init__(
        self, *args: Any, candidates: QuerySet[Person], resolutions: QuerySet[Resolution], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        resolution_field = self.fields["resolution"]
        assert isinstance(resolution_field, forms.ModelChoiceField)
        resolution_field.queryset = resolutions

    option_value = staticmethod(person_option_value)

    def clean_person(self) -> Person:
        return pick_person(self.cleaned_data["person"], self.candidates)
