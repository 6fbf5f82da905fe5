#!/bin/sh
# nab_score.sh - tools/nab-score on hand-made cases whose score is worked
# out by hand here (the NAB rules: ../shared/data/nab-dev/README.md).
#
# Every series has 100 rows (probation: the first floor(0.15 * 100) = 15
# rows), one minute apart, and one window [60, 69] (w = 10) unless said
# otherwise.  sigma(y) = 2/(1+e^(5y)) - 1; sigma(-1) = 0.986614298.
#
#   detection at the window's first row 60: y = -(69-60+1)/10 = -1,
#     reward sigma(-1)/sigma(-1) = 1
#   at row 62: y = -0.8, reward sigma(-0.8)/sigma(-1)
#     = 0.964027580/0.986614298 = 0.977106841
#   at row 69 (last): y = -0.1, reward 0.244918662/0.986614298
#     = 0.248241550
#   a false positive before any window ended: -A_FP
#   at row 70: y = |70-69|/(10-1) = 0.1111, cost A_FP * sigma(0.1111)
#     = 0.11 * -0.270847 = -0.029793 (standard)
#   at row 99: y = 30/9 > 3: cost -A_FP
#   normalised: 100 * (S + A_FN * W) / ((A_TP + A_FN) * W), W windows
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-/usr/bin/python3}
NAB="$PY tools/nab-score"

# mk DIR NAME "ROW:SCORE ..." [WINDOW_LO WINDOW_HI]: one series of 100
# rows with the given scores (0 elsewhere), its window added to
# DIR/windows.json
mk() {
	gen score "$@"
}

