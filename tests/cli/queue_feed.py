#!/usr/bin/python3
"""queue_feed.py DIR INTERVAL N - add N files to the spool directory DIR
at a steady rate: file k (k = 1..N) appears at start + k * INTERVAL
seconds, on an absolute schedule (no drift from sleep's overshoot).
Each file is written as a dot-file and renamed, as spool writers do.
"""
import os
import sys
import time


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    d, interval, n = argv[1], float(argv[2]), int(argv[3])
    start = time.monotonic()
    for k in range(1, n + 1):
        wait = start + k * interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        tmp = os.path.join(d, ".in-%d" % k)
        with open(tmp, "w") as f:
            f.write("job %d\n" % k)
        os.rename(tmp, os.path.join(d, "job-%03d" % k))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
