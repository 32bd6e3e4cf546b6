/* exec/op_sort.c — sort and top-N (operator.h).
 *
 * The child's rows are copied into an lh_rowstore (strings included).  The
 * sort orders an array of 16-byte entries {prefix, row, class}: `class`
 * puts NULLs of the first key first or last, `prefix` is the first key
 * encoded as an unsigned 64-bit number whose order is the key's order
 * (integers and dates offset by 2^63, doubles by their bit pattern with
 * NaN above everything in both directions, strings by their first 8 bytes
 * big-endian, DESC by complement).  Entries with equal class and prefix go
 * to a per-key typed comparison (the rest of the first key when the prefix
 * is not exact — long decimals and strings — then the other keys), and
 * finally the row number, which makes the order total and the sort stable
 * whatever the algorithm (a bottom-up merge sort over insertion-sorted runs).
 *
 * Orders as Trino's ORDER BY: integers, decimals exactly, doubles/reals as
 * Java's Double.compare (-0.0 before 0.0) with NaN after every number in
 * ASC and DESC alike, varchar/char/varbinary bytewise with the shorter
 * first, date/time/timestamp/intervals by value, timestamp with time zone
 * by instant, false before true; NULLS FIRST/LAST as given.
 *
 * Top-N (limit >= 0): the rows kept never exceed about 2 * (offset +
 * limit) + LH_BATCH: when the store reaches that, it is sorted and cut to
 * offset + limit rows (ties keep the earliest input rows, so the result is
 * the stable full sort's first rows).
 */
#include <math.h>
#include <string.h>

#include "exec/operator.h"
#include "exec/rowstore.h"

typedef struct sort_ent {
    uint64_t key;
    uint32_t row;
    uint32_t cls;
} sort_ent;

typedef int (*cmp_fn)(const lh_rscol *c, uint32_t a, uint32_t b, int desc);

typedef struct sort_op {
    lh_op base;
    lh_sort_key *keys;
    uint32_t nkeys;
    int64_t offset, limit;
    uint64_t keep; /* rows a top-N keeps; UINT64_MAX: all */
    const char *who;
    int loaded;
    lh_rowstore rs;
    cmp_fn *cmps;
    int exact0;
    uint32_t *order;
    size_t order_charged;
    uint32_t pos, end;
    lh_batch *out;
} sort_op;

/* ---- typed comparisons of two non-NULL stored values ---- */
#define CMP_INT(NAME, T)                                                                                              \
    static int NAME(const lh_rscol *c, uint32_t a, uint32_t b, int desc)                                              \
    {                                                                                                                 \
        T x = ((const T *)c->data)[a], y = ((const T *)c->data)[b];                                                   \
        int r = x < y ? -1 : x > y;                                                                                   \
        return desc ? -r : r;                                                                                         \
    }
CMP_INT(cmp_u8, uint8_t)
CMP_INT(cmp_i8, int8_t)
CMP_INT(cmp_i16, int16_t)
CMP_INT(cmp_i32, int32_t)
CMP_INT(cmp_i64, int64_t)
CMP_INT(cmp_i128, __int128)

/* Double.compare: -0.0 < 0.0; NaN after every number whatever the direction. */
static inline int cmp_double(double x, double y, int desc)
{
    int nx = isnan(x), ny = isnan(y), r;
    if (nx || ny)
        return nx == ny ? 0 : nx ? 1 : -1;
    if (x < y)
        r = -1;
    else if (x > y)
        r = 1;
    else if (x == 0 && signbit(x) != signbit(y))
        r = signbit(x) ? -1 : 1;
    else
        r = 0;
    return desc ? -r : r;
}
static int cmp_f32(const lh_rscol *c, uint32_t a, uint32_t b, int desc)
{
    return cmp_double(((const float *)c->data)[a], ((const float *)c->data)[b], desc);
}
static int cmp_f64(const lh_rscol *c, uint32_t a, uint32_t b, int desc)
{
    return cmp_double(((const double *)c->data)[a], ((const double *)c->data)[b], desc);
}
static int cmp_tstz(const lh_rscol *c, uint32_t a, uint32_t b, int desc)
{
    int64_t x = ((const lh_tstz *)c->data)[a].utc_us, y = ((const lh_tstz *)c->data)[b].utc_us;
    int r = x < y ? -1 : x > y;
    return desc ? -r : r;
}
static int cmp_str(const lh_rscol *c, uint32_t a, uint32_t b, int desc)
{
    int r = lh_str_cmp(&((const lh_str *)c->data)[a], &((const lh_str *)c->data)[b]);
    return desc ? -r : r;
}
static int cmp_none(const lh_rscol *c, uint32_t a, uint32_t b, int desc)
{
    (void)c, (void)a, (void)b, (void)desc;
    return 0;
}

