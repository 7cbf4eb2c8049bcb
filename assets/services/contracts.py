"""Contracts (承包/租赁合同) over collective assets: recording one with its rent schedule, approved
by the resolution the law asks for (Organic Law Art. 24) and published on the board; rent
received; early termination."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.models import (
    Asset,
    AssetStatus,
    Contract,
    ContractKind,
    Fund,
    Investment,
    PaymentMethod,
    RentInstalment,
    RentReceipt,
)
from assets.selectors.contracts import resolution_refusal, still_owed
from assets.services.register import has_active_contract
from assets.values import amount as money_amount
from assets.values import not_after_today, refuse_unless
from consultations.models import Poll, Resolution
from supervision.models import DisclosureItem, DisclosureSection
from supervision.services import TOO_LONG, notification_language
from supervision.services.disclosure import disclosure_publish
from villagegov.formats import local_date, yuan
from villagegov.models import User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

NUMBER_MAX_LENGTH = 50
COUNTERPARTY_MAX_LENGTH = 200
PHONE_MAX_LENGTH = 30
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300
REFERENCE_MAX_LENGTH = 100
# A schedule longer than this is a mistake (monthly rent over 70 years is 840 instalments).
MAX_INSTALMENTS = 1000
# A term longer than this, or ending later, is a typing mistake (the longest land contracting
# term is 70 years); it also keeps every date of the schedule within the calendar.
MAX_TERM_YEARS = 100
LAST_YEAR = 2200

# Months between two instalments of each period.
PERIOD_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
PERIOD_LABELS = {
    "year": gettext_lazy("every year"),
    "half": gettext_lazy("every half year"),
    "quarter": gettext_lazy("every quarter"),
    "month": gettext_lazy("every month"),
}


@dataclass(frozen=True)
class RentSchedule:
    """The rent: `amount` every `period` ("year", "half", "quarter", "month"), the first due on
    `first_due_on`, then on the same day of the month each period, up to the end of the term."""

    amount: Decimal
    period: str
    first_due_on: date


def _refuse_unless_manager(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.MANAGE_ASSETS,
        village,
        _("Only village officials, the accountant and the head of the collective manage contracts."),
    )


def add_months(day: date, months: int, *, on_day: int) -> date:
    """`day` moved by `months`, on the month's day `on_day` (or its last day if shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(on_day, calendar.monthrange(year, month)[1]))


def term_refusal(starts_on: date, ends_on: date) -> str | None:
    """Why a term from `starts_on` to `ends_on` cannot be recorded, or None: it must end after it
    starts, in LAST_YEAR at the latest, and last at most MAX_TERM_YEARS years."""
    if ends_on <= starts_on:
        return _("The term must end after it starts.")
    if ends_on.year > LAST_YEAR or ends_on > add_months(starts_on, 12 * MAX_TERM_YEARS, on_day=starts_on.day):
        return _(
            "A term lasts at most %(years)d years and ends in %(last)d at the latest: check the first "
            "and the last day of the term."
        ) % {"years": MAX_TERM_YEARS, "last": LAST_YEAR}
    return None


def schedule_dates(schedule: RentSchedule, *, ends_on: date) -> list[date]:
    """The due dates of `schedule` from its first up to `ends_on`, at most MAX_INSTALMENTS + 1."""
    step = PERIOD_MONTHS[schedule.period]
    first = schedule.first_due_on
    dates: list[date] = []
    due = first
    while due <= ends_on and len(dates) <= MAX_INSTALMENTS:
        dates.append(due)
        due = add_months(first, step * len(dates), on_day=first.day)
    return dates


def _checked_schedule(
    schedule: RentSchedule, *, starts_on: date, ends_on: date
) -> list[tuple[date, Decimal]]:
    if schedule.period not in PERIOD_MONTHS:
        raise ValidationError(_("Choose how often the rent is due: every year, half year, quarter or month."))
    amount = money_amount(schedule.amount, field=_("The rent per period"), allow_zero=False)
    if not isinstance(schedule.first_due_on, date):
        raise ValidationError(_("Give the day the first rent is due."))
    if not starts_on <= schedule.first_due_on <= ends_on:
        raise ValidationError(
            _("The first rent must fall due within the term, from %(start)s to %(end)s.")
            % {"start": local_date(starts_on), "end": local_date(ends_on)}
        )
    dates = schedule_dates(schedule, ends_on=ends_on)
    if len(dates) > MAX_INSTALMENTS:
        raise ValidationError(
            _("The schedule would have more than %(max)d instalments: check the term and the period.")
            % {"max": MAX_INSTALMENTS}
        )
    return [(due, amount) for due in dates]


