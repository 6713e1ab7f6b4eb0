/*
 * Tests of the bootstrap engine and the metric kernels.
 *
 * reference: every metric, model and slice of the churn example and of a tiny tied
 *   data set against scikit-learn (tests/reference/make_sklearn_reference.py); the
 *   same on every kind of slicing, quantile bins (of a tied and of continuous
 *   columns), groups, filters and crosses (tests/reference/make_slices_reference.py).
 * oracle: the engine's replicates against a naive computation from per-row weights
 *   (O(n²) pair counts for the AUC, a fresh sort for average precision) with the
 *   same draws (confusion counts both from the row pass and from the atoms); its
 *   closed-form jackknife against brute-force leave-one-out.
 * properties: identical output for any thread count; a model paired with an
 *   identical copy of itself differs by exactly 0 in every replicate; atom counts
 *   have the moments of row resampling. (Invariance: tests/test_invariance.c.)
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "reference/churn_sklearn.h"
#include "reference/slicings_sklearn.h"
#include "stats/engine.h"
#include "testutil.h"

/* ---- reference ------------------------------------------------------------------- */

/* Every reference entry has modelgate's value; with sliced_only the reference
 * lists exactly modelgate's slices (and no overall entries). */
static void check_reference(const char *suite_path, const mg_ref_entry *ref,
                            size_t nref, double tol, int sliced_only)
{
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    size_t matched = 0;

    o.mode = MG_RUN_METRICS;
    o.replicates = 16;
    ck_assert_msg(mg_suite_load(&suite, suite_path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s", err.message);
    for (size_t i = 0; i < nref; i++) {
        const mg_ref_entry *e = &ref[i];
        const mg_metric_entry *found = NULL;
        for (size_t j = 0; j < r->nmetrics && !found; j++) {
            const mg_metric_entry *m = &r->metrics[j];
            if (strcmp(m->model, e->model) == 0 && strcmp(m->metric, e->metric) == 0 &&
                strcmp(m->slice, e->slice) == 0 &&
                ((m->slicing == NULL && e->slicing == NULL) ||
                 (m->slicing && e->slicing && strcmp(m->slicing, e->slicing) == 0)))
                found = m;
        }
        ck_assert_msg(found != NULL, "no entry for %s %s %s", e->model, e->slice,
                      e->metric);
        ck_assert_msg(found->has_estimate == e->defined, "%s %s %s: defined %d vs %d",
                      e->model, e->slice, e->metric, found->has_estimate, e->defined);
        if (e->defined)
            ck_assert_msg(tu_close(found->estimate, e->value, tol),
                          "%s %s %s: %.17g vs scikit-learn %.17g", e->model, e->slice,
                          e->metric, found->estimate, e->value);
        else
            ck_assert_ptr_nonnull(found->reason);
        matched++;
    }
    ck_assert_uint_eq(matched, nref);
    if (sliced_only) {
        /* Every slice modelgate made is one the reference made too. */
        size_t sliced = 0;
        for (size_t j = 0; j < r->nmetrics; j++)
            sliced += r->metrics[j].slicing != NULL;
        ck_assert_uint_eq(sliced, nref);
    }
    mg_report_free(r);
    mg_suite_free(suite);
}

START_TEST(reference_churn)
{
    check_reference(tu_src("examples/churn/suite.yaml"), mg_ref_churn,
                    MG_REF_CHURN_COUNT, 1e-12, 0);
}
END_TEST

START_TEST(reference_tiny)
{
    check_reference(tu_src("tests/data/engine/tiny.yaml"), mg_ref_tiny,
                    sizeof mg_ref_tiny / sizeof mg_ref_tiny[0], 1e-12, 0);
}
END_TEST

/* Quantile bins, groups, filters and crosses of slicings to depth four. */
START_TEST(reference_slicings)
{
    check_reference(tu_src("tests/data/engine/slicings.yaml"), mg_ref_slicings,
                    MG_REF_SLICINGS_COUNT, 1e-12, 1);
}
END_TEST

/* Quantile bins of continuous columns (few ties), alone, filtered and crossed. */
START_TEST(reference_quantiles_continuous)
{
    check_reference(tu_src("tests/data/engine/cancer.yaml"), mg_ref_cancer,
                    MG_REF_CANCER_COUNT, 1e-12, 1);
}
END_TEST

/* ---- a synthetic data set with ties, two models and two slicings ----------------- */

typedef struct synth {
    size_t n;
    unsigned char *label;
    double *score[3];
    const double *scores[3];
    double threshold[3];
    uint32_t *code[2];
    const uint32_t *codes[2];
    size_t nlevels[2];
    uint32_t *cluster;
    mg__dataset d;
} synth;

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void synth_make(synth *y, size_t n, uint64_t seed, int copy_model)
{
    memset(y, 0, sizeof *y);
    y->n = n;
    y->label = malloc(n);
    for (int m = 0; m < 3; m++)
        y->score[m] = malloc(n * sizeof(double));
    y->code[0] = malloc(n * sizeof(uint32_t));
    y->code[1] = malloc(n * sizeof(uint32_t));
    y->cluster = malloc(n * sizeof(uint32_t));
    y->nlevels[0] = 3;
    y->nlevels[1] = 2;
    for (size_t i = 0; i < n; i++) {
        int lab = lcg(&seed) % 3 == 0;
        y->label[i] = (unsigned char)lab;
        /* Rounded to one decimal: many ties, across classes too. */
        y->score[0][i] =
            round(((lcg(&seed) % 1000) / 1000.0 * 0.7 + 0.3 * lab) * 10) / 10;
        y->score[1][i] =
            round(((lcg(&seed) % 1000) / 1000.0 * 0.8 + 0.2 * lab) * 20) / 20;
        y->score[2][i] = y->score[0][i];
        y->code[0][i] = (uint32_t)(lcg(&seed) % 3);
        y->code[1][i] = (uint32_t)(lcg(&seed) % 2);
        y->cluster[i] = (uint32_t)(i / 3);
    }
    for (int m = 0; m < 3; m++) {
        y->scores[m] = y->score[m];
        y->threshold[m] = 0.5;
    }
    y->codes[0] = y->code[0];
    y->codes[1] = y->code[1];
    y->d = (mg__dataset){n,   y->label, copy_model ? 3 : 2, y->scores, y->threshold,
                         2,   y->codes, y->nlevels,         NULL,      0,
                         NULL};
}

static void synth_free(synth *y)
{
    free(y->label);
    for (int m = 0; m < 3; m++)
        free(y->score[m]);
    free(y->code[0]);
    free(y->code[1]);
    free(y->cluster);
}

/* Does row i belong to global slice s? (0 overall, 1..3 slicing 0, 4..5 slicing 1) */
static int in_slice(const synth *y, size_t i, size_t s)
{
    if (s == 0)
        return 1;
    if (s <= 3)
        return y->code[0][i] == s - 1;
    return y->code[1][i] == s - 4;
}

typedef struct wrow {
    double score, w;
    int label;
} wrow;

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const wrow *)a)->score, z = ((const wrow *)b)->score;
    return (x < z) - (x > z);
}

