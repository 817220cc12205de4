#!/bin/sh
# Restores a backup.sh backup into NEW databases and an empty DATA_DIR, as a
# superuser (PGHOST, PGPORT, PGUSER, PGPASSWORD). The databases must not exist:
# the script never overwrites. Each gets its owner role (which must exist, as
# after deploy/read-model.sql and deploy/temporal/setup-postgres.sh) and every
# restored object is created as that role. Then start the Temporal server, the
# workers and the API against them (same TEMPORAL_NUM_HISTORY_SHARDS as before).
#
#   BACKUP_DIR=… DATA_DIR=/var/lib/par-index PAR_DB=par PAR_ROLE=par \
#     TEMPORAL_DB=temporal TEMPORAL_VISIBILITY_DB=temporal_visibility TEMPORAL_ROLE=temporal sh deploy/restore.sh
set -eu
: "${BACKUP_DIR:?BACKUP_DIR is required}"
: "${DATA_DIR:?DATA_DIR is required}"
PAR_DB="${PAR_DB:-par}"
PAR_ROLE="${PAR_ROLE:-par}"
TEMPORAL_DB="${TEMPORAL_DB:-temporal}"
TEMPORAL_VISIBILITY_DB="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"
TEMPORAL_ROLE="${TEMPORAL_ROLE:-temporal}"

restore() { # DUMP DATABASE ROLE
  createdb --owner="$3" "$2"
  pg_restore --exit-on-error --no-owner --role="$3" -d "$2" "$BACKUP_DIR/$1.dump"
}
restore par "$PAR_DB" "$PAR_ROLE"
restore temporal "$TEMPORAL_DB" "$TEMPORAL_ROLE"
restore temporal_visibility "$TEMPORAL_VISIBILITY_DB" "$TEMPORAL_ROLE"
# Temporal finds its schema version by the database's name (schema_version.db_name);
# under a new name the server would refuse to start ("unable to read DB schema version").
for db in "$TEMPORAL_DB" "$TEMPORAL_VISIBILITY_DB"; do
  psql -v ON_ERROR_STOP=1 -q -d "$db" -c "UPDATE schema_version SET db_name = current_database()"
done
mkdir -p "$DATA_DIR"
tar -C "$DATA_DIR" -xzf "$BACKUP_DIR/evidence.tar.gz"
echo "restored $PAR_DB, $TEMPORAL_DB, $TEMPORAL_VISIBILITY_DB and $DATA_DIR/evidence from $BACKUP_DIR"
