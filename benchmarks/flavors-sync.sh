#!/usr/bin/env bash
# Compares `steward flavors sync` with openstack-flavor-manager (PyPI) creating the 31 scs-0103 standard
# flavors (mandatory + recommended, --limit-memory 128) on the same local Nova: from empty and when
# nothing changes. Reports wall time and API calls; calls are counted from the services' uwsgi request
# logs (Nova API, and Keystone without Nova's own token validations), so both tools are counted the same
# way. Other clients using the cloud at the same time would inflate the counts.
#
# Usage: benchmarks/flavors-sync.sh [runs]
#   STEWARD      steward binary (default .build/release/steward; build with `swift build -c release`)
#   OFM          openstack-flavor-manager (default /tmp/ofm-venv/bin/openstack-flavor-manager;
#                install: python3 -m venv /tmp/ofm-venv && /tmp/ofm-venv/bin/pip install openstack-flavor-manager)
#   OPENSTACK    openstack CLI used to delete the SCS flavors between runs
#   CLOUD        cloud in clouds.yaml (default steward-admin)
#   LOGS         directory with nova-api-uwsgi.log and keystone-uwsgi.log
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
TESTCLOUD=${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$TESTCLOUD/clouds.yaml}
STEWARD=${STEWARD:-.build/release/steward}
OFM=${OFM:-/tmp/ofm-venv/bin/openstack-flavor-manager}
OPENSTACK=${OPENSTACK:-$TESTCLOUD/venv/bin/openstack}
CLOUD=${CLOUD:-steward-admin}
LOGS=${LOGS:-$TESTCLOUD/logs}
# The peer would download this file from GitHub; give both tools the same definitions offline. Steward's
# built-in scs set is equal to it (Tests/FlavorsTests: builtinSetEqualsTheStandardsFile).
DEFINITIONS=$PWD/Tests/FlavorsTests/Fixtures/SCS-Spec.MandatoryFlavors.verbose.yaml

STEWARD_CMD=("$STEWARD" --os-cloud "$CLOUD" flavors sync --recommended --limit-memory 128)
OFM_CMD=("$OFM" --cloud "$CLOUD" --name local --url "file://$DEFINITIONS" --recommended --limit-memory 128)

for tool in "$STEWARD" "$OFM" "$OPENSTACK"; do
  [[ -x $tool ]] || { echo "missing $tool (see the header of $0)" >&2; exit 2; }
done

delete_scs_flavors() {
  "$OPENSTACK" --os-cloud "$CLOUD" flavor list --all -f value -c ID -c Name | awk '$2 ~ /^SCS-/ {print $1}' |
    xargs -r -n 20 "$OPENSTACK" --os-cloud "$CLOUD" flavor delete
}

lines() { wc -l < "$1"; }

# Runs a command, prints "seconds nova_calls keystone_calls".
measure() {
  local nova_before keystone_before start end
  nova_before=$(lines "$LOGS/nova-api-uwsgi.log")
  keystone_before=$(lines "$LOGS/keystone-uwsgi.log")
  start=$(date +%s.%N)
  "$@" > /dev/null 2> /tmp/flavors-bench.err || { echo "failed: $*" >&2; cat /tmp/flavors-bench.err >&2; exit 1; }
  end=$(date +%s.%N)
  sleep 1 # uwsgi writes the log line after the response
  local nova keystone
  nova=$(tail -n +"$((nova_before + 1))" "$LOGS/nova-api-uwsgi.log" | grep -c ' /v2' || true)
  keystone=$(tail -n +"$((keystone_before + 1))" "$LOGS/keystone-uwsgi.log" | grep -v 'GET /v3/auth/tokens' | grep -c '127.0.0.1' || true)
  printf '%.2f %d %d\n' "$(echo "$end - $start" | bc)" "$nova" "$keystone"
}

count_scs() { "$OPENSTACK" --os-cloud "$CLOUD" flavor list --all -f value -c Name | grep -c '^SCS-' || true; }

echo "| run | tool | scenario | wall s | Nova calls | Keystone calls | SCS flavors after |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  for name in steward openstack-flavor-manager; do
    if [[ $name == steward ]]; then cmd=("${STEWARD_CMD[@]}"); else cmd=("${OFM_CMD[@]}"); fi
    delete_scs_flavors
    read -r secs nova keystone < <(measure "${cmd[@]}")
    echo "| $run | $name | from empty | $secs | $nova | $keystone | $(count_scs) |"
    read -r secs nova keystone < <(measure "${cmd[@]}")
    echo "| $run | $name | no change | $secs | $nova | $keystone | $(count_scs) |"
  done
done
echo
echo "steward: ${STEWARD_CMD[*]}"
echo "openstack-flavor-manager: ${OFM_CMD[*]}"
