/*
 * Confidence intervals from bootstrap replicates, the Wilson score interval, and
 * the bootstrap p-value.
 *
 * The bootstrap engine sorts each statistic's B replicates once and hands them here;
 * everything in this file is a deterministic function of those sorted values, the
 * point estimate θ̂ and, for BCa, the acceleration a.
 *
 * Quantiles. All three bootstrap intervals read quantiles of the replicates with
 * linear interpolation between order statistics, Hyndman & Fan (1996) type 7, the
 * default of R's quantile() and NumPy's percentile(): with h = (B − 1)p and
 * l = ⌊h⌋, q(p) = x₍ₗ₎ + (h − l)(x₍ₗ₊₁₎ − x₍ₗ₎) (0-based), as
 * gsl_stats_quantile_from_sorted_data. We write the interpolation as NumPy does,
 * from the nearer order statistic (a + d·t when t < ½, b − d·(1 − t) otherwise), so
 * that it is exact at both ends and matches SciPy to the last bit or two.
 *
 * Percentile: [q((1 − c)/2), q((1 + c)/2)]. Basic (reverse percentile, Davison &
 * Hinkley 1997, "Bootstrap Methods and their Application", §5.2): [2θ̂ − q_hi,
 * 2θ̂ − q_lo].
 *
 * BCa (Efron 1987, "Better bootstrap confidence intervals", JASA 82:171–185; Efron &
 * Tibshirani 1993, §14.3, eqs. 14.9–14.15): with z0 = Φ⁻¹(p̂), z_α = Φ⁻¹(α), the
 * interval is [q(α₁), q(α₂)] where α₁ = Φ(z0 + (z0 + z_α)/(1 − a(z0 + z_α))) and α₂
 * the same with z_{1−α} = −z_α. We follow scipy.stats.bootstrap exactly:
 *   - p̂ = (#{θ* < θ̂} + #{θ* ≤ θ̂}) / (2B): replicates equal to θ̂ count one half
 *     (percentileofscore's 'mean' kind). This matters for discrete statistics
 *     (proportions, accuracy on small slices), where many replicates tie with θ̂;
 *     when every replicate equals θ̂ it gives p̂ = ½, z0 = 0 and the interval [θ̂, θ̂].
 *   - a is the jackknife acceleration Σ(d̄ − dᵢ)³ / (6 (Σ(d̄ − dᵢ)²)^{3/2}) (E&T eq.
 *     14.15), which the engine computes in closed form and passes in.
 *   - the adjusted levels are read as type-7 quantiles.
 * R's boot.ci differs in three ways, so it agrees with us only within Monte Carlo
 * error: it sets z0 = Φ⁻¹(#{θ* < θ̂}/B) (ties count as above the estimate), it reads
 * quantiles by interpolating on the normal-quantile scale between the order
 * statistics around (B + 1)α (norm.inter), and by default it estimates the influence
 * values for a by regression on the bootstrap frequencies rather than by the
 * jackknife (for linear statistics such as a mean both give the same a).
 *
 * Numerical caveats. BCa is undefined when every replicate lies on one side of θ̂
 * (p̂ = 0 or 1 makes z0 infinite; SciPy returns NaN with a warning); we return
 * MG_ENUMERIC saying which side. The adjustment also breaks down when 1 − a(z0 + z) ≤
 * 0: the map from nominal to adjusted level stops being increasing, and we return
 * MG_ENUMERIC rather than an interval with meaningless ends. Adjusted levels are
 * clamped into [0, 1] against rounding. The acceleration from power sums (s1, s2, s3 of
 * the jackknife deviations dᵢ) centres by subtraction, S2 = s2 − s1²/n, which loses
 * precision when the mean of the dᵢ is large next to their spread; the engine passes
 * dᵢ = θ̂₍₋ᵢ₎ − θ̂, which are centred near zero for smooth statistics, and we return
 * a = 0 when S2 is no larger than the rounding noise of summing n terms into s2,
 * 4nε·s2 (all dᵢ equal). Non-finite sums give NaN, which mg_interval_bca rejects.
 *
 * Wilson (1927, JASA 22:209–212; recommended by Newcombe 1998 and Agresti & Coull
 * 1998): the interval inverting the score test, (p̂ + z²/2n ± z√(p̂(1 − p̂)/n +
 * z²/4n²)) / (1 + z²/n), in the algebraic form of R's prop.test(correct = FALSE), with
 * the end at 0 or 1 set exactly when p̂ is 0 or 1, as prop.test does.
 *
 * Bootstrap p-value for H0: Δ = 0: twice the smaller tail of the replicates around 0,
 * min(1, 2·min(#{Δ* ≤ 0} + 1, #{Δ* ≥ 0} + 1)/(B + 1)), with the +1s of a Monte Carlo
 * p-value (Davison & Hinkley 1997, ch. 4) so that it is never 0. A replicate exactly
 * at 0 counts in both tails. Sorted input makes both counts binary searches.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_cdf.h>

#include "modelgate/stats.h"

/* Number of sorted values strictly below v (lower bound). */
static size_t count_below(const double *x, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Number of sorted values at most v (upper bound). */
static size_t count_not_above(const double *x, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Type-7 quantile of sorted x[0..n-1], n > 0, p in [0, 1]. */
static double quantile7(const double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    double fl = floor(h);
    size_t lo = (size_t)fl;
    double t, a, b, d;

    if (lo >= n - 1)
        return x[n - 1];
    t = h - fl;
    a = x[lo];
    b = x[lo + 1];
    d = b - a;
    return t < 0.5 ? a + d * t : b - d * (1.0 - t);
}

static int check_confidence(double confidence, mg_error *err)
{
    if (!(confidence > 0.0 && confidence < 1.0))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "confidence %g is outside (0, 1)", confidence);
    return 0;
}

/* Replicates must be present, finite and ascending. O(n), small next to the sort
 * the caller did, and it turns a NaN replicate into an error rather than a quietly
 * wrong quantile. */
static int check_replicates(const double *sorted, size_t n, mg_error *err)
{
    size_t i;

    if (n == 0 || sorted == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no bootstrap replicates");
    for (i = 0; i < n; i++) {
        if (!isfinite(sorted[i]))
            return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                                "bootstrap replicate %zu is not finite", i);
        if (i > 0 && sorted[i] < sorted[i - 1])
            return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                                "bootstrap replicates are not sorted ascending "
                                "(replicate %zu)",
                                i);
    }
    return 0;
}

