#!/usr/bin/env python3
"""dedupe_mk.py - inputs and checks for tests/cli/dedupe.sh, with cbor2
(no code shared with the agent).

usage:
  dedupe_mk.py pick FILE [--id ID] [--boot HEX] SEL...
      the packs of FILE (a CBOR sequence from "headroom sample --format
      cbor") chosen by SEL, in that order, as a CBOR sequence on stdout.
      SEL is SEQ (every pack of that report, parts in order), SEQ.K (part
      K of it) or "status" (a status pack, no seq, of the same agent and
      boot).  --id renames the agent in every bn, --boot replaces the boot
      id: a capture of "another" agent or boot with the same reports.
  dedupe_mk.py boot FILE        the boot id of FILE's first pack
  dedupe_mk.py parts FILE SEQ   how many packs report SEQ has in FILE
  dedupe_mk.py keys [--pack] DECODED
      the packs that "headroom decode" printed (JSON lines, or arrays with
      --pack), one a line: "ID BOOT SEQ PART" (PART 0 for a whole report,
      SEQ and PART "-" for a pack without seq)
"""
import io
import json
import sys

import cbor2

BN, BT, N, V, VS = -2, -3, 0, 2, 3


def packs(path):
    data = open(path, "rb").read()
    f = io.BytesIO(data)
    out = []
    while f.tell() < len(data):
        out.append(cbor2.load(f))
    return out


def meta(pack):
    """(id, {boot, seq, part, parts}) of a pack: the metadata records are
    the ones whose base name is "<id>/"."""
    ident = pack[0][BN].split("/")[0]
    bn, m = "", {}
    for rec in pack:
        bn = rec.get(BN, bn)
        if bn == ident + "/" and rec.get(N) in ("boot", "seq", "part",
                                                "parts"):
            m[rec[N]] = rec.get(VS, rec.get(V))
    return ident, m


def rewrite(pack, ident, boot):
    for rec in pack:
        if ident is not None and BN in rec:
            rec[BN] = ident + rec[BN][rec[BN].index("/"):]
        if boot is not None and rec.get(N) == "boot" and VS in rec:
            rec[VS] = boot
    return pack


def status(pack):
    ident, m = meta(pack)
    return [{BN: ident + "/", BT: pack[0][BT], N: "schema", V: 1},
            {N: "boot", VS: m["boot"]}, {N: "status", VS: "online"},
            {N: "version", VS: "test"}]


def pick(args):
    path, ident, boot, sels = args[0], None, None, []
    it = iter(args[1:])
    for a in it:
        if a == "--id":
            ident = next(it)
        elif a == "--boot":
            boot = next(it)
        else:
            sels.append(a)
    ps = packs(path)
    out = bytearray()
    for sel in sels:
        if sel == "status":
            chosen = [status(ps[0])]
        else:
            seq, _, part = sel.partition(".")
            chosen = [p for p in ps if meta(p)[1].get("seq") == int(seq) and
                      (not part or meta(p)[1].get("part") == int(part))]
            if not chosen:
                sys.exit("dedupe_mk.py: no pack %s in %s" % (sel, path))
        for p in chosen:
            out += cbor2.dumps(rewrite(p, ident, boot))
    sys.stdout.buffer.write(bytes(out))


def keys(args):
    as_pack = args[0] == "--pack"
    lines = [json.loads(l) for l in open(args[-1])]
    if as_pack:
        groups = lines
    else:
        groups = []
        for r in lines:
            if r["n"].endswith("/schema") or not groups:
                groups.append([])
            groups[-1].append(r)
    for g in groups:
        ident = g[0]["n"].split("/")[0]
        m = {r["n"][len(ident) + 1:]: r.get("vs", r.get("v")) for r in g
             if r["n"].startswith(ident + "/")}
        seq = m.get("seq", "-")
        part = m.get("part", 0 if "seq" in m else "-")
        print(ident, m.get("boot", "-"), seq, part)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "pick":
        pick(args)
    elif cmd == "boot":
        print(meta(packs(args[0])[0])[1]["boot"])
    elif cmd == "parts":
        print(sum(1 for p in packs(args[0])
                  if meta(p)[1].get("seq") == int(args[1])))
    elif cmd == "keys":
        keys(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