/* Statistics from per-row weights, computed the slow, obvious way. */
static void naive_stats(const synth *y, size_t m, size_t s, const double *w,
                        mg_binary_stats *out)
{
    wrow *rows = malloc(y->n * sizeof *rows);
    size_t k = 0;
    double tp = 0, fp = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < y->n; i++) {
        double sc = y->score[m][i];
        int lab = y->label[i], pred = sc >= 0.5;
        if (!in_slice(y, i, s) || w[i] == 0)
            continue;
        rows[k++] = (wrow){sc, w[i], lab};
        if (lab)
            out->pos += w[i];
        else
            out->neg += w[i];
        if (lab && pred)
            out->tp += w[i];
        else if (lab)
            out->fn += w[i];
        else if (pred)
            out->fp += w[i];
        else
            out->tn += w[i];
        out->log_loss_sum += w[i] * mg_metric_row_log_loss(sc, lab);
        out->brier_sum += w[i] * mg_metric_row_brier(sc, lab);
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            if (rows[a].label && !rows[b].label)
                out->auc_u += rows[a].w * rows[b].w *
                              (rows[a].score > rows[b].score    ? 1.0
                               : rows[a].score == rows[b].score ? 0.5
                                                                : 0.0);
    qsort(rows, k, sizeof *rows, by_score_desc);
    for (size_t a = 0; a < k;) {
        size_t b = a;
        double gp = 0, gn = 0;
        while (b < k && rows[b].score == rows[a].score) {
            if (rows[b].label)
                gp += rows[b].w;
            else
                gn += rows[b].w;
            b++;
        }
        tp += gp;
        fp += gn;
        if (gp > 0)
            out->ap_sum += gp * tp / (tp + fp);
        a = b;
    }
    free(rows);
}

