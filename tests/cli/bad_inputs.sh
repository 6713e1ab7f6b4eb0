#!/bin/sh
# The catalogue of bad inputs (tests/bad-inputs/, see its README.md): run every case
# in a scratch copy and compare the exit status and the exact stderr with what the
# case expects; a case that expects status 2 or 3 must leave no file behind (no
# report, no temporary file). Prints one line per failure and a summary; exits 1 on
# any mismatch.
#
#   sh tests/cli/bad_inputs.sh MODELGATE SOURCE_DIR SCRATCH_DIR [CASE...]
#
# MG_VALGRIND=1 runs modelgate under valgrind --leak-check=full; any memory error or
# definite/possible leak fails the case (valgrind's log is kept beside the case's
# scratch copy). Each run is bounded in time, so that a hang is a failure rather than
# a stuck CI job: 60 seconds, or what the case's `timeout` file says (for cases that
# guard against a slow path), times 20 under valgrind. A case with a `signal` file is
# sent that signal while it runs; should it still run 3 s later, the failure says in
# which kernel function and system call each of its threads waits. A case with an
# `xfail` file is a known bug: it must fail (and is not counted as a failure) until
# the bug is fixed.
set -u
# The runs here must not write into the step summary of the CI job running them.
unset GITHUB_STEP_SUMMARY

if [ $# -lt 3 ]; then
  echo "usage: sh $0 MODELGATE SOURCE_DIR SCRATCH_DIR [CASE...]" >&2
  exit 2
fi
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
bin=$(abspath "$1")
src=$(cd "$2" && pwd -P)
scratch=$3
shift 3
catalogue=$src/tests/bad-inputs
rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd -P)

valgrind=""
slowdown=1
if [ "${MG_VALGRIND:-0}" = 1 ]; then
  if ! command -v valgrind >/dev/null 2>&1; then
    echo "bad_inputs: MG_VALGRIND=1 but valgrind is not installed" >&2
    exit 2
  fi
  valgrind="valgrind -q --leak-check=full --error-exitcode=99"
  slowdown=20
fi
have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

# What check scripts may use: helpers, the binary, the source tree.
export MG_CHECKS="$catalogue/checks.sh" MG_SOURCE_DIR="$src" MODELGATE="$bin"

