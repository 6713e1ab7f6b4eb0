/*
 * Deciding a test across the slices of a slicing: max_gap (the largest minus the
 * smallest slice value at most d) and min_ratio (the smallest over the largest at
 * least r; the four-fifths rule is min_ratio: 0.8 on positive_rate).
 *
 * Every slice's value in every bootstrap replicate comes from the engine's shared
 * replicates, so the slices are resampled together and their differences are
 * paired; the interval is the simultaneous max-t interval of stats/gap.c, which
 * bounds the gap whichever pair is truly the widest (the percentile interval of the
 * replicated gap is biased upward; stats/gap.c and docs/statistics.md say why).
 * A ratio is the gap of the logs.
 *
 * The slices compared are those a threshold test of the same slicing would decide:
 * at least min_size rows, min_positives, min_negatives, a defined value, and at
 * least 10 of the smaller class (a slice with two positives has a recall of 0, ½ or
 * 1 and would make any gap). The others are left out and counted in the case.
 *
 * With a baseline (max_gap only) the case compares the two models' gaps on the same
 * replicates: Δ = baseline's gap − model's gap, positive when the model narrows it,
 * and `max_gap: d` passes when Δ's lower bound is at least −d ("the candidate does
 * not widen the gap by more than d"). Both gaps carry the same upward bias when the
 * slices are the same, so their difference is read by the suite's interval method
 * (percentile, basic, or BC: no closed-form jackknife exists for a difference of
 * maxima).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "harness/run_internal.h"
#include "stats/gap.h"

/* Whether model m's metric stands on slice `slice` (global id): large enough and
 * defined. *value receives it (its log for a ratio; −inf for a ratio's 0). */
static int stands(ctx *c, const plan *p, size_t m, size_t slice, double *value)
{
    mg_case scratch = {0};
    if (mg__too_small(c, p, slice, m, &scratch) ||
        mg__run_value(c, p->metric, p->param, -1, m, slice, value, NULL) != 0 ||
        mg__run_effective_size(c, p->metric, p->param, m, slice) <
            MG_METRIC_MIN_EFFECTIVE_SIZE)
        return 0;
    if (p->gap == MG_GAP_RATIO)
        *value = log(*value);
    return 1;
}

/* Model m's value on slice `slice` in every replicate (NaN where undefined). */
static void replicates_of(ctx *c, const plan *p, size_t m, size_t slice, double *out)
{
    for (size_t b = 0; b < c->replicates; b++) {
        double v;
        if (mg__run_value(c, p->metric, p->param, (long)b, m, slice, &v, NULL) != 0)
            out[b] = NAN;
        else
            out[b] = p->gap == MG_GAP_RATIO ? log(v) : v;
    }
}

/* The gap (max − min) of est over S slices, and where its ends sit. */
static double spread(const double *est, size_t S, size_t *hi, size_t *lo)
{
    *hi = *lo = 0;
    for (size_t s = 1; s < S; s++) {
        if (est[s] > est[*hi])
            *hi = s;
        if (est[s] < est[*lo])
            *lo = s;
    }
    return est[*hi] - est[*lo];
}

/* Δ* = baseline's gap − model's gap in every replicate where both are defined,
 * into c->buf; returns how many. */
static size_t gap_deltas(ctx *c, const double *vm, const double *vb, size_t S)
{
    size_t k = 0, B = c->replicates;
    for (size_t b = 0; b < B; b++) {
        double hm = -HUGE_VAL, lm = HUGE_VAL, hb = -HUGE_VAL, lb = HUGE_VAL;
        int ok = 1;
        for (size_t s = 0; s < S && ok; s++) {
            double x = vm[s * B + b], y = vb[s * B + b];
            ok = !isnan(x) && !isnan(y);
            hm = fmax(hm, x), lm = fmin(lm, x), hb = fmax(hb, y), lb = fmin(lb, y);
        }
        if (ok)
            c->buf[k++] = (hb - lb) - (hm - lm);
    }
    return k;
}

/* The case's interval from the computed one: the gap's, the ratio's (from the logs'
 * gap), or Δ's; and the evidence the rule reads. */
static void take_interval(const plan *p, const mg__ci *ci, mg_case *k, mg__evidence *ev)
{
    if (!ci->has_ci)
        return;
    ev->has_ci = 1;
    if (k->has_delta) {
        ev->low = k->delta_ci_low = ci->low;
        ev->high = k->delta_ci_high = ci->high;
        return;
    }
    k->has_ci = 1;
    if (p->gap == MG_GAP_RATIO) {
        k->ci_low = exp(-ci->high);
        k->ci_high = exp(-ci->low);
    } else {
        k->ci_low = ci->low;
        k->ci_high = ci->high;
    }
    ev->low = k->ci_low;
    ev->high = k->ci_high;
}

