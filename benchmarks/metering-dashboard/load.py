#!/usr/bin/env python3
"""Signs in to the dashboard and times GET PATH N times on one keep-alive connection.
Usage: load.py BASE_URL USER PASSWORD PROJECT N [PATH]"""
import http.client, statistics, sys, time, urllib.parse

base, user, password, project, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
path = sys.argv[6] if len(sys.argv) > 6 else "/dashboard"
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
body = urllib.parse.urlencode({"username": user, "password": password, "project": project, "domain": "Default"})
c.request("POST", "/dashboard/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
r = c.getresponse(); r.read()
cookie = (r.getheader("Set-Cookie") or "").split(";")[0]
if r.status != 303 or not cookie:
    sys.exit(f"sign-in failed: {r.status}")
times, size = [], 0
for i in range(n + 1):
    t = time.perf_counter()
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse(); data = r.read()
    if r.status != 200:
        sys.exit(f"GET {path}: {r.status}")
    if i == 0:
        first = (time.perf_counter() - t) * 1000
        size = len(data)
        continue
    times.append((time.perf_counter() - t) * 1000)
times.sort()
p = lambda q: times[min(len(times) - 1, int(len(times) * q))]
print(f"GET {path}: first (cold) {first:.1f} ms, then {n} requests p50 {p(0.5):.1f} ms, p90 {p(0.9):.1f} ms, p99 {p(0.99):.1f} ms, max {times[-1]:.1f} ms; {size} bytes")