static cmp_fn cmp_for(lh_phys p)
{
    switch (p) {
    case LH_P_U8:
        return cmp_u8;
    case LH_P_I8:
        return cmp_i8;
    case LH_P_I16:
        return cmp_i16;
    case LH_P_I32:
        return cmp_i32;
    case LH_P_I64:
        return cmp_i64;
    case LH_P_I128:
        return cmp_i128;
    case LH_P_F32:
        return cmp_f32;
    case LH_P_F64:
        return cmp_f64;
    case LH_P_TSTZ:
        return cmp_tstz;
    case LH_P_STR:
        return cmp_str;
    default:
        return cmp_none;
    }
}

/* Rows a and b from key `from` on (0 = every key). */
static int tie(const sort_op *s, uint32_t from, uint32_t a, uint32_t b)
{
    uint32_t k;
    for (k = from; k < s->nkeys; k++) {
        const lh_sort_key *sk = &s->keys[k];
        const lh_rscol *c = &s->rs.cols[sk->col];
        int r;
        if (c->has_null) {
            int va = lh_rowstore_valid(&s->rs, sk->col, a), vb = lh_rowstore_valid(&s->rs, sk->col, b);
            if (!va || !vb) {
                if (va == vb)
                    continue;
                return (!va) == (sk->nulls_first != 0) ? -1 : 1;
            }
        }
        r = s->cmps[k](c, a, b, sk->desc);
        if (r)
            return r;
    }
    return 0;
}

static inline int ent_less(const sort_op *s, const sort_ent *x, const sort_ent *y)
{
    int r;
    if (x->cls != y->cls)
        return x->cls < y->cls;
    if (x->key != y->key)
        return x->key < y->key;
    r = tie(s, s->exact0 ? 1 : 0, x->row, y->row);
    if (r)
        return r < 0;
    return x->row < y->row;
}

static inline uint64_t enc_i64(int64_t x) { return (uint64_t)x ^ ((uint64_t)1 << 63); }

static inline uint64_t enc_double(double d, int desc)
{
    uint64_t b;
    if (isnan(d))
        return UINT64_MAX; /* last in both directions */
    memcpy(&b, &d, 8);
    b = (b >> 63) ? ~b : b | ((uint64_t)1 << 63);
    return desc ? ~b : b;
}

/* 8 bytes from `skip` on (every value shares its first `skip` bytes). */
static inline uint64_t enc_str(const lh_str *s, uint32_t skip)
{
    uint32_t len = lh_str_len(s), n = len > skip ? len - skip : 0, i; /* a NULL row is empty */
    const unsigned char *p = n ? (const unsigned char *)lh_str_ptr(s) + skip : NULL;
    uint64_t k = 0;
    for (i = 0; i < 8; i++)
        k = (k << 8) | (i < n ? p[i] : 0);
    return k;
}

/* The length of the prefix every non-NULL value of the column shares. */
static uint32_t common_prefix(const lh_rowstore *rs, uint32_t col, uint32_t n)
{
    const lh_rscol *c = &rs->cols[col];
    const lh_str *v = (const lh_str *)c->data, *first = NULL;
    uint32_t lcp = 0, i;
    for (i = 0; i < n; i++) {
        uint32_t m = 0, len;
        const char *a, *b;
        if (c->has_null && !lh_rowstore_valid(rs, col, i))
            continue;
        if (!first) {
            first = &v[i];
            lcp = lh_str_len(first);
            continue;
        }
        len = lh_str_len(&v[i]) < lcp ? lh_str_len(&v[i]) : lcp;
        a = lh_str_ptr(first);
        b = lh_str_ptr(&v[i]);
        while (m < len && a[m] == b[m])
            m++;
        lcp = m;
        if (!lcp)
            break;
    }
    return lcp;
}

