"""Writes to councils: creating a body of the village, seating its members and ending their terms."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from villagegov.formats import local_date
from villagegov.models import (
    ROSTER_BODIES,
    Body,
    Council,
    CouncilSeat,
    Person,
    RoleAssignment,
    SeatPosition,
    User,
    Village,
    VillagerGroup,
)
from villagegov.models.councils import OFFICES_BARRING_SUPERVISION
from villagegov.selectors.roster import close_relatives, role_seats_in_force
from villagegov.selectors.terms import in_force_on, overlapping
from villagegov.services.audit import audit_record, audited_update, snapshot

# Consultation forms may meet in several councils (one per group or topic); every other body is
# one per village, and a villager group meeting is one per group.
CONSULTATION_BODIES = frozenset(
    {
        Body.DELIBERATION_COUNCIL,
        Body.RESIDENTS_SPEAK,
        Body.PUBLIC_SENTIMENT_TALK,
        Body.PEOPLES_DELIBERATION,
        Body.WOMENS_DELIBERATION,
    }
)
ONE_PER_VILLAGE = frozenset(Body) - CONSULTATION_BODIES - {Body.VILLAGER_GROUP_MEETING}


def roster_membership_message(body: str) -> str:
    """Who belongs to a body whose membership follows from the roster."""
    if body == Body.VILLAGERS_ASSEMBLY:
        return _(
            "Every registered villager aged 18 or over on the roster belongs to the villagers' assembly; "
            "it has no seats to fill."
        )
    if body == Body.VILLAGER_GROUP_MEETING:
        return _(
            "Every registered villager aged 18 or over in the group's households belongs to the group "
            "meeting; it has no seats to fill."
        )
    return _(
        "Everyone holding the collective member role belongs to the members' assembly; "
        "it has no seats to fill. Record members on the roster."
    )


@transaction.atomic
def council_create(
    *, actor: User, village: Village, body: Body, name: str, group: VillagerGroup | None = None
) -> Council:
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter the council's name."))
    if len(name) > 100:
        raise ValidationError(_("The name is too long (at most 100 characters)."))
    if body not in Body.values:
        raise ValidationError(_("Choose the kind of body."))
    body = Body(body)
    if body == Body.VILLAGER_GROUP_MEETING:
        if group is None:
            raise ValidationError(_("Choose the villager group whose meeting this is."))
        if group.village_id != village.pk:
            raise ValidationError(_("That villager group is not in this village."))
    elif group is not None:
        raise ValidationError(_("Only a villager group meeting belongs to a villager group."))
    # Lock the village so that two managers creating the same council at once get a message.
    Village.objects.select_for_update().get(pk=village.pk)
    councils = Council.objects.filter(village=village)
    if councils.filter(name=name).exists():
        raise ValidationError(_("This village already has a council named %(name)s.") % {"name": name})
    if body in ONE_PER_VILLAGE:
        existing = councils.filter(body=body).first()
        if existing is not None:
            raise ValidationError(
                _("This village already has its %(body)s: %(name)s.")
                % {"body": body.label, "name": existing.name}
            )
    if group is not None and councils.filter(body=body, group=group).exists():
        raise ValidationError(_("%(group)s already has its group meeting.") % {"group": group.name})
    council = Council.objects.create(village=village, body=body, name=name, group=group)
    audit_record(
        actor=actor, village=village, action="council.create", target=council, after=snapshot(council)
    )
    return council


def _term_words(seat: CouncilSeat) -> str:
    if seat.ends_on is None:
        return _("since %(start)s") % {"start": local_date(seat.starts_on)}
    return _("from %(start)s to %(end)s") % {
        "start": local_date(seat.starts_on),
        "end": local_date(seat.ends_on),
    }


def _check_no_clash(
    council: Council,
    person: Person,
    position: str,
    starts_on: date,
    ends_on: date | None,
    *,
    exclude: CouncilSeat | None = None,
) -> None:
    seats = CouncilSeat.objects.filter(council=council).select_related("person")
    if exclude is not None:
        seats = seats.exclude(pk=exclude.pk)
    clash = overlapping(seats.filter(person=person), starts_on, ends_on).first()
    if clash is not None:
        raise ValidationError(
            _("%(name)s already has a seat on %(council)s %(term)s.")
            % {"name": person.name, "council": council.name, "term": _term_words(clash)}
        )
    if position == SeatPosition.CHAIR:
        chair = overlapping(seats.filter(position=SeatPosition.CHAIR), starts_on, ends_on).first()
        if chair is not None:
            raise ValidationError(
                _("%(name)s is the chair %(term)s. A council has one chair at a time: end that term first.")
                % {"name": chair.person.name, "term": _term_words(chair)}
            )


def _sitting_on(village: Village, body: Body, day: date) -> QuerySet[CouncilSeat]:
    return role_seats_in_force(day).filter(council__village=village, council__body=body)


def _check_supervision_eligibility(village: Village, person: Person, day: date) -> None:
    """Who may not sit on the supervision committee (DOMAIN.md, Supervision): village-committee
    members and their close relatives, the accountant, the clerk and the head of the collective."""
    if _sitting_on(village, Body.VILLAGE_COMMITTEE, day).filter(person=person).exists():
        raise ValidationError(
            _(
                "%(name)s sits on the village committee on %(date)s. Village-committee members "
                "cannot sit on the supervision committee."
            )
            % {"name": person.name, "date": local_date(day)}
        )
    office = (
        RoleAssignment.objects.filter(in_force_on(day), person=person, role__in=OFFICES_BARRING_SUPERVISION)
        .order_by("role")
        .first()
    )
    if office is not None:
        raise ValidationError(
            _(
                "%(name)s is the village's %(role)s on %(date)s and so cannot sit on the supervision "
                "committee."
            )
            % {"name": person.name, "role": office.get_role_display(), "date": local_date(day)}
        )
    relatives = [relative.pk for relative in close_relatives(person)]
    member = (
        _sitting_on(village, Body.VILLAGE_COMMITTEE, day)
        .filter(person__in=relatives)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    if member is not None:
        raise ValidationError(
            _(
                "%(name)s is a close relative (近亲属) of %(member)s, who sits on the village committee "
                "on %(date)s. Close relatives of village-committee members cannot sit on the "
                "supervision committee."
            )
            % {"name": person.name, "member": member.person.name, "date": local_date(day)}
        )


def _check_no_supervisor_barred(village: Village, person: Person, day: date) -> None:
    """A new village-committee member must not make a sitting supervisor ineligible: neither by
    being one nor by being one's close relative."""
    supervisors = _sitting_on(village, Body.SUPERVISION_COMMITTEE, day).select_related("person")
    if supervisors.filter(person=person).exists():
        raise ValidationError(
            _(
                "%(name)s sits on the supervision committee on %(date)s. Supervision-committee "
                "members cannot sit on the village committee: end that seat first."
            )
            % {"name": person.name, "date": local_date(day)}
        )
    relatives = [relative.pk for relative in close_relatives(person)]
    supervisor = supervisors.filter(person__in=relatives).order_by("person__name").first()
    if supervisor is not None:
        raise ValidationError(
            _(
                "%(name)s is a close relative (近亲属) of %(member)s, who sits on the supervision "
                "committee on %(date)s. A supervision-committee member may not be a close relative of "
                "a village-committee member."
            )
            % {"name": person.name, "member": supervisor.person.name, "date": local_date(day)}
        )


