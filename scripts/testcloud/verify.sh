#!/usr/bin/env bash
# Smoke test of a running Steward test cloud with the real `openstack` CLI
# from the venv.  Run after `scripts/testcloud/testcloud up`.
# Prints PASS/FAIL per check and "N passed, M failed"; exit 1 on any failure.
# Cleans up what it creates (names carry a random suffix).
set -uo pipefail
BASE=${TESTCLOUD_DIR:-$HOME/.cache/steward-testcloud}
export OS_CLIENT_CONFIG_FILE=$BASE/clouds.yaml PYTHONWARNINGS=ignore
OSC=$BASE/venv/bin/openstack
A="$OSC --os-cloud steward-admin"       # project-scoped admin
SYS="$OSC --os-cloud steward-system"    # system-scoped admin (Ironic wants this)
D1="$OSC --os-cloud steward-demo"
D2="$OSC --os-cloud steward-demo2"
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
chk() { local d=$1; shift; if out=$("$@" 2>&1); then ok "$d"; else bad "$d: $(echo "$out" | tail -1)"; fi; }
eq()  { if [ "$2" = "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2' want '$3'"; fi; }
wait_for() {  # want max_s cmd... -> echoes last value
  local want=$1 n=$2 v=""; shift 2
  for ((i = 0; i < n; i++)); do v=$("$@" 2>/dev/null); [ "$v" = "$want" ] && break; sleep 1; done
  echo "$v"
}
S=$RANDOM
T0=$(date +%s)

echo "== keystone"
for c in steward-admin steward-system steward-demo steward-demo2; do
  chk "token issue --os-cloud $c" $OSC --os-cloud $c token issue
done
eq "catalog service types" "$($A catalog list -f value -c Type | sort | xargs)" \
   "baremetal compute identity image network placement"
eq "roles (bootstrap + register.py)" "$($A role list -f value -c Name | grep -xE 'admin|member|reader|manager|service|load-balancer_member|creator' | sort | xargs)" \
   "admin creator load-balancer_member manager member reader service"
ra=$($A role assignment list --project service --names -f value -c User -c Role)
for u in glance nova placement neutron ironic; do
  eq "service user $u has admin+service in project service" "$(echo "$ra" | awk -v u="$u@Default" '$2 == u {print $1}' | sort | xargs)" "admin service"
done
for u in demo demo2; do
  eq "$u has member on project $u" "$($A role assignment list --user $u --project $u --names -f value -c Role 2>&1 | grep -x member)" member
done

echo "== glance"
head -c 1048576 /dev/urandom > "$BASE/verify.img"
IMG=$($D1 image create --file "$BASE/verify.img" --disk-format raw --container-format bare img$S -f value -c id)
eq "image create --file" "$($D1 image show "$IMG" -f value -c status)" active

echo "== neutron"
eq "public: external, shared, flat" "$($A network show public -f value -c router:external -c shared -c provider:network_type | xargs)" "flat True True"
chk "network create (demo)" $D1 network create net$S
chk "subnet create (demo)" $D1 subnet create --network net$S --subnet-range 10.$((S % 200)).0.0/24 sub$S
chk "router create (demo)" $D1 router create r$S
chk "router set --external-gateway public (demo)" $D1 router set --external-gateway public r$S
eq "router gateway on public" "$($D1 router show r$S -f json -c external_gateway_info | grep -c '"network_id"')" 1
chk "router add subnet (demo)" $D1 router add subnet r$S sub$S
eq "security group list has default (demo)" "$($D1 security group list -f value -c Name | grep -cx default)" 1
chk "security group create (demo)" $D1 security group create sg$S
chk "security group rule create (demo)" $D1 security group rule create --protocol tcp --dst-port 22 sg$S
eq "demo2 does not see demo's network" "$($D2 network list -f value -c Name | grep -cx net$S)" 0
chk "network rbac create (share net with demo2)" $D1 network rbac create --type network --action access_as_shared \
    --target-project "$($A project show demo2 -f value -c id)" net$S
eq "demo2 sees the shared network" "$($D2 network list -f value -c Name | grep -cx net$S)" 1
chk "floating ip create on public (demo)" $D1 floating ip create public

echo "== nova (fake driver)"
chk "flavor create (admin)" $A flavor create --vcpus 1 --ram 512 --disk 1 tiny$S
t=$(date +%s)
eq "server create --nic none -> ACTIVE" "$($D1 server create --flavor tiny$S --image "$IMG" --nic none --wait vm$S -f value -c status 2>&1 | tail -1)" ACTIVE
echo "     ($(($(date +%s) - t)) s incl. CLI start)"
eq "server create --network -> ACTIVE" "$($D1 server create --flavor tiny$S --image "$IMG" --network net$S --wait vmn$S -f value -c status 2>&1 | tail -1)" ACTIVE
PORT=$($D1 port list --server vmn$S -f value -c ID)
eq "server port ACTIVE" "$($D1 port show "$PORT" -f value -c status)" ACTIVE
eq "server port bound (vif_type)" "$($A port show "$PORT" -f value -c binding_vif_type)" ovs
eq "server list (GET /servers/detail) shows both" "$($D1 server list -f value -c Name | grep -c "vm.*$S")" 2
eq "server show has the address" "$($D1 server show vmn$S -f json -c addresses | grep -c "net$S")" 1
chk "server delete --wait" $D1 server delete --wait vm$S vmn$S

echo "== ironic (fake-hardware)"
P1=$($A project show demo -f value -c id); P2=$($A project show demo2 -f value -c id)
NODE=$($SYS baremetal node create --driver fake-hardware --name bm$S -f value -c uuid)
[ -n "$NODE" ] && ok "node create (system admin)" || bad "node create (system admin)"
chk "node set --owner demo --lessee demo2 (system admin)" $SYS baremetal node set --owner "$P1" --lessee "$P2" "$NODE"
chk "node power on" $SYS baremetal node power on "$NODE"
eq "power state" "$(wait_for 'power on' 20 $SYS baremetal node show "$NODE" -f value -c power_state)" "power on"
chk "node manage" $SYS baremetal node manage --wait 60 "$NODE"
chk "node provide" $SYS baremetal node provide --wait 60 "$NODE"
eq "provision state" "$($SYS baremetal node show "$NODE" -f value -c provision_state)" available
eq "lessee (demo2) sees the node" "$($D2 baremetal node list -f value -c UUID | grep -c "$NODE")" 1
eq "owner (demo) sees the node" "$($D1 baremetal node list -f value -c UUID | grep -c "$NODE")" 1
chk "node power off" $SYS baremetal node power off "$NODE"
eq "power state" "$(wait_for 'power off' 20 $SYS baremetal node show "$NODE" -f value -c power_state)" "power off"
PNODE=$($A baremetal node create --driver fake-hardware --name pbm$S -f value -c uuid)
eq "node create (project admin): owner = admin project" "$($A baremetal node show "$PNODE" -f value -c owner)" "$($A project show admin -f value -c id)"

echo "== cleanup"
chk "node delete" $SYS baremetal node delete "$NODE" "$PNODE"
chk "router remove subnet" $D1 router remove subnet r$S sub$S
for f in $($D1 floating ip list -f value -c ID); do $D1 floating ip delete "$f"; done
chk "router delete" $D1 router delete r$S
chk "network delete" $D1 network delete net$S
chk "security group delete" $D1 security group delete sg$S
$A image delete "$IMG"; $A flavor delete tiny$S; rm -f "$BASE/verify.img"
echo "($(($(date +%s) - T0)) s)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
