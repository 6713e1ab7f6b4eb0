/**
 * @file report.h
 * @brief What a run produced, and the reporters that write it out.
 *
 * An mg_report is a transparent, self-contained record of a run: provenance, one
 * mg_case per test and slice, and (for `modelgate metrics`) one mg_metric_entry per
 * model, slice and metric. Reporters only format it; they compute no statistics.
 * Files are written atomically: to a temporary file in the same directory, then
 * renamed, so a failed run never leaves a half-written report.
 */
#ifndef MODELGATE_REPORT_H
#define MODELGATE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mg_outcome {
    MG_OUTCOME_PASS,
    MG_OUTCOME_FAIL,
    MG_OUTCOME_SKIP,
    MG_OUTCOME_ERROR
} mg_outcome;

/** What a case is. */
typedef enum mg_test_kind {
    MG_TEST_THRESHOLD,  /**< at_least / at_most on one model's metric */
    MG_TEST_COMPARISON, /**< a margin on Δ = model − baseline */
    MG_TEST_SUITE,      /**< the suite as a whole (it tested nothing) */
    MG_TEST_GAP,        /**< max_gap: the largest minus the smallest slice value (with
                             a baseline: Δ = baseline's gap − model's gap) */
    MG_TEST_RATIO,      /**< min_ratio: the smallest over the largest slice value */
    MG_TEST_VS_OVERALL, /**< vs_overall: Δ = slice − whole set, sign-adjusted */
    MG_TEST_WEAK_SLICE, /**< weak_slices: a discovered slice, Δ = slice − the rest of
                             the rows (sign-adjusted), or the search's pass when it
                             found none */
    MG_TEST_DATA_CHECK, /**< a data check (`checks:`) on one column, model or the
                             whole holdout set; `metric` names the check's kind */
    MG_TEST_DRIFT       /**< a drift statistic of one column at_most a threshold */
} mg_test_kind;

/** How a case ended: decided by its rule, or why it could not be. */
typedef enum mg_case_status {
    MG_STATUS_DECIDED,            /**< the rule decided pass or fail (checks[]) */
    MG_STATUS_TOO_SMALL,          /**< skipped: n < min_size */
    MG_STATUS_UNDEFINED,          /**< error: the model's metric is undefined */
    MG_STATUS_BASELINE_UNDEFINED, /**< error: the baseline's metric is undefined */
    MG_STATUS_NO_INTERVAL,        /**< error: the rule needs an interval, none exists */
    MG_STATUS_NO_TESTS,           /**< error: the suite has no tests */
    MG_STATUS_ALL_SKIPPED,        /**< error: every case was skipped */
    MG_STATUS_NO_EVIDENCE,        /**< the data give no usable interval (every replicate
                                       equal, too few positives or negatives, too few
                                       replicates for the level): inconclusive, a failure
                                       under strict, a pass under lenient (reason says why) */
    MG_STATUS_CHECKED,            /**< a data check found what `reason` says: a pass or
                                       a failure (a prevalence check is DECIDED) */
    MG_STATUS_NOT_CHECKED,        /**< error: a data check could not read what it
                                       checks (reason says why) */
    MG_STATUS_DATA_FAILED         /**< error: a test not evaluated because a data check
                                       it depends on failed (reason names it) */
} mg_case_status;

/** Which number of a case a check compares with its threshold. */
typedef enum mg_bound { MG_BOUND_ESTIMATE, MG_BOUND_LOWER, MG_BOUND_UPPER } mg_bound;

/** What a check found, beyond pass or fail. */
typedef enum mg_finding {
    MG_FINDING_PASS,         /**< on the passing side */
    MG_FINDING_CLEAR_FAIL,   /**< the whole interval (or the estimate) fails */
    MG_FINDING_INCONCLUSIVE, /**< strict: the interval straddles the threshold */
    MG_FINDING_LENIENT_PASS  /**< lenient: straddles, and passes under the rule */
} mg_finding;

/** One side of a decision: `value` (the bound) against `threshold`. */
typedef struct mg_check {
    mg_bound bound;
    double value;
    double threshold;
    int above; /**< the passing side is above the threshold */
    int open;  /**< the threshold itself fails (superiority: Δ > m) */
    int passed;
    mg_finding finding;
} mg_check;

/** A model's value of a case's metric on the case's slice, for plots. */
typedef struct mg_case_peer {
    char *model;
    int has_estimate;
    double estimate;
    int has_ci;
    double ci_low, ci_high; /**< at the case's `confidence` */
} mg_case_peer;

