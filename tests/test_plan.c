/*
 * Sample-size planning (stats/power.c, include/modelgate/plan.h).
 *
 * reference: the power and the positives needed for an AUC against pROC's
 *   power.roc.test (Obuchowski's variance; tests/reference/power_reference_r.h).
 * core: the planned power of a strict proportion test against a simulation of the
 *   decision itself (binomial draws, Wilson's lower bound against the threshold);
 *   the planned units give the target power when planned again at that size;
 *   mg_plan_case on cases of each kind.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "modelgate/modelgate.h"
#include "testutil.h"

#include "reference/power_reference_r.h"

START_TEST(auc_against_proc)
{
    for (size_t i = 0; i < sizeof power_refs / sizeof power_refs[0]; i++) {
        const struct power_ref *t = &power_refs[i];
        double kappa = t->ncontrols / t->ncases;
        double p =
            mg_power_normal(t->ncases, t->auc - 0.5, mg_power_auc_variance(0.5, kappa),
                            mg_power_auc_variance(t->auc, kappa), 1 - t->sig_level);
        ck_assert_msg(fabs(p - t->power) < 1e-12, "row %zu: %.17g, pROC %.17g", i, p,
                      t->power);
    }
    for (size_t i = 0; i < sizeof ncases_refs / sizeof ncases_refs[0]; i++) {
        const struct ncases_ref *t = &ncases_refs[i];
        double n = mg_power_units(t->auc - 0.5, mg_power_auc_variance(0.5, t->kappa),
                                  mg_power_auc_variance(t->auc, t->kappa),
                                  1 - t->sig_level, t->power);
        ck_assert_msg(fabs(n - t->ncases) < 1e-9 * t->ncases,
                      "row %zu: %.17g, pROC %.17g", i, n, t->ncases);
    }
}
END_TEST

/* The strict test of a proportion passes when Wilson's lower bound clears t: its
 * pass rate over binomial draws against the planned power. */
START_TEST(proportion_against_simulation)
{
    static const struct {
        double n, p, t;
    } rows[] = {{200, 0.78, 0.7}, {60, 0.85, 0.7}, {1000, 0.52, 0.5}, {400, 0.3, 0.25}};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const int sims = 20000;
    gsl_rng_set(r, 9);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double n = rows[i].n, p = rows[i].p, t = rows[i].t, planned, rate, mc;
        int pass = 0;
        for (int s = 0; s < sims; s++) {
            mg_interval iv;
            mg_error err = MG_ERROR_INIT;
            unsigned x = gsl_ran_binomial(r, p, (unsigned)n);
            ck_assert_int_eq(mg_interval_wilson(x, n, 0.9, &iv, &err), 0);
            pass += iv.low >= t;
        }
        rate = (double)pass / sims;
        mc = sqrt(rate * (1 - rate) / sims);
        planned = mg_power_normal(n, p - t, t * (1 - t), p * (1 - p), 0.95);
        /* the normal approximation of a binomial: within 0.02 of the simulation */
        ck_assert_msg(fabs(planned - rate) < 0.02 + 3 * mc,
                      "n %g p %g t %g: planned %.4f, simulated %.4f ± %.4f", n, p, t,
                      planned, rate, mc);
    }
    gsl_rng_free(r);
}
END_TEST

static mg_case threshold_case(const char *metric, double est, double at_least, size_t n,
                              size_t eff, size_t pos, size_t neg)
{
    mg_case k;
    memset(&k, 0, sizeof k);
    k.metric = (char *)metric;
    k.kind = MG_TEST_THRESHOLD;
    k.status = MG_STATUS_DECIDED;
    k.rule_kind = MG_RULE_STRICT;
    k.bound_level = 0.95;
    k.estimate = est;
    k.has_at_least = 1;
    k.at_least = at_least;
    k.n = n;
    k.effective_size = eff;
    k.positives = pos;
    k.negatives = neg;
    return k;
}

