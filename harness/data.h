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
    uint32_t *cluster;  /* n codes, or NULL */
    size_t nclusters;
    mg_input_file *inputs; /* holdout, then each distinct prediction file */
    size_t ninputs;
    char **warnings; /* lines for the report (harness/run.c moves them there) */
    size_t nwarnings;
    char **absent; /* holdout columns a `columns` check names that the header lacks
                      (read with lenient only) */
    size_t nabsent;
    char **later; /* holdout columns the suite reads as numbers, read as strings
                     for a `columns` check; numbers after mg__data_prepare */
    size_t nlater;
    int ids_repeat;      /* the holdout's ids repeat, under a `unique` check: it was
                            read without its id and no prediction file was read */
    double *placeholder; /* n zeros: the scores of a model a data check blocks */
    /* multiclass (harness/data_multiclass.c) */
    size_t nclasses;
    char **classes;       /* nclasses names, in the order of probability columns */
    uint8_t *cls;         /* n true classes */
    uint8_t **pred;       /* per model, n predicted classes */
    const double ***prob; /* per model, NULL or nclasses arrays of n probabilities */
    char ***mc_columns;   /* per model, the columns it reads: probabilities, then
                             the predicted class (mc_ncolumns[m] of them) */
    size_t *mc_ncolumns;
    size_t mc_nmodels; /* entries of pred, prob, mc_columns, mc_ncolumns */
} mg__data;

/* What failed data checks keep from being prepared (harness/checks.c decides). */
typedef struct mg__data_blocks {
    int all;                      /* nothing: no test is evaluated */
    const unsigned char *model;   /* per model, or NULL: its scores */
    const unsigned char *slicing; /* per slicing, or NULL */
    const unsigned char *test;    /* per test, or NULL: its own filtered slicing */
} mg__data_blocks;

/*
 * The two steps of mg__data_load, with the data checks between them. Read the
 * tables (holdout, then each prediction file joined to it), nothing else checked;
 * with `lenient` (a run with data checks) the holdout is read as the checks need
 * (see load_holdout in data.c): columns only checks read as strings, a column a
 * `columns` check names may be absent, repeated ids under a `unique` check are
 * the check's to report.
 */
int mg__data_read(mg__data **out, const mg_suite *suite, int lenient,
                  volatile const int *cancel, mg_error *err);
/* Then missing values, the label, scores, slicings and clusters, leaving out what
 * `blocks` (NULL: nothing) holds back. */
int mg__data_prepare(mg__data *d, const mg_suite *suite, const mg__data_blocks *blocks,
                     mg_error *err);

/* Whether two label strings are one label, as the loader compares labels: by value
 * ("1", "1.0" and "TRUE" are one), TRUE and FALSE as 1 and 0, other strings
 * exactly. */
int mg__same_label(const char *a, const char *b);

/* Load and check everything the suite names. Errors name file, line and key. When
 * *cancel (NULL for none) becomes non-zero, loading stops with MG_EINTERNAL. */
int mg__data_load(mg__data **out, const mg_suite *suite, volatile const int *cancel,
                  mg_error *err);
void mg__data_free(mg__data *d);

/* ---- harness/data_multiclass.c ------------------------------------------ */

/* The multiclass classes from data.classes, when the suite lists them, and the
 * columns of every model whose names follow from them. Before the holdout loads. */
int mg__mc_suite_classes(mg__data *d, const mg_suite *s, mg_error *err);
/* The classes from the label column when the suite lists none (ascending: by
 * value when every label is a number, else by text), and the models' columns;
 * after the holdout loads, before the prediction files. */
int mg__mc_data_classes(mg__data *d, const mg_suite *s, mg_error *err);
/* The columns model m reads (NULL and 0 before the classes are known). */
size_t mg__mc_model_columns(const mg__data *d, const mg_suite *s, size_t m,
                            const char *const **names);
/* True classes, predicted classes and probabilities, checked: labels among the
 * classes, probabilities in [0, 1] summing to 1 within data.probability_tolerance.
 * After every table is loaded and joined; a model `blocked` holds back (NULL: none)
 * gets placeholder predictions no test reads. */
int mg__mc_build(mg__data *d, const mg_suite *s, const unsigned char *blocked,
                 mg_error *err);
void mg__mc_free(mg__data *d);

#endif
