#!/bin/sh
# dedupe.sh - "headroom decode --dedupe" on captures as a central team gets
# them: reports duplicated (QoS 1 redelivery), reordered and late
# (backfill), some lost, two boots, two agents, split reports with a part
# lost.  Inputs are re-emitted by tests/cli/dedupe_mk.py (cbor2) from the
# packs "headroom sample --format cbor" writes; the packs printed are
# named by dedupe_mk.py keys, and the summary is compared line for line.
. tests/cli/lib.sh
B=$HR_BIN
PY=${PYTHON:-/usr/bin/python3}

mk() { "$PY" tests/cli/dedupe_mk.py "$@"; }

ok "python has cbor2 ($PY)" "$PY" -c "import cbor2"

# ---- helpers (each returns non-zero with a message when the check fails) ----

# run NAME ARGS...: headroom decode ARGS > NAME.out, stderr in NAME.err,
# status in NAME.rc
run() {
	r_run=$1
	shift
	"$B" decode "$@" >"$TMP/$r_run.out" 2>"$TMP/$r_run.err"
	echo $? >"$TMP/$r_run.rc"
}

# same FILE LINE...: FILE holds exactly these lines
same() {
	f=$1
	shift
	printf '%s\n' "$@" >"$TMP/want"
	diff -u "$TMP/want" "$f"
}

# rc NAME N: the run NAME exited with status N
rc() {
	got=$(cat "$TMP/$1.rc")
	[ "$got" -eq "$2" ] || { echo "exit $got, want $2"; cat "$TMP/$1.err"; return 1; }
}

# printed NAME [--pack] KEY...: the packs printed by the run NAME, in order
printed() {
	p_run=$1
	shift
	pk=
	[ "$1" = --pack ] && { pk=--pack; shift; }
	mk keys $pk "$TMP/$p_run.out" >"$TMP/$p_run.keys" || return 1
	same "$TMP/$p_run.keys" "$@"
}

# keys ID BOOT SEL...: the key lines of these reports (SEQ, or SEQ.K)
keys() {
	id=$1
	boot=$2
	shift 2
	for s in "$@"; do
		case $s in
		*.*) echo "$id $boot ${s%.*} ${s#*.}" ;;
		*) echo "$id $boot $s 0" ;;
		esac
	done
}

# seqs A B [STEP]: A, A + STEP, ... up to B
seqs() { seq "$1" "${3:-1}" "$2" | tr '\n' ' '; }

# ---- the agent's reports ------------------------------------------------------

R="--root $FIX/reference --period 10ms --format cbor"
"$B" sample $R --count 12 --id edge-1 >"$TMP/a.cbor" 2>/dev/null
"$B" sample $R --count 3 --id edge-1 >"$TMP/b.cbor" 2>/dev/null
"$B" sample $R --count 3 --id edge-4 --max-message 512 >"$TMP/s.cbor" 2>/dev/null
"$B" sample $R --count 50 --id edge-5 >"$TMP/m.cbor" 2>/dev/null
bA=$(mk boot "$TMP/a.cbor")
bB=$(mk boot "$TMP/b.cbor")
bS=$(mk boot "$TMP/s.cbor")
bM=$(mk boot "$TMP/m.cbor")
K1=$(mk parts "$TMP/s.cbor" 1)
K2=$(mk parts "$TMP/s.cbor" 2)
K3=$(mk parts "$TMP/s.cbor" 3)
ok "inputs: two runs of edge-1 have two boot ids; reports split in >= 3 parts" \
    test -n "$bA" -a -n "$bB" -a "$bA" != "$bB" -a "$K1" -ge 3 -a "$K2" -ge 3 \
    -a "$K3" -ge 3

# ---- clean: every report twice (QoS 1 redelivery), a status message ------------

mk pick "$TMP/a.cbor" $(seqs 1 12) status $(seqs 1 12) >"$TMP/clean.cbor"
run clean --dedupe "$TMP/clean.cbor"
ok "clean: exit 0" rc clean 0
ok "clean: each report printed once, the status pack passed through" \
    printed clean "$(keys edge-1 "$bA" $(seqs 1 12))" "edge-1 $bA - -"
ok "clean: summary, 12 reports, 12 duplicates, nothing missing" same "$TMP/clean.err" \
    "dedupe: edge-1 boot $bA: seq 1..12: 12 reports, 12 duplicates, 0 missing" \
    "dedupe: total: 1 agents, 1 boots, 12 reports, 12 duplicates, 0 missing, 0 incomplete"

# ---- gaps: lost reports, a backfill late and out of order, another boot, --------
# another agent with the same boot id (keys include the agent id)

