/*
 * Sentences from numbers: every human-readable message and detail of a test case
 * is written here, from the case's structured fields (report.h), so that no layer
 * below decides anything by reading text and every number goes through the same
 * C-locale formatting.
 *
 * The verdict line states the metric, the estimate (or Δ) with its interval and
 * method, then each check of the rule: "auc 0.853 [0.838, 0.867] 95% BCa: lower
 * bound 0.838 >= 0.8". A bound and a threshold that differ are printed with as many
 * digits as it takes to tell them apart, so a message never reads "0.8 < 0.8". The
 * detail repeats every number with 17 significant digits, enough to reproduce it.
 *
 * A data check's finding quotes the data (values, counts, lines), so
 * harness/checks.c words it into the case's reason and it is the message here; a
 * prevalence check is a threshold decision and is rendered as one.
 */
#include "reporters/render.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "modelgate/error.h"

static const char *rule_names[] = {"strict", "lenient", "estimate"};
static const char *method_titles[] = {
    [MG_CI_NONE] = "",
    [MG_CI_BCA] = "BCa",
    [MG_CI_BC] = "BC (no acceleration)",
    [MG_CI_PERCENTILE] = "percentile",
    [MG_CI_BASIC] = "basic",
    [MG_CI_WILSON] = "Wilson",
    [MG_CI_DELONG] = "DeLong",
    [MG_CI_CLOPPER_PEARSON] = "Clopper-Pearson",
    [MG_CI_MAX_T] = "simultaneous max-t",
    [MG_CI_DELONG_LOGIT] = "DeLong (logit)",
    [MG_CI_NORMAL] = "normal (bootstrap SE)",
};

/* Format x with the fewest digits (at least 3 significant) that tell it apart from
 * `other` when the two differ. */
static void format_apart(char *buf, size_t size, double x, double other)
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

/* Three decimals for ordinary magnitudes, three significant digits otherwise. */
static void fmt3(char *buf, size_t size, double x)
{
    x += 0.0; /* −0 prints as 0 */
    if (fabs(x) < 1e6 && (x == 0 || fabs(x) >= 1e-3))
        snprintf(buf, size, "%.3f", x);
    else
        snprintf(buf, size, "%.3g", x);
}

/* A growing line: appends never overflow; the text is cut at the buffer's end. */
typedef struct line {
    char text[MG_ERROR_MESSAGE_MAX + 512];
    size_t used;
} line;

