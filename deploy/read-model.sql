-- The read model's role and database (deploy/README.md, "Temporal without
-- Docker" step 5; the production twin runs this same file). As a Postgres superuser:
--
--   psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 \
--        -v role=par -v db=par -v pw='change-me' -f deploy/read-model.sql
--
-- The role owns its database, so the migrations can create their tables in its
-- public schema (Postgres 15+ gives a new database's public schema to its owner);
-- it gets no superuser or CREATEDB rights.
CREATE ROLE :"role" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"role";
