/*
 * Multiclass models end to end: the suite, the data, the engine (stats/multiclass.c)
 * and the kernels (metrics/multiclass.c).
 *
 * reference: every multiclass metric of both models of the digits example (real
 *            data), overall and per ink slice, against scikit-learn
 *            (tests/reference/digits_sklearn.h) to 1e-9; macro_f1's percentile,
 *            basic and BCa intervals against scipy.stats.bootstrap within Monte
 *            Carlo error (tests/reference/multiclass_boot_scipy.h).
 * core:      the closed-form jackknife against leaving each row out and
 *            recomputing (an oracle); replicates identical whatever the thread
 *            count; a model compared with its twin has Δ = 0 in every replicate.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "reference/digits_sklearn.h"
#include "reference/multiclass_boot_scipy.h"
#include "stats/multiclass.h"
#include "testutil.h"

static mg_report *run_path(const char *path, mg_run_mode mode, size_t replicates,
                           uint64_t seed)
{
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;

    o.mode = mode;
    o.replicates = replicates;
    o.has_seed = seed != 0;
    o.seed = seed;
    ck_assert_msg(mg_suite_load(&suite, path, &err) == 0, "%s: %s", path, err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s: %s", path, err.message);
    mg_suite_free(suite);
    return r;
}

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static const mg_metric_entry *find(const mg_report *r, const char *model,
                                   const char *slicing, const char *slice,
                                   const char *metric)
{
    for (size_t i = 0; i < r->nmetrics; i++) {
        const mg_metric_entry *e = &r->metrics[i];
        char label[256];
        snprintf(label, sizeof label, "%s%s%s", slicing ? slicing : "",
                 slicing ? "=" : "", e->slice);
        if (strcmp(e->model, model) == 0 && same_str(e->slicing, slicing) &&
            strcmp(e->metric, metric) == 0 &&
            (strcmp(e->slice, slice) == 0 || strcmp(label, slice) == 0))
            return e;
    }
    return NULL;
}

/* ---- scikit-learn ------------------------------------------------------------ */

START_TEST(reference_digits)
{
    mg_report *r =
        run_path(tu_src("examples/multiclass/suite.yaml"), MG_RUN_METRICS, 10, 0);
    size_t checked = 0;
    for (size_t i = 0; i < MG_REF_DIGITS_COUNT; i++) {
        const mg_ref_entry *ref = &mg_ref_digits[i];
        const mg_metric_entry *e =
            find(r, ref->model, ref->slicing, ref->slice, ref->metric);
        ck_assert_msg(e != NULL, "no entry for %s %s %s", ref->model, ref->slice,
                      ref->metric);
        ck_assert_msg(e->has_estimate == ref->defined,
                      "%s %s %s: defined %d, sklearn %d", ref->model, ref->slice,
                      ref->metric, e->has_estimate, ref->defined);
        if (!ref->defined)
            continue;
        ck_assert_msg(tu_close(e->estimate, ref->value, 1e-9),
                      "%s %s %s: %.17g, scikit-learn %.17g", ref->model, ref->slice,
                      ref->metric, e->estimate, ref->value);
        checked++;
    }
    /* 2 models × 4 slices × 58 metric entries (22 metrics, 4 of them per class) */
    ck_assert_uint_eq(checked, 2 * 4 * 58);
    mg_report_free(r);
}
END_TEST

static void check_mc(const char *what, double ours, double ref, double mc_sd)
{
    double tol = 4.5 * sqrt(2.0) * mc_sd;
    ck_assert_msg(fabs(ours - ref) <= tol,
                  "%s: ours %.17g, SciPy %.17g, |diff| %.3g > tolerance %.3g", what,
                  ours, ref, fabs(ours - ref), tol);
}

/* The digits suite with one macro_f1 test, at an interval method. */
static const char *boot_suite(const char *dir, const char *method)
{
    char text[2048], name[64];
    snprintf(text, sizeof text,
             "suite: digits-boot\n"
             "task: multiclass\n"
             "data: {holdout: \"%s\", id: image_id, label: digit}\n"
             "models:\n"
             "  candidate: {file: \"%s\", prefix: p_}\n"
             "bootstrap: {replicates: %d, interval: %s, seed: 1}\n"
             "tests:\n"
             "  - {name: f1, metric: macro_f1, at_least: 0.5}\n",
             tu_src("examples/multiclass/data/holdout.csv"),
             tu_src("examples/multiclass/preds/candidate.csv"), MC_BOOT_B, method);
    snprintf(name, sizeof name, "boot_%s.yaml", method);
    return tu_write(dir, name, text);
}

