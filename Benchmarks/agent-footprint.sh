#!/usr/bin/env bash
# The agent's footprint while tailing RATE lines/s (default 1,000) for SECONDS (default
# 60): starts a hub (embedded PostgreSQL) and a release-build agent following one file,
# appends auth.log lines at the rate, samples the agent's RSS and CPU from /proc every
# second, prints the figures (with the resident pages per mapped file, from
# /proc/PID/smaps), checks that the agent's checkpoint reached the end of the file (every
# line acknowledged by the hub; exit status 1 otherwise), and stops everything.
#
#   swift build -c release --product heimdall-agent
#   swift build --product heimdall-hub && swift build --product heimdall-pki
#   Benchmarks/agent-footprint.sh [RATE] [SECONDS]
#
# AGENT=path overrides the agent binary (default .build/release/heimdall-agent); the hub
# and PKI tools come from BIN_DIR (default: the debug build); PORT sets the hub's port
# (default 17443). Targets (issue 4, item 7): under 30 MiB RSS and 5 % of one core.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rate=${1:-1000}
seconds=${2:-60}
agent_bin=${AGENT:-$PWD/.build/release/heimdall-agent}
bin=${BIN_DIR:-$(swift build --show-bin-path)}
port=${PORT:-17443}
for tool in "$agent_bin" "$bin/heimdall-hub" "$bin/heimdall-pki"; do
    [ -x "$tool" ] || { echo "error: $tool missing; build it first (see the header)" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/heimdall-footprint-XXXXXX)
chmod 0755 "$dir"
hub=""
agent=""
cleanup() {
    if [ -n "$agent" ]; then kill -TERM "$agent" 2>/dev/null || true; wait "$agent" 2>/dev/null || true; fi
    if [ -n "$hub" ]; then kill -TERM "$hub" 2>/dev/null || true; wait "$hub" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
export HEIMDALL_LOG_LEVEL=warning

"$bin/heimdall-pki" init --pki-dir "$dir/pki" --data-dir "$dir" >/dev/null
"$bin/heimdall-pki" issue bench-agent --out "$dir/agent" --pki-dir "$dir/pki" --data-dir "$dir" >/dev/null
"$bin/heimdall-hub" serve --pki-dir "$dir/pki" --data-dir "$dir" --listen "127.0.0.1:$port" 2>>"$dir/hub.log" &
hub=$!
for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$hub" 2>/dev/null || { echo "error: the hub did not start:" >&2; cat "$dir/hub.log" >&2; exit 1; }
    sleep 0.2
done

log="$dir/auth.log"
: >"$log"
"$agent_bin" run --hub "127.0.0.1:$port" --state-dir "$dir/agent" --cert "$dir/agent/host.pem" --key "$dir/agent/host.key" \
    --ca "$dir/agent/ca.pem" --tail "$log" --status-interval 60 2>>"$dir/agent.log" &
agent=$!
sleep 2

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$agent/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$agent/status"; }
line='sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 51234 ssh2'
host=$(hostname)

idle_rss=$(rss_kib)
echo "agent pid $agent; appending $rate lines/s to $log for $seconds s"
start_ticks=$(cpu_ticks)
start=$EPOCHREALTIME
written=0
max_rss=0
samples=()
next_sample=1
while :; do
    now=$EPOCHREALTIME
    elapsed=$(awk -v a="$start" -v b="$now" 'BEGIN { printf "%.3f", b - a }')
    done_=$(awk -v e="$elapsed" -v s="$seconds" 'BEGIN { print (e >= s) ? 1 : 0 }')
    [ "$done_" = 1 ] && break
    due=$(awk -v e="$elapsed" -v r="$rate" 'BEGIN { printf "%d", e * r }')
    if [ "$due" -gt "$written" ]; then
        stamp=$(date '+%b %e %H:%M:%S')
        awk -v n="$((due - written))" -v p="$stamp $host $line" 'BEGIN { for (i = 0; i < n; i++) print p }' >>"$log"
        written=$due
    fi
    if awk -v e="$elapsed" -v t="$next_sample" 'BEGIN { exit !(e >= t) }'; then
        rss=$(rss_kib)
        samples+=("$rss")
        if [ $((next_sample % 10)) = 0 ]; then echo "  t=${next_sample}s RSS $((rss / 1024)) MiB"; fi
        [ "$rss" -gt "$max_rss" ] && max_rss=$rss
        next_sample=$((next_sample + 1))
    fi
    sleep 0.05
done
end=$EPOCHREALTIME
end_ticks=$(cpu_ticks)
sleep 2  # let the last lines be acknowledged

size=$(stat -c %s "$log")
acked=$(grep -o '"offset" : [0-9]*' "$dir/agent/checkpoints.json" 2>/dev/null | grep -o '[0-9]*$' || echo 0)
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$agent/status")
breakdown=$(awk '/^Rss(Anon|File|Shmem):/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$agent/status")
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$agent/status")
# Resident pages per mapped file (anonymous memory as "[anon]"), largest first.
mappings=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "") ? "[anon]" : $6; next }
    /^Rss:/ { rss[name] += $2 }
    END { for (n in rss) if (rss[n] >= 256) printf "%6.1f MiB  %s\n", rss[n] / 1024, n }' "/proc/$agent/smaps" | sort -rn | head -8)
awk -v t0="$start_ticks" -v t1="$end_ticks" -v a="$start" -v b="$end" -v hz="$ticks" -v w="$written" \
    -v maxr="$max_rss" -v hwm="$hwm" -v idle="$idle_rss" -v breakdown="$breakdown" -v last="${samples[-1]}" -v size="$size" -v acked="$acked" 'BEGIN {
    secs = b - a
    printf "lines appended: %d in %.1f s (%.0f lines/s)\n", w, secs, w / secs
    printf "agent CPU: %.2f %% of one core (%d ticks at %d Hz)\n", 100 * (t1 - t0) / hz / secs, t1 - t0, hz
    printf "agent RSS: %.1f MiB idle before appending; max %.1f MiB sampled, last %.1f MiB, VmHWM %.1f MiB\n", idle / 1024, maxr / 1024, last / 1024, hwm / 1024
    printf "agent RSS now by kind: %s\n", breakdown
    printf "acknowledged: checkpoint offset %d of %d bytes (%s)\n", acked, size, acked == size ? "all" : "NOT all"
}'
echo "agent threads: $threads; resident by mapping (0.25 MiB and up, largest 8):"
echo "$mappings" | sed 's/^/  /'
[ "$acked" = "$size" ] || { echo "error: not every line was acknowledged" >&2; exit 1; }
