/*
 * The tests of a suite file: the `tests` list of DESIGN.md, each a map read through
 * the table test_fields (harness/suite_fields.h) and then checked across its keys.
 *
 * A test is a threshold test (at_least, at_most) or a comparison with a baseline
 * model (one of non_inferior, superior, equivalent, with a margin); it names a
 * metric, optionally a model (by default "candidate") and a slicing. References are
 * checked where they are written, since models and slices are read before tests:
 * an undeclared model, baseline or slicing is reported at the test's key with the
 * nearest declared name. Checks that involve several keys run after every key is
 * read, in the order of test_checks, so that an error about a single value always
 * comes first.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "modelgate/metrics.h"
#include "modelgate/suite.h"

#include "harness/suite_fields.h"
#include "harness/yaml.h"

static const char *const rule_names[] = {"strict", "lenient", "estimate", NULL};
/* In mg_correction order after MG_CORRECTION_DEFAULT. */
static const char *const correction_names[] = {"none", "holm", "bonferroni", "bh",
                                               NULL};

/*
 * Other names of our metrics, as scikit-learn (its functions and its scorer names)
 * and common usage spell them. They are suggested, never accepted: a suite reads the
 * same in every version, and one name per metric keeps reports comparable.
 */
static const struct metric_alias {
    const char *alias, *metric;
} metric_aliases[] = {
    {"roc_auc", "auc"},
    {"roc_auc_score", "auc"},
    {"auroc", "auc"},
    {"auc_roc", "auc"},
    {"f1_score", "f1"},
    {"accuracy_score", "accuracy"},
    {"precision_score", "precision"},
    {"ppv", "precision"},
    {"recall_score", "recall"},
    {"sensitivity", "recall"},
    {"tpr", "recall"},
    {"true_positive_rate", "recall"},
    {"tnr", "specificity"},
    {"true_negative_rate", "specificity"},
    {"average_precision_score", "average_precision"},
    {"pr_auc", "average_precision"},
    {"neg_log_loss", "log_loss"},
    {"logloss", "log_loss"},
    {"cross_entropy", "log_loss"},
    {"brier_score_loss", "brier"},
    {"brier_score", "brier"},
    {"neg_brier_score", "brier"},
    {"matthews_corrcoef", "mcc"},
    {"balanced_accuracy_score", "balanced_accuracy"},
};

/* Our name for `name` when it is another spelling of a metric (any case), or NULL. */
static const char *metric_alias(const char *name)
{
    size_t i;
    int m;

    for (i = 0; i < sizeof metric_aliases / sizeof metric_aliases[0]; i++)
        if (strcasecmp(name, metric_aliases[i].alias) == 0)
            return metric_aliases[i].metric;
    for (m = 0; m < MG_METRIC_COUNT; m++)
        if (strcasecmp(name, mg_metric_name((mg_metric)m)) == 0)
            return mg_metric_name((mg_metric)m);
    return NULL;
}

static int read_metric(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    mg_test_spec *t = obj;
    mg__yaml_nearest best = MG__YAML_NEAREST_INIT;
    char shown[MG__YAML_CLIP_SIZE], extra[128];
    const char *name, *alias;
    int rc, m;

    (void)f;
    if ((rc = mg__yaml_string(&c->r, v, &name)) < 0)
        return rc;
    if ((t->metric = mg_metric_for_task(name, c->suite->task)) >= 0)
        return 0;
    if (mg_metric_from_name(name) >= 0)
        return mg__yaml_fail(&c->r, v,
                             "%s is not a %s metric (docs/metrics.md lists "
                             "each task's metrics)",
                             mg__yaml_clip(name, strlen(name), shown),
                             c->suite->task == MG_TASK_MULTICLASS ? "multiclass"
                                                                  : "binary");
    if ((alias = metric_alias(name)) != NULL)
        return mg__yaml_fail(&c->r, v, "unknown metric '%s' (did you mean '%s'?)",
                             mg__yaml_clip(name, strlen(name), shown), alias);
    for (m = 0; m < MG_METRIC_COUNT; m++)
        mg__yaml_nearest_consider(&best, name, mg_metric_name((mg_metric)m));
    return mg__yaml_fail(&c->r, v, "unknown metric '%s'%s",
                         mg__yaml_clip(name, strlen(name), shown),
                         mg__yaml_hint(&best, extra, sizeof extra));
}

