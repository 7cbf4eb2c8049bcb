"""Pages at village scale (issue 6, part 3): how long the busiest pages take, and how many
queries they cost, in a village of thousands.

    .venv/bin/python bench/pages.py                          # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/pages.py                      # PostgreSQL

With DATABASE_URL naming PostgreSQL it uses a database of its own, `villagegov_bench_pages` on
the same server (dropped and created anew; never the one named in DATABASE_URL). It migrates,
loads the demo village (seed_demo: 988 people) and adds to it (bench/support/pages_data.py) a
villagers' assembly (村民会议) of 2,000 present with 50 agenda items, 20 closed votes (everyone
voting, through the services), an open one and 40 speakers waiting, and 500 disclosure items,
300 reviews, 1,000 findings and 50 questions past due, 10,000 posted vouchers over last year and
this one, and members up to 5,000 on the share register with this year's distribution plan
drafted and published among them. Then, in this process, with production
settings (DEBUG off, persistent connections) and Django's test Client, it GETs each page once to
warm it, counts its queries, and times --runs more requests: the median, the fastest and the
slowest. On PostgreSQL it runs ANALYZE first, as autovacuum would after such a load (unless
--no-analyze). Output: one JSON line (`BENCH {...}`) and a table. Options: --runs, --json FILE,
--conn-max-age S, --no-analyze, --small (a tenth of the data, the same attendees, for a quick look).
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "villagegov_bench_pages"

# name: (URL name, extra query string, who reads it)
PAGES: dict[str, tuple[str, str, str]] = {
    "session page": ("session_detail", "", "villager"),
    "live fragment": ("session_live", "", "villager"),
    "hall screen": ("session_hall", "", "chair"),
    "hall fragment": ("session_live", "?view=hall", "chair"),
    "disclosure board": ("disclosure_board", "", "anonymous"),
    "disclosure schedule": ("disclosure_schedule", "", "anonymous"),
    "supervision dashboard": ("supervision_dashboard", "", "supervisor"),
    "review list": ("review_list", "", "supervisor"),
    "finding list": ("finding_list", "", "supervisor"),
    "collective dashboard": ("collective_dashboard", "", "accountant"),
    "voucher list": ("voucher_list", "", "accountant"),
    "trial balance": ("trial_balance", "", "accountant"),
    "income statement": ("income_statement", "?year={year}", "accountant"),
    "account ledger": ("account_detail", "", "accountant"),
    # The newest lines, which the accountant reads most: past the last page, Paginator.get_page
    # gives the last one; its running balance starts from the sum of every line before the page.
    "account ledger, last page": ("account_detail", "?page=99999", "accountant"),
    "distribution table": ("distribution_detail", "", "accountant"),
    "distribution export CSV": ("distribution_export", "?format=csv", "accountant"),
}
# The URL's arguments after the village's code: which of the built objects the page shows.
OBJECT_ARGS = {
    "session_detail": "session_id",
    "session_live": "session_id",
    "session_hall": "session_id",
    "account_detail": "account_id",
    "distribution_detail": "plan_id",
    "distribution_export": "plan_id",
}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9, help="timed requests per page (default 9)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result to this file")
    parser.add_argument("--conn-max-age", default="60", help="DATABASE_CONN_MAX_AGE (default 60)")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="on PostgreSQL, measure before ANALYZE (fresh bulk-loaded tables, no planner statistics)",
    )
    parser.add_argument("--small", action="store_true", help="a tenth of the data (a quick look)")
    return parser.parse_args()


def environment(args: argparse.Namespace, workdir: Path) -> tuple[str, dict[str, str]]:
    """The backend's name and the environment of this process (and of `migrate`)."""
    env = dict(os.environ)
    database_url = env.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        backend = "postgresql"
        parts = urlsplit(database_url)
        if parts.path.strip("/") == BENCH_DB:
            raise SystemExit("DATABASE_URL names the bench database itself; give the usual one")
        admin = urlunsplit(parts._replace(path="/postgres"))
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {BENCH_DB}")
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + BENCH_DB))
    else:
        backend = "sqlite"
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'pages.sqlite3'}"
    env.pop("REDIS_URL", None)  # pages only: the in-memory layer and cache
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "villagegov.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_hex(24),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
            "MEDIA_ROOT": str(workdir / "media"),
            "VILLAGEGOV_SMS_BACKEND": "disabled",
            "VILLAGEGOV_REQUIRE_MFA": "0",  # officials' pages, not the authenticator set-up
            "PYTHONPATH": str(ROOT),
        }
    )
    return backend, env


