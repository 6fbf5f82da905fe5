#!/bin/sh
# faults.sh - broker outages and a congested socket: the agent notices,
# reconnects with backoff and publishes again; WANT_WRITE (a tiny send
# buffer and a socket that takes a few bytes at a time) loses and
# corrupts nothing; SIGTERM with a frozen broker still ends in bounded
# time.  Every wait is bounded.
. "$(dirname "$0")/lib.sh"
net_setup
broker_start || exit 1
EXPECT="$NET_PY tests/net/expect.py"
FAST="mqtt.reconnect_min=200ms mqtt.reconnect_max=1s mqtt.keepalive=5s tls.handshake_timeout=2s"

# the highest report seq in a capture (0 if none)
last_seq() {
	"$NET_PY" -c '
import json, subprocess, sys
out = subprocess.run([sys.executable, "tests/net/subdecode.py", sys.argv[1]],
                     capture_output=True, text=True).stdout
s = [m["seq"] for m in map(json.loads, out.splitlines())
     if m["topic"].endswith("/report") and m.get("seq")]
print(max(s) if s else 0)' "$1"
}

# outage NAME HOW: the broker goes away (HOW = stop|kill) and comes back
outage() {
	o_name=$1
	sub_start "$o_name" "headroom/$o_name/#" || return 1
	# shellcheck disable=SC2086
	agent_conf "$o_name" $FAST || return 1
	agent_start "$o_name" || return 1
	wait_lines "$W/$o_name.sub" "headroom/$o_name/report" 3 20 || return 1
	"broker_$2" || return 1
	before=$(last_seq "$W/$o_name.sub")
	# the agent notices and keeps retrying while the broker is away
	wait_lines "$W/$o_name.log" "link: .*(session was lost|session ended|closed|refused)" 1 10 ||
	    { tail -n 20 "$W/$o_name.log"; return 1; }
	wait_lines "$W/$o_name.log" "link: connecting to" 3 10 || return 1
	broker_start || return 1
	wait_lines "$W/$o_name.log" "link: connected to" 2 20 ||
	    { tail -n 20 "$W/$o_name.log"; return 1; }
	# the subscriber reconnects by itself; new reports reach it
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$(last_seq "$W/$o_name.sub")" -gt $((before + 3)) ] && break
		sleep 0.2
		i=$((i + 1))
	done
	[ "$(last_seq "$W/$o_name.sub")" -gt $((before + 3)) ] ||
	    { echo "no new reports after the restart (last seq $before)"; return 1; }
	agent_stop "$o_name" || return 1
	sub_stop "$o_name"
	# one boot, every report decodes (duplicates are possible across a
	# reconnect with QoS 1: the spool issue proves the exact counts)
	$EXPECT "$W/$o_name.sub" "$o_name" boots=1 birth
}
ok "broker SIGTERM and restart: the agent reconnects and publishes again" \
    outage bterm stop
ok "broker SIGKILL and restart: the agent reconnects and publishes again" \
    outage bkill kill

frozen() {
	sub_start frozen "headroom/frozen/#" || return 1
	# shellcheck disable=SC2086
	agent_conf frozen $FAST || return 1
	agent_start frozen || return 1
	wait_lines "$W/frozen.sub" "headroom/frozen/report" 3 20 || return 1
	broker_pause
	# longer than the keepalive: libmosquitto's PINGREQ goes unanswered
	wait_lines "$W/frozen.log" "link: .*(session was lost|session ended)" 1 20 ||
	    { broker_resume; tail -n 20 "$W/frozen.log"; return 1; }
	# a frozen broker still accepts TCP: the handshake timeout ends it
	wait_lines "$W/frozen.log" "TLS handshake timed out" 1 10 ||
	    { broker_resume; tail -n 20 "$W/frozen.log"; return 1; }
	before=$(grep -c "headroom/frozen/report" "$W/frozen.sub")
	broker_resume
	wait_lines "$W/frozen.log" "link: connected to" 2 20 ||
	    { tail -n 20 "$W/frozen.log"; return 1; }
	wait_lines "$W/frozen.sub" "headroom/frozen/report" $((before + 3)) 20 ||
	    return 1
	agent_stop frozen || return 1
	sub_stop frozen
	$EXPECT "$W/frozen.sub" frozen boots=1
}
ok "broker SIGSTOP beyond keepalive: detected, handshake timeout, reconnect" \
    frozen

congested() {
	sub_start cong "headroom/cong/#" || return 1
	agent_conf cong mqtt.max_inflight=1000 || return 1
	HEADROOM_TEST_SNDBUF=1024 HEADROOM_TEST_TRICKLE=61 agent_start cong ||
	    return 1
	wait_lines "$W/cong.sub" "headroom/cong/report" 25 40 ||
	    { tail -n 20 "$W/cong.log"; return 1; }
	agent_stop cong || return 1
	wait_lines "$W/cong.sub" "headroom/cong/status" 2 5 || return 1
	sub_stop cong
	# WANT_WRITE really happened, and often
	ww=$(sed -n 's/.*want_write \([0-9]*\).*/\1/p' "$W/cong.log")
	[ "${ww:-0}" -gt 100 ] || { echo "want_write = ${ww:-none}"; return 1; }
	# every report made was received once, in order, and decodes
	made=$(sed -n 's/.*run: stopped: reports \([0-9]*\),.*/\1/p' "$W/cong.log")
	got=$(grep -c "headroom/cong/report" "$W/cong.sub")
	[ "$made" = "$got" ] || { echo "made $made reports, received $got"; return 1; }
	$EXPECT "$W/cong.sub" cong reports=25 contiguous birth offline=stopped
}
ok "tiny send buffer, WANT_WRITE on every other write: nothing lost or corrupted" \
    congested

stop_frozen() {
	sub_start sf "headroom/sf/#" || return 1
	agent_conf sf || return 1
	agent_start sf || return 1
	wait_lines "$W/sf.sub" "headroom/sf/report" 2 20 || return 1
	broker_pause
	t0=$(date +%s%N)
	agent_stop sf
	rc=$?
	t1=$(date +%s%N)
	broker_resume
	ms=$(( (t1 - t0) / 1000000 ))
	echo "stopped in $ms ms, exit $rc"
	# the stop sequence gives up after 2 s; allow scheduling slack
	[ "$rc" -eq 0 ] && [ "$ms" -lt 3500 ]
}
ok "SIGTERM while the broker is frozen: exit 0 within the 2 s stop bound" \
    stop_frozen
