/*
 * Slicings: a code per holdout row, a label per slice, and the rows of each slice.
 *
 * A categorical slicing (one column, or the cross of several) numbers the
 * combinations that occur in a readable order. Each column's dictionary codes are
 * first ranked in natural order (numbers by value, before strings; strings
 * bytewise); a row's key is then its ranks read as digits of a mixed-radix number,
 * so keys sort like the combinations they stand for. Keys are numbered densely
 * through a direct index when the key space is small (a column, or a cross of a few
 * small ones) and through a sort of the rows' keys otherwise. A label decodes its
 * key back into ranks and each rank into its level through the inverse of the
 * ranking, so labels cost time linear in their length: looking a rank up by a scan
 * of the ranking instead made 300,000 values take half a minute.
 *
 * A binned slicing puts a number x in [e_j, e_{j+1}) by binary search over the
 * edges; the last bin is [e_k, inf), and values below e_0 get a bin (-inf, e_0) of
 * their own, first, when there are any: no row is dropped silently.
 *
 * Missing values (the suite's data.missing markers: a level of a category column,
 * NaN in a binned number column) form one slice labelled `(missing)`, ordered after
 * every value, in a cross too (`region=(missing) × plan=basic`). It exists only when
 * some row is missing, as the (-inf, e_0) bin does, so a column without missing
 * values slices as it always did.
 *
 * The engine numbers all the slices of a run in 16 bits (MG__SLICES_MAX), so each
 * slicing is checked against what is left of that limit as soon as its number of
 * slices is known, or bounded from below: a column's number of distinct values
 * bounds a cross over it. The check comes before labels are made, the costly
 * part, and it makes `modelgate validate` refuse what `modelgate run` would.
 *
 * A quantile slicing (`quantiles: k`) cuts a number column at edges taken from
 * the holdout itself: with the m non-missing values sorted, x_(0) ≤ … ≤ x_(m-1),
 * edge j (1 ≤ j < k) is x_(⌊j·m/k⌋), the smallest value with more than j/k of
 * the values at or below it. Bins are half-open, [e_j, e_{j+1}), so every copy of
 * a value falls in one bin: an edge equal to the one before it (or to the
 * minimum) is dropped, and ties make fewer, larger bins rather than split a value
 * (a note in the report says so). Without ties each bin holds ⌊m/k⌋ or ⌈m/k⌉
 * rows. Labels show the data's range at the ends: `[min, e_1)`, …,
 * `[e_{k-1}, max]`. This is the "inverted empirical distribution function"
 * definition (Hyndman and Fan 1996, definition 1) read from the right: it never
 * interpolates, so edges are values a reader can find in the data.
 *
 * A groups slicing merges values of a category column into named slices, in the
 * order written, then `(other)` for the values no group names (unless
 * `other: false`: those rows belong to no slice) and `(missing)`.
 *
 * A filter (`where`) keeps the rows that meet all its conditions; the rest belong
 * to no slice (MG__NO_SLICE). A filtered slicing is built on the kept rows alone
 * (quantile edges, the values that occur), drops slices left empty, and appends
 * the filter to each label, `region=EU × plan=premium`, since that is the subset
 * the slice is. A filter with no slicing is one slice, labelled by the filter. A
 * test's own filter restricts its slicing the same way (mg__slicing_restrict).
 *
 * A cross may combine columns and other slicings to any depth: a part that is a
 * slicing contributes its codes (rows in none of its slices are in none of the
 * cross's) and its labels.
 *
 * Numbers are parsed (natural order) and formatted (bin labels) in the C locale
 * whatever LC_NUMERIC the host set, so a host under de_DE.UTF-8 still reads
 * `[0, 6.5)` and orders "6.5" as a number.
 *
 * Membership, for statistics that need a slice's rows (DeLong, McNemar), is a
 * compressed index built on first use by a counting sort of the codes: per slice
 * an offset into one array of row numbers, O(n + levels) time and memory.
 */
#include "harness/slices.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clocale.h"

/* Key spaces up to this size are numbered through a direct index, not a sort. */
#define DIRECT_SPACE (1u << 22)

/* The label of the slice of missing values. */
#define MISSING_LABEL "(missing)"

/* A level string with its number, parsed once for the natural order. */
typedef struct level_ref {
    const char *s;
    double x;      /* its value when it is a number */
    int number;    /* the whole string is a number (strtod) */
    int missing;   /* one of the missing-value markers */
    uint32_t code; /* its dictionary code */
} level_ref;

static int is_marker(const mg_suite *suite, const char *v)
{
    for (size_t i = 0; i < suite->data.nmissing; i++)
        if (strcmp(suite->data.missing[i], v) == 0)
            return 1;
    return 0;
}

/* Missing last; both numbers by value, numbers before strings, then bytewise. */
static int by_level(const void *pa, const void *pb)
{
    const level_ref *a = pa, *b = pb;
    if (a->missing != b->missing)
        return a->missing ? 1 : -1;
    if (a->missing)
        return a->code < b->code ? -1 : a->code > b->code;
    if (a->number && b->number && a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->number != b->number)
        return a->number ? -1 : 1;
    return strcmp(a->s, b->s);
}

/* A column's levels in natural order: rank[code] is a level's position, and
 * order[position] its code (the inverse, for labels), UINT32_MAX for the one
 * position all the missing-value markers share, the last. *nranks receives the
 * number of positions. */
