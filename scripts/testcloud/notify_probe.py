#!/usr/bin/env python3
"""Watch the test cloud's notifications the way a metering consumer would.

  notify_probe.py bind  AMQP_URL QUEUE   own queue bound to every service
                                         exchange (routing key notifications.info)
  notify_probe.py drain AMQP_URL QUEUE   print "exchange event_type" per message
                                         (oslo envelope unwrapped), delete the queue

Used by verify.sh.  The queue is our own (never `notifications.info`, which
belongs to the services' default consumers), non-durable and expires after
30 idle minutes if `drain` never runs.  Exchanges are declared with the flags
oslo.messaging uses (topic, durable=False, auto_delete=False), so the
declaration is a no-op when a service already made them and does not fail
when one has not sent anything yet.
"""
import json
import sys
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


def bind(url, queue):
    conn = connect(url)
    ch = conn.channel()
    ch.queue_declare(queue, durable=False, auto_delete=False,
                     arguments={'x-expires': 30 * 60 * 1000})
    for ex in EXCHANGES:
        ch.exchange_declare(ex, 'topic', durable=False, auto_delete=False)
        ch.queue_bind(queue, ex, ROUTING_KEY)
    conn.close()


def drain(url, queue):
    conn = connect(url)
    ch = conn.channel()
    while True:
        msg = ch.basic_get(queue, no_ack=True)
        if msg is None:
            break
        body = json.loads(msg.body)
        if 'oslo.message' in body:          # messagingv2 envelope
            body = json.loads(body['oslo.message'])
        print(msg.delivery_info['exchange'], msg.delivery_info['routing_key'],
              body.get('event_type'), body.get('publisher_id'))
    ch.queue_delete(queue)
    conn.close()


if __name__ == '__main__':
    {'bind': bind, 'drain': drain}[sys.argv[1]](sys.argv[2], sys.argv[3])
