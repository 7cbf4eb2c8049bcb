"""On PostgreSQL the database refuses to change or delete a secret ballot or a named ballot's
history, to delete a named ballot or a row of the roll, and to change either once its vote is
not open (while it is, a named ballot may be changed when the vote allows it, and the roll
records who voted). Votes closed before seals were kept are sealed in one audit record."""

from django.db import migrations

from villagegov.seals import seals_backfill

# The columns sealed, as villagegov.seals had them when this migration was written: frozen here so
# that later changes to that module do not change what this migration seals.
SEALED_FIELDS = {
    "consultations.Poll": (
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
    ),
    "consultations.PollOption": ("id", "poll_id", "position", "label", "answer", "candidate_id", "elected"),
    "consultations.Ballot": ("id", "poll_id", "voter_id", "cast_by_id", "choices", "cast_at", "client_id"),
    "consultations.BallotChange": ("id", "ballot__poll_id", "ballot_id", "previous_choices", "changed_at"),
    "consultations.SecretBallot": ("id", "poll_id", "choices"),
    "consultations.PollVoter": ("poll_id", "person_id", "proxy_holder_id", "has_voted"),
}

GUARDS = [
    """CREATE FUNCTION consultations_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% of % refused: ballots are final', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE FUNCTION consultations_refuse_unless_open() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND (SELECT state FROM consultations_poll WHERE id = OLD.poll_id) = 'open' THEN
            -- The poll is looked up again only for a row moved to another poll.
            IF NEW.poll_id = OLD.poll_id THEN
                RETURN NEW;
            END IF;
            IF (SELECT state FROM consultations_poll WHERE id = NEW.poll_id) = 'open' THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '% of % refused: the vote is not open', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER consultations_secretballot_final BEFORE UPDATE OR DELETE ON consultations_secretballot
       FOR EACH ROW EXECUTE FUNCTION consultations_refuse_change()""",
    """CREATE TRIGGER consultations_ballotchange_final BEFORE UPDATE OR DELETE ON consultations_ballotchange
       FOR EACH ROW EXECUTE FUNCTION consultations_refuse_change()""",
    """CREATE TRIGGER consultations_ballot_while_open BEFORE UPDATE OR DELETE ON consultations_ballot
       FOR EACH ROW EXECUTE FUNCTION consultations_refuse_unless_open()""",
    """CREATE TRIGGER consultations_pollvoter_while_open BEFORE UPDATE OR DELETE ON consultations_pollvoter
       FOR EACH ROW EXECUTE FUNCTION consultations_refuse_unless_open()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS consultations_pollvoter_while_open ON consultations_pollvoter",
    "DROP TRIGGER IF EXISTS consultations_ballot_while_open ON consultations_ballot",
    "DROP TRIGGER IF EXISTS consultations_ballotchange_final ON consultations_ballotchange",
    "DROP TRIGGER IF EXISTS consultations_secretballot_final ON consultations_secretballot",
    "DROP FUNCTION IF EXISTS consultations_refuse_unless_open()",
    "DROP FUNCTION IF EXISTS consultations_refuse_change()",
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


def closed_polls_seal(apps, schema_editor):  # type: ignore[no-untyped-def]
    seals_backfill(apps.get_model, ["consultations.poll"], SEALED_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_ballot_intake"),
        ("villagegov", "0008_audit_log_append_only_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(guards_add, guards_remove),
        migrations.RunPython(closed_polls_seal, migrations.RunPython.noop),
    ]
