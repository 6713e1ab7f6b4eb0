/*
 * Tests for reporters/: JUnit, JSON, console, Markdown, atomic writes and the string
 * cleaner.
 *
 * A report is built by hand (make_report) with one case of each outcome, a comparison
 * case with Δ and a p-value, a test name with invalid UTF-8, control characters and an
 * escape sequence, and a cross-slice label with '×'. The JUnit file is validated by
 * xmllint against our schema (tests/junit.xsd) and against the Jenkins junit-10
 * schema (tests/schemas/); its content is then read back with
 * libxml2's XPath. JSON is parsed back with jansson and compared exactly. The
 * cleaner's reference outputs come from CPython's UTF-8 decoder
 * (tests/data/report/make_clean_reference.py).
 */
#include <check.h>
#include <errno.h>
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "modelgate/modelgate.h"
#include "reporters/xmlclean.h"
#include "testutil.h"

#define FFFD "\xef\xbf\xbd"

static char *xdup(const char *s)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = strdup(s);
    ck_assert_ptr_nonnull(d);
    return d;
}

static const char *const WEIRD_TEST = "weird\x01name\xff\xc0\xaf\\ <b>";
static const char *const WEIRD_MESSAGE = "bad \x1b[31mred\x1b[0m \xed\xa0\x80 end";
#define CROSS "plan=pro \xc3\x97 region=north"

static void set_case(mg_case *c, const char *test, const char *slicing,
                     const char *slice, mg_outcome outcome, const char *message,
                     const char *detail)
{
    c->test = xdup(test);
    c->metric = xdup("auc");
    c->model = xdup("candidate");
    c->slicing = xdup(slicing);
    c->slice = xdup(slice);
    c->rule = xdup("strict");
    c->interval = xdup("bca");
    c->confidence = 0.95;
    c->outcome = outcome;
    c->message = xdup(message);
    c->detail = xdup(detail);
    c->kind = MG_TEST_THRESHOLD;
    c->status = MG_STATUS_DECIDED;
    c->direction = 1;
    c->min_size = 1;
}

/*
 * Six cases: 0 pass, 1 fail with detail, 2 skip, 3 error, 4 comparison (pass),
 * 5 fail with a weird name and the cross slice. Two metric entries.
 */
static mg_report *make_report(void)
{
    mg_report *r = calloc(1, sizeof *r);
    mg_case *c;

    ck_assert_ptr_nonnull(r);
    r->suite = xdup("churn-model");
    r->suite_path = xdup("suites/churn.yaml");
    r->tool_version = xdup("0.1.0");
    snprintf(r->timestamp, sizeof r->timestamp, "2026-11-27T10:00:00Z");
    r->seed = 42;
    r->replicates = 2000;
    r->confidence = 0.95;
    r->interval = xdup("bca");
    r->resampler = xdup("multinomial");
    r->stratify = xdup("label");
    r->cluster = NULL;
    r->threads = 4;
    r->seconds = 2.31;

    r->ninputs = 2;
    r->inputs = calloc(2, sizeof *r->inputs);
    ck_assert_ptr_nonnull(r->inputs);
    r->inputs[0].role = xdup("holdout");
    r->inputs[0].path = xdup("data/holdout.csv");
    r->inputs[0].rows = 1000;
    memset(r->inputs[0].sha256, 'a', 64);
    r->inputs[1].role = xdup("model candidate");
    r->inputs[1].path = xdup("preds/candidate.csv");
    r->inputs[1].rows = 999;
    memset(r->inputs[1].sha256, 'b', 64);

    r->ncases = 6;
    r->cases = calloc(6, sizeof *r->cases);
    ck_assert_ptr_nonnull(r->cases);

    c = &r->cases[0];
    set_case(c, "auc >= 0.80", NULL, "overall", MG_OUTCOME_PASS,
             "auc 0.3333 [0.3000, 0.4000] 95% BCa: lower bound >= 0.25", NULL);
    c->n = 1000;
    c->has_estimate = 1;
    c->estimate = 1.0 / 3;
    c->has_ci = 1;
    c->ci_low = 0.1 + 0.2;
    c->ci_high = 0.4;
    c->has_threshold = 1;
    c->threshold = 0.25;
    c->seconds = 0.1234;
    c->has_at_least = 1;
    c->at_least = 0.25;
    c->method = MG_CI_BCA;
    c->replicates = 2000;
    c->checks[0] =
        (mg_check){MG_BOUND_LOWER, 0.1 + 0.2, 0.25, 1, 0, 1, MG_FINDING_PASS};
    c->nchecks = 1;

    c = &r->cases[1];
    set_case(
        c, "recall per region", "region", "region=south", MG_OUTCOME_FAIL,
        "recall 0.5500 [0.4800, 0.6200] 95% BCa: lower bound < 0.60 (inconclusive)",
        "estimate 0.55\ninterval [0.48, 0.62] <&> \"quoted\"\nthreshold 0.6");
    free(c->metric);
    c->metric = xdup("recall");
    c->n = 300;
    c->has_estimate = 1;
    c->estimate = 0.55;
    c->has_ci = 1;
    c->ci_low = 0.48;
    c->ci_high = 0.62;
    c->has_threshold = 1;
    c->threshold = 0.6;
    c->seconds = 1.5;
    c->has_at_least = 1;
    c->at_least = 0.6;
    c->method = MG_CI_BCA;
    c->replicates = 2000;
    c->replicates_undefined = 3;
    c->min_size = 50;
    c->checks[0] =
        (mg_check){MG_BOUND_LOWER, 0.48, 0.6, 1, 0, 0, MG_FINDING_INCONCLUSIVE};
    c->nchecks = 1;

    c = &r->cases[2];
    set_case(c, "recall per region", "region", "region=west", MG_OUTCOME_SKIP,
             "slice has 12 rows < min_size 50", NULL);
    free(c->metric);
    c->metric = xdup("recall");
    c->n = 12;
    c->seconds = 0;
    c->status = MG_STATUS_TOO_SMALL;
    c->has_at_least = 1;
    c->at_least = 0.6;
    c->min_size = 50;

    c = &r->cases[3];
    set_case(c, "recall per region", "region", "region=east", MG_OUTCOME_ERROR,
             "recall undefined: no positives", "0 positives in 40 rows");
    free(c->metric);
    c->metric = xdup("recall");
    c->n = 40;
    c->seconds = 0.0005;
    c->status = MG_STATUS_UNDEFINED;
    c->has_at_least = 1;
    c->at_least = 0.6;
    c->min_size = 50;
    c->reason = xdup("no positives");

    c = &r->cases[4];
    set_case(c, "auc vs champion | non-inferior", NULL, "overall", MG_OUTCOME_PASS,
             "auc delta -0.0040 [-0.0090, 0.0012]: lower bound >= -0.01",
             "candidate 0.781\nchampion 0.785");
    c->baseline = xdup("champion");
    c->n = 1000;
    c->has_estimate = 1;
    c->estimate = 0.781;
    c->has_ci = 1;
    c->ci_low = 0.752;
    c->ci_high = 0.809;
    c->has_delta = 1;
    c->delta = -0.004;
    c->delta_ci_low = -0.009;
    c->delta_ci_high = 0.0012;
    c->has_p_value = 1;
    c->p_value = 0.21;
    c->p_method = xdup("delong");
    c->has_threshold = 1;
    c->threshold = 0.01;
    c->seconds = 0.25;
    c->kind = MG_TEST_COMPARISON;
    c->comparison = MG_COMPARE_NON_INFERIOR;
    c->margin = 0.01;
    c->has_baseline_estimate = 1;
    c->baseline_estimate = 0.785;
    c->method = MG_CI_BCA;
    c->replicates = 2000;
    c->checks[0] = (mg_check){MG_BOUND_LOWER, -0.009, -0.01, 1, 0, 1, MG_FINDING_PASS};
    c->nchecks = 1;

    c = &r->cases[5];
    set_case(c, WEIRD_TEST, "region_x_plan", CROSS, MG_OUTCOME_FAIL, WEIRD_MESSAGE,
             "tab\there\x02 and a \xff byte");
    c->n = 77;
    c->has_estimate = 1;
    c->estimate = 0.5;
    c->seconds = 0.0125;
    c->rule_kind = MG_RULE_ESTIMATE;
    c->has_at_least = 1;
    c->at_least = 0.6;
    c->checks[0] =
        (mg_check){MG_BOUND_ESTIMATE, 0.5, 0.6, 1, 0, 0, MG_FINDING_CLEAR_FAIL};
    c->nchecks = 1;

    r->passed = 2;
    r->failed = 2;
    r->skipped = 1;
    r->errors = 1;

    r->nmetrics = 2;
    r->metrics = calloc(2, sizeof *r->metrics);
    ck_assert_ptr_nonnull(r->metrics);
    r->metrics[0].model = xdup("candidate");
    r->metrics[0].slicing = NULL;
    r->metrics[0].slice = xdup("overall");
    r->metrics[0].metric = xdup("auc");
    r->metrics[0].n = 1000;
    r->metrics[0].has_estimate = 1;
    r->metrics[0].estimate = 0.1 + 0.2;
    r->metrics[0].has_ci = 1;
    r->metrics[0].ci_low = 1.0 / 3 - 0.1;
    r->metrics[0].ci_high = 1.0 / 3;
    r->metrics[1].model = xdup("champion");
    r->metrics[1].slicing = xdup("region_x_plan");
    r->metrics[1].slice = xdup(CROSS);
    r->metrics[1].metric = xdup("recall");
    r->metrics[1].n = 8;
    r->metrics[1].reason = xdup("no positives");
    r->metrics[1].undefined_replicates = 7;
    return r;
}

/* ---- helpers ---------------------------------------------------------------- */

static int xmllint(const char *schema, const char *file)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' >/dev/null 2>&1",
             schema, file);
    return system(cmd);
}

static void require_xmllint(void)
{
    ck_assert_msg(system("command -v xmllint >/dev/null 2>&1") == 0,
                  "xmllint not found (Debian package libxml2-utils)");
}

/* The Jenkins junit-10 schema (tests/schemas/, MIT licence), or NULL. */
static const char *jenkins_xsd(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s", tu_src("tests/schemas/jenkins-junit-10.xsd"));
    return tu_exists(path) ? path : NULL;
}

/* XPath expression as a string (malloc). */
static char *xp(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o;
    xmlChar *s;
    char *result;

    ck_assert_ptr_nonnull(ctx);
    o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    ck_assert_msg(o != NULL, "bad xpath %s", expr);
    s = xmlXPathCastToString(o);
    result = xdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return result;
}

#define ck_assert_xp(doc, expr, expected)                                              \
    do {                                                                               \
        char *got_ = xp((doc), (expr));                                                \
        ck_assert_msg(strcmp(got_, (expected)) == 0, "%s: got '%s', want '%s'",        \
                      (expr), got_, (expected));                                       \
        free(got_);                                                                    \
    } while (0)

/* Whether s is valid UTF-8 with no characters outside XML 1.0 (via the cleaner). */
static int is_clean_xml(const char *s)
{
    char *c = NULL;
    int same;
    ck_assert_int_eq(mg__xml_clean(s, &c), 0);
    same = strcmp(c, s) == 0;
    free(c);
    return same;
}

