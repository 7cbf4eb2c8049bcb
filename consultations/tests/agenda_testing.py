"""Builders for the agenda, speaker and discussion tests: an open meeting with members present,
and items of each kind."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import (
    AgendaItem,
    Attendance,
    CheckInMethod,
    Delegation,
    DiscussionItem,
    ElectionItem,
    ItemState,
    MotionItem,
    ReportItem,
    Session,
    SessionState,
)
from consultations.selectors.agenda import plain_items
from consultations.tests.attendance_testing import make_session, representatives_meeting, seat
from villagegov.models import Body, Person, User, Village
from villagegov.testing import make_person


@dataclass
class Meeting:
    session: Session
    chair: Person  # an official: runs the agenda and moderates
    members: list[Person]  # seated on the council, with accounts, checked in

    @property
    def village(self) -> Village:
        return self.session.council.village


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def present(session: Session, person: Person) -> Person:
    Attendance.objects.create(
        session=session,
        person=person,
        checked_in_at=timezone.now(),
        method=CheckInMethod.CLERK,
        recorded_by=user_of(session.chair),
    )
    return person


def make_meeting(
    village: Village, chair: Person, *, state: SessionState = SessionState.OPEN, members: int = 3
) -> Meeting:
    """A representatives' meeting of `village` chaired by `chair`, with `members` seated members
    (with accounts) checked in."""
    session = make_session(representatives_meeting(village), state=state, chair=chair)
    people = [seat(session.council, make_person(village, with_account=True)) for _ in range(members)]
    if state in (SessionState.ANNOUNCED, SessionState.OPEN):
        for person in people:
            present(session, person)
    return Meeting(session=session, chair=chair, members=people)


KINDS: dict[str, type[AgendaItem]] = {
    "discussion": DiscussionItem,
    "motion": MotionItem,
    "election": ElectionItem,
    "report": ReportItem,
}


def add_item(
    session: Session,
    *,
    kind: str = "discussion",
    title: str = "修路",
    state: ItemState = ItemState.PENDING,
    **fields: Any,
) -> AgendaItem:
    """An item at the end of the agenda, in `state` (with the times its state needs)."""
    last = plain_items(session=session).order_by("-position").first()
    if kind == "motion":
        fields.setdefault("text", "同意修建村道")
    if kind == "election":
        fields.setdefault("office", "村民小组长")
    now = timezone.now()
    return KINDS[kind].objects.create(
        session=session,
        position=(last.position if last else 0) + 1,
        title=title,
        state=state,
        started_at=None if state == ItemState.PENDING else now,
        ended_at=now if state == ItemState.DONE else None,
        created_by=user_of(session.chair),
        **fields,
    )


def closed_behind_the_services(session: Session) -> Session:
    """Mark the session closed as it stands (whatever is under way stays so), to test that nothing
    changes a closed session's record afterwards."""
    Session.objects.filter(pk=session.pk).update(state=SessionState.CLOSED, closed_at=timezone.now())
    session.refresh_from_db()
    return session


def delegate(
    village: Village, matter: Matter, actor: User, *, body: Body = Body.REPRESENTATIVES_MEETING
) -> Delegation:
    """Record that the assembly delegated `matter` to `body` (in force since last year)."""
    return Delegation.objects.create(
        village=village,
        matter=matter,
        body=body,
        granted_on=timezone.localdate() - timedelta(days=365),
        document="村民自治章程第十二条",
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


def item_url(name: str, item: AgendaItem, village: Village | None = None) -> str:
    village = village or item.session.council.village
    return reverse(name, args=[village.admin_code, item.session_id, item.pk])


def session_url(name: str, session: Session, village: Village | None = None) -> str:
    village = village or session.council.village
    return reverse(name, args=[village.admin_code, session.pk])


def refused_everywhere(
    url: str, *, resident: Client, outsider: Client, anonymous: Client, data: dict[str, Any] | None = None
) -> None:
    """A page of MANAGE_AGENDA or MODERATE_DISCUSSION: 403 to a villager without the role, 404 to
    an official of another village, login for the anonymous."""
    assert resident.post(url, data or {}).status_code == 403
    assert outsider.post(url, data or {}).status_code == 404
    response = anonymous.post(url, data or {})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
