/* exec/op_agg.c — the hash aggregate operator (operator.h lh_op_hash_agg).
 *
 * Build: every child batch is hashed on the key columns and each live row
 * gets a group id (exec/grouptab.h); then each aggregate's state is
 * updated for the whole batch by group id (exec/agg_int.h), on the rows
 * its FILTER keeps and, for DISTINCT, on the rows whose (group, value) the
 * aggregate's own set has not seen.  Output, once the child is exhausted:
 * the key columns then one column per aggregate, LH_BATCH groups a batch.
 *
 * Spilling (PostgreSQL 13's hash aggregate design, nodeAgg.c): when the
 * context has a tmp_dir and lh_exec_spill_due says the next batch's growth
 * (the table's and the states' arrays, long key strings, the next doubling
 * of each DISTINCT set, and a reserve for the states of groups already in
 * the table: an eighth of the budget, half of it when a state grows with
 * rows rather than groups — DISTINCT, listagg, approx_percentile,
 * approx_distinct)
 * would pass the budget, the pass stops creating groups.  From then on a
 * row whose group is in the table still aggregates in memory; a row of a
 * group that is not is written, whole (the child's columns), to one of
 * AGG_NPART partition spills chosen by 4 bits of its key hash (the top
 * bits, 4 more per level; the table's slots use the low ones).  A group is
 * so either wholly in memory or wholly in one partition, and its rows keep
 * their arrival order (spills read back in write order; listagg ...
 * WITHIN GROUP relies on the sort below).  When the input is exhausted the
 * in-memory groups are emitted, the table and states freed, and each
 * partition is aggregated in turn from its spill by a fresh table, which
 * may spill again one level down (depth first, so at most AGG_NPART open
 * spills per level).  No aggregate state is ever serialised, so every kind
 * spills, DISTINCT and listagg included.  Each pass holds at least
 * AGG_MIN_GROUPS groups before it may spill, so every pass completes
 * groups even when the budget is nearly spent; from AGG_MAX_DEPTH down nothing
 * spills (the budget is a hard limit again: LH_ELIMIT).  A global
 * aggregate (no keys) never spills.  The states of groups in memory still
 * grow in a spilling pass (a DISTINCT set, listagg); past the budget that
 * is LH_ELIMIT, as without a tmp_dir (PostgreSQL lets them pass work_mem).
 *
 * Ownership: the operator owns its child (also when the constructor
 * fails), the group table, the states, the spills and the output batch.
 * Output string views point into the table and the states, which live
 * until the operator's next pull (a new pass frees them) or its free.
 * Memory kept is charged to the context as it grows ("HashAggregate:
 * memory limit of ... exceeded") and released when a pass ends and at
 * free.
 */
#include <stdio.h>
#include <string.h>

#include "exec/agg_int.h"
#include "exec/grouptab.h"
#include "exec/kernels.h"
#include "exec/operator.h"

#include "exec/spill.h"

#define WHO "HashAggregate"
#define AGG_PART_BITS 4
#define AGG_NPART (1u << AGG_PART_BITS)
#define AGG_MAX_DEPTH 8 /* 32 bits of hash; deeper partitions no longer spill */
#define AGG_MIN_GROUPS 1024 /* a pass holds this many groups before it may spill */

typedef struct agg_pend {
    lh_spill *s;
    uint32_t depth;
} agg_pend;

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
    /* spilling (see the header comment) */
    lh_agg_spec *specs;        /* the aggregates as given (states are rebuilt per pass) */
    lh_spill *part[AGG_NPART]; /* this pass's partitions, made at their first row */
    lh_spill *in;              /* the spill this pass reads; NULL: the child */
    uint32_t depth;            /* this pass's level (0: the child's rows) */
    int spilling;              /* this pass creates no more groups */
    agg_pend *pend;            /* partitions still to aggregate (a stack) */
    uint32_t npend, cpend;
    uint64_t sp_bytes, sp_files;
    uint32_t sp_depth;         /* deepest pass run */
    uint32_t reserve_div;      /* budget / this is kept free for the states of groups in memory */
    uint16_t miss[LH_BATCH], psort[LH_BATCH];
    uint8_t pidx[LH_BATCH];
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

