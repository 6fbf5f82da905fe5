#!/usr/bin/env python3
"""oracle.py - an independent check of `headroom sample --format json`
against the raw files of a recorded host: it parses the fixture itself
(with Python, sharing no code with the agent) and compares every gauge
the agent reports.

usage: oracle.py ROOT < json-lines     (exit 0 when all checks pass)
"""
import json
import os
import re
import sys

root = sys.argv[1]


def rd(rel):
    try:
        with open(os.path.join(root, rel)) as f:
            return f.read()
    except OSError:
        return None


fails = []


def check(what, got, want, tol=1e-6):
    if want is None:
        if got is not None:
            fails.append(f"{what}: got {got!r}, want null")
        return
    if got is None or abs(got - want) > tol * max(1.0, abs(want)):
        fails.append(f"{what}: got {got!r}, want {want!r}")


line = sys.stdin.readline()
doc = json.loads(line)

stat = rd("proc/stat")
cpus = [l.split()[0] for l in stat.splitlines() if re.match(r"cpu\d+ ", l)]
check("per_cpu count", len(doc["cpu"]["per_cpu"]), len(cpus))

mi = {}
for l in (rd("proc/meminfo") or "").splitlines():
    k, v = l.split(":", 1)
    mi[k] = int(v.split()[0]) * 1024
check("mem.total_bytes", doc["mem"]["total_bytes"], mi["MemTotal"])
if "MemAvailable" in mi:
    avail = mi["MemAvailable"]
else:
    avail = max(mi["MemFree"], mi["MemFree"] + mi.get("Buffers", 0) +
                mi.get("Cached", 0) + mi.get("SReclaimable", 0) -
                mi.get("Shmem", 0))
check("mem.available_bytes", doc["mem"]["available_bytes"], avail)
check("mem.util", doc["mem"]["util"], 1 - avail / mi["MemTotal"])

la = rd("proc/loadavg").split()
check("cpu.load1", doc["cpu"]["load1"], float(la[0]))
check("cpu.load15", doc["cpu"]["load15"], float(la[2]))

# disks: whole disks that have sys/block/<name>, minus virtual families
want_disks = []
for l in (rd("proc/diskstats") or "").splitlines():
    f = l.split()
    name = f[2]
    if re.match(r"(loop|ram|zram|fd|sr|nbd)\d+$", name):
        continue
    if os.path.isdir(os.path.join(root, "sys/block")):
        if not os.path.exists(os.path.join(root, "sys/block", name)):
            continue
    want_disks.append((name, int(f[11])))
got = [(d["name"], d["in_flight"]) for d in doc["disks"]]
if got != want_disks:
    fails.append(f"disks: got {got}, want {want_disks}")

# interfaces: all of net/dev but lo, speed in bit/s or null
want_if = []
for l in (rd("proc/net/dev") or "").splitlines()[2:]:
    name = l.split(":")[0].strip()
    if name == "lo":
        continue
    sp = rd(f"sys/class/net/{name}/speed")
    speed = None
    if sp is not None and sp.strip().lstrip("-").isdigit():
        v = int(sp)
        speed = v * 1e6 if 0 < v < 4294967295 and v != 65535 else None
    op = (rd(f"sys/class/net/{name}/operstate") or "unknown").strip()
    want_if.append((name, speed, op))
got = [(i["name"], i["speed_bits_per_s"], i["oper"]) for i in doc["net"]]
if got != want_if:
    fails.append(f"net: got {got}, want {want_if}")

fnr = rd("proc/sys/fs/file-nr")
if fnr:
    a, u, m = map(int, fnr.split())
    check("limits.fd.used", doc["limits"]["fd"]["used"], a - u)
    check("limits.fd.fill", doc["limits"]["fd"]["fill"], (a - u) / m)

# mounts: recorded statvfs figures, used/(used+avail) as df
sv = rd(".headroom/statvfs")
if sv:
    rec = {}
    for l in sv.splitlines():
        p, fr, bl, bf, ba, fi, ff = l.split()
        rec[p.replace("\\040", " ")] = tuple(map(int, (fr, bl, bf, ba, fi, ff)))
    for m in doc["mounts"]:
        fr, bl, bf, ba, fi, ff = rec[m["path"]]
        used = (bl - bf) * fr
        check(f"mount {m['path']} size", m["size_bytes"], bl * fr)
        check(f"mount {m['path']} util", m["util"], used / (used + ba * fr))

for f in fails:
    print("MISMATCH", f)
sys.exit(1 if fails else 0)
