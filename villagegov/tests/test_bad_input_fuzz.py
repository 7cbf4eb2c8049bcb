"""Hostile input to every page: random form fields and query strings never give a 500, and a
refused request changes nothing.

Two kinds of entry point, each fuzzed with the "hostile-input" hypothesis profile (200 examples on
SQLite): every page whose view reads a posted form gets hostile posts, and every page whose view
reads its query string gets hostile query strings (found from the views' source). Field names are
the union of every form field of the app, filled with text, numbers, dates, ids of other villages
and garbage. A post that is not a redirect after success (302) must leave the row count of every
table as it was, and a 400 must say why in Chinese (the default language). A GET never changes
anything, whatever its query string. The POST-only buttons, which read nothing of the body, get
one hostile post each.
"""

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from villagegov.access_matrix import ACCESS, Page
from villagegov.models import Role
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.testing import client_for

from .hostile_testing import (
    explained_in_chinese,
    hostile_settings,
    hostile_text,
    refusal_text,
    table_fingerprint,
)
from .test_permission_walker import VILLAGE_URLS, World, state, url_of, world  # noqa: F401  (fixture)

FIELD_NAMES = [
    "title",
    "place",
    "starts_at",
    "chair",
    "council",
    "short_notice_acknowledged",
    "name",
    "gender",
    "birth_date",
    "phone",
    "household",
    "group",
    "number",
    "address",
    "head",
    "is_registered_resident",
    "joined_on",
    "left_on",
    "reason",
    "role",
    "starts_on",
    "ends_on",
    "note",
    "relation",
    "relative",
    "person",
    "position",
    "body",
    "attendees",
    "households_represented",
    "yes_votes",
    "q",
    "query",
    "page",
    "code",
    "matter",
    "kind",
    "description",
    "text",
    "office",
    "seats",
    "direction",
    "candidate",
    "notes",
    "step",
    "held_on",
    "participants",
    "document",
    "poll",
    "photos",
    "outcome",
    "session",
    "answer",
    "question",
    "method",
    "secret",
    "allow_change",
    "choices",
    "client_id",
    "for_person",
    "tellers",
    "votes_cast",
    "option_1",
    "grantor",
    "holder",
    "granted_on",
    "revoked_on",
    "1-title",
    "1-text",
    "official",
    "due_on",
    "section",
    "content",
    "period_start",
    "period_end",
    "corrects",
    "objection",
    "required_action",
    "responsible",
    "deadline",
    "evidence",
    "resolution",
    "finance_knowledge",
    "summary",
    "subject",
    "voucher_number",
    "voucher_date",
    "amount",
    "payee",
    "project_name",
    "stage",
    "budget",
    "policy_name",
    "beneficiaries",
    "complainant",
    "complaint",
    "received_on",
    "evidence_files",
    "decision",
    "source",
    "year",
    "competent",
    "basically_competent",
    "incompetent",
    "finances",
    "shares",
    "join_reason",
    "effective_on",
    "reserve_rate",
    "vouchers_need_review",
    "file",
    "state",
    "format",
    "day",
    "category",
    "status",
    "location",
    "acquired_on",
    "acquisition_value",
    "area_mu",
    "land_use",
    "floor_area_m2",
    "model_name",
    "quantity",
    "investee",
    "stake_percent",
    "bank",
    "purpose",
    "valued_on",
    "value",
    "basis",
    "asset",
    "counterparty",
    "counterparty_phone",
    "period",
    "first_due_on",
    "publish",
    "reference",
    "terminated_on",
    "date",
    "attachments",
    "rows",
    "account_1",
    "summary_1",
    "debit_1",
    "credit_1",
    "account_2",
    "summary_2",
    "debit_2",
    "credit_2",
    "parent",
    "code_suffix",
    "name_en",
    "month",
    "account",
    "search",
    "start",
    "end",
    "lines",
    "what",
    "template",
    "record_date",
    "losses_made_up",
    "paid_on",
    "all",
    "plan_year",
    "view",
]

# Ids of rows that exist (in this village, in another, of another kind): a form that trusts an id
# it was sent, instead of looking it up in the page's village, would take one of these.
ids = st.integers(min_value=1, max_value=60).map(str)
hostile_values = st.one_of(hostile_text, ids, st.lists(ids, max_size=3).map(",".join))
# A browser always sends the CSRF field with a form (the test client does not check it).
hostile_forms = st.dictionaries(st.sampled_from(FIELD_NAMES), hostile_values, max_size=8).map(
    lambda data: {"csrfmiddlewaretoken": "x", **data}
)


