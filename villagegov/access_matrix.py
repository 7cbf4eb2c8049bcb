"""Who may use each page, each socket and each export: the classification of every URL and
the access matrix that docs/security.md shows, generated from the permission rules.

Every named URL of the app must be classified in ACCESS (villagegov/tests/test_permission_walker.py
fails otherwise), so nobody adds a page without deciding who may see it. The walker then proves
the table against the running views; `python manage.py access_matrix --write` regenerates the
table in docs/security.md, and a test fails when the two differ.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.utils import translation

from supervision.selectors.questions import SEES_ALL_QUESTIONS
from villagegov.models import Role
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.routing import websocket_urlpatterns

PUBLIC = "public"
LOGGED_IN = "logged in"  # any account; the page shows only the user's own things

# Who may use each page: an Action of the permissions module, PUBLIC or LOGGED_IN.
ACCESS: dict[str, Action | str] = {
    "home": PUBLIC,
    "invitation_claim": PUBLIC,
    "invitation_claim_code": PUBLIC,
    "village_dashboard": Action.VIEW_VILLAGE,
    "person_list": Action.VIEW_ROSTER,
    "person_detail": Action.VIEW_ROSTER,
    "person_create": Action.MANAGE_ROSTER,
    "person_update": Action.MANAGE_ROSTER,
    "person_leave": Action.MANAGE_ROSTER,
    "role_assign": Action.MANAGE_ROSTER,
    "role_end": Action.MANAGE_ROSTER,
    "kinship_declare": Action.MANAGE_ROSTER,
    "invitation_issue": Action.ISSUE_INVITATION,
    "invitation_print": Action.ISSUE_INVITATION,
    "invitation_revoke": Action.ISSUE_INVITATION,
    "group_list": Action.VIEW_ROSTER,
    "household_list": Action.VIEW_ROSTER,
    "household_create": Action.MANAGE_ROSTER,
    "household_detail": Action.VIEW_ROSTER,
    "household_set_head": Action.MANAGE_ROSTER,
    "council_list": Action.VIEW_VILLAGE,
    "council_create": Action.MANAGE_COUNCILS,
    "council_detail": Action.VIEW_VILLAGE,
    "council_seat_add": Action.MANAGE_COUNCILS,
    "council_seat_end": Action.MANAGE_COUNCILS,
    "rule_set": Action.VIEW_VILLAGE,
    "audit_log": Action.VIEW_AUDIT_LOG,
    "notification_list": LOGGED_IN,
    "session_list": Action.VIEW_VILLAGE,
    "session_create": Action.MANAGE_SESSIONS,
    "session_detail": Action.VIEW_VILLAGE,
    "session_announce": Action.MANAGE_SESSIONS,
    "session_open": Action.MANAGE_SESSIONS,
    "session_close": Action.MANAGE_SESSIONS,
    "session_check_in": Action.VIEW_VILLAGE,
    "attendance_record": Action.RECORD_ATTENDANCE,
    "convening_request_list": Action.VIEW_VILLAGE,
    "convening_request_create": Action.VIEW_VILLAGE,
    "convening_request_detail": Action.VIEW_VILLAGE,
    "convening_request_sign": Action.VIEW_VILLAGE,
    "proxy_list": Action.RECORD_ATTENDANCE,
    "agenda_item_create": Action.MANAGE_AGENDA,
    "agenda_item_detail": Action.VIEW_VILLAGE,
    "agenda_item_update": Action.MANAGE_AGENDA,
    "agenda_item_move": Action.MANAGE_AGENDA,
    "agenda_item_start": Action.MANAGE_AGENDA,
    "agenda_item_finish": Action.MANAGE_AGENDA,
    "election_candidate_add": Action.MANAGE_AGENDA,
    "speaker_request": Action.TAKE_PART,
    "speaker_withdraw": Action.TAKE_PART,
    "speaker_next": Action.MANAGE_AGENDA,
    "speaker_done": Action.MANAGE_AGENDA,
    "speaker_remove": Action.MANAGE_AGENDA,
    "comment_post": Action.TAKE_PART,
    "comment_hide": Action.MODERATE_DISCUSSION,
    "poll_create": Action.RUN_POLLS,
    "poll_detail": Action.VIEW_VILLAGE,
    "poll_open": Action.RUN_POLLS,
    "poll_vote": Action.TAKE_PART,
    "poll_close": Action.RUN_POLLS,
    "poll_count_record": Action.RUN_POLLS,
    "session_live": Action.VIEW_VILLAGE,
    "session_hall": Action.RECORD_ATTENDANCE,
    "minutes_detail": Action.VIEW_VILLAGE,
    "minutes_update": Action.KEEP_MINUTES,
    "minutes_sign": Action.TAKE_PART,
    "minutes_print": Action.VIEW_VILLAGE,
    "resolution_create": Action.KEEP_MINUTES,
    "resolution_publish": Action.KEEP_MINUTES,
    "resolution_board": PUBLIC,
    "resolution_detail": PUBLIC,
    "topic_list": Action.VIEW_VILLAGE,
    "topic_create": Action.RAISE_TOPIC,
    "topic_detail": Action.VIEW_VILLAGE,
    "topic_support": Action.RAISE_TOPIC,
    "topic_answer": Action.ANSWER_TOPIC,
    "topic_photo": Action.VIEW_VILLAGE,
    "decision_list": Action.VIEW_VILLAGE,
    "decision_create": Action.RECORD_DECISIONS,
    "decision_detail": Action.VIEW_VILLAGE,
    "decision_step_record": Action.RECORD_DECISIONS,
    "delegation_list": Action.VIEW_VILLAGE,
    "delegation_record": Action.MANAGE_COUNCILS,
    "delegation_revoke": Action.MANAGE_COUNCILS,
    "supervision_dashboard": Action.VIEW_REVIEWS,
    "committee_detail": Action.VIEW_VILLAGE,
    "appointment_create": Action.APPOINT_SUPERVISORS,
    "review_list": Action.VIEW_REVIEWS,
    "review_create": Action.RUN_REVIEWS,
    "review_detail": Action.VIEW_REVIEWS,
    "review_entry_add": Action.RUN_REVIEWS,
    "evidence_upload": Action.RUN_REVIEWS,
    "review_sign": Action.RUN_REVIEWS,
    "evidence_file": Action.VIEW_REVIEWS,
    "finding_create": Action.RUN_REVIEWS,
    "finding_list": Action.VIEW_REVIEWS,
    "finding_detail": Action.TAKE_PART,
    "finding_answer": Action.TAKE_PART,
    "finding_verify": Action.RUN_REVIEWS,
    "question_list": Action.VIEW_VILLAGE,
    "question_ask": Action.ASK_QUESTIONS,
    "question_detail": Action.VIEW_VILLAGE,
    "question_answer": Action.TAKE_PART,
    "disclosure_board": PUBLIC,
    "disclosure_schedule": PUBLIC,
    "disclosure_publish": Action.PUBLISH_DISCLOSURE,
    "disclosure_detail": PUBLIC,
    "objection_raise": Action.RAISE_OBJECTION,
    "objection_answer": Action.PUBLISH_DISCLOSURE,
    "disclosure_policy_set": Action.PUBLISH_DISCLOSURE,
    "appraisal_list": Action.VIEW_VILLAGE,
    "appraisal_create": Action.RUN_REVIEWS,
    "appraisal_detail": Action.VIEW_VILLAGE,
    "appraisal_result_record": Action.RUN_REVIEWS,
    "appraisal_close": Action.RUN_REVIEWS,
    "collective_dashboard": Action.VIEW_FINANCES,
    "collective_settings": Action.MANAGE_MEMBERS,
    "my_shares": Action.VIEW_VILLAGE,
    "member_list": Action.VIEW_FINANCES,
    "member_admit": Action.MANAGE_MEMBERS,
    "member_import": Action.MANAGE_MEMBERS,
    "member_export": Action.VIEW_FINANCES,
    "member_detail": Action.VIEW_FINANCES,
    "member_shares_change": Action.MANAGE_MEMBERS,
    "member_leave": Action.MANAGE_MEMBERS,
    "asset_list": Action.VIEW_FINANCES,
    "asset_create": Action.MANAGE_ASSETS,
    "asset_export": Action.VIEW_FINANCES,
    "asset_detail": Action.VIEW_FINANCES,
    "asset_update": Action.MANAGE_ASSETS,
    "valuation_record": Action.MANAGE_ASSETS,
    "asset_document_upload": Action.MANAGE_ASSETS,
    "asset_document_file": Action.VIEW_FINANCES,
    "contract_list": Action.VIEW_FINANCES,
    "contract_create": Action.MANAGE_ASSETS,
    "contract_detail": Action.VIEW_FINANCES,
    "rent_receipt_record": Action.MANAGE_ASSETS,
    "contract_terminate": Action.MANAGE_ASSETS,
    "voucher_list": Action.VIEW_FINANCES,
    "voucher_create": Action.KEEP_ACCOUNTS,
    "voucher_detail": Action.VIEW_FINANCES,
    "voucher_update": Action.KEEP_ACCOUNTS,
    "voucher_discard": Action.KEEP_ACCOUNTS,
    "voucher_submit": Action.KEEP_ACCOUNTS,
    "voucher_post": Action.KEEP_ACCOUNTS,
    "voucher_reverse": Action.KEEP_ACCOUNTS,
    "account_list": Action.VIEW_FINANCES,
    "account_create": Action.KEEP_ACCOUNTS,
    "account_detail": Action.VIEW_FINANCES,
    "trial_balance": Action.VIEW_FINANCES,
    "income_statement": Action.VIEW_FINANCES,
    "opening_balance_import": Action.KEEP_ACCOUNTS,
    "ledger_export": Action.VIEW_FINANCES,
    "finance_disclose": Action.KEEP_ACCOUNTS,
    "distribution_list": Action.VIEW_VILLAGE,
    "distribution_create": Action.MANAGE_DISTRIBUTIONS,
    "distribution_detail": Action.VIEW_VILLAGE,
    "distribution_publish": Action.MANAGE_DISTRIBUTIONS,
    "distribution_propose": Action.MANAGE_DISTRIBUTIONS,
    "distribution_withdraw": Action.MANAGE_DISTRIBUTIONS,
    "distribution_pay_start": Action.MANAGE_DISTRIBUTIONS,
    "payment_record": Action.MANAGE_DISTRIBUTIONS,
    "distribution_result_publish": Action.MANAGE_DISTRIBUTIONS,
    "distribution_export": Action.VIEW_VILLAGE,
}

# Third-party URL trees with their own tests; the walker covers the app's own pages.
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/")

# Pages whose role is allowed in, but which show an object only to some: holders of these roles
# see every such object; the others only what concerns them (a question addressed to them,
# answered or past its due date; a finding they must answer; a plan once published), and get 404
# for the rest. (Like the URLconf, this module looks across the apps.)
SHOWN_TO_SOME: dict[str, frozenset[Role]] = {
    "question_detail": SEES_ALL_QUESTIONS,
    "question_answer": SEES_ALL_QUESTIONS,
    "finding_detail": ROLES_ALLOWED[Action.VIEW_REVIEWS],
    "finding_answer": ROLES_ALLOWED[Action.VIEW_REVIEWS],
    "distribution_detail": ROLES_ALLOWED[Action.VIEW_FINANCES],
    "distribution_export": ROLES_ALLOWED[Action.VIEW_FINANCES],
}


@dataclass(frozen=True)
class SocketRule:
    """Who may follow the sessions of a village in one state over a live socket."""

    sessions: str  # which sessions, as the table says
    action: Action
    drafts: bool  # whether these are the sessions not yet announced


# The live sockets, as consultations.selectors.live.live_access decides them.
WEBSOCKET_ACCESS: dict[str, tuple[SocketRule, ...]] = {
    "ws_session": (
        SocketRule("announced, open or closed sessions", Action.VIEW_VILLAGE, drafts=False),
        SocketRule("draft sessions", Action.MANAGE_SESSIONS, drafts=True),
    ),
}

# URL names that hand out a file or a document to keep: exports, stored uploads, printouts.
FILE_URL = re.compile(r"export|csv|xlsx|download|file|photo|print")

MATRIX_START = "<!-- access-matrix:start -->"
MATRIX_END = "<!-- access-matrix:end -->"
SECURITY_DOC = Path(settings.BASE_DIR) / "docs" / "security.md"


@dataclass(frozen=True)
class Page:
    name: str
    params: frozenset[str]  # the URL's parameters, its prefixes' included
    route: str = ""  # the whole route, e.g. "v/<str:village_code>/people/"
    app: str = ""  # the app whose view answers it


def walk(patterns: list[Any], prefix: str = "", inherited: frozenset[str] = frozenset()) -> list[Page]:
    found: list[Page] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        params = inherited | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            found.extend(walk(entry.url_patterns, route, params))
        elif entry.name:
            found.append(Page(entry.name, params, route, entry.callback.__module__.split(".")[0]))
    return found


def app_urls() -> list[Page]:
    """Every named URL of the app's own pages, in the order the URLconf lists them."""
    return walk(get_resolver().url_patterns)


