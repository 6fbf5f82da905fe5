#!/bin/sh
# report.sh - SenML-CBOR reports: "headroom sample --format cbor" checked by
# an independent validator (tests/cli/senml_check.py: cbor2 and its own
# CBOR walker, no code shared with the agent), on recorded hosts and on
# this one; aggregation, capacities, splitting into parts, options; and
# "headroom decode" on valid and broken input (built by tests/cli/mkbad.py
# with cbor2).
. tests/cli/lib.sh
B=$HR_BIN
PY=${PYTHON:-/usr/bin/python3}

check() { "$PY" tests/cli/senml_check.py "$@"; }
mkbad() { "$PY" tests/cli/mkbad.py "$@"; }

ok "python has cbor2 ($PY)" "$PY" -c "import cbor2"

# ---- helpers (each returns non-zero with a message when the check fails) ----

# run_cbor OUT ARGS...: headroom sample --format cbor ARGS > OUT; status in
# OUT.rc, stderr in OUT.err
run_cbor() {
	out=$1
	shift
	"$B" sample --format cbor "$@" >"$out" 2>"$out.err"
	echo $? >"$out.rc"
}

# packs_ok FILE N ID INTERVAL: N packs (no parts), seq 1..N, one boot id,
# agent id ID, intervals of INTERVAL on average (each one the time between
# the base times of its report and the one before), base times increasing
# and close to now
packs_ok() {
	check --packs "$1" >"$1.packs" || return 1
	"$PY" - "$1.packs" "$2" "$3" "$4" <<'EOF'
import json, sys, time
packs = [json.loads(l) for l in open(sys.argv[1])]
n, ident, want = int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
assert len(packs) == n, "%d packs, want %d" % (len(packs), n)
assert [p["seq"] for p in packs] == list(range(1, n + 1)), \
    [p["seq"] for p in packs]
assert all(p["part"] is None and p["parts"] is None for p in packs)
boots = {p["boot"] for p in packs}
assert len(boots) == 1, boots
assert {p["id"] for p in packs} == {ident}, {p["id"] for p in packs}
# The schedule is fixed (baseline + k periods): a sample that starts late
# makes its interval longer and the next one shorter, so single intervals
# may stray; their mean may not, and each must match the base times.
ivs = [p["interval"] for p in packs]
assert all(0 < iv <= want * 1.25 + 0.15 for iv in ivs), (ivs, want)
mean = sum(ivs) / n
assert want * 0.9 <= mean <= want * 1.25 + 0.15, (ivs, want)
bts = [p["bt"] for p in packs]
assert bts == sorted(bts) and len(set(bts)) == n, bts
for k in range(1, n):
    assert abs(bts[k] - bts[k - 1] - ivs[k]) <= 0.004, (k, bts, ivs)
assert abs(bts[-1] - time.time()) < 600, (bts[-1], time.time())
EOF
}

# same_records A B: two JSON-lines files of resolved records agree record
# by record (names, units, keys; numbers compared as floats)
same_records() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert a, "no records"
assert len(a) == len(b), "%d records against %d" % (len(a), len(b))
for i, (x, y) in enumerate(zip(a, b)):
    assert set(x) == set(y), (i, x, y)
    assert x["n"] == y["n"] and x.get("u") == y.get("u"), (i, x, y)
    assert float(x["t"]) == float(y["t"]), (i, x, y)
    for k in ("v", "s"):
        if k in x:
            assert float(x[k]) == float(y[k]), (i, x, y)
    for k in ("vs", "vb", "vd"):
        if k in x:
            assert x[k] == y[k], (i, x, y)
print(len(a), "records agree")
EOF
}

# round_trip FILE: headroom decode and senml_check.py --resolve agree
round_trip() {
	"$B" decode "$1" >"$1.dec" || return 1
	check --resolve "$1" >"$1.res" || return 1
	same_records "$1.dec" "$1.res"
}

# ---- recorded hosts and this one ------------------------------------------------