int mg_interval_percentile(const double *sorted, size_t n, double confidence,
                           mg_interval *out, mg_error *err)
{
    double alpha;
    int rc;

    if (out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no interval to fill");
    if ((rc = check_confidence(confidence, err)) < 0 ||
        (rc = check_replicates(sorted, n, err)) < 0)
        return rc;
    alpha = (1.0 - confidence) / 2.0;
    out->low = quantile7(sorted, n, alpha);
    out->high = quantile7(sorted, n, 1.0 - alpha);
    return 0;
}

int mg_interval_basic(const double *sorted, size_t n, double estimate,
                      double confidence, mg_interval *out, mg_error *err)
{
    mg_interval p;
    int rc;

    if (out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no interval to fill");
    if (!isfinite(estimate))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "estimate is not finite");
    if ((rc = mg_interval_percentile(sorted, n, confidence, &p, err)) < 0)
        return rc;
    out->low = 2.0 * estimate - p.high;
    out->high = 2.0 * estimate - p.low;
    return 0;
}

/* Φ(z0 + w/(1 − a·w)) with w = z0 + z, clamped to [0, 1]; -1 when the denominator
 * is not positive. */
static double bca_level(double z0, double z, double a)
{
    double w = z0 + z;
    double den = 1.0 - a * w;
    double level;

    if (!(den > 0.0))
        return -1.0;
    level = gsl_cdf_ugaussian_P(z0 + w / den);
    return level < 0.0 ? 0.0 : level > 1.0 ? 1.0 : level;
}

/* BCa's z0 from the replicates' position around the estimate; MG_ENUMERIC when
 * every replicate lies on one side (z0 would be infinite). */
static int bca_z0(const double *sorted, size_t n, double estimate, double *z0,
                  mg_error *err)
{
    size_t below = count_below(sorted, n, estimate);
    size_t not_above = count_not_above(sorted, n, estimate);
    if (not_above == 0)
        return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                            "every bootstrap replicate lies above the estimate; "
                            "BCa is undefined");
    if (below == n)
        return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                            "every bootstrap replicate lies below the estimate; "
                            "BCa is undefined");
    /* Both counts are exact integers below 2^53 for any array that fits in memory,
     * so p is correctly rounded and strictly inside (0, 1). */
    *z0 =
        gsl_cdf_ugaussian_Pinv(((double)below + (double)not_above) / (2.0 * (double)n));
    return 0;
}

