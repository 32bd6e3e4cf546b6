/* store/s3.h — the S3 backend of the object store (store.h): the S3 REST
 * API over libcurl, signed with SigV4 (CURLOPT_AWS_SIGV4).
 *
 * Operations: GetObject (whole, or explicit byte ranges: a suffix or
 * open-ended range is never sent; the size comes from HeadObject first),
 * PutObject, multipart upload for the streaming writer once it holds more
 * than part_size bytes (aborted on abort or any failure), ListObjectsV2
 * (prefix, max-keys, continuation-token), HeadObject, DeleteObject.
 *
 * Addressing: path-style (http://HOST/BUCKET/KEY) or virtual-hosted
 * (https://BUCKET.HOST/KEY).  LH_S3_ADDR_AUTO picks path-style for a custom
 * endpoint, virtual-hosted for AWS (path-style for bucket names holding
 * '.', whose host names TLS certificates do not cover).
 *
 * Configuration (aws_creds.h): keys from the options, else the AWS chain
 * (env, then the profile in ~/.aws/credentials and ~/.aws/config); region
 * from the options, else AWS_REGION, AWS_DEFAULT_REGION, the profile, else
 * "us-east-1"; endpoint from the options, else AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL or the profile's endpoint_url, else AWS's regional
 * endpoint https://s3.REGION.amazonaws.com.
 *
 * Failures: requests are retried with exponential backoff and full jitter
 * (base 100 ms, cap 5 s) on 5xx, 429, SlowDown, RequestTimeout, connection
 * failures and timeouts, at most max_retries times and within
 * retry_budget_ms; never on other 4xx.  Errors name the operation and the
 * URI, e.g. "S3 PutObject s3://b/k: 403 SignatureDoesNotMatch: <S3's
 * message>":
 *   LH_EAUTH      403/401 and the S3 auth codes; missing credentials;
 *   LH_ENOTFOUND  404 NoSuchKey (naming the key), NoSuchBucket (naming the
 *                 bucket and endpoint);
 *   LH_ENET       connection, DNS, TLS or timeout failure after the
 *                 retries, naming the endpoint and curl's message;
 *   LH_EINVAL     400s and redirects (a wrong region is named when S3
 *                 tells it), bad options;
 *   LH_EIO        5xx after the retries, malformed responses (LH_EPARSE);
 *   LH_ELIMIT     a download larger than the caller's buffer cap, or a
 *                 multipart upload past 10,000 parts.
 * The secret key and session token never appear in a message (any
 * occurrence, e.g. in an echoed URI, is replaced by "[redacted]"); the
 * library never prints and curl's verbose mode stays off.
 *
 * Atomicity: a put or a committed writer is one object version, visible
 * whole or not at all (S3 semantics); nothing is visible before commit.
 * There is no rename: callers write data under fresh unique keys and let
 * the catalog be the commit point (docs/s3.md).
 *
 * Threads: like every store, one handle per thread (one curl easy handle
 * with keep-alive connections inside).
 */
#ifndef LH_STORE_S3_H
#define LH_STORE_S3_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

typedef enum lh_s3_addressing {
    LH_S3_ADDR_AUTO = 0, /* path-style with a custom endpoint, else virtual-hosted */
    LH_S3_ADDR_PATH = 1,
    LH_S3_ADDR_VHOST = 2
} lh_s3_addressing;

/* Zero (or NULL) in any field means its default. */
typedef struct lh_s3_opts {
    const char *endpoint;      /* "http[s]://HOST[:PORT]"; NULL: env/profile, else AWS regional */
    const char *region;        /* NULL: env/profile, else "us-east-1" */
    lh_s3_addressing addressing;
    const char *profile;       /* NULL: AWS_PROFILE or "default" */
    const char *access_key;    /* explicit keys (both or neither); NULL: the credential chain */
    const char *secret_key;
    const char *session_token; /* optional, with explicit keys */
    int max_retries;           /* retries after the first attempt; 0: 4; negative: none */
    long timeout_ms;           /* per attempt; 0: none, but abort below 1 byte/s for 30 s */
    long connect_timeout_ms;   /* 0: 5000 */
    long retry_budget_ms;      /* no retry starts after this much time; 0: 30000 */
    size_t part_size;          /* writer buffer / multipart part size; 0: 8 MiB; at least 5 MiB */
} lh_s3_opts;

#define LH_S3_MIN_PART_SIZE ((size_t)5 << 20)
#define LH_S3_DEFAULT_PART_SIZE ((size_t)8 << 20)

/* Open an S3 store.  No request is made: a wrong key or an unreachable
 * endpoint shows on the first operation.  Errors: LH_EAUTH (no keys
 * found), LH_EINVAL (bad endpoint URL, part size below 5 MiB, half of an
 * explicit key pair), LH_EUNSUPPORTED (libcurl without SigV4), LH_ENOMEM. */
lh_rc lh_store_open_s3(const lh_s3_opts *o, lh_store **out, lh_err *err) LH_MUST_CHECK;

#endif
