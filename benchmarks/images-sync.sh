#!/usr/bin/env bash
# Compares `steward images sync` with openstack-image-manager (PyPI) on the same local Glance:
#   1. wall time importing the same definitions (COUNT raw images of SIZE_MIB MiB, served by a local
#      HTTP server on 127.0.0.1:18080, fetched by Glance web-download, checksums verified), and
#   2. wall time of a second run that finds nothing to do;
#   3. steward's peak RSS streaming a 1 GiB image through this host (--upload-only, from HTTP and from
#      a local file), to show memory stays flat whatever the image size.
# Each tool gets its own managed tag and image names; everything created is deleted at the end.
#
# Usage: benchmarks/images-sync.sh
#   STEWARD   steward binary (default .build/release/steward; `swift build -c release`)
#   OIM       openstack-image-manager (default /tmp/oim-venv/bin/openstack-image-manager;
#             install: python3 -m venv /tmp/oim-venv && /tmp/oim-venv/bin/pip install openstack-image-manager)
#   CLOUD     cloud in clouds.yaml (default steward-admin)
#   COUNT, SIZE_MIB   images and their size (default 4 x 64 MiB)
#   NOCHANGE  how many no-change runs per tool (default 3)
#   STREAM    1 (default) to run the 1 GiB streaming demonstration, 0 to skip it
set -euo pipefail
cd "$(dirname "$0")/.."

TESTCLOUD=${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$TESTCLOUD/clouds.yaml}
STEWARD=${STEWARD:-.build/release/steward}
OIM=${OIM:-/tmp/oim-venv/bin/openstack-image-manager}
CLOUD=${CLOUD:-steward-admin}
COUNT=${COUNT:-4}
SIZE_MIB=${SIZE_MIB:-64}
PORT=18080
for tool in "$STEWARD" "$OIM"; do
  [[ -x $tool ]] || { echo "missing $tool (see the header of $0)" >&2; exit 2; }
done

OPENSTACK=${OPENSTACK:-$TESTCLOUD/venv/bin/openstack}
delete_named() { # $1 = name prefix
  "$STEWARD" --os-cloud "$CLOUD" images list -f json | python3 -c '
import json, sys
prefix = sys.argv[1]
for image in json.load(sys.stdin):
    if (image.get("Name") or "").startswith(prefix):
        print(image["ID"])' "$1" | while read -r id; do
    "$OPENSTACK" --os-cloud "$CLOUD" image delete "$id" 2>/dev/null || true
  done
}

WORK=$(mktemp -d /tmp/steward-images-bench.XXXXXX)
mkdir -p "$WORK/www"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  for prefix in bench-steward bench-oim bench-stream; do delete_named "$prefix" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
sleep 1

definitions() { # $1 = name prefix, $2 = file
  {
    echo "images:"
    for i in $(seq 1 "$COUNT"); do
      sha=$(sha512sum "$WORK/www/img$i.raw" | cut -d' ' -f1)
      cat <<YAML
  - name: $1 $i
    enable: true
    format: raw
    login: bench
    min_disk: 1
    min_ram: 128
    status: active
    visibility: private
    multi: true
    meta:
      architecture: x86_64
      hypervisor_type: qemu
      os_distro: bench
      os_version: '1'
      os_purpose: custom
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '1'
        url: http://127.0.0.1:$PORT/img$i.raw
        checksum: sha512:$sha
        build_date: 2026-01-01
YAML
    done
  } >"$2"
}

for i in $(seq 1 "$COUNT"); do head -c $((SIZE_MIB << 20)) /dev/urandom >"$WORK/www/img$i.raw"; done
definitions "bench-steward" "$WORK/steward.yml"
definitions "bench-oim" "$WORK/oim.yml"

timed() { # prints wall seconds of "$@"
  local start end
  start=$(date +%s.%N)
  "$@" >"$WORK/last.log" 2>&1 || { echo "FAILED: $*" >&2; tail -20 "$WORK/last.log" >&2; }
  end=$(date +%s.%N)
  printf '%.2f' "$(echo "$end - $start" | bc)"
}


S1=$(timed "$STEWARD" --os-cloud "$CLOUD" images sync --images "$WORK/steward.yml" --tag bench-steward --max-parallel 4)
S2=""
for _ in $(seq 1 "${NOCHANGE:-3}"); do
  S2="$S2 $(timed "$STEWARD" --os-cloud "$CLOUD" images sync --images "$WORK/steward.yml" --tag bench-steward)"
done
grep -q "No changes" "$WORK/last.log" || { echo "steward's second run was not empty:" >&2; cat "$WORK/last.log" >&2; }
O1=$(timed "$OIM" --cloud "$CLOUD" --images "$WORK/oim.yml" --tag bench-oim --no-check)
O2=""
for _ in $(seq 1 "${NOCHANGE:-3}"); do
  O2="$O2 $(timed "$OIM" --cloud "$CLOUD" --images "$WORK/oim.yml" --tag bench-oim --no-check)"
done
delete_named "bench-steward"
delete_named "bench-oim"

# Memory: a 1 GiB image streamed through steward (HTTP source and local file), peak RSS.
[[ ${STREAM:-1} == 1 ]] && head -c $((1 << 30)) /dev/urandom >"$WORK/www/big.raw"
BIGSHA=$([[ ${STREAM:-1} == 1 ]] && sha256sum "$WORK/www/big.raw" | cut -d' ' -f1 || true)
[[ ${STREAM:-1} == 1 ]] && for source in "http://127.0.0.1:$PORT/big.raw" "file://$WORK/www/big.raw"; do
  kind=${source%%:*}
  sed -e "s|bench-steward 1|bench-stream-$kind|" -e '/bench-steward 2/,$d' "$WORK/steward.yml" |
    sed -e "s|url: .*|url: $source|" -e "s|checksum: .*|checksum: sha256:$BIGSHA|" >"$WORK/big-$kind.yml"
  /usr/bin/time -v "$STEWARD" --os-cloud "$CLOUD" images sync --images "$WORK/big-$kind.yml" --tag bench-stream \
    --upload-only >"$WORK/big-$kind.log" 2>&1 || tail -20 "$WORK/big-$kind.log" >&2
  echo "stream $kind: peak RSS $(awk '/Maximum resident set size/ {print $6}' "$WORK/big-$kind.log") KiB," \
    "wall $(awk '/Elapsed \(wall clock\)/ {print $8}' "$WORK/big-$kind.log")"
  delete_named "bench-stream-$kind"
done

echo
echo "| tool | scenario | images | wall s |"
echo "|---|---|---:|---:|"
echo "| steward | import ($COUNT x $SIZE_MIB MiB) | $COUNT | $S1 |"
echo "| steward | no change (each run) | $COUNT | $S2 |"
echo "| openstack-image-manager | import ($COUNT x $SIZE_MIB MiB) | $COUNT | $O1 |"
echo "| openstack-image-manager | no change (each run) | $COUNT | $O2 |"
