/*
 * Deciding one test case: a test on one slice, from the engine's statistics to the
 * case's numbers, interval and checks.
 *
 * The estimate comes from the engine's point statistics, the interval from the
 * replicates (stats/ci.c chooses and computes it) or from a closed form on the
 * slice's rows (Wilson, DeLong), and the p-value beside a comparison from the test
 * the metric registry names (paired DeLong, exact McNemar, or the bootstrap p-value
 * that inverts the case's own interval method). Before the rule reads the interval
 * the evidence is weighed (weigh_evidence): small counts get an exact interval or
 * none, and a case without evidence is inconclusive. The rule itself is
 * assertions/decide.c; the case's sentences are rendered later by
 * reporters/render.c.
 *
 * A replicate in which a metric is undefined (a resampled slice without positives)
 * is left out of that metric's interval and the count is reported; a statistic whose
 * replicates are all undefined has no interval, and says why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run_internal.h"
#include "modelgate/stats.h"

/* Below this many successes or failures a proportion's interval is exact
 * (Clopper–Pearson) rather than bootstrapped. */
#define MG__MIN_COUNT 10

/* ---- Slices -------------------------------------------------------------- */

const char *mg__slice_label(const ctx *c, long slicing, size_t index)
{
    return slicing < 0 ? "overall" : c->d->slicings[slicing].labels[index];
}

/* Copy a slice's scores (one or two models) and labels into the scratch arrays,
 * which are allocated the first time an analytic statistic needs them. */
static int gather(ctx *c, long slicing, size_t index, size_t m1, long m2, size_t *count)
{
    const uint32_t *rows = NULL;
    size_t k = c->d->n, n = c->d->n;
    int rc;
    if (slicing >= 0 &&
        (rc = mg__slicing_members(&c->d->slicings[slicing], n, index, &rows, &k)) != 0)
        return rc;
    if (c->sx == NULL) {
        c->sx = malloc((n ? n : 1) * sizeof *c->sx);
        c->sy = malloc((n ? n : 1) * sizeof *c->sy);
        c->sl = malloc(n ? n : 1);
        if (c->sx == NULL || c->sy == NULL || c->sl == NULL)
            return MG_ENOMEM;
    }
    for (size_t t = 0; t < k; t++) {
        size_t i = rows ? rows[t] : t;
        c->sx[t] = c->d->score[m1][i];
        if (m2 >= 0)
            c->sy[t] = c->d->score[m2][i];
        c->sl[t] = c->d->label[i];
    }
    *count = k;
    return 0;
}

/* ---- Statistics ---------------------------------------------------------- */

/* The statistic's value in every replicate where it is defined, into c->buf:
 * the metric, or sign · (model − baseline) when base >= 0. Returns how many. */
static size_t replicate_values(ctx *c, const plan *p, size_t model, size_t slice,
                               const mg_metric_info *mi, long param)
{
    size_t k = 0;
    for (size_t b = 0; b < c->replicates; b++) {
        double v1, v2;
        if (mg__run_value(c, mi, param, (long)b, model, slice, &v1, NULL) != 0)
            continue;
        if (p != NULL && (p->base >= 0 || p->base_slice >= 0)) {
            /* Δ against the baseline model, or against the whole set (vs_overall) */
            size_t m2 = p->base >= 0 ? (size_t)p->base : model;
            size_t s2 = p->base_slice >= 0 ? (size_t)p->base_slice : slice;
            if (mg__run_value(c, mi, param, (long)b, m2, s2, &v2, NULL) != 0)
                continue;
            v1 = p->sign * (v1 - v2);
        }
        c->buf[k++] = v1;
    }
    return k;
}

/* A closed-form interval: Wilson for a proportion, DeLong for an AUC or a paired
 * AUC difference. */
static int analytic_ci(ctx *c, const mg_metric_info *mi, size_t model, long base,
                       double sign, long slicing, size_t index, size_t slice,
                       double level, mg__ci *ci)
{
    size_t k;
    int rc;
    if (base < 0 && mi->analytic == MG_ANALYTIC_WILSON) {
        double x = 0, n = 0;
        mg_metric_proportion(mi->id, mg__engine_estimate(c->e, model, slice), &x, &n);
        mg__ci_wilson(ci, x, n, level);
        return 0;
    }
    if (mi->analytic != MG_ANALYTIC_DELONG) {
        mg__ci_none(ci, "no analytic interval for %s", mi->name);
        return 0;
    }
    if ((rc = gather(c, slicing, index, model, base, &k)) != 0)
        return rc;
    if (base < 0)
        return mg__ci_delong(ci, c->sx, c->sl, k, level);
    return mg__ci_delong_paired(ci, c->sx, c->sy, c->sl, k, sign, level);
}

