/*
 * Markdown reporter: a summary for a CI step summary or a merge-request comment.
 *
 *   ## ❌ churn-model: failed
 *
 *   12 tests: 10 passed, 1 failed, 1 skipped, 0 errors (2.31 s)
 *   · seed 1, 2000 replicates, 95% bca intervals
 *
 *   | | Test | Model | Slice | Estimate [90% CI] | Verdict |
 *   |---|---|---|---|---|---|
 *   | ✅ | auc floor | candidate | overall | 0.7810 [0.7520, 0.8090] | … |
 *
 * The target is GitHub-flavoured Markdown, which GitLab and Azure DevOps render the
 * same way for tables. A cell is one line of inline text, so strings are cleaned to
 * one line (xmlclean.c) and characters that Markdown would read as structure are
 * escaped with a backslash: '|' would end the cell, and '\' must be escaped too or a
 * name ending in a backslash would escape our own cell separator. '`', '*', '_' and
 * '<' are escaped so that names cannot turn into code spans, emphasis, HTML tags or
 * autolinks ('>' needs no escape inside a line, so "auc >= 0.80" stays readable).
 * Brackets need no escape: with no reference definitions in the document, "[a, b]"
 * cannot become a link. Numbers use "%.4f" in a C-locale scope, and the symbols are ✅
 * pass,
 * ❌ fail, ⏭️ skipped, ⚠️ error. The verdict is "passed" when no test failed
 * or errored, as for the exit status.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/report.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

static void fmt4(char *buf, size_t size, double v)
{
    if (isfinite(v))
        snprintf(buf, size, "%.4f", v);
    else
        snprintf(buf, size, "n/a");
}

static int put_case(FILE *f, const mg_case *c, double confidence)
{
    char a[32], b[32], d[32];
    int error;

    fprintf(f, "| %s | ", mg__md_symbol(c->outcome));
    if ((error = mg__md_put(f, c->test)) < 0)
        return error;
    fputs(" | ", f);
    if ((error = mg__md_put(f, c->model)) < 0)
        return error;
    if (c->baseline != NULL) {
        fputs(" vs ", f);
        if ((error = mg__md_put(f, c->baseline)) < 0)
            return error;
    }
    fputs(" | ", f);
    if ((error = mg__md_put(f, mg__case_slice(c))) < 0)
        return error;
    fputs(" | ", f);
    if (c->has_delta) {
        if (isfinite(c->delta))
            snprintf(d, sizeof d, "%+.4f", c->delta);
        else
            snprintf(d, sizeof d, "n/a");
        fprintf(f, "\xce\x94 %s", d);
        if (mg__case_has_delta_ci(c)) {
            fmt4(a, sizeof a, c->delta_ci_low);
            fmt4(b, sizeof b, c->delta_ci_high);
            fprintf(f, " [%s, %s]", a, b);
        }
    } else if (c->kind != MG_TEST_DATA_CHECK || c->status == MG_STATUS_DECIDED) {
        /* a data check's finding is counts, in its message */
        if (c->has_estimate) {
            fmt4(a, sizeof a, c->estimate);
            fputs(a, f);
        }
        if (c->has_ci) {
            fmt4(a, sizeof a, c->ci_low);
            fmt4(b, sizeof b, c->ci_high);
            fprintf(f, "%s[%s, %s]", c->has_estimate ? " " : "", a, b);
        }
    }
    /* the level of an interval that is not at the usual one (a corrected family) */
    if ((c->has_ci || mg__case_has_delta_ci(c)) && c->confidence != confidence)
        fprintf(f, " %g%%", 100 * c->confidence);
    fputs(" | ", f);
    if ((error = mg__md_put(f, c->message)) < 0)
        return error;
    fputs(" |\n", f);
    return 0;
}

static int failed(const mg_case *c)
{
    return c->outcome == MG_OUTCOME_FAIL || c->outcome == MG_OUTCOME_ERROR;
}

