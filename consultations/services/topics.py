"""Matters residents raise (议题征集, 群众说事): raising one with photos, supporting it (附议),
and the committee's public answer. Enough support puts a matter onto its council's next agenda."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import (
    AgendaItem,
    DiscussionItem,
    Session,
    SessionState,
    Topic,
    TopicPhoto,
    TopicState,
    TopicSupport,
)
from consultations.selectors.topics import (
    AGENDA_SESSION_STATES,
    NOT_TOPIC_BODIES,
    agenda_sessions,
    support_count,
    support_needed,
    support_refusal,
)
from consultations.services.locks import session_lock
from consultations.uploads import PHOTO_TYPES, ValidatedUpload, stored_name, uploads_discard
from villagegov.formats import local_date
from villagegov.models import Council, Person, Role, User
from villagegov.permissions import Action, can, person_in
from villagegov.selectors.roster import people_with_role
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 3000
MAX_PHOTOS = 3
PHOTO_MAX_BYTES = 5 * 1024 * 1024
ANSWER_OUTCOMES = (TopicState.ON_AGENDA, TopicState.HANDLED, TopicState.DECLINED)


# Public answers and notifications (in the app and by SMS) are written in the village's language,
# LANGUAGE_CODE, whatever language the official or villager who caused them reads the site in:
# they are stored once and read by everyone. Refusals stay in the actor's own language.
def _public_language() -> translation.override:
    return translation.override(settings.LANGUAGE_CODE)


def _topic_link(topic: Topic) -> str:
    return reverse("topic_detail", args=[topic.village.admin_code, topic.pk])


def _notify_committee(topic: Topic, message: str) -> None:
    village = topic.village
    notification_send(
        village=village,
        people=people_with_role(village, Role.COMMITTEE_MEMBER),
        message=message,
        link=_topic_link(topic),
    )


def _notify_raiser(topic: Topic, message: str) -> None:
    notification_send(
        village=topic.village,
        people=Person.objects.filter(pk=topic.raised_by_id),
        message=message,
        link=_topic_link(topic),
    )


def _photo_snapshot(photo: TopicPhoto) -> dict[str, object]:
    fields = ["id", "topic_id", "content_type", "size", "sha256", "uploaded_at"]
    return snapshot(photo, fields) | {"image": photo.image.name}


@transaction.atomic
def topic_create(
    *,
    actor: User,
    council: Council,
    title: str,
    body: str,
    photos: Sequence[ValidatedUpload] = (),
) -> Topic:
    """Raise a matter for `council` as the actor's own person in its village, with up to three
    photos (checked by `consultations.uploads.validated_upload`), and tell the village committee."""
    village = council.village
    if not can(actor, Action.RAISE_TOPIC, village):
        raise ValidationError(_("You cannot raise matters in this village."))
    raiser = person_in(actor, village)
    if raiser is None:
        raise ValidationError(_("Only people on this village's roster can raise a matter."))
    if council.body in NOT_TOPIC_BODIES:
        raise ValidationError(
            _("Matters are raised to a body that holds meetings, not to the %(name)s.")
            % {"name": council.name}
        )
    too_long = _("This text is too long (at most %(max)d characters).")
    title = clean_text(
        title, max_length=TITLE_MAX_LENGTH, too_long=too_long, empty=_("Give the matter a short title.")
    )
    body = clean_text(body, max_length=BODY_MAX_LENGTH, too_long=too_long, empty=_("Say what the matter is."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
    for checked in photos:
        if checked.content_type not in PHOTO_TYPES or checked.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("Photos must be JPEG, PNG or WebP pictures of at most 5 MB."))
    now = timezone.now()
    topic = Topic.objects.create(
        village=village, council=council, title=title, body=body, raised_by=raiser, raised_at=now
    )
    audit_record(actor=actor, village=village, action="topic.create", target=topic, after=snapshot(topic))
    stored: list[str] = []
    try:
        for upload in photos:
            stored_photo = TopicPhoto(
                topic=topic,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_at=now,
            )
            stored_photo.image.save(stored_name(upload), ContentFile(upload.content), save=False)
            stored.append(stored_photo.image.name)
            stored_photo.save()
            audit_record(
                actor=actor,
                village=village,
                action="topic_photo.create",
                target=stored_photo,
                after=_photo_snapshot(stored_photo),
            )
        with _public_language():
            message = _(
                "%(name)s raised a matter for the %(council)s: “%(title)s”. It awaits the committee's answer."
            ) % {"name": raiser.name, "council": council.name, "title": Truncator(title).chars(60)}
        _notify_committee(topic, message)
    except BaseException:
        # The rows roll back with the transaction; the files would stay on disk without this.
        uploads_discard(stored)
        raise
    return topic


def _put_on_agenda(*, actor: User, topic: Topic, session: Session) -> DiscussionItem:
    """Add `topic` at the end of `session`'s agenda as a discussion item (session locked here)."""
    locked = session_lock(session.pk)
    if locked.council_id != topic.council_id:
        raise ValidationError(
            _("The matter can only go onto an agenda of the %(name)s.") % {"name": topic.council.name}
        )
    if (
        locked.state not in AGENDA_SESSION_STATES
        or not agenda_sessions(topic.council).filter(pk=locked.pk).exists()
    ):
        raise ValidationError(
            _("Items can only be added to a session that has not opened yet and is still ahead.")
        )
    last = AgendaItem.objects.filter(session=locked).non_polymorphic().aggregate(last=Max("position"))["last"]
    item = DiscussionItem.objects.create(
        session=locked,
        position=(last or 0) + 1,
        title=topic.title,
        description=topic.body,
        topic=topic,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        village=topic.village,
        action="agenda_item.create",
        target=item,
        after=snapshot(item),
    )
    session_event_send(session=locked, type=EventType.AGENDA_CHANGED, data={"item": item.pk})
    return item


