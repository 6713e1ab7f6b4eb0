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

#include <math.h>
#include <stddef.h>

#include "modelgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kind of model a metric judges. */
typedef enum mg_task {
    MG_TASK_BINARY = 0 /**< a score per row, thresholded for confusion metrics */
} mg_task;

/** How a metric's sufficient statistics are gathered. */
typedef enum mg_family {
    MG_FAMILY_CONFUSION, /**< counts at the threshold: O(atoms) per replicate */
    MG_FAMILY_RANK,      /**< score order: one weighted pass over sorted scores */
    MG_FAMILY_MEAN       /**< mean of a per-row loss: one weighted pass */
} mg_family;

/** Closed-form interval available for a metric. */
typedef enum mg_analytic {
    MG_ANALYTIC_NONE,
    MG_ANALYTIC_WILSON, /**< binomial proportion: successes / trials of confusion cells
                         */
    MG_ANALYTIC_DELONG  /**< AUC, DeLong et al. (1988) */
} mg_analytic;

/** The significance test reported beside a paired comparison of two models under
 * `interval: analytic` (a bootstrap interval's p-value inverts that interval). */
typedef enum mg_paired_test {
    MG_PAIRED_NONE,      /**< descriptive metric: not compared */
    MG_PAIRED_BOOTSTRAP, /**< bootstrap p-value from the paired replicates of Δ */
    MG_PAIRED_DELONG,    /**< DeLong's test of two correlated AUCs */
    MG_PAIRED_MCNEMAR    /**< exact McNemar test on the discordant rows */
} mg_paired_test;

/** Confusion cells, combined as bit masks in the table's proportion columns. */
enum {
    MG_CELL_TP = 1,
    MG_CELL_FP = 2,
    MG_CELL_TN = 4,
    MG_CELL_FN = 8,
    MG_CELL_ALL = 15
};

/*
 * The metric registry: one row per metric, read by the suite parser (names), the
 * engine (family), the runner (direction, interval, paired test), the reporters and
 * the generated docs/metrics.md.
 *
 * X(ID, NUMBER, name, task, family, direction, low, high, analytic, successes,
 *   trials, paired test, needs probability, class-conditional, undefined when,
 *   summary)
 *
 * NUMBER is the metric's public value: it never changes, and a new metric takes the
 * next free number at the end of the table. direction: +1 higher is better, -1 lower
 * is better, 0 descriptive (never compared). [low, high] is the range of defined
 * values (HUGE_VAL: unbounded). successes / trials: for a Wilson-interval
 * proportion, the confusion cells counted above and below the line, else 0.
 * class-conditional: 1 when the metric is a function of the positives' and the
 * negatives' distributions alone, not of the class mix (recall, specificity,
 * balanced accuracy, auc); only these may use `stratify: label`, which holds the
 * class totals fixed and so drops the prevalence's sampling variance (see the
 * essay of stats/engine.c).
 */
