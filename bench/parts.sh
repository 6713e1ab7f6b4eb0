#!/bin/sh
# Partitioned inputs (issue 14, item 1) on the million-row benchmark data: the
# holdout and both prediction files cut into PARTS parts each (part-00000.csv, ...,
# as Spark writes them), read by glob, against the same rows in one file. Prints wall
# time and peak resident memory (GNU time) of each run and checks that the JSON
# reports agree once the provenance (which lists the parts) is taken out.
# Usage: bench/parts.sh BUILD_DIR DATA_DIR [PARTS] [REPLICATES]
#   (DATA_DIR as bench/run.sh writes it: bench/data/1000000)
set -eu
build=$1
data=$2
parts=${3:-16}
reps=${4:-200}
out=${TMPDIR:-/tmp}/modelgate-parts-bench
rm -rf "$out"
mkdir -p "$out/one" "$out/parts"
for f in holdout candidate champion; do
  cp "$data/$f.csv" "$out/one/"
  mkdir -p "$out/parts/$f"
  rows=$(($(wc -l <"$data/$f.csv") - 1))
  awk -v dir="$out/parts/$f" -v per=$(((rows + parts - 1) / parts)) '
    NR == 1 { header = $0; next }
    (NR - 2) % per == 0 { if (name) close(name); name = sprintf("%s/part-%05d.csv", dir, (NR - 2) / per); print header > name }
    { print > name }' "$data/$f.csv"
done
cp "$data/suite.yaml" "$out/one/"
sed -e 's|holdout: holdout.csv|holdout: "holdout/part-*.csv"|' \
  -e 's|file: candidate.csv|file: "candidate/part-*.csv"|' \
  -e 's|file: champion.csv|file: "champion/part-*.csv"|' "$data/suite.yaml" >"$out/parts/suite.yaml"
for v in one parts; do
  echo "== $v"
  (cd "$out/$v" && /usr/bin/time -v "$OLDPWD/$build/modelgate" run suite.yaml \
    --replicates "$reps" --json r.json --quiet 2>time.txt || true)
  grep -E "Elapsed|Maximum resident" "$out/$v/time.txt"
  awk '/^  "inputs": \[/ { s = 1 } !s && !/"timestamp"|"seconds"/ { print } s && /^  \],/ { s = 0 }' \
    "$out/$v/r.json" | sed 's|holdout/part-\*\.csv|holdout.csv|g' >"$out/$v.json"
done
cmp "$out/one.json" "$out/parts.json" && echo "JSON reports agree (provenance aside)"
uptime
