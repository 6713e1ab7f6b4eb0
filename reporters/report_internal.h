/*
 * Private to reporters/: helpers the reporters share (report.c defines them).
 */
#ifndef MG_REPORTERS_REPORT_INTERNAL_H
#define MG_REPORTERS_REPORT_INTERNAL_H

#include <locale.h>
#include <stddef.h>

#include "modelgate/report.h"

/* Outcome counts recomputed from the cases; reporters never trust the stored ones. */
typedef struct mg__tally {
    size_t tests, passed, failed, skipped, errors;
} mg__tally;

void mg__report_tally(const mg_report *r, mg__tally *t);

/* Whether a run with these counts passed: no failures and no errors. */
int mg__tally_ok(const mg__tally *t);

/*
 * A scope in which this thread formats numbers in the C locale, whatever
 * LC_NUMERIC the host set: printf's "%.3f" then always writes '.'. uselocale is
 * per-thread, so other threads of the host are not affected.
 */
typedef struct mg__c_numeric {
    locale_t c;     /* the locale this scope installed, or 0 */
    locale_t saved; /* the thread's locale before */
} mg__c_numeric;

/* Enter the scope. Returns 0 or MG_ENOMEM (then nothing changed). */
int mg__c_numeric_begin(mg__c_numeric *s);
/* Leave the scope; a no-op when begin failed or was not called (zeroed struct). */
void mg__c_numeric_end(mg__c_numeric *s);

/*
 * The shortest "%.{15,16,17}g" form of v that reads back exactly; "nan", "inf" or
 * "-inf" for non-finite values. buf needs 32 bytes. Call inside a C numeric scope.
 */
void mg__fmt_real(char *buf, size_t size, double v);

/* "%.3f" seconds for JUnit; negative or non-finite times print as "0.000". */
void mg__fmt_seconds(char *buf, size_t size, double v);

/* The label of a case's slice: its slice, or "overall" when NULL. */
const char *mg__case_slice(const mg_case *c);

/* Lower-case outcome name: "pass", "fail", "skipped", "error". */
const char *mg__outcome_name(mg_outcome o);

#endif
