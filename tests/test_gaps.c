/*
 * Tests across the slices of a slicing (harness/gaps.c, stats/gap.c): max_gap,
 * min_ratio, vs_overall and the candidate-vs-champion gap.
 *
 * reference: every interval against a naive computation on the same replicates:
 *   each replicate's row weights drawn again (mg__engine_row_weights), each slice's
 *   recall and positive rate summed row by row, and the max-t bounds, the percentile
 *   interval of a slice minus the whole set and of a difference of gaps computed
 *   from them by the definitions (docs/statistics.md), to 1e-12.
 * edge: slices too small are left out and counted; one standing slice is a skip;
 *   a ratio with a slice at 0 is inconclusive.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "stats/engine.h"
#include "testutil.h"

#define N      1200
#define GROUPS 4
#define B      400

static unsigned char label[N];
static double score[2][N];
static int group[N];

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Four regions whose recall and positive rate differ, two models. */
static const char *make_holdout(const char *dir)
{
    static char text[N * 48 + 64];
    size_t used;
    uint64_t seed = 42;
    used = (size_t)snprintf(text, sizeof text, "region,y,s1,s2\n");
    for (size_t i = 0; i < N; i++) {
        double u = (double)(lcg(&seed) % 10000) / 10000.0;
        double v = (double)(lcg(&seed) % 10000) / 10000.0;
        group[i] = (int)(lcg(&seed) % GROUPS);
        label[i] = (lcg(&seed) % 100) < 35;
        /* the candidate finds fewer positives in higher regions; the champion is
         * even across regions */
        score[0][i] =
            round((0.1 + 0.35 * label[i] - 0.06 * group[i] + 0.5 * u) * 100) / 100;
        score[1][i] = round((0.1 + 0.3 * label[i] + 0.5 * v) * 100) / 100;
        score[0][i] = fmin(1, fmax(0, score[0][i]));
        score[1][i] = fmin(1, fmax(0, score[1][i]));
        used += (size_t)snprintf(text + used, sizeof text - used, "%c,%d,%.2f,%.2f\n",
                                 'a' + group[i], label[i], score[0][i], score[1][i]);
    }
    return tu_write(dir, "holdout.csv", text);
}

static const mg_case *find(const mg_report *r, const char *test, const char *slice)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, test) == 0 &&
            (slice == NULL || strcmp(r->cases[i].slice, slice) == 0))
            return &r->cases[i];
    return NULL;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantile of v (sorted here). */
