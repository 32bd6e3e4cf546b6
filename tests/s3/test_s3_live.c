/* tests/s3/test_s3_live.c — the S3 backend against a live S3-compatible
 * endpoint (tests/s3/run.sh starts s3rver behind the strict SigV4 proxy).
 *
 * Environment: AWS_ENDPOINT_URL (required), AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION; LH_S3_BUCKET (default
 * stedi-lakehouse).  Everything is written under a fresh prefix
 * lh-live-PID-TIME/ and deleted at the end.
 *
 * Prints one line per check, "ok - NAME" or "not ok - NAME: DETAIL", then
 * "live: N passed, M failed"; exits 1 when anything failed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/s3.h"
#include "store/store.h"

static int passed, failed;
static const char *g_secret; /* the real secret: must never show in a message */

static void check(int cond, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void check(int cond, const char *name, const char *fmt, ...)
{
    va_list ap;
    if (cond) {
        printf("ok - %s\n", name);
        passed++;
        return;
    }
    printf("not ok - %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    failed++;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int no_secret(const lh_err *e, const char *secret)
{
    return !secret || !*secret || strstr(e->msg, secret) == NULL;
}

static char bucket[64], prefix[128];
static int cleanup_failed;

/* Remove a test object; a failure is counted and reported at the end. */
static void del(lh_store *s, const char *uri, lh_err *e)
{
    if (lh_store_delete(s, uri, e) != LH_OK)
        cleanup_failed++;
}
static const char *const odd = "basic/odd key+a=b&c (1)~'x'$!*,;@\xc3\xa9.txt";

static const char *u(const char *key)
{
    static char buf[8][600];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "s3://%s/%s%s", bucket, prefix, key);
    return buf[i];
}

static void fill(char *p, size_t n, uint32_t seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)(seed >> 16);
    }
}

