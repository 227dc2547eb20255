#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine that has only the Swift toolchain:
# installs what is missing, builds everything once (the end-to-end tests run the built
# executables), then runs `swift test`. The suite starts its own throwaway PostgreSQL
# cluster (as the `postgres` user when run as root) and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
swift build --build-tests
# Serially: many suites start hubs, agents and TLS sessions with short deadlines, and on a
# 2-core machine running them all at once makes those deadlines race (~50 s either way).
swift test --skip-build --no-parallel "$@"
