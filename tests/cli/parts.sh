#!/bin/sh
# End to end: partitioned inputs (issue 14, item 1). The churn example's holdout and
# prediction files are cut into parts in several ways (uneven parts, a part of zero
# bytes, parts holding only a header, gzip and zstd parts, a directory of parts with
# Spark's _SUCCESS and a hidden .crc file, a glob) and each way must give the JSON
# report of the one-file run byte for byte, once the provenance (which lists the
# parts) is taken out and the pattern is written as the one file's path. The
# provenance itself is checked: every part in name order, its rows and its SHA-256.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# cut FILE DIR FIRST...: FILE's data rows cut before each of the given row numbers
# (1-based, ascending) into DIR/part-00000.csv, part-00001.csv, ..., each with the
# header; a cut given twice makes a part that holds only the header.
cut_parts() {
  _file=$1
  _dir=$2
  shift 2
  mkdir -p "$_dir"
  awk -v dir="$_dir" -v cuts="$*" '
    BEGIN { n = split(cuts, c, " "); k = 1; part = 0 }
    NR == 1 { header = $0; name = sprintf("%s/part-%05d.csv", dir, part); print header > name; next }
    {
      while (k <= n && NR - 1 >= c[k]) {
        close(name); part++; k++
        name = sprintf("%s/part-%05d.csv", dir, part); print header > name
      }
      print > name
    }' "$_file"
}

# report DIR TAG: run DIR/suite.yaml from DIR, JSON without `inputs` in TAG.json
report() {
  (cd "$1" && "$bin" run suite.yaml --junit j.xml --json raw.json >out.txt 2>err.txt)
  _st=$?
  [ "$_st" -eq 1 ] || fail "$2: exit status $_st, expected 1: $(head -n 2 "$1/err.txt")"
  empty "$1/err.txt" "$2: stderr"
  normalize_json "$1/raw.json" "$1/norm.json"
  awk '/^  "inputs": \[/ { skip = 1 } !skip { print } skip && /^  \],/ { skip = 0 }' \
    "$1/norm.json" | sed -e 's|data/holdout/part-\*\.csv|data/holdout.csv|g' \
    -e 's|"data/holdout"|"data/holdout.csv"|g' -e 's|data/holdout has|data/holdout.csv has|g' \
    >"$scratch/$2.json"
}

# variant TAG HOLDOUT CANDIDATE CHAMPION: a copy of the suite reading these paths
# (without the drift tests: they read the holdout as one file; see README)
variant() {
  mkdir -p "$scratch/$1"
  sed -e "s|holdout: data/holdout.csv|holdout: \"$2\"|" \
    -e "s|file: preds/candidate.csv|file: \"$3\"|" \
    -e "s|file: preds/champion.csv|file: \"$4\"|" \
    -e '/^  reference: /d' -e '/^drift:/,/^[a-z]/{/^drift:/d;/^  /d;/^#/d}' \
    "$churn/suite.yaml" >"$scratch/$1/suite.yaml"
}

# One file: the baseline.
variant one data/holdout.csv preds/candidate.csv preds/champion.csv
mkdir -p "$scratch/one/data" "$scratch/one/preds"
cp "$churn/data/holdout.csv" "$scratch/one/data/"
cp "$churn/preds/candidate.csv" "$churn/preds/champion.csv" "$scratch/one/preds/"
report "$scratch/one" one

# Four even holdout parts by glob; candidate in three gzip parts, champion in two
# zstd parts, each by glob.
variant even 'data/holdout/part-*.csv' 'preds/candidate/part-*.csv.gz' \
  'preds/champion/part-*.csv.zst'
cut_parts "$churn/data/holdout.csv" "$scratch/even/data/holdout" 1001 2001 3001
cut_parts "$churn/preds/candidate.csv" "$scratch/even/preds/candidate" 1500 3000
cut_parts "$churn/preds/champion.csv" "$scratch/even/preds/champion" 2222
gzip "$scratch"/even/preds/candidate/*.csv
zstd -q --rm "$scratch"/even/preds/champion/*.csv
report "$scratch/even" even
same "$scratch/one.json" "$scratch/even.json" "one file vs even parts"

# Uneven parts with header-only parts and a part of zero bytes; directories of parts
# (with Spark's _SUCCESS and a hidden checksum file, which are not parts).
variant odd data/holdout 'preds/candidate' 'preds/champion/part-*.csv'
cut_parts "$churn/data/holdout.csv" "$scratch/odd/data/holdout" 2 2 7 1000 1000 3999
: >"$scratch/odd/data/holdout/part-00099.csv"
: >"$scratch/odd/data/holdout/_SUCCESS"
echo junk >"$scratch/odd/data/holdout/.part-00000.csv.crc"
cut_parts "$churn/preds/candidate.csv" "$scratch/odd/preds/candidate" 4000
cut_parts "$churn/preds/champion.csv" "$scratch/odd/preds/champion" 1 3 5 8 13 21 34 55 89
report "$scratch/odd" odd
same "$scratch/one.json" "$scratch/odd.json" "one file vs uneven parts"

# Provenance: every part in name order with its own rows and digest.
json=$scratch/odd/raw.json
[ "$(count "$json" '"role": "holdout"')" -eq 8 ] || fail "holdout parts in inputs: $(count "$json" '"role": "holdout"'), expected 8"
[ "$(count "$json" '"role": "model candidate"')" -eq 2 ] || fail "candidate parts in inputs"
[ "$(count "$json" '"role": "model champion"')" -eq 10 ] || fail "champion parts in inputs"
contains "$json" "$(sha256sum "$scratch/odd/data/holdout/part-00003.csv" | cut -c1-64)" "part digest"
awk '/"path": "data\/holdout\/part-/ { getline; sub(/.*: /, ""); sub(/,/, ""); printf "%s ", $0 }' \
  "$json" >"$scratch/rows"
printf "1 0 5 993 0 2999 2 0 " >"$scratch/rows.expected"
same "$scratch/rows.expected" "$scratch/rows" "holdout rows per part"
grep -F '"path": "data/holdout/' "$json" | sed 's/.*part-\([0-9]*\).*/\1/' | tr '\n' ' ' >"$scratch/order"
printf "00000 00001 00002 00003 00004 00005 00006 00099 " >"$scratch/order.expected"
same "$scratch/order.expected" "$scratch/order" "parts in name order"

finish
