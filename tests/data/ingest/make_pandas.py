#!/usr/bin/env python3
"""Write the pandas fixtures of tests/test_data.c exactly as pandas writes them.

Run from this directory with Debian's python3-pandas:
    /usr/bin/python3 make_pandas.py
A 60-row table ('whole') and a 40-row holdout subset. pandas' habits kept on
purpose: to_csv writes the unnamed index as a first column with an empty header; an
integer column that held a NaN is written as floats ('1.0', '0.0', '129.0'); NaN
is written as an empty field.
"""
import numpy as np
import pandas as pd

rng = np.random.default_rng(12)
n = 60
whole = pd.DataFrame({
    "customer": np.arange(101, 101 + n),
    "region": rng.choice(["north", "south", "east"], n),
    "age": rng.integers(15, 80, n).astype(float),
})
y = (rng.random(n) < 0.4).astype(float)
p = np.clip(0.25 + 0.5 * y + rng.normal(0, 0.2, n), 0.01, 0.99).round(4)
whole["progressed"] = y
whole["p"] = p
whole.loc[[3, 17], "region"] = np.nan          # missing slice values
whole.loc[[5], "age"] = np.nan                 # missing bin value
whole.loc[[8, 30], "age"] = [12.0, 9.0]        # below the first bin edge (18)

holdout = whole.iloc[:40].copy()
holdout.loc[[22], "progressed"] = np.nan       # one missing label
# the holdout: label as floats (an int column with a NaN), index as the id column
holdout[["customer", "region", "age", "progressed"]].to_csv("holdout.csv")
# predictions for the whole table, ids as floats (an int column that had a NaN)
pred = whole[["customer", "p"]].rename(columns={"customer": "id"})
pred["id"] = pred["id"].astype(float)
pred.loc[[59], "id"] = np.nan                  # one row without an id
pred.to_csv("predictions.csv", index=False)
# predictions keyed by the unnamed index, the same rows as the holdout
whole[["p"]].iloc[:40].rename(columns={"p": "score"}).to_csv("predictions_index.csv")
# scores on a 0-100 scale
(whole[["customer", "p"]].iloc[:40].assign(p=lambda d: (d.p * 100).round(2))
 .to_csv("predictions_percent.csv", index=False))
