#!/usr/bin/env python3
"""senml_check.py - an independent validator of headroom's SenML-CBOR
reports (RFC 8428, CBOR representation; the layout of agent/senml.c).

It shares no code with the agent: packs are decoded twice, by cbor2 and by
a small CBOR item walker written here over the raw bytes (the walker also
sees what cbor2 hides: the width of every number, definite lengths,
minimal heads, duplicate map keys), and both results must agree.

usage: senml_check.py [options] [FILE|-]       (default: stdin)

  --resolve      print the resolved records as JSON lines, shaped like
                 `headroom decode` ({"n","u","t","v"|"vs"|"vb"}); problems
                 and the summary then go to stderr
  --packs        print one JSON object per pack (size, seq, boot, id, bt,
                 interval, part, parts, data: {name: value}); problems and
                 the summary then go to stderr
  --generic      check RFC 8428 only (labels, types, names, uniqueness,
                 finite values): no headroom layout, units or encoding
                 rules; for hand-built packs
  --no-sequence  do not check the packs against each other (same boot id
                 and agent id, seq + 1 per report, parts complete)
  --strict-size  numbers must use the overall shortest exact CBOR form,
                 even when that is a float for an integral value (by
                 default integral values up to 2^53 must be integers)

Prints one line per problem, then "N packs, M records checked"; exits 1
when there was any problem, 2 on a usage error.
"""
import json
import math
import re
import struct
import sys

import cbor2

# ---- RFC 8428, table 4 -------------------------------------------------------

LABELS = {
    -1: "bver", -2: "bn", -3: "bt", -4: "bu", -5: "bv", -6: "bs",
    0: "n", 1: "u", 2: "v", 3: "vs", 4: "vb", 5: "s", 6: "t", 7: "ut",
    8: "vd",
}
TEXT = {"bn", "n", "u", "bu", "vs"}
NUMBER = {"bt", "bv", "bs", "v", "s", "t", "ut"}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:./_-]*$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,62}$")
BOOT_RE = re.compile(r"^[0-9a-f]{16}$")

# ---- the records of a report (agent/series.c) ---------------------------------

UNITS = {"/", "B", "B/s", "bit/s", "1/s", "s", "count"}
MP, SUM, CAP, TOT = "mean/peak", "sum", "capacity", "total"
MIN = "least"         # headroom, time to exhaustion: one record, no peak
MAX = "greatest"      # anomaly scores: one record, sent from NOTE up
NOTE = 0.8            # HR_AGG_NOTE (agent/report.h)

FIXED = {
    "cpu.util": ("/", MP), "cpu.user": ("/", MP), "cpu.sys": ("/", MP),
    "cpu.iowait": ("/", MP), "cpu.steal": ("/", MP),
    "cpu.run": ("count", MP), "cpu.blocked": ("count", MP),
    "cpu.load1": ("count", MP), "cpu.online": ("count", CAP),
    "cpu.ctxt": ("1/s", MP),
    "mem.util": ("/", MP), "mem.swap": ("/", MP),
    "mem.total": ("B", CAP), "mem.swap.total": ("B", CAP),
    "mem.majflt": ("1/s", MP), "mem.swapin": ("1/s", MP),
    "mem.swapout": ("1/s", MP), "mem.oom": ("count", SUM),
    "softnet.drop": ("1/s", MP), "softnet.squeeze": ("1/s", MP),
    "tcp.retrans": ("1/s", MP), "tcp.lovf": ("1/s", MP),
    "tcp.ldrop": ("1/s", MP),
    "cg.cpu.util": ("/", MP), "cg.throttled": ("/", MP),
    "cg.mem.util": ("/", MP), "cg.cpu.limit": ("count", CAP),
    "cg.mem.limit": ("B", CAP),
    "agent.wraps": ("count", SUM), "agent.resets": ("count", SUM),
    "agent.appeared": ("count", SUM), "agent.vanished": ("count", SUM),
}
# delivery accounting (docs/spool.md): totals since start and gauges
for _k in ("backlog", "spooled", "replayed", "loaded", "dropped.ram",
           "dropped.disk", "dropped.encode", "dropped.refused", "damaged",
           "disk"):
    FIXED["spool." + _k] = ("count", TOT)
