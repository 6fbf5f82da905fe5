#!/bin/sh
# events.sh - indicators and events end to end, against a real Mosquitto
# over TLS: an application queue whose depth the test controls (a file
# queue) drives the headroom of one resource; the events on
# <prefix>/<id>/event are decoded with cbor2 (tests/net/subdecode.py) and
# checked field by field, reports carry the queue's indicators and the
# bottleneck, an event made in an outage is delivered after it, and a
# hung queue command never delays a report.  Every wait is bounded.
. "$(dirname "$0")/lib.sh"
net_setup
broker_start || exit 1
FAST="mqtt.reconnect_min=200ms mqtt.reconnect_max=1s mqtt.keepalive=5s tls.handshake_timeout=2s"
DEAD=$(free_port)              # nothing listens there: an outage

# py CODE ARGS...: run CODE (asserts) with sys.argv[1:] = ARGS
py() {
	pc=$1
	shift
	"$NET_PY" -c "
import json, sys
$pc
" "$@"
}

# queue_conf NAME QNAME PATH CAPACITY [KEY=VAL...]: add a file queue to
# NAME's config (agent_conf knows only the fixed sections)
queue_conf() {
	qc_name=$1 qc_q=$2 qc_path=$3 qc_cap=$4
	shift 4
	{
		printf '\n[queue.%s]\ntype = file\npath = %s\ncapacity = %s\n' \
		    "$qc_q" "$qc_path" "$qc_cap"
		for qc_a; do
			printf '%s = %s\n' "${qc_a%%=*}" "${qc_a#*=}"
		done
	} >>"$W/$qc_name.conf"
}

# events NAME: the decoded events of NAME's capture, one JSON per line
events() {
	decode_sub --check --values --topic "headroom/$1/event" "$W/$1.sub"
}

# the event checks shared by the tests: exact record names and values
EVCHECK='
def ev(line):
    d = json.loads(line)
    v = d["values"]
    p = d["bn"]                       # "<id>/"
    names = [n[len(p):] for n in d["names"]]
    return d, {k[len(p):]: x for k, x in v.items()}, names
'

# ---- headroom below its level: raised at once, cleared later -------------------------

