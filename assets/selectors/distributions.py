"""Reads of distribution plans (收益分配方案): who sees which, the allocation table, the payment
totals, the sessions a plan may be put to, and the three gates before it is paid."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assets.models import Allocation, DistributionPlan
from assets.values import digits, money_sum
from consultations.matters import DECIDED_BY, Matter
from consultations.models import Poll, PollState, Resolution, Session, SessionState
from consultations.selectors.agenda import body_label, delegations_in_force, matter_refusal
from consultations.selectors.sessions import session_day
from supervision.selectors.reviews import subject_review_concluded
from villagegov.formats import local_date, yuan
from villagegov.models import Body, Person, Village

ALLOCATION_PAGE_SIZE = 50
PLAN_PAGE_SIZE = 20
# The plan is open to members this many days before the meeting that decides it (DOMAIN.md).
NOTICE_DAYS = 10
DECIDING_BODIES = (Body.MEMBERS_ASSEMBLY, Body.MEMBERS_REPRESENTATIVES)


def notice_citation() -> str:
    return _("Law on Rural Collective Economic Organisations, Arts. 26–27")


def review_citation() -> str:
    return _("Organic Law of the Villagers' Committees, Art. 32")


def visible_plans(village: Village, *, sees_drafts: bool) -> QuerySet[DistributionPlan]:
    """The village's plans, newest year first: the published ones for everyone of the village,
    drafts too for those who see the finances (VIEW_FINANCES). With the number of members."""
    plans = DistributionPlan.objects.filter(village=village).annotate(members=Count("allocations"))
    if not sees_drafts:
        plans = plans.filter(published_at__isnull=False)
    return plans.order_by("-year", "-id")


def visible_plan(village: Village, plan_id: int, *, sees_drafts: bool) -> DistributionPlan | None:
    plans = DistributionPlan.objects.filter(village=village, pk=plan_id).select_related(
        "motion__session__council"
    )
    if not sees_drafts:
        plans = plans.filter(published_at__isnull=False)
    return plans.first()


def plan_allocations(plan: DistributionPlan, *, search: str = "") -> QuerySet[Allocation]:
    """The plan's lines by member number, with the member's name and the payment if any;
    `search` finds a member number exactly or a part of the name."""
    lines = Allocation.objects.filter(plan=plan).select_related("membership__person", "payment")
    search = search.strip()
    if search:
        condition = Q(membership__person__name__icontains=search)
        number = digits(search)
        if number is not None:
            condition |= Q(membership__number=number)
        lines = lines.filter(condition)
    return lines.order_by("membership__number")


def own_allocation(plan: DistributionPlan, person: Person | None) -> Allocation | None:
    """The person's own line of the plan (any membership of theirs in it)."""
    if person is None:
        return None
    return plan_allocations(plan).filter(membership__person=person).first()


@dataclass(frozen=True)
class PaymentTotals:
    members: int
    paid_count: int
    paid_amount: Decimal
    unpaid_count: int
    unpaid_amount: Decimal


def payment_totals(plan: DistributionPlan) -> PaymentTotals:
    """How much of the plan was paid and how much not (one query)."""
    paid = Q(payment__isnull=False)
    figures = Allocation.objects.filter(plan=plan).aggregate(
        members=Count("pk"),
        paid_count=Count("pk", filter=paid),
        paid_amount=money_sum("payment__amount", paid),
        unpaid_amount=money_sum("amount", ~paid),
    )
    return PaymentTotals(
        members=figures["members"],
        paid_count=figures["paid_count"],
        paid_amount=figures["paid_amount"],
        unpaid_count=figures["members"] - figures["paid_count"],
        unpaid_amount=figures["unpaid_amount"],
    )


def first_meeting_day(plan: DistributionPlan) -> date | None:
    """The first day a meeting may decide the plan: NOTICE_DAYS after the day it was published."""
    if plan.published_at is None:
        return None
    return timezone.localdate(plan.published_at) + timedelta(days=NOTICE_DAYS)


