/*
 * The bootstrap engine's interface inside the library (not installed).
 *
 * The runner hands the engine a dataset already reduced to what statistics need:
 * a 0/1 label per row, each model's score and threshold, dense slice codes per
 * slicing and optionally a cluster code per row. The engine returns, for every
 * model and slice, the point statistics, the statistics of every bootstrap
 * replicate and the jackknife power sums BCa needs, for single models and for the
 * requested model pairs.
 */
#ifndef MG_STATS_ENGINE_H
#define MG_STATS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"

/* A row that belongs to no slice of a slicing (a binned value outside the bins). */
#define MG__ENGINE_NO_SLICE UINT32_MAX

/*
 * The most slices a run may have, counted as mg__engine_slice_count counts them
 * (the overall slice and every slicing's levels); mg__engine_run refuses more with
 * MG_EDATA. A row's slice ids are stored as uint16_t, with one id past the last
 * slice for rows outside a binned slicing's bins.
 */
#define MG__ENGINE_MAX_SLICES 65534

/* How the resampling units are drawn: from the whole set, or per label (valid only
 * for class-conditional metrics; see the essay of stats/engine.c). */
typedef enum mg__engine_stratify {
    MG__ENGINE_STRATIFY_NONE,
    MG__ENGINE_STRATIFY_LABEL /* positives and negatives keep their totals */
} mg__engine_stratify;

/* A replicate's unit counts: one multinomial draw, or a Poisson(1) count per unit. */
typedef enum mg__engine_resampler {
    MG__ENGINE_MULTINOMIAL,
    MG__ENGINE_POISSON
} mg__engine_resampler;

typedef struct mg__dataset {
    size_t n;                   /* rows */
    const unsigned char *label; /* n values, 1 positive, 0 negative */
    size_t nmodels;
    const double *const *score; /* nmodels arrays of n finite scores */
    const double *threshold;    /* nmodels thresholds: score >= t predicts positive */
    size_t nslicings;
    const uint32_t *const *slice_code; /* nslicings arrays of n codes < nlevels[k],
                                          or MG__ENGINE_NO_SLICE */
    const size_t *nlevels;             /* slices per slicing */
    const uint32_t *cluster;           /* n dense cluster codes, or NULL */
    size_t nclusters;
    /* n row keys (a hash of each row's id), or NULL: rows are then keyed by their
     * index. Resampling reads rows in key order and the Poisson resampler derives a
     * row's weight from its key, so with keys an interval does not depend on the
     * order of the rows. Keys should be distinct; equal keys fall back to row
     * order among themselves. */
    const uint64_t *key;
} mg__dataset;

typedef struct mg__engine_options {
    size_t replicates; /* 0: point estimates and jackknife only */
    uint64_t seed;
    mg__engine_stratify stratify;
    mg__engine_resampler resampler;
    unsigned threads;         /* >= 1 */
    int need_rank;            /* gather the rank and mean families */
    size_t npairs;            /* model pairs whose paired jackknife is wanted */
    const size_t (*pairs)[2]; /* (model, baseline) */
    /* Called between batches of replicates with the number done; may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    volatile const int *cancel; /* when non-zero, the run stops with MG_EINTERNAL */
    int row_confusion;          /* tests: confusion counts from the row pass too */
    /* ROC and precision-recall curves: at most this many score thresholds per model
     * (0: no curves). See mg__engine_curve. */
    size_t curve_thresholds;
} mg__engine_options;

/* Jackknife power sums of d_i = θ₍₋ᵢ₎ − θ̂ over the resampling units. */
typedef struct mg__jack {
    double n, s1, s2, s3;
    double undefined; /* units whose leave-one-out value is undefined */
    int unavailable;  /* no closed form here (average precision over clusters) */
} mg__jack;

typedef struct mg__engine mg__engine;

int mg__engine_run(mg__engine **out, const mg__dataset *data,
                   const mg__engine_options *opts, mg_error *err);
void mg__engine_free(mg__engine *e);

/* A row's key (mg__dataset.key) from its id's text: a 64-bit hash (FNV-1a, then
 * SplitMix64's finaliser). Distinct ids collide with probability about n²/2^65. */
uint64_t mg__engine_id_key(const char *id);

/* Slices the engine reports for a dataset: 1 + every slicing's levels. */
size_t mg__engine_slice_count(const mg__dataset *data);

/* Bytes mg__engine_run will allocate at its peak, estimated before it runs. */
double mg__engine_memory(const mg__dataset *data, const mg__engine_options *opts);

/* Slices: 0 is the whole holdout set, slicing k's code c is offset(k) + c. */
size_t mg__engine_slices(const mg__engine *e);
size_t mg__engine_slice_offset(const mg__engine *e, size_t slicing);
/* Rows of the holdout set in a slice. */
size_t mg__engine_slice_rows(const mg__engine *e, size_t slice);

/* Point statistics of a model on a slice. */
const mg_binary_stats *mg__engine_estimate(const mg__engine *e, size_t model,
                                           size_t slice);
/* Statistics of replicate b. */
const mg_binary_stats *mg__engine_replicate(const mg__engine *e, size_t b, size_t model,
                                            size_t slice);
size_t mg__engine_replicates(const mg__engine *e);
/* Jackknife sums for a model (pair < 0) or for pair index `pair` (model − baseline). */
const mg__jack *mg__engine_jack(const mg__engine *e, long pair, size_t model,
                                size_t slice, mg_metric metric);

/*
 * Curves on a fixed grid of score thresholds (options.curve_thresholds > 0). Each
 * model's thresholds are distinct scores of the holdout set in descending order,
 * the last its smallest score: every distinct score when there are at most
 * curve_thresholds of them, else the scores at evenly spaced ranks. Returns how
 * many, with the thresholds in *thr (borrowed); 0 without curves.
 */
size_t mg__engine_curve_thresholds(const mg__engine *e, size_t model,
                                   const double **thr);
/*
 * The counts behind model's curve on the whole holdout set: 2 × G weighted counts
 * (G thresholds, above), positives then negatives with score >= threshold g at
 * [2g] and [2g + 1]. b = -1 is the holdout set itself, b >= 0 replicate b. The last
 * threshold is the smallest score, so its counts are the replicate's class totals.
 */
const double *mg__engine_curve(const mg__engine *e, long b, size_t model);

/* Where the engine's time went, in seconds (replicate phases summed over threads). */
typedef struct mg__engine_timing {
    double setup;     /* slices, atoms, cells, sorting */
    double estimates; /* point estimates */
    double jackknife; /* closed-form jackknife */
    double atoms;     /* confusion family: unit counts summed into atoms, atoms into
                         slices */
    double draws;     /* unit counts, shared by every family, model and slice */
    double passes;    /* rank and mean families: the weighted passes */
    double curves;    /* curve counts per replicate */
    double wall;      /* the whole run */
} mg__engine_timing;

void mg__engine_get_timing(const mg__engine *e, mg__engine_timing *out);

/*
 * Tests: replicate b's weight of every row, as the engine draws it (w has d->n
 * entries).
 */
int mg__engine_row_weights(const mg__dataset *d, const mg__engine_options *opts,
                           size_t b, double *w, mg_error *err);

#endif
