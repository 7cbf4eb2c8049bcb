"""Builders for the vote tests: an open session of a council with members present, a current
motion or election on its agenda, and polls on it."""

from dataclasses import dataclass, field

from django.utils import timezone

from consultations.models import (
    Attendance,
    CheckInMethod,
    ElectionCandidate,
    ElectionItem,
    ItemState,
    MotionItem,
    Poll,
    PollMethod,
    Session,
    SessionState,
)
from consultations.services.polls import poll_create, poll_open
from consultations.tests.attendance_testing import make_session, seat
from villagegov.models import Body, Council, Person, Role, User, Village
from villagegov.testing import council_of, make_person


@dataclass
class Meeting:
    village: Village
    council: Council
    session: Session
    chair: Person
    members: list[Person] = field(default_factory=list)

    @property
    def chair_user(self) -> User:
        assert self.chair.user is not None
        return self.chair.user


def seated_meeting(
    village: Village,
    *,
    body: Body = Body.REPRESENTATIVES_MEETING,
    members: int = 6,
    state: SessionState = SessionState.OPEN,
) -> Meeting:
    """A session of a seated council (representatives' meeting, board, …) with `members` seated
    members who have accounts, and a chair who is an official and a member too."""
    council = council_of(village, body)
    chair = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    seat(council, chair)
    people = [seat(council, make_person(village, with_account=True)) for _ in range(members - 1)]
    session = make_session(council, state=state, chair=chair)
    return Meeting(village=village, council=council, session=session, chair=chair, members=[chair, *people])


def members_assembly_meeting(village: Village, *, members: int = 6) -> Meeting:
    """A 成员大会: its members are the village's collective members."""
    council = council_of(village, Body.MEMBERS_ASSEMBLY)
    chair = make_person(village, roles=(Role.COMMITTEE_MEMBER, Role.COLLECTIVE_MEMBER), with_account=True)
    people = [
        make_person(village, roles=(Role.COLLECTIVE_MEMBER,), with_account=True) for _ in range(members - 1)
    ]
    session = make_session(council, state=SessionState.OPEN, chair=chair)
    return Meeting(village=village, council=council, session=session, chair=chair, members=[chair, *people])


def check_in(session: Session, *people: Person) -> None:
    recorder = session.chair.user
    assert recorder is not None
    for person in people:
        Attendance.objects.create(
            session=session,
            person=person,
            checked_in_at=timezone.now(),
            method=CheckInMethod.CLERK,
            recorded_by=recorder,
        )


def current_motion(meeting: Meeting, *, matter: str = "", position: int = 1) -> MotionItem:
    return MotionItem.objects.create(
        session=meeting.session,
        position=position,
        title="修村道",
        text="同意出资修村道",
        matter=matter,
        state=ItemState.CURRENT,
        started_at=timezone.now(),
        created_by=meeting.chair_user,
    )


def current_election(
    meeting: Meeting, *, seats: int = 1, candidates: list[Person] | None = None
) -> ElectionItem:
    item = ElectionItem.objects.create(
        session=meeting.session,
        position=1,
        title="选举村民小组长",
        office="村民小组长",
        seats=seats,
        state=ItemState.CURRENT,
        started_at=timezone.now(),
        created_by=meeting.chair_user,
    )
    for person in candidates or []:
        ElectionCandidate.objects.create(election=item, person=person)
    return item


def open_motion_poll(
    meeting: Meeting,
    *,
    present: int | None = None,
    secret: bool = False,
    allow_change: bool = False,
    method: str = PollMethod.ELECTRONIC,
) -> Poll:
    """A motion poll opened with the first `present` members checked in (all by default)."""
    check_in(meeting.session, *meeting.members[: present if present is not None else len(meeting.members)])
    item = current_motion(meeting)
    poll = poll_create(
        actor=meeting.chair_user,
        item=item,
        question="是否同意修村道？",
        method=method,
        secret=secret,
        allow_change=allow_change,
    )
    return poll_open(actor=meeting.chair_user, poll=poll)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def bare_poll(council: Council, *, candidates: int = 0, seats: int = 1, round_number: int = 1) -> Poll:
    """A poll made straight in the database (no service, no roll), for tests of the rule: a
    motion (in favour / against / abstain), or an election of `seats` from `candidates`."""
    from consultations.models import Answer, PollKind, PollOption

    meeting_session = make_session(council, state=SessionState.OPEN)
    user = meeting_session.created_by
    if candidates:
        item: MotionItem | ElectionItem = ElectionItem.objects.create(
            session=meeting_session, position=1, title="选举", office="组长", seats=seats, created_by=user
        )
        poll = Poll.objects.create(
            item=item,
            question="选举",
            kind=PollKind.SINGLE_CHOICE if seats == 1 else PollKind.MULTIPLE_CHOICE,
            max_choices=seats,
            round=round_number,
            created_by=user,
        )
        for position in range(1, candidates + 1):
            person = make_person(council.village)
            PollOption.objects.create(poll=poll, position=position, label=person.name, candidate=person)
        return poll
    item = MotionItem.objects.create(
        session=meeting_session, position=1, title="动议", text="动议", created_by=user
    )
    poll = Poll.objects.create(item=item, question="动议", created_by=user)
    for position, answer in enumerate(Answer, start=1):
        PollOption.objects.create(poll=poll, position=position, label=str(answer.label), answer=answer)
    return poll
