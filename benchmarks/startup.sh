#!/usr/bin/env bash
# Start-up time of `steward --help` / `--version` against the Python peers' `--help`.
# Usage: benchmarks/startup.sh    (prints a Markdown table; needs hyperfine, from Debian)
# The peers come from PyPI into a venv outside the repo (PEER_VENV, default /tmp/steward-peers).
# Run it on an otherwise idle machine: two cores make every figure sensitive to other load.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER_VENV=${PEER_VENV:-/tmp/steward-peers}
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
if [ ! -x "$PEER_VENV/bin/openstack-flavor-manager" ] || [ ! -x "$PEER_VENV/bin/openstack" ]; then
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install -q python-openstackclient openstack-flavor-manager
fi
swift build -c release --static-swift-stdlib --scratch-path .build-release --product steward >/dev/null 2>&1
STEWARD=.build-release/release/steward
OUT=$(mktemp -d)
hyperfine -N --style none --warmup 5 --runs 100 --export-json "$OUT/steward.json" \
  "$STEWARD --help" "$STEWARD --version" >/dev/null
hyperfine -N --style none --warmup 2 --runs 10 --export-json "$OUT/peers.json" \
  "$PEER_VENV/bin/openstack --help" "$PEER_VENV/bin/openstack-flavor-manager --help" >/dev/null
echo "steward $($STEWARD --version), release, --static-swift-stdlib; $(swift --version 2>/dev/null | head -1); $(nproc) cores; $(date -u +%F)"
echo
python3 - "$OUT/steward.json" "$OUT/peers.json" "$PEER_VENV/bin/" <<'PY'
import json, sys
print("| command | median ms | mean ms | min ms | max ms | runs |")
print("|---|---:|---:|---:|---:|---:|")
for path in sys.argv[1:3]:
    for r in json.load(open(path))["results"]:
        cmd = r["command"].replace(sys.argv[3], "").replace(".build-release/release/", "")
        print(f"| `{cmd}` | {r['median']*1000:.1f} | {r['mean']*1000:.1f} | {r['min']*1000:.1f} | {r['max']*1000:.1f} | {len(r['times'])} |")
PY
