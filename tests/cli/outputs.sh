#!/bin/sh
# End to end: what a CI job sees of a run. --quiet prints the failed and errored
# cases and the summary line, and a clean pass the summary line alone (never an
# empty log with exit 1); `-` sends one report to stdout (also spelt /dev/stdout),
# and the table then goes to stderr; two reports cannot both go there; the JSON has
# "schema": 1 and states each case's kind, thresholds by name and checks, and with
# run --metrics the metric entries `modelgate metrics` lists; the
# console shows the level of an interval that is not at the suite's and says when a
# lenient pass is inconclusive.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# lines FILE: its number of lines.
lines() {
  wc -l <"$1" | tr -d ' '
}

# --- --quiet on a failing suite ---------------------------------------------------
run "$scratch/quiet.out" "$scratch/quiet.err" "$bin" run "$churn/suite.yaml" --quiet
expect_status 1 "run --quiet (failing)"
empty "$scratch/quiet.err" "run --quiet (failing): stderr"
grep -q '^RESULT  *TEST  *MODEL  *SLICE  *ESTIMATE \[[0-9.]*% CI\]  *VERDICT$' "$scratch/quiet.out" ||
  fail "run --quiet (failing): no header: $(head -n 1 "$scratch/quiet.out")"
grep -q '^FAIL  *recall per region  *candidate  *region=central .*clear failure' \
  "$scratch/quiet.out" || fail "run --quiet (failing): no FAIL line with its verdict"
contains "$scratch/quiet.out" '    rule: strict' "run --quiet (failing): the failure's detail"
lacks "$scratch/quiet.out" 'PASS' "run --quiet (failing)"
[ "$(tail -n 1 "$scratch/quiet.out")" != "" ] && tail -n 1 "$scratch/quiet.out" |
  grep -q '^33 tests: 32 passed, 1 failed, 0 skipped, 0 errors ([0-9.]* s)$' ||
  fail "run --quiet (failing): last line is not the summary: $(tail -n 1 "$scratch/quiet.out")"

# --- --quiet on a passing suite: the summary line alone ---------------------------
churn_suite "$scratch/pass.yaml" \
  '  - {name: auc floor, metric: auc, at_least: 0.8}
  - {name: tiny slices, metric: recall, slices: plan, at_least: 0.3, min_size: 100000}'
run "$scratch/pass.out" "$scratch/pass.err" "$bin" run "$scratch/pass.yaml" -q
expect_status 0 "run -q (passing)"
empty "$scratch/pass.err" "run -q (passing): stderr"
[ "$(lines "$scratch/pass.out")" -eq 1 ] ||
  fail "run -q (passing): $(lines "$scratch/pass.out") lines, expected the summary alone"
grep -q '^4 tests: 1 passed, 0 failed, 3 skipped, 0 errors ([0-9.]* s)$' \
  "$scratch/pass.out" || fail "run -q (passing): $(cat "$scratch/pass.out")"

# --- --json -: the report on stdout, the table on stderr --------------------------
run "$scratch/json.out" "$scratch/json.err" "$bin" run "$churn/suite.yaml" --json -
expect_status 1 "run --json -"
if [ "$(sed -n 1p "$scratch/json.out")" != "{" ] ||
  [ "$(sed -n '$p' "$scratch/json.out")" != "}" ]; then
  fail "run --json -: stdout is not one JSON object"
fi
if command -v python3 >/dev/null 2>&1; then
  python3 -m json.tool "$scratch/json.out" >/dev/null 2>"$scratch/json.tool" ||
    fail "run --json -: python3 -m json.tool: $(cat "$scratch/json.tool")"
fi
contains "$scratch/json.out" '  "schema": 1,' "run --json -"
[ "$(sed -n 2p "$scratch/json.out")" = '  "schema": 1,' ] ||
  fail "run --json -: \"schema\" is not the first key"
[ "$(count "$scratch/json.out" '"kind": "threshold"')" -eq 8 ] ||
  fail "run --json -: not 8 threshold cases"
