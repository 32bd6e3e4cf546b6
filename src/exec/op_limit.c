/* exec/op_limit.c — LIMIT/OFFSET (operator.h).
 *
 * Skips `offset` live rows, then passes `limit` rows (limit < 0: all) by
 * narrowing the selection of the child's batches, which pass through
 * unchanged otherwise.  Once the limit is reached the child is not pulled
 * again (a LIMIT over a scan stops reading).
 */
#include <string.h>

#include "exec/kernels.h"
#include "exec/operator.h"

typedef struct limit_op {
    lh_op base;
    int64_t offset, limit;
    uint64_t skipped, passed;
    uint16_t sel[LH_BATCH];
} limit_op;

static lh_rc limit_next(lh_op *op, lh_batch **out, lh_err *err)
{
    limit_op *l = (limit_op *)op;
    lh_rc rc;
    *out = NULL;
    for (;;) {
        lh_batch *b;
        lh_rows rows;
        uint32_t from = 0, take;
        if (l->limit >= 0 && l->passed >= (uint64_t)l->limit)
            return LH_OK;
        if ((rc = lh_op_next(op->child[0], &b, err)))
            return rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        if (l->skipped < (uint64_t)l->offset) {
            uint64_t need = (uint64_t)l->offset - l->skipped;
            from = need < rows.n ? (uint32_t)need : rows.n;
            l->skipped += from;
        }
        take = rows.n - from;
        if (l->limit >= 0 && (uint64_t)take > (uint64_t)l->limit - l->passed)
            take = (uint32_t)((uint64_t)l->limit - l->passed);
        if (!take)
            continue;
        l->passed += take;
        if (from || take < rows.n) {
            uint32_t k;
            for (k = 0; k < take; k++)
                l->sel[k] = rows.sel ? rows.sel[from + k] : (uint16_t)(from + k);
            lh_batch_select(b, l->sel, take);
        }
        *out = b;
        return LH_OK;
    }
}

static lh_rc limit_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const limit_op *l = (const limit_op *)op;
    lh_rc rc;
    if (l->limit >= 0 && (rc = lh_buf_printf(out, err, "limit %lld", (long long)l->limit)))
        return rc;
    if (l->offset > 0 && (rc = lh_buf_printf(out, err, "%soffset %lld", l->limit >= 0 ? ", " : "",
                                             (long long)l->offset)))
        return rc;
    return LH_OK;
}

static const lh_op_vt limit_vt = {"Limit", limit_next, NULL, limit_explain, NULL};

lh_rc lh_op_limit(lh_exec_ctx *ctx, lh_op *child, int64_t offset, int64_t limit, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    lh_rc rc;
    *out = NULL;
    if (!child || offset < 0) {
        lh_op_free(child);
        return lh_errf(err, LH_EINTERNAL, "limit: missing child or negative offset");
    }
    if ((rc = lh_op_alloc(sizeof(limit_op), &limit_vt, ctx, child->types, child->ncols, &op, err))) {
        lh_op_free(child);
        return rc;
    }
    op->child[0] = child;
    op->nchild = 1;
    ((limit_op *)op)->offset = offset;
    ((limit_op *)op)->limit = limit;
    *out = op;
    return LH_OK;
}

/* ---- FETCH FIRST n ROWS WITH TIES ----
 * As LIMIT, over input sorted on `keys`; after the n-th row, the rows
 * whose keys are not distinct from that row's (NULL ties NULL, NaN ties
 * NaN, as peers in a sort) pass too, then the child is not pulled again. */

typedef struct ties_op {
    lh_op base;
    int64_t offset, limit;
    uint64_t skipped, passed;
    uint32_t nkeys;
    uint32_t *keys;
    lh_vector **last; /* CONST vectors: the n-th row's keys */
    lh_vector *eq, *acc;
    lh_arena arena;
    int tie_mode, done;
    uint16_t sel[LH_BATCH];
} ties_op;

/* How many of rows (in order) tie with t->last, counting from the start. */
static lh_rc ties_prefix(ties_op *t, lh_batch *b, lh_rows rows, uint32_t *n, lh_err *err)
{
    uint32_t k, i;
    lh_rc rc;
    *n = 0;
    for (k = 0; k < t->nkeys; k++) {
        lh_vector *col = b->cols[t->keys[k]];
        if ((rc = lh_k_compare(LH_CMP_NOT_DISTINCT, col, t->last[k], k ? t->eq : t->acc, rows, err)))
            return rc;
        if (k)
            for (i = 0; i < rows.n; i++) {
                uint32_t r = rows.sel ? rows.sel[i] : i;
                ((uint8_t *)t->acc->data)[r] &= ((const uint8_t *)t->eq->data)[r];
            }
    }
    for (i = 0; i < rows.n; i++) {
        uint32_t r = rows.sel ? rows.sel[i] : i;
        if (!((const uint8_t *)t->acc->data)[r])
            break;
    }
    *n = i;
    return LH_OK;
}

