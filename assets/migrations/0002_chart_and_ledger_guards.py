"""Every existing village gets its collective and the 2023 chart's first-level accounts; the
database refuses to change a posted voucher or its lines (both backends) and, on PostgreSQL,
checks at commit that each voucher's lines sum to its totals."""

from django.db import migrations

from assets.chart import FIRST_LEVEL

IMMUTABLE_SQLITE = [
    """CREATE TRIGGER assets_voucher_posted_no_update BEFORE UPDATE ON assets_voucher
       WHEN OLD.state = 'posted' BEGIN SELECT RAISE(ABORT, 'a posted voucher cannot be changed'); END""",
    """CREATE TRIGGER assets_voucher_posted_no_delete BEFORE DELETE ON assets_voucher
       WHEN OLD.state = 'posted' BEGIN SELECT RAISE(ABORT, 'a posted voucher cannot be deleted'); END""",
    """CREATE TRIGGER assets_line_posted_no_insert BEFORE INSERT ON assets_voucherline
       WHEN (SELECT state FROM assets_voucher WHERE id = NEW.voucher_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'a posted voucher cannot be changed'); END""",
    """CREATE TRIGGER assets_line_posted_no_update BEFORE UPDATE ON assets_voucherline
       WHEN (SELECT state FROM assets_voucher WHERE id = OLD.voucher_id) = 'posted'
         OR (SELECT state FROM assets_voucher WHERE id = NEW.voucher_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'a posted voucher cannot be changed'); END""",
    """CREATE TRIGGER assets_line_posted_no_delete BEFORE DELETE ON assets_voucherline
       WHEN (SELECT state FROM assets_voucher WHERE id = OLD.voucher_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'a posted voucher cannot be changed'); END""",
]
DROP_SQLITE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "assets_voucher_posted_no_update",
        "assets_voucher_posted_no_delete",
        "assets_line_posted_no_insert",
        "assets_line_posted_no_update",
        "assets_line_posted_no_delete",
    )
]

GUARDS_POSTGRESQL = [
    """CREATE FUNCTION assets_voucher_refuse_posted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.state = 'posted' THEN
            RAISE EXCEPTION 'a posted voucher cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER assets_voucher_posted_immutable BEFORE UPDATE OR DELETE ON assets_voucher
       FOR EACH ROW EXECUTE FUNCTION assets_voucher_refuse_posted()""",
    """CREATE FUNCTION assets_line_refuse_posted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM assets_voucher WHERE id = OLD.voucher_id AND state = 'posted'))
           OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM assets_voucher WHERE id = NEW.voucher_id AND state = 'posted')) THEN
            RAISE EXCEPTION 'a posted voucher cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER assets_line_posted_immutable BEFORE INSERT OR UPDATE OR DELETE ON assets_voucherline
       FOR EACH ROW EXECUTE FUNCTION assets_line_refuse_posted()""",
    # Debits equal credits: the voucher's totals are equal by a CHECK; this checks, at commit, that
    # the lines of every voucher touched sum to them.
    """CREATE FUNCTION assets_voucher_check_lines() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        target_id bigint;
        debits numeric;
        credits numeric;
        voucher_row record;
    BEGIN
        IF TG_TABLE_NAME = 'assets_voucher' THEN
            IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
            target_id := NEW.id;
        ELSIF TG_OP = 'DELETE' THEN
            target_id := OLD.voucher_id;
        ELSE
            target_id := NEW.voucher_id;
        END IF;
        SELECT debit_total, credit_total INTO voucher_row FROM assets_voucher WHERE id = target_id;
        IF NOT FOUND THEN RETURN NULL; END IF;
        SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) INTO debits, credits
            FROM assets_voucherline WHERE assets_voucherline.voucher_id = target_id;
        IF debits <> voucher_row.debit_total OR credits <> voucher_row.credit_total THEN
            RAISE EXCEPTION 'voucher %: lines (debits %, credits %) do not match its totals', target_id, debits, credits
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER assets_voucher_lines_balance AFTER INSERT OR UPDATE ON assets_voucher
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assets_voucher_check_lines()""",
    """CREATE CONSTRAINT TRIGGER assets_line_lines_balance AFTER INSERT OR UPDATE OR DELETE ON assets_voucherline
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assets_voucher_check_lines()""",
]
DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS assets_line_lines_balance ON assets_voucherline",
    "DROP TRIGGER IF EXISTS assets_voucher_lines_balance ON assets_voucher",
    "DROP FUNCTION IF EXISTS assets_voucher_check_lines()",
    "DROP TRIGGER IF EXISTS assets_line_posted_immutable ON assets_voucherline",
    "DROP FUNCTION IF EXISTS assets_line_refuse_posted()",
    "DROP TRIGGER IF EXISTS assets_voucher_posted_immutable ON assets_voucher",
    "DROP FUNCTION IF EXISTS assets_voucher_refuse_posted()",
]


def _run(schema_editor, statements):  # type: ignore[no-untyped-def]
    for statement in statements:
        # No params: psycopg would read the % of RAISE messages as placeholders.
        schema_editor.execute(statement, params=None)


def guards_add(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    _run(schema_editor, GUARDS_POSTGRESQL if vendor == "postgresql" else IMMUTABLE_SQLITE if vendor == "sqlite" else [])


def guards_remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    _run(schema_editor, DROP_POSTGRESQL if vendor == "postgresql" else DROP_SQLITE if vendor == "sqlite" else [])


def collectives_install(apps, schema_editor):  # type: ignore[no-untyped-def]
    Village = apps.get_model("villagegov", "Village")
    Collective = apps.get_model("assets", "Collective")
    Account = apps.get_model("assets", "Account")
    for village in Village.objects.all():
        Collective.objects.get_or_create(village=village, defaults={"name": f"{village.name}股份经济联合社"})
        present = set(Account.objects.filter(village=village).values_list("code", flat=True))
        Account.objects.bulk_create(
            Account(
                village=village,
                code=account.code,
                name=account.name,
                name_en=account.name_en,
                kind=account.kind,
                normal_side=account.normal_side,
            )
            for account in FIRST_LEVEL
            if account.code not in present
        )


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial"), ("villagegov", "0006_notification")]

    operations = [
        migrations.RunPython(collectives_install, migrations.RunPython.noop),
        migrations.RunPython(guards_add, guards_remove),
    ]
