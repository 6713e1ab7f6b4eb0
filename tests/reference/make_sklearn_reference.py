#!/usr/bin/python3
"""Write tests/reference/churn_sklearn.h: reference metric values from scikit-learn.

The engine's metric kernels are checked against an independent implementation.
This script reads

  examples/churn/data/holdout.csv          (the holdout set, quoted fields allowed)
  examples/churn/preds/{candidate,champion}.csv   (joined to it by customer_id)
  tests/reference/tiny_ties.csv            (12 rows with heavy ties, hand-checkable)

and computes, for every model and every slice, the binary metrics modelgate
reports, each with the scikit-learn function that defines it:

  n, prevalence, positive_rate       counts and means (numpy)
  accuracy                           accuracy_score
  precision, recall, f1              precision_score, recall_score, f1_score
  specificity                        recall_score(..., pos_label=0)
  balanced_accuracy                  balanced_accuracy_score
  mcc                                matthews_corrcoef
  auc                                roc_auc_score
  average_precision                  average_precision_score
  log_loss                           log_loss(..., labels=[0, 1])
  brier                              brier_score_loss

A row is predicted positive when its score is >= 0.5 (the suite's threshold).

Where a metric is undefined on a slice scikit-learn substitutes a convention (0
with a warning, NaN, or an exception). This script does not rely on those: it
detects each case from the counts first and writes defined = 0 and value 0:

  precision          no predicted positives
  recall             no positives
  specificity        no negatives
  f1                 2 tp + fp + fn = 0 (no positives and no predicted positives)
  balanced_accuracy  a class absent from the labels
  mcc                (tp+fp)(tp+fn)(tn+fp)(tn+fn) = 0
  auc                a class absent from the labels
  average_precision  no positives

Values are printed with 17 significant digits, enough to read back the same double.
Metrics computed from sums in a different order (log_loss, brier, auc) may differ
from the engine's in the last bits: compare with a relative tolerance (1e-12).

Usage: /usr/bin/python3 tests/reference/make_sklearn_reference.py [-o OUT.h]
"""

import argparse
import csv
import os
import platform
import sys
import warnings

import numpy as np
import sklearn
from sklearn import metrics as skm

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHURN = os.path.join(ROOT, "examples", "churn")

THRESHOLD = 0.5
CROSS = " \u00d7 "      # "region=north × plan=basic"
METRICS = ["n", "prevalence", "positive_rate", "accuracy", "precision", "recall",
           "specificity", "f1", "balanced_accuracy", "mcc", "auc",
           "average_precision", "log_loss", "brier"]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_scores(path, id_col, score_col):
    scores = {}
    for row in read_csv(path):
        key = row[id_col]
        if key in scores:
            sys.exit("%s: duplicate id %s" % (path, key))
        scores[key] = float(row[score_col])
    return scores


def compute(y, score):
    """Every metric on one slice: a list of (metric, value, defined)."""
    y = np.asarray(y, dtype=int)
    score = np.asarray(score, dtype=float)
    yhat = (score >= THRESHOLD).astype(int)
    n = len(y)
    tp = int(np.sum((y == 1) & (yhat == 1)))
    fp = int(np.sum((y == 0) & (yhat == 1)))
    tn = int(np.sum((y == 0) & (yhat == 0)))
    fn = int(np.sum((y == 1) & (yhat == 0)))
    pos, neg = tp + fn, tn + fp
    pred_pos, pred_neg = tp + fp, tn + fn
    both = pos > 0 and neg > 0

    out = {
        "n": (float(n), True),
        "prevalence": (float(np.mean(y)), True),
        "positive_rate": (float(np.mean(yhat)), True),
        "accuracy": (skm.accuracy_score(y, yhat), True),
    }
    # The checks come first; sklearn is called only where the metric is defined,
    # with zero_division="warn" left alone so that a mistake here would show.
    out["precision"] = ((skm.precision_score(y, yhat, pos_label=1), True)
                        if pred_pos > 0 else (0.0, False))
    out["recall"] = ((skm.recall_score(y, yhat, pos_label=1), True)
                     if pos > 0 else (0.0, False))
    out["specificity"] = ((skm.recall_score(y, yhat, pos_label=0), True)
                          if neg > 0 else (0.0, False))
    out["f1"] = ((skm.f1_score(y, yhat, pos_label=1), True)
                 if 2 * tp + fp + fn > 0 else (0.0, False))
    out["balanced_accuracy"] = ((skm.balanced_accuracy_score(y, yhat), True)
                                if both else (0.0, False))
    out["mcc"] = ((skm.matthews_corrcoef(y, yhat), True)
                  if pred_pos * pos * pred_neg * neg > 0 else (0.0, False))
    out["auc"] = (skm.roc_auc_score(y, score), True) if both else (0.0, False)
    out["average_precision"] = ((skm.average_precision_score(y, score), True)
                                if pos > 0 else (0.0, False))
    out["log_loss"] = (skm.log_loss(y, score, labels=[0, 1]), True)
    out["brier"] = (skm.brier_score_loss(y, score, pos_label=1), True)

    rows = []
    for m in METRICS:
        value, defined = out[m]
        value = float(value)
        if defined and not np.isfinite(value):
            sys.exit("metric %s is not finite on a slice where it should be" % m)
        rows.append((m, value if defined else 0.0, defined))
    return rows