int mg_interval_bca_levels(const double *sorted, size_t n, double estimate,
                           double acceleration, double confidence, double *low_level,
                           double *high_level, mg_error *err)
{
    double z0, zl;
    int rc;

    if (low_level == NULL || high_level == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no levels to fill");
    if ((rc = check_confidence(confidence, err)) < 0 ||
        (rc = check_replicates(sorted, n, err)) < 0)
        return rc;
    if (!isfinite(estimate))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "estimate is not finite");
    if (!isfinite(acceleration))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "acceleration is not finite");
    if ((rc = bca_z0(sorted, n, estimate, &z0, err)) < 0)
        return rc;
    zl = gsl_cdf_ugaussian_Pinv((1.0 - confidence) / 2.0);
    *low_level = bca_level(z0, zl, acceleration);
    *high_level = bca_level(z0, -zl, acceleration);
    if (*low_level < 0.0 || *high_level < 0.0)
        return mg_error_set(err, MG_ENUMERIC, NULL, 0, 0,
                            "acceleration %g is too large for BCa at confidence %g "
                            "(1 - a(z0 + z) <= 0)",
                            acceleration, confidence);
    return 0;
}

int mg_interval_bca(const double *sorted, size_t n, double estimate,
                    double acceleration, double confidence, mg_interval *out,
                    mg_error *err)
{
    double l1, l2;
    int rc;

    if (out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no interval to fill");
    if ((rc = mg_interval_bca_levels(sorted, n, estimate, acceleration, confidence, &l1,
                                     &l2, err)) < 0)
        return rc;
    out->low = quantile7(sorted, n, l1);
    out->high = quantile7(sorted, n, l2);
    return 0;
}

double mg_jackknife_acceleration(double n, double s1, double s2, double s3)
{
    double m, S2, S3;

    if (!isfinite(n) || !isfinite(s1) || !isfinite(s2) || !isfinite(s3))
        return NAN;
    if (n < 2.0)
        return 0.0;
    m = s1 / n;
    /* Σ(dᵢ − m)² and Σ(dᵢ − m)³ from the power sums. */
    S2 = s2 - s1 * m;
    S3 = s3 - 3.0 * m * s2 + 2.0 * n * m * m * m;
    /* Summing n terms naively can be off by about n ulps of the sum, so an S2 below
     * that is rounding noise, not spread: the dᵢ are (numerically) all equal. */
    if (!(S2 > 4.0 * n * DBL_EPSILON * s2) || !(S2 > DBL_MIN))
        return 0.0;
    /* Σ(d̄ − dᵢ)³ = −S3. */
    return -S3 / (6.0 * S2 * sqrt(S2));
}

int mg_interval_wilson(double successes, double trials, double confidence,
                       mg_interval *out, mg_error *err)
{
    double z, phat, z22n, den, centre, half;
    int rc;

    if (out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no interval to fill");
    if ((rc = check_confidence(confidence, err)) < 0)
        return rc;
    if (!(trials > 0.0) || !isfinite(trials))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "Wilson interval needs a positive, finite number of "
                            "trials (got %g)",
                            trials);
    if (!(successes >= 0.0 && successes <= trials))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "successes %g are outside [0, %g]", successes, trials);

    z = gsl_cdf_ugaussian_Pinv((1.0 + confidence) / 2.0);
    phat = successes / trials;
    z22n = z * z / (2.0 * trials);
    den = 1.0 + 2.0 * z22n;
    centre = phat + z22n;
    half = z * sqrt(phat * (1.0 - phat) / trials + z22n / (2.0 * trials));
    out->low = phat <= 0.0 ? 0.0 : (centre - half) / den;
    out->high = phat >= 1.0 ? 1.0 : (centre + half) / den;
    return 0;
}

