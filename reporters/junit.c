/*
 * JUnit XML reporter.
 *
 * "JUnit XML" has no single standard; each CI tool reads a dialect. We target the
 * Jenkins junit-10 schema (tests/schemas/jenkins-junit-10.xsd), the strictest
 * common denominator that Jenkins, GitLab, GitHub test-report actions and Azure
 * DevOps all read, and emit only attributes it declares, because its complex types
 * have no anyAttribute: one undeclared attribute makes the file invalid. In
 * particular junit-10 allows `skipped` on <testsuite> but not on <testsuites>, so the
 * root carries name, tests, failures, errors and time only. tests/junit.xsd is our
 * own, stricter schema of exactly what this file writes; CI validates against both.
 *
 *   <testsuites name tests failures errors time>
 *     <testsuite name tests failures errors skipped time [timestamp] id="0" package>
 *       <properties> tool, tool_version, suite_path, seed, replicates, confidence,
 *                    interval, resampler, stratify, [cluster],
 *                    input.ROLE.{path,rows,sha256} for each input </properties>
 *       <testcase classname="SUITE.TEST" name="TEST [SLICE]" time="0.123">
 *         [<failure message type="statistical">detail</failure> |
 *          <error message type="undefined">detail</error> |
 *          (type="data" for a data check that failed or could not read its
 *           column, and for a test a failed data check held back) |
 *          <skipped message/>]
 *         <system-out>the verdict and the case's key numbers</system-out>
 *       </testcase> ...
 *
 * A failed statistical criterion is a <failure>, never a pass with a note, and the
 * time attribute holds time, not a metric. The counts are recomputed from the cases
 * so that they always agree with the testcase elements. `hostname` is not written:
 * the report records no host, and a report that differs by machine would defeat
 * comparing runs byte for byte.
 *
 * Jenkins splits classname at its last '.' into package and class, so a test named
 * "auc >= 0.80" would show as class "80" in package "churn.auc >= 0". Dots inside the
 * suite and test names are therefore written as '_' in classname (the name attribute
 * keeps the test name as written). Property names cannot hold spaces (the Ant schema
 * types them as tokens), so spaces in input roles become '_'; two roles that then
 * collide get a numeric suffix so that property names stay unique.
 *
 * Every string goes through mg__xml_clean (xmlclean.c) first, since xmlTextWriter
 * copies bytes as they are and one stray control character would make the whole file
 * unparseable; classname and name are also made one line (tabs and newlines become
 * spaces), as CI tools show them. Times use "%.3f" and numbers the shortest exact form,
 * both inside a C-locale scope so that a host's LC_NUMERIC cannot turn '.' into ','.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "modelgate/report.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

#define CHECK(expr)                                                                    \
    do {                                                                               \
        if ((error = (expr)) < 0)                                                      \
            goto cleanup;                                                              \
    } while (0)

/* Map an xmlTextWriter status; writing to a memory buffer fails only for memory. */
static int xw(int rc)
{
    return rc < 0 ? MG_ENOMEM : 0;
}

/* Write attribute name="value" with the value cleaned by `flags`. */
static int attr_clean(xmlTextWriterPtr w, const char *name, const char *value,
                      unsigned flags)
{
    char *clean = NULL;
    int error;

    if ((error = mg__text_clean(value, flags, &clean)) < 0)
        return error;
    error = xw(xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean));
    free(clean);
    return error;
}

/* Write attribute name="value" with the value cleaned to XML 1.0 characters. */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    return attr_clean(w, name, value, MG__CLEAN_XML);
}

static int attr_size(xmlTextWriterPtr w, const char *name, size_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", v);
    return xw(xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST buf));
}

static int attr_seconds(xmlTextWriterPtr w, const char *name, double v)
{
    char buf[32];
    mg__fmt_seconds(buf, sizeof buf, v);
    return xw(xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST buf));
}

/* Write cleaned text content. */
static int text(xmlTextWriterPtr w, const char *s)
{
    char *clean = NULL;
    int error;

    if ((error = mg__xml_clean(s, &clean)) < 0)
        return error;
    error = xw(xmlTextWriterWriteString(w, BAD_CAST clean));
    free(clean);
    return error;
}

static int property(xmlTextWriterPtr w, const char *name, const char *value)
{
    int error;

    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "property")));
    CHECK(attr(w, "name", name));
    CHECK(attr(w, "value", value ? value : ""));
    CHECK(xw(xmlTextWriterEndElement(w)));
cleanup:
    return error;
}

static int property_size(xmlTextWriterPtr w, const char *name, size_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", v);
    return property(w, name, buf);
}

