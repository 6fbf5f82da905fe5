#!/bin/sh
# detect.sh - "headroom detect [--threshold T] [FILE.csv | -]": the agent's
# anomaly detector over a CSV file (agent/cmd_detect.c, agent/anomaly.c).
# Inputs are generated here (python, fixed seeds): the output's shape, the
# input forms it accepts (header or not, CRLF, blank lines, extra columns,
# six timestamp forms), its errors and exit statuses, non-finite values,
# determinism, a spike detected end to end and the flag's raise and clear
# rule (anomaly.h: raised at score >= T, cleared after ANOM_QUIET_N = 10
# samples in a row below ANOM_CLEAR = 0.5 x T).
. "$(dirname "$0")/lib.sh"
B=$HR_BIN
PY=${PYTHON:-/usr/bin/python3}

# ---- helpers (each returns non-zero with a message when the check fails) ----

# tool CMD ARGS...: the python helpers below
tool() {
	"$PY" - "$@" <<'EOF'
import datetime, math, random, re, sys

T0 = 1577836800                      # 2020-01-01 00:00:00 UTC, a midnight


def fmt(t, form):
    """Instant t (seconds, maybe fractional) written in a form."""
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(t))
    frac = t - int(t)
    if form == "epoch":
        return "%d" % t if frac == 0 else "%.3f" % t
    if form == "date":
        assert int(t) % 86400 == 0 and frac == 0
        return d.strftime("%Y-%m-%d")
    sep, z = ("T" if form in ("T", "TZ") else " "), ("Z" if form == "TZ" else "")
    s = d.strftime("%Y-%m-%d" + sep + "%H:%M:%S")
    if form == "frac" or frac:
        s += ".%03d" % round(frac * 1000)
    return s + z


def gen(out, n, seed, spike, form, fracs=False):
    """n rows 5 minutes apart from T0: a daily cycle (amplitude 10)
    plus uniform noise (+-2), +30 at row spike (-1: none).  form: one
    timestamp form for every row, or "mixed": the forms in turn, row by
    row (epoch, space, T, TZ, .000; date only at midnights), or
    "shift": mixed with the T rows written one hour late (a mis-parse,
    to show the comparison would see one).  fracs: the rows' instants
    have a fraction k/8 s (exact in binary), the epoch or HH:MM:SS.fff
    forms only; "drop" writes them without it."""
    rnd = random.Random(seed)
    with open(out, "w") as f:
        f.write("timestamp,value\n")
        for i in range(n):
            t = T0 + 300 * i
            v = 50 + 10 * math.sin(2 * math.pi * (t % 86400) / 86400) + \
                rnd.uniform(-2, 2)
            if i == spike:
                v += 30
            if fracs:
                t += (i % 8) / 8.0
            fm = form
            if form in ("mixed", "shift"):
                fm = ["epoch", "space", "T", "TZ", "frac"][i % 5]
                if t % 86400 == 0:
                    fm = "date"
                if form == "shift" and fm == "T":
                    t += 3600
            if fracs == "drop":
                t = int(t)
            f.write("%s,%.3f\n" % (fmt(t, fm), v))


def rows(path, header=True):
    lines = open(path, newline="").read().split("\n")
    assert lines[-1] == "", "%s: no newline at the end" % path
    lines = lines[:-1]
    if header:
        assert lines[0] == "timestamp,value,anomaly_score,flag", \
            "%s: header %r" % (path, lines[0])
        lines = lines[1:]
    return [l.split(",") for l in lines]


def shape(inp, out):
    """out is detect's output for inp (header timestamp,value, no blank
    lines): the header, one row per input row in order, timestamp and
    value verbatim, a score in [0,1] with 6 decimals, a flag 0/1."""
    src = open(inp).read().splitlines()[1:]
    got = rows(out)
    assert len(got) == len(src), "%d rows for %d" % (len(got), len(src))
    for i, (s, r) in enumerate(zip(src, got)):
        assert len(r) == 4, "row %d: %r" % (i, r)
        assert r[:2] == s.split(",")[:2], "row %d: %r for %r" % (i, r, s)
        assert re.fullmatch(r"[01]\.[0-9]{6}", r[2]) and \
            0 <= float(r[2]) <= 1, "row %d: score %r" % (i, r[2])
        assert r[3] in ("0", "1"), "row %d: flag %r" % (i, r[3])
    print(len(got), "rows")


