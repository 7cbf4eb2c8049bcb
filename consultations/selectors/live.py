"""Reads for the live layer: who may follow a session live, the snapshot a socket starts from,
and what the hall's screen shows. Every read takes the session (found through its village)."""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from consultations.events import AttendanceChangedData
from consultations.models import (
    AgendaItem,
    Attendance,
    ItemState,
    Poll,
    PollKind,
    PollOption,
    PollState,
    PollVoter,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.selectors.attendance import session_quorum
from consultations.selectors.polls import ResultBar, poll_explanation, result_bars
from consultations.selectors.sessions import session_day
from villagegov import thresholds
from villagegov.models import Counted, Person, User, Village
from villagegov.permissions import ROLES_ALLOWED, Action, person_in, roles_of_person
from villagegov.selectors.roster import counted_households

# The agenda's kinds, as the protocol names them (docs/live-protocol.md).
KIND_OF_MODEL = {
    "discussionitem": "discussion",
    "motionitem": "motion",
    "electionitem": "election",
    "reportitem": "report",
}
# The hall shows the queue's next few speakers, no more.
HALL_NEXT_SPEAKERS = 3


@dataclass(frozen=True)
class LiveAccess:
    """Whether a user may follow a session live, and if not, why (a close code of the protocol)."""

    session: Session | None
    person: Person | None
    refusal: int | None  # a close code; None when allowed


# Close codes (docs/live-protocol.md).
CLOSE_ANONYMOUS = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def live_access(*, user: User | Any, village_code: str, session_id: int) -> LiveAccess:
    """May `user` follow session `session_id` of the village `village_code`? Anonymous users,
    people not on the village's roster, unknown sessions, another village's sessions, and a
    draft to anyone who may not manage sessions are refused."""
    if user is None or not getattr(user, "is_authenticated", False):
        return LiveAccess(None, None, CLOSE_ANONYMOUS)
    village = Village.objects.filter(admin_code=village_code).first()
    if village is None:
        return LiveAccess(None, None, CLOSE_NOT_FOUND)
    person = person_in(user, village)
    roles = roles_of_person(person) if person is not None else frozenset()
    if person is None or not roles & ROLES_ALLOWED[Action.VIEW_VILLAGE]:
        return LiveAccess(None, None, CLOSE_FORBIDDEN)
    sessions = Session.objects.select_related("council__village")
    if not roles & ROLES_ALLOWED[Action.MANAGE_SESSIONS]:
        sessions = sessions.exclude(state=SessionState.DRAFT)
    session = sessions.filter(pk=session_id, council__village=village).first()
    if session is None:
        return LiveAccess(None, person, CLOSE_NOT_FOUND)
    return LiveAccess(session, person, None)


def attendance_counts(
    session: Session, *, outcome: thresholds.Outcome | None = None
) -> AttendanceChangedData:
    """People present and the households they represent, as the quorum counts them: the figures
    of `session_quorum` (`outcome`, if already read), so an assembly's written proxies count as
    present here as they do there. A count the body's rule does not measure (an advisory body's,
    or households where the quorum is by people) is the plain attendance."""
    if outcome is None:
        outcome = session_quorum(session)
    counted = {figure.threshold.counted: figure.count for figure in outcome.figures}
    attendees = counted.get(Counted.ATTENDEES.value)
    households = counted.get(Counted.HOUSEHOLDS_REPRESENTED.value)
    attendances = Attendance.objects.filter(session=session)
    if attendees is None:
        attendees = attendances.count()
    if households is None:
        counted_in = counted_households(session.council.village, on=session_day(session))
        if session.council.group_id is not None:
            counted_in = counted_in.filter(group_id=session.council.group_id)
        households = (
            attendances.filter(person__household__in=counted_in)
            .values("person__household")
            .distinct()
            .count()
        )
    return {"attendees": attendees, "households": households}


def _kinds() -> dict[int, str]:
    """Content-type id → the protocol's kind of agenda item (ContentType caches these)."""
    kinds = {}
    for model, kind in KIND_OF_MODEL.items():
        content_type = ContentType.objects.get_by_natural_key("consultations", model)
        kinds[content_type.pk] = kind
    return kinds


def agenda_items(session: Session) -> QuerySet[AgendaItem]:
    """The session's agenda in order, without the per-kind queries of polymorphism."""
    items: QuerySet[AgendaItem] = AgendaItem.objects.filter(session=session)
    return items.non_polymorphic().order_by("position", "id")  # type: ignore[attr-defined]


def current_speakers(item_id: int | None, *, speaking_seconds: int) -> list[dict[str, Any]]:
    """Who is speaking (with the deadline of their time) and who waits, in the queue's order."""
    if item_id is None:
        return []
    requests = (
        SpeakerRequest.objects.filter(
            item_id=item_id, state__in=[SpeakerState.SPEAKING, SpeakerState.WAITING]
        )
        .select_related("person")
        .order_by("requested_at", "id")
    )
    speakers = []
    for request in requests:
        deadline = None
        if request.state == SpeakerState.SPEAKING and request.started_at is not None:
            deadline = (request.started_at + timedelta(seconds=speaking_seconds)).isoformat()
        speakers.append(
            {"id": request.pk, "name": request.person.name, "state": request.state, "deadline": deadline}
        )
    # The one speaking first, then the queue.
    speakers.sort(key=lambda speaker: speaker["state"] != SpeakerState.SPEAKING)
    return speakers


def quorum_summary(session: Session) -> dict[str, Any]:
    outcome = session_quorum(session)
    counts = attendance_counts(session, outcome=outcome)
    chinese = (get_language() or "zh-hans").startswith("zh")
    citations = []
    for figure in outcome.figures:
        citation = figure.threshold.citation_zh if chinese else figure.threshold.citation_en
        if citation and citation not in citations:
            citations.append(citation)
    return {
        "has_rule": bool(outcome.figures),
        "met": outcome.met,
        "explanation": outcome.explain(),
        "citation": "; ".join(citations),
        "attendees": counts["attendees"],
        "households": counts["households"],
    }


def live_polls(session: Session) -> list[Poll]:
    """The session's votes that have opened, in the order they opened."""
    return list(
        Poll.objects.filter(item__session=session)
        .exclude(state=PollState.CREATED)
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position", "id")))
        .order_by("opened_at", "id")
    )


def poll_counts(poll_id: int) -> tuple[int, int]:
    """(voted, entitled) of a poll, from its voter roll."""
    counts = PollVoter.objects.filter(poll_id=poll_id).aggregate(
        voted=Count("pk", filter=Q(has_voted=True)), entitled=Count("pk")
    )
    return counts["voted"], counts["entitled"]


def _open_poll(poll: Poll) -> dict[str, Any]:
    """The open poll as every viewer sees it; `_open_poll_for` adds the counts and the viewer's own."""
    return {
        "id": poll.pk,
        "item": poll.item_id,
        "question": poll.question,
        "kind": poll.kind,
        "method": poll.method,
        "secret": poll.secret,
        "max_choices": poll.max_choices,
        "allow_change": poll.allow_change,
        "options": [{"id": option.pk, "label": option.label} for option in poll.options.all()],
    }


def _open_poll_for(open_poll: dict[str, Any], person: Person | None) -> dict[str, Any]:
    """The counts as of now (poll progress has no sequence number, so they are never cached) and
    whether the viewer is on the roll and has voted."""
    voted, entitled = poll_counts(open_poll["id"])
    mine = (
        PollVoter.objects.filter(poll_id=open_poll["id"], person=person).values("has_voted").first()
        if person is not None
        else None
    )
    return {
        **open_poll,
        "entitled_to_vote": mine is not None,
        "has_voted": bool(mine and mine["has_voted"]),
        "voted": voted,
        "entitled": entitled,
    }


def _closed_poll(poll: Poll) -> dict[str, Any]:
    return {
        "id": poll.pk,
        "item": poll.item_id,
        "question": poll.question,
        "passed": poll.passed,
        "votes_cast": poll.votes_cast,
        "counts": poll.counts,
        "explanation": poll_explanation(poll),
    }


def _shared_snapshot(session: Session) -> dict[str, Any]:
    """The part of a snapshot that is the same for every viewer."""
    items = list(agenda_items(session))
    kinds = _kinds()
    current = next((item for item in items if item.state == ItemState.CURRENT), None)
    polls = live_polls(session)
    open_polls = [poll for poll in polls if poll.state == PollState.OPEN]
    return {
        "agenda": [
            {
                "id": item.pk,
                "kind": kinds.get(item.polymorphic_ctype_id or 0, "discussion"),
                "title": item.title,
                "state": item.state,
                "position": item.position,
            }
            for item in items
        ],
        "current_item": current.pk if current is not None else None,
        "speakers": current_speakers(
            current.pk if current else None, speaking_seconds=session.speaking_seconds
        ),
        "quorum": quorum_summary(session),
        "open_poll": _open_poll(open_polls[-1]) if open_polls else None,
        "closed_polls": [_closed_poll(poll) for poll in polls if poll.state == PollState.CLOSED],
    }


# The shared part of the snapshot, kept per session, sequence number and language: when a hall of
# 2,000 opens the page at once, one connection computes it (a score of queries, the quorum's over
# the whole roster) and the others reuse it (docs/performance.md). Every change it shows comes
# with a new sequence number, except the roster behind the quorum's totals, which may lag by at
# most this long. Per process; the cached dicts are shared, so nobody may change them.
SHARED_SNAPSHOT_SECONDS = 2.0
_shared_snapshots: dict[tuple[int, int, str], tuple[float, dict[str, Any]]] = {}
_shared_snapshots_lock = threading.Lock()


def _shared_snapshot_cached(session: Session, *, seq: int) -> dict[str, Any]:
    key = (session.pk, seq, get_language() or "zh-hans")
    now = time.monotonic()
    with _shared_snapshots_lock:
        kept = _shared_snapshots.get(key)
    if kept is not None and now - kept[0] < SHARED_SNAPSHOT_SECONDS:
        return kept[1]
    shared = _shared_snapshot(session)
    with _shared_snapshots_lock:
        for old in [k for k, (at, _) in _shared_snapshots.items() if now - at >= SHARED_SNAPSHOT_SECONDS]:
            del _shared_snapshots[old]
        _shared_snapshots[key] = (now, shared)
    return shared


def shared_snapshots_forget() -> None:
    """Drop every kept shared part (a test that changes the database behind the services' backs,
    or reuses a session's number, starts clean)."""
    with _shared_snapshots_lock:
        _shared_snapshots.clear()


def session_snapshot(session: Session, person: Person | None) -> dict[str, Any]:
    """Everything a live client shows, with the sequence number it is current to.

    The number is read first, in the same transaction: what follows is at least as new as it,
    so a client that applies events numbered above it misses nothing (an event may announce a
    change the snapshot already holds; events only say "refresh", so that is harmless). The
    shared part kept under that number was computed after it was read, so the same holds."""
    with transaction.atomic():
        row = Session.objects.filter(pk=session.pk).values("live_seq", "state", "title").get()
        shared = _shared_snapshot_cached(session, seq=row["live_seq"])
        open_poll = shared["open_poll"]
        return {
            "type": "snapshot",
            "seq": row["live_seq"],
            "language": get_language() or "zh-hans",
            "session": {"id": session.pk, "title": row["title"], "state": row["state"]},
            **shared,
            "open_poll": _open_poll_for(open_poll, person) if open_poll is not None else None,
        }


# ---------------------------------------------------------------------------------------------
# The hall's screen.

BAR_HEIGHT = 90
BAR_GAP = 40
CHART_WIDTH = 1000
LABEL_WIDTH = 300


def result_chart(bars: list[ResultBar]) -> dict[str, Any]:
    """A horizontal bar chart of a closed poll's result (`result_bars`, the poll card's figures),
    laid out for a server-rendered SVG: each bar with its label, its number and whether the
    option was elected, widths in proportion to the largest count."""
    largest = max((bar.votes for bar in bars), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 120
    laid_out = []
    for index, bar in enumerate(bars):
        top = index * (BAR_HEIGHT + BAR_GAP)
        width = max(round(room * bar.votes / largest), 4)
        laid_out.append(
            {
                "label": bar.label,
                "count": bar.votes,
                "elected": bar.elected,
                "tied": bar.tied,
                "y": top,
                "text_y": top + BAR_HEIGHT // 2 + 16,
                "x": LABEL_WIDTH,
                "width": width,
                "count_x": LABEL_WIDTH + width + 16,
            }
        )
    return {
        "bars": laid_out,
        "width": CHART_WIDTH,
        "height": max(len(laid_out) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 20,
    }


def result_verdict(poll: Poll, bars: list[ResultBar]) -> dict[str, Any]:
    """What a closed vote decided, as the poll card words it: an advisory result (no rule decides
    it: `passed` is None) decides nothing; a motion passed or not; an election elected the
    options marked elected at its close (`PollOption.elected`), or no one."""
    if poll.passed is None:
        return {"kind": "advisory"}
    if poll.kind == PollKind.YES_NO:
        return {"kind": "motion", "passed": bool(poll.passed)}
    return {"kind": "election", "elected": [bar.label for bar in bars if bar.elected]}


def request_deadline(speaker: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(speaker["deadline"])


def hall_screen(session: Session) -> dict[str, Any]:
    """What the projector shows: the current item, its speaker and timer, the next speakers,
    the quorum, and the open poll's progress or else the latest result."""
    items = list(agenda_items(session))
    kinds = _kinds()
    current = next((item for item in items if item.state == ItemState.CURRENT), None)
    speakers = current_speakers(current.pk if current else None, speaking_seconds=session.speaking_seconds)
    speaking = next((s for s in speakers if s["state"] == SpeakerState.SPEAKING), None)
    if speaking is not None and speaking["deadline"]:
        left = max(0, int((request_deadline(speaking) - timezone.now()).total_seconds()))
        speaking["remaining"] = f"{left // 60}:{left % 60:02d}"
    waiting = [s for s in speakers if s["state"] == SpeakerState.WAITING][:HALL_NEXT_SPEAKERS]
    polls = live_polls(session)
    open_poll = next((poll for poll in reversed(polls) if poll.state == PollState.OPEN), None)
    latest = next((poll for poll in reversed(polls) if poll.state == PollState.CLOSED), None)
    progress = None
    if open_poll is not None:
        voted, entitled = poll_counts(open_poll.pk)
        progress = {
            "poll": open_poll,
            "voted": voted,
            "entitled": entitled,
            "percent": (voted * 100 // entitled) if entitled else 0,
        }
    shows_result = latest is not None and progress is None
    bars = result_bars(latest, list(latest.options.all())) if latest is not None and shows_result else []
    return {
        "current": current,
        "current_kind": kinds.get(current.polymorphic_ctype_id or 0) if current else None,
        "speaking": speaking,
        "waiting": waiting,
        "speaking_seconds": session.speaking_seconds,
        "quorum": quorum_summary(session),
        "progress": progress,
        "latest": latest,
        "latest_explanation": poll_explanation(latest) if latest else "",
        "verdict": result_verdict(latest, bars) if latest is not None and shows_result else None,
        "chart": result_chart(bars) if shows_result else None,
        "now": timezone.now(),
    }