static int level_ranks(const mg_suite *suite, const mg_table *t, size_t col,
                       uint32_t **rank_out, uint32_t **order_out, size_t *nranks)
{
    size_t nl = mg_table_levels(t, col);
    level_ref *refs = malloc((nl ? nl : 1) * sizeof *refs);
    uint32_t *rank = malloc((nl ? nl : 1) * sizeof *rank);
    uint32_t *order = malloc((nl ? nl : 1) * sizeof *order);
    if (refs == NULL || rank == NULL || order == NULL) {
        free(refs);
        free(rank);
        free(order);
        return MG_ENOMEM;
    }
    for (size_t c = 0; c < nl; c++) {
        const char *s = mg_table_level(t, col, (uint32_t)c);
        char *end;
        double x = strtod(s, &end);
        refs[c] = (level_ref){s, x, *s != '\0' && *end == '\0', is_marker(suite, s),
                              (uint32_t)c};
    }
    qsort(refs, nl, sizeof *refs, by_level);
    *nranks = 0;
    for (size_t r = 0; r < nl; r++) {
        if (refs[r].missing && *nranks > 0 && order[*nranks - 1] == UINT32_MAX) {
            rank[refs[r].code] = (uint32_t)(*nranks - 1);
            continue;
        }
        rank[refs[r].code] = (uint32_t)*nranks;
        order[(*nranks)++] = refs[r].missing ? UINT32_MAX : refs[r].code;
    }
    free(refs);
    *rank_out = rank;
    *order_out = order;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void slicing_free(mg__slicing *s)
{
    if (s->labels)
        for (size_t i = 0; i < s->nlevels; i++)
            free(s->labels[i]);
    free(s->labels);
    free(s->code);
    free(s->rows);
    free(s->start);
    free(s->note);
}

void mg__slicings_free(mg__slicing *slicings, size_t n)
{
    for (size_t k = 0; slicings != NULL && k < n; k++)
        slicing_free(&slicings[k]);
    free(slicings);
}

/* Append `part` (and " × " before it unless the label is empty) to a label. */
static int label_join(char **label, const char *part)
{
    size_t old = *label ? strlen(*label) : 0, add = strlen(part) + 8;
    char *s = realloc(*label, old + add);
    if (s == NULL)
        return MG_ENOMEM;
    snprintf(s + old, add, "%s%s", old ? " \xc3\x97 " : "", part);
    *label = s;
    return 0;
}

/* Append "name=value" to a growing label. */
static int label_append(char **label, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *part = malloc(len);
    int rc;
    if (part == NULL)
        return MG_ENOMEM;
    snprintf(part, len, "%s=%s", name, value);
    rc = label_join(label, part);
    free(part);
    return rc;
}

/* v with thousands separators, "65,534", whatever the locale. */
static const char *grouped(char *buf, size_t size, size_t v)
{
    char digits[32];
    size_t len = (size_t)snprintf(digits, sizeof digits, "%zu", v), j = 0;
    for (size_t i = 0; i < len && j + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = digits[i];
    }
    buf[j] = '\0';
    return buf;
}

/*
 * The error for a slicing (or a test's filtered slices: `what`, `loc`) with more
 * than `left` slices, `left` being what its predecessors leave of MG__SLICES_MAX.
 */
static int too_many(const mg_suite *suite, const mg_loc *loc, const char *what,
                    const char *remedy, size_t left, mg_error *err)
{
    char a[32], b[32], c[32];
    size_t used = MG__SLICES_MAX - left;

    if (used <= 1)
        return mg_suite_error(suite, loc, err, MG_EDATA,
                              "%s has more than %s slice%s; a run may have "
                              "at most %s, the overall slice included: %s",
                              what, grouped(a, sizeof a, left), left == 1 ? "" : "s",
                              grouped(b, sizeof b, MG__SLICES_MAX), remedy);
    return mg_suite_error(
        suite, loc, err, MG_EDATA,
        "%s has more than %s slice%s, what is left of the %s "
        "a run may have after the overall slice and the %s of earlier "
        "slicings: %s",
        what, grouped(a, sizeof a, left), left == 1 ? "" : "s",
        grouped(b, sizeof b, MG__SLICES_MAX), grouped(c, sizeof c, used - 1), remedy);
}

static int too_many_slices(const mg_suite *suite, const mg_slicing_spec *spec,
                           size_t left, mg_error *err)
{
    char what[MG_ERROR_MESSAGE_MAX / 2];
    const char *remedy =
        spec->bins        ? "use fewer bins"
        : spec->quantiles ? "use fewer quantiles"
        : spec->ncolumns > 1
            ? "cross columns with fewer distinct values"
            : "slice by a column with fewer distinct values, or bin a number column";

    snprintf(what, sizeof what, "slicing '%s'", spec->name);
    return too_many(suite, &spec->loc, what, remedy, left, err);
}

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory building slices");
}

/* ---- Filters ------------------------------------------------------------------- */

/* Two values as the data holds them are equal: numbers by value, else bytewise. */
static int same_value(const char *a, const char *b)
{
    char *ea, *eb;
    double x, y;
    if (strcmp(a, b) == 0)
        return 1;
    x = strtod(a, &ea);
    y = strtod(b, &eb);
    return *a != '\0' && *b != '\0' && *ea == '\0' && *eb == '\0' && x == y;
}

static const char *const op_text[] = {"=", "<", "<=", ">", ">=", " in ", " not in "};

