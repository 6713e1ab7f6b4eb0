/*
 * Suite files: modelgate's schema over the strict YAML reader.
 *
 * A suite is a YAML file (DESIGN.md, "The suite file") that names the data, the
 * models, the bootstrap settings, the slicings and the tests. harness/yaml.c
 * composes it into a tree whose nodes know their line, column and key path, bounded
 * against alias bombs and deep nesting, and harness/yaml_read.c reads its scalars
 * strictly. This file and harness/suite_tests.c (the tests) turn the tree into the
 * transparent mg_suite and check everything that can be checked without the data,
 * so that a typo fails in milliseconds with the line, column and key instead of
 * after a bootstrap.
 *
 * Method. Each map section is a table of fields: the key, how its value is read and
 * what its absence means (an error, a default, a default's location). The table
 * gives both the keys the section knows, for the check of the whole map that runs
 * before any value is read (unknown keys with the nearest known one, keys DESIGN.md
 * reserves for later issues "not supported yet", duplicates), and the order in
 * which values are read. That order is DESIGN.md's, so the sections that tests
 * refer to (models, slices) are known when the tests are read and each reference is
 * checked where it is written. Checks across the keys of a test run afterwards, in
 * the order of a second table. A new key is one row, plus a small function when its
 * value is more than a string, a path, a number or a boolean
 * (harness/suite_fields.h).
 *
 * Every error names the suite path as given, the 1-based line and column of the
 * offending node and the dotted key path of the value: `models.candidate.score`,
 * `bootstrap.replicates`, `tests[2].metric`, `slices.region_x_plan[1]`. List
 * indices are 0-based, as in JSONPath and yq. A missing key is reported at the map
 * that should hold it, with the key path it would have. Values that are read are
 * recorded as mg_loc so that the runner can name the same place when a column turns
 * out to be missing from the data; defaulted values get the key they would have and
 * line 0.
 *
 * Error codes: MG_EIO for a suite file that cannot be opened or read (or is a
 * directory), MG_EPARSE for everything wrong inside it, from YAML syntax to a test
 * naming an undeclared model, MG_ENOMEM when an allocation fails.
 *
 * Paths (`data.holdout`, `models.*.file`) are joined to the suite file's directory
 * as written, without realpath, so that messages show paths the user recognises.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/suite.h"

#include "common/clocale.h"
#include "harness/suite_fields.h"
#include "harness/yaml.h"

#define MAX_REPLICATES 10000000 /* bootstrap.replicates upper bound */
#define MAX_QUANTILES  10000    /* slices.*.quantiles upper bound */

/* Suites are written by hand: 16 MiB, 64 levels, 1000 anchors, and 100,000 nodes
 * once aliases are expanded are far beyond any real one. */
static const mg__yaml_limits suite_limits = {
    .what = "suite file",
    .max_bytes = 16777216,
    .max_depth = 64,
    .max_anchors = 1000,
    .max_nodes = 100000,
};

/* ---- Fields -------------------------------------------------------------------- */

/* The location of `at` (NULL: no line) under the key path of `under` + ".name". */
void mg__suite_loc(const mg__yaml_node *at, const mg__yaml_node *under,
                   const char *name, mg_loc *loc)
{
    loc->line = at ? at->line : 0;
    loc->column = at ? at->column : 0;
    mg__yaml_path(under, name, loc->key, sizeof loc->key);
}

int mg__suite_copy(mg__suite_ctx *c, const char *s, char **out)
{
    char *copy = strdup(s);

    if (copy == NULL)
        return mg__yaml_oom(&c->r);
    free(*out);
    *out = copy;
    return 0;
}

/* Read the fields of map into obj, in the table's order. */
static int read_fields(mg__suite_ctx *c, const mg__yaml_node *map,
                       const mg__field *fields, void *obj)
{
    const mg__field *f;
    int rc = 0;

    for (f = fields; f->name != NULL && rc == 0; f++) {
        const mg__yaml_node *v = mg__yaml_get(map, f->name);

        if (v != NULL) {
            if ((rc = f->read(c, f, v, obj)) == 0 && f->loc != 0)
                mg__suite_loc(v, v, NULL, MG__FIELD_AT(mg_loc, obj, f->loc));
        } else if (f->absent != NULL) {
            rc = f->absent(c, f, map, obj);
        } else if (f->loc != 0) {
            mg__suite_loc(NULL, map, f->name, MG__FIELD_AT(mg_loc, obj, f->loc));
        }
    }
    return rc;
}

/* Check map as a whole against the table's keys and `reserved`, then read it. */
int mg__suite_section(mg__suite_ctx *c, const mg__yaml_node *map,
                      const mg__field *fields, const char *const *reserved,
                      const char *noun, void *obj)
{
    const char *known[MG__FIELDS_MAX + 1];
    size_t n;
    int rc;

    for (n = 0; n < MG__FIELDS_MAX && fields[n].name != NULL; n++)
        known[n] = fields[n].name;
    known[n] = NULL;
    if ((rc = mg__yaml_check_map(&c->r, map, known, reserved, noun)) < 0)
        return rc;
    return read_fields(c, map, fields, obj);
}

int mg__field_required(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *map,
                       void *obj)
{
    (void)obj;
    return mg__yaml_missing(&c->r, map, f->name);
}

/* ---- Generic readers ----------------------------------------------------------- */

int mg__field_string(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    const char *s;
    int rc = mg__yaml_string(&c->r, v, &s);

    return rc < 0 ? rc : mg__suite_copy(c, s, MG__FIELD_AT(char *, obj, f->value));
}

/* rel joined to the suite file's directory, unless absolute or the suite path has
 * no directory part. */
static int resolve_path(mg__suite_ctx *c, const char *rel, char **out)
{
    const char *path = c->suite->path, *slash = strrchr(path, '/');
    size_t dirlen, rlen;
    char *joined;

    if (rel[0] == '/' || slash == NULL || strcmp(rel, "-") == 0)
        return mg__suite_copy(c, rel, out);
    dirlen = (size_t)(slash - path);
    rlen = strlen(rel);
    joined = malloc(dirlen + 1 + rlen + 1);
    if (joined == NULL)
        return mg__yaml_oom(&c->r);
    memcpy(joined, path, dirlen);
    joined[dirlen] = '/';
    memcpy(joined + dirlen + 1, rel, rlen + 1);
    free(*out);
    *out = joined;
    return 0;
}

