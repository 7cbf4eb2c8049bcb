"""A matter's page: the matter, its photos, support and the button (or why not), the answer with
who and when, and the link to the agenda item."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from consultations.models import SessionState, Topic, TopicState
from consultations.services.topics import topic_answer
from villagegov.models import Person, Role, User, Village
from villagegov.testing import client_for, make_person

from .topics_testing import (
    media,  # noqa: F401  (fixture)
    photo,
    raise_topic,
    session_ahead,
    supporters,
)

pytestmark = pytest.mark.usefixtures("english", "media")


def url(topic: Topic) -> str:
    return reverse("topic_detail", args=[topic.village.admin_code, topic.pk])


def test_the_page_shows_the_matter_photos_and_the_support_button(village: Village, resident: Person) -> None:
    topic = raise_topic(resident, body="水渠堵了，田里进不了水。", photos=[photo()])
    [neighbour] = supporters(village, 1)
    response = client_for(neighbour).get(url(topic))
    assert response.status_code == 200
    text = response.content.decode()
    assert "水渠堵了" in text and resident.name in text
    photo_url = reverse("topic_photo", args=[village.admin_code, topic.pk, topic.photos.get().pk])
    assert f'src="{photo_url}"' in text
    assert "I support this matter" in text
    assert reverse("topic_support", args=[village.admin_code, topic.pk]) in text


def test_the_raiser_sees_why_they_cannot_support(resident: Person, resident_client: Client) -> None:
    topic = raise_topic(resident)
    text = resident_client.get(url(topic)).content.decode()
    assert "I support this matter" not in text and "raised this matter yourself" in text


def test_the_answer_form_is_for_the_committee_only(
    resident: Person, resident_client: Client, official_client: Client
) -> None:
    topic = raise_topic(resident)
    assert resident_client.get(url(topic)).context["answer_form"] is None
    response = official_client.get(url(topic))
    assert response.context["answer_form"] is not None
    assert reverse("topic_answer", args=[topic.village.admin_code, topic.pk]) in response.content.decode()


def test_the_answer_with_who_and_when_and_the_agenda_link(
    village: Village, resident: Person, resident_client: Client, actor: User, official_client: Client
) -> None:
    topic = raise_topic(resident)
    session = session_ahead(topic.council, days=6, state=SessionState.DRAFT, title="秋季代表会议")
    topic_answer(actor=actor, topic=topic, outcome=TopicState.ON_AGENDA, session=session)
    item_url_part = f"/sessions/{session.pk}/agenda/"
    resident_text = resident_client.get(url(topic)).content.decode()
    official_name = Person.objects.get(village=village, user=actor).name
    assert f"Answered by {official_name} on" in resident_text
    # A draft session is not shown to residents: no link, no title, no date; only the body's next meeting.
    assert item_url_part not in resident_text and "still being prepared" in resident_text
    assert "秋季代表会议" not in resident_text
    assert escape(f"On the agenda of the next meeting of the {topic.council.name}") in resident_text
    official_text = official_client.get(url(topic)).content.decode()
    assert item_url_part in official_text


def test_the_answerer_is_named_from_the_roster_never_by_their_username(
    village: Village, resident: Person, resident_client: Client
) -> None:
    answerer = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    assert answerer.user is not None
    User.objects.filter(pk=answerer.user.pk).update(username="+8613900000001", first_name="", last_name="")
    topic = raise_topic(resident)
    topic_answer(actor=answerer.user, topic=topic, outcome=TopicState.HANDLED, answer="已处理")
    text = resident_client.get(url(topic)).content.decode()
    assert f"Answered by {answerer.name} on" in text and "+8613900000001" not in text
    Person.objects.filter(pk=answerer.pk).update(user=None)  # no longer on this village's roster
    text = resident_client.get(url(topic)).content.decode()
    assert "Answered by the village committee on" in text and "+8613900000001" not in text


def test_another_villages_topic_is_not_found(resident: Person, outsider: Person) -> None:
    topic = raise_topic(resident)
    client = client_for(outsider)
    assert client.get(url(topic)).status_code == 404
    assert (
        client.get(reverse("topic_detail", args=[outsider.village.admin_code, topic.pk])).status_code == 404
    )


def test_a_huge_id_is_not_found(village: Village, resident_client: Client) -> None:
    assert resident_client.get(f"/v/{village.admin_code}/topics/99999999999999999999/").status_code == 404


def test_anonymous_is_sent_to_log_in(resident: Person) -> None:
    topic = raise_topic(resident)
    response = Client().get(url(topic))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