@transaction.atomic
def council_seat_add(
    *,
    actor: User,
    council: Council,
    person: Person,
    position: SeatPosition,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> CouncilSeat:
    # Locking the council serialises seat changes, so two chairs cannot both pass the check.
    council = Council.objects.select_for_update(of=("self",)).select_related("village").get(pk=council.pk)
    if council.body in ROSTER_BODIES:
        raise ValidationError(roster_membership_message(council.body))
    if position not in SeatPosition.values:
        raise ValidationError(_("Choose the position."))
    person = Person.objects.get(pk=person.pk)
    if person.village_id != council.village_id:
        raise ValidationError(_("%(name)s is not on this village's roster.") % {"name": person.name})
    if person.left_on is not None:
        raise ValidationError(
            _("%(name)s left the roster on %(date)s and cannot take a seat.")
            % {"name": person.name, "date": local_date(person.left_on)}
        )
    # As for roles: a term is recorded once it has started.
    if starts_on > timezone.localdate():
        raise ValidationError(_("The term cannot start in the future. Record it once it has started."))
    if starts_on < person.joined_on:
        raise ValidationError(
            _("The term cannot start before %(name)s joined the roster (%(date)s).")
            % {"name": person.name, "date": local_date(person.joined_on)}
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The term cannot end before it starts."))
    note = note.strip()
    if len(note) > 200:
        raise ValidationError(_("The note is too long (at most 200 characters)."))
    _check_no_clash(council, person, position, starts_on, ends_on)
    if council.body == Body.SUPERVISION_COMMITTEE:
        _check_supervision_eligibility(council.village, person, starts_on)
    elif council.body == Body.VILLAGE_COMMITTEE:
        _check_no_supervisor_barred(council.village, person, starts_on)
    seat = CouncilSeat.objects.create(
        council=council, person=person, position=position, starts_on=starts_on, ends_on=ends_on, note=note
    )
    audit_record(
        actor=actor, village=council.village, action="council.seat_add", target=seat, after=snapshot(seat)
    )
    return seat


@transaction.atomic
def council_seat_end(*, actor: User, seat: CouncilSeat, ends_on: date) -> CouncilSeat:
    """Set the last day of a term that has not ended yet. The role a committee seat gives ends with
    it, since that role is read from the seat."""
    council = (
        Council.objects.select_for_update(of=("self",)).select_related("village").get(pk=seat.council_id)
    )
    seat = CouncilSeat.objects.select_related("person").get(pk=seat.pk)
    person = seat.person
    if seat.ends_on is not None and seat.ends_on < timezone.localdate():
        raise ValidationError(_("This term already ended on %(date)s.") % {"date": local_date(seat.ends_on)})
    if ends_on < seat.starts_on:
        raise ValidationError(
            _("The term cannot end before it starts (%(date)s).") % {"date": local_date(seat.starts_on)}
        )
    if person.left_on is not None and ends_on > person.left_on:
        raise ValidationError(
            _("%(name)s left the roster on %(date)s; the term cannot end after that.")
            % {"name": person.name, "date": local_date(person.left_on)}
        )
    _check_no_clash(council, person, seat.position, seat.starts_on, ends_on, exclude=seat)
    return audited_update(
        seat, actor=actor, village=council.village, action="council.seat_end", changes={"ends_on": ends_on}
    )
