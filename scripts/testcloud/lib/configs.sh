# shellcheck shell=bash
# Config file generation.  Everything under $ETC is rewritten on each `up`,
# so editing this file is how the cloud is configured.

# SQLite: ?timeout=30 makes pysqlite wait on locks instead of failing at once
# (together with sqlite_immediate.py, see there).  Each [database] section
# also gets sqlite_synchronous = false (oslo.db: PRAGMA synchronous=OFF):
# no fsync per commit; durability does not matter for a throw-away cloud.
db_url() { echo "sqlite:///$DATA/$1.db?timeout=30"; }

uwsgi_ini() {  # dir port module
  # Env vars (config locations) are passed in the process environment by
  # start_uwsgi: pyuwsgi runs inside an already started interpreter, so
  # uwsgi's own `env =` option does not reach os.environ.
  cat > "$ETC/$1/uwsgi.ini" <<EOF
[uwsgi]
http-socket = $HOST:$2
module = $3
master = true
processes = 1
threads = 4
enable-threads = true
lazy-apps = true
die-on-term = true
thunder-lock = true
buffer-size = 65535
; without this, keystoneauth re-uses closed connections -> "Connection reset by peer"
add-header = Connection: close
http-keepalive = false
; needed by glance for chunked image uploads, harmless elsewhere
http-raw-body = true
http-chunked-input = true
http-auto-chunked = true
socket-timeout = 30
EOF
}

authtoken() {  # service user (password = <user>pass)
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://$HOST:$PORT_KEYSTONE
auth_url = http://$HOST:$PORT_KEYSTONE
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = ${1}pass
region_name = $REGION
EOF
}

svc_auth() {  # section user : keystoneauth session options for service-to-service calls
  cat <<EOF
[$1]
region_name = $REGION
auth_url = http://$HOST:$PORT_KEYSTONE/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = ${2}pass
EOF
}

# Notifications (oslo.messaging messagingv2) to the test RabbitMQ: each
# service publishes to exchange <control_exchange> (= the service name, set
# explicitly) with routing key notifications.<priority>, e.g.
# nova/notifications.info.  oslo.messaging also declares and binds a queue
# named notifications.info for them (so nothing is lost before a consumer
# appears); the broker policy `steward-notifications` (testcloud,
# rabbit_policies) caps those queues so an idle cloud does not pile up messages.
notifications() {
  cat <<EOF
[oslo_messaging_notifications]
driver = messagingv2
transport_url = $TRANSPORT_URL
topics = notifications
EOF
}

