#!/usr/bin/env python3
"""expect.py - assertions on a subscriber capture (tests/net/lib.sh,
sub_start), through tests/net/subdecode.py (cbor2 only: independent of
the agent's code).  Exit 0 when every assertion holds, else 1 with the
reasons.

usage: expect.py FILE AGENT_ID [assertion]...

  reports=N        at least N report messages from AGENT_ID (on the
                   report or the backfill topic)
  contiguous       report seq numbers of each boot run 1..max with no gap
                   and no duplicate (QoS 1 may duplicate only across a
                   reconnect: use 'nodup-after-dedupe' then)
  dedupe-contiguous  the same after removing duplicates of (boot, seq)
  boots=N          exactly N distinct boot ids in the reports
  birth            a retained status message with status "online" whose
                   capacities are not all zero
  offline=REASON   a retained status "offline" with reason REASON, and it
                   is the last status message
  content-type     every report carries content type application/senml+cbor
                   and a message expiry
  no-properties    no report carries MQTT 5 properties (MQTT 3.1.1)
  none             no message at all from AGENT_ID
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def decoded(path):
    out = subprocess.run([sys.executable, os.path.join(HERE, "subdecode.py"),
                          "--check", "--values", path],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit("subdecode --check failed: %s%s" % (out.stdout[-2000:],
                                                     out.stderr[-2000:]))
    return [json.loads(line) for line in out.stdout.splitlines() if line]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, agent = argv[1], argv[2]
    msgs = [m for m in decoded(path)
            if m.get("topic", "").split("/")[1:2] == [agent]]
    # a report made before the first connect (or during an outage) is
    # delivered on backfill: both topics carry reports (docs/spool.md)
    reports = [m for m in msgs if m["topic"].endswith("/report") or
               m["topic"].endswith("/backfill")]
    status = [m for m in msgs if m["topic"].endswith("/status")]
    errs = []
    for a in argv[3:]:
        key, _, val = a.partition("=")
        if key == "reports":
            if len(reports) < int(val):
                errs.append("%d reports, want at least %s" %
                            (len(reports), val))
        elif key in ("contiguous", "dedupe-contiguous"):
            byboot = {}
            for m in reports:
                byboot.setdefault(m["boot"], []).append(m["seq"])
            for boot, seqs in byboot.items():
                if key == "dedupe-contiguous":
                    seqs = sorted(set(seqs))
                elif len(set(seqs)) != len(seqs):
                    errs.append("boot %s: duplicate seq numbers" % boot)
                    continue
                s = sorted(seqs)
                if s != list(range(1, s[-1] + 1)):
                    missing = sorted(set(range(1, s[-1] + 1)) - set(s))
                    errs.append("boot %s: seq not 1..%d, missing %s" %
                                (boot, s[-1], missing[:20]))
        elif key == "boots":
            n = len({m["boot"] for m in reports})
            if n != int(val):
                errs.append("%d boot ids, want %s" % (n, val))
        elif key == "birth":
            ok = False
            for m in status:
                v = m.get("values", {})
                if m.get("retained") and v.get(agent + "/status") == \
                        "online":
                    nums = [x for k, x in v.items()
                            if isinstance(x, (int, float)) and
                            not k.endswith("/schema")]
                    if nums and any(x != 0 for x in nums) and \
                            v.get(agent + "/host") and \
                            v.get(agent + "/boot"):
                        ok = True
            if not ok:
                errs.append("no retained birth with status online and "
                            "capacities (status messages: %s)" %
                            [m.get("values") for m in status])
        elif key == "offline":
            if not status:
                errs.append("no status message")
            else:
                v = status[-1].get("values", {})
                if v.get(agent + "/status") != "offline" or \
                        v.get(agent + "/reason") != val or \
                        not status[-1].get("retained"):
                    errs.append("last status is %s (retained %s), want "
                                "retained offline/%s" %
                                (v, status[-1].get("retained"), val))
        elif key == "content-type":
            for m in reports:
                if m.get("content_type") != "application/senml+cbor" or \
                        not m.get("expiry"):
                    errs.append("report seq %s: content type %r, expiry "
                                "%r" % (m.get("seq"), m.get("content_type"),
                                        m.get("expiry")))
                    break
        elif key == "no-properties":
            for m in reports:
                if m.get("content_type") or m.get("expiry"):
                    errs.append("report seq %s has MQTT 5 properties" %
                                m.get("seq"))
                    break
        elif key == "none":
            if msgs:
                errs.append("%d messages from %s, want none" %
                            (len(msgs), agent))
        else:
            sys.exit("expect.py: unknown assertion %r" % a)
    if errs:
        print("\n".join(errs))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
