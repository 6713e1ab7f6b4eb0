/*
 * Suite files.
 *
 * A suite is a YAML file (DESIGN.md, "The suite file") that names the data, the
 * models, the bootstrap settings, the slicings and the tests. This file turns it
 * into the transparent mg_suite and checks everything that can be checked without
 * the data, so that a typo fails in milliseconds with the line, column and key
 * instead of after a bootstrap.
 *
 * Method. libyaml composes the whole file into a node graph (yaml_parser_load);
 * we then read that graph in three steps:
 *
 *   1. A guard walks every node reachable from the root, counting each visit and the
 *      depth. Aliases are legal YAML and libyaml resolves them to shared nodes, so
 *      the graph stays small while a walk through it can be exponential ("billion
 *      laughs": nine aliases of nine aliases of ...) or endless (an anchor whose
 *      node contains its own alias, which libyaml accepts). The walk stops past
 *      MAX_NODES visits or MAX_DEPTH levels, so every later step, which visits no
 *      more than the guard did, is bounded too.
 *   2. Each map is checked as a whole before its values are read: keys are
 *      non-empty scalars, unknown keys are reported with the nearest known key
 *      (optimal string alignment distance <= 2) and keys that DESIGN.md reserves
 *      for later issues are reported as "not supported yet" rather than unknown.
 *      Duplicate keys, which libyaml keeps, are found by sorting the key names, so
 *      a map with thousands of models costs O(n log n), not O(n^2).
 *   3. Values are read in a fixed order (the order of DESIGN.md), so the sections
 *      that tests refer to (models, slices) are known when the tests are read and
 *      each reference is checked where it is written.
 *
 * Before step 1, a pre-pass over libyaml's event stream bounds what libyaml itself
 * would spend composing the graph. Its scanner keeps one entry per open flow
 * collection and rescans them all at every token, so a line of 100,000 '[' costs
 * 10^10 steps before the guard could see the depth; and it finds anchors, and the
 * anchor of each alias, by a linear search, so 40,000 anchors and aliases cost
 * seconds. The pre-pass stops at the first event past MAX_DEPTH levels, with the
 * message, location and key the guard would give, or past MAX_ANCHORS anchors; the
 * parser has then read no more than a few lines past that point. The file is read
 * into memory first (at most MAX_FILE_BYTES, since suites are written by hand) so
 * that both passes read the same bytes, also from a pipe.
 *
 * Every error names the suite path as given, the 1-based line and column of the
 * offending node (libyaml's marks are 0-based) and the dotted key path of the value:
 * `models.candidate.score`, `bootstrap.replicates`, `tests[2].metric`,
 * `slices.region_x_plan[1]`. List indices are 0-based, as in JSONPath and yq. A
 * missing key is reported at the map that should hold it, with the key path it
 * would have. Values that are read are recorded as mg_loc so that the runner can
 * name the same place when a column turns out to be missing from the data;
 * defaulted values get the key they would have and line 0.
 *
 * Types are strict, because a suite gates a release: a number is a plain scalar
 * in decimal notation that converts exactly to a finite double (no `.inf`,
 * `.nan`, hexadecimal or `1e999`), an integer is a plain run of digits, a boolean
 * is `true` or `false`, and a string is any non-empty scalar (so `positive: 1` and
 * `positive: "1"` both give the string "1"). Numbers are converted with strtod
 * after the decimal point is swapped for the current locale's, so that a host
 * program running under a comma-decimal locale reads `0.95` as 0.95.
 *
 * Error codes: MG_EIO for a suite file that cannot be opened or read (or is a
 * directory), MG_EPARSE for everything wrong inside it, from YAML syntax to a test
 * naming an undeclared model, MG_ENOMEM when an allocation fails.
 *
 * Paths (`data.holdout`, `models.*.file`) are joined to the suite file's directory
 * as written, without realpath, so that messages show paths the user recognises.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "modelgate/metrics.h"
#include "modelgate/suite.h"

#include "common/input.h"

#define MAX_NODES       100000   /* node visits, counting every alias expansion */
#define MAX_DEPTH       64       /* nesting levels; the root is level 1 */
#define MAX_ANCHORS     1000     /* anchors in the file */
#define MAX_FILE_BYTES  16777216 /* bytes of a suite file (16 MiB) */
#define MAX_REPLICATES  10000000 /* bootstrap.replicates upper bound */
#define SHOW_MAX        40       /* bytes of a bad value quoted in a message */
#define SUGGEST_MAX_LEN 64       /* longer words get no suggestion */

/* What the reader needs at hand: the document, the suite being filled, where to
 * report, and the dotted key path of the value being read. */
typedef struct parse_ctx {
    yaml_document_t *doc;
    mg_suite *suite;
    mg_error *err;
    size_t keylen;              /* strlen(key) */
    char key[MG_ERROR_KEY_MAX]; /* truncated when a path is longer */
} parse_ctx;

/* A name with its position in the map or list it came from. */
typedef struct named {
    const char *name;
    size_t index;
} named;

/* The closest candidate seen so far for a misspelt word. */
typedef struct nearest {
    const char *name; /* NULL: nothing close enough */
    int distance;
} nearest;

static const char *const top_keys[] = {"suite",     "task",      "data",   "models",
                                       "threshold", "bootstrap", "slices", "min_size",
                                       "tests",     NULL};
static const char *const data_keys[] = {"holdout",  "id",        "label",
                                        "positive", "delimiter", NULL};
static const char *const data_future[] = {"classes", "reference", NULL};
static const char *const model_keys[] = {"file", "score", "threshold", NULL};
static const char *const model_future[] = {"probabilities",
                                           "probability_prefix",
                                           "label",
                                           "prediction",
                                           "lower",
                                           "upper",
                                           NULL};
static const char *const bootstrap_keys[] = {"replicates", "confidence", "interval",
                                             "seed",       "stratify",   "cluster",
                                             "resampler",  NULL};
static const char *const slicing_keys[] = {"column", "bins", NULL};
static const char *const slicing_future[] = {"quantiles", "groups", "where", NULL};
static const char *const test_keys[] = {
    "name",       "metric",   "model",    "slices",       "at_least",
    "at_most",    "rule",     "baseline", "non_inferior", "superior",
    "equivalent", "relative", "min_size", "correction",   NULL};
static const char *const test_future[] = {"max_gap", "min_ratio", "vs_overall",
                                          "class",   "k",         NULL};
/* In mg_correction order after MG_CORRECTION_DEFAULT. */
static const char *const correction_names[] = {"none", "holm", "bonferroni", NULL};

static const char *const interval_names[] = {"bca", "percentile", "basic", "analytic",
                                             NULL};
static const char *const rule_names[] = {"strict", "lenient", "estimate", NULL};
static const char *const stratify_names[] = {"none", "label", NULL};
static const char *const resampler_names[] = {"multinomial", "poisson", NULL};
static const char *const comparison_keys[] = {"non_inferior", "superior", "equivalent",
                                              NULL};

/* ---- Messages ------------------------------------------------------------------ */

/* Copy at most SHOW_MAX bytes of s into buf (cut at a UTF-8 boundary), with "..."
 * when cut. buf must hold SHOW_MAX + 4 bytes. */
static const char *clip(const char *s, size_t len, char *buf)
{
    size_t n = len;

    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    strcpy(buf + n, n < len ? "..." : "");
    return buf;
}

