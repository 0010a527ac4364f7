#!/usr/bin/env bash
# API calls `steward metering sync` makes for N servers (and N volumes and ports, N/10 networks, floating IPs
# and stacks, N/100 projects and images), counted by a local fake of the list endpoints that pages like the
# real services (benchmarks/metering-resync/fake_cloud.py; Nova and Cinder cap a page at 1000). Two syncs
# on the same database: the first asks every stack for its resources (Heat has no listing across stacks),
# the second only new or changed stacks (none here). The count must grow with pages, never with servers.
# Usage: benchmarks/metering-resync.sh [N ...]   (default 10 1000 10000 100000)
# CONFIG=debug uses the debug build (call counts do not depend on it).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
[ "$CONFIG" = debug ] || swift build -c "$CONFIG" --product steward >&2
BIN=$(swift build -c "$CONFIG" --show-bin-path)/steward
WORK=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
PORT=${PORT:-18931}
[ $# -gt 0 ] || set -- 10 1000 10000 100000
printf '| servers | sync | requests | per kind | seconds |\n|---:|---|---:|---|---:|\n'
for N in "$@"; do
  cat > "$WORK/clouds.yaml" <<YAML
clouds:
  fake:
    auth:
      auth_url: http://127.0.0.1:$PORT/identity/v3
      username: admin
      password: fake
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
YAML
  python3 benchmarks/metering-resync/fake_cloud.py "$PORT" "$N" "$WORK/counts-$N.json" &
  PID=$!
  for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" 2>/dev/null && break; sleep 0.1; done
  for RUN in first second; do
    START=$(date +%s.%N)
    OS_CLIENT_CONFIG_FILE="$WORK/clouds.yaml" "$BIN" metering sync --os-cloud fake --database "$WORK/ledger-$N.sqlite" \
      -f json > "$WORK/repairs-$N-$RUN.json"
    END=$(date +%s.%N)
    python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$PORT/_counts').read().decode())" \
      > "$WORK/counts-$N-$RUN.json"
    python3 - "$WORK/counts-$N-$RUN.json" "$N" "$START" "$END" "$RUN" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))
n, secs, run = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3]), sys.argv[5]
short = {}
for k, v in counts.items():
    parts = k.split(' ', 1)[1].rstrip('/').split('/')
    name = parts[-2] if parts[-1] == 'detail' else parts[-1]
    short[name] = short.get(name, 0) + v
print('| %d | %s | %d | %s | %.1f |' % (n, run, sum(counts.values()), ', '.join('%s %d' % kv for kv in sorted(short.items())), secs))
PY
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
