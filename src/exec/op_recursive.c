/* exec/op_recursive.c — WITH RECURSIVE (operator.h: lh_op_recursive,
 * lh_op_worktable_scan, lh_worktable).
 *
 * A recursive WITH query is `anchor UNION ALL step`, where the step reads
 * the rows the previous round produced (the working table).  The
 * operator streams the anchor's batches, keeping a copy of their rows in
 * the working table's "next" store; then, round after round, the rows of
 * "next" become "current", the scan leaves of that round's step plan read
 * "current", and the step's batches are streamed and kept in "next" in
 * turn.  A round that yields no rows ends the recursion.
 *
 * The step is planned once per round, up front (steps[0..nsteps)): our
 * operators are not rewindable, and Trino's depth is fixed anyway
 * (max_recursion_depth, 10 by default, "doesn't depend on the actual query
 * results").  Round nsteps is Trino's convergence check: when it yields a
 * row, the query fails with "Recursion depth limit exceeded (n). Use
 * 'max_recursion_depth' session property to modify the limit." where
 * n = nsteps - 1.
 *
 * Memory: both stores are lh_rowstores, charged to the context as they
 * grow ("Recursive WITH"), released when a round's "current" is dropped.
 * Interrupts are checked at every round and every batch (lh_op_next).
 *
 * Ownership: the operator owns the anchor, every step plan and the
 * working table; the scan leaves inside the steps borrow the table.  A
 * scan leaf pulled while no round is running (a subquery run while
 * planning) fails: LH_EUNSUPPORTED.
 */
#include <stdlib.h>
#include <string.h>

#include "exec/operator.h"
#include "exec/rowstore.h"

#define REC_WHO "Recursive WITH"

struct lh_worktable {
    lh_exec_ctx *ctx;
    lh_sqltype *types;
    uint32_t ncols;
    lh_rowstore cur, next; /* the rows the running round reads; the rows it produces */
    uint64_t round;        /* 0: no round running yet */
    int active;            /* a step is being pulled */
};

lh_rc lh_worktable_new(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, lh_worktable **out, lh_err *err)
{
    lh_worktable *wt = lh_calloc(1, sizeof *wt);
    lh_rc rc;
    *out = NULL;
    if (!wt || !(wt->types = lh_calloc(ncols + 1, sizeof *wt->types))) {
        lh_free(wt);
        return lh_errf(err, LH_ENOMEM, "out of memory in %s", REC_WHO);
    }
    memcpy(wt->types, types, ncols * sizeof *types);
    wt->ctx = ctx;
    wt->ncols = ncols;
    if ((rc = lh_rowstore_init(&wt->cur, types, ncols, ctx, REC_WHO, err)) ||
        (rc = lh_rowstore_init(&wt->next, types, ncols, ctx, REC_WHO, err))) {
        lh_worktable_free(wt);
        return rc;
    }
    *out = wt;
    return LH_OK;
}

void lh_worktable_free(lh_worktable *wt)
{
    if (!wt)
        return;
    lh_rowstore_free(&wt->cur);
    lh_rowstore_free(&wt->next);
    lh_free(wt->types);
    lh_free(wt);
}

/* ---- the scan leaf: the current round's rows ---- */

typedef struct wt_scan {
    lh_op base;
    lh_worktable *wt; /* borrowed */
    uint64_t round;   /* the round pos belongs to */
    uint32_t pos;
    uint32_t idx[LH_BATCH];
    lh_batch *out;
} wt_scan;

static lh_rc scan_next(lh_op *op, lh_batch **out, lh_err *err)
{
    wt_scan *s = (wt_scan *)op;
    lh_worktable *wt = s->wt;
    uint32_t k, c, n;
    lh_rc rc;
    *out = NULL;
    if (!wt->active)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "a recursive reference inside a subquery expression of the step is not supported yet");
    if (s->round != wt->round) {
        s->round = wt->round;
        s->pos = 0;
    }
    if (s->pos >= wt->cur.n)
        return LH_OK;
    if (!s->out && (rc = lh_batch_create(op->types, op->ncols, 0, &s->out, err)))
        return rc;
    lh_batch_reset(s->out);
    n = wt->cur.n - s->pos < LH_BATCH ? wt->cur.n - s->pos : LH_BATCH;
    for (k = 0; k < n; k++)
        s->idx[k] = s->pos + k;
    for (c = 0; c < op->ncols; c++)
        lh_rowstore_gather(&wt->cur, c, s->idx, n, s->out->cols[c], 0);
    s->out->n = n;
    s->pos += n;
    *out = s->out;
    return LH_OK;
}

static void scan_free(lh_op *op) { lh_batch_free(((wt_scan *)op)->out); }

static const lh_op_vt scan_vt = {"WorkTableScan", scan_next, scan_free, NULL, NULL};

lh_rc lh_op_worktable_scan(lh_exec_ctx *ctx, lh_worktable *wt, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    lh_rc rc;
    *out = NULL;
    if (!wt)
        return lh_errf(err, LH_EINTERNAL, "WorkTableScan: no working table");
    if ((rc = lh_op_alloc(sizeof(wt_scan), &scan_vt, ctx, wt->types, wt->ncols, &op, err)))
        return rc;
    ((wt_scan *)op)->wt = wt;
    *out = op;
    return LH_OK;
}

/* ---- the recursion ---- */

