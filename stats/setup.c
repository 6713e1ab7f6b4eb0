/*
 * The bootstrap engine's setup: the plan every replicate and the jackknife read,
 * built once per run by mg__plan_build before any thread starts (the driver,
 * stats/engine.c, says why the plan has the shape it has; this file says how each
 * part is made).
 *
 * In the order they are built:
 *
 * - canonical rows: with keys (mg__engine_id_key, an FNV-1a hash of the row's id
 *   mixed by mg__mix64), a copy of the dataset sorted by key with a stable LSD
 *   radix sort on four 16-bit digits, so that every later loop runs in canonical
 *   order and reads memory sequentially; without keys the rows' own order is
 *   canonical and nothing is copied;
 * - slice ids: nsid = slicings + 1 uint16_t per row (0 is the whole holdout set,
 *   then offset(k) + code, the sink for rows outside a binned slicing's bins), and
 *   the rows of each slice counted as they are numbered;
 * - atoms: rows equal in label, every model's prediction, every slice id and the
 *   cluster, grouped with an open-addressing table (linear probing, load at most
 *   one half) of representative rows, then renumbered positives first;
 * - units: every row's unit slot and the draw ranges (one, or one per class when
 *   stratified), and unit_key, from which a Poisson weight is derived;
 * - cells: the distinct tuples of slice ids, numbered through a second
 *   open-addressing table sized for MAX_CELLS; past that many, use_cells is 0 and
 *   a pass adds each row to every slicing's slice instead;
 * - sorted rows (only when a metric needs ranks, or with the Poisson resampler's
 *   row pass): each model's rows by descending score, by an LSD radix sort of an
 *   order-preserving 64-bit key (Knuth, TAOCP vol. 3, §5.2.5), stable and started
 *   from the canonical order so that ties stay in it, with tie groups flagged, the
 *   rows alone in their slice within a tie group marked, and each row's unit slot,
 *   slice ids, cell and per-row losses copied beside it so a pass reads one array
 *   per model in order.
 *
 * Caveats: row indices and atom and unit numbers are uint32_t (the driver refuses
 * more than UINT32_MAX rows); the radix sorts take O(n) extra memory and a
 * 65,537-entry count table; descending_key preserves order for finite doubles only,
 * which is what the engine is given. Atom order changes no result, since only integer
 * counts are summed per atom. mg__plan_free frees whatever part of a plan was
 * built, so a failure anywhere leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include "stats/engine.h"
#include "stats/engine_internal.h"
#include "stats/rng.h"

#define MAX_CELLS 16384 /* beyond this, sums go straight to the slices */

/* ---- Confusion atoms ----------------------------------------------------- */

static uint64_t row_key_hash(const mg__plan *p, size_t i)
{
    const mg__dataset *d = p->d;
    uint64_t h = mg__mix64(d->label[i]);
    for (size_t m = 0; m < p->M; m++)
        h = mg__mix64(h ^ (uint64_t)(d->score[m][i] >= d->threshold[m]) ^ (m << 1));
    for (size_t k = 0; k < p->nsid; k++)
        h = mg__mix64(h ^ p->row_sid[i * p->nsid + k]);
    if (d->cluster)
        h = mg__mix64(h ^ ((uint64_t)d->cluster[i] << 20));
    return h;
}

static int same_atom(const mg__plan *p, size_t i, size_t j)
{
    const mg__dataset *d = p->d;
    if (d->label[i] != d->label[j])
        return 0;
    for (size_t m = 0; m < p->M; m++)
        if ((d->score[m][i] >= d->threshold[m]) != (d->score[m][j] >= d->threshold[m]))
            return 0;
    if (memcmp(&p->row_sid[i * p->nsid], &p->row_sid[j * p->nsid],
               p->nsid * sizeof(uint16_t)) != 0)
        return 0;
    return d->cluster == NULL || d->cluster[i] == d->cluster[j];
}

/*
 * Group rows into atoms with an open-addressing table of representative rows;
 * row_atom (n) receives each row's atom.
 */
