/* store/store.h — the object store, addressed by s3://BUCKET/KEY URIs.
 *
 * One interface, several backends.  The local backend maps
 * s3://BUCKET/KEY to the file ROOT/BUCKET/KEY; an S3 backend (later) speaks
 * the S3 REST API.  The interface is shaped by what S3 can do: there is no
 * rename and no append, puts are whole-object and atomic, listings come in
 * pages of keys in lexicographic (byte) order with a continuation token.
 *
 * Ownership and lifetime:
 *  - lh_store is opaque; lh_store_close frees it.  Not thread-safe: use one
 *    store per thread.
 *  - Strings handed out (lh_obj_info.uri, list pages) are owned by the
 *    structure that holds them and freed by its *_free function.
 *  - A writer must end in exactly one of commit or abort, both free it.
 *
 * Errors: every call returns lh_rc and fills err with a message naming the
 * URI.  LH_ENOTFOUND for an absent object; LH_EPERM for a URI that would
 * escape the lake root ("..", absolute keys, NUL, symlinks); LH_EINVAL for
 * a malformed URI; LH_EIO for I/O failure.
 *
 * Atomicity: readers never see half an object.  The local backend writes a
 * hidden temporary file (".lh-tmp-*", never listed) in the target folder,
 * fsyncs it and renames it into place.
 */
#ifndef LH_STORE_STORE_H
#define LH_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/mem.h"

typedef struct lh_store lh_store;
typedef struct lh_store_writer lh_store_writer;

typedef struct lh_obj_info {
    char *uri;        /* s3://bucket/key */
    uint64_t size;    /* bytes */
    int64_t mtime_ms; /* last modified, epoch ms */
} lh_obj_info;

typedef struct lh_list_page {
    lh_obj_info *items;
    size_t n;
    char *next_token; /* NULL on the last page; pass back to get the next */
} lh_list_page;

/* Split "s3://bucket/key" into freshly allocated bucket and key (key may be
 * ""), validating both: bucket per S3 naming rules, key without "..", "."
 * segments, empty segments ("//"), a leading "/", backslashes or control
 * characters.  Either out pointer may be NULL. */
lh_rc lh_uri_parse(const char *uri, char **bucket, char **key, lh_err *err) LH_MUST_CHECK;

/* Open the local backend rooted at the folder root (created if missing). */
lh_rc lh_store_open_local(const char *root, lh_store **out, lh_err *err) LH_MUST_CHECK;
void lh_store_close(lh_store *s);
/* A second handle on the same store for another thread (handles are not
 * thread-safe; two handles may be used by two threads at once): local,
 * the same root; S3, the same endpoint and credentials with its own curl
 * handle.  LH_EUNSUPPORTED when a backend has none. */
lh_rc lh_store_clone(lh_store *s, lh_store **out, lh_err *err) LH_MUST_CHECK;
/* "local" or "s3". */
const char *lh_store_kind(const lh_store *s);

/* One page of at most max_keys objects (1..1000; 0 means 1000) whose URI
 * starts with uri_prefix (e.g. "s3://b/customer/landing/"), in key order.
 * token is NULL for the first page, else the previous page's next_token. */
lh_rc lh_store_list(lh_store *s, const char *uri_prefix, const char *token, size_t max_keys, lh_list_page *out,
                    lh_err *err) LH_MUST_CHECK;
void lh_list_page_free(lh_list_page *p);

/* All objects under a prefix, following pages; caller frees with
 * lh_obj_list_free. */
lh_rc lh_store_list_all(lh_store *s, const char *uri_prefix, lh_obj_info **items, size_t *n, lh_err *err) LH_MUST_CHECK;
void lh_obj_list_free(lh_obj_info *items, size_t n);

/* Size and time of one object; LH_ENOTFOUND if absent.  out->uri is set. */
lh_rc lh_store_head(lh_store *s, const char *uri, lh_obj_info *out, lh_err *err) LH_MUST_CHECK;
void lh_obj_info_free(lh_obj_info *o);

