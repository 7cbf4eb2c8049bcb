"""On PostgreSQL the database refuses to change or delete a recorded payment (posted vouchers
and their lines are guarded since 0002). Vouchers posted and payments recorded before seals were
kept are sealed in one audit record."""

from django.db import migrations

from villagegov.seals import seals_backfill

# The columns sealed, as villagegov.seals had them when this migration was written: frozen here so
# that later changes to that module do not change what this migration seals.
SEALED_FIELDS = {
    "assets.Voucher": (
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
    ),
    "assets.VoucherLine": ("id", "voucher_id", "position", "account_id", "summary", "debit", "credit"),
    "assets.Payment": (
        "id",
        "allocation_id",
        "amount",
        "paid_on",
        "method",
        "reference",
        "recorded_by_id",
        "recorded_at",
    ),
}

GUARDS = [
    """CREATE FUNCTION assets_payment_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% of a recorded payment refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER assets_payment_final BEFORE UPDATE OR DELETE ON assets_payment
       FOR EACH ROW EXECUTE FUNCTION assets_payment_refuse_change()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS assets_payment_final ON assets_payment",
    "DROP FUNCTION IF EXISTS assets_payment_refuse_change()",
]


def _run(schema_editor, statements):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        # No params: psycopg would read the % of RAISE messages as placeholders.
        schema_editor.execute(statement, params=None)


def guards_add(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, GUARDS)


def guards_remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, DROP)


def books_seal(apps, schema_editor):  # type: ignore[no-untyped-def]
    seals_backfill(apps.get_model, ["assets.voucher", "assets.payment"], SEALED_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0004_plan_sum_within_half_a_fen"),
        ("villagegov", "0008_audit_log_append_only_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(guards_add, guards_remove),
        migrations.RunPython(books_seal, migrations.RunPython.noop),
    ]
