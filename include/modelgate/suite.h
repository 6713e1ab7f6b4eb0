/**
 * @file suite.h
 * @brief Acceptance-suite files (YAML) parsed into a transparent description.
 *
 * mg_suite_load reads the file with libyaml and checks everything that can be
 * checked without the data: keys, types, value ranges, metric names, references
 * between sections (a test's model, baseline and slicing must be declared). Columns
 * are checked later against the data by the runner, which uses the recorded
 * locations (mg_loc) to name the suite line and key in its messages.
 *
 * Paths in the suite resolve relative to the suite file's directory; the stored
 * paths are already resolved.
 */
#ifndef MODELGATE_SUITE_H
#define MODELGATE_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/metrics.h"
#include "modelgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a value sits in the suite file: 1-based line and column, and its key. */
typedef struct mg_loc {
    unsigned long line, column;
    char key[MG_ERROR_KEY_MAX]; /**< e.g. "models.candidate.score", "tests[2].metric" */
} mg_loc;

typedef enum mg_stratify { MG_STRATIFY_NONE, MG_STRATIFY_LABEL } mg_stratify;
typedef enum mg_resampler {
    MG_RESAMPLER_MULTINOMIAL,
    MG_RESAMPLER_POISSON
} mg_resampler;

typedef struct mg_model_spec {
    char *name;        /**< key under models: */
    char *file;        /**< resolved path, or NULL: the score is a holdout column */
    char *score;       /**< score column */
    int has_threshold; /**< model-level threshold given */
    double threshold;
    mg_loc loc; /**< the model's entry */
    mg_loc file_loc, score_loc;
    char *id;       /**< join key column in this model's file, or NULL: data.id;
                         "" names a first column whose header is empty */
    int raw_scores; /**< `scores: raw`: margins or logits, no range checks */
    int has_extra_ids;
    int extra_ids; /**< mg_extra_ids (modelgate/table.h) when has_extra_ids */
    mg_loc id_loc, extra_ids_loc;
    /* multiclass: probability columns in class order (probabilities: [...], or
     * prefix + each class), and/or a predicted-class column */
    char **probabilities; /**< nprobabilities column names, or NULL */
    size_t nprobabilities;
    char *prefix; /**< probability columns are prefix + class, or NULL */
    char *label;  /**< predicted-class column, or NULL */
    mg_loc probabilities_loc, prefix_loc, label_loc;
} mg_model_spec;

/** How a `where` condition compares a column with its value(s). */
typedef enum mg_where_op {
    MG_WHERE_EQ,    /**< `column: value`: equal (numbers by value) */
    MG_WHERE_LT,    /**< `"<"`: a number column below the value */
    MG_WHERE_LE,    /**< `"<="` */
    MG_WHERE_GT,    /**< `">"` */
    MG_WHERE_GE,    /**< `">="` */
    MG_WHERE_IN,    /**< `in: [a, b]`: equal to one of the values */
    MG_WHERE_NOT_IN /**< `not_in: [a, b]`: a value that is none of them */
} mg_where_op;

/**
 * One condition of a `where` filter; a filter keeps the rows that meet all of its
 * conditions. A missing value meets no condition (not even `not_in`).
 */
typedef struct mg_where_cond {
    char *column;
    mg_where_op op;
    char **values; /**< the values as written: one for EQ and the orderings */
    size_t nvalues;
    double number; /**< the value of an ordering (LT, LE, GT, GE) */
    mg_loc loc;    /**< the condition's value */
} mg_where_cond;

/** A named group of a `groups` slicing: the column values it merges. */
typedef struct mg_group_spec {
    char *name;
    char **values;
    size_t nvalues;
    mg_loc loc;
} mg_group_spec;

/**
 * A named slicing. Its kind follows from the fields: a cross (ncolumns > 1, or
 * is_cross), bins, quantiles, groups, or one slice per value of a column; a
 * slicing with neither columns nor a kind and only a filter (`{where: ...}`) has
 * one slice. A filter (nwhere > 0) restricts any kind to the rows it keeps.
 */
