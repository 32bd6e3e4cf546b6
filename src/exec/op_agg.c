/* exec/op_agg.c — the hash aggregate operator (operator.h lh_op_hash_agg).
 *
 * Build: every child batch is hashed on the key columns and each live row
 * gets a group id (exec/grouptab.h); then each aggregate's state is
 * updated for the whole batch by group id (exec/agg_int.h), on the rows
 * its FILTER keeps and, for DISTINCT, on the rows whose (group, value) the
 * aggregate's own set has not seen.  Output, once the child is exhausted:
 * the key columns then one column per aggregate, LH_BATCH groups a batch.
 *
 * Ownership: the operator owns its child (also when the constructor
 * fails), the group table, the states and the output batch.  Output
 * string views point into the table and the states, which live until the
 * operator is freed.  Memory kept is charged to the context as it grows
 * ("HashAggregate: memory limit of ... exceeded") and released at free.
 */
#include <stdio.h>
#include <string.h>

#include "exec/agg_int.h"
#include "exec/grouptab.h"
#include "exec/kernels.h"
#include "exec/operator.h"

#define WHO "HashAggregate"

typedef struct agg_op {
    lh_op base;
    uint32_t nkeys, naggs;
    uint32_t *keys;
    lh_vector **keyv; /* the key columns of the current batch */
    lh_aggst *aggs;
    lh_gtab **dsets;  /* per aggregate: the (group, value) set of a DISTINCT one, else NULL */
    lh_vector *gidvec; /* bigint: each row's group id, a DISTINCT set's first key */
    lh_gtab *gt;
    lh_batch *out;
    uint32_t emitted;
    int built;
    size_t charged;
    uint32_t gids[LH_BATCH], dgids[LH_BATCH];
    uint8_t isnew[LH_BATCH];
    uint16_t rows[LH_BATCH], frows[LH_BATCH], drows[LH_BATCH];
    lh_agg_scratch sc;
} agg_op;

static size_t held(const agg_op *o)
{
    size_t b = sizeof *o + o->gt->bytes;
    uint32_t a;
    for (a = 0; a < o->naggs; a++) {
        b += o->aggs[a].bytes;
        if (o->dsets[a])
            b += o->dsets[a]->bytes;
    }
    return b;
}

static lh_rc charge(agg_op *o, lh_err *err)
{
    size_t now = held(o);
    lh_rc rc;
    if (now <= o->charged)
        return LH_OK;
    if ((rc = lh_exec_charge(o->base.ctx, WHO, (ptrdiff_t)(now - o->charged), err)))
        return rc;
    o->charged = now;
    return LH_OK;
}

static lh_rc consume(agg_op *o, lh_batch *b, lh_err *err)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t i, a, n = rows.n;
    lh_rc rc;
    for (i = 0; i < o->nkeys; i++)
        o->keyv[i] = b->cols[o->keys[i]];
    if ((rc = lh_gtab_lookup(o->gt, o->keyv, rows, 1, o->gids, NULL, err)))
        return rc;
    for (i = 0; i < n; i++)
        o->rows[i] = (uint16_t)(rows.sel ? rows.sel[i] : i);
    for (a = 0; a < o->naggs; a++) {
        lh_aggst *st = &o->aggs[a];
        const uint16_t *r = o->rows;
        uint32_t nr = n;
        if ((rc = lh_aggst_grow(st, o->gt->ngroups, err)))
            return rc;
        if (st->spec.filter != LH_AGG_NO_ARG) {
            lh_vector *f = b->cols[st->spec.filter];
            uint32_t m, k = 0;
            lh_rows none = {NULL, 0};
            lh_k_prepare(f, none);
            m = f->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
            for (i = 0; i < nr; i++) {
                uint32_t x = r[i];
                o->frows[k] = (uint16_t)x;
                k += lh_vector_is_valid(f, x & m) && ((const uint8_t *)f->data)[x & m];
            }
            r = o->frows;
            nr = k;
        }
        if (o->dsets[a] && nr) {
            lh_vector *kv[3];
            lh_rows dr;
            uint32_t k = 0, nk = 1;
            int64_t *gd = o->gidvec->data;
            for (i = 0; i < nr; i++)
                gd[r[i]] = o->gids[r[i]];
            kv[0] = o->gidvec;
            if (st->spec.arg[0] != LH_AGG_NO_ARG)
                kv[nk++] = b->cols[st->spec.arg[0]];
            if (st->spec.arg[1] != LH_AGG_NO_ARG)
                kv[nk++] = b->cols[st->spec.arg[1]];
            dr.sel = r;
            dr.n = nr;
            if ((rc = lh_gtab_lookup(o->dsets[a], kv, dr, 1, o->dgids, o->isnew, err)))
                return rc;
            for (i = 0; i < nr; i++) {
                o->drows[k] = r[i];
                k += o->isnew[r[i]];
            }
            r = o->drows;
            nr = k;
        }
        if ((rc = lh_aggst_update(st, b->cols, r, nr, o->gids, &o->sc, err)))
            return rc;
    }
    return charge(o, err);
}

