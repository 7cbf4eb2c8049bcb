"""The committee's public answer: onto an agenda, handled directly (answer required) or declined
(reason required); once; the raiser told; and the answer form's POST."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from consultations.models import DiscussionItem, SessionState, Topic, TopicState
from consultations.services.topics import topic_answer
from villagegov import sms
from villagegov.formats import local_date
from villagegov.models import AuditRecord, Body, Notification, Person, User, Village
from villagegov.testing import client_for, council_of

from .topics_testing import raise_topic, session_ahead

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def topic(resident: Person, official: Person) -> Topic:
    topic = raise_topic(resident)
    Notification.objects.all().delete()
    return topic


def test_handled_directly_with_an_answer_tells_the_raiser(
    resident: Person, topic: Topic, actor: User
) -> None:
    topic_answer(actor=actor, topic=topic, outcome=TopicState.HANDLED, answer="路灯已修好")
    topic.refresh_from_db()
    assert topic.state == TopicState.HANDLED and topic.answer == "路灯已修好"
    assert topic.answered_by == actor and topic.answered_at is not None
    told = Notification.objects.get()
    assert told.person == resident and "路灯已修好" in told.message and "handled directly" in told.message
    assert AuditRecord.objects.filter(action="topic.answer").count() == 1


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (TopicState.HANDLED, "how the matter was handled"),
        (TopicState.DECLINED, "reason the matter is declined"),
    ],
)
def test_handled_and_declined_need_words(
    topic: Topic, actor: User, outcome: TopicState, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        topic_answer(actor=actor, topic=topic, outcome=outcome, answer="  ")
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED and not Notification.objects.exists()


def test_declined_with_a_reason(topic: Topic, actor: User) -> None:
    topic_answer(actor=actor, topic=topic, outcome=TopicState.DECLINED, answer="不属于村里管")
    topic.refresh_from_db()
    assert topic.state == TopicState.DECLINED and topic.answer == "不属于村里管"


def test_taken_onto_a_chosen_agenda(topic: Topic, actor: User) -> None:
    session = session_ahead(topic.council, days=20, state=SessionState.ANNOUNCED)
    topic_answer(
        actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=session, answer="请大家来讨论"
    )
    item = DiscussionItem.objects.get(topic=topic)
    assert item.session == session and item.position == 1 and item.created_by == actor
    topic.refresh_from_db()
    assert (
        topic.state == TopicState.ON_AGENDA
        and session.title in topic.answer
        and "请大家来讨论" in topic.answer
    )


def test_taken_onto_a_drafts_agenda_the_public_answer_and_sms_name_only_the_next_meeting(
    resident: Person, topic: Topic, actor: User
) -> None:
    session = session_ahead(topic.council, days=20, state=SessionState.DRAFT, title="草拟中的秘密会议")
    topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=session)
    assert DiscussionItem.objects.get(topic=topic).session == session
    topic.refresh_from_db()
    told = Notification.objects.get(person=resident)
    the_date = local_date(timezone.localdate(session.starts_at))
    for public in (topic.answer, told.message):
        assert f"the next meeting of the {topic.council.name}" in public
        assert session.title not in public and the_date not in public


def test_the_public_answer_and_the_sms_are_in_the_villages_language_not_the_officials(
    resident: Person,
    topic: Topic,
    actor: User,
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LANGUAGE_CODE = "zh-hans"  # the village's language; the official reads English
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    Person.objects.filter(pk=resident.pk).update(phone="+8613800138000")
    sms.outbox.clear()
    session = session_ahead(topic.council, days=20, state=SessionState.ANNOUNCED, title="秋季例会")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=session)
        assert translation.get_language() == "en"
    topic.refresh_from_db()
    assert topic.answer.startswith("这件事列入") and "秋季例会" in topic.answer
    told = Notification.objects.get(person=resident)
    assert told.message.startswith("村委会答复了您提的") and "This matter" not in told.message
    assert [(text.phone, text.message) for text in sms.outbox] == [("+8613800138000", told.message)]


def test_onto_an_agenda_needs_a_session_of_the_topics_council_not_yet_open(
    village: Village, topic: Topic, actor: User
) -> None:
    with pytest.raises(ValidationError, match="Choose the session"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA)
    other = session_ahead(council_of(village, Body.VILLAGERS_ASSEMBLY))
    with pytest.raises(ValidationError, match="only go onto an agenda of"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=other)
    under_way = session_ahead(topic.council, days=0, state=SessionState.OPEN)
    with pytest.raises(ValidationError, match="has not opened yet"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=under_way)
    past = session_ahead(topic.council, days=-5)
    with pytest.raises(ValidationError, match="still ahead"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=past)
    assert not DiscussionItem.objects.exists()
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED


def test_a_matter_is_answered_once(topic: Topic, actor: User) -> None:
    topic_answer(actor=actor, topic=topic, outcome=TopicState.HANDLED, answer="已处理")
    with pytest.raises(ValidationError, match="already been answered"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.DECLINED, answer="不行")
    topic.refresh_from_db()
    assert topic.state == TopicState.HANDLED


def test_only_the_committee_answers(topic: Topic, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        topic_answer(actor=resident.user, topic=topic, outcome=TopicState.HANDLED, answer="我自己修了")


def test_raised_is_not_an_answer(topic: Topic, actor: User) -> None:
    with pytest.raises(ValidationError, match="Choose how"):
        topic_answer(actor=actor, topic=topic, outcome=TopicState.RAISED, answer="x")


# The form.


def url(topic: Topic) -> str:
    return reverse("topic_answer", args=[topic.village.admin_code, topic.pk])


def test_the_form_publishes_the_answer(official_client: Client, topic: Topic) -> None:
    response = official_client.post(url(topic), {"outcome": "declined", "answer": "资金不够"})
    assert response.status_code == 302
    assert response["Location"] == reverse("topic_detail", args=[topic.village.admin_code, topic.pk])
    topic.refresh_from_db()
    assert topic.state == TopicState.DECLINED


def test_the_form_takes_a_matter_onto_an_agenda(official_client: Client, topic: Topic) -> None:
    session = session_ahead(topic.council, days=8)
    response = official_client.post(url(topic), {"outcome": "on_agenda", "session": session.pk})
    assert response.status_code == 302
    assert DiscussionItem.objects.get(topic=topic).session == session


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "declined", "answer": ""},
        {"outcome": "handled"},
        {"outcome": "on_agenda"},
        {"outcome": "on_agenda", "session": "99999999999999999999"},
        {"outcome": "raised", "answer": "x"},
        {"outcome": "handled", "answer": "x" * 3001},
    ],
)
def test_an_invalid_answer_is_shown_again_with_400_and_changes_nothing(
    official_client: Client, topic: Topic, data: dict[str, str]
) -> None:
    response = official_client.post(url(topic), data)
    assert response.status_code == 400
    assert response.context["answer_form"].errors
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED and not AuditRecord.objects.filter(action="topic.answer").exists()


def test_a_session_of_another_council_is_not_offered(
    village: Village, official_client: Client, topic: Topic
) -> None:
    other = session_ahead(council_of(village, Body.VILLAGERS_ASSEMBLY))
    response = official_client.post(url(topic), {"outcome": "on_agenda", "session": other.pk})
    assert response.status_code == 400
    assert not DiscussionItem.objects.exists()


def test_answering_an_answered_matter_again_is_refused_with_400(
    official_client: Client, topic: Topic, actor: User
) -> None:
    topic_answer(actor=actor, topic=topic, outcome=TopicState.HANDLED, answer="已处理")
    response = official_client.post(url(topic), {"outcome": "declined", "answer": "不行"})
    assert response.status_code == 400
    assert b"already been answered" in response.content


def test_a_resident_is_refused(resident_client: Client, topic: Topic) -> None:
    assert resident_client.post(url(topic), {"outcome": "declined", "answer": "x"}).status_code == 403
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED


def test_a_topic_of_another_village_is_not_found(topic: Topic, outsider: Person) -> None:
    client = client_for(outsider)
    data = {"outcome": "declined", "answer": "x"}
    assert client.post(url(topic), data).status_code == 404
    assert (
        client.post(reverse("topic_answer", args=[outsider.village.admin_code, topic.pk]), data).status_code
        == 404
    )
    topic.refresh_from_db()
    assert topic.state == TopicState.RAISED


def test_anonymous_is_sent_to_log_in(topic: Topic) -> None:
    response = Client().post(url(topic), {"outcome": "declined", "answer": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_get_is_not_allowed(official_client: Client, topic: Topic) -> None:
    assert official_client.get(url(topic)).status_code == 405
