/*
 * Weak-slice discovery (harness/weak.c, harness/weak_spec.c): the weak_slices test
 * kind and mg_suite_discover.
 *
 * core: a planted weak value (recall 0.6 where the rest has 0.8) is found, first,
 *   with its combinations explained by it; on data without a weak slice nothing is.
 * reference: the found slice's Δ, bootstrap standard deviation and p-value against
 *   a naive computation on the same replicates (row weights drawn again, recall of
 *   the slice and of the rest summed row by row), and its adjusted p-value within
 *   Benjamini–Hochberg's bound.
 * edge: mg_suite_discover's refusals; the suite's.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "modelgate/modelgate.h"
#include "stats/engine.h"
#include "testutil.h"

#define N 3000
#define B 400

static int col[3][N];
static unsigned char label[N];
static double score[N];

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
    return (double)(mix(s) >> 11) * 0x1.0p-53;
}

/* Columns a (4 values), b (3), c (5); recall 0.8, or 0.6 on a = a2 when planted. */
static const char *make_suite(const char *dir, int planted, uint64_t seed,
                              const char *test)
{
    static char csv[N * 32 + 64], text[2048];
    size_t used = (size_t)snprintf(csv, sizeof csv, "a,b,c,y,s\n");
    for (size_t i = 0; i < N; i++) {
        double recall;
        col[0][i] = (int)(mix(&seed) % 4);
        col[1][i] = (int)(mix(&seed) % 3);
        col[2][i] = (int)(mix(&seed) % 5);
        label[i] = unif(&seed) < 0.4;
        recall = planted && col[0][i] == 2 ? 0.6 : 0.8;
        score[i] = label[i] ? (unif(&seed) < recall ? 0.7 : 0.3)
                            : (unif(&seed) < 0.15 ? 0.6 : 0.2);
        used += (size_t)snprintf(csv + used, sizeof csv - used, "a%d,b%d,c%d,%d,%.1f\n",
                                 col[0][i], col[1][i], col[2][i], label[i], score[i]);
    }
    snprintf(text, sizeof text,
             "suite: weak\ntask: binary\n"
             "data: {holdout: %s, label: y, positive: \"1\"}\n"
             "models: {candidate: {score: s}}\n"
             "bootstrap: {replicates: %d, seed: 5}\n"
             "tests:\n%s",
             tu_write(dir, "holdout.csv", csv), B, test);
    return tu_write(dir, "suite.yaml", text);
}

static mg_report *run(const char *path)
{
    mg_suite *s = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    ck_assert_msg(mg_suite_load(&s, path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, s, NULL, &err) == 0, "%s", err.message);
    mg_suite_free(s);
    return r;
}

/* Recall of the rows with column 0 == v (in), or the others (!in), weighted. */
static double recall(const double *w, int v, int in)
{
    double tp = 0, pos = 0;
    for (size_t i = 0; i < N; i++) {
        if ((col[0][i] == v) != in)
            continue;
        tp += w[i] * (label[i] && score[i] >= 0.5);
        pos += w[i] * label[i];
    }
    return tp / pos;
}

