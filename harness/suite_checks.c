/*
 * The data checks of a suite file: the `checks` list, each a map with a `check`
 * kind and the keys that kind takes, read through the table check_fields
 * (harness/suite_fields.h).
 *
 * Method. The kind is read first, so that every later message can name it; then
 * each key of the map is checked against what the kind takes (kinds[]: one row per
 * kind, the keys it takes and the groups of which it needs one), before any value
 * is read, so that `{check: range, fraction: x}` says "fraction does not apply to a
 * range check" rather than complaining about the value. The values are then read
 * by the table, and checks across keys (a lower bound above an upper one, a label
 * value list that cannot be a binary label) run last. A check that reads columns
 * takes one column or a list of them (`column: [region, plan]`): the runner makes
 * one case per column. A check without a name is named after its kind and its first
 * model or its one column ("max_missing tenure_months"), or after its kind
 * alone ("columns", "min_rows"); names must differ from each other
 * and, since data checks and tests are testcases of the same JUnit suite, from the
 * tests' (checked where the tests are read).
 *
 * What a data check finds is decided in harness/checks.c; this file only reads.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/suite.h"

#include "harness/data.h"
#include "harness/suite_fields.h"
#include "harness/yaml.h"

/* In mg_check_kind order. */
static const char *const kind_names[] = {
    "columns", "min_rows", "max_missing",  "label_values", "prevalence",
    "range",   "unique",   "not_constant", "categories",   NULL};
static const char *const type_names[] = {"string", "number", "integer", "boolean",
                                         NULL};
static const char *const interval_names[] = {"wilson", "clopper_pearson", NULL};

/* The keys of a check other than name and check, as bits. */
enum {
    K_COLUMN = 1 << 0,
    K_MODEL = 1 << 1,
    K_COLUMNS = 1 << 2,
    K_AT_LEAST = 1 << 3,
    K_AT_MOST = 1 << 4,
    K_FRACTION = 1 << 5,
    K_ROWS = 1 << 6,
    K_ALLOWED = 1 << 7,
    K_MIN = 1 << 8,
    K_MAX = 1 << 9,
    K_RULE = 1 << 10,
    K_INTERVAL = 1 << 11,
};

static const char *const key_names[] = {
    "column",  "model", "columns", "at_least", "at_most",  "fraction", "rows",
    "allowed", "min",   "max",     "rule",     "interval", NULL};

/* What a kind takes, and the groups of keys of which it needs one each. */
static const struct check_kind {
    unsigned takes;
    unsigned needs[2];
    const char *takes_text; /* for "it takes ..." */
} kinds[] = {
    [MG_CHECK_COLUMNS] = {K_COLUMNS, {K_COLUMNS, 0}, "columns (a map of column: type)"},
    [MG_CHECK_MIN_ROWS] = {K_AT_LEAST, {K_AT_LEAST, 0}, "at_least"},
    [MG_CHECK_MAX_MISSING] = {K_COLUMN | K_MODEL | K_FRACTION | K_ROWS,
                              {K_COLUMN | K_MODEL, K_FRACTION | K_ROWS},
                              "column or model, and fraction or rows"},
    [MG_CHECK_LABEL_VALUES] = {K_ALLOWED, {K_ALLOWED, 0}, "allowed"},
    [MG_CHECK_PREVALENCE] = {K_AT_LEAST | K_AT_MOST | K_RULE | K_INTERVAL,
                             {K_AT_LEAST | K_AT_MOST, 0},
                             "at_least, at_most, rule, interval"},
    [MG_CHECK_RANGE] = {K_COLUMN | K_MODEL | K_MIN | K_MAX,
                        {K_COLUMN | K_MODEL, K_MIN | K_MAX},
                        "column or model, and min, max"},
    [MG_CHECK_UNIQUE] = {K_COLUMN, {K_COLUMN, 0}, "column"},
    [MG_CHECK_NOT_CONSTANT] = {K_COLUMN | K_MODEL,
                               {K_COLUMN | K_MODEL, 0},
                               "column or model"},
    [MG_CHECK_CATEGORIES] = {K_COLUMN | K_ALLOWED,
                             {K_COLUMN, K_ALLOWED},
                             "column, allowed"},
};

/* "column or model" for a group of keys. */
static const char *group_text(unsigned group, char *buf, size_t size)
{
    size_t used = 0;
    int first = 1;

    buf[0] = '\0';
    for (int b = 0; key_names[b] != NULL; b++)
        if (group & (1u << b)) {
            used += (size_t)snprintf(buf + used, size > used ? size - used : 0, "%s%s",
                                     first ? "" : " or ", key_names[b]);
            first = 0;
        }
    return buf;
}

