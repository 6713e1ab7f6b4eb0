/*
 * Run diff: two JSON reports of one suite compared, case by case.
 *
 * The reports are read back with jansson, the library that wrote them, so numbers
 * come back as the very doubles the runs compared (the writer prints 17 significant
 * digits). A report is checked as it is read: a JSON syntax error is located by
 * jansson's line and column, anything else by its key (`cases[3].outcome`); a
 * document without "schema" is not a modelgate report, and one of a schema this
 * library does not read is refused rather than half understood, since a schema
 * number goes up exactly when a field changes its meaning (docs/json.md).
 *
 * Pairing. A case is one test on one slice, and test names are unique within a
 * suite, so (test, slice) identifies a case. Both sides' cases are sorted by that
 * key and merged, O(n log n) for a suite of thousands of slices. Before that, the
 * tests are paired by name, and a test found only in base is paired with a test
 * found only in head when the two have the same definition (metric, model,
 * baseline, kind, thresholds or absolute margin, rule, slicing) and neither has
 * another such partner: that is a rename, and its cases are compared rather than
 * listed as vanished and new. A paired test whose definition changed is compared
 * all the same, with a note saying what changed, since an outcome that moved
 * because a threshold moved is not a regression of the model.
 *
 * What is compared is what each rule compared: the estimate and its interval for a
 * threshold test, Δ and its interval for a comparison (and for the other kinds
 * that compare a difference: a slice against the whole set or the rest, a gap
 * against a baseline's). A regression is a case that passed in base and fails or
 * errs in head; that is what makes `modelgate diff` exit 1. The provenance is
 * compared too: an input whose SHA-256 differs, another seed or other bootstrap
 * settings explain movement that is not the model's.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "modelgate/diff.h"
#include "reporters/report_internal.h"
#include "reporters/xmlclean.h"

/* The JSON schema versions this file reads. */
#define SCHEMA_READ 1

/* One case as read from a report; strings borrowed from the JSON tree. */
typedef struct rcase {
    const char *test, *slice, *metric, *model, *baseline;
    mg_diff_side side;
    int is_delta;
    size_t pos;       /* its place in the report */
    const char *pair; /* the test name it pairs under (base's name when renamed) */
} rcase;

/* A test's definition, read from its first case. */
typedef struct rtest {
    const char *name;
    const char *metric, *model, *baseline, *kind, *rule, *slicing, *comparison;
    int has_at_least, has_at_most, has_margin, relative;
    double at_least, at_most, margin;
    const char *partner; /* the other report's name for it, or NULL */
} rtest;

typedef struct rinput {
    const char *role, *path, *sha256;
    size_t rows;
} rinput;

/* One report read. */
typedef struct side {
    const char *name; /* the file, as named by the caller */
    json_t *root;
    mg_error *err;
    const char *suite, *tool_version, *seed, *interval, *resampler, *stratify, *cluster;
    char seed_buf[32];
    long long replicates;
    double confidence;
    rcase *cases;
    size_t ncases;
    rtest *tests;
    size_t ntests;
    rinput *inputs;
    size_t ninputs;
} side;

/* ------------------------------------------------------------------ reading */

static int bad(side *s, const char *key, const char *fmt, const char *arg)
{
    mg_error_set(s->err, MG_EPARSE, s->name, 0, 0, fmt, arg);
    return mg_error_set_key(s->err, key);
}

static int nomem(side *s)
{
    return mg_error_set(s->err, MG_ENOMEM, s->name, 0, 0, "out of memory");
}

/* obj[key] as a string (NULL for null when `nullable`); `where` prefixes the key. */
static int get_str(side *s, json_t *obj, const char *where, const char *key,
                   int nullable, const char **out)
{
    char path[MG_ERROR_KEY_MAX];
    json_t *v = json_object_get(obj, key);
    snprintf(path, sizeof path, "%s%s%s", where, where[0] ? "." : "", key);
    *out = NULL;
    if (v == NULL)
        return bad(s, path, "%s is missing", "the key");
    if (json_is_null(v) && nullable)
        return 0;
    if (!json_is_string(v))
        return bad(s, path, "expected a string%s", nullable ? " or null" : "");
    *out = json_string_value(v);
    return 0;
}

