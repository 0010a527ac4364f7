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
PY=$BASE/venv/bin/python
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AMQP="amqp://guest:guest@127.0.0.1:$(awk -F= '/RABBITMQ_NODE_PORT/ {print $2}' "$BASE/etc/rabbitmq/env.sh")/"
NQ=steward-verify-$S

echo "== notifications (own queue bound to the service exchanges)"
chk "bind $NQ to nova neutron keystone glance cinder heat / notifications.info" $PY "$HERE/notify_probe.py" bind "$AMQP" $NQ

echo "== keystone"
for c in steward-admin steward-system steward-demo steward-demo2; do
  chk "token issue --os-cloud $c" $OSC --os-cloud $c token issue
done
eq "catalog service types" "$($A catalog list -f value -c Type | sort | xargs)" \
   "baremetal block-storage compute identity image network orchestration placement volumev3"
eq "roles (bootstrap + register.py)" "$($A role list -f value -c Name | grep -xE 'admin|member|reader|manager|service|load-balancer_member|creator|heat_stack_owner|heat_stack_user' | sort | xargs)" \
   "admin creator heat_stack_owner heat_stack_user load-balancer_member manager member reader service"
ra=$($A role assignment list --project service --names -f value -c User -c Role)
for u in glance nova placement neutron ironic cinder heat; do
  eq "service user $u has admin+service in project service" "$(echo "$ra" | awk -v u="$u@Default" '$2 == u {print $1}' | sort | xargs)" "admin service"
done
for u in demo demo2; do
  eq "$u has member on project $u" "$($A role assignment list --user $u --project $u --names -f value -c Role 2>&1 | grep -x member)" member
done

eq "heat stack domain admin has admin on domain heat" "$($A role assignment list --domain heat --names -f value -c Role -c User | xargs)" "admin heat_domain_admin@heat"

chk "project create + delete (admin; notification source)" sh -c "$A project create vp$S > /dev/null && $A project delete vp$S"

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

echo "== cinder (sparse-file backend, posix backups)"
eq "volume types" "$($A volume type list -f value -c Name | grep -xE '__DEFAULT__|standard' | sort | xargs)" "__DEFAULT__ standard"
eq "default volume type" "$($A volume type list --default -f value -c Name)" standard
eq "cinder services up" "$($A volume service list -f value -c Binary -c State | sort | xargs)" "cinder-backup up cinder-scheduler up cinder-volume up"
VOL=$($D1 volume create --size 1 vol$S -f value -c id)
eq "volume create (demo) -> available" "$(wait_for available 60 $D1 volume show "$VOL" -f value -c status)" available
eq "volume has type standard" "$($D1 volume show "$VOL" -f value -c type)" standard
VFILE=$BASE/data/cinder/volumes/volume-$VOL
eq "volume is a 1 GiB sparse file" "$(stat -c %s "$VFILE" 2>&1)" 1073741824
chk "volume set --size 2 (extend)" $D1 volume set --size 2 "$VOL"
eq "extended to 2 GiB" "$(wait_for 2 30 $D1 volume show "$VOL" -f value -c size)" 2
# a marker in the volume's first bytes must come back from backup + restore
printf 'steward-verify-%s' "$S" | dd of="$VFILE" conv=notrunc status=none
BK=$($D1 volume backup create --name bk$S "$VOL" -f value -c id)
eq "volume backup create -> available" "$(wait_for available 120 $D1 volume backup show "$BK" -f value -c status)" available
eq "volume available again after backup" "$(wait_for available 30 $D1 volume show "$VOL" -f value -c status)" available
chk "volume backup restore into a new volume" $D1 volume backup restore "$BK" rvol$S
RVOL=$($D1 volume show rvol$S -f value -c id)
eq "restored volume -> available" "$(wait_for available 120 $D1 volume show "$RVOL" -f value -c status)" available
eq "restored volume file has the volume's size" "$(stat -c %s "$BASE/data/cinder/volumes/volume-$RVOL" 2>&1)" 2147483648
eq "restored volume has the marker" "$(head -c $((15 + ${#S})) "$BASE/data/cinder/volumes/volume-$RVOL" 2>&1)" "steward-verify-$S"
eq "server create for attach -> ACTIVE" "$($D1 server create --flavor tiny$S --image "$IMG" --nic none --wait avm$S -f value -c status 2>&1 | tail -1)" ACTIVE
chk "server add volume" $D1 server add volume avm$S "$VOL"
eq "volume in-use" "$(wait_for in-use 60 $D1 volume show "$VOL" -f value -c status)" in-use
chk "server remove volume" $D1 server remove volume avm$S "$VOL"
eq "volume available after detach" "$(wait_for available 60 $D1 volume show "$VOL" -f value -c status)" available
eq "boot from volume (image -> 1 GiB volume) -> ACTIVE" "$($D1 server create --flavor tiny$S --image "$IMG" --boot-from-volume 1 --nic none --wait bvm$S -f value -c status 2>&1 | tail -1)" ACTIVE
BVOL=$($D1 server show bvm$S -f json -c volumes_attached | $PY -c 'import json,sys; print(json.load(sys.stdin)["volumes_attached"][0]["id"])' 2>/dev/null)
eq "boot volume holds the image bytes" "$(cmp -n 1048576 "$BASE/verify.img" "$BASE/data/cinder/volumes/volume-$BVOL" 2>&1 && echo same)" same
chk "server delete (attach + boot-from-volume servers)" $D1 server delete --wait avm$S bvm$S
chk "volume backup delete" $D1 volume backup delete "$BK"
eq "backup gone" "$(wait_for 0 60 sh -c "$D1 volume backup list -f value -c ID | grep -c $BK")" 0
chk "volume delete" $D1 volume delete "$VOL" "$RVOL"
[ -n "$BVOL" ] && $A volume delete "$BVOL" > /dev/null 2>&1

