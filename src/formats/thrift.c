/* formats/thrift.c — Thrift compact protocol reader and writer. */
#include "formats/thrift.h"

#include <string.h>

void lh_thr_rinit(lh_thr_r *r, const void *data, size_t n, const char *what, lh_err *err)
{
    memset(r, 0, sizeof *r);
    r->start = r->p = data;
    r->end = r->p + n;
    r->what = what ? what : "thrift";
    r->err = err;
}

lh_rc lh_thr_corrupt(lh_thr_r *r, const char *why)
{
    return lh_errf(r->err, LH_ECORRUPT, "%s: corrupt metadata at byte %zu: %s", r->what, (size_t)(r->p - r->start),
                   why);
}

lh_rc lh_thr_uvarint(lh_thr_r *r, uint64_t *v)
{
    uint64_t x = 0;
    int shift = 0;
    for (;;) {
        uint8_t c;
        if (r->p >= r->end)
            return lh_thr_corrupt(r, "truncated varint");
        c = *r->p++;
        if (shift == 63 && (c & 0x7e))
            return lh_thr_corrupt(r, "varint overflows 64 bits");
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
        shift += 7;
        if (shift > 63)
            return lh_thr_corrupt(r, "varint too long");
    }
    *v = x;
    return LH_OK;
}

static lh_rc zz64(lh_thr_r *r, int64_t *v)
{
    uint64_t u;
    lh_rc rc = lh_thr_uvarint(r, &u);
    if (rc)
        return rc;
    *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return LH_OK;
}

lh_rc lh_thr_struct_begin(lh_thr_r *r)
{
    if (r->depth >= LH_THR_MAX_DEPTH)
        return lh_thr_corrupt(r, "structures nested too deeply");
    r->depth++;
    r->last[r->depth] = 0;
    return LH_OK;
}

void lh_thr_struct_end(lh_thr_r *r)
{
    if (r->depth > 0)
        r->depth--;
}

lh_rc lh_thr_field(lh_thr_r *r, int *type, int16_t *id)
{
    uint8_t c;
    int delta;
    if (r->p >= r->end)
        return lh_thr_corrupt(r, "truncated structure (no STOP)");
    c = *r->p++;
    *type = c & 0x0f;
    if (*type == LH_THR_STOP) {
        *id = 0;
        return LH_OK;
    }
    if (*type > LH_THR_STRUCT)
        return lh_thr_corrupt(r, "unknown field type");
    delta = c >> 4;
    if (delta) {
        *id = (int16_t)(r->last[r->depth] + delta);
    } else {
        int64_t v;
        lh_rc rc = zz64(r, &v);
        if (rc)
            return rc;
        if (v < INT16_MIN || v > INT16_MAX)
            return lh_thr_corrupt(r, "field id out of range");
        *id = (int16_t)v;
    }
    r->last[r->depth] = *id;
    return LH_OK;
}

static lh_rc need(lh_thr_r *r, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return lh_thr_corrupt(r, "value runs past the end");
    return LH_OK;
}

/* Minimum encoded size of one element of a type (for list length checks). */
static size_t min_size(int t)
{
    switch (t) {
    case LH_THR_DOUBLE:
        return 8;
    default:
        return 1;
    }
}

static lh_rc list_header(lh_thr_r *r, int *etype, size_t *count)
{
    uint8_t c;
    uint64_t n;
    lh_rc rc;
    if (r->p >= r->end)
        return lh_thr_corrupt(r, "truncated list header");
    c = *r->p++;
    *etype = c & 0x0f;
    n = c >> 4;
    if (n == 15) {
        rc = lh_thr_uvarint(r, &n);
        if (rc)
            return rc;
    }
    if (*etype == LH_THR_STOP || *etype > LH_THR_STRUCT)
        return lh_thr_corrupt(r, "bad list element type");
    if (n > (uint64_t)(r->end - r->p) / min_size(*etype))
        return lh_thr_corrupt(r, "list longer than the remaining bytes");
    *count = (size_t)n;
    return LH_OK;
}

