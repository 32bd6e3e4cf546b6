/* exec/op_window.c — the window operator (operator.h, lh_op_window).
 *
 * At the first pull the whole input is read: rows are stored column by
 * column (string bytes copied into the operator's arena), sorted by
 * (partition keys, order keys) with a stable merge sort of row indexes,
 * the stored columns are put in that order (one gather each), rows are
 * split into partitions and peer groups, and every function is computed
 * per partition (op_window_fn.c) into a result column by sorted position.
 * Then batches of LH_BATCH rows go out in sorted order: the child's
 * columns, then one column per function, copied a block at a time.
 * Complexity: O(n log n) comparisons for the sort (most decided by
 * integer prefixes of the first two keys); the functions' costs are in
 * op_window_fn.c.  On this machine: 2 M rows, one partition, seven
 * functions (ranking, lag, sliding sum/min, RANGE count) in ~1.3 s of CPU.
 *
 * Memory: input columns, the arena, the index, peer arrays, results and
 * scratch are charged to the context ("Window: memory limit of ...").
 */
#include <stdio.h>
#include <string.h>

#include "exec/window_int.h"

/* ---- memory ---- */

lh_rc lh_win_charge(lh_window *w, ptrdiff_t n, lh_err *err)
{
    lh_rc rc = lh_exec_charge(w->base.ctx, LH_WIN_NAME, n, err);
    if (!rc)
        w->charged = (size_t)((ptrdiff_t)w->charged + n);
    return rc;
}

void lh_win_release(lh_window *w, size_t n)
{
    if (n > w->charged)
        n = w->charged;
    if (n && w->base.ctx)
        atomic_fetch_sub(&w->base.ctx->mem_used, n);
    w->charged -= n;
}

static lh_rc nomem(lh_err *err, const char *what)
{
    return lh_errf(err, LH_ENOMEM, "out of memory in %s (%s)", LH_WIN_NAME, what);
}

lh_rc lh_win_scratch(lh_window *w, size_t bytes, lh_err *err)
{
    char *p;
    lh_rc rc;
    if (bytes <= w->scratch_cap)
        return LH_OK;
    if (bytes < 4096)
        bytes = 4096;
    if (bytes < 2 * w->scratch_cap && /* growing partitions: double, not step, when the budget allows */
        lh_win_charge(w, (ptrdiff_t)(2 * w->scratch_cap - w->scratch_cap), NULL) == LH_OK) {
        lh_win_release(w, w->scratch_cap);
        bytes = 2 * w->scratch_cap;
    }
    if ((rc = lh_win_charge(w, (ptrdiff_t)(bytes - w->scratch_cap), err)))
        return rc;
    p = lh_realloc(w->scratch, bytes);
    if (!p) {
        lh_win_release(w, (bytes - w->scratch_cap));
        return nomem(err, "work space");
    }
    w->scratch = p;
    w->scratch_cap = bytes;
    return LH_OK;
}

static void wcol_init(lh_wcol *c, lh_sqltype t)
{
    memset(c, 0, sizeof *c);
    c->type = t;
    c->phys = (uint8_t)lh_phys_of(t);
    c->width = (uint8_t)lh_phys_width(c->phys);
    c->uniform = c->phys != LH_P_STR && c->phys != LH_P_NONE;
}

static void wcol_free(lh_wcol *c)
{
    lh_free(c->data);
    lh_free(c->null);
    c->data = NULL;
    c->null = NULL;
    c->cap = 0;
}

/* Grow c to hold at least need values (doubling), charging the growth. */
static lh_rc wcol_reserve(lh_window *w, lh_wcol *c, size_t need, lh_err *err)
{
    size_t ncap = c->cap ? c->cap : 1024, delta;
    char *d;
    uint8_t *nl;
    lh_rc rc;
    if (need <= c->cap)
        return LH_OK;
    while (ncap < need)
        ncap *= 2;
    delta = (ncap - c->cap) * ((size_t)c->width + 1);
    if ((rc = lh_win_charge(w, (ptrdiff_t)delta, err)))
        return rc;
    d = lh_realloc(c->data, ncap * c->width);
    if (d)
        c->data = d;
    nl = d ? lh_realloc(c->null, ncap) : NULL;
    if (nl)
        c->null = nl;
    if (!d || !nl) {
        lh_win_release(w, delta);
        return nomem(err, "stored rows");
    }
    c->cap = ncap;
    return LH_OK;
}

