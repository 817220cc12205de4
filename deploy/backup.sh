#!/bin/sh
# A consistent backup of par-index: the read model, both Temporal databases and
# the evidence files (deploy/README.md, "Backups"). Take it with the API, the
# workers and the Temporal server STOPPED: the read model and Temporal's history
# must describe the same moment, or a step projected after the read model's dump
# but before Temporal's would be missing from the restored read model.
# The connection comes from the usual libpq variables (PGHOST, PGPORT, PGUSER,
# PGPASSWORD) of a role that may read all three databases.
#
#   BACKUP_DIR=/var/backups/par-index/$(date +%F) DATA_DIR=/var/lib/par-index sh deploy/backup.sh
set -eu
: "${BACKUP_DIR:?BACKUP_DIR is required}"
: "${DATA_DIR:?DATA_DIR is required (the app setting: evidence files live in DATA_DIR/evidence)}"
PAR_DB="${PAR_DB:-par}"
TEMPORAL_DB="${TEMPORAL_DB:-temporal}"
TEMPORAL_VISIBILITY_DB="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"

mkdir -p "$BACKUP_DIR"
# Files are named by role, not by database name, so restore.sh can put them into databases of any name.
pg_dump -Fc --no-owner -f "$BACKUP_DIR/par.dump" "$PAR_DB"
pg_dump -Fc --no-owner -f "$BACKUP_DIR/temporal.dump" "$TEMPORAL_DB"
pg_dump -Fc --no-owner -f "$BACKUP_DIR/temporal_visibility.dump" "$TEMPORAL_VISIBILITY_DB"
if [ -d "$DATA_DIR/evidence" ]; then
  tar -C "$DATA_DIR" -czf "$BACKUP_DIR/evidence.tar.gz" evidence
else
  # No file uploaded yet. DATA_DIR may be mounted read-only (the compose backup service):
  # archive an empty evidence folder made elsewhere, so a restore always finds one.
  empty="$(mktemp -d)"
  mkdir "$empty/evidence"
  tar -C "$empty" -czf "$BACKUP_DIR/evidence.tar.gz" evidence
  rm -r "$empty"
fi
echo "backup written to $BACKUP_DIR: $(ls "$BACKUP_DIR" | tr '\n' ' ')"
