/* formats/avro_value.c — the value tree, its builders, the Avro binary
 * encoding of one datum (encode / bounded decode) and a JSON dump. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/avro_int.h"

static lh_rc oom(lh_err *err) { return lh_errf(err, LH_ENOMEM, "avro: out of memory"); }

static lh_rc value_init(lh_arena *a, const lh_avro_node *n, lh_avro_value *v, int depth, lh_err *err)
{
    size_t i;
    memset(v, 0, sizeof *v);
    v->node = n;
    if (depth > LH_AVRO_MAX_DEPTH)
        return lh_errf(err, LH_ELIMIT, "avro: value nested deeper than %d", LH_AVRO_MAX_DEPTH);
    if (n->type == LH_AVRO_RECORD && n->n) {
        if (!(v->as.list.v = lh_arena_alloc(a, n->n * sizeof *v->as.list.v)))
            return oom(err);
        v->as.list.n = v->as.list.cap = n->n;
        for (i = 0; i < n->n; i++) {
            lh_rc rc = value_init(a, n->kids[i], &v->as.list.v[i], depth + 1, err);
            if (rc)
                return rc;
        }
    } else if (n->type == LH_AVRO_UNION && n->null_branch >= 0) {
        v->as.u.branch = (uint32_t)n->null_branch;
        if (!(v->as.u.v = lh_arena_alloc(a, sizeof *v->as.u.v)))
            return oom(err);
        memset(v->as.u.v, 0, sizeof *v->as.u.v);
        v->as.u.v->node = n->kids[n->null_branch];
    }
    return LH_OK;
}

lh_rc lh_avro_value_new(lh_arena *a, const lh_avro_node *n, lh_avro_value **out, lh_err *err)
{
    lh_avro_value *v = lh_arena_alloc(a, sizeof *v);
    if (!v)
        return oom(err);
    *out = v;
    return value_init(a, n, v, 0, err);
}

lh_avro_value *lh_avro_field(lh_avro_value *v, const char *name)
{
    int i;
    if (!v)
        return NULL;
    if (v->node->type == LH_AVRO_UNION)
        v = v->as.u.v;
    if (!v || v->node->type != LH_AVRO_RECORD || (i = lh_avro_node_field_index(v->node, name)) < 0 ||
        (size_t)i >= v->as.list.n)
        return NULL;
    return &v->as.list.v[i];
}

const lh_avro_value *lh_avro_field_c(const lh_avro_value *v, const char *name)
{
    return lh_avro_field((lh_avro_value *)v, name);
}

const lh_avro_value *lh_avro_unwrap(const lh_avro_value *v)
{
    return v && v->node->type == LH_AVRO_UNION ? v->as.u.v : v;
}

lh_rc lh_avro_set_branch(lh_arena *a, lh_avro_value *v, uint32_t i, lh_avro_value **out, lh_err *err)
{
    lh_avro_value *b;
    lh_rc rc;
    if (v->node->type != LH_AVRO_UNION || i >= v->node->n)
        return lh_errf(err, LH_EINVAL, "avro: no branch %u in this %s", (unsigned)i, lh_avro_type_name(v->node->type));
    if (!(b = lh_arena_alloc(a, sizeof *b)))
        return oom(err);
    if ((rc = value_init(a, v->node->kids[i], b, 0, err)))
        return rc;
    v->as.u.branch = i;
    v->as.u.v = b;
    if (out)
        *out = b;
    return LH_OK;
}

lh_rc lh_avro_set_some(lh_arena *a, lh_avro_value *v, lh_avro_value **out, lh_err *err)
{
    if (v->node->type != LH_AVRO_UNION || v->node->n != 2 || v->node->null_branch < 0)
        return lh_errf(err, LH_EINVAL, "avro: set_some needs a union [\"null\", T], not a %s",
                       lh_avro_type_name(v->node->type));
    return lh_avro_set_branch(a, v, v->node->null_branch == 0 ? 1 : 0, out, err);
}

/* v itself when of type t (t2), or the union branch of that type, selected */
static lh_rc want(lh_arena *a, lh_avro_value **v, lh_avro_type t, lh_avro_type t2, lh_err *err)
{
    size_t i;
    const lh_avro_node *n = (*v)->node;
    if (n->type == t || n->type == t2)
        return LH_OK;
    if (n->type == LH_AVRO_UNION && a) {
        for (i = 0; i < n->n; i++)
            if (n->kids[i]->type == t || n->kids[i]->type == t2) {
                if ((*v)->as.u.branch == i && (*v)->as.u.v) {
                    *v = (*v)->as.u.v;
                    return LH_OK;
                }
                return lh_avro_set_branch(a, *v, (uint32_t)i, v, err);
            }
    }
    return lh_errf(err, LH_EINVAL, "avro: cannot set a %s value: the schema says %s", lh_avro_type_name(t),
                   n->name ? n->name : lh_avro_type_name(n->type));
}