/* ---- values ---- */

/* One key: NULLs together, placed by nulls_first whatever the direction. */
static inline int cmp_key(const lh_wcol *c, uint32_t a, uint32_t b, int desc, int nulls_first)
{
    int na = c->null[a], nb = c->null[b], r;
    if (na | nb) {
        if (na && nb)
            return 0;
        return na ? (nulls_first ? -1 : 1) : (nulls_first ? 1 : -1);
    }
    r = lh_win_cmp_val(c, a, b);
    return desc ? -r : r;
}

static int cmp_part(const lh_window *w, uint32_t a, uint32_t b)
{
    size_t k;
    for (k = 0; k < w->npart; k++) {
        int r = cmp_key(&w->cols[w->part[k]], a, b, 0, 0);
        if (r)
            return r;
    }
    return 0;
}

static int cmp_order(const lh_window *w, uint32_t a, uint32_t b)
{
    size_t k;
    for (k = 0; k < w->norder; k++) {
        const lh_sort_key *o = &w->order[k];
        int r = cmp_key(&w->cols[o->col], a, b, o->desc, o->nulls_first);
        if (r)
            return r;
    }
    return 0;
}

static int cmp_rows(const lh_window *w, uint32_t a, uint32_t b)
{
    int r = cmp_part(w, a, b);
    return r ? r : cmp_order(w, a, b);
}

/* ---- reading the input ---- */

static lh_rc store_batch(lh_window *w, lh_batch *b, lh_err *err)
{
    lh_rows rows = lh_batch_rows(b);
    size_t base = w->n, strbytes = 0;
    uint32_t c, i;
    lh_rc rc;
    if (rows.n == 0)
        return LH_OK;
    if (base + rows.n > UINT32_MAX - 1)
        return lh_errf(err, LH_ELIMIT, "%s: more than %u rows in one window", LH_WIN_NAME, UINT32_MAX - 1);
    for (c = 0; c < w->in_cols; c++)
        if ((rc = wcol_reserve(w, &w->cols[c], base + rows.n, err)))
            return rc;
    for (c = 0; c < w->in_cols; c++) {
        lh_wcol *dc = &w->cols[c];
        const lh_vector *v = b->cols[c];
        const lh_vector *d = v->kind == LH_VEC_DICT ? v->dict : v;
        size_t wd = dc->width;
        char *dst = dc->data + base * wd;
        uint8_t *dn = dc->null + base;
        if (v->phys != dc->phys)
            return lh_errf(err, LH_EINTERNAL, "%s: input column %u has layout %u, expected %u", LH_WIN_NAME, c,
                           v->phys, dc->phys);
        if (v->kind == LH_VEC_FLAT && !rows.sel) {
            memcpy(dst, v->data, rows.n * wd);
            if (v->may_null) {
                for (i = 0; i < rows.n; i++)
                    dn[i] = !lh_vector_is_valid(v, i);
                dc->has_null |= memchr(dn, 1, rows.n) != NULL;
            } else {
                memset(dn, 0, rows.n);
            }
        } else {
            for (i = 0; i < rows.n; i++) {
                uint32_t r = rows.sel ? rows.sel[i] : i;
                uint32_t pr = lh_vector_phys_row(v, r);
                memcpy(dst + (size_t)i * wd, (const char *)d->data + (size_t)pr * wd, wd);
                dn[i] = !lh_vector_get_valid(v, r);
            }
            dc->has_null |= memchr(dn, 1, rows.n) != NULL;
        }
        if (dc->uniform) {
            const char *first = dc->data;
            for (i = 0; i < rows.n && dc->uniform; i++)
                if (dn[i] || memcmp(dst + (size_t)i * wd, first, wd) != 0)
                    dc->uniform = 0;
        }
        if (dc->phys == LH_P_STR) {
            lh_str *s = (lh_str *)dst;
            for (i = 0; i < rows.n; i++) {
                uint32_t len = s[i].in.len;
                if (dn[i]) {
                    memset(&s[i], 0, sizeof s[i]);
                } else if (len > LH_STR_INLINE) {
                    char *p = lh_arena_alloc(&w->arena, len);
                    if (!p)
                        return lh_errf(err, LH_ENOMEM, "out of memory in %s copying a string of %u bytes",
                                       LH_WIN_NAME, len);
                    memcpy(p, s[i].out.ptr, len);
                    s[i].out.ptr = p;
                    strbytes += ((size_t)len + 7) & ~(size_t)7;
                }
            }
        }
    }
    w->n = base + rows.n;
    return strbytes ? lh_win_charge(w, (ptrdiff_t)strbytes, err) : LH_OK;
}