static double quantile(double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    qsort(v, n, sizeof *v, by_double);
    return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

/* recall (what 0) or positive rate (what 1) of model m over rows of group g (−1:
 * all), weighted. */
static double value(const double *w, int m, int g, int what)
{
    double tp = 0, pos = 0, pp = 0, tot = 0;
    for (size_t i = 0; i < N; i++) {
        int pred = score[m][i] >= 0.5;
        if (g >= 0 && group[i] != g)
            continue;
        tp += w[i] * (label[i] && pred);
        pos += w[i] * label[i];
        pp += w[i] * pred;
        tot += w[i];
    }
    return what == 0 ? tp / pos : pp / tot;
}

/* Max-t bounds [lo, hi] of the gap of est[g] from rep[g][b], at one-sided level. */
static void naive_max_t(double est[GROUPS], double rep[GROUPS][B], double level,
                        double *lo, double *hi)
{
    double se[GROUPS][GROUPS], t[B], c;
    for (int i = 0; i < GROUPS; i++)
        for (int j = i + 1; j < GROUPS; j++) {
            double mean = 0, ss = 0;
            for (int b = 0; b < B; b++)
                mean += (rep[i][b] - rep[j][b]) / B;
            for (int b = 0; b < B; b++)
                ss += pow(rep[i][b] - rep[j][b] - mean, 2);
            se[i][j] = sqrt(ss / (B - 1));
        }
    for (int b = 0; b < B; b++) {
        t[b] = 0;
        for (int i = 0; i < GROUPS; i++)
            for (int j = i + 1; j < GROUPS; j++)
                t[b] = fmax(t[b],
                            fabs(rep[i][b] - rep[j][b] - (est[i] - est[j])) / se[i][j]);
    }
    c = quantile(t, B, level);
    *lo = 0;
    *hi = 0;
    for (int i = 0; i < GROUPS; i++)
        for (int j = i + 1; j < GROUPS; j++) {
            *hi = fmax(*hi, fabs(est[i] - est[j]) + c * se[i][j]);
            *lo = fmax(*lo, fabs(est[i] - est[j]) - c * se[i][j]);
        }
}

static double gap_of(double v[GROUPS])
{
    double hi = v[0], lo = v[0];
    for (int g = 1; g < GROUPS; g++)
        hi = fmax(hi, v[g]), lo = fmin(lo, v[g]);
    return hi - lo;
}

START_TEST(against_naive_replicates)
{
    const char *dir = tu_scratch_dir("gaps");
    char text[2048], path[4200];
    static double rep[2][2][GROUPS][B], all[2][B], w[N];
    double est[2][2][GROUPS], one[N], d[B], lo, hi;
    const double *scores[2] = {score[0], score[1]};
    const double thresholds[2] = {0.5, 0.5};
    mg__dataset ds = {N, label, 2, scores, thresholds, 0, NULL, NULL, NULL, 0, NULL};
    mg__engine_options eo = {0};
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    const mg_case *k;

    snprintf(
        text, sizeof text,
        "suite: gaps\ntask: binary\n"
        "data: {holdout: %s, label: y, positive: \"1\"}\n"
        "models: {candidate: {score: s1}, champion: {score: s2}}\n"
        "bootstrap: {replicates: %d, seed: 7, interval: percentile}\n"
        "slices: {region: region}\n"
        "tests:\n"
        "  - {name: gap, metric: recall, slices: region, max_gap: 0.1}\n"
        "  - {name: ratio, metric: positive_rate, slices: region, min_ratio: 0.8}\n"
        "  - {name: overall, metric: recall, slices: region, vs_overall: 0.05}\n"
        "  - {name: wider, metric: recall, slices: region, max_gap: 0,"
        " baseline: champion}\n",
        make_holdout(dir), B);
    snprintf(path, sizeof path, "%s", tu_write(dir, "suite.yaml", text));
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, NULL, &err) == 0, "%s", err.message);

    /* The same replicates, row by row. */
    eo.replicates = B;
    eo.seed = 7;
    eo.threads = 1;
    for (size_t i = 0; i < N; i++)
        one[i] = 1;
    for (int m = 0; m < 2; m++)
        for (int what = 0; what < 2; what++)
            for (int g = 0; g < GROUPS; g++)
                est[m][what][g] = value(one, m, g, what);
    for (int b = 0; b < B; b++) {
        ck_assert(mg__engine_row_weights(&ds, &eo, (size_t)b, w, &err) == 0);
        for (int m = 0; m < 2; m++)
            for (int what = 0; what < 2; what++)
                for (int g = 0; g < GROUPS; g++)
                    rep[m][what][g][b] = value(w, m, g, what);
        all[0][b] = value(w, 0, -1, 0);
    }

    /* max_gap: the estimate, the worst pair, the max-t bounds at one-sided 95 %. */
    k = find(r, "gap", "region (all slices)");
    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(k->kind, MG_TEST_GAP);
    ck_assert_int_eq(k->method, MG_CI_MAX_T);
    ck_assert_double_eq_tol(k->estimate, gap_of(est[0][0]), 1e-14);
    ck_assert_str_eq(k->gap_high, "region=a");
    ck_assert_str_eq(k->gap_low, "region=d");
    naive_max_t(est[0][0], rep[0][0], 0.95, &lo, &hi);
    ck_assert_msg(fabs(k->ci_low - lo) < 1e-12 && fabs(k->ci_high - hi) < 1e-12,
                  "gap [%.17g, %.17g], naive [%.17g, %.17g]", k->ci_low, k->ci_high, lo,
                  hi);
    ck_assert(k->ci_low < k->estimate && k->estimate < k->ci_high);
    ck_assert_int_eq(k->outcome, k->ci_high <= 0.1 ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL);

    /* min_ratio: the same on log values, exponentiated. */
    {
        double lest[GROUPS], lrep[GROUPS][B];
        for (int g = 0; g < GROUPS; g++) {
            lest[g] = log(est[0][1][g]);
            for (int b = 0; b < B; b++)
                lrep[g][b] = log(rep[0][1][g][b]);
        }
        naive_max_t(lest, lrep, 0.95, &lo, &hi);
        k = find(r, "ratio", NULL);
        ck_assert_int_eq(k->kind, MG_TEST_RATIO);
        ck_assert_double_eq_tol(k->estimate, exp(-gap_of(lest)), 1e-14);
        ck_assert_msg(fabs(k->ci_low - exp(-hi)) < 1e-12 &&
                          fabs(k->ci_high - exp(-lo)) < 1e-12,
                      "ratio [%.17g, %.17g], naive [%.17g, %.17g]", k->ci_low,
                      k->ci_high, exp(-hi), exp(-lo));
    }

    /* vs_overall: each slice's recall minus the whole set's, percentile interval
     * at two-sided 90 %. */
    for (int g = 0; g < GROUPS; g++) {
        char slice[32];
        snprintf(slice, sizeof slice, "region=%c", 'a' + g);
        k = find(r, "overall", slice);
        ck_assert_ptr_nonnull(k);
        ck_assert_int_eq(k->kind, MG_TEST_VS_OVERALL);
        ck_assert_double_eq_tol(k->delta, est[0][0][g] - value(one, 0, -1, 0), 1e-14);
        for (int b = 0; b < B; b++)
            d[b] = rep[0][0][g][b] - all[0][b];
        lo = quantile(d, B, 0.05);
        hi = quantile(d, B, 0.95);
        ck_assert_msg(fabs(k->delta_ci_low - lo) < 1e-12 &&
                          fabs(k->delta_ci_high - hi) < 1e-12,
                      "%s [%.17g, %.17g], naive [%.17g, %.17g]", slice, k->delta_ci_low,
                      k->delta_ci_high, lo, hi);
        ck_assert_int_eq(k->outcome, lo >= -0.05 ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL);
    }

    /* The candidate's gap against the champion's: Δ = champion's − candidate's. */
    k = find(r, "wider", NULL);
    ck_assert(k->has_delta);
    ck_assert_double_eq_tol(k->delta, gap_of(est[1][0]) - gap_of(est[0][0]), 1e-14);
    for (int b = 0; b < B; b++) {
        double gc[GROUPS], gb[GROUPS];
        for (int g = 0; g < GROUPS; g++)
            gc[g] = rep[0][0][g][b], gb[g] = rep[1][0][g][b];
        d[b] = gap_of(gb) - gap_of(gc);
    }
    lo = quantile(d, B, 0.05);
    hi = quantile(d, B, 0.95);
    ck_assert_msg(fabs(k->delta_ci_low - lo) < 1e-12 &&
                      fabs(k->delta_ci_high - hi) < 1e-12,
                  "wider [%.17g, %.17g], naive [%.17g, %.17g]", k->delta_ci_low,
                  k->delta_ci_high, lo, hi);
    ck_assert_int_eq(k->outcome, lo >= 0 ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL);
    mg_report_free(r);
    mg_suite_free(suite);
}
END_TEST