static int property_real(xmlTextWriterPtr w, const char *name, double v)
{
    char buf[32];
    mg__fmt_real(buf, sizeof buf, v);
    return property(w, name, buf);
}

/*
 * Property-name form of each input role: cleaned, whitespace as '_', the input's
 * index when empty, and a suffix "_2", "_3", … when an earlier role already took the
 * name. Returns an array of ninputs malloc'd strings in *out.
 */
static int role_names(const mg_report *r, char ***out)
{
    char **names;
    size_t i, j, k, len;
    int error = 0, dup;

    *out = NULL;
    if (r->ninputs == 0)
        return 0;
    names = calloc(r->ninputs, sizeof *names);
    if (names == NULL)
        return MG_ENOMEM;
    for (i = 0; i < r->ninputs; i++) {
        char *s = NULL, *p;
        if ((error = mg__text_clean(r->inputs[i].role,
                                    MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE,
                                    &s)) < 0)
            goto cleanup;
        for (p = s; *p; p++)
            if (*p == ' ')
                *p = '_';
        len = strlen(s);
        if (len == 0) {
            free(s);
            if ((s = malloc(24)) == NULL) {
                error = MG_ENOMEM;
                goto cleanup;
            }
            snprintf(s, 24, "%zu", i);
            len = strlen(s);
        }
        for (k = 2;; k++) {
            dup = 0;
            for (j = 0; j < i && !dup; j++)
                dup = strcmp(names[j], s) == 0;
            if (!dup)
                break;
            /* strip a previous suffix attempt and try the next number */
            s[len] = '\0';
            p = realloc(s, len + 24);
            if (p == NULL) {
                free(s);
                error = MG_ENOMEM;
                goto cleanup;
            }
            s = p;
            snprintf(s + len, 24, "_%zu", k);
        }
        names[i] = s;
    }
    *out = names;
    names = NULL;

cleanup:
    if (names != NULL) {
        for (i = 0; i < r->ninputs; i++)
            free(names[i]);
        free(names);
    }
    return error;
}

static int write_properties(xmlTextWriterPtr w, const mg_report *r)
{
    char **roles = NULL;
    char name[64], sha[65];
    char *pname = NULL;
    size_t i;
    int error;

    CHECK(role_names(r, &roles));
    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "properties")));
    CHECK(property(w, "tool", "modelgate"));
    CHECK(property(w, "tool_version", r->tool_version));
    CHECK(property(w, "suite_path", r->suite_path));
    snprintf(name, sizeof name, "%llu", (unsigned long long)r->seed);
    CHECK(property(w, "seed", name));
    CHECK(property_size(w, "replicates", r->replicates));
    CHECK(property_real(w, "confidence", r->confidence));
    CHECK(property(w, "interval", r->interval));
    CHECK(property(w, "resampler", r->resampler));
    CHECK(property(w, "stratify", r->stratify));
    if (r->cluster != NULL)
        CHECK(property(w, "cluster", r->cluster));
    for (i = 0; i < r->ninputs; i++) {
        const mg_input_file *in = &r->inputs[i];
        size_t n = strlen(roles[i]) + sizeof "input..dropped";
        free(pname);
        if ((pname = malloc(n)) == NULL) {
            error = MG_ENOMEM;
            goto cleanup;
        }
        snprintf(pname, n, "input.%s.path", roles[i]);
        CHECK(property(w, pname, in->path));
        snprintf(pname, n, "input.%s.rows", roles[i]);
        CHECK(property_size(w, pname, in->rows));
        snprintf(pname, n, "input.%s.sha256", roles[i]);
        snprintf(sha, sizeof sha, "%.64s", in->sha256);
        CHECK(property(w, pname, sha));
        /* Rows left out, only when there are any (data.drop_missing, extra_ids). */
        if (in->missing_dropped > 0) {
            snprintf(pname, n, "input.%s.dropped", roles[i]);
            CHECK(property_size(w, pname, in->missing_dropped));
        }
        if (in->extra_ignored > 0) {
            snprintf(pname, n, "input.%s.ignored", roles[i]);
            CHECK(property_size(w, pname, in->extra_ignored));
        }
    }
    for (i = 0; r->warnings != NULL && i < r->nwarnings; i++)
        CHECK(property(w, "warning", r->warnings[i]));
    CHECK(xw(xmlTextWriterEndElement(w)));

cleanup:
    free(pname);
    if (roles != NULL) {
        for (i = 0; i < r->ninputs; i++)
            free(roles[i]);
        free(roles);
    }
    return error;
}

