/*
 * Acceptance tests in C with Check: the churn example's suite run through
 * libmodelgate inside an ordinary unit-test program, as a C or C++ team would gate a
 * model in its own test framework.
 *
 * Build (installed library):
 *   cc churn_test.c $(pkg-config --cflags --libs modelgate check) -o churn_test
 * Run from the repository root:  ./churn_test examples/churn/suite.yaml
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modelgate/modelgate.h>

static const char *suite_path = "examples/churn/suite.yaml";
static mg_report *report;

static void run_suite(void)
{
    mg_error err = MG_ERROR_INIT;
    mg_suite *suite = NULL;
    mg_run_options opts = MG_RUN_OPTIONS_INIT;
    char line[2048];

    opts.replicates = 1000;
    if (mg_suite_load(&suite, suite_path, &err) != 0 ||
        mg_run_suite(&report, suite, &opts, &err) != 0) {
        mg_error_format(&err, line, sizeof line);
        fprintf(stderr, "churn_test: %s\n", line);
        exit(2);
    }
    mg_suite_free(suite);
}

static const mg_case *find(const char *test, const char *slice)
{
    for (size_t i = 0; i < report->ncases; i++)
        if (strcmp(report->cases[i].test, test) == 0 &&
            strcmp(report->cases[i].slice, slice) == 0)
            return &report->cases[i];
    return NULL;
}

/* The candidate's AUC is at least 0.80 with 95 % confidence. */
START_TEST(auc_floor)
{
    const mg_case *c = find("auc floor", "overall");
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(c->outcome == MG_OUTCOME_PASS, "%s", c->message);
    ck_assert(c->ci_low >= 0.80);
}
END_TEST

/* No more than 0.01 AUC worse than the champion, on paired replicates. */
START_TEST(no_auc_regression)
{
    const mg_case *c = find("no auc regression", "overall");
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(c->outcome == MG_OUTCOME_PASS, "%s", c->message);
    ck_assert(c->has_delta && c->delta_ci_low >= -0.01);
}
END_TEST

/* Recall per region: every region but central clears 0.5; central is the known
 * weakness this example is built to show, so the test pins it down. */
START_TEST(recall_per_region)
{
    const char *ok[] = {"region=east", "region=north", "region=south", "region=west"};
    for (size_t i = 0; i < 4; i++) {
        const mg_case *c = find("recall per region", ok[i]);
        ck_assert_ptr_nonnull(c);
        ck_assert_msg(c->outcome == MG_OUTCOME_PASS, "%s: %s", ok[i], c->message);
    }
    ck_assert_int_eq(find("recall per region", "region=central")->outcome,
                     MG_OUTCOME_FAIL);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("churn acceptance");
    TCase *tc = tcase_create("candidate");
    SRunner *sr;
    int failed;

    if (argc > 1)
        suite_path = argv[1];
    run_suite();
    tcase_add_test(tc, auc_floor);
    tcase_add_test(tc, no_auc_regression);
    tcase_add_test(tc, recall_per_region);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    mg_report_free(report);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
