#!/usr/bin/python3
"""SciPy reference intervals for a multiclass metric's bootstrap (tests/test_multiclass.c).

Run with Debian's Python (it has SciPy 1.10.1):

    /usr/bin/python3 tests/reference/make_multiclass_boot_reference.py

It reads the digits example (examples/multiclass, real data) and writes
multiclass_boot_scipy.h beside itself: the candidate's macro-averaged f1 (predicted
class: the argmax of p_0 .. p_9) over the 900 holdout rows, and
scipy.stats.bootstrap's 95 % percentile, basic and BCa intervals with B replicates
of whole rows (paired=True: true and predicted class resampled together, as
modelgate resamples rows), plus the Monte Carlo standard deviation of every
endpoint over MC_REPEATS repeats with fresh random numbers (percentile and basic
ends from np.percentile of each repeat's bootstrap distribution, which is what
SciPy does inside; BCa ends from scipy.stats.bootstrap itself).

modelgate follows scipy.stats.bootstrap's conventions (type-7 quantiles, BCa's z0
counting ties as one half, the acceleration from the jackknife: for macro_f1,
modelgate's closed-form leave-one-out over the confusion cells is the jackknife
SciPy computes row by row), so the two differ by Monte Carlo error only.
"""

import csv
import os

import numpy as np
import scipy
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
EX = os.path.join(HERE, "..", "..", "examples", "multiclass")
K = 10
B = 20000
MC_REPEATS = 100
SEED_BOOT = 1
SEED_MC = 2


def macro_f1(y, p, axis=-1):
    y = np.asarray(y)
    p = np.asarray(p)
    f = 0
    for c in range(K):
        tp = np.sum((y == c) & (p == c), axis=axis)
        den = np.sum(y == c, axis=axis) + np.sum(p == c, axis=axis)
        f = f + np.where(den > 0, 2 * tp / np.maximum(den, 1), 0.0)
    return f / K


def main():
    with open(os.path.join(EX, "data", "holdout.csv"), newline="") as f:
        hold = list(csv.DictReader(f))
    with open(os.path.join(EX, "preds", "candidate.csv"), newline="") as f:
        cand = {r["image_id"]: r for r in csv.DictReader(f)}
    y = np.array([int(r["digit"]) for r in hold])
    P = np.array([[float(cand[r["image_id"]][f"p_{c}"]) for c in range(K)] for r in hold])
    pred = np.argmax(P, axis=1)
    n = len(y)
    est = macro_f1(y, pred)
    res = {}
    for name, method in (("PERC", "percentile"), ("BASIC", "basic"), ("BCA", "BCa")):
        r = scipy.stats.bootstrap((y, pred), macro_f1, paired=True, vectorized=True,
                                  n_resamples=B, batch=500, confidence_level=0.95,
                                  method=method,
                                  random_state=np.random.default_rng(SEED_BOOT))
        res[name] = (r.confidence_interval.low, r.confidence_interval.high)
    rng = np.random.default_rng(SEED_MC)
    ends = {k: [] for k in ("PERC", "BASIC", "BCA")}
    for _ in range(MC_REPEATS):
        reps = np.empty(B)
        for lo in range(0, B, 500):
            idx = rng.integers(0, n, size=(500, n))
            reps[lo:lo + 500] = macro_f1(y[idx], pred[idx])
        q = np.percentile(reps, [2.5, 97.5])
        ends["PERC"].append(q)
        ends["BASIC"].append([2 * est - q[1], 2 * est - q[0]])
        r = scipy.stats.bootstrap((y, pred), macro_f1, paired=True, vectorized=True,
                                  n_resamples=B, batch=500, confidence_level=0.95,
                                  method="BCa", random_state=rng)
        ends["BCA"].append([r.confidence_interval.low, r.confidence_interval.high])
    sd = {k: np.std(np.array(v), axis=0, ddof=1) for k, v in ends.items()}
    with open(os.path.join(HERE, "multiclass_boot_scipy.h"), "w") as f:
        f.write(f"""/*
 * SciPy bootstrap intervals of a multiclass metric. GENERATED, do not edit:
 * regenerate with
 *   /usr/bin/python3 tests/reference/make_multiclass_boot_reference.py
 *
 * SciPy {scipy.__version__}, numpy {np.__version__}. The digits example's candidate,
 * macro_f1 over {n} rows, {B} replicates of whole rows (paired), 95 %; MC_SD_* is
 * the Monte Carlo standard deviation of each end over {MC_REPEATS} repeats.
 */
#ifndef MODELGATE_TESTS_REFERENCE_MULTICLASS_BOOT_SCIPY_H
#define MODELGATE_TESTS_REFERENCE_MULTICLASS_BOOT_SCIPY_H

#define MC_BOOT_N {n}
#define MC_BOOT_B {B}
#define MC_BOOT_MACRO_F1 {est:.17g}
""")
        for k in ("PERC", "BASIC", "BCA"):
            f.write(f"#define MC_BOOT_{k}95_LOW {res[k][0]:.17g}\n")
            f.write(f"#define MC_BOOT_{k}95_HIGH {res[k][1]:.17g}\n")
            f.write(f"#define MC_BOOT_MC_SD_{k}95_LOW {sd[k][0]:.17g}\n")
            f.write(f"#define MC_BOOT_MC_SD_{k}95_HIGH {sd[k][1]:.17g}\n")
        f.write("\n#endif\n")


if __name__ == "__main__":
    main()
