/*
 * HTML reporter: one self-contained page a reviewer opens from a CI artifact.
 *
 *   header    the verdict, the counts, the run's settings
 *   tests     every case, failures first (failed, errors, skipped, passed), with its
 *             verdict; the numbers behind a failure or error fold out (<details>)
 *   compare   the comparisons: Δ with its interval, the margin, the p-value
 *   slices    a forest plot per sliced test (svg.c)
 *   curves    every model's ROC and precision–recall curves with pointwise bands
 *   provenance  suite, version, commit, seed, replicates, interval, and each input
 *             file with its rows and SHA-256
 *
 * Self-contained: the stylesheet is inline, the plots are inline SVG, nothing is
 * fetched and there is no script, so the page reads the same from a file, an
 * artifact viewer or an e-mail, and a strict Content-Security-Policy changes
 * nothing. The stylesheet has a dark scheme (prefers-color-scheme) and print rules
 * (no navigation, black on white, plots kept whole on a page); the plots take their
 * colours from it through classes.
 *
 * Every string from the suite or the data (names of the suite, tests, models,
 * slices, columns, paths, messages) goes through mg__markup (markup.c): cleaned to
 * XML 1.0 characters without C1 controls, then escaped by libxml2's xmlTextWriter.
 * The page is XHTML-compatible markup (every element closed, void elements written
 * as <meta/>), so it is valid HTML and well-formed XML at once, and a test can parse
 * it with an XML parser and count the plots' marks.
 *
 * The page is a function of the report's results: it holds no time, host, thread
 * count or duration, so the same suite, data, seed and version give the same bytes
 * whatever --threads was (the JSON and JUnit reports keep the timings).
 *
 * Numbers: estimates and intervals with four decimals, p-values with three
 * significant digits, in the caller's C-locale scope.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "modelgate/report.h"
#include "reporters/markup.h"
#include "reporters/render.h"
#include "reporters/report_internal.h"
#include "reporters/svg.h"

static const char css[] =
    ":root{--bg:#fff;--fg:#1b1f24;--muted:#59636e;--rule:#d1d9e0;--stripe:#f6f8fa;"
    "--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;"
    "--k0:#0072b2;--k1:#e69f00;--k2:#009e73;--k3:#cc79a7;--k4:#56b4e9;--k5:#d55e00;"
    "--k6:#8a7a00;--k7:#555;color-scheme:light dark}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;"
    "--muted:#9198a1;--rule:#3d444d;--stripe:#151b23;--pass:#3fb950;--fail:#f85149;"
    "--warn:#d29922;--k0:#58a6ff;--k1:#f0b44c;--k2:#3fc7a0;--k3:#e09ccb;"
    "--k4:#8fd0f5;--k5:#ff8a4c;--k6:#d6c84a;--k7:#b0b0b0}}\n"
    "body{background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',sans-serif;margin:0 auto;max-width:1100px;padding:1em 1.5em}\n"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:1px solid "
    "var(--rule);padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em}\n"
    ".verdict{display:inline-block;padding:0 .45em;border-radius:4px;color:#fff;"
    "font-size:.8em;vertical-align:middle}\n"
    ".verdict.pass{background:var(--pass)}.verdict.fail{background:var(--fail)}\n"
    "nav a{margin-right:1em}a{color:var(--k0)}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
    "th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid var(--rule);"
    "vertical-align:top;overflow-wrap:anywhere}th{white-space:nowrap}"
    "td{min-width:8em}td.o{min-width:0}\n"
    "tbody tr:nth-child(even){background:var(--stripe)}\n"
    "td.num{font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".o{font-weight:600;white-space:nowrap}.o.pass{color:var(--pass)}"
    ".o.fail,.o.error{color:var(--fail)}.o.skipped{color:var(--muted)}\n"
    "code,.sha{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
    "font-size:.9em}\n"
    "details pre{white-space:pre-wrap;margin:.3em 0;font-size:.85em}\n"
    ".muted,figcaption{color:var(--muted)}.warning{color:var(--warn)}\n"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}\n"
    ".curves-row{display:flex;flex-wrap:wrap;gap:0 2em}"
    ".curves-row figure{flex:1 1 360px;max-width:480px}\n"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.15em 1em}"
    "dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}\n"
    /* plots */
    "svg text{fill:var(--fg);font-size:11px;font-family:system-ui,sans-serif}\n"
    "svg .tick,svg .ref,svg .note{fill:var(--muted)}svg .group{font-weight:600}\n"
    "svg .axis-title{font-size:12px}svg .legend{font-size:12px}\n"
    "svg .grid{stroke:var(--rule);stroke-width:.6}\n"
    "svg .band-row{fill:transparent}svg .row.odd .band-row{fill:var(--fg);"
    "fill-opacity:.045}\n"
    "svg .threshold{stroke:var(--fail);stroke-dasharray:4 3;stroke-width:1.2}\n"
    "svg .zero,svg .chance{stroke:var(--muted);stroke-dasharray:2 3}\n"
    "svg .ci{stroke-width:1.6}svg .ci.delta{stroke:var(--fg)}\n"
    "svg .mark.pass{fill:var(--pass)}svg .mark.fail{fill:var(--fail)}\n"
    "svg .mark.hollow{fill:var(--bg);stroke:var(--fail);stroke-width:1.6}\n"
    "svg .mark.peer{fill:var(--bg);stroke-width:1.4}\n"
    "svg .band{stroke:none;fill-opacity:.18}svg .curve{fill:none;stroke-width:2}\n"
    "svg .op{stroke:var(--bg);stroke-width:2}svg .bar{fill:var(--muted)}\n"
    "svg .k0{stroke:var(--k0);fill:var(--k0)}svg .k1{stroke:var(--k1);fill:var(--k1)}"
    "svg .k2{stroke:var(--k2);fill:var(--k2)}svg .k3{stroke:var(--k3);fill:var(--k3)}"
    "svg .k4{stroke:var(--k4);fill:var(--k4)}svg .k5{stroke:var(--k5);fill:var(--k5)}"
    "svg .k6{stroke:var(--k6);fill:var(--k6)}svg .k7{stroke:var(--k7);fill:var(--k7)}\n"
    "svg .curve.k0,svg .curve.k1,svg .curve.k2,svg .curve.k3,svg .curve.k4,"
    "svg .curve.k5,svg .curve.k6,svg .curve.k7{fill:none}\n"
    "svg .mark.peer.k0,svg .mark.peer.k1,svg .mark.peer.k2,svg .mark.peer.k3,"
    "svg .mark.peer.k4,svg .mark.peer.k5,svg .mark.peer.k6,svg .mark.peer.k7"
    "{fill:var(--bg)}\n"
    "@media print{nav{display:none}body{max-width:none;padding:0;font-size:11px}"
    "figure,tr{break-inside:avoid}details{display:block}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void fmt4(char *buf, size_t size, double v)
{
    if (isfinite(v))
        snprintf(buf, size, "%.4f", v + 0.0);
    else
        snprintf(buf, size, "n/a");
}

