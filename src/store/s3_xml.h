/* store/s3_xml.h — internal: S3 wire-format helpers, pure functions that
 * need no server (unit-tested in tests/unit/test_s3.c).  Only s3.c and the
 * tests include this.
 *
 *  - A tiny tolerant XML scanner for the few responses we read
 *    (ListObjectsV2, InitiateMultipartUpload, Error).  It finds elements
 *    by name, skips the prolog, comments and processing instructions,
 *    decodes the five XML entities, numeric character references and
 *    CDATA, and reports LH_EPARSE for an element that is opened but never
 *    closed or a bad entity.  It is not a validating parser.
 *  - Canonical request encoding for SigV4 as libcurl 7.88 signs it (the
 *    path and query exactly as sent): RFC 3986 percent-encoding with
 *    uppercase hex, '/' kept in paths, query parameters sorted by name then
 *    value, a valueless parameter written "name=".
 *  - The retry policy: which answers are worth retrying, and exponential
 *    backoff with full jitter.
 */
#ifndef LH_STORE_S3_XML_H
#define LH_STORE_S3_XML_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

/* ---- XML ---- */

/* Find the first element <tag> (attributes allowed) or <tag/> starting in
 * [*pos, end).  On LH_OK *body and *body_len are its raw inner text and *pos
 * points just past it.  LH_ENOTFOUND: no such element (pos unchanged);
 * LH_EPARSE: opened but not closed (or a truncated tag). No lh_err: the
 * caller names the response. */
lh_rc lh_xml_next(const char **pos, const char *end, const char *tag, const char **body, size_t *body_len);

/* Decode raw element text (entities, &#N;, &#xH;, CDATA) into a fresh
 * NUL-terminated string.  LH_EPARSE for an unknown or malformed entity or
 * a NUL character. */
lh_rc lh_xml_text(const char *s, size_t n, char **out, lh_err *err) LH_MUST_CHECK;

/* Append s with &, < and > escaped (element text of request bodies;
 * quotes stay, as in the ETags S3 hands out). */
lh_rc lh_xml_escape(lh_buf *out, const char *s, lh_err *err) LH_MUST_CHECK;

typedef struct lh_s3_list_item {
    char *key;
    uint64_t size;
    int64_t mtime_ms; /* 0 when absent or unparseable */
} lh_s3_list_item;

typedef struct lh_s3_list_result {
    lh_s3_list_item *items;
    size_t n;
    int truncated;
    char *next_token; /* NextContinuationToken, NULL if absent */
} lh_s3_list_result;

/* Parse a ListBucketResult (ListObjectsV2).  *out is zeroed first and
 * left empty on failure.  LH_EPARSE names what is wrong; a truncated
 * result without NextContinuationToken is LH_EPARSE too. */
lh_rc lh_s3_parse_list(const char *xml, size_t n, lh_s3_list_result *out, lh_err *err) LH_MUST_CHECK;
void lh_s3_list_result_free(lh_s3_list_result *r);

/* UploadId of an InitiateMultipartUploadResult; LH_EPARSE if absent. */
lh_rc lh_s3_parse_upload_id(const char *xml, size_t n, char **upload_id, lh_err *err) LH_MUST_CHECK;

/* Code and Message of an <Error> document (each NULL when absent).
 * LH_ENOTFOUND (err untouched) when the body holds no <Error>. */
lh_rc lh_s3_parse_error(const char *xml, size_t n, char **code, char **message, lh_err *err) LH_MUST_CHECK;

/* ---- canonical encoding ---- */

/* Append s[0..n) percent-encoded: unreserved A-Z a-z 0-9 - _ . ~ stay,
 * '/' stays when keep_slash, every other byte becomes %XX (uppercase). */
lh_rc lh_s3_uri_encode(lh_buf *out, const char *s, size_t n, int keep_slash, lh_err *err) LH_MUST_CHECK;

/* Append the canonical query of npairs name/value pairs kv[2i], kv[2i+1]
 * (value NULL: "name="): each encoded, sorted by encoded name then value,
 * joined with '&'. */
lh_rc lh_s3_canonical_query(lh_buf *out, const char *const *kv, size_t npairs, lh_err *err) LH_MUST_CHECK;

/* ---- retry policy ---- */

/* Should an HTTP answer be retried?  5xx, 429, and the S3 codes SlowDown,
 * RequestTimeout, InternalError, ServiceUnavailable, RequestTimeTooSkewed
 * is NOT retried (the clock is wrong).  Never other 4xx.  code may be NULL. */
int lh_s3_http_retryable(long status, const char *code);

/* Backoff before retry number attempt (0 = the first retry): full jitter,
 * a uniform pick in [0, min(cap_ms, base_ms * 2^attempt)] drawn from rnd. */
uint64_t lh_s3_backoff_ms(unsigned attempt, uint64_t base_ms, uint64_t cap_ms, uint64_t rnd);

/* The lh_rc for a final (not retried or out of retries) HTTP failure:
 * auth codes (AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId,
 * ExpiredToken, ...) and 401/403 -> LH_EAUTH; 404 -> LH_ENOTFOUND;
 * 400 -> LH_EINVAL; 3xx -> LH_EINVAL (wrong region or endpoint);
 * the rest -> LH_EIO. */
lh_rc lh_s3_status_rc(long status, const char *code);

#endif