for _k in ("ram_bytes", "disk_bytes", "memory", "max_disk"):
    FIXED["spool." + _k] = ("B", TOT)
FIXED["spool.replay_rate"] = ("1/s", TOT)
for _r in ("cpu", "mem", "io"):
    for _k in ("some", "full"):
        FIXED["psi.%s.%s" % (_r, _k)] = ("/", MP)
for _g in ("conntrack", "fd", "pid"):
    FIXED[_g + ".used"] = ("count", MP)
    FIXED[_g + ".max"] = ("count", CAP)
    FIXED[_g + ".util"] = ("/", MP)
# indicators (docs/indicators.md)
for _g in ("cpu", "mem", "conntrack", "fd", "pid", "cg.cpu", "cg.mem",
           "bottleneck"):
    FIXED[_g + ".headroom"] = ("/", MIN)
for _g in ("mem", "conntrack", "fd", "pid", "cg.mem"):
    FIXED[_g + ".tte"] = ("s", MIN)
FIXED["cpu.sat"] = ("count", MP)
# anomaly detection (docs/anomaly.md): the host's figures, and the
# interval's greatest score of each key series that reached NOTE
FIXED["anomaly.rate"] = ("/", TOT)
FIXED["anomaly.max"] = ("/", TOT)
for _g in ("cpu", "mem", "conntrack", "fd", "pid"):
    for _q in ("util", "sat", "errors"):
        FIXED["%s.%s.anom" % (_g, _q)] = ("/", MAX)
for _g in ("cg.cpu", "cg.mem"):
    FIXED[_g + ".util.anom"] = ("/", MAX)
ANOM = re.compile(r"\.(util|sat|errors)\.anom$")
# the only text records of a report: first, before any base unit
TEXT_RECS = ("bottleneck.res", "bottleneck.why")

# per device: group "<prefix><device>." + record name
PER_DEVICE = [
    (re.compile(r"^cpu\.(0|[1-9][0-9]*)\.(util)$"), {"util": ("/", MP)}),
    (re.compile(r"^disk\.(.+)\.(util|headroom|await|queue|rd|wr|rdB|wrB)$"), {
        "util": ("/", MP), "headroom": ("/", MIN), "await": ("s", MP),
        "queue": ("count", MP),
        "rd": ("1/s", MP), "wr": ("1/s", MP), "rdB": ("B/s", MP),
        "wrB": ("B/s", MP)}),
    (re.compile(r"^net\.(.+)\.(rx\.util|tx\.util|headroom|up|rxp|txp|err|"
                r"drop|rxB|txB|speed)$"), {
        "rx.util": ("/", MP), "tx.util": ("/", MP), "headroom": ("/", MIN),
        "up": ("count", CAP),
        "rxp": ("1/s", MP), "txp": ("1/s", MP), "err": ("1/s", MP),
        "drop": ("1/s", MP), "rxB": ("B/s", MP), "txB": ("B/s", MP),
        "speed": ("bit/s", CAP)}),
    (re.compile(r"^fs(/.*)\.(util|inodes|headroom|avail|size|tte)$"), {
        "util": ("/", MP), "inodes": ("/", MP), "headroom": ("/", MIN),
        "avail": ("B", MP), "size": ("B", CAP), "tte": ("s", MIN)}),
    (re.compile(r"^queue\.([A-Za-z0-9_-]+)\.(util|headroom|depth|fail|"
                r"capacity|growth|tte)$"), {
        "util": ("/", MP), "headroom": ("/", MIN), "depth": ("count", MP),
        "fail": ("count", SUM), "capacity": ("count", CAP),
        "growth": ("1/s", MP), "tte": ("s", MIN)}),
]
# may be negative (a queue draining)
SIGNED = re.compile(r"^queue\.[A-Za-z0-9_-]+\.growth$")

META = ["schema", "boot", "seq", "interval"]
DATA_LABELS = {"bn", "bu", "n", "v"}
PART_META = ["part", "parts"]
META_LABELS = {
    "schema": {"bn", "bt", "n", "v"},
    "boot": {"n", "vs"},
    "seq": {"n", "v"},
    "interval": {"n", "u", "v"},
    "part": {"n", "v"},
    "parts": {"n", "v"},
}


