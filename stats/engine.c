/*
 * The bootstrap engine: resampling over atoms, not rows.
 *
 * Every statistic modelgate reports is a function of the empirical distribution of
 * a few per-row values (label, each model's score, slice memberships). Drawing N
 * rows with replacement is a multinomial draw of N over the rows; grouping
 * interchangeable rows into atoms turns it into a multinomial over far fewer cells
 * without changing the distribution. Two families of statistics use this in two ways:
 *
 * Confusion counts (tp, fp, tn, fn at each model's threshold, per slice) depend on a
 * row only through (label, every model's prediction, every slice code), so rows that
 * agree on those form an atom. A replicate is one multinomial draw over the atoms
 * (GSL's conditional-binomial sampler), then one pass over the atoms: O(atoms),
 * independent of N. Candidate and champion sit in the same atom, so their counts
 * come from the same resample and their difference is paired.
 *
 * Score-order and mean statistics (AUC as a weighted Mann–Whitney count, average
 * precision, log loss, Brier) need each row's score, so the atoms are the rows
 * themselves. Each model's rows are sorted once by descending score, with tied
 * scores marked as groups; a replicate is a weighted pass over that order. Row
 * counts for a replicate are drawn once into a compact array shared by every model
 * and slice. The draw is blocked: a multinomial over blocks of 4096 units by
 * conditional binomials, then uniform picks inside each block, which keeps the
 * increments in cache. Eight replicates are processed per pass, their counts
 * interleaved (one byte each) so the sorted data is streamed once for all eight.
 *
 * Resampling units: rows, or clusters (`cluster:`) whose rows all take the cluster's
 * count; with `stratify: label`, positives and negatives are drawn separately with
 * their own totals. The Poisson resampler replaces the multinomial by an
 * independent Poisson(1) weight per unit from a counter-based hash of (seed,
 * replicate, unit), which shards can reproduce and merge by addition; it has no
 * per-atom shortcut, so confusion counts then come from the row pass too.
 *
 * The two families draw from separate streams, keyed by (seed, b, family): adding
 * an AUC test to a suite must not move the interval of its accuracy test. Within a
 * family every model and slice shares replicate b's resample, which is what pairs
 * differences and slice comparisons; no statistic mixes the families.
 *
 * Determinism: replicate b's draws come from streams keyed by (seed, b), and every
 * sum runs in a fixed order over atoms or sorted rows, so results are bit-identical
 * whatever the number of threads.
 *
 * Where the time goes in a pass, and what keeps it down: losses and confusion cells
 * add over rows, so they are gathered per cell (rows sharing every slice id) and
 * spread to slices afterwards, one update per row instead of one per slicing; the
 * eight replicates' sums are vector lanes; counts read through a permutation are
 * prefetched; a row whose tie group has no other row in its slice is settled there
 * as untied, since a tie across slices is no tie within one.
 *
 * BCa needs the acceleration from the jackknife. It is computed exactly and in
 * closed form: for the confusion family, removing one row of an atom changes one
 * count by one; for the AUC, the leave-one-out value follows from the row's
 * placement value (DeLong et al. 1988): for a positive i with placement V_i (negative
 * weight below it, ties ½), AUC₍₋ᵢ₎ − AUC = (U − P·V_i) / (P(P−1)N); for average
 * precision, removing a row shifts the true- or false-positive count of every later
 * threshold by one, which prefix and suffix sums over the score groups give in
 * O(1) per row; for means, (S − n·x_i)/(n(n−1)). With clusters the jackknife
 * leaves out whole clusters (see jack_clusters). The engine returns the power sums
 * of these deviations per statistic, and for model pairs the power sums of their
 * row-wise differences. It runs on the calling thread while the workers start on
 * the replicates.
 *
 * Numerical notes: weights are small integers, so counts and pair counts are exact
 * in double up to 2^53; average precision and the means accumulate rounding of
 * order n·ε relative. Jackknife deviations are computed as differences in closed
 * form, not as θ₍₋ᵢ₎ − θ̂ of two nearly equal numbers, except for average
 * precision, where the absolute error is about ε while deviations are about 1/n.
 */
#include "stats/engine.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/rng.h"

#define LANES     8     /* replicates per row pass */
#define BLOCK     4096  /* units per block of the blocked multinomial (2^12) */
#define MAX_CELLS 16384 /* beyond this, sums go straight to the slices */

enum { F_CP, F_CN, F_U, F_AP, F_LL, F_BR, F_TP, F_FP, F_TN, F_FN, NFIELDS };
enum { C_LL, C_BR, C_TP, C_FP, C_TN, C_FN, NCELLFIELDS };

enum { FLAG_LABEL = 1, FLAG_TIED = 2, FLAG_PRED = 4 };

/* One model's rows in descending score order. */
typedef struct sorted_model {
    uint32_t *slot;  /* unit whose count weights the row */
    uint32_t *row;   /* original row index */
    uint8_t *flags;  /* FLAG_LABEL, FLAG_TIED (score equals the previous row's),
                        FLAG_PRED (score >= threshold) */
    uint16_t *sid;   /* nsid slice ids per row, the first always 0 (overall) */
    double *ll, *br; /* per-row log loss and squared error */
    uint32_t *cell;  /* the row's cell (see plan.row_cell) */
    uint32_t *alone; /* bit k: no other row of its tie group shares its slice in
                        slicing k, so it is settled there as if untied (k < 32) */
} sorted_model;

/* A range of units drawn together: `draws` picks over units [lo, hi). */
typedef struct draw_range {
    size_t lo, hi, draws;
} draw_range;

struct mg__engine {
    size_t n, nmodels, nslicings, nsid, replicates, npairs;
    size_t nslices;       /* reported slices */
    size_t stride;        /* nslices + 1: the last is a sink for rows outside
                             every slice of a binned slicing, never reported */
    size_t *offset;       /* nslicings: first global slice id of each slicing */
    size_t *slice_rows;   /* nslices */
    mg_binary_stats *est; /* nmodels × stride */
    mg_binary_stats *rep; /* replicates × nmodels × stride */
    mg__jack *jack;       /* (nmodels + npairs) × stride × MG_METRIC_COUNT */
    mg__engine_timing timing;
};

/* Everything the workers read: built once, then shared read-only. */
typedef struct plan {
    const mg__dataset *d;
    const mg__engine_options *o;
    mg__engine *e;
    size_t n, M, S, nsid;
    uint16_t *row_sid; /* n × nsid global slice ids in row order */
    /* Cells: rows with the same slice ids in every slicing. Sums that add up over
     * rows (losses, confusion counts) are gathered per cell during a pass and
     * spread to the slices afterwards: one update per row instead of one per
     * slicing. Used when there are at most MAX_CELLS cells. */
    size_t ncells;
    uint16_t *cell_sid; /* ncells × nsid */
    uint32_t *row_cell; /* n */
    int use_cells;
    /* confusion atoms */
    size_t natoms, natoms_pos; /* positive atoms first when stratified */
    uint32_t *atom_count;
    uint32_t *atom_rep;  /* a representative row */
    uint32_t *atom_unit; /* cluster of the atom, when clustered */
    double *atom_p;      /* multinomial probabilities (within stratum) */
    /* row pass */
    size_t units; /* rows or clusters */
    draw_range ranges[2];
    size_t nranges;
    sorted_model *sorted;     /* M, when the row pass is needed */
    int row_confusion;        /* confusion counts come from the row pass (Poisson) */
    uint64_t poisson_cdf[24]; /* Poisson(1) CDF scaled to 2^64 */
    /* work distribution */
    atomic_size_t next_batch;
    size_t nbatches;
    pthread_mutex_t lock;
    size_t done;
    atomic_int failed; /* read by every worker between batches */
    mg_error first_error;
} plan;

