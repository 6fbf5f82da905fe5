#!/usr/bin/python3
"""queue_procs.py - processes of tests/cli/queue.sh's commands, found by
a unique argument in /proc/PID/cmdline (no ps needed).

  queue_procs.py count ARG          print how many processes have ARG as
                                    one of their arguments
  queue_procs.py watch ARG STOPFILE poll every 5 ms until STOPFILE
                                    exists; print "MAX DISTINCT": the
                                    most such processes alive at once and
                                    how many different ones were seen
"""
import os
import sys
import time


def matching(arg):
    want = arg.encode()
    me = str(os.getpid())
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or d == me:
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                words = f.read().split(b"\0")
        except OSError:
            continue            # gone meanwhile
        # not this helper's own instances (a watch names ARG too)
        if want in words and not any(w.endswith(b"queue_procs.py")
                                     for w in words):
            pids.append(int(d))
    return pids


def main(argv):
    if len(argv) == 3 and argv[1] == "count":
        print(len(matching(argv[2])))
        return 0
    if len(argv) == 4 and argv[1] == "watch":
        most, seen = 0, set()
        deadline = time.monotonic() + 120      # never outlive the test
        while not os.path.exists(argv[3]) and time.monotonic() < deadline:
            p = matching(argv[2])
            most = max(most, len(p))
            seen.update(p)
            time.sleep(0.005)
        print(most, len(seen))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
