"""Reads of a user's notifications, across every village they are on the roster of."""

from django.db.models import QuerySet

from villagegov.models import Notification, User


def user_notifications(user: User) -> QuerySet[Notification]:
    """Newest first; the village is shown beside each."""
    return (
        Notification.objects.filter(person__user=user)
        .select_related("village")
        .order_by("-created_at", "-id")
    )


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(person__user=user, read_at__isnull=True).count()
