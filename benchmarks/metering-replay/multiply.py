#!/usr/bin/env python3
"""Writes COPIES copies of a recorded notification stream, each copy with its own ids.

  multiply.py IN.jsonl COPIES OUT.jsonl [--salt S] [--events TYPE,TYPE,...]

Every UUID and 32-hex id (message ids, servers, volumes, projects, users ...) is
replaced, consistently within a copy, by one derived from (salt, copy, id): copy k is
the same cloud activity done by other resources, so nothing deduplicates across copies
and the store grows with every copy, as a real cloud's would.

--events keeps only messages of those event types (e.g. a population of servers:
compute.instance.update,compute.instance.create.end gives N running servers with N
copies); --salt keeps two generated streams (population, measured) apart.
"""
import argparse
import hashlib
import json
import re

ID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}')


def event_type(line):
    outer = json.loads(line)
    inner = json.loads(outer['oslo.message']) if 'oslo.message' in outer else outer
    return inner.get('event_type'), inner.get('payload', {})


def main():
    p = argparse.ArgumentParser()
    p.add_argument('src')
    p.add_argument('copies', type=int)
    p.add_argument('out')
    p.add_argument('--salt', default='')
    p.add_argument('--events', default='')
    p.add_argument('--exclude-events', default='', help='comma-separated event types to leave out')
    a = p.parse_args()
    lines = [l.rstrip('\n') for l in open(a.src) if l.strip()]
    if a.exclude_events:
        drop = set(a.exclude_events.split(','))
        lines = [l for l in lines if event_type(l)[0] not in drop]
    if a.events:
        keep = set(a.events.split(','))
        selected = []
        for l in lines:
            t, payload = event_type(l)
            # Of the server's updates, only the one that reports it active after the build: a population
            # of running servers, each created by the same messages Nova sent for the recorded one.
            if t == 'compute.instance.update' and not (
                    payload.get('state') == 'active' and payload.get('old_state') == 'building'):
                continue
            if t in keep:
                selected.append(l)
        lines = selected
    with open(a.out, 'w') as o:
        for k in range(a.copies):
            cache = {}

            def new(m):
                old = m.group(0)
                if old not in cache:
                    h = hashlib.md5(('%s%d:%s' % (a.salt, k, old)).encode()).hexdigest()
                    cache[old] = h if len(old) == 32 else '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
                return cache[old]
            for line in lines:
                o.write(ID.sub(new, line) + '\n')


if __name__ == '__main__':
    main()
