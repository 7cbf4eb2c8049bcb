"""Seals: the digest of a row that became final (a closed poll with its ballots, a posted voucher
with its lines, a payment, a sign-off), written into the audit log in the transaction that made
it final. The chain protects the seals; `audit_chain_verify` recomputes every sealed row and
names one whose content no longer matches its seal, whose seal has no row, or that is final
without a seal.

A seal is `{"<app_label.model>:<pk>": {"<part>": "<sha256>", ...}}` under the key "seals" of an
audit record's `after`; one record may seal many rows (paying every member at once). A row's
content is split into parts (a poll's result, options, named ballots and their changes, secret
ballots, roll) so the verifier can say which part changed. A secret poll's box and roll are
hashed apart and the box has no voter: a seal links no voter to a choice.

This module reads through `get_model` (`django.apps.apps.get_model`, or a migration's historical
`apps.get_model`) and `.values()`, so a migration seals existing rows exactly as the services
do. The field lists are frozen: changing one changes the digest of every row sealed already
(the backfilling migrations keep their own copies, `Fields`).
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models

SEALS_KEY = "seals"

GetModel = Callable[[str, str], type[models.Model]]
Parts = dict[str, str]  # part name → digest
Content = dict[str, Any]  # part name → canonical content
# The columns sealed of each model ("app_label.Model" → field names). A migration passes its own
# frozen copy, so that what it sealed stays what it sealed whatever this module becomes.
Fields = Mapping[str, tuple[str, ...]]


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        # Both databases give back aware datetimes with microseconds; UTC spells them alike.
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"a sealed value of type {type(value).__name__} has no canonical form")


def digest(content: object) -> str:
    text = json.dumps(content, default=_plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _grouped(rows: Iterable[dict[str, Any]], by: str, sort_key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows by their parent's key, each list sorted in Python (not by the database's collation)."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row.pop(by)].append(row)
    for group in groups.values():
        group.sort(key=lambda row: str(row[sort_key]) if isinstance(row[sort_key], UUID) else row[sort_key])
    return groups


# ---- Polls: the result, the options, the ballots (named or secret) and the roll ----

POLL_FIELDS = (
    "id",
    "item_id",
    "question",
    "kind",
    "method",
    "secret",
    "max_choices",
    "allow_change",
    "round",
    "state",
    "opened_at",
    "closed_at",
    "entitled_count",
    "totals",
    "votes_cast",
    "counts",
    "passed",
    "explanation_zh",
    "explanation_en",
    "tellers",
)
OPTION_FIELDS = ("id", "poll_id", "position", "label", "answer", "candidate_id", "elected")
BALLOT_FIELDS = ("id", "poll_id", "voter_id", "cast_by_id", "choices", "cast_at", "client_id")
BALLOT_CHANGE_FIELDS = ("id", "ballot__poll_id", "ballot_id", "previous_choices", "changed_at")
SECRET_BALLOT_FIELDS = ("id", "poll_id", "choices")
ROLL_FIELDS = ("poll_id", "person_id", "proxy_holder_id", "has_voted")


def _poll_contents(get_model: GetModel, pks: list[Any], fields: Fields) -> dict[Any, Content]:
    def rows(name: str, **lookup: Any) -> Any:
        manager = get_model("consultations", name)._default_manager
        return manager.filter(**lookup).values(*fields[f"consultations.{name}"])

    polls = {row["id"]: row for row in rows("Poll", pk__in=pks)}
    children = {
        "options": _grouped(rows("PollOption", poll_id__in=pks), "poll_id", "id"),
        "ballots": _grouped(rows("Ballot", poll_id__in=pks), "poll_id", "id"),
        "ballot_changes": _grouped(rows("BallotChange", ballot__poll_id__in=pks), "ballot__poll_id", "id"),
        "secret_ballots": _grouped(rows("SecretBallot", poll_id__in=pks), "poll_id", "id"),
        "roll": _grouped(rows("PollVoter", poll_id__in=pks), "poll_id", "person_id"),
    }
    return {
        pk: {"result": row} | {part: groups.get(pk, []) for part, groups in children.items()}
        for pk, row in polls.items()
    }


# ---- Vouchers with their lines ----

VOUCHER_FIELDS = (
    "id",
    "village_id",
    "kind",
    "date",
    "year",
    "number",
    "summary",
    "attachments",
    "state",
    "debit_total",
    "credit_total",
    "reverses_id",
    "created_by_id",
    "created_at",
    "submitted_at",
    "posted_by_id",
    "posted_at",
)
VOUCHER_LINE_FIELDS = ("id", "voucher_id", "position", "account_id", "summary", "debit", "credit")


def _voucher_contents(get_model: GetModel, pks: list[Any], fields: Fields) -> dict[Any, Content]:
    vouchers = (
        get_model("assets", "Voucher")._default_manager.filter(pk__in=pks).values(*fields["assets.Voucher"])
    )
    lines = _grouped(
        get_model("assets", "VoucherLine")
        ._default_manager.filter(voucher_id__in=pks)
        .values(*fields["assets.VoucherLine"]),
        "voucher_id",
        "id",
    )
    return {row["id"]: {"voucher": row, "lines": lines.get(row["id"], [])} for row in vouchers}


# ---- Single rows: payments, sign-offs ----

PAYMENT_FIELDS = (
    "id",
    "allocation_id",
    "amount",
    "paid_on",
    "method",
    "reference",
    "recorded_by_id",
    "recorded_at",
)
SIGN_OFF_FIELDS = ("id", "review_id", "member_id", "decision", "reason", "signed_at")


def _row_contents(app_label: str, model_name: str) -> Callable[..., dict[Any, Content]]:
    def contents(get_model: GetModel, pks: list[Any], fields: Fields) -> dict[Any, Content]:
        manager = get_model(app_label, model_name)._default_manager
        rows = manager.filter(pk__in=pks).values(*fields[f"{app_label}.{model_name}"])
        return {row["id"]: {"row": row} for row in rows}

    return contents


FIELDS: Fields = {
    "consultations.Poll": POLL_FIELDS,
    "consultations.PollOption": OPTION_FIELDS,
    "consultations.Ballot": BALLOT_FIELDS,
    "consultations.BallotChange": BALLOT_CHANGE_FIELDS,
    "consultations.SecretBallot": SECRET_BALLOT_FIELDS,
    "consultations.PollVoter": ROLL_FIELDS,
    "assets.Voucher": VOUCHER_FIELDS,
    "assets.VoucherLine": VOUCHER_LINE_FIELDS,
    "assets.Payment": PAYMENT_FIELDS,
    "supervision.SignOff": SIGN_OFF_FIELDS,
}


@dataclass(frozen=True)
class SealedKind:
    app_label: str
    model_name: str
    # The rows that must carry a seal (final ones), as a filter on the model's rows.
    final: dict[str, Any]
    contents: Callable[[GetModel, list[Any], Fields], dict[Any, Content]]
    batch: int  # rows per query: a poll brings its ballots and roll along
    village: str  # the lookup of a row's village: whose row a problem is

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.model_name.lower()}"

    def key(self, pk: object) -> str:
        return f"{self.label}:{pk}"

    def model(self, get_model: GetModel) -> type[models.Model]:
        return get_model(self.app_label, self.model_name)

    def final_pks(self, get_model: GetModel) -> Iterator[Any]:
        rows = self.model(get_model)._default_manager.filter(**self.final).order_by("pk")
        return rows.values_list("pk", flat=True).iterator(chunk_size=2000)

    def seals(self, get_model: GetModel, pks: Iterable[Any], fields: Fields = FIELDS) -> dict[Any, Parts]:
        """Each existing row's parts' digests, by primary key (a missing row is left out)."""
        wanted = list(pks)
        sealed: dict[Any, Parts] = {}
        for start in range(0, len(wanted), self.batch):
            contents = self.contents(get_model, wanted[start : start + self.batch], fields)
            sealed.update(
                {
                    pk: {part: digest(value) for part, value in content.items()}
                    for pk, content in contents.items()
                }
            )
        return sealed


KINDS = (
    SealedKind(
        "consultations",
        "Poll",
        {"state": "closed"},
        _poll_contents,
        batch=20,
        village="item__session__council__village",
    ),
    SealedKind("assets", "Voucher", {"state": "posted"}, _voucher_contents, batch=500, village="village"),
    SealedKind(
        "assets",
        "Payment",
        {},
        _row_contents("assets", "Payment"),
        batch=2000,
        village="allocation__plan__village",
    ),
    SealedKind(
        "supervision",
        "SignOff",
        {},
        _row_contents("supervision", "SignOff"),
        batch=2000,
        village="review__village",
    ),
)
KIND_OF = {kind.label: kind for kind in KINDS}


def seals_of(
    get_model: GetModel, label: str, pks: Iterable[Any], fields: Fields = FIELDS
) -> dict[str, Parts]:
    """The seals of these rows of one kind (`label` e.g. "assets.payment"), read from the database."""
    kind = KIND_OF[label]
    return {kind.key(pk): parts for pk, parts in kind.seals(get_model, pks, fields).items()}


def split_key(key: str) -> tuple[str, str]:
    """ "assets.payment:12" → ("assets.payment", "12")."""
    label, _, pk = key.partition(":")
    return label, pk


def seals_backfill(get_model: GetModel, labels: Iterable[str], fields: Fields) -> None:
    """Seal the final rows of these kinds that have no seal yet, in one "seal.backfill" audit
    record (a migration's step: rows made final before seals were kept; it passes the `fields`
    frozen in it)."""
    from villagegov.services.audit import chain_append  # the services import this module

    record_model = get_model("villagegov", "AuditRecord")
    sealed: set[str] = set()
    for after in record_model._default_manager.filter(after__has_key=SEALS_KEY).values_list(
        "after", flat=True
    ):
        sealed |= set(after.get(SEALS_KEY) or {})
    seals: dict[str, Parts] = {}
    for label in labels:
        kind = KIND_OF[label]
        seals |= seals_of(
            get_model, label, [pk for pk in kind.final_pks(get_model) if kind.key(pk) not in sealed], fields
        )
    if seals:
        chain_append(
            record_model=record_model,
            head_model=get_model("villagegov", "AuditChainHead"),
            village_id=None,
            actor_id=None,
            action="seal.backfill",
            target_type="",
            target_id="",
            target_repr="",
            before=None,
            after={SEALS_KEY: seals},
        )
