/*
 * Console reporter: aligned tables for a terminal or a CI log.
 *
 * The cases table has one row per testcase (outcome, test, model, slice, estimate
 * with its interval, and the verdict for cases that did not pass), then a summary
 * line such as "12 tests: 10 passed, 1 failed, 1 skipped, 0 errors (2.31 s)". An
 * interval whose level is not the usual one (that of the cases no correction
 * adjusted, all at one level) carries its level ("[0.61, 0.72] 98.75%": a corrected
 * family's), so that one column never mixes levels silently; a
 * pass under the lenient rule whose interval straddles the threshold shows its
 * verdict, which says it was inconclusive. With only_failures (the CLI's --quiet)
 * the table holds only the failed and errored cases, and a run without any prints
 * the summary line alone: a CI log is never empty. The
 * metrics table has one row per model, slicing, slice and metric. Cells are first
 * rendered to strings, then column widths are taken from the content, so nothing is
 * truncated and the table adapts to long slice labels.
 *
 * Widths count code points, not bytes: a cross slice "a=1 × b=x" holds the two-byte
 * '×' but takes one column. This is exact for the Latin, Greek and symbol characters
 * labels hold in practice; East Asian wide characters and combining marks would need
 * wcwidth and a locale, which a library should not depend on, and are left
 * approximate. Cells are cleaned first (xmlclean.c): ill-formed UTF-8, C0 and C1
 * controls and ESC become U+FFFD, so a test name cannot inject terminal escape
 * sequences, and tabs and newlines become spaces so a row stays one line. Trailing
 * blanks are never printed: a cell is padded only when a later cell of its row is
 * non-empty.
 *
 * Colour (ANSI SGR: PASS green, FAIL red, SKIP yellow, ERROR magenta) is applied to
 * the outcome word only, after padding is computed from the plain text, and only
 * when the caller asks: the CLI decides from isatty and NO_COLOR, the library never
 * guesses. Numbers use "%.4f" inside a C-locale scope.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/report.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

#define CELL_FLAGS (MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE)

typedef struct row {
    char **cells;      /* ncols cleaned strings */
    const char *color; /* SGR code for the first cell, or NULL */
    char *detail;      /* lines printed indented under the row, or NULL */
} row;

typedef struct table {
    size_t ncols;
    unsigned right; /* bit c set: column c is right-aligned */
    row *rows;
    size_t nrows, cap;
} table;

static void table_free(table *t)
{
    size_t i, c;

    for (i = 0; i < t->nrows; i++) {
        for (c = 0; c < t->ncols; c++)
            free(t->rows[i].cells[c]);
        free(t->rows[i].cells);
        free(t->rows[i].detail);
    }
    free(t->rows);
}

/* Add a row of ncols raw strings (NULL reads as ""); they are cleaned. */
static int table_add(table *t, const char *const *cells, const char *color,
                     const char *detail)
{
    row *r;
    size_t c;
    int error;

    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        row *grown = realloc(t->rows, cap * sizeof *grown);
        if (grown == NULL)
            return MG_ENOMEM;
        t->rows = grown;
        t->cap = cap;
    }
    r = &t->rows[t->nrows];
    memset(r, 0, sizeof *r);
    if ((r->cells = calloc(t->ncols, sizeof *r->cells)) == NULL)
        return MG_ENOMEM;
    t->nrows++; /* from here table_free releases it */
    r->color = color;
    for (c = 0; c < t->ncols; c++)
        if ((error = mg__text_clean(cells[c], CELL_FLAGS, &r->cells[c])) < 0)
            return error;
    if (detail != NULL &&
        (error = mg__text_clean(detail, MG__CLEAN_XML | MG__CLEAN_C1, &r->detail)) < 0)
        return error;
    return 0;
}