/* Append s to *dst (malloc'd, may be NULL) with '.' replaced by '_'. */
static int classname_part(char **dst, size_t *len, const char *s)
{
    char *clean = NULL, *p, *grown;
    size_t n;
    int error;

    if ((error = mg__text_clean(s, MG__CLEAN_XML | MG__CLEAN_ONE_LINE, &clean)) < 0)
        return error;
    for (p = clean; *p; p++)
        if (*p == '.')
            *p = '_';
    n = strlen(clean);
    grown = realloc(*dst, *len + n + 2);
    if (grown == NULL) {
        free(clean);
        return MG_ENOMEM;
    }
    memcpy(grown + *len, clean, n + 1);
    *dst = grown;
    *len += n;
    free(clean);
    return 0;
}

/* The <system-out> text of a case: its verdict and key numbers, one per line. */
static int case_summary(const mg_case *c, char **out)
{
    char *buf = NULL;
    size_t size = 0;
    char a[32], b[32];
    FILE *f = open_memstream(&buf, &size);

    *out = NULL;
    if (f == NULL)
        return MG_ENOMEM;
    if (c->message)
        fprintf(f, "verdict: %s\n", c->message);
    fprintf(f, "metric: %s\n", c->metric ? c->metric : "");
    fprintf(f, "model: %s\n", c->model ? c->model : "");
    if (c->baseline)
        fprintf(f, "baseline: %s\n", c->baseline);
    if (c->slicing)
        fprintf(f, "slicing: %s\n", c->slicing);
    fprintf(f, "slice: %s\n", mg__case_slice(c));
    fprintf(f, "n: %zu\n", c->n);
    if (c->has_estimate) {
        mg__fmt_real(a, sizeof a, c->estimate);
        fprintf(f, "estimate: %s\n", a);
    }
    if (c->has_ci) {
        mg__fmt_real(a, sizeof a, c->ci_low);
        mg__fmt_real(b, sizeof b, c->ci_high);
        fprintf(f, "interval: [%s, %s]\n", a, b);
    }
    if (c->has_delta) {
        mg__fmt_real(a, sizeof a, c->delta);
        fprintf(f, "delta: %s\n", a);
        mg__fmt_real(a, sizeof a, c->delta_ci_low);
        mg__fmt_real(b, sizeof b, c->delta_ci_high);
        fprintf(f, "delta_interval: [%s, %s]\n", a, b);
    }
    if (c->has_ci || c->has_delta) {
        mg__fmt_real(a, sizeof a, c->confidence);
        fprintf(f, "confidence: %s\n", a);
        if (c->interval)
            fprintf(f, "interval_method: %s\n", c->interval);
    }
    if (c->has_p_value) {
        mg__fmt_real(a, sizeof a, c->p_value);
        fprintf(f, "p_value: %s%s%s%s\n", a, c->p_method ? " (" : "",
                c->p_method ? c->p_method : "", c->p_method ? ")" : "");
    }
    if (c->has_threshold) {
        mg__fmt_real(a, sizeof a, c->threshold);
        fprintf(f, "threshold: %s\n", a);
    }
    if (c->rule)
        fprintf(f, "rule: %s\n", c->rule);
    /* failures and errors carry the detail in their own element */
    if (c->detail && (c->outcome == MG_OUTCOME_PASS || c->outcome == MG_OUTCOME_SKIP))
        fprintf(f, "\n%s\n", c->detail);
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return MG_ENOMEM;
    }
    if (fclose(f) != 0) {
        free(buf);
        return MG_ENOMEM;
    }
    *out = buf;
    return 0;
}

static int write_case(xmlTextWriterPtr w, const mg_report *r, const mg_case *c)
{
    char *cls = NULL, *name = NULL, *summary = NULL;
    const char *slice = mg__case_slice(c);
    const char *test = c->test ? c->test : "";
    const char *message = c->message ? c->message : "";
    const char *body = c->detail ? c->detail : message;
    size_t len = 0, n;
    int error;

    CHECK(classname_part(&cls, &len, r->suite ? r->suite : ""));
    cls[len++] = '.';
    cls[len] = '\0';
    CHECK(classname_part(&cls, &len, test));
    n = strlen(test) + strlen(slice) + 4;
    if ((name = malloc(n)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    snprintf(name, n, "%s [%s]", test, slice);

    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "testcase")));
    CHECK(attr(w, "classname", cls));
    CHECK(attr_clean(w, "name", name, MG__CLEAN_XML | MG__CLEAN_ONE_LINE));
    CHECK(attr_seconds(w, "time", c->seconds));
    switch (c->outcome) {
    case MG_OUTCOME_PASS:
        break;
    case MG_OUTCOME_FAIL:
        CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "failure")));
        CHECK(attr(w, "message", message));
        CHECK(attr(w, "type", c->kind == MG_TEST_DATA_CHECK ? "data" : "statistical"));
        CHECK(text(w, body));
        CHECK(xw(xmlTextWriterEndElement(w)));
        break;
    case MG_OUTCOME_SKIP:
        CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "skipped")));
        CHECK(attr(w, "message", c->message ? c->message : "skipped"));
        CHECK(xw(xmlTextWriterEndElement(w)));
        break;
    default:
        CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "error")));
        CHECK(attr(w, "message", message));
        CHECK(attr(w, "type",
                   c->kind == MG_TEST_DATA_CHECK || c->status == MG_STATUS_DATA_FAILED
                       ? "data"
                       : "undefined"));
        CHECK(text(w, body));
        CHECK(xw(xmlTextWriterEndElement(w)));
        break;
    }
    CHECK(case_summary(c, &summary));
    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "system-out")));
    CHECK(text(w, summary));
    CHECK(xw(xmlTextWriterEndElement(w)));
    CHECK(xw(xmlTextWriterEndElement(w)));