def series_of(rel):
    """(unit, kind) of a record name relative to "<id>/", or None."""
    if rel in FIXED:
        return FIXED[rel]
    if ANOM.search(rel) and re.match(r"^(disk|net|queue)\.|^fs/", rel):
        # any device's or queue's key series (its group is checked by
        # the device pattern of its other records)
        return ("/", MAX)
    for rx, tab in PER_DEVICE:
        m = rx.match(rel)
        if m:
            return tab[m.group(2)]
    return None


# ---- a CBOR item walker over the raw bytes ---------------------------------------


class WalkError(Exception):
    def __init__(self, pos, msg):
        Exception.__init__(self, "byte %d: %s" % (pos, msg))
        self.pos = pos


class Item:
    """One CBOR data item as it is written: major type, additional info,
    its bytes [start, end), decoded value, and for containers the items
    inside (arrays: list of Item, maps: list of (Item, Item))."""
    __slots__ = ("major", "ai", "start", "end", "value", "items",
                 "indefinite", "head_ok")

    def __init__(self, major, ai, start):
        self.major = major
        self.ai = ai
        self.start = start
        self.end = start
        self.value = None
        self.items = None
        self.indefinite = False
        self.head_ok = True

    def is_int(self):
        return self.major in (0, 1)

    def is_float(self):
        return self.major == 7 and self.ai in (25, 26, 27)

    def is_number(self):
        return self.is_int() or self.is_float()

    def is_text(self):
        return self.major == 3

    def is_bool(self):
        return self.major == 7 and self.ai in (20, 21)

    def width(self):
        return self.end - self.start


MIN_ARG = {24: 24, 25: 1 << 8, 26: 1 << 16, 27: 1 << 32}


class Walker:
    MAX_DEPTH = 32

    def __init__(self, buf):
        self.buf = buf

    def need(self, pos, n):
        if pos + n > len(self.buf):
            raise WalkError(pos, "truncated: %d byte(s) needed, %d left"
                            % (n, len(self.buf) - pos))

    def head(self, pos):
        """(major, ai, argument or None for indefinite, next position,
        head is minimal)"""
        self.need(pos, 1)
        b = self.buf[pos]
        major, ai = b >> 5, b & 31
        pos += 1
        if ai < 24:
            return major, ai, ai, pos, True
        if ai in (24, 25, 26, 27):
            n = 1 << (ai - 24)
            self.need(pos, n)
            arg = int.from_bytes(self.buf[pos:pos + n], "big")
            return major, ai, arg, pos + n, arg >= MIN_ARG[ai]
        if ai == 31:
            return major, ai, None, pos, True
        raise WalkError(pos - 1, "reserved additional information %d" % ai)

    def item(self, pos, depth=0):
        if depth > self.MAX_DEPTH:
            raise WalkError(pos, "nested too deep")
        start = pos
        major, ai, arg, pos, minimal = self.head(pos)
        it = Item(major, ai, start)
        if major == 0:
            if arg is None:
                raise WalkError(start, "indefinite length on an integer")
            it.value, it.head_ok = arg, minimal
        elif major == 1:
            if arg is None:
                raise WalkError(start, "indefinite length on an integer")
            it.value, it.head_ok = -1 - arg, minimal
        elif major in (2, 3):
            if arg is None:
                it.indefinite = True
                chunks = []
                while True:
                    self.need(pos, 1)
                    if self.buf[pos] == 0xff:
                        pos += 1
                        break
                    c = self.item(pos, depth + 1)
                    if c.major != major or c.indefinite:
                        raise WalkError(pos, "bad chunk in an "
                                        "indefinite-length string")
                    chunks.append(c.value)
                    pos = c.end
                it.value = ("" if major == 3 else b"").join(chunks)
            else:
                it.head_ok = minimal
                self.need(pos, arg)
                raw = bytes(self.buf[pos:pos + arg])
                pos += arg
                if major == 3:
                    try:
                        it.value = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise WalkError(start, "text is not UTF-8")
                else:
                    it.value = raw
        elif major == 4:
            it.items = []
            if arg is None:
                it.indefinite = True
                while True:
                    self.need(pos, 1)
                    if self.buf[pos] == 0xff:
                        pos += 1
                        break
                    c = self.item(pos, depth + 1)
                    it.items.append(c)
                    pos = c.end
            else:
                it.head_ok = minimal
                for _ in range(arg):
                    c = self.item(pos, depth + 1)
                    it.items.append(c)
                    pos = c.end
        elif major == 5:
            it.items = []
            if arg is None:
                it.indefinite = True
                while True:
                    self.need(pos, 1)
                    if self.buf[pos] == 0xff:
                        pos += 1
                        break
                    k = self.item(pos, depth + 1)
                    v = self.item(k.end, depth + 1)
                    it.items.append((k, v))
                    pos = v.end
            else:
                it.head_ok = minimal
                for _ in range(arg):
                    k = self.item(pos, depth + 1)
                    v = self.item(k.end, depth + 1)
                    it.items.append((k, v))
                    pos = v.end
        elif major == 6:
            if arg is None:
                raise WalkError(start, "indefinite length on a tag")
            it.head_ok = minimal
            c = self.item(pos, depth + 1)
            it.items = [c]
            it.value = ("tag", arg)
            pos = c.end
        else:
            raw = self.buf[start + 1:pos]
            if ai < 20:
                it.value = ("simple", ai)
            elif ai == 20:
                it.value = False
            elif ai == 21:
                it.value = True
            elif ai == 22:
                it.value = None
            elif ai == 23:
                it.value = ("undefined",)
            elif ai == 24:
                it.value = ("simple", arg)
                it.head_ok = arg >= 32
            elif ai == 25:
                it.value = struct.unpack(">e", raw)[0]
            elif ai == 26:
                it.value = struct.unpack(">f", raw)[0]
            elif ai == 27:
                it.value = struct.unpack(">d", raw)[0]
            else:
                raise WalkError(start, "unexpected break")
        it.end = pos
        return it


