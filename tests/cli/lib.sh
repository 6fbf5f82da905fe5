# lib.sh - TAP helpers for the shell tests (sourced, not run).
#   ok NAME CMD...        passes when CMD exits 0
#   status N NAME CMD...  passes when CMD exits with status N
# Output of failing commands is shown as TAP comments.

: "${HR_BIN:=$(pwd)/headroom}"
FIX=${HR_FIXTURES:-tests/fixtures}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() {
	name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/# /' "$TMP/out"
	fi
}

status() {
	want=$1
	name=$2
	shift 2
	"$@" >"$TMP/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then
		echo "ok - $name"
	else
		echo "not ok - $name (exit $got, want $want)"
		sed 's/^/# /' "$TMP/out"
	fi
}