lh_rc lh_thr_skip(lh_thr_r *r, int type)
{
    lh_rc rc = LH_OK;
    uint64_t u;
    switch (type) {
    case LH_THR_TRUE:
    case LH_THR_FALSE:
        return LH_OK;
    case LH_THR_I8:
        if ((rc = need(r, 1)))
            return rc;
        r->p++;
        return LH_OK;
    case LH_THR_I16:
    case LH_THR_I32:
    case LH_THR_I64:
        return lh_thr_uvarint(r, &u);
    case LH_THR_DOUBLE:
        if ((rc = need(r, 8)))
            return rc;
        r->p += 8;
        return LH_OK;
    case LH_THR_BINARY:
        if ((rc = lh_thr_uvarint(r, &u)))
            return rc;
        if (u > (uint64_t)(r->end - r->p))
            return lh_thr_corrupt(r, "binary longer than the remaining bytes");
        r->p += u;
        return LH_OK;
    case LH_THR_LIST:
    case LH_THR_SET: {
        int et;
        size_t n, i;
        if ((rc = list_header(r, &et, &n)))
            return rc;
        if (r->depth >= LH_THR_MAX_DEPTH)
            return lh_thr_corrupt(r, "structures nested too deeply");
        r->depth++;
        r->last[r->depth] = 0;
        for (i = 0; i < n && !rc; i++) {
            if (et == LH_THR_TRUE || et == LH_THR_FALSE)
                rc = need(r, 1) ? LH_ECORRUPT : (r->p++, LH_OK);
            else
                rc = lh_thr_skip(r, et);
        }
        r->depth--;
        return rc;
    }
    case LH_THR_MAP: {
        uint64_t n, i;
        int kt, vt;
        if ((rc = lh_thr_uvarint(r, &n)))
            return rc;
        if (n == 0)
            return LH_OK;
        if ((rc = need(r, 1)))
            return rc;
        kt = *r->p >> 4;
        vt = *r->p & 15;
        r->p++;
        if (n > (uint64_t)(r->end - r->p) / 2)
            return lh_thr_corrupt(r, "map longer than the remaining bytes");
        if (r->depth >= LH_THR_MAX_DEPTH)
            return lh_thr_corrupt(r, "structures nested too deeply");
        r->depth++;
        r->last[r->depth] = 0;
        for (i = 0; i < n && !rc; i++) {
            rc = lh_thr_skip(r, kt);
            if (!rc)
                rc = lh_thr_skip(r, vt);
        }
        r->depth--;
        return rc;
    }
    case LH_THR_STRUCT: {
        int t;
        int16_t id;
        if ((rc = lh_thr_struct_begin(r)))
            return rc;
        for (;;) {
            if ((rc = lh_thr_field(r, &t, &id)))
                return rc;
            if (t == LH_THR_STOP)
                break;
            if ((rc = lh_thr_skip(r, t)))
                return rc;
        }
        lh_thr_struct_end(r);
        return LH_OK;
    }
    default:
        return lh_thr_corrupt(r, "unknown type");
    }
}

lh_rc lh_thr_i64(lh_thr_r *r, int type, int64_t *v)
{
    if (type == LH_THR_I8) {
        if (need(r, 1))
            return LH_ECORRUPT;
        *v = (int8_t)*r->p++;
        return LH_OK;
    }
    if (type != LH_THR_I16 && type != LH_THR_I32 && type != LH_THR_I64)
        return lh_thr_corrupt(r, "expected an integer field");
    return zz64(r, v);
}

lh_rc lh_thr_i32(lh_thr_r *r, int type, int32_t *v)
{
    int64_t x = 0;
    lh_rc rc = lh_thr_i64(r, type, &x);
    if (rc)
        return rc;
    if (x < INT32_MIN || x > INT32_MAX)
        return lh_thr_corrupt(r, "i32 value out of range");
    *v = (int32_t)x;
    return LH_OK;
}

lh_rc lh_thr_elem_i32(lh_thr_r *r, int etype, int32_t *v) { return lh_thr_i32(r, etype, v); }

lh_rc lh_thr_bool(lh_thr_r *r, int type, int *v)
{
    if (type == LH_THR_TRUE || type == LH_THR_FALSE) {
        *v = type == LH_THR_TRUE;
        return LH_OK;
    }
    return lh_thr_corrupt(r, "expected a boolean field");
}