START_TEST(finds_planted_slice)
{
    const char *dir = tu_scratch_dir("weak");
    mg_report *r = run(make_suite(dir, 1, 11,
                                  "  - {name: weak, metric: recall,"
                                  " weak_slices: {columns: [a, b, c], depth: 2}}\n"));
    const mg_case *top = &r->cases[0];
    const double *scores[1] = {score};
    const double thresholds[1] = {0.5};
    mg__dataset ds = {N, label, 1, scores, thresholds, 0, NULL, NULL, NULL, 0, NULL};
    mg__engine_options eo = {0};
    mg_error err = MG_ERROR_INIT;
    static double w[N], d[B];
    double one[N], delta, m = 0, ss = 0, se;
    size_t explained = 0, found_a2 = 0;

    ck_assert_uint_ge(r->ncases, 1);
    /* every case is a discovery of a=a2 or one of its cells, the worst first */
    for (size_t i = 0; i < r->ncases; i++) {
        const mg_case *k = &r->cases[i];
        ck_assert_int_eq(k->kind, MG_TEST_WEAK_SLICE);
        ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
        ck_assert_uint_eq(k->weak_rank, i + 1);
        ck_assert_uint_eq(k->weak_candidates, 4 + 3 + 5 + 12 + 20 + 15);
        ck_assert_msg(strstr(k->slice, "a=a2") != NULL, "false discovery %s", k->slice);
        ck_assert(k->family_p_adjusted <= 0.05);
        ck_assert(k->delta_ci_high < 0);
        if (i > 0)
            ck_assert(k->delta >= r->cases[i - 1].delta);
        if (strcmp(k->slice, "a=a2") == 0)
            found_a2 = 1;
        else if (k->weak_explained_by && strcmp(k->weak_explained_by, "a=a2") == 0)
            explained++;
    }
    ck_assert(found_a2);
    ck_assert_uint_ge(explained, 1);

    /* a=a2's numbers against the same replicates, row by row */
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].slice, "a=a2") == 0)
            top = &r->cases[i];
    for (size_t i = 0; i < N; i++)
        one[i] = 1;
    delta = recall(one, 2, 1) - recall(one, 2, 0);
    ck_assert_double_eq_tol(top->delta, delta, 1e-14);
    ck_assert_double_eq_tol(top->estimate, recall(one, 2, 1), 1e-14);
    ck_assert_double_eq_tol(top->baseline_estimate, recall(one, 2, 0), 1e-14);
    eo.replicates = B;
    eo.seed = 5;
    eo.threads = 1;
    for (int b = 0; b < B; b++) {
        ck_assert(mg__engine_row_weights(&ds, &eo, (size_t)b, w, &err) == 0);
        d[b] = recall(w, 2, 1) - recall(w, 2, 0);
        m += d[b] / B;
    }
    for (int b = 0; b < B; b++)
        ss += (d[b] - m) * (d[b] - m);
    se = sqrt(ss / (B - 1));
    ck_assert_msg(
        fabs(top->family_p - gsl_cdf_ugaussian_P(delta / se)) <= 1e-9 * top->family_p,
        "p %.17g, naive %.17g", top->family_p, gsl_cdf_ugaussian_P(delta / se));
    /* its interval: Δ ± z·se at one-sided 1 − Rα/k */
    ck_assert_double_eq_tol(top->bound_level,
                            1 - (double)r->ncases * 0.05 / top->weak_candidates, 1e-15);
    ck_assert_double_eq_tol(top->delta_ci_high,
                            delta + gsl_cdf_ugaussian_Pinv(top->bound_level) * se,
                            1e-9);
    /* BH: the k-th smallest p-value of R discoveries is at most Rα/m */
    ck_assert(top->family_p <= (double)r->ncases * 0.05 / top->weak_candidates);
    ck_assert_ptr_nonnull(strstr(top->message, "weak slice"));
    mg_report_free(r);
}
END_TEST

START_TEST(nothing_on_null_data)
{
    const char *dir = tu_scratch_dir("weak-null");
    mg_report *r = run(make_suite(dir, 0, 12,
                                  "  - {name: weak, metric: recall, min_size: 50,"
                                  " weak_slices: {columns: [a, b, c]}}\n"));
    ck_assert_uint_eq(r->ncases, 1);
    ck_assert_int_eq(r->cases[0].kind, MG_TEST_WEAK_SLICE);
    ck_assert_int_eq(r->cases[0].outcome, MG_OUTCOME_PASS);
    ck_assert(!r->cases[0].has_delta);
    ck_assert_uint_eq(r->cases[0].weak_candidates, 59);
    ck_assert_ptr_nonnull(strstr(r->cases[0].message, "no slice of the 59 searched"));
    mg_report_free(r);
}
END_TEST

