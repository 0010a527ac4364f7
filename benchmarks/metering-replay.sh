#!/usr/bin/env bash
# Metering apply throughput: the recorded test-cloud stream (Tests/MeteringTests/Fixtures/
# recorded-testcloud.jsonl) multiplied into COPIES copies with distinct ids (metering-replay/multiply.py),
# applied by `steward metering replay` (the consumer's ingestor and batching, one transaction per batch)
# into a fresh SQLite file or PostgreSQL database. Prints messages/s and the per-batch apply latency
# (p50, p99: a message is durable, and acked by the consumer, when its batch commits).
#
# Usage: benchmarks/metering-replay.sh [copies] [batch]   (default 1000 copies = 79,000 messages, batch 1024 = the consumer's default)
#   DATABASE=sqlite (default) | postgres (scripts/postgres up; a fresh database steward_meterbench)
#   SERVERS=N   first fills the view with N running servers (the recorded server's update(active) and
#               create.end, N copies with their own ids), unmeasured, then measures the stream on top:
#               SERVERS=1000 vs SERVERS=100000 shows whether the cost per event grows with the cloud.
#   FOLLOWED=1  leaves out the event types metering does not follow (the `.start` halves, scheduler and
#               router events...: counted as unknown and skipped), so every message measured changes the ledger.
#   CONFIG=debug uses the debug build instead of building release (figures then say nothing about speed).
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES=${1:-1000}
BATCH=${2:-1024}
CONFIG=${CONFIG:-release}
DATABASE=${DATABASE:-sqlite}
SERVERS=${SERVERS:-0}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
[ "$CONFIG" = debug ] || swift build -c "$CONFIG" --product steward >&2
BIN=$(swift build -c "$CONFIG" --show-bin-path)/steward
REC=Tests/MeteringTests/Fixtures/recorded-testcloud.jsonl
EXCLUDE=
if [ "${FOLLOWED:-0}" = 1 ]; then
  # The types the consumer counts as unknown, as the binary itself reports them for the recording.
  "$BIN" metering replay --database "$OUT/probe.sqlite" -f json "$REC" > /dev/null
  EXCLUDE=$("$BIN" metering status --database "$OUT/probe.sqlite" -f json |
    python3 -c 'import json,sys; print(",".join(e.rsplit("=", 1)[0] for e in json.load(sys.stdin)["Unknown Events"]))')
fi
python3 benchmarks/metering-replay/multiply.py "$REC" "$COPIES" "$OUT/stream.jsonl" --exclude-events "$EXCLUDE"
case "$DATABASE" in
  sqlite) DB="$OUT/ledger.sqlite" ;;
  postgres)
    URL=$(scripts/postgres url)
    ADMIN=${URL/steward_test/postgres}
    psql -q "${ADMIN%%\?*}" -c "DROP DATABASE IF EXISTS steward_meterbench WITH (FORCE)" \
      -c "CREATE DATABASE steward_meterbench"
    DB=${URL/steward_test/steward_meterbench}
    ;;
  *) echo "DATABASE must be sqlite or postgres" >&2; exit 64 ;;
esac
echo "$(swift --version 2>/dev/null | head -1); $CONFIG build; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)"
if [ "$SERVERS" -gt 0 ]; then
  python3 benchmarks/metering-replay/multiply.py "$REC" "$SERVERS" "$OUT/population.jsonl" --salt population \
    --events compute.instance.update,compute.instance.create.end
  echo "population: $SERVERS servers ($(wc -l < "$OUT/population.jsonl") messages, not measured)"
  "$BIN" metering replay --database "$DB" --batch "$BATCH" -f json "$OUT/population.jsonl" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("  applied in %ss (%s messages/s)" % (r["Seconds"], r["Messages/s"]))'
fi
echo "$(wc -l < "$OUT/stream.jsonl") messages, $(du -h "$OUT/stream.jsonl" | cut -f1), batch $BATCH, $DATABASE"
"$BIN" metering replay --database "$DB" --batch "$BATCH" "$OUT/stream.jsonl"
