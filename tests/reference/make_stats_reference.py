#!/usr/bin/python3
"""SciPy reference values for the bootstrap interval formulas in stats/intervals.c.

Run with Debian's Python (it has SciPy), from anywhere:

    /usr/bin/python3 tests/reference/make_stats_reference.py

It writes, beside itself:

  stats_samples.csv          the two samples (read by make_stats_reference.R)
  stats_reference_scipy.h    the samples, SciPy's bootstrap replicates and SciPy's
                             percentile, basic and BCa intervals at 95 % and 90 %

How the numbers are checked. The interval formulas are deterministic given the
replicates, so the C test feeds SciPy's own replicates (the `bootstrap_distribution`
of scipy.stats.bootstrap, SciPy >= 1.10) to mg_interval_* and must reproduce SciPy's
interval to 1e-12. Before writing anything this script:

  1. runs scipy.stats.bootstrap once per method with the same seed and checks that
     the three runs drew the same bootstrap distribution;
  2. recomputes every interval from that distribution with a plain transcription of
     the formulas the C code uses (type-7 quantile, z0 from the share of replicates
     below the estimate with ties counted 1/2, acceleration from jackknife power
     sums) and asserts agreement with SciPy to 1e-12 relative;
  3. checks the power-sum acceleration against SciPy's own jackknife a_hat
     (scipy.stats._resampling._bca_interval).

It also estimates the Monte Carlo spread of each interval endpoint for B = 200000
replicates (MC_B below), the size the C test draws with GSL when it compares our BCa
with R's boot.ci, so that comparison's tolerance rests on a measured number.
"""

import math
import os
import sys

import numpy as np
import scipy
import scipy.stats
from scipy.special import ndtr, ndtri
from scipy.stats import _resampling

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_DATA = 20240611
SEED_BOOT = 7
B = 999
MC_B = 200000  # replicates the C test draws for the comparison with R
MC_REPEATS = 200


def quantile7(s, p):
    """Type-7 quantile of sorted s, NumPy's 'linear' with its two-sided lerp."""
    n = len(s)
    h = (n - 1) * p
    lo = math.floor(h)
    if lo >= n - 1:
        return s[n - 1]
    t = h - lo
    a, b = s[lo], s[lo + 1]
    d = b - a
    return a + d * t if t < 0.5 else b - d * (1.0 - t)


def acceleration(x):
    """Jackknife acceleration of the mean from power sums, as the C test does."""
    n = len(x)
    theta = sum(x) / n
    tot = sum(x)
    d = [(tot - xi) / (n - 1) - theta for xi in x]
    s1 = sum(d)
    s2 = sum(v * v for v in d)
    s3 = sum(v * v * v for v in d)
    m = s1 / n
    S2 = s2 - s1 * m
    S3 = s3 - 3.0 * m * s2 + 2.0 * n * m**3
    if S2 <= 0:
        return 0.0
    return -S3 / (6.0 * S2**1.5)


def intervals(sorted_b, theta, a, conf):
    alpha = (1.0 - conf) / 2.0
    perc = (quantile7(sorted_b, alpha), quantile7(sorted_b, 1.0 - alpha))
    basic = (2 * theta - perc[1], 2 * theta - perc[0])
    n = len(sorted_b)
    below = sum(1 for v in sorted_b if v < theta)
    not_above = sum(1 for v in sorted_b if v <= theta)
    z0 = ndtri((below + not_above) / (2.0 * n))
    zl = ndtri(alpha)
    zu = -zl
    w1 = z0 + zl
    w2 = z0 + zu
    l1 = min(1.0, max(0.0, ndtr(z0 + w1 / (1 - a * w1))))
    l2 = min(1.0, max(0.0, ndtr(z0 + w2 / (1 - a * w2))))
    bca = (quantile7(sorted_b, l1), quantile7(sorted_b, l2))
    return {"percentile": perc, "basic": basic, "BCa": bca}


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def scipy_case(x, conf):
    """SciPy intervals for the mean of x with B replicates, verified as above."""
    results = {}
    dist = None
    for method in ("percentile", "basic", "BCa"):
        res = scipy.stats.bootstrap(
            (x,),
            np.mean,
            n_resamples=B,
            confidence_level=conf,
            method=method,
            random_state=np.random.default_rng(SEED_BOOT),
        )
        if dist is None:
            dist = res.bootstrap_distribution.copy()
        elif not np.array_equal(dist, res.bootstrap_distribution):
            sys.exit("scipy drew different replicates for the same seed")
        results[method] = (
            float(res.confidence_interval.low),
            float(res.confidence_interval.high),
        )
    theta = float(np.mean(x))
    a = acceleration([float(v) for v in x])
    _, _, a_scipy = _resampling._bca_interval(
        (x,), np.mean, axis=-1, alpha=(1 - conf) / 2, theta_hat_b=dist, batch=None
    )
    a_scipy = float(np.asarray(a_scipy))
    if rel(a, a_scipy) > 1e-12:
        sys.exit("acceleration %r != scipy %r" % (a, a_scipy))
    sorted_b = sorted(float(v) for v in dist)
    mine = intervals(sorted_b, theta, a, conf)
    for method in results:
        for k in range(2):
            if rel(mine[method][k], results[method][k]) > 1e-12:
                sys.exit(
                    "%s conf %g: transcription %r != scipy %r"
                    % (method, conf, mine[method], results[method])
                )
    return dist, theta, a, a_scipy, results


