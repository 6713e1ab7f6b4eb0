/*
 * JSON reporter (jansson).
 *
 * The JSON file is the machine-readable record of everything a run computed, so its
 * first duty is that numbers survive the trip: a dashboard that reads ci_low back must
 * get the very double modelgate compared with the threshold. jansson prints reals with
 * "%.{N}g"; JSON_REAL_PRECISION(17) makes N = 17, enough for any IEEE double to read
 * back exactly with strtod (17 significant digits always identify a double). The price
 * is that 0.1 prints as 0.10000000000000001; readers that want short numbers round.
 * jansson also keeps "1.0" as a real, so types survive too.
 *
 * Absent values are null, never NaN or a sentinel: JSON has no NaN, and jansson's
 * json_real refuses non-finite values by returning NULL. num() below turns every
 * non-finite double into null, so a stray NaN from upstream cannot make the writer
 * fail or emit invalid JSON. Integers are json_int_t (64-bit signed); a seed above
 * 2^63 - 1 is written as a decimal string rather than wrapped to a negative number.
 *
 * Strings must be valid UTF-8 for jansson (json_string returns NULL otherwise), so
 * each is first passed through the UTF-8 cleaner (xmlclean.c) without the XML flag:
 * control characters are legal in JSON (jansson escapes them as \u00XX) and are kept,
 * only ill-formed bytes become U+FFFD.
 *
 * The summary counts are recomputed from the cases, as in every reporter. Keys appear
 * in a fixed order (JSON_PRESERVE_ORDER) so that two runs diff line by line.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelgate/report.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

#define DUMP_FLAGS (JSON_REAL_PRECISION(17) | JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* A JSON string of s after UTF-8 cleaning, json null when s is NULL; NULL when out
 * of memory. */
static json_t *str(const char *s)
{
    char *clean = NULL;
    json_t *v;

    if (s == NULL)
        return json_null();
    if (mg__text_clean(s, 0, &clean) < 0)
        return NULL;
    v = json_string(clean);
    free(clean);
    return v;
}

/* A real, or null when absent or not finite. */
static json_t *num(int present, double v)
{
    if (!present || !isfinite(v))
        return json_null();
    return json_real(v);
}

static json_t *u64(uint64_t v)
{
    char buf[32];

#if JSON_INTEGER_IS_LONG_LONG
    const uint64_t max = (uint64_t)LLONG_MAX;
#else
    const uint64_t max = (uint64_t)LONG_MAX;
#endif

    if (v <= max)
        return json_integer((json_int_t)v);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return json_string(buf);
}

/* Set obj[key] = v, taking v's reference even on failure (json_object_set_new
 * releases it then). */
static int set(json_t *obj, const char *key, json_t *v)
{
    if (v == NULL)
        return MG_ENOMEM;
    return json_object_set_new(obj, key, v) == 0 ? 0 : MG_ENOMEM;
}

static int append(json_t *array, json_t *v)
{
    if (v == NULL)
        return MG_ENOMEM;
    return json_array_append_new(array, v) == 0 ? 0 : MG_ENOMEM;
}

#define CHECK(expr)                                                                    \
    do {                                                                               \
        if ((error = (expr)) < 0)                                                      \
            goto cleanup;                                                              \
    } while (0)

static json_t *case_json(const mg_case *c)
{
    json_t *o = json_object();
    int error;

    if (o == NULL)
        return NULL;
    CHECK(set(o, "test", str(c->test)));
    CHECK(set(o, "metric", str(c->metric)));
    CHECK(set(o, "model", str(c->model)));
    CHECK(set(o, "baseline", str(c->baseline)));
    CHECK(set(o, "slicing", str(c->slicing)));
    CHECK(set(o, "slice", str(mg__case_slice(c))));
    CHECK(set(o, "n", u64(c->n)));
    CHECK(set(o, "estimate", num(c->has_estimate, c->estimate)));
    CHECK(set(o, "ci_low", num(c->has_ci, c->ci_low)));
    CHECK(set(o, "ci_high", num(c->has_ci, c->ci_high)));
    CHECK(set(o, "delta", num(c->has_delta, c->delta)));
    CHECK(set(o, "delta_ci_low", num(c->has_delta, c->delta_ci_low)));
    CHECK(set(o, "delta_ci_high", num(c->has_delta, c->delta_ci_high)));
    CHECK(set(o, "p_value", num(c->has_p_value, c->p_value)));
    CHECK(set(o, "p_method", str(c->p_method)));
    CHECK(set(o, "threshold", num(c->has_threshold, c->threshold)));
    CHECK(set(o, "rule", str(c->rule)));
    CHECK(set(o, "interval", str(c->interval)));
    CHECK(set(o, "confidence", num(1, c->confidence)));
    CHECK(set(o, "outcome", json_string(mg__outcome_name(c->outcome))));
    CHECK(set(o, "message", str(c->message)));
    CHECK(set(o, "detail", str(c->detail)));
    CHECK(set(o, "seconds", num(1, c->seconds)));
    return o;

cleanup:
    json_decref(o);
    return NULL;
}

