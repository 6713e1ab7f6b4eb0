/*
 * The bootstrap engine: resampling over atoms, not rows. This file is its driver:
 * it checks the options, numbers the slices, builds the atoms, cells and sorted
 * rows every replicate reads, runs the threads and answers the accessors. The
 * draws and the weighted passes are in stats/resample.c, the jackknife in
 * stats/jackknife.c; stats/engine_internal.h holds what the three share.
 *
 * Every statistic modelgate reports is a function of the empirical distribution of
 * a few per-row values (label, each model's score, slice memberships), so a
 * bootstrap replicate (Efron & Tibshirani 1993, "An introduction to the
 * bootstrap") is a vector of counts over rows, and rows that agree on everything a
 * statistic reads are interchangeable. The setup turns that into data:
 *
 * - slice ids: every row gets one global slice id per slicing (0 is the whole
 *   holdout set, slicing k's code c is offset(k) + c), stored as uint16_t; rows
 *   outside a binned slicing's bins go to a sink one past the last slice, which is
 *   summed like any slice and never reported;
 * - atoms: rows with equal label, prediction of every model, slice ids and cluster,
 *   found with an open-addressing hash table of representative rows; the confusion
 *   family sums a replicate's row counts per atom, then adds each atom into its
 *   slices;
 * - units: the canonical order of the rows and every row's unit slot (below);
 * - cells: rows with equal slice ids in every slicing; confusion counts of the row
 *   pass (tests only) are gathered per cell and spread to the slices after a pass;
 * - sorted rows: each model's rows in descending score order, ties in row order, by
 *   an LSD radix sort on 16-bit digits of an order-preserving key (Knuth, TAOCP
 *   vol. 3, §5.2.5), ties in canonical order, with tie groups flagged, the row's
 *   unit slot (rows, or clusters) and its per-row losses beside it.
 *
 * Then the point estimates, and the replicates in batches of eight across threads
 * while the calling thread computes the jackknife and then joins them. Replicate
 * b's draws come from streams keyed by (seed, b) and every sum runs in a fixed
 * order, so results are bit-identical whatever the number of threads.
 *
 * What an interval depends on. A test's interval is a function of its slice's
 * estimate, replicates and jackknife sums, and the engine makes each of those a
 * function of the seed, the rows and the test alone:
 *
 * - resampling units are numbered in a canonical order: rows by key (a hash of the
 *   row's id, mg__dataset.key; without an id column, the row's index, which is then
 *   its identity), so a replicate's row counts do not depend on the rows' order in
 *   the file, on the slicings or on the models;
 * - both families read those counts: an atom's count is the sum of its rows'
 *   counts, so how finely the atoms split (every slicing and every model's
 *   prediction is part of an atom) changes nothing, and a suite that adds an AUC
 *   test draws no differently for its accuracy test;
 * - every floating-point sum runs in an order fixed by the rows a slice holds:
 *   each model's rows are sorted by score with ties in canonical order; losses are
 *   added per slice, never through cells (which split with every slicing); the
 *   jackknife adds rows in canonical order and confusion deviations per confusion
 *   cell, not per atom. Integer sums (counts) are exact in any order.
 *
 * So, with an id column: declaring another slicing, test or model, or reordering
 * the rows, leaves every interval bit-identical (tests/test_invariance.c). The
 * multinomial resampler draws N rows from the whole holdout set, so a slice's
 * interval still depends on the other rows (that is the design being mimicked:
 * slice sizes vary as between holdout sets). The Poisson resampler goes further: a
 * row's weight is Poisson(1) derived from (seed, replicate, key), so a slice's
 * replicates depend on its own rows only, and shards holding disjoint rows compute
 * sums that merge by addition (issue 14). Not covered: with `cluster:` the units
 * are clusters numbered by first appearance, so row order may matter there.
 *
 * The default stays the multinomial: it is the bootstrap (Efron's), which the
 * reference comparisons (SciPy, R boot) check; Poisson weights approximate it
 * (Hanley & MacGibbon 2006), with a total that varies (sd √N) and, in a small
 * slice, a chance of zero weight that the multinomial lacks. Speed is close (see
 * bench/: the draw is the smaller part of a replicate); Poisson is the choice for
 * sharded runs.
 *
 * Stratification by label, and why it is valid only for some metrics. Write a
 * metric as θ = g(π, F₁, F₀): the prevalence π and the distributions of whatever
 * the metric reads among positives (F₁) and negatives (F₀). By the delta method,
 * Var θ̂ ≈ g_π² π(1 − π)/N + Var_{F₁} + Var_{F₀}, the last two the contributions of
 * each class's sampling. `stratify: label` resamples the positives and negatives
 * separately, each to its own total, so every replicate has the holdout's
 * prevalence exactly: it estimates the last two terms and drops the first. Where
 * g_π = 0 (recall and specificity, functions of one class; balanced accuracy and
 * AUC, of the two class-conditional distributions) nothing is lost, and a slice's
 * value is still a functional of F₁ and F₀, whose slice mix varies within each
 * class. Everywhere else (prevalence, positive rate, accuracy = π·recall +
 * (1 − π)·specificity, precision, F1, MCC, average precision, log loss, Brier, n in
 * a slice) the interval misses the prevalence's share of the variance at every N:
 * the audit of issue 8 measured 95 % BCa coverage of 0.91–0.93 at N = 1,000, and a
 * zero-width interval for the prevalence. Drawing the class totals from
 * Binomial(N, π̂) first would restore the term, but that is exactly the
 * unstratified bootstrap. So stratification is restricted: the registry's
 * class_conditional column marks the metrics it is valid for, and the runner
 * refuses it for the others (and for the Poisson resampler, whose weights cannot
 * hold class totals fixed; for the class-conditional metrics, which are ratios
 * within a class, rescaling a class's weights changes nothing anyway).
 *
 * Limits and caveats: fewer than 2^32 rows (row indices are uint32_t); at most
 * MG__ENGINE_MAX_SLICES slices; cells only while there are at most MAX_CELLS of
 * them (beyond, a pass adds each row to every slicing's slice directly, which is
 * slower but gives the same sums up to rounding order); the memory estimate counts
 * the large arrays only.
 */
