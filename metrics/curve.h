/*
 * Calibration and operating-point kernels of a binary classifier (not installed).
 *
 * Each kernel reads one model's rows in descending score order (the engine's
 * sorted-score pass, stats/setup.c) with a weight per row: 1 for the point
 * estimate, the resampled count in a bootstrap replicate, 0 for a row outside the
 * slice. Rows of weight 0 are skipped, so one sorted order serves every slice and
 * every replicate, and a threshold chosen by a kernel is re-chosen in each
 * replicate by construction. See metrics/curve.c for the definitions.
 */
#ifndef MG_METRICS_CURVE_H
#define MG_METRICS_CURVE_H

#include <stddef.h>

/* One model's scored rows, sorted by score, highest first. */
typedef struct mg__scored {
    const double *score;        /* n scores, non-increasing */
    const unsigned char *label; /* n labels, 0 or 1 */
    const double *weight;       /* n weights >= 0; NULL: every weight 1 */
    size_t n;
    /* n values of mg__curve_logit(score), computed once per model for the
     * recalibration's passes, or NULL: computed in every pass. */
    const double *logit;
} mg__scored;

/* How calibration bins are drawn. */
typedef enum mg__binning {
    MG__BINNING_WIDTH, /* B equal-width bins of [0, 1] (calibration_curve "uniform") */
    MG__BINNING_MASS   /* edges at the weighted quantiles of the scores ("quantile") */
} mg__binning;

/* The most bins a test may ask for. */
#define MG__CURVE_MAX_BINS 1000

/* Per-bin weighted sums of a reliability diagram, bin 0 the lowest scores. */
typedef struct mg__bins {
    size_t nbins;
    double w[MG__CURVE_MAX_BINS];  /* Σ weight */
    double sp[MG__CURVE_MAX_BINS]; /* Σ weight × score */
    double sy[MG__CURVE_MAX_BINS]; /* Σ weight × label */
} mg__bins;

/* Calibration statistics from a mg__bins. */
typedef struct mg__calibration {
    double ece;         /* Σ_b |sp_b − sy_b| / W */
    double reliability; /* Σ_b w_b (f_b − o_b)² / W, Murphy (1973) */
    double resolution;  /* Σ_b w_b (o_b − ō)² / W */
    double uncertainty; /* ō (1 − ō) */
} mg__calibration;

/* Fill `out` with the per-bin sums of `nbins` bins. Returns 0, MG_EINVAL when
 * nbins is not in 1 … MG__CURVE_MAX_BINS, or MG_ENUMERIC with *reason when the rows
 * weigh nothing. */
int mg__curve_bins(mg__bins *out, const mg__scored *r, size_t nbins,
                   mg__binning binning, const char **reason);

/* ECE and the Brier decomposition of filled bins. Returns 0, or MG_ENUMERIC. */
int mg__curve_calibration(mg__calibration *out, const mg__bins *b, const char **reason);

/* logit(s) with s clipped to [DBL_EPSILON, 1 − DBL_EPSILON]. */
double mg__curve_logit(double s);

/* Logistic recalibration, label ~ a + b logit(score), scores clipped to
 * [DBL_EPSILON, 1 − DBL_EPSILON], fitted by IRLS (Newton's method). Returns 0, or
 * MG_ENUMERIC when one class only, one distinct score, or separated classes. */
int mg__curve_recalibration(double *intercept, double *slope, const mg__scored *r,
                            const char **reason);

/* An operating point: a metric at the threshold the constraint chooses. */
typedef enum mg__operating {
    MG__OP_RECALL_AT_PRECISION,        /* max recall with precision >= x */
    MG__OP_PRECISION_AT_RECALL,        /* max precision with recall >= x */
    MG__OP_TPR_AT_FPR,                 /* max tpr with fpr <= x */
    MG__OP_SPECIFICITY_AT_SENSITIVITY, /* max specificity with sensitivity >= x */
    MG__OP_PRECISION_AT_K,             /* precision of the top x weight of rows */
    MG__OP_RECALL_AT_K,                /* recall of the top x weight of rows */
    MG__OP_PRECISION_AT_K_SHARE,       /* precision of the top share x in (0, 1] */
    MG__OP_RECALL_AT_K_SHARE           /* recall of the top share x in (0, 1] */
} mg__operating;

/* The value of operating point `op` at parameter x (a rate in [0, 1]; for @k a
 * weight of rows > 0, cut to the rows' weight; for @k share a share of it) and the
 * threshold chosen (predict positive when score >= threshold). Returns 0, or
 * MG_ENUMERIC with *reason. */
int mg__curve_operating(double *value, double *threshold, const mg__scored *r,
                        mg__operating op, double x, const char **reason);

/* Partial AUC over fpr in [lo, hi] (0 <= lo < hi <= 1), McClish-standardised:
 * (1 + (A − min) / (max − min)) / 2 with min = (hi² − lo²) / 2, max = hi − lo, as
 * pROC's auc(partial.auc, partial.auc.focus = "specificity",
 * partial.auc.correct = TRUE). *raw receives A (may be NULL). Returns 0, MG_EINVAL
 * for a range outside those bounds, or MG_ENUMERIC with *reason. */
int mg__curve_partial_auc(double *value, double *raw, const mg__scored *r, double lo,
                          double hi, const char **reason);

#endif
