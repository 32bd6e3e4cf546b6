/* tests/unit/test_store.c — the object store interface, local backend. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "store/store.h"

typedef struct fx {
    char *root;
    lh_store *s;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lh_err err = {0};
    if (!f)
        return -1;
    f->root = lh_test_tmpdir();
    if (!f->root)
        return -1;
    if (lh_store_open_local(f->root, &f->s, &err) != LH_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lh_store_close(f->s);
    lh_test_rmrf(f->root);
    free(f->root);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static void put_str(lh_store *s, const char *uri, const char *text)
{
    lh_err err = {0};
    lh_rc rc = lh_store_put(s, uri, text, strlen(text), &err);
    if (rc)
        fprintf(stderr, "put %s: %s\n", uri, err.msg);
    assert_int_equal(rc, LH_OK);
}

static void assert_get(lh_store *s, const char *uri, const char *want)
{
    lh_buf b;
    lh_err err = {0};
    lh_rc rc;
    lh_buf_init(&b, 0);
    rc = lh_store_get(s, uri, &b, &err);
    if (rc)
        fprintf(stderr, "get %s: %s\n", uri, err.msg);
    assert_int_equal(rc, LH_OK);
    assert_int_equal(b.len, strlen(want));
    if (b.len)
        assert_memory_equal(b.data, want, b.len);
    lh_buf_free(&b);
}

/* Write a file straight into the lake (bypassing the store), making parents. */
static void raw_file(const char *root, const char *rel, const char *text)
{
    char path[4096], *p;
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", path, strerror(errno));
            *p = '/';
        }
    }
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Number of entries other than . and .. in a folder; -1 if it cannot be opened. */
static int count_entries(const char *root, const char *rel)
{
    char path[4096];
    struct dirent *de;
    int n = 0;
    DIR *d;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    d = opendir(path);
    if (!d)
        return -1;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* Any ".lh-tmp-" file in a folder? */
static int has_tmp(const char *root, const char *rel)
{
    char path[4096];
    struct dirent *de;
    int found = 0;
    DIR *d;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    d = opendir(path);
    if (!d)
        return 0;
    while ((de = readdir(d)))
        if (!strncmp(de->d_name, ".lh-tmp-", 8))
            found = 1;
    closedir(d);
    return found;
}

/* ---- URI parsing ---- */

static void test_uri_good(void **state)
{
    static const struct {
        const char *uri, *bucket, *key;
    } cases[] = {
        {"s3://bkt/customer/landing/c.json", "bkt", "customer/landing/c.json"},
        {"s3://my.bucket-01/x", "my.bucket-01", "x"},
        {"s3://bkt/dir/", "bkt", "dir/"},
        {"s3://bkt/", "bkt", ""},
        {"s3://bkt", "bkt", ""},
        {"s3://123/a b/é.json", "123", "a b/é.json"},
        {"s3://bkt/.hidden/..x/x..", "bkt", ".hidden/..x/x.."},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *b = NULL, *k = NULL;
        lh_err err = {0};
        lh_rc rc = lh_uri_parse(cases[i].uri, &b, &k, &err);
        if (rc)
            fprintf(stderr, "%s: %s\n", cases[i].uri, err.msg);
        assert_int_equal(rc, LH_OK);
        assert_string_equal(b, cases[i].bucket);
        assert_string_equal(k, cases[i].key);
        lh_free(b);
        lh_free(k);
    }
    /* out pointers may be NULL */
    assert_int_equal(lh_uri_parse("s3://bkt/a/b", NULL, NULL, NULL), LH_OK);
}

static void test_uri_bad(void **state)
{
    char long_bucket[80], long_key[1200];
    static const struct {
        const char *uri;
        lh_rc rc; /* 0: either EINVAL or EPERM */
    } cases[] = {
        /* the literal cases of the brief: "b" is itself too short a bucket */
        {"s3://b/../x", 0},
        {"s3://b//x", 0},
        {"s3://B/x", LH_EINVAL},
        {"s3://b/x\\y", LH_EINVAL},
        {"file://x", LH_EINVAL},
        /* key rules with a valid bucket */
        {"s3://bkt/../x", LH_EPERM},
        {"s3://bkt/a/../../x", LH_EPERM},
        {"s3://bkt/a/..", LH_EPERM},
        {"s3://bkt//x", LH_EPERM},
        {"s3://bkt/a//x", LH_EINVAL},
        {"s3://bkt/./x", LH_EINVAL},
        {"s3://bkt/a/.", LH_EINVAL},
        {"s3://bkt/x\\y", LH_EINVAL},
        {"s3://bkt/x\ny", LH_EINVAL},
        {"s3://bkt/x\x7fy", LH_EINVAL},
        {"s3://bkt/x\ty", LH_EINVAL},
        /* bucket rules */
        {"s3://Bkt/x", LH_EINVAL},
        {"s3://ab/x", LH_EINVAL},
        {"s3://-bkt/x", LH_EINVAL},
        {"s3://bkt-/x", LH_EINVAL},
        {"s3://.bkt/x", LH_EINVAL},
        {"s3://b..kt/x", LH_EINVAL},
        {"s3://b_kt/x", LH_EINVAL},
        {"s3:///x", LH_EINVAL},
        {"s3://", LH_EINVAL},
        {"S3://bkt/x", LH_EINVAL},
        {"s3:/bkt/x", LH_EINVAL},
        {"/tmp/x", LH_EINVAL},
        {"", LH_EINVAL},
    };
    size_t i;
    char *b = (char *)1, *k = (char *)1;
    lh_err err = {0};
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lh_rc rc = lh_uri_parse(cases[i].uri, &b, &k, &err);
        if (cases[i].rc)
            assert_int_equal(rc, cases[i].rc);
        else
            assert_true(rc == LH_EINVAL || rc == LH_EPERM);
        assert_null(b);
        assert_null(k);
        assert_true(err.msg[0] != 0);
        if (!strchr(cases[i].uri, '\n') && !strchr(cases[i].uri, '\t') && !strchr(cases[i].uri, '\x7f') &&
            cases[i].uri[0])
            assert_non_null(strstr(err.msg, cases[i].uri)); /* the message names the URI */
    }
    /* lengths */
    memset(long_bucket, 'a', sizeof long_bucket);
    memcpy(long_bucket, "s3://", 5);
    long_bucket[5 + 64] = 0; /* 64 characters */
    assert_int_equal(lh_uri_parse(long_bucket, NULL, NULL, &err), LH_EINVAL);
    long_bucket[5 + 63] = 0; /* 63 is fine */
    assert_int_equal(lh_uri_parse(long_bucket, NULL, NULL, &err), LH_OK);
    memset(long_key, 'k', sizeof long_key);
    memcpy(long_key, "s3://bkt/", 9);
    long_key[9 + 1025] = 0;
    assert_int_equal(lh_uri_parse(long_key, NULL, NULL, &err), LH_EINVAL);
    long_key[9 + 1024] = 0;
    assert_int_equal(lh_uri_parse(long_key, NULL, NULL, &err), LH_OK);
    assert_int_equal(lh_uri_parse(NULL, NULL, NULL, &err), LH_EINVAL);
}

