# lib.sh - helpers for the network tests (sourced, not run; POSIX sh).
#
# A test is tests/net/NAME.sh; it starts with
#     . "$(dirname "$0")/lib.sh"
# and speaks TAP through the helpers of tests/cli/lib.sh (sourced here:
# "ok NAME CMD...", "status N NAME CMD..."; HR_BIN, FIX, TMP).  Sourcing
# this file changes to the top of the source tree, as tests/run.sh does.
#
# Everything runs on 127.0.0.1 with a Mosquitto and credentials of the
# test's own (tools/gen-certs).  Processes are started in the background
# of the test's shell and stopped by pid; call the *_start functions
# directly, never inside $(...) or a pipeline, or their pids are lost.
#
#   net_setup              work dir $W (exported), certificates in $CERTS
#                          (= $W/certs); a trap stops everything and
#                          removes $W on exit (HR_KEEP=1 keeps it)
#   free_port [N]          print N (default 1) distinct free ports
#   broker_start           start mosquitto on the ports below (chosen on
#                          the first call, reused after a stop or kill);
#                          sets BROKER_PID
#     P_PLAIN      plain MQTT, anonymous (test subscribers)
#     P_TLS        TLS (broker.crt), anonymous
#     P_MTLS       TLS, client certificate required (CN = user name)
#     P_PSK        TLS-PSK (identity headroom-test, key certs/psk.hex)
#     P_EXP        TLS with an expired certificate
#     P_WRONGNAME  TLS with a certificate for wrong.example
#     P_OTHERCA    TLS with a certificate from an unrelated CA
#     P_AUTH       TLS, user headroom with the password in certs/password
#     (NET_PERSIST=1 before the first broker_start: persistence on, so
#     a persistent subscriber, SUB_OPTS="-c -x 3600 ...", keeps its
#     session and queued messages across broker_stop/broker_start)
#   broker_stop            SIGTERM, wait (bounded; then SIGKILL)
#   broker_kill            SIGKILL
#   broker_pause           SIGSTOP (still accepts TCP, answers nothing)
#   broker_resume          SIGCONT
#   sub_start NAME TOPIC...  subscriber on P_PLAIN (MQTT 5, QoS 1, retain
#                          as published; more options in SUB_OPTS) writing
#                          one line per message to $W/NAME.sub; returns
#                          once the subscription is active; sets SUB_PID
#   sub_stop NAME
#   wait_lines FILE PATTERN N SECONDS
#                          wait until FILE has N lines matching grep -E
#                          PATTERN; non-zero (and a message) on timeout
#   agent_conf NAME [SECTION.KEY=VALUE|SECTION.KEY=-]...
#                          write $W/NAME.conf: the base config with keys
#                          set or ("-") removed; keys must exist in
#                          config/headroom.conf (else status 2).  Base:
#                          agent.id = NAME, agent.sample_period = 100ms,
#                          agent.report_interval = 200ms, agent.root =
#                          <tree>/tests/fixtures/reference, mqtt.brokers =
#                          localhost:$P_TLS (call it after broker_start),
#                          tls.ca_file = $CERTS/ca.crt, log.level = debug
#   agent_start NAME [ARGS...]  "$HR_BIN" run -c $W/NAME.conf ARGS, output
#                          appended to $W/NAME.log (agent_conf NAME first
#                          if there is no $W/NAME.conf); sets AGENT_PID
#   agent_stop [NAME|PID]  SIGTERM, wait at most 5 s (then SIGKILL);
#                          returns the agent's exit status (also AGENT_RC)
#   agent_kill [NAME|PID]  SIGKILL
#   decode_sub FILE [OPTIONS]  tests/net/subdecode.py: one JSON line per
#                          captured message
#   net_alive PID          true while PID runs (a zombie is not running)
#   net_wait SECONDS CMD...  retry CMD every 0.1 s until it succeeds
#
# Capture line ($W/NAME.sub), tab-separated, one per message:
#   RECEIVED_UNIX_TIME  TOPIC  RETAIN(0|1)  QOS  PAYLOAD_LENGTH
#   CONTENT_TYPE  MESSAGE_EXPIRY  PAYLOAD_HEX
# (content type and expiry are empty when the message has none).

if [ -z "${NET_TOP:-}" ]; then
	NET_TOP=$(cd "$(dirname "$0")/../.." 2>/dev/null && pwd)
	if [ ! -f "$NET_TOP/tests/net/lib.sh" ]; then
		NET_TOP=$(pwd)
	fi