START_TEST(margin_and_discover_api)
{
    const char *dir = tu_scratch_dir("weak-api");
    const char *path =
        make_suite(dir, 1, 13, "  - {name: floor, metric: recall, at_least: 0.1}\n");
    mg_suite *s = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    static const struct {
        const char *columns, *metric;
        size_t depth;
        const char *message;
    } bad[] = {
        {"a,b", "aucc", 2, "--metric: unknown metric 'aucc'"},
        {"a,b", "auc", 2, "--metric auc: weak_slices compares"},
        {"a,b", "prevalence", 2, "descriptive"},
        {"a,b", "recall", 5, "--depth: expected 1 to 4, got 5"},
        {"a,a", "recall", 2, "--columns: column 'a' appears twice"},
        {"a,,b", "recall", 2, "--columns: an empty column name"},
        {"a,s:1", "recall", 2, "--columns: 's:1': after the colon"},
        {"a,s:x", "recall", 2, "--columns: 's:x': after the colon"},
    };

    ck_assert_msg(mg_suite_load(&s, path, &err) == 0, "%s", err.message);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(mg_suite_discover(s, bad[i].columns, bad[i].depth,
                                           bad[i].metric, NULL, 0, &err),
                         MG_EINVAL);
        ck_assert_msg(strstr(err.message, bad[i].message), "%s", err.message);
    }
    ck_assert_int_eq(mg_suite_discover(s, "a,b", 2, "recall", "nobody", 0, &err),
                     MG_EINVAL);
    /* a margin of 0.5 is more than the planted 0.2: nothing is worse by that much */
    ck_assert_int_eq(mg_suite_discover(s, "a,b", 1, "recall", NULL, 0.5, &err), 0);
    ck_assert_uint_eq(s->ntests, 1);
    ck_assert_uint_eq(s->nslicings, 2);
    ck_assert_msg(mg_run_suite(&r, s, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(r->ncases, 1);
    ck_assert_int_eq(r->cases[0].outcome, MG_OUTCOME_PASS);
    ck_assert_uint_eq(r->cases[0].weak_candidates, 7);
    mg_report_free(r);
    /* a number column in quantile bins, alone and crossed: the score s asked in 2
     * bins, as a slicing and as a part of a × s (by reference). Its ties leave one
     * bin, every row, which has no rest to compare with; its cells a × s are a's
     * values again: 4 + 4 candidates. */
    ck_assert_int_eq(mg_suite_discover(s, "a,s:2", 2, "recall", NULL, 0.5, &err), 0);
    ck_assert_uint_eq(s->nslicings, 3);
    ck_assert_uint_eq(s->slicings[1].quantiles, 2);
    ck_assert_ptr_nonnull(s->slicings[2].refs);
    ck_assert_int_eq(s->slicings[2].refs[1], 1);
    ck_assert_msg(mg_run_suite(&r, s, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(r->cases[r->ncases - 1].weak_candidates, 4 + 4);
    mg_report_free(r);
    /* again, with the default margin: a=a2 is found */
    ck_assert_int_eq(mg_suite_discover(s, "a", 1, NULL, "candidate", 0, &err), 0);
    ck_assert_uint_eq(s->nslicings, 1);
    ck_assert_msg(mg_run_suite(&r, s, NULL, &err) == 0, "%s", err.message);
    ck_assert_str_eq(r->cases[0].slice, "a=a2");
    ck_assert_str_eq(r->cases[0].slicing, "a");
    mg_report_free(r);
    mg_suite_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("weak");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    tcase_add_test(core, finds_planted_slice);
    tcase_add_test(core, nothing_on_null_data);
    tcase_set_timeout(core, 120);
    suite_add_tcase(s, core);
    tcase_add_test(edge, margin_and_discover_api);
    tcase_set_timeout(edge, 120);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
