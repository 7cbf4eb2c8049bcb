"""Writes to a session's minutes (会议记录): the clerk's notes, and the chair's signature."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Minutes, Session, SessionState
from consultations.services.locks import session_lock
from villagegov.formats import local_date
from villagegov.models import Person, User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot

NOTES_MAX_LENGTH = 20000


def _locked_minutes(session: Session) -> tuple[Minutes, bool]:
    # The session's row is locked first, so two first edits queue up and only one creates the row.
    return Minutes.objects.select_for_update().get_or_create(session=session)


def require_minutes_keeper(actor: User, village: Village) -> None:
    """Refuse anyone the village's roles do not let keep minutes (the officials)."""
    if not can(actor, Action.KEEP_MINUTES, village):
        raise ValidationError(_("Only the village's officials keep the minutes."), code="permission")


def signed_refusal(minutes: Minutes) -> str:
    assert minutes.signed_at is not None and minutes.signed_by is not None
    return _("The minutes were signed off by %(name)s on %(day)s: they can no longer be changed.") % {
        "name": minutes.signed_by.name,
        "day": local_date(timezone.localdate(minutes.signed_at)),
    }


@transaction.atomic
def minutes_update(*, actor: User, session: Session, notes: str) -> Minutes:
    """Save the clerk's notes, while the session is open or closed and the minutes not signed."""
    session = session_lock(session.pk)
    require_minutes_keeper(actor, session.council.village)
    if session.state not in (SessionState.OPEN, SessionState.CLOSED):
        raise ValidationError(
            _("Minutes are kept once the session is open; this one is %(state)s.")
            % {"state": session.get_state_display()}
        )
    notes = notes.replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            _("The notes are too long (at most %(max)d characters).") % {"max": NOTES_MAX_LENGTH}
        )
    minutes, created = _locked_minutes(session)
    if minutes.signed_at is not None:
        minutes = Minutes.objects.select_related("signed_by").get(pk=minutes.pk)
        raise ValidationError(signed_refusal(minutes))
    before = None if created else snapshot(minutes)
    minutes.notes = notes
    minutes.updated_at = timezone.now()
    minutes.updated_by = actor
    minutes.save(update_fields=["notes", "updated_at", "updated_by"])
    audit_record(
        actor=actor,
        village=session.council.village,
        action="minutes.update",
        target=minutes,
        before=before,
        after=snapshot(minutes),
    )
    return minutes


@transaction.atomic
def minutes_sign(*, actor: User, session: Session) -> Minutes:
    """The chair signs the minutes off once the session is closed; after that they do not change."""
    session = session_lock(session.pk)
    village = session.council.village
    signer = Person.objects.filter(village=village, user=actor, left_on__isnull=True).first()
    if signer is None or signer.pk != session.chair_id:
        raise ValidationError(
            _("Only the chair of the session, %(name)s, can sign off its minutes.")
            % {"name": session.chair.name}
        )
    if session.state != SessionState.CLOSED:
        raise ValidationError(
            _("The minutes are signed off after the session is closed; this one is %(state)s.")
            % {"state": session.get_state_display()}
        )
    minutes, created = _locked_minutes(session)
    if minutes.signed_at is not None:
        minutes = Minutes.objects.select_related("signed_by").get(pk=minutes.pk)
        raise ValidationError(signed_refusal(minutes))
    before = None if created else snapshot(minutes)
    minutes.signed_at = timezone.now()
    minutes.signed_by = signer
    minutes.save(update_fields=["signed_at", "signed_by"])
    audit_record(
        actor=actor,
        village=village,
        action="minutes.sign",
        target=minutes,
        before=before,
        after=snapshot(minutes),
    )
    return minutes
