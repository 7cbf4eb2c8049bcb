"""Builders for the minutes, resolution and decision tests: agenda items, speakers and closed votes
made directly with the models, so these tests do not depend on the agenda and poll services."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from consultations.models import (
    AgendaItem,
    Answer,
    DecisionProcess,
    Delegation,
    MotionItem,
    Poll,
    PollMethod,
    PollOption,
    PollState,
    Resolution,
    Session,
    SpeakerRequest,
    SpeakerState,
)
from villagegov.models import Body, Person, User, Village


def next_position(session: Session) -> int:
    """After the session's last item: the agenda's order is what the minutes follow."""
    positions = AgendaItem.objects.filter(session=session).values_list("position", flat=True)
    return 1 + max(positions, default=0)


def make_motion(
    session: Session,
    *,
    title: str = "修建村道",
    text: str = "同意修建村东至村西的道路。",
    matter: str = "",
) -> MotionItem:
    chair_user = session.created_by
    now = timezone.now()
    return MotionItem.objects.create(
        session=session,
        # After the session's last item: the agenda's order is what the minutes follow.
        position=1
        + max(AgendaItem.objects.filter(session=session).values_list("position", flat=True), default=0),
        title=title,
        text=text,
        matter=matter,
        state="done",
        started_at=now,
        ended_at=now,
        created_by=chair_user,
    )


def make_closed_poll(
    session: Session,
    *,
    item: AgendaItem | None = None,
    passed: bool | None = True,
    yes: int = 15,
    no: int = 3,
    abstain: int = 2,
    question: str = "是否同意修建村道？",
    state: PollState = PollState.CLOSED,
    matter: str = "",
    closed_at: datetime | None = None,
) -> Poll:
    """A yes/no vote on `item` (a new motion on `matter` if none), closed (now, or at `closed_at`)
    with these counts and explained."""
    item = item or make_motion(session, matter=matter)
    now = closed_at or timezone.now()
    poll = Poll.objects.create(
        item=item,
        question=question,
        method=PollMethod.SHOW_OF_HANDS,
        state=state,
        opened_at=None if state == PollState.CREATED else now - timedelta(minutes=10),
        closed_at=now if state == PollState.CLOSED else None,
        entitled_count=yes + no + abstain + 1,
        tellers="张计票、李监票",
        created_by=session.created_by,
    )
    options = {
        answer: PollOption.objects.create(poll=poll, position=i, label=str(answer.label), answer=answer)
        for i, answer in enumerate([Answer.YES, Answer.NO, Answer.ABSTAIN], start=1)
    }
    if state == PollState.CLOSED:
        poll.votes_cast = yes + no + abstain
        poll.counts = {
            str(options[Answer.YES].pk): yes,
            str(options[Answer.NO].pk): no,
            str(options[Answer.ABSTAIN].pk): abstain,
        }
        poll.passed = passed
        poll.explanation_zh = f"赞成{yes}票，超过到会人员的半数，通过。《村民委员会组织法》第二十六条"
        poll.explanation_en = (
            f"{yes} in favour, more than half of the attendees: passed. Organic Law, Art. 26"
        )
        poll.save()
    return poll


def make_speaker(
    item: MotionItem, person: Person, *, state: SpeakerState = SpeakerState.DONE
) -> SpeakerRequest:
    now = timezone.now()
    return SpeakerRequest.objects.create(
        item=item,
        person=person,
        requested_at=now,
        state=state,
        started_at=now if state in (SpeakerState.DONE, SpeakerState.SPEAKING) else None,
        ended_at=now if state == SpeakerState.DONE else None,
    )


def make_resolution(
    poll: Poll, *, published_by: User | None = None, published_at: datetime | None = None
) -> Resolution:
    return Resolution.objects.create(
        session=poll.item.session,
        poll=poll,
        title="关于修建村道的决议",
        text="同意修建村道。",
        published_at=(published_at or timezone.now()) if published_by else None,
        published_by=published_by,
    )


def delegate(
    village: Village, matter: str, body: Body, actor: User, *, granted_on: date | None = None
) -> Delegation:
    """The assembly's delegation of `matter` to `body`, in force (made with the model)."""
    return Delegation.objects.create(
        village=village,
        matter=matter,
        body=body,
        granted_on=granted_on or timezone.localdate() - timedelta(days=365),
        document="村民会议决议（授权村民代表会议）",
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


def record_steps(process: DecisionProcess, actor: User, *, upto: int, poll: Poll | None = None) -> None:
    """Record the steps 1..`upto` of `process` today through the service (step 4 names `poll`)."""
    from consultations.services.decisions import decision_step_record

    for step in range(1, upto + 1):
        decision_step_record(
            actor=actor,
            process=process,
            step=step,
            held_on=timezone.localdate(),
            participants="两委成员9人",
            document=f"第{step}步的记录",
            poll=poll if step == 4 else None,
        )
