"""On PostgreSQL the database itself refuses to change or delete an audit record, or to delete
the chain's head (its owner can still switch the triggers off: the chain then reports what was
changed). TRUNCATE, which fires no row trigger, stays the owner's (and the test runner's)."""

from django.db import migrations

GUARDS = [
    """CREATE FUNCTION villagegov_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% of % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER villagegov_auditrecord_append_only BEFORE UPDATE OR DELETE ON villagegov_auditrecord
       FOR EACH ROW EXECUTE FUNCTION villagegov_refuse_change()""",
    """CREATE TRIGGER villagegov_auditchainhead_kept BEFORE DELETE ON villagegov_auditchainhead
       FOR EACH ROW EXECUTE FUNCTION villagegov_refuse_change()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS villagegov_auditchainhead_kept ON villagegov_auditchainhead",
    "DROP TRIGGER IF EXISTS villagegov_auditrecord_append_only ON villagegov_auditrecord",
    "DROP FUNCTION IF EXISTS villagegov_refuse_change()",
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


class Migration(migrations.Migration):
    dependencies = [("villagegov", "0007_auditverification_broken_row")]

    operations = [migrations.RunPython(guards_add, guards_remove)]
