"""Messages to villagers: in the app (the record) and by SMS to those with a phone."""

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator

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
    # Titles and places are long enough to overflow the column; the link leads to the whole.
    message = Truncator(message).chars(Notification._meta.get_field("message").max_length or 500)
    Notification.objects.bulk_create(
        [Notification(village=village, person=person, message=message, link=link) for person in recipients]
    )
    phones = [person.phone for person in recipients if person.phone]
    if phones:
        transaction.on_commit(lambda: _send_sms(phones, message))
    return len(recipients)


def notifications_mark_read(*, user: User, notifications: list[Notification]) -> int:
    """Mark read the user's `notifications` that were just shown (not those on other pages, nor
    any that arrived meanwhile), in one UPDATE."""
    shown = [notification.pk for notification in notifications]
    return Notification.objects.filter(pk__in=shown, person__user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
