/*
 * The data a suite names, loaded and checked: the holdout table, each model's
 * scores in holdout row order, the binary label, slice codes with their labels and
 * cluster codes. Shared by the runner and its tests; not installed.
 */
#ifndef MG_HARNESS_DATA_H
#define MG_HARNESS_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/report.h"
#include "modelgate/suite.h"
#include "modelgate/table.h"

#include "harness/slices.h"

typedef struct mg__data {
    size_t n;
    unsigned char *label; /* 1 positive, 0 negative */
    char *negative;       /* the negative label value */
    mg_table *holdout;
    mg_table **tables; /* distinct prediction files, ntables */
    size_t ntables;
    const double **score;         /* per model, n scores in holdout order */
    double *threshold;            /* per model */
    long *not_probability;        /* per model: first row with a score outside [0, 1],
                                     or -1 */
    const mg_table **score_table; /* per model: the table its scores came from */
    mg__slicing *slicings;        /* per suite slicing (harness/slices.h), then
                                     one per test with a filter (where) */
    size_t nslicings;
    long *test_slicing; /* per test: its index in slicings, or -1 (overall) */
    uint32_t *cluster; /* n codes, or NULL */
    size_t nclusters;
    mg_input_file *inputs; /* holdout, then each distinct prediction file */
    size_t ninputs;
    char **warnings; /* lines for the report (harness/run.c moves them there) */
    size_t nwarnings;
} mg__data;

/* Load and check everything the suite names. Errors name file, line and key. When
 * *cancel (NULL for none) becomes non-zero, loading stops with MG_EINTERNAL. */
int mg__data_load(mg__data **out, const mg_suite *suite, volatile const int *cancel,
                  mg_error *err);
void mg__data_free(mg__data *d);

#endif
