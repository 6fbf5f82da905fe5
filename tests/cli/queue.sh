#!/bin/sh
# queue.sh - application queues ([queue.NAME]) through "headroom sample -c":
# real spool directories, files, POSIX message queues and commands, made
# here in a temp dir, sampled on the recorded reference host; the JSON
# values, the warnings on stderr, the timing of hanging commands and the
# processes left behind are checked.  Also -c's config errors and its
# [collect] and [agent] sections.  Runs as root or as a normal user.
#
# Helpers: queue_mq.py (message queues through ctypes), queue_feed.py
# (files added at a steady rate), queue_procs.py (processes by a unique
# argument).  Prints "N passed, N failed" last; exit status 1 on failure.
. tests/cli/lib.sh
B=$HR_BIN
PY=${PYTHON:-/usr/bin/python3}
REF=$(pwd)/$FIX/reference
P=200ms                  # the sample period of every run
U=$$                     # makes names of this run unique (mqueue, argv)
MQ=/hr_queue_sh_$U       # a message queue made here
MQMADE=
BGPIDS=                  # background processes of ours still running

# ---- bookkeeping: counted checks, clean-up ------------------------------------

npass=0
nfail=0

# ok NAME CMD...: passes when CMD exits 0 (as lib.sh, and counted)
ok() {
	name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok - $name"
		npass=$((npass + 1))
	else
		echo "not ok - $name"
		sed 's/^/# /' "$TMP/out"
		nfail=$((nfail + 1))
	fi
}

# skip NAME REASON: a check that could not run here: shown, not counted
skip() {
	echo "# skip - $1: $2 (not counted)"
}

cleanup() {
	for p in $BGPIDS; do
		kill "$p" 2>/dev/null
	done
	[ -n "$MQMADE" ] && "$PY" tests/cli/queue_mq.py unlink "$MQ" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a program's absolute path (/bin/echo on most systems, /usr/bin/ on some)
prog() {
	for d in /bin /usr/bin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return; }
	done
	echo "/bin/$1"
}
ECHO=$(prog echo)
FALSE=$(prog false)
SLEEP=$(prog sleep)
YES=$(prog yes)
SH=$(prog sh)

# hr NAME CONF COUNT [ARG...]: sample the reference host COUNT times with
# -c CONF; JSON lines in NAME.json, stderr in NAME.err, status in NAME.rc
hr() {
	h_name=$1
	h_conf=$2
	h_count=$3
	shift 3
	echo "$h_count" >"$TMP/$h_name.n"
	"$B" sample -c "$h_conf" --root "$REF" --period $P --count "$h_count" \
	    --format json "$@" >"$TMP/$h_name.json" 2>"$TMP/$h_name.err"
	echo $? >"$TMP/$h_name.rc"
}

# js NAME CODE: run python CODE on the run NAME, with
#   D the samples (parsed JSON lines, as many as NAME.n says: checked),
#   E the stderr lines, RC the status (checked: 0),
#   Q(d, name) a queue of sample d, I(d, res) its indicator, W(name) the
#   stderr lines about queue name, near(a, b, tol) a float comparison
PRE='import json, sys
base = sys.argv[1]
D = [json.loads(l) for l in open(base + ".json")]
E = open(base + ".err").read().splitlines()
RC = int(open(base + ".rc").read())
def Q(d, n):
    m = [x for x in d["queues"] if x["name"] == n]
    assert len(m) == 1, (n, d["queues"])
    return m[0]
def I(d, r):
    m = [x for x in d["indicators"] if x["resource"] == r]
    assert len(m) == 1, (r, [x["resource"] for x in d["indicators"]])
    return m[0]
def W(n):
    return [l for l in E if ("queue %s: " % n) in l]
def near(a, b, tol=1e-4):
    return a is not None and abs(a - b) <= tol * max(1.0, abs(b))
def col(n, k):
    return [Q(d, n)[k] for d in D]
assert RC == 0, ("exit status", RC, E)
N = int(open(base + ".n").read())
assert len(D) == N, ("samples", len(D), "want", N, E)
'
js() {
	"$PY" -c "$PRE
$2" "$TMP/$1"
}

# conf FILE: write stdin to FILE
conf() {
	cat >"$1"
}

# ---- the recorded host alone: its least headroom --------------------------------

