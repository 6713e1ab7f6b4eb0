/**
 * @file drift.h
 * @brief Drift of a column between a reference data set and the current one.
 *
 * Per column: the population stability index (PSI) over bins cut at the
 * reference's quantiles, the Jensen–Shannon distance over the same bins (or the
 * categories), and for numbers the two-sample Kolmogorov–Smirnov statistic with
 * SciPy's p-value and the Wasserstein-1 distance (raw, and divided by the
 * reference's standard deviation); for categories Pearson's χ² on the 2 × k table
 * with its p-value and Cramér's V. Each effect size can carry a bootstrap interval
 * (both samples resampled, over sufficient statistics, never over rows).
 * docs/statistics.md states the definitions; stats/drift.c has the method.
 */
#ifndef MODELGATE_DRIFT_H
#define MODELGATE_DRIFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The drift statistics, in the order reports list them. Numbers are public. */
typedef enum mg_drift_statistic {
    MG_DRIFT_PSI = 0,              /**< population stability index, ≥ 0 */
    MG_DRIFT_KS = 1,               /**< Kolmogorov–Smirnov D, in [0, 1] (numbers) */
    MG_DRIFT_JS = 2,               /**< Jensen–Shannon distance, base 2, in [0, 1] */
    MG_DRIFT_WASSERSTEIN = 3,      /**< Wasserstein-1 distance, in the column's units */
    MG_DRIFT_WASSERSTEIN_NORM = 4, /**< Wasserstein-1 / reference standard deviation */
    MG_DRIFT_CRAMERS_V = 5,        /**< Cramér's V of the 2 × k table (categories) */
    MG_DRIFT_CHI2 = 6, /**< Pearson's χ² of the 2 × k table (categories) */
    MG_DRIFT_STATISTIC_COUNT = 7
} mg_drift_statistic;

/** The suite and report name of a statistic ("psi", "ks", "js", "wasserstein",
 * "wasserstein_norm", "cramers_v", "chi2"), or NULL. */
MG_EXTERN const char *mg_drift_statistic_name(mg_drift_statistic s);
/** The statistic named `name`, or -1. */
MG_EXTERN int mg_drift_statistic_from_name(const char *name);

/** The version of mg_drift_options this header describes. */
#define MG_DRIFT_OPTIONS_VERSION 1

/** How drift is measured. Initialise with MG_DRIFT_OPTIONS_INIT or
 * mg_drift_options_init. */
typedef struct mg_drift_options {
    unsigned int version;      /**< MG_DRIFT_OPTIONS_VERSION */
    size_t bins;               /**< PSI and JS bins cut at reference quantiles: 10 */
    double psi_floor;          /**< an empty bin's share in PSI: 0.0001 */
    size_t replicates;         /**< bootstrap replicates; 0: no intervals. 2000 */
    double confidence;         /**< two-sided interval level: 0.95 */
    mg_interval_kind interval; /**< percentile (bca becomes BC: no acceleration) */
    uint64_t seed;             /**< 1 */
    size_t grid;      /**< cells of the bootstrap's grid for KS and Wasserstein: 250 */
    unsigned threads; /**< 0: one per core */
} mg_drift_options;

#define MG_DRIFT_OPTIONS_INIT                                                          \
    {                                                                                  \
        MG_DRIFT_OPTIONS_VERSION, 10, 1e-4, 2000, 0.95, MG_INTERVAL_PERCENTILE, 1,     \
            250, 0                                                                     \
    }

/** Initialise `opts` as MG_DRIFT_OPTIONS_INIT does; MG_EINVAL for an unknown
 * version or NULL. */
MG_EXTERN int mg_drift_options_init(mg_drift_options *opts, unsigned int version);

/** One statistic of one column. */
typedef struct mg_drift_value {
    int has_value; /**< defined for this column (KS only for numbers, …) */
    double value;
    int has_ci;
    double ci_low, ci_high;
} mg_drift_value;

/** The drift of one column. */
typedef struct mg_drift_column {
    char *name; /**< owned */
    int categorical;
    size_t n_reference, n_current;             /**< values compared */
    size_t missing_reference, missing_current; /**< missing values left out */
    size_t bins;                               /**< PSI and JS bins (or categories) */
    size_t new_categories; /**< categories seen only in the current data */
    mg_drift_value stat[MG_DRIFT_STATISTIC_COUNT];
    int has_p_value;
    double p_value;       /**< KS (numbers) or χ² (categories), unadjusted */
    double p_adjusted;    /**< Holm-adjusted across the table's columns */
    const char *p_method; /**< "ks-exact", "ks-asymptotic", "chi2" (static) */
    double chi2_df;       /**< χ²'s degrees of freedom */
    double reference_sd;  /**< numbers: the reference's standard deviation */
    char *reason;         /**< owned: why a statistic is missing, or NULL */
} mg_drift_column;

/** A drift table: one row per column, sorted by effect size (largest first). */
typedef struct mg_drift_table {
    char *reference, *current; /**< paths, owned */
    char reference_sha256[65], current_sha256[65];
    size_t reference_rows, current_rows;
    mg_drift_options options;
    mg_drift_statistic sort_by; /**< normalised Wasserstein or Cramér's V… see docs */
    mg_drift_column *columns;
    size_t ncolumns;
    double seconds;
    /** Without a column list: the columns only one of the files has, which are not
     * compared (owned), and how many. */
    char **unshared;
    size_t nunshared;
    /** Without a column list: category columns with a distinct value in every row
     * of the reference (ids), not compared (owned), and how many. */
    char **ids;
    size_t nids;
} mg_drift_table;

/**
 * The drift of `columns` (when ncolumns is 0, every column both files have, in the
 * reference's order; the others are listed in `unshared`) between two CSV files. A
 * column whose values are all numbers (missing-value markers aside) in both files is a
 * number; any other is a category. Errors name the file, line and column: a column
 * absent from either file, an empty file.
 *
 * @param out receives the table, owned by the caller (mg_drift_table_free)
 */
MG_EXTERN int mg_drift_compare(mg_drift_table **out, const char *reference,
                               const char *current, const char *const *columns,
                               size_t ncolumns, const mg_drift_options *opts,
                               mg_error *err);

/** Free a table; NULL is allowed. */
MG_EXTERN void mg_drift_table_free(mg_drift_table *t);

/** Print the table, aligned, to `out`. */
MG_EXTERN int mg_drift_table_print(const mg_drift_table *t, FILE *out);

/** The table as JSON (everything, 17 significant digits), owned by the caller. */
MG_EXTERN int mg_drift_table_json(const mg_drift_table *t, char **out, mg_error *err);

/**
 * The two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp(method='auto'):
 * the statistic of the two samples (NaN values are refused) and its two-sided
 * p-value, exact when max(n1, n2) ≤ 10000, asymptotic otherwise.
 */
MG_EXTERN int mg_ks_2samp(const double *a, size_t na, const double *b, size_t nb,
                          double *statistic, double *p_value, int *exact,
                          mg_error *err);

/** Wasserstein-1 distance of two samples, as scipy.stats.wasserstein_distance. */
MG_EXTERN int mg_wasserstein(const double *a, size_t na, const double *b, size_t nb,
                             double *out, mg_error *err);

#ifdef __cplusplus
}
#endif

#endif
