"""Recording a contract: the resolution the law asks for (Organic Law Art. 24), the schedule of
instalments, no overlap on the asset, the asset leased, and publication on the board."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetStatus, Contract, RentInstalment
from assets.services.contracts import RentSchedule, contract_create, schedule_dates
from assets.tests.register_testing import approving_resolution, make_asset, make_contract, manager, user_of
from consultations.matters import Matter
from supervision.models import DisclosureItem, DisclosureSection
from villagegov.models import AuditRecord, Body, Person, Role, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")

SCHEDULE = RentSchedule(amount=Decimal("1500.50"), period="half", first_due_on=date(2024, 1, 31))


def _create(village: Village, actor, **kwargs):
    values = {
        "actor": actor,
        "village": village,
        "asset": kwargs.pop("asset", None) or make_asset(village, name="东塘鱼塘"),
        "kind": "lease",
        "number": "HT-2024-01",
        "counterparty": "张承租",
        "counterparty_phone": "13800000000",
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2025, 12, 31),
        "schedule": SCHEDULE,
        "resolution": kwargs.pop("resolution", None) or approving_resolution(village),
        "note": "",
        "publish": False,
    }
    values.update(kwargs)
    return contract_create(**values)


def test_a_lease_with_its_schedule_recorded_and_audited(village: Village) -> None:
    actor = user_of(manager(village))
    contract = _create(village, actor)
    dues = list(RentInstalment.objects.filter(contract=contract).values_list("due_on", "amount"))
    assert dues == [
        (date(2024, 1, 31), Decimal("1500.50")),
        (date(2024, 7, 31), Decimal("1500.50")),
        (date(2025, 1, 31), Decimal("1500.50")),
        (date(2025, 7, 31), Decimal("1500.50")),
    ]
    assert AuditRecord.objects.filter(action="contract.create").count() == 1
    assert not DisclosureItem.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "leased"),
    [
        (-30, 30, True),  # runs today
        (0, 30, True),  # starts today
        (-30, 0, True),  # ends today
        (10, 400, False),  # starts later
        (-800, -400, False),  # over long ago
    ],
)
def test_the_asset_is_leased_only_by_a_contract_running_today(
    village: Village, start: int, end: int, leased: bool
) -> None:
    today = timezone.localdate()
    starts_on, ends_on = today + timedelta(days=start), today + timedelta(days=end)
    asset = make_asset(village, status=AssetStatus.IN_USE)
    contract = _create(
        village,
        user_of(manager(village)),
        asset=asset,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=RentSchedule(Decimal("100.00"), "month", starts_on),
    )
    asset.refresh_from_db()
    assert asset.status == (AssetStatus.LEASED if leased else AssetStatus.IN_USE)
    assert AuditRecord.objects.filter(action="asset.lease").count() == (1 if leased else 0)
    assert contract.instalments.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "first_due_on"),
    [
        (date(9999, 1, 1), date(9999, 12, 31), date(9999, 12, 31)),  # the next due date is past 9999
        (date(2024, 1, 1), date(9999, 12, 31), date(2024, 1, 1)),
        (date(2024, 1, 1), date(2124, 1, 2), date(2024, 1, 1)),  # over 100 years
        (date(2190, 1, 1), date(2201, 1, 1), date(2190, 1, 1)),  # ends after 2200
    ],
)
def test_refused_a_term_too_long_or_too_late(
    village: Village, starts_on: date, ends_on: date, first_due_on: date
) -> None:
    with pytest.raises(ValidationError, match="at most 100 years and ends in 2200 at the latest"):
        _create(
            village,
            user_of(manager(village)),
            starts_on=starts_on,
            ends_on=ends_on,
            schedule=RentSchedule(Decimal("100.00"), "year", first_due_on),
        )
    assert not Contract.objects.exists()


def test_a_term_of_a_hundred_years_is_recorded(village: Village) -> None:
    contract = _create(
        village,
        user_of(manager(village)),
        starts_on=date(2024, 1, 1),
        ends_on=date(2124, 1, 1),
        schedule=RentSchedule(Decimal("100.00"), "year", date(2024, 1, 1)),
    )
    assert contract.instalments.count() == 101


def test_monthly_dates_keep_the_day_or_the_month_end() -> None:
    dates = schedule_dates(RentSchedule(Decimal(1), "month", date(2024, 1, 31)), ends_on=date(2024, 4, 30))
    assert dates == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]


def test_published_on_the_board_when_asked_and_allowed(village: Village) -> None:
    actor = user_of(manager(village))  # the accountant publishes on the board
    resolution = approving_resolution(village)
    _create(village, actor, publish=True, resolution=resolution)
    item = DisclosureItem.objects.get()
    assert item.section == DisclosureSection.LEASES and item.source == resolution
    assert "张承租" in item.body and "¥1,500.50" in item.body
    # A second contract under the same resolution is published without naming it again.
    _create(village, actor, publish=True, resolution=resolution, number="HT-2024-02")
    assert DisclosureItem.objects.count() == 2


def test_not_published_by_one_who_may_not_publish(village: Village) -> None:
    head = manager(village, Role.COLLECTIVE_HEAD)
    _create(village, user_of(head), publish=True)
    assert Contract.objects.count() == 1 and not DisclosureItem.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda v: None,
        lambda v: approving_resolution(v, published=False),
        lambda v: approving_resolution(v, passed=False),
        lambda v: approving_resolution(v, matter=Matter.HOMESTEAD_PLAN),
        lambda v: approving_resolution(v, matter=Matter.LAND_CONTRACTING_PLAN),  # not for a lease
        lambda v: approving_resolution(v, body=Body.REPRESENTATIVES_MEETING),  # no delegation
        lambda v: approving_resolution(v, body=Body.VILLAGE_COMMITTEE),
    ],
)
def test_refused_without_the_resolution_that_approved_it(village: Village, make) -> None:
    resolution = make(village)
    with pytest.raises(ValidationError, match=r"Art\. 24"):
        contract_create(
            actor=user_of(manager(village)),
            village=village,
            asset=make_asset(village),
            kind="lease",
            number="HT-1",
            counterparty="张",
            counterparty_phone="",
            starts_on=date(2024, 1, 1),
            ends_on=date(2025, 1, 1),
            schedule=SCHEDULE,
            resolution=resolution or approving_resolution(village, published=False),
            note="",
            publish=False,
        )
    assert not Contract.objects.exists() and not RentInstalment.objects.exists()


def test_a_resolution_of_another_village_is_refused(village: Village, other_village: Village) -> None:
    with pytest.raises(ValidationError, match=r"Art\. 24"):
        _create(village, user_of(manager(village)), resolution=approving_resolution(other_village))
    assert not Contract.objects.exists()


def test_contracting_land_may_follow_the_land_contracting_plan(village: Village) -> None:
    resolution = approving_resolution(village, matter=Matter.LAND_CONTRACTING_PLAN)
    contract = _create(village, user_of(manager(village)), kind="contracting", resolution=resolution)
    assert contract.kind == "contracting"
    with pytest.raises(ValidationError, match=r"Art\. 24"):
        _create(
            village,
            user_of(manager(village)),
            kind="contracting",
            resolution=resolution,
            number="HT-2",
            asset=make_asset(village, "building"),
        )


def test_refused_overlap_disposed_funds_bad_terms_and_duplicates(village: Village) -> None:
    actor = user_of(manager(village))
    asset = make_asset(village)
    make_contract(asset, number="HT-OLD", starts_on=date(2023, 1, 1), ends_on=date(2024, 3, 1))
    with pytest.raises(ValidationError, match="terms overlap"):
        _create(village, actor, asset=asset)
    with pytest.raises(ValidationError, match="disposed of"):
        _create(village, actor, asset=make_asset(village, status=AssetStatus.DISPOSED))
    with pytest.raises(ValidationError, match="Funds and investments"):
        _create(village, actor, asset=make_asset(village, "fund"))
    with pytest.raises(ValidationError, match="end after it starts"):
        _create(village, actor, ends_on=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="within the term"):
        _create(village, actor, schedule=RentSchedule(Decimal(1), "year", date(2023, 12, 1)))
    with pytest.raises(ValidationError, match="more than zero"):
        _create(village, actor, schedule=RentSchedule(Decimal(0), "year", date(2024, 1, 1)))
    with pytest.raises(ValidationError, match="already used"):
        _create(village, actor, number="HT-OLD")
    assert Contract.objects.count() == 1


def test_a_terminated_contract_frees_the_asset_from_the_day_after(village: Village) -> None:
    asset = make_asset(village)
    make_contract(
        asset, starts_on=date(2022, 1, 1), ends_on=date(2026, 1, 1), terminated_on=date(2023, 12, 31)
    )
    assert _create(village, user_of(manager(village)), asset=asset).pk


def test_refused_to_a_resident(village: Village, resident: Person) -> None:
    with pytest.raises(ValidationError, match="manage contracts"):
        _create(village, user_of(resident))
    assert not Contract.objects.exists()


# --- The page ------------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("contract_create", args=[village.admin_code])


def _data(the_asset, the_resolution, **overrides) -> dict[str, str]:
    data = {
        "asset": str(the_asset.pk),
        "kind": "lease",
        "number": "HT-9",
        "counterparty": "李承包",
        "counterparty_phone": "",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
        "amount": "3000.00",
        "period": "year",
        "first_due_on": "2024-01-01",
        "resolution": str(the_resolution.pk),
        "note": "",
    }
    return data | overrides


def test_page_records_and_redirects(village: Village) -> None:
    person = manager(village)
    asset = make_asset(village, name="东塘鱼塘")
    resolution = approving_resolution(village, title="出租鱼塘决议")
    client = client_for(person)
    page = client.get(_url(village))
    assert page.status_code == 200
    assert "东塘鱼塘" in page.content.decode() and "出租鱼塘决议" in page.content.decode()
    response = client.post(_url(village), _data(asset, resolution, publish="on"))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contract_detail", args=[village.admin_code, contract.pk])
    assert contract.instalments.count() == 3
    assert DisclosureItem.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": "-1"},
        {"amount": "1.001"},
        {"period": "week"},
        {"ends_on": "2023-01-01"},
        {"number": ""},
        {"asset": "999999999"},
        {"resolution": ""},
        {"first_due_on": "nonsense"},
        {"starts_on": "9999-01-01", "ends_on": "9999-12-31", "first_due_on": "9999-12-31"},
        {"ends_on": "9999-12-31"},
        {"ends_on": "2124-12-31"},
        {"first_due_on": "2201-01-01"},
    ],
)
def test_page_refuses_bad_input_with_400(village: Village, overrides: dict[str, str]) -> None:
    client = client_for(manager(village))
    response = client.post(
        _url(village), _data(make_asset(village), approving_resolution(village), **overrides)
    )
    assert response.status_code == 400
    assert not Contract.objects.exists()


def test_page_permissions(village: Village, resident_client: Client, outsider_client: Client) -> None:
    data = _data(make_asset(village), approving_resolution(village))
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(supervisor).post(_url(village), data).status_code == 403
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.post(_url(village), data).status_code == 404
    assert Client().post(_url(village), data).status_code == 302
    assert not Contract.objects.exists()
