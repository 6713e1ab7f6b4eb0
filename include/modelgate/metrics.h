/**
 * @file metrics.h
 * @brief Binary-classification metrics as pure functions of weighted sufficient
 * statistics.
 *
 * Every metric is computed from an mg_binary_stats: weighted sums over atoms (rows
 * that agree on label, prediction and slice). The same function serves the point
 * estimate (weights = row counts) and every bootstrap replicate (weights = resampled
 * counts), so the engine never needs per-metric resampling code.
 */
#ifndef MODELGATE_METRICS_H
#define MODELGATE_METRICS_H

#include <stddef.h>

#include "modelgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a metric's sufficient statistics are gathered. */
typedef enum mg_family {
    MG_FAMILY_CONFUSION, /**< counts at the threshold: O(atoms) per replicate */
    MG_FAMILY_RANK,      /**< score order: one weighted pass over sorted scores */
    MG_FAMILY_MEAN       /**< mean of a per-row loss: one weighted pass */
} mg_family;

/** Closed-form interval available for a metric. */
typedef enum mg_analytic {
    MG_ANALYTIC_NONE,
    MG_ANALYTIC_WILSON, /**< binomial proportion */
    MG_ANALYTIC_DELONG  /**< AUC, DeLong et al. (1988) */
} mg_analytic;

/*
 * X(ID, name, family, direction, analytic, needs probability)
 * direction: +1 higher is better, -1 lower is better, 0 descriptive.
 */
#define MG_METRIC_TABLE(X)                                                             \
    X(N, "n", CONFUSION, 0, NONE, 0)                                                   \
    X(PREVALENCE, "prevalence", CONFUSION, 0, WILSON, 0)                               \
    X(POSITIVE_RATE, "positive_rate", CONFUSION, 0, WILSON, 0)                         \
    X(ACCURACY, "accuracy", CONFUSION, 1, WILSON, 0)                                   \
    X(PRECISION, "precision", CONFUSION, 1, WILSON, 0)                                 \
    X(RECALL, "recall", CONFUSION, 1, WILSON, 0)                                       \
    X(SPECIFICITY, "specificity", CONFUSION, 1, WILSON, 0)                             \
    X(F1, "f1", CONFUSION, 1, NONE, 0)                                                 \
    X(BALANCED_ACCURACY, "balanced_accuracy", CONFUSION, 1, NONE, 0)                   \
    X(MCC, "mcc", CONFUSION, 1, NONE, 0)                                               \
    X(AUC, "auc", RANK, 1, DELONG, 0)                                                  \
    X(AVERAGE_PRECISION, "average_precision", RANK, 1, NONE, 0)                        \
    X(LOG_LOSS, "log_loss", MEAN, -1, NONE, 1)                                         \
    X(BRIER, "brier", MEAN, -1, NONE, 1)

typedef enum mg_metric {
#define MG__METRIC_ENUM(id, name, family, dir, analytic, prob) MG_METRIC_##id,
    MG_METRIC_TABLE(MG__METRIC_ENUM)
#undef MG__METRIC_ENUM
        MG_METRIC_COUNT
} mg_metric;

/**
 * Weighted sufficient statistics of one model on one slice.
 *
 * Confusion counts come from thresholded predictions; the rank and mean fields from
 * the score pass. In a bootstrap replicate both are gathered from the same resample
 * of their family; `pos` and `neg` repeat the class weights for the score pass so
 * that the two families stay independent of each other.
 */
typedef struct mg_binary_stats {
    double tp, fp, tn, fn; /**< weighted confusion counts at the threshold */
    double pos, neg;       /**< weighted positives and negatives (score pass) */
    double auc_u;          /**< weighted pairs with pos score > neg score, ties ½ */
    double ap_sum;         /**< Σ over tied score groups (descending) of group
                                positive weight × precision at that group */
    double log_loss_sum;   /**< Σ weight × log loss, probabilities clipped to
                                [eps, 1 − eps], eps = DBL_EPSILON (scikit-learn) */
    double brier_sum;      /**< Σ weight × (score − label)² */
} mg_binary_stats;

/** Name of a metric ("auc"). */
MG_EXTERN const char *mg_metric_name(mg_metric m);
/** Metric for a name, or -1 when unknown. */
MG_EXTERN int mg_metric_from_name(const char *name);
MG_EXTERN mg_family mg_metric_family(mg_metric m);
/** +1 higher is better, -1 lower is better, 0 descriptive (n, prevalence). */
MG_EXTERN int mg_metric_direction(mg_metric m);
MG_EXTERN mg_analytic mg_metric_analytic(mg_metric m);
/** Non-zero when the metric reads scores as probabilities in [0, 1]. */
MG_EXTERN int mg_metric_needs_probability(mg_metric m);

/**
 * Evaluate a metric.
 *
 * @param out     receives the value when defined
 * @param reason  receives a static explanation when undefined (may be NULL)
 * @return 0 when defined, MG_ENUMERIC when undefined on these statistics (no
 *         positives for recall, one class only for auc, …); *out is untouched then.
 */
MG_EXTERN int mg_metric_value(mg_metric m, const mg_binary_stats *s, double *out,
                              const char **reason);

/**
 * The per-row log loss and squared error of one prediction, as summed into
 * log_loss_sum and brier_sum. `label` is 0 or 1.
 */
MG_EXTERN double mg_metric_row_log_loss(double score, int label);
MG_EXTERN double mg_metric_row_brier(double score, int label);

#ifdef __cplusplus
}
#endif

#endif
