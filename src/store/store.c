/* store/store.c — URI parsing and the generic half of the object store:
 * validate, dispatch to the backend's lh_store_ops, and free what the
 * interface hands out.  Backends live in local.c (and later s3.c). */
#include "store/store.h"
#include "util/fault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

struct lh_store {
    const lh_store_ops *ops;
    void *st;
};

struct lh_store_writer {
    lh_store *s;
    void *w;
    uint64_t size;
    lh_rc failed; /* first write error; a failed writer refuses commit */
    char uri[];   /* for messages */
};

/* ---- URI parsing ---- */

/* A printable rendering of an untrusted URI for messages: control bytes
 * become '?', long URIs are cut with "...". */
static const char *show(const char *uri, char *buf, size_t n)
{
    size_t i = 0;
    if (!uri)
        return "(null)";
    for (; uri[i] && i + 4 < n; i++)
        buf[i] = ((unsigned char)uri[i] < 0x20 || uri[i] == 0x7f) ? '?' : uri[i];
    if (uri[i]) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = 0;
    return buf;
}

int lh_store_is_tmp_name(const char *name)
{
    return strncmp(name, LH_STORE_TMP_PREFIX, sizeof LH_STORE_TMP_PREFIX - 1) == 0;
}

static int is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static lh_rc check_bucket(const char *b, size_t n, const char *uri, lh_err *err)
{
    char sb[300];
    size_t i;
    if (n < 3 || n > 63)
        return lh_errf(err, LH_EINVAL, "%s: bucket name must be 3 to 63 characters, got %zu", show(uri, sb, sizeof sb),
                       n);
    for (i = 0; i < n; i++) {
        char c = b[i];
        if (!is_lower_alnum(c) && c != '-' && c != '.')
            return lh_errf(err, LH_EINVAL,
                           "%s: bucket name may hold only lowercase letters, digits, '-' and '.' (offending byte 0x%02x)",
                           show(uri, sb, sizeof sb), (unsigned)(unsigned char)c);
        if (c == '.' && i > 0 && b[i - 1] == '.')
            return lh_errf(err, LH_EINVAL, "%s: bucket name must not contain \"..\"", show(uri, sb, sizeof sb));
    }
    if (!is_lower_alnum(b[0]) || !is_lower_alnum(b[n - 1]))
        return lh_errf(err, LH_EINVAL, "%s: bucket name must start and end with a lowercase letter or digit",
                       show(uri, sb, sizeof sb));
    return LH_OK;
}

/* Key rules; a trailing '/' (prefix) is allowed here. */
static lh_rc check_key(const char *k, const char *uri, lh_err *err)
{
    char sb[300];
    size_t n = strlen(k), i, seg = 0;
    if (n > LH_STORE_MAX_KEY_LEN)
        return lh_errf(err, LH_EINVAL, "%s: key is %zu bytes, the limit is %d", show(uri, sb, sizeof sb), n,
                       LH_STORE_MAX_KEY_LEN);
    if (n && k[0] == '/')
        return lh_errf(err, LH_EPERM, "%s: key must not start with '/' (absolute keys would escape the bucket)",
                       show(uri, sb, sizeof sb));
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (c < 0x20 || c == 0x7f)
            return lh_errf(err, LH_EINVAL, "%s: key holds control character 0x%02x at byte %zu",
                           show(uri, sb, sizeof sb), (unsigned)c, i);
        if (c == '\\')
            return lh_errf(err, LH_EINVAL, "%s: key holds a backslash at byte %zu; use '/' to separate folders",
                           show(uri, sb, sizeof sb), i);
    }
    for (i = 0; i <= n; i++) {
        if (i < n && k[i] != '/')
            continue;
        /* segment k[seg..i) */
        if (i == seg) {
            if (i < n) /* only a trailing empty segment (prefix "a/") is fine */
                return lh_errf(err, LH_EINVAL, "%s: key holds an empty segment (\"//\") at byte %zu",
                               show(uri, sb, sizeof sb), i);
        } else if (i - seg == 2 && k[seg] == '.' && k[seg + 1] == '.') {
            return lh_errf(err, LH_EPERM, "%s: key segment \"..\" would escape the bucket", show(uri, sb, sizeof sb));
        } else if (i - seg == 1 && k[seg] == '.') {
            return lh_errf(err, LH_EINVAL, "%s: key segment \".\" is not allowed", show(uri, sb, sizeof sb));
        }
        seg = i + 1;
    }
    return LH_OK;
}

