/* store/s3.c — the S3 backend: the S3 REST API over one libcurl easy
 * handle, signed by libcurl's CURLOPT_AWS_SIGV4.  See s3.h.
 *
 * libcurl 7.88 quirks handled here (../shared/tools/s3/README.md):
 *  - curl does not add x-amz-content-sha256: we send it, with the real
 *    SHA-256 of the body (OpenSSL libcrypto), and curl signs it;
 *  - curl signs the path and the query exactly as sent: we send them in
 *    canonical form (s3_xml.c: lh_s3_uri_encode, lh_s3_canonical_query),
 *    and CURLOPT_PATH_AS_IS keeps curl from rewriting the path;
 *  - s3rver answers a suffix range (bytes=-N) with the first bytes: we
 *    never send suffix or open-ended ranges, only explicit ones.
 */
#include "store/s3.h"

#include "store/curl_dl.h" /* libcurl through a table, loaded on first use */
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "store/aws_creds.h"
#include "store/backend.h"
#include "store/s3_xml.h"

#define EBODY_CAP ((size_t)64 << 10)  /* error bodies we keep */
#define XML_CAP ((size_t)64 << 20)    /* list / upload responses */
#define MAX_PARTS 10000
#define MAX_PART_SIZE ((size_t)5 << 30)
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 5000
#define DEFAULT_RETRIES 4
#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_BUDGET_MS 30000
#define LOW_SPEED_SECONDS 30

/* libcurl's functions, through the table lh_curl_load fills (store/curl_dl.h). */
static const lh_curl_api *g_curl;
#define curl_global_init (g_curl->global_init)
#define curl_global_cleanup (g_curl->global_cleanup)
#define curl_easy_init (g_curl->easy_init)
#undef curl_easy_setopt /* curl.h's pass-through macros */
#undef curl_easy_getinfo
#define curl_easy_setopt (g_curl->easy_setopt)
#define curl_easy_perform (g_curl->easy_perform)
#define curl_easy_getinfo (g_curl->easy_getinfo)
#define curl_easy_reset (g_curl->easy_reset)
#define curl_easy_cleanup (g_curl->easy_cleanup)
#define curl_easy_strerror (g_curl->easy_strerror)
#define curl_slist_append (g_curl->slist_append)
#define curl_slist_free_all (g_curl->slist_free_all)
#define curl_getdate (g_curl->getdate)
#define curl_version (g_curl->version)

typedef struct s3_store {
    CURL *curl;
    int global_init;
    char *scheme;   /* "http" or "https" */
    char *hostport; /* "127.0.0.1:4569", "s3.eu-west-1.amazonaws.com" */
    char *endpoint; /* scheme://hostport, for messages */
    int custom_endpoint;
    lh_s3_addressing addressing;
    char *region;
    char *sigv4; /* "aws:amz:REGION:s3" */
    char *access_key;
    char *secret_key;    /* secret */
    char *session_token; /* secret, may be NULL */
    char *cred_source;   /* where the keys came from, for messages */
    int max_retries;
    long timeout_ms, connect_timeout_ms, retry_budget_ms;
    size_t part_size;
    uint64_t rng;
    char curl_err[CURL_ERROR_SIZE];
} s3_store;

/* One request. */
typedef struct s3_req {
    const char *op;     /* S3 action name for messages: "PutObject" */
    const char *method; /* GET PUT POST HEAD DELETE */
    const char *bucket;
    const char *key;          /* NULL: a bucket-level request */
    const char *const *query; /* name/value pairs */
    size_t nquery;
    const char *uri; /* s3://... for messages */
    const void *body;
    size_t body_len;
    const char *content_type;
    const char *range; /* "bytes=A-B" */
    lh_buf *sink;      /* success body; NULL: the response's own buffer */
    long ok_status;    /* a non-2xx status that is not an error (404 on delete, 416 on a range) */
} s3_req;

/* What came back. */
typedef struct s3_resp {
    long status;
    int has_len;
    uint64_t len;
    int64_t mtime_ms;
    char etag[256];
    char region_hint[64]; /* x-amz-bucket-region */
    lh_buf body;          /* success body when the request has no sink */
    lh_buf ebody;         /* error body (status >= 300), cut at EBODY_CAP */
    lh_buf *sink;
    size_t sink_start;
    lh_rc sink_rc;
    lh_err sink_err;
} s3_resp;

typedef struct s3_reader {
    const char *p;
    size_t len, off;
} s3_reader;

/* ---- small helpers ---- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static uint64_t next_rand(s3_store *s)
{
    uint64_t x = s->rng; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    s->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static void wipe_free(char *p)
{
    if (!p)
        return;
    explicit_bzero(p, strlen(p));
    lh_free(p);
}

/* Replace every occurrence of secret in msg by "[redacted]". */
static void redact(char *msg, size_t cap, const char *secret)
{
    char out[sizeof ((lh_err *)0)->msg];
    size_t sl, o = 0;
    const char *p = msg, *hit;
    if (!secret || (sl = strlen(secret)) == 0 || !strstr(msg, secret))
        return;
    while ((hit = strstr(p, secret)) != NULL) {
        size_t n = (size_t)(hit - p);
        if (o + n >= sizeof out)
            n = sizeof out - 1 - o;
        memcpy(out + o, p, n);
        o += n;
        o += (size_t)snprintf(out + o, sizeof out - o, "[redacted]");
        if (o >= sizeof out - 1) {
            o = sizeof out - 1;
            break;
        }
        p = hit + sl;
    }
    if (o < sizeof out - 1) {
        size_t n = strlen(p);
        if (o + n >= sizeof out)
            n = sizeof out - 1 - o;
        memcpy(out + o, p, n);
        o += n;
    }
    out[o] = 0;
    snprintf(msg, cap, "%s", out);
}