lh_rc lh_avro_set_null(lh_avro_value *v, lh_err *err)
{
    if (v->node->type == LH_AVRO_NULL)
        return LH_OK;
    if (v->node->type == LH_AVRO_UNION && v->node->null_branch >= 0) {
        int nb = v->node->null_branch;
        if (v->as.u.v && v->as.u.v->node == v->node->kids[nb]) {
            v->as.u.branch = (uint32_t)nb;
            return LH_OK;
        }
    }
    if (v->node->type == LH_AVRO_UNION && v->node->null_branch >= 0 && v->as.u.v) {
        /* reuse the branch value's memory for the null */
        v->as.u.branch = (uint32_t)v->node->null_branch;
        memset(v->as.u.v, 0, sizeof *v->as.u.v);
        v->as.u.v->node = v->node->kids[v->node->null_branch];
        return LH_OK;
    }
    return lh_errf(err, LH_EINVAL, "avro: cannot set null: the schema says %s",
                   v->node->name ? v->node->name : lh_avro_type_name(v->node->type));
}

#define SETTER(fn, T, ty, field)                                                                                  \
    lh_rc fn(lh_arena *a, lh_avro_value *v, T x, lh_err *err)                                                     \
    {                                                                                                             \
        lh_rc rc = want(a, &v, ty, ty, err);                                                                      \
        if (rc)                                                                                                   \
            return rc;                                                                                            \
        v->as.field = x;                                                                                          \
        return LH_OK;                                                                                             \
    }
SETTER(lh_avro_set_bool, int, LH_AVRO_BOOLEAN, boolean)
SETTER(lh_avro_set_int, int32_t, LH_AVRO_INT, i)
SETTER(lh_avro_set_long, int64_t, LH_AVRO_LONG, l)
SETTER(lh_avro_set_float, float, LH_AVRO_FLOAT, f)
SETTER(lh_avro_set_double, double, LH_AVRO_DOUBLE, d)

lh_rc lh_avro_set_bytes(lh_arena *a, lh_avro_value *v, const void *p, size_t n, lh_err *err)
{
    lh_rc rc = want(a, &v, LH_AVRO_BYTES, LH_AVRO_BYTES, err);
    if (rc)
        return rc;
    v->as.bytes.p = p;
    v->as.bytes.n = n;
    return LH_OK;
}

lh_rc lh_avro_set_string(lh_arena *a, lh_avro_value *v, const char *s, lh_err *err)
{
    lh_rc rc = want(a, &v, LH_AVRO_STRING, LH_AVRO_STRING, err);
    if (rc)
        return rc;
    v->as.bytes.p = (const uint8_t *)s;
    v->as.bytes.n = strlen(s);
    return LH_OK;
}

lh_rc lh_avro_set_fixed(lh_arena *a, lh_avro_value *v, const void *p, size_t n, lh_err *err)
{
    lh_rc rc = want(a, &v, LH_AVRO_FIXED, LH_AVRO_FIXED, err);
    if (rc)
        return rc;
    if (n != v->node->fixed)
        return lh_errf(err, LH_EINVAL, "avro: %s is fixed(%zu), not %zu bytes", v->node->name, v->node->fixed, n);
    v->as.bytes.p = p;
    v->as.bytes.n = n;
    return LH_OK;
}

