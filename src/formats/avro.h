/* formats/avro.h — Apache Avro 1.11: schemas, a value tree, the binary
 * encoding and object container files (what Iceberg manifests and
 * manifest lists are).  See docs/avro.md.
 *
 * Schema.  lh_avro_schema_parse() reads schema JSON (jansson) into an
 * immutable tree of nodes owned by the lh_avro_schema; every node pointer
 * stays valid until lh_avro_schema_free().  Unknown attributes (field-id,
 * element-id, key-id, value-id, adjust-to-utc, doc, default, ...) are kept
 * and printed back by lh_avro_schema_json().  Invalid schemas are
 * LH_EPARSE with the schema path and the reason.
 *
 * Values.  An lh_avro_value is a tree node typed by a schema node.  Values
 * are allocated from a caller's lh_arena (everything freed at once with the
 * arena).  Bytes, strings and fixed are *borrowed*: the setters keep the
 * caller's pointer, which must stay valid until the value is encoded.  A
 * new record has all its fields created (zero, empty, or the null branch of
 * a union that has one), so a caller fills only what it knows.
 *
 * Writer.  lh_avro_writer_open() borrows the schema (it must outlive the
 * writer); lh_avro_writer_append() encodes a value at once (the value may
 * be freed after the call); lh_avro_writer_finish() appends the whole file
 * to the caller's lh_buf.  After any failure the writer refuses further
 * use (LH_EINVAL) and only lh_avro_writer_free() is allowed.
 *
 * Reader.  lh_avro_reader_open() borrows the file bytes (they must outlive
 * the reader), checks the header and parses the writer schema.  Each
 * lh_avro_reader_next() returns a value valid until the next call or
 * close.  Decoding errors are LH_ECORRUPT (LH_ELIMIT for a cap) with
 * "NAME: offset N: schema.path: what was expected"; hostile input never
 * crashes, hangs or allocates beyond the caps below.
 *
 * Nothing here aborts, exits or touches global state (jansson's allocator
 * is left as it is).
 */
#ifndef LH_FORMATS_AVRO_H
#define LH_FORMATS_AVRO_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

#define LH_AVRO_MAX_DEPTH 64                    /* schema and value nesting */
#define LH_AVRO_MAX_BLOCK ((size_t)64 << 20)    /* bytes of one (decompressed) block */
#define LH_AVRO_MAX_ZERO_ITEMS ((int64_t)1 << 16) /* zero-byte items (arrays of null) in one
                                                    datum; a reader allows 16 times that per file */

typedef enum lh_avro_type {
    LH_AVRO_NULL, LH_AVRO_BOOLEAN, LH_AVRO_INT, LH_AVRO_LONG, LH_AVRO_FLOAT, LH_AVRO_DOUBLE,
    LH_AVRO_BYTES, LH_AVRO_STRING, LH_AVRO_RECORD, LH_AVRO_ENUM, LH_AVRO_ARRAY, LH_AVRO_MAP,
    LH_AVRO_UNION, LH_AVRO_FIXED
} lh_avro_type;

typedef enum lh_avro_logical {
    LH_AVRO_LT_NONE, LH_AVRO_LT_DECIMAL, LH_AVRO_LT_DATE, LH_AVRO_LT_TIME_MILLIS, LH_AVRO_LT_TIME_MICROS,
    LH_AVRO_LT_TIMESTAMP_MILLIS, LH_AVRO_LT_TIMESTAMP_MICROS, LH_AVRO_LT_LOCAL_TIMESTAMP_MILLIS,
    LH_AVRO_LT_LOCAL_TIMESTAMP_MICROS, LH_AVRO_LT_UUID
} lh_avro_logical;

typedef struct lh_avro_schema lh_avro_schema;
typedef struct lh_avro_node lh_avro_node;

/* ---- schema ---- */
lh_rc lh_avro_schema_parse(const char *json, size_t n, lh_avro_schema **out, lh_err *err) LH_MUST_CHECK;
void lh_avro_schema_free(lh_avro_schema *s);
const lh_avro_node *lh_avro_schema_root(const lh_avro_schema *s);
/* Append the schema JSON (compact; named types in full once, then by name). */
lh_rc lh_avro_schema_json(const lh_avro_schema *s, lh_buf *out, lh_err *err) LH_MUST_CHECK;

