#!/usr/bin/env bash
# fuzz.sh - build the SenML-CBOR decoder's libFuzzer target and fuzz it
# for a bounded time (docs/fuzzing.md).
#
# usage: tools/fuzz.sh [SECONDS]          (default 60)
#
#   tools/fuzz.sh 60      in CI
#   tools/fuzz.sh 3600    by hand
#
# Builds build/fuzz/fuzz_decode with clang (libFuzzer + ASan + UBSan) from
# agent/decode.c, agent/err.c and tests/fuzz/fuzz_decode.c, replays the
# regression inputs of tests/fuzz/crashes/, writes a seed corpus into
# build/fuzz/seeds/ (reports of ./headroom sample on every tree of
# tests/fixtures/, plus small hand-made packs), then fuzzes.  New inputs
# go to build/fuzz/corpus/ (kept between runs: delete it for a fresh
# start), crashing inputs to build/fuzz/artifacts/<date-time>/, the full
# libFuzzer log to build/fuzz/fuzz.log.  Exit status: libFuzzer's (0 =
# nothing found; non-zero = a crash, leak, timeout or out-of-memory,
# reported above the summary); 1 if a regression input fails.
#
# Needs ./headroom (make), clang and libclang-rt-14-dev (libFuzzer), and
# libcbor-dev.  Environment:
#   HR_FUZZ_KEEP_GOING=1  do not stop at the first finding: libFuzzer's
#       fork mode (-fork=1 -ignore_crashes=1 -ignore_ooms=1
#       -ignore_timeouts=1) fuzzes for the whole time and keeps every
#       crashing input; the script then replays them, prints one line per
#       distinct finding and exits 1 if there was any.
#   CC=clang-NN           another clang.
#   WERROR=1              warnings are errors (make WERROR=1 fuzz, CI).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

secs=${1:-60}
case "$secs" in
'' | *[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
if [ "$secs" -lt 1 ]; then
	echo "usage: tools/fuzz.sh [SECONDS]   (SECONDS >= 1)" >&2
	exit 2
fi

CC=${CC:-clang}
out=build/fuzz
bin=$out/fuzz_decode

die() { echo "fuzz: $*" >&2; exit 2; }

# ---- prerequisites -----------------------------------------------------------
[ -x ./headroom ] || die "./headroom is missing: run 'make' first (it writes the seed corpus)"
command -v "$CC" >/dev/null 2>&1 ||
	die "$CC not found: apt-get install clang libclang-rt-14-dev"
pkg-config --exists libcbor 2>/dev/null ||
	die "libcbor not found by pkg-config: apt-get install libcbor-dev"

mkdir -p "$out" "$out/corpus" "$out/artifacts"
probe=$out/probe
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
"$CC" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" >"$probe.log" 2>&1 ||
	{ cat "$probe.log" >&2; die "'$CC -fsanitize=fuzzer' does not link: apt-get install libclang-rt-14-dev (the libFuzzer runtime)"; }
rm -f "$probe" "$probe.c" "$probe.log"

# ---- build -----------------------------------------------------------------
werror=
[ "${WERROR:-0}" != 1 ] || werror=-Werror     # make WERROR=1 fuzz, as in CI
# shellcheck disable=SC2046
"$CC" -std=c11 -Wall -Wextra $werror -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I. $(pkg-config --cflags libcbor) \
	-o "$bin" agent/decode.c agent/err.c tests/fuzz/fuzz_decode.c \
	$(pkg-config --libs libcbor) -lm
echo "fuzz: built $bin (agent/decode.c blob $(git hash-object agent/decode.c 2>/dev/null ||
    sha1sum <agent/decode.c | cut -c1-40), HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

# ---- regression inputs (findings of earlier runs, fixed) ---------------------
nreg=0
[ ! -d tests/fuzz/crashes ] || nreg=$(find tests/fuzz/crashes -type f | wc -l)
if [ "$nreg" -gt 0 ]; then
	if ! "$bin" -max_len=65536 -timeout=10 -malloc_limit_mb=64 \
	    -rss_limit_mb=2048 tests/fuzz/crashes/* >"$out/regress.log" 2>&1; then
		grep -v '^INFO' "$out/regress.log" | head -n 60
		echo "fuzz: FINDING: a regression input of tests/fuzz/crashes/ fails again (log: $out/regress.log)"
		exit 1
	fi
	echo "fuzz: $nreg regression inputs of tests/fuzz/crashes/ pass"
fi

# ---- seed corpus (generated, never committed) -----------------------------
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
for dir in tests/fixtures/*/; do
	name=$(basename "$dir")
	./headroom sample --format cbor --id fuzz-1 --count 1 --period 10ms \
	    --root "tests/fixtures/$name" >"$seeds/sample-$name.cbor" \
	    2>>"$out/seeds.log" ||
		die "./headroom sample --root tests/fixtures/$name failed (see $out/seeds.log)"