echo "== heat (stack as project member)"
cat > "$BASE/verify-stack.yaml" <<EOF
heat_template_version: 2021-04-16
parameters:
  image: {type: string}
  flavor: {type: string}
resources:
  net: {type: OS::Neutron::Net, properties: {name: hnet$S}}
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.254.$((S % 250)).0/24}
  vol: {type: OS::Cinder::Volume, properties: {size: 1, name: hvol$S}}
  server:
    type: OS::Nova::Server
    depends_on: subnet
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks: [{network: {get_resource: net}}]
  attach:
    type: OS::Cinder::VolumeAttachment
    properties: {instance_uuid: {get_resource: server}, volume_id: {get_resource: vol}}
outputs:
  server: {value: {get_resource: server}}
EOF
eq "stack create (Net, Subnet, Volume, Server, VolumeAttachment) -> CREATE_COMPLETE" \
   "$($D1 stack create --wait -t "$BASE/verify-stack.yaml" --parameter image="$IMG" --parameter flavor=tiny$S st$S -f value -c stack_status 2>&1 | tail -1)" CREATE_COMPLETE
eq "stack resources complete" "$($D1 stack resource list st$S -f value -c resource_status | sort -u | xargs)" CREATE_COMPLETE
eq "stack volume in-use" "$($D1 volume show hvol$S -f value -c status 2>/dev/null)" in-use
chk "stack delete --wait" $D1 stack delete --yes --wait st$S
eq "stack network gone" "$($D1 network list -f value -c Name | grep -cx hnet$S)" 0
rm -f "$BASE/verify-stack.yaml"

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

echo "== notifications seen on $NQ (exchange, routing key, event type)"
sleep 2
EV=$($PY "$HERE/notify_probe.py" drain "$AMQP" $NQ 2>&1)
echo "$EV" | awk '{print $1, $2, $3}' | sort | uniq -c | sed 's/^/    /' | head -100
seen() { echo "$EV" | awk -v e="$1" -v t="$2" '$1 == e && $2 == "notifications.info" && $3 == t' | grep -c .; }
for want in "nova compute.instance.create.end" "nova compute.instance.delete.end" "nova compute.instance.update" \
            "nova compute.instance.volume.attach" "neutron network.create.end" "neutron port.create.end" \
            "neutron floatingip.create.end" "keystone identity.project.created" "keystone identity.project.deleted" "glance image.create" "glance image.upload" \
            "cinder volume.create.end" "cinder volume.resize.end" "cinder volume.attach.end" "cinder volume.delete.end" \
            "cinder backup.create.end" "cinder backup.restore.end" "heat orchestration.stack.create.end" \
            "heat orchestration.stack.delete.end"; do
  n=$(seen $want)
  [ "$n" -gt 0 ] && ok "notification $want ($n)" || bad "notification $want: none seen"
done
echo "($(($(date +%s) - T0)) s)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
