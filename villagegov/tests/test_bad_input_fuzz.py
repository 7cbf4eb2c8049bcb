"""Hostile input to every page: random form fields and query strings never give a 500.

Field names are the union of every form field of the app, filled with text, numbers, dates,
ids of other villages and garbage. Refused input must leave no audit record behind unless the
page accepted it (a 302 after a successful write).
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from villagegov.models import AuditRecord, Role
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.testing import client_for

from .test_permission_walker import ACCESS, VILLAGE_URLS, World, url_of, world  # noqa: F401  (fixture)

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
    "body",
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
]

hostile_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["", "0", "-1", "1e309", "NaN", "2024-02-30", "<script>alert(1)</script>", "'; --", "\x00"]
    ),
)
hostile_forms = st.dictionaries(st.sampled_from(FIELD_NAMES), hostile_values, max_size=8)


@pytest.mark.parametrize("pattern", VILLAGE_URLS, ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile_forms)
def test_hostile_input_never_errors(world: World, pattern, data: dict[str, str]) -> None:  # noqa: F811
    # Post as someone who holds the page's action, so that its form is really reached.
    action = ACCESS[pattern.name]
    assert isinstance(action, Action)
    holder = world.official if Role.COMMITTEE_MEMBER in ROLES_ALLOWED[action] else world.supervisor
    client: Client = client_for(holder)
    url = url_of(pattern, world)
    clean = {key: value.replace("\x00", "") for key, value in data.items()}
    assert client.get(url, clean).status_code < 500
    records = AuditRecord.objects.count()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    if response.status_code != 302:
        assert AuditRecord.objects.count() == records, "a refused request wrote something"
