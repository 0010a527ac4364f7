#!/usr/bin/env python3
"""A fake OpenStack answering only what one `steward metering sync` asks: a Keystone token with a
catalog pointing back here, version documents, and the list calls (projects, users, servers, volumes,
networks, ports, floating IPs, images, stacks) for N servers, N volumes, N ports, N/10 networks, floating
IPs and stacks, N/100 images, with the paging each real service does (Nova/Cinder/Neutron
`<plural>_links`, Glance `next`, Heat `links`; Keystone's lists are not paged), and each stack's
resources (stack i holds server i). It counts every request it answers, per method and path; GET /_counts
answers the counts so far and starts counting again, and SIGTERM writes them as JSON to COUNTS. Nothing
here talks to a real cloud.

  fake_cloud.py PORT N COUNTS
"""
import collections
import json
import signal
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

PORT, N, COUNTS = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
BASE = 'http://127.0.0.1:%d' % PORT
PROJECTS = ['%032x' % (0xa000 + i) for i in range(max(1, N // 100))]
ADMIN_PROJECT = PROJECTS[0]
counts = collections.Counter()


def ident(kind, i):
    return str(uuid.UUID(int=(hash(kind) & 0xffff) << 96 | i))


def server(i):
    return {
        'id': ident('server', i), 'name': 'vm-%d' % i, 'status': 'ACTIVE', 'tenant_id': PROJECTS[i % len(PROJECTS)],
        'user_id': 'u1', 'OS-EXT-STS:vm_state': 'active', 'created': '2026-11-01T00:00:00Z',
        'OS-SRV-USG:launched_at': '2026-11-01T00:00:05.000000', 'metadata': {},
        'flavor': {'original_name': 'SCS-1V-2', 'vcpus': 1, 'ram': 2048, 'disk': 10, 'ephemeral': 0, 'swap': 0},
    }


def volume(i):
    return {'id': ident('volume', i), 'name': 'vol-%d' % i, 'status': 'available', 'size': 10,
            'volume_type': 'ssd', 'os-vol-tenant-attr:tenant_id': PROJECTS[i % len(PROJECTS)],
            'created_at': '2026-11-01T00:00:00.000000', 'attachments': []}


def network(i):
    return {'id': ident('network', i), 'name': 'net-%d' % i, 'status': 'ACTIVE',
            'project_id': PROJECTS[i % len(PROJECTS)]}


def floating_ip(i):
    return {'id': ident('fip', i), 'floating_ip_address': '10.%d.%d.%d' % (i >> 16 & 255, i >> 8 & 255, i & 255),
            'floating_network_id': 'ext', 'port_id': None, 'project_id': PROJECTS[i % len(PROJECTS)],
            'status': 'DOWN', 'created_at': '2026-11-01T00:00:00Z'}


def stack(i):
    return {'id': ident('stack', i), 'stack_name': 'stack-%d' % i, 'stack_status': 'CREATE_COMPLETE',
            'project': PROJECTS[i % len(PROJECTS)], 'creation_time': '2026-11-01T00:00:00Z', 'links': []}


def port(i):
    return {'id': ident('port', i), 'name': '', 'status': 'ACTIVE', 'network_id': ident('network', i // 10),
            'device_id': ident('server', i), 'device_owner': 'compute:nova', 'project_id': PROJECTS[i % len(PROJECTS)],
            'fixed_ips': [{'subnet_id': 's', 'ip_address': '10.0.%d.%d' % (i >> 8 & 255, i & 255)}]}


def image(i):
    return {'id': ident('image', i), 'name': 'image-%d' % i, 'status': 'active', 'visibility': 'private',
            'owner': PROJECTS[i % len(PROJECTS)], 'size': 1 << 30, 'disk_format': 'raw',
            'container_format': 'bare', 'created_at': '2026-11-01T00:00:00Z', 'os_hidden': False}


COLLECTIONS = {
    '/compute/v2.1/servers/detail': ('servers', 'servers_links', server, N),
    '/volume/v3/volumes/detail': ('volumes', 'volumes_links', volume, N),
    '/network/v2.0/networks': ('networks', 'networks_links', network, max(1, N // 10)),
    '/network/v2.0/floatingips': ('floatingips', 'floatingips_links', floating_ip, max(1, N // 10)),
    '/network/v2.0/ports': ('ports', 'ports_links', port, N),
    '/image/v2/images': ('images', 'next', image, max(1, N // 100)),
    '/orchestration/v1/%s/stacks' % ADMIN_PROJECT: ('stacks', 'links', stack, max(1, N // 10)),
}
# What each service returns at most per page whatever limit the client asks (Nova's max_limit and
# Cinder's osapi_max_limit default to 1000; Neutron and Heat have no server-side cap by default).
MAX_LIMIT = {'servers': 1000, 'volumes': 1000}


def catalog():
    def svc(kind, name, path):
        return {'type': kind, 'name': name, 'id': name,
                'endpoints': [{'interface': 'public', 'region': 'RegionOne', 'region_id': 'RegionOne',
                               'url': BASE + path, 'id': name + '-public'}]}
    return [svc('identity', 'keystone', '/identity/v3'), svc('compute', 'nova', '/compute/v2.1'),
            svc('block-storage', 'cinder', '/volume/v3'), svc('volumev3', 'cinderv3', '/volume/v3'),
            svc('network', 'neutron', '/network'), svc('image', 'glance', '/image'),
            svc('orchestration', 'heat', '/orchestration/v1/%s' % ADMIN_PROJECT)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urlparse(self.path)
        counts['POST ' + url.path] += 1
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        if url.path == '/identity/v3/auth/tokens':
            token = {'expires_at': '2099-01-01T00:00:00.000000Z', 'issued_at': '2026-11-24T00:00:00.000000Z',
                     'user': {'id': 'admin', 'name': 'admin', 'domain': {'id': 'default', 'name': 'Default'}},
                     'project': {'id': ADMIN_PROJECT, 'name': 'admin', 'domain': {'id': 'default', 'name': 'Default'}},
                     'roles': [{'id': 'r-admin', 'name': 'admin'}], 'catalog': catalog()}
            return self.reply(201, {'token': token}, {'X-Subject-Token': 'fake-token'})
        self.reply(404, {'error': 'not here'})

    def do_GET(self):
        url = urlparse(self.path)
        path = url.path.rstrip('/')
        if path == '/_counts':
            body = dict(sorted(counts.items()))
            counts.clear()
            return self.reply(200, body)
        counts['GET ' + path] += 1
        q = parse_qs(url.query)
        stacks = '/orchestration/v1/%s/stacks/' % ADMIN_PROJECT
        if path.startswith(stacks) and path.endswith('/resources'):
            # stacks/{name}/{id}/resources: stack i holds server i.
            i = int(path[len(stacks):].split('/')[1].split('-')[-1], 16)
            return self.reply(200, {'resources': [
                {'resource_name': 'server', 'physical_resource_id': ident('server', i),
                 'resource_type': 'OS::Nova::Server', 'resource_status': 'CREATE_COMPLETE'}]})
        if path == '/identity/v3/projects':
            return self.reply(200, {'projects': [{'id': p, 'name': 'project-%s' % p[-4:], 'domain_id': 'default',
                                                   'enabled': True} for p in PROJECTS], 'links': {'next': None}})
        if path == '/identity/v3/users':
            return self.reply(200, {'users': [{'id': 'u1', 'name': 'user1', 'domain_id': 'default', 'enabled': True}],
                                    'links': {'next': None}})
        if path == '/compute/v2.1':
            return self.reply(200, {'version': {'id': 'v2.1', 'status': 'CURRENT', 'version': '2.96',
                                                'min_version': '2.1'}})
        if path == '/volume/v3':
            return self.reply(200, {'versions': [{'id': 'v3.0', 'status': 'CURRENT', 'version': '3.71',
                                                  'min_version': '3.0'}]})
        if path in ('/network', '/network/v2.0', '/orchestration/v1/%s' % ADMIN_PROJECT, '', '/orchestration', '/image'):
            return self.reply(200, {'versions': []})
        if path in COLLECTIONS:
            key, links_key, make, total = COLLECTIONS[path]
            limit = int(q.get('limit', ['1000'])[0])
            limit = min(limit, MAX_LIMIT.get(key, limit))
            start = int(q['marker'][0].split('-')[-1], 16) + 1 if 'marker' in q else 0
            items = [make(i) for i in range(start, min(total, start + limit))]
            links = []
            if start + limit < total:
                nq = {k: v[0] for k, v in q.items()}
                nq['marker'] = items[-1]['id']
                links = [{'rel': 'next', 'href': BASE + url.path + '?' + urlencode(nq)}]
            if links_key == 'next':  # Glance: a relative `next` link, absent on the last page
                return self.reply(200, {key: items, **({'next': '/v2/images?' + links[0]['href'].split('?', 1)[1]}
                                                       if links else {})})
            return self.reply(200, {key: items, links_key: links})
        sys.stderr.write('fake cloud: no answer for GET %s\n' % self.path)
        self.reply(404, {'error': 'not here: %s' % path})


def stop(*_):
    with open(COUNTS, 'w') as f:
        json.dump(dict(sorted(counts.items())), f, indent=1)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