static void test_basic(lh_store *s)
{
    const char *body = "hello, lakehouse on S3\n";
    lh_buf b;
    lh_obj_info info = {0};
    lh_err e = {0};
    size_t got = 0;
    lh_rc rc;
    lh_buf_init(&b, 0);
    rc = lh_store_put(s, u("basic/hello.txt"), body, strlen(body), &e);
    check(rc == LH_OK, "put", "%s", e.msg);
    rc = lh_store_get(s, u("basic/hello.txt"), &b, &e);
    check(rc == LH_OK && b.len == strlen(body) && !memcmp(b.data, body, b.len), "get whole object", "rc=%d %s", rc,
          e.msg);
    rc = lh_store_head(s, u("basic/hello.txt"), &info, &e);
    check(rc == LH_OK && info.size == strlen(body) && info.mtime_ms > 1600000000000LL, "head size and mtime",
          "rc=%d size=%llu mtime=%lld %s", rc, (unsigned long long)info.size, (long long)info.mtime_ms, e.msg);
    lh_obj_info_free(&info);

    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("basic/hello.txt"), 7, 9, &b, &got, &e);
    check(rc == LH_OK && got == 9 && !memcmp(b.data, "lakehouse", 9), "explicit range", "rc=%d got=%zu %s", rc, got,
          e.msg);
    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("basic/hello.txt"), strlen(body) - 3, SIZE_MAX, &b, &got, &e);
    check(rc == LH_OK && got == 3 && !memcmp(b.data, "S3\n", 3), "range to the end (HEAD, then explicit range)",
          "rc=%d got=%zu '%.*s' %s", rc, got, (int)b.len, b.data ? b.data : "", e.msg);
    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("basic/hello.txt"), strlen(body) - 2, 100, &b, &got, &e);
    check(rc == LH_OK && got == 2 && !memcmp(b.data, "3\n", 2), "range past the end is cut", "rc=%d got=%zu %s", rc,
          got, e.msg);
    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("basic/hello.txt"), 1000, 10, &b, &got, &e);
    check(rc == LH_OK && got == 0 && b.len == 0, "range starting past the end is empty", "rc=%d got=%zu %s", rc, got,
          e.msg);
    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("basic/hello.txt"), 0, 0, &b, &got, &e);
    check(rc == LH_OK && got == 0, "zero-length range", "rc=%d got=%zu %s", rc, got, e.msg);

    /* empty object */
    rc = lh_store_put(s, u("basic/empty"), "", 0, &e);
    lh_buf_reset(&b);
    if (!rc)
        rc = lh_store_get(s, u("basic/empty"), &b, &e);
    check(rc == LH_OK && b.len == 0, "empty object round trip", "rc=%d %s", rc, e.msg);

    /* a key that needs encoding, listed back decoded */
    {
        lh_obj_info *items = NULL;
        size_t n = 0, i;
        int found = 0;
        rc = lh_store_put(s, u(odd), "x", 1, &e);
        check(rc == LH_OK, "put a key with spaces, +, =, &, UTF-8", "%s", e.msg);
        lh_buf_reset(&b);
        rc = lh_store_get(s, u(odd), &b, &e);
        check(rc == LH_OK && b.len == 1, "get that key back", "rc=%d %s", rc, e.msg);
        rc = lh_store_list_all(s, u("basic/"), &items, &n, &e);
        for (i = 0; i < n; i++)
            found |= !strcmp(items[i].uri, u(odd));
        check(rc == LH_OK && n == 3 && found, "list decodes the key (XML entities)", "rc=%d n=%zu found=%d %s", rc, n,
              found, e.msg);
        lh_obj_list_free(items, n);
    }

    /* not found */
    rc = lh_store_get(s, u("basic/nope.txt"), &b, &e);
    check(rc == LH_ENOTFOUND && strstr(e.msg, "basic/nope.txt") && strstr(e.msg, "GetObject"),
          "GET of a missing key is LH_ENOTFOUND naming the key", "rc=%d %s", rc, e.msg);
    printf("# %s\n", e.msg);
    rc = lh_store_head(s, u("basic/nope.txt"), &info, &e);
    check(rc == LH_ENOTFOUND && strstr(e.msg, "basic/nope.txt"), "HEAD of a missing key is LH_ENOTFOUND", "rc=%d %s",
          rc, e.msg);
    rc = lh_store_get(s, "s3://no-such-bucket-lh/x", &b, &e);
    check(rc == LH_ENOTFOUND && strstr(e.msg, "no-such-bucket-lh"), "missing bucket is LH_ENOTFOUND naming it",
          "rc=%d %s", rc, e.msg);
    printf("# %s\n", e.msg);

    /* delete */
    rc = lh_store_delete(s, u("basic/hello.txt"), &e);
    check(rc == LH_OK, "delete", "%s", e.msg);
    rc = lh_store_head(s, u("basic/hello.txt"), &info, &e);
    check(rc == LH_ENOTFOUND, "deleted object is gone", "rc=%d", rc);
    rc = lh_store_delete(s, u("basic/hello.txt"), &e);
    check(rc == LH_OK, "deleting a missing object is fine", "rc=%d %s", rc, e.msg);
    del(s, u("basic/empty"), NULL);
    del(s, u(odd), NULL);
    lh_buf_free(&b);
}

