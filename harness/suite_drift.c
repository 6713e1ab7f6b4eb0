/*
 * The drift tests of a suite file: the `drift` list, each a map read through the
 * table drift_fields and then checked across its keys.
 *
 * A drift test gates one effect size on its upper bound: exactly one of
 * psi_at_most, ks_at_most, js_at_most, wasserstein_at_most (the normalised
 * distance, W / the reference's standard deviation) or cramers_v_at_most. It
 * compares either `columns` of the holdout set with the same columns of the
 * reference (feature or label drift), or a `model`'s scores with the reference
 * file's column of that name (a reference prediction file) or with a `baseline`
 * model's scores on the holdout set (candidate against champion). The reference is
 * the test's own `reference` file, or data.reference. `rule` and `correction` read
 * as they do for metric tests; the correction also adjusts the p-values reported
 * across the test's columns, whatever the rule (Holm by default).
 */
#include <stdlib.h>
#include <string.h>

#include "modelgate/drift.h"
#include "modelgate/suite.h"

#include "harness/suite_fields.h"
#include "harness/yaml.h"

static const char *const rule_names[] = {"strict", "lenient", "estimate", NULL};
/* In mg_correction order after MG_CORRECTION_DEFAULT. */
static const char *const correction_names[] = {"none", "holm", "bonferroni", "bh",
                                               NULL};

/* A column name or a list of them. */
static int read_columns(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj)
{
    mg_drift_spec *d = obj;
    size_t n = v->kind == MG__YAML_SEQUENCE ? v->n : 1;
    int rc;

    (void)f;
    if (v->kind == MG__YAML_SEQUENCE && v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one column");
    if ((d->columns = calloc(n, sizeof *d->columns)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < n; i++) {
        const mg__yaml_node *item = v->kind == MG__YAML_SEQUENCE ? v->items[i] : v;
        const char *name;
        if ((rc = mg__yaml_string(&c->r, item, &name)) < 0 ||
            (rc = mg__suite_copy(c, name, &d->columns[d->ncolumns])) < 0)
            return rc;
        d->ncolumns++;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->columns[j], name) == 0)
                return mg__yaml_fail(&c->r, item, "column '%s' is listed twice", name);
    }
    return 0;
}

/* One of the *_at_most keys: the threshold, f->arg the statistic. */
static int read_threshold(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    mg_drift_spec *d = obj;
    char got[96];
    int rc;

    if (d->statistic >= 0)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "a drift test gates one statistic: %s_at_most is "
                                 "already given (write two tests)",
                                 mg_drift_statistic_name(d->statistic));
    if ((rc = mg__yaml_number(&c->r, v, &d->at_most)) < 0)
        return rc;
    if (!(d->at_most >= 0))
        return mg__yaml_fail(&c->r, v, "expected a non-negative threshold, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    d->statistic = f->arg;
    mg__suite_loc(v, v, NULL, &d->statistic_loc);
    return 0;
}

static int read_rule(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, rule_names, &k);
    if (rc == 0)
        ((mg_drift_spec *)obj)->rule = (mg_rule)k;
    return rc;
}

static int read_correction(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, correction_names, &k);
    if (rc == 0)
        ((mg_drift_spec *)obj)->correction = (mg_correction)(k + 1);
    return rc;
}

static int read_bins(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 2, 1000, &n);
    (void)f;
    if (rc == 0)
        ((mg_drift_spec *)obj)->bins = (size_t)n;
    return rc;
}

#define DRIFT(m) MG__FIELD(mg_drift_spec, m)
static const mg__field drift_fields[] = {
    {"name", .read = mg__field_string, .absent = mg__field_required,
     .value = DRIFT(name)},
    {"columns", .read = read_columns, .loc = DRIFT(columns_loc)},
    {"model", .read = mg__suite_read_model, .value = DRIFT(model),
     .loc = DRIFT(model_loc)},
    {"baseline", .read = mg__suite_read_model, .value = DRIFT(baseline),
     .loc = DRIFT(baseline_loc)},
    {"reference", .read = mg__field_path, .value = DRIFT(reference),
     .loc = DRIFT(reference_loc)},
    {"psi_at_most", .read = read_threshold, .arg = MG_DRIFT_PSI},
    {"ks_at_most", .read = read_threshold, .arg = MG_DRIFT_KS},
    {"js_at_most", .read = read_threshold, .arg = MG_DRIFT_JS},
    {"wasserstein_at_most", .read = read_threshold, .arg = MG_DRIFT_WASSERSTEIN_NORM},
    {"cramers_v_at_most", .read = read_threshold, .arg = MG_DRIFT_CRAMERS_V},
    {"rule", .read = read_rule},
    {"correction", .read = read_correction},
    {"bins", .read = read_bins},
    {.name = NULL},
};
MG__FIELDS_FIT(drift_fields);