def _answered(
    topic: Topic, *, actor: User, answered_by: User | None, state: TopicState, answer: str, action: str
) -> Topic:
    before = snapshot(topic)
    topic.state = state
    topic.answer = answer
    topic.answered_by = answered_by
    topic.answered_at = timezone.now()
    topic.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor, village=topic.village, action=action, target=topic, before=before, after=snapshot(topic)
    )
    return topic


def _on_agenda_answer(topic: Topic, session: Session) -> str:
    """Where the matter goes, in public words (call it under `_public_language`). A draft session
    is not public yet: its title and date may still change and must not reach residents, so the
    answer names only the body's next meeting."""
    if session.state == SessionState.DRAFT:
        return _("This matter goes onto the agenda of the next meeting of the %(council)s.") % {
            "council": topic.council.name
        }
    return _("This matter goes onto the agenda of “%(session)s” (%(council)s) on %(date)s.") % {
        "session": session.title,
        "council": topic.council.name,
        "date": local_date(timezone.localdate(session.starts_at)),
    }


@transaction.atomic
def topic_support(*, actor: User, topic: Topic) -> TopicSupport:
    """Support (附议) `topic` as the actor's own person: once, not one's own matter, only while it
    awaits an answer. The support that reaches the number needed puts it onto the council's next
    agenda; with no session ahead it waits for the committee, which is told."""
    locked = (
        Topic.objects.select_for_update(of=("self",)).select_related("village", "council").get(pk=topic.pk)
    )
    village = locked.village
    if not can(actor, Action.RAISE_TOPIC, village):
        raise ValidationError(_("You cannot support matters in this village."))
    person = person_in(actor, village)
    refusal = support_refusal(locked, person)
    if refusal is not None:
        raise ValidationError(refusal)
    assert person is not None  # support_refusal refuses anyone off the roster
    try:
        # The unique constraint is the last word should the lock ever be bypassed.
        with transaction.atomic():
            support = TopicSupport.objects.create(topic=locked, person=person, supported_at=timezone.now())
    except IntegrityError:
        raise ValidationError(_("You have already supported this matter.")) from None
    audit_record(
        actor=actor, village=village, action="topic_support.create", target=support, after=snapshot(support)
    )
    count, needed = support_count(locked), support_needed()
    if count < needed:
        return support
    session = agenda_sessions(locked.council).first()
    if session is None:
        if count == needed:
            with _public_language():
                message = _(
                    "“%(title)s” has %(count)d supporters, enough to go onto the next agenda of the "
                    "%(council)s, which has no session planned: please plan one or answer the matter."
                ) % {
                    "title": Truncator(locked.title).chars(60),
                    "count": count,
                    "council": locked.council.name,
                }
            _notify_committee(locked, message)
        return support
    _put_on_agenda(actor=actor, topic=locked, session=session)
    with _public_language():
        answer = _on_agenda_answer(locked, session)
        public_answer = _("%(count)d villagers supported this matter. %(answer)s") % {
            "count": count,
            "answer": answer,
        }
        message = _("Your matter “%(title)s” has enough support. %(answer)s") % {
            "title": Truncator(locked.title).chars(60),
            "answer": answer,
        }
    _answered(
        locked,
        actor=actor,
        answered_by=None,
        state=TopicState.ON_AGENDA,
        answer=public_answer,
        action="topic.on_agenda_by_support",
    )
    _notify_raiser(locked, message)
    return support


@transaction.atomic
def topic_answer(
    *,
    actor: User,
    topic: Topic,
    outcome: TopicState,
    answer: str = "",
    session: Session | None = None,
) -> Topic:
    """The committee's public answer to a matter awaiting one: take it onto an agenda (one of its
    council's sessions not yet open), handled directly (answer required), or declined (reason
    required). The raiser is told in the app and by SMS."""
    locked = (
        Topic.objects.select_for_update(of=("self",)).select_related("village", "council").get(pk=topic.pk)
    )
    village = locked.village
    if not can(actor, Action.ANSWER_TOPIC, village):
        raise ValidationError(_("Only the village committee can answer matters raised by residents."))
    if locked.state != TopicState.RAISED:
        raise ValidationError(_("This matter has already been answered."))
    if outcome not in ANSWER_OUTCOMES:
        raise ValidationError(_("Choose how the matter is answered."))
    answer = answer.strip()
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("This text is too long (at most %(max)d characters).") % {"max": ANSWER_MAX_LENGTH}
        )
    if outcome == TopicState.ON_AGENDA:
        if session is None:
            raise ValidationError(_("Choose the session whose agenda the matter goes onto."))
        if session.council_id != locked.council_id:
            raise ValidationError(
                _("The matter can only go onto an agenda of the %(name)s.") % {"name": locked.council.name}
            )
        _put_on_agenda(actor=actor, topic=locked, session=session)
        with _public_language():
            placed = _on_agenda_answer(locked, session)
        answer = f"{placed} {answer}" if answer else placed
    elif outcome == TopicState.HANDLED and not answer:
        raise ValidationError(_("Say how the matter was handled."))
    elif outcome == TopicState.DECLINED and not answer:
        raise ValidationError(_("Give the reason the matter is declined."))
    _answered(locked, actor=actor, answered_by=actor, state=outcome, answer=answer, action="topic.answer")
    with _public_language():
        message = _("The committee answered your matter “%(title)s” (%(outcome)s): %(answer)s") % {
            "title": Truncator(locked.title).chars(60),
            "outcome": str(TopicState(outcome).label),
            "answer": Truncator(answer).chars(200),
        }
    _notify_raiser(locked, message)
    return locked
