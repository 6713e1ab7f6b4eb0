/*
 * The memory budget of a run (not installed): estimates checked against a limit
 * before anything large is allocated.
 */
#ifndef MG_HARNESS_BUDGET_H
#define MG_HARNESS_BUDGET_H

#include "modelgate/error.h"
#include "modelgate/suite.h"

/* The limit in bytes: max_memory when > 0, else 80 % of physical memory. */
double mg__budget_limit(double max_memory);

/* Bytes the suite's input tables will take once loaded (a few times the files). */
double mg__budget_tables(const mg_suite *s);

/* MG_EINVAL naming the suite file when `need` bytes exceed `limit`; `what` says
 * what the bytes are for ("2000 replicates × 2 models × …"). */
int mg__budget_check(const mg_suite *s, double need, double limit, const char *what,
                     mg_error *err);

#endif