GAP="$TMP/gap.cbor"
{
	mk pick "$TMP/a.cbor" 1 2 3 4 6 7
	mk pick "$TMP/a.cbor" --id edge-3 5
	mk pick "$TMP/b.cbor" 2 3 3
	mk pick "$TMP/a.cbor" 12 8 3 2 7
} >"$GAP"
WANT_KEYS="$(keys edge-1 "$bA" 1 2 3 4 6 7)
$(keys edge-3 "$bA" 5)
$(keys edge-1 "$bB" 2 3)
$(keys edge-1 "$bA" 12 8)"
run gap --dedupe "$GAP"
ok "gap: exit 3" rc gap 3
ok "gap: no pack printed twice, the rest in arrival order" printed gap "$WANT_KEYS"
ok "gap: summary per agent and boot in order of first appearance, missing 5,9-11, seq 1 before the capture" \
    same "$TMP/gap.err" \
    "dedupe: edge-1 boot $bA: seq 1..12: 8 reports, 3 duplicates, 4 missing: 5,9-11" \
    "dedupe: edge-3 boot $bA: seq 5..5 (seq 1..4 before the capture): 1 reports, 0 duplicates, 0 missing" \
    "dedupe: edge-1 boot $bB: seq 2..3 (seq 1..1 before the capture): 2 reports, 1 duplicates, 0 missing" \
    "dedupe: total: 2 agents, 3 boots, 11 reports, 4 duplicates, 4 missing, 0 incomplete"
run gappk --pack --dedupe "$GAP"
ok "gap --pack: exit 3" rc gappk 3
ok "gap --pack: no pack printed twice" printed gappk --pack "$WANT_KEYS"
ok "gap --pack: the same summary" sh -c \
    "grep -q '^dedupe: total:' '$TMP/gappk.err' && cmp '$TMP/gap.err' '$TMP/gappk.err'"

# without --dedupe nothing changes: every pack printed, exit 0, no summary
ALL_KEYS="$(keys edge-1 "$bA" 1 2 3 4 6 7)
$(keys edge-3 "$bA" 5)
$(keys edge-1 "$bB" 2 3 3)
$(keys edge-1 "$bA" 12 8 3 2 7)"
run plain "$GAP"
ok "without --dedupe: exit 0" rc plain 0
ok "without --dedupe: duplicates printed, every pack in input order" printed plain "$ALL_KEYS"
ok "without --dedupe: nothing on stderr" test ! -s "$TMP/plain.err"
run plainpk --pack "$GAP"
ok "without --dedupe, --pack: duplicates printed" printed plainpk --pack "$ALL_KEYS"

# ---- split reports ----------------------------------------------------------------

# parts SEQ A B: SEQ.A ... SEQ.B; parts_rev SEQ A B: SEQ.B ... SEQ.A
parts() { for k in $(seq "$2" "$3"); do printf '%s.%s ' "$1" "$k"; done; }
parts_rev() { for k in $(seq "$3" -1 "$2"); do printf '%s.%s ' "$1" "$k"; done; }

# seq 1 whole and again; seq 2 without its part 2; seq 3 backwards, part 1 again
SPLIT_SEL="$(parts 1 1 "$K1") $(parts 1 1 "$K1") 2.1 $(parts 2 3 "$K2") \
$(parts_rev 3 1 "$K3") 3.1"
mk pick "$TMP/s.cbor" $SPLIT_SEL >"$TMP/split.cbor"
run split --dedupe "$TMP/split.cbor"
ok "split, a part lost: exit 3" rc split 3
ok "split, a part lost: each part printed once" printed split \
    "$(keys edge-4 "$bS" $(parts 1 1 "$K1") 2.1 $(parts 2 3 "$K2") $(parts_rev 3 1 "$K3"))"
ok "split, a part lost: seq 2 incomplete, not missing" same "$TMP/split.err" \
    "dedupe: edge-4 boot $bS: seq 1..3: 3 reports, $((K1 + 1)) duplicates, 0 missing, 1 incomplete: 2" \
    "dedupe: total: 1 agents, 1 boots, 3 reports, $((K1 + 1)) duplicates, 0 missing, 1 incomplete"
run splitpk --dedupe --pack "$TMP/split.cbor"
ok "split --pack: exit 3" rc splitpk 3
ok "split --pack: the same summary" sh -c \
    "grep -q '^dedupe: total:' '$TMP/splitpk.err' && cmp '$TMP/split.err' '$TMP/splitpk.err'"

# every part, out of order, some twice: complete
mk pick "$TMP/s.cbor" 3 $(parts_rev 2 1 "$K2") 1 $(parts 3 1 2) 1.1 >"$TMP/split-ok.cbor"
run splitok --dedupe "$TMP/split-ok.cbor"
ok "split, every part (out of order, some twice): exit 0" rc splitok 0
ok "split, every part: summary" same "$TMP/splitok.err" \
    "dedupe: edge-4 boot $bS: seq 1..3: 3 reports, 3 duplicates, 0 missing" \
    "dedupe: total: 1 agents, 1 boots, 3 reports, 3 duplicates, 0 missing, 0 incomplete"

