"""Shared steps of the account tests: claiming an invitation, signing up, reading the SMS code."""

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.test import Client, override_settings
from django.urls import reverse

from villagegov import sms
from villagegov.models import Invitation, Person, Role, User, Village
from villagegov.services.invitations import invitation_issue
from villagegov.testing import make_person

PASSWORD = "Lotus-pond-2024"


@pytest.fixture
def fresh_accounts(db: None) -> Iterator[None]:
    """SMS into the memory outbox, emptied; rate-limit counters (in the cache) reset."""
    with override_settings(VILLAGEGOV_SMS_BACKEND="memory"):
        sms.outbox.clear()
        cache.clear()
        yield


def issue_for(village: Village, *, name: str = "张小梅") -> Invitation:
    """A villager without an account, and an open invitation for her issued by an official."""
    official = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    person = make_person(village, name=name)
    assert official.user is not None
    return invitation_issue(actor=official.user, person=person)


def english_client() -> Client:
    """A browser asking for English, for tests that read the (English msgid) wording."""
    return Client(headers={"accept-language": "en"})


def enter_code(client: Client, code: str) -> None:
    response = client.post(reverse("invitation_claim"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("account_signup")


def sign_up(client: Client, *, phone: str = "138 0013 8000", username: str = "xiaomei") -> None:
    response = client.post(
        reverse("account_signup"),
        {"phone": phone, "username": username, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("account_verify_phone")


def last_sms_code() -> str:
    assert sms.outbox, "no SMS was sent"
    match = re.search(r"\b(\d{6})\b", sms.outbox[-1].message)
    assert match, sms.outbox[-1].message
    return match.group(1)


def user_with_phone(village: Village, phone: str, *, verified: bool = True) -> User:
    person: Person = make_person(village, with_account=True, birth_date=date(1980, 5, 1))
    assert person.user is not None
    person.user.phone = phone
    person.user.phone_verified = verified
    person.user.save(update_fields=["phone", "phone_verified"])
    return person.user


def record_locks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[type[Model], tuple[str, ...]]]:
    """The models whose rows are locked (select_for_update), in order, with their `of`; recorded
    on every database, SQLite included, where the lock itself is a no-op."""
    locked: list[tuple[type[Model], tuple[str, ...]]] = []
    select_for_update = QuerySet.select_for_update

    def recording(queryset: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked.append((queryset.model, tuple(kwargs.get("of", ()))))
        return select_for_update(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    return locked
