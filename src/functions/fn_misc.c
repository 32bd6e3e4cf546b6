/* functions/fn_misc.c — binary, bitwise and statistical functions Athena
 * queries use (functions/binary.md, bitwise.md, math.md), listed in
 * lh_fns_misc[]:
 *
 *   to_base64, to_base64url (varbinary -> varchar), from_base64,
 *   from_base64url (varchar -> varbinary; java.util.Base64's decoder:
 *   padding optional; "Illegal base64 character 21", "Input byte array
 *   has wrong 4-byte ending unit", "Last unit does not have enough valid bits")
 *   sha1, sha256, sha512 (varbinary, OpenSSL EVP), crc32 (bigint),
 *   xxhash64 (8 bytes, big-endian, seed 0)
 *   bitwise_and/or/xor(bigint, bigint), bitwise_not(bigint),
 *   bit_count(x, bits), bitwise_left_shift/right_shift/right_shift_arithmetic
 *   (tinyint..bigint, bigint shift: Trino's masks)
 *   normal_cdf(mean, sd, v), inverse_normal_cdf(mean, sd, p),
 *   wilson_interval_lower/upper(successes, trials, z) with Trino's checks
 *   hmac_md5/sha1/sha256/sha512(data, key); to/from_big_endian_64/32,
 *   to/from_ieee754_64/32 ("expected 8-byte input, but got instead: 3",
 *   "Input floating-point value must be exactly 4 bytes long")
 * NULL in, NULL out; argument errors LH_EINVAL.  State: the EVP digest
 * context of the sha functions (init/done).
 */
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_strutil.h"
#include "functions/scalar.h"
#include "util/mem.h"

/* ---- base64 ---- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64U[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static lh_rc to_b64(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, const char *al, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        size_t n, m, k, j = 0;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = (const unsigned char *)lh_str_ptr(s), n = lh_str_len(s);
        m = (n + 2) / 3 * 4;
        if (!(d = out_begin(c, &b, m, err)))
            return err ? err->code : LH_ENOMEM;
        for (k = 0; k + 3 <= n; k += 3) {
            uint32_t v = (uint32_t)p[k] << 16 | (uint32_t)p[k + 1] << 8 | p[k + 2];
            d[j++] = al[v >> 18], d[j++] = al[v >> 12 & 63], d[j++] = al[v >> 6 & 63], d[j++] = al[v & 63];
        }
        if (n - k == 1) {
            uint32_t v = (uint32_t)p[k] << 16;
            d[j++] = al[v >> 18], d[j++] = al[v >> 12 & 63], d[j++] = '=', d[j++] = '=';
        } else if (n - k == 2) {
            uint32_t v = (uint32_t)p[k] << 16 | (uint32_t)p[k + 1] << 8;
            d[j++] = al[v >> 18], d[j++] = al[v >> 12 & 63], d[j++] = al[v >> 6 & 63], d[j++] = '=';
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

static int b64_val(unsigned char ch, int url)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == (url ? '-' : '+'))
        return 62;
    if (ch == (url ? '_' : '/'))
        return 63;
    return -1;
}

static lh_rc from_b64(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, int url, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        size_t n, k, j = 0, end;
        uint32_t acc = 0;
        int bits = 0;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = (const unsigned char *)lh_str_ptr(s), n = lh_str_len(s);
        /* data ends at the first '=' */
        for (end = 0; end < n && p[end] != '='; end++)
            if (b64_val(p[end], url) < 0)
                return lh_errf(err, LH_EINVAL, "Illegal base64 character %x", p[end]);
        if (end < n) { /* padding: "=" or "==" completing the last unit, nothing after */
            size_t pads = n - end, rem = end % 4;
            if (!((rem == 2 && pads == 2 && p[end + 1] == '=') || (rem == 3 && pads == 1)))
                return lh_errf(err, LH_EINVAL, "Input byte array has wrong 4-byte ending unit");
        } else if (end % 4 == 1)
            return lh_errf(err, LH_EINVAL, "Last unit does not have enough valid bits");
        if (!(d = out_begin(c, &b, end * 3 / 4, err)))
            return err ? err->code : LH_ENOMEM;
        for (k = 0; k < end; k++) {
            acc = acc << 6 | (uint32_t)b64_val(p[k], url);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                d[j++] = (char)(acc >> bits & 0xFF);
            }
        }
        b.n = j;
        out_end(out, row, &b);
    }
    return LH_OK;
}

