"""Account forms: mainland China mobile numbers as people type them, and the login form."""

import re
import unicodedata
from typing import Any

from allauth.account.fields import PhoneField
from allauth.account.forms import LoginForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

COUNTRY_PREFIX = "+86"
MOBILE_NUMBER = re.compile(r"^1[3-9][0-9]{9}$")
SEPARATORS = re.compile(r"[\s\-().]")


def normalise_mobile_number(raw: str) -> str | None:
    """The E.164 form (+8613800138000) of a mainland China mobile number typed with or without
    +86/0086, spaces, dashes or full-width digits; None if it is not one."""
    digits = SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits.removeprefix(prefix)
            break
    else:
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits.removeprefix("86")
    if not MOBILE_NUMBER.match(digits):
        return None
    return COUNTRY_PREFIX + digits


def display_mobile_number(phone: str) -> str:
    """+8613800138000 as people read it: 138 0013 8000."""
    local = phone.removeprefix(COUNTRY_PREFIX)
    return f"{local[:3]} {local[3:7]} {local[7:]}" if MOBILE_NUMBER.match(local) else phone


class MobileNumberField(PhoneField):
    """allauth's phone field, accepting mainland mobile numbers as typed and cleaning them to E.164."""

    default_error_messages = {
        "invalid_phone": _("Enter an 11-digit mobile phone number, for example 138 0013 8000."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = []
        kwargs["label"] = _("Mobile phone number")
        kwargs.setdefault("help_text", _("11 digits, for example 138 0013 8000."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "138 0013 8000", "inputmode": "tel"})

    def to_python(self, value: Any) -> str:
        text: str = super().to_python(value)
        if text in self.empty_values:
            return text
        normalised = normalise_mobile_number(text)
        if normalised is None:
            raise ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")
        return normalised


class VillageLoginForm(LoginForm):
    """allauth's login form with a label that says what to type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mobile phone number or username")
        login.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