def scores(path):
    return [float(r[2]) for r in rows(path)]


def raised(path):
    """Rows (0-based data rows) where the flag goes 0 -> 1."""
    fl = [r[3] for r in rows(path)]
    return [i for i in range(len(fl)) if fl[i] == "1" and
            (i == 0 or fl[i - 1] == "0")]


def model(path, t):
    """The flag column is the rule applied to the score column: raised at
    score >= T, then cleared on the 10th row in a row below 0.5 T (any
    row at or above 0.5 T starts the count over).  T as the detector
    holds it: a float.  Prints how often a count started over."""
    import struct
    t = struct.unpack("f", struct.pack("f", float(t)))[0]
    flag, quiet, resets = 0, 0, 0
    for i, r in enumerate(rows(path)):
        s = float(r[2])
        if not flag:
            if s >= t:
                flag, quiet = 1, 0
        elif s >= 0.5 * t:
            resets += quiet > 0
            quiet = 0
        else:
            quiet += 1
            if quiet >= 10:
                flag = 0
        assert r[3] == str(flag), "row %d: %r, want flag %d" % (i, r, flag)
    print("flag column as the rule says; counts started over:", resets)
    return resets


def nonfinite(src, dst):
    """dst: src with rows of nan, inf, -inf added (at row 1, before the
    detector has learnt anything; just after the spike at 1000, 150 s
    after its row; three in a row; the last row)."""
    lines = open(src).read().splitlines()
    hdr, body = lines[0], lines[1:]
    add = {1: ["nan"], 1001: ["nan"], 1200: ["inf", "-inf", "nan"],
           len(body): ["-inf"]}
    out = [hdr]
    for i in range(len(body) + 1):
        for v in add.get(i, []):
            t = int(body[i - 1].split(",")[0]) + 150
            out.append("%d,%s" % (t, v))
        if i < len(body):
            out.append(body[i])
    open(dst, "w").write("\n".join(out) + "\n")


cmd, a = sys.argv[1], sys.argv[2:]
if cmd == "gen":
    gen(a[0], int(a[1]), int(a[2]), int(a[3]), a[4],
        {"": False, "frac": True, "drop": "drop"}[a[5] if a[5:] else ""])
elif cmd == "shape":
    shape(a[0], a[1])
elif cmd == "scores-differ":
    x, y = scores(a[0]), scores(a[1])
    assert len(x) == len(y)
    d = sum(p != q for p, q in zip(x, y))
    print(d, "scores differ")
    assert d > 0
elif cmd == "raised":
    print(" ".join(map(str, raised(a[0]))))
elif cmd == "e2e":
    # the spike at row S is raised at S..S+2; no raise in rows 1000..end
    # outside [S, S+20]
    s, r = int(a[1]), raised(a[0])
    print("raised at", r)
    assert any(s <= i <= s + 2 for i in r), "spike at %d not raised" % s
    bad = [i for i in r if i >= 1000 and not s <= i <= s + 20]
    assert not bad, "raised at %s" % bad
elif cmd == "fewer":
    print(len(raised(a[0])), "raises with", a[0], "and", len(raised(a[1])),
          "with", a[1])
    assert len(raised(a[0])) <= len(raised(a[1]))
elif cmd == "model":
    if model(a[0], a[1]) < int(a[2] if a[2:] else 0):
        sys.exit("no count started over: the rule's reset is not exercised")
elif cmd == "clears":
    # after the spike's raise: flag 1 until the 10th row in a row below
    # 0.5 T (rows at or above it start over), 0 on that row; within 30
    s, t = int(a[1]), float(a[2])
    rs = rows(a[0])
    r = [i for i in raised(a[0]) if s <= i <= s + 2][0]
    quiet, c = 0, r
    while quiet < 10:
        c += 1
        quiet = quiet + 1 if float(rs[c][2]) < 0.5 * t else 0
        assert quiet == 10 or rs[c][3] == "1", \
            "row %d: %r: cleared early" % (c, rs[c])
    print("raised at", r, "cleared at", c, rs[r:c + 1])
    assert rs[c][3] == "0", "row %d: %r: not cleared" % (c, rs[c])
    assert c - r <= 30, "cleared %d rows after the raise" % (c - r)