static lh_rc f_to_b64(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return to_b64(c, a, o, r, B64, e); }
static lh_rc f_to_b64u(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return to_b64(c, a, o, r, B64U, e); }
static lh_rc f_from_b64(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return from_b64(c, a, o, r, 0, e); }
static lh_rc f_from_b64u(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return from_b64(c, a, o, r, 1, e); }

/* ---- digests ---- */

static lh_rc sha_init(lh_fn_call *c, lh_vector *const *k, lh_err *err)
{
    (void)k;
    if (!(c->state = EVP_MD_CTX_new()))
        return lh_errf(err, LH_ENOMEM, "out of memory starting a digest");
    return LH_OK;
}
static void sha_done(lh_fn_call *c)
{
    EVP_MD_CTX_free(c->state);
    c->state = NULL;
}
static lh_rc digest(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, const EVP_MD *md, lh_err *err)
{
    EVP_MD_CTX *ctx = c->state;
    if (!ctx)
        return lh_errf(err, LH_EINTERNAL, "digest evaluated before init");
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        unsigned char h[EVP_MAX_MD_SIZE];
        unsigned hn = 0;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, lh_str_ptr(s), lh_str_len(s)) != 1 ||
            EVP_DigestFinal_ex(ctx, h, &hn) != 1)
            return lh_errf(err, LH_ENOMEM, "digest failed");
        if ((rc = put_str(c, out, row, (const char *)h, hn, err)))
            return rc;
    }
    return LH_OK;
}
static lh_rc f_sha1(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return digest(c, a, o, r, EVP_sha1(), e); }
static lh_rc f_sha256(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return digest(c, a, o, r, EVP_sha256(), e); }
static lh_rc f_sha512(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return digest(c, a, o, r, EVP_sha512(), e); }

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t k = 0; k < n; k++) {
        c ^= p[k];
        for (int b = 0; b < 8; b++)
            c = c >> 1 ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}
static lh_rc f_crc32(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        out_i64(out, row, crc32_of((const unsigned char *)lh_str_ptr(s), lh_str_len(s)));
    }
    return LH_OK;
}

