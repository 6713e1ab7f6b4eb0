/**
 * @file metrics.h
 * @brief Classification metrics as pure functions of weighted sufficient
 * statistics (binary: mg_binary_stats; multiclass: mg_multiclass_stats).
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
    MG_TASK_BINARY = 0,    /**< a score per row, thresholded for confusion metrics */
    MG_TASK_MULTICLASS = 1 /**< a predicted class and/or a probability per class */
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
      "no rows", "mean squared difference between score and label")                    \
    X(MC_N, 14, "n", MULTICLASS, CONFUSION, 0, 0, HUGE_VAL, NONE, 0, 0, NONE, 0, 0,    \
      "never", "rows in the slice (weighted in a replicate)")                          \
    X(MC_ACCURACY, 15, "accuracy", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0,         \
      BOOTSTRAP, 0, 0, "no rows",                                                      \
      "share of rows whose predicted class is the true one")                           \
    X(MC_TOP_K_ACCURACY, 16, "top_k_accuracy", MULTICLASS, MEAN, 1, 0, 1, NONE, 0, 0,  \
      BOOTSTRAP, 1, 0, "no rows",                                                      \
      "share of rows whose true class is among the k most probable (`k`, default 2)")  \
    X(MC_PRECISION, 17, "precision", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0,       \
      BOOTSTRAP, 0, 0, "the class is never predicted",                                 \
      "one class's precision (`class`): its correct predictions / its predictions")    \
    X(MC_RECALL, 18, "recall", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0, BOOTSTRAP,  \
      0, 0, "the class has no rows",                                                   \
      "one class's recall (`class`): its rows predicted right / its rows")             \
    X(MC_F1, 19, "f1", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0, BOOTSTRAP, 0, 0,    \
      "the class has no rows and is never predicted",                                  \
      "one class's f1 (`class`): harmonic mean of its precision and recall")           \
    X(MC_AUC, 20, "auc", MULTICLASS, RANK, 1, 0, 1, NONE, 0, 0, BOOTSTRAP, 1, 0,       \
      "the class has no rows, or every row is of it",                                  \
      "one class's one-vs-rest AUC (`class`) from its probability column")             \
    X(MC_MACRO_PRECISION, 21, "macro_precision", MULTICLASS, CONFUSION, 1, 0, 1, NONE, \
      0, 0, BOOTSTRAP, 0, 0, "a class has no rows",                                    \
      "mean of the classes' precisions (a class never predicted counts 0)")            \
    X(MC_MACRO_RECALL, 22, "macro_recall", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0, \
      BOOTSTRAP, 0, 0, "a class has no rows", "mean of the classes' recalls")          \
    X(MC_MACRO_F1, 23, "macro_f1", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0,         \
      BOOTSTRAP, 0, 0, "a class has no rows", "mean of the classes' f1 scores")        \
    X(MC_MICRO_PRECISION, 24, "micro_precision", MULTICLASS, CONFUSION, 1, 0, 1, NONE, \
      0, 0, BOOTSTRAP, 0, 0, "no rows",                                                \
      "precision of the pooled one-vs-rest counts (equals accuracy)")                  \
    X(MC_MICRO_RECALL, 25, "micro_recall", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0, \
      BOOTSTRAP, 0, 0, "no rows",                                                      \
      "recall of the pooled one-vs-rest counts (equals accuracy)")                     \
    X(MC_MICRO_F1, 26, "micro_f1", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0,         \
      BOOTSTRAP, 0, 0, "no rows",                                                      \
      "f1 of the pooled one-vs-rest counts (equals accuracy)")                         \
    X(MC_WEIGHTED_PRECISION, 27, "weighted_precision", MULTICLASS, CONFUSION, 1, 0, 1, \
      NONE, 0, 0, BOOTSTRAP, 0, 0, "no rows",                                          \
      "the classes' precisions weighted by their rows (never predicted: 0)")           \
    X(MC_WEIGHTED_RECALL, 28, "weighted_recall", MULTICLASS, CONFUSION, 1, 0, 1, NONE, \
      0, 0, BOOTSTRAP, 0, 0, "no rows",                                                \
      "the classes' recalls weighted by their rows (equals accuracy)")                 \
    X(MC_WEIGHTED_F1, 29, "weighted_f1", MULTICLASS, CONFUSION, 1, 0, 1, NONE, 0, 0,   \
      BOOTSTRAP, 0, 0, "no rows", "the classes' f1 scores weighted by their rows")     \
    X(MC_MACRO_AUC, 30, "macro_auc", MULTICLASS, RANK, 1, 0, 1, NONE, 0, 0, BOOTSTRAP, \
      1, 0, "a class has no rows, or every row is of one class",                       \
      "mean of the classes' one-vs-rest AUCs")                                         \
    X(MC_BALANCED_ACCURACY, 31, "balanced_accuracy", MULTICLASS, CONFUSION, 1, 0, 1,   \
      NONE, 0, 0, BOOTSTRAP, 0, 0, "no rows",                                          \
      "mean recall over the classes that have rows")                                   \
    X(MC_COHEN_KAPPA, 32, "cohen_kappa", MULTICLASS, CONFUSION, 1, -1, 1, NONE, 0, 0,  \
      BOOTSTRAP, 0, 0, "chance agreement is 1 (one class in truth and prediction)",    \
      "Cohen's kappa: agreement beyond chance, (po - pe) / (1 - pe)")                  \
    X(MC_MCC, 33, "mcc", MULTICLASS, CONFUSION, 1, -1, 1, NONE, 0, 0, BOOTSTRAP, 0, 0, \
      "every row is of one class, or every prediction is",                             \
      "Matthews correlation coefficient, multiclass form (Gorodkin 2004)")             \
    X(MC_LOG_LOSS, 34, "log_loss", MULTICLASS, MEAN, -1, 0, HUGE_VAL, NONE, 0, 0,      \
      BOOTSTRAP, 1, 0, "no rows",                                                      \
      "mean -log p(true class), p clipped to [eps, 1 - eps] and renormalised")         \
    X(MC_BRIER, 35, "brier", MULTICLASS, MEAN, -1, 0, 2, NONE, 0, 0, BOOTSTRAP, 1, 0,  \
      "no rows", "mean over rows of the sum over classes of (p - [true class])^2")

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

