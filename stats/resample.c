/*
 * The bootstrap's resampling: how a replicate's units are drawn, and the weighted
 * passes that turn the draws into statistics.
 *
 * Drawing N rows with replacement gives each row a count; every statistic is then
 * a weighted sum over rows (Efron & Tibshirani 1993, "An introduction to the
 * bootstrap"). Two families of statistics are computed in two ways:
 *
 * A replicate is one vector of unit counts, drawn once and read by everything: by
 * default a multinomial draw of N over the N units in their canonical order (see
 * stats/engine.c). The draw is blocked: a multinomial over blocks of 4096 units by
 * conditional binomials (Davis 1993, "The computer generation of multinomial random
 * variates", CSDA 16:205–217), then uniform picks inside each block (Lemire 2019,
 * "Fast random integer generation in an interval", ACM TOMACS 29(1)), which keeps
 * the increments in cache. Eight replicates are drawn per batch, their counts
 * interleaved one byte each.
 *
 * Confusion counts depend on a row only through its atom (label, predictions, slice
 * ids, cluster), so the batch's counts are summed per atom in one sequential pass
 * over the units, and each atom then adds into its slices: O(N + atoms × slicings)
 * per batch. Summing the rows' counts, rather than drawing a multinomial over the
 * atoms directly (which has the same distribution), is what makes a replicate
 * independent of how finely the atoms split: declaring a slicing or a model splits
 * atoms but moves no count.
 *
 * Score-order and mean statistics (AUC as a weighted Mann–Whitney count, average
 * precision, log loss, Brier) need each row's score: the driver sorts each model's
 * rows once by descending score, and a replicate is a weighted pass over that
 * order, the eight replicates' counts streamed once for all of them as the lanes
 * of one vector.
 *
 * Variants. With `stratify: label`, positives and negatives are drawn separately,
 * each with its own total, as two ranges of units (valid only for class-conditional
 * metrics: stats/engine.c). With `cluster:`, the units are clusters, drawn
 * uniformly with replacement, and each of a cluster's rows takes its count
 * (resampling whole groups; Davison & Hinkley 1997, "Bootstrap methods and their
 * application", ch. 3). The Poisson resampler gives each unit an independent
 * Poisson(1) count (Hanley & MacGibbon 2006, "Creating non-parametric bootstrap
 * samples using Poisson frequencies", Comput. Methods Programs Biomed. 83:57–62),
 * from a counter-based hash of (seed, replicate, the unit's key: its id's hash, or
 * its row index without ids) inverted through the CDF, so a row's weight does not
 * depend on which other rows exist and shards can reproduce it and merge their
 * sums by addition.
 *
 * Every model and slice shares replicate b's counts, which is what pairs
 * differences and slice comparisons.
 *
 * What keeps a pass fast: counts read through a permutation are prefetched; a row
 * whose tie group has no other row in its slice is settled there as untied, since a
 * tie across slices is no tie within one (the same floating-point operations, so
 * the result is identical either way). Losses are added to each of a row's slices
 * directly, in sorted order: gathering them per cell (rows sharing every slice id)
 * would save updates but make a slice's rounding depend on the other slicings.
 * Confusion counts of the row pass (tests only) are integers and still go through
 * the cells.
 *
 * Numerical notes: counts are small integers, so counts and pair counts are exact in
 * double up to 2^53; average precision and the means accumulate rounding of order
 * n·ε relative, in a fixed order whatever the thread count. A unit's count is a
 * byte: a unit drawn more than 255 times in one replicate (for N draws over N units,
 * a chance below 1/255!) stops the run with MG_ENUMERIC rather than wrap. A Poisson
 * count of 23 or more (probability about 1.4·10⁻²³) is taken as 23.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/engine_internal.h"
#include "stats/lanes.h"

#define BLOCK 4096 /* units per block of the blocked multinomial (2^12) */

/* A pass's fields per slice, and the subset gathered per cell. */
enum { F_CP, F_CN, F_U, F_AP, F_LL, F_BR, F_TP, F_FP, F_TN, F_FN, NFIELDS };
enum { C_TP, C_FP, C_TN, C_FN, NCELLFIELDS };

/* Field f of slice s in a pass's accumulators: MG__LANES doubles, one per replicate. */
#define ACC(a, f, s) ((a)->acc + (((size_t)(s)*NFIELDS + (f)) * MG__LANES))