def plain(it):
    """The walker's item as the Python value cbor2 gives for it."""
    if it.major == 4:
        return [plain(c) for c in it.items]
    if it.major == 5:
        return {plain(k): plain(v) for k, v in it.items}
    return it.value


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return (len(a) == len(b) and
                all(k in b and same(v, b[k]) for k, v in a.items()))
    return type(a) is type(b) and a == b


# ---- numbers: exact forms ----------------------------------------------------------


def half_exact(v):
    try:
        return struct.unpack("<e", struct.pack("<e", v))[0] == v
    except (OverflowError, struct.error):
        return False


def single_exact(v):
    try:
        return struct.unpack("<f", struct.pack("<f", v))[0] == v
    except (OverflowError, struct.error):
        return False


def int_width(v):
    """Bytes of the minimal CBOR integer for integral v, None if none."""
    a = v if v >= 0 else -1 - v
    if a < 0 or a >= 1 << 64:
        return None
    if a < 24:
        return 1
    if a < 1 << 8:
        return 2
    if a < 1 << 16:
        return 3
    if a < 1 << 32:
        return 5
    return 9


def float_width(v):
    if half_exact(v):
        return 3
    if single_exact(v):
        return 5
    return 9


FORM = {3: "half", 5: "single", 9: "double"}


def number_form_problem(it, strict):
    """None when the number item uses the form it should, else why not."""
    v = it.value
    if isinstance(v, float) and not math.isfinite(v):
        return None                      # reported as not finite
    integral = float(v) == math.floor(v)
    iw = int_width(int(v)) if integral else None
    fw = float_width(float(v))
    if it.is_int():
        if not it.head_ok:
            return "integer %d not in its shortest head" % v
        if strict and fw < iw:
            return ("integer %d takes %d bytes, a %s float keeps it in %d"
                    % (v, iw, FORM[fw], fw))
        return None
    got = it.width()
    # a float
    if integral and iw is not None:
        if strict:
            if iw <= fw:
                return "integral value %r as a %s float, not an integer" % (
                    v, FORM[got])
        elif abs(v) <= 2 ** 53 or iw <= fw:
            return "integral value %r as a %s float, not an integer" % (
                v, FORM[got])
    if got != fw:
        return "%r as a %s float, the %s form keeps it exactly" % (
            v, FORM[got], FORM[fw])
    return None