static size_t jack_index(const mg__engine *e, size_t who, size_t slice, mg_metric m)
{
    return (who * e->stride + slice) * MG_METRIC_COUNT + m;
}

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
    return &e->jack[jack_index(e, who, slice, metric)];
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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

static void *xcalloc(size_t count, size_t size)
{
    if (count == 0)
        count = 1;
    return calloc(count, size);
}

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory in the bootstrap");
}

/* ---- Confusion atoms ----------------------------------------------------- */

static uint64_t row_key_hash(const plan *p, size_t i)
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

static int same_atom(const plan *p, size_t i, size_t j)
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

/* Group rows into atoms with an open-addressing table of representative rows. */
static int build_atoms(plan *p, mg_error *err)
{
    size_t cap = 1024, used = 0, n = p->n;
    uint32_t *table = NULL, *count = NULL, *rep = NULL;
    int rc = MG_ENOMEM;

    table = malloc(cap * sizeof *table);
    count = xcalloc(n, sizeof *count);
    rep = xcalloc(n, sizeof *rep);
    if (table == NULL || count == NULL || rep == NULL)
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
    }

    /* Order atoms: positives first (strata for stratify), otherwise first-seen. */
    p->natoms = used;
    p->atom_count = xcalloc(used, sizeof *p->atom_count);
    p->atom_rep = xcalloc(used, sizeof *p->atom_rep);
    p->atom_unit = xcalloc(used, sizeof *p->atom_unit);
    p->atom_p = xcalloc(used, sizeof *p->atom_p);
    if (!p->atom_count || !p->atom_rep || !p->atom_unit || !p->atom_p)
        goto cleanup;
    {
        size_t k = 0, pos_total = 0;
        for (int pass = 1; pass >= 0; pass--)
            for (size_t a = 0; a < used; a++)
                if (p->d->label[rep[a]] == pass) {
                    p->atom_count[k] = count[a];
                    p->atom_rep[k] = rep[a];
                    p->atom_unit[k] = p->d->cluster ? p->d->cluster[rep[a]] : 0;
                    if (pass == 1)
                        p->natoms_pos++, pos_total += count[a];
                    k++;
                }
        for (size_t a = 0; a < used; a++) {
            double total = (double)n;
            if (p->o->stratify == MG__ENGINE_STRATIFY_LABEL)
                total = a < p->natoms_pos ? (double)pos_total : (double)(n - pos_total);
            p->atom_p[a] = p->atom_count[a] / total;
        }
    }
    rc = 0;
cleanup:
    free(table);
    free(count);
    free(rep);
    if (rc)
        nomem(err);
    return rc;
}

/* Add `w` rows of atom a's kind into the statistics `st` (one row of slices). */
static void add_atom(const plan *p, size_t a, double w, mg_binary_stats *st)
{
    const mg__dataset *d = p->d;
    size_t i = p->atom_rep[a];
    const uint16_t *sid = &p->row_sid[i * p->nsid];
    int y = d->label[i];
    for (size_t m = 0; m < p->M; m++) {
        int pred = d->score[m][i] >= d->threshold[m];
        mg_binary_stats *ms = st + m * p->S;
        for (size_t k = 0; k < p->nsid; k++) {
            mg_binary_stats *s = ms + sid[k];
            if (y && pred)
                s->tp += w;
            else if (y)
                s->fn += w;
            else if (pred)
                s->fp += w;
            else
                s->tn += w;
        }
    }
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
static int build_cells(plan *p, mg_error *err)
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
        nomem(err);
    return rc;
}

/* ---- Row pass ------------------------------------------------------------ */

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