/* ---- Confusion atoms ----------------------------------------------------- */

/* Add `w` rows of atom a's kind into the statistics `st` (one row of slices). */
static void add_atom(const mg__plan *p, size_t a, double w, mg_binary_stats *st)
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

/* ---- Row pass ------------------------------------------------------------ */

static int pass_acc_init(mg__pass_acc *a, const mg__plan *p)
{
    size_t S = p->S;
    a->acc = lanes_calloc(NFIELDS * S * MG__LANES);
    a->cells = lanes_calloc(NCELLFIELDS * p->ncells * MG__LANES);
    if (a->cells == NULL)
        return MG_ENOMEM;
    a->gp = lanes_calloc(S * MG__LANES);
    a->gn = lanes_calloc(S * MG__LANES);
    a->touched = mg__xcalloc(S, sizeof(uint32_t));
    a->mark = mg__xcalloc(S, 1);
    return a->acc && a->gp && a->gn && a->touched && a->mark ? 0 : MG_ENOMEM;
}

static void pass_acc_free(mg__pass_acc *a)
{
    free(a->acc);
    free(a->cells);
    free(a->gp);
    free(a->gn);
    free(a->touched);
    free(a->mark);
}

/* Precision's denominator: a zero sum (possible only where the weight is 0 too)
 * becomes 1, so the term is 0 rather than 0/0. */
static inline vlane nonzero(vlane x)
{
    const vlane one = (vlane){0} + 1;
    /* Bitwise: the all-ones mask of x == 0 selects the bits of 1.0. */
    return x + (vlane)((x == 0) & (vmask)one);
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
    return (f & MG__FLAG_LABEL) ? ((f & MG__FLAG_PRED) ? 0 : 3)
                                : ((f & MG__FLAG_PRED) ? 1 : 2);
}

/*
 * Add a row's log loss, squared error and (without cells) confusion cell into a
 * slice. The losses go to each slice directly, never through cells: a slice's sum
 * then adds its own rows in sorted order, so declaring another slicing (which
 * splits the cells) cannot change its rounding.
 */
static inline void add_row_sums(mg__pass_acc *a, uint32_t s, uint8_t f, vlane w,
                                double ll, double br, int confusion)
{
    lane_add(ACC(a, F_LL, s), w, ll);
    lane_add(ACC(a, F_BR, s), w, br);
    if (confusion)
        lane_count(ACC(a, F_TP + confusion_field(f), s), w);
}

/* A row's confusion cell into its cell (integer counts: exact in any grouping). */
static inline void add_cell_sums(mg__pass_acc *a, size_t nc, uint32_t c, uint8_t f,
                                 vlane w)
{
    lane_count(a->cells + ((size_t)(C_TP + confusion_field(f)) * nc + c) * MG__LANES,
               w);
}

/* Spread the cell sums over the slices each cell belongs to. */
static void cells_to_slices(const mg__plan *p, mg__pass_acc *a)
{
    const size_t nc = p->ncells;
    static const int to_field[NCELLFIELDS] = {F_TP, F_FP, F_TN, F_FN};
    const int nfields = NCELLFIELDS;
    for (size_t c = 0; c < nc; c++)
        for (size_t k = 0; k < p->nsid; k++) {
            uint32_t s = p->cell_sid[c * p->nsid + k];
            for (int f = 0; f < nfields; f++) {
                const double *src = a->cells + ((size_t)f * nc + c) * MG__LANES;
                double *dst = ACC(a, to_field[f], s);
                vstore(dst, vload(dst) + vload(src));
            }
        }
}

#define PREFETCH_AHEAD 16

