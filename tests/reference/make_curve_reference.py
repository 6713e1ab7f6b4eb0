#!/usr/bin/python3
"""Write tests/reference/curve_sklearn.h: calibration and operating-point references.

Data (real, shipped by Debian packages):

  breast cancer   scikit-learn's bundled breast_cancer.csv; a deliberately
                  over-regularised logistic regression (C = 0.01) on three features
                  gives the scores, rounded to 3 decimals so that scores tie; the
                  slice `size` is "large" when mean area > 600, else "small". The
                  scores are written to tests/data/curve/breast_cancer_scores.csv,
                  which the R script and the C tests read back.
  aSAH            pROC's aSAH (tests/reference/asah.csv): score s100b, label outcome,
                  slice `wfns` "low" (1-2) or "high" (3-5). s100b is not a
                  probability, so aSAH gets operating points only.

References, each from numpy / scikit-learn code written apart from modelgate's:

  ece, reliability bins   calibration_curve(strategy "uniform" | "quantile") for the
                          bins' observed rate and mean score, np.searchsorted for the
                          counts; ece = Σ count/N · |observed − mean score|
  brier decomposition     Murphy (1973) over the same bins, and brier_score_loss
  operating points        precision_recall_curve and roc_curve(drop_intermediate=
                          False): the best rate over thresholds meeting the bound,
                          ties to the better bound
  precision@k, recall@k   scipy.stats.rankdata ranks: a row tied across the k-th
                          place counts by the share of its tie group inside the top k
"""
import csv
import os
import sys

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, precision_recall_curve, roc_curve

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"


def breast_cancer():
    with open(DATA) as f:
        rows = list(csv.reader(f))[1:]
    X = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = np.array([int(r[-1]) for r in rows])
    feats = X[:, [0, 1, 4]]  # mean radius, mean texture, mean smoothness
    model = LogisticRegression(C=0.01, max_iter=10000).fit(feats, y)
    s = np.round(model.predict_proba(feats)[:, 1], 3)
    size = np.where(X[:, 3] > 600, "large", "small")
    path = os.path.join(ROOT, "tests/data/curve/breast_cancer_scores.csv")
    with open(path, "w") as f:
        f.write("score,label,size\n")
        for a, b, c in zip(s, y, size):
            f.write("%.3f,%d,%s\n" % (a, b, c))
    # Read back, as the other readers will.
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r["score"]) for r in rows]),
            np.array([int(r["label"]) for r in rows]),
            np.array([r["size"] for r in rows]))


def asah():
    with open(os.path.join(HERE, "asah.csv")) as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r["s100b"]) for r in rows]),
            np.array([int(r["outcome"]) for r in rows]),
            np.array(["low" if int(r["wfns"]) <= 2 else "high" for r in rows]))


