/*
 * What an interval may depend on: the seed, the rows it uses and its test, nothing
 * else (issue 8), and the stratified bootstrap only where it is valid.
 *
 * core: with rows keyed by id, the engine's estimates, replicates and jackknife sums
 *   of a slice are byte-identical when another slicing is declared (before or after
 *   it), when the rows are shuffled, when another model or a rank test is added,
 *   for the multinomial, the stratified and the Poisson resampler; with Poisson a
 *   slice's replicates are those of its rows alone (what sharding needs); through
 *   mg_run_suite, the cases' intervals are byte-identical with an unused slicing
 *   declared and with the holdout rows shuffled.
 * edge: stratify: label is refused, at the test's metric key, for a metric that
 *   depends on the class mix, with resampler: poisson, and for 'modelgate metrics';
 *   the engine refuses stratify with the Poisson resampler; under stratification the
 *   prevalence has no sampling variance at all (why it is refused).
 * coverage: stratified percentile intervals of recall and AUC at n = 1,000 (binormal
 *   scores, prevalence 0.3) cover their true values at the nominal 95 %
 *   (MG_COVERAGE_SIMS simulations, 300 by default).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "modelgate/modelgate.h"
#include "stats/engine.h"
#include "testutil.h"

/* ---- a data set: three models, three slicings, ties, ids --------------------------
 */

#define NSLICINGS 3
#define NMODELS   3

typedef struct data {
    size_t n;
    unsigned char *label;
    double *score[NMODELS];
    uint32_t *code[NSLICINGS];
    uint64_t *key;
    /* the engine's view, as chosen by view() */
    const double *scores[NMODELS];
    double threshold[NMODELS];
    const uint32_t *codes[NSLICINGS];
    size_t nlevels[NSLICINGS];
    mg__dataset d;
} data;

static const size_t levels[NSLICINGS] = {3, 4, 2};

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void data_make(data *y, size_t n, uint64_t seed)
{
    char id[32];
    memset(y, 0, sizeof *y);
    y->n = n;
    y->label = malloc(n);
    y->key = malloc(n * sizeof *y->key);
    for (int m = 0; m < NMODELS; m++)
        y->score[m] = malloc(n * sizeof(double));
    for (int k = 0; k < NSLICINGS; k++)
        y->code[k] = malloc(n * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        int lab = lcg(&seed) % 3 == 0;
        y->label[i] = (unsigned char)lab;
        /* Rounded: many ties, within and across classes and slices. */
        for (int m = 0; m < NMODELS; m++)
            y->score[m][i] =
                round(((lcg(&seed) % 1000) / 1000.0 * 0.7 + 0.3 * lab) * (10 + 5 * m)) /
                (10 + 5 * m);
        for (int k = 0; k < NSLICINGS; k++)
            y->code[k][i] = (uint32_t)(lcg(&seed) % levels[k]);
        snprintf(id, sizeof id, "customer-%zu", i);
        y->key[i] = mg__engine_id_key(id);
    }
    for (int m = 0; m < NMODELS; m++)
        y->threshold[m] = 0.5;
}

/* The engine sees models [0, nmodels) and the slicings listed in `which`. */
static void view(data *y, size_t nmodels, const int *which, size_t nslicings)
{
    for (size_t m = 0; m < nmodels; m++)
        y->scores[m] = y->score[m];
    for (size_t k = 0; k < nslicings; k++) {
        y->codes[k] = y->code[which[k]];
        y->nlevels[k] = levels[which[k]];
    }
    y->d =
        (mg__dataset){y->n,     y->label,   nmodels, y->scores, y->threshold, nslicings,
                      y->codes, y->nlevels, NULL,    0,         y->key};
}

