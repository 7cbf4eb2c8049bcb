"""Writes to resolutions (决议): made from a vote that passed, then published to the village's
public board (公开栏)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Minutes, MotionItem, Poll, PollState, Resolution, Session, SessionState
from consultations.selectors.polls import poll_explanation
from consultations.services.locks import session_lock
from consultations.services.minutes import require_minutes_keeper
from villagegov.formats import local_date
from villagegov.models import User
from villagegov.services.audit import audit_record, audited_update, snapshot

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10000


def resolution_refusal(poll: Poll) -> str | None:
    """Why the result of `poll` cannot become a resolution, in plain words; None if it can."""
    if poll.state != PollState.CLOSED:
        return _("Only a closed vote can become a resolution; this one is %(state)s.") % {
            "state": poll.get_state_display()
        }
    body_rule = poll.item.session.council.body_rule
    if body_rule is not None and body_rule.advisory:
        return _(
            "The %(body)s is an advisory body: its votes advise and decide nothing, "
            "so they make no resolution."
        ) % {"body": poll.item.session.council.get_body_display()}
    if poll.passed is not True:
        explanation = poll_explanation(poll)
        refusal = _("This vote did not pass, so it makes no resolution.")
        return f"{refusal} {explanation}" if explanation else refusal
    return None


@transaction.atomic
def resolution_create(
    *, actor: User, session: Session, poll: Poll, title: str = "", text: str = ""
) -> Resolution:
    """Make the resolution of a closed vote of `session` that passed; one per vote. A blank
    title or text is taken from the motion. Refused once the session's minutes are signed off:
    signed minutes do not change."""
    session = session_lock(session.pk)
    require_minutes_keeper(actor, session.council.village)
    signed = (
        Minutes.objects.filter(session=session, signed_at__isnull=False).select_related("signed_by").first()
    )
    if signed is not None:
        assert signed.signed_at is not None and signed.signed_by is not None
        raise ValidationError(
            _(
                "The minutes of this session were signed off by %(name)s on %(day)s: no resolution "
                "can be added to them any more."
            )
            % {"name": signed.signed_by.name, "day": local_date(timezone.localdate(signed.signed_at))}
        )
    poll = Poll.objects.select_for_update().select_related("item__session__council__village").get(pk=poll.pk)
    if poll.item.session_id != session.pk:
        raise ValidationError(_("This vote belongs to another session."))
    refusal = resolution_refusal(poll)
    if refusal is not None:
        raise ValidationError(refusal)
    if Resolution.objects.filter(poll=poll).exists():
        raise ValidationError(_("This vote already has its resolution."))
    motion_text = MotionItem.objects.filter(pk=poll.item_id).values_list("text", flat=True).first()
    title = title.strip() or poll.item.title
    text = text.replace("\r\n", "\n").strip() or motion_text or poll.question
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH}
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX_LENGTH}
        )
    resolution = Resolution.objects.create(session=poll.item.session, poll=poll, title=title, text=text)
    audit_record(
        actor=actor,
        village=poll.item.session.council.village,
        action="resolution.create",
        target=resolution,
        after=snapshot(resolution),
    )
    return resolution


@transaction.atomic
def resolution_publish(*, actor: User, resolution: Resolution) -> Resolution:
    """Publish a resolution on the village's public board, once its session is closed."""
    resolution = (
        Resolution.objects.select_for_update()
        .select_related("session__council__village")
        .get(pk=resolution.pk)
    )
    session = resolution.session
    require_minutes_keeper(actor, session.council.village)
    if resolution.published_at is not None:
        raise ValidationError(
            _("This resolution was already published on %(day)s.")
            % {"day": local_date(timezone.localdate(resolution.published_at))}
        )
    if session.state != SessionState.CLOSED:
        raise ValidationError(
            _("A resolution is published after its session is closed; this one is %(state)s.")
            % {"state": session.get_state_display()}
        )
    return audited_update(
        resolution,
        actor=actor,
        village=session.council.village,
        action="resolution.publish",
        changes={"published_at": timezone.now(), "published_by": actor},
    )
