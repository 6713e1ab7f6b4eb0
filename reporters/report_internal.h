/*
 * Private to reporters/: helpers the reporters share (report.c defines them).
 */
#ifndef MG_REPORTERS_REPORT_INTERNAL_H
#define MG_REPORTERS_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "common/clocale.h"
#include "modelgate/report.h"

/* Outcome counts recomputed from the cases; reporters never trust the stored ones. */
typedef struct mg__tally {
    size_t tests, passed, failed, skipped, errors;
} mg__tally;

void mg__report_tally(const mg_report *r, mg__tally *t);

/* Whether a run with these counts passed: no failures and no errors. */
int mg__tally_ok(const mg__tally *t);

/*
 * The shortest "%.{15,16,17}g" form of v that reads back exactly; "nan", "inf" or
 * "-inf" for non-finite values. buf needs 32 bytes. Call inside a C numeric scope.
 */
void mg__fmt_real(char *buf, size_t size, double v);

/* "%.3f" seconds for JUnit; negative or non-finite times print as "0.000". */
void mg__fmt_seconds(char *buf, size_t size, double v);

/* The label of a case's slice: its slice, or "overall" when NULL. */
const char *mg__case_slice(const mg_case *c);

/* Whether a comparison case's Δ has an interval: a Δ without one (no interval
 * could be computed) has no bounds to show, whatever delta_ci_low holds. */
int mg__case_has_delta_ci(const mg_case *c);

/*
 * The level of the intervals a table shows without one: that of the cases whose
 * level no correction adjusted, which all share it; NaN when there is none, and then
 * every interval is shown with its level. An interval at another level (a corrected
 * family's) is shown with its level.
 */
double mg__usual_level(const mg_report *r);

/* "ESTIMATE [90% CI]": the column header `word` with the usual level, or
 * "ESTIMATE [CI]" when no case has an interval. Call inside a C numeric scope. */
void mg__interval_header(char *buf, size_t size, const char *word, const mg_report *r,
                         double level);

/* Lower-case outcome name: "pass", "fail", "skipped", "error". */
const char *mg__outcome_name(mg_outcome o);

/* Markdown (markdown.c, diff.c): s as one escaped line of inline text, cleaned to
 * one line with '\\', '|', '`', '*', '_' and '<' escaped; and an outcome's symbol
 * (✅ pass, ❌ fail, ⏭️ skipped, ⚠️ error). */
int mg__md_put(FILE *f, const char *s);
const char *mg__md_symbol(mg_outcome o);

#endif