def _disclosure_text(contract: Contract, schedule: RentSchedule, instalments: int) -> tuple[str, str]:
    """The board's title and body for a new contract, in the village's language."""
    resolution = contract.resolution
    with notification_language():
        kind = ContractKind(contract.kind).label
        title = _("%(kind)s of %(asset)s to %(counterparty)s (contract %(number)s)") % {
            "kind": kind,
            "asset": contract.asset.name,
            "counterparty": contract.counterparty,
            "number": contract.number,
        }
        lines = [
            _("Asset: %(code)s %(name)s") % {"code": contract.asset.code, "name": contract.asset.name},
            _("Lessee or contractor: %(name)s") % {"name": contract.counterparty},
            _("Term: %(start)s to %(end)s")
            % {"start": local_date(contract.starts_on), "end": local_date(contract.ends_on)},
            _("Rent: %(amount)s %(period)s from %(first)s, %(count)d instalments, %(total)s in all")
            % {
                "amount": yuan(schedule.amount),
                "period": PERIOD_LABELS[schedule.period],
                "first": local_date(schedule.first_due_on),
                "count": instalments,
                "total": yuan(schedule.amount * instalments),
            },
        ]
        if resolution is not None:
            lines.append(
                _("Approved by the resolution “%(title)s” of %(date)s")
                % {"title": resolution.title, "date": local_date(timezone.localdate(resolution.published_at))}
            )
    return title[:200], "\n".join(str(line) for line in lines)


def _already_disclosed(village: Village, resolution: Resolution) -> bool:
    """Whether the board already has an item naming the resolution or its vote (the board takes
    each decision once; the next contracts under it are published without naming it again)."""
    return (
        DisclosureItem.objects.filter(village=village, corrects__isnull=True)
        .filter(
            Q(source_type=ContentType.objects.get_for_model(Poll), source_id=resolution.poll_id)
            | Q(source_type=ContentType.objects.get_for_model(Resolution), source_id=resolution.pk)
        )
        .exists()
    )