/** One testcase: a test evaluated on one slice. Strings are owned by the report. */
typedef struct mg_case {
    char *test;     /**< test name */
    char *metric;   /**< metric name */
    char *model;    /**< model under test */
    char *baseline; /**< baseline model, or NULL */
    char *slicing;  /**< slicing name, or NULL for the whole holdout set */
    char *slice;    /**< "overall", "region=north", "a=1 × b=x" */
    size_t n;       /**< holdout rows in the slice */
    int has_estimate;
    double estimate; /**< the model's metric on the slice */
    int has_ci;
    double ci_low, ci_high;
    int has_delta; /**< comparison tests: Δ = model − baseline, sign-adjusted */
    double delta, delta_ci_low, delta_ci_high;
    int has_p_value;
    double p_value;
    char *p_method; /**< "delong", "mcnemar", "bootstrap", or NULL */
    int has_threshold;
    double threshold;  /**< at_least / at_most value, or the margin */
    char *rule;        /**< "strict", "lenient", "estimate" */
    char *interval;    /**< "bca", "percentile", "basic", "analytic" */
    double confidence; /**< e.g. 0.95 */
    mg_outcome outcome;
    char *message;  /**< one-line verdict, e.g. "auc 0.781 [0.752, 0.809] 95% BCa:
                         lower bound < 0.80 (inconclusive: …)" */
    char *detail;   /**< the full numbers, several lines, or NULL */
    double seconds; /**< time spent on this case */

    /* The same case as numbers and kinds, from which message and detail are
     * rendered (in the C locale, by one renderer). */
    mg_test_kind kind;
    mg_case_status status;
    int direction;                  /**< the metric's: +1 higher is better, -1 lower */
    mg_rule rule_kind;              /**< `rule` as a kind */
    mg_interval_kind interval_kind; /**< `interval` as a kind */
    mg_ci_method method;            /**< the interval actually computed */
    mg_correction correction;       /**< applied to this case's level (NONE: none) */
    size_t family_size;             /**< slices in the corrected family, or 0 */
    int has_at_least, has_at_most;
    double at_least, at_most; /**< threshold tests */
    mg_comparison comparison; /**< comparison tests */
    double margin;            /**< in metric units (a relative margin resolved) */
    int relative;             /**< the margin was given as a fraction */
    int has_baseline_estimate;
    double baseline_estimate;    /**< the baseline's metric on the slice */
    long min_size;               /**< the smallest slice the test evaluates */
    size_t replicates;           /**< bootstrap replicates drawn (0: analytic) */
    size_t replicates_undefined; /**< of which the statistic was undefined */
    int degenerate;              /**< every defined replicate was equal */
    char *reason;                /**< why undefined or no interval, or NULL */
    mg_check checks[2];          /**< MG_STATUS_DECIDED: the rule's one or two sides */
    size_t nchecks;
    /** The one-sided level of each bound a check reads: the suite's confidence, or
     * its multiple-testing-adjusted form. `confidence` is the two-sided level of
     * [ci_low, ci_high] (or of the Δ interval), 2·bound_level − 1: each end of the
     * interval is one of the one-sided bounds. */
    double bound_level;
    /** The data behind the statistic: the metric's own denominator for a
     * proportion (positives for recall), min(positives, negatives) for rank and
     * other class-dependent metrics, rows for means. */
    size_t effective_size;
    /** MG_STATUS_NO_EVIDENCE for too few replicates: how many the level needs. */
    size_t replicates_needed;
    size_t positives, negatives;       /**< holdout rows of each class in the slice */
    long min_positives, min_negatives; /**< the test's floors (0: none) */
    /** A corrected family's member: the one-sided p-value of the case's failure
     * (1 − the highest level at which it fails; above ½ reported as 1) and that
     * p-value adjusted by `correction` over `family_size` members (R's p.adjust). */
    int has_family_p;
    double family_p, family_p_adjusted;
    /** Gap and ratio tests: the slices with the highest and the lowest value at the
     * estimate (the worst pair) and their values, the slices the statistic spans,
     * and those left out (too small, undefined, or fewer than 10 of the smaller
     * class). For a ratio, `estimate` is low / high. */
    char *gap_high, *gap_low;
    double gap_high_value, gap_low_value;
    size_t gap_slices, gap_left_out;
    /** A small sample for the interval's method (MG_STATUS_NO_EVIDENCE): the
     * method kept its stated level in simulation only from this effective size up,
     * its bounds below it fell short by up to the factor `reliable_widen`, and the
     * verdict did not survive the interval widened by it (docs/statistics.md).
     * 0: not the reason. */
    size_t reliable_from;
    double reliable_widen;
    char *warning; /**< that reason as a sentence, or NULL */
    /** Weak slices: the slice's rank by Δ among those discovered (1: the worst; 0
     * when none was), the discovered parent slice (one column fewer) that explains it
     * (its Δ is not significantly worse than the parent's), or NULL, and the
     * candidate slices searched. */
    size_t weak_rank;
    char *weak_explained_by;
    size_t weak_candidates;
    /** With mg_run_options.with_plots, for a case on a slicing's slice: every model
     * of the suite (in the suite's order, the model under test among them) on this
     * metric and slice, each interval at this case's `confidence`; else NULL. */
    mg_case_peer *peers;
    size_t npeers;
    /** Drift tests: the p-value adjusted across the test's columns (`correction`,
     * Holm by default), and the correction that made it. */
    int has_p_adjusted;
    double p_adjusted;
    mg_correction p_correction;
} mg_case;

