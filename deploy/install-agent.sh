#!/usr/bin/env bash
# Installs the Heimdall agent as a hardened systemd service and enrolls this host.
#
#   deploy/install-agent.sh TOKEN [--binary PATH] [--root DIR] [--dry-run]
#
# TOKEN     the one-time token printed by `heimdall-pki enroll HOST` on the hub.
# --binary  an already built heimdall-agent; default: build it here in release mode with
#           the Swift runtime linked in (`swift build -c release --static-swift-stdlib
#           --product heimdall-agent`: the host needs no Swift toolchain, and RSS is lower).
# --root    install below DIR instead of / (a staging root, like DESTDIR): the binary,
#           config, state directory and unit go to DIR/usr/local/bin, DIR/etc/heimdall,
#           DIR/var/lib/heimdall-agent and DIR/etc/systemd/system, and systemd counts as
#           running when DIR/run/systemd/system exists. The unit and config still name the
#           real paths. groupadd/useradd/usermod/getent/runuser/systemctl are still called
#           from PATH, and owners are given to install as the numeric ids getent reports
#           (the account may exist only in the target's database). Used by the tests.
# --dry-run print what would be done, change nothing.
#
# Steps: install the binary as /usr/local/bin/heimdall-agent; create the system user
# heimdall-agent (group heimdall-agent, member of adm, and of systemd-journal where it
# exists); create /var/lib/heimdall-agent (0700); install /etc/heimdall/agent.toml from
# config/agent.example.toml unless it exists; enroll as the service user (skipped when
# the state directory already holds host.pem); install deploy/heimdall-agent.service,
# enable and start it. Where systemd is not running (containers), the unit is installed
# but not started, and the command to run the agent by hand is printed. Re-running it is
# safe. Must run as root.
set -euo pipefail

user=heimdall-agent
state_dir=/var/lib/heimdall-agent
config_dir=/etc/heimdall
bin_path=/usr/local/bin/heimdall-agent
unit_path=/etc/systemd/system/heimdall-agent.service
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

token=""
binary=""
root=""
dry_run=false
while [ "$#" -gt 0 ]; do
    case "$1" in
        --binary) [ "$#" -ge 2 ] || usage; binary=$2; shift 2 ;;
        --binary=*) binary=${1#--binary=}; shift ;;
        --root) [ "$#" -ge 2 ] || usage; root=${2%/}; shift 2 ;;
        --root=*) root=${1#--root=}; root=${root%/}; shift ;;
        --dry-run) dry_run=true; shift ;;
        -h|--help) usage ;;
        -*) echo "error: unknown option $1" >&2; usage ;;
        *) [ -z "$token" ] || usage; token=$1; shift ;;
    esac
done
[ -n "$token" ] || usage
if [ -n "$root" ] && [ ! -d "$root" ]; then
    echo "error: --root $root is not a directory" >&2
    exit 1
fi

say() { printf '== %s\n' "$*"; }
run() {
    if "$dry_run"; then
        printf '+'; printf ' %q' "$@"; printf '\n'
    else
        "$@"
    fi
}

if ! "$dry_run" && [ "$(id -u)" -ne 0 ]; then
    echo "error: run as root (it creates a system user and installs a service)" >&2
    exit 1
fi

if [ -z "$binary" ]; then
    say "building heimdall-agent (release) in $repo"
    run swift build -c release --static-swift-stdlib --product heimdall-agent --package-path "$repo"
    binary="$repo/.build/release/heimdall-agent"
fi
if ! "$dry_run" && [ ! -x "$binary" ]; then
    echo "error: $binary is not an executable" >&2
    exit 1
fi
if [ -n "$root" ]; then
    say "staging below $root"
    for directory in "$(dirname "$bin_path")" "$(dirname "$state_dir")" "$(dirname "$unit_path")"; do
        run install -d -m 0755 -o root -g root "$root$directory"
    done
fi
say "installing $binary as $root$bin_path"
run install -m 0755 -o root -g root "$binary" "$root$bin_path"

if ! getent group "$user" >/dev/null; then
    say "creating group $user"
    run groupadd --system "$user"
fi
if ! getent passwd "$user" >/dev/null; then
    say "creating system user $user (member of adm)"
    run useradd --system --gid "$user" --groups adm --home-dir "$state_dir" --no-create-home \
        --shell /usr/sbin/nologin --comment "Heimdall agent" "$user"
else
    run usermod --append --groups adm "$user"
fi
if getent group systemd-journal >/dev/null; then
    run usermod --append --groups systemd-journal "$user"
fi

owner=$user
group=$user
if [ -n "$root" ] && ! "$dry_run"; then
    owner=$(getent passwd "$user" | cut -d: -f3)
    group=$(getent group "$user" | cut -d: -f3)
    if [ -z "$owner" ] || [ -z "$group" ]; then
        echo "error: getent knows no uid/gid for $user" >&2
        exit 1
    fi
fi

say "state directory $root$state_dir (0700, owned by $user)"
run install -d -m 0700 -o "$owner" -g "$group" "$root$state_dir"

run install -d -m 0755 -o root -g root "$root$config_dir"
if [ -e "$root$config_dir/agent.toml" ]; then
    say "keeping the existing $root$config_dir/agent.toml"
else
    say "installing $root$config_dir/agent.toml from config/agent.example.toml"
    run install -m 0640 -o root -g "$group" "$repo/config/agent.example.toml" "$root$config_dir/agent.toml"
fi

if [ -e "$root$state_dir/host.pem" ]; then
    say "already enrolled ($root$state_dir/host.pem exists); not using the token"
else
    say "enrolling as $user"
    run runuser -u "$user" -- "$root$bin_path" enroll --token "$token" --state-dir "$root$state_dir"
fi

say "installing $root$unit_path"
run install -m 0644 -o root -g root "$repo/deploy/heimdall-agent.service" "$root$unit_path"
if [ -d "$root/run/systemd/system" ]; then
    run systemctl daemon-reload
    run systemctl enable --now heimdall-agent.service
    if ! "$dry_run"; then systemctl --no-pager --lines=5 status heimdall-agent.service || true; fi
else
    say "systemd is not running here (a container?): the unit is installed but not enabled or started."
    echo "   Start the agent by hand with:"
    echo "   runuser -u $user -- $bin_path run --config $config_dir/agent.toml"
fi
say "done"
