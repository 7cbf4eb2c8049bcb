"""Reads of a session's agenda: its items in order, what each kind is, and which body may decide
which matter (Art. 24 and 27 of the Organic Law; the 2024 law for the collective's income)."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.matters import DECIDED_BY, Matter, MatterRule
from consultations.models import (
    AgendaItem,
    Delegation,
    DiscussionItem,
    ElectionCandidate,
    ElectionItem,
    ItemState,
    MotionItem,
    Poll,
    PollState,
    ReportItem,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from villagegov.models import Body, Council, Person, Village


class ItemKind(StrEnum):
    DISCUSSION = "discussion"
    MOTION = "motion"
    ELECTION = "election"
    REPORT = "report"


KIND_MODELS: dict[ItemKind, type[AgendaItem]] = {
    ItemKind.DISCUSSION: DiscussionItem,
    ItemKind.MOTION: MotionItem,
    ItemKind.ELECTION: ElectionItem,
    ItemKind.REPORT: ReportItem,
}

KIND_LABELS = {
    ItemKind.DISCUSSION: gettext_lazy("discussion"),
    ItemKind.MOTION: gettext_lazy("motion to vote on"),
    ItemKind.ELECTION: gettext_lazy("election"),
    ItemKind.REPORT: gettext_lazy("report"),
}


def item_kind_from(value: str | None) -> ItemKind | None:
    """The kind named in a URL or form, or None for anything else."""
    try:
        return ItemKind(value or "")
    except ValueError:
        return None


def kind_of_ctype(ctype_id: int | None) -> ItemKind:
    """The kind of an item from its polymorphic content type (ContentType's cache: no query)."""
    for kind, model in KIND_MODELS.items():
        if ContentType.objects.get_for_model(model, for_concrete_model=False).pk == ctype_id:
            return kind
    return ItemKind.DISCUSSION


def kind_of(item: AgendaItem) -> ItemKind:
    for kind, model in KIND_MODELS.items():
        if type(item) is model:
            return kind
    return kind_of_ctype(item.polymorphic_ctype_id)


# ---- Which body may decide which matter ----


def body_label(body: str) -> str:
    try:
        return str(Body(body).label)
    except ValueError:
        return body


def delegations_in_force(village: Village, *, on: date) -> set[tuple[str, str]]:
    """The (matter, body) pairs the village's recorded delegations in force on `on` allow."""
    return set(
        Delegation.objects.filter(village=village, granted_on__lte=on)
        .exclude(revoked_on__lte=on)
        .values_list("matter", "body")
    )


def _bodies_words(rule: MatterRule) -> str:
    words = _(", ").join(str(allowed.label) for allowed in rule.bodies)
    if rule.delegable_to:
        delegated = _(", ").join(str(body.label) for body in rule.delegable_to)
        words = _("%(bodies)s (or %(delegated)s when it was delegated)") % {
            "bodies": words,
            "delegated": delegated,
        }
    return words


def matter_refusal(
    *,
    council: Council,
    matter: str,
    on: date | None = None,
    delegations: set[tuple[str, str]] | None = None,
) -> str | None:
    """Why a motion on `matter` cannot be put to `council`, naming the bodies that may decide it
    and the article; None if it can (or if the motion names no reserved matter). A body the law
    lets the matter be delegated to decides it only under a delegation the village recorded
    (`delegations`: those in force, when the caller has read them already)."""
    if not matter:
        return None
    try:
        key = Matter(matter)
    except ValueError:
        return _("This is not a matter the app knows.")
    rule = DECIDED_BY[key]
    if council.body in rule.bodies:
        return None
    values = {
        "body": body_label(council.body),
        "matter": key.label,
        "bodies": _bodies_words(rule),
        "citation": rule.citation,
    }
    if council.body in rule.delegable_to:
        if delegations is None:
            delegations = delegations_in_force(council.village, on=on or timezone.localdate())
        if (key.value, council.body) in delegations:
            return None
        return (
            _(
                "A %(body)s decides on %(matter)s only when it was delegated, and this village has "
                "recorded no such delegation. Only %(bodies)s may decide it (%(citation)s)."
            )
            % values
        )
    return _("A %(body)s cannot decide on %(matter)s. Only %(bodies)s may decide it (%(citation)s).") % values


@dataclass(frozen=True)
class MatterLine:
    matter: Matter
    label: str
    bodies: str
    citation: str


def matter_line(matter: str) -> MatterLine | None:
    """A reserved matter with the bodies that may decide it and the article, for display."""
    try:
        key = Matter(matter)
    except ValueError:
        return None
    rule = DECIDED_BY[key]
    return MatterLine(matter=key, label=str(key.label), bodies=_bodies_words(rule), citation=rule.citation)


def matters_not_decided_by(council: Council) -> list[MatterLine]:
    """The reserved matters this council cannot decide today, each with who can: the motion form
    says so before anyone types."""
    delegations = delegations_in_force(council.village, on=timezone.localdate())
    lines = [
        matter_line(matter)
        for matter in DECIDED_BY
        if matter_refusal(council=council, matter=matter, delegations=delegations)
    ]
    return [line for line in lines if line is not None]


# ---- The agenda ----


def plain_items(**filters: Any) -> QuerySet[AgendaItem]:
    """Items as plain AgendaItem rows (no per-kind queries), filtered by `filters`."""
    return cast("QuerySet[AgendaItem]", AgendaItem.objects.filter(**filters).non_polymorphic())


def session_items(session: Session) -> QuerySet[AgendaItem]:
    """The session's items in agenda order, without the per-kind rows (one query)."""
    return plain_items(session=session).order_by("position", "id")


def village_item(village: Village, session_id: int, item_id: int) -> AgendaItem | None:
    """An item of one of the village's sessions, as its own kind; None for anyone else's."""
    return (
        AgendaItem.objects.filter(pk=item_id, session_id=session_id, session__council__village=village)
        .select_related("session__council__village", "session__chair")
        .first()
    )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    kind: ItemKind
    kind_label: str
    speaker: Person | None
    waiting: int
    first: bool
    last: bool

    @property
    def is_current(self) -> bool:
        return self.item.state == ItemState.CURRENT


def agenda_rows(session: Session) -> list[AgendaRow]:
    """Every item with its kind, its current speaker and how many wait: three queries, whatever
    the length of the agenda."""
    items = list(
        session_items(session).annotate(
            waiting=Count("speakers", filter=Q(speakers__state=SpeakerState.WAITING))
        )
    )
    speaking = {
        request.item_id: request.person
        for request in SpeakerRequest.objects.filter(
            item__session=session, state=SpeakerState.SPEAKING
        ).select_related("person")
    }
    return [
        AgendaRow(
            item=item,
            kind=kind_of_ctype(item.polymorphic_ctype_id),
            kind_label=str(KIND_LABELS[kind_of_ctype(item.polymorphic_ctype_id)]),
            speaker=speaking.get(item.pk),
            waiting=item.waiting,
            first=index == 0,
            last=index == len(items) - 1,
        )
        for index, item in enumerate(items)
    ]


def agenda_open_for_changes(session: Session) -> bool:
    return session.state != SessionState.CLOSED


def open_poll_on(item: AgendaItem) -> Poll | None:
    return Poll.objects.filter(item=item, state=PollState.OPEN).first()


def election_candidates(item: ElectionItem) -> QuerySet[ElectionCandidate]:
    return ElectionCandidate.objects.filter(election=item).select_related("person__household").order_by("id")


def candidate_choices(village: Village) -> QuerySet[Person]:
    """Who may stand: people on the village's roster who have not left it."""
    return Person.objects.filter(village=village, left_on__isnull=True).order_by("name", "pk")


# ---- The speaking timer ----


@dataclass(frozen=True)
class SpeakingTimer:
    deadline: datetime
    remaining_seconds: int  # negative when over time

    @property
    def over_time(self) -> bool:
        return self.remaining_seconds < 0

    @property
    def display(self) -> str:
        seconds = max(self.remaining_seconds, 0)
        return f"{seconds // 60}:{seconds % 60:02d}"

    @property
    def iso(self) -> str:
        return self.deadline.isoformat()


def speaking_timer(
    request: SpeakerRequest, session: Session, *, now: datetime | None = None
) -> SpeakingTimer | None:
    """The current speaker's deadline (began + the session's speaking time) and what is left."""
    if request.state != SpeakerState.SPEAKING or request.started_at is None:
        return None
    deadline = request.started_at + timedelta(seconds=session.speaking_seconds)
    left = (deadline - (now or timezone.now())).total_seconds()
    # Whole seconds, rounded towards "less time left" so the display never flatters the speaker.
    remaining = math.floor(left)
    return SpeakingTimer(deadline=deadline, remaining_seconds=remaining)


def item_summary(item: AgendaItem) -> dict[str, Any]:
    """The kind-specific facts of an item for its page."""
    kind = kind_of(item)
    summary: dict[str, Any] = {"kind": kind, "kind_label": str(KIND_LABELS[kind])}
    if isinstance(item, MotionItem):
        summary["matter"] = matter_line(item.matter) if item.matter else None
    if isinstance(item, ElectionItem):
        summary["candidates"] = list(election_candidates(item))
    return summary