cleanup:
    free(cls);
    free(name);
    free(summary);
    return error;
}

static int write_document(xmlTextWriterPtr w, const mg_report *r)
{
    const char *suite = r->suite ? r->suite : "";
    mg__tally t;
    size_t i;
    int error;

    mg__report_tally(r, &t);
    CHECK(xw(xmlTextWriterSetIndent(w, 1)));
    CHECK(xw(xmlTextWriterSetIndentString(w, BAD_CAST "  ")));
    CHECK(xw(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL)));

    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "testsuites")));
    CHECK(attr(w, "name", suite));
    CHECK(attr_size(w, "tests", t.tests));
    CHECK(attr_size(w, "failures", t.failed));
    CHECK(attr_size(w, "errors", t.errors));
    CHECK(attr_seconds(w, "time", r->seconds));

    CHECK(xw(xmlTextWriterStartElement(w, BAD_CAST "testsuite")));
    CHECK(attr(w, "name", suite));
    CHECK(attr_size(w, "tests", t.tests));
    CHECK(attr_size(w, "failures", t.failed));
    CHECK(attr_size(w, "errors", t.errors));
    CHECK(attr_size(w, "skipped", t.skipped));
    CHECK(attr_seconds(w, "time", r->seconds));
    if (r->timestamp[0] != '\0') {
        char ts[sizeof r->timestamp];
        snprintf(ts, sizeof ts, "%.*s", (int)sizeof r->timestamp - 1, r->timestamp);
        CHECK(attr(w, "timestamp", ts));
    }
    CHECK(attr(w, "id", "0"));
    CHECK(attr(w, "package", suite));

    CHECK(write_properties(w, r));
    for (i = 0; r->cases != NULL && i < r->ncases; i++)
        CHECK(write_case(w, r, &r->cases[i]));

    CHECK(xw(xmlTextWriterEndElement(w))); /* testsuite */
    CHECK(xw(xmlTextWriterEndElement(w))); /* testsuites */
    CHECK(xw(xmlTextWriterEndDocument(w)));
    CHECK(xw(xmlTextWriterFlush(w)));

cleanup:
    return error;
}

/* The whole document into *out (malloc'd, NUL-terminated) and *len. */
static int render(const mg_report *r, char **out, size_t *len)
{
    mg__c_numeric scope = {0};
    xmlBufferPtr buf = NULL;
    xmlTextWriterPtr w = NULL;
    int error;

    *out = NULL;
    if ((error = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    if ((buf = xmlBufferCreate()) == NULL ||
        (w = xmlNewTextWriterMemory(buf, 0)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    if ((error = write_document(w, r)) < 0)
        goto cleanup;
    xmlFreeTextWriter(w);
    w = NULL;
    *len = (size_t)xmlBufferLength(buf);
    if ((*out = malloc(*len + 1)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    memcpy(*out, xmlBufferContent(buf), *len);
    (*out)[*len] = '\0';
    error = 0;

cleanup:
    mg__c_numeric_end(&scope);
    if (w != NULL)
        xmlFreeTextWriter(w);
    if (buf != NULL)
        xmlBufferFree(buf);
    return error;
}

int mg_report_junit_string(const mg_report *r, char **out, mg_error *err)
{
    size_t len;

    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output");
    if (render(r, out, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0,
                            "out of memory writing JUnit XML");
    return 0;
}

int mg_report_write_junit(const mg_report *r, const char *path, mg_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int error;

    if (r == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output path");
    if (render(r, &text, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0,
                            "out of memory writing JUnit XML");
    error = mg_write_file_atomic(path, text, len, err);
    free(text);
    return error;
}