/* Every error leaving this backend passes here: no secret survives. */
static lh_rc scrub(const s3_store *s, lh_err *err, lh_rc rc)
{
    if (!rc || !err)
        return rc;
    redact(err->msg, sizeof err->msg, s->secret_key);
    redact(err->msg, sizeof err->msg, s->session_token);
    return rc;
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    if (!EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        /* cannot hash (libcrypto failure): let S3 skip the payload check */
        snprintf(hex, 65, "UNSIGNED-PAYLOAD");
        return;
    }
    for (i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = 0;
}

/* ---- curl callbacks ---- */

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
    s3_resp *rs = ud;
    size_t n = size * nitems, nl;
    const char *colon, *v, *e;
    if (n >= 5 && !memcmp(buf, "HTTP/", 5)) { /* a new response (after 100 Continue, too) */
        const char *sp = memchr(buf, ' ', n);
        rs->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        rs->has_len = 0;
        rs->mtime_ms = 0;
        rs->etag[0] = rs->region_hint[0] = 0;
        return n;
    }
    colon = memchr(buf, ':', n);
    if (!colon)
        return n;
    nl = (size_t)(colon - buf);
    v = colon + 1;
    e = buf + n;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (nl == 14 && !strncasecmp(buf, "content-length", 14)) {
        char tmp[32];
        char *ep;
        size_t vl = (size_t)(e - v);
        if (vl > 0 && vl < sizeof tmp) {
            memcpy(tmp, v, vl);
            tmp[vl] = 0;
            errno = 0;
            rs->len = strtoull(tmp, &ep, 10);
            rs->has_len = !*ep && errno == 0 && tmp[0] != '-';
        }
    } else if (nl == 4 && !strncasecmp(buf, "etag", 4)) {
        snprintf(rs->etag, sizeof rs->etag, "%.*s", (int)(e - v), v);
    } else if (nl == 13 && !strncasecmp(buf, "last-modified", 13)) {
        char tmp[128];
        time_t t;
        snprintf(tmp, sizeof tmp, "%.*s", (int)(e - v), v);
        t = curl_getdate(tmp, NULL);
        rs->mtime_ms = t > 0 ? (int64_t)t * 1000 : 0;
    } else if (nl == 19 && !strncasecmp(buf, "x-amz-bucket-region", 19)) {
        snprintf(rs->region_hint, sizeof rs->region_hint, "%.*s", (int)(e - v), v);
    }
    return n;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ud)
{
    s3_resp *rs = ud;
    size_t n = size * nmemb;
    if (rs->status < 200 || rs->status >= 300) { /* an error document: keep the start of it */
        size_t room = EBODY_CAP - rs->ebody.len;
        if (room && lh_buf_append(&rs->ebody, buf, n < room ? n : room, NULL) != LH_OK)
            return n; /* out of memory for a diagnostic: drop it */
        return n;
    }
    rs->sink_rc = lh_buf_append(rs->sink, buf, n, &rs->sink_err);
    return rs->sink_rc ? 0 : n;
}

static size_t on_read(char *buf, size_t size, size_t nitems, void *ud)
{
    s3_reader *r = ud;
    size_t n = size * nitems, left = r->len - r->off;
    if (n > left)
        n = left;
    if (n)
        memcpy(buf, r->p + r->off, n);
    r->off += n;
    return n;
}

static int on_seek(void *ud, curl_off_t off, int origin)
{
    s3_reader *r = ud;
    if (origin != SEEK_SET || off < 0 || (uint64_t)off > r->len)
        return CURL_SEEKFUNC_FAIL;
    r->off = (size_t)off;
    return CURL_SEEKFUNC_OK;
}

/* ---- requests ---- */

static void resp_init(s3_resp *rs)
{
    memset(rs, 0, sizeof *rs);
    lh_buf_init(&rs->body, XML_CAP);
    lh_buf_init(&rs->ebody, EBODY_CAP + 1);
}

static void resp_free(s3_resp *rs)
{
    lh_buf_free(&rs->body);
    lh_buf_free(&rs->ebody);
}

static int use_path_style(const s3_store *s, const char *bucket)
{
    if (s->addressing == LH_S3_ADDR_PATH)
        return 1;
    if (s->addressing == LH_S3_ADDR_VHOST)
        return 0;
    return s->custom_endpoint || strchr(bucket, '.') != NULL;
}

static lh_rc build_url(const s3_store *s, const s3_req *rq, lh_buf *url, lh_err *err)
{
    lh_rc rc;
    if (use_path_style(s, rq->bucket)) {
        rc = lh_buf_printf(url, err, "%s://%s/", s->scheme, s->hostport);
        if (!rc)
            rc = lh_s3_uri_encode(url, rq->bucket, strlen(rq->bucket), 0, err);
        if (!rc && rq->key)
            rc = lh_buf_putc(url, '/', err);
    } else {
        rc = lh_buf_printf(url, err, "%s://%s.%s/", s->scheme, rq->bucket, s->hostport);
    }
    if (!rc && rq->key)
        rc = lh_s3_uri_encode(url, rq->key, strlen(rq->key), 1, err);
    if (!rc && rq->nquery) {
        rc = lh_buf_putc(url, '?', err);
        if (!rc)
            rc = lh_s3_canonical_query(url, rq->query, rq->nquery, err);
    }
    if (!rc && !lh_buf_cstr(url))
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
    return rc;
}

static lh_rc add_header(struct curl_slist **h, const char *line, lh_err *err)
{
    struct curl_slist *n = curl_slist_append(*h, line);
    if (!n)
        return lh_errf(err, LH_ENOMEM, "out of memory building request headers");
    *h = n;
    return LH_OK;
}

