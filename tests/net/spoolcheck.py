#!/usr/bin/env python3
"""spoolcheck.py - for tests/net/spool.sh: an independent reader of the
file spool's format (docs/spool.md, section "File format"; it shares no
code with agent/spool.c: CRC-32 is zlib's) and a summary of subscriber
captures (through tests/net/subdecode.py, cbor2 only).

usage:
  spoolcheck.py records DIR
      {"records": [[seq, part], ...], "damaged": N, "files": [...]}:
      the valid records of every segment file, in replay order, and the
      torn or damaged stretches a reader skips
  spoolcheck.py damage DIR corrupt|truncate SEED
      damage the oldest segment file at a random byte (seeded): corrupt
      flips the bits of one byte of one record, truncate cuts the file;
      prints {"kept": [[seq, part], ...], "damaged": 0|1, "what": ...}
      as computed from the layout before the damage
  spoolcheck.py birth FILE AGENT
      {"spool.memory": ..., ...}: the spool records of AGENT's last
      retained birth (status online) in the capture
  spoolcheck.py got FILE AGENT
      per boot id, in order of first appearance: {"boot", "seqs": sorted
      distinct seq numbers, "dups": messages seen again (same seq, part),
      "report": N, "backfill": N, "order_ok": bool (each topic's seqs
      arrive increasing), "last": {spool counters of the highest seq}}
"""
import json
import os
import random
import re
import struct
import sys
import zlib

HDR = 32
MAGIC = b"HRS1"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from expect import decoded  # noqa: E402  (tests/net/expect.py)


def valid_at(data, off):
    """(seq, part, size) of a valid record at off, else None."""
    if off + HDR > len(data) or data[off:off + 4] != MAGIC:
        return None
    (length,) = struct.unpack_from("<I", data, off + 4)
    end = off + HDR + length
    if end > len(data):
        return None
    crc = zlib.crc32(data[off + 4:off + 28] + data[off + HDR:end])
    if crc != struct.unpack_from("<I", data, off + 28)[0]:
        return None
    seq, _made, part = struct.unpack_from("<QqH", data, off + 8)
    return seq, part, HDR + length


def scan(data):
    """[(off, seq, part, size)], damaged stretches."""
    recs, damaged, off = [], 0, 0
    while off < len(data):
        v = valid_at(data, off)
        if v:
            recs.append((off, v[0], v[1], v[2]))
            off += v[2]
            continue
        damaged += 1
        nxt = off + 1
        while True:
            nxt = data.find(MAGIC, nxt)
            if nxt < 0 or valid_at(data, nxt):
                break
            nxt += 1
        off = len(data) if nxt < 0 else nxt
    return recs, damaged


def segments(d):
    return sorted(f for f in os.listdir(d)
                  if re.fullmatch(r"[0-9a-f]{16}\.spool", f))


def cmd_records(d):
    out, damaged = [], 0
    for f in segments(d):
        with open(os.path.join(d, f), "rb") as fh:
            recs, dmg = scan(fh.read())
        out += [[r[1], r[2]] for r in recs]
        damaged += dmg
    print(json.dumps({"records": out, "damaged": damaged,
                      "files": segments(d)}))


def cmd_damage(d, how, seed):
    rnd = random.Random(seed)
    files = segments(d)
    if not files:
        sys.exit("no segment file in %s" % d)
    path = os.path.join(d, files[0])
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    recs, dmg = scan(bytes(data))
    if dmg or not recs:
        sys.exit("%s: not a clean segment (%d records, %d damaged)"
                 % (path, len(recs), dmg))
    later = []
    for f in files[1:]:
        with open(os.path.join(d, f), "rb") as fh:
            later += [[r[1], r[2]] for r in scan(fh.read())[0]]
    if how == "corrupt":
        k = rnd.randrange(len(recs))
        off, _s, _p, size = recs[k]
        at = off + rnd.randrange(size)
        data[at] ^= rnd.randrange(1, 256)
        kept = [[r[1], r[2]] for i, r in enumerate(recs) if i != k]
        what = "record %d of %d (seq %d), byte %d of it" % (
            k + 1, len(recs), recs[k][1], at - off)
        damaged = 1
    else:
        size = len(data)
        cut = rnd.randrange(1, size)
        data = data[:cut]
        kept = [[r[1], r[2]] for r in recs if r[0] + r[3] <= cut]
        damaged = 0 if any(r[0] + r[3] == cut for r in recs) else 1
        what = "cut at byte %d of %d" % (cut, size)
    with open(path, "wb") as fh:
        fh.write(data)
    # the same layout read again must agree
    again, dmg2 = scan(bytes(data))
    if [[r[1], r[2]] for r in again] != kept or dmg2 != damaged:
        sys.exit("damage: the reader disagrees with the plan")
    print(json.dumps({"kept": kept + later, "damaged": damaged,
                      "what": what}))


def cmd_birth(path, agent):
    last = {}
    pre = agent + "/spool."
    for m in decoded(path):
        if m.get("topic") == "headroom/%s/status" % agent and m.get("values"):
            v = {k[len(agent) + 1:]: x for k, x in m["values"].items()
                 if k.startswith(pre)}
            if v:
                last = v
    print(json.dumps(last))


def cmd_got(path, agent):
    boots, order = {}, []
    for m in decoded(path):
        parts = m.get("topic", "").split("/")
        if parts[1:2] != [agent] or parts[-1] not in ("report", "backfill"):
            continue
        b = m["boot"]
        if b not in boots:
            boots[b] = {"boot": b, "keys": set(), "dups": 0, "report": 0,
                        "backfill": 0, "last_seq": {}, "order_ok": True,
                        "top": 0, "vals": {}}
            order.append(b)
        e = boots[b]
        key = (m["seq"], m.get("part") or 0)
        t = parts[-1]
        e[t] += 1
        if key in e["keys"]:
            e["dups"] += 1
        else:
            # first arrivals of each topic come oldest first
            if m["seq"] < e["last_seq"].get(t, 0):
                e["order_ok"] = False
            e["last_seq"][t] = m["seq"]
        e["keys"].add(key)
        if m["seq"] >= e["top"]:
            e["top"] = m["seq"]
            pre = agent + "/spool."
            e["vals"] = {k[len(pre):]: v for k, v in m["values"].items()
                         if k.startswith(pre)}
    res = []
    for b in order:
        e = boots[b]
        res.append({"boot": b, "seqs": sorted({k[0] for k in e["keys"]}),
                    "dups": e["dups"], "report": e["report"],
                    "backfill": e["backfill"], "order_ok": e["order_ok"],
                    "last": e["vals"]})
    print(json.dumps(res))


def main(argv):
    if len(argv) >= 3 and argv[1] == "records":
        cmd_records(argv[2])
    elif len(argv) >= 5 and argv[1] == "damage":
        cmd_damage(argv[2], argv[3], int(argv[4]))
    elif len(argv) >= 4 and argv[1] == "birth":
        cmd_birth(argv[2], argv[3])
    elif len(argv) >= 4 and argv[1] == "got":
        cmd_got(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