/*
 * The interval of a metric of `model` on one slice (p == NULL: a lone metric, as
 * `modelgate metrics` lists them), or of the test's paired difference, at `level`.
 * A bootstrap interval leaves the replicates sorted in c->buf.
 */
int mg__statistic_ci(ctx *c, const plan *p, const mg_metric_info *mi, long param,
                     size_t model, long slicing, size_t index, double estimate,
                     double level, mg__ci *ci)
{
    size_t first = slicing < 0 ? 0 : mg__run_slice_offset(c, (size_t)slicing);
    size_t slice = first + index, k;
    long base = p ? p->base : -1, pair = p ? p->pair : -1;
    double sign = base >= 0 ? p->sign : 1, a; /* a lone metric is not sign-adjusted */
    mg__jack j;
    int accelerated;

    if (c->kind == MG_INTERVAL_ANALYTIC)
        return analytic_ci(c, mi, model, base, sign, slicing, index, slice, level, ci);
    k = replicate_values(c, p, model, slice, mi, param);
    mg__run_jack(c, mi, param, pair, model, slice, &j);
    /* Average precision over clusters and a multiclass AUC have no closed-form
     * jackknife, and neither has a slice's difference from the whole set: BC, not
     * BCa. */
    accelerated = !j.unavailable && (p == NULL || p->base_slice < 0);
    if (accelerated)
        a = mg_jackknife_acceleration(j.n - j.undefined, sign * j.s1, j.s2,
                                      sign * j.s3);
    mg__ci_bootstrap(ci, c->kind, c->buf, k, c->replicates, estimate,
                     accelerated ? &a : NULL, level);
    /* n counts rows: the whole holdout set has the same n in every multinomial
     * replicate by design, so [n, n] is exact there, not a lack of spread. */
    if (ci->degenerate && (mi->id == MG_METRIC_N || mi->id == MG_METRIC_MC_N)) {
        ci->has_ci = 1;
        ci->low = ci->high = c->buf[0];
        ci->reason[0] = '\0';
    }
    return 0;
}

/*
 * The p-value beside a comparison: one p-value, one interval. A bootstrap interval's
 * p-value inverts that same method (percentile, basic or BCa) on the same
 * replicates, for every metric, so "p <= 1 - c" and "0 outside the (2c - 1)
 * interval" never disagree (an AUC's DeLong p-value beside a BCa interval did in
 * 0.6-3.9 % of null data sets). Under `interval: analytic` it is the test the metric
 * registry names: paired DeLong for AUC (the same normal approximation as its
 * interval), exact McNemar for accuracy.
 */
static int comparison_p(ctx *c, const plan *p, size_t index, const mg__ci *ci,
                        mg_case *k, const char **method)
{
    size_t n;
    int rc;
    /* a slice against the whole set: the rows overlap, so only the bootstrap's
     * paired replicates give a p-value */
    if (c->kind != MG_INTERVAL_ANALYTIC || p->base_slice >= 0) {
        /* c->buf holds the sorted replicates of Δ */
        size_t m = ci->replicates - ci->undefined;
        double pv;
        if (m == 0)
            return 0;
        if (c->kind == MG_INTERVAL_PERCENTILE)
            pv = mg_bootstrap_p_value(c->buf, m);
        else if (c->kind == MG_INTERVAL_BASIC)
            pv = mg_bootstrap_p_value_basic(c->buf, m, k->delta);
        else
            pv = mg_bootstrap_p_value_bca(c->buf, m, k->delta, ci->acceleration);
        if (isfinite(pv)) {
            k->has_p_value = 1;
            k->p_value = pv;
            *method = "bootstrap";
        }
        return 0;
    }
    switch (p->metric->paired) {
    case MG_PAIRED_DELONG: {
        mg_delong_paired_result pr;
        mg_error err = MG_ERROR_INIT;
        if ((rc = gather(c, p->slicing, index, p->model, p->base, &n)) != 0)
            return rc;
        if (mg_delong_paired(c->sx, c->sy, c->sl, n, &pr, &err) == 0) {
            k->has_p_value = 1;
            k->p_value = pr.p_value;
            *method = "delong";
        }
        return 0;
    }
    case MG_PAIRED_MCNEMAR: {
        unsigned long b, cc;
        if ((rc = gather(c, p->slicing, index, p->model, p->base, &n)) != 0)
            return rc;
        mg_mcnemar_discordant(c->sx, c->d->threshold[p->model], c->sy,
                              c->d->threshold[p->base], c->sl, n, &b, &cc);
        k->has_p_value = 1;
        k->p_value = mg_mcnemar_exact(b, cc);
        *method = "mcnemar";
        return 0;
    }
    case MG_PAIRED_BOOTSTRAP:
    case MG_PAIRED_NONE:
        break;
    }
    return 0;
}

