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
}

void mg__slicings_free(mg__slicing *slicings, size_t n)
{
    for (size_t k = 0; slicings != NULL && k < n; k++)
        slicing_free(&slicings[k]);
    free(slicings);
}

/* Append "name=value" (and " × " between parts) to a growing label. */
static int label_append(char **label, const char *name, const char *value)
{
    size_t old = *label ? strlen(*label) : 0;
    size_t add = strlen(name) + strlen(value) + 8;
    char *s = realloc(*label, old + add);
    if (s == NULL)
        return MG_ENOMEM;
    snprintf(s + old, add, "%s%s=%s", old ? " \xc3\x97 " : "", name, value);
    *label = s;
    return 0;
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
 * The error for a slicing with more than `left` slices, `left` being what its
 * predecessors (`used` slices in all, the overall slice included) leave of
 * MG__SLICES_MAX.
 */
static int too_many_slices(const mg_suite *suite, const mg_slicing_spec *spec,
                           size_t left, mg_error *err)
{
    char a[32], b[32], c[32];
    size_t used = MG__SLICES_MAX - left;
    const char *remedy =
        spec->bins ? "use fewer bins"
        : spec->ncolumns > 1
            ? "cross columns with fewer distinct values"
            : "slice by a column with fewer distinct values, or bin a number column";

    if (used <= 1)
        return mg_suite_error(suite, &spec->loc, err, MG_EDATA,
                              "slicing '%s' has more than %s slice%s; a run may have "
                              "at most %s, the overall slice included: %s",
                              spec->name, grouped(a, sizeof a, left),
                              left == 1 ? "" : "s",
                              grouped(b, sizeof b, MG__SLICES_MAX), remedy);
    return mg_suite_error(
        suite, &spec->loc, err, MG_EDATA,
        "slicing '%s' has more than %s slice%s, what is left of the %s "
        "a run may have after the overall slice and the %s of earlier "
        "slicings: %s",
        spec->name, grouped(a, sizeof a, left), left == 1 ? "" : "s",
        grouped(b, sizeof b, MG__SLICES_MAX), grouped(c, sizeof c, used - 1), remedy);
}

/* A categorical slicing over one column or the cross of several, of at most
 * `left` slices. */
static int build_categorical(const mg_suite *suite, const mg_slicing_spec *spec,
                             const mg_table *t, size_t left, mg__slicing *out,
                             mg_error *err)
{
    size_t n = mg_table_rows(t), nc = spec->ncolumns;
    long *cols = calloc(nc, sizeof *cols);
    uint32_t **ranks = calloc(nc, sizeof *ranks);
    uint32_t **orders = calloc(nc, sizeof *orders);
    size_t *radix = calloc(nc, sizeof *radix);
    uint32_t *parts = calloc(nc, sizeof *parts);
    uint64_t *keys = NULL, *uniq = NULL;
    size_t nuniq = 0;
    long double space = 1;
    int rc = MG_ENOMEM;

    if (cols == NULL || ranks == NULL || orders == NULL || radix == NULL ||
        parts == NULL)
        goto cleanup;
    /* Every level of a column occurs in some row, so a column's levels bound the
     * slicing's slices from below: too many is known before any work. */
    for (size_t c = 0; c < nc; c++) {
        cols[c] = mg_table_find(t, spec->columns[c]);
        radix[c] = mg_table_levels(t, (size_t)cols[c]);
        if (radix[c] > left + suite->data.nmissing) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
    }
    /* The missing markers share one rank, so a column's radix is its ranks. */
    for (size_t c = 0; c < nc; c++) {
        if ((rc = level_ranks(suite, t, (size_t)cols[c], &ranks[c], &orders[c],
                              &radix[c])) != 0)
            goto cleanup;
        space *= radix[c];
        if (radix[c] > left) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
    }
    if (space > 1e18) {
        rc = mg_suite_error(suite, &spec->loc, err, MG_EDATA,
                            "the cross has too many combinations");
        goto cleanup;
    }
    keys = malloc(n * sizeof *keys);
    uniq = malloc(n * sizeof *uniq);
    out->code = malloc(n * sizeof *out->code);
    if (keys == NULL || uniq == NULL || out->code == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = 0;
        for (size_t c = 0; c < nc; c++)
            k = k * radix[c] + ranks[c][mg_table_codes(t, (size_t)cols[c])[i]];
        keys[i] = uniq[i] = k;
    }
    if (space <= (long double)DIRECT_SPACE) {
        /* A small key space (the usual case: a column, or a cross of a few
         * columns): mark the keys present, number them in order. */
        uint32_t *index = malloc((size_t)space * sizeof *index);
        if (index == NULL) {
            rc = MG_ENOMEM;
            goto cleanup;
        }
        memset(index, 0xff, (size_t)space * sizeof *index);
        for (size_t i = 0; i < n; i++)
            index[keys[i]] = 0;
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
            out->code[i] = index[keys[i]];
        free(index);
    } else {
        qsort(uniq, n, sizeof *uniq, cmp_u64);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || uniq[i] != uniq[i - 1])
                uniq[nuniq++] = uniq[i];
        if (nuniq > left) {
            rc = too_many_slices(suite, spec, left, err);
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = nuniq;
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
    if (out->labels == NULL) {
        rc = MG_ENOMEM;
        goto cleanup;
    }
    /* Labels: decode each combination's key into ranks, each rank into its level. */
    for (size_t u = 0; u < nuniq; u++) {
        uint64_t k = uniq[u];
        for (size_t c = nc; c-- > 0;) {
            parts[c] = (uint32_t)(k % radix[c]);
            k /= radix[c];
        }
        for (size_t c = 0; c < nc; c++)
            if (label_append(&out->labels[u], spec->columns[c],
                             orders[c][parts[c]] == UINT32_MAX
                                 ? MISSING_LABEL
                                 : mg_table_level(t, (size_t)cols[c],
                                                  orders[c][parts[c]])) != 0) {
                rc = MG_ENOMEM;
                goto cleanup;
            }
    }
    rc = 0;
cleanup:
    for (size_t c = 0; c < nc; c++) {
        if (ranks)
            free(ranks[c]);
        if (orders)
            free(orders[c]);
    }
    free(ranks);
    free(orders);
    free(cols);
    free(radix);
    free(parts);
    free(keys);
    free(uniq);
    if (rc == MG_ENOMEM)
        mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory building slices");
    return rc;
}

/* A binned number column: (-inf, e0) when a value is below e0, [e0, e1), …,
 * [e_{k-1}, e_k), [e_k, inf), and (missing) when a value is missing (NaN). */
static int build_bins(const mg_suite *suite, const mg_slicing_spec *spec,
                      const mg_table *t, size_t left, mg__slicing *out, mg_error *err)
{
    size_t n = mg_table_rows(t), nb = spec->nbins, below = 0, missing = 0, first;
    const double *x = mg_table_numbers(t, (size_t)mg_table_find(t, spec->columns[0]));
    char value[96];

    for (size_t i = 0; i < n; i++) {
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
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0,
                            "out of memory building slices");
    for (size_t l = 0; l < out->nlevels; l++) {
        size_t b = l - first;
        if (first && l == 0)
            snprintf(value, sizeof value, "(-inf, %.15g)", spec->bins[0]);
        else if (b == nb)
            snprintf(value, sizeof value, MISSING_LABEL);
        else if (b + 1 < nb)
            snprintf(value, sizeof value, "[%.15g, %.15g)", spec->bins[b],
                     spec->bins[b + 1]);
        else
            snprintf(value, sizeof value, "[%.15g, inf)", spec->bins[b]);
        if (label_append(&out->labels[l], spec->columns[0], value) != 0)
            return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = nb;
        if (isnan(x[i])) {
            out->code[i] = (uint32_t)(first + nb);
            continue;
        }
        if (x[i] < spec->bins[0]) {
            out->code[i] = 0;
            continue;
        }
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (spec->bins[mid] <= x[i])
                lo = mid;
            else
                hi = mid;
        }
        out->code[i] = (uint32_t)(first + lo);
    }
    return 0;
}

int mg__slicings_new(mg__slicing **out, const mg_suite *s, const mg_table *holdout,
                     mg_error *err)
{
    mg__slicing *sl = calloc(s->nslicings ? s->nslicings : 1, sizeof *sl);
    mg__c_numeric scope = {0};
    size_t used = 1; /* the overall slice */
    int rc;

    *out = NULL;
    if (sl == NULL || mg__c_numeric_begin(&scope) != 0) {
        free(sl);
        return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < s->nslicings; k++) {
        const mg_slicing_spec *spec = &s->slicings[k];
        size_t left = MG__SLICES_MAX - used;
        rc = spec->bins ? build_bins(s, spec, holdout, left, &sl[k], err)
                        : build_categorical(s, spec, holdout, left, &sl[k], err);
        if (rc != 0) {
            mg__c_numeric_end(&scope);
            mg__slicings_free(sl, k + 1);
            return rc;
        }
        used += sl[k].nlevels;
    }
    mg__c_numeric_end(&scope);
    *out = sl;
    return 0;
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
