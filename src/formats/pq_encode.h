/* formats/pq_encode.h — Parquet value encodings (Encodings.md):
 * RLE/bit-packed hybrid (levels, dictionary indices, booleans),
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT decoders, and the RLE/bit-packed hybrid encoder.
 *
 * Decoders never read outside [p, p+n).  They return NULL on success or a
 * static message saying what is wrong with the data (the caller turns it
 * into LH_ECORRUPT naming the file and column).
 */
#ifndef LH_FORMATS_PQ_ENCODE_H
#define LH_FORMATS_PQ_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

typedef struct pq_ba {
    const uint8_t *p;
    uint32_t n;
} pq_ba;

/* ---- RLE/bit-packed hybrid decoder ---- */
typedef struct pq_rle {
    const uint8_t *p, *end;
    int bw;
    uint64_t rep_left; /* values left in the current RLE run */
    uint64_t rep_val;
    uint64_t lit_left;   /* values left in the current bit-packed run */
    const uint8_t *lit;  /* start of the bit-packed run */
    uint64_t lit_bit;    /* bit offset of the next value */
} pq_rle;

/* bw: 0..32.  Returns NULL or an error message. */
const char *pq_rle_init(pq_rle *d, const uint8_t *p, size_t n, int bw);
/* Decode exactly count values into out. */
const char *pq_rle_get(pq_rle *d, uint32_t *out, size_t count);

/* Read bw (0..64) bits at bit offset bitpos of p (caller checked bounds). */
uint64_t pq_bits_get(const uint8_t *p, uint64_t bitpos, int bw);
/* Number of bits needed for v (0 for 0). */
int pq_bit_width(uint64_t v);

/* ---- RLE/bit-packed hybrid encoder: appends the encoding of vals ---- */
lh_rc pq_rle_encode(lh_buf *out, const uint32_t *vals, size_t count, int bw, lh_err *err) LH_MUST_CHECK;

/* ---- DELTA_BINARY_PACKED: decodes exactly count values (the header's
 * total must equal count); *used receives the bytes consumed.  is32 wraps
 * the results to 32 bits. ---- */
const char *pq_delta_bp_decode(const uint8_t *p, size_t n, size_t count, int is32, int64_t *out, size_t *used);

/* DELTA_LENGTH_BYTE_ARRAY: out[i] points into p.  tmp: count int64s. */
const char *pq_delta_lba_decode(const uint8_t *p, size_t n, size_t count, pq_ba *out, int64_t *tmp, size_t *used);

/* DELTA_BYTE_ARRAY: the values are materialised in store (appended; its cap
 * bounds the output); out[i] points into store.  tmp1/tmp2: count int64s. */
const char *pq_delta_ba_decode(const uint8_t *p, size_t n, size_t count, pq_ba *out, int64_t *tmp1, int64_t *tmp2,
                               lh_buf *store);

/* BYTE_STREAM_SPLIT: count values of width k bytes into out (count*k bytes). */
const char *pq_bss_decode(const uint8_t *p, size_t n, size_t count, size_t k, uint8_t *out);

#endif