/** What a multiclass metric's test must say beside `metric:`. */
typedef enum mg_metric_parameter {
    MG_PARAMETER_NONE,  /**< nothing */
    MG_PARAMETER_CLASS, /**< `class: X`: one class's precision, recall, f1 or auc */
    MG_PARAMETER_K      /**< `k: N` (default 2): top_k_accuracy */
} mg_metric_parameter;

/** The parameter a metric takes (MG_PARAMETER_NONE for every binary metric). */
MG_EXTERN mg_metric_parameter mg_metric_parameter_of(mg_metric m);

/** The metric named `name` for a task, or -1 when the task has no such metric
 * ("accuracy" is one row for binary models and another for multiclass ones). */
MG_EXTERN int mg_metric_for_task(const char *name, mg_task task);

/**
 * Weighted sufficient statistics of one multiclass model on one slice: every
 * field is a sum over rows, so shards merge by addition.
 */
typedef struct mg_multiclass_stats {
    size_t classes;          /**< K >= 2 */
    const double *confusion; /**< K × K: [true class × K + predicted class] */
    /** K or NULL: class c's weighted Mann–Whitney count, pairs (row of class c,
     * row of another class) where the first has the higher probability of c, ties
     * counting ½ (NULL when the model has no probabilities) */
    const double *auc_u;
    double log_loss_sum; /**< Σ weight × mg_metric_row_log_loss_multiclass */
    double brier_sum;    /**< Σ weight × Σ_c (p_c − [c is the true class])² */
    double top_k_hits;   /**< Σ weight over rows whose class is among the k most
                              probable, for the k the metric is asked at */
} mg_multiclass_stats;

/**
 * Evaluate a multiclass metric.
 *
 * @param param  the class index (0 … K−1) for MG_PARAMETER_CLASS metrics; ignored
 *               otherwise (top_k_hits is already for the test's k)
 * @return 0, MG_ENUMERIC when undefined (*reason says why), MG_EINVAL when m is not
 *         a multiclass metric or param is out of range
 */
MG_EXTERN int mg_multiclass_value(mg_metric m, const mg_multiclass_stats *s, long param,
                                  double *out, const char **reason);

/** How much data a multiclass metric's value rests on: rows for a mean and for
 * pooled counts, the class's rows (its predictions for precision; the smaller of
 * the class and the rest for auc) for a class metric, and the smallest class's
 * rows for a macro average. */
MG_EXTERN double mg_multiclass_effective_size(mg_metric m, const mg_multiclass_stats *s,
                                              long param);

/**
 * One row's multiclass log loss as scikit-learn computes it: the K probabilities
 * clipped to [ε, 1 − ε] (ε = DBL_EPSILON), renormalised to sum 1, then
 * −log p(true class).
 */
MG_EXTERN double mg_metric_row_log_loss_multiclass(const double *p, size_t classes,
                                                   size_t true_class);
/** One row's multiclass Brier score: Σ_c (p_c − [c = true class])². */
MG_EXTERN double mg_metric_row_brier_multiclass(const double *p, size_t classes,
                                                size_t true_class);
/**
 * Whether the true class is among the k most probable: fewer than k classes rank
 * above it, a class ranking above when its probability is higher, or equal with a
 * larger index (scikit-learn's top_k_accuracy_score, a stable sort reversed).
 */
MG_EXTERN int mg_metric_row_top_k(const double *p, size_t classes, size_t true_class,
                                  size_t k);

#ifdef __cplusplus
}
#endif

#endif
