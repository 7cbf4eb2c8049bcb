"""The agenda panel of a session's page: it reads what it shows, so any page may include it."""

from typing import Any

from django import template

from consultations.models import Session, SessionState
from consultations.selectors.agenda import KIND_LABELS, ItemKind, agenda_rows
from villagegov.permissions import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def session_agenda(context: template.Context, session: Session) -> dict[str, Any]:
    """The items in order with their kind, state, speaker and queue; for those who run the agenda,
    what they may do with each (a bounded number of queries whatever the agenda's length)."""
    allowed = set(context.get("allowed_actions") or ())
    rows = agenda_rows(session)
    manages = Action.MANAGE_AGENDA.value in allowed
    return {
        "rows": rows,
        "current": next((row for row in rows if row.is_current), None),
        "manages": manages,
        "can_change": manages and session.state != SessionState.CLOSED,
        "can_start": manages and session.state == SessionState.OPEN,
        "kinds": [(kind.value, KIND_LABELS[kind]) for kind in ItemKind],
    }
