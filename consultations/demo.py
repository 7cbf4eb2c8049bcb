"""The consultations part of the demo village, added by `seed_demo` after the core's roster.

`seed_demo` calls `demo_build(village=...)` of every installed app that has a `demo` module, so the
core never imports the apps that build on it. Everything here goes through the services, as a
village's officials would: the audit log, the notifications and the rules are the real ones.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from consultations.matters import Matter
from consultations.models import (
    Answer,
    CheckInMethod,
    DecisionStepKind,
    MotionItem,
    Poll,
    PollMethod,
    Resolution,
    Session,
    TopicState,
)
from consultations.selectors.agenda import ItemKind
from consultations.services.agenda import agenda_item_create, agenda_item_finish, agenda_item_start
from consultations.services.attendance import attendance_check_in
from consultations.services.decisions import decision_create, decision_step_record
from consultations.services.delegations import delegation_record
from consultations.services.minutes import minutes_sign, minutes_update
from consultations.services.polls import poll_count_record, poll_create, poll_open
from consultations.services.resolutions import resolution_create, resolution_publish
from consultations.services.sessions import session_announce, session_close, session_create, session_open
from consultations.services.topics import topic_answer, topic_create, topic_support
from villagegov.models import Body, Council, Person, Role, SeatPosition, User, Village
from villagegov.selectors.councils import council_members
from villagegov.selectors.roster import people_with_role

DEMO_SESSION_TITLE = "村道硬化工程方案议事"
DEMO_NOTICE_DAYS = 12
DEMO_CLOSED_TITLE = "2026年第四季度村民代表会议"
MOTION_TEXT = (
    "拟对村内主干道（榕树围至新村牌坊段，长约1.2公里）进行水泥硬化，预算38万元，"
    "其中上级以奖代补资金20万元，村集体经济收益安排18万元；施工单位通过镇公共资源交易平台公开招标确定。"
)
DISTRIBUTION_TEXT = (
    "2026年度村集体经营收入扣除管理费用后，按章程提取公积公益金后，安排12万元用于村内老人节慰问和助学金，"
    "其余按股份分配方案另行提交股份经济联合社成员大会表决。"
)


def demo_chair(village: Village) -> Person:
    today = timezone.localdate()
    seat = (
        Council.objects.get(village=village, body=Body.VILLAGE_COMMITTEE)
        .seats.select_related("person__user")
        .filter(position=SeatPosition.CHAIR, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .get()
    )
    assert seat.person.user is not None, "the demo's committee chair has a login"
    return seat.person


def demo_user_with_role(village: Village, role: Role) -> User:
    person = people_with_role(village, role, on=timezone.localdate()).filter(user__isnull=False).first()
    assert person is not None and person.user is not None, f"the demo has a login with the role {role}"
    return person.user


def _at(days_from_today: int, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days_from_today), at))


def _announced_meeting(*, village: Village, council: Council, chair: Person) -> None:
    """The representatives' meeting twelve days ahead, with a motion ready to be put to the vote."""
    assert chair.user is not None
    actor = chair.user
    session = session_create(
        actor=actor,
        council=council,
        title=DEMO_SESSION_TITLE,
        chair=chair,
        place="村委会二楼会议室",
        starts_at=_at(DEMO_NOTICE_DAYS, time(19, 30)),
    )
    session_announce(actor=actor, session=session)
    agenda_item_create(
        actor=actor,
        session=session,
        kind=ItemKind.REPORT,
        title="通报：第三季度村务、财务收支情况",
        description="由报账员通报7—9月收支明细，监委会通报审核意见。",
    )
    motion = agenda_item_create(
        actor=actor,
        session=session,
        kind=ItemKind.MOTION,
        title="村道硬化工程实施方案",
        text=MOTION_TEXT,
        matter=Matter.PUBLIC_WELFARE_PROJECT,
    )
    poll_create(actor=actor, item=motion, question="是否同意村道硬化工程实施方案？")


def demo_meeting_open(*, council: Council, chair: Person, title: str, clerk: User) -> Session:
    """A meeting held as the demo loads (a session is announced before its time and opened on
    its day), with everyone but a few checked in by the clerk: well above a two-thirds quorum."""
    assert chair.user is not None
    actor = chair.user
    session = session_create(
        actor=actor,
        council=council,
        title=title,
        chair=chair,
        place="村委会二楼会议室",
        starts_at=timezone.now() + timedelta(seconds=1),
    )
    session_announce(actor=actor, session=session, short_notice_acknowledged=True)
    session_open(actor=actor, session=session)
    members = list(council_members(council, on=timezone.localdate()).order_by("pk"))
    for index, person in enumerate(members):
        if index % 7 != 3:
            attendance_check_in(actor=clerk, session=session, person=person, method=CheckInMethod.CLERK)
    return session


def demo_motion_carry(*, actor: User, item: MotionItem, question: str, tellers: str) -> Poll:
    """Take up the motion and carry it by a show of hands: all present for but three."""
    agenda_item_start(actor=actor, item=item)
    poll = poll_create(actor=actor, item=item, question=question, method=PollMethod.SHOW_OF_HANDS)
    poll = poll_open(actor=actor, poll=poll)
    options = {option.answer: option.pk for option in poll.options.all()}
    against, abstaining = 2, 1
    present = poll.entitled_count or 0
    counts = {
        options[Answer.YES]: present - against - abstaining,
        options[Answer.NO]: against,
        options[Answer.ABSTAIN]: abstaining,
    }
    poll = poll_count_record(actor=actor, poll=poll, counts=counts, tellers=tellers)
    agenda_item_finish(actor=actor, item=item)
    return poll