elif cmd == "nonfinite":
    nonfinite(a[0], a[1])
elif cmd == "nonfinite-check":
    # the added rows score 0.000000; the others as without them
    w, wo = rows(a[0]), rows(a[1])
    nf = [r for r in w if r[1] in ("nan", "inf", "-inf")]
    assert len(nf) == 6, nf
    assert all(r[2] == "0.000000" for r in nf), nf
    rest = [r[:3] for r in w if r[1] not in ("nan", "inf", "-inf")]
    assert rest == [r[:3] for r in wo], "scores differ"
    print(len(nf), "non-finite rows score 0;", len(rest), "rows as without")
else:
    sys.exit("tool: " + cmd)
EOF
}


# run NAME ARGS...: headroom detect ARGS > NAME.out, stderr in NAME.err,
# status in NAME.rc (inputs are NAME.csv)
run() {
	r_name=$1
	shift
	"$B" detect "$@" >"$TMP/$r_name.out" 2>"$TMP/$r_name.err"
	echo $? >"$TMP/$r_name.rc"
}

# rc NAME N: the run NAME exited with status N
rc() {
	got=$(cat "$TMP/$1.rc")
	[ "$got" -eq "$2" ] || { echo "exit $got, want $2"; cat "$TMP/$1.err"; return 1; }
}

# err NAME TEXT: the run NAME's stderr has TEXT (a fixed string)
err() {
	grep -F -- "$2" "$TMP/$1.err" >/dev/null ||
	    { echo "stderr has no '$2':"; cat "$TMP/$1.err"; return 1; }
}

# same A B: the files are byte for byte the same
same() { cmp "$1" "$2" || { diff "$1" "$2" | head -20; return 1; }; }

# samecols LIST A B: the same columns LIST (cut -f) in both files
samecols() {
	cut -d, -f"$1" "$2" >"$TMP/sc.a"
	cut -d, -f"$1" "$3" >"$TMP/sc.b"
	same "$TMP/sc.a" "$TMP/sc.b"
}

# A non-UTC zone, half an hour off: timestamps are UTC, never local time.
TZ=Asia/Kolkata
export TZ

# ---- 1. the output's shape ---------------------------------------------------

cat >"$TMP/small.csv" <<'EOF'
timestamp,value
2020-01-01 00:00:00,0.1200
2020-01-01 00:05:00,1e3
2020-01-01 00:10:00,-7
2020-01-01 00:15:00,12
2020-01-01 00:20:00,3.5E-2
2020-01-01 00:25:00,0
2020-01-01 00:30:00,-0.000
2020-01-01 00:35:00,11
2020-01-01 00:40:00,12.5
2020-01-01 00:45:00,11.75
2020-01-01 00:50:00,12
2020-01-01 00:55:00,1e3
2020-01-01 01:00:00,12
EOF
run small "$TMP/small.csv"
ok "shape: header, one row per input row in order, timestamp and value verbatim (0.1200, 1e3, -7), scores in [0,1] with 6 decimals, flag 0/1" eval "
rc small 0 && tool shape $TMP/small.csv $TMP/small.out &&
grep -q '1e3,0\.[0-9]*,[01]\$' $TMP/small.out"
# the series of the end-to-end checks (7, 8): 5000 rows 5 minutes apart,
# a daily cycle, noise, +30 at row 3000
tool gen "$TMP/g.csv" 5000 4 3000 space
run g "$TMP/g.csv"
ok "shape on 5000 generated rows: every row as it should be, scores not all 0" eval "
rc g 0 && tool shape $TMP/g.csv $TMP/g.out &&
test \$(cut -d, -f3 $TMP/g.out | sort -u | wc -l) -gt 1000"

# ---- 2. input forms -----------------------------------------------------------

head -1001 "$TMP/g.csv" >"$TMP/in.csv"
run in "$TMP/in.csv"
tail -n +2 "$TMP/in.csv" >"$TMP/nohead.csv"
run nohead "$TMP/nohead.csv"
ok "a header line on input is optional: without it, the same output" eval "
rc in 0 && rc nohead 0 && tool shape $TMP/in.csv $TMP/in.out &&
same $TMP/in.out $TMP/nohead.out"
sed 's/$/\r/' "$TMP/in.csv" >"$TMP/crlf.csv"
run crlf "$TMP/crlf.csv"
ok "CRLF line endings: the same output (LF only)" eval "
rc crlf 0 && test \$(tr -cd '\r' <$TMP/crlf.csv | wc -c) -eq 1001 &&
same $TMP/in.out $TMP/crlf.out"
awk '{ print } NR % 97 == 0 { print "" } NR % 89 == 0 { printf "\r\n" }
    END { print ""; print "" }' "$TMP/in.csv" >"$TMP/blank.csv"
