/* formats/codec.c — bounded decompression and compression of pages. */
#include "formats/codec.h"

#include <limits.h>
#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "formats/pq_meta.h"

const char *lh_codec_name(int codec)
{
    static const char *names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
    return codec >= 0 && codec < 8 ? names[codec] : "unknown";
}

static lh_rc gunzip(const void *src, size_t n, void *dst, size_t dst_n, const char *what, lh_err *err)
{
    z_stream z;
    int zr;
    lh_rc rc = LH_OK;
    if (n > UINT_MAX || dst_n > UINT_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: gzip page too large", what);
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return lh_errf(err, LH_ENOMEM, "%s: cannot start gzip decompression", what);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)dst_n;
    for (;;) {
        zr = inflate(&z, Z_FINISH);
        if (zr == Z_STREAM_END) {
            /* concatenated gzip members: continue while input remains */
            if (z.avail_in == 0)
                break;
            if (inflateReset(&z) != Z_OK) {
                rc = lh_errf(err, LH_ECORRUPT, "%s: bad gzip data", what);
                break;
            }
            continue;
        }
        if (zr == Z_BUF_ERROR && z.avail_out == 0) {
            rc = lh_errf(err, LH_ECORRUPT, "%s: gzip data decompresses to more than the %zu bytes the page header states",
                         what, dst_n);
            break;
        }
        if (zr == Z_MEM_ERROR) {
            rc = lh_errf(err, LH_ENOMEM, "%s: out of memory in gzip", what);
            break;
        }
        rc = lh_errf(err, LH_ECORRUPT, "%s: bad gzip data (%s)", what, z.msg ? z.msg : "truncated");
        break;
    }
    if (!rc && z.avail_out != 0)
        rc = lh_errf(err, LH_ECORRUPT, "%s: gzip data decompresses to %zu bytes, the page header states %zu", what,
                     dst_n - z.avail_out, dst_n);
    inflateEnd(&z);
    return rc;
}

lh_rc lh_codec_decompress(int codec, const void *src, size_t n, void *dst, size_t dst_n, const char *what,
                          lh_err *err)
{
    switch (codec) {
    case PQ_C_UNCOMPRESSED:
        if (n != dst_n)
            return lh_errf(err, LH_ECORRUPT, "%s: uncompressed page of %zu bytes, header states %zu", what, n, dst_n);
        if (n)
            memcpy(dst, src, n);
        return LH_OK;
    case PQ_C_SNAPPY: {
        size_t len = 0, out_n = dst_n;
        if (snappy_uncompressed_length(src, n, &len) != SNAPPY_OK)
            return lh_errf(err, LH_ECORRUPT, "%s: bad snappy data", what);
        if (len != dst_n)
            return lh_errf(err, LH_ECORRUPT, "%s: snappy data decompresses to %zu bytes, the page header states %zu",
                           what, len, dst_n);
        if (snappy_uncompress(src, n, dst, &out_n) != SNAPPY_OK || out_n != dst_n)
            return lh_errf(err, LH_ECORRUPT, "%s: bad snappy data", what);
        return LH_OK;
    }
    case PQ_C_GZIP:
        return gunzip(src, n, dst, dst_n, what, err);
    case PQ_C_ZSTD: {
        unsigned long long fcs = ZSTD_getFrameContentSize(src, n);
        size_t got;
        if (fcs == ZSTD_CONTENTSIZE_ERROR)
            return lh_errf(err, LH_ECORRUPT, "%s: bad zstd data", what);
        if (fcs != ZSTD_CONTENTSIZE_UNKNOWN && fcs > dst_n)
            return lh_errf(err, LH_ECORRUPT, "%s: zstd data decompresses to %llu bytes (frame header), the page header states %zu", what,
                           fcs, dst_n);
        got = ZSTD_decompress(dst, dst_n, src, n);
        if (ZSTD_isError(got)) {
            if (ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation)
                return lh_errf(err, LH_ENOMEM, "%s: out of memory in zstd", what);
            return lh_errf(err, LH_ECORRUPT, "%s: bad zstd data (%s)", what, ZSTD_getErrorName(got));
        }
        if (got != dst_n)
            return lh_errf(err, LH_ECORRUPT, "%s: zstd data decompresses to %zu bytes, the page header states %zu",
                           what, got, dst_n);
        return LH_OK;
    }
    default:
        return lh_errf(err, LH_EUNSUPPORTED, "%s: compression codec %s is not supported", what,
                       lh_codec_name(codec));
    }
}

lh_rc lh_codec_compress(int codec, const void *src, size_t n, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    switch (codec) {
    case PQ_C_UNCOMPRESSED:
        return lh_buf_append(out, src, n, err);
    case PQ_C_SNAPPY: {
        size_t cap = snappy_max_compressed_length(n), got = cap;
        if ((rc = lh_buf_reserve(out, cap, err)))
            return rc;
        if (snappy_compress(src, n, out->data + out->len, &got) != SNAPPY_OK)
            return lh_errf(err, LH_EINTERNAL, "snappy compression failed");
        out->len += got;
        return LH_OK;
    }
    case PQ_C_ZSTD: {
        size_t cap = ZSTD_compressBound(n), got;
        if ((rc = lh_buf_reserve(out, cap, err)))
            return rc;
        got = ZSTD_compress(out->data + out->len, cap, src, n, 3);
        if (ZSTD_isError(got))
            return lh_errf(err, ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation ? LH_ENOMEM : LH_EINTERNAL,
                           "zstd compression failed: %s", ZSTD_getErrorName(got));
        out->len += got;
        return LH_OK;
    }
    case PQ_C_GZIP: {
        z_stream z;
        size_t cap;
        int zr;
        if (n > UINT_MAX / 2)
            return lh_errf(err, LH_ELIMIT, "gzip: page too large");
        memset(&z, 0, sizeof z);
        if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return lh_errf(err, LH_ENOMEM, "gzip: cannot start compression");
        cap = deflateBound(&z, (uLong)n);
        rc = lh_buf_reserve(out, cap, err);
        if (!rc) {
            z.next_in = (Bytef *)src;
            z.avail_in = (uInt)n;
            z.next_out = (Bytef *)out->data + out->len;
            z.avail_out = (uInt)cap;
            zr = deflate(&z, Z_FINISH);
            if (zr != Z_STREAM_END)
                rc = lh_errf(err, zr == Z_MEM_ERROR ? LH_ENOMEM : LH_EINTERNAL, "gzip compression failed");
            else
                out->len += z.total_out;
        }
        deflateEnd(&z);
        return rc;
    }
    default:
        return lh_errf(err, LH_EUNSUPPORTED, "compression codec %s is not supported for writing",
                       lh_codec_name(codec));
    }
}
