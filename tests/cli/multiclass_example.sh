#!/bin/sh
# End to end: the multiclass example (examples/multiclass, real handwritten digits)
# as a user runs it. One test fails on purpose (the candidate's recall of 8s), so the
# exit status is 1 and the JUnit file has exactly one <failure>, on that test; the
# JSON carries the same verdicts; `metrics` lists every class's metrics; stderr
# stays quiet.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

ex=$src/examples/multiclass
out=$scratch/out
mkdir -p "$out"
run "$scratch/stdout" "$scratch/stderr" "$bin" run "$ex/suite.yaml" \
  --junit "$out/junit.xml" --json "$out/results.json"
expect_status 1 "run multiclass"
empty "$scratch/stderr" "run multiclass: stderr"
junit=$out/junit.xml
if [ -f "$junit" ]; then
  [ "$(count "$junit" '<failure')" -eq 1 ] ||
    fail "junit: $(count "$junit" '<failure') <failure> elements, expected 1"
  contains "$junit" 'tests="11" failures="1" errors="0" skipped="0"' "junit counts"
  failed_case=$(awk '/<testcase /{c=$0} /<failure/{print c}' "$junit")
  case $failed_case in
  *'name="recall of 8s [overall]"'*) ;;
  *) fail "junit: the failure is not on recall of 8s: $failed_case" ;;
  esac
  contains "$junit" 'recall 0.750' "junit: the failure's estimate"
else
  fail "run multiclass wrote no $junit"
fi
contains "$out/results.json" '"metric": "macro_f1"' "json: macro_f1 cases"
contains "$out/results.json" '"metric": "top_k_accuracy"' "json: top_k_accuracy"

run "$scratch/metrics" "$scratch/metrics.err" "$bin" metrics "$ex/suite.yaml" \
  --replicates 50
expect_status 0 "metrics multiclass"
empty "$scratch/metrics.err" "metrics multiclass: stderr"
for m in 'recall[8]' 'auc[0]' 'top_k_accuracy[k=2]' macro_auc cohen_kappa log_loss; do
  contains "$scratch/metrics" "$m" "metrics lists $m"
done
lacks "$scratch/metrics" 'specificity' "metrics: a binary metric in a multiclass run"
lacks "$scratch/metrics" 'nan' "metrics: NaN"
finish
