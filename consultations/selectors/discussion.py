"""Reads of an item's speakers' queue and discussion thread, and who may take part in them."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from consultations.models import (
    AgendaItem,
    Attendance,
    Comment,
    ItemState,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.selectors.attendance import entitled_members
from villagegov.models import Person, Village

OPEN_STATES = (SpeakerState.WAITING, SpeakerState.SPEAKING)
COMMENT_MAX_LENGTH = 2000
HIDE_REASON_MAX_LENGTH = 300


def speaker_queue(item: AgendaItem) -> QuerySet[SpeakerRequest]:
    """Who speaks now and who waits, in the order they asked."""
    return (
        SpeakerRequest.objects.filter(item=item, state__in=OPEN_STATES)
        .select_related("person__household")
        .order_by("requested_at", "id")
    )


def speakers_heard(item: AgendaItem) -> QuerySet[SpeakerRequest]:
    """Requests that are over (spoke, withdrew or taken off), in the order they asked."""
    return (
        SpeakerRequest.objects.filter(item=item, state__in=(SpeakerState.DONE, SpeakerState.REMOVED))
        .select_related("person")
        .order_by("requested_at", "id")
    )


def open_request_of(item: AgendaItem, person: Person | None) -> SpeakerRequest | None:
    if person is None:
        return None
    return SpeakerRequest.objects.filter(item=item, person=person, state__in=OPEN_STATES).first()


def village_speaker(village: Village, session_id: int, speaker_id: int) -> SpeakerRequest | None:
    return (
        SpeakerRequest.objects.filter(pk=speaker_id, item__session_id=session_id)
        .filter(item__session__council__village=village)
        .select_related("item__session__council__village", "person")
        .first()
    )


def village_comment(village: Village, session_id: int, comment_id: int) -> Comment | None:
    return (
        Comment.objects.filter(pk=comment_id, item__session_id=session_id)
        .filter(item__session__council__village=village)
        .select_related("item__session__council__village", "author")
        .first()
    )


def speak_refusal(*, session: Session, item: AgendaItem, person: Person | None) -> str | None:
    """Why `person` cannot ask to speak on `item` now, in plain words; None if they can."""
    if session.state == SessionState.CLOSED:
        return _("This session is closed: its list of speakers can no longer change.")
    if session.state != SessionState.OPEN:
        return _("You can ask to speak once the session is open.")
    if item.state == ItemState.DONE:
        return _("This item is finished.")
    if person is None or person.village_id != session.council.village_id:
        return _("Only people on this village's roster can speak.")
    if not entitled_members(session).filter(pk=person.pk).exists():
        return _("Only members of %(council)s can ask to speak.") % {"council": session.council.name}
    if not Attendance.objects.filter(session=session, person=person).exists():
        return _("Check in at the meeting first, then ask to speak.")
    if open_request_of(item, person) is not None:
        return _("You have already asked to speak on this item.")
    return None


def comment_refusal(*, session: Session, person: Person | None) -> str | None:
    """Why `person` cannot post in the session's discussions now; None if they can."""
    if session.state not in (SessionState.ANNOUNCED, SessionState.OPEN):
        return _("The discussion is open from the announcement until the session closes.")
    if person is None or person.village_id != session.council.village_id:
        return _("Only people on this village's roster can take part.")
    if not entitled_members(session).filter(pk=person.pk).exists():
        return _("Only members of %(council)s can take part in its discussion.") % {
            "council": session.council.name
        }
    return None


def item_comments(item: AgendaItem) -> QuerySet[Comment]:
    """The thread, oldest first, hidden posts included (the page decides what to show of them)."""
    return Comment.objects.filter(item=item).select_related("author", "hidden_by").order_by("posted_at", "id")
