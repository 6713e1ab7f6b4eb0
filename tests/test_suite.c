/*
 * Tests of suite files (include/modelgate/suite.h, harness/suite.c,
 * harness/suite_tests.c); the YAML reader alone is tested in tests/test_yaml.c.
 *
 * core: the full fixture (tests/data/suites/full.yaml) with every field and a
 *   sample of recorded locations asserted; the minimal fixture with every default;
 *   aliases that are ordinary YAML; lookups; mg_suite_error.
 * edge: boundary values that must be accepted, paths, long keys, the example suite.
 * errors: one table row per error class, each a small suite written to a scratch
 *   file, asserting the code, line, column, key and message exactly. Columns were
 *   counted by hand from each row's text (1-based); the locations asserted on the
 *   full fixture were also checked against PyYAML's node marks (`yaml.compose`).
 *   Then the file-level errors: alias bomb, deep nesting, empty files, a directory,
 *   a missing file, bytes that are not UTF-8.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modelgate/metrics.h"
#include "modelgate/suite.h"
#include "testutil.h"

static mg_suite *load_ok(const char *path)
{
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;
    char line[2048];
    int rc = mg_suite_load(&s, path, &err);

    mg_error_format(&err, line, sizeof line);
    ck_assert_msg(rc == 0, "%s: %s", path, line);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void assert_loc(const mg_loc *loc, unsigned long line, unsigned long column,
                       const char *key)
{
    ck_assert_msg(loc->line == line && loc->column == column,
                  "%s: expected %lu:%lu, got %lu:%lu", key, line, column, loc->line,
                  loc->column);
    ck_assert_str_eq(loc->key, key);
}

/* ---- core ---------------------------------------------------------------------- */

START_TEST(test_full)
{
    const char *path = tu_src("tests/data/suites/full.yaml");
    mg_suite *s = load_ok(path);
    const mg_model_spec *m;
    const mg_slicing_spec *sl;
    const mg_test_spec *t;

    ck_assert_str_eq(s->path, path);
    ck_assert_str_eq(s->name, "churn-model");
    ck_assert_int_eq(s->task, MG_TASK_BINARY);

    ck_assert_str_eq(s->data.holdout, tu_src("tests/data/suites/data/holdout.csv"));
    ck_assert_str_eq(s->data.id, "customer_id");
    ck_assert_str_eq(s->data.label, "churned");
    ck_assert_str_eq(s->data.positive, "1");
    ck_assert_int_eq(s->data.delimiter, '\t');
    assert_loc(&s->data.holdout_loc, 7, 12, "data.holdout");
    assert_loc(&s->data.id_loc, 8, 7, "data.id");
    assert_loc(&s->data.label_loc, 9, 10, "data.label");
    assert_loc(&s->data.positive_loc, 10, 13, "data.positive");

    ck_assert_uint_eq(s->nmodels, 3);
    m = &s->models[0];
    ck_assert_str_eq(m->name, "candidate");
    ck_assert_str_eq(m->file, tu_src("tests/data/suites/preds/candidate.csv"));
    ck_assert_str_eq(m->score, "p_churn");
    ck_assert_int_eq(m->has_threshold, 1);
    ck_assert_double_eq(m->threshold, 0.4);
    assert_loc(&m->loc, 13, 3, "models.candidate");
    assert_loc(&m->file_loc, 13, 21, "models.candidate.file");
    assert_loc(&m->score_loc, 13, 49, "models.candidate.score");
    m = &s->models[1];
    ck_assert_str_eq(m->name, "champion");
    ck_assert_str_eq(m->file, "/srv/preds/champion.csv"); /* absolute: unchanged */
    ck_assert_str_eq(m->score, "p_churn");
    ck_assert_int_eq(m->has_threshold, 0);
    m = &s->models[2];
    ck_assert_str_eq(m->name, "legacy");
    ck_assert_ptr_null(m->file); /* the score is a holdout column */
    ck_assert_str_eq(m->score, "p_legacy");
    assert_loc(&m->file_loc, 0, 0, "models.legacy.file");
    assert_loc(&m->score_loc, 15, 19, "models.legacy.score");

    ck_assert_double_eq(s->threshold, 0.45);
    ck_assert_uint_eq(s->bootstrap.replicates, 500);
    ck_assert_double_eq(s->bootstrap.confidence, 0.9);
    ck_assert_int_eq(s->bootstrap.interval, MG_INTERVAL_PERCENTILE);
    ck_assert(s->bootstrap.seed == UINT64_MAX);
    ck_assert_int_eq(s->bootstrap.stratify, MG_STRATIFY_LABEL);
    ck_assert_str_eq(s->bootstrap.cluster, "household");
    ck_assert_int_eq(s->bootstrap.resampler, MG_RESAMPLER_POISSON);
    assert_loc(&s->bootstrap.loc, 18, 3, "bootstrap");
    assert_loc(&s->bootstrap.interval_loc, 20, 13, "bootstrap.interval");
    assert_loc(&s->bootstrap.cluster_loc, 23, 12, "bootstrap.cluster");

    ck_assert_uint_eq(s->nslicings, 3);
    sl = &s->slicings[0];
    ck_assert_str_eq(sl->name, "region");
    ck_assert_uint_eq(sl->ncolumns, 1);
    ck_assert_str_eq(sl->columns[0], "region");
    ck_assert_ptr_null(sl->bins);
    ck_assert_uint_eq(sl->nbins, 0);
    assert_loc(&sl->loc, 26, 3, "slices.region");
    sl = &s->slicings[1];
    ck_assert_str_eq(sl->name, "tenure");
    ck_assert_uint_eq(sl->ncolumns, 1);
    ck_assert_str_eq(sl->columns[0], "tenure_months");
    ck_assert_uint_eq(sl->nbins, 4);
    ck_assert_double_eq(sl->bins[0], 0);
    ck_assert_double_eq(sl->bins[1], 6);
    ck_assert_double_eq(sl->bins[2], 12.5);
    ck_assert_double_eq(sl->bins[3], 24);
    assert_loc(&sl->loc, 27, 3, "slices.tenure");
    sl = &s->slicings[2];
    ck_assert_str_eq(sl->name, "region_x_plan");
    ck_assert_uint_eq(sl->ncolumns, 2);
    ck_assert_str_eq(sl->columns[0], "region");
    ck_assert_str_eq(sl->columns[1], "plan");
    ck_assert_ptr_null(sl->bins);

    ck_assert_uint_eq(s->min_size, 30);

    ck_assert_uint_eq(s->ntests, 6);
    t = &s->tests[0];
    ck_assert_str_eq(t->name, "auc floor");
    ck_assert_int_eq(t->metric, MG_METRIC_AUC);
    ck_assert_str_eq(t->model, "candidate");
    ck_assert_ptr_null(t->slices);
    ck_assert_int_eq(t->has_at_least, 1);
    ck_assert_double_eq(t->at_least, 0.80);
    ck_assert_int_eq(t->has_at_most, 0);
    ck_assert_int_eq(t->rule, MG_RULE_STRICT);
    ck_assert_ptr_null(t->baseline);
    ck_assert_int_eq(t->comparison, MG_COMPARE_NONE);
    ck_assert_int_eq(t->relative, 0);
    ck_assert_int_eq(t->min_size, -1);
    assert_loc(&t->loc, 31, 5, "tests[0]");
    assert_loc(&t->metric_loc, 31, 31, "tests[0].metric");
    assert_loc(&t->model_loc, 31, 5, "tests[0].model"); /* defaulted: the test */
    assert_loc(&t->baseline_loc, 0, 0, "tests[0].baseline");
    assert_loc(&t->slices_loc, 0, 0, "tests[0].slices");
    /* Defaulted: the key that would change it, line 0. */
    assert_loc(&t->correction_loc, 0, 0, "tests[0].correction");

    t = &s->tests[1];
    ck_assert_str_eq(t->name, "recall per region");
    ck_assert_int_eq(t->metric, MG_METRIC_RECALL);
    ck_assert_str_eq(t->slices, "region");
    ck_assert_double_eq(t->at_least, 0.6);
    ck_assert_int_eq(t->min_size, 50);
    ck_assert_int_eq(t->rule, MG_RULE_LENIENT);
    assert_loc(&t->metric_loc, 32, 39, "tests[1].metric");
    assert_loc(&t->slices_loc, 32, 55, "tests[1].slices");

    t = &s->tests[2];
    ck_assert_str_eq(t->name, "no auc regression");
    ck_assert_str_eq(t->model, "candidate");
    ck_assert_str_eq(t->baseline, "champion");
    ck_assert_int_eq(t->comparison, MG_COMPARE_NON_INFERIOR);
    ck_assert_double_eq(t->margin, 0.01);
    ck_assert_int_eq(t->has_at_least, 0);
    ck_assert_int_eq(t->has_at_most, 0);
    assert_loc(&t->baseline_loc, 33, 54, "tests[2].baseline");

    t = &s->tests[3];
    ck_assert_str_eq(t->name, "brier band");
    ck_assert_int_eq(t->metric, MG_METRIC_BRIER);
    ck_assert_str_eq(t->model, "champion");
    ck_assert_int_eq(t->has_at_least, 1);
    ck_assert_double_eq(t->at_least, 0.01);
    ck_assert_int_eq(t->has_at_most, 1);
    ck_assert_double_eq(t->at_most, 0.2);
    ck_assert_int_eq(t->rule, MG_RULE_ESTIMATE);
    assert_loc(&t->loc, 34, 5, "tests[3]");
    assert_loc(&t->metric_loc, 35, 13, "tests[3].metric");
    assert_loc(&t->model_loc, 36, 12, "tests[3].model");

    t = &s->tests[4];
    ck_assert_int_eq(t->metric, MG_METRIC_AVERAGE_PRECISION);
    ck_assert_str_eq(t->baseline, "legacy");
    ck_assert_int_eq(t->comparison, MG_COMPARE_SUPERIOR);
    ck_assert_double_eq(t->margin, 0.05);
    ck_assert_int_eq(t->relative, 1);

    t = &s->tests[5];
    ck_assert_str_eq(t->name, "like champion");
    ck_assert_int_eq(t->metric, MG_METRIC_ACCURACY);
    ck_assert_str_eq(t->slices, "region_x_plan");
    ck_assert_str_eq(t->baseline, "champion");
    ck_assert_int_eq(t->comparison, MG_COMPARE_EQUIVALENT);
    ck_assert_double_eq(t->margin, 0.02);
    ck_assert_int_eq(t->relative, 0);
    ck_assert_int_eq(t->min_size, 0);

    mg_suite_free(s);
}
END_TEST