def mc_spread(x, rng):
    """Standard deviation over MC_REPEATS runs of each endpoint with MC_B replicates,
    at 95 % and 90 %, keyed by (method, confidence)."""
    n = len(x)
    theta = float(np.mean(x))
    a = acceleration([float(v) for v in x])
    ends = {}
    for _ in range(MC_REPEATS):
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=MC_B)
        t = np.sort(counts @ x / n)
        for conf in (0.95, 0.90):
            for m, v in intervals_fast(t, theta, a, conf).items():
                ends.setdefault((m, conf), []).append(v)
    return {k: np.std(np.array(v), axis=0, ddof=1) for k, v in ends.items()}


def intervals_fast(t, theta, a, conf):
    """Vectorised twin of intervals() for large B (used only for the MC spread)."""
    alpha = (1.0 - conf) / 2.0
    q = lambda p: float(np.percentile(t, 100 * p))
    perc = (q(alpha), q(1 - alpha))
    below = np.searchsorted(t, theta, side="left")
    not_above = np.searchsorted(t, theta, side="right")
    z0 = ndtri((below + not_above) / (2.0 * len(t)))
    zl = ndtri(alpha)
    w1, w2 = z0 + zl, z0 - zl
    l1 = ndtr(z0 + w1 / (1 - a * w1))
    l2 = ndtr(z0 + w2 / (1 - a * w2))
    return {
        "percentile": perc,
        "basic": (2 * theta - perc[1], 2 * theta - perc[0]),
        "BCa": (q(l1), q(l2)),
    }


def c_array(name, values, per_line=3):
    out = ["static const double %s[%d] = {" % (name, len(values))]
    for i in range(0, len(values), per_line):
        out.append("    " + ", ".join(repr(float(v)) for v in values[i : i + per_line]) + ",")
    out.append("};")
    return "\n".join(out)


def main():
    rng = np.random.default_rng(SEED_DATA)
    # A skewed sample, so that BCa visibly differs from the percentile interval.
    x = rng.lognormal(mean=0.0, sigma=1.0, size=40)
    # 0/1 data: replicate proportions sit on a lattice and tie with the estimate.
    y = (rng.random(60) < 0.3).astype(np.float64)

    lines = [
        "/* Generated by tests/reference/make_stats_reference.py; do not edit. */",
        "/* SciPy %s, NumPy %s; data seed %d, bootstrap seed %d, B = %d. */"
        % (scipy.__version__, np.__version__, SEED_DATA, SEED_BOOT, B),
        "#ifndef STATS_REFERENCE_SCIPY_H",
        "#define STATS_REFERENCE_SCIPY_H",
        "",
        "#define SCIPY_B %d" % B,
        "",
    ]
    for tag, data in (("MEAN", x), ("PROP", y)):
        lines.append("/* Sample for the %s case. */" % tag.lower())
        lines.append(c_array("scipy_%s_sample" % tag.lower(), data))
        lines.append("#define SCIPY_%s_N %d" % (tag, len(data)))
        first = True
        for conf in (0.95, 0.90):
            dist, theta, a, a_scipy, res = scipy_case(data, conf)
            pct = int(round(conf * 100))
            if first:
                lines.append("#define SCIPY_%s_ESTIMATE %r" % (tag, theta))
                lines.append("/* acceleration: power sums %r, SciPy jackknife %r */" % (a, a_scipy))
                lines.append("#define SCIPY_%s_ACCELERATION %r" % (tag, a_scipy))
                lines.append("/* SciPy's bootstrap_distribution, in SciPy's order. */")
                lines.append(c_array("scipy_%s_replicates" % tag.lower(), dist))
                first = False
            for method, key in (("percentile", "PERC"), ("basic", "BASIC"), ("BCa", "BCA")):
                lo, hi = res[method]
                lines.append("#define SCIPY_%s_%s%d_LOW  %r" % (tag, key, pct, lo))
                lines.append("#define SCIPY_%s_%s%d_HIGH %r" % (tag, key, pct, hi))
        lines.append("")

    spread = mc_spread(x, np.random.default_rng(SEED_DATA + 1))
    lines.append("/* Monte Carlo standard deviation of each endpoint for the mean sample with")
    lines.append(
        " * B = %d replicates, measured over %d independent runs. */" % (MC_B, MC_REPEATS)
    )
    lines.append("#define SCIPY_MC_B %d" % MC_B)
    for conf in (0.95, 0.90):
        pct = int(round(conf * 100))
        for method, key in (("percentile", "PERC"), ("basic", "BASIC"), ("BCa", "BCA")):
            sd = spread[(method, conf)]
            lines.append("#define SCIPY_MC_SD_%s%d_LOW  %r" % (key, pct, float(sd[0])))
            lines.append("#define SCIPY_MC_SD_%s%d_HIGH %r" % (key, pct, float(sd[1])))
    lines.append("")
    lines.append("#endif")

    with open(os.path.join(HERE, "stats_reference_scipy.h"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, "stats_samples.csv"), "w") as f:
        f.write("sample,value\n")
        for v in x:
            f.write("mean,%r\n" % float(v))
        for v in y:
            f.write("prop,%r\n" % float(v))


if __name__ == "__main__":
    main()