headroom_event() {
	echo 10 >"$W/jobs.depth"
	sub_start hr "headroom/hr/#" || return 1
	# shellcheck disable=SC2086
	agent_conf hr $FAST events.anomaly=no events.hold=1s events.headroom_below=20% \
	    events.headroom_clear=40% || return 1
	queue_conf hr jobs "$W/jobs.depth" 100
	agent_start hr || return 1
	wait_lines "$W/hr.sub" "headroom/hr/report" 5 20 || return 1
	# flapping across the level faster than the hold: no event
	for i in 1 2 3 4 5 6; do
		echo 90 >"$W/jobs.depth"
		sleep 0.4
		echo 10 >"$W/jobs.depth"
		sleep 0.4
	done
	echo 90 >"$W/jobs.depth"
	t_low=$(date +%s.%N)
	wait_lines "$W/hr.sub" "headroom/hr/event" 1 10 || return 1
	t_ev=$(date +%s.%N)
	sleep 1.5
	echo 50 >"$W/jobs.depth"
	wait_lines "$W/hr.sub" "headroom/hr/event" 2 10 || return 1
	sleep 1.5                 # nothing more may come
	agent_stop hr || return 1
	sub_stop hr
	events hr >"$W/hr.events" || { cat "$W/hr.events"; return 1; }
	decode_sub --check --values --topic headroom/hr/report "$W/hr.sub" \
	    >"$W/hr.reports" || { cat "$W/hr.reports"; return 1; }
	py "$EVCHECK
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, 'want 2 events (flapping made none), got %d' % len(lines)
(d1, e1, n1), (d2, e2, n2) = ev(lines[0]), ev(lines[1])
print('raised:', e1)
print('cleared:', e2)
assert n1 == ['schema', 'boot', 'seq', 'event', 'state', 'resource', 'why',
              'headroom', 'level', 'held'], n1
assert not d1['retained'] and d1['qos'] == 1
assert e1['event'] == 'headroom' and e1['state'] == 'raised'
assert e1['resource'] == 'queue.jobs' and e1['why'] == 'depth'
assert abs(e1['headroom'] - 0.1) < 1e-3, e1['headroom']
assert abs(e1['level'] - 0.2) < 1e-3 and 1 <= e1['held'] < 2, e1
assert e2['event'] == 'headroom' and e2['state'] == 'cleared'
assert e2['resource'] == 'queue.jobs' and abs(e2['headroom'] - 0.5) < 1e-3
assert abs(e2['level'] - 0.4) < 1e-3, e2
# held: from the first low sample to the clear: the time the test took
# to see the event (at most ~2.5 s), 1.5 s, then the 1 s hold
assert 2.5 <= e2['held'] < 6.5, e2['held']
assert (e1['seq'], e2['seq']) == (1, 2), 'events have their own sequence'
reps = [json.loads(l) for l in open(sys.argv[2])]
assert e1['boot'] == reps[0]['boot'], 'boot differs from the reports'
# the event came at once, not with the next report: within hold + 1 s
lag = float(sys.argv[4]) - float(sys.argv[3])
assert lag < 2.5, 'event %.2f s after the depth changed' % lag
" "$W/hr.events" "$W/hr.reports" "$t_low" "$t_ev" || return 1
	# reports carry the queue and the bottleneck
	py "
reps = [json.loads(l)['values'] for l in open(sys.argv[1])]
p = 'hr/'
low = [r for r in reps if r.get(p + 'queue.jobs.depth') == 90]
assert low, 'no report with depth 90'
r = low[-1]
print({k: v for k, v in r.items() if 'queue' in k or 'bottleneck' in k})
# a capacity is sent when it changes: in the first report
caps = [x[p + 'queue.jobs.capacity'] for x in reps
        if p + 'queue.jobs.capacity' in x]
assert caps and caps[0] == 100, caps
assert abs(r[p + 'queue.jobs.util'] - 0.9) < 1e-3
assert abs(r[p + 'queue.jobs.headroom'] - 0.1) < 1e-3
assert r[p + 'bottleneck.res'] == 'queue.jobs'
assert r[p + 'bottleneck.why'] == 'depth'
assert abs(r[p + 'bottleneck.headroom'] - 0.1) < 1e-3
" "$W/hr.reports" || return 1
	# the exit line counts them
	grep -q "events 2 (raised 1, cleared 1)" "$W/hr.log" ||
	    { grep "run: stopped" "$W/hr.log"; return 1; }
}
ok "headroom below its level for the hold: one raised event at once on <id>/event, one cleared later, none while flapping; reports carry the queue and the bottleneck" \
    headroom_event

# ---- time to exhaustion below the horizon --------------------------------------------

exhaustion_event() {
	echo 0 >"$W/fill.depth"
	sub_start tte "headroom/tte/event" || return 1
	# a 1 min trend window (warm after half of it) at 100 ms samples
	# shellcheck disable=SC2086
	agent_conf tte $FAST events.anomaly=no forecast.horizon=1m events.hold=1s \
	    events.exhaustion_within=1h agent.report_interval=1s || return 1
	queue_conf tte fill "$W/fill.depth" 1000
	agent_start tte || return 1
	# +1 every 0.25 s: 4/s, full at 1000: 250 s from 0
	( i=0; while [ $i -lt 260 ]; do
		echo $i >"$W/fill.depth.tmp" && mv "$W/fill.depth.tmp" "$W/fill.depth"
		i=$((i + 1)); sleep 0.25
	  done ) &
	FILLER=$!
	net_remember $FILLER
	wait_lines "$W/tte.sub" "headroom/tte/event" 1 60
	rc=$?
	kill $FILLER 2>/dev/null
	net_reap $FILLER 2
	[ $rc -eq 0 ] || return 1
	t_ev=$(date +%s.%N)
	depth=$(cat "$W/fill.depth")
	# a reset (the queue drained): the condition clears
	echo 0 >"$W/fill.depth"
	wait_lines "$W/tte.sub" "headroom/tte/event" 2 20 || return 1
	agent_stop tte || return 1
	sub_stop tte
	events tte >"$W/tte.events" || { cat "$W/tte.events"; return 1; }
	py "$EVCHECK
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, len(lines)
(d1, e1, n1), (d2, e2, n2) = ev(lines[0]), ev(lines[1])
print('raised:', e1)
print('cleared:', e2)
assert n1 == ['schema', 'boot', 'seq', 'event', 'state', 'resource', 'why',
              'headroom', 'level', 'tte', 'held'], n1
assert e1['event'] == 'exhaustion' and e1['state'] == 'raised'
assert e1['resource'] == 'queue.fill' and e1['level'] == 3600
# the truth at that moment: (1000 - depth) / 4 per second
depth = e1['headroom'] and (1 - e1['headroom']) * 1000
truth = (1000 - depth) / 4.0
err = (e1['tte'] - truth) / truth
print('tte %.0f s, truth %.0f s, error %+.1f%%' % (e1['tte'], truth, 100 * err))
assert abs(err) <= 0.2, 'tte off by more than 20%%'
assert e2['event'] == 'exhaustion' and e2['state'] == 'cleared'
assert 'tte' not in e2, 'a cleared exhaustion has no forecast'
" "$W/tte.events" || return 1
}
ok "time to exhaustion below [events] exhaustion_within: a raised event with a forecast within 20 % of the truth, cleared when the queue drains" \
    exhaustion_event