static int build_atoms(mg__plan *p, uint32_t *row_atom, mg_error *err)
{
    size_t cap = 1024, used = 0, n = p->n;
    uint32_t *table = NULL, *count = NULL, *rep = NULL, *renumber = NULL;
    int rc = MG_ENOMEM;

    table = malloc(cap * sizeof *table);
    count = mg__xcalloc(n, sizeof *count);
    rep = mg__xcalloc(n, sizeof *rep);
    renumber = mg__xcalloc(n, sizeof *renumber);
    if (table == NULL || count == NULL || rep == NULL || renumber == NULL)
        goto cleanup;
    memset(table, 0xff, cap * sizeof *table);
    for (size_t i = 0; i < n; i++) {
        size_t h;
        if (2 * (used + 1) > cap) {
            uint32_t *bigger = malloc(2 * cap * sizeof *bigger);
            if (bigger == NULL)
                goto cleanup;
            memset(bigger, 0xff, 2 * cap * sizeof *bigger);
            for (size_t a = 0; a < used; a++) {
                size_t g = row_key_hash(p, rep[a]) & (2 * cap - 1);
                while (bigger[g] != UINT32_MAX)
                    g = (g + 1) & (2 * cap - 1);
                bigger[g] = (uint32_t)a;
            }
            free(table);
            table = bigger;
            cap *= 2;
        }
        h = row_key_hash(p, i) & (cap - 1);
        while (table[h] != UINT32_MAX && !same_atom(p, rep[table[h]], i))
            h = (h + 1) & (cap - 1);
        if (table[h] == UINT32_MAX) {
            table[h] = (uint32_t)used;
            rep[used++] = (uint32_t)i;
        }
        count[table[h]]++;
        row_atom[i] = table[h];
    }

    /* Order atoms: positives first, otherwise first-seen. Only integer counts are
     * summed over atoms, so their order does not change any result. */
    p->natoms = used;
    p->atom_count = mg__xcalloc(used, sizeof *p->atom_count);
    p->atom_rep = mg__xcalloc(used, sizeof *p->atom_rep);
    p->atom_unit = mg__xcalloc(used, sizeof *p->atom_unit);
    if (!p->atom_count || !p->atom_rep || !p->atom_unit)
        goto cleanup;
    {
        size_t k = 0;
        for (int pass = 1; pass >= 0; pass--)
            for (size_t a = 0; a < used; a++)
                if (p->d->label[rep[a]] == pass) {
                    p->atom_count[k] = count[a];
                    p->atom_rep[k] = rep[a];
                    p->atom_unit[k] = p->d->cluster ? p->d->cluster[rep[a]] : 0;
                    if (pass == 1)
                        p->natoms_pos++;
                    renumber[a] = (uint32_t)k++;
                }
        for (size_t i = 0; i < n; i++)
            row_atom[i] = renumber[row_atom[i]];
    }
    rc = 0;
cleanup:
    free(table);
    free(count);
    free(rep);
    free(renumber);
    if (rc)
        mg__engine_nomem(err);
    return rc;
}

/* ---- Resampling units ----------------------------------------------------- */

uint64_t mg__engine_id_key(const char *id)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        h = (h ^ *c) * 0x100000001b3ULL;
    return mg__mix64(h);
}

/*
 * A stable LSD radix sort on the 64-bit key KEY(item), ascending, in four passes of
 * 16-bit digits: equal keys keep their order. After an even number of passes the
 * result is back in `items`. Defined once per item type.
 */
