#!/bin/sh
# End to end: `modelgate metrics` on the churn example, as a table and as JSON.
# Every model × slice × metric is listed with an interval; a few values match
# scikit-learn (tests/reference/churn_sklearn.h) to 1e-9; the table and the JSON show
# the same numbers; --seed and --replicates reach the report; nothing is NaN or
# infinite and stderr stays quiet when it is not a terminal.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# 2 models × (overall + 5 regions + 3 plans + 14 region × plan) × every binary
# metric; the registry's metrics are the rows of docs/metrics.md's generated table
# (test_metrics keeps that table equal to the registry).
metrics=$(grep -c '^| [0-9]* | `[a-z_0-9]*` | binary |' "$src/docs/metrics.md")
entries=$((2 * 23 * metrics))

# json_field FILE MODEL SLICE METRIC FIELD: FIELD of one entry of the "metrics" array
# (the JSON is pretty-printed, one key per line).
json_field() {
  awk -v m="\"model\": \"$2\"," -v s="\"slice\": \"$3\"," -v t="\"metric\": \"$4\"," \
    -v f="\"$5\": " '
    index($0, "\"model\": ") { mm = index($0, m) > 0; ss = 0; tt = 0 }
    index($0, "\"slice\": ") { ss = index($0, s) > 0 }
    index($0, "\"metric\": ") { tt = index($0, t) > 0 }
    mm && ss && tt && index($0, f) {
      v = $0; sub(/^[^:]*: /, "", v); sub(/,$/, "", v); print v; exit
    }' "$1"
}

# sklearn MODEL SLICING SLICE METRIC: the reference value (SLICING: NULL or "name").
sklearn() {
  grep -F "{\"$1\", $2, \"$3\", \"$4\"," "$src/tests/reference/churn_sklearn.h" |
    sed 's/.*, \([-+0-9.eE]*\), 1},.*/\1/'
}

# close A B REL: |A - B| <= REL * max(|A|, |B|)
close() {
  awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN {
    d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
    exit !(a != "" && b != "" && d <= r * m)
  }'
}

# --- the table ----------------------------------------------------------------------
run "$scratch/table" "$scratch/table.err" "$bin" metrics "$churn/suite.yaml"
expect_status 0 "metrics"
empty "$scratch/table.err" "metrics: stderr"
head -n 1 "$scratch/table" | grep -q '^MODEL  *SLICING  *SLICE  *METRIC  *N  *ESTIMATE \[CI\]' ||
  fail "metrics: unexpected header: $(head -n 1 "$scratch/table")"
[ "$(wc -l <"$scratch/table")" -eq $((entries + 1)) ] ||
  fail "metrics: $(wc -l <"$scratch/table") lines, expected $((entries + 1))"
grep -q '^candidate  *-  *overall  *auc  *4000  *0\.8563 \[0\.8[0-9]*, 0\.8[0-9]*\]' \
  "$scratch/table" || fail "metrics: no candidate auc row with an interval"
grep -q '^champion  *region  *region=central  *recall  *148  *0\.6579 \[' "$scratch/table" ||
  fail "metrics: no champion recall row on region=central"
finite "$scratch/table" "metrics table"

# --- JSON ---------------------------------------------------------------------------
json=$scratch/metrics.json
run "$json" "$scratch/json.err" "$bin" metrics "$churn/suite.yaml" --json
expect_status 0 "metrics --json"
empty "$scratch/json.err" "metrics --json: stderr"
if [ "$(sed -n 1p "$json")" != "{" ] || [ "$(sed -n '$p' "$json")" != "}" ]; then
  fail "metrics --json: not one JSON object"
fi
for key in '"suite": "churn-model"' '"seed": 1,' '"replicates": 2000,' \
  '"interval": "bca"' '"cases": []' '"metrics": ['; do
  contains "$json" "$key" "metrics --json"
done
for field in model slicing slice metric n estimate ci_low ci_high reason \
  undefined_replicates; do
  [ "$(count "$json" "\"$field\": ")" -eq "$entries" ] ||
    fail "metrics --json: \"$field\" in $(count "$json" "\"$field\": ") entries, expected $entries"
done
# Every metric is defined on every slice of this example, with an interval.
lacks "$json" '"estimate": null' "metrics --json"
lacks "$json" '"ci_low": null' "metrics --json"
lacks "$json" '"ci_high": null' "metrics --json"
finite "$json" "metrics --json"

# probe MODEL SLICING SLICE METRIC: the JSON estimate matches scikit-learn and the
# table shows it (SLICING as churn_sklearn.h writes it: NULL or "name").
probe() {
  got=$(json_field "$json" "$1" "$3" "$4" estimate)
  want=$(sklearn "$1" "$2" "$3" "$4")
  close "$got" "$want" 1e-9 ||
    fail "metrics --json: $1 $3 $4 = '$got', scikit-learn '$want'"
  shown=$(awk -v x="$got" 'BEGIN { printf "%.4f", x }')
  grep -q "^$1  *[a-z_-]*  *$3  *$4  *[0-9]*  *$shown \[" "$scratch/table" ||
    fail "metrics table: $1 $3 $4 does not show $shown"
}
probe candidate NULL overall auc
probe candidate NULL overall accuracy
probe candidate NULL overall brier
probe champion NULL overall log_loss
probe champion '"region"' region=central recall
probe candidate '"plan"' plan=premium mcc
lo=$(json_field "$json" candidate overall auc ci_low)
hi=$(json_field "$json" candidate overall auc ci_high)
est=$(json_field "$json" candidate overall auc estimate)
awk -v l="$lo" -v h="$hi" -v e="$est" 'BEGIN { exit !(l < e && e < h && h - l < 0.05) }' ||
  fail "metrics --json: candidate auc interval [$lo, $hi] around $est"

# --seed and --replicates reach the report.
run "$scratch/small.json" "$scratch/small.err" "$bin" metrics "$churn/suite.yaml" --json \
  --seed 5 --replicates 200
expect_status 0 "metrics --json --seed 5 --replicates 200"
contains "$scratch/small.json" '"seed": 5,' "metrics --seed"
contains "$scratch/small.json" '"replicates": 200,' "metrics --replicates"
finite "$scratch/small.json" "metrics --json --replicates 200"

finish