run blank "$TMP/blank.csv"
ok "blank lines (LF and CRLF, inside and at the end) are skipped: the same output" eval "
rc blank 0 && test \$(grep -c -v , $TMP/blank.csv) -eq 23 &&
same $TMP/in.out $TMP/blank.out"
run fedback "$TMP/in.out"
ok "detect's own output fed back (columns after the value ignored): byte for byte the same" eval "
rc fedback 0 && same $TMP/in.out $TMP/fedback.out"
awk 'NR == 1 { print $0 ",note,x"; next } { print $0 ",x" NR ",,9" }' \
    "$TMP/in.csv" >"$TMP/extra.csv"
run extra "$TMP/extra.csv"
ok "any extra columns after the value are ignored: the same output" eval "
rc extra 0 && same $TMP/in.out $TMP/extra.out"

# ---- 3. timestamp forms --------------------------------------------------------
# One series (a daily cycle, 2000 rows) with epoch seconds, and with the
# forms taking turns row by row: epoch, "YYYY-MM-DD HH:MM:SS", with T,
# with T and Z, with ".000", and the date alone at midnights.  Mixed in
# one file, a form read an hour (or half an hour: TZ) off would put its
# rows in other slots of the daily profile than the epoch rows: the
# "shift" file, the T rows an hour late, shows the scores would differ.

tool gen "$TMP/ep.csv" 2000 7 -1 epoch
tool gen "$TMP/mx.csv" 2000 7 -1 mixed
tool gen "$TMP/sh.csv" 2000 7 -1 shift
run ep "$TMP/ep.csv"
run mx "$TMP/mx.csv"
run sh "$TMP/sh.csv"
ok "timestamp forms: epoch, space, T, TZ, .000, date only: all read, copied verbatim" eval "
rc mx 0 && tool shape $TMP/mx.csv $TMP/mx.out &&
grep -q '^2020-01-02,' $TMP/mx.out && grep -q '^2020-01-01T00:10:00,' $TMP/mx.out &&
grep -q '^2020-01-01T00:15:00Z,' $TMP/mx.out && grep -q '^2020-01-01 00:20:00.000,' $TMP/mx.out &&
grep -q '^1577838300,' $TMP/mx.out"
ok "the forms in turn give the same scores and flags as epoch seconds throughout" eval "
rc ep 0 && samecols 3,4 $TMP/ep.out $TMP/mx.out"
ok "... and the check can fail: the T rows an hour late change scores" eval "
rc sh 0 && tool scores-differ $TMP/ep.out $TMP/sh.out"
# fractional seconds: instants k/8 s past the second
tool gen "$TMP/fe.csv" 2000 7 -1 epoch frac
tool gen "$TMP/fm.csv" 2000 7 -1 mixed frac
tool gen "$TMP/fd.csv" 2000 7 -1 mixed drop
run fe "$TMP/fe.csv"
run fm "$TMP/fm.csv"
run fd "$TMP/fd.csv"
ok "fractional seconds (HH:MM:SS.500, T...SS.375Z, epoch 1577837100.125): the same scores as epoch" eval "
rc fe 0 && rc fm 0 && grep -q '^2020-01-01T00:15:00.375Z,' $TMP/fm.out &&
grep -q '^2020-01-01 00:20:00.500,' $TMP/fm.out && grep -q '^1577838300.625,' $TMP/fm.out &&
grep -q '^1577837100.125,' $TMP/fe.out && samecols 3,4 $TMP/fe.out $TMP/fm.out"
ok "... and the check can fail: the fractions dropped change scores" eval "
rc fd 0 && tool scores-differ $TMP/fe.out $TMP/fd.out"

# ---- 4. errors, options, standard input ----------------------------------------

