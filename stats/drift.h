/*
 * Drift statistics over sufficient statistics (not installed): sorted samples for
 * the exact Kolmogorov–Smirnov and Wasserstein distances, counts over bins and
 * categories for PSI, Jensen–Shannon, χ² and Cramér's V, and a grid of counts for
 * the bootstrap. stats/drift.c has the method; stats/ks.c the KS p-value.
 */
#ifndef MG_STATS_DRIFT_H
#define MG_STATS_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/drift.h"
#include "modelgate/error.h"
#include "modelgate/rules.h"

/* SciPy's MAX_AUTO_N: the KS p-value is exact up to this many values per sample. */
#define MG__KS_MAX_EXACT 10000

/* kstwo.sf(x, n): the upper tail of the one-sample two-sided KS statistic. NaN
 * when out of memory. */
double mg__kolmogorov_sf(long n, double x);

/* The two-sided p-value of D = *d for samples of n1 and n2 values, as ks_2samp
 * (method auto) computes it; *d is rounded to the lattice when exact. */
int mg__ks_p_value(size_t n1, size_t n2, double *d, double *p, int *exact);

/* The n values of x that are not NaN, sorted ascending (−0 as 0), in *out (owned by
 * the caller), their count in *kept. 0 or MG_ENOMEM. */
int mg__drift_sorted(const double *x, size_t n, double **out, size_t *kept);

/* KS D and Wasserstein-1 of two sorted, non-empty samples. */
double mg__ks_sorted(const double *a, size_t na, const double *b, size_t nb);
double mg__wasserstein_sorted(const double *a, size_t na, const double *b, size_t nb);

/*
 * One column's drift: the estimates (in `r`) and, with replicates, each
 * statistic's bootstrap replicate values (NaN where undefined), from which
 * mg__drift_ci reads an interval at any level.
 */
typedef struct mg__drift {
    mg_drift_column r;
    size_t replicates;
    double *rep[MG_DRIFT_STATISTIC_COUNT]; /* replicates values each, or NULL */
} mg__drift;

/* A number column: ref and cur as given (NaN is missing). */
int mg__drift_numbers(mg__drift *out, const double *ref, size_t nref, const double *cur,
                      size_t ncur, const mg_drift_options *o, uint64_t stream,
                      mg_error *err);
/* A category column: counts per category, the same categories in both, k of them;
 * missing values already counted out (set out->r.missing_* yourself). */
int mg__drift_counts(mg__drift *out, const double *ref, const double *cur, size_t k,
                     const mg_drift_options *o, uint64_t stream, mg_error *err);
void mg__drift_free(mg__drift *d);

/* The interval of statistic s at two-sided level `level`, read from the replicates
 * (scratch: `replicates` doubles). */
struct mg__ci;
void mg__drift_ci(const mg__drift *d, mg_drift_statistic s, mg_interval_kind kind,
                  double level, double *scratch, struct mg__ci *ci);

#endif
