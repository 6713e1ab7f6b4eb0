/*
 * The interval of a gap across slices: the largest minus the smallest slice value,
 * G = max_s θ_s − min_s θ_s, which is also the largest difference of any pair.
 *
 * The plug-in estimate Ĝ is biased upward: the largest of k noisy slice values sits
 * above the largest true one, and the smallest below the smallest, so with equal
 * true values Ĝ is still positive. The bootstrap replicates of G inherit the bias
 * twice over (each replicate maximises noise around Ĝ, which already maximised it),
 * so the percentile interval of G* sits too high: a strict `max_gap` test would fail
 * gaps that are not there, and a lenient one would pass its false-failure rate on
 * to the user. Neither BCa's bias correction nor the basic interval repairs a
 * statistic that is not smooth where two slices tie (the max switches).
 *
 * The interval here does not resample G at all. It bounds every pairwise
 * difference D_ij = θ_i − θ_j at once, with the studentised maximum of the
 * bootstrap (the max-t method: Westfall & Young 1993, "Resampling-based multiple
 * testing", §2.6; Romano & Wolf 2005): with se_ij the bootstrap standard deviation
 * of D*_ij and c the level-L quantile of T* = max_{i<j} |D*_ij − D̂_ij| / se_ij, the
 * event "|D_ij − D̂_ij| <= c·se_ij for every pair" has probability about L. On that
 * event every D_ij lies in its band, so
 *
 *     max_ij (|D̂_ij| − c·se_ij)  <=  G  <=  max_ij (|D̂_ij| + c·se_ij),
 *
 * and each end is a one-sided bound at level L (at least), whichever pair is truly
 * the widest and however the estimate chose its pair. The lower end is clipped at
 * 0. The price is width: a simultaneous band over k(k − 1)/2 pairs is wider than
 * one pair's interval, more so with many slices. The replicates are the engine's,
 * shared by every slice, so the differences are paired and the pairs' correlation
 * is in T*.
 *
 * A ratio (min_ratio) is the same computation on log values: min/max =
 * exp(−G_log). A replicate in which a slice's value is 0 has an infinite log
 * difference, so its T* is infinite: it counts against the level instead of being
 * dropped, and when more than a share 1 − L of replicates have one there is no
 * finite bound. A replicate in which any slice's statistic is undefined (a
 * resampled slice without positives) is left out and counted.
 */
#include "stats/gap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mg__ci_max_gap(mg__ci *out, const double *est, const double *values, size_t S,
                   size_t B, double level, double *crit)
{
    unsigned char *ok = malloc(B ? B : 1);
    double *t = malloc((B ? B : 1) * sizeof *t);
    size_t P = S * (S - 1) / 2, k = 0, pair = 0;
    double *se = malloc((P ? P : 1) * sizeof *se), c, lo = 0, hi = 0;
    mg_interval iv;
    mg_error err = MG_ERROR_INIT;
    int rc = 0;

    memset(out, 0, sizeof *out);
    out->method = MG_CI_MAX_T;
    out->replicates = B;
    *crit = 0;
    if (ok == NULL || t == NULL || se == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    /* Replicates where every slice's statistic is defined. */
    for (size_t b = 0; b < B; b++) {
        ok[b] = 1;
        for (size_t s = 0; s < S && ok[b]; s++)
            ok[b] = !isnan(values[s * B + b]);
        k += ok[b];
        t[b] = 0;
    }
    out->undefined = B - k;
    if (k < 2) {
        mg__ci_none(out, "the gap is undefined in %zu of %zu bootstrap replicates",
                    B - k, B);
        out->method = MG_CI_MAX_T;
        out->replicates = B;
        out->undefined = B - k;
        goto cleanup;
    }
    /* Each pair's bootstrap standard deviation, then its studentised deviations. */
    for (size_t i = 0; i < S; i++)
        for (size_t j = i + 1; j < S; j++, pair++) {
            const double *vi = values + i * B, *vj = values + j * B;
            double d0 = est[i] - est[j], m = 0, m2 = 0, n = 0;
            for (size_t b = 0; b < B; b++) {
                double d = vi[b] - vj[b], delta;
                if (!ok[b] || !isfinite(d))
                    continue;
                n++;
                delta = d - m;
                m += delta / n;
                m2 += delta * (d - m);
            }
            se[pair] = n > 1 ? sqrt(m2 / (n - 1)) : 0;
            for (size_t b = 0; b < B; b++) {
                double d = vi[b] - vj[b], z;
                if (!ok[b])
                    continue;
                if (!isfinite(d))
                    z = HUGE_VAL;
                else if (se[pair] > 0)
                    z = fabs(d - d0) / se[pair];
                else
                    z = d == d0 ? 0 : HUGE_VAL;
                if (z > t[b])
                    t[b] = z;
            }
        }
    /* T* over the defined replicates, sorted. */
    k = 0;
    for (size_t b = 0; b < B; b++)
        if (ok[b])
            t[k++] = t[b];
    qsort(t, k, sizeof *t, cmp_double);
    if (t[k - 1] == 0) {
        out->degenerate = 1;
        snprintf(out->reason, sizeof out->reason,
                 "every slice difference is the same in all %zu bootstrap replicates, "
                 "so the data give no spread to build an interval from",
                 k);
        goto cleanup;
    }
    if ((1 - level) * (double)k < MG__CI_MIN_TAIL) {
        out->needed = (size_t)ceil(MG__CI_MIN_TAIL / fmax(1 - level, 1e-12));
        snprintf(out->reason, sizeof out->reason,
                 "a %g%% simultaneous bound needs at least %d of %zu replicates "
                 "beyond it; it needs about %zu replicates",
                 100 * level, MG__CI_MIN_TAIL, k, out->needed);
        goto cleanup;
    }
    /* c: the level-L quantile of T* (the upper end of the two-sided 2L − 1
     * percentile interval, type 7); infinite when it reaches an infinite T*. */
    if (mg_interval_percentile(t, k, 2 * level - 1, &iv, &err) != 0) {
        snprintf(out->reason, sizeof out->reason, "%s", err.message);
        goto cleanup;
    }
    c = isnan(iv.high) ? HUGE_VAL : iv.high;
    *crit = c;
    if (!isfinite(c)) {
        snprintf(out->reason, sizeof out->reason,
                 "more than %g%% of the %zu bootstrap replicates have a slice whose "
                 "value is 0, so the ratio has no finite bound",
                 100 * (1 - level), k);
        goto cleanup;
    }
    pair = 0;
    for (size_t i = 0; i < S; i++)
        for (size_t j = i + 1; j < S; j++, pair++) {
            double d = fabs(est[i] - est[j]);
            hi = fmax(hi, d + c * se[pair]);
            lo = fmax(lo, d - c * se[pair]);
        }
    out->has_ci = 1;
    out->low = lo;
    out->high = hi;
cleanup:
    free(ok);
    free(t);
    free(se);
    return rc;
}