"$B" sample --root "$REF" --period $P --count 1 --format json \
    >"$TMP/base.json" 2>"$TMP/base.err"
echo $? >"$TMP/base.rc"
echo 1 >"$TMP/base.n"
ok "reference host: least headroom above 0.5 and no queue (so a queue at 1/9 or 0.2 must be the bottleneck)" js base '
h = [r["headroom"] for r in D[0]["indicators"] if r["headroom"] is not None]
assert min(h) > 0.5, sorted(h)[:3]
assert D[0]["queues"] == [] and not D[0]["bottleneck"]["resource"].startswith("queue."), D[0]["bottleneck"]
'

# ---- 1. dir: what counts ------------------------------------------------------------

S=$TMP/spool
mkdir -p "$S/sub" "$S/.hidden-dir"
for i in 1 2 3 4 5; do echo "job $i" >"$S/job-$i"; done
echo partial >"$S/.job-6.tmp"        # being written: a dot-file
echo nested >"$S/sub/job-7"          # structure, not an item
ln -s job-1 "$S/link-file"           # symlinks count, not followed:
ln -s sub "$S/link-dir"              #   to a directory too,
ln -s nowhere "$S/link-dangling"     #   and dangling
conf "$TMP/dir.conf" <<EOF
[queue.spool]
type = dir
path = $S
capacity = 10

[queue.tight]
type = dir
path = $S
capacity = 9
EOF
hr dir "$TMP/dir.conf" 2
ok "dir: depth 8 (5 files + 3 symlinks; dot-file, dot-dir, subdirectory and its file not counted) in both samples" js dir '
assert col("spool", "depth") == [8, 8], col("spool", "depth")
assert col("tight", "depth") == [8, 8], col("tight", "depth")
'
ok "dir: capacity 10 -> util 0.8, indicator queue.spool util 0.8, headroom 0.2 (1 - util), why depth" js dir '
for d in D:
    q, r = Q(d, "spool"), I(d, "queue.spool")
    assert q["capacity"] == 10 and near(q["util"], 0.8), q
    assert near(r["util"], 0.8) and near(r["headroom"], 0.2) and r["why"] == "depth", r
'
ok "dir: the bottleneck is the fullest queue, queue.tight (8 of 9: headroom 1/9)" js dir '
for d in D:
    b = d["bottleneck"]
    assert b["resource"] == "queue.tight" and near(b["headroom"], 1 / 9, 1e-3), b
    assert b["why"] == "depth", b
'
ok "dir: no failures; a still spool grows 0/s (sat 0) once two values exist, unknown (null) before" js dir '
assert col("spool", "failures") == [0, 0], col("spool", "failures")
assert col("spool", "growth_per_s") == [None, 0], col("spool", "growth_per_s")
assert I(D[0], "queue.spool")["sat"] is None and I(D[1], "queue.spool")["sat"] == 0
assert I(D[1], "queue.spool")["errors_per_s"] == 0
'

# ---- 2. dir growth: 1 file per 200 ms -----------------------------------------------

G=$TMP/grow
mkdir "$G"
conf "$TMP/grow.conf" <<EOF
[queue.grow]
type = dir
path = $G
capacity = 1000
EOF
"$PY" tests/cli/queue_feed.py "$G" 0.2 40 &
feed=$!
BGPIDS="$BGPIDS $feed"
hr grow "$TMP/grow.conf" 11
kill $feed 2>/dev/null
wait $feed 2>/dev/null
BGPIDS=
ok "dir growth: depth rises, each growth_per_s is the sample's new files / interval_s" js grow '
dep = col("grow", "depth")
assert all(b >= a for a, b in zip(dep, dep[1:])) and dep[-1] - dep[0] >= 6, dep
for a, b in zip(D, D[1:]):
    g = Q(b, "grow")["growth_per_s"]
    got = g * b["interval_s"]
    want = Q(b, "grow")["depth"] - Q(a, "grow")["depth"]
    assert abs(got - want) < 0.05, (g, b["interval_s"], want)
'
ok "dir growth: mean growth_per_s over samples 2..11 is 5/s (+-1.5) for 1 file per 200 ms" js grow '
g = col("grow", "growth_per_s")[1:]
m = sum(g) / len(g)
assert 3.5 <= m <= 6.5, (m, g)
'
ok "dir growth: indicator sat = growth when growing (> 0 at least once), never negative" js grow '
s = [I(d, "queue.grow")["sat"] for d in D[1:]]
g = col("grow", "growth_per_s")[1:]
assert max(s) > 0, s
assert all(near(a, max(b, 0.0)) for a, b in zip(s, g)), (s, g)
'

