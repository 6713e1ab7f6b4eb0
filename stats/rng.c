/*
 * xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021) wrapped as a gsl_rng type, so that GSL's binomial
 * and multinomial samplers draw from it.
 *
 * Each replicate gets its own stream: the 256-bit state is filled by SplitMix64 from
 * a key that mixes the seed, the replicate index and the purpose. Streams from
 * distinct keys are, for all practical purposes, independent, and a replicate's
 * numbers depend only on its key, which is what makes results identical for any
 * thread count.
 */
#include "stats/rng.h"

#include <string.h>

typedef struct xoshiro {
    uint64_t s[4];
} xoshiro;

_Static_assert(sizeof(xoshiro) == sizeof(((mg__rng *)0)->s), "xoshiro state size");

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t next(xoshiro *x)
{
    uint64_t *s = x->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void seed_state(xoshiro *x, uint64_t key)
{
    for (int i = 0; i < 4; i++) {
        key += 0x9e3779b97f4a7c15ULL;
        x->s[i] = mg__mix64(key);
    }
    if ((x->s[0] | x->s[1] | x->s[2] | x->s[3]) == 0)
        x->s[0] = 1;
}

static void gsl_set(void *state, unsigned long seed)
{
    seed_state(state, seed);
}

/* GSL wants 32-bit integers from get (its samplers assume max − min + 1 = 2^32). */
static unsigned long gsl_get(void *state)
{
    return (unsigned long)(next(state) >> 32);
}

/* 53 random bits in (0, 1): GSL's samplers take logs of uniforms, so 0 is excluded. */
static double gsl_get_double(void *state)
{
    uint64_t v;
    do
        v = next(state) >> 11;
    while (v == 0);
    return (double)v * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "mg_xoshiro256starstar", 0xffffffffUL, 0, sizeof(xoshiro), gsl_set, gsl_get,
    gsl_get_double};

void mg__rng_init(mg__rng *r)
{
    r->gsl.type = &xoshiro_type;
    r->gsl.state = r->s;
    seed_state(r->gsl.state, 0);
}

void mg__rng_stream(gsl_rng *r, uint64_t seed, uint64_t replicate, unsigned stream)
{
    uint64_t key = mg__mix64(seed ^ 0x6d6f64656c676174ULL);
    key = mg__mix64(key ^ replicate);
    key = mg__mix64(key ^ (uint64_t)stream);
    seed_state(r->state, key);
}

uint64_t mg__rng_next(gsl_rng *r)
{
    return next(r->state);
}

uint64_t mg__rng_below(gsl_rng *r, uint64_t range)
{
    /* Lemire, "Fast random integer generation in an interval", TOMACS 2019. */
    unsigned __int128 m = (unsigned __int128)next(r->state) * range;
    uint64_t low = (uint64_t)m;
    if (low < range) {
        uint64_t floor = -range % range;
        while (low < floor) {
            m = (unsigned __int128)next(r->state) * range;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}