#define MG__RADIX_SORT(name, type, KEY)                                                \
    static int name(type *items, size_t n)                                             \
    {                                                                                  \
        type *tmp = malloc((n ? n : 1) * sizeof *tmp), *src = items, *dst = tmp;       \
        size_t *count = malloc(65537 * sizeof *count);                                 \
        if (tmp == NULL || count == NULL) {                                            \
            free(tmp);                                                                 \
            free(count);                                                               \
            return MG_ENOMEM;                                                          \
        }                                                                              \
        for (int pass = 0; pass < 4; pass++) {                                         \
            int shift = 16 * pass;                                                     \
            memset(count, 0, 65537 * sizeof *count);                                   \
            for (size_t i = 0; i < n; i++)                                             \
                count[((KEY(src[i]) >> shift) & 0xffff) + 1]++;                        \
            for (size_t b = 0; b < 65536; b++)                                         \
                count[b + 1] += count[b];                                              \
            for (size_t i = 0; i < n; i++)                                             \
                dst[count[(KEY(src[i]) >> shift) & 0xffff]++] = src[i];                \
            type *t = src;                                                             \
            src = dst;                                                                 \
            dst = t;                                                                   \
        }                                                                              \
        free(tmp);                                                                     \
        free(count);                                                                   \
        return 0;                                                                      \
    }

/* Ascending by id key, equal keys in row order. */
#define MG__ID_KEY(item) ((item).key)
MG__RADIX_SORT(radix_sort_keys, mg__key_item, MG__ID_KEY)

/*
 * A copy of the dataset with its rows in key order (p->canon, owned by the plan),
 * so that every later loop over rows runs in canonical order and reads memory
 * sequentially. Without keys the rows' own order is canonical and nothing is
 * copied.
 */
