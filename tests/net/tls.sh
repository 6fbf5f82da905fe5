#!/bin/sh
# tls.sh - the agent against a real Mosquitto (OpenSSL) over mbed TLS:
# server-auth, mutual TLS, PSK, public-key pin, password, broker given by
# IP address; and each failure refused with its cause in words, retried
# with backoff, nothing delivered.
. "$(dirname "$0")/lib.sh"
net_setup
broker_start || exit 1
EXPECT="$NET_PY tests/net/expect.py"

# delivers NAME [SECTION.KEY=VALUE]...: reports arrive, decode with
# cbor2, seq 1..n, retained birth, offline on stop, MQTT 5 properties
delivers() {
	d_name=$1
	shift
	sub_start "$d_name" "headroom/$d_name/#" || return 1
	agent_conf "$d_name" "$@" || return 1
	agent_start "$d_name" || return 1
	if ! wait_lines "$W/$d_name.sub" "headroom/$d_name/report" 3 20; then
		tail -n 20 "$W/$d_name.log"
		return 1
	fi
	agent_stop "$d_name" || { tail -n 20 "$W/$d_name.log"; return 1; }
	wait_lines "$W/$d_name.sub" "headroom/$d_name/status" 2 5 || return 1
	sub_stop "$d_name"
	$EXPECT "$W/$d_name.sub" "$d_name" reports=3 contiguous birth \
	    offline=stopped content-type
}

# refused NAME PATTERN [SECTION.KEY=VALUE]...: the log names the cause,
# the agent retries (at least 3 attempts, with backoff between them),
# nothing reaches the broker, and SIGTERM still stops it cleanly
refused() {
	r_name=$1
	r_pat=$2
	shift 2
	sub_start "$r_name" "headroom/$r_name/#" || return 1
	agent_conf "$r_name" mqtt.reconnect_min=200ms mqtt.reconnect_max=1s \
	    "$@" || return 1
	agent_start "$r_name" || return 1
	if ! wait_lines "$W/$r_name.log" "$r_pat" 1 15 ||
	    ! wait_lines "$W/$r_name.log" "link: connecting to" 3 15 ||
	    ! grep -q "link: next attempt in" "$W/$r_name.log"; then
		tail -n 20 "$W/$r_name.log"
		return 1
	fi
	agent_stop "$r_name" || return 1
	sub_stop "$r_name"
	$EXPECT "$W/$r_name.sub" "$r_name" none
}

ok "server-auth TLS: reports arrive, decode (cbor2), seq 1..n, birth, offline" \
    delivers srvauth
ok "mutual TLS with a client certificate" \
    delivers mtls "mqtt.brokers=localhost:$P_MTLS" \
    "tls.cert_file=$CERTS/client.crt" "tls.key_file=$CERTS/client.key"
ok "TLS-PSK" \
    delivers psk "mqtt.brokers=localhost:$P_PSK" tls.ca_file=- \
    tls.psk_identity=headroom-test "tls.psk_file=$CERTS/psk.hex"
ok "public-key pin that matches" \
    delivers pin "tls.pin_sha256=$(cat "$CERTS/broker.pin")"
ok "username and password file" \
    delivers auth "mqtt.brokers=localhost:$P_AUTH" mqtt.username=headroom \
    "mqtt.password_file=$CERTS/password"
ok "broker by IP address, verified by server_name" \
    delivers byip "mqtt.brokers=127.0.0.1:$P_TLS" tls.server_name=localhost
ok "a broker list: the dead first broker is skipped" \
    delivers list "mqtt.brokers=localhost:$(free_port),localhost:$P_TLS" \
    mqtt.reconnect_min=200ms

ok "wrong CA: refused, said so, retried" \
    refused wrongca "not signed by a CA in ca_file \(wrong CA\)" \
    "mqtt.brokers=localhost:$P_OTHERCA"
ok "wrong host name: refused (name mismatch), retried" \
    refused wrongname "does not carry the name 'localhost' \(name mismatch" \
    "mqtt.brokers=localhost:$P_WRONGNAME"
ok "expired broker certificate: refused, retried" \
    refused expired "certificate has expired" "mqtt.brokers=localhost:$P_EXP"
ok "wrong PSK: refused (PSK rejected), retried" \
    refused wrongpsk "rejected the PSK|PSK or identity rejected" \
    "mqtt.brokers=localhost:$P_PSK" tls.ca_file=- \
    tls.psk_identity=headroom-test "tls.psk_file=$CERTS/psk-wrong.hex"
ok "missing client certificate: refused (certificate required), retried" \
    refused nocert "requires a client certificate" \
    "mqtt.brokers=localhost:$P_MTLS"
ok "public-key pin that does not match: refused, retried" \
    refused badpin "public key does not match pin_sha256" \
    tls.pin_sha256=0000000000000000000000000000000000000000000000000000000000000000
printf 'not-the-password\n' >"$W/badpw"
chmod 600 "$W/badpw"
ok "wrong password: the broker's refusal is reported, retried" \
    refused badpw "refused the MQTT connection: Not authorized" \
    "mqtt.brokers=localhost:$P_AUTH" mqtt.username=headroom \
    "mqtt.password_file=$W/badpw"
ok "TLS to a plain MQTT port: handshake fails, no fallback to plain" \
    refused noplain "TLS handshake|broker closed" \
    "mqtt.brokers=localhost:$P_PLAIN" tls.handshake_timeout=2s
