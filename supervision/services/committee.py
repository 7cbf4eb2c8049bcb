"""Writes to the supervision committee: seating a member elected by a resolution of the
村民会议 or 村民代表会议, with the record of that appointment."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Resolution
from supervision.models import Appointment
from supervision.selectors.committee import ELECTING_BODIES, default_term_end, supervision_committee
from villagegov.formats import local_date
from villagegov.models import Body, Council, Person, SeatPosition, User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.councils import council_seat_add

COMMITTEE_NAME = "村务监督委员会"
APPOINTABLE_POSITIONS = (SeatPosition.CHAIR, SeatPosition.MEMBER)


def _committee(actor: User, village: Village) -> Council:
    """The village's committee, created on the first appointment."""
    Village.objects.select_for_update().get(pk=village.pk)
    council = supervision_committee(village)
    if council is None:
        council = Council.objects.create(
            village=village, body=Body.SUPERVISION_COMMITTEE, name=COMMITTEE_NAME
        )
        audit_record(
            actor=actor, village=village, action="council.create", target=council, after=snapshot(council)
        )
    return council


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    village: Village,
    person: Person,
    position: str,
    starts_on: date,
    resolution: Resolution,
    finance_knowledge: bool,
    ends_on: date | None = None,
) -> Appointment:
    """Seat `person` on the village's supervision committee from `starts_on` to `ends_on`,
    elected by `resolution`, and record the appointment. Without `ends_on` the term ends with the
    village committee's current term (`default_term_end`). The seat's rules (eligibility with the
    reason, one chair at a time, no overlapping terms) are those of `council_seat_add`."""
    if not can(actor, Action.APPOINT_SUPERVISORS, village):
        raise ValidationError(_("Only village officials record the appointment of committee members."))
    if position not in APPOINTABLE_POSITIONS:
        raise ValidationError(_("Choose chair or member."))
    resolution = Resolution.objects.select_related("session__council", "poll").get(pk=resolution.pk)
    council_of_resolution = resolution.session.council
    if council_of_resolution.village_id != village.pk:
        raise ValidationError(_("That resolution is not one of this village's."))
    if council_of_resolution.body not in ELECTING_BODIES:
        raise ValidationError(
            _(
                "Committee members are elected by the villagers' assembly (村民会议) or the villager "
                "representatives' meeting (村民代表会议); “%(title)s” is a resolution of %(council)s."
            )
            % {"title": resolution.title, "council": council_of_resolution.name}
        )
    if resolution.published_at is None and resolution.poll.passed is not True:
        raise ValidationError(
            _("The resolution “%(title)s” was neither passed nor published.") % {"title": resolution.title}
        )
    elected_on = timezone.localdate(resolution.session.starts_at)
    if starts_on < elected_on:
        raise ValidationError(
            _("The term cannot start before the meeting that elected the member (%(date)s).")
            % {"date": local_date(elected_on)}
        )
    council = _committee(actor, village)
    seat = council_seat_add(
        actor=actor,
        council=council,
        person=person,
        position=SeatPosition(position),
        starts_on=starts_on,
        ends_on=ends_on if ends_on is not None else default_term_end(village, starts_on),
    )
    appointment = Appointment.objects.create(
        seat=seat,
        resolution=resolution,
        finance_knowledge=finance_knowledge,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        village=village,
        action="appointment.create",
        target=appointment,
        after=snapshot(appointment),
    )
    return appointment