lh_avro_type lh_avro_node_type(const lh_avro_node *n);
lh_avro_logical lh_avro_node_logical(const lh_avro_node *n);
const char *lh_avro_type_name(lh_avro_type t);
/* Fullname of a record, enum or fixed; NULL for others. */
const char *lh_avro_node_name(const lh_avro_node *n);
/* Record: fields; union: branches; enum: symbols; others 0. */
size_t lh_avro_node_count(const lh_avro_node *n);
/* Record: type of field i; union: branch i; array: items (i ignored);
 * map: values (i ignored).  NULL when out of range. */
const lh_avro_node *lh_avro_node_child(const lh_avro_node *n, size_t i);
const char *lh_avro_node_field_name(const lh_avro_node *n, size_t i);
/* Record field index by name, or -1. */
int lh_avro_node_field_index(const lh_avro_node *n, const char *name);
const char *lh_avro_node_symbol(const lh_avro_node *n, size_t i);
size_t lh_avro_node_fixed_size(const lh_avro_node *n);
int lh_avro_node_precision(const lh_avro_node *n);
int lh_avro_node_scale(const lh_avro_node *n);
/* An integer attribute: of field i of a record ("field-id"), or of the
 * node itself when field is (size_t)-1 ("element-id", "key-id", ...).
 * 1 and *out when present and an integer, else 0. */
int lh_avro_node_attr_int(const lh_avro_node *n, size_t field, const char *key, int64_t *out);
/* Index of the null branch of a union, or -1. */
int lh_avro_union_null_branch(const lh_avro_node *n);

/* ---- values ---- */
typedef struct lh_avro_value lh_avro_value;
struct lh_avro_value {
    const lh_avro_node *node; /* the schema node this value has */
    union {
        int boolean;
        int32_t i;   /* int, date, time-millis; enum symbol index */
        int64_t l;   /* long, timestamps, time-micros */
        float f;
        double d;
        struct { const uint8_t *p; size_t n; } bytes; /* bytes, string, fixed */
        struct { lh_avro_value *v; size_t n, cap; const char **keys; size_t *klen; } list;
        /* record: v[i] = field i (n = field count); array: items;
         * map: values with keys[i] (klen[i] bytes) */
        struct { uint32_t branch; lh_avro_value *v; } u;
    } as;
};

/* A fresh value of node n in arena a (see the defaults above). */
lh_rc lh_avro_value_new(lh_arena *a, const lh_avro_node *n, lh_avro_value **out, lh_err *err) LH_MUST_CHECK;
/* Record field by name (NULL if absent or v is not a record). */
lh_avro_value *lh_avro_field(lh_avro_value *v, const char *name);
const lh_avro_value *lh_avro_field_c(const lh_avro_value *v, const char *name);
/* The setters check the node's type (LH_EINVAL names it).  When v is a
 * union, they first select the branch of that type (the "optional field"
 * case: set_long on ["null","long"] picks the long). */