/* ---- sorting: stable merge sort of row indexes ----
 *
 * Rows are sorted as records {class, prefix, row}: classes and prefixes
 * encode the first two keys (partition keys, then order keys) so that
 * most comparisons are a few integer compares; equal prefixes fall back
 * to the full comparison of every key.  The second prefix counts only
 * when the first is the whole key (not for strings and int128, whose
 * prefixes can tie on different values).  class places NULLs
 * (0: NULL first, 1: a value, 2: NULL last); prefix is order-preserving:
 * integers with the sign bit flipped, doubles by their bits (NaN last,
 * -0.0 = 0.0), int128 by its high word, strings by their first 8 bytes
 * big-endian, negated for DESC. */

typedef struct srec {
    uint64_t k[2];
    uint32_t row;
    uint16_t cls[2];
} srec;

static uint64_t prefix_of(const lh_wcol *c, uint32_t r)
{
    const void *p = lh_wptr(c, r);
    const uint64_t flip = (uint64_t)1 << 63;
    switch (c->phys) {
    case LH_P_I8:
    case LH_P_I16:
    case LH_P_I32:
    case LH_P_I64:
    case LH_P_TSTZ:
        return (uint64_t)lh_wget_i64(c, r) ^ flip;
    case LH_P_U8:
        return *(const uint8_t *)p;
    case LH_P_I128: {
        lh_i128 v;
        memcpy(&v, p, sizeof v);
        return (uint64_t)(v >> 64) ^ flip;
    }
    case LH_P_F32:
    case LH_P_F64: {
        double d = c->phys == LH_P_F32 ? *(const float *)p : *(const double *)p;
        uint64_t u;
        if (d != d)
            return UINT64_MAX;
        if (d == 0)
            d = 0; /* -0.0 */
        memcpy(&u, &d, sizeof u);
        return (u & flip) ? ~u : u | flip;
    }
    case LH_P_STR: {
        const lh_str *sv = p;
        uint32_t len = sv->in.len, m = len < 8 ? len : 8, i;
        const unsigned char *q = (const unsigned char *)lh_str_ptr(sv);
        uint64_t u = 0;
        for (i = 0; i < 8; i++)
            u = (u << 8) | (i < m ? q[i] : 0);
        return u;
    }
    default:
        return 0;
    }
}

static inline int srec_cmp(const lh_window *w, const srec *a, const srec *b)
{
    if (a->cls[0] != b->cls[0])
        return a->cls[0] < b->cls[0] ? -1 : 1;
    if (a->k[0] != b->k[0])
        return a->k[0] < b->k[0] ? -1 : 1;
    if (a->cls[1] != b->cls[1])
        return a->cls[1] < b->cls[1] ? -1 : 1;
    if (a->k[1] != b->k[1])
        return a->k[1] < b->k[1] ? -1 : 1;
    return cmp_rows(w, a->row, b->row);
}