/* The keys present in map, as bits. */
static unsigned present_keys(const mg__yaml_node *map)
{
    unsigned keys = 0;

    for (int b = 0; key_names[b] != NULL; b++)
        if (mg__yaml_get(map, key_names[b]) != NULL)
            keys |= 1u << b;
    return keys;
}

/* Every key the map has applies to the kind; every group the kind needs is there. */
static int check_keys(mg__suite_ctx *c, const mg__yaml_node *v, mg_check_kind kind)
{
    const struct check_kind *k = &kinds[kind];
    unsigned keys = present_keys(v);
    char text[64];

    for (int b = 0; key_names[b] != NULL; b++) {
        const mg__yaml_node *kv = mg__yaml_get(v, key_names[b]);
        if (kv != NULL && !(k->takes & (1u << b)))
            return mg__yaml_fail_key(&c->r, kv->key, kv, NULL,
                                     "%s does not apply to a %s check (it takes %s)",
                                     key_names[b], kind_names[kind], k->takes_text);
    }
    for (size_t g = 0; g < 2 && k->needs[g] != 0; g++)
        if (!(keys & k->needs[g]))
            return mg__yaml_fail(&c->r, v, "a %s check needs %s", kind_names[kind],
                                 group_text(k->needs[g], text, sizeof text));
    if ((keys & (K_COLUMN | K_MODEL)) == (K_COLUMN | K_MODEL))
        return mg__yaml_fail_key(&c->r, mg__yaml_get(v, "model")->key,
                                 mg__yaml_get(v, "model"), NULL,
                                 "a check reads holdout columns (column) or a model's "
                                 "scores (model), not both");
    if ((keys & (K_FRACTION | K_ROWS)) == (K_FRACTION | K_ROWS))
        return mg__yaml_fail_key(&c->r, mg__yaml_get(v, "rows")->key,
                                 mg__yaml_get(v, "rows"), NULL,
                                 "max_missing takes fraction or rows, not both");
    return 0;
}

/* ---- Readers ------------------------------------------------------------------- */

static int read_kind(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, "check", kind_names, &k);

    (void)f;
    if (rc == 0)
        ((mg_check_spec *)obj)->kind = (mg_check_kind)k;
    return rc;
}

/* Room for n column names and their locations. */
static int new_columns(mg__suite_ctx *c, mg_check_spec *k, size_t n)
{
    k->columns = calloc(n ? n : 1, sizeof *k->columns);
    k->column_locs = calloc(n ? n : 1, sizeof *k->column_locs);
    if (k->columns == NULL || k->column_locs == NULL)
        return mg__yaml_oom(&c->r);
    return 0;
}

/* A column name that the check has not named before, at node at. */
static int add_column(mg__suite_ctx *c, mg_check_spec *k, const mg__yaml_node *at,
                      const char *name)
{
    char shown[MG__YAML_CLIP_SIZE];
    int rc;

    for (size_t j = 0; j < k->ncolumns; j++)
        if (strcmp(k->columns[j], name) == 0)
            return mg__yaml_fail(&c->r, at, "column '%s' is named twice",
                                 mg__yaml_clip(name, strlen(name), shown));
    if ((rc = mg__suite_copy(c, name, &k->columns[k->ncolumns])) < 0)
        return rc;
    mg__suite_loc(at, at, NULL, &k->column_locs[k->ncolumns++]);
    return 0;
}

/* column: a name, or a list of names (one case each). */
static int read_column(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    mg_check_spec *k = obj;
    const char *s;
    int rc;

    (void)f;
    if (v->kind != MG__YAML_SEQUENCE) {
        if ((rc = mg__yaml_string(&c->r, v, &s)) < 0 || (rc = new_columns(c, k, 1)) < 0)
            return rc;
        return add_column(c, k, v, s);
    }
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one column");
    if ((rc = new_columns(c, k, v->n)) < 0)
        return rc;
    for (size_t i = 0; i < v->n; i++)
        if ((rc = mg__yaml_string(&c->r, v->items[i], &s)) < 0 ||
            (rc = add_column(c, k, v->items[i], s)) < 0)
            return rc;
    return 0;
}

/* columns: a map of column name to value type. */
static int read_types(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                      void *obj)
{
    mg_check_spec *k = obj;
    int rc;

    (void)f;
    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "column")) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one column");
    if ((rc = new_columns(c, k, v->n)) < 0)
        return rc;
    if ((k->types = calloc(v->n, sizeof *k->types)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        int t = 0;
        if ((rc = mg__yaml_enum(&c->r, v->items[i], "type", type_names, &t)) < 0 ||
            (rc = add_column(c, k, v->keys[i], v->keys[i]->text)) < 0)
            return rc;
        k->types[i] = (mg_value_type)t;
    }
    return 0;
}