/* A path, resolved against the suite's directory. */
int mg__field_path(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                   void *obj)
{
    const char *s;
    int rc = mg__yaml_string(&c->r, v, &s);

    return rc < 0 ? rc : resolve_path(c, s, MG__FIELD_AT(char *, obj, f->value));
}

int mg__field_number(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    int rc = mg__yaml_number(&c->r, v, MG__FIELD_AT(double, obj, f->value));

    if (rc == 0 && f->has != 0)
        *MG__FIELD_AT(int, obj, f->has) = 1;
    return rc;
}

int mg__field_bool(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                   void *obj)
{
    return mg__yaml_bool(&c->r, v, MG__FIELD_AT(int, obj, f->value));
}

/* ---- data ---------------------------------------------------------------------- */

static int read_delimiter(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    mg_data_spec *d = obj;
    char shown[MG__YAML_CLIP_SIZE];
    const char *s;
    int rc;

    (void)f;
    if ((rc = mg__yaml_string(&c->r, v, &s)) < 0)
        return rc;
    if (strlen(s) != 1)
        return mg__yaml_fail(&c->r, v, "expected a one-character delimiter, got '%s'",
                             mg__yaml_clip(s, strlen(s), shown));
    if (strchr("\"\r\n", s[0]) != NULL)
        return mg__yaml_fail(&c->r, v,
                             "the delimiter cannot be a quote or a line break");
    d->delimiter = s[0];
    return 0;
}

/* An id column: a name, or "" (quoted) for a first column whose header is empty, as
 * pandas writes an unnamed index and R its row names. */
static int read_id(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                   void *obj)
{
    if (v->kind == MG__YAML_SCALAR && !v->plain && v->length == 0)
        return mg__suite_copy(c, "", MG__FIELD_AT(char *, obj, f->value));
    return mg__field_string(c, f, v, obj);
}

static const char *const default_missing[] = {"",     "NA",  "NaN", "null",
                                              "None", "N/A", NULL};

/* A NULL-terminated copy of n markers. */
static int set_missing(mg__suite_ctx *c, mg_data_spec *d, const char *const *markers,
                       size_t n)
{
    d->missing = calloc(n + 1, sizeof *d->missing);
    if (d->missing == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < n; i++) {
        int rc = mg__suite_copy(c, markers[i], &d->missing[i]);
        if (rc < 0)
            return rc;
        d->nmissing++;
    }
    return 0;
}

/* A list of strings, "" allowed (an empty field); [] for none. */
static int read_missing(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj)
{
    const char *markers[256];
    char got[96];

    (void)f;
    if (v->kind != MG__YAML_SEQUENCE)
        return mg__yaml_fail(&c->r, v,
                             "expected a list of missing-value markers, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    if (v->n > 255)
        return mg__yaml_fail(&c->r, v, "at most 255 missing-value markers");
    for (size_t i = 0; i < v->n; i++) {
        const mg__yaml_node *m = v->items[i];
        if (m->kind != MG__YAML_SCALAR || m->length != strlen(m->text))
            return mg__yaml_fail(&c->r, m, "expected a string marker, got %s",
                                 mg__yaml_describe(m, got, sizeof got));
        markers[i] = m->text;
    }
    return set_missing(c, obj, markers, v->n);
}

static int default_missing_markers(mg__suite_ctx *c, const mg__field *f,
                                   const mg__yaml_node *map, void *obj)
{
    mg_data_spec *d = obj;

    mg__suite_loc(NULL, map, f->name, &d->missing_loc);
    return set_missing(c, d, default_missing,
                       sizeof default_missing / sizeof default_missing[0] - 1);
}

static const char *const extra_ids_names[] = {"error", "ignore", NULL};

/* error or ignore, into the int at value; the int at has (if any) set to 1. */
static int read_extra_ids(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, extra_ids_names, &k);

    if (rc == 0) {
        *MG__FIELD_AT(int, obj, f->value) = k;
        if (f->has != 0)
            *MG__FIELD_AT(int, obj, f->has) = 1;
    }
    return rc;
}

/* A list of distinct, non-empty names (classes, probability columns) into
 * *out / *n. */
static int read_names(mg__suite_ctx *c, const mg__yaml_node *v, const char *what,
                      char ***out, size_t *n)
{
    char got[96], shown[MG__YAML_CLIP_SIZE];
    int rc;

    if (v->kind != MG__YAML_SEQUENCE)
        return mg__yaml_fail(&c->r, v, "expected a list of %s, got %s", what,
                             mg__yaml_describe(v, got, sizeof got));
    if (v->n < 2)
        return mg__yaml_fail(&c->r, v, "expected at least two %s", what);
    if (v->n > 256)
        return mg__yaml_fail(&c->r, v, "at most 256 %s", what);
    if ((*out = calloc(v->n, sizeof **out)) == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        const char *name;
        if ((rc = mg__yaml_string(&c->r, v->items[i], &name)) < 0)
            return rc;
        if (name[0] == '\0')
            return mg__yaml_fail(&c->r, v->items[i], "expected a non-empty name");
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j], name) == 0)
                return mg__yaml_fail(&c->r, v->items[i],
                                     "'%s' appears twice in the list",
                                     mg__yaml_clip(name, strlen(name), shown));
        if ((rc = mg__suite_copy(c, name, &(*out)[i])) < 0)
            return rc;
        (*n)++;
    }
    return 0;
}

static int read_classes(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                        void *obj)
{
    mg_data_spec *d = obj;
    (void)f;
    if (c->suite->task != MG_TASK_MULTICLASS)
        return mg__yaml_fail(&c->r, v,
                             "classes is for multiclass suites (task: "
                             "multiclass); a binary suite names its positive");
    return read_names(c, v, "classes", &d->classes, &d->nclasses);
}

static int read_tolerance(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    mg_data_spec *d = obj;
    char got[96];
    int rc;
    (void)f;
    if (c->suite->task != MG_TASK_MULTICLASS)
        return mg__yaml_fail(&c->r, v,
                             "probability_tolerance is for multiclass suites");
    if ((rc = mg__yaml_number(&c->r, v, &d->probability_tolerance)) < 0)
        return rc;
    if (!(d->probability_tolerance > 0 && d->probability_tolerance < 1))
        return mg__yaml_fail(&c->r, v,
                             "expected a number between 0 and 1 (exclusive), got %s",
                             mg__yaml_describe(v, got, sizeof got));
    return 0;
}

