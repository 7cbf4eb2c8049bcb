"""Supporting a matter (附议): once per person, not one's own, only while it awaits an answer; the
support that reaches the number needed puts it onto the council's next agenda, or flags it for
the committee when no session is planned; and the support button's POST."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from consultations.models import (
    AgendaItem,
    DiscussionItem,
    MotionItem,
    SessionState,
    Topic,
    TopicState,
    TopicSupport,
)
from consultations.selectors.topics import village_topic
from consultations.services.topics import topic_answer
from villagegov.formats import local_date
from villagegov.models import AuditRecord, Notification, Person, Role, User, Village
from villagegov.testing import client_for, make_person, make_village

from .topics_testing import raise_topic, session_ahead, support, supporters

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def django_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture(autouse=True)
def _three_needed(django_settings: Settings) -> None:
    django_settings.VILLAGEGOV_TOPIC_SUPPORT_NEEDED = 3


@pytest.fixture
def topic(resident: Person, official: Person) -> Topic:
    topic = raise_topic(resident)
    Notification.objects.all().delete()
    return topic


def test_a_villager_supports_a_matter_once(village: Village, topic: Topic) -> None:
    [person] = supporters(village, 1)
    support(person, topic)
    assert TopicSupport.objects.filter(topic=topic, person=person).count() == 1
    assert AuditRecord.objects.filter(action="topic_support.create").count() == 1
    with pytest.raises(ValidationError, match="already supported"):
        support(person, topic)
    assert TopicSupport.objects.filter(topic=topic).count() == 1


def test_one_cannot_support_ones_own_matter(resident: Person, topic: Topic) -> None:
    with pytest.raises(ValidationError, match="raised this matter yourself"):
        support(resident, topic)
    assert not TopicSupport.objects.exists()


def test_an_answered_matter_takes_no_more_support(village: Village, topic: Topic, actor: User) -> None:
    topic_answer(actor=actor, topic=topic, outcome=TopicState.HANDLED, answer="路灯已修好")
    with pytest.raises(ValidationError, match="no longer takes support"):
        support(supporters(village, 1)[0], topic)
    assert not TopicSupport.objects.exists()


def test_someone_of_another_village_cannot_support(topic: Topic, outsider: Person) -> None:
    with pytest.raises(ValidationError):
        support(outsider, topic)
    assert not TopicSupport.objects.exists()


def test_reaching_the_number_puts_the_matter_at_the_end_of_the_next_agenda(
    village: Village, resident: Person, topic: Topic
) -> None:
    council = topic.council
    later = session_ahead(council, days=30, state=SessionState.DRAFT)
    nearest = session_ahead(council, days=5, state=SessionState.ANNOUNCED)
    session_ahead(council, days=-3, state=SessionState.ANNOUNCED)  # past: not "next"
    session_ahead(council, days=1, state=SessionState.OPEN)  # under way: its agenda is fixed
    assert nearest.starts_at < later.starts_at
    owner = nearest.created_by
    MotionItem.objects.create(session=nearest, position=4, title="已有事项", text="t", created_by=owner)
    seq_before = nearest.live_seq
    people = supporters(village, 3)
    support(people[0], topic)
    support(people[1], topic)
    assert not AgendaItem.objects.filter(topic=topic).exists()
    support(people[2], topic)
    item = DiscussionItem.objects.get(topic=topic)
    assert item.session == nearest and item.position == 5
    assert item.title == topic.title and item.description == topic.body
    topic.refresh_from_db()
    assert topic.state == TopicState.ON_AGENDA and topic.answered_at is not None and topic.answered_by is None
    assert "3 villagers supported" in topic.answer and nearest.title in topic.answer
    nearest.refresh_from_db()
    assert nearest.live_seq == seq_before + 1  # agenda.changed was sent
    told = Notification.objects.get(person=resident)
    assert "enough support" in told.message
    assert AuditRecord.objects.filter(action="topic.on_agenda_by_support").count() == 1
    assert AuditRecord.objects.filter(action="agenda_item.create").count() == 1


def test_support_onto_a_drafts_agenda_names_only_the_bodys_next_meeting(
    village: Village, resident: Person, topic: Topic
) -> None:
    draft = session_ahead(topic.council, days=4, state=SessionState.DRAFT, title="尚未公布的会议")
    for person in supporters(village, 3):
        support(person, topic)
    assert DiscussionItem.objects.get(topic=topic).session == draft
    topic.refresh_from_db()
    told = Notification.objects.get(person=resident)
    the_date = local_date(timezone.localdate(draft.starts_at))
    for public in (topic.answer, told.message):
        assert f"the next meeting of the {topic.council.name}" in public
        assert draft.title not in public and the_date not in public


def test_without_a_session_ahead_the_matter_waits_flagged_and_the_committee_is_told_once(
    village: Village, official: Person, topic: Topic
) -> None:
    session_ahead(topic.council, days=-2)
    people = supporters(village, 4)
    for person in people[:3]:
        support(person, topic)
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED and not AgendaItem.objects.exists()
    flagged = village_topic(village, topic.pk)
    assert flagged is not None
    assert flagged.enough_support and flagged.support_count == 3  # type: ignore[attr-defined]
    told = Notification.objects.get()
    assert told.person == official and "no session planned" in told.message
    support(people[3], topic)
    assert Notification.objects.count() == 1


def test_a_session_of_another_council_is_not_the_next_agenda(village: Village, topic: Topic) -> None:
    from villagegov.models import Body
    from villagegov.testing import council_of

    session_ahead(council_of(village, Body.VILLAGERS_ASSEMBLY), days=3)
    for person in supporters(village, 3):
        support(person, topic)
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED and not AgendaItem.objects.exists()


# The button.


def url(topic: Topic) -> str:
    return reverse("topic_support", args=[topic.village.admin_code, topic.pk])


def test_the_button_records_the_support(village: Village, topic: Topic) -> None:
    [person] = supporters(village, 1)
    response = client_for(person).post(url(topic))
    assert response.status_code == 302
    assert response["Location"] == reverse("topic_detail", args=[village.admin_code, topic.pk])
    assert TopicSupport.objects.filter(topic=topic, person=person).exists()


def test_a_refused_support_is_shown_on_the_page_with_400(resident_client: Client, topic: Topic) -> None:
    response = resident_client.post(url(topic))
    assert response.status_code == 400
    assert b"raised this matter yourself" in response.content
    assert not TopicSupport.objects.exists()


def test_get_is_not_allowed(resident_client: Client, topic: Topic) -> None:
    assert resident_client.get(url(topic)).status_code == 405


def test_a_topic_of_another_village_is_not_found(topic: Topic, outsider: Person) -> None:
    client = client_for(outsider)
    assert client.post(url(topic)).status_code == 404
    own = reverse("topic_support", args=[outsider.village.admin_code, topic.pk])
    assert client.post(own).status_code == 404
    assert not TopicSupport.objects.exists()


def test_township_staff_are_refused(village: Village, topic: Topic) -> None:
    staff = make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True, registered=False)
    assert client_for(staff).post(url(topic)).status_code == 403
    assert not TopicSupport.objects.exists()


def test_anonymous_is_sent_to_log_in(topic: Topic) -> None:
    response = Client().post(url(topic))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not TopicSupport.objects.exists()


def test_a_bad_id_is_not_found(village: Village, resident_client: Client) -> None:
    make_village()
    assert (
        resident_client.post(f"/v/{village.admin_code}/topics/99999999999999999999/support/").status_code
        == 404
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needed=st.integers(min_value=1, max_value=4), count=st.integers(min_value=0, max_value=5))
def test_the_matter_goes_on_the_agenda_exactly_when_support_reaches_the_number(
    db: None, django_settings: Settings, needed: int, count: int
) -> None:
    django_settings.VILLAGEGOV_TOPIC_SUPPORT_NEEDED = needed
    place = make_village()
    make_person(place, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    topic = raise_topic(make_person(place, with_account=True))
    session_ahead(topic.council, days=4)
    for person in supporters(place, count):
        try:
            support(person, topic)
        except ValidationError:
            assert count > needed  # answered once it went onto the agenda: no more support
    topic.refresh_from_db()
    assert (topic.state == TopicState.ON_AGENDA) == (count >= needed)
    assert AgendaItem.objects.filter(topic=topic).count() == (1 if count >= needed else 0)
    assert TopicSupport.objects.filter(topic=topic).count() == min(count, needed)
