/*
 * bench_engine SUITE.yaml [REPLICATES] [THREADS]: where the time of a run goes.
 *
 * Loads the suite's data (timed), runs the bootstrap engine exactly as `modelgate
 * run` would for that suite (every model, slice and family, the suite's pairs), and
 * prints the time of each phase and the time per replicate of each metric family.
 * End-to-end time and peak memory of the CLI are measured by bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "harness/data.h"
#include "modelgate/modelgate.h"
#include "stats/engine.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    mg_error err = MG_ERROR_INIT;
    mg_suite *suite = NULL;
    mg__data *d = NULL;
    mg__engine *e = NULL;
    mg__engine_options o = {0};
    mg__engine_timing t;
    uint32_t *codes[64];
    size_t nlevels[64], pairs[64][2], npairs = 0;
    double t0, t_load;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    gsl_set_error_handler_off();
    if (argc < 2) {
        fprintf(stderr, "usage: bench_engine SUITE.yaml [REPLICATES] [THREADS]\n");
        return 2;
    }
    if (mg_suite_load(&suite, argv[1], &err) != 0 || suite->nslicings > 64) {
        fprintf(stderr, "bench_engine: %s\n", err.message);
        return 2;
    }
    t0 = now();
    if (mg__data_load(&d, suite, NULL, &err) != 0) {
        fprintf(stderr, "bench_engine: %s:%lu: %s\n", err.file, err.line, err.message);
        return 2;
    }
    t_load = now() - t0;
    for (size_t k = 0; k < suite->nslicings; k++) {
        codes[k] = d->slicings[k].code;
        nlevels[k] = d->slicings[k].nlevels;
    }
    for (size_t i = 0; i < suite->ntests && npairs < 64; i++)
        if (suite->tests[i].baseline) {
            pairs[npairs][0] = (size_t)mg_suite_model(suite, suite->tests[i].model);
            pairs[npairs][1] = (size_t)mg_suite_model(suite, suite->tests[i].baseline);
            npairs++;
        }
    /* Rows keyed by id, as the runner keys them. */
    uint64_t *keys = NULL;
    long idcol = suite->data.id ? mg_table_find(d->holdout, suite->data.id) : -1;
    if (idcol >= 0 && (keys = malloc(d->n * sizeof *keys)) != NULL) {
        const uint32_t *ids = mg_table_codes(d->holdout, (size_t)idcol);
        for (size_t i = 0; i < d->n; i++)
            keys[i] =
                mg__engine_id_key(mg_table_level(d->holdout, (size_t)idcol, ids[i]));
    }
    mg__dataset ds = {d->n,
                      d->label,
                      suite->nmodels,
                      d->score,
                      d->threshold,
                      suite->nslicings,
                      (const uint32_t *const *)codes,
                      nlevels,
                      d->cluster,
                      d->nclusters,
                      keys};
    o.replicates = argc > 2 ? strtoul(argv[2], NULL, 10) : suite->bootstrap.replicates;
    o.threads = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : (unsigned)cores;
    o.seed = suite->bootstrap.seed;
    o.stratify = suite->bootstrap.stratify == MG_STRATIFY_LABEL
                     ? MG__ENGINE_STRATIFY_LABEL
                     : MG__ENGINE_STRATIFY_NONE;
    o.resampler = suite->bootstrap.resampler == MG_RESAMPLER_POISSON
                      ? MG__ENGINE_POISSON
                      : MG__ENGINE_MULTINOMIAL;
    o.need_rank = 1;
    o.npairs = npairs;
    o.pairs = (const size_t(*)[2])pairs;
    if (mg__engine_run(&e, &ds, &o, &err) != 0) {
        fprintf(stderr, "bench_engine: %s\n", err.message);
        return 3;
    }
    mg__engine_get_timing(e, &t);
    printf("rows %zu, models %zu, slices %zu, replicates %zu, threads %u\n", d->n,
           suite->nmodels, mg__engine_slices(e), o.replicates, o.threads);
    printf("load (CSV, join, slices)  %8.3f s\n", t_load);
    printf("engine setup (sort, atoms)%8.3f s\n", t.setup);
    printf("point estimates           %8.3f s\n", t.estimates);
    printf("jackknife (closed form)   %8.3f s (alongside the replicates)\n",
           t.jackknife);
    printf("jackknife + replicates    %8.3f s wall\n", t.wall - t.setup - t.estimates);
    if (o.replicates > 0) {
        double per = 1e3 / (double)o.replicates;
        printf("per replicate, summed over threads:\n");
        printf("  unit counts (draws)     %8.3f ms\n", t.draws * per);
        printf("  confusion (atoms)       %8.3f ms\n", t.atoms * per);
        printf("  rank + mean passes      %8.3f ms (%zu models)\n", t.passes * per,
               suite->nmodels);
    }
    mg__engine_free(e);
    free(keys);
    mg__data_free(d);
    mg_suite_free(suite);
    return 0;
}