/* Cases in the order the tables show them: failures first, stable otherwise. */
typedef struct ordered {
    const mg_case *c;
    size_t index;
} ordered;

static int outcome_rank(mg_outcome o)
{
    return o == MG_OUTCOME_FAIL    ? 0
           : o == MG_OUTCOME_ERROR ? 1
           : o == MG_OUTCOME_SKIP  ? 2
                                   : 3;
}

static int failures_first(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    int ra = outcome_rank(a->c->outcome), rb = outcome_rank(b->c->outcome);
    if (ra != rb)
        return ra - rb;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void td(mg__markup *m, const char *cls, const char *text)
{
    mg__mk_open(m, "td");
    mg__mk_attr(m, "class", cls);
    mg__mk_text(m, text);
    mg__mk_close(m);
}

static void th_row(mg__markup *m, const char *const *heads, size_t n)
{
    mg__mk_open(m, "thead");
    mg__mk_open(m, "tr");
    for (size_t i = 0; i < n; i++)
        mg__mk_element(m, "th", heads[i]);
    mg__mk_close(m);
    mg__mk_close(m);
}

/* "0.8123 [0.7900, 0.8300]" and the level when it is not the usual one. */
static void estimate_text(char *buf, size_t size, const mg_case *c, double usual)
{
    char a[32], b[32], e[32];
    size_t used = 0;
    buf[0] = '\0';
    if (c->has_delta) {
        if (isfinite(c->delta))
            used += (size_t)snprintf(buf, size, "\xCE\x94 %+.4f", c->delta + 0.0);
        if (mg__case_has_delta_ci(c) && used < size) {
            fmt4(a, sizeof a, c->delta_ci_low);
            fmt4(b, sizeof b, c->delta_ci_high);
            used += (size_t)snprintf(buf + used, size - used, " [%s, %s]", a, b);
        }
    } else {
        if (c->has_estimate) {
            fmt4(e, sizeof e, c->estimate);
            used += (size_t)snprintf(buf, size, "%s", e);
        }
        if (c->has_ci && used < size) {
            fmt4(a, sizeof a, c->ci_low);
            fmt4(b, sizeof b, c->ci_high);
            used += (size_t)snprintf(buf + used, size - used, "%s[%s, %s]",
                                     c->has_estimate ? " " : "", a, b);
        }
    }
    if ((c->has_ci || mg__case_has_delta_ci(c)) && c->confidence != usual &&
        used < size)
        snprintf(buf + used, size - used, " %g%%", 100 * c->confidence);
}

static void outcome_cell(mg__markup *m, mg_outcome o)
{
    char cls[32];
    snprintf(cls, sizeof cls, "o %s", mg__outcome_name(o));
    td(m, cls, mg__outcome_name(o));
}

/* One row of the tests table. */
static void test_row(mg__markup *m, const mg_case *c, double usual)
{
    char buf[160];

    mg__mk_open(m, "tr");
    outcome_cell(m, c->outcome);
    td(m, NULL, c->test);
    mg__mk_open(m, "td");
    mg__mk_text(m, c->model);
    if (c->baseline != NULL) {
        mg__mk_text(m, " vs ");
        mg__mk_text(m, c->baseline);
    }
    mg__mk_close(m);
    td(m, NULL, mg__case_slice(c));
    estimate_text(buf, sizeof buf, c, usual);
    td(m, "num", buf);
    mg__mk_open(m, "td");
    if (c->detail != NULL && c->outcome != MG_OUTCOME_PASS) {
        mg__mk_open(m, "details");
        mg__mk_element(m, "summary", c->message);
        mg__mk_element(m, "pre", c->detail);
        mg__mk_close(m);
    } else {
        mg__mk_text(m, c->message);
    }
    mg__mk_close(m);
    mg__mk_close(m); /* tr */
}

/* The cases of order[lo, hi) as one table. */
static void tests_table(mg__markup *m, const mg_report *r, const ordered *order,
                        size_t lo, size_t hi)
{
    static const char *heads[] = {"Outcome", "Test", "Model", "Slice", "", "Verdict"};
    const char *h[6];
    char header[64];
    double usual = mg__usual_level(r);

    memcpy(h, heads, sizeof h);
    mg__interval_header(header, sizeof header, "Estimate", r, usual);
    h[4] = header;
    mg__mk_open(m, "table");
    mg__mk_attr(m, "class", "tests");
    th_row(m, h, 6);
    mg__mk_open(m, "tbody");
    for (size_t i = lo; i < hi; i++)
        test_row(m, order[i].c, usual);
    mg__mk_close(m);
    mg__mk_close(m);
}

typedef void table_fn(mg__markup *m, const mg_report *r, const ordered *order,
                      size_t lo, size_t hi);

/*
 * A table of the cases `want` picks, failures first. Past FOLD_PASSED passing and
 * skipped ones, those are folded into a <details> under the failures, so that a
 * run of hundreds of slices opens on what needs a look.
 */
#define FOLD_PASSED 20
static void folded(mg__markup *m, const mg_report *r, const ordered *order,
                   int comparisons_only, table_fn *table)
{
    size_t bad = 0, shown = 0, rest = 0;
    char buf[96];

    while (bad < r->ncases && (order[bad].c->outcome == MG_OUTCOME_FAIL ||
                               order[bad].c->outcome == MG_OUTCOME_ERROR))
        shown += !comparisons_only || order[bad].c->has_delta, bad++;
    for (size_t i = bad; i < r->ncases; i++)
        rest += !comparisons_only || order[i].c->has_delta;
    if (rest <= FOLD_PASSED) {
        table(m, r, order, 0, r->ncases);
        return;
    }
    if (shown > 0)
        table(m, r, order, 0, bad);
    mg__mk_open(m, "details");
    mg__mk_attr(m, "class", "passed");
    snprintf(buf, sizeof buf, "%zu passed or skipped case%s", rest,
             rest == 1 ? "" : "s");
    mg__mk_element(m, "summary", buf);
    table(m, r, order, bad, r->ncases);
    mg__mk_close(m);
}

static const char *comparison_rule(mg_comparison k)
{
    switch (k) {
    case MG_COMPARE_NON_INFERIOR:
        return "non-inferior";
    case MG_COMPARE_SUPERIOR:
        return "superior";
    case MG_COMPARE_EQUIVALENT:
        return "equivalent";
    default:
        return "";
    }
}

static void comparisons_table(mg__markup *m, const mg_report *r, const ordered *order,
                              size_t lo, size_t hi)
{
    static const char *heads[] = {"Outcome", "Test",   "Model vs baseline", "Slice", "",
                                  "Margin",  "p-value"};
    const char *h[7];
    char header[64], buf[160];
    double usual = mg__usual_level(r);

    memcpy(h, heads, sizeof h);
    mg__interval_header(header, sizeof header, "\xCE\x94", r, usual);
    h[4] = header;
    mg__mk_open(m, "table");
    mg__mk_attr(m, "class", "comparisons");
    th_row(m, h, 7);
    mg__mk_open(m, "tbody");
    for (size_t i = lo; i < hi; i++) {
        const mg_case *c = order[i].c;
        if (!c->has_delta)
            continue;
        mg__mk_open(m, "tr");
        outcome_cell(m, c->outcome);
        td(m, NULL, c->test);
        mg__mk_open(m, "td");
        mg__mk_text(m, c->model);
        mg__mk_text(m, " vs ");
        mg__mk_text(m, c->kind == MG_TEST_VS_OVERALL   ? "its whole set"
                       : c->kind == MG_TEST_WEAK_SLICE ? "the rest"
                                                       : c->baseline);
        mg__mk_close(m);
        td(m, NULL, mg__case_slice(c));
        estimate_text(buf, sizeof buf, c, usual);
        td(m, "num", buf);
        snprintf(buf, sizeof buf, "%s %g%s", comparison_rule(c->comparison), c->margin,
                 c->relative ? " (relative, resolved)" : "");
        td(m, "num", buf);
        if (c->has_p_value && isfinite(c->p_value))
            snprintf(buf, sizeof buf, "%.3g (%s)", c->p_value,
                     c->p_method ? c->p_method : "");
        else
            snprintf(buf, sizeof buf, "\xE2\x80\x94");
        td(m, "num", buf);
        mg__mk_close(m);
    }
    mg__mk_close(m);
    mg__mk_close(m);
}

/* A case of a test over a slicing's slices, one per slice (a gap or ratio test has
 * one case across them, and a drift test one per column, which the tables show). */
static int per_slice(const mg_case *c)
{
    return c->slicing != NULL && c->kind != MG_TEST_GAP && c->kind != MG_TEST_RATIO &&
           c->kind != MG_TEST_DRIFT;
}

/* A forest plot per sliced test, in the suite's order of tests. */
static int forests(mg__markup *m, const mg_report *r, int *id)
{
    const mg_case **group = NULL;
    int rc = 0;

    if ((group = calloc(r->ncases ? r->ncases : 1, sizeof *group)) == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < r->ncases && rc == 0; i++) {
        const mg_case *c = &r->cases[i];
        size_t n = 0;
        char caption[512];
        if (!per_slice(c) || (i > 0 && per_slice(&r->cases[i - 1]) &&
                              strcmp(r->cases[i - 1].test, c->test) == 0))
            continue;
        /* A test's cases are consecutive in the report. */
        for (size_t j = i; j < r->ncases && per_slice(&r->cases[j]) &&
                           strcmp(r->cases[j].test, c->test) == 0;
             j++)
            group[n++] = &r->cases[j];
        mg__mk_open(m, "figure");
        mg__mk_attr(m, "class", "forest");
        mg__mk_attrf(m, "data-marks", "%zu", mg__svg_forest_marks(group, n));
        mg__mk_open(m, "h3");
        mg__mk_text(m, c->test);
        mg__mk_close(m);
        rc = mg__svg_forest(m, group, n, (*id)++);
        mg__forest_caption(caption, sizeof caption, group, n);
        mg__mk_element(m, "figcaption", caption);
        mg__mk_close(m);
    }
    free(group);
    return rc != 0 ? rc : m->failed ? MG_ENOMEM : 0;
}

static int curves(mg__markup *m, const mg_report *r, int *id)
{
    const mg_curve **kind = calloc(r->ncurves ? r->ncurves : 1, sizeof *kind);
    char caption[512];

    if (kind == NULL)
        return MG_ENOMEM;
    mg__mk_open(m, "div");
    mg__mk_attr(m, "class", "curves-row");
    for (int k = 0; k < 2; k++) {
        size_t n = 0, marks = 0;
        for (size_t i = 0; i < r->ncurves; i++)
            if ((int)r->curves[i].kind == k) {
                const mg_curve *c = &r->curves[i];
                kind[n++] = c;
                marks += c->npoints > 0
                             ? 1 + (size_t)c->has_band + (size_t)c->has_operating_point
                             : 0;
            }
        if (n == 0)
            continue;
        mg__mk_open(m, "figure");
        mg__mk_attr(m, "class", k == 0 ? "curves roc" : "curves pr");
        mg__mk_attrf(m, "data-marks", "%zu", marks);
        mg__svg_curves(m, kind, n, (*id)++);
        mg__curve_caption(caption, sizeof caption, kind, n);
        mg__mk_element(m, "figcaption", caption);
        mg__mk_close(m);
    }
    mg__mk_close(m);
    free(kind);
    return m->failed ? MG_ENOMEM : 0;
}

static void dl_item(mg__markup *m, const char *term, const char *value)
{
    mg__mk_element(m, "dt", term);
    mg__mk_element(m, "dd", value);
}

static void provenance(mg__markup *m, const mg_report *r)
{
    static const char *heads[] = {"Input", "Path", "Rows", "SHA-256"};
    char buf[128];

    mg__mk_open(m, "dl");
    dl_item(m, "suite", r->suite);
    dl_item(m, "suite file", r->suite_path);
    dl_item(m, "modelgate", r->tool_version);
    if (r->commit != NULL) {
        snprintf(buf, sizeof buf, "commit (%s)",
                 r->commit_source ? r->commit_source : "");
        dl_item(m, buf, r->commit);
    } else {
        dl_item(m, "commit",
                "not recorded (none of GITHUB_SHA, CI_COMMIT_SHA, "
                "GIT_COMMIT, BUILD_SOURCEVERSION is set)");
    }
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)r->seed);
    dl_item(m, "seed", buf);
    snprintf(buf, sizeof buf, "%zu", r->replicates);
    dl_item(m, "replicates", buf);
    snprintf(buf, sizeof buf, "%g%%", 100 * r->confidence);
    dl_item(m, "confidence", buf);
    dl_item(m, "interval", r->interval);
    dl_item(m, "resampler", r->resampler);
    dl_item(m, "stratify", r->stratify);
    if (r->cluster != NULL)
        dl_item(m, "cluster", r->cluster);
    mg__mk_close(m);

    mg__mk_open(m, "table");
    mg__mk_attr(m, "class", "inputs");
    th_row(m, heads, 4);
    mg__mk_open(m, "tbody");
    for (size_t i = 0; r->inputs != NULL && i < r->ninputs; i++) {
        const mg_input_file *in = &r->inputs[i];
        mg__mk_open(m, "tr");
        td(m, NULL, in->role);
        td(m, NULL, in->path);
        snprintf(buf, sizeof buf, "%zu", in->rows);
        if (in->missing_dropped > 0 || in->extra_ignored > 0)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
                     " (%zu left out, %zu ignored)", in->missing_dropped,
                     in->extra_ignored);
        td(m, "num", buf);
        td(m, "sha", in->sha256);
        mg__mk_close(m);
    }
    mg__mk_close(m);
    mg__mk_close(m);
}

