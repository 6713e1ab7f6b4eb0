/*
 * Data checks: is the holdout set fit to be measured at all? Each check of the
 * suite's `checks:` list becomes one test case per column it names (or one for the
 * whole holdout set, or one for a model's scores), decided here before the engine
 * runs, on the data as read: before data.drop_missing leaves rows out and before
 * the label is built, so that a check sees what the files hold.
 *
 * Method. A column is read once into a view: for a category column (any column the
 * suite does not read as numbers) the rows per dictionary level and which levels are
 * missing-value markers, so that every finding is O(levels) after one O(n) count;
 * for a number column (a binned slicing, a score) its doubles, NaN for a marker.
 * What a check finds is counted exactly: missing values, values outside a range,
 * repeated values (sorted copies for numbers), new categories with their counts,
 * labels outside the allowed values (compared by value, as data.c compares labels:
 * 1, 1.0 and TRUE are one value). The one estimated quantity is the label
 * prevalence, a binomial proportion: its bounds are one-sided at the suite's
 * confidence c, the ends of the two-sided (2c − 1) Wilson score interval, or the
 * exact Clopper–Pearson interval when asked or when fewer than 10 rows are of
 * either class (Wilson's coverage fails there; Brown, Cai and DasGupta, Statistical
 * Science 16, 2001). The band is then decided by assertions/decide.c under the
 * check's rule, exactly as a metric's threshold test: strict needs both bounds
 * inside the band, lenient fails only when one lies wholly outside, estimate
 * compares the point estimate.
 *
 * Every count here is a sum over rows, so each check is computable from per-shard
 * sufficient statistics: counts per level (categories, missing, label values,
 * prevalence), minimum and maximum (range, not_constant), and, for unique, the set
 * of values, which is not a fixed-size summary (shards must exchange their values
 * or hashes).
 *
 * A failed check (or one that cannot be evaluated) holds back what depends on its
 * column: the label, the id or the cluster column, the row count and the
 * prevalence hold back every test; a slicing's column its tests; a model's score
 * column the tests of or against that model (the blocks in harness/run_internal.h).
 * Those tests become error cases that name the check, and nothing is computed on
 * the data that failed it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assertions/decide.h"
#include "common/util.h"
#include "fixtures/number.h"
#include "harness/data.h"
#include "harness/run_internal.h"
#include "reporters/render.h"
#include "stats/ci.h"

/* In mg_check_kind order: the case's `metric`. */
static const char *const kind_names[] = {"columns",      "min_rows",     "max_missing",
                                         "label_values", "prevalence",   "range",
                                         "unique",       "not_constant", "categories"};
static const char *const type_names[] = {"string", "number", "integer", "boolean"};
static const char *const rule_names[] = {"strict", "lenient", "estimate"};

/* Below this many rows of either class, Wilson gives way to Clopper–Pearson (the
 * same count at which a metric test's proportion turns exact, harness/cases.c). */
#define MIN_CLASS_COUNT 10
/* Values quoted in a finding. */
#define SHOWN 5

/* What a check found, before it becomes a case. */
typedef struct finding {
    mg_outcome outcome;
    mg_case_status status;
    size_t n; /* rows the finding is about */
    int has_estimate;
    double estimate;
    char why[MG_ERROR_MESSAGE_MAX];
} finding;

/* "s" after a count other than one. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void say(finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(finding *f, const char *fmt, ...)
{
    size_t used = strlen(f->why);
    va_list ap;

    if (used + 1 >= sizeof f->why)
        return;
    va_start(ap, fmt);
    vsnprintf(f->why + used, sizeof f->why - used, fmt, ap);
    va_end(ap);
}

/* ---- A column as the checks read it -------------------------------------------- */

typedef struct view {
    const mg_table *t;
    size_t col, n;
    const char *name; /* the column's name */
    const double *x;  /* a number column, else NULL */
    const uint32_t *codes;
    size_t nlevels;
    size_t *count;         /* rows per level */
    unsigned char *marker; /* per level: a missing-value marker */
} view;

static void view_free(view *v)
{
    free(v->count);
    free(v->marker);
}

static int is_marker(const mg_suite *s, const char *v)
{
    for (size_t i = 0; i < s->data.nmissing; i++)
        if (strcmp(s->data.missing[i], v) == 0)
            return 1;
    return 0;
}