/* ---- open ---- */

static void test_open_local(void **state)
{
    fx *f = *state;
    char root[4096], file[4096];
    lh_store *s = NULL;
    lh_err err = {0};
    struct stat st;
    assert_string_equal(lh_store_kind(f->s), "local");
    snprintf(root, sizeof root, "%s/deep/er/lake", f->root);
    assert_int_equal(lh_store_open_local(root, &s, &err), LH_OK);
    assert_int_equal(stat(root, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    put_str(s, "s3://bkt/k", "v");
    lh_store_close(s);
    /* reopening an existing root works and sees the data */
    assert_int_equal(lh_store_open_local(root, &s, &err), LH_OK);
    assert_get(s, "s3://bkt/k", "v");
    lh_store_close(s);
    /* a root that is a file is refused */
    snprintf(file, sizeof file, "%s/afile", f->root);
    raw_file(f->root, "afile", "x");
    s = (lh_store *)1;
    assert_int_not_equal(lh_store_open_local(file, &s, &err), LH_OK);
    assert_null(s);
    assert_non_null(strstr(err.msg, file));
    assert_int_equal(lh_store_open_local("", &s, &err), LH_EINVAL);
}

/* ---- objects ---- */

static void test_put_get_roundtrip(void **state)
{
    fx *f = *state;
    static const char bin[] = {'a', 0, 'b', '\n', (char)0xff, 0};
    char path[4096];
    struct stat st;
    lh_buf b;
    lh_err err = {0};
    lh_obj_info info;
    mode_t old = umask(022);
    put_str(f->s, "s3://bkt/customer/landing/c.json", "{\"a\":1}\n");
    assert_get(f->s, "s3://bkt/customer/landing/c.json", "{\"a\":1}\n");
    /* the local layout: ROOT/BUCKET/KEY, created 0666/0777 & umask */
    snprintf(path, sizeof path, "%s/bkt/customer/landing/c.json", f->root);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    snprintf(path, sizeof path, "%s/bkt/customer/landing", f->root);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    umask(old);
    /* binary with NUL bytes */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/bin", bin, sizeof bin, &err), LH_OK);
    lh_buf_init(&b, 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/bin", &b, &err), LH_OK);
    assert_int_equal(b.len, sizeof bin);
    assert_memory_equal(b.data, bin, sizeof bin);
    /* get appends */
    assert_int_equal(lh_store_get(f->s, "s3://bkt/customer/landing/c.json", &b, &err), LH_OK);
    assert_int_equal(b.len, sizeof bin + 8);
    assert_memory_equal(b.data + sizeof bin, "{\"a\":1}\n", 8);
    lh_buf_free(&b);
    /* empty object */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/empty", "", 0, &err), LH_OK);
    assert_get(f->s, "s3://bkt/empty", "");
    assert_int_equal(lh_store_head(f->s, "s3://bkt/empty", &info, &err), LH_OK);
    assert_int_equal(info.size, 0);
    lh_obj_info_free(&info);
    /* head */
    assert_int_equal(lh_store_head(f->s, "s3://bkt/customer/landing/c.json", &info, &err), LH_OK);
    assert_string_equal(info.uri, "s3://bkt/customer/landing/c.json");
    assert_int_equal(info.size, 8);
    assert_true(info.mtime_ms > (int64_t)1600000000000);
    lh_obj_info_free(&info);
    assert_null(info.uri);
    /* no temporaries left behind */
    assert_false(has_tmp(f->root, "bkt/customer/landing"));
    assert_false(has_tmp(f->root, "bkt"));
}

static void test_object_uris_refused(void **state)
{
    fx *f = *state;
    lh_buf b;
    lh_err err = {0};
    lh_store_writer *w = (lh_store_writer *)1;
    lh_buf_init(&b, 0);
    /* a prefix or a bucket is not an object */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/dir/", "x", 1, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "s3://bkt/dir/"));
    assert_int_equal(lh_store_put(f->s, "s3://bkt", "x", 1, &err), LH_EINVAL);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/dir/", &b, &err), LH_EINVAL);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/", &w, &err), LH_EINVAL);
    assert_null(w);
    /* invalid URIs never touch the disk */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/../escape", "x", 1, &err), LH_EPERM);
    assert_non_null(strstr(err.msg, "s3://bkt/../escape"));
    assert_int_equal(count_entries(f->root, ""), 0);
    /* the temporary-file prefix is reserved */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/.lh-tmp-1-2-x", "x", 1, &err), LH_EINVAL);
    assert_int_equal(lh_store_put(f->s, "s3://bkt/.lh-tmp-d/x", "x", 1, &err), LH_EINVAL);
    assert_int_equal(b.len, 0);
    lh_buf_free(&b);
}

static void test_get_range(void **state)
{
    fx *f = *state;
    lh_buf b;
    lh_err err = {0};
    size_t got = 99;
    put_str(f->s, "s3://bkt/r", "0123456789");
    lh_buf_init(&b, 0);
    /* inside */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 2, 3, &b, &got, &err), LH_OK);
    assert_int_equal(got, 3);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "234", 3);
    /* across the end: fewer bytes, appended */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 8, 5, &b, &got, &err), LH_OK);
    assert_int_equal(got, 2);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "23489", 5);
    /* exactly to the end */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 0, 10, &b, &got, &err), LH_OK);
    assert_int_equal(got, 10);
    /* at the end and past it: nothing */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 10, 5, &b, &got, &err), LH_OK);
    assert_int_equal(got, 0);
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 1000, 5, &b, &got, &err), LH_OK);
    assert_int_equal(got, 0);
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", UINT64_MAX, SIZE_MAX, &b, NULL, &err), LH_OK);
    assert_int_equal(b.len, 15);
    /* zero length */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/r", 3, 0, &b, &got, &err), LH_OK);
    assert_int_equal(got, 0);
    /* absent */
    assert_int_equal(lh_store_get_range(f->s, "s3://bkt/nope", 0, 5, &b, &got, &err), LH_ENOTFOUND);
    assert_int_equal(got, 0);
    assert_int_equal(b.len, 15);
    lh_buf_free(&b);
}

