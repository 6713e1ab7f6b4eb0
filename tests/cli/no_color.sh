#!/bin/sh
# End to end: colours and terminal codes only on a terminal, never with NO_COLOR
# (https://no-color.org). Output to files (not a terminal) has no ESC byte at all, on
# stdout or stderr (no colour, no progress bar), with or without NO_COLOR, for `run`,
# `metrics` and `validate`. Where util-linux `script` can give modelgate a
# pseudo-terminal, stdout there is coloured, which shows the check can see colour,
# and NO_COLOR=1 takes the colour away.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# plain TAG CMD...: run CMD without a terminal; no ESC byte on stdout or stderr.
plain() {
  _tag=$1
  shift
  run "$scratch/$_tag.out" "$scratch/$_tag.err" "$@"
  [ -s "$scratch/$_tag.out" ] || fail "$_tag: no output"
  no_esc "$scratch/$_tag.out" "$_tag: stdout"
  no_esc "$scratch/$_tag.err" "$_tag: stderr"
}

plain run "$bin" run "$churn/suite.yaml"
expect_status 1 "run"
plain metrics "$bin" metrics "$churn/suite.yaml" --replicates 200
expect_status 0 "metrics"
plain validate "$bin" validate "$churn/suite.yaml"
expect_status 0 "validate"
plain run_nc env NO_COLOR=1 "$bin" run "$churn/suite.yaml"
expect_status 1 "NO_COLOR=1 run"
plain metrics_nc env NO_COLOR=1 "$bin" metrics "$churn/suite.yaml" --replicates 200
expect_status 0 "NO_COLOR=1 metrics"
# An empty NO_COLOR does not ask for anything, and a non-terminal still gets none.
plain run_empty env NO_COLOR= "$bin" run "$churn/suite.yaml"
expect_status 1 "NO_COLOR= run"
# The reports are plain too.
run "$scratch/r.out" "$scratch/r.err" "$bin" run "$churn/suite.yaml" --quiet \
  --junit "$scratch/r.xml" --json "$scratch/r.json" --markdown "$scratch/r.md"
for f in r.xml r.json r.md; do
  no_esc "$scratch/$f" "report $f"
done

# On a pseudo-terminal (util-linux script; stderr, where the progress bar goes, is
# sent to a file so that only stdout is on the terminal).
if script -qc true /dev/null >/dev/null 2>&1; then
  # pty TAG ENV: run the churn suite on a terminal with environment ENV.
  pty() {
    env "$2" script -qc "\"$bin\" run \"$churn/suite.yaml\" 2>\"$scratch/$1.err\"" \
      /dev/null >"$scratch/$1.out" 2>&1 </dev/null
    contains "$scratch/$1.out" "33 tests: 32 passed, 1 failed" "$1: terminal output"
  }
  pty tty_colour "NO_COLOR="
  has_esc "$scratch/tty_colour.out" "terminal without NO_COLOR"
  pty tty_nc "NO_COLOR=1"
  no_esc "$scratch/tty_nc.out" "terminal with NO_COLOR=1"
else
  echo "$name: note: no util-linux script(1); checked non-terminal output only"
fi

finish
