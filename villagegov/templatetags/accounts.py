"""Template helpers of the account pages: the invitation being claimed, phone numbers as people read them,
whether a villager can change their number themselves."""

from typing import Any

from allauth.account import app_settings as account_settings
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


@register.simple_tag
def phone_change_by_sms() -> bool:
    """A new number is confirmed by an SMS code; without SMS only an official can change it."""
    return bool(account_settings.PHONE_VERIFICATION_ENABLED)