static void assert_stats_close(const mg_binary_stats *a, const mg_binary_stats *b,
                               int confusion, const char *where)
{
    const double *x = (const double *)a, *z = (const double *)b;
    for (size_t f = confusion ? 0 : 4; f < sizeof *a / sizeof(double); f++)
        ck_assert_msg(tu_close(x[f], z[f], 1e-9), "%s: field %zu: %.17g vs naive %.17g",
                      where, f, x[f], z[f]);
}

static void oracle(mg__engine_stratify stratify, mg__engine_resampler resampler,
                   int clustered)
{
    synth y;
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    double *w;
    char where[96];

    synth_make(&y, 150, 11, 0);
    if (clustered) {
        y.d.cluster = y.cluster;
        y.d.nclusters = 50;
    }
    o.replicates = 20;
    o.seed = 99;
    o.threads = 2;
    o.need_rank = 1;
    o.stratify = stratify;
    o.resampler = resampler;
    o.row_confusion = 1;
    ck_assert_msg(mg__engine_run(&e, &y.d, &o, &err) == 0, "%s", err.message);
    w = malloc(y.n * sizeof *w);
    for (size_t b = 0; b < o.replicates; b++) {
        double total = 0, pos = 0;
        ck_assert(mg__engine_row_weights(&y.d, &o, b, w, &err) == 0);
        for (size_t i = 0; i < y.n; i++)
            total += w[i], pos += y.label[i] * w[i];
        if (resampler == MG__ENGINE_MULTINOMIAL && !clustered)
            ck_assert_double_eq(total, (double)y.n);
        if (stratify == MG__ENGINE_STRATIFY_LABEL) {
            double npos = 0;
            for (size_t i = 0; i < y.n; i++)
                npos += y.label[i];
            ck_assert_double_eq(pos, npos);
        }
        for (size_t m = 0; m < 2; m++)
            for (size_t s = 0; s < 6; s++) {
                mg_binary_stats naive;
                naive_stats(&y, m, s, w, &naive);
                snprintf(where, sizeof where, "replicate %zu model %zu slice %zu", b, m,
                         s);
                assert_stats_close(mg__engine_replicate(e, b, m, s), &naive, 1, where);
            }
    }
    /* Point estimates: all weights 1. */
    for (size_t i = 0; i < y.n; i++)
        w[i] = 1;
    for (size_t m = 0; m < 2; m++)
        for (size_t s = 0; s < 6; s++) {
            mg_binary_stats naive;
            naive_stats(&y, m, s, w, &naive);
            assert_stats_close(mg__engine_estimate(e, m, s), &naive, 1, "estimate");
        }
    /* The same draws with the confusion counts from the atoms instead. */
    mg__engine_free(e);
    o.row_confusion = 0;
    ck_assert_msg(mg__engine_run(&e, &y.d, &o, &err) == 0, "%s", err.message);
    for (size_t b = 0; b < o.replicates; b++) {
        ck_assert(mg__engine_row_weights(&y.d, &o, b, w, &err) == 0);
        for (size_t m = 0; m < 2; m++)
            for (size_t s = 0; s < 6; s++) {
                mg_binary_stats naive;
                naive_stats(&y, m, s, w, &naive);
                snprintf(where, sizeof where,
                         "atoms: replicate %zu model %zu slice %zu", b, m, s);
                assert_stats_close(mg__engine_replicate(e, b, m, s), &naive, 1, where);
            }
    }
    free(w);
    mg__engine_free(e);
    synth_free(&y);
}

