/*
 * The simultaneous (max-t) bootstrap interval of a gap across slices (not
 * installed); stats/gap.c says why this interval and not the percentile one.
 */
#ifndef MG_STATS_GAP_H
#define MG_STATS_GAP_H

#include <stddef.h>

#include "stats/ci.h"

/*
 * The interval of G = max_s θ_s − min_s θ_s over S slices, each end a one-sided
 * bound at `level`, from the slices' estimates est[S] and their bootstrap
 * replicates values[s·B + b] (NaN: undefined in that replicate, which is then left
 * out; ±infinity allowed, for the logs of a ratio). out->method is MG_CI_MAX_T;
 * *crit receives c, the quantile of the studentised maximum. Without an interval
 * out->reason says why (every replicate alike, too few replicates for the level,
 * infinite bounds). Returns 0 or MG_ENOMEM.
 */
int mg__ci_max_gap(mg__ci *out, const double *est, const double *values, size_t S,
                   size_t B, double level, double *crit);

#endif
