#!/usr/bin/python3
"""Check the true values bench/simulate.c measures coverage against.

bench/simulate.c draws data sets from known models and counts how often modelgate's
intervals cover the true value, or how often a test passes when the true value sits
exactly at its threshold. Those truths come from closed forms and from Simpson's
rule in C; this script recomputes each one independently and compares:

  1. The binormal AUC: with negatives' scores N(0, 1) and positives' N(d, 1), the
     AUC is P(X1 > X0) = Phi(d / sqrt(2)). Checked by quadrature of
     integral phi(x - d) Phi(x) dx (SciPy) and by scikit-learn's roc_auc_score on
     a large sample, for the values of d the simulation uses (true AUC 0.77, 0.80,
     0.83, and mu = 1.6).
  2. The calibrated binormal model of sections c and d (y ~ Bernoulli(0.3),
     x | y ~ N(+-mu/2, 1), score = logistic(mu x + logit 0.3), mu = 1.6): recall,
     precision and accuracy at threshold 0.5, AUC, average precision (the
     population value, integral of precision d recall), Brier score and log loss,
     by scipy.integrate.quad, and by scikit-learn on 4,000,000 rows drawn from the
     model (whose standard errors are about 3e-4 or less).
  3. The paired accuracy design of section b: Delta accuracy = p10 - p01, checked
     on a large sample.

Usage (from the repository root, after building the simulator):

  /usr/bin/python3 tests/reference/simulation_truths.py build-sim/bench/simulate

It runs `simulate --truths`, prints each truth three ways and exits 1 when the C
value differs from the quadrature by more than 1e-9 or from the sample by more than
five sample standard errors (the sample check is a sanity check, not a proof).
Needs numpy, scipy and scikit-learn (Debian: python3-sklearn).
"""
import subprocess
import sys

import numpy as np
from scipy import integrate, stats
from sklearn import metrics as skm

PI, MU = 0.3, 1.6
N = 4_000_000
rng = np.random.default_rng(20261201)
failures = []


def check(name, c_value, quad, sample, sample_se):
    ok_quad = abs(c_value - quad) <= 1e-9
    ok_sample = abs(c_value - sample) <= 5 * sample_se
    flag = "" if ok_quad and ok_sample else "   <-- MISMATCH"
    print(f"{name:20s} C {c_value:.12f}  quad {quad:.12f}  sample {sample:.6f} "
          f"(se {sample_se:.1e}){flag}")
    if flag:
        failures.append(name)