fi
if [ ! -f "$NET_TOP/tests/cli/lib.sh" ]; then
	echo "lib.sh: cannot find the source tree (tests/cli/lib.sh) from $0" >&2
	exit 1
fi
cd "$NET_TOP" || exit 1
. "$NET_TOP/tests/cli/lib.sh"

NET_PY=${PYTHON:-/usr/bin/python3}
NET_FMT='%U\t%t\t%r\t%q\t%l\t%C\t%E\t%x'
NET_SUBN=0
# extra mosquitto_sub options of sub_start: by default the retain flag of
# every message is the publisher's (MQTT 5 "retain as published")
SUB_OPTS=${SUB_OPTS---retain-as-published}
W=
CERTS=

# ---- processes ------------------------------------------------------------------

net_alive() {
	[ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
	# a zombie (exited, not yet reaped) is not running
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	case $st in Z*|X*) return 1 ;; esac
	return 0
}

net_dead() {
	! net_alive "$1"
}

# net_wait SECONDS CMD...: retry CMD every 0.1 s until it succeeds; at
# most SECONDS * 10 tries and SECONDS + 1 seconds of wall time
net_wait() {
	nw_tries=$(awk -v s="$1" 'BEGIN { n = int(s * 10); print (n < 1) ? 1 : n }')
	nw_end=$(awk -v s="$1" -v now="$(date +%s)" 'BEGIN { print now + int(s) + 1 }')
	shift
	while :; do
		"$@" && return 0
		nw_tries=$((nw_tries - 1))
		[ "$nw_tries" -gt 0 ] && [ "$(date +%s)" -le "$nw_end" ] || return 1
		sleep 0.1
	done
}

# net_reap PID SECONDS: wait for PID to end (bounded), then collect its
# exit status in NET_RC; SIGKILL if it did not end in time (returns 1)
net_reap() {
	NET_RC=
	nr_ok=0
	if net_wait "$2" net_dead "$1"; then
		nr_ok=1
	else
		kill -KILL "$1" 2>/dev/null
		kill -CONT "$1" 2>/dev/null
		net_wait 2 net_dead "$1"
	fi
	wait "$1" 2>/dev/null
	NET_RC=$?
	net_forget "$1"
	[ "$nr_ok" -eq 1 ]
}

# the pids to stop at exit, one per line in $W/.pids
net_remember() {
	echo "$1" >>"$W/.pids"
}

net_forget() {
	[ -f "$W/.pids" ] || return 0
	grep -vx "$1" "$W/.pids" >"$W/.pids.new"
	mv -f "$W/.pids.new" "$W/.pids"
}

