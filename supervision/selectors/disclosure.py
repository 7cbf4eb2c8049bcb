"""Reads of the disclosure board (村务公开栏): its sections, one item with its objections, and the
schedule of Organic Law Art. 30 (DOMAIN.md) — what is due, what is overdue, and the committee's
checks against it.

The period arithmetic at the top is pure (dates in, dates out) so it can be tested on its own;
"today" is always the local day in Asia/Shanghai, passed in by the caller."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from consultations.matters import DECIDED_BY, Matter
from consultations.models import Poll, PollState, Resolution
from consultations.selectors.resolutions import published_resolutions
from supervision.models import (
    DisclosureCheck,
    DisclosureItem,
    DisclosureObjection,
    DisclosurePolicy,
    DisclosureSection,
    ReviewState,
)
from villagegov.models import Person, Village

# A period's disclosure is due within this many days after the period ends and overdue after
# that. Art. 30 says "at least quarterly" / "monthly" without a grace period; 15 days is the
# common local rule (公开时间一般在季度/月度结束后15日内), enough to close the books first.
DUE_DAYS_AFTER_PERIOD = 15

# Items shown per section on the board; the section's own page is the item list itself.
BOARD_ITEMS_PER_SECTION = 10


class Cadence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    AT_ONCE = "at_once"
    AS_MADE = "as_made"  # resolutions: published by the consultations app when they are made


class PeriodStatus(StrEnum):
    DONE = "done"  # an item covers the period
    DUE = "due"  # not yet covered, still within the days allowed
    OVERDUE = "overdue"  # not covered, past the days allowed


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def due_by(self) -> date:
        """The last day on which the period's disclosure is on time."""
        return self.end + timedelta(days=DUE_DAYS_AFTER_PERIOD)


# --- Pure period arithmetic --------------------------------------------------------------------


