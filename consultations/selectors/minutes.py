"""Reads of a session's minutes (会议记录): everything that happened, in order, from the records."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from consultations.models import (
    AgendaItem,
    Attendance,
    ElectionItem,
    Minutes,
    MotionItem,
    Poll,
    PollOption,
    PollState,
    Resolution,
    Session,
    SpeakerRequest,
    SpeakerState,
)
from consultations.selectors.attendance import attendance_list, session_quorum
from consultations.selectors.polls import poll_explanation
from villagegov import thresholds
from villagegov.models import Person


@dataclass(frozen=True)
class OptionResult:
    option: PollOption
    count: int | None


def option_count(poll: Poll, option: PollOption) -> int | None:
    """The votes an option received, from the counts frozen at the close (keyed by str(option.pk))."""
    counts: Any = poll.counts
    if not isinstance(counts, dict):
        return None
    value = counts.get(str(option.pk))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def poll_results(poll: Poll) -> list[OptionResult]:
    """Per-option counts of a closed poll (the options must be prefetched); nothing before the close."""
    if poll.state != PollState.CLOSED:
        return []
    return [OptionResult(option, option_count(poll, option)) for option in poll.options.all()]


@dataclass
class PollEntry:
    poll: Poll
    results: list[OptionResult]
    explanation: str
    resolution: Resolution | None


@dataclass
class ItemEntry:
    item: AgendaItem
    kind: str
    text: str = ""
    office: str = ""
    speakers: list[SpeakerRequest] = field(default_factory=list)
    polls: list[PollEntry] = field(default_factory=list)


@dataclass
class MinutesContent:
    session: Session
    minutes: Minutes | None
    attendances: list[Attendance]
    households_represented: int
    quorum: thresholds.Outcome
    body_rule: Any
    items: list[ItemEntry]
    resolutions: list[Resolution]

    @property
    def signed(self) -> bool:
        return self.minutes is not None and self.minutes.signed_at is not None


def session_minutes(session: Session) -> Minutes | None:
    return Minutes.objects.select_related("signed_by", "updated_by").filter(session=session).first()


def minutes_visible(
    *, session: Session, minutes: Minutes | None, keeps_minutes: bool, person: Person | None
) -> bool:
    """Everyone in the village reads signed minutes; before, only those who keep minutes and the
    session's chair."""
    if minutes is not None and minutes.signed_at is not None:
        return True
    return keeps_minutes or (person is not None and person.pk == session.chair_id)


def session_polls(session: Session) -> list[Poll]:
    options = PollOption.objects.select_related("candidate").order_by("position", "pk")
    return list(
        Poll.objects.filter(item__session=session)
        .select_related("item__session__council__village")
        .prefetch_related(Prefetch("options", queryset=options))
        .order_by("item__position", "item_id", "round", "pk")
    )


def _kind_label(item: AgendaItem) -> str:
    if item.polymorphic_ctype_id is None:
        return ""
    model = ContentType.objects.get_for_id(item.polymorphic_ctype_id).model_class()
    return str(model._meta.verbose_name) if model is not None else ""


def minutes_content(session: Session) -> MinutesContent:
    """The minutes built from what happened: attendance with its figures, each agenda item in order
    with who spoke and each vote's result, the resolutions. A fixed number of queries."""
    attendances = list(attendance_list(session))
    households = {a.person.household_id for a in attendances if a.person.household_id is not None}
    items = cast(
        list[AgendaItem],
        list(AgendaItem.objects.filter(session=session).non_polymorphic().order_by("position", "pk")),
    )
    motions = dict(MotionItem.objects.filter(session=session).values_list("pk", "text"))
    offices = {
        pk: (office, seats)
        for pk, office, seats in ElectionItem.objects.filter(session=session).values_list(
            "pk", "office", "seats"
        )
    }
    speakers: dict[int, list[SpeakerRequest]] = defaultdict(list)
    for request in (
        SpeakerRequest.objects.filter(item__session=session, state=SpeakerState.DONE)
        .select_related("person")
        .order_by("started_at", "requested_at", "pk")
    ):
        speakers[request.item_id].append(request)
    resolutions = list(Resolution.objects.filter(session=session).order_by("pk"))
    resolution_of = {r.poll_id: r for r in resolutions}
    polls: dict[int, list[PollEntry]] = defaultdict(list)
    for poll in session_polls(session):
        polls[poll.item_id].append(
            PollEntry(poll, poll_results(poll), poll_explanation(poll), resolution_of.get(poll.pk))
        )
    entries = []
    for item in items:
        office = ""
        if item.pk in offices:
            name, seats = offices[item.pk]
            office = _("%(office)s, %(seats)d to elect") % {"office": name, "seats": seats}
        entries.append(
            ItemEntry(
                item=item,
                kind=_kind_label(item),
                text=motions.get(item.pk, ""),
                office=office,
                speakers=speakers.get(item.pk, []),
                polls=polls.get(item.pk, []),
            )
        )
    return MinutesContent(
        session=session,
        minutes=session_minutes(session),
        attendances=attendances,
        households_represented=len(households),
        quorum=session_quorum(session),
        body_rule=session.council.body_rule,
        items=entries,
        resolutions=resolutions,
    )


def resolvable_polls(session: Session) -> list[Poll]:
    """Closed votes of the session that passed and have no resolution yet."""
    return list(
        Poll.objects.filter(
            item__session=session, state=PollState.CLOSED, passed=True, resolution__isnull=True
        )
        .select_related("item")
        .order_by("item__position", "pk")
    )
