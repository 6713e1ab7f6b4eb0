/*
 * ROC and precision-recall curves with pointwise bootstrap bands, from the
 * engine's counts at each model's grid of score thresholds (not installed).
 */
#ifndef MG_STATS_CURVES_H
#define MG_STATS_CURVES_H

#include <stddef.h>

#include "modelgate/error.h"
#include "stats/engine.h"

typedef enum mg__curve_kind {
    MG__CURVE_ROC, /* true positive rate against false positive rate */
    MG__CURVE_PR   /* precision against recall */
} mg__curve_kind;

/*
 * The curve through cumulative counts `c` (2k: positives then negatives with score
 * at or above each of k descending thresholds, as mg__engine_curve gives them), read
 * at the nx ascending values xs (false positive rates for ROC, recalls for PR) into
 * ys. Returns 0, or MG_ENUMERIC when the curve is undefined: no positives (or, for
 * ROC, no negatives). O(k + nx).
 */
int mg__curve_on_grid(const double *c, size_t k, mg__curve_kind kind, const double *xs,
                      size_t nx, double *ys);

/* A model's curve on the grid and its band. */
typedef struct mg__curve_band {
    size_t npoints; /* grid points: 101 for ROC (0, 0.01, …, 1), 100 for PR
                       (0.01, …, 1) */
    double *x, *y;  /* grid and the holdout set's curve (owned) */
    int has_band;
    double *low, *high; /* pointwise percentile band (owned; NULL without one) */
    size_t used;        /* replicates where the curve is defined */
    char reason[MG_ERROR_MESSAGE_MAX]; /* why there is no curve or band */
    int defined;                       /* the holdout set's curve exists */
} mg__curve_band;

/*
 * The curve of `model` on the whole holdout set and, with replicates, the
 * pointwise percentile band at two-sided `level`: at each grid point, the (1 −
 * level)/2 and (1 + level)/2 quantiles of the replicates' curves there (replicates
 * whose curve is undefined are left out). No band when fewer than MG__CI_MIN_TAIL
 * replicates would lie beyond either quantile. Returns 0 or MG_ENOMEM; free the
 * band with mg__curve_band_free either way.
 */
int mg__curve_band_compute(mg__curve_band *out, const mg__engine *e, size_t model,
                           mg__curve_kind kind, double level);

void mg__curve_band_free(mg__curve_band *b);

#endif
