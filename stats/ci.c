/*
 * Interval selection.
 *
 * Bootstrap intervals come from the replicates of the statistic itself: percentile,
 * basic, or BCa with the acceleration the engine's closed-form jackknife gives
 * (stats/intervals.c has the methods and their references). Where no closed-form
 * jackknife exists (average precision over clusters) BCa falls back to BC, the same
 * interval with a = 0, and says so. A replicate in which the statistic is undefined
 * (a resampled slice without positives) is left out and counted; when every
 * replicate is undefined there is no interval, and the reason says why.
 *
 * No interval is better than a false one: when every replicate is equal (a slice
 * whose recall is 1 in every resample) the bootstrap has no spread and the
 * percentile, basic and BCa intervals would all be [θ̂, θ̂]; and when fewer than
 * MG__CI_MIN_TAIL replicates lie beyond a quantile the interval reads (a 99.9 %
 * interval from 100 replicates, a Holm-adjusted level, BCa's adjusted levels near 0
 * or 1) its end is an extreme replicate, not a bound at the level. Both cases get
 * no interval and a reason; the runner decides what that means for a test (a
 * Clopper–Pearson interval for a proportion, inconclusive otherwise).
 *
 * Closed forms (interval: analytic) use the holdout rows: Wilson for a proportion
 * whose successes and trials the metric registry names, DeLong for an AUC (on the
 * logit scale, see stats/delong.c) and for a paired AUC difference.
 */
#include "stats/ci.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void start(mg__ci *out, mg_ci_method method, size_t replicates)
{
    memset(out, 0, sizeof *out);
    out->method = method;
    out->replicates = replicates;
}

/* Record the outcome of an interval method: the interval, or the reason. */
static void finish(mg__ci *out, int rc, const mg_interval *iv, const mg_error *err)
{
    if (rc != 0) {
        snprintf(out->reason, sizeof out->reason, "%s", err->message);
        out->method = MG_CI_NONE;
        return;
    }
    out->has_ci = 1;
    out->low = iv->low;
    out->high = iv->high;
}

void mg__ci_none(mg__ci *out, const char *fmt, ...)
{
    va_list ap;
    start(out, MG_CI_NONE, 0);
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
}

/* The replicate levels the interval reads its ends at. */
static int tail_levels(mg_interval_kind kind, const double *sorted, size_t k,
                       double estimate, const double *acceleration, double level,
                       double *lo, double *hi)
{
    mg_error err = MG_ERROR_INIT;
    if (kind == MG_INTERVAL_PERCENTILE || kind == MG_INTERVAL_BASIC) {
        *lo = (1 - level) / 2;
        *hi = 1 - *lo;
        return 0;
    }
    return mg_interval_bca_levels(sorted, k, estimate, acceleration ? *acceleration : 0,
                                  level, lo, hi, &err);
}

void mg__ci_bootstrap(mg__ci *out, mg_interval_kind kind, double *values, size_t k,
                      size_t replicates, double estimate, const double *acceleration,
                      double level)
{
    static const mg_ci_method methods[] = {[MG_INTERVAL_BCA] = MG_CI_BCA,
                                           [MG_INTERVAL_PERCENTILE] = MG_CI_PERCENTILE,
                                           [MG_INTERVAL_BASIC] = MG_CI_BASIC};
    static const char *titles[] = {[MG_INTERVAL_BCA] = "BCa",
                                   [MG_INTERVAL_PERCENTILE] = "percentile",
                                   [MG_INTERVAL_BASIC] = "basic"};
    mg_error err = MG_ERROR_INIT;
    mg_interval iv;
    double lo, hi, tail;
    int rc;

    start(out, methods[kind], replicates);
    out->undefined = replicates - k;
    if (k == 0) {
        mg__ci_none(out, "undefined in all %zu bootstrap replicates", replicates);
        out->replicates = replicates;
        out->undefined = replicates;
        return;
    }
    qsort(values, k, sizeof *values, cmp_double);
    if (kind == MG_INTERVAL_BCA) {
        out->has_acceleration = acceleration != NULL;
        out->acceleration = acceleration ? *acceleration : 0;
    }
    if (values[0] == values[k - 1]) {
        out->degenerate = 1;
        snprintf(out->reason, sizeof out->reason,
                 "every one of the %zu bootstrap replicates equals %.6g, so the data "
                 "give no spread to build an interval from",
                 k, values[0]);
        return;
    }
    if (tail_levels(kind, values, k, estimate, acceleration, level, &lo, &hi) == 0 &&
        (tail = fmin(lo, 1 - hi)) * (double)k < MG__CI_MIN_TAIL) {
        out->needed = (size_t)ceil(MG__CI_MIN_TAIL / fmax(tail, 1e-12));
        snprintf(out->reason, sizeof out->reason,
                 "the %g%% %s interval reads its ends at replicate levels %.2g and "
                 "%.4g, which %zu replicates cannot resolve (fewer than %d beyond an "
                 "end); it needs about %zu replicates",
                 100 * level, titles[kind], lo, hi, k, MG__CI_MIN_TAIL, out->needed);
        return;
    }
    switch (kind) {
    case MG_INTERVAL_PERCENTILE:
        rc = mg_interval_percentile(values, k, level, &iv, &err);
        break;
    case MG_INTERVAL_BASIC:
        rc = mg_interval_basic(values, k, estimate, level, &iv, &err);
        break;
    default:
        if (acceleration == NULL)
            out->method = MG_CI_BC;
        rc = mg_interval_bca(values, k, estimate, acceleration ? *acceleration : 0,
                             level, &iv, &err);
        break;
    }
    finish(out, rc, &iv, &err);
}

