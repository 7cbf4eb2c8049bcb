"""The supervision part of the demo village, added by `seed_demo` after the consultations part.

Everything goes through the services, as the committee and the officials would: a voucher review
signed by the committee's majority, a project review with findings (one answered by the
accountant, one entered from the committee's paper records and overdue), a formal question to the
village committee's chair, and a complete disclosure board: finances and general affairs for every
period the schedule shows, each decision on an Art. 24 matter disclosed in its section, and the
committee's concluded check of the last quarter; and this year's democratic appraisal (民主评议) of
the village committee at today's representatives' meeting, every member rated competent or
basically competent.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from consultations.demo import DEMO_CLOSED_TITLE
from consultations.models import Session
from supervision.models import DisclosureSection, Review, SignOffDecision
from supervision.selectors.appraisal import appraised_seats, session_attendees
from supervision.selectors.committee import committee_in_office, committee_member_count, signatures_needed
from supervision.selectors.disclosure import (
    SCHEDULE_PERIODS,
    Cadence,
    Period,
    complete_periods,
    due_matters,
    finance_monthly,
    section_cadence,
)
from supervision.services.appraisal import appraisal_create, appraisal_result_record
from supervision.services.disclosure import disclosure_publish
from supervision.services.findings import finding_answer, finding_create
from supervision.services.questions import question_ask
from supervision.services.reviews import review_create, review_sign
from villagegov.models import Body, Council, Person, Role, User, Village
from villagegov.selectors.councils import council_members
from villagegov.selectors.roster import people_with_role
from villagegov.services.invitations import invitation_claim, invitation_issue


def demo_supervisors(village: Village, clerk: User) -> list[User]:
    """The committee's members in office, chair first, each with an account: a member without one
    is invited by the clerk and claims it at once with an account they cannot log in with (they
    sign at the committee's terminal in the demo)."""
    today = timezone.localdate()
    members = sorted(
        committee_in_office(village, on=today), key=lambda member: (not member.is_chair, member.seat.pk)
    )
    users = []
    for member in members:
        person = member.person
        if person.user is None:
            account = User.objects.create_user(username=f"jianwei{person.pk}")  # no password: unusable
            invitation_claim(invitation=invitation_issue(actor=clerk, person=person), user=account)
            person.refresh_from_db(fields=["user"])
        assert person.user is not None
        users.append(person.user)
    return users


def _holder(village: Village, role: Role) -> Person:
    person = people_with_role(village, role, on=timezone.localdate()).filter(user__isnull=False).first()
    assert person is not None and person.user is not None, f"the demo has a login with the role {role}"
    return person


def _reviews(village: Village, supervisors: list[User], accountant: Person) -> None:
    chair, *others = supervisors
    voucher = review_create(
        actor=chair,
        village=village,
        kind="voucher",
        title="村道修缮材料费报销凭证",
        summary="核对发票、入库单和经手人签字，金额与合同一致。",
        fields={
            "voucher_number": "记-2026-10-015",
            "voucher_date": timezone.localdate() - timedelta(days=20),
            "amount": Decimal("18650.00"),
            "payee": "东莞市某建材有限公司",
        },
    )
    sign_by_majority(voucher, supervisors)
    project = review_create(
        actor=chair,
        village=village,
        kind="project",
        title="文化广场改造工程验收",
        summary="现场查看广场地面、排水和照明，对照合同清单逐项验收。",
        fields={"project_name": "文化广场改造工程", "stage": "acceptance", "budget": Decimal("260000.00")},
    )
    drains = finding_create(
        actor=chair,
        review=project,
        description="广场东侧排水沟盖板有3处松动，雨天积水。",
        required_action="督促施工单位在保修期内更换盖板，并提交整改照片。",
        responsible=accountant,
        deadline=timezone.localdate() + timedelta(days=14),
    )
    assert accountant.user is not None
    finding_answer(
        actor=accountant.user,
        finding=drains,
        text="施工单位已于本周更换全部松动盖板，照片存档于村委会。",
    )
    finding_create(
        actor=chair,
        review=project,
        description="验收资料缺少隐蔽工程记录。",
        required_action="补齐隐蔽工程验收记录并交监委会审核。",
        responsible=accountant,
        deadline=timezone.localdate() + timedelta(days=7),
    )
    # From the committee's paper records of last month's site visit: its deadline has passed.
    finding_create(
        actor=chair,
        review=project,
        description="广场照明线路未穿管敷设，存在安全隐患。",
        required_action="按图纸穿管重新敷设照明线路，并由电工出具检测记录。",
        responsible=accountant,
        deadline=timezone.localdate() - timedelta(days=10),
        recorded_on=timezone.localdate() - timedelta(days=30),
    )
    if others:
        review_sign(actor=others[0], review=project, decision=SignOffDecision.SIGN)


def sign_by_majority(review: Review, supervisors: list[User]) -> None:
    needed = signatures_needed(committee_member_count(review.village, on=timezone.localdate()))
    for user in supervisors[:needed]:
        review_sign(actor=user, review=review, decision=SignOffDecision.SIGN)


FINANCES_BODY = (
    "收入：物业租金 186,400.00 元；支出：管理费用 23,150.00 元，公益支出 41,800.00 元。明细见附表。"
)
GENERAL_BODY = "本期召开村民代表会议2次，办理群众反映事项11件，发放高龄津贴38人次。"


def _period_title(period: Period, *, monthly: bool) -> str:
    end = period.end
    if monthly:
        return f"{end.year}年{end.month}月"
    return f"{end.year}年第{(end.month - 1) // 3 + 1}季度"


def _disclosure(village: Village, publisher: User, supervisors: list[User]) -> None:
    """Every period the schedule shows, oldest first, and every decision waiting to be disclosed."""
    today = timezone.localdate()
    for section, kind, body in (
        (DisclosureSection.FINANCES, "财务收支公开", FINANCES_BODY),
        (DisclosureSection.GENERAL, "村务公开", GENERAL_BODY),
    ):
        monthly = section_cadence(section, finances_monthly=finance_monthly(village)) == Cadence.MONTHLY
        for period in reversed(complete_periods(today, monthly=monthly, count=SCHEDULE_PERIODS)):
            disclosure_publish(
                actor=publisher,
                village=village,
                section=section,
                title=f"{_period_title(period, monthly=monthly)}{kind}",
                body=body,
                period_start=period.start,
                period_end=period.end,
            )
    for due in due_matters(village):
        disclosure_publish(
            actor=publisher,
            village=village,
            section=due.section,
            title=f"重大事项公开：{due.resolution.title if due.resolution else due.poll.question}",
            body=f"{due.matter.label}经{due.poll.item.session.council.name}表决通过，现予公开，"
            "接受村民监督。如有异议，请在公开期内向村委会或村务监督委员会提出。",
            source=due.source,
        )
    quarter = complete_periods(today, monthly=False, count=1)[0]
    check = review_create(
        actor=supervisors[0],
        village=village,
        kind="disclosure_check",
        title="上季度村务公开检查",
        summary="公开栏按时更新，财务明细与账目一致。",
        fields={"period_start": quarter.start, "period_end": quarter.end},
    )
    sign_by_majority(check, supervisors)


def _appraisal(village: Village, chair: User) -> None:
    """This year's appraisal at today's closed representatives' meeting: most present rate each
    member competent, a few basically competent; nobody's office is at stake."""
    session = Session.objects.filter(
        council__village=village, council__body=Body.REPRESENTATIVES_MEETING, title=DEMO_CLOSED_TITLE
    ).first()
    if session is None:
        return
    appraisal = appraisal_create(
        actor=chair, village=village, year=timezone.localdate(session.starts_at).year, session=session
    )
    present = session_attendees(session)
    for index, seat in enumerate(appraised_seats(appraisal)):
        basically = 2 + index % 3
        incompetent = index % 2
        # The second member: more than half basically competent, so not 称职.
        competent = present // 3 if index == 1 else present - basically - incompetent - 1
        if index == 1:
            basically = present - competent - incompetent - 1
        appraisal_result_record(
            actor=chair,
            appraisal=appraisal,
            person=seat.person,
            competent=max(competent, 0),
            basically_competent=max(basically, 0),
            incompetent=incompetent,
        )


def demo_build(*, village: Village) -> None:
    """Idempotent: a village with reviews is left as it is."""
    if Review.objects.filter(village=village).exists():
        return
    clerk = _holder(village, Role.CLERK)
    assert clerk.user is not None
    supervisors = demo_supervisors(village, clerk.user)
    accountant = _holder(village, Role.ACCOUNTANT)
    _reviews(village, supervisors, accountant)
    _disclosure(village, clerk.user, supervisors)
    _appraisal(village, supervisors[0])
    chair = Council.objects.get(village=village, body=Body.VILLAGE_COMMITTEE)
    chair_person = next(
        (p for p in council_members(chair, on=timezone.localdate()) if p.user_id),
        None,
    )
    if chair_person is not None:
        question_ask(
            actor=supervisors[0],
            village=village,
            text="村道硬化工程预算38万元中，村集体承担的18万元从哪项收益列支？请书面答复。",
            due_on=timezone.localdate() + timedelta(days=10),
            person=chair_person,
        )