# ---- an event made in an outage -------------------------------------------------------

outage_event() {
	echo 5 >"$W/out.depth"
	sub_start out "headroom/out/#" || return 1
	# shellcheck disable=SC2086
	agent_conf out $FAST events.anomaly=no "mqtt.brokers=localhost:$DEAD" events.hold=500ms \
	    || return 1
	queue_conf out q "$W/out.depth" 10
	agent_start out || return 1
	sleep 1
	echo 10 >"$W/out.depth"             # full: headroom 0
	wait_lines "$W/out.log" "event 1: headroom raised on queue.q" 1 10 ||
	    return 1
	t_made=$(date +%s)
	sleep 1
	# shellcheck disable=SC2086
	agent_conf out $FAST events.anomaly=no events.hold=500ms || return 1
	queue_conf out q "$W/out.depth" 10
	kill -HUP "$AGENT_PID"
	wait_lines "$W/out.sub" "headroom/out/event" 1 20 || return 1
	agent_stop out || return 1
	sub_stop out
	events out >"$W/out.events" || { cat "$W/out.events"; return 1; }
	py "$EVCHECK
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, len(lines)
d, e, n = ev(lines[0])
print(e)
assert e['state'] == 'raised' and e['resource'] == 'queue.q'
assert e['headroom'] == 0 and e['seq'] == 1
# its time is when it was made, not when it was delivered
assert abs(d['bt'] - int(sys.argv[2])) <= 2, (d['bt'], sys.argv[2])
" "$W/out.events" "$t_made" || return 1
	grep "headroom/out/backfill" "$W/out.sub" >/dev/null ||
	    { echo "no report was backfilled: was there an outage?"; return 1; }
}
ok "an event raised in a broker outage goes through the spool: delivered on the event topic after the outage, with the time it was made" \
    outage_event

# ---- a hung queue command ---------------------------------------------------------------

hung_command() {
	sub_start hung "headroom/hung/report" || return 1
	# shellcheck disable=SC2086
	agent_conf hung $FAST events.anomaly=no || return 1
	cat >>"$W/hung.conf" <<EOF

[queue.stuck]
type = exec
command = /bin/sleep 30.4242
timeout = 1s
capacity = 10
EOF
	agent_start hung || return 1
	wait_lines "$W/hung.sub" "headroom/hung/report" 1 20 || return 1
	n0=$(grep -c "headroom/hung/report" "$W/hung.sub")
	sleep 4
	n1=$(grep -c "headroom/hung/report" "$W/hung.sub")
	agent_stop hung || return 1
	sub_stop hung
	echo "reports in 4 s: $((n1 - n0)) (one every 200 ms)"
	# 20 due; a blocked loop would make at most a few
	[ $((n1 - n0)) -ge 17 ] || return 1
	grep -q "queue stuck: timed out" "$W/hung.log" ||
	    { echo "no 'timed out' warning"; return 1; }
	[ "$(grep -c "queue stuck: timed out" "$W/hung.log")" -eq 1 ] ||
	    { echo "the warning was repeated"; return 1; }
	decode_sub --check --values "$W/hung.sub" >"$W/hung.reports" || return 1
	py "
reps = [json.loads(l)['values'] for l in open(sys.argv[1])]
fails = sum(r.get('hung/queue.stuck.fail', 0) for r in reps)
print('queue.stuck.fail total', fails)
assert fails >= 3, fails
assert not any('hung/queue.stuck.depth' in r for r in reps)
" "$W/hung.reports" || return 1
	if pgrep -f "sleep 30.4242" >/dev/null; then
		echo "a command was left running"
		return 1
	fi
}
ok "a queue command that hangs is killed at its timeout, logged once and counted in queue.NAME.fail; reports keep their 200 ms interval; nothing is left running" \
    hung_command

