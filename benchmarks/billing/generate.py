#!/usr/bin/env python3
"""Fills a metering database (schema made by `steward metering status`) with a synthetic month:
PROJECTS projects, INTERVALS ledger intervals in total, October 2026 (some open, some crossing the period
bounds), servers of named and unnamed flavors in active/stopped/shelved_offloaded states, volumes with and
without a type, floating IPs, images (rated per byte stored: size_bytes from 1 MiB to 40 GiB, active or
deactivated; about a tenth of the rows), two stacks per project with servers in them. Deterministic (seeded).

Usage: generate.py DB PROJECTS INTERVALS
"""
import json
import random
import sqlite3
import sys

db, projects, intervals = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(9)
US = 1_000_000
START = 1790812800  # 2026-10-01T00:00:00Z
END = 1793491200  # 2026-11-01T00:00:00Z
FLAVORS = [("SCS-2V-4", 2, 4096, 20), ("SCS-4V-8", 4, 8192, 40), ("custom-3", 3, 6144, 30), ("custom-8", 8, 16384, 80)]
SERVER_STATES = ["active", "active", "active", "stopped", "shelved_offloaded"]
IMAGE_STATES = ["active", "active", "active", "deactivated"]

con = sqlite3.connect(db)
cur = con.cursor()
per_project = intervals // projects
rows, view = [], []
for p in range(projects):
    project = f"project-{p:05d}"
    stacks = [f"{project}-stack-{s}" for s in range(2)]
    for s in stacks:
        snap = {"attachedTo": [], "name": s, "projectID": project, "spec": {}, "state": "CREATE_COMPLETE"}
        view.append(("stack", s, project, json.dumps(snap, sort_keys=True), (START - 86400) * US, START * US, "gen", None))
    made = 0
    resource = 0
    while made < per_project:
        kind = rng.choices(["server", "volume", "floating_ip", "image"], [63, 18, 9, 10])[0]
        rid = f"{project}-{kind}-{resource}"
        resource += 1
        count = min(per_project - made, rng.randint(1, 8))
        t = START + rng.randint(-86400 * 3, 86400 * 20)
        spec = (None, None, None, None)
        stack = None
        if kind == "server":
            spec = rng.choice(FLAVORS)
            stack = rng.choice(stacks + [None])
        elif kind == "volume":
            spec = (rng.choice(["ssd", None]), None, None, rng.choice([10, 50, 100]))
        size = rng.randint(1 << 20, 40 << 30) if kind == "image" else None
        snap = {"attachedTo": [], "name": rid, "projectID": project, "spec": {}, "state": "active"}
        if stack:
            snap["stackID"] = stack
        view.append((kind, rid, project, json.dumps(snap, sort_keys=True), t * US, t * US, "gen", None))
        for i in range(count):
            length = rng.randint(600, 86400 * 4)
            end = t + length
            is_open = i == count - 1 and rng.random() < 0.3
            if kind == "server":
                state = rng.choice(SERVER_STATES)
            elif kind == "image":
                state = rng.choice(IMAGE_STATES)
            else:
                state = "in-use" if kind == "volume" else "associated"
            rows.append((kind, rid, project, state, spec[0], spec[1], spec[2], spec[3], size, t * US,
                         None if is_open else end * US, "gen", None if is_open else "gen", None))
            t = end
            made += 1

cur.executemany(
    "INSERT INTO metering_intervals (kind, resource_id, project_id, state, flavor, vcpus, memory_mb, disk_gb, "
    "size_bytes, start_at, end_at, opened_by, closed_by, correction_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
cur.executemany(
    "INSERT INTO metering_view (kind, resource_id, project_id, snapshot, first_observed, last_observed, "
    "last_source_id, deleted_at) VALUES (?,?,?,?,?,?,?,?)", view)
con.commit()
images = sum(1 for r in rows if r[0] == "image")
print(f"{len(rows)} intervals ({images} of images), {len(view)} view entries, {projects} projects", file=sys.stderr)