/* obj[key] as a number, or null (has = 0). */
static int get_num(side *s, json_t *obj, const char *where, const char *key, int *has,
                   double *out)
{
    char path[MG_ERROR_KEY_MAX];
    json_t *v = json_object_get(obj, key);
    snprintf(path, sizeof path, "%s%s%s", where, where[0] ? "." : "", key);
    *has = 0;
    *out = 0;
    if (v == NULL)
        return bad(s, path, "%s is missing", "the key");
    if (json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return bad(s, path, "expected a number or null%s", "");
    *out = json_number_value(v);
    *has = isfinite(*out);
    return 0;
}

/* obj[key] as a non-negative integer. */
static int get_count(side *s, json_t *obj, const char *where, const char *key,
                     long long *out)
{
    char path[MG_ERROR_KEY_MAX];
    json_t *v = json_object_get(obj, key);
    snprintf(path, sizeof path, "%s%s%s", where, where[0] ? "." : "", key);
    if (v == NULL)
        return bad(s, path, "%s is missing", "the key");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad(s, path, "expected a non-negative integer%s", "");
    *out = json_integer_value(v);
    return 0;
}

static int outcome_of(const char *name, mg_outcome *o)
{
    static const struct {
        const char *name;
        mg_outcome outcome;
    } names[] = {{"pass", MG_OUTCOME_PASS},
                 {"fail", MG_OUTCOME_FAIL},
                 {"skipped", MG_OUTCOME_SKIP},
                 {"error", MG_OUTCOME_ERROR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *o = names[i].outcome;
            return 0;
        }
    return -1;
}

static int read_case(side *s, json_t *c, size_t i)
{
    char where[48], key[MG_ERROR_KEY_MAX];
    rcase *rc = &s->cases[i];
    const char *outcome, *kind;
    int has_lo, has_hi, rc_;
    double lo, hi;

    snprintf(where, sizeof where, "cases[%zu]", i);
    if (!json_is_object(c))
        return bad(s, where, "expected an object%s", "");
    if ((rc_ = get_str(s, c, where, "test", 0, &rc->test)) < 0 ||
        (rc_ = get_str(s, c, where, "slice", 0, &rc->slice)) < 0 ||
        (rc_ = get_str(s, c, where, "metric", 0, &rc->metric)) < 0 ||
        (rc_ = get_str(s, c, where, "model", 0, &rc->model)) < 0 ||
        (rc_ = get_str(s, c, where, "baseline", 1, &rc->baseline)) < 0 ||
        (rc_ = get_str(s, c, where, "outcome", 0, &outcome)) < 0 ||
        (rc_ = get_str(s, c, where, "kind", 0, &kind)) < 0)
        return rc_;
    if (outcome_of(outcome, &rc->side.outcome) != 0) {
        snprintf(key, sizeof key, "%s.outcome", where);
        return bad(s, key, "unknown outcome '%s' (pass, fail, skipped, error)",
                   outcome);
    }
    /* What the rule compared: Δ for the kinds that compare a difference
     * (model − baseline, slice − whole set, slice − rest), and wherever a Δ was
     * computed (a gap against a baseline's); the estimate otherwise. */
    if ((rc_ = get_num(s, c, where, "delta", &has_lo, &lo)) < 0)
        return rc_;
    rc->is_delta = has_lo || strcmp(kind, "comparison") == 0 ||
                   strcmp(kind, "vs_overall") == 0 || strcmp(kind, "weak_slice") == 0;
    rc->side.present = 1;
    rc->pos = i;
    rc->pair = rc->test;
    if ((rc_ = get_num(s, c, where, rc->is_delta ? "delta" : "estimate",
                       &rc->side.has_value, &rc->side.value)) < 0 ||
        (rc_ = get_num(s, c, where, rc->is_delta ? "delta_ci_low" : "ci_low", &has_lo,
                       &lo)) < 0 ||
        (rc_ = get_num(s, c, where, rc->is_delta ? "delta_ci_high" : "ci_high", &has_hi,
                       &hi)) < 0)
        return rc_;
    rc->side.has_ci = has_lo && has_hi;
    rc->side.ci_low = lo;
    rc->side.ci_high = hi;
    return 0;
}

/* The test of case i, added to s->tests when it is the test's first case. */
static int read_test(side *s, json_t *c, size_t i)
{
    char where[48];
    const char *name = s->cases[i].test;
    rtest *t;
    json_t *rel;
    int rc;

    for (size_t k = 0; k < s->ntests; k++)
        if (strcmp(s->tests[k].name, name) == 0)
            return 0;
    t = &s->tests[s->ntests];
    memset(t, 0, sizeof *t);
    t->name = name;
    t->metric = s->cases[i].metric;
    t->model = s->cases[i].model;
    t->baseline = s->cases[i].baseline;
    snprintf(where, sizeof where, "cases[%zu]", i);
    if ((rc = get_str(s, c, where, "kind", 0, &t->kind)) < 0 ||
        (rc = get_str(s, c, where, "rule", 1, &t->rule)) < 0 ||
        (rc = get_str(s, c, where, "slicing", 1, &t->slicing)) < 0 ||
        (rc = get_str(s, c, where, "comparison", 1, &t->comparison)) < 0 ||
        (rc = get_num(s, c, where, "at_least", &t->has_at_least, &t->at_least)) < 0 ||
        (rc = get_num(s, c, where, "at_most", &t->has_at_most, &t->at_most)) < 0 ||
        (rc = get_num(s, c, where, "margin", &t->has_margin, &t->margin)) < 0)
        return rc;
    rel = json_object_get(c, "relative");
    t->relative = json_is_true(rel);
    /* A relative margin is resolved against the baseline's estimate, which moves
     * with the data: the fraction, not the resolved margin, defines the test. */
    if (t->relative)
        t->has_margin = 0;
    s->ntests++;
    return 0;
}

static int read_inputs(side *s)
{
    json_t *a = json_object_get(s->root, "inputs"), *in;
    char where[48];
    size_t i;
    int rc;

    if (!json_is_array(a))
        return bad(s, "inputs", "expected an array%s", "");
    if ((s->inputs = calloc(json_array_size(a) + 1, sizeof *s->inputs)) == NULL)
        return nomem(s);
    json_array_foreach(a, i, in)
    {
        rinput *r = &s->inputs[i];
        long long rows;
        snprintf(where, sizeof where, "inputs[%zu]", i);
        if (!json_is_object(in))
            return bad(s, where, "expected an object%s", "");
        if ((rc = get_str(s, in, where, "role", 0, &r->role)) < 0 ||
            (rc = get_str(s, in, where, "path", 0, &r->path)) < 0 ||
            (rc = get_str(s, in, where, "sha256", 0, &r->sha256)) < 0 ||
            (rc = get_count(s, in, where, "rows", &rows)) < 0)
            return rc;
        r->rows = (size_t)rows;
        s->ninputs++;
    }
    return 0;
}

/* Check the document as a modelgate report and read what the diff compares. */
static int read_report(side *s)
{
    json_t *schema, *cases, *c, *seed;
    char num[32];
    size_t i;
    int rc, has;

    if (!json_is_object(s->root))
        return bad(s, "", "not a modelgate report: expected a JSON object%s", "");
    if ((schema = json_object_get(s->root, "schema")) == NULL)
        return bad(s, "",
                   "not a modelgate report: it has no \"schema\" (write one with "
                   "modelgate run --json)%s",
                   "");
    if (!json_is_integer(schema))
        return bad(s, "schema", "expected an integer%s", "");
    if (json_integer_value(schema) != SCHEMA_READ) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(schema));
        mg_error_set(s->err, MG_EPARSE, s->name, 0, 0,
                     "schema %s, but this modelgate reads schema %d only (compare "
                     "reports of one schema)",
                     num, SCHEMA_READ);
        return mg_error_set_key(s->err, "schema");
    }
    if ((rc = get_str(s, s->root, "", "suite", 0, &s->suite)) < 0 ||
        (rc = get_str(s, s->root, "", "tool_version", 0, &s->tool_version)) < 0 ||
        (rc = get_str(s, s->root, "", "interval", 0, &s->interval)) < 0 ||
        (rc = get_str(s, s->root, "", "resampler", 0, &s->resampler)) < 0 ||
        (rc = get_str(s, s->root, "", "stratify", 0, &s->stratify)) < 0 ||
        (rc = get_str(s, s->root, "", "cluster", 1, &s->cluster)) < 0 ||
        (rc = get_count(s, s->root, "", "replicates", &s->replicates)) < 0 ||
        (rc = get_num(s, s->root, "", "confidence", &has, &s->confidence)) < 0)
        return rc;
    /* The seed: an integer, or a decimal string above 2^63 - 1. */
    seed = json_object_get(s->root, "seed");
    if (json_is_integer(seed) && json_integer_value(seed) >= 0) {
        snprintf(s->seed_buf, sizeof s->seed_buf, "%lld",
                 (long long)json_integer_value(seed));
        s->seed = s->seed_buf;
    } else if (json_is_string(seed)) {
        s->seed = json_string_value(seed);
    } else {
        return bad(s, "seed", "expected a non-negative integer or a string%s", "");
    }
    if ((rc = read_inputs(s)) < 0)
        return rc;
    cases = json_object_get(s->root, "cases");
    if (!json_is_array(cases))
        return bad(s, "cases", "expected an array%s", "");
    if ((s->cases = calloc(json_array_size(cases) + 1, sizeof *s->cases)) == NULL ||
        (s->tests = calloc(json_array_size(cases) + 1, sizeof *s->tests)) == NULL)
        return nomem(s);
    json_array_foreach(cases, i, c)
    {
        if ((rc = read_case(s, c, i)) < 0 || (rc = read_test(s, c, i)) < 0)
            return rc;
        s->ncases++;
    }
    return 0;
}