/* positive: a binary suite's; a multiclass suite has classes instead. */
static int read_positive(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    if (c->suite->task == MG_TASK_MULTICLASS)
        return mg__yaml_fail(&c->r, v,
                             "positive is for binary suites; a multiclass "
                             "suite may list its classes (data.classes)");
    return mg__field_string(c, f, v, obj);
}

static int positive_absent(mg__suite_ctx *c, const mg__field *f,
                           const mg__yaml_node *map, void *obj)
{
    if (c->suite->task == MG_TASK_MULTICLASS)
        return 0;
    return mg__field_required(c, f, map, obj);
}

#define DATA(m) MG__FIELD(mg_data_spec, m)
static const mg__field data_fields[] = {
    {"holdout", .read = mg__field_path, .absent = mg__field_required,
     .value = DATA(holdout), .loc = DATA(holdout_loc)},
    {"id", .read = read_id, .value = DATA(id), .loc = DATA(id_loc)},
    {"label", .read = mg__field_string, .absent = mg__field_required,
     .value = DATA(label), .loc = DATA(label_loc)},
    {"positive", .read = read_positive, .absent = positive_absent,
     .value = DATA(positive), .loc = DATA(positive_loc)},
    {"classes", .read = read_classes, .loc = DATA(classes_loc)},
    {"probability_tolerance", .read = read_tolerance,
     .loc = DATA(probability_tolerance_loc)},
    {"delimiter", .read = read_delimiter},
    {"missing", .read = read_missing, .absent = default_missing_markers,
     .loc = DATA(missing_loc)},
    {"drop_missing", .read = mg__field_bool, .value = DATA(drop_missing),
     .loc = DATA(drop_missing_loc)},
    {"extra_ids", .read = read_extra_ids, .value = DATA(extra_ids),
     .loc = DATA(extra_ids_loc)},
    {"reference", .read = mg__field_path, .value = DATA(reference),
     .loc = DATA(reference_loc)},
    {.name = NULL},
};
MG__FIELDS_FIT(data_fields);
static const char *const data_reserved[] = {NULL};

/* ---- models -------------------------------------------------------------------- */

static const char *const scores_names[] = {"probability", "raw", NULL};

/* probability (default: checked against the threshold's scale) or raw. */
static int read_scores(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, scores_names, &k);

    if (rc == 0)
        ((mg_model_spec *)obj)->raw_scores = k == 1;
    return rc;
}

/* A key of one task's models (binary: score; multiclass: probabilities, prefix,
 * label), refused with the other's. */
static int task_key(mg__suite_ctx *c, const mg__yaml_node *v, mg_task task)
{
    if (c->suite->task == task)
        return 0;
    return mg__yaml_fail_key(
        &c->r, v->key, v, NULL, "%s",
        task == MG_TASK_BINARY
            ? "score is for binary models; a multiclass model names its probability "
              "columns (probabilities or prefix) and/or its predicted class (label)"
            : "probabilities, prefix and label are for multiclass models (task: "
              "multiclass); a binary model names its score");
}

static int read_score(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                      void *obj)
{
    int rc = task_key(c, v, MG_TASK_BINARY);
    return rc < 0 ? rc : mg__field_string(c, f, v, obj);
}

static int score_absent(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *map,
                        void *obj)
{
    if (c->suite->task != MG_TASK_BINARY)
        return 0;
    return mg__field_required(c, f, map, obj);
}

static int read_probabilities(mg__suite_ctx *c, const mg__field *f,
                              const mg__yaml_node *v, void *obj)
{
    mg_model_spec *m = obj;
    const mg_data_spec *d = &c->suite->data;
    int rc = task_key(c, v, MG_TASK_MULTICLASS);
    (void)f;
    if (rc < 0 || (rc = read_names(c, v, "probability columns", &m->probabilities,
                                   &m->nprobabilities)) < 0)
        return rc;
    if (d->classes != NULL && m->nprobabilities != d->nclasses)
        return mg__yaml_fail(&c->r, v,
                             "%zu probability columns for %zu classes (data.classes, "
                             "line %lu): one column per class, in that order",
                             m->nprobabilities, d->nclasses, d->classes_loc.line);
    return 0;
}

static int read_mc_string(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    int rc = task_key(c, v, MG_TASK_MULTICLASS);
    return rc < 0 ? rc : mg__field_string(c, f, v, obj);
}

/* A multiclass model needs probabilities (a list or a prefix) or a predicted class. */
static int check_multiclass_model(mg__suite_ctx *c, const mg__yaml_node *map,
                                  mg_model_spec *m)
{
    if (c->suite->task != MG_TASK_MULTICLASS)
        return 0;
    if (m->probabilities != NULL && m->prefix != NULL)
        return mg__yaml_fail(&c->r, mg__yaml_get(map, "prefix"),
                             "give probabilities or prefix, not both");
    if (m->probabilities == NULL && m->prefix == NULL && m->label == NULL)
        return mg__yaml_fail(&c->r, map,
                             "a multiclass model needs probabilities (a list of "
                             "columns, one per class), prefix (columns named prefix + "
                             "class) or label (its predicted class)");
    return 0;
}

#define MODEL(m) MG__FIELD(mg_model_spec, m)
static const mg__field model_fields[] = {
    {"file", .read = mg__field_path, .value = MODEL(file), .loc = MODEL(file_loc)},
    {"score", .read = read_score, .absent = score_absent, .value = MODEL(score),
     .loc = MODEL(score_loc)},
    {"probabilities", .read = read_probabilities, .loc = MODEL(probabilities_loc)},
    {"prefix", .read = read_mc_string, .value = MODEL(prefix),
     .loc = MODEL(prefix_loc)},
    {"label", .read = read_mc_string, .value = MODEL(label), .loc = MODEL(label_loc)},
    {"threshold", .read = mg__field_number, .value = MODEL(threshold),
     .has = MODEL(has_threshold)},
    {"id", .read = read_id, .value = MODEL(id), .loc = MODEL(id_loc)},
    {"scores", .read = read_scores},
    {"extra_ids", .read = read_extra_ids, .value = MODEL(extra_ids),
     .has = MODEL(has_extra_ids), .loc = MODEL(extra_ids_loc)},
    {.name = NULL},
};
MG__FIELDS_FIT(model_fields);
static const char *const model_reserved[] = {"prediction", "lower", "upper", NULL};