START_TEST(oracle_multinomial)
{
    oracle(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_MULTINOMIAL, 0);
}
END_TEST

START_TEST(oracle_stratified)
{
    oracle(MG__ENGINE_STRATIFY_LABEL, MG__ENGINE_MULTINOMIAL, 0);
}
END_TEST

START_TEST(oracle_poisson)
{
    oracle(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_POISSON, 0);
}
END_TEST

START_TEST(oracle_cluster)
{
    oracle(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_MULTINOMIAL, 1);
}
END_TEST

/*
 * Curve counts: for every replicate and the holdout set, the weighted positives and
 * negatives at or above each grid threshold, against a sum over rows with the
 * replicate's row weights; with few thresholds (the scores binned) and with more
 * than the distinct scores (every score a threshold), for every resampler.
 */
static void oracle_curve_counts(mg__engine_stratify stratify,
                                mg__engine_resampler resampler, int clustered,
                                size_t thresholds)
{
    synth y;
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    double *w;

    synth_make(&y, 150, 5, 0);
    if (clustered) {
        y.d.cluster = y.cluster;
        y.d.nclusters = 50;
    }
    o.replicates = 17;
    o.seed = 4;
    o.threads = 2;
    o.stratify = stratify;
    o.resampler = resampler;
    o.curve_thresholds = thresholds;
    ck_assert_msg(mg__engine_run(&e, &y.d, &o, &err) == 0, "%s", err.message);
    w = malloc(y.n * sizeof *w);
    for (long b = -1; b < (long)o.replicates; b++) {
        if (b < 0)
            for (size_t i = 0; i < y.n; i++)
                w[i] = 1;
        else
            ck_assert(mg__engine_row_weights(&y.d, &o, (size_t)b, w, &err) == 0);
        for (size_t m = 0; m < 2; m++) {
            const double *thr, *c = mg__engine_curve(e, b, m);
            size_t k = mg__engine_curve_thresholds(e, m, &thr);
            double lowest = y.score[m][0];
            ck_assert(k >= 2 && k <= thresholds);
            for (size_t i = 0; i < y.n; i++)
                if (y.score[m][i] < lowest)
                    lowest = y.score[m][i];
            ck_assert_double_eq(thr[k - 1], lowest);
            for (size_t g = 0; g < k; g++) {
                double pos = 0, neg = 0;
                if (g > 0)
                    ck_assert(thr[g] < thr[g - 1]);
                for (size_t i = 0; i < y.n; i++)
                    if (y.score[m][i] >= thr[g]) {
                        pos += y.label[i] ? w[i] : 0;
                        neg += y.label[i] ? 0 : w[i];
                    }
                ck_assert_msg(c[2 * g] == pos && c[2 * g + 1] == neg,
                              "replicate %ld model %zu threshold %zu: %g, %g vs naive "
                              "%g, %g",
                              b, m, g, c[2 * g], c[2 * g + 1], pos, neg);
            }
        }
    }
    free(w);
    mg__engine_free(e);
    synth_free(&y);
}