lh_rc lh_avro_set_null(lh_avro_value *v, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_bool(lh_arena *a, lh_avro_value *v, int b, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_int(lh_arena *a, lh_avro_value *v, int32_t x, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_long(lh_arena *a, lh_avro_value *v, int64_t x, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_float(lh_arena *a, lh_avro_value *v, float x, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_double(lh_arena *a, lh_avro_value *v, double x, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_bytes(lh_arena *a, lh_avro_value *v, const void *p, size_t n, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_string(lh_arena *a, lh_avro_value *v, const char *s, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_fixed(lh_arena *a, lh_avro_value *v, const void *p, size_t n, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_set_enum(lh_arena *a, lh_avro_value *v, const char *symbol, lh_err *err) LH_MUST_CHECK;
/* Select union branch i (a fresh value) and return it in *out. */
lh_rc lh_avro_set_branch(lh_arena *a, lh_avro_value *v, uint32_t i, lh_avro_value **out, lh_err *err) LH_MUST_CHECK;
/* Union ["null", T]: select T and return it (to fill a record, array, ...). */
lh_rc lh_avro_set_some(lh_arena *a, lh_avro_value *v, lh_avro_value **out, lh_err *err) LH_MUST_CHECK;
/* Array (or a union holding one): append a fresh item. */
lh_rc lh_avro_array_add(lh_arena *a, lh_avro_value *v, lh_avro_value **item, lh_err *err) LH_MUST_CHECK;
/* Map: add key (copied into the arena) with a fresh value. */
lh_rc lh_avro_map_add(lh_arena *a, lh_avro_value *v, const char *key, lh_avro_value **val, lh_err *err) LH_MUST_CHECK;
/* Union: the selected value; others: v itself. */
const lh_avro_value *lh_avro_unwrap(const lh_avro_value *v);
/* Append v as JSON (records objects, unions as their value, bytes and
 * fixed as lowercase hex, enums as symbol) — for tests and tools. */
lh_rc lh_avro_value_json(const lh_avro_value *v, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* ---- binary encoding (one datum, no container) ---- */
lh_rc lh_avro_encode(const lh_avro_value *v, lh_buf *out, lh_err *err) LH_MUST_CHECK;
/* Decode one datum of node n from data[*pos..n); *pos advances.  Values
 * from arena a; bytes/strings point into data. */
lh_rc lh_avro_decode(const lh_avro_node *node, const uint8_t *data, size_t n, size_t *pos, lh_arena *a,
                     lh_avro_value **out, lh_err *err) LH_MUST_CHECK;

/* ---- container files ---- */
typedef enum lh_avro_codec { LH_AVRO_CODEC_NULL, LH_AVRO_CODEC_DEFLATE, LH_AVRO_CODEC_SNAPPY, LH_AVRO_CODEC_ZSTD } lh_avro_codec;
const char *lh_avro_codec_name(lh_avro_codec c);

typedef struct lh_avro_writer_opts {
    lh_avro_codec codec;
    size_t block_objects;   /* objects per block; 0 = 4096 */
    size_t block_bytes;     /* flush when the block's encoded bytes reach this; 0 = 1 MiB */
    const uint8_t *sync;    /* 16 bytes, or NULL for random (tests pass a fixed one) */
} lh_avro_writer_opts;

typedef struct lh_avro_writer lh_avro_writer;
lh_rc lh_avro_writer_open(const lh_avro_schema *s, const lh_avro_writer_opts *opts, lh_avro_writer **out,
                          lh_err *err) LH_MUST_CHECK;
/* Extra metadata (before the first append); keys "avro.*" are reserved. */
lh_rc lh_avro_writer_meta(lh_avro_writer *w, const char *key, const void *val, size_t n, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_writer_meta_str(lh_avro_writer *w, const char *key, const char *val, lh_err *err) LH_MUST_CHECK;
/* v must have the schema's root node. */
lh_rc lh_avro_writer_append(lh_avro_writer *w, const lh_avro_value *v, lh_err *err) LH_MUST_CHECK;
lh_rc lh_avro_writer_finish(lh_avro_writer *w, lh_buf *out, lh_err *err) LH_MUST_CHECK;
void lh_avro_writer_free(lh_avro_writer *w);

typedef struct lh_avro_reader lh_avro_reader;
/* name: used in error messages (a file name). */
lh_rc lh_avro_reader_open(const void *data, size_t n, const char *name, lh_avro_reader **out, lh_err *err) LH_MUST_CHECK;
const lh_avro_schema *lh_avro_reader_schema(const lh_avro_reader *r);
lh_avro_codec lh_avro_reader_codec(const lh_avro_reader *r);
size_t lh_avro_reader_meta_count(const lh_avro_reader *r);
void lh_avro_reader_meta_at(const lh_avro_reader *r, size_t i, const char **key, const uint8_t **val, size_t *n);
/* 1 and the value of key, or 0. */
int lh_avro_reader_meta(const lh_avro_reader *r, const char *key, const uint8_t **val, size_t *n);
/* Next value in *out, or *out = NULL at the end of the file. */
lh_rc lh_avro_reader_next(lh_avro_reader *r, const lh_avro_value **out, lh_err *err) LH_MUST_CHECK;
void lh_avro_reader_close(lh_avro_reader *r);

#endif