static lh_rc build_headers(const s3_store *s, const s3_req *rq, struct curl_slist **h, lh_err *err)
{
    char line[160], hex[65];
    lh_rc rc;
    sha256_hex(rq->body, rq->body_len, hex);
    snprintf(line, sizeof line, "x-amz-content-sha256: %s", hex);
    rc = add_header(h, line, err);
    if (!rc && s->session_token) {
        char *t = lh_aprintf("x-amz-security-token: %s", s->session_token);
        rc = t ? add_header(h, t, err) : lh_errf(err, LH_ENOMEM, "out of memory building request headers");
        wipe_free(t);
    }
    if (!rc && rq->range) {
        snprintf(line, sizeof line, "Range: %s", rq->range);
        rc = add_header(h, line, err);
    }
    if (!rc && rq->content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", rq->content_type);
        rc = add_header(h, line, err);
    }
    return rc;
}

/* Set up the easy handle for one attempt.  CURLE_OK or the first failure. */
static CURLcode setup(s3_store *s, const s3_req *rq, s3_resp *rs, const char *url, struct curl_slist *hdrs,
                      s3_reader *rd)
{
    CURL *c = s->curl;
    CURLcode cc = CURLE_OK;
#define SET(opt, val)                                                                                                  \
    do {                                                                                                               \
        if (cc == CURLE_OK)                                                                                            \
            cc = curl_easy_setopt(c, opt, val);                                                                        \
    } while (0)
    curl_easy_reset(c); /* keeps the connection cache: keep-alive survives */
    s->curl_err[0] = 0;
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PATH_AS_IS, 1L);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_AWS_SIGV4, s->sigv4);
    SET(CURLOPT_USERNAME, s->access_key);
    SET(CURLOPT_PASSWORD, s->secret_key);
    SET(CURLOPT_HTTPHEADER, hdrs);
    SET(CURLOPT_ERRORBUFFER, s->curl_err);
    SET(CURLOPT_CONNECTTIMEOUT_MS, s->connect_timeout_ms);
    if (s->timeout_ms > 0) {
        SET(CURLOPT_TIMEOUT_MS, s->timeout_ms);
    } else {
        SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
        SET(CURLOPT_LOW_SPEED_TIME, (long)LOW_SPEED_SECONDS);
    }
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, rs);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, rs);
    if (!strcmp(rq->method, "HEAD")) {
        SET(CURLOPT_NOBODY, 1L);
    } else if (!strcmp(rq->method, "PUT")) {
        rd->p = rq->body;
        rd->len = rq->body_len;
        rd->off = 0;
        SET(CURLOPT_UPLOAD, 1L);
        SET(CURLOPT_READFUNCTION, on_read);
        SET(CURLOPT_READDATA, rd);
        SET(CURLOPT_SEEKFUNCTION, on_seek);
        SET(CURLOPT_SEEKDATA, rd);
        SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)rq->body_len);
    } else if (!strcmp(rq->method, "POST")) {
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
        SET(CURLOPT_POSTFIELDS, rq->body ? (const char *)rq->body : "");
    } else if (!strcmp(rq->method, "DELETE")) {
        SET(CURLOPT_CUSTOMREQUEST, "DELETE");
    } else {
        SET(CURLOPT_HTTPGET, 1L);
    }
#undef SET
    return cc;
}

static int curl_transient(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return 1;
    default: return 0;
    }
}

static lh_rc net_error(const s3_store *s, const s3_req *rq, CURLcode cc, int attempts, int64_t ms, lh_err *err)
{
    lh_rc rc = cc == CURLE_OUT_OF_MEMORY ? LH_ENOMEM : cc == CURLE_URL_MALFORMAT ? LH_EINVAL : LH_ENET;
    return lh_errf(err, rc, "S3 %s %s: cannot reach %s: %s%s%s (%d attempt%s in %.1f s)", rq->op, rq->uri,
                   s->endpoint, curl_easy_strerror(cc), s->curl_err[0] ? ": " : "", s->curl_err, attempts,
                   attempts == 1 ? "" : "s", (double)ms / 1000.0);
}

static const char *reason(long status)
{
    switch (status) {
    case 301: return "Moved Permanently";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "HTTP error";
    }
}

static lh_rc http_error(const s3_store *s, const s3_req *rq, const s3_resp *rs, const char *code, const char *msg,
                        int attempts, lh_err *err)
{
    long st = rs->status;
    lh_rc rc = lh_s3_status_rc(st, code);
    char tail[64] = "";
    if (attempts > 1)
        snprintf(tail, sizeof tail, " (gave up after %d attempts)", attempts);
    if (code && !strcmp(code, "NoSuchBucket"))
        return lh_errf(err, rc, "S3 %s %s: no such bucket \"%s\" at %s (%ld NoSuchBucket)", rq->op, rq->uri,
                       rq->bucket, s->endpoint, st);
    if (rc == LH_ENOTFOUND && rq->key && (!code || !strcmp(code, "NoSuchKey")))
        return lh_errf(err, rc, "S3 %s %s: no such object (key \"%s\" in bucket \"%s\": %ld %s)", rq->op, rq->uri,
                       rq->key, rq->bucket, st, code ? code : reason(st));
    if (st >= 300 && st < 400)
        return lh_errf(err, rc, "S3 %s %s: %ld %s: %.300s%s%s%s", rq->op, rq->uri, st, code ? code : reason(st),
                       msg ? msg : "S3 redirected the request", rs->region_hint[0] ? "; the bucket is in region " : "",
                       rs->region_hint, rs->region_hint[0] ? ": set AWS_REGION to it" : "");
    if (rc == LH_EAUTH)
        return lh_errf(err, rc, "S3 %s %s: %ld %s: %.300s (access key %s from %s)%s", rq->op, rq->uri, st,
                       code ? code : reason(st),
                       msg ? msg : !strcmp(rq->method, "HEAD") ? "access denied (a HEAD answer has no error body)"
                                                               : "access denied",
                       s->access_key, s->cred_source, tail);
    return lh_errf(err, rc, "S3 %s %s: %ld %s: %.300s%s", rq->op, rq->uri, st, code ? code : reason(st),
                   msg ? msg : "no error message", tail);
}