# ---- 3. file: values, garbage, missing ----------------------------------------------

printf '42 jobs\n' >"$TMP/jobs"
printf '17.5' >"$TMP/frac"
printf 'abc\n' >"$TMP/garbage"
conf "$TMP/file.conf" <<EOF
[queue.jobs]
type = file
path = $TMP/jobs
capacity = 100

[queue.frac]
type = file
path = $TMP/frac
capacity = 100

[queue.garbage]
type = file
path = $TMP/garbage
capacity = 10

[queue.missing]
type = file
path = $TMP/no-such-file
capacity = 10
EOF
hr file "$TMP/file.conf" 4
ok "file: '42 jobs' -> depth 42, util 0.42; '17.5' -> 17.5, util 0.175; no failures" js file '
assert col("jobs", "depth") == [42] * 4, col("jobs", "depth")
assert all(near(u, 0.42) for u in col("jobs", "util")), col("jobs", "util")
assert col("frac", "depth") == [17.5] * 4, col("frac", "depth")
assert all(near(u, 0.175) for u in col("frac", "util")), col("frac", "util")
assert col("jobs", "failures") == [0] * 4 and col("frac", "failures") == [0] * 4
'
ok "file: 'abc' -> depth, util, growth null, one failure in every sample (probed inline), indicator errors_per_s = 1/interval" js file '
assert col("garbage", "depth") == [None] * 4, col("garbage", "depth")
assert col("garbage", "util") == [None] * 4 and col("garbage", "growth_per_s") == [None] * 4
assert col("garbage", "failures") == [1] * 4, col("garbage", "failures")
for d in D:
    r = I(d, "queue.garbage")
    assert r["util"] is None and r["headroom"] is None, r
    assert near(r["errors_per_s"], 1 / d["interval_s"], 1e-3), (r, d["interval_s"])
'
ok "file: 'abc' -> one warning in 4 samples: 'queue garbage: not a number (counted in queue.garbage.fail; ...)'" js file '
w = W("garbage")
assert len(w) == 1, w
assert "queue garbage: not a number (counted in queue.garbage.fail;" in w[0], w
'
ok "file: missing -> null, one failure per sample, one warning naming the file error" js file '
assert col("missing", "depth") == [None] * 4 and col("missing", "failures") == [1] * 4
w = W("missing")
assert len(w) == 1, w
assert "queue missing: cannot open: No such file or directory (counted in queue.missing.fail;" in w[0], w
'

# A missing file, then written while sampling: values come back, logged.
conf "$TMP/late.conf" <<EOF
[queue.late]
type = file
path = $TMP/late
capacity = 10
EOF
hr late "$TMP/late.conf" 12 &
hrpid=$!
BGPIDS="$BGPIDS $hrpid"
i=0
while [ $i -lt 100 ] && ! grep -q 'queue late:' "$TMP/late.err" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
sleep 0.5                                   # a few more failing samples
printf '5\n' >"$TMP/late.new" && mv "$TMP/late.new" "$TMP/late"
wait $hrpid
BGPIDS=
ok "file missing, then written while running: null + 1 failure per sample, then depth 5 (util 0.5, 0 failures) to the end" js late '
dep, fl = col("late", "depth"), col("late", "failures")
k = dep.index(5)
assert k >= 2 and len(dep) - k >= 2, dep
assert dep[:k] == [None] * k and fl[:k] == [1] * k, (dep, fl)
assert dep[k:] == [5] * (len(dep) - k) and fl[k:] == [0] * (len(dep) - k), (dep, fl)
assert all(near(u, 0.5) for u in col("late", "util")[k:])
'
ok "file back: growth unknown (null) on its first value after the failure, 0 afterwards" js late '
dep, g = col("late", "depth"), col("late", "growth_per_s")
k = dep.index(5)
assert g[k] is None and g[k + 1:] == [0] * (len(g) - k - 1), g
'
ok "file back: one warning (cannot open), then one info line 'queue late: probing again: depth 5'" js late '
w = W("late")
assert len(w) == 2, w
assert "queue late: cannot open: No such file or directory" in w[0], w
assert "queue late: probing again: depth 5" in w[1], w
'