/** One metric of one model on one slice, for `modelgate metrics`. */
typedef struct mg_metric_entry {
    char *model;
    char *slicing; /**< NULL for the whole holdout set */
    char *slice;
    char *metric;
    size_t n;
    int has_estimate;
    double estimate;
    char *reason; /**< why the estimate or interval is missing, or NULL */
    int has_ci;
    double ci_low, ci_high;
    size_t undefined_replicates; /**< replicates where the metric was undefined */
} mg_metric_entry;

/** An input file's provenance. */
typedef struct mg_input_file {
    char *role; /**< "holdout", "model candidate", … */
    char *path;
    size_t rows;
    char sha256[65];
    size_t missing_dropped; /**< rows left out for a missing label, id or score
                                 (data.drop_missing); 0 otherwise */
    size_t extra_ignored;   /**< rows whose id is not in the holdout set, skipped
                                 (extra_ids: ignore) */
} mg_input_file;

/** Which curve an mg_curve is. */
typedef enum mg_curve_kind {
    MG_CURVE_ROC, /**< true positive rate (y) against false positive rate (x) */
    MG_CURVE_PR   /**< precision (y) against recall (x) */
} mg_curve_kind;

/**
 * A model's ROC or precision–recall curve on the whole holdout set, read at fixed
 * abscissae, with a pointwise bootstrap band (the percentile interval of the
 * replicates' curves at each abscissa). Arrays are owned by the report.
 */
typedef struct mg_curve {
    char *model;
    mg_curve_kind kind;
    size_t npoints; /**< 0 when the curve is undefined (reason says why) */
    double *x;      /**< ascending false positive rates or recalls */
    double *y;      /**< the holdout set's true positive rate or precision at x */
    int has_band;
    double *low, *high;     /**< the band at `confidence`, or NULL (reason says why) */
    double confidence;      /**< two-sided, pointwise */
    size_t replicates_used; /**< replicates whose curve is defined */
    char *reason;           /**< why there is no curve or no band, or NULL */
    int has_operating_point;
    double operating_x, operating_y; /**< the model's threshold on these axes */
    double threshold;                /**< the model's threshold */
    int has_area;
    double area;       /**< AUC (ROC) or average precision (PR) of the holdout set */
    double prevalence; /**< positives / rows: the PR curve of a score with no skill */
} mg_curve;

typedef struct mg_report {
    char *suite; /**< suite name */
    char *suite_path;
    char *tool_version;
    char timestamp[32]; /**< ISO 8601 UTC, "2026-11-27T10:00:00Z" */
    uint64_t seed;
    size_t replicates;
    double confidence;
    char *interval;  /**< interval method name */
    char *resampler; /**< "multinomial" or "poisson" */
    char *stratify;  /**< "none" or "label" */
    char *cluster;   /**< cluster column or NULL */
    unsigned threads;
    mg_input_file *inputs;
    size_t ninputs;
    mg_case *cases;
    size_t ncases;
    mg_metric_entry *metrics;
    size_t nmetrics;
    size_t passed, failed, skipped, errors;
    double seconds; /**< wall time of the run */
    /** Warnings about the data that do not stop the run (a model whose scores take
     * two values: rank metrics degenerate), one line each, owned. */
    char **warnings;
    size_t nwarnings;
    /** With mg_run_options.with_plots: each model's ROC curve, then each model's
     * precision–recall curve. */
    mg_curve *curves;
    size_t ncurves;
    /** The commit being tested, from the first of the CI variables GITHUB_SHA,
     * CI_COMMIT_SHA, GIT_COMMIT, BUILD_SOURCEVERSION that is set, or NULL; and the
     * variable's name. */
    char *commit;
    char *commit_source;
} mg_report;

