/*
 * Drift statistics (stats/drift.c, stats/ks.c, harness/drift.c, harness/run_drift.c):
 * SciPy's numbers on real data sets, PSI by hand, the bootstrap's invariants, the
 * drift table and the suite's drift tests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "harness/drift.h"
#include "modelgate/modelgate.h"
#include "stats/ci.h"
#include "stats/drift.h"
#include "testutil.h"

#include "reference/drift_reference_scipy.h"

#define NREFS (sizeof drift_refs / sizeof drift_refs[0])

/* ---- The samples of tests/data/drift_samples.csv ------------------------------ */

typedef struct sample {
    double *r, *c; /* numbers */
    size_t nr, nc;
    char cats[32][16]; /* categories: their names and counts */
    double rc[32], cc[32];
    size_t k;
} sample;

static sample samples[NREFS];

static void push(double **a, size_t *n, double x)
{
    *a = realloc(*a, (*n + 1) * sizeof **a);
    ck_assert_ptr_nonnull(*a);
    (*a)[(*n)++] = x;
}

static void read_samples(void)
{
    FILE *f = fopen(tu_src("tests/data/drift_samples.csv"), "r");
    char line[128];
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char side, value[64];
        unsigned q;
        sample *s;
        ck_assert_int_eq(sscanf(line, "%u,%c,%63s", &q, &side, value), 3);
        ck_assert_uint_lt(q, NREFS);
        s = &samples[q];
        if (!drift_refs[q].categorical) {
            if (side == 'r')
                push(&s->r, &s->nr, strtod(value, NULL));
            else
                push(&s->c, &s->nc, strtod(value, NULL));
            continue;
        }
        size_t j = 0;
        while (j < s->k && strcmp(s->cats[j], value) != 0)
            j++;
        if (j == s->k) {
            ck_assert_uint_lt(s->k, 32);
            snprintf(s->cats[s->k++], sizeof s->cats[0], "%.15s", value);
        }
        if (side == 'r')
            s->rc[j]++;
        else
            s->cc[j]++;
    }
    fclose(f);
}

static void free_samples(void)
{
    for (size_t q = 0; q < NREFS; q++) {
        free(samples[q].r);
        free(samples[q].c);
    }
    memset(samples, 0, sizeof samples);
}

static void check_rel(const char *what, const char *name, double got, double want,
                      double tol)
{
    ck_assert_msg(tu_close(got, want, tol), "%s %s: got %.17g, SciPy %.17g", name, what,
                  got, want);
}

/* ---- Reference: SciPy ------------------------------------------------------- */

START_TEST(ks_and_wasserstein_match_scipy)
{
    mg_error err = MG_ERROR_INIT;
    read_samples();
    for (size_t q = 0; q < NREFS; q++) {
        const drift_ref *ref = &drift_refs[q];
        const sample *s = &samples[q];
        double d, p, w;
        int exact;
        if (ref->categorical)
            continue;
        ck_assert_uint_eq(s->nr, ref->n_ref);
        ck_assert_uint_eq(s->nc, ref->n_cur);
        ck_assert_int_eq(mg_ks_2samp(s->r, s->nr, s->c, s->nc, &d, &p, &exact, &err),
                         0);
        check_rel("KS statistic", ref->name, d, ref->ks, 1e-9);
        ck_assert_msg(fabs(p - ref->ks_p) <= 1e-6, "%s KS p: got %.17g, SciPy %.17g",
                      ref->name, p, ref->ks_p);
        /* tiny p-values agree far beyond the absolute tolerance */
        if (ref->ks_p > 1e-300)
            check_rel("KS p (relative)", ref->name, p, ref->ks_p, 1e-6);
        ck_assert_int_eq(exact, ref->ks_exact);
        ck_assert_int_eq(mg_wasserstein(s->r, s->nr, s->c, s->nc, &w, &err), 0);
        check_rel("Wasserstein", ref->name, w, ref->wasserstein, 1e-9);
    }
    free_samples();
}
END_TEST

