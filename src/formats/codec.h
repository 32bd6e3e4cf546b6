/* formats/codec.h — page compression for Parquet: UNCOMPRESSED, SNAPPY
 * (libsnappy C API), GZIP (zlib) and ZSTD (libzstd).
 *
 * Decompression is always bounded: the caller passes the exact size the
 * page header promises (capped by LH_PQ_MAX_PAGE before the call), the
 * output never grows past it, and output of any other length (more, as in
 * a decompression bomb, or less) is LH_ECORRUPT naming `what`.  Codecs
 * other than these are LH_EUNSUPPORTED.
 */
#ifndef LH_FORMATS_CODEC_H
#define LH_FORMATS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

/* codec: parquet CompressionCodec number (PQ_C_*). */
lh_rc lh_codec_decompress(int codec, const void *src, size_t n, void *dst, size_t dst_n, const char *what,
                          lh_err *err) LH_MUST_CHECK;
/* Append the compressed form of src to out. */
lh_rc lh_codec_compress(int codec, const void *src, size_t n, lh_buf *out, lh_err *err) LH_MUST_CHECK;
const char *lh_codec_name(int codec);

#endif