static int view_open(view *v, const mg_suite *s, const mg_table *t, size_t col)
{
    memset(v, 0, sizeof *v);
    v->t = t;
    v->col = col;
    v->n = mg_table_rows(t);
    v->name = mg_table_column_name(t, col);
    if ((v->x = mg_table_numbers(t, col)) != NULL)
        return 0;
    v->codes = mg_table_codes(t, col);
    v->nlevels = mg_table_levels(t, col);
    v->count = calloc(v->nlevels ? v->nlevels : 1, sizeof *v->count);
    v->marker = calloc(v->nlevels ? v->nlevels : 1, 1);
    if (v->count == NULL || v->marker == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < v->n; i++)
        v->count[v->codes[i]]++;
    for (size_t c = 0; c < v->nlevels; c++)
        v->marker[c] = (unsigned char)is_marker(s, mg_table_level(t, col, (uint32_t)c));
    return 0;
}

static const char *level(const view *v, size_t c)
{
    return mg_table_level(v->t, v->col, (uint32_t)c);
}

/* The first row holding level c. */
static size_t first_row(const view *v, size_t c)
{
    size_t i = 0;

    while (i < v->n && v->codes[i] != c)
        i++;
    return i;
}

static size_t missing_count(const view *v)
{
    size_t m = 0;

    for (size_t i = 0; v->x != NULL && i < v->n; i++)
        m += isnan(v->x[i]);
    for (size_t c = 0; v->x == NULL && c < v->nlevels; c++)
        m += v->marker[c] ? v->count[c] : 0;
    return m;
}