START_TEST(test_defaults)
{
    mg_suite *s = load_ok(tu_src("tests/data/suites/minimal.yaml"));

    ck_assert_str_eq(s->name, "minimal");
    ck_assert_str_eq(s->data.holdout, tu_src("tests/data/suites/holdout.csv"));
    ck_assert_ptr_null(s->data.id);
    assert_loc(&s->data.id_loc, 0, 0, "data.id");
    ck_assert_str_eq(s->data.label, "y");
    ck_assert_str_eq(s->data.positive, "1"); /* written unquoted: positive: 1 */
    ck_assert_int_eq(s->data.delimiter, ',');
    ck_assert_uint_eq(s->nmodels, 1);
    ck_assert_ptr_null(s->models[0].file);
    ck_assert_int_eq(s->models[0].has_threshold, 0);
    ck_assert_double_eq(s->threshold, 0.5);
    ck_assert_uint_eq(s->bootstrap.replicates, 2000);
    ck_assert_double_eq(s->bootstrap.confidence, 0.95);
    ck_assert_int_eq(s->bootstrap.interval, MG_INTERVAL_BCA);
    ck_assert(s->bootstrap.seed == 1);
    ck_assert_int_eq(s->bootstrap.stratify, MG_STRATIFY_NONE);
    ck_assert_ptr_null(s->bootstrap.cluster);
    ck_assert_int_eq(s->bootstrap.resampler, MG_RESAMPLER_MULTINOMIAL);
    assert_loc(&s->bootstrap.loc, 0, 0, "bootstrap");
    assert_loc(&s->bootstrap.interval_loc, 0, 0, "bootstrap.interval");
    assert_loc(&s->bootstrap.cluster_loc, 0, 0, "bootstrap.cluster");
    ck_assert_uint_eq(s->nslicings, 0);
    ck_assert_ptr_null(s->slicings);
    ck_assert_uint_eq(s->min_size, 1);
    ck_assert_uint_eq(s->ntests, 0);
    ck_assert_ptr_null(s->tests);
    mg_suite_free(s);
}
END_TEST

START_TEST(test_aliases)
{
    mg_suite *s = load_ok(tu_src("tests/data/suites/aliases.yaml"));

    ck_assert_str_eq(s->data.positive, "yes");
    ck_assert_uint_eq(s->nmodels, 2);
    ck_assert_str_eq(s->models[1].name, "champion");
    ck_assert_str_eq(s->models[1].score, "p");
    /* An alias is the anchored node itself: its location is the anchor's. */
    assert_loc(&s->models[1].score_loc, 7, 29, "models.champion.score");
    ck_assert_uint_eq(s->slicings[0].ncolumns, 2);
    ck_assert_str_eq(s->slicings[0].columns[1], "plan");
    ck_assert_double_eq(s->tests[0].at_least, 0.7);
    ck_assert_double_eq(s->tests[1].at_least, 0.7);
    ck_assert_str_eq(s->tests[1].slices, "cross");
    mg_suite_free(s);
}
END_TEST

