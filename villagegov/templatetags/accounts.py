"""Template helpers of the account pages: the invitation being claimed, phone numbers as people read them."""

from typing import Any

from django import template

from villagegov.forms.accounts import display_mobile_number
from villagegov.models import Invitation
from villagegov.selectors.invitations import invitation_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_invitation(context: dict[str, Any]) -> Invitation | None:
    request = context.get("request")
    return invitation_pending(request) if request is not None else None


@register.filter
def mobile_number(phone: str | None) -> str:
    return display_mobile_number(phone) if phone else ""
