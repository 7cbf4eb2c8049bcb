"""Writes to major decisions (四议两公开): the process, and its six steps recorded strictly in order."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.matters import Matter
from consultations.models import (
    DecisionProcess,
    DecisionStep,
    DecisionStepKind,
    MotionItem,
    Poll,
    PollState,
    Resolution,
)
from consultations.selectors.agenda import matter_refusal
from consultations.selectors.decisions import DECIDING_BODIES
from villagegov.formats import local_date
from villagegov.models import User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
PARTICIPANTS_MAX_LENGTH = 300
DOCUMENT_MAX_LENGTH = 5000


def _require_recorder(actor: User, village: Village) -> None:
    if not can(actor, Action.RECORD_DECISIONS, village):
        raise ValidationError(
            _("Only the village's officials and the party branch record major decisions."),
            code="permission",
        )


@transaction.atomic
def decision_create(*, actor: User, village: Village, title: str, matter: str = "") -> DecisionProcess:
    """Start the record of a major decision; `matter` is the Art. 24 matter it concerns, if any."""
    _require_recorder(actor, village)
    title = clean_text(
        title,
        empty=_("Enter the matter to be decided."),
        max_length=TITLE_MAX_LENGTH,
        too_long=_("The title is too long (at most %(max)d characters)."),
    )
    if matter and matter not in Matter.values:
        raise ValidationError(_("Choose a kind of matter from the list."))
    process = DecisionProcess.objects.create(village=village, title=title, matter=matter, created_by=actor)
    audit_record(
        actor=actor, village=village, action="decision.create", target=process, after=snapshot(process)
    )
    return process


def decision_poll_refusal(poll: Poll, process: DecisionProcess) -> str | None:
    """Why `poll` cannot be the decision (step 4) of `process`, in plain words; None if it can. The
    same rule as `decision_polls`, which offers the votes that can."""
    council = poll.item.session.council
    if (
        council.village_id != process.village_id
        or poll.state != PollState.CLOSED
        or poll.passed is not True
        or (not process.matter and council.body not in DECIDING_BODIES)
    ):
        return _(
            "That vote cannot be the decision: it must be a closed vote that passed, in a session of "
            "this village's villagers' assembly or villager representatives' meeting."
        )
    motion = MotionItem.objects.filter(pk=poll.item_id).first()
    if motion is None:
        return _("That vote is an election: the decision must be a vote on a motion.")
    if not process.matter:
        return None
    if motion.matter != process.matter:
        return _("That vote's motion is not about %(matter)s, the matter of this decision.") % {
            "matter": Matter(process.matter).label
        }
    # The delegation that counts is the one in force when the body voted.
    voted_on = timezone.localdate(poll.closed_at) if poll.closed_at else None
    return matter_refusal(council=council, matter=process.matter, on=voted_on)


def _resolution_unpublished(resolution: Resolution | None, poll: Poll) -> str:
    if resolution is None:
        return _(
            "The vote “%(question)s” has no resolution yet: make its resolution from the minutes and "
            "publish it on the public board first."
        ) % {"question": poll.question}
    return _("The resolution “%(title)s” is not published yet: publish it on the public board first.") % {
        "title": resolution.title
    }


def _check_decision_day(held_on: date, poll: Poll, previous: DecisionStep | None) -> None:
    """The decision is taken on the day its vote closed, which is not before the step before it."""
    assert poll.closed_at is not None  # the database requires it of a closed poll
    vote_day = timezone.localdate(poll.closed_at)
    if previous is not None and vote_day < previous.held_on:
        raise ValidationError(
            _(
                "The vote “%(question)s” closed on %(vote_day)s, before “%(previous)s” (%(day)s): the "
                "decision must come after the steps before it."
            )
            % {
                "question": poll.question,
                "vote_day": local_date(vote_day),
                "previous": DecisionStepKind(previous.step).label,
                "day": local_date(previous.held_on),
            }
        )
    if held_on != vote_day:
        raise ValidationError(
            _("The date of the decision is the day its vote closed, %(vote_day)s (you gave %(day)s).")
            % {"vote_day": local_date(vote_day), "day": local_date(held_on)}
        )


@transaction.atomic
def decision_step_record(
    *,
    actor: User,
    process: DecisionProcess,
    step: int,
    held_on: date,
    participants: str,
    document: str,
    poll: Poll | None = None,
) -> DecisionStep:
    """Record one of the six steps: who, when and the document. Steps run in order, each on or
    after the day of the one before and never in the future; the decision (4) names a closed vote
    on a motion that passed in a council of the village that may decide the matter (none: the
    村民会议 or 村民代表会议), and is dated the day that vote closed; its publication (5) needs
    that vote's resolution published, and is not dated before it was; the result's publication
    (6) its document."""
    process = DecisionProcess.objects.select_for_update().select_related("village").get(pk=process.pk)
    village = process.village
    _require_recorder(actor, village)
    if step not in DecisionStepKind.values:
        raise ValidationError(_("There is no such step."))
    kind = DecisionStepKind(step)
    recorded = {s.step: s for s in DecisionStep.objects.filter(process=process)}
    if kind.value in recorded:
        raise ValidationError(
            _("“%(step)s” was already recorded (%(day)s).")
            % {"step": kind.label, "day": local_date(recorded[kind.value].held_on)}
        )
    previous = recorded.get(kind.value - 1)
    if kind.value > 1 and previous is None:
        raise ValidationError(
            _("Record “%(previous)s” first: the steps run in order.")
            % {"previous": DecisionStepKind(kind.value - 1).label}
        )
    participants = clean_text(
        participants,
        empty=_("Say who took part."),
        max_length=PARTICIPANTS_MAX_LENGTH,
        too_long=_("The list of who took part is too long (at most %(max)d characters)."),
    )
    document = clean_text(
        document,
        empty=(
            _("Give the document of the result of carrying it out (where it was published and what it says).")
            if kind == DecisionStepKind.RESULT_PUBLISHED
            else _("Give the document of this step (its minutes, notice or record).")
        ),
        max_length=DOCUMENT_MAX_LENGTH,
        too_long=_("The document is too long (at most %(max)d characters)."),
    )
    named_poll: Poll | None = None
    if kind == DecisionStepKind.DECISION:
        if poll is None:
            raise ValidationError(_("Choose the vote that decided it."))
        named_poll = Poll.objects.select_related("item__session__council").get(pk=poll.pk)
        refusal = decision_poll_refusal(named_poll, process)
        if refusal is not None:
            raise ValidationError(refusal)
        _check_decision_day(held_on, named_poll, previous)
    elif kind == DecisionStepKind.RESOLUTION_PUBLISHED:
        decision = recorded[DecisionStepKind.DECISION.value]
        assert decision.poll_id is not None  # the database requires it of step 4
        named_poll = Poll.objects.get(pk=decision.poll_id)
        resolution = Resolution.objects.filter(poll=named_poll).first()
        if resolution is None or resolution.published_at is None:
            raise ValidationError(_resolution_unpublished(resolution, named_poll), code="unpublished")
        published_on = timezone.localdate(resolution.published_at)
        if held_on < published_on:
            raise ValidationError(
                _(
                    "The resolution “%(title)s” was published on %(published)s: the date of its "
                    "publication cannot be before that (you gave %(day)s)."
                )
                % {
                    "title": resolution.title,
                    "published": local_date(published_on),
                    "day": local_date(held_on),
                }
            )
    if held_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if previous is not None and held_on < previous.held_on:
        raise ValidationError(
            _("The date cannot be before that of the step before it, “%(previous)s” (%(day)s).")
            % {"previous": DecisionStepKind(previous.step).label, "day": local_date(previous.held_on)}
        )
    record = DecisionStep.objects.create(
        process=process,
        step=kind.value,
        held_on=held_on,
        participants=participants,
        document=document,
        poll=named_poll,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor, village=village, action="decision.step_record", target=record, after=snapshot(record)
    )
    return record
