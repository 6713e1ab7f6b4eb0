#!/bin/sh
# End to end: `modelgate validate` checks the suite and its data and computes
# nothing. On the churn example it exits 0 and lists the four inputs (holdout, two
# prediction files, the drift tests' reference) with their rows; on a suite asking for a million bootstrap replicates (a run takes about a
# minute over them here) it answers within seconds; it writes no file; and a suite
# whose data lacks a column it names fails validation with status 2, because
# validation reads the data too.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

run "$scratch/out" "$scratch/err" "$bin" validate "$churn/suite.yaml"
expect_status 0 "validate churn"
empty "$scratch/err" "validate churn: stderr"
contains "$scratch/out" "suite 'churn-model' is valid" "validate churn"
[ "$(count "$scratch/out" '(4000 rows, sha256 ')" -eq 4 ] ||
  fail "validate churn: not four inputs of 4000 rows: $(cat "$scratch/out")"
for input in "data/holdout.csv" "preds/candidate.csv" "preds/champion.csv" \
  "data/reference.csv"; do
  contains "$scratch/out" "$input" "validate churn"
done
# Nothing computed, so no metric, interval or verdict is printed.
for word in auc recall ' [0.' PASS FAIL; do
  lacks "$scratch/out" "$word" "validate churn"
done

# A suite that takes a minute to run validates at once.
mkdir -p "$scratch/work"
cat >"$scratch/work/huge.yaml" <<EOF
suite: huge
task: binary
data:
  holdout: "$churn/data/holdout.csv"
  id: customer_id
  label: churned
  positive: "1"
models:
  candidate: {file: "$churn/preds/candidate.csv", score: p_churn}
  champion: {file: "$churn/preds/champion.csv", score: p_churn}
bootstrap: {replicates: 1000000, interval: bca}
slices:
  region_x_plan: [region, plan]
tests:
  - {name: auc floor, metric: auc, at_least: 0.8}
  - {name: recall per cell, metric: recall, slices: region_x_plan, at_least: 0.5}
  - {name: no regression, metric: auc, baseline: champion, non_inferior: 0.01}
EOF
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 120"
start=$(date +%s)
(cd "$scratch/work" && $limit "$bin" validate huge.yaml >"$scratch/huge.out" 2>"$scratch/huge.err")
status=$?
took=$(($(date +%s) - start))
expect_status 0 "validate huge"
empty "$scratch/huge.err" "validate huge: stderr"
contains "$scratch/huge.out" "suite 'huge' is valid" "validate huge"
[ "$took" -le 10 ] || fail "validate huge took $took s: it computed something"
left=$(cd "$scratch/work" && ls -A | tr '\n' ' ')
[ "$left" = "huge.yaml " ] || fail "validate left files behind: $left"

# The data is checked: a missing score column is an error, status 2, one line.
sed 's/score: p_churn}/score: p_leave}/' "$scratch/work/huge.yaml" >"$scratch/work/bad.yaml"
run "$scratch/bad.out" "$scratch/bad.err" "$bin" validate "$scratch/work/bad.yaml"
expect_status 2 "validate with a missing column"
empty "$scratch/bad.out" "validate with a missing column: stdout"
[ "$(wc -l <"$scratch/bad.err")" -eq 1 ] ||
  fail "validate with a missing column: not one line on stderr: $(cat "$scratch/bad.err")"
contains "$scratch/bad.err" "modelgate: " "validate with a missing column"
contains "$scratch/bad.err" "p_leave" "validate with a missing column"

finish
