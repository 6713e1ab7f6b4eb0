/*
 * What the bootstrap engine's four files share (not installed, not for the
 * runner): the plan the driver has built once and the workers then read, and the
 * entry points of the setup, the resampling and the jackknife.
 *
 *   stats/engine.c     the driver: options, slices, threads, accessors;
 *   stats/setup.c      the plan: canonical rows, slice ids, atoms, units, cells,
 *                      sorted rows;
 *   stats/resample.c   the draws (multinomial, stratified, cluster, Poisson) and
 *                      the weighted passes they feed, replicates and estimates;
 *   stats/jackknife.c  BCa's acceleration: closed-form leave-one-out power sums.
 */
#ifndef MG_STATS_ENGINE_INTERNAL_H
#define MG_STATS_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "stats/engine.h"
#include "stats/rng.h"

#define MG__LANES 8 /* replicates per row pass */
#define MG__CURVE_MAX                                                                  \
    4096 /* curve thresholds per model: codes 2·bin + label fit                       \
            in uint16_t */

enum {
    MG__FLAG_LABEL = 1, /* a positive row */
    MG__FLAG_TIED = 2,  /* its score equals the previous row's */
    MG__FLAG_PRED = 4   /* score >= threshold: predicted positive */
};

/* One model's rows in descending score order, ties in row order. */
typedef struct mg__sorted_model {
    uint32_t *slot;  /* unit whose count weights the row */
    uint32_t *row;   /* original row index */
    uint8_t *flags;  /* MG__FLAG_* */
    uint16_t *sid;   /* nsid slice ids per row, the first always 0 (overall) */
    double *ll, *br; /* per-row log loss and squared error */
    uint32_t *cell;  /* the row's cell (see mg__plan.row_cell) */
    uint32_t *alone; /* bit k: no other row of its tie group shares its slice in
                        slicing k, so it is settled there as if untied (k < 32) */
} mg__sorted_model;

/* A range of units drawn together: `draws` picks over units [lo, hi). */
typedef struct mg__draw_range {
    size_t lo, hi, draws;
} mg__draw_range;

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
    /* Curves (mg__engine_curve): at most G thresholds per model. */
    size_t G;
    size_t *curve_n;   /* nmodels: thresholds of each model (<= G) */
    double *curve_thr; /* nmodels × G thresholds, descending */
    double *curve_est; /* nmodels × 2G cumulative counts of the holdout set */
    double *curve_rep; /* replicates × nmodels × 2G */
    mg__engine_timing timing;
};

/*
 * Everything the resampling and the jackknife read: built once by the driver, then
 * shared read-only by every thread (point estimates aside, which run before the
 * threads start and write e->est).
 */
typedef struct mg__plan {
    /* The rows in canonical order (by key; see stats/engine.c): every row index
     * below is a position in this order. The caller's dataset when it has no keys
     * (its row order is then canonical), else `canon`, whose arrays the plan owns. */
    const mg__dataset *d;
    mg__dataset canon;
    int canonical; /* d's rows are in canonical order already */
    const mg__engine_options *o;
    mg__engine *e;
    size_t n, M, S, nsid; /* rows, models, slices with the sink, ids per row */
    uint16_t *row_sid;    /* n × nsid global slice ids in row order */
    /* Cells: rows with the same slice ids in every slicing. Sums that add up over
     * rows (losses, confusion counts) are gathered per cell during a pass and
     * spread to the slices afterwards: one update per row instead of one per
     * slicing. Used when there are few enough cells (use_cells). */
    size_t ncells;
    uint16_t *cell_sid; /* ncells × nsid */
    uint32_t *row_cell; /* n */
    int use_cells;
    /* Confusion atoms: rows that agree on label, every prediction, every slice id
     * and the cluster. A replicate's atom counts are its unit counts summed per
     * atom, so they do not depend on how finely the atoms split. */
    size_t natoms, natoms_pos; /* positive atoms first */
    uint32_t *atom_count;
    uint32_t *atom_rep;  /* a representative row */
    uint32_t *atom_unit; /* cluster of the atom, when clustered */
    uint32_t *unit_atom; /* units: the atom of the row in each slot, unclustered */
    /* Resampling units: rows (or clusters), numbered in a canonical order (rows by
     * key, positives first when stratified) so that the draw does not depend on the
     * rows' order in the file, the slicings or the models. */
    size_t units;       /* rows or clusters */
    uint32_t *order;    /* n rows in key order */
    uint32_t *row_slot; /* n: the unit slot whose count weights each row */
    uint64_t *unit_key; /* units: mix64 of the key a Poisson weight derives from */
    mg__draw_range ranges[2];
    size_t nranges;
    mg__sorted_model *sorted; /* M, when the row pass is needed, else NULL */
    int row_confusion;        /* confusion counts come from the row pass (Poisson) */
    uint64_t poisson_cdf[24]; /* Poisson(1) CDF scaled to 2^64 */
    /* Curve atoms: rows of equal label and score bin (the first threshold the score
     * reaches), coded 2 × bin + label, per model. Unclustered, indexed by unit slot
     * (each unit is one row) so a batch reads the counts in order; with clusters,
     * by row, weighted by its cluster's count through row_slot. */
    uint16_t *curve_code; /* M × (units or n), when curves are wanted */
    int curve_by_row;
} mg__plan;

