/*
 * The runner: from a parsed suite to a report. It orchestrates; every step it
 * takes lives in its own unit.
 *
 *   1. budget (harness/budget.c): the input tables must fit in memory;
 *   2. data (harness/data.c, harness/slices.c): load and join the files, check every
 *      column the suite names, build the slicings;
 *   3. the checks that need both the suite and the data (below): a metric that reads
 *      probabilities on scores outside [0, 1], an analytic interval for a metric
 *      without a closed form;
 *   4. budget again, with the engine's own estimate of its peak;
 *   5. the engine (stats/engine.c) runs once, for every model, slice and replicate
 *      the suite needs;
 *   6. each test reads the shared replicates (one case decided by harness/cases.c):
 *      a test over a slicing yields one case
 *      per slice, a comparison reads both models from the same replicates so their
 *      difference is paired. The interval comes from stats/ci.c, the decision from
 *      assertions/decide.c, a family's levels from assertions/family.c, the p-value
 *      beside a comparison from the test the metric registry names;
 *   7. each case is rendered into sentences by reporters/render.c.
 *
 * The whole run formats numbers inside a C-locale scope, so a host program under a
 * comma-decimal locale gets the same messages, labels and reports as the CLI.
 */
#include "modelgate/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assertions/decide.h"
#include "assertions/family.h"
#include "common/clocale.h"
#include "common/util.h"
#include "fixtures/table_internal.h"
#include "harness/budget.h"
#include "harness/data.h"
#include "harness/run_internal.h"
#include "modelgate/metrics.h"
#include "modelgate/stats.h"
#include "reporters/render.h"
#include "stats/ci.h"
#include "stats/curves.h"
#include "stats/engine.h"

/* Score thresholds per model on which the curves are read (stats/curves.c). */
#define CURVE_THRESHOLDS 256

_Static_assert(MG__SLICES_MAX <= MG__ENGINE_MAX_SLICES,
               "every slice the loader accepts has an id in the engine");

static const char *interval_names[] = {"bca", "percentile", "basic", "analytic"};
static const char *rule_names[] = {"strict", "lenient", "estimate"};

mg_case *mg__new_case(ctx *c)
{
    mg_report *r = c->r;
    mg_case *cases = realloc(r->cases, (r->ncases + 1) * sizeof *cases);
    if (cases == NULL)
        return NULL;
    r->cases = cases;
    memset(&cases[r->ncases], 0, sizeof *cases);
    return &cases[r->ncases++];
}

void mg__count_outcome(mg_report *r, mg_outcome o)
{
    if (o == MG_OUTCOME_PASS)
        r->passed++;
    else if (o == MG_OUTCOME_FAIL)
        r->failed++;
    else if (o == MG_OUTCOME_SKIP)
        r->skipped++;
    else
        r->errors++;
}

double mg__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reports print −0 as "-0.0", which reads like a sign; a zero is a zero. */
static double unsigned_zero(double x)
{
    return x + 0.0;
}

/* The case's names and kinds as the test and the suite state them. */
int mg__name_case(ctx *c, const plan *p, size_t index, mg_case *k, const extras *x)
{
    const mg_test_spec *t = p->t;
    k->test = mg__strdup(t->name);
    k->metric = mg__strdup(p->metric->name);
    k->model = mg__strdup(t->model);
    k->baseline = mg__strdup(t->baseline);
    k->slicing = mg__strdup(t->slices);
    if (p->gap == MG_GAP_MAX || p->gap == MG_GAP_RATIO) {
        /* one case across the slicing: a name that stays the same from run to run */
        char across[MG_ERROR_MESSAGE_MAX];
        snprintf(across, sizeof across, "%s (all slices)", t->slices);
        k->slice = mg__strdup(across);
    } else {
        k->slice = mg__strdup(mg__slice_label(c, p->slicing, index));
    }
    k->rule = mg__strdup(rule_names[t->rule]);
    k->interval = mg__strdup(interval_names[c->kind]);
    k->p_method = mg__strdup(x->p_method);
    k->reason = x->reason[0] ? mg__strdup(x->reason) : NULL;
    /* a gap is better narrow and a ratio better high, whatever the metric */
    k->direction = p->gap == MG_GAP_MAX     ? -1
                   : p->gap == MG_GAP_RATIO ? 1
                                            : p->metric->direction;
    k->rule_kind = t->rule;
    k->interval_kind = c->kind;
    k->comparison = p->rule.comparison;
    k->relative = t->relative;
    if (p->gap == MG_GAP_NONE) {
        k->has_at_least = mg__plan_rule(p, index)->has_at_least;
        k->at_least = mg__plan_rule(p, index)->at_least;
        k->has_at_most = mg__plan_rule(p, index)->has_at_most;
        k->at_most = mg__plan_rule(p, index)->at_most;
    }
    if (!k->test || !k->metric || !k->model || !k->slice || !k->rule || !k->interval ||
        (t->baseline && !k->baseline) || (t->slices && !k->slicing) ||
        (x->p_method && !k->p_method) || (x->reason[0] && !k->reason))
        return MG_ENOMEM;
    return 0;
}

/* How a case's family was corrected: the correction, the members, and the case's
 * own p-value and adjusted p-value (negative: none). */
typedef struct family_of {
    mg_correction correction;
    size_t size;
    double p, p_adjusted;
} family_of;

/* Plots are wanted (mg_run_options.with_plots, a field of version 3). */
static int wants_plots(const ctx *c)
{
    return c->o->mode == MG_RUN_TESTS && c->o->version >= 3 && c->o->with_plots;
}

/* Every model's value of the case's metric on its slice, each interval at the
 * case's level: what a forest plot draws beside the model under test. */