START_TEST(reference_boot_macro_f1)
{
    static const char *methods[3] = {"percentile", "basic", "bca"};
    const double ref[3][2] = {{MC_BOOT_PERC95_LOW, MC_BOOT_PERC95_HIGH},
                              {MC_BOOT_BASIC95_LOW, MC_BOOT_BASIC95_HIGH},
                              {MC_BOOT_BCA95_LOW, MC_BOOT_BCA95_HIGH}};
    const double sd[3][2] = {{MC_BOOT_MC_SD_PERC95_LOW, MC_BOOT_MC_SD_PERC95_HIGH},
                             {MC_BOOT_MC_SD_BASIC95_LOW, MC_BOOT_MC_SD_BASIC95_HIGH},
                             {MC_BOOT_MC_SD_BCA95_LOW, MC_BOOT_MC_SD_BCA95_HIGH}};
    const char *dir = tu_scratch_dir("mc_boot");
    for (int m = 0; m < 3; m++) {
        char path[4096], what[128];
        mg_report *r;
        const mg_metric_entry *e;
        snprintf(path, sizeof path, "%s", boot_suite(dir, methods[m]));
        r = run_path(path, MG_RUN_METRICS, 0, 0);
        e = find(r, "candidate", NULL, "overall", "macro_f1");
        ck_assert_ptr_nonnull(e);
        ck_assert_uint_eq(e->n, MC_BOOT_N);
        ck_assert(tu_close(e->estimate, MC_BOOT_MACRO_F1, 1e-12));
        ck_assert_msg(e->has_ci, "%s: no interval: %s", methods[m], e->reason);
        ck_assert_uint_eq(e->undefined_replicates, 0);
        snprintf(what, sizeof what, "macro_f1 %s low", methods[m]);
        check_mc(what, e->ci_low, ref[m][0], sd[m][0]);
        snprintf(what, sizeof what, "macro_f1 %s high", methods[m]);
        check_mc(what, e->ci_high, ref[m][1], sd[m][1]);
        mg_report_free(r);
    }
}
END_TEST

/* ---- The engine on a small data set ---------------------------------------- */

enum { N = 48, K = 3, M = 2 };

typedef struct small {
    uint8_t label[N], pred[M][N];
    double prob[M][K][N];
    uint32_t code[N];
    const uint8_t *predp[M];
    const double *probc[M][K];
    const double *const *probp[M];
    const uint32_t *codes[1];
    size_t nlevels[1];
    mg__mc_dataset d;
} small;

/* A deterministic data set: 3 classes, 2 models with probabilities (argmax
 * predictions), 2 slices. Rows `skip` (if < N) is left out. */
static void small_init(small *s, size_t skip)
{
    size_t n = 0;
    uint64_t x = 12345;
    for (size_t i = 0; i < N; i++) {
        double p[M][K];
        uint8_t y;
        for (size_t m = 0; m < M; m++) {
            double sum = 0;
            for (size_t c = 0; c < K; c++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                p[m][c] = 0.05 + (double)(x >> 40) / (double)(1ULL << 24);
                sum += p[m][c];
            }
            for (size_t c = 0; c < K; c++)
                p[m][c] /= sum;
        }
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        y = (uint8_t)((x >> 33) % K);
        p[0][y] += 0.4; /* model 0 knows something */
        for (size_t c = 0; c < K; c++)
            p[0][c] /= 1.4;
        if (i == skip)
            continue;
        s->label[n] = y;
        s->code[n] = (uint32_t)(i % 2);
        for (size_t m = 0; m < M; m++) {
            size_t best = 0;
            for (size_t c = 0; c < K; c++) {
                s->prob[m][c][n] = p[m][c];
                if (p[m][c] > p[m][best])
                    best = c;
            }
            s->pred[m][n] = (uint8_t)best;
        }
        n++;
    }
    for (size_t m = 0; m < M; m++) {
        s->predp[m] = s->pred[m];
        for (size_t c = 0; c < K; c++)
            s->probc[m][c] = s->prob[m][c];
        s->probp[m] = s->probc[m];
    }
    s->codes[0] = s->code;
    s->nlevels[0] = 2;
    s->d = (mg__mc_dataset){n, K,        s->label,   M,    s->predp, s->probp,
                            1, s->codes, s->nlevels, NULL, 0,        NULL};
}

static mg__mc_engine *small_run(const small *s, size_t replicates, unsigned threads,
                                const size_t (*pairs)[2], size_t npairs)
{
    static const size_t ks[1] = {2};
    mg__mc_options o = {0};
    mg__mc_engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    o.replicates = replicates;
    o.seed = 7;
    o.threads = threads;
    o.npairs = npairs;
    o.pairs = pairs;
    o.nk = 1;
    o.ks = ks;
    o.need_auc = 1;
    ck_assert_msg(mg__mc_engine_run(&e, &s->d, &o, &err) == 0, "%s", err.message);
    return e;
}