const mg__field *mg__suite_drift_fields(void)
{
    return drift_fields;
}

/* Checks across the keys of a drift test, after they are read. */
static int check_drift(mg__suite_ctx *c, const mg__yaml_node *v, mg_drift_spec *d)
{
    const mg__yaml_node *cols = mg__yaml_get(v, "columns"),
                        *model = mg__yaml_get(v, "model"),
                        *base = mg__yaml_get(v, "baseline");

    if (d->statistic < 0)
        return mg__yaml_fail(&c->r, v,
                             "a drift test needs one of psi_at_most, ks_at_most, "
                             "js_at_most, wasserstein_at_most or cramers_v_at_most");
    if (cols == NULL && model == NULL)
        return mg__yaml_fail(&c->r, v,
                             "a drift test needs columns (feature or label drift) or "
                             "a model (prediction drift)");
    if (cols != NULL && model != NULL)
        return mg__yaml_fail(&c->r, model,
                             "a drift test compares columns or a model's scores, not "
                             "both; write two tests");
    if (base != NULL && model == NULL)
        return mg__yaml_fail(&c->r, base, "baseline needs a model to compare with it");
    if (base != NULL && strcmp(d->baseline, d->model) == 0)
        return mg__yaml_fail(&c->r, base, "baseline must differ from the model ('%s')",
                             d->model);
    if (base != NULL && mg__yaml_get(v, "reference") != NULL)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "reference"),
                             "a model compared with a baseline needs no reference");
    if (base == NULL && d->reference == NULL && c->suite->data.reference == NULL)
        return mg__yaml_fail(&c->r, v,
                             "a drift test needs a reference: data.reference or the "
                             "test's own reference");
    return 0;
}

static int read_drift(mg__suite_ctx *c, const mg__yaml_node *v, mg_drift_spec *d)
{
    int rc;

    mg__suite_loc(v, v, NULL, &d->loc);
    d->statistic = -1;
    d->bins = 10;
    if ((rc = mg__suite_section(c, v, drift_fields, NULL, "key", d)) < 0)
        return rc;
    return check_drift(c, v, d);
}

int mg__suite_drift(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                    void *obj)
{
    mg_suite *s = obj;
    int rc;

    (void)f;
    if ((rc = mg__yaml_list(&c->r, v)) < 0 || v->n == 0)
        return rc;
    if ((s->drift = calloc(v->n, sizeof *s->drift)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        if ((rc = read_drift(c, v->items[i], &s->drift[s->ndrift++])) < 0)
            return rc;
        for (size_t j = 0; j < s->ntests; j++)
            if (strcmp(s->tests[j].name, s->drift[i].name) == 0)
                return mg__yaml_fail(&c->r, mg__yaml_get(v->items[i], "name"),
                                     "test name '%s' is already used under tests",
                                     s->drift[i].name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->drift[j].name, s->drift[i].name) == 0)
                return mg__yaml_fail(&c->r, mg__yaml_get(v->items[i], "name"),
                                     "duplicate drift test name '%s' (first at "
                                     "drift[%zu])",
                                     s->drift[i].name, j);
    }
    return 0;
}

void mg__suite_drift_free(mg_suite *s)
{
    for (size_t i = 0; i < s->ndrift; i++) {
        mg_drift_spec *d = &s->drift[i];
        for (size_t j = 0; j < d->ncolumns; j++)
            free(d->columns[j]);
        free(d->columns);
        free(d->name);
        free(d->model);
        free(d->baseline);
        free(d->reference);
    }
    free(s->drift);
    s->drift = NULL;
    s->ndrift = 0;
}
