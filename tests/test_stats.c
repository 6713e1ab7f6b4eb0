/*
 * Tests for stats/intervals.c, stats/delong.c and stats/mcnemar.c.
 *
 * Reference values come from independent implementations, generated offline by
 * tests/reference/make_stats_reference.sh into committed headers:
 *   - pROC 1.18.0 on its aSAH data (auc, var and ci.auc with method "delong",
 *     roc.test(method = "delong", paired = TRUE)), compared to 1e-6 relative;
 *   - scipy.stats.bootstrap 1.10.1: its own replicates fed to our interval
 *     functions must give its interval to 1e-12 relative (the formulas are
 *     deterministic given the replicates);
 *   - boot::boot.ci with R's own replicates, compared within a Monte Carlo
 *     tolerance (see reference_boot_mean);
 *   - prop.test(correct = FALSE) for Wilson and binom.test for exact McNemar.
 * Oracle tests compare DeLong and McNemar with naive versions, and property tests
 * check what must hold for any input.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "modelgate/stats.h"
#include "reference/binom_reference_r.h"
#include "reference/stats_reference_r.h"
#include "reference/stats_reference_scipy.h"
#include "testutil.h"

#define EXACT_TOL  1e-12 /* deterministic formulas, SciPy's replicates */
#define DELONG_TOL 1e-6  /* pROC; the numbers agree to ~1e-15 in practice */