# ---- 4. depth above capacity --------------------------------------------------------

printf '42\n' >"$TMP/over"
conf "$TMP/over.conf" <<EOF
[queue.over]
type = file
path = $TMP/over
capacity = 10

[events]
hold = 0s
EOF
hr over "$TMP/over.conf" 2
ok "depth 42 above capacity 10: depth kept 42, util clamped to 1, headroom 0, the bottleneck" js over '
for d in D:
    q, r = Q(d, "over"), I(d, "queue.over")
    assert q["depth"] == 42 and q["util"] == 1, q
    assert r["util"] == 1 and r["headroom"] == 0, r
    assert d["bottleneck"]["resource"] == "queue.over" and d["bottleneck"]["headroom"] == 0, d["bottleneck"]
'
ok "[events] hold = 0s from -c: a headroom event on queue.over is logged once" js over '
e = [l for l in E if "event: headroom raised on queue.over" in l]
assert len(e) == 1, E
'

# ---- 5. mqueue ------------------------------------------------------------------------

# mq_open needs no /dev/mqueue mount (the kernel has its own), so nothing
# is mounted here; "/dev/mqueue/NAME" is a name the probe maps to "/NAME".

"$PY" tests/cli/queue_mq.py create "$MQ" 3 >"$TMP/mq.out" 2>&1
mqrc=$?
if [ $mqrc -eq 77 ]; then
	skip "mqueue: depth 3 of 10, /NAME and /dev/mqueue/NAME, missing queue" \
	    "no POSIX message queues here: $(cat "$TMP/mq.out")"
else
	[ $mqrc -eq 0 ] && MQMADE=1
	ok "mqueue: test queue $MQ created (maxmsg 10, msgsize 64) holding 3 messages" \
	    sh -c "cat '$TMP/mq.out'; test $mqrc -eq 0"
	conf "$TMP/mq.conf" <<EOF
[queue.mqname]
type = mqueue
path = $MQ
capacity = 10

[queue.mqpath]
type = mqueue
path = /dev/mqueue$MQ
capacity = 10

[queue.mqmiss]
type = mqueue
path = ${MQ}_none
capacity = 10
EOF
	hr mq "$TMP/mq.conf" 3
	ok "mqueue: '$MQ' -> depth 3, util 0.3 in every sample (probing takes no message), no failure" js mq '
assert col("mqname", "depth") == [3] * 3, col("mqname", "depth")
assert all(near(u, 0.3) for u in col("mqname", "util")) and col("mqname", "failures") == [0] * 3
'
	ok "mqueue: '/dev/mqueue$MQ' is the same queue -> depth 3, util 0.3, no failure" js mq '
assert col("mqpath", "depth") == [3] * 3, col("mqpath", "depth")
assert all(near(u, 0.3) for u in col("mqpath", "util")) and col("mqpath", "failures") == [0] * 3
'
	ok "mqueue: a missing queue -> null, one failure per sample, one warning 'mq_open: No such file or directory'" js mq '
assert col("mqmiss", "depth") == [None] * 3 and col("mqmiss", "failures") == [1] * 3
w = W("mqmiss")
assert len(w) == 1 and "queue mqmiss: mq_open: No such file or directory" in w[0], w
'
	"$PY" tests/cli/queue_mq.py unlink "$MQ" >"$TMP/mq.out" 2>&1
	ok "mqueue: test queue removed (mq_unlink; mq_open then fails with ENOENT)" sh -c \
	    "cat '$TMP/mq.out' && '$PY' tests/cli/queue_mq.py exists '$MQ'; test \$? -eq 1"
	MQMADE=
fi

# ---- 6. exec --------------------------------------------------------------------------

YARG=hr-queue-sh-yes-$U
BARG=31.$U                 # sleep 31.<pid>: a command's leftover child
OARG=32.$U                 # sleep 32.<pid>: one that holds the output
conf "$TMP/exec.conf" <<EOF
[queue.seven]
type = exec
command = $ECHO 7
capacity = 10

[queue.abc]
type = exec
command = $ECHO abc
capacity = 10

[queue.false]
type = exec
command = $FALSE
capacity = 10

[queue.nox]
type = exec
command = /nonexistent/x
capacity = 10

[queue.quoted]
type = exec
command = $SH -c "echo 12"
capacity = 100

