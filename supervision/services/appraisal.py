"""Writes of the yearly democratic appraisal (民主评议, Organic Law Art. 33), chaired by the
supervision committee: opening the year's appraisal at a session of the 村民会议 or 村民代表会议,
recording each village-committee member's ratings (a second consecutive 不称职 ends the member's
office), and closing it. Also the village's own rhythm for disclosing its finances (Art. 30)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Session
from consultations.selectors.sessions import session_day
from supervision.models import Appraisal, AppraisalResult, DisclosurePolicy
from supervision.selectors.appraisal import (
    APPRAISAL_SESSION_STATES,
    APPRAISING_BODIES,
    appraisal_day,
    appraisal_outcome,
    appraised_seat,
    office_ends,
    previous_result,
    session_attendees,
)
from supervision.selectors.committee import committee_member_of, committee_people
from supervision.services import notification_language
from villagegov.formats import local_date
from villagegov.models import Body, CouncilSeat, Person, User, Village
from villagegov.permissions import Action, can
from villagegov.selectors.councils import seat_in_force
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.councils import council_seat_end
from villagegov.services.notifications import notification_send

# The most ratings a count may hold: far above any village's assembly, small enough for the column.
MAX_COUNT = 100_000
OFFICE_END_REASON = "《村民委员会组织法》第三十三条：村民委员会成员连续两次被评议不称职的，其职务终止。"


def _chairing_member(actor: User, village: Village) -> Person:
    member = committee_member_of(actor, village, on=timezone.localdate())
    if member is None:
        raise ValidationError(
            _("Only members of the supervision committee in office chair the democratic appraisal.")
        )
    return member


@transaction.atomic
def appraisal_create(*, actor: User, village: Village, year: int, session: Session) -> Appraisal:
    """Open the village's appraisal of `year` at `session` (of its 村民会议 or 村民代表会议, under
    way or held). Once per village and year; the year is the session's or the one before it."""
    _chairing_member(actor, village)
    session = Session.objects.select_related("council").get(pk=session.pk)
    if session.council.village_id != village.pk:
        raise ValidationError(_("That session is not one of this village's."))
    if session.council.body not in APPRAISING_BODIES:
        raise ValidationError(
            _(
                "The appraisal is held at the villagers' assembly (村民会议) or the villager "
                "representatives' meeting (村民代表会议); “%(title)s” is a session of %(council)s."
            )
            % {"title": session.title, "council": session.council.name}
        )
    if session.state not in APPRAISAL_SESSION_STATES:
        raise ValidationError(
            _("The session “%(title)s” has not started yet; open the appraisal once it meets.")
            % {"title": session.title}
        )
    held = session_day(session).year
    if not isinstance(year, int) or not held - 1 <= year <= held:
        raise ValidationError(
            _("The appraisal held on %(date)s is of the year %(this)d or %(last)d.")
            % {"date": local_date(session_day(session)), "this": held, "last": held - 1}
        )
    # Lock the village so that two members opening the same year at once get a message.
    Village.objects.select_for_update().get(pk=village.pk)
    if Appraisal.objects.filter(village=village, year=year).exists():
        raise ValidationError(
            _("The village's democratic appraisal of %(year)d is already open; it is held once a year.")
            % {"year": year}
        )
    appraisal = Appraisal.objects.create(
        village=village, year=year, session=session, opened_by=actor, opened_at=timezone.now()
    )
    audit_record(
        actor=actor, village=village, action="appraisal.create", target=appraisal, after=snapshot(appraisal)
    )
    return appraisal


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValidationError(_("Enter each count as a whole number of zero or more."))
    return value


def _end_office(*, actor: User, appraisal: Appraisal, seat: CouncilSeat, person: Person) -> bool:
    """End the member's village-committee seat on the session's day (Art. 33) through the core
    service, in the caller's transaction. False if the term already ended on its own since."""
    seat = CouncilSeat.objects.get(pk=seat.pk)
    day = appraisal_day(appraisal)
    if seat.ends_on is not None and seat.ends_on < timezone.localdate():
        return False
    seat = council_seat_end(actor=actor, seat=seat, ends_on=day)
    audit_record(
        actor=actor,
        village=appraisal.village,
        action="appraisal.office_end",
        target=seat,
        after={
            "appraisal": appraisal.pk,
            "person": person.pk,
            "ends_on": day.isoformat(),
            "reason": OFFICE_END_REASON,
        },
    )
    return True


