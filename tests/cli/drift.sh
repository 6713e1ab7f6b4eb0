#!/bin/sh
# End to end: `modelgate drift` on the churn example's reference and holdout sets,
# as a user meets it: the table sorted by PSI, the JSON report (to a file and to
# stdout), --columns, the same numbers for any thread count, nothing NaN.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

ref=$churn/data/reference.csv
cur=$churn/data/holdout.csv

run "$scratch/table" "$scratch/table.err" "$bin" drift --reference "$ref" \
  --current "$cur" --replicates 200 --json "$scratch/drift.json"
expect_status 0 "drift"
empty "$scratch/table.err" "drift: stderr"
head -n 1 "$scratch/table" | grep -q '^column  *type  *psi  *js  *ks  *wasserstein/sd  *cramers_v  *p  *p (holm)$' ||
  fail "drift: table header: $(head -n 1 "$scratch/table")"
# every column both files have (but the id), one line each, the summary line, the
# column only the reference has and the id
[ "$(wc -l <"$scratch/table")" -eq 8 ] || fail "drift: not 4 columns and 4 more lines"
grep -q '^region  *category ' "$scratch/table" || fail "drift: region is not a category"
grep -q '^tenure_months  *number ' "$scratch/table" || fail "drift: tenure is not a number"
contains "$scratch/table" "4 columns; reference $ref (4000 rows), current $cur (4000 rows)" \
  "drift: summary"
# sorted by PSI, largest first: the PSI column read back is non-increasing
awk 'NR > 1 && $2 ~ /^(number|category)$/ { print $3 }' "$scratch/table" >"$scratch/psi"
sort -g -r "$scratch/psi" | cmp -s - "$scratch/psi" || fail "drift: not sorted by PSI"
contains "$scratch/table" "not compared (in one file only): p_churn" "drift: unshared"
contains "$scratch/table" "not compared (a distinct value in every row, an id): customer_id" \
  "drift: id"
no_esc "$scratch/table" "drift: table"

# JSON: every column, the statistics a column has, no NaN
[ "$(count "$scratch/drift.json" '"column": ')" -eq 4 ] || fail "json: not 4 columns"
contains "$scratch/drift.json" '"reference_rows": 4000' "json: reference rows"
contains "$scratch/drift.json" '"sorted_by": "psi"' "json: sorted_by"
[ "$(count "$scratch/drift.json" '"cramers_v": {')" -eq 2 ] ||
  fail "json: Cramér's V not for the 2 category columns (region, plan)"
[ "$(count "$scratch/drift.json" '"ks": {')" -eq 2 ] ||
  fail "json: KS not for the 2 number columns"
finite "$scratch/drift.json" "json"

# --json - writes the JSON alone on stdout; the same numbers with one thread
run "$scratch/stdout.json" "$scratch/stdout.err" "$bin" drift --reference "$ref" \
  --current "$cur" --replicates 200 --threads 1 --json -
expect_status 0 "drift --json -"
head -c 1 "$scratch/stdout.json" | grep -q '{' || fail "drift --json -: not JSON alone"
grep -v '"seconds"' "$scratch/drift.json" >"$scratch/a"
grep -v '"seconds"' "$scratch/stdout.json" >"$scratch/b"
same "$scratch/a" "$scratch/b" "drift: 2 threads vs 1"

# --columns: those columns only, in PSI order
run "$scratch/cols" "$scratch/cols.err" "$bin" drift --reference "$ref" \
  --current "$cur" --replicates 100 --columns plan,tenure_months
expect_status 0 "drift --columns"
[ "$(grep -c -E '^(plan|tenure_months) ' "$scratch/cols")" -eq 2 ] ||
  fail "drift --columns: not the two columns"
lacks "$scratch/cols" "region" "drift --columns"

finish
