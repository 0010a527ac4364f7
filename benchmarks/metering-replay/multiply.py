#!/usr/bin/env python3
"""Writes COPIES copies of a recorded notification stream, each copy with its own ids.

  multiply.py IN.jsonl COPIES OUT.jsonl

Every UUID and 32-hex id (message ids, servers, volumes, projects, users ...) is
replaced, consistently within a copy, by one derived from (copy, id): copy k is the
same cloud activity done by other resources, so nothing deduplicates across copies
and the store grows with every copy, as a real cloud's would.
"""
import hashlib
import re
import sys

ID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}')


def main(src, copies, out):
    lines = [l.rstrip('\n') for l in open(src) if l.strip()]
    with open(out, 'w') as o:
        for k in range(int(copies)):
            cache = {}

            def new(m):
                old = m.group(0)
                if old not in cache:
                    h = hashlib.md5(('%d:%s' % (k, old)).encode()).hexdigest()
                    cache[old] = h if len(old) == 32 else '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
                return cache[old]
            for line in lines:
                o.write(ID.sub(new, line) + '\n')


if __name__ == '__main__':
    main(*sys.argv[1:])
