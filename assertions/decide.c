/*
 * Statistical decision rules (docs/architecture.md, "Decisions").
 *
 * A threshold test states which part of the interval must clear the threshold:
 *   strict   – the whole interval is on the passing side ("95 % sure it is at least
 *              this good"); a failure is clear when the whole interval is on the
 *              failing side, inconclusive when it straddles the threshold;
 *   lenient  – fails only when the whole interval is on the failing side;
 *   estimate – compares the point estimate, as other tools do; no error control.
 *
 * Comparisons use Δ = model − baseline, sign-adjusted so that positive is better:
 *   non_inferior m – Δ's lower bound ≥ −m;
 *   superior m     – Δ's lower bound > m;
 *   equivalent m   – Δ's interval inside [−m, m].
 * Under `lenient` the roles of the bounds swap (fail only when the interval is
 * entirely on the failing side); under `estimate` Δ itself is compared.
 *
 * Every decision is one or two checks, each a bound against a threshold with a
 * passing side; the outcome fails when any check fails. The checks are kept in the
 * report so that the message states exactly what was compared.
 */
#include "assertions/decide.h"

/* x on the passing side of thr: above it when `above`, below it otherwise;
 * reaching thr passes unless `open` (superiority needs Δ > m, not Δ >= m). */
static int passes(double x, double thr, int above, int open)
{
    if (x == thr)
        return !open;
    return above ? x > thr : x < thr;
}

/* One bound against one threshold under the rule. */
static mg_check one_side(mg_rule rule, const mg__evidence *ev, double thr, int above,
                         int open)
{
    double near = above ? ev->low : ev->high, far = above ? ev->high : ev->low;
    mg_check k = {MG_BOUND_ESTIMATE,    ev->estimate, thr, above, open, 0,
                  MG_FINDING_CLEAR_FAIL};

    if (rule == MG_RULE_ESTIMATE || !ev->has_ci) {
        k.passed = passes(ev->estimate, thr, above, open);
    } else if (rule == MG_RULE_STRICT) {
        /* the near bound must pass; the far one tells clear from inconclusive */
        k.bound = above ? MG_BOUND_LOWER : MG_BOUND_UPPER;
        k.value = near;
        k.passed = passes(near, thr, above, open);
        if (!k.passed && passes(far, thr, above, open))
            k.finding = MG_FINDING_INCONCLUSIVE;
    } else {
        /* lenient: fail only when even the far bound is on the failing side */
        k.bound = above ? MG_BOUND_UPPER : MG_BOUND_LOWER;
        k.value = far;
        k.passed = passes(far, thr, above, open);
        if (k.passed && !passes(near, thr, above, open))
            k.finding = MG_FINDING_LENIENT_PASS;
    }
    if (k.passed && k.finding != MG_FINDING_LENIENT_PASS)
        k.finding = MG_FINDING_PASS;
    return k;
}

void mg__decide(const mg__rule *r, const mg__evidence *ev, mg__verdict *out)
{
    out->nchecks = 0;
    /* 0.0 − m, not −m: a margin of 0 gives the threshold 0, never −0 */
    switch (r->comparison) {
    case MG_COMPARE_NONE:
        if (r->has_at_least)
            out->checks[out->nchecks++] = one_side(r->rule, ev, r->at_least, 1, 0);
        if (r->has_at_most)
            out->checks[out->nchecks++] = one_side(r->rule, ev, r->at_most, 0, 0);
        break;
    case MG_COMPARE_NON_INFERIOR:
        out->checks[out->nchecks++] = one_side(r->rule, ev, 0.0 - r->margin, 1, 0);
        break;
    case MG_COMPARE_SUPERIOR:
        out->checks[out->nchecks++] = one_side(r->rule, ev, r->margin, 1, 1);
        break;
    case MG_COMPARE_EQUIVALENT:
        out->checks[out->nchecks++] = one_side(r->rule, ev, 0.0 - r->margin, 1, 0);
        out->checks[out->nchecks++] = one_side(r->rule, ev, r->margin, 0, 0);
        break;
    }
    out->outcome = MG_OUTCOME_PASS;
    for (size_t i = 0; i < out->nchecks; i++)
        if (!out->checks[i].passed)
            out->outcome = MG_OUTCOME_FAIL;
}