def eligible_sessions(plan: DistributionPlan) -> list[Session]:
    """The sessions the plan may be put to: of the village, not closed, of a 成员大会 (or of a
    成员代表大会 the members delegated the matter to, on the session's day), meeting at least
    NOTICE_DAYS after the publication. Soonest first."""
    first_day = first_meeting_day(plan)
    if first_day is None:
        return []
    sessions = (
        Session.objects.filter(council__village_id=plan.village_id, council__body__in=DECIDING_BODIES)
        .exclude(state=SessionState.CLOSED)
        .select_related("council__village")
        .order_by("starts_at", "pk")
    )
    # A 成员大会 decides without reading anything; a 成员代表大会 only under a delegation in force
    # on its day (read once per day: a village has few sessions ahead).
    delegations_on: dict[date, set[tuple[str, str]]] = {}
    eligible = []
    for session in sessions:
        day = session_day(session)
        if day < first_day:
            continue
        if session.council.body != Body.MEMBERS_ASSEMBLY and day not in delegations_on:
            delegations_on[day] = delegations_in_force(plan.village, on=day)
        refusal = matter_refusal(
            council=session.council,
            matter=Matter.COLLECTIVE_DISTRIBUTION,
            on=day,
            delegations=delegations_on.get(day),
        )
        if refusal is None:
            eligible.append(session)
    return eligible


@dataclass(frozen=True)
class Gate:
    key: str  # "resolution", "notice", "review"
    label: str
    met: bool
    text: str  # what was done or what is missing, with the figures and the article


def _passed_poll(plan: DistributionPlan) -> tuple[Poll | None, Resolution | None]:
    """The motion's passed vote with a published resolution, else the last passed vote (None if
    none), and its resolution."""
    polls = list(
        Poll.objects.filter(item_id=plan.motion_id, state=PollState.CLOSED, passed=True)
        .select_related("resolution")
        .order_by("-closed_at", "-pk")
    )
    chosen: Poll | None = None
    for poll in polls:
        resolution = getattr(poll, "resolution", None)
        if resolution is not None and resolution.published_at is not None:
            return poll, resolution
        chosen = chosen or poll
    return chosen, getattr(chosen, "resolution", None) if chosen is not None else None


def motion_puts_plan(plan: DistributionPlan) -> bool:
    """Whether the plan's motion still puts this plan to the vote: on the collective's
    distribution, its text naming the plan's fingerprint as distribution_propose wrote it. The
    agenda's managers may change a motion not yet taken up; a changed one approves nothing."""
    motion = plan.motion
    return (
        motion is not None
        and motion.matter == Matter.COLLECTIVE_DISTRIBUTION
        and bool(plan.digest)
        and plan.digest in motion.text
    )


def _resolution_gate(plan: DistributionPlan) -> Gate:
    label = _("Approved by the members (成员大会决议)")
    citation = DECIDED_BY[Matter.COLLECTIVE_DISTRIBUTION].citation
    motion = plan.motion
    if motion is None:
        return Gate(
            "resolution",
            label,
            False,
            _(
                "The plan has not been put to a meeting yet: propose it to a session of the members' "
                "assembly (成员大会), or of the members' representatives where the members delegated it "
                "(%(citation)s)."
            )
            % {"citation": citation},
        )
    if not motion_puts_plan(plan):
        return Gate(
            "resolution",
            label,
            False,
            _(
                "The motion was changed after the plan was put to the meeting: it no longer asks the "
                "members to approve this plan (its fingerprint) as the distribution of the collective's "
                "income. A vote on it does not approve the plan: withdraw the plan and draft a new one."
            ),
        )
    session = motion.session
    day = session_day(session)
    refusal = matter_refusal(council=session.council, matter=Matter.COLLECTIVE_DISTRIBUTION, on=day)
    if refusal is not None:
        return Gate("resolution", label, False, refusal)
    poll, resolution = _passed_poll(plan)
    values = {
        "body": body_label(session.council.body),
        "session": session.title,
        "day": local_date(day),
        "citation": citation,
    }
    if poll is None:
        return Gate(
            "resolution",
            label,
            False,
            _(
                "The %(body)s “%(session)s” of %(day)s has not passed the motion: the plan is paid only "
                "after a vote that approves it, with two thirds of all members in favour (%(citation)s)."
            )
            % values,
        )
    chinese = (get_language() or "zh-hans").startswith("zh")
    values["result"] = poll.explanation_zh if chinese else (poll.explanation_en or poll.explanation_zh)
    if resolution is None or resolution.published_at is None:
        return Gate(
            "resolution",
            label,
            False,
            _(
                "The %(body)s “%(session)s” of %(day)s passed the motion (%(result)s), but its "
                "resolution is not published yet: publish the resolution first (%(citation)s)."
            )
            % values,
        )
    values["title"] = resolution.title
    values["published"] = local_date(timezone.localdate(resolution.published_at))
    return Gate(
        "resolution",
        label,
        True,
        _(
            "The %(body)s “%(session)s” of %(day)s approved the plan (%(result)s); the resolution "
            "“%(title)s” was published on %(published)s (%(citation)s)."
        )
        % values,
    )


