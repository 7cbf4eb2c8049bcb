"""Forms of the finding pages. They check the shape of the input (and the evidence files' content,
through consultations.uploads); the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.forms.reviews import EVIDENCE_ACCEPT, EVIDENCE_HELP, EvidenceFilesField, MultipleFileInput
from supervision.models import VerificationOutcome
from supervision.services.findings import REASON_MAX_LENGTH, TEXT_MAX_LENGTH
from villagegov.forms.fields import date_field
from villagegov.forms.roster import person_option_value, pick_person
from villagegov.models import Person


class FindingForm(forms.Form):
    """The responsible person is typed, with the village's roster offered as suggestions (a
    datalist) carrying each person's roster number, so a shared name is still picked exactly."""

    description = forms.CharField(
        label=_("What was found"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    required_action = forms.CharField(
        label=_("What must be done"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The rectification the committee requires, in plain words."),
    )
    responsible = forms.CharField(
        label=_("Person responsible"),
        max_length=80,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "responsible-options", "autocomplete": "off"}),
    )
    deadline = date_field(_("Rectify by"))

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    option_value = staticmethod(person_option_value)

    def clean_responsible(self) -> Person:
        return pick_person(self.cleaned_data["responsible"], self.candidates)


class FindingAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what was rectified, when and by whom."),
    )
    evidence = EvidenceFilesField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=EVIDENCE_HELP,
        widget=MultipleFileInput(attrs=EVIDENCE_ACCEPT),
    )


class FindingVerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Verdict"), choices=VerificationOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the finding is reopened: say what is still not rectified."),
    )
    deadline = date_field(
        _("New deadline (optional)"),
        required=False,
        help_text=_("Only when reopening; leave empty to keep the present deadline."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == VerificationOutcome.REOPENED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason the finding is reopened."))
        if outcome == VerificationOutcome.VERIFIED and cleaned.get("deadline"):
            self.add_error("deadline", _("A new deadline is only set when the finding is reopened."))
        return cleaned

    def outcome_choice(self) -> VerificationOutcome:
        return VerificationOutcome(self.cleaned_data["outcome"])
