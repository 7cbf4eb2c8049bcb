"""The audit log: an append-only hash chain over every write that matters."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from villagegov.models import AuditChainHead, AuditRecord, AuditVerification, User, Village
from villagegov.seals import KINDS, SEALS_KEY, Parts, seals_of, split_key

GENESIS_HASH = "0" * 64
KEPT_ROWS = 1000  # changed rows an AuditVerification keeps (the pages show a village its own)


def _refuse_floats(value: Any) -> None:
    # PostgreSQL's jsonb gives 1e16 back as an integer, which would change the hash of an
    # untouched record: amounts are Decimal (stored as strings), never float.
    if isinstance(value, float):
        raise TypeError("audit snapshots take Decimal, not float")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)


def _normalise(value: Any) -> Any:
    """What a JSON column gives back: dates, Decimals and UUIDs as strings."""
    _refuse_floats(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_digest(
    *,
    seq: int,
    created_at: str,
    village_id: int | None,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        {
            "seq": seq,
            "created_at": created_at,
            "village_id": village_id,
            "actor_id": actor_id,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "target_repr": target_repr,
            "before": before,
            "after": after,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def digest_of(record: AuditRecord) -> str:
    return record_digest(
        seq=record.seq,
        created_at=record.created_at.isoformat(),
        village_id=record.village_id,
        actor_id=record.actor_id,
        action=record.action,
        target_type=record.target_type,
        target_id=record.target_id,
        target_repr=record.target_repr,
        before=record.before,
        after=record.after,
        prev_hash=record.prev_hash,
    )


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, ready for an audit record."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return _normalise({name: getattr(instance, name) for name in names})


def chain_append(
    *,
    record_model: Any,
    head_model: Any,
    village_id: int | None,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    before: Any,
    after: Any,
) -> Any:
    """Append one record to the chain, with the models given (a migration passes its historical
    ones). Call inside the transaction of the write it records."""
    with transaction.atomic():
        head, _ = head_model.objects.select_for_update().get_or_create(
            singleton=True, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        # Microseconds are kept by both databases, so the stored time hashes the same.
        record = record_model(
            seq=head.seq + 1,
            created_at=timezone.now(),
            village_id=village_id,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            before=_normalise(before),
            after=_normalise(after),
            prev_hash=head.hash,
        )
        record.hash = digest_of(record)
        record.save()
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
    return record


def _seals(rows: Iterable[models.Model]) -> dict[str, Parts]:
    by_label: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_label[row._meta.label_lower].append(row.pk)
    seals: dict[str, Parts] = {}
    for label, pks in by_label.items():
        seals |= seals_of(apps.get_model, label, pks)
    return seals


def audit_record(
    *,
    actor: User | None,
    village: Village | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    seal: Iterable[models.Model] = (),
) -> AuditRecord:
    """Append one record to the chain. Call inside the transaction of the write it records.

    `seal`: rows that this write made final (a closed poll, a posted voucher, payments, a
    sign-off), read back from the database once written: their seals go into `after`, and the
    verifier then finds any later change to them (villagegov.seals)."""
    sealed = _seals(seal)
    if sealed:
        after = (after or {}) | {SEALS_KEY: sealed}
    record: AuditRecord = chain_append(
        record_model=AuditRecord,
        head_model=AuditChainHead,
        village_id=village.pk if village is not None else None,
        actor_id=actor.pk if actor is not None else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before,
        after=after,
    )
    return record


M = TypeVar("M", bound=models.Model)


def audited_update(
    instance: M,
    *,
    actor: User | None,
    village: Village | None,
    action: str,
    changes: dict[str, Any],
    fields: list[str] | None = None,
    seal: bool = False,
) -> M:
    """Set `changes` on `instance`, save just those columns, and record before and after
    (`fields`: the snapshot's fields where some must stay out of the log; `seal`: the write made
    the row final, see `audit_record`)."""
    before = snapshot(instance, fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        village=village,
        action=action,
        target=instance,
        before=before,
        after=snapshot(instance, fields),
        seal=[instance] if seal else (),
    )
    return instance


@dataclass(frozen=True)
class SealProblem:
    label: str  # the sealed kind, e.g. "consultations.poll"
    pk: str
    parts: tuple[str, ...]  # the parts that changed (villagegov.seals), for a row altered
    reason: str  # an English msgid
    seq: int | None  # the record holding the row's latest seal, if any
    village_id: int | None  # whose row it is (the sealing record's village for a removed row)

    @property
    def row(self) -> str:
        """e.g. "consultations.poll #12 (ballots)": for the administrator, in the command's output."""
        parts = f" ({', '.join(self.parts)})" if self.parts else ""
        return f"{self.label} #{self.pk}{parts}"

    def __str__(self) -> str:
        sealed = f" (sealed in record #{self.seq})" if self.seq is not None else ""
        return f"{self.row}: {self.reason}{sealed}"

    def kept(self) -> dict[str, Any]:
        """As an AuditVerification keeps it (`broken_rows`)."""
        return {
            "type": self.label,
            "id": self.pk,
            "parts": list(self.parts),
            "reason": self.reason,
            "seq": self.seq,
            "village": self.village_id,
        }


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    # When the chain holds but a sealed row does not match its seal: every such row.
    broken_rows: tuple[SealProblem, ...] = ()


