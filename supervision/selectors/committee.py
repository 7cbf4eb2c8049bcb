"""Reads about the supervision committee (村务监督委员会): its members in office with the
resolution that elected them, what is amiss with its composition, and the resolutions that can
elect a member."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from consultations.models import Resolution
from supervision.models import Appointment
from villagegov.models import Body, Council, CouncilSeat, Person, SeatPosition, User, Village
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.selectors.councils import POSITION_ORDER, seat_in_force
from villagegov.selectors.roster import holding_role, on_roster_on

COMMITTEE_MIN = 3
COMMITTEE_MAX = 5
# The bodies whose resolution elects the committee's members (DOMAIN.md, Supervision).
ELECTING_BODIES = (Body.VILLAGERS_ASSEMBLY, Body.REPRESENTATIVES_MEETING)
COMMITTEE_CITATION = "《村民委员会组织法》第三十二条；《关于建立健全村务监督委员会的指导意见》（2017年）"


@dataclass(frozen=True)
class CommitteeMember:
    seat: CouncilSeat
    appointment: Appointment | None

    @property
    def person(self) -> Person:
        return self.seat.person

    @property
    def is_chair(self) -> bool:
        return self.seat.position == SeatPosition.CHAIR

    @property
    def finance_knowledge(self) -> bool:
        return self.appointment is not None and self.appointment.finance_knowledge


def action_holders(village: Village, action: Action, *, on: date) -> QuerySet[Person]:
    """People on the village's roster on `on` who hold, that day, a role allowed `action`."""
    holds = Q()
    for role in sorted(ROLES_ALLOWED[action]):
        holds |= holding_role(role, on)
    return Person.objects.filter(village=village).filter(on_roster_on(on)).filter(holds)


def roster_name(village_id: int, user_field: str) -> Subquery:
    """The roster name, in the village, of the user in `user_field`: what pages show for who wrote
    or decided something (never a login name). Empty if the user is not on the roster."""
    people = Person.objects.filter(village_id=village_id, user=OuterRef(user_field)).order_by("pk")
    return Subquery(people.values("name")[:1])


def supervision_committee(village: Village) -> Council | None:
    """The village's supervision committee, if it has one (one per village)."""
    return Council.objects.filter(village=village, body=Body.SUPERVISION_COMMITTEE).order_by("pk").first()


def committee_seats_in_force(village: Village, *, on: date) -> QuerySet[CouncilSeat]:
    return CouncilSeat.objects.filter(
        seat_in_force(on=on), council__village=village, council__body=Body.SUPERVISION_COMMITTEE
    )


def committee_in_office(village: Village, *, on: date) -> list[CommitteeMember]:
    """The members in office on `on`, chair first, each with their appointment (two queries)."""
    seats = list(
        committee_seats_in_force(village, on=on)
        .select_related("person")
        .order_by(POSITION_ORDER, "starts_on", "person__name", "pk")
    )
    appointments = {
        appointment.seat_id: appointment
        for appointment in Appointment.objects.filter(seat__in=[seat.pk for seat in seats]).select_related(
            "resolution__session__council"
        )
    }
    return [CommitteeMember(seat=seat, appointment=appointments.get(seat.pk)) for seat in seats]


def committee_member_count(village: Village, *, on: date) -> int:
    """The members in office on `on`: what the sign-off majority is counted against."""
    return committee_seats_in_force(village, on=on).values("person").distinct().count()


def signatures_needed(members: int) -> int:
    """The signatures that conclude a review: a strict majority of the `members` in office
    (1 → 1, 2 → 2, 3 → 2, 4 → 3, 5 → 3), integer arithmetic, never fractions."""
    return members // 2 + 1


def committee_people(village: Village, *, on: date) -> QuerySet[Person]:
    """The people on the committee on `on`, for notifications."""
    seated = committee_seats_in_force(village, on=on).values("person_id")
    return Person.objects.filter(village=village, pk__in=seated)


def committee_member_of(user: User, village: Village, *, on: date) -> Person | None:
    """The user's own person if they sit on the village's committee on `on`."""
    seat = (
        committee_seats_in_force(village, on=on)
        .filter(person__user=user, person__left_on__isnull=True)
        .select_related("person")
        .first()
    )
    return seat.person if seat is not None else None


# The committee shares the village committee's term (DOMAIN.md); when the roster does not know
# when that term ends, a member's term is taken to last a full term of the village committee:
# five years since the 2018 amendment of the Organic Law (Art. 11).
TERM_YEARS = 5


def default_term_end(village: Village, starts_on: date) -> date:
    """The last day of a committee member's term when none is given: the end of the village
    committee's term in force on `starts_on` (its chair's seat's last day) if the roster knows
    it, else five years after `starts_on` less one day."""
    chair_ends = (
        CouncilSeat.objects.filter(
            seat_in_force(on=starts_on),
            council__village=village,
            council__body=Body.VILLAGE_COMMITTEE,
            position=SeatPosition.CHAIR,
            ends_on__isnull=False,
        )
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    if chair_ends is not None:
        return chair_ends
    try:
        later = starts_on.replace(year=starts_on.year + TERM_YEARS)
    except ValueError:  # 29 February, five years on, is not a day
        later = starts_on.replace(year=starts_on.year + TERM_YEARS, day=28) + timedelta(days=1)
    return later - timedelta(days=1)


def committee_warnings(members: list[CommitteeMember]) -> list[str]:
    """What the law asks of the committee that it lacks (in the active language)."""
    warnings = []
    size = len({member.person.pk for member in members})
    if not COMMITTEE_MIN <= size <= COMMITTEE_MAX:
        warnings.append(
            _("The committee has %(count)d members in office; the law asks for 3 to 5.") % {"count": size}
        )
    if not any(member.finance_knowledge for member in members):
        warnings.append(_("No member in office has finance or accounting knowledge; at least one should."))
    if not any(member.is_chair for member in members):
        warnings.append(_("The committee has no chair in office."))
    return warnings


def electing_resolutions(village: Village) -> QuerySet[Resolution]:
    """Resolutions of this village's 村民会议 or 村民代表会议 that were published or at least
    passed: those that can elect a committee member."""
    return (
        Resolution.objects.filter(
            Q(published_at__isnull=False) | Q(poll__passed=True),
            session__council__village=village,
            session__council__body__in=ELECTING_BODIES,
        )
        .select_related("session__council")
        .order_by("-session__starts_at", "-pk")
    )
