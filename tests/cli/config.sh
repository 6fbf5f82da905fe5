#!/bin/sh
# config.sh - "headroom check-config": valid files print the effective
# configuration; each kind of error names file, line and key and exits 78.
. tests/cli/lib.sh
B=$HR_BIN

ca=$TMP/ca.pem
echo "not checked here, only its presence" >"$ca"
key=$TMP/client.key
echo secret >"$key"
chmod 600 "$key"
open_key=$TMP/open.key
echo secret >"$open_key"
chmod 644 "$open_key"

conf() {    # conf NAME: write stdin to $TMP/NAME.conf
	cat >"$TMP/$1.conf"
}

# expect_err NAME LINE 'SECTION] KEY' PATTERN: exit 78 and the message
expect_err() {
	n=$1 line=$2 where=$3 pat=$4
	"$B" check-config -c "$TMP/$n.conf" >"$TMP/$n.out" 2>"$TMP/$n.err"
	rc=$?
	if [ "$rc" -eq 78 ] &&
	    grep -q "^$TMP/$n.conf:$line: \[$where: .*$pat" "$TMP/$n.err"; then
		echo "ok - $n: exit 78, $TMP/$n.conf:$line: [$where"
	else
		echo "not ok - $n (exit $rc)"
		sed 's/^/# /' "$TMP/$n.err"
	fi
}

conf good <<EOF2
[agent]
id = edge-042
sample_period = 500ms
report_interval = 5s

[mqtt]
brokers = broker.example.net:8883, [::1]:8884
qos = 1

[tls]
ca_file = $ca
cert_file = $ca
key_file = $key
server_name = broker.example.net
EOF2
"$B" check-config -c "$TMP/good.conf" >"$TMP/good.out" 2>&1
ok "valid file: exit 0" test $? -eq 0
ok "effective config shows set values and defaults" sh -c "grep -qx 'sample_period = 500ms' '$TMP/good.out' && grep -qx 'brokers = broker.example.net:8883, \[::1\]:8884' '$TMP/good.out' && grep -qx 'client_id = headroom-edge-042' '$TMP/good.out' && grep -qx 'keepalive = 30s' '$TMP/good.out'"
sed 1d "$TMP/good.out" >"$TMP/again.conf"
ok "the printed configuration is itself valid and prints the same" sh -c "'$B' check-config -c '$TMP/again.conf' | sed 1d | cmp - '$TMP/again.conf'"

conf unknown_key <<EOF2
[agent]
id = a
colour = blue
EOF2
expect_err unknown_key 3 "agent] colour" "unknown key"

conf unknown_section <<EOF2
[agent]
id = a

[spoool]
EOF2
expect_err unknown_section 4 "spoool]" "unknown section"

conf bad_duration <<EOF2
[mqtt]
keepalive = 10 parsecs
EOF2
expect_err bad_duration 2 "mqtt] keepalive" "not a duration"

conf out_of_range <<EOF2
[mqtt]
qos = 2
EOF2
expect_err out_of_range 2 "mqtt] qos" "out of range"

conf bad_size <<EOF2
[mqtt]
max_message = 1MiB
EOF2
expect_err bad_size 2 "mqtt] max_message" "out of range"

conf bad_fsync <<EOF2
[agent]
id = a
[spool]
fsync = sometimes
EOF2
expect_err bad_fsync 4 "spool] fsync" "use always, or a duration"

conf spool_small <<EOF2
[agent]
id = a
[mqtt]
max_message = 64KiB
[spool]
memory = 32KiB
EOF2
expect_err spool_small 6 "spool] memory" "must hold a message of \\[mqtt\\] max_message"

conf spool_rel <<EOF2
[agent]
id = a
[spool]
dir = var/spool
EOF2
expect_err spool_rel 4 "spool] dir" "not an absolute path"

conf bad_broker <<EOF2
[tls]
ca_file = $ca
[mqtt]
brokers = broker.example.net
EOF2
expect_err bad_broker 4 "mqtt] brokers" "not host:port"

