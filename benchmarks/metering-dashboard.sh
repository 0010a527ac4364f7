#!/usr/bin/env bash
# Dashboard overview latency with PROJECTS projects and INTERVALS ledger intervals in the running month:
# `steward metering serve` creates its schema in a fresh SQLite file, metering-dashboard/seed.py fills it,
# the service is restarted on it and metering-dashboard/load.py signs in (the test cloud's admin) and times
# GET /dashboard. Run twice: with the overview cache (--overview-seconds 15, the default: the first request
# computes, the rest reuse) and without it (--overview-seconds 0: every request reads and sums the ledger).
# Usage: benchmarks/metering-dashboard.sh [projects] [intervals] [requests]   (default 1000 100000 200)
# CONFIG=debug uses the debug build. Needs the test cloud (scripts/testcloud/testcloud up).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECTS=${1:-1000}
INTERVALS=${2:-100000}
N=${3:-200}
CONFIG=${CONFIG:-release}
PORT=${PORT:-7391}
OUT=$(mktemp -d)
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$HOME/.cache/steward-testcloud/clouds.yaml}
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
[ "$CONFIG" = debug ] || swift build -c "$CONFIG" --product steward >&2
BIN=$(swift build -c "$CONFIG" --show-bin-path)/steward
serve() {
  "$BIN" metering serve --os-cloud steward-admin --database "$OUT/m.sqlite" --port "$PORT" --overview-seconds "$1" \
    --prices benchmarks/metering-dashboard/prices.yaml --budget-check-seconds 0 \
    2> "$OUT/serve.log" &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  cat "$OUT/serve.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
serve 15; stop
python3 benchmarks/metering-dashboard/seed.py "$OUT/m.sqlite" "$PROJECTS" "$INTERVALS"
echo "$(swift --version 2>/dev/null | head -1); $CONFIG build; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)"
for ttl in 15 0; do
  serve "$ttl"
  echo "--overview-seconds $ttl:"
  python3 benchmarks/metering-dashboard/load.py "http://127.0.0.1:$PORT" admin adminpass admin "$N" /dashboard
  stop
done
