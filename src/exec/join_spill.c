/* exec/join_spill.c — the hash join's partitions on disk (join_spill.h). */
#include "exec/join_spill.h"

#include <string.h>

typedef struct jpair {
    lh_spill *b, *p;
    uint32_t depth; /* the level the pair would be repartitioned at */
} jpair;

struct lh_jspill {
    lh_exec_ctx *ctx;
    const char *who;
    lh_sqltype *bt, *pt;
    uint32_t nb, np;
    /* the open round */
    uint32_t depth;
    lh_spill *bs[LH_JSPILL_NPART], *ps[LH_JSPILL_NPART];
    uint64_t rrows, first;
    int same;
    /* waiting pairs */
    jpair *stack;
    size_t nstack, cap;
    /* figures */
    uint64_t bytes, files;
    uint32_t levels;
    /* scratch */
    uint16_t live[LH_BATCH], sel[LH_BATCH];
    uint8_t pidx[LH_BATCH];
    uint32_t idx[LH_BATCH];
};

lh_rc lh_jspill_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *btypes, uint32_t nb,
                       const lh_sqltype *ptypes, uint32_t np, lh_jspill **out, lh_err *err)
{
    lh_jspill *js = lh_calloc(1, sizeof *js);
    *out = NULL;
    if (!js)
        return lh_errf(err, LH_ENOMEM, "out of memory starting %s's spill partitions", who);
    js->ctx = ctx;
    js->who = who;
    js->nb = nb;
    js->np = np;
    js->bt = lh_malloc(((size_t)nb + 1) * sizeof *js->bt);
    js->pt = lh_malloc(((size_t)np + 1) * sizeof *js->pt);
    if (!js->bt || !js->pt) {
        lh_jspill_free(js);
        return lh_errf(err, LH_ENOMEM, "out of memory starting %s's spill partitions", who);
    }
    if (nb)
        memcpy(js->bt, btypes, nb * sizeof *js->bt);
    if (np)
        memcpy(js->pt, ptypes, np * sizeof *js->pt);
    *out = js;
    return LH_OK;
}

void lh_jspill_begin(lh_jspill *js, uint32_t depth)
{
    js->depth = depth;
    js->rrows = 0;
    js->same = 1;
    if (depth + 1 > js->levels)
        js->levels = depth + 1;
}

static inline uint32_t part_of(const lh_jspill *js, uint64_t h)
{
    unsigned shift = 64 - LH_JSPILL_BITS * (js->depth + 1);
    return (uint32_t)(h >> shift) & (LH_JSPILL_NPART - 1);
}

static void note_hash(lh_jspill *js, uint64_t h)
{
    if (!js->rrows++)
        js->first = h;
    else if (h != js->first)
        js->same = 0;
}

static lh_rc open_part(lh_jspill *js, int build, uint32_t p, lh_err *err)
{
    lh_spill **s = build ? &js->bs[p] : &js->ps[p];
    lh_rc rc;
    if (*s)
        return LH_OK;
    if (build)
        rc = lh_spill_create(js->ctx, js->who, js->bt, js->nb, s, err);
    else
        rc = lh_spill_create(js->ctx, js->who, js->pt, js->np, s, err);
    if (!rc)
        js->files++;
    return rc;
}

/* Counting sort of pidx[0..n) into start offsets pos[]; cnt[] per partition. */
static void bucket(const uint8_t *pidx, uint32_t n, uint32_t *cnt, uint32_t *pos)
{
    uint32_t i, p, at = 0;
    memset(cnt, 0, LH_JSPILL_NPART * sizeof *cnt);
    for (i = 0; i < n; i++)
        cnt[pidx[i]]++;
    for (p = 0; p < LH_JSPILL_NPART; p++) {
        pos[p] = at;
        at += cnt[p];
    }
}