typedef struct mg_slicing_spec {
    char *name;     /**< key under slices: */
    char **columns; /**< one column, or the parts of a cross: each names a column,
                         or another slicing when refs[i] >= 0 */
    size_t ncolumns;
    double *bins; /**< ascending edges for a binned number column, or NULL */
    size_t nbins;
    mg_loc loc;
    long *refs;            /**< ncolumns entries: the slicing a part names, or -1 for a
                                column; NULL when no part names a slicing */
    int is_cross;          /**< written as a list or with `cross:` */
    size_t quantiles;      /**< k > 0: k bins with edges at the holdout's quantiles */
    mg_group_spec *groups; /**< groups of values, or NULL */
    size_t ngroups;
    int other;            /**< with groups: the other values form a slice `(other)`
                               (1, the default) or belong to no slice (0) */
    mg_where_cond *where; /**< the filter's conditions, or NULL */
    size_t nwhere;
    /** Made for a weak_slices test (one of its column subsets), not declared under
     * slices: mg_suite_slicing does not find it and `modelgate metrics` does not list
     * it. */
    int discovery;
} mg_slicing_spec;

/** A threshold for one slice of a test (`at_least: {default: 0.8, "region=x": 0.7}`).
 */
typedef struct mg_slice_threshold {
    char *slice; /**< the slice's label as reports print it */
    int at_most; /**< 0: at_least, 1: at_most */
    double value;
    mg_loc loc; /**< the key, for "no slice ..." */
} mg_slice_threshold;

typedef struct mg_test_spec {
    char *name;
    int metric;   /**< mg_metric */
    char *model;  /**< model under test, "candidate" by default */
    char *slices; /**< slicing name, or NULL for the whole holdout set */
    int has_at_least, has_at_most;
    double at_least, at_most;
    mg_rule rule;
    char *baseline; /**< model to compare with, or NULL */
    mg_comparison comparison;
    double margin;            /**< the comparison's margin (>= 0) */
    int relative;             /**< margin is a fraction of the baseline's value */
    long min_size;            /**< -1: use the suite's min_size */
    mg_correction correction; /**< lenient families only (see mg_correction) */
    mg_loc loc, metric_loc, model_loc, slices_loc, baseline_loc, correction_loc;
    long min_positives;           /**< -1: use the suite's (0: no floor) */
    long min_negatives;           /**< -1: use the suite's (0: no floor) */
    mg_on_undefined on_undefined; /**< DEFAULT: use the suite's */
    mg_gap_kind gap;              /**< max_gap, min_ratio, vs_overall, or NONE */
    double gap_value;             /**< d (max_gap, vs_overall) or r (min_ratio) */
    mg_loc gap_loc;
    mg_slice_threshold *thresholds; /**< per-slice at_least / at_most, or NULL;
                                         at_least and at_most hold the defaults */
    size_t nthresholds;
    mg_where_cond *where; /**< the test's filter, or NULL: the test reads only the
                               rows it keeps */
    size_t nwhere;
    mg_loc where_loc;
    /** weak_slices: discover the slices of these columns (every combination of up to
     * weak_depth of them) worse than their complement by more than weak_margin,
     * with the false discovery rate controlled. The suite holds the combinations as
     * slicings weak_first … weak_first + weak_count − 1 (mg_slicing_spec.discovery). */
    int weak;
    char **weak_columns;
    size_t nweak_columns, weak_depth;
    double weak_margin;
    size_t weak_first, weak_count;
    mg_loc weak_loc;
    /** Per weak column: k > 0 cuts a number column into k quantile bins (written
     * `tenure:4`), 0 reads it as categories. */
    size_t *weak_quantiles;
    char *class_name; /**< multiclass `class:` (per-class metrics), or NULL */
    long k;           /**< multiclass `k:` (top_k_accuracy), 2 when not given */
    mg_loc class_loc, k_loc;
} mg_test_spec;

/** A data check's kind (`checks[].check`). */
typedef enum mg_check_kind {
    MG_CHECK_COLUMNS,      /**< listed holdout columns present, with a value type */
    MG_CHECK_MIN_ROWS,     /**< at least `at_least` holdout rows */
    MG_CHECK_MAX_MISSING,  /**< at most `fraction` or `rows` missing values */
    MG_CHECK_LABEL_VALUES, /**< every label among `allowed` (compared by value) */
    MG_CHECK_PREVALENCE,   /**< the positive share within [at_least, at_most] */
    MG_CHECK_RANGE,        /**< every value within [min, max] */
    MG_CHECK_UNIQUE,       /**< no value twice */
    MG_CHECK_NOT_CONSTANT, /**< at least two distinct values */
    MG_CHECK_CATEGORIES    /**< every value among `allowed` (exact strings) */
} mg_check_kind;