/* Parse `text`, or the file `name` when text is NULL. */
static int load(side *s, const char *text)
{
    json_error_t jerr;
    FILE *f = NULL;
    struct stat st;

    if (text != NULL) {
        s->root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    } else {
        if ((f = fopen(s->name, "rb")) == NULL)
            return mg_error_set(s->err, MG_EIO, s->name, 0, 0, "%s", strerror(errno));
        if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
            fclose(f);
            return mg_error_set(s->err, MG_EIO, s->name, 0, 0, "is a directory");
        }
        s->root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
        fclose(f);
    }
    if (s->root == NULL)
        return mg_error_set(s->err, MG_EPARSE, s->name,
                            jerr.line > 0 ? (unsigned long)jerr.line : 0,
                            jerr.column > 0 ? (unsigned long)jerr.column : 0,
                            "not JSON: %s", jerr.text);
    return 0;
}

static void side_free(side *s)
{
    json_decref(s->root);
    free(s->cases);
    free(s->tests);
    free(s->inputs);
}

/* ------------------------------------------------------------------ pairing */

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_num(int ha, double a, int hb, double b)
{
    return ha == hb && (!ha || a == b);
}

static int same_definition(const rtest *a, const rtest *b)
{
    return same_str(a->metric, b->metric) && same_str(a->model, b->model) &&
           same_str(a->baseline, b->baseline) && same_str(a->kind, b->kind) &&
           same_str(a->rule, b->rule) && same_str(a->slicing, b->slicing) &&
           same_str(a->comparison, b->comparison) && a->relative == b->relative &&
           same_num(a->has_at_least, a->at_least, b->has_at_least, b->at_least) &&
           same_num(a->has_at_most, a->at_most, b->has_at_most, b->at_most) &&
           same_num(a->has_margin, a->margin, b->has_margin, b->margin);
}

static rtest *find_test(side *s, const char *name)
{
    for (size_t k = 0; k < s->ntests; k++)
        if (strcmp(s->tests[k].name, name) == 0)
            return &s->tests[k];
    return NULL;
}

/* The test of `s` without a partner whose definition is t's, when it is unique. */
static rtest *unique_match(side *s, const rtest *t)
{
    rtest *found = NULL;
    for (size_t k = 0; k < s->ntests; k++) {
        rtest *u = &s->tests[k];
        if (u->partner != NULL || !same_definition(t, u))
            continue;
        if (found != NULL)
            return NULL;
        found = u;
    }
    return found;
}

/* Pair tests by name, then the rest by definition (renames). */
static void pair_tests(side *b, side *h)
{
    for (size_t k = 0; k < h->ntests; k++) {
        rtest *t = &h->tests[k], *u = find_test(b, t->name);
        if (u != NULL) {
            t->partner = u->name;
            u->partner = t->name;
        }
    }
    for (size_t k = 0; k < b->ntests; k++) {
        rtest *u = &b->tests[k], *t;
        if (u->partner != NULL || (t = unique_match(h, u)) == NULL ||
            unique_match(b, t) != u)
            continue;
        t->partner = u->name;
        u->partner = t->name;
    }
    /* Head's cases pair under base's name for the test. */
    for (size_t i = 0; i < h->ncases; i++) {
        rtest *t = find_test(h, h->cases[i].test);
        if (t != NULL && t->partner != NULL)
            h->cases[i].pair = t->partner;
    }
}

static int by_key(const void *pa, const void *pb)
{
    const rcase *a = *(const rcase *const *)pa, *b = *(const rcase *const *)pb;
    int c = strcmp(a->pair, b->pair);
    if (c == 0)
        c = strcmp(a->slice, b->slice);
    if (c == 0)
        c = (a->pos > b->pos) - (a->pos < b->pos);
    return c;
}

