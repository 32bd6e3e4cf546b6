/* formats/thrift.h — the Thrift compact protocol, just enough for Parquet
 * metadata: a bounds-checked reader over a byte range and a writer into an
 * lh_buf.
 *
 * Reader: every call checks the remaining bytes; a malformed or truncated
 * value, a nesting deeper than LH_THR_MAX_DEPTH, or a list claiming more
 * elements than the remaining bytes can hold is LH_ECORRUPT with a message
 * naming r->what (e.g. "s3://b/x.parquet: footer") and the byte offset.
 * Struct reading: lh_thr_struct_begin, then lh_thr_field until type STOP,
 * then lh_thr_struct_end; unknown fields are skipped with lh_thr_skip.
 *
 * Writer: lh_thr_w keeps the last field id per nesting level; write a
 * field header with lh_thr_wfield, then its value.  Errors are LH_ENOMEM or
 * LH_ELIMIT from the buffer.
 */
#ifndef LH_FORMATS_THRIFT_H
#define LH_FORMATS_THRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

enum {
    LH_THR_STOP = 0,
    LH_THR_TRUE = 1,
    LH_THR_FALSE = 2,
    LH_THR_I8 = 3,
    LH_THR_I16 = 4,
    LH_THR_I32 = 5,
    LH_THR_I64 = 6,
    LH_THR_DOUBLE = 7,
    LH_THR_BINARY = 8,
    LH_THR_LIST = 9,
    LH_THR_SET = 10,
    LH_THR_MAP = 11,
    LH_THR_STRUCT = 12
};

#define LH_THR_MAX_DEPTH 32

typedef struct lh_thr_r {
    const uint8_t *start, *p, *end;
    int depth;
    int16_t last[LH_THR_MAX_DEPTH + 1]; /* last field id per struct level */
    const char *what;                   /* for messages */
    lh_err *err;
} lh_thr_r;

void lh_thr_rinit(lh_thr_r *r, const void *data, size_t n, const char *what, lh_err *err);
lh_rc lh_thr_corrupt(lh_thr_r *r, const char *why);
lh_rc lh_thr_struct_begin(lh_thr_r *r) LH_MUST_CHECK;
void lh_thr_struct_end(lh_thr_r *r);
/* Next field header: *type = LH_THR_STOP at the end of the struct.  For
 * booleans, *type is TRUE/FALSE and the value is the type. */
lh_rc lh_thr_field(lh_thr_r *r, int *type, int16_t *id) LH_MUST_CHECK;
lh_rc lh_thr_skip(lh_thr_r *r, int type) LH_MUST_CHECK;
/* Typed reads; the wire type is checked against the expected one. */
lh_rc lh_thr_i32(lh_thr_r *r, int type, int32_t *v) LH_MUST_CHECK;
lh_rc lh_thr_i64(lh_thr_r *r, int type, int64_t *v) LH_MUST_CHECK;
lh_rc lh_thr_bool(lh_thr_r *r, int type, int *v) LH_MUST_CHECK;
lh_rc lh_thr_binary(lh_thr_r *r, int type, const uint8_t **p, size_t *n) LH_MUST_CHECK;
/* List header: element type and count (checked against remaining bytes). */
lh_rc lh_thr_list(lh_thr_r *r, int type, int *etype, size_t *count) LH_MUST_CHECK;
/* Read one list element of an integer type (i8/i16/i32). */
lh_rc lh_thr_elem_i32(lh_thr_r *r, int etype, int32_t *v) LH_MUST_CHECK;
lh_rc lh_thr_uvarint(lh_thr_r *r, uint64_t *v) LH_MUST_CHECK;

typedef struct lh_thr_w {
    lh_buf *b;
    int depth;
    int16_t last[LH_THR_MAX_DEPTH + 1];
    lh_err *err;
} lh_thr_w;

void lh_thr_winit(lh_thr_w *w, lh_buf *b, lh_err *err);
lh_rc lh_thr_wfield(lh_thr_w *w, int type, int16_t id) LH_MUST_CHECK;
lh_rc lh_thr_wbool_field(lh_thr_w *w, int16_t id, int v) LH_MUST_CHECK;
lh_rc lh_thr_wstop(lh_thr_w *w) LH_MUST_CHECK; /* writes STOP; ends the struct */
lh_rc lh_thr_wstruct_begin(lh_thr_w *w) LH_MUST_CHECK; /* after a STRUCT field header or list */
lh_rc lh_thr_wi32(lh_thr_w *w, int32_t v) LH_MUST_CHECK;
lh_rc lh_thr_wi64(lh_thr_w *w, int64_t v) LH_MUST_CHECK;
lh_rc lh_thr_wbinary(lh_thr_w *w, const void *p, size_t n) LH_MUST_CHECK;
lh_rc lh_thr_wlist(lh_thr_w *w, int etype, size_t count) LH_MUST_CHECK;
lh_rc lh_thr_wuvarint(lh_thr_w *w, uint64_t v) LH_MUST_CHECK;
/* Convenience: field header + value. */
lh_rc lh_thr_wf_i32(lh_thr_w *w, int16_t id, int32_t v) LH_MUST_CHECK;
lh_rc lh_thr_wf_i64(lh_thr_w *w, int16_t id, int64_t v) LH_MUST_CHECK;
lh_rc lh_thr_wf_bin(lh_thr_w *w, int16_t id, const void *p, size_t n) LH_MUST_CHECK;
lh_rc lh_thr_wf_str(lh_thr_w *w, int16_t id, const char *s) LH_MUST_CHECK;

#endif