#define ENC_LOOP(EXPR)                                                                                                \
    do {                                                                                                              \
        for (i = 0; i < n; i++) {                                                                                     \
            uint64_t k_ = (EXPR);                                                                                     \
            e[i].key = flip ? ~k_ : k_;                                                                               \
        }                                                                                                             \
    } while (0)

/* The first key's prefix and class of every row. */
static void encode(const sort_op *s, sort_ent *e, uint32_t n)
{
    const lh_sort_key *sk = &s->keys[0];
    const lh_rscol *c = &s->rs.cols[sk->col];
    int flip = sk->desc != 0;
    uint32_t i;
    const void *d = c->data;
    switch (c->phys) {
    case LH_P_U8:
        ENC_LOOP(((const uint8_t *)d)[i]);
        break;
    case LH_P_I8:
        ENC_LOOP(enc_i64(((const int8_t *)d)[i]));
        break;
    case LH_P_I16:
        ENC_LOOP(enc_i64(((const int16_t *)d)[i]));
        break;
    case LH_P_I32:
        ENC_LOOP(enc_i64(((const int32_t *)d)[i]));
        break;
    case LH_P_I64:
        ENC_LOOP(enc_i64(((const int64_t *)d)[i]));
        break;
    case LH_P_I128:
        ENC_LOOP(enc_i64((int64_t)(((const __int128 *)d)[i] >> 64)));
        break;
    case LH_P_TSTZ:
        ENC_LOOP(enc_i64(((const lh_tstz *)d)[i].utc_us));
        break;
    case LH_P_STR: {
        uint32_t skip = common_prefix(&s->rs, sk->col, n);
        ENC_LOOP(enc_str(&((const lh_str *)d)[i], skip));
        break;
    }
    case LH_P_F32:
        flip = 0;
        ENC_LOOP(enc_double(((const float *)d)[i], sk->desc));
        break;
    case LH_P_F64:
        flip = 0;
        ENC_LOOP(enc_double(((const double *)d)[i], sk->desc));
        break;
    default:
        ENC_LOOP(0);
        break;
    }
    for (i = 0; i < n; i++) {
        int valid = !c->has_null || lh_rowstore_valid(&s->rs, sk->col, i);
        e[i].row = i;
        e[i].cls = valid ? (sk->nulls_first ? 1u : 0u) : (sk->nulls_first ? 0u : 1u);
        if (!valid)
            e[i].key = 0;
    }
}

#define RUN 16

/* Sort the store's rows; *out gets the row order (caller frees, uncharged). */
static lh_rc sort_rows(sort_op *s, uint32_t **out, lh_err *err)
{
    uint32_t n = s->rs.n, i, w;
    size_t bytes = (size_t)n * 2 * sizeof(sort_ent) + (size_t)n * sizeof(uint32_t);
    sort_ent *a = NULL, *b = NULL, *t;
    uint32_t *order = NULL;
    lh_rc rc;
    *out = NULL;
    if ((rc = lh_exec_charge(s->base.ctx, s->who, (ptrdiff_t)bytes, err)))
        return rc;
    a = lh_malloc((n ? n : 1) * sizeof *a);
    b = lh_malloc((n ? n : 1) * sizeof *b);
    order = lh_malloc((n ? n : 1) * sizeof *order);
    if (!a || !b || !order) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory sorting %u rows", n);
        goto out;
    }
    encode(s, a, n);
    /* insertion-sorted runs */
    for (i = 0; i < n; i += RUN) {
        uint32_t end = i + RUN < n ? i + RUN : n, x;
        for (x = i + 1; x < end; x++) {
            sort_ent v = a[x];
            uint32_t y = x;
            while (y > i && ent_less(s, &v, &a[y - 1])) {
                a[y] = a[y - 1];
                y--;
            }
            a[y] = v;
        }
    }
    /* merge passes */
    for (w = RUN; w < n; w = w > UINT32_MAX / 2 ? UINT32_MAX : w * 2) {
        if ((rc = lh_exec_check(s->base.ctx, err)))
            goto out;
        for (i = 0; i < n; i += 2 * w) {
            uint32_t mid = i + w < n ? i + w : n, end = mid + w < n ? mid + w : n;
            uint32_t x = i, y = mid, z = i;
            if (mid >= end || !ent_less(s, &a[mid], &a[mid - 1])) { /* already in order */
                memcpy(b + i, a + i, (size_t)(end - i) * sizeof *a);
                continue;
            }
            while (x < mid && y < end)
                b[z++] = ent_less(s, &a[y], &a[x]) ? a[y++] : a[x++];
            while (x < mid)
                b[z++] = a[x++];
            while (y < end)
                b[z++] = a[y++];
        }
        t = a;
        a = b;
        b = t;
        if (w > UINT32_MAX / 2)
            break;
    }
    for (i = 0; i < n; i++)
        order[i] = a[i].row;
    *out = order;
    order = NULL;
