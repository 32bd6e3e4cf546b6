/* formats/pq_encode.c — Parquet encodings: RLE hybrid, DELTA_*, BSS. */
#include "formats/pq_encode.h"

#include <string.h>

uint64_t pq_bits_get(const uint8_t *p, uint64_t bitpos, int bw)
{
    uint64_t v;
    size_t byte = (size_t)(bitpos >> 3);
    int shift = (int)(bitpos & 7), got;
    if (bw == 0)
        return 0;
    v = (uint64_t)p[byte++] >> shift;
    got = 8 - shift;
    while (got < bw) {
        v |= (uint64_t)p[byte++] << got;
        got += 8;
    }
    return bw == 64 ? v : v & (((uint64_t)1 << bw) - 1);
}

int pq_bit_width(uint64_t v)
{
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static int uleb(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
    const uint8_t *p = *pp;
    uint64_t x = 0;
    int shift = 0;
    for (;;) {
        if (p >= end || shift > 63)
            return -1;
        x |= (uint64_t)(*p & 0x7f) << shift;
        if (!(*p++ & 0x80))
            break;
        shift += 7;
    }
    *pp = p;
    *v = x;
    return 0;
}

const char *pq_rle_init(pq_rle *d, const uint8_t *p, size_t n, int bw)
{
    memset(d, 0, sizeof *d);
    if (bw < 0 || bw > 32)
        return "RLE bit width out of range";
    d->p = p;
    d->end = p + n;
    d->bw = bw;
    return NULL;
}

static const char *rle_next_run(pq_rle *d)
{
    uint64_t h;
    if (uleb(&d->p, d->end, &h))
        return "RLE data ends early";
    if (h & 1) {
        uint64_t groups = h >> 1, avail_bits, vals;
        if (groups == 0)
            return "empty bit-packed run";
        if (groups > ((uint64_t)1 << 40))
            return "bit-packed run too long";
        avail_bits = (uint64_t)(d->end - d->p) * 8;
        vals = groups * 8;
        /* a final run may be cut short: keep what the bytes hold */
        if (d->bw && vals * (uint64_t)d->bw > avail_bits)
            vals = avail_bits / (uint64_t)d->bw;
        d->lit = d->p;
        d->lit_bit = 0;
        d->lit_left = vals;
        d->p += d->bw ? ((groups * (uint64_t)d->bw) > (uint64_t)(d->end - d->p) ? (uint64_t)(d->end - d->p)
                                                                                : groups * (uint64_t)d->bw)
                      : 0;
        if (vals == 0)
            return "RLE data ends early";
    } else {
        size_t nb = ((size_t)d->bw + 7) / 8, i;
        uint64_t v = 0;
        d->rep_left = h >> 1;
        if (d->rep_left == 0)
            return "empty RLE run";
        if ((size_t)(d->end - d->p) < nb)
            return "RLE data ends early";
        for (i = 0; i < nb; i++)
            v |= (uint64_t)d->p[i] << (8 * i);
        d->p += nb;
        if (d->bw < 32 && v >> d->bw)
            return "RLE run value wider than the bit width";
        d->rep_val = v;
    }
    return NULL;
}

const char *pq_rle_get(pq_rle *d, uint32_t *out, size_t count)
{
    size_t i = 0;
    const char *e;
    while (i < count) {
        if (d->rep_left) {
            size_t k = count - i;
            if (k > d->rep_left)
                k = (size_t)d->rep_left;
            for (size_t j = 0; j < k; j++)
                out[i + j] = (uint32_t)d->rep_val;
            i += k;
            d->rep_left -= k;
        } else if (d->lit_left) {
            size_t k = count - i;
            if (k > d->lit_left)
                k = (size_t)d->lit_left;
            for (size_t j = 0; j < k; j++) {
                out[i + j] = (uint32_t)pq_bits_get(d->lit, d->lit_bit, d->bw);
                d->lit_bit += (uint64_t)d->bw;
            }
            i += k;
            d->lit_left -= k;
        } else {
            if ((e = rle_next_run(d)))
                return e;
        }
    }
    return NULL;
}

/* ---- encoder ---- */

static lh_rc put_uleb(lh_buf *out, uint64_t v, lh_err *err)
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
    return lh_buf_append(out, tmp, n, err);
}