/*
 * One weighted pass of a model's sorted rows for MG__LANES replicates whose unit counts
 * are interleaved in `counts` (MG__LANES bytes per unit). Counts are read through the
 * row's slot, sequentially for the first model and scattered for the others, so
 * they are prefetched a few rows ahead.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
row_pass(const mg__plan *p, const mg__sorted_model *sm, const uint8_t *counts,
         mg__pass_acc *a)
{
    const size_t S = p->S, nsid = p->nsid, n = p->n, nc = p->ncells;
    const int confusion = p->row_confusion, cells = p->use_cells && confusion;
    vlane w;

    memset(a->acc, 0, NFIELDS * S * MG__LANES * sizeof(double));
    if (cells)
        memset(a->cells, 0, NCELLFIELDS * nc * MG__LANES * sizeof(double));
    for (size_t i = 0; i < n;) {
        int group = i + 1 < n && (sm->flags[i + 1] & MG__FLAG_TIED);
        if (i + PREFETCH_AHEAD < n)
            __builtin_prefetch(counts +
                               (size_t)sm->slot[i + PREFETCH_AHEAD] * MG__LANES);
        if (!group) {
            uint8_t f = sm->flags[i];
            const uint16_t *sid = &sm->sid[i * nsid];
            {
                w = load_weights(counts + (size_t)sm->slot[i] * MG__LANES);
                if (cells)
                    add_cell_sums(a, nc, sm->cell[i], f, w);
                if (f & MG__FLAG_LABEL)
                    for (size_t k = 0; k < nsid; k++)
                        lane_positive(ACC(a, F_CP, sid[k]), ACC(a, F_AP, sid[k]),
                                      ACC(a, F_CN, sid[k]), w);
                else
                    for (size_t k = 0; k < nsid; k++)
                        lane_negative(ACC(a, F_U, sid[k]), ACC(a, F_CN, sid[k]),
                                      ACC(a, F_CP, sid[k]), w);
                for (size_t k = 0; k < nsid; k++)
                    add_row_sums(a, sid[k], f, w, sm->ll[i], sm->br[i],
                                 confusion && !cells);
            }
            i++;
            continue;
        }
        /* A group of tied scores: gather its weights per slice, then settle. */
        size_t j = i + 1, ntouched = 0;
        while (j < n && (sm->flags[j] & MG__FLAG_TIED))
            j++;
        for (size_t t = i; t < j; t++) {
            uint8_t f = sm->flags[t];
            const uint16_t *sid = &sm->sid[t * nsid];
            uint32_t alone = sm->alone[t];
            if (t + PREFETCH_AHEAD < n)
                __builtin_prefetch(counts +
                                   (size_t)sm->slot[t + PREFETCH_AHEAD] * MG__LANES);
            w = load_weights(counts + (size_t)sm->slot[t] * MG__LANES);
            if (cells)
                add_cell_sums(a, nc, sm->cell[t], f, w);
            for (size_t k = 0; k < nsid; k++) {
                uint32_t s = sid[k];
                add_row_sums(a, s, f, w, sm->ll[t], sm->br[t], confusion && !cells);
                if (k < 32 && (alone >> k & 1)) {
                    if (f & MG__FLAG_LABEL)
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
                lane_count(
                    ((f & MG__FLAG_LABEL) ? a->gp : a->gn) + (size_t)s * MG__LANES, w);
            }
        }
        for (size_t q = 0; q < ntouched; q++) {
            uint32_t s = a->touched[q];
            lane_settle(ACC(a, F_U, s), ACC(a, F_CP, s), ACC(a, F_CN, s),
                        ACC(a, F_AP, s), a->gp + (size_t)s * MG__LANES,
                        a->gn + (size_t)s * MG__LANES);
            a->mark[s] = 0;
        }
        i = j;
    }
    if (cells)
        cells_to_slices(p, a);
}

/* Copy lane r of a pass into per-slice statistics (rank and mean fields). */
static void store_lane(const mg__plan *p, const mg__pass_acc *a, int r,
                       mg_binary_stats *st)
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

/* ---- Draws --------------------------------------------------------------- */

void mg__resample_init_poisson(mg__plan *p)
{
    double pk = exp(-1.0), c = 0;
    for (int k = 0; k < 24; k++) {
        c += pk;
        pk /= k + 1;
        p->poisson_cdf[k] = c >= 1.0 ? UINT64_MAX : (uint64_t)ldexp(c, 64);
    }
}

/* Poisson(1) weight from 64 random bits, by inversion of the CDF: the number of
 * CDF steps at or below the bits, counted without branches over the first eight
 * (P(X >= 8) ≈ 1.0e-5), then the rare tail by search. */
static inline uint8_t poisson1(const mg__plan *p, uint64_t bits)
{
    int k = 0;
    for (int j = 0; j < 8; j++)
        k += bits >= p->poisson_cdf[j];
    if (k == 8)
        while (k < 23 && bits >= p->poisson_cdf[k])
            k++;
    return (uint8_t)k;
}