def month_containing(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(date(day.year, day.month, 1), date(day.year, day.month, last))


def quarter_containing(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    last_month = first_month + 2
    return Period(
        date(day.year, first_month, 1),
        date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
    )


def period_containing(day: date, *, monthly: bool) -> Period:
    return month_containing(day) if monthly else quarter_containing(day)


def complete_periods(today: date, *, monthly: bool, count: int) -> list[Period]:
    """The last `count` periods (months or quarters) that ended before `today`, newest first."""
    periods: list[Period] = []
    current = period_containing(today, monthly=monthly)
    for _ in range(count):
        current = period_containing(current.start - timedelta(days=1), monthly=monthly)
        periods.append(current)
    return periods


def period_covered(spans: Iterable[tuple[date | None, date | None]], period: Period) -> bool:
    """Whether the union of the items' periods (start, end) covers every day of `period`: three
    monthly items cover their quarter, two that leave a day between them do not. An item without
    a period covers nothing."""
    day = period.start  # the first day not yet covered
    for start, end in sorted((s, e) for s, e in spans if s is not None and e is not None):
        if start > day:
            return False  # a gap before this item (and, sorted by start, before every later one)
        if end >= period.end:
            return True
        day = max(day, end + timedelta(days=1))
    return False


def period_status(period: Period, *, covered: bool, today: date) -> PeriodStatus:
    if covered:
        return PeriodStatus.DONE
    return PeriodStatus.DUE if today <= period.due_by else PeriodStatus.OVERDUE


def objection_window_last_day(published_on: date, *, days: int | None = None) -> date:
    """The last local day on which an objection to an item published on `published_on` is taken."""
    allowed = settings.VILLAGEGOV_OBJECTION_DAYS if days is None else days
    return published_on + timedelta(days=allowed)


# --- The board ---------------------------------------------------------------------------------

# The matters of Organic Law Art. 24 (those sharing land compensation's rule in DECIDED_BY): a
# passed vote on one is a major matter, disclosed at once (Art. 30: 重大事项随时公开) in the major
# matters' section, except land compensation and the disposal of property (leases), which have
# their own sections (DOMAIN.md). A vote on a motion with no matter makes nothing due here.
ART_24_MATTERS = tuple(
    matter for matter, rule in DECIDED_BY.items() if rule is DECIDED_BY[Matter.LAND_COMPENSATION]
)
MATTER_SECTIONS: dict[Matter, DisclosureSection] = {
    **{matter: DisclosureSection.MAJOR for matter in ART_24_MATTERS},
    Matter.LAND_COMPENSATION: DisclosureSection.LAND_COMPENSATION,
    Matter.PROPERTY_DISPOSAL: DisclosureSection.LEASES,
}
# Sections that cover a period, so a period is required when publishing in them.
PERIODIC_SECTIONS = (DisclosureSection.FINANCES, DisclosureSection.GENERAL)


def finance_monthly(village: Village | None = None) -> bool:
    """Whether `village` discloses its finances monthly: its own policy (DisclosurePolicy), else
    the installation's default (settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY)."""
    if village is not None:
        own = (
            DisclosurePolicy.objects.filter(village=village)
            .values_list("finances_monthly", flat=True)
            .first()
        )
        if own is not None:
            return own
    return bool(settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY)


def section_cadence(section: DisclosureSection, *, finances_monthly: bool | None = None) -> Cadence:
    """How often `section` is disclosed; the finances by `finances_monthly` (the village's
    policy, `finance_monthly(village)`), the installation's default if not given."""
    if section == DisclosureSection.FINANCES:
        monthly = finance_monthly() if finances_monthly is None else finances_monthly
        return Cadence.MONTHLY if monthly else Cadence.QUARTERLY
    if section == DisclosureSection.GENERAL:
        return Cadence.QUARTERLY
    if section == DisclosureSection.RESOLUTIONS:
        return Cadence.AS_MADE
    return Cadence.AT_ONCE


def village_disclosures(village: Village) -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(village=village).order_by("-published_at", "-pk")


def village_disclosure(village: Village, disclosure_id: int) -> DisclosureItem | None:
    return (
        village_disclosures(village)
        .select_related("corrects")
        .annotate(objection_count=Count("objections"))
        .filter(pk=disclosure_id)
        .first()
    )


@dataclass
class BoardSection:
    section: DisclosureSection
    items: list[DisclosureItem]
    total: int
    resolutions: list[Resolution] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.section.label)


def board_sections(village: Village) -> list[BoardSection]:
    """Each section with its newest items (at most BOARD_ITEMS_PER_SECTION, one query a section)
    and, in the resolutions section, the resolutions the village's sessions published."""
    totals = dict(
        DisclosureItem.objects.filter(village=village)
        .values_list("section")
        .annotate(n=Count("pk"))
        .values_list("section", "n")
        .order_by()
    )
    sections: list[BoardSection] = []
    for section in DisclosureSection:
        items = (
            list(
                village_disclosures(village)
                .filter(section=section)
                .select_related("corrects")[:BOARD_ITEMS_PER_SECTION]
            )
            if totals.get(section.value)
            else []
        )
        board = BoardSection(section=section, items=items, total=totals.get(section.value, 0))
        if section == DisclosureSection.RESOLUTIONS:
            board.resolutions = list(published_resolutions(village)[:BOARD_ITEMS_PER_SECTION])
        sections.append(board)
    return sections


def correction_items(item: DisclosureItem) -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(corrects=item).order_by("published_at", "pk")


def item_objections(
    item: DisclosureItem, *, person: Person | None, all_of_them: bool
) -> list[DisclosureObjection]:
    """The objections whose texts the reader may see: all for officials, their own for an objector,
    none for anyone else (who sees only the count)."""
    objections = DisclosureObjection.objects.filter(item=item).select_related("person", "answered_by")
    if all_of_them:
        return list(objections.order_by("raised_at", "pk"))
    if person is None:
        return []
    return list(objections.filter(person=person).order_by("raised_at", "pk"))


def village_objection(village: Village, objection_id: int) -> DisclosureObjection | None:
    return (
        DisclosureObjection.objects.filter(item__village=village, pk=objection_id)
        .select_related("item", "person")
        .first()
    )


def has_objected(item: DisclosureItem, person: Person | None) -> bool:
    return person is not None and DisclosureObjection.objects.filter(item=item, person=person).exists()


def objection_window_open(item: DisclosureItem, *, today: date | None = None) -> bool:
    day = today or timezone.localdate()
    return day <= objection_window_last_day(timezone.localdate(item.published_at))


# --- The schedule ------------------------------------------------------------------------------

# How many complete periods the schedule shows per periodic section: the last one may still be
# within its days, so the one before is shown too and a gap cannot hide behind it.
SCHEDULE_PERIODS = 2


@dataclass
class PeriodRow:
    period: Period
    status: PeriodStatus
    items: list[DisclosureItem]  # the items whose periods overlap it, earliest period first
    checks: list[DisclosureCheck]  # the committee's concluded checks that overlap it


@dataclass
class DueMatter:
    """A passed vote on an Art. 24 matter that is not disclosed yet: no item of its section
    published after the vote names the vote, or its resolution, as its source."""

    poll: Poll
    matter: Matter
    section: DisclosureSection
    resolution: Resolution | None  # the vote's resolution, once published

    @property
    def resolution_id(self) -> int | None:
        return self.resolution.pk if self.resolution is not None else None

    @property
    def source(self) -> Poll | Resolution:
        """What the item disclosing it names: the published resolution, else the vote."""
        return self.resolution if self.resolution is not None else self.poll


@dataclass
class SectionSchedule:
    section: DisclosureSection
    cadence: Cadence
    periods: list[PeriodRow] = field(default_factory=list)
    latest: DisclosureItem | Resolution | None = None
    due_now: list[DueMatter] = field(default_factory=list)
    # The resolutions section: passed votes whose resolution is written but not published.
    to_publish: list[Resolution] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.section.label)

    @property
    def latest_is_resolution(self) -> bool:
        return isinstance(self.latest, Resolution)

    @property
    def overdue(self) -> bool:
        return any(row.status == PeriodStatus.OVERDUE for row in self.periods)

    @property
    def due(self) -> bool:
        return (
            bool(self.due_now)
            or bool(self.to_publish)
            or any(row.status == PeriodStatus.DUE for row in self.periods)
        )