#include "stats/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "stats/engine_internal.h"
#include "stats/rng.h"

#define MAX_CELLS 16384 /* beyond this, sums go straight to the slices */

/* ---- Accessors ----------------------------------------------------------- */

size_t mg__engine_slices(const mg__engine *e)
{
    return e->nslices;
}

size_t mg__engine_slice_offset(const mg__engine *e, size_t slicing)
{
    return e->offset[slicing];
}

size_t mg__engine_slice_rows(const mg__engine *e, size_t slice)
{
    return e->slice_rows[slice];
}

size_t mg__engine_replicates(const mg__engine *e)
{
    return e->replicates;
}

const mg_binary_stats *mg__engine_estimate(const mg__engine *e, size_t model,
                                           size_t slice)
{
    return &e->est[model * e->stride + slice];
}

const mg_binary_stats *mg__engine_replicate(const mg__engine *e, size_t b, size_t model,
                                            size_t slice)
{
    return &e->rep[(b * e->nmodels + model) * e->stride + slice];
}

const mg__jack *mg__engine_jack(const mg__engine *e, long pair, size_t model,
                                size_t slice, mg_metric metric)
{
    size_t who = pair < 0 ? model : e->nmodels + (size_t)pair;
    return &e->jack[mg__jack_index(e, who, slice, metric)];
}

void mg__engine_get_timing(const mg__engine *e, mg__engine_timing *out)
{
    *out = e->timing;
}

void mg__engine_free(mg__engine *e)
{
    if (e == NULL)
        return;
    free(e->offset);
    free(e->slice_rows);
    free(e->est);
    free(e->rep);
    free(e->jack);
    free(e);
}

int mg__engine_nomem(mg_error *err)
{
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory in the bootstrap");
}

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

typedef struct key_item {
    uint64_t key;
    uint32_t row;
} key_item;

/* Ascending by key, equal keys in row order: a stable LSD radix sort on 16-bit
 * digits, as for the scores below. */
static int radix_sort_keys(key_item *items, size_t n)
{
    key_item *tmp = malloc((n ? n : 1) * sizeof *tmp), *src = items, *dst = tmp;
    size_t *count = malloc(65537 * sizeof *count);
    if (tmp == NULL || count == NULL) {
        free(tmp);
        free(count);
        return MG_ENOMEM;
    }
    for (int pass = 0; pass < 4; pass++) {
        int shift = 16 * pass;
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((src[i].key >> shift) & 0xffff) + 1]++;
        for (size_t b = 0; b < 65536; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
        key_item *t = src;
        src = dst;
        dst = t;
    }
    free(tmp);
    free(count);
    return 0;
}

