"""Raising a matter (议题征集): the service's rules, photos checked and stored with their checksum,
the committee told, nothing stored when refused; and the page."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Topic, TopicPhoto, TopicState
from consultations.services import topics as services
from consultations.uploads import sniff_content_type
from consultations.views import topics as topic_views
from villagegov.models import AuditRecord, Body, Notification, Person, Role, Village
from villagegov.testing import client_for, council_of, make_person

from .topics_testing import (
    GPS_LATITUDE,
    HTML_BYTES,
    JPEG_BYTES,
    PLACE,
    PNG_BYTES,
    WEBP_BYTES,
    council_for_topics,
    jpeg_with_gps,
    media,  # noqa: F401  (fixture)
    photo,
    png_with_gps,
    raise_topic,
    stored_files,
    upload,
    webp_with_gps,
)

pytestmark = pytest.mark.usefixtures("english", "media")


def url(village: Village) -> str:
    return reverse("topic_create", args=[village.admin_code])


def test_a_resident_raises_a_matter_with_photos_stored_with_their_checksum(
    village: Village,
    resident: Person,
    official: Person,
) -> None:
    topic = raise_topic(resident, photos=[photo(PNG_BYTES), photo(JPEG_BYTES)])
    assert topic.state == TopicState.RAISED and topic.raised_by == resident and topic.village == village
    photos = list(topic.photos.order_by("id"))
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]
    for stored, content in zip(photos, (PNG_BYTES, JPEG_BYTES), strict=True):
        assert stored.image.name.startswith("topics/")
        assert stored.size == len(content)
        with stored.image.open("rb") as file:
            assert file.read() == content
        import hashlib

        assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert len(stored_files()) == 2
    assert AuditRecord.objects.filter(action="topic.create").count() == 1
    assert AuditRecord.objects.filter(action="topic_photo.create").count() == 2


def test_the_village_committee_is_told_a_matter_was_raised(
    village: Village, resident: Person, official: Person
) -> None:
    topic = raise_topic(resident)
    notification = Notification.objects.get()
    assert notification.person == official
    assert "raised a matter" in notification.message and resident.name in notification.message
    assert notification.link == reverse("topic_detail", args=[village.admin_code, topic.pk])


@pytest.mark.parametrize("body", [Body.VILLAGE_COMMITTEE, Body.SUPERVISION_COMMITTEE])
def test_a_matter_is_not_raised_to_a_body_that_holds_no_sessions(
    village: Village, resident: Person, body: Body
) -> None:
    with pytest.raises(ValidationError, match="body that holds meetings"):
        raise_topic(resident, council=council_of(village, body))
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [("  ", "路灯", "short title"), ("路灯", " ", "what the matter is"), ("x" * 201, "路灯", "too long")],
)
def test_title_and_matter_are_required_and_bounded(
    resident: Person, title: str, body: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        raise_topic(resident, title=title, body=body)
    assert not Topic.objects.exists()


def test_at_most_three_photos(
    resident: Person,
) -> None:
    with pytest.raises(ValidationError, match="At most 3 photos"):
        raise_topic(resident, photos=[photo()] * 4)
    assert not Topic.objects.exists() and stored_files() == []


def test_someone_of_another_village_cannot_raise_a_matter_here(village: Village, outsider: Person) -> None:
    assert outsider.user is not None
    with pytest.raises(ValidationError):
        services.topic_create(actor=outsider.user, council=council_for_topics(village), title="t", body="b")
    assert not Topic.objects.exists()


def test_township_staff_cannot_raise_a_matter(village: Village) -> None:
    staff = make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True, registered=False)
    with pytest.raises(ValidationError, match="cannot raise matters"):
        raise_topic(staff)


def test_a_failure_after_the_files_are_stored_leaves_no_orphan_file(
    resident: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the notification table is gone")

    monkeypatch.setattr(services, "notification_send", broken)
    with pytest.raises(RuntimeError):
        raise_topic(resident, photos=[photo(), photo(WEBP_BYTES)])
    assert not Topic.objects.exists() and not TopicPhoto.objects.exists()
    assert stored_files() == []


# The page.


def test_the_form_lists_only_bodies_that_hold_sessions(village: Village, resident_client: Client) -> None:
    council_for_topics(village)
    council_of(village, Body.SUPERVISION_COMMITTEE)
    response = resident_client.get(url(village))
    assert response.status_code == 200
    choices = [label for _, label in response.context["form"].fields["council"].choices]
    assert any("代表" in str(c) or "representatives" in str(c) for c in choices)
    assert not any("监督" in str(c) for c in choices)
    assert b'enctype="multipart/form-data"' in response.content


def test_posting_the_form_raises_the_matter(
    village: Village,
    resident: Person,
    resident_client: Client,
) -> None:
    council = council_for_topics(village)
    response = resident_client.post(
        url(village),
        {
            "council": council.pk,
            "title": "修水渠",
            "matter": "水渠堵了",
            "photos": [upload("a.jpg", JPEG_BYTES), upload("b.png")],
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("topic_detail", args=[village.admin_code, topic.pk])
    assert topic.body == "水渠堵了" and topic.photos.count() == 2
    assert len(stored_files()) == 2
    assert sniff_content_type(stored_files()[0].read_bytes()[:16]) is not None


@pytest.mark.parametrize(
    "photos",
    [
        [upload("page.png", HTML_BYTES, "image/png")],
        [upload("big.png", PNG_BYTES + b"\x00" * (5 * 1024 * 1024), "image/png")],
        [upload(f"p{i}.png") for i in range(4)],
    ],
    ids=["html-named-png", "over-5-mb", "four-photos"],
)
def test_a_bad_upload_gives_a_clear_message_and_stores_nothing(
    village: Village,
    resident_client: Client,
    photos: list[object],
) -> None:
    council = council_for_topics(village)
    response = resident_client.post(
        url(village), {"council": council.pk, "title": "修水渠", "matter": "水渠堵了", "photos": photos}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["photos"]
    assert not Topic.objects.exists() and stored_files() == []
    assert not AuditRecord.objects.exists()


def test_an_invalid_form_is_shown_again_with_400(village: Village, resident_client: Client) -> None:
    council = council_of(village, Body.VILLAGE_COMMITTEE)
    response = resident_client.post(url(village), {"council": council.pk, "title": "", "matter": ""})
    assert response.status_code == 400
    assert {"council", "title", "matter"} <= set(response.context["form"].errors)
    assert not Topic.objects.exists()


def test_the_page_of_another_village_is_not_found(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    assert outsider_client.post(url(village), {"title": "x"}).status_code == 404


def test_township_staff_are_refused_the_page(village: Village) -> None:
    staff = make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True, registered=False)
    assert client_for(staff).get(url(village)).status_code == 403


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_photos_are_stored_without_their_gps_position(village: Village, resident_client: Client) -> None:
    council = council_for_topics(village)
    sent = [
        upload("a.jpg", jpeg_with_gps()),
        upload("b.png", png_with_gps()),
        upload("c.webp", webp_with_gps()),
    ]
    response = resident_client.post(
        url(village), {"council": council.pk, "title": "修水渠", "matter": "水渠堵了", "photos": sent}
    )
    assert response.status_code == 302
    photos = list(TopicPhoto.objects.order_by("id"))
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png", "image/webp"]
    for stored in photos:
        content = stored.image.read()
        stored.image.close()
        assert PLACE not in content and GPS_LATITUDE not in content and b"PhoneCam" not in content
        assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)


def test_an_upload_past_the_total_limit_is_stopped_with_a_clear_message(
    village: Village, resident_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topic_views, "TOPIC_UPLOAD_MAX_BYTES", 5000)
    council = council_for_topics(village)
    big = upload("big.png", PNG_BYTES + b"\x00" * 6000)
    response = resident_client.post(
        url(village), {"council": council.pk, "title": "修水渠", "matter": "水渠堵了", "photos": [big]}
    )
    assert response.status_code == 400
    assert "too big together" in response.content.decode()
    assert not Topic.objects.exists() and stored_files() == [] and not AuditRecord.objects.exists()


def test_the_upload_limit_still_checks_the_csrf_token(village: Village, resident: Person) -> None:
    client = client_for(resident)
    client.handler.enforce_csrf_checks = True
    council = council_for_topics(village)
    response = client.post(url(village), {"council": council.pk, "title": "修水渠", "matter": "水渠堵了"})
    assert response.status_code == 403 and not Topic.objects.exists()
