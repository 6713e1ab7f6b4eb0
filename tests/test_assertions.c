/*
 * The pure layers under the runner, table by table: decision rules
 * (assertions/decide.c), multiple-testing corrections (assertions/family.c) and
 * the sentences rendered from a decided case (reporters/render.c).
 *
 * Each row of a decision table is worked by hand from the rule's definition
 * (docs/architecture.md, "Decisions"): which bound is compared, which side passes,
 * and what the finding is when the interval straddles the threshold.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assertions/decide.h"
#include "assertions/family.h"
#include "common/clocale.h"
#include "reporters/render.h"
#include "testutil.h"

#include "reference/p_adjust_r.h"

/* ---- Decisions ------------------------------------------------------------ */

#define LO 1 /* has_at_least */
#define HI 2 /* has_at_most */

static const struct threshold_row {
    mg_rule rule;
    int sides;
    double at_least, at_most;
    double est, low, high;
    int has_ci;
    mg_outcome outcome;
    mg_bound bound0;
    mg_finding finding0;
} threshold_rows[] = {
    /* strict: the lower bound decides; clear when the whole interval fails */
    {MG_RULE_STRICT, LO, 0.8, 0, 0.85, 0.81, 0.89, 1, MG_OUTCOME_PASS, MG_BOUND_LOWER,
     MG_FINDING_PASS},
    {MG_RULE_STRICT, LO, 0.8, 0, 0.85, 0.80, 0.89, 1, MG_OUTCOME_PASS, MG_BOUND_LOWER,
     MG_FINDING_PASS}, /* reaching the threshold passes */
    {MG_RULE_STRICT, LO, 0.8, 0, 0.82, 0.78, 0.86, 1, MG_OUTCOME_FAIL, MG_BOUND_LOWER,
     MG_FINDING_INCONCLUSIVE},
    {MG_RULE_STRICT, LO, 0.8, 0, 0.70, 0.65, 0.75, 1, MG_OUTCOME_FAIL, MG_BOUND_LOWER,
     MG_FINDING_CLEAR_FAIL},
    /* at_most: the upper bound decides under strict */
    {MG_RULE_STRICT, HI, 0, 0.2, 0.15, 0.10, 0.19, 1, MG_OUTCOME_PASS, MG_BOUND_UPPER,
     MG_FINDING_PASS},
    {MG_RULE_STRICT, HI, 0, 0.2, 0.18, 0.15, 0.21, 1, MG_OUTCOME_FAIL, MG_BOUND_UPPER,
     MG_FINDING_INCONCLUSIVE},
    /* lenient: the far bound decides; straddling passes and says so */
    {MG_RULE_LENIENT, LO, 0.8, 0, 0.82, 0.78, 0.86, 1, MG_OUTCOME_PASS, MG_BOUND_UPPER,
     MG_FINDING_LENIENT_PASS},
    {MG_RULE_LENIENT, LO, 0.8, 0, 0.85, 0.81, 0.89, 1, MG_OUTCOME_PASS, MG_BOUND_UPPER,
     MG_FINDING_PASS},
    {MG_RULE_LENIENT, LO, 0.8, 0, 0.70, 0.65, 0.75, 1, MG_OUTCOME_FAIL, MG_BOUND_UPPER,
     MG_FINDING_CLEAR_FAIL},
    /* estimate: the interval is ignored */
    {MG_RULE_ESTIMATE, LO, 0.8, 0, 0.81, 0.60, 0.95, 1, MG_OUTCOME_PASS,
     MG_BOUND_ESTIMATE, MG_FINDING_PASS},
    {MG_RULE_ESTIMATE, LO, 0.8, 0, 0.79, 0.78, 0.99, 1, MG_OUTCOME_FAIL,
     MG_BOUND_ESTIMATE, MG_FINDING_CLEAR_FAIL},
    /* without an interval every rule falls back to the estimate */
    {MG_RULE_STRICT, LO, 0.8, 0, 0.9, 0, 0, 0, MG_OUTCOME_PASS, MG_BOUND_ESTIMATE,
     MG_FINDING_PASS},
    /* both sides: fails when either fails */
    {MG_RULE_STRICT, LO | HI, 0.1, 0.5, 0.3, 0.2, 0.4, 1, MG_OUTCOME_PASS,
     MG_BOUND_LOWER, MG_FINDING_PASS},
    {MG_RULE_STRICT, LO | HI, 0.1, 0.5, 0.45, 0.35, 0.55, 1, MG_OUTCOME_FAIL,
     MG_BOUND_LOWER, MG_FINDING_PASS},
};

