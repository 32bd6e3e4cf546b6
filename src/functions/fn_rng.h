/* functions/fn_rng.h — the random number generator behind rand() and
 * random(m, n): xoshiro256** seeded by splitmix64 from the clock, one per
 * call site (the call's state).  lh_fn_rng_init allocates it (LH_ENOMEM),
 * lh_fn_rng_done frees it; rng_below is uniform in [0, n) without modulo
 * bias. */
#ifndef LH_FUNCTIONS_FN_RNG_H
#define LH_FUNCTIONS_FN_RNG_H

#include <stdint.h>

#include "exec/expr.h"

typedef struct rng {
    uint64_t s[4];
} rng;

static inline uint64_t rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng *r) /* xoshiro256** */
{
    uint64_t *s = r->s, res = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return res;
}

static inline uint64_t rng_below(rng *r, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    do
        x = rng_next(r);
    while (x >= lim);
    return x % n;
}

/* lh_scalar_impl init/done for the functions that draw from it (fn_math.c). */
lh_rc lh_fn_rng_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err);
void lh_fn_rng_done(lh_fn_call *c);

#endif