START_TEST(test_lookup)
{
    mg_suite *s = load_ok(tu_src("tests/data/suites/full.yaml"));

    ck_assert_int_eq(mg_suite_model(s, "candidate"), 0);
    ck_assert_int_eq(mg_suite_model(s, "legacy"), 2);
    ck_assert_int_eq(mg_suite_model(s, "region"), -1);
    ck_assert_int_eq(mg_suite_model(s, NULL), -1);
    ck_assert_int_eq(mg_suite_model(NULL, "candidate"), -1);
    ck_assert_int_eq(mg_suite_slicing(s, "region_x_plan"), 2);
    ck_assert_int_eq(mg_suite_slicing(s, "candidate"), -1);
    ck_assert_int_eq(mg_suite_slicing(NULL, "region"), -1);
    mg_suite_free(s);
    mg_suite_free(NULL);
}
END_TEST

START_TEST(test_suite_error)
{
    const char *path = tu_src("tests/data/suites/full.yaml");
    mg_suite *s = load_ok(path);
    mg_error err = MG_ERROR_INIT;
    char line[2048], want[2048];

    ck_assert_int_eq(mg_suite_error(s, &s->models[0].score_loc, &err, MG_EDATA,
                                    "no column '%s' in %s", "p", "preds/c.csv"),
                     MG_EDATA);
    ck_assert_int_eq(err.code, MG_EDATA);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, 13);
    ck_assert_uint_eq(err.column, 49);
    ck_assert_str_eq(err.key, "models.candidate.score");
    ck_assert_str_eq(err.message, "no column 'p' in preds/c.csv");
    mg_error_format(&err, line, sizeof line);
    snprintf(want, sizeof want,
             "%s:13:49: key 'models.candidate.score': no column 'p' in preds/c.csv",
             path);
    ck_assert_str_eq(line, want);

    /* A defaulted value: the key that would change it, no line. */
    mg_suite_error(s, &s->tests[0].baseline_loc, &err, MG_EDATA, "x");
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.key, "tests[0].baseline");

    /* No location at all, and no record. */
    mg_suite_error(s, NULL, &err, MG_EINVAL, "plain %d", 7);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.key, "");
    ck_assert_str_eq(err.message, "plain 7");
    ck_assert_int_eq(mg_suite_error(s, NULL, NULL, MG_EDATA, "ignored"), MG_EDATA);
    mg_suite_free(s);
}
END_TEST

/* ---- edge ---------------------------------------------------------------------- */

#define HEAD3                                                                          \
    "suite: s\n"                                                                       \
    "task: binary\n"                                                                   \
    "data: {holdout: h.csv, label: y, positive: \"1\"}\n"
#define HEAD  HEAD3 "models: {candidate: {score: p}}\n"
#define HEAD2 HEAD3 "models: {candidate: {score: p}, champion: {score: q}}\n"
#define MC                                                                             \
    "suite: s\n"                                                                       \
    "task: multiclass\n"                                                               \
    "data: {holdout: h.csv, label: y, classes: [a, b, c]}\n"
#define MCM MC "models: {candidate: {prefix: p_}}\n"

START_TEST(test_boundaries)
{
    const char *dir = tu_scratch_dir("suite_bounds");
    mg_suite *s;

    s = load_ok(tu_write(dir, "low.yaml",
                         HEAD "threshold: -1e-3\n"
                              "bootstrap: {replicates: 1, confidence: 0.5, seed: 0}\n"
                              "min_size: 0\n"
                              "slices: {age: {column: age, bins: [+.5]}}\n"));
    ck_assert_double_eq(s->threshold, -0.001);
    ck_assert_uint_eq(s->bootstrap.replicates, 1);
    ck_assert_double_eq(s->bootstrap.confidence, 0.5);
    ck_assert(s->bootstrap.seed == 0);
    ck_assert_uint_eq(s->min_size, 0);
    ck_assert_uint_eq(s->slicings[0].nbins, 1);
    ck_assert_double_eq(s->slicings[0].bins[0], 0.5);
    mg_suite_free(s);

    s = load_ok(tu_write(dir, "high.yaml",
                         HEAD
                         "threshold: 1.\n"
                         "bootstrap: {replicates: 10000000, confidence: 0.999999}\n"
                         "tests:\n"
                         "  - {name: n, metric: n, at_least: 0, at_most: 0}\n"));
    ck_assert_double_eq(s->threshold, 1.0);
    ck_assert_uint_eq(s->bootstrap.replicates, 10000000);
    ck_assert_double_eq(s->bootstrap.confidence, 0.999999);
    ck_assert_int_eq(s->tests[0].metric, MG_METRIC_N);
    ck_assert_double_eq(s->tests[0].at_least, 0); /* at_least == at_most is allowed */
    mg_suite_free(s);

    /* Scalars in every quoting style are strings; explicit document markers. */
    s = load_ok(
        tu_write(dir, "styles.yaml",
                 "---\nsuite: 'single'\ntask: \"binary\"\n"
                 "data: {holdout: h.csv, label: 7, positive: true, "
                 "delimiter: ';'}\nmodels:\n  candidate:\n    score: |-\n      block\n"
                 "...\n"));
    ck_assert_str_eq(s->name, "single");
    ck_assert_str_eq(s->data.label, "7");
    ck_assert_str_eq(s->data.positive, "true");
    ck_assert_int_eq(s->data.delimiter, ';');
    ck_assert_str_eq(s->models[0].score, "block");
    mg_suite_free(s);
}
END_TEST