static const char *write_junit(mg_report *r, const char *tag)
{
    static char path[4200];
    mg_error err = MG_ERROR_INIT;
    snprintf(path, sizeof path, "%s/junit.xml", tu_scratch_dir(tag));
    ck_assert_int_eq(mg_report_write_junit(r, path, &err), 0);
    return path;
}

/* Number of entries in dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* ---- JUnit -------------------------------------------------------------------- */

START_TEST(junit_valid_against_schemas)
{
    mg_report *r = make_report();
    const char *path = write_junit(r, "junit_valid");
    const char *jenkins = jenkins_xsd();

    require_xmllint();
    ck_assert_int_eq(xmllint(tu_src("tests/junit.xsd"), path), 0);
    if (jenkins != NULL)
        ck_assert_int_eq(xmllint(jenkins, path), 0);
    else
        fprintf(stderr, "note: jenkins-junit-10.xsd not found; validated ours only\n");

    /* with a cluster, missing strings and odd times the file is still valid */
    r->cluster = xdup("customer_id");
    free(r->tool_version);
    r->tool_version = NULL;
    free(r->cases[0].slice);
    r->cases[0].slice = NULL;
    free(r->cases[2].message);
    r->cases[2].message = NULL;
    r->cases[1].seconds = NAN;
    r->cases[3].seconds = -1;
    r->seconds = 1e300;
    r->timestamp[0] = '\0';
    path = write_junit(r, "junit_variant");
    ck_assert_int_eq(xmllint(tu_src("tests/junit.xsd"), path), 0);
    if (jenkins != NULL)
        ck_assert_int_eq(xmllint(jenkins, path), 0);
    mg_report_free(r);

    /* no inputs and no cases */
    r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->suite = xdup("empty");
    r->cluster = xdup("user id");
    path = write_junit(r, "junit_empty");
    ck_assert_int_eq(xmllint(tu_src("tests/junit.xsd"), path), 0);
    if (jenkins != NULL)
        ck_assert_int_eq(xmllint(jenkins, path), 0);
    mg_report_free(r);
}
END_TEST

START_TEST(junit_content)
{
    mg_report *r = make_report();
    const char *path;
    xmlDocPtr doc;
    char *text;

    r->passed = 99; /* stored counts are ignored: the cases decide */
    path = write_junit(r, "junit_content");
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);

    ck_assert_xp(doc, "name(/*)", "testsuites");
    ck_assert_xp(doc, "string(/testsuites/@name)", "churn-model");
    ck_assert_xp(doc, "string(/testsuites/@tests)", "6");
    ck_assert_xp(doc, "string(/testsuites/@failures)", "2");
    ck_assert_xp(doc, "string(/testsuites/@errors)", "1");
    ck_assert_xp(doc, "string(/testsuites/@time)", "2.310");
    ck_assert_xp(doc, "count(/testsuites/@skipped)", "0");
    ck_assert_xp(doc, "count(/testsuites/testsuite)", "1");

    ck_assert_xp(doc, "string(//testsuite/@name)", "churn-model");
    ck_assert_xp(doc, "string(//testsuite/@tests)", "6");
    ck_assert_xp(doc, "string(//testsuite/@failures)", "2");
    ck_assert_xp(doc, "string(//testsuite/@errors)", "1");
    ck_assert_xp(doc, "string(//testsuite/@skipped)", "1");
    ck_assert_xp(doc, "string(//testsuite/@time)", "2.310");
    ck_assert_xp(doc, "string(//testsuite/@timestamp)", "2026-11-27T10:00:00Z");
    ck_assert_xp(doc, "string(//testsuite/@id)", "0");
    ck_assert_xp(doc, "count(//testsuite/@hostname)", "0");

    /* the counts agree with the elements */
    ck_assert_xp(doc, "count(//testcase)", "6");
    ck_assert_xp(doc, "count(//testcase/failure)", "2");
    ck_assert_xp(doc, "count(//testcase/error)", "1");
    ck_assert_xp(doc, "count(//testcase/skipped)", "1");
    ck_assert_xp(doc, "count(//testcase/system-out)", "6");

    /* properties */
    ck_assert_xp(doc, "string(//property[@name='tool']/@value)", "modelgate");
    ck_assert_xp(doc, "string(//property[@name='tool_version']/@value)", "0.1.0");
    ck_assert_xp(doc, "string(//property[@name='suite_path']/@value)",
                 "suites/churn.yaml");
    ck_assert_xp(doc, "string(//property[@name='seed']/@value)", "42");
    ck_assert_xp(doc, "string(//property[@name='replicates']/@value)", "2000");
    ck_assert_xp(doc, "string(//property[@name='confidence']/@value)", "0.95");
    ck_assert_xp(doc, "string(//property[@name='interval']/@value)", "bca");
    ck_assert_xp(doc, "string(//property[@name='resampler']/@value)", "multinomial");
    ck_assert_xp(doc, "string(//property[@name='stratify']/@value)", "label");
    ck_assert_xp(doc, "count(//property[@name='cluster'])", "0");
    /* The thread count changes no result, so the report leaves it out: output is
     * byte-identical whatever --threads is. */
    ck_assert_xp(doc, "count(//property[@name='threads'])", "0");
    ck_assert_xp(doc, "string(//property[@name='input.holdout.path']/@value)",
                 "data/holdout.csv");
    ck_assert_xp(doc, "string(//property[@name='input.holdout.rows']/@value)", "1000");
    ck_assert_xp(doc, "string(//property[@name='input.holdout.sha256']/@value)",
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    ck_assert_xp(doc, "string(//property[@name='input.model_candidate.path']/@value)",
                 "preds/candidate.csv");
    ck_assert_xp(doc, "string(//property[@name='input.model_candidate.rows']/@value)",
                 "999");
    ck_assert_xp(doc, "count(//properties/property)", "15");

    /* pass: classname with the test's dots as '_', name with the slice, time */
    ck_assert_xp(doc, "string(//testcase[1]/@classname)", "churn-model.auc >= 0_80");
    ck_assert_xp(doc, "string(//testcase[1]/@name)", "auc >= 0.80 [overall]");
    ck_assert_xp(doc, "string(//testcase[1]/@time)", "0.123");
    ck_assert_xp(doc, "count(//testcase[1]/*)", "1");
    text = xp(doc, "string(//testcase[1]/system-out)");
    ck_assert_ptr_nonnull(strstr(text, "estimate: 0.3333333333333333\n"));
    ck_assert_ptr_nonnull(strstr(text, "interval: [0.30000000000000004, 0.4]\n"));
    ck_assert_ptr_nonnull(strstr(text, "threshold: 0.25\n"));
    ck_assert_ptr_nonnull(strstr(text, "rule: strict\n"));
    free(text);

    /* failure: the verdict in the attribute, the detail as text */
    ck_assert_xp(doc, "string(//testcase[2]/@classname)",
                 "churn-model.recall per region");
    ck_assert_xp(doc, "string(//testcase[2]/@name)",
                 "recall per region [region=south]");
    ck_assert_xp(doc, "string(//testcase[2]/@time)", "1.500");
    ck_assert_xp(doc, "string(//testcase[2]/failure/@message)",
                 "recall 0.5500 [0.4800, 0.6200] 95% BCa: lower bound < 0.60 "
                 "(inconclusive)");
    ck_assert_xp(doc, "string(//testcase[2]/failure/@type)", "statistical");
    ck_assert_xp(doc, "string(//testcase[2]/failure)",
                 "estimate 0.55\ninterval [0.48, 0.62] <&> \"quoted\"\nthreshold 0.6");

    /* skip and error */
    ck_assert_xp(doc, "string(//testcase[3]/@name)", "recall per region [region=west]");
    ck_assert_xp(doc, "string(//testcase[3]/skipped/@message)",
                 "slice has 12 rows < min_size 50");
    ck_assert_xp(doc, "string(//testcase[3]/@time)", "0.000");
    ck_assert_xp(doc, "string(//testcase[4]/error/@message)",
                 "recall undefined: no positives");
    ck_assert_xp(doc, "string(//testcase[4]/error/@type)", "undefined");
    ck_assert_xp(doc, "string(//testcase[4]/error)", "0 positives in 40 rows");
    ck_assert_xp(doc, "string(//testcase[4]/@time)", "0.001");

    /* comparison: delta and p-value in system-out */
    text = xp(doc, "string(//testcase[5]/system-out)");
    ck_assert_ptr_nonnull(strstr(text, "baseline: champion\n"));
    ck_assert_ptr_nonnull(strstr(text, "delta: -0.004\n"));
    ck_assert_ptr_nonnull(strstr(text, "delta_interval: [-0.009, 0.0012]\n"));
    ck_assert_ptr_nonnull(strstr(text, "p_value: 0.21 (delong)\n"));
    ck_assert_ptr_nonnull(strstr(text, "\ncandidate 0.781\nchampion 0.785\n"));
    free(text);

    /* the weird strings: cleaned, one line in the attributes, cross slice kept */
    ck_assert_xp(doc, "string(//testcase[6]/@name)",
                 "weird" FFFD "name" FFFD FFFD FFFD
                 "\\ <b> [plan=pro \xc3\x97 region=north]");
    ck_assert_xp(doc, "string(//testcase[6]/@classname)",
                 "churn-model.weird" FFFD "name" FFFD FFFD FFFD "\\ <b>");
    ck_assert_xp(doc, "string(//testcase[6]/failure/@message)",
                 "bad " FFFD "[31mred" FFFD "[0m " FFFD FFFD FFFD " end");
    ck_assert_xp(doc, "string(//testcase[6]/failure)",
                 "tab\there" FFFD " and a " FFFD " byte");
    text = xp(doc, "string(/)");
    ck_assert(is_clean_xml(text));
    free(text);

    xmlFreeDoc(doc);
    mg_report_free(r);
}
END_TEST

START_TEST(junit_roles_unique)
{
    mg_report *r = make_report();
    const char *path;
    xmlDocPtr doc;

    /* "model candidate" and "model_candidate" would collide; "" has no name */
    free(r->inputs[0].role);
    r->inputs[0].role = xdup("model_candidate");
    r->cluster = xdup("customer_id");
    r->ninputs = 2;
    path = write_junit(r, "junit_roles");
    ck_assert_int_eq(xmllint(tu_src("tests/junit.xsd"), path), 0);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    ck_assert_xp(doc, "string(//property[@name='input.model_candidate.path']/@value)",
                 "data/holdout.csv");
    ck_assert_xp(doc, "string(//property[@name='input.model_candidate_2.path']/@value)",
                 "preds/candidate.csv");
    ck_assert_xp(doc, "string(//property[@name='cluster']/@value)", "customer_id");
    xmlFreeDoc(doc);

    free(r->inputs[0].role);
    r->inputs[0].role = NULL;
    path = write_junit(r, "junit_roles2");
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    ck_assert_xp(doc, "string(//property[@name='input.0.path']/@value)",
                 "data/holdout.csv");
    xmlFreeDoc(doc);
    mg_report_free(r);
}
END_TEST

