#!/usr/bin/env bash
# Back up villagegov: the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT,
# tar), both named with the date and time, into one directory. Run it nightly (cron or a systemd
# timer) as a user that can read MEDIA_ROOT and connect to the database, with the site's settings:
#
#   set -a; . /etc/villagegov/env; set +a; /srv/villagegov/app/deploy/backup.sh /var/backups/villagegov
#
# Environment: DATABASE_URL (postgres://user:password@host:port/name), MEDIA_ROOT;
# KEEP_DAYS (optional): delete this directory's backups older than that many days.
# Copy the directory to another machine as well: a backup on the server's own disk dies with it.
#
# Restore (into a new database, then switch over):
#   1. Stop the site:         systemctl stop 'villagegov-daphne@*'
#   2. A fresh database:      createdb -h HOST -U postgres -O villagegov villagegov_restored
#   3. The dump into it:      pg_restore -h HOST -U postgres --no-owner --role=villagegov \
#                                 --exit-on-error -d villagegov_restored villagegov-db-YYYYmmdd-HHMMSS.dump
#   4. The files:             tar -C "$(dirname "$MEDIA_ROOT")" -xzf villagegov-media-YYYYmmdd-HHMMSS.tar.gz
#                             (it holds the MEDIA_ROOT directory itself; move the current one aside first)
#   5. Point DATABASE_URL at villagegov_restored (/etc/villagegov/env), then, as the app's user:
#        python manage.py migrate --noinput        # a no-op unless the code is newer than the dump
#        python manage.py verify_audit_log         # the audit chain must be intact: "N records checked"
#   6. Start the site:        systemctl start villagegov-daphne@1 villagegov-daphne@2
# Rehearse it now and then on another machine: a backup never restored is a hope, not a backup.
# villagegov/tests/test_backup_restore_postgres.py runs this script (DATABASE_URL and MEDIA_ROOT
# of a test village, a temporary directory as the argument) and steps 2, 3 and 5 on its dump.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set (source the site's environment file)}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set (source the site's environment file)}"
dest="${1:-/var/backups/villagegov}"
stamp="$(date +%Y%m%d-%H%M%S)"
database="$dest/villagegov-db-$stamp.dump"
media="$dest/villagegov-media-$stamp.tar.gz"

umask 077  # the dump holds every villager's data
mkdir -p "$dest"

# Written under a temporary name, renamed once complete: a half-written file never looks like a backup.
pg_dump --format=custom --no-owner --file="$database.partial" --dbname="$DATABASE_URL"
pg_restore --list "$database.partial" >/dev/null  # readable, and a complete archive
mv "$database.partial" "$database"

if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$(dirname "$MEDIA_ROOT")" -czf "$media.partial" "$(basename "$MEDIA_ROOT")"
else
  echo "note: MEDIA_ROOT $MEDIA_ROOT does not exist yet (nothing uploaded); archiving nothing" >&2
  tar -czf "$media.partial" --files-from /dev/null
fi
mv "$media.partial" "$media"

if [ -n "${KEEP_DAYS:-}" ]; then
  find "$dest" -maxdepth 1 -type f -name 'villagegov-*' -mtime +"$KEEP_DAYS" -delete
fi

echo "$database"
echo "$media"