if [ $# -gt 0 ]; then
  cases=$*
else
  cases=$(cd "$catalogue" && for d in */; do printf '%s\n' "${d%/}"; done)
fi

total=0 passed=0 failed=0 skipped=0 xfailed=0
skips="" xfails=""
fail() {
  failed=$((failed + 1))
  echo "FAIL $name: $1"
}

for name in $cases; do
  case_dir=$catalogue/$name
  work=$scratch/$name
  total=$((total + 1))
  for f in cmd expected status; do
    if [ ! -f "$case_dir/$f" ]; then
      fail "no '$f' file"
      continue 2
    fi
  done
  cp -R "$case_dir" "$work"

  # setup prepares what cannot be committed (big, FIFO, symlink, mode); status 77
  # skips the case, with the reason on its stdout.
  if [ -f "$work/setup" ]; then
    (cd "$work" && sh ./setup) >"$scratch/$name.setup" 2>&1
    rc=$?
    if [ $rc -eq 77 ]; then
      skipped=$((skipped + 1))
      skips="$skips
  $name: $(tr '\n' ' ' <"$scratch/$name.setup")"
      continue
    fi
    if [ $rc -ne 0 ]; then
      fail "setup exited with $rc: $(tr '\n' ' ' <"$scratch/$name.setup")"
      continue
    fi
  fi
  (cd "$work" && find . | LC_ALL=C sort) >"$scratch/$name.before"

  timeout_s=60
  [ -f "$case_dir/timeout" ] && timeout_s=$(cat "$case_dir/timeout")
  timeout_s=$((timeout_s * slowdown))
  with_timeout=""
  # --foreground: timeout passes a signal on to modelgate alone. Without it, timeout
  # also sends the signal and then SIGCONT to its whole process group; a SIGCONT that
  # arrives while LeakSanitizer stops the exiting process's threads cancels LSan's
  # SIGSTOP and deadlocks it (seen in CI on the FIFO cases, which exit at once).
  [ $have_timeout -eq 1 ] && with_timeout="timeout --foreground -k 5 $timeout_s"
  vg=""
  [ -n "$valgrind" ] && vg="$valgrind --log-file=$scratch/$name.valgrind"
  (
    cd "$work" || exit 125
    eval "set -- $(cat cmd)"
    # shellcheck disable=SC2086
    exec $with_timeout $vg "$bin" "$@"
  ) </dev/null >"$scratch/$name.stdout" 2>"$scratch/$name.stderr" &
  pid=$!
  # A `signal` file ("TERM 2") interrupts the run after that many seconds; timeout
  # passes the signal on to modelgate.
  stuck=""
  if [ -f "$case_dir/signal" ]; then
    read -r sig delay <"$case_dir/signal"
    sleep $((delay * slowdown))
    kill -"$sig" "$pid" 2>/dev/null
    # timeout kills modelgate 5 s after passing the signal on; should it come to that,
    # note first where each of its threads waits, for the failure message.
    for _ in 1 2 3; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        for task in /proc/"$child"/task/*; do
          stuck="$stuck${stuck:+,} $(cat "$task/comm" 2>/dev/null) in $(cat "$task/wchan" 2>/dev/null) (syscall $(cut -d' ' -f1 "$task/syscall" 2>/dev/null))"
        done
      done
    fi
  fi
  # (The shell's own "Terminated" notice for a killed run is not ours to print.)
  { wait "$pid"; } 2>/dev/null
  status=$?

  (cd "$work" && find . | LC_ALL=C sort) >"$scratch/$name.after"
  want_status=$(cat "$case_dir/status")
  problems=""
  if [ -n "$stuck" ] && [ "$status" -eq 137 ]; then
    problems="still running 3 s after SIG$sig, then killed; its threads wait:$stuck"
  elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    problems="timed out after ${timeout_s}s (status $status)"
  elif [ -n "$valgrind" ] && { [ "$status" -eq 99 ] || [ -s "$scratch/$name.valgrind" ]; }; then
    problems="valgrind reports errors (status $status): see $scratch/$name.valgrind"
  elif [ "$status" -ne "$want_status" ]; then
    problems="exit status $status, expected $want_status"
  fi
  if ! cmp -s "$case_dir/expected" "$scratch/$name.stderr"; then
    problems="${problems:+$problems; }stderr differs:
    expected: $(cat "$case_dir/expected")
    got:      $(cat "$scratch/$name.stderr")"
  fi
  if [ "$want_status" -ge 2 ] && ! cmp -s "$scratch/$name.before" "$scratch/$name.after"; then
    problems="${problems:+$problems; }files appeared or vanished: $(diff "$scratch/$name.before" "$scratch/$name.after" | grep '^[<>]' | tr '\n' ' ')"
  fi
  if [ -z "$problems" ] && [ -f "$work/check" ]; then
    if ! out=$(cd "$work" && MG_STATUS=$status MG_STDOUT="$scratch/$name.stdout" sh ./check 2>&1); then
      problems="check failed: $out"
    fi
  fi
  # An `xfail` file marks a known bug (its text says where): the case must fail
  # until the bug is fixed, and then the file must go.
  if [ -f "$case_dir/xfail" ]; then
    if [ -n "$problems" ]; then
      xfailed=$((xfailed + 1))
      xfails="$xfails
  $name: $(head -n 1 "$case_dir/xfail")"
    else
      fail "passes now: remove its xfail file"
    fi
  elif [ -n "$problems" ]; then
    fail "$problems"
  else
    passed=$((passed + 1))
  fi
done

summary="$total cases, $passed passed, $failed failed, $skipped skipped, $xfailed known bugs"
if [ -n "$valgrind" ]; then
  echo "bad inputs (under valgrind): $summary"
else
  echo "bad inputs: $summary"
fi
[ -n "$skips" ] && echo "skipped:$skips"
[ -n "$xfails" ] && echo "known bugs (failing as expected):$xfails"
[ "$failed" -eq 0 ]