static int case_peers(ctx *c, const plan *p, size_t index, mg_case *k)
{
    const mg_metric_info *mi = p->metric;
    size_t slice = p->first + index;

    if ((k->peers = calloc(c->s->nmodels, sizeof *k->peers)) == NULL)
        return MG_ENOMEM;
    k->npeers = c->s->nmodels;
    for (size_t m = 0; m < c->s->nmodels; m++) {
        mg_case_peer *pe = &k->peers[m];
        const char *reason = NULL;
        double est;
        mg__ci ci;
        int rc;
        if ((pe->model = mg__strdup(c->s->models[m].name)) == NULL)
            return MG_ENOMEM;
        if ((mi->needs_probability && c->mc == NULL && c->d->not_probability[m] >= 0) ||
            (mi->needs_probability && c->mc != NULL && c->d->prob[m] == NULL) ||
            mg__run_value(c, mi, p->param, -1, m, slice, &est, &reason) != 0)
            continue;
        pe->has_estimate = 1;
        pe->estimate = unsigned_zero(est);
        if (c->kind != MG_INTERVAL_ANALYTIC && c->replicates == 0)
            continue;
        if ((rc = mg__statistic_ci(c, NULL, mi, p->param, m, p->slicing, index, est,
                                   k->confidence, &ci)) != 0)
            return rc;
        if (ci.has_ci) {
            pe->has_ci = 1;
            pe->ci_low = unsigned_zero(ci.low);
            pe->ci_high = unsigned_zero(ci.high);
        }
    }
    return 0;
}

/* Decide test p on slice `index` at `level` and keep the case in the report. */
static int evaluate_case(ctx *c, const plan *p, size_t index, double level,
                         const family_of *fam)
{
    double t0 = mg__now();
    extras x = {NULL, ""};
    mg_case *k = mg__new_case(c);
    int rc;

    if (k == NULL)
        return MG_ENOMEM;
    if (p->gap == MG_GAP_MAX || p->gap == MG_GAP_RATIO)
        rc = mg__decide_gap(c, p, level, k, &x);
    else
        rc = mg__decide_case(c, p, index, level, 1, k, &x);
    if (rc != 0 || (rc = mg__name_case(c, p, index, k, &x)) != 0)
        return rc;
    k->correction = fam->size ? fam->correction : MG_CORRECTION_NONE;
    k->family_size = fam->size;
    if (fam->size && fam->p >= 0) {
        k->has_family_p = 1;
        k->family_p = fam->p;
        k->family_p_adjusted = fam->p_adjusted;
    }
    if (wants_plots(c) && p->slicing >= 0 && p->gap != MG_GAP_MAX &&
        p->gap != MG_GAP_RATIO && (rc = case_peers(c, p, index, k)) != 0)
        return rc;
    return mg__keep_case(c, k, t0);
}

int mg__keep_case(ctx *c, mg_case *k, double t0)
{
    int rc;
    k->estimate = unsigned_zero(k->estimate);
    k->ci_low = unsigned_zero(k->ci_low);
    k->ci_high = unsigned_zero(k->ci_high);
    k->delta = unsigned_zero(k->delta);
    k->delta_ci_low = unsigned_zero(k->delta_ci_low);
    k->delta_ci_high = unsigned_zero(k->delta_ci_high);
    k->baseline_estimate = unsigned_zero(k->baseline_estimate);
    if ((rc = mg__case_render(k)) != 0)
        return rc;
    mg__count_outcome(c->r, k->outcome);
    k->seconds = mg__now() - t0;
    return 0;
}

/* A family member's outcome at a level, for the multiple-testing procedures. */
typedef struct probe_ctx {
    ctx *c;
    const plan *p;
} probe_ctx;

static int probe(void *arg, size_t q, double level, mg_outcome *out)
{
    probe_ctx *pc = arg;
    mg_case k = {0};
    extras x = {NULL, ""};
    int rc = mg__decide_case(pc->c, pc->p, q, level, 0, &k, &x);
    *out = k.outcome;
    return rc;
}

/* A class's index among the data's classes, or -1. */
static long class_index(const ctx *c, const char *name)
{
    for (size_t k = 0; name && k < c->d->nclasses; k++)
        if (strcmp(c->d->classes[k], name) == 0)
            return (long)k;
    return -1;
}

/* The engine's slot for k among the distinct k of top_k_accuracy tests. */
static long k_slot(const ctx *c, size_t k)
{
    for (size_t q = 0; q < c->nk; q++)
        if (c->ks[q] == k)
            return (long)q;
    return -1;
}

/* The test's metric parameter (plan.param). */
static long test_param(const ctx *c, const mg_test_spec *t)
{
    switch (mg_metric_parameter_of((mg_metric)t->metric)) {
    case MG_PARAMETER_CLASS:
        return class_index(c, t->class_name);
    case MG_PARAMETER_K:
        return k_slot(c, (size_t)t->k);
    case MG_PARAMETER_NONE:
        break;
    }
    return 0;
}

