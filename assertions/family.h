/*
 * Slice families under multiple-testing corrections (not installed).
 */
#ifndef MG_ASSERTIONS_FAMILY_H
#define MG_ASSERTIONS_FAMILY_H

#include <stddef.h>

#include "modelgate/report.h"
#include "modelgate/rules.h"

/* The outcome member `q` of a family would have at interval level `level`.
 * Returns 0 or a negative MG_E* code, which stops the procedure. */
typedef int (*mg__family_probe)(void *ctx, size_t q, double level, mg_outcome *out);

/* The correction a test's family gets: lenient families are corrected (Holm unless
 * the suite says otherwise); strict and estimate families are not. */
mg_correction mg__family_correction(mg_correction asked, mg_rule rule);

/*
 * The interval level of each of the n members (level[q]) under `correction` at
 * family-wise confidence `confidence`, asking `probe` for outcomes. Members that are
 * neither passed nor failed at `confidence` (skipped, undefined) are not in the
 * family and keep `confidence`. *family_size receives the members in the family
 * when a correction applied (two or more), else 0.
 */
int mg__family_levels(mg_correction correction, double confidence, size_t n,
                      mg__family_probe probe, void *ctx, double *level,
                      size_t *family_size);

#endif
