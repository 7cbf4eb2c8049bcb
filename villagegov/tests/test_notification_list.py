"""The user's messages page: their own, across villages, newest first; opening it marks them read."""

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.models import Notification, Person, Village
from villagegov.testing import make_person

URL = reverse("notification_list")


def notify(person: Person, message: str) -> Notification:
    return Notification.objects.create(village=person.village, person=person, message=message, link="/")


def test_lists_the_user_s_messages_newest_first_and_marks_them_read(
    resident: Person, other_village: Village, resident_client: Client
) -> None:
    # The same account on a second village's roster: its messages show too.
    assert resident.user is not None
    elsewhere = make_person(other_village)
    elsewhere.user = resident.user
    elsewhere.save(update_fields=["user"])
    old = notify(resident, "older message")
    notify(elsewhere, "newer message from 寮步村")
    someone_else = notify(make_person(resident.village, with_account=True), "not yours")

    response = resident_client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("newer message") < content.index("older message")
    assert "not yours" not in content
    assert content.count("notification-unread") == 2
    assert not Notification.objects.filter(person__user=resident.user, read_at__isnull=True).exists()
    someone_else.refresh_from_db()
    assert someone_else.read_at is None

    again = resident_client.get(URL).content.decode()
    assert "notification-unread" not in again
    old.refresh_from_db()
    assert old.read_at is not None


def test_the_nav_shows_the_unread_count(village: Village, resident: Person, resident_client: Client) -> None:
    notify(resident, "a")
    notify(resident, "b")
    dashboard = resident_client.get(reverse("village_dashboard", args=[village.admin_code])).content.decode()
    assert URL in dashboard and ">2</span>" in dashboard
    resident_client.get(URL)
    dashboard = resident_client.get(reverse("village_dashboard", args=[village.admin_code])).content.decode()
    assert ">2</span>" not in dashboard


def test_empty(resident_client: Client) -> None:
    response = resident_client.get(URL, {"page": "abc"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_only_the_messages_shown_are_marked_read(
    village: Village, resident: Person, resident_client: Client
) -> None:
    for number in range(55):  # more than one page of 50
        Notification.objects.create(village=village, person=resident, message=f"消息{number}", link="/")
    resident_client.get(reverse("notification_list"))
    assert Notification.objects.filter(person=resident, read_at__isnull=True).count() == 5