/* Append the whole object to out. */
lh_rc lh_store_get(lh_store *s, const char *uri, lh_buf *out, lh_err *err) LH_MUST_CHECK;
/* Append bytes [off, off+len) to out; fewer at the end of the object, none
 * past it.  *got (may be NULL) receives the count appended. */
lh_rc lh_store_get_range(lh_store *s, const char *uri, uint64_t off, size_t len, lh_buf *out, size_t *got,
                         lh_err *err) LH_MUST_CHECK;

/* Atomically create or replace an object with the given bytes. */
lh_rc lh_store_put(lh_store *s, const char *uri, const void *data, size_t len, lh_err *err) LH_MUST_CHECK;

/* Streaming put: nothing is visible until commit (S3: multipart upload,
 * aborted on failure). */
lh_rc lh_store_writer_open(lh_store *s, const char *uri, lh_store_writer **out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_store_writer_write(lh_store_writer *w, const void *data, size_t len, lh_err *err) LH_MUST_CHECK;
/* Bytes written so far. */
uint64_t lh_store_writer_size(const lh_store_writer *w);
lh_rc lh_store_writer_commit(lh_store_writer *w, lh_err *err) LH_MUST_CHECK; /* frees w */
void lh_store_writer_abort(lh_store_writer *w);                            /* frees w */
/* Append the bytes of the open file fd from offset off to its end (the
 * local backend copies inside the kernel with copy_file_range).
 * LH_EUNSUPPORTED, with nothing written, when the backend cannot: then
 * read the file and use lh_store_writer_write.  *copied may be NULL. */
lh_rc lh_store_writer_copy_fd(lh_store_writer *w, int fd, uint64_t off, uint64_t *copied, lh_err *err) LH_MUST_CHECK;

/* Batched commits, for bulk copies (ingest).  Between lh_store_batch_begin
 * and lh_store_batch_end, lh_store_writer_commit may return before the
 * object is durable and in place: the local backend starts the bytes'
 * writeback and queues the rename; queued commits complete in order when
 * LH_STORE_BATCH_MAX are queued and at lh_store_batch_end(s, 1, err),
 * which syncs each folder once instead of once per object.  An object
 * still appears whole or not at all.  An error completing a queued commit
 * is returned by the call that completes it (a later commit or batch_end)
 * and names the object; lh_store_batch_end(s, 0, NULL) abandons what is
 * queued (temporary files removed).  Backends without batching (S3)
 * commit at once, as outside a batch.  Not nestable. */
#define LH_STORE_BATCH_MAX 64
void lh_store_batch_begin(lh_store *s);
lh_rc lh_store_batch_end(lh_store *s, int commit, lh_err *err);

/* Delete one object; deleting an absent object is LH_OK (as in S3). */
lh_rc lh_store_delete(lh_store *s, const char *uri, lh_err *err) LH_MUST_CHECK;

/* Temporary files (for vacuum).  Every ".lh-tmp-<pid>-<random>-<name>"
 * file in any bucket of the store: a writer's data before its rename, or
 * what a killed writer left.  They are never listed by lh_store_list and
 * hold nothing a reader can see.  Sorted by URI; free with
 * lh_obj_list_free.  Backends that make none (S3) return an empty list. */
lh_rc lh_store_list_tmp(lh_store *s, lh_obj_info **items, size_t *n, lh_err *err) LH_MUST_CHECK;
/* The pid a temporary file's name embeds, or 0 if it embeds none. */
long lh_store_tmp_pid(const char *uri);
/* Remove one temporary file named by lh_store_list_tmp (LH_EINVAL for any
 * other URI; absent is LH_OK).  Only safe when its writer is dead. */
lh_rc lh_store_delete_tmp(lh_store *s, const char *uri, lh_err *err) LH_MUST_CHECK;

#endif