def slice_entries(model, y, score, slicings):
    """Entries for one model: overall, then each slicing's slices in label order.

    slicings is a list of (name, labels) with one label per row.
    """
    entries = [(model, None, "overall", m, v, d) for m, v, d in compute(y, score)]
    for name, labels in slicings:
        labels = np.asarray(labels)
        for value in sorted(set(labels)):
            mask = labels == value
            for m, v, d in compute(y[mask], score[mask]):
                entries.append((model, name, value, m, v, d))
    return entries


def churn_entries():
    holdout = read_csv(os.path.join(CHURN, "data", "holdout.csv"))
    ids = [r["customer_id"] for r in holdout]
    if len(set(ids)) != len(ids):
        sys.exit("holdout.csv: duplicate customer_id")
    y = np.array([int(r["churned"]) for r in holdout])
    region = ["region=" + r["region"] for r in holdout]
    plan = ["plan=" + r["plan"] for r in holdout]
    slicings = [
        ("region", region),
        ("plan", plan),
        ("region_x_plan", [a + CROSS + b for a, b in zip(region, plan)]),
    ]
    entries = []
    for model in ("candidate", "champion"):
        path = os.path.join(CHURN, "preds", model + ".csv")
        scores = read_scores(path, "customer_id", "p_churn")
        if set(scores) != set(ids):
            sys.exit("%s: ids do not match the holdout set" % path)
        score = np.array([scores[i] for i in ids])
        entries += slice_entries(model, y, score, slicings)
    return entries


def tiny_entries():
    rows = read_csv(os.path.join(HERE, "tiny_ties.csv"))
    y = np.array([int(r["label"]) for r in rows])
    score = np.array([float(r["score"]) for r in rows])
    group = ["group=" + r["group"] for r in rows]
    return slice_entries("tiny", y, score, [("group", group)])


def c_string(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_entry(e):
    model, slicing, slice_, metric, value, defined = e
    head = "    {%s, %s, %s," % (c_string(model), c_string(slicing), c_string(slice_))
    tail = " %s, %s, %d}," % (c_string(metric), "%.17g" % value, int(defined))
    if len(head) + len(tail) <= 88:
        return head + tail
    return head + "\n    " + tail


def write_header(path, churn, tiny):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("""\
/*
 * Reference metric values computed by scikit-learn. GENERATED, do not edit:
 * regenerate with
 *   /usr/bin/python3 tests/reference/make_sklearn_reference.py
 *
 * scikit-learn %s, numpy %s, Python %s.
 *
 * mg_ref_churn: every metric for models candidate and champion on the churn
 * example (examples/churn: holdout.csv joined to preds/MODEL.csv by customer_id),
 * overall (slicing NULL, slice "overall") and on the slicings region ("region=east"),
 * plan ("plan=basic") and region_x_plan ("region=east \u00d7 plan=basic", only the
 * combinations that occur).
 *
 * mg_ref_tiny: tests/reference/tiny_ties.csv (model "tiny"; slicing NULL for all
 * 12 rows, and slicing "group" whose slices b and c make metrics undefined). By
 * hand, overall: P = 5, N = 7; at threshold 0.5 tp 3, fp 3, tn 4, fn 2; auc =
 * 22.5 / 35; average_precision = (1 + 2/3 + 1/2 + 4/9 + 5/12) / 5 = 109 / 180;
 * mcc = 6 / sqrt(1260).
 *
 * Predicted positive: score >= 0.5. An undefined metric (see the script for the
 * rules) has defined = 0 and value 0. Values have 17 significant digits; compare
 * with a relative tolerance, since sums taken in another order differ in the last
 * bits.
 */
#ifndef MODELGATE_TESTS_REFERENCE_CHURN_SKLEARN_H
#define MODELGATE_TESTS_REFERENCE_CHURN_SKLEARN_H

#include <stddef.h>

#ifndef MG_REF_ENTRY_DEFINED
#define MG_REF_ENTRY_DEFINED
/** One reference value: a metric of one model on one slice. */
typedef struct mg_ref_entry {
    const char *model;   /**< "candidate", "champion" or "tiny" */
    const char *slicing; /**< slicing name, NULL for the whole data set */
    const char *slice;   /**< "overall", "region=north", "region=north \u00d7 plan=basic" */
    const char *metric;  /**< metric name as in MG_METRIC_TABLE */
    double value;        /**< the value when defined, 0 otherwise */
    int defined;         /**< 0 when the metric is undefined on this slice */
} mg_ref_entry;
#endif

""" % (sklearn.__version__, np.__version__, platform.python_version()))
        for name, entries in (("mg_ref_churn", churn), ("mg_ref_tiny", tiny)):
            f.write("static const mg_ref_entry %s[] = {\n" % name)
            for e in entries:
                f.write(c_entry(e) + "\n")
            f.write("};\n")
            f.write("#define %s_COUNT (sizeof %s / sizeof %s[0])\n\n"
                    % (name.upper(), name, name))
        f.write("#endif\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "churn_sklearn.h"))
    args = ap.parse_args()
    # A warning from sklearn here means an undefined case slipped past the checks.
    warnings.simplefilter("error")
    churn = churn_entries()
    tiny = tiny_entries()
    write_header(args.output, churn, tiny)
    print("%s: %d churn entries, %d tiny entries" % (args.output, len(churn),
                                                     len(tiny)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
