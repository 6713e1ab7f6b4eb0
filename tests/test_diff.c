/*
 * Tests for reporters/diff.c: two JSON reports compared.
 *
 * The base report is a real run (the churn example, 200 replicates) written by the
 * JSON reporter; each head is that report edited with jansson the way a change to
 * the model, the data or the suite would edit it (an outcome flipped, a test
 * renamed, a threshold moved, a slice gone, an input's bytes changed, another
 * seed). The tests assert the pairing and the numbers, the Markdown, and the
 * located errors for documents that are not modelgate reports or of another
 * schema.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelgate/modelgate.h"
#include "testutil.h"

static char *base_text;

/* The churn example's JSON report, computed once. */
static void setup(void)
{
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    mg_suite *suite = NULL;
    mg_report *r = NULL;

    if (base_text != NULL)
        return;
    o.replicates = 200;
    o.threads = 2;
    ck_assert_msg(mg_suite_load(&suite, tu_src("examples/churn/suite.yaml"), &err) == 0,
                  "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s", err.message);
    ck_assert_int_eq(mg_report_json_string(r, &base_text, &err), 0);
    mg_report_free(r);
    mg_suite_free(suite);
}

static json_t *base_json(void)
{
    json_error_t jerr;
    json_t *j = json_loads(base_text, 0, &jerr);
    ck_assert_ptr_nonnull(j);
    return j;
}

/* The case of `test` on `slice` in a report's JSON. */
static json_t *case_of(json_t *root, const char *test, const char *slice)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "test")), test) == 0 &&
            strcmp(json_string_value(json_object_get(c, "slice")), slice) == 0)
            return c;
    }
    ck_abort_msg("no case %s [%s]", test, slice);
    return NULL;
}

/* Compare base with `head` (consumed); the diff must succeed. */
static mg_diff *diff_with(json_t *head)
{
    mg_error err = MG_ERROR_INIT;
    mg_diff *d = NULL;
    char *text = json_dumps(head, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    ck_assert_msg(
        mg_diff_strings(&d, base_text, "base.json", text, "head.json", &err) == 0,
        "%s: %s", err.key, err.message);
    free(text);
    json_decref(head);
    return d;
}

/* The pair of `test` on `slice`. */
static const mg_diff_case *pair_of(const mg_diff *d, const char *test,
                                   const char *slice)
{
    for (size_t i = 0; i < d->ncases; i++)
        if (strcmp(d->cases[i].test, test) == 0 &&
            strcmp(d->cases[i].slice, slice) == 0)
            return &d->cases[i];
    ck_abort_msg("no pair %s [%s]", test, slice);
    return NULL;
}

static int has_note(const mg_diff *d, const char *text)
{
    for (size_t i = 0; i < d->nnotes; i++)
        if (strstr(d->notes[i], text) != NULL)
            return 1;
    return 0;
}

static char *markdown(const mg_diff *d)
{
    mg_error err = MG_ERROR_INIT;
    char *md = NULL;
    ck_assert_int_eq(mg_diff_markdown_string(d, &md, &err), 0);
    return md;
}

START_TEST(identical_reports)
{
    mg_diff *d = diff_with(base_json());
    char *md = markdown(d);
    ck_assert_uint_eq(d->ncases, 33); /* 17 data checks, 7 drift cases, 9 tests */
    ck_assert_uint_eq(d->count[MG_DIFF_SAME], 33);
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 0);
    ck_assert_uint_eq(d->nnotes, 0);
    ck_assert_int_eq(d->inputs_differ, 0);
    ck_assert_int_eq(d->seed_differs, 0);
    ck_assert_uint_eq(d->ninputs, 4);
    for (size_t i = 0; i < d->ncases; i++) {
        ck_assert_int_eq(d->cases[i].base.present && d->cases[i].head.present, 1);
        ck_assert(d->cases[i].base.value == d->cases[i].head.value);
    }
    /* cases keep head's order within a kind */
    ck_assert_str_eq(d->cases[0].test, "enough customers");
    ck_assert_str_eq(d->cases[32].test, "brier ceiling");
    ck_assert_ptr_nonnull(strstr(md,
                                 "## \xe2\x9c\x85 churn-model: no case went from pass "
                                 "to fail"));
    ck_assert_ptr_nonnull(strstr(md, "<details><summary>33 cases with an unchanged "
                                     "outcome</summary>"));
    /* an unchanged value says so rather than +0.0000 */
    ck_assert_ptr_null(strstr(md, "+0.0000"));
    free(md);
    mg_diff_free(d);
}
END_TEST