for fx in reference damaged container smallboard-t0 sparse x86_64-vm; do
	run_cbor "$TMP/$fx.cbor" --count 3 --period 20ms --id t-1 \
	    --root "$FIX/$fx"
	ok "$fx: sample --format cbor exits 0" test "$(cat "$TMP/$fx.cbor.rc")" -eq 0
	ok "$fx: every pack passes senml_check.py" check "$TMP/$fx.cbor"
	ok "$fx: 3 packs, seq 1 2 3, one boot id, interval 0.02 s" \
	    packs_ok "$TMP/$fx.cbor" 3 t-1 0.02
	ok "$fx: headroom decode agrees with the independent decoder" \
	    round_trip "$TMP/$fx.cbor"
done

run_cbor "$TMP/live.cbor" --count 3 --period 20ms --id live-1
ok "live host: sample --format cbor exits 0" test "$(cat "$TMP/live.cbor.rc")" -eq 0
ok "live host: every pack passes senml_check.py" check "$TMP/live.cbor"
ok "live host: 3 packs, seq 1 2 3, one boot id, interval 0.02 s" \
    packs_ok "$TMP/live.cbor" 3 live-1 0.02
"$B" sample --format cbor --count 3 --id live-2 2>/dev/null >"$TMP/rt.cbor"
ok "live host round trip: headroom decode = senml_check.py --resolve, record by record" \
    round_trip "$TMP/rt.cbor"
ok "live host, default period: interval 1 s" packs_ok "$TMP/rt.cbor" 3 live-2 1

# a separate run has its own boot id
run_cbor "$TMP/ref-b.cbor" --count 1 --period 10ms --id t-1 --root "$FIX/reference"
check --packs "$TMP/ref-b.cbor" >"$TMP/ref-b.packs" 2>/dev/null
ok "a new run has a new boot id" "$PY" -c "
import json
a = json.loads(open('$TMP/reference.cbor.packs').readline())['boot']
b = json.loads(open('$TMP/ref-b.packs').readline())['boot']
assert a and b and a != b, (a, b)
"

# ---- what a report carries: first report, later reports ---------------------

ok "reference: capacities in the first report, with the fixture's figures" "$PY" -c "
import json
d = json.loads(open('$TMP/reference.cbor.packs').readline())['data']
want = {'mem.total': 32594232 * 1024, 'mem.swap.total': 8388604 * 1024,
        'cpu.online': 8, 'net.eth0.speed': 10000 * 10**6,
        'net.eth1.speed': 1000 * 10**6, 'net.eth0.up': 1, 'net.eth2.up': 0,
        'fs/.size': 4096 * 122046464, 'fs/boot/efi.size': 512 * 1048576,
        'conntrack.max': 262144, 'pid.max': 255476,
        'fd.max': 9223372036854775807}
for k, v in want.items():
    assert k in d, k
    assert float(d[k]) == float(v), (k, d[k], v)
"
ok "reference: capacities not repeated in the second and third reports" "$PY" -c "
import json
packs = [json.loads(l) for l in open('$TMP/reference.cbor.packs')]
caps = ('mem.total', 'mem.swap.total', 'cpu.online', 'net.eth0.speed',
        'net.eth0.up', 'fs/.size', 'fs/home.size', 'conntrack.max',
        'fd.max', 'pid.max')
for p in packs[1:]:
    left = [k for k in caps if k in p['data']]
    assert not left, (p['seq'], left)
    # the gauges are still there
    for k in ('mem.util', 'cpu.load1', 'fs/.util', 'fs/.avail', 'pid.used',
              'mem.oom'):
        assert k in p['data'], (p['seq'], k)
"
ok "reference: gauges carry the fixture's figures (half-float precision)" "$PY" -c "
import json
d = json.loads(open('$TMP/reference.cbor.packs').readline())['data']
def near(k, want, rel=2.0 ** -11):
    assert abs(d[k] - want) <= rel * abs(want), (k, d[k], want)
