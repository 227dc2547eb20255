#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine that has only the Swift toolchain:
# installs what is missing, builds everything once (the end-to-end tests run the built
# executables), then runs `swift test`. The suite starts its own throwaway PostgreSQL
# cluster (as the `postgres` user when run as root) and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