static int plan_test(const ctx *c, const mg_test_spec *t, plan *p)
{
    const mg_suite *s = c->s;
    memset(p, 0, sizeof *p);
    p->t = t;
    p->metric = mg_metric_get((mg_metric)t->metric);
    p->model = (size_t)mg_suite_model(s, t->model);
    p->base = t->baseline ? mg_suite_model(s, t->baseline) : -1;
    p->pair = -1;
    for (size_t q = 0; p->base >= 0 && q < c->npairs; q++)
        if (c->pairs[q][0] == p->model && c->pairs[q][1] == (size_t)p->base)
            p->pair = (long)q;
    p->slicing = c->d->test_slicing[t - s->tests];
    p->first = p->slicing < 0 ? 0 : mg__run_slice_offset(c, (size_t)p->slicing);
    p->param = test_param(c, t);
    p->span = p->slicing < 0 ? 1 : c->d->slicings[p->slicing].nlevels;
    p->sign = p->metric->direction < 0 ? -1 : 1;
    p->min_size = t->min_size >= 0 ? t->min_size : (long)s->min_size;
    p->min_positives =
        t->min_positives >= 0 ? t->min_positives : (long)s->min_positives;
    p->min_negatives =
        t->min_negatives >= 0 ? t->min_negatives : (long)s->min_negatives;
    p->on_undefined =
        t->on_undefined != MG_ON_UNDEFINED_DEFAULT ? t->on_undefined : s->on_undefined;
    p->rule = (mg__rule){t->rule,        t->has_at_least,
                         t->has_at_most, t->at_least,
                         t->at_most,     t->baseline ? t->comparison : MG_COMPARE_NONE,
                         t->margin};
    p->gap = t->gap;
    p->base_slice = -1;
    if (t->gap == MG_GAP_VS_OVERALL) {
        /* each slice against the whole set (the engine's slice 0), as a
         * non-inferiority comparison with margin d */
        p->base_slice = 0;
        p->rule.comparison = MG_COMPARE_NON_INFERIOR;
        p->rule.margin = t->gap_value;
    } else if (t->gap == MG_GAP_MAX && t->baseline) {
        p->rule.comparison = MG_COMPARE_NON_INFERIOR;
        p->rule.margin = t->gap_value;
    }
    if (t->nthresholds == 0)
        return 0;
    /* Thresholds per slice: each slice starts from the test's defaults, then the
     * thresholds that name it (check_tests has found every name). */
    if ((p->rules = malloc(p->span * sizeof *p->rules)) == NULL)
        return MG_ENOMEM;
    for (size_t q = 0; q < p->span; q++)
        p->rules[q] = p->rule;
    for (size_t j = 0; j < t->nthresholds; j++) {
        const mg_slice_threshold *th = &t->thresholds[j];
        mg__rule *r =
            &p->rules[mg__slicing_find(&c->d->slicings[p->slicing], th->slice)];
        if (th->at_most)
            r->at_most = th->value;
        else
            r->at_least = th->value;
    }
    return 0;
}

/* A gate that ran nothing must not look green. */
static int empty_suite_case(ctx *c)
{
    mg_case *k = mg__new_case(c);
    if (k == NULL)
        return MG_ENOMEM;
    k->kind = MG_TEST_SUITE;
    k->status = c->s->ntests == 0 ? MG_STATUS_NO_TESTS : MG_STATUS_ALL_SKIPPED;
    k->outcome = MG_OUTCOME_ERROR;
    k->rule_kind = MG_RULE_STRICT;
    k->interval_kind = c->kind;
    k->test = mg__strdup("suite");
    k->metric = mg__strdup("none");
    k->model = mg__strdup("none");
    k->slice = mg__strdup("overall");
    k->rule = mg__strdup("strict");
    k->interval = mg__strdup(interval_names[c->kind]);
    if (!k->test || !k->metric || !k->model || !k->slice || !k->rule || !k->interval ||
        mg__case_render(k) != 0)
        return MG_ENOMEM;
    mg__count_outcome(c->r, k->outcome);
    return 0;
}

/* A test that a failed data check holds back: one error case naming the check. */
static int blocked_case(ctx *c, const mg_test_spec *t, const char *why)
{
    mg_case *k = mg__new_case(c);
    if (k == NULL)
        return MG_ENOMEM;
    k->kind = t->weak                       ? MG_TEST_WEAK_SLICE
              : t->gap == MG_GAP_MAX        ? MG_TEST_GAP
              : t->gap == MG_GAP_RATIO      ? MG_TEST_RATIO
              : t->gap == MG_GAP_VS_OVERALL ? MG_TEST_VS_OVERALL
              : t->baseline                 ? MG_TEST_COMPARISON
                                            : MG_TEST_THRESHOLD;
    k->status = MG_STATUS_DATA_FAILED;
    k->outcome = MG_OUTCOME_ERROR;
    k->rule_kind = t->rule;
    k->interval_kind = c->kind;
    k->direction = mg_metric_get((mg_metric)t->metric)->direction;
    k->comparison = t->baseline ? t->comparison : MG_COMPARE_NONE;
    k->has_at_least = t->has_at_least;
    k->at_least = t->at_least;
    k->has_at_most = t->has_at_most;
    k->at_most = t->at_most;
    k->min_size = t->min_size >= 0 ? t->min_size : (long)c->s->min_size;
    k->test = mg__strdup(t->name);
    k->metric = mg__strdup(mg_metric_name((mg_metric)t->metric));
    k->model = mg__strdup(t->model);
    k->baseline = mg__strdup(t->baseline);
    k->slicing = mg__strdup(t->slices);
    k->slice = mg__strdup(t->slices || t->weak ? "all slices" : "overall");
    k->rule = mg__strdup(rule_names[t->rule]);
    k->interval = mg__strdup(interval_names[c->kind]);
    k->reason = mg__strdup(why);
    if (!k->test || !k->metric || !k->model || (t->baseline && !k->baseline) ||
        (t->slices && !k->slicing) || !k->slice || !k->rule || !k->interval ||
        !k->reason || mg__case_render(k) != 0)
        return MG_ENOMEM;
    mg__count_outcome(c->r, k->outcome);
    return 0;
}

static int run_tests(ctx *c)
{
    const mg_suite *s = c->s;
    int rc = 0;
    for (size_t i = 0; i < s->ntests && rc == 0; i++) {
        plan p;
        mg_correction corr;
        size_t family_size = 0;
        double *level, *pv, *padj;
        const char *why = mg__test_blocked(c, &s->tests[i]);
        if (why != NULL) {
            rc = blocked_case(c, &s->tests[i], why);
            continue;
        }
        if (plan_test(c, &s->tests[i], &p) != 0)
            return MG_ENOMEM;
        corr = mg__family_correction(p.t->correction, p.t->rule);
        if (p.t->weak) {
            rc = mg__weak_cases(c, &p);
            continue;
        }
        if (p.gap == MG_GAP_MAX || p.gap == MG_GAP_RATIO) {
            /* one case across the slicing: no family */
            family_of fam = {MG_CORRECTION_NONE, 0, -1, -1};
            rc = evaluate_case(c, &p, 0, c->confidence, &fam);
            continue;
        }
        level = calloc(p.span, sizeof *level);
        pv = calloc(p.span, sizeof *pv);
        padj = calloc(p.span, sizeof *padj);
        if (level == NULL || pv == NULL || padj == NULL)
            rc = MG_ENOMEM;
        else
            rc = mg__family_levels(corr, c->confidence, p.span, probe,
                                   &(probe_ctx){c, &p}, level, &family_size, pv, padj);
        for (size_t q = 0; q < p.span && rc == 0; q++) {
            family_of fam = {corr, family_size, pv[q], padj[q]};
            rc = evaluate_case(c, &p, q, level[q], &fam);
        }
        free(level);
        free(pv);
        free(padj);
        free(p.rules);
    }
    if (rc == 0 && !c->o->allow_empty && c->r->passed == 0 && c->r->failed == 0 &&
        c->r->errors == 0)
        rc = empty_suite_case(c);
    return rc;
}

