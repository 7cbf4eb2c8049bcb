"""One place that answers "may this person do this in this village?".

Every view and consumer asks here; nothing else compares roles. A person's
capacities come from their active role assignments on the village's roster,
plus resident for a registered villager, household head from the household
register, and village-committee member and supervisor from a seat in force on
those councils of the village.
"""

from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from villagegov.models import Body, Household, Person, Role, RoleAssignment, User, Village
from villagegov.models.councils import BODY_OF_ROLE, ROLE_OF_SEAT
from villagegov.selectors.roster import role_seats_in_force
from villagegov.selectors.terms import in_force_on


class Action(StrEnum):
    VIEW_VILLAGE = "view_village"
    VIEW_ROSTER = "view_roster"
    MANAGE_ROSTER = "manage_roster"
    ISSUE_INVITATION = "issue_invitation"
    MANAGE_COUNCILS = "manage_councils"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_SESSIONS = "manage_sessions"
    RECORD_ATTENDANCE = "record_attendance"
    TAKE_PART = "take_part"
    MANAGE_AGENDA = "manage_agenda"
    MODERATE_DISCUSSION = "moderate_discussion"
    RUN_POLLS = "run_polls"
    RAISE_TOPIC = "raise_topic"
    ANSWER_TOPIC = "answer_topic"
    KEEP_MINUTES = "keep_minutes"
    RECORD_DECISIONS = "record_decisions"
    VIEW_REVIEWS = "view_reviews"
    RUN_REVIEWS = "run_reviews"
    APPOINT_SUPERVISORS = "appoint_supervisors"
    ASK_QUESTIONS = "ask_questions"
    ANSWER_QUESTIONS = "answer_questions"
    PUBLISH_DISCLOSURE = "publish_disclosure"
    RAISE_OBJECTION = "raise_objection"
    VIEW_FINANCES = "view_finances"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_ASSETS = "manage_assets"
    KEEP_ACCOUNTS = "keep_accounts"
    MANAGE_DISTRIBUTIONS = "manage_distributions"


OFFICIALS = frozenset({Role.COMMITTEE_MEMBER, Role.CLERK})
EVERY_ROLE = frozenset(Role)

ROLES_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_VILLAGE: EVERY_ROLE,
    Action.VIEW_ROSTER: OFFICIALS | {Role.ACCOUNTANT, Role.SUPERVISOR, Role.TOWNSHIP_STAFF},
    Action.MANAGE_ROSTER: OFFICIALS,
    Action.ISSUE_INVITATION: OFFICIALS,
    Action.MANAGE_COUNCILS: OFFICIALS,
    Action.VIEW_AUDIT_LOG: OFFICIALS | {Role.SUPERVISOR, Role.TOWNSHIP_STAFF},
    Action.MANAGE_SESSIONS: OFFICIALS,
    Action.RECORD_ATTENDANCE: OFFICIALS,
    # Speaking, posting and voting: the services check membership of the council and presence.
    Action.TAKE_PART: EVERY_ROLE,
    Action.MANAGE_AGENDA: OFFICIALS,
    Action.MODERATE_DISCUSSION: OFFICIALS,
    Action.RUN_POLLS: OFFICIALS,
    Action.RAISE_TOPIC: EVERY_ROLE - {Role.TOWNSHIP_STAFF},
    Action.ANSWER_TOPIC: OFFICIALS,
    Action.KEEP_MINUTES: OFFICIALS,
    Action.RECORD_DECISIONS: OFFICIALS | {Role.PARTY_BRANCH_MEMBER},
    Action.VIEW_REVIEWS: OFFICIALS | {Role.SUPERVISOR, Role.ACCOUNTANT, Role.TOWNSHIP_STAFF},
    Action.RUN_REVIEWS: frozenset({Role.SUPERVISOR}),
    Action.APPOINT_SUPERVISORS: OFFICIALS,
    Action.ASK_QUESTIONS: frozenset({Role.SUPERVISOR}),
    # Officials and the accountant answer; the service checks the question is addressed to them.
    Action.ANSWER_QUESTIONS: OFFICIALS | {Role.ACCOUNTANT},
    Action.PUBLISH_DISCLOSURE: OFFICIALS | {Role.ACCOUNTANT},
    Action.RAISE_OBJECTION: EVERY_ROLE - {Role.TOWNSHIP_STAFF},
    # The collective's books are open to those who keep or check them; members see their own
    # shares and the published plans (VIEW_VILLAGE), and the board shows the disclosures.
    Action.VIEW_FINANCES: OFFICIALS
    | {Role.ACCOUNTANT, Role.COLLECTIVE_HEAD, Role.SUPERVISOR, Role.TOWNSHIP_STAFF},
    Action.MANAGE_MEMBERS: OFFICIALS | {Role.COLLECTIVE_HEAD},
    Action.MANAGE_ASSETS: OFFICIALS | {Role.ACCOUNTANT, Role.COLLECTIVE_HEAD},
    Action.KEEP_ACCOUNTS: OFFICIALS | {Role.ACCOUNTANT, Role.COLLECTIVE_HEAD},
    Action.MANAGE_DISTRIBUTIONS: OFFICIALS | {Role.ACCOUNTANT, Role.COLLECTIVE_HEAD},
}

# Roles whose holders must use a second factor when VILLAGEGOV_REQUIRE_MFA is on: every role that
# may change more than a villager may (the roster, the books, the minutes, the decisions).
ROLES_REQUIRING_MFA = frozenset(
    {
        Role.COMMITTEE_MEMBER,
        Role.ACCOUNTANT,
        Role.CLERK,
        Role.SUPERVISOR,
        Role.COLLECTIVE_HEAD,
        Role.PARTY_BRANCH_MEMBER,
    }
)


def person_in(user: User | AnonymousUser, village: Village) -> Person | None:
    """The user's own entry on the village's roster, if they are on it and have not left."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(village=village, user=user, left_on__isnull=True).first()


def roles_of_person(person: Person, *, on: date | None = None) -> frozenset[Role]:
    day = on or timezone.localdate()
    assigned = RoleAssignment.objects.filter(in_force_on(day), person=person).order_by()
    seated = role_seats_in_force(day).filter(person=person).order_by()
    # One query for both: the role of each term and the body of each seat that is a role.
    names = assigned.values_list("role", flat=True).union(seated.values_list("council__body", flat=True))
    roles = {ROLE_OF_SEAT[Body(name)] if name in ROLE_OF_SEAT else Role(name) for name in names}
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


def require(user: User | AnonymousUser, action: Action, village: Village) -> frozenset[Role]:
    """Refuse with 404 to anyone outside the village (its pages do not exist for them)
    and with 403 to a villager without the role; otherwise return the user's roles there."""
    roles = roles_in(user, village)
    if not roles:
        raise Http404
    if not roles & ROLES_ALLOWED[action]:
        raise PermissionDenied
    return roles


def requires_mfa(user: User) -> bool:
    """Whether any of the user's current roles, in any village, calls for a second factor."""
    today = timezone.localdate()
    current = {"person__user": user, "person__left_on__isnull": True}
    bodies = [BODY_OF_ROLE[role] for role in ROLES_REQUIRING_MFA if role in BODY_OF_ROLE]
    return (
        RoleAssignment.objects.filter(in_force_on(today), role__in=ROLES_REQUIRING_MFA, **current).exists()
        or role_seats_in_force(today).filter(council__body__in=bodies, **current).exists()
    )