net_cleanup() {
	[ -n "${NET_CLEANED:-}" ] && return 0
	NET_CLEANED=1
	if [ -n "$W" ] && [ -f "$W/.pids" ]; then
		for p in $(cat "$W/.pids"); do
			kill -TERM "$p" 2>/dev/null
			kill -CONT "$p" 2>/dev/null     # a paused broker
		done
		for p in $(cat "$W/.pids"); do
			net_wait 3 net_dead "$p" || kill -KILL "$p" 2>/dev/null
		done
		for p in $(cat "$W/.pids"); do
			net_wait 2 net_dead "$p"
			wait "$p" 2>/dev/null
		done
		rm -f "$W/.pids"
	fi
	if [ -n "$W" ] && [ -d "$W" ]; then
		if [ "${HR_KEEP:-0}" = 1 ]; then
			echo "# kept the work dir: $W"
		else
			rm -rf "$W"
		fi
	fi
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# net_need FUNCTION: net_setup was called
net_need() {
	[ -n "$W" ] && [ -d "$W" ] && return 0
	echo "$1: call net_setup first" >&2
	return 1
}

net_setup() {
	W=$(mktemp -d "${TMPDIR:-/tmp}/headroom-net.XXXXXX") || {
		echo "net_setup: mktemp failed" >&2
		exit 1
	}
	CERTS=$W/certs
	export W CERTS
	: >"$W/.pids"
	trap 'net_cleanup' EXIT
	trap 'net_cleanup; trap - EXIT; exit 130' INT
	trap 'net_cleanup; trap - EXIT; exit 143' TERM
	"$NET_TOP/tools/gen-certs" "$CERTS" || {
		echo "net_setup: tools/gen-certs failed" >&2
		exit 1
	}
}

# ---- ports and broker ---------------------------------------------------------------

# free_port [N]: N distinct ports that were free on 127.0.0.1 (all bound
# at once by the kernel's choice, then released)
free_port() {
	"$NET_PY" - "${1:-1}" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

# ports_listen PORT...: something listens on each port of 127.0.0.1 (read
# from /proc/net/tcp: a probe connection would leave TLS errors in the
# broker's log)
ports_listen() {
	"$NET_PY" - "$@" <<'EOF'
import sys
want = {"0100007F:%04X" % int(p) for p in sys.argv[1:]}
with open("/proc/net/tcp") as f:
    for line in f.readlines()[1:]:
        x = line.split()
        if x[3] == "0A":            # TCP_LISTEN
            want.discard(x[1])
sys.exit(1 if want else 0)
EOF
}

broker_conf() {
	c=$CERTS
	net_tls_lines() {     # net_tls_lines CERTNAME
		printf 'cafile %s\ncertfile %s\nkeyfile %s\n' \
			"$c/ca.crt" "$c/$1.crt" "$c/broker.key"
	}
	{
		echo "# written by tests/net/lib.sh"
		echo "per_listener_settings true"
		# NET_PERSIST=1: sessions (and messages queued for an offline
		# persistent subscriber) survive a broker stop and restart
		if [ "${NET_PERSIST:-0}" = 1 ]; then
			echo "persistence true"
			echo "persistence_location $W/"
		else
			echo "persistence false"
		fi
		echo "log_dest file $W/mosquitto.log"
		echo "log_type all"
		# as root, mosquitto drops to user "mosquitto", which cannot
		# read $W (0700): stay who we are
		echo "user $(id -un)"
		echo
		echo "listener $P_PLAIN 127.0.0.1"
		echo "allow_anonymous true"
		echo
		echo "listener $P_TLS 127.0.0.1"
		net_tls_lines broker
		echo "allow_anonymous true"
		echo
		echo "listener $P_MTLS 127.0.0.1"
		net_tls_lines broker
		echo "require_certificate true"
		echo "use_identity_as_username true"
		echo "allow_anonymous false"
		echo
		echo "listener $P_PSK 127.0.0.1"
		echo "psk_hint headroom"
		echo "psk_file $c/mosquitto.psk"
		echo "allow_anonymous true"
		echo
		echo "listener $P_EXP 127.0.0.1"
		net_tls_lines broker-expired
		echo "allow_anonymous true"
		echo
		echo "listener $P_WRONGNAME 127.0.0.1"
		net_tls_lines wrongname
		echo "allow_anonymous true"
		echo
		echo "listener $P_OTHERCA 127.0.0.1"
		net_tls_lines broker-other
		echo "allow_anonymous true"
		echo
		echo "listener $P_AUTH 127.0.0.1"
		net_tls_lines broker
		echo "password_file $c/mosquitto.passwd"
		echo "allow_anonymous false"
	} >"$W/mosquitto.conf"
}

# broker_up FROM: the broker started after log line FROM says it runs and
# listens on every port
broker_up() {
	tail -n "+$1" "$W/mosquitto.log" 2>/dev/null |
		grep -q 'mosquitto version .* running' &&
		# shellcheck disable=SC2086
		ports_listen $NET_PORTS
}

broker_start() {
	net_need broker_start || return 1
	if net_alive "${BROKER_PID:-}"; then
		echo "broker_start: the broker runs already (pid $BROKER_PID)" >&2
		return 1
	fi
	command -v mosquitto >/dev/null 2>&1 || {
		echo "broker_start: mosquitto not found" >&2
		return 1
	}
	if [ -z "${P_PLAIN:-}" ]; then
		# shellcheck disable=SC2046
		set -- $(free_port 8)
		[ $# -eq 8 ] || { echo "broker_start: no free ports" >&2; return 1; }
		P_PLAIN=$1 P_TLS=$2 P_MTLS=$3 P_PSK=$4 P_EXP=$5 P_WRONGNAME=$6 \
			P_OTHERCA=$7 P_AUTH=$8
		export P_PLAIN P_TLS P_MTLS P_PSK P_EXP P_WRONGNAME P_OTHERCA P_AUTH
		NET_PORTS="$*"
		broker_conf
	fi
	touch "$W/mosquitto.log"
	from=$(($(wc -l <"$W/mosquitto.log") + 1))
	mosquitto -c "$W/mosquitto.conf" >>"$W/mosquitto.out" 2>&1 &
	BROKER_PID=$!
	export BROKER_PID
	net_remember "$BROKER_PID"
	if net_wait 5 broker_up "$from" && net_alive "$BROKER_PID"; then
		return 0
	fi
	echo "broker_start: mosquitto did not come up on $NET_PORTS" >&2
	kill -TERM "$BROKER_PID" 2>/dev/null
	net_reap "$BROKER_PID" 2
	BROKER_PID=
	tail -n "+$from" "$W/mosquitto.log" | sed 's/^/  log: /' >&2
	sed 's/^/  out: /' "$W/mosquitto.out" >&2
	return 1
}

broker_stop() {
	[ -n "${BROKER_PID:-}" ] || { echo "broker_stop: no broker" >&2; return 1; }
	kill -TERM "$BROKER_PID" 2>/dev/null
	kill -CONT "$BROKER_PID" 2>/dev/null
	net_reap "$BROKER_PID" 5 ||
		echo "broker_stop: mosquitto ignored SIGTERM for 5 s, killed" >&2
	BROKER_PID=
}

broker_kill() {
	[ -n "${BROKER_PID:-}" ] || { echo "broker_kill: no broker" >&2; return 1; }
	kill -KILL "$BROKER_PID" 2>/dev/null
	net_reap "$BROKER_PID" 5
	BROKER_PID=
}

broker_pause() {
	[ -n "${BROKER_PID:-}" ] && kill -STOP "$BROKER_PID"
}

broker_resume() {
	[ -n "${BROKER_PID:-}" ] && kill -CONT "$BROKER_PID"
}

# ---- subscribers ------------------------------------------------------------------------

sub_start() {
	[ $# -ge 2 ] || { echo "usage: sub_start NAME TOPIC..." >&2; return 2; }
	ss_name=$1
	shift
	net_need sub_start || return 1
	[ -n "${P_PLAIN:-}" ] || { echo "sub_start: no broker" >&2; return 1; }
	NET_SUBN=$((NET_SUBN + 1))
	ss_id="hrsub-$ss_name-$$-$NET_SUBN"
	ss_n=$#
	while [ "$ss_n" -gt 0 ]; do     # TOPIC... -> -t TOPIC ...
		ss_t=$1
		shift
		set -- "$@" -t "$ss_t"
		ss_n=$((ss_n - 1))
	done
	touch "$W/mosquitto.log"
	# shellcheck disable=SC2086
	mosquitto_sub -h 127.0.0.1 -p "$P_PLAIN" -V mqttv5 -q 1 -i "$ss_id" \
		$SUB_OPTS -F "$NET_FMT" "$@" >"$W/$ss_name.sub" 2>"$W/$ss_name.sub.err" &
	SUB_PID=$!
	export SUB_PID
	net_remember "$SUB_PID"
	echo "$SUB_PID" >"$W/$ss_name.sub.pid"
	# the broker logs the SUBACK after it added the subscriptions
	if net_wait 5 grep -q "Sending SUBACK to $ss_id\$" "$W/mosquitto.log" &&
	    net_alive "$SUB_PID"; then
		return 0
	fi
	echo "sub_start: subscriber $ss_name did not subscribe in 5 s" >&2
	sed 's/^/  err: /' "$W/$ss_name.sub.err" >&2
	sub_stop "$ss_name"
	return 1
}

sub_stop() {
	[ -f "$W/$1.sub.pid" ] || { echo "sub_stop: no subscriber $1" >&2; return 1; }
	ss_pid=$(cat "$W/$1.sub.pid")
	kill -TERM "$ss_pid" 2>/dev/null
	net_reap "$ss_pid" 3
	rm -f "$W/$1.sub.pid"
	return 0
}

# wl_have FILE PATTERN N: FILE has N lines matching (count in wl_got)
wl_have() {
	wl_got=$(grep -Ec -- "$2" "$1" 2>/dev/null) || wl_got=0
	[ "$wl_got" -ge "$3" ]
}

# wait_lines FILE PATTERN N SECONDS
wait_lines() {
	[ $# -eq 4 ] || { echo "usage: wait_lines FILE PATTERN N SECONDS" >&2; return 2; }
	net_wait "$4" wl_have "$1" "$2" "$3" && return 0
	echo "wait_lines: $1 has $wl_got line(s) matching '$2' after $4 s, want $3" >&2
	return 1
}

decode_sub() {
	"$NET_PY" "$NET_TOP/tests/net/subdecode.py" "$@"
}

# ---- the agent ------------------------------------------------------------------------------

# the sections and keys of config/headroom.conf, as "section.key" lines
conf_keys() {
	awk '
		/^\[[a-z_]+\]/ { s = substr($0, 2, index($0, "]") - 2); next }
		s != "" && /^#?[a-z_0-9]+ *=/ {
			k = $0; sub(/^#/, "", k); sub(/ *=.*/, "", k)
			print s "." k
		}' "$NET_TOP/config/headroom.conf"
}

agent_conf() {
	[ $# -ge 1 ] || { echo "usage: agent_conf NAME [SECTION.KEY=VALUE]..." >&2; return 2; }
	ac_name=$1
	shift
	net_need agent_conf || return 1
	ac_kv=$W/.$ac_name.kv
	{
		printf 'agent\tid\t%s\n' "$ac_name"
		printf 'agent\tsample_period\t100ms\n'
		printf 'agent\treport_interval\t200ms\n'
		printf 'agent\troot\t%s\n' "$NET_TOP/tests/fixtures/reference"
		printf 'mqtt\tbrokers\tlocalhost:%s\n' "${P_TLS:-8883}"
		printf 'tls\tca_file\t%s\n' "$CERTS/ca.crt"
		printf 'log\tlevel\tdebug\n'
	} >"$ac_kv"
	conf_keys >"$W/.conf-keys"
	for ac_a; do
		case $ac_a in
		[a-z]*.[a-z]*=*) ;;
		*)
			echo "agent_conf: '$ac_a' is not SECTION.KEY=VALUE" >&2
			return 2
			;;
		esac
		ac_sk=${ac_a%%=*}
		ac_v=${ac_a#*=}
		if ! grep -qxF -- "$ac_sk" "$W/.conf-keys"; then
			echo "agent_conf: no key $ac_sk in config/headroom.conf" >&2
			return 2
		fi
		case $ac_v in
		*'
'*|*'	'*)
			echo "agent_conf: $ac_sk: the value has a newline or a tab" >&2
			return 2
			;;
		esac
		printf '%s\t%s\t%s\n' "${ac_sk%%.*}" "${ac_sk#*.}" "$ac_v" >>"$ac_kv"
	done
	# last value wins, "-" removes; sections and keys in first-seen order
	awk -F '\t' '
		!(($1, $2) in val) { keys[$1] = keys[$1] SUBSEP $2 }
		!($1 in seen) { seen[$1] = 1; order[++ns] = $1 }
		{ val[$1, $2] = $3 }
		END {
			print "# written by tests/net/lib.sh (agent_conf)"
			for (i = 1; i <= ns; i++) {
				s = order[i]
				n = split(substr(keys[s], 2), ks, SUBSEP)
				out = ""
				for (j = 1; j <= n; j++)
					if (val[s, ks[j]] != "-")
						out = out ks[j] " = " val[s, ks[j]] "\n"
				if (out != "")
					printf "\n[%s]\n%s", s, out
			}
		}' "$ac_kv" >"$W/$ac_name.conf"
}

agent_start() {
	[ $# -ge 1 ] || { echo "usage: agent_start NAME [ARGS]..." >&2; return 2; }
	as_name=$1
	shift
	net_need agent_start || return 1
	[ -x "$HR_BIN" ] || { echo "agent_start: $HR_BIN is not executable" >&2; return 1; }
	[ -f "$W/$as_name.conf" ] || agent_conf "$as_name" || return 1
	"$HR_BIN" run -c "$W/$as_name.conf" "$@" >>"$W/$as_name.log" 2>&1 &
	AGENT_PID=$!
	export AGENT_PID
	net_remember "$AGENT_PID"
	echo "$AGENT_PID" >"$W/$as_name.pid"
	return 0
}

# agent_pid [NAME|PID]: the pid meant (default $AGENT_PID)
agent_pid() {
	case ${1:-} in
	'') echo "${AGENT_PID:-}" ;;
	*[!0-9]*) cat "$W/$1.pid" 2>/dev/null ;;
	*) echo "$1" ;;
	esac
}

agent_stop() {
	ap=$(agent_pid "${1:-}")
	[ -n "$ap" ] || { echo "agent_stop: no agent ${1:-}" >&2; return 1; }
	kill -TERM "$ap" 2>/dev/null
	if ! net_reap "$ap" 5; then
		echo "agent_stop: agent (pid $ap) still ran 5 s after SIGTERM, killed" >&2
	fi
	AGENT_RC=$NET_RC
	return "$AGENT_RC"
}

agent_kill() {
	ap=$(agent_pid "${1:-}")
	[ -n "$ap" ] || { echo "agent_kill: no agent ${1:-}" >&2; return 1; }
	kill -KILL "$ap" 2>/dev/null
	net_reap "$ap" 5
	AGENT_RC=$NET_RC
	return 0
}