/* Our schema is stricter than junit-10 where it matters; prove it rejects. */
START_TEST(junit_schema_rejects)
{
    static const char *const bad[] = {
        /* skipped is not a testsuites attribute in junit-10 */
        "<testsuites name='s' tests='0' failures='0' errors='0' time='0.000' "
        "skipped='0'><testsuite name='s' tests='0' failures='0' errors='0' skipped='0' "
        "time='0.000' id='0' package='s'><properties><property name='a' value=''/>"
        "</properties></testsuite></testsuites>",
        /* a time with a comma */
        "<testsuites name='s' tests='0' failures='0' errors='0' time='0,500'>"
        "<testsuite name='s' tests='0' failures='0' errors='0' skipped='0' "
        "time='0.000' id='0' package='s'><properties><property name='a' value=''/>"
        "</properties></testsuite></testsuites>",
        /* a failure without a message */
        "<testsuites name='s' tests='1' failures='1' errors='0' time='0.000'>"
        "<testsuite name='s' tests='1' failures='1' errors='0' skipped='0' "
        "time='0.000' id='0' package='s'><properties><property name='a' value=''/>"
        "</properties><testcase classname='s.t' name='t [overall]' time='0.000'>"
        "<failure type='statistical'>x</failure><system-out/></testcase>"
        "</testsuite></testsuites>",
        /* duplicate property names */
        "<testsuites name='s' tests='0' failures='0' errors='0' time='0.000'>"
        "<testsuite name='s' tests='0' failures='0' errors='0' skipped='0' "
        "time='0.000' id='0' package='s'><properties><property name='a' value=''/>"
        "<property name='a' value='b'/></properties></testsuite></testsuites>",
        /* a classname with two dots */
        "<testsuites name='s' tests='1' failures='0' errors='0' time='0.000'>"
        "<testsuite name='s' tests='1' failures='0' errors='0' skipped='0' "
        "time='0.000' id='0' package='s'><properties><property name='a' value=''/>"
        "</properties><testcase classname='s.t.u' name='t [overall]' time='0.000'>"
        "<system-out/></testcase></testsuite></testsuites>",
    };
    const char *jenkins = jenkins_xsd();
    char name[32], dir[4096];
    size_t i;

    snprintf(dir, sizeof dir, "%s", tu_scratch_dir("junit_rejects"));
    require_xmllint();
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(name, sizeof name, "bad%zu.xml", i);
        ck_assert_msg(xmllint(tu_src("tests/junit.xsd"), tu_write(dir, name, bad[i])) !=
                          0,
                      "junit.xsd accepted bad document %zu", i);
    }
    /* junit-10 rejects the first as well: we may not emit testsuites/@skipped */
    if (jenkins != NULL)
        ck_assert_int_ne(xmllint(jenkins, tu_write(dir, "bad0.xml", bad[0])), 0);
}
END_TEST

START_TEST(junit_write_failure_leaves_nothing)
{
    mg_report *r = make_report();
    mg_error err = MG_ERROR_INIT;
    const char *dir = tu_scratch_dir("junit_fail");
    char path[4200];

    snprintf(path, sizeof path, "%s/missing/junit.xml", dir);
    ck_assert_int_eq(mg_report_write_junit(r, path, &err), MG_EIO);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(dir_entries(dir), 0);
    mg_report_free(r);
}
END_TEST

/* ---- JSON --------------------------------------------------------------------- */

static json_t *parse_json(const mg_report *r)
{
    mg_error err = MG_ERROR_INIT;
    json_error_t jerr;
    char *s = NULL;
    json_t *root;

    ck_assert_int_eq(mg_report_json_string(r, &s, &err), 0);
    ck_assert_ptr_nonnull(s);
    root = json_loads(s, 0, &jerr);
    ck_assert_msg(root != NULL, "JSON does not parse: %s", jerr.text);
    free(s);
    return root;
}

static double real(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_real(v), "%s is not a real", key);
    return json_real_value(v);
}

static long long integer(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_integer(v), "%s is not an integer", key);
    return (long long)json_integer_value(v);
}

static const char *string(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_string(v), "%s is not a string", key);
    return json_string_value(v);
}

static int is_null(json_t *o, const char *key)
{
    return json_is_null(json_object_get(o, key));
}