[ "$(count "$scratch/json.out" '"kind": "comparison"')" -eq 1 ] ||
  fail "run --json -: not 1 comparison case"
contains "$scratch/json.out" '"comparison": "non_inferior",' "run --json -"
contains "$scratch/json.out" '"margin": 0.01,' "run --json -"
contains "$scratch/json.out" '"at_most": 0.20000000000000001,' "run --json -"
contains "$scratch/json.out" '"direction": "lower",' "run --json - (brier)"
contains "$scratch/json.out" '"finding": "clear_fail"' "run --json -"
[ "$(count "$scratch/json.out" '"status": "decided",')" -eq 17 ] ||
  fail "run --json -: not 17 decided cases (9 tests, the prevalence check, 7 drift cases)"
[ "$(count "$scratch/json.out" '"kind": "data_check"')" -eq 17 ] ||
  fail "run --json -: not 17 data check cases"
finite "$scratch/json.out" "run --json -"
contains "$scratch/json.err" '33 tests: 32 passed, 1 failed, 0 skipped, 0 errors' \
  "run --json -: the summary on stderr"
grep -q '^FAIL  *recall per region' "$scratch/json.err" ||
  fail "run --json -: no FAIL line on stderr"
lacks "$scratch/json.out" 'RESULT  TEST' "run --json -: the table on stdout"

# The same report as with a file, but for the run's time.
run "$scratch/file.out" "$scratch/file.err" "$bin" run "$churn/suite.yaml" \
  --json "$scratch/file.json"
normalize_json "$scratch/json.out" "$scratch/json.norm"
normalize_json "$scratch/file.json" "$scratch/file.norm"
same "$scratch/json.norm" "$scratch/file.norm" "run --json - vs --json FILE"

# --quiet with a report on stdout: the failures and the summary on stderr.
run "$scratch/jq.out" "$scratch/jq.err" "$bin" run "$churn/suite.yaml" --json - --quiet
expect_status 1 "run --json - --quiet"
contains "$scratch/jq.out" '"schema": 1,' "run --json - --quiet"
lacks "$scratch/jq.err" 'PASS' "run --json - --quiet: stderr"
tail -n 1 "$scratch/jq.err" | grep -q '^33 tests: 32 passed, 1 failed' ||
  fail "run --json - --quiet: stderr does not end with the summary"

# --junit - and --markdown /dev/stdout; a report file beside still works.
run "$scratch/junit.out" "$scratch/junit.err" "$bin" run "$churn/suite.yaml" \
  --junit - --markdown "$scratch/summary.md"
expect_status 1 "run --junit -"
head -n 1 "$scratch/junit.out" | grep -q '^<?xml ' ||
  fail "run --junit -: stdout is not XML: $(head -n 1 "$scratch/junit.out")"
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout --schema "$src/tests/junit.xsd" "$scratch/junit.out" \
    2>"$scratch/xsd.log" || fail "run --junit -: invalid: $(cat "$scratch/xsd.log")"
fi
contains "$scratch/summary.md" '| recall per region | candidate | region=central |' \
  "run --junit - --markdown FILE"
run "$scratch/md.out" "$scratch/md.err" "$bin" run "$churn/suite.yaml" \
  --markdown /dev/stdout
expect_status 1 "run --markdown /dev/stdout"
contains "$scratch/md.out" '## ' "run --markdown /dev/stdout"
contains "$scratch/md.out" '| recall per region | candidate | region=central |' \
  "run --markdown /dev/stdout"
contains "$scratch/md.err" '33 tests: 32 passed, 1 failed' "run --markdown /dev/stdout"
# stdout redirected to a file: /dev/stdout is that file, written all the same.
"$bin" run "$churn/suite.yaml" --json=/dev/stdout >"$scratch/redirect.json" \
  2>"$scratch/redirect.err"
status=$?
expect_status 1 "run --json=/dev/stdout > FILE"
contains "$scratch/redirect.json" '"schema": 1,' "run --json=/dev/stdout > FILE"

