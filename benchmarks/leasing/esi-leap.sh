#!/usr/bin/env bash
# The same list/show/claim benchmark as run.sh, against esi-leap itself (PyPI) for comparison.
#
#   python3 -m venv /tmp/esileap-venv && /tmp/esileap-venv/bin/pip install esi-leap==1.0.0
#   ESILEAP_VENV=/tmp/esileap-venv benchmarks/leasing/esi-leap.sh [sqlite|postgres|both]
#
# esi-leap-api runs on 127.0.0.1:$PORT with keystonemiddleware against the test cloud's Keystone (admin
# user, project admin), a generated esi-leap.conf, and 12,000 `dummy_node` files (esi-leap reads one JSON
# file per node from [dummy_node] dummy_node_dir). The database is created with esi-leap-dbsync and seeded
# with SQL shaped like run.sh's: one offer per node, 100,000 ended leases on 10,000 nodes, 2,000 offers on
# spare nodes to claim. Leases name real Keystone projects (esi-leap looks the project and owner names up in
# Keystone for every lease it shows), so the 10,000 lessee "projects" of run.sh cannot be mirrored: see
# RESULTS.md for how the lessees are laid out here.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${ESILEAP_VENV:-/tmp/esileap-venv}
MODE=${1:-both}
PORT=${PORT:-17777}
WORKERS=${WORKERS:-2}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}/clouds.yaml}
WORK=$(mktemp -d)
THREADS=${THREADS:-8}
N=${N:-2000}
KEYSTONE=${KEYSTONE:-http://127.0.0.1:5000}

# A project-scoped admin token for the load, and the project ids the seed uses.
token_for() {  # token_for USER PASSWORD PROJECT -> prints "token project_id"
  curl -fsS -D - -o "$WORK/token.json" -H 'Content-Type: application/json' "$KEYSTONE/v3/auth/tokens" -d "{
    \"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"$1\",
    \"domain\": {\"name\": \"Default\"}, \"password\": \"$2\"}}},
    \"scope\": {\"project\": {\"name\": \"$3\", \"domain\": {\"name\": \"Default\"}}}}}" |
    awk 'tolower($1) == "x-subject-token:" { printf "%s ", $2 }' | tr -d '\r'
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"]["project"]["id"])' "$WORK/token.json"
}
read -r TOKEN ADMIN_PROJECT < <(token_for admin adminpass admin)
read -r _ DEMO_PROJECT < <(token_for demo demopass demo)
read -r _ DEMO2_PROJECT < <(token_for demo2 demo2pass demo2)

mkdir -p "$WORK/nodes"
python3 - "$WORK/nodes" "$ADMIN_PROJECT" <<'PY'
import json, os, sys
for i in range(12000):
    with open(os.path.join(sys.argv[1], "bench-node-%05d" % i), "w") as f:
        json.dump({"project_owner_id": sys.argv[2], "resource_class": "bench", "properties": {},
                   "power_state": "power off", "provision_state": "available"}, f)
PY

# esi-leap's policy enforcer re-reads the configuration with oslo.config's default search path
# (CONF([], project="esi-leap") in esi_leap/common/policy.py), dropping --config-file: the file must be at
# ~/.esi-leap/esi-leap.conf, so the service runs with HOME=$WORK.
config() {  # config DATABASE_URL
  mkdir -p "$WORK/.esi-leap"
  cat >"$WORK/.esi-leap/esi-leap.conf" <<CONF
[DEFAULT]
debug = False
log_file = $WORK/esi-leap.log
transport_url = rabbit://guest:guest@127.0.0.1:5682/

[api]
host_ip = 127.0.0.1
port = $PORT
api_workers = $WORKERS

[database]
connection = $1

[dummy_node]
dummy_node_dir = $WORK/nodes

[pecan]
auth_enable = True

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE/v3
auth_url = $KEYSTONE/v3
auth_type = password
username = admin
password = adminpass
user_domain_name = Default
project_name = admin
project_domain_name = Default
memcached_servers =

[keystone]
auth_url = $KEYSTONE/v3
auth_type = password
username = admin
password = adminpass
user_domain_name = Default
project_name = admin
project_domain_name = Default

[ironic]
auth_url = $KEYSTONE/v3
auth_type = password
username = admin
password = adminpass
user_domain_name = Default
project_name = admin
project_domain_name = Default

[oslo_concurrency]
lock_path = $WORK/locks

[oslo_messaging_notifications]
driver = noop
CONF
}

SERVER=
serve() {
  HOME=$WORK "$VENV/bin/esi-leap-api" >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
    sleep 0.2
  done
  cat "$WORK/serve.log" "$WORK/esi-leap.log" >&2
  return 1
}
stop() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; fi
}
trap 'stop; rm -rf "$WORK"' EXIT