# ---- an anomaly: a queue steady for a while, then a spike ------------------------------

anomaly_event() {
	echo 20 >"$W/an.depth"
	sub_start an "headroom/an/#" || return 1
	# shellcheck disable=SC2086
	agent_conf an $FAST events.anomaly=yes agent.report_interval=1s || return 1
	queue_conf an jobs "$W/an.depth" 100
	agent_start an || return 1
	# 24 s of a queue wobbling 19..21: its detectors learn what is
	# usual (no flag can rise before ~66 values: anomaly.h)
	i=0
	while [ $i -lt 120 ]; do
		echo $((19 + i % 3)) >"$W/an.depth.tmp" &&
		    mv "$W/an.depth.tmp" "$W/an.depth"
		i=$((i + 1))
		sleep 0.2
	done
	echo 95 >"$W/an.depth"
	sleep 0.5
	echo 20 >"$W/an.depth"
	# raised, then cleared after the flag's quiet samples
	t0=$(date +%s)
	until [ "$(decode_sub --check --values --topic headroom/an/event \
	    "$W/an.sub" 2>/dev/null | grep -c '"queue.jobs"')" -ge 2 ]; do
		[ $(($(date +%s) - t0)) -lt 15 ] ||
		    { echo "no raise and clear on queue.jobs in 15 s"; break; }
		sleep 0.5
	done
	sleep 1.5
	agent_stop an || return 1
	sub_stop an
	events an >"$W/an.events" || { cat "$W/an.events"; return 1; }
	decode_sub --check --values --topic headroom/an/report "$W/an.sub" \
	    >"$W/an.reports" || return 1
	py "$EVCHECK
evs = [ev(l) for l in open(sys.argv[1]).read().splitlines()]
q = [(d, e, n) for d, e, n in evs if e.get('resource') == 'queue.jobs']
for d, e, n in evs:
    print(e)
assert len(q) == 2, 'want one raise and one clear on queue.jobs: %d' % len(q)
(d1, e1, n1), (d2, e2, n2) = q
assert n1 == ['schema', 'boot', 'seq', 'event', 'state', 'resource', 'why',
              'headroom', 'level', 'score', 'held'], n1
assert e1['event'] == 'anomaly' and e1['state'] == 'raised', e1
assert e1['why'] == 'util', e1
assert abs(e1['level'] - 0.93) < 1e-3, e1        # ANOM_RAISE
assert 0.929 <= e1['score'] <= 1, e1
assert abs(e1['headroom'] - 0.05) < 1e-3, e1     # the spike's depth, 95
assert e2['event'] == 'anomaly' and e2['state'] == 'cleared', e2
assert e2['why'] == 'util' and e2['score'] < 0.466, e2   # 0.5 x 0.93
# the flag clears after 10 quiet samples (1 s at 100 ms), at most a few
assert 0.5 <= e2['held'] <= 5, e2
reps = [json.loads(l)['values'] for l in open(sys.argv[2])]
p = 'an/'
k = p + 'queue.jobs.util.anom'
hot = [r for r in reps if k in r]
print('reports with', k, [r[k] for r in hot])
assert hot and max(r[k] for r in hot) >= 0.929
assert all(p + 'anomaly.rate' in r and p + 'anomaly.max' in r
           for r in reps[1:]), 'every report carries the host figures'
assert any(r[p + 'anomaly.rate'] > 0 for r in hot)
" "$W/an.events" "$W/an.reports" || return 1
}
ok "an anomaly: a steady queue's spike raises one anomaly event (why util, score >= 0.93) and clears it after the flag's quiet samples; reports carry queue.jobs.util.anom >= 0.93 and a nonzero anomaly.rate in that interval" \
    anomaly_event