static const char *model_name(const mg_suite *s, size_t i)
{
    return s->models[i].name;
}

static const char *slicing_name(const mg_suite *s, size_t i)
{
    return s->slicings[i].name;
}

/* A name the suite declared under `section` (found by `index`, listed by `name_at`
 * for the suggestion), copied into the field's string. */
static int read_declared(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj, const char *what, const char *section,
                         long (*index)(const mg_suite *, const char *),
                         const char *(*name_at)(const mg_suite *, size_t), size_t n)
{
    mg__yaml_nearest best = MG__YAML_NEAREST_INIT;
    char shown[MG__YAML_CLIP_SIZE], extra[128];
    const char *name;
    int rc;

    if ((rc = mg__yaml_string(&c->r, v, &name)) < 0)
        return rc;
    if (index(c->suite, name) < 0) {
        for (size_t i = 0; i < n; i++)
            mg__yaml_nearest_consider(&best, name, name_at(c->suite, i));
        return mg__yaml_fail(&c->r, v, "%s '%s' is not declared under %s%s", what,
                             mg__yaml_clip(name, strlen(name), shown), section,
                             mg__yaml_hint(&best, extra, sizeof extra));
    }
    return mg__suite_copy(c, name, MG__FIELD_AT(char *, obj, f->value));
}

/* A model declared under models: (shared with the data checks, suite_fields.h). */
int mg__suite_read_model(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    return read_declared(c, f, v, obj, "model", "models", mg_suite_model, model_name,
                         c->suite->nmodels);
}

/* The model under test defaults to "candidate"; the default's location is the test
 * itself, under the key that would change it. */
static int default_model(mg__suite_ctx *c, const mg__field *f,
                         const mg__yaml_node *test, void *obj)
{
    mg_test_spec *t = obj;

    mg__suite_loc(test, test, f->name, &t->model_loc);
    if (mg_suite_model(c->suite, "candidate") < 0)
        return mg__yaml_fail(&c->r, test, "no model 'candidate' (set tests[%zu].model)",
                             test->index);
    return mg__suite_copy(c, "candidate", &t->model);
}

static int read_baseline(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    mg_test_spec *t = obj;
    char shown[MG__YAML_CLIP_SIZE];
    int rc;

    if ((rc = mg__suite_read_model(c, f, v, obj)) < 0)
        return rc;
    if (strcmp(t->baseline, t->model) == 0)
        return mg__yaml_fail(&c->r, v,
                             "baseline must differ from the model under test ('%s')",
                             mg__yaml_clip(t->model, strlen(t->model), shown));
    return 0;
}

/* A slicing declared under slices:. */
static int read_slicing_name(mg__suite_ctx *c, const mg__field *f,
                             const mg__yaml_node *v, void *obj)
{
    return read_declared(c, f, v, obj, "slicing", "slices", mg_suite_slicing,
                         slicing_name, c->suite->nslicings);
}

/* rule: strict, lenient or estimate into the mg_rule at value (shared with the data
 * checks' prevalence band, suite_fields.h). */
int mg__suite_read_rule(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, rule_names, &k);

    if (rc == 0)
        *MG__FIELD_AT(mg_rule, obj, f->value) = (mg_rule)k;
    return rc;
}

