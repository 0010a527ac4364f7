#!/usr/bin/env bash
# Leasing service benchmark: requests/s and p50/p99 latency for lease list, lease show and offer claim with
# 10,000 nodes and 100,000 leases, on SQLite and on PostgreSQL (scripts/postgres up).
#
#   STEWARD=.build/release/steward benchmarks/leasing/run.sh [sqlite|postgres|both]
#
# Nodes are `dummy_node`s (a JSON file), so Ironic does not bound the figures; tokens are real Keystone
# tokens from the test cloud (steward-admin), validated once and then served from the service's cache.
# The data is seeded with SQL after the service has created its schema: 10,000 nodes, one long offer per
# node, 100,000 past leases (10 per lessee project, all ended), plus 2,000 offers on spare nodes to claim.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STEWARD=${STEWARD:-$ROOT/.build/release/steward}
MODE=${1:-both}
PORT=${PORT:-17181}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}/clouds.yaml}
WORK=$(mktemp -d)
THREADS=${THREADS:-8}
N=${N:-2000}

python3 - "$WORK/nodes.json" <<'PY'
import json, sys
nodes = [{"uuid": "bench-node-%05d" % i, "name": "bench-%05d" % i, "owner": "bench-owner",
          "resource_class": "bench"} for i in range(12000)]
json.dump(nodes, open(sys.argv[1], "w"))
PY

TOKEN=$("$STEWARD" --os-cloud steward-admin token issue -f json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

serve() {  # serve DATABASE: starts the service, waits for /healthz
  "$STEWARD" --os-cloud steward-system serve --database "$1" --port "$PORT" --dummy-nodes "$WORK/nodes.json" \
    --manager-interval 3600 >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$WORK/serve.log" >&2
  return 1
}

stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap 'stop; rm -rf "$WORK"' EXIT

# Seed SQL shared by both dialects (times in microseconds since 1970).
SEED="
INSERT INTO leasing_resources (resource_type, resource_uuid)
  SELECT 'dummy_node', 'bench-node-' || substr('00000' || i, -5, 5) FROM seq WHERE i < 12000;
INSERT INTO leasing_offers (uuid, project_id, resource_type, resource_uuid, start_time, end_time, status, properties, created_at, updated_at)
  SELECT 'bench-offer-' || i, 'bench-owner', 'dummy_node', 'bench-node-' || substr('00000' || i, -5, 5),
         1600000000000000, 1950000000000000, 'available', '{}', 0, 0 FROM seq WHERE i < 12000;
INSERT INTO leasing_leases (uuid, project_id, owner_id, resource_type, resource_uuid, start_time, end_time, status, properties, offer_uuid, created_at, updated_at)
  SELECT 'bench-lease-' || i, HEXID(i % 10000), 'bench-owner', 'dummy_node',
         'bench-node-' || substr('00000' || (i % 10000), -5, 5),
         1600000000000000 + (i / 10000) * 86400000000, 1600000000000000 + (i / 10000) * 86400000000 + 3600000000,
         'expired', '{}', 'bench-offer-' || (i % 10000), 0, 0 FROM seq WHERE i < 100000;
"

seed_sqlite() {
  sqlite3 "$1" <<SQL
CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 99999) INSERT INTO seq SELECT i FROM s;
BEGIN;
$(echo "$SEED" | sed "s/HEXID(/printf('%032x', /g")
COMMIT;
ANALYZE;
SQL
}

seed_postgres() {
  local psql
  psql=$(ls /usr/lib/postgresql/*/bin/psql | tail -1)
  "$psql" -q "$1" <<SQL
CREATE TEMP TABLE seq AS SELECT generate_series(0, 99999) AS i;
CREATE FUNCTION pg_temp.substr(t text, s int, n int) RETURNS text AS \$\$ SELECT right(t, n) \$\$ LANGUAGE sql;
CREATE FUNCTION pg_temp.hexid(n int) RETURNS text AS \$\$ SELECT lpad(to_hex(n), 32, '0') \$\$ LANGUAGE sql;
BEGIN;
$(echo "$SEED" | sed -e 's/substr(/pg_temp.substr(/g' -e 's/HEXID(/pg_temp.hexid(/g')
COMMIT;
ANALYZE;
SQL
}

run_one() {  # run_one LABEL DATABASE SEEDER
  local label=$1 database=$2 seeder=$3
  serve "$database"; stop               # creates the schema
  "$seeder" "$database"
  serve "$database"
  curl -fs -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$PORT/v1/leases/bench-lease-1" >/dev/null  # warm the token cache
  seq 0 99999 | sed 's/^/bench-lease-/' | shuf -n 5000 --random-source=<(yes) >"$WORK/leases"
  seq 10000 11999 | sed 's/^/bench-offer-/' >"$WORK/offers"
  echo "== $label ($THREADS threads)"
  printf 'operation\trequests\treq/s\tp50 ms\tp99 ms\terrors\n'
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" list "$N" "$THREADS" 0000000000000000000000000000002a
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" show "$N" "$THREADS" "$WORK/leases"
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" claim 2000 "$THREADS" "$WORK/offers"
  stop
}

if [ "$MODE" = sqlite ] || [ "$MODE" = both ]; then
  run_one "SQLite" "$WORK/bench.sqlite" seed_sqlite
fi
if [ "$MODE" = postgres ] || [ "$MODE" = both ]; then
  URL=$("$ROOT/scripts/postgres" url)
  ADMIN=${URL/steward_test/postgres}
  psql=$(ls /usr/lib/postgresql/*/bin/psql | tail -1)
  "$psql" -q "${ADMIN%%\?*}" -c "DROP DATABASE IF EXISTS steward_bench WITH (FORCE)" -c "CREATE DATABASE steward_bench"
  DB=${URL/steward_test/steward_bench}
  run_one "PostgreSQL" "${DB%%\?*}?sslmode=disable" seed_postgres
fi
