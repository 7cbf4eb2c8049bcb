"""Writes to a session's agenda: adding, editing and reordering items, taking them up and
finishing them, and the candidates of an election."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import (
    AgendaItem,
    ElectionCandidate,
    ElectionItem,
    ItemState,
    Poll,
    PollState,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.selectors.agenda import KIND_MODELS, ItemKind, kind_of, matter_refusal, plain_items
from consultations.services.locks import session_lock
from villagegov.models import Person, User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
OFFICE_MAX_LENGTH = 200
MAX_SEATS = 99


def _locked_item(item: AgendaItem) -> AgendaItem:
    """The item as its own kind, its row locked (the base row; the kind's row follows it)."""
    plain_items(pk=item.pk).select_for_update().first()
    return AgendaItem.objects.select_related("session__council__village").get(pk=item.pk)


def _require_manager(actor: User, village: Village) -> None:
    if not can(actor, Action.MANAGE_AGENDA, village):
        raise ValidationError(_("Only the village's officials who run the session can run its agenda."))


def _refuse_if_closed(session: Session) -> None:
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("This session is closed: its agenda can no longer change."))


def _require_open(session: Session, refusal: str) -> None:
    """Items are taken up and finished only in the open session: a closed one's record is final."""
    _refuse_if_closed(session)
    if session.state != SessionState.OPEN:
        raise ValidationError(refusal)


def _clean_fields(
    *,
    kind: ItemKind,
    session: Session,
    title: str,
    description: str,
    text: str,
    matter: str,
    office: str,
    seats: int,
) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": clean_text(
            title,
            max_length=TITLE_MAX_LENGTH,
            empty=_("Enter the item's title."),
            too_long=_("The title is too long (at most 200 characters)."),
        ),
        "description": clean_text(
            description,
            max_length=TEXT_MAX_LENGTH,
            empty=None,
            too_long=_("The description is too long (at most 5000 characters)."),
        ),
    }
    if kind == ItemKind.MOTION:
        fields["text"] = clean_text(
            text,
            max_length=TEXT_MAX_LENGTH,
            empty=_("Enter the text of the motion: what the meeting is asked to decide."),
            too_long=_("The motion is too long (at most 5000 characters)."),
        )
        refusal = matter_refusal(council=session.council, matter=matter or "")
        if refusal is not None:
            raise ValidationError(refusal)
        fields["matter"] = matter or ""
    if kind == ItemKind.ELECTION:
        fields["office"] = clean_text(
            office,
            max_length=OFFICE_MAX_LENGTH,
            empty=_("Enter the office to be filled."),
            too_long=_("The office is too long (at most 200 characters)."),
        )
        if not 1 <= seats <= MAX_SEATS:
            raise ValidationError(_("An election fills between 1 and 99 seats."))
        fields["seats"] = seats
    return fields