/* ---- Curves --------------------------------------------------------------- */

/* One model's ROC or PR curve with its band, operating point and area. */
static int curve(ctx *c, size_t m, mg_curve_kind kind, mg_curve *out)
{
    const mg_binary_stats *st = mg__engine_estimate(c->e, m, 0);
    mg__curve_band b;
    const char *reason;
    double area;
    int rc;

    out->kind = kind;
    out->confidence = c->confidence;
    out->threshold = c->d->threshold[m];
    out->prevalence = (st->tp + st->fn) / (st->tp + st->fn + st->fp + st->tn);
    if ((out->model = mg__strdup(c->s->models[m].name)) == NULL)
        return MG_ENOMEM;
    if (kind == MG_CURVE_ROC && st->tp + st->fn > 0 && st->fp + st->tn > 0) {
        out->has_operating_point = 1;
        out->operating_x = st->fp / (st->fp + st->tn);
        out->operating_y = st->tp / (st->tp + st->fn);
    } else if (kind == MG_CURVE_PR && st->tp + st->fn > 0 && st->tp + st->fp > 0) {
        out->has_operating_point = 1;
        out->operating_x = st->tp / (st->tp + st->fn);
        out->operating_y = st->tp / (st->tp + st->fp);
    }
    if (mg_metric_value(kind == MG_CURVE_ROC ? MG_METRIC_AUC
                                             : MG_METRIC_AVERAGE_PRECISION,
                        st, &area, &reason) == 0) {
        out->has_area = 1;
        out->area = area;
    }
    if ((rc = mg__curve_band_compute(
             &b, c->e, m, kind == MG_CURVE_ROC ? MG__CURVE_ROC : MG__CURVE_PR,
             c->confidence)) != 0)
        return rc;
    out->replicates_used = b.used;
    if (b.reason[0] && (out->reason = mg__strdup(b.reason)) == NULL)
        rc = MG_ENOMEM;
    if (b.defined) {
        out->npoints = b.npoints;
        out->x = b.x, out->y = b.y, b.x = b.y = NULL;
    }
    if (b.has_band) {
        out->has_band = 1;
        out->low = b.low, out->high = b.high, b.low = b.high = NULL;
    }
    mg__curve_band_free(&b);
    return rc;
}

/* Every model's ROC curve, then every model's PR curve. */
static int curves(ctx *c)
{
    mg_report *r = c->r;
    size_t M = c->s->nmodels;
    if ((r->curves = calloc(2 * M, sizeof *r->curves)) == NULL)
        return MG_ENOMEM;
    for (int kind = 0; kind < 2; kind++)
        for (size_t m = 0; m < M; m++) {
            int rc = curve(c, m, kind ? MG_CURVE_PR : MG_CURVE_ROC,
                           &r->curves[r->ncurves++]);
            if (rc != 0)
                return rc;
        }
    return 0;
}

/* ---- Metrics view -------------------------------------------------------- */

/* What a failed data check holds back from model m's metrics on slicing k. */
static const char *entry_blocked(const ctx *c, size_t m, long k)
{
    if (c->b.model != NULL && c->b.model[m] != NULL)
        return c->b.model[m];
    if (c->b.slicing != NULL && k >= 0 && c->b.slicing[k] != NULL)
        return c->b.slicing[k];
    return NULL;
}

/* The metric's name in the view: with its class ("recall[setosa]") or k
 * ("top_k_accuracy[k=2]") when it takes one. */
static char *entry_name(const ctx *c, const mg_metric_info *mi, long param)
{
    char buf[300];
    switch (mg_metric_parameter_of(mi->id)) {
    case MG_PARAMETER_CLASS:
        snprintf(buf, sizeof buf, "%s[%s]", mi->name, c->d->classes[param]);
        return mg__strdup(buf);
    case MG_PARAMETER_K:
        snprintf(buf, sizeof buf, "%s[k=%zu]", mi->name, c->ks[param]);
        return mg__strdup(buf);
    case MG_PARAMETER_NONE:
        break;
    }
    return mg__strdup(mi->name);
}

static int metric_entry(ctx *c, size_t m, long k, size_t q, const mg_metric_info *mi,
                        long param, mg_metric_entry *en)
{
    size_t slice = (k < 0 ? 0 : mg__run_slice_offset(c, (size_t)k)) + q;
    const char *reason = NULL;
    mg__ci ci;
    double est;
    int rc;

    en->model = mg__strdup(c->s->models[m].name);
    en->slicing = k < 0 ? NULL : mg__strdup(c->s->slicings[k].name);
    en->slice = mg__strdup(mg__slice_label(c, k, q));
    en->metric = entry_name(c, mi, param);
    en->n = mg__run_slice_rows(c, slice);
    if (!en->model || (k >= 0 && !en->slicing) || !en->slice || !en->metric)
        return MG_ENOMEM;
    if ((reason = entry_blocked(c, m, k)) != NULL)
        ;
    else if (mi->needs_probability && c->mc == NULL && c->d->not_probability[m] >= 0)
        reason = "scores outside [0, 1] are not probabilities";
    else if (mi->needs_probability && c->mc != NULL && c->d->prob[m] == NULL)
        reason = "the model has no probabilities";
    else if (mg__run_value(c, mi, param, -1, m, slice, &est, &reason) == 0)
        reason = NULL;
    if (reason != NULL)
        return (en->reason = mg__strdup(reason)) ? 0 : MG_ENOMEM;
    en->has_estimate = 1;
    en->estimate = unsigned_zero(est);
    if (c->kind != MG_INTERVAL_ANALYTIC && c->replicates == 0)
        return 0;
    if ((rc = mg__statistic_ci(c, NULL, mi, param, m, k, q, est, c->confidence, &ci)) !=
        0)
        return rc;
    en->undefined_replicates = ci.undefined;
    if (!ci.has_ci)
        return (en->reason = mg__strdup(ci.reason)) ? 0 : MG_ENOMEM;
    en->has_ci = 1;
    en->ci_low = unsigned_zero(ci.low);
    en->ci_high = unsigned_zero(ci.high);
    return 0;
}

