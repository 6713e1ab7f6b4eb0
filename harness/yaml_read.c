/*
 * The strict readers of harness/yaml.h: key paths, errors, scalar conversions,
 * maps checked as a whole, and "did you mean" suggestions.
 *
 * Key paths are not stored: a node's path is rebuilt from its parents when a
 * message or a recorded location needs it, with the cut that mg_error applies to a
 * key, so a path longer than MG_ERROR_KEY_MAX - 1 bytes reads as its beginning.
 *
 * Strictness, because a configuration file gates a release: a number is a plain
 * scalar in decimal notation that converts exactly to a finite double (no `.inf`,
 * `.nan`, hexadecimal or `1e999`), an integer is a plain run of digits, a boolean is
 * `true` or `false`, and a string is any non-empty scalar (so `1` and `"1"` both give
 * "1"). Numbers are converted with strtod after the decimal point is swapped for the
 * current locale's, so that a host program running under a comma-decimal locale
 * reads `0.95` as 0.95.
 *
 * A map is checked as a whole before its values are read: keys are non-empty
 * scalars, an unknown key is reported with the nearest known key (optimal string
 * alignment distance <= 2, and at most half the key's length), keys reserved for
 * later are "not supported yet", merge keys ('<<') are refused, and repeated keys,
 * which YAML forbids but libyaml keeps, are found by sorting the names, so a map of
 * thousands of entries costs O(n log n), not O(n^2).
 */
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/yaml.h"

#define SUGGEST_MAX_LEN 64 /* longer words get no suggestion */

/* ---- Key paths and errors ------------------------------------------------------ */

/* The length after snprintf returned n at buf + len: a cut path stays cut. */
static size_t advance(size_t size, size_t len, int n)
{
    if (n < 0 || (size_t)n >= size - len)
        return size - 1;
    return len + (size_t)n;
}

static size_t append_name(char *buf, size_t size, size_t len, const char *name)
{
    return advance(size, len,
                   snprintf(buf + len, size - len, "%s%s", len ? "." : "", name));
}

static size_t path_of(const mg__yaml_node *n, char *buf, size_t size)
{
    size_t len;

    if (n == NULL || n->parent == NULL) {
        buf[0] = '\0';
        return 0;
    }
    len = path_of(n->parent, buf, size);
    if (n->is_key)
        return len;
    if (n->parent->kind == MG__YAML_SEQUENCE)
        return advance(size, len, snprintf(buf + len, size - len, "[%zu]", n->index));
    /* A value under a key that is not a scalar (refused by mg__yaml_check_map) adds
     * nothing. */
    if (n->key == NULL || n->key->kind != MG__YAML_SCALAR)
        return len;
    return append_name(buf, size, len, n->key->text);
}

char *mg__yaml_path(const mg__yaml_node *n, const char *name, char *buf, size_t size)
{
    size_t len = path_of(n, buf, size);

    if (name != NULL)
        append_name(buf, size, len, name);
    return buf;
}

static int vfail(const mg__yaml_reader *r, const mg__yaml_node *at,
                 const mg__yaml_node *under, const char *name, const char *fmt,
                 va_list ap) __attribute__((format(printf, 5, 0)));

static int vfail(const mg__yaml_reader *r, const mg__yaml_node *at,
                 const mg__yaml_node *under, const char *name, const char *fmt,
                 va_list ap)
{
    char msg[MG_ERROR_MESSAGE_MAX], key[MG_ERROR_KEY_MAX];

    vsnprintf(msg, sizeof msg, fmt, ap);
    mg_error_set(r->err, MG_EPARSE, r->file, at ? at->line : 0, at ? at->column : 0,
                 "%s", msg);
    mg_error_set_key(r->err, mg__yaml_path(under, name, key, sizeof key));
    return MG_EPARSE;
}

int mg__yaml_fail(const mg__yaml_reader *r, const mg__yaml_node *n, const char *fmt,
                  ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail(r, n, n, NULL, fmt, ap);
    va_end(ap);
    return rc;
}