/* Perform rq with retries.  LH_OK for 2xx and rq->ok_status (unless the
 * bucket is missing); rs holds the answer. */
static lh_rc s3_do(s3_store *s, const s3_req *rq, s3_resp *rs, lh_err *err)
{
    struct curl_slist *hdrs = NULL;
    s3_reader rd = {0};
    lh_buf url;
    char *code = NULL, *msg = NULL;
    int64_t t0 = now_ms();
    int attempt;
    lh_rc rc;
    lh_buf_init(&url, 0);
    rs->sink = rq->sink ? rq->sink : &rs->body;
    rs->sink_start = rs->sink->len;
    rc = build_url(s, rq, &url, err);
    if (!rc)
        rc = build_headers(s, rq, &hdrs, err);
    if (rc) {
        lh_err_prefix(err, "S3 %s %s", rq->op, rq->uri);
        goto out;
    }
    for (attempt = 0;; attempt++) {
        CURLcode cc;
        int retry;
        uint64_t delay;
        lh_free(code);
        lh_free(msg);
        code = msg = NULL;
        rs->status = 0;
        rs->has_len = 0;
        rs->sink_rc = LH_OK;
        lh_buf_reset(&rs->ebody);
        rs->sink->len = rs->sink_start;
        if (rs->sink->data)
            rs->sink->data[rs->sink->len] = 0;
        cc = setup(s, rq, rs, url.data, hdrs, &rd);
        if (cc != CURLE_OK) {
            rc = lh_errf(err, cc == CURLE_OUT_OF_MEMORY ? LH_ENOMEM : LH_EUNSUPPORTED,
                         "S3 %s %s: cannot configure libcurl: %s", rq->op, rq->uri, curl_easy_strerror(cc));
            goto out;
        }
        cc = curl_easy_perform(s->curl);
        if (cc == CURLE_WRITE_ERROR && rs->sink_rc) {
            rc = lh_errf(err, rs->sink_rc, "S3 %s %s: %s", rq->op, rq->uri, rs->sink_err.msg);
            goto out;
        }
        if (cc == CURLE_OK) {
            long st = 0;
            if (curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &st) == CURLE_OK && st)
                rs->status = st;
            if (rs->ebody.len && lh_s3_parse_error(rs->ebody.data, rs->ebody.len, &code, &msg, NULL) != LH_OK) {
                code = msg = NULL;
            }
            if ((rs->status >= 200 && rs->status < 300) ||
                (rs->status == rq->ok_status && !(code && !strcmp(code, "NoSuchBucket")))) {
                rc = LH_OK;
                goto out;
            }
            retry = lh_s3_http_retryable(rs->status, code);
        } else {
            retry = curl_transient(cc);
        }
        delay = lh_s3_backoff_ms((unsigned)attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS, next_rand(s));
        if (!retry || attempt >= s->max_retries || now_ms() - t0 + (int64_t)delay > s->retry_budget_ms) {
            if (cc != CURLE_OK)
                rc = net_error(s, rq, cc, attempt + 1, now_ms() - t0, err);
            else
                rc = http_error(s, rq, rs, code, msg, attempt + 1, err);
            goto out;
        }
        sleep_ms(delay);
    }
out:
    if (rc && rs->sink) { /* nothing of a failed request stays in the caller's buffer */
        rs->sink->len = rs->sink_start;
        if (rs->sink->data)
            rs->sink->data[rs->sink->len] = 0;
    }
    lh_free(code);
    lh_free(msg);
    curl_slist_free_all(hdrs);
    lh_buf_free(&url);
    return scrub(s, err, rc);
}

/* ---- objects ---- */

static lh_rc s3_head(void *st, const char *bucket, const char *key, const char *uri, lh_obj_info *out, lh_err *err)
{
    s3_store *s = st;
    s3_req rq = {.op = "HeadObject", .method = "HEAD", .bucket = bucket, .key = key, .uri = uri};
    s3_resp rs;
    lh_rc rc;
    resp_init(&rs);
    rc = s3_do(s, &rq, &rs, err);
    if (!rc && !rs.has_len)
        rc = lh_errf(err, LH_EPARSE, "S3 HeadObject %s: the answer has no Content-Length", uri);
    if (!rc) {
        out->size = rs.len;
        out->mtime_ms = rs.mtime_ms;
    }
    resp_free(&rs);
    return scrub(s, err, rc);
}

static lh_rc s3_get_range(void *st, const char *bucket, const char *key, const char *uri, uint64_t off, size_t len,
                          lh_buf *out, size_t *got, lh_err *err)
{
    s3_store *s = st;
    s3_req rq = {.op = "GetObject", .method = "GET", .bucket = bucket, .key = key, .uri = uri, .sink = out};
    s3_resp rs;
    char range[64];
    size_t start = out->len;
    lh_rc rc = LH_OK;
    *got = 0;
    resp_init(&rs);
    if (len == 0 || (off > 0 && len == SIZE_MAX)) { /* the size first: no open-ended or suffix ranges */
        lh_obj_info info = {0};
        rc = s3_head(st, bucket, key, uri, &info, err);
        if (rc || off >= info.size || len == 0)
            goto out;
        if (info.size - off < (uint64_t)len)
            len = (size_t)(info.size - off);
    }
    if (!(off == 0 && len == SIZE_MAX)) {
        uint64_t last = (uint64_t)len - 1 > UINT64_MAX - off ? UINT64_MAX - 1 : off + (uint64_t)len - 1;
        snprintf(range, sizeof range, "bytes=%llu-%llu", (unsigned long long)off, (unsigned long long)last);
        rq.range = range;
        rq.ok_status = 416; /* starts past the end: nothing */
    }
    rc = s3_do(s, &rq, &rs, err);
    if (rc)
        goto out;
    if (rs.status == 416) {
        out->len = start;
        goto out;
    }
    if (rq.range && rs.status == 200) { /* the server ignored the range: cut it out ourselves */
        size_t have = out->len - start;
        size_t from = off < have ? (size_t)off : have;
        size_t n = have - from < len ? have - from : len;
        memmove(out->data + start, out->data + start + from, n);
        out->len = start + n;
    } else if (out->len - start > len) { /* more than asked for */
        out->len = start + len;
    }
    if (out->data && out->alloc > out->len)
        out->data[out->len] = 0;
    *got = out->len - start;
out:
    resp_free(&rs);
    return scrub(s, err, rc);
}