near('mem.util', 1 - 21987654 / 32594232)
near('fs/.util', 1 - 73876543 / (122046464 - 80123456 + 73876543))
near('cpu.load1', 2.47)
assert d['fs/.avail'] == 73876543 * 4096, d['fs/.avail']
assert d['cpu.run'] == 3 and d['cpu.blocked'] == 1 and d['conntrack.used'] == 2345
# a static host: every rate is exactly zero
assert d['cpu.ctxt'] == 0 and d['disk.sda.rdB'] == 0 and d['net.eth0.rxB'] == 0
"

# ---- aggregation over several samples ----------------------------------------

run_cbor "$TMP/every5.cbor" --report-every 5 --count 5 --period 20ms --id t-1 \
    --root "$FIX/reference"
ok "--report-every 5 --count 5: valid" check "$TMP/every5.cbor"
ok "--report-every 5 --count 5: exactly 1 pack, interval 5 x 20 ms" \
    packs_ok "$TMP/every5.cbor" 1 t-1 0.1
ok "--report-every 5: the static host's mean equals each sample, no peaks" "$PY" -c "
import json
a = json.loads(open('$TMP/every5.cbor.packs').readline())['data']
b = json.loads(open('$TMP/reference.cbor.packs').readline())['data']
assert not [k for k in a if k.endswith('.peak')], a
assert a == b, set(a.items()) ^ set(b.items())
"
run_cbor "$TMP/every5-7.cbor" --report-every 5 --count 7 --period 20ms \
    --id t-1 --root "$FIX/reference"
ok "--report-every 5 --count 7: 2 packs, the last one over 2 samples" \
    "$PY" -c "
import json, subprocess, sys
out = subprocess.run(['$PY', 'tests/cli/senml_check.py', '--packs',
    '$TMP/every5-7.cbor'], capture_output=True, text=True)
assert out.returncode == 0, out.stderr
p = [json.loads(l) for l in out.stdout.splitlines()]
assert [x['seq'] for x in p] == [1, 2], p
iv = [x['interval'] for x in p]
# 5 samples, then the 2 left when --count ends the run
assert 0.095 <= iv[0] <= 0.3 and 0 < iv[1] <= 0.2 and iv[0] + iv[1] >= 0.135, iv
"
run_cbor "$TMP/live5.cbor" --report-every 5 --count 10 --period 20ms --id live-1
ok "live host, --report-every 5: valid (peaks above their means), 2 packs" \
    packs_ok "$TMP/live5.cbor" 2 live-1 0.1

# A host that changes while it is sampled: a root whose files are rewritten
# in place between samples (same length: the agent re-reads open files).
# Two CPUs, cpu0 and cpu3 (cpu1 and cpu2 offline), and a load that moves.
# Samples every 800 ms, reports every 2 samples:
#   sample 1: cpu0 50% busy, cpu3 25%, total 37.5%, load1 1, MemTotal 2 GB
#   sample 2: cpu0 100%,     cpu3 25%, total 62.5%, load1 3, MemTotal 2 GB
#   sample 3: cpu0 0%,       cpu3 25%, total 12.5%, load1 3, MemTotal 3 GB
#   sample 4: cpu0 0%,       cpu3 25%, total 12.5%, load1 3, MemTotal 4 GB
"$PY" - "$B" "$TMP/dyn" "$TMP/dyn.cbor" <<'EOF'
import os, subprocess, sys, time
b, root, out = sys.argv[1:4]
os.makedirs(root + "/proc", exist_ok=True)

def stat(u0, i0, u3, i3):
    # user nice system idle iowait irq softirq steal; system stays put
    row = "%s %010d 0 %010d %010d 0 0 0 0\n"
    return (row % ("cpu ", u0 + u3, 2000, i0 + i3) +
            row % ("cpu0", u0, 1000, i0) + row % ("cpu3", u3, 1000, i3))

def meminfo(kb):
    return ("MemTotal:       %08d kB\nMemFree:         1500000 kB\n"
            "Buffers:          300000 kB\nCached:           400000 kB\n" % kb)

