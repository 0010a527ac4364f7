# shellcheck shell=bash
# Shared paths, ports and small helpers for the Steward test cloud.
# Sourced by ../testcloud; not meant to be run on its own.

HERE=${HERE:?HERE must point at scripts/testcloud}
BASE=${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}
VENV=$BASE/venv
ETC=$BASE/etc          # generated configs (rewritten on every `up`)
DATA=$BASE/data        # SQLite DBs, images, rabbit mnesia ... (wiped unless KEEP_STATE=1)
LOGS=$BASE/logs
PIDS=$BASE/pids        # "name pid starttime" lines; `down` only ever signals these
PY=${PYTHON:-python3}

# Everything binds to loopback.  Non-default ports where a distro service
# could already be listening (RabbitMQ/epmd), OpenStack defaults elsewhere.
# A second cloud (another TESTCLOUD_DIR) next to the default one:
# TESTCLOUD_PORT_OFFSET=100 shifts every port, TESTCLOUD_PORT_<NAME> sets one.
HOST=127.0.0.1
PORT_OFFSET=${TESTCLOUD_PORT_OFFSET:-0}
[[ $PORT_OFFSET =~ ^[0-9]+$ ]] || { echo "TESTCLOUD_PORT_OFFSET must be a number" >&2; exit 2; }
PORT_NAMES=()
set_port() {  # NAME default -> sets PORT_NAME, exports TESTCLOUD_PORT_NAME (register.py reads them)
  local var=TESTCLOUD_PORT_$1 val
  val=${!var:-$(($2 + PORT_OFFSET))}
  [[ $val =~ ^[0-9]+$ ]] && [ "$val" -lt 65536 ] || { echo "bad port $var=$val" >&2; exit 2; }
  printf -v "PORT_$1" '%s' "$val"
  export "$var=$val"
  PORT_NAMES+=("$1")
}
set_port KEYSTONE 5000
set_port GLANCE 9292
set_port PLACEMENT 8778
set_port NOVA 8774
set_port NEUTRON 9696
set_port IRONIC 6385
set_port IRONIC_JSONRPC 8089
set_port CINDER 8776
set_port HEAT 8004
set_port RABBIT 5682
set_port RABBIT_TLS 5681
set_port RABBIT_DIST 25682
set_port EPMD 4379
# Erlang node name: distinct per cloud, so rabbitmqctl of one never talks to the other
RABBIT_NODE=${TESTCLOUD_RABBIT_NODENAME:-rabbit_steward$([ "$PORT_OFFSET" = 0 ] || echo "_$PORT_OFFSET")}@localhost
REGION=RegionOne
NOVA_HOST=steward-testcloud   # nova-compute host == neutron binding:host_id
TRANSPORT_URL="rabbit://guest:guest@$HOST:$PORT_RABBIT/"

export PYTHONWARNINGS=ignore
export OS_CLIENT_CONFIG_FILE=$BASE/clouds.yaml
# SQLite BEGIN IMMEDIATE shim, see sqlite_immediate.py; inherited by all services
export STEWARD_SQLITE_IMMEDIATE=1

# --------------------------------------------------------------- output ----
T_START=${EPOCHREALTIME/[.,]/}
# elapsed seconds since the command started, one decimal (no bc on fresh Debian)
elapsed() { local now=${EPOCHREALTIME/[.,]/}; local d=$(( (now - T_START) / 100000 )); printf '%d.%d' $((d / 10)) $((d % 10)); }
since() {  # seconds since an ${EPOCHREALTIME/[.,]/} stamp
  local now=${EPOCHREALTIME/[.,]/}; local d=$(( (now - $1) / 100000 )); printf '%d.%d' $((d / 10)) $((d % 10)); }
ts()  { printf '[%6ss] %s\n' "$(elapsed)" "$*"; }
die() {
  printf '[%6ss] ERROR: %s\n' "$(elapsed)" "$*" >&2
  [ -s "${PIDS:-}" ] && echo "processes started so far keep running (for their logs); stop them with: $HERE/testcloud down" >&2
  exit 1
}

# ------------------------------------------------------------ processes ----
# Start time (clock ticks since boot, field 22 of /proc/<pid>/stat) is recorded
# with each PID: `down` signals a PID only while the start time still matches,
# so a reused PID (after a reboot, say) is never hit.  (An environment marker
# would not do: setproctitle in nova/ironic overwrites /proc/<pid>/environ.)
proc_start() {
  local st f; st=$(< "/proc/$1/stat") 2> /dev/null || return 1
  st=${st##*) }             # drop "pid (comm) ", comm may contain spaces
  read -r -a f <<< "$st"
  echo "${f[19]}"
}
record() { echo "$1 $2 $(proc_start "$2" || echo 0)" >> "$PIDS"; }
# owned pid -> 0 if the recorded process is still the one we started
owned() {
  local pid=$1 want
  [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null || return 1
  want=$(awk -v p="$pid" '$2 == p {print $3}' "$PIDS" | tail -1)
  [ -n "$want" ] && [ "$(proc_start "$pid")" = "$want" ]
}

declare -A T0=()
# start_bg name logfile cmd... : run in its own session (setsid) so that `down`
# can signal the whole process group (uwsgi workers, oslo.service children)
# without ever matching processes by name.  In a non-interactive shell the
# background child is not a group leader, so setsid(1) does not fork and $!
# is the session/group id.
start_bg() {
  local name=$1 log=$2; shift 2
  setsid "$@" > "$log" 2>&1 < /dev/null &
  record "$name" $!
  T0[$name]=${EPOCHREALTIME/[.,]/}
}

http_ok() {  # url -> 0 if it answers 2xx/3xx (version documents)
  local code
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null) || return 1
  [[ $code =~ ^[23][0-9][0-9]$ ]]
}
tcp_ok() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_http() {  # name url [timeout s]
  local name=$1 url=$2 lim=${3:-180} i
  for ((i = 0; i < lim * 5; i++)); do
    if http_ok "$url"; then
      ts "$name answers $url (${T0[$name]:+started $(since "${T0[$name]}") s ago})"; return 0
    fi
    pid_alive_name "$name" || die "$name died during start-up, see $LOGS/$name.log"
    sleep 0.2
  done
  die "$name did not answer $url within ${lim}s (see $LOGS/$name.log)"
}
wait_tcp() {  # name port [timeout s]
  local name=$1 port=$2 lim=${3:-180} i
  for ((i = 0; i < lim * 5; i++)); do
    if tcp_ok "$port"; then
      ts "$name accepts on $HOST:$port (${T0[$name]:+started $(since "${T0[$name]}") s ago})"; return 0
    fi
    sleep 0.2
  done
  die "$name did not listen on $port within ${lim}s (see $LOGS)"
}

pid_of() { [ -s "$PIDS" ] && awk -v n="$1" '$1 == n {print $2}' "$PIDS" | tail -1; return 0; }
pid_alive_name() {
  local p; p=$(pid_of "$1"); [ -z "$p" ] && return 0   # not recorded (yet): do not judge
  kill -0 "$p" 2>/dev/null
}

# wait for a background job, die with its log on failure
wait_job() {  # pid description logfile ; prints "took N s" (last line of the job log)
  wait "$1" || { tail -20 "$3" >&2; die "$2 failed (full log: $3)"; }
  ts "$2 done ($(tail -1 "$3"))"
}
