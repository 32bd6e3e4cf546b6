/* exec/op_limit.c — LIMIT/OFFSET (operator.h).
 *
 * Skips `offset` live rows, then passes `limit` rows (limit < 0: all) by
 * narrowing the selection of the child's batches, which pass through
 * unchanged otherwise.  Once the limit is reached the child is not pulled
 * again (a LIMIT over a scan stops reading).
 */
#include <string.h>

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

static const lh_op_vt limit_vt = {"Limit", limit_next, NULL, limit_explain};

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