static lh_rc s3_put(void *st, const char *bucket, const char *key, const char *uri, const void *data, size_t len,
                    lh_err *err)
{
    s3_store *s = st;
    s3_req rq = {.op = "PutObject", .method = "PUT", .bucket = bucket, .key = key, .uri = uri, .body = data,
                 .body_len = len};
    s3_resp rs;
    lh_rc rc;
    resp_init(&rs);
    rc = s3_do(s, &rq, &rs, err);
    resp_free(&rs);
    return rc;
}

static lh_rc s3_del(void *st, const char *bucket, const char *key, const char *uri, lh_err *err)
{
    s3_store *s = st;
    s3_req rq = {.op = "DeleteObject", .method = "DELETE", .bucket = bucket, .key = key, .uri = uri,
                 .ok_status = 404};
    s3_resp rs;
    lh_rc rc;
    resp_init(&rs);
    rc = s3_do(s, &rq, &rs, err);
    resp_free(&rs);
    return rc;
}

/* ---- listing ---- */

/* A key we can hand out: one lh_uri_parse accepts and that names an object
 * (not a "folder/" marker). */
static int usable_key(const char *bucket, const char *key, lh_err *err, lh_rc *rc)
{
    char *u;
    size_t n = strlen(key);
    int ok;
    *rc = LH_OK;
    if (n == 0 || key[n - 1] == '/')
        return 0;
    u = lh_aprintf("s3://%s/%s", bucket, key);
    if (!u) {
        *rc = lh_errf(err, LH_ENOMEM, "out of memory listing objects");
        return 0;
    }
    ok = lh_uri_parse(u, NULL, NULL, NULL) == LH_OK;
    lh_free(u);
    return ok;
}

static lh_rc s3_list(void *st, const char *bucket, const char *prefix, const char *token, size_t max_keys,
                     const char *uri, lh_list_page *out, lh_err *err)
{
    s3_store *s = st;
    char mk[24];
    const char *q[8] = {"list-type", "2", "max-keys", mk, "prefix", prefix, "continuation-token", token};
    s3_req rq = {.op = "ListObjectsV2", .method = "GET", .bucket = bucket, .query = q, .nquery = token ? 4 : 3,
                 .uri = uri};
    lh_s3_list_result res = {0};
    s3_resp rs;
    size_t i;
    lh_rc rc;
    resp_init(&rs);
    snprintf(mk, sizeof mk, "%zu", max_keys);
    rc = s3_do(s, &rq, &rs, err);
    if (rc)
        goto out;
    rc = lh_s3_parse_list(rs.body.data ? rs.body.data : "", rs.body.len, &res, err);
    if (rc) {
        lh_err_prefix(err, "S3 ListObjectsV2 %s", uri);
        goto out;
    }
    if (res.n) {
        out->items = lh_calloc(res.n, sizeof *out->items);
        if (!out->items) {
            rc = lh_errf(err, LH_ENOMEM, "S3 ListObjectsV2 %s: out of memory", uri);
            goto out;
        }
    }
    for (i = 0; i < res.n; i++) {
        lh_obj_info *o = &out->items[out->n];
        if (!usable_key(bucket, res.items[i].key, err, &rc)) {
            if (rc)
                goto out;
            continue;
        }
        o->uri = lh_aprintf("s3://%s/%s", bucket, res.items[i].key);
        if (!o->uri) {
            rc = lh_errf(err, LH_ENOMEM, "S3 ListObjectsV2 %s: out of memory", uri);
            goto out;
        }
        o->size = res.items[i].size;
        o->mtime_ms = res.items[i].mtime_ms;
        out->n++;
    }
    if (res.truncated) {
        out->next_token = res.next_token;
        res.next_token = NULL;
    }
out:
    lh_s3_list_result_free(&res);
    resp_free(&rs);
    return scrub(s, err, rc);
}

/* ---- streaming writer: one PutObject, or a multipart upload ---- */

typedef struct s3_writer {
    s3_store *s;
    char *bucket, *key, *uri;
    lh_buf buf; /* at most part_size bytes */
    char *upload_id;
    char **etags;
    size_t nparts, cap;
} s3_writer;

static void writer_free(s3_writer *w)
{
    size_t i;
    if (!w)
        return;
    for (i = 0; i < w->nparts; i++)
        lh_free(w->etags[i]);
    lh_free(w->etags);
    lh_free(w->upload_id);
    lh_buf_free(&w->buf);
    lh_free(w->bucket);
    lh_free(w->key);
    lh_free(w->uri);
    lh_free(w);
}

/* AbortMultipartUpload; best effort (an upload S3 never hears about again
 * is removed by a bucket lifecycle rule, see docs/s3.md). */
static void abort_upload(s3_writer *w)
{
    const char *q[2] = {"uploadId", w->upload_id};
    s3_req rq = {.op = "AbortMultipartUpload", .method = "DELETE", .bucket = w->bucket, .key = w->key, .query = q,
                 .nquery = 1, .uri = w->uri, .ok_status = 404};
    s3_resp rs;
    if (!w->upload_id)
        return;
    resp_init(&rs);
    (void)s3_do(w->s, &rq, &rs, NULL);
    resp_free(&rs);
    lh_free(w->upload_id);
    w->upload_id = NULL;
}

