#!/bin/sh
# The simulations of issue 8 (docs/statistics.md): strict false-pass at the
# boundary, non-inferiority and TOST size, `stratify: label` coverage and the
# small-sample coverage table, through the public API (bench/simulate.c).
#
# Usage: bench/simulate.sh [BUILD_DIR] [simulate options...]
#   bench/simulate.sh build-sim            the full run (K = 1000, B = 1000;
#                                           about 5 minutes on one core)
#   bench/simulate.sh build-sim --quick    a smoke check (K = 40, B = 500; seconds)
#   bench/simulate.sh build-sim --sections ab --k 400
#   cmake --build build-sim --target simulation   (the full run into
#                                                   build-sim/simulation.md)
# Builds the `simulate` target (not part of `all`) in BUILD_DIR (default build),
# checks the truths against SciPy and scikit-learn when /usr/bin/python3 has them,
# then runs the simulation under `nice` and prints Markdown tables on stdout.
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
if [ -z "${MG_SIMULATE_NO_BUILD:-}" ]; then # set by the CMake target `simulation`
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build"
  fi
  cmake --build "$build" --target simulate -j 2 >&2
fi
sim="$build/bench/simulate"
if /usr/bin/python3 -c 'import scipy, sklearn' 2>/dev/null; then
  echo "== truths (tests/reference/simulation_truths.py)" >&2
  nice -n 10 /usr/bin/python3 tests/reference/simulation_truths.py "$sim" >&2
fi
echo "== commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')" >&2
exec nice -n 10 "$sim" "$@"