/* xxHash64, seed 0 (the published algorithm) */
#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL
static inline uint64_t rotl64(uint64_t x, int r) { return x << r | x >> (64 - r); }
static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v; /* little-endian hosts */
}
static inline uint32_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline uint64_t xround(uint64_t acc, uint64_t in) { return rotl64(acc + in * P2, 31) * P1; }
static inline uint64_t xmerge(uint64_t acc, uint64_t v) { return (acc ^ xround(0, v)) * P1 + P4; }
static uint64_t xxh64(const unsigned char *p, size_t n)
{
    const unsigned char *e = p + n;
    uint64_t h;
    if (n >= 32) {
        uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;
        do {
            v1 = xround(v1, rd64(p)), v2 = xround(v2, rd64(p + 8));
            v3 = xround(v3, rd64(p + 16)), v4 = xround(v4, rd64(p + 24));
            p += 32;
        } while (p + 32 <= e);
        h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
        h = xmerge(h, v1), h = xmerge(h, v2), h = xmerge(h, v3), h = xmerge(h, v4);
    } else
        h = P5;
    h += n;
    for (; p + 8 <= e; p += 8)
        h = rotl64(h ^ xround(0, rd64(p)), 27) * P1 + P4;
    if (p + 4 <= e) {
        h = rotl64(h ^ (uint64_t)rd32(p) * P1, 23) * P2 + P3;
        p += 4;
    }
    for (; p < e; p++)
        h = rotl64(h ^ *p * P5, 11) * P1;
    h ^= h >> 33, h *= P2, h ^= h >> 29, h *= P3, h ^= h >> 32;
    return h;
}
static lh_rc f_xxhash64(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        uint64_t h;
        char o[8];
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        h = xxh64((const unsigned char *)lh_str_ptr(s), lh_str_len(s));
        for (int k = 0; k < 8; k++)
            o[k] = (char)(h >> (56 - 8 * k));
        if ((rc = put_str(c, out, row, o, 8, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- bitwise ---- */

static inline int64_t ival(const lh_vector *v, uint32_t row)
{
    uint32_t r = vrow(v, row);
    switch (v->phys) {
    case LH_P_I8:
        return ((const int8_t *)v->data)[r];
    case LH_P_I16:
        return ((const int16_t *)v->data)[r];
    case LH_P_I32:
        return ((const int32_t *)v->data)[r];
    default:
        return ((const int64_t *)v->data)[r];
    }
}
static inline void iset(lh_vector *v, uint32_t row, int64_t x)
{
    switch (v->phys) {
    case LH_P_I8:
        ((int8_t *)v->data)[row] = (int8_t)x;
        break;
    case LH_P_I16:
        ((int16_t *)v->data)[row] = (int16_t)x;
        break;
    case LH_P_I32:
        ((int32_t *)v->data)[row] = (int32_t)x;
        break;
    default:
        ((int64_t *)v->data)[row] = x;
        break;
    }
    out_valid(v, row);
}

enum bop { B_AND, B_OR, B_XOR, B_NOT, B_SHL, B_SHR, B_SAR };

static lh_rc bitwise(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, enum bop op, lh_err *err)
{
    int bits = out->phys == LH_P_I8 ? 8 : out->phys == LH_P_I16 ? 16 : out->phys == LH_P_I32 ? 32 : 64;
    (void)err;
    FN_ROWS(rows, i, row)
    {
        int64_t x, y = 0, r;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        x = ival(a[0], row);
        if (c->nargs > 1)
            y = ival(a[1], row);
        switch (op) {
        case B_AND:
            r = x & y;
            break;
        case B_OR:
            r = x | y;
            break;
        case B_XOR:
            r = x ^ y;
            break;
        case B_NOT:
            r = ~x;
            break;
        case B_SHL: /* Trino: shift >= width gives 0 */
            r = y < 0 || y >= bits ? 0 : (int64_t)((uint64_t)x << y);
            break;
        case B_SHR: { /* logical, on the type's width */
            uint64_t m = bits == 64 ? ~0ULL : (1ULL << bits) - 1, u = (uint64_t)x & m;
            r = y < 0 || y >= bits ? 0 : (int64_t)(u >> y);
            break;
        }
        default: /* arithmetic */
            r = y < 0 || y >= bits ? (x < 0 ? -1 : 0) : x >> y;
            break;
        }
        iset(out, row, r); /* narrowed to the type's width, as Trino's casts */
    }
    return LH_OK;
}
#define BW(NAME, OP)                                                                                                   \
    static lh_rc NAME(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e)                                \
    {                                                                                                                  \
        return bitwise(c, a, o, r, OP, e);                                                                             \
    }
BW(f_band, B_AND)
BW(f_bor, B_OR)
BW(f_bxor, B_XOR)
BW(f_bnot, B_NOT)
BW(f_shl, B_SHL)
BW(f_shr, B_SHR)
BW(f_sar, B_SAR)

static lh_rc f_bit_count(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    FN_ROWS(rows, i, row)
    {
        int64_t x, bits;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        x = iarg(a[0], row), bits = iarg(a[1], row);
        if (bits < 2 || bits > 64)
            return lh_errf(err, LH_EINVAL, "Bits specified in bit_count must be between 2 and 64, got %lld",
                           (long long)bits);
        if (bits < 64) {
            int64_t lo = -((int64_t)1 << (bits - 1)), hi = ((int64_t)1 << (bits - 1)) - 1;
            if (x < lo || x > hi)
                return lh_errf(err, LH_EINVAL, "Number must be representable with the bits specified. %lld cannot "
                               "be represented with %lld bits", (long long)x, (long long)bits);
        }
        out_i64(out, row,
                __builtin_popcountll((uint64_t)x & (bits == 64 ? ~0ULL : (1ULL << bits) - 1)));
    }
    return LH_OK;
}

/* ---- normal distribution ---- */

/* Acklam's rational approximation refined by one Halley step */
static double inv_std_normal(double p)
{
    static const double A[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double B[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01,  -1.328068155288572e+01};
    static const double C[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double D[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    double q, r, x, e, u;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
            ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        q = p - 0.5;
        r = q * q;
        x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
            (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    } else {
        q = sqrt(-2 * log(1 - p));
        x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
            ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
    e = 0.5 * erfc(-x / sqrt(2)) - p;
    u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

static lh_rc normal(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, int inverse, lh_err *err)
{
    (void)c;
    FN_ROWS(rows, i, row)
    {
        double m, sd, v;
        if (args_null(a, 3, row)) {
            out_null(out, row);
            continue;
        }
        m = ((const double *)a[0]->data)[vrow(a[0], row)];
        sd = ((const double *)a[1]->data)[vrow(a[1], row)];
        v = ((const double *)a[2]->data)[vrow(a[2], row)];
        if (inverse) {
            if (!(v > 0 && v < 1))
                return lh_errf(err, LH_EINVAL, "p must be 0 > p > 1");
            if (!(sd > 0))
                return lh_errf(err, LH_EINVAL, "sd must be > 0");
            ((double *)out->data)[row] = m + sd * inv_std_normal(v);
        } else {
            if (!(sd > 0))
                return lh_errf(err, LH_EINVAL, "standardDeviation must be > 0");
            ((double *)out->data)[row] = 0.5 * erfc(-(v - m) / (sd * sqrt(2)));
        }
        out_valid(out, row);
    }
    return LH_OK;
}
static lh_rc f_normal_cdf(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return normal(c, a, o, r, 0, e); }
static lh_rc f_inv_normal(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return normal(c, a, o, r, 1, e); }

/* ---- hmac, big endian, IEEE 754 ---- */

static lh_rc hmac(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, const EVP_MD *md, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *k;
        unsigned char h[EVP_MAX_MD_SIZE];
        unsigned hn = 0;
        lh_rc rc;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row), k = sarg(a[1], row);
        if (!HMAC(md, lh_str_len(k) ? lh_str_ptr(k) : "", (int)lh_str_len(k), (const unsigned char *)lh_str_ptr(s),
                  lh_str_len(s), h, &hn))
            return lh_errf(err, LH_ENOMEM, "hmac failed");
        if ((rc = put_str(c, out, row, (const char *)h, hn, err)))
            return rc;
    }
    return LH_OK;
}
static lh_rc f_hmac_md5(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return hmac(c, a, o, r, EVP_md5(), e); }
static lh_rc f_hmac_sha1(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return hmac(c, a, o, r, EVP_sha1(), e); }
static lh_rc f_hmac_sha256(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return hmac(c, a, o, r, EVP_sha256(), e); }
static lh_rc f_hmac_sha512(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return hmac(c, a, o, r, EVP_sha512(), e); }

/* to_big_endian_64/32, to_ieee754_64/32: the value's bytes, most significant first */
static lh_rc to_bytes(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int w = a[0]->phys == LH_P_I32 || a[0]->phys == LH_P_F32 ? 4 : 8;
    FN_ROWS(rows, i, row)
    {
        uint64_t u;
        char o[8];
        uint32_t r;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        r = vrow(a[0], row);
        if (w == 4) {
            uint32_t v;
            memcpy(&v, (const char *)a[0]->data + (size_t)r * 4, 4);
            u = v;
        } else
            memcpy(&u, (const char *)a[0]->data + (size_t)r * 8, 8);
        for (int k = 0; k < w; k++)
            o[k] = (char)(u >> (8 * (w - 1 - k)));
        if ((rc = put_str(c, out, row, o, (size_t)w, err)))
            return rc;
    }
    return LH_OK;
}

static lh_rc from_bytes(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int w = out->phys == LH_P_I32 || out->phys == LH_P_F32 ? 4 : 8, flt = out->phys == LH_P_F32 || out->phys == LH_P_F64;
    (void)c;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        uint64_t u = 0;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (lh_str_len(s) != (uint32_t)w) {
            if (flt)
                return lh_errf(err, LH_EINVAL, "Input floating-point value must be exactly %d bytes long", w);
            return lh_errf(err, LH_EINVAL, "expected %d-byte input, but got instead: %u", w, lh_str_len(s));
        }
        p = (const unsigned char *)lh_str_ptr(s);
        for (int k = 0; k < w; k++)
            u = u << 8 | p[k];
        if (w == 4) {
            uint32_t v = (uint32_t)u;
            memcpy((char *)out->data + (size_t)row * 4, &v, 4);
        } else
            memcpy((char *)out->data + (size_t)row * 8, &u, 8);
        out_valid(out, row);
    }
    return LH_OK;
}

/* ---- wilson_interval_lower / upper ---- */

static lh_rc wilson(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, int upper, lh_err *err)
{
    (void)c;
    FN_ROWS(rows, i, row)
    {
        int64_t s, n;
        double z, p, z2, mid, half;
        if (args_null(a, 3, row)) {
            out_null(out, row);
            continue;
        }
        s = iarg(a[0], row), n = iarg(a[1], row);
        z = ((const double *)a[2]->data)[vrow(a[2], row)];
        if (s < 0)
            return lh_errf(err, LH_EINVAL, "number of successes must not be negative");
        if (n <= 0)
            return lh_errf(err, LH_EINVAL, "number of trials must be positive");
        if (s > n)
            return lh_errf(err, LH_EINVAL, "number of successes must not be larger than number of trials");
        if (z < 0)
            return lh_errf(err, LH_EINVAL, "z-score must not be negative");
        p = (double)s / (double)n;
        z2 = z * z;
        mid = p + z2 / (2.0 * (double)n);
        half = z * sqrt(p * (1 - p) / (double)n + z2 / (4.0 * (double)n * (double)n));
        ((double *)out->data)[row] = (upper ? mid + half : mid - half) / (1 + z2 / (double)n);
        out_valid(out, row);
    }
    return LH_OK;
}
static lh_rc f_wilson_lo(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return wilson(c, a, o, r, 0, e); }
static lh_rc f_wilson_hi(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e) { return wilson(c, a, o, r, 1, e); }

/* ---- accepts ---- */

static int acc_bin_str(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_bin(t[0]) && ty_str(r); }
static int acc_str_bin(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_bin(r); }
static int acc_bin_bin(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_bin(t[0]) && ty_bin(r); }
static int acc_bin_big(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_bin(t[0]) && ty_big(r); }
static int acc_big2(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_big(t[0]) && ty_big(t[1]) && ty_big(r);
}
static int acc_big1(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_big(t[0]) && ty_big(r); }
static int acc_shift(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && lh_sqltype_is_integer(t[0]) && ty_big(t[1]) && r.id == t[0].id;
}
static int acc_d3(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 3 && t[0].id == LH_SQL_DOUBLE && t[1].id == LH_SQL_DOUBLE && t[2].id == LH_SQL_DOUBLE &&
           r.id == LH_SQL_DOUBLE;
}

static int acc_hmac(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_bin(t[0]) && ty_bin(t[1]) && ty_bin(r);
}
static int acc_to_bytes(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && (t[0].id == LH_SQL_BIGINT || t[0].id == LH_SQL_INTEGER || t[0].id == LH_SQL_REAL ||
                      t[0].id == LH_SQL_DOUBLE) && ty_bin(r);
}
static int acc_from_bytes(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ty_bin(t[0]) &&
           (r.id == LH_SQL_BIGINT || r.id == LH_SQL_INTEGER || r.id == LH_SQL_REAL || r.id == LH_SQL_DOUBLE);
}
static int acc_wilson(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 3 && ty_big(t[0]) && ty_big(t[1]) && t[2].id == LH_SQL_DOUBLE && r.id == LH_SQL_DOUBLE;
}

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_misc[] = {
    E("to_base64", acc_bin_str, f_to_b64),
    E("to_base64url", acc_bin_str, f_to_b64u),
    E("from_base64", acc_str_bin, f_from_b64),
    E("from_base64url", acc_str_bin, f_from_b64u),
    E("from_base64", acc_bin_bin, f_from_b64),
    E("from_base64url", acc_bin_bin, f_from_b64u),
    {"sha1", acc_bin_bin, {"sha1", sha_init, f_sha1, sha_done}},
    {"sha256", acc_bin_bin, {"sha256", sha_init, f_sha256, sha_done}},
    {"sha512", acc_bin_bin, {"sha512", sha_init, f_sha512, sha_done}},
    E("crc32", acc_bin_big, f_crc32),
    E("xxhash64", acc_bin_bin, f_xxhash64),
    E("bitwise_and", acc_big2, f_band),
    E("bitwise_or", acc_big2, f_bor),
    E("bitwise_xor", acc_big2, f_bxor),
    E("bitwise_not", acc_big1, f_bnot),
    E("bit_count", acc_big2, f_bit_count),
    E("bitwise_left_shift", acc_shift, f_shl),
    E("bitwise_right_shift", acc_shift, f_shr),
    E("bitwise_right_shift_arithmetic", acc_shift, f_sar),
    E("hmac_md5", acc_hmac, f_hmac_md5),
    E("hmac_sha1", acc_hmac, f_hmac_sha1),
    E("hmac_sha256", acc_hmac, f_hmac_sha256),
    E("hmac_sha512", acc_hmac, f_hmac_sha512),
    E("to_big_endian_64", acc_to_bytes, to_bytes),
    E("to_big_endian_32", acc_to_bytes, to_bytes),
    E("to_ieee754_64", acc_to_bytes, to_bytes),
    E("to_ieee754_32", acc_to_bytes, to_bytes),
    E("from_big_endian_64", acc_from_bytes, from_bytes),
    E("from_big_endian_32", acc_from_bytes, from_bytes),
    E("from_ieee754_64", acc_from_bytes, from_bytes),
    E("from_ieee754_32", acc_from_bytes, from_bytes),
    E("wilson_interval_lower", acc_wilson, f_wilson_lo),
    E("wilson_interval_upper", acc_wilson, f_wilson_hi),
    E("normal_cdf", acc_d3, f_normal_cdf),
    E("inverse_normal_cdf", acc_d3, f_inv_normal),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