static lh_rc put_batch(lh_jspill *js, int build, lh_batch *b, const uint64_t *h, lh_err *err)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t cnt[LH_JSPILL_NPART], pos[LH_JSPILL_NPART], i, p, at, n = rows.n;
    lh_rc rc;
    if ((rc = lh_exec_check(js->ctx, err)))
        return rc;
    for (i = 0; i < n; i++) {
        uint32_t r = rows.sel ? rows.sel[i] : i;
        js->live[i] = (uint16_t)r;
        if (build)
            note_hash(js, h[r]);
        js->pidx[i] = (uint8_t)part_of(js, h[r]);
    }
    bucket(js->pidx, n, cnt, pos);
    for (i = 0; i < n; i++) /* stable: each partition's rows keep their order */
        js->sel[pos[js->pidx[i]]++] = js->live[i];
    for (p = 0, at = 0; p < LH_JSPILL_NPART; at += cnt[p], p++) {
        lh_spill *s;
        if (!cnt[p])
            continue;
        if ((rc = open_part(js, build, p, err)))
            return rc;
        s = build ? js->bs[p] : js->ps[p];
        lh_batch_select(b, js->sel + at, cnt[p]);
        if ((rc = lh_spill_put(s, b, err)))
            return rc;
    }
    return LH_OK;
}

/* The store's rows go out through one scratch batch (lh_spill_put_rows
 * would keep one per partition), charged while it lives. */
lh_rc lh_jspill_put_build_rows(lh_jspill *js, const lh_rowstore *rs, const uint64_t *h, uint32_t n, lh_err *err)
{
    size_t cost = LH_JSPILL_SCRATCH(js->nb);
    lh_batch *b = NULL;
    uint32_t base, i, c;
    lh_rc rc;
    if (!n)
        return LH_OK;
    if ((rc = lh_exec_charge(js->ctx, js->who, (ptrdiff_t)cost, err)))
        return rc;
    if ((rc = lh_batch_create(js->bt, js->nb, 0, &b, err)))
        goto out;
    for (base = 0; base < n && !rc; base += LH_BATCH) {
        uint32_t m = n - base < LH_BATCH ? n - base : LH_BATCH;
        lh_batch_reset(b);
        for (i = 0; i < m; i++)
            js->idx[i] = base + i;
        for (c = 0; c < js->nb; c++)
            lh_rowstore_gather(rs, c, js->idx, m, b->cols[c], 0);
        b->n = m;
        rc = put_batch(js, 1, b, h + base, err);
    }
out:
    lh_batch_free(b);
    {
        lh_rc r2 = lh_exec_charge(js->ctx, js->who, -(ptrdiff_t)cost, NULL);
        (void)r2;
    }
    return rc;
}

lh_rc lh_jspill_put_build(lh_jspill *js, lh_batch *b, const uint64_t *h, lh_err *err)
{
    return put_batch(js, 1, b, h, err);
}

lh_rc lh_jspill_put_probe(lh_jspill *js, lh_batch *b, const uint64_t *h, lh_err *err)
{
    return put_batch(js, 0, b, h, err);
}

int lh_jspill_one_hash(const lh_jspill *js) { return js->rrows > 0 && js->same; }

uint64_t lh_jspill_round_rows(const lh_jspill *js) { return js->rrows; }

lh_rc lh_jspill_end(lh_jspill *js, lh_err *err)
{
    uint32_t p, n = 0;
    for (p = 0; p < LH_JSPILL_NPART; p++)
        n += js->bs[p] || js->ps[p];
    if (js->nstack + n > js->cap) {
        size_t ncap = js->cap ? js->cap * 2 : 2 * LH_JSPILL_NPART;
        jpair *s;
        while (ncap < js->nstack + n)
            ncap *= 2;
        s = lh_realloc(js->stack, ncap * sizeof *s);
        if (!s)
            return lh_errf(err, LH_ENOMEM, "out of memory keeping %s's spilled partitions", js->who);
        js->stack = s;
        js->cap = ncap;
    }
    for (p = LH_JSPILL_NPART; p-- > 0;) { /* a stack: partition 0 comes out first */
        jpair *q;
        if (!js->bs[p] && !js->ps[p])
            continue;
        q = &js->stack[js->nstack++];
        q->b = js->bs[p];
        q->p = js->ps[p];
        q->depth = js->depth + 1;
        if (q->b)
            js->bytes += lh_spill_bytes(q->b);
        if (q->p)
            js->bytes += lh_spill_bytes(q->p);
        js->bs[p] = js->ps[p] = NULL;
    }
    return LH_OK;
}

int lh_jspill_pop(lh_jspill *js, lh_spill **build, lh_spill **probe, uint32_t *depth)
{
    jpair *q;
    if (!js || !js->nstack)
        return 0;
    q = &js->stack[--js->nstack];
    *build = q->b;
    *probe = q->p;
    *depth = q->depth;
    return 1;
}