static void put_header(FILE *f, const char *header)
{
    fprintf(f,
            "| | Test | Model | Slice | %s | Verdict |\n"
            "|---|---|---|---|---|---|\n",
            header);
}

/* s as one line of HTML text (a <summary> is HTML, where Markdown's backslash
 * escapes would show). */
static int put_html(FILE *f, const char *s)
{
    char *clean = NULL;
    int error;
    if ((error = mg__text_clean(s, MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE,
                                &clean)) < 0)
        return error;
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        default:
            fputc(*p, f);
        }
    }
    free(clean);
    return 0;
}

static int same_family(const mg_case *a, const mg_case *b)
{
    return a->slicing != NULL && b->slicing != NULL && strcmp(a->test, b->test) == 0;
}

/* Whether case i is the first case of a sliced test (a slice family); a test's
 * cases are contiguous in a report. */
static int family_start(const mg_report *r, size_t i)
{
    return r->cases[i].slicing != NULL &&
           (i == 0 || !same_family(&r->cases[i - 1], &r->cases[i]));
}

/* A slice family folded: its verdict and counts in the <summary>, every slice in
 * the table inside. */
static int put_family(FILE *f, const mg_report *r, size_t first, const char *header,
                      double level)
{
    const mg_case *c = &r->cases[first];
    mg__tally t = {0};
    int error;

    for (size_t i = first; i < r->ncases && same_family(c, &r->cases[i]); i++) {
        t.tests++;
        t.passed += r->cases[i].outcome == MG_OUTCOME_PASS;
        t.failed += r->cases[i].outcome == MG_OUTCOME_FAIL;
        t.skipped += r->cases[i].outcome == MG_OUTCOME_SKIP;
        t.errors += r->cases[i].outcome == MG_OUTCOME_ERROR;
    }
    fprintf(f, "\n<details><summary>%s ",
            mg__md_symbol(mg__tally_ok(&t) ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL));
    if ((error = put_html(f, c->test)) < 0)
        return error;
    fputs(" (", f);
    if ((error = put_html(f, c->model)) < 0)
        return error;
    fputs(", by ", f);
    if ((error = put_html(f, c->slicing)) < 0)
        return error;
    fprintf(f,
            "): %zu slice%s: %zu passed, %zu failed, %zu skipped, %zu error%s"
            "</summary>\n\n",
            t.tests, t.tests == 1 ? "" : "s", t.passed, t.failed, t.skipped, t.errors,
            t.errors == 1 ? "" : "s");
    put_header(f, header);
    for (size_t i = first; i < r->ncases && same_family(c, &r->cases[i]); i++)
        if ((error = put_case(f, &r->cases[i], level)) < 0)
            return error;
    fputs("\n</details>\n", f);
    return 0;
}

/*
 * The cases: one table with every failed and errored case first, then the cases of
 * tests without slices; then each slice family folded in a <details> block, so that
 * a suite of hundreds of slices shows its failures at a glance and the rest on a
 * click.
 */
static int put_tables(FILE *f, const mg_report *r, const char *header, double level)
{
    size_t i, top = 0;
    int error;

    for (i = 0; i < r->ncases; i++)
        top += failed(&r->cases[i]) || r->cases[i].slicing == NULL;
    if (top > 0) {
        fputs("\n", f);
        put_header(f, header);
    }
    for (i = 0; i < r->ncases; i++)
        if (failed(&r->cases[i]) && (error = put_case(f, &r->cases[i], level)) < 0)
            return error;
    for (i = 0; i < r->ncases; i++)
        if (!failed(&r->cases[i]) && r->cases[i].slicing == NULL &&
            (error = put_case(f, &r->cases[i], level)) < 0)
            return error;
    for (i = 0; i < r->ncases; i++)
        if (family_start(r, i) && (error = put_family(f, r, i, header, level)) < 0)
            return error;
    return 0;
}

