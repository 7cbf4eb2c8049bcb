"""The backup is restored as README and deploy/backup.sh describe: the script dumps a small demo
village (the database with pg_dump, the uploads with tar), pg_restore loads the dump into a
fresh database, every table holds as many rows as the original, and `manage.py
verify_audit_log` run against the copy finds the audit chain and the rows it seals intact."""

import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from villagegov.models import AuditRecord
from villagegov.testing import default_rule_set

BASE_DIR = Path(__file__).resolve().parents[2]
BACKUP = BASE_DIR / "deploy" / "backup.sh"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL only"
    ),
]


def database_url(name: str) -> str:
    """The test database's server and account, with another database's name."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            row = database.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def run(command: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command,
        cwd=BASE_DIR,
        env=os.environ | environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database of a name of its own on the test server, dropped afterwards."""
    name = f"restored_{uuid.uuid4().hex[:12]}"
    server = database_url("postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url(name)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_backup_restores_into_a_fresh_database_intact(tmp_path: Path, fresh_database: str) -> None:
    # The demo in small (its sessions, ballots, books and payments; the full village takes minutes).
    default_rule_set()  # an earlier transactional test's flush removed the shipped rule sets
    call_command("seed_demo", "--households", "30", "--force", stdout=StringIO())  # DEBUG is off in tests
    records = AuditRecord.objects.count()
    assert records > 0
    media = tmp_path / "media"
    (media / "topics").mkdir(parents=True)
    (media / "topics" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    original = database_url(connection.settings_dict["NAME"])

    written = run(
        ["bash", str(BACKUP), str(tmp_path / "backups")], DATABASE_URL=original, MEDIA_ROOT=str(media)
    )
    dump, archive = (Path(line) for line in written.stdout.split())
    run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", fresh_database, str(dump)])

    counts = row_counts(fresh_database)
    assert counts == row_counts(original)
    assert counts["villagegov_auditrecord"] == records
    verified = run([sys.executable, "manage.py", "verify_audit_log"], DATABASE_URL=fresh_database)
    assert f"{records} records checked; the chain is intact" in verified.stdout
    with tarfile.open(archive) as files:
        assert "media/topics/photo.png" in files.getnames()