void mg__ci_clopper_pearson(mg__ci *out, double successes, double trials, double level)
{
    mg_error err = MG_ERROR_INIT;
    mg_interval iv;
    start(out, MG_CI_CLOPPER_PEARSON, 0);
    finish(out, mg_interval_clopper_pearson(successes, trials, level, &iv, &err), &iv,
           &err);
}

void mg__ci_wilson(mg__ci *out, double successes, double trials, double level)
{
    mg_error err = MG_ERROR_INIT;
    mg_interval iv;
    start(out, MG_CI_WILSON, 0);
    finish(out, mg_interval_wilson(successes, trials, level, &iv, &err), &iv, &err);
}

int mg__ci_delong(mg__ci *out, const double *scores, const unsigned char *labels,
                  size_t n, double level)
{
    mg_error err = MG_ERROR_INIT;
    mg_delong_result dr;
    mg_interval iv;
    int rc;
    start(out, MG_CI_DELONG_LOGIT, 0);
    rc = mg_delong(scores, labels, n, &dr, &err);
    if (rc == MG_ENOMEM)
        return rc;
    if (rc == 0 && !(dr.variance > 0)) {
        mg__ci_none(out,
                    "the DeLong variance is 0 (auc %.6g), so the data give no "
                    "spread to build an interval from",
                    dr.auc);
        out->degenerate = 1;
        return 0;
    }
    /* A positive variance puts the AUC strictly inside (0, 1). */
    if (rc == 0)
        rc = mg_delong_interval_logit(&dr, level, &iv, &err);
    finish(out, rc, &iv, &err);
    return 0;
}

int mg__ci_delong_paired(mg__ci *out, const double *scores1, const double *scores2,
                         const unsigned char *labels, size_t n, double sign,
                         double level)
{
    mg_error err = MG_ERROR_INIT;
    mg_delong_paired_result pr;
    mg_interval iv;
    int rc;
    start(out, MG_CI_DELONG, 0);
    rc = mg_delong_paired(scores1, scores2, labels, n, &pr, &err);
    if (rc == 0) {
        pr.delta *= sign;
        rc = mg_delong_paired_interval(&pr, level, &iv, &err);
    }
    if (rc == MG_ENOMEM)
        return rc;
    finish(out, rc, &iv, &err);
    return 0;
}

/*
 * Where each method held its level in simulation (docs/statistics.md, tables e and
 * f: the calibrated binormal model at prevalence 0.3, n = 50, 100, 200 and 1,000,
 * K = 1,000 data sets per cell). A method is listed for a metric family with the
 * smallest effective size (the case's units: the smaller class for a rank metric,
 * the metric's own trials for a proportion, rows for a mean) from which no simulated
 * cell erred beyond three Monte Carlo errors of its target: a one-sided error above
 * 0.071 where 0.05 was claimed (table f), a two-sided coverage of 0 below 0.93 for a
 * paired difference (table e). Three errors, not two, because each method has some
 * twenty cells and one of them would pass two by chance. Between two simulated
 * sizes the larger is taken. BCa for one statistic, Wilson and the logit DeLong
 * interval stayed within it everywhere; Clopper–Pearson never errs above its level.
 *
 * Below that size the worst cell's one-sided error e says how far short the bound
 * fell: it sat z(1 − e) standard errors from the estimate where it should sit
 * z(level), so `widen` = z(level) / z(1 − e) is the factor by which the distance
 * from the estimate to the bound must grow for that cell to hold its level (for a
 * difference, from the worse tail of the two-sided 95 % interval).
 */
static const struct {
    mg_ci_method method;
    mg_family family;
    int difference;
    size_t from;
    double widen;
} reliable[] = {
    /* one statistic: table f */
    {MG_CI_PERCENTILE, MG_FAMILY_RANK, 0, 300, 1.62},       /* ap, 15: 0.155 */
    {MG_CI_PERCENTILE, MG_FAMILY_CONFUSION, 0, 1000, 1.20}, /* accuracy, 200: 0.084 */
    {MG_CI_PERCENTILE, MG_FAMILY_MEAN, 0, 1000, 1.24},      /* brier, 50 rows: 0.091 */
    {MG_CI_BASIC, MG_FAMILY_RANK, 0, 300, 2.22},            /* ap, 15: 0.229 */
    {MG_CI_BASIC, MG_FAMILY_CONFUSION, 0, 1000, 1.31},      /* accuracy, 100: 0.104 */
    {MG_CI_BASIC, MG_FAMILY_MEAN, 0, 1000, 1.36},           /* brier, 50 rows: 0.113 */
    /* a paired difference: table e */
    {MG_CI_BCA, MG_FAMILY_RANK, 1, 300, 1.19},   /* ap, 30: 0.049 above 0.025 */
    {MG_CI_BCA, MG_FAMILY_MEAN, 1, 200, 1.15},   /* brier, 100 rows: 0.044 */
    {MG_CI_BASIC, MG_FAMILY_RANK, 1, 300, 2.22}, /* not simulated: as for one */
    {MG_CI_BASIC, MG_FAMILY_CONFUSION, 1, 1000, 1.31},
    {MG_CI_BASIC, MG_FAMILY_MEAN, 1, 1000, 1.36},
};

int mg__ci_small_sample(mg_ci_method method, mg_family family, int difference,
                        size_t effective_size, size_t *from, double *widen)
{
    if (method == MG_CI_BC) /* BCa without an acceleration: at least BCa's limits */
        method = MG_CI_BCA;
    for (size_t i = 0; i < sizeof reliable / sizeof reliable[0]; i++)
        if (reliable[i].method == method && reliable[i].family == family &&
            reliable[i].difference == difference && effective_size < reliable[i].from) {
            *from = reliable[i].from;
            *widen = reliable[i].widen;
            return 1;
        }
    return 0;
}
