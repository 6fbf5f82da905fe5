#!/usr/bin/env python3
"""subdecode.py - decode a subscriber capture of tests/net/lib.sh (sub_start)
into one JSON object per message.  It shares no code with the agent: the
payloads are decoded with cbor2, and --check validates them with
tests/cli/senml_check.py (itself independent of the agent).

usage: subdecode.py [options] FILE|-

A capture line is tab-separated:
  RECEIVED_UNIX_TIME TOPIC RETAIN QOS LENGTH CONTENT_TYPE EXPIRY PAYLOAD_HEX

Output, one line per message, in capture order:
  {"line": L, "time": T, "topic": ..., "retained": bool, "qos": Q,
   "size": bytes, ["content_type": ...,] ["expiry": seconds,]
   then for a SenML pack (a CBOR array of maps):
   "n": record count, "bn": base name of the first record (if any),
   "schema", "boot", "seq", "interval", "bt", ["part", "parts",]
   "names": [resolved record names, in pack order]
   ["values": {resolved name: value}]   (with --values)
   for anything else:
   "cbor": its value when the payload is one whole CBOR item,
   "raw": the payload as text when it is UTF-8, or when it is not CBOR
   (invalid UTF-8 then replaced by U+FFFD)}

The metadata (schema, boot, seq, interval, part, parts) are the values of
the records "<agent id>/schema" ... (docs/schema.md, section 3.2), where
"<agent id>/" is the base name of the first record; absent ones are null.

options:
  --check       validate every CBOR array: messages on .../report and
                .../backfill topics against the headroom report layout
                (senml_check.py's checks, and the agent id in the topic
                must be the pack's; any other payload there is invalid
                too), every other array against RFC 8428 only; on the
                first invalid message print what is wrong and exit 1
  --check-all   like --check, and on every topic a payload that is not
                a SenML pack is invalid
  --generic     with --check: RFC 8428 checks only, for every topic
  --topic T     only messages on topic T (repeatable)
  --values      add "values" to each pack
  -h, --help

Exit status: 0; 1 an invalid pack (--check); 2 usage error, unreadable
file or a malformed capture line.
"""
import io
import json
import math
import os
import sys

import cbor2

LABEL = {-1: "bver", -2: "bn", -3: "bt", -4: "bu", -5: "bv", -6: "bs",
         0: "n", 1: "u", 2: "v", 3: "vs", 4: "vb", 5: "s", 6: "t", 7: "ut",
         8: "vd"}
META = ("schema", "boot", "seq", "interval", "part", "parts")
FIELDS = 8


class BadLine(Exception):
    pass


def parse_line(text):
    f = text.split("\t")
    if len(f) != FIELDS:
        raise BadLine("%d tab-separated fields, want %d" % (len(f), FIELDS))
    t, topic, retain, qos, size, ctype, expiry, hx = f
    try:
        payload = bytes.fromhex(hx)
        msg = {"time": float(t), "topic": topic, "retained": retain == "1",
               "qos": int(qos), "size": int(size)}
    except ValueError as e:
        raise BadLine(str(e))
    if retain not in ("0", "1"):
        raise BadLine("retain flag %r" % retain)
    if len(payload) != msg["size"]:
        raise BadLine("payload of %d bytes, length field says %d"
                      % (len(payload), msg["size"]))
    if ctype:
        msg["content_type"] = ctype
    if expiry:
        try:
            msg["expiry"] = int(expiry)
        except ValueError:
            raise BadLine("message expiry %r" % expiry)
    return msg, payload


def one_item(payload):
    """The payload as one whole CBOR item; raises ValueError if it is not."""
    fp = io.BytesIO(payload)
    try:
        value = cbor2.CBORDecoder(fp).decode()
    except Exception as e:           # cbor2's errors vary by version
        raise ValueError(str(e))
    if fp.tell() != len(payload):
        raise ValueError("%d bytes after the first CBOR item"
                         % (len(payload) - fp.tell()))
    return value


def jsonable(v):
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": bytes(v).hex()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return repr(v)


def is_pack(v):
    return isinstance(v, list) and len(v) > 0 and \
        all(isinstance(r, dict) for r in v)


def resolve(pack):
    """(names, values) of a pack: RFC 8428 base name + name, the value of
    each record (v, vs, vb or vd, as found)."""
    bn = ""
    names, values = [], {}
    for r in pack:
        if isinstance(r.get(-2), str):
            bn = r[-2]
        n = r.get(0, "")
        name = bn + (n if isinstance(n, str) else repr(n))
        names.append(name)
        for k in (2, 3, 4, 8):
            if k in r:
                values[name] = jsonable(r[k])
                break
    return names, values


