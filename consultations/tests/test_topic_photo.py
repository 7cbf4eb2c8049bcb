"""A topic's photo is served only through its page's village, with its type, nosniff and an
inline, safe file name; never to another village, never for a missing file."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Topic, TopicPhoto
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person

from .topics_testing import (
    JPEG_BYTES,
    PNG_BYTES,
    media,  # noqa: F401  (fixture)
    photo,
    raise_topic,
    stored_files,
)

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def topic(resident: Person) -> Topic:
    return raise_topic(resident, photos=[photo(PNG_BYTES), photo(JPEG_BYTES)])


def url(topic: Topic, photo: TopicPhoto, village: Village | None = None) -> str:
    code = (village or topic.village).admin_code
    return reverse("topic_photo", args=[code, topic.pk, photo.pk])


def test_the_photo_is_served_to_the_village_with_its_type_and_nosniff(village: Village, topic: Topic) -> None:
    neighbour = make_person(village, with_account=True)
    _, second = topic.photos.order_by("id")
    response = client_for(neighbour).get(url(topic, second))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG_BYTES  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="topic-{topic.pk}-photo-{second.pk}.jpg"'
    assert "private" in response["Cache-Control"]


def test_township_staff_of_the_village_may_look(village: Village, topic: Topic) -> None:
    staff = make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True, registered=False)
    assert client_for(staff).get(url(topic, topic.photos.first())).status_code == 200  # type: ignore[arg-type]


def test_another_village_sees_nothing(topic: Topic, outsider: Person) -> None:
    client = client_for(outsider)
    photo_ = topic.photos.first()
    assert photo_ is not None
    assert client.get(url(topic, photo_)).status_code == 404
    assert client.get(url(topic, photo_, outsider.village)).status_code == 404


def test_a_photo_of_another_topic_is_not_found_under_this_one(
    resident: Person, resident_client: Client, topic: Topic
) -> None:
    other = raise_topic(resident, photos=[photo()])
    foreign = other.photos.get()
    assert resident_client.get(url(topic, foreign)).status_code == 404


def test_a_missing_file_is_not_found_not_an_error(
    resident_client: Client,
    topic: Topic,
) -> None:
    for path in stored_files():
        path.unlink()
    photo_ = topic.photos.first()
    assert photo_ is not None
    assert resident_client.get(url(topic, photo_)).status_code == 404


def test_the_files_are_not_under_a_public_url(topic: Topic) -> None:
    photo_ = topic.photos.first()
    assert photo_ is not None
    assert Client().get("/media/" + photo_.image.name).status_code == 404


def test_post_is_not_allowed(resident_client: Client, topic: Topic) -> None:
    photo_ = topic.photos.first()
    assert photo_ is not None
    assert resident_client.post(url(topic, photo_)).status_code == 405


def test_anonymous_is_sent_to_log_in(topic: Topic) -> None:
    photo_ = topic.photos.first()
    assert photo_ is not None
    response = Client().get(url(topic, photo_))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
