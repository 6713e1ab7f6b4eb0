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
 *
 * The layout is versioned ("schema": 1, docs/json.md lists every field, and
 * tests/test_report.c checks the list against what this file emits). Schema 1 kept
 * every field of the unversioned layout and appended the case's kinds and numbers
 * (kind, status, thresholds by name, direction, the interval method computed, the
 * correction, the checks), so that no reader has to parse a message: `threshold`
 * alone meant a floor, a ceiling or a margin depending on the test.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelgate/drift.h"
#include "modelgate/report.h"
#include "modelgate/version.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

#define DUMP_FLAGS (JSON_REAL_PRECISION(17) | JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* The version of the document's layout (docs/json.md): it goes up when a field
 * changes meaning or disappears, not when one is added. */
#define MG__JSON_SCHEMA 1

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

/* Names of the case's kinds in schema 1 (docs/json.md); NULL reads as null. */
static const char *kind_name(mg_test_kind k)
{
    switch (k) {
    case MG_TEST_THRESHOLD:
        return "threshold";
    case MG_TEST_COMPARISON:
        return "comparison";
    case MG_TEST_GAP:
        return "gap";
    case MG_TEST_RATIO:
        return "ratio";
    case MG_TEST_VS_OVERALL:
        return "vs_overall";
    case MG_TEST_WEAK_SLICE:
        return "weak_slice";
    case MG_TEST_DATA_CHECK:
        return "data_check";
    case MG_TEST_DRIFT:
        return "drift";
    default:
        return "suite";
    }
}

static const char *status_name(mg_case_status s)
{
    switch (s) {
    case MG_STATUS_DECIDED:
        return "decided";
    case MG_STATUS_TOO_SMALL:
        return "too_small";
    case MG_STATUS_UNDEFINED:
        return "undefined";
    case MG_STATUS_BASELINE_UNDEFINED:
        return "baseline_undefined";
    case MG_STATUS_NO_INTERVAL:
        return "no_interval";
    case MG_STATUS_NO_TESTS:
        return "no_tests";
    case MG_STATUS_ALL_SKIPPED:
        return "all_skipped";
    case MG_STATUS_NO_EVIDENCE:
        return "no_evidence";
    case MG_STATUS_CHECKED:
        return "checked";
    case MG_STATUS_NOT_CHECKED:
        return "not_checked";
    case MG_STATUS_DATA_FAILED:
        return "data_failed";
    default:
        return NULL;
    }
}

static const char *method_name(mg_ci_method m)
{
    switch (m) {
    case MG_CI_BCA:
        return "bca";
    case MG_CI_BC:
        return "bc";
    case MG_CI_PERCENTILE:
        return "percentile";
    case MG_CI_BASIC:
        return "basic";
    case MG_CI_WILSON:
        return "wilson";
    case MG_CI_DELONG:
        return "delong";
    case MG_CI_CLOPPER_PEARSON:
        return "clopper_pearson";
    case MG_CI_MAX_T:
        return "max_t";
    case MG_CI_DELONG_LOGIT:
        return "delong_logit";
    case MG_CI_NORMAL:
        return "normal";
    default:
        return NULL;
    }
}

static const char *comparison_name(mg_comparison c)
{
    switch (c) {
    case MG_COMPARE_NON_INFERIOR:
        return "non_inferior";
    case MG_COMPARE_SUPERIOR:
        return "superior";
    case MG_COMPARE_EQUIVALENT:
        return "equivalent";
    default:
        return NULL;
    }
}

static const char *correction_name(mg_correction c)
{
    switch (c) {
    case MG_CORRECTION_HOLM:
        return "holm";
    case MG_CORRECTION_BONFERRONI:
        return "bonferroni";
    case MG_CORRECTION_BH:
        return "bh";
    default:
        return "none";
    }
}

static const char *finding_name(mg_finding f)
{
    switch (f) {
    case MG_FINDING_PASS:
        return "pass";
    case MG_FINDING_CLEAR_FAIL:
        return "clear_fail";
    case MG_FINDING_INCONCLUSIVE:
        return "inconclusive";
    default:
        return "lenient_pass";
    }
}

