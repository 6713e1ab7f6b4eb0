/*
 * Sample-size planning (include/modelgate/plan.h states the formulas).
 *
 * A test's bound clears its threshold t when the estimate is at least z_L standard
 * errors past it (strict rule), or when it is not z_L standard errors short of it
 * (lenient), or when it is past it at all (estimate). With the estimate normal
 * around the truth θ with variance V_A/n, and the bound's standard error taken at
 * the threshold (V₀/n) where a score test takes it, the chance to pass is
 * Φ((√n (θ − t) ∓ z_L √V₀) / √V_A): the formula of one-sample proportion tests
 * (Fleiss, Levin & Paik 2003, §2.5) and of pROC's power.roc.test for one ROC curve
 * (Obuchowski & McClish 1997), whose variance of an AUC per positive is
 * Obuchowski's binormal one (Obuchowski 1994). On binormal data that formula
 * overstates the variance of the AUC (by 30–80 % at AUC 0.8–0.9: bench/plan_power.c),
 * so an AUC is planned from the variance its own interval shows (DeLong's or the
 * bootstrap's), and Obuchowski's formula only says how the variance changes between
 * the estimate and the threshold. Units solve the same equation for n.
 *
 * A proportion's units are its own denominator (positives for recall), an AUC's
 * are positives (negatives follow at the slice's ratio κ), and any other statistic
 * is planned from the standard error its bootstrap interval implies, se = width /
 * (2 z_L), scaled as 1/√rows. A range (at_least and at_most, or equivalence) passes
 * when both sides do; its power is taken as P(low) + P(high) − 1, which holds when
 * the two failures are disjoint, as they are for a narrow interval.
 */
#include "modelgate/plan.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "modelgate/metrics.h"

double mg_power_normal(double n, double distance, double v0, double va, double level)
{
    double z = gsl_cdf_ugaussian_Pinv(level);
    if (!(va > 0))
        return distance - z * sqrt(v0 / n) >= 0 ? 1 : 0;
    return gsl_cdf_ugaussian_P((sqrt(n) * distance - z * sqrt(v0)) / sqrt(va));
}

double mg_power_units(double distance, double v0, double va, double level, double power)
{
    double za = gsl_cdf_ugaussian_Pinv(level), zb = gsl_cdf_ugaussian_Pinv(power);
    double r = (za * sqrt(v0) + zb * sqrt(va)) / distance;
    return r * r;
}

double mg_power_auc_variance(double auc, double kappa)
{
    double a = gsl_cdf_ugaussian_Pinv(auc) * 1.414;
    return 0.0099 * exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / kappa);
}

/* The per-unit variance at a value: a proportion's, an AUC's, or the bootstrap's. */
static double variance(const mg_plan_entry *e, double x, double kappa)
{
    switch (e->method) {
    case MG_PLAN_PROPORTION:
        return x * (1 - x);
    case MG_PLAN_AUC:
        return e->unit_variance * mg_power_auc_variance(x, kappa) /
               mg_power_auc_variance(e->estimate, kappa);
    default:
        return e->n * e->se * e->se;
    }
}

/* Power of one side (threshold t, passing side above or below) at truth x. */
static double side_power(const mg_plan_entry *e, mg_rule rule, double t, int above,
                         double x, double kappa)
{
    double d = above ? x - t : t - x, level = e->level;
    double v0 = variance(e, t, kappa), va = variance(e, x, kappa);
    if (rule == MG_RULE_LENIENT)
        level = 1 - level; /* pass unless the far bound fails: −z */
    else if (rule == MG_RULE_ESTIMATE)
        level = 0.5; /* the estimate itself: z = 0 */
    return mg_power_normal(e->n, d, v0, va, level);
}

/* The units a side needs for `power` under the strict rule at truth x (0: none). */
static double side_units(const mg_plan_entry *e, double t, int above, double x,
                         double kappa, double power)
{
    double d = above ? x - t : t - x;
    if (!(d > 0))
        return 0;
    return mg_power_units(d, variance(e, t, kappa), variance(e, x, kappa), e->level,
                          power);
}

/* What a proportion's denominator counts, for the table. */
static const char *proportion_units(const mg_metric_info *mi)
{
    switch (mi->trials) {
    case MG_CELL_TP | MG_CELL_FN:
        return "positives";
    case MG_CELL_TN | MG_CELL_FP:
        return "negatives";
    case MG_CELL_TP | MG_CELL_FP:
        return "predicted positives";
    default:
        return "rows";
    }
}