double mg_bootstrap_p_value(const double *sorted, size_t n)
{
    double le, ge, p;

    if (sorted == NULL)
        n = 0;
    le = (double)count_not_above(sorted, n, 0.0) + 1.0;
    ge = (double)(n - count_below(sorted, n, 0.0)) + 1.0;
    p = 2.0 * (le < ge ? le : ge) / ((double)n + 1.0);
    return p < 1.0 ? p : 1.0;
}

/* Twice the smaller tail of a standard normal at z, capped at 1. */
static double two_sided(double z)
{
    double p = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
    return p < 1.0 ? p : 1.0;
}

double mg_bootstrap_p_value_basic(const double *sorted, size_t n, double estimate)
{
    /* The basic interval is the percentile interval of 2θ̂ − Δ*: 0 lies outside it
     * exactly when 2θ̂ lies outside the percentile interval of Δ*. */
    size_t le = count_not_above(sorted, n, 2.0 * estimate);
    size_t ge = n - count_below(sorted, n, 2.0 * estimate);
    double p = 2.0 * (double)((le < ge ? le : ge) + 1) / ((double)n + 1.0);
    return p < 1.0 ? p : 1.0;
}

double mg_bootstrap_p_value_bca(const double *sorted, size_t n, double estimate,
                                double acceleration)
{
    mg_error err = MG_ERROR_INIT;
    double z0, a0, d, u;

    if (n == 0 || !isfinite(estimate) || !isfinite(acceleration) ||
        bca_z0(sorted, n, estimate, &z0, &err) < 0)
        return NAN;
    /* The replicate level at which the quantile reaches 0, a Monte Carlo position
     * that is never 0 or 1: ties at 0 count one half, as for z0. */
    a0 =
        ((double)count_below(sorted, n, 0.0) +
         0.5 * (double)(count_not_above(sorted, n, 0.0) - count_below(sorted, n, 0.0)) +
         0.5) /
        ((double)n + 1.0);
    /* Solve Φ(z0 + (z0 + z)/(1 − a(z0 + z))) = a0 for z: with d = Φ⁻¹(a0) − z0 and
     * u = z0 + z, u/(1 − a·u) = d gives u = d/(1 + a·d). Where 1 + a·d <= 0 no
     * level of the interval reaches 0 on that side, and p is as small as the
     * replicates can show. */
    d = gsl_cdf_ugaussian_Pinv(a0) - z0;
    if (1.0 + acceleration * d <= 0.0)
        return 2.0 / ((double)n + 1.0);
    u = d / (1.0 + acceleration * d);
    return two_sided(u - z0);
}

int mg_interval_clopper_pearson(double successes, double trials, double confidence,
                                mg_interval *out, mg_error *err)
{
    double alpha;
    int rc;

    if (out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no interval to fill");
    if ((rc = check_confidence(confidence, err)) < 0)
        return rc;
    if (!(trials > 0) || !(successes >= 0) || successes > trials || !isfinite(trials))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "%g successes out of %g trials is not a proportion",
                            successes, trials);
    /* The exact interval inverting two one-sided binomial tests, each at
     * (1 − confidence)/2, through the beta quantiles (R's binom.test). */
    alpha = (1.0 - confidence) / 2.0;
    out->low = successes == 0
                   ? 0.0
                   : gsl_cdf_beta_Pinv(alpha, successes, trials - successes + 1);
    out->high = successes == trials
                    ? 1.0
                    : gsl_cdf_beta_Pinv(1.0 - alpha, successes + 1, trials - successes);
    return 0;
}