static lh_rc create_upload(s3_writer *w, lh_err *err)
{
    const char *q[2] = {"uploads", NULL};
    s3_req rq = {.op = "CreateMultipartUpload", .method = "POST", .bucket = w->bucket, .key = w->key, .query = q,
                 .nquery = 1, .uri = w->uri, .content_type = "application/octet-stream"};
    s3_resp rs;
    lh_rc rc;
    resp_init(&rs);
    rc = s3_do(w->s, &rq, &rs, err);
    if (!rc) {
        rc = lh_s3_parse_upload_id(rs.body.data ? rs.body.data : "", rs.body.len, &w->upload_id, err);
        if (rc)
            lh_err_prefix(err, "S3 CreateMultipartUpload %s", w->uri);
    }
    resp_free(&rs);
    return rc;
}

static lh_rc upload_part(s3_writer *w, lh_err *err)
{
    char num[16];
    const char *q[4] = {"partNumber", num, "uploadId", w->upload_id};
    s3_req rq = {.op = "UploadPart", .method = "PUT", .bucket = w->bucket, .key = w->key, .query = q, .nquery = 2,
                 .uri = w->uri, .body = w->buf.data, .body_len = w->buf.len};
    s3_resp rs;
    lh_rc rc;
    if (w->nparts >= MAX_PARTS)
        return lh_errf(err, LH_ELIMIT, "S3 UploadPart %s: more than %d parts of %zu bytes; raise the part size",
                       w->uri, MAX_PARTS, w->s->part_size);
    if (w->nparts == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        char **ne = lh_realloc(w->etags, nc * sizeof *ne);
        if (!ne)
            return lh_errf(err, LH_ENOMEM, "S3 UploadPart %s: out of memory", w->uri);
        w->etags = ne;
        w->cap = nc;
    }
    snprintf(num, sizeof num, "%zu", w->nparts + 1);
    resp_init(&rs);
    rc = s3_do(w->s, &rq, &rs, err);
    if (!rc && !rs.etag[0])
        rc = lh_errf(err, LH_EPARSE, "S3 UploadPart %s: part %s: the answer has no ETag", w->uri, num);
    if (!rc) {
        w->etags[w->nparts] = lh_strdup(rs.etag);
        if (!w->etags[w->nparts])
            rc = lh_errf(err, LH_ENOMEM, "S3 UploadPart %s: out of memory", w->uri);
        else
            w->nparts++;
    }
    if (!rc)
        lh_buf_reset(&w->buf);
    resp_free(&rs);
    return rc;
}

static lh_rc complete_upload(s3_writer *w, lh_err *err)
{
    const char *q[2] = {"uploadId", w->upload_id};
    s3_req rq = {.op = "CompleteMultipartUpload", .method = "POST", .bucket = w->bucket, .key = w->key, .query = q,
                 .nquery = 1, .uri = w->uri, .content_type = "application/xml"};
    char *code = NULL, *msg = NULL;
    s3_resp rs;
    lh_buf x;
    size_t i;
    lh_rc rc;
    resp_init(&rs);
    lh_buf_init(&x, 0);
    rc = lh_buf_puts(&x, "<CompleteMultipartUpload>", err);
    for (i = 0; i < w->nparts && !rc; i++) {
        rc = lh_buf_printf(&x, err, "<Part><PartNumber>%zu</PartNumber><ETag>", i + 1);
        if (!rc)
            rc = lh_xml_escape(&x, w->etags[i], err);
        if (!rc)
            rc = lh_buf_puts(&x, "</ETag></Part>", err);
    }
    if (!rc)
        rc = lh_buf_puts(&x, "</CompleteMultipartUpload>", err);
    if (rc) {
        lh_err_prefix(err, "S3 CompleteMultipartUpload %s", w->uri);
        goto out;
    }
    rq.body = x.data;
    rq.body_len = x.len;
    rc = s3_do(w->s, &rq, &rs, err);
    if (rc)
        goto out;
    /* S3 may answer 200 and put an <Error> in the body */
    if (rs.body.len && lh_s3_parse_error(rs.body.data, rs.body.len, &code, &msg, NULL) == LH_OK)
        rc = lh_errf(err, LH_EIO, "S3 CompleteMultipartUpload %s: 200 with error %s: %.300s", w->uri,
                     code ? code : "(no code)", msg ? msg : "(no message)");
out:
    lh_free(code);
    lh_free(msg);
    lh_buf_free(&x);
    resp_free(&rs);
    return rc;
}

/* The buffer is full and more is coming: send it as the next part. */
static lh_rc flush_part(s3_writer *w, lh_err *err)
{
    lh_rc rc = LH_OK;
    if (!w->upload_id)
        rc = create_upload(w, err);
    if (!rc)
        rc = upload_part(w, err);
    return rc;
}

static lh_rc s3_writer_open(void *st, const char *bucket, const char *key, const char *uri, void **wout,
                            lh_err *err)
{
    s3_store *s = st;
    s3_writer *w = lh_calloc(1, sizeof *w);
    *wout = NULL;
    if (!w)
        return lh_errf(err, LH_ENOMEM, "%s: out of memory opening a writer", uri);
    w->s = s;
    lh_buf_init(&w->buf, s->part_size);
    w->bucket = lh_strdup(bucket);
    w->key = lh_strdup(key);
    w->uri = lh_strdup(uri);
    if (!w->bucket || !w->key || !w->uri) {
        writer_free(w);
        return lh_errf(err, LH_ENOMEM, "%s: out of memory opening a writer", uri);
    }
    *wout = w;
    return LH_OK;
}