START_TEST(binned_statistics_match_scipy)
{
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    read_samples();
    o.replicates = 0;
    for (size_t q = 0; q < NREFS; q++) {
        const drift_ref *ref = &drift_refs[q];
        const sample *s = &samples[q];
        mg__drift d = {0};
        if (ref->categorical) {
            ck_assert_int_eq(mg__drift_counts(&d, s->rc, s->cc, s->k, &o, 0, &err), 0);
            check_rel("chi2", ref->name, d.r.stat[MG_DRIFT_CHI2].value, ref->chi2,
                      1e-9);
            ck_assert_msg(fabs(d.r.p_value - ref->chi2_p) <= 1e-6,
                          "%s chi2 p: got %.17g, SciPy %.17g", ref->name, d.r.p_value,
                          ref->chi2_p);
            check_rel("chi2 p (relative)", ref->name, d.r.p_value, ref->chi2_p, 1e-6);
            ck_assert_double_eq(d.r.chi2_df, ref->df);
            check_rel("Cramér's V", ref->name, d.r.stat[MG_DRIFT_CRAMERS_V].value,
                      ref->cramers_v, 1e-9);
            ck_assert_int_eq(d.r.stat[MG_DRIFT_KS].has_value, 0);
        } else {
            ck_assert_int_eq(
                mg__drift_numbers(&d, s->r, s->nr, s->c, s->nc, &o, 0, &err), 0);
            check_rel("KS", ref->name, d.r.stat[MG_DRIFT_KS].value, ref->ks, 1e-9);
            ck_assert(fabs(d.r.p_value - ref->ks_p) <= 1e-6);
            check_rel("normalised Wasserstein", ref->name,
                      d.r.stat[MG_DRIFT_WASSERSTEIN_NORM].value, ref->wasserstein_norm,
                      1e-9);
            ck_assert_int_eq(d.r.stat[MG_DRIFT_CHI2].has_value, 0);
        }
        check_rel("Jensen-Shannon", ref->name, d.r.stat[MG_DRIFT_JS].value, ref->js,
                  1e-9);
        mg__drift_free(&d);
    }
    free_samples();
}
END_TEST

/* ---- Core ------------------------------------------------------------------- */

/*
 * PSI by hand. Reference 1..10 in 4 bins: type-7 quartiles 3.25, 5.5, 7.75, so the
 * reference's shares are 0.3, 0.2, 0.2, 0.3. Current {1, 2, 6, 7, 7, 8, 9, 10, 11,
 * 12}: shares 0.2, 0 (floored at 0.0001), 0.3, 0.5. PSI =
 *   (0.2 − 0.3) ln(0.2/0.3)       = 0.0405465108108164
 * + (0.0001 − 0.2) ln(0.0001/0.2) = 1.5194203016749445
 * + (0.3 − 0.2) ln(0.3/0.2)       = 0.0405465108108164
 * + (0.5 − 0.3) ln(0.5/0.3)       = 0.1021651247531982
 *                                 = 1.7026785480372935 (NumPy, the same sum).
 * JS over the same counts: scipy.spatial.distance.jensenshannon([3,2,2,3],
 * [2,0,3,5], base=2) = 0.36435024578375086.
 */
