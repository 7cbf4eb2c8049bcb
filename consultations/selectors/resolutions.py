"""Reads of resolutions (决议): the public board shows only what the village published."""

from django.db.models import Prefetch, QuerySet

from consultations.models import PollOption, Resolution, Session
from villagegov.models import Village


def published_resolutions(village: Village) -> QuerySet[Resolution]:
    """The village's published resolutions, newest first, with their session, body and vote."""
    return (
        Resolution.objects.filter(session__council__village=village, published_at__isnull=False)
        .select_related("session__council", "poll")
        .order_by("-published_at", "-pk")
    )


def published_resolution_detail(village: Village) -> QuerySet[Resolution]:
    """As `published_resolutions`, with the vote's options for its figures."""
    options = PollOption.objects.select_related("candidate").order_by("position", "pk")
    return published_resolutions(village).prefetch_related(Prefetch("poll__options", queryset=options))


def session_resolutions(session: Session) -> QuerySet[Resolution]:
    return Resolution.objects.filter(session=session).select_related("poll").order_by("pk")
