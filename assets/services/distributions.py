"""Distributions of the collective's income (收益分配): drafting a plan from the books and the share
register, publishing it (fixed by its fingerprint, on the disclosure board), putting it to the
members, paying it only once the members approved it after 10 days' notice and the supervision
committee reviewed it, recording the payments and publishing the result (实施结果公开)."""

import hashlib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.allocation import allocate
from assets.models import Allocation, Collective, DistributionPlan, Payment, PaymentMethod
from assets.selectors.distributions import (
    DECIDING_BODIES,
    current_plan_of_year,
    first_meeting_day,
    payment_gates,
    payment_totals,
    plan_summary_values,
)
from assets.selectors.ledger import year_result
from assets.selectors.members import register_on
from assets.values import CENT, ZERO, amount, not_after_today, refuse_unless
from consultations.matters import Matter
from consultations.models import Poll, PollState, Session, SessionState
from consultations.selectors.agenda import ItemKind, matter_refusal
from consultations.selectors.sessions import session_day
from consultations.services.agenda import agenda_item_create
from supervision.models import DisclosureSection
from supervision.services import TOO_LONG, notification_language
from supervision.services.disclosure import disclosure_publish
from villagegov.formats import local_date, yuan
from villagegov.models import User, Village
from villagegov.permissions import Action
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
REFERENCE_MAX_LENGTH = 100
EARLIEST_YEAR = 2000
PLAN_FIELDS = [
    "village_id",
    "year",
    "title",
    "record_date",
    "income",
    "losses_made_up",
    "reserve_rate",
    "reserve",
    "distributable",
    "total_shares",
    "digest",
    "published_at",
    "motion_id",
    "payment_started_at",
    "result_published_at",
    "withdrawn_at",
]


def _require_manager(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.MANAGE_DISTRIBUTIONS,
        village,
        _("Only village officials, the accountant and the head of the collective manage distributions."),
    )


def _require_publisher(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.PUBLISH_DISCLOSURE,
        village,
        _(
            "This puts a notice on the disclosure board, which only village officials and the accountant "
            "do: ask one of them to publish it."
        ),
    )


def _locked(plan: DistributionPlan) -> DistributionPlan:
    return DistributionPlan.objects.select_for_update().select_related("village").get(pk=plan.pk)