/*
 * A copy of the dataset with its rows in key order (p->canon, owned by the plan),
 * so that every later loop over rows runs in canonical order and reads memory
 * sequentially. Without keys the rows' own order is canonical and nothing is
 * copied.
 */
static int canonical_rows(mg__plan *p, const mg__dataset *d)
{
    const size_t n = d->n, M = d->nmodels, K = d->nslicings;
    key_item *items = NULL;
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
        items[i] = (key_item){d->key[i], (uint32_t)i};
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
static int build_units(mg__plan *p, const uint32_t *row_atom)
{
    const mg__dataset *d = p->d;
    const size_t n = p->n;
    key_item *items = malloc((n ? n : 1) * sizeof *items);
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
static int radix_sort_desc(sort_item *items, size_t n)
{
    sort_item *tmp = malloc((n ? n : 1) * sizeof *tmp), *src = items, *dst = tmp;
    size_t *count = malloc(65537 * sizeof *count);
    if (tmp == NULL || count == NULL) {
        free(tmp);
        free(count);
        return MG_ENOMEM;
    }
    for (int pass = 0; pass < 4; pass++) {
        int shift = 16 * pass;
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((descending_key(src[i].score) >> shift) & 0xffff) + 1]++;
        for (size_t b = 0; b < 65536; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(descending_key(src[i].score) >> shift) & 0xffff]++] = src[i];
        sort_item *t = src;
        src = dst;
        dst = t;
    }
    /* After an even number of passes the result is back in items. */
    free(tmp);
    free(count);
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

/* ---- Threads ------------------------------------------------------------- */

/* The replicates' work: batches of MG__LANES replicates, handed out in order. */
typedef struct team {
    const mg__plan *p;
    atomic_size_t next_batch;
    size_t nbatches;
    pthread_mutex_t lock; /* guards done, first_error and e->timing */
    size_t done;
    atomic_int failed; /* read by every worker between batches */
    mg_error first_error;
} team;

static void fail(team *t, int code, const char *message)
{
    pthread_mutex_lock(&t->lock);
    if (!t->failed) {
        t->failed = 1;
        mg_error_set(&t->first_error, code, NULL, 0, 0, "%s", message);
    }
    pthread_mutex_unlock(&t->lock);
}

static void *worker(void *arg)
{
    team *t = arg;
    const mg__plan *p = t->p;
    mg__engine *e = p->e;
    const size_t B = e->replicates;
    mg__scratch w;

    if (mg__scratch_init(&w, p) != 0) {
        fail(t, MG_ENOMEM, "out of memory in the bootstrap");
        goto cleanup;
    }
    for (;;) {
        size_t batch = atomic_fetch_add(&t->next_batch, 1), b0 = batch * MG__LANES;
        size_t lanes;
        if (batch >= t->nbatches || t->failed ||
            (p->o->cancel != NULL && *p->o->cancel))
            break;
        lanes = B - b0 < MG__LANES ? B - b0 : MG__LANES;
        if (mg__resample_batch(p, &w, b0, lanes) != 0) {
            fail(t, MG_ENUMERIC, "a bootstrap unit was drawn over 255 times");
            goto cleanup;
        }
        pthread_mutex_lock(&t->lock);
        t->done += lanes;
        if (p->o->progress)
            p->o->progress(p->o->progress_ctx, t->done, B);
        pthread_mutex_unlock(&t->lock);
    }
cleanup:
    pthread_mutex_lock(&t->lock);
    e->timing.atoms += w.t_atoms;
    e->timing.draws += w.t_draws;
    e->timing.passes += w.t_passes;
    pthread_mutex_unlock(&t->lock);
    mg__scratch_free(&w);
    return NULL;
}

/* Start threads − 1 workers (*started of them did start); the caller is the last. */
static int team_start(team *t, const mg__plan *p, pthread_t **threads, size_t *started,
                      mg_error *err)
{
    size_t nthreads = p->o->threads > 1 ? p->o->threads : 1;

    t->p = p;
    t->nbatches = (p->o->replicates + MG__LANES - 1) / MG__LANES;
    atomic_init(&t->next_batch, 0);
    pthread_mutex_init(&t->lock, NULL);
    *threads = calloc(nthreads, sizeof **threads);
    if (*threads == NULL) {
        pthread_mutex_destroy(&t->lock);
        return mg__engine_nomem(err);
    }
    for (size_t i = 1; i < nthreads; i++) {
        if (pthread_create(&(*threads)[i], NULL, worker, t) != 0)
            break;
        *started = i;
    }
    return 0;
}

/* After every worker has returned: the first failure, or an interruption. */
static int team_result(const team *t, mg_error *err)
{
    if (t->failed) {
        if (err)
            *err = t->first_error;
        return t->first_error.code;
    }
    if (t->p->o->cancel != NULL && *t->p->o->cancel)
        return mg_error_set(err, MG_EINTERNAL, NULL, 0, 0, "interrupted");
    return 0;
}

/* ---- Driver -------------------------------------------------------------- */

size_t mg__engine_slice_count(const mg__dataset *d)
{
    size_t S = 1;
    for (size_t k = 0; k < d->nslicings; k++)
        S += d->nlevels[k];
    return S;
}

double mg__engine_memory(const mg__dataset *d, const mg__engine_options *o)
{
    double n = (double)d->n, M = (double)d->nmodels, S = 2,
           nsid = 1 + (double)d->nslicings;
    double threads = o->threads > 1 ? o->threads : 1,
           units = d->cluster ? d->nclusters : n;
    double bytes;
    for (size_t k = 0; k < d->nslicings; k++)
        S += (double)d->nlevels[k];
    bytes = (double)o->replicates * M * S * sizeof(mg_binary_stats); /* replicates */
    bytes += (M + (double)o->npairs) * S * MG_METRIC_COUNT * sizeof(mg__jack);
    bytes += n * (nsid * sizeof(uint16_t) + 3 * sizeof(uint32_t)); /* slices, atoms */
    /* canonical order, slots, unit keys and atoms; unit counts per thread */
    bytes += n * (3 * sizeof(uint32_t) + sizeof(uint64_t) + sizeof(key_item));
    if (d->key != NULL) /* the rows copied in key order */
        bytes += n * (1 + M * sizeof(double) + (nsid - 1) * sizeof(uint32_t) +
                      sizeof(uint64_t) + (d->cluster ? sizeof(uint32_t) : 0));
    bytes += threads * units * MG__LANES;
    if (o->need_rank) {
        /* sorted rows per model, jackknife scratch */
        bytes += M * n *
                 (2 * sizeof(uint32_t) + 1 + nsid * sizeof(uint16_t) +
                  2 * sizeof(double) + sizeof(uint32_t));
        bytes += n * (M * MG__JACK_ROW_ARRAYS * sizeof(double) + 4 * sizeof(double));
    }
    return bytes;
}

/* The result object: the slices' numbering, and zeroed estimates, replicates and
 * jackknife sums. */
static int engine_new(mg__engine **out, const mg__dataset *d,
                      const mg__engine_options *o, mg_error *err)
{
    const size_t M = d->nmodels;
    size_t S, nsums;
    mg__engine *e = calloc(1, sizeof *e);
    int rc = MG_ENOMEM;

    *out = NULL;
    if (e == NULL)
        return mg__engine_nomem(err);
    e->n = d->n;
    e->nmodels = M;
    e->nslicings = d->nslicings;
    e->nsid = d->nslicings + 1;
    e->replicates = o->replicates;
    e->npairs = o->npairs;
    e->offset = mg__xcalloc(d->nslicings, sizeof *e->offset);
    if (e->offset == NULL)
        goto cleanup;
    e->nslices = 1;
    for (size_t k = 0; k < d->nslicings; k++) {
        e->offset[k] = e->nslices;
        e->nslices += d->nlevels[k];
    }
    if (e->nslices > MG__ENGINE_MAX_SLICES) {
        rc = mg_error_set(err, MG_EDATA, NULL, 0, 0,
                          "%zu slices in all: more than the limit of %d", e->nslices,
                          MG__ENGINE_MAX_SLICES);
        goto cleanup;
    }
    e->stride = S = e->nslices + 1;
    nsums = (M + o->npairs) * S * MG_METRIC_COUNT;
    e->slice_rows = mg__xcalloc(S, sizeof *e->slice_rows);
    e->est = mg__xcalloc(M * S, sizeof *e->est);
    e->rep = mg__xcalloc(o->replicates * M * S, sizeof *e->rep);
    e->jack = mg__xcalloc(nsums, sizeof *e->jack);
    if (!e->slice_rows || !e->est || !e->rep || !e->jack)
        goto cleanup;
    for (size_t s = 0; s < nsums; s++)
        e->jack[s].n = (double)(d->cluster ? d->nclusters : d->n);
    *out = e;
    return 0;
cleanup:
    mg__engine_free(e);
    if (rc == MG_ENOMEM)
        mg__engine_nomem(err);
    return rc;
}

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

static void plan_free(mg__plan *p)
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
    free_sorted(p);
}