/* Display width of valid UTF-8: its code points. */
static size_t width(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

static void print_detail(FILE *out, const char *detail)
{
    const char *p = detail;

    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        size_t i;

        fputs("    ", out);
        for (i = 0; i < n; i++)
            if (p[i] != '\r')
                fputc(p[i], out);
        fputc('\n', out);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static int table_print(const table *t, FILE *out, int color)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    size_t i, c, last, cw;

    if (w == NULL)
        return MG_ENOMEM;
    for (i = 0; i < t->nrows; i++)
        for (c = 0; c < t->ncols; c++) {
            cw = width(t->rows[i].cells[c]);
            if (cw > w[c])
                w[c] = cw;
        }
    for (i = 0; i < t->nrows; i++) {
        const row *r = &t->rows[i];
        last = 0;
        for (c = 0; c < t->ncols; c++)
            if (r->cells[c][0] != '\0')
                last = c;
        for (c = 0; c <= last; c++) {
            const char *s = r->cells[c];
            size_t fill = w[c] - width(s);
            int right = (t->right >> c) & 1u;
            if (c > 0)
                fputs("  ", out);
            if (right)
                pad(out, fill);
            if (c == 0 && color && r->color != NULL)
                fprintf(out, "\x1b[%sm%s\x1b[0m", r->color, s);
            else
                fputs(s, out);
            if (!right && c < last)
                pad(out, fill);
        }
        fputc('\n', out);
        if (r->detail != NULL)
            print_detail(out, r->detail);
    }
    free(w);
    return 0;
}

/* "%.4f", or "n/a" for a value that is not finite. */
static void fmt4(char *buf, size_t size, double v)
{
    if (isfinite(v))
        snprintf(buf, size, "%.4f", v);
    else
        snprintf(buf, size, "n/a");
}

/* "0.7810 [0.7520, 0.8090]", "0.7810" or "" into buf. */
static void fmt_estimate(char *buf, size_t size, int has_est, double est, int has_ci,
                         double lo, double hi)
{
    char e[32] = "", l[32], h[32];

    if (has_est)
        fmt4(e, sizeof e, est);
    if (has_ci) {
        fmt4(l, sizeof l, lo);
        fmt4(h, sizeof h, hi);
        snprintf(buf, size, "%s%s[%s, %s]", e, has_est ? " " : "", l, h);
    } else {
        snprintf(buf, size, "%s", e);
    }
}

/* Append " 98.75%": the level of an interval that is not at the suite's. */
static void append_level(char *buf, size_t size, double confidence)
{
    size_t used = strlen(buf);

    if (used < size)
        snprintf(buf + used, size - used, " %g%%", 100 * confidence);
}

/* A pass under the lenient rule whose interval straddles the threshold, or that had
 * no interval the data could support: inconclusive, as its verdict says. */
static int lenient_pass(const mg_case *c)
{
    size_t i;

    if (c->status == MG_STATUS_NO_EVIDENCE && c->outcome == MG_OUTCOME_PASS)
        return 1;
    for (i = 0; c->status == MG_STATUS_DECIDED && i < c->nchecks && i < 2; i++)
        if (c->checks[i].finding == MG_FINDING_LENIENT_PASS)
            return 1;
    return 0;
}

static const char *outcome_label(mg_outcome o)
{
    switch (o) {
    case MG_OUTCOME_PASS:
        return "PASS";
    case MG_OUTCOME_FAIL:
        return "FAIL";
    case MG_OUTCOME_SKIP:
        return "SKIP";
    default:
        return "ERROR";
    }
}

static const char *outcome_color(mg_outcome o)
{
    switch (o) {
    case MG_OUTCOME_PASS:
        return "32";
    case MG_OUTCOME_FAIL:
        return "31";
    case MG_OUTCOME_SKIP:
        return "33";
    default:
        return "35";
    }
}

static int finish(FILE *out, int error)
{
    if (error == 0 && (ferror(out) || fflush(out) != 0))
        error = MG_EIO;
    return error;
}

/* Options from a caller built against these headers or an older version of them. */
static int known_version(const mg_console_options *opts)
{
    return opts == NULL ||
           (opts->version > 0 && opts->version <= MG_CONSOLE_OPTIONS_VERSION);
}

int mg_report_print_cases(const mg_report *r, FILE *out, const mg_console_options *opts)
{
    const char *header[] = {"RESULT", "TEST", "MODEL", "SLICE", NULL, "VERDICT"};
    char estimate_header[64];
    mg_console_options defaults = MG_CONSOLE_OPTIONS_INIT;
    mg__c_numeric scope = {0};
    table t = {6, 0, NULL, 0, 0};
    char *model = NULL;
    char est[160];
    mg__tally tally;
    size_t i, shown = 0;
    int error, only_failures;
    double level;

    if (r == NULL || out == NULL || !known_version(opts))
        return MG_EINVAL;
    if (opts == NULL)
        opts = &defaults;
    /* a version-1 struct ends before only_failures */
    only_failures = opts->version >= 2 && opts->only_failures;
    level = mg__usual_level(r);
    /* The header states the usual level; an interval at another carries its own. */
    mg__interval_header(estimate_header, sizeof estimate_header, "ESTIMATE", r, level);
    header[4] = estimate_header;
    if ((error = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    mg__report_tally(r, &tally);
    if (r->ncases > 0 && (error = table_add(&t, header, NULL, NULL)) < 0)
        goto cleanup;
    for (i = 0; r->cases != NULL && i < r->ncases; i++) {
        const mg_case *c = &r->cases[i];
        int pass = c->outcome == MG_OUTCOME_PASS, show;
        const char *cells[6];
        size_t n;

        free(model);
        n = strlen(c->model ? c->model : "") + strlen(c->baseline ? c->baseline : "") +
            5;
        if ((model = malloc(n)) == NULL) {
            error = MG_ENOMEM;
            goto cleanup;
        }
        snprintf(model, n, "%s%s%s", c->model ? c->model : "",
                 c->baseline ? " vs " : "", c->baseline ? c->baseline : "");
        if (only_failures && (pass || c->outcome == MG_OUTCOME_SKIP))
            continue;
        if (c->has_delta) {
            char d[32], l[32], h[32];
            if (isfinite(c->delta))
                snprintf(d, sizeof d, "%+.4f", c->delta);
            else
                snprintf(d, sizeof d, "n/a");
            if (mg__case_has_delta_ci(c)) {
                fmt4(l, sizeof l, c->delta_ci_low);
                fmt4(h, sizeof h, c->delta_ci_high);
                snprintf(est, sizeof est, "\xce\x94 %s [%s, %s]", d, l, h);
            } else {
                snprintf(est, sizeof est, "\xce\x94 %s", d);
            }
        } else if (c->kind == MG_TEST_DATA_CHECK && c->status != MG_STATUS_DECIDED) {
            est[0] = '\0'; /* its finding is counts, in its verdict */
        } else {
            fmt_estimate(est, sizeof est, c->has_estimate, c->estimate, c->has_ci,
                         c->ci_low, c->ci_high);
        }
        if ((c->has_ci || mg__case_has_delta_ci(c)) && c->confidence != level)
            append_level(est, sizeof est, c->confidence);
        /* A pass the rule could not demonstrate (lenient, the interval straddles
         * the threshold) shows its verdict, which says so; a data check shows its
         * finding. */
        show =
            !pass || opts->verbose || lenient_pass(c) || c->kind == MG_TEST_DATA_CHECK;
        cells[0] = outcome_label(c->outcome);
        cells[1] = c->test;
        cells[2] = model;
        cells[3] = mg__case_slice(c);
        cells[4] = est;
        cells[5] = show ? c->message : NULL;
        if ((error = table_add(&t, cells, outcome_color(c->outcome),
                               (!pass || opts->verbose) ? c->detail : NULL)) < 0)
            goto cleanup;
        shown++;
    }
    if (shown > 0 && (error = table_print(&t, out, opts->color)) < 0)
        goto cleanup;
    for (i = 0; r->warnings != NULL && i < r->nwarnings; i++)
        fprintf(out, "warning: %s\n", r->warnings[i]);
    fprintf(out,
            "%zu test%s: %zu passed, %zu failed, %zu skipped, %zu error%s (%.2f s)\n",
            tally.tests, tally.tests == 1 ? "" : "s", tally.passed, tally.failed,
            tally.skipped, tally.errors, tally.errors == 1 ? "" : "s",
            isfinite(r->seconds) && r->seconds > 0 ? r->seconds : 0.0);
    error = 0;

cleanup:
    mg__c_numeric_end(&scope);
    free(model);
    table_free(&t);
    return finish(out, error);
}

int mg_report_print_metrics(const mg_report *r, FILE *out,
                            const mg_console_options *opts)
{
    static const char *const header[] = {"MODEL", "SLICING",       "SLICE", "METRIC",
                                         "N",     "ESTIMATE [CI]", "NOTE"};
    mg__c_numeric scope = {0};
    table t = {7, 1u << 4, NULL, 0, 0};
    char est[128], n[32], note[64];
    char *reason = NULL;
    size_t i;
    int error;

    /* nothing is coloured here; the options are only checked */
    if (r == NULL || out == NULL || !known_version(opts))
        return MG_EINVAL;
    if ((error = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    if (r->nmetrics > 0 && (error = table_add(&t, header, NULL, NULL)) < 0)
        goto cleanup;
    for (i = 0; r->metrics != NULL && i < r->nmetrics; i++) {
        const mg_metric_entry *m = &r->metrics[i];
        const char *cells[7];
        size_t len;

        snprintf(n, sizeof n, "%zu", m->n);
        if (m->has_estimate || m->has_ci)
            fmt_estimate(est, sizeof est, m->has_estimate, m->estimate, m->has_ci,
                         m->ci_low, m->ci_high);
        else
            snprintf(est, sizeof est, "undefined");
        note[0] = '\0';
        if (m->undefined_replicates > 0)
            snprintf(note, sizeof note, "%zu replicate%s undefined",
                     m->undefined_replicates, m->undefined_replicates == 1 ? "" : "s");
        free(reason);
        len = strlen(m->reason ? m->reason : "") + strlen(note) + 3;
        if ((reason = malloc(len)) == NULL) {
            error = MG_ENOMEM;
            goto cleanup;
        }
        snprintf(reason, len, "%s%s%s", m->reason ? m->reason : "",
                 m->reason && note[0] ? "; " : "", note);
        cells[0] = m->model;
        cells[1] = m->slicing ? m->slicing : "-";
        cells[2] = m->slice ? m->slice : "overall";
        cells[3] = m->metric;
        cells[4] = n;
        cells[5] = est;
        cells[6] = reason;
        if ((error = table_add(&t, cells, NULL, NULL)) < 0)
            goto cleanup;
    }
    error = table_print(&t, out, 0);

cleanup:
    mg__c_numeric_end(&scope);
    free(reason);
    table_free(&t);
    return finish(out, error);
}
