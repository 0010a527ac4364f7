#!/usr/bin/env python3
"""Record the test cloud's notifications as JSON lines, for metering fixtures and benchmarks.

  record_notifications.py record AMQP_URL OUT.jsonl [SECONDS]
      Declares an own temporary queue (never `notifications.info`, which belongs to
      the services' default consumers), binds it with routing key notifications.info
      to the six service exchanges, writes every message body verbatim as one line
      of OUT.jsonl until SECONDS pass (default 120) or SIGINT/SIGTERM, then deletes
      the queue.  Start it, drive the cloud, stop it.

  record_notifications.py trim IN.jsonl OUT.jsonl ID [ID ...]
      Keeps the messages whose payload mentions one of the ids (server, volume,
      project ... ids of the resources a recording session made), in arrival order,
      and removes request contexts (`_context_*` in the envelope, `_context` in nova's
      serialized objects: auth tokens, service catalogs, roles) and credential-named
      fields at any depth, so a fixture holds no credential.

Run it with the test cloud's venv (it has py-amqp), e.g.

  P=~/.cache/steward-testcloud/venv/bin/python
  $P scripts/testcloud/record_notifications.py record amqp://guest:guest@127.0.0.1:5682/ /tmp/raw.jsonl 300

Exchanges are declared with the flags oslo.messaging uses (topic, durable=False,
auto_delete=False): a no-op when the service made them already, no failure when it has
not published yet.  The queue expires after 30 idle minutes if the recorder dies.
"""
import json
import signal
import socket
import sys
import time
import uuid
from urllib.parse import urlparse

import amqp

EXCHANGES = ('nova', 'neutron', 'keystone', 'glance', 'cinder', 'heat')
ROUTING_KEY = 'notifications.info'


def connect(url):
    u = urlparse(url)
    conn = amqp.Connection(host='%s:%s' % (u.hostname, u.port or 5672),
                           userid=u.username or 'guest',
                           password=u.password or 'guest',
                           virtual_host=(u.path or '/')[1:] or '/')
    conn.connect()
    return conn


def record(url, out, seconds='120'):
    deadline = time.monotonic() + float(seconds)
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.append(True))
    conn = connect(url)
    ch = conn.channel()
    queue = 'steward.recorder.%s' % uuid.uuid4().hex[:8]
    ch.queue_declare(queue, durable=False, auto_delete=False,
                     arguments={'x-expires': 30 * 60 * 1000})
    for ex in EXCHANGES:
        ch.exchange_declare(ex, 'topic', durable=False, auto_delete=False)
        ch.queue_bind(queue, ex, ROUTING_KEY)
    count = 0
    with open(out, 'wb') as f:
        def on_message(msg):
            nonlocal count
            body = msg.body if isinstance(msg.body, bytes) else msg.body.encode()
            if b'\n' in body:  # never from oslo.messaging's json.dumps; keep one per line anyway
                body = json.dumps(json.loads(body)).encode()
            f.write(body + b'\n')
            f.flush()
            count += 1
            ch.basic_ack(msg.delivery_tag)
        tag = ch.basic_consume(queue, callback=on_message)
        print('recording %s into %s' % (queue, out), file=sys.stderr, flush=True)
        while not stop and time.monotonic() < deadline:
            try:
                conn.drain_events(timeout=0.5)
            except socket.timeout:
                pass
        ch.basic_cancel(tag)  # before the delete, or the broker cancels us mid-close
    ch.queue_delete(queue)
    conn.close()
    print('%d messages' % count, file=sys.stderr)


SECRET_KEYS = ('auth_token', 'service_token', 'password', 'secret', 'token')


def scrub(value):
    """Drops request contexts at any depth (the envelope's `_context_*`, and the `_context` of
    serialized objects nova puts into scheduler payloads, which hold the caller's token) and any
    field named like a credential."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()
                if not k.startswith('_context') and k not in SECRET_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def trim(src, out, *ids):
    kept = 0
    with open(src) as f, open(out, 'w') as o:
        for line in f:
            if not any(i in line for i in ids):
                continue
            body = json.loads(line)
            if 'oslo.message' in body:
                inner = scrub(json.loads(body['oslo.message']))
                body = {'oslo.version': body.get('oslo.version', '2.0'), 'oslo.message': json.dumps(inner)}
            else:
                body = scrub(body)
            o.write(json.dumps(body) + '\n')
            kept += 1
    print('%d messages kept' % kept, file=sys.stderr)


if __name__ == '__main__':
    {'record': record, 'trim': trim}[sys.argv[1]](*sys.argv[2:])
