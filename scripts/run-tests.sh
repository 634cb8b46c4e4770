#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL server on a free loopback port.
# The server and its data folder are removed on exit, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d /tmp/wabarouter-test-pg.XXXXXX)
cleanup() {
    scripts/test-postgres.sh stop "$data_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

DATABASE_URL=$(scripts/test-postgres.sh start "$data_dir")
export DATABASE_URL
echo "Test PostgreSQL: $DATABASE_URL" >&2

swift build --build-tests
WABAROUTER_BIN_DIR=$(swift build --show-bin-path)
export WABAROUTER_BIN_DIR

# Every test that starts a WabaRouter instance also starts its dispatchers, and unbounded
# parallelism on a two-core machine starved the tests that wait on raw sockets; eight test
# cases at a time keeps the suite near 30 s without timeouts.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-8}"
swift test --skip-build "$@"