static int canonical_rows(mg__plan *p, const mg__dataset *d)
{
    const size_t n = d->n, M = d->nmodels, K = d->nslicings;
    mg__key_item *items = NULL;
    double **score = NULL;
    uint32_t **code = NULL;
    int rc = MG_ENOMEM;

    p->d = d;
    p->canonical = 1;
    if (d->key == NULL)
        return 0;
    p->canon = *d;
    p->d = &p->canon;
    items = malloc((n ? n : 1) * sizeof *items);
    p->canon.score = (const double *const *)(score = mg__xcalloc(M, sizeof *score));
    p->canon.slice_code =
        (const uint32_t *const *)(code = mg__xcalloc(K, sizeof *code));
    if (items == NULL || score == NULL || code == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        items[i] = (mg__key_item){d->key[i], (uint32_t)i};
    if (radix_sort_keys(items, n) != 0)
        goto cleanup;
    {
        unsigned char *label = malloc(n);
        uint64_t *key = malloc(n * sizeof *key);
        uint32_t *cluster = d->cluster ? malloc(n * sizeof *cluster) : NULL;
        p->canon.label = label;
        p->canon.key = key;
        p->canon.cluster = cluster;
        if (label == NULL || key == NULL || (d->cluster && cluster == NULL))
            goto cleanup;
        for (size_t t = 0; t < n; t++) {
            label[t] = d->label[items[t].row];
            key[t] = items[t].key;
            if (cluster)
                cluster[t] = d->cluster[items[t].row];
        }
    }
    for (size_t m = 0; m < M; m++) {
        if ((score[m] = malloc(n * sizeof **score)) == NULL)
            goto cleanup;
        for (size_t t = 0; t < n; t++)
            score[m][t] = d->score[m][items[t].row];
    }
    for (size_t k = 0; k < K; k++) {
        if ((code[k] = malloc(n * sizeof **code)) == NULL)
            goto cleanup;
        for (size_t t = 0; t < n; t++)
            code[k][t] = d->slice_code[k][items[t].row];
    }
    rc = 0;
cleanup:
    free(items);
    return rc;
}

static void canonical_free(mg__plan *p)
{
    if (p->d != &p->canon)
        return;
    for (size_t m = 0; p->canon.score && m < p->canon.nmodels; m++)
        free((void *)p->canon.score[m]);
    for (size_t k = 0; p->canon.slice_code && k < p->canon.nslicings; k++)
        free((void *)p->canon.slice_code[k]);
    free((void *)p->canon.score);
    free((void *)p->canon.slice_code);
    free((void *)p->canon.label);
    free((void *)p->canon.key);
    free((void *)p->canon.cluster);
}

/*
 * The canonical order of the rows (by key, or by index without keys; the identity
 * when p->d is canonical already), and every row's unit slot: clusters are their own
 * units; otherwise slots follow the canonical order, positives first when stratified,
 * so that each stratum is one contiguous range to draw over. unit_key is what a Poisson
 * weight is derived from: the row's key (its index without keys).
 */
int mg__plan_units(mg__plan *p, const uint32_t *row_atom)
{
    const mg__dataset *d = p->d;
    const size_t n = p->n;
    mg__key_item *items = malloc((n ? n : 1) * sizeof *items);
    int rc = MG_ENOMEM;

    p->order = malloc((n ? n : 1) * sizeof *p->order);
    p->row_slot = malloc((n ? n : 1) * sizeof *p->row_slot);
    if (items == NULL || p->order == NULL || p->row_slot == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        items[i].key = d->key ? d->key[i] : (uint64_t)i;
        items[i].row = (uint32_t)i;
    }
    if (d->key != NULL && !p->canonical && radix_sort_keys(items, n) != 0)
        goto cleanup;
    for (size_t t = 0; t < n; t++)
        p->order[t] = items[t].row;
    if (d->cluster != NULL) {
        for (size_t i = 0; i < n; i++)
            p->row_slot[i] = d->cluster[i];
        p->units = d->nclusters;
        p->ranges[0] = (mg__draw_range){0, d->nclusters, d->nclusters};
        p->nranges = 1;
    } else {
        size_t npos = 0, kp = 0, kn;
        int strat = p->o->stratify == MG__ENGINE_STRATIFY_LABEL;
        for (size_t i = 0; i < n; i++)
            npos += d->label[i];
        kn = strat ? npos : 0;
        for (size_t t = 0; t < n; t++) {
            uint32_t r = p->order[t];
            p->row_slot[r] = (uint32_t)(strat && d->label[r] ? kp++ : kn++);
        }
        p->units = n;
        if (strat) {
            p->ranges[0] = (mg__draw_range){0, npos, npos};
            p->ranges[1] = (mg__draw_range){npos, n, n - npos};
            p->nranges = 2;
        } else {
            p->ranges[0] = (mg__draw_range){0, n, n};
            p->nranges = 1;
        }
    }
    p->unit_key = malloc((p->units ? p->units : 1) * sizeof *p->unit_key);
    p->unit_atom = malloc((p->units ? p->units : 1) * sizeof *p->unit_atom);
    if (p->unit_key == NULL || p->unit_atom == NULL)
        goto cleanup;
    /* Mixed once here rather than once per replicate. */
    for (size_t u = 0; u < p->units; u++)
        p->unit_key[u] = mg__mix64((uint64_t)u); /* clusters: their code */
    if (d->cluster == NULL)
        for (size_t i = 0; i < n; i++) {
            p->unit_key[p->row_slot[i]] = mg__mix64(d->key ? d->key[i] : (uint64_t)i);
            p->unit_atom[p->row_slot[i]] = row_atom ? row_atom[i] : 0;
        }
    rc = 0;
cleanup:
    free(items);
    return rc;
}

/* ---- Curve atoms ---------------------------------------------------------- */

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The first of the G descending thresholds that `score` reaches (it reaches the
 * last, the smallest score, always). */
static size_t curve_bin(const double *thr, size_t G, double score)
{
    size_t lo = 0, hi = G - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (score >= thr[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/*
 * Thresholds: every distinct score when there are at most G of them; otherwise the
 * scores at ranks ceil(g·n/G) − 1, g = 1 … G, of the descending order (distinct ones
 * kept), so each bin holds about n/G rows and the last threshold is the smallest
 * score. Every threshold is a score, so every grid point is a vertex of the exact
 * empirical curve; between two, the curve is drawn straight.
 */
int mg__plan_curves(mg__plan *p)
{
    const mg__dataset *d = p->d;
    mg__engine *e = p->e;
    const size_t n = p->n, G = e->G;
    const size_t len = p->d->cluster ? n : p->units;
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);

    p->curve_by_row = d->cluster != NULL;
    p->curve_code = malloc((p->M * len > 0 ? p->M * len : 1) * sizeof *p->curve_code);
    if (sorted == NULL || p->curve_code == NULL) {
        free(sorted);
        return MG_ENOMEM;
    }
    for (size_t m = 0; m < p->M; m++) {
        double *thr = &e->curve_thr[m * G], *est = &e->curve_est[m * 2 * G];
        uint16_t *code = &p->curve_code[m * len];
        size_t distinct = 0, k = 0;
        memcpy(sorted, d->score[m], n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, descending);
        for (size_t i = 0; i < n; i++)
            distinct += i == 0 || sorted[i] != sorted[i - 1];
        for (size_t i = 0; i < n; i++) {
            double t;
            if (distinct <= G) {
                if (i > 0 && sorted[i] == sorted[i - 1])
                    continue;
                t = sorted[i];
            } else {
                size_t g = i + 1; /* rank ceil(g·n/G) − 1 for g = 1 … G */
                if (g > G)
                    break;
                t = sorted[(g * n + G - 1) / G - 1];
                if (k > 0 && t == thr[k - 1])
                    continue;
            }
            thr[k++] = t;
        }
        e->curve_n[m] = k;
        for (size_t i = 0; i < n; i++) {
            size_t bin = curve_bin(thr, k, d->score[m][i]);
            uint16_t c = (uint16_t)(2 * bin + (d->label[i] ? 0 : 1));
            code[p->curve_by_row ? i : p->row_slot[i]] = c;
            est[c] += 1;
        }
        for (size_t c = 2; c < 2 * k; c++) /* counts at or above each threshold */
            est[c] += est[c - 2];
    }
    free(sorted);
    return 0;
}

/* ---- Cells --------------------------------------------------------------- */

static uint64_t sid_hash(const uint16_t *sid, size_t nsid)
{
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (size_t k = 0; k < nsid; k++)
        h = mg__mix64(h ^ sid[k]);
    return h;
}

/* Number the distinct slice-id tuples; give up (use_cells = 0) past MAX_CELLS. */
static int build_cells(mg__plan *p, mg_error *err)
{
    size_t cap = 2 * MAX_CELLS * 2, nsid = p->nsid;
    uint32_t *table = malloc(cap * sizeof *table);
    int rc = MG_ENOMEM;

    p->row_cell = malloc(p->n * sizeof *p->row_cell);
    p->cell_sid = malloc(MAX_CELLS * nsid * sizeof *p->cell_sid);
    if (table == NULL || p->row_cell == NULL || p->cell_sid == NULL)
        goto cleanup;
    memset(table, 0xff, cap * sizeof *table);
    p->ncells = 0;
    p->use_cells = 1;
    for (size_t i = 0; i < p->n; i++) {
        const uint16_t *sid = &p->row_sid[i * nsid];
        size_t h = sid_hash(sid, nsid) & (cap - 1);
        while (table[h] != UINT32_MAX &&
               memcmp(&p->cell_sid[(size_t)table[h] * nsid], sid, nsid * sizeof *sid))
            h = (h + 1) & (cap - 1);
        if (table[h] == UINT32_MAX) {
            if (p->ncells == MAX_CELLS) {
                p->use_cells = 0;
                break;
            }
            memcpy(&p->cell_sid[p->ncells * nsid], sid, nsid * sizeof *sid);
            table[h] = (uint32_t)p->ncells++;
        }
        p->row_cell[i] = table[h];
    }
    rc = 0;
cleanup:
    free(table);
    if (rc)
        mg__engine_nomem(err);
    return rc;
}

/* ---- Sorted rows --------------------------------------------------------- */

typedef struct sort_item {
    double score;
    uint32_t row;
} sort_item;

/* A key whose unsigned order is descending score order (for finite doubles). */
static uint64_t descending_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    u = (u >> 63) ? ~u : u | (1ULL << 63);
    return ~u;
}

/*
 * Sort by descending score, ties in row order: an LSD radix sort on 16-bit digits,
 * stable, so rows that tie keep their order. Four passes over the data instead of
 * n log n comparisons; `tmp` has room for n items.
 */
#define MG__DESCENDING_KEY(item) descending_key((item).score)
MG__RADIX_SORT(radix_sort_desc, sort_item, MG__DESCENDING_KEY)

int mg__sort_descending(const double *score, const uint32_t *rows, size_t n,
                        uint32_t *out)
{
    sort_item *items = malloc((n ? n : 1) * sizeof *items);
    if (items == NULL)
        return MG_ENOMEM;
    for (size_t t = 0; t < n; t++)
        items[t] = (sort_item){score[rows ? rows[t] : t], (uint32_t)t};
    if (radix_sort_desc(items, n) != 0) {
        free(items);
        return MG_ENOMEM;
    }
    for (size_t t = 0; t < n; t++)
        out[t] = items[t].row;
    free(items);
    return 0;
}

static void free_sorted(mg__plan *p)
{
    if (p->sorted == NULL)
        return;
    for (size_t m = 0; m < p->M; m++) {
        mg__sorted_model *s = &p->sorted[m];
        free(s->slot);
        free(s->row);
        free(s->flags);
        free(s->sid);
        free(s->ll);
        free(s->br);
        free(s->cell);
        free(s->alone);
    }
    free(p->sorted);
    p->sorted = NULL;
}

/*
 * Within a group of tied scores, a row whose slice (in some slicing) holds no other
 * row of the group is, in that slice, not tied at all. Ties across slices are common
 * (two rows with equal scores in different regions), ties within a slice rarer, so
 * marking these rows lets the pass settle most of a group's updates directly.
 */
static void mark_alone(const mg__plan *p, mg__sorted_model *s)
{
    const size_t n = p->n, nsid = p->nsid, kmax = nsid < 32 ? nsid : 32;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (s->flags[j] & MG__FLAG_TIED))
            j++;
        for (size_t t = i; t < j; t++) {
            uint32_t mask = 0;
            for (size_t k = 0; k < kmax; k++) {
                int shared = 0;
                /* Long groups are left to the scratch path wholesale. */
                if (j - i > 64)
                    break;
                for (size_t u = i; u < j && !shared; u++)
                    shared = u != t && s->sid[u * nsid + k] == s->sid[t * nsid + k];
                if (!shared)
                    mask |= 1u << k;
            }
            s->alone[t] = mask;
        }
        i = j;
    }
}