/* The same rows in another order (Fisher–Yates), ids moving with their rows. */
static void data_shuffle(const data *y, data *z, uint64_t seed)
{
    size_t *perm = malloc(y->n * sizeof *perm);
    data_make(z, y->n, 1);
    for (size_t i = 0; i < y->n; i++)
        perm[i] = i;
    for (size_t i = y->n - 1; i > 0; i--) {
        size_t j = lcg(&seed) % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (size_t i = 0; i < y->n; i++) {
        size_t r = perm[i];
        z->label[i] = y->label[r];
        z->key[i] = y->key[r];
        for (int m = 0; m < NMODELS; m++)
            z->score[m][i] = y->score[m][r];
        for (int k = 0; k < NSLICINGS; k++)
            z->code[k][i] = y->code[k][r];
    }
    free(perm);
}

/* The rows of slicing k's level c, ids kept. */
static void data_subset(const data *y, data *z, int k, uint32_t c)
{
    size_t t = 0;
    data_make(z, y->n, 1);
    for (size_t i = 0; i < y->n; i++) {
        if (y->code[k][i] != c)
            continue;
        z->label[t] = y->label[i];
        z->key[t] = y->key[i];
        for (int m = 0; m < NMODELS; m++)
            z->score[m][t] = y->score[m][i];
        for (int q = 0; q < NSLICINGS; q++)
            z->code[q][t] = y->code[q][i];
        t++;
    }
    z->n = t;
}

static void data_free(data *y)
{
    free(y->label);
    free(y->key);
    for (int m = 0; m < NMODELS; m++)
        free(y->score[m]);
    for (int k = 0; k < NSLICINGS; k++)
        free(y->code[k]);
}

static const size_t one_pair[1][2] = {{0, 1}};

static mg__engine *run(const data *y, mg__engine_resampler resampler,
                       mg__engine_stratify stratify, int need_rank, size_t npairs)
{
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    o.replicates = 40;
    o.seed = 2026;
    o.threads = 2;
    o.need_rank = need_rank;
    o.resampler = resampler;
    o.stratify = stratify;
    o.npairs = npairs;
    o.pairs = one_pair;
    ck_assert_msg(mg__engine_run(&e, &y->d, &o, &err) == 0, "%s", err.message);
    return e;
}

/* Bit for bit: the whole statistics, or (confusion_only) the four counts. */
static void same_stats(const mg_binary_stats *a, const mg_binary_stats *b,
                       int confusion_only, const char *what, size_t b_index)
{
    size_t bytes = confusion_only ? 4 * sizeof(double) : sizeof *a;
    ck_assert_msg(memcmp(a, b, bytes) == 0,
                  "%s, replicate %zu: tp %.17g/%.17g auc_u %.17g/%.17g ll %.17g/%.17g",
                  what, b_index, a->tp, b->tp, a->auc_u, b->auc_u, a->log_loss_sum,
                  b->log_loss_sum);
}

static void same_jack(const mg__jack *a, const mg__jack *b, int with_n,
                      const char *what, int metric)
{
    ck_assert_msg(a->s1 == b->s1 && a->s2 == b->s2 && a->s3 == b->s3 &&
                      a->undefined == b->undefined &&
                      a->unavailable == b->unavailable && (!with_n || a->n == b->n),
                  "%s, %s: jackknife s1 %.17g vs %.17g, s2 %.17g vs %.17g", what,
                  mg_metric_name((mg_metric)metric), a->s1, b->s1, a->s2, b->s2);
}

/*
 * Model m on slice sa of engine a and slice sb of engine b: the same estimate,
 * replicates and jackknife sums (pair 0 too when both have it), bit for bit.
 */
static void same_slice(const mg__engine *a, size_t sa, const mg__engine *b, size_t sb,
                       size_t m, int confusion_only, int pairs, int with_n,
                       const char *what)
{
    same_stats(mg__engine_estimate(a, m, sa), mg__engine_estimate(b, m, sb),
               confusion_only, what, 0);
    for (size_t r = 0; r < mg__engine_replicates(a); r++)
        same_stats(mg__engine_replicate(a, r, m, sa), mg__engine_replicate(b, r, m, sb),
                   confusion_only, what, r);
    for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
        if (confusion_only && mg_metric_family((mg_metric)mt) != MG_FAMILY_CONFUSION)
            continue;
        same_jack(mg__engine_jack(a, -1, m, sa, (mg_metric)mt),
                  mg__engine_jack(b, -1, m, sb, (mg_metric)mt), with_n, what, mt);
        if (pairs)
            same_jack(mg__engine_jack(a, 0, m, sa, (mg_metric)mt),
                      mg__engine_jack(b, 0, m, sb, (mg_metric)mt), with_n, what, mt);
    }
}