typedef struct rec_op {
    lh_op base;          /* child[0] anchor, child[1] steps[0] (what EXPLAIN shows) */
    lh_op **steps;       /* nsteps plans of the step; [0] is child[1] */
    size_t nsteps;
    size_t round;        /* 0: streaming the anchor; r: streaming steps[r - 1] */
    lh_worktable *wt;
    int done;
} rec_op;

/* The rows of the round that ended become the working table; false when
 * there are none (the recursion is over). */
static lh_rc next_round(rec_op *r, int *more, lh_err *err)
{
    lh_worktable *wt = r->wt;
    lh_rowstore empty;
    lh_rc rc;
    *more = 0;
    if ((rc = lh_exec_check(r->base.ctx, err)))
        return rc;
    if (wt->next.n == 0)
        return LH_OK;
    if (r->round >= r->nsteps)
        return lh_errf(err, LH_EINTERNAL, "%s: round %zu past the %zu step plans", REC_WHO, r->round + 1, r->nsteps);
    if ((rc = lh_rowstore_init(&empty, wt->types, wt->ncols, wt->ctx, REC_WHO, err)))
        return rc;
    lh_rowstore_free(&wt->cur);
    wt->cur = wt->next;
    wt->next = empty;
    wt->round++;
    r->round++;
    *more = 1;
    return LH_OK;
}

static lh_rc rec_next(lh_op *op, lh_batch **out, lh_err *err)
{
    rec_op *r = (rec_op *)op;
    lh_worktable *wt = r->wt;
    lh_batch *b;
    lh_rc rc;
    *out = NULL;
    while (!r->done) {
        lh_op *src = r->round == 0 ? op->child[0] : r->steps[r->round - 1];
        uint32_t live;
        wt->active = r->round > 0;
        rc = lh_op_next(src, &b, err);
        wt->active = 0;
        if (rc)
            return rc;
        if (!b) {
            int more;
            if ((rc = next_round(r, &more, err)))
                return rc;
            if (!more)
                r->done = 1;
            continue;
        }
        live = b->sel ? b->sel_n : b->n;
        if (!live)
            continue;
        if (r->round == r->nsteps) /* the convergence check yielded a row */
            return lh_errf(err, LH_ELIMIT,
                           "Recursion depth limit exceeded (%zu). Use 'max_recursion_depth' session property to "
                           "modify the limit.",
                           r->nsteps - 1);
        if ((rc = lh_rowstore_append(&wt->next, b, lh_batch_rows(b), err)))
            return rc;
        *out = b;
        return LH_OK;
    }
    return LH_OK;
}

static void rec_free(lh_op *op)
{
    rec_op *r = (rec_op *)op;
    size_t i;
    for (i = 1; i < r->nsteps; i++) /* steps[0] is child[1], freed with the children */
        lh_op_free(r->steps[i]);
    lh_free(r->steps);
    lh_worktable_free(r->wt);
}

static lh_rc rec_explain(const lh_op *op, lh_buf *o, lh_err *err)
{
    const rec_op *r = (const rec_op *)op;
    return lh_buf_printf(o, err, "max depth: %zu", r->nsteps - 1);
}

static const lh_op_vt rec_vt = {"RecursiveUnion", rec_next, rec_free, rec_explain, NULL};

static int same_types(const lh_op *a, const lh_worktable *wt)
{
    uint32_t i;
    if (a->ncols != wt->ncols)
        return 0;
    for (i = 0; i < a->ncols; i++)
        if (!lh_sqltype_equal(a->types[i], wt->types[i]))
            return 0;
    return 1;
}

lh_rc lh_op_recursive(lh_exec_ctx *ctx, lh_op *anchor, lh_op **steps, size_t nsteps, lh_worktable *wt, lh_op **out,
                      lh_err *err)
{
    lh_op *op = NULL;
    rec_op *r;
    size_t i;
    lh_rc rc = LH_OK;
    *out = NULL;
    if (!anchor || !wt || nsteps < 1)
        rc = lh_errf(err, LH_EINTERNAL, "%s: an anchor, a working table and at least one step are needed", REC_WHO);
    for (i = 0; !rc && i < nsteps; i++)
        if (!steps[i] || !same_types(steps[i], wt))
            rc = lh_errf(err, LH_EINTERNAL, "%s: step plan %zu does not have the working table's types", REC_WHO, i);
    if (!rc && !same_types(anchor, wt))
        rc = lh_errf(err, LH_EINTERNAL, "%s: the anchor does not have the working table's types", REC_WHO);
    if (!rc)
        rc = lh_op_alloc(sizeof(rec_op), &rec_vt, ctx, wt->types, wt->ncols, &op, err);
    r = (rec_op *)op;
    if (!rc && !(r->steps = lh_calloc(nsteps, sizeof *r->steps))) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory in %s", REC_WHO);
        lh_op_free(op);
        op = NULL;
    }
    if (rc) {
        lh_op_free(anchor);
        for (i = 0; i < nsteps; i++)
            lh_op_free(steps[i]);
        lh_worktable_free(wt);
        return rc;
    }
    memcpy(r->steps, steps, nsteps * sizeof *steps);
    r->nsteps = nsteps;
    r->wt = wt;
    op->child[0] = anchor;
    op->child[1] = steps[0];
    op->nchild = 2;
    *out = op;
    return LH_OK;
}
