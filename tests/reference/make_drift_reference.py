#!/usr/bin/python3
"""SciPy reference values for the drift statistics (stats/drift.c, stats/ks.c).

Run with Debian's Python (SciPy 1.10.1), from anywhere:

    /usr/bin/python3 tests/reference/make_drift_reference.py

It reads real data sets shipped by Debian's python3-sklearn
(/usr/lib/python3/dist-packages/sklearn/datasets/data: breast cancer, wine,
diabetes, digits, iris), cuts each into a reference sample and a current sample,
and writes:

  ../data/drift_samples.csv     case,side,value: both samples of every case (case
                                is the index in drift_refs, side r or c)
  drift_reference_scipy.h       per case SciPy's numbers:
      numbers:    scipy.stats.ks_2samp(ref, cur) (method 'auto': exact p-value
                  when both samples have at most 10000 values, asymptotic
                  otherwise), scipy.stats.wasserstein_distance(ref, cur) and
                  its value divided by numpy.std(ref), and
                  scipy.spatial.distance.jensenshannon(r, c, base=2) over the
                  reference-quantile bins (numpy.quantile(ref, i/10), i = 1..9,
                  repeated cut points merged, bins right-closed);
      categories: scipy.stats.chi2_contingency(table, correction=False) of the
                  2 x k table (categories with no count dropped) and
                  scipy.stats.contingency.association(table, 'cramer'), and the
                  Jensen-Shannon distance over the categories.
  PSI is checked against a hand-worked example in tests/test_drift.c, not here.

tests/test_drift.c reads the samples, recomputes every statistic and compares:
statistics to 1e-9 relative, p-values to 1e-6 absolute.
"""

import gzip
import os

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance
from scipy.stats.contingency import association

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
BINS = 10


def load_csv(name):
    """sklearn's bundled CSVs: a first line of counts and names, then rows."""
    rows = np.loadtxt(os.path.join(DATA, name), delimiter=",", skiprows=1)
    return rows[:, :-1], rows[:, -1].astype(int)


def number_cases():
    X, y = load_csv("breast_cancer.csv")      # 569 x 30, 0 malignant / 1 benign
    yield "bc_radius_by_class", X[y == 0, 0], X[y == 1, 0]
    yield "bc_texture_halves", X[:284, 1], X[284:, 1]
    yield "bc_smoothness_equal", X[:250, 4], X[250:500, 4]
    yield "bc_area_small", X[:7, 3], X[7:12, 3]
    W, wy = load_csv("wine_data.csv")          # 178 x 13, classes 0 1 2
    yield "wine_alcohol_0_vs_1", W[wy == 0, 0], W[wy == 1, 0]
    yield "wine_magnesium_1_vs_2", W[wy == 1, 4], W[wy == 2, 4]
    with gzip.open(os.path.join(DATA, "diabetes_data_raw.csv.gz")) as f:
        D = np.loadtxt(f)                      # age sex bmi bp s1..s6
    yield "diabetes_bmi_by_sex", D[D[:, 1] == 1, 2], D[D[:, 1] == 2, 2]
    yield "diabetes_age_by_sex", D[D[:, 1] == 1, 0], D[D[:, 1] == 2, 0]
    I, iy = load_csv("iris.csv")               # 150 x 4
    yield "iris_sepal_length_0_vs_1", I[iy == 0, 0], I[iy == 1, 0]
    yield "iris_petal_width_1_vs_2", I[iy == 1, 3], I[iy == 2, 3]
    with gzip.open(os.path.join(DATA, "digits.csv.gz")) as f:
        G = np.loadtxt(f, delimiter=",")       # 1797 x 64 pixels + digit
    g, gy = G[:, :-1], G[:, -1].astype(int)
    # 12 central pixels stacked: more than 10000 values a side, so the p-value is
    # asymptotic (kstwo), with heavy ties (values 0..16).
    cols = [19, 20, 21, 26, 27, 28, 35, 36, 37, 43, 44, 45]
    yield "digits_pixels_low_vs_high", g[gy < 5][:, cols].ravel(), \
        g[gy >= 5][:, cols].ravel()
    # Asymptotic with a small en: a small sample against a large one.
    yield "digits_pixels_small_vs_large", g[:40, 27], g[gy >= 5][:, cols].ravel()


