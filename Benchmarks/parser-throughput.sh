#!/usr/bin/env bash
# Parser throughput: `heimdall-agent parse` (release build) over a generated auth.log of
# LINES lines (default 1,000,000), on one core (taskset -c 0 where available). Reports
# lines/s for the whole command: reading, parsing, normalizing (event ids are SHA-256) and
# writing NDJSON to /dev/null. Target (issue 4, item 7): at least 200,000 lines/s.
#
#   swift build -c release --product heimdall-agent
#   Benchmarks/parser-throughput.sh [LINES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
lines=${1:-1000000}
agent_bin=${AGENT:-$PWD/.build/release/heimdall-agent}
[ -x "$agent_bin" ] || { echo "error: $agent_bin missing: swift build -c release --product heimdall-agent" >&2; exit 1; }
log=$(mktemp /tmp/heimdall-parse-XXXXXX.log)
trap 'rm -f "$log"' EXIT
Benchmarks/generate-auth-log.sh "$lines" >"$log"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
# --summary: read, parse and normalize (event ids included) but print only counts;
# --json: the same plus one NDJSON line per event.
TIMEFORMAT='%R %U %S'
for format in --summary --json; do
    times=$( { time "${pin[@]}" "$agent_bin" parse --source linux.auth "$format" "$log" >/dev/null; } 2>&1 )
    read -r wall user sys <<<"$times"
    awk -v n="$lines" -v w="$wall" -v u="$user" -v s="$sys" -v f="$format" 'BEGIN {
        printf "parse %-9s %d lines: wall %.2f s (%.0f lines/s), CPU %.2f s (%.0f lines/s per core-second)\n", f, n, w, n / w, u + s, n / (u + s)
    }'
done