/* ------------------------------------------------------------------ the result */

static int dup(char **out, const char *s)
{
    *out = NULL;
    if (s == NULL)
        return 0;
    if ((*out = strdup(s)) == NULL)
        return MG_ENOMEM;
    return 0;
}

static mg_diff_kind kind_of(const mg_diff_side *b, const mg_diff_side *h)
{
    int bad_b = b->outcome == MG_OUTCOME_FAIL || b->outcome == MG_OUTCOME_ERROR;
    int bad_h = h->outcome == MG_OUTCOME_FAIL || h->outcome == MG_OUTCOME_ERROR;
    if (!b->present)
        return MG_DIFF_NEW;
    if (!h->present)
        return MG_DIFF_VANISHED;
    if (b->outcome == h->outcome)
        return MG_DIFF_SAME;
    if (b->outcome == MG_OUTCOME_PASS && bad_h)
        return MG_DIFF_REGRESSED;
    if (bad_b && h->outcome == MG_OUTCOME_PASS)
        return MG_DIFF_FIXED;
    return MG_DIFF_CHANGED;
}

/* A case pair (either may be NULL) into d->cases[d->ncases++]. */
static int add_case(mg_diff *d, const rcase *b, const rcase *h, size_t *order)
{
    mg_diff_case *c = &d->cases[d->ncases];
    const rcase *r = h != NULL ? h : b;
    int rc;

    memset(c, 0, sizeof *c);
    if (b != NULL)
        c->base = b->side;
    if (h != NULL)
        c->head = h->side;
    /* A test redefined between the runs (a baseline added) compared another
     * quantity in base: its number is not set beside head's. */
    if (b != NULL && h != NULL && b->is_delta != h->is_delta)
        c->base.has_value = c->base.has_ci = 0;
    c->kind = kind_of(&c->base, &c->head);
    c->is_delta = r->is_delta;
    order[d->ncases] = h != NULL ? h->pos : SIZE_MAX / 2 + b->pos;
    d->ncases++;
    d->count[c->kind]++;
    if ((rc = dup(&c->test, r->test)) < 0 || (rc = dup(&c->metric, r->metric)) < 0 ||
        (rc = dup(&c->model, r->model)) < 0 ||
        (rc = dup(&c->baseline, r->baseline)) < 0 ||
        (rc = dup(&c->slice, r->slice)) < 0)
        return rc;
    if (b != NULL && h != NULL && strcmp(b->test, h->test) != 0)
        return dup(&c->base_test, b->test);
    return 0;
}

static int add_note(mg_diff *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int add_note(mg_diff *d, const char *fmt, ...)
{
    char **grown, *line;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (line = malloc((size_t)n + 1)) == NULL)
        return MG_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if ((grown = realloc(d->notes, (d->nnotes + 1) * sizeof *grown)) == NULL) {
        free(line);
        return MG_ENOMEM;
    }
    d->notes = grown;
    d->notes[d->nnotes++] = line;
    return 0;
}

/* "0.8", "none" for an absent number. */
static const char *num(char *buf, size_t size, int has, double v)
{
    if (!has)
        return "none";
    mg__fmt_real(buf, size, v);
    return buf;
}

static const char *str_or(const char *s, const char *none)
{
    return s != NULL ? s : none;
}

/* What changed in the definition of a test paired by name. */
static int note_definition(mg_diff *d, const rtest *b, const rtest *h)
{
    char x[32], y[32];
    int rc = 0;
#define STR_FIELD(field, label)                                                        \
    if (rc == 0 && !same_str(b->field, h->field))                                      \
        rc = add_note(d, "test '%s': %s %s \xe2\x86\x92 %s", h->name, label,           \
                      str_or(b->field, "none"), str_or(h->field, "none"));
#define NUM_FIELD(has, field, label)                                                   \
    if (rc == 0 && !same_num(b->has, b->field, h->has, h->field))                      \
        rc = add_note(d, "test '%s': %s %s \xe2\x86\x92 %s", h->name, label,           \
                      num(x, sizeof x, b->has, b->field),                              \
                      num(y, sizeof y, h->has, h->field));
    STR_FIELD(metric, "metric")
    STR_FIELD(model, "model")
    STR_FIELD(baseline, "baseline")
    STR_FIELD(rule, "rule")
    STR_FIELD(slicing, "slicing")
    STR_FIELD(comparison, "comparison")
    NUM_FIELD(has_at_least, at_least, "at_least")
    NUM_FIELD(has_at_most, at_most, "at_most")
    NUM_FIELD(has_margin, margin, "margin")
    if (rc == 0 && b->relative != h->relative)
        rc = add_note(d, "test '%s': relative %s \xe2\x86\x92 %s", h->name,
                      b->relative ? "true" : "false", h->relative ? "true" : "false");
#undef STR_FIELD
#undef NUM_FIELD
    return rc;
}