static void section(mg__markup *m, const char *id, const char *title)
{
    mg__mk_open(m, "section");
    mg__mk_attr(m, "id", id);
    mg__mk_element(m, "h2", title);
}

static int render(mg__markup *m, const mg_report *r)
{
    ordered *order = NULL;
    mg__tally t;
    size_t ncomparisons = 0, nsliced = 0;
    int ok, id = 0, rc = 0;
    char buf[512];

    mg__report_tally(r, &t);
    ok = mg__tally_ok(&t);
    if ((order = calloc(r->ncases ? r->ncases : 1, sizeof *order)) == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < r->ncases; i++) {
        order[i] = (ordered){&r->cases[i], i};
        ncomparisons += r->cases[i].has_delta;
        nsliced += per_slice(&r->cases[i]);
    }
    qsort(order, r->ncases, sizeof *order, failures_first);

    mg__mk_raw(m, "<!DOCTYPE html>\n");
    mg__mk_open(m, "html");
    mg__mk_attr(m, "xmlns", "http://www.w3.org/1999/xhtml");
    mg__mk_attr(m, "lang", "en");
    mg__mk_open(m, "head");
    mg__mk_open(m, "meta");
    mg__mk_attr(m, "charset", "utf-8");
    mg__mk_end(m);
    mg__mk_open(m, "meta");
    mg__mk_attr(m, "name", "viewport");
    mg__mk_attr(m, "content", "width=device-width, initial-scale=1");
    mg__mk_end(m);
    mg__mk_open(m, "meta");
    mg__mk_attr(m, "name", "color-scheme");
    mg__mk_attr(m, "content", "light dark");
    mg__mk_end(m);
    mg__mk_open(m, "title");
    mg__mk_text(m, r->suite);
    mg__mk_text(m, ok ? ": passed" : ": failed");
    mg__mk_text(m, " \xE2\x80\x94 modelgate");
    mg__mk_close(m);
    mg__mk_open(m, "style");
    mg__mk_raw(m, css);
    mg__mk_close(m);
    mg__mk_close(m); /* head */
    mg__mk_open(m, "body");

    mg__mk_open(m, "header");
    mg__mk_open(m, "h1");
    mg__mk_text(m, r->suite);
    mg__mk_text(m, " ");
    mg__mk_open(m, "span");
    mg__mk_attr(m, "class", ok ? "verdict pass" : "verdict fail");
    mg__mk_text(m, ok ? "passed" : "failed");
    mg__mk_close(m);
    mg__mk_close(m);
    snprintf(buf, sizeof buf,
             "%zu test case%s: %zu passed, %zu failed, %zu skipped, %zu error%s. "
             "Seed %llu, %zu replicates, %g%% %s intervals.",
             t.tests, t.tests == 1 ? "" : "s", t.passed, t.failed, t.skipped, t.errors,
             t.errors == 1 ? "" : "s", (unsigned long long)r->seed, r->replicates,
             100 * r->confidence, r->interval ? r->interval : "");
    mg__mk_element(m, "p", buf);
    for (size_t i = 0; r->warnings != NULL && i < r->nwarnings; i++) {
        mg__mk_open(m, "p");
        mg__mk_attr(m, "class", "warning");
        mg__mk_text(m, "Warning: ");
        mg__mk_text(m, r->warnings[i]);
        mg__mk_close(m);
    }
    mg__mk_open(m, "nav");
    {
        static const char *links[][2] = {{"#tests", "Tests"},
                                         {"#comparisons", "Comparisons"},
                                         {"#slices", "Slices"},
                                         {"#curves", "Curves"},
                                         {"#provenance", "Provenance"}};
        int have[] = {1, ncomparisons > 0, nsliced > 0, r->ncurves > 0, 1};
        for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
            if (!have[i])
                continue;
            mg__mk_open(m, "a");
            mg__mk_attr(m, "href", links[i][0]);
            mg__mk_text(m, links[i][1]);
            mg__mk_close(m);
        }
    }
    mg__mk_close(m); /* nav */
    mg__mk_close(m); /* header */

    section(m, "tests", "Tests");
    folded(m, r, order, 0, tests_table);
    mg__mk_close(m);
    if (ncomparisons > 0) {
        section(m, "comparisons", "Comparisons");
        folded(m, r, order, 1, comparisons_table);
        mg__mk_close(m);
    }
    if (nsliced > 0) {
        section(m, "slices", "Slices");
        rc = forests(m, r, &id);
        mg__mk_close(m);
    }
    if (rc == 0 && r->ncurves > 0) {
        section(m, "curves", "ROC and precision\xE2\x80\x93recall curves");
        rc = curves(m, r, &id);
        mg__mk_close(m);
    }
    section(m, "provenance", "Provenance");
    provenance(m, r);
    mg__mk_close(m);
    mg__mk_open(m, "footer");
    mg__mk_attr(m, "class", "muted");
    mg__mk_text(m, "Written by modelgate ");
    mg__mk_text(m, r->tool_version);
    mg__mk_text(m, ".");
    mg__mk_close(m);
    mg__mk_close(m); /* body */
    mg__mk_close(m); /* html */
    mg__mk_raw(m, "\n");
    free(order);
    return rc != 0 ? rc : m->failed ? MG_ENOMEM : 0;
}

