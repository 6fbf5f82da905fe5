#!/bin/sh
# run.sh - run every test program and every shell test, then print one
# summary line, last: "N passed, N failed".
#
# cmocka programs report "[  PASSED  ] N test(s)." and "[  FAILED  ] N
# test(s)"; shell tests (tests/cli/*.sh, tests/net/*.sh) speak TAP ("ok", "not ok").
# A program that dies without its summary counts as one failure.
#
# usage: tests/run.sh TEST_BINARY...    (env: HR_BIN = agent binary)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

count() {   # $1 = pattern, $2 = file: sum of the N in "pattern N test(s)"
	sed -n "s/^\[  $1  \] \([0-9][0-9]*\) test.*/\1/p" "$2" |
	    awk '{ s += $1 } END { print s + 0 }'
}

for t in "$@"; do
	name=$(basename "$t")
	echo "== $name"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(count PASSED "$log")
	f=$(count FAILED "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $name exited with status $rc without a failure summary"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

for t in tests/cli/*.sh tests/net/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = lib.sh ] && continue
	echo "== $t"
	sh "$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $t exited with status $rc without a failing check"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