START_TEST(threshold_table)
{
    const struct threshold_row *t = &threshold_rows[_i];
    mg__rule rule = {t->rule,
                     !!(t->sides & LO),
                     !!(t->sides & HI),
                     t->at_least,
                     t->at_most,
                     MG_COMPARE_NONE,
                     0};
    mg__evidence ev = {t->est, t->has_ci, t->low, t->high};
    mg__verdict v;

    mg__decide(&rule, &ev, &v);
    ck_assert_msg(v.outcome == t->outcome, "row %d: outcome %d", _i, v.outcome);
    ck_assert_uint_eq(v.nchecks, (t->sides & LO ? 1u : 0u) + (t->sides & HI ? 1u : 0u));
    ck_assert_int_eq(v.checks[0].bound, t->bound0);
    ck_assert_int_eq(v.checks[0].finding, t->finding0);
    ck_assert_int_eq(v.checks[0].passed, t->finding0 == MG_FINDING_PASS ||
                                             t->finding0 == MG_FINDING_LENIENT_PASS);
}
END_TEST

static const struct comparison_row {
    mg_comparison cmp;
    mg_rule rule;
    double margin, delta, low, high;
    mg_outcome outcome;
    size_t nchecks;
    double threshold0;
} comparison_rows[] = {
    /* non-inferior: Δ's lower bound >= −m */
    {MG_COMPARE_NON_INFERIOR, MG_RULE_STRICT, 0.01, 0.0, -0.01, 0.01, MG_OUTCOME_PASS,
     1, -0.01},
    {MG_COMPARE_NON_INFERIOR, MG_RULE_STRICT, 0.01, 0.0, -0.02, 0.01, MG_OUTCOME_FAIL,
     1, -0.01},
    /* superior: Δ's lower bound > m, and reaching m is not enough */
    {MG_COMPARE_SUPERIOR, MG_RULE_STRICT, 0.0, 0.02, 0.0, 0.04, MG_OUTCOME_FAIL, 1,
     0.0},
    {MG_COMPARE_SUPERIOR, MG_RULE_STRICT, 0.0, 0.02, 0.001, 0.04, MG_OUTCOME_PASS, 1,
     0.0},
    /* equivalent: the interval inside [−m, m] */
    {MG_COMPARE_EQUIVALENT, MG_RULE_STRICT, 0.05, 0.0, -0.04, 0.04, MG_OUTCOME_PASS, 2,
     -0.05},
    {MG_COMPARE_EQUIVALENT, MG_RULE_STRICT, 0.05, 0.0, -0.04, 0.06, MG_OUTCOME_FAIL, 2,
     -0.05},
    /* lenient non-inferiority: fails only when the whole interval is below −m */
    {MG_COMPARE_NON_INFERIOR, MG_RULE_LENIENT, 0.01, -0.02, -0.03, -0.005,
     MG_OUTCOME_PASS, 1, -0.01},
    {MG_COMPARE_NON_INFERIOR, MG_RULE_LENIENT, 0.01, -0.03, -0.04, -0.02,
     MG_OUTCOME_FAIL, 1, -0.01},
};

START_TEST(comparison_table)
{
    const struct comparison_row *t = &comparison_rows[_i];
    mg__rule rule = {t->rule, 0, 0, 0, 0, t->cmp, t->margin};
    mg__evidence ev = {t->delta, 1, t->low, t->high};
    mg__verdict v;

    mg__decide(&rule, &ev, &v);
    ck_assert_msg(v.outcome == t->outcome, "row %d: outcome %d", _i, v.outcome);
    ck_assert_uint_eq(v.nchecks, t->nchecks);
    ck_assert_double_eq(v.checks[0].threshold, t->threshold0);
}
END_TEST

/* ---- Corrections ---------------------------------------------------------- */

/*
 * A synthetic family: member q fails at level L when its "p-value" p[q] < 1 − L
 * (the interval at level L excludes the threshold exactly when p < α), passes
 * otherwise; p < 0 marks a member that is skipped. Holm's step-down on intervals
 * must then fail exactly the members Holm's p-value procedure rejects.
 */
typedef struct synthetic {
    const double *p;
    size_t probes;
} synthetic;

