#!/bin/sh
# End to end: the exit statuses CI relies on (DESIGN.md, "Command line"): 0 when
# every test passes, 1 when a test fails, 2 for a bad suite file (with no report
# written and one line on stderr). The passing suite reads the churn data with only
# tests that pass; the failing one is the example itself. The catalogue of bad inputs
# is tests/cli/bad_inputs.sh; here one bad suite stands for them.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# --- 0: every test passes -------------------------------------------------------------
churn_suite "$scratch/pass.yaml" \
  '  - {name: auc floor, metric: auc, at_least: 0.8}
  - {name: accuracy floor, metric: accuracy, at_least: 0.75}
  - {name: recall per region, metric: recall, slices: region, at_least: 0.1}
  - {name: no auc regression, metric: auc, baseline: champion, non_inferior: 0.01}
  - {name: brier ceiling, metric: brier, at_most: 0.2, rule: lenient}
  - {name: tiny slices, metric: recall, slices: plan, at_least: 0.3, min_size: 100000}'
run "$scratch/pass.out" "$scratch/pass.err" "$bin" run "$scratch/pass.yaml" \
  --junit "$scratch/pass.xml" --json "$scratch/pass.json"
expect_status 0 "passing suite"
empty "$scratch/pass.err" "passing suite: stderr"
# Skipped cases (slices under min_size) do not fail a run.
contains "$scratch/pass.out" "12 tests: 9 passed, 0 failed, 3 skipped, 0 errors" \
  "passing suite"
contains "$scratch/pass.xml" 'tests="12" failures="0" errors="0" skipped="3"' \
  "passing suite junit"
[ "$(count "$scratch/pass.xml" '<skipped message="slice has ')" -eq 3 ] ||
  fail "passing suite: not three skipped cases with a reason"
lacks "$scratch/pass.xml" '<failure' "passing suite junit"
contains "$scratch/pass.json" '"failed": 0,' "passing suite json"

# --quiet prints the summary line alone and keeps the status (tests/cli/outputs.sh
# has the rest of --quiet).
run "$scratch/quiet.out" "$scratch/quiet.err" "$bin" run "$scratch/pass.yaml" --quiet
expect_status 0 "passing suite --quiet"
empty "$scratch/quiet.err" "passing suite --quiet: stderr"
[ "$(wc -l <"$scratch/quiet.out")" -eq 1 ] &&
  contains "$scratch/quiet.out" "12 tests: 9 passed, 0 failed, 3 skipped, 0 errors"     "passing suite --quiet: the summary line alone" ||
  fail "passing suite --quiet: not the summary line alone: $(cat "$scratch/quiet.out")"

# --- 1: a test fails ------------------------------------------------------------------
run "$scratch/churn.out" "$scratch/churn.err" "$bin" run "$churn/suite.yaml" \
  --junit "$scratch/churn.xml"
expect_status 1 "churn suite"
[ -s "$scratch/churn.xml" ] || fail "churn suite: no JUnit written for a failing run"
run "$scratch/churn.out" "$scratch/churn.err" "$bin" run "$churn/suite.yaml" --quiet
expect_status 1 "churn suite --quiet"
contains "$scratch/churn.out" "33 tests: 32 passed, 1 failed" "churn suite --quiet"

# A suite whose only failure is inconclusive fails too: the default rule is strict.
churn_suite "$scratch/straddle.yaml" \
  '  - {name: auc floor, metric: auc, at_least: 0.856}'
run "$scratch/straddle.out" "$scratch/straddle.err" "$bin" run "$scratch/straddle.yaml"
expect_status 1 "straddling threshold"
contains "$scratch/straddle.out" "inconclusive" "straddling threshold"

# --- 2: a bad suite, and no report ----------------------------------------------------
churn_suite "$scratch/bad.yaml" \
  '  - {name: auc floor, metric: auc, at_least: 0.8, at_lest: 0.9}'
run "$scratch/bad.out" "$scratch/bad.err" "$bin" run "$scratch/bad.yaml" \
  --junit "$scratch/bad.xml" --json "$scratch/bad.json" --markdown "$scratch/bad.md"
expect_status 2 "bad suite"
empty "$scratch/bad.out" "bad suite: stdout"
[ "$(wc -l <"$scratch/bad.err")" -eq 1 ] ||
  fail "bad suite: not one line on stderr: $(cat "$scratch/bad.err")"
grep -q "^modelgate: $scratch/bad.yaml:[0-9][0-9]*:[0-9][0-9]*: .*at_lest" "$scratch/bad.err" ||
  fail "bad suite: stderr does not name the file, line, column and key: $(cat "$scratch/bad.err")"
for report in bad.xml bad.json bad.md; do
  [ ! -e "$scratch/$report" ] || fail "bad suite: $report was written"
done
run "$scratch/bad.out" "$scratch/bad.err" "$bin" metrics "$scratch/bad.yaml"
expect_status 2 "bad suite, metrics"
run "$scratch/bad.out" "$scratch/bad.err" "$bin" validate "$scratch/bad.yaml"
expect_status 2 "bad suite, validate"

finish