static json_t *metric_json(const mg_metric_entry *m)
{
    json_t *o = json_object();
    int error;

    if (o == NULL)
        return NULL;
    CHECK(set(o, "model", str(m->model)));
    CHECK(set(o, "slicing", str(m->slicing)));
    CHECK(set(o, "slice", str(m->slice)));
    CHECK(set(o, "metric", str(m->metric)));
    CHECK(set(o, "n", u64(m->n)));
    CHECK(set(o, "estimate", num(m->has_estimate, m->estimate)));
    CHECK(set(o, "ci_low", num(m->has_ci, m->ci_low)));
    CHECK(set(o, "ci_high", num(m->has_ci, m->ci_high)));
    CHECK(set(o, "reason", str(m->reason)));
    CHECK(set(o, "undefined_replicates", u64(m->undefined_replicates)));
    return o;

cleanup:
    json_decref(o);
    return NULL;
}

static json_t *input_json(const mg_input_file *in)
{
    json_t *o = json_object();
    char sha[65];
    int error;

    if (o == NULL)
        return NULL;
    snprintf(sha, sizeof sha, "%.64s", in->sha256);
    CHECK(set(o, "role", str(in->role)));
    CHECK(set(o, "path", str(in->path)));
    CHECK(set(o, "rows", u64(in->rows)));
    CHECK(set(o, "sha256", str(sha)));
    return o;

cleanup:
    json_decref(o);
    return NULL;
}

/* The whole report as a JSON object in *out. */
static int report_json(const mg_report *r, json_t **out)
{
    json_t *o = json_object(), *a = NULL, *summary = NULL;
    char ts[sizeof r->timestamp];
    mg__tally t;
    size_t i;
    int error;

    *out = NULL;
    if (o == NULL)
        return MG_ENOMEM;
    mg__report_tally(r, &t);
    snprintf(ts, sizeof ts, "%.*s", (int)sizeof r->timestamp - 1, r->timestamp);
    CHECK(set(o, "suite", str(r->suite)));
    CHECK(set(o, "suite_path", str(r->suite_path)));
    CHECK(set(o, "tool_version", str(r->tool_version)));
    CHECK(set(o, "timestamp", ts[0] ? str(ts) : json_null()));
    CHECK(set(o, "seed", u64(r->seed)));
    CHECK(set(o, "replicates", u64(r->replicates)));
    CHECK(set(o, "confidence", num(1, r->confidence)));
    CHECK(set(o, "interval", str(r->interval)));
    CHECK(set(o, "resampler", str(r->resampler)));
    CHECK(set(o, "stratify", str(r->stratify)));
    CHECK(set(o, "cluster", str(r->cluster)));

    if ((a = json_array()) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    for (i = 0; r->inputs != NULL && i < r->ninputs; i++)
        CHECK(append(a, input_json(&r->inputs[i])));
    error = set(o, "inputs", a);
    a = NULL;
    CHECK(error);

    if ((summary = json_object()) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    CHECK(set(summary, "tests", u64(t.tests)));
    CHECK(set(summary, "passed", u64(t.passed)));
    CHECK(set(summary, "failed", u64(t.failed)));
    CHECK(set(summary, "skipped", u64(t.skipped)));
    CHECK(set(summary, "errors", u64(t.errors)));
    error = set(o, "summary", summary);
    summary = NULL;
    CHECK(error);
    CHECK(set(o, "seconds", num(1, r->seconds)));

    if ((a = json_array()) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    for (i = 0; r->cases != NULL && i < r->ncases; i++)
        CHECK(append(a, case_json(&r->cases[i])));
    error = set(o, "cases", a);
    a = NULL;
    CHECK(error);

    if ((a = json_array()) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    for (i = 0; r->metrics != NULL && i < r->nmetrics; i++)
        CHECK(append(a, metric_json(&r->metrics[i])));
    error = set(o, "metrics", a);
    a = NULL;
    CHECK(error);

    *out = o;
    o = NULL;

cleanup:
    json_decref(a);
    json_decref(summary);
    json_decref(o);
    return error;
}

/* Render the report; *out is malloc'd (not jansson's allocator). */
static int render(const mg_report *r, char **out, size_t *len)
{
    mg__c_numeric scope = {0};
    json_t *root = NULL;
    json_malloc_t jmalloc;
    json_free_t jfree;
    char *s = NULL;
    int error;

    *out = NULL;
    if ((error = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    if ((error = report_json(r, &root)) < 0)
        goto cleanup;
    if ((s = json_dumps(root, DUMP_FLAGS)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    *len = strlen(s);
    if ((*out = malloc(*len + 1)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    memcpy(*out, s, *len + 1);
    error = 0;

cleanup:
    if (s != NULL) {
        json_get_alloc_funcs(&jmalloc, &jfree);
        jfree(s);
    }
    json_decref(root);
    mg__c_numeric_end(&scope);
    return error;
}

int mg_report_json_string(const mg_report *r, char **out, mg_error *err)
{
    size_t len;
    int error;

    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output");
    if ((error = render(r, out, &len)) < 0)
        return mg_error_set(err, error, NULL, 0, 0, "out of memory writing JSON");
    return 0;
}

int mg_report_write_json(const mg_report *r, const char *path, mg_error *err)
{
    char *s = NULL, *grown;
    size_t len = 0;
    int error;

    if (r == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no report or output path");
    if ((error = render(r, &s, &len)) < 0)
        return mg_error_set(err, error, path, 0, 0, "out of memory writing JSON");
    if ((grown = realloc(s, len + 2)) == NULL) {
        free(s);
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory writing JSON");
    }
    s = grown;
    s[len++] = '\n'; /* a text file ends with a newline */
    s[len] = '\0';
    error = mg_write_file_atomic(path, s, len, err);
    free(s);
    return error;
}
