"""Reads about a village as a whole: whose it is, a user's roles in it, its headline figures."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from villagegov.models import AuditRecord, CouncilSeat, Gender, Person, Role, RoleAssignment, User, Village
from villagegov.selectors.roster import (
    RosterCounts,
    people_with_role,
    role_seats_in_force,
    roster_counts,
    terms_in_force,
)


def villages_of(user: User) -> QuerySet[Village]:
    """The villages whose roster the user is on (and has not left)."""
    return Village.objects.filter(people__user=user, people__left_on__isnull=True).distinct()


def terms_of_user(village: Village, user: User, *, on: date) -> list[RoleAssignment]:
    """The user's role terms in the village that are in force on `on`."""
    return list(
        terms_in_force(on)
        .filter(person__village=village, person__user=user, person__left_on__isnull=True)
        .order_by("role", "starts_on")
    )


def role_seats_of_user(village: Village, user: User, *, on: date) -> list[CouncilSeat]:
    """The user's seats in force on `on` on the village's councils whose seats are roles."""
    return list(
        role_seats_in_force(on)
        .filter(council__village=village, person__user=user, person__left_on__isnull=True)
        .select_related("council")
        .order_by("council__body", "starts_on")
    )


@dataclass(frozen=True)
class VillageFigures:
    roster: RosterCounts
    representatives: int
    women_representatives: int

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return part * 100 // whole if whole else None

    @property
    def women_share_of_representatives(self) -> int | None:
        """Women among the representatives, in whole percent rounded down (None without any)."""
        return self._percent(self.women_representatives, self.representatives)

    @property
    def women_share_of_people(self) -> int | None:
        return self._percent(self.roster.women, self.roster.people)


def village_figures(village: Village) -> VillageFigures:
    """The dashboard's big numbers today: the roster's counts plus the representatives."""
    representatives = people_with_role(village, Role.REPRESENTATIVE).aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(gender=Gender.FEMALE))
    )
    return VillageFigures(
        roster=roster_counts(village),
        representatives=representatives["total"],
        women_representatives=representatives["women"],
    )


def village_audit_records(village: Village) -> QuerySet[AuditRecord]:
    """The village's audit records, newest first."""
    return AuditRecord.objects.filter(village=village).select_related("actor").order_by("-seq")


def names_on_roster(village: Village, user_ids: Iterable[int]) -> dict[int, str]:
    """The roster names of these accounts in the village (for "who" columns)."""
    rows = Person.objects.filter(village=village, user_id__in=set(user_ids)).values_list("user_id", "name")
    return {user_id: name for user_id, name in rows if user_id is not None}
