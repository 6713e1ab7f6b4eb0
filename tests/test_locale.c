/*
 * A host program's locale never reaches what the library writes.
 *
 * The same suite runs three times in one process: under the C locale, under a
 * comma-decimal locale for everything (LC_ALL=de_DE.UTF-8), and with only
 * LC_NUMERIC set to it. Every report (JUnit, JSON, Markdown, the console table of
 * cases and of metrics) must be byte for byte the same. The suite is chosen so that
 * a leak would show: fractional bin edges in slice labels, levels like 98.75 % from
 * a Holm family, relative margins, and every metric with its interval.
 *
 * scripts/install-deps generates de_DE.UTF-8 (Debian's `locales`); without it the
 * test says so and skips, except under CI=true, where it fails.
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/modelgate.h"
#include "testutil.h"

static const char *COMMA_LOCALE = "de_DE.UTF-8";

/* The reports of one run, as strings. */
typedef struct outputs {
    char *junit, *json, *markdown, *cases, *metrics_json, *metrics_console;
} outputs;

static char *console(const mg_report *r, int metrics)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mg_console_options co = MG_CONSOLE_OPTIONS_INIT;
    co.verbose = 1;
    ck_assert_ptr_nonnull(f);
    if (metrics)
        ck_assert_int_eq(mg_report_print_metrics(r, f, &co), 0);
    else
        ck_assert_int_eq(mg_report_print_cases(r, f, &co), 0);
    fclose(f);
    return buf;
}

/* Times and the clock differ between runs by nature; everything else must not. */
static void freeze_clock(mg_report *r)
{
    snprintf(r->timestamp, sizeof r->timestamp, "2026-12-01T00:00:00Z");
    r->seconds = 1.5;
    for (size_t i = 0; i < r->ncases; i++)
        r->cases[i].seconds = 0.25;
}

static mg_report *run(const char *suite_path, mg_run_mode mode)
{
    mg_suite *s = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    o.mode = mode;
    o.threads = 2;
    ck_assert_msg(mg_suite_load(&s, suite_path, &err) == 0, "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, s, &o, &err) == 0, "%s", err.message);
    mg_suite_free(s);
    freeze_clock(r);
    return r;
}

static void collect(const char *suite_path, const char *dir, outputs *out)
{
    char path[4200];
    mg_error err = MG_ERROR_INIT;
    mg_report *r = run(suite_path, MG_RUN_TESTS), *m;

    snprintf(path, sizeof path, "%s/junit.xml", dir);
    ck_assert_int_eq(mg_report_write_junit(r, path, &err), 0);
    out->junit = tu_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/summary.md", dir);
    ck_assert_int_eq(mg_report_write_markdown(r, path, &err), 0);
    out->markdown = tu_slurp(path, NULL);
    ck_assert_int_eq(mg_report_json_string(r, &out->json, &err), 0);
    out->cases = console(r, 0);
    m = run(suite_path, MG_RUN_METRICS);
    ck_assert_int_eq(mg_report_json_string(m, &out->metrics_json, &err), 0);
    out->metrics_console = console(m, 1);
    mg_report_free(r);
    mg_report_free(m);
}

static void outputs_free(outputs *o)
{
    free(o->junit);
    free(o->json);
    free(o->markdown);
    free(o->cases);
    free(o->metrics_json);
    free(o->metrics_console);
}

static void same(const char *what, const char *a, const char *b)
{
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    if (strcmp(a, b) != 0) {
        size_t i = 0;
        while (a[i] && a[i] == b[i])
            i++;
        ck_abort_msg("%s differs under a comma locale at byte %zu: C has '%.40s', the "
                     "comma locale '%.40s'",
                     what, i, a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
    }
}

static void compare(const outputs *c, const outputs *x)
{
    same("JUnit", c->junit, x->junit);
    same("JSON", c->json, x->json);
    same("Markdown", c->markdown, x->markdown);
    same("the console table", c->cases, x->cases);
    same("the metrics JSON", c->metrics_json, x->metrics_json);
    same("the metrics table", c->metrics_console, x->metrics_console);
}

START_TEST(reports_ignore_the_host_locale)
{
    const char *dir = tu_scratch_dir("locale");
    char suite[4096];
    const char *path;
    outputs c = {0}, all = {0}, numeric = {0};

    if (setlocale(LC_ALL, COMMA_LOCALE) == NULL) {
        ck_assert_msg(getenv("CI") == NULL,
                      "CI needs the %s locale (scripts/install-deps makes it)",
                      COMMA_LOCALE);
        fprintf(stderr,
                "test_locale: no %s locale here, skipped (scripts/install-deps "
                "makes it)\n",
                COMMA_LOCALE);
        return;
    }
    /* The locale really writes a comma, or this test would prove nothing. */
    snprintf(suite, sizeof suite, "%.1f", 0.5);
    ck_assert_str_eq(suite, "0,5");
    setlocale(LC_ALL, "C");

    snprintf(
        suite, sizeof suite,
        "suite: locale\ntask: binary\n"
        "data: {holdout: %s, id: customer_id, label: churned, positive: \"1\"}\n"
        "models:\n"
        "  candidate: {file: %s, score: p_churn}\n"
        "  champion: {file: %s, score: p_churn, threshold: 0.45}\n"
        "bootstrap: {replicates: 300, confidence: 0.9, seed: 7}\n"
        "slices:\n"
        "  tenure: {column: tenure_months, bins: [0, 6.5, 12.25, 24.75, 1000]}\n"
        "  region: region\n"
        "tests:\n"
        "  - {name: auc floor, metric: auc, at_least: 0.8}\n"
        "  - {name: recall by tenure, metric: recall, slices: tenure,"
        " at_least: 0.55, rule: lenient}\n"
        "  - {name: brier by region, metric: brier, slices: region, at_most: 0.175}\n"
        "  - {name: relative auc, metric: auc, baseline: champion,"
        " non_inferior: 0.015, relative: true}\n"
        "  - {name: log loss, metric: log_loss, baseline: champion,"
        " equivalent: 0.05}\n",
        tu_src("examples/churn/data/holdout.csv"),
        tu_src("examples/churn/preds/candidate.csv"),
        tu_src("examples/churn/preds/champion.csv"));
    path = tu_write(dir, "suite.yaml", suite);

    collect(path, dir, &c);
    /* a label with a fractional edge, as the C locale writes it */
    ck_assert_ptr_nonnull(strstr(c.json, "tenure_months=[6.5, 12.25)"));

    ck_assert_ptr_nonnull(setlocale(LC_ALL, COMMA_LOCALE));
    collect(path, dir, &all);
    setlocale(LC_ALL, "C");
    compare(&c, &all);

    ck_assert_ptr_nonnull(setlocale(LC_NUMERIC, COMMA_LOCALE));
    collect(path, dir, &numeric);
    setlocale(LC_ALL, "C");
    compare(&c, &numeric);

    outputs_free(&c);
    outputs_free(&all);
    outputs_free(&numeric);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("locale");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reports_ignore_the_host_locale);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