out:
    lh_free(a);
    lh_free(b);
    lh_free(order);
    {
        lh_rc r2 = lh_exec_charge(s->base.ctx, s->who, -(ptrdiff_t)bytes, NULL);
        (void)r2;
    }
    return rc;
}

/* Top-N: keep the first `keep` rows of the sorted store. */
static lh_rc cut(sort_op *s, lh_err *err)
{
    lh_rowstore ns;
    uint32_t *order = NULL, k = s->rs.n < s->keep ? s->rs.n : (uint32_t)s->keep;
    lh_rc rc;
    if ((rc = sort_rows(s, &order, err)))
        return rc;
    if ((rc = lh_rowstore_init(&ns, s->base.types, s->base.ncols, s->base.ctx, s->who, err)) ||
        (rc = lh_rowstore_append_rows(&ns, &s->rs, order, k, err))) {
        lh_rowstore_free(&ns);
        lh_free(order);
        return rc;
    }
    lh_free(order);
    lh_rowstore_free(&s->rs);
    s->rs = ns;
    return LH_OK;
}

static lh_rc load(sort_op *s, lh_err *err)
{
    lh_op *child = s->base.child[0];
    uint64_t thr = s->keep <= ((uint64_t)1 << 28) ? 2 * s->keep + LH_BATCH : UINT64_MAX;
    uint32_t n;
    lh_rc rc;
    for (;;) {
        lh_batch *b;
        if ((rc = lh_exec_check(s->base.ctx, err)) || (rc = lh_op_next(child, &b, err)))
            return rc;
        if (!b)
            break;
        if ((rc = lh_rowstore_append(&s->rs, b, lh_batch_rows(b), err)))
            return rc;
        if (s->rs.n >= thr && (rc = cut(s, err)))
            return rc;
    }
    n = s->rs.n;
    if ((rc = sort_rows(s, &s->order, err)))
        return rc;
    s->order_charged = (size_t)n * sizeof(uint32_t);
    if ((rc = lh_exec_charge(s->base.ctx, s->who, (ptrdiff_t)s->order_charged, err))) {
        s->order_charged = 0;
        return rc;
    }
    s->pos = (uint64_t)s->offset < n ? (uint32_t)s->offset : n;
    s->end = s->limit < 0 || (uint64_t)s->offset + (uint64_t)s->limit >= n ? n
                                                                          : (uint32_t)(s->offset + s->limit);
    if (s->end < s->pos)
        s->end = s->pos;
    s->loaded = 1;
    return LH_OK;
}

static lh_rc sort_next(lh_op *op, lh_batch **out, lh_err *err)
{
    sort_op *s = (sort_op *)op;
    uint32_t n, c;
    lh_rc rc;
    *out = NULL;
    if (s->limit == 0)
        return LH_OK; /* LIMIT 0: nothing to read */
    if (!s->loaded && (rc = load(s, err)))
        return rc;
    if (s->pos >= s->end)
        return LH_OK;
    n = s->end - s->pos < LH_BATCH ? s->end - s->pos : LH_BATCH;
    lh_batch_reset(s->out);
    for (c = 0; c < op->ncols; c++)
        lh_rowstore_gather(&s->rs, c, s->order + s->pos, n, s->out->cols[c], 0);
    s->out->n = n;
    s->pos += n;
    *out = s->out;
    return LH_OK;
}