static void free_sorted(plan *p)
{
    if (p->sorted == NULL)
        return;
    for (size_t m = 0; m < p->M; m++) {
        sorted_model *s = &p->sorted[m];
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
static void mark_alone(const plan *p, sorted_model *s)
{
    const size_t n = p->n, nsid = p->nsid, kmax = nsid < 32 ? nsid : 32;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (s->flags[j] & FLAG_TIED))
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
 * Sort each model once and assign every row its unit slot. Rows are units unless
 * clustered; for the multinomial resampler the slot numbering follows the first
 * model's order (so its pass reads counts sequentially), positives before negatives
 * when stratified, so each stratum is one contiguous range to draw over.
 */
static int build_sorted(plan *p, mg_error *err)
{
    const mg__dataset *d = p->d;
    size_t n = p->n;
    sort_item *items = malloc(n * sizeof *items);
    uint32_t *slot_of_row = malloc(n * sizeof *slot_of_row);
    int rc = MG_ENOMEM;

    p->sorted = xcalloc(p->M, sizeof *p->sorted);
    if (items == NULL || slot_of_row == NULL || p->sorted == NULL)
        goto cleanup;
    for (size_t m = 0; m < p->M; m++) {
        sorted_model *s = &p->sorted[m];
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
        for (size_t i = 0; i < n; i++) {
            items[i].score = d->score[m][i];
            items[i].row = (uint32_t)i;
        }
        if (radix_sort_desc(items, n) != 0)
            goto cleanup;
        if (m == 0) {
            /* Unit slots. */
            if (d->cluster != NULL) {
                for (size_t i = 0; i < n; i++)
                    slot_of_row[i] = d->cluster[i];
                p->units = d->nclusters;
                p->ranges[0] = (draw_range){0, d->nclusters, d->nclusters};
                p->nranges = 1;
            } else if (p->o->resampler == MG__ENGINE_POISSON) {
                for (size_t i = 0; i < n; i++)
                    slot_of_row[i] = (uint32_t)i;
                p->units = n;
                p->nranges = 0;
            } else if (p->o->stratify == MG__ENGINE_STRATIFY_LABEL) {
                size_t npos = 0, kp = 0, kn;
                for (size_t i = 0; i < n; i++)
                    npos += d->label[i];
                kn = npos;
                for (size_t i = 0; i < n; i++) {
                    uint32_t r = items[i].row;
                    slot_of_row[r] = (uint32_t)(d->label[r] ? kp++ : kn++);
                }
                p->units = n;
                p->ranges[0] = (draw_range){0, npos, npos};
                p->ranges[1] = (draw_range){npos, n, n - npos};
                p->nranges = 2;
            } else {
                for (size_t i = 0; i < n; i++)
                    slot_of_row[items[i].row] = (uint32_t)i;
                p->units = n;
                p->ranges[0] = (draw_range){0, n, n};
                p->nranges = 1;
            }
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t r = items[i].row;
            int y = d->label[r];
            double sc = d->score[m][r];
            s->row[i] = r;
            s->slot[i] = slot_of_row[r];
            s->flags[i] =
                (uint8_t)((y ? FLAG_LABEL : 0) |
                          (i > 0 && items[i - 1].score == sc ? FLAG_TIED : 0) |
                          (sc >= d->threshold[m] ? FLAG_PRED : 0));
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
    free(slot_of_row);
    if (rc)
        nomem(err);
    return rc;
}

/* Accumulators of one pass: NFIELDS × S × LANES doubles, plus group scratch. */
typedef struct pass_acc {
    double *acc;
    double *cells;     /* NCELLFIELDS × ncells × LANES, when cells are used */
    double *gp, *gn;   /* S × LANES group sums */
    uint32_t *touched; /* slices touched by the current group */
    uint8_t *mark;
} pass_acc;

#define ACC(a, f, s) ((a)->acc + (((size_t)(s)*NFIELDS + (f)) * LANES))

/* Zeroed doubles on a cache-line boundary: each lane vector (64 bytes) then sits in
 * one line, so a row's store and the next row's load of it forward cleanly. */
static double *lanes_calloc(size_t count)
{
    void *mem = NULL;
    size_t bytes = (count ? count : 1) * sizeof(double);
    if (posix_memalign(&mem, 64, bytes) != 0)
        return NULL;
    memset(mem, 0, bytes);
    return mem;
}

static int pass_acc_init(pass_acc *a, const plan *p)
{
    size_t S = p->S;
    a->acc = lanes_calloc(NFIELDS * S * LANES);
    a->cells = lanes_calloc(NCELLFIELDS * p->ncells * LANES);
    if (a->cells == NULL)
        return MG_ENOMEM;
    a->gp = lanes_calloc(S * LANES);
    a->gn = lanes_calloc(S * LANES);
    a->touched = xcalloc(S, sizeof(uint32_t));
    a->mark = xcalloc(S, 1);
    return a->acc && a->gp && a->gn && a->touched && a->mark ? 0 : MG_ENOMEM;
}

static void pass_acc_free(pass_acc *a)
{
    free(a->acc);
    free(a->cells);
    free(a->gp);
    free(a->gn);
    free(a->touched);
    free(a->mark);
}

/*
 * Lane kernels: eight replicates at once, written with the compiler's vector
 * extension so that they become a few vector instructions (two with AVX2) rather
 * than relying on the auto-vectoriser, which gives up on these short loops.
 */
typedef double vlane __attribute__((vector_size(LANES * sizeof(double))));
typedef unsigned char vbytes __attribute__((vector_size(LANES)));
typedef int vints __attribute__((vector_size(LANES * sizeof(int))));
typedef long long vmask __attribute__((vector_size(LANES * sizeof(double))));

static inline vlane vload(const double *p)
{
    vlane v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void vstore(double *p, vlane v)
{
    memcpy(p, &v, sizeof v);
}

static inline vlane load_weights(const uint8_t *c)
{
    vbytes b;
    memcpy(&b, c, sizeof b);
    /* Through 32-bit integers: widen, then convert (vpmovzxbd, vcvtdq2pd). */
    return __builtin_convertvector(__builtin_convertvector(b, vints), vlane);
}

/* Precision's denominator: a zero sum (possible only where the weight is 0 too)
 * becomes 1, so the term is 0 rather than 0/0. */
static inline vlane nonzero(vlane x)
{
    const vlane one = (vlane){0} + 1;
    /* Bitwise: the all-ones mask of x == 0 selects the bits of 1.0. */
    return x + (vlane)((x == 0) & (vmask)one);
}

static inline void lane_add(double *dst, vlane w, double x)
{
    vstore(dst, vload(dst) + w * x);
}

static inline void lane_count(double *dst, vlane w)
{
    vstore(dst, vload(dst) + w);
}

/* A positive row: its weight joins the positives above, and precision at its own
 * score (with everything above) weighs average precision. */
static inline void lane_positive(double *CP, double *AP, const double *CN, vlane w)
{
    vlane cp = vload(CP) + w;
    vstore(CP, cp);
    vstore(AP, vload(AP) + w * cp / nonzero(cp + vload(CN)));
}

/* A negative row: it forms a pair with every positive above it. */
static inline void lane_negative(double *U, double *CN, const double *CP, vlane w)
{
    vstore(U, vload(U) + w * vload(CP));
    vstore(CN, vload(CN) + w);
}

/* A group of tied scores: tied pairs count ½. */
static inline void lane_settle(double *U, double *CP, double *CN, double *AP,
                               double *gp, double *gn)
{
    vlane p = vload(gp), q = vload(gn), cp = vload(CP), zero = {0};
    vstore(U, vload(U) + q * (cp + 0.5 * p));
    cp += p;
    vstore(CP, cp);
    vstore(CN, vload(CN) + q);
    vstore(AP, vload(AP) + p * cp / nonzero(cp + vload(CN)));
    vstore(gp, zero);
    vstore(gn, zero);
}

static inline int confusion_field(uint8_t f)
{
    return (f & FLAG_LABEL) ? ((f & FLAG_PRED) ? 0 : 3) : ((f & FLAG_PRED) ? 1 : 2);
}

/* Add a row's log loss, squared error and confusion cell into a slice. */
static inline void add_row_sums(pass_acc *a, uint32_t s, uint8_t f, vlane w, double ll,
                                double br, int confusion)
{
    lane_add(ACC(a, F_LL, s), w, ll);
    lane_add(ACC(a, F_BR, s), w, br);
    if (confusion)
        lane_count(ACC(a, F_TP + confusion_field(f), s), w);
}

/* The same sums into the row's cell. */
static inline void add_cell_sums(pass_acc *a, size_t nc, uint32_t c, uint8_t f, vlane w,
                                 double ll, double br, int confusion)
{
    lane_add(a->cells + ((size_t)C_LL * nc + c) * LANES, w, ll);
    lane_add(a->cells + ((size_t)C_BR * nc + c) * LANES, w, br);
    if (confusion)
        lane_count(a->cells + ((size_t)(C_TP + confusion_field(f)) * nc + c) * LANES,
                   w);
}

/* Spread the cell sums over the slices each cell belongs to. */
static void cells_to_slices(const plan *p, pass_acc *a)
{
    const size_t nc = p->ncells;
    static const int to_field[NCELLFIELDS] = {F_LL, F_BR, F_TP, F_FP, F_TN, F_FN};
    int nfields = p->row_confusion ? NCELLFIELDS : 2;
    for (size_t c = 0; c < nc; c++)
        for (size_t k = 0; k < p->nsid; k++) {
            uint32_t s = p->cell_sid[c * p->nsid + k];
            for (int f = 0; f < nfields; f++) {
                const double *src = a->cells + ((size_t)f * nc + c) * LANES;
                double *dst = ACC(a, to_field[f], s);
                vstore(dst, vload(dst) + vload(src));
            }
        }
}

#define PREFETCH_AHEAD 16

/*
 * One weighted pass of a model's sorted rows for LANES replicates whose unit counts
 * are interleaved in `counts` (LANES bytes per unit). Counts are read through the
 * row's slot, sequentially for the first model and scattered for the others, so
 * they are prefetched a few rows ahead.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
row_pass(const plan *p, const sorted_model *sm, const uint8_t *counts, pass_acc *a)
{
    const size_t S = p->S, nsid = p->nsid, n = p->n, nc = p->ncells;
    const int confusion = p->row_confusion, cells = p->use_cells;
    vlane w;

    memset(a->acc, 0, NFIELDS * S * LANES * sizeof(double));
    if (cells)
        memset(a->cells, 0, NCELLFIELDS * nc * LANES * sizeof(double));
    for (size_t i = 0; i < n;) {
        int group = i + 1 < n && (sm->flags[i + 1] & FLAG_TIED);
        if (i + PREFETCH_AHEAD < n)
            __builtin_prefetch(counts + (size_t)sm->slot[i + PREFETCH_AHEAD] * LANES);
        if (!group) {
            uint8_t f = sm->flags[i];
            const uint16_t *sid = &sm->sid[i * nsid];
            {
                w = load_weights(counts + (size_t)sm->slot[i] * LANES);
                if (cells)
                    add_cell_sums(a, nc, sm->cell[i], f, w, sm->ll[i], sm->br[i],
                                  confusion);
                if (f & FLAG_LABEL)
                    for (size_t k = 0; k < nsid; k++)
                        lane_positive(ACC(a, F_CP, sid[k]), ACC(a, F_AP, sid[k]),
                                      ACC(a, F_CN, sid[k]), w);
                else
                    for (size_t k = 0; k < nsid; k++)
                        lane_negative(ACC(a, F_U, sid[k]), ACC(a, F_CN, sid[k]),
                                      ACC(a, F_CP, sid[k]), w);
                if (!cells)
                    for (size_t k = 0; k < nsid; k++)
                        add_row_sums(a, sid[k], f, w, sm->ll[i], sm->br[i], confusion);
            }
            i++;
            continue;
        }
        /* A group of tied scores: gather its weights per slice, then settle. */
        size_t j = i + 1, ntouched = 0;
        while (j < n && (sm->flags[j] & FLAG_TIED))
            j++;
        for (size_t t = i; t < j; t++) {
            uint8_t f = sm->flags[t];
            const uint16_t *sid = &sm->sid[t * nsid];
            uint32_t alone = sm->alone[t];
            if (t + PREFETCH_AHEAD < n)
                __builtin_prefetch(counts +
                                   (size_t)sm->slot[t + PREFETCH_AHEAD] * LANES);
            w = load_weights(counts + (size_t)sm->slot[t] * LANES);
            if (cells)
                add_cell_sums(a, nc, sm->cell[t], f, w, sm->ll[t], sm->br[t],
                              confusion);
            for (size_t k = 0; k < nsid; k++) {
                uint32_t s = sid[k];
                if (!cells)
                    add_row_sums(a, s, f, w, sm->ll[t], sm->br[t], confusion);
                if (k < 32 && (alone >> k & 1)) {
                    if (f & FLAG_LABEL)
                        lane_positive(ACC(a, F_CP, s), ACC(a, F_AP, s), ACC(a, F_CN, s),
                                      w);
                    else
                        lane_negative(ACC(a, F_U, s), ACC(a, F_CN, s), ACC(a, F_CP, s),
                                      w);
                    continue;
                }
                if (!a->mark[s]) {
                    a->mark[s] = 1;
                    a->touched[ntouched++] = s;
                }
                lane_count(((f & FLAG_LABEL) ? a->gp : a->gn) + (size_t)s * LANES, w);
            }
        }
        for (size_t q = 0; q < ntouched; q++) {
            uint32_t s = a->touched[q];
            lane_settle(ACC(a, F_U, s), ACC(a, F_CP, s), ACC(a, F_CN, s),
                        ACC(a, F_AP, s), a->gp + (size_t)s * LANES,
                        a->gn + (size_t)s * LANES);
            a->mark[s] = 0;
        }
        i = j;
    }
    if (cells)
        cells_to_slices(p, a);
}

/* Copy lane r of a pass into per-slice statistics (rank and mean fields). */
static void store_lane(const plan *p, const pass_acc *a, int r, mg_binary_stats *st)
{
    const size_t S = p->S;
    for (size_t s = 0; s < S; s++) {
        mg_binary_stats *o = &st[s];
        o->pos = ACC(a, F_CP, s)[r];
        o->neg = ACC(a, F_CN, s)[r];
        o->auc_u = ACC(a, F_U, s)[r];
        o->ap_sum = ACC(a, F_AP, s)[r];
        o->log_loss_sum = ACC(a, F_LL, s)[r];
        o->brier_sum = ACC(a, F_BR, s)[r];
        if (p->row_confusion) {
            o->tp = ACC(a, F_TP, s)[r];
            o->fp = ACC(a, F_FP, s)[r];
            o->tn = ACC(a, F_TN, s)[r];
            o->fn = ACC(a, F_FN, s)[r];
        }
    }
}

static void init_poisson(plan *p)
{
    double pk = exp(-1.0), c = 0;
    for (int k = 0; k < 24; k++) {
        c += pk;
        pk /= k + 1;
        p->poisson_cdf[k] = c >= 1.0 ? UINT64_MAX : (uint64_t)ldexp(c, 64);
    }
}

/* Poisson(1) weight from 64 random bits, by inversion of the CDF. */
static uint8_t poisson1(const plan *p, uint64_t bits)
{
    for (int k = 0; k < 23; k++)
        if (bits < p->poisson_cdf[k])
            return (uint8_t)k;
    return 23;
}

/*
 * k uniform picks over `size` (<= BLOCK) units of one lane (stride LANES). A full
 * block is a power of two, so 12-bit fields of the generator's output pick
 * directly; otherwise each 64-bit output yields two 32-bit numbers, each mapped to
 * [0, size) by Lemire's multiply-shift with rejection. Both are exact: every unit is
 * equally likely.
 */
static int draw_block(gsl_rng *rng, uint8_t *lane, size_t size, size_t k)
{
    const uint32_t range = (uint32_t)size, reject = (uint32_t)(-range % range);
    uint64_t bits = 0;
    int have = 0;
    if (size == BLOCK) {
        /* A power of two: five unbiased 12-bit picks from each 64-bit output. */
        for (size_t t = 0; t < k; t++) {
            uint8_t *c;
            if (!have) {
                bits = mg__rng_next(rng);
                have = 5;
            }
            c = &lane[(bits & (BLOCK - 1)) * LANES];
            bits >>= 12;
            have--;
            if (*c == UINT8_MAX)
                return MG_ENUMERIC;
            (*c)++;
        }
        return 0;
    }
    for (size_t t = 0; t < k;) {
        uint32_t x;
        uint64_t m;
        if (!have) {
            bits = mg__rng_next(rng);
            have = 2;
        }
        x = (uint32_t)bits;
        bits >>= 32;
        have--;
        m = (uint64_t)x * range;
        if ((uint32_t)m < reject)
            continue;
        uint8_t *c = &lane[(m >> 32) * LANES];
        if (*c == UINT8_MAX)
            return MG_ENUMERIC;
        (*c)++;
        t++;
    }
    return 0;
}

/* Fill lane r of `counts` with replicate b's unit counts. Returns 0 or MG_ENUMERIC. */
static int draw_counts(const plan *p, gsl_rng *rng, size_t b, int r, uint8_t *counts)
{
    if (p->o->resampler == MG__ENGINE_POISSON) {
        uint64_t key = mg__mix64(mg__mix64(p->o->seed ^ 0x706f6973736f6eULL) ^ b);
        for (size_t u = 0; u < p->units; u++)
            counts[u * LANES + r] = poisson1(p, mg__mix64(key ^ mg__mix64(u)));
        return 0;
    }
    mg__rng_stream(rng, p->o->seed, b, MG__STREAM_ROWS);
    for (size_t q = 0; q < p->nranges; q++) {
        const draw_range *dr = &p->ranges[q];
        size_t left_units = dr->hi - dr->lo, left_draws = dr->draws;
        for (size_t lo = dr->lo; lo < dr->hi; lo += BLOCK) {
            size_t size = dr->hi - lo < BLOCK ? dr->hi - lo : BLOCK;
            size_t k = left_draws;
            if (size < left_units)
                k = gsl_ran_binomial(rng, (double)size / (double)left_units,
                                     (unsigned)left_draws);
            left_units -= size;
            left_draws -= k;
            if (draw_block(rng, counts + lo * LANES + r, size, k) != 0)
                return MG_ENUMERIC;
        }
    }
    return 0;
}

/* Confusion counts of replicate b from a multinomial over atoms. */
static int atom_replicate(const plan *p, gsl_rng *rng, size_t b, unsigned *cnt,
                          unsigned *ccount, mg_binary_stats *st)
{
    const mg__dataset *d = p->d;
    mg__rng_stream(rng, p->o->seed, b, MG__STREAM_ATOMS);
    if (d->cluster != NULL) {
        memset(ccount, 0, d->nclusters * sizeof *ccount);
        for (size_t t = 0; t < d->nclusters; t++)
            ccount[mg__rng_below(rng, d->nclusters)]++;
        for (size_t a = 0; a < p->natoms; a++)
            if (ccount[p->atom_unit[a]] > 0)
                add_atom(p, a, (double)p->atom_count[a] * ccount[p->atom_unit[a]], st);
        return 0;
    } else if (p->o->stratify == MG__ENGINE_STRATIFY_LABEL) {
        size_t npos = 0;
        for (size_t a = 0; a < p->natoms_pos; a++)
            npos += p->atom_count[a];
        if (p->natoms_pos > 0)
            gsl_ran_multinomial(rng, p->natoms_pos, (unsigned)npos, p->atom_p, cnt);
        if (p->natoms > p->natoms_pos)
            gsl_ran_multinomial(rng, p->natoms - p->natoms_pos, (unsigned)(p->n - npos),
                                p->atom_p + p->natoms_pos, cnt + p->natoms_pos);
    } else {
        gsl_ran_multinomial(rng, p->natoms, (unsigned)p->n, p->atom_p, cnt);
    }
    for (size_t a = 0; a < p->natoms; a++)
        if (cnt[a] > 0)
            add_atom(p, a, cnt[a], st);
    return 0;
}

static void fail(plan *p, int code, const char *message)
{
    pthread_mutex_lock(&p->lock);
    if (!p->failed) {
        p->failed = 1;
        mg_error_set(&p->first_error, code, NULL, 0, 0, "%s", message);
    }
    pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
    plan *p = arg;
    mg__engine *e = p->e;
    const size_t B = e->replicates;
    mg__rng gen;
    gsl_rng *rng = &gen.gsl;
    uint8_t *counts = NULL;
    unsigned *cnt = xcalloc(p->natoms, sizeof *cnt);
    unsigned *ccount = xcalloc(p->d->cluster ? p->d->nclusters : 1, sizeof *ccount);
    pass_acc acc = {0};
    int need_rows = p->sorted != NULL;
    double t_atoms = 0, t_draws = 0, t_passes = 0, t0;

    mg__rng_init(&gen);
    if (need_rows)
        counts = malloc(p->units * LANES);
    if (cnt == NULL || ccount == NULL || (need_rows && counts == NULL) ||
        pass_acc_init(&acc, p) != 0) {
        fail(p, MG_ENOMEM, "out of memory in the bootstrap");
        goto cleanup;
    }
    for (;;) {
        size_t batch = atomic_fetch_add(&p->next_batch, 1), b0 = batch * LANES;
        size_t lanes;
        if (batch >= p->nbatches || p->failed ||
            (p->o->cancel != NULL && *p->o->cancel))
            break;
        lanes = B - b0 < LANES ? B - b0 : LANES;
        t0 = seconds();
        if (!p->row_confusion)
            for (size_t r = 0; r < lanes; r++)
                atom_replicate(p, rng, b0 + r, cnt, ccount,
                               &e->rep[(b0 + r) * p->M * p->S]);
        t_atoms += seconds() - t0;
        if (need_rows) {
            t0 = seconds();
            memset(counts, 0, p->units * LANES);
            for (size_t r = 0; r < lanes; r++)
                if (draw_counts(p, rng, b0 + r, (int)r, counts) != 0) {
                    fail(p, MG_ENUMERIC, "a bootstrap unit was drawn over 255 times");
                    goto cleanup;
                }
            t_draws += seconds() - t0;
            t0 = seconds();
            for (size_t m = 0; m < p->M; m++) {
                row_pass(p, &p->sorted[m], counts, &acc);
                for (size_t r = 0; r < lanes; r++)
                    store_lane(p, &acc, (int)r, &e->rep[((b0 + r) * p->M + m) * p->S]);
            }
            t_passes += seconds() - t0;
        }
        pthread_mutex_lock(&p->lock);
        p->done += lanes;
        if (p->o->progress)
            p->o->progress(p->o->progress_ctx, p->done, B);
        pthread_mutex_unlock(&p->lock);
    }
cleanup:
    pthread_mutex_lock(&p->lock);
    e->timing.atoms += t_atoms;
    e->timing.draws += t_draws;
    e->timing.passes += t_passes;
    pthread_mutex_unlock(&p->lock);
    free(counts);
    free(cnt);
    free(ccount);
    pass_acc_free(&acc);
    return NULL;
}

/* ---- Jackknife ----------------------------------------------------------- */

static void jack_add(mg__jack *j, double d, double mult)
{
    double d2 = d * d;
    j->s1 += mult * d;
    j->s2 += mult * d2;
    j->s3 += mult * d2 * d;
}

/* Confusion family: remove one row of each atom, per model, slice and metric. */
static int jack_confusion(plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    const mg__dataset *d = p->d;
    double *dev = xcalloc(p->M * MG_METRIC_COUNT, sizeof *dev);
    unsigned char *ok = xcalloc(p->M * MG_METRIC_COUNT, 1);

    if (dev == NULL || ok == NULL) {
        free(dev);
        free(ok);
        return nomem(err);
    }
    for (size_t a = 0; a < p->natoms; a++) {
        size_t i = p->atom_rep[a];
        const uint16_t *sid = &p->row_sid[i * p->nsid];
        int y = d->label[i];
        double mult = p->atom_count[a];
        for (size_t k = 0; k < p->nsid; k++) {
            size_t s = sid[k];
            if (s == e->nslices)
                continue; /* the sink */
            for (size_t m = 0; m < p->M; m++) {
                const mg_binary_stats *st0 = &e->est[m * p->S + s];
                mg_binary_stats st = *st0;
                int pred = d->score[m][i] >= d->threshold[m];
                double *cell = y ? (pred ? &st.tp : &st.fn) : (pred ? &st.fp : &st.tn);
                *cell -= 1;
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                    double v0, v1;
                    size_t q = m * MG_METRIC_COUNT + mt;
                    ok[q] = 0;
                    if (mg_metric_family(mt) != MG_FAMILY_CONFUSION ||
                        mg_metric_value(mt, st0, &v0, NULL) != 0)
                        continue;
                    if (mg_metric_value(mt, &st, &v1, NULL) != 0) {
                        e->jack[jack_index(e, m, s, mt)].undefined += mult;
                        continue;
                    }
                    dev[q] = v1 - v0;
                    ok[q] = 1;
                    jack_add(&e->jack[jack_index(e, m, s, mt)], v1 - v0, mult);
                }
            }
            for (size_t q = 0; q < p->o->npairs; q++) {
                size_t m1 = p->o->pairs[q][0] * MG_METRIC_COUNT;
                size_t m2 = p->o->pairs[q][1] * MG_METRIC_COUNT;
                for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                    mg__jack *j = &e->jack[jack_index(e, p->M + q, s, mt)];
                    if (mg_metric_family(mt) != MG_FAMILY_CONFUSION)
                        continue;
                    if (ok[m1 + mt] && ok[m2 + mt])
                        jack_add(j, dev[m1 + mt] - dev[m2 + mt], mult);
                    else
                        j->undefined += mult;
                }
            }
        }
    }
    free(dev);
    free(ok);
    return 0;
}

/* Rank metrics' deviations are stored per row; the means' are computed on the fly
 * from the row's own loss, which needs no storage. */
enum { JR_AUC, JR_AP, JR_STORED, JR_LL = JR_STORED, JR_BR, JR_COUNT };
static const mg_metric jr_metric[JR_COUNT] = {
    MG_METRIC_AUC, MG_METRIC_AVERAGE_PRECISION, MG_METRIC_LOG_LOSS, MG_METRIC_BRIER};

/*
 * Rank and mean families for one slicing k: the leave-one-row-out deviation of every
 * row, for every model, into dev[m][metric][row] (NaN marks an undefined one).
 */
static int jack_rows_slicing(plan *p, size_t k, double **dev, double **place,
                             mg_error *err)
{
    mg__engine *e = p->e;
    const size_t n = p->n, S = p->S, nsid = p->nsid;
    double *cpb = xcalloc(S, sizeof(double)), *cnb = xcalloc(S, sizeof(double));
    double *apre = xcalloc(S, sizeof(double)), *gp = xcalloc(S, sizeof(double));
    double *gn = xcalloc(S, sizeof(double)), *sneg = xcalloc(S, sizeof(double));
    double *spos = xcalloc(S, sizeof(double));
    unsigned char *mark = xcalloc(S, 1);
    double *abefore = malloc(n * sizeof(double)), *tph = malloc(n * sizeof(double));
    double *fph = malloc(n * sizeof(double)), *ph = malloc(n * sizeof(double));
    int rc = MG_ENOMEM;

    if (!cpb || !cnb || !apre || !gp || !gn || !sneg || !spos || !mark || !abefore ||
        !tph || !fph || !ph) {
        nomem(err);
        goto cleanup;
    }
    for (size_t m = 0; m < p->M; m++) {
        const sorted_model *sm = &p->sorted[m];
        const mg_binary_stats *est = &e->est[m * S];
        double *dauc = dev[m * JR_STORED + JR_AUC], *dap = dev[m * JR_STORED + JR_AP];
        memset(cpb, 0, S * sizeof(double));
        memset(cnb, 0, S * sizeof(double));
        memset(apre, 0, S * sizeof(double));
        memset(sneg, 0, S * sizeof(double));
        memset(spos, 0, S * sizeof(double));
        /* Forward over groups: AUC deviations and what AP needs later. */
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && (sm->flags[j] & FLAG_TIED))
                j++;
            for (size_t t = i; t < j; t++)
                gp[sm->sid[t * nsid + k]] = gn[sm->sid[t * nsid + k]] = 0;
            for (size_t t = i; t < j; t++) {
                uint16_t s = sm->sid[t * nsid + k];
                if (sm->flags[t] & FLAG_LABEL)
                    gp[s] += 1;
                else
                    gn[s] += 1;
            }
            for (size_t t = i; t < j; t++) {
                uint16_t s = sm->sid[t * nsid + k];
                const mg_binary_stats *st = &est[s];
                double P = st->pos, N = st->neg, U = st->auc_u;
                uint32_t r = sm->row[t];
                /* The row's pairs: negatives below a positive, positives above a
                 * negative, ties ½ (its DeLong placement, unnormalised). */
                if (place != NULL)
                    place[m][r] = (sm->flags[t] & FLAG_LABEL) ? N - cnb[s] - 0.5 * gn[s]
                                                              : cpb[s] + 0.5 * gp[s];
                if (!(P > 0) || !(N > 0))
                    dauc[r] = NAN;
                else if (sm->flags[t] & FLAG_LABEL)
                    dauc[r] =
                        P > 1 ? (U - P * (N - cnb[s] - 0.5 * gn[s])) / (P * (P - 1) * N)
                              : NAN;
                else
                    dauc[r] = N > 1
                                  ? (U - N * (cpb[s] + 0.5 * gp[s])) / (P * N * (N - 1))
                                  : NAN;
                abefore[t] = apre[s];
                tph[t] = cpb[s] + gp[s];
                fph[t] = cnb[s] + gn[s];
                ph[t] = gp[s];
            }
            /* Settle the group once per slice it touches. */
            for (size_t t = i; t < j; t++) {
                uint16_t s = sm->sid[t * nsid + k];
                if (mark[s])
                    continue;
                mark[s] = 1;
                if (gp[s] > 0)
                    apre[s] +=
                        gp[s] * (cpb[s] + gp[s]) / (cpb[s] + gp[s] + cnb[s] + gn[s]);
                cpb[s] += gp[s];
                cnb[s] += gn[s];
            }
            for (size_t t = i; t < j; t++)
                mark[sm->sid[t * nsid + k]] = 0;
            i = j;
        }
        /* Backward over groups: suffix sums give AP without each row. */
        for (size_t j = n; j > 0;) {
            size_t i = j - 1;
            while (i > 0 && (sm->flags[i] & FLAG_TIED))
                i--;
            for (size_t t = i; t < j; t++) {
                uint16_t s = sm->sid[t * nsid + k];
                double P = est[s].pos, AP;
                double T = tph[t], F = fph[t], g = ph[t], den = T + F - 1, v;
                uint32_t r = sm->row[t];
                if (!(P > 0)) {
                    dap[r] = NAN;
                    continue;
                }
                AP = est[s].ap_sum / P;
                if (sm->flags[t] & FLAG_LABEL) {
                    if (P <= 1) {
                        dap[r] = NAN;
                        continue;
                    }
                    v = abefore[t] + (den > 0 ? (g - 1) * (T - 1) / den : 0) + spos[s];
                    dap[r] = v / (P - 1) - AP;
                } else {
                    v = abefore[t] + (g > 0 ? g * T / den : 0) + sneg[s];
                    dap[r] = v / P - AP;
                }
            }
            for (size_t t = i; t < j; t++) {
                uint16_t s = sm->sid[t * nsid + k];
                double T = tph[t], F = fph[t], g = ph[t], den = T + F - 1;
                if (mark[s])
                    continue;
                mark[s] = 1;
                if (g > 0 && den > 0) {
                    sneg[s] += g * T / den;
                    spos[s] += g * (T - 1) / den;
                }
            }
            for (size_t t = i; t < j; t++)
                mark[sm->sid[t * nsid + k]] = 0;
            j = i;
        }
    }
    rc = 0;
