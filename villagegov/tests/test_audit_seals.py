"""Seals of rows made final before seals were kept: the migrations' backfill seals them in one
audit record, with the historical models giving the same digests as the services; the audit page
shows a sealed row that changed and not the seals themselves."""

from datetime import date
from importlib import import_module
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from assets.models import Collective, Voucher
from assets.services.ledger import voucher_post
from assets.tests.ledger_testing import keeper_user, make_voucher
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll
from supervision.models import SignOff
from supervision.tests.reviews_testing import committee, make_review, sign_off
from villagegov.models import AuditRecord, Body, Role, Village
from villagegov.seals import FIELDS, KINDS, SEALS_KEY, seals_backfill, seals_of
from villagegov.services import audit
from villagegov.services.audit import audit_chain_check, audit_chain_verify
from villagegov.testing import client_for, council_of, make_person

from .tamper_testing import seal_what_builders_made, tamper, verify, verify_fails

LABELS = [kind.label for kind in KINDS]
# Each backfilling migration and the kinds it seals.
BACKFILLS = {
    "consultations.migrations.0005_ballots_guarded_and_closed_polls_sealed": "closed_polls_seal",
    "assets.migrations.0005_payments_guarded_and_books_sealed": "books_seal",
    "supervision.migrations.0004_sign_offs_guarded_and_sealed": "sign_offs_seal",
}


def rows_made_final_with_the_models(village: Village) -> list[str]:
    """A closed vote, a posted voucher and a sign-off written straight to the database, as the
    rows of a database older than the seals are: none has a seal."""
    poll = make_closed_poll(make_session(council_of(village, Body.REPRESENTATIVES_MEETING)))
    voucher = make_voucher(village)
    people = committee(village, 1)
    made = sign_off(make_review(village, by=people[0]), people[0])
    return [
        f"consultations.poll:{poll.pk}",
        f"assets.voucher:{voucher.pk}",
        f"supervision.signoff:{made.pk}",
    ]


def test_the_backfill_seals_rows_made_final_before_seals_in_one_record(village: Village) -> None:
    keys = rows_made_final_with_the_models(village)
    message = verify_fails()
    assert all(f"{key.replace(':', ' #')}: row not in the audit log" in message for key in keys)
    before = AuditRecord.objects.count()
    seals_backfill(apps.get_model, LABELS, FIELDS)
    record = AuditRecord.objects.get(seq=before + 1)
    assert (record.action, record.village_id, record.actor_id) == ("seal.backfill", None, None)
    assert record.after is not None
    assert set(keys) <= set(record.after[SEALS_KEY])
    assert "every sealed row matches" in verify()
    seals_backfill(apps.get_model, LABELS, FIELDS)  # nothing left to seal: no record
    assert AuditRecord.objects.count() == before + 1


def test_the_migrations_historical_models_seal_as_the_services_do(village: Village) -> None:
    keys = rows_made_final_with_the_models(village)
    executor = MigrationExecutor(connection)
    historical = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    for key in keys:
        label, pk = key.split(":")
        assert seals_of(historical.get_model, label, [int(pk)]) == seals_of(apps.get_model, label, [int(pk)])
    for module, function in BACKFILLS.items():
        getattr(import_module(module), function)(historical, None)
    assert audit_chain_verify().ok


def test_the_migrations_keep_their_own_field_lists(village: Village) -> None:
    """A later change to villagegov.seals's field lists does not change what the migrations seal."""
    rows_made_final_with_the_models(village)
    with mock.patch.dict(FIELDS, {name: ("id",) for name in FIELDS}):
        for module, function in BACKFILLS.items():
            getattr(import_module(module), function)(apps, None)
    assert "every sealed row matches" in verify()
    for module in BACKFILLS:
        frozen = import_module(module).SEALED_FIELDS
        assert frozen == {name: FIELDS[name] for name in frozen}  # today they agree


def test_a_row_sealed_by_the_backfill_then_changed_is_named(village: Village) -> None:
    rows_made_final_with_the_models(village)
    seals_backfill(apps.get_model, LABELS, FIELDS)
    signed = SignOff.objects.get()
    tamper(
        "UPDATE supervision_signoff SET reason = %s WHERE id = %s", ["改", signed.pk], "supervision_signoff"
    )
    assert f"supervision.signoff #{signed.pk} (row): row altered" in verify_fails()


def test_the_audit_page_shows_the_changed_row_and_hides_the_seals(
    village: Village, official_client: Client
) -> None:
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    voucher = voucher_post(
        actor=keeper_user(village), voucher=make_voucher(village, posted=False, day=date(2024, 3, 1))
    )
    table = Voucher._meta.db_table
    tamper(f"UPDATE {table} SET summary = %s WHERE id = %s", ["改", voucher.pk], table)
    audit_chain_check()
    response = official_client.get(reverse("audit_log", args=[village.admin_code]))
    page = response.content.decode()
    assert 'class="badge badge-bad"' in page
    assert f"changed after it was recorded: voucher (记账凭证) #{voucher.pk} (voucher)" in page
    assert "row altered" in page and "assets.voucher" not in page
    posting = next(entry for entry in response.context["entries"] if entry.record.action == "voucher.post")
    assert SEALS_KEY in posting.record.after
    assert all(SEALS_KEY not in change.field for change in posting.changes)


@pytest.mark.parametrize("label", LABELS)
def test_an_empty_database_has_nothing_to_seal(db: None, label: str) -> None:
    seals_backfill(apps.get_model, [label], FIELDS)
    assert not AuditRecord.objects.exists()


def test_another_villages_changed_row_is_not_named(village: Village, other_village: Village) -> None:
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    voucher = voucher_post(
        actor=keeper_user(village), voucher=make_voucher(village, posted=False, day=date(2024, 3, 1))
    )
    table = Voucher._meta.db_table
    tamper(f"UPDATE {table} SET summary = %s WHERE id = %s", ["改", voucher.pk], table)
    audit_chain_check()
    neighbour = make_person(other_village, name="何委员", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    client = client_for(neighbour)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("audit_log", args=[other_village.admin_code]))
    page = response.content.decode()
    assert response.context["changed_rows"] == []
    assert 'class="badge badge-bad"' in page and "verification failed" in page
    assert "a sealed record no longer matches the audit log." in page
    assert f"#{voucher.pk}" not in page and "row altered" not in page and "voucher" not in page


def test_a_row_made_final_while_verifying_is_left_to_the_next_run(village: Village) -> None:
    """The final rows are listed before the seals are read: a voucher posted in between (by
    another process, committed meanwhile) is not taken for a row missing from the log."""
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    draft = make_voucher(village, posted=False, day=date(2024, 3, 1))
    seal_what_builders_made()
    read_seals = audit._latest_seals

    def seals_then_a_post() -> dict[str, dict[str, audit.Seal]]:
        seals = read_seals()
        voucher_post(actor=keeper_user(village), voucher=draft)
        return seals

    with mock.patch.object(audit, "_latest_seals", seals_then_a_post):
        report = audit_chain_verify()
    assert (report.ok, report.broken_rows) == (True, ())
    assert audit_chain_verify().ok  # and the next run checks it