/* at_least: a row count for min_rows, a share for prevalence. */
static int read_bound(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                      void *obj)
{
    mg_check_spec *k = obj;
    char got[96];
    uint64_t n = 0;
    int rc;

    if (k->kind == MG_CHECK_MIN_ROWS) {
        if ((rc = mg__yaml_uint(&c->r, v, 0, SIZE_MAX, &n)) < 0)
            return rc;
        *MG__FIELD_AT(double, obj, f->value) = (double)n;
        *MG__FIELD_AT(int, obj, f->has) = 1;
        return 0;
    }
    if ((rc = mg__field_number(c, f, v, obj)) < 0)
        return rc;
    if (!(*MG__FIELD_AT(double, obj, f->value) >= 0 &&
          *MG__FIELD_AT(double, obj, f->value) <= 1))
        return mg__yaml_fail(&c->r, v, "expected a share between 0 and 1, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    return 0;
}

static int read_fraction(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    mg_check_spec *k = obj;
    char got[96];
    int rc;

    if ((rc = mg__field_number(c, f, v, obj)) < 0)
        return rc;
    if (!(k->fraction >= 0 && k->fraction <= 1))
        return mg__yaml_fail(&c->r, v,
                             "expected a fraction between 0 and 1, got %s (a count "
                             "of rows is rows: N)",
                             mg__yaml_describe(v, got, sizeof got));
    return 0;
}

static int read_rows(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    mg_check_spec *k = obj;
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 0, SIZE_MAX, &n);

    (void)f;
    if (rc == 0) {
        k->rows = (size_t)n;
        k->has_rows = 1;
    }
    return rc;
}

/* allowed: a non-empty list of distinct strings. */
static int read_allowed(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj)
{
    mg_check_spec *k = obj;
    char shown[MG__YAML_CLIP_SIZE];
    const char *s;
    int rc;

    (void)f;
    if ((rc = mg__yaml_list(&c->r, v)) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one allowed value");
    if ((k->allowed = calloc(v->n, sizeof *k->allowed)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        if ((rc = mg__yaml_string(&c->r, v->items[i], &s)) < 0)
            return rc;
        for (size_t j = 0; j < k->nallowed; j++)
            if (strcmp(k->allowed[j], s) == 0)
                return mg__yaml_fail(&c->r, v->items[i], "value '%s' is listed twice",
                                     mg__yaml_clip(s, strlen(s), shown));
        if ((rc = mg__suite_copy(c, s, &k->allowed[k->nallowed])) < 0)
            return rc;
        k->nallowed++;
    }
    return 0;
}

static int read_interval(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, interval_names, &k);

    if (rc == 0)
        ((mg_check_spec *)obj)->interval = (mg_proportion_interval)k;
    return rc;
}

#define CHECK(m) MG__FIELD(mg_check_spec, m)
static const mg__field check_fields[] = {
    {"check", .read = read_kind, .absent = mg__field_required},
    {"name", .read = mg__field_string, .value = CHECK(name)},
    {"column", .read = read_column},
    {"model", .read = mg__suite_read_model, .value = CHECK(model),
     .loc = CHECK(model_loc)},
    {"columns", .read = read_types},
    {"at_least", .read = read_bound, .value = CHECK(at_least),
     .has = CHECK(has_at_least)},
    {"at_most", .read = read_bound, .value = CHECK(at_most), .has = CHECK(has_at_most)},
    {"fraction", .read = read_fraction, .value = CHECK(fraction),
     .has = CHECK(has_fraction)},
    {"rows", .read = read_rows},
    {"allowed", .read = read_allowed},
    {"min", .read = mg__field_number, .value = CHECK(min), .has = CHECK(has_min)},
    {"max", .read = mg__field_number, .value = CHECK(max), .has = CHECK(has_max)},
    {"rule", .read = mg__suite_read_rule, .value = CHECK(rule)},
    {"interval", .read = read_interval},
    {.name = NULL},
};
MG__FIELDS_FIT(check_fields);

const mg__field *mg__suite_check_fields(void)
{
    return check_fields;
}

/* ---- Across keys --------------------------------------------------------------- */

static int check_across(mg__suite_ctx *c, const mg__yaml_node *v, mg_check_spec *k)
{
    const char *pos = c->suite->data.positive;
    size_t i;

    if (k->has_at_least && k->has_at_most && k->at_least > k->at_most)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "at_least"),
                             "at_least (%g) is greater than at_most (%g)", k->at_least,
                             k->at_most);
    if (k->has_min && k->has_max && k->min > k->max)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "min"),
                             "min (%g) is greater than max (%g)", k->min, k->max);
    if (k->kind != MG_CHECK_LABEL_VALUES || pos == NULL)
        return 0;
    for (i = 0; i < k->nallowed && !mg__same_label(k->allowed[i], pos); i++)
        ;
    if (i == k->nallowed)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "allowed"),
                             "the positive label '%s' (data.positive) is not among the "
                             "allowed values",
                             pos);
    if (k->nallowed > 2)
        return mg__yaml_fail(&c->r, mg__yaml_get(v, "allowed"),
                             "a binary label has two values, and %zu are allowed",
                             k->nallowed);
    for (i = 1; i < k->nallowed; i++)
        if (mg__same_label(k->allowed[0], k->allowed[i]))
            return mg__yaml_fail(&c->r, mg__yaml_get(v, "allowed"),
                                 "'%s' and '%s' are the same label by value",
                                 k->allowed[0], k->allowed[i]);
    return 0;
}

