#!/usr/bin/env bash
# The main job on one machine: builds Heimdall, creates a PKI, starts the hub with its
# embedded PostgreSQL, gives a local agent an offline certificate bundle, lets it follow a
# demo auth log, and shows the stored events. Runs until Ctrl-C (or exits after showing
# the events with --once).
#
#   deploy/demo.sh [--once]
#
# Everything lives under $HEIMDALL_DEMO_DIR (default ./.heimdall): pki/, postgres/,
# agent/, demo/auth.log and the hub's and agent's logs.
set -euo pipefail
cd "$(dirname "$0")/.."
once=false
[ "${1:-}" = "--once" ] && once=true

deploy/install-deps.sh
echo "== building (debug; first build takes a few minutes)"
swift build --product heimdall-hub >/dev/null
swift build --product heimdall-agent >/dev/null
swift build --product heimdall-pki >/dev/null
swift build --product heimdall-audit >/dev/null
bin=$(swift build --show-bin-path)

dir=${HEIMDALL_DEMO_DIR:-$PWD/.heimdall}
mkdir -p "$dir/demo"
export HEIMDALL_LOG_LEVEL=${HEIMDALL_LOG_LEVEL:-notice}
port=${HEIMDALL_DEMO_PORT:-7443}
host=demo-agent

if [ ! -f "$dir/pki/ca.pem" ]; then
    echo "== creating the CA and the hub certificate in $dir/pki"
    "$bin/heimdall-pki" init --pki-dir "$dir/pki" --data-dir "$dir"
fi
if [ ! -f "$dir/agent/host.pem" ]; then
    echo "== issuing an offline bundle for $host"
    "$bin/heimdall-pki" issue "$host" --out "$dir/agent" --pki-dir "$dir/pki" --data-dir "$dir"
fi

echo "== starting the hub on 127.0.0.1:$port (embedded PostgreSQL in $dir/postgres)"
"$bin/heimdall-hub" serve --pki-dir "$dir/pki" --data-dir "$dir" --listen "127.0.0.1:$port" 2>>"$dir/hub.log" &
hub=$!
agent=""
cleanup() {
    [ -n "$agent" ] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null || true
    kill -TERM "$hub" 2>/dev/null && wait "$hub" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$hub" 2>/dev/null || { echo "error: the hub did not start; see $dir/hub.log" >&2; exit 1; }
    sleep 0.2
done

log="$dir/demo/auth.log"
now() { date '+%b %e %H:%M:%S'; }
cat >>"$log" <<LINES
$(now) $(hostname) sshd[4242]: Failed password for root from 203.0.113.9 port 51234 ssh2
$(now) $(hostname) sshd[4242]: Failed password for invalid user admin from 2001:db8::66 port 40022 ssh2
$(now) $(hostname) sshd[4243]: Accepted publickey for alice from 198.51.100.7 port 50022 ssh2: ED25519 SHA256:demo
$(now) $(hostname) sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
$(now) $(hostname) systemd[1]: Started Daily apt download activities.
LINES

echo "== starting the agent ($host) following $log"
"$bin/heimdall-agent" run --hub "127.0.0.1:$port" --state-dir "$dir/agent" \
    --cert "$dir/agent/host.pem" --key "$dir/agent/host.key" --ca "$dir/agent/ca.pem" --tail "$log" 2>>"$dir/agent.log" &
agent=$!
sleep 3

echo "== stored events (heimdall-audit events --since 1h)"
"$bin/heimdall-audit" events --since 1h --limit 20 --data-dir "$dir"
echo
echo "== hosts (heimdall-audit hosts)"
"$bin/heimdall-audit" hosts --data-dir "$dir"

if ! $once; then
    echo
    echo "Hub and agent are running. Append lines to $log and run:"
    echo "  $bin/heimdall-audit events --data-dir $dir"
    echo "Press Ctrl-C to stop."
    wait "$hub"
fi
