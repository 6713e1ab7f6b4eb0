/*
 * Data checks (harness/checks.c, harness/suite_checks.c): each kind's pass and its
 * failure with the exact finding, what a failure holds back, and the prevalence
 * band's interval against SciPy.
 *
 * reference: the prevalence of malignant tumours in scikit-learn's breast cancer
 *   data (569 rows, and its first 60 and 25), Wilson and Clopper–Pearson intervals
 *   at the two-sided level 2c − 1 for c = 0.95 and 0.9, against
 *   scipy.stats.binomtest(k, n).proportion_ci, to 1e-9 (they agree to ~1e-15);
 *   fewer than 10 of a class turns Wilson into Clopper–Pearson. Regenerate with
 *   /usr/bin/python3 tests/reference/make_checks_reference.py.
 * core: every kind of check, passing and failing, with its message; which tests a
 *   failure holds back (the label, the id and the row count hold back every test, a
 *   slicing's column its tests, a model's scores its tests) and that nothing is
 *   computed then; the rules of the prevalence band; what `metrics` and `validate`
 *   do with checks.
 * edge: a column absent from the header, a column the suite reads as numbers that
 *   holds a word, repeated ids under a unique check, a column of missing values
 *   only.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "reference/checks_reference_scipy.h"
#include "testutil.h"

/* ---- helpers --------------------------------------------------------------------- */

/* Every check here runs on a holdout set whose own `score` column is the model's. */
static const char *suite_head =
    "suite: checks\n"
    "task: binary\n"
    "data: {holdout: holdout.csv, label: label, "
    "positive: \"1\"%s}\n"
    "models:\n"
    "  candidate: {score: score, scores: raw}\n"
    "%s"
    "bootstrap: {replicates: 50, seed: 1, confidence: %s}\n";

typedef struct run_args {
    const char *holdout; /* CSV text */
    const char *data;    /* more keys of data:, e.g. ", id: id" */
    const char *models;  /* more models, e.g. "  other: {...}\n" */
    const char *confidence;
    const char *rest;  /* slices:, checks:, tests: */
    const char *preds; /* preds.csv text, or NULL */
    mg_run_mode mode;
} run_args;

static mg_report *run_with(const run_args *a, mg_error *err, int *rc)
{
    const char *dir = tu_scratch_dir("checks");
    char head[2048], *text;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    size_t n;

    tu_write(dir, "holdout.csv", a->holdout);
    if (a->preds)
        tu_write(dir, "preds.csv", a->preds);
    snprintf(head, sizeof head, suite_head, a->data ? a->data : "",
             a->models ? a->models : "", a->confidence ? a->confidence : "0.95");
    n = strlen(head) + strlen(a->rest) + 1;
    text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "%s%s", head, a->rest);
    ck_assert_msg(mg_suite_load(&suite, tu_write(dir, "suite.yaml", text), err) == 0,
                  "%s", err->message);
    free(text);
    o.mode = a->mode;
    *rc = mg_run_suite(&r, suite, &o, err);
    mg_suite_free(suite);
    return r;
}

static mg_report *run_ok(const run_args *a)
{
    mg_error err = MG_ERROR_INIT;
    int rc;
    mg_report *r = run_with(a, &err, &rc);

    ck_assert_msg(rc == 0, "run: %s", err.message);
    return r;
}

static const mg_case *find_case(const mg_report *r, const char *test, const char *slice)
{
    for (size_t i = 0; i < r->ncases; i++)
        if (strcmp(r->cases[i].test, test) == 0 &&
            strcmp(r->cases[i].slice, slice) == 0)
            return &r->cases[i];
    ck_abort_msg("no case %s [%s]", test, slice);
    return NULL;
}

/* The case's outcome and message are exactly these. */
static void expect(const mg_report *r, const char *test, const char *slice,
                   mg_outcome outcome, const char *message)
{
    const mg_case *k = find_case(r, test, slice);

    ck_assert_msg(k->outcome == outcome, "%s [%s]: outcome %d, expected %d (%s)", test,
                  slice, k->outcome, outcome, k->message);
    ck_assert_msg(strcmp(k->message, message) == 0,
                  "%s [%s]:\n  got      %s\n  expected %s", test, slice, k->message,
                  message);
}