static void test_overwrite(void **state)
{
    fx *f = *state;
    lh_obj_info info;
    lh_err err = {0};
    put_str(f->s, "s3://bkt/o/k.txt", "first version, long");
    put_str(f->s, "s3://bkt/o/k.txt", "2nd");
    assert_get(f->s, "s3://bkt/o/k.txt", "2nd");
    assert_int_equal(lh_store_head(f->s, "s3://bkt/o/k.txt", &info, &err), LH_OK);
    assert_int_equal(info.size, 3);
    lh_obj_info_free(&info);
    assert_int_equal(count_entries(f->root, "bkt/o"), 1);
    /* a folder is in the way: refused, and nothing is left behind */
    put_str(f->s, "s3://bkt/o/sub/x", "x");
    assert_int_equal(lh_store_put(f->s, "s3://bkt/o/sub", "y", 1, &err), LH_EEXIST);
    assert_non_null(strstr(err.msg, "s3://bkt/o/sub"));
    assert_false(has_tmp(f->root, "bkt/o"));
    /* an object is in the way of a folder */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/o/k.txt/child", "y", 1, &err), LH_EEXIST);
    assert_get(f->s, "s3://bkt/o/k.txt", "2nd");
}

static void test_delete(void **state)
{
    fx *f = *state;
    lh_buf b;
    lh_err err = {0};
    put_str(f->s, "s3://bkt/d/x", "x");
    put_str(f->s, "s3://bkt/d/y", "y");
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/d/x", &err), LH_OK);
    lh_buf_init(&b, 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/d/x", &b, &err), LH_ENOTFOUND);
    assert_get(f->s, "s3://bkt/d/y", "y");
    /* absent object, absent folder, absent bucket: all fine, as in S3 */
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/d/x", &err), LH_OK);
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/nofolder/x", &err), LH_OK);
    assert_int_equal(lh_store_delete(f->s, "s3://nobucket/x", &err), LH_OK);
    /* a folder is not an object */
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/d", &err), LH_OK);
    assert_get(f->s, "s3://bkt/d/y", "y");
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/../x", &err), LH_EPERM);
    lh_buf_free(&b);
}

static void test_notfound_names_uri(void **state)
{
    fx *f = *state;
    lh_buf b;
    lh_err err = {0};
    lh_obj_info info;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/no/such.json", &b, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "s3://bkt/no/such.json"));
    put_str(f->s, "s3://bkt/no/other.json", "x");
    assert_int_equal(lh_store_get(f->s, "s3://bkt/no/such.json", &b, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "s3://bkt/no/such.json"));
    assert_int_equal(lh_store_head(f->s, "s3://bkt/no/such.json", &info, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "s3://bkt/no/such.json"));
    assert_null(info.uri);
    assert_int_equal(lh_store_get(f->s, "s3://nobucket/x", &b, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "s3://nobucket/x"));
    /* a folder is not an object */
    assert_int_equal(lh_store_get(f->s, "s3://bkt/no", &b, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "s3://bkt/no"));
    assert_int_equal(lh_store_head(f->s, "s3://bkt/no", &info, &err), LH_ENOTFOUND);
    /* an object used as a folder */
    assert_int_equal(lh_store_get(f->s, "s3://bkt/no/other.json/x", &b, &err), LH_ENOTFOUND);
    assert_int_equal(b.len, 0);
    lh_buf_free(&b);
}

/* ---- listing ---- */

static void assert_list(lh_store *s, const char *prefix, const char *const *want, size_t nwant)
{
    lh_list_page p;
    lh_err err = {0};
    size_t i;
    lh_rc rc = lh_store_list(s, prefix, NULL, 0, &p, &err);
    if (rc)
        fprintf(stderr, "list %s: %s\n", prefix, err.msg);
    assert_int_equal(rc, LH_OK);
    if (p.n != nwant)
        for (i = 0; i < p.n; i++)
            fprintf(stderr, "  got %s\n", p.items[i].uri);
    assert_int_equal(p.n, nwant);
    for (i = 0; i < nwant; i++)
        assert_string_equal(p.items[i].uri, want[i]);
    assert_null(p.next_token);
    lh_list_page_free(&p);
}

static void test_list_prefix(void **state)
{
    fx *f = *state;
    static const char *const cust[] = {"s3://bkt/cust.txt", "s3://bkt/custard/a", "s3://bkt/customer/landing/1.json",
                                       "s3://bkt/customer/landing/2.json", "s3://bkt/customer/trusted/1.json"};
    static const char *const landing[] = {"s3://bkt/customer/landing/1.json", "s3://bkt/customer/landing/2.json"};
    static const char *const land_partial[] = {"s3://bkt/customer/landing/2.json"};
    lh_list_page p;
    lh_err err = {0};
    put_str(f->s, "s3://bkt/customer/landing/1.json", "1");
    put_str(f->s, "s3://bkt/customer/landing/2.json", "22");
    put_str(f->s, "s3://bkt/customer/trusted/1.json", "333");
    put_str(f->s, "s3://bkt/cust.txt", "c");
    put_str(f->s, "s3://bkt/custard/a", "a");
    put_str(f->s, "s3://bkt/other/y", "y");
    put_str(f->s, "s3://bkt/cu", "not under cust");
    put_str(f->s, "s3://other-bkt/customer/z", "z");
    assert_list(f->s, "s3://bkt/cust", cust, 5);
    assert_list(f->s, "s3://bkt/customer/landing/", landing, 2);
    assert_list(f->s, "s3://bkt/customer/landing/2", land_partial, 1);
    assert_list(f->s, "s3://bkt/customer/landing", landing, 2);
    /* empty results, not errors */
    assert_list(f->s, "s3://nobucket/", NULL, 0);
    assert_list(f->s, "s3://bkt/missing/dir/", NULL, 0);
    assert_list(f->s, "s3://bkt/custx", NULL, 0);
    assert_list(f->s, "s3://bkt/cust.txt/", NULL, 0); /* an object is not a folder */
    /* sizes come back */
    assert_int_equal(lh_store_list(f->s, "s3://bkt/customer/", NULL, 0, &p, &err), LH_OK);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.items[0].size, 1);
    assert_int_equal(p.items[1].size, 2);
    assert_int_equal(p.items[2].size, 3);
    assert_true(p.items[2].mtime_ms > 0);
    lh_list_page_free(&p);
    /* whole bucket, without and with '/' */
    assert_int_equal(lh_store_list(f->s, "s3://bkt", NULL, 0, &p, &err), LH_OK);
    assert_int_equal(p.n, 7);
    lh_list_page_free(&p);
    assert_int_equal(lh_store_list(f->s, "s3://bkt/", NULL, 0, &p, &err), LH_OK);
    assert_int_equal(p.n, 7);
    lh_list_page_free(&p);
    /* a bad prefix */
    assert_int_equal(lh_store_list(f->s, "s3://bkt/../", NULL, 0, &p, &err), LH_EPERM);
    assert_int_equal(p.n, 0);
    assert_null(p.items);
}