[queue.yes]
type = exec
command = $YES $YARG
capacity = 10

[queue.out256]
type = exec
command = $SH -c "printf %0255d 7; echo"
capacity = 10

[queue.out257]
type = exec
command = $SH -c "printf %0256d 7; echo"
capacity = 10

[queue.bg]
type = exec
command = $SH -c "$SLEEP $BARG >/dev/null & echo 4"
capacity = 10

[queue.bgopen]
type = exec
command = $SH -c "$SLEEP $OARG & echo 6"
capacity = 10
EOF
"$PY" tests/cli/queue_procs.py watch "$YARG" "$TMP/yes.stop" >"$TMP/yes.watch" &
watcher=$!
BGPIDS="$BGPIDS $watcher"
# 9 commands start together at each sample: 400 ms leaves room on a busy
# machine for "one sample late" (an ASan fork alone takes ~20 ms here)
hr exec "$TMP/exec.conf" 5 --period 400ms
"$PY" tests/cli/queue_procs.py count "$YARG" >"$TMP/yes.left"
"$PY" tests/cli/queue_procs.py count "$BARG" >"$TMP/bg.left"
"$PY" tests/cli/queue_procs.py count "$OARG" >"$TMP/bgopen.left"
: >"$TMP/yes.stop"
wait $watcher
BGPIDS=
ok "exec '$ECHO 7': null in sample 1 (running), 7 (util 0.7) from sample 2 on, growth 0 from sample 3, no failure" js exec '
assert col("seven", "depth") == [None] + [7] * 4, col("seven", "depth")
assert col("seven", "util")[0] is None and all(near(u, 0.7) for u in col("seven", "util")[1:])
assert col("seven", "growth_per_s")[2:] == [0] * 3, col("seven", "growth_per_s")
assert col("seven", "failures") == [0] * 5, col("seven", "failures")
'
ok "exec '$SH -c \"echo 12\"' (quoted argument, no shell of ours) -> 12 from sample 2 on" js exec '
assert col("quoted", "depth") == [None] + [12] * 4, col("quoted", "depth")
assert col("quoted", "failures") == [0] * 5
'
ok "exec '$ECHO abc': null, 1 failure per sample after the first, one warning 'not a number'" js exec '
assert col("abc", "depth") == [None] * 5 and col("abc", "failures") == [0] + [1] * 4, col("abc", "failures")
w = W("abc")
assert len(w) == 1 and "queue abc: not a number (counted in queue.abc.fail;" in w[0], w
'
ok "exec '$FALSE': null, 1 failure per sample after the first, one warning 'exit 1'" js exec '
assert col("false", "depth") == [None] * 5 and col("false", "failures") == [0] + [1] * 4, col("false", "failures")
w = W("false")
assert len(w) == 1 and "queue false: exit 1 (counted in" in w[0], w
'
ok "exec '/nonexistent/x': null, 1 failure per sample after the first, one warning 'cannot run /nonexistent/x: No such file or directory'" js exec '
assert col("nox", "depth") == [None] * 5 and col("nox", "failures") == [0] + [1] * 4, col("nox", "failures")
w = W("nox")
assert len(w) == 1 and "queue nox: cannot run /nonexistent/x: No such file or directory" in w[0], w
'
ok "exec '$YES': null, 1 failure per sample after the first, one warning 'too much output'" js exec '
assert col("yes", "depth") == [None] * 5 and col("yes", "failures") == [0] + [1] * 4, col("yes", "failures")
w = W("yes")
assert len(w) == 1 and "queue yes: too much output (counted in" in w[0], w
'
ok "exec '$YES': killed: never more than one at a time, none left after the run" sh -c "
grep 'queue yes: too much output' '$TMP/exec.err' && read most seen <'$TMP/yes.watch' && echo \"at most \$most at once, \$seen seen\" && test \"\$most\" -le 1 &&
echo \"left: \$(cat '$TMP/yes.left')\" && test \"\$(cat '$TMP/yes.left')\" -eq 0"

