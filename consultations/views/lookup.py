"""Finding a session's objects for a page: always through the page's village (another village's
ids are 404), and a draft session only for those who manage sessions."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from consultations.models import Session, SessionState
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import roles_allow


def session_scope(request: HttpRequest, prefix: str = "") -> dict[str, Any]:
    """Filters that hide draft sessions from those who may not manage sessions; `prefix` is the
    path from the queried model to its session ("session__", "item__session__")."""
    if roles_allow(request, Action.MANAGE_SESSIONS):
        return {}
    return {f"{prefix}state__in": [state for state in SessionState.values if state != SessionState.DRAFT]}


def visible_session(request: HttpRequest, village: Village, session_id: int) -> Session:
    sessions = Session.objects.select_related("council__village", "council__group", "chair__household")
    return get_object_or_404(sessions, pk=session_id, council__village=village, **session_scope(request))