START_TEST(json_fields)
{
    static const char *const case_keys[] = {
        "test", "metric", "model", "baseline", "slicing", "slice", "n", "estimate",
        "ci_low", "ci_high", "delta", "delta_ci_low", "delta_ci_high", "p_value",
        "p_method", "threshold", "rule", "interval", "confidence", "outcome", "message",
        "detail", "seconds",
        /* schema 1 */
        "kind", "status", "direction", "at_least", "at_most", "comparison", "margin",
        "relative", "sign_adjusted", "baseline_estimate", "method", "correction",
        "family_size", "family_p_value", "family_p_adjusted", "gap_high_slice",
        "gap_high_value", "gap_low_slice", "gap_low_value", "gap_slices",
        "gap_left_out", "weak_rank", "weak_explained_by", "weak_candidates", "min_size",
        "replicates", "replicates_undefined", "degenerate", "reason", "bound_level",
        "effective_size", "replicates_needed", "p_value_adjusted", "p_correction",
        "checks", "warning", "reliable_from", "reliable_widen"};
    static const char *const top_keys[] = {
        "schema",   "suite",      "suite_path", "tool_version", "timestamp",
        "seed",     "replicates", "confidence", "interval",     "resampler",
        "stratify", "cluster",    "inputs",     "warnings",     "summary",
        "seconds",  "cases",      "metrics"};
    mg_report *r = make_report();
    json_t *root, *c, *s, *in, *m;
    const char *key;
    json_t *value;
    size_t i;

    root = parse_json(r);
    i = 0;
    json_object_foreach(root, key, value)
    {
        ck_assert_uint_lt(i, sizeof top_keys / sizeof top_keys[0]);
        ck_assert_str_eq(key, top_keys[i]);
        i++;
    }
    ck_assert_uint_eq(i, sizeof top_keys / sizeof top_keys[0]);
    ck_assert_int_eq(integer(root, "schema"), 1);
    ck_assert_str_eq(string(root, "suite"), "churn-model");
    ck_assert_str_eq(string(root, "suite_path"), "suites/churn.yaml");
    ck_assert_str_eq(string(root, "tool_version"), "0.1.0");
    ck_assert_str_eq(string(root, "timestamp"), "2026-11-27T10:00:00Z");
    ck_assert_int_eq(integer(root, "seed"), 42);
    ck_assert_int_eq(integer(root, "replicates"), 2000);
    ck_assert(real(root, "confidence") == 0.95);
    ck_assert_str_eq(string(root, "interval"), "bca");
    ck_assert_str_eq(string(root, "resampler"), "multinomial");
    ck_assert_str_eq(string(root, "stratify"), "label");
    ck_assert(is_null(root, "cluster"));
    ck_assert_ptr_null(json_object_get(root, "threads"));
    ck_assert(real(root, "seconds") == 2.31);

    in = json_object_get(root, "inputs");
    ck_assert_uint_eq(json_array_size(in), 2);
    ck_assert_str_eq(string(json_array_get(in, 1), "role"), "model candidate");
    ck_assert_str_eq(string(json_array_get(in, 1), "path"), "preds/candidate.csv");
    ck_assert_int_eq(integer(json_array_get(in, 1), "rows"), 999);
    ck_assert_str_eq(
        string(json_array_get(in, 0), "sha256"),
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

    s = json_object_get(root, "summary");
    ck_assert_int_eq(integer(s, "tests"), 6);
    ck_assert_int_eq(integer(s, "passed"), 2);
    ck_assert_int_eq(integer(s, "failed"), 2);
    ck_assert_int_eq(integer(s, "skipped"), 1);
    ck_assert_int_eq(integer(s, "errors"), 1);

    ck_assert_uint_eq(json_array_size(json_object_get(root, "cases")), 6);
    for (i = 0; i < 6; i++) {
        size_t k = 0;
        c = json_array_get(json_object_get(root, "cases"), i);
        json_object_foreach(c, key, value)
        {
            ck_assert_uint_lt(k, sizeof case_keys / sizeof case_keys[0]);
            ck_assert_str_eq(key, case_keys[k]);
            k++;
        }
        ck_assert_uint_eq(k, sizeof case_keys / sizeof case_keys[0]);
    }

    /* pass: exact round trip of 1/3 and 0.1 + 0.2 */
    c = json_array_get(json_object_get(root, "cases"), 0);
    ck_assert_str_eq(string(c, "test"), "auc >= 0.80");
    ck_assert_str_eq(string(c, "metric"), "auc");
    ck_assert_str_eq(string(c, "model"), "candidate");
    ck_assert(is_null(c, "baseline"));
    ck_assert(is_null(c, "slicing"));
    ck_assert_str_eq(string(c, "slice"), "overall");
    ck_assert_int_eq(integer(c, "n"), 1000);
    ck_assert(real(c, "estimate") == 1.0 / 3);
    ck_assert(real(c, "ci_low") == 0.1 + 0.2);
    ck_assert(real(c, "ci_high") == 0.4);
    ck_assert(is_null(c, "delta"));
    ck_assert(is_null(c, "delta_ci_low"));
    ck_assert(is_null(c, "delta_ci_high"));
    ck_assert(is_null(c, "p_value"));
    ck_assert(is_null(c, "p_method"));
    ck_assert(real(c, "threshold") == 0.25);
    ck_assert_str_eq(string(c, "rule"), "strict");
    ck_assert_str_eq(string(c, "interval"), "bca");
    ck_assert(real(c, "confidence") == 0.95);
    ck_assert_str_eq(string(c, "outcome"), "pass");
    ck_assert_str_eq(string(c, "message"),
                     "auc 0.3333 [0.3000, 0.4000] 95% BCa: lower bound >= 0.25");
    ck_assert(is_null(c, "detail"));
    ck_assert(real(c, "seconds") == 0.1234);

    c = json_array_get(json_object_get(root, "cases"), 1);
    ck_assert_str_eq(string(c, "outcome"), "fail");
    ck_assert_str_eq(string(c, "slicing"), "region");
    ck_assert_str_eq(string(c, "slice"), "region=south");
    ck_assert_str_eq(
        string(c, "detail"),
        "estimate 0.55\ninterval [0.48, 0.62] <&> \"quoted\"\nthreshold 0.6");

    c = json_array_get(json_object_get(root, "cases"), 2);
    ck_assert_str_eq(string(c, "outcome"), "skipped");
    ck_assert(is_null(c, "estimate"));
    ck_assert(is_null(c, "ci_low"));
    ck_assert(is_null(c, "ci_high"));
    ck_assert(is_null(c, "threshold"));
    ck_assert_int_eq(integer(c, "n"), 12);
    ck_assert(real(c, "seconds") == 0.0);

    c = json_array_get(json_object_get(root, "cases"), 3);
    ck_assert_str_eq(string(c, "outcome"), "error");
    ck_assert_str_eq(string(c, "message"), "recall undefined: no positives");

    c = json_array_get(json_object_get(root, "cases"), 4);
    ck_assert_str_eq(string(c, "baseline"), "champion");
    ck_assert(real(c, "delta") == -0.004);
    ck_assert(real(c, "delta_ci_low") == -0.009);
    ck_assert(real(c, "delta_ci_high") == 0.0012);
    ck_assert(real(c, "p_value") == 0.21);
    ck_assert_str_eq(string(c, "p_method"), "delong");
    ck_assert(real(c, "threshold") == 0.01);
    ck_assert_str_eq(string(c, "test"), "auc vs champion | non-inferior");

    /* invalid UTF-8 replaced; control characters are legal JSON and kept */
    c = json_array_get(json_object_get(root, "cases"), 5);
    ck_assert_str_eq(string(c, "test"), "weird\x01name" FFFD FFFD FFFD "\\ <b>");
    ck_assert_str_eq(string(c, "message"),
                     "bad \x1b[31mred\x1b[0m " FFFD FFFD FFFD " end");
    ck_assert_str_eq(string(c, "slice"), CROSS);
    ck_assert(is_null(c, "ci_low"));

    m = json_object_get(root, "metrics");
    ck_assert_uint_eq(json_array_size(m), 2);
    c = json_array_get(m, 0);
    ck_assert_uint_eq(json_object_size(c), 10);
    ck_assert_str_eq(string(c, "model"), "candidate");
    ck_assert(is_null(c, "slicing"));
    ck_assert_str_eq(string(c, "slice"), "overall");
    ck_assert_str_eq(string(c, "metric"), "auc");
    ck_assert_int_eq(integer(c, "n"), 1000);
    ck_assert(real(c, "estimate") == 0.1 + 0.2);
    ck_assert(real(c, "ci_low") == 1.0 / 3 - 0.1);
    ck_assert(real(c, "ci_high") == 1.0 / 3);
    ck_assert(is_null(c, "reason"));
    ck_assert_int_eq(integer(c, "undefined_replicates"), 0);
    c = json_array_get(m, 1);
    ck_assert_str_eq(string(c, "slicing"), "region_x_plan");
    ck_assert(is_null(c, "estimate"));
    ck_assert(is_null(c, "ci_low"));
    ck_assert(is_null(c, "ci_high"));
    ck_assert_str_eq(string(c, "reason"), "no positives");
    ck_assert_int_eq(integer(c, "undefined_replicates"), 7);

    json_decref(root);
    mg_report_free(r);
}
END_TEST

START_TEST(json_non_finite_and_big_seed)
{
    mg_report *r = make_report();
    json_t *root, *c;
    char *s = NULL;
    mg_error err = MG_ERROR_INIT;

    r->cases[0].estimate = NAN;
    r->cases[0].ci_high = INFINITY;
    r->cases[4].delta = -INFINITY;
    r->seconds = NAN;
    r->seed = UINT64_MAX;
    r->cluster = xdup("customer_id");
    root = parse_json(r);
    c = json_array_get(json_object_get(root, "cases"), 0);
    ck_assert(is_null(c, "estimate"));
    ck_assert(is_null(c, "ci_high"));
    ck_assert(real(c, "ci_low") == 0.1 + 0.2);
    c = json_array_get(json_object_get(root, "cases"), 4);
    ck_assert(is_null(c, "delta"));
    ck_assert(is_null(root, "seconds"));
    ck_assert_str_eq(string(root, "seed"), "18446744073709551615");
    ck_assert_str_eq(string(root, "cluster"), "customer_id");
    json_decref(root);

    /* the text itself never holds NaN or Infinity */
    ck_assert_int_eq(mg_report_json_string(r, &s, &err), 0);
    ck_assert_ptr_null(strstr(s, "NaN"));
    ck_assert_ptr_null(strstr(s, "Infinity"));
    ck_assert_ptr_null(strstr(s, ": nan"));
    ck_assert_ptr_null(strstr(s, ": inf"));
    ck_assert_ptr_null(strstr(s, ": -inf"));
    free(s);
    mg_report_free(r);
}
END_TEST

START_TEST(json_file)
{
    mg_report *r = make_report();
    mg_error err = MG_ERROR_INIT;
    json_error_t jerr;
    json_t *root;
    char path[4200], *text;
    size_t len;

    snprintf(path, sizeof path, "%s/report.json", tu_scratch_dir("json_file"));
    ck_assert_int_eq(mg_report_write_json(r, path, &err), 0);
    text = tu_slurp(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_gt(len, 2);
    ck_assert_int_eq(text[len - 1], '\n');
    ck_assert_int_eq(text[len - 2], '}');
    /* 17 significant digits, two-space indent */
    ck_assert_ptr_nonnull(strstr(text, "\"ci_low\": 0.30000000000000004"));
    ck_assert_ptr_nonnull(strstr(text, "\n  \"suite\": \"churn-model\""));
    free(text);
    root = json_load_file(path, 0, &jerr);
    ck_assert_ptr_nonnull(root);
    ck_assert(real(json_array_get(json_object_get(root, "cases"), 0), "estimate") ==
              1.0 / 3);
    json_decref(root);
    mg_report_free(r);
}
END_TEST

/* ---- JSON schema 1 ------------------------------------------------------------ */

static char *print_cases(const mg_report *r, int color, int verbose);

/* Append a zeroed case to r and return it. */
static mg_case *add_case(mg_report *r)
{
    mg_case *grown = realloc(r->cases, (r->ncases + 1) * sizeof *grown);
    ck_assert_ptr_nonnull(grown);
    r->cases = grown;
    memset(&r->cases[r->ncases], 0, sizeof r->cases[0]);
    return &r->cases[r->ncases++];
}

/*
 * make_report's six cases and one of every other kind: a lower-is-better comparison
 * (sign-adjusted, relative margin), an equivalence (two checks), a member of a
 * Holm-corrected lenient family, a baseline undefined, no interval, and the suite
 * case of a suite that tested nothing.
 */
static mg_report *make_full_report(void)
{
    mg_report *r = make_report();
    mg_case *c;

    c = add_case(r);
    set_case(c, "brier no worse", NULL, "overall", MG_OUTCOME_PASS, "brier", NULL);
    free(c->metric);
    c->metric = xdup("brier");
    c->baseline = xdup("champion");
    c->kind = MG_TEST_COMPARISON;
    c->direction = -1;
    c->n = 1000;
    c->has_estimate = 1;
    c->estimate = 0.14;
    c->has_delta = 1;
    c->delta = 0.002;
    c->delta_ci_low = -0.001;
    c->delta_ci_high = 0.005;
    c->has_p_value = 1;
    c->p_value = 0.4;
    c->p_method = xdup("bootstrap");
    c->has_threshold = 1;
    c->threshold = 0.0071;
    c->comparison = MG_COMPARE_NON_INFERIOR;
    c->margin = 0.0071;
    c->relative = 1;
    c->has_baseline_estimate = 1;
    c->baseline_estimate = 0.142;
    c->method = MG_CI_BC;
    c->replicates = 2000;
    c->checks[0] =
        (mg_check){MG_BOUND_LOWER, -0.001, -0.0071, 1, 0, 1, MG_FINDING_PASS};
    c->nchecks = 1;

    c = add_case(r);
    set_case(c, "same accuracy", NULL, "overall", MG_OUTCOME_FAIL, "accuracy", "d");
    c->baseline = xdup("champion");
    c->kind = MG_TEST_COMPARISON;
    c->n = 1000;
    c->has_estimate = 1;
    c->estimate = 0.8;
    c->has_delta = 1;
    c->delta = 0.01;
    c->delta_ci_low = -0.005;
    c->delta_ci_high = 0.025;
    c->has_threshold = 1;
    c->threshold = 0.02;
    c->comparison = MG_COMPARE_EQUIVALENT;
    c->margin = 0.02;
    c->has_baseline_estimate = 1;
    c->baseline_estimate = 0.79;
    c->method = MG_CI_PERCENTILE;
    c->replicates = 2000;
    c->checks[0] = (mg_check){MG_BOUND_LOWER, -0.005, -0.02, 1, 0, 1, MG_FINDING_PASS};
    c->checks[1] =
        (mg_check){MG_BOUND_UPPER, 0.025, 0.02, 0, 0, 0, MG_FINDING_INCONCLUSIVE};
    c->nchecks = 2;

    c = add_case(r);
    set_case(c, "no region clearly bad", "region", "region=north", MG_OUTCOME_PASS,
             "recall", "d");
    c->rule_kind = MG_RULE_LENIENT;
    c->n = 300;
    c->has_estimate = 1;
    c->estimate = 0.71;
    c->has_ci = 1;
    c->ci_low = 0.64;
    c->ci_high = 0.78;
    c->confidence = 0.9875;
    c->correction = MG_CORRECTION_HOLM;
    c->family_size = 4;
    c->has_at_least = 1;
    c->at_least = 0.7;
    c->method = MG_CI_WILSON;
    c->checks[0] =
        (mg_check){MG_BOUND_UPPER, 0.78, 0.7, 1, 0, 1, MG_FINDING_LENIENT_PASS};
    c->nchecks = 1;

    c = add_case(r);
    set_case(c, "auc vs old", NULL, "overall", MG_OUTCOME_ERROR, "undefined", NULL);
    c->baseline = xdup("old");
    c->kind = MG_TEST_COMPARISON;
    c->status = MG_STATUS_BASELINE_UNDEFINED;
    c->comparison = MG_COMPARE_SUPERIOR;
    c->has_estimate = 1;
    c->estimate = 0.8;
    c->reason = xdup("one class");

    c = add_case(r);
    set_case(c, "flat", NULL, "overall", MG_OUTCOME_ERROR, "no interval", NULL);
    c->status = MG_STATUS_NO_INTERVAL;
    c->has_estimate = 1;
    c->estimate = 1;
    c->has_at_most = 1;
    c->at_most = 0.5;
    c->replicates = 2000;
    c->replicates_undefined = 2000;
    c->degenerate = 1;
    c->reason = xdup("every replicate undefined");

    c = add_case(r);
    set_case(c, "suite", NULL, "overall", MG_OUTCOME_ERROR, "nothing tested", NULL);
    free(c->metric);
    c->metric = xdup("none");
    free(c->model);
    c->model = xdup("none");
    c->kind = MG_TEST_SUITE;
    c->status = MG_STATUS_NO_TESTS;
    c->direction = 0;
    return r;
}

START_TEST(json_schema_fields)
{
    mg_report *r = make_full_report();
    json_t *root = parse_json(r), *cases = json_object_get(root, "cases"), *c, *k;

    ck_assert_uint_eq(json_array_size(cases), 12);
    /* a threshold test, decided */
    c = json_array_get(cases, 0);
    ck_assert_str_eq(string(c, "kind"), "threshold");
    ck_assert_str_eq(string(c, "status"), "decided");
    ck_assert_str_eq(string(c, "direction"), "higher");
    ck_assert(real(c, "at_least") == 0.25);
    ck_assert(is_null(c, "at_most"));
    ck_assert(is_null(c, "comparison"));
    ck_assert(is_null(c, "margin"));
    ck_assert(is_null(c, "relative"));
    ck_assert(is_null(c, "sign_adjusted"));
    ck_assert(is_null(c, "baseline_estimate"));
    ck_assert_str_eq(string(c, "method"), "bca");
    ck_assert_str_eq(string(c, "correction"), "none");
    ck_assert(is_null(c, "family_size"));
    ck_assert_int_eq(integer(c, "min_size"), 1);
    ck_assert_int_eq(integer(c, "replicates"), 2000);
    ck_assert_int_eq(integer(c, "replicates_undefined"), 0);
    ck_assert(json_is_false(json_object_get(c, "degenerate")));
    ck_assert(is_null(c, "reason"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "checks")), 1);
    k = json_array_get(json_object_get(c, "checks"), 0);
    ck_assert_uint_eq(json_object_size(k), 7);
    ck_assert_str_eq(string(k, "bound"), "lower");
    ck_assert(real(k, "value") == 0.1 + 0.2);
    ck_assert(real(k, "threshold") == 0.25);
    ck_assert_str_eq(string(k, "passing_side"), "above");
    ck_assert(json_is_true(json_object_get(k, "inclusive")));
    ck_assert(json_is_true(json_object_get(k, "passed")));
    ck_assert_str_eq(string(k, "finding"), "pass");
    /* strict, inconclusive */
    c = json_array_get(cases, 1);
    ck_assert_int_eq(integer(c, "replicates_undefined"), 3);
    k = json_array_get(json_object_get(c, "checks"), 0);
    ck_assert(json_is_false(json_object_get(k, "passed")));
    ck_assert_str_eq(string(k, "finding"), "inconclusive");
    /* skipped and undefined: no checks, no method */
    c = json_array_get(cases, 2);
    ck_assert_str_eq(string(c, "status"), "too_small");
    ck_assert_int_eq(integer(c, "min_size"), 50);
    ck_assert(is_null(c, "method"));
    ck_assert_uint_eq(json_array_size(json_object_get(c, "checks")), 0);
    c = json_array_get(cases, 3);
    ck_assert_str_eq(string(c, "status"), "undefined");
    ck_assert_str_eq(string(c, "reason"), "no positives");
    /* a comparison */
    c = json_array_get(cases, 4);
    ck_assert_str_eq(string(c, "kind"), "comparison");
    ck_assert(is_null(c, "at_least"));
    ck_assert_str_eq(string(c, "comparison"), "non_inferior");
    ck_assert(real(c, "margin") == 0.01);
    ck_assert(json_is_false(json_object_get(c, "relative")));
    ck_assert(json_is_false(json_object_get(c, "sign_adjusted")));
    ck_assert(real(c, "baseline_estimate") == 0.785);
    /* the estimate rule */
    c = json_array_get(cases, 5);
    ck_assert(is_null(c, "method"));
    k = json_array_get(json_object_get(c, "checks"), 0);
    ck_assert_str_eq(string(k, "bound"), "estimate");
    ck_assert_str_eq(string(k, "finding"), "clear_fail");
    /* lower is better: sign-adjusted, relative margin, BC */
    c = json_array_get(cases, 6);
    ck_assert_str_eq(string(c, "direction"), "lower");
    ck_assert(json_is_true(json_object_get(c, "sign_adjusted")));
    ck_assert(json_is_true(json_object_get(c, "relative")));
    ck_assert(real(c, "margin") == 0.0071);
    ck_assert_str_eq(string(c, "method"), "bc");
    /* equivalence: two checks */
    c = json_array_get(cases, 7);
    ck_assert_str_eq(string(c, "comparison"), "equivalent");
    ck_assert_uint_eq(json_array_size(json_object_get(c, "checks")), 2);
    k = json_array_get(json_object_get(c, "checks"), 1);
    ck_assert_str_eq(string(k, "bound"), "upper");
    ck_assert_str_eq(string(k, "passing_side"), "below");
    ck_assert(real(k, "threshold") == 0.02);
    /* a corrected family member */
    c = json_array_get(cases, 8);
    ck_assert(real(c, "confidence") == 0.9875);
    ck_assert_str_eq(string(c, "correction"), "holm");
    ck_assert_int_eq(integer(c, "family_size"), 4);
    ck_assert_str_eq(string(c, "method"), "wilson");
    ck_assert_str_eq(string(json_array_get(json_object_get(c, "checks"), 0), "finding"),
                     "lenient_pass");
    /* the baseline undefined: no margin, no Δ, no baseline estimate */
    c = json_array_get(cases, 9);
    ck_assert_str_eq(string(c, "status"), "baseline_undefined");
    ck_assert_str_eq(string(c, "comparison"), "superior");
    ck_assert(is_null(c, "margin"));
    ck_assert(is_null(c, "delta"));
    ck_assert(is_null(c, "sign_adjusted"));
    ck_assert(is_null(c, "baseline_estimate"));
    /* no interval */
    c = json_array_get(cases, 10);
    ck_assert_str_eq(string(c, "status"), "no_interval");
    ck_assert(real(c, "at_most") == 0.5);
    ck_assert(json_is_true(json_object_get(c, "degenerate")));
    ck_assert_int_eq(integer(c, "replicates_undefined"), 2000);
    /* the suite */
    c = json_array_get(cases, 11);
    ck_assert_str_eq(string(c, "kind"), "suite");
    ck_assert_str_eq(string(c, "status"), "no_tests");
    ck_assert(is_null(c, "direction"));
    ck_assert(is_null(c, "min_size"));
    json_decref(root);
    mg_report_free(r);
}
END_TEST

/* A Δ without an interval has no bounds, whatever the fields hold. */
START_TEST(json_delta_without_interval)
{
    mg_report *r = make_report();
    json_t *root, *c;
    char *out;

    r->cases[4].method = MG_CI_NONE;
    root = parse_json(r);
    c = json_array_get(json_object_get(root, "cases"), 4);
    ck_assert(real(c, "delta") == -0.004);
    ck_assert(is_null(c, "delta_ci_low"));
    ck_assert(is_null(c, "delta_ci_high"));
    json_decref(root);
    out = print_cases(r, 0, 0);
    ck_assert_ptr_nonnull(strstr(out, "\xce\x94 -0.0040\n"));
    ck_assert_ptr_null(strstr(out, "[-0.0090"));
    free(out);
    mg_report_free(r);
}
END_TEST

/* ---- docs/json.md documents what the writer emits --------------------------- */

#define MAX_FIELDS 256

typedef struct field_set {
    char *name[MAX_FIELDS];
    size_t n;
} field_set;

static void field_add(field_set *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->name[i], name) == 0)
            return;
    ck_assert_uint_lt(fs->n, MAX_FIELDS);
    fs->name[fs->n++] = xdup(name);
}