START_TEST(oracle_curves)
{
    for (size_t t = 0; t < 2; t++) {
        size_t thresholds = t == 0 ? 6 : 4096;
        oracle_curve_counts(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_MULTINOMIAL, 0,
                            thresholds);
        oracle_curve_counts(MG__ENGINE_STRATIFY_LABEL, MG__ENGINE_MULTINOMIAL, 0,
                            thresholds);
        oracle_curve_counts(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_POISSON, 0,
                            thresholds);
        oracle_curve_counts(MG__ENGINE_STRATIFY_NONE, MG__ENGINE_MULTINOMIAL, 1,
                            thresholds);
    }
}
END_TEST

/*
 * Brute-force jackknife: for every unit (a row, or a cluster of rows), recompute
 * every metric without it and compare the power sums of the deviations, for each
 * model and for the pair, with the engine's closed forms.
 */
static void brute_jackknife(synth *y, const uint32_t *unit, size_t nunits)
{
    size_t pairs[1][2] = {{0, 1}};
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    double *w = malloc(y->n * sizeof *w);

    o.threads = 1;
    o.need_rank = 1;
    o.npairs = 1;
    o.pairs = (const size_t(*)[2])pairs;
    ck_assert_msg(mg__engine_run(&e, &y->d, &o, &err) == 0, "%s", err.message);
    for (size_t s = 0; s < 6; s++)
        for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
            double v0[2], sums[3][4] = {{0}};
            int def0[2];
            for (size_t m = 0; m < 2; m++) {
                mg_binary_stats st;
                for (size_t i = 0; i < y->n; i++)
                    w[i] = 1;
                naive_stats(y, m, s, w, &st);
                def0[m] = mg_metric_value(mt, &st, &v0[m], NULL) == 0;
            }
            for (size_t u = 0; u < nunits; u++) {
                double d[2];
                int ok[2];
                for (size_t q = 0; q < y->n; q++)
                    w[q] = (unit ? unit[q] : q) != u;
                for (size_t m = 0; m < 2; m++) {
                    mg_binary_stats st;
                    double v;
                    naive_stats(y, m, s, w, &st);
                    ok[m] = def0[m] && mg_metric_value(mt, &st, &v, NULL) == 0;
                    d[m] = ok[m] ? v - v0[m] : 0;
                    if (ok[m]) {
                        sums[m][0] += d[m];
                        sums[m][1] += d[m] * d[m];
                        sums[m][2] += d[m] * d[m] * d[m];
                    } else if (def0[m]) {
                        sums[m][3] += 1;
                    }
                }
                if (ok[0] && ok[1]) {
                    double dd = d[0] - d[1];
                    sums[2][0] += dd;
                    sums[2][1] += dd * dd;
                    sums[2][2] += dd * dd * dd;
                }
            }
            for (int who = 0; who < 3; who++) {
                const mg__jack *j = mg__engine_jack(e, who == 2 ? 0 : -1,
                                                    who == 2 ? 0 : (size_t)who, s, mt);
                ck_assert_double_eq(j->n, (double)nunits);
                if (unit != NULL && mt == MG_METRIC_AVERAGE_PRECISION) {
                    /* no closed form over clusters: reported, not approximated */
                    ck_assert_int_eq(j->unavailable, 1);
                    continue;
                }
                if ((who < 2 && !def0[who]) || (who == 2 && (!def0[0] || !def0[1])))
                    continue;
                ck_assert_int_eq(j->unavailable, 0);
                ck_assert_msg(fabs(j->s1 - sums[who][0]) <= 1e-10 &&
                                  fabs(j->s2 - sums[who][1]) <= 1e-12 &&
                                  fabs(j->s3 - sums[who][2]) <= 1e-13,
                              "%s slice %zu who %d: (%.10g %.10g %.10g) vs brute "
                              "(%.10g %.10g %.10g)",
                              mg_metric_name(mt), s, who, j->s1, j->s2, j->s3,
                              sums[who][0], sums[who][1], sums[who][2]);
                if (who < 2)
                    ck_assert_double_eq(j->undefined, sums[who][3]);
            }
        }
    free(w);
    mg__engine_free(e);
}

