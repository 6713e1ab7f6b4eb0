#!/bin/sh
# Run the libFuzzer targets, one after the other, each for SECONDS on its committed
# seed corpus (tests/fuzz/corpus/TARGET) plus the inputs found so far
# (tests/fuzz/corpus-work/TARGET, not committed). A crash, leak, timeout or failed
# check leaves its input in tests/fuzz/corpus-work/artifacts/ and makes the script
# exit 1.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]     (TARGET: csv suite xmlclean diff)
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [csv] [suite] [xmlclean] [diff]" >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$here/corpus-work
targets=${*:-csv suite xmlclean diff}
mkdir -p "$work/artifacts"
status=0
for t in $targets; do
  bin=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz: no $bin (configure with CC=clang -DMG_FUZZ=ON)" >&2
    exit 2
  fi
  mkdir -p "$work/$t"
  dict=""
  [ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
  echo "== fuzz_$t for ${seconds}s"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a runaway
  # allocation is a finding too. The CSV target's padded inputs are 64 KiB longer
  # than the bytes the fuzzer mutates.
  # shellcheck disable=SC2086
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" $dict \
      "$work/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1; then
    status=1
    echo "fuzz_$t FOUND A PROBLEM:" >&2
    grep -aE 'ERROR|SUMMARY|check failed|Test unit written' "$work/$t.log" >&2
  fi
  grep -aE '^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE' "$work/$t.log" |
    sed "s/^/  /"
done
exit $status