static int synthetic_probe(void *ctx, size_t q, double level, mg_outcome *out)
{
    synthetic *s = ctx;
    s->probes++;
    if (s->p[q] < 0)
        *out = MG_OUTCOME_SKIP;
    else
        *out = s->p[q] < 1 - level ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
    return 0;
}

static const struct family_row {
    mg_correction corr;
    double p[5];
    size_t n;
    double level[5];
    size_t family_size;
} family_rows[] = {
    /* Holm at α = 0.05 over 4: 0.01 < 0.0125 fails at 1 − α/4; then 0.015 < 0.05/3
     * fails at 1 − α/3; then 0.03 > 0.025 stops: the rest stay at 1 − α/2. */
    {MG_CORRECTION_HOLM,
     {0.01, 0.015, 0.03, 0.5},
     4,
     {1 - 0.05 / 4, 1 - 0.05 / 3, 1 - 0.05 / 2, 1 - 0.05 / 2},
     4},
    /* Bonferroni: everyone at 1 − α/k */
    {MG_CORRECTION_BONFERRONI,
     {0.01, 0.015, 0.03, 0.5},
     4,
     {1 - 0.05 / 4, 1 - 0.05 / 4, 1 - 0.05 / 4, 1 - 0.05 / 4},
     4},
    /* skipped members are outside the family and keep the family-wise level */
    {MG_CORRECTION_HOLM, {0.2, -1, 0.3}, 3, {1 - 0.05 / 2, 0.95, 1 - 0.05 / 2}, 2},
    /* one member: nothing to correct */
    {MG_CORRECTION_HOLM, {0.2, -1, -1}, 3, {0.95, 0.95, 0.95}, 0},
    {MG_CORRECTION_NONE, {0.01, 0.02}, 2, {0.95, 0.95}, 0},
    /* BH over 4: p₍₃₎ = 0.03 <= 3α/4 = 0.0375, so R = 3 and every member stands at
     * 1 − 3α/4 (Holm above stopped after two) */
    {MG_CORRECTION_BH,
     {0.01, 0.015, 0.03, 0.5},
     4,
     {1 - 0.0375, 1 - 0.0375, 1 - 0.0375, 1 - 0.0375},
     4},
    /* BH step-up: p₍₂₎ = 0.03 > 2α/4 but p₍₃₎ = 0.035 <= 3α/4, so R = 3 although
     * a step-down would stop at one */
    {MG_CORRECTION_BH,
     {0.035, 0.03, 0.001, 0.9},
     4,
     {1 - 0.0375, 1 - 0.0375, 1 - 0.0375, 1 - 0.0375},
     4},
    /* nothing rejected: the level is 1 − α/k, where every member passes */
    {MG_CORRECTION_BH, {0.2, -1, 0.3}, 3, {1 - 0.05 / 2, 0.95, 1 - 0.05 / 2}, 2},
};

START_TEST(family_table)
{
    const struct family_row *t = &family_rows[_i];
    synthetic s = {t->p, 0};
    double level[5];
    size_t size = 99;

    ck_assert_int_eq(mg__family_levels(t->corr, 0.95, t->n, synthetic_probe, &s, level,
                                       &size, NULL, NULL),
                     0);
    ck_assert_uint_eq(size, t->family_size);
    for (size_t q = 0; q < t->n; q++)
        ck_assert_msg(fabs(level[q] - t->level[q]) < 1e-15, "row %d member %zu: %.17g",
                      _i, q, level[q]);
}
END_TEST

/* Adjusted p-values against R's p.adjust (tests/reference/p_adjust_r.h). */
START_TEST(p_adjust_against_r)
{
    const p_adjust_ref *t = &p_adjust_refs[_i];
    const mg_correction corr[3] = {MG_CORRECTION_HOLM, MG_CORRECTION_BONFERRONI,
                                   MG_CORRECTION_BH};
    const double *want[3] = {t->holm, t->bonferroni, t->bh};
    double got[40];

    for (int c = 0; c < 3; c++) {
        ck_assert_int_eq(mg__p_adjust(corr[c], t->p, t->n, got), 0);
        for (size_t q = 0; q < t->n; q++)
            ck_assert_msg(fabs(got[q] - want[c][q]) <= 1e-15 * want[c][q],
                          "set %d correction %d member %zu: %.17g, R %.17g", _i, c, q,
                          got[q], want[c][q]);
    }
}
END_TEST