lh_rc lh_thr_binary(lh_thr_r *r, int type, const uint8_t **p, size_t *n)
{
    uint64_t u;
    lh_rc rc;
    if (type != LH_THR_BINARY)
        return lh_thr_corrupt(r, "expected a binary field");
    if ((rc = lh_thr_uvarint(r, &u)))
        return rc;
    if (u > (uint64_t)(r->end - r->p))
        return lh_thr_corrupt(r, "binary longer than the remaining bytes");
    *p = r->p;
    *n = (size_t)u;
    r->p += u;
    return LH_OK;
}

lh_rc lh_thr_list(lh_thr_r *r, int type, int *etype, size_t *count)
{
    if (type != LH_THR_LIST && type != LH_THR_SET)
        return lh_thr_corrupt(r, "expected a list field");
    return list_header(r, etype, count);
}

/* ---------------- writer ---------------- */

void lh_thr_winit(lh_thr_w *w, lh_buf *b, lh_err *err)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->err = err;
}

static lh_rc putb(lh_thr_w *w, uint8_t c) { return lh_buf_putc(w->b, (char)c, w->err); }

lh_rc lh_thr_wuvarint(lh_thr_w *w, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        if (v)
            c |= 0x80;
        tmp[n++] = c;
    } while (v);
    return lh_buf_append(w->b, tmp, n, w->err);
}

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

lh_rc lh_thr_wfield(lh_thr_w *w, int type, int16_t id)
{
    int16_t last = w->last[w->depth];
    lh_rc rc;
    if (id > last && id - last <= 15) {
        rc = putb(w, (uint8_t)(((id - last) << 4) | type));
    } else {
        rc = putb(w, (uint8_t)type);
        if (!rc)
            rc = lh_thr_wuvarint(w, zz(id));
    }
    w->last[w->depth] = id;
    return rc;
}

lh_rc lh_thr_wbool_field(lh_thr_w *w, int16_t id, int v) { return lh_thr_wfield(w, v ? LH_THR_TRUE : LH_THR_FALSE, id); }

lh_rc lh_thr_wstruct_begin(lh_thr_w *w)
{
    if (w->depth >= LH_THR_MAX_DEPTH)
        return lh_errf(w->err, LH_EINTERNAL, "thrift writer: nesting too deep");
    w->depth++;
    w->last[w->depth] = 0;
    return LH_OK;
}

lh_rc lh_thr_wstop(lh_thr_w *w)
{
    if (w->depth > 0)
        w->depth--;
    return putb(w, 0);
}

lh_rc lh_thr_wi32(lh_thr_w *w, int32_t v) { return lh_thr_wuvarint(w, zz(v)); }
lh_rc lh_thr_wi64(lh_thr_w *w, int64_t v) { return lh_thr_wuvarint(w, zz(v)); }

lh_rc lh_thr_wbinary(lh_thr_w *w, const void *p, size_t n)
{
    lh_rc rc = lh_thr_wuvarint(w, n);
    if (!rc && n)
        rc = lh_buf_append(w->b, p, n, w->err);
    return rc;
}

lh_rc lh_thr_wlist(lh_thr_w *w, int etype, size_t count)
{
    if (count < 15)
        return putb(w, (uint8_t)((count << 4) | (size_t)etype));
    lh_rc rc = putb(w, (uint8_t)(0xf0 | etype));
    if (!rc)
        rc = lh_thr_wuvarint(w, count);
    return rc;
}

lh_rc lh_thr_wf_i32(lh_thr_w *w, int16_t id, int32_t v)
{
    lh_rc rc = lh_thr_wfield(w, LH_THR_I32, id);
    return rc ? rc : lh_thr_wi32(w, v);
}

lh_rc lh_thr_wf_i64(lh_thr_w *w, int16_t id, int64_t v)
{
    lh_rc rc = lh_thr_wfield(w, LH_THR_I64, id);
    return rc ? rc : lh_thr_wi64(w, v);
}

lh_rc lh_thr_wf_bin(lh_thr_w *w, int16_t id, const void *p, size_t n)
{
    lh_rc rc = lh_thr_wfield(w, LH_THR_BINARY, id);
    return rc ? rc : lh_thr_wbinary(w, p, n);
}

lh_rc lh_thr_wf_str(lh_thr_w *w, int16_t id, const char *s) { return lh_thr_wf_bin(w, id, s, strlen(s)); }