static lh_rc s3_writer_write(void *wp, const void *data, size_t len, lh_err *err)
{
    s3_writer *w = wp;
    const char *p = data;
    lh_rc rc = LH_OK;
    while (len > 0) {
        size_t take;
        if (w->buf.len == w->s->part_size) {
            rc = flush_part(w, err);
            if (rc)
                break;
        }
        take = w->s->part_size - w->buf.len;
        if (take > len)
            take = len;
        rc = lh_buf_append(&w->buf, p, take, err);
        if (rc) {
            lh_err_prefix(err, "%s", w->uri);
            break;
        }
        p += take;
        len -= take;
    }
    if (rc)
        abort_upload(w); /* any failure ends the upload; the writer refuses commit */
    return scrub(w->s, err, rc);
}

static lh_rc s3_writer_commit(void *wp, lh_err *err)
{
    s3_writer *w = wp;
    s3_store *s = w->s;
    lh_rc rc;
    if (!w->upload_id) {
        rc = s3_put(s, w->bucket, w->key, w->uri, w->buf.data, w->buf.len, err);
    } else {
        rc = upload_part(w, err); /* the last part (never empty: we flush only when more follows) */
        if (!rc)
            rc = complete_upload(w, err);
        if (rc)
            abort_upload(w);
    }
    writer_free(w);
    return scrub(s, err, rc);
}

static void s3_writer_abort(void *wp)
{
    s3_writer *w = wp;
    if (!w)
        return;
    abort_upload(w);
    writer_free(w);
}

/* ---- open / close ---- */

static void s3_close(void *st)
{
    s3_store *s = st;
    if (!s)
        return;
    if (s->curl)
        curl_easy_cleanup(s->curl);
    if (s->global_init)
        curl_global_cleanup();
    lh_free(s->scheme);
    lh_free(s->hostport);
    lh_free(s->endpoint);
    lh_free(s->region);
    lh_free(s->sigv4);
    lh_free(s->access_key);
    wipe_free(s->secret_key);
    wipe_free(s->session_token);
    lh_free(s->cred_source);
    explicit_bzero(s, sizeof *s);
    lh_free(s);
}

static const lh_store_ops s3_ops;

/* A second handle with the same endpoint, region, credentials and limits,
 * and its own curl handle (a curl handle serves one thread at a time). */
static lh_rc s3_clone(void *st, lh_store **out, lh_err *err)
{
    const s3_store *o = st;
    s3_store *s = lh_calloc(1, sizeof *s);
    lh_rc rc;
    if (!s)
        return lh_errf(err, LH_ENOMEM, "out of memory opening a second S3 handle");
    s->scheme = lh_strdup(o->scheme);
    s->hostport = lh_strdup(o->hostport);
    s->endpoint = lh_strdup(o->endpoint);
    s->region = lh_strdup(o->region);
    s->sigv4 = lh_strdup(o->sigv4);
    s->access_key = lh_strdup(o->access_key);
    s->secret_key = lh_strdup(o->secret_key);
    s->session_token = o->session_token ? lh_strdup(o->session_token) : NULL;
    s->cred_source = lh_strdup(o->cred_source);
    s->custom_endpoint = o->custom_endpoint;
    s->addressing = o->addressing;
    s->max_retries = o->max_retries;
    s->timeout_ms = o->timeout_ms;
    s->connect_timeout_ms = o->connect_timeout_ms;
    s->retry_budget_ms = o->retry_budget_ms;
    s->part_size = o->part_size;
    if (!s->scheme || !s->hostport || !s->endpoint || !s->region || !s->sigv4 || !s->access_key || !s->secret_key ||
        (o->session_token && !s->session_token) || !s->cred_source) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening a second S3 handle");
        goto fail;
    }
    if (getrandom(&s->rng, sizeof s->rng, GRND_NONBLOCK) != (ssize_t)sizeof s->rng || s->rng == 0)
        s->rng = (o->rng ^ (uint64_t)now_ms()) * 0x9e3779b97f4a7c15ULL | 1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = lh_errf(err, LH_EINTERNAL, "cannot initialise libcurl");
        goto fail;
    }
    s->global_init = 1;
    s->curl = curl_easy_init();
    if (!s->curl || curl_easy_setopt(s->curl, CURLOPT_AWS_SIGV4, s->sigv4) != CURLE_OK) {
        rc = lh_errf(err, LH_ENOMEM, "cannot create a second libcurl handle");
        goto fail;
    }
    return lh_store_wrap(&s3_ops, s, out, err); /* closes s on failure */
fail:
    s3_close(s);
    return rc;
}

static const lh_store_ops s3_ops = {
    .kind = "s3",
    .clone = s3_clone,
    .list = s3_list,
    .head = s3_head,
    .get_range = s3_get_range,
    .put = s3_put,
    .writer_open = s3_writer_open,
    .writer_write = s3_writer_write,
    .writer_commit = s3_writer_commit,
    .writer_abort = s3_writer_abort,
    .del = s3_del,
    .close = s3_close,
};

/* Split "http[s]://HOST[:PORT][/]" into scheme and host:port. */
static lh_rc parse_endpoint(s3_store *s, const char *ep, lh_err *err)
{
    const char *rest, *end;
    size_t i, n;
    if (!strncasecmp(ep, "https://", 8)) {
        s->scheme = lh_strdup("https");
        rest = ep + 8;
    } else if (!strncasecmp(ep, "http://", 7)) {
        s->scheme = lh_strdup("http");
        rest = ep + 7;
    } else {
        return lh_errf(err, LH_EINVAL, "S3 endpoint \"%.200s\": expected http://HOST[:PORT] or https://HOST[:PORT]",
                       ep);
    }
    if (!s->scheme)
        return lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
    end = rest + strcspn(rest, "/?#");
    n = (size_t)(end - rest);
    if (n == 0 || (*end && strcmp(end, "/") != 0))
        return lh_errf(err, LH_EINVAL, "S3 endpoint \"%.200s\": expected http[s]://HOST[:PORT] with no path or query",
                       ep);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)rest[i];
        if (c <= 0x20 || c == 0x7f || c == '@' || c == '\\')
            return lh_errf(err, LH_EINVAL,
                           "S3 endpoint \"%.200s\": the host holds '%c' (user info and blanks are not allowed)", ep,
                           c > 0x20 && c != 0x7f ? c : '?');
    }
    s->hostport = lh_strndup(rest, n);
    s->endpoint = lh_aprintf("%s://%.*s", s->scheme, (int)n, rest);
    if (!s->hostport || !s->endpoint)
        return lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
    return LH_OK;
}