def load(l1):
    return "%.2f 0.40 0.30 1/100 12345\n" % l1

def put(rel, text):
    fd = os.open(os.path.join(root, rel), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, text.encode())
    os.close(fd)

# (cpu0 user, cpu0 idle, cpu3 user, cpu3 idle, load1, MemTotal kB)
states = [(1000, 8000, 1000, 8000, 0.5, 2000000),
          (1050, 8050, 1025, 8075, 1.0, 2000000),
          (1150, 8050, 1050, 8150, 3.0, 2000000),
          (1150, 8150, 1075, 8225, 3.0, 3000000),
          (1150, 8250, 1100, 8300, 3.0, 4000000)]

def apply(s):
    put("proc/stat", stat(s[0], s[1], s[2], s[3]))
    put("proc/loadavg", load(s[4]))
    put("proc/meminfo", meminfo(s[5]))

apply(states[0])
period = 0.8
with open(out, "wb") as f, open(out + ".err", "wb") as e:
    t0 = time.monotonic()
    p = subprocess.Popen([b, "sample", "--format", "cbor", "--id", "dyn",
                          "--root", root, "--period", "800ms", "--count", "4",
                          "--report-every", "2"], stdout=f, stderr=e)
    for k in range(1, 5):         # halfway between samples k - 1 and k
        time.sleep(max(0, t0 + (k - 0.5) * period - time.monotonic()))
        apply(states[k])
    rc = p.wait()
open(out + ".rc", "w").write("%d\n" % rc)
EOF
ok "changing host: valid, 2 reports of 2 samples" packs_ok "$TMP/dyn.cbor" 2 dyn 1.6
ok "changing host: mean and peak over the report's samples" "$PY" -c "
import json
p = [json.loads(l)['data'] for l in open('$TMP/dyn.cbor.packs')]
d = p[0]
assert d['cpu.util'] == 0.5 and d['cpu.util.peak'] == 0.625, d
assert d['cpu.load1'] == 2 and d['cpu.load1.peak'] == 3, d
d = p[1]
assert d['cpu.util'] == 0.125 and 'cpu.util.peak' not in d, d
assert d['cpu.load1'] == 3 and 'cpu.load1.peak' not in d, d
"
ok "changing host: a capacity is sent again when it changes (its latest value)" "$PY" -c "
import json
p = [json.loads(l)['data'] for l in open('$TMP/dyn.cbor.packs')]
assert p[0]['mem.total'] == 2000000 * 1024, p[0]
assert p[1].get('mem.total') == 4000000 * 1024, p[1]
assert 'mem.swap.total' in p[0] and 'mem.swap.total' not in p[1], p
"
ok "changing host: per-core records are named by CPU number (cpu0, cpu3)" "$PY" -c "
import json
p = [json.loads(l)['data'] for l in open('$TMP/dyn.cbor.packs')]
d = p[0]
assert d.get('cpu.0.util') == 0.75 and d.get('cpu.0.util.peak') == 1, d
cores = sorted(k for k in d if k.startswith('cpu.') and k[4].isdigit())
assert cores == ['cpu.0.util', 'cpu.0.util.peak', 'cpu.3.util'], cores
assert d['cpu.3.util'] == 0.25, d
"

# ---- splitting into parts -----------------------------------------------------

run_cbor "$TMP/whole.cbor" --count 2 --period 20ms --id t-1 --root "$FIX/reference"
run_cbor "$TMP/split.cbor" --count 2 --period 20ms --id t-1 --root "$FIX/reference" \
    --max-message 512
ok "--max-message 512: exits 0" test "$(cat "$TMP/split.cbor.rc")" -eq 0
ok "--max-message 512: the sequence passes senml_check.py" check "$TMP/split.cbor"
"$PY" - "$TMP/split.cbor" "$TMP/part" <<'EOF'
import io, sys, cbor2
data = open(sys.argv[1], "rb").read()
f = io.BytesIO(data)
k = 0
while f.tell() < len(data):
    start = f.tell()
    cbor2.load(f)
    k += 1
    open("%s.%d" % (sys.argv[2], k), "wb").write(data[start:f.tell()])