/* A condition as a label part: `plan=premium`, `age<60`, `plan in {a, b}`. */
static int condition_text(const mg_where_cond *w, char **out)
{
    size_t len = strlen(w->column) + 16;
    char *s;
    for (size_t j = 0; j < w->nvalues; j++)
        len += strlen(w->values[j]) + 2;
    if ((s = malloc(len)) == NULL)
        return MG_ENOMEM;
    if (w->op == MG_WHERE_IN || w->op == MG_WHERE_NOT_IN) {
        size_t at = (size_t)snprintf(s, len, "%s%s{", w->column, op_text[w->op]);
        for (size_t j = 0; j < w->nvalues; j++)
            at +=
                (size_t)snprintf(s + at, len - at, "%s%s", j ? ", " : "", w->values[j]);
        snprintf(s + at, len - at, "}");
    } else {
        snprintf(s, len, "%s%s%s", w->column, op_text[w->op], w->values[0]);
    }
    *out = s;
    return 0;
}

/* The filter as label parts joined by " × ", into *out (NULL: no filter). */
static int filter_text(const mg_where_cond *w, size_t nw, char **out)
{
    *out = NULL;
    for (size_t i = 0; i < nw; i++) {
        char *part = NULL;
        int rc = condition_text(&w[i], &part);
        if (rc == 0)
            rc = label_join(out, part);
        free(part);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Whether a category column's level meets condition w (a missing value meets
 * none). */
static int level_meets(const mg_suite *suite, const char *level, const mg_where_cond *w)
{
    int any = 0;
    if (is_marker(suite, level))
        return 0;
    for (size_t j = 0; j < w->nvalues && !any; j++)
        any = same_value(level, w->values[j]);
    return w->op == MG_WHERE_NOT_IN ? !any : any;
}

/* Whether number x meets condition w, whose values are numbers (checked). */
static int number_meets(double x, const mg_where_cond *w, const double *values)
{
    int any = 0;
    if (isnan(x))
        return 0;
    switch (w->op) {
    case MG_WHERE_LT:
        return x < w->number;
    case MG_WHERE_LE:
        return x <= w->number;
    case MG_WHERE_GT:
        return x > w->number;
    case MG_WHERE_GE:
        return x >= w->number;
    default:
        for (size_t j = 0; j < w->nvalues && !any; j++)
            any = x == values[j];
        return w->op == MG_WHERE_NOT_IN ? !any : any;
    }
}

/*
 * The rows that meet every condition of a filter: *keep receives n flags. A value
 * that no row holds (a typo, most likely), a number column compared with a word,
 * a missing-value marker as a value, or a filter that keeps nothing is an error at
 * the condition.
 */
static int filter_rows(const mg_suite *suite, const mg_table *t, const mg_where_cond *w,
                       size_t nw, const mg_loc *loc, unsigned char **keep,
                       mg_error *err)
{
    size_t n = mg_table_rows(t), kept = 0;
    unsigned char *k = malloc(n ? n : 1), *meets = NULL;
    double *values = NULL;
    char shown[64];
    int rc = 0;

    if (k == NULL)
        return nomem(err);
    memset(k, 1, n);
    for (size_t c = 0; c < nw && rc == 0; c++) {
        const mg_where_cond *cond = &w[c];
        size_t col = (size_t)mg_table_find(t, cond->column);
        for (size_t j = 0; j < cond->nvalues; j++)
            if (is_marker(suite, cond->values[j])) {
                snprintf(shown, sizeof shown, "%.40s", cond->values[j]);
                rc = mg_suite_error(suite, &cond->loc, err, MG_EDATA,
                                    "'%s' is a missing-value marker (data.missing); a "
                                    "missing value meets no condition",
                                    shown);
                goto cleanup;
            }
        if (mg_table_column_type(t, col) == MG_COLUMN_NUMBER) {
            free(values);
            if ((values = malloc((cond->nvalues + 1) * sizeof *values)) == NULL) {
                rc = nomem(err);
                goto cleanup;
            }
            for (size_t j = 0; j < cond->nvalues; j++) {
                char *end;
                values[j] = strtod(cond->values[j], &end);
                if (*end != '\0' || isnan(values[j])) {
                    snprintf(shown, sizeof shown, "%.40s", cond->values[j]);
                    rc =
                        mg_suite_error(suite, &cond->loc, err, MG_EDATA,
                                       "column '%s' holds numbers, and '%s' is not one",
                                       cond->column, shown);
                    goto cleanup;
                }
            }
            const double *x = mg_table_numbers(t, col);
            for (size_t j = 0; cond->op == MG_WHERE_EQ || cond->op == MG_WHERE_IN ||
                               cond->op == MG_WHERE_NOT_IN;
                 j++) {
                size_t i = 0;
                if (j == cond->nvalues)
                    break;
                while (i < n && x[i] != values[j])
                    i++;
                if (i == n) {
                    rc = mg_suite_error(suite, &cond->loc, err, MG_EDATA,
                                        "no row has %s=%s", cond->column,
                                        cond->values[j]);
                    goto cleanup;
                }
            }
            for (size_t i = 0; i < n; i++)
                k[i] &= (unsigned char)number_meets(x[i], cond, values);
        } else {
            size_t nl = mg_table_levels(t, col);
            const uint32_t *code = mg_table_codes(t, col);
            free(meets);
            if ((meets = malloc(nl ? nl : 1)) == NULL) {
                rc = nomem(err);
                goto cleanup;
            }
            for (size_t j = 0; j < cond->nvalues; j++) {
                size_t l = 0;
                while (l < nl && !same_value(mg_table_level(t, col, (uint32_t)l),
                                             cond->values[j]))
                    l++;
                if (l == nl) {
                    snprintf(shown, sizeof shown, "%.40s", cond->values[j]);
                    rc = mg_suite_error(suite, &cond->loc, err, MG_EDATA,
                                        "no row has %s=%s", cond->column, shown);
                    goto cleanup;
                }
            }
            for (size_t l = 0; l < nl; l++)
                meets[l] = (unsigned char)level_meets(
                    suite, mg_table_level(t, col, (uint32_t)l), cond);
            for (size_t i = 0; i < n; i++)
                k[i] &= meets[code[i]];
        }
    }
    for (size_t i = 0; i < n; i++)
        kept += k[i];
    if (kept == 0)
        rc = mg_suite_error(suite, loc, err, MG_EDATA,
                            "the filter (where) keeps no row of the holdout set");
cleanup:
    free(values);
    free(meets);
    if (rc != 0) {
        free(k);
        return rc;
    }
    *keep = k;
    return 0;
}

/*
 * Drop the slices no row belongs to, renumbering the rest in order, and append the
 * filter's text to each label (filter may be NULL).
 */
static int finish_filtered(mg__slicing *out, size_t n, const char *filter)
{
    size_t *count = calloc(out->nlevels + 1, sizeof *count), kept = 0;
    uint32_t *to = malloc((out->nlevels + 1) * sizeof *to);
    if (count == NULL || to == NULL) {
        free(count);
        free(to);
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (out->code[i] != MG__NO_SLICE)
            count[out->code[i]]++;
    for (size_t l = 0; l < out->nlevels; l++) {
        if (count[l] == 0) {
            free(out->labels[l]);
            continue;
        }
        to[l] = (uint32_t)kept;
        out->labels[kept++] = out->labels[l];
    }
    for (size_t i = 0; i < n; i++)
        if (out->code[i] != MG__NO_SLICE)
            out->code[i] = to[out->code[i]];
    out->nlevels = kept;
    free(count);
    free(to);
    for (size_t l = 0; filter != NULL && l < kept; l++)
        if (label_join(&out->labels[l], filter) != 0)
            return MG_ENOMEM;
    return 0;
}

/* ---- Categories and crosses ---------------------------------------------------- */

/* A part of a cross (or the one column of a categorical slicing). */
typedef struct part {
    const char *name;      /* the column's name */
    long col;              /* a column: its index; -1 for a slicing */
    const uint32_t *codes; /* the column's dictionary codes, or the slicing's codes */
    uint32_t *rank;        /* a column: rank[dictionary code] */
    uint32_t *order;       /* a column: the dictionary code at each rank */
    size_t radix;          /* values the part's code takes */
    const mg__slicing *sl; /* a slicing part */
} part;

/* The part's value for row i (MG__NO_SLICE: in no slice of it). */
static uint32_t part_value(const part *p, size_t i)
{
    return p->rank ? p->rank[p->codes[i]] : p->codes[i];
}

/* Append the part's value v to a label. */
static int part_label(const mg_table *t, const part *p, uint32_t v, char **label)
{
    if (p->sl != NULL)
        return label_join(label, p->sl->labels[v]);
    return label_append(label, p->name,
                        p->order[v] == UINT32_MAX
                            ? MISSING_LABEL
                            : mg_table_level(t, (size_t)p->col, p->order[v]));
}

/*
 * A categorical slicing over one column, or the cross of several columns and
 * slicings, of at most `left` slices, over the rows with keep[i] (keep NULL: all).
 */
static int build_categorical(const mg_suite *suite, const mg_slicing_spec *spec,
                             const mg_table *t, const mg__slicing *built,
                             const unsigned char *keep, size_t left, mg__slicing *out,
                             mg_error *err)
{
    size_t n = mg_table_rows(t), nc = spec->ncolumns;
    part *parts = calloc(nc, sizeof *parts);
    uint32_t *digits = calloc(nc, sizeof *digits);
    uint64_t *keys = NULL, *uniq = NULL;
    size_t nuniq = 0, nkeys = 0;
    long double space = 1;
    int rc = MG_ENOMEM;

    if (parts == NULL || digits == NULL)
        goto cleanup;
    /* Every level of a column occurs in some row, so without a filter a column's
     * levels bound the slicing's slices from below: too many is known before any
     * work. */
    for (size_t c = 0; c < nc; c++) {
        part *p = &parts[c];
        long ref = spec->refs ? spec->refs[c] : -1;
        p->name = spec->columns[c];
        if (ref >= 0) {
            p->col = -1;
            p->sl = &built[ref];
            p->codes = p->sl->code;
            p->radix = p->sl->nlevels;
            continue;
        }
        p->col = mg_table_find(t, spec->columns[c]);
        p->codes = mg_table_codes(t, (size_t)p->col);
        p->radix = mg_table_levels(t, (size_t)p->col);
        if (keep == NULL && p->radix > left + suite->data.nmissing) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
    }
    /* The missing markers share one rank, so a column's radix is its ranks. */
    for (size_t c = 0; c < nc; c++) {
        part *p = &parts[c];
        if (p->sl == NULL && (rc = level_ranks(suite, t, (size_t)p->col, &p->rank,
                                               &p->order, &p->radix)) != 0)
            goto cleanup;
        space *= p->radix;
        if (keep == NULL && p->sl == NULL && p->radix > left) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
    }
    rc = MG_ENOMEM;
    if (space > 1e18) {
        rc = mg_suite_error(suite, &spec->loc, err, MG_EDATA,
                            "the cross has too many combinations");
        goto cleanup;
    }
    keys = malloc((n ? n : 1) * sizeof *keys);
    uniq = malloc((n ? n : 1) * sizeof *uniq);
    out->code = malloc((n ? n : 1) * sizeof *out->code);
    if (keys == NULL || uniq == NULL || out->code == NULL)
        goto cleanup;
    /* A row's key: its parts' values as the digits of a mixed-radix number; a row
     * outside the filter or outside a part's slices has none (UINT64_MAX). */
    for (size_t i = 0; i < n; i++) {
        uint64_t k = 0;
        for (size_t c = 0; c < nc && k != UINT64_MAX; c++) {
            uint32_t v = part_value(&parts[c], i);
            k = v == MG__NO_SLICE ? UINT64_MAX : k * parts[c].radix + v;
        }
        if (keep != NULL && !keep[i])
            k = UINT64_MAX;
        keys[i] = k;
        if (k != UINT64_MAX)
            uniq[nkeys++] = k;
    }
    if (space <= (long double)DIRECT_SPACE) {
        /* A small key space (the usual case: a column, or a cross of a few
         * columns): mark the keys present, number them in order. */
        uint32_t *index = malloc(((size_t)space ? (size_t)space : 1) * sizeof *index);
        if (index == NULL)
            goto cleanup;
        memset(index, 0xff, (size_t)space * sizeof *index);
        for (size_t i = 0; i < nkeys; i++)
            index[uniq[i]] = 0;
        for (size_t k = 0; k < (size_t)space; k++)
            if (index[k] == 0) {
                if (nuniq == left) {
                    free(index);
                    rc = too_many_slices(suite, spec, left, err);
                    goto cleanup;
                }
                index[k] = (uint32_t)nuniq;
                uniq[nuniq++] = k;
            }
        for (size_t i = 0; i < n; i++)
            out->code[i] = keys[i] == UINT64_MAX ? MG__NO_SLICE : index[keys[i]];
        free(index);
    } else {
        qsort(uniq, nkeys, sizeof *uniq, cmp_u64);
        for (size_t i = 0; i < nkeys; i++)
            if (i == 0 || uniq[i] != uniq[i - 1])
                uniq[nuniq++] = uniq[i];
        if (nuniq > left) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = nuniq;
            if (keys[i] == UINT64_MAX) {
                out->code[i] = MG__NO_SLICE;
                continue;
            }
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (uniq[mid] <= keys[i])
                    lo = mid;
                else
                    hi = mid;
            }
            out->code[i] = (uint32_t)lo;
        }
    }
    out->nlevels = nuniq;
    out->labels = calloc(nuniq ? nuniq : 1, sizeof *out->labels);
    if (out->labels == NULL)
        goto cleanup;
    /* Labels: decode each combination's key into its parts' values. */
    for (size_t u = 0; u < nuniq; u++) {
        uint64_t k = uniq[u];
        for (size_t c = nc; c-- > 0;) {
            digits[c] = (uint32_t)(k % parts[c].radix);
            k /= parts[c].radix;
        }
        for (size_t c = 0; c < nc; c++)
            if (part_label(t, &parts[c], digits[c], &out->labels[u]) != 0)
                goto cleanup;
    }
    rc = 0;
cleanup:
    for (size_t c = 0; parts != NULL && c < nc; c++) {
        free(parts[c].rank);
        free(parts[c].order);
    }
    free(parts);
    free(digits);
    free(keys);
    free(uniq);
    if (rc == MG_ENOMEM)
        nomem(err);
    return rc;
}

