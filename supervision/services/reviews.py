"""Writes to the committee's reviews (监督审核): opening one of any kind about any subject of the
village, appending notes and corrections, attaching evidence, and the members' sign-off that
concludes it. Nothing here edits or deletes what was recorded."""

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.models import Session
from consultations.uploads import (
    MEGABYTE,
    PDF,
    PHOTO_TYPES,
    ValidatedUpload,
    stored_name,
    uploads_discard,
)
from supervision.models import (
    Evidence,
    FindingResponse,
    ProjectStage,
    Review,
    ReviewEntry,
    ReviewState,
    SignOff,
    SignOffDecision,
)
from supervision.selectors.committee import (
    committee_member_count,
    committee_member_of,
    committee_people,
    signatures_needed,
)
from supervision.selectors.reviews import (
    KIND_FIELDS,
    REVIEW_KINDS,
    VILLAGE_PATHS,
    subject_content_type,
    subject_from_reference,
    subject_reference,
)
from supervision.services import TOO_LONG, notification_language
from villagegov.formats import local_date
from villagegov.models import Person, User, Village
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
SHORT_MAX_LENGTH = 200
# The one set of rules for every evidence file, whether the committee attaches it to a review or
# the person responsible to their answer to a finding (`evidence_store`).
EVIDENCE_TYPES = PHOTO_TYPES | {PDF}
EVIDENCE_MAX_BYTES = 10 * MEGABYTE
EVIDENCE_MAX_FILES = 10
# A request carrying evidence is cut off past this (all the files at their largest, and the
# form's other fields): `consultations.uploads.limit_upload`.
EVIDENCE_UPLOAD_MAX_BYTES = EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + MEGABYTE
NAME_MAX_LENGTH = 200


def _member_in_office(actor: User, village: Village) -> Person:
    member = committee_member_of(actor, village, on=timezone.localdate())
    if member is None:
        raise ValidationError(_("Only members of the supervision committee in office can do this."))
    return member


def _optional_text(value: Any, max_length: int) -> str:
    return clean_text(value, max_length=max_length, empty=None, too_long=str(TOO_LONG))


def _required_text(value: Any, max_length: int, empty: str) -> str:
    return clean_text(value, max_length=max_length, empty=empty, too_long=str(TOO_LONG))


def _amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value >= Decimal(10) ** 12:
        raise ValidationError(_("Enter an amount of zero or more."))
    return value


def _not_future(day: Any, label: str) -> date | None:
    if day is None:
        return None
    if not isinstance(day, date):
        raise ValidationError(_("Enter a valid date."))
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})
    return day


