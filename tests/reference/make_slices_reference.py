#!/usr/bin/python3
"""Write tests/reference/slicings_sklearn.h: scikit-learn's metrics on every slice of
tests/data/engine/slicings.yaml (quantile bins, groups, filters, crosses) and of
tests/data/engine/cancer.yaml (quantile bins of continuous columns).

The suite slices the churn example (examples/churn) every way modelgate knows. This
script builds the same subsets on its own, from the suite's definitions written out
again below, and computes every metric on each with scikit-learn (through the
`compute` of make_sklearn_reference.py, which says how each metric is defined and
when it is undefined):

  quantiles: k   edge j (0 < j < k) is the smallest value x with more than j/k of
                 the values at or below it, found here from the empirical
                 distribution function (np.unique counts, exact integer
                 comparisons); edges equal to the one before, or to the minimum,
                 are dropped; bins are [e_j, e_{j+1}) (np.searchsorted, side
                 "right"), the last one closed at the maximum.
  groups         a dict from value to group; other values "(other)" or no slice.
  where          numpy masks, all conditions together.
  crosses        the parts' labels joined by " x " (the multiplication sign).

Labels are modelgate's: "tenure_months=[5, 16)", "region=coast", "plan=premium",
"region=north x tenure_months<12"; a filtered slicing appends its filter to each
label; slices left empty by a filter do not exist. Numbers in labels use "%.15g".

Usage: /usr/bin/python3 tests/reference/make_slices_reference.py [-o OUT.h]
"""

import argparse
import csv
import os
import platform
import sys
import warnings

import numpy as np
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_sklearn_reference as ref  # noqa: E402

CROSS = ref.CROSS


def quantile_labels(x, k, column):
    """Each value's bin label (None for a row not given), from the ECDF."""
    values, counts = np.unique(x, return_counts=True)
    cum = np.cumsum(counts)
    m = int(cum[-1])
    edges = [values[0]]
    for j in range(1, k):
        # the smallest value with more than j/k of the values at or below it
        e = values[np.argmax(cum * k > j * m)]
        if e > edges[-1]:
            edges.append(e)
    top = values[-1]
    labels = []
    for b in range(len(edges)):
        lo = "%.15g" % edges[b]
        if b + 1 < len(edges):
            labels.append("%s=[%s, %s)" % (column, lo, "%.15g" % edges[b + 1]))
        else:
            labels.append("%s=[%s, %s]" % (column, lo, "%.15g" % top))
    idx = np.searchsorted(np.array(edges[1:]), x, side="right")
    return [labels[i] for i in idx], labels


CANCER_SRC = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"
CANCER = os.path.join(os.path.dirname(HERE), "data", "engine", "cancer.csv")


def write_cancer():
    """tests/data/engine/cancer.csv from scikit-learn's bundled breast cancer data
    (Wisconsin diagnostic, 569 rows): an id, two continuous features (mean radius,
    mean texture: few ties, so quantile edges fall between distinct values), the
    label (1 malignant, as scikit-learn's 0 is malignant) and a score, the logistic
    of a fixed linear form, printed with 17 digits."""
    with open(CANCER_SRC, newline="") as f:
        rows = list(csv.reader(f))[1:]
    with open(CANCER, "w", newline="\n") as f:
        f.write("id,radius,texture,malignant,score\n")
        for i, r in enumerate(rows):
            radius, texture = float(r[0]), float(r[1])
            score = 1 / (1 + np.exp(-(1.2 * (radius - 14.5) + 0.15 * (texture - 19))))
            f.write("c%03d,%s,%s,%d,%.17g\n" % (i, r[0], r[1], 1 - int(r[30]), score))