/* non_inferior, superior or equivalent (at most one): the margin, f->arg the kind. */
static int read_comparison(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    mg_test_spec *t = obj;
    char got[96];
    int rc;

    if (t->comparison != MG_COMPARE_NONE)
        return mg__yaml_fail_key(
            &c->r, v->key, v, NULL,
            "only one of non_inferior, superior or equivalent may be given");
    if ((rc = mg__yaml_number(&c->r, v, &t->margin)) < 0)
        return rc;
    if (t->margin < 0)
        return mg__yaml_fail(&c->r, v, "expected a non-negative margin, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    t->comparison = (mg_comparison)f->arg;
    return 0;
}

static int read_test_min_size(mg__suite_ctx *c, const mg__field *f,
                              const mg__yaml_node *v, void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 0, LONG_MAX, &n);

    (void)f;
    if (rc == 0)
        ((mg_test_spec *)obj)->min_size = (long)n;
    return rc;
}

/* A count floor (min_positives, min_negatives) into the long at f->value. */
static int read_test_floor(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 0, LONG_MAX, &n);

    if (rc == 0)
        *MG__FIELD_AT(long, obj, f->value) = (long)n;
    return rc;
}

static const char *const on_undefined_names[] = {"error", "skip", NULL};

/* on_undefined: error or skip, shared with the suite level (suite_fields.h). */
int mg__suite_read_on_undefined(mg__suite_ctx *c, const mg__field *f,
                                const mg__yaml_node *v, void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, on_undefined_names, &k);

    if (rc == 0)
        *MG__FIELD_AT(mg_on_undefined, obj, f->value) =
            k == 0 ? MG_ON_UNDEFINED_ERROR : MG_ON_UNDEFINED_SKIP;
    return rc;
}

static int read_correction(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    mg_test_spec *t = obj;
    int k = 0, rc;

    if ((rc = mg__yaml_enum(&c->r, v, f->name, correction_names, &k)) < 0)
        return rc;
    if (t->rule != MG_RULE_LENIENT)
        return mg__yaml_fail(&c->r, v,
                             "a correction applies to rule: lenient only (a strict "
                             "family needs every slice to pass, which needs no "
                             "correction; estimate has no error control to correct)");
    t->correction = (mg_correction)(k + 1);
    return 0;
}

/* max_gap, min_ratio or vs_overall (at most one): the value, f->arg the kind. */
static int read_gap(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                    void *obj)
{
    mg_test_spec *t = obj;
    char got[96];
    int rc;

    if (t->gap != MG_GAP_NONE)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "only one of max_gap, min_ratio or vs_overall may be "
                                 "given");
    if ((rc = mg__yaml_number(&c->r, v, &t->gap_value)) < 0)
        return rc;
    if (f->arg == MG_GAP_RATIO && !(t->gap_value > 0 && t->gap_value <= 1))
        return mg__yaml_fail(&c->r, v, "expected a ratio in (0, 1], got %s",
                             mg__yaml_describe(v, got, sizeof got));
    if (f->arg != MG_GAP_RATIO && t->gap_value < 0)
        return mg__yaml_fail(&c->r, v, "expected a non-negative difference, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    t->gap = (mg_gap_kind)f->arg;
    /* one location for three keys: set by the one given */
    mg__suite_loc(v, v, NULL, &t->gap_loc);
    return 0;
}

/*
 * at_least or at_most (f->arg 1): a number, or a map of thresholds per slice,
 * `{default: 0.8, "region=central": 0.7}`, whose default holds for the slices it
 * does not name. Slice names are checked against the data's slices by the runner.
 */