/* ---- bootstrap ----------------------------------------------------------------- */

static const char *const interval_names[] = {"bca", "percentile", "basic", "analytic",
                                             NULL};
static const char *const stratify_names[] = {"none", "label", NULL};
static const char *const resampler_names[] = {"multinomial", "poisson", NULL};

static int read_replicates(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 1, MAX_REPLICATES, &n);

    (void)f;
    if (rc == 0)
        ((mg_bootstrap_spec *)obj)->replicates = (size_t)n;
    return rc;
}

static int read_confidence(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                           void *obj)
{
    mg_bootstrap_spec *b = obj;
    char got[96];
    int rc;

    (void)f;
    if ((rc = mg__yaml_number(&c->r, v, &b->confidence)) < 0)
        return rc;
    if (!(b->confidence > 0 && b->confidence < 1))
        return mg__yaml_fail(&c->r, v,
                             "expected a number between 0 and 1 (exclusive), got %s",
                             mg__yaml_describe(v, got, sizeof got));
    return 0;
}

static int read_interval(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, interval_names, &k);

    if (rc == 0)
        ((mg_bootstrap_spec *)obj)->interval = (mg_interval_kind)k;
    return rc;
}

static int read_seed(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    (void)f;
    return mg__yaml_uint(&c->r, v, 0, UINT64_MAX, &((mg_bootstrap_spec *)obj)->seed);
}

static int read_stratify(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, stratify_names, &k);

    if (rc == 0)
        ((mg_bootstrap_spec *)obj)->stratify = (mg_stratify)k;
    return rc;
}

static int read_resampler(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    int k = 0, rc = mg__yaml_enum(&c->r, v, f->name, resampler_names, &k);

    if (rc == 0)
        ((mg_bootstrap_spec *)obj)->resampler = (mg_resampler)k;
    return rc;
}

#define BOOT(m) MG__FIELD(mg_bootstrap_spec, m)
static const mg__field bootstrap_fields[] = {
    {"replicates", .read = read_replicates},
    {"confidence", .read = read_confidence},
    {"interval", .read = read_interval, .loc = BOOT(interval_loc)},
    {"seed", .read = read_seed},
    {"stratify", .read = read_stratify},
    {"cluster", .read = mg__field_string, .value = BOOT(cluster),
     .loc = BOOT(cluster_loc)},
    {"resampler", .read = read_resampler},
    {.name = NULL},
};
MG__FIELDS_FIT(bootstrap_fields);

/* ---- slices -------------------------------------------------------------------- */

/* The slicing's single column. */
static int one_column(mg__suite_ctx *c, mg_slicing_spec *sl, const char *name)
{
    int rc;

    sl->columns = calloc(1, sizeof *sl->columns);
    if (sl->columns == NULL)
        return mg__yaml_oom(&c->r);
    if ((rc = mg__suite_copy(c, name, &sl->columns[0])) < 0)
        return rc;
    sl->ncolumns = 1;
    return 0;
}

static int read_column(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    const char *s;
    int rc = mg__yaml_string(&c->r, v, &s);

    (void)f;
    return rc < 0 ? rc : one_column(c, obj, s);
}

