"""The written discussion of an agenda item (讨论): posting, and hiding a post with a reason.
Nothing is deleted: a hidden post keeps its text for the moderators and the record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import AgendaItem, Comment
from consultations.selectors.discussion import COMMENT_MAX_LENGTH, HIDE_REASON_MAX_LENGTH, comment_refusal
from consultations.services.locks import session_lock
from villagegov.models import Person, User
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot


@transaction.atomic
def comment_post(*, actor: User, item: AgendaItem, person: Person, body: str) -> Comment:
    """`person` (the actor's own entry) posts in `item`'s discussion: a member of the council,
    while the session is announced or open; 1 to 2000 characters."""
    session = session_lock(item.session_id)
    village = session.council.village
    if person.user_id is None or person.user_id != actor.pk:
        raise ValidationError(_("You can only post in your own name."))
    refusal = comment_refusal(session=session, person=person)
    if refusal is not None:
        raise ValidationError(refusal)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something before posting."))
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("A post can be at most 2000 characters long."))
    comment = Comment.objects.create(item_id=item.pk, author=person, body=body, posted_at=timezone.now())
    audit_record(actor=actor, village=village, action="comment.post", target=comment, after=snapshot(comment))
    session_event_send(session=session, type=EventType.COMMENTS_CHANGED, data={"item": item.pk})
    return comment


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A moderator hides a post; everyone then sees that it was hidden and why."""
    session = session_lock(comment.item.session_id)
    village = session.council.village
    if not can(actor, Action.MODERATE_DISCUSSION, village):
        raise ValidationError(_("Only a moderator can hide a post."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden_at is not None:
        raise ValidationError(_("This post is already hidden."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for hiding the post: everyone will see it."))
    if len(reason) > HIDE_REASON_MAX_LENGTH:
        raise ValidationError(_("The reason can be at most 300 characters long."))
    before = snapshot(comment)
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        actor=actor,
        village=village,
        action="comment.hide",
        target=comment,
        before=before,
        after=snapshot(comment),
    )
    session_event_send(session=session, type=EventType.COMMENTS_CHANGED, data={"item": comment.item_id})
    return comment