int mg_plan_case(const mg_case *k, double power, int has_at, double at,
                 mg_plan_entry *e, mg_error *err)
{
    const mg_metric_info *mi;
    double lo_t = 0, hi_t = 0, kappa = 1, z, units = 0, p_lo = 1, p_hi = 1;
    int has_lo = 0, has_hi = 0, m;
    mg_rule rule = k->rule_kind;

    memset(e, 0, sizeof *e);
    if (!(power > 0 && power < 1))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "the target power must lie in (0, 1), got %g", power);
    e->level = k->bound_level;
    if (k->status != MG_STATUS_DECIDED ||
        !(k->kind == MG_TEST_THRESHOLD || k->kind == MG_TEST_COMPARISON ||
          k->kind == MG_TEST_VS_OVERALL)) {
        e->note = k->status != MG_STATUS_DECIDED
                      ? "not decided (skipped, undefined or without evidence)"
                      : "planning covers threshold and comparison tests";
        return 0;
    }
    m = mg_metric_from_name(k->metric);
    mi = m >= 0 ? mg_metric_get((mg_metric)m) : NULL;
    z = gsl_cdf_ugaussian_Pinv(e->level);
    e->rows_per_unit = 1;
    e->n = (double)k->n;
    e->units = "rows";
    if (k->has_delta) {
        e->estimate = k->delta;
        e->method = MG_PLAN_BOOTSTRAP;
        if (k->method == MG_CI_NONE) {
            e->method = MG_PLAN_NONE;
            e->note = "the case has no interval to take a standard error from";
            return 0;
        }
        e->se = (k->delta_ci_high - k->delta_ci_low) / (2 * z);
        if (k->comparison == MG_COMPARE_SUPERIOR)
            has_lo = 1, lo_t = k->margin;
        else if (k->comparison == MG_COMPARE_EQUIVALENT)
            has_lo = has_hi = 1, lo_t = -k->margin, hi_t = k->margin;
        else
            has_lo = 1, lo_t = 0.0 - k->margin;
        if (!has_at)
            has_at = 1, at = 0; /* the models (or the slice and the whole) alike */
    } else {
        e->estimate = k->estimate;
        has_lo = k->has_at_least, lo_t = k->at_least;
        has_hi = k->has_at_most, hi_t = k->at_most;
        if (mi != NULL && mi->analytic == MG_ANALYTIC_WILSON && k->effective_size > 0) {
            e->method = MG_PLAN_PROPORTION;
            e->n = (double)k->effective_size;
            e->units = proportion_units(mi);
            e->rows_per_unit = (double)k->n / e->n;
        } else if (mi != NULL && mi->id == MG_METRIC_AUC && k->positives > 0 &&
                   k->negatives > 0) {
            e->method = MG_PLAN_AUC;
            e->n = (double)k->positives;
            e->units = "positives";
            kappa = (double)k->negatives / (double)k->positives;
            e->rows_per_unit = 1 + kappa;
            /* the case's own spread where it has one; Obuchowski's shape around it */
            e->unit_variance = mg_power_auc_variance(k->estimate, kappa);
            if (k->has_ci && k->method != MG_CI_NONE && k->ci_high > k->ci_low)
                e->unit_variance = e->n * pow((k->ci_high - k->ci_low) / (2 * z), 2);
        } else if (k->method != MG_CI_NONE && k->has_ci) {
            e->method = MG_PLAN_BOOTSTRAP;
            e->se = (k->ci_high - k->ci_low) / (2 * z);
        } else {
            e->note = "the case has no interval to take a standard error from";
            return 0;
        }
    }
    if (e->method != MG_PLAN_BOOTSTRAP)
        e->se = sqrt(variance(e, e->estimate, kappa) / e->n);
    e->unit_variance = e->n * e->se * e->se;
    e->half_width = z * e->se;
    e->threshold = has_lo ? lo_t : hi_t;
    e->above = has_lo;
    if (has_lo)
        p_lo = side_power(e, rule, lo_t, 1, e->estimate, kappa);
    if (has_hi)
        p_hi = side_power(e, rule, hi_t, 0, e->estimate, kappa);
    e->power_estimate = fmax(0, p_lo + p_hi - 1);
    if (has_at && (e->method != MG_PLAN_PROPORTION || (at > 0 && at < 1)) &&
        (e->method != MG_PLAN_AUC || (at > 0 && at < 1))) {
        double a_lo = has_lo ? side_power(e, rule, lo_t, 1, at, kappa) : 1;
        double a_hi = has_hi ? side_power(e, rule, hi_t, 0, at, kappa) : 1;
        e->has_power_at = 1;
        e->at = at;
        e->power_at = fmax(0, a_lo + a_hi - 1);
    }
    /* Each side at the power that makes the pair reach the target. */
    {
        double side = has_lo && has_hi ? (1 + power) / 2 : power;
        double u_lo = has_lo ? side_units(e, lo_t, 1, e->estimate, kappa, side) : -1;
        double u_hi = has_hi ? side_units(e, hi_t, 0, e->estimate, kappa, side) : -1;
        if (u_lo == 0 || u_hi == 0) {
            e->note = "the estimate is on the failing side: at this truth no sample "
                      "size passes";
            return 0;
        }
        units = fmax(u_lo, u_hi);
    }
    /* An AUC resting on fewer than MG_METRIC_MIN_EFFECTIVE_SIZE of either class
     * has no interval at all, whatever the power formula says (a proportion gets
     * its exact interval instead). */
    if (e->method == MG_PLAN_AUC)
        units = fmax(units,
                     MG_METRIC_MIN_EFFECTIVE_SIZE * fmax(1, kappa > 0 ? 1 / kappa : 1));
    e->has_needed = 1;
    e->units_needed = ceil(units);
    e->rows_needed = ceil(units * e->rows_per_unit);
    return 0;
}