def cancer_entries():
    """Quantile bins of continuous columns, alone, filtered and crossed."""
    write_cancer()
    rows = ref.read_csv(CANCER)
    y = np.array([int(r["malignant"]) for r in rows])
    score = np.array([float(r["score"]) for r in rows])
    radius = np.array([float(r["radius"]) for r in rows])
    texture = np.array([float(r["texture"]) for r in rows])
    n = len(y)
    rough = texture >= 18
    radius5, _ = quantile_labels(radius, 5, "radius")
    texture3, _ = quantile_labels(texture, 3, "texture")
    rough_radius = [None] * n
    lab, _ = quantile_labels(radius[rough], 4, "radius")
    for i, l in zip(np.flatnonzero(rough), lab):
        rough_radius[i] = l + CROSS + "texture>=18"
    slicings = [
        ("radius5", radius5),
        ("texture3", texture3),
        ("rough_radius", rough_radius),
        ("radius_x_texture", [a + CROSS + b for a, b in zip(radius5, texture3)]),
    ]
    entries = []
    for name, labels in slicings:
        labels = np.array(["" if l is None else l for l in labels])
        for value in sorted(set(labels) - {""}):
            mask = labels == value
            for m, v, d in ref.compute(y[mask], score[mask]):
                entries.append(("cancer", name, value, m, v, d))
    return entries


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output",
                    default=os.path.join(HERE, "slicings_sklearn.h"))
    args = ap.parse_args()
    warnings.simplefilter("error")

    holdout = ref.read_csv(os.path.join(ref.CHURN, "data", "holdout.csv"))
    ids = [r["customer_id"] for r in holdout]
    y = np.array([int(r["churned"]) for r in holdout])
    region = np.array([r["region"] for r in holdout])
    plan = np.array([r["plan"] for r in holdout])
    tenure = np.array([float(r["tenure_months"]) for r in holdout])
    n = len(y)
    everyone = np.ones(n, dtype=bool)

    def column(name, values, keep=everyone):
        return [name + "=" + v if k else None for v, k in zip(values, keep)]

    def filtered(labels, keep, text):
        return [(l + CROSS + text if l is not None else text) if k and l is not None
                else None for l, k in zip(labels, keep)]

    def quantiles(k, keep=everyone):
        lab, _ = quantile_labels(tenure[keep], k, "tenure_months")
        out = [None] * n
        for i, l in zip(np.flatnonzero(keep), lab):
            out[i] = l
        return out

    def groups(mapping, other):
        out = []
        for v in region:
            g = mapping.get(v, "(other)" if other else None)
            out.append(None if g is None else "region=" + g)
        return out

    def cross(*parts):
        return [None if any(p[i] is None for p in parts)
                else CROSS.join(p[i] for p in parts) for i in range(n)]

    tenure4 = quantiles(4)
    area = groups({"east": "coast", "west": "coast",
                   "north": "inland", "south": "inland"}, True)
    coast_only = groups({"east": "coast", "west": "coast"}, False)
    plan_lab = column("plan", plan)

    young = tenure < 12
    mid = (region != "central") & (tenure >= 6) & (tenure <= 48)
    paid = np.isin(plan, ["plus", "premium"])
    over2 = tenure > 2

    cross3 = cross(tenure4, area, plan_lab)
    slicings = [
        ("tenure", tenure4),
        ("tenure7", quantiles(7)),
        ("area", area),
        ("coast_only", coast_only),
        ("premium", ["plan=premium" if p == "premium" else None for p in plan]),
        ("young_region", filtered(column("region", region), young,
                                  "tenure_months<12")),
        ("mid_tenure_plan", filtered(plan_lab, mid,
                                     "region not in {central}" + CROSS +
                                     "tenure_months>=6" + CROSS +
                                     "tenure_months<=48")),
        ("tenure_paid", filtered(quantiles(3, paid), paid,
                                 "plan in {plus, premium}")),
        ("cross3", cross3),
        ("cross_deep", filtered(cross(cross3, coast_only), over2,
                                "tenure_months>2")),
    ]

    cancer = cancer_entries()
    entries = []
    for model in ("candidate", "champion"):
        path = os.path.join(ref.CHURN, "preds", model + ".csv")
        scores = ref.read_scores(path, "customer_id", "p_churn")
        score = np.array([scores[i] for i in ids])
        for name, labels in slicings:
            labels = np.array(["" if l is None else l for l in labels])
            for value in sorted(set(labels) - {""}):
                mask = labels == value
                for m, v, d in ref.compute(y[mask], score[mask]):
                    entries.append((model, name, value, m, v, d))

    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write("""\
/*
 * Reference metric values computed by scikit-learn on every slice of
 * tests/data/engine/slicings.yaml (quantile bins, groups, filters, crosses of
 * slicings) over the churn example. GENERATED, do not edit: regenerate with
 *   /usr/bin/python3 tests/reference/make_slices_reference.py
 *
 * scikit-learn %s, numpy %s, Python %s.
 *
 * mg_ref_slicings: models candidate and champion on tests/data/engine/slicings.yaml.
 * mg_ref_cancer: model "cancer" on tests/data/engine/cancer.yaml, quantile bins of continuous
 * columns of scikit-learn's breast cancer data (tests/data/engine/cancer.csv, which
 * the script writes), alone, filtered and crossed.
 *
 * The subsets are built by the script from the suites' definitions, not read from
 * modelgate. An undefined metric has defined = 0 and value 0.
 */
#ifndef MODELGATE_TESTS_REFERENCE_SLICINGS_SKLEARN_H
#define MODELGATE_TESTS_REFERENCE_SLICINGS_SKLEARN_H

#include <stddef.h>

#ifndef MG_REF_ENTRY_DEFINED
#define MG_REF_ENTRY_DEFINED
/** One reference value: a metric of one model on one slice. */
typedef struct mg_ref_entry {
    const char *model;   /**< "candidate", "champion", "cancer" */
    const char *slicing; /**< slicing name */
    const char *slice;   /**< the slice's label */
    const char *metric;  /**< metric name as in MG_METRIC_TABLE */
    double value;        /**< the value when defined, 0 otherwise */
    int defined;         /**< 0 when the metric is undefined on this slice */
} mg_ref_entry;
#endif

""" % (sklearn.__version__, np.__version__, platform.python_version()))
        for name, rows in (("mg_ref_slicings", entries), ("mg_ref_cancer", cancer)):
            f.write("static const mg_ref_entry %s[] = {\n" % name)
            for e in rows:
                f.write(ref.c_entry(e) + "\n")
            f.write("};\n#define %s_COUNT (sizeof %s / sizeof %s[0])\n\n"
                    % (name.upper(), name, name))
        f.write("#endif\n")


if __name__ == "__main__":
    main()
