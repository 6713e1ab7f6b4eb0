/*
 * Statistical decision rules (DESIGN.md, "Statistical decisions").
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
 * Messages are one line and carry the rule, the estimate, the interval and the
 * threshold, with enough digits that a bound and a threshold that differ never
 * print the same.
 */
#include "assertions/decide.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void mg__format_number(char *buf, size_t size, double x, double other)
{
    char a[64], b[64];
    for (int digits = 3; digits <= 17; digits++) {
        snprintf(a, sizeof a, "%.*g", digits, x);
        snprintf(b, sizeof b, "%.*g", digits, other);
        if (x == other || strcmp(a, b) != 0 || digits == 17)
            break;
    }
    snprintf(buf, size, "%s", a);
}

static void fmt3(char *buf, size_t size, double x)
{
    x += 0.0; /* −0 prints as 0 */
    if (fabs(x) < 1e6 && (x == 0 || fabs(x) >= 1e-3))
        snprintf(buf, size, "%.3f", x);
    else
        snprintf(buf, size, "%.3g", x);
}

/* "auc 0.853 [0.838, 0.867] 95% BCa" or "auc 0.853" */
static void describe(const mg__evidence *ev, int delta, char *buf, size_t size)
{
    char e[64], lo[64], hi[64];
    fmt3(e, sizeof e, ev->estimate);
    if (delta && ev->estimate >= 0)
        memmove(e + 1, e, strlen(e) + 1), e[0] = '+';
    if (ev->has_ci) {
        fmt3(lo, sizeof lo, ev->low);
        fmt3(hi, sizeof hi, ev->high);
        snprintf(buf, size, "%s %s%s [%s, %s] %s", ev->metric,
                 delta ? "\xce\x94 = " : "", e, lo, hi, ev->interval);
    } else {
        snprintf(buf, size, "%s %s%s", ev->metric, delta ? "\xce\x94 = " : "", e);
    }
}

static int append(char *buf, size_t size, const char *fmt, const char *a, const char *b,
                  const char *c)
{
    size_t used = strlen(buf);
    return snprintf(buf + used, size - used, fmt, a, b, c);
}

/* x on the passing side of thr: above it when `ge`, below it otherwise; reaching
 * thr passes unless `open` (superiority needs Δ > m, not Δ >= m). */
static int passes(double x, double thr, int ge, int open)
{
    if (x == thr)
        return !open;
    return ge ? x > thr : x < thr;
}

/*
 * One bound against one threshold: `ge` means the passing side is above thr;
 * `open` excludes thr itself from the passing side.
 */
static mg_outcome one_side(const mg_test_spec *t, const mg__evidence *ev, double thr,
                           int ge, int open, char *msg, size_t size)
{
    char vb[64], tb[64];
    const char *op_pass = ge ? (open ? ">" : ">=") : (open ? "<" : "<=");
    const char *op_fail = ge ? (open ? "<=" : "<") : (open ? ">=" : ">");
    const char *below = ge ? "below" : "above";
    double near = ge ? ev->low : ev->high, far = ge ? ev->high : ev->low;
    int near_ok = passes(near, thr, ge, open);
    int far_ok = passes(far, thr, ge, open);
    char what[96];

    if (t->rule == MG_RULE_ESTIMATE || !ev->has_ci) {
        int ok = passes(ev->estimate, thr, ge, open);
        mg__format_number(vb, sizeof vb, ev->estimate, thr);
        mg__format_number(tb, sizeof tb, thr, ev->estimate);
        append(msg, size, "point estimate %s %s %s", vb, ok ? op_pass : op_fail, tb);
        return ok ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
    }
    if (t->rule == MG_RULE_STRICT) {
        mg__format_number(vb, sizeof vb, near, thr);
        mg__format_number(tb, sizeof tb, thr, near);
        snprintf(what, sizeof what, "%s bound", ge ? "lower" : "upper");
        append(msg, size, "%s %s ", what, vb, "");
        append(msg, size, "%s %s", near_ok ? op_pass : op_fail, tb, "");
        if (near_ok)
            return MG_OUTCOME_PASS;
        if (!far_ok)
            append(msg, size,
                   " (clear failure: the whole interval is %s the threshold)", below,
                   "", "");
        else
            append(msg, size, " (inconclusive: the interval straddles the threshold)",
                   "", "", "");
        return MG_OUTCOME_FAIL;
    }
    /* lenient: fail only when even the far bound is on the failing side */
    mg__format_number(vb, sizeof vb, far, thr);
    mg__format_number(tb, sizeof tb, thr, far);
    snprintf(what, sizeof what, "%s bound", ge ? "upper" : "lower");
    append(msg, size, "%s %s ", what, vb, "");
    append(msg, size, "%s %s", far_ok ? op_pass : op_fail, tb, "");
    if (!far_ok) {
        append(msg, size, " (clear failure: the whole interval is %s the threshold)",
               below, "", "");
        return MG_OUTCOME_FAIL;
    }
    if (!near_ok)
        append(msg, size, " (inconclusive: passes under the lenient rule)", "", "", "");
    return MG_OUTCOME_PASS;
}

void mg__decide_threshold(const mg_test_spec *t, const mg__evidence *ev,
                          mg__verdict *out)
{
    mg_outcome o = MG_OUTCOME_PASS;
    char *msg = out->message;
    size_t size = sizeof out->message;

    describe(ev, 0, msg, size);
    append(msg, size, ": ", "", "", "");
    if (t->has_at_least)
        o = one_side(t, ev, t->at_least, 1, 0, msg, size);
    if (t->has_at_most) {
        mg_outcome o2;
        if (t->has_at_least)
            append(msg, size, "; ", "", "", "");
        o2 = one_side(t, ev, t->at_most, 0, 0, msg, size);
        if (o2 == MG_OUTCOME_FAIL)
            o = MG_OUTCOME_FAIL;
    }
    out->outcome = o;
}

void mg__decide_comparison(const mg_test_spec *t, const mg__evidence *ev,
                           mg__verdict *out)
{
    char *msg = out->message;
    size_t size = sizeof out->message;
    char m[64], neg[64];
    mg_test_spec side = *t;
    mg_outcome o;

    describe(ev, 1, msg, size);
    append(msg, size, " vs %s: ", ev->baseline, "", "");
    snprintf(m, sizeof m, "%.6g", ev->margin);
    snprintf(neg, sizeof neg, "%.6g", -ev->margin);
    side.has_at_least = side.has_at_most = 0;
    switch (t->comparison) {
    case MG_COMPARE_NON_INFERIOR:
        o = one_side(&side, ev, -ev->margin, 1, 0, msg, size);
        append(msg, size, " (non-inferiority margin %s)", m, "", "");
        break;
    case MG_COMPARE_SUPERIOR:
        o = one_side(&side, ev, ev->margin, 1, 1, msg, size);
        append(msg, size, " (superiority margin %s)", m, "", "");
        break;
    case MG_COMPARE_EQUIVALENT:
    default:
        o = one_side(&side, ev, -ev->margin, 1, 0, msg, size);
        append(msg, size, "; ", "", "", "");
        if (one_side(&side, ev, ev->margin, 0, 0, msg, size) == MG_OUTCOME_FAIL)
            o = MG_OUTCOME_FAIL;
        append(msg, size, " (equivalence margin \xc2\xb1%s)", m, "", "");
        break;
    }
    out->outcome = o;
}
