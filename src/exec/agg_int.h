/* exec/agg_int.h — per-aggregate state of the hash aggregate (agg_fns.c),
 * private to exec/ (op_agg.c drives it; the window operator may reuse it).
 *
 * One lh_aggst per aggregate holds that aggregate's state for every group,
 * column-wise (arrays indexed by group id, grown with lh_aggst_grow).
 * lh_aggst_update feeds it a batch: the rows to use (already narrowed by
 * FILTER and DISTINCT) and each row's group id, in per-type loops chosen
 * once per batch.  lh_aggst_finalize writes the result of a range of
 * groups into an output vector of spec.ret.
 *
 * Semantics (Trino, functions/aggregate.md): NULL inputs are ignored
 * (count(*) counts rows); no input gives NULL except count / count_if
 * (0) and approx_distinct (0).  sum of integers is bigint, checked
 * ("bigint addition overflow: a + b"); sum of decimal(p,s) is
 * decimal(38,s), exact in 192 bits, "Decimal overflow" when the result
 * needs more than 38 digits; avg of decimal(p,s) is decimal(p,s), the
 * exact quotient rounded HALF_UP; avg of integers is double.  min/max on
 * doubles and reals ignore NaN unless every value is NaN (Trino's
 * max/min); min_by/max_by compare y the same way and ignore rows with a
 * NULL y (x may be NULL).  approx_distinct is HyperLogLog with 2^11
 * registers (standard error 1.04/sqrt(2048) = 2.3%, Trino's default),
 * sparse (4 bytes per non-zero register, up to 128) until it is worth
 * the 2 KiB of dense registers.
 * approx_percentile returns the exact nearest-rank value: the sorted
 * group's element at index max(ceil(p * n), 1) - 1 (NaN sorted last).
 *
 * Ownership: the state owns its arrays, copies of strings (each group's
 * min/max/arbitrary/min_by string lives in a heap buffer of that group's),
 * HyperLogLog registers and percentile samples.  Finalized strings point
 * into the state and are valid until lh_aggst_free.  `bytes` is what the
 * state holds (the operator charges it).  Errors: LH_ENOMEM, LH_EDATA
 * with Trino's texts, LH_EINTERNAL for an argument/result type the
 * aggregate does not take (the analyzer should never produce one).
 */
#ifndef LH_EXEC_AGG_INT_H
#define LH_EXEC_AGG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "exec/operator.h"
#include "exec/vector.h"

#define LH_HLL_BITS 11
#define LH_HLL_M (1u << LH_HLL_BITS)

/* Scratch shared by the aggregates of one operator (one batch at a time). */
typedef struct lh_agg_scratch {
    double xd[LH_BATCH], yd[LH_BATCH];
    int64_t xi[LH_BATCH];
    lh_i128 xq[LH_BATCH];
    uint64_t hh[LH_BATCH];
    uint16_t live[LH_BATCH];
} lh_agg_scratch;

typedef struct lh_aggst {
    lh_agg_spec spec;
    uint8_t p0, p1, w0, w1, rp; /* argument and result physical types / widths */
    uint8_t t0id, s0;            /* argument 0's type id and decimal scale */
    uint8_t mode;                /* sum / avg: integer, decimal, avg of integers, floating */
    uint32_t cap;                /* groups allocated */
    size_t bytes;
    int64_t *cnt;   /* rows counted / values seen */
    char *v0, *v1;  /* values in the arguments' layouts (x; y of min_by) */
    uint8_t *fl;    /* boolean value; min_by: x is NULL */
    lh_i128 *q0;    /* exact sums (decimal: low 128 bits) */
    int64_t *hi;    /* decimal sums: the bits above 128 */
    int64_t *i0;    /* bigint sums */
    double *d[5];   /* double sums, means, moments */
    char **sb0, **sb1;      /* owned string bytes per group (x, y) */
    uint32_t *sc0, *sc1;    /* their capacities */
    uint8_t **hll;          /* HyperLogLog per group: sparse entries, then dense registers */
    uint16_t *hn, *hcap;    /* sparse entries used / allocated (hn 0xffff: dense) */
    char **pv;              /* percentile samples per group */
    uint32_t *plen, *pcap;
    double pct;             /* approx_percentile's percentage */
    int have_pct;
    /* arrays grown with the groups: pointer and element size */
    void **arr[24];
    size_t esz[24];
    uint32_t narr;
} lh_aggst;

/* Validate spec against the input types (in_types[spec.arg[i]]) and set up. */
lh_rc lh_aggst_init(lh_aggst *a, const lh_agg_spec *spec, const lh_sqltype *in_types, uint32_t nin,
                    lh_err *err) LH_MUST_CHECK;
void lh_aggst_free(lh_aggst *a);
/* Room for ngroups groups (new groups start empty). */
lh_rc lh_aggst_grow(lh_aggst *a, uint32_t ngroups, lh_err *err) LH_MUST_CHECK;
/* Bytes lh_aggst_grow(a, ngroups) would add (the fixed per-group arrays;
 * strings, HyperLogLog registers and samples grow with rows, not groups). */
size_t lh_aggst_grow_bytes(const lh_aggst *a, uint32_t ngroups);
/* Feed rows[0..n) of the input columns; gids[row] is each row's group. */
lh_rc lh_aggst_update(lh_aggst *a, lh_vector **cols, const uint16_t *rows, uint32_t n, const uint32_t *gids,
                      lh_agg_scratch *sc, lh_err *err) LH_MUST_CHECK;
/* Results of groups g0..g0+n-1 into out rows 0..n-1 (a FLAT vector of spec.ret, all valid on entry). */
lh_rc lh_aggst_finalize(lh_aggst *a, uint32_t g0, uint32_t n, lh_vector *out, lh_err *err) LH_MUST_CHECK;

/* "count", "sum", "approx_distinct", ... (count(*) is "count"). */

#endif
