/* formats/pq_meta.h — Parquet metadata structures (parquet.thrift), decoded
 * from and encoded to the Thrift compact protocol.  Only the fields the
 * reader and writer use are kept; unknown fields are skipped.
 *
 * Decoded metadata lives in an arena owned by the lh_pq_meta (one free);
 * binary fields are copied into it.  Enumerations are range-checked and
 * counts and sizes must be non-negative: violations are LH_ECORRUPT naming
 * `what` (usually the file URI).
 */
#ifndef LH_FORMATS_PQ_META_H
#define LH_FORMATS_PQ_META_H

#include <stddef.h>
#include <stdint.h>

#include "formats/thrift.h"
#include "util/err.h"
#include "util/mem.h"

/* physical types */
enum { PQ_BOOLEAN = 0, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE, PQ_BYTE_ARRAY, PQ_FLBA };
/* converted types (subset) */
enum {
    PQ_CT_UTF8 = 0, PQ_CT_MAP = 1, PQ_CT_MAP_KV = 2, PQ_CT_LIST = 3, PQ_CT_ENUM = 4, PQ_CT_DECIMAL = 5,
    PQ_CT_DATE = 6, PQ_CT_TIME_MILLIS = 7, PQ_CT_TIME_MICROS = 8, PQ_CT_TS_MILLIS = 9, PQ_CT_TS_MICROS = 10,
    PQ_CT_UINT_8 = 11, PQ_CT_UINT_16 = 12, PQ_CT_UINT_32 = 13, PQ_CT_UINT_64 = 14, PQ_CT_INT_8 = 15,
    PQ_CT_INT_16 = 16, PQ_CT_INT_32 = 17, PQ_CT_INT_64 = 18, PQ_CT_JSON = 19, PQ_CT_BSON = 20, PQ_CT_INTERVAL = 21
};
/* logical type union ids */
enum {
    PQ_LT_NONE = 0, PQ_LT_STRING = 1, PQ_LT_MAP = 2, PQ_LT_LIST = 3, PQ_LT_ENUM = 4, PQ_LT_DECIMAL = 5,
    PQ_LT_DATE = 6, PQ_LT_TIME = 7, PQ_LT_TIMESTAMP = 8, PQ_LT_INTEGER = 10, PQ_LT_UNKNOWN = 11, PQ_LT_JSON = 12,
    PQ_LT_BSON = 13, PQ_LT_UUID = 14, PQ_LT_FLOAT16 = 15
};
enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };
/* encodings */
enum {
    PQ_ENC_PLAIN = 0, PQ_ENC_PLAIN_DICT = 2, PQ_ENC_RLE = 3, PQ_ENC_BIT_PACKED = 4, PQ_ENC_DELTA_BP = 5,
    PQ_ENC_DELTA_LBA = 6, PQ_ENC_DELTA_BA = 7, PQ_ENC_RLE_DICT = 8, PQ_ENC_BSS = 9
};
/* codecs */
enum { PQ_C_UNCOMPRESSED = 0, PQ_C_SNAPPY = 1, PQ_C_GZIP = 2, PQ_C_LZO = 3, PQ_C_BROTLI = 4, PQ_C_LZ4 = 5,
       PQ_C_ZSTD = 6, PQ_C_LZ4_RAW = 7 };
/* page types */
enum { PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICT = 2, PQ_PAGE_DATA_V2 = 3 };

typedef struct pq_bin {
    const uint8_t *p;
    size_t n;
    int set;
} pq_bin;

typedef struct pq_stats {
    pq_bin max, min;             /* legacy (signed order only) */
    pq_bin max_value, min_value; /* current */
    int64_t null_count;
    int has_null_count;
    int set;
} pq_stats;

typedef struct pq_schema_el {
    int type; /* -1 for groups */
    int32_t type_length;
    int repetition; /* -1 if absent */
    char *name;
    int32_t num_children;
    int converted; /* -1 if absent */
    int32_t scale, precision;
    int lt;        /* PQ_LT_*, 0 none, other ids kept as-is */
    int lt_unit;   /* TIME/TIMESTAMP */
    int lt_utc;
    int lt_bits;   /* INTEGER */
    int lt_signed;
    int32_t lt_scale, lt_precision;
} pq_schema_el;

typedef struct pq_colmeta {
    int type;
    int codec;
    int64_t num_values, total_uncompressed, total_compressed;
    int64_t data_page_offset, dictionary_page_offset; /* dictionary_page_offset -1 if absent */
    pq_stats stats;
    char **path;
    size_t n_path;
    int32_t *encodings;
    size_t n_encodings;
    int has_meta;
} pq_colmeta;

typedef struct pq_rowgroup {
    pq_colmeta *cols;
    size_t n_cols;
    int64_t num_rows, total_byte_size;
} pq_rowgroup;

typedef struct pq_kv {
    char *key, *value; /* value may be NULL */
} pq_kv;

typedef struct lh_pq_meta {
    lh_arena arena;
    int32_t version;
    pq_schema_el *schema;
    size_t n_schema;
    int64_t num_rows;
    pq_rowgroup *rgs;
    size_t n_rgs;
    pq_kv *kv;
    size_t n_kv;
    char *created_by;
    int has_column_orders;
} lh_pq_meta;

typedef struct pq_page_header {
    int type;
    int32_t uncompressed_size, compressed_size;
    int has_crc;
    uint32_t crc;
    /* v1 data page and dictionary page share num_values/encoding */
    int32_t num_values;
    int encoding;
    int def_encoding, rep_encoding;
    /* v2 */
    int32_t num_nulls, num_rows;
    int32_t def_len, rep_len;
    int is_compressed;
    int has_sub; /* the matching sub-header was present */
} pq_page_header;

/* Decode a FileMetaData from n bytes; *out is allocated (free with
 * pq_meta_free). */
lh_rc pq_meta_decode(const void *data, size_t n, const char *what, lh_pq_meta **out, lh_err *err) LH_MUST_CHECK;
void pq_meta_free(lh_pq_meta *m);

/* Decode a PageHeader at data (at most n bytes); *used receives its size. */
lh_rc pq_page_header_decode(const void *data, size_t n, const char *what, pq_page_header *h, size_t *used,
                            lh_err *err) LH_MUST_CHECK;

/* ---- encoding (writer) ---- */
lh_rc pq_page_header_encode(lh_buf *b, const pq_page_header *h, lh_err *err) LH_MUST_CHECK;
/* stats: encodes a Statistics struct body after the caller wrote the field header. */
lh_rc pq_stats_encode(lh_thr_w *w, const pq_stats *s) LH_MUST_CHECK;
/* Encode a whole FileMetaData from m (schema, row groups with column
 * metadata, kv, created_by; column_orders written when has_column_orders). */
lh_rc pq_meta_encode(lh_buf *b, const lh_pq_meta *m, lh_err *err) LH_MUST_CHECK;

#endif