def reserve_for(income: Decimal, losses: Decimal, rate: Decimal) -> Decimal:
    """The 公积公益金: (income − losses) × rate / 100 rounded half up to the fen; nothing when the
    income does not exceed the losses."""
    base = income - losses
    if base <= 0:
        return ZERO
    return (base * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def canonical_text(plan: DistributionPlan, lines: list[tuple[int, Decimal, Decimal]]) -> str:
    """The text the fingerprint is taken of: the plan's figures, then one line per member
    (number, shares, amount) by member number. Same figures, same text, on any machine."""
    head = [
        f"year={plan.year}",
        f"income={plan.income:.2f}",
        f"losses_made_up={plan.losses_made_up:.2f}",
        f"reserve={plan.reserve:.2f}",
        f"distributable={plan.distributable:.2f}",
    ]
    rows = [f"{number}|{shares:.2f}|{amount:.2f}" for number, shares, amount in sorted(lines)]
    return "\n".join([*head, *rows]) + "\n"


def plan_digest(plan: DistributionPlan) -> str:
    lines = list(Allocation.objects.filter(plan=plan).values_list("membership__number", "shares", "amount"))
    return hashlib.sha256(canonical_text(plan, lines).encode("utf-8")).hexdigest()


@transaction.atomic
def distribution_draft(
    *,
    actor: User,
    village: Village,
    year: int,
    title: str,
    record_date: date,
    losses_made_up: Decimal,
) -> DistributionPlan:
    """Draft a plan for `year`: the year's net income from the posted vouchers, less the losses
    made up, less the 公积公益金 at the charter's rate (the collective's `reserve_rate`, changed on
    its settings page as the members decide) per cent of the rest, shared by the shares the
    register shows on `record_date`, exact to the fen. The plan keeps the rate it used. Several
    drafts may exist."""
    _require_manager(actor, village)
    today = timezone.localdate()
    if not EARLIEST_YEAR <= year <= today.year:
        raise ValidationError(
            _("Choose a financial year from %(first)d to %(last)d.")
            % {"first": EARLIEST_YEAR, "last": today.year}
        )
    title = clean_text(
        title, max_length=TITLE_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Give the plan a title.")
    )
    if record_date > today:
        raise ValidationError(
            _(
                "The share record date cannot be after today (%(date)s): the register of a later day "
                "is not known yet."
            )
            % {"date": local_date(today)}
        )
    if record_date.year < year:
        raise ValidationError(
            _("The share record date must fall in the year %(year)d or later.") % {"year": year}
        )
    losses_made_up = amount(losses_made_up, field=_("The losses made up"))
    collective = Collective.objects.filter(village=village).first()
    if collective is None:
        raise ValidationError(
            _("Set up the collective and its books first: the reserve rate is the collective's charter rate.")
        )
    reserve_rate = collective.reserve_rate
    income = year_result(village, year)
    reserve = reserve_for(income, losses_made_up, reserve_rate)
    distributable = income - losses_made_up - reserve
    if distributable < 0:
        raise ValidationError(
            _(
                "The year's income does not cover the losses to make up: %(year)d's net income is "
                "%(income)s, the losses %(losses)s. Nothing can be distributed; lower the losses made up "
                "to %(income)s at most, or post the year's remaining vouchers first."
            )
            % {"year": year, "income": yuan(income), "losses": yuan(losses_made_up)}
        )
    register = register_on(village, day=record_date)
    if not register:
        raise ValidationError(
            _(
                "No member holds shares on the record date %(date)s: record the members and their "
                "shares first."
            )
            % {"date": local_date(record_date)}
        )
    total_shares = sum((line.shares for line in register), ZERO)
    amounts = allocate(
        distributable, [(line.membership.pk, line.membership.number, line.shares) for line in register]
    )
    plan = DistributionPlan.objects.create(
        village=village,
        year=year,
        title=title,
        record_date=record_date,
        income=income,
        losses_made_up=losses_made_up,
        reserve_rate=reserve_rate,
        reserve=reserve,
        distributable=distributable,
        total_shares=total_shares,
        created_by=actor,
        created_at=timezone.now(),
    )
    Allocation.objects.bulk_create(
        Allocation(
            plan=plan, membership=line.membership, shares=line.shares, amount=amounts[line.membership.pk]
        )
        for line in register
    )
    audit_record(
        actor=actor,
        village=village,
        action="distribution.draft",
        target=plan,
        after={**snapshot(plan, PLAN_FIELDS), "members": len(register)},
    )
    return plan


@transaction.atomic
def distribution_withdraw(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """Withdraw a plan (a draft, or a published plan the village will not pay), not once payment
    started. It stays on record; a new plan is a new draft."""
    locked = _locked(plan)
    _require_manager(actor, locked.village)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This plan was already withdrawn."))
    if locked.payment_started_at is not None:
        raise ValidationError(_("Payment of this plan has started: it can no longer be withdrawn."))
    return audited_update(
        locked,
        actor=actor,
        village=locked.village,
        action="distribution.withdraw",
        changes={"withdrawn_at": timezone.now()},
        fields=PLAN_FIELDS,
    )


@transaction.atomic
def distribution_publish(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """Fix the plan by the fingerprint of its table and publish it to the members on the
    disclosure board (finances, the plan's year). One plan per year is published and in force."""
    locked = _locked(plan)
    village = locked.village
    _require_manager(actor, village)
    _require_publisher(actor, village)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This plan was withdrawn: draft a new plan instead."))
    if locked.published_at is not None:
        raise ValidationError(_("This plan is already published; a published plan never changes."))
    # Locked so that two plans of one year are not published at once.
    list(DistributionPlan.objects.select_for_update().filter(village=village, year=locked.year))
    current = current_plan_of_year(village, locked.year, exclude=locked.pk)
    if current is not None:
        raise ValidationError(
            _(
                "The plan “%(title)s” is already published for %(year)d. Withdraw it first if this plan "
                "replaces it."
            )
            % {"title": current.title, "year": locked.year}
        )
    now = timezone.now()
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="distribution.publish",
        changes={"digest": plan_digest(locked), "published_at": now},
        fields=PLAN_FIELDS,
    )
    first_day = first_meeting_day(locked)
    with notification_language():
        values = {
            **plan_summary_values(locked),
            "members": Allocation.objects.filter(plan=locked).count(),
            "digest": locked.digest,
            "first": local_date(first_day),
        }
        title = _("Income distribution plan for %(year)d (收益分配方案): %(title)s") % {
            "year": locked.year,
            "title": locked.title,
        }
        body = (
            _(
                "Net income of %(year)d: %(income)s. Losses made up: %(losses)s. Reserve and welfare fund "
                "(%(rate)s%%): %(reserve)s. Distributed by shares: %(distributable)s among %(members)d "
                "members holding %(shares)s shares on the record date %(record_date)s.\n"
                "The meeting that decides the plan can be held on %(first)s at the earliest.\n"
                "Fingerprint of the table (SHA-256): %(digest)s\n"
                "Members see the whole table after logging in, from the page My shares."
            )
            % values
        )
    _board_publish(actor=actor, plan=locked, title=title, body=body)
    return locked


def _board_publish(*, actor: User, plan: DistributionPlan, title: str, body: str) -> None:
    """Put an item about the plan on the board's finances, for the plan's year."""
    disclosure_publish(
        actor=actor,
        village=plan.village,
        section=DisclosureSection.FINANCES,
        title=title[:TITLE_MAX_LENGTH],
        body=body,
        period_start=date(plan.year, 1, 1),
        period_end=date(plan.year, 12, 31),
    )


def motion_settled(plan: DistributionPlan) -> bool:
    """Whether the plan's earlier motion is over without approving it (a closed session, no
    passed vote), so that the plan may be put to another meeting."""
    motion = plan.motion
    if motion is None:
        return True
    if motion.session.state != SessionState.CLOSED:
        return False
    return not Poll.objects.filter(item_id=motion.pk, state=PollState.CLOSED, passed=True).exists()


@transaction.atomic
def distribution_propose(*, actor: User, plan: DistributionPlan, session: Session) -> DistributionPlan:
    """Put the published plan to `session` as a motion on the collective's distribution: a session
    of this village, not closed, of a body that decides the matter, meeting at least 10 days after
    the plan was published."""
    locked = _locked(plan)
    village = locked.village
    _require_manager(actor, village)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This plan was withdrawn: draft a new plan instead."))
    if locked.published_at is None:
        raise ValidationError(_("Publish the plan first: the members see it before a meeting decides it."))
    if not motion_settled(locked):
        raise ValidationError(
            _("This plan is already put to the session “%(session)s”.")
            % {"session": locked.motion.session.title}  # type: ignore[union-attr]
        )
    found = (
        Session.objects.select_related("council__village")
        .filter(pk=session.pk, council__village=village)
        .first()
    )
    if found is None:
        raise ValidationError(_("Choose a session of this village."))
    session = found
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("This session is closed: choose a session still to be held."))
    day = session_day(session)
    if session.council.body not in DECIDING_BODIES:
        refusal = matter_refusal(council=session.council, matter=Matter.COLLECTIVE_DISTRIBUTION, on=day)
        raise ValidationError(refusal or _("Choose a session of the members' assembly (成员大会)."))
    refusal = matter_refusal(council=session.council, matter=Matter.COLLECTIVE_DISTRIBUTION, on=day)
    if refusal is not None:
        raise ValidationError(refusal)
    first_day = first_meeting_day(locked)
    assert first_day is not None
    if day < first_day:
        raise ValidationError(
            _(
                "The plan was published on %(published)s and must be open to the members 10 days before "
                "the meeting: choose a session on %(first)s or later (this one meets on %(day)s)."
            )
            % {
                "published": local_date(timezone.localdate(locked.published_at)),
                "first": local_date(first_day),
                "day": local_date(day),
            }
        )
    with notification_language():
        values = {**plan_summary_values(locked), "digest": locked.digest, "plan": locked.title}
        title = _("Income distribution plan for %(year)d (收益分配方案)") % values
        text = (
            _(
                "The meeting is asked to approve the income distribution plan “%(plan)s” for %(year)d as "
                "published: net income %(income)s, losses made up %(losses)s, reserve and welfare fund "
                "(%(rate)s%%) %(reserve)s, distributed by shares %(distributable)s over %(shares)s shares "
                "held on %(record_date)s. Fingerprint of the table (SHA-256): %(digest)s."
            )
            % values
        )
    motion = agenda_item_create(
        actor=actor,
        session=session,
        kind=ItemKind.MOTION,
        title=title,
        text=text,
        matter=Matter.COLLECTIVE_DISTRIBUTION.value,
    )
    return audited_update(
        locked,
        actor=actor,
        village=village,
        action="distribution.propose",
        changes={"motion": motion},
        fields=PLAN_FIELDS,
    )


@transaction.atomic
def distribution_pay_start(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """Start paying the plan, once every gate is met: the members' resolution, the 10 days'
    notice, the supervision committee's review. Refused naming every step still missing."""
    locked = _locked(plan)
    village = locked.village
    _require_manager(actor, village)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This plan was withdrawn: it is not paid."))
    if locked.published_at is None:
        raise ValidationError(_("Publish the plan first."))
    if locked.payment_started_at is not None:
        raise ValidationError(_("Payment of this plan has already started."))
    missing = [gate.text for gate in payment_gates(locked) if not gate.met]
    if missing:
        raise ValidationError([_("Payment cannot start until every step is done:"), *missing])
    return audited_update(
        locked,
        actor=actor,
        village=village,
        action="distribution.pay_start",
        changes={"payment_started_at": timezone.now()},
        fields=PLAN_FIELDS,
    )


def _check_payment(plan: DistributionPlan, *, paid_on: date, method: str) -> None:
    if plan.payment_started_at is None:
        raise ValidationError(_("Payment of this plan has not started: start it once every step is done."))
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how it was paid."))
    not_after_today(paid_on, what=_("A payment"))
    started = timezone.localdate(plan.payment_started_at)
    if paid_on < started:
        raise ValidationError(
            _("Payment of this plan started on %(date)s: a payment cannot be dated earlier.")
            % {"date": local_date(started)}
        )


@transaction.atomic
def payment_record(
    *, actor: User, allocation: Allocation, paid_on: date, method: str, reference: str = ""
) -> Payment:
    """Record the payment of one member's allocation, of its amount, once."""
    plan = _locked(allocation.plan)
    village = plan.village
    _require_manager(actor, village)
    line = Allocation.objects.select_related("membership").filter(pk=allocation.pk, plan=plan).first()
    if line is None:
        raise ValidationError(_("This line is not part of the plan."))
    _check_payment(plan, paid_on=paid_on, method=method)
    reference = clean_text(reference, max_length=REFERENCE_MAX_LENGTH, too_long=str(TOO_LONG), empty=None)
    if Payment.objects.filter(allocation=line).exists():
        raise ValidationError(
            _("The payment to member %(number)d is already recorded.") % {"number": line.membership.number}
        )
    payment = Payment.objects.create(
        allocation=line,
        amount=line.amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        village=village,
        action="payment.record",
        target=payment,
        after=snapshot(payment),
        seal=[payment],
    )
    return payment


@transaction.atomic
def payments_record_all(
    *, actor: User, plan: DistributionPlan, paid_on: date, method: str, reference: str = ""
) -> list[Payment]:
    """Record the payment of every line not paid yet (e.g. one bank transfer batch)."""
    locked = _locked(plan)
    village = locked.village
    _require_manager(actor, village)
    _check_payment(locked, paid_on=paid_on, method=method)
    reference = clean_text(reference, max_length=REFERENCE_MAX_LENGTH, too_long=str(TOO_LONG), empty=None)
    unpaid = list(Allocation.objects.filter(plan=locked, payment__isnull=True).order_by("membership__number"))
    if not unpaid:
        raise ValidationError(_("Every member's payment is already recorded."))
    now = timezone.now()
    payments = Payment.objects.bulk_create(
        Payment(
            allocation=line,
            amount=line.amount,
            paid_on=paid_on,
            method=method,
            reference=reference,
            recorded_by=actor,
            recorded_at=now,
        )
        for line in unpaid
    )
    # One record for the batch: which lines, how much, when and how.
    audit_record(
        actor=actor,
        village=village,
        action="payment.record_all",
        target=locked,
        after={
            "paid_on": paid_on,
            "method": method,
            "reference": reference,
            "count": len(unpaid),
            "amount": sum((line.amount for line in unpaid), ZERO),
            "allocations": [line.pk for line in unpaid],
        },
        seal=payments,
    )
    return payments


@transaction.atomic
def distribution_result_publish(*, actor: User, plan: DistributionPlan) -> DistributionPlan:
    """Publish the result of carrying out the plan (实施结果公开) on the disclosure board: how many
    members were paid and how much, how many not yet and how much, as of today."""
    locked = _locked(plan)
    village = locked.village
    _require_manager(actor, village)
    _require_publisher(actor, village)
    if locked.payment_started_at is None:
        raise ValidationError(_("Payment of this plan has not started: there is no result to publish yet."))
    if locked.result_published_at is not None:
        raise ValidationError(_("The result of this plan is already published."))
    totals = payment_totals(locked)
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="distribution.result_publish",
        changes={"result_published_at": timezone.now()},
        fields=PLAN_FIELDS,
    )
    with notification_language():
        values = {
            "year": locked.year,
            "title": locked.title,
            "date": local_date(timezone.localdate()),
            "paid_count": totals.paid_count,
            "paid_amount": yuan(totals.paid_amount),
            "unpaid_count": totals.unpaid_count,
            "unpaid_amount": yuan(totals.unpaid_amount),
            "distributable": yuan(locked.distributable),
        }
        title = _("Result of the income distribution for %(year)d (收益分配实施结果公开)") % values
        body = (
            _(
                "The plan “%(title)s” distributes %(distributable)s. As of %(date)s, %(paid_count)d members "
                "were paid %(paid_amount)s; %(unpaid_count)d members, %(unpaid_amount)s, are not paid yet.\n"
                "Members see the whole table after logging in, from the page My shares."
            )
            % values
        )
    _board_publish(actor=actor, plan=locked, title=title, body=body)
    return locked
