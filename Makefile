# WabaRouter's entry points. `make run` and `make test` work on a fresh Debian machine with the
# Swift toolchain: both install the Debian packages they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := build

SWIFT_SOURCES := Package.swift Sources Tests

.PHONY: deps build release run test bench lint format clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

# Starts one instance on port 8080. Without DATABASE_URL it runs a private PostgreSQL cluster
# under .wabarouter/postgres, reachable only through a Unix socket.
run: release
	scripts/run-local.sh

# Starts a throwaway PostgreSQL on a free loopback port, runs the whole suite, stops it.
test: deps
	scripts/run-tests.sh

# Sends a 100,000-message bulk through WabaRouter and the Infobip simulator on loopback, with a
# throwaway PostgreSQL, and prints throughput, latency, CPU and memory (docs/benchmarks.md).
bench: release
	scripts/bench.sh

lint:
	swift format lint --strict --recursive $(SWIFT_SOURCES)

format:
	swift format format --in-place --recursive $(SWIFT_SOURCES)

clean:
	swift package clean