START_TEST(test_paths)
{
    const char *dir = tu_scratch_dir("suite_paths");
    char cwd[4096], sub[4200], want[4300];
    mg_suite *s;

    /* Absolute paths stay as written. */
    s = load_ok(tu_write(dir, "abs.yaml",
                         "suite: s\ntask: binary\n"
                         "data: {holdout: /data/h.csv, label: y, positive: 1}\n"
                         "models: {candidate: {file: ../p.csv, score: p}}\n"));
    ck_assert_str_eq(s->data.holdout, "/data/h.csv");
    snprintf(want, sizeof want, "%s/../p.csv", dir);
    ck_assert_str_eq(s->models[0].file, want);
    mg_suite_free(s);

    /* A suite path without a directory part: relative paths stay relative. */
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(dir), 0);
    s = load_ok("abs.yaml");
    ck_assert_str_eq(s->path, "abs.yaml");
    ck_assert_str_eq(s->models[0].file, "../p.csv");
    mg_suite_free(s);

    /* A relative suite path in a subdirectory: joined as written, not canonicalised. */
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    ck_assert_int_eq(system("mkdir -p a/b"), 0);
    tu_write(sub, "s.yaml", HEAD);
    s = load_ok("a/b/s.yaml");
    ck_assert_str_eq(s->data.holdout, "a/b/h.csv");
    mg_suite_free(s);
    ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_long_key)
{
    const char *dir = tu_scratch_dir("suite_long");
    char text[1024], name[201];
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;

    memset(name, 'm', 200);
    name[200] = '\0';
    snprintf(text, sizeof text, HEAD3 "models: {%s: {file: f.csv}}\n", name);
    ck_assert_int_eq(mg_suite_load(&s, tu_write(dir, "s.yaml", text), &err), MG_EPARSE);
    ck_assert_ptr_null(s);
    /* The key path is cut to the record's size, never overflowing it. */
    ck_assert_uint_eq(strlen(err.key), MG_ERROR_KEY_MAX - 1);
    ck_assert_int_eq(strncmp(err.key, "models.mmmm", 11), 0);
    ck_assert_str_eq(err.message, "missing required key 'score'");
    ck_assert_uint_eq(err.line, 4);
    ck_assert_uint_eq(err.column, 212);

    /* A long bad value is quoted clipped. */
    snprintf(text, sizeof text, HEAD "threshold: %s\n", name);
    ck_assert_int_eq(mg_suite_load(&s, tu_write(dir, "t.yaml", text), &err), MG_EPARSE);
    ck_assert_str_eq(
        err.message,
        "expected a number, got 'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm...'");
}
END_TEST

START_TEST(test_example)
{
    /* The churn example that the engine's reference tests read. */
    mg_suite *s = load_ok(tu_src("examples/churn/suite.yaml"));

    ck_assert_str_eq(s->name, "churn-model");
    ck_assert_uint_eq(s->nmodels, 2);
    ck_assert_uint_eq(s->nslicings, 3);
    ck_assert_uint_eq(s->ntests, 5);
    ck_assert_int_eq(s->tests[3].comparison, MG_COMPARE_NON_INFERIOR);
    ck_assert_int_eq(s->tests[4].metric, MG_METRIC_BRIER);
    ck_assert_str_eq(s->models[1].file, tu_src("examples/churn/preds/champion.csv"));
    mg_suite_free(s);
}
END_TEST

START_TEST(test_multiclass_example)
{
    /* The digits example: classes, a prefix, a list and a label column, class and k. */
    mg_suite *s = load_ok(tu_src("examples/multiclass/suite.yaml"));

    ck_assert_int_eq(s->task, MG_TASK_MULTICLASS);
    ck_assert_ptr_null(s->data.positive);
    ck_assert_uint_eq(s->data.nclasses, 10);
    ck_assert_str_eq(s->data.classes[8], "8");
    ck_assert_double_eq(s->data.probability_tolerance, 1e-6);
    ck_assert_str_eq(s->models[0].prefix, "p_");
    ck_assert_ptr_null(s->models[0].score);
    ck_assert_uint_eq(s->models[1].nprobabilities, 10);
    ck_assert_str_eq(s->models[1].probabilities[9], "prob_9");
    ck_assert_str_eq(s->models[1].label, "predicted");
    ck_assert_int_eq(s->tests[0].metric, MG_METRIC_MC_ACCURACY);
    ck_assert_int_eq(s->tests[2].metric, MG_METRIC_MC_TOP_K_ACCURACY);
    ck_assert_int_eq(s->tests[2].k, 2);
    ck_assert_int_eq(s->tests[3].metric, MG_METRIC_MC_RECALL);
    ck_assert_str_eq(s->tests[3].class_name, "8");
    ck_assert_int_eq(s->tests[8].metric, MG_METRIC_MC_BRIER);
    mg_suite_free(s);
}
END_TEST

/* ---- errors -------------------------------------------------------------------- */

typedef struct bad_case {
    const char *text;
    unsigned long line, column;
    const char *key;
    const char *message;
} bad_case;