/*
 * Sort each model once, ties in the canonical order (the sort is stable and starts
 * from that order), so that sums over a model's rows run in an order that depends
 * on neither the file's row order nor the other models and slicings.
 */
static int build_sorted(mg__plan *p, mg_error *err)
{
    const mg__dataset *d = p->d;
    size_t n = p->n;
    sort_item *items = malloc(n * sizeof *items);
    int rc = MG_ENOMEM;

    p->sorted = mg__xcalloc(p->M, sizeof *p->sorted);
    if (items == NULL || p->sorted == NULL)
        goto cleanup;
    for (size_t m = 0; m < p->M; m++) {
        mg__sorted_model *s = &p->sorted[m];
        s->slot = malloc(n * sizeof *s->slot);
        s->row = malloc(n * sizeof *s->row);
        s->flags = malloc(n);
        s->sid = malloc(n * p->nsid * sizeof *s->sid);
        s->ll = malloc(n * sizeof *s->ll);
        s->br = malloc(n * sizeof *s->br);
        s->cell = malloc(n * sizeof *s->cell);
        s->alone = calloc(n ? n : 1, sizeof *s->alone);
        if (!s->slot || !s->row || !s->flags || !s->sid || !s->ll || !s->br ||
            !s->cell || !s->alone)
            goto cleanup;
        for (size_t t = 0; t < n; t++) {
            items[t].score = d->score[m][p->order[t]];
            items[t].row = p->order[t];
        }
        if (radix_sort_desc(items, n) != 0)
            goto cleanup;
        for (size_t i = 0; i < n; i++) {
            uint32_t r = items[i].row;
            int y = d->label[r];
            double sc = d->score[m][r];
            s->row[i] = r;
            s->slot[i] = p->row_slot[r];
            s->flags[i] =
                (uint8_t)((y ? MG__FLAG_LABEL : 0) |
                          (i > 0 && items[i - 1].score == sc ? MG__FLAG_TIED : 0) |
                          (sc >= d->threshold[m] ? MG__FLAG_PRED : 0));
            memcpy(&s->sid[i * p->nsid], &p->row_sid[(size_t)r * p->nsid],
                   p->nsid * sizeof(uint16_t));
            s->cell[i] = p->use_cells ? p->row_cell[r] : 0;
            s->ll[i] = mg_metric_row_log_loss(sc, y);
            s->br[i] = mg_metric_row_brier(sc, y);
        }
        mark_alone(p, s);
    }
    rc = 0;
cleanup:
    free(items);
    if (rc)
        mg__engine_nomem(err);
    return rc;
}