def websocket_routes() -> list[Page]:
    return walk(list(websocket_urlpatterns))


def is_file_url(name: str) -> bool:
    return FILE_URL.search(name) is not None


ANONYMOUS = "anonymous"
ANOTHER_VILLAGE = "another village"
COLUMNS: tuple[str | Role, ...] = (ANONYMOUS, *Role, ANOTHER_VILLAGE)

SERVED = "✓"
SERVED_IN_PART = "(✓)"
REFUSED = "—"


def cell(access: Action | str, column: str | Role, *, sees_all: frozenset[Role] | None = None) -> str:
    """What a column may do with a page of this access: served, served with only what concerns
    them (not holding a role of `sees_all`, for the pages of SHOWN_TO_SOME), or refused
    (anonymous users are sent to log in; another village's people get 404)."""
    if access == PUBLIC:
        return SERVED
    if access == LOGGED_IN:
        return REFUSED if column == ANONYMOUS else SERVED_IN_PART
    if not isinstance(access, Action) or not isinstance(column, Role):
        return REFUSED
    if column not in ROLES_ALLOWED[access]:
        return REFUSED
    return SERVED_IN_PART if sees_all is not None and column not in sees_all else SERVED


def _header() -> list[str]:
    names = [column.value if isinstance(column, Role) else column for column in COLUMNS]
    return [
        "| route | name | permission | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]


def _row(route: str, name: str, access: Action | str, *, sees_all: frozenset[Role] | None = None) -> str:
    """A table row; `name` is Markdown (a URL name, with a note for a socket's session state)."""
    cells = [cell(access, column, sees_all=sees_all) for column in COLUMNS]
    permission = f"`{access.value}`" if isinstance(access, Action) else access
    return f"| `/{route}` | {name} | {permission} | " + " | ".join(cells) + " |"


def _page_rows(pages: list[Page]) -> list[str]:
    return [
        _row(page.route, f"`{page.name}`", ACCESS[page.name], sees_all=SHOWN_TO_SOME.get(page.name))
        for page in pages
    ]


def render_matrix() -> str:
    """The access matrix in Markdown, as docs/security.md holds it between its markers."""
    with translation.override("en"):
        return _matrix()


def _matrix() -> str:
    pages = app_urls()
    lines = [
        f"{SERVED} served · {SERVED_IN_PART} served, showing only what concerns the person "
        f"(their own, or what is published) · {REFUSED} refused: anonymous visitors are sent to "
        "log in, people of another village get 404 (403 or 404 under their own village's code), "
        "villagers without the role get 403.",
        "",
        "Roles: "
        + "; ".join(f"`{role.value}`: {role.label}" for role in Role)
        + f". `{ANOTHER_VILLAGE}`: any role, held in another village.",
    ]
    for app in dict.fromkeys(page.app for page in pages):
        lines += ["", f"### Pages of `{app}`", "", *_header()]
        lines += _page_rows([page for page in pages if page.app == app])
    lines += [
        "",
        "### WebSocket routes",
        "",
        "A refused socket is accepted and closed at once with the reason: 4401 anonymous, "
        "4403 not on the village's roster, 4404 no such session in the village (or a draft).",
        "",
        *_header(),
    ]
    for route in websocket_routes():
        for rule in WEBSOCKET_ACCESS[route.name]:
            lines.append(_row(route.route, f"`{route.name}` ({rule.sessions})", rule.action))
    lines += ["", "### Exports, files and printouts", "", *_header()]
    lines += _page_rows([page for page in pages if is_file_url(page.name)])
    return "\n".join(lines) + "\n"


def with_matrix(document: str, matrix: str) -> str:
    """`document` with the text between its matrix markers replaced by `matrix`."""
    start, end = document.index(MATRIX_START) + len(MATRIX_START), document.index(MATRIX_END)
    return document[:start] + "\n" + matrix + document[end:]
