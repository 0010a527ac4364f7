#!/usr/bin/env python3
"""Drives the leasing service with keep-alive connections from threads and prints requests/s, p50 and p99.

usage: load.py BASE_URL TOKEN OPERATION COUNT THREADS [ARG...]
  list  ARG=project_id          GET /v1/leases?project_id=P  (P holds 10 of the 100,000 leases)
  show  ARG=lease uuids file    GET /v1/leases/{uuid}
  claim ARG=offer uuids file    POST /v1/offers/{uuid}/claim (one claim per offer, none conflicts)
Only the standard library, so it runs with any python3.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token, operation, count, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
extra = sys.argv[6:]
url = urllib.parse.urlparse(base)
items = []
if operation in ("show", "claim"):
    with open(extra[0]) as handle:
        items = [line.strip() for line in handle if line.strip()]
latencies = []
errors = []
lock = threading.Lock()
counter = iter(range(count))


def worker():
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"X-Auth-Token": token, "Content-Type": "application/json", "Accept": "application/json"}
    mine = []
    while True:
        with lock:
            index = next(counter, None)
        if index is None:
            break
        if operation == "list":
            method, path, body = "GET", "/v1/leases?project_id=" + extra[0], None
        elif operation == "show":
            method, path, body = "GET", "/v1/leases/" + items[index % len(items)], None
        else:
            method, path = "POST", "/v1/offers/" + items[index] + "/claim"
            body = json.dumps({"start_time": "2031-01-01T00:00:00", "end_time": "2031-01-02T00:00:00"})
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:  # a timed-out or dropped request counts as an error, not a dead thread
            mine.append(time.perf_counter() - start)
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            with lock:
                if not errors:
                    print(f"{operation}: {error!r}", file=sys.stderr)
                errors.append(type(error).__name__)
            continue
        mine.append(time.perf_counter() - start)
        if response.status >= 300:
            with lock:
                if not errors:  # the first failure says why; the rest are only counted
                    print(f"{operation}: HTTP {response.status}: {payload[:300]!r}", file=sys.stderr)
                errors.append(response.status)
    with lock:
        latencies.extend(mine)


started = time.perf_counter()
pool = [threading.Thread(target=worker) for _ in range(threads)]
for thread in pool:
    thread.start()
for thread in pool:
    thread.join()
elapsed = time.perf_counter() - started
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f"{operation}\t{len(latencies)}\t{len(latencies) / elapsed:.0f}\t{p(0.5):.1f}\t{p(0.99):.1f}\t{len(errors)}")