/* ---- The plan ----------------------------------------------------------- */

/* Every row's global slice ids, and the rows of each slice. */
static int slice_ids(mg__plan *p)
{
    const mg__dataset *d = p->d;
    mg__engine *e = p->e;

    p->row_sid = malloc(d->n * p->nsid * sizeof *p->row_sid);
    if (p->row_sid == NULL)
        return MG_ENOMEM;
    for (size_t i = 0; i < d->n; i++) {
        uint16_t *sid = &p->row_sid[i * p->nsid];
        sid[0] = 0;
        for (size_t k = 0; k < d->nslicings; k++) {
            uint32_t c = d->slice_code[k][i];
            sid[k + 1] =
                (uint16_t)(c == MG__ENGINE_NO_SLICE ? e->nslices : e->offset[k] + c);
        }
        for (size_t k = 0; k < p->nsid; k++)
            e->slice_rows[sid[k]]++;
    }
    return 0;
}

void mg__plan_free(mg__plan *p)
{
    canonical_free(p);
    free(p->row_sid);
    free(p->row_cell);
    free(p->cell_sid);
    free(p->atom_count);
    free(p->atom_rep);
    free(p->atom_unit);
    free(p->unit_atom);
    free(p->order);
    free(p->row_slot);
    free(p->unit_key);
    free(p->curve_code);
    free_sorted(p);
}

