"""The audit log: an append-only hash chain over every write that matters."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from villagegov.models import AuditChainHead, AuditRecord, AuditVerification, User, Village

GENESIS_HASH = "0" * 64


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


def audit_record(
    *,
    actor: User | None,
    village: Village | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record to the chain. Call inside the transaction of the write it records."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            singleton=True, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        # Microseconds are kept by both databases, so the stored time hashes the same.
        record = AuditRecord(
            seq=head.seq + 1,
            created_at=timezone.now(),
            village=village,
            actor=actor,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:200],
            before=_normalise(before),
            after=_normalise(after),
            prev_hash=head.hash,
        )
        record.hash = digest_of(record)
        record.save()
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
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
) -> M:
    """Set `changes` on `instance`, save just those columns, and record before and after
    (`fields`: the snapshot's fields where some must stay out of the log)."""
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
    )
    return instance


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify() -> ChainReport:
    """Walk the chain in order; name the first record that was altered, removed or reordered.

    The reason is an English msgid (marked for translation): show it with gettext."""
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
    return ChainReport(True, checked)


def audit_chain_check() -> AuditVerification:
    """Verify the chain and keep the result, for the audit page and the disclosure board."""
    report = audit_chain_verify()
    return AuditVerification.objects.create(
        verified_at=timezone.now(),
        checked=report.checked,
        ok=report.ok,
        broken_seq=report.broken_seq,
        reason=report.reason,
    )