START_TEST(pass_to_fail_is_a_regression)
{
    json_t *head = base_json(), *c = case_of(head, "recall per region", "region=east");
    mg_diff *d, *back;
    const mg_diff_case *p;
    char *md, *text;
    mg_error err = MG_ERROR_INIT;

    json_object_set_new(c, "outcome", json_string("fail"));
    json_object_set_new(c, "estimate", json_real(0.41));
    json_object_set_new(c, "ci_low", json_real(0.35));
    json_object_set_new(c, "ci_high", json_real(0.47));
    text = json_dumps(head, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 1);
    ck_assert_uint_eq(d->count[MG_DIFF_SAME], 32);
    /* regressions come first */
    p = &d->cases[0];
    ck_assert_int_eq(p->kind, MG_DIFF_REGRESSED);
    ck_assert_str_eq(p->slice, "region=east");
    ck_assert_int_eq(p->base.outcome, MG_OUTCOME_PASS);
    ck_assert_int_eq(p->head.outcome, MG_OUTCOME_FAIL);
    ck_assert(p->head.value == 0.41 && p->head.ci_low == 0.35 &&
              p->head.ci_high == 0.47);
    ck_assert(p->base.value > 0.74 && p->base.value < 0.75);
    md = markdown(d);
    ck_assert_ptr_nonnull(strstr(md,
                                 "## \xe2\x9d\x8c churn-model: 1 case went from pass "
                                 "to fail"));
    ck_assert_ptr_nonnull(
        strstr(md, "| \xe2\x9c\x85 \xe2\x86\x92 \xe2\x9d\x8c | recall per "
                   "region | candidate | region=east | 0.7486 ["));
    ck_assert_ptr_nonnull(strstr(md, "| 0.4100 [0.3500, 0.4700] | -0.3386 (outside "
                                     "base's interval) |"));
    /* the table of changes comes before the folded unchanged cases */
    ck_assert_ptr_nonnull(strstr(md, "region=east"));
    ck_assert(strstr(md, "region=east") < strstr(md, "<details>"));
    free(md);
    /* the other way round it is a fix, not a regression */
    ck_assert_int_eq(
        mg_diff_strings(&back, text, "head.json", base_text, "base.json", &err), 0);
    ck_assert_uint_eq(back->count[MG_DIFF_REGRESSED], 0);
    ck_assert_uint_eq(back->count[MG_DIFF_FIXED], 1);
    ck_assert_str_eq(back->cases[0].slice, "region=east");
    mg_diff_free(back);
    free(text);
    mg_diff_free(d);
}
END_TEST

/* A case whose outcome held but whose estimate left base's interval is counted. */
START_TEST(movement_outside_the_interval)
{
    json_t *head = base_json(), *c = case_of(head, "brier ceiling", "overall");
    mg_diff *d;
    char *md;
    json_object_set_new(c, "estimate", json_real(0.17));
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_SAME], 33);
    ck_assert(pair_of(d, "brier ceiling", "overall")->head.value == 0.17);
    md = markdown(d);
    ck_assert_ptr_nonnull(strstr(md, "33 cases: 33 unchanged outcome (1 outside base's "
                                     "interval)"));
    ck_assert_ptr_nonnull(
        strstr(md, "<details><summary>33 cases with an unchanged outcome, "
                   "1 of them outside base's interval</summary>"));
    ck_assert_ptr_nonnull(strstr(md, "| 0.1700 [0.1"));
    ck_assert_ptr_nonnull(strstr(md, "(outside base's interval) |"));
    free(md);
    mg_diff_free(d);
}
END_TEST

