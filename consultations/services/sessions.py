"""Writes to sessions: creating one, announcing it to everyone entitled, opening and closing it,
and the reminder the day before."""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.events import EventType, session_event_send
from consultations.models import Session, SessionState
from consultations.selectors.sessions import session_day
from consultations.services.agenda import agenda_current_finish
from consultations.services.locks import session_lock
from villagegov.formats import local_date
from villagegov.models import Body, Council, Person, User
from villagegov.selectors.councils import council_members
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

# The check-in code is a secret (it checks people in): it stays out of the audit log.
AUDITED_FIELDS = [
    "id",
    "council_id",
    "title",
    "chair_id",
    "place",
    "starts_at",
    "state",
    "announced_at",
    "opened_at",
    "closed_at",
    "reminded_at",
    "created_by_id",
]
JOIN_CODE_BYTES = 16


def days_ahead(session: Session, *, today: date | None = None) -> int:
    return (session_day(session) - (today or timezone.localdate())).days


@transaction.atomic
def session_create(
    *, actor: User, council: Council, title: str, chair: Person, place: str, starts_at: datetime
) -> Session:
    village = council.village
    title = clean_text(
        title,
        empty=_("Enter the session's title."),
        max_length=200,
        too_long=_("The title is too long (at most 200 characters)."),
    )
    place = clean_text(
        place,
        empty=_("Enter where the session meets."),
        max_length=200,
        too_long=_("The place is too long (at most 200 characters)."),
    )
    if chair.village_id != village.pk:
        raise ValidationError(_("The chair must be on this village's roster."))
    if chair.left_on is not None:
        raise ValidationError(_("%(name)s has left the roster and cannot chair.") % {"name": chair.name})
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the session's time with its time zone."))
    session = Session.objects.create(
        council=council,
        title=title,
        chair=chair,
        place=place,
        starts_at=starts_at,
        join_code=secrets.token_urlsafe(JOIN_CODE_BYTES),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        village=village,
        action="session.create",
        target=session,
        after=snapshot(session, AUDITED_FIELDS),
    )
    return session


def _when(session: Session) -> str:
    return formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")


def _notify_entitled(session: Session, message: str) -> int:
    village = session.council.village
    return notification_send(
        village=village,
        people=council_members(session.council, on=session_day(session)),
        message=message,
        link=reverse("session_detail", args=[village.admin_code, session.pk]),
    )


def short_notice_message(session: Session, *, notice_days: int, citation: str) -> str:
    ahead = days_ahead(session)
    return _("The %(body)s must be announced %(notice)s ahead (%(citation)s); %(ahead)s.") % {
        "body": Body(session.council.body).label,
        "notice": ngettext("%(count)d day", "%(count)d days", notice_days) % {"count": notice_days},
        "citation": citation,
        "ahead": ngettext(
            "this session starts in %(count)d day", "this session starts in %(count)d days", ahead
        )
        % {"count": ahead},
    }