/* Whether this pass should stop creating groups before taking the live
 * rows of b: the growth they may cause, plus the reserve, would pass the
 * budget.  Only asked when spilling is possible. */
static int spill_now(agg_op *o, lh_rows rows)
{
    const lh_exec_ctx *ctx = o->base.ctx;
    size_t want = ctx->mem_limit / o->reserve_div + lh_gtab_grow_bytes(o->gt, rows.n);
    uint32_t a, k, i;
    for (a = 0; a < o->naggs; a++) {
        want += lh_aggst_grow_bytes(&o->aggs[a], o->gt->ngroups + rows.n);
        if (o->dsets[a]) { /* room for the set's next doubling, which a spilling pass may still need */
            lh_gtab *d = o->dsets[a];
            uint32_t more = d->gcap - d->ngroups + 1;
            want += lh_gtab_grow_bytes(d, more > rows.n ? more : rows.n);
        }
    }
    for (k = 0; k < o->nkeys; k++) {
        lh_vector *v = o->keyv[k];
        const lh_str *d;
        uint32_t m;
        if (v->phys != LH_P_STR)
            continue;
        lh_k_prepare(v, rows);
        d = v->data;
        m = v->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
        for (i = 0; i < rows.n; i++) {
            uint32_t len = lh_str_len(&d[(rows.sel ? rows.sel[i] : i) & m]);
            if (len > LH_STR_INLINE)
                want += len;
        }
    }
    return lh_exec_spill_due(ctx, want);
}

/* Write rows miss[0..nm) of b, whose groups are not in the table, to the
 * partitions their key hashes pick (the table's lookup left the hashes). */
static lh_rc spill_rows(agg_op *o, lh_batch *b, uint32_t nm, lh_err *err)
{
    uint32_t cnt[AGG_NPART], pos[AGG_NPART], i, p, at = 0;
    unsigned shift = 64 - AGG_PART_BITS * (o->depth + 1);
    const uint64_t *h = o->gt->hashes;
    lh_rc rc;
    memset(cnt, 0, sizeof cnt);
    for (i = 0; i < nm; i++) {
        p = (uint32_t)(h[o->miss[i]] >> shift) & (AGG_NPART - 1);
        o->pidx[i] = (uint8_t)p;
        cnt[p]++;
    }
    for (p = 0; p < AGG_NPART; p++) {
        pos[p] = at;
        at += cnt[p];
    }
    for (i = 0; i < nm; i++) /* stable: each partition's rows stay increasing */
        o->psort[pos[o->pidx[i]]++] = o->miss[i];
    for (p = 0, at = 0; p < AGG_NPART; at += cnt[p], p++) {
        if (!cnt[p])
            continue;
        if (!o->part[p]) {
            if ((rc = lh_spill_create(o->base.ctx, WHO, o->base.child[0]->types, o->base.child[0]->ncols,
                                      &o->part[p], err)))
                return rc;
            o->sp_files++;
        }
        lh_batch_select(b, o->psort + at, cnt[p]);
        if ((rc = lh_spill_put(o->part[p], b, err)))
            return rc;
    }
    return LH_OK;
}