static int value(const mg__mc_engine *e, long b, size_t m, size_t slice, mg_metric mt,
                 long param, double *v)
{
    mg_multiclass_stats st;
    mg__mc_engine_stats(e, b, m, slice, 0, &st);
    return mg_multiclass_value(mt, &st, param, v, NULL);
}

/* Closed-form jackknife sums = the sums of (θ₍₋ᵢ₎ − θ̂) over rows, each θ₍₋ᵢ₎ from
 * an engine run without row i, for a model and for the pair (model 0 − model 1). */
START_TEST(jackknife_oracle)
{
    static const struct {
        mg_metric m;
        long param;
    } metrics[] = {
        {MG_METRIC_MC_ACCURACY, 0},       {MG_METRIC_MC_MACRO_F1, 0},
        {MG_METRIC_MC_COHEN_KAPPA, 0},    {MG_METRIC_MC_MCC, 0},
        {MG_METRIC_MC_RECALL, 1},         {MG_METRIC_MC_WEIGHTED_PRECISION, 0},
        {MG_METRIC_MC_LOG_LOSS, 0},       {MG_METRIC_MC_BRIER, 0},
        {MG_METRIC_MC_TOP_K_ACCURACY, 0},
    };
    static const size_t pairs[1][2] = {{0, 1}};
    small *full = calloc(1, sizeof *full), *loo = calloc(1, sizeof *loo);
    mg__mc_engine *e, *without[N];
    small_init(full, N);
    e = small_run(full, 0, 1, pairs, 1);
    for (size_t i = 0; i < N; i++) {
        small_init(loo, i);
        without[i] = small_run(loo, 0, 1, NULL, 0);
    }
    for (size_t q = 0; q < sizeof metrics / sizeof metrics[0]; q++)
        for (size_t slice = 0; slice < 3; slice++)
            for (long pair = -1; pair <= 0; pair++) {
                double sums[4] = {0}, v0[2];
                mg__jack j;
                int ok =
                    value(e, -1, 0, slice, metrics[q].m, metrics[q].param, &v0[0]) ==
                        0 &&
                    value(e, -1, 1, slice, metrics[q].m, metrics[q].param, &v0[1]) == 0;
                ck_assert(ok);
                for (size_t i = 0; i < N; i++) {
                    const mg__mc_engine *ei = without[i];
                    double v1[2], d;
                    ck_assert(value(ei, -1, 0, slice, metrics[q].m, metrics[q].param,
                                    &v1[0]) == 0);
                    ck_assert(value(ei, -1, 1, slice, metrics[q].m, metrics[q].param,
                                    &v1[1]) == 0);
                    d = pair < 0 ? v1[0] - v0[0] : (v1[0] - v0[0]) - (v1[1] - v0[1]);
                    sums[0] += 1;
                    sums[1] += d;
                    sums[2] += d * d;
                    sums[3] += d * d * d;
                }
                mg__mc_engine_jack(e, pair, 0, slice, metrics[q].m, metrics[q].param,
                                   &j);
                ck_assert(!j.unavailable);
                ck_assert_double_eq(j.n, sums[0]);
                ck_assert_double_eq(j.undefined, 0);
                ck_assert_msg(fabs(j.s1 - sums[1]) <= 1e-12 &&
                                  tu_close(j.s2, sums[2], 1e-9) &&
                                  fabs(j.s3 - sums[3]) <= 1e-9 * fabs(sums[3]) + 1e-15,
                              "%s slice %zu pair %ld: (%.17g, %.17g, %.17g) vs oracle "
                              "(%.17g, %.17g, %.17g)",
                              mg_metric_name(metrics[q].m), slice, pair, j.s1, j.s2,
                              j.s3, sums[1], sums[2], sums[3]);
            }
    mg__mc_engine_free(e);
    for (size_t i = 0; i < N; i++)
        mg__mc_engine_free(without[i]);
    free(full);
    free(loo);
}
END_TEST

/* Replicates depend on the seed only, not on how many threads computed them; and
 * each replicate's sums are those of its row weights (the same draws as the binary
 * engine's, checked through mg__engine_row_weights). */
