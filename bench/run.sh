#!/bin/sh
# `make bench`: the million-row benchmark of issue 3. Generates the data once (into
# bench/data/, not committed), then measures
#   1. where the engine's time goes (bench_engine: load, setup, jackknife, and the
#      time per replicate of each metric family);
#   2. the whole CLI run, wall time and peak memory (GNU time), for
#      `modelgate metrics` (all 14 metrics, every slice, intervals),
#      `modelgate run` (the suite's tests, 66 slices) and `modelgate run` of
#      slices.yaml (issue 9: a quantile slicing and a 3-way cross, 271 slices).
#   3. drift of ROWS rows × 20 columns with intervals (bench_drift: CPU and wall
#      time of the statistics and of the whole comparison; then `modelgate drift`).
# Usage: bench/run.sh BUILD_DIR [ROWS] [REPLICATES]
set -eu
build=${1:-build}
rows=${2:-1000000}
reps=${3:-2000}
data=bench/data/$rows
if [ ! -f "$data/suite.yaml" ] || [ ! -f "$data/slices.yaml" ]; then
  mkdir -p "$data"
  "$build/bench/gen_data" "$data" "$rows" 1
fi
# Wall time and peak resident memory, when GNU time is installed (Debian: time).
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e s wall, %M KB peak" "$@"
  else
    "$@"
  fi
}
echo "== engine phases ($rows rows, $reps replicates, $(nproc) threads)"
"$build/bench/bench_engine" "$data/suite.yaml" "$reps" "$(nproc)"
echo "== modelgate metrics (every metric, model and slice, with intervals)"
measure "$build/modelgate" metrics "$data/suite.yaml" --replicates "$reps" >/dev/null
echo "== modelgate run (the suite's tests)"
measure "$build/modelgate" run "$data/suite.yaml" --replicates "$reps" --quiet || true
echo "== modelgate run slices.yaml (3 slice columns and their 3-way cross: 271 slices)"
measure "$build/modelgate" run "$data/slices.yaml" --replicates "$reps" --quiet || true
echo "== drift: $rows rows × 20 columns, $reps replicates (bench_drift, then modelgate drift)"
mkdir -p bench/data/drift-$rows
"$build/bench/bench_drift" "bench/data/drift-$rows" "$rows" "$reps" "$(nproc)" | head -n 3
measure "$build/modelgate" drift --reference "bench/data/drift-$rows/reference.csv" \
  --current "bench/data/drift-$rows/current.csv" --replicates "$reps" >/dev/null
