#!/usr/bin/env bash
# Installs the system packages Heimdall builds and runs with, when they are missing:
# zlib headers (the agent compresses its spool),
# OpenSSL 3 and libpq headers, the PostgreSQL server (for the embedded cluster and the
# test suite's throwaway clusters) and the openssl command (used by TLS tests).
set -euo pipefail

packages=(libssl-dev libpq-dev zlib1g-dev postgresql openssl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