/*
 * k uniform picks over `size` (<= BLOCK) units of one lane (`stride` bytes apart). A
 * full block is a power of two, so 12-bit fields of the generator's output pick
 * directly; otherwise each 64-bit output yields two 32-bit numbers, each mapped to
 * [0, size) by Lemire's multiply-shift with rejection. Both are exact: every unit is
 * equally likely.
 */
static int draw_block(gsl_rng *rng, uint8_t *lane, size_t stride, size_t size, size_t k)
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
            c = &lane[(bits & (BLOCK - 1)) * stride];
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
        uint8_t *c = &lane[(m >> 32) * stride];
        if (*c == UINT8_MAX)
            return MG_ENUMERIC;
        (*c)++;
        t++;
    }
    return 0;
}

/* Add replicate b's unit counts into lane r of `counts` (zeroed by the caller), whose
 * units are `stride` bytes apart. */
int mg__resample_counts_strided(const mg__plan *p, gsl_rng *rng, size_t b, int r,
                                uint8_t *counts, size_t stride)
{
    if (p->o->resampler == MG__ENGINE_POISSON) {
        uint64_t key = mg__mix64(mg__mix64(p->o->seed ^ 0x706f6973736f6eULL) ^ b);
        for (size_t u = 0; u < p->units; u++)
            counts[u * stride + r] = poisson1(p, mg__mix64(key ^ p->unit_key[u]));
        return 0;
    }
    mg__rng_stream(rng, p->o->seed, b, MG__STREAM_ROWS);
    for (size_t q = 0; q < p->nranges; q++) {
        const mg__draw_range *dr = &p->ranges[q];
        size_t left_units = dr->hi - dr->lo, left_draws = dr->draws;
        for (size_t lo = dr->lo; lo < dr->hi; lo += BLOCK) {
            size_t size = dr->hi - lo < BLOCK ? dr->hi - lo : BLOCK;
            size_t k = left_draws;
            if (size < left_units)
                k = gsl_ran_binomial(rng, (double)size / (double)left_units,
                                     (unsigned)left_draws);
            left_units -= size;
            left_draws -= k;
            if (draw_block(rng, counts + lo * stride + r, stride, size, k) != 0)
                return MG_ENUMERIC;
        }
    }
    return 0;
}

int mg__resample_counts(const mg__plan *p, gsl_rng *rng, size_t b, int r,
                        uint8_t *counts)
{
    return mg__resample_counts_strided(p, rng, b, r, counts, MG__LANES);
}

/*
 * Confusion counts of `lanes` replicates from their unit counts: each atom's count is
 * the sum of its rows' (a cluster's count times the atom's rows, when clustered),
 * then each atom adds into its slices. Integer sums, so the result is the same
 * however finely the atoms split.
 */
static void atom_replicates(const mg__plan *p, const uint8_t *counts, uint32_t *cnt,
                            size_t lanes, mg_binary_stats *st)
{
    const size_t L = MG__LANES;
    if (p->d->cluster != NULL) {
        for (size_t a = 0; a < p->natoms; a++)
            for (size_t r = 0; r < L; r++)
                cnt[a * L + r] =
                    p->atom_count[a] * counts[(size_t)p->atom_unit[a] * L + r];
    } else {
        memset(cnt, 0, p->natoms * L * sizeof *cnt);
        for (size_t u = 0; u < p->units; u++) {
            uint32_t *c = &cnt[(size_t)p->unit_atom[u] * L];
            const uint8_t *w = &counts[u * L];
            for (size_t r = 0; r < L; r++)
                c[r] += w[r];
        }
    }
    for (size_t r = 0; r < lanes; r++)
        for (size_t a = 0; a < p->natoms; a++)
            if (cnt[a * L + r] > 0)
                add_atom(p, a, cnt[a * L + r], st + r * p->M * p->S);
}

/* ---- Curves --------------------------------------------------------------- */

/*
 * Curve counts of `lanes` replicates: each curve atom (label, score bin) sums its
 * units' counts, in one sequential pass over the units (by row through its cluster
 * slot when clustered), then the counts are accumulated down the thresholds, so a
 * replicate's whole curve costs O(units + thresholds) per model, with no sort.
 * The sums are of small integers, exact in any order.
 */