/* ---- Test cases ---------------------------------------------------------- */

static void set_interval(mg_case *k, const mg__ci *ci, extras *x)
{
    k->method = ci->has_ci ? ci->method : MG_CI_NONE;
    k->replicates = ci->replicates;
    k->replicates_undefined = ci->undefined;
    k->degenerate = ci->degenerate;
    /* why there is no interval, or why the one there is was chosen */
    if (ci->reason[0] != '\0')
        snprintf(x->reason, sizeof x->reason, "%s", ci->reason);
}

/* The two-sided level whose ends are one-sided bounds at `level`: 2·level − 1, to
 * 12 decimals, so that 0.95 gives 0.9 and not 0.8999999999999999 (the interval is
 * then the one `modelgate metrics` shows at 0.9, bit for bit). */
double mg__two_sided(double level)
{
    return nearbyint((2 * level - 1) * 1e12) / 1e12;
}

/* Whether the two models score every row of the slice alike, so that Δ is 0 in
 * every resample by construction rather than for lack of data. */
static int same_scores(ctx *c, const plan *p, size_t index, int *same)
{
    const uint32_t *rows = NULL;
    size_t k = c->d->n;
    int rc;
    if (p->slicing >= 0 && (rc = mg__slicing_members(&c->d->slicings[p->slicing],
                                                     c->d->n, index, &rows, &k)) != 0)
        return rc;
    *same = mg__run_same_predictions(c, p->model, (size_t)p->base, rows, k);
    return 0;
}

/*
 * What the data can support, before a rule reads the interval. A proportion with
 * few successes or failures on its own denominator (recall on a slice with 13
 * positives, all found) gets the exact Clopper–Pearson interval instead of the
 * bootstrap's, which there is narrow or [θ̂, θ̂]. Any other statistic resting on
 * fewer than MG_METRIC_MIN_EFFECTIVE_SIZE units of its smaller class loses its
 * interval: the bootstrap's coverage with one or two positives is 0.3 to 0.7. A Δ that
 * is 0 in every replicate because the models agree on every row keeps [0, 0].
 */