/* How many entries metric mt has in the view: one per class or k, or one; none
 * for another task's metric. */
static size_t metric_instances(const ctx *c, mg_metric mt)
{
    if (mg_metric_get(mt)->task != c->s->task)
        return 0;
    switch (mg_metric_parameter_of(mt)) {
    case MG_PARAMETER_CLASS:
        return c->d->nclasses;
    case MG_PARAMETER_K:
        return c->nk;
    case MG_PARAMETER_NONE:
        break;
    }
    return 1;
}

static int metric_entries(ctx *c)
{
    mg_report *r = c->r;
    size_t total = 1, per = 0;
    for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
        per += metric_instances(c, (mg_metric)mt);
    for (size_t k = 0; k < c->s->nslicings; k++)
        total += c->d->slicings[k].nlevels;
    total *= c->s->nmodels * per;
    r->metrics = calloc(total ? total : 1, sizeof *r->metrics);
    if (r->metrics == NULL)
        return MG_ENOMEM;
    for (size_t m = 0; m < c->s->nmodels; m++)
        for (long k = -1; k < (long)c->s->nslicings; k++) {
            size_t span = k < 0 ? 1 : c->d->slicings[k].nlevels;
            if (k >= 0 && c->s->slicings[k].discovery)
                continue; /* a weak_slices search's, not the suite's */
            for (size_t q = 0; q < span; q++)
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++)
                    for (size_t i = 0; i < metric_instances(c, (mg_metric)mt); i++) {
                        int rc = metric_entry(c, m, k, q, mg_metric_get((mg_metric)mt),
                                              (long)i, &r->metrics[r->nmetrics++]);
                        if (rc != 0)
                            return rc;
                    }
        }
    return 0;
}

/* ---- Checks that need both the suite and the data ------------------------ */

/* A threshold names a slice the test does not have: say which it has. */
static int unknown_slice(const ctx *c, const mg_test_spec *t, const mg__slicing *sl,
                         const mg_slice_threshold *th, mg_error *err)
{
    char list[MG_ERROR_MESSAGE_MAX / 2];
    size_t at = 0, shown = 0;

    list[0] = '\0';
    for (size_t l = 0; l < sl->nlevels; l++, shown++) {
        size_t len = strlen(sl->labels[l]) + 4;
        if (at + len + 8 >= sizeof list)
            break;
        at += (size_t)snprintf(list + at, sizeof list - at, "%s'%s'", l ? ", " : "",
                               sl->labels[l]);
    }
    return mg_suite_error(c->s, &th->loc, err, MG_EDATA,
                          "test '%s' has no slice '%s'; its slices are %s%s", t->name,
                          th->slice, list, shown < sl->nlevels ? ", ..." : "");
}

/* A multiclass test's class is one of the data's classes; a metric of
 * probabilities reads models that have them; k is below the number of classes. */
static int check_multiclass_test(const ctx *c, const mg_test_spec *t,
                                 const long models[2], mg_error *err)
{
    const mg_suite *s = c->s;
    const mg_metric_info *mi = mg_metric_get((mg_metric)t->metric);
    char list[300] = "";
    if (mg_metric_parameter_of(mi->id) == MG_PARAMETER_CLASS &&
        class_index(c, t->class_name) < 0) {
        size_t used = 0;
        for (size_t k = 0; k < c->d->nclasses && used + 1 < sizeof list; k++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s'%.30s'",
                                     k ? ", " : "", c->d->classes[k]);
        return mg_suite_error(s, &t->class_loc, err, MG_EDATA,
                              "class '%s' is not one of the classes in column '%s' of "
                              "%s: %s",
                              t->class_name, s->data.label, s->data.holdout, list);
    }
    for (int q = 0; q < 2 && mi->needs_probability; q++)
        if (models[q] >= 0 && c->d->prob[models[q]] == NULL)
            return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                                  "%s needs probabilities, and model '%s' has only a "
                                  "predicted class (give it probabilities or prefix)",
                                  mi->name, s->models[models[q]].name);
    return 0;
}

static int check_test(const ctx *c, const mg_test_spec *t, mg_error *err)
{
    const mg_suite *s = c->s;
    const mg_metric_info *mi = mg_metric_get((mg_metric)t->metric);
    long models[2] = {mg_suite_model(s, t->model),
                      t->baseline ? mg_suite_model(s, t->baseline) : -1};

    if (c->kind == MG_INTERVAL_ANALYTIC && t->gap != MG_GAP_NONE)
        return mg_suite_error(s, &t->gap_loc, err, MG_EINVAL,
                              "max_gap, min_ratio and vs_overall read the bootstrap "
                              "replicates of every slice, and interval: analytic "
                              "draws none; use bca, percentile or basic");
    if (t->baseline && mi->direction == 0 && t->gap == MG_GAP_NONE)
        return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                              "%s is descriptive (neither higher nor lower is "
                              "better), so it cannot be compared with a baseline",
                              mi->name);
    if (c->kind == MG_INTERVAL_ANALYTIC) {
        if (t->baseline && mi->analytic != MG_ANALYTIC_DELONG)
            return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                                  "no analytic interval for a paired difference in "
                                  "%s (DeLong covers auc only); use bca, "
                                  "percentile or basic",
                                  mi->name);
        if (mi->analytic == MG_ANALYTIC_NONE)
            return mg_suite_error(s, &t->metric_loc, err, MG_EINVAL,
                                  "no analytic interval for %s; use bca, percentile "
                                  "or basic",
                                  mi->name);
    }
    for (size_t j = 0; j < t->nthresholds; j++) {
        const mg__slicing *sl = &c->d->slicings[c->d->test_slicing[t - s->tests]];
        if (mg__slicing_find(sl, t->thresholds[j].slice) < 0)
            return unknown_slice(c, t, sl, &t->thresholds[j], err);
    }
    if (s->task == MG_TASK_MULTICLASS)
        return check_multiclass_test(c, t, models, err);
    for (int q = 0; q < 2 && mi->needs_probability; q++) {
        long mm = models[q], row;
        if (mm < 0 || (row = c->d->not_probability[mm]) < 0)
            continue;
        return mg_error_set(
            err, MG_EDATA, mg__table_row_path(c->d->score_table[mm], (size_t)row),
            mg_table_line(c->d->score_table[mm], (size_t)row), 0,
            "column '%s': score %.17g is outside [0, 1], and %s (test "
            "'%s') needs probabilities",
            s->models[mm].score, c->d->score[mm][row], mi->name, t->name);
    }
    return 0;
}