START_TEST(oracle_jackknife)
{
    synth y;
    synth_make(&y, 60, 5, 0);
    brute_jackknife(&y, NULL, y.n);
    synth_free(&y);
}
END_TEST

START_TEST(oracle_cluster_jackknife)
{
    synth y;
    synth_make(&y, 60, 9, 0);
    y.d.cluster = y.cluster; /* three consecutive rows per cluster */
    y.d.nclusters = 20;
    brute_jackknife(&y, y.cluster, 20);
    synth_free(&y);
}
END_TEST

/* ---- properties --------------------------------------------------------------------
 */

START_TEST(threads_do_not_change_results)
{
    synth y;
    mg__engine_options o = {0};
    mg__engine *e1 = NULL, *e3 = NULL;
    mg_error err = MG_ERROR_INIT;

    synth_make(&y, 500, 21, 0);
    o.replicates = 37;
    o.seed = 7;
    o.need_rank = 1;
    o.curve_thresholds = 50;
    o.threads = 1;
    ck_assert(mg__engine_run(&e1, &y.d, &o, &err) == 0);
    o.threads = 3;
    ck_assert(mg__engine_run(&e3, &y.d, &o, &err) == 0);
    for (size_t b = 0; b < o.replicates; b++)
        for (size_t m = 0; m < 2; m++) {
            const double *thr;
            size_t k = mg__engine_curve_thresholds(e1, m, &thr);
            for (size_t s = 0; s < mg__engine_slices(e1); s++)
                ck_assert(memcmp(mg__engine_replicate(e1, b, m, s),
                                 mg__engine_replicate(e3, b, m, s),
                                 sizeof(mg_binary_stats)) == 0);
            ck_assert(memcmp(mg__engine_curve(e1, (long)b, m),
                             mg__engine_curve(e3, (long)b, m),
                             2 * k * sizeof(double)) == 0);
        }
    mg__engine_free(e1);
    mg__engine_free(e3);
    synth_free(&y);
}
END_TEST

START_TEST(copy_of_itself_differs_by_zero)
{
    synth y;
    size_t pairs[1][2] = {{0, 2}};
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;

    synth_make(&y, 300, 4, 1);
    o.replicates = 40;
    o.need_rank = 1;
    o.threads = 2;
    o.npairs = 1;
    o.pairs = (const size_t(*)[2])pairs;
    ck_assert(mg__engine_run(&e, &y.d, &o, &err) == 0);
    for (size_t b = 0; b < o.replicates; b++)
        for (size_t s = 0; s < mg__engine_slices(e); s++)
            for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                double v1, v2;
                int ok1 =
                    mg_metric_value(mt, mg__engine_replicate(e, b, 0, s), &v1, NULL);
                int ok2 =
                    mg_metric_value(mt, mg__engine_replicate(e, b, 2, s), &v2, NULL);
                ck_assert_int_eq(ok1, ok2);
                if (ok1 == 0)
                    ck_assert_double_eq(v1 - v2, 0.0);
            }
    for (size_t s = 0; s < mg__engine_slices(e); s++)
        for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
            const mg__jack *j = mg__engine_jack(e, 0, 0, s, mt);
            ck_assert_double_eq(j->s1, 0.0);
            ck_assert_double_eq(j->s2, 0.0);
        }
    mg__engine_free(e);
    synth_free(&y);
}
END_TEST

/* Atom counts summed from the row draw have the moments of resampling rows: tp in a
 * slice is Binomial(N, tp/N) in distribution, so its mean and variance must match. */
