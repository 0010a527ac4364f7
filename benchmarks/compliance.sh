#!/usr/bin/env bash
# Runs `steward compliance check` and the official SCS runner (scs-compliance-check.py driving
# iaas/openstack_test.py, from a SovereignCloudStack/standards checkout outside the repo, in a PyPI venv)
# against the same cloud, as the same member, for the same version and testcases. Prints the
# per-testcase verdict comparison (markdown) and the wall times (median of RUNS), and keeps both YAML
# reports in OUT.
#
# Usage: benchmarks/compliance.sh [runs]
#   STEWARD    steward binary (default .build/release/steward; build with `swift build -c release`)
#   STANDARDS  directory holding the standards repo's Tests/ (default /tmp/scs-official/Tests;
#              e.g. `git -C <standards clone> archive HEAD Tests | tar -x -C /tmp/scs-official`)
#   PYTHON     python of a venv with Tests/iaas/requirements.txt installed (default /tmp/scs-official/venv/bin/python;
#              python3 -m venv /tmp/scs-official/venv && /tmp/scs-official/venv/bin/pip install -r $STANDARDS/iaas/requirements.txt)
#   CLOUD      member cloud (default steward-demo)
#   VERSION    spec version (default v5.1)
#   TESTS      testcase regex (default: every automated testcase of the version's main and recommended targets)
#   OUT        directory for the reports (default /tmp/compliance-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
TESTCLOUD=${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$TESTCLOUD/clouds.yaml}
STEWARD=${STEWARD:-.build/release/steward}
STANDARDS=${STANDARDS:-/tmp/scs-official/Tests}
PYTHON=${PYTHON:-/tmp/scs-official/venv/bin/python}
CLOUD=${CLOUD:-steward-demo}
VERSION=${VERSION:-v5.1}
TESTS=${TESTS:-scs-}
OUT=${OUT:-/tmp/compliance-bench}
mkdir -p "$OUT"
for tool in "$STEWARD" "$PYTHON"; do
  [[ -x $tool ]] || { echo "missing $tool (see the header of $0)" >&2; exit 2; }
done
[[ -f $STANDARDS/scs-compliance-check.py ]] || { echo "missing $STANDARDS/scs-compliance-check.py" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Wall time and client CPU time (user + sys of the tool and its children) of one command, as "wall cpu".
measure() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{print $1, $2 + $3}'
}
official_cmd() {
  cd "$STANDARDS" && "$PYTHON" scs-compliance-check.py -q -s "$CLOUD" -a "os_cloud=$CLOUD" -V "$VERSION" \
    -t "$TESTS" -o "$OUT/official.yaml" scs-compatible-iaas.yaml
}
steward_cmd() {
  "$STEWARD" compliance check --os-cloud "$CLOUD" --version "$VERSION" --target main,recommended \
    --tests "$TESTS" -o "$OUT/steward.yaml"
}

official_wall=(); official_cpu=(); steward_wall=(); steward_cpu=()
for run in $(seq "$RUNS"); do
  read -r wall cpu < <(measure official_cmd || true)
  official_wall+=("$wall"); official_cpu+=("$cpu")
  read -r wall cpu < <(measure steward_cmd || true)
  steward_wall+=("$wall"); steward_cpu+=("$cpu")
done
ow=$(printf '%s\n' "${official_wall[@]}" | median); oc=$(printf '%s\n' "${official_cpu[@]}" | median)
sw=$(printf '%s\n' "${steward_wall[@]}" | median); sc=$(printf '%s\n' "${steward_cpu[@]}" | median)

"$PYTHON" - "$OUT/official.yaml" "$OUT/steward.yaml" <<'PY'
import sys, yaml
def results(path):
    report = yaml.safe_load(open(path))
    merged = {}
    for invocation in report["run"]["invocations"].values():
        merged.update(invocation["results"])
    return merged
name = {1: "PASS", 0: "ABORT", -1: "FAIL", None: "-"}
official, steward = results(sys.argv[1]), results(sys.argv[2])
same = differ = 0
print("| testcase | official | steward | |")
print("|---|---|---|---|")
for tc in sorted(set(official) | set(steward)):
    a, b = official.get(tc), steward.get(tc)
    mark = "" if a == b else "**differs**"
    if a is not None and b is not None and a != 0 and b != 0:
        same += a == b
        differ += a != b
    print(f"| {tc} | {name[a]} | {name[b]} | {mark} |")
print(f"\nDecided by both: {same} agree, {differ} differ.")
PY
echo
echo "median of $RUNS runs: official wall ${ow}s cpu ${oc}s; steward wall ${sw}s cpu ${sc}s"
echo "ratios: wall $(echo "scale=1; $ow / $sw" | bc)x, client cpu $(echo "scale=1; $oc / $sc" | bc)x"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