done

seed() {   # $1 = file name, $2 = printf format of the bytes
	# shellcheck disable=SC2059
	printf "$2" >"$seeds/$1"
}
# [{0:"a",2:1}]
seed min.cbor        '\x81\xa2\x00\x61\x61\x02\x01'
# every base field: [{bn:"h/",bt:1000,bu:"B",bv:10,bs:5,bver:10,n:"x",
#   v:1.5 (half),s:2,t:-1,ut:60}]
seed base.cbor       '\x81\xab\x21\x62\x68\x2f\x22\x19\x03\xe8\x23\x61\x42\x24\x0a\x25\x05\x20\x0a\x00\x61\x78\x02\xf9\x3e\x00\x05\x02\x06\x20\x07\x18\x3c'
# one record of each kind: vs, vb, vd, sum only
seed kinds.cbor      '\x84\xa2\x00\x61\x73\x03\x62\x68\x69\xa2\x00\x61\x62\x04\xf5\xa2\x00\x61\x64\x08\x43\x01\x02\x03\xa2\x00\x61\x7a\x05\x03'
# text extension label, single and double floats, unit
seed floats.cbor     '\x82\xa3\x63\x65\x78\x74\x01\x00\x61\x65\x02\xfa\x40\x50\x00\x00\xa3\x00\x61\x66\x02\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00\x01\x61\x25'
# a CBOR sequence of two packs
seed seq.cbor        '\x81\xa2\x00\x61\x61\x02\x01\x81\xa2\x00\x61\x62\x02\x01'
# indefinite-length array and map
seed indef.cbor      '\x9f\xbf\x00\x61\x61\x02\x01\xff\xff'
# the same (name, time) twice
seed dup.cbor        '\x82\xa2\x00\x61\x61\x02\x01\xa2\x00\x61\x61\x02\x02'
# a must-understand label "x_"
seed mustund.cbor    '\x81\xa3\x62\x78\x5f\x01\x00\x61\x61\x02\x01'
# extreme integers: v = -2^64, s = 2^64-1
seed ints.cbor       '\x81\xa3\x00\x61\x6e\x02\x3b\xff\xff\xff\xff\xff\xff\xff\xff\x05\x1b\xff\xff\xff\xff\xff\xff\xff\xff'
# empty pack, a map instead of an array, a truncated pack
seed empty.cbor      '\x80'
seed notarray.cbor   '\xa1\x00\x61\x61'
seed trunc.cbor      '\x81\xa2\x00'
nseeds=$(find "$seeds" -type f | wc -l)
echo "fuzz: $nseeds seed inputs in $seeds"

# ---- fuzz --------------------------------------------------------------------
log=$out/fuzz.log
art=$out/artifacts/$(date +%Y%m%d-%H%M%S)
mkdir -p "$art"
# -malloc_limit_mb=64: decoding an input of at most 64 KiB needs no single
# allocation near that size (libcbor's largest, a 65536-element array, is
# 512 KiB), so a larger one is reported at once, with its stack, instead
# of being zero-filled until the 2 GiB RSS limit trips (finding 1 of
# docs/fuzzing.md).
limits=(-max_len=65536 -timeout=10 -malloc_limit_mb=64 -rss_limit_mb=2048)
flags=(-max_total_time="$secs" "${limits[@]}"
    -print_final_stats=1 -artifact_prefix="$art/")
keep=${HR_FUZZ_KEEP_GOING:-0}
if [ "$keep" = 1 ]; then
	flags+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
echo "fuzz: $bin ${flags[*]} $out/corpus $seeds"
echo "fuzz: full log in $log"
# progress on the terminal: libFuzzer's pulse and final lines (fork mode:
# one line per job); everything in the log
set +e
"$bin" "${flags[@]}" "$out/corpus" "$seeds" 2>&1 | tee "$log" |
	grep --line-buffered -E '^#[0-9]+:?[[:space:]]+(INITED|pulse|DONE|cov:)'
rc=${PIPESTATUS[0]}
set -e