/* Ascending edges: one slice per bin of a number column. */
static int read_bins(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    mg_slicing_spec *sl = obj;
    size_t i;
    int rc;

    (void)f;
    if ((rc = mg__yaml_list(&c->r, v)) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one bin edge");
    sl->bins = calloc(v->n, sizeof *sl->bins);
    if (sl->bins == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++) {
        double x = 0;

        if ((rc = mg__yaml_number(&c->r, v->items[i], &x)) < 0)
            return rc;
        if (i > 0 && !(x > sl->bins[i - 1]))
            return mg__yaml_fail(&c->r, v->items[i],
                                 "bin edges must be ascending, got %g after %g", x,
                                 sl->bins[i - 1]);
        sl->bins[sl->nbins++] = x;
    }
    return 0;
}

/* The number of bins of a quantile slicing: 2 to MAX_QUANTILES. */
static int read_quantiles(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    uint64_t k = 0;
    int rc = mg__yaml_uint(&c->r, v, 2, MAX_QUANTILES, &k);

    (void)f;
    if (rc == 0)
        ((mg_slicing_spec *)obj)->quantiles = (size_t)k;
    return rc;
}

/* A list of strings (or one string), at least one, into *values. */
static int read_values(mg__suite_ctx *c, const mg__yaml_node *v, char ***values,
                       size_t *n)
{
    size_t count = v->kind == MG__YAML_SEQUENCE ? v->n : 1;
    int rc;

    if (v->kind == MG__YAML_MAP) {
        char got[96];
        return mg__yaml_fail(&c->r, v, "expected a value or a list of values, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    }
    if (count == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one value");
    *values = calloc(count, sizeof **values);
    if (*values == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < count; i++) {
        const mg__yaml_node *item = v->kind == MG__YAML_SEQUENCE ? v->items[i] : v;
        const char *s;

        if ((rc = mg__yaml_string(&c->r, item, &s)) < 0 ||
            (rc = mg__suite_copy(c, s, &(*values)[i])) < 0)
            return rc;
        (*n)++;
    }
    return 0;
}

/* The group (index < ngroups) that already lists `value`, or -1. */
static long group_of(const mg_slicing_spec *sl, size_t ngroups, const char *value)
{
    for (size_t g = 0; g < ngroups; g++)
        for (size_t j = 0; j < sl->groups[g].nvalues; j++)
            if (strcmp(sl->groups[g].values[j], value) == 0)
                return (long)g;
    return -1;
}

/* Named groups of column values, `{EU: [DE, FR], NA: [US, CA]}`: a value may
 * belong to one group only. */
static int read_groups(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    mg_slicing_spec *sl = obj;
    char shown[MG__YAML_CLIP_SIZE];
    int rc;

    (void)f;
    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "group")) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one group");
    sl->groups = calloc(v->n, sizeof *sl->groups);
    if (sl->groups == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t g = 0; g < v->n; g++) {
        mg_group_spec *gr = &sl->groups[sl->ngroups++];
        size_t cur = sl->ngroups - 1; /* counted first: freed with the suite */

        mg__suite_loc(v->items[g], v->items[g], NULL, &gr->loc);
        if ((rc = mg__suite_copy(c, v->keys[g]->text, &gr->name)) < 0 ||
            (rc = read_values(c, v->items[g], &gr->values, &gr->nvalues)) < 0)
            return rc;
        for (size_t j = 0; j < gr->nvalues; j++) {
            long in = group_of(sl, cur, gr->values[j]);
            const mg__yaml_node *at = v->items[g]->kind == MG__YAML_SEQUENCE
                                          ? v->items[g]->items[j]
                                          : v->items[g];
            if (in < 0)
                for (size_t q = 0; q < j && in < 0; q++)
                    in = strcmp(gr->values[q], gr->values[j]) == 0 ? (long)cur : -1;
            if (in >= 0)
                return mg__yaml_fail(
                    &c->r, at, "value '%s' is already in group '%s'",
                    mg__yaml_clip(gr->values[j], strlen(gr->values[j]), shown),
                    sl->groups[in].name);
        }
    }
    return 0;
}

static const char *const where_ops[] = {"<", "<=", ">", ">=", "in", "not_in", NULL};

/* One condition: op on column, its value node v. */
static int read_condition(mg__suite_ctx *c, const char *column, mg_where_op op,
                          const mg__yaml_node *v, mg_where_cond *w)
{
    int rc;

    mg__suite_loc(v, v, NULL, &w->loc);
    w->op = op;
    if ((rc = mg__suite_copy(c, column, &w->column)) < 0)
        return rc;
    if (op == MG_WHERE_IN || op == MG_WHERE_NOT_IN) {
        if (v->kind != MG__YAML_SEQUENCE) {
            char got[96];
            return mg__yaml_fail(&c->r, v, "expected a list of values, got %s",
                                 mg__yaml_describe(v, got, sizeof got));
        }
        return read_values(c, v, &w->values, &w->nvalues);
    }
    if (op != MG_WHERE_EQ && (rc = mg__yaml_number(&c->r, v, &w->number)) < 0)
        return rc;
    if (v->kind != MG__YAML_SCALAR) {
        char got[96];
        return mg__yaml_fail(&c->r, v, "expected a value, got %s",
                             mg__yaml_describe(v, got, sizeof got));
    }
    return read_values(c, v, &w->values, &w->nvalues);
}

/*
 * A filter, `{plan: premium, age: {">=": 18, "<": 60}, region: [EU, NA]}`: per
 * column a value (equal), a list (in) or a map of operators, all of which a row
 * must meet.
 */
int mg__suite_where(mg__suite_ctx *c, const mg__yaml_node *v, mg_where_cond **out,
                    size_t *n)
{
    size_t count = 0;
    int rc;

    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "column")) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one condition");
    for (size_t i = 0; i < v->n; i++) {
        const mg__yaml_node *x = v->items[i];
        if (x->kind == MG__YAML_MAP) {
            if ((rc = mg__yaml_check_map(&c->r, x, where_ops, NULL, "where operator")) <
                0)
                return rc;
            if (x->n == 0)
                return mg__yaml_fail(&c->r, x,
                                     "expected at least one operator (<, <=, >, >=, "
                                     "in, not_in)");
        }
        count += x->kind == MG__YAML_MAP ? x->n : 1;
    }
    *out = calloc(count, sizeof **out);
    if (*out == NULL)
        return mg__yaml_oom(&c->r);
    for (size_t i = 0; i < v->n; i++) {
        const mg__yaml_node *x = v->items[i];
        const char *column = v->keys[i]->text;

        if (x->kind == MG__YAML_MAP) {
            for (size_t j = 0; j < x->n; j++) {
                int op = 0;
                while (strcmp(where_ops[op], x->keys[j]->text) != 0)
                    op++;
                if ((rc = read_condition(c, column, (mg_where_op)(MG_WHERE_LT + op),
                                         x->items[j], &(*out)[(*n)++])) < 0)
                    return rc;
            }
        } else if ((rc = read_condition(c, column,
                                        x->kind == MG__YAML_SEQUENCE ? MG_WHERE_IN
                                                                     : MG_WHERE_EQ,
                                        x, &(*out)[(*n)++])) < 0) {
            return rc;
        }
    }
    return 0;
}

void mg__suite_where_free(mg_where_cond *w, size_t n)
{
    for (size_t i = 0; w != NULL && i < n; i++) {
        free(w[i].column);
        for (size_t j = 0; j < w[i].nvalues; j++)
            free(w[i].values[j]);
        free(w[i].values);
    }
    free(w);
}

static int read_slicing_where(mg__suite_ctx *c, const mg__field *f,
                              const mg__yaml_node *v, void *obj)
{
    mg_slicing_spec *sl = obj;

    (void)f;
    return mg__suite_where(c, v, &sl->where, &sl->nwhere);
}

static int read_cross(mg__suite_ctx *c, const mg__yaml_node *v, mg_slicing_spec *sl);

static int read_cross_key(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    int rc;

    (void)f;
    if (((mg_slicing_spec *)obj)->columns != NULL)
        return mg__yaml_fail_key(&c->r, v->key, v, NULL,
                                 "a slicing has a column or a cross, not both");
    if ((rc = mg__yaml_list(&c->r, v)) < 0)
        return rc;
    return read_cross(c, v, obj);
}

static const mg__field slicing_fields[] = {
    {"column", .read = read_column},
    {"cross", .read = read_cross_key},
    {"bins", .read = read_bins},
    {"quantiles", .read = read_quantiles},
    {"groups", .read = read_groups},
    {"other", .read = mg__field_bool, .value = MG__FIELD(mg_slicing_spec, other)},
    {"where", .read = read_slicing_where},
    {.name = NULL},
};
MG__FIELDS_FIT(slicing_fields);

/* A slicing map names what it cuts (column or cross, or only a filter) and at most
 * one way of cutting a column. */
