"""Forms of the agenda pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.matters import Matter
from consultations.selectors.agenda import ItemKind
from consultations.services.agenda import MAX_SEATS, OFFICE_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from villagegov.forms.roster import person_option_value, pick_person
from villagegov.models import Person


class AgendaItemForm(forms.Form):
    """One form for every kind: the fields of other kinds are left out."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text = forms.CharField(
        label=_("Text of the motion"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What the meeting is asked to decide, as it will be voted on."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    matter = forms.ChoiceField(
        label=_("Matter reserved by law"),
        choices=[("", _("none of these")), *Matter.choices],
        required=False,
        help_text=_("If the motion decides one of these matters, only certain bodies may decide it."),
    )
    office = forms.CharField(label=_("Office to fill"), max_length=OFFICE_MAX_LENGTH)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS, initial=1)

    KIND_FIELDS = {
        ItemKind.DISCUSSION: (),
        ItemKind.REPORT: (),
        ItemKind.MOTION: ("text", "matter"),
        ItemKind.ELECTION: ("office", "seats"),
    }
    ALL_KIND_FIELDS = ("text", "matter", "office", "seats")

    def __init__(self, *args: Any, kind: ItemKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in self.ALL_KIND_FIELDS:
            if name not in self.KIND_FIELDS[kind]:
                del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "text": data.get("text", ""),
            "matter": data.get("matter", ""),
            "office": data.get("office", ""),
            "seats": data.get("seats") or 1,
        }


class AgendaItemMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class CandidateAddForm(forms.Form):
    """The candidate is typed, with the village's people offered as suggestions (a datalist) that
    carry their roster number, so a name shared by several people is still picked exactly."""

    candidate = forms.CharField(
        label=_("Candidate"),
        max_length=80,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "candidate-options", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    option_value = staticmethod(person_option_value)

    def clean_candidate(self) -> Person:
        return pick_person(self.cleaned_data["candidate"], self.candidates)
