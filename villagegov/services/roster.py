"""Writes to the village roster: villager groups, households, people, role terms, kinship."""

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagegov.formats import local_date
from villagegov.models import (
    INVERSE_RELATION,
    Body,
    CouncilSeat,
    Gender,
    Household,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    User,
    Village,
    VillagerGroup,
)
from villagegov.models.councils import BODY_OF_ROLE, OFFICES_BARRING_SUPERVISION
from villagegov.selectors.roster import role_seats_in_force
from villagegov.selectors.terms import overlapping
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

PHONE_PATTERN = re.compile(r"^\+?[0-9]{5,19}$")
PERSON_EDITABLE_FIELDS = frozenset(
    {"name", "gender", "birth_date", "phone", "household", "is_registered_resident", "joined_on"}
)
MAX_GROUP_NUMBER = 32767  # PositiveSmallIntegerField on every database


def normalise_phone(phone: str) -> str:
    """Spaces and dashes dropped, so that a search finds the number however it was typed."""
    return re.sub(r"[\s-]", "", phone)


def _check_not_future(day: date | None, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(message)


def _validate_person(village: Village, values: dict[str, Any], *, left_on: date | None) -> dict[str, Any]:
    """Check and normalise a person's editable fields; every rule of create and update."""
    values["name"] = clean_text(
        values["name"],
        max_length=50,
        empty=_("Enter the person's name."),
        too_long=_("The name is too long (at most 50 characters)."),
    )
    if values["gender"] not in Gender.values:
        raise ValidationError(_("Choose the person's gender."))
    phone = normalise_phone(values["phone"])
    if phone and not PHONE_PATTERN.match(phone):
        raise ValidationError(_("Enter the phone number in digits, for example 13800138000."))
    values["phone"] = phone
    birth_date, joined_on = values["birth_date"], values["joined_on"]
    _check_not_future(birth_date, _("The date of birth cannot be in the future."))
    _check_not_future(joined_on, _("The date the person joined the roster cannot be in the future."))
    if birth_date is not None and joined_on < birth_date:
        raise ValidationError(_("The person cannot join the roster before they were born."))
    if left_on is not None and joined_on > left_on:
        raise ValidationError(_("The person cannot have joined the roster after they left it."))
    household = values["household"]
    if household is not None and household.village_id != village.pk:
        raise ValidationError(_("That household is not in this village."))
    return values


@transaction.atomic
def group_create(*, actor: User, village: Village, number: int, name: str) -> VillagerGroup:
    if not 1 <= number <= MAX_GROUP_NUMBER:
        raise ValidationError(
            _("The group number must be between 1 and %(max)d.") % {"max": MAX_GROUP_NUMBER}
        )
    name = clean_text(
        name,
        max_length=100,
        empty=_("Enter the group's name."),
        too_long=_("The name is too long (at most 100 characters)."),
    )
    # Lock the village so that two clerks adding the same number at once get a message, not an error page.
    Village.objects.select_for_update().get(pk=village.pk)
    if VillagerGroup.objects.filter(village=village, number=number).exists():
        raise ValidationError(_("This village already has a group number %(number)d.") % {"number": number})
    group = VillagerGroup.objects.create(village=village, number=number, name=name)
    audit_record(actor=actor, village=village, action="group.create", target=group, after=snapshot(group))
    return group


@transaction.atomic
def household_create(
    *, actor: User, village: Village, number: str, group: VillagerGroup | None, address: str = ""
) -> Household:
    number = clean_text(
        number,
        max_length=30,
        empty=_("Enter the household number."),
        too_long=_("The household number is too long (at most 30 characters)."),
    )
    address = address.strip()
    if len(address) > 200:
        raise ValidationError(_("The address is too long (at most 200 characters)."))
    if group is not None and group.village_id != village.pk:
        raise ValidationError(_("That villager group is not in this village."))
    Village.objects.select_for_update().get(pk=village.pk)
    if Household.objects.filter(village=village, number=number).exists():
        raise ValidationError(
            _("This village already has a household number %(number)s.") % {"number": number}
        )
    household = Household.objects.create(village=village, number=number, group=group, address=address)
    audit_record(
        actor=actor, village=village, action="household.create", target=household, after=snapshot(household)
    )
    return household


@transaction.atomic
def household_set_head(*, actor: User, household: Household, head: Person) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    # Locking the person too: they cannot leave the roster while being made head.
    head = Person.objects.select_for_update().get(pk=head.pk)
    if head.village_id != household.village_id or head.household_id != household.pk or head.left_on:
        raise ValidationError(
            _("%(name)s is not a current member of household %(number)s.")
            % {"name": head.name, "number": household.number}
        )
    return audited_update(
        household, actor=actor, village=household.village, action="household.set_head", changes={"head": head}
    )


@transaction.atomic
def person_create(
    *,
    actor: User,
    village: Village,
    name: str,
    gender: str,
    birth_date: date | None = None,
    phone: str = "",
    household: Household | None = None,
    is_registered_resident: bool = True,
    joined_on: date | None = None,
) -> Person:
    values = _validate_person(
        village,
        {
            "name": name,
            "gender": gender,
            "birth_date": birth_date,
            "phone": phone,
            "household": household,
            "is_registered_resident": is_registered_resident,
            "joined_on": joined_on or timezone.localdate(),
        },
        left_on=None,
    )
    person = Person.objects.create(village=village, **values)
    audit_record(actor=actor, village=village, action="person.create", target=person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, **changes: Any) -> Person:
    """Change any of PERSON_EDITABLE_FIELDS; leaving, roles and accounts have their own services."""
    unknown = set(changes) - PERSON_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    values = {name: getattr(person, name) for name in PERSON_EDITABLE_FIELDS} | changes
    values = _validate_person(person.village, values, left_on=person.left_on)
    if values["household"] != person.household and Household.objects.filter(head=person).exists():
        raise ValidationError(
            _("%(name)s is the head of their household. Set another head before moving them.")
            % {"name": person.name}
        )
    changed = [name for name in sorted(PERSON_EDITABLE_FIELDS) if values[name] != getattr(person, name)]
    if not changed:
        return person
    return audited_update(
        person,
        actor=actor,
        village=person.village,
        action="person.update",
        changes={name: values[name] for name in changed},
    )


@transaction.atomic
def person_leave(*, actor: User, person: Person, left_on: date, reason: str) -> Person:
    """Take a person off the roster on `left_on`; their open role terms and council seats end that day."""
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    reason = clean_text(
        reason,
        max_length=200,
        empty=_("Give the reason for leaving."),
        too_long=_("The reason is too long (at most 200 characters)."),
    )
    if person.left_on is not None:
        raise ValidationError(
            _("%(name)s already left the roster on %(date)s.")
            % {"name": person.name, "date": local_date(person.left_on)}
        )
    _check_not_future(left_on, _("The leaving date cannot be in the future."))
    if left_on < person.joined_on:
        raise ValidationError(
            _("The leaving date cannot be before the person joined the roster (%(date)s).")
            % {"date": local_date(person.joined_on)}
        )
    headed = Household.objects.filter(head=person).first()
    if headed is not None:
        raise ValidationError(
            _("%(name)s is the head of household %(number)s. Set another head before they leave.")
            % {"name": person.name, "number": headed.number}
        )
    terms = RoleAssignment.objects.select_for_update().filter(person=person)
    late_start = terms.filter(starts_on__gt=left_on).order_by("starts_on").first()
    if late_start is not None:
        raise ValidationError(
            _("The leaving date cannot be before the start of their term as %(role)s (%(date)s).")
            % {"role": late_start.get_role_display(), "date": local_date(late_start.starts_on)}
        )
    seats = (
        CouncilSeat.objects.select_for_update(of=("self",)).select_related("council").filter(person=person)
    )
    late_seat = seats.filter(starts_on__gt=left_on).order_by("starts_on").first()
    if late_seat is not None:
        raise ValidationError(
            _("The leaving date cannot be before the start of their seat on %(council)s (%(date)s).")
            % {"council": late_seat.council.name, "date": local_date(late_seat.starts_on)}
        )
    ending: list[tuple[RoleAssignment | CouncilSeat, str]] = [
        *((term, "role.end") for term in terms.exclude(ends_on__lte=left_on)),
        *((seat, "council.seat_end") for seat in seats.exclude(ends_on__lte=left_on)),
    ]
    for term, action in ending:
        audited_update(term, actor=actor, village=person.village, action=action, changes={"ends_on": left_on})
    return audited_update(
        person,
        actor=actor,
        village=person.village,
        action="person.leave",
        changes={"left_on": left_on, "left_reason": reason},
    )


def _overlap_error(term: RoleAssignment) -> ValidationError:
    if term.ends_on is None:
        return ValidationError(
            _("This overlaps their term as %(role)s that started on %(start)s and has not ended.")
            % {"role": term.get_role_display(), "start": local_date(term.starts_on)}
        )
    return ValidationError(
        _("This overlaps their term as %(role)s from %(start)s to %(end)s.")
        % {
            "role": term.get_role_display(),
            "start": local_date(term.starts_on),
            "end": local_date(term.ends_on),
        }
    )


def _check_not_supervising(person: Person, role: str, starts_on: date) -> None:
    """The accountant, the clerk and the head of the collective may not sit on the supervision
    committee, so none of these offices goes to a sitting supervisor."""
    seats = role_seats_in_force(starts_on).filter(person=person, council__body=Body.SUPERVISION_COMMITTEE)
    if seats.exists():
        raise ValidationError(
            _(
                "%(name)s sits on the supervision committee on %(date)s, and its members cannot be "
                "%(role)s. End that seat first."
            )
            % {"name": person.name, "date": local_date(starts_on), "role": Role(role).label}
        )


@transaction.atomic
def role_assign(
    *,
    actor: User,
    person: Person,
    role: Role,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> RoleAssignment:
    if role == Role.HOUSEHOLD_HEAD:
        raise ValidationError(_("The household head is set on the household's page, not as a role."))
    if role in BODY_OF_ROLE:
        raise ValidationError(
            _("A %(role)s is appointed on the council page, with a seat on the %(body)s, not assigned here.")
            % {"role": Role(role).label, "body": BODY_OF_ROLE[Role(role)].label}
        )
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    # Locking the person serialises assignments to them, so two overlapping terms cannot both pass.
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    if person.left_on is not None:
        raise ValidationError(
            _("%(name)s left the roster on %(date)s and cannot take a role.")
            % {"name": person.name, "date": local_date(person.left_on)}
        )
    # A term is recorded once it has started, so a person never leaves with a term still to come.
    _check_not_future(starts_on, _("The term cannot start in the future. Record it once it has started."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The term cannot end before it starts."))
    note = note.strip()
    if len(note) > 200:
        raise ValidationError(_("The note is too long (at most 200 characters)."))
    clash = overlapping(RoleAssignment.objects.filter(person=person, role=role), starts_on, ends_on).first()
    if clash is not None:
        raise _overlap_error(clash)
    if role in OFFICES_BARRING_SUPERVISION:
        _check_not_supervising(person, role, starts_on)
    assignment = RoleAssignment.objects.create(
        person=person, role=role, starts_on=starts_on, ends_on=ends_on, note=note
    )
    audit_record(
        actor=actor,
        village=person.village,
        action="role.assign",
        target=assignment,
        after=snapshot(assignment),
    )
    return assignment


@transaction.atomic
def role_end(*, actor: User, assignment: RoleAssignment, ends_on: date) -> RoleAssignment:
    """Set the last day of a term that has not ended yet (today or a later planned day)."""
    assignment = (
        RoleAssignment.objects.select_for_update().select_related("person__village").get(pk=assignment.pk)
    )
    person = assignment.person
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        raise ValidationError(
            _("This term already ended on %(date)s.") % {"date": local_date(assignment.ends_on)}
        )
    if ends_on < assignment.starts_on:
        raise ValidationError(
            _("The term cannot end before it starts (%(date)s).") % {"date": local_date(assignment.starts_on)}
        )
    if person.left_on is not None and ends_on > person.left_on:
        raise ValidationError(
            _("%(name)s left the roster on %(date)s; the term cannot end after that.")
            % {"name": person.name, "date": local_date(person.left_on)}
        )
    others = RoleAssignment.objects.filter(person=person, role=assignment.role).exclude(pk=assignment.pk)
    clash = overlapping(others, assignment.starts_on, ends_on).first()
    if clash is not None:
        raise _overlap_error(clash)
    return audited_update(
        assignment, actor=actor, village=person.village, action="role.end", changes={"ends_on": ends_on}
    )


@transaction.atomic
def kinship_declare(*, actor: User, person: Person, relative: Person, relation: Relation) -> Kinship:
    """Declare that `relative` is `person`'s `relation`; the inverse is stored with it."""
    if relation not in Relation.values:
        raise ValidationError(_("Choose how they are related."))
    if person.pk == relative.pk:
        raise ValidationError(_("A person cannot be declared their own relative."))
    if person.village_id != relative.village_id:
        raise ValidationError(_("Kinship can only be declared between people of the same village."))
    # Lock both people in a fixed order so that two declarations of one pair serialise without deadlock.
    list(Person.objects.select_for_update().filter(pk__in=[person.pk, relative.pk]).order_by("pk"))
    existing = Kinship.objects.filter(person=person, relative=relative).first()
    if existing is not None:
        raise ValidationError(
            _("%(relative)s is already declared as %(person)s's %(relation)s.")
            % {"relative": relative.name, "person": person.name, "relation": existing.get_relation_display()}
        )
    relation = Relation(relation)
    forward = Kinship.objects.create(person=person, relative=relative, relation=relation)
    inverse = Kinship.objects.create(person=relative, relative=person, relation=INVERSE_RELATION[relation])
    audit_record(
        actor=actor,
        village=person.village,
        action="kinship.declare",
        target=forward,
        after={"forward": snapshot(forward), "inverse": snapshot(inverse)},
    )
    return forward