lh_rc lh_avro_set_enum(lh_arena *a, lh_avro_value *v, const char *symbol, lh_err *err)
{
    size_t i;
    lh_rc rc = want(a, &v, LH_AVRO_ENUM, LH_AVRO_ENUM, err);
    if (rc)
        return rc;
    for (i = 0; i < v->node->n; i++)
        if (!strcmp(v->node->names[i], symbol)) {
            v->as.i = (int32_t)i;
            return LH_OK;
        }
    return lh_errf(err, LH_EINVAL, "avro: enum %s has no symbol \"%s\"", v->node->name, symbol);
}

static lh_rc list_grow(lh_arena *a, lh_avro_value *v, int map, lh_err *err)
{
    size_t nc;
    lh_avro_value *nv;
    if (v->as.list.n < v->as.list.cap)
        return LH_OK;
    nc = v->as.list.cap ? v->as.list.cap * 2 : 4;
    if (!(nv = lh_arena_alloc(a, nc * sizeof *nv)))
        return oom(err);
    if (v->as.list.n)
        memcpy(nv, v->as.list.v, v->as.list.n * sizeof *nv);
    v->as.list.v = nv;
    if (map) {
        const char **nk = lh_arena_alloc(a, nc * sizeof *nk);
        size_t *nl = lh_arena_alloc(a, nc * sizeof *nl);
        if (!nk || !nl)
            return oom(err);
        if (v->as.list.n) {
            memcpy(nk, v->as.list.keys, v->as.list.n * sizeof *nk);
            memcpy(nl, v->as.list.klen, v->as.list.n * sizeof *nl);
        }
        v->as.list.keys = nk;
        v->as.list.klen = nl;
    }
    v->as.list.cap = nc;
    return LH_OK;
}

lh_rc lh_avro_array_add(lh_arena *a, lh_avro_value *v, lh_avro_value **item, lh_err *err)
{
    lh_rc rc = want(a, &v, LH_AVRO_ARRAY, LH_AVRO_ARRAY, err);
    if (rc || (rc = list_grow(a, v, 0, err)))
        return rc;
    *item = &v->as.list.v[v->as.list.n];
    if ((rc = value_init(a, v->node->kids[0], *item, 0, err)))
        return rc;
    v->as.list.n++;
    return LH_OK;
}

lh_rc lh_avro_map_add(lh_arena *a, lh_avro_value *v, const char *key, lh_avro_value **val, lh_err *err)
{
    size_t kl = strlen(key);
    char *k;
    lh_rc rc = want(a, &v, LH_AVRO_MAP, LH_AVRO_MAP, err);
    if (rc || (rc = list_grow(a, v, 1, err)))
        return rc;
    if (!(k = lh_arena_strndup(a, key, kl)))
        return oom(err);
    *val = &v->as.list.v[v->as.list.n];
    if ((rc = value_init(a, v->node->kids[0], *val, 0, err)))
        return rc;
    v->as.list.keys[v->as.list.n] = k;
    v->as.list.klen[v->as.list.n] = kl;
    v->as.list.n++;
    return LH_OK;
}

/* ---- encode ---- */
static lh_rc put_long(lh_buf *out, int64_t x, lh_err *err)
{
    uint8_t b[10];
    size_t n = 0;
    uint64_t z = ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
    while (z >= 0x80) {
        b[n++] = (uint8_t)(z | 0x80);
        z >>= 7;
    }
    b[n++] = (uint8_t)z;
    return lh_buf_append(out, b, n, err);
}

static lh_rc put_bytes(lh_buf *out, const void *p, size_t n, lh_err *err)
{
    lh_rc rc = put_long(out, (int64_t)n, err);
    return rc ? rc : n ? lh_buf_append(out, p, n, err) : LH_OK;
}

