/**
 * @file plan.h
 * @brief Sample-size planning: the power of a test as configured, its interval's
 * half-width, and the data a slice needs to pass at a target power.
 *
 * A one-sided test of "θ is at least t" at level L passes when its bound clears t.
 * With the estimator normal around the truth θ, the chance of that is
 *
 *     power = Φ((√n · (θ − t) − z_L · √V₀) / √V_A),
 *
 * where V₀ and V_A are the per-unit variances at t and at θ, and the units n needed
 * for a power 1 − β are n = ((z_L · √V₀ + z_β · √V_A) / (θ − t))². For a
 * proportion (accuracy, precision, recall, …) V = p(1 − p) per trial of its own
 * denominator: the score test the Wilson interval inverts. For an AUC, V is
 * Obuchowski's binormal variance per positive, 0.0099 e^{−A²/2}((5A² + 8) + (A² +
 * 8)/κ) with A = 1.414 Φ⁻¹(θ) and κ negatives per positive (Obuchowski 1994), as
 * pROC's power.roc.test computes it (which fixes t = 0.5), scaled to the variance
 * the case's own interval shows (Obuchowski's binormal formula overstates it by
 * 30–80 % on binormal data). For any other statistic,
 * and for differences, V₀ = V_A = n · se², from the bootstrap standard error the
 * case's own interval implies (its width over 2 z_L), assuming se ∝ 1/√n.
 */
#ifndef MODELGATE_PLAN_H
#define MODELGATE_PLAN_H

#include <stddef.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a plan entry's variance was obtained. */
typedef enum mg_plan_method {
    MG_PLAN_NONE,       /**< no plan for this case (see note) */
    MG_PLAN_PROPORTION, /**< binomial variance of a proportion (score test) */
    MG_PLAN_AUC,        /**< Obuchowski's binormal variance of an AUC */
    MG_PLAN_BOOTSTRAP   /**< the case's bootstrap standard error, scaled by 1/√n */
} mg_plan_method;

/** The plan of one test case. Strings are static or borrowed from the case. */
typedef struct mg_plan_entry {
    mg_plan_method method;
    const char *units;    /**< what n counts: "trials", "positives", "rows" */
    double n;             /**< those units in the slice now */
    double rows_per_unit; /**< rows in the slice per unit (rows needed = units × it) */
    double estimate;      /**< the statistic the test reads (Δ for a comparison) */
    double threshold;  /**< the value it must clear (−margin for non-inferiority) */
    int above;         /**< the passing side is above the threshold */
    double level;      /**< the one-sided level of the bound the test reads */
    double se;         /**< the standard error now */
    double half_width; /**< z_level · se: each end's distance from the estimate */
    double power_estimate; /**< the chance to pass if the truth is the estimate */
    int has_power_at;
    double at, power_at; /**< ... and if the truth is `at` */
    int has_needed;
    double units_needed, rows_needed; /**< for the target power at the estimate */
    const char *note;                 /**< why something is missing, or NULL */
    /** Per-unit variance at the estimate: n · se². For an AUC it comes from the
     * case's own interval when it has one (DeLong's or the bootstrap's), and
     * Obuchowski's variance only gives its change with the AUC (at the threshold,
     * at `at`); without an interval it is Obuchowski's. */
    double unit_variance;
} mg_plan_entry;

/**
 * Power Φ((√n (θ − t) − z √v0) / √va) of a one-sided test at level `level` (z its
 * normal quantile), with θ − t the distance to the threshold on the passing side.
 */
MG_EXTERN double mg_power_normal(double n, double distance, double v0, double va,
                                 double level);
/** Units needed for `power`: ((z_level √v0 + z_power √va) / distance)². */
MG_EXTERN double mg_power_units(double distance, double v0, double va, double level,
                                double power);
/** Obuchowski's variance of an AUC per positive, κ negatives per positive. */
MG_EXTERN double mg_power_auc_variance(double auc, double kappa);

/**
 * Plan one case of a run report: power at the estimate (and at `at` when has_at),
 * the half-width, and the units and rows needed for `power` (in (0, 1)). A case that
 * is not a decided threshold, comparison or vs_overall case gets MG_PLAN_NONE and a
 * note. Returns 0, or MG_EINVAL for a power outside (0, 1).
 */
MG_EXTERN int mg_plan_case(const mg_case *k, double power, int has_at, double at,
                           mg_plan_entry *out, mg_error *err);

#ifdef __cplusplus
}
#endif

#endif