def _overlaps(start: date | None, end: date | None, period: Period) -> bool:
    return start is not None and end is not None and start <= period.end and end >= period.start


def _periodic_rows(
    items: Iterable[DisclosureItem], periods: list[Period], checks: list[DisclosureCheck], today: date
) -> list[PeriodRow]:
    items = sorted(items, key=lambda i: (i.period_start, i.published_at, i.pk))
    rows = []
    for period in periods:
        overlapping = [i for i in items if _overlaps(i.period_start, i.period_end, period)]
        done = period_covered(((i.period_start, i.period_end) for i in overlapping), period)
        rows.append(
            PeriodRow(
                period=period,
                status=period_status(period, covered=done, today=today),
                items=overlapping,
                checks=[c for c in checks if _overlaps(c.period_start, c.period_end, period)],
            )
        )
    return rows


def due_matters(village: Village) -> list[DueMatter]:
    """The village's passed votes on Art. 24 matters not disclosed yet (see DueMatter), oldest
    first: three queries whatever their number."""
    polls = list(
        Poll.objects.filter(
            item__session__council__village=village,
            item__motionitem__matter__in=[m.value for m in MATTER_SECTIONS],
            state=PollState.CLOSED,
            passed=True,
        )
        .annotate(matter=F("item__motionitem__matter"))
        .select_related("item__session__council")
        .order_by("closed_at", "pk")
    )
    if not polls:
        return []
    resolutions = {
        resolution.poll_id: resolution
        for resolution in Resolution.objects.filter(poll__in=polls, published_at__isnull=False)
    }
    poll_type = ContentType.objects.get_for_model(Poll)
    resolution_type = ContentType.objects.get_for_model(Resolution)
    poll_of_resolution = {resolution.pk: poll_id for poll_id, resolution in resolutions.items()}
    disclosed: dict[int, list[tuple[str, datetime]]] = {}
    named = DisclosureItem.objects.filter(village=village).filter(
        Q(source_type=poll_type, source_id__in=[poll.pk for poll in polls])
        | Q(source_type=resolution_type, source_id__in=list(poll_of_resolution))
    )
    for source_type_id, source_id, section, published_at in named.values_list(
        "source_type_id", "source_id", "section", "published_at"
    ):
        assert source_id is not None  # filtered on it
        poll_id = source_id if source_type_id == poll_type.pk else poll_of_resolution[source_id]
        disclosed.setdefault(poll_id, []).append((section, published_at))
    due = []
    for poll in polls:
        matter = Matter(poll.matter)
        section = MATTER_SECTIONS[matter]
        cleared = any(
            item_section == section and poll.closed_at is not None and published_at > poll.closed_at
            for item_section, published_at in disclosed.get(poll.pk, [])
        )
        if not cleared:
            due.append(
                DueMatter(poll=poll, matter=matter, section=section, resolution=resolutions.get(poll.pk))
            )
    return due


