#!/bin/sh
# The churn example's slices suite (examples/churn/slices.yaml): every slicing kind
# (values, quantiles, groups with and without the rest, a filter, a filtered slicing,
# a 3-way cross) and every test kind across slices (thresholds per slice, a test's own
# filter, comparisons per slice, max_gap, a champion's gap, min_ratio, vs_overall,
# weak_slices) in one run on the example's data. It fails on purpose where central
# customers' recall is far below the rest, and each kind finds that its own way.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

run "$scratch/stdout" "$scratch/stderr" "$bin" run "$churn/slices.yaml" \
  --json "$scratch/results.json" --junit "$scratch/junit.xml"
expect_status 1 "run slices.yaml"
empty "$scratch/stderr" "run slices.yaml: stderr"
contains "$scratch/stdout" '63 tests: 45 passed, 11 failed, 7 skipped, 0 errors' \
  "the summary line"
json=$scratch/results.json
# one case per slice, named as the slicing names them
for slice in 'tenure_months=[37, 72]' 'region=(other)' 'region=coast' \
  'plan=premium' 'region=central × tenure_months>=24' \
  'tenure_months=[0, 5) × region=coast × plan=basic' 'region (all slices)'; do
  contains "$json" "\"slice\": \"$slice\"" "slice $slice"
done
# the failures, each where the data put it
for line in \
  'FAIL    recall gap' \
  "FAIL    no wider gap than the champion's" \
  'FAIL    four-fifths rule' \
  'FAIL    no region far below all           candidate              region=central' \
  'FAIL    weak slices                       candidate              region=central  '; do
  contains "$scratch/stdout" "$line" "$line"
done
# every kind of case is in the JSON
for kind in threshold comparison gap ratio vs_overall weak_slice; do
  contains "$json" "\"kind\": \"$kind\"" "a $kind case"
done
finish
