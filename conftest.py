"""Fixtures shared by every app's tests. Builders live in villagegov.testing."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from pytest_django.fixtures import Settings

from villagegov.models import Person, Role, User, Village
from villagegov.testing import client_for, make_person, make_village


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Settings) -> Iterator[None]:
    """A fast password hasher, and no rate-limit counters carried from one test to the next."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def village(db: None) -> Village:
    return make_village(name="东坑村")


@pytest.fixture
def other_village(db: None) -> Village:
    return make_village(name="寮步村")


@pytest.fixture
def official(village: Village) -> Person:
    return make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)


@pytest.fixture
def resident(village: Village) -> Person:
    return make_person(village, name="李阿婆", with_account=True)


@pytest.fixture
def outsider(other_village: Village) -> Person:
    """An official of another village: must see nothing of `village`."""
    return make_person(other_village, name="王主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)


@pytest.fixture
def official_client(official: Person) -> Client:
    return client_for(official)


@pytest.fixture
def resident_client(resident: Person) -> Client:
    return client_for(resident)


@pytest.fixture
def outsider_client(outsider: Person) -> Client:
    return client_for(outsider)


@pytest.fixture
def english() -> Iterator[None]:
    """For tests that read wording: the English msgids, whatever the default catalogue holds.
    Use it with `pytestmark = pytest.mark.usefixtures("english")`."""
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        yield


@pytest.fixture
def actor(official: Person) -> User:
    """The official's account, the usual actor of a service call in tests."""
    assert official.user is not None
    return official.user