lh_rc lh_uri_parse(const char *uri, char **bucket, char **key, lh_err *err)
{
    char sb[300];
    const char *b, *slash, *k;
    char *bo = NULL, *ko = NULL;
    size_t bn;
    lh_rc rc = LH_OK;
    if (bucket)
        *bucket = NULL;
    if (key)
        *key = NULL;
    if (!uri) {
        rc = lh_errf(err, LH_EINVAL, "URI is NULL");
        goto out;
    }
    if (strncmp(uri, "s3://", 5) != 0) {
        rc = lh_errf(err, LH_EINVAL, "%s: not an s3:// URI (expected s3://BUCKET/KEY)", show(uri, sb, sizeof sb));
        goto out;
    }
    b = uri + 5;
    slash = strchr(b, '/');
    bn = slash ? (size_t)(slash - b) : strlen(b);
    k = slash ? slash + 1 : b + bn;
    rc = check_bucket(b, bn, uri, err);
    if (rc)
        goto out;
    rc = check_key(k, uri, err);
    if (rc)
        goto out;
    if (bucket) {
        bo = lh_strndup(b, bn);
        if (!bo) {
            rc = lh_errf(err, LH_ENOMEM, "%s: out of memory parsing the URI", show(uri, sb, sizeof sb));
            goto out;
        }
    }
    if (key) {
        ko = lh_strdup(k);
        if (!ko) {
            rc = lh_errf(err, LH_ENOMEM, "%s: out of memory parsing the URI", show(uri, sb, sizeof sb));
            goto out;
        }
    }
    if (bucket)
        *bucket = bo;
    if (key)
        *key = ko;
    bo = ko = NULL;
out:
    lh_free(bo);
    lh_free(ko);
    return rc;
}

/* Parse a URI that must name one object (not a bucket, not a prefix). */
static lh_rc parse_object(const char *uri, char **bucket, char **key, lh_err *err)
{
    lh_rc rc = lh_uri_parse(uri, bucket, key, err);
    size_t n;
    if (rc)
        return rc;
    n = strlen(*key);
    if (n == 0)
        rc = lh_errf(err, LH_EINVAL, "%s: names a bucket, not an object (expected s3://BUCKET/KEY)", uri);
    else if ((*key)[n - 1] == '/')
        rc = lh_errf(err, LH_EINVAL, "%s: ends in '/', which names a prefix, not an object", uri);
    if (rc) {
        lh_free(*bucket);
        lh_free(*key);
        *bucket = *key = NULL;
    }
    return rc;
}

/* ---- handles ---- */

lh_rc lh_store_wrap(const lh_store_ops *ops, void *st, lh_store **out, lh_err *err)
{
    lh_store *s = lh_calloc(1, sizeof *s);
    *out = NULL;
    if (!s) {
        ops->close(st);
        return lh_errf(err, LH_ENOMEM, "out of memory opening the %s object store", ops->kind);
    }
    s->ops = ops;
    s->st = st;
    *out = s;
    return LH_OK;
}

void lh_store_close(lh_store *s)
{
    if (!s)
        return;
    s->ops->close(s->st);
    lh_free(s);
}

const char *lh_store_kind(const lh_store *s) { return s ? s->ops->kind : "none"; }

/* ---- listing ---- */

lh_rc lh_store_list(lh_store *s, const char *uri_prefix, const char *token, size_t max_keys, lh_list_page *out,
                    lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    lh_rc rc;
    memset(out, 0, sizeof *out);
    rc = lh_uri_parse(uri_prefix, &bucket, &key, err);
    if (rc)
        goto out;
    if (max_keys == 0 || max_keys > LH_STORE_MAX_KEYS)
        max_keys = LH_STORE_MAX_KEYS;
    rc = s->ops->list(s->st, bucket, key, token, max_keys, uri_prefix, out, err);
out:
    if (rc)
        lh_list_page_free(out);
    lh_free(bucket);
    lh_free(key);
    return rc;
}

void lh_list_page_free(lh_list_page *p)
{
    if (!p)
        return;
    lh_obj_list_free(p->items, p->n);
    lh_free(p->next_token);
    memset(p, 0, sizeof *p);
}