def c_truths(binary):
    out = subprocess.run([binary, "--truths"], check=True, capture_output=True,
                         text=True).stdout
    return {k: float(v) for k, v in (line.split() for line in out.splitlines())}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    c = c_truths(sys.argv[1])
    inf = np.inf

    # 1. Binormal AUC for the d values the simulation uses.
    for auc in (0.77, 0.80, 0.83, stats.norm.cdf(MU / np.sqrt(2))):
        d = np.sqrt(2) * stats.norm.ppf(auc)
        quad = integrate.quad(lambda x: stats.norm.pdf(x - d) * stats.norm.cdf(x),
                              -inf, inf, epsabs=1e-13)[0]
        n1 = n0 = 200_000
        y = np.r_[np.ones(n1), np.zeros(n0)]
        s = np.r_[rng.normal(d, 1, n1), rng.normal(0, 1, n0)]
        sample = skm.roc_auc_score(y, s)
        # the Hanley-McNeil standard error of an AUC estimate
        q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
        se = np.sqrt((auc * (1 - auc) + (n1 - 1) * (q1 - auc ** 2)
                      + (n0 - 1) * (q2 - auc ** 2)) / (n1 * n0))
        check(f"auc(d={d:.4f})", auc, quad, sample, se)
    check("d for auc 0.80", c["binormal_d_auc_0.80"],
          np.sqrt(2) * stats.norm.ppf(0.80), np.sqrt(2) * stats.norm.ppf(0.80), 1e-12)

    # 2. The calibrated binormal model.
    lo = np.log(PI / (1 - PI))
    cut = -lo / MU  # score >= 0.5 iff x >= cut
    f1 = lambda x: stats.norm.pdf(x - MU / 2)  # noqa: E731
    f0 = lambda x: stats.norm.pdf(x + MU / 2)  # noqa: E731
    sc = lambda x: stats.logistic.cdf(MU * x + lo)  # noqa: E731
    tpr = integrate.quad(f1, cut, inf)[0]
    fpr = integrate.quad(f0, cut, inf)[0]

    def precision_at(t):
        # in logs, so that far in the tail 0/0 does not appear
        ratio = np.exp(stats.norm.logsf(t + MU / 2) - stats.norm.logsf(t - MU / 2))
        return PI / (PI + (1 - PI) * ratio)

    quad = {
        "auc": integrate.quad(lambda x: f1(x) * stats.norm.cdf(x + MU / 2), -inf,
                              inf, epsabs=1e-13)[0],
        "recall": tpr,
        "precision": PI * tpr / (PI * tpr + (1 - PI) * fpr),
        "accuracy": PI * tpr + (1 - PI) * (1 - fpr),
        "average_precision": integrate.quad(lambda t: precision_at(t) * f1(t), -inf,
                                            inf, epsabs=1e-13)[0],
        "brier": integrate.quad(lambda x: PI * (1 - sc(x)) ** 2 * f1(x)
                                + (1 - PI) * sc(x) ** 2 * f0(x), -inf, inf,
                                epsabs=1e-13)[0],
        "log_loss": integrate.quad(lambda x: PI * np.logaddexp(0, -(MU * x + lo))
                                   * f1(x) + (1 - PI)
                                   * np.logaddexp(0, MU * x + lo) * f0(x),
                                   -inf, inf, epsabs=1e-13)[0],
    }
    y = (rng.random(N) < PI).astype(int)
    x = rng.normal(0, 1, N) + np.where(y == 1, MU / 2, -MU / 2)
    s = 1 / (1 + np.exp(-(MU * x + lo)))
    p = (s >= 0.5).astype(int)
    sample = {
        "auc": skm.roc_auc_score(y, s),
        "recall": skm.recall_score(y, p),
        "precision": skm.precision_score(y, p),
        "accuracy": skm.accuracy_score(y, p),
        "average_precision": skm.average_precision_score(y, s),
        "brier": skm.brier_score_loss(y, s),
        "log_loss": skm.log_loss(y, s),
    }
    # sample standard errors: binomial for the proportions; the per-row spread
    # for Brier and log loss; a generous 1e-3 bound for AUC and AP
    n1, npp = y.sum(), p.sum()
    ses = {
        "auc": 1e-3,
        "average_precision": 1e-3,
        "recall": np.sqrt(tpr * (1 - tpr) / n1),
        "precision": np.sqrt(quad["precision"] * (1 - quad["precision"]) / npp),
        "accuracy": np.sqrt(quad["accuracy"] * (1 - quad["accuracy"]) / N),
        "brier": np.std((s - y) ** 2) / np.sqrt(N),
        "log_loss": np.std(-(y * np.log(s) + (1 - y) * np.log(1 - s))) / np.sqrt(N),
    }
    for name in ("auc", "recall", "precision", "accuracy", "average_precision",
                 "brier", "log_loss"):
        check(name, c[name], quad[name], sample[name], ses[name])

    # 3. Paired accuracy: Delta = p10 - p01 whatever the label.
    for delta in (-0.03, 0.0, 0.03):
        p10, p01, p11 = 0.065 + delta / 2, 0.065 - delta / 2, 0.80 - 0.065
        u = rng.random(N)
        model_right = (u < p11 + p10)
        base_right = (u < p11) | ((u >= p11 + p10) & (u < p11 + p10 + p01))
        est = model_right.mean() - base_right.mean()
        check(f"delta_acc({delta:+.2f})", delta, p10 - p01, est,
              np.sqrt((p10 + p01) / N))

    if failures:
        print("mismatches:", ", ".join(failures))
        sys.exit(1)
    print("all truths agree")


if __name__ == "__main__":
    main()
