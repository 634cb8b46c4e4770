#!/usr/bin/env bash
# Starts one WabaRouter instance on $PORT (default 8080), or runs another `wabarouter` command
# against the same database:
#
#   scripts/run-local.sh                              start the server (what `make run` does)
#   scripts/run-local.sh tenant create --name Acme    run `wabarouter tenant create --name Acme`
#
# With DATABASE_URL set it uses that database. Without it, it runs a private PostgreSQL
# cluster under .wabarouter/postgres that listens on a Unix socket only (no TCP port), and
# keeps a generated SECRET_KEY in .wabarouter/secret.key so stored API keys stay readable
# across restarts. PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` system user.
#
# A command other than `serve` applies pending migrations first, so it also works on a cluster
# that `make run` never started. It reuses the cluster of a running `make run`, and otherwise
# starts the cluster for the command and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
state_dir="$root_dir/.wabarouter"
binary="$root_dir/.build/release/wabarouter"
command=("${@:-serve}")

# Runs a command other than `serve`, after the migrations that its tables may need.
run_command() {
    if [ "${command[0]}" != "migrate" ]; then
        LOG_LEVEL=warning "$binary" migrate >/dev/null
    fi
    "$binary" "${command[@]}"
}

if [ -n "${DATABASE_URL:-}" ]; then
    if [ "${command[0]}" = "serve" ]; then
        exec "$binary" serve
    fi
    run_command
    exit
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql; run make deps." >&2
    exit 1
fi

data_dir="$state_dir/postgres"
socket_dir="$state_dir/run"
# The server writes its log itself, as the cluster owner, so the log lives in a folder that
# owner can create files in.
log_dir="$state_dir/log"
mkdir -p "$state_dir" "$socket_dir" "$log_dir"
chmod 0700 "$state_dir"

as_db_user=()
if [ "$(id -u)" -eq 0 ]; then
    as_db_user=(runuser -u postgres --)
    # The postgres user must reach the folders on the way to the cluster.
    chmod o+x "$state_dir"
    chown postgres:postgres "$socket_dir" "$log_dir"
    if ! runuser -u postgres -- test -x "$state_dir"; then
        blocked="$state_dir"
        folder=$(dirname "$state_dir")
        while [ "$folder" != "/" ]; do
            if ! runuser -u postgres -- test -x "$folder"; then
                blocked="$folder"
            fi
            folder=$(dirname "$folder")
        done
        echo "run-local: the postgres user cannot enter $blocked, so the embedded PostgreSQL" \
            "cannot use $state_dir. Run 'chmod o+x $blocked', clone into a folder others" \
            "can enter, or set DATABASE_URL to a server of your own." >&2
        exit 1
    fi
fi

if [ ! -f "$data_dir/PG_VERSION" ]; then
    mkdir -p "$data_dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data_dir"
    fi
    "${as_db_user[@]}" "$pg_bin/initdb" -D "$data_dir" -U wabarouter --auth=trust \
        --encoding=UTF8 >"$state_dir/initdb.log"
fi

started_postgres=""
stop_postgres() {
    if [ -n "$started_postgres" ]; then
        "${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 ||
            true
    fi
}
trap stop_postgres EXIT

# pg_ctl status exits with 0 while a server runs on this data folder, such as the one of a
# `make run` in another terminal.
if ! "${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    if ! "${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_dir/postgres.log" -w \
        -o "-c listen_addresses='' -k $socket_dir" start >/dev/null; then
        echo "PostgreSQL failed to start; see $log_dir/postgres.log." >&2
        exit 1
    fi
    started_postgres="yes"
fi

if ! "$pg_bin/psql" -h "$socket_dir" -U wabarouter -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'wabarouter'" | grep -q 1; then
    "$pg_bin/createdb" -h "$socket_dir" -U wabarouter wabarouter
fi

if [ ! -f "$state_dir/secret.key" ]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$state_dir/secret.key")
fi

export DATABASE_URL="postgresql://wabarouter@/wabarouter?host=$socket_dir"
export SECRET_KEY="${SECRET_KEY:-$(cat "$state_dir/secret.key")}"

if [ "${command[0]}" != "serve" ]; then
    run_command
    exit
fi

"$binary" serve &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
wait "$server_pid" || true
wait "$server_pid" 2>/dev/null || true
