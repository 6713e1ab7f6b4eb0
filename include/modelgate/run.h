/**
 * @file run.h
 * @brief Running a suite: load the data it names, compute its statistics, decide
 * its tests, and return everything as an mg_report.
 */
#ifndef MODELGATE_RUN_H
#define MODELGATE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/export.h"
#include "modelgate/report.h"
#include "modelgate/suite.h"
#include "modelgate/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mg_run_mode {
    MG_RUN_TESTS,   /**< evaluate the suite's tests (modelgate run) */
    MG_RUN_METRICS, /**< every metric for every model and slice (modelgate metrics) */
    MG_RUN_VALIDATE /**< load and check the data, compute nothing */
} mg_run_mode;

/** The version of mg_run_options this header describes. */
#define MG_RUN_OPTIONS_VERSION 3

/**
 * How to run a suite. Initialise it with MG_RUN_OPTIONS_INIT or mg_run_options_init,
 * then set the fields to change: the version field tells the library which fields the
 * caller's struct has, so a program compiled against older headers keeps working.
 */
typedef struct mg_run_options {
    unsigned int version; /**< MG_RUN_OPTIONS_VERSION */
    mg_run_mode mode;
    int has_seed; /**< override the suite's seed */
    uint64_t seed;
    size_t replicates; /**< override the suite's replicates when > 0 */
    unsigned threads;  /**< 0: the number of available cores */
    int allow_empty;   /**< a suite that tests nothing may pass */
    double max_memory; /**< bytes the run may use; 0: 80 % of physical memory.
                            Checked against an estimate before loading data and
                            before the bootstrap; over it, MG_EINVAL. */
    /** Called from the engine with replicates done so far; may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /** When it becomes non-zero the run stops with MG_EINTERNAL ("interrupted"). */
    volatile const int *cancel;
    /** MG_RUN_TESTS: also fill the report's metric entries (every metric × model ×
     * slice with its interval), as MG_RUN_METRICS does, from the same replicates. */
    int with_metrics;
    /** Version 3. MG_RUN_TESTS: also fill what plots show (the HTML report): each
     * sliced case's peers and every model's ROC and precision–recall curves with
     * pointwise bands, from the same replicates (the curves add one pass over the
     * units per replicate and model). Other reports do not change. */
    int with_plots;
} mg_run_options;

#define MG_RUN_OPTIONS_INIT                                                            \
    {                                                                                  \
        MG_RUN_OPTIONS_VERSION, MG_RUN_TESTS, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0 \
    }

/**
 * Initialise `opts` to the defaults, as MG_RUN_OPTIONS_INIT does, for callers that
 * cannot use the macro (other languages' bindings).
 *
 * @param version MG_RUN_OPTIONS_VERSION
 * @return 0, or MG_EINVAL when opts is NULL or this library does not know `version`
 *         (opts is then left as it was)
 */
MG_EXTERN int mg_run_options_init(mg_run_options *opts, unsigned int version);

/**
 * Run a suite.
 *
 * Bad input data (missing columns, unparsable values, joins that do not match,
 * a label column that is not binary) is an error naming the file, line and key;
 * nothing is computed then. A model that fails a test is a result, not an error.
 *
 * `opts` may be NULL for the defaults. An options struct whose version this library
 * does not know (0: not initialised, or newer than its MG_RUN_OPTIONS_VERSION) is
 * MG_EINVAL, and nothing is read.
 *
 * @param out receives the report, owned by the caller (mg_report_free)
 */
MG_EXTERN int mg_run_suite(mg_report **out, const mg_suite *suite,
                           const mg_run_options *opts, mg_error *err);

#ifdef __cplusplus
}
#endif

#endif