static void test_list_sorted(void **state)
{
    fx *f = *state;
    /* bytewise order of whole keys: '-' (0x2d) < '.' < '/' (0x2f) < '0' < 'A' < 'a' < 0xc3 */
    static const char *const want[] = {"s3://bkt/A",   "s3://bkt/a-c", "s3://bkt/a.c", "s3://bkt/a/b/c",
                                       "s3://bkt/a/c", "s3://bkt/a0",  "s3://bkt/b",   "s3://bkt/\xc3\xa9"};
    static const char *const order[] = {"s3://bkt/b",  "s3://bkt/a/b/c", "s3://bkt/\xc3\xa9", "s3://bkt/a0",
                                        "s3://bkt/A",  "s3://bkt/a/c",   "s3://bkt/a-c",      "s3://bkt/a.c"};
    size_t i;
    lh_err err = {0};
    for (i = 0; i < sizeof order / sizeof order[0]; i++)
        put_str(f->s, order[i], order[i]);
    assert_list(f->s, "s3://bkt/", want, 8);
    assert_list(f->s, "s3://bkt/a", want + 1, 5);
    /* locally a key cannot be both an object and a folder: a/b is a folder */
    assert_int_equal(lh_store_put(f->s, "s3://bkt/a/b", "x", 1, &err), LH_EEXIST);
    assert_list(f->s, "s3://bkt/", want, 8);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void test_list_pagination(void **state)
{
    fx *f = *state;
    enum { N = 2500 };
    char rel[200], uri[256];
    char **want;
    lh_list_page p;
    lh_obj_info *all = NULL;
    size_t nall = 0, i, seen = 0, pages = 0;
    char *token = NULL;
    lh_err err = {0};
    want = calloc(N, sizeof *want);
    assert_non_null(want);
    /* objects spread over folders so that folder order != key order */
    for (i = 0; i < N; i++) {
        snprintf(rel, sizeof rel, "bkt/data/p%zu/part-%05zu.json", i % 7, (i * 7919) % N);
        raw_file(f->root, rel, "{}\n");
        snprintf(uri, sizeof uri, "s3://%s", rel);
        want[i] = strdup(uri);
        assert_non_null(want[i]);
    }
    qsort(want, N, sizeof *want, cmp_str);
    raw_file(f->root, "bkt/data/p3/.lh-tmp-1-2-part-99999.json", "partial");
    for (;;) {
        assert_int_equal(lh_store_list(f->s, "s3://bkt/data/", token, 1000, &p, &err), LH_OK);
        pages++;
        assert_true(p.n <= 1000);
        for (i = 0; i < p.n; i++) {
            assert_true(seen < N);
            assert_string_equal(p.items[i].uri, want[seen]);
            seen++;
        }
        free(token);
        token = p.next_token ? strdup(p.next_token) : NULL;
        if (p.next_token)
            assert_int_equal(p.n, 1000);
        lh_list_page_free(&p);
        if (!token)
            break;
    }
    assert_int_equal(pages, 3);
    assert_int_equal(seen, N);
    /* max_keys 0 means 1000; larger values are capped at 1000 */
    assert_int_equal(lh_store_list(f->s, "s3://bkt/data/", NULL, 0, &p, &err), LH_OK);
    assert_int_equal(p.n, 1000);
    assert_non_null(p.next_token);
    lh_list_page_free(&p);
    assert_int_equal(lh_store_list(f->s, "s3://bkt/data/", NULL, 5000, &p, &err), LH_OK);
    assert_int_equal(p.n, 1000);
    lh_list_page_free(&p);
    /* small pages */
    assert_int_equal(lh_store_list(f->s, "s3://bkt/data/p1/", NULL, 7, &p, &err), LH_OK);
    assert_int_equal(p.n, 7);
    assert_non_null(p.next_token);
    lh_list_page_free(&p);
    /* list_all follows pages */
    assert_int_equal(lh_store_list_all(f->s, "s3://bkt/", &all, &nall, &err), LH_OK);
    assert_int_equal(nall, N);
    for (i = 0; i < N; i++)
        assert_string_equal(all[i].uri, want[i]);
    lh_obj_list_free(all, nall);
    for (i = 0; i < N; i++)
        free(want[i]);
    free(want);
}

static void test_list_skips_tmp(void **state)
{
    fx *f = *state;
    static const char *const want[] = {"s3://bkt/t/real.json"};
    raw_file(f->root, "bkt/t/.lh-tmp-123-00ff-real.json", "half");
    raw_file(f->root, "bkt/t/.lh-tmp-9-9-x/inner", "in a temp folder");
    put_str(f->s, "s3://bkt/t/real.json", "whole");
    assert_list(f->s, "s3://bkt/t/", want, 1);
    assert_list(f->s, "s3://bkt/t/.lh-tmp-", NULL, 0);
    /* files the parser would refuse are not listed either */
    raw_file(f->root, "bkt/t/back\\slash", "x");
    assert_list(f->s, "s3://bkt/", want, 1);
}

/* ---- streaming writer ---- */

static void test_writer_abort(void **state)
{
    fx *f = *state;
    lh_store_writer *w = NULL;
    lh_err err = {0};
    lh_buf b;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/w/obj.json", &w, &err), LH_OK);
    assert_int_equal(lh_store_writer_write(w, "hello ", 6, &err), LH_OK);
    assert_int_equal(lh_store_writer_write(w, "world", 5, &err), LH_OK);
    assert_int_equal(lh_store_writer_size(w), 11);
    assert_list(f->s, "s3://bkt/", NULL, 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/w/obj.json", &b, &err), LH_ENOTFOUND);
    lh_store_writer_abort(w);
    assert_int_equal(count_entries(f->root, "bkt/w"), 0);
    assert_list(f->s, "s3://bkt/", NULL, 0);
    lh_store_writer_abort(NULL); /* harmless */
    lh_buf_free(&b);
}

static void test_writer_commit(void **state)
{
    fx *f = *state;
    lh_store_writer *w = NULL;
    lh_err err = {0};
    lh_buf b;
    size_t i;
    static const char *const want[] = {"s3://bkt/w/obj.json"};
    lh_buf_init(&b, 0);
    put_str(f->s, "s3://bkt/w/obj.json", "old");
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/w/obj.json", &w, &err), LH_OK);
    for (i = 0; i < 1000; i++)
        assert_int_equal(lh_store_writer_write(w, "0123456789", 10, &err), LH_OK);
    assert_int_equal(lh_store_writer_size(w), 10000);
    /* not visible before commit: the old object stays whole */
    assert_get(f->s, "s3://bkt/w/obj.json", "old");
    assert_list(f->s, "s3://bkt/w/", want, 1);
    assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/w/obj.json", &b, &err), LH_OK);
    assert_int_equal(b.len, 10000);
    assert_memory_equal(b.data + 9990, "0123456789", 10);
    assert_int_equal(count_entries(f->root, "bkt/w"), 1);
    lh_buf_free(&b);
    /* a fresh object in a fresh folder */
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/new/deep/x", &w, &err), LH_OK);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/new/deep/x", &b, &err), LH_ENOTFOUND);
    assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
    assert_get(f->s, "s3://bkt/new/deep/x", "");
}