static int check_slicing_map(mg__suite_ctx *c, const mg__yaml_node *v,
                             const mg_slicing_spec *sl)
{
    static const char *const kinds[] = {"bins", "quantiles", "groups"};
    const mg__yaml_node *col = mg__yaml_get(v, "column");
    const char *kind = NULL;

    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const mg__yaml_node *k = mg__yaml_get(v, kinds[i]);
        if (k == NULL)
            continue;
        if (kind != NULL)
            return mg__yaml_fail_key(&c->r, k->key, k, NULL,
                                     "%s and %s cannot be combined: a slicing cuts a "
                                     "column one way (cross two slicings instead)",
                                     kind, kinds[i]);
        kind = kinds[i];
        if (col == NULL)
            return mg__yaml_fail_key(&c->r, k->key, k, NULL, "%s needs a column",
                                     kinds[i]);
    }
    if (mg__yaml_get(v, "other") != NULL && sl->groups == NULL) {
        const mg__yaml_node *o = mg__yaml_get(v, "other");
        return mg__yaml_fail_key(&c->r, o->key, o, NULL, "other needs groups");
    }
    if (sl->columns == NULL && sl->nwhere == 0)
        return mg__yaml_fail(&c->r, v,
                             "a slicing needs a column, a cross or a where filter");
    return 0;
}

/* A list of at least two distinct names, columns or slicings: a cross. */
static int read_cross(mg__suite_ctx *c, const mg__yaml_node *v, mg_slicing_spec *sl)
{
    char shown[MG__YAML_CLIP_SIZE];
    size_t i, j;
    int rc;

    if (v->n < 2)
        return mg__yaml_fail(&c->r, v,
                             "a cross needs at least two columns or slicings");
    sl->is_cross = 1;
    sl->columns = calloc(v->n, sizeof *sl->columns);
    if (sl->columns == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++) {
        const char *s;

        if ((rc = mg__yaml_string(&c->r, v->items[i], &s)) < 0)
            return rc;
        for (j = 0; j < sl->ncolumns; j++)
            if (strcmp(sl->columns[j], s) == 0)
                return mg__yaml_fail(&c->r, v->items[i],
                                     "'%s' appears twice in the cross",
                                     mg__yaml_clip(s, strlen(s), shown));
        if ((rc = mg__suite_copy(c, s, &sl->columns[i])) < 0)
            return rc;
        sl->ncolumns++;
    }
    return 0;
}

/* A column name, a list (a cross) or a map. */
static int read_slicing(mg__suite_ctx *c, const mg__yaml_node *v, mg_slicing_spec *sl)
{
    const char *s;
    int rc;

    sl->other = 1;
    if (v->kind == MG__YAML_SEQUENCE)
        return read_cross(c, v, sl);
    if (v->kind == MG__YAML_MAP) {
        if ((rc = mg__suite_section(c, v, slicing_fields, NULL, "slicing option", sl)) <
            0)
            return rc;
        return check_slicing_map(c, v, sl);
    }
    if ((rc = mg__yaml_string(&c->r, v, &s)) < 0)
        return rc;
    return one_column(c, sl, s);
}

/* The node of part `i` of the cross of slicing value v. */
static const mg__yaml_node *cross_part(const mg__yaml_node *v, size_t i)
{
    if (v->kind == MG__YAML_MAP)
        v = mg__yaml_get(v, "cross");
    return v->items[i];
}

/*
 * A part of a cross names another slicing when one is declared by that name (its
 * own name is a column), else a column. Slicings may refer to each other in any
 * order but not in a circle: a walk from each cross follows its references, and
 * meeting the start again is the error, reported at the reference that closes it.
 */
static int resolve_crosses(mg__suite_ctx *c, const mg__yaml_node *v)
{
    mg_suite *s = c->suite;

    for (size_t k = 0; k < s->nslicings; k++) {
        mg_slicing_spec *sl = &s->slicings[k];
        if (!sl->is_cross)
            continue;
        for (size_t i = 0; i < sl->ncolumns; i++) {
            long r = mg_suite_slicing(s, sl->columns[i]);
            if (r < 0 || (size_t)r == k)
                continue;
            if (sl->refs == NULL) {
                sl->refs = malloc(sl->ncolumns * sizeof *sl->refs);
                if (sl->refs == NULL)
                    return mg__yaml_oom(&c->r);
                for (size_t j = 0; j < sl->ncolumns; j++)
                    sl->refs[j] = -1;
            }
            sl->refs[i] = r;
        }
    }
    /* Peel off the slicings whose parts are all resolved; what is left leads into
     * a circle, and its first reference to another unresolved slicing is the place
     * to report. */
    unsigned char *done = calloc(s->nslicings, 1);
    size_t left = s->nslicings, progress = 1;
    if (done == NULL)
        return mg__yaml_oom(&c->r);
    while (left > 0 && progress) {
        progress = 0;
        for (size_t k = 0; k < s->nslicings; k++) {
            const mg_slicing_spec *sl = &s->slicings[k];
            int ready = !done[k];
            for (size_t i = 0; ready && sl->refs && i < sl->ncolumns; i++)
                ready = sl->refs[i] < 0 || done[sl->refs[i]];
            if (ready) {
                done[k] = 1;
                left--;
                progress = 1;
            }
        }
    }
    for (size_t k = 0; left > 0 && k < s->nslicings; k++) {
        const mg_slicing_spec *sl = &s->slicings[k];
        for (size_t i = 0; !done[k] && sl->refs && i < sl->ncolumns; i++)
            if (sl->refs[i] >= 0 && !done[sl->refs[i]]) {
                free(done);
                return mg__yaml_fail(&c->r, cross_part(v->items[k], i),
                                     "slicing '%s' crosses '%s', which leads back to "
                                     "it (a circle of slicings)",
                                     sl->name, s->slicings[sl->refs[i]].name);
            }
    }
    free(done);
    return 0;
}

/* ---- The top level ------------------------------------------------------------- */

static int read_task(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    static const char *const tasks[] = {"binary", "multiclass", "regression", NULL};
    char shown[MG__YAML_CLIP_SIZE], extra[128];
    mg__yaml_nearest best;
    const char *s;
    int rc;

    (void)f;
    if ((rc = mg__yaml_string(&c->r, v, &s)) < 0)
        return rc;
    if (strcmp(s, "binary") == 0) {
        ((mg_suite *)obj)->task = MG_TASK_BINARY;
        return 0;
    }
    if (strcmp(s, "multiclass") == 0) {
        ((mg_suite *)obj)->task = MG_TASK_MULTICLASS;
        return 0;
    }
    if (strcmp(s, "regression") == 0)
        return mg__yaml_fail(
            &c->r, v, "task '%s' is not supported yet (binary or multiclass)", s);
    best = mg__yaml_nearest_in(s, tasks);
    return mg__yaml_fail(&c->r, v, "unknown task '%s'%s",
                         mg__yaml_clip(s, strlen(s), shown),
                         mg__yaml_hint(&best, extra, sizeof extra));
}

