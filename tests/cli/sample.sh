#!/bin/sh
# sample.sh - "headroom sample" as a user runs it: exit statuses, JSON and
# table output, recorded hosts, missing and malformed input, signals.
. tests/cli/lib.sh
B=$HR_BIN

status 2 "no command is a usage error" "$B"
status 2 "unknown command is a usage error" "$B" frobnicate
status 0 "help exits 0" "$B" help
status 0 "sample --help exits 0" "$B" sample --help
status 2 "unknown flag exits 2" "$B" sample --bogus
ok "unknown flag is named in the message" sh -c "'$B' sample --bogus 2>&1 | grep -q \"unknown option '--bogus'\""
status 2 "bad period exits 2" "$B" sample --period abc
ok "bad period message names the flag and value" sh -c "'$B' sample --period abc 2>&1 | grep -q \"\\-\\-period: invalid value 'abc'\""
status 2 "period below 10ms exits 2" "$B" sample --period 5ms
status 2 "period without value exits 2" "$B" sample --period
status 2 "count 0 exits 2" "$B" sample --count 0
status 2 "count not a number exits 2" "$B" sample --count 3x
status 2 "unknown format exits 2" "$B" sample --format xml
status 2 "missing root exits 2" "$B" sample --root /nonexistent/dir
status 2 "relative mount exits 2" "$B" sample --mount var

# JSON lines from the reference host
"$B" sample --root "$FIX/reference" --count 3 --period 20ms --format json \
    >"$TMP/ref.json" 2>"$TMP/ref.err"
ok "json: three lines" test "$(wc -l <"$TMP/ref.json")" -eq 3
ok "json: every line parses, seq 1..3, reference host shape" python3 -c "
import json, sys
docs = [json.loads(l) for l in open('$TMP/ref.json')]
assert [d['seq'] for d in docs] == [1, 2, 3]
d = docs[-1]
assert len(d['cpu']['per_cpu']) == 8, d['cpu']['per_cpu']
assert len(d['disks']) == 4 and len(d['net']) == 4 and len(d['mounts']) == 4
p = d['health']['present']
assert all(v for k, v in p.items() if k != 'cgroup') and not p['cgroup'], p
assert d['interval_s'] > 0.015
# a recorded host does not move: every rate is zero, never a spike
assert d['cpu']['ctxt_per_s'] == 0 and d['disks'][0]['read_iops'] == 0
"
ok "json: --option=value form works" "$B" sample --root="$FIX/reference" --count=1 --period=10ms --format=json

# the table
"$B" sample --root "$FIX/reference" --count 2 --period 10ms >"$TMP/tab" 2>/dev/null
ok "table: two header lines and two rows" test "$(wc -l <"$TMP/tab")" -eq 4
ok "table: header names the columns" grep -q "load1" "$TMP/tab"

# a captured real host, checked by an independent parser
"$B" sample --root "$FIX/x86_64-vm" --count 1 --period 10ms --format json \
    >"$TMP/vm.json"
ok "captured x86_64 host matches the independent oracle" python3 tests/cli/oracle.py "$FIX/x86_64-vm" <"$TMP/vm.json"
"$B" sample --root "$FIX/reference" --count 1 --period 10ms --format json \
    >"$TMP/ref1.json"
ok "reference host matches the independent oracle" python3 tests/cli/oracle.py "$FIX/reference" <"$TMP/ref1.json"
"$B" sample --root "$FIX/smallboard-t0" --count 1 --period 10ms --format json \
    >"$TMP/sb.json" 2>/dev/null
ok "small board (no MemAvailable) matches the independent oracle" python3 tests/cli/oracle.py "$FIX/smallboard-t0" <"$TMP/sb.json"

# missing files: one log line per signal, not one per sample
"$B" sample --root "$FIX/sparse" --count 5 --period 10ms --format json \
    >"$TMP/sparse.json" 2>"$TMP/sparse.err"
ok "sparse host still samples" test "$(wc -l <"$TMP/sparse.json")" -eq 5
ok "sparse host: each missing signal logged once" python3 -c "
import collections, re
lines = [l for l in open('$TMP/sparse.err') if 'not available' in l]
sigs = collections.Counter(re.search(r'collect: (\w+):', l).group(1) for l in lines)
assert sigs and max(sigs.values()) == 1, sigs
assert 'psi_cpu' in sigs and 'disk' in sigs and 'cpu' not in sigs, sigs
"
ok "sparse host: absent signals are false, values null" python3 -c "
import json
d = [json.loads(l) for l in open('$TMP/sparse.json')][-1]
p = d['health']['present']
assert p['cpu'] and p['mem'] and not p['psi_io'] and not p['net'], p
assert d['psi']['io']['some'] is None and d['net'] == []
assert d['cpu']['load1'] is None and d['mem']['util'] is not None
"

# malformed input: skipped and counted, visible in the JSON
"$B" sample --root "$FIX/damaged" --count 2 --period 10ms --format json \
    >"$TMP/dmg.json" 2>/dev/null
ok "damaged host: malformed lines counted in JSON" python3 -c "
import json
d = [json.loads(l) for l in open('$TMP/dmg.json')][-1]
m = d['health']['malformed']
assert m['cpu'] > 0 and m['mem'] > 0 and m['net'] > 0 and m['disk'] > 0, m
assert d['mem']['total_bytes'] > 0
"

# --trace-reads lists the files opened, relative to the root
"$B" sample --root "$FIX/reference" --count 1 --period 10ms --format json \
    --trace-reads >/dev/null 2>"$TMP/trace"
ok "trace lists proc/stat and sysfs speed files" sh -c "grep -qx 'read proc/stat' '$TMP/trace' && grep -q 'read sys/class/net/eth0/speed' '$TMP/trace'"

# capture this host and replay it: the same signals are present
tools/capture-fixture --bin "$B" "$TMP/cap" >/dev/null 2>&1
"$B" sample --count 1 --period 50ms --format json >"$TMP/live.json" 2>/dev/null
"$B" sample --root "$TMP/cap" --count 1 --period 10ms --format json \
    >"$TMP/cap.json" 2>/dev/null
ok "capture-fixture replays with the live host's signals" python3 -c "
import json
a = json.load(open('$TMP/live.json'))
b = json.load(open('$TMP/cap.json'))
assert a['health']['present'] == b['health']['present'], (a['health']['present'], b['health']['present'])
assert [d['name'] for d in a['disks']] == [d['name'] for d in b['disks']]
assert [i['name'] for i in a['net']] == [i['name'] for i in b['net']]
assert a['mem']['total_bytes'] == b['mem']['total_bytes']
"

# SIGTERM ends an endless run cleanly; a closed pipe is not an error
"$B" sample --period 50ms --format json >/dev/null 2>"$TMP/term.err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
ok "SIGTERM: exit status 0" test $? -eq 0
"$B" sample --period 10ms --format json 2>"$TMP/pipe.err" | head -n 1 >/dev/null
ok "closed pipe: no write error" sh -c "! grep -q 'write' '$TMP/pipe.err'"