/* Batched commits: more objects than the queue holds, in two folders; each
 * becomes visible whole once its commit completes, and batch_end(0)
 * abandons what is still queued without leaving temporary files. */
static void test_writer_batch(void **state)
{
    fx *f = *state;
    lh_store_writer *w = NULL;
    lh_err err = {0};
    char uri[64], body[64];
    size_t i, n = LH_STORE_BATCH_MAX + 10;
    lh_store_batch_begin(f->s);
    for (i = 0; i < n; i++) {
        snprintf(uri, sizeof uri, "s3://bkt/%s/o%03zu", i % 2 ? "odd" : "even", i);
        snprintf(body, sizeof body, "object %zu", i);
        assert_int_equal(lh_store_writer_open(f->s, uri, &w, &err), LH_OK);
        assert_int_equal(lh_store_writer_write(w, body, strlen(body), &err), LH_OK);
        assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
    }
    /* the first full queue completed; the last 10 are still queued */
    assert_get(f->s, "s3://bkt/even/o000", "object 0");
    assert_int_equal(lh_store_get(f->s, "s3://bkt/odd/o073", &(lh_buf){0}, &err), LH_ENOTFOUND);
    assert_int_equal(lh_store_batch_end(f->s, 1, &err), LH_OK);
    for (i = 0; i < n; i++) {
        snprintf(uri, sizeof uri, "s3://bkt/%s/o%03zu", i % 2 ? "odd" : "even", i);
        snprintf(body, sizeof body, "object %zu", i);
        assert_get(f->s, uri, body);
    }
    assert_int_equal(count_entries(f->root, "bkt/even") + count_entries(f->root, "bkt/odd"), (int)n);
    /* abandon */
    lh_store_batch_begin(f->s);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/gone/x", &w, &err), LH_OK);
    assert_int_equal(lh_store_writer_write(w, "x", 1, &err), LH_OK);
    assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
    assert_int_equal(lh_store_batch_end(f->s, 0, NULL), LH_OK);
    assert_int_equal(count_entries(f->root, "bkt/gone"), 0);
    /* a batch left open is abandoned when the store closes (teardown) */
    lh_store_batch_begin(f->s);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/gone/y", &w, &err), LH_OK);
    assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
}

