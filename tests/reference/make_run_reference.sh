#!/bin/sh
# Regenerate the committed reference values for tests/test_run.c. Needs R with boot
# (r-cran-boot) and Debian's Python with SciPy (/usr/bin/python3). The R script runs
# first: it writes boot_sample.csv, which the Python script reads. Each takes a few
# minutes (200 Monte Carlo repeats of a 20000-replicate bootstrap).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
Rscript "$here/make_run_reference.R"
/usr/bin/python3 "$here/make_run_reference.py"
