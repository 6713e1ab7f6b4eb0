#!/bin/sh
# End to end, as the demo and a CI job run it: `modelgate run` on the churn example
# with every report. The suite fails one test on purpose (the candidate's recall on
# the small central region), so the exit status is 1 and the JUnit file has exactly
# one <failure>, on that test case; the JUnit validates against our schema and
# against Jenkins' junit-10 schema (tests/schemas/); the JSON, the
# Markdown and the console say the same; nothing is NaN or infinite; stderr stays
# quiet when it is not a terminal; the output directory holds the three reports and
# nothing else (atomic writes leave no temporary file). Finally `make demo`'s script
# itself succeeds.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

out=$scratch/out
mkdir -p "$out"
run "$scratch/stdout" "$scratch/stderr" "$bin" run "$churn/suite.yaml" \
  --junit "$out/junit.xml" --json "$out/results.json" --markdown "$out/summary.md"
expect_status 1 "run churn"
empty "$scratch/stderr" "run churn: stderr"

# JUnit: one failure, on recall per region [region=central], and valid.
junit=$out/junit.xml
if [ -f "$junit" ]; then
  [ "$(count "$junit" '<failure')" -eq 1 ] ||
    fail "junit: $(count "$junit" '<failure') <failure> elements, expected 1"
  [ "$(count "$junit" '<testcase')" -eq 33 ] ||
    fail "junit: $(count "$junit" '<testcase') test cases, expected 33 (17 data checks, 7 drift cases)"
  failed_case=$(awk '/<testcase /{c=$0} /<failure/{print c}' "$junit")
  case $failed_case in
  *'classname="churn-model.recall per region" name="recall per region [region=central]"'*) ;;
  *) fail "junit: the failure is not on recall per region [region=central]: $failed_case" ;;
  esac
  contains "$junit" 'tests="33" failures="1" errors="0" skipped="0"' "junit counts"
  contains "$junit" 'name="churn rate [overall]"' "junit: the prevalence check"
  contains "$junit" 'clear failure: the whole interval is below the threshold' \
    "junit failure message"
  contains "$junit" '<property name="seed" value="1"/>' "junit provenance"
  contains "$junit" '<property name="replicates" value="2000"/>' "junit provenance"
  contains "$junit" '<property name="interval" value="bca"/>' "junit provenance"
  contains "$junit" '<property name="input.holdout.rows" value="4000"/>' \
    "junit provenance"
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$src/tests/junit.xsd" "$junit" 2>"$scratch/xsd.log" ||
      fail "junit: invalid against tests/junit.xsd: $(cat "$scratch/xsd.log")"
    jenkins=$src/tests/schemas/jenkins-junit-10.xsd
    if [ -f "$jenkins" ]; then
      xmllint --noout --schema "$jenkins" "$junit" 2>"$scratch/jenkins.log" ||
        fail "junit: invalid against jenkins-junit-10.xsd: $(cat "$scratch/jenkins.log")"
    else
      echo "$name: note: $jenkins not found; validated against tests/junit.xsd only"
    fi
  else
    fail "xmllint is not installed (Debian: libxml2-utils; scripts/install-deps)"
  fi
else
  fail "run churn wrote no $junit"
fi

# JSON: the same verdicts.
json=$out/results.json
if [ -f "$json" ]; then
  contains "$json" '"tests": 33,' "json summary"
  contains "$json" '"passed": 32,' "json summary"
  contains "$json" '"failed": 1,' "json summary"
  contains "$json" '"errors": 0' "json summary"
  [ "$(count "$json" '"outcome": "fail"')" -eq 1 ] || fail "json: not one failed case"
  [ "$(count "$json" '"outcome": "pass"')" -eq 32 ] || fail "json: not 32 passed cases"
  [ "$(count "$json" '"slice": "region=central"')" -eq 1 ] || fail "json: central slice"
  for field in estimate ci_low ci_high delta delta_ci_low delta_ci_high p_value rule \
    outcome message; do
    [ "$(count "$json" "\"$field\": ")" -eq 33 ] || fail "json: \"$field\" not in every case"
  done
  finite "$json" "json"
else
  fail "run churn wrote no $json"
fi

# Markdown and console.
md=$out/summary.md
if [ -f "$md" ]; then
  contains "$md" '33 tests: 32 passed, 1 failed, 0 skipped, 0 errors' "markdown summary"
  contains "$md" '| recall per region | candidate | region=central |' "markdown row"
  finite "$md" "markdown"
else
  fail "run churn wrote no $md"
fi
contains "$scratch/stdout" '33 tests: 32 passed, 1 failed, 0 skipped, 0 errors' "console"
grep -q '^FAIL  *recall per region  *candidate  *region=central ' "$scratch/stdout" ||
  fail "console: no FAIL line for recall per region on region=central"
[ "$(grep -c '^FAIL ' "$scratch/stdout")" -eq 1 ] || fail "console: not one FAIL line"
finite "$scratch/stdout" "console"
[ ! -f "$junit" ] || finite "$junit" "junit"

# Nothing but the three reports in the output directory.
left=$(cd "$out" && ls -A | tr '\n' ' ')
[ "$left" = "junit.xml results.json summary.md " ] ||
  fail "output directory holds: $left"

# The demo script that `make demo` runs succeeds (it expects status 1 and the one
# failure) and writes its reports under ./out of the directory it runs in.
mkdir -p "$scratch/demo"
(cd "$scratch/demo" && sh "$churn/demo.sh" "$bin") >"$scratch/demo.log" 2>&1 ||
  fail "examples/churn/demo.sh failed: $(tail -n 5 "$scratch/demo.log")"
[ -f "$scratch/demo/out/junit.xml" ] || fail "demo.sh wrote no out/junit.xml"

finish