run nofile "$TMP/no-such.csv"
ok "a file that does not exist: exit 1, the file named, nothing on stdout" eval "
rc nofile 1 && err nofile '$TMP/no-such.csv' && test ! -s $TMP/nofile.out"
printf 'timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:05:00,2\n\n2020-01-01 00:10:00,3\n' \
    >"$TMP/ok4.csv"
run ok4 "$TMP/ok4.csv"
# bad NAME LINE: ok4.csv with LINE and a good row after it
bad() {
	{ cat "$TMP/ok4.csv"; printf '%s\n' "$2" '2020-01-01 00:20:00,5'; } >"$TMP/$1.csv"
	run "$1" "$TMP/$1.csv"
}
bad badts '2020-01-01 00:61:00,4'
ok "a bad timestamp on line 6: exit 1, 'FILE:6: bad timestamp', the rows before it written" eval "
rc badts 1 && err badts '$TMP/badts.csv:6: bad timestamp' && same $TMP/ok4.out $TMP/badts.out &&
test \$(wc -l <$TMP/ok4.out) -eq 4"
bad badts2 '2020-01-01 00:15,4'
bad badts3 '2020/01/01 00:15:00,4'
bad badts4 '1577837700x,4'
bad badts5 '2020-13-01 00:15:00,4'
bad badts6 '2020-01-01 00:15:00+01:00,4'
ok "other bad timestamps (no seconds, slashes, junk after epoch, month 13, an offset): line 6" eval "
(for b in badts2 badts3 badts4 badts5 badts6; do
	rc \$b 1 && err \$b \"\$b.csv:6: bad timestamp\" && same $TMP/ok4.out $TMP/\$b.out || exit 1
done)"
bad badv '2020-01-01 00:15:00,abc'
bad badv2 '2020-01-01 00:15:00,'
bad badv3 '2020-01-01 00:15:00,12abc'
bad badv4 '2020-01-01 00:15:00,5 '
ok "a bad value (abc, empty, 12abc, a trailing space): exit 1, 'FILE:6: bad value', rows before written" eval "
(for b in badv badv2 badv3 badv4; do
	rc \$b 1 && err \$b \"\$b.csv:6: bad value\" && same $TMP/ok4.out $TMP/\$b.out || exit 1
done)"
bad nocomma '2020-01-01 00:15:00 4'
ok "a line without a comma: exit 1, 'FILE:6: not timestamp,value'" eval "
rc nocomma 1 && err nocomma '$TMP/nocomma.csv:6: not timestamp,value' &&
same $TMP/ok4.out $TMP/nocomma.out"
bad long "2020-01-01 00:15:00,4,$("$PY" -c 'print("x" * 4100)')"
bad long2 "2020-01-01 00:15:00,4$("$PY" -c 'print("0" * 4100)')"
bad notlong "2020-01-01 00:15:00,4,$("$PY" -c 'print("x" * 4072)')"
ok "a line longer than 4095 bytes: exit 1, 'FILE:6: line too long'; one of 4094 is read" eval "
rc long 1 && err long '$TMP/long.csv:6: line too long' && same $TMP/ok4.out $TMP/long.out &&
rc long2 1 && err long2 'long2.csv:6: line too long' &&
test \$(sed -n 6p $TMP/notlong.csv | wc -c) -eq 4095 && rc notlong 0 &&
test \$(wc -l <$TMP/notlong.out) -eq 6"
for t in 0 1.5 abc -0.5 nan ''; do
	run "thr$t" --threshold "$t" "$TMP/ok4.csv"
