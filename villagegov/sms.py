"""Text messages (SMS): the one door every SMS of villagegov goes through.

`sms_send(phone=..., message=...)` hands the message to the backend named by
`settings.VILLAGEGOV_SMS_BACKEND`:

- ``"console"`` (development): the message is logged on the ``villagegov.sms`` logger,
  so a developer reads verification codes in the runserver output;
- ``"memory"`` (tests): the message is appended to ``villagegov.sms.outbox``, like
  Django's ``mail.outbox``; tests empty it first;
- ``"disabled"`` (production without a gateway, the default when DEBUG is off): nothing is
  sent and nothing of the message is logged. Settings then turn phone verification off.

Settings refuse ``"console"`` and ``"memory"`` when DEBUG is off: a verification code in a
log file is as good as the villager's phone to whoever reads the log.

A real gateway (a carrier's or a cloud SMS service's HTTP API) plugs in here: write a
function taking an `SmsMessage`, register it in `BACKENDS` under a new name, and set
``VILLAGEGOV_SMS_BACKEND`` to that name in the environment. Nothing else in the
project knows how messages travel.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("villagegov.sms")


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    message: str


outbox: list[SmsMessage] = []


def _send_to_console(sms: SmsMessage) -> None:
    logger.info("SMS to %s: %s", sms.phone, sms.message)


def _send_to_memory(sms: SmsMessage) -> None:
    outbox.append(sms)


def _drop(sms: SmsMessage) -> None:
    # Neither number nor text: the text may hold a code.
    logger.warning("SMS sending is disabled (VILLAGEGOV_SMS_BACKEND=disabled): a message was not sent.")


BACKENDS: dict[str, Callable[[SmsMessage], None]] = {
    "console": _send_to_console,
    "memory": _send_to_memory,
    "disabled": _drop,
}


def sms_send(*, phone: str, message: str) -> None:
    """Send `message` to the mobile number `phone` (E.164, e.g. +8613800138000)."""
    name = settings.VILLAGEGOV_SMS_BACKEND
    backend = BACKENDS.get(name)
    if backend is None:
        raise ImproperlyConfigured(
            f"VILLAGEGOV_SMS_BACKEND is {name!r}; expected one of {', '.join(sorted(BACKENDS))}."
        )
    backend(SmsMessage(phone=phone, message=message))