static int check_tests(const ctx *c, mg_error *err)
{
    const mg_suite *s = c->s;
    int rc;
    if (s->task == MG_TASK_MULTICLASS && s->bootstrap.stratify == MG_STRATIFY_LABEL)
        return mg_suite_error(s, &s->bootstrap.loc, err, MG_EINVAL,
                              "stratify: label is for binary suites (it fixes the "
                              "positives' and negatives' totals); remove it");
    if (s->bootstrap.cluster && s->bootstrap.stratify == MG_STRATIFY_LABEL)
        return mg_suite_error(s, &s->bootstrap.cluster_loc, err, MG_EINVAL,
                              "cluster and stratify: label cannot be combined");
    if (s->bootstrap.cluster && s->bootstrap.resampler == MG_RESAMPLER_POISSON)
        return mg_suite_error(s, &s->bootstrap.cluster_loc, err, MG_EINVAL,
                              "cluster and resampler: poisson cannot be combined");
    /* stratify: label fixes the class totals, which is valid only for metrics of
     * each class's distribution alone (the registry's class_conditional; the essay
     * of stats/engine.c says why). Poisson weights cannot fix totals at all. */
    if (s->bootstrap.stratify == MG_STRATIFY_LABEL &&
        s->bootstrap.resampler == MG_RESAMPLER_POISSON)
        return mg_suite_error(s, &s->bootstrap.loc, err, MG_EINVAL,
                              "stratify: label and resampler: poisson cannot be "
                              "combined: Poisson weights do not keep class totals, "
                              "and the metrics stratify allows need none");
    if (s->bootstrap.stratify == MG_STRATIFY_LABEL && c->kind != MG_INTERVAL_ANALYTIC) {
        if (c->o->mode == MG_RUN_METRICS)
            return mg_suite_error(s, &s->bootstrap.loc, err, MG_EINVAL,
                                  "stratify: label gives valid intervals only for "
                                  "recall, specificity, balanced_accuracy and auc, "
                                  "and 'metrics' shows every metric: remove stratify");
        for (size_t i = 0; i < s->ntests; i++)
            if (!mg_metric_get((mg_metric)s->tests[i].metric)->class_conditional)
                return mg_suite_error(
                    s, &s->tests[i].metric_loc, err, MG_EINVAL,
                    "%s depends on the class mix, and stratify: label fixes it, so "
                    "the interval would miss the prevalence's variance: stratify "
                    "only recall, specificity, balanced_accuracy or auc",
                    mg_metric_name((mg_metric)s->tests[i].metric));
    }
    for (size_t i = 0; i < s->ntests; i++)
        if (mg__test_blocked(c, &s->tests[i]) == NULL &&
            (rc = check_test(c, &s->tests[i], err)) != 0)
            return rc;
    return 0;
}

/* ---- The run ------------------------------------------------------------- */

static unsigned available_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* The commit under test, as CI systems name it: GitHub Actions, GitLab CI, Jenkins
 * (git plugin), Azure Pipelines. */
static int fill_commit(mg_report *r)
{
    static const char *vars[] = {"GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT",
                                 "BUILD_SOURCEVERSION"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v == NULL || v[0] == '\0')
            continue;
        r->commit = mg__strdup(v);
        r->commit_source = mg__strdup(vars[i]);
        return r->commit && r->commit_source ? 0 : MG_ENOMEM;
    }
    return 0;
}