static int read_threshold(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    mg_test_spec *t = obj;
    const mg__yaml_node *def;
    mg_slice_threshold *more;
    int rc;

    if (v->kind != MG__YAML_MAP)
        return mg__field_number(c, f, v, obj);
    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "slice")) < 0)
        return rc;
    if ((def = mg__yaml_get(v, "default")) == NULL)
        return mg__yaml_fail(&c->r, v,
                             "%s per slice needs a default for the slices it does not "
                             "name: {default: 0.8, \"region=central\": 0.7}",
                             f->name);
    if ((rc = mg__field_number(c, f, def, obj)) < 0)
        return rc;
    more = realloc(t->thresholds, (t->nthresholds + v->n) * sizeof *more);
    if (more == NULL)
        return mg__yaml_oom(&c->r);
    t->thresholds = more;
    for (size_t i = 0; i < v->n; i++) {
        mg_slice_threshold *th = &t->thresholds[t->nthresholds];
        if (v->items[i] == def)
            continue;
        memset(th, 0, sizeof *th);
        th->at_most = f->arg;
        mg__suite_loc(v->keys[i], v->items[i], NULL, &th->loc);
        if ((rc = mg__yaml_number(&c->r, v->items[i], &th->value)) < 0 ||
            (rc = mg__suite_copy(c, v->keys[i]->text, &th->slice)) < 0)
            return rc;
        t->nthresholds++;
    }
    return 0;
}

static int read_test_where(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    mg_test_spec *t = obj;

    (void)f;
    return mg__suite_where(c, v, &t->where, &t->nwhere);
}

/* weak_slices.columns: distinct column names. */
static int read_weak_columns(mg__suite_ctx *c, const mg__field *f,
                             const mg__yaml_node *v, void *obj)
{
    mg_test_spec *t = obj;
    char shown[MG__YAML_CLIP_SIZE];
    int rc;

    (void)f;
    if ((rc = mg__yaml_list(&c->r, v)) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one column");
    if ((t->weak_columns = calloc(v->n, sizeof *t->weak_columns)) == NULL ||
        (t->weak_quantiles = calloc(v->n, sizeof *t->weak_quantiles)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        const char *text;
        if ((rc = mg__yaml_string(&c->r, v->items[i], &text)) < 0)
            return rc;
        rc = mg__weak_column(text, &t->weak_columns[i], &t->weak_quantiles[i]);
        if (rc == MG_ENOMEM)
            return mg__yaml_oom(&c->r);
        if (rc != 0)
            return mg__yaml_fail(&c->r, v->items[i],
                                 "'%s': after the colon, the number of quantile bins "
                                 "(2 to 1000)",
                                 mg__yaml_clip(text, strlen(text), shown));
        t->nweak_columns++;
        for (size_t j = 0; j + 1 < t->nweak_columns; j++)
            if (strcmp(t->weak_columns[j], t->weak_columns[i]) == 0)
                return mg__yaml_fail(&c->r, v->items[i], "column '%s' appears twice",
                                     mg__yaml_clip(text, strlen(text), shown));
    }
    return 0;
}

static int read_weak_depth(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 1, MG_WEAK_DEPTH_MAX, &n);

    (void)f;
    if (rc == 0)
        ((mg_test_spec *)obj)->weak_depth = (size_t)n;
    return rc;
}

static int read_weak_margin(mg__suite_ctx *c, const mg__field *f,
                            const mg__yaml_node *v, void *obj)
{
    mg_test_spec *t = obj;
    char got[96];
    int rc;

    (void)f;
    if ((rc = mg__yaml_number(&c->r, v, &t->weak_margin)) < 0)
        return rc;
    if (t->weak_margin < 0)
        return mg__yaml_fail(&c->r, v, "expected a non-negative margin, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    return 0;
}

static const mg__field weak_fields[] = {
    {"columns", .read = read_weak_columns, .absent = mg__field_required},
    {"depth", .read = read_weak_depth},
    {"margin", .read = read_weak_margin},
    {.name = NULL},
};
MG__FIELDS_FIT(weak_fields);

/* weak_slices: {columns: [...], depth: 2, margin: 0}. */
static int read_weak(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    mg_test_spec *t = obj;

    (void)f;
    if (c->suite->task == MG_TASK_MULTICLASS)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "weak_slices searches a binary model's slices; it is "
                                 "not offered for multiclass models yet");
    t->weak = 1;
    t->weak_depth = 2;
    return mg__suite_section(c, v, weak_fields, NULL, "key", t);
}

/* class: one of the suite's classes (data.classes), for a per-class metric. */
static int read_class(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                      void *obj)
{
    const mg_data_spec *d = &c->suite->data;
    mg_test_spec *t = obj;
    mg__yaml_nearest best = MG__YAML_NEAREST_INIT;
    char shown[MG__YAML_CLIP_SIZE], extra[128];
    const char *name;
    int rc;

    if ((rc = mg__yaml_string(&c->r, v, &name)) < 0)
        return rc;
    if (mg_metric_parameter_of((mg_metric)t->metric) != MG_PARAMETER_CLASS)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "class applies to a multiclass per-class metric "
                                 "(precision, recall, f1, auc), not to %s",
                                 mg_metric_name((mg_metric)t->metric));
    if (d->classes != NULL) {
        size_t i;
        for (i = 0; i < d->nclasses && strcmp(d->classes[i], name) != 0; i++)
            mg__yaml_nearest_consider(&best, name, d->classes[i]);
        if (i == d->nclasses)
            return mg__yaml_fail(&c->r, v, "class '%s' is not in data.classes%s",
                                 mg__yaml_clip(name, strlen(name), shown),
                                 mg__yaml_hint(&best, extra, sizeof extra));
    }
    return mg__suite_copy(c, name, MG__FIELD_AT(char *, obj, f->value));
}

