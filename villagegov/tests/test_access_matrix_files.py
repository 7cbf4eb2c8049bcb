"""Exports, stored files and printouts: only those the matrix allows get a byte of them; and
drafts (unpublished plans, unsigned minutes, draft sessions and vouchers) stay with those who
may see drafts."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Minutes, Session, SessionState
from villagegov.access_matrix import ACCESS, SHOWN_TO_SOME, is_file_url
from villagegov.permissions import EVERY_ROLE, ROLES_ALLOWED, Action
from villagegov.testing import client_for

from .test_permission_walker import (  # noqa: F401  (fixtures)
    VILLAGE_URLS,
    Holders,
    Page,
    World,
    holders,
    url_of,
    world,
)

FILE_URLS = [page for page in VILLAGE_URLS if is_file_url(page.name)]

# What each file, export or printout of the world's village holds that nobody without the right
# may get: the stored bytes, or a name that is in the export's rows.
CONTENTS: dict[str, bytes] = {
    "invitation_print": b"TESTC2DE",
    "minutes_print": "保密会议".encode(),
    "topic_photo": b"\x89PNG\r\n\x1a\n",
    "evidence_file": b"%PDF-1.4 secret",
    # The walker's membership has no share history, so the register on a day is its header alone.
    "member_export": "成员编号".encode(),
    "asset_export": "保密资产".encode(),
    "asset_document_file": b"%PDF-1.4 secret",
    "ledger_export": "保密凭证".encode(),
    "distribution_export": "保密村民".encode(),
}


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def file_url(page: Page, kwargs: dict[str, Any]) -> str:
    url = reverse(page.name, kwargs={name: kwargs[name] for name in page.params})
    # Exports as CSV, so that the names in their rows can be looked for (XLSX is zipped).
    return f"{url}?format=csv" if "export" in page.name else url


def test_every_file_url_says_what_it_holds() -> None:
    assert {page.name for page in FILE_URLS} == set(CONTENTS)


@pytest.mark.parametrize("pattern", FILE_URLS, ids=lambda p: p.name)
def test_a_file_reaches_only_the_roles_allowed(world: World, holders: Holders, pattern: Page) -> None:  # noqa: F811
    action = ACCESS[pattern.name]
    assert isinstance(action, Action)
    url, secret = file_url(pattern, world.kwargs), CONTENTS[pattern.name]
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and secret not in body(anonymous)
    for role, person in holders.here.items():
        response = client_for(person).get(url)
        if role not in ROLES_ALLOWED[action]:
            assert response.status_code == 403, (role, url, response.status_code)
            assert secret not in body(response), role
        elif role not in SHOWN_TO_SOME.get(pattern.name, EVERY_ROLE):
            # The walker's distribution plan is a draft: only those who see the books get it.
            assert response.status_code == 404 and secret not in body(response), role
        else:
            assert response.status_code == 200, (role, url, response.status_code)
            assert secret in body(response), role  # the file is really there to be refused
    under_own_code = file_url(pattern, world.kwargs | {"village_code": world.outsider.village.admin_code})
    has_objects = bool(pattern.params - {"village_code"})
    for role, person in holders.elsewhere.items():
        client = client_for(person)
        response = client.get(url)
        assert response.status_code == 404 and secret not in body(response), (role, url)
        response = client.get(under_own_code)
        # Their own village's export is theirs to have; this village's objects are not found.
        assert response.status_code in ((403, 404) if has_objects else (200, 403)), (role, under_own_code)
        # (An empty register's header is the same in every village.)
        if has_objects or pattern.name != "member_export":
            assert secret not in body(response), (role, under_own_code)


def test_drafts_stay_with_those_who_may_see_them(world: World, holders: Holders) -> None:  # noqa: F811
    """Unsigned minutes, a draft session, a draft voucher and an unpublished distribution plan:
    every role of the village without the right to see drafts gets none of them, on any page."""
    session = Session.objects.get(pk=world.kwargs["session_id"])
    assert world.official.user is not None
    Minutes.objects.create(session=session, notes="保密纪要")
    draft = Session.objects.create(
        council=session.council,
        title="保密草稿会议",
        chair=world.official,
        place="村委会会议室",
        starts_at=timezone.now() + timedelta(days=30),
        state=SessionState.DRAFT,
        join_code="walker-draft-code",
        created_by=world.official.user,
    )
    code, plan, voucher = world.village.admin_code, world.kwargs["plan_id"], world.kwargs["voucher_id"]
    drafts: list[tuple[Action, str, str]] = [
        (Action.KEEP_MINUTES, reverse("minutes_detail", args=[code, session.pk]), "保密纪要"),
        (Action.KEEP_MINUTES, reverse("minutes_print", args=[code, session.pk]), "保密纪要"),
        (Action.MANAGE_SESSIONS, reverse("session_list", args=[code]), "保密草稿会议"),
        (Action.MANAGE_SESSIONS, reverse("session_detail", args=[code, draft.pk]), "保密草稿会议"),
        (Action.MANAGE_SESSIONS, reverse("minutes_detail", args=[code, draft.pk]), "保密草稿会议"),
        (Action.VIEW_FINANCES, reverse("distribution_list", args=[code]), "保密方案"),
        (
            Action.VIEW_FINANCES,
            reverse("distribution_detail", args=[code, plan]),
            "保密方案",
        ),
        (Action.VIEW_FINANCES, reverse("voucher_list", args=[code]), "保密凭证"),
        (
            Action.VIEW_FINANCES,
            reverse("voucher_detail", args=[code, voucher]),
            "保密凭证",
        ),
    ]
    for role, person in holders.here.items():
        client = client_for(person)
        for action, url, marker in drafts:
            response = client.get(url)
            shown = marker.encode() in body(response)
            assert shown == (role in ROLES_ALLOWED[action]), (role, url, response.status_code, shown)