/* The name a check without one gets: "<kind> <model or its one column>", or the
 * kind alone for a check of several columns or of the whole holdout set. */
static int default_name(mg__suite_ctx *c, mg_check_spec *k)
{
    const char *what = k->model                                          ? k->model
                       : k->ncolumns == 1 && k->kind != MG_CHECK_COLUMNS ? k->columns[0]
                                                                         : NULL;
    size_t len = strlen(kind_names[k->kind]) + (what ? strlen(what) + 1 : 0) + 1;

    if ((k->name = malloc(len)) == NULL)
        return mg__yaml_oom(&c->r);
    snprintf(k->name, len, "%s%s%s", kind_names[k->kind], what ? " " : "",
             what ? what : "");
    return 0;
}

static int read_check(mg__suite_ctx *c, const mg__yaml_node *v, mg_check_spec *k)
{
    const char *known[sizeof check_fields / sizeof check_fields[0]];
    const mg__yaml_node *kv;
    int rc, kind = 0;

    for (size_t i = 0; i < sizeof check_fields / sizeof check_fields[0]; i++)
        known[i] = check_fields[i].name;
    mg__suite_loc(v, v, NULL, &k->loc);
    if ((rc = mg__yaml_check_map(&c->r, v, known, NULL, "key")) < 0)
        return rc;
    if ((kv = mg__yaml_get(v, "check")) == NULL)
        return mg__yaml_missing(&c->r, v, "check");
    if ((rc = mg__yaml_enum(&c->r, kv, "check", kind_names, &kind)) < 0 ||
        (rc = check_keys(c, v, (mg_check_kind)kind)) < 0)
        return rc;
    k->kind = (mg_check_kind)kind;
    if ((rc = mg__suite_section(c, v, check_fields, NULL, "key", k)) < 0 ||
        (rc = check_across(c, v, k)) < 0)
        return rc;
    return k->name != NULL ? 0 : default_name(c, k);
}

void mg__check_spec_clear(mg_check_spec *k)
{
    free(k->name);
    for (size_t j = 0; j < k->ncolumns; j++)
        free(k->columns[j]);
    free(k->columns);
    free(k->column_locs);
    free(k->types);
    free(k->model);
    for (size_t j = 0; j < k->nallowed; j++)
        free(k->allowed[j]);
    free(k->allowed);
}

/* The checks, each a map; names must differ. */
int mg__suite_checks(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
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
    if ((s->checks = calloc(v->n, sizeof *s->checks)) == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++)
        if ((rc = read_check(c, v->items[i], &s->checks[s->nchecks++])) < 0)
            return rc;
    if ((names = malloc(v->n * sizeof *names)) == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++)
        names[i] = s->checks[i].name;
    rc = mg__yaml_first_duplicate(names, v->n, &dup, &first);
    free(names);
    if (rc < 0)
        return mg__yaml_oom(&c->r);
    if (rc == 0)
        return 0;
    return mg__yaml_fail(
        &c->r,
        mg__yaml_get(v->items[dup], "name") ? mg__yaml_get(v->items[dup], "name")
                                            : v->items[dup],
        "duplicate check name '%s' (first at checks[%zu], line %lu)%s",
        mg__yaml_clip(s->checks[dup].name, strlen(s->checks[dup].name), shown), first,
        v->items[first]->line,
        mg__yaml_get(v->items[dup], "name") ? "" : ": give one of them a name");
}