@transaction.atomic
def session_announce(*, actor: User, session: Session, short_notice_acknowledged: bool = False) -> Session:
    """Announce a draft session and notify everyone entitled to attend it. Short of the body's
    notice period it is refused (code "short_notice") unless the short notice is acknowledged."""
    session = session_lock(session.pk)
    if session.state != SessionState.DRAFT:
        raise ValidationError(
            _("Only a draft session can be announced; this one is %(state)s.")
            % {"state": session.get_state_display()}
        )
    ahead = days_ahead(session)
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session's time has passed: it can no longer be announced."))
    body_rule = session.council.body_rule
    notice_days = body_rule.notice_days if body_rule is not None else None
    short_notice = notice_days is not None and ahead < notice_days
    if short_notice and not short_notice_acknowledged:
        assert body_rule is not None and notice_days is not None
        raise ValidationError(
            short_notice_message(session, notice_days=notice_days, citation=body_rule.citation),
            code="short_notice",
        )
    before = snapshot(session, AUDITED_FIELDS)
    now = timezone.now()
    session.state = SessionState.ANNOUNCED
    session.announced_at = now
    changed = ["state", "announced_at"]
    if ahead <= 1:
        # Announced the day before or on the day: the announcement is the reminder.
        session.reminded_at = now
        changed.append("reminded_at")
    session.save(update_fields=changed)
    session_event_send(session=session, type=EventType.SESSION_STATE, data={"state": session.state})
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(council)s: “%(title)s” is called for %(when)s at %(place)s.") % {
            "council": session.council.name,
            "title": session.title,
            "when": _when(session),
            "place": session.place,
        }
    notified = _notify_entitled(session, message)
    audit_record(
        actor=actor,
        village=session.council.village,
        action="session.announce",
        target=session,
        before=before,
        after=snapshot(session, AUDITED_FIELDS)
        | {
            "notified": notified,
            "days_ahead": ahead,
            "notice_days": notice_days,
            "short_notice": short_notice,
        },
    )
    return session


def _transition(
    *,
    actor: User,
    session: Session,
    source: SessionState,
    target: SessionState,
    stamp: str,
    action: str,
    refusal: str,
) -> Session:
    session = session_lock(session.pk)
    if session.state != source:
        raise ValidationError(refusal % {"state": session.get_state_display()})
    session = audited_update(
        session,
        actor=actor,
        village=session.council.village,
        action=action,
        changes={"state": target, stamp: timezone.now()},
        fields=AUDITED_FIELDS,
    )
    session_event_send(session=session, type=EventType.SESSION_STATE, data={"state": str(target)})
    return session


@transaction.atomic
def session_open(*, actor: User, session: Session) -> Session:
    if session.state == SessionState.ANNOUNCED and timezone.localdate() < session_day(session):
        raise ValidationError(
            _("The session meets on %(day)s; it can be opened on that day.")
            % {"day": local_date(session_day(session))}
        )
    return _transition(
        actor=actor,
        session=session,
        source=SessionState.ANNOUNCED,
        target=SessionState.OPEN,
        stamp="opened_at",
        action="session.open",
        refusal=_("Only an announced session can be opened; this one is %(state)s."),
    )


@transaction.atomic
def session_close(*, actor: User, session: Session) -> Session:
    agenda_current_finish(actor=actor, session=session)
    return _transition(
        actor=actor,
        session=session,
        source=SessionState.OPEN,
        target=SessionState.CLOSED,
        stamp="closed_at",
        action="session.close",
        refusal=_("Only a session in progress can be closed; this one is %(state)s."),
    )


def session_reminders_send() -> int:
    """Remind everyone entitled of each announced session meeting tomorrow (local date) that was
    not reminded yet. Each session in its own transaction; safe to run again. Returns how many
    sessions were reminded."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    due = Session.objects.filter(
        state=SessionState.ANNOUNCED, reminded_at__isnull=True, starts_at__date=tomorrow
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            session = (
                Session.objects.select_for_update()
                .select_related("council__village")
                .filter(pk=pk, state=SessionState.ANNOUNCED, reminded_at__isnull=True)
                .first()
            )
            if session is None:
                continue  # Reminded or changed by a run at the same time.
            with translation.override(settings.LANGUAGE_CODE):
                message = _("Reminder: %(council)s meets tomorrow, %(when)s at %(place)s: “%(title)s”.") % {
                    "council": session.council.name,
                    "when": _when(session),
                    "place": session.place,
                    "title": session.title,
                }
            notified = _notify_entitled(session, message)
            before = snapshot(session, AUDITED_FIELDS)
            session.reminded_at = timezone.now()
            session.save(update_fields=["reminded_at"])
            audit_record(
                actor=None,
                village=session.council.village,
                action="session.remind",
                target=session,
                before=before,
                after=snapshot(session, AUDITED_FIELDS) | {"notified": notified},
            )
            reminded += 1
    return reminded
