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
 * Adjusted p-values, as R's p.adjust computes them: bonferroni min(1, k·p), holm
 * the step-down max over j ≤ i of (k − j + 1)·p₍ⱼ₎, bh the step-up min over j ≥ i
 * of k·p₍ⱼ₎/j (capped at 1), over the k members with p >= 0; a member with p < 0 is
 * outside the family and gets −1. NONE copies p. Returns 0 or MG_ENOMEM.
 */
int mg__p_adjust(mg_correction correction, const double *p, size_t n, double *out);

/*
 * The one-sided p-value of member q's failure: 1 − the highest level at which it
 * fails, found by bisection on `probe` (failing at a level implies failing at every
 * lower one). A member that does not fail at level ½ gets 1: p-values above ½ are
 * not resolved, which changes no adjusted p-value at or below ½.
 */
int mg__family_p_value(mg__family_probe probe, void *ctx, size_t q, double *p);

/*
 * The interval level of each of the n members (level[q]) under `correction` at
 * family-wise confidence `confidence`, asking `probe` for outcomes. Members that are
 * neither passed nor failed at `confidence` (skipped, undefined) are not in the
 * family and keep `confidence`. *family_size receives the members in the family
 * when a correction applied (two or more), else 0. When a correction applied and
 * `p` and `p_adjusted` are not NULL they receive each member's one-sided p-value
 * (mg__family_p_value) and its adjusted p-value (−1 outside the family).
 *
 * Holm and Bonferroni control the family-wise error rate (the chance that any
 * member meeting its threshold is failed) at 1 − confidence; bh (Benjamini–
 * Hochberg) controls the false discovery rate (the expected share of failed
 * members that in truth meet their threshold): with R of k members failing at
 * the step-up, every member's level is 1 − max(R, 1)·α/k, the false coverage
 * rate adjustment of Benjamini and Yekutieli (2005).
 */
int mg__family_levels(mg_correction correction, double confidence, size_t n,
                      mg__family_probe probe, void *ctx, double *level,
                      size_t *family_size, double *p, double *p_adjusted);

#endif