static lh_rc consume(agg_op *o, lh_batch *b, lh_err *err)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t i, a, n = rows.n, nm = 0;
    lh_rc rc;
    for (i = 0; i < o->nkeys; i++)
        o->keyv[i] = b->cols[o->keys[i]];
    if (!o->spilling && o->base.ctx->tmp_dir && o->base.ctx->mem_limit && o->nkeys &&
        o->gt->ngroups >= AGG_MIN_GROUPS && o->depth < AGG_MAX_DEPTH && spill_now(o, rows))
        o->spilling = 1;
    if ((rc = lh_gtab_lookup(o->gt, o->keyv, rows, !o->spilling, o->gids, NULL, err)))
        return rc;
    if (!o->spilling) {
        for (i = 0; i < n; i++)
            o->rows[i] = (uint16_t)(rows.sel ? rows.sel[i] : i);
    } else {
        uint32_t nh = 0;
        for (i = 0; i < n; i++) {
            uint16_t r = (uint16_t)(rows.sel ? rows.sel[i] : i);
            if (o->gids[r] == LH_GTAB_NONE)
                o->miss[nm++] = r;
            else
                o->rows[nh++] = r;
        }
        n = nh;
    }
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
    if (nm && (rc = spill_rows(o, b, nm, err)))
        return rc;
    return charge(o, err);
}

/* The group table, the states and the DISTINCT sets of a new pass (the
 * old ones already freed and their charge released). */
static lh_rc make_groups(agg_op *o, lh_err *err)
{
    const lh_op *c = o->base.child[0];
    uint32_t a;
    lh_rc rc;
    for (a = 0; a < o->naggs; a++) {
        const lh_agg_spec *sp = &o->specs[a];
        if ((rc = lh_aggst_init(&o->aggs[a], sp, c->types, c->ncols, err)))
            return rc;
        if (sp->distinct && sp->kind != LH_AGG_COUNT_STAR) {
            lh_sqltype dt[3];
            uint32_t nk = 1;
            dt[0] = lh_sqltype_of(LH_SQL_BIGINT);
            if (sp->arg[0] != LH_AGG_NO_ARG)
                dt[nk++] = c->types[sp->arg[0]];
            if (sp->arg[1] != LH_AGG_NO_ARG)
                dt[nk++] = c->types[sp->arg[1]];
            if ((rc = lh_gtab_create(dt, nk, &o->dsets[a], err)))
                return rc;
            if (!o->gidvec && (rc = lh_vector_create(dt[0], 0, &o->gidvec, err)))
                return rc;
        }
    }
    return lh_gtab_create(o->base.types, o->nkeys, &o->gt, err);
}

/* Free the table, states and sets of the pass that ended, release their charge. */
static void drop_groups(agg_op *o)
{
    uint32_t a;
    for (a = 0; a < o->naggs; a++) {
        lh_aggst_free(&o->aggs[a]);
        memset(&o->aggs[a], 0, sizeof o->aggs[a]);
        lh_gtab_free(o->dsets[a]);
        o->dsets[a] = NULL;
    }
    lh_gtab_free(o->gt);
    o->gt = NULL;
    if (o->charged) {
        lh_rc rc = lh_exec_charge(o->base.ctx, WHO, -(ptrdiff_t)o->charged, NULL);
        (void)rc; /* a release never fails */
    }
    o->charged = 0;
}

/* The pass's input is exhausted: its partitions wait to be aggregated. */
static lh_rc close_pass(agg_op *o, lh_err *err)
{
    uint32_t p, n = 0;
    lh_spill_free(o->in);
    o->in = NULL;
    for (p = 0; p < AGG_NPART; p++)
        n += o->part[p] != NULL;
    if (!n)
        return LH_OK;
    if (o->npend + n > o->cpend) {
        uint32_t nc = o->cpend ? o->cpend * 2 : 64;
        agg_pend *np;
        while (nc < o->npend + n)
            nc *= 2;
        if (!(np = lh_realloc(o->pend, (size_t)nc * sizeof *np)))
            return lh_errf(err, LH_ENOMEM, "out of memory keeping a HashAggregate's spilled partitions");
        o->pend = np;
        o->cpend = nc;
    }
    for (p = AGG_NPART; p-- > 0;) /* a stack: partition 0 comes out first */
        if (o->part[p]) {
            o->sp_bytes += lh_spill_bytes(o->part[p]);
            o->pend[o->npend].s = o->part[p];
            o->pend[o->npend].depth = o->depth + 1;
            o->npend++;
            o->part[p] = NULL;
        }
    return LH_OK;
}

