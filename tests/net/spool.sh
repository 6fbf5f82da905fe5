#!/bin/sh
# spool.sh - store and forward (docs/spool.md) against a real Mosquitto:
# outages, a full RAM budget, a SIGKILL with a file spool, a damaged
# spool file, a full and an unwritable spool directory.  Every count is
# asserted exactly, from the subscriber's capture decoded with cbor2
# (tests/net/spoolcheck.py, which also reads the spool files without the
# agent's code).  Every wait is bounded.
#
# The broker keeps sessions across a stop (NET_PERSIST) and subscribers
# are persistent, so a message the agent delivers while a subscriber is
# reconnecting is queued for it, not lost: what is counted is what the
# agent delivered.
. "$(dirname "$0")/lib.sh"
NET_PERSIST=1
net_setup
broker_start || exit 1
SUB_OPTS="--retain-as-published -c -x 3600"
CHK="$NET_PY tests/net/spoolcheck.py"
FAST="mqtt.reconnect_min=200ms mqtt.reconnect_max=1s mqtt.keepalive=5s tls.handshake_timeout=2s"
SEED=${HR_SEED:-$$}
DEAD=$(free_port)              # nothing listens there: an outage

# py JSONFILE CODE: run CODE with g = the JSON; CODE fails by assert
py() {
	"$NET_PY" -c "
import json, sys
g = json.load(open(sys.argv[1]))
$2
" "$1"
}

# backfill_at_least NAME N: the capture has N backfill messages
backfill_at_least() {
	[ "$(grep -c "headroom/$1/backfill" "$W/$1.sub" 2>/dev/null)" -ge "$2" ]
}

# relink NAME KEY=VAL...: rewrite NAME's config (now with the test
# broker) and make the running agent load it
relink() {
	rl_name=$1
	shift
	agent_conf "$rl_name" "$@" || return 1
	kill -HUP "$AGENT_PID"
	wait_lines "$W/$rl_name.log" "link: connected to" 1 20
}

# the "dropped N (ram N, ..." figures of the agent's exit line
exit_field() {
	sed -n "s/.*run: stopped: .*$2 \([0-9]*\).*/\1/p" "$W/$1.log" | tail -n 1
}

# ---- RAM budget --------------------------------------------------------------------

