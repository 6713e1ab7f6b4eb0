/*
 * Interval selection: which interval a statistic gets and how (not installed).
 *
 * The runner hands over what it has (the statistic's replicate values, or the
 * counts and rows a closed form needs) and the level; this unit picks the method,
 * computes the interval and records how it went: the method actually used, the
 * replicates used and left out, whether they were all equal, or why there is no
 * interval.
 */
#ifndef MG_STATS_CI_H
#define MG_STATS_CI_H

#include <stddef.h>

#include "modelgate/error.h"
#include "modelgate/metrics.h"
#include "modelgate/rules.h"

typedef struct mg__ci {
    int has_ci;
    double low, high;
    mg_ci_method method; /* the interval computed or attempted (has_ci says whether
                            there is one), MG_CI_NONE when none was attempted */
    size_t replicates;   /* drawn (0 for a closed form) */
    size_t undefined;    /* replicates where the statistic was undefined */
    int degenerate;      /* every defined replicate equal, or a closed form of zero
                            width: no spread, so no interval */
    size_t needed;       /* replicates the level needs, when too few resolve it */
    int has_acceleration;
    double acceleration; /* BCa's a, for the p-value that inverts the interval */
    char reason[MG_ERROR_MESSAGE_MAX]; /* why there is no interval */
} mg__ci;

/* The fewest replicates that must lie beyond each quantile an interval reads; with
 * fewer, its end is an extreme replicate and says nothing about the level. */
#define MG__CI_MIN_TAIL 5

/*
 * A bootstrap interval (kind percentile, basic or bca) from the k defined values of
 * B replicates, sorted here in place. `acceleration` is BCa's a, or NULL when no
 * closed form exists: BC then (a = 0), and the method says so. No interval, with
 * the reason, when every replicate is equal (degenerate) or when fewer than
 * MG__CI_MIN_TAIL replicates lie beyond either quantile the interval reads (needed
 * says how many replicates would do).
 */
void mg__ci_bootstrap(mg__ci *out, mg_interval_kind kind, double *values, size_t k,
                      size_t replicates, double estimate, const double *acceleration,
                      double level);

/* Clopper–Pearson interval of `successes` out of `trials`. */
void mg__ci_clopper_pearson(mg__ci *out, double successes, double trials, double level);

/* Wilson interval of `successes` out of `trials`. */
void mg__ci_wilson(mg__ci *out, double successes, double trials, double level);

/* DeLong interval of one AUC, from the slice's scores and labels. MG_ENOMEM only. */
int mg__ci_delong(mg__ci *out, const double *scores, const unsigned char *labels,
                  size_t n, double level);

/* DeLong interval of sign · (AUC₁ − AUC₂) on the same rows. MG_ENOMEM only. */
int mg__ci_delong_paired(mg__ci *out, const double *scores1, const double *scores2,
                         const unsigned char *labels, size_t n, double sign,
                         double level);

/*
 * Whether `effective_size` is below the size from which `method` kept its stated
 * level in simulation for a metric of `family` (of a paired difference when
 * `difference`); if so, that size and the factor by which the distance from the
 * estimate to a bound must grow there to hold the level.
 */
int mg__ci_small_sample(mg_ci_method method, mg_family family, int difference,
                        size_t effective_size, size_t *from, double *widen);

/* No interval, with the reason (printf-style). */
void mg__ci_none(mg__ci *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