static const mg__engine_resampler resamplers[3] = {
    MG__ENGINE_MULTINOMIAL, MG__ENGINE_MULTINOMIAL, MG__ENGINE_POISSON};
static const mg__engine_stratify stratas[3] = {
    MG__ENGINE_STRATIFY_NONE, MG__ENGINE_STRATIFY_LABEL, MG__ENGINE_STRATIFY_NONE};

/* ---- core: the engine -------------------------------------------------------------
 */

/* Slicing 0 alone, then declared between two others: its slices do not move. */
START_TEST(unused_slicing_changes_nothing)
{
    data y;
    const int alone[1] = {0}, among[3] = {1, 0, 2};
    data_make(&y, 700, 41);
    for (int v = 0; v < 3; v++) {
        mg__engine *a, *b;
        char what[64];
        view(&y, 2, alone, 1);
        a = run(&y, resamplers[v], stratas[v], 1, 1);
        view(&y, 2, among, 3);
        b = run(&y, resamplers[v], stratas[v], 1, 1);
        for (size_t m = 0; m < 2; m++) {
            snprintf(what, sizeof what, "variant %d model %zu overall", v, m);
            same_slice(a, 0, b, 0, m, 0, 1, 1, what);
            for (size_t c = 0; c < levels[0]; c++) {
                snprintf(what, sizeof what, "variant %d model %zu slice %zu", v, m, c);
                same_slice(a, mg__engine_slice_offset(a, 0) + c, b,
                           mg__engine_slice_offset(b, 1) + c, m, 0, 1, 1, what);
            }
        }
        mg__engine_free(a);
        mg__engine_free(b);
    }
    data_free(&y);
}
END_TEST

/* The same rows in another order, keyed by id: every slice is bit-identical. */
START_TEST(row_order_changes_nothing)
{
    data y, z;
    const int all[3] = {0, 1, 2};
    data_make(&y, 700, 43);
    data_shuffle(&y, &z, 7);
    view(&y, 2, all, 3);
    view(&z, 2, all, 3);
    for (int v = 0; v < 3; v++) {
        mg__engine *a = run(&y, resamplers[v], stratas[v], 1, 1);
        mg__engine *b = run(&z, resamplers[v], stratas[v], 1, 1);
        char what[64];
        for (size_t m = 0; m < 2; m++)
            for (size_t s = 0; s < mg__engine_slices(a); s++) {
                snprintf(what, sizeof what, "variant %d model %zu slice %zu", v, m, s);
                same_slice(a, s, b, s, m, 0, 1, 1, what);
            }
        mg__engine_free(a);
        mg__engine_free(b);
    }
    data_free(&y);
    data_free(&z);
}
END_TEST

/* A third model, a rank test (the score pass) and a comparison (a pair) added to a
 * suite of confusion tests: the first two models' confusion statistics stay. */
START_TEST(other_models_and_tests_change_nothing)
{
    data y;
    const int all[3] = {0, 1, 2};
    data_make(&y, 500, 47);
    for (int v = 0; v < 3; v++) {
        mg__engine *a, *b;
        char what[64];
        view(&y, 2, all, 3);
        a = run(&y, resamplers[v], stratas[v], 0, 0);
        view(&y, 3, all, 3);
        b = run(&y, resamplers[v], stratas[v], 1, 1);
        for (size_t m = 0; m < 2; m++)
            for (size_t s = 0; s < mg__engine_slices(a); s++) {
                snprintf(what, sizeof what, "variant %d model %zu slice %zu", v, m, s);
                same_slice(a, s, b, s, m, 1, 0, 1, what);
            }
        mg__engine_free(a);
        mg__engine_free(b);
    }
    data_free(&y);
}
END_TEST

/* With Poisson weights keyed by id, a slice's replicates are those of its rows run
 * alone: a shard holding only them computes the same sums. */