/* ---- Bins and quantiles -------------------------------------------------------- */

/* x in the C locale with the fewest digits (15, else 17) that read back as x. */
static void format_number(char *buf, size_t size, double x)
{
    snprintf(buf, size, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, size, "%.17g", x);
}

/* The bin of x among nb ascending edges, x >= edges[0]. */
static size_t bin_of(const double *edges, size_t nb, double x)
{
    size_t lo = 0, hi = nb;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (edges[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A binned number column: (-inf, e0) when a value is below e0, [e0, e1), …,
 * [e_{k-1}, e_k), [e_k, inf), and (missing) when a value is missing (NaN). */
static int build_bins(const mg_suite *suite, const mg_slicing_spec *spec,
                      const mg_table *t, const unsigned char *keep, size_t left,
                      mg__slicing *out, mg_error *err)
{
    size_t n = mg_table_rows(t), nb = spec->nbins, below = 0, missing = 0, first;
    const double *x = mg_table_numbers(t, (size_t)mg_table_find(t, spec->columns[0]));
    char value[96], lo[40], hi[40];

    for (size_t i = 0; i < n; i++) {
        if (keep != NULL && !keep[i])
            continue;
        missing += isnan(x[i]) != 0;
        below += x[i] < spec->bins[0];
    }
    first = below > 0;
    out->nlevels = first + nb + (missing > 0);
    if (out->nlevels > left)
        return too_many_slices(suite, spec, left, err);
    out->code = malloc((n ? n : 1) * sizeof *out->code);
    out->labels = calloc(out->nlevels, sizeof *out->labels);
    if (out->code == NULL || out->labels == NULL)
        return nomem(err);
    for (size_t l = 0; l < out->nlevels; l++) {
        size_t b = l - first;
        format_number(lo, sizeof lo, spec->bins[b < nb ? b : 0]);
        format_number(hi, sizeof hi, spec->bins[b + 1 < nb ? b + 1 : 0]);
        if (first && l == 0)
            snprintf(value, sizeof value, "(-inf, %s)", lo);
        else if (b == nb)
            snprintf(value, sizeof value, MISSING_LABEL);
        else if (b + 1 < nb)
            snprintf(value, sizeof value, "[%s, %s)", lo, hi);
        else
            snprintf(value, sizeof value, "[%s, inf)", lo);
        if (label_append(&out->labels[l], spec->columns[0], value) != 0)
            return nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (keep != NULL && !keep[i])
            out->code[i] = MG__NO_SLICE;
        else if (isnan(x[i]))
            out->code[i] = (uint32_t)(first + nb);
        else if (x[i] < spec->bins[0])
            out->code[i] = 0;
        else
            out->code[i] = (uint32_t)(first + bin_of(spec->bins, nb, x[i]));
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A number column cut at its own quantiles (the essay above): [min, e_1), …,
 * [e_{k-1}, max], then (missing). */
static int build_quantiles(const mg_suite *suite, const mg_slicing_spec *spec,
                           const mg_table *t, const unsigned char *keep, size_t left,
                           mg__slicing *out, mg_error *err)
{
    size_t n = mg_table_rows(t), m = 0, missing = 0, k = spec->quantiles, ne = 0;
    const double *x = mg_table_numbers(t, (size_t)mg_table_find(t, spec->columns[0]));
    double *sorted = malloc((n ? n : 1) * sizeof *sorted), *edges;
    char value[96], lo[40], hi[40];

    if (sorted == NULL)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        if (keep != NULL && !keep[i])
            continue;
        if (isnan(x[i]))
            missing++;
        else
            sorted[m++] = x[i];
    }
    if (m == 0) {
        free(sorted);
        return mg_suite_error(suite, &spec->loc, err, MG_EDATA,
                              "slicing '%s': column '%s' has no values to cut into "
                              "quantiles (every value is missing)",
                              spec->name, spec->columns[0]);
    }
    qsort(sorted, m, sizeof *sorted, cmp_double);
    /* edges[0] is the minimum; then the distinct quantile edges above it. */
    edges = malloc((k + 1) * sizeof *edges);
    if (edges == NULL) {
        free(sorted);
        return nomem(err);
    }
    edges[ne++] = sorted[0];
    for (size_t j = 1; j < k; j++) {
        double e = sorted[(size_t)(((unsigned __int128)j * m) / k)];
        if (e > edges[ne - 1])
            edges[ne++] = e;
    }
    edges[ne] = sorted[m - 1];
    out->nlevels = ne + (missing > 0);
    if (out->nlevels > left) {
        free(sorted);
        free(edges);
        return too_many_slices(suite, spec, left, err);
    }
    if (ne < k) {
        char note[300];
        snprintf(note, sizeof note,
                 "slicing '%s': %zu quantile bins asked, %zu made: tied values of "
                 "'%s' stay in one bin",
                 spec->name, k, ne, spec->columns[0]);
        out->note = strdup(note);
    }
    out->code = malloc((n ? n : 1) * sizeof *out->code);
    out->labels = calloc(out->nlevels, sizeof *out->labels);
    if (out->code == NULL || out->labels == NULL || (ne < k && out->note == NULL)) {
        free(sorted);
        free(edges);
        return nomem(err);
    }
    for (size_t l = 0; l < out->nlevels; l++) {
        format_number(lo, sizeof lo, edges[l < ne ? l : 0]);
        format_number(hi, sizeof hi, edges[l < ne ? l + 1 : 0]);
        if (l == ne)
            snprintf(value, sizeof value, MISSING_LABEL);
        else
            snprintf(value, sizeof value, l + 1 < ne ? "[%s, %s)" : "[%s, %s]", lo, hi);
        if (label_append(&out->labels[l], spec->columns[0], value) != 0) {
            free(sorted);
            free(edges);
            return nomem(err);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (keep != NULL && !keep[i])
            out->code[i] = MG__NO_SLICE;
        else if (isnan(x[i]))
            out->code[i] = (uint32_t)ne;
        else
            out->code[i] = (uint32_t)bin_of(edges, ne, x[i]);
    }
    free(sorted);
    free(edges);
    return 0;
}

/* ---- Groups -------------------------------------------------------------------- */

/* Groups of a category column's values in the order written, then (other) unless
 * spec->other is 0, then (missing). Each value a group lists must occur. */
static int build_groups(const mg_suite *suite, const mg_slicing_spec *spec,
                        const mg_table *t, const unsigned char *keep, size_t left,
                        mg__slicing *out, mg_error *err)
{
    size_t n = mg_table_rows(t), ng = spec->ngroups;
    size_t col = (size_t)mg_table_find(t, spec->columns[0]),
           nl = mg_table_levels(t, col);
    const uint32_t *code = mg_table_codes(t, col);
    uint32_t *group = malloc((nl ? nl : 1) * sizeof *group);
    size_t other = ng, missing = ng + 1;
    int any_other = 0, any_missing = 0, rc = 0;
    char shown[64];

    if (group == NULL)
        return nomem(err);
    for (size_t l = 0; l < nl; l++) {
        const char *v = mg_table_level(t, col, (uint32_t)l);
        group[l] = is_marker(suite, v) ? (uint32_t)missing
                   : spec->other       ? (uint32_t)other
                                       : MG__NO_SLICE;
        for (size_t g = 0; g < ng && group[l] >= ng; g++)
            for (size_t j = 0; j < spec->groups[g].nvalues; j++)
                if (same_value(v, spec->groups[g].values[j]) && !is_marker(suite, v))
                    group[l] = (uint32_t)g;
    }
    for (size_t g = 0; g < ng && rc == 0; g++)
        for (size_t j = 0; j < spec->groups[g].nvalues && rc == 0; j++) {
            size_t l = 0;
            while (l < nl && !same_value(mg_table_level(t, col, (uint32_t)l),
                                         spec->groups[g].values[j]))
                l++;
            if (l == nl) {
                snprintf(shown, sizeof shown, "%.40s", spec->groups[g].values[j]);
                rc = mg_suite_error(suite, &spec->groups[g].loc, err, MG_EDATA,
                                    "group '%s': no row has %s=%s",
                                    spec->groups[g].name, spec->columns[0], shown);
            }
        }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (keep != NULL && !keep[i])
            continue;
        any_other |= group[code[i]] == other;
        any_missing |= group[code[i]] == missing;
    }
    if (rc != 0) {
        free(group);
        return rc;
    }
    out->nlevels = ng + (size_t)any_other + (size_t)any_missing;
    if (out->nlevels > left) {
        free(group);
        return too_many_slices(suite, spec, left, err);
    }
    out->code = malloc((n ? n : 1) * sizeof *out->code);
    out->labels = calloc(out->nlevels, sizeof *out->labels);
    if (out->code == NULL || out->labels == NULL) {
        free(group);
        return nomem(err);
    }
    for (size_t g = 0; g < ng; g++)
        if (label_append(&out->labels[g], spec->columns[0], spec->groups[g].name) != 0)
            rc = MG_ENOMEM;
    if (any_other && label_append(&out->labels[ng], spec->columns[0], "(other)") != 0)
        rc = MG_ENOMEM;
    if (any_missing && label_append(&out->labels[ng + (size_t)any_other],
                                    spec->columns[0], MISSING_LABEL) != 0)
        rc = MG_ENOMEM;
    /* (missing) moves up one place when there is no (other). */
    for (size_t i = 0; i < n; i++) {
        uint32_t g = keep != NULL && !keep[i] ? MG__NO_SLICE : group[code[i]];
        out->code[i] = g == missing && !any_other ? (uint32_t)other : g;
    }
    free(group);
    return rc == 0 ? 0 : nomem(err);
}

/* One slice: the rows a filter keeps, labelled by the filter. */
static int build_filter_only(const mg_table *t, const unsigned char *keep,
                             mg__slicing *out, mg_error *err)
{
    size_t n = mg_table_rows(t);
    out->nlevels = 1;
    out->code = malloc((n ? n : 1) * sizeof *out->code);
    out->labels = calloc(1, sizeof *out->labels);
    if (out->code == NULL || out->labels == NULL)
        return nomem(err);
    for (size_t i = 0; i < n; i++)
        out->code[i] = keep[i] ? 0 : MG__NO_SLICE;
    return 0;
}

/* ---- Building them all --------------------------------------------------------- */

/* Slicing k and, first, the slicings its cross names (resolve_crosses in
 * harness/suite.c has ruled out circles); *used counts the slices so far. */
static int build_one(const mg_suite *s, const mg_table *t, mg__slicing *sl,
                     unsigned char *state, size_t k, size_t *used, mg_error *err)
{
    const mg_slicing_spec *spec = &s->slicings[k];
    unsigned char *keep = NULL;
    char *filter = NULL;
    size_t left;
    int rc = 0;

    if (state[k])
        return 0;
    for (size_t c = 0; spec->refs && c < spec->ncolumns && rc == 0; c++)
        if (spec->refs[c] >= 0)
            rc = build_one(s, t, sl, state, (size_t)spec->refs[c], used, err);
    if (rc != 0)
        return rc;
    left = MG__SLICES_MAX - *used;
    if (spec->nwhere > 0 &&
        ((rc = filter_rows(s, t, spec->where, spec->nwhere, &spec->loc, &keep, err)) !=
             0 ||
         (rc = filter_text(spec->where, spec->nwhere, &filter)) != 0)) {
        free(keep);
        return rc == MG_ENOMEM ? nomem(err) : rc;
    }
    rc = spec->ncolumns == 0 ? build_filter_only(t, keep, &sl[k], err)
         : spec->bins        ? build_bins(s, spec, t, keep, left, &sl[k], err)
         : spec->quantiles   ? build_quantiles(s, spec, t, keep, left, &sl[k], err)
         : spec->groups      ? build_groups(s, spec, t, keep, left, &sl[k], err)
                        : build_categorical(s, spec, t, sl, keep, left, &sl[k], err);
    if (rc == 0 && spec->ncolumns == 0 && (sl[k].labels[0] = strdup(filter)) == NULL)
        rc = nomem(err);
    else if (rc == 0 && spec->ncolumns > 0 && keep != NULL &&
             finish_filtered(&sl[k], mg_table_rows(t), filter) != 0)
        rc = nomem(err);
    free(keep);
    free(filter);
    if (rc != 0)
        return rc;
    state[k] = 1;
    *used += sl[k].nlevels;
    return 0;
}

int mg__slicings_new(mg__slicing **out, const mg_suite *s, const mg_table *holdout,
                     mg_error *err)
{
    mg__slicing *sl = calloc(s->nslicings ? s->nslicings : 1, sizeof *sl);
    unsigned char *state = calloc(s->nslicings ? s->nslicings : 1, 1);
    mg__c_numeric scope = {0};
    size_t used = 1; /* the overall slice */
    int rc = 0;

    *out = NULL;
    if (sl == NULL || state == NULL || mg__c_numeric_begin(&scope) != 0) {
        free(sl);
        free(state);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < s->nslicings && rc == 0; k++)
        rc = build_one(s, holdout, sl, state, k, &used, err);
    mg__c_numeric_end(&scope);
    free(state);
    if (rc != 0) {
        mg__slicings_free(sl, s->nslicings);
        return rc;
    }
    *out = sl;
    return 0;
}

int mg__slicing_restrict(mg__slicing *out, const mg_suite *s, const mg_table *holdout,
                         const mg__slicing *base, const mg_test_spec *t, size_t used,
                         mg_error *err)
{
    size_t n = mg_table_rows(holdout);
    mg__c_numeric scope = {0};
    unsigned char *keep = NULL;
    char *filter = NULL, what[MG_ERROR_MESSAGE_MAX / 2];
    int rc;

    memset(out, 0, sizeof *out);
    if (mg__c_numeric_begin(&scope) != 0)
        return nomem(err);
    if ((rc = filter_rows(s, holdout, t->where, t->nwhere, &t->where_loc, &keep,
                          err)) != 0)
        goto cleanup;
    if (filter_text(t->where, t->nwhere, &filter) != 0)
        goto oom;
    if (base == NULL) {
        if ((rc = build_filter_only(holdout, keep, out, err)) != 0)
            goto cleanup;
        if ((out->labels[0] = strdup(filter)) == NULL)
            goto oom;
    } else {
        out->nlevels = base->nlevels;
        out->code = malloc((n ? n : 1) * sizeof *out->code);
        out->labels = calloc(base->nlevels ? base->nlevels : 1, sizeof *out->labels);
        if (out->code == NULL || out->labels == NULL)
            goto oom;
        for (size_t l = 0; l < base->nlevels; l++)
            if ((out->labels[l] = strdup(base->labels[l])) == NULL)
                goto oom;
        for (size_t i = 0; i < n; i++)
            out->code[i] = keep[i] ? base->code[i] : MG__NO_SLICE;
        if (finish_filtered(out, n, filter) != 0)
            goto oom;
    }
    if (out->nlevels > MG__SLICES_MAX - used) {
        snprintf(what, sizeof what, "test '%s' with its filter (where)", t->name);
        rc = too_many(s, &t->where_loc, what, "filter less, or slice more coarsely",
                      MG__SLICES_MAX - used, err);
        goto cleanup;
    }
    rc = 0;
    goto cleanup;
oom:
    rc = nomem(err);
cleanup:
    mg__c_numeric_end(&scope);
    free(keep);
    free(filter);
    if (rc != 0) {
        slicing_free(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* A label's parts: split at " × " (or " & ") and trimmed, in *parts (borrowed from
 * buf, which the label is copied into). */
static size_t label_parts(const char *label, char *buf, size_t size, char **parts,
                          size_t max)
{
    size_t np = 0;
    char *p = buf;
    snprintf(buf, size, "%s", label);
    while (np < max) {
        char *cut = strstr(p, " \xc3\x97 "), *amp = strstr(p, " & ");
        size_t skip = 4;
        if (amp != NULL && (cut == NULL || amp < cut))
            cut = amp, skip = 3;
        while (*p == ' ')
            p++;
        parts[np++] = p;
        if (cut == NULL)
            break;
        *cut = '\0';
        p = cut + skip;
    }
    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(parts[i]);
        while (len > 0 && parts[i][len - 1] == ' ')
            parts[i][--len] = '\0';
    }
    return np;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

long mg__slicing_find(const mg__slicing *sl, const char *name)
{
    char want[1024], have[1024], *wp[32], *hp[32];
    size_t nw = label_parts(name, want, sizeof want, wp, 32);

    qsort(wp, nw, sizeof *wp, cmp_str);
    for (size_t l = 0; l < sl->nlevels; l++) {
        size_t nh;
        int same;
        if (strcmp(sl->labels[l], name) == 0)
            return (long)l;
        nh = label_parts(sl->labels[l], have, sizeof have, hp, 32);
        if (nh != nw)
            continue;
        qsort(hp, nh, sizeof *hp, cmp_str);
        same = 1;
        for (size_t i = 0; i < nh && same; i++)
            same = strcmp(wp[i], hp[i]) == 0;
        if (same)
            return (long)l;
    }
    return -1;
}

int mg__slicing_members(mg__slicing *sl, size_t n, size_t level, const uint32_t **rows,
                        size_t *count)
{
    if (level >= sl->nlevels)
        return MG_EINVAL;
    if (sl->rows == NULL) {
        /* A counting sort of the rows by code: start[k] counts the rows before
         * slice k, and filling moves each start[k] on to start[k + 1]. */
        size_t *start = calloc(sl->nlevels + 1, sizeof *start);
        uint32_t *order = malloc((n ? n : 1) * sizeof *order);
        if (start == NULL || order == NULL) {
            free(start);
            free(order);
            return MG_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            if (sl->code[i] != MG__NO_SLICE)
                start[sl->code[i] + 1]++;
        for (size_t k = 0; k < sl->nlevels; k++)
            start[k + 1] += start[k];
        for (size_t i = 0; i < n; i++)
            if (sl->code[i] != MG__NO_SLICE)
                order[start[sl->code[i]]++] = (uint32_t)i;
        for (size_t k = sl->nlevels; k > 0; k--)
            start[k] = start[k - 1];
        start[0] = 0;
        sl->rows = order;
        sl->start = start;
    }
    *rows = sl->rows + sl->start[level];
    *count = sl->start[level + 1] - sl->start[level];
    return 0;
}