START_TEST(atom_moments)
{
    synth y;
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    const size_t B = 4000;

    synth_make(&y, 400, 8, 0);
    o.replicates = B;
    o.seed = 5;
    o.threads = 2;
    ck_assert(mg__engine_run(&e, &y.d, &o, &err) == 0);
    for (size_t s = 0; s < mg__engine_slices(e); s++) {
        double p = mg__engine_estimate(e, 0, s)->tp / (double)y.n;
        double mean = 0, var = 0, expect_var = y.n * p * (1 - p);
        for (size_t b = 0; b < B; b++)
            mean += mg__engine_replicate(e, b, 0, s)->tp;
        mean /= B;
        for (size_t b = 0; b < B; b++) {
            double dlt = mg__engine_replicate(e, b, 0, s)->tp - mean;
            var += dlt * dlt;
        }
        var /= B - 1;
        ck_assert_msg(fabs(mean - y.n * p) < 4 * sqrt(expect_var / B),
                      "slice %zu: mean %g vs %g", s, mean, y.n * p);
        ck_assert_msg(fabs(var / expect_var - 1) < 0.1, "slice %zu: var %g vs %g", s,
                      var, expect_var);
    }
    mg__engine_free(e);
    synth_free(&y);
}
END_TEST

/* Resampled row counts are Binomial(N, 1/N) for every row: mean 1, variance
 * 1 − 1/N, and no row or region of the blocked draw favoured. N = 10000 spans
 * three blocks (4096 rows each) and a partial one. */
START_TEST(row_counts_are_multinomial)
{
    synth y;
    mg__engine_options o = {0};
    mg_error err = MG_ERROR_INIT;
    const size_t B = 300, n = 10000;
    double *w, *sum, var = 0;

    synth_make(&y, n, 13, 0);
    o.seed = 17;
    o.need_rank = 1;
    w = malloc(n * sizeof *w);
    sum = calloc(n, sizeof *sum);
    for (size_t b = 0; b < B; b++) {
        double total = 0;
        ck_assert(mg__engine_row_weights(&y.d, &o, b, w, &err) == 0);
        for (size_t i = 0; i < n; i++) {
            total += w[i];
            sum[i] += w[i];
            var += (w[i] - 1) * (w[i] - 1);
        }
        ck_assert_double_eq(total, (double)n);
    }
    var /= (double)(B * n);
    ck_assert_msg(fabs(var / (1 - 1.0 / n) - 1) < 0.02, "variance %g", var);
    /* Each quarter of the rows gets a quarter of the draws, within 5 sd. */
    for (size_t q = 0; q < 4; q++) {
        double got = 0, expect = B * n / 4.0, sd = sqrt(expect * 0.75);
        for (size_t i = q * n / 4; i < (q + 1) * n / 4; i++)
            got += sum[i];
        ck_assert_msg(fabs(got - expect) < 5 * sd, "quarter %zu: %g vs %g", q, got,
                      expect);
    }
    free(w);
    free(sum);
    synth_free(&y);
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *ref = tcase_create("reference"), *orc = tcase_create("oracle");
    TCase *prop = tcase_create("core");
    tcase_add_test(ref, reference_churn);
    tcase_add_test(ref, reference_tiny);
    tcase_add_test(ref, reference_slicings);
    tcase_add_test(ref, reference_quantiles_continuous);
    tcase_add_test(orc, oracle_multinomial);
    tcase_add_test(orc, oracle_stratified);
    tcase_add_test(orc, oracle_poisson);
    tcase_add_test(orc, oracle_cluster);
    tcase_add_test(orc, oracle_jackknife);
    tcase_add_test(orc, oracle_cluster_jackknife);
    tcase_add_test(orc, oracle_curves);
    tcase_add_test(prop, threads_do_not_change_results);
    tcase_add_test(prop, copy_of_itself_differs_by_zero);
    tcase_add_test(prop, atom_moments);
    tcase_add_test(prop, row_counts_are_multinomial);
    tcase_set_timeout(orc, 120);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, orc);
    suite_add_tcase(s, prop);
    return s;
}

int main(void)
{
    return tu_run(engine_suite());
}