static int fill_provenance(ctx *c)
{
    mg_report *r = c->r;
    const mg_suite *s = c->s;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(r->timestamp, sizeof r->timestamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    r->suite = mg__strdup(s->name);
    r->suite_path = mg__strdup(s->path);
    r->tool_version = mg__strdup(mg_version());
    r->interval = mg__strdup(interval_names[c->kind]);
    r->resampler = mg__strdup(
        s->bootstrap.resampler == MG_RESAMPLER_POISSON ? "poisson" : "multinomial");
    r->stratify =
        mg__strdup(s->bootstrap.stratify == MG_STRATIFY_LABEL ? "label" : "none");
    r->cluster = mg__strdup(s->bootstrap.cluster);
    r->confidence = c->confidence;
    r->replicates = c->replicates;
    r->seed = c->o->has_seed ? c->o->seed : s->bootstrap.seed;
    if (!r->suite || !r->suite_path || !r->tool_version || !r->interval ||
        !r->resampler || !r->stratify || (s->bootstrap.cluster && !r->cluster) ||
        fill_commit(r) != 0)
        return MG_ENOMEM;
    if (c->d) {
        r->inputs = c->d->inputs;
        r->ninputs = c->d->ninputs;
        c->d->inputs = NULL;
        c->d->ninputs = 0;
        r->warnings = c->d->warnings;
        r->nwarnings = c->d->nwarnings;
        c->d->warnings = NULL;
        c->d->nwarnings = 0;
    }
    return 0;
}

/* The report's metric entries are wanted: `metrics`, or `run` with with_metrics
 * (a field of version 2 of the options: an older caller's struct ends before it). */
static int wants_metrics(const ctx *c)
{
    return c->o->mode == MG_RUN_METRICS ||
           (c->o->mode == MG_RUN_TESTS && c->o->version >= 2 && c->o->with_metrics);
}

static int needs_rank(const ctx *c)
{
    if (wants_metrics(c) || wants_plots(c)) /* plots: the curves' AUC and AP */
        return 1;
    for (size_t i = 0; i < c->s->ntests; i++) {
        mg_family f = mg_metric_family(c->s->tests[i].metric);
        /* multiclass means are gathered with every replicate; only the AUCs'
         * sorted passes are optional */
        if (c->s->task == MG_TASK_MULTICLASS ? f == MG_FAMILY_RANK
                                             : f != MG_FAMILY_CONFUSION)
            return 1;
    }
    return 0;
}

/* The distinct k of the top_k_accuracy tests (and 2, the default, for the
 * metrics view): the multiclass engine gathers one hit count per k. */
static int plan_ks(ctx *c)
{
    const mg_suite *s = c->s;
    c->ks = calloc(s->ntests + 1, sizeof *c->ks);
    if (c->ks == NULL)
        return MG_ENOMEM;
    if (s->task != MG_TASK_MULTICLASS)
        return 0;
    for (size_t i = 0; i < s->ntests; i++)
        if (mg_metric_parameter_of((mg_metric)s->tests[i].metric) == MG_PARAMETER_K &&
            k_slot(c, (size_t)s->tests[i].k) < 0)
            c->ks[c->nk++] = (size_t)s->tests[i].k;
    if (wants_metrics(c) && c->nk == 0)
        c->ks[c->nk++] = 2;
    return 0;
}

/* The distinct (model, baseline) pairs the tests compare: the engine computes a
 * paired jackknife for each. */
static int plan_pairs(ctx *c)
{
    const mg_suite *s = c->s;
    c->pairs = calloc(s->ntests ? s->ntests : 1, sizeof *c->pairs);
    if (c->pairs == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < s->ntests; i++) {
        const mg_test_spec *t = &s->tests[i];
        size_t m, b;
        int seen = 0;
        if (t->baseline == NULL)
            continue;
        m = (size_t)mg_suite_model(s, t->model);
        b = (size_t)mg_suite_model(s, t->baseline);
        for (size_t q = 0; q < c->npairs; q++)
            seen |= c->pairs[q][0] == m && c->pairs[q][1] == b;
        if (!seen) {
            c->pairs[c->npairs][0] = m;
            c->pairs[c->npairs][1] = b;
            c->npairs++;
        }
    }
    return 0;
}

/* The engine's view of the data: labels, scores, slice codes, clusters. */
typedef struct engine_input {
    mg__dataset ds;
    mg__engine_options eo;
    const uint32_t **codes;
    size_t *nlevels;
    uint64_t *key;      /* per row, a hash of its id (NULL without an id column) */
    mg__mc_dataset mds; /* multiclass suites */
    mg__mc_options mo;
} engine_input;

static int engine_input_init(engine_input *in, ctx *c)
{
    const mg_suite *s = c->s;
    size_t k = c->d->nslicings ? c->d->nslicings : 1;
    memset(in, 0, sizeof *in);
    in->codes = calloc(k, sizeof *in->codes);
    in->nlevels = calloc(k, sizeof *in->nlevels);
    if (!in->codes || !in->nlevels)
        return MG_ENOMEM;
    for (size_t q = 0; q < c->d->nslicings; q++) {
        in->codes[q] = c->d->slicings[q].code;
        in->nlevels[q] = c->d->slicings[q].nlevels;
    }
    /* Resampling keyed by id: the holdout keeps its id column, one level per row. */
    if (s->data.id != NULL) {
        long col = mg_table_find(c->d->holdout, s->data.id);
        const uint32_t *ids =
            col < 0 ? NULL : mg_table_codes(c->d->holdout, (size_t)col);
        if (ids != NULL) {
            if ((in->key = malloc((c->d->n ? c->d->n : 1) * sizeof *in->key)) == NULL)
                return MG_ENOMEM;
            for (size_t i = 0; i < c->d->n; i++)
                in->key[i] = mg__engine_id_key(
                    mg_table_level(c->d->holdout, (size_t)col, ids[i]));
        }
    }
    in->ds = (mg__dataset){c->d->n,         c->d->label,     s->nmodels, c->d->score,
                           c->d->threshold, c->d->nslicings, in->codes,  in->nlevels,
                           c->d->cluster,   c->d->nclusters, in->key};
    in->eo.replicates = c->replicates;
    in->eo.seed = c->o->has_seed ? c->o->seed : s->bootstrap.seed;
    in->eo.stratify = s->bootstrap.stratify == MG_STRATIFY_LABEL
                          ? MG__ENGINE_STRATIFY_LABEL
                          : MG__ENGINE_STRATIFY_NONE;
    in->eo.resampler = s->bootstrap.resampler == MG_RESAMPLER_POISSON
                           ? MG__ENGINE_POISSON
                           : MG__ENGINE_MULTINOMIAL;
    in->eo.threads = c->r->threads;
    in->eo.need_rank = needs_rank(c);
    in->eo.npairs = c->npairs;
    in->eo.pairs = (const size_t(*)[2])c->pairs;
    in->eo.progress = c->o->progress;
    in->eo.progress_ctx = c->o->progress_ctx;
    in->eo.cancel = c->o->cancel;
    in->eo.curve_thresholds = wants_plots(c) ? CURVE_THRESHOLDS : 0;
    if (s->task == MG_TASK_MULTICLASS) {
        in->mds = (mg__mc_dataset){c->d->n,
                                   c->d->nclasses,
                                   c->d->cls,
                                   s->nmodels,
                                   (const uint8_t *const *)c->d->pred,
                                   (const double *const *const *)c->d->prob,
                                   s->nslicings,
                                   in->codes,
                                   in->nlevels,
                                   c->d->cluster,
                                   c->d->nclusters,
                                   in->key};
        in->mo = (mg__mc_options){in->eo.replicates,
                                  in->eo.seed,
                                  in->eo.resampler,
                                  in->eo.threads,
                                  c->npairs,
                                  in->eo.pairs,
                                  c->nk,
                                  c->ks,
                                  in->eo.need_rank,
                                  c->o->progress,
                                  c->o->progress_ctx,
                                  c->o->cancel};
    }
    return 0;
}

static void engine_input_free(engine_input *in)
{
    free(in->codes);
    free(in->nlevels);
    free(in->key);
}

/* Everything the run will hold at its peak must fit under the limit. */
static int check_run_memory(ctx *c, const engine_input *in, double limit, mg_error *err)
{
    char what[200];
    double need =
        mg__budget_tables(c->s) +
        (c->s->task == MG_TASK_MULTICLASS ? mg__mc_engine_memory(&in->mds, &in->mo)
                                          : mg__engine_memory(&in->ds, &in->eo)) +
        (double)c->replicates * sizeof(double);
    snprintf(what, sizeof what,
             "%zu replicates × %zu model%s × %zu slices over %zu rows", c->replicates,
             c->s->nmodels, c->s->nmodels == 1 ? "" : "s",
             mg__engine_slice_count(&in->ds), c->d->n);
    return mg__budget_check(c->s, need, limit, what, err);
}

static int run(ctx *c, mg_error *err)
{
    const mg_suite *s = c->s;
    double limit = mg__budget_limit(c->o->max_memory);
    engine_input in = {0};
    int rc;

    /* Data checks are test cases: `run` and `validate` decide them, on data read as
     * they need it; `metrics` explores and reads strictly. */
    int checking = c->o->mode != MG_RUN_METRICS && s->nchecks > 0;
    mg__data_blocks held = {0};

    if ((rc = mg__budget_check(s, mg__budget_tables(s), limit,
                               "to hold the input files", err)) != 0 ||
        (rc = mg__data_read(&c->d, s, checking, c->o->cancel, err)) != 0)
        return rc;
    if (checking && mg__checks_run(c) != 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    held = (mg__data_blocks){c->b.all != NULL, c->b.model_flag, c->b.slicing_flag,
                             c->b.test_flag};
    if ((rc = mg__data_prepare(c->d, s, checking ? &held : NULL, err)) != 0)
        return rc;
    c->r->threads = c->o->threads ? c->o->threads : available_cores();
    if (c->b.all != NULL) {
        /* Nothing may be computed: every test is an error naming the check. */
        c->replicates = 0;
        if (fill_provenance(c) != 0 ||
            (c->o->mode == MG_RUN_TESTS && run_tests(c) != 0))
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
        return 0;
    }
    if ((rc = check_tests(c, err)) != 0)
        return rc;
    if (plan_pairs(c) != 0 || plan_ks(c) != 0 || engine_input_init(&in, c) != 0 ||
        (c->buf = malloc((c->replicates ? c->replicates : 1) * sizeof *c->buf)) == NULL)
        goto nomem;
    if ((rc = check_run_memory(c, &in, limit, err)) != 0)
        goto cleanup;
    if (c->o->mode == MG_RUN_VALIDATE) {
        /* validate: everything checked, nothing computed */
        c->replicates = 0;
        if (fill_provenance(c) != 0)
            goto nomem;
        rc = mg__run_drift(c, 1, err);
        goto cleanup;
    }
    if ((rc = s->task == MG_TASK_MULTICLASS
                  ? mg__mc_engine_run(&c->mc, &in.mds, &in.mo, err)
                  : mg__engine_run(&c->e, &in.ds, &in.eo, err)) != 0)
        goto cleanup;
    if (fill_provenance(c) != 0)
        goto nomem;
    /* drift first: a shifted holdout set makes every metric after it suspect */
    if (c->o->mode == MG_RUN_TESTS && (rc = mg__run_drift(c, 0, err)) != 0)
        goto cleanup;
    if ((c->o->mode == MG_RUN_TESTS && run_tests(c) != 0) ||
        (wants_metrics(c) && metric_entries(c) != 0) ||
        (wants_plots(c) && c->mc == NULL && curves(c) != 0))
        goto nomem;
    rc = 0;
    goto cleanup;
nomem:
    rc = mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
cleanup:
    engine_input_free(&in);
    return rc;
}

int mg_run_suite(mg_report **out, const mg_suite *s, const mg_run_options *opts,
                 mg_error *err)
{
    mg_run_options defaults = MG_RUN_OPTIONS_INIT;
    mg__c_numeric scope = {0};
    ctx c = {0};
    double t0 = mg__now();
    int rc;

    *out = NULL;
    if (opts != NULL && (opts->version == 0 || opts->version > MG_RUN_OPTIONS_VERSION))
        return mg_error_set(
            err, MG_EINVAL, NULL, 0, 0,
            "mg_run_options version %u is not one this library knows "
            "(1 to %u): initialise the options with MG_RUN_OPTIONS_INIT",
            opts->version, MG_RUN_OPTIONS_VERSION);
    c.s = s;
    c.o = opts ? opts : &defaults;
    c.kind = s->bootstrap.interval;
    c.confidence = s->bootstrap.confidence;
    c.replicates = c.o->replicates > 0 ? c.o->replicates : s->bootstrap.replicates;
    if (c.kind == MG_INTERVAL_ANALYTIC)
        c.replicates = 0;
    if ((c.r = calloc(1, sizeof *c.r)) == NULL || mg__c_numeric_begin(&scope) != 0) {
        free(c.r);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = run(&c, err);
    mg__c_numeric_end(&scope);
    if (rc == 0) {
        c.r->seconds = mg__now() - t0;
        *out = c.r;
        c.r = NULL;
    }
    free(c.sx);
    free(c.sy);
    free(c.sl);
    free(c.buf);
    free(c.pairs);
    free(c.ks);
    mg__engine_free(c.e);
    mg__blocks_free(&c.b, s->nmodels, s->nslicings);
    mg__mc_engine_free(c.mc);
    mg__data_free(c.d);
    mg_report_free(c.r);
    return rc;
}
