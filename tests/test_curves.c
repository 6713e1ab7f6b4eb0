/*
 * ROC and precision-recall curves with pointwise bands (stats/curves.c, the
 * engine's curve counts, and what mg_run_suite puts in the report with
 * with_plots).
 *
 * reference: the curves of scikit-learn's breast cancer data with an ordinal score
 *            (tests/reference/make_band_reference.py), read at the same grid;
 * core:      the grid reader against a naive segment search on random curves; every
 *            band holds its curve; the report's curves on the churn example;
 * edge:      a curve without positives, or without replicates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "stats/curves.h"
#include "stats/engine.h"
#include "testutil.h"

#include "reference/bands_sklearn.h"

typedef struct data {
    size_t n;
    unsigned char *label;
    double *score;
    const double *scores[1];
    double threshold;
    mg__dataset d;
} data;

static void breast_cancer(data *x)
{
    FILE *f = fopen(tu_src("tests/data/curves/breast_cancer.csv"), "r");
    char line[128];
    int id, y;
    double s;

    ck_assert(f != NULL);
    memset(x, 0, sizeof *x);
    x->label = malloc(1000);
    x->score = malloc(1000 * sizeof *x->score);
    ck_assert(fgets(line, sizeof line, f) != NULL); /* header */
    while (fscanf(f, "%d,%d,%lf", &id, &y, &s) == 3) {
        ck_assert(x->n < 1000);
        x->label[x->n] = (unsigned char)y;
        x->score[x->n++] = s;
    }
    fclose(f);
    ck_assert_uint_eq(x->n, 569);
    x->scores[0] = x->score;
    x->threshold = 0.1;
    x->d = (mg__dataset){.n = x->n,
                         .label = x->label,
                         .nmodels = 1,
                         .score = x->scores,
                         .threshold = &x->threshold};
}

static void data_free(data *x)
{
    free(x->label);
    free(x->score);
}

static mg__engine *run_engine(const data *x, size_t replicates, size_t thresholds)
{
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    o.replicates = replicates;
    o.seed = 11;
    o.threads = 2;
    o.curve_thresholds = thresholds;
    ck_assert_msg(mg__engine_run(&e, &x->d, &o, &err) == 0, "%s", err.message);
    return e;
}

START_TEST(reference_breast_cancer)
{
    data x;
    mg__engine *e;
    mg__curve_band roc, pr;
    const double *thr;

    breast_cancer(&x);
    e = run_engine(&x, 0, 256);
    ck_assert_uint_eq(mg__engine_curve_thresholds(e, 0, &thr), ref_distinct);
    ck_assert_int_eq(mg__curve_band_compute(&roc, e, 0, MG__CURVE_ROC, 0.95), 0);
    ck_assert_int_eq(mg__curve_band_compute(&pr, e, 0, MG__CURVE_PR, 0.95), 0);
    ck_assert(roc.defined && pr.defined && !roc.has_band && !pr.has_band);
    ck_assert_uint_eq(roc.npoints, 101);
    ck_assert_uint_eq(pr.npoints, 100);
    for (size_t j = 0; j < 101; j++)
        ck_assert_msg(tu_close(roc.y[j], ref_roc[j], 1e-12),
                      "ROC at %g: %.17g vs %.17g", roc.x[j], roc.y[j], ref_roc[j]);
    for (size_t j = 0; j < 100; j++)
        ck_assert_msg(tu_close(pr.y[j], ref_pr[j], 1e-12), "PR at %g: %.17g vs %.17g",
                      pr.x[j], pr.y[j], ref_pr[j]);
    mg__curve_band_free(&roc);
    mg__curve_band_free(&pr);
    mg__engine_free(e);
    data_free(&x);
}
END_TEST

/* The curve at x by brute force: every vertex and segment that reaches x. */
static double naive_roc(const double *c, size_t k, double x)
{
    double P = c[2 * (k - 1)], N = c[2 * (k - 1) + 1], best = -1;
    for (size_t v = 0; v <= k; v++) {
        double x0 = v ? c[2 * (v - 1) + 1] / N : 0, y0 = v ? c[2 * (v - 1)] / P : 0;
        if (x0 == x && y0 > best)
            best = y0;
        if (v < k) {
            double x1 = c[2 * v + 1] / N, y1 = c[2 * v] / P;
            if (x0 < x && x < x1) {
                double y = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
                if (y > best)
                    best = y;
            }
        }
    }
    return best;
}