static lh_rc encode(const lh_avro_value *v, const lh_avro_node *n, lh_buf *out, int depth, lh_err *err)
{
    size_t i;
    lh_rc rc = LH_OK;
    if (depth > LH_AVRO_MAX_DEPTH)
        return lh_errf(err, LH_ELIMIT, "avro: value nested deeper than %d", LH_AVRO_MAX_DEPTH);
    if (!v || v->node != n)
        return lh_errf(err, LH_EINVAL, "avro: a value %s where the schema wants %s", v ? "of another schema node" : "missing",
                       n->name ? n->name : lh_avro_type_name(n->type));
    switch (n->type) {
    case LH_AVRO_NULL:
        return LH_OK;
    case LH_AVRO_BOOLEAN:
        return lh_buf_putc(out, v->as.boolean ? 1 : 0, err);
    case LH_AVRO_INT:
    case LH_AVRO_ENUM:
        if (n->type == LH_AVRO_ENUM && (v->as.i < 0 || (size_t)v->as.i >= n->n))
            return lh_errf(err, LH_EINVAL, "avro: enum %s: index %d out of range", n->name, (int)v->as.i);
        return put_long(out, v->as.i, err);
    case LH_AVRO_LONG:
        return put_long(out, v->as.l, err);
    case LH_AVRO_FLOAT: {
        uint32_t u;
        uint8_t b[4];
        memcpy(&u, &v->as.f, 4);
        for (i = 0; i < 4; i++)
            b[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(out, b, 4, err);
    }
    case LH_AVRO_DOUBLE: {
        uint64_t u;
        uint8_t b[8];
        memcpy(&u, &v->as.d, 8);
        for (i = 0; i < 8; i++)
            b[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(out, b, 8, err);
    }
    case LH_AVRO_STRING:
        if (!lh_avro_utf8_ok(v->as.bytes.p, v->as.bytes.n))
            return lh_errf(err, LH_EDATA, "avro: a string is not valid UTF-8");
        /* fallthrough */
    case LH_AVRO_BYTES:
        return put_bytes(out, v->as.bytes.p, v->as.bytes.n, err);
    case LH_AVRO_FIXED:
        if (v->as.bytes.n != n->fixed)
            return lh_errf(err, LH_EINVAL, "avro: %s is fixed(%zu), the value has %zu bytes", n->name, n->fixed,
                           v->as.bytes.n);
        return n->fixed ? lh_buf_append(out, v->as.bytes.p, n->fixed, err) : LH_OK;
    case LH_AVRO_RECORD:
        if (v->as.list.n != n->n)
            return lh_errf(err, LH_EINVAL, "avro: record %s has %zu fields, the value %zu", n->name, n->n, v->as.list.n);
        for (i = 0; i < n->n && !rc; i++)
            if ((rc = encode(&v->as.list.v[i], n->kids[i], out, depth + 1, err)))
                lh_err_prefix(err, "%s", n->names[i]);
        return rc;
    case LH_AVRO_ARRAY:
    case LH_AVRO_MAP:
        if (v->as.list.n) {
            if ((rc = put_long(out, (int64_t)v->as.list.n, err)))
                return rc;
            for (i = 0; i < v->as.list.n && !rc; i++) {
                if (n->type == LH_AVRO_MAP) {
                    if (!lh_avro_utf8_ok((const uint8_t *)v->as.list.keys[i], v->as.list.klen[i]))
                        return lh_errf(err, LH_EDATA, "avro: a map key is not valid UTF-8");
                    if ((rc = put_bytes(out, v->as.list.keys[i], v->as.list.klen[i], err)))
                        return rc;
                }
                rc = encode(&v->as.list.v[i], n->kids[0], out, depth + 1, err);
            }
            if (rc)
                return rc;
        }
        return lh_buf_putc(out, 0, err);
    case LH_AVRO_UNION:
        if (v->as.u.branch >= n->n || !v->as.u.v)
            return lh_errf(err, LH_EINVAL, "avro: a union value has no branch selected");
        if ((rc = put_long(out, v->as.u.branch, err)))
            return rc;
        return encode(v->as.u.v, n->kids[v->as.u.branch], out, depth + 1, err);
    }
    return lh_errf(err, LH_EINTERNAL, "avro: unknown node type");
}

lh_rc lh_avro_encode(const lh_avro_value *v, lh_buf *out, lh_err *err)
{
    if (!v)
        return lh_errf(err, LH_EINVAL, "avro: no value");
    return encode(v, v->node, out, 0, err);
}

/* ---- decode ---- */
typedef struct dctx {
    const uint8_t *d;
    size_t n, pos;
    lh_arena *a;
    lh_err *err;
    const char *path[LH_AVRO_MAX_DEPTH + 2];
    int depth;
    int64_t zero_budget;
    size_t base; /* added to positions in messages */
} dctx;

static lh_rc derr(dctx *c, lh_rc code, const char *what)
{
    char p[512];
    size_t len = 0;
    int i;
    p[0] = 0;
    for (i = 0; i < c->depth && len < sizeof p - 1; i++)
        if (c->path[i]) {
            int w = snprintf(p + len, sizeof p - len, "%s%s", len ? "." : "", c->path[i]);
            if (w < 0)
                break;
            len += (size_t)w;
            if (len >= sizeof p)
                len = sizeof p - 1;
        }
    return lh_errf(c->err, code, "offset %zu: %s: %s", c->base + c->pos, p[0] ? p : "<root>", what);
}

static lh_rc get_long(dctx *c, int64_t *out, const char *what)
{
    uint64_t z = 0;
    int shift = 0;
    for (;;) {
        uint8_t b;
        if (c->pos >= c->n) {
            char m[96];
            snprintf(m, sizeof m, "expected %s, found the end of the data", what);
            return derr(c, LH_ECORRUPT, m);
        }
        b = c->d[c->pos++];
        if (shift == 63 && b > 1)
            return derr(c, LH_ECORRUPT, "a varint overflows 64 bits");
        z |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *out = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    return LH_OK;
}

static lh_rc get_int(dctx *c, int32_t *out, const char *what)
{
    size_t start = c->pos;
    int64_t l;
    lh_rc rc = get_long(c, &l, what);
    if (rc)
        return rc;
    if (c->pos - start > 5 || l < INT32_MIN || l > INT32_MAX) {
        c->pos = start;
        return derr(c, LH_ECORRUPT, "an int varint is longer than 5 bytes or overflows 32 bits");
    }
    *out = (int32_t)l;
    return LH_OK;
}

static lh_rc get_len(dctx *c, size_t *out, const char *what)
{
    int64_t l;
    lh_rc rc = get_long(c, &l, what);
    char m[160];
    if (rc)
        return rc;
    if (l < 0 || (uint64_t)l > c->n - c->pos) {
        snprintf(m, sizeof m, "%s length %lld, but %zu bytes are left", what, (long long)l, c->n - c->pos);
        return derr(c, LH_ECORRUPT, m);
    }
    *out = (size_t)l;
    return LH_OK;
}

static lh_rc decode(dctx *c, const lh_avro_node *n, lh_avro_value *v);

static lh_rc decode_list(dctx *c, const lh_avro_node *n, lh_avro_value *v)
{
    int map = n->type == LH_AVRO_MAP;
    const lh_avro_node *it = n->kids[0];
    size_t per = it->minsize + (map ? 1 : 0);
    lh_rc rc;
    for (;;) {
        int64_t cnt;
        size_t i;
        if ((rc = get_long(c, &cnt, map ? "a map block count" : "an array block count")))
            return rc;
        if (cnt == 0)
            return LH_OK;
        if (cnt < 0) {
            size_t bsz;
            if (cnt == INT64_MIN)
                return derr(c, LH_ECORRUPT, "a block count overflows");
            cnt = -cnt;
            if ((rc = get_len(c, &bsz, "block byte size")))
                return rc;
        }
        if (per && (uint64_t)cnt > (c->n - c->pos) / per) {
            char m[160];
            snprintf(m, sizeof m, "a block of %lld items cannot fit in the %zu bytes left", (long long)cnt, c->n - c->pos);
            return derr(c, LH_ECORRUPT, m);
        }
        if (!per) {
            if (cnt > c->zero_budget)
                return derr(c, LH_ELIMIT, "more zero-byte items than the cap (LH_AVRO_MAX_ZERO_ITEMS)");
            c->zero_budget -= cnt;
        }
        {
            size_t need = v->as.list.n + (size_t)cnt;
            if (need > v->as.list.cap) {
                lh_avro_value *nv = lh_arena_alloc(c->a, need * sizeof *nv);
                if (!nv)
                    return derr(c, LH_ENOMEM, "out of memory");
                if (v->as.list.n)
                    memcpy(nv, v->as.list.v, v->as.list.n * sizeof *nv);
                v->as.list.v = nv;
                if (map) {
                    const char **nk = lh_arena_alloc(c->a, need * sizeof *nk);
                    size_t *nl = lh_arena_alloc(c->a, need * sizeof *nl);
                    if (!nk || !nl)
                        return derr(c, LH_ENOMEM, "out of memory");
                    if (v->as.list.n) {
                        memcpy(nk, v->as.list.keys, v->as.list.n * sizeof *nk);
                        memcpy(nl, v->as.list.klen, v->as.list.n * sizeof *nl);
                    }
                    v->as.list.keys = nk;
                    v->as.list.klen = nl;
                }
                v->as.list.cap = need;
            }
        }
        for (i = 0; i < (size_t)cnt; i++) {
            lh_avro_value *item = &v->as.list.v[v->as.list.n];
            if (map) {
                size_t kl;
                if ((rc = get_len(c, &kl, "a map key")))
                    return rc;
                if (!lh_avro_utf8_ok(c->d + c->pos, kl))
                    return derr(c, LH_ECORRUPT, "a map key is not valid UTF-8");
                v->as.list.keys[v->as.list.n] = (const char *)(c->d + c->pos);
                v->as.list.klen[v->as.list.n] = kl;
                c->pos += kl;
            }
            if ((rc = decode(c, it, item)))
                return rc;
            v->as.list.n++;
        }
    }
}

static lh_rc decode(dctx *c, const lh_avro_node *n, lh_avro_value *v)
{
    lh_rc rc = LH_OK;
    size_t i;
    memset(v, 0, sizeof *v);
    v->node = n;
    if (c->depth > LH_AVRO_MAX_DEPTH)
        return derr(c, LH_ELIMIT, "value nested too deeply");
    switch (n->type) {
    case LH_AVRO_NULL:
        return LH_OK;
    case LH_AVRO_BOOLEAN:
        if (c->pos >= c->n)
            return derr(c, LH_ECORRUPT, "expected a boolean, found the end of the data");
        if (c->d[c->pos] > 1)
            return derr(c, LH_ECORRUPT, "a boolean byte is neither 0 nor 1");
        v->as.boolean = c->d[c->pos++];
        return LH_OK;
    case LH_AVRO_INT:
        return get_int(c, &v->as.i, "an int");
    case LH_AVRO_ENUM:
        if ((rc = get_int(c, &v->as.i, "an enum index")))
            return rc;
        if (v->as.i < 0 || (size_t)v->as.i >= n->n)
            return derr(c, LH_ECORRUPT, "an enum index is out of range");
        return LH_OK;
    case LH_AVRO_LONG:
        return get_long(c, &v->as.l, "a long");
    case LH_AVRO_FLOAT:
    case LH_AVRO_DOUBLE: {
        size_t w = n->type == LH_AVRO_FLOAT ? 4 : 8;
        uint64_t u = 0;
        if (c->n - c->pos < w)
            return derr(c, LH_ECORRUPT, w == 4 ? "expected a float (4 bytes), found the end of the data"
                                                : "expected a double (8 bytes), found the end of the data");
        for (i = 0; i < w; i++)
            u |= (uint64_t)c->d[c->pos + i] << (8 * i);
        c->pos += w;
        if (w == 4) {
            uint32_t u32 = (uint32_t)u;
            memcpy(&v->as.f, &u32, 4);
        } else {
            memcpy(&v->as.d, &u, 8);
        }
        return LH_OK;
    }
    case LH_AVRO_BYTES:
    case LH_AVRO_STRING:
        if ((rc = get_len(c, &v->as.bytes.n, n->type == LH_AVRO_STRING ? "a string" : "bytes")))
            return rc;
        v->as.bytes.p = c->d + c->pos;
        if (n->type == LH_AVRO_STRING && !lh_avro_utf8_ok(v->as.bytes.p, v->as.bytes.n))
            return derr(c, LH_ECORRUPT, "a string is not valid UTF-8");
        c->pos += v->as.bytes.n;
        return LH_OK;
    case LH_AVRO_FIXED:
        if (c->n - c->pos < n->fixed)
            return derr(c, LH_ECORRUPT, "expected the bytes of a fixed, found the end of the data");
        v->as.bytes.p = c->d + c->pos;
        v->as.bytes.n = n->fixed;
        c->pos += n->fixed;
        return LH_OK;
    case LH_AVRO_RECORD:
        if (n->n && !(v->as.list.v = lh_arena_alloc(c->a, n->n * sizeof *v->as.list.v)))
            return derr(c, LH_ENOMEM, "out of memory");
        v->as.list.n = v->as.list.cap = n->n;
        for (i = 0; i < n->n; i++) {
            c->path[c->depth++] = n->names[i];
            rc = decode(c, n->kids[i], &v->as.list.v[i]);
            if (rc)
                return rc;
            c->depth--;
        }
        return LH_OK;
    case LH_AVRO_ARRAY:
    case LH_AVRO_MAP:
        c->path[c->depth++] = NULL;
        if ((rc = decode_list(c, n, v)))
            return rc;
        c->depth--;
        return LH_OK;
    case LH_AVRO_UNION: {
        int64_t b;
        if ((rc = get_long(c, &b, "a union branch index")))
            return rc;
        if (b < 0 || (uint64_t)b >= n->n)
            return derr(c, LH_ECORRUPT, "a union branch index is out of range");
        v->as.u.branch = (uint32_t)b;
        if (!(v->as.u.v = lh_arena_alloc(c->a, sizeof *v->as.u.v)))
            return derr(c, LH_ENOMEM, "out of memory");
        c->path[c->depth++] = NULL;
        if ((rc = decode(c, n->kids[b], v->as.u.v)))
            return rc;
        c->depth--;
        return LH_OK;
    }
    }
    return derr(c, LH_EINTERNAL, "unknown node type");
}

lh_rc lh_avro_decode(const lh_avro_node *node, const uint8_t *data, size_t n, size_t *pos, lh_arena *a,
                     lh_avro_value **out, lh_err *err)
{
    int64_t budget = LH_AVRO_MAX_ZERO_ITEMS;
    return lh_avro_decode_at(node, data, n, pos, 0, &budget, a, out, err);
}

lh_rc lh_avro_decode_at(const lh_avro_node *node, const uint8_t *data, size_t n, size_t *pos, size_t base,
                        int64_t *zero_budget, lh_arena *a, lh_avro_value **out, lh_err *err)
{
    dctx c;
    lh_rc rc;
    memset(&c, 0, sizeof c);
    c.d = data;
    c.n = n;
    c.pos = *pos;
    c.a = a;
    c.err = err;
    c.zero_budget = *zero_budget;
    c.base = base;
    if (c.pos > n)
        return lh_errf(err, LH_EINVAL, "avro: position past the data");
    if (!(*out = lh_arena_alloc(a, sizeof **out)))
        return lh_errf(err, LH_ENOMEM, "avro: out of memory");
    rc = decode(&c, node, *out);
    *pos = c.pos;
    *zero_budget = c.zero_budget;
    return rc;
}

/* ---- JSON dump ---- */
static lh_rc put_num(lh_buf *out, double d, int is_float, lh_err *err)
{
    char t[40];
    int p;
    if (isnan(d) || isinf(d))
        return lh_buf_puts(out, isnan(d) ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"", err);
    (void)is_float;
    for (p = 1; p <= 17; p++) {
        snprintf(t, sizeof t, "%.*g", p, d);
        if (strtod(t, NULL) == d)
            break;
    }
    return lh_buf_puts(out, t, err);
}

static lh_rc put_jstr(lh_buf *out, const uint8_t *p, size_t n, lh_err *err)
{
    size_t i;
    lh_rc rc = lh_buf_putc(out, '"', err);
    for (i = 0; i < n && !rc; i++) {
        uint8_t ch = p[i];
        if (ch == '"' || ch == '\\')
            rc = lh_buf_printf(out, err, "\\%c", ch);
        else if (ch < 0x20)
            rc = lh_buf_printf(out, err, "\\u%04x", ch);
        else
            rc = lh_buf_putc(out, (char)ch, err);
    }
    return rc ? rc : lh_buf_putc(out, '"', err);
}

lh_rc lh_avro_value_json(const lh_avro_value *v, lh_buf *out, lh_err *err)
{
    const lh_avro_node *n = v->node;
    size_t i;
    lh_rc rc = LH_OK;
    switch (n->type) {
    case LH_AVRO_NULL:
        return lh_buf_puts(out, "null", err);
    case LH_AVRO_BOOLEAN:
        return lh_buf_puts(out, v->as.boolean ? "true" : "false", err);
    case LH_AVRO_INT:
        return lh_buf_printf(out, err, "%d", (int)v->as.i);
    case LH_AVRO_LONG:
        return lh_buf_printf(out, err, "%lld", (long long)v->as.l);
    case LH_AVRO_FLOAT:
        return put_num(out, (double)v->as.f, 1, err);
    case LH_AVRO_DOUBLE:
        return put_num(out, v->as.d, 0, err);
    case LH_AVRO_STRING:
        return put_jstr(out, v->as.bytes.p, v->as.bytes.n, err);
    case LH_AVRO_BYTES:
    case LH_AVRO_FIXED:
        rc = lh_buf_putc(out, '"', err);
        for (i = 0; i < v->as.bytes.n && !rc; i++)
            rc = lh_buf_printf(out, err, "%02x", v->as.bytes.p[i]);
        return rc ? rc : lh_buf_putc(out, '"', err);
    case LH_AVRO_ENUM:
        return put_jstr(out, (const uint8_t *)n->names[v->as.i], strlen(n->names[v->as.i]), err);
    case LH_AVRO_RECORD:
        rc = lh_buf_putc(out, '{', err);
        for (i = 0; i < v->as.list.n && !rc; i++) {
            if ((i && (rc = lh_buf_putc(out, ',', err))) ||
                (rc = put_jstr(out, (const uint8_t *)n->names[i], strlen(n->names[i]), err)) ||
                (rc = lh_buf_putc(out, ':', err)))
                return rc;
            rc = lh_avro_value_json(&v->as.list.v[i], out, err);
        }
        return rc ? rc : lh_buf_putc(out, '}', err);
    case LH_AVRO_ARRAY:
    case LH_AVRO_MAP:
        rc = lh_buf_putc(out, n->type == LH_AVRO_MAP ? '{' : '[', err);
        for (i = 0; i < v->as.list.n && !rc; i++) {
            if (i && (rc = lh_buf_putc(out, ',', err)))
                return rc;
            if (n->type == LH_AVRO_MAP && ((rc = put_jstr(out, (const uint8_t *)v->as.list.keys[i], v->as.list.klen[i], err)) ||
                                           (rc = lh_buf_putc(out, ':', err))))
                return rc;
            rc = lh_avro_value_json(&v->as.list.v[i], out, err);
        }
        return rc ? rc : lh_buf_putc(out, n->type == LH_AVRO_MAP ? '}' : ']', err);
    case LH_AVRO_UNION:
        if (!v->as.u.v)
            return lh_buf_puts(out, "null", err);
        return lh_avro_value_json(v->as.u.v, out, err);
    }
    return LH_OK;
}
