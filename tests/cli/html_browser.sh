#!/bin/sh
# End to end, in a browser: the HTML report rendered by headless Chromium (Debian's
# `chromium`; the test is skipped, status 77, where it is not installed, and
# .ci/run installs it). For the churn example and a 300-slice suite: the page loads
# with no console message (a page that logs one is caught, as a control); the DOM
# Chromium builds has, in every figure, the marks the figure states (so the browser
# parsed the SVG as the XML parser did); the screenshot is not blank (far larger than
# a blank page's at the same size, and different in the dark scheme); and the
# 300-slice page renders in under 2 s beyond a blank page's time, asserted when the
# machine is not overloaded (the figure is printed either way). With MG_SCREENSHOT=F
# the churn example's screenshot is also copied to F (docs/html-report.png comes
# from here).
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"
# shellcheck source=SCRIPTDIR/html.inc
. "$(dirname "$0")/html.inc"

browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
  echo "html_browser: no chromium here; skipped (apt-get install chromium)"
  exit 77
fi
# A profile and a home of our own; no sandbox, since CI runs as root (the page is
# our own file).
export HOME="$scratch/home"
mkdir -p "$HOME"
chrome() {
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$scratch/profile" --hide-scrollbars --enable-logging=stderr \
    --v=0 "$@"
}

# now_ms: milliseconds on a monotonic-enough clock (GNU date).
now_ms() {
  echo $(($(date +%s%N) / 1000000))
}

# dom PAGE OUT: the DOM Chromium builds, with its log in OUT.log; fails on any
# console message.
dom() {
  chrome --dump-dom "file://$1" >"$2" 2>"$2.log"
  [ -s "$2" ] || fail "$1: Chromium dumped no DOM: $(grep -v -i dbus "$2.log" | head -n 3)"
  if grep -q "CONSOLE" "$2.log"; then
    fail "$1: console messages: $(grep CONSOLE "$2.log" | head -n 3)"
  fi
}

# The control: a page that logs an error is caught.
printf '<!DOCTYPE html><html><body><script>console.error("boom")</script></body></html>\n' \
  >"$scratch/noisy.html"
chrome --dump-dom "file://$scratch/noisy.html" >/dev/null 2>"$scratch/noisy.log"
grep -q 'CONSOLE.*boom' "$scratch/noisy.log" ||
  fail "control: Chromium's log does not show a console error ($(grep -v -i dbus "$scratch/noisy.log" | head -n 2))"
printf '<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n' \
  >"$scratch/blank.html"

# marks_by_figure FILE: the marks of each figure, one line per figure ("mark" classes
# between one <figure and the next).
marks_by_figure() {
  awk '{ s = s $0 "\n" } END {
    n = split(s, part, "<figure")
    for (i = 2; i <= n; i++) {
      fig = part[i]; sub(/<\/figure>.*/, "", fig)
      print gsub(/class="mark[ "]/, "", fig)
    }
  }' "$1"
}
# stated_by_figure FILE: each figure's data-marks.
stated_by_figure() {
  grep -o '<figure[^>]*data-marks="[0-9]*"' "$1" | sed 's/.*data-marks="\([0-9]*\)"/\1/'
}

# check PAGE TAG: DOM, marks, screenshots.
check() {
  dom "$1" "$scratch/$2.dom"
  marks_by_figure "$scratch/$2.dom" >"$scratch/$2.marks"
  stated_by_figure "$1" >"$scratch/$2.stated"
  [ -s "$scratch/$2.stated" ] || fail "$2: no figures"
  same "$scratch/$2.stated" "$scratch/$2.marks" "$2: marks in the browser's DOM vs data-marks"
  chrome --window-size=1200,1600 --screenshot="$scratch/$2.png" "file://$1" \
    >/dev/null 2>&1
  chrome --window-size=1200,1600 --blink-settings=preferredColorScheme=0 \
    --screenshot="$scratch/$2-dark.png" "file://$1" >/dev/null 2>&1
  chrome --window-size=1200,1600 --screenshot="$scratch/blank.png" \
    "file://$scratch/blank.html" >/dev/null 2>&1
  for f in "$2.png" "$2-dark.png" blank.png; do
    [ -s "$scratch/$f" ] || fail "$2: no screenshot $f"
  done
  _page=$(wc -c <"$scratch/$2.png")
  _blank=$(wc -c <"$scratch/blank.png")
  [ "$_page" -gt $((20 * _blank)) ] ||
    fail "$2: the screenshot ($_page bytes) is no larger than 20 blank pages ($_blank bytes)"
  differ "$scratch/$2.png" "$scratch/$2-dark.png" "$2: light and dark screenshots"
}

run "$scratch/churn.out" "$scratch/churn.err" "$bin" run "$churn/suite.yaml" \
  --html "$scratch/churn.html"
expect_status 1 "churn --html"
check "$scratch/churn.html" churn
[ "$(tr '\n' ' ' <"$scratch/churn.marks")" = "10 6 6 " ] ||
  fail "churn: marks per figure $(tr '\n' ' ' <"$scratch/churn.marks"), expected 10 6 6"
if [ -n "${MG_SCREENSHOT:-}" ]; then
  # From the source tree with a relative path and no CI commit, as a reader would
  # run the example.
  (cd "$src" && env -u GITHUB_SHA -u CI_COMMIT_SHA -u GIT_COMMIT -u BUILD_SOURCEVERSION \
    "$bin" run examples/churn/suite.yaml --html "$scratch/shot.html" >/dev/null)
  chrome --window-size=1100,1950 --screenshot="$MG_SCREENSHOT" \
    "file://$scratch/shot.html" >/dev/null 2>&1
fi

wide_suite "$scratch/wide" 300 30000
run "$scratch/wide.out" "$scratch/wide.err" "$bin" run "$scratch/wide/suite.yaml" \
  --html "$scratch/wide.html"
expect_status 1 "300 slices --html"
check "$scratch/wide.html" wide
[ "$(tr '\n' ' ' <"$scratch/wide.marks")" = "600 900 6 6 " ] ||
  fail "300 slices: marks per figure $(tr '\n' ' ' <"$scratch/wide.marks"), expected 600 900 6 6"

# Render time: the best of three loads of the page, less the best of three of a
# blank page (the browser's own start).
best() {
  _best=
  for _k in 1 2 3; do
    _t0=$(now_ms)
    chrome --dump-dom "file://$1" >/dev/null 2>&1
    _t=$(($(now_ms) - _t0))
    if [ -z "$_best" ] || [ "$_t" -lt "$_best" ]; then _best=$_t; fi
  done
  echo "$_best"
}
blank_ms=$(best "$scratch/blank.html")
wide_ms=$(best "$scratch/wide.html")
render_ms=$((wide_ms - blank_ms))
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)
cores=$(nproc 2>/dev/null || echo 1)
echo "html_browser: 300-slice page ($(wc -c <"$scratch/wide.html") bytes) renders in" \
  "${render_ms} ms beyond a blank page (${wide_ms} ms vs ${blank_ms} ms; load $load on $cores cores)"
if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l <= c) }'; then
  [ "$render_ms" -lt 2000 ] || fail "300 slices: rendering took $render_ms ms, over 2 s"
else
  echo "html_browser: (load above the core count: the 2 s bound is not asserted)"
fi

finish
