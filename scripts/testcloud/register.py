#!/usr/bin/env python3
"""Bootstrap data for the Steward test cloud, via openstacksdk from the venv.

  register.py keystone   service users, roles, demo projects/users, catalog
                         (after `keystone-manage bootstrap`, once Keystone answers)
  register.py network    the shared external network `public` + subnet
                         (once Neutron answers)

Both are idempotent (find before create), so KEEP_STATE=1 restarts work.
Clouds come from $OS_CLIENT_CONFIG_FILE (written by the testcloud script).
"""
from concurrent.futures import ThreadPoolExecutor
import os
import sys

import openstack

REGION = 'RegionOne'
HOST = os.environ.get('TESTCLOUD_HOST', '127.0.0.1')


def url(name, default, path=''):
    """Endpoint URL; ports come from TESTCLOUD_PORT_<NAME> (lib/common.sh)."""
    port = os.environ.get('TESTCLOUD_PORT_' + name, str(default))
    return 'http://%s:%s%s' % (HOST, port, path)


# service type -> (service name, endpoint URL)
CATALOG = {
    'image': ('glance', url('GLANCE', 9292)),
    'placement': ('placement', url('PLACEMENT', 8778)),
    'compute': ('nova', url('NOVA', 8774, '/v2.1')),
    'network': ('neutron', url('NEUTRON', 9696)),
    'baremetal': ('ironic', url('IRONIC', 6385)),
    # Cinder under both types clients look for: block-storage (the official
    # type, openstacksdk) and volumev3 (Nova's [cinder] catalog_info default,
    # older clients).  No project id in the URL (optional since 3.67).
    'block-storage': ('cinder', url('CINDER', 8776, '/v3')),
    'volumev3': ('cinderv3', url('CINDER', 8776, '/v3')),
    # Heat routes still need the project id in the URL
    'orchestration': ('heat', url('HEAT', 8004, '/v1/%(project_id)s')),
}
SERVICE_USERS = ('glance', 'nova', 'placement', 'neutron', 'ironic',
                 'cinder', 'heat')
# bootstrap already makes admin, member, reader, manager, service;
# heat_stack_owner is the conventional (devstack) role for stack owners
# (Heat's defaults let any project member create stacks), heat_stack_user
# the role Heat gives the users it creates in its stack domain.
ROLES = ('admin', 'member', 'reader', 'manager', 'service',
         'load-balancer_member', 'creator', 'heat_stack_owner',
         'heat_stack_user')
# Heat's stack domain and its admin (heat.conf stack_user_domain_name etc.)
HEAT_DOMAIN = 'heat'
HEAT_DOMAIN_ADMIN = 'heat_domain_admin'   # password heat_domain_adminpass
VOLUME_TYPE = 'standard'                  # cinder.conf default_volume_type
VOLUME_BACKEND = "steward_file"
DEMO_USERS = ('demo', 'demo2')           # password <name>pass, own project

PUBLIC_NET = 'public'
PUBLIC_CIDR = '172.24.4.0/24'


def keystone():
    """Few round trips on purpose: list once, create what is missing, and
    run independent creates on 4 threads (Keystone serves 4 threads); this
    step is on the critical path of `up`."""
    conn = openstack.connect(cloud='steward-admin')
    idp = conn.identity
    default = 'default'   # id of the Default domain made by bootstrap
    pool = ThreadPoolExecutor(max_workers=4)

    def ensure(existing, names, create):
        missing = [n for n in names if n not in existing]
        for n, obj in zip(missing, pool.map(create, missing)):
            existing[n] = obj
        return existing

    roles = ensure({r.name: r for r in idp.roles()}, ROLES,
                   lambda n: idp.create_role(name=n))
    projects = ensure({p.name: p for p in idp.projects(domain_id=default)},
                      ('service',) + DEMO_USERS,
                      lambda n: idp.create_project(name=n, domain_id=default))
    home = dict({u: 'service' for u in SERVICE_USERS},
                **{u: u for u in DEMO_USERS})
    users = ensure({u.name: u for u in idp.users(domain_id=default)},
                   tuple(home),
                   lambda n: idp.create_user(
                       name=n, password=n + 'pass', domain_id=default,
                       default_project_id=projects[home[n]].id))
    grants = [(u, 'service', r) for u in SERVICE_USERS
              for r in ('admin', 'service')]
    grants += [(u, u, 'member') for u in DEMO_USERS]
    # PUT of a role assignment is idempotent: no need to check first
    list(pool.map(lambda g: idp.assign_project_role_to_user(
        projects[g[1]], users[g[0]], roles[g[2]]), grants))

    services = ensure({s.type: s for s in idp.services()}, tuple(CATALOG),
                      lambda t: idp.create_service(
                          name=CATALOG[t][0], type=t, is_enabled=True))
    have = {(e.service_id, e.interface) for e in idp.endpoints()}
    todo = [(services[t].id, iface, url) for t, (_, url) in CATALOG.items()
            for iface in ('public', 'internal', 'admin')
            if (services[t].id, iface) not in have]
    list(pool.map(lambda e: idp.create_endpoint(
        service_id=e[0], interface=e[1], url=e[2], region_id=REGION,
        is_enabled=True), todo))
    heat_domain(idp, roles['admin'])
    print('keystone: roles=%s users=%s catalog=%s' % (
        ','.join(ROLES), ','.join(SERVICE_USERS + DEMO_USERS),
        ','.join(CATALOG)))