# ---- checking packs ---------------------------------------------------------------


class Report:
    def __init__(self, out):
        self.out = out
        self.problems = 0

    def __call__(self, where, msg):
        self.problems += 1
        print("%s: %s" % (where, msg), file=self.out)


def b64url(b):
    import base64
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def check_pack(idx, top, report, opt):
    """Check one pack (walker item); returns (resolved records, info) or
    None when it is not even an array of maps."""
    P = "pack %d" % idx
    if top.major != 4:
        report(P, "not an array")
        return None
    if top.indefinite:
        report(P, "indefinite-length array")
    elif not top.head_ok:
        report(P, "array length not in its shortest head")
    if not top.items:
        report(P, "empty array")
        return None
    base = {"bn": "", "bt": 0.0, "bu": None, "bv": None, "bs": None}
    resolved = []
    recs = []          # (record index, labels dict name->Item, resolved)
    ok_maps = True
    for ri, rec in enumerate(top.items):
        R = "%s record %d" % (P, ri)
        if rec.major != 5:
            report(R, "not a map")
            ok_maps = False
            continue
        if rec.indefinite:
            report(R, "indefinite-length map")
        elif not rec.head_ok:
            report(R, "map length not in its shortest head")
        labels = {}
        bad = False
        for k, v in rec.items:
            if not k.is_int():
                report(R, "label %r is not an integer" % (k.value,))
                bad = True
                continue
            if not k.head_ok:
                report(R, "label %d not in its shortest head" % k.value)
            name = LABELS.get(k.value)
            if name is None:
                report(R, "unknown label %d" % k.value)
                bad = True
                continue
            if name in labels:
                report(R, "label %s twice" % name)
                bad = True
                continue
            labels[name] = v
            if name in TEXT:
                if not v.is_text():
                    report(R, "%s is not a text string" % name)
                    bad = True
                elif v.indefinite:
                    report(R, "%s is an indefinite-length text string"
                           % name)
                elif not v.head_ok:
                    report(R, "%s length not in its shortest head" % name)
            elif name in NUMBER:
                if not v.is_number():
                    report(R, "%s is not a number" % name)
                    bad = True
                elif isinstance(v.value, float) and \
                        not math.isfinite(v.value):
                    report(R, "%s is not finite (%r)" % (name, v.value))
                    bad = True
                elif not opt["generic"]:
                    why = number_form_problem(v, opt["strict"])
                    if why:
                        report(R, "%s: %s" % (name, why))
            elif name == "vb":
                if not v.is_bool():
                    report(R, "vb is not a boolean")
                    bad = True
            elif name == "vd":
                if v.major != 2 or v.indefinite:
                    report(R, "vd is not a definite byte string")
                    bad = True
            elif name == "bver":
                if v.major != 0:
                    report(R, "bver is not an unsigned integer")
                    bad = True
        if bad:
            continue
        # base fields apply from this record on
        for b in ("bn", "bt", "bu", "bv", "bs"):
            if b in labels:
                base[b] = labels[b].value
        vals = [x for x in ("v", "vs", "vb", "vd") if x in labels]
        if len(vals) > 1:
            report(R, "more than one value (%s)" % ", ".join(vals))
            continue
        if not vals and "s" not in labels:
            report(R, "no value and no sum")
            continue
        name = base["bn"] + (labels["n"].value if "n" in labels else "")
        if not NAME_RE.match(name):
            report(R, "invalid name %r" % name)
            continue
        r = {"n": name}
        unit = labels["u"].value if "u" in labels else base["bu"]
        if unit:
            r["u"] = unit
        r["t"] = base["bt"] + (labels["t"].value if "t" in labels else 0)
        if "v" in labels:
            x = labels["v"].value
            r["v"] = x + base["bv"] if base["bv"] is not None else x
        elif "vs" in labels:
            r["vs"] = labels["vs"].value
        elif "vb" in labels:
            r["vb"] = labels["vb"].value
        elif "vd" in labels:
            r["vd"] = b64url(labels["vd"].value)
        if "s" in labels:
            s = labels["s"].value
            r["s"] = s + base["bs"] if base["bs"] is not None else s
        resolved.append(r)
        recs.append((ri, labels, r))
    # uniqueness: (name, time) pairs, in our layout simply names
    seen = {}
    for ri, labels, r in recs:
        key = r["n"] if not opt["generic"] else (r["n"], r["t"])
        if key in seen:
            report("%s record %d" % (P, ri), "name %r already used by "
                   "record %d" % (r["n"], seen[key]))
        else:
            seen[key] = ri
    info = None
    if not opt["generic"] and ok_maps:
        info = check_layout(P, top, recs, report)
    return resolved, info