def bins_of(s, y, nbins, strategy):
    """Per-bin count, mean score, observed rate, as calibration_curve bins them."""
    prob_true, prob_pred = calibration_curve(y, s, n_bins=nbins, strategy=strategy)
    if strategy == "quantile":
        edges = np.percentile(s, np.linspace(0, 1, nbins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, nbins + 1)
    ids = np.searchsorted(edges[1:-1], s)
    count = np.bincount(ids, minlength=nbins)[:nbins]
    out = []
    j = 0
    for b in range(nbins):
        if count[b]:
            out.append((b, int(count[b]), prob_pred[j], prob_true[j]))
            j += 1
        else:
            out.append((b, 0, 0.0, 0.0))
    assert j == len(prob_true)
    return out


def calibration(s, y, nbins, strategy):
    bins = bins_of(s, y, nbins, strategy)
    n = len(s)
    ybar = y.mean()
    ece = sum(c / n * abs(o - f) for _, c, f, o in bins if c)
    rel = sum(c / n * (f - o) ** 2 for _, c, f, o in bins if c)
    res = sum(c / n * (o - ybar) ** 2 for _, c, f, o in bins if c)
    unc = ybar * (1 - ybar)
    return bins, {"ece": ece, "brier_reliability": rel, "brier_resolution": res,
                  "brier_uncertainty": unc}


def best(value, bound_ok, thresholds, prefer_high):
    """Best value over thresholds meeting the bound; ties to the highest threshold
    when prefer_high, else to the lowest."""
    idx = [i for i in range(len(value)) if bound_ok[i]]
    if not idx:
        return None
    top = max(value[i] for i in idx)
    ties = [thresholds[i] for i in idx if value[i] == top]
    return top, (max(ties) if prefer_high else min(ties))


def operating(s, y, op, x):
    if op in ("recall_at_precision", "precision_at_recall"):
        prec, rec, thr = precision_recall_curve(y, s)
        prec, rec = prec[:-1], rec[:-1]  # the last point has no threshold
        if op == "recall_at_precision":
            return best(rec, prec >= x, thr, True)
        return best(prec, rec >= x, thr, False)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    fpr, tpr, thr = fpr[1:], tpr[1:], thr[1:]  # the first is max + 1, no row's
    if op == "tpr_at_fpr":
        return best(tpr, fpr <= x, thr, True)
    return best(1 - fpr, tpr >= x, thr, False)  # specificity_at_sensitivity


def at_k(s, y, op, k):
    n = len(s)
    k = min(k, n)
    lo = scipy.stats.rankdata(-s, method="min")  # 1-based places, descending
    hi = scipy.stats.rankdata(-s, method="max")
    share = np.clip((k - (lo - 1)) / (hi - lo + 1), 0, 1)
    tpk = float(np.sum(share * y))
    kth = np.sort(s)[::-1][int(np.ceil(k)) - 1]
    return (tpk / k if op == "precision_at_k" else tpk / y.sum()), kth


OPS = [("recall_at_precision", [0.9, 0.95, 0.99]),
       ("precision_at_recall", [0.5, 0.9, 0.99]),
       ("tpr_at_fpr", [0.05, 0.1, 0.3]),
       ("specificity_at_sensitivity", [0.8, 0.9, 0.95])]
KS = [10, 50, 57.5]
SHARES = [0.1, 0.25]


def entries(name, s, y, sl, with_calibration):
    out, diag = [], []
    slices = [("overall", np.ones(len(s), bool))] + [
        (v, sl == v) for v in sorted(set(sl))]
    for slice_name, m in slices:
        ss, yy = s[m], y[m]
        if with_calibration:
            for nb in (5, 10):
                for strat, binning in (("uniform", "width"), ("quantile", "mass")):
                    bins, cal = calibration(ss, yy, nb, strat)
                    for metric, v in cal.items():
                        out.append((name, slice_name, metric, nb, binning, 0, 0, v, 0))
                    for b, c, f, o in bins:
                        diag.append((name, slice_name, nb, binning, b, c, f, o))
            # The decomposition's identity holds only up to within-bin spread.
            out.append((name, slice_name, "brier", 0, "", 0, 0,
                        brier_score_loss(yy, ss), 0))
        for op, xs in OPS:
            for x in xs:
                r = operating(ss, yy, op, x)
                out.append((name, slice_name, op, 0, "", x, 0) +
                           ((r[0], r[1]) if r else (None, 0)))
        for k in KS:
            for op in ("precision_at_k", "recall_at_k"):
                v, t = at_k(ss, yy, op, k)
                out.append((name, slice_name, op, 0, "", k, 0, v, t))
        for share in SHARES:
            for op in ("precision_at_k", "recall_at_k"):
                v, t = at_k(ss, yy, op, share * len(ss))
                out.append((name, slice_name, op + "_share", 0, "", share, 0, v, t))
    return out, diag


def c_str(v):
    return '"%s"' % v


def main():
    bs, by, bsl = breast_cancer()
    as_, ay, asl = asah()
    e1, d1 = entries("breast_cancer", bs, by, bsl, True)
    e2, d2 = entries("asah", as_, ay, asl, False)
    out = sys.stdout if len(sys.argv) < 2 else open(sys.argv[1], "w")
    w = out.write
    w("/*\n * Calibration and operating-point references from scikit-learn. "
      "GENERATED, do not\n * edit: regenerate with\n"
      " *   /usr/bin/python3 tests/reference/make_curve_reference.py "
      "tests/reference/curve_sklearn.h\n *\n")
    w(" * scikit-learn %s, numpy %s, SciPy %s, Python %s.\n *\n" %
      (sklearn.__version__, np.__version__, scipy.__version__,
       sys.version.split()[0]))
    w(" * mg_ref_curve: (data, slice, metric, bins, binning, x, unused, defined,\n"
      " * value, threshold); x is the operating point's bound, k or share.\n"
      " * mg_ref_bins: the reliability diagram (data, slice, bins, binning, bin,\n"
      " * count, mean score, observed rate), empty bins with count 0.\n */\n")
    w("#ifndef MODELGATE_TESTS_REFERENCE_CURVE_SKLEARN_H\n"
      "#define MODELGATE_TESTS_REFERENCE_CURVE_SKLEARN_H\n\n#include <stddef.h>\n\n")
    w("typedef struct mg_ref_curve_entry {\n    const char *data, *slice, *metric;\n"
      "    int bins;\n    const char *binning;\n    double x, y;\n    int defined;\n"
      "    double value, threshold;\n} mg_ref_curve_entry;\n\n")
    w("static const mg_ref_curve_entry mg_ref_curve[] = {\n")
    for d, sl, m, nb, bn, x, y2, v, t in e1 + e2:
        w("    {%s, %s, %s, %d, %s, %.17g, %.17g, %d, %.17g, %.17g},\n" %
          (c_str(d), c_str(sl), c_str(m), nb, c_str(bn), x, y2, v is not None,
           v if v is not None else 0, t))
    w("};\n#define MG_REF_CURVE_COUNT (sizeof mg_ref_curve / sizeof mg_ref_curve[0])\n\n")
    w("typedef struct mg_ref_bin_entry {\n    const char *data, *slice;\n    int bins;\n"
      "    const char *binning;\n    int bin, count;\n    double mean_score, observed;\n"
      "} mg_ref_bin_entry;\n\n")
    w("static const mg_ref_bin_entry mg_ref_bins[] = {\n")
    for d, sl, nb, bn, b, c, f, o in d1 + d2:
        w("    {%s, %s, %d, %s, %d, %d, %.17g, %.17g},\n" %
          (c_str(d), c_str(sl), nb, c_str(bn), b, c, f, o))
    w("};\n#define MG_REF_BINS_COUNT (sizeof mg_ref_bins / sizeof mg_ref_bins[0])\n\n")
    w("#endif\n")


if __name__ == "__main__":
    main()
