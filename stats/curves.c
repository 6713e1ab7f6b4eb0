/*
 * ROC and precision–recall curves, and their pointwise bootstrap bands.
 *
 * The engine counts, for each model, the positives and negatives at or above each of
 * a fixed grid of score thresholds (at most a few hundred, each a score of the
 * holdout set: stats/setup.c), for the holdout set and for every replicate. The
 * counts come from curve atoms (rows of equal label and score bin) summed from the
 * replicate's unit counts, so a replicate's curve costs O(units + thresholds) and
 * no row is resampled or re-sorted. Each threshold gives a vertex (FPR, TPR) of the
 * empirical ROC curve, or (recall, precision) of the PR curve.
 *
 * To put a band around a curve, every replicate's curve is read at the same fixed
 * abscissae, then each abscissa's values are summarised by their percentile
 * interval: "vertical averaging" (Fawcett 2006, "An introduction to ROC analysis",
 * Pattern Recognition Letters 27:861–874, §8.1), as pROC's ci.se does at fixed
 * specificities (Robin et al. 2011, BMC Bioinformatics 12:77).
 *
 * - ROC: TPR at the FPR grid 0, 0.01, …, 1, linear between vertices; where the
 *   curve rises vertically at an FPR the highest TPR there is taken (the curve is
 *   right-continuous from above), so TPR(0) is the share of positives reached
 *   before the first negative.
 * - PR: precision at the recall grid 0.01, …, 1. Linear interpolation in PR space
 *   is wrong (it overstates precision); between two vertices A and B the achievable
 *   curve adds true positives one at a time with false positives in proportion,
 *   FP = FP_A + (TP − TP_A)(FP_B − FP_A)/(TP_B − TP_A), so precision is
 *   TP/(TP + FP) at TP = recall × positives (Davis & Goadrich 2006, "The
 *   relationship between precision–recall and ROC curves", ICML, §4).
 *
 * The bands are pointwise: each abscissa's interval covers the curve there at the
 * stated level, not the whole curve at once (a simultaneous band is wider;
 * Macskassy, Provost & Rosset 2005, "ROC confidence bands: an empirical
 * evaluation", ICML). They are percentile intervals whatever the suite's interval
 * method: BCa needs a jackknife per abscissa, which the report's picture does not
 * warrant. A replicate without positives (or, for ROC, without negatives) has no
 * curve and is left out; with fewer than MG__CI_MIN_TAIL replicates beyond either
 * quantile there is no band (as for an interval: stats/ci.c).
 *
 * Between two grid thresholds the drawn curve is a straight line, exact where the
 * model has no more distinct scores than thresholds and, otherwise, off by at most
 * the height of one bin (n / thresholds rows).
 */
#include "stats/curves.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/stats.h"
#include "stats/ci.h"

#define ROC_POINTS 101
#define PR_POINTS  100

int mg__curve_on_grid(const double *c, size_t k, mg__curve_kind kind, const double *xs,
                      size_t nx, double *ys)
{
    double P, N;
    size_t i = 0;

    if (k == 0)
        return MG_ENUMERIC;
    P = c[2 * (k - 1)];
    N = c[2 * (k - 1) + 1];
    if (!(P > 0) || (kind == MG__CURVE_ROC && !(N > 0)))
        return MG_ENUMERIC;
    if (kind == MG__CURVE_ROC) {
        /* Vertices 0 … k: (0, 0), then threshold i − 1's (FP/N, TP/P). */
#define FPR(v) ((v) == 0 ? 0.0 : c[2 * ((v)-1) + 1] / N)
#define TPR(v) ((v) == 0 ? 0.0 : c[2 * ((v)-1)] / P)
        for (size_t j = 0; j < nx; j++) {
            double x = xs[j], x0, x1;
            while (i < k && FPR(i + 1) <= x)
                i++;
            x0 = FPR(i);
            if (i == k || x0 == x) {
                ys[j] = TPR(i);
                continue;
            }
            x1 = FPR(i + 1);
            ys[j] = TPR(i) + (TPR(i + 1) - TPR(i)) * (x - x0) / (x1 - x0);
        }
#undef FPR
#undef TPR
        return 0;
    }
    for (size_t j = 0; j < nx; j++) {
        double tp = xs[j] * P, tpa, fpa, fp;
        while (i < k - 1 && c[2 * i] < tp)
            i++;
        tpa = i == 0 ? 0 : c[2 * (i - 1)];
        fpa = i == 0 ? 0 : c[2 * (i - 1) + 1];
        fp = fpa + (tp - tpa) * (c[2 * i + 1] - fpa) / (c[2 * i] - tpa);
        ys[j] = tp / (tp + fp);
    }
    return 0;
}

