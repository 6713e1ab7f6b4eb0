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

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mg_run_mode {
    MG_RUN_TESTS,   /**< evaluate the suite's tests (modelgate run) */
    MG_RUN_METRICS, /**< every metric for every model and slice (modelgate metrics) */
    MG_RUN_VALIDATE /**< load and check the data, compute nothing */
} mg_run_mode;

typedef struct mg_run_options {
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
} mg_run_options;

#define MG_RUN_OPTIONS_INIT                                                            \
    {                                                                                  \
        MG_RUN_TESTS, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL                               \
    }

/**
 * Run a suite.
 *
 * Bad input data (missing columns, unparsable values, joins that do not match,
 * a label column that is not binary) is an error naming the file, line and key;
 * nothing is computed then. A model that fails a test is a result, not an error.
 *
 * @param out receives the report, owned by the caller (mg_report_free)
 */
MG_EXTERN int mg_run_suite(mg_report **out, const mg_suite *suite,
                           const mg_run_options *opts, mg_error *err);

/** The library's version string ("0.1.0"). */
MG_EXTERN const char *mg_version(void);

#ifdef __cplusplus
}
#endif

#endif
