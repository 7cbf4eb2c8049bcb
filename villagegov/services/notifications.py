"""Messages to villagers: in the app (the record) and by SMS to those with a phone."""

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from villagegov.models import Notification, Person, User, Village
from villagegov.sms import sms_send

logger = logging.getLogger("villagegov.notifications")


def _send_sms(phones: list[str], message: str) -> None:
    for phone in phones:
        # One unreachable number or a gateway hiccup must not keep the message from the others.
        try:
            sms_send(phone=phone, message=message)
        except Exception:
            logger.exception("An SMS notification could not be sent.")


@transaction.atomic
def notification_send(*, village: Village, people: QuerySet[Person], message: str, link: str) -> int:
    """Notify `people` of `village` in the app, and by SMS those with a phone once the
    transaction commits (a rolled-back write sends nothing). Returns how many were notified."""
    recipients = list(people.filter(village=village).only("pk", "phone").order_by("pk"))
    Notification.objects.bulk_create(
        [Notification(village=village, person=person, message=message, link=link) for person in recipients]
    )
    phones = [person.phone for person in recipients if person.phone]
    if phones:
        transaction.on_commit(lambda: _send_sms(phones, message))
    return len(recipients)


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of the user's roster entries read, in one UPDATE."""
    return Notification.objects.filter(person__user=user, read_at__isnull=True).update(read_at=timezone.now())