/* Kinds that compare a difference are read by their Δ; a test that became one
 * between the runs keeps no base number beside head's. */
START_TEST(difference_kinds)
{
    json_t *head = base_json(), *c = case_of(head, "recall per region", "region=north");
    json_t *a = case_of(head, "auc floor", "overall");
    mg_diff *d;
    const mg_diff_case *p;
    json_object_set_new(c, "kind", json_string("vs_overall"));
    json_object_set_new(c, "delta", json_real(-0.02));
    json_object_set_new(c, "delta_ci_low", json_real(-0.05));
    json_object_set_new(c, "delta_ci_high", json_real(0.01));
    json_object_set_new(a, "kind", json_string("comparison"));
    json_object_set_new(a, "delta", json_real(0.01));
    d = diff_with(head);
    p = pair_of(d, "recall per region", "region=north");
    ck_assert_int_eq(p->is_delta, 1);
    ck_assert(p->head.value == -0.02 && p->head.ci_low == -0.05 &&
              p->head.ci_high == 0.01);
    ck_assert_int_eq(p->base.has_value, 0);
    p = pair_of(d, "auc floor", "overall");
    ck_assert_int_eq(p->is_delta, 1);
    ck_assert(p->head.value == 0.01);
    ck_assert_int_eq(p->head.has_ci, 0);
    ck_assert_int_eq(p->base.has_value, 0);
    ck_assert_int_eq(p->base.has_ci, 0);
    mg_diff_free(d);
}
END_TEST

START_TEST(other_outcome_changes)
{
    json_t *head = base_json();
    mg_diff *d;
    /* pass → skipped, fail → error: changes, not regressions */
    json_object_set_new(case_of(head, "auc floor", "overall"), "outcome",
                        json_string("skipped"));
    json_object_set_new(case_of(head, "recall per region", "region=central"), "outcome",
                        json_string("error"));
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 0);
    ck_assert_uint_eq(d->count[MG_DIFF_CHANGED], 2);
    ck_assert_int_eq(pair_of(d, "auc floor", "overall")->kind, MG_DIFF_CHANGED);
    mg_diff_free(d);
}
END_TEST

START_TEST(renamed_test_is_paired)
{
    json_t *head = base_json();
    size_t i;
    json_t *c;
    mg_diff *d;
    const mg_diff_case *p;
    char *md;

    json_array_foreach(json_object_get(head, "cases"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "test")),
                   "recall per region") == 0)
            json_object_set_new(c, "test", json_string("recall by region"));
    }
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_NEW], 0);
    ck_assert_uint_eq(d->count[MG_DIFF_VANISHED], 0);
    ck_assert_uint_eq(d->count[MG_DIFF_SAME], 33);
    p = pair_of(d, "recall by region", "region=north");
    ck_assert_str_eq(p->base_test, "recall per region");
    ck_assert(p->base.value == p->head.value);
    ck_assert(has_note(d, "test 'recall per region' renamed 'recall by region'"));
    ck_assert_ptr_null(pair_of(d, "auc floor", "overall")->base_test);
    md = markdown(d);
    ck_assert_ptr_nonnull(strstr(md, "| recall by region (was recall per region) |"));
    free(md);
    mg_diff_free(d);
}
END_TEST

/* A renamed test whose threshold also moved is another test: vanished and new. */
START_TEST(renamed_and_redefined_is_new)
{
    json_t *head = base_json(), *c = case_of(head, "auc floor", "overall");
    mg_diff *d;
    json_object_set_new(c, "test", json_string("auc minimum"));
    json_object_set_new(c, "at_least", json_real(0.85));
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_NEW], 1);
    ck_assert_uint_eq(d->count[MG_DIFF_VANISHED], 1);
    ck_assert_int_eq(pair_of(d, "auc minimum", "overall")->kind, MG_DIFF_NEW);
    ck_assert_int_eq(pair_of(d, "auc floor", "overall")->kind, MG_DIFF_VANISHED);
    ck_assert_int_eq(pair_of(d, "auc floor", "overall")->head.present, 0);
    /* new before vanished, both before the unchanged */
    ck_assert_int_eq(d->cases[0].kind, MG_DIFF_NEW);
    ck_assert_int_eq(d->cases[1].kind, MG_DIFF_VANISHED);
    mg_diff_free(d);
}
END_TEST

