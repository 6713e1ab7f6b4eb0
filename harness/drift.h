/*
 * Drift of columns between two data sets (harness/drift.c), shared by
 * mg_drift_compare and the runner's drift tests. Not installed.
 */
#ifndef MG_HARNESS_DRIFT_H
#define MG_HARNESS_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/drift.h"
#include "modelgate/table.h"
#include "stats/drift.h"

/* One side of a column: its numbers (NaN missing), or a category column of a
 * table whose levels `missing` lists are missing values. */
typedef struct mg__drift_sample {
    const double *numbers; /* n values, or NULL for a category column */
    size_t n;
    const mg_table *table;
    size_t column;
    const char *const *missing;
} mg__drift_sample;

/* One column to compute: both samples, its random stream; its result and error. */
typedef struct mg__drift_job {
    mg__drift_sample ref, cur;
    uint64_t stream;
    int skip; /* nothing to compute (a failed data check holds the column back) */
    mg__drift out;
    int rc;
    mg_error err;
} mg__drift_job;

/* The drift of one column: numbers when both sides are, categories otherwise. */
int mg__drift_of(mg__drift *out, const mg__drift_sample *ref,
                 const mg__drift_sample *cur, const mg_drift_options *o,
                 uint64_t stream, mg_error *err);

/* Compute every job on `threads` worker threads (0: one per core). Returns the
 * first failed job's code (its err says why), or 0. */
int mg__drift_run(mg__drift_job *jobs, size_t n, const mg_drift_options *o,
                  unsigned threads);

/*
 * Load the columns `names` of both files, typed: a column is a number (types[i] =
 * MG_COLUMN_NUMBER on entry) unless a value in either file is not a number nor a
 * missing-value marker, when it becomes a category and the files are read again.
 * *rt and *ct receive the tables (column i is names[i]), owned by the caller.
 */
int mg__drift_load(mg_table **rt, mg_table **ct, const char *reference,
                   const char *current, char delim, const char *const *missing,
                   const char *const *names, mg_column_type *types, size_t n,
                   mg_error *err);

/* Free what a column owns (not the column). */
void mg__drift_column_clear(mg_drift_column *c);

#endif
