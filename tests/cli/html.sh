#!/bin/sh
# End to end: the HTML report (issue 11). It is one self-contained page that is
# well-formed XML as well as HTML (xmllint parses it), with no script and nothing
# fetched; every plot has the marks its data call for (each figure's data-marks
# against the elements of class "mark" it holds, and the numbers the suites give);
# the cases come failures first; the provenance has each input's SHA-256 and the CI
# commit; the bytes do not depend on --threads; hostile names (control bytes,
# invalid UTF-8, "</script>", quotes, 4,000 characters) in the suite, test, model,
# slicing, column and slice names stay escaped text; a 300-slice suite's page stays
# under 2 MB. The browser's view of the same pages is tests/cli/html_browser.sh.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"
# shellcheck source=SCRIPTDIR/html.inc
. "$(dirname "$0")/html.inc"

# marks FILE N: the elements of class "mark" in the N-th figure of FILE.
marks() {
  xmllint --xpath "count((//*[local-name()='figure'])[$2]//*[contains(concat(' ', @class, ' '), ' mark ')])" "$1" 2>/dev/null
}
# stated FILE N: the N-th figure's data-marks attribute.
stated() {
  xmllint --xpath "string((//*[local-name()='figure'])[$2]/@data-marks)" "$1" 2>/dev/null
}
# figures FILE: the number of figures.
figures() {
  xmllint --xpath "count(//*[local-name()='figure'])" "$1" 2>/dev/null
}
# check_page FILE WHAT: well-formed, self-contained, every figure's marks as stated.
check_page() {
  xmllint --noout "$1" 2>"$scratch/xmllint.err" ||
    fail "$2: not well-formed: $(head -n 3 "$scratch/xmllint.err")"
  head -n 1 "$1" | grep -q '^<!DOCTYPE html>$' || fail "$2: no HTML5 doctype"
  lacks "$1" "<script" "$2: a script element"
  lacks "$1" ' src="' "$2: a fetched resource"
  lacks "$1" 'href="http' "$2: a link out"
  if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037\177]')" "$1"; then
    fail "$2: a control byte in the page"
  fi
  _n=$(figures "$1")
  _i=1
  while [ "$_i" -le "${_n:-0}" ]; do
    [ "$(marks "$1" "$_i")" = "$(stated "$1" "$_i")" ] ||
      fail "$2: figure $_i has $(marks "$1" "$_i") marks, states $(stated "$1" "$_i")"
    _i=$((_i + 1))
  done
}

# --- the churn example --------------------------------------------------------------
run "$scratch/churn.out" "$scratch/churn.err" env -u GITHUB_SHA -u CI_COMMIT_SHA \
  -u GIT_COMMIT -u BUILD_SOURCEVERSION "$bin" run "$churn/suite.yaml" \
  --html "$scratch/churn.html" --json "$scratch/churn.json" --threads 1
expect_status 1 "churn --html"
empty "$scratch/churn.err" "churn --html: stderr"
check_page "$scratch/churn.html" "churn"
# A forest plot (recall per region), then the ROC and the PR curves.
[ "$(figures "$scratch/churn.html")" = 3 ] || fail "churn: $(figures "$scratch/churn.html") figures, expected 3"
# 5 regions × 2 models; per curve set, 2 models × (band, curve, operating point).
[ "$(marks "$scratch/churn.html" 1)" = 10 ] || fail "churn forest: $(marks "$scratch/churn.html" 1) marks, expected 10"
[ "$(marks "$scratch/churn.html" 2)" = 6 ] || fail "churn ROC: $(marks "$scratch/churn.html" 2) marks, expected 6"
[ "$(marks "$scratch/churn.html" 3)" = 6 ] || fail "churn PR: $(marks "$scratch/churn.html" 3) marks, expected 6"
# One failed mark (region=central), filled: a clear failure.
[ "$(xmllint --xpath "count(//*[@class='mark fail'])" "$scratch/churn.html")" = 1 ] ||
  fail "churn: not one clear-failure mark"
# Failures first: the tests table's first row is the failed case.
xmllint --xpath "string((//*[local-name()='table'][@class='tests']//*[local-name()='tr'])[2])" \
  "$scratch/churn.html" >"$scratch/first-row" 2>/dev/null
contains "$scratch/first-row" "region=central" "churn: first case"
contains "$scratch/first-row" "fail" "churn: first case's outcome"
# Provenance: each input's SHA-256, the seed and replicates; no commit outside CI.
for f in data/holdout.csv preds/candidate.csv preds/champion.csv; do
  contains "$scratch/churn.html" "$(sha256sum "$churn/$f" | cut -d ' ' -f 1)" "churn: SHA-256 of $f"
done
contains "$scratch/churn.html" "<dt>seed</dt><dd>1</dd>" "churn: seed"
contains "$scratch/churn.html" "<dt>replicates</dt><dd>2000</dd>" "churn: replicates"
contains "$scratch/churn.html" "not recorded" "churn: no commit"
# p-value of the comparison and its method, as the JSON has them (3 significant
# digits).
# (the comparison's: drift cases, which come first, have p-values of their own)
p=$(awk '/"p_value": [0-9]/ { v = $2; sub(/,$/, "", v) }
  /"p_method": "bootstrap"/ { print v; exit }' "$scratch/churn.json")
method=bootstrap
[ -n "$p" ] && [ -n "$method" ] || fail "churn: no p-value in the JSON"
contains "$scratch/churn.html" "$(printf '%.3g' "$p") ($method)</td>" "churn: p-value"

# The commit from each CI's variable, the first set winning.
for var in GITHUB_SHA CI_COMMIT_SHA GIT_COMMIT BUILD_SOURCEVERSION; do
  run "$scratch/ci.out" "$scratch/ci.err" env -u GITHUB_SHA -u CI_COMMIT_SHA -u GIT_COMMIT \
    -u BUILD_SOURCEVERSION "$var=0123abc$var" "$bin" run "$churn/suite.yaml" \
    --replicates 200 --html "$scratch/ci.html"
  contains "$scratch/ci.html" "<dt>commit ($var)</dt><dd>0123abc$var</dd>" "commit from $var"
done
run "$scratch/ci.out" "$scratch/ci.err" env GITHUB_SHA=first GIT_COMMIT=second \
  "$bin" run "$churn/suite.yaml" --replicates 200 --html "$scratch/ci.html"
contains "$scratch/ci.html" "<dd>first</dd>" "commit: GITHUB_SHA before GIT_COMMIT"

# --- the same bytes whatever --threads ------------------------------------------------
for t in 2 3; do
  run "$scratch/t$t.out" "$scratch/t$t.err" env -u GITHUB_SHA -u CI_COMMIT_SHA \
    -u GIT_COMMIT -u BUILD_SOURCEVERSION "$bin" run "$churn/suite.yaml" \
    --html "$scratch/t$t.html" --threads "$t"
  same "$scratch/churn.html" "$scratch/t$t.html" "HTML, threads 1 vs $t"
done

# --- hostile names ------------------------------------------------------------------
# Slice values with control bytes and invalid UTF-8, "</script>", quotes and 4,000
# characters; a column name with markup and quotes; YAML names with escapes.
h=$scratch/hostile
mkdir -p "$h"
long=$(awk 'BEGIN { while (n++ < 4000) printf "x" }')
{
  printf 'id,label,"se<g>""&amp;\001"\n'
  i=0
  while [ $i -lt 240 ]; do
    case $((i % 4)) in
    0) s='"</script><script>alert(1)</script>"' ;;
    1) s=$(printf '"ctl\001\033[31m \377\376 bad"') ;;
    2) s=$(printf '"q""uote%s & <b>"' "'") ;;
    *) s=$long ;;
    esac
    printf 'r%d,%d,%s\n' "$i" $((i % 3 == 0)) "$s"
    i=$((i + 1))
  done
} >"$h/holdout.csv"
awk 'BEGIN { print "id,p"; for (i = 0; i < 240; i++) printf "r%d,0.%02d\n", i, (i * 37) % 100 }' \
  >"$h/scores.csv"