START_TEST(psi_by_hand)
{
    const double ref[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double cur[] = {1, 2, 6, 7, 7, 8, 9, 10, 11, 12};
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg__drift d = {0};
    o.bins = 4;
    o.replicates = 0;
    ck_assert_int_eq(mg__drift_numbers(&d, ref, 10, cur, 10, &o, 0, &err), 0);
    ck_assert_uint_eq(d.r.bins, 4);
    ck_assert(tu_close(d.r.stat[MG_DRIFT_PSI].value, 1.7026785480372935, 1e-14));
    ck_assert(tu_close(d.r.stat[MG_DRIFT_JS].value, 0.36435024578375086, 1e-14));
    mg__drift_free(&d);

    /* the same as categories: counts 3 2 2 3 against 2 0 3 5 */
    {
        const double rc[] = {3, 2, 2, 3}, cc[] = {2, 0, 3, 5};
        ck_assert_int_eq(mg__drift_counts(&d, rc, cc, 4, &o, 0, &err), 0);
        ck_assert(tu_close(d.r.stat[MG_DRIFT_PSI].value, 1.7026785480372935, 1e-14));
        ck_assert_uint_eq(d.r.new_categories, 0);
        mg__drift_free(&d);
    }
}
END_TEST

/* Ties at the quantiles merge bins: a 0/1 column with 30 zeros has the type-7
 * cut points 0 (deciles 1 to 2), 0.7 (decile 3, between the 30th and 31st values)
 * and 1: four bins, two of them empty in both samples (which add 0). */
START_TEST(repeated_cut_points_merge)
{
    double ref[100], cur[100];
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg__drift d = {0};
    for (int i = 0; i < 100; i++) {
        ref[i] = i < 70;
        cur[i] = i < 60;
    }
    o.replicates = 0;
    ck_assert_int_eq(mg__drift_numbers(&d, ref, 100, cur, 100, &o, 0, &err), 0);
    ck_assert_uint_eq(d.r.bins, 4);
    /* (0.4 − 0.3) ln(0.4/0.3) + (0.6 − 0.7) ln(0.6/0.7) */
    ck_assert(tu_close(d.r.stat[MG_DRIFT_PSI].value,
                       0.1 * log(0.4 / 0.3) - 0.1 * log(0.6 / 0.7), 1e-14));
    ck_assert(tu_close(d.r.stat[MG_DRIFT_KS].value, 0.1, 1e-14));
    mg__drift_free(&d);
}
END_TEST

/* Identical samples: every statistic 0, p-value 1; a sample against itself
 * resampled has replicates above 0 and the same seed gives the same replicates. */
START_TEST(no_drift_and_determinism)
{
    double x[500];
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg__drift a = {0}, b = {0};
    for (int i = 0; i < 500; i++)
        x[i] = sin(i * 1.7) * 10;
    o.replicates = 200;
    ck_assert_int_eq(mg__drift_numbers(&a, x, 500, x, 500, &o, 7, &err), 0);
    ck_assert_int_eq(mg__drift_numbers(&b, x, 500, x, 500, &o, 7, &err), 0);
    ck_assert_double_eq(a.r.stat[MG_DRIFT_PSI].value, 0);
    ck_assert_double_eq(a.r.stat[MG_DRIFT_KS].value, 0);
    ck_assert_double_eq(a.r.stat[MG_DRIFT_WASSERSTEIN].value, 0);
    ck_assert_double_eq(a.r.p_value, 1);
    for (size_t r = 0; r < 200; r++) {
        ck_assert_double_eq(a.rep[MG_DRIFT_PSI][r], b.rep[MG_DRIFT_PSI][r]);
        ck_assert(a.rep[MG_DRIFT_KS][r] >= 0);
        /* the normalised distance is W over the reference's spread, replicate by
         * replicate */
        ck_assert(tu_close(a.rep[MG_DRIFT_WASSERSTEIN_NORM][r],
                           a.rep[MG_DRIFT_WASSERSTEIN][r] / a.r.reference_sd, 1e-14));
    }
    mg__drift_free(&b);
    /* another column's stream draws other replicates */
    ck_assert_int_eq(mg__drift_numbers(&b, x, 500, x, 500, &o, 8, &err), 0);
    ck_assert(memcmp(a.rep[MG_DRIFT_PSI], b.rep[MG_DRIFT_PSI], 200 * sizeof(double)) !=
              0);
    mg__drift_free(&a);
    mg__drift_free(&b);
}
END_TEST

/*
 * The grid bootstrap against the exact one: with few distinct values the grid is
 * the values themselves and a replicate's KS on the grid is the KS of the
 * resampled data. Oracle: draw the replicate's cell counts ourselves, expand them
 * into rows, and compute the exact KS of those rows.
 */
START_TEST(grid_is_exact_for_few_values)
{
    double ref[300], cur[200];
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg__drift d = {0};
    mg__ci ci;
    double scratch[400];
    for (int i = 0; i < 300; i++)
        ref[i] = i % 7;
    for (int i = 0; i < 200; i++)
        cur[i] = (i * 3) % 9;
    o.replicates = 400;
    ck_assert_int_eq(mg__drift_numbers(&d, ref, 300, cur, 200, &o, 3, &err), 0);
    /* every replicate's KS is a difference of two lattice fractions i/300 − j/200 */
    for (size_t r = 0; r < 400; r++) {
        double k = d.rep[MG_DRIFT_KS][r] * 600;
        ck_assert_msg(fabs(k - nearbyint(k)) < 1e-9, "replicate %zu: KS %.17g", r,
                      d.rep[MG_DRIFT_KS][r]);
    }
    mg__drift_ci(&d, MG_DRIFT_KS, MG_INTERVAL_PERCENTILE, 0.9, scratch, &ci);
    ck_assert(ci.has_ci);
    ck_assert(ci.low <= ci.high);
    ck_assert_int_eq(ci.method, MG_CI_PERCENTILE);
    mg__drift_free(&d);
}
END_TEST

/* ---- Edge ------------------------------------------------------------------- */

START_TEST(bad_samples)
{
    const double x[] = {1, NAN, 3};
    mg_error err = MG_ERROR_INIT;
    double d, p, w;
    int exact;
    mg__drift dr = {0};
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    const double nan2[] = {NAN, NAN};
    ck_assert_int_eq(mg_ks_2samp(x, 3, x, 0, &d, &p, &exact, &err), MG_EINVAL);
    ck_assert_int_eq(mg_ks_2samp(x, 3, x, 3, &d, &p, &exact, &err), MG_EINVAL);
    ck_assert_str_eq(err.message, "NaN in sample a");
    ck_assert_int_eq(mg_wasserstein(x, 0, x, 3, &w, &err), MG_EINVAL);
    /* missing values are left out and counted; an all-missing sample is an error */
    o.replicates = 0;
    ck_assert_int_eq(mg__drift_numbers(&dr, x, 3, x, 3, &o, 0, &err), 0);
    ck_assert_uint_eq(dr.r.missing_reference, 1);
    ck_assert_uint_eq(dr.r.n_current, 2);
    mg__drift_free(&dr);
    ck_assert_int_eq(mg__drift_numbers(&dr, nan2, 2, x, 3, &o, 0, &err), MG_EDATA);
    ck_assert_str_eq(err.message, "no values in the reference data");
    mg__drift_free(&dr);
    /* a constant reference has no spread: the normalised distance is undefined */
    {
        const double c1[] = {2, 2, 2}, c2[] = {2, 3, 4};
        ck_assert_int_eq(mg__drift_numbers(&dr, c1, 3, c2, 3, &o, 0, &err), 0);
        ck_assert_int_eq(dr.r.stat[MG_DRIFT_WASSERSTEIN_NORM].has_value, 0);
        ck_assert_int_eq(dr.r.stat[MG_DRIFT_WASSERSTEIN].has_value, 1);
        mg__drift_free(&dr);
    }
}
END_TEST

START_TEST(statistic_names)
{
    for (int s = 0; s < MG_DRIFT_STATISTIC_COUNT; s++)
        ck_assert_int_eq(mg_drift_statistic_from_name(
                             mg_drift_statistic_name((mg_drift_statistic)s)),
                         s);
    ck_assert_int_eq(mg_drift_statistic_from_name("kl"), -1);
    ck_assert_ptr_null(mg_drift_statistic_name(MG_DRIFT_STATISTIC_COUNT));
}
END_TEST

/* ---- The table and the suite --------------------------------------------------- */

START_TEST(table_of_two_files)
{
    const char *dir = tu_scratch_dir("drift_table");
    const char *r = tu_write(dir, "r.csv", "x,g,y\n1,a,0.5\n2,a,NA\n3,b,1.5\n4,b,2\n");
    const char *c = tu_write(dir, "c.csv", "y,x,g\n0.5,5,a\n1,6,c\n7,7,c\n");
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_drift_table *t = NULL, *t1 = NULL;
    char *j = NULL, *j1 = NULL;
    o.replicates = 100;
    ck_assert_int_eq(mg_drift_compare(&t, r, c, NULL, 0, &o, &err), 0);
    ck_assert_uint_eq(t->ncolumns, 3);
    for (size_t i = 0; i < 3; i++) {
        const mg_drift_column *col = &t->columns[i];
        /* sorted by PSI, largest first */
        if (i > 0)
            ck_assert(col->stat[MG_DRIFT_PSI].value <=
                      t->columns[i - 1].stat[MG_DRIFT_PSI].value);
        /* x moved wholly out of the reference's range */
        if (strcmp(col->name, "x") == 0)
            ck_assert_double_eq(col->stat[MG_DRIFT_KS].value, 1);
        if (strcmp(col->name, "g") == 0) {
            ck_assert(col->categorical);
            ck_assert_uint_eq(col->new_categories, 1);
            ck_assert_uint_eq(col->bins, 3);
        }
        if (strcmp(col->name, "y") == 0) {
            ck_assert(!col->categorical);
            ck_assert_uint_eq(col->missing_reference, 1);
            ck_assert_uint_eq(col->n_reference, 3);
        }
        ck_assert(col->p_adjusted >= col->p_value);
    }
    /* the same table with one thread */
    o.threads = 1;
    ck_assert_int_eq(mg_drift_compare(&t1, r, c, NULL, 0, &o, &err), 0);
    ck_assert_int_eq(mg_drift_table_json(t, &j, &err), 0);
    ck_assert_int_eq(mg_drift_table_json(t1, &j1, &err), 0);
    *strstr(j, "\"seconds\"") = '\0';
    *strstr(j1, "\"seconds\"") = '\0';
    ck_assert_str_eq(j, j1);
    free(j), free(j1);
    mg_drift_table_free(t);
    mg_drift_table_free(t1);

    /* a column one file lacks */
    {
        const char *names[] = {"x", "z"};
        ck_assert_int_eq(mg_drift_compare(&t, r, c, names, 2, &o, &err), MG_EDATA);
        ck_assert_ptr_null(t);
        ck_assert_str_eq(err.message, "no column 'z' in the header");
    }
}
END_TEST

START_TEST(suite_drift_tests)
{
    mg_suite *s = NULL;
    mg_report *rep = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options ro = MG_RUN_OPTIONS_INIT;
    mg_drift_table *t = NULL;
    mg_drift_options o = MG_DRIFT_OPTIONS_INIT;
    const char *names[] = {"tenure_months", "region", "plan"};
    size_t drift_cases = 0;

    ck_assert_int_eq(mg_suite_load(&s, tu_src("examples/churn/suite.yaml"), &err), 0);
    ck_assert_uint_ge(s->ndrift, 1);
    ck_assert_int_eq(mg_run_suite(&rep, s, &ro, &err), 0);
    ck_assert_int_eq(mg_drift_compare(&t, tu_src("examples/churn/data/reference.csv"),
                                      tu_src("examples/churn/data/holdout.csv"), names,
                                      3, &o, &err),
                     0);
    for (size_t i = 0; i < rep->ncases; i++) {
        const mg_case *k = &rep->cases[i];
        if (k->kind != MG_TEST_DRIFT)
            continue;
        drift_cases++;
        ck_assert_ptr_nonnull(k->message);
        if (strcmp(k->metric, "psi") != 0 || k->slicing == NULL ||
            strcmp(k->slicing, "column") != 0)
            continue;
        /* the suite's estimate is the table's, and so is the interval at 95 % */
        for (size_t q = 0; q < t->ncolumns; q++)
            if (strncmp(k->slice, "column=", 7) == 0 &&
                strcmp(t->columns[q].name, k->slice + 7) == 0) {
                ck_assert_double_eq(k->estimate,
                                    t->columns[q].stat[MG_DRIFT_PSI].value);
                ck_assert_double_eq(k->p_value, t->columns[q].p_value);
            }
        ck_assert(k->has_ci);
        ck_assert(k->ci_low <= k->estimate + 1e-12 || k->ci_low >= 0);
        ck_assert(k->outcome == MG_OUTCOME_PASS);
    }
    ck_assert_uint_ge(drift_cases, 3);
    mg_drift_table_free(t);
    mg_report_free(rep);
    mg_suite_free(s);
}
END_TEST

START_TEST(suite_drift_errors)
{
    const char *dir = tu_scratch_dir("drift_suite");
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;
    char text[2048];
    const char *head = "suite: s\ntask: binary\ndata: {holdout: %s, label: churned, "
                       "positive: \"1\"%s}\n"
                       "models: {candidate: {file: %s, score: p_churn}}\n"
                       "drift:\n  - %s\n";
    const char *h = tu_src("examples/churn/data/holdout.csv");
    const char *p = tu_src("examples/churn/preds/candidate.csv");
    static const struct {
        const char *data, *test, *message;
    } cases[] = {
        {"", "{name: a, columns: [plan], psi_at_most: 0.1}",
         "a drift test needs a reference: data.reference or the test's own reference"},
        {", reference: r.csv", "{name: a, columns: [plan]}",
         "a drift test needs one of psi_at_most, ks_at_most, js_at_most, "
         "wasserstein_at_most or cramers_v_at_most"},
        {", reference: r.csv",
         "{name: a, columns: [plan], psi_at_most: 0.1, "
         "ks_at_most: 0.1}",
         "a drift test gates one statistic: psi_at_most is already given (write two "
         "tests)"},
        {", reference: r.csv", "{name: a, psi_at_most: 0.1}",
         "a drift test needs columns (feature or label drift) or a model (prediction "
         "drift)"},
        {", reference: r.csv", "{name: a, columns: plan, psi_at_most: -1}",
         "expected a non-negative threshold, got '-1'"},
        {", reference: r.csv", "{name: a, columns: [plan, plan], psi_at_most: 1}",
         "column 'plan' is listed twice"},
        {", reference: r.csv", "{name: a, model: champion, psi_at_most: 1}",
         "model 'champion' is not declared under models"},
        {", reference: r.csv", "{name: a, columns: [plan], psi_at_mots: 1}",
         "unknown key 'psi_at_mots' (did you mean 'psi_at_most'?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, head, h, cases[i].data, p, cases[i].test);
        err = (mg_error)MG_ERROR_INIT;
        ck_assert_int_eq(mg_suite_load(&s, tu_write(dir, "s.yaml", text), &err),
                         MG_EPARSE);
        ck_assert_msg(strstr(err.message, cases[i].message) != NULL,
                      "case %zu: got '%s'", i, err.message);
        ck_assert_uint_gt(err.line, 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("drift");
    TCase *ref = tcase_create("reference"), *core = tcase_create("core"),
          *edge = tcase_create("edge");
    tcase_add_test(ref, ks_and_wasserstein_match_scipy);
    tcase_add_test(ref, binned_statistics_match_scipy);
    tcase_add_test(core, psi_by_hand);
    tcase_add_test(core, repeated_cut_points_merge);
    tcase_add_test(core, no_drift_and_determinism);
    tcase_add_test(core, grid_is_exact_for_few_values);
    tcase_add_test(core, table_of_two_files);
    tcase_add_test(core, suite_drift_tests);
    tcase_add_test(edge, bad_samples);
    tcase_add_test(edge, statistic_names);
    tcase_add_test(edge, suite_drift_errors);
    tcase_set_timeout(ref, 120);
    tcase_set_timeout(core, 120);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
