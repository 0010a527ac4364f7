#!/usr/bin/env bash
# Start-up time of `steward --help` / `--version` against the Python peers' `--help`.
# Usage: benchmarks/startup.sh            (prints a Markdown table; hyperfine from Debian)
# The peers are installed from PyPI into a venv outside the repo (PEER_VENV, default /tmp/steward-peers).
set -euo pipefail
cd "$(dirname "$0")/.."
PEER_VENV=${PEER_VENV:-/tmp/steward-peers}
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
if [ ! -x "$PEER_VENV/bin/openstack-flavor-manager" ] || [ ! -x "$PEER_VENV/bin/openstack" ]; then
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install -q python-openstackclient openstack-flavor-manager
fi
swift build -c release --static-swift-stdlib --scratch-path .build-release --product steward >/dev/null
STEWARD=.build-release/release/steward
echo "steward $($STEWARD --version); $(swift --version 2>/dev/null | head -1); $(nproc) cores"
hyperfine -N --warmup 5 --runs 50 --export-markdown /dev/stdout \
  "$STEWARD --help" "$STEWARD --version" 2>/dev/null | grep -v '^$'
hyperfine -N --warmup 2 --runs 10 --export-markdown /dev/stdout \
  "$PEER_VENV/bin/openstack --help" "$PEER_VENV/bin/openstack-flavor-manager --help" 2>/dev/null | grep -v '^$'