def demo_meeting_close(*, actor: User, clerk: User, session: Session, poll: Poll, notes: str) -> Resolution:
    """Close the meeting, publish the resolution of its vote, and sign the minutes."""
    session_close(actor=actor, session=session)
    resolution = resolution_create(actor=clerk, session=session, poll=poll)
    resolution_publish(actor=clerk, resolution=resolution)
    minutes_update(actor=clerk, session=session, notes=notes)
    minutes_sign(actor=actor, session=session)
    return resolution


def _closed_meeting(*, village: Village, council: Council, chair: Person) -> None:
    """Today's representatives' meeting: held, voted by show of hands, minutes signed and
    the resolution on the public board, with its 四议两公开 record up to the publication."""
    assert chair.user is not None
    actor = chair.user
    clerk = demo_user_with_role(village, Role.CLERK)
    session = demo_meeting_open(council=council, chair=chair, title=DEMO_CLOSED_TITLE, clerk=clerk)
    item = agenda_item_create(
        actor=actor,
        session=session,
        kind=ItemKind.MOTION,
        title="2026年度集体收益使用方案",
        text=DISTRIBUTION_TEXT,
        matter=Matter.COLLECTIVE_INCOME_USE,
    )
    assert isinstance(item, MotionItem)
    poll = demo_motion_carry(
        actor=actor,
        item=item,
        question="是否同意2026年度集体收益使用方案？",
        tellers="计票人：黄丽珍；监票人：陈国栋",
    )
    demo_meeting_close(
        actor=actor,
        clerk=clerk,
        session=session,
        poll=poll,
        notes="会议由村委会主任主持。报账员说明了方案的资金来源，代表们就助学金发放范围提出意见，"
        "会议同意由村委会会同监委会制定发放细则后公示。",
    )
    _decision_record(village=village, actor=actor, poll=poll)


def _decision_record(*, village: Village, actor: User, poll: Poll) -> None:
    process = decision_create(
        actor=actor, village=village, title="2026年度集体收益使用方案", matter=Matter.COLLECTIVE_INCOME_USE
    )
    today = timezone.localdate()
    steps = (
        (DecisionStepKind.PROPOSAL, 20, "村党总支委员会", "村党总支关于2026年度集体收益使用的提议"),
        (DecisionStepKind.CONSULTATION, 14, "村“两委”班子成员", "村“两委”联席会议纪要"),
        (DecisionStepKind.REVIEW, 7, "村党员大会（到会党员42人）", "党员大会审议意见"),
        (DecisionStepKind.DECISION, 0, "村民代表会议", "村民代表会议表决结果"),
        (DecisionStepKind.RESOLUTION_PUBLISHED, 0, "村务公开栏、本系统公开栏", "决议全文已公开"),
    )
    for step, days_ago, participants, document in steps:
        decision_step_record(
            actor=actor,
            process=process,
            step=step,
            held_on=today - timedelta(days=days_ago),
            participants=participants,
            document=document,
            poll=poll if step == DecisionStepKind.DECISION else None,
        )


def _topics(*, village: Village) -> None:
    """Matters residents raised: one handled directly, one gathering support."""
    resident = demo_user_with_role(village, Role.RESIDENT)
    representative = demo_user_with_role(village, Role.REPRESENTATIVE)
    official = demo_user_with_role(village, Role.CLERK)
    council = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    lamps = topic_create(
        actor=resident,
        council=council,
        title="村口至祠堂路段路灯不亮",
        body="村口到陈氏祠堂一段有4盏路灯坏了一个多月，晚上老人出门不安全，希望尽快维修。",
    )
    topic_support(actor=representative, topic=lamps)
    topic_answer(
        actor=official,
        topic=lamps,
        outcome=TopicState.HANDLED,
        answer="已联系供电所，4盏路灯已于本周更换灯具并恢复照明。",
    )
    topic_create(
        actor=representative,
        council=council,
        title="建议在文化广场增设老年人健身器材",
        body="文化广场现有器材多为儿童设施，建议增设适合老年人的健身器材和休息座椅。",
    )


def _delegations(*, village: Village, actor: User) -> None:
    """The village charter, adopted by the villagers' assembly, lets the representatives decide
    the Art. 24 matters of the demo's motions."""
    for matter in (Matter.PUBLIC_WELFARE_PROJECT, Matter.COLLECTIVE_INCOME_USE):
        delegation_record(
            actor=actor,
            village=village,
            matter=matter,
            body=Body.REPRESENTATIVES_MEETING,
            granted_on=date(2023, 3, 15),
            document="村民自治章程第十二条（2023年3月15日村民会议通过）",
        )


def demo_build(*, village: Village) -> None:
    """An announced 村民代表会议 twelve days after the first load with a motion ready to vote,
    today's closed meeting with signed minutes and a published resolution, and matters
    raised by residents. Idempotent: a village that has sessions is left as it is."""
    if Session.objects.filter(council__village=village).exists():
        return
    council = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    chair = demo_chair(village)
    assert chair.user is not None
    _delegations(village=village, actor=chair.user)
    _closed_meeting(village=village, council=council, chair=chair)
    _announced_meeting(village=village, council=council, chair=chair)
    _topics(village=village)