/* A level as a number: 0 when it is not one. */
static int level_number(const view *v, size_t c, double *x)
{
    const char *s = level(v, c);

    return mg__parse_number(s, strlen(s), x) == MG__NUMBER_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The non-missing values of a number column, sorted, in *out (caller frees). */
static int sorted_values(const view *v, double **out, size_t *k)
{
    double *y = malloc((v->n ? v->n : 1) * sizeof *y);

    *k = 0;
    if ((*out = y) == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < v->n; i++)
        if (!isnan(v->x[i]))
            y[(*k)++] = v->x[i];
    qsort(y, *k, sizeof *y, cmp_double);
    return 0;
}

/* A level and its rows, for quoting the commonest first. */
typedef struct counted {
    size_t rows, code;
} counted;

static int by_count(const void *a, const void *b)
{
    const counted *x = a, *y = b;

    if (x->rows != y->rows)
        return x->rows < y->rows ? 1 : -1;
    return (x->code > y->code) - (x->code < y->code);
}

/* "'a' (12 rows), 'b' (3)": the levels flagged in `pick`, commonest first. */
static int quote_levels(finding *f, const view *v, const unsigned char *pick)
{
    counted *order = malloc((v->nlevels ? v->nlevels : 1) * sizeof *order);
    size_t k = 0;

    if (order == NULL)
        return MG_ENOMEM;
    for (size_t c = 0; c < v->nlevels; c++)
        if (pick[c])
            order[k++] = (counted){v->count[c], c};
    qsort(order, k, sizeof *order, by_count);
    for (size_t q = 0; q < k && q < SHOWN; q++)
        say(f, "%s'%.40s' (%zu%s)", q ? ", " : "", level(v, order[q].code),
            order[q].rows,
            q                    ? ""
            : order[q].rows == 1 ? " row"
                                 : " rows");
    if (k > SHOWN)
        say(f, " and %zu more", k - SHOWN);
    free(order);
    return 0;
}

/* ---- The checks ---------------------------------------------------------------- */

static int check_columns(const view *v, mg_value_type type, finding *f)
{
    unsigned char *bad;
    size_t nbad = 0, rows = 0, first = 0;

    if (type == MG_VALUE_STRING) {
        say(f, "column '%s' is present", v->name);
        return 0;
    }
    if (v->x != NULL) {
        /* Read as numbers: each is a finite number or missing already. */
        for (size_t i = 0; i < v->n; i++) {
            double x = v->x[i];
            int ok = isnan(x) || type == MG_VALUE_NUMBER ||
                     (type == MG_VALUE_INTEGER ? x == floor(x) : x == 0 || x == 1);
            if (!ok && rows++ == 0)
                first = i;
        }
        if (rows == 0)
            say(f, "every value of column '%s' is %s %s", v->name,
                type == MG_VALUE_INTEGER ? "an" : "a", type_names[type]);
        else
            say(f, "column '%s': %zu values are not %s %s, the first %.17g (line %lu)",
                v->name, rows, type == MG_VALUE_INTEGER ? "an" : "a", type_names[type],
                v->x[first], mg_table_line(v->t, first));
        f->outcome = rows ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
        f->has_estimate = 1;
        f->estimate = (double)rows;
        return 0;
    }
    if ((bad = calloc(v->nlevels ? v->nlevels : 1, 1)) == NULL)
        return MG_ENOMEM;
    for (size_t c = 0; c < v->nlevels; c++) {
        const char *s = level(v, c);
        double x = 0;
        int ok;
        if (v->marker[c] || v->count[c] == 0)
            continue;
        if (type == MG_VALUE_BOOLEAN)
            ok = strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0 ||
                 (level_number(v, c, &x) && (x == 0 || x == 1));
        else
            ok = level_number(v, c, &x) && (type == MG_VALUE_NUMBER || x == floor(x));
        if (!ok) {
            bad[c] = 1;
            nbad++;
            rows += v->count[c];
        }
    }
    f->outcome = rows ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
    f->has_estimate = 1;
    f->estimate = (double)rows;
    if (rows == 0) {
        say(f, "every value of column '%s' is %s %s", v->name,
            type == MG_VALUE_INTEGER ? "an" : "a", type_names[type]);
    } else {
        for (size_t c = 0; c < v->nlevels && !first; c++)
            if (bad[c])
                first = first_row(v, c) + 1;
        say(f, "column '%s': %zu value%s not %s %s (first on line %lu): ", v->name,
            rows, rows == 1 ? " is" : "s are", type == MG_VALUE_INTEGER ? "an" : "a",
            type_names[type], mg_table_line(v->t, first - 1));
        if (quote_levels(f, v, bad) != 0) {
            free(bad);
            return MG_ENOMEM;
        }
    }
    free(bad);
    return 0;
}

static void check_missing(const mg_check_spec *k, const view *v, finding *f)
{
    size_t m = missing_count(v);
    double share = v->n ? (double)m / (double)v->n : 0;
    int ok = k->has_rows ? m <= k->rows : share <= k->fraction;

    f->outcome = ok ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
    f->has_estimate = 1;
    f->estimate = share;
    say(f, "column '%s': %zu of %zu values missing (%.3g%%), ", v->name, m, v->n,
        100 * share);
    if (k->has_rows)
        say(f, "%s %zu", ok ? "at most" : "more than", k->rows);
    else
        say(f, "%s %.6g%%", ok ? "at most" : "more than", 100 * k->fraction);
}

static int check_range(const mg_check_spec *k, const view *v, finding *f)
{
    double lo = INFINITY, hi = -INFINITY;
    size_t out = 0, first = 0, notnum = 0;
    unsigned char *bad = NULL;

    if (v->x == NULL && (bad = calloc(v->nlevels ? v->nlevels : 1, 1)) == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        double x;
        if (v->x != NULL) {
            x = v->x[i];
        } else {
            size_t c = v->codes[i];
            if (v->marker[c])
                continue;
            if (!level_number(v, c, &x)) {
                if (!bad[c])
                    notnum++;
                bad[c] = 1;
                continue;
            }
        }
        if (isnan(x))
            continue;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        if ((k->has_min && x < k->min) || (k->has_max && x > k->max)) {
            if (out++ == 0)
                first = i;
        }
    }
    f->outcome = out || notnum ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
    f->has_estimate = 1;
    f->estimate = (double)out;
    say(f, "column '%s': ", v->name);
    if (notnum) {
        say(f, "values that are not numbers: ");
        if (quote_levels(f, v, bad) != 0) {
            free(bad);
            return MG_ENOMEM;
        }
        say(f, "; ");
    }
    if (lo > hi)
        say(f, "no number to compare with the range");
    else if (out)
        say(f,
            "%zu of %zu values outside [%.6g, %.6g] (they range from %.6g to %.6g; "
            "the first, %.6g, on line %lu)",
            out, v->n, k->has_min ? k->min : -INFINITY, k->has_max ? k->max : INFINITY,
            lo, hi, v->x ? v->x[first] : strtod(level(v, v->codes[first]), NULL),
            mg_table_line(v->t, first));
    else
        say(f, "every value within [%.6g, %.6g] (from %.6g to %.6g)",
            k->has_min ? k->min : -INFINITY, k->has_max ? k->max : INFINITY, lo, hi);
    free(bad);
    return 0;
}

static int check_unique(const view *v, finding *f)
{
    size_t values = 0, extra = 0;

    if (v->x != NULL) {
        double *y, first = 0;
        size_t k;
        if (sorted_values(v, &y, &k) != 0)
            return MG_ENOMEM;
        for (size_t i = 1; i < k; i++)
            if (y[i] == y[i - 1]) {
                extra++;
                if ((i < 2 || y[i - 1] != y[i - 2]) && values++ == 0)
                    first = y[i];
            }
        free(y);
        say(f, "column '%s': ", v->name);
        if (extra)
            say(f,
                "%zu value%s appear%s more than once (%zu row%s beyond the first), "
                "e.g. %.17g",
                values, plural(values), values == 1 ? "s" : "", extra, plural(extra),
                first);
    } else {
        unsigned char *dup = calloc(v->nlevels ? v->nlevels : 1, 1);
        if (dup == NULL)
            return MG_ENOMEM;
        for (size_t c = 0; c < v->nlevels; c++)
            if (!v->marker[c] && v->count[c] > 1) {
                dup[c] = 1;
                values++;
                extra += v->count[c] - 1;
            }
        say(f, "column '%s': ", v->name);
        if (extra) {
            size_t c = 0, a, b;
            while (!dup[c])
                c++;
            a = first_row(v, c);
            for (b = a + 1; v->codes[b] != c; b++)
                ;
            say(f,
                "%zu value%s appear%s more than once (%zu row%s beyond the first), "
                "'%.40s' on lines %lu and %lu; the most repeated: ",
                values, plural(values), values == 1 ? "s" : "", extra, plural(extra),
                level(v, c), mg_table_line(v->t, a), mg_table_line(v->t, b));
            if (quote_levels(f, v, dup) != 0) {
                free(dup);
                return MG_ENOMEM;
            }
        }
        free(dup);
    }
    if (extra == 0)
        say(f, "every value is different");
    f->outcome = extra ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
    f->has_estimate = 1;
    f->estimate = (double)extra;
    return 0;
}

static void check_constant(const view *v, finding *f)
{
    size_t distinct = 0, only = 0, rows = 0;
    double first = NAN;

    for (size_t i = 0; v->x != NULL && i < v->n && distinct < 2; i++) {
        if (isnan(v->x[i]))
            continue;
        if (distinct == 0)
            first = v->x[i], distinct = 1;
        else if (v->x[i] != first)
            distinct = 2;
    }
    for (size_t c = 0; v->x == NULL && c < v->nlevels; c++)
        if (!v->marker[c] && v->count[c] > 0) {
            only = c;
            distinct++;
        }
    rows = v->n - missing_count(v);
    f->outcome = distinct >= 2 ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
    f->has_estimate = 1;
    f->estimate = (double)(distinct >= 2 ? 2 : distinct);
    if (distinct >= 2)
        say(f, "column '%s' takes more than one value", v->name);
    else if (distinct == 0)
        say(f, "column '%s' has no value: every one of its %zu rows is missing",
            v->name, v->n);
    else if (v->x != NULL)
        say(f, "column '%s' takes one value only: %.17g (%zu rows)", v->name, first,
            rows);
    else
        say(f, "column '%s' takes one value only: '%.40s' (%zu rows)", v->name,
            level(v, only), rows);
}

/* Flag in `pick` the levels that are neither missing nor among k's allowed values
 * (compared by `same`), counting them and their rows. */
static void not_allowed(const mg_check_spec *k, const view *v,
                        int (*same)(const char *, const char *), unsigned char *pick,
                        size_t *levels, size_t *rows)
{
    *levels = *rows = 0;
    for (size_t c = 0; c < v->nlevels; c++) {
        size_t a = 0;
        if (v->marker[c] || v->count[c] == 0)
            continue;
        while (a < k->nallowed && !same(k->allowed[a], level(v, c)))
            a++;
        if (a == k->nallowed) {
            pick[c] = 1;
            (*levels)++;
            *rows += v->count[c];
        }
    }
}

static int same_string(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* categories (exact strings) or label_values (labels by value): the values not
 * allowed, with their counts. */
static int check_allowed(const mg_check_spec *k, const view *v, finding *f)
{
    int labels = k->kind == MG_CHECK_LABEL_VALUES;
    unsigned char *bad = calloc(v->nlevels ? v->nlevels : 1, 1);
    size_t n = 0, rows = 0;

    if (bad == NULL)
        return MG_ENOMEM;
    not_allowed(k, v, labels ? mg__same_label : same_string, bad, &n, &rows);
    f->outcome = n ? MG_OUTCOME_FAIL : MG_OUTCOME_PASS;
    f->has_estimate = 1;
    f->estimate = (double)(labels ? rows : n);
    if (n == 0 && labels)
        say(f, "every label in column '%s' is an allowed value", v->name);
    else if (n == 0)
        say(f, "column '%s': every value is an allowed category", v->name);
    else if (labels)
        say(f, "column '%s': %zu label%s in %zu row%s %s not allowed: ", v->name, n,
            plural(n), rows, plural(rows), n == 1 ? "is" : "are");
    else
        say(f, "column '%s': %zu new categor%s in %zu row%s: ", v->name, n,
            n == 1 ? "y" : "ies", rows, plural(rows));
    if (n > 0 && quote_levels(f, v, bad) != 0) {
        free(bad);
        return MG_ENOMEM;
    }
    free(bad);
    return 0;
}

/* The prevalence band: a proportion's interval, decided as a threshold test. */
static void check_prevalence(const ctx *c, const mg_check_spec *k, const view *v,
                             mg_case *out, finding *f)
{
    const char *pos = c->s->data.positive;
    double x = 0, n = 0, bound = c->confidence;
    mg__rule rule = {k->rule,
                     k->has_at_least,
                     k->has_at_most,
                     k->at_least,
                     k->at_most,
                     MG_COMPARE_NONE,
                     0};
    mg__evidence ev = {0};
    mg__verdict verdict;
    mg__ci ci;

    for (size_t q = 0; q < v->nlevels; q++)
        if (!v->marker[q] && v->count[q] > 0) {
            n += (double)v->count[q];
            if (mg__same_label(level(v, q), pos))
                x += (double)v->count[q];
        }
    f->n = (size_t)n;
    if (n == 0) {
        f->status = MG_STATUS_NOT_CHECKED;
        f->outcome = MG_OUTCOME_ERROR;
        say(f, "column '%s' has no label that is not missing", v->name);
        return;
    }
    out->bound_level = bound;
    out->confidence = mg__two_sided(bound);
    if (k->interval == MG_PROPORTION_CLOPPER_PEARSON || x < MIN_CLASS_COUNT ||
        n - x < MIN_CLASS_COUNT)
        mg__ci_clopper_pearson(&ci, x, n, out->confidence);
    else
        mg__ci_wilson(&ci, x, n, out->confidence);
    f->has_estimate = 1;
    f->estimate = x / n;
    ev.estimate = f->estimate;
    ev.has_ci = ci.has_ci;
    ev.low = ci.low;
    ev.high = ci.high;
    mg__decide(&rule, &ev, &verdict);
    f->status = MG_STATUS_DECIDED;
    f->outcome = verdict.outcome;
    out->method = ci.has_ci ? ci.method : MG_CI_NONE;
    out->has_ci = ci.has_ci;
    out->ci_low = ci.low;
    out->ci_high = ci.high;
    out->has_at_least = k->has_at_least;
    out->at_least = k->at_least;
    out->has_at_most = k->has_at_most;
    out->at_most = k->at_most;
    out->has_threshold = 1;
    out->threshold = k->has_at_least ? k->at_least : k->at_most;
    out->positives = (size_t)x;
    out->negatives = (size_t)(n - x);
    out->effective_size = (size_t)n;
    memcpy(out->checks, verdict.checks, sizeof verdict.checks);
    out->nchecks = verdict.nchecks;
}

/* ---- Blocking ------------------------------------------------------------------ */

static int hold(char **slot, const char *reason)
{
    if (*slot != NULL)
        return 0;
    return (*slot = mg__strdup(reason)) != NULL ? 0 : MG_ENOMEM;
}

/* Whether slicing k reads holdout column `column`: as one of its columns, or in
 * its filter. */
static int slicing_reads(const mg_slicing_spec *sl, const char *column)
{
    for (size_t q = 0; q < sl->ncolumns; q++)
        if ((sl->refs == NULL || sl->refs[q] < 0) &&
            strcmp(sl->columns[q], column) == 0)
            return 1;
    for (size_t q = 0; q < sl->nwhere; q++)
        if (strcmp(sl->where[q].column, column) == 0)
            return 1;
    return 0;
}

/* Hold back slicing k, and every cross that names it. */
static int hold_slicing(ctx *c, size_t k, const char *reason)
{
    const mg_suite *s = c->s;
    int rc;

    if (c->b.slicing_flag[k])
        return 0;
    c->b.slicing_flag[k] = 1;
    if ((rc = hold(&c->b.slicing[k], reason)) != 0)
        return rc;
    for (size_t j = 0; j < s->nslicings; j++)
        for (size_t q = 0; s->slicings[j].refs != NULL && q < s->slicings[j].ncolumns;
             q++)
            if (s->slicings[j].refs[q] == (long)k &&
                (rc = hold_slicing(c, j, reason)) != 0)
                return rc;
    return 0;
}

/* What a failed case on holdout column `column` (NULL: the whole holdout set) or
 * model `model` (>= 0) holds back. */
static int block(ctx *c, const char *column, long model, const char *reason)
{
    const mg_suite *s = c->s;
    char **names, **why;
    int rc = 0;

    if (model >= 0) {
        c->b.model_flag[model] = 1;
        return hold(&c->b.model[model], reason);
    }
    if (column == NULL || strcmp(column, s->data.label) == 0 ||
        (s->data.id && strcmp(column, s->data.id) == 0) ||
        (s->bootstrap.cluster && strcmp(column, s->bootstrap.cluster) == 0))
        return hold(&c->b.all, reason);
    /* a test's filter may read it: keep the column and why */
    names = realloc(c->b.column, (c->b.ncolumns + 1) * sizeof *names);
    if (names != NULL)
        c->b.column = names;
    why = realloc(c->b.column_reason, (c->b.ncolumns + 1) * sizeof *why);
    if (why != NULL)
        c->b.column_reason = why;
    if (names == NULL || why == NULL)
        return MG_ENOMEM;
    names[c->b.ncolumns] = mg__strdup(column);
    why[c->b.ncolumns] = mg__strdup(reason);
    c->b.ncolumns++;
    if (names[c->b.ncolumns - 1] == NULL || why[c->b.ncolumns - 1] == NULL)
        return MG_ENOMEM;
    for (size_t k = 0; k < s->nslicings && rc == 0; k++)
        if (slicing_reads(&s->slicings[k], column))
            rc = hold_slicing(c, k, reason);
    for (size_t m = 0; m < s->nmodels && rc == 0; m++)
        if (s->models[m].file == NULL && s->models[m].score != NULL &&
            strcmp(s->models[m].score, column) == 0) {
            c->b.model_flag[m] = 1;
            rc = hold(&c->b.model[m], reason);
        }
    return rc;
}

void mg__blocks_free(blocks *b, size_t nmodels, size_t nslicings)
{
    free(b->all);
    for (size_t m = 0; b->model != NULL && m < nmodels; m++)
        free(b->model[m]);
    for (size_t k = 0; b->slicing != NULL && k < nslicings; k++)
        free(b->slicing[k]);
    free(b->model);
    free(b->slicing);
    free(b->model_flag);
    free(b->slicing_flag);
    free(b->test_flag);
    for (size_t i = 0; i < b->ncolumns; i++) {
        free(b->column[i]);
        free(b->column_reason[i]);
    }
    free(b->column);
    free(b->column_reason);
    memset(b, 0, sizeof *b);
}

const char *mg__test_blocked(const ctx *c, const mg_test_spec *t)
{
    long m = mg_suite_model(c->s, t->model);
    long base = t->baseline ? mg_suite_model(c->s, t->baseline) : -1;
    long k = t->slices ? mg_suite_slicing(c->s, t->slices) : -1;

    if (c->b.all != NULL)
        return c->b.all;
    if (c->b.model != NULL && m >= 0 && c->b.model[m] != NULL)
        return c->b.model[m];
    if (c->b.model != NULL && base >= 0 && c->b.model[base] != NULL)
        return c->b.model[base];
    if (c->b.slicing != NULL && k >= 0 && c->b.slicing[k] != NULL)
        return c->b.slicing[k];
    for (size_t j = 0; t->weak && c->b.slicing != NULL && j < t->weak_count; j++)
        if (c->b.slicing[t->weak_first + j] != NULL)
            return c->b.slicing[t->weak_first + j];
    for (size_t q = 0; q < t->nwhere; q++)
        for (size_t j = 0; j < c->b.ncolumns; j++)
            if (strcmp(t->where[q].column, c->b.column[j]) == 0)
                return c->b.column_reason[j];
    return NULL;
}

/* ---- Cases --------------------------------------------------------------------- */

/* Fill case cs of check k on `column` (NULL: the whole holdout set) or model from
 * what was found, count it, and hold back what a failure concerns. */
static int keep(ctx *c, const mg_check_spec *k, const char *column, long model,
                mg_case *cs, const finding *f)
{
    char slice[MG_ERROR_MESSAGE_MAX], reason[MG_ERROR_MESSAGE_MAX];

    if (column != NULL)
        snprintf(slice, sizeof slice, "column=%s", column);
    cs->kind = MG_TEST_DATA_CHECK;
    cs->status = f->status;
    cs->outcome = f->outcome;
    cs->n = f->n;
    cs->has_estimate = f->has_estimate;
    cs->estimate = f->estimate + 0.0;
    cs->rule_kind = k->rule;
    cs->interval_kind = c->kind;
    cs->test = mg__strdup(k->name);
    cs->metric = mg__strdup(kind_names[k->kind]);
    cs->model = mg__strdup(model >= 0 ? c->s->models[model].name : "data");
    cs->slice = mg__strdup(column != NULL ? slice : "overall");
    if (k->kind == MG_CHECK_PREVALENCE) {
        /* the one check decided by a rule on an interval */
        cs->rule = mg__strdup(rule_names[k->rule]);
        cs->interval = mg__strdup(
            k->interval == MG_PROPORTION_WILSON ? "wilson" : "clopper_pearson");
        if (!cs->rule || !cs->interval)
            return MG_ENOMEM;
    }
    cs->reason = f->status == MG_STATUS_DECIDED ? NULL : mg__strdup(f->why);
    if (!cs->test || !cs->metric || !cs->model || !cs->slice ||
        (f->status != MG_STATUS_DECIDED && !cs->reason) || mg__case_render(cs) != 0)
        return MG_ENOMEM;
    mg__count_outcome(c->r, cs->outcome);
    if (f->outcome == MG_OUTCOME_PASS)
        return 0;
    snprintf(reason, sizeof reason, "data check '%s' %s%s%s%s", k->name,
             f->outcome == MG_OUTCOME_FAIL ? "failed" : "could not be evaluated",
             column ? " on column '" : "", column ? column : "", column ? "'" : "");
    return block(c, column, model, reason);
}

/* The holdout column `name` as a view, or why there is none (finding f). */
static int open_column(ctx *c, const char *name, view *v, finding *f)
{
    long col = mg_table_find(c->d->holdout, name);

    if (col >= 0)
        return view_open(v, c->s, c->d->holdout, (size_t)col);
    memset(v, 0, sizeof *v);
    f->status = MG_STATUS_NOT_CHECKED;
    f->outcome = MG_OUTCOME_ERROR;
    say(f, "column '%s' is not in %s", name, c->s->data.holdout);
    return 0;
}

/* One case of check k: on holdout column `column`, or on model m's scores. */
static int check_one(ctx *c, const mg_check_spec *k, size_t q, long m)
{
    const char *column = m < 0 && k->ncolumns ? k->columns[q] : NULL;
    finding f = {MG_OUTCOME_PASS, MG_STATUS_CHECKED, c->d->n, 0, 0, ""};
    mg_case *cs = mg__new_case(c); /* the report owns it from here */
    view v = {0};
    int rc = 0;

    if (cs == NULL)
        return MG_ENOMEM;
    if (m >= 0) {
        const mg_table *t = c->d->score_table[m];
        column = c->s->models[m].score;
        if (column == NULL) {
            f.status = MG_STATUS_NOT_CHECKED;
            f.outcome = MG_OUTCOME_ERROR;
            say(&f,
                "model '%s' is a multiclass model: data checks read a binary model's "
                "score column",
                c->s->models[m].name);
        } else if (t == NULL) {
            f.status = MG_STATUS_NOT_CHECKED;
            f.outcome = MG_OUTCOME_ERROR;
            say(&f,
                "the holdout set's ids repeat, so the predictions of model '%s' "
                "were not joined to it",
                c->s->models[m].name);
        } else {
            rc = view_open(&v, c->s, t, (size_t)mg_table_find(t, column));
        }
    } else if (k->kind == MG_CHECK_MIN_ROWS) {
        f.has_estimate = 1;
        f.estimate = (double)c->d->n;
        f.outcome = (double)c->d->n >= k->at_least ? MG_OUTCOME_PASS : MG_OUTCOME_FAIL;
        say(&f, "%s has %zu rows, %s %.0f", c->s->data.holdout, c->d->n,
            f.outcome == MG_OUTCOME_PASS ? "at least" : "fewer than", k->at_least);
    } else if (k->kind == MG_CHECK_LABEL_VALUES || k->kind == MG_CHECK_PREVALENCE) {
        rc = open_column(c, c->s->data.label, &v, &f);
    } else if (k->kind == MG_CHECK_COLUMNS &&
               mg_table_find(c->d->holdout, column) < 0) {
        f.outcome = MG_OUTCOME_FAIL;
        say(&f, "column '%s' is not in %s", column, c->s->data.holdout);
    } else {
        rc = open_column(c, column, &v, &f);
    }
    if (rc == 0 && v.t != NULL) {
        switch (k->kind) {
        case MG_CHECK_COLUMNS:
            rc = check_columns(&v, k->types[q], &f);
            break;
        case MG_CHECK_MAX_MISSING:
            check_missing(k, &v, &f);
            break;
        case MG_CHECK_LABEL_VALUES:
        case MG_CHECK_CATEGORIES:
            rc = check_allowed(k, &v, &f);
            break;
        case MG_CHECK_PREVALENCE:
            check_prevalence(c, k, &v, cs, &f);
            break;
        case MG_CHECK_RANGE:
            rc = check_range(k, &v, &f);
            break;
        case MG_CHECK_UNIQUE:
            rc = check_unique(&v, &f);
            break;
        case MG_CHECK_NOT_CONSTANT:
            check_constant(&v, &f);
            break;
        case MG_CHECK_MIN_ROWS:
            break;
        }
    }
    view_free(&v);
    return rc != 0 ? rc : keep(c, k, m >= 0 || k->ncolumns ? column : NULL, m, cs, &f);
}

int mg__checks_run(ctx *c)
{
    const mg_suite *s = c->s;
    blocks *b = &c->b;
    int rc = 0;

    b->model = calloc(s->nmodels ? s->nmodels : 1, sizeof *b->model);
    b->slicing = calloc(s->nslicings ? s->nslicings : 1, sizeof *b->slicing);
    b->model_flag = calloc(s->nmodels ? s->nmodels : 1, 1);
    b->slicing_flag = calloc(s->nslicings ? s->nslicings : 1, 1);
    if (!b->model || !b->slicing || !b->model_flag || !b->slicing_flag)
        return MG_ENOMEM;
    for (size_t i = 0; i < s->nchecks && rc == 0; i++) {
        const mg_check_spec *k = &s->checks[i];
        long m = k->model ? mg_suite_model(s, k->model) : -1;
        size_t span = k->ncolumns ? k->ncolumns : 1;
        for (size_t q = 0; q < span && rc == 0; q++)
            rc = check_one(c, k, q, m);
    }
    if (rc == 0 && (b->test_flag = calloc(s->ntests ? s->ntests : 1, 1)) == NULL)
        rc = MG_ENOMEM;
    for (size_t i = 0; rc == 0 && i < s->ntests; i++)
        b->test_flag[i] = mg__test_blocked(c, &s->tests[i]) != NULL;
    return rc;
}