static const char *text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static int is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* YAML's null: an empty plain scalar, `~` or `null`. */
static int is_null(const yaml_node_t *n)
{
    const char *s = text(n);

    return is_plain(n) &&
           (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
            strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

/* What a node is, for "expected X, got ..." messages: "a map", "'abc'", ... */
static const char *describe(const yaml_node_t *n, char *buf, size_t size)
{
    char shown[SHOW_MAX + 4];

    if (n->type == YAML_MAPPING_NODE)
        return "a map";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    if (is_plain(n) && n->data.scalar.length == 0)
        return "an empty value";
    if (is_null(n))
        return "null";
    clip(text(n), n->data.scalar.length, shown);
    snprintf(buf, size, is_plain(n) ? "'%s'" : "a quoted string '%s'", shown);
    return buf;
}

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions), or
 * a large number for words longer than SUGGEST_MAX_LEN. */
static int distance(const char *a, const char *b)
{
    int d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
    size_t la = strlen(a), lb = strlen(b), i, j;

    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return INT_MAX;
    for (i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* Keep `name` if it is a plausible correction of `word`: at most two edits, and no
 * more than half the name (so that "ab" does not suggest "id"). */
static void nearest_consider(nearest *best, const char *word, const char *name)
{
    int d = distance(word, name);

    if (d > 2 || (size_t)d * 2 > strlen(name))
        return;
    if (best->name == NULL || d < best->distance) {
        best->name = name;
        best->distance = d;
    }
}

static nearest nearest_in(const char *word, const char *const *names)
{
    nearest best = {NULL, 0};

    for (; names != NULL && *names != NULL; names++)
        nearest_consider(&best, word, *names);
    return best;
}

/* " (did you mean 'x'?)" or "" */
static const char *hint(const nearest *best, char *buf, size_t size)
{
    if (best->name == NULL)
        return "";
    snprintf(buf, size, " (did you mean '%s'?)", best->name);
    return buf;
}

/* "a, b or c" */
static const char *join_or(const char *const *names, char *buf, size_t size)
{
    size_t used = 0, i;

    buf[0] = '\0';
    for (i = 0; names[i] != NULL && used < size; i++) {
        const char *sep = i == 0 ? "" : names[i + 1] == NULL ? " or " : ", ";
        int n = snprintf(buf + used, size - used, "%s%s", sep, names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* ---- Key paths and errors ------------------------------------------------------ */

/* Append ".name" (or "name" at the top) to the key path; returns the mark to pop. */
static size_t key_push(parse_ctx *c, const char *name)
{
    size_t mark = c->keylen;
    int n =
        snprintf(c->key + mark, sizeof c->key - mark, "%s%s", mark ? "." : "", name);

    if (n < 0 || (size_t)n >= sizeof c->key - mark)
        c->keylen = sizeof c->key - 1;
    else
        c->keylen = mark + (size_t)n;
    return mark;
}

static size_t key_push_index(parse_ctx *c, size_t i)
{
    size_t mark = c->keylen;
    int n = snprintf(c->key + mark, sizeof c->key - mark, "[%zu]", i);

    if (n < 0 || (size_t)n >= sizeof c->key - mark)
        c->keylen = sizeof c->key - 1;
    else
        c->keylen = mark + (size_t)n;
    return mark;
}

static void key_pop(parse_ctx *c, size_t mark)
{
    c->key[mark] = '\0';
    c->keylen = mark;
}

/* Report a problem at node n (NULL: no line) under the current key path. */
static int fail(parse_ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parse_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[MG_ERROR_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mg_error_set(c->err, MG_EPARSE, c->suite->path,
                 n ? (unsigned long)n->start_mark.line + 1 : 0,
                 n ? (unsigned long)n->start_mark.column + 1 : 0, "%s", msg);
    mg_error_set_key(c->err, c->key);
    return MG_EPARSE;
}

static int oom(parse_ctx *c)
{
    return mg_error_set(c->err, MG_ENOMEM, c->suite->path, 0, 0, "out of memory");
}

static void set_loc(const parse_ctx *c, const yaml_node_t *n, mg_loc *loc)
{
    loc->line = n ? (unsigned long)n->start_mark.line + 1 : 0;
    loc->column = n ? (unsigned long)n->start_mark.column + 1 : 0;
    snprintf(loc->key, sizeof loc->key, "%s", c->key);
}

/* The location a defaulted value would have: key path current.name, no line. */
static void set_default_loc(parse_ctx *c, const char *name, mg_loc *loc)
{
    size_t mark = key_push(c, name);

    set_loc(c, NULL, loc);
    key_pop(c, mark);
}

static int copy_string(parse_ctx *c, const char *s, char **out)
{
    char *copy = strdup(s);

    if (copy == NULL)
        return oom(c);
    free(*out);
    *out = copy;
    return 0;
}

/* ---- Scalars ------------------------------------------------------------------- */

enum { NUM_OK, NUM_SYNTAX, NUM_RANGE };

/* Decimal notation, [-+]?(d+(.d*)?|.d+)([eE][-+]?d+)?, converted to a finite double
 * whatever the locale's decimal point. */
static int parse_double(const char *s, double *out)
{
    char buf[256];
    const char *p = s, *point = localeconv()->decimal_point;
    size_t digits = 0, len, plen = strlen(point), i, j;
    double x;
    char *end;

    if (*p == '+' || *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits == 0)
        return NUM_SYNTAX;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return NUM_SYNTAX;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0')
        return NUM_SYNTAX;
    len = (size_t)(p - s);
    if (len + plen >= sizeof buf)
        return NUM_SYNTAX;
    for (i = 0, j = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(buf + j, point, plen);
            j += plen;
        } else {
            buf[j++] = s[i];
        }
    }
    buf[j] = '\0';
    errno = 0;
    x = strtod(buf, &end);
    if (*end != '\0')
        return NUM_SYNTAX;
    if (!isfinite(x))
        return NUM_RANGE;
    *out = x;
    return NUM_OK;
}

/* [-+]?d+ as a sign and a magnitude; NUM_RANGE when the magnitude exceeds 64 bits. */
static int parse_integer(const char *s, int *negative, uint64_t *magnitude)
{
    uint64_t m = 0;
    const char *p = s;

    *negative = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    if (*p == '\0')
        return NUM_SYNTAX;
    for (; *p != '\0'; p++) {
        unsigned d;
        if (!(*p >= '0' && *p <= '9'))
            return NUM_SYNTAX;
        d = (unsigned)(*p - '0');
        if (m > (UINT64_MAX - d) / 10) {
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
            return *p == '\0' ? NUM_RANGE : NUM_SYNTAX;
        }
        m = m * 10 + d;
    }
    *magnitude = m;
    return NUM_OK;
}

/* A non-empty string scalar without NUL characters, borrowed from the document. */
static int read_string(parse_ctx *c, const yaml_node_t *n, const char **out)
{
    char got[96];

    if (n->type != YAML_SCALAR_NODE || is_null(n))
        return fail(c, n, "expected a string, got %s", describe(n, got, sizeof got));
    if (n->data.scalar.length == 0)
        return fail(c, n, "expected a non-empty string");
    if (strlen(text(n)) != n->data.scalar.length)
        return fail(c, n, "expected a string without NUL characters");
    *out = text(n);
    return 0;
}

static int read_number(parse_ctx *c, const yaml_node_t *n, double *out)
{
    char got[96];
    int st = is_plain(n) ? parse_double(text(n), out) : NUM_SYNTAX;

    if (st == NUM_SYNTAX)
        return fail(c, n, "expected a number, got %s", describe(n, got, sizeof got));
    if (st == NUM_RANGE)
        return fail(c, n, "expected a finite number, got %s",
                    describe(n, got, sizeof got));
    return 0;
}

/* An integer in [lo, hi]. */
static int read_uint(parse_ctx *c, const yaml_node_t *n, uint64_t lo, uint64_t hi,
                     uint64_t *out)
{
    char got[96];
    int negative = 0, st = NUM_SYNTAX;
    uint64_t m = 0;

    if (is_plain(n))
        st = parse_integer(text(n), &negative, &m);
    if (st == NUM_SYNTAX)
        return fail(c, n, "expected an integer, got %s", describe(n, got, sizeof got));
    if (st == NUM_OK && negative && m != 0 && lo == 0)
        return fail(c, n, "expected a non-negative integer, got %s",
                    describe(n, got, sizeof got));
    if (st == NUM_RANGE || (negative && m != 0) || m < lo || m > hi)
        return fail(c, n,
                    "expected an integer between %" PRIu64 " and %" PRIu64 ", got %s",
                    lo, hi, describe(n, got, sizeof got));
    *out = m;
    return 0;
}

static int read_bool(parse_ctx *c, const yaml_node_t *n, int *out)
{
    char got[96];

    if (is_plain(n) && strcmp(text(n), "true") == 0)
        *out = 1;
    else if (is_plain(n) && strcmp(text(n), "false") == 0)
        *out = 0;
    else
        return fail(c, n, "expected true or false, got %s",
                    describe(n, got, sizeof got));
    return 0;
}

/* One of `names` (NULL-terminated); *out receives its index. `noun` names the
 * setting in the message: "unknown interval 'bac' (did you mean 'bca'?)". */
static int read_enum(parse_ctx *c, const yaml_node_t *n, const char *noun,
                     const char *const *names, int *out)
{
    char shown[SHOW_MAX + 4], extra[256], list[200];
    const char *s;
    nearest best;
    int rc, i;

    if ((rc = read_string(c, n, &s)) < 0)
        return rc;
    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    best = nearest_in(s, names);
    if (best.name != NULL)
        hint(&best, extra, sizeof extra);
    else
        snprintf(extra, sizeof extra, " (expected %s)",
                 join_or(names, list, sizeof list));
    return fail(c, n, "unknown %s '%s'%s", noun, clip(s, strlen(s), shown), extra);
}

/* ---- Maps ---------------------------------------------------------------------- */

static int cmp_named(const void *pa, const void *pb)
{
    const named *a = pa, *b = pb;
    int d = strcmp(a->name, b->name);

    if (d != 0)
        return d;
    return (a->index > b->index) - (a->index < b->index);
}

/* Sort items and find the earliest (by index) name that repeats an earlier one.
 * Returns 1 with *dup and *first set, or 0 when all names differ. */
static int first_duplicate(named *items, size_t n, size_t *dup, size_t *first)
{
    size_t i, group = 0;
    int found = 0;

    if (n < 2)
        return 0;
    qsort(items, n, sizeof *items, cmp_named);
    for (i = 1; i < n; i++) {
        if (strcmp(items[i].name, items[group].name) != 0) {
            group = i;
            continue;
        }
        if (i == group + 1 && (!found || items[i].index < *dup)) {
            *dup = items[i].index;
            *first = items[group].index;
            found = 1;
        }
    }
    return found;
}

static int in_list(const char *name, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(name, *names) == 0)
            return 1;
    return 0;
}

static size_t map_size(const yaml_node_t *map)
{
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

/*
 * Check a map as a whole: it is a map, its keys are non-empty strings, each is in
 * `known` (NULL: any name is allowed) and none repeats. Keys in `future` are
 * reported as "<noun> 'x' is not supported yet".
 */
static int check_map(parse_ctx *c, const yaml_node_t *map, const char *const *known,
                     const char *const *future, const char *noun)
{
    char got[96], extra[128], shown[SHOW_MAX + 4];
    named *items = NULL;
    size_t n, i, dup = 0, first = 0, mark;
    int rc = 0;

    if (map->type != YAML_MAPPING_NODE)
        return fail(c, map, "expected a map, got %s", describe(map, got, sizeof got));
    n = map_size(map);
    for (i = 0; i < n; i++) {
        yaml_node_t *k =
            yaml_document_get_node(c->doc, map->data.mapping.pairs.start[i].key);
        const char *name;
        nearest best;

        if (k->type != YAML_SCALAR_NODE || k->data.scalar.length == 0 || is_null(k))
            return fail(c, k, "expected a name as key, got %s",
                        describe(k, got, sizeof got));
        if (strlen(text(k)) != k->data.scalar.length)
            return fail(c, k, "expected a key without NUL characters");
        name = text(k);
        if (known == NULL || in_list(name, known))
            continue;
        mark = key_push(c, name);
        clip(name, strlen(name), shown);
        if (in_list(name, future)) {
            rc = fail(c, k, "%s '%s' is not supported yet", noun, shown);
        } else if (strcmp(name, "<<") == 0) {
            rc = fail(c, k, "merge keys ('<<') are not supported");
        } else {
            best = nearest_in(name, known);
            rc = fail(c, k, "unknown %s '%s'%s", noun, shown,
                      hint(&best, extra, sizeof extra));
        }
        key_pop(c, mark);
        return rc;
    }
    if (n < 2)
        return 0;
    items = malloc(n * sizeof *items);
    if (items == NULL)
        return oom(c);
    for (i = 0; i < n; i++) {
        items[i].name =
            text(yaml_document_get_node(c->doc, map->data.mapping.pairs.start[i].key));
        items[i].index = i;
    }
    if (first_duplicate(items, n, &dup, &first)) {
        yaml_node_t *k =
            yaml_document_get_node(c->doc, map->data.mapping.pairs.start[dup].key);
        yaml_node_t *k0 =
            yaml_document_get_node(c->doc, map->data.mapping.pairs.start[first].key);

        mark = key_push(c, text(k));
        rc = fail(c, k, "duplicate key '%s' (first at line %lu)",
                  clip(text(k), k->data.scalar.length, shown),
                  (unsigned long)k0->start_mark.line + 1);
        key_pop(c, mark);
    }
    free(items);
    return rc;
}

/* The value under `name` in a checked map, or NULL; *key_node (may be NULL) gets
 * the key's node. */
static yaml_node_t *lookup(parse_ctx *c, const yaml_node_t *map, const char *name,
                           yaml_node_t **key_node)
{
    yaml_node_pair_t *p;

    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        if (strcmp(text(k), name) == 0) {
            if (key_node != NULL)
                *key_node = k;
            return yaml_document_get_node(c->doc, p->value);
        }
    }
    return NULL;
}

static int missing(parse_ctx *c, const yaml_node_t *map, const char *name)
{
    size_t mark = key_push(c, name);
    int rc = fail(c, map, "missing required key '%s'", name);

    key_pop(c, mark);
    return rc;
}

/* A string under `name`, copied into *out; absent leaves *out alone unless the key
 * is required. loc (may be NULL) records where it was written. */
static int get_string(parse_ctx *c, const yaml_node_t *map, const char *name,
                      int required, char **out, mg_loc *loc)
{
    yaml_node_t *v = lookup(c, map, name, NULL);
    const char *s;
    size_t mark;
    int rc;

    if (v == NULL)
        return required ? missing(c, map, name) : 0;
    mark = key_push(c, name);
    if ((rc = read_string(c, v, &s)) < 0)
        goto cleanup;
    if (loc != NULL)
        set_loc(c, v, loc);
    rc = copy_string(c, s, out);
cleanup:
    key_pop(c, mark);
    return rc;
}

static int get_number(parse_ctx *c, const yaml_node_t *map, const char *name, int *has,
                      double *out)
{
    yaml_node_t *v = lookup(c, map, name, NULL);
    size_t mark;
    int rc;

    if (v == NULL)
        return 0;
    mark = key_push(c, name);
    rc = read_number(c, v, out);
    if (rc == 0 && has != NULL)
        *has = 1;
    key_pop(c, mark);
    return rc;
}

static int get_uint(parse_ctx *c, const yaml_node_t *map, const char *name, uint64_t lo,
                    uint64_t hi, uint64_t *out)
{
    yaml_node_t *v = lookup(c, map, name, NULL);
    size_t mark;
    int rc;

    if (v == NULL)
        return 0;
    mark = key_push(c, name);
    rc = read_uint(c, v, lo, hi, out);
    key_pop(c, mark);
    return rc;
}

/* An enumerated setting; `noun` defaults to the key's name. */
static int get_enum(parse_ctx *c, const yaml_node_t *map, const char *name,
                    const char *const *names, int *out, mg_loc *loc)
{
    yaml_node_t *v = lookup(c, map, name, NULL);
    size_t mark;
    int rc;

    if (v == NULL) {
        if (loc != NULL)
            set_default_loc(c, name, loc);
        return 0;
    }
    mark = key_push(c, name);
    rc = read_enum(c, v, name, names, out);
    if (rc == 0 && loc != NULL)
        set_loc(c, v, loc);
    key_pop(c, mark);
    return rc;
}

/* rel joined to the suite file's directory, unless absolute or the suite path has
 * no directory part. */
static int resolve_path(parse_ctx *c, const char *rel, char **out)
{
    const char *path = c->suite->path, *slash = strrchr(path, '/');
    size_t dirlen, rlen;
    char *joined;

    if (rel[0] == '/' || slash == NULL)
        return copy_string(c, rel, out);
    dirlen = (size_t)(slash - path);
    rlen = strlen(rel);
    joined = malloc(dirlen + 1 + rlen + 1);
    if (joined == NULL)
        return oom(c);
    memcpy(joined, path, dirlen);
    joined[dirlen] = '/';
    memcpy(joined + dirlen + 1, rel, rlen + 1);
    free(*out);
    *out = joined;
    return 0;
}

/* A path under `name`, resolved against the suite's directory. */
static int get_path(parse_ctx *c, const yaml_node_t *map, const char *name,
                    int required, char **out, mg_loc *loc)
{
    char *raw = NULL;
    int rc = get_string(c, map, name, required, &raw, loc);

    if (rc == 0 && raw != NULL)
        rc = resolve_path(c, raw, out);
    free(raw);
    return rc;
}

/* ---- Guard against alias bombs and deep nesting -------------------------------- */

/* Visit every node reachable from n, counting visits (aliases expanded) and levels.
 * The key path holds the top-level key under which the walk is. */
static int guard(parse_ctx *c, const yaml_node_t *n, size_t depth, size_t *visits)
{
    int rc = 0;

    if (++*visits > MAX_NODES)
        return fail(c, n,
                    "suite file too large or too deeply nested (alias expansion)");
    if (depth > MAX_DEPTH)
        return fail(c, n, "suite file nested deeper than %d levels", MAX_DEPTH);
    if (n->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *it;
        for (it = n->data.sequence.items.start;
             rc == 0 && it < n->data.sequence.items.top; it++)
            rc = guard(c, yaml_document_get_node(c->doc, *it), depth + 1, visits);
    } else if (n->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *p;
        for (p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            size_t mark = c->keylen;
            if (depth == 1 && k->type == YAML_SCALAR_NODE)
                mark = key_push(c, text(k));
            rc = guard(c, k, depth + 1, visits);
            if (rc == 0)
                rc = guard(c, yaml_document_get_node(c->doc, p->value), depth + 1,
                           visits);
            if (rc == 0)
                key_pop(c, mark);
        }
    }
    return rc;
}

/* ---- Sections ------------------------------------------------------------------ */

static int parse_task(parse_ctx *c, const yaml_node_t *root)
{
    static const char *const tasks[] = {"binary", "multiclass", "regression", NULL};
    char shown[SHOW_MAX + 4], extra[128];
    yaml_node_t *v = lookup(c, root, "task", NULL);
    const char *s;
    nearest best;
    size_t mark;
    int rc;

    if (v == NULL)
        return missing(c, root, "task");
    mark = key_push(c, "task");
    if ((rc = read_string(c, v, &s)) < 0)
        goto cleanup;
    clip(s, strlen(s), shown);
    if (strcmp(s, "binary") == 0) {
        c->suite->task = MG_TASK_BINARY;
    } else if (strcmp(s, "multiclass") == 0 || strcmp(s, "regression") == 0) {
        rc = fail(c, v, "task '%s' is not supported yet (binary only)", s);
    } else {
        best = nearest_in(s, tasks);
        rc = fail(c, v, "unknown task '%s'%s", shown, hint(&best, extra, sizeof extra));
    }
cleanup:
    key_pop(c, mark);
    return rc;
}

static int parse_data(parse_ctx *c, const yaml_node_t *v)
{
    mg_data_spec *d = &c->suite->data;
    char *delimiter = NULL, shown[SHOW_MAX + 4];
    int rc;

    if ((rc = check_map(c, v, data_keys, data_future, "key")) < 0)
        return rc;
    if ((rc = get_path(c, v, "holdout", 1, &d->holdout, &d->holdout_loc)) < 0 ||
        (rc = get_string(c, v, "id", 0, &d->id, &d->id_loc)) < 0 ||
        (rc = get_string(c, v, "label", 1, &d->label, &d->label_loc)) < 0 ||
        (rc = get_string(c, v, "positive", 1, &d->positive, &d->positive_loc)) < 0 ||
        (rc = get_string(c, v, "delimiter", 0, &delimiter, NULL)) < 0)
        goto cleanup;
    if (d->id == NULL)
        set_default_loc(c, "id", &d->id_loc);
    if (delimiter != NULL) {
        yaml_node_t *dv = lookup(c, v, "delimiter", NULL);
        size_t mark = key_push(c, "delimiter");
        if (strlen(delimiter) != 1)
            rc = fail(c, dv, "expected a one-character delimiter, got '%s'",
                      clip(delimiter, strlen(delimiter), shown));
        else if (strchr("\"\r\n", delimiter[0]) != NULL)
            rc = fail(c, dv, "the delimiter cannot be a quote or a line break");
        else
            d->delimiter = delimiter[0];
        key_pop(c, mark);
    }
cleanup:
    free(delimiter);
    return rc;
}

static int parse_model(parse_ctx *c, const yaml_node_t *v, mg_model_spec *m)
{
    int rc;

    if ((rc = check_map(c, v, model_keys, model_future, "key")) < 0)
        return rc;
    if ((rc = get_path(c, v, "file", 0, &m->file, &m->file_loc)) < 0 ||
        (rc = get_string(c, v, "score", 1, &m->score, &m->score_loc)) < 0 ||
        (rc = get_number(c, v, "threshold", &m->has_threshold, &m->threshold)) < 0)
        return rc;
    if (m->file == NULL)
        set_default_loc(c, "file", &m->file_loc);
    return 0;
}

static int parse_models(parse_ctx *c, const yaml_node_t *v)
{
    mg_suite *s = c->suite;
    size_t n, i;
    int rc;

    if ((rc = check_map(c, v, NULL, NULL, "model")) < 0)
        return rc;
    n = map_size(v);
    if (n == 0)
        return fail(c, v, "expected at least one model");
    s->models = calloc(n, sizeof *s->models);
    if (s->models == NULL)
        return oom(c);
    for (i = 0; i < n; i++) {
        yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        mg_model_spec *m = &s->models[s->nmodels++];
        size_t mark = key_push(c, text(k));

        set_loc(c, k, &m->loc);
        rc = copy_string(c, text(k), &m->name);
        if (rc == 0)
            rc = parse_model(c, yaml_document_get_node(c->doc, p->value), m);
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_bootstrap(parse_ctx *c, const yaml_node_t *v)
{
    mg_bootstrap_spec *b = &c->suite->bootstrap;
    uint64_t replicates = b->replicates;
    yaml_node_t *conf;
    int rc, kind;

    set_loc(c, v, &b->loc);
    if ((rc = check_map(c, v, bootstrap_keys, NULL, "key")) < 0)
        return rc;
    if ((rc = get_uint(c, v, "replicates", 1, MAX_REPLICATES, &replicates)) < 0)
        return rc;
    b->replicates = (size_t)replicates;
    if ((rc = get_number(c, v, "confidence", NULL, &b->confidence)) < 0)
        return rc;
    conf = lookup(c, v, "confidence", NULL);
    if (conf != NULL && !(b->confidence > 0 && b->confidence < 1)) {
        char got[96];
        size_t mark = key_push(c, "confidence");
        rc = fail(c, conf, "expected a number between 0 and 1 (exclusive), got %s",
                  describe(conf, got, sizeof got));
        key_pop(c, mark);
        return rc;
    }
    kind = (int)b->interval;
    if ((rc = get_enum(c, v, "interval", interval_names, &kind, &b->interval_loc)) < 0)
        return rc;
    b->interval = (mg_interval_kind)kind;
    if ((rc = get_uint(c, v, "seed", 0, UINT64_MAX, &b->seed)) < 0)
        return rc;
    kind = (int)b->stratify;
    if ((rc = get_enum(c, v, "stratify", stratify_names, &kind, NULL)) < 0)
        return rc;
    b->stratify = (mg_stratify)kind;
    if ((rc = get_string(c, v, "cluster", 0, &b->cluster, &b->cluster_loc)) < 0)
        return rc;
    if (b->cluster == NULL)
        set_default_loc(c, "cluster", &b->cluster_loc);
    kind = (int)b->resampler;
    if ((rc = get_enum(c, v, "resampler", resampler_names, &kind, NULL)) < 0)
        return rc;
    b->resampler = (mg_resampler)kind;
    return 0;
}

/* A list of at least two distinct column names: a cross of their values. */
static int parse_cross(parse_ctx *c, const yaml_node_t *v, mg_slicing_spec *sl)
{
    char shown[SHOW_MAX + 4];
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start), i,
           j;
    int rc = 0;

    if (n < 2)
        return fail(c, v, "a cross needs at least two columns");
    sl->columns = calloc(n, sizeof *sl->columns);
    if (sl->columns == NULL)
        return oom(c);
    for (i = 0; i < n && rc == 0; i++) {
        yaml_node_t *item =
            yaml_document_get_node(c->doc, v->data.sequence.items.start[i]);
        size_t mark = key_push_index(c, i);
        const char *s;

        rc = read_string(c, item, &s);
        for (j = 0; rc == 0 && j < sl->ncolumns; j++)
            if (strcmp(sl->columns[j], s) == 0)
                rc = fail(c, item, "column '%s' appears twice in the cross",
                          clip(s, strlen(s), shown));
        if (rc == 0 && (rc = copy_string(c, s, &sl->columns[i])) == 0)
            sl->ncolumns++;
        key_pop(c, mark);
    }
    return rc;
}

/* {column: NAME, bins: [ascending edges]}: one slice per bin of a number column. */
static int parse_binned(parse_ctx *c, const yaml_node_t *v, mg_slicing_spec *sl)
{
    yaml_node_t *bins;
    size_t n, i, mark;
    char got[96];
    int rc;

    if ((rc = check_map(c, v, slicing_keys, slicing_future, "slicing option")) < 0)
        return rc;
    sl->columns = calloc(1, sizeof *sl->columns);
    if (sl->columns == NULL)
        return oom(c);
    if ((rc = get_string(c, v, "column", 1, &sl->columns[0], NULL)) < 0)
        return rc;
    sl->ncolumns = 1;
    bins = lookup(c, v, "bins", NULL);
    if (bins == NULL)
        return missing(c, v, "bins");
    mark = key_push(c, "bins");
    if (bins->type != YAML_SEQUENCE_NODE) {
        rc = fail(c, bins, "expected a list, got %s", describe(bins, got, sizeof got));
        goto cleanup;
    }
    n = (size_t)(bins->data.sequence.items.top - bins->data.sequence.items.start);
    if (n == 0) {
        rc = fail(c, bins, "expected at least one bin edge");
        goto cleanup;
    }
    sl->bins = calloc(n, sizeof *sl->bins);
    if (sl->bins == NULL) {
        rc = oom(c);
        goto cleanup;
    }
    for (i = 0; i < n && rc == 0; i++) {
        yaml_node_t *item =
            yaml_document_get_node(c->doc, bins->data.sequence.items.start[i]);
        size_t imark = key_push_index(c, i);
        double x = 0;

        rc = read_number(c, item, &x);
        if (rc == 0 && i > 0 && !(x > sl->bins[i - 1]))
            rc = fail(c, item, "bin edges must be ascending, got %g after %g", x,
                      sl->bins[i - 1]);
        if (rc == 0)
            sl->bins[sl->nbins++] = x;
        key_pop(c, imark);
    }
cleanup:
    key_pop(c, mark);
    return rc;
}

static int parse_slicing(parse_ctx *c, const yaml_node_t *v, mg_slicing_spec *sl)
{
    const char *s;
    int rc;

    if (v->type == YAML_SEQUENCE_NODE)
        return parse_cross(c, v, sl);
    if (v->type == YAML_MAPPING_NODE)
        return parse_binned(c, v, sl);
    if ((rc = read_string(c, v, &s)) < 0)
        return rc;
    sl->columns = calloc(1, sizeof *sl->columns);
    if (sl->columns == NULL)
        return oom(c);
    if ((rc = copy_string(c, s, &sl->columns[0])) < 0)
        return rc;
    sl->ncolumns = 1;
    return 0;
}

static int parse_slices(parse_ctx *c, const yaml_node_t *v)
{
    mg_suite *s = c->suite;
    size_t n, i;
    int rc;

    if ((rc = check_map(c, v, NULL, NULL, "slicing")) < 0)
        return rc;
    n = map_size(v);
    if (n == 0)
        return 0;
    s->slicings = calloc(n, sizeof *s->slicings);
    if (s->slicings == NULL)
        return oom(c);
    for (i = 0; i < n; i++) {
        yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        mg_slicing_spec *sl = &s->slicings[s->nslicings++];
        size_t mark = key_push(c, text(k));

        set_loc(c, k, &sl->loc);
        rc = copy_string(c, text(k), &sl->name);
        if (rc == 0)
            rc = parse_slicing(c, yaml_document_get_node(c->doc, p->value), sl);
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A reference to a declared model (models: section), copied into *out. */
static int read_model_ref(parse_ctx *c, const yaml_node_t *v, char **out, mg_loc *loc)
{
    const mg_suite *s = c->suite;
    char shown[SHOW_MAX + 4], extra[128];
    nearest best = {NULL, 0};
    const char *name;
    size_t i;
    int rc;

    if ((rc = read_string(c, v, &name)) < 0)
        return rc;
    if (mg_suite_model(s, name) < 0) {
        for (i = 0; i < s->nmodels; i++)
            nearest_consider(&best, name, s->models[i].name);
        return fail(c, v, "model '%s' is not declared under models%s",
                    clip(name, strlen(name), shown), hint(&best, extra, sizeof extra));
    }
    set_loc(c, v, loc);
    return copy_string(c, name, out);
}

/* The comparison keyword of a test (at most one), its margin and its key node. */
static int parse_comparison(parse_ctx *c, const yaml_node_t *map, mg_test_spec *t,
                            yaml_node_t **where)
{
    size_t i, mark;
    int rc = 0;

    for (i = 0; comparison_keys[i] != NULL && rc == 0; i++) {
        yaml_node_t *k = NULL, *v = lookup(c, map, comparison_keys[i], &k);
        char got[96];

        if (v == NULL)
            continue;
        mark = key_push(c, comparison_keys[i]);
        if (*where != NULL)
            rc = fail(c, k,
                      "only one of non_inferior, superior or equivalent may be given");
        else if ((rc = read_number(c, v, &t->margin)) == 0 && t->margin < 0)
            rc = fail(c, v, "expected a non-negative margin, got %s",
                      describe(v, got, sizeof got));
        if (rc == 0) {
            /* comparison_keys follows the order of mg_comparison. */
            t->comparison = (mg_comparison)(MG_COMPARE_NON_INFERIOR + (int)i);
            *where = k;
        }
        key_pop(c, mark);
    }
    return rc;
}

static int parse_test(parse_ctx *c, const yaml_node_t *v, mg_test_spec *t, size_t index)
{
    const mg_suite *s = c->suite;
    yaml_node_t *metric, *model, *baseline, *slices, *relative, *relative_key = NULL,
                                                                *compare_key = NULL;
    char shown[SHOW_MAX + 4], extra[128];
    const char *name;
    uint64_t min_size = 0;
    int rc, rule = MG_RULE_STRICT;
    size_t mark;

    if ((rc = check_map(c, v, test_keys, test_future, "key")) < 0)
        return rc;
    set_loc(c, v, &t->loc);
    if ((rc = get_string(c, v, "name", 1, &t->name, NULL)) < 0)
        return rc;

    metric = lookup(c, v, "metric", NULL);
    if (metric == NULL)
        return missing(c, v, "metric");
    mark = key_push(c, "metric");
    if ((rc = read_string(c, metric, &name)) == 0) {
        set_loc(c, metric, &t->metric_loc);
        t->metric = mg_metric_from_name(name);
        if (t->metric < 0) {
            nearest best = {NULL, 0};
            for (int m = 0; m < MG_METRIC_COUNT; m++)
                nearest_consider(&best, name, mg_metric_name((mg_metric)m));
            rc =
                fail(c, metric, "unknown metric '%s'%s",
                     clip(name, strlen(name), shown), hint(&best, extra, sizeof extra));
        }
    }
    key_pop(c, mark);
    if (rc < 0)
        return rc;

    /* The model under test defaults to "candidate"; the default's location is the
     * test itself, under the key that would change it. */
    model = lookup(c, v, "model", NULL);
    mark = key_push(c, "model");
    if (model != NULL)
        rc = read_model_ref(c, model, &t->model, &t->model_loc);
    else
        set_loc(c, v, &t->model_loc);
    key_pop(c, mark);
    if (rc < 0)
        return rc;
    if (model == NULL) {
        if (mg_suite_model(s, "candidate") < 0)
            return fail(c, v, "no model 'candidate' (set tests[%zu].model)", index);
        if ((rc = copy_string(c, "candidate", &t->model)) < 0)
            return rc;
    }

    baseline = lookup(c, v, "baseline", NULL);
    if (baseline != NULL) {
        mark = key_push(c, "baseline");
        rc = read_model_ref(c, baseline, &t->baseline, &t->baseline_loc);
        if (rc == 0 && strcmp(t->baseline, t->model) == 0)
            rc = fail(c, baseline,
                      "baseline must differ from the model under test ('%s')",
                      clip(t->model, strlen(t->model), shown));
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    } else {
        set_default_loc(c, "baseline", &t->baseline_loc);
    }

    slices = lookup(c, v, "slices", NULL);
    if (slices != NULL) {
        mark = key_push(c, "slices");
        if ((rc = read_string(c, slices, &name)) == 0) {
            if (mg_suite_slicing(s, name) < 0) {
                nearest best = {NULL, 0};
                for (size_t i = 0; i < s->nslicings; i++)
                    nearest_consider(&best, name, s->slicings[i].name);
                rc = fail(c, slices, "slicing '%s' is not declared under slices%s",
                          clip(name, strlen(name), shown),
                          hint(&best, extra, sizeof extra));
            } else {
                set_loc(c, slices, &t->slices_loc);
                rc = copy_string(c, name, &t->slices);
            }
        }
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    } else {
        set_default_loc(c, "slices", &t->slices_loc);
    }

    if ((rc = get_number(c, v, "at_least", &t->has_at_least, &t->at_least)) < 0 ||
        (rc = get_number(c, v, "at_most", &t->has_at_most, &t->at_most)) < 0 ||
        (rc = get_enum(c, v, "rule", rule_names, &rule, NULL)) < 0 ||
        (rc = parse_comparison(c, v, t, &compare_key)) < 0)
        return rc;
    t->rule = (mg_rule)rule;

    relative = lookup(c, v, "relative", &relative_key);
    if (relative != NULL) {
        mark = key_push(c, "relative");
        rc = read_bool(c, relative, &t->relative);
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    }
    if ((rc = get_uint(c, v, "min_size", 0, LONG_MAX, &min_size)) < 0)
        return rc;
    t->min_size = lookup(c, v, "min_size", NULL) != NULL ? (long)min_size : -1;
    {
        yaml_node_t *cv = lookup(c, v, "correction", NULL);
        int corr = -1;
        mark = key_push(c, "correction");
        if (cv != NULL) {
            const char *cs;
            if (read_string(c, cv, &cs) == 0 && strcmp(cs, "bh") == 0)
                rc = fail(c, cv,
                          "correction 'bh' is not supported yet "
                          "(holm, bonferroni or none)");
            else
                rc = read_enum(c, cv, "correction", correction_names, &corr);
            if (rc == 0 && t->rule != MG_RULE_LENIENT)
                rc = fail(c, cv,
                          "a correction applies to rule: lenient only (a strict family "
                          "needs every slice to pass, which needs no correction; "
                          "estimate has no error control to correct)");
            if (rc == 0)
                set_loc(c, cv, &t->correction_loc);
        } else {
            set_default_loc(c, "correction", &t->correction_loc);
        }
        key_pop(c, mark);
        if (rc < 0)
            return rc;
        t->correction = corr < 0 ? MG_CORRECTION_DEFAULT : (mg_correction)(corr + 1);
    }

    /* Checks across keys. */
    if (compare_key != NULL && baseline == NULL) {
        mark = key_push(c, text(compare_key));
        rc = fail(c, compare_key, "%s needs a baseline", text(compare_key));
        key_pop(c, mark);
        return rc;
    }
    if (baseline != NULL && compare_key == NULL) {
        mark = key_push(c, "baseline");
        rc = fail(c, baseline,
                  "baseline '%s' needs one of non_inferior, superior or equivalent",
                  clip(t->baseline, strlen(t->baseline), shown));
        key_pop(c, mark);
        return rc;
    }
    if (relative != NULL && baseline == NULL) {
        mark = key_push(c, "relative");
        rc = fail(c, relative_key, "relative needs a baseline comparison");
        key_pop(c, mark);
        return rc;
    }
    if (!t->has_at_least && !t->has_at_most && baseline == NULL)
        return fail(c, v, "a test needs at_least, at_most or a baseline comparison");
    if ((t->has_at_least || t->has_at_most) && baseline != NULL) {
        mark = key_push(c, "baseline");
        rc = fail(c, baseline,
                  "a test is a threshold test (at_least, at_most) or a comparison "
                  "(baseline), not both; write two tests");
        key_pop(c, mark);
        return rc;
    }
    if (t->has_at_least && t->has_at_most && t->at_least > t->at_most) {
        mark = key_push(c, "at_least");
        rc =
            fail(c, lookup(c, v, "at_least", NULL),
                 "at_least (%g) is greater than at_most (%g)", t->at_least, t->at_most);
        key_pop(c, mark);
        return rc;
    }
    return 0;
}

static int parse_tests(parse_ctx *c, const yaml_node_t *v)
{
    mg_suite *s = c->suite;
    named *items = NULL;
    size_t n, i, dup = 0, first = 0, mark;
    char got[96], shown[SHOW_MAX + 4];
    int rc = 0;

    if (v->type != YAML_SEQUENCE_NODE)
        return fail(c, v, "expected a list, got %s", describe(v, got, sizeof got));
    n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n == 0)
        return 0;
    s->tests = calloc(n, sizeof *s->tests);
    if (s->tests == NULL)
        return oom(c);
    for (i = 0; i < n; i++) {
        mg_test_spec *t = &s->tests[s->ntests++];

        t->min_size = -1;
        mark = key_push_index(c, i);
        rc = parse_test(
            c, yaml_document_get_node(c->doc, v->data.sequence.items.start[i]), t, i);
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    }

    items = malloc(n * sizeof *items);
    if (items == NULL)
        return oom(c);
    for (i = 0; i < n; i++) {
        items[i].name = s->tests[i].name;
        items[i].index = i;
    }
    if (first_duplicate(items, n, &dup, &first)) {
        yaml_node_t *item =
            yaml_document_get_node(c->doc, v->data.sequence.items.start[dup]);
        yaml_node_t *first_item =
            yaml_document_get_node(c->doc, v->data.sequence.items.start[first]);

        mark = key_push_index(c, dup);
        key_push(c, "name");
        rc = fail(c, lookup(c, item, "name", NULL),
                  "duplicate test name '%s' (first at tests[%zu], line %lu)",
                  clip(s->tests[dup].name, strlen(s->tests[dup].name), shown), first,
                  (unsigned long)first_item->start_mark.line + 1);
        key_pop(c, mark);
    }
    free(items);
    return rc;
}

static int parse_suite(parse_ctx *c, const yaml_node_t *root)
{
    mg_suite *s = c->suite;
    yaml_node_t *v;
    uint64_t min_size = s->min_size;
    size_t mark;
    int rc;

    if ((rc = check_map(c, root, top_keys, NULL, "key")) < 0)
        return rc;
    if ((rc = get_string(c, root, "suite", 1, &s->name, NULL)) < 0 ||
        (rc = parse_task(c, root)) < 0)
        return rc;

    if ((v = lookup(c, root, "data", NULL)) == NULL)
        return missing(c, root, "data");
    mark = key_push(c, "data");
    rc = parse_data(c, v);
    key_pop(c, mark);
    if (rc < 0)
        return rc;

    if ((v = lookup(c, root, "models", NULL)) == NULL)
        return missing(c, root, "models");
    mark = key_push(c, "models");
    rc = parse_models(c, v);
    key_pop(c, mark);
    if (rc < 0)
        return rc;

    if ((rc = get_number(c, root, "threshold", NULL, &s->threshold)) < 0)
        return rc;

    mark = key_push(c, "bootstrap");
    if ((v = lookup(c, root, "bootstrap", NULL)) != NULL) {
        rc = parse_bootstrap(c, v);
    } else {
        set_loc(c, NULL, &s->bootstrap.loc);
        set_default_loc(c, "interval", &s->bootstrap.interval_loc);
        set_default_loc(c, "cluster", &s->bootstrap.cluster_loc);
    }
    key_pop(c, mark);
    if (rc < 0)
        return rc;

    if ((v = lookup(c, root, "slices", NULL)) != NULL) {
        mark = key_push(c, "slices");
        rc = parse_slices(c, v);
        key_pop(c, mark);
        if (rc < 0)
            return rc;
    }

    if ((rc = get_uint(c, root, "min_size", 0, SIZE_MAX, &min_size)) < 0)
        return rc;
    s->min_size = (size_t)min_size;

    if ((v = lookup(c, root, "tests", NULL)) != NULL) {
        mark = key_push(c, "tests");
        rc = parse_tests(c, v);
        key_pop(c, mark);
    }
    return rc;
}

/* ---- Loading ------------------------------------------------------------------- */

/* Turn libyaml's error state into an mg_error. */
static int yaml_failure(const yaml_parser_t *p, const char *path, mg_error *err)
{
    const char *problem = p->problem ? p->problem : "unknown problem";

    if (p->error == YAML_MEMORY_ERROR)
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        if (strcmp(problem, "input error") == 0)
            return mg_error_set(err, MG_EIO, path, 0, 0, "cannot read suite file");
        return mg_error_set(err, MG_EPARSE, path, 0, 0, "invalid YAML: %s at byte %zu",
                            problem, p->problem_offset);
    }
    if (p->context != NULL)
        return mg_error_set(err, MG_EPARSE, path,
                            (unsigned long)p->problem_mark.line + 1,
                            (unsigned long)p->problem_mark.column + 1,
                            "invalid YAML: %s (%s at line %lu)", problem, p->context,
                            (unsigned long)p->context_mark.line + 1);
    return mg_error_set(err, MG_EPARSE, path, (unsigned long)p->problem_mark.line + 1,
                        (unsigned long)p->problem_mark.column + 1, "invalid YAML: %s",
                        problem);
}

/* The whole file in a malloc'd buffer, at most MAX_FILE_BYTES. */
static int read_all(FILE *f, const char *path, unsigned char **out, size_t *out_len,
                    mg_error *err)
{
    size_t cap = 0, len = 0, got;
    unsigned char *buf = NULL, *grown;

    *out = NULL;
    *out_len = 0;
    do {
        if (len == cap) {
            /* One byte past the limit tells a file at the limit from a longer one. */
            if (cap > MAX_FILE_BYTES) {
                free(buf);
                return mg_error_set(err, MG_EPARSE, path, 0, 0,
                                    "suite file larger than %d MiB",
                                    MAX_FILE_BYTES >> 20);
            }
            cap = cap == 0 ? 8192 : 2 * cap;
            if (cap > MAX_FILE_BYTES + 1)
                cap = MAX_FILE_BYTES + 1;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
            }
            buf = grown;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        return mg_error_set(err, MG_EIO, path, 0, 0, "cannot read suite file: %s",
                            strerror(errno));
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/*
 * The pre-pass of the essay: walk the first document's events, counting open
 * collections (the root node is level 1, as in guard) and anchors, and stop at the
 * first node past MAX_DEPTH or the first anchor past MAX_ANCHORS. A syntax error
 * ends the walk quietly: the composer meets it at the same byte and reports it.
 */
static int prescan(const unsigned char *buf, size_t len, const char *path,
                   mg_error *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    size_t depth = 0, anchors = 0;
    int root_map = 0, at_key = 0, done = 0, rc = 0;
    char key[MG_ERROR_KEY_MAX] = ""; /* the top-level key the walk is under */

    if (!yaml_parser_initialize(&p))
        return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, buf, len);
    while (!done && rc == 0 && yaml_parser_parse(&p, &ev)) {
        const char *anchor = NULL;
        int node = 1;

        switch (ev.type) {
        case YAML_SCALAR_EVENT:
            anchor = (const char *)ev.data.scalar.anchor;
            break;
        case YAML_SEQUENCE_START_EVENT:
            anchor = (const char *)ev.data.sequence_start.anchor;
            break;
        case YAML_MAPPING_START_EVENT:
            anchor = (const char *)ev.data.mapping_start.anchor;
            break;
        case YAML_ALIAS_EVENT:
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            node = 0;
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = 1;
            node = 0;
            break;
        default:
            node = 0;
            break;
        }
        if (node) {
            /* A key or a value of the root map: keys name the subtree that follows. */
            if (depth == 1 && root_map) {
                if (at_key)
                    snprintf(key, sizeof key, "%s",
                             ev.type == YAML_SCALAR_EVENT
                                 ? (const char *)ev.data.scalar.value
                                 : "");
                at_key = !at_key;
            }
            if (depth + 1 > MAX_DEPTH)
                rc = mg_error_set(err, MG_EPARSE, path,
                                  (unsigned long)ev.start_mark.line + 1,
                                  (unsigned long)ev.start_mark.column + 1,
                                  "suite file nested deeper than %d levels", MAX_DEPTH);
            else if (anchor != NULL && ++anchors > MAX_ANCHORS)
                rc = mg_error_set(err, MG_EPARSE, path,
                                  (unsigned long)ev.start_mark.line + 1,
                                  (unsigned long)ev.start_mark.column + 1,
                                  "suite file has more than %d anchors", MAX_ANCHORS);
            if (rc != 0)
                mg_error_set_key(err, key);
            if (ev.type == YAML_SEQUENCE_START_EVENT ||
                ev.type == YAML_MAPPING_START_EVENT) {
                if (depth == 0 && ev.type == YAML_MAPPING_START_EVENT)
                    root_map = at_key = 1;
                depth++;
            }
        }
        yaml_event_delete(&ev);
    }
    if (rc == 0 && p.error == YAML_MEMORY_ERROR)
        rc = mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
    yaml_parser_delete(&p);
    return rc;
}

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
    return s;
}

int mg_suite_load(mg_suite **out, const char *path, mg_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_event_t next;
    int parser_ready = 0, doc_ready = 0, rc = 0;
    yaml_node_t *root;
    mg_suite *s = NULL;
    unsigned char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    struct stat st;
    parse_ctx c;
    size_t visits = 0;

    if (out == NULL || path == NULL)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no suite path given");
    *out = NULL;
    f = mg__open_input(path, NULL);
    if (f == NULL) {
        rc = mg_error_set(err, MG_EIO, path, 0, 0, "cannot open suite file: %s",
                          strerror(errno));
        goto cleanup;
    }
    if (fstat(fileno(f), &st) != 0) {
        rc = mg_error_set(err, MG_EIO, path, 0, 0, "cannot read suite file: %s",
                          strerror(errno));
        goto cleanup;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = mg_error_set(err, MG_EIO, path, 0, 0, "suite file is a directory");
        goto cleanup;
    }
    if ((rc = read_all(f, path, &buf, &len, err)) < 0 ||
        (rc = prescan(buf, len, path, err)) < 0)
        goto cleanup;
    if ((s = suite_new(path)) == NULL || !yaml_parser_initialize(&parser)) {
        rc = mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    parser_ready = 1;
    yaml_parser_set_input_string(&parser, buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = yaml_failure(&parser, path, err);
        goto cleanup;
    }
    doc_ready = 1;
    root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        rc = mg_error_set(err, MG_EPARSE, path, 0, 0, "empty suite file");
        goto cleanup;
    }
    /* Another document is reported at its root node, which is not composed: it
     * could be as deep as the pre-pass keeps the first one from being. */
    if (!yaml_parser_parse(&parser, &next)) {
        rc = yaml_failure(&parser, path, err);
        goto cleanup;
    }
    if (next.type == YAML_DOCUMENT_START_EVENT) {
        yaml_event_delete(&next);
        if (!yaml_parser_parse(&parser, &next)) {
            rc = yaml_failure(&parser, path, err);
            goto cleanup;
        }
        rc = mg_error_set(err, MG_EPARSE, path, (unsigned long)next.start_mark.line + 1,
                          (unsigned long)next.start_mark.column + 1,
                          "suite file holds more than one YAML document");
    }
    yaml_event_delete(&next);
    if (rc < 0)
        goto cleanup;

    memset(&c, 0, sizeof c);
    c.doc = &doc;
    c.suite = s;
    c.err = err;
    if ((rc = guard(&c, root, 1, &visits)) < 0)
        goto cleanup;
    key_pop(&c, 0);
    if ((rc = parse_suite(&c, root)) < 0)
        goto cleanup;
    *out = s;
    s = NULL;

cleanup:
    mg_suite_free(s);
    if (doc_ready)
        yaml_document_delete(&doc);
    if (parser_ready)
        yaml_parser_delete(&parser);
    if (f != NULL)
        fclose(f);
    free(buf);
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
    for (i = 0; i < s->nmodels; i++) {
        free(s->models[i].name);
        free(s->models[i].file);
        free(s->models[i].score);
    }
    free(s->models);
    free(s->bootstrap.cluster);
    for (i = 0; i < s->nslicings; i++) {
        free(s->slicings[i].name);
        for (j = 0; j < s->slicings[i].ncolumns; j++)
            free(s->slicings[i].columns[j]);
        free(s->slicings[i].columns);
        free(s->slicings[i].bins);
    }
    free(s->slicings);
    for (i = 0; i < s->ntests; i++) {
        free(s->tests[i].name);
        free(s->tests[i].model);
        free(s->tests[i].slices);
        free(s->tests[i].baseline);
    }
    free(s->tests);
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
        if (suite->slicings[i].name != NULL &&
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