# a lost report between split ones, and an incomplete one at each end
mk pick "$TMP/s.cbor" 1.2 3.1 >"$TMP/split-gap.cbor"
run splitgap --dedupe "$TMP/split-gap.cbor"
ok "split: seq 2 lost, seq 1 and 3 incomplete: exit 3" rc splitgap 3
ok "split: seq 2 lost, seq 1 and 3 incomplete: summary" same "$TMP/splitgap.err" \
    "dedupe: edge-4 boot $bS: seq 1..3: 2 reports, 0 duplicates, 1 missing: 2, 2 incomplete: 1,3" \
    "dedupe: total: 1 agents, 1 boots, 2 reports, 0 duplicates, 1 missing, 2 incomplete"

# ---- long lists are cut after 20 ranges ------------------------------------------

mk pick "$TMP/m.cbor" $(seqs 3 49 2) >"$TMP/odd.cbor"
run odd --dedupe "$TMP/odd.cbor"
ok "every other report lost: exit 3" rc odd 3
ok "every other report lost: 23 missing, 20 ranges listed, then ..." same "$TMP/odd.err" \
    "dedupe: edge-5 boot $bM: seq 3..49 (seq 1..2 before the capture): 24 reports, 0 duplicates, 23 missing: $(seqs 4 42 2 | tr ' ' ',')..." \
    "dedupe: total: 1 agents, 1 boots, 24 reports, 0 duplicates, 23 missing, 0 incomplete"

# ---- errors ---------------------------------------------------------------------

# the same report whole and in parts is no duplicate: refused, status 1
{
	mk pick "$TMP/a.cbor" 1
	mk pick "$TMP/s.cbor" --id edge-1 --boot "$bA" 1.1
} >"$TMP/mixed.cbor"
run mixed --dedupe "$TMP/mixed.cbor"
ok "seq sent whole and in parts: exit 1" rc mixed 1
ok "seq sent whole and in parts: named, then the summary of the packs before" \
    same "$TMP/mixed.err" \
    "headroom decode: $TMP/mixed.cbor: pack 2: dedupe: edge-1 boot $bA seq 1: sent whole before" \
    "dedupe: edge-1 boot $bA: seq 1..1: 1 reports, 0 duplicates, 0 missing" \
    "dedupe: total: 1 agents, 1 boots, 1 reports, 0 duplicates, 0 missing, 0 incomplete"

# an invalid pack keeps status 1, even when reports are missing too
mk pick "$TMP/a.cbor" 1 3 >"$TMP/trunc.cbor"
mk pick "$TMP/a.cbor" 4 | head -c 40 >>"$TMP/trunc.cbor"
run trunc --dedupe "$TMP/trunc.cbor"
ok "truncated last pack with a gap before: exit 1, not 3" rc trunc 1
ok "truncated last pack: the packs before it printed" printed trunc "$(keys edge-1 "$bA" 1 3)"
ok "truncated last pack: error, then the summary of the packs before" sh -c \
    "grep -q 'pack 3: truncated' '$TMP/trunc.err' && grep -qxF 'dedupe: edge-1 boot $bA: seq 1..3: 2 reports, 0 duplicates, 1 missing: 2' '$TMP/trunc.err'"

run two --dedupe "$GAP" "$GAP"
ok "--dedupe with two files: usage error (exit 2), not an unknown option" sh -c \
    "test \"\$(cat '$TMP/two.rc')\" -eq 2 && grep -q '^usage:' '$TMP/two.err' && ! grep -q unknown '$TMP/two.err'"
ok "--help names --dedupe and exit status 3" sh -c \
    "'$B' decode --help | grep -q -- '--dedupe' && '$B' decode --help | grep -q 'exit 3'"

# ---- memory: everything freed, on the normal and the error path -------------------

# An ASan build (make SANITIZE=1 test) cannot run under valgrind; there
# LeakSanitizer does the same job (a leak changes the exit status to 23).
if ldd "$B" 2>/dev/null | grep -q libasan; then
	for f in gap split mixed; do
		"$B" decode --dedupe "$TMP/$f.cbor" >/dev/null 2>"$TMP/vg-$f.err"
		echo $? >"$TMP/vg-$f.rc"
	done
	ok "LeakSanitizer: no leak or error (gap, split: exit 3; mixed: exit 1)" sh -c \
	    "test \"\$(cat '$TMP/vg-gap.rc' '$TMP/vg-split.rc' '$TMP/vg-mixed.rc' | tr '\n' ' ')\" = '3 3 1 ' || { cat '$TMP'/vg-*.err; exit 1; }"
elif command -v valgrind >/dev/null 2>&1; then
	for f in gap split mixed; do
		valgrind -q --leak-check=full --errors-for-leak-kinds=all \
		    --error-exitcode=9 "$B" decode --dedupe "$TMP/$f.cbor" \
		    >/dev/null 2>"$TMP/vg-$f.err"
		echo $? >"$TMP/vg-$f.rc"
	done
	ok "valgrind: no leak or error (gap, split: exit 3; mixed: exit 1)" sh -c \
	    "test \"\$(cat '$TMP/vg-gap.rc' '$TMP/vg-split.rc' '$TMP/vg-mixed.rc' | tr '\n' ' ')\" = '3 3 1 ' || { cat '$TMP'/vg-*.err; exit 1; }"
else
	echo "ok - valgrind: no leak # SKIP valgrind not installed"
fi