static lh_rc remember(ties_op *t, lh_batch *b, uint32_t row, lh_err *err)
{
    uint32_t k;
    lh_rc rc;
    lh_arena_reset(&t->arena);
    for (k = 0; k < t->nkeys; k++) {
        lh_vector_set_const(t->last[k], 0);
        if ((rc = lh_vector_copy_value(b->cols[t->keys[k]], row, t->last[k], 0, &t->arena, err)))
            return rc;
    }
    return LH_OK;
}

static lh_rc ties_next(lh_op *op, lh_batch **out, lh_err *err)
{
    ties_op *t = (ties_op *)op;
    lh_rc rc;
    *out = NULL;
    while (!t->done) {
        lh_batch *b;
        lh_rows rows;
        uint32_t from = 0, take, k, extra = 0;
        if (t->limit == 0 || (rc = lh_op_next(op->child[0], &b, err)))
            return t->limit == 0 ? LH_OK : rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        if (t->tie_mode) {
            if ((rc = ties_prefix(t, b, rows, &take, err)))
                return rc;
            if (take < rows.n)
                t->done = 1;
        } else {
            if (t->skipped < (uint64_t)t->offset) {
                uint64_t need = (uint64_t)t->offset - t->skipped;
                from = need < rows.n ? (uint32_t)need : rows.n;
                t->skipped += from;
            }
            take = rows.n - from;
            if ((uint64_t)take >= (uint64_t)t->limit - t->passed) {
                /* the n-th row is in this batch: remember its keys, then its ties here */
                lh_rows rest;
                take = (uint32_t)((uint64_t)t->limit - t->passed);
                if ((rc = remember(t, b, rows.sel ? rows.sel[from + take - 1] : from + take - 1, err)))
                    return rc;
                t->tie_mode = 1;
                rest.sel = rows.sel ? rows.sel + from + take : NULL;
                rest.n = rows.n - from - take;
                if (!rows.sel && rest.n) { /* an explicit row list for the tail */
                    for (k = 0; k < rest.n; k++)
                        t->sel[k] = (uint16_t)(from + take + k);
                    rest.sel = t->sel;
                }
                if (rest.n && (rc = ties_prefix(t, b, rest, &extra, err)))
                    return rc;
                if (extra < rest.n)
                    t->done = 1;
                take += extra;
            }
        }
        t->passed += take;
        if (!take)
            continue;
        if (from || take < rows.n) {
            for (k = 0; k < take; k++)
                t->sel[k] = rows.sel ? rows.sel[from + k] : (uint16_t)(from + k);
            lh_batch_select(b, t->sel, take);
        }
        *out = b;
        return LH_OK;
    }
    return LH_OK;
}

static void ties_free(lh_op *op)
{
    ties_op *t = (ties_op *)op;
    uint32_t k;
    for (k = 0; t->last && k < t->nkeys; k++)
        lh_vector_free(t->last[k]);
    lh_free(t->last);
    lh_free(t->keys);
    lh_vector_free(t->eq);
    lh_vector_free(t->acc);
    lh_arena_reset(&t->arena);
}

static lh_rc ties_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const ties_op *t = (const ties_op *)op;
    lh_rc rc = lh_buf_printf(out, err, "fetch first %lld with ties", (long long)t->limit);
    if (!rc && t->offset > 0)
        rc = lh_buf_printf(out, err, ", offset %lld", (long long)t->offset);
    return rc;
}

static const lh_op_vt ties_vt = {"LimitWithTies", ties_next, ties_free, ties_explain, NULL};

lh_rc lh_op_limit_ties(lh_exec_ctx *ctx, lh_op *child, int64_t offset, int64_t limit, const uint32_t *keys,
                       size_t nkeys, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    ties_op *t;
    lh_rc rc;
    size_t k;
    *out = NULL;
    if (!child || offset < 0 || limit < 0 || !nkeys) {
        lh_op_free(child);
        return lh_errf(err, LH_EINTERNAL, "limit with ties: missing child, keys or count");
    }
    for (k = 0; k < nkeys; k++)
        if (keys[k] >= child->ncols) {
            lh_op_free(child);
            return lh_errf(err, LH_EINTERNAL, "limit with ties: key column %u of %u", keys[k], child->ncols);
        }
    if ((rc = lh_op_alloc(sizeof(ties_op), &ties_vt, ctx, child->types, child->ncols, &op, err))) {
        lh_op_free(child);
        return rc;
    }
    op->child[0] = child;
    op->nchild = 1;
    t = (ties_op *)op;
    t->offset = offset;
    t->limit = limit;
    t->nkeys = (uint32_t)nkeys;
    lh_arena_init(&t->arena, 0);
    t->keys = lh_malloc(nkeys * sizeof *t->keys);
    t->last = lh_calloc(nkeys, sizeof *t->last);
    if (!t->keys || !t->last) {
        lh_op_free(op);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    memcpy(t->keys, keys, nkeys * sizeof *keys);
    for (k = 0; k < nkeys; k++)
        if ((rc = lh_vector_create(child->types[keys[k]], 1, &t->last[k], err))) {
            lh_op_free(op);
            return rc;
        }
    if ((rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 0, &t->eq, err)) ||
        (rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 0, &t->acc, err))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}