static int render(const mg_report *r, FILE *f)
{
    double level;
    char conf[32], header[64];
    mg__tally t;
    size_t i;
    int ok, error;

    mg__report_tally(r, &t);
    ok = mg__tally_ok(&t);
    level = mg__usual_level(r);
    fprintf(f, "## %s ",
            ok ? mg__md_symbol(MG_OUTCOME_PASS) : mg__md_symbol(MG_OUTCOME_FAIL));
    if ((error = mg__md_put(f, r->suite)) < 0)
        return error;
    fprintf(f, ": %s\n\n", ok ? "passed" : "failed");
    fprintf(f,
            "%zu test%s: %zu passed, %zu failed, %zu skipped, %zu error%s (%.2f s)\n",
            t.tests, t.tests == 1 ? "" : "s", t.passed, t.failed, t.skipped, t.errors,
            t.errors == 1 ? "" : "s",
            isfinite(r->seconds) && r->seconds > 0 ? r->seconds : 0.0);
    mg__fmt_real(conf, sizeof conf, r->confidence * 100);
    fprintf(f, "\xc2\xb7 seed %llu, %zu replicates, %s%% ", (unsigned long long)r->seed,
            r->replicates, conf);
    if ((error = mg__md_put(f, r->interval ? r->interval : "")) < 0)
        return error;
    fputs(" intervals\n", f);
    /* Rows left out of the data, never silently (data.drop_missing, extra_ids). */
    for (i = 0; r->inputs != NULL && i < r->ninputs; i++) {
        const mg_input_file *in = &r->inputs[i];
        if (in->missing_dropped == 0 && in->extra_ignored == 0)
            continue;
        fputs("\xc2\xb7 ", f);
        if ((error = mg__md_put(f, in->path)) < 0)
            return error;
        if (in->missing_dropped > 0)
            fprintf(f, ": %zu row%s left out for a missing label, id or score",
                    in->missing_dropped, in->missing_dropped == 1 ? "" : "s");
        if (in->extra_ignored > 0)
            fprintf(f, "%s %zu row%s with ids not in the holdout set ignored",
                    in->missing_dropped > 0 ? ";" : ":", in->extra_ignored,
                    in->extra_ignored == 1 ? "" : "s");
        fputs("\n", f);
    }
    for (i = 0; r->warnings != NULL && i < r->nwarnings; i++) {
        fputs("\n> **Warning:** ", f);
        if ((error = mg__md_put(f, r->warnings[i])) < 0)
            return error;
        fputs("\n", f);
    }
    if (t.tests == 0)
        return 0;
    mg__interval_header(header, sizeof header, "Estimate", r, level);
    return put_tables(f, r, header, level);
}

/* The whole document into *out (malloc'd, NUL-terminated) and *len. */
static int render_text(const mg_report *r, char **out, size_t *len)
{
    mg__c_numeric scope = {0};
    char *buf = NULL;
    size_t size = 0;
    FILE *f = NULL;
    int error;

    *out = NULL;
    if ((error = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    if ((f = open_memstream(&buf, &size)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    error = render(r, f);
    if (ferror(f))
        error = MG_ENOMEM;
    if (fclose(f) != 0)
        error = MG_ENOMEM;
    f = NULL;
    if (error < 0)
        goto cleanup;
    *out = buf;
    *len = size;
    buf = NULL;
    error = 0;

cleanup:
    mg__c_numeric_end(&scope);
    free(buf);
    return error;
}

int mg_report_markdown_string(const mg_report *r, char **out, mg_error *err)
{
    size_t len;

    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output");
    if (render_text(r, out, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0,
                            "out of memory writing Markdown");
    return 0;
}

int mg_report_write_markdown(const mg_report *r, const char *path, mg_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int error;

    if (r == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output path");
    if (render_text(r, &text, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0,
                            "out of memory writing Markdown");
    error = mg_write_file_atomic(path, text, len, err);
    free(text);
    return error;
}