static const bad_case bad[] = {
    /* Keys. */
    {HEAD "tresholds: 0.5\n", 5, 1, "tresholds",
     "unknown key 'tresholds' (did you mean 'threshold'?)"},
    {HEAD "colour: red\n", 5, 1, "colour", "unknown key 'colour'"},
    {HEAD "bootstrap: {replicate: 10}\n", 5, 13, "bootstrap.replicate",
     "unknown key 'replicate' (did you mean 'replicates'?)"},
    {HEAD3 "models: {candidate: {score: p, treshold: 0.3}}\n", 4, 32,
     "models.candidate.treshold", "unknown key 'treshold' (did you mean 'threshold'?)"},
    {HEAD3 "models: {candidate: {prediction: y_hat}}\n", 4, 22,
     "models.candidate.prediction", "key 'prediction' is not supported yet"},
    {"suite: s\ntask: binary\ndata: {holdout: h, label: y, positive: 1, classes: "
     "[a]}\n",
     3, 52, "data.classes",
     "classes is for multiclass suites (task: multiclass); a binary suite names its "
     "positive"},
    {HEAD "tests:\n  - {name: w, metric: auc, weak_slices: {columns: [a, b]}}\n", 6, 23,
     "tests[0].metric",
     "weak_slices compares a slice with the rest of the rows, which needs a metric of "
     "sums (confusion counts or per-row losses); auc and average_precision are not"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: w, metric: recall, slices: r, "
          "weak_slices: {columns: [a]}}\n",
     7, 42, "tests[0].weak_slices",
     "weak_slices is a test of its own: no slices, where, baseline, thresholds or "
     "gaps beside it"},
    {HEAD "tests:\n  - {name: w, metric: recall, weak_slices: {columns: []}}\n", 6, 54,
     "tests[0].weak_slices.columns", "expected at least one column"},
    {HEAD "tests:\n  - {name: w, metric: recall, weak_slices: {columns: [a], "
          "depth: 5}}\n",
     6, 66, "tests[0].weak_slices.depth",
     "expected an integer between 1 and 4, got '5'"},
    {HEAD "tests:\n  - {name: gap, metric: recall, max_gap: 0.05}\n", 6, 33,
     "tests[0].max_gap", "max_gap compares the slices of a slicing: give slices"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: recall, slices: r, "
          "min_ratio: 1.25}\n",
     7, 53, "tests[0].min_ratio", "expected a ratio in (0, 1], got '1.25'"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: recall, slices: r, "
          "max_gap: -0.1}\n",
     7, 51, "tests[0].max_gap", "expected a non-negative difference, got '-0.1'"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: recall, slices: r, "
          "max_gap: 0.1, vs_overall: 0.1}\n",
     7, 56, "tests[0].vs_overall",
     "only one of max_gap, min_ratio or vs_overall may be given"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: recall, slices: r, "
          "max_gap: 0.1, at_least: 0.5}\n",
     7, 42, "tests[0].max_gap",
     "max_gap is a test of its own; at_least and at_most belong in another test"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: mcc, slices: r, "
          "min_ratio: 0.8}\n",
     7, 39, "tests[0].min_ratio",
     "min_ratio needs a metric that is never negative, and mcc can be"},
    {HEAD "slices: {r: region}\ntests:\n  - {name: g, metric: positive_rate, "
          "slices: r, vs_overall: 0.1}\n",
     7, 49, "tests[0].vs_overall",
     "positive_rate is descriptive (neither higher nor lower is better), so no slice "
     "is worse than the whole set; use max_gap or min_ratio"},
    {HEAD "tests:\n  - {name: c, metric: recall, at_least: 0.5, correction: holm}\n", 6,
     58, "tests[0].correction",
     "a correction applies to rule: lenient only (a strict family needs every slice "
     "to pass, which needs no correction; estimate has no error control to correct)"},
    {HEAD "tests:\n  - {name: c, metric: recall, at_least: 0.5, rule: lenient, "
          "correction: hom}\n",
     6, 73, "tests[0].correction", "unknown correction 'hom' (did you mean 'holm'?)"},
    {HEAD2 "tests:\n  - {name: c, metric: auc, at_least: 0.5, baseline: champion, "
           "non_inferior: 0}\n",
     6, 53, "tests[0].baseline",
     "a test is a threshold test (at_least, at_most) or a comparison (baseline), not "
     "both; write two tests"},
    {HEAD "threshold: 0.5\nthreshold: 0.6\n", 6, 1, "threshold",
     "duplicate key 'threshold' (first at line 5)"},
    {HEAD3 "models:\n  candidate: {score: p}\n  candidate: {score: q}\n", 6, 3,
     "models.candidate", "duplicate key 'candidate' (first at line 5)"},
    {HEAD "<<: {threshold: 0.4}\n", 5, 1, "<<", "merge keys ('<<') are not supported"},
    {HEAD "? [a, b]\n: 1\n", 5, 3, "", "expected a name as key, got a list"},
    /* Required keys, reported at the map that should hold them. */
    {"task: binary\ndata: {holdout: h, label: y, positive: 1}\n"
     "models: {candidate: {score: p}}\n",
     1, 1, "suite", "missing required key 'suite'"},
    {"suite: s\ndata: {holdout: h, label: y, positive: 1}\n", 1, 1, "task",
     "missing required key 'task'"},
    {HEAD3, 1, 1, "models", "missing required key 'models'"},
    {"suite: s\ntask: binary\ndata: {holdout: h.csv, positive: \"1\"}\n", 3, 7,
     "data.label", "missing required key 'label'"},
    {HEAD3 "models: {candidate: {file: c.csv}}\n", 4, 21, "models.candidate.score",
     "missing required key 'score'"},
    {HEAD "tests:\n  - {name: a, at_least: 0.8}\n", 6, 5, "tests[0].metric",
     "missing required key 'metric'"},
    /* Types. */
    {HEAD "threshold: abc\n", 5, 12, "threshold", "expected a number, got 'abc'"},
    {HEAD "threshold: \"0.5\"\n", 5, 12, "threshold",
     "expected a number, got a quoted string '0.5'"},
    {HEAD "threshold: .inf\n", 5, 12, "threshold", "expected a number, got '.inf'"},
    {HEAD "threshold: .nan\n", 5, 12, "threshold", "expected a number, got '.nan'"},
    {HEAD "threshold: 0x10\n", 5, 12, "threshold", "expected a number, got '0x10'"},
    {HEAD "threshold: 1e999\n", 5, 12, "threshold",
     "expected a finite number, got '1e999'"},
    {HEAD "threshold: [0.5]\n", 5, 12, "threshold", "expected a number, got a list"},
    {HEAD "threshold:\n", 5, 11, "threshold", "expected a number, got an empty value"},
    {HEAD3 "models: {candidate: {score: p, threshold: high}}\n", 4, 43,
     "models.candidate.threshold", "expected a number, got 'high'"},
    {HEAD "bootstrap: 2000\n", 5, 12, "bootstrap", "expected a map, got '2000'"},
    {HEAD "tests: {name: x}\n", 5, 8, "tests", "expected a list, got a map"},
    {HEAD3 "models: {candidate: p}\n", 4, 21, "models.candidate",
     "expected a map, got 'p'"},
    {HEAD3 "models: {}\n", 4, 9, "models", "expected at least one model"},
    {"suite: \"\"\n", 1, 8, "suite", "expected a non-empty string"},
    {"suite: ~\n", 1, 8, "suite", "expected a string, got null"},
    {"suite: s\ntask: binary\ndata: {holdout: h, label: y, positive: [1]}\n", 3, 40,
     "data.positive", "expected a string, got a list"},
    {"suite: \"a\\0b\"\n", 1, 8, "suite", "expected a string without NUL characters"},
    {"- a\n- b\n", 1, 1, "", "expected a map, got a list"},
    {"hello\n", 1, 1, "", "expected a map, got 'hello'"},
    {"suite: s\ntask: binary\n"
     "data: {holdout: h.csv, label: y, positive: \"1\", delimiter: ';;'}\n",
     3, 60, "data.delimiter", "expected a one-character delimiter, got ';;'"},
    {HEAD "min_size: 1.5\n", 5, 11, "min_size", "expected an integer, got '1.5'"},
    /* Task. */
    {"suite: s\ntask: regression\n", 2, 7, "task",
     "task 'regression' is not supported yet (binary or multiclass)"},
    /* Multiclass keys. */
    {MC "models: {candidate: {score: p}}\n", 4, 22, "models.candidate.score",
     "score is for binary models; a multiclass model names its probability columns "
     "(probabilities or prefix) and/or its predicted class (label)"},
    {MC "models: {candidate: {file: f.csv}}\n", 4, 21, "models.candidate",
     "a multiclass model needs probabilities (a list of columns, one per class), "
     "prefix (columns named prefix + class) or label (its predicted class)"},
    {MC "models: {candidate: {prefix: p_, probabilities: [x, y, z]}}\n", 4, 30,
     "models.candidate.prefix", "give probabilities or prefix, not both"},
    {MC "models: {candidate: {probabilities: [x, y]}}\n", 4, 37,
     "models.candidate.probabilities",
     "2 probability columns for 3 classes (data.classes, line 3): one column per "
     "class, in that order"},
    {"suite: s\ntask: multiclass\ndata: {holdout: h.csv, label: y, positive: a}\n", 3,
     44, "data.positive",
     "positive is for binary suites; a multiclass suite may list its classes "
     "(data.classes)"},
    {HEAD3 "models: {candidate: {score: p, label: q}}\n", 4, 32,
     "models.candidate.label",
     "probabilities, prefix and label are for multiclass models (task: multiclass); a "
     "binary model names its score"},
    {"suite: s\ntask: multiclass\ndata: {holdout: h.csv, label: y, classes: [a, a]}\n",
     3, 47, "data.classes[1]", "'a' appears twice in the list"},
    {MCM "tests:\n  - {name: r, metric: recall, at_least: 0.5}\n", 6, 5, "tests[0]",
     "recall of a multiclass model is one class's: add class: NAME (or use "
     "macro_recall)"},
    {MCM "tests:\n  - {name: r, metric: recall, class: d, at_least: 0.5}\n", 6, 38,
     "tests[0].class", "class 'd' is not in data.classes"},
    {MCM "tests:\n  - {name: r, metric: macro_f1, class: a, at_least: 0.5}\n", 6, 33,
     "tests[0].class",
     "class applies to a multiclass per-class metric (precision, recall, f1, auc), "
     "not to macro_f1"},
    {MCM "tests:\n  - {name: r, metric: accuracy, k: 3, at_least: 0.5}\n", 6, 33,
     "tests[0].k", "k applies to top_k_accuracy, not to accuracy"},
    {MCM "tests:\n  - {name: r, metric: top_k_accuracy, k: 0, at_least: 0.5}\n", 6, 42,
     "tests[0].k", "expected an integer between 1 and 256, got '0'"},
    {MCM "tests:\n  - {name: r, metric: specificity, at_least: 0.5}\n", 6, 23,
     "tests[0].metric",
     "specificity is not a multiclass metric (docs/metrics.md lists each task's "
     "metrics)"},
    {HEAD "tests:\n  - {name: r, metric: macro_f1, at_least: 0.5}\n", 6, 23,
     "tests[0].metric",
     "macro_f1 is not a binary metric (docs/metrics.md lists each task's metrics)"},
    {"suite: s\ntask: x\n", 2, 7, "task", "unknown task 'x'"},
    {"suite: s\ntask: binar\n", 2, 7, "task",
     "unknown task 'binar' (did you mean 'binary'?)"},
    /* Bootstrap ranges. */
    {HEAD "bootstrap: {replicates: 0}\n", 5, 25, "bootstrap.replicates",
     "expected an integer between 1 and 10000000, got '0'"},
    {HEAD "bootstrap: {replicates: -5}\n", 5, 25, "bootstrap.replicates",
     "expected an integer between 1 and 10000000, got '-5'"},
    {HEAD "bootstrap: {replicates: 1000000000}\n", 5, 25, "bootstrap.replicates",
     "expected an integer between 1 and 10000000, got '1000000000'"},
    {HEAD "bootstrap: {replicates: 99999999999999999999999}\n", 5, 25,
     "bootstrap.replicates",
     "expected an integer between 1 and 10000000, got '99999999999999999999999'"},
    {HEAD "bootstrap: {replicates: 1.5}\n", 5, 25, "bootstrap.replicates",
     "expected an integer, got '1.5'"},
    {HEAD "bootstrap: {confidence: 0}\n", 5, 25, "bootstrap.confidence",
     "expected a number between 0 and 1 (exclusive), got '0'"},
    {HEAD "bootstrap: {confidence: 1}\n", 5, 25, "bootstrap.confidence",
     "expected a number between 0 and 1 (exclusive), got '1'"},
    {HEAD "bootstrap: {confidence: 1.5}\n", 5, 25, "bootstrap.confidence",
     "expected a number between 0 and 1 (exclusive), got '1.5'"},
    {HEAD "bootstrap: {interval: bac}\n", 5, 23, "bootstrap.interval",
     "unknown interval 'bac' (did you mean 'bca'?)"},
    {HEAD "bootstrap: {interval: jackknife}\n", 5, 23, "bootstrap.interval",
     "unknown interval 'jackknife' (expected bca, percentile, basic or analytic)"},
    {HEAD "bootstrap: {seed: -1}\n", 5, 19, "bootstrap.seed",
     "expected a non-negative integer, got '-1'"},
    {HEAD "bootstrap: {seed: 18446744073709551616}\n", 5, 19, "bootstrap.seed",
     "expected an integer between 0 and 18446744073709551615, got "
     "'18446744073709551616'"},
    {HEAD "bootstrap: {stratify: cluster}\n", 5, 23, "bootstrap.stratify",
     "unknown stratify 'cluster' (expected none or label)"},
    {HEAD "bootstrap: {resampler: poison}\n", 5, 24, "bootstrap.resampler",
     "unknown resampler 'poison' (did you mean 'poisson'?)"},
    /* Slicings. */
    {HEAD "slices:\n  rp: [region]\n", 6, 7, "slices.rp",
     "a cross needs at least two columns or slicings"},
    {HEAD "slices:\n  region_x_plan: [region, region]\n", 6, 27,
     "slices.region_x_plan[1]", "'region' appears twice in the cross"},
    {HEAD "slices:\n  r: {cross: [a]}\n", 6, 14, "slices.r.cross",
     "a cross needs at least two columns or slicings"},
    {HEAD "slices:\n  r: {column: region, cross: [a, b]}\n", 6, 23, "slices.r.cross",
     "a slicing has a column or a cross, not both"},
    {HEAD "slices:\n  a: [b, x]\n  b: [a, y]\n", 6, 7, "slices.a[0]",
     "slicing 'a' crosses 'b', which leads back to it (a circle of slicings)"},
    {HEAD "slices:\n  r: {}\n", 6, 6, "slices.r",
     "a slicing needs a column, a cross or a where filter"},
    /* Quantiles and groups. */
    {HEAD "slices:\n  tenure: {column: t, quantiles: 1}\n", 6, 34,
     "slices.tenure.quantiles", "expected an integer between 2 and 10000, got '1'"},
    {HEAD "slices:\n  tenure: {column: t, bins: [1, 2], quantiles: 4}\n", 6, 37,
     "slices.tenure.quantiles",
     "bins and quantiles cannot be combined: a slicing cuts a column one way (cross "
     "two slicings instead)"},
    {HEAD "slices:\n  tenure: {quantiles: 4}\n", 6, 12, "slices.tenure.quantiles",
     "quantiles needs a column"},
    {HEAD "slices:\n  r: {column: region, groups: {EU: [DE, FR], W: [US, FR]}}\n", 6,
     54, "slices.r.groups.W[1]", "value 'FR' is already in group 'EU'"},
    {HEAD "slices:\n  r: {column: region, groups: {EU: [DE, DE]}}\n", 6, 41,
     "slices.r.groups.EU[1]", "value 'DE' is already in group 'EU'"},
    {HEAD "slices:\n  r: {column: region, groups: {EU: {a: b}}}\n", 6, 36,
     "slices.r.groups.EU", "expected a value or a list of values, got a map"},
    {HEAD "slices:\n  r: {column: region, groups: {}}\n", 6, 31, "slices.r.groups",
     "expected at least one group"},
    {HEAD "slices:\n  r: {column: region, other: false}\n", 6, 23, "slices.r.other",
     "other needs groups"},
    /* Filters. */
    {HEAD "slices:\n  r: {column: region, where: {age: {\"=<\": 60}}}\n", 6, 37,
     "slices.r.where.age.=<", "unknown where operator '=<' (did you mean '<='?)"},
    {HEAD "slices:\n  r: {column: region, where: {plan: {in: basic}}}\n", 6, 42,
     "slices.r.where.plan.in", "expected a list of values, got 'basic'"},
    {HEAD "slices:\n  r: {column: region, where: {age: {\"<\": young}}}\n", 6, 42,
     "slices.r.where.age.<", "expected a number, got 'young'"},
    {HEAD "slices:\n  r: {column: region, where: {}}\n", 6, 30, "slices.r.where",
     "expected at least one condition"},
    {HEAD "slices:\n  r: {column: region, where: {age: {}}}\n", 6, 36,
     "slices.r.where.age", "expected at least one operator (<, <=, >, >=, in, not_in)"},
    {HEAD "slices:\n  r: {column: region, where: {plan: {not_in: []}}}\n", 6, 46,
     "slices.r.where.plan.not_in", "expected at least one value"},
    {HEAD "tests:\n  - {name: t, metric: auc, where: {plan: {\"<\": [1]}}, "
          "at_least: 0.5}\n",
     6, 48, "tests[0].where.plan.<", "expected a number, got a list"},
    {HEAD "tests:\n  - {name: t, metric: auc, where: plan, at_least: 0.5}\n", 6, 35,
     "tests[0].where", "expected a map, got 'plan'"},
    /* Thresholds per slice. */
    {HEAD "slices:\n  r: region\ntests:\n  - {name: t, metric: auc, slices: r, "
          "at_least: {r=x: 0.5}}\n",
     8, 49, "tests[0].at_least",
     "at_least per slice needs a default for the slices it does not name: {default: "
     "0.8, \"region=central\": 0.7}"},
    {HEAD "tests:\n  - {name: t, metric: auc, at_least: {default: 0.5, r=x: 0.5}}\n", 6,
     28, "tests[0].at_least",
     "thresholds per slice need slices: a test without slices has one case, overall"},
    {HEAD "slices:\n  r: region\ntests:\n  - {name: t, metric: auc, slices: r, "
          "at_least: {default: 0.5, r=x: high}}\n",
     8, 69, "tests[0].at_least.r=x", "expected a number, got 'high'"},
    {HEAD "slices:\n  rp: [region, [plan]]\n", 6, 16, "slices.rp[1]",
     "expected a string, got a list"},
    {HEAD "slices:\n  tenure: {column: t, bins: [0, 12, 6]}\n", 6, 37,
     "slices.tenure.bins[2]", "bin edges must be ascending, got 6 after 12"},
    {HEAD "slices:\n  tenure: {column: t, bins: []}\n", 6, 29, "slices.tenure.bins",
     "expected at least one bin edge"},
    {HEAD "slices:\n  tenure: {column: t, bins: [0, x]}\n", 6, 33,
     "slices.tenure.bins[1]", "expected a number, got 'x'"},
    {HEAD "slices:\n  tenure: {bins: [1]}\n", 6, 12, "slices.tenure.bins",
     "bins needs a column"},
    /* Tests. */
    {HEAD "tests:\n  - {name: a, metric: aucc, at_least: 0.8}\n", 6, 23,
     "tests[0].metric", "unknown metric 'aucc' (did you mean 'auc'?)"},
    {HEAD "tests:\n  - {name: a, metric: gini, at_least: 0.8}\n", 6, 23,
     "tests[0].metric", "unknown metric 'gini'"},
    {HEAD "tests:\n  - {name: a, metric: auc, model: candidat, at_least: 0.8}\n", 6, 35,
     "tests[0].model",
     "model 'candidat' is not declared under models (did you mean 'candidate'?)"},
    {HEAD
     "tests:\n  - {name: a, metric: auc, baseline: champion, non_inferior: 0.01}\n",
     6, 38, "tests[0].baseline", "model 'champion' is not declared under models"},
    {HEAD "tests:\n  - {name: a, metric: auc, slices: region, at_least: 0.8}\n", 6, 36,
     "tests[0].slices", "slicing 'region' is not declared under slices"},
    {HEAD3 "models: {champion: {score: p}}\n"
           "tests:\n  - {name: a, metric: auc, at_least: 0.8}\n",
     6, 5, "tests[0]", "no model 'candidate' (set tests[0].model)"},
    {HEAD "tests:\n  - {name: a, metric: auc, at_least: 0.8}\n"
          "  - {name: a, metric: recall, at_least: 0.5}\n",
     7, 12, "tests[1].name", "duplicate test name 'a' (first at tests[0], line 6)"},
    {HEAD "tests:\n  - {name: a, metric: auc}\n", 6, 5, "tests[0]",
     "a test needs at_least, at_most, a baseline comparison, max_gap, min_ratio, "
     "vs_overall or weak_slices"},
    {HEAD "tests:\n  - {name: a, metric: auc, at_least: 0.9, at_most: 0.8}\n", 6, 38,
     "tests[0].at_least", "at_least (0.9) is greater than at_most (0.8)"},
    {HEAD "tests:\n  - {name: a, metric: auc, at_least: 0.9, rule: lenien}\n", 6, 49,
     "tests[0].rule", "unknown rule 'lenien' (did you mean 'lenient'?)"},
    {HEAD "tests:\n  - {name: a, metric: auc, at_least: 0.7, min_size: -3}\n", 6, 53,
     "tests[0].min_size", "expected a non-negative integer, got '-3'"},
    {HEAD "tests:\n  - {name: a, metric: auc, non_inferior: 0.01}\n", 6, 28,
     "tests[0].non_inferior", "non_inferior needs a baseline"},
    {HEAD2 "tests:\n  - {name: a, metric: auc, baseline: champion, at_least: 0.7}\n", 6,
     38, "tests[0].baseline",
     "baseline 'champion' needs one of non_inferior, superior or equivalent"},
    {HEAD2 "tests:\n  - {name: a, metric: auc, baseline: champion, non_inferior: 0.01, "
           "superior: 0.02}\n",
     6, 68, "tests[0].superior",
     "only one of non_inferior, superior or equivalent may be given"},
    {HEAD2
     "tests:\n  - {name: a, metric: auc, baseline: champion, equivalent: -0.01}\n",
     6, 60, "tests[0].equivalent", "expected a non-negative margin, got '-0.01'"},
    {HEAD2
     "tests:\n  - {name: a, metric: auc, baseline: candidate, non_inferior: 0.01}\n",
     6, 38, "tests[0].baseline",
     "baseline must differ from the model under test ('candidate')"},
    {HEAD2 "tests:\n  - {name: a, metric: auc, baseline: champion, non_inferior: 0.01, "
           "relative: yes}\n",
     6, 78, "tests[0].relative", "expected true or false, got 'yes'"},
    {HEAD "tests:\n  - {name: a, metric: auc, at_least: 0.7, relative: true}\n", 6, 43,
     "tests[0].relative", "relative needs a baseline comparison"},
    {HEAD "tests:\n  - just a name\n", 6, 5, "tests[0]",
     "expected a map, got 'just a name'"},
    /* Document structure. */
    {HEAD "---\nsuite: again\n", 6, 1, "",
     "suite file holds more than one YAML document"},
    {HEAD "threshold: *nope\n", 5, 12, "", "invalid YAML: found undefined alias"},
    {"suite: [a\n", 2, 1, "",
     "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at "
     "line 1)"},
    {"suite: &a [*a]\n", 1, 8, "suite", "suite file nested deeper than 64 levels"},
};