def check_layout(P, top, recs, report):
    """headroom's layout: metadata first, then data records of known
    names and units, quantised values."""
    n = len(top.items)
    info = {"id": None, "bt": None, "boot": None, "seq": None,
            "interval": None, "part": None, "parts": None, "data": {}}
    if len(recs) != n:
        return info                     # already reported record by record
    nmeta = 4
    names = []
    for ri, labels, r in recs:
        names.append(labels["n"].value if "n" in labels else None)
    if n > 4 and names[4] == "part":
        nmeta = 6
    elif n > 4 and names[4] == "parts":
        report(P, "'parts' without 'part' before it")
    want = META + (PART_META if nmeta == 6 else [])
    if n < nmeta:
        report(P, "%d records: fewer than the %d metadata records"
               % (n, nmeta))
    for i, w in enumerate(want[:n]):
        ri, labels, r = recs[i]
        R = "%s record %d" % (P, ri)
        if names[i] != w:
            report(R, "metadata record %d must be %r, not %r"
                   % (i, w, names[i]))
            continue
        got = set(labels)
        if got != META_LABELS[w]:
            report(R, "%s: labels %s, want %s" % (
                w, sorted(got), sorted(META_LABELS[w])))
        if w == "schema":
            bn = labels["bn"].value if "bn" in labels else None
            if bn is None or not bn.endswith("/") or \
                    not ID_RE.match(bn[:-1]):
                report(R, "schema: bn %r is not '<agent id>/'" % (bn,))
            else:
                info["id"] = bn[:-1]
            if "bt" not in labels:
                report(R, "schema: no base time")
            else:
                bt = labels["bt"].value
                info["bt"] = bt
                if bt < 2 ** 28:
                    report(R, "schema: base time %r is not absolute "
                           "(below 2^28)" % bt)
                if abs(bt * 1000 - round(bt * 1000)) > 1e-3:
                    report(R, "schema: base time %r is not whole "
                           "milliseconds" % bt)
            if "v" not in labels or not labels["v"].is_int() or \
                    labels["v"].value != 1:
                report(R, "schema: version must be the integer 1")
        elif w == "boot":
            vs = r.get("vs")
            if not isinstance(vs, str) or not BOOT_RE.match(vs):
                report(R, "boot: %r is not 16 lowercase hex digits" % (vs,))
            else:
                info["boot"] = vs
        elif w in ("seq", "part", "parts"):
            it = labels.get("v")
            if it is None or it.major != 0 or it.value < 1:
                report(R, "%s: value must be an unsigned integer >= 1" % w)
            else:
                info[w] = it.value
        elif w == "interval":
            if r.get("u") != "s" or "u" not in labels:
                report(R, "interval: unit must be 's' in the record")
            v = r.get("v")
            if not isinstance(v, (int, float)) or isinstance(v, bool) \
                    or not v > 0:
                report(R, "interval: value must be a positive number")
            else:
                info["interval"] = v
                if abs(v * 1000 - round(v * 1000)) > 1e-6:
                    report(R, "interval %r is not whole milliseconds" % v)
    if info["part"] is not None and info["parts"] is not None:
        if info["part"] > info["parts"]:
            report(P, "part %d of %d" % (info["part"], info["parts"]))
        if info["parts"] < 2:
            report(P, "parts %d: a split report has at least 2"
                   % info["parts"])
        if info["parts"] > 0xffffffff:
            report(P, "parts %d: above 2^32 - 1" % info["parts"])
    # data records
    prefix = info["id"] + "/" if info["id"] else None
    bn_now, bu_now = None, None
    means = {}
    numeric_seen = False
    for i in range(n):
        ri, labels, r = recs[i]
        if "bn" in labels:
            if labels["bn"].value == bn_now and i >= nmeta:
                report("%s record %d" % (P, ri), "bn %r restated unchanged"
                       % bn_now)
            bn_now = labels["bn"].value
        if "bu" in labels:
            if labels["bu"].value == bu_now:
                report("%s record %d" % (P, ri), "bu %r restated unchanged"
                       % bu_now)
            bu_now = labels["bu"].value
        if i < nmeta:
            continue
        R = "%s record %d (%s)" % (P, ri, r["n"])
        rel = r["n"][len(prefix):] if prefix and \
            r["n"].startswith(prefix) else None
        text = "vs" in labels
        extra = set(labels) - DATA_LABELS - ({"vs"} if text else set())
        if text:
            # text records: the bottleneck's, before any base unit
            extra |= {"v"} & set(labels)
            if rel not in TEXT_RECS:
                report(R, "text value in record %r (only %s)"
                       % (rel, ", ".join(TEXT_RECS)))
            if numeric_seen or "u" in r or "bu" in labels:
                report(R, "a text record after numeric ones, or with a "
                       "unit")
        if extra:
            report(R, "labels %s in a data record (only bn, bu, n, v; "
                   "vs for a text record)" % sorted(extra))
        if i == nmeta and "bn" not in labels:
            report(R, "the first data record must restate bn")
        if not text and not numeric_seen and "bu" not in labels:
            report(R, "the first numeric data record must restate bu")
        if "bn" in labels and prefix is not None:
            g = labels["bn"].value
            if not (g.startswith(prefix) and len(g) > len(prefix) and
                    g.endswith(".")):
                report(R, "bn %r is not '%s<group>.'" % (g, prefix))
        if info["bt"] is not None and r["t"] != info["bt"]:
            report(R, "time %r is not the report's base time %r"
                   % (r["t"], info["bt"]))
        if text:
            if not r["vs"]:
                report(R, "empty text value")
            info["data"][rel or r["n"]] = r["vs"]
            continue
        numeric_seen = True
        if "v" not in r:
            report(R, "a data record needs a numeric value v")
            continue
        if prefix is None:
            continue
        if not r["n"].startswith(prefix):
            report(R, "name does not start with %r" % prefix)
            continue
        rel = r["n"][len(prefix):]
        peak = rel.endswith(".peak")
        base = rel[:-5] if peak else rel
        s = series_of(base)
        unit = r.get("u")
        v = r["v"]
        if unit not in UNITS:
            report(R, "unit %r is not one of the agent's" % (unit,))
        if s is None:
            report(R, "unknown record name %r" % rel)
        else:
            if unit != s[0]:
                report(R, "unit %r, but %s is in %r" % (unit, base, s[0]))
            if peak and s[1] != MP:
                report(R, "a peak of %s, which is a %s series"
                       % (base, s[1]))
            if s[1] == MAX and not NOTE <= v <= 1:
                report(R, "anomaly score %r sent, but below %g (or above"
                       " 1)" % (v, NOTE))
        info["data"][rel] = v
        if v < 0 and not SIGNED.match(base):
            report(R, "negative value %r" % v)
        if unit == "/":
            if not 0 <= v <= 1:
                report(R, "ratio %r outside [0, 1]" % v)
            if not half_exact(float(v)):
                report(R, "ratio %r is not a half float value" % v)
        elif unit in ("B", "B/s", "bit/s"):
            if v != math.floor(v):
                report(R, "%r %s is not a whole number" % (v, unit))
        elif unit in ("1/s", "s", "count"):
            if v != math.floor(v) and not (abs(v) <= 2048 and
                                           half_exact(float(v))):
                report(R, "%r %s is neither whole nor a half float value"
                       % (v, unit))
        if not peak:
            means[base] = (ri, v)
    for rel, v in info["data"].items():
        if rel.endswith(".peak") and rel[:-5] in means:
            ri, mean = means[rel[:-5]]
            if not v > mean:
                report("%s (%s)" % (P, rel), "peak %r not above the mean %r "
                       "(a peak equal to its mean is left out)" % (v, mean))
    return info


