/*
 * Random streams for the bootstrap: one independent stream per (seed, replicate,
 * purpose), so a replicate's draws do not depend on which thread computes it.
 */
#ifndef MG_STATS_RNG_H
#define MG_STATS_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

enum mg__stream {
    /* 1 was the multinomial over confusion atoms: atoms now sum the row counts */
    MG__STREAM_ROWS = 2, /* row (or cluster) counts, shared by every family */
    MG__STREAM_DRIFT = 3 /* a drift column's two samples (stats/drift.c) */
};

/*
 * A gsl_rng backed by xoshiro256**, in place: pass &r.gsl to GSL's samplers. Not from
 * gsl_rng_alloc, which on failure calls GSL's error handler, and that aborts the
 * process unless the program embedding the library has switched it off.
 */
typedef struct mg__rng {
    gsl_rng gsl;   /* type and state point into this struct */
    uint64_t s[4]; /* the xoshiro256** state */
} mg__rng;

/* Make `r` usable; mg__rng_stream then picks its stream. */
void mg__rng_init(mg__rng *r);

/* Reset `r` (r->gsl of an mg__rng) to the stream of (seed, replicate, stream). */
void mg__rng_stream(gsl_rng *r, uint64_t seed, uint64_t replicate, unsigned stream);

/* Next 64 random bits of an mg__rng_xoshiro generator. */
uint64_t mg__rng_next(gsl_rng *r);

/* A uniform integer in [0, range) by Lemire's method with rejection (range > 0). */
uint64_t mg__rng_below(gsl_rng *r, uint64_t range);

/* SplitMix64 finaliser: a bijective 64-bit mix, also the counter-based hash. */
static inline uint64_t mg__mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

#endif
