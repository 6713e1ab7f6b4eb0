/*
 * Decision rules: turn an estimate and its interval into pass or fail, as
 * structured checks (which bound against which threshold, and what it found). The
 * sentences are rendered from the checks by reporters/render.c. Not installed.
 */
#ifndef MG_ASSERTIONS_DECIDE_H
#define MG_ASSERTIONS_DECIDE_H

#include <stddef.h>

#include "modelgate/report.h"
#include "modelgate/rules.h"

/* What a test asks: the rule and either thresholds or a comparison margin. */
typedef struct mg__rule {
    mg_rule rule;
    int has_at_least, has_at_most;
    double at_least, at_most;
    mg_comparison comparison; /* MG_COMPARE_NONE for a threshold test */
    double margin;            /* comparisons: in metric units, >= 0 */
} mg__rule;

/* What the data says: the estimate (or Δ, sign-adjusted) and its interval. */
typedef struct mg__evidence {
    double estimate;
    int has_ci;
    double low, high;
} mg__evidence;

typedef struct mg__verdict {
    mg_outcome outcome;
    mg_check checks[2];
    size_t nchecks;
} mg__verdict;

/*
 * Decide a threshold test (comparison == NONE: at_least and/or at_most) or a
 * comparison (non_inferior / superior / equivalent on Δ). Needs has_ci unless the
 * rule is estimate; without an interval the estimate is compared.
 */
void mg__decide(const mg__rule *rule, const mg__evidence *ev, mg__verdict *out);

#endif