static void sort_free(lh_op *op)
{
    sort_op *s = (sort_op *)op;
    lh_rowstore_free(&s->rs);
    lh_free(s->order);
    if (s->order_charged) {
        lh_rc rc = lh_exec_charge(op->ctx, s->who, -(ptrdiff_t)s->order_charged, NULL);
        (void)rc;
    }
    lh_free(s->cmps);
    lh_free(s->keys);
    lh_batch_free(s->out);
}

static lh_rc sort_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const sort_op *s = (const sort_op *)op;
    uint32_t k;
    lh_rc rc;
    if ((rc = lh_buf_puts(out, "keys: ", err)))
        return rc;
    for (k = 0; k < s->nkeys; k++)
        if ((rc = lh_buf_printf(out, err, "%s#%u %s NULLS %s", k ? ", " : "", s->keys[k].col,
                                s->keys[k].desc ? "DESC" : "ASC", s->keys[k].nulls_first ? "FIRST" : "LAST")))
            return rc;
    if (s->limit >= 0 && (rc = lh_buf_printf(out, err, "; limit %lld", (long long)s->limit)))
        return rc;
    if (s->offset > 0 && (rc = lh_buf_printf(out, err, "; offset %lld", (long long)s->offset)))
        return rc;
    return LH_OK;
}

static const lh_op_vt sort_vt = {"Sort", sort_next, sort_free, sort_explain, NULL};
static const lh_op_vt topn_vt = {"TopN", sort_next, sort_free, sort_explain, NULL};

lh_rc lh_op_sort(lh_exec_ctx *ctx, lh_op *child, const lh_sort_key *keys, size_t nkeys, int64_t offset,
                 int64_t limit, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    sort_op *s;
    size_t k;
    lh_rc rc;
    *out = NULL;
    if (!child) {
        rc = lh_errf(err, LH_EINTERNAL, "sort: missing child");
        goto fail;
    }
    if (!nkeys || nkeys > LH_BATCH_MAX_COLS || offset < 0) {
        rc = lh_errf(err, LH_EINTERNAL, "sort: %zu keys, offset %lld", nkeys, (long long)offset);
        goto fail;
    }
    for (k = 0; k < nkeys; k++)
        if (keys[k].col >= child->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "sort: key column #%u out of range", keys[k].col);
            goto fail;
        }
    if ((rc = lh_op_alloc(sizeof(sort_op), limit >= 0 ? &topn_vt : &sort_vt, ctx, child->types, child->ncols, &op,
                          err)))
        goto fail;
    op->child[0] = child;
    op->nchild = 1;
    child = NULL;
    s = (sort_op *)op;
    s->who = op->vt->name;
    s->nkeys = (uint32_t)nkeys;
    s->offset = offset;
    s->limit = limit;
    s->keep = limit < 0 || (uint64_t)offset + (uint64_t)limit >= UINT32_MAX ? UINT64_MAX
                                                                          : (uint64_t)offset + (uint64_t)limit;
    s->keys = lh_malloc(nkeys * sizeof *s->keys);
    s->cmps = lh_malloc(nkeys * sizeof *s->cmps);
    if (!s->keys || !s->cmps) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory creating a sort");
        goto fail;
    }
    memcpy(s->keys, keys, nkeys * sizeof *s->keys);
    for (k = 0; k < nkeys; k++)
        s->cmps[k] = cmp_for(lh_phys_of(op->types[keys[k].col]));
    {
        lh_phys p0 = lh_phys_of(op->types[keys[0].col]);
        s->exact0 = p0 != LH_P_I128 && p0 != LH_P_STR;
    }
    if ((rc = lh_rowstore_init(&s->rs, op->types, op->ncols, ctx, s->who, err)) ||
        (rc = lh_batch_create(op->types, op->ncols, 0, &s->out, err)))
        goto fail;
    *out = op;
    return LH_OK;
fail:
    lh_op_free(op);
    lh_op_free(child);
    return rc;
}