def resolutions_to_publish(village: Village) -> QuerySet[Resolution]:
    """Resolutions of passed votes that the village has not published yet."""
    return (
        Resolution.objects.filter(
            session__council__village=village, poll__passed=True, published_at__isnull=True
        )
        .select_related("session__council", "poll")
        .order_by("poll__closed_at", "pk")
    )


def disclosure_schedule(village: Village, *, today: date | None = None) -> list[SectionSchedule]:
    """Per section what is due and what is overdue (Organic Law Art. 30): the last complete
    periods of the periodic sections with the committee's concluded checks against them, the
    latest item and the votes waiting to be disclosed of the at-once sections, and the
    resolutions still to publish. Only what the public may read: checks under way stay out."""
    day = today or timezone.localdate()
    monthly = finance_monthly(village)
    periods_of = {
        section: complete_periods(
            day,
            monthly=section_cadence(section, finances_monthly=monthly) == Cadence.MONTHLY,
            count=SCHEDULE_PERIODS,
        )
        for section in PERIODIC_SECTIONS
    }
    earliest = min(p.start for periods in periods_of.values() for p in periods)
    latest_end = max(p.end for periods in periods_of.values() for p in periods)
    periodic_items = list(
        DisclosureItem.objects.filter(
            village=village,
            section__in=[s.value for s in PERIODIC_SECTIONS],
            period_start__lte=latest_end,
            period_end__gte=earliest,
        ).order_by("period_start", "published_at", "pk")
    )
    checks = list(
        DisclosureCheck.objects.filter(
            village=village,
            state=ReviewState.CONCLUDED,
            period_start__lte=latest_end,
            period_end__gte=earliest,
        ).order_by("period_start", "pk")
    )
    newest = dict(
        DisclosureItem.objects.filter(village=village)
        .values("section")
        .annotate(at=Max("published_at"))
        .values_list("section", "at")
        .order_by()
    )
    latest_items: dict[str, DisclosureItem] = {}
    if newest:
        wanted = Q()
        for section, at in newest.items():
            wanted |= Q(section=section, published_at=at)
        for item in DisclosureItem.objects.filter(village=village).filter(wanted).order_by("-pk"):
            latest_items.setdefault(item.section, item)
    latest_resolution = published_resolutions(village).first()
    due: dict[str, list[DueMatter]] = {}
    for matter in due_matters(village):
        due.setdefault(matter.section.value, []).append(matter)
    schedule: list[SectionSchedule] = []
    for section in DisclosureSection:
        row = SectionSchedule(section=section, cadence=section_cadence(section, finances_monthly=monthly))
        row.latest = latest_items.get(section.value)
        if section == DisclosureSection.RESOLUTIONS:
            own = row.latest
            if latest_resolution is not None and (
                own is None
                or (
                    latest_resolution.published_at is not None
                    and latest_resolution.published_at > own.published_at
                )
            ):
                row.latest = latest_resolution
            row.to_publish = list(resolutions_to_publish(village))
        if section in PERIODIC_SECTIONS:
            row.periods = _periodic_rows(
                (i for i in periodic_items if i.section == section.value), periods_of[section], checks, day
            )
        row.due_now = due.get(section.value, [])
        schedule.append(row)
    return schedule