cleanup:
    free(cpb);
    free(cnb);
    free(apre);
    free(gp);
    free(gn);
    free(sneg);
    free(spos);
    free(mark);
    free(abefore);
    free(tph);
    free(fph);
    free(ph);
    return rc;
}

/* Leave-one-out deviation of a mean (log loss or Brier) for row i on slice s. */
static double mean_deviation(const plan *p, size_t m, size_t s, size_t i, int q)
{
    const mg_binary_stats *st = &p->e->est[m * p->S + s];
    double ns = st->pos + st->neg;
    double score = p->d->score[m][i];
    int y = p->d->label[i];
    double x =
        q == JR_LL ? mg_metric_row_log_loss(score, y) : mg_metric_row_brier(score, y);
    double sum = q == JR_LL ? st->log_loss_sum : st->brier_sum;
    return ns > 1 ? (sum - ns * x) / (ns * (ns - 1)) : NAN;
}

static int jack_rows(plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    size_t count = p->M * JR_STORED;
    double **dev = xcalloc(count, sizeof *dev);
    double *v = xcalloc(p->M, sizeof *v);
    int rc = MG_ENOMEM;

    if (dev == NULL || v == NULL)
        goto cleanup;
    for (size_t q = 0; q < count; q++)
        if ((dev[q] = malloc(p->n * sizeof(double))) == NULL)
            goto cleanup;
    for (size_t k = 0; k < p->nsid; k++) {
        if ((rc = jack_rows_slicing(p, k, dev, NULL, err)) != 0)
            goto cleanup;
        for (size_t i = 0; i < p->n; i++) {
            size_t s = p->row_sid[i * p->nsid + k];
            if (s == e->nslices)
                continue; /* the sink */
            for (int q = 0; q < JR_COUNT; q++) {
                for (size_t m = 0; m < p->M; m++) {
                    mg__jack *j = &e->jack[jack_index(e, m, s, jr_metric[q])];
                    v[m] = q < JR_STORED ? dev[m * JR_STORED + q][i]
                                         : mean_deviation(p, m, s, i, q);
                    if (isnan(v[m]))
                        j->undefined += 1;
                    else
                        jack_add(j, v[m], 1);
                }
                for (size_t pr = 0; pr < p->o->npairs; pr++) {
                    double v1 = v[p->o->pairs[pr][0]], v2 = v[p->o->pairs[pr][1]];
                    mg__jack *j = &e->jack[jack_index(e, p->M + pr, s, jr_metric[q])];
                    if (isnan(v1) || isnan(v2))
                        j->undefined += 1;
                    else
                        jack_add(j, v1 - v2, 1);
                }
            }
        }
    }
    rc = 0;
cleanup:
    if (dev != NULL)
        for (size_t q = 0; q < count; q++)
            free(dev[q]);
    free(dev);
    free(v);
    if (rc == MG_ENOMEM)
        nomem(err);
    return rc;
}

