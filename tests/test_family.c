/*
 * Slice families under multiple-testing corrections (harness/run.c,
 * assertions/family.c).
 *
 * On the churn example, recall per region with `rule: lenient` at 0.79, at
 * confidence 0.975: each check is one-sided at α = 0.025 and reads an end of the
 * two-sided 95% interval. Central and north fail at any of these levels; west's
 * upper bound is just below 0.79 but its corrected bounds are not. So without a
 * correction the family fails on west too. Holm tests all five at one-sided
 * 1 − α/5 = 99.5% (two-sided 99%), fails central and north, then tests the three
 * others at 1 − α/3 and stops; Bonferroni puts all five at 99.5%.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assertions/family.h"
#include "modelgate/modelgate.h"
#include "testutil.h"

static const mg_case *find(const mg_report *r, const char *test, const char *slice)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, test) == 0 &&
            strcmp(r->cases[i].slice, slice) == 0)
            return &r->cases[i];
    return NULL;
}

START_TEST(holm_and_bonferroni_levels)
{
    const char *dir = tu_scratch_dir("family");
    char suite_text[2048], path[4200];
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    const char *survivors[] = {"east", "south", "west"};
    const mg_case *k;

    snprintf(suite_text, sizeof suite_text,
             "suite: family\ntask: binary\n"
             "data: {holdout: %s, id: customer_id, label: churned, positive: \"1\"}\n"
             "models: {candidate: {file: %s, score: p_churn}}\n"
             "bootstrap: {replicates: 2000, seed: 1, confidence: 0.975}\n"
             "slices: {region: region}\n"
             "tests:\n"
             "  - {name: none, metric: recall, slices: region, at_least: 0.79,"
             " rule: lenient, correction: none}\n"
             "  - {name: holm, metric: recall, slices: region, at_least: 0.79,"
             " rule: lenient}\n"
             "  - {name: bonferroni, metric: recall, slices: region, at_least: 0.79,"
             " rule: lenient, correction: bonferroni}\n"
             "  - {name: bh, metric: recall, slices: region, at_least: 0.79,"
             " rule: lenient, correction: bh}\n",
             tu_src("examples/churn/data/holdout.csv"),
             tu_src("examples/churn/preds/candidate.csv"));
    snprintf(path, sizeof path, "%s", tu_write(dir, "suite.yaml", suite_text));
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s", err.message);

    /* No correction: west fails at 95 %. */
    k = find(r, "none", "region=west");
    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_double_eq_tol(k->confidence, 0.95, 1e-15);
    ck_assert_double_eq(k->bound_level, 0.975);
    ck_assert(k->ci_high < 0.79);
    ck_assert_ptr_nonnull(strstr(k->message, "95% BCa: 97.5% upper bound"));

    /* Holm: central and north fail at 99 %, the rest stand at 1 − α/3 and pass. */
    k = find(r, "holm", "region=central");
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_double_eq_tol(k->confidence, 0.99, 1e-15);
    ck_assert_double_eq_tol(k->bound_level, 0.995, 1e-15);
    ck_assert_msg(
        strstr(k->message, "99% Clopper-Pearson (Holm, 5 slices): 99.5% upper"), "%s",
        k->message);
    k = find(r, "holm", "region=north");
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_double_eq_tol(k->confidence, 0.99, 1e-15);
    for (int i = 0; i < 3; i++) {
        char slice[32];
        snprintf(slice, sizeof slice, "region=%s", survivors[i]);
        k = find(r, "holm", slice);
        ck_assert_int_eq(k->outcome, MG_OUTCOME_PASS);
        ck_assert_double_eq_tol(k->confidence, 1 - 0.05 / 3, 1e-12); /* 12 decimals */
        ck_assert_double_eq_tol(k->bound_level, 1 - 0.025 / 3, 1e-15);
        ck_assert_ptr_nonnull(strstr(k->message, "98.3333% BCa (Holm, 5 slices)"));
    }
    k = find(r, "holm", "region=west");
    ck_assert(k->ci_high >= 0.79);

    /* Bonferroni: everyone at 99.5 % one-sided; west passes, central fails. */
    k = find(r, "bonferroni", "region=west");
    ck_assert_int_eq(k->outcome, MG_OUTCOME_PASS);
    ck_assert_double_eq_tol(k->confidence, 0.99, 1e-15);
    k = find(r, "bonferroni", "region=central");
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_double_eq_tol(k->confidence, 0.99, 1e-15);

    /* Holm's intervals for the survivors are narrower than Bonferroni's. */
    ck_assert(find(r, "holm", "region=west")->ci_high <
              find(r, "bonferroni", "region=west")->ci_high);
    /* BH: central, north and west fail (R = 3: west's p-value, about 0.011, is
     * below 3α/5 = 0.015 though not below Holm's α/3), and every slice stands at
     * 1 − 3α/5. */
    {
        const char *regions[] = {"central", "east", "north", "south", "west"};
        double p[5], adj[5];
        size_t failed = 0;
        for (int i = 0; i < 5; i++) {
            char slice[32];
            snprintf(slice, sizeof slice, "region=%s", regions[i]);
            k = find(r, "bh", slice);
            ck_assert_ptr_nonnull(k);
            ck_assert_double_eq_tol(k->bound_level, 1 - 3 * 0.025 / 5, 1e-15);
            ck_assert_msg(strstr(k->message, "(BH, 5 slices)"), "%s", k->message);
            ck_assert(k->has_family_p);
            /* the case fails exactly when its adjusted p-value is <= α */
            ck_assert_int_eq(k->outcome == MG_OUTCOME_FAIL,
                             k->family_p_adjusted <= 0.025);
            failed += k->outcome == MG_OUTCOME_FAIL;
            p[i] = k->family_p;
            adj[i] = k->family_p_adjusted;
        }
        ck_assert_uint_eq(failed, 3);
        ck_assert_int_eq(find(r, "bh", "region=central")->outcome, MG_OUTCOME_FAIL);
        ck_assert_int_eq(find(r, "bh", "region=north")->outcome, MG_OUTCOME_FAIL);
        ck_assert_int_eq(find(r, "bh", "region=west")->outcome, MG_OUTCOME_FAIL);
        /* the adjusted p-values are p.adjust(p, "BH") of the cases' own p-values */
        {
            double ref[5];
            ck_assert_int_eq(mg__p_adjust(MG_CORRECTION_BH, p, 5, ref), 0);
            for (int i = 0; i < 5; i++)
                ck_assert_double_eq(adj[i], ref[i]);
        }
        /* west fails uncorrected and passes under Holm: α/3 < p < 3α/5 */
        ck_assert(find(r, "bh", "region=west")->family_p < 3 * 0.025 / 5);
        ck_assert(find(r, "bh", "region=west")->family_p > 0.025 / 3);
    }
    /* Holm's adjusted p-values agree with its interval-form decisions. */
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, "holm") == 0)
            ck_assert_int_eq(r->cases[i].outcome == MG_OUTCOME_FAIL,
                             r->cases[i].family_p_adjusted <= 0.025);
    ck_assert_uint_eq(r->failed, 3 + 2 + 2 + 3);
    mg_report_free(r);
    mg_suite_free(suite);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("family");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, holm_and_bonferroni_levels);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