static int weigh_evidence(ctx *c, const plan *p, size_t index, mg_case *k, mg__ci *ci)
{
    size_t slice = p->first + index;
    double eff = mg__run_effective_size(c, p->metric, p->param, p->model, slice), x, n;
    int rc, same;

    if (p->base >= 0) {
        double e2 =
            mg__run_effective_size(c, p->metric, p->param, (size_t)p->base, slice);
        eff = eff < e2 ? eff : e2;
    }
    k->effective_size = (size_t)eff;
    if (p->base < 0 && p->base_slice < 0 && c->kind != MG_INTERVAL_ANALYTIC &&
        c->mc == NULL &&
        mg_metric_proportion(p->metric->id, mg__engine_estimate(c->e, p->model, slice),
                             &x, &n) == 0 &&
        (ci->degenerate || ci->needed || x < MG__MIN_COUNT || n - x < MG__MIN_COUNT)) {
        char why[MG_ERROR_MESSAGE_MAX];
        if (ci->degenerate)
            snprintf(why, sizeof why,
                     "%.0f of %.0f, and every bootstrap replicate equal: the exact "
                     "interval is used",
                     x, n);
        else if (ci->needed)
            snprintf(why, sizeof why,
                     "%.0f of %.0f; a bootstrap interval at this level needs about %zu "
                     "replicates: the exact interval is used",
                     x, n, ci->needed);
        else
            snprintf(why, sizeof why,
                     "%.0f of %.0f: too few %s for a bootstrap interval, so the exact "
                     "interval is used",
                     x, n, x < n - x ? "successes" : "failures");
        mg__ci_clopper_pearson(ci, x, n, k->confidence);
        snprintf(ci->reason, sizeof ci->reason, "%s", why);
        k->effective_size = (size_t)n;
        return 0;
    }
    if (!ci->has_ci && ci->degenerate && p->base >= 0) {
        if ((rc = same_scores(c, p, index, &same)) != 0)
            return rc;
        if (same) {
            ci->has_ci = 1;
            ci->degenerate = 0;
            ci->low = ci->high = 0;
            ci->method = c->kind == MG_INTERVAL_PERCENTILE ? MG_CI_PERCENTILE
                         : c->kind == MG_INTERVAL_BASIC    ? MG_CI_BASIC
                                                           : MG_CI_BCA;
            return 0;
        }
    }
    if (ci->has_ci && eff < MG_METRIC_MIN_EFFECTIVE_SIZE &&
        ci->method != MG_CI_WILSON) {
        ci->has_ci = 0;
        ci->method = MG_CI_NONE;
        snprintf(ci->reason, sizeof ci->reason,
                 "%s rests on %.0f %s here, fewer than the %d an interval needs",
                 p->metric->name, eff,
                 p->metric->analytic == MG_ANALYTIC_WILSON ? "trials"
                 : p->metric->family == MG_FAMILY_MEAN     ? "rows"
                                                       : "rows of the smaller class",
                 MG_METRIC_MIN_EFFECTIVE_SIZE);
    }
    return 0;
}

/* The model's or the baseline's metric is undefined on the slice: an error case,
 * or a skipped one under on_undefined: skip. */
static int undefined(const plan *p, mg_case_status status, const char *reason,
                     mg_case *k, extras *x)
{
    k->status = status;
    k->outcome =
        p->on_undefined == MG_ON_UNDEFINED_SKIP ? MG_OUTCOME_SKIP : MG_OUTCOME_ERROR;
    snprintf(x->reason, sizeof x->reason, "%s", reason);
    return 0;
}

int mg__too_small(ctx *c, const plan *p, size_t slice, size_t model, mg_case *k)
{
    k->n = mg__run_slice_rows(c, slice);
    k->min_size = p->min_size;
    k->min_positives = p->min_positives;
    k->min_negatives = p->min_negatives;
    mg__run_class_counts(c, p->metric, p->param, model, slice, &k->positives,
                         &k->negatives);
    return (long)k->n < p->min_size || (long)k->positives < p->min_positives ||
           (long)k->negatives < p->min_negatives;
}

/*
 * Decide test p on slice `index` at interval level `level`: the numbers, kinds and
 * checks of the case, no strings (those are added when the case is kept). With
 * `want_p` the comparison's p-value is computed too (a family's probes skip it).
 */