static double naive_pr(const double *c, size_t k, double r)
{
    double P = c[2 * (k - 1)], t = r * P;
    for (size_t v = 0; v < k; v++) {
        double tp0 = v ? c[2 * (v - 1)] : 0, fp0 = v ? c[2 * (v - 1) + 1] : 0;
        double tp1 = c[2 * v], fp1 = c[2 * v + 1];
        if (tp0 < t && t <= tp1) {
            double fp = fp0 + (t - tp0) * (fp1 - fp0) / (tp1 - tp0);
            return t / (t + fp);
        }
    }
    return -1;
}

START_TEST(core_grid_matches_naive)
{
    uint64_t s = 42;
    double xs[101], rs[100], c[2 * 40], ys[101];
    for (size_t j = 0; j < 101; j++)
        xs[j] = j / 100.0;
    for (size_t j = 0; j < 100; j++)
        rs[j] = (j + 1) / 100.0;
    for (int trial = 0; trial < 300; trial++) {
        size_t k = 1 + trial % 40;
        double tp = 0, fp = 0;
        for (size_t g = 0; g < k; g++) {
            /* Bins with 0 to 3 positives and negatives, some empty: vertical and
             * horizontal runs and repeated vertices. */
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            tp += (double)((s >> 33) % 4);
            fp += (double)((s >> 40) % 4);
            c[2 * g] = tp;
            c[2 * g + 1] = fp;
        }
        if (tp == 0 || fp == 0) {
            ck_assert_int_eq(mg__curve_on_grid(c, k, MG__CURVE_ROC, xs, 101, ys),
                             MG_ENUMERIC);
            continue;
        }
        ck_assert_int_eq(mg__curve_on_grid(c, k, MG__CURVE_ROC, xs, 101, ys), 0);
        for (size_t j = 0; j < 101; j++)
            ck_assert_msg(tu_close(ys[j], naive_roc(c, k, xs[j]), 1e-12),
                          "trial %d ROC at %g: %.17g vs %.17g", trial, xs[j], ys[j],
                          naive_roc(c, k, xs[j]));
        ck_assert_int_eq(mg__curve_on_grid(c, k, MG__CURVE_PR, rs, 100, ys), 0);
        for (size_t j = 0; j < 100; j++)
            ck_assert_msg(tu_close(ys[j], naive_pr(c, k, rs[j]), 1e-12),
                          "trial %d PR at %g: %.17g vs %.17g", trial, rs[j], ys[j],
                          naive_pr(c, k, rs[j]));
    }
}
END_TEST

static void assert_band_holds_curve(const mg__curve_band *b, const char *what)
{
    ck_assert_msg(b->defined && b->has_band, "%s: %s", what, b->reason);
    for (size_t j = 0; j < b->npoints; j++) {
        ck_assert_msg(b->low[j] <= b->y[j] && b->y[j] <= b->high[j],
                      "%s at %g: %.6f outside [%.6f, %.6f]", what, b->x[j], b->y[j],
                      b->low[j], b->high[j]);
        ck_assert(b->low[j] >= 0 && b->high[j] <= 1);
    }
}

START_TEST(core_bands_hold_the_curve)
{
    data x;
    mg__engine *e;
    mg__curve_band roc, pr;

    breast_cancer(&x);
    e = run_engine(&x, 1000, 256);
    ck_assert_int_eq(mg__curve_band_compute(&roc, e, 0, MG__CURVE_ROC, 0.95), 0);
    ck_assert_int_eq(mg__curve_band_compute(&pr, e, 0, MG__CURVE_PR, 0.95), 0);
    ck_assert_uint_eq(roc.used, 1000);
    assert_band_holds_curve(&roc, "ROC");
    assert_band_holds_curve(&pr, "PR");
    /* A wider level gives a wider band. */
    {
        mg__curve_band wide;
        ck_assert_int_eq(mg__curve_band_compute(&wide, e, 0, MG__CURVE_ROC, 0.99), 0);
        for (size_t j = 0; j < roc.npoints; j++)
            ck_assert(wide.low[j] <= roc.low[j] && wide.high[j] >= roc.high[j]);
        mg__curve_band_free(&wide);
    }
    mg__curve_band_free(&roc);
    mg__curve_band_free(&pr);
    mg__engine_free(e);
    data_free(&x);
}
END_TEST