lh_rc lh_store_list_all(lh_store *s, const char *uri_prefix, lh_obj_info **items, size_t *n, lh_err *err)
{
    lh_list_page page = {0};
    lh_obj_info *all = NULL;
    size_t len = 0, cap = 0, i;
    char *token = NULL;
    lh_rc rc = LH_OK;
    *items = NULL;
    *n = 0;
    for (;;) {
        rc = lh_store_list(s, uri_prefix, token, LH_STORE_MAX_KEYS, &page, err);
        if (rc)
            goto out;
        if (page.n > cap - len) {
            size_t nc = cap ? cap : 64;
            lh_obj_info *na;
            while (nc - len < page.n)
                nc *= 2;
            na = lh_realloc(all, nc * sizeof *na);
            if (!na) {
                rc = lh_errf(err, LH_ENOMEM, "%s: out of memory collecting %zu objects", uri_prefix, len + page.n);
                goto out;
            }
            all = na;
            cap = nc;
        }
        for (i = 0; i < page.n; i++) {
            all[len++] = page.items[i];
            page.items[i].uri = NULL; /* moved */
        }
        lh_free(token);
        token = page.next_token;
        page.next_token = NULL;
        lh_list_page_free(&page);
        if (!token)
            break;
    }
    *items = all;
    *n = len;
    all = NULL;
    len = 0;
out:
    lh_list_page_free(&page);
    lh_free(token);
    lh_obj_list_free(all, len);
    return rc;
}

void lh_obj_list_free(lh_obj_info *items, size_t n)
{
    size_t i;
    if (!items)
        return;
    for (i = 0; i < n; i++)
        lh_free(items[i].uri);
    lh_free(items);
}

/* ---- objects ---- */

lh_rc lh_store_head(lh_store *s, const char *uri, lh_obj_info *out, lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    lh_rc rc;
    memset(out, 0, sizeof *out);
    rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    rc = s->ops->head(s->st, bucket, key, uri, out, err);
    if (rc)
        goto out;
    out->uri = lh_strdup(uri);
    if (!out->uri)
        rc = lh_errf(err, LH_ENOMEM, "%s: out of memory", uri);
out:
    if (rc)
        lh_obj_info_free(out);
    lh_free(bucket);
    lh_free(key);
    return rc;
}

void lh_obj_info_free(lh_obj_info *o)
{
    if (!o)
        return;
    lh_free(o->uri);
    memset(o, 0, sizeof *o);
}

lh_rc lh_store_get(lh_store *s, const char *uri, lh_buf *out, lh_err *err)
{
    return lh_store_get_range(s, uri, 0, SIZE_MAX, out, NULL, err);
}

lh_rc lh_store_get_range(lh_store *s, const char *uri, uint64_t off, size_t len, lh_buf *out, size_t *got,
                         lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    size_t g = 0;
    lh_rc rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    rc = s->ops->get_range(s->st, bucket, key, uri, off, len, out, &g, err);
out:
    if (got)
        *got = rc ? 0 : g;
    lh_free(bucket);
    lh_free(key);
    return rc;
}

lh_rc lh_store_put(lh_store *s, const char *uri, const void *data, size_t len, lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    lh_rc rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    rc = s->ops->put(s->st, bucket, key, uri, data, len, err);
    if (!rc)
        lh_crashpoint("store put");
out:
    lh_free(bucket);
    lh_free(key);
    return rc;
}

lh_rc lh_store_delete(lh_store *s, const char *uri, lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    lh_rc rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    rc = s->ops->del(s->st, bucket, key, uri, err);
out:
    lh_free(bucket);
    lh_free(key);
    return rc;
}

/* ---- temporary files ---- */

static int uri_cmp(const void *a, const void *b)
{
    return strcmp(((const lh_obj_info *)a)->uri, ((const lh_obj_info *)b)->uri);
}

lh_rc lh_store_list_tmp(lh_store *s, lh_obj_info **items, size_t *n, lh_err *err)
{
    lh_rc rc;
    *items = NULL;
    *n = 0;
    if (!s->ops->list_tmp)
        return LH_OK;
    rc = s->ops->list_tmp(s->st, items, n, err);
    if (!rc && *n > 1)
        qsort(*items, *n, sizeof **items, uri_cmp);
    return rc;
}

long lh_store_tmp_pid(const char *uri)
{
    const char *b = uri ? strrchr(uri, '/') : NULL;
    long pid = 0;
    b = b ? b + 1 : uri;
    if (!b || !lh_store_is_tmp_name(b))
        return 0;
    b += sizeof LH_STORE_TMP_PREFIX - 1;
    for (; *b >= '0' && *b <= '9'; b++) {
        if (pid > 100000000L)
            return 0;
        pid = pid * 10 + (*b - '0');
    }
    return *b == '-' ? pid : 0;
}