ok "exec output of 256 bytes (the most read) -> 7; of 257 bytes -> 'too much output', counted" js exec '
assert col("out256", "depth") == [None] + [7] * 4 and col("out256", "failures") == [0] * 5, col("out256", "depth")
assert col("out257", "depth") == [None] * 5 and col("out257", "failures") == [0] + [1] * 4, col("out257", "failures")
w = W("out257")
assert len(w) == 1 and "queue out257: too much output" in w[0], w
'
echo "$BARG" >"$TMP/exec.barg"
ok "exec a command leaving a child ($SLEEP $BARG, stdout closed) -> 4; that child is killed when the command ends" js exec '
assert col("bg", "depth") == [None] + [4] * 4, col("bg", "depth")
left = int(open(base[:base.rindex("/")] + "/bg.left").read())
assert left == 0, ("left running:", left, open(base + ".barg").read())
'

ok "exec a command whose background child holds its output open ($SLEEP $OARG &; echo 6) -> 6 once it exits, not a timeout; the child is killed" js exec '
assert col("bgopen", "depth") == [None] + [6] * 4, col("bgopen", "depth")
assert col("bgopen", "failures") == [0] * 5, col("bgopen", "failures")
left = int(open(base[:base.rindex("/")] + "/bgopen.left").read())
assert left == 0, ("left running:", left)
'

# A command that hangs: timeout 300 ms > period 200 ms.
SARG=30.$U                 # sleep 30.<pid>: found by this argument
conf "$TMP/hang.conf" <<EOF
[queue.hang]
type = exec
command = $SLEEP $SARG
timeout = 300ms
capacity = 10