/* Everything the replicates and the jackknife read (free with plan_free). */
static int plan_build(mg__plan *p, mg__engine *e, const mg__dataset *d,
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
    if (rc == 0 && build_units(p, row_atom) != 0)
        rc = mg__engine_nomem(err);
    free(row_atom);
    if (rc != 0 || (rc = build_cells(p, err)) != 0)
        return rc;
    p->row_confusion = o->row_confusion;
    if (o->need_rank || p->row_confusion)
        return build_sorted(p, err);
    return 0;
}

int mg__engine_run(mg__engine **out, const mg__dataset *d, const mg__engine_options *o,
                   mg_error *err)
{
    mg__plan p = {0};
    team t = {0};
    mg__engine *e = NULL;
    pthread_t *threads = NULL;
    size_t started = 0;
    double t_start = mg__seconds(), t_jack;
    int rc;

    *out = NULL;
    if (d->n == 0 || d->nmodels == 0)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no rows or no models");
    if (o->stratify == MG__ENGINE_STRATIFY_LABEL &&
        (o->resampler == MG__ENGINE_POISSON || d->cluster != NULL))
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0,
                            "stratify: label cannot be combined with %s",
                            d->cluster ? "clusters" : "the Poisson resampler");
    if (d->n > UINT32_MAX)
        return mg_error_set(err, MG_EDATA, NULL, 0, 0,
                            "%zu rows: more than the limit of %u", d->n, UINT32_MAX);
    if ((rc = engine_new(&e, d, o, err)) != 0)
        return rc;
    if ((rc = plan_build(&p, e, d, o, err)) != 0)
        goto cleanup;
    e->timing.setup = mg__seconds() - t_start;
    if ((rc = mg__resample_estimates(&p, err)) != 0)
        goto cleanup;
    e->timing.estimates = mg__seconds() - t_start - e->timing.setup;
    if (o->replicates > 0 && (rc = team_start(&t, &p, &threads, &started, err)) != 0)
        goto cleanup;
    /* The jackknife reads only the point statistics and the sorted rows, so this
     * thread computes it while the others start on the replicates, then joins them. */
    t_jack = mg__seconds();
    rc = mg__jackknife(&p, err);
    e->timing.jackknife = mg__seconds() - t_jack;
    if (rc != 0)
        t.failed = 1; /* stop the workers; err already says why */
    if (o->replicates > 0) {
        if (rc == 0)
            worker(&t);
        for (size_t i = 1; i <= started; i++)
            pthread_join(threads[i], NULL);
        pthread_mutex_destroy(&t.lock);
        if (rc == 0)
            rc = team_result(&t, err);
    }
    if (rc != 0)
        goto cleanup;
    e->timing.wall = mg__seconds() - t_start;
    *out = e;
    e = NULL;
