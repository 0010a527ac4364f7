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

write_configs() {
  mkdir -p "$ETC"/{keystone,glance,placement,nova,neutron,ironic,rabbitmq}

  # ------------------------------------------------------------ keystone --
  cat > "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOGS/keystone.log
[database]
connection = $(db_url keystone)
sqlite_synchronous = false
[token]
provider = fernet
[fernet_tokens]
key_repository = $DATA/keystone/fernet-keys
[credential]
key_repository = $DATA/keystone/credential-keys
[identity]
# bcrypt at minimum cost: test speed only
password_hash_rounds = 4
EOF
  uwsgi_ini keystone $PORT_KEYSTONE keystone.wsgi.api:application

  # -------------------------------------------------------------- glance --
  cp "$VENV/etc/glance/glance-api-paste.ini" "$ETC/glance/"
  cat > "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
log_file = $LOGS/glance.log
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
# FakeDriverWithoutFakeNodes is fake.FakeDriver (same huge fake resources,
# instances only in memory) plus a stable node UUID kept in
# $DATA/nova/compute_id.  Plain FakeDriver invents a new node UUID per process,
# and nova-compute then refuses to start on a kept DB (KEEP_STATE=1):
# "No local node identity found, but this is not our first startup".
compute_driver = fake.FakeDriverWithoutFakeNodes
osapi_compute_listen = $HOST
metadata_listen = $HOST
graceful_shutdown_timeout = 5
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
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[glance]
region_name = $REGION
$(authtoken nova)
$(svc_auth placement placement)
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
[oslo_messaging_notifications]
driver = noop
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

  # ------------------------------------------------------------ rabbitmq --
  # loopback only, non-default ports (AMQP $PORT_RABBIT, dist $PORT_RABBIT_DIST,
  # epmd $PORT_EPMD) so a distro RabbitMQ on 5672/4369 does not clash; no plugins
  cat > "$ETC/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.1 = $HOST:$PORT_RABBIT
distribution.listener.interface = $HOST
distribution.listener.port_range.min = $PORT_RABBIT_DIST
distribution.listener.port_range.max = $PORT_RABBIT_DIST
EOF
  echo '[].' > "$ETC/rabbitmq/enabled_plugins"
  cat > "$ETC/rabbitmq/env.sh" <<EOF
export HOME=$DATA/rabbitmq/home
export RABBITMQ_NODENAME=rabbit_steward@localhost
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
