#!/bin/sh
# session.sh - the MQTT session as a subscriber sees it: birth and will
# (retained), clean stop, the runtime directory, configuration errors,
# SIGHUP reloads, MQTT 3.1.1, plain MQTT only on explicit request.
. "$(dirname "$0")/lib.sh"
net_setup
broker_start || exit 1
EXPECT="$NET_PY tests/net/expect.py"

# start NAME [SECTION.KEY=VALUE]...: subscriber, config, agent; wait for
# two reports
start() {
	s_name=$1
	shift
	sub_start "$s_name" "headroom/$s_name/#" || return 1
	agent_conf "$s_name" "$@" || return 1
	agent_start "$s_name" || return 1
	wait_lines "$W/$s_name.sub" "headroom/$s_name/report" 2 20 ||
	    { tail -n 20 "$W/$s_name.log"; return 1; }
}

will_on_kill() {
	start will mqtt.keepalive=5s || return 1
	agent_kill will
	# the broker publishes the will when the connection drops
	wait_lines "$W/will.sub" "headroom/will/status" 2 10 || return 1
	sub_stop will
	$EXPECT "$W/will.sub" will birth offline=lost
}
ok "SIGKILL: the broker publishes the will (retained offline, reason lost)" \
    will_on_kill

# a late subscriber gets the retained status
late_status() {
	sub_start late2 "headroom/will/status" || return 1
	wait_lines "$W/late2.sub" "headroom/will/status" 1 5 || return 1
	sub_stop late2
	grep -q "	1	" "$W/late2.sub" &&
	    $EXPECT "$W/late2.sub" will offline=lost
}
ok "a late subscriber receives the retained offline status" late_status

clean_stop() {
	start stop || return 1
	rd=$(ls -d "$W"/run/headroom.* 2>/dev/null)
	[ -n "$rd" ] || { echo "no runtime directory under $W/run"; return 1; }
	[ "$(stat -c %a "$rd")" = 700 ] || { echo "$rd is not 0700"; return 1; }
	# the socket path is unlinked once libmosquitto is connected
	[ -z "$(ls -A "$rd")" ] || { echo "left in $rd: $(ls -A "$rd")"; return 1; }
	agent_stop stop || { echo "exit status $AGENT_RC"; return 1; }
	[ ! -e "$rd" ] || { echo "$rd left behind"; return 1; }
	grep -q "run: stopped: reports" "$W/stop.log" || return 1
	wait_lines "$W/stop.sub" "headroom/stop/status" 2 5 || return 1
	sub_stop stop
	$EXPECT "$W/stop.sub" stop contiguous birth offline=stopped
}
mkdir -p "$W/run"
chmod 700 "$W/run"
export XDG_RUNTIME_DIR="$W/run"
ok "SIGTERM: offline status, clean exit 0, 0700 runtime dir emptied and removed" \
    clean_stop

stale_dir() {
	sh -c 'exit 0' &
	dead=$!
	wait "$dead"
	mkdir -p "$W/run/headroom.$dead" && : >"$W/run/headroom.$dead/mqtt.sock"
	start stale || return 1
	[ ! -e "$W/run/headroom.$dead" ] || { echo "stale dir kept"; return 1; }
	agent_stop stale
}
ok "a stale runtime directory of a dead agent is removed at start" stale_dir

bad_config() {
	agent_conf bad || return 1
	printf '\n[mqtt]\nqos = 7\nbogus = 1\n' >>"$W/bad.conf"
	"$HR_BIN" run -c "$W/bad.conf" >"$W/bad.out" 2>&1
	rc=$?
	[ "$rc" -eq 78 ] || { echo "exit $rc, want 78"; cat "$W/bad.out"; return 1; }
	grep -Eq "bad.conf:[0-9]+: \[mqtt\] qos:" "$W/bad.out" &&
	    grep -Eq "bad.conf:[0-9]+: \[mqtt\] bogus:" "$W/bad.out" ||
	    { cat "$W/bad.out"; return 1; }
	# and it never connected
	! grep -q "New client connected.*headroom-bad" "$W/mosquitto.log"
}
ok "a config with errors: file:line: [section] key, exit 78, no connection" \
    bad_config

reload() {
	start hup || return 1
	# a broken file: kept running with the old configuration
	cp "$W/hup.conf" "$W/hup.good"
	printf '\n[agent]\nsample_period = fast\n' >>"$W/hup.conf"
	kill -HUP "$AGENT_PID"
	wait_lines "$W/hup.log" "reload: .*keeping the running configuration" 1 5 ||
	    return 1
	grep -Eq "reload: .*hup.conf:[0-9]+: \[agent\] sample_period" \
	    "$W/hup.log" || return 1
	n=$(grep -c "headroom/hup/report" "$W/hup.sub")
	wait_lines "$W/hup.sub" "headroom/hup/report" $((n + 3)) 10 || return 1
	# a good file with a change: applied, still publishing
	sed 's/^report_interval = .*/report_interval = 300ms/' "$W/hup.good" \
	    >"$W/hup.conf"
	kill -HUP "$AGENT_PID"
	wait_lines "$W/hup.log" "reload: .*hup.conf loaded" 1 5 || return 1
	n=$(grep -c "headroom/hup/report" "$W/hup.sub")
	wait_lines "$W/hup.sub" "headroom/hup/report" $((n + 3)) 10 || return 1
	agent_stop hup || return 1
	sub_stop hup
	$EXPECT "$W/hup.sub" hup contiguous boots=1 &&
	    "$NET_PY" -c '
import json, subprocess, sys
out = subprocess.run([sys.executable, "tests/net/subdecode.py", sys.argv[1]],
                     capture_output=True, text=True).stdout
iv = [m["interval"] for m in map(json.loads, out.splitlines())
      if m["topic"].endswith("/report")]
sys.exit(0 if iv and abs(iv[-1] - 0.3) < 0.05 else "intervals %s" % iv[-5:])
' "$W/hup.sub"
}
ok "SIGHUP: a bad file is refused and logged, a good one applied" reload

mqtt311() {
	start v311 mqtt.version=3.1.1 || return 1
	agent_stop v311 || return 1
	sub_stop v311
	grep -q "MQTT 3.1.1" "$W/v311.log" &&
	    $EXPECT "$W/v311.sub" v311 reports=2 contiguous no-properties
}
ok "MQTT 3.1.1: reports arrive without MQTT 5 properties" mqtt311

plain() {
	start plain "mqtt.brokers=127.0.0.1:$P_PLAIN" tls.enabled=no \
	    tls.ca_file=- || return 1
	agent_stop plain || return 1
	sub_stop plain
	grep -q "plain MQTT to a loopback broker, INSECURE" "$W/plain.log" &&
	    $EXPECT "$W/plain.sub" plain reports=2 contiguous
}
ok "plain MQTT only with tls.enabled = no to loopback, logged as insecure" plain

plain_remote_refused() {
	agent_conf plainx mqtt.brokers=broker.example:1883 tls.enabled=no \
	    tls.ca_file=- || return 1
	"$HR_BIN" run -c "$W/plainx.conf" >"$W/plainx.out" 2>&1
	rc=$?
	[ "$rc" -eq 78 ] && grep -q "plainx.conf" "$W/plainx.out" ||
	    { echo "exit $rc"; cat "$W/plainx.out"; return 1; }
}
ok "plain MQTT to a non-loopback broker is a config error (78)" \
    plain_remote_refused