done
ok "--threshold 0, 1.5, abc, -0.5, nan, empty: exit 2, said so, nothing on stdout" eval "
(for t in 0 1.5 abc -0.5 nan ''; do
	rc thr\$t 2 && err thr\$t \"--threshold '\$t'\" && test ! -s $TMP/thr\$t.out || exit 1
done)"
run thrmiss "$TMP/ok4.csv" --threshold
run thrmiss2 --threshold
ok "--threshold without its argument (after the file, or alone): exit 2" eval "
rc thrmiss 2 && rc thrmiss2 2 && test ! -s $TMP/thrmiss.out"
run thr1 --threshold 1 "$TMP/ok4.csv"
run thrafter "$TMP/ok4.csv" --threshold 0.5
ok "--threshold 1 is allowed; the option may follow the file" eval "
rc thr1 0 && rc thrafter 0 && same $TMP/ok4.out $TMP/thr1.out && same $TMP/ok4.out $TMP/thrafter.out"
run unk --bogus "$TMP/ok4.csv"
run unk2 -x
ok "an unknown option: exit 2, 'unknown option', the usage" eval "
rc unk 2 && err unk \"unknown option '--bogus'\" && err unk usage && rc unk2 2 &&
test ! -s $TMP/unk.out"
run two "$TMP/ok4.csv" "$TMP/ok4.csv"
ok "two files: exit 2, the usage" eval "
rc two 2 && err two usage && test ! -s $TMP/two.out"
ok "'-' reads standard input" eval "
'$B' detect - <$TMP/in.csv >$TMP/stdin1.out && same $TMP/in.out $TMP/stdin1.out"
ok "no file argument reads standard input (with --threshold too)" eval "
'$B' detect <$TMP/in.csv >$TMP/stdin2.out && same $TMP/in.out $TMP/stdin2.out &&
'$B' detect --threshold 0.5 <$TMP/in.csv >$TMP/stdin3.out &&
samecols 1-3 $TMP/in.out $TMP/stdin3.out"
ok "an error on standard input is named <stdin>:LINE" eval "
'$B' detect - <$TMP/badv.csv >$TMP/stdin4.out 2>$TMP/stdin4.err; test \$? -eq 1 &&
grep -F '<stdin>:6: bad value' $TMP/stdin4.err && same $TMP/ok4.out $TMP/stdin4.out"
ok "--help: the usage on stdout, exit 0" eval "
'$B' detect --help | grep -q 'usage: headroom detect'"

# ---- 5. non-finite values ------------------------------------------------------

tool gen "$TMP/nf0.csv" 1500 4 1000 epoch
tool nonfinite "$TMP/nf0.csv" "$TMP/nf1.csv"
run nf0 "$TMP/nf0.csv"
run nf1 "$TMP/nf1.csv"
ok "nan, inf, -inf are read: their rows score 0.000000, the other rows score as without them" eval "
rc nf0 0 && rc nf1 0 && tool shape $TMP/nf1.csv $TMP/nf1.out &&
tool nonfinite-check $TMP/nf1.out $TMP/nf0.out"

# ---- 6. determinism ------------------------------------------------------------

tool gen "$TMP/big.csv" 20000 11 12345 space
run big1 "$TMP/big.csv"
run big2 "$TMP/big.csv"
ok "two runs on 20000 rows: byte for byte the same output" eval "
rc big1 0 && rc big2 0 && test \$(wc -l <$TMP/big1.out) -eq 20001 &&
cmp $TMP/big1.out $TMP/big2.out"

# ---- 7. detection end to end -----------------------------------------------------

ok "the spike at row 3000 raises the flag (at it or 2 rows after); no other raise in rows 1000.. outside [3000, 3020]" \
    tool e2e "$TMP/g.out" 3000
run g99 --threshold 0.99 "$TMP/g.csv"
run g50 --threshold 0.5 "$TMP/g.csv"
run g100 --threshold 1 "$TMP/g.csv"
run g70 "$TMP/g.csv" --threshold 0.7
ok "--threshold 0.99 raises no more flags than the default (0.93)" eval "
rc g99 0 && tool fewer $TMP/g99.out $TMP/g.out"
ok "--threshold 0.5, 0.7, 0.99, 1 change the flag column only, never the scores" eval "
(for t in g50 g70 g99 g100; do
	rc \$t 0 && samecols 1-3 $TMP/g.out $TMP/\$t.out || exit 1
done) && ! samecols 4 $TMP/g.out $TMP/g50.out >/dev/null"

# ---- 8. the flag's rule --------------------------------------------------------

ok "after the spike the flag clears on the 10th row in a row below 0.5 x 0.93, within 30 rows" \
    tool clears "$TMP/g.out" 3000 0.93
ok "the flag column is the rule applied to the scores (raise >= T; clear: 10 below 0.5 T), T = 0.93 and 0.99" eval "
tool model $TMP/g.out 0.93 && tool model $TMP/g99.out 0.99"
ok "... and with T = 0.5 and 0.7, where a score >= 0.5 T starts the quiet count over" eval "
tool model $TMP/g50.out 0.5 1 && tool model $TMP/g70.out 0.7"
