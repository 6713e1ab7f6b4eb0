/**
 * @file rules.h
 * @brief The kinds a test is made of, shared by the suite file (what was asked) and
 * the report (what was decided): interval method, decision rule, comparison and
 * multiple-testing correction.
 */
#ifndef MODELGATE_RULES_H
#define MODELGATE_RULES_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mg_interval_kind {
    MG_INTERVAL_BCA,
    MG_INTERVAL_PERCENTILE,
    MG_INTERVAL_BASIC,
    MG_INTERVAL_ANALYTIC
} mg_interval_kind;

/** The interval a case's numbers come from, as computed (the suite asks for an
 * mg_interval_kind; BCa without a closed-form acceleration falls back to BC). */
typedef enum mg_ci_method {
    MG_CI_NONE,       /**< no interval */
    MG_CI_BCA,        /**< bias-corrected and accelerated bootstrap */
    MG_CI_BC,         /**< bias-corrected bootstrap, no acceleration available */
    MG_CI_PERCENTILE, /**< bootstrap percentile */
    MG_CI_BASIC,      /**< bootstrap basic (reverse percentile) */
    MG_CI_WILSON,     /**< Wilson score interval of a proportion */
    MG_CI_DELONG,     /**< DeLong normal interval of an AUC or paired AUC difference */
    MG_CI_CLOPPER_PEARSON, /**< exact binomial interval of a proportion, used where
                                the bootstrap has too few successes or failures */
    MG_CI_MAX_T, /**< simultaneous bootstrap bounds on every pairwise slice difference
                      (studentised maximum), for a gap or ratio across slices */
    MG_CI_DELONG_LOGIT, /**< DeLong interval of one AUC on the logit scale, mapped
                            back: inside (0, 1), wider on the side away from 1 */
    MG_CI_NORMAL /**< estimate ± z · the bootstrap standard deviation (weak slices) */
} mg_ci_method;

typedef enum mg_rule { MG_RULE_STRICT, MG_RULE_LENIENT, MG_RULE_ESTIMATE } mg_rule;

typedef enum mg_comparison {
    MG_COMPARE_NONE,
    MG_COMPARE_NON_INFERIOR,
    MG_COMPARE_SUPERIOR,
    MG_COMPARE_EQUIVALENT
} mg_comparison;

/** Multiple-testing correction of a lenient slice family. */
typedef enum mg_correction {
    MG_CORRECTION_DEFAULT, /**< holm for a lenient family, none otherwise */
    MG_CORRECTION_NONE,
    MG_CORRECTION_HOLM,       /**< Holm's step-down, on interval levels: the
                                   family-wise error rate */
    MG_CORRECTION_BONFERRONI, /**< each slice at level 1 − α/k */
    MG_CORRECTION_BH          /**< Benjamini–Hochberg step-up: the false discovery
                                   rate; intervals at 1 − Rα/k (Benjamini–Yekutieli
                                   2005, false coverage rate) */
} mg_correction;

/** A test across the slices of a slicing, rather than on each slice. */
typedef enum mg_gap_kind {
    MG_GAP_NONE,
    MG_GAP_MAX,       /**< max_gap: largest minus smallest slice value at most d */
    MG_GAP_RATIO,     /**< min_ratio: smallest over largest slice value at least r */
    MG_GAP_VS_OVERALL /**< vs_overall: no slice more than d worse than the whole set */
} mg_gap_kind;

/** What a test case does when its metric is undefined on a slice. */
typedef enum mg_on_undefined {
    MG_ON_UNDEFINED_DEFAULT, /**< the suite's setting (error unless it says skip) */
    MG_ON_UNDEFINED_ERROR,   /**< an error case: the gate fails */
    MG_ON_UNDEFINED_SKIP     /**< a skipped case, with the reason */
} mg_on_undefined;

#ifdef __cplusplus
}
#endif

#endif