/* lh_store_writer_copy_fd: a file's bytes from an offset, copied in the kernel. */
static void test_writer_copy_fd(void **state)
{
    fx *f = *state;
    lh_store_writer *w = NULL;
    lh_err err = {0};
    uint64_t copied = 0;
    char path[4096];
    int fd;
    snprintf(path, sizeof path, "%s/src.txt", f->root);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789abcdef", 16), 16);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/c/obj", &w, &err), LH_OK);
    assert_int_equal(lh_store_writer_write(w, "<", 1, &err), LH_OK);
    assert_int_equal(lh_store_writer_copy_fd(w, fd, 10, &copied, &err), LH_OK);
    assert_int_equal(copied, 6);
    assert_int_equal(lh_store_writer_size(w), 7);
    assert_int_equal(lh_store_writer_commit(w, &err), LH_OK);
    assert_get(f->s, "s3://bkt/c/obj", "<abcdef");
    close(fd);
}

/* ---- symbolic links ---- */

static void test_symlink_refused(void **state)
{
    fx *f = *state;
    char outside[2048], link[4096], target[4096];
    lh_buf b;
    lh_err err = {0};
    lh_list_page p;
    lh_obj_info info;
    lh_store_writer *w = NULL;
    static const char *const want[] = {"s3://bkt/ok"};
    lh_buf_init(&b, 0);
    snprintf(outside, sizeof outside, "%s/outside", f->root);
    raw_file(f->root, "outside/secret", "s3cr3t");
    put_str(f->s, "s3://bkt/ok", "ok");
    /* a folder link */
    snprintf(link, sizeof link, "%s/bkt/linkdir", f->root);
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/linkdir/secret", &b, &err), LH_EPERM);
    assert_non_null(strstr(err.msg, "s3://bkt/linkdir/secret"));
    assert_int_equal(lh_store_head(f->s, "s3://bkt/linkdir/secret", &info, &err), LH_EPERM);
    assert_int_equal(lh_store_put(f->s, "s3://bkt/linkdir/new", "x", 1, &err), LH_EPERM);
    assert_int_equal(lh_store_put(f->s, "s3://bkt/linkdir/sub/new", "x", 1, &err), LH_EPERM);
    assert_int_equal(lh_store_writer_open(f->s, "s3://bkt/linkdir/w", &w, &err), LH_EPERM);
    assert_null(w);
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/linkdir/secret", &err), LH_EPERM);
    assert_int_equal(lh_store_list(f->s, "s3://bkt/linkdir/", NULL, 0, &p, &err), LH_EPERM);
    assert_int_equal(count_entries(f->root, "outside"), 1); /* nothing written or removed there */
    /* a file link */
    snprintf(target, sizeof target, "%s/secret", outside);
    snprintf(link, sizeof link, "%s/bkt/linkfile", f->root);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(lh_store_get(f->s, "s3://bkt/linkfile", &b, &err), LH_EPERM);
    assert_int_equal(lh_store_head(f->s, "s3://bkt/linkfile", &info, &err), LH_EPERM);
    assert_int_equal(lh_store_delete(f->s, "s3://bkt/linkfile", &err), LH_EPERM);
    /* listing does not follow links either */
    assert_list(f->s, "s3://bkt/", want, 1);
    /* replacing a link by a put swaps the link itself, never writes through it */
    put_str(f->s, "s3://bkt/linkfile", "mine");
    assert_get(f->s, "s3://bkt/linkfile", "mine");
    {
        FILE *fp = fopen(target, "rb");
        char buf[16] = {0};
        assert_non_null(fp);
        assert_int_equal(fread(buf, 1, sizeof buf - 1, fp), 6);
        fclose(fp);
        assert_string_equal(buf, "s3cr3t");
    }
    /* a bucket link */
    snprintf(link, sizeof link, "%s/lnk-bucket", f->root);
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(lh_store_get(f->s, "s3://lnk-bucket/secret", &b, &err), LH_EPERM);
    assert_int_equal(lh_store_put(f->s, "s3://lnk-bucket/x", "x", 1, &err), LH_EPERM);
    assert_int_equal(lh_store_list(f->s, "s3://lnk-bucket/", NULL, 0, &p, &err), LH_EPERM);
    assert_int_equal(count_entries(f->root, "outside"), 1);
    assert_int_equal(b.len, 0);
    lh_buf_free(&b);
}

