#!/usr/bin/python3
"""scikit-learn reference values for the multiclass metrics (tests/test_multiclass.c).

Run with Debian's Python (it has scikit-learn 1.2.1):

    /usr/bin/python3 tests/reference/make_multiclass_reference.py

It reads the digits example (examples/multiclass: real data, scikit-learn's bundled UCI
handwritten digits; see its generate.py) and writes digits_sklearn.h beside itself:
every multiclass metric for the candidate (probabilities p_0 .. p_9, predicted class
their argmax) and the champion (probabilities prob_0 .. prob_9, predicted class the
file's `predicted` column), overall and on each `ink` slice, named as `modelgate
metrics` names them: "recall[8]" for a class's metric, "top_k_accuracy[k=2]".

The calls, with labels=range(10) wherever scikit-learn takes labels:
  accuracy, micro_*                  accuracy_score / precision_recall_fscore_support
  top_k_accuracy[k=2]                top_k_accuracy_score(y, P, k=2)
  precision/recall/f1[c]             precision_recall_fscore_support(average=None)
  macro_*, weighted_*                precision_recall_fscore_support(average=...,
                                     zero_division=0)
  auc[c]                             roc_auc_score(y == c, P[:, c])
  macro_auc                          roc_auc_score(y, P, multi_class="ovr")
  balanced_accuracy, cohen_kappa,    balanced_accuracy_score, cohen_kappa_score,
  mcc                                matthews_corrcoef
  log_loss                           log_loss(y, P)
  brier                              NumPy: mean over rows of sum_c (P - onehot)^2
                                     (scikit-learn 1.2's brier_score_loss is binary)
A class's precision is undefined (defined = 0) where the class is never predicted,
its recall where it has no rows, as modelgate reports them; scikit-learn's 0 there
is what the macro and weighted averages use, as modelgate's do.
"""

import csv
import os
import sys

import numpy as np
import sklearn
import sklearn.metrics as skm

HERE = os.path.dirname(os.path.abspath(__file__))
EX = os.path.join(HERE, "..", "..", "examples", "multiclass")
K = 10
LABELS = list(range(K))


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def metrics(y, pred, P):
    out = []
    n = len(y)
    out.append(("n", n, 1))
    out.append(("accuracy", skm.accuracy_score(y, pred), 1))
    out.append(("top_k_accuracy[k=2]",
                skm.top_k_accuracy_score(y, P, k=2, labels=LABELS), 1))
    p, r, f, _ = skm.precision_recall_fscore_support(y, pred, labels=LABELS,
                                                     zero_division=0)
    for c in range(K):
        out.append((f"precision[{c}]", p[c], int((pred == c).sum() > 0)))
    for c in range(K):
        out.append((f"recall[{c}]", r[c], int((y == c).sum() > 0)))
    for c in range(K):
        out.append((f"f1[{c}]", f[c], int((y == c).sum() + (pred == c).sum() > 0)))
    for c in range(K):
        pos = (y == c)
        ok = 0 < pos.sum() < n
        out.append((f"auc[{c}]", skm.roc_auc_score(pos, P[:, c]) if ok else 0, int(ok)))
    present = all((y == c).any() for c in range(K))
    for avg in ("macro", "micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            y, pred, labels=LABELS, average=avg, zero_division=0)
        ok = int(present) if avg == "macro" else 1
        out.append((f"{avg}_precision", p, ok))
        out.append((f"{avg}_recall", r, ok))
        out.append((f"{avg}_f1", f, ok))
    out.append(("macro_auc", skm.roc_auc_score(y, P, multi_class="ovr", labels=LABELS)
                if present else 0, int(present)))
    out.append(("balanced_accuracy", skm.balanced_accuracy_score(y, pred), 1))
    out.append(("cohen_kappa", skm.cohen_kappa_score(y, pred, labels=LABELS), 1))
    out.append(("mcc", skm.matthews_corrcoef(y, pred), 1))
    out.append(("log_loss", skm.log_loss(y, P, labels=LABELS), 1))
    onehot = np.eye(K)[y]
    out.append(("brier", np.mean(np.sum((P - onehot) ** 2, axis=1)), 1))
    return out


def main():
    hold = read(os.path.join(EX, "data", "holdout.csv"))
    cand = {r["image_id"]: r for r in read(os.path.join(EX, "preds", "candidate.csv"))}
    champ = {r["image_id"]: r for r in read(os.path.join(EX, "preds", "champion.csv"))}
    ids = [r["image_id"] for r in hold]
    y = np.array([int(r["digit"]) for r in hold])
    ink = np.array([r["ink"] for r in hold])
    models = {}
    P = np.array([[float(cand[i][f"p_{c}"]) for c in range(K)] for i in ids])
    models["candidate"] = (np.argmax(P, axis=1), P)
    Q = np.array([[float(champ[i][f"prob_{c}"]) for c in range(K)] for i in ids])
    models["champion"] = (np.array([int(champ[i]["predicted"]) for i in ids]), Q)
    rows = []
    for name, (pred, probs) in models.items():
        slices = [(None, "overall", np.ones(len(y), bool))]
        slices += [("ink", f"ink={v}", ink == v) for v in sorted(set(ink))]
        for slicing, label, mask in slices:
            for metric, value, defined in metrics(y[mask], pred[mask], probs[mask]):
                rows.append((name, slicing, label, metric, float(value) if defined else 0.0,
                             defined))
    out = os.path.join(HERE, "digits_sklearn.h")
    with open(out, "w") as f:
        f.write(f"""/*
 * Reference values of the multiclass metrics computed by scikit-learn. GENERATED, do
 * not edit: regenerate with
 *   /usr/bin/python3 tests/reference/make_multiclass_reference.py
 *
 * scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}.
 *
 * mg_ref_digits: every multiclass metric of models candidate and champion on the
 * digits example (examples/multiclass: holdout.csv joined to preds/MODEL.csv by
 * image_id), overall (slicing NULL, slice "overall") and on the slicing ink (slice
 * "ink=heavy", "ink=light", "ink=medium"). Metric names as `modelgate metrics` shows them. Values
 * have 17 significant digits; compare with a relative tolerance.
 */
#ifndef MODELGATE_TESTS_REFERENCE_DIGITS_SKLEARN_H
#define MODELGATE_TESTS_REFERENCE_DIGITS_SKLEARN_H

#include <stddef.h>

#ifndef MG_REF_ENTRY_DEFINED
#define MG_REF_ENTRY_DEFINED
/** One reference value: a metric of one model on one slice. */
typedef struct mg_ref_entry {{
    const char *model;   /**< "candidate", "champion" or "tiny" */
    const char *slicing; /**< slicing name, NULL for the whole data set */
    const char *slice;   /**< "overall", "region=north", "region=north × plan=basic" */
    const char *metric;  /**< metric name as in MG_METRIC_TABLE */
    double value;        /**< the value when defined, 0 otherwise */
    int defined;         /**< 0 when the metric is undefined on this slice */
}} mg_ref_entry;
#endif

static const mg_ref_entry mg_ref_digits[] = {{
""")
        for name, slicing, label, metric, value, defined in rows:
            sl = "NULL" if slicing is None else f'"{slicing}"'
            f.write(f'    {{"{name}", {sl}, "{label}", "{metric}", {value:.17g}, {defined}}},\n')
        f.write("""};
#define MG_REF_DIGITS_COUNT (sizeof mg_ref_digits / sizeof mg_ref_digits[0])

#endif
""")


if __name__ == "__main__":
    main()
