/* exec/join_spill.h — the hash join's partitions on disk (internal to
 * exec/op_join.c; see docs/sql-executor.md "HashJoin: spilling").
 *
 * An lh_jspill holds the partitions of a Grace hash join.  A partitioning
 * round (lh_jspill_begin .. lh_jspill_end) at level d sends every build
 * row, then every probe row, to one of LH_JSPILL_NPART partitions chosen
 * by bits [60 - 4d, 64 - 4d) of its join-key hash (exec/hash.h; the join's
 * table buckets by the low bits), each partition one spill per side
 * (exec/spill.h), made at its first row.  lh_jspill_end pushes the round's
 * partitions on a stack; lh_jspill_pop hands them back one pair at a time,
 * partition 0 first, so a pair repartitioned one level down is finished
 * before its siblings (depth first: at most 2 * LH_JSPILL_NPART spills
 * written at once).  Rows with a NULL key go where their hash sends them
 * (the hash of NULL is fixed), so an outer join still emits them.
 *
 * Ownership: the lh_jspill owns every spill of the open round and of the
 * stack; lh_jspill_pop transfers a pair to the caller (either may be NULL:
 * that side of the partition is empty), who frees them with
 * lh_spill_free.  lh_jspill_free frees whatever is left (NULL allowed), so
 * every error path of the join ends with no file open.
 *
 * Errors: those of exec/spill.h (LH_EIO from the temporary files, LH_ENOMEM,
 * LH_ECANCELLED from lh_exec_check every batch).  After an error the
 * lh_jspill may only be freed.  One thread.
 */
#ifndef LH_EXEC_JOIN_SPILL_H
#define LH_EXEC_JOIN_SPILL_H

#include <stdint.h>

#include "exec/operator.h"
#include "exec/rowstore.h"
#include "exec/spill.h"

#define LH_JSPILL_BITS 4
#define LH_JSPILL_NPART (1u << LH_JSPILL_BITS)
#define LH_JSPILL_MAX_DEPTH 8 /* 32 bits of the hash */
/* bytes a batch of n columns is charged while it lives (as exec/spill.c's) */
#define LH_JSPILL_SCRATCH(n) ((size_t)(n) * (LH_BATCH * 16 + LH_BATCH / 8))

typedef struct lh_jspill lh_jspill;

/* Build rows have the types btypes[0..nb), probe rows ptypes[0..np). */
lh_rc lh_jspill_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *btypes, uint32_t nb,
                       const lh_sqltype *ptypes, uint32_t np, lh_jspill **out, lh_err *err) LH_MUST_CHECK;
/* Start a partitioning round at level depth (< LH_JSPILL_MAX_DEPTH). */
void lh_jspill_begin(lh_jspill *js, uint32_t depth);
/* Build rows 0..n of rs with hashes h[0..n), through a scratch batch
 * charged LH_JSPILL_SCRATCH(nb) for the call (the caller leaves room). */
lh_rc lh_jspill_put_build_rows(lh_jspill *js, const lh_rowstore *rs, const uint64_t *h, uint32_t n,
                               lh_err *err) LH_MUST_CHECK;
/* The live rows of a build (probe) batch; h[row] is the key hash of the
 * batch's physical row.  The batch's selection is changed. */
lh_rc lh_jspill_put_build(lh_jspill *js, lh_batch *b, const uint64_t *h, lh_err *err) LH_MUST_CHECK;
lh_rc lh_jspill_put_probe(lh_jspill *js, lh_batch *b, const uint64_t *h, lh_err *err) LH_MUST_CHECK;
/* 1 when every build row of the open round had one and the same hash
 * (a single key: repartitioning cannot split it). */
int lh_jspill_one_hash(const lh_jspill *js);
uint64_t lh_jspill_round_rows(const lh_jspill *js); /* build rows of the open round */
/* Close the round: its partitions wait on the stack. */
lh_rc lh_jspill_end(lh_jspill *js, lh_err *err) LH_MUST_CHECK;
/* The next waiting pair (0: none left); *depth is its level + 1, the
 * level at which it would be repartitioned. */
int lh_jspill_pop(lh_jspill *js, lh_spill **build, lh_spill **probe, uint32_t *depth);
/* EXPLAIN ANALYZE: bytes written, spill files made, deepest level + 1. */
void lh_jspill_stats(const lh_jspill *js, uint64_t *bytes, uint64_t *files, uint32_t *levels);
void lh_jspill_free(lh_jspill *js);

/* lh_jread: a spill read back in batches of up to LH_BATCH rows.  A
 * partitioning round cuts each batch into 16 blocks (a block per put), and
 * one level down into 256: joining them again keeps the probe side's
 * batches, and so the join's output batches, full.  Blocks of half a batch
 * or more are handed out as the spill's own batch; smaller ones are copied
 * (strings too) into the reader's batch.  What next hands out is valid
 * until the next call, lh_jread_reset or lh_jread_free.  The reader's batch
 * is charged LH_JSPILL_SCRATCH(ncols) while it lives (its arena is not). */
typedef struct lh_jread lh_jread;

lh_rc lh_jread_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *types, uint32_t ncols, lh_jread **out,
                      lh_err *err) LH_MUST_CHECK;
/* The next batch of spill s (*out = NULL at its end); one spill until a reset. */
lh_rc lh_jread_next(lh_jread *r, lh_spill *s, lh_batch **out, lh_err *err) LH_MUST_CHECK;
void lh_jread_reset(lh_jread *r); /* before reading another spill */
void lh_jread_free(lh_jread *r);  /* NULL allowed */

#endif