/* Where (model or pair `who`, slice, metric) sits in e->jack. */
static inline size_t mg__jack_index(const mg__engine *e, size_t who, size_t slice,
                                    mg_metric m)
{
    return (who * e->stride + slice) * MG_METRIC_COUNT + m;
}

/* calloc that returns a unique pointer for zero elements too. */
static inline void *mg__xcalloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size);
}

static inline double mg__seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Set MG_ENOMEM in err and return it. */
int mg__engine_nomem(mg_error *err);

/* ---- stats/setup.c ------------------------------------------------------ */

/* A row and its key, as the canonical order sorts them (the driver's memory
 * estimate counts one per row). */
typedef struct mg__key_item {
    uint64_t key;
    uint32_t row;
} mg__key_item;

/*
 * Everything the replicates and the jackknife read, for dataset d under options o
 * (both borrowed for the plan's life); fills e->slice_rows. Returns 0, or an error
 * code with err set; free the plan with mg__plan_free either way.
 */
int mg__plan_build(mg__plan *p, mg__engine *e, const mg__dataset *d,
                   const mg__engine_options *o, mg_error *err);

/*
 * The canonical order, every row's unit slot, the units' keys and the draw ranges,
 * from p->d, p->o and p->n, and unit_atom from each row's atom in row_atom (zeros
 * when row_atom is NULL). Returns 0 or MG_ENOMEM, with nothing written to an error.
 */
int mg__plan_units(mg__plan *p, const uint32_t *row_atom);

/*
 * Positions 0 … n−1 ordered by descending score[rows[t]] (score[t] when rows is
 * NULL), equal scores in position order: the stable radix sort of the sorted rows,
 * for finite scores. Returns 0 or MG_ENOMEM.
 */
int mg__sort_descending(const double *score, const uint32_t *rows, size_t n,
                        uint32_t *out);

/* Free what the plan owns; p may be partly built or zeroed. */
void mg__plan_free(mg__plan *p);

/*
 * Each model's curve thresholds (e->curve_thr, e->curve_n) and every row's curve
 * atom (p->curve_code), when p->o->curve_thresholds > 0. After mg__plan_units.
 * Returns 0 or MG_ENOMEM.
 */
int mg__plan_curves(mg__plan *p);

/* ---- stats/resample.c --------------------------------------------------- */

/* Accumulators of one pass of MG__LANES replicates, with group scratch. */
typedef struct mg__pass_acc {
    double *acc;       /* fields × S × MG__LANES */
    double *cells;     /* cell fields × ncells × MG__LANES, when cells are used */
    double *gp, *gn;   /* S × MG__LANES sums of the current tie group */
    uint32_t *touched; /* slices touched by the current group */
    uint8_t *mark;
} mg__pass_acc;

/* One thread's scratch for computing replicates, and its time in each phase. */
typedef struct mg__scratch {
    mg__rng gen;
    uint8_t *counts; /* units × MG__LANES interleaved counts */
    uint32_t *cnt;   /* natoms × MG__LANES: replicates' counts per atom */
    mg__pass_acc acc;
    double *curve; /* 2G × MG__LANES: a batch's counts per curve atom */
    double t_atoms, t_draws, t_passes, t_curves;
} mg__scratch;

/* Zero `w`, then allocate for plan p. Returns 0 or MG_ENOMEM; free either way. */
int mg__scratch_init(mg__scratch *w, const mg__plan *p);
void mg__scratch_free(mg__scratch *w);

/*
 * Replicates b0 … b0 + lanes − 1 (lanes <= MG__LANES) into e->rep, both families.
 * Returns 0, or MG_ENUMERIC when a unit is drawn more than 255 times.
 */
int mg__resample_batch(const mg__plan *p, mg__scratch *w, size_t b0, size_t lanes);

/* Point statistics into e->est: the same passes with every unit's count 1. */
int mg__resample_estimates(mg__plan *p, mg_error *err);

/* Fill p->poisson_cdf. */
void mg__resample_init_poisson(mg__plan *p);

/*
 * Lane r of `counts` (units × LANES) += replicate b's unit counts. Returns 0 or
 * MG_ENUMERIC.
 */
int mg__resample_counts(const mg__plan *p, gsl_rng *rng, size_t b, int r,
                        uint8_t *counts);
/* The same draw into lane r of counts whose units are `stride` bytes apart (the
 * multiclass engine reads 64 replicates per pass). */
int mg__resample_counts_strided(const mg__plan *p, gsl_rng *rng, size_t b, int r,
                                uint8_t *counts, size_t stride);

/* ---- stats/jackknife.c -------------------------------------------------- */

/* Per-row arrays of doubles the jackknife keeps per model (AUC and AP deviations). */
#define MG__JACK_ROW_ARRAYS 2

/*
 * Every jackknife power sum of e->jack, for models and pairs, from the point
 * estimates and the sorted rows. Returns 0 or MG_ENOMEM (set in err).
 */
int mg__jackknife(mg__plan *p, mg_error *err);

#endif