/* Everything the replicates and the jackknife read (free with mg__plan_free). */
int mg__plan_build(mg__plan *p, mg__engine *e, const mg__dataset *d,
                   const mg__engine_options *o, mg_error *err)
{
    uint32_t *row_atom;
    int rc;

    p->o = o;
    p->e = e;
    p->n = d->n;
    p->M = d->nmodels;
    p->nsid = d->nslicings + 1;
    p->S = e->stride;
    if (canonical_rows(p, d) != 0 || slice_ids(p) != 0)
        return mg__engine_nomem(err);
    d = p->d;
    mg__resample_init_poisson(p);
    row_atom = malloc((d->n ? d->n : 1) * sizeof *row_atom);
    if (row_atom == NULL)
        return mg__engine_nomem(err);
    rc = build_atoms(p, row_atom, err);
    if (rc == 0 && mg__plan_units(p, row_atom) != 0)
        rc = mg__engine_nomem(err);
    free(row_atom);
    if (rc != 0 || (rc = build_cells(p, err)) != 0)
        return rc;
    if (e->G > 0 && mg__plan_curves(p) != 0)
        return mg__engine_nomem(err);
    p->row_confusion = o->row_confusion;
    if (o->need_rank || p->row_confusion)
        return build_sorted(p, err);
    return 0;
}