write_configs() {
  mkdir -p "$ETC"/{keystone,glance,placement,nova,neutron,ironic,cinder,heat,rabbitmq}

  # ------------------------------------------------------------ keystone --
  cat > "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOGS/keystone.log
control_exchange = keystone
[database]
connection = $(db_url keystone)
sqlite_synchronous = false
[token]
provider = fernet
[fernet_tokens]
key_repository = $DATA/keystone/fernet-keys
# The receipt provider (MFA) checks its own repository at start-up; its default, /etc/keystone/fernet-keys,
# exists only on a machine where keystone-manage once ran with default paths (a fresh machine failed here).
[fernet_receipts]
key_repository = $DATA/keystone/fernet-keys
[credential]
key_repository = $DATA/keystone/credential-keys
[identity]
# bcrypt at minimum cost: test speed only
password_hash_rounds = 4
$(notifications)
EOF
  uwsgi_ini keystone $PORT_KEYSTONE keystone.wsgi.api:application

  # -------------------------------------------------------------- glance --
  cp "$VENV/etc/glance/glance-api-paste.ini" "$ETC/glance/"
  cat > "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
log_file = $LOGS/glance.log
control_exchange = glance
enabled_backends = fs:file
# list options of glance need the [..] form, a bare a,b,c value makes POST /v2/images fail with 500
enabled_import_methods = [glance-direct,web-download,copy-image]
worker_self_reference_url = http://$HOST:$PORT_GLANCE
public_endpoint = http://$HOST:$PORT_GLANCE
[database]
connection = $(db_url glance)
sqlite_synchronous = false
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DATA/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $DATA/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $DATA/glance/tasks
[import_filtering_opts]
# web-download: loopback is refused unless the host is in allowed_hosts
allowed_hosts = [127.0.0.1]
allowed_ports = [80,443,8000,18080]
$(authtoken glance)
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
$(notifications)
EOF
  uwsgi_ini glance $PORT_GLANCE glance.wsgi.api:application

  # ----------------------------------------------------------- placement --
  cat > "$ETC/placement/placement.conf" <<EOF
[DEFAULT]
log_file = $LOGS/placement.log
[placement_database]
connection = $(db_url placement)
sqlite_synchronous = false
[api]
auth_strategy = keystone
$(authtoken placement)
EOF
  uwsgi_ini placement $PORT_PLACEMENT placement.wsgi.api:application

  # ---------------------------------------------------------------- nova --
  cp "$VENV/etc/nova/api-paste.ini" "$ETC/nova/"
  cat > "$ETC/nova/nova.conf" <<EOF
[DEFAULT]
host = $NOVA_HOST
my_ip = $HOST
state_path = $DATA/nova
instances_path = $DATA/nova/instances
transport_url = $TRANSPORT_URL
control_exchange = nova
# compute.instance.exists once per audit period (metering input)
instance_usage_audit = true
instance_usage_audit_period = hour
# FakeDriverWithoutFakeNodes is fake.FakeDriver (same huge fake resources,
# instances only in memory) plus a stable node UUID kept in
# $DATA/nova/compute_id.  Plain FakeDriver invents a new node UUID per process,
# and nova-compute then refuses to start on a kept DB (KEEP_STATE=1):
# "No local node identity found, but this is not our first startup".
compute_driver = fake.FakeDriverWithoutFakeNodes
osapi_compute_listen = $HOST
metadata_listen = $HOST
graceful_shutdown_timeout = 5
# one compute host: a resize may only land on the host the server is on
# (metering follows resize notifications; the API refuses with NoValidHost
# otherwise)
allow_resize_to_same_host = true
# no agent will ever send network-vif-plugged; FakeDriver does not wait for
# it anyway, these make sure nothing else does either
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[api_database]
connection = $(db_url nova_api)
sqlite_synchronous = false
[database]
connection = $(db_url nova)
sqlite_synchronous = false
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 10
[oslo_concurrency]
lock_path = $DATA/locks/nova
$(notifications)
[notifications]
# both: the legacy unversioned notifications (compute.instance.create.end ...,
# what metering and Ceilometer consume; exchange nova, routing key
# notifications.info) AND the versioned ones (routing key
# versioned_notifications.info).  vm_and_task_state adds
# compute.instance.update on every vm/task state change.
notification_format = both
notify_on_state_change = vm_and_task_state
[vnc]
enabled = false
[glance]
region_name = $REGION
$(authtoken nova)
$(svc_auth placement placement)
$(svc_auth cinder nova)
os_region_name = $REGION
$(svc_auth neutron nova)
service_metadata_proxy = false
# Neutron (2026.x defaults) lets a project member delete a compute:* port only
# when the request also carries a service token with role "service"
# (policy delete_port: service_roles:service); without this, deleting a
# server that has ports fails with "rule:delete_port is disallowed by policy".
$(svc_auth service_user nova)
send_service_user_token = true
EOF
  printf '[DEFAULT]\nlog_file = %s/nova-api.log\n' "$LOGS" > "$ETC/nova/nova-api.conf"
  uwsgi_ini nova $PORT_NOVA nova.wsgi.osapi_compute:application

  # ------------------------------------------------------------- neutron --
  # ML2 without agents: our steward_fake mechanism driver binds all ports
  # (steward_fake_ml2.py).  flat (provider/external), vlan, vxlan (project
  # networks) are pure DB allocators and need no agent.  L3 `router` plugin
  # works API-wise without an l3-agent (routers are just never scheduled).
  cp "$VENV/etc/neutron/api-paste.ini" "$ETC/neutron/"
  cat > "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
host = $NOVA_HOST
log_file = $LOGS/neutron.log
state_path = $DATA/neutron
api_paste_config = $ETC/neutron/api-paste.ini
auth_strategy = keystone
core_plugin = ml2
service_plugins = router
transport_url = $TRANSPORT_URL
control_exchange = neutron
# tell nova about port changes (os-server-external-events)
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
[database]
connection = $(db_url neutron)
sqlite_synchronous = false
[oslo_concurrency]
lock_path = $DATA/locks/neutron
$(authtoken neutron)
$(svc_auth nova neutron)
$(svc_auth placement neutron)
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = steward_fake
extension_drivers = port_security
[ml2_type_flat]
# any physnet name may be used for flat provider networks (e.g. "public")
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
$(notifications)
EOF
  uwsgi_ini neutron $PORT_NEUTRON neutron.wsgi.api:application

  # -------------------------------------------------------------- ironic --
  # fake-hardware with fake (or noop) interfaces everywhere: nodes can be
  # enrolled, managed, provided, powered on/off and deployed, with no BMC.
  # rpc_transport json-rpc: the API calls the conductor over HTTP on
  # $HOST:$PORT_IRONIC_JSONRPC; the URL is built from the conductor's `host`,
  # hence host = 127.0.0.1 (a name would have to resolve).
  cat > "$ETC/ironic/ironic.conf" <<EOF
[DEFAULT]
host = $HOST
log_file = $LOGS/ironic-api.log
state_path = $DATA/ironic
auth_strategy = keystone
rpc_transport = json-rpc
enabled_hardware_types = fake-hardware
enabled_bios_interfaces = fake,no-bios
enabled_boot_interfaces = fake
enabled_console_interfaces = fake,no-console
enabled_deploy_interfaces = fake
enabled_firmware_interfaces = fake,no-firmware
enabled_inspect_interfaces = fake,no-inspect
enabled_management_interfaces = fake
enabled_network_interfaces = noop
enabled_power_interfaces = fake
enabled_raid_interfaces = fake,no-raid
enabled_rescue_interfaces = fake,no-rescue
enabled_storage_interfaces = noop,fake
enabled_vendor_interfaces = fake,no-vendor
[database]
connection = $(db_url ironic)
sqlite_synchronous = false
[json_rpc]
auth_strategy = noauth
host_ip = $HOST
port = $PORT_IRONIC_JSONRPC
[api]
public_endpoint = http://$HOST:$PORT_IRONIC
[conductor]
# no cleaning network/ramdisk: provide goes straight to available
automated_clean = false
[dhcp]
dhcp_provider = none
[oslo_concurrency]
lock_path = $DATA/locks/ironic
$(authtoken ironic)
[oslo_messaging_notifications]
driver = noop
EOF
  uwsgi_ini ironic $PORT_IRONIC ironic.wsgi:application

  # -------------------------------------------------------------- cinder --
  # API (uwsgi), scheduler, volume, backup.  Backend `steward_file`: one
  # sparse file per volume under $DATA/cinder/volumes, connections of os-brick
  # type `local` (steward_file_volume.py): no LVM, no iSCSI target, no root
  # helper needed, and cinder-backup can read/write the volume.  Backups go
  # to $DATA/cinder/backups with the posix backup driver.
  cp "$VENV/etc/cinder/api-paste.ini" "$VENV/etc/cinder/resource_filters.json" "$ETC/cinder/"
  cat > "$ETC/cinder/cinder.conf" <<EOF
[DEFAULT]
host = $NOVA_HOST
my_ip = $HOST
state_path = $DATA/cinder
auth_strategy = keystone
transport_url = $TRANSPORT_URL
control_exchange = cinder
api_paste_config = $ETC/cinder/api-paste.ini
resource_query_filters_file = $ETC/cinder/resource_filters.json
enabled_backends = steward_file
# created by register.py cinder (with volume_backend_name = steward_file);
# __DEFAULT__ (made by db sync) stays as well
default_volume_type = standard
storage_availability_zone = nova
backup_driver = cinder.backup.drivers.posix.PosixBackupDriver
backup_posix_path = $DATA/cinder/backups
# the chunked backup drivers hold one whole chunk in memory (default about
# 1.9 GB: cinder-backup grew to 2 GB RSS for a 2 GiB volume); 64 MiB chunks
backup_file_size = 67108864
osapi_volume_workers = 1
# volume.usage notifications on every create/delete/resize/attach
volume_usage_audit_period = hour
[steward_file]
volume_driver = steward_file_volume.StewardFileVolumeDriver
volume_backend_name = steward_file
volumes_dir = $DATA/cinder/volumes
[database]
connection = $(db_url cinder)
sqlite_synchronous = false
[oslo_concurrency]
lock_path = $DATA/locks/cinder
[coordination]
backend_url = file://$DATA/cinder/coordination
# cinder-backup asks os-brick for the host's connector properties before every
# backup/restore, and os-brick gets them through oslo.privsep, whose default
# helper is "sudo privsep-helper" (no sudo on these machines).  We run as
# root already, so start the helper directly.
[privsep_osbrick]
helper_command = $VENV/bin/privsep-helper --config-file $ETC/cinder/cinder.conf
[cinder_sys_admin]
helper_command = $VENV/bin/privsep-helper --config-file $ETC/cinder/cinder.conf
$(authtoken cinder)
# nova: os-server-external-events (volume-extended of attached volumes)
$(svc_auth nova cinder)
interface = public
$(svc_auth service_user cinder)
send_service_user_token = true
$(notifications)
EOF
  uwsgi_ini cinder $PORT_CINDER steward_wsgi:application

  # ---------------------------------------------------------------- heat --
  # heat-api (uwsgi) + one heat-engine.  Stack users live in domain `heat`
  # (admin heat_domain_admin), made by register.py keystone; deferred auth by
  # trusts with the `heat` service user as trustee.  heat-api-cfn is not run;
  # heat_metadata_server_url / heat_waitcondition_server_url only end up in
  # the (fake) servers' user data.
  cp "$VENV/etc/heat/api-paste.ini" "$ETC/heat/"
  cat > "$ETC/heat/heat.conf" <<EOF
[DEFAULT]
host = $NOVA_HOST
transport_url = $TRANSPORT_URL
control_exchange = heat
# The engine validates a template by asking Nova and Glance; under load that outlasts the default 60 s.
rpc_response_timeout = 180
region_name_for_services = $REGION
num_engine_workers = 1
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = heat_domain_adminpass
heat_stack_user_role = heat_stack_user
deferred_auth_method = trusts
heat_metadata_server_url = http://$HOST:$PORT_HEAT/cfn-not-running
heat_waitcondition_server_url = http://$HOST:$PORT_HEAT/cfn-not-running/v1/waitcondition
environment_dir = $VENV/etc/heat/environment.d
template_dir = $VENV/etc/heat/templates
[heat_api]
workers = 1
[paste_deploy]
api_paste_config = $ETC/heat/api-paste.ini
[database]
connection = $(db_url heat)
sqlite_synchronous = false
[oslo_concurrency]
lock_path = $DATA/locks/heat
$(authtoken heat)
[trustee]
auth_type = password
auth_url = http://$HOST:$PORT_KEYSTONE
username = heat
password = heatpass
user_domain_name = Default
[clients_keystone]
auth_uri = http://$HOST:$PORT_KEYSTONE
[clients]
endpoint_type = public
[oslo_policy]
policy_file = $ETC/heat/policy.yaml
$(notifications)
EOF
  # Heat denies listing stacks across projects to everybody by default
  # (stacks:global_index = deny_everybody); metering's resync lists all stacks
  # as admin. oslo.policy re-reads this file when it changes.
  cat > "$ETC/heat/policy.yaml" <<EOF
"stacks:global_index": "role:admin"
EOF
  uwsgi_ini heat $PORT_HEAT steward_wsgi:application

  # ------------------------------------------------------------ rabbitmq --
  # loopback only, non-default ports (AMQP $PORT_RABBIT, dist $PORT_RABBIT_DIST,
  # epmd $PORT_EPMD) so a distro RabbitMQ on 5672/4369 does not clash; no plugins
  # and a TLS listener on $PORT_RABBIT_TLS with a CA made for this cloud ($ETC/rabbitmq/tls/ca.pem), so
  # amqps:// is tested against the real broker.
  rabbit_tls "$ETC/rabbitmq/tls"
  cat > "$ETC/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.1 = $HOST:$PORT_RABBIT
listeners.ssl.1 = $HOST:$PORT_RABBIT_TLS
ssl_options.cacertfile = $ETC/rabbitmq/tls/ca.pem
ssl_options.certfile = $ETC/rabbitmq/tls/server.pem
ssl_options.keyfile = $ETC/rabbitmq/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
distribution.listener.interface = $HOST
distribution.listener.port_range.min = $PORT_RABBIT_DIST
distribution.listener.port_range.max = $PORT_RABBIT_DIST
EOF
  echo '[].' > "$ETC/rabbitmq/enabled_plugins"
  cat > "$ETC/rabbitmq/env.sh" <<EOF
export HOME=$DATA/rabbitmq/home
export RABBITMQ_NODENAME=$RABBIT_NODE
export RABBITMQ_NODE_IP_ADDRESS=$HOST
export RABBITMQ_NODE_PORT=$PORT_RABBIT
export RABBITMQ_DIST_PORT=$PORT_RABBIT_DIST
export ERL_EPMD_ADDRESS=$HOST
export ERL_EPMD_PORT=$PORT_EPMD
export RABBITMQ_MNESIA_BASE=$DATA/rabbitmq/mnesia
export RABBITMQ_LOG_BASE=$LOGS/rabbitmq
export RABBITMQ_CONFIG_FILE=$ETC/rabbitmq/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=$ETC/rabbitmq/enabled_plugins
export RABBITMQ_PID_FILE=$DATA/rabbitmq/rabbit.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF

  write_clouds_yaml
}