# Seed SQL for both dialects. Lease i belongs to lessee LESSEE(i): the 10 leases of node 42 belong to the
# demo project (the `list` target, 10 of 100,000 like run.sh), the rest to demo2. Times as in run.sh:
# offers 2020-09-13 .. 2031-10-16, lease i starts (i / 10000) days after 2020-09-13 and lasts an hour.
SEED="
INSERT INTO offers (created_at, uuid, project_id, resource_type, resource_uuid, start_time, end_time, status, properties)
  SELECT NOW_, '00000000-0000-4000-9000-' || PAD12(i), '$ADMIN_PROJECT', 'dummy_node', 'bench-node-' || PAD5(i),
         TS(1600000000), TS(1950000000), 'available', '{}' FROM seq WHERE i < 12000;
INSERT INTO leases (created_at, uuid, project_id, owner_id, resource_type, resource_uuid, start_time, end_time, status, properties, offer_uuid)
  SELECT NOW_, '00000000-0000-4000-8000-' || PAD12(i),
         CASE WHEN i % 10000 = 42 THEN '$DEMO_PROJECT' ELSE '$DEMO2_PROJECT' END, '$ADMIN_PROJECT', 'dummy_node',
         'bench-node-' || PAD5(i % 10000),
         TS(1600000000 + i / 10000 * 86400), TS(1600000000 + i / 10000 * 86400 + 3600),
         'expired', '{}', '00000000-0000-4000-9000-' || PAD12(i % 10000) FROM seq WHERE i < 100000;
"

seed_sqlite() {  # seed_sqlite FILE
  sqlite3 "$1" <<SQL
CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 99999) INSERT INTO seq SELECT i FROM s;
BEGIN;
$(echo "$SEED" | sed -e "s/NOW_/datetime('now')/g" -e "s/PAD5(\([^)]*\))/substr('00000' || \1, -5, 5)/g" -e "s/PAD12(\([^)]*\))/substr('000000000000' || \1, -12, 12)/g" \
  -e "s/TS(\([^)]*\))/strftime('%Y-%m-%d %H:%M:%S.000000', \1, 'unixepoch')/g")
COMMIT;
ANALYZE;
SQL
}

seed_postgres() {  # seed_postgres URL
  "$PSQL" -q "$1" <<SQL
CREATE TEMP TABLE seq AS SELECT generate_series(0, 99999) AS i;
BEGIN;
$(echo "$SEED" | sed -e "s/NOW_/now()/g" -e "s/PAD5(\([^)]*\))/lpad((\1)::text, 5, '0')/g" -e "s/PAD12(\([^)]*\))/lpad((\1)::text, 12, '0')/g" \
  -e "s/TS(\([^)]*\))/(to_timestamp(\1) AT TIME ZONE 'UTC')/g")
COMMIT;
ANALYZE;
SQL
}

run_one() {  # run_one LABEL SQLALCHEMY_URL SEEDER SEED_TARGET
  local label=$1 url=$2 seeder=$3 target=$4
  config "$url"
  HOME=$WORK "$VENV/bin/esi-leap-dbsync" create_schema >"$WORK/dbsync.log" 2>&1 || { cat "$WORK/dbsync.log" >&2; exit 1; }
  "$seeder" "$target"
  serve
  curl -fsS -o /dev/null -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$PORT/v1/leases/00000000-0000-4000-8000-000000000001" || { tail -40 "$WORK/esi-leap.log" >&2; exit 1; }
  seq -f '00000000-0000-4000-8000-%012g' 0 99999 | shuf -n 5000 --random-source=<(yes) >"$WORK/leases"
  seq -f '00000000-0000-4000-9000-%012g' 10000 11999 >"$WORK/offers"
  echo "== esi-leap $label ($THREADS threads, $WORKERS API workers)"
  printf 'operation\trequests\treq/s\tp50 ms\tp99 ms\terrors\n'
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" list "$N" "$THREADS" "$DEMO_PROJECT"
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" show "$N" "$THREADS" "$WORK/leases"
  python3 "$ROOT/benchmarks/leasing/load.py" "http://127.0.0.1:$PORT" "$TOKEN" claim "${CLAIMS:-2000}" "$THREADS" "$WORK/offers"
  stop
}

if [ "$MODE" = sqlite ] || [ "$MODE" = both ]; then
  run_one "SQLite" "sqlite:///$WORK/esi-leap.sqlite" seed_sqlite "$WORK/esi-leap.sqlite"
fi
if [ "$MODE" = postgres ] || [ "$MODE" = both ]; then
  PSQL=$(ls /usr/lib/postgresql/*/bin/psql | tail -1)
  URL=$("$ROOT/scripts/postgres" url)
  ADMIN=${URL/steward_test/postgres}
  "$PSQL" -q "${ADMIN%%\?*}" -c "DROP DATABASE IF EXISTS esileap_bench WITH (FORCE)" -c "CREATE DATABASE esileap_bench"
  DB=${URL/steward_test/esileap_bench}
  DB=${DB%%\?*}
  run_one "PostgreSQL" "postgresql+psycopg2://${DB#*://}" seed_postgres "$DB"
fi
