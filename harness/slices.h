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

/* A row that belongs to no slice of a slicing. The builders here never make one
 * (a binned value below the first edge has its bin, a missing value its slice); the
 * engine still accepts it. */
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
} mg__slicing;

/*
 * Build every slicing the suite declares over the holdout table, in the suite's
 * order: *out receives s->nslicings slicings (caller frees them with
 * mg__slicings_free), or NULL on error. The table must hold every column the
 * slicings name, with the types they need (categories; numbers for bins).
 *
 * Slices are numbered in a readable order: a column's values sorted naturally
 * (numbers by value, before strings, which sort bytewise), crosses by their
 * components, bins by their edges. Labels are what reports print:
 * `region=north`, `region=north × plan=basic`, `tenure=[6, 12)`, formatted in the
 * C locale whatever LC_NUMERIC the host set.
 *
 * Errors: MG_EDATA naming the suite line and key of a slicing whose slices would
 * take the run past MG__SLICES_MAX (found before its labels are made) or of a
 * cross with more than 10^18 possible combinations; MG_ENOMEM.
 */
int mg__slicings_new(mg__slicing **out, const mg_suite *s, const mg_table *holdout,
                     mg_error *err);

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