static int class_absent(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *map,
                        void *obj)
{
    const mg_test_spec *t = obj;
    (void)f;
    if (mg_metric_parameter_of((mg_metric)t->metric) != MG_PARAMETER_CLASS)
        return 0;
    return mg__yaml_fail(&c->r, map,
                         "%s of a multiclass model is one class's: add class: NAME "
                         "(or use macro_%s)",
                         mg_metric_name((mg_metric)t->metric),
                         mg_metric_name((mg_metric)t->metric));
}

static int read_k(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                  void *obj)
{
    mg_test_spec *t = obj;
    uint64_t k = 0;
    int rc;
    (void)f;
    if (mg_metric_parameter_of((mg_metric)t->metric) != MG_PARAMETER_K)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "k applies to top_k_accuracy, not to %s",
                                 mg_metric_name((mg_metric)t->metric));
    if ((rc = mg__yaml_uint(&c->r, v, 1, 256, &k)) < 0)
        return rc;
    t->k = (long)k;
    return 0;
}

#define TEST(m) MG__FIELD(mg_test_spec, m)
static const mg__field test_fields[] = {
    {"name", .read = mg__field_string, .absent = mg__field_required,
     .value = TEST(name)},
    {"metric", .read = read_metric, .absent = mg__field_required,
     .loc = TEST(metric_loc)},
    {"model", .read = mg__suite_read_model, .absent = default_model,
     .value = TEST(model), .loc = TEST(model_loc)},
    {"baseline", .read = read_baseline, .value = TEST(baseline),
     .loc = TEST(baseline_loc)},
    {"slices", .read = read_slicing_name, .value = TEST(slices),
     .loc = TEST(slices_loc)},
    {"at_least", .read = read_threshold, .value = TEST(at_least),
     .has = TEST(has_at_least)},
    {"at_most", .read = read_threshold, .value = TEST(at_most),
     .has = TEST(has_at_most), .arg = 1},
    {"rule", .read = mg__suite_read_rule, .value = TEST(rule)},
    {"non_inferior", .read = read_comparison, .arg = MG_COMPARE_NON_INFERIOR},
    {"superior", .read = read_comparison, .arg = MG_COMPARE_SUPERIOR},
    {"equivalent", .read = read_comparison, .arg = MG_COMPARE_EQUIVALENT},
    {"relative", .read = mg__field_bool, .value = TEST(relative)},
    {"min_size", .read = read_test_min_size},
    {"min_positives", .read = read_test_floor, .value = TEST(min_positives)},
    {"min_negatives", .read = read_test_floor, .value = TEST(min_negatives)},
    {"on_undefined", .read = mg__suite_read_on_undefined, .value = TEST(on_undefined)},
    {"correction", .read = read_correction, .loc = TEST(correction_loc)},
    {"max_gap", .read = read_gap, .arg = MG_GAP_MAX},
    {"min_ratio", .read = read_gap, .arg = MG_GAP_RATIO},
    {"vs_overall", .read = read_gap, .arg = MG_GAP_VS_OVERALL},
    {"where", .read = read_test_where, .loc = TEST(where_loc)},
    {"weak_slices", .read = read_weak, .loc = TEST(weak_loc)},
    {"class", .read = read_class, .absent = class_absent, .value = TEST(class_name),
     .loc = TEST(class_loc)},
    {"k", .read = read_k, .loc = TEST(k_loc)},
    {.name = NULL},
};
MG__FIELDS_FIT(test_fields);
static const char *const test_reserved[] = {NULL};