void mg__curve_band_free(mg__curve_band *b)
{
    if (b == NULL)
        return;
    free(b->x);
    free(b->y);
    free(b->low);
    free(b->high);
    memset(b, 0, sizeof *b);
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mg__curve_band_compute(mg__curve_band *out, const mg__engine *e, size_t model,
                           mg__curve_kind kind, double level)
{
    const double *thr;
    const size_t k = mg__engine_curve_thresholds(e, model, &thr);
    const size_t B = mg__engine_replicates(e);
    const size_t K = kind == MG__CURVE_ROC ? ROC_POINTS : PR_POINTS;
    double *values = NULL, *row = NULL, tail;
    int rc = MG_ENOMEM;

    memset(out, 0, sizeof *out);
    out->npoints = K;
    out->x = malloc(K * sizeof *out->x);
    out->y = malloc(K * sizeof *out->y);
    row = malloc(K * sizeof *row);
    if (out->x == NULL || out->y == NULL || row == NULL)
        goto cleanup;
    for (size_t j = 0; j < K; j++)
        out->x[j] = kind == MG__CURVE_ROC ? (double)j / (K - 1) : (double)(j + 1) / K;
    if (mg__curve_on_grid(mg__engine_curve(e, -1, model), k, kind, out->x, K, out->y) !=
        0) {
        snprintf(out->reason, sizeof out->reason, "%s",
                 kind == MG__CURVE_ROC ? "the holdout set lacks positives or negatives"
                                       : "the holdout set has no positives");
        rc = 0;
        goto cleanup;
    }
    out->defined = 1;
    /* values[j·B + used]: replicate curves, one abscissa per row. */
    if (B > 0 && (values = malloc(K * B * sizeof *values)) == NULL)
        goto cleanup;
    for (size_t b = 0; b < B; b++) {
        if (mg__curve_on_grid(mg__engine_curve(e, (long)b, model), k, kind, out->x, K,
                              row) != 0)
            continue;
        for (size_t j = 0; j < K; j++)
            values[j * B + out->used] = row[j];
        out->used++;
    }
    tail = (double)out->used * (1 - level) / 2;
    if (B == 0) {
        snprintf(out->reason, sizeof out->reason, "no bootstrap replicates");
        rc = 0;
        goto cleanup;
    }
    if (out->used == 0 || tail < MG__CI_MIN_TAIL) {
        snprintf(out->reason, sizeof out->reason,
                 "%zu replicates with a curve: too few for a %g%% band", out->used,
                 100 * level);
        rc = 0;
        goto cleanup;
    }
    out->low = malloc(K * sizeof *out->low);
    out->high = malloc(K * sizeof *out->high);
    if (out->low == NULL || out->high == NULL)
        goto cleanup;
    for (size_t j = 0; j < K; j++) {
        mg_interval iv;
        qsort(&values[j * B], out->used, sizeof *values, ascending);
        if (mg_interval_percentile(&values[j * B], out->used, level, &iv, NULL) != 0)
            goto cleanup;
        out->low[j] = iv.low;
        out->high[j] = iv.high;
    }
    out->has_band = 1;
    rc = 0;
cleanup:
    free(values);
    free(row);
    if (rc != 0)
        mg__curve_band_free(out);
    return rc;
}