static int field_has(const field_set *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->name[i], name) == 0)
            return 1;
    return 0;
}

static void field_free(field_set *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->name[i]);
    fs->n = 0;
}

/* Every key under `v` as a path: "a", "a.b", "a[].b" (arrays by their elements). */
static void collect_keys(field_set *fs, const char *prefix, json_t *v)
{
    char path[256];
    const char *key;
    json_t *value;
    size_t i;

    if (json_is_array(v)) {
        snprintf(path, sizeof path, "%s[]", prefix);
        json_array_foreach(v, i, value) collect_keys(fs, path, value);
        return;
    }
    if (!json_is_object(v))
        return;
    json_object_foreach(v, key, value)
    {
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
        field_add(fs, path);
        collect_keys(fs, path, value);
    }
}

/* The first cell of each row of docs/json.md's tables: "| `cases[].kind` | …". */
static void documented_fields(field_set *fs)
{
    size_t len;
    char *text = tu_slurp(tu_src("docs/json.md"), &len), *line, *save = NULL;

    ck_assert_ptr_nonnull(text);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char *end;
        if (strncmp(line, "| `", 3) != 0 || (end = strchr(line + 3, '`')) == NULL)
            continue;
        *end = '\0';
        ck_assert_msg(!field_has(fs, line + 3), "docs/json.md lists '%s' twice",
                      line + 3);
        field_add(fs, line + 3);
    }
    free(text);
}

static void emitted_fields(field_set *fs, const mg_report *r)
{
    json_t *root = parse_json(r);
    collect_keys(fs, "", root);
    json_decref(root);
}

/* The churn example as `modelgate run` and `modelgate metrics` report it. */
static mg_report *churn_report(mg_run_mode mode)
{
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    mg_error err = MG_ERROR_INIT;
    mg_suite *suite = NULL;
    mg_report *r = NULL;

    o.mode = mode;
    o.replicates = 200;
    o.threads = 1;
    ck_assert_msg(mg_suite_load(&suite, tu_src("examples/churn/suite.yaml"), &err) == 0,
                  "%s", err.message);
    ck_assert_msg(mg_run_suite(&r, suite, &o, &err) == 0, "%s", err.message);
    mg_suite_free(suite);
    return r;
}

START_TEST(json_fields_documented)
{
    field_set docs = {{0}, 0}, seen = {{0}, 0};
    mg_report *full = make_full_report();
    mg_report *run = churn_report(MG_RUN_TESTS),
              *metrics = churn_report(MG_RUN_METRICS);

    documented_fields(&docs);
    ck_assert_uint_gt(docs.n, 80);
    emitted_fields(&seen, full);
    emitted_fields(&seen, run);
    emitted_fields(&seen, metrics);
    for (size_t i = 0; i < seen.n; i++)
        ck_assert_msg(field_has(&docs, seen.name[i]),
                      "the JSON writer emits '%s', which docs/json.md does not list",
                      seen.name[i]);
    for (size_t i = 0; i < docs.n; i++)
        ck_assert_msg(field_has(&seen, docs.name[i]),
                      "docs/json.md lists '%s', which no report emitted", docs.name[i]);
    /* the churn example: the kinds it holds, in the schema's words */
    {
        json_t *root = parse_json(run), *cases = json_object_get(root, "cases");
        ck_assert_int_eq(integer(root, "schema"), 1);
        /* 17 data checks, 7 drift cases, then the tests */
        ck_assert_str_eq(string(json_array_get(cases, 0), "kind"), "data_check");
        ck_assert_str_eq(string(json_array_get(cases, 0), "status"), "checked");
        ck_assert_str_eq(string(json_array_get(cases, 11), "status"), "decided");
        ck_assert_str_eq(string(json_array_get(cases, 11), "interval"), "wilson");
        ck_assert_str_eq(string(json_array_get(cases, 17), "kind"), "drift");
        ck_assert_str_eq(string(json_array_get(cases, 17), "p_correction"), "holm");
        ck_assert_str_eq(string(json_array_get(cases, 24), "kind"), "threshold");
        ck_assert_str_eq(string(json_array_get(cases, 31), "kind"), "comparison");
        ck_assert_str_eq(string(json_array_get(cases, 31), "comparison"),
                         "non_inferior");
        ck_assert_str_eq(string(json_array_get(cases, 32), "direction"), "lower");
        json_decref(root);
    }
    field_free(&docs);
    field_free(&seen);
    mg_report_free(full);
    mg_report_free(run);
    mg_report_free(metrics);
}
END_TEST

/* ---- console ------------------------------------------------------------------ */

static char *print_cases(const mg_report *r, int color, int verbose)
{
    mg_console_options opts = MG_CONSOLE_OPTIONS_INIT;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    ck_assert_ptr_nonnull(f);
    opts.color = color;
    opts.verbose = verbose;
    ck_assert_int_eq(mg_report_print_cases(r, f, &opts), 0);
    fclose(f);
    return buf;
}

