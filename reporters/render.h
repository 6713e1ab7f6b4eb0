/*
 * The one place where a case's numbers and kinds become sentences (not installed).
 */
#ifndef MG_REPORTERS_RENDER_H
#define MG_REPORTERS_RENDER_H

#include <stddef.h>

#include "modelgate/report.h"

/*
 * Fill k->message (one line: the verdict) and k->detail (the full numbers, or NULL
 * for errors and skips) from the case's structured fields. Call inside a C numeric
 * scope (common/clocale.h). Returns 0 or MG_ENOMEM.
 */
int mg__case_render(mg_case *k);

/* "95% BCa", "99% Wilson (Holm, 5 slices)": the interval a case's numbers come from. */
void mg__case_method(char *buf, size_t size, const mg_case *k);

/* The caption of a sliced test's forest plot (its n cases): what is drawn, at which
 * level, and how the rows are ordered. */
void mg__forest_caption(char *buf, size_t size, const mg_case *const *cases, size_t n);

/* The caption of a set of ROC or precision–recall curves (all of one kind). */
void mg__curve_caption(char *buf, size_t size, const mg_curve *const *curves, size_t n);

#endif
