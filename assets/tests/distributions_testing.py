"""Builders for the distribution tests: a village with posted income and members holding shares,
plans drafted through the service and published, approved, reviewed with the models (so that the
gates can be met or missed one at a time)."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assets.models import Collective, DistributionPlan, Membership
from assets.services.collective import collective_install
from assets.services.distributions import distribution_draft, plan_digest
from assets.tests.ledger_testing import make_voucher
from assets.tests.members_testing import make_member
from consultations.matters import Matter
from consultations.models import MotionItem, Resolution, Session, SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_motion, make_resolution
from supervision.models import Review, ReviewState
from supervision.tests.reviews_testing import make_review
from villagegov.models import Body, Person, Role, User, Village
from villagegov.testing import council_of, make_person

YEAR = timezone.localdate().year - 1
RECORD_DATE = date(YEAR, 12, 31)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def accountant(village: Village) -> Person:
    """Manages distributions and publishes on the board (but does not run agendas)."""
    return make_person(village, name="报账员", roles=(Role.ACCOUNTANT,), with_account=True)


def collective_head(village: Village) -> Person:
    """Manages distributions but does not publish on the board."""
    return make_person(village, name="联合社负责人", roles=(Role.COLLECTIVE_HEAD,), with_account=True)


def post_income(village: Village, amount: Decimal | int | str, *, year: int = YEAR) -> None:
    """A posted voucher of `amount` operating income (501) received in the bank in `year`."""
    collective_install(village=village)
    make_voucher(village, (("102", amount, 0), ("501", 0, amount)), day=date(year, 3, 15))


def members_with(village: Village, shares: Sequence[Decimal | int | str]) -> list[Membership]:
    """One member per entry of `shares`, numbered 1, 2, … in order."""
    return [make_member(village, shares=value) for value in shares]


def make_plan(
    village: Village,
    by: User,
    *,
    income: Decimal | int | str | None = "10000.00",
    shares: Sequence[Decimal | int | str] | None = (1, 1, 1),
    losses: Decimal = Decimal("0.00"),
    rate: Decimal = Decimal("10"),
    year: int = YEAR,
    title: str = "2025年度收益分配方案",
) -> DistributionPlan:
    """A draft through the service, after posting `income` and making members with `shares`
    (skip either with None when the village has them already), the charter's reserve rate set
    to `rate`."""
    if income is not None:
        post_income(village, income, year=year)
    Collective.objects.filter(village=village).update(reserve_rate=rate)
    if shares is not None:
        members_with(village, shares)
    return distribution_draft(
        actor=by,
        village=village,
        year=year,
        title=title,
        record_date=RECORD_DATE if year == YEAR else date(year, 12, 31),
        losses_made_up=losses,
    )


def publish(plan: DistributionPlan, *, days_ago: int = 20) -> DistributionPlan:
    """Published (fingerprint and time) `days_ago` days ago, with the model (no board item)."""
    plan.digest = plan_digest(plan)
    plan.published_at = timezone.now() - timedelta(days=days_ago)
    plan.save(update_fields=["digest", "published_at"])
    return plan


def deciding_session(
    village: Village,
    *,
    body: Body = Body.MEMBERS_ASSEMBLY,
    state: SessionState = SessionState.ANNOUNCED,
    days_from_now: int = 0,
) -> Session:
    """A session of the village's `body` meeting `days_from_now` days from now."""
    session = make_session(council_of(village, body), state=state)
    if days_from_now:
        session.starts_at = session.starts_at + timedelta(days=days_from_now)
        session.save(update_fields=["starts_at"])
    return session


def put_to(plan: DistributionPlan, session: Session) -> MotionItem:
    """The plan's motion on `session`, made with the models, naming the plan's fingerprint as
    distribution_propose does."""
    motion = make_motion(
        session,
        title="收益分配方案",
        text=f"同意收益分配方案。表格指纹（SHA-256）：{plan.digest}。",
        matter=Matter.COLLECTIVE_DISTRIBUTION.value,
    )
    plan.motion = motion
    plan.save(update_fields=["motion"])
    return motion


def approve(
    plan: DistributionPlan,
    session: Session | None = None,
    *,
    passed: bool = True,
    resolution_published: bool = True,
) -> Resolution | None:
    """Put the plan to `session` (a 成员大会 meeting now if None), close a vote on it with the
    models (passed unless asked otherwise) and make its resolution (published unless asked)."""
    session = session or deciding_session(plan.village, state=SessionState.CLOSED)
    motion = put_to(plan, session)
    poll = make_closed_poll(
        session,
        item=motion,
        passed=passed,
        yes=25 if passed else 5,
        no=3,
        abstain=2,
        question="是否同意分配方案？",
    )
    if not passed:
        return None
    return make_resolution(poll, published_by=session.created_by if resolution_published else None)


def conclude_review(plan: DistributionPlan, *, state: ReviewState = ReviewState.CONCLUDED) -> Review:
    """A review by the supervision committee with the plan as its subject, concluded unless asked."""
    return make_review(plan.village, "voucher", title="审核收益分配方案", state=state, subject=plan)


def ready_to_pay(village: Village, by: User, **plan_fields: object) -> DistributionPlan:
    """A plan published 20 days ago, approved by the 成员大会 today, reviewed: every gate met."""
    plan = publish(make_plan(village, by, **plan_fields))  # type: ignore[arg-type]
    approve(plan)
    conclude_review(plan)
    return plan