/* What the report holds with with_plots, on the churn example. */
START_TEST(core_report_curves)
{
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;

    ck_assert_msg(mg_suite_load(&suite, tu_src("examples/churn/suite.yaml"), &err) == 0,
                  "%s", err.message);
    o.replicates = 500;
    o.with_plots = 1;
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(r->ncurves, 4);
    for (size_t i = 0; i < 4; i++) {
        const mg_curve *c = &r->curves[i];
        mg__curve_band b = {.npoints = c->npoints,
                            .x = c->x,
                            .y = c->y,
                            .low = c->low,
                            .high = c->high,
                            .defined = 1,
                            .has_band = c->has_band};
        ck_assert_int_eq(c->kind, i < 2 ? MG_CURVE_ROC : MG_CURVE_PR);
        ck_assert_str_eq(c->model, i % 2 ? "champion" : "candidate");
        ck_assert_uint_eq(c->replicates_used, 500);
        ck_assert(c->has_area && c->has_operating_point && c->reason == NULL);
        ck_assert_double_eq(c->threshold, 0.5);
        assert_band_holds_curve(&b, c->model);
        /* The operating point lies on the curve, up to the grid's resolution. */
        for (size_t j = 0; j + 1 < c->npoints; j++)
            if (c->x[j] <= c->operating_x && c->operating_x <= c->x[j + 1])
                ck_assert_msg(fabs(c->operating_y - c->y[j]) < 0.03 ||
                                  fabs(c->operating_y - c->y[j + 1]) < 0.03,
                              "%s: operating point %g, %g off the curve", c->model,
                              c->operating_x, c->operating_y);
        if (c->kind == MG_CURVE_ROC) {
            /* The area under the grid's curve is close to the AUC. */
            double area = 0;
            for (size_t j = 0; j + 1 < c->npoints; j++)
                area += (c->x[j + 1] - c->x[j]) * (c->y[j] + c->y[j + 1]) / 2;
            ck_assert_msg(fabs(area - c->area) < 0.01, "area %g vs AUC %g", area,
                          c->area);
        }
    }
    /* The sliced test's cases have both models as peers, each interval at the
     * case's level; the model under test's is the case's own. */
    for (size_t i = 0; i < r->ncases; i++) {
        const mg_case *k = &r->cases[i];
        if (k->slicing == NULL ||
            k->kind == MG_TEST_DRIFT) { /* a drift case: a column */
            ck_assert_ptr_null(k->peers);
            continue;
        }
        ck_assert_uint_eq(k->npeers, 2);
        ck_assert_str_eq(k->peers[0].model, "candidate");
        ck_assert_str_eq(k->peers[1].model, "champion");
        ck_assert(k->peers[0].has_ci && k->peers[1].has_ci);
        ck_assert_double_eq(k->peers[0].estimate, k->estimate);
        ck_assert_double_eq(k->peers[0].ci_low, k->ci_low);
        ck_assert_double_eq(k->peers[0].ci_high, k->ci_high);
    }
    mg_report_free(r);
    /* Without with_plots the report has neither. */
    o.with_plots = 0;
    ck_assert(mg_run_suite(&r, suite, &o, &err) == 0);
    ck_assert_uint_eq(r->ncurves, 0);
    for (size_t i = 0; i < r->ncases; i++)
        ck_assert_ptr_null(r->cases[i].peers);
    mg_report_free(r);
    mg_suite_free(suite);
}
END_TEST

START_TEST(edge_no_positives_no_replicates)
{
    data x;
    mg__engine *e;
    mg__curve_band b;

    breast_cancer(&x);
    memset(x.label, 0, x.n);
    e = run_engine(&x, 50, 256);
    ck_assert_int_eq(mg__curve_band_compute(&b, e, 0, MG__CURVE_PR, 0.95), 0);
    ck_assert(!b.defined && !b.has_band && b.reason[0] != '\0');
    mg__curve_band_free(&b);
    mg__engine_free(e);
    data_free(&x);

    /* 50 replicates cannot resolve a 95% band (5 beyond each end needs 400). */
    breast_cancer(&x);
    e = run_engine(&x, 50, 256);
    ck_assert_int_eq(mg__curve_band_compute(&b, e, 0, MG__CURVE_ROC, 0.95), 0);
    ck_assert(b.defined && !b.has_band && strstr(b.reason, "too few") != NULL);
    mg__curve_band_free(&b);
    mg__engine_free(e);
    data_free(&x);
}
END_TEST

static Suite *curves_suite(void)
{
    Suite *s = suite_create("curves");
    TCase *ref = tcase_create("reference"), *core = tcase_create("core"),
          *edge = tcase_create("edge");
    tcase_add_test(ref, reference_breast_cancer);
    tcase_add_test(core, core_grid_matches_naive);
    tcase_add_test(core, core_bands_hold_the_curve);
    tcase_add_test(core, core_report_curves);
    tcase_add_test(edge, edge_no_positives_no_replicates);
    tcase_set_timeout(core, 120);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}

int main(void)
{
    return tu_run(curves_suite());
}
