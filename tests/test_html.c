/*
 * The HTML report's plots and page (reporters/svg.c, html.c, markup.c), from
 * hand-made reports: what each plot draws for given data, counted in the parsed
 * SVG. The page end to end (real runs, hostile names, a browser) is in
 * tests/cli/html.sh and html_browser.sh.
 *
 * core: a reliability diagram from bin data; a forest plot's groups, order, marks and
 *       outcome shapes; the page from a report made without plots; labels cut by
 *       code points, never inside a UTF-8 sequence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "modelgate/modelgate.h"
#include "reporters/markup.h"
#include "reporters/svg.h"
#include "testutil.h"

/* A markup writer into a fresh buffer. */
typedef struct page {
    xmlBufferPtr buf;
    mg__markup m;
} page;

static void page_open(page *p)
{
    p->buf = xmlBufferCreate();
    p->m.w = xmlNewTextWriterMemory(p->buf, 0);
    p->m.failed = 0;
    ck_assert(p->buf && p->m.w);
}

/* Finish the writer; the XML document it wrote (parsed, which checks it). */
static xmlDocPtr page_close(page *p)
{
    xmlDocPtr doc;
    ck_assert(!p->m.failed);
    xmlFreeTextWriter(p->m.w);
    doc = xmlReadMemory((const char *)xmlBufferContent(p->buf), xmlBufferLength(p->buf),
                        "page.xml", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "not well-formed: %.300s", xmlBufferContent(p->buf));
    xmlBufferFree(p->buf);
    return doc;
}

static double xcount(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    double n;
    ck_assert(o != NULL);
    n = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return n;
}

static char *xstring(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    char *s = (char *)xmlXPathCastToString(o);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return s;
}

#define MARKS "count(//*[contains(concat(' ', @class, ' '), ' mark ')])"

START_TEST(core_reliability_diagram)
{
    mg__reliability_bin bins[] = {{0.05, 0.02, 400, 1, 0.01, 0.04},
                                  {0.15, 0.18, 120, 1, 0.11, 0.25},
                                  {0.25, 0, 0, 0, 0, 0}, /* empty: not drawn */
                                  {0.55, 0.61, 33, 0, 0, 0},
                                  {0.95, 0.97, 210, 1, 0.94, 0.99}};
    page p;
    xmlDocPtr doc;

    page_open(&p);
    mg__svg_reliability(&p.m, "cand<&>", bins, 5, 0);
    doc = page_close(&p);
    ck_assert_double_eq(xcount(doc, MARKS), 4);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='bar'])"), 4);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='ci k0'])"), 3);
    /* The largest bin's bar is the full 50 px; a bin's point sits at its values. */
    ck_assert_double_eq(xcount(doc, "number((//*[@class='bar'])[1]/@height)"), 50);
    ck_assert_double_eq(xcount(doc, "number((//*[@class='bar'])[2]/@height)"), 15);
    ck_assert_double_eq(xcount(doc, "number((//*[@class='mark pass'])[4]/@cx)"),
                        52 + 0.95 * 332);
    {
        char *label = xstring(doc, "string(/*/@aria-label)");
        ck_assert_str_eq(label, "reliability diagram of cand<&>");
        xmlFree(label);
    }
    xmlFreeDoc(doc);
}
END_TEST

/* A case of a sliced threshold test (at_least 0.5) with two models as peers. */
static mg_case slice_case(const char *slice, mg_outcome o, double est, double lo,
                          double hi, mg_finding finding)
{
    static mg_case_peer peers[8][2];
    static int next;
    mg_case c = {0};
    mg_case_peer *pe = peers[next++ % 8];
    c.test = "recall per region";
    c.metric = "recall";
    c.model = "candidate";
    c.slicing = "region";
    c.slice = (char *)slice;
    c.message = "verdict";
    c.outcome = o;
    c.direction = 1;
    c.has_at_least = 1;
    c.at_least = 0.5;
    c.confidence = 0.9;
    if (o != MG_OUTCOME_SKIP) {
        c.has_estimate = c.has_ci = 1;
        c.estimate = est, c.ci_low = lo, c.ci_high = hi;
        c.status = MG_STATUS_DECIDED;
        c.nchecks = 1;
        c.checks[0].finding = finding;
    } else {
        c.status = MG_STATUS_TOO_SMALL;
        c.reason = "n = 12 < min_size 50";
    }
    pe[0] = (mg_case_peer){"candidate", c.has_estimate, est, c.has_ci, lo, hi};
    pe[1] = (mg_case_peer){
        "champion", o != MG_OUTCOME_SKIP, 0.6, o != MG_OUTCOME_SKIP, 0.55, 0.65};
    c.peers = pe;
    c.npeers = 2;
    return c;
}

