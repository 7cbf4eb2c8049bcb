"""Reads about the matters residents raise (议题征集): which councils take them, who may support
one, how much support it has, and the lists of the topic pages."""

from datetime import datetime, time
from typing import cast

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    AgendaItem,
    Session,
    SessionState,
    Topic,
    TopicPhoto,
    TopicState,
    TopicSupport,
)
from villagegov.models import Body, Council, Person, Village

# Bodies that do not hold sessions with an agenda a resident's matter could reach.
NOT_TOPIC_BODIES = (Body.VILLAGE_COMMITTEE, Body.SUPERVISION_COMMITTEE)
AGENDA_SESSION_STATES = (SessionState.DRAFT, SessionState.ANNOUNCED)
MY_TOPICS_SHOWN = 20


def support_needed() -> int:
    """How many supporters put a matter onto its council's next agenda (a setting)."""
    return max(1, int(settings.VILLAGEGOV_TOPIC_SUPPORT_NEEDED))


def topic_councils(village: Village) -> QuerySet[Council]:
    """The village's councils that hold sessions, to which a matter can be raised."""
    return (
        Council.objects.filter(village=village)
        .exclude(body__in=NOT_TOPIC_BODIES)
        .select_related("group")
        .order_by("name", "pk")
    )


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def agenda_sessions(council: Council) -> QuerySet[Session]:
    """The council's sessions whose agenda can still take an item: drafts and announced sessions
    from today on, soonest first. The first is the council's "next agenda"."""
    return (
        Session.objects.filter(
            council=council, state__in=AGENDA_SESSION_STATES, starts_at__gte=_start_of_today()
        )
        .select_related("council")
        .order_by("starts_at", "id")
    )


def with_support(topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """`topics` with `support_count` and `enough_support` (raised, awaiting an answer, and
    supported by at least the number needed: the committee's to place on the next agenda)."""
    return topics.annotate(support_count=Count("supports", distinct=True)).annotate(
        enough_support=Case(
            When(Q(state=TopicState.RAISED, support_count__gte=support_needed()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def village_topics(
    village: Village, *, state: str | None = None, enough_support_first: bool = False
) -> QuerySet[Topic]:
    """The village's topics, newest first (those with enough support still waiting first, for
    the committee), optionally of one state."""
    topics = with_support(Topic.objects.filter(village=village)).select_related("council", "raised_by")
    if state:
        topics = topics.filter(state=state)
    order = ["-raised_at", "-id"]
    return topics.order_by("-enough_support", *order) if enough_support_first else topics.order_by(*order)


def topics_raised_by(village: Village, person: Person | None) -> list[Topic]:
    """What `person` raised, newest first (at most MY_TOPICS_SHOWN)."""
    if person is None:
        return []
    topics = with_support(Topic.objects.filter(village=village, raised_by=person)).select_related("council")
    return list(topics.order_by("-raised_at", "-id")[:MY_TOPICS_SHOWN])


def village_topic(village: Village, topic_id: int) -> Topic | None:
    """The village's topic with its support count, or None."""
    return (
        with_support(Topic.objects.filter(village=village, pk=topic_id))
        .select_related("council__village", "raised_by", "answered_by")
        .first()
    )


def support_refusal(topic: Topic, person: Person | None) -> str | None:
    """Why `person` may not support `topic`, or None if they may."""
    if person is None or person.village_id != topic.village_id or person.left_on is not None:
        return _("Only people on this village's roster can support a matter.")
    if person.pk == topic.raised_by_id:
        return _("You raised this matter yourself, so you cannot support it as well.")
    if topic.state != TopicState.RAISED:
        return _("This matter has been answered: it no longer takes support.")
    if TopicSupport.objects.filter(topic=topic, person=person).exists():
        return _("You have already supported this matter.")
    return None


def support_count(topic: Topic) -> int:
    return TopicSupport.objects.filter(topic=topic).count()


def topic_photos(topic: Topic) -> list[TopicPhoto]:
    return list(TopicPhoto.objects.filter(topic=topic).order_by("id"))


def answerer_name(topic: Topic) -> str:
    """The name on the village's roster of the official who answered `topic`, or "" (never their
    account's username, which may be their phone number)."""
    if topic.answered_by_id is None:
        return ""
    person = (
        Person.objects.filter(village_id=topic.village_id, user_id=topic.answered_by_id)
        .order_by(F("left_on").desc(nulls_first=True), "-pk")
        .only("name")
        .first()
    )
    return person.name if person is not None else ""


def topic_agenda_items(topic: Topic) -> list[AgendaItem]:
    """The agenda items the topic became, with their sessions."""
    items = AgendaItem.objects.filter(topic=topic, session__council__village_id=topic.village_id)
    plain = cast("QuerySet[AgendaItem]", items.non_polymorphic())
    return list(plain.select_related("session").order_by("id"))