# metrics: `--json -` is `--json` alone; the table gives way to the report.
run "$scratch/m.out" "$scratch/m.err" "$bin" metrics "$churn/suite.yaml" --json - \
  --replicates 50
expect_status 0 "metrics --json -"
empty "$scratch/m.err" "metrics --json -: stderr"
contains "$scratch/m.out" '"schema": 1,' "metrics --json -"
contains "$scratch/m.out" '"cases": [],' "metrics --json -"
lacks "$scratch/m.out" 'MODEL  SLICING' "metrics --json -"

# run --metrics: the JSON's "metrics" as `modelgate metrics` gives them, beside the
# cases; without it, "metrics" is empty.
run "$scratch/rm.out" "$scratch/rm.err" "$bin" run "$churn/suite.yaml" --metrics \
  --json - --replicates 50
expect_status 1 "run --metrics --json -"
sed -n '/^  "metrics": \[/,$p' "$scratch/rm.out" >"$scratch/rm.metrics"
sed -n '/^  "metrics": \[/,$p' "$scratch/m.out" >"$scratch/m.metrics"
[ "$(count "$scratch/rm.metrics" '"metric": ')" -gt 100 ] ||
  fail "run --metrics --json -: $(count "$scratch/rm.metrics" '"metric": ') metric entries"
same "$scratch/rm.metrics" "$scratch/m.metrics" "run --metrics vs metrics: the entries"
[ "$(count "$scratch/rm.out" '"kind": ')" -eq 33 ] || fail "run --metrics: not 33 cases"
contains "$scratch/json.out" '"metrics": []' "run --json - without --metrics"

# --- only one report on stdout ----------------------------------------------------
run "$scratch/two.out" "$scratch/two.err" "$bin" run "$churn/suite.yaml" --json - \
  --junit /dev/stdout
expect_status 2 "run --json - --junit /dev/stdout"
empty "$scratch/two.out" "run --json - --junit /dev/stdout: stdout"
contains "$scratch/two.err" \
  "modelgate: --junit and --json both go to stdout; only one report can (write the other to a file)" \
  "run --json - --junit /dev/stdout"

# `run --json` without a file says how to ask for stdout.
run "$scratch/nofile.out" "$scratch/nofile.err" "$bin" run "$churn/suite.yaml" --json
expect_status 2 "run --json (no file)"
contains "$scratch/nofile.err" \
  "modelgate: --json needs a file name, or - for stdout (modelgate help)" \
  "run --json (no file)"

# --- levels and lenient passes in the console -------------------------------------
churn_suite "$scratch/family.yaml" \
  '  - {name: no region clearly bad, metric: recall, slices: region, at_least: 0.7,
     rule: lenient}
  - {name: auc floor, metric: auc, at_least: 0.8}'
run "$scratch/family.out" "$scratch/family.err" "$bin" run "$scratch/family.yaml"
# Holm over the regions: every interval of the family is at an adjusted level, and
# says so; the unsliced test is at the suite's level and shows none.
grep '^[A-Z]* *no region clearly bad ' "$scratch/family.out" >"$scratch/family.rows"
[ "$(lines "$scratch/family.rows")" -eq 5 ] ||
  fail "family: $(lines "$scratch/family.rows") rows, expected 5"
[ "$(grep -c '\] 9[0-9.]*%' "$scratch/family.rows")" -eq 5 ] ||
  fail "family: not every row shows its interval's level: $(cat "$scratch/family.rows")"
grep '^PASS  *auc floor ' "$scratch/family.out" | grep -q '\]$' ||
  fail "family: the unsliced test shows a level: $(grep 'auc floor' "$scratch/family.out")"
# A region whose interval straddles 0.7 passes under the lenient rule, and says so.
grep -q '^PASS  *no region clearly bad .*inconclusive: passes under the lenient rule' \
  "$scratch/family.out" ||
  fail "family: no lenient pass says it is inconclusive: $(cat "$scratch/family.rows")"

finish