open(sys.argv[2] + ".n", "w").write("%d\n" % k)
EOF
# each_part CMD...: CMD FILE for every part file
each_part() {
	n=$(cat "$TMP/part.n")
	[ "$n" -gt 2 ] || { echo "only $n packs"; return 1; }
	k=1
	while [ "$k" -le "$n" ]; do
		"$@" "$TMP/part.$k" || { echo "part file $k"; return 1; }
		k=$((k + 1))
	done
}
size_le_512() {
	s=$(wc -c <"$1")
	[ "$s" -le 512 ] || { echo "$1: $s bytes"; return 1; }
}
decodes() { "$B" decode "$1" >/dev/null; }
ok "--max-message 512: several packs, each at most 512 bytes" each_part size_le_512
ok "--max-message 512: each pack passes senml_check.py on its own" \
    each_part check --no-sequence
ok "--max-message 512: each pack decodes on its own (headroom decode)" \
    each_part decodes
ok "--max-message 512: parts 1..K of K per report, K >= 2, same seq, boot, time" "$PY" -c "
import json, subprocess
out = subprocess.run(['$PY', 'tests/cli/senml_check.py', '--packs',
    '$TMP/split.cbor'], capture_output=True, text=True, check=True).stdout
packs = [json.loads(l) for l in out.splitlines()]
by = {}
for p in packs:
    by.setdefault(p['seq'], []).append(p)
assert sorted(by) == [1, 2], sorted(by)
for seq, ps in by.items():
    K = ps[0]['parts']
    assert K >= 2, (seq, K)
    assert [p['part'] for p in ps] == list(range(1, K + 1)), (seq, ps)
    assert all(p['parts'] == K for p in ps), (seq, ps)
    assert len({(p['boot'], p['bt'], p['interval']) for p in ps}) == 1, ps
assert len({p['boot'] for p in packs}) == 1
"
ok "--max-message 512: the parts' data records = the unsplit report's, in order" "$PY" -c "
import json, subprocess
def packs(f):
    out = subprocess.run(['$PY', 'tests/cli/senml_check.py', '--packs', f],
        capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]
whole = {p['seq']: p['data'] for p in packs('$TMP/whole.cbor')}
assert sorted(whole) == [1, 2] and all(p['parts'] is None
    for p in packs('$TMP/whole.cbor'))
split, order = {}, {}
for p in packs('$TMP/split.cbor'):
    d = split.setdefault(p['seq'], {})
    dup = set(d) & set(p['data'])
    assert not dup, ('in two parts', dup)
    d.update(p['data'])
    order.setdefault(p['seq'], []).extend(p['data'])
assert sorted(split) == [1, 2], sorted(split)
for seq in (1, 2):
    a, b = whole[seq], split[seq]
    assert set(a) == set(b), (seq, set(a) ^ set(b))
    assert list(a) == order[seq], (seq, 'order differs')
    bad = [k for k in a if a[k] != b[k]]
    assert not bad, (seq, [(k, a[k], b[k]) for k in bad])
"
ok "--max-message 512: headroom decode agrees with the independent decoder" \
    round_trip "$TMP/split.cbor"
run_cbor "$TMP/big.cbor" --count 1 --period 10ms --id t-1 --root "$FIX/reference" \
    --max-message 256KiB
ok "--max-message 256KiB (the largest) is accepted: one pack" \
    packs_ok "$TMP/big.cbor" 1 t-1 0.01

# ---- options --------------------------------------------------------------------