static int compare_provenance(mg_diff *d, const side *b, const side *h)
{
    char x[32], y[32];
    int rc = 0;

    if (strcmp(b->suite, h->suite) != 0)
        rc = add_note(d,
                      "suite name '%s' \xe2\x86\x92 '%s': are these runs of one suite?",
                      b->suite, h->suite);
    if (rc == 0 && strcmp(b->seed, h->seed) != 0) {
        d->seed_differs = 1;
        rc = add_note(
            d,
            "seed %s \xe2\x86\x92 %s: intervals differ by resampling alone, even on "
            "the same data",
            b->seed, h->seed);
    }
    if (rc == 0 && b->replicates != h->replicates)
        rc = add_note(d, "replicates %lld \xe2\x86\x92 %lld", b->replicates,
                      h->replicates);
    if (rc == 0 && b->confidence != h->confidence)
        rc = add_note(d, "confidence %s \xe2\x86\x92 %s",
                      num(x, sizeof x, 1, b->confidence),
                      num(y, sizeof y, 1, h->confidence));
    if (rc == 0 && strcmp(b->interval, h->interval) != 0)
        rc = add_note(d, "interval %s \xe2\x86\x92 %s", b->interval, h->interval);
    if (rc == 0 && strcmp(b->resampler, h->resampler) != 0)
        rc = add_note(d, "resampler %s \xe2\x86\x92 %s", b->resampler, h->resampler);
    if (rc == 0 && strcmp(b->stratify, h->stratify) != 0)
        rc = add_note(d, "stratify %s \xe2\x86\x92 %s", b->stratify, h->stratify);
    if (rc == 0 && !same_str(b->cluster, h->cluster))
        rc = add_note(d, "cluster %s \xe2\x86\x92 %s", str_or(b->cluster, "none"),
                      str_or(h->cluster, "none"));
    if (rc == 0 && strcmp(b->tool_version, h->tool_version) != 0)
        rc = add_note(d, "modelgate %s \xe2\x86\x92 %s", b->tool_version,
                      h->tool_version);
    return rc;
}

static const rinput *find_input(const side *s, const char *role)
{
    for (size_t i = 0; i < s->ninputs; i++)
        if (strcmp(s->inputs[i].role, role) == 0)
            return &s->inputs[i];
    return NULL;
}

