"""On PostgreSQL any plain UPDATE or DELETE (the app's too) is refused: to change or delete an audit
record or to delete the chain's head; appending goes on."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction

from villagegov.models import AuditChainHead, AuditRecord, Village
from villagegov.services.audit import audit_chain_verify, audit_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the audit log's guard triggers are PostgreSQL's (SQLite has none)",
)


def refused(action: Callable[[], object]) -> None:
    """The trigger refuses (its message says so), not some other check."""
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic():
        action()


def test_audit_records_are_never_changed_or_deleted(village: Village) -> None:
    for n in range(3):
        audit_record(actor=None, village=village, action=f"test.write.{n}", target=village)
    records = AuditRecord.objects.all()
    refused(lambda: records.filter(seq=2).update(action="test.forged"))
    refused(lambda: records.filter(seq=3).delete())
    refused(lambda: AuditChainHead.objects.all().delete())
    audit_record(actor=None, village=village, action="test.after", target=village)
    report = audit_chain_verify()
    assert report.ok and report.checked == 4