# One line per crashing input: what it is (sanitizer or libFuzzer summary,
# failed assertion) and the first frame in our code.
classify() {
	local r
	r=$("$bin" "${limits[@]}" "$1" 2>&1 || true)
	{
		grep -m1 -oE "Assertion .*failed|SUMMARY: [A-Za-z]+: [a-z-]+|runtime error: .*|ERROR: libFuzzer: [a-z-]+" <<<"$r"
		grep -m1 -oE ' in cbor_[a-z_]+' <<<"$r"
		grep -m1 -oE ' in [a-zA-Z_0-9]+ [^ ]*(agent|tests/fuzz)/[^ ]*' <<<"$r" |
		    sed "s| $top/| |"
	} | paste -sd ' ' -
}

if [ "$rc" -ne 0 ] && [ "$keep" != 1 ]; then
	echo "fuzz: FINDING (libFuzzer exit status $rc):"
	# the report: from the first error line to the end of the log
	sed -n '/ERROR: \|runtime error\|==ERROR\|deadly signal\|timeout after/,$p' "$log" |
	    grep -v '^#[0-9]' | head -n 80
fi
nart=$(find "$art" -type f | wc -l)
if [ "$nart" -gt 0 ]; then
	# replaying an out-of-memory input takes seconds: classify every
	# crash- input but at most 10 oom- and 10 timeout- ones
	echo "fuzz: $nart crashing input(s) in $art, by finding:"
	{
		find "$art" -type f -name 'crash-*' | sort
		find "$art" -type f -name 'oom-*' | sort | head -n 10
		find "$art" -type f -name 'timeout-*' | sort | head -n 10
		find "$art" -type f ! -name 'crash-*' ! -name 'oom-*' ! -name 'timeout-*' | sort
	} | while read -r f; do
		echo "$(classify "$f")	$(basename "$f")"
	done | sort | awk -F'\t' '
	    { n[$1]++; if (!($1 in ex)) ex[$1] = $2 }
	    END { for (k in n) printf "fuzz:   %4d x %s  (e.g. %s)\n", n[k], k, ex[k] }'
	noom=$(find "$art" -type f -name 'oom-*' | wc -l)
	nto=$(find "$art" -type f -name 'timeout-*' | wc -l)
	if [ "$noom" -gt 10 ] || [ "$nto" -gt 10 ]; then
		echo "fuzz:   (of $noom oom- and $nto timeout- inputs, 10 each were replayed)"
	fi
else
	rmdir "$art"
fi

# Coverage of the corpus now on disk, in plain-mode counts (comparable
# between runs and modes): replay it once.
replay=$("$bin" -runs=0 "${limits[@]}" "$out/corpus" 2>&1 |
    grep -E '^#[0-9]+[[:space:]]+INITED' | tail -n 1 || true)

fstat() { sed -n "s/^stat::$1:[[:space:]]*//p" "$log" | tail -n 1; }
last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -n 1 || true)
field() { sed -n "s/.* $1:\{0,1\} \([^ ]*\).*/\1/p" <<<"$last"; }
ncorpus=$(find "$out/corpus" -type f | wc -l)
if [ "$keep" = 1 ]; then
	execs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$last")
	t=$(sed -n 's/.* time: \([0-9]*\)s.*/\1/p' <<<"$last")
	[ "${t:-0}" -gt 0 ] || t=1
	echo "fuzz: execs ${execs:-?} in $t s ($(( ${execs:-0} / t )) exec/s)," \
	    "oom/timeout/crash $(field 'oom\/timeout\/crash')"
	echo "fuzz: cov $(field cov) ft $(field ft) (fork-mode counts)," \
	    "$ncorpus files in $out/corpus"
	[ "$nart" -eq 0 ] || rc=1
else
	echo "fuzz: execs $(fstat number_of_executed_units)," \
	    "$(fstat average_exec_per_sec) exec/s, new units $(fstat new_units_added)," \
	    "peak rss $(fstat peak_rss_mb) MB"
	echo "fuzz: cov $(field cov) ft $(field ft) corp $(field corp)" \
	    "(inputs/bytes in memory), $ncorpus files in $out/corpus"
fi
last=$replay
echo "fuzz: corpus replay: cov $(field cov) ft $(field ft) corp $(field corp)" \
    "(plain-mode counts: inputs/bytes)"
if [ "$rc" -eq 0 ]; then
	echo "fuzz: no crash, leak, timeout or out-of-memory in ${secs}s"
fi
exit "$rc"
