#!/usr/bin/env python3
"""mkbad.py - SenML-CBOR inputs for the tests of report.sh, built with
cbor2 (never typed in as bytes).

usage:
  mkbad.py bad KIND        a CBOR sequence: one good pack (GOOD_RECORDS
                           records), then one pack broken in the way KIND
                           says ("empty" is no input at all)
  mkbad.py valid           a valid pack using bv, relative t and per-record
                           u, for the resolution rules
  mkbad.py mutate KIND     read a headroom report (first pack) on stdin
                           and write it back re-encoded, changed the way
                           KIND says ("none": unchanged) - inputs that
                           senml_check.py must reject
  mkbad.py list bad|mutate the KINDs
"""
import io
import struct
import sys

import cbor2

BN, BT, BU, BV, N, U, V, VS, VB, T = -2, -3, -4, -5, 0, 1, 2, 3, 4, 6
GOOD = [{BN: "h-1/", BT: 1700000000, N: "a", U: "count", V: 1},
        {N: "b", V: 2}]
GOOD_RECORDS = len(GOOD)


def enc(obj):
    return cbor2.dumps(obj)


def splice(obj, placeholder, raw):
    """Encode obj, then swap the encoding of placeholder (which must occur
    once) for raw: for what cbor2 will not write itself."""
    b = enc(obj)
    p = enc(placeholder)
    assert b.count(p) == 1, placeholder
    return b.replace(p, raw)


def indefinite_text(*chunks):
    """An indefinite-length text string: 0x7f, definite chunks, break."""
    head = bytes([(3 << 5) | 31])           # major type 3, length 31
    brk = bytes([0xff])
    return head + b"".join(enc(c) for c in chunks) + brk


def bad(kind):
    rec = {N: "x", V: 1}
    if kind == "empty":
        return b""
    if kind == "truncated":
        b = enc([{BN: "h-1/", N: "a", V: 1}, {N: "b", V: 2}])
        return b[:len(b) - 3]
    if kind == "notarray":
        return enc({BN: "h-1/", N: "a", V: 1})
    if kind == "emptyarray":
        return enc([])
    if kind == "notmap":
        return enc([{BN: "h-1/", N: "a", V: 1}, 7])
    if kind == "unknownlabel":
        return enc([{BN: "h-1/", N: "a", V: 1, 9: 1}])
    if kind == "unknownneglabel":
        return enc([{BN: "h-1/", N: "a", V: 1, -7: 1}])
    if kind == "hugelabel":
        # 2^64 - 2 is not -2 (bn): an unknown label
        return enc([{N: "a", V: 1, 2 ** 64 - 2: "zz/"}])
    if kind == "hugeneglabel":
        # -2^64 is not 0 (n): an unknown label
        return enc([{BN: "h-1/", V: 1, -(2 ** 64): "a"}])
    if kind == "mustunderstand":
        return enc([{BN: "h-1/", N: "a", V: 1, "ext_": 1}])
    if kind == "novalue":
        return enc([{BN: "h-1/", N: "a"}])
    if kind == "twovalues":
        return enc([{BN: "h-1/", N: "a", V: 1, VS: "one"}])
    if kind == "badname":
        return enc([{BN: "1 2", N: "a", V: 1}])
    if kind == "dupname":
        return enc([{BN: "h-1/", N: "a", V: 1}, {N: "a", V: 2}])
    if kind == "nan":
        return enc([{BN: "h-1/", N: "a", V: float("nan")}])
    if kind == "inf":
        return enc([{BN: "h-1/", N: "a", V: float("inf")}])
    if kind == "indeftext":
        return splice([{BN: "h-1/", N: "@PLACEHOLDER@", V: 1}],
                      "@PLACEHOLDER@", indefinite_text("a", "b"))
    if kind == "duplabel":
        # the same label twice in one map: n "a", then n "b"
        return splice([{BN: "h-1/", N: "a", V: 1, "@PLACEHOLDER@": "b"}],
                      "@PLACEHOLDER@", enc(N))
    if kind == "vbnotbool":
        return enc([{BN: "h-1/", N: "a", VB: 1}])
    if kind == "ntype":
        return enc([{BN: "h-1/", N: 5, V: 1}])
    if kind == "garbage":
        # after the good pack, a lone "break" byte: not a CBOR item
        return struct.pack(">B", 0xff)
    raise SystemExit("mkbad.py: unknown kind %r" % kind)


BAD_KINDS = ["empty", "truncated", "notarray", "emptyarray", "notmap",
             "unknownlabel", "unknownneglabel", "hugelabel", "hugeneglabel",
             "mustunderstand", "novalue", "twovalues", "badname", "dupname",
             "nan", "inf", "indeftext", "duplabel", "vbnotbool", "ntype",
             "garbage"]


def valid():
    return enc([
        {BN: "h-1/dev.", BT: 1000, BU: "B", BV: 10, N: "a", V: 1.5, T: 2},
        {N: "b", U: "s", V: 3, T: -1},
        {N: "c", V: 4},
        {BN: "h-1/other.", BV: 0.25, N: "d", V: 0.5},
        {N: "e", VS: "text"},
        {N: "f", VB: True, U: "count"},
    ])


# ---- mutations of a real report -------------------------------------------------