def describe(pack, want_values):
    d = {"n": len(pack)}
    first = pack[0]
    if isinstance(first.get(-2), str):
        d["bn"] = first[-2]
    if -3 in first:
        d["bt"] = jsonable(first[-3])
    names, values = resolve(pack)
    agent = d.get("bn", "")
    for m in META:
        d[m] = values.get(agent + m)
    if d["part"] is None and d["parts"] is None:
        del d["part"], d["parts"]
    d["names"] = names
    if want_values:
        d["values"] = values
    return d


class Problems:
    def __init__(self):
        self.msgs = []
        self.problems = 0

    def __call__(self, where, msg):
        self.problems += 1
        self.msgs.append("%s: %s" % (where, msg))


_SC = []


def senml_check():
    """tests/cli/senml_check.py, imported once."""
    if not _SC:
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.path.join(here, "..", "cli"))
        import senml_check as sc
        _SC.append(sc)
    return _SC[0]


def check(payload, topic, generic):
    """Problems of one pack (a list of strings; empty when valid)."""
    sc = senml_check()
    layout = not generic and topic.rsplit("/", 1)[-1] in ("report",
                                                          "backfill")
    opt = {"resolve": False, "packs": False, "generic": not layout,
           "sequence": False, "strict": False}
    probs = Problems()
    try:
        top = sc.Walker(payload).item(0)
    except sc.WalkError as e:
        return ["CBOR: %s" % e]
    if top.end != len(payload):
        probs("payload", "%d bytes after the pack" % (len(payload) - top.end))
    res = sc.check_pack(1, top, probs, opt)
    if layout and res is not None and res[1] is not None:
        info = res[1]
        parts = topic.split("/")
        tid = parts[-2] if len(parts) >= 3 else None
        if info.get("id") is not None and tid != info["id"]:
            probs("topic", "agent id %r in the topic, %r in the pack"
                  % (tid, info["id"]))
    return probs.msgs


def main(argv):
    opts = {"check": False, "all": False, "generic": False, "values": False}
    topics = []
    path = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--check":
            opts["check"] = True
        elif a == "--check-all":
            opts["check"] = opts["all"] = True
        elif a == "--generic":
            opts["generic"] = True
        elif a == "--values":
            opts["values"] = True
        elif a == "--topic":
            if not args:
                print("subdecode.py: --topic needs a topic", file=sys.stderr)
                return 2
            topics.append(args.pop(0))
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            print("subdecode.py: unknown option %r" % a, file=sys.stderr)
            return 2
        elif path is not None:
            print("subdecode.py: one capture file only", file=sys.stderr)
            return 2
        else:
            path = a
    if path is None:
        print("usage: subdecode.py [--check|--check-all] [--generic] "
              "[--topic T] [--values] FILE|-", file=sys.stderr)
        return 2
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        print("subdecode.py: %s" % e, file=sys.stderr)
        return 2
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    # the last line is complete only if the file ends with a newline; a
    # running subscriber may be in the middle of writing it
    lines = lines[:-1]
    for no, line in enumerate(lines, 1):
        try:
            msg, payload = parse_line(line)
        except BadLine as e:
            print("subdecode.py: %s line %d: %s" % (path, no, e),
                  file=sys.stderr)
            return 2
        if topics and msg["topic"] not in topics:
            continue
        out = {"line": no}
        out.update(msg)
        try:
            value = one_item(payload)
            whole = True
        except ValueError:
            value, whole = None, False
        report_topic = msg["topic"].rsplit("/", 1)[-1] in ("report",
                                                           "backfill")
        if whole and is_pack(value):
            out.update(describe(value, opts["values"]))
        else:
            try:
                out["raw"] = payload.decode("utf-8")
            except UnicodeDecodeError:
                if not whole:
                    out["raw"] = payload.decode("utf-8", "replace")
            if whole:
                out["cbor"] = jsonable(value)
        if opts["check"]:
            if "names" in out or (whole and isinstance(value, list)):
                probs = check(payload, msg["topic"], opts["generic"])
            elif opts["all"] or report_topic:
                probs = ["empty payload" if not payload else
                         "not a SenML pack (a CBOR array of maps)"]
            else:
                probs = []
            if probs:
                print(json.dumps(out), flush=True)
                for p in probs:
                    print("subdecode.py: %s line %d (%s): invalid: %s"
                          % (path, no, msg["topic"], p), file=sys.stderr)
                return 1
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    try:
        rc = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:          # e.g. "| head -1"
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        rc = 0
    sys.exit(rc)