static void put(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(line *l, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (l->used >= sizeof l->text - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(l->text + l->used, sizeof l->text - l->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->used += (size_t)n < sizeof l->text - l->used ? (size_t)n
                                                        : sizeof l->text - l->used - 1;
}

void mg__case_method(char *buf, size_t size, const mg_case *k)
{
    const char *corr = k->correction == MG_CORRECTION_HOLM         ? "Holm"
                       : k->correction == MG_CORRECTION_BONFERRONI ? "Bonferroni"
                       : k->correction == MG_CORRECTION_BH         ? "BH"
                                                                   : NULL;
    if (corr != NULL && k->family_size > 1)
        snprintf(buf, size, "%g%% %s (%s, %zu %s)", 100 * k->confidence,
                 method_titles[k->method], corr, k->family_size,
                 k->kind == MG_TEST_DRIFT ? "columns" : "slices");
    else
        snprintf(buf, size, "%g%% %s", 100 * k->confidence, method_titles[k->method]);
}

/* "95% lower bound 0.838 >= 0.8 (…)" or "point estimate 0.85 >= 0.8". */
static void put_check(line *l, const mg_case *k, const mg_check *c)
{
    char vb[64], tb[64];
    /* The value sits above the threshold when it passes an above-check or fails a
     * below-check; the threshold itself belongs to the failing side when open. */
    int value_above = c->passed == c->above;
    int excludes_threshold = c->open == c->passed;
    const char *op = value_above ? (excludes_threshold ? ">" : ">=")
                                 : (excludes_threshold ? "<" : "<=");
    format_apart(vb, sizeof vb, c->value, c->threshold);
    format_apart(tb, sizeof tb, c->threshold, c->value);
    if (c->bound == MG_BOUND_ESTIMATE) {
        put(l, "point estimate %s %s %s", vb, op, tb);
        return;
    }
    /* each bound is one-sided at bound_level (the interval is two-sided at
     * 2·bound_level − 1) */
    put(l, "%g%% %s bound %s %s %s", 100 * k->bound_level,
        c->bound == MG_BOUND_LOWER ? "lower" : "upper", vb, op, tb);
    if (c->finding == MG_FINDING_CLEAR_FAIL)
        put(l, " (clear failure: the whole interval is %s the threshold)",
            c->above ? "below" : "above");
    else if (c->finding == MG_FINDING_INCONCLUSIVE)
        put(l, " (inconclusive: the interval straddles the threshold)");
    else if (c->finding == MG_FINDING_LENIENT_PASS)
        put(l, " (inconclusive: passes under the lenient rule)");
}

/* What the case's number is: "auc", "recall gap", "positive_rate ratio",
 * "recall vs overall". */
static void put_statistic(line *l, const mg_case *k)
{
    put(l, "%s%s", k->metric,
        k->kind == MG_TEST_GAP          ? " gap"
        : k->kind == MG_TEST_RATIO      ? " ratio"
        : k->kind == MG_TEST_VS_OVERALL ? " vs overall"
        : k->kind == MG_TEST_WEAK_SLICE ? " vs the rest"
                                        : "");
}

/* "auc 0.853 [0.838, 0.867] 95% BCa" or "auc Δ = +0.037 [0.025, 0.051] 95% BCa". */
static void put_estimate(line *l, const mg_case *k)
{
    int delta = k->has_delta;
    double x = delta ? k->delta : k->estimate;
    int has_ci = delta ? k->method != MG_CI_NONE : k->has_ci;
    char e[64], lo[64], hi[64], method[128];

    fmt3(e, sizeof e, x);
    put_statistic(l, k);
    put(l, " %s%s%s", delta ? "\xce\x94 = " : "", delta && x + 0.0 >= 0 ? "+" : "", e);
    if (has_ci) {
        fmt3(lo, sizeof lo, delta ? k->delta_ci_low : k->ci_low);
        fmt3(hi, sizeof hi, delta ? k->delta_ci_high : k->ci_high);
        mg__case_method(method, sizeof method, k);
        put(l, " [%s, %s] %s", lo, hi, method);
    }
}

/* A gap's or ratio's worst pair: "(region=south 0.766, region=central 0.263; 5
 * slices)". */
static void put_pair(line *l, const mg_case *k)
{
    char hi[64], lo[64];
    if ((k->kind != MG_TEST_GAP && k->kind != MG_TEST_RATIO) || k->gap_high == NULL)
        return;
    fmt3(hi, sizeof hi, k->gap_high_value);
    fmt3(lo, sizeof lo, k->gap_low_value);
    put(l, " (%s%s %s, %s %s; %zu slices", k->has_delta ? "the model's: " : "",
        k->gap_high, hi, k->gap_low, lo, k->gap_slices);
    if (k->gap_left_out)
        put(l, ", %zu too small or undefined left out", k->gap_left_out);
    put(l, ")");
}

/* A weak-slice search: a discovered slice, or the search's pass (whose bound level
 * is the suite's confidence, 1 − the false discovery rate). */
static void render_weak(line *l, const mg_case *k)
{
    char margin[64], q[64], est[64], rest[64];
    snprintf(margin, sizeof margin, "%.6g", k->margin);
    if (!k->has_delta) {
        put(l,
            "no slice of the %zu searched is worse than the rest of the rows by more "
            "than %s (Benjamini-Hochberg at a false discovery rate of %g%%)",
            k->weak_candidates, margin, 100 * (1 - k->bound_level));
        return;
    }
    put_estimate(l, k);
    put(l, ": ");
    for (size_t i = 0; i < k->nchecks; i++)
        put_check(l, k, &k->checks[i]);
    fmt3(est, sizeof est, k->estimate);
    fmt3(rest, sizeof rest, k->baseline_estimate);
    snprintf(q, sizeof q, "%.3g", k->family_p_adjusted);
    put(l,
        " (weak slice %zu of the %zu searched: %s %s here, %s on the rest; "
        "BH-adjusted p %s",
        k->weak_rank, k->weak_candidates, k->metric, est, rest, q);
    if (k->weak_explained_by != NULL)
        put(l, "; explained by %s", k->weak_explained_by);
    put(l, ")");
}

static void render_verdict(line *l, const mg_case *k)
{
    char margin[64];
    if (k->kind == MG_TEST_WEAK_SLICE) {
        render_weak(l, k);
        return;
    }
    put_estimate(l, k);
    put_pair(l, k);
    if (k->kind == MG_TEST_COMPARISON)
        put(l, " vs %s: ", k->baseline);
    else if (k->kind == MG_TEST_GAP && k->has_delta)
        put(l, " vs %s's gap: ", k->baseline);
    else
        put(l, ": ");
    for (size_t i = 0; i < k->nchecks; i++) {
        if (i > 0)
            put(l, "; ");
        put_check(l, k, &k->checks[i]);
    }
    snprintf(margin, sizeof margin, "%.6g", k->margin);
    if (k->kind == MG_TEST_VS_OVERALL)
        put(l, " (a slice may be at most %s worse than the whole set)", margin);
    else if (k->kind == MG_TEST_GAP && k->has_delta)
        put(l, " (the gap may widen by at most %s)", margin);
    else if (k->comparison == MG_COMPARE_NON_INFERIOR)
        put(l, " (non-inferiority margin %s)", margin);
    else if (k->comparison == MG_COMPARE_SUPERIOR)
        put(l, " (superiority margin %s)", margin);
    else if (k->comparison == MG_COMPARE_EQUIVALENT)
        put(l, " (equivalence margin \xc2\xb1%s)", margin);
}

/* "confidence interval: [lo, hi] 95% BCa, 2000 replicates" */
static void put_interval(line *l, const mg_case *k, const char *what)
{
    int delta = k->has_delta;
    char method[128];
    if (k->method == MG_CI_NONE) {
        put(l, "%s interval: none (%s)", what, k->reason ? k->reason : "not computed");
        return;
    }
    mg__case_method(method, sizeof method, k);
    put(l, "%s interval: [%.17g, %.17g] %s", what, delta ? k->delta_ci_low : k->ci_low,
        delta ? k->delta_ci_high : k->ci_high, method);
    if (k->reason != NULL)
        put(l, " (%s)", k->reason);
    if (k->replicates == 0 || k->method == MG_CI_WILSON || k->method == MG_CI_DELONG ||
        k->method == MG_CI_DELONG_LOGIT || k->method == MG_CI_CLOPPER_PEARSON)
        return;
    put(l, ", %zu replicates%s%s", k->replicates - k->replicates_undefined,
        k->degenerate ? ", all equal" : "",
        k->replicates_undefined ? " (the others undefined, left out)" : "");
}

static void render_detail(line *l, const mg_case *k)
{
    if (k->kind == MG_TEST_WEAK_SLICE) {
        if (!k->has_delta) {
            put(l, "candidate slices searched: %zu", k->weak_candidates);
            return;
        }
        put(l, "estimate: slice %.17g, the rest %.17g\ndelta%s: %.17g\n", k->estimate,
            k->baseline_estimate,
            k->direction < 0 ? " (sign-adjusted: lower is better)" : "", k->delta);
        put_interval(l, k, "delta");
        put(l,
            "\np-value: %.17g (one-sided, of a slice worse by more than the margin), "
            "adjusted %.17g (Benjamini-Hochberg over %zu slices)",
            k->family_p, k->family_p_adjusted, k->family_size);
        if (k->weak_explained_by != NULL)
            put(l, "\nexplained by: %s (not significantly worse than it)",
                k->weak_explained_by);
        return;
    }
    if (k->kind == MG_TEST_VS_OVERALL) {
        put(l, "estimate: slice %.17g, whole set %.17g\ndelta%s: %.17g\n", k->estimate,
            k->baseline_estimate,
            k->direction < 0 ? " (sign-adjusted: lower is better)" : "", k->delta);
        put_interval(l, k, "delta");
        if (k->has_p_value)
            put(l, "\np-value: %.17g (%s, two-sided, for a difference of 0)",
                k->p_value, k->p_method);
    } else if (k->kind == MG_TEST_GAP && k->has_delta) {
        put(l,
            "estimate: gap of %s %.17g, of %s %.17g\ndelta (baseline's gap − "
            "model's): %.17g\n",
            k->model, k->estimate, k->baseline, k->baseline_estimate, k->delta);
        put_interval(l, k, "delta");
    } else if (k->kind == MG_TEST_GAP || k->kind == MG_TEST_RATIO) {
        put(l, "estimate: %.17g (%s %.17g, %s %.17g)\n", k->estimate, k->gap_high,
            k->gap_high_value, k->gap_low, k->gap_low_value);
        put_interval(l, k, "confidence");
        put(l, "\nslices compared: %zu; left out: %zu", k->gap_slices, k->gap_left_out);
    } else if (k->kind == MG_TEST_COMPARISON) {
        put(l, "estimate: %s %.17g, %s %.17g\ndelta%s: %.17g\n", k->model, k->estimate,
            k->baseline, k->baseline_estimate,
            k->direction < 0 ? " (sign-adjusted: lower is better)" : "", k->delta);
        put_interval(l, k, "delta");
        if (k->has_p_value)
            put(l, "\np-value: %.17g (%s, two-sided, for a difference of 0)",
                k->p_value, k->p_method);
        else
            put(l, "\np-value: none");
    } else {
        put(l, "estimate: %.17g\n", k->estimate);
        if (k->kind == MG_TEST_DATA_CHECK)
            put(l, "positives: %zu of %zu labels\n", k->positives, k->n);
        put_interval(l, k, "confidence");
    }
    if (k->has_family_p)
        put(l,
            "\nfamily p-value: %.17g (one-sided, of failing the rule), adjusted %.17g "
            "(%s over %zu slices)",
            k->family_p, k->family_p_adjusted,
            k->correction == MG_CORRECTION_HOLM         ? "Holm"
            : k->correction == MG_CORRECTION_BONFERRONI ? "Bonferroni"
                                                        : "Benjamini-Hochberg",
            k->family_size);
    if (k->kind == MG_TEST_DRIFT && k->has_p_value) {
        put(l, "\np-value: %.17g (%s, for the same distribution in both)", k->p_value,
            k->p_method);
        if (k->has_p_adjusted)
            put(l, ", %.17g adjusted (%s, across the test's columns)", k->p_adjusted,
                k->p_correction == MG_CORRECTION_BONFERRONI ? "Bonferroni"
                : k->p_correction == MG_CORRECTION_BH       ? "Benjamini-Hochberg"
                                                            : "Holm");
    }
    put(l, "\nrule: %s", rule_names[k->rule_kind]);
}

/* What no evidence means under the case's rule. */
static const char *no_evidence_outcome(const mg_case *k)
{
    return k->rule_kind == MG_RULE_LENIENT
               ? "a lenient test fails only on clear evidence, so it passes"
               : "a strict test needs a bound on the passing side, so it fails";
}

int mg__case_render(mg_case *k)
{
    line l = {.used = 0};
    l.text[0] = '\0';
    free(k->warning);
    k->warning = NULL;
    if (k->reliable_from > 0) {
        line w = {.used = 0};
        w.text[0] = '\0';
        put(&w,
            "small sample: %s intervals of %s%s held their level in simulation from "
            "an effective size of %zu up, and this one rests on %zu; below that their "
            "bounds fell short by up to a factor of %.2f, and the verdict does not "
            "survive the interval widened by it",
            method_titles[k->method],
            k->kind == MG_TEST_COMPARISON ? "a difference in " : "", k->metric,
            k->reliable_from, k->effective_size, k->reliable_widen);
        if ((k->warning = mg__strdup(w.text)) == NULL)
            return MG_ENOMEM;
    }
    switch (k->status) {
    case MG_STATUS_DECIDED:
        render_verdict(&l, k);
        break;
    case MG_STATUS_TOO_SMALL:
        if (k->kind == MG_TEST_GAP || k->kind == MG_TEST_RATIO)
            put(&l,
                "only %zu slice%s large enough to compare (min_size %ld, "
                "min_positives %ld, min_negatives %ld, 10 of the smaller class, a "
                "defined value), and a gap needs two",
                k->gap_slices, k->gap_slices == 1 ? " is" : "s are", k->min_size,
                k->min_positives, k->min_negatives);
        else if ((long)k->n < k->min_size)
            put(&l, "slice has %zu rows, fewer than min_size %ld", k->n, k->min_size);
        else if ((long)k->positives < k->min_positives)
            put(&l, "slice has %zu positives, fewer than min_positives %ld",
                k->positives, k->min_positives);
        else
            put(&l, "slice has %zu negatives, fewer than min_negatives %ld",
                k->negatives, k->min_negatives);
        break;
    case MG_STATUS_UNDEFINED:
        if (k->kind == MG_TEST_DRIFT)
            put(&l, "%s is undefined for %s: %s", k->metric, k->slice, k->reason);
        else
            put(&l, "%s of %s is undefined on this slice: %s", k->metric, k->model,
                k->reason);
        if (k->outcome == MG_OUTCOME_SKIP)
            put(&l, " (skipped: on_undefined: skip)");
        break;
    case MG_STATUS_BASELINE_UNDEFINED:
        put(&l, "%s of baseline %s is undefined on this slice: %s", k->metric,
            k->baseline, k->reason);
        if (k->outcome == MG_OUTCOME_SKIP)
            put(&l, " (skipped: on_undefined: skip)");
        break;
    case MG_STATUS_NO_INTERVAL:
        if (k->has_delta)
            put(&l, "no interval for the difference in %s: %s", k->metric, k->reason);
        else
            put(&l, "no interval for %s: %s", k->metric, k->reason);
        break;
    case MG_STATUS_NO_EVIDENCE:
        put_estimate(&l, k);
        if (k->kind == MG_TEST_DRIFT)
            put(&l, ": inconclusive: %s (%zu rows); %s", k->reason, k->n,
                no_evidence_outcome(k));
        else
            put(&l, ": inconclusive: %s (%zu rows: %zu positives, %zu negatives); %s",
                k->warning ? k->warning : k->reason, k->n, k->positives, k->negatives,
                no_evidence_outcome(k));
        break;
    case MG_STATUS_NO_TESTS:
        put(&l, "the suite has no tests, so it tests nothing (--allow-empty lets it "
                "pass)");
        break;
    case MG_STATUS_ALL_SKIPPED:
        put(&l, "every test case was skipped, so nothing was tested (--allow-empty "
                "lets it pass)");
        break;
    case MG_STATUS_CHECKED:
        put(&l, "%s", k->reason);
        break;
    case MG_STATUS_NOT_CHECKED:
    case MG_STATUS_DATA_FAILED:
        put(&l, "not evaluated: %s", k->reason);
        break;
    }
    free(k->message);
    free(k->detail);
    k->detail = NULL;
    if ((k->message = mg__strdup(l.text)) == NULL)
        return MG_ENOMEM;
    if (k->status != MG_STATUS_DECIDED && k->status != MG_STATUS_NO_EVIDENCE)
        return 0;
    l.used = 0;
    l.text[0] = '\0';
    render_detail(&l, k);
    return (k->detail = mg__strdup(l.text)) == NULL ? MG_ENOMEM : 0;
}

/* ---- Plot captions (the HTML report) -------------------------------------- */

void mg__forest_caption(char *buf, size_t size, const mg_case *const *cases, size_t n)
{
    const mg_case *c = cases[0];
    line l = {.used = 0};
    char method[96] = "";
    size_t others = c->npeers > 0 ? c->npeers - 1 : 0;

    /* The interval's method when every slice shares it; else the level alone (a
     * small slice may get Clopper-Pearson where the others get the bootstrap). */
    for (size_t i = 0; i < n; i++) {
        char other[96];
        if (cases[i]->method == MG_CI_NONE)
            continue;
        mg__case_method(other, sizeof other, cases[i]);
        if (method[0] == '\0')
            snprintf(method, sizeof method, "%s", other);
        else if (strcmp(method, other) != 0) {
            snprintf(method, sizeof method, "%g%% (method per slice in its tooltip)",
                     100 * cases[i]->confidence);
            break;
        }
    }
    if (c->has_delta &&
        (c->kind == MG_TEST_VS_OVERALL || c->kind == MG_TEST_WEAK_SLICE))
        put(&l,
            "\xCE\x94 = slice \xE2\x88\x92 %s in %s of %s on each of %zu "
            "slices, with its %s interval (right), beside each model's %s (left). ",
            c->kind == MG_TEST_VS_OVERALL ? "whole set" : "the rest", c->metric,
            c->model, n, method[0] ? method : "", c->metric);
    else if (c->has_delta)
        put(&l,
            "\xCE\x94 = %s \xE2\x88\x92 %s in %s on each of %zu slices, with its "
            "%s interval (right), beside both models' %s (left). ",
            c->model, c->baseline ? c->baseline : "baseline", c->metric, n,
            method[0] ? method : "", c->metric);
    else
        put(&l, "%s of %s on each of %zu slices with its %s interval%s. ", c->metric,
            c->model, n, method[0] ? method : "",
            others > 0 ? ", the other models' beside it (hollow circles)" : "");
    put(&l, "Rows are grouped by outcome and sorted worst first; a filled diamond "
            "failed clearly, a hollow one was inconclusive.");
    snprintf(buf, size, "%s", l.text);
}

void mg__curve_caption(char *buf, size_t size, const mg_curve *const *curves, size_t n)
{
    line l = {.used = 0};
    int roc = n == 0 || curves[0]->kind == MG_CURVE_ROC, banded = 0;
    double level = n > 0 ? curves[0]->confidence : 0;
    size_t used = 0;
    const char *reason = NULL;

    for (size_t i = 0; i < n; i++) {
        if (curves[i]->replicates_used > used)
            used = curves[i]->replicates_used;
        banded |= curves[i]->has_band;
        if (!curves[i]->has_band && reason == NULL)
            reason = curves[i]->reason;
    }
    put(&l, "%s curve of each model on the whole holdout set",
        roc ? "ROC" : "Precision\xE2\x80\x93recall");
    if (banded)
        put(&l,
            ", with a pointwise %g%% percentile band from %zu bootstrap replicates "
            "(the band at each %s covers the curve there, not the whole curve at "
            "once)",
            100 * level, used, roc ? "false positive rate" : "recall");
    else
        put(&l, ", without a band (%s)", reason ? reason : "no replicates");
    put(&l, ". The dot is the model's threshold; the dashed line is %s.",
        roc ? "a score with no skill" : "the prevalence, a score with no skill");
    snprintf(buf, size, "%s", l.text);
}
