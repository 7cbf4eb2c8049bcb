"""The disclosure schedule (Organic Law Art. 30): period arithmetic at month, quarter and year
edges, due and overdue boundaries, the committee's checks and decisions "due now"."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from consultations.matters import Matter
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import DisclosureCheck, DisclosureSection, ReviewState
from supervision.selectors.disclosure import (
    DUE_DAYS_AFTER_PERIOD,
    Cadence,
    Period,
    PeriodStatus,
    complete_periods,
    disclosure_schedule,
    month_containing,
    period_covered,
    period_status,
    quarter_containing,
    section_cadence,
)
from supervision.tests.disclosure_testing import make_item, user_of
from villagegov.models import Person, Village

SHANGHAI = ZoneInfo("Asia/Shanghai")
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@given(days)
def test_a_month_contains_the_day_and_is_whole(day: date) -> None:
    month = month_containing(day)
    assert month.start <= day <= month.end
    assert month.start.day == 1 and month.start.month == month.end.month
    assert (month.end + timedelta(days=1)).day == 1


@given(days)
def test_a_quarter_is_three_whole_months_starting_in_january_april_july_or_october(day: date) -> None:
    quarter = quarter_containing(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.start.month in (1, 4, 7, 10) and quarter.start.day == 1
    assert quarter.end.month == quarter.start.month + 2 and quarter.end.year == quarter.start.year
    assert (quarter.end + timedelta(days=1)).day == 1


@given(days, st.booleans(), st.integers(min_value=1, max_value=8))
def test_complete_periods_end_before_today_and_follow_each_other(
    day: date, monthly: bool, count: int
) -> None:
    periods = complete_periods(day, monthly=monthly, count=count)
    assert len(periods) == count
    assert periods[0].end < day
    # The newest ends the day before the current period starts: no gap, no overlap.
    current = month_containing(day) if monthly else quarter_containing(day)
    assert periods[0].end == current.start - timedelta(days=1)
    for newer, older in itertools.pairwise(periods):
        assert older.end + timedelta(days=1) == newer.start


@given(st.integers(min_value=1991, max_value=2199), st.booleans())
def test_at_a_year_end_the_last_period_is_december_or_the_fourth_quarter(year: int, monthly: bool) -> None:
    last = complete_periods(date(year, 1, 1), monthly=monthly, count=1)[0]
    assert last.end == date(year - 1, 12, 31)
    assert last.start == (date(year - 1, 12, 1) if monthly else date(year - 1, 10, 1))


@given(days, st.booleans(), st.integers(min_value=0, max_value=60))
def test_uncovered_period_is_due_until_its_day_and_overdue_after(
    day: date, monthly: bool, after: int
) -> None:
    period = complete_periods(day, monthly=monthly, count=1)[0]
    today = period.end + timedelta(days=after)
    expected = PeriodStatus.DUE if after <= DUE_DAYS_AFTER_PERIOD else PeriodStatus.OVERDUE
    assert period_status(period, covered=False, today=today) == expected
    assert period_status(period, covered=True, today=today) == PeriodStatus.DONE


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 1, 1), date(2024, 3, 31), True),  # exactly the quarter
        (date(2023, 12, 1), date(2024, 4, 30), True),  # more than the quarter
        (date(2024, 1, 2), date(2024, 3, 31), False),  # misses its first day
        (date(2024, 1, 1), date(2024, 3, 30), False),  # misses its last day
        (None, date(2024, 3, 31), False),  # no period at all
        (date(2024, 1, 1), None, False),
    ],
)
def test_one_item_covers_a_period_only_when_its_dates_enclose_it(
    start: date | None, end: date | None, expected: bool
) -> None:
    assert period_covered([(start, end)], Period(date(2024, 1, 1), date(2024, 3, 31))) is expected


Q1_2024 = Period(date(2024, 1, 1), date(2024, 3, 31))
JANUARY = (date(2024, 1, 1), date(2024, 1, 31))
FEBRUARY = (date(2024, 2, 1), date(2024, 2, 29))
MARCH = (date(2024, 3, 1), date(2024, 3, 31))


def test_three_monthly_items_together_cover_their_quarter() -> None:
    assert period_covered([MARCH, JANUARY, FEBRUARY], Q1_2024)
    assert not period_covered([JANUARY, MARCH], Q1_2024)  # February is missing
    assert not period_covered([FEBRUARY, MARCH], Q1_2024)  # January is missing
    assert not period_covered([JANUARY, FEBRUARY], Q1_2024)  # March is missing
    assert not period_covered([], Q1_2024)


def test_a_day_left_between_two_items_leaves_the_period_uncovered() -> None:
    assert not period_covered([(date(2024, 1, 1), date(2024, 2, 14)), (date(2024, 2, 16), MARCH[1])], Q1_2024)
    assert period_covered([(date(2024, 1, 1), date(2024, 2, 15)), (date(2024, 2, 16), MARCH[1])], Q1_2024)
    # Overlapping items, and one reaching before and after the quarter, cover it too.
    assert period_covered(
        [(date(2023, 12, 1), date(2024, 2, 20)), (date(2024, 2, 1), date(2024, 4, 30))], Q1_2024
    )


@given(days, st.lists(st.tuples(days, days), max_size=6))
def test_covered_means_every_day_of_the_period_is_in_some_item(
    c: date, pairs: list[tuple[date, date]]
) -> None:
    period = month_containing(c)
    spans = [(min(a, b), max(a, b)) for a, b in pairs]
    every_day = all(
        any(start <= period.start + timedelta(days=n) <= end for start, end in spans)
        for n in range((period.end - period.start).days + 1)
    )
    assert period_covered(spans, period) == every_day


def test_boundary_of_the_first_quarter_in_shanghai() -> None:
    q1 = Period(date(2024, 1, 1), date(2024, 3, 31))
    assert q1.due_by == date(2024, 4, 15)
    assert period_status(q1, covered=False, today=date(2024, 4, 15)) == PeriodStatus.DUE
    assert period_status(q1, covered=False, today=date(2024, 4, 16)) == PeriodStatus.OVERDUE
    assert complete_periods(date(2024, 3, 31), monthly=False, count=1)[0] == Period(
        date(2023, 10, 1), date(2023, 12, 31)
    )


def test_february_of_a_leap_year_ends_on_the_29th() -> None:
    assert month_containing(date(2024, 2, 10)).end == date(2024, 2, 29)
    assert month_containing(date(2023, 2, 10)).end == date(2023, 2, 28)


def test_cadence_of_finances_follows_the_setting(settings) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = True
    assert section_cadence(DisclosureSection.FINANCES) == Cadence.MONTHLY
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = False
    assert section_cadence(DisclosureSection.FINANCES) == Cadence.QUARTERLY
    assert section_cadence(DisclosureSection.GENERAL) == Cadence.QUARTERLY
    assert section_cadence(DisclosureSection.BIDS) == Cadence.AT_ONCE


def _row(village: Village, section: DisclosureSection, today: date):
    return next(row for row in disclosure_schedule(village, today=today) if row.section == section)


@pytest.mark.django_db
def test_general_affairs_due_then_overdue_at_the_quarter_edge(village: Village) -> None:
    row = _row(village, DisclosureSection.GENERAL, date(2024, 4, 15))
    assert row.periods[0].period == Period(date(2024, 1, 1), date(2024, 3, 31))
    assert row.periods[0].status == PeriodStatus.DUE
    # The quarter before was never published either: overdue, not hidden behind the due one.
    assert row.periods[1].status == PeriodStatus.OVERDUE
    assert (
        _row(village, DisclosureSection.GENERAL, date(2024, 4, 16)).periods[0].status == PeriodStatus.OVERDUE
    )


@pytest.mark.django_db
def test_an_item_covering_the_quarter_makes_it_done(village: Village, official: Person) -> None:
    make_item(
        village,
        by=user_of(official),
        section=DisclosureSection.GENERAL,
        period=(date(2024, 1, 1), date(2024, 3, 31)),
    )
    row = _row(village, DisclosureSection.GENERAL, date(2024, 5, 1))
    assert row.periods[0].status == PeriodStatus.DONE
    assert [item.title for item in row.periods[0].items] == ["村道修建公示"]


@pytest.mark.django_db
def test_monthly_finances_at_the_year_end(village: Village, official: Person, settings) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = True
    make_item(
        village,
        by=user_of(official),
        section=DisclosureSection.FINANCES,
        period=(date(2023, 12, 1), date(2023, 12, 31)),
    )
    row = _row(village, DisclosureSection.FINANCES, date(2024, 1, 16))
    assert row.periods[0].period == Period(date(2023, 12, 1), date(2023, 12, 31))
    assert row.periods[0].status == PeriodStatus.DONE
    assert row.periods[1].status == PeriodStatus.OVERDUE  # November
    # A quarterly village asks for the fourth quarter, which December alone does not cover.
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = False
    row = _row(village, DisclosureSection.FINANCES, date(2024, 1, 16))
    assert row.periods[0].period == Period(date(2023, 10, 1), date(2023, 12, 31))
    assert row.periods[0].status == PeriodStatus.OVERDUE


@pytest.mark.django_db
def test_the_committees_check_shows_against_the_periods_it_overlaps(
    village: Village, official: Person
) -> None:
    now = timezone.now()
    check = DisclosureCheck.objects.create(
        village=village,
        title="第一季度公开检查",
        opened_by=user_of(official),
        opened_at=now,
        state=ReviewState.CONCLUDED,
        concluded_at=now,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 3, 31),
    )
    row = _row(village, DisclosureSection.GENERAL, date(2024, 4, 10))
    assert [c.pk for c in row.periods[0].checks] == [check.pk]
    assert row.periods[1].checks == []


@pytest.mark.django_db
def test_a_passed_land_compensation_vote_is_due_now_until_an_item_names_it(
    village: Village, official: Person
) -> None:
    session = make_session(representatives_meeting(village))
    closed = datetime(2024, 5, 10, 10, 0, tzinfo=SHANGHAI)
    poll = make_closed_poll(session, matter=Matter.LAND_COMPENSATION, closed_at=closed)
    make_closed_poll(session, matter=Matter.LAND_COMPENSATION, passed=False, closed_at=closed)
    make_closed_poll(session, closed_at=closed)  # a motion with no matter makes nothing due
    row = _row(village, DisclosureSection.LAND_COMPENSATION, date(2024, 5, 11))
    assert [due.poll.pk for due in row.due_now] == [poll.pk]
    assert row.due
    by = user_of(official)
    # An item of the section that does not name the vote does not clear it, nor one naming it
    # that was published before the vote closed.
    make_item(
        village, by=by, section=DisclosureSection.LAND_COMPENSATION, published_at=closed + timedelta(hours=1)
    )
    make_item(
        village,
        by=by,
        section=DisclosureSection.LAND_COMPENSATION,
        published_at=closed - timedelta(days=1),
        source=poll,
        corrects=make_item(village, by=by, section=DisclosureSection.LAND_COMPENSATION),
    )
    assert _row(village, DisclosureSection.LAND_COMPENSATION, date(2024, 5, 11)).due_now
    make_item(
        village,
        by=by,
        section=DisclosureSection.LAND_COMPENSATION,
        published_at=closed + timedelta(hours=1),
        source=poll,
    )
    assert _row(village, DisclosureSection.LAND_COMPENSATION, date(2024, 5, 11)).due_now == []


@pytest.mark.django_db
def test_every_art_24_matter_is_due_in_the_major_section_except_land_and_leases(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    for matter in (Matter.HOMESTEAD_PLAN, Matter.LOST_WORK_ALLOWANCE, Matter.COLLECTIVE_INCOME_USE):
        make_closed_poll(session, matter=matter)
    make_closed_poll(session, matter=Matter.CHARTER_OR_COMPACT)  # Art. 27, not Art. 24
    row = _row(village, DisclosureSection.MAJOR, timezone.localdate())
    assert [due.matter for due in row.due_now] == [
        Matter.HOMESTEAD_PLAN,
        Matter.LOST_WORK_ALLOWANCE,
        Matter.COLLECTIVE_INCOME_USE,
    ]


@pytest.mark.django_db
def test_one_later_item_clears_only_the_vote_it_names(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village))
    first = make_closed_poll(session, matter=Matter.PUBLIC_WELFARE_PROJECT)
    second = make_closed_poll(session, matter=Matter.COLLECTIVE_PROJECT)
    resolution = make_resolution(second, published_by=user_of(official))
    make_item(village, by=user_of(official), section=DisclosureSection.MAJOR, source=resolution)
    row = _row(village, DisclosureSection.MAJOR, timezone.localdate())
    assert [due.poll.pk for due in row.due_now] == [first.pk]


@pytest.mark.django_db
def test_an_item_in_another_section_does_not_clear_the_vote(village: Village, official: Person) -> None:
    poll = make_closed_poll(make_session(representatives_meeting(village)), matter=Matter.LAND_COMPENSATION)
    make_item(village, by=user_of(official), section=DisclosureSection.MAJOR, source=poll)
    assert _row(village, DisclosureSection.LAND_COMPENSATION, timezone.localdate()).due_now


@pytest.mark.django_db
def test_a_passed_resolution_left_unpublished_is_to_publish(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village))
    unpublished = make_resolution(make_closed_poll(session))
    make_resolution(make_closed_poll(session), published_by=user_of(official))
    make_resolution(make_closed_poll(session, passed=False))
    row = _row(village, DisclosureSection.RESOLUTIONS, timezone.localdate())
    assert [r.pk for r in row.to_publish] == [unpublished.pk]
    assert row.due


@pytest.mark.django_db
def test_property_disposal_is_due_in_the_leases_section(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    make_closed_poll(session, matter=Matter.PROPERTY_DISPOSAL)
    assert _row(village, DisclosureSection.LEASES, timezone.localdate()).due_now


@pytest.mark.django_db
def test_another_villages_items_and_votes_do_not_count(
    village: Village, other_village: Village, outsider: Person
) -> None:
    make_item(
        other_village,
        by=user_of(outsider),
        section=DisclosureSection.GENERAL,
        period=(date(2024, 1, 1), date(2024, 3, 31)),
    )
    make_closed_poll(make_session(representatives_meeting(other_village)), matter=Matter.LAND_COMPENSATION)
    assert (
        _row(village, DisclosureSection.GENERAL, date(2024, 5, 1)).periods[0].status == PeriodStatus.OVERDUE
    )
    assert _row(village, DisclosureSection.LAND_COMPENSATION, date(2024, 5, 1)).due_now == []


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_schedule_page_is_public(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village))
    poll = make_closed_poll(session, matter=Matter.LAND_COMPENSATION)
    make_resolution(poll, published_by=user_of(official))
    response = Client().get(reverse("disclosure_schedule", args=[village.admin_code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "due now" in text and "overdue" in text
    assert reverse("resolution_detail", args=[village.admin_code, poll.resolution.pk]) in text


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_check_under_way_is_not_on_the_public_schedule(village: Village, official: Person) -> None:
    DisclosureCheck.objects.create(
        village=village,
        title="第一季度公开检查",
        opened_by=user_of(official),
        opened_at=datetime(2024, 4, 2, 9, 0, tzinfo=SHANGHAI),
        period_start=date(2024, 1, 1),
        period_end=date(2024, 3, 31),
    )
    row = _row(village, DisclosureSection.GENERAL, date(2024, 4, 10))
    assert row.periods[0].checks == []
    text = Client().get(reverse("disclosure_schedule", args=[village.admin_code])).content.decode()
    assert "under way" not in text and "checked by the committee" not in text


# --- Frozen clocks at the edges, in Asia/Shanghai: the selectors and the board ask the clock
# themselves (no `today=`), as the pages do.

UTC = ZoneInfo("UTC")


def _freeze(monkeypatch: pytest.MonkeyPatch, utc: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: utc)


def _status(village: Village, section: DisclosureSection) -> list[tuple[Period, PeriodStatus]]:
    row = next(row for row in disclosure_schedule(village) if row.section == section)
    return [(period_row.period, period_row.status) for period_row in row.periods]


@pytest.mark.django_db
def test_just_before_midnight_in_shanghai_the_quarter_is_not_over(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    _freeze(monkeypatch, datetime(2024, 3, 31, 15, 59, tzinfo=UTC))  # 23:59 on 31 March in Shanghai
    assert _status(village, DisclosureSection.GENERAL)[0] == (
        Period(date(2023, 10, 1), date(2023, 12, 31)),
        PeriodStatus.OVERDUE,
    )


@pytest.mark.django_db
def test_half_past_midnight_in_shanghai_the_quarter_and_the_month_are_due(
    village: Village, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = True
    _freeze(monkeypatch, datetime(2024, 3, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 April in Shanghai
    assert _status(village, DisclosureSection.GENERAL)[0] == (
        Period(date(2024, 1, 1), date(2024, 3, 31)),
        PeriodStatus.DUE,
    )
    assert _status(village, DisclosureSection.FINANCES)[0] == (
        Period(date(2024, 3, 1), date(2024, 3, 31)),
        PeriodStatus.DUE,
    )


@pytest.mark.django_db
def test_the_last_day_allowed_ends_at_midnight_in_shanghai(
    village: Village, official: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fourth quarter of 2023 is published, so only the first quarter of 2024 is in question.
    make_item(
        village,
        by=user_of(official),
        section=DisclosureSection.GENERAL,
        period=(date(2023, 10, 1), date(2023, 12, 31)),
    )
    _freeze(monkeypatch, datetime(2024, 4, 15, 15, 59, tzinfo=UTC))  # 23:59 on 15 April
    assert _status(village, DisclosureSection.GENERAL)[0][1] == PeriodStatus.DUE
    board = Client().get(reverse("disclosure_board", args=[village.admin_code]))
    assert [row.section for row in board.context["overdue"]] == [DisclosureSection.FINANCES]
    _freeze(monkeypatch, datetime(2024, 4, 15, 16, 0, tzinfo=UTC))  # 00:00 on 16 April
    assert _status(village, DisclosureSection.GENERAL)[0][1] == PeriodStatus.OVERDUE
    board = Client().get(reverse("disclosure_board", args=[village.admin_code]))
    assert {row.section for row in board.context["overdue"]} == {
        DisclosureSection.FINANCES,
        DisclosureSection.GENERAL,
    }


@pytest.mark.django_db
def test_three_monthly_finance_items_make_a_quarterly_village_up_to_date(
    village: Village, official: Person, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = False
    for month in (JANUARY, FEBRUARY, MARCH, (date(2023, 10, 1), date(2023, 12, 31))):
        make_item(village, by=user_of(official), section=DisclosureSection.FINANCES, period=month)
    _freeze(monkeypatch, datetime(2024, 4, 20, 2, 0, tzinfo=UTC))
    assert [status for _, status in _status(village, DisclosureSection.FINANCES)] == [
        PeriodStatus.DONE,
        PeriodStatus.DONE,
    ]