lh_rc lh_store_delete_tmp(lh_store *s, const char *uri, lh_err *err)
{
    char sb[300];
    char *bucket = NULL, *key = NULL;
    const char *base, *p;
    lh_rc rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    base = strrchr(key, '/');
    base = base ? base + 1 : key;
    for (p = key; p < base; p = strchr(p, '/') + 1)
        if (lh_store_is_tmp_name(p)) {
            rc = lh_errf(err, LH_EINVAL, "%s: a folder of a temporary file's path is itself temporary",
                         show(uri, sb, sizeof sb));
            goto out;
        }
    if (!lh_store_is_tmp_name(base)) {
        rc = lh_errf(err, LH_EINVAL, "%s: not a temporary file (its name does not start with \"%s\")",
                     show(uri, sb, sizeof sb), LH_STORE_TMP_PREFIX);
        goto out;
    }
    if (s->ops->del_tmp)
        rc = s->ops->del_tmp(s->st, bucket, key, uri, err);
out:
    lh_free(bucket);
    lh_free(key);
    return rc;
}

/* ---- streaming writer ---- */

lh_rc lh_store_writer_open(lh_store *s, const char *uri, lh_store_writer **out, lh_err *err)
{
    char *bucket = NULL, *key = NULL;
    lh_store_writer *w = NULL;
    lh_rc rc;
    *out = NULL;
    rc = parse_object(uri, &bucket, &key, err);
    if (rc)
        goto out;
    w = lh_calloc(1, sizeof *w + strlen(uri) + 1);
    if (!w) {
        rc = lh_errf(err, LH_ENOMEM, "%s: out of memory opening a writer", uri);
        goto out;
    }
    w->s = s;
    memcpy(w->uri, uri, strlen(uri) + 1);
    rc = s->ops->writer_open(s->st, bucket, key, uri, &w->w, err);
    if (rc)
        goto out;
    *out = w;
    w = NULL;
out:
    lh_free(w);
    lh_free(bucket);
    lh_free(key);
    return rc;
}

lh_rc lh_store_writer_write(lh_store_writer *w, const void *data, size_t len, lh_err *err)
{
    lh_rc rc;
    if (w->failed)
        return lh_errf(err, w->failed, "%s: writer already failed (%s); abort it", w->uri, lh_strerror(w->failed));
    rc = w->s->ops->writer_write(w->w, data, len, err);
    if (rc)
        w->failed = rc;
    else
        w->size += len;
    return rc;
}

uint64_t lh_store_writer_size(const lh_store_writer *w) { return w ? w->size : 0; }

lh_rc lh_store_writer_commit(lh_store_writer *w, lh_err *err)
{
    lh_rc rc;
    if (w->failed) {
        rc = lh_errf(err, w->failed, "%s: cannot commit a writer whose write failed (%s); nothing was stored",
                     w->uri, lh_strerror(w->failed));
        w->s->ops->writer_abort(w->w);
    } else {
        rc = w->s->ops->writer_commit(w->w, err);
        if (!rc)
            lh_crashpoint("store writer commit");
    }
    lh_free(w);
    return rc;
}

lh_rc lh_store_writer_copy_fd(lh_store_writer *w, int fd, uint64_t off, uint64_t *copied, lh_err *err)
{
    uint64_t n = 0;
    lh_rc rc;
    if (copied)
        *copied = 0;
    if (w->failed)
        return lh_errf(err, w->failed, "%s: writer already failed (%s); abort it", w->uri, lh_strerror(w->failed));
    if (!w->s->ops->writer_copy_fd)
        return lh_errf(err, LH_EUNSUPPORTED, "%s: the %s store cannot copy from a file", w->uri, w->s->ops->kind);
    rc = w->s->ops->writer_copy_fd(w->w, fd, off, &n, err);
    w->size += n;
    if (copied)
        *copied = n;
    if (rc && !(rc == LH_EUNSUPPORTED && n == 0))
        w->failed = rc;
    return rc;
}

lh_rc lh_store_clone(lh_store *s, lh_store **out, lh_err *err)
{
    *out = NULL;
    if (!s->ops->clone)
        return lh_errf(err, LH_EUNSUPPORTED, "the %s store has no second handle", s->ops->kind);
    return s->ops->clone(s->st, out, err);
}

void lh_store_batch_begin(lh_store *s)
{
    if (s->ops->batch_begin)
        s->ops->batch_begin(s->st);
}

lh_rc lh_store_batch_end(lh_store *s, int commit, lh_err *err)
{
    lh_err scratch;
    return s->ops->batch_end ? s->ops->batch_end(s->st, commit, err ? err : &scratch) : LH_OK;
}

void lh_store_writer_abort(lh_store_writer *w)
{
    if (!w)
        return;
    w->s->ops->writer_abort(w->w);
    lh_free(w);
}