/* Members outside the family (p < 0) are left out, as if absent, and get −1. */
START_TEST(p_adjust_outside_family)
{
    const double p[6] = {0.01, -1, 0.015, 0.03, -1, 0.5};
    double got[6];
    ck_assert_int_eq(mg__p_adjust(MG_CORRECTION_BH, p, 6, got), 0);
    ck_assert_double_eq(got[1], -1);
    ck_assert_double_eq(got[4], -1);
    ck_assert_double_eq_tol(got[0], pa1_bh[0], 1e-17);
    ck_assert_double_eq_tol(got[2], pa1_bh[1], 1e-17);
    ck_assert_double_eq_tol(got[3], pa1_bh[2], 1e-17);
    ck_assert_double_eq_tol(got[5], pa1_bh[3], 1e-17);
}
END_TEST

/*
 * The family's p-values invert the probe: the synthetic member fails at level L
 * exactly when p < 1 − L, so bisection finds p; above ½ it reports 1. Adjusted
 * p-values at or below α agree with the interval-form decision at the level the
 * family gives: a member fails there exactly when its adjusted p-value is <= α.
 */
START_TEST(family_p_values_invert_the_probe)
{
    const double p[10] = {0.001, 0.008, 0.039, 0.041, 0.042,
                          0.06,  0.074, 0.205, 0.212, 0.7};
    const mg_correction corr[3] = {MG_CORRECTION_HOLM, MG_CORRECTION_BONFERRONI,
                                   MG_CORRECTION_BH};
    synthetic s = {p, 0};
    double level[10], pv[10], adj[10], ref[10];
    size_t size;

    for (int c = 0; c < 3; c++) {
        ck_assert_int_eq(mg__family_levels(corr[c], 0.95, 10, synthetic_probe, &s,
                                           level, &size, pv, adj),
                         0);
        ck_assert_uint_eq(size, 10);
        for (size_t q = 0; q < 9; q++)
            ck_assert_msg(fabs(pv[q] - p[q]) < 1e-12, "member %zu: %.17g", q, pv[q]);
        ck_assert_double_eq(pv[9], 1);
        ck_assert_int_eq(mg__p_adjust(corr[c], pv, 10, ref), 0);
        for (size_t q = 0; q < 10; q++) {
            mg_outcome o;
            ck_assert_double_eq(adj[q], ref[q]);
            synthetic_probe(&s, q, level[q], &o);
            ck_assert_msg((o == MG_OUTCOME_FAIL) == (adj[q] <= 0.05),
                          "correction %d member %zu: adjusted %.17g at level %.17g", c,
                          q, adj[q], level[q]);
        }
    }
    /* BH over these ten (R's p.adjust: 0.01, 0.04, then 0.084): two fail, at
     * 1 − 2α/10 */
    ck_assert_double_eq_tol(level[0], 0.99, 1e-15);
    ck_assert_double_eq_tol(level[9], 0.99, 1e-15);
}
END_TEST

START_TEST(family_correction_by_rule)
{
    ck_assert_int_eq(mg__family_correction(MG_CORRECTION_DEFAULT, MG_RULE_LENIENT),
                     MG_CORRECTION_HOLM);
    ck_assert_int_eq(mg__family_correction(MG_CORRECTION_BONFERRONI, MG_RULE_LENIENT),
                     MG_CORRECTION_BONFERRONI);
    /* strict is an intersection–union test; estimate has no error control */
    ck_assert_int_eq(mg__family_correction(MG_CORRECTION_HOLM, MG_RULE_STRICT),
                     MG_CORRECTION_NONE);
    ck_assert_int_eq(mg__family_correction(MG_CORRECTION_DEFAULT, MG_RULE_ESTIMATE),
                     MG_CORRECTION_NONE);
}
END_TEST

/* ---- Sentences ------------------------------------------------------------ */

static mg_case decided(mg_rule rule, double est, double lo, double hi,
                       const mg__verdict *v)
{
    mg_case k;
    memset(&k, 0, sizeof k);
    k.metric = "auc";
    k.model = "candidate";
    k.kind = MG_TEST_THRESHOLD;
    k.status = MG_STATUS_DECIDED;
    k.rule_kind = rule;
    k.method = MG_CI_BCA;
    k.confidence = 0.90;
    k.bound_level = 0.95;
    k.estimate = est;
    k.has_ci = 1;
    k.ci_low = lo;
    k.ci_high = hi;
    k.replicates = 2000;
    k.outcome = v->outcome;
    memcpy(k.checks, v->checks, sizeof v->checks);
    k.nchecks = v->nchecks;
    return k;
}

