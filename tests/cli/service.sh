#!/bin/sh
# service.sh - config/headroom.service: the hardening the unit promises
# (docs/security.md), a command line without secrets, and, when
# systemd-analyze is installed, "verify" without errors and a "security"
# exposure no worse than the one recorded in docs/security.md.
. tests/cli/lib.sh
UNIT=${HR_UNIT:-config/headroom.service}   # HR_UNIT: check another file
# measured with systemd 252 (Debian 12); lower is better
MAX_EXPOSURE=1.2

# last KEY: the value of the last KEY= line in [Service] (systemd: the
# last assignment wins); fails when there is none
last() {
	awk -v k="$1" '
	/^\[/ { sec = $0; next }
	sec == "[Service]" && index($0, k "=") == 1 {
		v = substr($0, length(k) + 2); n++
	}
	END { if (n) print v; exit n ? 0 : 1 }' "$UNIT"
}

# every KEY: the values of every KEY= line in [Service], one a line
every() {
	awk -v k="$1" '
	/^\[/ { sec = $0; next }
	sec == "[Service]" && index($0, k "=") == 1 {
		print substr($0, length(k) + 2)
	}' "$UNIT"
}

# is KEY VALUE: the last KEY= is exactly VALUE
is() {
	v=$(last "$1") || { echo "no $1= in [Service]"; return 1; }
	[ "$v" = "$2" ] || { echo "$1=$v, want $1=$2"; return 1; }
}

# empty KEY: KEY= is set, and its last assignment is empty
empty() {
	v=$(last "$1") || { echo "no $1= in [Service]"; return 1; }
	[ -z "$v" ] || { echo "$1=$v, want it empty"; return 1; }
}

ok "the unit file exists" test -f "$UNIT"
ok "Type=simple" is Type simple
ok "NoNewPrivileges=yes" is NoNewPrivileges yes
ok "ProtectSystem=strict" is ProtectSystem strict
ok "ProtectHome=yes" is ProtectHome yes
ok "PrivateTmp=yes" is PrivateTmp yes
ok "PrivateDevices=yes" is PrivateDevices yes
ok "ProtectKernelTunables=yes" is ProtectKernelTunables yes
ok "ProtectControlGroups=yes" is ProtectControlGroups yes
ok "CapabilityBoundingSet= is empty (no capabilities)" empty CapabilityBoundingSet
ok "AmbientCapabilities= is empty" empty AmbientCapabilities
ok "UMask=0077" is UMask 0077
ok "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    is RestrictAddressFamilies "AF_UNIX AF_INET AF_INET6"
ok "Restart=on-failure" is Restart on-failure
ok "RestartSec is set" last RestartSec

user_ok() {
	u=$(last User) || { echo "no User="; return 1; }
	case $u in
	"" | root | 0) echo "User=$u runs the agent as root"; return 1 ;;
	esac
	if [ "$(last DynamicUser 2>/dev/null)" = yes ]; then
		echo "DynamicUser=yes: key files cannot be owned by it"
		return 1
	fi
}
ok "User= is set and is not root" user_ok

runtime_ok() {
	d=$(last RuntimeDirectory) || { echo "no RuntimeDirectory="; return 1; }
	[ -n "$d" ] || { echo "RuntimeDirectory= is empty"; return 1; }
	is RuntimeDirectoryMode 0700
}
ok "RuntimeDirectory= is set, mode 0700 (the private socket's directory)" \
    runtime_ok

# ReadWritePaths= covers /var/lib/<StateDirectory>: an entry that is the
# directory itself or one of its parents ("-" and "+" prefixes allowed)
state_ok() {
	s=$(last StateDirectory) || { echo "no StateDirectory="; return 1; }
	[ -n "$s" ] || { echo "StateDirectory= is empty"; return 1; }
	dir=/var/lib/$s
	for p in $(every ReadWritePaths); do
		p=${p#-}
		p=${p#+}
		p=${p%/}
		case $dir in
		"$p" | "$p"/*) return 0 ;;
		esac
	done
	echo "no ReadWritePaths= entry covers $dir"
	return 1
}
ok "StateDirectory= is set and ReadWritePaths= covers it" state_ok

restart_ok() {
	for s in $(every RestartPreventExitStatus); do
		[ "$s" = 78 ] && return 0
	done
	echo "RestartPreventExitStatus does not list 78"
	return 1
}
ok "RestartPreventExitStatus lists 78 (configuration error)" restart_ok

reload_ok() {
	r=$(last ExecReload) || { echo "no ExecReload="; return 1; }
	case $r in
	*kill*" -HUP "* | *kill*" -SIGHUP "* | *kill*" -s HUP "* | \
	    *kill*" -s SIGHUP "* | *kill*" --signal HUP "*)
		case $r in
		*'$MAINPID'*) return 0 ;;
		esac ;;
	esac
	echo "ExecReload=$r does not send SIGHUP to \$MAINPID"
	return 1
}
ok "ExecReload sends SIGHUP to the main process" reload_ok

# ExecStart: an absolute path to the agent, then exactly "run -c FILE"
start_ok() {
	e=$(last ExecStart) || { echo "no ExecStart="; return 1; }
	# shellcheck disable=SC2086
	set -- $e
	[ $# -eq 4 ] || { echo "ExecStart=$e: want 'BIN run -c FILE'"; return 1; }
	case $1 in
	/*/headroom) ;;
	*) echo "ExecStart binary '$1' is not an absolute path to headroom"
	   return 1 ;;
	esac
	[ "$2" = run ] && [ "$3" = -c ] ||
	    { echo "ExecStart=$e: want 'BIN run -c FILE'"; return 1; }
	case $4 in
	/*) ;;
	*) echo "configuration '$4' is not an absolute path"; return 1 ;;
	esac
}
ok "ExecStart is 'headroom run -c FILE' and nothing else" start_ok

secrets_ok() {
	e=$(last ExecStart) || return 1
	if printf '%s\n' "$e" | grep -Eiq 'password|passwd|psk|key|secret'; then
		echo "ExecStart=$e names a secret"
		return 1
	fi
	# and no Environment= hands one over either
	if every Environment | grep -Eiq 'password|passwd|psk|key|secret'; then
		echo "Environment= names a secret"
		return 1
	fi
}
ok "no secret on the command line or in the environment" secrets_ok

proc_ok() {
	p=$(last ProcSubset 2>/dev/null)
	[ "$p" != pid ] || { echo "ProcSubset=pid hides /proc/stat etc."; return 1; }
	n=$(last PrivateNetwork 2>/dev/null)
	case $n in
	yes | true | on | 1)
		echo "PrivateNetwork=$n hides the host's /proc/net"; return 1 ;;
	esac
}
ok "/proc/stat and /proc/net stay readable (ProcSubset, PrivateNetwork)" \
    proc_ok

# the resolver child: fork, getaddrinfo, _exit; the parent kills and
# reaps it.  @system-service has them (@process, @signal); no deny list
# may take them away.
filter_ok() {
	f=$(every SystemCallFilter)
	printf '%s\n' "$f" | grep -q '@system-service' ||
	    { echo "SystemCallFilter does not allow @system-service"; return 1; }
	if printf '%s\n' "$f" | grep '^~' |
	    grep -Eq '@process|@signal|(^|[ ~])(fork|clone|clone3|wait4|kill)( |$)'; then
		echo "SystemCallFilter denies what the resolver child needs: $f"
		return 1
	fi
}
ok "SystemCallFilter keeps fork, clone, wait4 and kill" filter_ok

# ---- systemd-analyze ----------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify fails when ExecStart's binary is missing: point a copy of
	# the unit, under the same name, at the agent just built
	mkdir "$TMP/unit"
	sed "s|^ExecStart=[^ ]*/headroom |ExecStart=$HR_BIN |" "$UNIT" \
	    >"$TMP/unit/headroom.service"
	verify_ok() {
		grep -q "^ExecStart=$HR_BIN run " "$TMP/unit/headroom.service" ||
		    { echo "could not point ExecStart at $HR_BIN"; return 1; }
		systemd-analyze verify "$TMP/unit/headroom.service" \
		    >"$TMP/verify.out" 2>&1
		rc=$?
		cat "$TMP/verify.out"
		[ "$rc" -eq 0 ] && ! grep -q 'headroom\.service' "$TMP/verify.out"
	}
	ok "systemd-analyze verify: no error or warning for the unit" verify_ok

	exposure_ok() {
		systemd-analyze security --offline=yes --no-pager \
		    "$TMP/unit/headroom.service" >"$TMP/sec.out" 2>&1
		x=$(sed -n 's/.*Overall exposure level for headroom\.service: \([0-9][0-9.]*\).*/\1/p' \
		    "$TMP/sec.out")
		[ -n "$x" ] || { cat "$TMP/sec.out"; echo "no exposure level"; return 1; }
		echo "exposure $x, at most $MAX_EXPOSURE"
		awk -v x="$x" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(x + 0 <= m + 0) }' ||
		    { grep '✗' "$TMP/sec.out"; return 1; }
	}
	ok "systemd-analyze security --offline=yes: exposure at most $MAX_EXPOSURE" \
	    exposure_ok
else
	echo "ok - systemd-analyze verify: no error or warning for the unit # SKIP systemd-analyze not installed"
	echo "ok - systemd-analyze security --offline=yes: exposure at most $MAX_EXPOSURE # SKIP systemd-analyze not installed"
fi