START_TEST(threads_and_row_weights)
{
    small *s = calloc(1, sizeof *s);
    mg__mc_engine *a, *b;
    const size_t B = 21;
    small_init(s, N);
    a = small_run(s, B, 1, NULL, 0);
    b = small_run(s, B, 3, NULL, 0);
    for (size_t r = 0; r < B; r++)
        for (size_t m = 0; m < M; m++)
            for (size_t slice = 0; slice < 3; slice++) {
                mg_multiclass_stats x, y;
                mg__mc_engine_stats(a, (long)r, m, slice, 0, &x);
                mg__mc_engine_stats(b, (long)r, m, slice, 0, &y);
                ck_assert(memcmp(x.confusion, y.confusion, K * K * sizeof(double)) ==
                          0);
                ck_assert(memcmp(x.auc_u, y.auc_u, K * sizeof(double)) == 0);
                ck_assert_double_eq(x.log_loss_sum, y.log_loss_sum);
                ck_assert_double_eq(x.top_k_hits, y.top_k_hits);
            }
    /* Replicate 5 against its row weights, summed naively. */
    {
        static const uint8_t zero[N] = {0};
        const double *scores[1] = {s->prob[0][0]};
        const double th[1] = {0.5};
        mg__dataset bd = {N, zero, 1, scores, th, 0, NULL, NULL, NULL, 0, NULL};
        mg__engine_options eo = {0};
        double w[N], conf[K * K] = {0}, ll = 0, u[K] = {0};
        mg_error err = MG_ERROR_INIT;
        mg_multiclass_stats x;
        eo.replicates = B;
        eo.seed = 7;
        eo.threads = 1;
        ck_assert(mg__engine_row_weights(&bd, &eo, 5, w, &err) == 0);
        for (size_t i = 0; i < N; i++) {
            double p[K];
            for (size_t c = 0; c < K; c++)
                p[c] = s->prob[0][c][i];
            conf[s->label[i] * K + s->pred[0][i]] += w[i];
            ll += w[i] * mg_metric_row_log_loss_multiclass(p, K, s->label[i]);
            for (size_t j = 0; j < N; j++) /* class c's pairs, ties ½ */
                for (size_t c = 0; c < K; c++)
                    if (s->label[i] == c && s->label[j] != c)
                        u[c] += w[i] * w[j] *
                                (s->prob[0][c][i] > s->prob[0][c][j]    ? 1
                                 : s->prob[0][c][i] == s->prob[0][c][j] ? 0.5
                                                                        : 0);
        }
        mg__mc_engine_stats(a, 5, 0, 0, 0, &x);
        for (size_t c = 0; c < K * K; c++)
            ck_assert_double_eq(x.confusion[c], conf[c]);
        for (size_t c = 0; c < K; c++)
            ck_assert(tu_close(x.auc_u[c], u[c], 1e-12));
        ck_assert(tu_close(x.log_loss_sum, ll, 1e-12));
    }
    mg__mc_engine_free(a);
    mg__mc_engine_free(b);
    free(s);
}
END_TEST

/* A model compared with itself: Δ is 0 in every replicate and the paired jackknife
 * is 0, for every family. */
START_TEST(twin_delta_zero)
{
    static const size_t pairs[1][2] = {{0, 1}};
    small *s = calloc(1, sizeof *s);
    mg__mc_engine *e;
    small_init(s, N);
    s->predp[1] = s->pred[0];
    s->probp[1] = s->probc[0];
    e = small_run(s, 16, 2, pairs, 1);
    for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
        const mg_metric_info *mi = mg_metric_get((mg_metric)mt);
        if (mi->task != MG_TASK_MULTICLASS)
            continue;
        for (size_t slice = 0; slice < 3; slice++) {
            mg__jack j;
            for (long b = -1; b < 16; b++) {
                double v1, v2;
                int r1 = value(e, b, 0, slice, (mg_metric)mt, 1, &v1);
                int r2 = value(e, b, 1, slice, (mg_metric)mt, 1, &v2);
                ck_assert_int_eq(r1, r2);
                if (r1 == 0)
                    ck_assert_double_eq(v1 - v2, 0.0);
            }
            mg__mc_engine_jack(e, 0, 0, slice, (mg_metric)mt, 1, &j);
            ck_assert_double_eq(j.s1, 0.0);
            ck_assert_double_eq(j.s2, 0.0);
        }
    }
    mg__mc_engine_free(e);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("multiclass");
    TCase *ref = tcase_create("reference"), *core = tcase_create("core");
    tcase_add_test(ref, reference_digits);
    tcase_add_test(ref, reference_boot_macro_f1);
    tcase_set_timeout(ref, 300);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, jackknife_oracle);
    tcase_add_test(core, threads_and_row_weights);
    tcase_add_test(core, twin_delta_zero);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, core);
    return tu_run(s);
}