START_TEST(test_bad)
{
    const bad_case *b = &bad[_i];
    const char *dir = tu_scratch_dir("suite_bad");
    const char *path = tu_write(dir, "suite.yaml", b->text);
    mg_suite *s = (mg_suite *)&s; /* must be reset to NULL */
    mg_error err = MG_ERROR_INIT;
    int rc = mg_suite_load(&s, path, &err);

    ck_assert_msg(rc == MG_EPARSE, "case %d: rc %d (%s)", _i, rc, err.message);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, MG_EPARSE);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(strcmp(err.message, b->message) == 0, "case %d: message '%s'", _i,
                  err.message);
    ck_assert_msg(strcmp(err.key, b->key) == 0, "case %d: key '%s'", _i, err.key);
    ck_assert_msg(err.line == b->line && err.column == b->column,
                  "case %d (%s): at %lu:%lu, expected %lu:%lu", _i, b->message,
                  err.line, err.column, b->line, b->column);
}
END_TEST

/* Load a fixture or scratch file that must fail; returns the record. */
static mg_error load_bad(const char *path, int code)
{
    mg_suite *s = NULL;
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_suite_load(&s, path, &err), code);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.file, path);
    return err;
}

START_TEST(test_alias_bomb)
{
    /* Visits in depth-first order: root, "suite", the anchored list and its nine
     * scalars, and so on, each later list expanding its aliases. The 100001st visit
     * is the sixth 'lol' of line 3, reached through "tests"; the same walk over
     * PyYAML's composed graph (yaml.compose) stops at the same node. */
    mg_error err = load_bad(tu_src("tests/data/suites/alias_bomb.yaml"), MG_EPARSE);

    ck_assert_str_eq(err.message, "suite file too large or too deeply nested "
                                  "(alias expansion)");
    ck_assert_str_eq(err.key, "tests");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 37);
}
END_TEST

