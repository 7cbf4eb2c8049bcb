"""What every supervision service shares: the message for a text past its limit, and the language
in which notifications are written."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

# For villagegov.services.text.clean_text, which fills in %(max)d.
TOO_LONG = gettext_lazy("This text is too long (at most %(max)d characters).")


def notification_language() -> AbstractContextManager[None]:
    """Write a notification or SMS in the village's language (settings.LANGUAGE_CODE), not in the
    language of the person whose action sends it: `with notification_language(): message = _(…)`."""
    return translation.override(settings.LANGUAGE_CODE)