START_TEST(poisson_slice_is_its_rows)
{
    data y, z;
    const int all[3] = {0, 1, 2};
    data_make(&y, 600, 53);
    data_subset(&y, &z, 1, 2);
    view(&y, 2, all, 3);
    view(&z, 2, all, 3);
    {
        mg__engine *a = run(&y, MG__ENGINE_POISSON, MG__ENGINE_STRATIFY_NONE, 1, 1);
        mg__engine *b = run(&z, MG__ENGINE_POISSON, MG__ENGINE_STRATIFY_NONE, 1, 1);
        for (size_t m = 0; m < 2; m++)
            same_slice(a, mg__engine_slice_offset(a, 1) + 2, b, 0, m, 0, 1, 0,
                       "the slice vs its rows alone");
        mg__engine_free(a);
        mg__engine_free(b);
    }
    data_free(&y);
    data_free(&z);
}
END_TEST

/* ---- core: through the runner -----------------------------------------------------
 */

/* A holdout CSV of n rows (ids, label, two slicing columns, two scores), rows in the
 * order of perm (NULL: as generated). */
static void write_holdout(const char *dir, size_t n, const size_t *perm)
{
    uint64_t seed = 61;
    char *csv = malloc(n * 96 + 64), **line = malloc(n * sizeof *line);
    size_t len = (size_t)sprintf(csv, "id,label,region,plan,score,champ\n");
    for (size_t i = 0; i < n; i++) {
        int y = lcg(&seed) % 10 < 3;
        double s = round(((lcg(&seed) % 1000) / 1000.0 * 0.7 + 0.3 * y) * 50) / 50;
        double c = round(((lcg(&seed) % 1000) / 1000.0 * 0.8 + 0.2 * y) * 50) / 50;
        line[i] = malloc(96);
        snprintf(line[i], 96, "u%zu,%d,r%u,p%u,%.17g,%.17g\n", i * 7919 % 100003, y,
                 (unsigned)(lcg(&seed) % 4), (unsigned)(lcg(&seed) % 3), s, c);
    }
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(csv + len, "%s", line[perm ? perm[i] : i]);
    tu_write(dir, "holdout.csv", csv);
    for (size_t i = 0; i < n; i++)
        free(line[i]);
    free(line);
    free(csv);
}

static const char *SUITE_HEAD =
    "suite: invariance\n"
    "task: binary\n"
    "data: {holdout: holdout.csv, id: id, label: label, positive: \"1\"}\n"
    "models:\n"
    "  candidate: {score: score}\n"
    "  champion: {score: champ}\n"
    "bootstrap: {replicates: 200, seed: 5%s}\n"
    "slices:\n"
    "%s"
    "  region: region\n"
    "tests:\n"
    "  - {name: auc, metric: auc, slices: region, at_least: 0.5}\n"
    "  - {name: recall, metric: recall, at_least: 0.5}\n"
    "%s";

static const char *MIX_TESTS =
    "  - {name: log loss, metric: log_loss, at_most: 1}\n"
    "  - {name: ap, metric: average_precision, slices: region, at_least: 0.2}\n"
    "  - {name: acc, metric: accuracy, baseline: champion, non_inferior: 0.1}\n";

static mg_report *run_suite_text(const char *dir, const char *text, mg_run_mode mode,
                                 mg_error *err)
{
    mg_suite *s = NULL;
    mg_report *r = NULL;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    const char *path = tu_write(dir, "suite.yaml", text);
    o.mode = mode;
    o.threads = 2;
    ck_assert_msg(mg_suite_load(&s, path, err) == 0, "%s", err->message);
    if (mg_run_suite(&r, s, &o, err) != 0)
        r = NULL;
    mg_suite_free(s);
    return r;
}

