/*
 * Lane kernels shared by the bootstrap's weighted passes (stats/resample.c for
 * binary models, stats/multiclass.c for multiclass ones): MG__LANES replicates at
 * once, their unit counts interleaved one byte each.
 */
#ifndef MG_STATS_LANES_H
#define MG_STATS_LANES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/engine_internal.h"

/* Zeroed doubles on a cache-line boundary: each lane vector (64 bytes) then sits in
 * one line, so a row's store and the next row's load of it forward cleanly. */
static inline double *lanes_calloc(size_t count)
{
    void *mem = NULL;
    size_t bytes = (count ? count : 1) * sizeof(double);
    if (posix_memalign(&mem, 64, bytes) != 0)
        return NULL;
    memset(mem, 0, bytes);
    return mem;
}

/*
 * Lane kernels: eight replicates at once, written with the compiler's vector
 * extension so that they become a few vector instructions (two with AVX2) rather
 * than relying on the auto-vectoriser, which gives up on these short loops.
 */
typedef double vlane __attribute__((vector_size(MG__LANES * sizeof(double))));
typedef unsigned char vbytes __attribute__((vector_size(MG__LANES)));
typedef int vints __attribute__((vector_size(MG__LANES * sizeof(int))));
typedef long long vmask __attribute__((vector_size(MG__LANES * sizeof(double))));

static inline vlane vload(const double *p)
{
    vlane v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void vstore(double *p, vlane v)
{
    memcpy(p, &v, sizeof v);
}

static inline vlane load_weights(const uint8_t *c)
{
    vbytes b;
    memcpy(&b, c, sizeof b);
    /* Through 32-bit integers: widen, then convert (vpmovzxbd, vcvtdq2pd). */
    return __builtin_convertvector(__builtin_convertvector(b, vints), vlane);
}

static inline void lane_add(double *dst, vlane w, double x)
{
    vstore(dst, vload(dst) + w * x);
}

static inline void lane_count(double *dst, vlane w)
{
    vstore(dst, vload(dst) + w);
}

#endif
