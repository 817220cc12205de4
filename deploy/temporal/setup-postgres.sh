#!/bin/sh
# One-shot schema step for Temporal's Postgres persistence (the `temporal-schema`
# service in docker-compose.yml; runs in the temporalio/admin-tools image, which
# ships psql, pg_isready and temporal-sql-tool). Safe to run on every start:
#   - the Temporal role and its two databases are created only when missing;
#   - setup-schema -v 0.0 skips a database that already has a newer version;
#   - update-schema applies only the versions not applied yet, which is also how
#     the schema follows a Temporal server upgrade.
# The role gets no CREATEDB or superuser rights: an admin creates its databases
# with it as owner, and temporal-sql-tool then works as that owner.
set -eu

: "${POSTGRES_HOST:?POSTGRES_HOST is required}"
: "${POSTGRES_ADMIN_USER:?POSTGRES_ADMIN_USER is required}"
: "${POSTGRES_ADMIN_PASSWORD:?POSTGRES_ADMIN_PASSWORD is required}"
: "${TEMPORAL_DB_USER:?TEMPORAL_DB_USER is required}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is required}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
TEMPORAL_DB="${TEMPORAL_DB:-temporal}"
TEMPORAL_VISIBILITY_DB="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"

echo "Waiting for Postgres at ${POSTGRES_HOST}:${POSTGRES_PORT}..."
attempt=1
until pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; do
  if [ "$attempt" -ge 60 ]; then
    echo "Postgres did not become ready" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

echo "Ensuring role ${TEMPORAL_DB_USER} and databases ${TEMPORAL_DB}, ${TEMPORAL_VISIBILITY_DB}..."
# psql variables (:'name' is a quoted literal) keep the values out of the SQL
# text; \gexec runs each generated statement on its own, which CREATE DATABASE
# needs (it cannot run inside a transaction block).
PGPASSWORD="$POSTGRES_ADMIN_PASSWORD" psql \
  -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_ADMIN_USER" -d postgres \
  -v ON_ERROR_STOP=1 -q \
  -v role="$TEMPORAL_DB_USER" -v pw="$TEMPORAL_DB_PASSWORD" \
  -v db="$TEMPORAL_DB" -v visdb="$TEMPORAL_VISIBILITY_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
-- Re-applied on every run so TEMPORAL_DB_PASSWORD stays the source of truth.
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'role')
  FROM unnest(ARRAY[:'db', :'visdb']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL

# temporal-sql-tool reads the password from SQL_PASSWORD (same as --pw), which
# keeps it out of the process list. Its default port is MySQL's, so -p is needed.
export SQL_PASSWORD="$TEMPORAL_DB_PASSWORD"
sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_HOST" -p "$POSTGRES_PORT" \
    -u "$TEMPORAL_DB_USER" "$@"
}

# --schema-name picks the schema embedded in the tool, so it always matches the
# admin-tools version (keep that tag equal to the server's).
sql_tool --db "$TEMPORAL_DB" setup-schema -v 0.0
sql_tool --db "$TEMPORAL_DB" update-schema --schema-name postgresql/v12/temporal
sql_tool --db "$TEMPORAL_VISIBILITY_DB" setup-schema -v 0.0
sql_tool --db "$TEMPORAL_VISIBILITY_DB" update-schema --schema-name postgresql/v12/visibility

echo "Temporal schema is up to date."