R="--root $FIX/reference --count 1 --period 10ms --format cbor"
status 2 "--max-message 511 (below 512) exits 2" "$B" sample $R --id a --max-message 511
status 2 "--max-message 262145 (above 256KiB) exits 2" "$B" sample $R --id a --max-message 262145
status 2 "--max-message 257KiB exits 2" "$B" sample $R --id a --max-message 257KiB
status 2 "--max-message 0 exits 2" "$B" sample $R --id a --max-message 0
status 2 "--max-message abc exits 2" "$B" sample $R --id a --max-message abc
status 0 "--max-message 512 (the smallest) exits 0" "$B" sample $R --id a --max-message 512
status 2 "--id a/b exits 2" "$B" sample $R --id a/b
status 2 "--id -x exits 2" "$B" sample $R --id -x
status 2 "--id '' (empty) exits 2" "$B" sample $R --id ""
status 2 "--id 'a b' exits 2" "$B" sample $R --id "a b"
status 2 "--id of 64 characters exits 2" "$B" sample $R \
    --id aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
ok "bad --id: the message names the option" sh -c "'$B' sample $R --id a/b 2>&1 | grep -q \"\\-\\-id: invalid value 'a/b'\""
id63=a23456789012345678901234567890123456789012345678901234567890123
"$B" sample $R --id "$id63" >"$TMP/id63.cbor" 2>/dev/null
ok "--id of 63 characters (the longest) is the base name" \
    packs_ok "$TMP/id63.cbor" 1 "$id63" 0.01
status 2 "--report-every 0 exits 2" "$B" sample $R --id a --report-every 0
status 2 "--report-every 3601 exits 2" "$B" sample $R --id a --report-every 3601
host=$(uname -n)
if printf '%s\n' "$host" | grep -Eq '^[A-Za-z0-9][A-Za-z0-9:._-]{0,62}$'; then
	"$B" sample $R >"$TMP/host.cbor" 2>"$TMP/host.err"
	ok "--format cbor without --id: exits 0, agent id is the host name ($host)" \
	    packs_ok "$TMP/host.cbor" 1 "$host" 0.01
else
	status 2 "--format cbor without --id: host name '$host' is no valid id, exit 2" \
	    "$B" sample $R
fi
# with_host NAME CMD...: CMD in a UTS namespace whose host name is NAME
with_host() {
	unshare --uts "$PY" -c '
import os, socket, sys
socket.sethostname(sys.argv[1])
os.execv(sys.argv[2], sys.argv[2:])' "$@"
}
# quiet CMD...: CMD with its standard output (CBOR) thrown away
quiet() { "$@" >/dev/null; }
# asks_for_id NAME: with host name NAME and no --id, the agent says to give one
asks_for_id() { with_host "$1" "$B" sample $R 2>&1 >/dev/null | grep -q 'give --id'; }
if with_host probe /bin/true 2>/dev/null; then
	with_host node-7.example "$B" sample $R >"$TMP/h7.cbor" 2>/dev/null
	ok "host name node-7.example is the agent id" packs_ok "$TMP/h7.cbor" 1 node-7.example 0.01
	status 2 "host name 'a/b' is no valid id: exit 2" quiet with_host a/b "$B" sample $R
	ok "host name 'a/b': the message asks for --id" asks_for_id a/b
	h64=a234567890123456789012345678901234567890123456789012345678901234
	status 2 "a 64-character host name is no valid id: exit 2 (not cut to 63)" \
	    quiet with_host "$h64" "$B" sample $R
	ok "a 64-character host name: the message asks for --id" asks_for_id "$h64"
else
	echo "ok - host name as agent id # SKIP no UTS namespace (unshare --uts)"
fi

# ---- the output stream ----------------------------------------------------------

"$B" sample --format cbor --id p-1 --period 10ms 2>"$TMP/term.err" >"$TMP/term.cbor" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
ok "SIGTERM: exit status 0" test $? -eq 0
ok "SIGTERM: the output holds whole packs only, all valid" check "$TMP/term.cbor"
sh -c "'$B' sample --format cbor --id p-1 --period 10ms 2>'$TMP/pipe.err'; echo \$? >'$TMP/pipe.rc'" |
    head -c 1 >/dev/null