#define MG_METRIC_TABLE(X)                                                             \
    X(N, 0, "n", BINARY, CONFUSION, 0, 0, HUGE_VAL, NONE, 0, 0, NONE, 0, 0, "never",   \
      "rows in the slice (weighted in a replicate)")                                   \
    X(PREVALENCE, 1, "prevalence", BINARY, CONFUSION, 0, 0, 1, WILSON,                 \
      MG_CELL_TP | MG_CELL_FN, MG_CELL_ALL, NONE, 0, 0, "no rows",                     \
      "share of rows whose label is positive")                                         \
    X(POSITIVE_RATE, 2, "positive_rate", BINARY, CONFUSION, 0, 0, 1, WILSON,           \
      MG_CELL_TP | MG_CELL_FP, MG_CELL_ALL, NONE, 0, 0, "no rows",                     \
      "share of rows predicted positive (score >= threshold)")                         \
    X(ACCURACY, 3, "accuracy", BINARY, CONFUSION, 1, 0, 1, WILSON,                     \
      MG_CELL_TP | MG_CELL_TN, MG_CELL_ALL, MCNEMAR, 0, 0, "no rows",                  \
      "share of rows predicted correctly")                                             \
    X(PRECISION, 4, "precision", BINARY, CONFUSION, 1, 0, 1, WILSON, MG_CELL_TP,       \
      MG_CELL_TP | MG_CELL_FP, BOOTSTRAP, 0, 0, "no predicted positives",              \
      "tp / (tp + fp): share of predicted positives that are positive")                \
    X(RECALL, 5, "recall", BINARY, CONFUSION, 1, 0, 1, WILSON, MG_CELL_TP,             \
      MG_CELL_TP | MG_CELL_FN, BOOTSTRAP, 0, 1, "no positives",                        \
      "tp / (tp + fn): sensitivity, true-positive rate")                               \
    X(SPECIFICITY, 6, "specificity", BINARY, CONFUSION, 1, 0, 1, WILSON, MG_CELL_TN,   \
      MG_CELL_TN | MG_CELL_FP, BOOTSTRAP, 0, 1, "no negatives",                        \
      "tn / (tn + fp): true-negative rate")                                            \
    X(F1, 7, "f1", BINARY, CONFUSION, 1, 0, 1, NONE, 0, 0, BOOTSTRAP, 0, 0,            \
      "no positives and no predicted positives",                                       \
      "2 tp / (2 tp + fp + fn): harmonic mean of precision and recall")                \
    X(BALANCED_ACCURACY, 8, "balanced_accuracy", BINARY, CONFUSION, 1, 0, 1, NONE, 0,  \
      0, BOOTSTRAP, 0, 1, "no positives or no negatives",                              \
      "(recall + specificity) / 2")                                                    \
    X(MCC, 9, "mcc", BINARY, CONFUSION, 1, -1, 1, NONE, 0, 0, BOOTSTRAP, 0, 0,         \
      "a row or column of the confusion matrix is empty",                              \
      "Matthews correlation coefficient")                                              \
    X(AUC, 10, "auc", BINARY, RANK, 1, 0, 1, DELONG, 0, 0, DELONG, 0, 1,               \
      "no positives or no negatives",                                                  \
      "area under the ROC curve (Mann-Whitney U / (P N), ties count 1/2)")             \
    X(AVERAGE_PRECISION, 11, "average_precision", BINARY, RANK, 1, 0, 1, NONE, 0, 0,   \
      BOOTSTRAP, 0, 0, "no positives",                                                 \
      "area under the precision-recall step curve, without interpolation")             \
    X(LOG_LOSS, 12, "log_loss", BINARY, MEAN, -1, 0, HUGE_VAL, NONE, 0, 0, BOOTSTRAP,  \
      1, 0, "no rows", "mean negative log-likelihood, p clipped to [eps, 1 - eps]")    \
    X(BRIER, 13, "brier", BINARY, MEAN, -1, 0, 1, NONE, 0, 0, BOOTSTRAP, 1, 0,         \
      "no rows", "mean squared difference between score and label")

/** A metric's public number (see MG_METRIC_TABLE: numbers never move). */
typedef enum mg_metric {
#define MG__METRIC_ENUM(id, num, ...) MG_METRIC_##id = num,
    MG_METRIC_TABLE(MG__METRIC_ENUM)
#undef MG__METRIC_ENUM
        MG_METRIC_COUNT /**< one past the largest number; numbers are dense */
} mg_metric;

/** One row of the registry. */
typedef struct mg_metric_info {
    mg_metric id;
    const char *name; /**< "auc", as suites spell it */
    mg_task task;
    mg_family family;
    int direction;         /**< +1 higher is better, -1 lower, 0 descriptive */
    double low, high;      /**< range of defined values; HUGE_VAL: unbounded */
    mg_analytic analytic;  /**< closed-form interval, if any */
    unsigned successes;    /**< Wilson: MG_CELL_* counted as successes, else 0 */
    unsigned trials;       /**< Wilson: MG_CELL_* counted as trials, else 0 */
    mg_paired_test paired; /**< the p-value beside an analytic comparison */
    int needs_probability; /**< reads scores as probabilities in [0, 1] */
    const char *undefined; /**< when the metric has no value */
    const char *summary;   /**< one line for docs and help */
    /** 1 when the metric depends on each class's distribution alone, not on the
     * class mix, so `stratify: label` gives it a valid interval; 0 otherwise. */
    int class_conditional;
} mg_metric_info;

/** The registry row of a metric, or NULL when m is not a metric. Static storage. */
MG_EXTERN const mg_metric_info *mg_metric_get(mg_metric m);

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

/** Name of a metric ("auc"); "unknown" when m is not a metric. */
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
 * The successes and trials of a Wilson-interval proportion (the registry's cells)
 * from the statistics. Returns 0, or MG_EINVAL when the metric is not a proportion.
 */
MG_EXTERN int mg_metric_proportion(mg_metric m, const mg_binary_stats *s,
                                   double *successes, double *trials);

/**
 * How much data a metric's value rests on: the proportion's trials for a
 * Wilson-interval metric (positives for recall), the rows for a mean, and the
 * smaller class, min(positives, negatives), for every other metric.
 */
MG_EXTERN double mg_metric_effective_size(mg_metric m, const mg_binary_stats *s);

/** The least effective size an interval rests on: below it a test case has no
 * interval (a proportion gets the exact one instead), a slice is left out of a gap,
 * and `modelgate plan` asks for at least this much. Bootstrap and normal intervals
 * on fewer cover far less than they claim (docs/statistics.md). */
#define MG_METRIC_MIN_EFFECTIVE_SIZE 10

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
