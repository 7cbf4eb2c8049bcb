"""On PostgreSQL the database refuses to change or delete a signature or dissent on a review.
Those recorded before seals were kept are sealed in one audit record."""

from django.db import migrations

from villagegov.seals import seals_backfill

# The columns sealed, as villagegov.seals had them when this migration was written: frozen here so
# that later changes to that module do not change what this migration seals.
SEALED_FIELDS = {
    "supervision.SignOff": ("id", "review_id", "member_id", "decision", "reason", "signed_at"),
}

GUARDS = [
    """CREATE FUNCTION supervision_signoff_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% of a signature refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER supervision_signoff_final BEFORE UPDATE OR DELETE ON supervision_signoff
       FOR EACH ROW EXECUTE FUNCTION supervision_signoff_refuse_change()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS supervision_signoff_final ON supervision_signoff",
    "DROP FUNCTION IF EXISTS supervision_signoff_refuse_change()",
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


def sign_offs_seal(apps, schema_editor):  # type: ignore[no-untyped-def]
    seals_backfill(apps.get_model, ["supervision.signoff"], SEALED_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_distribution_review"),
        ("villagegov", "0008_audit_log_append_only_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(guards_add, guards_remove),
        migrations.RunPython(sign_offs_seal, migrations.RunPython.noop),
    ]