static void test_list_many(lh_store *s)
{
    enum { N = 1100 };
    lh_list_page pg = {0};
    lh_obj_info *items = NULL;
    lh_err e = {0};
    size_t n = 0, i;
    int sorted = 1, put_ok = 1;
    char key[64];
    lh_rc rc;
    int64_t t0 = now_ms();
    for (i = 0; i < N && put_ok; i++) {
        snprintf(key, sizeof key, "many/obj-%05zu.json", i);
        if (lh_store_put(s, u(key), key, strlen(key), &e) != LH_OK)
            put_ok = 0;
    }
    check(put_ok, "put 1,100 small objects", "at %zu: %s", i, e.msg);
    printf("# 1,100 puts in %.1f s\n", (double)(now_ms() - t0) / 1000.0);
    rc = lh_store_list(s, u("many/"), NULL, 0, &pg, &e);
    check(rc == LH_OK && pg.n == 1000 && pg.next_token != NULL, "first page: 1,000 keys and a continuation token",
          "rc=%d n=%zu token=%s %s", rc, pg.n, pg.next_token ? "yes" : "no", e.msg);
    if (rc == LH_OK && pg.next_token) {
        char *tok = pg.next_token;
        pg.next_token = NULL;
        lh_list_page_free(&pg);
        rc = lh_store_list(s, u("many/"), tok, 0, &pg, &e);
        check(rc == LH_OK && pg.n == 100 && pg.next_token == NULL && pg.n &&
                  !strcmp(pg.items[0].uri, u("many/obj-01000.json")),
              "second page: the other 100, no token", "rc=%d n=%zu first=%s %s", rc, pg.n,
              pg.n ? pg.items[0].uri : "-", e.msg);
        lh_free(tok);
    }
    lh_list_page_free(&pg);
    rc = lh_store_list(s, u("many/"), NULL, 7, &pg, &e);
    check(rc == LH_OK && pg.n == 7 && pg.next_token, "max_keys 7 gives 7 and a token", "rc=%d n=%zu %s", rc, pg.n,
          e.msg);
    lh_list_page_free(&pg);
    rc = lh_store_list_all(s, u("many/"), &items, &n, &e);
    for (i = 1; i < n; i++)
        if (strcmp(items[i - 1].uri, items[i].uri) >= 0)
            sorted = 0;
    check(rc == LH_OK && n == N && sorted, "list_all follows the pages: 1,100 keys, sorted, no duplicates",
          "rc=%d n=%zu sorted=%d %s", rc, n, sorted, e.msg);
    check(n == N && items[0].size == strlen("many/obj-00000.json"), "listed sizes", "size=%llu",
          n ? (unsigned long long)items[0].size : 0ULL);
    lh_obj_list_free(items, n);
    items = NULL;
    rc = lh_store_list_all(s, u("many/obj-0109"), &items, &n, &e);
    check(rc == LH_OK && n == 10, "a key prefix that is not a folder", "rc=%d n=%zu %s", rc, n, e.msg);
    lh_obj_list_free(items, n);
    items = NULL;
    rc = lh_store_list_all(s, u("nothing-here/"), &items, &n, &e);
    check(rc == LH_OK && n == 0, "an empty prefix lists nothing", "rc=%d n=%zu %s", rc, n, e.msg);
    lh_obj_list_free(items, n);
    for (i = 0; i < N; i++) {
        snprintf(key, sizeof key, "many/obj-%05zu.json", i);
        del(s, u(key), NULL);
    }
}

static void test_writer(lh_store *s, lh_store *s5)
{
    const size_t big = 12u << 20; /* 12 MiB: parts of 5, 5 and 2 MiB */
    char *data = malloc(big);
    lh_store_writer *w = NULL;
    lh_obj_info info = {0};
    lh_buf b;
    lh_err e = {0};
    size_t off, got = 0;
    lh_rc rc;
    lh_buf_init(&b, 0);
    if (!data) {
        check(0, "writer", "out of memory");
        return;
    }
    fill(data, big, 42);

    /* small: one PutObject at commit */
    rc = lh_store_writer_open(s, u("w/small.bin"), &w, &e);
    if (!rc)
        rc = lh_store_writer_write(w, data, 1000, &e);
    if (!rc)
        rc = lh_store_writer_write(w, data + 1000, 2000, &e);
    check(rc == LH_OK && lh_store_head(s, u("w/small.bin"), &info, NULL) == LH_ENOTFOUND,
          "small writer: nothing visible before commit", "rc=%d %s", rc, e.msg);
    rc = w ? lh_store_writer_commit(w, &e) : rc;
    w = NULL;
    if (!rc)
        rc = lh_store_get(s, u("w/small.bin"), &b, &e);
    check(rc == LH_OK && b.len == 3000 && !memcmp(b.data, data, 3000), "small writer commits one object", "rc=%d %s",
          rc, e.msg);

    /* big: multipart */
    rc = lh_store_writer_open(s5, u("w/big.bin"), &w, &e);
    for (off = 0; !rc && off < big; off += 1000003)
        rc = lh_store_writer_write(w, data + off, big - off < 1000003 ? big - off : 1000003, &e);
    check(rc == LH_OK && lh_store_writer_size(w) == big &&
              lh_store_head(s, u("w/big.bin"), &info, NULL) == LH_ENOTFOUND,
          "multipart writer: 12 MiB written, nothing visible before commit", "rc=%d %s", rc, e.msg);
    rc = w ? lh_store_writer_commit(w, &e) : rc;
    w = NULL;
    check(rc == LH_OK, "multipart upload completes", "rc=%d %s", rc, e.msg);
    rc = lh_store_head(s, u("w/big.bin"), &info, &e);
    check(rc == LH_OK && info.size == big, "multipart object has the full size", "rc=%d size=%llu %s", rc,
          (unsigned long long)info.size, e.msg);
    lh_obj_info_free(&info);
    lh_buf_reset(&b);
    rc = lh_store_get(s, u("w/big.bin"), &b, &e);
    check(rc == LH_OK && b.len == big && !memcmp(b.data, data, big), "multipart object reads back byte for byte",
          "rc=%d len=%zu %s", rc, b.len, e.msg);
    lh_buf_reset(&b);
    rc = lh_store_get_range(s, u("w/big.bin"), (5u << 20) - 10, 20, &b, &got, &e);
    check(rc == LH_OK && got == 20 && !memcmp(b.data, data + (5u << 20) - 10, 20), "range across a part boundary",
          "rc=%d got=%zu %s", rc, got, e.msg);

    /* abort after a part went up: nothing is left visible */
    rc = lh_store_writer_open(s5, u("w/aborted.bin"), &w, &e);
    if (!rc)
        rc = lh_store_writer_write(w, data, 6u << 20, &e);
    check(rc == LH_OK, "abort test: 6 MiB written (one part uploaded)", "rc=%d %s", rc, e.msg);
    if (w)
        lh_store_writer_abort(w);
    w = NULL;
    rc = lh_store_head(s, u("w/aborted.bin"), &info, &e);
    check(rc == LH_ENOTFOUND, "aborted multipart upload leaves no object", "rc=%d", rc);

    del(s, u("w/small.bin"), NULL);
    del(s, u("w/big.bin"), NULL);
    lh_buf_free(&b);
    free(data);
}