/* Code-point column at which `needle` starts in `line` (strstr), or -1. */
static long column_of(const char *line, const char *needle)
{
    const char *at = strstr(line, needle);
    long col = 0;
    const char *p;

    if (at == NULL)
        return -1;
    for (p = line; p < at; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    return col;
}

/* The n-th line (0-based) of text as a new string. */
static char *line_at(const char *text, int n)
{
    const char *p = text, *eol;
    char *line;

    while (n-- > 0) {
        p = strchr(p, '\n');
        ck_assert_ptr_nonnull(p);
        p++;
    }
    eol = strchr(p, '\n');
    ck_assert_ptr_nonnull(eol);
    line = strndup(p, (size_t)(eol - p));
    ck_assert_ptr_nonnull(line);
    return line;
}

static void assert_no_trailing_blanks(const char *text)
{
    const char *p;
    for (p = text; *p; p++)
        if (*p == '\n' && p > text)
            ck_assert_msg(p[-1] != ' ', "trailing blank before offset %ld",
                          (long)(p - text));
}

START_TEST(console_cases_aligned)
{
    mg_report *r = make_report();
    char *out = print_cases(r, 0, 0);
    char *header = line_at(out, 0);
    long test_col = column_of(header, "TEST"), model_col = column_of(header, "MODEL");
    long slice_col = column_of(header, "SLICE"),
         est_col = column_of(header, "ESTIMATE");
    long verdict_col = column_of(header, "VERDICT");
    char *row;

    ck_assert_ptr_null(strchr(out, '\x1b'));
    assert_no_trailing_blanks(out);
    ck_assert_int_eq(test_col, 8); /* "RESULT" / "ERROR" are 6 wide, then 2 blanks */
    ck_assert_int_eq(column_of(header, "ESTIMATE [95% CI]"), est_col);

    /* line 1: pass; 2: fail + 3 detail lines; 6: skip; 7: error + 1; 9: Δ; 10: weird +
     * 1 */
    row = line_at(out, 1);
    ck_assert_int_eq(column_of(row, "PASS"), 0);
    ck_assert_int_eq(column_of(row, "auc >= 0.80"), test_col);
    ck_assert_int_eq(column_of(row, "candidate"), model_col);
    ck_assert_int_eq(column_of(row, "overall"), slice_col);
    ck_assert_int_eq(column_of(row, "0.3333 [0.3000, 0.4000]"), est_col);
    ck_assert_ptr_null(strstr(row, "lower bound")); /* no verdict for passes */
    free(row);

    row = line_at(out, 2);
    ck_assert_int_eq(column_of(row, "FAIL"), 0);
    ck_assert_int_eq(column_of(row, "region=south"), slice_col);
    ck_assert_int_eq(column_of(row, "0.5500 [0.4800, 0.6200]"), est_col);
    ck_assert_int_eq(column_of(row, "recall 0.5500"), verdict_col);
    free(row);
    row = line_at(out, 3);
    ck_assert_str_eq(row, "    estimate 0.55");
    free(row);
    row = line_at(out, 5);
    ck_assert_str_eq(row, "    threshold 0.6");
    free(row);

    row = line_at(out, 6);
    ck_assert_int_eq(column_of(row, "SKIP"), 0);
    ck_assert_int_eq(column_of(row, "region=west"), slice_col);
    ck_assert_int_eq(column_of(row, "slice has 12 rows"), verdict_col);
    free(row);

    row = line_at(out, 7);
    ck_assert_int_eq(column_of(row, "ERROR"), 0);
    ck_assert_int_eq(column_of(row, "recall undefined"), verdict_col);
    free(row);
    row = line_at(out, 8);
    ck_assert_str_eq(row, "    0 positives in 40 rows");
    free(row);

    row = line_at(out, 9);
    ck_assert_int_eq(column_of(row, "candidate vs champion"), model_col);
    ck_assert_int_eq(column_of(row, "\xce\x94 -0.0040 [-0.0090, 0.0012]"), est_col);
    free(row);

    /* the cross slice: '×' is two bytes and one column */
    row = line_at(out, 10);
    ck_assert_int_eq(column_of(row, "weird" FFFD "name"), test_col);
    ck_assert_int_eq(column_of(row, CROSS), slice_col);
    ck_assert_int_eq(column_of(row, "0.5000"), est_col);
    ck_assert_int_eq(column_of(row, "bad " FFFD "[31mred"), verdict_col);
    free(row);
    row = line_at(out, 11);
    ck_assert_str_eq(row, "    tab\there" FFFD " and a " FFFD " byte");
    free(row);

    row = line_at(out, 12);
    ck_assert_str_eq(row, "6 tests: 2 passed, 2 failed, 1 skipped, 1 error (2.31 s)");
    free(row);
    ck_assert_ptr_null(strchr(strchr(strstr(out, "6 tests:"), '\n') + 1, '\n'));

    free(header);
    free(out);
    mg_report_free(r);
}
END_TEST

START_TEST(console_cases_color_and_verbose)
{
    mg_report *r = make_report();
    char *out = print_cases(r, 1, 1), *row;

    ck_assert_ptr_nonnull(strstr(out, "\x1b[32mPASS\x1b[0m    auc >= 0.80"));
    ck_assert_ptr_nonnull(strstr(out, "\x1b[31mFAIL\x1b[0m    recall per region"));
    ck_assert_ptr_nonnull(strstr(out, "\x1b[33mSKIP\x1b[0m    recall per region"));
    ck_assert_ptr_nonnull(strstr(out, "\x1b[35mERROR\x1b[0m   recall per region"));
    /* the only escapes are ours: the message's ESC was replaced */
    ck_assert_ptr_null(strstr(out, "\x1b[31mred"));
    /* verbose: a passing case's verdict and detail */
    ck_assert_ptr_nonnull(strstr(out, "lower bound >= 0.25\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n    candidate 0.781\n    champion 0.785\n"));
    row = line_at(out, 0);
    ck_assert_int_eq(column_of(row, "TEST"), 8);
    free(row);
    free(out);

    /* no cases: just the summary */
    r->ncases = 0;
    r->seconds = 0.004;
    out = print_cases(r, 0, 0);
    ck_assert_str_eq(out,
                     "0 tests: 0 passed, 0 failed, 0 skipped, 0 errors (0.00 s)\n");
    free(out);
    r->ncases = 6;
    mg_report_free(r);
}
END_TEST

/* --quiet's table, levels other than the suite's, and lenient passes. */
START_TEST(console_only_failures_and_levels)
{
    mg_report *r = make_full_report();
    mg_console_options opts = MG_CONSOLE_OPTIONS_INIT;
    char *buf = NULL, *row;
    size_t size = 0, i, lines = 0;
    FILE *f;

    /* every row: the family member's interval carries its level and its verdict,
     * which says the pass is inconclusive; the suite-level ones carry none */
    buf = print_cases(r, 0, 0);
    ck_assert_ptr_nonnull(strstr(buf, "0.7100 [0.6400, 0.7800] 98.75%  recall\n"));
    ck_assert_ptr_null(strstr(buf, "0.4000] 95%"));
    ck_assert_ptr_nonnull(strstr(buf, "\xce\x94 +0.0020 [-0.0010, 0.0050]\n"));
    free(buf);
    buf = NULL;

    /* only corrected families: no usual level, each interval carries its own */
    {
        mg_report *only = make_full_report();
        for (i = 0; i < only->ncases; i++)
            only->cases[i].family_size = 3;
        buf = print_cases(only, 0, 0);
        row = line_at(buf, 0);
        ck_assert_int_ge(column_of(row, "ESTIMATE [CI]"), 0);
        free(row);
        ck_assert_ptr_nonnull(strstr(buf, "0.3333 [0.3000, 0.4000] 95%"));
        ck_assert_ptr_nonnull(strstr(buf, "0.7100 [0.6400, 0.7800] 98.75%"));
        free(buf);
        buf = NULL;
        mg_report_free(only);
    }

    /* only the failed and errored cases, with their details, and the summary */
    f = open_memstream(&buf, &size);
    ck_assert_ptr_nonnull(f);
    opts.only_failures = 1;
    ck_assert_int_eq(mg_report_print_cases(r, f, &opts), 0);
    fclose(f);
    assert_no_trailing_blanks(buf);
    ck_assert_ptr_null(strstr(buf, "PASS"));
    ck_assert_ptr_null(strstr(buf, "SKIP"));
    row = line_at(buf, 0);
    ck_assert_int_eq(column_of(row, "RESULT"), 0);
    free(row);
    ck_assert_ptr_nonnull(strstr(buf, "\nFAIL    recall per region"));
    ck_assert_ptr_nonnull(strstr(buf, "\n    threshold 0.6\n"));
    ck_assert_ptr_nonnull(strstr(buf, "\nERROR   suite "));
    ck_assert_ptr_nonnull(
        strstr(buf, "\n12 tests: 4 passed, 3 failed, 1 skipped, 4 errors (2.31 s)\n"));
    for (i = 0; i < size; i++)
        lines += buf[i] == '\n';
    /* header, 3 failures (+3 and +1 and +1 detail lines), 4 errors (+1), summary */
    ck_assert_uint_eq(lines, 1 + 3 + 5 + 4 + 1 + 1);
    free(buf);

    /* a run without failures: the summary line alone */
    for (i = 0; i < r->ncases; i++)
        if (r->cases[i].outcome != MG_OUTCOME_SKIP)
            r->cases[i].outcome = MG_OUTCOME_PASS;
    buf = NULL;
    f = open_memstream(&buf, &size);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(mg_report_print_cases(r, f, &opts), 0);
    fclose(f);
    ck_assert_str_eq(buf,
                     "12 tests: 11 passed, 0 failed, 1 skipped, 0 errors (2.31 s)\n");
    free(buf);

    /* a version-1 caller's struct ends before only_failures: every row */
    opts.version = 1;
    buf = NULL;
    f = open_memstream(&buf, &size);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(mg_report_print_cases(r, f, &opts), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "PASS"));
    free(buf);
    mg_report_free(r);
}
END_TEST

/* The _string writers give the very bytes the file writers write. */
START_TEST(string_writers_match_files)
{
    mg_report *r = make_full_report();
    mg_error err = MG_ERROR_INIT;
    const char *dir = tu_scratch_dir("string_writers");
    char path[4200], *text = NULL, *file;
    size_t len;

    snprintf(path, sizeof path, "%s/junit.xml", dir);
    ck_assert_int_eq(mg_report_write_junit(r, path, &err), 0);
    ck_assert_int_eq(mg_report_junit_string(r, &text, &err), 0);
    file = tu_slurp(path, &len);
    ck_assert_uint_eq(strlen(text), len);
    ck_assert_str_eq(text, file);
    free(text);
    free(file);

    snprintf(path, sizeof path, "%s/summary.md", dir);
    ck_assert_int_eq(mg_report_write_markdown(r, path, &err), 0);
    ck_assert_int_eq(mg_report_markdown_string(r, &text, &err), 0);
    file = tu_slurp(path, &len);
    ck_assert_str_eq(text, file);
    /* the corrected family member's interval carries its level, the others none */
    ck_assert_ptr_nonnull(strstr(text, "| 0.7100 [0.6400, 0.7800] 98.75% |"));
    ck_assert_ptr_nonnull(strstr(text, "| 0.3333 [0.3000, 0.4000] |"));
    free(text);
    free(file);

    ck_assert_int_eq(mg_report_junit_string(NULL, &text, &err), MG_EINVAL);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(mg_report_markdown_string(r, NULL, &err), MG_EINVAL);
    mg_report_free(r);
}
END_TEST