def check_sequence(infos, report):
    """The packs of one run: one agent, one boot id, seq + 1 per report,
    the parts of a report complete and in order."""
    ids = {i["id"] for _, i in infos if i["id"]}
    boots = {i["boot"] for _, i in infos if i["boot"]}
    if len(ids) > 1:
        report("sequence", "several agent ids: %s" % sorted(ids))
    if len(boots) > 1:
        report("sequence", "several boot ids: %s" % sorted(boots))
    prev = None
    for idx, i in infos:
        P = "pack %d" % idx
        if i["seq"] is None or (i["part"] is None) != (i["parts"] is None):
            prev = None                 # reported in the pack itself
            continue
        if prev is not None:
            pseq, ppart, pparts = prev
            if ppart is not None and ppart < pparts:
                if i["seq"] != pseq or i["part"] != ppart + 1 or \
                        i["parts"] != pparts:
                    report(P, "part %s/%s of seq %d follows part %d/%d of "
                           "seq %d" % (i["part"], i["parts"], i["seq"],
                                       ppart, pparts, pseq))
            elif i["seq"] != pseq + 1:
                report(P, "seq %d follows seq %d" % (i["seq"], pseq))
            if i["seq"] == pseq + 1 and i["part"] not in (None, 1):
                report(P, "report %d starts at part %d" % (i["seq"],
                                                           i["part"]))
        prev = (i["seq"], i["part"], i["parts"])
    if prev is not None and prev[1] is not None and prev[1] < prev[2]:
        report("sequence", "report %d ends at part %d of %d" % prev)


