/* exec/grouptab.h — the hash table of groups shared by the hash aggregate
 * (op_agg.c), DISTINCT aggregates (agg_fns.c) and INTERSECT / EXCEPT
 * (op_setop.c).  Private to exec/.
 *
 * A table maps a tuple of key values to a dense group id 0..ngroups-1.
 * Keys are compared as GROUP BY compares them: NULL equals NULL (IS NOT
 * DISTINCT FROM), doubles and reals with -0.0 = 0.0 and every NaN one
 * value, timestamps with time zone by instant, strings by their bytes,
 * decimals by their unscaled value (every key of one column has one type).
 *
 * Layout: open addressing (linear probing, load factor <= 1/2) over uint32
 * slots holding group id + 1; per group its hash, and per key column the
 * value in the vector's physical layout plus a NULL flag (column-wise, so
 * lh_gtab_emit is one memcpy per column).  Strings longer than 12 bytes
 * are copied into the table's own arena: a key never points into an input
 * batch.
 *
 * lh_gtab_lookup works on a whole batch: hash every live row
 * (lh_hash_columns), then probe in rounds; each round compares all
 * candidate rows column by column in per-type loops.
 *
 * Ownership: the table owns its arrays and arena; lh_gtab_free releases
 * them.  Emitted string views point into the table and are valid until it
 * is freed.  `bytes` is what the table holds (the owner charges it to the
 * execution context).  Errors: LH_ENOMEM "out of memory ...", LH_ELIMIT
 * past 2^31 groups.  After an error the table may only be freed.
 */
#ifndef LH_EXEC_GROUPTAB_H
#define LH_EXEC_GROUPTAB_H

#include <stddef.h>
#include <stdint.h>

#include "exec/vector.h"
#include "util/err.h"
#include "util/mem.h"

#define LH_GTAB_NONE UINT32_MAX

typedef struct lh_gtab {
    uint32_t nkeys;
    uint8_t *phys;   /* per key */
    uint8_t *width;  /* per key */
    uint32_t ngroups, gcap;
    char **kdata;    /* per key: gcap values */
    uint8_t **knull; /* per key: gcap flags, 1 = NULL */
    uint64_t *ghash; /* gcap */
    uint32_t *slots; /* scap entries: group id + 1, 0 = empty */
    uint32_t scap;   /* a power of two */
    lh_arena arena;  /* bytes of long key strings */
    size_t bytes;    /* bytes held, arena included */
    /* per-batch scratch */
    uint64_t hashes[LH_BATCH];
    uint32_t slot[LH_BATCH];
    uint16_t pend[LH_BATCH], cand[LH_BATCH];
    uint8_t match[LH_BATCH];
} lh_gtab;

/* A table over nkeys key columns of the given types (nkeys may be 0: every
 * row is group 0). */
lh_rc lh_gtab_create(const lh_sqltype *types, uint32_t nkeys, lh_gtab **out, lh_err *err) LH_MUST_CHECK;
void lh_gtab_free(lh_gtab *t); /* NULL allowed */

/* For every live row r of `rows` over the key vectors keys[0..nkeys)
 * (FLAT, CONST or DICT; DICT is flattened in place): gids[r] = its group.
 * insert = 1 creates missing groups (is_new[r] = 1 for the row that
 * created one, 0 otherwise; is_new may be NULL); insert = 0 leaves
 * gids[r] = LH_GTAB_NONE for absent keys.  gids and is_new are indexed by
 * row (LH_BATCH entries). */
lh_rc lh_gtab_lookup(lh_gtab *t, lh_vector **keys, lh_rows rows, int insert, uint32_t *gids, uint8_t *is_new,
                     lh_err *err) LH_MUST_CHECK;

/* Bytes the table's arrays would grow by if a lookup with insert over
 * `rows` live rows ran now (an upper bound: every row a new group; long
 * key strings not included).  The hash aggregate asks this before a batch
 * to decide whether to spill instead (exec/spill.h). */
size_t lh_gtab_grow_bytes(const lh_gtab *t, uint32_t rows);

/* Keys of groups g0..g0+n-1 into out[k] rows 0..n-1 (FLAT vectors of the
 * key types; string views point into the table). */
void lh_gtab_emit(const lh_gtab *t, uint32_t g0, uint32_t n, lh_vector **out);
/* Keys of group g into row r of out[k]. */
void lh_gtab_emit_row(const lh_gtab *t, uint32_t g, lh_vector **out, uint32_t r);

#endif