Seal = tuple[int, int | None, Parts]  # the sealing record's seq and village, the row's digests


def _latest_seals() -> dict[str, dict[str, Seal]]:
    """Each sealed row's latest seal and the record holding it, by kind label and primary key."""
    latest: dict[str, dict[str, Seal]] = defaultdict(dict)
    records = AuditRecord.objects.filter(after__has_key=SEALS_KEY).order_by("seq")
    for seq, village_id, after in records.values_list("seq", "village_id", "after").iterator(chunk_size=200):
        seals = after.get(SEALS_KEY) if isinstance(after, dict) else None
        for key, parts in (seals or {}).items():
            label, pk = split_key(key)
            latest[label][pk] = (seq, village_id, parts)
    return latest


def audit_seals_verify() -> list[SealProblem]:
    """Recompute every sealed row and every row that must be sealed; name each whose content
    differs from its latest seal, whose seal has no row any more, or that has no seal.

    Run it on a chain that holds: the seals are only as good as the chain that keeps them."""
    # The final rows first, the seals after: a row is sealed in the transaction that makes it
    # final, so each row listed here has its seal visible below even without one snapshot; a
    # row made final meanwhile is left to the next run.
    final = {kind.label: {str(pk) for pk in kind.final_pks(apps.get_model)} for kind in KINDS}
    latest = _latest_seals()
    problems: list[SealProblem] = []
    for kind in KINDS:
        sealed = latest.get(kind.label, {})
        wanted = sorted(sealed.keys() | final[kind.label], key=lambda pk: (len(pk), pk))
        to_python = kind.model(apps.get_model)._meta.pk.to_python
        current = {str(pk): parts for pk, parts in kind.seals(apps.get_model, map(to_python, wanted)).items()}
        found: list[SealProblem] = []
        for pk in wanted:
            if pk not in sealed:
                found.append(
                    SealProblem(kind.label, pk, (), gettext_noop("row not in the audit log"), None, None)
                )
                continue
            seq, village_id, parts = sealed[pk]
            now = current.get(pk)
            if now is None:
                found.append(SealProblem(kind.label, pk, (), gettext_noop("row removed"), seq, village_id))
                continue
            changed = tuple(
                sorted(part for part in parts.keys() | now.keys() if parts.get(part) != now.get(part))
            )
            if changed:
                found.append(SealProblem(kind.label, pk, changed, gettext_noop("row altered"), seq, None))
        # The village of each row still there (a backfill's seal names none), for the rows kept.
        unknown = [to_python(p.pk) for p in found[:KEPT_ROWS] if p.village_id is None]
        model = kind.model(apps.get_model)
        villages = dict(model._default_manager.filter(pk__in=unknown).values_list("pk", kind.village))
        problems += [replace(p, village_id=villages.get(to_python(p.pk), p.village_id)) for p in found]
    return problems


def audit_chain_verify() -> ChainReport:
    """Walk the chain in order and name the first record that was altered, removed or reordered;
    if the chain holds, check the sealed rows (`audit_seals_verify`) and name those that changed.

    All is read from one snapshot of the database (PostgreSQL's REPEATABLE READ; SQLite's read
    transaction is one), so that writes meanwhile are not taken for tampering: a record appended
    after the walk would otherwise move the head past the records walked.

    The reason is an English msgid (marked for translation): show it with gettext."""
    snapshot_needed = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot_needed:
            with connection.cursor() as cursor:  # the transaction's first statement, as it must be
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _chain_verify()


def _chain_verify() -> ChainReport:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if record.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, gettext_noop("record missing"))
        if record.prev_hash != expected_prev:
            return ChainReport(False, checked, record.seq, gettext_noop("link to the previous record broken"))
        if digest_of(record) != record.hash:
            return ChainReport(False, checked, record.seq, gettext_noop("contents altered"))
        expected_prev = record.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(singleton=True).first()
    # Every append moves the head, so records without a head (or a head ahead of them) mean
    # the head or the last records were removed.
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != expected_prev:
        return ChainReport(False, checked, checked + 1, gettext_noop("records removed from the end"))
    problems = audit_seals_verify()
    if problems:
        first = problems[0]
        return ChainReport(False, checked, first.seq, first.reason, broken_rows=tuple(problems))
    return ChainReport(True, checked)


def audit_verification_keep(report: ChainReport) -> AuditVerification:
    """Keep a verification's result, for the audit page and the disclosure board."""
    return AuditVerification.objects.create(
        verified_at=timezone.now(),
        checked=report.checked,
        ok=report.ok,
        broken_seq=report.broken_seq,
        broken_rows=[problem.kept() for problem in report.broken_rows[:KEPT_ROWS]],
        reason=report.reason,
    )


def audit_chain_check() -> AuditVerification:
    """Verify the chain and the sealed rows, and keep the result."""
    return audit_verification_keep(audit_chain_verify())