ok "closed pipe: exit status 0, no write error" sh -c "test \"\$(cat '$TMP/pipe.rc')\" -eq 0 && ! grep -q write '$TMP/pipe.err'"

# ---- headroom decode: input and output ----------------------------------------

# decode streams: records of the first reports are out while the agent runs
sh -c "'$B' sample --format cbor --id s-1 --period 300ms --count 8 --root '$FIX/reference' 2>/dev/null |
    '$B' decode >'$TMP/stream.json' 2>'$TMP/stream.err'; echo \$? >'$TMP/stream.rc'" &
spid=$!
sleep 1.2
n_early=$(grep -c '"s-1/seq"' "$TMP/stream.json")
wait $spid
ok "decode of a pipe prints reports as they come (before the agent ends)" \
    test "$n_early" -ge 1 -a "$n_early" -lt 8
ok "decode of a pipe: all 8 reports in the end, exit 0" sh -c \
    "test \"\$(grep -c '\"s-1/seq\"' '$TMP/stream.json')\" -eq 8 && test \"\$(cat '$TMP/stream.rc')\" -eq 0"

F=$TMP/reference.cbor
"$B" decode "$F" >"$TMP/dec.file"
"$B" decode - <"$F" >"$TMP/dec.dash"
"$B" decode <"$F" >"$TMP/dec.stdin"
ok "decode FILE prints every record" test "$(wc -l <"$TMP/dec.file")" -eq "$(wc -l <"$TMP/reference.cbor.res")"
ok "decode - reads stdin, same output as decode FILE" cmp "$TMP/dec.file" "$TMP/dec.dash"
ok "decode without FILE reads stdin, same output" cmp "$TMP/dec.file" "$TMP/dec.stdin"
ok "decode: every line is JSON with n, t and one of v/vs" "$PY" -c "
import json
for l in open('$TMP/dec.file'):
    r = json.loads(l)
    assert isinstance(r['n'], str) and isinstance(r['t'], (int, float)), r
    assert len({'v', 'vs', 'vb'} & set(r)) == 1, r
"
status 1 "decode of a missing file exits 1" "$B" decode "$TMP/no-such-file"
ok "decode of a missing file names it" sh -c "'$B' decode '$TMP/no-such-file' 2>&1 | grep -q 'no-such-file'"
status 2 "decode with an unknown option exits 2" "$B" decode --bogus "$F"
status 2 "decode with two files exits 2" "$B" decode "$F" "$F"
status 0 "decode --help exits 0" "$B" decode --help
"$B" decode --pack "$F" >"$TMP/dec.pack"
ok "decode --pack: one JSON array per pack, the same records" "$PY" -c "
import json
arrays = [json.loads(l) for l in open('$TMP/dec.pack')]
lines = [json.loads(l) for l in open('$TMP/dec.file')]
assert len(arrays) == 3 and all(isinstance(a, list) and a for a in arrays)
assert [r for a in arrays for r in a] == lines
"

# a valid pack that uses what the agent does not: base value, relative
# times, per-record units, string and boolean values
mkbad valid >"$TMP/valid.cbor"
"$B" decode "$TMP/valid.cbor" >"$TMP/valid.dec" 2>"$TMP/valid.err"
ok "decode: bv added to v, t = bt + t, u overrides bu" "$PY" -c "
import json
got = [json.loads(l) for l in open('$TMP/valid.dec')]
want = [
    {'n': 'h-1/dev.a', 'u': 'B', 't': 1002, 'v': 11.5},
    {'n': 'h-1/dev.b', 'u': 's', 't': 999, 'v': 13},
    {'n': 'h-1/dev.c', 'u': 'B', 't': 1000, 'v': 14},
    {'n': 'h-1/other.d', 'u': 'B', 't': 1000, 'v': 0.75},
    {'n': 'h-1/other.e', 'u': 'B', 't': 1000, 'vs': 'text'},
    {'n': 'h-1/other.f', 'u': 'count', 't': 1000, 'vb': True},
]
assert got == want, got
"
check --generic --resolve "$TMP/valid.cbor" >"$TMP/valid.res" 2>/dev/null
ok "decode of that pack = the independent decoder's" same_records "$TMP/valid.dec" "$TMP/valid.res"

