#!/usr/bin/env bash
# Metering apply throughput: the recorded test-cloud stream (Tests/MeteringTests/Fixtures/
# recorded-testcloud.jsonl) multiplied into COPIES copies with distinct ids (metering-replay/multiply.py),
# applied by `steward metering replay` (the consumer's ingestor and batching, one transaction per batch)
# into a fresh SQLite file. Prints messages/s and the per-batch apply latency (p50, p99).
# Usage: benchmarks/metering-replay.sh [copies] [batch]   (default 1000 copies = 79,000 messages, batch 256)
# CONFIG=debug uses the debug build instead of building release (figures then say nothing about speed).
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES=${1:-1000}
BATCH=${2:-256}
CONFIG=${CONFIG:-release}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
[ "$CONFIG" = debug ] || swift build -c "$CONFIG" --product steward >&2
BIN=$(swift build -c "$CONFIG" --show-bin-path)/steward
python3 benchmarks/metering-replay/multiply.py Tests/MeteringTests/Fixtures/recorded-testcloud.jsonl "$COPIES" "$OUT/stream.jsonl"
echo "$(swift --version 2>/dev/null | head -1); $CONFIG build; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)"
echo "$(wc -l < "$OUT/stream.jsonl") messages, $(du -h "$OUT/stream.jsonl" | cut -f1), batch $BATCH"
"$BIN" metering replay --database "$OUT/ledger.sqlite" --batch "$BATCH" "$OUT/stream.jsonl"