/** The value type a `columns` check asks of a column. */
typedef enum mg_value_type {
    MG_VALUE_STRING,  /**< anything: the column need only be present */
    MG_VALUE_NUMBER,  /**< every value that is not missing is a finite number */
    MG_VALUE_INTEGER, /**< every value that is not missing is a whole number */
    MG_VALUE_BOOLEAN  /**< every value that is not missing is 0/1 or true/false */
} mg_value_type;

/** The interval of a prevalence check. */
typedef enum mg_proportion_interval {
    MG_PROPORTION_WILSON, /**< Wilson score (Clopper–Pearson below 10 of a class) */
    MG_PROPORTION_CLOPPER_PEARSON /**< exact binomial */
} mg_proportion_interval;

/**
 * A data check (`checks:`), evaluated on the data as read, before any metric. A
 * check on columns yields one case per column; the others one case.
 */
typedef struct mg_check_spec {
    char *name; /**< given, or "<check> <first column or model>" */
    mg_check_kind kind;
    char **columns; /**< holdout columns the check reads, or NULL */
    size_t ncolumns;
    mg_value_type *types; /**< MG_CHECK_COLUMNS: each column's type */
    char *model;          /**< a model whose scores the check reads, or NULL */
    int has_at_least, has_at_most;
    double at_least, at_most; /**< min_rows (at_least), prevalence */
    int has_fraction, has_rows;
    double fraction; /**< max_missing: the largest share of missing values */
    size_t rows;     /**< max_missing: the largest count of missing values */
    int has_min, has_max;
    double min, max; /**< range, inclusive */
    char **allowed;  /**< label_values, categories */
    size_t nallowed;
    mg_rule rule; /**< prevalence: strict (default), lenient, estimate */
    mg_proportion_interval interval; /**< prevalence */
    mg_loc loc;                      /**< the check's entry */
    mg_loc *column_locs;             /**< where each column is named */
    mg_loc model_loc;
} mg_check_spec;

typedef struct mg_bootstrap_spec {
    size_t replicates;         /**< 2000 */
    double confidence;         /**< 0.95, in (0, 1) */
    mg_interval_kind interval; /**< bca */
    uint64_t seed;             /**< 1 */
    mg_stratify stratify;
    char *cluster; /**< cluster column, or NULL */
    mg_resampler resampler;
    mg_loc loc, interval_loc, cluster_loc;
} mg_bootstrap_spec;

typedef struct mg_data_spec {
    char *holdout; /**< resolved path */
    char *id;      /**< join key column, or NULL */
    char *label;
    char *positive; /**< the positive label value */
    char delimiter; /**< ',' */
    mg_loc holdout_loc, id_loc, label_loc, positive_loc;
    /** Missing-value markers, NULL-terminated (nmissing of them); without the key:
     * "", "NA", "NaN", "null", "None", "N/A". */
    char **missing;
    size_t nmissing;
    int drop_missing; /**< drop rows with a missing label, id or score */
    int extra_ids;    /**< mg_extra_ids (modelgate/table.h) for every model */
    mg_loc missing_loc, drop_missing_loc, extra_ids_loc;
    /** multiclass: the classes in the order of probability columns, or NULL
     * (then the label column's distinct values, in ascending order) */
    char **classes;
    size_t nclasses;
    /** multiclass: how far a row's probabilities may sum from 1 (1e-6) */
    double probability_tolerance;
    mg_loc classes_loc, probability_tolerance_loc;
    char *reference; /**< resolved path of the drift tests' reference data, or NULL */
    mg_loc reference_loc;
} mg_data_spec;

/**
 * A drift test (`drift:` in the suite): one effect size of the current data
 * against a reference, gated on its upper bound, one case per column. Feature or
 * label drift names `columns` (holdout columns, against the same columns of the
 * reference); prediction drift names a `model`, whose scores are compared with the
 * reference file's column of the same name (a reference prediction file), or with
 * the scores of `baseline` on the holdout set (candidate against champion).
 */