const mg__field *mg__suite_test_fields(const char *const **reserved)
{
    *reserved = test_reserved;
    return test_fields;
}

/* Checks across the keys of a test, after they are read: 0 or MG_EPARSE. */
typedef int (*test_check)(mg__suite_ctx *c, const mg__yaml_node *v,
                          const mg_test_spec *t);

/* The value of the comparison key the test was given, or NULL. */
static const mg__yaml_node *comparison_value(const mg__yaml_node *v,
                                             const mg_test_spec *t)
{
    const mg__field *f;

    for (f = test_fields; t->comparison != MG_COMPARE_NONE && f->name != NULL; f++)
        if (f->read == read_comparison && f->arg == (int)t->comparison)
            return mg__yaml_get(v, f->name);
    return NULL;
}

static int check_comparison_baseline(mg__suite_ctx *c, const mg__yaml_node *v,
                                     const mg_test_spec *t)
{
    const mg__yaml_node *cv = comparison_value(v, t);

    if (cv == NULL || mg__yaml_get(v, "baseline") != NULL)
        return 0;
    return mg__yaml_fail_key(&c->r, cv->key, cv, NULL, "%s needs a baseline",
                             cv->key->text);
}

/* The key of the gap test (max_gap, min_ratio, vs_overall) the test was given. */
static const mg__yaml_node *gap_value(const mg__yaml_node *v, const mg_test_spec *t)
{
    const mg__field *f;

    for (f = test_fields; t->gap != MG_GAP_NONE && f->name != NULL; f++)
        if (f->read == read_gap && f->arg == (int)t->gap)
            return mg__yaml_get(v, f->name);
    return NULL;
}

/* A test across slices: a slicing to compare across, no threshold of its own, a
 * baseline only for max_gap, a metric the statistic makes sense of. */
static int check_gap(mg__suite_ctx *c, const mg__yaml_node *v, const mg_test_spec *t)
{
    const mg__yaml_node *gv = gap_value(v, t), *bv = mg__yaml_get(v, "baseline");
    const mg_metric_info *mi = mg_metric_get((mg_metric)t->metric);
    const char *key;

    if (gv == NULL)
        return 0;
    key = gv->key->text;
    if (t->slices == NULL)
        return mg__yaml_fail_key(&c->r, gv->key, gv, NULL,
                                 "%s compares the slices of a slicing: give slices",
                                 key);
    if (t->has_at_least || t->has_at_most)
        return mg__yaml_fail_key(&c->r, gv->key, gv, NULL,
                                 "%s is a test of its own; at_least and at_most belong "
                                 "in another test",
                                 key);
    if (t->comparison != MG_COMPARE_NONE)
        return mg__yaml_fail_key(&c->r, gv->key, gv, NULL,
                                 "%s takes no non_inferior, superior or equivalent: "
                                 "with a baseline, max_gap: d passes when the model's "
                                 "gap is at most the baseline's plus d",
                                 key);
    if (bv != NULL && t->gap != MG_GAP_MAX)
        return mg__yaml_fail(&c->r, bv,
                             "a baseline can be compared on max_gap only (the model's "
                             "gap at most the baseline's plus d), not on %s",
                             key);
    if (t->gap == MG_GAP_RATIO && mi->low < 0)
        return mg__yaml_fail_key(&c->r, gv->key, gv, NULL,
                                 "min_ratio needs a metric that is never negative, and "
                                 "%s can be",
                                 mi->name);
    if (t->gap == MG_GAP_VS_OVERALL && mi->direction == 0)
        return mg__yaml_fail_key(
            &c->r, gv->key, gv, NULL,
            "%s is descriptive (neither higher nor lower is "
            "better), so no slice is worse than the whole set; use "
            "max_gap or min_ratio",
            mi->name);
    return 0;
}

