"""Builders for the register and contract tests (and any other test that needs an asset or a
contract): assets of each kind, the resolution that approves a lease, contracts with their rent
instalments and receipts, made directly with the models so that tests of other areas do not
depend on the register's services."""

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from assets.models import (
    Asset,
    AssetCategory,
    AssetStatus,
    Building,
    Contract,
    ContractKind,
    Equipment,
    Fund,
    Investment,
    LandParcel,
    LandUse,
    PaymentMethod,
    RentInstalment,
    RentReceipt,
)
from consultations.matters import Matter
from consultations.models import Resolution, SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from villagegov.models import Body, Person, Role, User, Village
from villagegov.testing import council_of, make_person

_numbers = itertools.count(1)

# Each kind's model and its own required fields, for make_asset.
_KINDS: dict[str, tuple[type[Asset], dict[str, Any], AssetCategory]] = {
    "land": (LandParcel, {"area_mu": Decimal("12.50"), "land_use": LandUse.ARABLE}, AssetCategory.RESOURCE),
    "building": (Building, {"floor_area_m2": Decimal("480.00")}, AssetCategory.OPERATING),
    "equipment": (Equipment, {"model_name": "东风拖拉机", "quantity": 2}, AssetCategory.OPERATING),
    "investment": (
        Investment,
        {"investee": "东坑物业公司", "stake_percent": Decimal("30")},
        AssetCategory.OPERATING,
    ),
    "fund": (Fund, {"bank": "农商银行", "purpose": "村道维修"}, AssetCategory.OPERATING),
}


def recorder() -> User:
    """An account to stand as `created_by` of rows made by the builders."""
    return User.objects.create_user(username=f"register-recorder-{next(_numbers)}")


def manager(village: Village, role: Role = Role.ACCOUNTANT) -> Person:
    """A person with an account who keeps the register (the accountant unless told)."""
    return make_person(village, name=f"报账员{next(_numbers)}", roles=(role,), with_account=True)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def make_asset(
    village: Village,
    kind: str = "land",
    *,
    code: str | None = None,
    name: str | None = None,
    category: str | None = None,
    status: str = AssetStatus.IN_USE,
    acquisition_value: Decimal | int | str = Decimal("10000.00"),
    current_value: Decimal | int | str | None = None,
    acquired_on: date | None = date(2015, 1, 1),
    by: User | None = None,
    **fields: Any,
) -> Asset:
    """An asset of `kind` ("land", "building", "equipment", "investment", "fund") with its kind's
    fields (overridden by `fields`), current value = acquisition value unless given."""
    model, defaults, default_category = _KINDS[kind]
    number = next(_numbers)
    return model.objects.create(
        village=village,
        code=code or f"ZC-{number:04d}",
        name=name or f"资产{number}",
        category=category or default_category,
        status=status,
        acquired_on=acquired_on,
        acquisition_value=Decimal(acquisition_value),
        current_value=Decimal(current_value if current_value is not None else acquisition_value),
        created_by=by or recorder(),
        created_at=timezone.now(),
        **(defaults | fields),
    )


def approving_resolution(
    village: Village,
    *,
    matter: str = Matter.PROPERTY_DISPOSAL,
    body: Body = Body.VILLAGERS_ASSEMBLY,
    published: bool = True,
    passed: bool = True,
    title: str = "关于出租集体鱼塘的决议",
) -> Resolution:
    """A resolution of the village's `body` (the villagers' assembly, which decides disposals of
    collective property) from a closed vote on a motion about `matter`."""
    session = make_session(council_of(village, body), state=SessionState.CLOSED)
    poll = make_closed_poll(session, matter=matter, passed=passed, question="是否同意出租？")
    resolution = make_resolution(poll, published_by=session.created_by if published else None)
    resolution.title = title
    resolution.save(update_fields=["title"])
    return resolution


def make_contract(
    asset: Asset,
    *,
    number: str | None = None,
    counterparty: str = "张承租",
    kind: str = ContractKind.LEASE,
    starts_on: date = date(2024, 1, 1),
    ends_on: date = date(2026, 12, 31),
    dues: Sequence[tuple[date, Decimal | str | int]] | None = None,
    resolution: Resolution | None = None,
    terminated_on: date | None = None,
    by: User | None = None,
) -> Contract:
    """A contract on `asset` with instalments `dues` ((due date, amount) pairs; by default 3000
    yuan on each 1 January of the term). The asset is marked leased."""
    contract = Contract.objects.create(
        village=asset.village,
        asset=asset,
        kind=kind,
        number=number or f"HT-{next(_numbers):04d}",
        counterparty=counterparty,
        starts_on=starts_on,
        ends_on=ends_on,
        resolution=resolution,
        terminated_on=terminated_on,
        termination_reason="提前解约" if terminated_on else "",
        created_by=by or recorder(),
        created_at=timezone.now(),
    )
    if dues is None:
        dues = [(date(year, 1, 1), "3000.00") for year in range(starts_on.year, ends_on.year + 1)]
        dues = [(day, amount) for day, amount in dues if starts_on <= day <= ends_on]
    RentInstalment.objects.bulk_create(
        RentInstalment(contract=contract, due_on=day, amount=Decimal(amount)) for day, amount in dues
    )
    Asset.objects.filter(pk=asset.pk).update(status=AssetStatus.LEASED)
    return contract


def make_receipt(
    contract: Contract, amount: Decimal | str | int, received_on: date, *, by: User | None = None
) -> RentReceipt:
    return RentReceipt.objects.create(
        contract=contract,
        received_on=received_on,
        amount=Decimal(amount),
        method=PaymentMethod.BANK,
        recorded_by=by or recorder(),
        recorded_at=timezone.now(),
    )
