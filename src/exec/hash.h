/* exec/hash.h — vectorized hashing of key columns (hash join, hash
 * aggregate).
 *
 * lh_hash_columns hashes ncols key vectors row by row into hashes[row] for
 * the rows of `rows`: the first column sets the hash, each further column
 * is mixed in, and murmur3's fmix64 finishes every value.  Equal values
 * hash equal whatever their width: integers hash as int64 (a tinyint 5
 * and a bigint 5 agree), decimals as their unscaled 128-bit value at their
 * own scale (the analyzer gives join keys one type), doubles with -0.0 as
 * 0.0 and every NaN as one NaN, timestamps with time zone by instant,
 * strings by their bytes, 8 at a time.  NULL hashes to LH_HASH_NULL.
 * Nothing allocates; a DICT input is flattened in place.
 */
#ifndef LH_EXEC_HASH_H
#define LH_EXEC_HASH_H

#include <stdint.h>

#include "exec/vector.h"

#define LH_HASH_NULL 0x9ae16a3b2f90404fULL

static inline uint64_t lh_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* Bytes p[0..n) (strings): 8 at a time, then the tail, then fmix64. */
uint64_t lh_hash_bytes(const void *p, size_t n);

lh_rc lh_hash_columns(lh_vector **cols, uint32_t ncols, lh_rows rows, uint64_t *hashes, lh_err *err) LH_MUST_CHECK;

#endif