/* weak_slices: a test of its own, on a metric whose complement is a difference of
 * sums and which has a better direction. */
static int check_weak(mg__suite_ctx *c, const mg__yaml_node *v, const mg_test_spec *t)
{
    const mg__yaml_node *wv = mg__yaml_get(v, "weak_slices");
    const char *why;

    if (!t->weak)
        return 0;
    if (t->has_at_least || t->has_at_most || t->gap != MG_GAP_NONE || t->slices ||
        t->nwhere > 0 || mg__yaml_get(v, "baseline") != NULL)
        return mg__yaml_fail_key(&c->r, wv->key, wv, NULL,
                                 "weak_slices is a test of its own: no slices, where, "
                                 "baseline, thresholds or gaps beside it");
    if ((why = mg__weak_metric_refusal(t->metric)) != NULL)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "metric"), "%s", why);
    return 0;
}

static int check_baseline_comparison(mg__suite_ctx *c, const mg__yaml_node *v,
                                     const mg_test_spec *t)
{
    const mg__yaml_node *bv = mg__yaml_get(v, "baseline");
    char shown[MG__YAML_CLIP_SIZE];

    if (bv == NULL || t->comparison != MG_COMPARE_NONE || t->gap != MG_GAP_NONE)
        return 0;
    return mg__yaml_fail(
        &c->r, bv, "baseline '%s' needs one of non_inferior, superior or equivalent",
        mg__yaml_clip(t->baseline, strlen(t->baseline), shown));
}

static int check_relative_baseline(mg__suite_ctx *c, const mg__yaml_node *v,
                                   const mg_test_spec *t)
{
    const mg__yaml_node *rv = mg__yaml_get(v, "relative");

    (void)t;
    if (rv == NULL || mg__yaml_get(v, "baseline") != NULL)
        return 0;
    return mg__yaml_fail_key(&c->r, rv->key, rv, NULL,
                             "relative needs a baseline comparison");
}

static int check_assertion(mg__suite_ctx *c, const mg__yaml_node *v,
                           const mg_test_spec *t)
{
    if (t->has_at_least || t->has_at_most || mg__yaml_get(v, "baseline") != NULL ||
        t->gap != MG_GAP_NONE || t->weak)
        return 0;
    return mg__yaml_fail(&c->r, v,
                         "a test needs at_least, at_most, a baseline comparison, "
                         "max_gap, min_ratio, vs_overall or weak_slices");
}

static int check_one_kind(mg__suite_ctx *c, const mg__yaml_node *v,
                          const mg_test_spec *t)
{
    const mg__yaml_node *bv = mg__yaml_get(v, "baseline");

    if (!(t->has_at_least || t->has_at_most) || bv == NULL)
        return 0;
    return mg__yaml_fail(&c->r, bv,
                         "a test is a threshold test (at_least, at_most) or a "
                         "comparison (baseline), not both; write two tests");
}