START_TEST(console_metrics)
{
    mg_report *r = make_report();
    mg_console_options opts = MG_CONSOLE_OPTIONS_INIT;
    char *buf = NULL, *header, *row;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(mg_report_print_metrics(r, f, &opts), 0);
    fclose(f);
    assert_no_trailing_blanks(buf);
    header = line_at(buf, 0);
    ck_assert_str_eq(header,
                     "MODEL      SLICING        SLICE                    METRIC     "
                     "N  ESTIMATE [CI]            NOTE");
    row = line_at(buf, 1);
    ck_assert_str_eq(row, "candidate  -              overall                  auc     "
                          "1000  0.3000 [0.2333, 0.3333]");
    free(row);
    row = line_at(buf, 2);
    ck_assert_str_eq(row, "champion   region_x_plan  " CROSS "  recall     8  undefined"
                          "                no positives; 7 replicates undefined");
    free(row);
    ck_assert_uint_eq(size, strlen(buf));
    {
        size_t lines = 0, i;
        for (i = 0; i < size; i++)
            lines += buf[i] == '\n';
        ck_assert_uint_eq(lines, 3); /* the header and two rows, nothing else */
    }
    free(header);
    free(buf);
    mg_report_free(r);
}
END_TEST

/*
 * Switch LC_NUMERIC to a locale with a decimal comma: an installed one, or one
 * compiled into the scratch directory with localedef (found through LOCPATH).
 * Returns 0 when neither is possible.
 */
static int comma_locale(const char *dir)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "de_DE", "nl_NL.UTF-8"};
    char cmd[4400], buf[16];
    size_t i;
    int ok;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]) != NULL)
            goto check;
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", dir);
    if (system(cmd) != 0 || setenv("LOCPATH", dir, 1) != 0)
        return 0;
    ok = setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
    /* loaded now; glibc's newlocale leaks its search list while LOCPATH is set */
    unsetenv("LOCPATH");
    if (!ok)
        return 0;
check:
    snprintf(buf, sizeof buf, "%.1f", 1.5);
    ck_assert_str_eq(buf, "1,5"); /* the locale is in force for plain printf */
    return 1;
}

START_TEST(numbers_ignore_lc_numeric)
{
    mg_report *r = make_report();
    mg_error err = MG_ERROR_INIT;
    char dir[4096], path[4200], *text, *out;
    json_t *root;

    snprintf(dir, sizeof dir, "%s", tu_scratch_dir("locale"));
    if (!comma_locale(dir))
        fprintf(stderr, "note: no locale with a decimal comma available; "
                        "numbers_ignore_lc_numeric checks the C locale only\n");

    snprintf(path, sizeof path, "%s/junit.xml", dir);
    ck_assert_int_eq(mg_report_write_junit(r, path, &err), 0);
    text = tu_slurp(path, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "time=\"1.500\""));
    ck_assert_ptr_nonnull(strstr(text, "time=\"2.310\""));
    ck_assert_ptr_nonnull(strstr(text, "name=\"confidence\" value=\"0.95\""));
    ck_assert_ptr_nonnull(strstr(text, "estimate: 0.3333333333333333\n"));
    ck_assert_ptr_null(strstr(text, "1,5"));
    free(text);
    ck_assert_int_eq(xmllint(tu_src("tests/junit.xsd"), path), 0);

    root = parse_json(r);
    ck_assert(real(json_array_get(json_object_get(root, "cases"), 0), "ci_low") ==
              0.1 + 0.2);
    json_decref(root);

    out = print_cases(r, 0, 0);
    ck_assert_ptr_nonnull(strstr(out, "0.3333 [0.3000, 0.4000]"));
    ck_assert_ptr_nonnull(strstr(out, "(2.31 s)"));
    free(out);

    snprintf(path, sizeof path, "%s/summary.md", dir);
    ck_assert_int_eq(mg_report_write_markdown(r, path, &err), 0);
    text = tu_slurp(path, NULL);
    ck_assert_ptr_nonnull(strstr(text, "(2.31 s)"));
    ck_assert_ptr_nonnull(strstr(text, "| 0.5500 [0.4800, 0.6200] |"));
    free(text);

    /* the host's locale is restored afterwards */
    snprintf(path, sizeof path, "%.1f", 1.5);
    ck_assert_str_eq(path,
                     strcmp(setlocale(LC_NUMERIC, NULL), "C") == 0 ? "1.5" : "1,5");
    setlocale(LC_NUMERIC, "C");
    mg_report_free(r);
}
END_TEST

/* ---- Markdown ----------------------------------------------------------------- */

/* Cell separators in a Markdown table line: '|' not escaped by a backslash. */
static int count_pipes(const char *line)
{
    int n = 0;
    for (; *line; line++) {
        if (*line == '\\' && line[1] != '\0')
            line++;
        else if (*line == '|')
            n++;
    }
    return n;
}