START_TEST(plan_cases)
{
    mg_plan_entry e;
    mg_error err = MG_ERROR_INIT;
    double z = 1.6448536269514722, d, v0, va, u;
    mg_case k = threshold_case("recall", 0.8, 0.7, 1000, 250, 250, 750);

    ck_assert_int_eq(mg_plan_case(&k, 0.8, 1, 0.75, &e, &err), 0);
    ck_assert_int_eq(e.method, MG_PLAN_PROPORTION);
    ck_assert_str_eq(e.units, "positives");
    ck_assert_double_eq(e.n, 250);
    ck_assert_double_eq_tol(e.se, sqrt(0.8 * 0.2 / 250), 1e-15);
    ck_assert_double_eq_tol(e.half_width, z * e.se, 1e-12);
    ck_assert_double_eq_tol(e.power_estimate,
                            mg_power_normal(250, 0.1, 0.21, 0.16, 0.95), 1e-15);
    ck_assert(e.has_power_at);
    ck_assert_double_eq_tol(e.power_at, mg_power_normal(250, 0.05, 0.21, 0.1875, 0.95),
                            1e-15);
    /* units for 80 %: ((z √v0 + z_0.8 √va) / d)²; rows at 4 rows per positive */
    d = 0.1, v0 = 0.21, va = 0.16;
    u = pow((z * sqrt(v0) + 0.8416212335729143 * sqrt(va)) / d, 2);
    ck_assert_double_eq(e.units_needed, ceil(u));
    ck_assert_double_eq(e.rows_needed, ceil(u * 4));
    /* planned again at the size it asks for, the power is the target */
    ck_assert(fabs(mg_power_normal(u, d, v0, va, 0.95) - 0.8) < 1e-12);

    /* an estimate on the failing side needs no size: none passes */
    k.estimate = 0.65;
    ck_assert_int_eq(mg_plan_case(&k, 0.8, 0, 0, &e, &err), 0);
    ck_assert(!e.has_needed);
    ck_assert(e.power_estimate < 0.01);
    ck_assert_ptr_nonnull(strstr(e.note, "failing side"));

    /* AUC: Obuchowski, positives, κ negatives per positive */
    k = threshold_case("auc", 0.85, 0.8, 1000, 250, 250, 750);
    ck_assert_int_eq(mg_plan_case(&k, 0.9, 0, 0, &e, &err), 0);
    ck_assert_int_eq(e.method, MG_PLAN_AUC);
    ck_assert_double_eq_tol(e.power_estimate,
                            mg_power_normal(250, 0.05, mg_power_auc_variance(0.8, 3),
                                            mg_power_auc_variance(0.85, 3), 0.95),
                            1e-15);
    ck_assert_double_eq(e.rows_per_unit, 4);
    /* far above its threshold an AUC needs few positives by the formula, but never
     * fewer than MG_METRIC_MIN_EFFECTIVE_SIZE of either class: below it the case has
     * no interval at all. With κ = 1/3 (3 positives per negative) that is 30
     * positives, so that 10 are negatives. */
    k = threshold_case("auc", 0.99, 0.6, 1000, 750, 750, 250);
    ck_assert_int_eq(mg_plan_case(&k, 0.8, 0, 0, &e, &err), 0);
    ck_assert(e.has_needed);
    ck_assert_double_eq(e.units_needed, 30);
    ck_assert_double_eq(e.rows_needed, 40);

    /* a comparison: the bootstrap standard error from the Δ interval, power at Δ = 0 */
    memset(&k, 0, sizeof k);
    k.metric = "f1";
    k.kind = MG_TEST_COMPARISON;
    k.status = MG_STATUS_DECIDED;
    k.rule_kind = MG_RULE_STRICT;
    k.bound_level = 0.95;
    k.has_delta = 1;
    k.delta = 0.01;
    k.delta_ci_low = 0.01 - z * 0.004;
    k.delta_ci_high = 0.01 + z * 0.004;
    k.method = MG_CI_BCA;
    k.comparison = MG_COMPARE_NON_INFERIOR;
    k.margin = 0.005;
    k.n = 2000;
    ck_assert_int_eq(mg_plan_case(&k, 0.8, 0, 0, &e, &err), 0);
    ck_assert_int_eq(e.method, MG_PLAN_BOOTSTRAP);
    ck_assert_double_eq_tol(e.se, 0.004, 1e-15);
    ck_assert_double_eq_tol(e.power_estimate, gsl_cdf_ugaussian_P(0.015 / 0.004 - z),
                            1e-12);
    ck_assert(e.has_power_at);
    ck_assert_double_eq_tol(e.power_at, gsl_cdf_ugaussian_P(0.005 / 0.004 - z), 1e-12);
    ck_assert_int_eq(mg_plan_case(&k, 1.5, 0, 0, &e, &err), MG_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plan");
    TCase *ref = tcase_create("reference");
    TCase *core = tcase_create("core");
    tcase_add_test(ref, auc_against_proc);
    suite_add_tcase(s, ref);
    tcase_add_test(core, proportion_against_simulation);
    tcase_add_test(core, plan_cases);
    suite_add_tcase(s, core);
    return tu_run(s);
}