int mg__decide_case(ctx *c, const plan *p, size_t index, double level, int want_p,
                    mg_case *k, extras *x)
{
    size_t slice = p->first + index;
    const char *reason = NULL;
    mg__evidence ev = {0};
    mg__verdict v;
    mg__ci ci;
    int rc;

    k->kind = p->base_slice >= 0 ? MG_TEST_VS_OVERALL
              : p->base >= 0     ? MG_TEST_COMPARISON
                                 : MG_TEST_THRESHOLD;
    /* Every check is one-sided at `level`: it reads one end of the two-sided
     * interval at 2·level − 1 (TOST for equivalence and for a range). */
    k->bound_level = level;
    k->confidence = mg__two_sided(level);
    if (mg__too_small(c, p, slice, p->model, k)) {
        k->status = MG_STATUS_TOO_SMALL;
        k->outcome = MG_OUTCOME_SKIP;
        return 0;
    }
    if (mg__run_value(c, p->metric, p->param, -1, p->model, slice, &k->estimate,
                      &reason) != 0) {
        return undefined(p, MG_STATUS_UNDEFINED, reason, k, x);
    }
    k->has_estimate = 1;
    ev.estimate = k->estimate;
    if (p->base_slice >= 0) {
        /* vs_overall: Δ = slice − whole set, sign-adjusted; the whole set is the
         * baseline, and is defined wherever a slice is */
        mg__run_value(c, p->metric, p->param, -1, p->model, (size_t)p->base_slice,
                      &k->baseline_estimate, NULL);
        k->has_baseline_estimate = 1;
        k->has_delta = 1;
        k->delta = p->sign * (k->estimate - k->baseline_estimate);
        k->margin = p->t->gap_value;
        k->has_threshold = 1;
        k->threshold = k->margin;
        ev.estimate = k->delta;
    } else if (p->base >= 0) {
        if (mg__run_value(c, p->metric, p->param, -1, (size_t)p->base, slice,
                          &k->baseline_estimate, &reason) != 0) {
            return undefined(p, MG_STATUS_BASELINE_UNDEFINED, reason, k, x);
        }
        k->has_baseline_estimate = 1;
        k->has_delta = 1;
        k->delta = p->sign * (k->estimate - k->baseline_estimate);
        k->margin = p->t->margin * (p->t->relative ? fabs(k->baseline_estimate) : 1);
        k->has_threshold = 1;
        k->threshold = k->margin;
        ev.estimate = k->delta;
    } else {
        k->has_threshold = 1;
        const mg__rule *r = mg__plan_rule(p, index);
        k->threshold = r->has_at_least ? r->at_least : r->at_most;
    }
    if ((rc = mg__statistic_ci(c, p, p->metric, p->param, p->model, p->slicing, index,
                               ev.estimate, k->confidence, &ci)) != 0)
        return rc;
    if (want_p && (p->base >= 0 || p->base_slice >= 0) &&
        (rc = comparison_p(c, p, index, &ci, k, &x->p_method)))
        return rc;
    if ((rc = weigh_evidence(c, p, index, k, &ci)) != 0)
        return rc;
    set_interval(k, &ci, x);
    if (!ci.has_ci && p->t->rule != MG_RULE_ESTIMATE &&
        (ci.degenerate || ci.needed ||
         k->effective_size < MG_METRIC_MIN_EFFECTIVE_SIZE)) {
        /* No evidence either way: a strict test cannot pass on it, a lenient one
         * cannot fail on it. */
        k->status = MG_STATUS_NO_EVIDENCE;
        k->replicates_needed = ci.needed;
        k->outcome = p->t->rule == MG_RULE_LENIENT ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
        return 0;
    }
    if (ci.has_ci) {
        ev.has_ci = 1;
        ev.low = ci.low;
        ev.high = ci.high;
        if (k->has_delta)
            k->delta_ci_low = ci.low, k->delta_ci_high = ci.high;
        else
            k->has_ci = 1, k->ci_low = ci.low, k->ci_high = ci.high;
    } else if (p->t->rule != MG_RULE_ESTIMATE) {
        k->status = MG_STATUS_NO_INTERVAL;
        k->outcome = MG_OUTCOME_ERROR;
        return 0;
    }
    mg__rule rule = *mg__plan_rule(p, index);
    rule.margin = k->margin;
    mg__decide(&rule, &ev, &v);
    k->status = MG_STATUS_DECIDED;
    k->outcome = v.outcome;
    memcpy(k->checks, v.checks, sizeof v.checks);
    k->nchecks = v.nchecks;
    /* A sample too small for the interval's method: in simulation its bounds sat
     * too close to the estimate, by up to a factor `widen`. A verdict that error
     * could have produced (a strict pass, a lenient failure) must survive the
     * interval widened by that factor around its estimate; if it does not, there
     * is no evidence either way (strict fails, lenient passes) and the case says
     * why. */
    if (ci.has_ci && (p->t->rule == MG_RULE_STRICT    ? k->outcome == MG_OUTCOME_PASS
                      : p->t->rule == MG_RULE_LENIENT ? k->outcome == MG_OUTCOME_FAIL
                                                      : 0)) {
        size_t from;
        double widen;
        mg__evidence wide = ev;
        mg__verdict w;
        if (mg__ci_small_sample(ci.method, p->metric->family, p->base >= 0,
                                k->effective_size, &from, &widen)) {
            wide.low = ev.estimate - widen * (ev.estimate - ev.low);
            wide.high = ev.estimate + widen * (ev.high - ev.estimate);
            mg__decide(&rule, &wide, &w);
            if (w.outcome != k->outcome) {
                k->status = MG_STATUS_NO_EVIDENCE;
                k->outcome =
                    p->t->rule == MG_RULE_LENIENT ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
                k->reliable_from = from;
                k->reliable_widen = widen;
            }
        }
    }
    return 0;
}