/*
 * The jackknife over clusters: leave out one whole cluster at a time. Sums that add
 * over rows (confusion counts, losses, class counts) lose the cluster's share. The
 * Mann–Whitney count loses every pair with a row of the cluster: the sum of those
 * rows' placements, which counts the cluster's own pairs twice, so they are added
 * back (counted within the cluster, sorted by score). Average precision has no such
 * decomposition (removing rows at many depths changes every later precision), so
 * its acceleration is marked unavailable and its interval is bias-corrected only.
 */
typedef struct cluster_row {
    double score;
    int label;
} cluster_row;

static int by_cluster_score(const void *a, const void *b)
{
    double x = ((const cluster_row *)a)->score, y = ((const cluster_row *)b)->score;
    return (x > y) - (x < y);
}

/* Pairs (positive above negative, ties ½) among n rows sorted ascending by score. */
static double pairs_within(const cluster_row *r, size_t n)
{
    double u = 0, neg_below = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double gp = 0, gn = 0;
        while (j < n && r[j].score == r[i].score) {
            if (r[j].label)
                gp++;
            else
                gn++;
            j++;
        }
        u += gp * (neg_below + 0.5 * gn);
        neg_below += gn;
        i = j;
    }
    return u;
}

static int jack_clusters(plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    const mg__dataset *d = p->d;
    const size_t n = p->n, M = p->M, nc = d->nclusters;
    size_t *start = xcalloc(nc + 1, sizeof *start),
           *fill = xcalloc(nc + 1, sizeof *fill);
    uint32_t *order = xcalloc(n, sizeof *order);
    double **dev = NULL, **place = NULL;
    mg_binary_stats *agg = xcalloc(M * p->S, sizeof *agg);
    double *dv = xcalloc(M * MG_METRIC_COUNT, sizeof *dv);
    unsigned char *ok = xcalloc(M * MG_METRIC_COUNT, 1);
    uint32_t *touched = xcalloc(p->S, sizeof *touched);
    unsigned char *mark = xcalloc(p->S, 1);
    cluster_row *rows = xcalloc(n, sizeof *rows);
    int rc = MG_ENOMEM;

    if (!start || !fill || !order || !agg || !dv || !ok || !touched || !mark || !rows)
        goto cleanup;
    if (p->sorted != NULL) {
        dev = xcalloc(M * JR_STORED, sizeof *dev);
        place = xcalloc(M, sizeof *place);
        if (dev == NULL || place == NULL)
            goto cleanup;
        for (size_t q = 0; q < M * JR_STORED; q++)
            if ((dev[q] = malloc(n * sizeof(double))) == NULL)
                goto cleanup;
        for (size_t m = 0; m < M; m++)
            if ((place[m] = malloc(n * sizeof(double))) == NULL)
                goto cleanup;
    }
    /* Rows grouped by cluster (counting sort). */
    for (size_t i = 0; i < n; i++)
        start[d->cluster[i] + 1]++;
    for (size_t c = 0; c < nc; c++)
        start[c + 1] += start[c];
    memcpy(fill, start, (nc + 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        order[fill[d->cluster[i]]++] = (uint32_t)i;

    for (size_t k = 0; k < p->nsid; k++) {
        if (p->sorted != NULL && (rc = jack_rows_slicing(p, k, dev, place, err)) != 0)
            goto cleanup;
        rc = MG_ENOMEM;
        for (size_t c = 0; c < nc; c++) {
            size_t ntouched = 0;
            /* The cluster's share of every slice of slicing k it touches. */
            for (size_t q = start[c]; q < start[c + 1]; q++) {
                size_t i = order[q], s = p->row_sid[i * p->nsid + k];
                int y = d->label[i];
                if (s == e->nslices)
                    continue;
                if (!mark[s]) {
                    mark[s] = 1;
                    touched[ntouched++] = (uint32_t)s;
                }
                for (size_t m = 0; m < M; m++) {
                    mg_binary_stats *a = &agg[m * p->S + s];
                    double sc = d->score[m][i];
                    int pred = sc >= d->threshold[m];
                    *(y ? (pred ? &a->tp : &a->fn) : (pred ? &a->fp : &a->tn)) += 1;
                    *(y ? &a->pos : &a->neg) += 1;
                    a->log_loss_sum += mg_metric_row_log_loss(sc, y);
                    a->brier_sum += mg_metric_row_brier(sc, y);
                    if (place != NULL)
                        a->auc_u += place[m][i];
                }
            }
            for (size_t t = 0; t < ntouched; t++) {
                size_t s = touched[t];
                for (size_t m = 0; m < M; m++) {
                    const mg_binary_stats *st0 = &e->est[m * p->S + s];
                    mg_binary_stats *a = &agg[m * p->S + s], st = *st0;
                    double within = 0;
                    if (place != NULL) {
                        size_t k2 = 0;
                        for (size_t q = start[c]; q < start[c + 1]; q++) {
                            size_t i = order[q];
                            if (p->row_sid[i * p->nsid + k] == s)
                                rows[k2++] = (cluster_row){d->score[m][i], d->label[i]};
                        }
                        qsort(rows, k2, sizeof *rows, by_cluster_score);
                        within = pairs_within(rows, k2);
                    }
                    st.tp -= a->tp, st.fp -= a->fp, st.tn -= a->tn, st.fn -= a->fn;
                    st.pos -= a->pos, st.neg -= a->neg;
                    st.log_loss_sum -= a->log_loss_sum;
                    st.brier_sum -= a->brier_sum;
                    st.auc_u = st0->auc_u - a->auc_u + within;
                    for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                        size_t q = m * MG_METRIC_COUNT + mt;
                        mg__jack *j = &e->jack[jack_index(e, m, s, mt)];
                        double v0, v1;
                        ok[q] = 0;
                        if (mt == MG_METRIC_AVERAGE_PRECISION ||
                            (mg_metric_family(mt) != MG_FAMILY_CONFUSION && !place) ||
                            mg_metric_value(mt, st0, &v0, NULL) != 0)
                            continue;
                        if (mg_metric_value(mt, &st, &v1, NULL) != 0) {
                            j->undefined += 1;
                            continue;
                        }
                        dv[q] = v1 - v0;
                        ok[q] = 1;
                        jack_add(j, dv[q], 1);
                    }
                    memset(a, 0, sizeof *a);
                }
                for (size_t pr = 0; pr < p->o->npairs; pr++) {
                    size_t m1 = p->o->pairs[pr][0] * MG_METRIC_COUNT;
                    size_t m2 = p->o->pairs[pr][1] * MG_METRIC_COUNT;
                    for (int mt = 0; mt < MG_METRIC_COUNT; mt++) {
                        mg__jack *j = &e->jack[jack_index(e, M + pr, s, mt)];
                        if (ok[m1 + mt] && ok[m2 + mt])
                            jack_add(j, dv[m1 + mt] - dv[m2 + mt], 1);
                        else if (mt != MG_METRIC_AVERAGE_PRECISION)
                            j->undefined += 1;
                    }
                }
                mark[s] = 0;
            }
        }
    }
    /* No closed form for average precision without whole clusters' positions. */
    for (size_t who = 0; who < M + p->o->npairs; who++)
        for (size_t s = 0; s < p->S; s++)
            e->jack[jack_index(e, who, s, MG_METRIC_AVERAGE_PRECISION)].unavailable = 1;
    rc = 0;
cleanup:
    if (dev != NULL)
        for (size_t q = 0; q < M * JR_STORED; q++)
            free(dev[q]);
    if (place != NULL)
        for (size_t m = 0; m < M; m++)
            free(place[m]);
    free(dev);
    free(place);
    free(start);
    free(fill);
    free(order);
    free(agg);
    free(dv);
    free(ok);
    free(touched);
    free(mark);
    free(rows);
    if (rc == MG_ENOMEM)
        nomem(err);
    return rc;
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
    if (o->need_rank || o->resampler == MG__ENGINE_POISSON) {
        /* sorted rows per model, unit counts per thread, jackknife scratch */
        bytes += M * n *
                 (2 * sizeof(uint32_t) + 1 + nsid * sizeof(uint16_t) +
                  2 * sizeof(double) + sizeof(uint32_t));
        bytes += threads * units * LANES;
        bytes += n * (M * JR_STORED * sizeof(double) + 4 * sizeof(double));
    }
    return bytes;
}

static int point_estimates(plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    for (size_t a = 0; a < p->natoms; a++)
        add_atom(p, a, p->atom_count[a], e->est);
    if (p->sorted != NULL) {
        pass_acc acc = {0};
        uint8_t *ones = calloc(p->units ? p->units : 1, LANES);
        if (ones == NULL || pass_acc_init(&acc, p) != 0) {
            free(ones);
            pass_acc_free(&acc);
            return nomem(err);
        }
        /* Lane 0 weighs every row once: with clusters, each cluster's count is 1. */
        for (size_t u = 0; u < p->units; u++)
            ones[u * LANES] = 1;
        for (size_t m = 0; m < p->M; m++) {
            int saved = p->row_confusion;
            row_pass(p, &p->sorted[m], ones, &acc);
            p->row_confusion = 0; /* the atoms already counted the confusion cells */
            store_lane(p, &acc, 0, &e->est[m * p->S]);
            p->row_confusion = saved;
        }
        free(ones);
        pass_acc_free(&acc);
    }
    return 0;
}

int mg__engine_run(mg__engine **out, const mg__dataset *d, const mg__engine_options *o,
                   mg_error *err)
{
    plan p = {0};
    mg__engine *e = NULL;
    pthread_t *threads = NULL;
    size_t nthreads = 0, started = 0;
    double t_start = seconds();
    int rc = MG_ENOMEM;

    *out = NULL;
    p.d = d;
    p.o = o;
    p.n = d->n;
    p.M = d->nmodels;
    p.nsid = d->nslicings + 1;
    if (d->n == 0 || d->nmodels == 0)
        return mg_error_set(err, MG_EINVAL, NULL, 0, 0, "no rows or no models");
    if (d->n > UINT32_MAX)
        return mg_error_set(err, MG_EDATA, NULL, 0, 0,
                            "%zu rows: more than the limit of %u", d->n, UINT32_MAX);
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return nomem(err);
    p.e = e;
    e->n = d->n;
    e->nmodels = d->nmodels;
    e->nslicings = d->nslicings;
    e->nsid = p.nsid;
    e->replicates = o->replicates;
    e->npairs = o->npairs;
    e->offset = xcalloc(d->nslicings, sizeof *e->offset);
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
    e->stride = p.S = e->nslices + 1;
    e->slice_rows = xcalloc(p.S, sizeof *e->slice_rows);
    e->est = xcalloc(p.M * p.S, sizeof *e->est);
    e->rep = xcalloc(o->replicates * p.M * p.S, sizeof *e->rep);
    e->jack = xcalloc((p.M + o->npairs) * p.S * MG_METRIC_COUNT, sizeof *e->jack);
    p.row_sid = malloc(d->n * p.nsid * sizeof *p.row_sid);
    if (!e->slice_rows || !e->est || !e->rep || !e->jack || !p.row_sid)
        goto cleanup;
    for (size_t i = 0; i < d->n; i++) {
        uint16_t *sid = &p.row_sid[i * p.nsid];
        sid[0] = 0;
        for (size_t k = 0; k < d->nslicings; k++) {
            uint32_t c = d->slice_code[k][i];
            sid[k + 1] =
                (uint16_t)(c == MG__ENGINE_NO_SLICE ? e->nslices : e->offset[k] + c);
        }
        for (size_t k = 0; k < p.nsid; k++)
            e->slice_rows[sid[k]]++;
    }
    for (size_t s = 0; s < p.S * (p.M + o->npairs) * MG_METRIC_COUNT; s++)
        e->jack[s].n = (double)(d->cluster ? d->nclusters : d->n);
    init_poisson(&p);

    if ((rc = build_atoms(&p, err)) != 0 || (rc = build_cells(&p, err)) != 0)
        goto cleanup;
    p.row_confusion = o->resampler == MG__ENGINE_POISSON || o->row_confusion;
    if (o->need_rank || p.row_confusion) {
        if ((rc = build_sorted(&p, err)) != 0)
            goto cleanup;
    }
    e->timing.setup = seconds() - t_start;
    if ((rc = point_estimates(&p, err)) != 0)
        goto cleanup;
    e->timing.estimates = seconds() - t_start - e->timing.setup;
    if (o->replicates > 0) {
        p.nbatches = (o->replicates + LANES - 1) / LANES;
        atomic_init(&p.next_batch, 0);
        pthread_mutex_init(&p.lock, NULL);
        nthreads = o->threads > 1 ? o->threads : 1;
        threads = calloc(nthreads, sizeof *threads);
        if (threads == NULL) {
            pthread_mutex_destroy(&p.lock);
            rc = nomem(err);
            goto cleanup;
        }
        for (size_t t = 1; t < nthreads; t++) {
            if (pthread_create(&threads[t], NULL, worker, &p) != 0)
                break;
            started = t;
        }
    }
    /* The jackknife reads only the point statistics and the sorted rows, so this
     * thread computes it while the others start on the replicates, then joins them. */
    {
        double t_jack = seconds();
        if (d->cluster == NULL) {
            rc = jack_confusion(&p, err);
            if (rc == 0 && p.sorted != NULL)
                rc = jack_rows(&p, err);
        } else {
            rc = jack_clusters(&p, err);
        }
        e->timing.jackknife = seconds() - t_jack;
        if (rc != 0)
            p.failed = 1; /* stop the workers; err already says why */
    }
    if (rc != 0 && o->replicates == 0)
        goto cleanup;
    if (o->replicates > 0) {
        if (rc == 0)
            worker(&p);
        for (size_t t = 1; t <= started; t++)
            pthread_join(threads[t], NULL);
        pthread_mutex_destroy(&p.lock);
        if (rc != 0)
            goto cleanup;
        if (p.failed) {
            if (err)
                *err = p.first_error;
            rc = p.first_error.code;
            goto cleanup;
        }
        if (o->cancel != NULL && *o->cancel) {
            rc = mg_error_set(err, MG_EINTERNAL, NULL, 0, 0, "interrupted");
            goto cleanup;
        }
    }
    rc = 0;
    e->timing.wall = seconds() - t_start;
    *out = e;
    e = NULL;
cleanup:
    free(threads);
    free(p.row_sid);
    free(p.row_cell);
    free(p.cell_sid);
    free(p.atom_count);
    free(p.atom_rep);
    free(p.atom_unit);
    free(p.atom_p);
    free_sorted(&p);
    mg__engine_free(e);
    if (rc == MG_ENOMEM && err && err->code == 0)
        nomem(err);
    return rc;
}

int mg__engine_row_weights(const mg__dataset *d, const mg__engine_options *o, size_t b,
                           double *w, mg_error *err)
{
    plan p = {0};
    mg__rng gen;
    uint8_t *counts = NULL;
    int rc = MG_ENOMEM;

    p.d = d;
    p.o = o;
    p.n = d->n;
    p.M = d->nmodels;
    p.nsid = 1;
    init_poisson(&p);
    p.row_sid = calloc(d->n, sizeof *p.row_sid);
    mg__rng_init(&gen);
    if (p.row_sid == NULL || build_sorted(&p, err) != 0)
        goto cleanup;
    counts = calloc(p.units ? p.units : 1, LANES);
    if (counts == NULL)
        goto cleanup;
    if (draw_counts(&p, &gen.gsl, b, 0, counts) != 0) {
        rc = mg_error_set(err, MG_ENUMERIC, NULL, 0, 0, "count overflow");
        goto cleanup;
    }
    for (size_t i = 0; i < p.n; i++)
        w[p.sorted[0].row[i]] = counts[(size_t)p.sorted[0].slot[i] * LANES];
    rc = 0;
cleanup:
    if (rc == MG_ENOMEM)
        nomem(err);
    free(counts);
    free(p.row_sid);
    free_sorted(&p);
    return rc;
}
