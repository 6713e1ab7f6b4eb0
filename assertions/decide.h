/*
 * Decision rules: turn an estimate and its interval into pass or fail with a
 * message that states the rule and the numbers. Not installed.
 */
#ifndef MG_ASSERTIONS_DECIDE_H
#define MG_ASSERTIONS_DECIDE_H

#include <stddef.h>

#include "modelgate/report.h"
#include "modelgate/suite.h"

#define MG__VERDICT_MAX 640

typedef struct mg__evidence {
    const char *metric;
    double estimate; /* the model's value, or Δ for a comparison */
    int has_ci;
    double low, high;
    const char *interval; /* "95% BCa", "95% Wilson" */
    const char *baseline; /* comparisons: the baseline's name */
    double margin;        /* comparisons: the margin in metric units */
} mg__evidence;

typedef struct mg__verdict {
    mg_outcome outcome;
    char message[MG__VERDICT_MAX];
} mg__verdict;

/* at_least / at_most under the test's rule. Needs has_ci unless rule is estimate. */
void mg__decide_threshold(const mg_test_spec *t, const mg__evidence *ev,
                          mg__verdict *out);

/* non_inferior / superior / equivalent on Δ (already sign-adjusted). */
void mg__decide_comparison(const mg_test_spec *t, const mg__evidence *ev,
                           mg__verdict *out);

/* Format x with the fewest digits (at least 3 significant) that tell it apart from
 * `other` when the two differ. */
void mg__format_number(char *buf, size_t size, double x, double other);

#endif