@transaction.atomic
def appraisal_result_record(
    *,
    actor: User,
    appraisal: Appraisal,
    person: Person,
    competent: int,
    basically_competent: int,
    incompetent: int,
) -> AppraisalResult:
    """Record how the meeting rated `person`, a village-committee member on the session's day:
    the count of each rating (in all more than none and not more than the attendees), with the
    outcome by `appraisal_outcome`. A second consecutive 不称职 (in the village's previous
    appraisal too) ends the member's office on the session's day, in this transaction."""
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("village", "session__council")
        .get(pk=appraisal.pk)
    )
    village = appraisal.village
    _chairing_member(actor, village)
    if appraisal.closed_at is not None:
        raise ValidationError(
            _("The appraisal of %(year)d was closed on %(date)s; no more results are recorded.")
            % {"year": appraisal.year, "date": local_date(timezone.localdate(appraisal.closed_at))}
        )
    person = Person.objects.get(pk=person.pk)
    seat = appraised_seat(appraisal, person.pk) if person.village_id == village.pk else None
    if seat is None:
        raise ValidationError(
            _("%(name)s is not a member of the village committee on %(date)s, the appraisal's day.")
            % {"name": person.name, "date": local_date(appraisal_day(appraisal))}
        )
    counts = [_count(competent), _count(basically_competent), _count(incompetent)]
    total = sum(counts)
    if total == 0:
        raise ValidationError(_("Enter the ratings cast: in all at least one."))
    attendees = session_attendees(appraisal.session)
    if total > attendees:
        raise ValidationError(
            _(
                "%(total)d ratings are more than the %(attendees)d people who attended the session. "
                "Check the counts, or record the attendance first."
            )
            % {"total": total, "attendees": attendees}
        )
    if AppraisalResult.objects.filter(appraisal=appraisal, person=person).exists():
        raise ValidationError(
            _("The result of %(name)s is already recorded in this appraisal.") % {"name": person.name}
        )
    outcome = appraisal_outcome(competent=counts[0], basically_competent=counts[1], incompetent=counts[2])
    result = AppraisalResult.objects.create(
        appraisal=appraisal,
        person=person,
        seat=seat,
        competent=counts[0],
        basically_competent=counts[1],
        incompetent=counts[2],
        outcome=outcome,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        village=village,
        action="appraisal.result_record",
        target=result,
        after=snapshot(result),
    )
    ended = office_ends(outcome, previous_result(appraisal, person.pk)) and _end_office(
        actor=actor, appraisal=appraisal, seat=seat, person=person
    )
    link = reverse("appraisal_detail", args=[village.admin_code, appraisal.pk])
    with notification_language():
        message = _("Democratic appraisal of %(year)d: %(name)s was rated %(outcome)s.") % {
            "year": appraisal.year,
            "name": person.name,
            "outcome": result.get_outcome_display(),
        }
        if ended:
            message += " " + _(
                "Rated incompetent in two consecutive appraisals, %(name)s's office on the village "
                "committee ends on %(date)s (Organic Law Art. 33)."
            ) % {"name": person.name, "date": local_date(appraisal_day(appraisal))}
    notification_send(village=village, people=Person.objects.filter(pk=person.pk), message=message, link=link)
    if ended:
        today = timezone.localdate()
        committee = CouncilSeat.objects.filter(
            seat_in_force(on=today), council__village=village, council__body=Body.VILLAGE_COMMITTEE
        ).values("person_id")
        others = (
            Person.objects.filter(village=village, pk__in=committee) | committee_people(village, on=today)
        ).exclude(pk=person.pk)
        notification_send(village=village, people=others.distinct(), message=message, link=link)
    return result


@transaction.atomic
def appraisal_close(*, actor: User, appraisal: Appraisal) -> Appraisal:
    """Close the appraisal: no more results are recorded in it."""
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",)).select_related("village").get(pk=appraisal.pk)
    )
    _chairing_member(actor, appraisal.village)
    if appraisal.closed_at is not None:
        raise ValidationError(
            _("The appraisal was already closed on %(date)s.")
            % {"date": local_date(timezone.localdate(appraisal.closed_at))}
        )
    return audited_update(
        appraisal,
        actor=actor,
        village=appraisal.village,
        action="appraisal.close",
        changes={"closed_at": timezone.now()},
    )


@transaction.atomic
def disclosure_policy_set(*, actor: User, village: Village, finances_monthly: bool) -> DisclosurePolicy:
    """Set how often the village discloses its finances: monthly where transactions are many,
    otherwise quarterly (Art. 30). The schedule of the disclosure board follows it."""
    if not can(actor, Action.PUBLISH_DISCLOSURE, village):
        raise ValidationError(_("Only the officials who publish the disclosure board set its rhythm."))
    if not isinstance(finances_monthly, bool):
        raise ValidationError(_("Choose monthly or quarterly."))
    Village.objects.select_for_update().get(pk=village.pk)
    policy = DisclosurePolicy.objects.filter(village=village).first()
    if policy is None:
        policy = DisclosurePolicy.objects.create(
            village=village, finances_monthly=finances_monthly, updated_by=actor, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            village=village,
            action="disclosure_policy.set",
            target=policy,
            after=snapshot(policy),
        )
        return policy
    return audited_update(
        policy,
        actor=actor,
        village=village,
        action="disclosure_policy.set",
        changes={"finances_monthly": finances_monthly, "updated_by": actor, "updated_at": timezone.now()},
    )
