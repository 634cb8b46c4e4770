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

swift test --skip-build "$@"
