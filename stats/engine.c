/*
 * The bootstrap engine: resampling over atoms, not rows. This file is its driver:
 * it checks the options, has the plan built (the slice ids, atoms, units, cells and
 * sorted rows every replicate reads: stats/setup.c), runs the threads and answers
 * the accessors. The draws and the weighted passes are in stats/resample.c, the
 * jackknife in stats/jackknife.c; stats/engine_internal.h holds what the four
 * share.
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
 * MG__ENGINE_MAX_SLICES slices; cells only while there are at most MAX_CELLS
 * (stats/setup.c) of them (beyond, a pass adds each row to every slicing's slice
 * directly, which is slower but gives the same sums up to rounding order); the memory
 * estimate counts the large arrays only.
 */
#include "stats/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "stats/engine_internal.h"
#include "stats/rng.h"

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

size_t mg__engine_curve_thresholds(const mg__engine *e, size_t model,
                                   const double **thr)
{
    if (e->G == 0) {
        *thr = NULL;
        return 0;
    }
    *thr = &e->curve_thr[model * e->G];
    return e->curve_n[model];
}

const double *mg__engine_curve(const mg__engine *e, long b, size_t model)
{
    if (e->G == 0)
        return NULL;
    if (b < 0)
        return &e->curve_est[model * 2 * e->G];
    return &e->curve_rep[((size_t)b * e->nmodels + model) * 2 * e->G];
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
    free(e->curve_n);
    free(e->curve_thr);
    free(e->curve_est);
    free(e->curve_rep);
    free(e);
}

int mg__engine_nomem(mg_error *err)
{
    return mg_error_set(err, MG_ENOMEM, NULL, 0, 0, "out of memory in the bootstrap");
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
    e->timing.curves += w.t_curves;
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
    bytes += n * (3 * sizeof(uint32_t) + sizeof(uint64_t) + sizeof(mg__key_item));
    if (d->key != NULL) /* the rows copied in key order */
        bytes += n * (1 + M * sizeof(double) + (nsid - 1) * sizeof(uint32_t) +
                      sizeof(uint64_t) + (d->cluster ? sizeof(uint32_t) : 0));
    bytes += threads * units * MG__LANES;
    if (o->curve_thresholds > 0) {
        /* thresholds' counts per replicate, curve atoms, a sorted copy of scores */
        double G = (double)(o->curve_thresholds < MG__CURVE_MAX ? o->curve_thresholds
                                                                : MG__CURVE_MAX);
        bytes += ((double)o->replicates + 1) * M * 2 * G * sizeof(double);
        bytes += M * n * sizeof(uint16_t) + n * sizeof(double);
        bytes += threads * 2 * G * MG__LANES * sizeof(double);
    }
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
    if (o->curve_thresholds > 0) {
        e->G =
            o->curve_thresholds < MG__CURVE_MAX ? o->curve_thresholds : MG__CURVE_MAX;
        e->curve_n = mg__xcalloc(M, sizeof *e->curve_n);
        e->curve_thr = mg__xcalloc(M * e->G, sizeof *e->curve_thr);
        e->curve_est = mg__xcalloc(M * 2 * e->G, sizeof *e->curve_est);
        e->curve_rep = mg__xcalloc(o->replicates * M * 2 * e->G, sizeof *e->curve_rep);
        if (!e->curve_n || !e->curve_thr || !e->curve_est || !e->curve_rep)
            goto cleanup;
    }
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
    if ((rc = mg__plan_build(&p, e, d, o, err)) != 0)
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
    mg__plan_free(&p);
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
    if (mg__plan_units(&p, NULL) != 0)
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
    mg__plan_free(&p);
    return rc;
}
