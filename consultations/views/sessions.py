"""The sessions of a village: the list, a new session, a session's page and its transitions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.sessions import SessionAnnounceForm, SessionForm
from consultations.models import Session
from consultations.selectors.sessions import past_sessions, session_chair_candidates, upcoming_sessions
from consultations.services import sessions as services
from consultations.views.lookup import visible_session
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.selectors.councils import council_rules, village_councils
from villagegov.views.base import acting_user, roles_allow, village_view

PAST_PAGE_SIZE = 50


@village_view(Action.VIEW_VILLAGE)
def session_list(request: HttpRequest, village: Village) -> HttpResponse:
    drafts = roles_allow(request, Action.MANAGE_SESSIONS)
    past = Paginator(past_sessions(village, include_drafts=drafts), PAST_PAGE_SIZE)
    context = {
        "upcoming": list(upcoming_sessions(village, include_drafts=drafts)),
        "past_page": past.get_page(request.GET.get("page")),
    }
    return render(request, "consultations/session_list.html", context)


def _session_form(village: Village, data: Any = None) -> SessionForm:
    return SessionForm(
        data,
        councils=village_councils(village),
        chairs=session_chair_candidates(village, on=timezone.localdate()),
    )


@village_view(Action.MANAGE_SESSIONS)
def session_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = _session_form(village, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=acting_user(request),
                council=form.cleaned_data["council"],
                title=form.cleaned_data["title"],
                chair=form.cleaned_data["chair"],
                place=form.cleaned_data["place"],
                starts_at=form.cleaned_data["starts_at"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(title)s was created as a draft. Announce it when it is ready.")
                % {"title": session.title},
            )
            return redirect("session_detail", village.admin_code, session.pk)
    status = 400 if form.is_bound else 200
    return render(request, "consultations/session_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest,
    session: Session,
    *,
    status: int = 200,
    announce_form: SessionAnnounceForm | None = None,
    short_notice: bool = False,
    error: ValidationError | None = None,
) -> HttpResponse:
    body_rule = council_rules(session.council)
    context = {
        "session": session,
        "body_rule": body_rule,
        "announce_form": announce_form or SessionAnnounceForm(),
        "short_notice": short_notice,
        "errors": error.messages if error is not None else [],
        "manages": roles_allow(request, Action.MANAGE_SESSIONS),
    }
    return render(request, "consultations/session_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def session_detail(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    return _render_detail(request, visible_session(request, village, session_id))


@village_view(Action.MANAGE_SESSIONS)
@require_POST
def session_announce(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    form = SessionAnnounceForm(request.POST)
    form.is_valid()  # A checkbox: anything but a ticked box means "not acknowledged".
    try:
        services.session_announce(
            actor=acting_user(request),
            session=session,
            short_notice_acknowledged=form.cleaned_data.get("short_notice_acknowledged", False),
        )
    except ValidationError as error:
        short = getattr(error, "code", None) == "short_notice"
        return _render_detail(
            request, session, status=400, announce_form=form, short_notice=short, error=error
        )
    messages.success(request, _("The session was announced and everyone entitled was notified."))
    return redirect("session_detail", village.admin_code, session.pk)


def _transition(
    request: HttpRequest,
    village: Village,
    session_id: int,
    service: Callable[..., Session],
    done: str,
) -> HttpResponse:
    session = visible_session(request, village, session_id)
    try:
        service(actor=acting_user(request), session=session)
    except ValidationError as error:
        return _render_detail(request, session, status=400, error=error)
    messages.success(request, done)
    return redirect("session_detail", village.admin_code, session.pk)


@village_view(Action.MANAGE_SESSIONS)
@require_POST
def session_open(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    return _transition(request, village, session_id, services.session_open, _("The session is open."))


@village_view(Action.MANAGE_SESSIONS)
@require_POST
def session_close(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    return _transition(request, village, session_id, services.session_close, _("The session is closed."))