conf bad_id <<EOF2
[agent]
id = edge/42
EOF2
expect_err bad_id 2 "agent] id" "use letters"

conf missing_file <<EOF2
[tls]
ca_file = /nonexistent/ca.pem
EOF2
expect_err missing_file 2 "tls] ca_file" "No such file"

conf open_secret <<EOF2
[tls]
ca_file = $ca
cert_file = $ca
key_file = $open_key
EOF2
expect_err open_secret 4 "tls] key_file" "mode 0644"

conf plain_remote <<EOF2
[mqtt]
brokers = broker.example.net:1883
[tls]
enabled = no
EOF2
expect_err plain_remote 4 "tls] enabled" "only for loopback"

conf cert_no_key <<EOF2
[tls]
ca_file = $ca
cert_file = $ca
EOF2
# key_file was never set, so the message carries no line number
status 78 "cert_file without key_file: exit 78" "$B" check-config -c "$TMP/cert_no_key.conf"
"$B" check-config -c "$TMP/cert_no_key.conf" 2>"$TMP/cnk.err" >/dev/null
ok "cert_file without key_file: the message names key_file" grep -q "^$TMP/cert_no_key.conf: \[tls\] key_file: cert_file and key_file go together" "$TMP/cnk.err"

conf ip_broker <<EOF2
[mqtt]
brokers = 192.0.2.7:8883
[tls]
ca_file = $ca
EOF2
status 78 "IP broker without server_name: exit 78" "$B" check-config -c "$TMP/ip_broker.conf"
"$B" check-config -c "$TMP/ip_broker.conf" 2>"$TMP/ip.err" >/dev/null
ok "IP broker without server_name: refused (mbed TLS checks DNS names)" grep -q "\[tls\] server_name: broker 192.0.2.7 is an IP address" "$TMP/ip.err"

conf interval <<EOF2
[agent]
sample_period = 3s
report_interval = 10s
[tls]
ca_file = $ca
EOF2
expect_err interval 3 "agent] report_interval" "multiple of"

conf twice <<EOF2
[mqtt]
qos = 1
qos = 0
EOF2
expect_err twice 3 "mqtt] qos" "set twice (first on line 2)"

conf syntax <<EOF2
[agent]
id = a
this line has no equals sign
EOF2
status 78 "a line that is not key = value: exit 78" "$B" check-config -c "$TMP/syntax.conf"
"$B" check-config -c "$TMP/syntax.conf" 2>"$TMP/syn.err" >/dev/null
ok "a line that is not key = value: its line is named" grep -q "^$TMP/syntax.conf:3: not a key = value line" "$TMP/syn.err"

long=$(printf 'x%.0s' $(seq 1 300))
printf '[agent]\nuser = %s\n' "$long" >"$TMP/long.conf"
status 78 "an over-long line: exit 78" "$B" check-config -c "$TMP/long.conf"
"$B" check-config -c "$TMP/long.conf" 2>"$TMP/long.err" >/dev/null
ok "an over-long line is refused, not cut" grep -q "^$TMP/long.conf:2: line longer than" "$TMP/long.err"

status 78 "missing config file: exit 78" "$B" check-config -c "$TMP/none.conf"
status 2 "unknown argument: exit 2" "$B" check-config --frobnicate

# The annotated example names every key, and is valid once a CA is given.
sed "s|^ca_file =.*|ca_file = $ca|" config/headroom.conf >"$TMP/example.conf"
"$B" check-config -c "$TMP/example.conf" >"$TMP/example.out" 2>&1
ok "config/headroom.conf is valid with a CA file" test $? -eq 0
ok "config/headroom.conf shows every key" sh -c "
for k in \$(sed -n 's/^\([a-z_0-9]*\) = .*/\1/p' '$TMP/example.out'); do
	grep -Eq \"^#?\$k =\" config/headroom.conf || { echo missing \$k; exit 1; }
done"
