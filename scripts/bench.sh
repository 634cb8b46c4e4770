#!/usr/bin/env bash
# Benchmarks a 100,000-message bulk send through WabaRouter against the Infobip simulator,
# with every process on 127.0.0.1, and prints the results (see docs/benchmarks.md).
#
#   scripts/bench.sh [--messages N] [--instances N] [--reports both|on|off] ...
#
# Arguments go to scripts/bench.py; `scripts/bench.sh --help` lists them. It needs the release
# binaries (`make release`). It starts a throwaway PostgreSQL cluster on a free loopback port
# (scripts/test-postgres.sh), and bench.py starts the simulator and the instances. On exit,
# also after an error or Ctrl-C, it stops every process bench.py left running, by the process
# ids bench.py listed, and removes the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
    exec python3 scripts/bench.py --help
fi
for binary in .build/release/wabarouter .build/release/infobip-sim; do
    [[ -x "$binary" ]] || { echo "bench: $binary is missing; run make release" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
psql_path="${pg_bin:+$pg_bin/psql}"
psql_path="${psql_path:-$(command -v psql || true)}"
[[ -x "$psql_path" ]] || { echo "bench: psql not found; run make deps" >&2; exit 1; }

state_dir=$(mktemp -d /tmp/wabarouter-bench.XXXXXX)
# The cluster gets a directory of its own, because as root it runs as the postgres user, which
# cannot enter the private state directory.
pg_dir=$(mktemp -d /tmp/wabarouter-bench-pg.XXXXXX)

# Stops a process that bench.py listed, unless the id now belongs to another program.
stop_listed_process() {
    local pid="$1" attempt
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$(pwd -P)/.build/"* ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for attempt in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "bench: process $pid ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    if [[ -f "$state_dir/pids" ]]; then
        while read -r pid; do
            stop_listed_process "$pid"
        done <"$state_dir/pids"
    fi
    scripts/test-postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf -- "$state_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DATABASE_URL=$(scripts/test-postgres.sh start "$pg_dir")
export DATABASE_URL
export PSQL="$psql_path"
export POSTMASTER_PID_FILE="$pg_dir/data/postmaster.pid"
export BENCH_STATE_DIR="$state_dir"
echo "bench: PostgreSQL at $DATABASE_URL" >&2

python3 -u scripts/bench.py "$@"