[queue.three]
type = exec
command = $ECHO 3
capacity = 10
EOF
"$PY" tests/cli/queue_procs.py watch "$SARG" "$TMP/hang.stop" >"$TMP/hang.watch" &
watcher=$!
BGPIDS="$BGPIDS $watcher"
t0=$("$PY" -c 'import time; print(time.monotonic())')
hr hang "$TMP/hang.conf" 8
t1=$("$PY" -c 'import time; print(time.monotonic())')
"$PY" tests/cli/queue_procs.py count "$SARG" >"$TMP/hang.left"
: >"$TMP/hang.stop"
wait $watcher
BGPIDS=
echo "$t0 $t1" >"$TMP/hang.time"
ok "exec hanging ($SLEEP $SARG, timeout 300ms): 8 samples of 200 ms in < 3.1 s wall, median interval < 0.25 s" js hang '
t0, t1 = map(float, open(base + ".time").read().split())
iv = sorted(d["interval_s"] for d in D)
assert len(D) == 8 and t1 - t0 < 8 * 0.2 + 1.5, (len(D), t1 - t0)
assert iv[len(iv) // 2] < 0.25, iv
'
ok "exec hanging: null throughout, timeouts counted (>= 2, at most 1 per sample), one warning 'timed out'" js hang '
f = col("hang", "failures")
assert col("hang", "depth") == [None] * 8, col("hang", "depth")
assert sum(f) >= 2 and max(f) <= 1, f
w = W("hang")
assert len(w) == 1 and "queue hang: timed out (counted in queue.hang.fail;" in w[0], w
'
ok "exec hanging: another command queue still reports 3 from sample 2 on" js hang '
assert col("three", "depth") == [None] + [3] * 7, col("three", "depth")
'
ok "exec hanging: one '$SLEEP $SARG' at a time, restarted after each kill, none left after the run" sh -c "
read most seen <'$TMP/hang.watch' && echo \"at most \$most at once, \$seen seen\" &&
test \"\$most\" -eq 1 && test \"\$seen\" -ge 2 &&
echo \"left: \$(cat '$TMP/hang.left')\" && test \"\$(cat '$TMP/hang.left')\" -eq 0"

# ---- 7. config errors -----------------------------------------------------------------

# badconf NAME LINE KEY: NAME.conf refused: 78, "FILE:LINE: [queue.x] KEY:", no output
badconf() {
	"$B" sample -c "$TMP/$1.conf" --root "$REF" --period $P --count 1 \
	    --format json >"$TMP/$1.json" 2>"$TMP/$1.err"
	b_rc=$?
	cat "$TMP/$1.err"
	[ $b_rc -eq 78 ] || { echo "exit $b_rc, want 78"; return 1; }
	grep -qF "$TMP/$1.conf:$2: [queue.x] $3: " "$TMP/$1.err" ||
	    { echo "no line '$TMP/$1.conf:$2: [queue.x] $3: '"; return 1; }
	[ ! -s "$TMP/$1.json" ] || { echo "sample output:"; cat "$TMP/$1.json"; return 1; }
}
conf "$TMP/cap0.conf" <<EOF
# a queue that is never anything but full
[queue.x]
type = dir
path = $TMP
capacity = 0
EOF
ok "config: capacity = 0 -> exit 78, 'cap0.conf:5: [queue.x] capacity: ...', no sample" badconf cap0 5 capacity
conf "$TMP/relcmd.conf" <<EOF
[queue.x]
type = exec
command = bin/count --all
capacity = 5
EOF
ok "config: relative command -> exit 78, 'relcmd.conf:3: [queue.x] command: ...', no sample" badconf relcmd 3 command
ok "config: relative command: the message says why (not an absolute path)" \
    grep -q "'bin/count' is not an absolute path" "$TMP/relcmd.err"
conf "$TMP/pipe.conf" <<EOF
[queue.x]
type = exec
capacity = 5
command = $ECHO 1 | /usr/bin/wc -l
EOF
ok "config: a shell pipe in command -> exit 78, 'pipe.conf:4: [queue.x] command: ...', no sample" badconf pipe 4 command
conf "$TMP/relpath.conf" <<EOF
[queue.x]
type = file
path = var/depth
capacity = 5
EOF
ok "config: relative path -> exit 78, 'relpath.conf:3: [queue.x] path: ...', no sample" badconf relpath 3 path

# ---- 8. no [mqtt] / [tls]: sampling needs no broker ---------------------------------------

printf '3\n' >"$TMP/only"
conf "$TMP/only.conf" <<EOF
[queue.only]
type = file
path = $TMP/only
capacity = 4
EOF
hr only "$TMP/only.conf" 1
ok "-c with only a [queue.x] section (no CA, no broker): accepted, exit 0, the queue sampled (3 of 4)" js only '
assert len(D) == 1 and col("only", "depth") == [3] and near(col("only", "util")[0], 0.75), D
assert not [l for l in E if "tls" in l or "mqtt" in l or "ca_file" in l], E
'

# ---- 9. [collect] and [agent] from -c ---------------------------------------------------

conf "$TMP/collect.conf" <<EOF
[collect]
disable = net, disk
mounts = /
EOF
hr collect "$TMP/collect.conf" 1
ok "[collect] disable = net, disk: no net.* / disk.* indicators (the host has them), net and disks empty" js collect '
b = json.loads(open(base[:base.rindex("/")] + "/base.json").readline())
has = lambda d, p: [r["resource"] for r in d["indicators"] if r["resource"].startswith(p)]
assert has(b, "net.") and has(b, "disk."), "reference host without net/disk"
assert not has(D[0], "net.") and not has(D[0], "disk."), has(D[0], "")
assert D[0]["net"] == [] and D[0]["disks"] == [], (D[0]["net"], D[0]["disks"])
assert has(D[0], "mem") == ["mem"], has(D[0], "")
'
ok "[collect] mounts = /: only the fs/ indicator and one mount (the host has 4)" js collect '
b = json.loads(open(base[:base.rindex("/")] + "/base.json").readline())
fs = lambda d: [r["resource"] for r in d["indicators"] if r["resource"].startswith("fs")]
assert len(fs(b)) == 4, fs(b)
assert fs(D[0]) == ["fs/"], fs(D[0])
assert [m["path"] for m in D[0]["mounts"]] == ["/"], D[0]["mounts"]
'
hr collect2 "$TMP/collect.conf" 1 --mount /home
ok "[collect] mounts = / with --mount /home: the option wins (only fs/home)" js collect2 '
fs = [r["resource"] for r in D[0]["indicators"] if r["resource"].startswith("fs")]
assert fs == ["fs/home"], fs
'
conf "$TMP/agent.conf" <<EOF
[agent]
root = $REF
sample_period = 100ms
EOF
"$B" sample -c "$TMP/agent.conf" --count 3 --format json \
    >"$TMP/agent.json" 2>"$TMP/agent.err"
echo $? >"$TMP/agent.rc"
echo 3 >"$TMP/agent.n"
ok "[agent] root and sample_period = 100ms from -c: the reference host (8 CPUs), samples 0.1 s apart" js agent '
assert len(D) == 3 and all(len(d["cpu"]["per_cpu"]) == 8 for d in D), D[0]["cpu"]
iv = [d["interval_s"] for d in D]
assert all(0.07 < x < 0.3 for x in iv) and sum(iv) / 3 < 0.15, iv
'

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
