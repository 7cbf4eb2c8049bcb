"""The audit log's hash chain: every record links to the one before, and tampering is found.

The tampering helpers write raw SQL, as the database's owner would (switching off the triggers
that refuse it on PostgreSQL); the command's tests reuse them.
"""

import threading
from unittest import mock

import pytest
from django.db import connection

from villagegov.models import AuditChainHead, AuditRecord, Village
from villagegov.services.audit import GENESIS_HASH, audit_chain_verify, audit_record, digest_of

from .tamper_testing import tamper

TABLE = AuditRecord._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table
PARKED_SEQ = 10**9


def write_records(village: Village, count: int = 5) -> list[AuditRecord]:
    return [
        audit_record(actor=None, village=village, action=f"test.write.{n}", target=village, after={"n": n})
        for n in range(1, count + 1)
    ]


def sql(statement: str, params: list[str | int]) -> None:
    tamper(statement, params, TABLE, HEAD_TABLE)


def alter_action(seq: int) -> None:
    sql(f"UPDATE {TABLE} SET action = %s WHERE seq = %s", ["test.forged", seq])


def delete(seq: int) -> None:
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [seq])


def swap_rows(first: int, second: int) -> None:
    """Reorder: each record's whole contents move to the other's place in the sequence
    (through a free number, as seq is unique)."""
    sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [PARKED_SEQ, first])
    sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [first, second])
    sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [second, PARKED_SEQ])


def swap_descriptions(first: int, second: int) -> None:
    """Exchange what two records say was done, leaving their hashes in place."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, action, target_repr FROM {TABLE} WHERE seq IN (%s, %s)", [first, second])
        rows = {seq: (action, target_repr) for seq, action, target_repr in cursor.fetchall()}
    for target, source in ((first, second), (second, first)):
        sql(f"UPDATE {TABLE} SET action = %s, target_repr = %s WHERE seq = %s", [*rows[source], target])


def test_records_link_to_their_predecessor(village: Village) -> None:
    records = write_records(village, 3)
    assert [record.seq for record in records] == [1, 2, 3]
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash
    assert records[2].prev_hash == records[1].hash
    for record in AuditRecord.objects.all():  # as the database gives them back
        assert digest_of(record) == record.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, records[2].hash)


def test_an_untouched_chain_holds(village: Village) -> None:
    write_records(village)
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == 5


def test_an_empty_chain_holds(db: None) -> None:
    report = audit_chain_verify()
    assert report.ok and report.checked == 0


def test_an_altered_record_is_named(village: Village) -> None:
    write_records(village)
    alter_action(3)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.reason) == (False, 3, "contents altered")
    assert report.checked == 2


def test_an_altered_record_with_a_recomputed_hash_breaks_the_next_link(village: Village) -> None:
    write_records(village)
    alter_action(3)
    forged = AuditRecord.objects.get(seq=3)
    sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 3", [digest_of(forged)])
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 4)


def test_a_record_removed_from_the_middle_is_named(village: Village) -> None:
    write_records(village)
    delete(3)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.reason) == (False, 3, "record missing")


def test_the_last_record_removed_is_noticed(village: Village) -> None:
    write_records(village)
    delete(5)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.reason) == (False, 5, "records removed from the end")


def test_removing_the_chain_head_too_is_noticed(village: Village) -> None:
    write_records(village)
    sql(f"DELETE FROM {HEAD_TABLE}", [])
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 6)


def test_reordered_records_are_named(village: Village) -> None:
    write_records(village)
    swap_rows(2, 3)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_swapped_contents_are_named(village: Village) -> None:
    write_records(village)
    swap_descriptions(4, 2)
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.reason) == (False, 2, "contents altered")


def test_appending_after_a_check_continues_the_chain(village: Village) -> None:
    write_records(village, 2)
    assert audit_chain_verify().ok
    write_records(village, 2)
    report = audit_chain_verify()
    assert report.ok and report.checked == 4


@pytest.mark.parametrize("value", [{"amount": "12.30", "when": "2025-01-01"}, ["a", 1, None], "文字"])
def test_records_hash_the_same_after_the_database_round_trip(village: Village, value: object) -> None:
    audit_record(
        actor=None, village=village, action="test.values", target=village, before=None, after={"v": value}
    )
    assert audit_chain_verify().ok


def test_floats_are_refused_because_jsonb_would_change_them(village: Village) -> None:
    with pytest.raises(TypeError):
        audit_record(actor=None, village=village, action="test.float", target=village, after={"x": 1e16})
    with pytest.raises(TypeError):
        audit_record(
            actor=None, village=village, action="test.float", target=village, after={"x": [{"y": 0.5}]}
        )
    assert not AuditRecord.objects.exists()


def test_decimal_amounts_round_trip_through_the_database(village: Village) -> None:
    from decimal import Decimal

    audit_record(
        actor=None, village=village, action="test.money", target=village, after={"amount": Decimal("0.10")}
    )
    assert audit_chain_verify().ok


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets no one write while the verifier reads"
)
@pytest.mark.django_db(transaction=True)
def test_a_record_appended_during_the_walk_is_not_taken_for_removed_ones(village: Village) -> None:
    """The walk and the chain's head are read from one snapshot: a record appended meanwhile (by
    another process, committed) does not look like records removed from the end."""
    write_records(village, 2)
    walked = digest_of

    def append_elsewhere() -> None:
        try:
            audit_record(actor=None, village=village, action="test.meanwhile", target=village)
        finally:
            connection.close()  # this thread's own connection

    def digest_while_another_appends(record: AuditRecord) -> str:
        if record.seq == 1:
            appender = threading.Thread(target=append_elsewhere)
            appender.start()
            appender.join()
        return walked(record)

    with mock.patch("villagegov.services.audit.digest_of", digest_while_another_appends):
        report = audit_chain_verify()
    assert (report.ok, report.checked) == (True, 2)
    assert audit_chain_verify().checked == 3  # the next run walks it