def measure(client: Any, url: str, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url)  # templates, translations, content types, the login session
    if warm.status_code != 200:
        raise RuntimeError(f"{url} answered {warm.status_code}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    queries = len(captured.captured_queries)  # now: the next request's reset_queries empties the log
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return {
        "queries": queries,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "kb": round(len(response.content) / 1024, 1),
    }


def run(built: Any, runs: int) -> dict[str, dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    User = get_user_model()
    clients: dict[str, Any] = {"anonymous": Client()}
    for who, user_id in (
        ("villager", built.villager_user_id),
        ("chair", built.chair_user_id),
        ("supervisor", built.supervisor_user_id),
        ("accountant", built.accountant_user_id),
    ):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(pk=user_id))
    from django.utils import timezone

    results = {}
    for name, (url_name, query, who) in PAGES.items():
        args: list[Any] = [built.village_code]
        if url_name in OBJECT_ARGS:
            args.append(getattr(built, OBJECT_ARGS[url_name]))
        url = reverse(url_name, args=args) + query.format(year=timezone.localdate().year)
        results[name] = measure(clients[who], url, runs)
    return results


def table(report: dict[str, Any]) -> str:
    lines = [
        f"pages at village scale — {report['backend']}, in-process, DEBUG off, {report['machine']}",
        "data: " + ", ".join(f"{key} {value}" for key, value in report["data"].items()),
        f"{'page':28}{'queries':>9}{'median ms':>11}{'min ms':>9}{'max ms':>9}{'KB':>8}",
    ]
    for name, row in report["pages"].items():
        lines.append(
            f"{name:28}{row['queries']:>9}{row['median_ms']:>11.1f}{row['min_ms']:>9.1f}"
            f"{row['max_ms']:>9.1f}{row['kb']:>8.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    load_before = [round(x, 2) for x in os.getloadavg()]
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        bench(args, workdir, load_before)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the SQLite file (PostgreSQL's database stays)


def bench(args: argparse.Namespace, workdir: Path, load_before: list[float]) -> None:
    backend, env = environment(args, workdir)
    os.environ.update(env)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    migrate_s = time.perf_counter() - started
    import django

    django.setup()
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here

    logging.getLogger("villagegov.sms").setLevel(logging.ERROR)  # the demo's SMS, not sent
    from django.test.utils import override_settings

    from bench.support.pages_data import Scale, build
    from bench.vote_storm import machine

    scale = Scale()
    if args.small:
        tenth = {key: max(1, value // 10) for key, value in vars(scale).items() if key != "attendees"}
        scale = Scale(**tenth)  # the attendees stay: fewer would not make the quorum
    started = time.perf_counter()
    built = build(scale)
    build_s = time.perf_counter() - started
    analyzed = backend == "postgresql" and not args.no_analyze
    if analyzed:
        # What autovacuum does within a minute of a bulk load; without statistics the planner
        # takes the 2,988 people for one row and a quorum count costs 90 ms instead of 0.2 ms.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Production serves static files through whitenoise's manifest (collectstatic); here the
    # plain storage names them, which costs the same per page and needs no collectstatic.
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        pages = run(built, args.runs)
    report: dict[str, Any] = {
        "bench": "pages",
        "backend": backend,
        "machine": machine(),
        "runs": args.runs,
        "conn_max_age": args.conn_max_age,
        "analyzed": analyzed,
        "migrate_s": round(migrate_s, 1),
        "build_s": round(build_s, 1),
        "build_parts_s": built.seconds,
        "load_average_before": load_before,
        "data": built.counts,
        "pages": pages,
    }
    line = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    print("BENCH " + line)
    print(table(report))
    if args.json:
        args.json.write_text(line + "\n")


if __name__ == "__main__":
    main()