/* The same with the message formatted (the holdout path as the report has it). */
static void expectf(const mg_report *r, const char *test, const char *slice,
                    mg_outcome outcome, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void expectf(const mg_report *r, const char *test, const char *slice,
                    mg_outcome outcome, const char *fmt, ...)
{
    char message[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    expect(r, test, slice, outcome, message);
}

/* A small holdout set: ids, two categories, a number, a score, a label. */
static const char *small = "id,region,plan,tenure,score,label\n"
                           "a1,north,basic,3,0.9,1\n"
                           "a2,south,basic,12,0.2,0\n"
                           "a3,north,plus,24,0.4,0\n"
                           "a4,south,basic,7,0.8,1\n"
                           "a5,north,plus,1,0.1,0\n"
                           "a6,south,basic,40,0.3,0\n"
                           "a7,north,plus,5,0.7,1\n"
                           "a8,south,basic,9,0.6,0\n";

/* The breast cancer fixture's first `rows` rows (all: -1) under the column names the
 * suite head reads (malignant as label, mean radius as score); malloc'd. */
static char *breast_cancer(int rows)
{
    size_t len = 0;
    char *all = tu_slurp(tu_src("tests/data/checks/breast_cancer.csv"), &len), *out;
    char *body, *p;
    const char *header = "id,label,score,texture\n";

    ck_assert_ptr_nonnull(all);
    body = strchr(all, '\n') + 1;
    for (p = body; rows-- > 0 && *p; p = strchr(p, '\n') + 1)
        ;
    if (rows >= -1)
        *p = '\0';
    out = malloc(strlen(header) + strlen(body) + 1);
    ck_assert_ptr_nonnull(out);
    strcpy(out, header);
    strcat(out, body);
    free(all);
    return out;
}

/* ---- reference ------------------------------------------------------------------- */

START_TEST(reference_prevalence_scipy)
{
    for (size_t i = 0; i < sizeof checks_prevalence / sizeof checks_prevalence[0];
         i++) {
        char conf[32], *holdout = breast_cancer(checks_prevalence[i].first);
        int exact_auto = checks_prevalence[i].k < 10 ||
                         checks_prevalence[i].n - checks_prevalence[i].k < 10;

        snprintf(conf, sizeof conf, "%.17g", checks_prevalence[i].confidence);
        for (int method = 0; method < 2; method++) {
            run_args a = {
                .holdout = holdout,
                .confidence = conf,
                .rest = method == 0 ? "checks:\n  - {check: prevalence, at_least: 0}\n"
                                    : "checks:\n  - {check: prevalence, "
                                      "at_least: 0, interval: clopper_pearson}\n"};
            int wilson = method == 0 && !exact_auto;
            double lo = wilson ? checks_prevalence[i].wilson_low
                               : checks_prevalence[i].exact_low;
            double hi = wilson ? checks_prevalence[i].wilson_high
                               : checks_prevalence[i].exact_high;
            mg_report *r = run_ok(&a);
            const mg_case *k = find_case(r, "prevalence", "overall");

            ck_assert_msg(k->has_ci && fabs(k->ci_low - lo) < 1e-9 &&
                              fabs(k->ci_high - hi) < 1e-9,
                          "first %d, c %s, %s: [%.17g, %.17g], SciPy [%.17g, %.17g]",
                          checks_prevalence[i].first, conf,
                          method ? "clopper_pearson" : "wilson", k->ci_low, k->ci_high,
                          lo, hi);
            ck_assert_int_eq(k->method, wilson ? MG_CI_WILSON : MG_CI_CLOPPER_PEARSON);
            ck_assert_double_eq(k->estimate, (double)checks_prevalence[i].k /
                                                 checks_prevalence[i].n);
            ck_assert_uint_eq(k->positives, (size_t)checks_prevalence[i].k);
            ck_assert_uint_eq(k->n, (size_t)checks_prevalence[i].n);
            mg_report_free(r);
        }
        free(holdout);
    }
}
END_TEST

/* ---- core: each kind ------------------------------------------------------------- */

START_TEST(min_rows)
{
    run_args a = {.holdout = small,
                  .rest = "checks:\n"
                          "  - {check: min_rows, at_least: 8, name: eight}\n"
                          "  - {check: min_rows, at_least: 9, name: nine}\n"};
    mg_report *r = run_ok(&a);

    const char *path = r->inputs[0].path;

    expectf(r, "eight", "overall", MG_OUTCOME_PASS, "%s has 8 rows, at least 8", path);
    expectf(r, "nine", "overall", MG_OUTCOME_FAIL, "%s has 8 rows, fewer than 9", path);
    ck_assert_uint_eq(r->passed, 1);
    ck_assert_uint_eq(r->failed, 1);
    ck_assert_int_eq(find_case(r, "nine", "overall")->kind, MG_TEST_DATA_CHECK);
    ck_assert_str_eq(find_case(r, "nine", "overall")->metric, "min_rows");
    ck_assert_str_eq(find_case(r, "nine", "overall")->model, "data");
    mg_report_free(r);
}
END_TEST

START_TEST(columns_and_types)
{
    run_args a = {.holdout = "id,n,i,b,s,score,label\n"
                             "a,1.5,1,true,x,0.1,1\n"
                             "b,2,2.0,0,y,0.2,0\n"
                             "c,NA,7,FALSE,z,0.3,0\n"
                             "d,3e2,,1,w,0.4,1\n",
                  .rest = "checks:\n"
                          "  - {check: columns, columns: {n: number, i: integer, "
                          "b: boolean, s: string, gone: string}}\n"
                          "  - {check: columns, name: wrong, columns: {n: integer, "
                          "s: number, i: boolean}}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "columns", "column=n", MG_OUTCOME_PASS,
           "every value of column 'n' is a number");
    expect(r, "columns", "column=i", MG_OUTCOME_PASS,
           "every value of column 'i' is an integer");
    expect(r, "columns", "column=b", MG_OUTCOME_PASS,
           "every value of column 'b' is a boolean");
    expect(r, "columns", "column=s", MG_OUTCOME_PASS, "column 's' is present");
    expectf(r, "columns", "column=gone", MG_OUTCOME_FAIL, "column 'gone' is not in %s",
            r->inputs[0].path);
    expect(r, "wrong", "column=n", MG_OUTCOME_FAIL,
           "column 'n': 1 value is not an integer (first on line 2): '1.5' (1 row)");
    expect(r, "wrong", "column=s", MG_OUTCOME_FAIL,
           "column 's': 4 values are not a number (first on line 2): 'x' (1 row), 'y' "
           "(1), 'z' (1), 'w' (1)");
    expect(r, "wrong", "column=i", MG_OUTCOME_FAIL,
           "column 'i': 2 values are not a boolean (first on line 3): '2.0' (1 row), "
           "'7' (1)");
    ck_assert_double_eq(find_case(r, "wrong", "column=s")->estimate, 4);
    mg_report_free(r);
}
END_TEST

START_TEST(max_missing)
{
    run_args a = {.holdout = "id,region,tenure,score,label\n"
                             "a,north,1,0.1,1\n"
                             "b,,2,0.2,0\n"
                             "c,NA,NA,0.3,0\n"
                             "d,south,4,0.4,1\n",
                  .rest =
                      "slices:\n  tenure: {column: tenure, bins: [0, 2]}\n"
                      "checks:\n"
                      "  - {check: max_missing, column: [region, tenure], rows: 1}\n"
                      "  - {check: max_missing, column: region, fraction: 0.5, "
                      "name: half}\n"
                      "  - {check: max_missing, model: candidate, fraction: 0}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "max_missing", "column=region", MG_OUTCOME_FAIL,
           "column 'region': 2 of 4 values missing (50%), more than 1");
    expect(r, "max_missing", "column=tenure", MG_OUTCOME_PASS,
           "column 'tenure': 1 of 4 values missing (25%), at most 1");
    expect(r, "half", "column=region", MG_OUTCOME_PASS,
           "column 'region': 2 of 4 values missing (50%), at most 50%");
    expect(r, "max_missing candidate", "column=score", MG_OUTCOME_PASS,
           "column 'score': 0 of 4 values missing (0%), at most 0%");
    ck_assert_double_eq(find_case(r, "half", "column=region")->estimate, 0.5);
    mg_report_free(r);
}
END_TEST

START_TEST(label_values_and_prevalence)
{
    run_args a = {.holdout = "id,score,label\n"
                             "a,0.1,1\n"
                             "b,0.2,TRUE\n"
                             "c,0.3,1.0\n"
                             "d,0.4,0\n"
                             "e,0.5,yes\n"
                             "f,0.6,NA\n"
                             "g,0.7,yes\n",
                  .rest = "checks:\n"
                          "  - {check: label_values, allowed: [\"1\", \"0\"]}\n"
                          "  - {check: prevalence, at_least: 0.9, rule: estimate}\n"
                          "tests:\n"
                          "  - {name: n, metric: n, at_least: 1}\n"};
    mg_report *r = run_ok(&a);
    const mg_case *k;

    /* 1, TRUE and 1.0 are one label by value; NA is missing (max_missing's) */
    expect(r, "label_values", "overall", MG_OUTCOME_FAIL,
           "column 'label': 1 label in 2 rows is not allowed: 'yes' (2 rows)");
    k = find_case(r, "prevalence", "overall");
    ck_assert_int_eq(k->outcome, MG_OUTCOME_FAIL);
    ck_assert_double_eq(k->estimate, 3.0 / 6.0); /* of the six labels not missing */
    ck_assert_uint_eq(k->n, 6);
    /* every test waits on the label */
    expect(r, "n", "overall", MG_OUTCOME_ERROR,
           "not evaluated: data check 'label_values' failed");
    ck_assert_int_eq(find_case(r, "n", "overall")->status, MG_STATUS_DATA_FAILED);
    ck_assert_uint_eq(r->replicates, 0); /* nothing was resampled */
    mg_report_free(r);
}
END_TEST

START_TEST(prevalence_rules)
{
    /* 212 of 569: Wilson 90% [0.33992, 0.40645] at confidence 0.95 (SciPy) */
    char *all = breast_cancer(-1);
    static const struct {
        const char *band, *rule;
        mg_outcome outcome;
        const char *message;
    } cases[] = {
        {"at_least: 0.35", "strict", MG_OUTCOME_FAIL,
         "prevalence 0.373 [0.340, 0.406] 90% Wilson: 95% lower bound 0.34 < 0.35 "
         "(inconclusive: the interval straddles the threshold)"},
        {"at_least: 0.35", "lenient", MG_OUTCOME_PASS,
         "prevalence 0.373 [0.340, 0.406] 90% Wilson: 95% upper bound 0.406 >= 0.35 "
         "(inconclusive: passes under the lenient rule)"},
        {"at_least: 0.35", "estimate", MG_OUTCOME_PASS,
         "prevalence 0.373 [0.340, 0.406] 90% Wilson: point estimate 0.373 >= 0.35"},
        {"at_most: 0.3", "lenient", MG_OUTCOME_FAIL,
         "prevalence 0.373 [0.340, 0.406] 90% Wilson: 95% lower bound 0.34 > 0.3 "
         "(clear failure: the whole interval is above the threshold)"},
        {"{at_least: 0.3, at_most: 0.45}", "strict", MG_OUTCOME_PASS,
         "prevalence 0.373 [0.340, 0.406] 90% Wilson: 95% lower bound 0.34 >= 0.3; "
         "95% upper bound 0.406 <= 0.45"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rest[256];
        const char *band = cases[i].band;
        mg_report *r;

        if (band[0] == '{')
            snprintf(rest, sizeof rest,
                     "checks:\n  - {check: prevalence, at_least: 0.3, at_most: 0.45, "
                     "rule: %s}\n",
                     cases[i].rule);
        else
            snprintf(rest, sizeof rest,
                     "checks:\n  - {check: prevalence, %s, rule: %s}\n", band,
                     cases[i].rule);
        run_args a = {.holdout = all, .rest = rest};
        r = run_ok(&a);
        expect(r, "prevalence", "overall", cases[i].outcome, cases[i].message);
        mg_report_free(r);
    }
    free(all);
}
END_TEST

START_TEST(range_unique_constant_categories)
{
    run_args a = {
        .holdout = "id,region,plan,tenure,code,score,label\n"
                   "a,north,basic,3,1,0.9,1\n"
                   "b,south,basic,-2,2,0.2,0\n"
                   "c,nroth,basic,80,2,1.5,0\n"
                   "d,south,basic,7,3,0.8,1\n"
                   "e,west,basic,NA,3,0.4,0\n"
                   "f,nroth,basic,5,3,0.3,1\n",
        .rest = "checks:\n"
                "  - {check: range, column: tenure, min: 0, max: 72}\n"
                "  - {check: range, model: candidate, min: 0, max: 1}\n"
                "  - {check: range, column: region, min: 0}\n"
                "  - {check: unique, column: [id, region, code]}\n"
                "  - {check: not_constant, column: [plan, region]}\n"
                "  - {check: categories, column: region, allowed: [north, south]}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "range tenure", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure': 2 of 6 values outside [0, 72] (they range from -2 to 80; "
           "the first, -2, on line 3)");
    expect(r, "range candidate", "column=score", MG_OUTCOME_FAIL,
           "column 'score': 1 of 6 values outside [0, 1] (they range from 0.2 to 1.5; "
           "the first, 1.5, on line 4)");
    expect(r, "range region", "column=region", MG_OUTCOME_FAIL,
           "column 'region': values that are not numbers: 'south' (2 rows), 'nroth' "
           "(2), 'north' (1), 'west' (1); no number to compare with the range");
    expect(r, "unique", "column=id", MG_OUTCOME_PASS,
           "column 'id': every value is different");
    expect(
        r, "unique", "column=region", MG_OUTCOME_FAIL,
        "column 'region': 2 values appear more than once (2 rows beyond the first), "
        "'south' on lines 3 and 5; the most repeated: 'south' (2 rows), 'nroth' (2)");
    expect(r, "unique", "column=code", MG_OUTCOME_FAIL,
           "column 'code': 2 values appear more than once (3 rows beyond the first), "
           "'2' on lines 3 and 4; the most repeated: '3' (3 rows), '2' (2)");
    expect(r, "not_constant", "column=plan", MG_OUTCOME_FAIL,
           "column 'plan' takes one value only: 'basic' (6 rows)");
    expect(r, "not_constant", "column=region", MG_OUTCOME_PASS,
           "column 'region' takes more than one value");
    expect(r, "categories region", "column=region", MG_OUTCOME_FAIL,
           "column 'region': 2 new categories in 3 rows: 'nroth' (2 rows), 'west' (1)");
    ck_assert_double_eq(find_case(r, "categories region", "column=region")->estimate,
                        2);
    mg_report_free(r);
}
END_TEST

/* Numbers the suite reads as numbers (a binned slicing) are checked as numbers. */
START_TEST(number_columns)
{
    run_args a = {.holdout = "id,tenure,score,label\n"
                             "a,3,0.9,1\n"
                             "b,3,0.2,0\n"
                             "c,NA,0.4,0\n"
                             "d,3.0,0.8,1\n",
                  .rest = "slices:\n  tenure: {column: tenure, bins: [0, 6]}\n"
                          "checks:\n"
                          "  - {check: unique, column: tenure}\n"
                          "  - {check: not_constant, column: tenure}\n"
                          "  - {check: range, column: tenure, max: 2}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "unique tenure", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure': 1 value appears more than once (2 rows beyond the first), "
           "e.g. 3");
    expect(r, "not_constant tenure", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure' takes one value only: 3 (3 rows)");
    expect(r, "range tenure", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure': 3 of 4 values outside [-inf, 2] (they range from 3 to 3; "
           "the first, 3, on line 2)");
    mg_report_free(r);
}
END_TEST

/* ---- core: what a failure holds back --------------------------------------------- */

START_TEST(blocks_follow_columns)
{
    run_args a = {
        .holdout = "id,region,plan,score,label\n"
                   "a,north,basic,0.9,1\n"
                   "b,south,basic,0.2,0\n"
                   "c,north,basic,0.4,0\n"
                   "d,south,basic,0.8,1\n"
                   "e,east,basic,0.3,0\n"
                   "f,north,basic,0.7,1\n",
        .models = "  other: {score: score, scores: raw}\n",
        .rest = "slices:\n  region: region\n  plan: plan\n"
                "checks:\n"
                "  - {check: categories, column: region, allowed: [north, south]}\n"
                "  - {check: not_constant, column: plan}\n"
                "tests:\n"
                "  - {name: overall, metric: n, at_least: 1, rule: estimate}\n"
                "  - {name: per region, metric: n, slices: region, at_least: 1}\n"
                "  - {name: per plan, metric: n, slices: plan, at_least: 1}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "overall", "overall", MG_OUTCOME_PASS, "n 6.000: point estimate 6 >= 1");
    expect(r, "per region", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'categories region' failed on column 'region'");
    expect(r, "per plan", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'not_constant plan' failed on column 'plan'");
    ck_assert_uint_eq(r->errors, 2);
    ck_assert_uint_eq(r->failed, 2);
    ck_assert_uint_eq(r->passed, 1);
    mg_report_free(r);
}
END_TEST

START_TEST(blocks_follow_models)
{
    run_args a = {.holdout = "id,score,label\n"
                             "a,0.9,1\nb,0.2,0\nc,0.4,0\nd,0.8,1\ne,0.3,0\nf,0.7,1\n",
                  .data = ", id: id",
                  .models = "  other: {file: preds.csv, score: p}\n",
                  .preds = "id,p\na,0.5\nb,NA\nc,0.5\nd,0.5\ne,0.5\nf,0.5\n",
                  .rest =
                      "checks:\n"
                      "  - {check: max_missing, model: other, rows: 0}\n"
                      "tests:\n"
                      "  - {name: candidate auc, metric: auc, at_least: 0.5, "
                      "rule: estimate}\n"
                      "  - {name: other auc, metric: auc, model: other, at_least: 0.5, "
                      "rule: estimate}\n"
                      "  - {name: against other, metric: auc, baseline: other, "
                      "non_inferior: 0.1, rule: estimate}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "max_missing other", "column=p", MG_OUTCOME_FAIL,
           "column 'p': 1 of 6 values missing (16.7%), more than 0");
    expect(r, "candidate auc", "overall", MG_OUTCOME_PASS,
           "auc 1.000: point estimate 1 >= 0.5");
    expect(r, "other auc", "overall", MG_OUTCOME_ERROR,
           "not evaluated: data check 'max_missing other' failed on column 'p'");
    expect(r, "against other", "overall", MG_OUTCOME_ERROR,
           "not evaluated: data check 'max_missing other' failed on column 'p'");
    mg_report_free(r);
}
END_TEST

/* ---- edge ------------------------------------------------------------------------ */

START_TEST(repeated_ids)
{
    run_args a = {.holdout = "id,score,label\n"
                             "a,0.9,1\nb,0.2,0\na,0.4,0\nd,0.8,1\n",
                  .data = ", id: id",
                  .models = "  other: {file: preds.csv, score: p}\n",
                  .preds = "id,p\na,0.5\nb,0.5\nd,0.5\n",
                  .rest = "checks:\n"
                          "  - {check: unique, column: id}\n"
                          "  - {check: range, model: other, min: 0}\n"
                          "tests:\n"
                          "  - {name: auc, metric: auc, at_least: 0.5}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "unique id", "column=id", MG_OUTCOME_FAIL,
           "column 'id': 1 value appears more than once (1 row beyond the first), 'a' "
           "on lines 2 and 4; the most repeated: 'a' (2 rows)");
    expect(r, "range other", "column=p", MG_OUTCOME_ERROR,
           "not evaluated: the holdout set's ids repeat, so the predictions of model "
           "'other' were not joined to it");
    expect(r, "auc", "overall", MG_OUTCOME_ERROR,
           "not evaluated: data check 'unique id' failed on column 'id'");
    /* one input: the predictions were not read */
    ck_assert_uint_eq(r->ninputs, 1);
    mg_report_free(r);
}
END_TEST

/* Without a unique check, repeated ids stay an input error. */
START_TEST(repeated_ids_without_check)
{
    run_args a = {.holdout = "id,score,label\na,0.9,1\nb,0.2,0\na,0.4,0\n",
                  .data = ", id: id",
                  .rest = "checks:\n  - {check: min_rows, at_least: 1}\n"};
    mg_error err = MG_ERROR_INIT;
    int rc;
    mg_report *r = run_with(&a, &err, &rc);

    ck_assert_ptr_null(r);
    ck_assert_int_eq(rc, MG_EDATA);
    ck_assert_str_eq(err.message, "duplicate id 'a' (first on line 2)");
    ck_assert_uint_eq(err.line, 4);
}
END_TEST

START_TEST(absent_and_unreadable_columns)
{
    run_args a = {
        .holdout = "id,tenure,score,label\n"
                   "a,3,0.9,1\nb,x,0.2,0\nc,5,0.4,0\nd,7,0.8,1\n",
        .rest = "slices:\n  region: region\n  tenure: {column: tenure, bins: [4]}\n"
                "checks:\n"
                "  - {check: columns, columns: {region: string, tenure: number}}\n"
                "  - {check: max_missing, column: region, rows: 0}\n"
                "tests:\n"
                "  - {name: overall, metric: n, at_least: 1, rule: estimate}\n"
                "  - {name: per region, metric: n, slices: region, at_least: 1}\n"
                "  - {name: per tenure, metric: n, slices: tenure, at_least: 1}\n"};
    mg_report *r = run_ok(&a);

    expectf(r, "columns", "column=region", MG_OUTCOME_FAIL,
            "column 'region' is not in %s", r->inputs[0].path);
    expect(r, "columns", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure': 1 value is not a number (first on line 3): 'x' (1 row)");
    expectf(r, "max_missing region", "column=region", MG_OUTCOME_ERROR,
            "not evaluated: column 'region' is not in %s", r->inputs[0].path);
    ck_assert_int_eq(find_case(r, "max_missing region", "column=region")->status,
                     MG_STATUS_NOT_CHECKED);
    expect(r, "per region", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'columns' failed on column 'region'");
    expect(r, "per tenure", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'columns' failed on column 'tenure'");
    ck_assert_int_eq(find_case(r, "overall", "overall")->outcome, MG_OUTCOME_PASS);
    mg_report_free(r);
}
END_TEST

/* A columns check with type string does not excuse a word in a binned column. */
START_TEST(word_in_number_column_still_an_input_error)
{
    run_args a = {
        .holdout = "id,tenure,score,label\na,3,0.9,1\nb,x,0.2,0\n",
        .rest = "slices:\n  tenure: {column: tenure, bins: [4]}\n"
                "checks:\n  - {check: columns, columns: {tenure: string}}\n"
                "tests:\n  - {name: t, metric: n, slices: tenure, at_least: 1}\n"};
    mg_error err = MG_ERROR_INIT;
    int rc;
    mg_report *r = run_with(&a, &err, &rc);

    ck_assert_ptr_null(r);
    ck_assert_int_eq(rc, MG_EDATA);
    ck_assert_str_eq(err.message, "column 'tenure': 'x' is not a number");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 2);
}
END_TEST

/* Filters and quantiles read columns too: a failed check on one holds back the
 * slicing or test whose filter reads it, and a word in a quantile column under a
 * columns check is the check's failure. */
START_TEST(filters_and_quantiles)
{
    run_args a = {.holdout = "id,plan,tenure,score,label\n"
                             "a,basic,3,0.9,1\nb,plus,x,0.2,0\nc,basic,5,0.4,0\n"
                             "d,plus,7,0.8,1\ne,basic,9,0.3,0\nf,gold,2,0.7,1\n",
                  .rest =
                      "slices:\n"
                      "  tq: {column: tenure, quantiles: 2}\n"
                      "  basic: {where: {plan: basic}}\n"
                      "  young: {where: {tenure: {\"<\": 6}}}\n"
                      "checks:\n"
                      "  - {check: columns, columns: {tenure: integer}}\n"
                      "  - {check: categories, column: plan, allowed: [basic, plus]}\n"
                      "tests:\n"
                      "  - {name: all, metric: n, at_least: 1, rule: estimate}\n"
                      "  - {name: by tq, metric: n, slices: tq, at_least: 1}\n"
                      "  - {name: basic only, metric: n, slices: basic, at_least: 1}\n"
                      "  - {name: young only, metric: n, slices: young, at_least: 1}\n"
                      "  - {name: plus rows, metric: n, where: {plan: plus}, "
                      "at_least: 1}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "columns", "column=tenure", MG_OUTCOME_FAIL,
           "column 'tenure': 1 value is not an integer (first on line 3): 'x' (1 row)");
    expect(r, "categories plan", "column=plan", MG_OUTCOME_FAIL,
           "column 'plan': 1 new category in 1 row: 'gold' (1 row)");
    expect(r, "all", "overall", MG_OUTCOME_PASS, "n 6.000: point estimate 6 >= 1");
    expect(r, "by tq", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'columns' failed on column 'tenure'");
    expect(r, "basic only", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'categories plan' failed on column 'plan'");
    expect(r, "young only", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'columns' failed on column 'tenure'");
    expect(r, "plus rows", "overall", MG_OUTCOME_ERROR,
           "not evaluated: data check 'categories plan' failed on column 'plan'");
    mg_report_free(r);
}
END_TEST

/* A weak_slices search reads its columns: a failed check on one holds it back. */
START_TEST(weak_slices_held_back)
{
    run_args a = {
        .holdout = small,
        .rest = "checks:\n"
                "  - {check: categories, column: plan, allowed: [basic]}\n"
                "tests:\n"
                "  - {name: weak, metric: accuracy, weak_slices: {columns: [region, "
                "plan], depth: 1, margin: 0.05}}\n"};
    mg_report *r = run_ok(&a);
    const mg_case *k = find_case(r, "weak", "all slices");

    ck_assert_int_eq(k->kind, MG_TEST_WEAK_SLICE);
    expect(r, "weak", "all slices", MG_OUTCOME_ERROR,
           "not evaluated: data check 'categories plan' failed on column 'plan'");
    mg_report_free(r);
}
END_TEST

START_TEST(all_missing_column)
{
    run_args a = {.holdout = "id,note,score,label\na,NA,0.9,1\nb,,0.2,0\n",
                  .rest = "checks:\n  - {check: not_constant, column: note}\n"};
    mg_report *r = run_ok(&a);

    expect(r, "not_constant note", "column=note", MG_OUTCOME_FAIL,
           "column 'note' has no value: every one of its 2 rows is missing");
    mg_report_free(r);
}
END_TEST

/* `metrics` explores: no check runs, and the data are read as before. */
START_TEST(metrics_and_validate)
{
    run_args a = {.holdout = small,
                  .rest = "checks:\n  - {check: min_rows, at_least: 100}\n"
                          "  - {check: columns, columns: {gone: string}}\n",
                  .mode = MG_RUN_METRICS};
    mg_report *r = run_ok(&a);

    ck_assert_uint_eq(r->ncases, 0);
    ck_assert_uint_gt(r->nmetrics, 0);
    mg_report_free(r);
    a.mode = MG_RUN_VALIDATE;
    r = run_ok(&a);
    ck_assert_uint_eq(r->ncases, 2);
    ck_assert_uint_eq(r->failed, 2);
    mg_report_free(r);
}
END_TEST

static Suite *checks_suite(void)
{
    Suite *s = suite_create("checks");
    TCase *ref = tcase_create("reference"), *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(ref, reference_prevalence_scipy);
    tcase_add_test(core, min_rows);
    tcase_add_test(core, columns_and_types);
    tcase_add_test(core, max_missing);
    tcase_add_test(core, label_values_and_prevalence);
    tcase_add_test(core, prevalence_rules);
    tcase_add_test(core, range_unique_constant_categories);
    tcase_add_test(core, number_columns);
    tcase_add_test(core, blocks_follow_columns);
    tcase_add_test(core, blocks_follow_models);
    tcase_add_test(edge, repeated_ids);
    tcase_add_test(edge, repeated_ids_without_check);
    tcase_add_test(edge, absent_and_unreadable_columns);
    tcase_add_test(edge, word_in_number_column_still_an_input_error);
    tcase_add_test(edge, filters_and_quantiles);
    tcase_add_test(edge, weak_slices_held_back);
    tcase_add_test(edge, all_missing_column);
    tcase_add_test(edge, metrics_and_validate);
    suite_add_tcase(s, ref);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}

int main(void)
{
    return tu_run(checks_suite());
}
