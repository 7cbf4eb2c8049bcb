"""Checking people in to a session (到会)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import Attendance, CheckInMethod, Session
from consultations.selectors.attendance import already_checked_in, check_in_refusal
from consultations.selectors.live import attendance_counts
from consultations.services.locks import session_lock
from villagegov.models import Person, User
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot


@transaction.atomic
def attendance_check_in(
    *, actor: User, session: Session, person: Person, method: CheckInMethod
) -> Attendance:
    """Record `person` as present: themselves (SELF, by the QR code or link) or by the chair or
    clerk (CLERK, for people without a phone). Refused unless the session is announced or open
    and the person is a member of its council on its day, and refused a second time."""
    # Locked so that two check-ins of one person (two phones, or phone and clerk) queue up here.
    session = session_lock(session.pk)
    village = session.council.village
    if method == CheckInMethod.SELF and (person.user_id is None or person.user_id != actor.pk):
        raise ValidationError(_("You can only check yourself in."))
    if method == CheckInMethod.CLERK and not can(actor, Action.RECORD_ATTENDANCE, village):
        raise ValidationError(_("Only the chair or the clerk can check other people in."))
    refusal = check_in_refusal(session=session, person=person)
    if refusal is not None:
        raise ValidationError(refusal)
    try:
        # The database's unique constraint is the last word should the lock ever be bypassed.
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                person=person,
                checked_in_at=timezone.now(),
                method=method,
                recorded_by=actor,
            )
    except IntegrityError:
        present = Attendance.objects.select_related("person").filter(session=session, person=person).first()
        raise ValidationError(
            already_checked_in(present) if present else _("This check-in could not be recorded.")
        ) from None
    audit_record(
        actor=actor,
        village=village,
        action="attendance.check_in",
        target=attendance,
        after=snapshot(attendance),
    )
    session_event_send(session=session, type=EventType.ATTENDANCE_CHANGED, data=attendance_counts(session))
    return attendance