static lh_rc build(agg_op *o, lh_err *err)
{
    lh_rc rc;
    uint32_t a;
    if (o->nkeys == 0) { /* a global aggregate has its one group even over no input */
        lh_rows one = {NULL, 1};
        if ((rc = lh_gtab_lookup(o->gt, NULL, one, 1, o->gids, NULL, err)))
            return rc;
        for (a = 0; a < o->naggs; a++)
            if ((rc = lh_aggst_grow(&o->aggs[a], 1, err)))
                return rc;
    }
    for (;;) {
        lh_batch *b = NULL;
        if ((rc = lh_exec_check(o->base.ctx, err)) || (rc = lh_op_next(o->base.child[0], &b, err)))
            return rc;
        if (!b)
            break;
        if ((rc = consume(o, b, err)))
            return rc;
    }
    return charge(o, err);
}

static lh_rc agg_next(lh_op *op, lh_batch **out, lh_err *err)
{
    agg_op *o = (agg_op *)op;
    uint32_t n, a;
    lh_rc rc;
    *out = NULL;
    if (!o->built) {
        if ((rc = build(o, err)))
            return rc;
        o->built = 1;
    }
    if (o->emitted >= o->gt->ngroups)
        return LH_OK;
    n = o->gt->ngroups - o->emitted;
    if (n > LH_BATCH)
        n = LH_BATCH;
    lh_batch_reset(o->out);
    lh_gtab_emit(o->gt, o->emitted, n, o->out->cols);
    for (a = 0; a < o->naggs; a++)
        if ((rc = lh_aggst_finalize(&o->aggs[a], o->emitted, n, o->out->cols[o->nkeys + a], err)))
            return rc;
    o->out->n = n;
    o->emitted += n;
    *out = o->out;
    return LH_OK;
}

static void agg_free(lh_op *op)
{
    agg_op *o = (agg_op *)op;
    uint32_t a;
    if (o->aggs)
        for (a = 0; a < o->naggs; a++)
            lh_aggst_free(&o->aggs[a]);
    if (o->dsets)
        for (a = 0; a < o->naggs; a++)
            lh_gtab_free(o->dsets[a]);
    lh_free(o->aggs);
    lh_free(o->dsets);
    lh_free(o->keys);
    lh_free(o->keyv);
    lh_gtab_free(o->gt);
    lh_vector_free(o->gidvec);
    lh_batch_free(o->out);
    if (o->charged && lh_exec_charge(o->base.ctx, WHO, -(ptrdiff_t)o->charged, NULL))
        o->charged = 0; /* a release never fails */
}

static lh_rc agg_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const agg_op *o = (const agg_op *)op;
    uint32_t i;
    lh_rc rc = LH_OK;
    if (o->nkeys) {
        rc = lh_buf_puts(out, "keys: ", err);
        for (i = 0; !rc && i < o->nkeys; i++)
            rc = lh_buf_printf(out, err, "%s#%u", i ? ", " : "", o->keys[i]);
        if (!rc)
            rc = lh_buf_puts(out, "; ", err);
    }
    if (!rc)
        rc = lh_buf_puts(out, "aggregates: ", err);
    for (i = 0; !rc && i < o->naggs; i++) {
        const lh_agg_spec *s = &o->aggs[i].spec;
        rc = lh_buf_printf(out, err, "%s%s(%s", i ? ", " : "", lh_agg_name(s->kind), s->distinct ? "DISTINCT " : "");
        if (!rc && s->kind == LH_AGG_COUNT_STAR)
            rc = lh_buf_putc(out, '*', err);
        else if (!rc && s->arg[0] != LH_AGG_NO_ARG)
            rc = lh_buf_printf(out, err, "#%u", s->arg[0]);
        if (!rc && s->kind != LH_AGG_COUNT_STAR && s->arg[1] != LH_AGG_NO_ARG)
            rc = lh_buf_printf(out, err, ", #%u", s->arg[1]);
        if (!rc)
            rc = lh_buf_putc(out, ')', err);
        if (!rc && s->filter != LH_AGG_NO_ARG)
            rc = lh_buf_printf(out, err, " FILTER (#%u)", s->filter);
    }
    return rc;
}