# gen score|flag DIR NAME SPEC [LO HI [N]]: one series of N rows (100),
# its window [LO, HI] (60..69; LO < 0: none) added to DIR/windows.json.
# score: SPEC "ROW:SCORE ...", 0 elsewhere, flag = score >= 0.5;
# flag: SPEC "ROW" or "FROM-TO" ..., scores all 0.0.
gen() {
	"$PY" - "$@" <<'EOF'
import datetime, json, os, sys
mode, d, name, spec = sys.argv[1:5]
lo, hi = (int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 6 \
    else (60, 69)
n = int(sys.argv[7]) if len(sys.argv) > 7 else 100
t0 = datetime.datetime(2020, 1, 1)
ts = lambda i: (t0 + datetime.timedelta(minutes=i)).strftime(
    "%Y-%m-%d %H:%M:%S")
if mode == "score":
    score = [0.0] * n
    for kv in spec.split():
        r, s = kv.split(":")
        score[int(r)] = float(s)
    rows = [(str(s), int(s >= 0.5)) for s in score]
else:
    flag = [0] * n
    for r in spec.split():
        a, b = (r.split("-") + [r])[:2]
        for i in range(int(a), int(b) + 1):
            flag[i] = 1
    rows = [("0.0", f) for f in flag]
os.makedirs(os.path.join(d, os.path.dirname(name)), exist_ok=True)
with open(os.path.join(d, name), "w") as f:
    f.write("timestamp,value,anomaly_score,flag\n")
    for i, (s, fl) in enumerate(rows):
        f.write("%s,%d,%s,%d\n" % (ts(i), i, s, fl))
wp = os.path.join(d, "windows.json")
w = json.load(open(wp)) if os.path.exists(wp) else {}
w[name] = [] if lo < 0 else [[ts(lo) + ".000000", ts(hi) + ".000000"]]
json.dump(w, open(wp, "w"))
EOF
}

# score DIR PROFILE KEY WANT [ARGS]: the JSON figure is WANT (1e-6)
score() {
	sc_dir=$1 sc_prof=$2 sc_key=$3 sc_want=$4
	shift 4
	$NAB --windows "$sc_dir/windows.json" --json "$sc_dir/out.json" "$@" \
	    "$sc_dir" >"$sc_dir/out.txt" || { cat "$sc_dir/out.txt"; return 1; }
	"$PY" -c "
import json, sys
p = json.load(open(sys.argv[1]))['profiles'][sys.argv[2]]
for k in sys.argv[3].split('.'):
    p = p[k]
want = float(sys.argv[4])
print(sys.argv[3], '=', p, 'want', want)
assert abs(p - want) < 1e-6, (p, want)
" "$sc_dir/out.json" "$sc_prof" "$sc_key" "$sc_want"
}

D=$TMP/perfect
mk "$D" cat/a.csv "60:1"
ok "perfect detector (first row of the window): 100 in every profile" eval "
score $D standard score 100 && score $D reward_low_FP_rate score 100 &&
score $D reward_low_FN_rate score 100 && score $D standard threshold 1"
D=$TMP/none
mk "$D" cat/a.csv ""
ok "no detection: 0 in every profile, hindsight threshold 1.1 (never)" eval "
score $D standard score 0 && score $D reward_low_FN_rate score 0 &&
score $D standard threshold 1.1"
D=$TMP/late
mk "$D" cat/a.csv "69:1"
# standard: 100 * (0.248241550 + 1) / 2 = 62.4120775
# low FN: 100 * (0.248241550 + 2) / 3 = 74.9413850
ok "one late hit (last row of the window): 62.412 standard, 74.941 low-FN" eval "
score $D standard score 62.41207749 && score $D reward_low_FN_rate score 74.94138499"
D=$TMP/early
mk "$D" cat/a.csv "62:1 65:1"
# only the earliest counts: 100 * (0.977106841 + 1) / 2 = 98.8553421
ok "an early hit (row 62) and a later one in the same window: only the earliest counts, 98.855" \
    score "$D" standard score 98.85534205
D=$TMP/fpnear
mk "$D" cat/a.csv "60:1 70:1"
# 1 - 0.029793183 = 0.970206817: 100 * 1.970206817 / 2 = 98.5103408
ok "a false positive one row after the window: costs almost nothing (98.510)" \
    score "$D" standard score 98.51034085
D=$TMP/fpfar
mk "$D" cat/a.csv "60:1 99:1"
# 1 - 0.11 = 0.89: 94.5; low FP: 1 - 0.22 = 0.78: 89
ok "a false positive 30 rows (> 3 window widths) after: full cost (94.5 standard, 89 low-FP)" eval "
score $D standard score 94.5 && score $D reward_low_FP_rate score 89"
D=$TMP/fpbefore
mk "$D" cat/a.csv "30:1 60:1"
ok "a false positive before any window ended: full cost (94.5)" \
    score "$D" standard score 94.5
D=$TMP/probation
mk "$D" cat/a.csv "5:1 14:1 60:1"
ok "detections in the probation rows (0..14) are ignored: 100" \
    score "$D" standard score 100
D=$TMP/hind
mk "$D" cat/a.csv "30:0.9 62:0.6"
# theta 0.9: FP only, -0.11 - 1 = -1.11; theta 0.6: -0.11 + 0.977106841
# = 0.867106841 -> 100 * 1.867106841 / 2 = 93.3553421; 1.1: -1
ok "hindsight threshold: 0.6 (detects the FP and the hit) beats 0.9 and never: 93.355" eval "
score $D standard threshold 0.6 && score $D standard score 93.35534205"
ok "fixed threshold 0.95: nothing detected, 0; 0.5: 93.355; the flag column (score >= 0.5): 93.355" eval "
score $D standard fixed.score 0 --threshold 0.95 &&
score $D standard fixed.score 93.35534205 --threshold 0.5 &&
score $D standard fixed.score 93.35534205 --flags"
D=$TMP/two
mk "$D" cat/a.csv "60:1"
mk "$D" cat/b.csv "69:1"
mk "$D" quiet/c.csv "80:1" -1 -1
# windows W = 2; S = 1 + 0.248241550 - 0.11 (c.csv: no window ever ends)
# = 1.138241550 -> 100 * (1.138241550 + 2) / 4 = 78.4560388
ok "three files, one without a window: totals summed, normalised by all windows (78.456)" \
    score "$D" standard score 78.45603874
ok "per category: cat 2 windows 100 * (1.248241550 + 2) / 4 = 81.206; quiet: no window, raw -0.11" eval "
score $D standard categories.cat.score 81.20603874 &&
score $D standard categories.quiet.raw -0.11"
D=$TMP/dup
mk "$D" cat/a.csv "60:1"
"$PY" - "$D/cat/a.csv" <<'EOF'
import sys
# a clock change: row 61 repeats row 60's timestamp, the window's left
# edge; windows are aligned by its first occurrence (row 60, where the
# detection is), scores by position (lines: header, then row i at i + 1)
p = sys.argv[1]
rows = open(p).read().splitlines()
rows[62] = rows[61].split(",")[0] + "," + ",".join(rows[62].split(",")[1:])
open(p, "w").write("\n".join(rows) + "\n")
EOF
ok "a repeated timestamp at the window edge (clock change): the first occurrence is the edge, still 100" \
    score "$D" standard score 100
D=$TMP/bad
mk "$D" cat/a.csv "60:1"
"$PY" -c "
import json, sys
w = json.load(open(sys.argv[1])); w['cat/a.csv'] = [['2021-01-01 00:00:00', '2021-01-01 00:01:00']]
json.dump(w, open(sys.argv[1], 'w'))" "$D/windows.json"
ok "a window edge that is not a timestamp of the file: exit 2, said so" eval "
$NAB --windows $D/windows.json $D >/dev/null 2>$D/err; test \$? -eq 2 &&
grep -q 'not a timestamp of the file' $D/err"
D=$TMP/missing
mk "$D" cat/a.csv "60:1"
mk "$D" cat/b.csv "60:1"
rm "$D/cat/b.csv"
ok "a series without output: exit 2 (by default), scored with --partial" eval "
$NAB --windows $D/windows.json $D >/dev/null 2>&1; test \$? -eq 2 &&
$NAB --windows $D/windows.json --partial $D >/dev/null"

# ---- --flags: a detection is a row where the flag is RAISED ----------------
# (1 after 0, or 1 on the first row); the rows it stays up are not new
# detections.  Scores are 0 throughout (the hindsight figures say
# nothing here): the fixed figure with --flags is the one checked.  Each
# case's score if every row with flag 1 counted is worked out too, to
# show the case tells the rules apart.

# mkf DIR NAME "FLAGS" [WINDOW_LO WINDOW_HI [ROWS]]: as mk, but every
# score 0 and the flag column given: FLAGS lists the rows where the flag
# is 1 (R or A-B, inclusive); ROWS rows (100 unless said)
mkf() {
	gen flag "$@"
}

D=$TMP/flagrun
mkf "$D" cat/a.csv "30-35 60-62"
# one false positive at 30 (rows 31..35: the flag stays up), before any
# window ended: -0.11; the hit at 60 (61, 62 stay up): +1
# S = 0.89 -> 100 * 1.89 / 2 = 94.5; low FP: 100 * 1.78 / 2 = 89
# (every row counted: six false positives, -0.66: 67)
ok "--flags: a flag up for rows 30..35 is ONE false positive (94.5 standard, 89 low-FP)" eval "
score $D standard fixed.score 94.5 --flags && score $D reward_low_FP_rate fixed.score 89 --flags &&
score $D standard fixed.raw 0.89 --flags"
D=$TMP/flagrunafter
mkf "$D" cat/a.csv "60 70-79"
# the hit at 60: 1; one false positive at 70, one row after the window:
# -0.029793183 (as "fpnear"): 100 * 1.970206817 / 2 = 98.5103408
# (every row counted: rows 70..79 each charged, 56.045)
ok "--flags: a flag up for rows 70..79 after the window: one false positive at 70 (98.510)" \
    score "$D" standard fixed.score 98.51034085 --flags
D=$TMP/flaginto
mkf "$D" cat/a.csv "55-65"
# raised at 55, before the window [60, 69], up into it: a false positive
# at 55 (-0.11) and the window missed (-1): S = -1.11
# -> 100 * (-1.11 + 1) / 2 = -5.5; low FN: 100 * (-0.11 - 2) / 3 = -3.6667
# (every row counted: 55..59 five false positives, the hit at 60: 72.5)
ok "--flags: a flag raised at 55 and up into the window: a false positive, not a hit (-5.5, low-FN -3.667)" eval "
score $D standard fixed.score -5.5 --flags &&
score $D reward_low_FN_rate fixed.score -3.66666667 --flags"
D=$TMP/flagreraise
mkf "$D" cat/a.csv "55-62 64-66"
# as above, then cleared at 63 and raised again at 64, in the window:
# -0.11 + sigma(-0.6)/sigma(-1), y = -(69-64+1)/10 = -0.6:
# 0.905148254 / 0.986614298 = 0.917428680; S = 0.807428680
# -> 100 * 1.807428680 / 2 = 90.3714340 (every row counted: 72.5)
ok "--flags: ... cleared at 63 and raised again at 64: the window is hit at 64 (90.371)" \
    score "$D" standard fixed.score 90.37143402 --flags
D=$TMP/flagfirst
mkf "$D" cat/a.csv "0-2 4-5" 3 4 6
# 6 rows: probation floor(0.15 * 6) = 0 rows.  Window [3, 4] (w = 2).
# The flag raised on the first row (up at 1, 2): a false positive before
# any window ended, -0.11; raised at 4: y = -(4-4+1)/2 = -0.5, reward
# sigma(-0.5)/sigma(-1) = 0.848283640 / 0.986614298 = 0.859792567; up at
# 5, after the window: nothing.  S = 0.749792567
# -> 100 * 1.749792567 / 2 = 87.4896283; low FP: 100 * 1.639792567 / 2
# = 81.9896283 (every row counted: 71.063; row 0 not counted: 92.990)
ok "--flags: a flag raised on the very first row counts, when probation is 0 rows (87.490, low-FP 81.990)" eval "
score $D standard fixed.score 87.48962835 --flags &&
score $D reward_low_FP_rate fixed.score 81.98962835 --flags"
D=$TMP/flagprob
mkf "$D" cat/a.csv "10-20 60"
# raised at 10, in the probation rows (0..14), up until 20: no detection;
# the hit at 60: 100 (every row counted: 15..20 six false positives, 67)
ok "--flags: a flag raised in probation and still up after it: not a detection (100)" \
    score "$D" standard fixed.score 100 --flags