static void test_wrong_secret(lh_store *good, const char *endpoint)
{
    const char *bad_secret = "WrongSecret-0123456789-lakehouse";
    lh_s3_opts o = {0};
    lh_store *s = NULL;
    lh_store_writer *w = NULL;
    lh_obj_info info = {0};
    lh_list_page pg = {0};
    lh_buf b;
    lh_err e = {0};
    char *data = malloc(6u << 20);
    int64_t t0;
    lh_rc rc;
    lh_buf_init(&b, 0);
    o.endpoint = endpoint;
    o.access_key = getenv("AWS_ACCESS_KEY_ID");
    o.secret_key = bad_secret;
    o.part_size = 5u << 20;
    rc = lh_store_open_s3(&o, &s, &e);
    check(rc == LH_OK, "open with a wrong secret (no request yet)", "%s", e.msg);
    if (rc || !data) {
        free(data);
        return;
    }
    t0 = now_ms();
    rc = lh_store_put(s, u("auth/denied.txt"), "x", 1, &e);
    printf("# %s\n", e.msg);
    check(rc == LH_EAUTH && strstr(e.msg, "PutObject") && strstr(e.msg, "auth/denied.txt") &&
              strstr(e.msg, "403") && strstr(e.msg, "SignatureDoesNotMatch"),
          "wrong secret: PutObject is LH_EAUTH naming the operation, key, 403 and S3's code", "rc=%d %s", rc, e.msg);
    check(no_secret(&e, bad_secret) && no_secret(&e, g_secret), "the secret is not in the message", "%s", e.msg);
    check(now_ms() - t0 < 2000, "a 403 is not retried", "took %lld ms", (long long)(now_ms() - t0));
    check(lh_store_head(good, u("auth/denied.txt"), &info, NULL) == LH_ENOTFOUND, "wrong secret: nothing written",
          "the object exists");
    rc = lh_store_get(s, u("auth/denied.txt"), &b, &e);
    check(rc == LH_EAUTH && strstr(e.msg, "GetObject") && no_secret(&e, bad_secret), "wrong secret: GetObject",
          "rc=%d %s", rc, e.msg);
    rc = lh_store_head(s, u("auth/denied.txt"), &info, &e);
    check(rc == LH_EAUTH && strstr(e.msg, "HeadObject") && no_secret(&e, bad_secret), "wrong secret: HeadObject",
          "rc=%d %s", rc, e.msg);
    rc = lh_store_list(s, u("auth/"), NULL, 0, &pg, &e);
    check(rc == LH_EAUTH && strstr(e.msg, "ListObjectsV2") && no_secret(&e, bad_secret),
          "wrong secret: ListObjectsV2", "rc=%d %s", rc, e.msg);
    lh_list_page_free(&pg);
    rc = lh_store_delete(s, u("auth/denied.txt"), &e);
    check(rc == LH_EAUTH && no_secret(&e, bad_secret), "wrong secret: DeleteObject", "rc=%d %s", rc, e.msg);
    /* the streaming writer: the upload cannot even start */
    fill(data, 6u << 20, 7);
    rc = lh_store_writer_open(s, u("auth/big.bin"), &w, &e);
    if (!rc)
        rc = lh_store_writer_write(w, data, 6u << 20, &e);
    check(rc == LH_EAUTH && strstr(e.msg, "CreateMultipartUpload") && no_secret(&e, bad_secret),
          "wrong secret: multipart writer fails at CreateMultipartUpload", "rc=%d %s", rc, e.msg);
    if (w) {
        rc = lh_store_writer_commit(w, &e);
        check(rc != LH_OK, "a failed writer refuses commit", "rc=%d", rc);
    }
    check(lh_store_head(good, u("auth/big.bin"), &info, NULL) == LH_ENOTFOUND,
          "wrong secret: multipart writer wrote nothing", "the object exists");
    lh_store_close(s);
    s = NULL;

    /* an unknown access key */
    o.access_key = "NOSUCHKEY";
    o.secret_key = g_secret ? g_secret : "x";
    rc = lh_store_open_s3(&o, &s, &e);
    if (!rc)
        rc = lh_store_put(s, u("auth/denied.txt"), "x", 1, &e);
    check(rc == LH_EAUTH && strstr(e.msg, "InvalidAccessKeyId") && no_secret(&e, g_secret),
          "unknown access key: LH_EAUTH InvalidAccessKeyId, secret not shown", "rc=%d %s", rc, e.msg);
    lh_store_close(s);
    lh_buf_free(&b);
    free(data);
}