static lh_rc put_literals(lh_buf *out, const uint32_t *vals, size_t count, int bw, lh_err *err)
{
    size_t groups = (count + 7) / 8, nbytes = groups * (size_t)bw, i;
    uint8_t *dst;
    lh_rc rc;
    if (count == 0)
        return LH_OK;
    if ((rc = put_uleb(out, ((uint64_t)groups << 1) | 1, err)))
        return rc;
    if ((rc = lh_buf_reserve(out, nbytes, err)))
        return rc;
    dst = (uint8_t *)out->data + out->len;
    memset(dst, 0, nbytes);
    {
        /* LSB-first bit packing through a 64-bit accumulator: bw <= 32 and
         * fewer than 8 bits wait, so it never overflows.  (A bit-at-a-time
         * loop here was 7% of writing the STEDI ML table.) */
        uint64_t acc = 0, mask = bw >= 32 ? 0xffffffffu : (((uint64_t)1 << bw) - 1);
        int nbits = 0;
        uint8_t *p = dst;
        for (i = 0; i < count; i++) {
            acc |= ((uint64_t)vals[i] & mask) << nbits;
            nbits += bw;
            while (nbits >= 8) {
                *p++ = (uint8_t)acc;
                acc >>= 8;
                nbits -= 8;
            }
        }
        if (nbits > 0)
            *p = (uint8_t)acc;
    }
    out->len += nbytes;
    return LH_OK;
}

lh_rc pq_rle_encode(lh_buf *out, const uint32_t *vals, size_t count, int bw, lh_err *err)
{
    size_t i = 0, lit = 0, nb = ((size_t)bw + 7) / 8;
    lh_rc rc;
    while (i < count) {
        size_t run = 1;
        while (i + run < count && vals[i + run] == vals[i])
            run++;
        if (run >= 8 && (i - lit) % 8 == 0) {
            uint8_t tmp[4];
            if ((rc = put_literals(out, vals + lit, i - lit, bw, err)))
                return rc;
            if ((rc = put_uleb(out, (uint64_t)run << 1, err)))
                return rc;
            for (size_t k = 0; k < nb; k++)
                tmp[k] = (uint8_t)(vals[i] >> (8 * k));
            if ((rc = lh_buf_append(out, tmp, nb, err)))
                return rc;
            i += run;
            lit = i;
        } else if (run >= 8) {
            i += 8 - (i - lit) % 8;
        } else {
            i += run;
        }
    }
    return put_literals(out, vals + lit, count - lit, bw, err);
}

/* ---- DELTA_BINARY_PACKED ---- */

const char *pq_delta_bp_decode(const uint8_t *p, size_t n, size_t count, int is32, int64_t *out, size_t *used)
{
    const uint8_t *q = p, *end = p + n;
    uint64_t block, nmb, total, zz, mbsize, last;
    size_t got = 0;
    if (uleb(&q, end, &block) || uleb(&q, end, &nmb) || uleb(&q, end, &total) || uleb(&q, end, &zz))
        return "DELTA_BINARY_PACKED header truncated";
    if (block == 0 || block % 128 || block > ((uint64_t)1 << 24))
        return "DELTA_BINARY_PACKED block size invalid";
    if (nmb == 0 || block % nmb || (block / nmb) % 32)
        return "DELTA_BINARY_PACKED miniblock count invalid";
    if (total != count)
        return "DELTA_BINARY_PACKED value count disagrees with the page";
    mbsize = block / nmb;
    last = (zz >> 1) ^ -(zz & 1);
    if (count) {
        out[0] = is32 ? (int64_t)(int32_t)(uint32_t)last : (int64_t)last;
        got = 1;
    }
    while (got < count) {
        uint64_t mzz, mind;
        const uint8_t *widths;
        if (uleb(&q, end, &mzz))
            return "DELTA_BINARY_PACKED block truncated";
        mind = (mzz >> 1) ^ -(mzz & 1);
        if ((uint64_t)(end - q) < nmb)
            return "DELTA_BINARY_PACKED block truncated";
        widths = q;
        q += nmb;
        for (uint64_t m = 0; m < nmb && got < count; m++) {
            int bw = widths[m];
            uint64_t nbytes;
            if (bw > 64)
                return "DELTA_BINARY_PACKED bit width above 64";
            nbytes = mbsize * (uint64_t)bw / 8;
            if ((uint64_t)(end - q) < nbytes)
                return "DELTA_BINARY_PACKED miniblock truncated";
            for (uint64_t k = 0; k < mbsize && got < count; k++) {
                uint64_t d = pq_bits_get(q, k * (uint64_t)bw, bw);
                last = last + mind + d;
                out[got++] = is32 ? (int64_t)(int32_t)(uint32_t)last : (int64_t)last;
            }
            q += nbytes;
        }
    }
    *used = (size_t)(q - p);
    return NULL;
}

