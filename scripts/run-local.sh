#!/usr/bin/env bash
# Starts one WabaRouter instance on $PORT (default 8080).
#
# With DATABASE_URL set it uses that database. Without it, it runs a private PostgreSQL
# cluster under .wabarouter/postgres that listens on a Unix socket only (no TCP port), and
# keeps a generated SECRET_KEY in .wabarouter/secret.key so stored API keys stay readable
# across restarts. PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` system user.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
state_dir="$root_dir/.wabarouter"
binary="$root_dir/.build/release/wabarouter"

if [ -n "${DATABASE_URL:-}" ]; then
    exec "$binary" serve
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql; run make deps." >&2
    exit 1
fi

data_dir="$state_dir/postgres"
socket_dir="$state_dir/run"
mkdir -p "$state_dir" "$socket_dir"
chmod 0700 "$state_dir"

as_db_user=()
if [ "$(id -u)" -eq 0 ]; then
    as_db_user=(runuser -u postgres --)
    # The postgres user must reach the folders on the way to the cluster.
    chmod o+x "$state_dir"
    chown postgres:postgres "$socket_dir"
fi

if [ ! -f "$data_dir/PG_VERSION" ]; then
    mkdir -p "$data_dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data_dir"
    fi
    "${as_db_user[@]}" "$pg_bin/initdb" -D "$data_dir" -U wabarouter --auth=trust \
        --encoding=UTF8 >"$state_dir/initdb.log"
fi

"${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$state_dir/postgres.log" -w \
    -o "-c listen_addresses='' -k $socket_dir" start >/dev/null
stop_postgres() {
    "${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop_postgres EXIT

if ! "$pg_bin/psql" -h "$socket_dir" -U wabarouter -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'wabarouter'" | grep -q 1; then
    "$pg_bin/createdb" -h "$socket_dir" -U wabarouter wabarouter
fi

if [ ! -f "$state_dir/secret.key" ]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$state_dir/secret.key")
fi

export DATABASE_URL="postgresql://wabarouter@/wabarouter?host=$socket_dir"
export SECRET_KEY="${SECRET_KEY:-$(cat "$state_dir/secret.key")}"
"$binary" serve &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
wait "$server_pid" || true
wait "$server_pid" 2>/dev/null || true