def category_cases():
    with gzip.open(os.path.join(DATA, "digits.csv.gz")) as f:
        G = np.loadtxt(f, delimiter=",")
    g, gy = G[:, :-1], G[:, -1].astype(int)
    yield "digits_class_halves", gy[:900], gy[900:]
    yield "digits_pixel20_low_vs_high", g[gy < 5, 20].astype(int), \
        g[gy >= 5, 20].astype(int)
    with gzip.open(os.path.join(DATA, "diabetes_data_raw.csv.gz")) as f:
        D = np.loadtxt(f)
    yield "diabetes_sex_by_age", D[D[:, 0] < 50, 1].astype(int), \
        D[D[:, 0] >= 50, 1].astype(int)
    W, wy = load_csv("wine_data.csv")
    yield "wine_class_halves", wy[:89], wy[89:]


def binned(ref, cur):
    edges = []
    for i in range(1, BINS):
        q = np.quantile(ref, i / BINS)
        if not edges or q > edges[-1]:
            edges.append(q)
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    return r, c


def fmt(x):
    return "%.17g" % x


def main():
    samples = ["case,side,value"]
    lines = []
    case = 0
    for name, ref, cur in number_cases():
        ks = ks_2samp(ref, cur)
        exact = max(len(ref), len(cur)) <= 10000
        w = wasserstein_distance(ref, cur)
        r, c = binned(ref, cur)
        js = jensenshannon(r, c, base=2)
        lines.append('    {"%s", 0, %d, %d, %s, %s, %d, %s, %s, %s, 0, 0, 0, 0},' % (
            name, len(ref), len(cur), fmt(ks.statistic), fmt(ks.pvalue), exact,
            fmt(w), fmt(w / np.std(ref)), fmt(js)))
        samples += ["%d,r,%.17g" % (case, v) for v in ref]
        samples += ["%d,c,%.17g" % (case, v) for v in cur]
        case += 1
    for name, ref, cur in category_cases():
        cats = sorted(set(ref) | set(cur))
        table = np.array([[np.sum(ref == k) for k in cats],
                          [np.sum(cur == k) for k in cats]])
        table = table[:, table.sum(axis=0) > 0]
        chi2, p, df, _ = chi2_contingency(table, correction=False)
        v = association(table, method="cramer")
        js = jensenshannon(table[0], table[1], base=2)
        lines.append('    {"%s", 1, %d, %d, 0, 0, 0, 0, 0, %s, %s, %s, %s, %s},' % (
            name, len(ref), len(cur), fmt(js), fmt(chi2), fmt(p), fmt(df), fmt(v)))
        samples += ["%d,r,c%d" % (case, k) for k in ref]
        samples += ["%d,c,c%d" % (case, k) for k in cur]
        case += 1
    with open(os.path.join(HERE, "..", "data", "drift_samples.csv"), "w") as f:
        f.write("\n".join(samples) + "\n")
    with open(os.path.join(HERE, "drift_reference_scipy.h"), "w") as f:
        f.write("/* Generated by tests/reference/make_drift_reference.py with SciPy %s"
                " on\n * data sets of Debian's python3-sklearn; do not edit. */\n"
                % scipy.__version__)
        f.write("typedef struct drift_ref {\n"
                "    const char *name;\n"
                "    int categorical;\n"
                "    size_t n_ref, n_cur;\n"
                "    double ks, ks_p;\n"
                "    int ks_exact;\n"
                "    double wasserstein, wasserstein_norm, js, chi2, chi2_p, df,"
                " cramers_v;\n"
                "} drift_ref;\n\n"
                "static const drift_ref drift_refs[] = {\n")
        f.write("\n".join(lines) + "\n};\n")


if __name__ == "__main__":
    main()