int mg__yaml_fail_key(const mg__yaml_reader *r, const mg__yaml_node *at,
                      const mg__yaml_node *under, const char *name, const char *fmt,
                      ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail(r, at, under, name, fmt, ap);
    va_end(ap);
    return rc;
}

int mg__yaml_oom(const mg__yaml_reader *r)
{
    return mg_error_set(r->err, MG_ENOMEM, r->file, 0, 0, "out of memory");
}

/* ---- Scalars ------------------------------------------------------------------- */

const char *mg__yaml_clip(const char *s, size_t len, char buf[MG__YAML_CLIP_SIZE])
{
    size_t n = len;

    if (n > MG__YAML_SHOW_MAX) {
        n = MG__YAML_SHOW_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    strcpy(buf + n, n < len ? "..." : "");
    return buf;
}

static int is_plain(const mg__yaml_node *n)
{
    return n->kind == MG__YAML_SCALAR && n->plain;
}

int mg__yaml_is_null(const mg__yaml_node *n)
{
    const char *s = n->text;

    return is_plain(n) &&
           (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
            strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

const char *mg__yaml_describe(const mg__yaml_node *n, char *buf, size_t size)
{
    char shown[MG__YAML_CLIP_SIZE];

    if (n->kind == MG__YAML_MAP)
        return "a map";
    if (n->kind == MG__YAML_SEQUENCE)
        return "a list";
    if (is_plain(n) && n->length == 0)
        return "an empty value";
    if (mg__yaml_is_null(n))
        return "null";
    mg__yaml_clip(n->text, n->length, shown);
    snprintf(buf, size, is_plain(n) ? "'%s'" : "a quoted string '%s'", shown);
    return buf;
}

int mg__yaml_to_double(const char *s, double *out)
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
        return MG__YAML_NUM_SYNTAX;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return MG__YAML_NUM_SYNTAX;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0')
        return MG__YAML_NUM_SYNTAX;
    len = (size_t)(p - s);
    if (len + plen >= sizeof buf)
        return MG__YAML_NUM_SYNTAX;
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
        return MG__YAML_NUM_SYNTAX;
    if (!isfinite(x))
        return MG__YAML_NUM_RANGE;
    *out = x;
    return MG__YAML_NUM_OK;
}

int mg__yaml_to_integer(const char *s, int *negative, uint64_t *magnitude)
{
    uint64_t m = 0;
    const char *p = s;

    *negative = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    if (*p == '\0')
        return MG__YAML_NUM_SYNTAX;
    for (; *p != '\0'; p++) {
        unsigned d;
        if (!(*p >= '0' && *p <= '9'))
            return MG__YAML_NUM_SYNTAX;
        d = (unsigned)(*p - '0');
        if (m > (UINT64_MAX - d) / 10) {
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
            return *p == '\0' ? MG__YAML_NUM_RANGE : MG__YAML_NUM_SYNTAX;
        }
        m = m * 10 + d;
    }
    *magnitude = m;
    return MG__YAML_NUM_OK;
}

int mg__yaml_string(const mg__yaml_reader *r, const mg__yaml_node *n, const char **out)
{
    char got[96];

    if (n->kind != MG__YAML_SCALAR || mg__yaml_is_null(n))
        return mg__yaml_fail(r, n, "expected a string, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    if (n->length == 0)
        return mg__yaml_fail(r, n, "expected a non-empty string");
    if (strlen(n->text) != n->length)
        return mg__yaml_fail(r, n, "expected a string without NUL characters");
    *out = n->text;
    return 0;
}

int mg__yaml_number(const mg__yaml_reader *r, const mg__yaml_node *n, double *out)
{
    char got[96];
    int st = is_plain(n) ? mg__yaml_to_double(n->text, out) : MG__YAML_NUM_SYNTAX;

    if (st == MG__YAML_NUM_SYNTAX)
        return mg__yaml_fail(r, n, "expected a number, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    if (st == MG__YAML_NUM_RANGE)
        return mg__yaml_fail(r, n, "expected a finite number, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    return 0;
}

int mg__yaml_uint(const mg__yaml_reader *r, const mg__yaml_node *n, uint64_t lo,
                  uint64_t hi, uint64_t *out)
{
    char got[96];
    int negative = 0, st = MG__YAML_NUM_SYNTAX;
    uint64_t m = 0;

    if (is_plain(n))
        st = mg__yaml_to_integer(n->text, &negative, &m);
    if (st == MG__YAML_NUM_SYNTAX)
        return mg__yaml_fail(r, n, "expected an integer, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    if (st == MG__YAML_NUM_OK && negative && m != 0 && lo == 0)
        return mg__yaml_fail(r, n, "expected a non-negative integer, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    if (st == MG__YAML_NUM_RANGE || (negative && m != 0) || m < lo || m > hi)
        return mg__yaml_fail(
            r, n, "expected an integer between %" PRIu64 " and %" PRIu64 ", got %s", lo,
            hi, mg__yaml_describe(n, got, sizeof got));
    *out = m;
    return 0;
}

int mg__yaml_bool(const mg__yaml_reader *r, const mg__yaml_node *n, int *out)
{
    char got[96];

    if (is_plain(n) && strcmp(n->text, "true") == 0)
        *out = 1;
    else if (is_plain(n) && strcmp(n->text, "false") == 0)
        *out = 0;
    else
        return mg__yaml_fail(r, n, "expected true or false, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    return 0;
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

int mg__yaml_enum(const mg__yaml_reader *r, const mg__yaml_node *n, const char *noun,
                  const char *const *names, int *out)
{
    char shown[MG__YAML_CLIP_SIZE], extra[256], list[200];
    mg__yaml_nearest best;
    const char *s;
    int rc, i;

    if ((rc = mg__yaml_string(r, n, &s)) < 0)
        return rc;
    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    best = mg__yaml_nearest_in(s, names);
    if (best.name != NULL)
        mg__yaml_hint(&best, extra, sizeof extra);
    else
        snprintf(extra, sizeof extra, " (expected %s)",
                 join_or(names, list, sizeof list));
    return mg__yaml_fail(r, n, "unknown %s '%s'%s", noun,
                         mg__yaml_clip(s, strlen(s), shown), extra);
}

/* ---- Suggestions and duplicates ------------------------------------------------ */

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

/* At most two edits, and no more than half the name (so that "ab" does not suggest
 * "id"). */
void mg__yaml_nearest_consider(mg__yaml_nearest *best, const char *word,
                               const char *name)
{
    int d = distance(word, name);

    if (d > 2 || (size_t)d * 2 > strlen(name))
        return;
    if (best->name == NULL || d < best->distance) {
        best->name = name;
        best->distance = d;
    }
}

mg__yaml_nearest mg__yaml_nearest_in(const char *word, const char *const *names)
{
    mg__yaml_nearest best = MG__YAML_NEAREST_INIT;

    for (; names != NULL && *names != NULL; names++)
        mg__yaml_nearest_consider(&best, word, *names);
    return best;
}

const char *mg__yaml_hint(const mg__yaml_nearest *best, char *buf, size_t size)
{
    if (best->name == NULL)
        return "";
    snprintf(buf, size, " (did you mean '%s'?)", best->name);
    return buf;
}

/* A name with its position in the map or list it came from. */
typedef struct named {
    const char *name;
    size_t index;
} named;

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

int mg__yaml_first_duplicate(const char *const *names, size_t n, size_t *dup,
                             size_t *first)
{
    named *items;
    size_t i;
    int found;

    if (n < 2)
        return 0;
    if ((items = malloc(n * sizeof *items)) == NULL)
        return MG_ENOMEM;
    for (i = 0; i < n; i++) {
        items[i].name = names[i];
        items[i].index = i;
    }
    found = first_duplicate(items, n, dup, first);
    free(items);
    return found;
}

/* ---- Collections --------------------------------------------------------------- */

int mg__yaml_list(const mg__yaml_reader *r, const mg__yaml_node *n)
{
    char got[96];

    if (n->kind != MG__YAML_SEQUENCE)
        return mg__yaml_fail(r, n, "expected a list, got %s",
                             mg__yaml_describe(n, got, sizeof got));
    return 0;
}

static int in_list(const char *name, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(name, *names) == 0)
            return 1;
    return 0;
}

/* The first key that is not a name, or not a known one, reported at the key. */
static int check_keys(const mg__yaml_reader *r, const mg__yaml_node *map,
                      const char *const *known, const char *const *reserved,
                      const char *noun)
{
    char got[96], extra[128], shown[MG__YAML_CLIP_SIZE];
    mg__yaml_nearest best;
    size_t i;

    for (i = 0; i < map->n; i++) {
        const mg__yaml_node *k = map->keys[i];
        const char *name = k->text;

        if (k->kind != MG__YAML_SCALAR || k->length == 0 || mg__yaml_is_null(k))
            return mg__yaml_fail(r, k, "expected a name as key, got %s",
                                 mg__yaml_describe(k, got, sizeof got));
        if (strlen(name) != k->length)
            return mg__yaml_fail(r, k, "expected a key without NUL characters");
        if (known == NULL || in_list(name, known))
            continue;
        mg__yaml_clip(name, strlen(name), shown);
        if (in_list(name, reserved))
            return mg__yaml_fail_key(r, k, map, name, "%s '%s' is not supported yet",
                                     noun, shown);
        if (strcmp(name, "<<") == 0)
            return mg__yaml_fail_key(r, k, map, name,
                                     "merge keys ('<<') are not supported");
        best = mg__yaml_nearest_in(name, known);
        return mg__yaml_fail_key(r, k, map, name, "unknown %s '%s'%s", noun, shown,
                                 mg__yaml_hint(&best, extra, sizeof extra));
    }
    return 0;
}

int mg__yaml_check_map(const mg__yaml_reader *r, const mg__yaml_node *map,
                       const char *const *known, const char *const *reserved,
                       const char *noun)
{
    char got[96], shown[MG__YAML_CLIP_SIZE];
    size_t i, dup = 0, first = 0;
    named *items;
    int rc;

    if (map->kind != MG__YAML_MAP)
        return mg__yaml_fail(r, map, "expected a map, got %s",
                             mg__yaml_describe(map, got, sizeof got));
    if ((rc = check_keys(r, map, known, reserved, noun)) < 0 || map->n < 2)
        return rc;
    if ((items = malloc(map->n * sizeof *items)) == NULL)
        return mg__yaml_oom(r);
    for (i = 0; i < map->n; i++) {
        items[i].name = map->keys[i]->text;
        items[i].index = i;
    }
    if (first_duplicate(items, map->n, &dup, &first)) {
        const mg__yaml_node *k = map->keys[dup];

        rc = mg__yaml_fail_key(
            r, k, map, k->text, "duplicate key '%s' (first at line %lu)",
            mg__yaml_clip(k->text, k->length, shown), map->keys[first]->line);
    }
    free(items);
    return rc;
}

const mg__yaml_node *mg__yaml_get(const mg__yaml_node *map, const char *name)
{
    size_t i;

    if (map->kind != MG__YAML_MAP)
        return NULL;
    for (i = 0; i < map->n; i++)
        if (map->keys[i]->kind == MG__YAML_SCALAR &&
            strcmp(map->keys[i]->text, name) == 0)
            return map->items[i];
    return NULL;
}

int mg__yaml_missing(const mg__yaml_reader *r, const mg__yaml_node *map,
                     const char *name)
{
    return mg__yaml_fail_key(r, map, map, name, "missing required key '%s'", name);
}
