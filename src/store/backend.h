/* store/backend.h — internal: the operations a store backend provides.
 *
 * Not part of the public interface: only the store sources (store.c, local.c, s3.c) include this.
 *
 * The generic layer (store.c) parses and validates every URI before it
 * calls a backend, so a backend receives a bucket that follows the S3
 * naming rules and a key without "..", "." or empty segments, leading '/',
 * backslashes or control characters.  For object operations (head, get,
 * put, writer, delete) the key is non-empty and does not end in '/'.  The
 * original URI is passed along too, for error messages.
 *
 * Every function fills err with a message naming the URI.  Backend state
 * (`st`) and writer state (`w`) are opaque to the generic layer.
 *
 * Adding a backend (e.g. src/store/s3.c): define a static const
 * lh_store_ops, build its state, and hand both to lh_store_wrap from its
 * open function.  Callers never change.
 */
#ifndef LH_STORE_BACKEND_H
#define LH_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The listing's hard page limit (ListObjectsV2 max-keys). */
#define LH_STORE_MAX_KEYS 1000
/* Longest key S3 accepts, in bytes. */
#define LH_STORE_MAX_KEY_LEN 1024

typedef struct lh_store_ops {
    const char *kind; /* "local", "s3" */

    /* One page of objects whose key starts with prefix (possibly ""), keys
     * strictly greater than token's position (token NULL: from the start),
     * at most max_keys (1..LH_STORE_MAX_KEYS) items.  out is zeroed by the
     * caller; on success items[i].uri are "s3://bucket/key" and next_token
     * is NULL on the last page.  On failure out is left empty. */
    lh_rc (*list)(void *st, const char *bucket, const char *prefix, const char *token, size_t max_keys,
                  const char *uri, lh_list_page *out, lh_err *err);

    /* Size and mtime of an object; out->uri is set by the caller. */
    lh_rc (*head)(void *st, const char *bucket, const char *key, const char *uri, lh_obj_info *out, lh_err *err);

    /* Append bytes [off, off+len) (len SIZE_MAX: to the end) to out; *got
     * receives the count appended. */
    lh_rc (*get_range)(void *st, const char *bucket, const char *key, const char *uri, uint64_t off, size_t len,
                       lh_buf *out, size_t *got, lh_err *err);

    /* Atomic whole-object create-or-replace. */
    lh_rc (*put)(void *st, const char *bucket, const char *key, const char *uri, const void *data, size_t len,
                 lh_err *err);

    /* Streaming put.  writer_commit and writer_abort both free *w. */
    lh_rc (*writer_open)(void *st, const char *bucket, const char *key, const char *uri, void **w, lh_err *err);
    lh_rc (*writer_write)(void *w, const void *data, size_t len, lh_err *err);
    lh_rc (*writer_commit)(void *w, lh_err *err);
    void (*writer_abort)(void *w);
    /* Optional: append bytes of an open file from offset off until its
     * end; *copied receives the count.  LH_EUNSUPPORTED with nothing
     * copied lets the caller fall back to read + writer_write. */
    lh_rc (*writer_copy_fd)(void *w, int fd, uint64_t off, uint64_t *copied, lh_err *err);

    /* Optional batched commits (see lh_store_batch_begin): begin sets the
     * mode; end(commit=1) completes every queued commit and syncs each
     * folder once, end(commit=0) abandons them.  NULL: commit at once. */
    void (*batch_begin)(void *st);
    lh_rc (*batch_end)(void *st, int commit, lh_err *err);

    /* Remove an object; absent is LH_OK. */
    lh_rc (*del)(void *st, const char *bucket, const char *key, const char *uri, lh_err *err);

    /* Optional: every temporary file a writer made and has not yet renamed
     * or removed (".lh-tmp-*", what a killed writer leaves), in every
     * bucket of the store, with size and mtime; items[i].uri is
     * "s3://bucket/folder/.lh-tmp-...".  NULL: the backend makes none (S3
     * stages data in multipart uploads, not objects). */
    lh_rc (*list_tmp)(void *st, lh_obj_info **items, size_t *n, lh_err *err);
    /* Optional: remove one such file; key's last segment is a temporary
     * name, no earlier one is.  Absent is LH_OK. */
    lh_rc (*del_tmp)(void *st, const char *bucket, const char *key, const char *uri, lh_err *err);

    /* Optional: a second, independent handle on the same store, for
     * another thread (a partitioned job).  NULL: not available. */
    lh_rc (*clone)(void *st, lh_store **out, lh_err *err);

    /* Release the backend state. */
    void (*close)(void *st);
} lh_store_ops;

/* Wrap a backend into a store handle.  On success the store owns st (freed
 * through ops->close by lh_store_close); on failure (LH_ENOMEM) st is
 * closed through ops->close here. */
lh_rc lh_store_wrap(const lh_store_ops *ops, void *st, lh_store **out, lh_err *err) LH_MUST_CHECK;

/* Does a file or folder name (one key segment) start with the hidden
 * temporary-file marker ".lh-tmp-"? */
int lh_store_is_tmp_name(const char *name);
#define LH_STORE_TMP_PREFIX ".lh-tmp-"

#endif
