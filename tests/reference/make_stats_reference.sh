#!/bin/sh
# Regenerate the committed reference values for tests/test_stats.c. Needs Debian's
# Python with SciPy (/usr/bin/python3) and R with pROC and boot. The Python script
# runs first: it writes the bootstrap samples that the R script reads.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/make_stats_reference.py"
Rscript "$here/make_stats_reference.R"
