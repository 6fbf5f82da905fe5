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

# expect_err NAME LINE 'SECTION] KEY' PATTERN: check-config exits 78 with
# the message FILE:LINE: [SECTION] KEY: ...PATTERN, and "headroom run"
# refuses to start with the same message (exit 78, "not starting").
# LINE "" means a message without a line number.
expect_err() {
	n=$1 line=$2 where=$3 pat=$4
	at="^$TMP/$n.conf:$line: \[$where: .*$pat"
	[ -n "$line" ] || at="^$TMP/$n.conf: \[$where: .*$pat"
	"$B" check-config -c "$TMP/$n.conf" >"$TMP/$n.out" 2>"$TMP/$n.err"
	rc=$?
	if [ "$rc" -eq 78 ] && grep -q "$at" "$TMP/$n.err"; then
		echo "ok - $n: exit 78, $TMP/$n.conf:$line: [$where"
	else
		echo "not ok - $n (exit $rc)"
		sed 's/^/# /' "$TMP/$n.err"
	fi
	timeout 20 "$B" run -c "$TMP/$n.conf" >"$TMP/$n.rout" 2>"$TMP/$n.rerr"
	rc=$?
	if [ "$rc" -eq 78 ] && grep -q "$at" "$TMP/$n.rerr" &&
	    grep -q "not starting" "$TMP/$n.rerr"; then
		echo "ok - $n: run does not start (exit 78, same message)"
	else
		echo "not ok - $n: run (exit $rc)"
		sed 's/^/# /' "$TMP/$n.rerr"
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
expect_err unknown_section 4 "spoool]" "unknown section (known: agent, mqtt, tls, collect, spool, forecast, events, log, queue\.NAME)"

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

# ---- [forecast] and [events] -----------------------------------------------

# A fraction is 0 .. 1 or 0% .. 100%; nothing else.
i=0
for v in lots 1.5 120% 100.01% -0.1 -5% '' '10 %' 1e-1 '%' . 0x1 0.1%% nan; do
	i=$((i + 1))
	printf '[events]\nheadroom_below = %s\n' "$v" | conf "frac_$i"
	expect_err "frac_$i" 2 "events] headroom_below" "'$v': use a fraction from 0 to 1 (0\.1) or a percentage (10%, 12\.5%)"
done
printf '[events]\nheadroom_clear = 2\n' | conf frac_clear
expect_err frac_clear 2 "events] headroom_clear" "use a fraction"

conf clear_below <<EOF2
[agent]
id = a
[tls]
ca_file = $ca
[events]
headroom_below = 20%
headroom_clear = 0.2
EOF2
expect_err clear_below 7 "events] headroom_clear" "must be above headroom_below (20%)"

# only headroom_below set: the message is on the key the file set
conf below_only <<EOF2
[agent]
id = a
[tls]
ca_file = $ca
[events]
headroom_below = 15%
EOF2
expect_err below_only 6 "events] headroom_below" "must be below headroom_clear (15%)"

conf clear_only <<EOF2
[agent]
id = a
[tls]
ca_file = $ca
[events]
headroom_clear = 5%
EOF2
expect_err clear_only 6 "events] headroom_clear" "must be above headroom_below (10%)"

printf '[events]\nhold = 2h\n' | conf hold_long
expect_err hold_long 2 "events] hold" "'2h' is out of range"
printf '[events]\nhold = soon\n' | conf hold_bad
expect_err hold_bad 2 "events] hold" "'soon' is not a duration"
printf '[events]\nexhaustion_within = 30s\n' | conf exh_short
expect_err exh_short 2 "events] exhaustion_within" "'30s': use off (or 0), or a duration from 1m to 30d"
printf '[events]\nexhaustion_within = 31d\n' | conf exh_long
expect_err exh_long 2 "events] exhaustion_within" "use off (or 0)"
printf '[events]\nenabled = maybe\n' | conf ev_enabled
expect_err ev_enabled 2 "events] enabled" "not yes or no"
printf '[events]\nhold = 1s\nhold = 2s\n' | conf ev_twice
expect_err ev_twice 3 "events] hold" "set twice (first on line 2)"
printf '[forecast]\nhorizon = 50s\n' | conf horizon_short
expect_err horizon_short 2 "forecast] horizon" "'50s' is out of range"
printf '[agent]\nsample_period = 10s\nreport_interval = 10s\n[forecast]\nhorizon = 5m\n' | conf horizon_few
expect_err horizon_few 5 "forecast] horizon" "at least 32 sample periods (320 s)"
printf '[forecast]\nhorizon = 31d\n' | conf horizon_long
expect_err horizon_long 2 "forecast] horizon" "out of range"
printf '[forecast]\nwindow = 6h\n' | conf fc_unknown
expect_err fc_unknown 2 "forecast] window" "unknown key"

# sections SECTION...: the printed blocks of those sections of stdin,
# without blank lines
sections() {
	awk -v want=" $* " '
		/^\[/ { s = substr($0, 2, length($0) - 2); on = index(want, " " s " ") > 0 }
		on && NF'
}

# defaults, and the accepted forms printed back
conf events_default <<EOF2
[agent]
id = a
[tls]
ca_file = $ca
EOF2
"$B" check-config -c "$TMP/events_default.conf" >"$TMP/events_default.out" 2>&1
ok "defaults: exit 0" test $? -eq 0
sections forecast events <"$TMP/events_default.out" >"$TMP/events_default.got"
cat >"$TMP/events_default.want" <<EOF2
[forecast]
horizon = 21600s
[events]
enabled = yes
headroom_below = 10%
headroom_clear = 15%
hold = 30s
exhaustion_within = 86400s
anomaly = no
EOF2
ok "[forecast] and [events] defaults are printed" diff "$TMP/events_default.want" "$TMP/events_default.got"

conf events_set <<EOF2
[agent]
id = a
[tls]
ca_file = $ca
[forecast]
horizon = 12h
[events]
enabled = no
headroom_below = 0.05
headroom_clear = 12.5%
hold = 0
exhaustion_within = off
EOF2
"$B" check-config -c "$TMP/events_set.conf" >"$TMP/events_set.out" 2>&1
ok "[events] 0.05, 12.5%, hold 0, exhaustion_within off: exit 0" test $? -eq 0
sections forecast events <"$TMP/events_set.out" >"$TMP/events_set.got"
cat >"$TMP/events_set.want" <<EOF2
[forecast]
horizon = 43200s
[events]
enabled = no
headroom_below = 5%
headroom_clear = 12.5%
hold = 0s
exhaustion_within = 0
anomaly = no
EOF2
ok "fractions print as percentages, off as 0" diff "$TMP/events_set.want" "$TMP/events_set.got"

for v in 0 0s; do
	printf '[agent]\nid = a\n[tls]\nca_file = %s\n[events]\nexhaustion_within = %s\n' "$ca" "$v" | conf exh_zero
	ok "exhaustion_within = $v is accepted as off" sh -c "'$B' check-config -c '$TMP/exh_zero.conf' | grep -qx 'exhaustion_within = 0'"
done
printf '[agent]\nid = a\n[tls]\nca_file = %s\n[events]\nheadroom_below = 0\nheadroom_clear = 100%%\n' "$ca" | conf frac_edges
ok "fractions 0 and 100% are accepted" sh -c "'$B' check-config -c '$TMP/frac_edges.conf' | grep -x 'headroom_below = 0%' && '$B' check-config -c '$TMP/frac_edges.conf' | grep -x 'headroom_clear = 100%'"

# ---- [queue.NAME] ---------------------------------------------------------------

conf q_badname <<EOF2
[queue.mail.in]
type = dir
path = /var/spool/mail
capacity = 10
EOF2
expect_err q_badname 1 "queue.mail.in]" "queue name: use 1 to 31 letters, digits, - and _ (no '\.')"

conf q_badchar <<EOF2
[agent]
id = a
[queue.mail/in]
type = dir
EOF2
expect_err q_badchar 3 "queue.mail/in]" "queue name: use 1 to 31"

name32=$(printf 'q%.0s' $(seq 1 32))
printf '[queue.%s]\ntype = dir\npath = /x\ncapacity = 1\n' "$name32" | conf q_longname
expect_err q_longname 1 "queue.$name32]" "queue name: use 1 to 31"

conf q_noname <<EOF2
[agent]
id = a

[queue.]
type = dir
EOF2
expect_err q_noname 4 "queue.]" "no queue name: write \[queue.NAME\]"

conf q_dup <<EOF2
[queue.mail]
type = dir
path = /var/spool/mail
capacity = 10

[queue.mail]
type = file
path = /var/lib/depth
capacity = 10
EOF2
expect_err q_dup 6 "queue.mail]" "repeated (first on line 1)"

: >"$TMP/q_many.conf"
for i in $(seq 1 17); do
	printf '[queue.q%d]\ntype = dir\npath = /var/spool/q%d\ncapacity = 10\n\n' "$i" "$i" >>"$TMP/q_many.conf"
done
# 16 sections of 5 lines: the 17th header is line 81
expect_err q_many 81 "queue.q17]" "more than 16 queue sections"
head -n 80 "$TMP/q_many.conf" >"$TMP/q_sixteen.conf"
printf '[agent]\nid = a\n[tls]\nca_file = %s\n' "$ca" >>"$TMP/q_sixteen.conf"
"$B" check-config -c "$TMP/q_sixteen.conf" >"$TMP/q_sixteen.out" 2>&1
ok "16 queue sections are accepted" test "$(grep -c '^\[queue\.' "$TMP/q_sixteen.out")" -eq 16

conf q_notype <<EOF2
[agent]
id = a
[queue.mail]
path = /var/spool/mail
capacity = 10
EOF2
expect_err q_notype 3 "queue.mail] type" "missing (dir, file, mqueue or exec)"

conf q_badtype <<EOF2
[queue.mail]
type = socket
path = /run/mail.sock
capacity = 10
EOF2
expect_err q_badtype 2 "queue.mail] type" "'socket': use dir, file, mqueue or exec"

conf q_nopath <<EOF2
[queue.mail]
type = dir
capacity = 10
EOF2
expect_err q_nopath 1 "queue.mail] path" "missing (type = dir needs it)"

conf q_nopath_mq <<EOF2
[queue.orders]
capacity = 10
type = mqueue

[agent]
id = a
EOF2
expect_err q_nopath_mq 1 "queue.orders] path" "missing (type = mqueue needs it)"

conf q_nocommand <<EOF2
[queue.backlog]
type = exec
capacity = 10
timeout = 2s
EOF2
expect_err q_nocommand 1 "queue.backlog] command" "missing (type = exec needs it)"

conf q_nocapacity <<EOF2
[queue.jobs]
type = file
path = /var/lib/app/depth
EOF2
expect_err q_nocapacity 1 "queue.jobs] capacity" "missing"

conf q_path_exec <<EOF2
[queue.backlog]
type = exec
command = /usr/local/bin/backlog
path = /var/lib/backlog
capacity = 10
EOF2
expect_err q_path_exec 4 "queue.backlog] path" "not for type = exec"

conf q_command_dir <<EOF2
[queue.mail]
command = /usr/bin/find /var/spool/mail
type = dir
path = /var/spool/mail
capacity = 10
EOF2
expect_err q_command_dir 2 "queue.mail] command" "only for type = exec, not dir"

conf q_timeout_file <<EOF2
[queue.jobs]
type = file
path = /var/lib/app/depth
capacity = 10
timeout = 2s
EOF2
expect_err q_timeout_file 5 "queue.jobs] timeout" "only for type = exec, not file"

conf q_shell <<EOF2
[queue.mail]
type = exec
command = /usr/bin/mailq | wc -l
capacity = 100
EOF2
expect_err q_shell 3 "queue.mail] command" "'|' outside double quotes: commands run without a shell"

conf q_dollar <<EOF2
[queue.mail]
type = exec
command = /usr/bin/count \$HOME
capacity = 100
EOF2
expect_err q_dollar 3 "queue.mail] command" "'\\\$' outside double quotes"

conf q_quote <<EOF2
[queue.mail]
type = exec
command = /usr/bin/count "unterminated
capacity = 100
EOF2
expect_err q_quote 3 "queue.mail] command" "unterminated quote"

conf q_words <<EOF2
[queue.mail]
type = exec
command = /bin/echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
capacity = 100
EOF2
expect_err q_words 3 "queue.mail] command" "more than 16 words"

conf q_relative <<EOF2
[queue.mail]
type = exec
command = mailq --count
capacity = 100
EOF2
expect_err q_relative 3 "queue.mail] command" "'mailq' is not an absolute path: commands run without a shell and without a PATH search"

conf q_relpath <<EOF2
[queue.mail]
type = dir
path = var/spool/mail
capacity = 10
EOF2
expect_err q_relpath 3 "queue.mail] path" "path must be absolute"

i=0
for v in / /dev/mqueue/ /orders/; do
	i=$((i + 1))
	printf '[queue.orders]\ntype = mqueue\ncapacity = 10\npath = %s\n' "$v" | conf "q_mq_$i"
	expect_err "q_mq_$i" 4 "queue.orders] path" "not a message queue name"
done

conf q_cap0 <<EOF2
[queue.mail]
type = dir
path = /var/spool/mail
capacity = 0
EOF2
expect_err q_cap0 4 "queue.mail] capacity" "'0': must be at least 1"

i=0
for v in many -1 1.5 ''; do
	i=$((i + 1))
	printf '[queue.mail]\ntype = dir\npath = /var/spool/mail\ncapacity = %s\n' "$v" | conf "q_capbad_$i"
	expect_err "q_capbad_$i" 4 "queue.mail] capacity" "'$v' is not a whole number"
done

for v in 0 11m; do
	printf '[queue.b]\ntype = exec\ncommand = /bin/true\ncapacity = 1\ntimeout = %s\n' "$v" | conf "q_timeout_$v"
	expect_err "q_timeout_$v" 5 "queue.b] timeout" "'$v' is out of range (1ms \.\. 600s)"
done

conf q_unknown <<EOF2
[queue.mail]
type = dir
path = /var/spool/mail
capacity = 10
warn_at = 80%
EOF2
expect_err q_unknown 5 "queue.mail] warn_at" "unknown key"

conf q_twice <<EOF2
[queue.mail]
type = dir
path = /var/spool/mail
path = /var/spool/other
capacity = 10
EOF2
expect_err q_twice 4 "queue.mail] path" "set twice (first on line 3)"

# keys of a section are its own: the same key in another queue is fine,
# and a fixed section may still appear twice (its keys merge)
conf q_good <<EOF2
[agent]
id = edge-042
[tls]
ca_file = $ca

[queue.mail]
type = dir
path = /var/spool/postfix/deferred
capacity = 10000

[queue.jobs_1]
type = file
path = /var/lib/app/queue-depth
capacity = 500

[agent]
sample_period = 2s

[queue.orders]
type = mqueue
path = /orders
capacity = 64KiB

[queue.Back-log]
type = exec
command = /usr/local/bin/backlog --queue "night jobs" x"y z"
capacity = 1000

[queue.slow]
capacity = 1
timeout = 1500ms
command = /bin/sleep 1
type = exec
EOF2
"$B" check-config -c "$TMP/q_good.conf" >"$TMP/q_good.out" 2>&1
ok "one queue of each type: exit 0" test $? -eq 0
sed -n '/^\[queue\./,$p' "$TMP/q_good.out" >"$TMP/q_good.got"
cat >"$TMP/q_good.want" <<EOF2
[queue.mail]
type = dir
path = /var/spool/postfix/deferred
capacity = 10000

[queue.jobs_1]
type = file
path = /var/lib/app/queue-depth
capacity = 500

[queue.orders]
type = mqueue
path = /orders
capacity = 65536

[queue.Back-log]
type = exec
command = /usr/local/bin/backlog --queue "night jobs" x"y z"
capacity = 1000
timeout = 5s

[queue.slow]
type = exec
command = /bin/sleep 1
capacity = 1
timeout = 1500ms
EOF2
ok "queues print in file order, only the keys of their type" diff "$TMP/q_good.want" "$TMP/q_good.got"
ok "a repeated fixed section merges its keys" grep -qx 'sample_period = 2s' "$TMP/q_good.out"
sed 1d "$TMP/q_good.out" >"$TMP/q_again.conf"
"$B" check-config -c "$TMP/q_again.conf" >"$TMP/q_again.out" 2>&1
ok "the printed queues load again: exit 0" test $? -eq 0
ok "the printed queues print the same (round trip)" sh -c "sed 1d '$TMP/q_again.out' | cmp - '$TMP/q_again.conf'"

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
# Its commented-out queue examples are valid as written.
sed -e 's/^# \(\[queue\.[A-Za-z0-9_-]*\]\)$/\1/' \
    -e 's/^# \(type\|path\|command\|capacity\|timeout\) = /\1 = /' \
    "$TMP/example.conf" >"$TMP/example_q.conf"
"$B" check-config -c "$TMP/example_q.conf" >"$TMP/example_q.out" 2>&1
ok "config/headroom.conf queue examples are valid once uncommented" test $? -eq 0
ok "config/headroom.conf has an example of each queue type" sh -c "
for t in dir file mqueue exec; do
	grep -qx \"type = \$t\" '$TMP/example_q.out' || { echo no \$t; exit 1; }
done"
