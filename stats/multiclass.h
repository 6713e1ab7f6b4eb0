/*
 * The bootstrap engine for multiclass models (not installed): the same draws as
 * the binary engine (stats/resample.c), read by multiclass sufficient statistics
 * (mg_multiclass_stats). See the essay of stats/multiclass.c.
 */
#ifndef MG_STATS_MULTICLASS_H
#define MG_STATS_MULTICLASS_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"
#include "stats/engine.h"

/* The most classes a multiclass model may have (a class is one byte). */
#define MG__MC_MAX_CLASSES 256

typedef struct mg__mc_dataset {
    size_t n, classes;    /* rows, K (2 … MG__MC_MAX_CLASSES) */
    const uint8_t *label; /* n true classes < K */
    size_t nmodels;
    const uint8_t *const *pred; /* nmodels arrays of n predicted classes */
    /* nmodels entries, each NULL (no probabilities) or K arrays of n
     * probabilities, finite, in [0, 1], summing to about 1 per row */
    const double *const *const *prob;
    size_t nslicings;
    const uint32_t *const *slice_code; /* as mg__dataset */
    const size_t *nlevels;
    const uint32_t *cluster; /* n dense cluster codes, or NULL */
    size_t nclusters;
    const uint64_t *key; /* as mg__dataset */
} mg__mc_dataset;

typedef struct mg__mc_options {
    size_t replicates;
    uint64_t seed;
    mg__engine_resampler resampler;
    unsigned threads;
    size_t npairs;
    const size_t (*pairs)[2];
    size_t nk;        /* top-k accuracies wanted, at these k */
    const size_t *ks; /* nk values >= 1 */
    int need_auc;     /* gather the one-vs-rest pair counts */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    volatile const int *cancel;
} mg__mc_options;

typedef struct mg__mc_engine mg__mc_engine;

int mg__mc_engine_run(mg__mc_engine **out, const mg__mc_dataset *d,
                      const mg__mc_options *o, mg_error *err);
void mg__mc_engine_free(mg__mc_engine *e);

/* Bytes mg__mc_engine_run will allocate at its peak, estimated before it runs. */
double mg__mc_engine_memory(const mg__mc_dataset *d, const mg__mc_options *o);

size_t mg__mc_engine_slice_offset(const mg__mc_engine *e, size_t slicing);
size_t mg__mc_engine_slice_rows(const mg__mc_engine *e, size_t slice);
size_t mg__mc_engine_replicates(const mg__mc_engine *e);

/*
 * The statistics of a model on a slice: the point estimate (b < 0) or replicate b,
 * with top_k_hits for the engine's k number `kslot` (ignored when there is none).
 * The view points into the engine.
 */
void mg__mc_engine_stats(const mg__mc_engine *e, long b, size_t model, size_t slice,
                         size_t kslot, mg_multiclass_stats *out);

/*
 * The jackknife power sums of metric m (with its parameter: class or k slot) for a
 * model (pair < 0) or for pair `pair` (model − baseline), on one slice.
 */
void mg__mc_engine_jack(const mg__mc_engine *e, long pair, size_t model, size_t slice,
                        mg_metric m, long param, mg__jack *out);

#endif