#define ck_close(a, b, rel)                                                            \
    ck_assert_msg(tu_close((a), (b), (rel)), "%s = %.17g, expected %.17g (rel %g)",    \
                  #a, (double)(a), (double)(b), (double)(rel))

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* A sorted copy of x (malloc). */
static double *sorted_copy(const double *x, size_t n)
{
    double *s = malloc(n * sizeof *s);
    ck_assert_ptr_nonnull(s);
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return s;
}

/* Jackknife acceleration of the mean of x through the public power-sum function. */
static double mean_acceleration(const double *x, size_t n, double *mean_out)
{
    double sum = 0.0, mean, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += x[i];
    mean = sum / (double)n;
    for (i = 0; i < n; i++) {
        double d = (sum - x[i]) / (double)(n - 1) - mean;
        s1 += d;
        s2 += d * d;
        s3 += d * d * d;
    }
    if (mean_out)
        *mean_out = mean;
    return mg_jackknife_acceleration((double)n, s1, s2, s3);
}

/* B bootstrap replicates of the mean of x, sorted, from GSL's mt19937. */
static double *bootstrap_means(const double *x, size_t n, size_t B, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *t = malloc(B * sizeof *t);
    size_t b, i;

    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(t);
    gsl_rng_set(r, seed);
    for (b = 0; b < B; b++) {
        double sum = 0.0;
        for (i = 0; i < n; i++)
            sum += x[gsl_rng_uniform_int(r, n)];
        t[b] = sum / (double)n;
    }
    gsl_rng_free(r);
    qsort(t, B, sizeof *t, cmp_double);
    return t;
}

/* ---------------------------------------------------------------------------------
 * Naive oracles.
 */

/* O(n1·n0) DeLong placements straight from the definition. */
static void naive_placements(const double *s, const unsigned char *y, size_t n,
                             double *v, double *auc)
{
    size_t i, j, n1 = 0, n0 = 0;
    double sum = 0.0;

    for (i = 0; i < n; i++)
        n1 += y[i];
    n0 = n - n1;
    for (i = 0; i < n; i++) {
        double acc = 0.0;
        for (j = 0; j < n; j++) {
            if (y[j] == y[i])
                continue;
            {
                double pos = y[i] ? s[i] : s[j], neg = y[i] ? s[j] : s[i];
                acc += pos > neg ? 1.0 : pos == neg ? 0.5 : 0.0;
            }
        }
        v[i] = acc / (double)(y[i] ? n0 : n1);
        if (y[i])
            sum += v[i];
    }
    *auc = sum / (double)n1;
}

static double naive_cov(const double *v1, double a1, const double *v2, double a2,
                        const unsigned char *y, size_t n)
{
    double s[2] = {0, 0};
    size_t i, k[2] = {0, 0};

    for (i = 0; i < n; i++) {
        s[y[i]] += (v1[i] - a1) * (v2[i] - a2);
        k[y[i]]++;
    }
    return s[1] / (double)(k[1] - 1) / (double)k[1] +
           s[0] / (double)(k[0] - 1) / (double)k[0];
}

/* Exact McNemar p-value for b + c <= 62 from integer binomial coefficients. */
static double exact_mcnemar_small(unsigned b, unsigned c)
{
    unsigned n = b + c, k = b < c ? b : c, j;
    unsigned long long coef = 1, tail = 0;
    double p;

    if (b == c)
        return 1.0;
    for (j = 0; j <= k; j++) {
        tail += coef;
        coef = coef * (n - j) / (j + 1);
    }
    p = 2.0 * (double)tail / ldexp(1.0, (int)n);
    return p < 1.0 ? p : 1.0;
}

/* ---------------------------------------------------------------------------------
 * core
 */

START_TEST(core_percentile_basic_by_hand)
{
    const double x[5] = {1, 2, 3, 4, 5};
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    /* conf 0.5: levels 0.25, 0.75 → h = 1, 3 → 2, 4 */
    ck_assert_int_eq(mg_interval_percentile(x, 5, 0.5, &iv, &err), 0);
    ck_close(iv.low, 2.0, 1e-15);
    ck_close(iv.high, 4.0, 1e-15);
    /* conf 0.8: levels 0.1, 0.9 → h = 0.4, 3.6 → 1.4, 4.6 */
    ck_assert_int_eq(mg_interval_percentile(x, 5, 0.8, &iv, &err), 0);
    ck_close(iv.low, 1.4, 1e-15);
    ck_close(iv.high, 4.6, 1e-15);
    /* basic at θ̂ = 3.5: [7 − 4.6, 7 − 1.4] */
    ck_assert_int_eq(mg_interval_basic(x, 5, 3.5, 0.8, &iv, &err), 0);
    ck_close(iv.low, 2.4, 1e-15);
    ck_close(iv.high, 5.6, 1e-15);
    /* one replicate: every quantile is it */
    ck_assert_int_eq(mg_interval_percentile(x + 2, 1, 0.95, &iv, &err), 0);
    ck_assert(iv.low == 3.0 && iv.high == 3.0);
}
END_TEST

START_TEST(core_bca_with_no_bias_and_no_acceleration_is_percentile)
{
    double x[101];
    mg_interval pc, bca;
    mg_error err = MG_ERROR_INIT;
    const double confs[3] = {0.5, 0.9, 0.95};
    size_t i;

    for (i = 0; i < 101; i++)
        x[i] = (double)i * (double)i / 100.0; /* skewed; median 25 */
    for (i = 0; i < 3; i++) {
        /* θ̂ = median: 50 below, 1 tied → p = ½ → z0 = 0; a = 0 → levels α, 1 − α */
        ck_assert_int_eq(mg_interval_percentile(x, 101, confs[i], &pc, &err), 0);
        ck_assert_int_eq(mg_interval_bca(x, 101, 25.0, 0.0, confs[i], &bca, &err), 0);
        ck_close(bca.low, pc.low, 1e-12);
        ck_close(bca.high, pc.high, 1e-12);
    }
}
END_TEST

START_TEST(core_bca_by_hand)
{
    /* 10 replicates 0..9, θ̂ = 3: 3 below, 4 at most → p = 7/20, a = 0.1, c = 0.9.
     * Levels: z0 = Φ⁻¹(0.35), w = z0 ± 1.6448536269514722,
     * αᵢ = Φ(z0 + w/(1 − 0.1 w)); quantile 9·αᵢ (values 0..9). */
    double x[10];
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;
    size_t i;
    /* Levels from R:
     *   z0 <- qnorm(0.35); z <- qnorm(0.05); a <- 0.1
     *   pnorm(z0 + (z0 + z)/(1 - a*(z0 + z)))  # 0.019091314466878388
     *   pnorm(z0 + (z0 - z)/(1 - a*(z0 - z)))  # 0.85445101158011605 */
    for (i = 0; i < 10; i++)
        x[i] = (double)i;
    ck_assert_int_eq(mg_interval_bca(x, 10, 3.0, 0.1, 0.9, &iv, &err), 0);
    ck_close(iv.low, 9.0 * 0.019091314466878388, 1e-12);
    ck_close(iv.high, 9.0 * 0.85445101158011605, 1e-12);
}
END_TEST

START_TEST(core_intervals_contain_the_median_estimate)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const double accels[5] = {-0.1, -0.02, 0.0, 0.03, 0.1};
    size_t trial, k;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 11);
    for (trial = 0; trial < 50; trial++) {
        size_t n = 1 + 2 * gsl_rng_uniform_int(r, 500); /* odd: the median is a value */
        double *x = malloc(n * sizeof *x), med;
        mg_interval iv;
        mg_error err = MG_ERROR_INIT;
        size_t i;

        ck_assert_ptr_nonnull(x);
        for (i = 0; i < n; i++)
            x[i] = trial % 2 ? gsl_rng_uniform(r) * gsl_rng_uniform(r)
                             : floor(10.0 * gsl_rng_uniform(r)); /* many ties */
        qsort(x, n, sizeof *x, cmp_double);
        med = x[n / 2];
        ck_assert_int_eq(mg_interval_percentile(x, n, 0.9, &iv, &err), 0);
        ck_assert(iv.low <= med && med <= iv.high);
        ck_assert_int_eq(mg_interval_basic(x, n, med, 0.9, &iv, &err), 0);
        ck_assert(iv.low <= med && med <= iv.high);
        for (k = 0; k < 5; k++) {
            ck_assert_int_eq(mg_interval_bca(x, n, med, accels[k], 0.9, &iv, &err), 0);
            ck_assert_msg(iv.low <= med && med <= iv.high,
                          "BCa [%g, %g] misses median %g (n %zu, a %g)", iv.low,
                          iv.high, med, n, accels[k]);
        }
        free(x);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(core_jackknife_acceleration)
{
    /* d = {1, 2, 6}: d̄ − d = {2, 1, −3}: Σ³ = −18, Σ² = 14 → a = −18/(6·14^1.5) */
    ck_close(mg_jackknife_acceleration(3, 9, 41, 225), -18.0 / (6.0 * pow(14.0, 1.5)),
             1e-14);
    /* all equal → 0, also when the sums carry rounding */
    ck_assert(mg_jackknife_acceleration(3, 6, 12, 24) == 0.0);
    ck_assert(mg_jackknife_acceleration(10, 1.0, 0.1, 0.01) == 0.0);
    ck_assert(mg_jackknife_acceleration(1, 5, 25, 125) == 0.0);
    ck_assert(isnan(mg_jackknife_acceleration(3, NAN, 1, 1)));
}
END_TEST

START_TEST(core_jackknife_acceleration_oracle)
{
    /* Power sums against the two-pass definition, and invariance to shifting d. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t trial;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 5);
    for (trial = 0; trial < 100; trial++) {
        size_t n = 2 + gsl_rng_uniform_int(r, 200), i;
        double d[201], mean = 0.0, num = 0.0, den = 0.0, s[3] = {0, 0, 0};
        double shift = 1e-3 * (gsl_rng_uniform(r) - 0.5), t[3] = {0, 0, 0};

        for (i = 0; i < n; i++) {
            double u = gsl_rng_uniform(r);
            d[i] = (u * u * u - 0.25) / (double)n; /* skewed, like jackknife values */
            mean += d[i];
        }
        mean /= (double)n;
        for (i = 0; i < n; i++) {
            double e = mean - d[i];
            num += e * e * e;
            den += e * e;
            s[0] += d[i];
            s[1] += d[i] * d[i];
            s[2] += d[i] * d[i] * d[i];
            t[0] += d[i] + shift;
            t[1] += (d[i] + shift) * (d[i] + shift);
            t[2] += (d[i] + shift) * (d[i] + shift) * (d[i] + shift);
        }
        ck_close(mg_jackknife_acceleration((double)n, s[0], s[1], s[2]),
                 num / (6.0 * pow(den, 1.5)), 1e-9);
        ck_close(mg_jackknife_acceleration((double)n, t[0], t[1], t[2]),
                 num / (6.0 * pow(den, 1.5)), 1e-6);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(core_wilson_properties)
{
    mg_interval a, b;
    mg_error err = MG_ERROR_INIT;

    /* symmetric: x/n and (n − x)/n mirror each other */
    ck_assert_int_eq(mg_interval_wilson(3, 17, 0.95, &a, &err), 0);
    ck_assert_int_eq(mg_interval_wilson(14, 17, 0.95, &b, &err), 0);
    ck_close(a.low, 1.0 - b.high, 1e-14);
    ck_close(a.high, 1.0 - b.low, 1e-14);
    ck_assert(a.low < 3.0 / 17 && 3.0 / 17 < a.high);
    /* narrower at lower confidence */
    ck_assert_int_eq(mg_interval_wilson(3, 17, 0.8, &b, &err), 0);
    ck_assert(b.low > a.low && b.high < a.high);
    /* fractional (weighted) counts are allowed */
    ck_assert_int_eq(mg_interval_wilson(2.5, 7.5, 0.9, &a, &err), 0);
    ck_assert(a.low < 1.0 / 3 && 1.0 / 3 < a.high);
}
END_TEST

START_TEST(core_bootstrap_p_value)
{
    const double a[4] = {-1, 1, 2, 3};
    const double pos[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const double sym[5] = {-2, -1, 0, 1, 2};
    const double zeros[3] = {0, 0, 0};
    const double mostly_neg[6] = {-5, -4, -3, -2, -1, 0};
    double *many = malloc(999 * sizeof *many);
    size_t i;

    ck_assert_ptr_nonnull(many);
    /* #≤0 = 1, #≥0 = 3: 2·min(2, 4)/5 */
    ck_close(mg_bootstrap_p_value(a, 4), 0.8, 1e-15);
    /* all positive: 2·1/10 */
    ck_close(mg_bootstrap_p_value(pos, 9), 0.2, 1e-15);
    for (i = 0; i < 999; i++)
        many[i] = 0.001 * (double)(i + 1);
    ck_close(mg_bootstrap_p_value(many, 999), 0.002, 1e-15);
    /* symmetric around 0: capped at 1 */
    ck_assert(mg_bootstrap_p_value(sym, 5) == 1.0);
    ck_assert(mg_bootstrap_p_value(zeros, 3) == 1.0);
    /* zeros count on both sides: #≤0 = 6, #≥0 = 1 → 2·2/7 */
    ck_close(mg_bootstrap_p_value(mostly_neg, 6), 4.0 / 7.0, 1e-15);
    /* a replicate distribution symmetric around 0 gives p ≈ 1 */
    for (i = 0; i < 999; i++)
        many[i] = (double)i - 499.0;
    ck_assert(mg_bootstrap_p_value(many, 999) == 1.0);
    for (i = 0; i < 999; i++)
        many[i] = (double)i - 498.5;
    ck_close(mg_bootstrap_p_value(many, 999), 1.0, 1e-15);
    free(many);
}
END_TEST

/* Random scores with heavy ties (k distinct levels) and labels. */
static void random_case(gsl_rng *r, size_t n, unsigned k, double *s, double *s2,
                        unsigned char *y)
{
    size_t i;
    for (i = 0; i < n; i++) {
        y[i] = (unsigned char)(gsl_rng_uniform(r) < 0.4);
        s[i] = floor((double)k * gsl_rng_uniform(r)) + (y[i] ? 1.0 : 0.0);
        s2[i] = floor((double)k * gsl_rng_uniform(r)) + 0.5 * s[i];
    }
    y[0] = 1;
    y[1] = 1;
    y[2] = 0;
    y[3] = 0;
}

START_TEST(core_delong_oracle)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t trial;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 3);
    for (trial = 0; trial < 60; trial++) {
        size_t n = 4 + gsl_rng_uniform_int(r, 300), i;
        unsigned k = trial % 3 == 0 ? 1000000u : 2u + (unsigned)(trial % 7);
        double *s = malloc(n * sizeof *s), *s2 = malloc(n * sizeof *s2);
        double *v1 = malloc(n * sizeof *v1), *v2 = malloc(n * sizeof *v2);
        unsigned char *y = malloc(n);
        double a1, a2, var1, var2, cov;
        mg_delong_result d;
        mg_delong_paired_result p;
        mg_error err = MG_ERROR_INIT;

        ck_assert(s && s2 && v1 && v2 && y);
        random_case(r, n, k, s, s2, y);
        naive_placements(s, y, n, v1, &a1);
        naive_placements(s2, y, n, v2, &a2);
        var1 = naive_cov(v1, a1, v1, a1, y, n);
        var2 = naive_cov(v2, a2, v2, a2, y, n);
        cov = naive_cov(v1, a1, v2, a2, y, n);

        ck_assert_int_eq(mg_delong(s, y, n, &d, &err), 0);
        ck_close(d.auc, a1, 1e-13);
        ck_close(d.variance, var1, 1e-10);
        ck_assert_int_eq(mg_delong_paired(s, s2, y, n, &p, &err), 0);
        ck_close(p.auc1, a1, 1e-13);
        ck_close(p.auc2, a2, 1e-13);
        ck_close(p.var1, var1, 1e-10);
        ck_close(p.var2, var2, 1e-10);
        ck_assert_msg(fabs(p.covariance - cov) <= 1e-12, "cov %.17g vs %.17g",
                      p.covariance, cov);
        ck_close(p.delta, a1 - a2, 1e-12);
        ck_close(p.delta_se, sqrt(var1 + var2 - 2.0 * cov), 1e-8);
        ck_close(p.z, (a1 - a2) / sqrt(var1 + var2 - 2.0 * cov), 1e-8);
        ck_close(p.p_value, erfc(fabs(p.z) / sqrt(2.0)), 1e-9);
        for (i = 0; i < n; i++)
            ck_assert(isfinite(v1[i]));
        free(s);
        free(s2);
        free(v1);
        free(v2);
        free(y);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(core_delong_properties)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    enum { N = 500 };
    static double s[N], s2[N], neg[N], mono[N];
    static unsigned char y[N];
    mg_delong_result a, b;
    mg_delong_paired_result p, q;
    mg_error err = MG_ERROR_INIT;
    size_t i;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 8);
    random_case(r, N, 20, s, s2, y);
    for (i = 0; i < N; i++) {
        neg[i] = -s[i];
        mono[i] = exp(s[i] / 3.0) - 7.0; /* strictly increasing transform */
    }
    /* reversing the score gives 1 − AUC with the same variance */
    ck_assert_int_eq(mg_delong(s, y, N, &a, &err), 0);
    ck_assert_int_eq(mg_delong(neg, y, N, &b, &err), 0);
    ck_close(b.auc, 1.0 - a.auc, 1e-14);
    ck_close(b.variance, a.variance, 1e-12);
    /* a model against itself, or a monotone transform of itself: Δ = 0, z = 0, p = 1 */
    ck_assert_int_eq(mg_delong_paired(s, s, y, N, &p, &err), 0);
    ck_assert(p.delta == 0.0 && p.delta_se == 0.0 && p.z == 0.0 && p.p_value == 1.0);
    ck_close(p.covariance, p.var1, 1e-14);
    ck_assert_int_eq(mg_delong_paired(s, mono, y, N, &p, &err), 0);
    ck_assert(p.delta == 0.0 && p.delta_se == 0.0 && p.z == 0.0 && p.p_value == 1.0);
    /* swapping the models flips z and keeps p */
    ck_assert_int_eq(mg_delong_paired(s, s2, y, N, &p, &err), 0);
    ck_assert_int_eq(mg_delong_paired(s2, s, y, N, &q, &err), 0);
    ck_close(q.z, -p.z, 1e-14);
    ck_close(q.p_value, p.p_value, 1e-14);
    ck_assert(p.p_value > 0.0 && p.p_value <= 1.0);
    /* the interval holds the AUC */
    {
        mg_interval iv;
        ck_assert_int_eq(mg_delong_interval(&a, 0.95, &iv, &err), 0);
        ck_assert(iv.low < a.auc && a.auc < iv.high);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(core_delong_million_rows)
{
    /* 10^6 rows on 1000 score levels; oracle: the same sums per level from counts
     * (no sort), O(levels). */
    enum { N = 1000000, L = 1000 };
    double *s = malloc(N * sizeof *s);
    unsigned char *y = malloc(N);
    static double cnt[2][L];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double n1 = 0, n0 = 0, below[2] = {0, 0}, twice_u = 0, auc, s10 = 0, s01 = 0;
    double v10[L], v01[L];
    mg_delong_result d;
    mg_error err = MG_ERROR_INIT;
    size_t i;

    ck_assert(s && y && r);
    gsl_rng_set(r, 99);
    memset(cnt, 0, sizeof cnt);
    for (i = 0; i < N; i++) {
        unsigned lev = (unsigned)gsl_rng_uniform_int(r, L);
        y[i] = (unsigned char)(gsl_rng_uniform(r) < 0.1 + 0.8 * lev / (double)L);
        s[i] = (double)lev / 7.0;
        cnt[y[i]][lev] += 1.0;
    }
    for (i = 0; i < L; i++) {
        n1 += cnt[1][i];
        n0 += cnt[0][i];
    }
    for (i = 0; i < L; i++) {
        v10[i] = (below[0] + 0.5 * cnt[0][i]) / n0;
        v01[i] = (n1 - below[1] - 0.5 * cnt[1][i]) / n1;
        twice_u += cnt[1][i] * (2.0 * below[0] + cnt[0][i]);
        below[0] += cnt[0][i];
        below[1] += cnt[1][i];
    }
    auc = twice_u / (2.0 * n1 * n0);
    for (i = 0; i < L; i++) {
        s10 += cnt[1][i] * (v10[i] - auc) * (v10[i] - auc);
        s01 += cnt[0][i] * (v01[i] - auc) * (v01[i] - auc);
    }
    ck_assert_int_eq(mg_delong(s, y, N, &d, &err), 0);
    ck_close(d.auc, auc, 1e-15);
    ck_close(d.variance, s10 / ((n1 - 1) * n1) + s01 / ((n0 - 1) * n0), 1e-9);
    free(s);
    free(y);
    gsl_rng_free(r);
}
END_TEST

START_TEST(core_mcnemar_by_hand_and_oracle)
{
    unsigned b, c;

    ck_assert(mg_mcnemar_exact(0, 0) == 1.0);
    ck_assert(mg_mcnemar_exact(7, 7) == 1.0);
    ck_assert(mg_mcnemar_exact(0, 5) == 0.0625);
    ck_assert(mg_mcnemar_exact(5, 0) == 0.0625);
    /* 2·(1 + 15 + 105 + 455)/2^15 */
    ck_close(mg_mcnemar_exact(3, 12), 1152.0 / 32768.0, 1e-14);
    ck_assert(mg_mcnemar_exact(0, 2000) == 0.0); /* 2^-1999 underflows, as in R */
    for (b = 0; b <= 31; b++)
        for (c = 0; c <= 31; c++) {
            double p = mg_mcnemar_exact(b, c);
            ck_assert_msg(tu_close(p, exact_mcnemar_small(b, c), 1e-13),
                          "b %u c %u: %.17g vs %.17g", b, c, p,
                          exact_mcnemar_small(b, c));
            ck_assert(p == mg_mcnemar_exact(c, b));
        }
}
END_TEST

START_TEST(core_mcnemar_large_counts)
{
    /* Monotone in the imbalance, within (0, 1], and continuous across the switch to
     * the normal approximation at 2^36 pairs. */
    unsigned long n2 = 1UL << 35, d;
    double prev = 0.0;

    for (d = 0; d <= 20; d++) {
        double p = mg_mcnemar_exact(n2 - d * 100000UL, n2 + d * 100000UL);
        ck_assert(p > 0.0 && p <= 1.0);
        if (d > 0)
            ck_assert(p < prev);
        prev = p;
    }
    {
        /* just below and above 2^36 pairs, same z */
        double below = mg_mcnemar_exact(n2 - 200000UL, n2 + 199999UL);
        double above = mg_mcnemar_exact(n2 - 199999UL, n2 + 200001UL);
        ck_close(below, above, 1e-4);
    }
}
END_TEST

/* ---------------------------------------------------------------------------------
 * edge
 */

START_TEST(edge_invalid_confidence_and_empty)
{
    const double x[3] = {1, 2, 3};
    const double bad[5] = {0.0, 1.0, -0.5, 1.5, NAN};
    mg_delong_result d = {0.7, 0.01};
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;
    size_t i;

    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(mg_interval_percentile(x, 3, bad[i], &iv, &err), MG_EINVAL);
        ck_assert_int_eq(mg_interval_basic(x, 3, 2, bad[i], &iv, &err), MG_EINVAL);
        ck_assert_int_eq(mg_interval_bca(x, 3, 2, 0, bad[i], &iv, &err), MG_EINVAL);
        ck_assert_int_eq(mg_interval_wilson(1, 3, bad[i], &iv, &err), MG_EINVAL);
        ck_assert_int_eq(mg_delong_interval(&d, bad[i], &iv, &err), MG_EINVAL);
        ck_assert_int_eq(mg_delong_interval_logit(&d, bad[i], &iv, &err), MG_EINVAL);
    }
    ck_assert_str_eq(err.message, "confidence nan is outside (0, 1)");
    ck_assert_int_eq(mg_interval_percentile(x, 0, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_basic(x, 0, 2, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_bca(x, 0, 2, 0, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_bca(NULL, 0, 2, 0, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_str_eq(err.message, "no bootstrap replicates");
    ck_assert_int_eq(mg_interval_percentile(x, 3, 0.9, NULL, NULL), MG_EINVAL);
}
END_TEST

START_TEST(edge_bad_replicates_and_estimates)
{
    const double unsorted[3] = {1, 3, 2};
    const double with_nan[3] = {1, 2, NAN};
    const double x[3] = {1, 2, 3};
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_interval_percentile(unsorted, 3, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_bca(with_nan, 3, 2, 0, 0.9, &iv, &err), MG_ENUMERIC);
    ck_assert_str_eq(err.message, "bootstrap replicate 2 is not finite");
    ck_assert_int_eq(mg_interval_basic(x, 3, NAN, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_bca(x, 3, INFINITY, 0, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_bca(x, 3, 2, NAN, 0.9, &iv, &err), MG_EINVAL);
    ck_assert_str_eq(err.message, "acceleration is not finite");
}
END_TEST

START_TEST(edge_bca_degenerate)
{
    const double same[4] = {0.7, 0.7, 0.7, 0.7};
    const double above[3] = {1.5, 2, 3};
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    /* every replicate equals θ̂: ties count ½ → z0 = 0 → [θ̂, θ̂] */
    ck_assert_int_eq(mg_interval_bca(same, 4, 0.7, 0.05, 0.95, &iv, &err), 0);
    ck_assert(iv.low == 0.7 && iv.high == 0.7);
    ck_assert_int_eq(mg_interval_bca(above, 3, 1.0, 0.0, 0.95, &iv, &err), MG_ENUMERIC);
    ck_assert_int_eq(err.code, MG_ENUMERIC);
    ck_assert_str_eq(
        err.message,
        "every bootstrap replicate lies above the estimate; BCa is undefined");
    ck_assert_int_eq(mg_interval_bca(above, 3, 3.5, 0.0, 0.95, &iv, &err), MG_ENUMERIC);
    ck_assert_str_eq(
        err.message,
        "every bootstrap replicate lies below the estimate; BCa is undefined");
    /* a replicate tied with θ̂ at the edge is enough: p = ½/3 */
    ck_assert_int_eq(mg_interval_bca(above, 3, 1.5, 0.0, 0.95, &iv, &err), 0);
    ck_assert(iv.low >= 1.5 && iv.high <= 3.0);
    /* acceleration so large that 1 − a(z0 + z) ≤ 0 */
    ck_assert_int_eq(mg_interval_bca(above, 3, 2.0, 0.9, 0.95, &iv, &err), MG_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(err.message, "too large for BCa"));
}
END_TEST

START_TEST(edge_wilson)
{
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_interval_wilson(0, 0, 0.95, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_wilson(4, 3, 0.95, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_wilson(-1, 3, 0.95, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_wilson(NAN, 3, 0.95, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_wilson(1, INFINITY, 0.95, &iv, &err), MG_EINVAL);
    ck_assert_int_eq(mg_interval_wilson(0, 25, 0.95, &iv, &err), 0);
    ck_assert(iv.low == 0.0 && iv.high > 0.0 && iv.high < 1.0);
    ck_assert_int_eq(mg_interval_wilson(25, 25, 0.95, &iv, &err), 0);
    ck_assert(iv.high == 1.0 && iv.low > 0.0 && iv.low < 1.0);
}
END_TEST

START_TEST(edge_delong)
{
    const double s[5] = {0.1, 0.4, 0.35, 0.8, 0.5};
    const double s_nan[5] = {0.1, 0.4, NAN, 0.8, 0.5};
    const unsigned char y1[5] = {0, 0, 1, 0, 0};
    const unsigned char y2[5] = {0, 2, 1, 1, 0};
    const unsigned char y[5] = {0, 0, 1, 1, 0};
    mg_delong_result d;
    mg_delong_paired_result p;
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_delong(s, y1, 5, &d, &err), MG_ENUMERIC);
    ck_assert_str_eq(err.message, "DeLong's variance needs at least two positive and "
                                  "two negative rows (got 1 and 4)");
    ck_assert_int_eq(mg_delong(s, y1, 0, &d, &err), MG_ENUMERIC);
    ck_assert_int_eq(mg_delong(s, y2, 5, &d, &err), MG_EINVAL);
    ck_assert_int_eq(mg_delong(s_nan, y, 5, &d, &err), MG_EDATA);
    ck_assert_int_eq(mg_delong_paired(s, s_nan, y, 5, &p, &err), MG_EDATA);
    ck_assert_int_eq(mg_delong(NULL, y, 5, &d, &err), MG_EINVAL);
    /* ±∞ are ordinary extreme scores */
    {
        const double inf[4] = {-INFINITY, 0.0, INFINITY, 1.0};
        const unsigned char yi[4] = {0, 0, 1, 1};
        ck_assert_int_eq(mg_delong(inf, yi, 4, &d, &err), 0);
        ck_assert(d.auc == 1.0 && d.variance == 0.0);
    }
    /* all scores tied: AUC ½, variance 0, interval [½, ½] */
    {
        const double tied[4] = {3, 3, 3, 3};
        const unsigned char yi[4] = {0, 1, 0, 1};
        ck_assert_int_eq(mg_delong(tied, yi, 4, &d, &err), 0);
        ck_assert(d.auc == 0.5 && d.variance == 0.0);
        ck_assert_int_eq(mg_delong_interval(&d, 0.95, &iv, &err), 0);
        ck_assert(iv.low == 0.5 && iv.high == 0.5);
        ck_assert_int_eq(mg_delong_interval_logit(&d, 0.95, &iv, &err), 0);
        ck_assert(iv.low == 0.5 && iv.high == 0.5);
    }
    /* separated classes: an AUC of 1 has no logit-scale interval */
    {
        const double separated[4] = {0, 1, 0, 1};
        const unsigned char yi[4] = {0, 1, 0, 1};
        ck_assert_int_eq(mg_delong(separated, yi, 4, &d, &err), 0);
        ck_assert(d.auc == 1.0 && d.variance == 0.0);
        ck_assert_int_eq(mg_delong_interval_logit(&d, 0.95, &iv, &err), MG_ENUMERIC);
        ck_assert_str_eq(err.message, "an AUC of 1 has no logit-scale interval");
    }
    /* a perfect score against a constant one: Δ = ½ with zero standard error */
    {
        const double perfect[4] = {0, 1, 0, 1}, constant[4] = {2, 2, 2, 2};
        const unsigned char yi[4] = {0, 1, 0, 1};
        ck_assert_int_eq(mg_delong_paired(perfect, constant, yi, 4, &p, &err),
                         MG_ENUMERIC);
        ck_assert_ptr_nonnull(strstr(err.message, "zero standard error"));
        ck_assert(p.delta == 0.5 && p.delta_se == 0.0);
    }
    /* the normal interval is clipped to [0, 1] */
    d.auc = 0.99;
    d.variance = 0.01;
    ck_assert_int_eq(mg_delong_interval(&d, 0.95, &iv, &err), 0);
    ck_assert(iv.high == 1.0 && iv.low < 0.99);
    d.auc = 0.02;
    ck_assert_int_eq(mg_delong_interval(&d, 0.95, &iv, &err), 0);
    ck_assert(iv.low == 0.0);
    d.variance = -1.0;
    ck_assert_int_eq(mg_delong_interval(&d, 0.95, &iv, &err), MG_EINVAL);
}
END_TEST

START_TEST(edge_bootstrap_p_value_empty)
{
    ck_assert(mg_bootstrap_p_value(NULL, 0) == 1.0);
}
END_TEST

/* ---------------------------------------------------------------------------------
 * reference
 */

/* pROC's numbers for one marker of aSAH: AUC, variance, the symmetric DeLong
 * interval and the logit-scale one, each at 95 % and 90 %. */
typedef struct {
    double auc, var, ci[2][2], logit[2][2];
} asah_expected;

#define ASAH_EXPECTED(P)                                                               \
    {                                                                                  \
        ASAH_##P##_AUC, ASAH_##P##_VAR,                                                \
            {{ASAH_##P##_CI95_LOW, ASAH_##P##_CI95_HIGH},                              \
             {ASAH_##P##_CI90_LOW, ASAH_##P##_CI90_HIGH}},                             \
        {                                                                              \
            {ASAH_##P##_LOGIT95_LOW, ASAH_##P##_LOGIT95_HIGH},                         \
            {                                                                          \
                ASAH_##P##_LOGIT90_LOW, ASAH_##P##_LOGIT90_HIGH                        \
            }                                                                          \
        }                                                                              \
    }

static void check_asah_single(const double *score, const asah_expected *want)
{
    static const double levels[2] = {0.95, 0.90};
    mg_delong_result d;
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_delong(score, asah_outcome, ASAH_N, &d, &err), 0);
    ck_close(d.auc, want->auc, DELONG_TOL);
    ck_close(d.variance, want->var, DELONG_TOL);
    for (int l = 0; l < 2; l++) {
        ck_assert_int_eq(mg_delong_interval(&d, levels[l], &iv, &err), 0);
        ck_close(iv.low, want->ci[l][0], DELONG_TOL);
        ck_close(iv.high, want->ci[l][1], DELONG_TOL);
        ck_assert_int_eq(mg_delong_interval_logit(&d, levels[l], &iv, &err), 0);
        ck_close(iv.low, want->logit[l][0], DELONG_TOL);
        ck_close(iv.high, want->logit[l][1], DELONG_TOL);
        /* asymmetric the right way: wider below an AUC above ½ */
        ck_assert(d.auc - iv.low > iv.high - d.auc);
    }
}

START_TEST(reference_proc_asah)
{
    static const asah_expected s100b = ASAH_EXPECTED(S100B), wfns = ASAH_EXPECTED(WFNS),
                               ndka = ASAH_EXPECTED(NDKA);
    mg_delong_paired_result p;
    mg_error err = MG_ERROR_INIT;

    check_asah_single(asah_s100b, &s100b);
    check_asah_single(asah_wfns, &wfns);
    check_asah_single(asah_ndka, &ndka);

    ck_assert_int_eq(
        mg_delong_paired(asah_s100b, asah_wfns, asah_outcome, ASAH_N, &p, &err), 0);
    ck_close(p.auc1, ASAH_S100B_AUC, DELONG_TOL);
    ck_close(p.auc2, ASAH_WFNS_AUC, DELONG_TOL);
    ck_close(p.var1, ASAH_S100B_VAR, DELONG_TOL);
    ck_close(p.var2, ASAH_WFNS_VAR, DELONG_TOL);
    ck_close(p.z, ASAH_S100B_WFNS_Z, DELONG_TOL);
    ck_close(p.p_value, ASAH_S100B_WFNS_P, DELONG_TOL);

    ck_assert_int_eq(
        mg_delong_paired(asah_s100b, asah_ndka, asah_outcome, ASAH_N, &p, &err), 0);
    ck_close(p.z, ASAH_S100B_NDKA_Z, DELONG_TOL);
    ck_close(p.p_value, ASAH_S100B_NDKA_P, DELONG_TOL);
}
END_TEST

/* Our three intervals from SciPy's replicates against SciPy's, at one confidence. */
static void check_scipy(const double *sorted, double theta, double a, double conf,
                        const double want[6])
{
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_interval_percentile(sorted, SCIPY_B, conf, &iv, &err), 0);
    ck_close(iv.low, want[0], EXACT_TOL);
    ck_close(iv.high, want[1], EXACT_TOL);
    ck_assert_int_eq(mg_interval_basic(sorted, SCIPY_B, theta, conf, &iv, &err), 0);
    ck_close(iv.low, want[2], EXACT_TOL);
    ck_close(iv.high, want[3], EXACT_TOL);
    ck_assert_int_eq(mg_interval_bca(sorted, SCIPY_B, theta, a, conf, &iv, &err), 0);
    ck_close(iv.low, want[4], EXACT_TOL);
    ck_close(iv.high, want[5], EXACT_TOL);
}

START_TEST(reference_scipy_mean)
{
    const double want95[6] = {SCIPY_MEAN_PERC95_LOW,  SCIPY_MEAN_PERC95_HIGH,
                              SCIPY_MEAN_BASIC95_LOW, SCIPY_MEAN_BASIC95_HIGH,
                              SCIPY_MEAN_BCA95_LOW,   SCIPY_MEAN_BCA95_HIGH};
    const double want90[6] = {SCIPY_MEAN_PERC90_LOW,  SCIPY_MEAN_PERC90_HIGH,
                              SCIPY_MEAN_BASIC90_LOW, SCIPY_MEAN_BASIC90_HIGH,
                              SCIPY_MEAN_BCA90_LOW,   SCIPY_MEAN_BCA90_HIGH};
    double *sorted = sorted_copy(scipy_mean_replicates, SCIPY_B), theta, a;

    a = mean_acceleration(scipy_mean_sample, SCIPY_MEAN_N, &theta);
    ck_close(theta, SCIPY_MEAN_ESTIMATE, 1e-15);
    ck_close(a, SCIPY_MEAN_ACCELERATION, EXACT_TOL);
    check_scipy(sorted, theta, a, 0.95, want95);
    check_scipy(sorted, theta, a, 0.90, want90);
    free(sorted);
}
END_TEST

START_TEST(reference_scipy_proportion)
{
    /* 0/1 data: replicates sit on a lattice of 1/60 and many tie with θ̂ = 0.25,
     * which exercises the ½ weight of ties in z0. */
    const double want95[6] = {SCIPY_PROP_PERC95_LOW,  SCIPY_PROP_PERC95_HIGH,
                              SCIPY_PROP_BASIC95_LOW, SCIPY_PROP_BASIC95_HIGH,
                              SCIPY_PROP_BCA95_LOW,   SCIPY_PROP_BCA95_HIGH};
    const double want90[6] = {SCIPY_PROP_PERC90_LOW,  SCIPY_PROP_PERC90_HIGH,
                              SCIPY_PROP_BASIC90_LOW, SCIPY_PROP_BASIC90_HIGH,
                              SCIPY_PROP_BCA90_LOW,   SCIPY_PROP_BCA90_HIGH};
    double *sorted = sorted_copy(scipy_prop_replicates, SCIPY_B), theta, a;

    a = mean_acceleration(scipy_prop_sample, SCIPY_PROP_N, &theta);
    ck_assert(theta == SCIPY_PROP_ESTIMATE);
    ck_close(a, SCIPY_PROP_ACCELERATION, EXACT_TOL);
    check_scipy(sorted, theta, a, 0.95, want95);
    check_scipy(sorted, theta, a, 0.90, want90);
    free(sorted);
}
END_TEST

/* |ours − R| within 4 combined Monte Carlo standard deviations. */
static void check_mc(const char *what, double ours, double r, double sd_ours)
{
    double sd_r = sd_ours * sqrt((double)SCIPY_MC_B / (double)R_MEAN_BOOT_B);
    double tol = 4.0 * sqrt(sd_ours * sd_ours + sd_r * sd_r);
    ck_assert_msg(fabs(ours - r) <= tol,
                  "%s: ours %.10g, R %.10g, |diff| %.3g > tol %.3g", what, ours, r,
                  fabs(ours - r), tol);
}

START_TEST(reference_boot_mean)
{
    /*
     * Our BCa from our own replicates against boot.ci's from R's. The two disagree
     * only by Monte Carlo error: the data are continuous, so no replicate ties θ̂
     * and R's z0 = Φ⁻¹(#{θ* < θ̂}/B) is ours; norm.inter and type 7 differ by
     * O(1/B) of the spread. The tolerance is 4 standard deviations of the difference,
     * from the endpoint spreads measured offline for B = 200000
     * (SCIPY_MC_SD_*, about 0.5 % to 1.3 % of the bootstrap standard error of
     * 0.164) and scaled by √(200000/10^6) for R's 10^6 replicates. That is far
     * tighter than the gap between BCa and the percentile interval here (0.04 and
     * 0.08), which the test also asserts, so passing one off as the other fails.
     */
    double *t =
        bootstrap_means(scipy_mean_sample, SCIPY_MEAN_N, SCIPY_MC_B, 20240611UL);
    double theta, a = mean_acceleration(scipy_mean_sample, SCIPY_MEAN_N, &theta);
    mg_interval pc, bs, bca;
    mg_error err = MG_ERROR_INIT;

    ck_close(a, R_MEAN_ACCELERATION, 1e-12);

    ck_assert_int_eq(mg_interval_percentile(t, SCIPY_MC_B, 0.95, &pc, &err), 0);
    ck_assert_int_eq(mg_interval_basic(t, SCIPY_MC_B, theta, 0.95, &bs, &err), 0);
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, theta, a, 0.95, &bca, &err), 0);
    check_mc("perc95 low", pc.low, R_MEAN_PERC95_LOW, SCIPY_MC_SD_PERC95_LOW);
    check_mc("perc95 high", pc.high, R_MEAN_PERC95_HIGH, SCIPY_MC_SD_PERC95_HIGH);
    check_mc("basic95 low", bs.low, R_MEAN_BASIC95_LOW, SCIPY_MC_SD_BASIC95_LOW);
    check_mc("basic95 high", bs.high, R_MEAN_BASIC95_HIGH, SCIPY_MC_SD_BASIC95_HIGH);
    check_mc("bca95 low", bca.low, R_MEAN_BCA95_LOW, SCIPY_MC_SD_BCA95_LOW);
    check_mc("bca95 high", bca.high, R_MEAN_BCA95_HIGH, SCIPY_MC_SD_BCA95_HIGH);
    /* the test can tell BCa from percentile */
    ck_assert(fabs(R_MEAN_BCA95_LOW - R_MEAN_PERC95_LOW) > 10 * SCIPY_MC_SD_BCA95_LOW);
    ck_assert(fabs(R_MEAN_BCA95_HIGH - R_MEAN_PERC95_HIGH) >
              10 * SCIPY_MC_SD_BCA95_HIGH);

    ck_assert_int_eq(mg_interval_percentile(t, SCIPY_MC_B, 0.90, &pc, &err), 0);
    ck_assert_int_eq(mg_interval_basic(t, SCIPY_MC_B, theta, 0.90, &bs, &err), 0);
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, theta, a, 0.90, &bca, &err), 0);
    check_mc("perc90 low", pc.low, R_MEAN_PERC90_LOW, SCIPY_MC_SD_PERC90_LOW);
    check_mc("perc90 high", pc.high, R_MEAN_PERC90_HIGH, SCIPY_MC_SD_PERC90_HIGH);
    check_mc("basic90 low", bs.low, R_MEAN_BASIC90_LOW, SCIPY_MC_SD_BASIC90_LOW);
    check_mc("basic90 high", bs.high, R_MEAN_BASIC90_HIGH, SCIPY_MC_SD_BASIC90_HIGH);
    check_mc("bca90 low", bca.low, R_MEAN_BCA90_LOW, SCIPY_MC_SD_BCA90_LOW);
    check_mc("bca90 high", bca.high, R_MEAN_BCA90_HIGH, SCIPY_MC_SD_BCA90_HIGH);
    free(t);
}
END_TEST

START_TEST(reference_boot_proportion)
{
    /*
     * On lattice data the tie rule decides BCa. R counts replicates equal to θ̂ as
     * above it; we count them ½ (as SciPy). Its endpoints here land a full lattice
     * step (1/60) below ours. Moving θ̂ just below 0.25, so that no replicate ties
     * it, makes our p̂ = #{θ* < 0.25}/B, R's rule, and then our BCa is R's exactly:
     * the only difference is the tie convention. The adjusted levels sit at least
     * five Monte Carlo standard deviations from a lattice jump (checked offline from
     * the exact Binomial(60, 1/4) distribution), so the lattice values are stable.
     */
    double *t = bootstrap_means(scipy_prop_sample, SCIPY_PROP_N, SCIPY_MC_B, 7UL);
    double theta, a = mean_acceleration(scipy_prop_sample, SCIPY_PROP_N, &theta);
    double below = nextafter(theta, 0.0);
    const double step = 1.0 / 60.0;
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;

    ck_close(a, R_PROP_ACCELERATION, 1e-12);
    ck_assert_int_eq(mg_interval_percentile(t, SCIPY_MC_B, 0.95, &iv, &err), 0);
    ck_close(iv.low, R_PROP_PERC95_LOW, 1e-12);
    ck_close(iv.high, R_PROP_PERC95_HIGH, 1e-12);
    ck_assert_int_eq(mg_interval_basic(t, SCIPY_MC_B, theta, 0.95, &iv, &err), 0);
    ck_close(iv.low, R_PROP_BASIC95_LOW, 1e-12);
    ck_close(iv.high, R_PROP_BASIC95_HIGH, 1e-12);

    /* R's tie rule: equal to R */
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, below, a, 0.95, &iv, &err), 0);
    ck_close(iv.low, R_PROP_BCA95_LOW, 1e-12);
    ck_close(iv.high, R_PROP_BCA95_HIGH, 1e-12);
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, below, a, 0.90, &iv, &err), 0);
    ck_close(iv.low, R_PROP_BCA90_LOW, 1e-12);
    ck_close(iv.high, R_PROP_BCA90_HIGH, 1e-12);
    /* ours: one lattice step up at both ends */
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, theta, a, 0.95, &iv, &err), 0);
    ck_close(iv.low, R_PROP_BCA95_LOW + step, 1e-12);
    ck_close(iv.high, R_PROP_BCA95_HIGH + step, 1e-12);
    ck_assert_int_eq(mg_interval_bca(t, SCIPY_MC_B, theta, a, 0.90, &iv, &err), 0);
    ck_close(iv.low, R_PROP_BCA90_LOW + step, 1e-12);
    ck_close(iv.high, R_PROP_BCA90_HIGH + step, 1e-12);
    free(t);
}
END_TEST

START_TEST(reference_wilson)
{
    size_t i;

    for (i = 0; i < sizeof r_wilson / sizeof r_wilson[0]; i++) {
        mg_interval iv;
        mg_error err = MG_ERROR_INIT;
        const double *w = r_wilson[i];

        ck_assert_int_eq(mg_interval_wilson(w[0], w[1], w[2], &iv, &err), 0);
        ck_assert_msg(tu_close(iv.low, w[3], 1e-12) && tu_close(iv.high, w[4], 1e-12),
                      "Wilson %g/%g at %g: [%.17g, %.17g], R [%.17g, %.17g]", w[0],
                      w[1], w[2], iv.low, iv.high, w[3], w[4]);
    }
}
END_TEST

START_TEST(reference_clopper_pearson)
{
    for (size_t i = 0; i < sizeof r_clopper_pearson / sizeof r_clopper_pearson[0];
         i++) {
        mg_interval iv;
        mg_error err = MG_ERROR_INIT;
        const double *w = r_clopper_pearson[i];

        ck_assert_int_eq(mg_interval_clopper_pearson(w[0], w[1], w[2], &iv, &err), 0);
        ck_assert_msg(tu_close(iv.low, w[3], 1e-12) && tu_close(iv.high, w[4], 1e-12),
                      "Clopper-Pearson %g/%g at %g: [%.17g, %.17g], R [%.17g, %.17g]",
                      w[0], w[1], w[2], iv.low, iv.high, w[3], w[4]);
    }
}
END_TEST

/*
 * One p-value, one interval: the p-value for Δ = 0 is 1 minus the level at which
 * the same method's interval reaches 0. So at a level a little below 1 − p the
 * interval excludes 0, and a little above it includes 0. Checked on skewed
 * replicate sets with acceleration and bias, for percentile, basic and BCa.
 */
START_TEST(core_p_values_invert_intervals)
{
    enum { B = 4000 };
    static double x[B];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    size_t checked = 0;

    gsl_rng_set(rng, 11);
    for (int trial = 0; trial < 200; trial++) {
        double shift = gsl_ran_gaussian(rng, 1.5), a = gsl_ran_flat(rng, -0.1, 0.1);
        double est = shift + gsl_ran_gaussian(rng, 0.2);
        for (size_t i = 0; i < B; i++)
            x[i] = shift + gsl_ran_gamma(rng, 3, 1) - 3;
        qsort(x, B, sizeof *x, cmp_double);
        for (int method = 0; method < 3; method++) {
            double p = method == 0   ? mg_bootstrap_p_value(x, B)
                       : method == 1 ? mg_bootstrap_p_value_basic(x, B, est)
                                     : mg_bootstrap_p_value_bca(x, B, est, a);
            mg_error err = MG_ERROR_INIT;
            mg_interval narrow, wide;
            double l_narrow, l_wide;
            if (!(p > 0.02 && p < 0.8))
                continue;
            l_narrow = 1 - p * 1.1;
            l_wide = 1 - p * 0.9;
            if (method == 0) {
                ck_assert_int_eq(mg_interval_percentile(x, B, l_narrow, &narrow, &err),
                                 0);
                ck_assert_int_eq(mg_interval_percentile(x, B, l_wide, &wide, &err), 0);
            } else if (method == 1) {
                ck_assert_int_eq(mg_interval_basic(x, B, est, l_narrow, &narrow, &err),
                                 0);
                ck_assert_int_eq(mg_interval_basic(x, B, est, l_wide, &wide, &err), 0);
            } else {
                ck_assert_int_eq(mg_interval_bca(x, B, est, a, l_narrow, &narrow, &err),
                                 0);
                ck_assert_int_eq(mg_interval_bca(x, B, est, a, l_wide, &wide, &err), 0);
            }
            ck_assert_msg(narrow.low > 0 || narrow.high < 0,
                          "method %d trial %d: p %.4g but 0 inside the %.4g interval "
                          "[%g, %g]",
                          method, trial, p, l_narrow, narrow.low, narrow.high);
            ck_assert_msg(wide.low <= 0 && wide.high >= 0,
                          "method %d trial %d: p %.4g but 0 outside the %.4g interval "
                          "[%g, %g]",
                          method, trial, p, l_wide, wide.low, wide.high);
            checked++;
        }
    }
    ck_assert_uint_gt(checked, 150);
    gsl_rng_free(rng);
}
END_TEST

START_TEST(reference_mcnemar)
{
    size_t i;

    for (i = 0; i < sizeof r_mcnemar / sizeof r_mcnemar[0]; i++) {
        const double *m = r_mcnemar[i];
        double p = mg_mcnemar_exact((unsigned long)m[0], (unsigned long)m[1]);
        ck_assert_msg(tu_close(p, m[2], 1e-12), "McNemar (%g, %g): %.17g, R %.17g",
                      m[0], m[1], p, m[2]);
    }
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *ref = tcase_create("reference");

    tcase_add_test(core, core_percentile_basic_by_hand);
    tcase_add_test(core, core_bca_with_no_bias_and_no_acceleration_is_percentile);
    tcase_add_test(core, core_bca_by_hand);
    tcase_add_test(core, core_intervals_contain_the_median_estimate);
    tcase_add_test(core, core_jackknife_acceleration);
    tcase_add_test(core, core_jackknife_acceleration_oracle);
    tcase_add_test(core, core_wilson_properties);
    tcase_add_test(core, core_bootstrap_p_value);
    tcase_add_test(core, core_delong_oracle);
    tcase_add_test(core, core_delong_properties);
    tcase_add_test(core, core_delong_million_rows);
    tcase_add_test(core, core_mcnemar_by_hand_and_oracle);
    tcase_add_test(core, core_mcnemar_large_counts);
    suite_add_tcase(s, core);

    tcase_add_test(edge, edge_invalid_confidence_and_empty);
    tcase_add_test(edge, edge_bad_replicates_and_estimates);
    tcase_add_test(edge, edge_bca_degenerate);
    tcase_add_test(edge, edge_wilson);
    tcase_add_test(edge, edge_delong);
    tcase_add_test(edge, edge_bootstrap_p_value_empty);
    suite_add_tcase(s, edge);

    tcase_add_test(ref, reference_proc_asah);
    tcase_add_test(ref, reference_scipy_mean);
    tcase_add_test(ref, reference_scipy_proportion);
    tcase_add_test(ref, reference_boot_mean);
    tcase_add_test(ref, reference_boot_proportion);
    tcase_add_test(ref, reference_wilson);
    tcase_add_test(ref, reference_mcnemar);
    tcase_add_test(ref, reference_clopper_pearson);
    tcase_add_test(core, core_p_values_invert_intervals);
    suite_add_tcase(s, ref);
    return s;
}

int main(void)
{
    return tu_run(stats_suite());
}