static void render_ok(mg_case *k, const char *message)
{
    mg__c_numeric scope = {0};
    ck_assert_int_eq(mg__c_numeric_begin(&scope), 0);
    ck_assert_int_eq(mg__case_render(k), 0);
    mg__c_numeric_end(&scope);
    ck_assert_str_eq(k->message, message);
}

START_TEST(render_threshold)
{
    mg__rule rule = {MG_RULE_STRICT, 1, 0, 0.8, 0, MG_COMPARE_NONE, 0};
    mg__evidence ev = {0.8, 1, 0.79999, 0.82};
    mg__verdict v;
    mg_case k;

    mg__decide(&rule, &ev, &v);
    k = decided(MG_RULE_STRICT, 0.8, 0.79999, 0.82, &v);
    /* the bound gets the digits that tell it from the threshold */
    render_ok(&k, "auc 0.800 [0.800, 0.820] 90% BCa: 95% lower bound 0.79999 < 0.8 "
                  "(inconclusive: the interval straddles the threshold)");
    ck_assert_str_eq(k.detail, "estimate: 0.80000000000000004\n"
                               "confidence interval: [0.79998999999999998, "
                               "0.81999999999999995] 90% BCa, 2000 replicates\n"
                               "rule: strict");
    free(k.message);
    free(k.detail);
}
END_TEST

START_TEST(render_comparison)
{
    mg__rule rule = {MG_RULE_STRICT, 0, 0, 0, 0, MG_COMPARE_NON_INFERIOR, 0.01};
    mg__evidence ev = {0.0373, 1, 0.0246, 0.0507};
    mg__verdict v;
    mg_case k;

    mg__decide(&rule, &ev, &v);
    k = decided(MG_RULE_STRICT, 0.85, 0, 0, &v);
    k.kind = MG_TEST_COMPARISON;
    k.has_ci = 0;
    k.baseline = "champion";
    k.comparison = MG_COMPARE_NON_INFERIOR;
    k.margin = 0.01;
    k.has_delta = 1;
    k.delta = 0.0373;
    k.delta_ci_low = 0.0246;
    k.delta_ci_high = 0.0507;
    k.correction = MG_CORRECTION_HOLM;
    k.family_size = 4;
    k.bound_level = 1 - 0.05 / 4;
    k.confidence = 1 - 0.1 / 4;
    render_ok(&k, "auc \xce\x94 = +0.037 [0.025, 0.051] 97.5% BCa (Holm, 4 slices) vs "
                  "champion: 98.75% lower bound 0.0246 >= -0.01 (non-inferiority "
                  "margin 0.01)");
    free(k.message);
    free(k.detail);
}
END_TEST

START_TEST(render_errors)
{
    mg_case k;
    memset(&k, 0, sizeof k);
    k.metric = "recall";
    k.model = "candidate";
    k.n = 12;
    k.min_size = 50;
    k.status = MG_STATUS_TOO_SMALL;
    render_ok(&k, "slice has 12 rows, fewer than min_size 50");
    ck_assert_ptr_null(k.detail);
    free(k.message);
    k.message = NULL;
    k.status = MG_STATUS_UNDEFINED;
    k.reason = "no positives";
    render_ok(&k, "recall of candidate is undefined on this slice: no positives");
    free(k.message);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assertions");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, threshold_table, 0,
                        (int)(sizeof threshold_rows / sizeof threshold_rows[0]));
    tcase_add_loop_test(core, comparison_table, 0,
                        (int)(sizeof comparison_rows / sizeof comparison_rows[0]));
    tcase_add_loop_test(core, family_table, 0,
                        (int)(sizeof family_rows / sizeof family_rows[0]));
    tcase_add_test(core, family_correction_by_rule);
    tcase_add_loop_test(core, p_adjust_against_r, 0,
                        (int)(sizeof p_adjust_refs / sizeof p_adjust_refs[0]));
    tcase_add_test(core, p_adjust_outside_family);
    tcase_add_test(core, family_p_values_invert_the_probe);
    tcase_add_test(core, render_threshold);
    tcase_add_test(core, render_comparison);
    tcase_add_test(core, render_errors);
    suite_add_tcase(s, core);
    return tu_run(s);
}
