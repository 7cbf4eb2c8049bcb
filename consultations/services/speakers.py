"""The list of speakers of an agenda item (发言): asking to speak, withdrawing, and the chair's
queue (next, done, remove). Rows are never deleted; each request ends done or removed."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import AgendaItem, ItemState, Session, SessionState, SpeakerRequest, SpeakerState
from consultations.selectors.agenda import plain_items
from consultations.selectors.discussion import speak_refusal
from consultations.services.locks import session_lock
from villagegov.models import Person, User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, audited_update, snapshot


def _locked_request(request: SpeakerRequest) -> SpeakerRequest:
    return SpeakerRequest.objects.select_for_update().select_related("person", "item").get(pk=request.pk)


def _require_manager(actor: User, village: Village) -> None:
    if not can(actor, Action.MANAGE_AGENDA, village):
        raise ValidationError(
            _("Only the village's officials who run the session can run its list of speakers.")
        )


def _require_open(session: Session) -> None:
    """The list of speakers changes only while the session is open: a closed one's record is final."""
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("This session is closed: its list of speakers can no longer change."))
    if session.state != SessionState.OPEN:
        raise ValidationError(_("The list of speakers runs once the session is open."))


def _changed(session: Session, item_id: int) -> None:
    session_event_send(session=session, type=EventType.SPEAKERS_CHANGED, data={"item": item_id})


@transaction.atomic
def speaker_request(*, actor: User, item: AgendaItem, person: Person) -> SpeakerRequest:
    """`person` (the actor's own entry on the roster) asks to speak on `item`: a member of the
    council, checked in to the open session, once while waiting or speaking."""
    # The session's lock queues a person's double tap behind the first request.
    session = session_lock(item.session_id)
    village = session.council.village
    if person.user_id is None or person.user_id != actor.pk:
        raise ValidationError(_("You can only ask to speak for yourself."))
    item = plain_items(pk=item.pk).get()
    refusal = speak_refusal(session=session, item=item, person=person)
    if refusal is not None:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            request = SpeakerRequest.objects.create(item=item, person=person, requested_at=timezone.now())
    except IntegrityError:
        raise ValidationError(_("You have already asked to speak on this item.")) from None
    audit_record(
        actor=actor, village=village, action="speaker.request", target=request, after=snapshot(request)
    )
    _changed(session, item.pk)
    return request


@transaction.atomic
def speaker_withdraw(*, actor: User, request: SpeakerRequest) -> SpeakerRequest:
    """The speaker takes back their own request while it waits."""
    session = session_lock(request.item.session_id)
    request = _locked_request(request)
    if request.person.user_id is None or request.person.user_id != actor.pk:
        raise ValidationError(_("You can only withdraw your own request to speak."))
    _require_open(session)
    if request.state != SpeakerState.WAITING:
        raise ValidationError(_("Only a request that is still waiting can be withdrawn."))
    return _end(
        actor=actor, session=session, request=request, state=SpeakerState.REMOVED, action="speaker.withdraw"
    )


def _end(
    *, actor: User, session: Session, request: SpeakerRequest, state: SpeakerState, action: str
) -> SpeakerRequest:
    changes = {"state": state, "ended_at": timezone.now()}
    audited_update(request, actor=actor, village=session.council.village, action=action, changes=changes)
    _changed(session, request.item_id)
    return request


@transaction.atomic
def speaker_next(*, actor: User, item: AgendaItem) -> SpeakerRequest | None:
    """The chair calls the next speaker: whoever speaks is done, the earliest waiting speaks.
    Returns the new speaker, or None when the one speaking was the last."""
    session = session_lock(item.session_id)
    village = session.council.village
    _require_manager(actor, village)
    _require_open(session)
    item = plain_items(pk=item.pk).get()
    if item.state != ItemState.CURRENT:
        raise ValidationError(_("Speakers are called on the item under way."))
    open_requests = list(
        SpeakerRequest.objects.select_for_update()
        .filter(item=item, state__in=(SpeakerState.WAITING, SpeakerState.SPEAKING))
        .order_by("requested_at", "id")
    )
    speaking = next((r for r in open_requests if r.state == SpeakerState.SPEAKING), None)
    waiting = next((r for r in open_requests if r.state == SpeakerState.WAITING), None)
    if speaking is None and waiting is None:
        raise ValidationError(_("No one is waiting to speak."))
    now = timezone.now()
    if speaking is not None:
        changes = {"state": SpeakerState.DONE, "ended_at": now}
        audited_update(speaking, actor=actor, village=village, action="speaker.done", changes=changes)
    if waiting is not None:
        changes = {"state": SpeakerState.SPEAKING, "started_at": now}
        audited_update(waiting, actor=actor, village=village, action="speaker.next", changes=changes)
    _changed(session, item.pk)
    return waiting


@transaction.atomic
def speaker_done(*, actor: User, request: SpeakerRequest) -> SpeakerRequest:
    """The chair ends the current speaker's turn."""
    session = session_lock(request.item.session_id)
    _require_manager(actor, session.council.village)
    _require_open(session)
    request = _locked_request(request)
    if request.state != SpeakerState.SPEAKING:
        raise ValidationError(_("Only the person speaking can be marked as done."))
    return _end(actor=actor, session=session, request=request, state=SpeakerState.DONE, action="speaker.done")


@transaction.atomic
def speaker_remove(*, actor: User, request: SpeakerRequest) -> SpeakerRequest:
    """The chair takes a waiting request off the list (it stays on record)."""
    session = session_lock(request.item.session_id)
    _require_manager(actor, session.council.village)
    _require_open(session)
    request = _locked_request(request)
    if request.state != SpeakerState.WAITING:
        raise ValidationError(_("Only a request that is still waiting can be taken off the list."))
    return _end(
        actor=actor, session=session, request=request, state=SpeakerState.REMOVED, action="speaker.remove"
    )