rabbit_tls() {  # dir: a throw-away CA and a server certificate for localhost / 127.0.0.1 (P-256, 30 days)
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=steward-testcloud-ca" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir"/*.key
}

write_clouds_yaml() {
  local auth="auth_url: http://$HOST:$PORT_KEYSTONE/v3"
  cat > "$BASE/clouds.yaml" <<EOF
# Steward test cloud (scripts/testcloud/testcloud up).  Passwords inline on purpose.
clouds:
  steward-admin:
    auth: {$auth, username: admin, password: adminpass, project_name: admin,
           user_domain_name: Default, project_domain_name: Default}
    region_name: $REGION
    interface: public
    identity_api_version: 3
  steward-system:
    auth: {$auth, username: admin, password: adminpass, system_scope: all,
           user_domain_name: Default}
    region_name: $REGION
    interface: public
    identity_api_version: 3
  steward-demo:
    auth: {$auth, username: demo, password: demopass, project_name: demo,
           user_domain_name: Default, project_domain_name: Default}
    region_name: $REGION
    interface: public
    identity_api_version: 3
  steward-demo2:
    auth: {$auth, username: demo2, password: demo2pass, project_name: demo2,
           user_domain_name: Default, project_domain_name: Default}
    region_name: $REGION
    interface: public
    identity_api_version: 3
EOF
}