def _notice_gate(plan: DistributionPlan) -> Gate:
    label = _("Open to members 10 days before the meeting (提前十日公开)")
    values: dict[str, object] = {"days": NOTICE_DAYS, "citation": notice_citation()}
    first_day = first_meeting_day(plan)
    if first_day is None or plan.published_at is None:
        return Gate(
            "notice",
            label,
            False,
            _(
                "The plan is not published yet. It must be open to the members at least %(days)d days "
                "before the meeting that decides it (%(citation)s)."
            )
            % values,
        )
    values["published"] = local_date(timezone.localdate(plan.published_at))
    values["first"] = local_date(first_day)
    if plan.motion is None:
        return Gate(
            "notice",
            label,
            False,
            _(
                "Published on %(published)s: the meeting that decides it can be held on %(first)s at "
                "the earliest (%(days)d days later, %(citation)s)."
            )
            % values,
        )
    day = session_day(plan.motion.session)
    values["day"] = local_date(day)
    values["gap"] = (day - timezone.localdate(plan.published_at)).days
    if day < first_day:
        return Gate(
            "notice",
            label,
            False,
            _(
                "Published on %(published)s but decided at a meeting on %(day)s, only %(gap)d days "
                "later: at least %(days)d days are needed, so the meeting had to be on %(first)s or "
                "later (%(citation)s). Put the plan to a later meeting."
            )
            % values,
        )
    return Gate(
        "notice",
        label,
        True,
        _(
            "Published on %(published)s, decided at the meeting on %(day)s: %(gap)d days later, at "
            "least %(days)d as required (%(citation)s)."
        )
        % values,
    )


def _review_gate(plan: DistributionPlan) -> Gate:
    label = _("Reviewed by the supervision committee (村务监督委员会审核)")
    values = {"citation": review_citation()}
    if subject_review_concluded(plan):
        return Gate(
            "review",
            label,
            True,
            _("The supervision committee concluded its review of this plan (%(citation)s).") % values,
        )
    return Gate(
        "review",
        label,
        False,
        _(
            "The supervision committee has not concluded a review of this plan yet: its members open "
            "the review from this page and sign it off (%(citation)s)."
        )
        % values,
    )


def payment_gates(plan: DistributionPlan) -> list[Gate]:
    """The three steps before the plan may be paid: the members' resolution that approved it,
    the 10 days' notice before that meeting, and the supervision committee's concluded review."""
    return [_resolution_gate(plan), _notice_gate(plan), _review_gate(plan)]


def current_plan_of_year(
    village: Village, year: int, *, exclude: int | None = None
) -> DistributionPlan | None:
    plans = DistributionPlan.objects.filter(
        village=village, year=year, published_at__isnull=False, withdrawn_at__isnull=True
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude)
    return plans.first()


def plan_summary_values(plan: DistributionPlan) -> dict[str, object]:
    return {
        "year": plan.year,
        "income": yuan(plan.income),
        "losses": yuan(plan.losses_made_up),
        "reserve": yuan(plan.reserve),
        "rate": plan.reserve_rate,
        "distributable": yuan(plan.distributable),
        "shares": plan.total_shares,
        "record_date": local_date(plan.record_date),
    }