static lh_rc check_region(const char *r, lh_err *err)
{
    size_t i, n = strlen(r);
    if (n == 0 || n > 40)
        return lh_errf(err, LH_EINVAL, "AWS region \"%.60s\": expected a name like us-east-1", r);
    for (i = 0; i < n; i++)
        if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') || r[i] == '-'))
            return lh_errf(err, LH_EINVAL, "AWS region \"%.60s\": expected lowercase letters, digits and '-'", r);
    return LH_OK;
}

lh_rc lh_store_open_s3(const lh_s3_opts *o, lh_store **out, lh_err *err)
{
    static const lh_s3_opts defaults;
    lh_aws_creds cr = {0};
    s3_store *s = NULL;
    const char *region, *ep;
    char *aws_ep = NULL;
    lh_rc rc;
    *out = NULL;
    if (!o)
        o = &defaults;
    rc = lh_curl_load(&g_curl, err);
    if (rc)
        return rc;
    s = lh_calloc(1, sizeof *s);
    if (!s) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
        goto out;
    }
    if ((o->access_key && *o->access_key) != (o->secret_key && *o->secret_key)) {
        rc = lh_errf(err, LH_EINVAL, "S3 options: give both the access key and the secret key, or neither");
        goto out;
    }
    rc = lh_aws_creds_load(o->profile, !(o->access_key && *o->access_key), &cr, err);
    if (rc)
        goto out;
    if (o->access_key && *o->access_key) {
        s->access_key = lh_strdup(o->access_key);
        s->secret_key = lh_strdup(o->secret_key);
        s->session_token = o->session_token && *o->session_token ? lh_strdup(o->session_token) : NULL;
        s->cred_source = lh_strdup("the S3 options");
        if (o->session_token && *o->session_token && !s->session_token) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
            goto out;
        }
    } else {
        s->access_key = cr.access_key;
        s->secret_key = cr.secret_key;
        s->session_token = cr.session_token;
        cr.access_key = cr.secret_key = cr.session_token = NULL;
        s->cred_source = lh_strdup(cr.source);
    }
    region = o->region && *o->region ? o->region : cr.region ? cr.region : "us-east-1";
    s->region = lh_strdup(region);
    if (!s->access_key || !s->secret_key || !s->cred_source || !s->region) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
        goto out;
    }
    rc = check_region(s->region, err);
    if (rc)
        goto out;
    ep = o->endpoint && *o->endpoint ? o->endpoint : cr.endpoint;
    s->custom_endpoint = ep != NULL;
    if (!ep) {
        aws_ep = lh_aprintf("https://s3.%s.amazonaws.com", s->region);
        if (!aws_ep) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
            goto out;
        }
        ep = aws_ep;
    }
    rc = parse_endpoint(s, ep, err);
    if (rc)
        goto out;
    s->addressing = o->addressing;
    if (s->addressing != LH_S3_ADDR_AUTO && s->addressing != LH_S3_ADDR_PATH && s->addressing != LH_S3_ADDR_VHOST) {
        rc = lh_errf(err, LH_EINVAL, "S3 options: unknown addressing style %d", (int)o->addressing);
        goto out;
    }
    s->part_size = o->part_size ? o->part_size : LH_S3_DEFAULT_PART_SIZE;
    if (s->part_size < LH_S3_MIN_PART_SIZE || s->part_size > MAX_PART_SIZE) {
        rc = lh_errf(err, LH_EINVAL, "S3 options: part size %zu bytes is outside S3's limits (5 MiB to 5 GiB)",
                     s->part_size);
        goto out;
    }
    s->max_retries = o->max_retries == 0 ? DEFAULT_RETRIES : o->max_retries < 0 ? 0 : o->max_retries;
    s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 0;
    s->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : DEFAULT_CONNECT_MS;
    s->retry_budget_ms = o->retry_budget_ms > 0 ? o->retry_budget_ms : DEFAULT_BUDGET_MS;
    s->sigv4 = lh_aprintf("aws:amz:%s:s3", s->region);
    if (!s->sigv4) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening the S3 store");
        goto out;
    }
    if (getrandom(&s->rng, sizeof s->rng, GRND_NONBLOCK) != (ssize_t)sizeof s->rng || s->rng == 0)
        s->rng = (uint64_t)now_ms() * 0x9e3779b97f4a7c15ULL | 1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = lh_errf(err, LH_EINTERNAL, "cannot initialise libcurl");
        goto out;
    }
    s->global_init = 1;
    s->curl = curl_easy_init();
    if (!s->curl) {
        rc = lh_errf(err, LH_ENOMEM, "cannot create a libcurl handle (out of memory?)");
        goto out;
    }
    if (curl_easy_setopt(s->curl, CURLOPT_AWS_SIGV4, s->sigv4) != CURLE_OK) {
        rc = lh_errf(err, LH_EUNSUPPORTED, "this libcurl (%s) cannot sign requests with AWS SigV4; need 7.75 or later",
                     curl_version());
        goto out;
    }
    rc = lh_store_wrap(&s3_ops, s, out, err); /* closes s on failure */
    s = NULL;
out:
    if (rc && s)
        rc = scrub(s, err, rc);
    s3_close(s);
    lh_free(aws_ep);
    lh_aws_creds_free(&cr);
    return rc;
}