/* Aggregate one pass's input: the child's rows, or a partition's spill. */
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
        if ((rc = lh_exec_check(o->base.ctx, err)))
            return rc;
        rc = o->in ? lh_spill_get(o->in, &b, err) : lh_op_next(o->base.child[0], &b, err);
        if (rc)
            return rc;
        if (!b)
            break;
        if ((rc = consume(o, b, err)))
            return rc;
    }
    if ((rc = charge(o, err)))
        return rc;
    return close_pass(o, err);
}

/* Start the pass over the next waiting partition. */
static lh_rc next_pass(agg_op *o, lh_err *err)
{
    agg_pend pe = o->pend[--o->npend];
    lh_rc rc;
    drop_groups(o);
    o->in = pe.s;
    o->depth = pe.depth;
    if (pe.depth > o->sp_depth)
        o->sp_depth = pe.depth;
    o->spilling = 0;
    o->emitted = 0;
    o->built = 0;
    if ((rc = make_groups(o, err)))
        return rc;
    return lh_spill_rewind(o->in, err);
}

static lh_rc agg_next(lh_op *op, lh_batch **out, lh_err *err)
{
    agg_op *o = (agg_op *)op;
    uint32_t n, a;
    lh_rc rc;
    *out = NULL;
    for (;;) {
        if (!o->built) {
            if ((rc = build(o, err)))
                return rc;
            o->built = 1;
        }
        if (o->emitted < o->gt->ngroups)
            break;
        if (!o->npend)
            return LH_OK;
        if ((rc = next_pass(o, err)))
            return rc;
    }
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
    uint32_t p;
    if (o->aggs && o->dsets)
        drop_groups(o);
    lh_free(o->aggs);
    lh_free(o->dsets);
    lh_free(o->specs);
    lh_free(o->keys);
    lh_free(o->keyv);
    lh_gtab_free(o->gt);
    lh_vector_free(o->gidvec);
    lh_batch_free(o->out);
    for (p = 0; p < AGG_NPART; p++)
        lh_spill_free(o->part[p]);
    lh_spill_free(o->in);
    for (p = 0; p < o->npend; p++)
        lh_spill_free(o->pend[p].s);
    lh_free(o->pend);
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
        const lh_agg_spec *s = &o->specs[i];
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
    if (!rc && o->sp_files) { /* only a run spills, so only EXPLAIN ANALYZE shows it */
        char by[32];
        uint64_t bytes = o->sp_bytes;
        for (i = 0; i < AGG_NPART; i++) /* a pass cut short by an error */
            if (o->part[i])
                bytes += lh_spill_bytes(o->part[i]);
        lh_spill_fmt_bytes(bytes, by, sizeof by);
        rc = lh_buf_printf(out, err, "; spilled: %s in %llu partitions, %u passes", by,
                           (unsigned long long)o->sp_files, o->sp_depth + 1);
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
    o->specs = lh_calloc(naggs ? naggs : 1, sizeof *o->specs);
    if (!o->keys || !o->keyv || !o->aggs || !o->dsets || !o->specs)
        goto nomem;
    if (nkeys)
        memcpy(o->keys, keys, nkeys * sizeof *keys);
    if (naggs)
        memcpy(o->specs, aggs, naggs * sizeof *aggs);
    o->naggs = (uint32_t)naggs;
    o->reserve_div = 8;
    for (i = 0; i < naggs; i++)
        if (aggs[i].distinct || aggs[i].kind == LH_AGG_LISTAGG || aggs[i].kind == LH_AGG_APPROX_PERCENTILE ||
            aggs[i].kind == LH_AGG_APPROX_DISTINCT)
            o->reserve_div = 2; /* states that grow with rows, not groups */
    if ((rc = make_groups(o, err)) || (rc = lh_batch_create(types, (uint32_t)ncols, 0, &o->out, err)))
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