static void insertion_sort(const lh_window *w, srec *a, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++) {
        srec x = a[i];
        for (j = i; j > 0 && srec_cmp(w, &a[j - 1], &x) > 0; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static lh_rc sort_rows(lh_window *w, lh_err *err)
{
    size_t n = w->n, run = 32, i, bytes = 2 * n * sizeof(srec);
    srec *src, *dst, *buf;
    lh_rc rc;
    size_t j;
    for (i = 0; i < n; i++)
        w->idx[i] = (uint32_t)i;
    if (!w->npart && !w->norder)
        return LH_OK;
    if ((rc = lh_win_charge(w, (ptrdiff_t)bytes, err)))
        return rc;
    buf = lh_malloc(bytes);
    if (!buf) {
        lh_win_release(w, bytes);
        return nomem(err, "sort");
    }
    src = buf;
    dst = buf + n;
    memset(src, 0, n * sizeof *src);
    for (i = 0; i < n; i++)
        src[i].row = (uint32_t)i;
    for (j = 0; j < 2 && j < w->npart + w->norder; j++) {
        const lh_wcol *c;
        if (j == 1) {
            const lh_wcol *c0 = &w->cols[w->npart ? w->part[0] : w->order[0].col];
            if (c0->phys == LH_P_STR || c0->phys == LH_P_I128)
                break;
        }
        int desc = 0, nf = 0;
        if (j < w->npart) {
            c = &w->cols[w->part[j]];
        } else {
            c = &w->cols[w->order[j - w->npart].col];
            desc = w->order[j - w->npart].desc;
            nf = w->order[j - w->npart].nulls_first;
        }
        for (i = 0; i < n; i++) {
            if (c->null[i]) {
                src[i].cls[j] = nf ? 0 : 2;
            } else {
                uint64_t k = prefix_of(c, (uint32_t)i);
                src[i].cls[j] = 1;
                src[i].k[j] = desc ? ~k : k;
            }
        }
    }
    for (i = 0; i < n; i += run) {
        insertion_sort(w, src + i, n - i < run ? n - i : run);
        if ((i & (LH_WIN_CHECK_EVERY - 1)) == 0 && (rc = lh_exec_check(w->base.ctx, err)))
            goto out;
    }
    for (; run < n; run *= 2) {
        size_t lo;
        if ((rc = lh_exec_check(w->base.ctx, err)))
            goto out;
        for (lo = 0; lo < n; lo += 2 * run) {
            size_t mid = lo + run < n ? lo + run : n, hi = lo + 2 * run < n ? lo + 2 * run : n;
            size_t a = lo, b = mid, k = lo;
            if (mid >= hi || srec_cmp(w, &src[mid - 1], &src[mid]) <= 0) { /* already in order */
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof *dst);
                continue;
            }
            while (a < mid && b < hi)
                dst[k++] = srec_cmp(w, &src[b], &src[a]) < 0 ? src[b++] : src[a++];
            while (a < mid)
                dst[k++] = src[a++];
            while (b < hi)
                dst[k++] = src[b++];
        }
        {
            srec *t = src;
            src = dst;
            dst = t;
        }
    }
    for (i = 0; i < n; i++)
        w->idx[i] = src[i].row;
    rc = LH_OK;
out:
    lh_free(buf);
    lh_win_release(w, bytes);
    return rc;
}

#define PERMUTE(TYPE)                                                                                                  \
    do {                                                                                                               \
        TYPE *dd = (TYPE *)(void *)d;                                                                                  \
        const TYPE *ss = (const TYPE *)(const void *)c->data;                                                         \
        for (j = 0; j < n; j++) {                                                                                      \
            if (j + 16 < n)                                                                                            \
                __builtin_prefetch(&ss[idx[j + 16]]);                                                                  \
            memcpy(&dd[j], &ss[idx[j]], sizeof(TYPE));                                                                 \
        }                                                                                                              \
    } while (0)

/* Put every stored column in sorted order (one gather per column), so that
 * the functions and the output read rows sequentially; idx becomes the
 * identity.  Peak memory: one column twice. */
static lh_rc permute_columns(lh_window *w, lh_err *err)
{
    size_t n = w->n, j, ci;
    const uint32_t *idx = w->idx;
    lh_rc rc;
    if (!w->npart && !w->norder)
        return LH_OK; /* already in input order */
    for (ci = 0; ci < w->in_cols; ci++) {
        lh_wcol *c = &w->cols[ci];
        size_t wd = c->width, bytes = n * (wd + 1), old = c->cap * (wd + 1);
        char *d;
        uint8_t *nl;
        if ((rc = lh_win_charge(w, (ptrdiff_t)bytes, err)))
            return rc;
        d = lh_malloc(n * wd);
        nl = d ? lh_malloc(n) : NULL;
        if (!nl) {
            lh_free(d);
            lh_win_release(w, bytes);
            return nomem(err, "sorted rows");
        }
        switch (wd) {
        case 1:
            PERMUTE(uint8_t);
            break;
        case 2:
            PERMUTE(uint16_t);
            break;
        case 4:
            PERMUTE(uint32_t);
            break;
        case 8:
            PERMUTE(uint64_t);
            break;
        case 16:
            PERMUTE(lh_str); /* 16-byte values: strings, int128, tstz */
            break;
        default:
            for (j = 0; j < n; j++)
                memcpy(d + j * wd, c->data + (size_t)idx[j] * wd, wd);
        }
        if (c->has_null)
            for (j = 0; j < n; j++)
                nl[j] = c->null[idx[j]];
        else
            memset(nl, 0, n);
        lh_free(c->data);
        lh_free(c->null);
        c->data = d;
        c->null = nl;
        c->cap = n;
        lh_win_release(w, old);
        if ((rc = lh_exec_check(w->base.ctx, err)))
            return rc;
    }
    for (j = 0; j < n; j++)
        w->idx[j] = (uint32_t)j;
    return LH_OK;
}

/* ---- building: read, sort, peers, functions ---- */

static lh_rc alloc_u32(lh_window *w, uint32_t **p, size_t n, lh_err *err)
{
    lh_rc rc = lh_win_charge(w, (ptrdiff_t)(n * sizeof(uint32_t)), err);
    if (rc)
        return rc;
    *p = lh_malloc((n ? n : 1) * sizeof(uint32_t));
    if (!*p) {
        lh_win_release(w, (n * sizeof(uint32_t)));
        return nomem(err, "row index");
    }
    return LH_OK;
}

static lh_rc build(lh_window *w, lh_err *err)
{
    lh_rc rc;
    size_t i, f, ps, ngroups = 0;
    int groups = 0;
    lh_batch *b;
    for (;;) {
        if ((rc = lh_op_next(w->base.child[0], &b, err)))
            return rc;
        if (!b)
            break;
        if ((rc = store_batch(w, b, err)) || (rc = lh_exec_check(w->base.ctx, err)))
            return rc;
    }
    if (w->n == 0)
        return LH_OK;
    if ((rc = alloc_u32(w, &w->idx, w->n, err)) || (rc = alloc_u32(w, &w->peer_start, w->n, err)) ||
        (rc = alloc_u32(w, &w->peer_end, w->n, err)))
        return rc;
    for (f = 0; f < w->nfns; f++)
        if (w->fns[f].groups)
            groups = 1;
    if (groups && ((rc = alloc_u32(w, &w->group, w->n, err)) || (rc = alloc_u32(w, &w->group_pos, w->n + 1, err))))
        return rc;
    if ((rc = sort_rows(w, err)) || (rc = permute_columns(w, err)))
        return rc;
    for (f = 0; f < w->nfns; f++)
        if ((rc = wcol_reserve(w, &w->res[f], w->n, err)))
            return rc;
    /* partitions and peer groups, then the functions, partition by partition */
    ps = 0;
    while (ps < w->n) {
        size_t pe = ps + 1, g = ps;
        while (pe < w->n && cmp_part(w, w->idx[pe - 1], w->idx[pe]) == 0)
            pe++;
        for (i = ps; i < pe; i++) {
            if (i > ps && cmp_order(w, w->idx[i - 1], w->idx[i]) != 0) {
                size_t j;
                for (j = g; j < i; j++)
                    w->peer_end[j] = (uint32_t)i;
                g = i;
            }
            w->peer_start[i] = (uint32_t)g;
            if (groups) {
                if (g == i)
                    w->group_pos[ngroups++] = (uint32_t)i;
                w->group[i] = (uint32_t)(ngroups - 1);
            }
        }
        for (i = g; i < pe; i++)
            w->peer_end[i] = (uint32_t)pe;
        if (groups)
            w->group_pos[ngroups] = (uint32_t)pe; /* the end of the partition's last group */
        for (f = 0; f < w->nfns; f++)
            if ((rc = lh_win_eval(w, f, ps, pe, err)))
                return rc;
        if ((rc = lh_exec_check(w->base.ctx, err)))
            return rc;
        ps = pe;
    }
    return LH_OK;
}

/* ---- output ---- */

/* Output column v = c's values [0, k) (c's pointers offset by the caller). */
static void put_column(lh_vector *v, const lh_wcol *c, size_t k)
{
    size_t j;
    memcpy(v->data, c->data, k * c->width);
    if (c->has_null)
        for (j = 0; j < k; j++)
            if (c->null[j])
                lh_vector_set_null(v, (uint32_t)j);
}

static lh_rc window_next(lh_op *op, lh_batch **out, lh_err *err)
{
    lh_window *w = (lh_window *)op;
    lh_rc rc;
    size_t k, c;
    *out = NULL;
    if (!w->built) {
        if ((rc = build(w, err)))
            return rc;
        w->built = 1;
    }
    if (w->emit_pos >= w->n)
        return LH_OK;
    if (!w->out && (rc = lh_batch_create(op->types, op->ncols, 0, &w->out, err)))
        return rc;
    lh_batch_reset(w->out);
    k = w->n - w->emit_pos < LH_BATCH ? w->n - w->emit_pos : LH_BATCH;
    for (c = 0; c < w->in_cols + w->nfns; c++) {
        lh_wcol view = c < w->in_cols ? w->cols[c] : w->res[c - w->in_cols];
        view.data += w->emit_pos * view.width;
        view.null += w->emit_pos;
        put_column(w->out->cols[c], &view, k);
    }
    w->out->n = (uint32_t)k;
    w->emit_pos += k;
    *out = w->out;
    return LH_OK;
}

static void window_free(lh_op *op)
{
    lh_window *w = (lh_window *)op;
    size_t i;
    if (w->cols)
        for (i = 0; i < w->in_cols; i++)
            wcol_free(&w->cols[i]);
    if (w->res)
        for (i = 0; i < w->nfns; i++)
            wcol_free(&w->res[i]);
    lh_free(w->cols);
    lh_free(w->res);
    lh_free(w->part);
    lh_free(w->order);
    lh_free(w->fns);
    lh_free(w->idx);
    lh_free(w->peer_start);
    lh_free(w->peer_end);
    lh_free(w->group);
    lh_free(w->group_pos);
    lh_free(w->scratch);
    lh_arena_free(&w->arena);
    lh_batch_free(w->out);
    if (w->charged)
        lh_win_release(w, w->charged);
}

/* ---- EXPLAIN: "partition: #0; order: #1 DESC; row_number(), sum(#2) ROWS 2 PRECEDING" ---- */

static lh_rc put_bound(lh_buf *o, lh_frame_bound b, uint32_t off, int start, lh_err *err)
{
    switch (b) {
    case LH_FB_PRECEDING:
        return lh_buf_printf(o, err, "#%u PRECEDING", off);
    case LH_FB_FOLLOWING:
        return lh_buf_printf(o, err, "#%u FOLLOWING", off);
    case LH_FB_UNBOUNDED_FOLLOWING:
        return lh_buf_puts(o, "UNBOUNDED FOLLOWING", err);
    case LH_FB_CURRENT_ROW:
        return lh_buf_puts(o, "CURRENT ROW", err);
    case LH_FB_UNBOUNDED_PRECEDING:
        return lh_buf_puts(o, "UNBOUNDED PRECEDING", err);
    default:
        return lh_buf_puts(o, start ? "UNBOUNDED PRECEDING" : "CURRENT ROW", err);
    }
}

static int frame_is_default(const lh_win_spec *f)
{
    return !f->rows && !f->groups && (f->start == 0 || f->start == LH_FB_UNBOUNDED_PRECEDING) &&
           (f->end == 0 || f->end == LH_FB_CURRENT_ROW);
}

static int uses_frame(const lh_win_spec *f)
{
    return f->kind == LH_WIN_AGG || f->kind == LH_WIN_FIRST_VALUE || f->kind == LH_WIN_LAST_VALUE ||
           f->kind == LH_WIN_NTH_VALUE;
}

static lh_rc explain_fn(const lh_win_spec *f, lh_buf *o, lh_err *err)
{
    lh_rc rc;
    int i, nargs = 0;
    const uint32_t *args = f->arg;
    if (f->kind == LH_WIN_AGG) {
        args = f->agg.arg;
        if ((rc = lh_buf_printf(o, err, "%s(%s", lh_agg_name(f->agg.kind), f->agg.distinct ? "DISTINCT " : "")))
            return rc;
        if (f->agg.kind == LH_AGG_COUNT_STAR && (rc = lh_buf_putc(o, '*', err)))
            return rc;
    } else if ((rc = lh_buf_printf(o, err, "%s(", lh_win_fn_name(f)))) {
        return rc;
    }
    for (i = 0; i < (f->kind == LH_WIN_AGG ? 2 : 3); i++) {
        if (args[i] == LH_AGG_NO_ARG)
            break;
        if ((rc = lh_buf_printf(o, err, "%s#%u", nargs++ ? ", " : "", args[i])))
            return rc;
    }
    if ((rc = lh_buf_putc(o, ')', err)))
        return rc;
    if (f->ignore_nulls && (rc = lh_buf_puts(o, " IGNORE NULLS", err)))
        return rc;
    if (f->kind == LH_WIN_AGG && f->agg.filter != LH_AGG_NO_ARG &&
        (rc = lh_buf_printf(o, err, " FILTER (#%u)", f->agg.filter)))
        return rc;
    if (!uses_frame(f) || frame_is_default(f))
        return LH_OK;
    if ((rc = lh_buf_puts(o, f->rows ? " ROWS " : f->groups ? " GROUPS " : " RANGE ", err)))
        return rc;
    if (f->end == LH_FB_CURRENT_ROW || f->end == 0)
        return put_bound(o, f->start, f->start_off, 1, err);
    if ((rc = lh_buf_puts(o, "BETWEEN ", err)) || (rc = put_bound(o, f->start, f->start_off, 1, err)) ||
        (rc = lh_buf_puts(o, " AND ", err)))
        return rc;
    return put_bound(o, f->end, f->end_off, 0, err);
}

static lh_rc window_explain(const lh_op *op, lh_buf *o, lh_err *err)
{
    const lh_window *w = (const lh_window *)op;
    lh_rc rc;
    size_t i;
    int sep = 0;
    if (w->npart) {
        if ((rc = lh_buf_puts(o, "partition: ", err)))
            return rc;
        for (i = 0; i < w->npart; i++)
            if ((rc = lh_buf_printf(o, err, "%s#%u", i ? ", " : "", w->part[i])))
                return rc;
        sep = 1;
    }
    if (w->norder) {
        if ((rc = lh_buf_puts(o, sep ? "; order: " : "order: ", err)))
            return rc;
        for (i = 0; i < w->norder; i++)
            if ((rc = lh_buf_printf(o, err, "%s#%u%s%s", i ? ", " : "", w->order[i].col, w->order[i].desc ? " DESC" : "",
                                    w->order[i].nulls_first ? " NULLS FIRST" : "")))
                return rc;
        sep = 1;
    }
    if (sep && w->nfns && (rc = lh_buf_puts(o, "; ", err)))
        return rc;
    for (i = 0; i < w->nfns; i++) {
        if (i && (rc = lh_buf_puts(o, ", ", err)))
            return rc;
        if ((rc = explain_fn(&w->fns[i], o, err)))
            return rc;
    }
    return LH_OK;
}

static const lh_op_vt window_vt = {"Window", window_next, window_free, window_explain, NULL};

/* ---- construction ---- */

lh_rc lh_op_window(lh_exec_ctx *ctx, lh_op *child, const uint32_t *part, size_t npart, const lh_sort_key *order,
                   size_t norder, const lh_win_spec *fns, size_t nfns, lh_op **out, lh_err *err)
{
    lh_window *w = NULL;
    lh_op *op = NULL;
    lh_sqltype *types = NULL;
    lh_rc rc = LH_OK;
    size_t i, ncols;
    *out = NULL;
    if (!child) {
        rc = lh_errf(err, LH_EINTERNAL, "%s: no input", LH_WIN_NAME);
        goto fail;
    }
    ncols = (size_t)child->ncols + nfns;
    if (ncols > LH_BATCH_MAX_COLS) {
        rc = lh_errf(err, LH_ELIMIT, "%s: %zu output columns exceed the limit of %u", LH_WIN_NAME, ncols,
                     LH_BATCH_MAX_COLS);
        goto fail;
    }
    for (i = 0; i < npart; i++)
        if (part[i] >= child->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "%s: partition column #%u out of range", LH_WIN_NAME, part[i]);
            goto fail;
        }
    for (i = 0; i < norder; i++)
        if (order[i].col >= child->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "%s: order column #%u out of range", LH_WIN_NAME, order[i].col);
            goto fail;
        }
    types = lh_malloc((ncols ? ncols : 1) * sizeof *types);
    if (!types) {
        rc = nomem(err, "types");
        goto fail;
    }
    if (child->ncols)
        memcpy(types, child->types, child->ncols * sizeof *types);
    for (i = 0; i < nfns; i++) {
        lh_sqltype rt = fns[i].ret;
        if (fns[i].kind == LH_WIN_AGG && rt.id == LH_SQL_UNKNOWN)
            rt = fns[i].agg.ret;
        types[child->ncols + i] = rt;
    }
    if ((rc = lh_op_alloc(sizeof *w, &window_vt, ctx, types, (uint32_t)ncols, &op, err)))
        goto fail;
    w = (lh_window *)op;
    lh_arena_init(&w->arena, 0);
    w->in_cols = child->ncols;
    w->npart = npart;
    w->norder = norder;
    w->nfns = nfns;
    w->part = lh_malloc((npart ? npart : 1) * sizeof *w->part);
    w->order = lh_malloc((norder ? norder : 1) * sizeof *w->order);
    w->fns = lh_malloc((nfns ? nfns : 1) * sizeof *w->fns);
    w->cols = lh_calloc(w->in_cols ? w->in_cols : 1, sizeof *w->cols);
    w->res = lh_calloc(nfns ? nfns : 1, sizeof *w->res);
    if (!w->part || !w->order || !w->fns || !w->cols || !w->res) {
        rc = nomem(err, "operator");
        goto fail;
    }
    if (npart)
        memcpy(w->part, part, npart * sizeof *part);
    if (norder)
        memcpy(w->order, order, norder * sizeof *order);
    if (nfns)
        memcpy(w->fns, fns, nfns * sizeof *fns);
    for (i = 0; i < w->in_cols; i++)
        wcol_init(&w->cols[i], child->types[i]);
    for (i = 0; i < nfns; i++) {
        lh_win_spec *f = &w->fns[i];
        f->ret = types[w->in_cols + i];
        if (f->start == 0)
            f->start = LH_FB_UNBOUNDED_PRECEDING;
        if (f->end == 0)
            f->end = LH_FB_CURRENT_ROW;
        wcol_init(&w->res[i], f->ret);
        if ((rc = lh_win_check_fn(w, f, err)))
            goto fail;
    }
    lh_free(types);
    op->child[0] = child;
    op->nchild = 1;
    *out = op;
    return LH_OK;
fail:
    lh_free(types);
    lh_op_free(op);
    lh_op_free(child);
    return rc;
}
