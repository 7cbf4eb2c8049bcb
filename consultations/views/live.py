"""The live parts of a session's page and the hall's projector screen.

`session_live` returns the server-rendered live regions (the same includes as the session's
page, or the hall's with `?view=hall`); live.js fetches it when the socket says something
changed, so the page and the fragment never diverge. Both work without JavaScript too."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from consultations.models import Session
from consultations.selectors.attendance import check_in_open
from consultations.selectors.live import hall_screen
from consultations.templatetags.attendance_panel import check_in_qr
from consultations.views.lookup import visible_session
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.selectors.councils import council_rules
from villagegov.views.base import roles_allow, village_view


def live_urls(village: Village, session: Session) -> dict[str, str]:
    """Where live.js connects and what it fetches (the root element's data attributes)."""
    return {
        "ws_path": f"/ws/v/{village.admin_code}/sessions/{session.pk}/",
        "live_url": reverse("session_live", args=[village.admin_code, session.pk]),
    }


def _hall_context(request: HttpRequest, village: Village, session: Session) -> dict[str, Any]:
    context: dict[str, Any] = {"session": session, "hall": hall_screen(session)}
    if check_in_open(session):
        qr = check_in_qr(request, session, scale=10)
        context["check_in_link"] = qr.link
        context["qr_svg"] = qr.svg
    return context


@never_cache
@village_view(Action.VIEW_VILLAGE)
@require_safe
def session_live(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    if request.GET.get("view") == "hall":
        # The hall's fragment shows the join QR code: for those who keep attendance only.
        if not roles_allow(request, Action.RECORD_ATTENDANCE):
            raise PermissionDenied
        return render(request, "consultations/_live_hall.html", _hall_context(request, village, session))
    context = {
        "session": session,
        "body_rule": council_rules(session.council),
        "manages": roles_allow(request, Action.MANAGE_SESSIONS),
    }
    return render(request, "consultations/_live_session.html", context)


@village_view(Action.RECORD_ATTENDANCE)
def session_hall(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    context = _hall_context(request, village, session) | live_urls(village, session)
    return render(request, "consultations/hall.html", context)
