from typing import Any

from django.http import HttpRequest

from villagegov.permissions import ROLES_ALLOWED, Action, roles_in
from villagegov.selectors.notifications import unread_notification_count
from villagegov.selectors.villages import villages_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The villages the user belongs to, for the current one the actions their roles allow, and
    how many of the user's messages are unread."""
    user = request.user
    if not user.is_authenticated:
        return {}
    villages = list(villages_of(user))
    current = getattr(request, "village", None)
    allowed: set[str] = set()
    if current is not None:
        roles = getattr(request, "village_roles", None) or roles_in(user, current)
        allowed = {action.value for action in Action if roles & ROLES_ALLOWED[action]}
    return {
        "my_villages": villages,
        "current_village": current,
        "allowed_actions": allowed,
        "unread_notifications": unread_notification_count(user),
    }