def find(pack, rel):
    """Index of the data record whose resolved name ends with rel."""
    bn = ""
    for i, r in enumerate(pack):
        bn = r.get(BN, bn)
        if (bn + r.get(N, "")).endswith("/" + rel):
            return i
    raise SystemExit("mkbad.py: no record %r in the report" % rel)


def canon(obj):
    return cbor2.dumps(obj, canonical=True)


def mutate(kind, pack):
    if kind == "none":
        return canon(pack)
    if kind == "ratio_not_half":
        pack[find(pack, "mem.util")][V] = 0.1
    elif kind == "ratio_above_1":
        pack[find(pack, "mem.util")][V] = 1.5
    elif kind == "ratio_as_double":
        i = find(pack, "mem.util")
        v = pack[i][V]
        pack[i][V] = "@PLACEHOLDER@"
        # cbor2 writes floats as doubles unless canonical
        return canon(pack).replace(canon("@PLACEHOLDER@"), enc(float(v)))
    elif kind == "int_as_half":
        i = find(pack, "cpu.run")
        pack[i][V] = float(pack[i][V])
    elif kind == "int_long_head":
        i = find(pack, "cpu.run")
        v = pack[i][V]
        assert 0 <= v < 24
        pack[i][V] = "@PLACEHOLDER@"
        # 0x18 NN: a one-byte argument where the head alone would do
        return canon(pack).replace(canon("@PLACEHOLDER@"),
                                   struct.pack(">BB", 0x18, v))
    elif kind == "wrong_unit":
        i = find(pack, "mem.util")
        pack[i][U] = "B"
    elif kind == "unknown_unit":
        i = find(pack, "cpu.run")
        pack[i][U] = "furlong"
    elif kind == "unknown_name":
        i = find(pack, "cpu.run")
        pack[i][N] = "bogus"
    elif kind == "peak_of_capacity":
        i = find(pack, "mem.total")
        pack[i][N] = "total.peak"
    elif kind == "peak_below_mean":
        i = find(pack, "mem.util")
        pack.insert(i + 1, {N: "util.peak", V: pack[i][V] / 2})
    elif kind == "negative":
        pack[find(pack, "cpu.run")][V] = -1
    elif kind == "dup_name":
        i = find(pack, "cpu.run")
        pack.insert(i + 1, {N: "run", V: 5})
    elif kind == "no_boot":
        del pack[1]
    elif kind == "bad_boot":
        pack[1][VS] = "XYZ"
    elif kind == "seq_zero":
        pack[2][V] = 0
    elif kind == "interval_no_unit":
        del pack[3][U]
    elif kind == "schema_2":
        pack[0][V] = 2
    elif kind == "part_only":
        pack.insert(4, {N: "part", V: 1})
    elif kind == "part_above_parts":
        pack[4:4] = [{N: "part", V: 3}, {N: "parts", V: 2}]
    elif kind == "meta_order":
        pack[1], pack[2] = pack[2], pack[1]
    elif kind == "text_label":
        pack[find(pack, "cpu.run")]["x"] = 1
    elif kind == "time_offset":
        pack[find(pack, "cpu.run")][T] = 1
    elif kind == "vs_data":
        i = find(pack, "cpu.run")
        del pack[i][V]
        pack[i][VS] = "3"
    elif kind == "bad_id":
        pack[0][BN] = "-x/"
    elif kind == "bt_relative":
        pack[0][BT] = 1000
    elif kind == "bt_sub_ms":
        pack[0][BT] = pack[0][BT] + 0.0001
    elif kind == "parts_one":
        pack[4:4] = [{N: "part", V: 1}, {N: "parts", V: 1}]
    elif kind == "first_data_no_bu":
        # the first numeric data record (text records come before it)
        i = next(k for k in range(4, len(pack)) if V in pack[k])
        del pack[i][BU]
    elif kind == "group_bn_no_dot":
        i = find(pack, "mem.util")
        pack[i][BN] = pack[i][BN] + "util"
        pack[i][N] = "x"
    else:
        raise SystemExit("mkbad.py: unknown mutation %r" % kind)
    return canon(pack)


MUTATIONS = ["ratio_not_half", "ratio_above_1", "ratio_as_double",
             "int_as_half", "int_long_head", "wrong_unit", "unknown_unit",
             "unknown_name", "peak_of_capacity", "peak_below_mean",
             "negative", "dup_name", "no_boot", "bad_boot", "seq_zero",
             "interval_no_unit", "schema_2", "part_only", "part_above_parts",
             "meta_order", "text_label", "time_offset", "vs_data", "bad_id",
             "bt_relative", "bt_sub_ms", "parts_one", "first_data_no_bu",
             "group_bn_no_dot"]


def main(argv):
    if len(argv) == 2 and argv[0] == "list":
        print("\n".join(BAD_KINDS if argv[1] == "bad" else MUTATIONS))
        return 0
    if len(argv) == 2 and argv[0] == "bad":
        out = b"" if argv[1] == "empty" else enc(GOOD) + bad(argv[1])
    elif len(argv) == 1 and argv[0] == "valid":
        out = valid()
    elif len(argv) == 2 and argv[0] == "mutate":
        data = sys.stdin.buffer.read()
        pack = cbor2.load(io.BytesIO(data)) if data else None
        if not isinstance(pack, list):
            raise SystemExit("mkbad.py: no report on stdin")
        out = mutate(argv[1], pack)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