/* The whole page into *out (malloc'd, NUL-terminated) and *len. */
static int render_page(const mg_report *r, char **out, size_t *len)
{
    mg__c_numeric scope = {0};
    xmlBufferPtr buf = NULL;
    mg__markup m = {0};
    int rc = MG_ENOMEM;

    *out = NULL;
    if (mg__c_numeric_begin(&scope) < 0)
        return MG_ENOMEM;
    if ((buf = xmlBufferCreate()) == NULL ||
        (m.w = xmlNewTextWriterMemory(buf, 0)) == NULL)
        goto cleanup;
    rc = render(&m, r);
    if (xmlTextWriterFlush(m.w) < 0)
        rc = MG_ENOMEM;
    if (rc != 0)
        goto cleanup;
    *len = (size_t)xmlBufferLength(buf);
    if ((*out = malloc(*len + 1)) == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    memcpy(*out, xmlBufferContent(buf), *len);
    (*out)[*len] = '\0';
cleanup:
    if (m.w != NULL)
        xmlFreeTextWriter(m.w);
    if (buf != NULL)
        xmlBufferFree(buf);
    mg__c_numeric_end(&scope);
    return rc;
}

int mg_report_html_string(const mg_report *r, char **out, mg_error *err)
{
    size_t len;

    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output");
    if (render_page(r, out, &len) != 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory writing HTML");
    return 0;
}

int mg_report_write_html(const mg_report *r, const char *path, mg_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int error;

    if (r == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output path");
    if (render_page(r, &text, &len) != 0)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory writing HTML");
    error = mg_write_file_atomic(path, text, len, err);
    free(text);
    return error;
}
