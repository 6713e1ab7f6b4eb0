/*
 * Slicings: the suite's named ways of cutting the holdout rows into slices, as a
 * code per row, a readable label per slice and, on demand, the rows of each slice.
 * Built once by the data loader (harness/data.c); read by the runner. Not
 * installed.
 */
#ifndef MG_HARNESS_SLICES_H
#define MG_HARNESS_SLICES_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"
#include "modelgate/suite.h"
#include "modelgate/table.h"

/* A row that belongs to no slice of a slicing: a row a filter (where) leaves out,
 * a value no group names under `other: false`, or a row outside a crossed
 * slicing's slices. Without those every row has a slice (a binned value below the
 * first edge has its bin, a missing value its slice). */
#define MG__NO_SLICE UINT32_MAX

/*
 * The most slices one run may have: the overall slice and every slice of every
 * slicing, together. The engine (stats/engine.c) stores a row's slice id as a
 * uint16_t, with one more id for rows outside a binned slicing, and refuses a run
 * of 65,535 slices or more (its MAX_SLICES, to become MG__ENGINE_MAX_SLICES in
 * stats/engine.h; the two must agree). The slicings are checked against this
 * limit while they are built, so that `modelgate validate` refuses what
 * `modelgate run` would, and early, before a slicing's labels are made.
 */
#define MG__SLICES_MAX 65534

typedef struct mg__slicing {
    size_t nlevels;
    uint32_t *code; /* n codes < nlevels */
    char **labels;  /* nlevels labels: "region=north", "a=1 × b=x", "t=(-inf, 0)",
                       "region=(missing)" */
    /* Membership, built by the first mg__slicing_members call, NULL until then:
     * the rows of slice k are rows[start[k]] … rows[start[k + 1] - 1], in
     * increasing row order; rows in no slice are in none. */
    uint32_t *rows;
    size_t *start; /* nlevels + 1 offsets into rows */
    char *note;    /* a line for the report, or NULL: "4 quantile bins asked, 3
                      made: ..." */
} mg__slicing;

/*
 * Build every slicing the suite declares over the holdout table, in the suite's
 * order: *out receives s->nslicings slicings (caller frees them with
 * mg__slicings_free), or NULL on error. The table must hold every column the
 * slicings name, with the types they need (categories; numbers for bins).
 *
 * Slices are numbered in a readable order: a column's values sorted naturally
 * (numbers by value, before strings, which sort bytewise), crosses by their
 * components, bins and quantiles by their edges, groups as written. Labels are what
 * reports print: `region=north`, `region=north × plan=basic`, `tenure=[6, 12)`,
 * formatted in the C locale whatever LC_NUMERIC the host set.
 *
 * Errors: MG_EDATA naming the suite line and key of a slicing whose slices would
 * take the run past MG__SLICES_MAX (found before its labels are made), of a cross
 * with more than 10^18 possible combinations, of a group value or filter value no
 * row holds, of a filter that keeps no row, or of a quantile slicing of a column
 * whose every value is missing; MG_ENOMEM.
 */
int mg__slicings_new(mg__slicing **out, const mg_suite *s, const mg_table *holdout,
                     mg_error *err);

/*
 * The slices of test t (which has a filter, t->nwhere > 0): the slices of `base`
 * (NULL: the test has no slicing, and gets one slice labelled by its filter) with
 * only the rows the filter keeps, the slices left empty dropped, each label
 * followed by the filter (`region=EU × plan=premium`). `used` slices of the run
 * exist already. Errors: MG_EDATA at the test's where key (a value no row holds, a
 * filter that keeps nothing, too many slices), MG_ENOMEM; *out is then empty.
 */
int mg__slicing_restrict(mg__slicing *out, const mg_suite *s, const mg_table *holdout,
                         const mg__slicing *base, const mg_test_spec *t, size_t used,
                         mg_error *err);

/*
 * The slice of sl named `name`, or -1: its label as reports print it, or the same
 * parts ("name=value", split at " × ") in another order, with " & " allowed for
 * " × " (`plan=premium & region=EU`).
 */
long mg__slicing_find(const mg__slicing *sl, const char *name);

/* Free n slicings and their membership indexes; NULL is allowed. */
void mg__slicings_free(mg__slicing *slicings, size_t n);

/*
 * The rows of slice `level` (< sl->nlevels) of a slicing over n rows (the n its
 * codes were built for): *rows points at *count row numbers in increasing order,
 * borrowed from the slicing and valid until it is freed. The index behind it is
 * built on the first call for the slicing, in O(n + nlevels), and kept; that
 * first call writes to *sl, so callers that share a slicing between threads make
 * it first from one thread. Returns 0, MG_EINVAL (level out of range) or
 * MG_ENOMEM (then nothing changed).
 */
int mg__slicing_members(mg__slicing *sl, size_t n, size_t level, const uint32_t **rows,
                        size_t *count);

#endif
