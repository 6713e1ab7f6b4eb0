#!/bin/sh
# modelgate diff end to end, and the GitHub step summary: the churn example's run
# (base) against a run whose suite raised the AUC floor above the estimate (head),
# as a pull request would; the exit status (1 on a pass-to-fail case, 0 on none, 2
# on a file that is not a report), the table, --markdown to a file and to stdout,
# GITHUB_STEP_SUMMARY appended by run and diff and left alone with
# --no-step-summary, and an unwritable step summary refused before the run.
. "$(dirname "$0")/common.inc"

churn_suite "$scratch/base.yaml" '  - {name: auc floor, metric: auc, at_least: 0.80}
  - {name: recall per region, metric: recall, slices: region, at_least: 0.5}
  - {name: no auc regression, metric: auc, baseline: champion, non_inferior: 0.01}'
churn_suite "$scratch/head.yaml" '  - {name: auc floor, metric: auc, at_least: 0.90}
  - {name: recall by region, metric: recall, slices: region, at_least: 0.5}
  - {name: brier ceiling, metric: brier, at_most: 0.2}'

run "$scratch/base.out" "$scratch/base.err" \
  "$bin" run "$scratch/base.yaml" --replicates 200 --json "$scratch/base.json"
expect_status 1 "base run"
run "$scratch/head.out" "$scratch/head.err" \
  "$bin" run "$scratch/head.yaml" --replicates 200 --seed 5 --json "$scratch/head.json"
expect_status 1 "head run"

# A report against itself: nothing changed.
run "$scratch/same.out" "$scratch/same.err" \
  "$bin" diff "$scratch/base.json" "$scratch/base.json"
expect_status 0 "diff of a report with itself"
contains "$scratch/same.out" 'churn-e2e: no case went from pass to fail' "diff itself"
contains "$scratch/same.out" '7 cases: 7 unchanged outcome' "diff itself"
empty "$scratch/same.err" "diff itself: stderr"

# Head raised the floor: a regression, a renamed test, a new and a vanished one.
run "$scratch/d.out" "$scratch/d.err" \
  "$bin" diff "$scratch/base.json" "$scratch/head.json" --markdown "$scratch/d.md"
expect_status 1 "diff with a pass-to-fail case"
o=$scratch/d.out
contains "$o" 'churn-e2e: 1 case went from pass to fail' "diff verdict"
contains "$o" "test 'auc floor': at_least 0.8 → 0.9" "diff: changed definition"
contains "$o" "test 'recall per region' renamed 'recall by region'" "diff: rename"
contains "$o" 'seed 1 → 5: intervals differ by resampling alone' "diff: seed"
contains "$o" '8 cases: 1 pass → fail, 1 new, 1 vanished, 5 unchanged outcome' "diff counts"
first=$(sed -n '/^OUTCOME /{n;p;}' "$o")
case $first in
"pass → fail  auc floor "*) ;;
*) fail "diff: the regression is not the first row: $first" ;;
esac
contains "$o" 'auc floor' "diff: regression row"
contains "$o" '— → pass' "diff: new case"
contains "$o" 'pass → —' "diff: vanished case"
lacks "$o" 'region=north' "diff: unchanged cases are left out of the table"
empty "$scratch/d.err" "diff: stderr"
finite "$o" "diff table"
m=$scratch/d.md
contains "$m" '## ❌ churn-e2e: 1 case went from pass to fail' "diff markdown heading"
contains "$m" '| ✅ → ❌ | auc floor | candidate | overall |' "diff markdown row"
contains "$m" '| recall by region (was recall per region) | candidate | region=north |' \
  "diff markdown rename"
contains "$m" '<details><summary>5 cases with an unchanged outcome</summary>' \
  "diff markdown fold"
finite "$m" "diff markdown"

# --markdown - : the Markdown alone on stdout, the table on stderr.
run "$scratch/md.out" "$scratch/md.err" \
  "$bin" diff "$scratch/base.json" "$scratch/head.json" --markdown -
expect_status 1 "diff --markdown -"
same "$scratch/md.out" "$m" "diff --markdown - and --markdown FILE"
contains "$scratch/md.err" '1 case went from pass to fail' "diff --markdown -: table"

# The other way round nothing went from pass to fail.
run "$scratch/r.out" "$scratch/r.err" \
  "$bin" diff "$scratch/head.json" "$scratch/base.json"
expect_status 0 "diff reversed"
contains "$scratch/r.out" '1 fixed' "diff reversed"

# A file that is not a report, a missing operand, a report diff does not write.
run "$scratch/x.out" "$scratch/x.err" "$bin" diff "$scratch/base.json" "$scratch/base.yaml"
expect_status 2 "diff of a YAML file"
contains "$scratch/x.err" \
  "modelgate: $scratch/base.yaml:1:5: not JSON: '[' or '{' expected near 'suite'" \
  "diff of YAML"