/* One mg_diff_input per role of either run: head's order, then base's others. */
static int compare_inputs(mg_diff *d, const side *b, const side *h)
{
    int rc;
    if ((d->inputs = calloc(b->ninputs + h->ninputs + 1, sizeof *d->inputs)) == NULL)
        return MG_ENOMEM;
    for (size_t pass = 0; pass < 2; pass++) {
        const side *s = pass == 0 ? h : b;
        for (size_t i = 0; i < s->ninputs; i++) {
            const rinput *bi, *hi;
            mg_diff_input *in = &d->inputs[d->ninputs];
            const char *role = s->inputs[i].role;
            if (pass == 1 && find_input(h, role) != NULL)
                continue;
            bi = find_input(b, role);
            hi = find_input(h, role);
            d->ninputs++;
            if ((rc = dup(&in->role, role)) < 0 ||
                (rc = dup(&in->base_path, bi ? bi->path : NULL)) < 0 ||
                (rc = dup(&in->head_path, hi ? hi->path : NULL)) < 0)
                return rc;
            if (bi != NULL) {
                snprintf(in->base_sha256, sizeof in->base_sha256, "%s", bi->sha256);
                in->base_rows = bi->rows;
            }
            if (hi != NULL) {
                snprintf(in->head_sha256, sizeof in->head_sha256, "%s", hi->sha256);
                in->head_rows = hi->rows;
            }
            in->changed = bi == NULL || hi == NULL ||
                          strcmp(in->base_sha256, in->head_sha256) != 0;
            if (!in->changed)
                continue;
            d->inputs_differ = 1;
            if (bi == NULL)
                rc = add_note(d, "input %s: read by head only (%s)", role, hi->path);
            else if (hi == NULL)
                rc = add_note(d, "input %s: read by base only (%s)", role, bi->path);
            else if (in->base_rows == in->head_rows)
                rc = add_note(d,
                              "input %s: other bytes (sha256 %.12s \xe2\x86\x92 %.12s, "
                              "%zu rows)",
                              role, in->base_sha256, in->head_sha256, in->head_rows);
            else
                rc = add_note(
                    d,
                    "input %s: other bytes (sha256 %.12s \xe2\x86\x92 %.12s, %zu "
                    "\xe2\x86\x92 %zu rows)",
                    role, in->base_sha256, in->head_sha256, in->base_rows,
                    in->head_rows);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

typedef struct placed {
    mg_diff_kind kind;
    size_t place, index;
} placed;

static int by_place(const void *pa, const void *pb)
{
    const placed *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return (a->place > b->place) - (a->place < b->place);
}

/* Sort the cases by kind, then by their place in head (base's for vanished
 * cases, after every head case): order[i] is case i's place. */
static int sort_cases(mg_diff *d, const size_t *order)
{
    placed *p = malloc((d->ncases + 1) * sizeof *p);
    mg_diff_case *sorted = malloc((d->ncases + 1) * sizeof *sorted);
    if (p == NULL || sorted == NULL) {
        free(p);
        free(sorted);
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < d->ncases; i++)
        p[i] = (placed){d->cases[i].kind, order[i], i};
    qsort(p, d->ncases, sizeof *p, by_place);
    for (size_t i = 0; i < d->ncases; i++)
        sorted[i] = d->cases[p[i].index];
    memcpy(d->cases, sorted, d->ncases * sizeof *sorted);
    free(sorted);
    free(p);
    return 0;
}

static int build(mg_diff *d, side *b, side *h)
{
    rcase **bs = NULL, **hs = NULL;
    size_t *order = NULL, i = 0, j = 0;
    int rc = MG_ENOMEM;

    pair_tests(b, h);
    if ((bs = malloc((b->ncases + 1) * sizeof *bs)) == NULL ||
        (hs = malloc((h->ncases + 1) * sizeof *hs)) == NULL ||
        (order = malloc((b->ncases + h->ncases + 1) * sizeof *order)) == NULL ||
        (d->cases = calloc(b->ncases + h->ncases + 1, sizeof *d->cases)) == NULL)
        goto cleanup;
    for (size_t k = 0; k < b->ncases; k++)
        bs[k] = &b->cases[k];
    for (size_t k = 0; k < h->ncases; k++)
        hs[k] = &h->cases[k];
    qsort(bs, b->ncases, sizeof *bs, by_key);
    qsort(hs, h->ncases, sizeof *hs, by_key);
    while (i < b->ncases || j < h->ncases) {
        int c = i == b->ncases   ? 1
                : j == h->ncases ? -1
                                 : strcmp(bs[i]->pair, hs[j]->pair);
        if (c == 0)
            c = strcmp(bs[i]->slice, hs[j]->slice);
        if (c == 0)
            rc = add_case(d, bs[i++], hs[j++], order);
        else if (c < 0)
            rc = add_case(d, bs[i++], NULL, order);
        else
            rc = add_case(d, NULL, hs[j++], order);
        if (rc < 0)
            goto cleanup;
    }
    if ((rc = sort_cases(d, order)) < 0 || (rc = compare_provenance(d, b, h)) < 0 ||
        (rc = compare_inputs(d, b, h)) < 0)
        goto cleanup;
    for (size_t k = 0; k < h->ntests && rc == 0; k++) {
        const rtest *t = &h->tests[k], *u;
        if (t->partner == NULL || (u = find_test(b, t->partner)) == NULL)
            continue;
        if (strcmp(t->name, u->name) != 0)
            rc = add_note(d,
                          "test '%s' renamed '%s' (same metric, model and thresholds)",
                          u->name, t->name);
        else
            rc = note_definition(d, u, t);
    }

cleanup:
    free(bs);
    free(hs);
    free(order);
    return rc;
}

static int diff(mg_diff **out, const char *base_text, const char *base_name,
                const char *head_text, const char *head_name, int from_files,
                mg_error *err)
{
    side b = {0}, h = {0};
    mg_diff *d = NULL;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || base_name == NULL || head_name == NULL ||
        (!from_files && (base_text == NULL || head_text == NULL)))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no reports to compare");
    b.name = base_name;
    h.name = head_name;
    b.err = h.err = err;
    if ((rc = load(&b, from_files ? NULL : base_text)) < 0 ||
        (rc = read_report(&b)) < 0 ||
        (rc = load(&h, from_files ? NULL : head_text)) < 0 ||
        (rc = read_report(&h)) < 0)
        goto cleanup;
    if ((d = calloc(1, sizeof *d)) == NULL || dup(&d->base_name, base_name) < 0 ||
        dup(&d->head_name, head_name) < 0 || dup(&d->suite, h.suite) < 0 ||
        build(d, &b, &h) < 0) {
        rc =
            mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory comparing reports");
        goto cleanup;
    }
    *out = d;
    d = NULL;

cleanup:
    mg_diff_free(d);
    side_free(&b);
    side_free(&h);
    return rc;
}

int mg_diff_reports(mg_diff **out, const char *base_path, const char *head_path,
                    mg_error *err)
{
    return diff(out, NULL, base_path, NULL, head_path, 1, err);
}

int mg_diff_strings(mg_diff **out, const char *base_json, const char *base_name,
                    const char *head_json, const char *head_name, mg_error *err)
{
    return diff(out, base_json, base_name, head_json, head_name, 0, err);
}

void mg_diff_free(mg_diff *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->ncases; i++) {
        mg_diff_case *c = &d->cases[i];
        free(c->test);
        free(c->base_test);
        free(c->metric);
        free(c->model);
        free(c->baseline);
        free(c->slice);
    }
    for (size_t i = 0; i < d->ninputs; i++) {
        free(d->inputs[i].role);
        free(d->inputs[i].base_path);
        free(d->inputs[i].head_path);
    }
    for (size_t i = 0; i < d->nnotes; i++)
        free(d->notes[i]);
    free(d->notes);
    free(d->inputs);
    free(d->cases);
    free(d->base_name);
    free(d->head_name);
    free(d->suite);
    free(d);
}

/* ------------------------------------------------------------------ writing */

/* Plain-text cells of a case's row; the ones that hold names are cleaned by the
 * writer. */
enum {
    COL_OUTCOME,
    COL_TEST,
    COL_MODEL,
    COL_SLICE,
    COL_BASE,
    COL_HEAD,
    COL_CHANGE,
    NCOLS
};

static const char *const headers[NCOLS] = {"OUTCOME", "TEST", "MODEL", "SLICE",
                                           "BASE",    "HEAD", "CHANGE"};

/* Head's value lies outside base's interval. */
static int moved_out(const mg_diff_case *c)
{
    const mg_diff_side *b = &c->base, *h = &c->head;
    return b->present && h->present && h->has_value && b->has_ci &&
           (h->value < b->ci_low || h->value > b->ci_high);
}

/* "0.8563 [0.8444, 0.8667]", "Δ +0.0373 [0.0267, 0.0482]", or "—" for an absent
 * case or value. */
static void side_text(char *buf, size_t size, const mg_diff_case *c,
                      const mg_diff_side *s)
{
    int n;
    if (!s->present || (!s->has_value && !s->has_ci)) {
        snprintf(buf, size, "%s", s->present ? "n/a" : "\xe2\x80\x94");
        return;
    }
    if (s->has_value)
        n = snprintf(buf, size, c->is_delta ? "\xce\x94 %+.4f" : "%.4f", s->value);
    else
        n = snprintf(buf, size, c->is_delta ? "\xce\x94" : "");
    if (s->has_ci && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "%s[%.4f, %.4f]", n > 0 ? " " : "",
                 s->ci_low, s->ci_high);
}

/* The movement of the compared value: "+0.0123", with a mark when head's value
 * lies outside base's interval; "" when one side has no value. */
static void change_text(char *buf, size_t size, const mg_diff_case *c)
{
    const mg_diff_side *b = &c->base, *h = &c->head;
    buf[0] = '\0';
    if (!b->present || !h->present || !b->has_value || !h->has_value)
        return;
    const char *outside = moved_out(c) ? " (outside base's interval)" : "";
    double m = h->value - b->value;
    if (m == 0)
        snprintf(buf, size, "0%s", outside);
    else
        snprintf(buf, size, fabs(m) < 0.00005 ? "%+.1e%s" : "%+.4f%s", m, outside);
}

static const char *outcome_word(const mg_diff_side *s)
{
    return s->present ? mg__outcome_name(s->outcome) : "\xe2\x80\x94";
}

static const char *kind_phrase(mg_diff_kind k)
{
    static const char *const phrases[MG_DIFF_KINDS] = {
        "pass \xe2\x86\x92 fail", "fixed", "other outcome change", "new", "vanished",
        "unchanged outcome"};
    return phrases[k];
}

/* "9 cases: 1 pass → fail, 1 new, 7 unchanged outcome" */
static void put_counts(FILE *f, const mg_diff *d)
{
    size_t moved = 0;
    int first = 1;
    fprintf(f, "%zu case%s:", d->ncases, d->ncases == 1 ? "" : "s");
    for (size_t k = 0; k < MG_DIFF_KINDS; k++) {
        if (d->count[k] == 0)
            continue;
        fprintf(f, "%s %zu %s", first ? "" : ",", d->count[k],
                kind_phrase((mg_diff_kind)k));
        first = 0;
    }
    for (size_t i = 0; i < d->ncases; i++)
        moved += d->cases[i].kind == MG_DIFF_SAME && moved_out(&d->cases[i]);
    if (moved > 0)
        fprintf(f, " (%zu outside base's interval)", moved);
    if (first)
        fputs(" none in either report", f);
}

static void put_verdict(FILE *f, const mg_diff *d)
{
    size_t n = d->count[MG_DIFF_REGRESSED];
    if (n == 0)
        fputs("no case went from pass to fail", f);
    else
        fprintf(f, "%zu case%s went from pass to fail", n, n == 1 ? "" : "s");
}

/* The test's name, and its name in base when it was renamed. */
static int put_test(FILE *f, const mg_diff_case *c, int (*put)(FILE *, const char *))
{
    int rc;
    if ((rc = put(f, c->test)) < 0)
        return rc;
    if (c->base_test == NULL)
        return 0;
    fputs(" (was ", f);
    if ((rc = put(f, c->base_test)) < 0)
        return rc;
    fputs(")", f);
    return 0;
}

static int put_model(FILE *f, const mg_diff_case *c, int (*put)(FILE *, const char *))
{
    int rc;
    if ((rc = put(f, c->model)) < 0 || c->baseline == NULL)
        return rc;
    fputs(" vs ", f);
    return put(f, c->baseline);
}

static int md_row(FILE *f, const mg_diff_case *c)
{
    char b[96], h[96], ch[64];
    int rc;

    fprintf(f, "| %s \xe2\x86\x92 %s | ",
            c->base.present ? mg__md_symbol(c->base.outcome) : "\xe2\x80\x94",
            c->head.present ? mg__md_symbol(c->head.outcome) : "\xe2\x80\x94");
    if ((rc = put_test(f, c, mg__md_put)) < 0)
        return rc;
    fputs(" | ", f);
    if ((rc = put_model(f, c, mg__md_put)) < 0)
        return rc;
    fputs(" | ", f);
    if ((rc = mg__md_put(f, c->slice)) < 0)
        return rc;
    side_text(b, sizeof b, c, &c->base);
    side_text(h, sizeof h, c, &c->head);
    change_text(ch, sizeof ch, c);
    fprintf(f, " | %s | %s | %s |\n", b, h, ch);
    return 0;
}

static void md_header(FILE *f)
{
    fputs("| Outcome | Test | Model | Slice | Base | Head | Change |\n"
          "|---|---|---|---|---|---|---|\n",
          f);
}

static int md_render(const mg_diff *d, FILE *f)
{
    size_t changed = d->ncases - d->count[MG_DIFF_SAME], i;
    int rc;

    fprintf(
        f, "## %s ",
        mg__md_symbol(d->count[MG_DIFF_REGRESSED] ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS));
    if ((rc = mg__md_put(f, d->suite)) < 0)
        return rc;
    fputs(": ", f);
    put_verdict(f, d);
    fputs("\n\nBase ", f);
    if ((rc = mg__md_put(f, d->base_name)) < 0)
        return rc;
    fputs(" \xe2\x86\x92 head ", f);
    if ((rc = mg__md_put(f, d->head_name)) < 0)
        return rc;
    fputs(": ", f);
    put_counts(f, d);
    fputs("\n", f);
    if (d->nnotes > 0)
        fputs("\n", f);
    for (i = 0; i < d->nnotes; i++) {
        fputs("- ", f);
        if ((rc = mg__md_put(f, d->notes[i])) < 0)
            return rc;
        fputs("\n", f);
    }
    if (changed > 0) {
        fputs("\n", f);
        md_header(f);
        for (i = 0; i < changed; i++)
            if ((rc = md_row(f, &d->cases[i])) < 0)
                return rc;
    }
    if (d->count[MG_DIFF_SAME] > 0) {
        size_t moved = 0;
        for (i = changed; i < d->ncases; i++)
            moved += moved_out(&d->cases[i]);
        fprintf(f, "\n<details><summary>%zu case%s with an unchanged outcome",
                d->count[MG_DIFF_SAME], d->count[MG_DIFF_SAME] == 1 ? "" : "s");
        if (moved > 0)
            fprintf(f, ", %zu of them outside base's interval", moved);
        fputs("</summary>\n\n", f);
        md_header(f);
        for (i = changed; i < d->ncases; i++)
            if ((rc = md_row(f, &d->cases[i])) < 0)
                return rc;
        fputs("\n</details>\n", f);
    }
    return 0;
}

/* Run `render` into a string inside a C numeric scope. */
static int render_text(const mg_diff *d, int (*render)(const mg_diff *, FILE *),
                       char **out, size_t *len)
{
    mg__c_numeric scope = {0};
    char *buf = NULL;
    size_t size = 0;
    FILE *f = NULL;
    int rc;

    *out = NULL;
    if ((rc = mg__c_numeric_begin(&scope)) < 0)
        goto cleanup;
    if ((f = open_memstream(&buf, &size)) == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    rc = render(d, f);
    if (ferror(f))
        rc = MG_ENOMEM;
    if (fclose(f) != 0)
        rc = MG_ENOMEM;
    if (rc < 0)
        goto cleanup;
    *out = buf;
    *len = size;
    buf = NULL;

cleanup:
    mg__c_numeric_end(&scope);
    free(buf);
    return rc;
}

int mg_diff_markdown_string(const mg_diff *d, char **out, mg_error *err)
{
    size_t len;
    if (out != NULL)
        *out = NULL;
    if (d == NULL || out == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no comparison or output");
    if (render_text(d, md_render, out, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0,
                            "out of memory writing Markdown");
    return 0;
}

int mg_diff_write_markdown(const mg_diff *d, const char *path, mg_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (d == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no comparison or output path");
    if (render_text(d, md_render, &text, &len) < 0)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0,
                            "out of memory writing Markdown");
    rc = mg_write_file_atomic(path, text, len, err);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ console */

/* A name as one clean line (control characters and ill-formed bytes replaced). */
static int put_plain(FILE *f, const char *s)
{
    char *clean = NULL;
    int rc;
    if ((rc = mg__text_clean(s, MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE,
                             &clean)) < 0)
        return rc;
    fputs(clean, f);
    free(clean);
    return 0;
}

/* The cells of a console row, each malloc'd into cells[]. */
static int console_cells(const mg_diff_case *c, char *cells[NCOLS])
{
    char buf[128];
    size_t size;
    FILE *f;
    int rc = 0;

    for (int k = 0; k < NCOLS; k++) {
        cells[k] = NULL;
        if ((f = open_memstream(&cells[k], &size)) == NULL)
            return MG_ENOMEM;
        switch (k) {
        case COL_OUTCOME:
            fprintf(f, "%s \xe2\x86\x92 %s", outcome_word(&c->base),
                    outcome_word(&c->head));
            break;
        case COL_TEST:
            rc = put_test(f, c, put_plain);
            break;
        case COL_MODEL:
            rc = put_model(f, c, put_plain);
            break;
        case COL_SLICE:
            rc = put_plain(f, c->slice);
            break;
        case COL_BASE:
        case COL_HEAD:
            side_text(buf, sizeof buf, c, k == COL_BASE ? &c->base : &c->head);
            fputs(buf, f);
            break;
        default:
            change_text(buf, sizeof buf, c);
            fputs(buf, f);
            break;
        }
        if (fclose(f) != 0 || rc < 0)
            return rc < 0 ? rc : MG_ENOMEM;
    }
    return 0;
}

/* Columns a UTF-8 string takes on a terminal: one per character. */
static int columns(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void put_padded(FILE *f, const char *s, int width, int last)
{
    fputs(s, f);
    if (!last)
        fprintf(f, "%*s", width - columns(s) + 2, "");
}

static int console_render(const mg_diff *d, FILE *f, int color)
{
    size_t shown = d->ncases - d->count[MG_DIFF_SAME];
    char *(*cells)[NCOLS] = NULL;
    int width[NCOLS], rc = 0;

    fputs(color && d->count[MG_DIFF_REGRESSED] ? "\033[31m" : "", f);
    if ((rc = put_plain(f, d->suite)) < 0)
        return rc;
    fputs(": ", f);
    put_verdict(f, d);
    fputs(color && d->count[MG_DIFF_REGRESSED] ? "\033[0m\n" : "\n", f);
    fputs("  base ", f);
    if ((rc = put_plain(f, d->base_name)) < 0)
        return rc;
    fputs(" \xe2\x86\x92 head ", f);
    if ((rc = put_plain(f, d->head_name)) < 0)
        return rc;
    fputs("\n", f);
    for (size_t i = 0; i < d->nnotes; i++) {
        fputs("  ", f);
        if ((rc = put_plain(f, d->notes[i])) < 0)
            return rc;
        fputs("\n", f);
    }
    if (shown > 0) {
        if ((cells = calloc(shown, sizeof *cells)) == NULL)
            return MG_ENOMEM;
        for (int k = 0; k < NCOLS; k++)
            width[k] = columns(headers[k]);
        for (size_t i = 0; i < shown && rc == 0; i++) {
            rc = console_cells(&d->cases[i], cells[i]);
            for (int k = 0; k < NCOLS && rc == 0; k++)
                if (columns(cells[i][k]) > width[k])
                    width[k] = columns(cells[i][k]);
        }
        if (rc == 0) {
            for (int k = 0; k < NCOLS; k++)
                put_padded(f, headers[k], width[k], k == NCOLS - 1);
            fputs("\n", f);
            for (size_t i = 0; i < shown; i++) {
                int red = color && d->cases[i].kind == MG_DIFF_REGRESSED;
                fputs(red ? "\033[31m" : "", f);
                for (int k = 0; k < NCOLS; k++)
                    put_padded(f, cells[i][k], width[k], k == NCOLS - 1);
                fputs(red ? "\033[0m\n" : "\n", f);
            }
        }
        for (size_t i = 0; i < shown; i++)
            for (int k = 0; k < NCOLS; k++)
                free(cells[i][k]);
        free(cells);
        if (rc < 0)
            return rc;
    }
    put_counts(f, d);
    fputs("\n", f);
    return 0;
}

static int console_plain(const mg_diff *d, FILE *f)
{
    return console_render(d, f, 0);
}

static int console_color(const mg_diff *d, FILE *f)
{
    return console_render(d, f, 1);
}

int mg_diff_print(const mg_diff *d, FILE *out, const mg_console_options *opts)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (d == NULL || out == NULL)
        return MG_EINVAL;
    rc = render_text(d, opts != NULL && opts->color ? console_color : console_plain,
                     &text, &len);
    if (rc < 0)
        return rc;
    fwrite(text, 1, len, out);
    free(text);
    return ferror(out) ? MG_EIO : 0;
}
