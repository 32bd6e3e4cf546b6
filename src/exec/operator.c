/* exec/operator.c — the operator interface's common part (operator.h). */
#include "exec/operator.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void lh_exec_ctx_init(lh_exec_ctx *c)
{
    memset(c, 0, sizeof *c);
    atomic_init(&c->mem_used, 0);
    atomic_init(&c->rows_read, 0);
    atomic_init(&c->pages_read, 0);
    atomic_init(&c->bytes_read, 0);
    atomic_init(&c->row_groups_skipped, 0);
    atomic_init(&c->malformed, 0);
    atomic_init(&c->spill_bytes, 0);
    atomic_init(&c->spill_files, 0);
}

int lh_exec_spill_due(const lh_exec_ctx *c, size_t want)
{
    return c && c->tmp_dir && c->mem_limit && atomic_load(&c->mem_used) + want > c->mem_limit;
}

lh_rc lh_exec_check(const lh_exec_ctx *c, lh_err *err)
{
    if (c && ((c->interrupt && atomic_load(c->interrupt)) || (c->cancel && atomic_load(c->cancel))))
        return lh_errf(err, LH_ECANCELLED, "cancelled");
    return LH_OK;
}

static void fmt_bytes(size_t n, char *buf, size_t sz)
{
    if (n >= ((size_t)1 << 30))
        snprintf(buf, sz, "%.1f GiB", (double)n / (double)((size_t)1 << 30));
    else
        snprintf(buf, sz, "%.1f MiB", (double)n / (double)((size_t)1 << 20));
}

lh_rc lh_exec_charge(lh_exec_ctx *c, const char *who, ptrdiff_t n, lh_err *err)
{
    size_t now;
    if (!c)
        return LH_OK;
    if (n < 0) {
        atomic_fetch_sub(&c->mem_used, (size_t)-n);
        return LH_OK;
    }
    now = atomic_fetch_add(&c->mem_used, (size_t)n) + (size_t)n;
    if (c->mem_limit && now > c->mem_limit) {
        char lim[32];
        atomic_fetch_sub(&c->mem_used, (size_t)n);
        fmt_bytes(c->mem_limit, lim, sizeof lim);
        return lh_errf(err, LH_ELIMIT,
                       "%s: memory limit of %s exceeded (raise it with --memory-limit, or narrow the query)",
                       who ? who : "query", lim);
    }
    return LH_OK;
}

lh_rc lh_op_alloc(size_t size, const lh_op_vt *vt, lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols,
                  lh_op **out, lh_err *err)
{
    lh_op *op;
    *out = NULL;
    if (size < sizeof(lh_op) || !vt || !vt->next)
        return lh_errf(err, LH_EINTERNAL, "lh_op_alloc: bad operator definition");
    op = lh_calloc(1, size);
    if (!op)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (ncols) {
        op->types = lh_malloc((size_t)ncols * sizeof *op->types);
        if (!op->types) {
            lh_free(op);
            return lh_errf(err, LH_ENOMEM, "out of memory");
        }
        memcpy(op->types, types, (size_t)ncols * sizeof *op->types);
    }
    op->vt = vt;
    op->ctx = ctx;
    op->ncols = ncols;
    *out = op;
    return LH_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

lh_rc lh_op_next(lh_op *op, lh_batch **out, lh_err *err)
{
    lh_rc rc;
    double t0 = 0;
    *out = NULL;
    if (op->done)
        return LH_OK;
    if ((rc = lh_exec_check(op->ctx, err)))
        return rc;
    if (op->ctx && op->ctx->analyze)
        t0 = now_ms();
    rc = op->vt->next(op, out, err);
    if (op->ctx && op->ctx->analyze)
        op->ms += now_ms() - t0;
    if (rc) {
        *out = NULL;
        return rc;
    }
    if (!*out)
        op->done = 1;
    else {
        lh_rows r = lh_batch_rows(*out);
        op->rows_out += r.n;
        op->batches_out++;
    }
    return LH_OK;
}

int lh_op_stream_child(const lh_op *op)
{
    return op && op->vt && op->vt->stream_child ? op->vt->stream_child(op) : -1;
}

void lh_op_free(lh_op *op)
{
    uint32_t i;
    if (!op)
        return;
    for (i = 0; i < op->nchild; i++)
        lh_op_free(op->child[i]);
    if (op->vt && op->vt->free)
        op->vt->free(op);
    lh_free(op->types);
    lh_free(op);
}

static lh_rc explain_rec(const lh_op *op, int analyze, int depth, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    uint32_t i;
    int d;
    for (d = 0; d < depth; d++)
        if ((rc = lh_buf_puts(out, "  ", err)))
            return rc;
    if ((rc = lh_buf_puts(out, depth ? "-> " : "", err)) || (rc = lh_buf_puts(out, op->vt->name, err)))
        return rc;
    if (op->vt->explain) {
        if ((rc = lh_buf_puts(out, " [", err)) || (rc = op->vt->explain(op, out, err)) ||
            (rc = lh_buf_putc(out, ']', err)))
            return rc;
    }
    if (analyze && (rc = lh_buf_printf(out, err, " (rows: %llu, batches: %llu, time: %.1f ms)",
                                       (unsigned long long)op->rows_out, (unsigned long long)op->batches_out, op->ms)))
        return rc;
    if ((rc = lh_buf_putc(out, '\n', err)))
        return rc;
    for (i = 0; i < op->nchild; i++)
        if (op->child[i] && (rc = explain_rec(op->child[i], analyze, depth + 1, out, err)))
            return rc;
    if (lh_op_exchange_shown(op) && (rc = explain_rec(lh_op_exchange_shown(op), analyze, depth + 1, out, err)))
        return rc; /* an exchange's first worker stands for them all */
    return LH_OK;
}

lh_rc lh_op_explain(const lh_op *op, int analyze, lh_buf *out, lh_err *err)
{
    return explain_rec(op, analyze, 0, out, err);
}