ram_budget() {
	sub_start ram "headroom/ram/#" || return 1
	# shellcheck disable=SC2086
	agent_conf ram $FAST "mqtt.brokers=localhost:$DEAD" spool.memory=16KiB \
	    mqtt.max_message=8KiB spool.replay_rate=1000 || return 1
	agent_start ram || return 1
	sleep 8                         # 40 reports, the ring holds fewer
	# shellcheck disable=SC2086
	relink ram $FAST spool.memory=16KiB mqtt.max_message=8KiB \
	    spool.replay_rate=1000 || return 1
	sleep 3
	agent_stop ram || return 1
	sub_stop ram
	$CHK got "$W/ram.sub" ram >"$W/ram.json" || return 1
	py "$W/ram.json" "
assert len(g) == 1, 'one boot, got %d' % len(g)
b = g[0]
d = b['last']['dropped.ram']
s = b['seqs']
print('dropped.ram', d, 'received', len(s), 'seq', s[0], '..', s[-1])
assert d > 0, 'nothing was dropped: the test did not fill the ring'
# exactly the oldest went: what arrived is d+1 .. last, nothing else
assert s == list(range(d + 1, s[-1] + 1)), 'not d+1..last: %s' % s
assert b['dups'] == 0, 'duplicates without a lost session'
assert b['order_ok'], 'not oldest first'
assert b['last']['backlog'] == 0
assert b['last']['spooled'] >= d + b['backfill'] - 1
" || return 1
	# the exit line agrees with the reports
	[ "$(exit_field ram "(ram")" = "$(py "$W/ram.json" "print(g[0]['last']['dropped.ram'])")" ]
}
ok "RAM budget exceeded in an outage: the oldest reports are dropped, counted exactly, the rest replayed in order" \
    ram_budget

# ---- an unwritable directory -----------------------------------------------------------

fallback() {   # fallback NAME DIR PATTERN
	fb_name=$1
	sub_start "$fb_name" "headroom/$fb_name/#" || return 1
	# shellcheck disable=SC2086
	agent_conf "$fb_name" $FAST "mqtt.brokers=localhost:$DEAD" \
	    "spool.dir=$2" || return 1
	agent_start "$fb_name" || return 1
	sleep 3
	# shellcheck disable=SC2086
	relink "$fb_name" $FAST "spool.dir=$2" || return 1
	sleep 3
	agent_stop "$fb_name" || return 1
	sub_stop "$fb_name"
	n=$(grep -c "spool: $2: $3: keeping undelivered reports in RAM" \
	    "$W/$fb_name.log")
	[ "$n" -eq 1 ] || { echo "$n fall-back warnings, want 1"; grep spool: "$W/$fb_name.log"; return 1; }
	$CHK got "$W/$fb_name.sub" "$fb_name" >"$W/$fb_name.json" || return 1
	py "$W/$fb_name.json" "
b = g[0]
s = b['seqs']
assert len(g) == 1 and s == list(range(1, s[-1] + 1)), 'lost reports: %s' % s
assert b['backfill'] >= 10, 'only %d backfilled' % b['backfill']
assert b['last']['disk'] == 0, 'the file spool is said to work'
assert sum(v for k, v in b['last'].items() if k.startswith('dropped')) == 0
"
}

unwritable() {
	: >"$W/afile"
	fallback unw "$W/afile/spool" "cannot create it: Not a directory"
}
ok "spool directory that cannot be created: one warning, reports kept in RAM, none lost" \
    unwritable

# ---- a full file system --------------------------------------------------------------------

fullfs() {
	mkdir -p "$W/full" || return 1
	mount -t tmpfs -o size=128k,mode=0700 tmpfs "$W/full" ||
	    { echo "cannot mount a tmpfs (not root?)"; return 1; }
	mkdir -m 0700 "$W/full/spool"
	dd if=/dev/zero of="$W/full/fill" bs=4096 2>/dev/null
	rc=0
	fallback full "$W/full/spool" "No space left on device" || rc=1
	umount "$W/full" || rc=1
	return $rc
}
ok "spool directory on a full file system (tmpfs): one warning, RAM fall-back, none lost" \
    fullfs

# ---- SIGKILL in an outage, with a file spool ------------------------------------------------

killed() {
	sub_start kill "headroom/kill/#" || return 1
	# shellcheck disable=SC2086
	agent_conf kill $FAST "spool.dir=$W/kill.spool" || return 1
	agent_start kill || return 1
	wait_lines "$W/kill.sub" "headroom/kill/report" 3 20 || return 1
	broker_stop
	# reports of the outage go to the file at once
	net_wait 20 py_records_at_least "$W/kill.spool" 10 || return 1
	agent_kill kill
	[ "$(stat -c %a "$W/kill.spool")" = 700 ] ||
	    { echo "spool directory mode $(stat -c %a "$W/kill.spool")"; return 1; }
	$CHK records "$W/kill.spool" >"$W/kill.rec" || return 1
	k=$(py "$W/kill.rec" "print(len(g['records']))")
	broker_start || return 1
	agent_start kill || return 1
	net_wait 30 backfill_at_least kill "$k" ||
	    { echo "fewer than $k backfilled"; return 1; }
	sleep 1
	agent_stop kill || return 1
	sub_stop kill
	$CHK got "$W/kill.sub" kill >"$W/kill.json" || return 1
	"$NET_PY" -c "
import json, sys
rec = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
assert len(g) == 2, '%d boots' % len(g)
old, new = g
f = [r[0] for r in rec['records']]
top = max(f)
print('file: %d records, seq %d..%d, %d torn' % (len(f), min(f), top,
      rec['damaged']))
# every complete record replayed; at most the one being written lost
assert rec['damaged'] <= 1, 'more than one torn record'
assert old['seqs'] == list(range(1, top + 1)), 'old boot: %s' % old['seqs']
assert new['last']['loaded'] == len(f), 'loaded %r' % new['last']['loaded']
assert new['last']['damaged'] == rec['damaged']
assert new['last']['backlog'] == 0
assert old['order_ok'] and new['order_ok']
" "$W/kill.rec" "$W/kill.json"
}

py_records_at_least() {
	[ -d "$1" ] || return 1
	$CHK records "$1" >"$W/.rec" 2>/dev/null || return 1
	py "$W/.rec" "assert len(g['records']) >= $2" 2>/dev/null
}
ok "agent SIGKILLed in an outage with a file spool: restarted, every complete record is replayed (dir 0700)" \
    killed

# ---- damaged spool files -----------------------------------------------------------------------

damaged() {   # damaged NAME corrupt|truncate
	dm=$1
	# shellcheck disable=SC2086
	agent_conf "$dm" $FAST "mqtt.brokers=localhost:$DEAD" \
	    "spool.dir=$W/$dm.spool" || return 1
	agent_start "$dm" || return 1
	net_wait 20 py_records_at_least "$W/$dm.spool" 15 || return 1
	agent_stop "$dm" || return 1
	$CHK damage "$W/$dm.spool" "$2" "$SEED" >"$W/$dm.dmg" || return 1
	py "$W/$dm.dmg" "print('damage:', g['what'], '->', len(g['kept']), 'kept')"
	k=$(py "$W/$dm.dmg" "print(len(g['kept']))")
	sub_start "$dm" "headroom/$dm/#" || return 1
	# shellcheck disable=SC2086
	agent_conf "$dm" $FAST "spool.dir=$W/$dm.spool" || return 1
	agent_start "$dm" || return 1
	net_wait 30 backfill_at_least "$dm" "$k" ||
	    { echo "fewer than $k backfilled"; return 1; }
	sleep 1
	agent_stop "$dm" || return 1
	sub_stop "$dm"
	$CHK got "$W/$dm.sub" "$dm" >"$W/$dm.json" || return 1
	"$NET_PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
want = sorted({r[0] for r in d['kept']})
old = [b for b in g if b['backfill'] > 0 and b['report'] == 0]
new = [b for b in g if b['report'] > 0]
assert len(new) == 1 and len(old) == (1 if want else 0), 'boots: %s' % g
got = old[0]['seqs'] if old else []
assert got == want, 'replayed %s, want %s' % (got, want)
assert new[0]['last']['damaged'] == d['damaged'], 'damaged %r, want %r' % (
    new[0]['last']['damaged'], d['damaged'])
assert new[0]['last']['loaded'] == len(d['kept'])
" "$W/$dm.dmg" "$W/$dm.json"
}
ok "spool file corrupted at a random byte (seed $SEED): no crash, that record skipped and counted, the others replayed" \
    damaged corrupt corrupt
ok "spool file truncated at a random byte (seed $SEED): no crash, a torn record skipped and counted, the others replayed" \
    damaged trunc truncate

# ---- a 120 s outage at a 1 s report interval ----------------------------------------------------

long_outage() {
	sub_start long "headroom/long/#" || return 1
	# shellcheck disable=SC2086
	agent_conf long $FAST agent.sample_period=1s agent.report_interval=1s ||
	    return 1
	agent_start long || return 1
	wait_lines "$W/long.sub" "headroom/long/report" 3 20 || return 1
	broker_stop
	sleep 120
	broker_start || return 1
	# until the backlog is delivered (10 a second) and live reports follow
	net_wait 60 backfill_at_least long 120 ||
	    { echo "fewer than 120 backfilled"; return 1; }
	sleep 4
	agent_stop long || return 1
	sub_stop long
	$CHK got "$W/long.sub" long >"$W/long.json" || return 1
	py "$W/long.json" "
assert len(g) == 1
b = g[0]
s = b['seqs']
print('seq 1..%d, %d live, %d backfill, %d duplicates' % (s[-1], b['report'],
      b['backfill'], b['dups']))
assert s == list(range(1, s[-1] + 1)), 'gaps: %s' % s
assert b['backfill'] - b['dups'] >= 120, 'backfill'
assert b['order_ok'], 'not in seq order'
assert b['last']['backlog'] == 0
assert sum(v for k, v in b['last'].items() if k.startswith('dropped')) == 0
" || return 1
	# the window stayed bounded ([mqtt] max_inflight = 20) throughout
	w=$(exit_field long "window max")
	[ -n "$w" ] && [ "$w" -ge 1 ] && [ "$w" -le 20 ] ||
	    { echo "window max '$w', want 1..20"; return 1; }
	# the birth says what the spool holds
	$CHK birth "$W/long.sub" long >"$W/long.birth" || return 1
	py "$W/long.birth" "
print('birth:', g)
assert g == {'spool.memory': 524288, 'spool.max_disk': 0,
             'spool.replay_rate': 10, 'spool.backlog': g['spool.backlog']}
assert g['spool.backlog'] >= 0
" || return 1
	# the central side's tool agrees: nothing missing after dedupe
	"$NET_PY" -c "
import sys
out = open(sys.argv[2], 'wb')
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    if f[1].endswith('/report') or f[1].endswith('/backfill'):
        out.write(bytes.fromhex(f[7]))
" "$W/long.sub" "$W/long.cbor" || return 1
	"$HR_BIN" decode --dedupe "$W/long.cbor" >/dev/null 2>"$W/long.dedupe" ||
	    { cat "$W/long.dedupe"; return 1; }
	grep -q "^dedupe: long boot .*: seq 1\.\.[0-9]*: [0-9]* reports, [0-9]* duplicates, 0 missing" \
	    "$W/long.dedupe" || { cat "$W/long.dedupe"; return 1; }
}
ok "broker stopped for 120 s at a 1 s report interval: every report arrives, in seq order, none twice after dedupe" \
    long_outage