cat >"$h/suite.yaml" <<EOF
suite: "</script><script>alert('x')</script> \"quoted\" & \x01\e[31m $long"
task: binary
data: {holdout: holdout.csv, id: id, label: label, positive: "1"}
models:
  "cand</title>\"'&\x07": {file: scores.csv, score: p}
threshold: 0.5
bootstrap: {replicates: 200, seed: 3}
slices:
  "</style>seg\x01": "se<g>\"&amp;\x01"
tests:
  - {name: "</script>\x01 \"recall\" & <b>$long", metric: recall, model: "cand</title>\"'&\x07", slices: "</style>seg\x01", at_least: 0.1}
EOF
run "$h/out" "$h/err" "$bin" run "$h/suite.yaml" --html "$h/report.html"
expect_status 0 "hostile names"
check_page "$h/report.html" "hostile names"
lacks "$h/report.html" "</script>" "hostile names: a raw </script>"
lacks "$h/report.html" "<b>" "hostile names: a raw <b>"
contains "$h/report.html" "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" "hostile slice"
contains "$h/report.html" "se&lt;g&gt;" "hostile column name (in the slice label)"
if LC_ALL=C grep -q "$(printf '\377')" "$h/report.html"; then
  fail "hostile names: an invalid UTF-8 byte in the page"
fi
# U+FFFD stands where the bytes were; the 4,000-character label is cut in the plot
# (with an ellipsis) and whole in its tooltip.
contains "$h/report.html" "$(printf '\357\277\275')" "hostile names: U+FFFD"
contains "$h/report.html" "$(printf 'xxxxxxxx\342\200\246')" "hostile names: a cut label"
contains "$h/report.html" "$long" "hostile names: the whole label"
# Four distinct slices × one model.
[ "$(marks "$h/report.html" 1)" = 4 ] || fail "hostile names: $(marks "$h/report.html" 1) marks, expected 4"

# --- 300 slices -------------------------------------------------------------------------
wide_suite "$scratch/wide" 300 30000
run "$scratch/wide.out" "$scratch/wide.err" "$bin" run "$scratch/wide/suite.yaml" \
  --html "$scratch/wide/report.html"
expect_status 1 "300 slices"
check_page "$scratch/wide/report.html" "300 slices"
size=$(wc -c <"$scratch/wide/report.html")
echo "html: the 300-slice report is $size bytes"
[ "$size" -lt 2000000 ] || fail "300 slices: $size bytes, over 2 MB"
# recall: 300 slices × 2 models; Δ: 300 × 2 models + 300 Δ.
[ "$(marks "$scratch/wide/report.html" 1)" = 600 ] || fail "300 slices: recall forest has $(marks "$scratch/wide/report.html" 1) marks"
[ "$(marks "$scratch/wide/report.html" 2)" = 900 ] || fail "300 slices: Δ forest has $(marks "$scratch/wide/report.html" 2) marks"

# --html is a run report: metrics refuses it.
run "$scratch/m.out" "$scratch/m.err" "$bin" metrics "$churn/suite.yaml" --html "$scratch/m.html"
expect_status 2 "metrics --html"
[ ! -e "$scratch/m.html" ] || fail "metrics --html wrote a file"

finish