/* Slices too small are left out and counted; a ratio with a slice at 0 has no
 * interval; one standing slice is a skip. */
START_TEST(left_out_and_zero)
{
    const char *dir = tu_scratch_dir("gaps-edge");
    char csv[8192], text[2048], path[4200];
    size_t used = 0;
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    const mg_case *k;
    uint64_t seed = 3;

    used += (size_t)snprintf(csv, sizeof csv, "g,y,s\n");
    /* a, b, c: 60 rows each; d: 8 rows; e: 60 rows all scored 0.1 */
    for (int g = 0; g < 5; g++)
        for (int i = 0; i < (g == 3 ? 8 : 60); i++) {
            int y = (int)(lcg(&seed) % 2);
            double sc = g == 4 ? 0.1 : (double)(lcg(&seed) % 100) / 100;
            used += (size_t)snprintf(csv + used, sizeof csv - used, "%c,%d,%.2f\n",
                                     'a' + g, y, sc);
        }
    snprintf(
        text, sizeof text,
        "suite: edge\ntask: binary\n"
        "data: {holdout: %s, label: y, positive: \"1\"}\n"
        "models: {candidate: {score: s}}\n"
        "bootstrap: {replicates: 500, seed: 1}\n"
        "slices: {g: g}\n"
        "tests:\n"
        "  - {name: gap, metric: positive_rate, slices: g, max_gap: 1, min_size: 20}\n"
        "  - {name: ratio, metric: positive_rate, slices: g, min_ratio: 0.8,"
        " min_size: 20}\n"
        "  - {name: lenient ratio, metric: positive_rate, slices: g, min_ratio: 0.8,"
        " min_size: 20, rule: lenient}\n"
        "  - {name: estimate ratio, metric: positive_rate, slices: g,"
        " min_ratio: 0.8, min_size: 20, rule: estimate}\n"
        "  - {name: lonely, metric: positive_rate, slices: g, max_gap: 1,"
        " min_size: 61}\n",
        tu_write(dir, "holdout.csv", csv));
    snprintf(path, sizeof path, "%s", tu_write(dir, "suite.yaml", text));
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, NULL, &err) == 0, "%s", err.message);

    /* d (8 rows) is left out; a, b, c, e stand; e's positive rate is 0 */
    k = find(r, "gap", NULL);
    ck_assert_uint_eq(k->gap_slices, 4);
    ck_assert_uint_eq(k->gap_left_out, 1);
    ck_assert_str_eq(k->gap_low, "g=e");
    ck_assert_double_eq(k->gap_low_value, 0);
    ck_assert_int_eq(k->status, MG_STATUS_DECIDED);
    ck_assert_int_eq(k->outcome, MG_OUTCOME_PASS); /* a gap of at most 1 */
    ck_assert_uint_eq(k->n, 240);
    ck_assert_ptr_nonnull(strstr(k->message, "1 too small or undefined left out"));

    k = find(r, "ratio", NULL);
    ck_assert_double_eq(k->estimate, 0);
    ck_assert_int_eq(k->status, MG_STATUS_NO_EVIDENCE);
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_msg(strstr(k->message, "positive_rate is 0 on g=e"), "%s", k->message);
    ck_assert_int_eq(find(r, "lenient ratio", NULL)->outcome, MG_OUTCOME_PASS);
    k = find(r, "estimate ratio", NULL);
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_int_eq(k->checks[0].bound, MG_BOUND_ESTIMATE);

    /* min_size 61: no slice stands, so there is no gap to test */
    k = find(r, "lonely", NULL);
    ck_assert_int_eq(k->status, MG_STATUS_TOO_SMALL);
    ck_assert_int_eq(k->outcome, MG_OUTCOME_SKIP);
    ck_assert_msg(strstr(k->message, "only 0 slices are large enough"), "%s",
                  k->message);
    mg_report_free(r);
    mg_suite_free(suite);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gaps");
    TCase *tc = tcase_create("reference");
    TCase *edge = tcase_create("edge");
    tcase_add_test(tc, against_naive_replicates);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    tcase_add_test(edge, left_out_and_zero);
    suite_add_tcase(s, edge);
    return tu_run(s);
}