/* ---- allocation failures ---- */

static lh_rc alloc_sequence(const char *root, int *ok)
{
    lh_store *s = NULL;
    lh_store_writer *w = NULL;
    lh_obj_info *all = NULL;
    lh_obj_info info = {0};
    size_t n = 0;
    lh_buf b;
    lh_err err = {0};
    lh_rc rc;
    lh_buf_init(&b, 0);
    rc = lh_store_open_local(root, &s, &err);
    if (rc)
        goto out;
    rc = lh_store_put(s, "s3://bkt/fault/a.json", "{\"a\":1}", 7, &err);
    if (rc)
        goto out;
    rc = lh_store_get(s, "s3://bkt/fault/a.json", &b, &err);
    if (rc)
        goto out;
    rc = lh_store_writer_open(s, "s3://bkt/fault/b.json", &w, &err);
    if (rc)
        goto out;
    rc = lh_store_writer_write(w, "bb", 2, &err);
    if (rc)
        goto out;
    rc = lh_store_writer_commit(w, &err);
    w = NULL;
    if (rc)
        goto out;
    rc = lh_store_head(s, "s3://bkt/fault/b.json", &info, &err);
    if (rc)
        goto out;
    rc = lh_store_list_all(s, "s3://bkt/fa", &all, &n, &err);
    if (rc)
        goto out;
    *ok = n == 2 && b.len == 7 && info.size == 2 && !strcmp(all[1].uri, "s3://bkt/fault/b.json");
out:
    if (rc && rc != LH_ENOMEM)
        fprintf(stderr, "unexpected: %s (%s)\n", lh_strerror(rc), err.msg);
    if (rc == LH_ENOMEM)
        assert_true(err.msg[0] != 0);
    lh_store_writer_abort(w);
    lh_obj_list_free(all, n);
    lh_obj_info_free(&info);
    lh_buf_free(&b);
    lh_store_close(s);
    return rc;
}