[ "$(wc -l <"$scratch/x.err")" -eq 1 ] || fail "diff of YAML: not one line"
empty "$scratch/x.out" "diff of YAML: stdout"
run "$scratch/x.out" "$scratch/x.err" "$bin" diff "$scratch/base.json" --junit j.xml \
  "$scratch/head.json"
expect_status 2 "diff --junit"
contains "$scratch/x.err" "modelgate: --junit: not a report this command writes" "diff --junit"

# The step summary: run and diff append their Markdown; --no-step-summary does not.
summary=$scratch/summary.md
: >"$summary"
run "$scratch/s.out" "$scratch/s.err" env GITHUB_STEP_SUMMARY="$summary" \
  "$bin" run "$scratch/base.yaml" --replicates 200
expect_status 1 "run with GITHUB_STEP_SUMMARY"
run "$scratch/s.out" "$scratch/s.err" env GITHUB_STEP_SUMMARY="$summary" \
  "$bin" diff "$scratch/base.json" "$scratch/head.json"
expect_status 1 "diff with GITHUB_STEP_SUMMARY"
contains "$summary" '## ❌ churn-e2e: failed' "step summary: run"
contains "$summary" '<details><summary>❌ recall per region (candidate, by region): 5 slices: 4 passed, 1 failed' \
  "step summary: a folded family"
contains "$summary" '## ❌ churn-e2e: 1 case went from pass to fail' "step summary: diff"
[ "$(count "$summary" '## ')" -eq 2 ] || fail "step summary: not two headings"
cp "$summary" "$scratch/summary.before"
run "$scratch/s.out" "$scratch/s.err" env GITHUB_STEP_SUMMARY="$summary" \
  "$bin" run "$scratch/base.yaml" --replicates 200 --no-step-summary
expect_status 1 "run --no-step-summary"
run "$scratch/s.out" "$scratch/s.err" env GITHUB_STEP_SUMMARY="$summary" \
  "$bin" diff "$scratch/base.json" "$scratch/head.json" --no-step-summary
same "$summary" "$scratch/summary.before" "--no-step-summary"

# A summary above GitHub's 1 MiB limit (8,000 slices) keeps its heading, counts and
# failures table (none here), and says where the rest is.
cat >"$scratch/big.yaml" <<EOF
suite: big
task: binary
data: {holdout: "$churn/data/holdout.csv", id: customer_id, label: churned, positive: "1"}
models:
  candidate: {file: "$churn/preds/candidate.csv", score: p_churn}
bootstrap: {replicates: 20}
slices:
  customer: customer_id
tests:
  - {name: rows per customer, metric: n, slices: customer, at_least: 1, rule: estimate}
  - {name: churn rate per customer, metric: prevalence, slices: customer, at_most: 1,
     rule: estimate}
EOF
: >"$summary"
run "$scratch/b.out" "$scratch/b.err" env GITHUB_STEP_SUMMARY="$summary" \
  "$bin" run "$scratch/big.yaml" --markdown "$scratch/big.md"
expect_status 0 "run of 8,000 slices"
[ "$(wc -c <"$scratch/big.md")" -gt 1048576 ] || fail "big.md is not above 1 MiB"
[ "$(wc -c <"$summary")" -lt 4096 ] || fail "the step summary was not cut"
contains "$summary" '8000 tests: 8000 passed, 0 failed' "cut step summary: counts"
contains "$summary" "> The rest is left out: the whole summary (" "cut step summary: note"
lacks "$summary" '<details>' "cut step summary: no half block"

# An unwritable step summary stops the step before anything is computed.
run "$scratch/u.out" "$scratch/u.err" env GITHUB_STEP_SUMMARY="$scratch/no/such/dir/s.md" \
  "$bin" run "$scratch/base.yaml" --json "$scratch/u.json"
expect_status 2 "run with an unwritable GITHUB_STEP_SUMMARY"
contains "$scratch/u.err" \
  "modelgate: $scratch/no/such/dir/s.md: directory '$scratch/no/such/dir' does not exist (GITHUB_STEP_SUMMARY; --no-step-summary to leave it)" \
  "unwritable step summary"
[ ! -e "$scratch/u.json" ] || fail "unwritable step summary: a report was written"
# A summary file that does not exist yet is not created by a run stopped by bad input.
run "$scratch/u.out" "$scratch/u.err" env GITHUB_STEP_SUMMARY="$scratch/new-summary.md" \
  "$bin" run "$scratch/no-such-suite.yaml"
expect_status 2 "run of a missing suite with GITHUB_STEP_SUMMARY"
[ ! -e "$scratch/new-summary.md" ] || fail "bad input: the step summary file was created"
run "$scratch/u.out" "$scratch/u.err" env GITHUB_STEP_SUMMARY="$scratch/new-summary.md" \
  "$bin" diff "$scratch/base.json" "$scratch/base.json"
expect_status 0 "diff with a new GITHUB_STEP_SUMMARY file"
contains "$scratch/new-summary.md" "no case went from pass to fail" "new step summary file"

finish
