#!/usr/bin/env bash
# Source this file: it makes sure a PostgreSQL server answers on loopback and exports
# SCIMKIT_TEST_POSTGRES, a connection URL to a scratch database the tests may fill and drop.
# Installs PostgreSQL from Debian's packages when no server is there.
set -euo pipefail

pg_url="postgres://scimkit:scimkit@127.0.0.1:5432/scimkit_test"

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! pg_up; then
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 100); do pg_up && break; sleep 0.2; done
fi
pg_up || { echo "PostgreSQL did not start"; exit 1; }

# A role with a password, so the loopback md5/scram rule of Debian's pg_hba.conf admits it.
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scimkit') THEN
    CREATE ROLE scimkit LOGIN PASSWORD 'scimkit' CREATEDB;
  END IF;
END $$;
SQL
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'scimkit_test'\"" | grep -q 1; then
  su postgres -c "createdb -O scimkit scimkit_test"
fi
export SCIMKIT_TEST_POSTGRES="$pg_url"
echo "PostgreSQL ready: SCIMKIT_TEST_POSTGRES=$pg_url"