@transaction.atomic
def contract_create(
    *,
    actor: User,
    village: Village,
    asset: Asset,
    kind: str,
    number: str,
    counterparty: str,
    counterparty_phone: str,
    starts_on: date,
    ends_on: date,
    schedule: RentSchedule,
    resolution: Resolution | None,
    note: str = "",
    publish: bool = False,
) -> Contract:
    """Record a lease or contracting of `asset` for the term, with the rent instalments of
    `schedule`. It needs the resolution that approved it (`resolution_refusal`: Organic Law Art.
    24); the asset must not be disposed of nor under another contract for any part of the term.
    The asset becomes leased if the contract runs today. With `publish`, and if the actor may
    publish on the board, the contract is published in its section for leases and contracts."""
    _refuse_unless_manager(actor, village)
    # Locked so that two contracts on one asset are checked one after the other.
    locked = Asset.objects.select_for_update().filter(pk=asset.pk, village=village).first()
    if locked is None:
        raise ValidationError(_("Choose an asset of this village's register."))
    if kind not in ContractKind.values:
        raise ValidationError(_("Choose whether it is a lease or a contracting."))
    if locked.status == AssetStatus.DISPOSED:
        raise ValidationError(_("%(asset)s was disposed of: it cannot be leased.") % {"asset": locked})
    real = locked.get_real_instance()
    if isinstance(real, Fund | Investment):
        raise ValidationError(
            _("Funds and investments are not leased or contracted: choose land, a building or equipment.")
        )
    refusal = resolution_refusal(resolution, village=village, kind=kind, asset=locked)
    if refusal is not None:
        raise ValidationError(refusal)
    number = clean_text(
        number, max_length=NUMBER_MAX_LENGTH, empty=_("Give the contract's number."), too_long=str(TOO_LONG)
    )
    counterparty = clean_text(
        counterparty,
        max_length=COUNTERPARTY_MAX_LENGTH,
        empty=_("Name the lessee or contractor."),
        too_long=str(TOO_LONG),
    )
    phone = clean_text(counterparty_phone, max_length=PHONE_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
    note = clean_text(note, max_length=NOTE_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise ValidationError(_("Give the first and the last day of the term."))
    refusal = term_refusal(starts_on, ends_on)
    if refusal is not None:
        raise ValidationError(refusal)
    instalments = _checked_schedule(schedule, starts_on=starts_on, ends_on=ends_on)
    overlapping = (
        Contract.objects.filter(asset_id=locked.pk, starts_on__lte=ends_on)
        .filter(Q(terminated_on__isnull=True, ends_on__gte=starts_on) | Q(terminated_on__gte=starts_on))
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("%(asset)s is already under contract %(number)s from %(start)s to %(end)s: the terms overlap.")
            % {
                "asset": locked,
                "number": overlapping.number,
                "start": local_date(overlapping.starts_on),
                "end": local_date(overlapping.terminated_on or overlapping.ends_on),
            }
        )
    if Contract.objects.filter(village=village, number=number).exists():
        raise ValidationError(
            _("The number %(number)s is already used by another contract of this village.")
            % {"number": number}
        )
    contract = Contract(
        village=village,
        asset=locked,
        kind=kind,
        number=number,
        counterparty=counterparty,
        counterparty_phone=phone,
        starts_on=starts_on,
        ends_on=ends_on,
        resolution=resolution,
        note=note,
        created_by=actor,
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        raise ValidationError(
            _("The number %(number)s is already used by another contract of this village.")
            % {"number": number}
        ) from None
    RentInstalment.objects.bulk_create(
        RentInstalment(contract=contract, due_on=due, amount=amount) for due, amount in instalments
    )
    audit_record(
        actor=actor,
        village=village,
        action="contract.create",
        target=contract,
        after=snapshot(contract)
        | {
            "schedule": {
                "amount": str(schedule.amount),
                "period": schedule.period,
                "first": schedule.first_due_on.isoformat(),
            },
            "instalments": len(instalments),
        },
    )
    # Leased while the contract runs: not yet for one that starts later, nor for one over already.
    if starts_on <= timezone.localdate() <= ends_on and locked.status != AssetStatus.LEASED:
        audited_update(
            locked,
            actor=actor,
            village=village,
            action="asset.lease",
            changes={"status": AssetStatus.LEASED},
            fields=["id", "code", "status"],
        )
    if publish and can(actor, Action.PUBLISH_DISCLOSURE, village):
        title, body = _disclosure_text(contract, schedule, len(instalments))
        assert resolution is not None  # resolution_refusal let it through
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection.LEASES,
            title=title,
            body=body,
            source=None if _already_disclosed(village, resolution) else resolution,
        )
    return contract


@transaction.atomic
def rent_receipt_record(
    *,
    actor: User,
    contract: Contract,
    received_on: date,
    amount: Decimal,
    method: str,
    reference: str = "",
) -> RentReceipt:
    """Record rent received on the contract: more than zero, not dated after today, and not more
    than the rent still owed over the whole schedule (`still_owed`). It is applied to the
    instalments in the order they fall due."""
    locked = Contract.objects.select_for_update().select_related("village").get(pk=contract.pk)
    village = locked.village
    _refuse_unless_manager(actor, village)
    if not isinstance(received_on, date):
        raise ValidationError(_("Give the day the rent was received."))
    not_after_today(received_on, what=_("The rent receipt"))
    value = money_amount(amount, field=_("The amount received"), allow_zero=False)
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how the rent was paid."))
    reference = clean_text(reference, max_length=REFERENCE_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
    owed = still_owed(locked)
    if value > owed:
        raise ValidationError(
            _(
                "%(amount)s is more than the %(owed)s still owed over the whole contract: "
                "record what was received, up to that."
            )
            % {"amount": yuan(value), "owed": yuan(owed)}
        )
    receipt = RentReceipt.objects.create(
        contract=locked,
        received_on=received_on,
        amount=value,
        method=method,
        reference=reference,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor, village=village, action="rent_receipt.record", target=receipt, after=snapshot(receipt)
    )
    return receipt


@transaction.atomic
def contract_terminate(*, actor: User, contract: Contract, terminated_on: date, reason: str) -> Contract:
    """End the contract early on `terminated_on` (within the term, not after today) for `reason`:
    instalments due after that day are no longer owed. The asset becomes idle again unless another
    contract on it runs."""
    locked = Contract.objects.select_for_update().select_related("village").get(pk=contract.pk)
    village = locked.village
    _refuse_unless_manager(actor, village)
    if locked.terminated_on is not None:
        raise ValidationError(
            _("This contract was already terminated on %(date)s.")
            % {"date": local_date(locked.terminated_on)}
        )
    if not isinstance(terminated_on, date):
        raise ValidationError(_("Give the day the contract ends."))
    today = timezone.localdate()
    if terminated_on > today:
        raise ValidationError(
            _("A contract is terminated on a day that has come: today (%(date)s) at the latest.")
            % {"date": local_date(today)}
        )
    if not locked.starts_on <= terminated_on < locked.ends_on:
        raise ValidationError(
            _("A contract is terminated within its term, from %(start)s to the day before %(end)s.")
            % {"start": local_date(locked.starts_on), "end": local_date(locked.ends_on)}
        )
    reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        empty=_("Give the reason for terminating the contract."),
        too_long=str(TOO_LONG),
    )
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="contract.terminate",
        changes={"terminated_on": terminated_on, "termination_reason": reason},
    )
    asset = Asset.objects.select_for_update().get(pk=locked.asset_id)
    if asset.status == AssetStatus.LEASED and not has_active_contract(asset, on=today, excluding=locked):
        audited_update(
            asset,
            actor=actor,
            village=village,
            action="asset.lease_end",
            changes={"status": AssetStatus.IDLE},
            fields=["id", "code", "status"],
        )
    return locked
