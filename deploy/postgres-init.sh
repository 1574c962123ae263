#!/usr/bin/env bash
# The services' databases with least privilege: <service>_owner owns the database and runs the
# migrations, <service>_app is what the service signs in as (it may not change the schema, and
# projection_app may only append to the journal). Neither is a superuser. Passwords from the environment.
set -euo pipefail
for service in ledger projection; do
  upper=${service^^}
  owner_password_var="DB_${upper}_OWNER_PASSWORD"
  app_password_var="DB_${upper}_APP_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" \
       -v owner="${service}_owner" -v app="${service}_app" -v db="$service" \
       -v owner_password="${!owner_password_var}" -v app_password="${!app_password_var}" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE :"db" OWNER :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
SQL
done