START_TEST(test_deep_nesting)
{
    /* Root map level 1, the outer list level 2: the 64th '[' (column 7 + 64) is the
     * first node past 64 levels. */
    mg_error err = load_bad(tu_src("tests/data/suites/deep_nesting.yaml"), MG_EPARSE);

    ck_assert_str_eq(err.message, "suite file nested deeper than 64 levels");
    ck_assert_str_eq(err.key, "tests");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 71);
}
END_TEST

START_TEST(test_files)
{
    const char *dir = tu_scratch_dir("suite_files");
    char missing_path[4200];
    mg_error err;
    mg_suite *s = NULL;

    err = load_bad(tu_write(dir, "empty.yaml", ""), MG_EPARSE);
    ck_assert_str_eq(err.message, "empty suite file");
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.key, "");

    err = load_bad(tu_write(dir, "comments.yaml", "# nothing here\n\n"), MG_EPARSE);
    ck_assert_str_eq(err.message, "empty suite file");

    err = load_bad(dir, MG_EIO);
    ck_assert_str_eq(err.message, "suite file is a directory");
    ck_assert_uint_eq(err.line, 0);

    snprintf(missing_path, sizeof missing_path, "%s/nope.yaml", dir);
    err = load_bad(missing_path, MG_EIO);
    ck_assert_str_eq(err.message, "cannot open suite file: No such file or directory");

    err = load_bad(tu_write(dir, "latin1.yaml", "suite: caf\xe9\n"), MG_EPARSE);
    ck_assert_str_eq(err.message,
                     "invalid YAML: incomplete UTF-8 octet sequence at byte 10");

    ck_assert_int_eq(mg_suite_load(&s, NULL, NULL), MG_EINVAL);
    ck_assert_int_eq(mg_suite_load(NULL, "x", &err), MG_EINVAL);
}
END_TEST

static Suite *suite_suite(void)
{
    Suite *s = suite_create("suite");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *errors = tcase_create("errors");

    tcase_add_test(core, test_full);
    tcase_add_test(core, test_defaults);
    tcase_add_test(core, test_aliases);
    tcase_add_test(core, test_lookup);
    tcase_add_test(core, test_suite_error);
    tcase_add_test(edge, test_boundaries);
    tcase_add_test(edge, test_paths);
    tcase_add_test(edge, test_long_key);
    tcase_add_test(edge, test_example);
    tcase_add_test(edge, test_multiclass_example);
    tcase_add_loop_test(errors, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(errors, test_alias_bomb);
    tcase_add_test(errors, test_deep_nesting);
    tcase_add_test(errors, test_files);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, errors);
    return s;
}

int main(void)
{
    return tu_run(suite_suite());
}