def _kind_values(village: Village, kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The kind's own fields, checked against this village and the law's shapes."""
    unknown = set(fields) - set(KIND_FIELDS[kind])
    if unknown:
        raise ValidationError(
            _("These fields do not belong to this kind of review: %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )
    get = fields.get
    if kind == "voucher":
        return {
            "voucher_number": _required_text(get("voucher_number"), 50, _("Enter the voucher number.")),
            "voucher_date": _not_future(get("voucher_date"), _("The voucher date")),
            "amount": _amount(get("amount")),
            "payee": _optional_text(get("payee"), SHORT_MAX_LENGTH),
        }
    if kind == "project":
        if get("stage") not in ProjectStage.values:
            raise ValidationError(_("Choose the project's stage."))
        return {
            "project_name": _required_text(get("project_name"), SHORT_MAX_LENGTH, _("Enter the project.")),
            "stage": get("stage"),
            "budget": _amount(get("budget")),
        }
    if kind == "disclosure_check":
        start, end = get("period_start"), get("period_end")
        if not isinstance(start, date) or not isinstance(end, date):
            raise ValidationError(_("Enter the period the check covers."))
        if end < start:
            raise ValidationError(_("The period cannot end before it starts."))
        return {"period_start": start, "period_end": end}
    if kind == "meeting":
        session = get("session")
        if not isinstance(session, Session):
            raise ValidationError(_("Choose the meeting the committee attended."))
        if session.council.village_id != village.pk:
            raise ValidationError(_("That meeting is not one of this village's."))
        return {"session": session}
    if kind == "policy":
        beneficiaries = get("beneficiaries")
        if beneficiaries is not None and (
            not isinstance(beneficiaries, int) or not 0 <= beneficiaries < 2**31
        ):
            raise ValidationError(_("Enter the number of beneficiaries."))
        return {
            "policy_name": _required_text(get("policy_name"), SHORT_MAX_LENGTH, _("Enter the policy.")),
            "beneficiaries": beneficiaries,
            "amount": _amount(get("amount")),
        }
    if kind == "distribution":
        year = get("plan_year")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValidationError(_("Enter the financial year of the plan."))
        return {"plan_year": year, "amount": _amount(get("amount"))}
    # complaint
    complainant = get("complainant")
    if complainant is not None and (
        not isinstance(complainant, Person) or complainant.village_id != village.pk
    ):
        raise ValidationError(_("That person is not on this village's roster."))
    received_on = _not_future(get("received_on"), _("The day it was received"))
    if received_on is None:
        raise ValidationError(_("Enter the day it was received."))
    return {
        "complainant": complainant,
        "complaint": _required_text(get("complaint"), TEXT_MAX_LENGTH, _("Say what was reported.")),
        "received_on": received_on,
    }


@transaction.atomic
def review_create(
    *,
    actor: User,
    village: Village,
    kind: str,
    title: str,
    summary: str = "",
    fields: Mapping[str, Any],
    subject: Model | None = None,
) -> Review:
    """Open a review of `kind` (a key of REVIEW_KINDS) as a member of the committee in office,
    about `subject` if given (an object of this village, by any of VILLAGE_PATHS)."""
    if kind not in REVIEW_KINDS:
        raise ValidationError(_("Choose the kind of review."))
    _member_in_office(actor, village)
    title = _required_text(title, TITLE_MAX_LENGTH, _("Give the review a title."))
    summary = _optional_text(summary, TEXT_MAX_LENGTH)
    values = _kind_values(village, kind, fields)
    if subject is not None:
        # Checked again here, whatever the caller did: only an object of this village.
        subject = subject_from_reference(village, subject_reference(subject))
        values["subject_type"] = subject_content_type(subject)
        values["subject_id"] = subject.pk
    review = REVIEW_KINDS[kind].objects.create(
        village=village, title=title, summary=summary, opened_by=actor, opened_at=timezone.now(), **values
    )
    audit_record(
        actor=actor,
        village=village,
        action="review.create",
        target=review,
        after=snapshot(review),
    )
    return review


def _lock(review: Review) -> Review:
    reviews = Review.objects.filter(pk=review.pk).select_for_update(of=("self",)).select_related("village")
    return cast("QuerySet[Review]", reviews.non_polymorphic()).get()


@transaction.atomic
def review_entry_add(
    *, actor: User, review: Review, text: str, corrects: ReviewEntry | None = None
) -> ReviewEntry:
    """Append a note to the review, or a correction of one of its entries. Entries are never
    edited or deleted, also after the review is concluded: a correction is a new entry."""
    review = _lock(review)
    _member_in_office(actor, review.village)
    text = _required_text(text, TEXT_MAX_LENGTH, _("Write the note."))
    if corrects is not None and corrects.review_id != review.pk:
        raise ValidationError(_("A correction can only correct an entry of the same review."))
    entry = ReviewEntry.objects.create(
        review=review, text=text, corrects=corrects, written_by=actor, written_at=timezone.now()
    )
    audit_record(
        actor=actor,
        village=review.village,
        action="review.entry_add",
        target=entry,
        after=snapshot(entry),
    )
    return entry


def display_name(name: str | None) -> str:
    """The uploader's file name fit to show: no path, no control or direction characters, at
    most 200 characters. It is never used on disk."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    return Truncator(cleaned).chars(NAME_MAX_LENGTH) or _("file")


def _evidence_snapshot(evidence: Evidence) -> dict[str, object]:
    fields = ["id", "review_id", "response_id", "original_name", "content_type", "size", "sha256"]
    return snapshot(evidence, fields) | {"file": evidence.file.name}


@transaction.atomic
def evidence_store(
    *,
    actor: User,
    review: Review,
    uploads: Sequence[tuple[ValidatedUpload, str]],
    response: FindingResponse | None = None,
) -> list[Evidence]:
    """Store checked files (`consultations.uploads.validated_upload`, with the uploader's file
    name) as evidence of `review`, and of `response` if given. Checks only the files: the caller
    checks who may attach them (the findings' answer calls this for its responsible person)."""
    if not uploads:
        raise ValidationError(_("Choose at least one file."))
    if len(uploads) > EVIDENCE_MAX_FILES:
        raise ValidationError(_("At most %(max)d files at a time.") % {"max": EVIDENCE_MAX_FILES})
    for upload, _name in uploads:
        if upload.content_type not in EVIDENCE_TYPES or upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError(_("Evidence must be PDF, JPEG, PNG or WebP files of at most 10 MB."))
    if response is not None and response.finding.review_id != review.pk:
        raise ValidationError(_("That answer belongs to another review."))
    now = timezone.now()
    stored: list[str] = []
    created: list[Evidence] = []
    try:
        for upload, name in uploads:
            evidence = Evidence(
                review=review,
                response=response,
                original_name=display_name(name),
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            evidence.file.save(stored_name(upload), ContentFile(upload.content), save=False)
            stored.append(evidence.file.name)
            evidence.save()
            audit_record(
                actor=actor,
                village=review.village,
                action="evidence.add",
                target=evidence,
                after=_evidence_snapshot(evidence),
            )
            created.append(evidence)
    except BaseException:
        # The rows roll back with the transaction; the files would stay on disk without this.
        uploads_discard(stored)
        raise
    return created


@transaction.atomic
def evidence_add(
    *, actor: User, review: Review, uploads: Sequence[tuple[ValidatedUpload, str]]
) -> list[Evidence]:
    """Attach files to a review that is not concluded, as a member of the committee in office
    (notes and corrections stay allowed after the conclusion; evidence would change what the
    members signed)."""
    review = _lock(review)
    _member_in_office(actor, review.village)
    if review.state == ReviewState.CONCLUDED:
        raise ValidationError(
            _("This review was concluded on %(date)s: add a note, not more evidence.")
            % {"date": local_date(timezone.localdate(review.concluded_at) if review.concluded_at else None)}
        )
    return evidence_store(actor=actor, review=review, uploads=uploads)


@transaction.atomic
def review_sign(*, actor: User, review: Review, decision: str, reason: str = "") -> SignOff:
    """The actor, a member of the committee in office, signs the review or dissents with a
    reason, once. The review is concluded when the signatures of members in office today are a
    strict majority of the members in office today; the committee is told."""
    review = _lock(review)
    village = review.village
    member = _member_in_office(actor, village)
    if review.state == ReviewState.CONCLUDED:
        raise ValidationError(
            _("This review was concluded on %(date)s; it is not signed any more.")
            % {"date": local_date(timezone.localdate(review.concluded_at) if review.concluded_at else None)}
        )
    if decision not in SignOffDecision.values:
        raise ValidationError(_("Choose to sign or to dissent."))
    if decision == SignOffDecision.DISSENT:
        reason = _required_text(reason, REASON_MAX_LENGTH, _("Give the reason for your dissent."))
    else:
        reason = _optional_text(reason, REASON_MAX_LENGTH)
    earlier = SignOff.objects.filter(review=review, member=member).first()
    if earlier is not None:
        raise ValidationError(
            _("You already recorded your decision on this review (%(decision)s) on %(date)s.")
            % {
                "decision": earlier.get_decision_display(),
                "date": local_date(timezone.localdate(earlier.signed_at)),
            }
        )
    now = timezone.now()
    sign_off = SignOff.objects.create(
        review=review, member=member, decision=decision, reason=reason, signed_at=now
    )
    audit_record(
        actor=actor,
        village=village,
        action="review.sign",
        target=sign_off,
        after=snapshot(sign_off),
        seal=[sign_off],
    )
    today = timezone.localdate()
    in_office = committee_people(village, on=today)
    members = committee_member_count(village, on=today)
    signs = SignOff.objects.filter(review=review, decision=SignOffDecision.SIGN, member__in=in_office).count()
    if members > 0 and signs >= signatures_needed(members):
        audited_update(
            review,
            actor=actor,
            village=village,
            action="review.conclude",
            changes={"state": ReviewState.CONCLUDED, "concluded_at": now},
            fields=["id", "state", "concluded_at"],
        )
        with notification_language():
            message = _("The review “%(title)s” is concluded: %(signs)d of %(members)d members signed.") % {
                "title": Truncator(review.title).chars(60),
                "signs": signs,
                "members": members,
            }
        notification_send(
            village=village,
            people=committee_people(village, on=today),
            message=message,
            link=reverse("review_detail", args=[village.admin_code, review.pk]),
        )
    return sign_off


__all__ = [
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_MAX_FILES",
    "EVIDENCE_TYPES",
    "EVIDENCE_UPLOAD_MAX_BYTES",
    "KIND_FIELDS",
    "VILLAGE_PATHS",
    "display_name",
    "evidence_add",
    "evidence_store",
    "review_create",
    "review_entry_add",
    "review_sign",
]