/* Two candidate partners with one definition: no guess, both stay unpaired. */
START_TEST(ambiguous_rename_is_not_guessed)
{
    json_t *head = base_json(), *c = case_of(head, "auc floor", "overall"), *copy;
    mg_diff *d;
    json_object_set_new(c, "test", json_string("auc floor a"));
    copy = json_deep_copy(c);
    json_object_set_new(copy, "test", json_string("auc floor b"));
    json_array_append_new(json_object_get(head, "cases"), copy);
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_NEW], 2);
    ck_assert_uint_eq(d->count[MG_DIFF_VANISHED], 1);
    mg_diff_free(d);
}
END_TEST

START_TEST(changed_definition_is_stated)
{
    json_t *head = base_json(), *c = case_of(head, "auc floor", "overall");
    mg_diff *d;
    json_object_set_new(c, "at_least", json_real(0.9));
    json_object_set_new(c, "outcome", json_string("fail"));
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 1);
    ck_assert(has_note(d, "test 'auc floor': at_least 0.8 \xe2\x86\x92 0.9"));
    mg_diff_free(d);
}
END_TEST

START_TEST(new_and_vanished_slices)
{
    json_t *head = base_json(), *cases = json_object_get(head, "cases"), *c;
    size_t i;
    mg_diff *d;
    const mg_diff_case *p;

    json_array_foreach(cases, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "slice")), "region=west") == 0)
            break;
    }
    json_array_remove(cases, i);
    c = json_deep_copy(case_of(head, "recall per region", "region=north"));
    json_object_set_new(c, "slice", json_string("region=islands"));
    json_object_set_new(c, "outcome", json_string("fail"));
    json_array_append_new(cases, c);
    d = diff_with(head);
    ck_assert_uint_eq(d->ncases, 34);
    p = pair_of(d, "recall per region", "region=islands");
    ck_assert_int_eq(p->kind, MG_DIFF_NEW);
    ck_assert_int_eq(p->base.present, 0);
    ck_assert_int_eq(p->head.outcome, MG_OUTCOME_FAIL);
    p = pair_of(d, "recall per region", "region=west");
    ck_assert_int_eq(p->kind, MG_DIFF_VANISHED);
    ck_assert_int_eq(p->base.outcome, MG_OUTCOME_PASS);
    /* a new failing slice is not a regression: it had no pass to lose */
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 0);
    mg_diff_free(d);
}
END_TEST

START_TEST(inputs_and_seed_differ)
{
    json_t *head = base_json(),
           *in = json_array_get(json_object_get(head, "inputs"), 0);
    mg_diff *d;
    char *md;
    json_object_set_new(in, "sha256",
                        json_string("00112233445566778899aabbccddeeff00112233"
                                    "445566778899aabbccddeeff"));
    json_object_set_new(in, "rows", json_integer(4100));
    json_object_set_new(head, "seed", json_integer(7));
    json_object_set_new(head, "replicates", json_integer(2000));
    json_array_remove(json_object_get(head, "inputs"), 2);
    d = diff_with(head);
    ck_assert_int_eq(d->inputs_differ, 1);
    ck_assert_int_eq(d->seed_differs, 1);
    ck_assert_uint_eq(d->ninputs, 4);
    ck_assert_str_eq(d->inputs[0].role, "holdout");
    ck_assert_int_eq(d->inputs[0].changed, 1);
    ck_assert_uint_eq(d->inputs[0].base_rows, 4000);
    ck_assert_uint_eq(d->inputs[0].head_rows, 4100);
    ck_assert_int_eq(d->inputs[1].changed, 0);
    ck_assert_str_eq(d->inputs[3].role, "model champion");
    ck_assert_ptr_null(d->inputs[3].head_path);
    ck_assert(has_note(d,
                       "input holdout: other bytes (sha256 0943e6813a1b \xe2\x86\x92 "
                       "001122334455, 4000 \xe2\x86\x92 4100 rows)"));
    ck_assert(has_note(d, "input model champion: read by base only"));
    ck_assert(has_note(d, "seed 1 \xe2\x86\x92 7"));
    ck_assert(has_note(d, "replicates 200 \xe2\x86\x92 2000"));
    md = markdown(d);
    ck_assert_ptr_nonnull(strstr(md, "\n- seed 1 \xe2\x86\x92 7"));
    free(md);
    mg_diff_free(d);
}
END_TEST