const char *pq_delta_lba_decode(const uint8_t *p, size_t n, size_t count, pq_ba *out, int64_t *tmp, size_t *used)
{
    size_t u = 0, i;
    const char *e = pq_delta_bp_decode(p, n, count, 1, tmp, &u);
    const uint8_t *q;
    if (e)
        return e;
    q = p + u;
    for (i = 0; i < count; i++) {
        if (tmp[i] < 0)
            return "DELTA_LENGTH_BYTE_ARRAY negative length";
        if ((uint64_t)tmp[i] > (uint64_t)(p + n - q))
            return "DELTA_LENGTH_BYTE_ARRAY data truncated";
        out[i].p = q;
        out[i].n = (uint32_t)tmp[i];
        q += tmp[i];
    }
    *used = (size_t)(q - p);
    return NULL;
}

const char *pq_delta_ba_decode(const uint8_t *p, size_t n, size_t count, pq_ba *out, int64_t *tmp1, int64_t *tmp2,
                               lh_buf *store)
{
    size_t u1 = 0, u2 = 0, i;
    uint64_t total = 0, prev = 0;
    const char *e = pq_delta_bp_decode(p, n, count, 1, tmp1, &u1);
    uint8_t *dst;
    size_t base;
    if (e)
        return e;
    e = pq_delta_lba_decode(p + u1, n - u1, count, out, tmp2, &u2);
    if (e)
        return e;
    for (i = 0; i < count; i++) {
        if (tmp1[i] < 0 || (uint64_t)tmp1[i] > prev)
            return "DELTA_BYTE_ARRAY prefix longer than the previous value";
        prev = (uint64_t)tmp1[i] + out[i].n;
        if (prev > UINT32_MAX)
            return "DELTA_BYTE_ARRAY value too long";
        total += prev;
        if (total > ((uint64_t)1 << 30))
            return "DELTA_BYTE_ARRAY values exceed 1 GiB";
    }
    if (lh_buf_reserve(store, (size_t)total + 1, NULL))
        return "DELTA_BYTE_ARRAY values do not fit in memory";
    base = store->len;
    dst = (uint8_t *)store->data + base;
    for (i = 0; i < count; i++) {
        size_t pl = (size_t)tmp1[i];
        if (pl)
            memcpy(dst, out[i - 1].p, pl); /* i > 0 here since prefix <= prev (0 at i = 0) */
        if (out[i].n)
            memcpy(dst + pl, out[i].p, out[i].n);
        out[i].p = dst;
        out[i].n = (uint32_t)(pl + out[i].n);
        dst += out[i].n;
    }
    store->len = base + (size_t)total;
    return NULL;
}

const char *pq_bss_decode(const uint8_t *p, size_t n, size_t count, size_t k, uint8_t *out)
{
    if (k == 0 || count > n / k)
        return "BYTE_STREAM_SPLIT data truncated";
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < count; i++)
            out[i * k + j] = p[j * count + i];
    return NULL;
}