static void test_alloc_failures(void **state)
{
    fx *f = *state;
    long n;
    int ok = 0;
    lh_rc rc = LH_ENOMEM;
    for (n = 1; n < 1000; n++) {
        lh_fault_alloc_set(n);
        rc = alloc_sequence(f->root, &ok);
        lh_fault_alloc_set(0);
        assert_true(rc == LH_OK || rc == LH_ENOMEM);
        assert_false(has_tmp(f->root, "bkt/fault"));
        if (rc == LH_OK)
            break;
    }
    assert_int_equal(rc, LH_OK);
    assert_true(ok);
    assert_true(n > 5); /* the sequence did allocate, so failures were exercised */
}

/* Temporary files, for vacuum: listed across buckets (never through a
 * link or outside a bucket folder), their pid read, removed one by one. */
static void test_tmp_files(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    lh_obj_info *t = NULL;
    size_t n = 0;
    char path[4096];
    put_str(f->s, "s3://bkt/land/real.json", "real");
    raw_file(f->root, "bkt/land/.lh-tmp-123-00ff-real.json", "half");
    raw_file(f->root, "bkt/job/run-1/.lh-tmp-77-abcd-part-00000.parquet", "partial!");
    raw_file(f->root, "other-bkt/.lh-tmp-5-1-top.json", "x");
    raw_file(f->root, ".lakehouse/.lh-tmp-1-1-catalog", "not a bucket");
    raw_file(f->root, "outside/x/.lh-tmp-1-1-y", "a bucket the catalog never named is still the lake's");
    raw_file(f->root, "Not_A_Bucket/.lh-tmp-1-1-y", "not a bucket name");
    raw_file(f->root, "elsewhere/.lh-tmp-1-1-z", "beyond a link");
    snprintf(path, sizeof path, "%s/bkt/link", f->root);
    assert_int_equal(symlink("../elsewhere", path), 0);
    assert_int_equal(lh_store_list_tmp(f->s, &t, &n, &err), LH_OK);
    const char *want[] = {"s3://bkt/job/run-1/.lh-tmp-77-abcd-part-00000.parquet", "s3://bkt/land/.lh-tmp-123-00ff-real.json",
                          "s3://elsewhere/.lh-tmp-1-1-z", "s3://other-bkt/.lh-tmp-5-1-top.json",
                          "s3://outside/x/.lh-tmp-1-1-y"};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t[i].uri, want[i]);
    assert_int_equal(t[0].size, 8);
    assert_true(t[0].mtime_ms > 0);
    assert_int_equal(lh_store_tmp_pid(t[0].uri), 77);
    assert_int_equal(lh_store_tmp_pid(t[1].uri), 123);
    assert_int_equal(lh_store_tmp_pid("s3://bkt/.lh-tmp-x-1-y"), 0);
    assert_int_equal(lh_store_tmp_pid("s3://bkt/real.json"), 0);
    assert_int_equal(lh_store_delete_tmp(f->s, t[1].uri, &err), LH_OK);
    assert_int_equal(lh_store_delete_tmp(f->s, t[1].uri, &err), LH_OK); /* absent: fine */
    lh_obj_list_free(t, n);
    /* only temporary names, never an object, never through a link */
    assert_int_equal(lh_store_delete_tmp(f->s, "s3://bkt/land/real.json", &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "not a temporary file"));
    assert_int_equal(lh_store_delete_tmp(f->s, "s3://bkt/link/.lh-tmp-1-1-z", &err), LH_EPERM);
    assert_int_equal(lh_store_delete_tmp(f->s, "s3://bkt/../x/.lh-tmp-1-1-z", &err), LH_EPERM);
    assert_get(f->s, "s3://bkt/land/real.json", "real");
    assert_int_equal(lh_store_list_tmp(f->s, &t, &n, &err), LH_OK);
    assert_int_equal(n, 4);
    lh_obj_list_free(t, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_good),
        cmocka_unit_test_setup_teardown(test_tmp_files, setup, teardown),
        cmocka_unit_test(test_uri_bad),
        cmocka_unit_test_setup_teardown(test_open_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_get_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_object_uris_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notfound_names_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_pagination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_skips_tmp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_copy_fd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