static int read_data(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                     void *obj)
{
    (void)f;
    return mg__suite_section(c, v, data_fields, data_reserved, "key",
                             &((mg_suite *)obj)->data);
}

/* Any number of models, at least one; names are free. */
static int read_models(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    mg_suite *s = obj;
    size_t i;
    int rc;

    (void)f;
    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "model")) < 0)
        return rc;
    if (v->n == 0)
        return mg__yaml_fail(&c->r, v, "expected at least one model");
    s->models = calloc(v->n, sizeof *s->models);
    if (s->models == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++) {
        mg_model_spec *m = &s->models[s->nmodels++];

        mg__suite_loc(v->keys[i], v->items[i], NULL, &m->loc);
        if ((rc = mg__suite_copy(c, v->keys[i]->text, &m->name)) < 0 ||
            (rc = mg__suite_section(c, v->items[i], model_fields, model_reserved, "key",
                                    m)) < 0 ||
            (rc = check_multiclass_model(c, v->items[i], m)) < 0)
            return rc;
    }
    return 0;
}

static int read_bootstrap(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                          void *obj)
{
    (void)f;
    return mg__suite_section(c, v, bootstrap_fields, NULL, "key",
                             &((mg_suite *)obj)->bootstrap);
}

/* Without a bootstrap section its settings are defaults, located by their keys. */
static int default_bootstrap(mg__suite_ctx *c, const mg__field *f,
                             const mg__yaml_node *root, void *obj)
{
    mg_bootstrap_spec *b = &((mg_suite *)obj)->bootstrap;

    (void)c;
    mg__suite_loc(NULL, root, f->name, &b->loc);
    mg__suite_loc(NULL, root, "bootstrap.interval", &b->interval_loc);
    mg__suite_loc(NULL, root, "bootstrap.cluster", &b->cluster_loc);
    return 0;
}

/* Named slicings: a column, a list (a cross) or a map. */
static int read_slices(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                       void *obj)
{
    mg_suite *s = obj;
    size_t i;
    int rc;

    (void)f;
    if ((rc = mg__yaml_check_map(&c->r, v, NULL, NULL, "slicing")) < 0 || v->n == 0)
        return rc;
    s->slicings = calloc(v->n, sizeof *s->slicings);
    if (s->slicings == NULL)
        return mg__yaml_oom(&c->r);
    for (i = 0; i < v->n; i++) {
        mg_slicing_spec *sl = &s->slicings[s->nslicings++];

        mg__suite_loc(v->keys[i], v->items[i], NULL, &sl->loc);
        if ((rc = mg__suite_copy(c, v->keys[i]->text, &sl->name)) < 0 ||
            (rc = read_slicing(c, v->items[i], sl)) < 0)
            return rc;
    }
    return resolve_crosses(c, v);
}

static int read_min_size(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                         void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 0, SIZE_MAX, &n);

    (void)f;
    if (rc == 0)
        ((mg_suite *)obj)->min_size = (size_t)n;
    return rc;
}

/* A count floor (min_positives, min_negatives) into the size_t at f->value. */
static int read_floor(mg__suite_ctx *c, const mg__field *f, const mg__yaml_node *v,
                      void *obj)
{
    uint64_t n = 0;
    int rc = mg__yaml_uint(&c->r, v, 0, SIZE_MAX, &n);

    if (rc == 0)
        *MG__FIELD_AT(size_t, obj, f->value) = (size_t)n;
    return rc;
}

#define SUITE(m) MG__FIELD(mg_suite, m)
static const mg__field suite_fields[] = {
    {"suite", .read = mg__field_string, .absent = mg__field_required,
     .value = SUITE(name)},
    {"task", .read = read_task, .absent = mg__field_required},
    {"data", .read = read_data, .absent = mg__field_required},
    {"models", .read = read_models, .absent = mg__field_required},
    {"threshold", .read = mg__field_number, .value = SUITE(threshold)},
    {"bootstrap", .read = read_bootstrap, .absent = default_bootstrap,
     .loc = SUITE(bootstrap.loc)},
    {"slices", .read = read_slices},
    {"min_size", .read = read_min_size},
    {"min_positives", .read = read_floor, .value = SUITE(min_positives)},
    {"min_negatives", .read = read_floor, .value = SUITE(min_negatives)},
    {"on_undefined", .read = mg__suite_read_on_undefined, .value = SUITE(on_undefined)},
    {"checks", .read = mg__suite_checks},
    {"tests", .read = mg__suite_tests},
    {"drift", .read = mg__suite_drift},
    {.name = NULL},
};
MG__FIELDS_FIT(suite_fields);

size_t mg__suite_schema(mg__schema_section *out, size_t max)
{
    mg__schema_section sections[] = {
        {"", suite_fields, NULL},
        {"data", data_fields, data_reserved},
        {"models.NAME", model_fields, model_reserved},
        {"bootstrap", bootstrap_fields, NULL},
        {"slices.NAME", slicing_fields, NULL},
        {"checks[]", NULL, NULL},
        {"tests[]", NULL, NULL},
        {"drift[]", NULL, NULL},
    };
    size_t count = sizeof sections / sizeof sections[0];
    sections[count - 3].fields = mg__suite_check_fields();
    sections[count - 2].fields = mg__suite_test_fields(&sections[count - 2].reserved);
    sections[count - 1].fields = mg__suite_drift_fields();
    for (size_t i = 0; i < count && i < max; i++)
        out[i] = sections[i];
    return count;
}

/* ---- Loading ------------------------------------------------------------------- */