static const lh_op_vt agg_vt = {WHO, agg_next, agg_free, agg_explain, NULL};

int lh_op_is_hash_agg(const lh_op *op) { return op && op->vt == &agg_vt; }

lh_rc lh_op_hash_agg(lh_exec_ctx *ctx, lh_op *child, const uint32_t *keys, size_t nkeys, const lh_agg_spec *aggs,
                     size_t naggs, lh_op **out, lh_err *err)
{
    agg_op *o = NULL;
    lh_sqltype *types = NULL;
    lh_op *op = NULL;
    lh_rc rc = LH_OK;
    size_t i, ncols = nkeys + naggs;
    *out = NULL;
    if (!child)
        return lh_errf(err, LH_EINTERNAL, "HashAggregate: no input");
    if (ncols > LH_BATCH_MAX_COLS || nkeys > LH_BATCH_MAX_COLS) {
        rc = lh_errf(err, LH_ELIMIT, "HashAggregate: %zu output columns exceed the limit of %u", ncols,
                     LH_BATCH_MAX_COLS);
        goto fail;
    }
    for (i = 0; i < nkeys; i++)
        if (keys[i] >= child->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "HashAggregate: key column %u of %u", keys[i], child->ncols);
            goto fail;
        }
    types = lh_calloc(ncols ? ncols : 1, sizeof *types);
    if (!types)
        goto nomem;
    for (i = 0; i < nkeys; i++)
        types[i] = child->types[keys[i]];
    for (i = 0; i < naggs; i++)
        types[nkeys + i] = aggs[i].ret;
    if ((rc = lh_op_alloc(sizeof(agg_op), &agg_vt, ctx, types, (uint32_t)ncols, &op, err)))
        goto fail;
    o = (agg_op *)op;
    op->child[0] = child;
    op->nchild = 1;
    child = NULL;
    o->nkeys = (uint32_t)nkeys;
    o->keys = lh_calloc(nkeys ? nkeys : 1, sizeof *o->keys);
    o->keyv = lh_calloc(nkeys ? nkeys : 1, sizeof *o->keyv);
    o->aggs = lh_calloc(naggs ? naggs : 1, sizeof *o->aggs);
    o->dsets = lh_calloc(naggs ? naggs : 1, sizeof *o->dsets);
    if (!o->keys || !o->keyv || !o->aggs || !o->dsets)
        goto nomem;
    if (nkeys)
        memcpy(o->keys, keys, nkeys * sizeof *keys);
    for (i = 0; i < naggs; i++) {
        if ((rc = lh_aggst_init(&o->aggs[i], &aggs[i], op->child[0]->types, op->child[0]->ncols, err)))
            goto fail;
        o->naggs = (uint32_t)i + 1;
        if (aggs[i].distinct && aggs[i].kind != LH_AGG_COUNT_STAR) {
            lh_sqltype dt[3];
            uint32_t nk = 1;
            dt[0] = lh_sqltype_of(LH_SQL_BIGINT);
            if (aggs[i].arg[0] != LH_AGG_NO_ARG)
                dt[nk++] = op->child[0]->types[aggs[i].arg[0]];
            if (aggs[i].arg[1] != LH_AGG_NO_ARG)
                dt[nk++] = op->child[0]->types[aggs[i].arg[1]];
            if ((rc = lh_gtab_create(dt, nk, &o->dsets[i], err)))
                goto fail;
            if (!o->gidvec && (rc = lh_vector_create(dt[0], 0, &o->gidvec, err)))
                goto fail;
        }
    }
    if ((rc = lh_gtab_create(types, (uint32_t)nkeys, &o->gt, err)) ||
        (rc = lh_batch_create(types, (uint32_t)ncols, 0, &o->out, err)))
        goto fail;
    lh_free(types);
    *out = op;
    return LH_OK;
nomem:
    rc = lh_errf(err, LH_ENOMEM, "out of memory creating a HashAggregate");
fail:
    lh_free(types);
    lh_op_free(child);
    lh_op_free(op);
    return rc;
}