static int count_of(const char *s, const char *what)
{
    int n = 0;
    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

START_TEST(markdown_table)
{
    mg_report *r = make_report();
    mg_error err = MG_ERROR_INIT;
    char path[4200], *md, *line;
    int i;

    snprintf(path, sizeof path, "%s/summary.md", tu_scratch_dir("markdown"));
    ck_assert_int_eq(mg_report_write_markdown(r, path, &err), 0);
    md = tu_slurp(path, NULL);
    ck_assert_ptr_nonnull(md);
    assert_no_trailing_blanks(md);

    line = line_at(md, 0);
    ck_assert_str_eq(line, "## \xe2\x9d\x8c churn-model: failed");
    free(line);
    line = line_at(md, 1);
    ck_assert_str_eq(line, "");
    free(line);
    line = line_at(md, 2);
    ck_assert_str_eq(line, "6 tests: 2 passed, 2 failed, 1 skipped, 1 error (2.31 s)");
    free(line);
    line = line_at(md, 3);
    ck_assert_str_eq(line, "\xc2\xb7 seed 42, 2000 replicates, 95% bca intervals");
    free(line);
    line = line_at(md, 5);
    ck_assert_str_eq(line, "| | Test | Model | Slice | Estimate [95% CI] | Verdict |");
    free(line);
    line = line_at(md, 6);
    ck_assert_str_eq(line, "|---|---|---|---|---|---|");
    free(line);
    for (i = 5; i < 12; i++) {
        line = line_at(md, i);
        ck_assert_msg(count_pipes(line) == 7, "line %d has %d cell separators: %s", i,
                      count_pipes(line), line);
        free(line);
    }

    /* failures first, then the tests without slices */
    line = line_at(md, 7);
    ck_assert_ptr_nonnull(strstr(line,
                                 "| \xe2\x9d\x8c | recall per region | candidate | "
                                 "region=south | 0.5500 [0.4800, 0.6200] |"));
    free(line);
    line = line_at(md, 8);
    ck_assert_ptr_nonnull(
        strstr(line, "| \xe2\x9a\xa0\xef\xb8\x8f | recall per region"));
    free(line);
    line = line_at(md, 9);
    ck_assert_str_eq(line, "| \xe2\x9d\x8c | weird" FFFD "name" FFFD FFFD FFFD
                           "\\\\ \\<b> | candidate | "
                           "plan=pro \xc3\x97 region=north"
                           " | 0.5000 | bad " FFFD "[31mred" FFFD "[0m " FFFD FFFD FFFD
                           " end |");
    free(line);
    line = line_at(md, 10);
    ck_assert_str_eq(line, "| \xe2\x9c\x85 | auc >= 0.80 | candidate | overall | "
                           "0.3333 [0.3000, 0.4000] | auc 0.3333 [0.3000, 0.4000] 95% "
                           "BCa: lower bound >= 0.25 |");
    free(line);
    line = line_at(md, 11);
    ck_assert_str_eq(line,
                     "| \xe2\x9c\x85 | auc vs champion \\| non-inferior | candidate vs "
                     "champion | overall | \xce\x94 -0.0040 [-0.0090, 0.0012] | "
                     "auc delta -0.0040 [-0.0090, 0.0012]: lower bound >= -0.01 |");
    free(line);
    /* each slice family folded, with its counts; its name escaped for HTML */
    line = line_at(md, 13);
    ck_assert_str_eq(line,
                     "<details><summary>\xe2\x9d\x8c recall per region (candidate, "
                     "by region): 3 slices: 0 passed, 1 failed, 1 skipped, 1 error"
                     "</summary>");
    free(line);
    ck_assert_ptr_nonnull(strstr(md,
                                 "\n| \xe2\x8f\xad\xef\xb8\x8f | recall per region "
                                 "| candidate | region=west |  | slice has 12 rows \\< "
                                 "min\\_size 50 |\n"));
    ck_assert_ptr_nonnull(strstr(md, "<details><summary>\xe2\x9d\x8c weird" FFFD
                                     "name" FFFD FFFD FFFD
                                     "\\ &lt;b&gt; (candidate, by region_x_plan): "
                                     "1 slice: 0 passed, 1 failed, 0 skipped, 0 errors"
                                     "</summary>"));
    ck_assert_int_eq(count_of(md, "<details>"), 2);
    ck_assert_int_eq(count_of(md, "\n</details>\n"), 2);
    ck_assert_int_eq(md[strlen(md) - 1], '\n');
    ck_assert_ptr_null(strstr(md, "\n\n\n"));
    free(md);

    /* all passing: the heading says so */
    r->cases[1].outcome = MG_OUTCOME_PASS;
    r->cases[3].outcome = MG_OUTCOME_SKIP;
    r->cases[5].outcome = MG_OUTCOME_PASS;
    ck_assert_int_eq(mg_report_write_markdown(r, path, &err), 0);
    md = tu_slurp(path, NULL);
    ck_assert_ptr_nonnull(md);
    ck_assert_ptr_nonnull(strstr(md, "## \xe2\x9c\x85 churn-model: passed\n"));
    ck_assert_ptr_nonnull(
        strstr(md, "6 tests: 4 passed, 0 failed, 2 skipped, 0 errors"));
    free(md);
    mg_report_free(r);
}
END_TEST

/* ---- atomic writes and output paths ------------------------------------------- */

static mode_t test_umask(void)
{
    mode_t m = umask(022);
    umask(m);
    return m;
}

START_TEST(atomic_replaces_target)
{
    const char *dir = tu_scratch_dir("atomic");
    const char *path = tu_write(dir, "report.xml", "old contents that are longer");
    mg_error err = MG_ERROR_INIT;
    struct stat st;
    char *text;
    size_t len;

    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(mg_write_file_atomic(path, "new", 3, &err), 0);
    text = tu_slurp(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, 3);
    ck_assert_str_eq(text, "new");
    free(text);
    ck_assert_int_eq(dir_entries(dir), 1); /* no temporary file left */
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0640); /* the replaced file's mode is kept */

    /* a new file gets 0666 less the umask, like fopen */
    {
        char fresh[4200];
        snprintf(fresh, sizeof fresh, "%s/fresh.json", dir);
        ck_assert_int_eq(mg_write_file_atomic(fresh, "", 0, &err), 0);
        ck_assert_int_eq(stat(fresh, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0666 & ~test_umask());
        ck_assert_int_eq(st.st_size, 0);
        ck_assert_int_eq(dir_entries(dir), 2);
    }
}
END_TEST

START_TEST(atomic_missing_dir)
{
    const char *dir = tu_scratch_dir("atomic_missing");
    mg_error err = MG_ERROR_INIT;
    char path[4400], sub[4200];

    snprintf(sub, sizeof sub, "%s/nowhere", dir);
    snprintf(path, sizeof path, "%s/report.json", sub);
    ck_assert_int_eq(mg_write_file_atomic(path, "x", 1, &err), MG_EIO);
    ck_assert_int_eq(err.code, MG_EIO);
    ck_assert_str_eq(err.file, path);
    ck_assert_ptr_nonnull(strstr(err.message, strerror(ENOENT)));
    ck_assert(!tu_exists(sub));
    ck_assert_int_eq(dir_entries(dir), 0);
}
END_TEST

START_TEST(atomic_refuses_symlink)
{
    const char *dir = tu_scratch_dir("atomic_link");
    const char *target = tu_write(dir, "target.txt", "keep me");
    mg_error err = MG_ERROR_INIT;
    char link[4200], dangling[4200], *text;
    struct stat st;

    snprintf(link, sizeof link, "%s/report.xml", dir);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(mg_write_file_atomic(link, "evil", 4, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a symbolic link; refusing to replace it");
    ck_assert_str_eq(err.file, link);
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    text = tu_slurp(target, NULL);
    ck_assert_str_eq(text, "keep me");
    free(text);
    ck_assert_int_eq(dir_entries(dir), 2);

    /* a dangling link is refused too, and so by mg_report_check_path */
    snprintf(dangling, sizeof dangling, "%s/dangling.json", dir);
    ck_assert_int_eq(symlink("/nonexistent/x", dangling), 0);
    mg_error_clear(&err);
    ck_assert_int_eq(mg_write_file_atomic(dangling, "x", 1, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a symbolic link; refusing to replace it");
    mg_error_clear(&err);
    ck_assert_int_eq(mg_report_check_path(link, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a symbolic link; refusing to replace it");
    ck_assert_int_eq(dir_entries(dir), 3);
}
END_TEST

START_TEST(atomic_refuses_directory_and_device)
{
    const char *dir = tu_scratch_dir("atomic_dir");
    mg_error err = MG_ERROR_INIT;

    ck_assert_int_eq(mg_write_file_atomic(dir, "x", 1, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a directory");
    mg_error_clear(&err);
    ck_assert_int_eq(mg_write_file_atomic("/dev/null", "x", 1, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is not a regular file; refusing to replace it");
    mg_error_clear(&err);
    ck_assert_int_eq(mg_write_file_atomic("", "x", 1, &err), MG_EIO);
    ck_assert_int_eq(mg_write_file_atomic(NULL, "x", 1, &err), MG_EINVAL);
    ck_assert_int_eq(dir_entries(dir), 0);
}
END_TEST

START_TEST(check_path_rules)
{
    const char *dir = tu_scratch_dir("check_path");
    const char *file = tu_write(dir, "existing.xml", "x");
    mg_error err = MG_ERROR_INIT;
    char path[4200];

    snprintf(path, sizeof path, "%s/new.xml", dir);
    ck_assert_int_eq(mg_report_check_path(path, &err), 0);
    ck_assert_int_eq(mg_report_check_path(file, &err), 0);
    ck_assert(!tu_exists(path)); /* checking creates nothing */

    ck_assert_int_eq(mg_report_check_path(dir, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a directory");
    ck_assert_str_eq(err.file, dir);

    snprintf(path, sizeof path, "%s/", dir);
    ck_assert_int_eq(mg_report_check_path(path, &err), MG_EIO);
    ck_assert_str_eq(err.message, "is a directory");

    snprintf(path, sizeof path, "%s/missing/new.xml", dir);
    ck_assert_int_eq(mg_report_check_path(path, &err), MG_EIO);
    ck_assert_str_eq(err.file, path);
    ck_assert_ptr_nonnull(strstr(err.message, "does not exist"));
    ck_assert_ptr_nonnull(strstr(err.message, "/missing'"));

    snprintf(path, sizeof path, "%s/existing.xml/new.xml", dir);
    ck_assert_int_eq(mg_report_check_path(path, &err), MG_EIO);

    ck_assert_int_eq(mg_report_check_path("/dev/null", &err), MG_EIO);
    ck_assert_int_eq(mg_report_check_path("", &err), MG_EIO);
    ck_assert_int_eq(mg_report_check_path(NULL, &err), MG_EINVAL);

    /* a read-only directory; root may write anywhere, so only as another user */
    if (geteuid() != 0) {
        char ro[4100];
        snprintf(ro, sizeof ro, "%s/ro", dir);
        ck_assert_int_eq(mkdir(ro, 0500), 0);
        snprintf(path, sizeof path, "%s/new.xml", ro);
        ck_assert_int_eq(mg_report_check_path(path, &err), MG_EIO);
        ck_assert_ptr_nonnull(strstr(err.message, "is not writable"));
        ck_assert_int_eq(mg_write_file_atomic(path, "x", 1, &err), MG_EIO);
        ck_assert_int_eq(dir_entries(ro), 0);
        chmod(ro, 0700);
    }
}
END_TEST

/* ---- the cleaner ---------------------------------------------------------------- */

static void assert_clean(const char *in, size_t len, unsigned flags, const char *want)
{
    char *out = NULL;
    size_t out_len = 0;

    ck_assert_int_eq(mg__text_clean_n(in, len, flags, &out, &out_len), 0);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(out_len, strlen(out));
    ck_assert_uint_le(out_len, 3 * len);
    ck_assert_msg(strcmp(out, want) == 0, "cleaning %zu bytes: got '%s', want '%s'",
                  len, out, want);
    free(out);
}

#define CLEAN_XML(lit, want) assert_clean((lit), sizeof(lit) - 1, MG__CLEAN_XML, (want))

START_TEST(clean_edge_cases)
{
    char *out = NULL;

    CLEAN_XML("plain ascii", "plain ascii");
    CLEAN_XML("\xc3\xa9 \xc3\x97 \xf0\x9f\x98\x80",
              "\xc3\xa9 \xc3\x97 \xf0\x9f\x98\x80");
    CLEAN_XML("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
    CLEAN_XML("\xed\x9f\xbf", "\xed\x9f\xbf");         /* U+D7FF */
    CLEAN_XML("\xee\x80\x80", "\xee\x80\x80");         /* U+E000 */
    CLEAN_XML("a\xff"
              "b",
              "a" FFFD "b");
    /* overlong forms: each byte that cannot continue is its own U+FFFD */
    CLEAN_XML("\xc0\xaf", FFFD FFFD);
    CLEAN_XML("\xe0\x80\xaf", FFFD FFFD FFFD);
    CLEAN_XML("\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD);
    /* surrogates U+D800 and U+DFFF */
    CLEAN_XML("\xed\xa0\x80", FFFD FFFD FFFD);
    CLEAN_XML("\xed\xbf\xbf", FFFD FFFD FFFD);
    /* above U+10FFFF */
    CLEAN_XML("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
    CLEAN_XML("\xf8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD);
    /* truncated sequences: the maximal subpart is one U+FFFD */
    CLEAN_XML("\xe2\x82", FFFD);
    CLEAN_XML("\xf0\x9f\x98", FFFD);
    CLEAN_XML("\xe2\x82x", FFFD "x");
    /* non-characters and controls that XML 1.0 forbids */
    CLEAN_XML("\xef\xbf\xbe|\xef\xbf\xbf", FFFD "|" FFFD);
    CLEAN_XML("a\x01"
              "b\x1f\x1b[0m",
              "a" FFFD "b" FFFD FFFD "[0m");
    CLEAN_XML("\t\n\r", "\t\n\r");
    CLEAN_XML("nul\0byte", "nul" FFFD "byte");
    /* XML allows DEL and C1; MG__CLEAN_C1 does not */
    CLEAN_XML("\x7f\xc2\x9b", "\x7f\xc2\x9b");
    assert_clean("\x7f\xc2\x9b\xc2\xa0", 5, MG__CLEAN_XML | MG__CLEAN_C1,
                 FFFD FFFD "\xc2\xa0");
    /* without MG__CLEAN_XML only ill-formed UTF-8 changes */
    assert_clean("\x01\xef\xbf\xbe\xff", 5, 0, "\x01\xef\xbf\xbe" FFFD);
    assert_clean("a\tb\nc\rd\x01", 8, MG__CLEAN_XML | MG__CLEAN_ONE_LINE,
                 "a b c d" FFFD);
    /* Unicode 15, table 3-8 */
    CLEAN_XML("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
              "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
    CLEAN_XML("", "");

    ck_assert_int_eq(mg__xml_clean(NULL, &out), 0);
    ck_assert_str_eq(out, "");
    free(out);
    ck_assert_int_eq(mg__xml_clean("x\x02y", &out), 0);
    ck_assert_str_eq(out, "x" FFFD "y");
    free(out);
}
END_TEST

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    ck_abort_msg("bad hex digit %c", ch);
    return 0;
}

/* Decode hex ("-" is empty) into buf; returns the length. */
static size_t unhex(const char *hex, char *buf, size_t size)
{
    size_t n = 0;
    if (strcmp(hex, "-") == 0)
        return 0;
    for (; hex[0] && hex[1]; hex += 2) {
        ck_assert_uint_lt(n, size);
        buf[n++] = (char)(hexval(hex[0]) * 16 + hexval(hex[1]));
    }
    return n;
}

START_TEST(clean_matches_cpython)
{
    char *text = tu_slurp(tu_src("tests/data/report/clean_reference.txt"), NULL);
    char *line, *save = NULL;
    int lines = 0;

    ck_assert_ptr_nonnull(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char in_hex[256], out_hex[256], in[128], want[512], *got = NULL;
        size_t in_len, want_len, got_len;
        unsigned flags;

        ck_assert_int_eq(sscanf(line, "%255s %255s %u", in_hex, out_hex, &flags), 3);
        in_len = unhex(in_hex, in, sizeof in);
        want_len = unhex(out_hex, want, sizeof want);
        ck_assert_int_eq(
            mg__text_clean_n(in, in_len, flags ? MG__CLEAN_XML : 0, &got, &got_len), 0);
        ck_assert_msg(got_len == want_len && memcmp(got, want, want_len) == 0,
                      "line %d (%s, flags %u): output differs from CPython", lines + 1,
                      in_hex, flags);
        free(got);
        lines++;
    }
    ck_assert_int_eq(lines, 846);
    free(text);
}
END_TEST

Suite *report_suite(void);

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *reference = tcase_create("reference");

    tcase_add_test(core, junit_valid_against_schemas);
    tcase_add_test(core, junit_content);
    tcase_add_test(core, json_fields);
    tcase_add_test(core, json_file);
    tcase_add_test(core, json_schema_fields);
    tcase_add_test(edge, json_delta_without_interval);
    tcase_add_test(core, json_fields_documented);
    tcase_add_test(core, console_only_failures_and_levels);
    tcase_add_test(core, string_writers_match_files);
    tcase_add_test(core, console_cases_aligned);
    tcase_add_test(core, console_cases_color_and_verbose);
    tcase_add_test(core, console_metrics);
    tcase_add_test(core, markdown_table);
    tcase_add_test(edge, junit_roles_unique);
    tcase_add_test(edge, junit_schema_rejects);
    tcase_add_test(edge, numbers_ignore_lc_numeric);
    tcase_add_test(edge, junit_write_failure_leaves_nothing);
    tcase_add_test(edge, json_non_finite_and_big_seed);
    tcase_add_test(core, atomic_replaces_target);
    tcase_add_test(edge, atomic_missing_dir);
    tcase_add_test(edge, atomic_refuses_symlink);
    tcase_add_test(edge, atomic_refuses_directory_and_device);
    tcase_add_test(edge, check_path_rules);
    tcase_add_test(edge, clean_edge_cases);
    tcase_add_test(reference, clean_matches_cpython);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, reference);
    return s;
}

int main(void)
{
    return tu_run(report_suite());
}
