#!/bin/sh
# `modelgate discover` on the million-row benchmark holdout (issue 9: five columns at
# depth 2 in under a minute). The benchmark data (bench/run.sh makes it) has three
# slice columns; this adds two more, derived from the id (channel: 3 values,
# device: 4), and a tenure band (whole years, capped at 5), into DATA/discover/, then
# times the search over region, segment, channel, device and tenure in 4 quantile
# bins at depth 2 (5 + 10 slicings, 281 candidate slices).
# Usage: bench/discover.sh BUILD_DIR [ROWS] [REPLICATES]
set -eu
build=${1:-build}
rows=${2:-1000000}
reps=${3:-2000}
data=bench/data/$rows
if [ ! -f "$data/suite.yaml" ]; then
  mkdir -p "$data"
  "$build/bench/gen_data" "$data" "$rows" 1
fi
out=$data/discover
if [ ! -f "$out/suite.yaml" ]; then
  mkdir -p "$out"
  awk -F, 'NR == 1 { print $0 ",channel,device,tenure_band"; next }
           { b = int($4 / 12); if (b > 5) b = 5;
             print $0 ",c" ($1 * 7919) % 3 ",d" ($1 * 104729) % 4 ",y" b }' \
    "$data/holdout.csv" > "$out/holdout.csv"
  sed -e 's|holdout: holdout.csv|holdout: holdout.csv|' \
      -e 's|file: candidate.csv|file: ../candidate.csv|' \
      -e 's|file: champion.csv|file: ../champion.csv|' \
      "$data/suite.yaml" > "$out/suite.yaml"
fi
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e s wall, %M KB peak" "$@"
  else
    "$@"
  fi
}
echo "== modelgate discover ($rows rows, $reps replicates, $(nproc) threads, load: $(cut -d' ' -f1-3 /proc/loadavg))"
measure "$build/modelgate" discover "$out/suite.yaml" --replicates "$reps" --quiet \
  --columns region,segment,channel,device,tenure:4 --depth 2