START_TEST(core_forest_groups_and_marks)
{
    mg_case cases[] = {
        slice_case("region=a", MG_OUTCOME_PASS, 0.8, 0.7, 0.9, MG_FINDING_PASS),
        slice_case("region=b", MG_OUTCOME_FAIL, 0.45, 0.4, 0.6,
                   MG_FINDING_INCONCLUSIVE),
        slice_case("region=c", MG_OUTCOME_SKIP, 0, 0, 0, MG_FINDING_PASS),
        slice_case("region=d", MG_OUTCOME_PASS, 0.7, 0.6, 0.8, MG_FINDING_PASS),
        slice_case("region=e", MG_OUTCOME_FAIL, 0.2, 0.1, 0.3, MG_FINDING_CLEAR_FAIL),
    };
    const mg_case *ptr[5];
    page p;
    xmlDocPtr doc;
    char *s;

    for (int i = 0; i < 5; i++)
        ptr[i] = &cases[i];
    ck_assert_uint_eq(mg__svg_forest_marks(ptr, 5), 8); /* the skipped slice: none */
    page_open(&p);
    ck_assert_int_eq(mg__svg_forest(&p.m, ptr, 5, 3), 0);
    doc = page_close(&p);
    ck_assert_double_eq(xcount(doc, MARKS), 8);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='mark fail'])"), 1);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='mark fail hollow'])"), 1);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='mark pass'])"), 2);
    ck_assert_double_eq(xcount(doc, "count(//*[starts-with(@class, 'mark peer k1')])"),
                        4);
    ck_assert_double_eq(xcount(doc, "count(//*[@class='threshold'])"), 1);
    /* Groups in order, worst first inside each: e (0.2) before b (0.45), d before a. */
    s = xstring(doc, "string(//*[@class='group'][1])");
    ck_assert_str_eq(s, "Failed (2)");
    xmlFree(s);
    s = xstring(doc, "string(//*[@class='group'][2])");
    ck_assert_str_eq(s, "Skipped (1)");
    xmlFree(s);
    s = xstring(doc, "string(//*[@class='group'][3])");
    ck_assert_str_eq(s, "Passed (2)");
    xmlFree(s);
    {
        const char *want[] = {"region=e", "region=b", "region=c", "region=d",
                              "region=a"};
        for (int i = 0; i < 5; i++) {
            char expr[96];
            snprintf(expr, sizeof expr, "string((//*[@class='label'])[%d])", i + 1);
            s = xstring(doc, expr);
            ck_assert_str_eq(s, want[i]);
            xmlFree(s);
        }
    }
    /* The skipped slice says why. */
    s = xstring(doc, "string(//*[@class='note'])");
    ck_assert_str_eq(s, "skipped: n = 12 < min_size 50");
    xmlFree(s);
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(core_label_cut_by_code_points)
{
    page p;
    xmlDocPtr doc;
    char *s;

    page_open(&p);
    mg__mk_open(&p.m, "t");
    mg__mk_open(&p.m, "a");
    mg__mk_text_cut(&p.m, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4); /* éééée */
    mg__mk_close(&p.m);
    mg__mk_open(&p.m, "b");
    mg__mk_text_cut(&p.m, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4); /* fits */
    mg__mk_close(&p.m);
    mg__mk_open(&p.m, "c");
    mg__mk_text_cut(&p.m, "a\x01\xFF<b>", 10); /* cleaned, then escaped */
    mg__mk_close(&p.m);
    mg__mk_close(&p.m);
    doc = page_close(&p);
    s = xstring(doc, "string(//a)");
    ck_assert_str_eq(s, "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    xmlFree(s);
    s = xstring(doc, "string(//b)");
    ck_assert_str_eq(s, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
    xmlFree(s);
    s = xstring(doc, "string(//c)");
    ck_assert_str_eq(s, "a\xEF\xBF\xBD\xEF\xBF\xBD<b>");
    xmlFree(s);
    xmlFreeDoc(doc);
}
END_TEST

/* A report from an embedding program that did not ask for plots: tables and a
 * forest of the model under test alone; the page and the file agree. */
START_TEST(core_page_without_plots)
{
    mg_suite *suite = NULL;
    mg_report *r = NULL;
    mg_error err = MG_ERROR_INIT;
    mg_run_options o = MG_RUN_OPTIONS_INIT;
    char *html = NULL, *file;
    const char *dir = tu_scratch_dir("html");
    xmlDocPtr doc;
    size_t len;

    ck_assert(mg_suite_load(&suite, tu_src("examples/churn/suite.yaml"), &err) == 0);
    o.replicates = 200;
    ck_assert(mg_run_suite(&r, suite, &o, &err) == 0);
    ck_assert_int_eq(mg_report_html_string(r, &html, &err), 0);
    doc = xmlReadMemory(html, (int)strlen(html), "report.html", NULL, XML_PARSE_NONET);
    ck_assert(doc != NULL);
    ck_assert_double_eq(xcount(doc, "count(//*[local-name()='figure'])"), 1);
    ck_assert_double_eq(xcount(doc, MARKS), 5); /* five regions, one model */
    ck_assert_double_eq(xcount(doc, "count(//*[local-name()='section'])"), 4);
    xmlFreeDoc(doc);
    {
        char out[4096];
        snprintf(out, sizeof out, "%s/report.html", dir);
        ck_assert_int_eq(mg_report_write_html(r, out, &err), 0);
        file = tu_slurp(out, &len);
        ck_assert(file != NULL);
        ck_assert_str_eq(file, html);
        free(file);
    }
    free(html);
    mg_report_free(r);
    mg_suite_free(suite);
}
END_TEST

static Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *core = tcase_create("core");
    tcase_add_test(core, core_reliability_diagram);
    tcase_add_test(core, core_forest_groups_and_marks);
    tcase_add_test(core, core_label_cut_by_code_points);
    tcase_add_test(core, core_page_without_plots);
    tcase_set_timeout(core, 60);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run(html_suite());
}