@transaction.atomic
def agenda_item_create(
    *,
    actor: User,
    session: Session,
    kind: ItemKind,
    title: str,
    description: str = "",
    text: str = "",
    matter: str = "",
    office: str = "",
    seats: int = 1,
) -> AgendaItem:
    """Add an item of `kind` at the end of the agenda. A motion on a reserved matter is refused
    unless the session's body may decide it."""
    # Locked so that two items added at once do not take the same position.
    session = session_lock(session.pk)
    village = session.council.village
    _require_manager(actor, village)
    _refuse_if_closed(session)
    fields = _clean_fields(
        kind=kind,
        session=session,
        title=title,
        description=description,
        text=text,
        matter=matter,
        office=office,
        seats=seats,
    )
    last = plain_items(session=session).order_by("-position").first()
    position = (last.position if last is not None else 0) + 1
    item = KIND_MODELS[kind].objects.create(session=session, position=position, created_by=actor, **fields)
    audit_record(actor=actor, village=village, action="agenda.create", target=item, after=snapshot(item))
    session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: User,
    item: AgendaItem,
    title: str,
    description: str = "",
    text: str = "",
    matter: str = "",
    office: str = "",
    seats: int = 1,
) -> AgendaItem:
    """Change an item not yet taken up (its kind stays)."""
    session = session_lock(item.session_id)
    item = _locked_item(item)
    village = session.council.village
    _require_manager(actor, village)
    _refuse_if_closed(session)
    if item.state != ItemState.PENDING:
        raise ValidationError(_("Only items not yet taken up can be changed."))
    fields = _clean_fields(
        kind=kind_of(item),
        session=session,
        title=title,
        description=description,
        text=text,
        matter=matter,
        office=office,
        seats=seats,
    )
    audited_update(item, actor=actor, village=village, action="agenda.update", changes=fields)
    session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap a pending item with its neighbour above ("up") or below ("down")."""
    session = session_lock(item.session_id)
    village = session.council.village
    _require_manager(actor, village)
    _refuse_if_closed(session)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    items = list(plain_items(session=session).order_by("position", "id"))
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("This item is not on the session's agenda."))
    moving = items[index]
    if moving.state != ItemState.PENDING:
        raise ValidationError(_("Only items not yet taken up can be moved."))
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        raise ValidationError(
            _("This item is already first.") if direction == "up" else _("This item is already last.")
        )
    if items[target].state != ItemState.PENDING:
        raise ValidationError(_("An item cannot be moved before one already taken up."))
    before = [other.pk for other in items]
    items[index], items[target] = items[target], items[index]
    # Renumbered 1..n, so that equal positions left by older data cannot make a swap a no-op.
    for number, other in enumerate(items, start=1):
        if other.position != number:
            other.position = number
            other.save(update_fields=["position"])
    audit_record(
        actor=actor,
        village=village,
        action="agenda.move",
        target=moving,
        before={"order": before},
        after={"order": [other.pk for other in items], "direction": direction},
    )
    session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={"item": moving.pk})
    return moving


def _refuse_if_poll_open(item: AgendaItem) -> None:
    if Poll.objects.filter(item=item, state=PollState.OPEN).exists():
        raise ValidationError(
            _("A vote on “%(title)s” is still open. Close the vote first.") % {"title": item.title}
        )


def _finish(*, actor: User, session: Session, item: AgendaItem, now: datetime) -> None:
    """Finish `item` (locked, current), audited; whoever is speaking on it stops with it, audited
    and announced. Those still waiting stay on record as they were. The caller sends ITEM_CURRENT."""
    village = session.council.village
    changes = {"state": ItemState.DONE, "ended_at": now}
    audited_update(item, actor=actor, village=village, action="agenda.finish", changes=changes)
    speaker = (
        SpeakerRequest.objects.select_for_update().filter(item=item, state=SpeakerState.SPEAKING).first()
    )
    if speaker is None:
        return
    changes = {"state": SpeakerState.DONE, "ended_at": now}
    audited_update(speaker, actor=actor, village=village, action="speaker.done", changes=changes)
    session_event_send(session=session, type=EventType.SPEAKERS_CHANGED, data={"item": item.pk})


@transaction.atomic
def agenda_item_start(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Take up `item` (it becomes current); the item under way, if any, is finished first."""
    session = session_lock(item.session_id)
    village = session.council.village
    _require_manager(actor, village)
    _require_open(session, _("Items are taken up once the session is open."))
    item = _locked_item(item)
    if item.state == ItemState.CURRENT:
        raise ValidationError(_("This item is already under way."))
    if item.state == ItemState.DONE:
        raise ValidationError(_("This item is already finished."))
    now = timezone.now()
    current = plain_items(session=session, state=ItemState.CURRENT).select_for_update().first()
    if current is not None:
        _refuse_if_poll_open(current)
        _finish(actor=actor, session=session, item=current, now=now)
    changes = {"state": ItemState.CURRENT, "started_at": now}
    audited_update(item, actor=actor, village=village, action="agenda.start", changes=changes)
    session_event_send(session=session, type=EventType.ITEM_CURRENT, data={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_finish(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Finish the item under way; refused while one of its votes is open."""
    session = session_lock(item.session_id)
    village = session.council.village
    _require_manager(actor, village)
    _require_open(session, _("Only the item under way can be finished."))
    item = _locked_item(item)
    if item.state != ItemState.CURRENT:
        raise ValidationError(_("Only the item under way can be finished."))
    _refuse_if_poll_open(item)
    _finish(actor=actor, session=session, item=item, now=timezone.now())
    session_event_send(session=session, type=EventType.ITEM_CURRENT, data={"item": None})
    return item


@transaction.atomic
def agenda_current_finish(*, actor: User, session: Session) -> None:
    """Finish the item under way, if there is one, and its current speaker (as the chair would):
    done when the session closes, so that no closed session is left with an item "under way" or
    someone "speaking". Refused while the item's vote is open."""
    session = session_lock(session.pk)
    _require_manager(actor, session.council.village)
    current = plain_items(session=session, state=ItemState.CURRENT).first()
    if current is None:
        return
    # A current item outside the open session is a closed session's record: it stays as it is.
    _require_open(session, _("Only the item under way can be finished."))
    item = _locked_item(current)
    _refuse_if_poll_open(item)
    _finish(actor=actor, session=session, item=item, now=timezone.now())
    session_event_send(session=session, type=EventType.ITEM_CURRENT, data={"item": None})


@transaction.atomic
def election_candidate_add(*, actor: User, item: ElectionItem, person: Person) -> ElectionCandidate:
    """Put `person` on the ballot of an election not yet taken up; each person once."""
    session = session_lock(item.session_id)
    village = session.council.village
    _require_manager(actor, village)
    _refuse_if_closed(session)
    locked = _locked_item(item)
    if not isinstance(locked, ElectionItem):
        raise ValidationError(_("Candidates stand only in an election."))
    if locked.state != ItemState.PENDING:
        raise ValidationError(_("Candidates can be added only before the election is taken up."))
    if person.village_id != village.pk or person.left_on is not None:
        raise ValidationError(_("A candidate must be on this village's roster."))
    if ElectionCandidate.objects.filter(election=locked, person=person).exists():
        raise ValidationError(_("%(name)s is already a candidate.") % {"name": person.name})
    try:
        with transaction.atomic():
            candidate = ElectionCandidate.objects.create(election=locked, person=person)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already a candidate.") % {"name": person.name}) from None
    audit_record(
        actor=actor,
        village=village,
        action="agenda.candidate_add",
        target=candidate,
        after=snapshot(candidate),
    )
    session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={"item": locked.pk})
    return candidate
