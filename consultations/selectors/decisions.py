"""Reads of major decisions (四议两公开): each process, its six steps in order, and the votes a
decision step may name."""

from collections.abc import Container, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from consultations.models import DecisionProcess, DecisionStep, DecisionStepKind, Poll, PollState, Resolution
from consultations.selectors.agenda import delegations_in_force, matter_refusal
from villagegov.models import Body, Council, Village

# The bodies whose vote is step 4 of 四议两公开 (村民会议或村民代表会议决议).
DECIDING_BODIES = (Body.VILLAGERS_ASSEMBLY, Body.REPRESENTATIVES_MEETING)
STEP_COUNT = len(DecisionStepKind)
# A select of votes longer than this is unusable; the newest are the ones a step names.
POLL_CHOICES_LIMIT = 100


def village_processes(village: Village) -> QuerySet[DecisionProcess]:
    steps = DecisionStep.objects.order_by("step")
    return (
        DecisionProcess.objects.filter(village=village)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class StepRow:
    kind: DecisionStepKind
    record: DecisionStep | None
    state: str  # "done", "next" or "later"
    resolution: Resolution | None = None


def next_step(process: DecisionProcess) -> DecisionStepKind | None:
    """The step to record next (steps run in order); None when all six are recorded. The steps
    must be prefetched or this asks the database."""
    return first_missing({step.step for step in process.steps.all()})


def first_missing(done: Container[int]) -> DecisionStepKind | None:
    """The first of the six steps not in `done`."""
    return next((kind for kind in DecisionStepKind if kind.value not in done), None)


def progress(process: DecisionProcess) -> int:
    """How many of the six steps are recorded (the steps must be prefetched)."""
    return len(process.steps.all())


@dataclass(frozen=True)
class ProcessRow:
    process: DecisionProcess
    done: int
    next: DecisionStepKind | None


def process_rows(processes: Iterable[DecisionProcess]) -> list[ProcessRow]:
    """Each process of a page of `village_processes` with its progress and next step."""
    return [ProcessRow(process, progress(process), next_step(process)) for process in processes]


def process_steps(process: DecisionProcess) -> list[StepRow]:
    """The six steps in order: done with who, when and the document; the next; the later ones."""
    records = {
        step.step: step
        for step in DecisionStep.objects.filter(process=process)
        .select_related("poll__item__session__council", "recorded_by")
        .order_by("step")
    }
    poll_ids = [step.poll_id for step in records.values() if step.poll_id is not None]
    resolutions = {r.poll_id: r for r in Resolution.objects.filter(poll_id__in=poll_ids)}
    rows = []
    following = first_missing(records)
    for kind in DecisionStepKind:
        record = records.get(kind.value)
        if record is not None:
            state = "done"
        elif kind == following:
            state = "next"
        else:
            state = "later"
        resolution = resolutions.get(record.poll_id) if record is not None and record.poll_id else None
        rows.append(StepRow(kind, record, state, resolution))
    return rows


def deciding_councils(village: Village, matter: str) -> list[int]:
    """The ids of the village's councils whose vote may decide a process on `matter`: for a reserved
    matter those the law (and the delegations) let decide it; otherwise the 村民会议 and the
    村民代表会议."""
    councils = Council.objects.filter(village=village).order_by("pk")
    if not matter:
        return [council.pk for council in councils if council.body in DECIDING_BODIES]
    delegations = delegations_in_force(village, on=timezone.localdate())
    return [
        council.pk
        for council in councils
        if matter_refusal(council=council, matter=matter, delegations=delegations) is None
    ]


def decision_polls(village: Village, *, matter: str = "") -> QuerySet[Poll]:
    """Votes that may be the decision step (4) of a process on `matter`: closed and passed, on a
    motion (not an election) of a session of the village, in a council that may decide it (a
    reserved matter: a motion on that matter, in a body the law allows; none: the 村民会议 or the
    村民代表会议), newest first."""
    polls = Poll.objects.filter(
        item__session__council__village=village,
        item__session__council__in=deciding_councils(village, matter),
        item__motionitem__isnull=False,
        state=PollState.CLOSED,
        passed=True,
    )
    if matter:
        polls = polls.filter(item__motionitem__matter=matter)
    return polls.select_related("item__session__council").order_by("-closed_at", "-pk")


def step_resolution(step: DecisionStep | None) -> Resolution | None:
    if step is None or step.poll_id is None:
        return None
    return Resolution.objects.filter(poll_id=step.poll_id).select_related("session").first()
