/* formats/json.h — a strict RFC 8259 JSON scanner for JSON-lines data.
 *
 * Hand-written on purpose: the engine needs to validate a whole line and
 * pick out a few top-level keys of a flat object without building a DOM,
 * at hundreds of MB/s.  Debian's JSON libraries (json-c, jansson, cJSON)
 * all build a tree per document; that allocation dominates a scan.
 *
 * Contract:
 *  - Input is a byte range; it need not be NUL-terminated and is never
 *    read past its end.  Nesting deeper than LH_JSON_MAX_DEPTH is an error.
 *  - Strings must be valid UTF-8 (no overlongs, no surrogates encoded in
 *    UTF-8, nothing above U+10FFFF); \u escapes must pair surrogates.
 *  - Errors fill err with "column C: <what was expected>" (1-based byte
 *    column within the range); callers prefix "file:line: ".
 *  - Spans point into the caller's input and live as long as it does.
 */
#ifndef LH_FORMATS_JSON_H
#define LH_FORMATS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

#define LH_JSON_MAX_DEPTH 512

typedef enum lh_json_kind {
    LH_J_ABSENT = 0, /* key not present */
    LH_J_NULL,
    LH_J_FALSE,
    LH_J_TRUE,
    LH_J_NUMBER,
    LH_J_STRING, /* span excludes the quotes; may contain escapes */
    LH_J_OBJECT, /* span includes the braces */
    LH_J_ARRAY   /* span includes the brackets */
} lh_json_kind;

typedef struct lh_json_span {
    lh_json_kind kind;
    int has_escapes; /* LH_J_STRING: 1 if the raw span holds backslashes */
    const char *p;
    size_t n;
} lh_json_span;

/* Validate that [p, p+n) is exactly one JSON value with optional
 * surrounding whitespace (space, tab, CR, LF). */
lh_rc lh_json_validate(const char *p, size_t n, lh_err *err) LH_MUST_CHECK;

/* A set of wanted top-level keys, matched case-insensitively (ASCII) or
 * exactly.  Build once per table, reuse for every line. */
typedef struct lh_json_keys lh_json_keys;
lh_rc lh_json_keys_new(const char *const *keys, size_t n, int case_insensitive, lh_json_keys **out,
                       lh_err *err) LH_MUST_CHECK;
void lh_json_keys_free(lh_json_keys *k);

/* Parse [p, p+n) as one JSON object (surrounding whitespace allowed) and
 * validate all of it.  For each top-level key equal to keys[i], out[i]
 * receives the value's span; other out[i] get LH_J_ABSENT.  When a key
 * occurs twice the last occurrence wins (as in Hive's JSON SerDe).
 * LH_EPARSE if the text is not a JSON object (a valid non-object value such
 * as an array or a number is "expected a JSON object"). */
lh_rc lh_json_scan_object(const char *p, size_t n, const lh_json_keys *keys, lh_json_span *out,
                          lh_err *err) LH_MUST_CHECK;

/* Append the decoded UTF-8 of a LH_J_STRING span to out. */
lh_rc lh_json_unescape(const lh_json_span *s, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* Append s[0..n) as a JSON string literal with quotes; control characters
 * and '"' '\\' escaped; other UTF-8 bytes copied. */
lh_rc lh_json_quote(lh_buf *out, const char *s, size_t n, lh_err *err) LH_MUST_CHECK;

/* Append a double in the shortest form that round-trips, always with a
 * '.' or exponent ("1.0", "0.1", "1e+300"); NaN/Inf are written as null. */
lh_rc lh_json_put_double(lh_buf *out, double d, lh_err *err) LH_MUST_CHECK;

#endif