def _views(
    patterns: list[Any], found: dict[str, Callable[..., HttpResponse]]
) -> dict[str, Callable[..., HttpResponse]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _views(entry.url_patterns, found)
        elif entry.name:
            found[entry.name] = entry.callback
    return found


VIEWS = _views(get_resolver().url_patterns, {})


def _source(page: Page) -> str:
    return inspect.getsource(inspect.unwrap(VIEWS[page.name]))


def _reads_the_form(page: Page) -> bool:
    source = _source(page)
    return "request.POST" in source or "request.FILES" in source


def _takes_posts(page: Page) -> bool:
    source = _source(page)
    return _reads_the_form(page) or "request.method" in source or "@require_POST" in source


POST_PAGES = [page for page in VILLAGE_URLS if _takes_posts(page)]
# Forms: what is posted is read, so it is fuzzed. The other POST pages are buttons (open the
# session, support the matter…) whose view reads nothing of the body: one hostile post each.
FORM_PAGES = [page for page in POST_PAGES if _reads_the_form(page)]
BUTTON_PAGES = [page for page in POST_PAGES if not _reads_the_form(page)]
QUERY_PAGES = [page for page in VILLAGE_URLS if "request.GET" in _source(page)]


def _holder_client(world: World, page: Page) -> Client:  # noqa: F811
    """Someone who holds the page's action, so that its form is really reached."""
    action = ACCESS[page.name]
    assert isinstance(action, Action)
    holder = world.official if Role.COMMITTEE_MEMBER in ROLES_ALLOWED[action] else world.supervisor
    return client_for(holder)


def _refused_with_a_message(response: Any) -> bool:
    """A redirect that carries an error or a warning: the action was refused."""
    return any(message.level >= message_levels.WARNING for message in get_messages(response.wsgi_request))


def _without_nul(data: dict[str, str]) -> dict[str, str]:
    # The test client cannot put a NUL in a URL; the posts keep them.
    return {key: value.replace("\x00", "") for key, value in data.items()}


def test_the_classification_finds_the_known_forms_buttons_and_lists() -> None:
    """The classification by source text finds the forms and the filtered lists (a change to how
    views read requests must not silently drop pages from the fuzzing)."""
    assert {"person_create", "evidence_upload", "member_import", "poll_vote"} <= {
        page.name for page in FORM_PAGES
    }
    assert {"topic_support", "session_open"} <= {page.name for page in BUTTON_PAGES}
    assert {"asset_list", "voucher_list", "member_list", "topic_list"} <= {page.name for page in QUERY_PAGES}


def _post_hostile(client: Client, page: Page, url: str, data: dict[str, str]) -> bool:
    """Post `data`; whether the page took it. Anything refused must have changed no table, and
    say why in Chinese, also where the page does not (or no longer) offer the form."""
    before = table_fingerprint()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    assert response.status_code != 405, f"{page.name} takes no posts: its view was misclassified"
    if response.status_code == 302 and not _refused_with_a_message(response):
        return True
    assert table_fingerprint() == before, ("a refused post wrote something", url, data)
    if response.status_code == 400:
        html = response.content.decode()
        assert explained_in_chinese(html), (
            "a refusal without a reason in Chinese",
            url,
            data,
            refusal_text(html),
        )
    return False


@pytest.mark.parametrize("page", FORM_PAGES, ids=lambda p: p.name)
def test_hostile_posts_never_error_and_refusals_change_nothing(world: World, page: Page) -> None:  # noqa: F811
    client = _holder_client(world, page)
    url = url_of(page, world)
    before_run = state(world)
    accepted: list[dict[str, str]] = []

    @hostile_settings()
    @given(data=hostile_forms)
    def post(data: dict[str, str]) -> None:
        # Once a post was taken, the object may have moved on (a hidden comment, an answered
        # finding): the refusals that follow must still say why.
        if _post_hostile(client, page, url, data):
            accepted.append(data)

    post()
    if not accepted:
        # No example was taken: nothing at all may have changed, not even a value in a row.
        assert state(world) == before_run


def test_a_hostile_post_to_a_button_never_errors(world: World) -> None:  # noqa: F811
    """Buttons read nothing of the body: one hostile post each (one world for all, as a button
    taken changes only its own object), never a 500, nothing changed when refused."""
    data = {"csrfmiddlewaretoken": "x"} | {name: "<script>alert(1)</script>" for name in FIELD_NAMES[:20]}
    for page in BUTTON_PAGES:
        before = state(world)
        if not _post_hostile(_holder_client(world, page), page, url_of(page, world), data):
            assert state(world) == before, page.name


def test_a_well_formed_but_invalid_post_is_explained_in_chinese(world: World) -> None:  # noqa: F811
    """A post to each form with none of its fields (the form bound, every required field
    missing): refused with the reason in the default language, and nothing changed. One world for
    all: what is refused changes nothing."""
    unexplained = []
    for page in FORM_PAGES:
        client = _holder_client(world, page)
        before = table_fingerprint()
        response = client.post(url_of(page, world), {"csrfmiddlewaretoken": "x", "unknown_field": "1"})
        assert response.status_code in (400, 404), (page.name, response.status_code)
        assert table_fingerprint() == before, page.name
        if response.status_code == 400 and not explained_in_chinese(response.content.decode()):
            unexplained.append(page.name)
    assert unexplained == []


@pytest.mark.parametrize("page", QUERY_PAGES, ids=lambda p: p.name)
def test_hostile_query_strings_never_error_nor_change_anything(world: World, page: Page) -> None:  # noqa: F811
    client = _holder_client(world, page)
    url = url_of(page, world)
    before_run = state(world)
    before = table_fingerprint()

    @hostile_settings()
    @given(data=hostile_forms)
    def get(data: dict[str, str]) -> None:
        response = client.get(url, _without_nul(data))
        assert response.status_code < 500, (url, data, response.status_code)
        assert table_fingerprint() == before, ("a GET wrote something", url, data)

    get()
    assert state(world) == before_run
