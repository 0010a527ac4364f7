#!/usr/bin/env bash
# Billing: rating one month for PROJECTS projects from INTERVALS ledger intervals on SQLite.
# benchmarks/billing/generate.py fills a fresh metering database (deterministic), then
# `steward billing close-period --period 2026-10 --dry-run` rates every project (read the ledger and the
# view, rate, build 1,000 invoices; nothing written) RUNS times; the real close (rating + writing the
# finalized invoices) runs once at the end. Wall-clock seconds per run, process start included.
# Usage: benchmarks/billing-rate.sh [projects] [intervals] [runs]   (default 1000 100000 5)
# CONFIG=debug uses the debug build instead of building release.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECTS=${1:-1000}
INTERVALS=${2:-100000}
RUNS=${3:-5}
CONFIG=${CONFIG:-release}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
[ "$CONFIG" = debug ] || swift build -c "$CONFIG" --product steward >&2
BIN=$(swift build -c "$CONFIG" --show-bin-path)/steward
DB="$OUT/steward.sqlite"
"$BIN" metering status --database "$DB" >/dev/null
python3 benchmarks/billing/generate.py "$DB" "$PROJECTS" "$INTERVALS"
PRICES=Tests/BillingTests/Fixtures/prices.yaml
echo "$(swift --version 2>/dev/null | head -1); $CONFIG build; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)"
# One run: "wall user+sys" seconds (CPU time too: on a shared 2-core machine wall time mostly measures the
# neighbours).
run() {
  local TIMEFORMAT='%R %U %S'
  { time "$BIN" billing close-period --database "$DB" --prices "$PRICES" --period 2026-10 "$@" -f value \
    >"$OUT/out.txt" 2>"$OUT/err.txt"; } 2>&1 | awk '{printf "%.3f %.3f\n", $1, $2 + $3}'
}
results=()
for i in $(seq "$RUNS"); do results+=("$(run --dry-run)"); done
echo "dry run (rate only): $(cat "$OUT/err.txt")"
printf '%s\n' "${results[@]}" | sort -n | awk '{w[NR]=$1; c[NR]=$2} END {m=int((NR+1)/2); printf "rate %d projects: wall min %.3f s, median %.3f s, max %.3f s; CPU (user+sys) of the median run %.3f s (%d runs)\n", '"$PROJECTS"', w[1], w[m], w[NR], c[m], NR}'
echo "close (rate + write $(wc -l <"$OUT/out.txt") invoices), wall and CPU s: $(run)"
echo "close again (all already final, compared byte for byte), wall and CPU s: $(run)"
