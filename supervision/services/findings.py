"""Findings of the supervision committee and their rectification (整改): recording a finding with
the person responsible, the action required and a deadline; the responsible person's answer with
evidence; the committee's verification or reopening; and reminders before the deadline."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.uploads import ValidatedUpload, uploads_discard
from supervision.models import (
    Finding,
    FindingResponse,
    FindingState,
    FindingVerification,
    Review,
    VerificationOutcome,
)
from supervision.selectors.committee import committee_people
from supervision.selectors.findings import responsible_candidates
from supervision.services import TOO_LONG, notification_language
from supervision.services.reviews import evidence_store
from villagegov.formats import local_date
from villagegov.models import Person, User
from villagegov.permissions import Action, can, person_in
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
AUDITED_FIELDS = ["id", "review_id", "responsible_id", "deadline", "state", "reminded_at"]


def _link(finding: Finding) -> str:
    return reverse("finding_detail", args=[finding.review.village.admin_code, finding.pk])


def _short(text: str) -> str:
    return Truncator(text).chars(60)


def _notify(finding: Finding, people: QuerySet[Person], message: str) -> int:
    return notification_send(
        village=finding.review.village, people=people, message=message, link=_link(finding)
    )


def _notify_responsible(finding: Finding, message: str) -> int:
    return _notify(finding, Person.objects.filter(pk=finding.responsible_id), message)


def _locked(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("review__village", "responsible")
        .get(pk=finding.pk)
    )


def _check_deadline(deadline: date, *, on: date | None = None) -> None:
    """The deadline is not before `on` (today, or the day a finding was recorded on paper)."""
    today = on or timezone.localdate()
    if deadline < today:
        raise ValidationError(
            _("The deadline cannot be in the past (today is %(today)s).") % {"today": local_date(today)}
            if on is None
            else _("The deadline cannot be before the day the finding was recorded (%(date)s).")
            % {"date": local_date(on)}
        )


def _noon_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@transaction.atomic
def finding_create(
    *,
    actor: User,
    review: Review,
    description: str,
    required_action: str,
    responsible: Person,
    deadline: date,
    recorded_on: date | None = None,
) -> Finding:
    """Record a finding of `review` (open or concluded) by a member of the supervision committee:
    what is wrong, what must be done, by whom (someone on the village's roster) and by when (not in
    the past). A finding entered from the committee's paper records gives the day it was recorded
    (`recorded_on`, not in the future): its deadline is checked against that day, and it is dated
    that day at noon. The responsible person is told in the app and by SMS."""
    locked_review = (
        cast("QuerySet[Review]", Review.objects.filter(pk=review.pk).non_polymorphic())
        .select_for_update(of=("self",))
        .select_related("village")
        .get()
    )
    village = locked_review.village
    if not can(actor, Action.RUN_REVIEWS, village):
        raise ValidationError(_("Only members of the supervision committee can record findings."))
    if not responsible_candidates(village).filter(pk=responsible.pk).exists():
        raise ValidationError(_("The person responsible must be on this village's roster."))
    description = clean_text(
        description, max_length=TEXT_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Describe what was found.")
    )
    required_action = clean_text(
        required_action,
        max_length=TEXT_MAX_LENGTH,
        too_long=str(TOO_LONG),
        empty=_("Say what must be done to rectify it."),
    )
    if recorded_on is not None and recorded_on > timezone.localdate():
        raise ValidationError(_("The day the finding was recorded cannot be in the future."))
    _check_deadline(deadline, on=recorded_on)
    finding = Finding.objects.create(
        review=locked_review,
        description=description,
        required_action=required_action,
        responsible=responsible,
        deadline=deadline,
        created_by=actor,
        created_at=timezone.now() if recorded_on is None else _noon_of(recorded_on),
    )
    audit_record(
        actor=actor, village=village, action="finding.create", target=finding, after=snapshot(finding)
    )
    with notification_language():
        message = _(
            "The supervision committee asks you to rectify by %(deadline)s: “%(finding)s”. Open the link to "
            "see what must be done and to answer."
        ) % {"deadline": local_date(deadline), "finding": _short(description)}
    _notify_responsible(finding, message)
    return finding


@transaction.atomic
def finding_answer(
    *,
    actor: User,
    finding: Finding,
    text: str,
    uploads: Sequence[tuple[ValidatedUpload, str]] = (),
) -> FindingResponse:
    """The responsible person's answer to an open finding: what was done, with evidence files
    (checked by `consultations.uploads.validated_upload`, stored by `evidence_store` as the
    committee's are). The finding awaits the committee's verification, and its members are told."""
    locked = _locked(finding)
    village = locked.review.village
    person = person_in(actor, village)
    if not can(actor, Action.TAKE_PART, village) or person is None or person.pk != locked.responsible_id:
        raise ValidationError(_("Only the person responsible for this finding can answer it."))
    if locked.state == FindingState.ANSWERED:
        raise ValidationError(_("This finding was answered and awaits the committee's verification."))
    if locked.state == FindingState.VERIFIED:
        raise ValidationError(_("This finding is rectified and verified; it takes no more answers."))
    text = clean_text(text, max_length=TEXT_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Say what was done."))
    response = FindingResponse.objects.create(
        finding=locked, text=text, responded_by=person, responded_at=timezone.now()
    )
    audit_record(
        actor=actor,
        village=village,
        action="finding.respond",
        target=response,
        after=snapshot(response),
    )
    stored = (
        evidence_store(actor=actor, review=locked.review, uploads=uploads, response=response)
        if uploads
        else []
    )
    try:
        before = snapshot(locked, AUDITED_FIELDS)
        locked.state = FindingState.ANSWERED
        locked.save(update_fields=["state"])
        audit_record(
            actor=actor,
            village=village,
            action="finding.answer",
            target=locked,
            before=before,
            after=snapshot(locked, AUDITED_FIELDS),
        )
        with notification_language():
            message = _("%(name)s answered the finding “%(finding)s”. It awaits your verification.") % {
                "name": person.name,
                "finding": _short(locked.description),
            }
        _notify(locked, committee_people(village, on=timezone.localdate()), message)
    except BaseException:
        # The rows roll back with the transaction; the files would stay on disk without this.
        uploads_discard([evidence.file.name for evidence in stored])
        raise
    return response


@transaction.atomic
def finding_verify(
    *,
    actor: User,
    finding: Finding,
    outcome: VerificationOutcome,
    reason: str = "",
    new_deadline: date | None = None,
) -> FindingVerification:
    """The committee's verdict on an answered finding: verified (rectified), or reopened with the
    reason (and, if given, a new deadline not in the past), which tells the responsible person and
    makes the reminder due again."""
    locked = _locked(finding)
    village = locked.review.village
    if not can(actor, Action.RUN_REVIEWS, village):
        raise ValidationError(_("Only members of the supervision committee can verify a rectification."))
    if locked.state != FindingState.ANSWERED:
        raise ValidationError(_("Only an answered finding can be verified or reopened."))
    person = person_in(actor, village)
    if person is not None and person.pk == locked.responsible_id:
        raise ValidationError(_("You cannot verify the rectification you are responsible for."))
    if outcome not in VerificationOutcome.values:
        raise ValidationError(_("Choose whether the finding is rectified or reopened."))
    reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        too_long=str(TOO_LONG),
        empty=_("Give the reason the finding is reopened.")
        if outcome == VerificationOutcome.REOPENED
        else None,
    )
    changes: dict[str, object] = {}
    if outcome == VerificationOutcome.VERIFIED:
        if new_deadline is not None:
            raise ValidationError(_("A new deadline is only set when the finding is reopened."))
        changes["state"] = FindingState.VERIFIED
    else:
        changes["state"] = FindingState.OPEN
        changes["reminded_at"] = None  # Reopened: the reminder before the deadline is due again.
        if new_deadline is not None:
            _check_deadline(new_deadline)
            changes["deadline"] = new_deadline
    verification = FindingVerification.objects.create(
        finding=locked, outcome=outcome, reason=reason, verified_by=actor, verified_at=timezone.now()
    )
    audit_record(
        actor=actor,
        village=village,
        action="finding.verification",
        target=verification,
        after=snapshot(verification),
    )
    before = snapshot(locked, AUDITED_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        village=village,
        action="finding.verify" if outcome == VerificationOutcome.VERIFIED else "finding.reopen",
        target=locked,
        before=before,
        after=snapshot(locked, AUDITED_FIELDS),
    )
    with notification_language():
        if outcome == VerificationOutcome.VERIFIED:
            message = _(
                "The supervision committee verified your rectification of “%(finding)s”. Thank you."
            ) % {"finding": _short(locked.description)}
        else:
            message = _(
                "The supervision committee reopened “%(finding)s”: %(reason)s Please rectify by %(deadline)s."
            ) % {
                "finding": _short(locked.description),
                "reason": Truncator(reason).chars(200),
                "deadline": local_date(locked.deadline),
            }
    _notify_responsible(locked, message)
    return verification


def reminder_days() -> int:
    """How many days before its deadline an open finding's responsible person is reminded."""
    return max(0, int(settings.VILLAGEGOV_FINDING_REMINDER_DAYS))


def finding_reminders_send(*, today: date | None = None) -> int:
    """Remind the responsible person of each open finding whose deadline is at most
    `reminder_days()` away (or already past) and who was not reminded since the finding was
    recorded or reopened. Each finding in its own transaction; running again the same day sends
    nothing twice. Returns how many were reminded."""
    day = today or timezone.localdate()
    due = Finding.objects.filter(
        state=FindingState.OPEN, reminded_at__isnull=True, deadline__lte=day + timedelta(days=reminder_days())
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            finding = (
                Finding.objects.select_for_update(of=("self",))
                .select_related("review__village")
                .filter(pk=pk, state=FindingState.OPEN, reminded_at__isnull=True)
                .first()
            )
            if finding is None:
                continue  # Answered, or reminded by a run at the same time.
            with notification_language():
                values = {"finding": _short(finding.description), "deadline": local_date(finding.deadline)}
                if finding.deadline < day:
                    message = _(
                        "Reminder: the rectification of “%(finding)s” was due by %(deadline)s and is overdue."
                    )
                else:
                    message = _("Reminder: the rectification of “%(finding)s” is due by %(deadline)s.")
                message %= values
            notified = _notify_responsible(finding, message)
            before = snapshot(finding, AUDITED_FIELDS)
            finding.reminded_at = timezone.now()
            finding.save(update_fields=["reminded_at"])
            audit_record(
                actor=None,
                village=finding.review.village,
                action="finding.remind",
                target=finding,
                before=before,
                after=snapshot(finding, AUDITED_FIELDS) | {"notified": notified},
            )
            reminded += 1
    return reminded
