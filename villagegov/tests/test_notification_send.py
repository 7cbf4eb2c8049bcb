"""notification_send: in the app for everyone, by SMS to those with a phone, only after commit."""

from typing import Any

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from villagegov import sms
from villagegov.models import Notification, Person, Village
from villagegov.services.notifications import notification_send
from villagegov.testing import make_person


@pytest.fixture(autouse=True)
def sms_in_memory(settings: Settings) -> None:
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    sms.outbox.clear()


def with_phone(person: Person, phone: str) -> Person:
    person.phone = phone
    person.save(update_fields=["phone"])
    return person


def test_notifies_in_the_app_and_texts_after_commit(
    village: Village, django_capture_on_commit_callbacks: Any
) -> None:
    texted = with_phone(make_person(village), "+8613800138004")
    silent = make_person(village)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = notification_send(
            village=village,
            people=Person.objects.filter(pk__in=[texted.pk, silent.pk]),
            message="村民会议通知",
            link="/v/x/sessions/1/",
        )
    assert sent == 2
    assert set(Notification.objects.values_list("person_id", "message", "link", "read_at")) == {
        (texted.pk, "村民会议通知", "/v/x/sessions/1/", None),
        (silent.pk, "村民会议通知", "/v/x/sessions/1/", None),
    }
    assert sms.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [(m.phone, m.message) for m in sms.outbox] == [("+8613800138004", "村民会议通知")]


def test_nothing_is_texted_when_the_transaction_rolls_back(
    village: Village, django_capture_on_commit_callbacks: Any
) -> None:
    person = with_phone(make_person(village), "+8613800138005")
    people = Person.objects.filter(pk=person.pk)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notification_send(village=village, people=people, message="m", link="")
        raise RuntimeError
    assert callbacks == [] and sms.outbox == []
    assert not Notification.objects.exists()


def test_only_people_of_the_village(village: Village, other_village: Village) -> None:
    own = make_person(village)
    stranger = make_person(other_village)
    sent = notification_send(
        village=village, people=Person.objects.filter(pk__in=[own.pk, stranger.pk]), message="m", link=""
    )
    assert sent == 1
    assert list(Notification.objects.values_list("person_id", flat=True)) == [own.pk]


def test_one_failing_text_does_not_stop_the_others(
    village: Village,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = with_phone(make_person(village), "+8613800138006")
    second = with_phone(make_person(village), "+8613800138007")
    delivered: list[str] = []

    def flaky(message: sms.SmsMessage) -> None:
        if message.phone == first.phone:
            raise ConnectionError("gateway down")
        delivered.append(message.phone)

    monkeypatch.setitem(sms.BACKENDS, "flaky", flaky)
    settings.VILLAGEGOV_SMS_BACKEND = "flaky"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            village=village, people=Person.objects.filter(village=village), message="m", link=""
        )
    assert delivered == [second.phone]


def test_a_message_longer_than_the_column_is_shortened(village: Village) -> None:
    """A long council name, title and place must not make announcing fail (PostgreSQL enforces the length)."""
    person = make_person(village)
    notification_send(
        village=village, people=Person.objects.filter(pk=person.pk), message="长" * 900, link="/"
    )
    stored = Notification.objects.get(person=person).message
    assert len(stored) <= 500 and not stored.endswith("长")  # cut, with the ellipsis of the language