static void test_unreachable(void)
{
    lh_s3_opts o = {0};
    lh_store *s = NULL;
    lh_buf b;
    lh_err e = {0};
    int64_t t0, ms;
    lh_rc rc;
    lh_buf_init(&b, 0);
    o.endpoint = "http://127.0.0.1:1";
    rc = lh_store_open_s3(&o, &s, &e);
    check(rc == LH_OK, "open an unreachable endpoint", "%s", e.msg);
    if (rc)
        return;
    t0 = now_ms();
    rc = lh_store_get(s, "s3://stedi-lakehouse/x.json", &b, &e);
    ms = now_ms() - t0;
    printf("# %s\n", e.msg);
    check(rc == LH_ENET && strstr(e.msg, "127.0.0.1:1") && strstr(e.msg, "5 attempts") && strstr(e.msg, "GetObject"),
          "unreachable endpoint: LH_ENET naming the endpoint after 4 retries", "rc=%d %s", rc, e.msg);
    check(ms < 5000, "unreachable endpoint: gives up within 5 s", "took %lld ms", (long long)ms);
    check(no_secret(&e, g_secret), "unreachable endpoint: no secret in the message", "%s", e.msg);
    lh_store_close(s);
    lh_buf_free(&b);
}

int main(void)
{
    const char *ep = getenv("AWS_ENDPOINT_URL");
    const char *bk = getenv("LH_S3_BUCKET");
    lh_s3_opts o = {0};
    lh_store *s = NULL, *s5 = NULL;
    lh_err e = {0};
    if (!ep || !*ep) {
        fprintf(stderr, "test_s3_live: set AWS_ENDPOINT_URL (tests/s3/run.sh does)\n");
        return 2;
    }
    g_secret = getenv("AWS_SECRET_ACCESS_KEY");
    snprintf(bucket, sizeof bucket, "%s", bk && *bk ? bk : "stedi-lakehouse");
    snprintf(prefix, sizeof prefix, "lh-live-%ld-%lld/", (long)getpid(), (long long)time(NULL));
    o.endpoint = ep;
    if (lh_store_open_s3(&o, &s, &e) != LH_OK) {
        printf("not ok - open: %s\n", e.msg);
        return 1;
    }
    o.part_size = 5u << 20;
    if (lh_store_open_s3(&o, &s5, &e) != LH_OK) {
        printf("not ok - open (5 MiB parts): %s\n", e.msg);
        lh_store_close(s);
        return 1;
    }
    check(!strcmp(lh_store_kind(s), "s3"), "store kind is s3", "%s", lh_store_kind(s));
    test_basic(s);
    test_list_many(s);
    test_writer(s, s5);
    test_wrong_secret(s, ep);
    test_unreachable();
    lh_store_close(s);
    lh_store_close(s5);
    check(cleanup_failed == 0, "cleanup: every test object deleted", "%d deletes failed", cleanup_failed);
    printf("live: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