# ---- headroom decode: broken input ------------------------------------------------

# rejected KIND TEXT: the good pack is printed (2 records), then the broken
# one stops the run with status 1 and a message naming pack 2 and TEXT
rejected() {
	mkbad bad "$1" >"$TMP/bad.cbor" || return 1
	"$B" decode "$TMP/bad.cbor" >"$TMP/bad.out" 2>"$TMP/bad.err"
	rc=$?
	cat "$TMP/bad.err"
	[ "$rc" -eq 1 ] || { echo "exit $rc, want 1"; cat "$TMP/bad.out"; return 1; }
	grep -q "pack 2" "$TMP/bad.err" || { echo "pack 2 not named"; return 1; }
	grep -q -- "$2" "$TMP/bad.err" || { echo "no '$2' in the message"; return 1; }
	n=$(wc -l <"$TMP/bad.out")
	[ "$n" -eq 2 ] || { echo "$n records printed, want the good pack's 2"; return 1; }
}
status 1 "decode of empty input exits 1" "$B" decode /dev/null
ok "decode of empty input says so" sh -c "'$B' decode - </dev/null 2>&1 | grep -q 'no input'"
ok "decode rejects a truncated pack" rejected truncated "truncated"
ok "decode rejects a pack that is not an array" rejected notarray "array"
ok "decode rejects an empty array" rejected emptyarray "non-empty array"
ok "decode rejects a record that is not a map" rejected notmap "record 1: not a map"
ok "decode rejects an unknown integer label (9)" rejected unknownlabel "unknown label 9"
ok "decode rejects an unknown negative label (-7)" rejected unknownneglabel "unknown label -7"
ok "decode rejects label 2^64-2 (not bn)" rejected hugelabel "unknown label"
ok "decode rejects label -2^64 (not n)" rejected hugeneglabel "unknown label"
ok "decode rejects a text label ending in _" rejected mustunderstand "ext_"
ok "decode rejects a record without a value" rejected novalue "no value"
ok "decode rejects two values in one record" rejected twovalues "more than one value"
ok "decode rejects an invalid name (bn '1 2')" rejected badname "invalid name"
ok "decode rejects a duplicate name in one pack" rejected dupname "twice"
ok "decode rejects a NaN value" rejected nan "finite"
ok "decode rejects an infinite value" rejected inf "finite"
ok "decode rejects an indefinite-length text string" rejected indeftext "record 0"
ok "decode rejects a record with the same label twice" rejected duplabel "record 0"
ok "decode rejects a vb that is not a boolean" rejected vbnotbool "vb"
ok "decode rejects an n that is not text" rejected ntype "n is not a text string"
ok "decode rejects trailing garbage after a pack" rejected garbage "malformed"

# ---- the validator itself must fail on bad input -----------------------------------

# refused KIND...: senml_check.py exits 1 on the input
refused_bad() {
	mkbad bad "$1" >"$TMP/vbad.cbor" || return 1
	check --generic "$TMP/vbad.cbor" && { echo "accepted"; return 1; }
	[ $? -eq 1 ]
}
refused_mut() {
	mkbad mutate "$1" <"$TMP/reference.cbor" >"$TMP/vmut.cbor" || return 1
	check "$TMP/vmut.cbor" && { echo "accepted"; return 1; }
	[ $? -eq 1 ]
}
mkbad mutate none <"$TMP/reference.cbor" >"$TMP/vnone.cbor"
ok "senml_check.py: a report re-encoded by cbor2 (canonical) passes" check "$TMP/vnone.cbor"
for k in $(mkbad list bad); do
	ok "senml_check.py rejects broken input: $k" refused_bad "$k"
done
for k in $(mkbad list mutate); do
	ok "senml_check.py rejects a changed report: $k" refused_mut "$k"
done
