#!/bin/sh
# End to end: reproducibility (issue 3, "Determinism"). With the same seed the JSON
# and JUnit reports are byte-identical whatever --threads is, once the wall-clock
# timestamp and the durations are taken out (normalize_json, normalize_junit); so is
# `metrics --json`; the same seed twice gives the same reports; a different seed
# gives the same estimates and different intervals.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# report TAG ARGS...: run the churn example with ARGS, normalized reports in TAG.*
report() {
  _tag=$1
  shift
  run "$scratch/$_tag.out" "$scratch/$_tag.err" "$bin" run "$churn/suite.yaml" \
    --junit "$scratch/$_tag.raw.xml" --json "$scratch/$_tag.raw.json" "$@"
  expect_status 1 "run $*"
  empty "$scratch/$_tag.err" "run $*: stderr"
  if [ -s "$scratch/$_tag.raw.json" ] && [ -s "$scratch/$_tag.raw.xml" ]; then
    normalize_json "$scratch/$_tag.raw.json" "$scratch/$_tag.json"
    normalize_junit "$scratch/$_tag.raw.xml" "$scratch/$_tag.xml"
  else
    fail "run $*: no reports"
    : >"$scratch/$_tag.json"
    : >"$scratch/$_tag.xml"
  fi
}

report t1 --threads 1
report t2 --threads 2
report t3 --threads 3
same "$scratch/t1.json" "$scratch/t2.json" "JSON, threads 1 vs 2"
same "$scratch/t1.json" "$scratch/t3.json" "JSON, threads 1 vs 3"
same "$scratch/t1.xml" "$scratch/t2.xml" "JUnit, threads 1 vs 2"
same "$scratch/t1.xml" "$scratch/t3.xml" "JUnit, threads 1 vs 3"
# The normalization keeps every number but the times.
[ "$(count "$scratch/t1.json" '"ci_low": ')" -eq 33 ] || fail "normalized JSON lost cases"
contains "$scratch/t1.xml" '<failure message=' "normalized JUnit"

# metrics --json, which computes every metric on every slice.
for t in 1 3; do
  run "$scratch/m$t.raw.json" "$scratch/m$t.err" "$bin" metrics "$churn/suite.yaml" \
    --json --threads "$t" --replicates 500
  expect_status 0 "metrics --threads $t"
  normalize_json "$scratch/m$t.raw.json" "$scratch/m$t.json"
done
same "$scratch/m1.json" "$scratch/m3.json" "metrics JSON, threads 1 vs 3"

# The same seed twice; the suite's seed (1) given on the command line.
report s42a --seed 42
report s42b --seed 42 --threads 2
same "$scratch/s42a.json" "$scratch/s42b.json" "JSON, seed 42 twice"
same "$scratch/s42a.xml" "$scratch/s42b.xml" "JUnit, seed 42 twice"
report s1 --seed 1
same "$scratch/t1.json" "$scratch/s1.json" "JSON, suite seed vs --seed 1"

# A different seed: other replicates, so other intervals, but the same estimates.
differ "$scratch/s42a.json" "$scratch/t1.json" "JSON, seed 42 vs seed 1"
grep -F '"estimate": ' "$scratch/t1.json" >"$scratch/est1"
grep -F '"estimate": ' "$scratch/s42a.json" >"$scratch/est42"
same "$scratch/est1" "$scratch/est42" "estimates, seed 42 vs seed 1"
# Interval ends, line by line: most move (a few on lattices such as a recall of 1/7
# on a small slice may land on the same value).
for f in t1 s42a; do
  grep -F -e '"ci_low": ' -e '"ci_high": ' -e '"delta_ci_low": ' -e '"delta_ci_high": ' \
    "$scratch/$f.json" | grep -v null >"$scratch/$f.ci"
done
ends=$(wc -l <"$scratch/t1.ci")
moved=$(paste -d '|' "$scratch/t1.ci" "$scratch/s42a.ci" | awk -F '|' '$1 != $2' | wc -l)
[ "$ends" -eq 34 ] || fail "JSON: $ends interval ends, expected 34"
[ $((moved * 4)) -ge $((ends * 3)) ] ||
  fail "only $moved of $ends interval ends changed with the seed"
contains "$scratch/s42a.json" '"seed": 42,' "JSON provenance"
contains "$scratch/s42a.xml" '<property name="seed" value="42"/>' "JUnit provenance"

finish