/** Free everything the report owns and the report itself; NULL is allowed. */
MG_EXTERN void mg_report_free(mg_report *r);

/**
 * Check before any computation that `path` can be written: its directory exists and
 * is writable, and `path` is not a directory. Returns MG_EIO with the path in err.
 */
MG_EXTERN int mg_report_check_path(const char *path, mg_error *err);

/**
 * Write `len` bytes to `path` atomically: a temporary file in the same directory,
 * flushed and renamed over `path`. On failure nothing is left behind.
 */
MG_EXTERN int mg_write_file_atomic(const char *path, const void *data, size_t len,
                                   mg_error *err);

/**
 * JUnit XML (libxml2): <testsuites> with one <testsuite> holding <properties>
 * (provenance) and one <testcase> per mg_case; failures as <failure message=…>
 * with the detail as text, skips as <skipped message=…>, errors as <error>. Every
 * string is cleaned to XML 1.0 characters; times use %.3f. Valid against the
 * Jenkins junit-10 schema.
 */
MG_EXTERN int mg_report_write_junit(const mg_report *r, const char *path,
                                    mg_error *err);
/** The same JUnit XML as a string, owned by the caller (free()). */
MG_EXTERN int mg_report_junit_string(const mg_report *r, char **out, mg_error *err);

/**
 * JSON (jansson): provenance, summary counts, "cases" and "metrics" arrays. Numbers
 * are printed with 17 significant digits so they read back exactly; absent values
 * are null, never NaN.
 */
MG_EXTERN int mg_report_write_json(const mg_report *r, const char *path, mg_error *err);
/** The same JSON as a string, owned by the caller (free()). */
MG_EXTERN int mg_report_json_string(const mg_report *r, char **out, mg_error *err);

/** Markdown summary table for a CI step summary or merge-request comment. */
MG_EXTERN int mg_report_write_markdown(const mg_report *r, const char *path,
                                       mg_error *err);
/** The same Markdown as a string, owned by the caller (free()). */
MG_EXTERN int mg_report_markdown_string(const mg_report *r, char **out, mg_error *err);

/**
 * HTML: one self-contained page (inline CSS and SVG, no script, nothing fetched):
 * the verdict, the cases failures first, the comparisons with their p-values, a
 * forest plot per sliced test, each model's ROC and precision–recall curves with
 * pointwise bootstrap bands, and the provenance. The plots need a report run with
 * mg_run_options.with_plots; without it the page has the tables and forest plots of
 * the model under test alone. Every string is cleaned and escaped; the page is
 * well-formed XML as well as HTML, and holds no time or thread count, so it is
 * byte-identical for the same results.
 */
MG_EXTERN int mg_report_write_html(const mg_report *r, const char *path, mg_error *err);
/** The same HTML as a string, owned by the caller (free()). */
MG_EXTERN int mg_report_html_string(const mg_report *r, char **out, mg_error *err);

/** The version of mg_console_options this header describes. */
#define MG_CONSOLE_OPTIONS_VERSION 2

/** How the console tables look. Initialise with MG_CONSOLE_OPTIONS_INIT or
 * mg_console_options_init. */
typedef struct mg_console_options {
    unsigned int version; /**< MG_CONSOLE_OPTIONS_VERSION */
    int color;   /**< ANSI colours (the CLI decides: terminal and no NO_COLOR) */
    int verbose; /**< print passing cases' details too */
    /** Version 2: mg_report_print_cases prints only the failed and errored cases
     * (with their details) and the summary line, which it always prints. */
    int only_failures;
} mg_console_options;

#define MG_CONSOLE_OPTIONS_INIT                                                        \
    {                                                                                  \
        MG_CONSOLE_OPTIONS_VERSION, 0, 0, 0                                            \
    }

/**
 * Initialise `opts` to the defaults, as MG_CONSOLE_OPTIONS_INIT does.
 *
 * @param version MG_CONSOLE_OPTIONS_VERSION
 * @return 0, or MG_EINVAL when opts is NULL or this library does not know `version`
 *         (opts is then left as it was)
 */
MG_EXTERN int mg_console_options_init(mg_console_options *opts, unsigned int version);

/** Aligned table of the cases and a summary line. */
MG_EXTERN int mg_report_print_cases(const mg_report *r, FILE *out,
                                    const mg_console_options *opts);
/** Aligned table of the metric entries (model × slice × metric with intervals). */
MG_EXTERN int mg_report_print_metrics(const mg_report *r, FILE *out,
                                      const mg_console_options *opts);

#ifdef __cplusplus
}
#endif

#endif