static mg_suite *suite_new(const char *path)
{
    mg_suite *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->path = strdup(path);
    if (s->path == NULL) {
        free(s);
        return NULL;
    }
    s->task = MG_TASK_BINARY;
    s->data.delimiter = ',';
    s->threshold = 0.5;
    s->bootstrap.replicates = 2000;
    s->bootstrap.confidence = 0.95;
    s->bootstrap.interval = MG_INTERVAL_BCA;
    s->bootstrap.seed = 1;
    s->bootstrap.stratify = MG_STRATIFY_NONE;
    s->bootstrap.resampler = MG_RESAMPLER_MULTINOMIAL;
    s->min_size = 1;
    s->on_undefined = MG_ON_UNDEFINED_ERROR;
    s->data.probability_tolerance = 1e-6;
    return s;
}

/* Standard input ("-") can be read once: by the holdout, or by the prediction file
 * that one or more models share. */
static int check_stdin(const mg_suite *s, mg_error *err)
{
    if (strcmp(s->data.holdout, "-") != 0)
        return 0;
    for (size_t m = 0; m < s->nmodels; m++)
        if (s->models[m].file != NULL && strcmp(s->models[m].file, "-") == 0)
            return mg_suite_error(s, &s->models[m].file_loc, err, MG_EPARSE,
                                  "standard input ('-') is already the holdout set "
                                  "(data.holdout); only one input file can be '-'");
    return 0;
}

static int load(mg_suite **out, const char *path, mg_error *err)
{
    mg__yaml_doc *doc = NULL;
    mg_suite *s = NULL;
    mg__suite_ctx c;
    int rc;

    if (out == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no suite path given");
    *out = NULL;
    if ((rc = mg__yaml_load(&doc, path, &suite_limits, err)) < 0)
        goto cleanup;
    if ((s = suite_new(path)) == NULL) {
        rc = mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    c.r.file = s->path;
    c.r.err = err;
    c.suite = s;
    if ((rc = mg__suite_section(&c, mg__yaml_root(doc), suite_fields, NULL, "key", s)) <
            0 ||
        (rc = check_stdin(s, err)) < 0)
        goto cleanup;
    *out = s;
    s = NULL;

cleanup:
    mg_suite_free(s);
    mg__yaml_free(doc);
    return rc;
}

/* Messages quote numbers from the file ("bin edges must be ascending, got 0.9 after
 * 1.5"); they read the same whatever LC_NUMERIC the host set. */
int mg_suite_load(mg_suite **out, const char *path, mg_error *err)
{
    mg__c_numeric scope = {0};
    int rc;
    if (mg__c_numeric_begin(&scope) != 0)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
    rc = load(out, path, err);
    mg__c_numeric_end(&scope);
    return rc;
}

void mg_suite_free(mg_suite *s)
{
    size_t i, j;

    if (s == NULL)
        return;
    free(s->path);
    free(s->name);
    free(s->data.holdout);
    free(s->data.id);
    free(s->data.label);
    free(s->data.positive);
    free(s->data.reference);
    mg__suite_drift_free(s);
    for (i = 0; s->data.missing != NULL && i < s->data.nmissing; i++)
        free(s->data.missing[i]);
    free(s->data.missing);
    for (i = 0; s->data.classes != NULL && i < s->data.nclasses; i++)
        free(s->data.classes[i]);
    free(s->data.classes);
    for (i = 0; i < s->nmodels; i++) {
        free(s->models[i].name);
        free(s->models[i].file);
        free(s->models[i].score);
        free(s->models[i].id);
        for (j = 0; s->models[i].probabilities && j < s->models[i].nprobabilities; j++)
            free(s->models[i].probabilities[j]);
        free(s->models[i].probabilities);
        free(s->models[i].prefix);
        free(s->models[i].label);
    }
    free(s->models);
    free(s->bootstrap.cluster);
    for (i = 0; i < s->nslicings; i++) {
        free(s->slicings[i].name);
        for (j = 0; j < s->slicings[i].ncolumns; j++)
            free(s->slicings[i].columns[j]);
        free(s->slicings[i].columns);
        free(s->slicings[i].bins);
        free(s->slicings[i].refs);
        for (j = 0; j < s->slicings[i].ngroups; j++) {
            mg_group_spec *g = &s->slicings[i].groups[j];
            free(g->name);
            for (size_t q = 0; q < g->nvalues; q++)
                free(g->values[q]);
            free(g->values);
        }
        free(s->slicings[i].groups);
        mg__suite_where_free(s->slicings[i].where, s->slicings[i].nwhere);
    }
    free(s->slicings);
    for (i = 0; i < s->ntests; i++) {
        free(s->tests[i].name);
        free(s->tests[i].model);
        free(s->tests[i].slices);
        free(s->tests[i].baseline);
        for (j = 0; j < s->tests[i].nthresholds; j++)
            free(s->tests[i].thresholds[j].slice);
        free(s->tests[i].thresholds);
        mg__suite_where_free(s->tests[i].where, s->tests[i].nwhere);
        for (j = 0; j < s->tests[i].nweak_columns; j++)
            free(s->tests[i].weak_columns[j]);
        free(s->tests[i].weak_columns);
        free(s->tests[i].weak_quantiles);
        free(s->tests[i].class_name);
    }
    free(s->tests);
    for (i = 0; i < s->nchecks; i++)
        mg__check_spec_clear(&s->checks[i]);
    free(s->checks);
    free(s);
}

long mg_suite_model(const mg_suite *suite, const char *name)
{
    size_t i;

    if (suite == NULL || name == NULL)
        return -1;
    for (i = 0; i < suite->nmodels; i++)
        if (suite->models[i].name != NULL && strcmp(suite->models[i].name, name) == 0)
            return (long)i;
    return -1;
}

long mg_suite_slicing(const mg_suite *suite, const char *name)
{
    size_t i;

    if (suite == NULL || name == NULL)
        return -1;
    for (i = 0; i < suite->nslicings; i++)
        if (suite->slicings[i].name != NULL && !suite->slicings[i].discovery &&
            strcmp(suite->slicings[i].name, name) == 0)
            return (long)i;
    return -1;
}

int mg_suite_error(const mg_suite *suite, const mg_loc *loc, mg_error *err, int code,
                   const char *fmt, ...)
{
    char msg[MG_ERROR_MESSAGE_MAX];
    va_list ap;

    if (err == NULL)
        return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mg_error_set(err, code, suite != NULL ? suite->path : NULL, loc ? loc->line : 0,
                 loc ? loc->column : 0, "%s", msg);
    if (loc != NULL)
        mg_error_set_key(err, loc->key);
    return code;
}