static void same_cases(const mg_report *a, const mg_report *b)
{
    ck_assert_uint_eq(a->ncases, b->ncases);
    ck_assert_uint_gt(a->ncases, 8);
    for (size_t i = 0; i < a->ncases; i++) {
        const mg_case *x = &a->cases[i], *y = &b->cases[i];
        ck_assert_str_eq(x->test, y->test);
        ck_assert_str_eq(x->slice, y->slice);
        ck_assert_int_eq(x->has_ci, y->has_ci);
        ck_assert_msg(
            memcmp(&x->estimate, &y->estimate, sizeof(double)) == 0 &&
                memcmp(&x->ci_low, &y->ci_low, sizeof(double)) == 0 &&
                memcmp(&x->ci_high, &y->ci_high, sizeof(double)) == 0 &&
                memcmp(&x->delta_ci_low, &y->delta_ci_low, sizeof(double)) == 0 &&
                memcmp(&x->delta_ci_high, &y->delta_ci_high, sizeof(double)) == 0,
            "%s %s: [%.17g, %.17g] vs [%.17g, %.17g]", x->test, x->slice, x->ci_low,
            x->ci_high, y->ci_low, y->ci_high);
    }
}

START_TEST(suite_intervals_invariant)
{
    const size_t n = 600;
    const char *dir = tu_scratch_dir("invariance");
    char text[4096];
    size_t *perm = malloc(n * sizeof *perm);
    uint64_t seed = 3;
    mg_error err = MG_ERROR_INIT;
    mg_report *base, *unused, *shuffled;

    for (const char *res = ""; res != NULL;
         res = strcmp(res, "") == 0 ? ", resampler: poisson" : NULL) {
        write_holdout(dir, n, NULL);
        snprintf(text, sizeof text, SUITE_HEAD, res, "", MIX_TESTS);
        base = run_suite_text(dir, text, MG_RUN_TESTS, &err);
        ck_assert_msg(base != NULL, "%s", err.message);
        /* Two slicings no test uses, one declared before the used one. */
        snprintf(text, sizeof text, SUITE_HEAD, res,
                 "  plan: plan\n  region_x_plan: [region, plan]\n", MIX_TESTS);
        unused = run_suite_text(dir, text, MG_RUN_TESTS, &err);
        ck_assert_msg(unused != NULL, "%s", err.message);
        same_cases(base, unused);
        /* The holdout's rows shuffled. */
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = lcg(&seed) % (i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        write_holdout(dir, n, perm);
        snprintf(text, sizeof text, SUITE_HEAD, res, "", MIX_TESTS);
        shuffled = run_suite_text(dir, text, MG_RUN_TESTS, &err);
        ck_assert_msg(shuffled != NULL, "%s", err.message);
        same_cases(base, shuffled);
        mg_report_free(base);
        mg_report_free(unused);
        mg_report_free(shuffled);
    }
    free(perm);
}
END_TEST

/* ---- edge: where stratify: label is refused ---------------------------------------
 */

START_TEST(stratify_refused_where_invalid)
{
    const char *dir = tu_scratch_dir("stratify");
    char text[4096];
    mg_error err = MG_ERROR_INIT;
    mg_report *r;

    write_holdout(dir, 200, NULL);
    /* Class-conditional tests only: accepted, and provenance says so. */
    snprintf(text, sizeof text, SUITE_HEAD, ", stratify: label", "",
             "  - {name: spec, metric: specificity, slices: region, at_least: 0.1}\n"
             "  - {name: ba, metric: balanced_accuracy, baseline: champion, "
             "non_inferior: 0.5}\n");
    r = run_suite_text(dir, text, MG_RUN_TESTS, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_str_eq(r->stratify, "label");
    mg_report_free(r);
    /* A metric of the class mix: refused at its metric key (tests[2] is precision). */
    snprintf(text, sizeof text, SUITE_HEAD, ", stratify: label", "",
             "  - {name: prec, metric: precision, at_least: 0.1}\n");
    err = (mg_error)MG_ERROR_INIT;
    ck_assert_ptr_null(run_suite_text(dir, text, MG_RUN_TESTS, &err));
    ck_assert_int_eq(err.code, MG_EINVAL);
    ck_assert_str_eq(err.key, "tests[2].metric");
    ck_assert_uint_eq(err.line, 13);
    ck_assert_msg(strstr(err.message, "precision depends on the class mix") != NULL,
                  "%s", err.message);
    /* With the Poisson resampler: refused, at the bootstrap map. */
    snprintf(text, sizeof text, SUITE_HEAD, ", stratify: label, resampler: poisson", "",
             "");
    err = (mg_error)MG_ERROR_INIT;
    ck_assert_ptr_null(run_suite_text(dir, text, MG_RUN_TESTS, &err));
    ck_assert_int_eq(err.code, MG_EINVAL);
    ck_assert_uint_eq(err.line, 7);
    ck_assert_msg(strstr(err.message, "poisson cannot be combined") != NULL, "%s",
                  err.message);
    /* 'modelgate metrics' shows every metric: refused. */
    snprintf(text, sizeof text, SUITE_HEAD, ", stratify: label", "", "");
    err = (mg_error)MG_ERROR_INIT;
    ck_assert_ptr_null(run_suite_text(dir, text, MG_RUN_METRICS, &err));
    ck_assert_int_eq(err.code, MG_EINVAL);
    ck_assert_msg(strstr(err.message, "remove stratify") != NULL, "%s", err.message);
}
END_TEST

START_TEST(engine_refuses_stratified_poisson)
{
    data y;
    const int all[1] = {0};
    mg__engine_options o = {0};
    mg__engine *e = NULL;
    mg_error err = MG_ERROR_INIT;
    data_make(&y, 50, 3);
    view(&y, 1, all, 1);
    o.replicates = 10;
    o.threads = 1;
    o.resampler = MG__ENGINE_POISSON;
    o.stratify = MG__ENGINE_STRATIFY_LABEL;
    ck_assert_int_eq(mg__engine_run(&e, &y.d, &o, &err), MG_EINVAL);
    ck_assert_ptr_null(e);
    data_free(&y);
}
END_TEST

/* Why stratify is refused for the class mix: every stratified replicate has the
 * holdout's prevalence exactly (a zero-width interval), while recall still varies. */
START_TEST(stratified_prevalence_does_not_vary)
{
    data y;
    const int all[1] = {0};
    mg__engine *e;
    double p0, r0, spread = 0;
    data_make(&y, 400, 59);
    view(&y, 1, all, 1);
    e = run(&y, MG__ENGINE_MULTINOMIAL, MG__ENGINE_STRATIFY_LABEL, 0, 0);
    ck_assert_int_eq(
        mg_metric_value(MG_METRIC_PREVALENCE, mg__engine_estimate(e, 0, 0), &p0, NULL),
        0);
    ck_assert_int_eq(
        mg_metric_value(MG_METRIC_RECALL, mg__engine_estimate(e, 0, 0), &r0, NULL), 0);
    for (size_t b = 0; b < mg__engine_replicates(e); b++) {
        double p, r;
        ck_assert_int_eq(mg_metric_value(MG_METRIC_PREVALENCE,
                                         mg__engine_replicate(e, b, 0, 0), &p, NULL),
                         0);
        ck_assert_double_eq(p, p0);
        ck_assert_int_eq(mg_metric_value(MG_METRIC_RECALL,
                                         mg__engine_replicate(e, b, 0, 0), &r, NULL),
                         0);
        spread += fabs(r - r0);
    }
    ck_assert(spread > 0);
    mg__engine_free(e);
    data_free(&y);
}
END_TEST

/* ---- coverage: stratify where it is allowed ---------------------------------------
 */

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, z = *(const double *)b;
    return (x > z) - (x < z);
}

/* Type-7 quantile of sorted v[0..n). */
static double quantile(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
}

START_TEST(coverage_stratified_class_conditional)
{
    const size_t n = 1000, B = 500;
    const double d = 1.0, prevalence = 0.3, t = 0.5;
    const double auc_true = gsl_cdf_ugaussian_P(d / sqrt(2.0));
    const double recall_true = gsl_cdf_ugaussian_Q(t - d);
    const double fpr = gsl_cdf_ugaussian_Q(t);
    /* Shown, not asserted: what stratifying does to metrics of the class mix. With
     * 2,000 data sets, precision covered 0.83; accuracy 0.96, since its share of
     * the prevalence's variance, (recall − specificity)², is 0 at t = d/2 (the
     * refusal is by metric, not by data). */
    const double accuracy_true =
        prevalence * recall_true + (1 - prevalence) * (1 - fpr);
    const double precision_true =
        prevalence * recall_true / (prevalence * recall_true + (1 - prevalence) * fpr);
    const char *env = getenv("MG_COVERAGE_SIMS");
    long K = env && *env ? strtol(env, NULL, 10) : 300;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double *score = malloc(n * sizeof *score), *v = malloc(B * sizeof *v);
    unsigned char *label = malloc(n);
    const double *scores[1] = {score};
    double threshold[1] = {t};
    long cover_auc = 0, cover_recall = 0, cover_mix[2] = {0, 0};

    ck_assert_msg(K >= 50, "MG_COVERAGE_SIMS=%s: at least 50 simulations", env);
    gsl_rng_set(rng, 20261201UL);
    for (long k = 0; k < K; k++) {
        mg__dataset ds = {n, label, 1, scores, threshold, 0, NULL, NULL, NULL, 0, NULL};
        mg__engine_options o = {0};
        mg__engine *e = NULL;
        mg_error err = MG_ERROR_INIT;
        for (size_t i = 0; i < n; i++) {
            label[i] = gsl_rng_uniform(rng) < prevalence;
            score[i] = gsl_ran_gaussian_ziggurat(rng, 1.0) + (label[i] ? d : 0.0);
        }
        o.replicates = B;
        o.seed = (uint64_t)k + 1;
        o.threads = 2;
        o.need_rank = 1;
        o.stratify = MG__ENGINE_STRATIFY_LABEL;
        ck_assert_msg(mg__engine_run(&e, &ds, &o, &err) == 0, "%s", err.message);
        for (int q = 0; q < 4; q++) {
            static const mg_metric which[4] = {MG_METRIC_RECALL, MG_METRIC_AUC,
                                               MG_METRIC_ACCURACY, MG_METRIC_PRECISION};
            const double truth[4] = {recall_true, auc_true, accuracy_true,
                                     precision_true};
            long *hit[4] = {&cover_recall, &cover_auc, &cover_mix[0], &cover_mix[1]};
            for (size_t b = 0; b < B; b++)
                ck_assert_int_eq(mg_metric_value(which[q],
                                                 mg__engine_replicate(e, b, 0, 0),
                                                 &v[b], NULL),
                                 0);
            qsort(v, B, sizeof *v, by_double);
            if (quantile(v, B, 0.025) <= truth[q] && truth[q] <= quantile(v, B, 0.975))
                *hit[q] += 1;
        }
        mg__engine_free(e);
    }
    /* 95 % nominal; with K = 300 one standard error is 0.0126. */
    fprintf(stderr,
            "stratified percentile coverage, n = %zu, %ld data sets: recall %.3f, "
            "auc %.3f (refused: accuracy %.3f, precision %.3f)\n",
            n, K, (double)cover_recall / K, (double)cover_auc / K,
            (double)cover_mix[0] / K, (double)cover_mix[1] / K);
    ck_assert_msg((double)cover_recall / K >= 0.92, "recall coverage %.3f",
                  (double)cover_recall / K);
    ck_assert_msg((double)cover_auc / K >= 0.92, "auc coverage %.3f",
                  (double)cover_auc / K);
    gsl_rng_free(rng);
    free(score);
    free(v);
    free(label);
}
END_TEST

static Suite *invariance_suite(void)
{
    Suite *s = suite_create("invariance");
    TCase *core = tcase_create("core"), *edge = tcase_create("edge");
    TCase *cov = tcase_create("coverage");
    tcase_add_test(core, unused_slicing_changes_nothing);
    tcase_add_test(core, row_order_changes_nothing);
    tcase_add_test(core, other_models_and_tests_change_nothing);
    tcase_add_test(core, poisson_slice_is_its_rows);
    tcase_add_test(core, suite_intervals_invariant);
    tcase_add_test(edge, stratify_refused_where_invalid);
    tcase_add_test(edge, engine_refuses_stratified_poisson);
    tcase_add_test(edge, stratified_prevalence_does_not_vary);
    tcase_add_test(cov, coverage_stratified_class_conditional);
    tcase_set_timeout(cov, 120);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, cov);
    return s;
}

int main(void)
{
    return tu_run(invariance_suite());
}
