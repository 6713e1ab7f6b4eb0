#!/bin/sh
# End to end: the data checks of the churn example on data that break them, as CI
# would meet it. A renamed region and a second row for one customer: `run` exits 1;
# the checks' failures carry their findings; the tests that read the broken data
# are errors naming the check (every test, for repeated ids); the JUnit file is
# valid against our schema and Jenkins'; `validate` lists the failures and exits 1;
# `metrics` runs no check and reads the data as before (exit 2 on the repeated id).
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

mkdir -p "$scratch/churn/data" "$scratch/churn/preds"
cp "$churn/suite.yaml" "$scratch/churn/"
cp "$churn/preds/candidate.csv" "$churn/preds/champion.csv" "$scratch/churn/preds/"
cp "$churn/data/reference.csv" "$scratch/churn/data/"
# the region 'central' renamed 'centre' (the export quotes it)
sed 's/"central"/centre/; s/,central,/,centre,/' "$churn/data/holdout.csv" \
  >"$scratch/churn/data/holdout.csv"
suite=$scratch/churn/suite.yaml

# 1. A new category: its check fails, recall per region is held back, the rest runs.
run "$scratch/run.out" "$scratch/run.err" "$bin" run "$suite" \
  --junit "$scratch/junit.xml" --json "$scratch/results.json"
expect_status 1 "run, renamed region"
empty "$scratch/run.err" "run, renamed region: stderr"
grep -q "^FAIL  *known regions  *data  *column=region .*1 new category in 148 rows: 'centre' (148 rows)" \
  "$scratch/run.out" || fail "run: no FAIL line for known regions: $(grep 'known regions' "$scratch/run.out")"
grep -q "^ERROR  *recall per region  *candidate  *all slices .*not evaluated: data check 'known regions' failed on column 'region'" \
  "$scratch/run.out" || fail "run: recall per region is not held back"
grep -q "^PASS  *auc floor " "$scratch/run.out" || fail "run: auc floor did not run"
# 17 checks, 8 tests run, recall per region's five slices one held-back case
# the region's drift case is held back too: an error naming the check
grep -q "^ERROR  *feature drift  *data  *column=region  .*not evaluated: data check 'known regions' failed" \
  "$scratch/run.out" || fail "run: the region's drift is not held back"
contains "$scratch/run.out" "29 tests: 26 passed, 1 failed, 0 skipped, 2 errors" "run summary"
contains "$scratch/junit.xml" "<failure message=\"column 'region': 1 new category in 148 rows" \
  "junit failure"
contains "$scratch/junit.xml" 'type="data"' "junit type"
[ "$(count "$scratch/junit.xml" 'type="data"')" -eq 3 ] ||
  fail "junit: not three type=\"data\" elements (the failed check, the held-back test and drift case)"
xmllint --noout --schema "$src/tests/junit.xsd" "$scratch/junit.xml" 2>"$scratch/xsd.log" ||
  fail "junit: invalid against tests/junit.xsd: $(cat "$scratch/xsd.log")"
xmllint --noout --schema "$src/tests/schemas/jenkins-junit-10.xsd" "$scratch/junit.xml" \
  2>"$scratch/jenkins.log" ||
  fail "junit: invalid against jenkins-junit-10.xsd: $(cat "$scratch/jenkins.log")"
contains "$scratch/results.json" '"kind": "data_check"' "json kind"
contains "$scratch/results.json" '"status": "data_failed"' "json held-back test"
finite "$scratch/results.json" "json"

# 2. validate decides the checks and lists the failure.
run "$scratch/val.out" "$scratch/val.err" "$bin" validate "$suite"
expect_status 1 "validate, renamed region"
contains "$scratch/val.out" "data checks: 16 passed, 1 failed, 0 errors" "validate"
contains "$scratch/val.out" "FAIL   known regions [column=region]: column 'region': 1 new category" \
  "validate"
run "$scratch/valq.out" "$scratch/valq.err" "$bin" validate "$suite" --quiet
expect_status 1 "validate --quiet"
empty "$scratch/valq.out" "validate --quiet: stdout"

# 3. A customer twice: the unique check fails and holds back every test.
sed '3s/^C[0-9]*/C161320/' "$scratch/churn/data/holdout.csv" >"$scratch/dup.csv"
mv "$scratch/dup.csv" "$scratch/churn/data/holdout.csv"
run "$scratch/dup.out" "$scratch/dup.err" "$bin" run "$suite" --quiet
expect_status 1 "run, repeated id"
empty "$scratch/dup.err" "run, repeated id: stderr"
grep -q "^FAIL  *one row per customer .*1 value appears more than once (1 row beyond the first), 'C161320' on lines 2 and 3" \
  "$scratch/dup.out" || fail "run: no FAIL line for the repeated id: $(cat "$scratch/dup.out")"
[ "$(grep -c "not evaluated: data check 'one row per customer' failed" "$scratch/dup.out")" -eq 5 ] ||
  fail "run: not every test (5) held back by the repeated id"
grep -q "^ERROR  *candidate probabilities .*the predictions of model 'candidate' were not joined" \
  "$scratch/dup.out" || fail "run: the score check does not say the predictions were not joined"

# 4. metrics explores without checks: the repeated id is an input error there.
run "$scratch/m.out" "$scratch/m.err" "$bin" metrics "$suite" --replicates 50
expect_status 2 "metrics, repeated id"
contains "$scratch/m.err" "duplicate id 'C161320' (first on line 2)" "metrics"

finish
