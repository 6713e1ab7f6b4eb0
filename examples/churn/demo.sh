#!/bin/sh
# `make demo`: run the churn example's acceptance suite on its bundled data, write the
# reports under out/, and explain the outcome. One test fails on purpose (the
# candidate's recall on the small central region), so modelgate exits with status 1,
# which is what CI would see; the demo itself succeeds when that is the only failure.
set -u
bin=${1:-build/modelgate}
here=$(dirname "$0")
out=out
mkdir -p "$out"

echo "\$ modelgate run $here/suite.yaml --junit $out/junit.xml --json $out/results.json --markdown $out/summary.md --html $out/report.html"
"$bin" run "$here/suite.yaml" --junit "$out/junit.xml" --json "$out/results.json" \
  --markdown "$out/summary.md" --html "$out/report.html"
status=$?
echo
echo "modelgate exited with status $status (0 pass, 1 a test failed, 2 bad input, 3 internal error)."
if [ "$status" -ne 1 ]; then
  echo "demo: expected status 1 (one intended failure), got $status" >&2
  exit 1
fi
failures=$(grep -c '<failure' "$out/junit.xml")
if [ "$failures" -ne 1 ] || ! grep -q 'name="recall per region \[region=central\]"' "$out/junit.xml"; then
  echo "demo: expected exactly one failure, recall per region on region=central" >&2
  exit 1
fi
cat <<TXT
That failure is intended: the candidate's recall on region=central is far below 0.5
(see examples/churn/README.md). In CI, exit status 1 would have blocked the
promotion of this candidate.

Reports: $out/junit.xml (JUnit), $out/results.json (JSON), $out/summary.md (Markdown),
$out/report.html (HTML).
Explore every metric with intervals:  $bin metrics $here/suite.yaml
TXT