typedef struct mg_drift_spec {
    char *name;
    char **columns; /**< feature or label drift, or NULL */
    size_t ncolumns;
    char *model;     /**< prediction drift: the model's scores, or NULL */
    char *baseline;  /**< compare the model's scores with this model's, or NULL */
    char *reference; /**< resolved path; NULL: data.reference */
    int statistic;   /**< mg_drift_statistic (modelgate/drift.h) the test gates on */
    double at_most;  /**< the statistic's threshold (`psi_at_most: 0.2`) */
    mg_rule rule;
    mg_correction correction; /**< lenient: the columns' levels; and the p-values */
    size_t bins;              /**< PSI and JS bins, 10 */
    mg_loc loc, columns_loc, model_loc, baseline_loc, reference_loc, statistic_loc;
} mg_drift_spec;

typedef struct mg_suite {
    char *path; /**< the suite file as given */
    char *name; /**< suite: */
    mg_task task;
    mg_data_spec data;
    mg_model_spec *models;
    size_t nmodels;
    double threshold; /**< 0.5 */
    mg_bootstrap_spec bootstrap;
    mg_slicing_spec *slicings;
    size_t nslicings;
    mg_test_spec *tests;
    size_t ntests;
    size_t min_size;              /**< suite-level default for tests, 1 */
    size_t min_positives;         /**< suite-level default for tests, 0 */
    size_t min_negatives;         /**< suite-level default for tests, 0 */
    mg_on_undefined on_undefined; /**< suite-level default: ERROR */
    mg_check_spec *checks;        /**< data checks, run before the tests */
    size_t nchecks;
    mg_drift_spec *drift; /**< drift tests (`drift:`), ndrift of them */
    size_t ndrift;
} mg_suite;

/**
 * Parse and check a suite file.
 *
 * Errors name the suite file, line, column and key: unknown keys, wrong types,
 * missing required keys (suite, task, data.holdout, data.label, data.positive for
 * binary suites, models, a model's score (binary) or probabilities, prefix or label
 * (multiclass)), unknown metric names and metrics of another task, a test naming an
 * undeclared model, baseline, slicing or class, `class` missing on a per-class
 * metric, a test with neither a threshold nor a comparison, replicates outside
 * [1, 10^7], confidence outside (0, 1), an unknown task ("task 'regression' is not
 * supported yet"), a data check of an unknown kind, with a key its kind does not take
 * or without one it needs, or with a bound outside its range (a fraction above 1, a
 * prevalence band in percent).
 *
 * @param out receives the suite, owned by the caller (mg_suite_free)
 */
MG_EXTERN int mg_suite_load(mg_suite **out, const char *path, mg_error *err);

/**
 * Turn a loaded suite into a weak-slice search (`modelgate discover`): its tests
 * are replaced by one weak_slices test named "weak slices" of `metric` (a name, as
 * in a suite) on `model` (NULL: candidate) over `columns` (comma-separated), every
 * combination of up to `depth` of them, with margin `margin`. Errors (MG_EINVAL,
 * naming the option): an unknown metric or model, a metric whose complement cannot
 * be formed from sums (auc, average_precision) or that is descriptive, no column,
 * a column twice, depth 0 or above 4.
 */
MG_EXTERN int mg_suite_discover(mg_suite *suite, const char *columns, size_t depth,
                                const char *metric, const char *model, double margin,
                                mg_error *err);

/** Free a suite; NULL is allowed. */
MG_EXTERN void mg_suite_free(mg_suite *suite);

/** Index of the model named `name`, or -1. */
MG_EXTERN long mg_suite_model(const mg_suite *suite, const char *name);
/** Index of the slicing named `name`, or -1. */
MG_EXTERN long mg_suite_slicing(const mg_suite *suite, const char *name);

/** Fill err from a location: file = suite path, line, column and key from loc. */
MG_EXTERN int mg_suite_error(const mg_suite *suite, const mg_loc *loc, mg_error *err,
                             int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#ifdef __cplusplus
}
#endif

#endif