def main(argv):
    opt = {"resolve": False, "packs": False, "generic": False,
           "sequence": True, "strict": False}
    path = "-"
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--resolve":
            opt["resolve"] = True
        elif a == "--packs":
            opt["packs"] = True
        elif a == "--generic":
            opt["generic"] = True
        elif a == "--no-sequence":
            opt["sequence"] = False
        elif a == "--strict-size":
            opt["strict"] = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            print("senml_check.py: unknown option %r" % a, file=sys.stderr)
            return 2
        elif args:
            print("senml_check.py: one input only", file=sys.stderr)
            return 2
        else:
            path = a
    if opt["resolve"] and opt["packs"]:
        print("senml_check.py: --resolve or --packs, not both",
              file=sys.stderr)
        return 2
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        print("senml_check.py: %s" % e, file=sys.stderr)
        return 2
    quiet = opt["resolve"] or opt["packs"]
    msgs = sys.stderr if quiet else sys.stdout
    report = Report(msgs)
    walker = Walker(data)
    pos, npacks, nrecs = 0, 0, 0
    infos = []
    if not data:
        report("input", "empty: no pack")
    while pos < len(data):
        npacks += 1
        P = "pack %d" % npacks
        try:
            top = walker.item(pos)
        except WalkError as e:
            report(P, "at %s" % e)
            break
        raw = data[top.start:top.end]
        try:
            ref = cbor2.loads(raw)
        except Exception as e:           # cbor2's errors vary by version
            report(P, "cbor2 cannot decode it: %s" % e)
            ref = None
        if ref is not None and not same(plain(top), ref):
            report(P, "walker and cbor2 disagree on the content")
        pos = top.end
        if top.major == 4 and top.items:
            nrecs += len(top.items)
        res = check_pack(npacks, top, report, opt)
        if res is None:
            continue
        resolved, info = res
        if opt["resolve"]:
            for r in resolved:
                print(json.dumps(r))
        if info is not None:
            infos.append((npacks, info))
            if opt["packs"]:
                d = dict(info)
                d["size"] = len(raw)
                d["records"] = len(top.items)
                print(json.dumps(d))
    if opt["sequence"] and not opt["generic"]:
        check_sequence(infos, report)
    print("%d packs, %d records checked" % (npacks, nrecs), file=msgs)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