int mg__decide_gap(ctx *c, const plan *p, double level, mg_case *k, extras *x)
{
    size_t span = p->span, B = c->replicates, S = 0, hi, lo, hb, lb;
    long base = p->base;
    double *est = malloc((span ? span : 1) * sizeof *est);
    double *est_b = malloc((span ? span : 1) * sizeof *est_b);
    size_t *ids = malloc((span ? span : 1) * sizeof *ids);
    double *vm = NULL, *vb = NULL, crit = 0;
    mg__evidence ev = {0};
    mg__verdict v;
    mg__ci ci;
    int rc = 0, zero = 0;

    k->kind = p->gap == MG_GAP_RATIO ? MG_TEST_RATIO : MG_TEST_GAP;
    k->bound_level = level;
    k->confidence = mg__two_sided(level);
    k->min_size = p->min_size;
    k->min_positives = p->min_positives;
    k->min_negatives = p->min_negatives;
    if (est == NULL || est_b == NULL || ids == NULL)
        goto nomem;
    for (size_t q = 0; q < span; q++) {
        size_t slice = p->first + q;
        double e1, e2 = 0;
        if (!stands(c, p, p->model, slice, &e1) ||
            (base >= 0 && !stands(c, p, (size_t)base, slice, &e2))) {
            k->gap_left_out++;
            continue;
        }
        zero |= isinf(e1);
        ids[S] = q;
        est_b[S] = e2;
        est[S++] = e1;
        {
            size_t pos, neg;
            mg__run_class_counts(c, p->metric, p->param, p->model, slice, &pos, &neg);
            k->n += mg__run_slice_rows(c, slice);
            k->positives += pos;
            k->negatives += neg;
        }
    }
    k->gap_slices = S;
    if (S < 2) {
        k->status = MG_STATUS_TOO_SMALL;
        k->outcome = MG_OUTCOME_SKIP;
        goto cleanup;
    }
    k->estimate = spread(est, S, &hi, &lo);
    k->has_estimate = 1;
    k->gap_high_value = est[hi];
    k->gap_low_value = est[lo];
    if (p->gap == MG_GAP_RATIO) {
        k->estimate = zero ? 0 : exp(-k->estimate);
        k->gap_high_value = exp(est[hi]);
        k->gap_low_value = exp(est[lo]);
    }
    if ((k->gap_high = mg__strdup(mg__slice_label(c, p->slicing, ids[hi]))) == NULL ||
        (k->gap_low = mg__strdup(mg__slice_label(c, p->slicing, ids[lo]))) == NULL)
        goto nomem;
    ev.estimate = k->estimate;
    k->has_threshold = 1;
    k->threshold = p->t->gap_value;
    if (base >= 0) {
        k->has_baseline_estimate = 1;
        k->baseline_estimate = spread(est_b, S, &hb, &lb);
        k->has_delta = 1;
        k->delta = k->baseline_estimate - k->estimate;
        k->margin = p->t->gap_value;
        ev.estimate = k->delta;
    } else if (p->gap == MG_GAP_RATIO) {
        k->has_at_least = 1;
        k->at_least = p->t->gap_value;
    } else {
        k->has_at_most = 1;
        k->at_most = p->t->gap_value;
    }
    if (B == 0) {
        mg__ci_none(&ci, "no bootstrap replicates");
    } else {
        if ((vm = malloc(S * B * sizeof *vm)) == NULL ||
            (base >= 0 && (vb = malloc(S * B * sizeof *vb)) == NULL))
            goto nomem;
        for (size_t s = 0; s < S; s++) {
            replicates_of(c, p, p->model, p->first + ids[s], vm + s * B);
            if (base >= 0)
                replicates_of(c, p, (size_t)base, p->first + ids[s], vb + s * B);
        }
        if (base >= 0)
            mg__ci_bootstrap(&ci, c->kind, c->buf, gap_deltas(c, vm, vb, S), B,
                             k->delta, NULL, k->confidence);
        else if (zero)
            mg__ci_none(&ci,
                        "%s is 0 on %s, so the ratio is 0 and has no interval on "
                        "the log scale",
                        p->metric->name, k->gap_low);
        else if ((rc = mg__ci_max_gap(&ci, est, vm, S, B, level, &crit)) != 0)
            goto cleanup;
    }
    k->method = ci.has_ci ? ci.method : MG_CI_NONE;
    k->replicates = ci.replicates;
    k->replicates_undefined = ci.undefined;
    k->degenerate = ci.degenerate;
    if (ci.reason[0] != '\0')
        snprintf(x->reason, sizeof x->reason, "%s", ci.reason);
    take_interval(p, &ci, k, &ev);
    if (!ev.has_ci && p->t->rule != MG_RULE_ESTIMATE) {
        /* No evidence either way, as for a slice without an interval. */
        k->status = MG_STATUS_NO_EVIDENCE;
        k->replicates_needed = ci.needed;
        k->outcome = p->t->rule == MG_RULE_LENIENT ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
        goto cleanup;
    }
    {
        mg__rule rule = {
            p->t->rule,     k->has_at_least,
            k->has_at_most, k->at_least,
            k->at_most,     base >= 0 ? MG_COMPARE_NON_INFERIOR : MG_COMPARE_NONE,
            k->margin};
        mg__decide(&rule, &ev, &v);
    }
    k->status = MG_STATUS_DECIDED;
    k->outcome = v.outcome;
    memcpy(k->checks, v.checks, sizeof v.checks);
    k->nchecks = v.nchecks;
    goto cleanup;
nomem:
    rc = MG_ENOMEM;
cleanup:
    free(est);
    free(est_b);
    free(ids);
    free(vm);
    free(vb);
    return rc;
}