cleanup:
    free(threads);
    plan_free(&p);
    mg__engine_free(e);
    if (rc == MG_ENOMEM && err && err->code == 0)
        mg__engine_nomem(err);
    return rc;
}

int mg__engine_row_weights(const mg__dataset *d, const mg__engine_options *o, size_t b,
                           double *w, mg_error *err)
{
    mg__plan p = {0};
    mg__rng gen;
    uint8_t *counts = NULL;
    int rc = MG_ENOMEM;

    p.d = d;
    p.o = o;
    p.n = d->n;
    p.M = d->nmodels;
    p.nsid = 1;
    mg__resample_init_poisson(&p);
    mg__rng_init(&gen);
    if (build_units(&p, NULL) != 0)
        goto cleanup;
    counts = calloc(p.units ? p.units : 1, MG__LANES);
    if (counts == NULL)
        goto cleanup;
    if (mg__resample_counts(&p, &gen.gsl, b, 0, counts) != 0) {
        rc = mg_error_set(err, MG_ENUMERIC, NULL, 0, 0, "count overflow");
        goto cleanup;
    }
    for (size_t i = 0; i < p.n; i++)
        w[i] = counts[(size_t)p.row_slot[i] * MG__LANES];
    rc = 0;
cleanup:
    if (rc == MG_ENOMEM)
        mg__engine_nomem(err);
    free(counts);
    plan_free(&p);
    return rc;
}