def heat_domain(idp, admin_role):
    domain = idp.find_domain(HEAT_DOMAIN)
    if domain is None:
        domain = idp.create_domain(
            name=HEAT_DOMAIN, description='Owns users Heat creates for stacks')
    user = idp.find_user(HEAT_DOMAIN_ADMIN, domain_id=domain.id)
    if user is None:
        user = idp.create_user(name=HEAT_DOMAIN_ADMIN, domain_id=domain.id,
                               password=HEAT_DOMAIN_ADMIN + 'pass')
    idp.assign_domain_role_to_user(domain, user, admin_role)


def cinder():
    """The default volume type (cinder.conf default_volume_type) on our one
    backend; `__DEFAULT__` is created by `cinder-manage db sync`."""
    conn = openstack.connect(cloud='steward-admin')
    bs = conn.block_storage
    types = {t.name: t for t in bs.types()}
    if VOLUME_TYPE not in types:
        types[VOLUME_TYPE] = bs.create_type(
            name=VOLUME_TYPE, is_public=True,
            description='Default volume type of the Steward test cloud '
                        '(sparse files, backend %s)' % VOLUME_BACKEND,
            extra_specs={'volume_backend_name': VOLUME_BACKEND})
    print('cinder: volume types %s' % ', '.join(sorted(types)))


def network():
    conn = openstack.connect(cloud='steward-admin')
    net = conn.network.find_network(PUBLIC_NET)
    if not net:
        # flat provider network on physnet "public" ([ml2_type_flat]
        # flat_networks = *), external so routers can use it as gateway,
        # shared so every project can also attach ports to it directly.
        net = conn.network.create_network(
            name=PUBLIC_NET, is_router_external=True, is_shared=True,
            provider_network_type='flat', provider_physical_network='public')
    if not any(s for s in conn.network.subnets(network_id=net.id)):
        conn.network.create_subnet(
            name=PUBLIC_NET + '-subnet', network_id=net.id, ip_version=4,
            cidr=PUBLIC_CIDR, gateway_ip='172.24.4.1', is_dhcp_enabled=False,
            allocation_pools=[{'start': '172.24.4.10',
                               'end': '172.24.4.250'}])
    print('network: %s (%s) %s' % (net.name, net.id, PUBLIC_CIDR))
    default_security_group_rules(conn)


def default_security_group_rules(conn):
    """Seed the templates new security groups get their rules from.

    A real deployment gets them from Neutron's migrations; our schema is built from the models
    (neutron_db_init.py), which leaves the template table empty, so every new `default` group would
    have no rules at all (scs-0115 checks exactly these).  The same four templates the migration
    seeds are created through Neutron's own API: egress for IPv4/IPv6 in every group, and ingress from
    the group itself in `default` groups.
    """
    path = '/default-security-group-rules'
    have = conn.network.get(path).json().get('default_security_group_rules', [])
    seen = {(r['direction'], r['ethertype'], r.get('remote_group_id')) for r in have}
    wanted = [
        ('egress', 'IPv4', None, True, True),
        ('egress', 'IPv6', None, True, True),
        ('ingress', 'IPv4', 'PARENT', True, False),
        ('ingress', 'IPv6', 'PARENT', True, False),
    ]
    for direction, ethertype, remote, in_default, in_other in wanted:
        if (direction, ethertype, remote) in seen:
            continue
        rule = {'direction': direction, 'ethertype': ethertype,
                'used_in_default_sg': in_default,
                'used_in_non_default_sg': in_other}
        if remote:
            rule['remote_group_id'] = remote
        response = conn.network.post(path, json={'default_security_group_rule': rule})
        response.raise_for_status()
    print('default security group rule templates: %d' % len(wanted))


if __name__ == '__main__':
    {'keystone': keystone, 'network': network, 'cinder': cinder}[sys.argv[1]]()
