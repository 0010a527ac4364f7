#!/usr/bin/env python3
"""Seeds a metering SQLite database (schema already created by the service) with PROJECTS projects and
INTERVALS ledger intervals in the current month: per project, servers (a few with a stopped spell) and
volumes, live in the view, their intervals in metering_intervals. Usage: seed.py DB [projects] [intervals]"""
import json, random, sqlite3, sys, time, uuid, datetime

db, projects, intervals = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000, int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
random.seed(42)
now = datetime.datetime.now(datetime.timezone.utc)
month = datetime.datetime(now.year, now.month, 1, tzinfo=datetime.timezone.utc)
start_us = int(month.timestamp() * 1_000_000)
now_us = int(now.timestamp() * 1_000_000)
span = max(now_us - start_us, 3_600_000_000)
flavors = [("SCS-1V-2", 1, 2048, 10), ("SCS-2V-4", 2, 4096, 20), ("SCS-4V-16", 4, 16384, 50)]
con = sqlite3.connect(db)
cur = con.cursor()
per_project = intervals // projects
view_rows, interval_rows = [], []
for p in range(projects):
    project = uuid.UUID(int=random.getrandbits(128)).hex
    view_rows.append(("project", project, project, json.dumps({"attachedTo": [], "projectID": project, "spec": {}, "state": "present"}, sort_keys=True), start_us, start_us, "seed", None))
    made = 0
    r = 0
    while made < per_project:
        r += 1
        kind = "volume" if r % 4 == 0 else "server"
        rid = uuid.UUID(int=random.getrandbits(128)).hex
        flavor, vcpus, ram, disk = random.choice(flavors)
        created = start_us + random.randrange(0, span // 2)
        if kind == "server":
            snapshot = {"attachedTo": [], "name": f"vm-{p}-{r}", "projectID": project, "spec": {"diskGB": disk, "flavor": flavor, "memoryMB": ram, "vcpus": vcpus}, "state": "active"}
            # active, then stopped, then active again: three intervals (two closed, one open)
            t1 = created + random.randrange(1, max(2, (now_us - created) // 3))
            t2 = t1 + random.randrange(1, max(2, (now_us - t1) // 2))
            rows = [("active", created, t1), ("stopped", t1, t2), ("active", t2, None)]
            spec = (flavor, vcpus, ram, disk)
        else:
            snapshot = {"attachedTo": [], "name": f"vol-{p}-{r}", "projectID": project, "spec": {"diskGB": 100, "flavor": "__DEFAULT__"}, "state": "available"}
            rows = [("available", created, None)]
            spec = ("__DEFAULT__", None, None, 100)
        rows = rows[: per_project - made]
        for state, s, e in rows:
            interval_rows.append((kind, rid, project, state, spec[0], spec[1], spec[2], spec[3], s, e, "seed", "seed" if e else None))
        made += len(rows)
        view_rows.append((kind, rid, project, json.dumps(snapshot, sort_keys=True), created, created, "seed", None))
cur.executemany("INSERT INTO metering_view (kind, resource_id, project_id, snapshot, first_observed, last_observed, last_source_id, deleted_at) VALUES (?,?,?,?,?,?,?,?)", view_rows)
cur.executemany("INSERT INTO metering_intervals (kind, resource_id, project_id, state, flavor, vcpus, memory_mb, disk_gb, start_at, end_at, opened_by, closed_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", interval_rows)
con.commit()
print(f"seeded {projects} projects, {len(view_rows)} view entries, {len(interval_rows)} intervals", file=sys.stderr)
