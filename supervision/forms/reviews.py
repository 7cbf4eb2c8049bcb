"""Forms of the review pages: one per kind of review with that kind's own fields, notes and
corrections, evidence files, and the sign-off. They check the shape of the input (and the files'
content, through consultations.uploads); the services check the rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from consultations.models import Session
from consultations.uploads import ValidatedUpload, validated_upload
from supervision.models import ProjectStage, ReviewEntry, SignOffDecision
from supervision.services.reviews import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_MAX_FILES,
    EVIDENCE_TYPES,
    KIND_FIELDS,
    REASON_MAX_LENGTH,
    SHORT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from villagegov.formats import local_date
from villagegov.forms.fields import date_field
from villagegov.forms.roster import person_option_value, pick_person
from villagegov.models import Person

MAX_AMOUNT = Decimal("999999999999.99")


def amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=MAX_AMOUNT, max_digits=14, decimal_places=2
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        held = local_date(timezone.localdate(obj.starts_at))
        return f"{obj.title} · {obj.council.name} · {held}"


class ReviewForm(forms.Form):
    """What every kind of review has; each kind's form adds its own fields."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    summary = forms.CharField(
        label=_("What is reviewed (optional)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    subject = forms.CharField(required=False, max_length=250, widget=forms.HiddenInput)

    kind = ""

    def __init__(
        self, *args: Any, sessions: QuerySet[Session], candidates: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        self.candidates = candidates

    def kind_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in KIND_FIELDS[self.kind]}


class VoucherReviewForm(ReviewForm):
    kind = "voucher"
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=50)
    voucher_date = date_field(_("Voucher date"), required=False)
    amount = amount_field(_("Amount (¥)"))
    payee = forms.CharField(label=_("Payee or payer"), max_length=SHORT_MAX_LENGTH, required=False)


class ProjectReviewForm(ReviewForm):
    kind = "project"
    project_name = forms.CharField(label=_("Project"), max_length=SHORT_MAX_LENGTH)
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices)
    budget = amount_field(_("Budget (¥)"))


class DisclosureCheckForm(ReviewForm):
    kind = "disclosure_check"
    period_start = date_field(_("Period from"))
    period_end = date_field(_("Period to"))


class MeetingAttendanceForm(ReviewForm):
    kind = "meeting"
    session = SessionChoiceField(label=_("Meeting attended"), queryset=Session.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = self.sessions


class PolicyCheckForm(ReviewForm):
    kind = "policy"
    policy_name = forms.CharField(label=_("Policy"), max_length=SHORT_MAX_LENGTH)
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), required=False, min_value=0, max_value=10**9)
    amount = amount_field(_("Amount (¥)"))


class DistributionCheckForm(ReviewForm):
    kind = "distribution"
    plan_year = forms.IntegerField(label=_("Financial year"), min_value=2000, max_value=2100)
    amount = amount_field(_("Amount distributed (¥)"))


class ComplaintFollowUpForm(ReviewForm):
    kind = "complaint"
    complainant = forms.CharField(
        label=_("Raised by (optional)"),
        max_length=80,
        required=False,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "person-options", "autocomplete": "off"}),
    )
    complaint = forms.CharField(
        label=_("What was reported"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    received_on = date_field(_("Received on"), initial=timezone.localdate)

    option_value = staticmethod(person_option_value)

    def clean_complainant(self) -> Person | None:
        typed = self.cleaned_data["complainant"]
        return pick_person(typed, self.candidates) if typed.strip() else None


REVIEW_FORMS: dict[str, type[ReviewForm]] = {
    form.kind: form
    for form in (
        VoucherReviewForm,
        ProjectReviewForm,
        DisclosureCheckForm,
        MeetingAttendanceForm,
        PolicyCheckForm,
        DistributionCheckForm,
        ComplaintFollowUpForm,
    )
}


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{local_date(timezone.localdate(obj.written_at))} · {Truncator(obj.text).chars(40)}"


class EntryForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    corrects = EntryChoiceField(
        label=_("This corrects (optional)"),
        queryset=ReviewEntry.objects.none(),
        required=False,
        empty_label=_("(a new note, not a correction)"),
    )

    def __init__(self, *args: Any, entries: QuerySet[ReviewEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        corrects_field = self.fields["corrects"]
        assert isinstance(corrects_field, forms.ModelChoiceField)
        corrects_field.queryset = entries


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files under one name, each checked by its content; cleaned to (checked upload,
    the uploader's file name) pairs for `evidence_store`. The one field for evidence, on a review
    and on the answer to a finding."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[tuple[ValidatedUpload, str]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if not self.required:
                return []
            raise ValidationError(_("Choose at least one file."), code="required")
        if len(files) > EVIDENCE_MAX_FILES:
            raise ValidationError(
                _("At most %(max)d files at a time.") % {"max": EVIDENCE_MAX_FILES}, code="too_many"
            )
        checked: list[tuple[ValidatedUpload, str]] = []
        errors: list[ValidationError] = []
        for file in files:
            if not isinstance(file, UploadedFile):
                errors.append(ValidationError(_("This is not a file."), code="invalid"))
                continue
            try:
                upload = validated_upload(file, allowed_types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
            except ValidationError as error:
                errors.append(error)
            else:
                checked.append((upload, file.name or ""))
        if errors:
            raise ValidationError(errors)
        return checked


EVIDENCE_HELP = _("PDF, JPEG, PNG or WebP, at most 10 MB each; up to 10 at a time.")
EVIDENCE_ACCEPT = {"accept": "application/pdf,image/jpeg,image/png,image/webp"}


class EvidenceForm(forms.Form):
    evidence_files = EvidenceFilesField(
        label=_("Files"), help_text=EVIDENCE_HELP, widget=MultipleFileInput(attrs=EVIDENCE_ACCEPT)
    )


class SignForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=SignOffDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required to dissent)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == SignOffDecision.DISSENT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for your dissent."))
        return cleaned
