#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL cluster for the test suites.
#
#   scripts/test-postgres.sh start DIR   initdb a cluster in DIR (empty or missing), start it on a
#                                        free port of 127.0.0.1 and print its URL on stdout:
#                                        postgresql://wabarouter@127.0.0.1:PORT/wabarouter_test
#   scripts/test-postgres.sh stop DIR    stop that cluster (pg_ctl stop -m fast) and remove DIR
#
# Stdout carries only the URL. Progress and server output go to stderr and DIR/postgres.log.
# The cluster trusts every local and loopback connection, so it is for tests only.
# As root the cluster runs as the `postgres` system user, because PostgreSQL refuses root.
# PG_BIN overrides the directory of initdb, pg_ctl, pg_isready and psql.
set -euo pipefail

readonly role_name="wabarouter"
readonly database_name="wabarouter_test"
readonly marker_name=".test-postgres-cluster"
readonly max_start_attempts=5

log() {
    echo "test-postgres: $*" >&2
}

fail() {
    log "$*"
    exit 1
}

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

# Picks the server binaries: PG_BIN, then the newest /usr/lib/postgresql/N/bin, then PATH.
find_bin_dir() {
    if [[ -n "${PG_BIN:-}" ]]; then
        echo "$PG_BIN"
        return
    fi
    local candidate newest
    # Version sort, so that 15 wins over 9.6.
    newest="$(
        for candidate in /usr/lib/postgresql/*/bin; do
            if [[ -x "$candidate/initdb" ]]; then echo "$candidate"; fi
        done | sort -V | tail -n 1
    )"
    if [[ -n "$newest" ]]; then
        echo "$newest"
        return
    fi
    local initdb_path
    initdb_path="$(command -v initdb || true)"
    [[ -n "$initdb_path" ]] || fail "initdb not found; install PostgreSQL or set PG_BIN"
    dirname "$(readlink -f "$initdb_path")"
}

# Runs a server command as the cluster owner: `postgres` when this script runs as root.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now.
pick_free_port() {
    local attempt port
    for attempt in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return
        fi
    done
    fail "no free TCP port found on 127.0.0.1 after 50 tries"
}

# Stops the server of the cluster in DIR when its postmaster.pid shows it may be running.
stop_server() {
    local bin_dir="$1" dir="$2"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bin_dir/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait >&2 \
            || log "pg_ctl stop failed for $dir/data"
    fi
}

start_cluster() {
    local dir="$1"
    local bin_dir
    bin_dir="$(find_bin_dir)"

    if [[ -e "$dir" && -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
        fail "$dir is not empty; pass a new or empty directory, or run '$0 stop $dir' first"
    fi
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd -P)"
    touch "$dir/$marker_name"

    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' system user"
        chown -R postgres: "$dir"
        # The server opens files below DIR, so every parent directory must be searchable by it.
        runuser -u postgres -- test -x "$dir" \
            || fail "user postgres cannot reach $dir; pick a directory under /tmp"
    fi

    local locale="C"
    if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then
        locale="C.UTF-8"
    fi

    log "initdb in $dir/data with $bin_dir"
    as_owner "$bin_dir/initdb" \
        --pgdata="$dir/data" \
        --username=postgres \
        --auth=trust \
        --encoding=UTF8 \
        --locale="$locale" \
        --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; fail "initdb failed; see the output above"; }

    local attempt port started=""
    for attempt in $(seq 1 "$max_start_attempts"); do
        port="$(pick_free_port)"
        log "starting on 127.0.0.1:$port (attempt $attempt of $max_start_attempts)"
        # Another process may take the port between the check and the start, so retry.
        if as_owner "$bin_dir/pg_ctl" start \
            --pgdata="$dir/data" \
            --log="$dir/postgres.log" \
            --wait \
            --timeout=60 \
            --options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=600" >&2; then
            started="yes"
            break
        fi
        tail -n 20 "$dir/postgres.log" >&2 || true
    done
    [[ -n "$started" ]] || fail "server did not start; see $dir/postgres.log"

    local ready=""
    for attempt in $(seq 1 100); do
        if "$bin_dir/pg_isready" --quiet --host=127.0.0.1 --port="$port"; then
            ready="yes"
            break
        fi
        sleep 0.1
    done
    if [[ -z "$ready" ]]; then
        stop_server "$bin_dir" "$dir"
        fail "server on 127.0.0.1:$port not ready after 10 s; see $dir/postgres.log"
    fi

    "$bin_dir/psql" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
        --host=127.0.0.1 --port="$port" --username=postgres --dbname=postgres \
        --command="CREATE ROLE $role_name LOGIN CREATEDB" \
        --command="CREATE DATABASE $database_name OWNER $role_name" >&2 \
        || {
            stop_server "$bin_dir" "$dir"
            fail "creating role $role_name and database $database_name failed"
        }

    echo "postgresql://$role_name@127.0.0.1:$port/$database_name"
}

stop_cluster() {
    local dir="$1"
    local bin_dir
    bin_dir="$(find_bin_dir)"

    [[ -d "$dir" ]] || { log "$dir does not exist; nothing to stop"; return; }
    # Refuse to delete a directory this script did not create.
    [[ -e "$dir/$marker_name" ]] || fail "$dir was not made by '$0 start'; not removing it"

    stop_server "$bin_dir" "$dir"
    rm -rf -- "$dir"
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start) start_cluster "$2" ;;
    stop) stop_cluster "$2" ;;
    *) usage ;;
esac