/* A report whose names hold Markdown and HTML stays one escaped table row. */
START_TEST(markdown_escapes_names)
{
    json_t *head = base_json(), *c = case_of(head, "auc floor", "overall");
    mg_diff *d;
    char *md;
    json_object_set_new(c, "slice", json_string("a|b</details><script>x\n"));
    d = diff_with(head);
    md = markdown(d);
    /* every '<' of the name is escaped: no tag can open */
    for (const char *p = strstr(md, "a\\|b"); *p != '\n'; p++)
        ck_assert(*p != '<' || p[-1] == '\\');
    ck_assert_ptr_nonnull(strstr(md, "a\\|b\\</details>\\<script>x  |"));
    free(md);
    mg_diff_free(d);
}
END_TEST

/* The error of a diff of base with `head_text`, which must fail with `code`. */
static mg_error diff_error(const char *head_text, int code)
{
    mg_error err = MG_ERROR_INIT;
    mg_diff *d = (mg_diff *)1;
    ck_assert_int_eq(
        mg_diff_strings(&d, base_text, "base.json", head_text, "head.json", &err),
        code);
    ck_assert_ptr_null(d);
    ck_assert_str_eq(err.file, "head.json");
    return err;
}

static mg_error diff_error_json(json_t *head, int code)
{
    char *text = json_dumps(head, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    mg_error err = diff_error(text, code);
    free(text);
    json_decref(head);
    return err;
}

START_TEST(schema_mismatch)
{
    json_t *head = base_json();
    mg_error err;
    char line[2048];
    json_object_set_new(head, "schema", json_integer(2));
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "schema");
    mg_error_format(&err, line, sizeof line);
    ck_assert_str_eq(line,
                     "head.json: key 'schema': schema 2, but this modelgate reads "
                     "schema 1 only (compare reports of one schema)");
    head = base_json();
    json_object_set_new(head, "schema", json_string("1"));
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.message, "expected an integer");
}
END_TEST

START_TEST(not_a_report)
{
    mg_error err = diff_error("{\"name\": \"x\"}", MG_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "not a modelgate report: it has no "
                                              "\"schema\""));
    err = diff_error("[1, 2]", MG_EPARSE);
    ck_assert_str_eq(err.message, "not a modelgate report: expected a JSON object");
    /* a JUnit file handed over by mistake */
    err = diff_error("<?xml version=\"1.0\"?>\n<testsuites/>\n", MG_EPARSE);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "not JSON: "));
    /* a truncated report: located at its end */
    err = diff_error("{\n  \"schema\": 1,\n  \"suite\": \"churn", MG_EPARSE);
    ck_assert_uint_eq(err.line, 3);
    err = diff_error("", MG_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "not JSON: "));
    /* duplicate keys are refused rather than one silently chosen */
    err = diff_error("{\"schema\": 1, \"schema\": 1}", MG_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "duplicate"));
}
END_TEST

