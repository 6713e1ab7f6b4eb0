/*
 * Private to reporters/: the plots of the HTML report, as inline SVG written
 * through an mg__markup writer (not installed). Each plot draws what it is given
 * and computes no statistic; every mark (an estimate's point, a curve, a band, an
 * operating point, a calibration bin) carries the class "mark", so a test can
 * count them.
 */
#ifndef MG_REPORTERS_SVG_H
#define MG_REPORTERS_SVG_H

#include <stddef.h>

#include "modelgate/report.h"
#include "reporters/markup.h"

/*
 * A forest plot of one sliced test: one row per case (slice), grouped by outcome
 * (failed, errors, skipped, passed) and sorted worst first within a group; each
 * row shows every model's estimate and interval from the case's peers (the model
 * under test marked by its outcome, the others hollow), or the case's own when it
 * has no peers; the threshold line, or for a comparison a second panel of Δ with
 * its margin lines. `id` makes the plot's element ids unique in the page. Returns
 * 0 or MG_ENOMEM (and marks the writer failed).
 */
int mg__svg_forest(mg__markup *m, const mg_case *const *cases, size_t n, int id);

/* The marks mg__svg_forest draws for these cases. */
size_t mg__svg_forest_marks(const mg_case *const *cases, size_t n);

/*
 * ROC or precision–recall curves of several models on one set of axes (all of one
 * kind): each model's band, curve and operating point, the no-skill line (the
 * diagonal, or the prevalence) and a legend with each area.
 */
void mg__svg_curves(mg__markup *m, const mg_curve *const *curves, size_t n, int id);

/* One bin of a reliability diagram: the mean predicted probability of its rows,
 * the observed share of positives among them, and optionally an interval. */
typedef struct mg__reliability_bin {
    double predicted, observed;
    size_t count;
    int has_ci;
    double low, high;
} mg__reliability_bin;

/*
 * A reliability diagram: observed against predicted per bin (with its interval
 * when it has one) beside the diagonal of perfect calibration, and the bins'
 * counts as a histogram underneath. Bins with no rows are not drawn.
 */
void mg__svg_reliability(mg__markup *m, const char *model,
                         const mg__reliability_bin *bins, size_t n, int id);

#endif
