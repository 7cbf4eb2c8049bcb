"""One place that answers "may this person do this in this village?".

Every view and consumer asks here; nothing else compares roles. A person's
capacities come from their active role assignments on the village's roster,
plus resident for a registered villager and household head from the household
register.
"""

from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from villagegov.models import Household, Person, Role, RoleAssignment, User, Village


class Action(StrEnum):
    VIEW_VILLAGE = "view_village"
    VIEW_ROSTER = "view_roster"
    MANAGE_ROSTER = "manage_roster"
    ISSUE_INVITATION = "issue_invitation"
    MANAGE_COUNCILS = "manage_councils"
    VIEW_AUDIT_LOG = "view_audit_log"


OFFICIALS = frozenset({Role.COMMITTEE_MEMBER, Role.CLERK})
EVERY_ROLE = frozenset(Role)

ROLES_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_VILLAGE: EVERY_ROLE,
    Action.VIEW_ROSTER: OFFICIALS | {Role.ACCOUNTANT, Role.SUPERVISOR, Role.TOWNSHIP_STAFF},
    Action.MANAGE_ROSTER: OFFICIALS,
    Action.ISSUE_INVITATION: OFFICIALS,
    Action.MANAGE_COUNCILS: OFFICIALS,
    Action.VIEW_AUDIT_LOG: OFFICIALS | {Role.SUPERVISOR, Role.TOWNSHIP_STAFF},
}

# Roles whose holders must use a second factor when VILLAGEGOV_REQUIRE_MFA is on.
ROLES_REQUIRING_MFA = frozenset({Role.COMMITTEE_MEMBER, Role.ACCOUNTANT, Role.CLERK, Role.SUPERVISOR})


def person_in(user: User | AnonymousUser, village: Village) -> Person | None:
    """The user's own entry on the village's roster, if they are on it and have not left."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(village=village, user=user, left_on__isnull=True).first()


def roles_of_person(person: Person, *, on: date | None = None) -> frozenset[Role]:
    day = on or timezone.localdate()
    assigned = RoleAssignment.objects.filter(person=person, starts_on__lte=day).exclude(ends_on__lt=day)
    roles = {Role(role) for role in assigned.values_list("role", flat=True)}
    if person.is_registered_resident:
        roles.add(Role.RESIDENT)
    if Household.objects.filter(head=person).exists():
        roles.add(Role.HOUSEHOLD_HEAD)
    return frozenset(roles)


def roles_in(user: User | AnonymousUser, village: Village) -> frozenset[Role]:
    person = person_in(user, village)
    return roles_of_person(person) if person is not None else frozenset()


def can(user: User | AnonymousUser, action: Action, village: Village) -> bool:
    return bool(roles_in(user, village) & ROLES_ALLOWED[action])


def require(user: User | AnonymousUser, action: Action, village: Village) -> None:
    """Refuse with 404 to anyone outside the village (its pages do not exist for them)
    and with 403 to a villager without the role."""
    roles = roles_in(user, village)
    if not roles:
        raise Http404
    if not roles & ROLES_ALLOWED[action]:
        raise PermissionDenied


def requires_mfa(user: User) -> bool:
    """Whether any of the user's current roles, in any village, calls for a second factor."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(
            person__user=user,
            person__left_on__isnull=True,
            role__in=ROLES_REQUIRING_MFA,
            starts_on__lte=today,
        )
        .exclude(ends_on__lt=today)
        .exists()
    )