static const char *bound_name(mg_bound b)
{
    switch (b) {
    case MG_BOUND_LOWER:
        return "lower";
    case MG_BOUND_UPPER:
        return "upper";
    default:
        return "estimate";
    }
}

/* A static name as a JSON string, or null. */
static json_t *name(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *boolean(int present, int v)
{
    return present ? json_boolean(v) : json_null();
}

static json_t *check_json(const mg_check *k)
{
    json_t *o = json_object();
    int error;

    if (o == NULL)
        return NULL;
    CHECK(set(o, "bound", name(bound_name(k->bound))));
    CHECK(set(o, "value", num(1, k->value)));
    CHECK(set(o, "threshold", num(1, k->threshold)));
    CHECK(set(o, "passing_side", name(k->above ? "above" : "below")));
    CHECK(set(o, "inclusive", json_boolean(!k->open)));
    CHECK(set(o, "passed", json_boolean(k->passed)));
    CHECK(set(o, "finding", name(finding_name(k->finding))));
    return o;

cleanup:
    json_decref(o);
    return NULL;
}

/*
 * The fields schema 1 added to a case, after the original ones: the case as kinds
 * and numbers, so that a reader needs no message to know what was decided and how.
 */
static int case_schema_json(json_t *o, const mg_case *c)
{
    int across = c->kind == MG_TEST_GAP || c->kind == MG_TEST_RATIO;
    int threshold = c->kind == MG_TEST_THRESHOLD || c->kind == MG_TEST_DRIFT ||
                    (across && !c->has_delta) ||
                    (c->kind == MG_TEST_DATA_CHECK && c->status == MG_STATUS_DECIDED);
    int comparison = c->kind == MG_TEST_COMPARISON || c->kind == MG_TEST_VS_OVERALL ||
                     c->kind == MG_TEST_WEAK_SLICE || (across && c->has_delta);
    int weak = c->kind == MG_TEST_WEAK_SLICE;
    int suite = c->kind == MG_TEST_SUITE || c->kind == MG_TEST_DATA_CHECK;
    json_t *checks = NULL;
    size_t i;
    int error;

    CHECK(set(o, "kind", name(kind_name(c->kind))));
    CHECK(set(o, "status", name(status_name(c->status))));
    CHECK(set(o, "direction",
              name(c->direction > 0   ? "higher"
                   : c->direction < 0 ? "lower"
                                      : NULL)));
    CHECK(set(o, "at_least", num(threshold && c->has_at_least, c->at_least)));
    CHECK(set(o, "at_most", num(threshold && c->has_at_most, c->at_most)));
    CHECK(
        set(o, "comparison", name(comparison ? comparison_name(c->comparison) : NULL)));
    CHECK(set(o, "margin", num(comparison && c->has_threshold, c->margin)));
    CHECK(set(o, "relative", boolean(comparison, c->relative)));
    CHECK(set(o, "sign_adjusted", boolean(c->has_delta, c->direction < 0)));
    CHECK(set(o, "baseline_estimate",
              num(comparison && c->has_baseline_estimate, c->baseline_estimate)));
    CHECK(set(o, "method", name(method_name(c->method))));
    CHECK(set(o, "correction", name(correction_name(c->correction))));
    CHECK(
        set(o, "family_size", c->family_size > 0 ? u64(c->family_size) : json_null()));
    CHECK(set(o, "family_p_value", num(c->has_family_p, c->family_p)));
    CHECK(set(o, "family_p_adjusted", num(c->has_family_p, c->family_p_adjusted)));
    CHECK(set(o, "gap_high_slice", str(across ? c->gap_high : NULL)));
    CHECK(set(o, "gap_high_value", num(across && c->gap_high, c->gap_high_value)));
    CHECK(set(o, "gap_low_slice", str(across ? c->gap_low : NULL)));
    CHECK(set(o, "gap_low_value", num(across && c->gap_low, c->gap_low_value)));
    CHECK(set(o, "gap_slices", across ? u64(c->gap_slices) : json_null()));
    CHECK(set(o, "gap_left_out", across ? u64(c->gap_left_out) : json_null()));
    CHECK(set(o, "weak_rank", weak && c->weak_rank ? u64(c->weak_rank) : json_null()));
    CHECK(set(o, "weak_explained_by", str(weak ? c->weak_explained_by : NULL)));
    CHECK(set(o, "weak_candidates", weak ? u64(c->weak_candidates) : json_null()));
    CHECK(set(o, "min_size", suite ? json_null() : json_integer(c->min_size)));
    CHECK(set(o, "replicates", u64(c->replicates)));
    CHECK(set(o, "replicates_undefined", u64(c->replicates_undefined)));
    CHECK(set(o, "degenerate", json_boolean(c->degenerate)));
    CHECK(set(o, "reason", str(c->reason)));
    CHECK(set(o, "bound_level", num(c->bound_level > 0, c->bound_level)));
    CHECK(set(o, "effective_size",
              (suite && !threshold) || c->status == MG_STATUS_TOO_SMALL
                  ? json_null()
                  : u64(c->effective_size)));
    CHECK(set(o, "replicates_needed",
              c->replicates_needed ? u64(c->replicates_needed) : json_null()));
    CHECK(set(o, "p_value_adjusted", num(c->has_p_adjusted, c->p_adjusted)));
    CHECK(set(o, "p_correction",
              name(c->has_p_adjusted ? correction_name(c->p_correction) : NULL)));
    if ((checks = json_array()) == NULL)
        return MG_ENOMEM;
    for (i = 0; c->status == MG_STATUS_DECIDED && i < c->nchecks && i < 2; i++)
        CHECK(append(checks, check_json(&c->checks[i])));
    error = set(o, "checks", checks);
    checks = NULL;
    if (error == 0)
        error = set(o, "warning", str(c->warning));
    if (error == 0)
        error = set(o, "reliable_from",
                    c->reliable_from ? u64(c->reliable_from) : json_null());
    if (error == 0)
        error = set(o, "reliable_widen", num(c->reliable_from > 0, c->reliable_widen));

cleanup:
    json_decref(checks);
    return error;
}

static json_t *case_json(const mg_case *c)
{
    json_t *o = json_object();
    int delta_ci = mg__case_has_delta_ci(c);
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
    CHECK(set(o, "delta_ci_low", num(delta_ci, c->delta_ci_low)));
    CHECK(set(o, "delta_ci_high", num(delta_ci, c->delta_ci_high)));
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
    CHECK(case_schema_json(o, c));
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
    CHECK(set(o, "missing_dropped", u64(in->missing_dropped)));
    CHECK(set(o, "extra_ignored", u64(in->extra_ignored)));
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
    CHECK(set(o, "schema", json_integer(MG__JSON_SCHEMA)));
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
    if ((a = json_array()) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    for (i = 0; r->warnings != NULL && i < r->nwarnings; i++)
        CHECK(append(a, str(r->warnings[i])));
    error = set(o, "warnings", a);
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

/* ---- Drift tables (modelgate drift) ----------------------------------------- */

static int drift_value_json(json_t *col, const mg_drift_value *v, const char *name)
{
    json_t *o = json_object();
    int error;
    if (o == NULL)
        return MG_ENOMEM;
    if ((error = set(col, name, o)) < 0)
        return error;
    if ((error = set(o, "value", num(v->has_value, v->value))) < 0 ||
        (error = set(o, "ci_low", num(v->has_ci, v->ci_low))) < 0 ||
        (error = set(o, "ci_high", num(v->has_ci, v->ci_high))) < 0)
        return error;
    return 0;
}

static int drift_column_json(json_t *cols, const mg_drift_column *c)
{
    json_t *o = json_object();
    int error;
    if ((error = append(cols, o)) < 0)
        return error;
    CHECK(set(o, "column", str(c->name)));
    CHECK(set(o, "type", json_string(c->categorical ? "category" : "number")));
    CHECK(set(o, "n_reference", u64(c->n_reference)));
    CHECK(set(o, "n_current", u64(c->n_current)));
    CHECK(set(o, "missing_reference", u64(c->missing_reference)));
    CHECK(set(o, "missing_current", u64(c->missing_current)));
    CHECK(set(o, c->categorical ? "categories" : "bins", u64(c->bins)));
    if (c->categorical)
        CHECK(set(o, "new_categories", u64(c->new_categories)));
    else
        CHECK(set(o, "reference_sd", num(1, c->reference_sd)));
    for (int s = 0; s < MG_DRIFT_STATISTIC_COUNT; s++)
        if (c->stat[s].has_value)
            CHECK(drift_value_json(o, &c->stat[s],
                                   mg_drift_statistic_name((mg_drift_statistic)s)));
    CHECK(set(o, "p_value", num(c->has_p_value, c->p_value)));
    CHECK(set(o, "p_value_holm", num(c->has_p_value, c->p_adjusted)));
    CHECK(set(o, "p_method", str(c->p_method)));
    if (c->categorical)
        CHECK(set(o, "chi2_df", num(1, c->chi2_df)));
    return 0;
cleanup:
    return error;
}

static int drift_json(const mg_drift_table *t, json_t **out)
{
    json_t *root = json_object(), *opts = json_object(), *cols = json_array();
    int error;

    *out = root;
    if (root == NULL || opts == NULL || cols == NULL) {
        json_decref(opts);
        json_decref(cols);
        return MG_ENOMEM;
    }
    CHECK(set(root, "schema", json_integer(1)));
    CHECK(set(root, "tool_version", str(mg_version())));
    CHECK(set(root, "reference", str(t->reference)));
    CHECK(set(root, "reference_sha256", str(t->reference_sha256)));
    CHECK(set(root, "reference_rows", u64(t->reference_rows)));
    CHECK(set(root, "current", str(t->current)));
    CHECK(set(root, "current_sha256", str(t->current_sha256)));
    CHECK(set(root, "current_rows", u64(t->current_rows)));
    CHECK(set(root, "options", opts));
    CHECK(set(opts, "bins", u64(t->options.bins)));
    CHECK(set(opts, "psi_floor", num(1, t->options.psi_floor)));
    CHECK(set(opts, "replicates", u64(t->options.replicates)));
    CHECK(set(opts, "confidence", num(1, t->options.confidence)));
    CHECK(set(opts, "interval",
              json_string(t->options.interval == MG_INTERVAL_BASIC ? "basic"
                          : t->options.interval == MG_INTERVAL_BCA ? "bc"
                                                                   : "percentile")));
    CHECK(set(opts, "seed", u64(t->options.seed)));
    CHECK(set(root, "sorted_by", str(mg_drift_statistic_name(t->sort_by))));
    CHECK(set(root, "seconds", num(1, t->seconds)));
    CHECK(set(root, "columns", cols));
    for (size_t i = 0; i < t->ncolumns; i++)
        CHECK(drift_column_json(cols, &t->columns[i]));
    {
        json_t *un = json_array();
        CHECK(set(root, "not_compared", un));
        for (size_t i = 0; i < t->nunshared; i++)
            CHECK(append(un, str(t->unshared[i])));
    }
    {
        json_t *ids = json_array();
        CHECK(set(root, "ids_not_compared", ids));
        for (size_t i = 0; i < t->nids; i++)
            CHECK(append(ids, str(t->ids[i])));
    }
    return 0;
cleanup:
    return error;
}

int mg_drift_table_json(const mg_drift_table *t, char **out, mg_error *err)
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
    if ((error = drift_json(t, &root)) < 0)
        goto cleanup;
    if ((s = json_dumps(root, DUMP_FLAGS)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    if ((*out = malloc(strlen(s) + 2)) == NULL) {
        error = MG_ENOMEM;
        goto cleanup;
    }
    sprintf(*out, "%s\n", s);
    error = 0;
cleanup:
    if (s != NULL) {
        json_get_alloc_funcs(&jmalloc, &jfree);
        jfree(s);
    }
    json_decref(root);
    mg__c_numeric_end(&scope);
    return error < 0
               ? mg_error_set(err, error, NULL, 0, 0, "out of memory writing JSON")
               : 0;
}