static int check_bounds(mg__suite_ctx *c, const mg__yaml_node *v, const mg_test_spec *t)
{
    if (!(t->has_at_least && t->has_at_most && t->at_least > t->at_most))
        return 0;
    return mg__yaml_fail(&c->r, mg__yaml_get(v, "at_least"),
                         "at_least (%g) is greater than at_most (%g)", t->at_least,
                         t->at_most);
}

/* Thresholds per slice need slices (a slicing, or a filter's one slice). */
static int check_slice_thresholds(mg__suite_ctx *c, const mg__yaml_node *v,
                                  const mg_test_spec *t)
{
    const mg__yaml_node *at;

    if (t->nthresholds == 0 || t->slices != NULL || t->nwhere > 0)
        return 0;
    at = mg__yaml_get(v, t->thresholds[0].at_most ? "at_most" : "at_least");
    return mg__yaml_fail_key(&c->r, at->key, at, NULL,
                             "thresholds per slice need slices: a test without "
                             "slices has one case, overall");
}

static const test_check test_checks[] = {
    check_weak,
    check_gap,
    check_comparison_baseline,
    check_baseline_comparison,
    check_relative_baseline,
    check_assertion,
    check_one_kind,
    check_bounds,
    check_slice_thresholds,
};

static int read_test(mg__suite_ctx *c, const mg__yaml_node *v, mg_test_spec *t)
{
    size_t i;
    int rc;

    mg__suite_loc(v, v, NULL, &t->loc);
    t->min_size = -1;
    t->min_positives = -1;
    t->min_negatives = -1;
    t->k = 2;
    rc = mg__suite_section(c, v, test_fields, test_reserved, "key", t);
    for (i = 0; rc == 0 && i < sizeof test_checks / sizeof test_checks[0]; i++)
        rc = test_checks[i](c, v, t);
    return rc;
}

/* A test and a data check are testcases of one JUnit suite: their names differ. */
static int check_names(mg__suite_ctx *c, const mg__yaml_node *v, const mg_suite *s)
{
    char shown[MG__YAML_CLIP_SIZE];

    for (size_t i = 0; i < s->ntests; i++)
        for (size_t j = 0; j < s->nchecks; j++)
            if (strcmp(s->tests[i].name, s->checks[j].name) == 0)
                return mg__yaml_fail(
                    &c->r, mg__yaml_get(v->items[i], "name"),
                    "test name '%s' is also the name of a data check (checks[%zu], "
                    "line %lu)",
                    mg__yaml_clip(s->tests[i].name, strlen(s->tests[i].name), shown), j,
                    s->checks[j].loc.line);
    return 0;
}

/* The tests, each a map; names must differ. */
int mg__suite_tests(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                    void *obj)
{
    mg_suite *s = obj;
    char shown[MG__YAML_CLIP_SIZE];
    const char **names;
    size_t i, dup = 0, first = 0;
    int rc;

    (void)f;
    if ((rc = mg__yaml_list(&c->r, v)) < 0 || v->n == 0)
        return rc;
    s->tests = calloc(v->n, sizeof *s->tests);
    if (s->tests == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++)
        if ((rc = read_test(c, v->items[i], &s->tests[s->ntests++])) < 0)
            return rc;
    for (i = 0; i < s->ntests; i++)
        if (s->tests[i].weak && mg__suite_weak_slicings(s, &s->tests[i]) != 0)
            return mg__yaml_oom(&c->r);

    names = malloc(v->n * sizeof *names);
    if (names == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++)
        names[i] = s->tests[i].name;
    rc = mg__yaml_first_duplicate(names, v->n, &dup, &first);
    free(names);
    if (rc < 0)
        return mg__yaml_oom(&c->r);
    if (rc == 0)
        return check_names(c, v, s);
    return mg__yaml_fail(
        &c->r, mg__yaml_get(v->items[dup], "name"),
        "duplicate test name '%s' (first at tests[%zu], line %lu)",
        mg__yaml_clip(s->tests[dup].name, strlen(s->tests[dup].name), shown), first,
        v->items[first]->line);
}