void lh_jspill_stats(const lh_jspill *js, uint64_t *bytes, uint64_t *files, uint32_t *levels)
{
    uint64_t b = 0;
    uint32_t p;
    if (!js) {
        *bytes = *files = 0;
        *levels = 0;
        return;
    }
    b = js->bytes;
    for (p = 0; p < LH_JSPILL_NPART; p++) { /* a round cut short */
        if (js->bs[p])
            b += lh_spill_bytes(js->bs[p]);
        if (js->ps[p])
            b += lh_spill_bytes(js->ps[p]);
    }
    *bytes = b;
    *files = js->files;
    *levels = js->levels;
}

void lh_jspill_free(lh_jspill *js)
{
    uint32_t p;
    size_t i;
    if (!js)
        return;
    for (p = 0; p < LH_JSPILL_NPART; p++) {
        lh_spill_free(js->bs[p]);
        lh_spill_free(js->ps[p]);
    }
    for (i = 0; i < js->nstack; i++) {
        lh_spill_free(js->stack[i].b);
        lh_spill_free(js->stack[i].p);
    }
    lh_free(js->stack);
    lh_free(js->bt);
    lh_free(js->pt);
    lh_free(js);
}

/* ---- reading back in full batches ---- */

struct lh_jread {
    lh_exec_ctx *ctx;
    const char *who;
    uint32_t ncols;
    size_t charged;
    lh_batch *c;       /* the joined rows */
    lh_batch *pending; /* a block read but not yet taken (the spill's batch) */
};

lh_rc lh_jread_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *types, uint32_t ncols, lh_jread **out,
                      lh_err *err)
{
    lh_jread *r = lh_calloc(1, sizeof *r);
    lh_rc rc;
    *out = NULL;
    if (!r)
        return lh_errf(err, LH_ENOMEM, "out of memory reading %s's spill partitions", who);
    r->ctx = ctx;
    r->who = who;
    r->ncols = ncols;
    if ((rc = lh_exec_charge(ctx, who, (ptrdiff_t)LH_JSPILL_SCRATCH(ncols), err))) {
        lh_free(r);
        return rc;
    }
    r->charged = LH_JSPILL_SCRATCH(ncols);
    if ((rc = lh_batch_create(types, ncols, 0, &r->c, err))) {
        lh_jread_free(r);
        return rc;
    }
    *out = r;
    return LH_OK;
}

static lh_rc take(lh_jread *r, lh_batch *b, lh_err *err)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t c, i, base = r->c->n;
    lh_rc rc;
    for (c = 0; c < r->ncols; c++)
        for (i = 0; i < rows.n; i++)
            if ((rc = lh_vector_copy_value(b->cols[c], rows.sel ? rows.sel[i] : i, r->c->cols[c], base + i,
                                           &r->c->arena, err)))
                return rc;
    r->c->n = base + rows.n;
    return LH_OK;
}

lh_rc lh_jread_next(lh_jread *r, lh_spill *s, lh_batch **out, lh_err *err)
{
    lh_rc rc;
    *out = NULL;
    lh_batch_reset(r->c);
    for (;;) {
        uint32_t n;
        if (!r->pending) {
            if ((rc = lh_spill_get(s, &r->pending, err)))
                return rc;
            if (!r->pending)
                break;
        }
        n = lh_batch_rows(r->pending).n;
        if (!n) {
            r->pending = NULL;
            continue;
        }
        if (!r->c->n && n >= LH_BATCH / 2) { /* big enough as it is */
            *out = r->pending;
            r->pending = NULL;
            return LH_OK;
        }
        if (r->c->n + n > LH_BATCH)
            break; /* it starts the next batch */
        if ((rc = take(r, r->pending, err)))
            return rc;
        r->pending = NULL;
    }
    if (r->c->n)
        *out = r->c;
    return LH_OK;
}

void lh_jread_reset(lh_jread *r)
{
    if (r) {
        r->pending = NULL;
        lh_batch_reset(r->c);
    }
}

void lh_jread_free(lh_jread *r)
{
    if (!r)
        return;
    lh_batch_free(r->c);
    if (r->charged) {
        lh_rc rc = lh_exec_charge(r->ctx, r->who, -(ptrdiff_t)r->charged, NULL);
        (void)rc;
    }
    lh_free(r);
}