START_TEST(wrong_types_are_located)
{
    json_t *head = base_json(), *cases = json_object_get(head, "cases");
    mg_error err;
    json_object_set_new(json_array_get(cases, 2), "outcome", json_integer(3));
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "cases[2].outcome");
    ck_assert_str_eq(err.message, "expected a string");

    head = base_json();
    json_object_set_new(json_array_get(json_object_get(head, "cases"), 1), "outcome",
                        json_string("passed"));
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "cases[1].outcome");
    ck_assert_str_eq(err.message,
                     "unknown outcome 'passed' (pass, fail, skipped, error)");

    head = base_json();
    json_object_del(json_array_get(json_object_get(head, "cases"), 0), "estimate");
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "cases[0].estimate");
    ck_assert_str_eq(err.message, "the key is missing");

    head = base_json();
    json_object_set_new(json_array_get(json_object_get(head, "inputs"), 1), "rows",
                        json_integer(-1));
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "inputs[1].rows");

    head = base_json();
    json_object_set_new(head, "cases", json_object());
    err = diff_error_json(head, MG_EPARSE);
    ck_assert_str_eq(err.key, "cases");
}
END_TEST

START_TEST(files)
{
    const char *dir = tu_scratch_dir("diff-files");
    const char *base = tu_write(dir, "base.json", base_text);
    char missing[4096];
    mg_error err = MG_ERROR_INIT;
    mg_diff *d = NULL;

    ck_assert_int_eq(mg_diff_reports(&d, base, base, &err), 0);
    ck_assert_uint_eq(d->count[MG_DIFF_SAME], 33);
    ck_assert_str_eq(d->base_name, base);
    mg_diff_free(d);
    snprintf(missing, sizeof missing, "%s/nothing.json", dir);
    ck_assert_int_eq(mg_diff_reports(&d, base, missing, &err), MG_EIO);
    ck_assert_str_eq(err.file, missing);
    ck_assert_str_eq(err.message, "No such file or directory");
    ck_assert_int_eq(mg_diff_reports(&d, dir, base, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a directory");
    ck_assert_int_eq(mg_diff_reports(NULL, base, base, &err), MG_EINVAL);
    mg_diff_free(NULL);
}
END_TEST

/* A `modelgate metrics` report has no cases: nothing to compare, not an error. */
START_TEST(empty_cases)
{
    json_t *head = base_json();
    mg_diff *d;
    char *md;
    json_object_set_new(head, "cases", json_array());
    d = diff_with(head);
    ck_assert_uint_eq(d->count[MG_DIFF_VANISHED], 33);
    ck_assert_uint_eq(d->count[MG_DIFF_REGRESSED], 0);
    md = markdown(d);
    ck_assert_ptr_nonnull(strstr(md, "33 cases: 33 vanished"));
    ck_assert_ptr_null(strstr(md, "<details>"));
    free(md);
    mg_diff_free(d);
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *core = tcase_create("core"), *edge = tcase_create("edge");
    tcase_add_unchecked_fixture(core, setup, NULL);
    tcase_add_unchecked_fixture(edge, setup, NULL);
    tcase_add_test(core, identical_reports);
    tcase_add_test(core, pass_to_fail_is_a_regression);
    tcase_add_test(core, other_outcome_changes);
    tcase_add_test(core, movement_outside_the_interval);
    tcase_add_test(core, difference_kinds);
    tcase_add_test(core, renamed_test_is_paired);
    tcase_add_test(core, renamed_and_redefined_is_new);
    tcase_add_test(core, ambiguous_rename_is_not_guessed);
    tcase_add_test(core, changed_definition_is_stated);
    tcase_add_test(core, new_and_vanished_slices);
    tcase_add_test(core, inputs_and_seed_differ);
    tcase_add_test(edge, markdown_escapes_names);
    tcase_add_test(edge, schema_mismatch);
    tcase_add_test(edge, not_a_report);
    tcase_add_test(edge, wrong_types_are_located);
    tcase_add_test(edge, files);
    tcase_add_test(edge, empty_cases);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}

int main(void)
{
    return tu_run(diff_suite());
}