static void curve_replicates(const mg__plan *p, mg__scratch *w, size_t b0, size_t lanes)
{
    const mg__engine *e = p->e;
    const size_t G = e->G, len = p->curve_by_row ? p->n : p->units;
    for (size_t m = 0; m < p->M; m++) {
        const uint16_t *code = &p->curve_code[m * len];
        const size_t k = e->curve_n[m];
        memset(w->curve, 0, 2 * G * MG__LANES * sizeof *w->curve);
        for (size_t i = 0; i < len; i++) {
            size_t slot = p->curve_by_row ? p->row_slot[i] : i;
            lane_count(w->curve + (size_t)code[i] * MG__LANES,
                       load_weights(w->counts + slot * MG__LANES));
        }
        for (size_t r = 0; r < lanes; r++) {
            double *out = &e->curve_rep[((b0 + r) * p->M + m) * 2 * G];
            for (size_t c = 0; c < 2 * k; c++)
                out[c] = w->curve[c * MG__LANES + r] + (c >= 2 ? out[c - 2] : 0);
        }
    }
}

/* ---- Replicates and estimates -------------------------------------------- */

int mg__scratch_init(mg__scratch *w, const mg__plan *p)
{
    memset(w, 0, sizeof *w);
    mg__rng_init(&w->gen);
    w->cnt = mg__xcalloc(p->natoms * MG__LANES, sizeof *w->cnt);
    w->counts = mg__xcalloc(p->units * MG__LANES, 1);
    if (w->cnt == NULL || w->counts == NULL || pass_acc_init(&w->acc, p) != 0)
        return MG_ENOMEM;
    if (p->curve_code != NULL &&
        (w->curve = lanes_calloc(2 * p->e->G * MG__LANES)) == NULL)
        return MG_ENOMEM;
    return 0;
}

void mg__scratch_free(mg__scratch *w)
{
    free(w->counts);
    free(w->cnt);
    free(w->curve);
    pass_acc_free(&w->acc);
}

int mg__resample_batch(const mg__plan *p, mg__scratch *w, size_t b0, size_t lanes)
{
    mg_binary_stats *rep = p->e->rep;
    gsl_rng *rng = &w->gen.gsl;
    double t0 = mg__seconds();

    /* One draw of unit counts per replicate, shared by both families, every model
     * and every slice. */
    memset(w->counts, 0, p->units * MG__LANES);
    for (size_t r = 0; r < lanes; r++)
        if (mg__resample_counts(p, rng, b0 + r, (int)r, w->counts) != 0)
            return MG_ENUMERIC;
    w->t_draws += mg__seconds() - t0;
    t0 = mg__seconds();
    if (!p->row_confusion)
        atom_replicates(p, w->counts, w->cnt, lanes, &rep[b0 * p->M * p->S]);
    w->t_atoms += mg__seconds() - t0;
    if (p->curve_code != NULL) {
        t0 = mg__seconds();
        curve_replicates(p, w, b0, lanes);
        w->t_curves += mg__seconds() - t0;
    }
    if (p->sorted == NULL)
        return 0;
    t0 = mg__seconds();
    for (size_t m = 0; m < p->M; m++) {
        row_pass(p, &p->sorted[m], w->counts, &w->acc);
        for (size_t r = 0; r < lanes; r++)
            store_lane(p, &w->acc, (int)r, &rep[((b0 + r) * p->M + m) * p->S]);
    }
    w->t_passes += mg__seconds() - t0;
    return 0;
}

int mg__resample_estimates(mg__plan *p, mg_error *err)
{
    mg__engine *e = p->e;
    for (size_t a = 0; a < p->natoms; a++)
        add_atom(p, a, p->atom_count[a], e->est);
    if (p->sorted != NULL) {
        mg__pass_acc acc = {0};
        uint8_t *ones = calloc(p->units ? p->units : 1, MG__LANES);
        if (ones == NULL || pass_acc_init(&acc, p) != 0) {
            free(ones);
            pass_acc_free(&acc);
            return mg__engine_nomem(err);
        }
        /* Lane 0 weighs every row once: with clusters, each cluster's count is 1. */
        for (size_t u = 0; u < p->units; u++)
            ones[u * MG__LANES] = 1;
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
