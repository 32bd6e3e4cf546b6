/* store/local.c — the local backend: s3://BUCKET/KEY is ROOT/BUCKET/KEY.
 *
 * Every path below ROOT is opened one component at a time with openat and
 * O_NOFOLLOW, so a symbolic link anywhere under ROOT (bucket, folder or
 * object) is refused with LH_EPERM instead of followed.  ROOT itself is
 * the user's choice and may be reached through links.
 *
 * Writes go to a hidden ".lh-tmp-<pid>-<random>-<name>" file in the
 * target folder, are fsynced, renamed over the target, and the folder is
 * fsynced: a reader sees the old object or the new one, never a mix.
 *
 * Batched commits (lh_store_batch_begin, for ingest) keep that order per
 * object but overlap the waiting: a queued commit starts the temporary
 * file's writeback (sync_file_range) and returns; when the queue is full,
 * or at batch end, each queued file is fsynced (by then mostly written)
 * and renamed, and every folder touched is fsynced once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "store/backend.h"
#include "store/store.h"
#include "util/fault.h"

struct local_writer;

typedef struct local_store {
    char *root;
    int rootfd;
    int batch;                                     /* inside lh_store_batch_begin/end */
    struct local_writer *queue[LH_STORE_BATCH_MAX]; /* commits waiting for fsync + rename */
    size_t n_queued;
} local_store;

typedef struct local_writer {
    local_store *ls;
    int dfd, fd;
    char tmp[NAME_MAX + 1];
    char base[NAME_MAX + 1];
    char uri[]; /* for messages */
} local_writer;

/* ---- errors ---- */

static lh_rc errno_rc(int e)
{
    switch (e) {
    case ENOENT: return LH_ENOTFOUND;
    case EACCES:
    case EPERM:
    case ELOOP: return LH_EPERM;
    case ENOMEM: return LH_ENOMEM;
    case ENAMETOOLONG: return LH_EINVAL;
    case ENOSPC:
    case EDQUOT: return LH_ENOSPC;
    default: return LH_EIO;
    }
}

static lh_rc sys_err(lh_err *err, int e, const char *uri, const char *what)
{
    return lh_errf(err, errno_rc(e), "%s: %s: %s", uri, what, strerror(e));
}

/* Prefix an error set by a lower layer (e.g. lh_buf) with the URI. */
static lh_rc with_uri(lh_err *err, lh_rc rc, const char *uri)
{
    if (err)
        lh_err_prefix(err, "%s", uri);
    return rc;
}

/* ---- small I/O helpers ---- */

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t r = lh_fault_io() ? (errno = EIO, -1) : write(fd, p, len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static void close_keep_errno(int fd)
{
    int e = errno;
    if (fd >= 0)
        close(fd);
    errno = e;
}

static uint64_t random64(void)
{
    static _Atomic uint64_t counter; /* two threads may create temporary files at once */
    uint64_t r = 0;
    struct timespec ts;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
        return r;
    clock_gettime(CLOCK_REALTIME, &ts);
    r = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ (++counter * 0x9e3779b97f4a7c15ULL) ^ (uintptr_t)&r;
    return r;
}

/* ---- path walking ---- */

/* A key segment can be a file or folder name we open: not ".", "..", not
 * empty, at most NAME_MAX bytes.  (The generic layer already refused these;
 * this is a second lock on the door.) */
static lh_rc check_segment(const char *p, size_t n, const char *uri, lh_err *err)
{
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
        return lh_errf(err, LH_EPERM, "%s: key segment \"%.*s\" is not allowed", uri, (int)n, p);
    if (n > NAME_MAX)
        return lh_errf(err, LH_EINVAL, "%s: key segment of %zu bytes is longer than the local limit of %d", uri, n,
                       NAME_MAX);
    return LH_OK;
}

/* Open folder `name` under dfd without following a link.  create: make it
 * (mode 0777 & ~umask) when absent.  *out = fd on success. */
static lh_rc open_dir_at(int dfd, const char *name, int create, const char *uri, int *out, lh_err *err)
{
    struct stat st;
    int fd, e, tries;
    *out = -1;
    for (tries = 0;; tries++) {
        fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            *out = fd;
            return LH_OK;
        }
        e = errno;
        if (e == EINTR)
            continue;
        if (e != ENOENT || !create || tries >= 3)
            break;
        if (mkdirat(dfd, name, 0777) != 0) {
            if (errno != EEXIST)
                return lh_errf(err, errno_rc(errno), "%s: cannot create folder \"%s\": %s", uri, name,
                               strerror(errno));
        } else if (fsync(dfd) != 0) {
            return lh_errf(err, LH_EIO, "%s: cannot sync the folder holding new folder \"%s\": %s", uri, name,
                           strerror(errno));
        }
    }
    if (e == ELOOP || e == ENOTDIR) {
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
            return lh_errf(err, LH_EPERM,
                           "%s: \"%s\" is a symbolic link inside the lake; the store never follows links", uri, name);
        if (e == ENOTDIR)
            return lh_errf(err, create ? LH_EEXIST : LH_ENOTFOUND,
                           "%s: \"%s\" is an object (a file), not a folder", uri, name);
    }
    if (e == ENOENT)
        return lh_errf(err, LH_ENOTFOUND, "%s: no such object (folder \"%s\" is absent)", uri, name);
    return lh_errf(err, errno_rc(e), "%s: cannot open folder \"%s\": %s", uri, name, strerror(e));
}

/* Open ROOT/bucket/<the first dirlen bytes of key>, which is empty or ends
 * in '/', one component at a time. */
static lh_rc open_folder(local_store *ls, const char *bucket, const char *key, size_t dirlen, int create,
                         const char *uri, int *out, lh_err *err)
{
    char seg[NAME_MAX + 1];
    const char *p = key, *end = key + dirlen;
    int dfd = -1, nfd;
    lh_rc rc;
    *out = -1;
    rc = open_dir_at(ls->rootfd, bucket, create, uri, &dfd, err);
    if (rc)
        goto out;
    while (p < end) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        rc = check_segment(p, n, uri, err);
        if (rc)
            goto out;
        memcpy(seg, p, n);
        seg[n] = 0;
        rc = open_dir_at(dfd, seg, create, uri, &nfd, err);
        if (rc)
            goto out;
        close(dfd);
        dfd = nfd;
        p += n + 1;
    }
    *out = dfd;
    dfd = -1;
out:
    if (dfd >= 0)
        close(dfd);
    return rc;
}

/* Split an object key: the folder part's length (through the last '/') and
 * the final name.  Refuse names the local backend reserves. */
static lh_rc split_key(const char *key, const char *uri, size_t *dirlen, const char **base, lh_err *err)
{
    const char *slash = strrchr(key, '/');
    const char *p = key;
    lh_rc rc;
    *dirlen = slash ? (size_t)(slash - key) + 1 : 0;
    *base = key + *dirlen;
    rc = check_segment(*base, strlen(*base), uri, err);
    if (rc)
        return rc;
    for (;;) { /* no segment may look like one of our temporary files */
        if (lh_store_is_tmp_name(p))
            return lh_errf(err, LH_EINVAL, "%s: key segments starting with \"%s\" are reserved for temporary files",
                           uri, LH_STORE_TMP_PREFIX);
        p = strchr(p, '/');
        if (!p)
            break;
        p++;
    }
    return LH_OK;
}

/* Open the folder that holds key's object, and point *base at its name. */
static lh_rc open_parent(local_store *ls, const char *bucket, const char *key, int create, const char *uri,
                         int *dfd, const char **base, lh_err *err)
{
    size_t dirlen;
    lh_rc rc = split_key(key, uri, &dirlen, base, err);
    *dfd = -1;
    if (rc)
        return rc;
    return open_folder(ls, bucket, key, dirlen, create, uri, dfd, err);
}

/* Create a fresh hidden temporary file next to base in dfd. */
static lh_rc open_tmp(int dfd, const char *base, const char *uri, int *fd, char tmp[NAME_MAX + 1], lh_err *err)
{
    int tries, e = 0;
    *fd = -1;
    for (tries = 0; tries < 16; tries++) {
        /* ".lh-tmp-" + pid + '-' + 16 hex + '-' stays well under 64 bytes */
        snprintf(tmp, NAME_MAX + 1, "%s%ld-%016llx-%.*s", LH_STORE_TMP_PREFIX, (long)getpid(),
                 (unsigned long long)random64(), NAME_MAX - 64, base);
        *fd = lh_fault_io() ? (errno = EIO, -1) : openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (*fd >= 0)
            return LH_OK;
        e = errno;
        if (e != EEXIST && e != EINTR)
            break;
    }
    return lh_errf(err, errno_rc(e), "%s: cannot create a temporary file in the target folder: %s", uri, strerror(e));
}

/* fsync and close fd, then rename tmp over base.  Always closes fd; on
 * failure removes tmp. */
static lh_rc sync_rename_tmp(int dfd, int fd, const char *tmp, const char *base, const char *uri, lh_err *err)
{
    lh_rc rc = LH_OK;
    if ((lh_fault_io() ? (errno = EIO, -1) : fsync(fd)) != 0) {
        rc = sys_err(err, errno, uri, "cannot sync the temporary file");
        close(fd);
        goto out;
    }
    if (close(fd) != 0) {
        rc = sys_err(err, errno, uri, "cannot close the temporary file");
        goto out;
    }
    if ((lh_fault_io() ? (errno = EIO, -1) : renameat(dfd, tmp, dfd, base)) != 0) {
        if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)
            rc = lh_errf(err, LH_EEXIST, "%s: a folder of that name exists, cannot store an object there", uri);
        else
            rc = sys_err(err, errno, uri, "cannot rename the temporary file into place");
        goto out;
    }
out:
    if (rc)
        unlinkat(dfd, tmp, 0);
    return rc;
}

/* fsync and close fd, rename tmp over base, fsync the folder.  Always
 * closes fd; on failure removes tmp. */
static lh_rc finish_tmp(int dfd, int fd, const char *tmp, const char *base, const char *uri, lh_err *err)
{
    lh_rc rc = sync_rename_tmp(dfd, fd, tmp, base, uri, err);
    if (rc)
        return rc;
    if (fsync(dfd) != 0) /* the object is in place; report that it may not survive a crash */
        return sys_err(err, errno, uri, "cannot sync the folder after renaming the object into place");
    return LH_OK;
}

/* ---- objects ---- */

static lh_rc local_head(void *st, const char *bucket, const char *key, const char *uri, lh_obj_info *out,
                        lh_err *err)
{
    local_store *ls = st;
    const char *base;
    struct stat sb;
    int dfd = -1;
    lh_rc rc = open_parent(ls, bucket, key, 0, uri, &dfd, &base, err);
    if (rc)
        goto out;
    if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            rc = lh_errf(err, LH_ENOTFOUND, "%s: no such object", uri);
        else
            rc = sys_err(err, errno, uri, "cannot stat the object");
        goto out;
    }
    if (S_ISLNK(sb.st_mode)) {
        rc = lh_errf(err, LH_EPERM, "%s: is a symbolic link inside the lake; the store never follows links", uri);
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_ENOTFOUND, "%s: no such object (it is a folder or special file)", uri);
        goto out;
    }
    out->size = (uint64_t)sb.st_size;
    out->mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
out:
    if (dfd >= 0)
        close(dfd);
    return rc;
}

static lh_rc local_get_range(void *st, const char *bucket, const char *key, const char *uri, uint64_t off,
                             size_t len, lh_buf *out, size_t *got, lh_err *err)
{
    local_store *ls = st;
    const char *base;
    struct stat sb;
    int dfd = -1, fd = -1;
    size_t n = 0, done = 0;
    lh_rc rc;
    *got = 0;
    rc = open_parent(ls, bucket, key, 0, uri, &dfd, &base, err);
    if (rc)
        goto out;
    fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            rc = lh_errf(err, LH_ENOTFOUND, "%s: no such object", uri);
        else if (errno == ELOOP)
            rc = lh_errf(err, LH_EPERM, "%s: is a symbolic link inside the lake; the store never follows links", uri);
        else
            rc = sys_err(err, errno, uri, "cannot open the object");
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        rc = sys_err(err, errno, uri, "cannot stat the object");
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_ENOTFOUND, "%s: no such object (it is a folder or special file)", uri);
        goto out;
    }
    if (off < (uint64_t)sb.st_size) {
        uint64_t avail = (uint64_t)sb.st_size - off;
        n = avail < (uint64_t)len ? (size_t)avail : len;
    }
    if (n == 0)
        goto out;
    rc = lh_buf_reserve(out, n, err);
    if (rc) {
        rc = with_uri(err, rc, uri);
        goto out;
    }
    while (done < n) {
        ssize_t r = lh_fault_io() ? (errno = EIO, -1) : pread(fd, out->data + out->len + done, n - done, (off_t)(off + done));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = sys_err(err, errno, uri, "cannot read the object");
            goto out;
        }
        if (r == 0) /* shrank under us (changed in place, not by the store) */
            break;
        done += (size_t)r;
    }
    out->len += done;
    out->data[out->len] = 0;
    *got = done;
out:
    if (fd >= 0)
        close(fd);
    if (dfd >= 0)
        close(dfd);
    return rc;
}

static lh_rc local_put(void *st, const char *bucket, const char *key, const char *uri, const void *data,
                       size_t len, lh_err *err)
{
    local_store *ls = st;
    char tmp[NAME_MAX + 1];
    const char *base;
    int dfd = -1, fd = -1, e;
    lh_rc rc = open_parent(ls, bucket, key, 1, uri, &dfd, &base, err);
    if (rc)
        goto out;
    rc = open_tmp(dfd, base, uri, &fd, tmp, err);
    if (rc)
        goto out;
    e = write_all(fd, data, len);
    if (e) {
        rc = sys_err(err, e, uri, "cannot write the temporary file");
        close(fd);
        unlinkat(dfd, tmp, 0);
        goto out;
    }
    rc = finish_tmp(dfd, fd, tmp, base, uri, err);
out:
    if (dfd >= 0)
        close_keep_errno(dfd);
    return rc;
}

/* Remove base from folder dfd and make the removal durable; an entry
 * already gone is not an error.  what names the entry in messages. */
static lh_rc unlink_synced(int dfd, const char *base, const char *uri, const char *what, lh_err *err)
{
    char msg[96];
    int e;
    if (unlinkat(dfd, base, 0) != 0) {
        e = errno;
        if (e == ENOENT)
            return LH_OK;
        snprintf(msg, sizeof msg, "cannot delete the %s", what);
        return sys_err(err, e, uri, msg);
    }
    if (fsync(dfd) != 0) {
        e = errno;
        snprintf(msg, sizeof msg, "cannot sync the folder after deleting the %s", what);
        return sys_err(err, e, uri, msg);
    }
    return LH_OK;
}

static lh_rc local_del(void *st, const char *bucket, const char *key, const char *uri, lh_err *err)
{
    local_store *ls = st;
    const char *base;
    struct stat sb;
    lh_err e2;
    int dfd = -1;
    lh_rc rc = open_parent(ls, bucket, key, 0, uri, &dfd, &base, &e2);
    if (rc == LH_ENOTFOUND) {
        rc = LH_OK; /* absent folder: absent object */
        goto out;
    }
    if (rc) {
        if (err)
            *err = e2;
        goto out;
    }
    if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)
            rc = sys_err(err, errno, uri, "cannot stat the object");
        goto out;
    }
    if (S_ISLNK(sb.st_mode)) {
        rc = lh_errf(err, LH_EPERM, "%s: is a symbolic link inside the lake; the store never touches links", uri);
        goto out;
    }
    if (S_ISDIR(sb.st_mode)) /* a folder is not an object: nothing to delete */
        goto out;
    rc = unlink_synced(dfd, base, uri, "object", err);
out:
    if (dfd >= 0)
        close(dfd);
    return rc;
}

/* ---- streaming writer ---- */

static lh_rc local_writer_open(void *st, const char *bucket, const char *key, const char *uri, void **wout,
                               lh_err *err)
{
    local_store *ls = st;
    local_writer *w = NULL;
    const char *base;
    size_t ulen = strlen(uri);
    lh_rc rc;
    *wout = NULL;
    w = lh_calloc(1, sizeof *w + ulen + 1);
    if (!w) {
        rc = lh_errf(err, LH_ENOMEM, "%s: out of memory opening a writer", uri);
        goto out;
    }
    w->ls = ls;
    w->dfd = w->fd = -1;
    memcpy(w->uri, uri, ulen + 1);
    rc = open_parent(ls, bucket, key, 1, uri, &w->dfd, &base, err);
    if (rc)
        goto out;
    snprintf(w->base, sizeof w->base, "%s", base);
    rc = open_tmp(w->dfd, base, uri, &w->fd, w->tmp, err);
    if (rc)
        goto out;
    *wout = w;
    w = NULL;
out:
    if (w) {
        if (w->dfd >= 0)
            close(w->dfd);
        lh_free(w);
    }
    return rc;
}

static lh_rc local_writer_write(void *wp, const void *data, size_t len, lh_err *err)
{
    local_writer *w = wp;
    int e = write_all(w->fd, data, len);
    return e ? sys_err(err, e, w->uri, "cannot write the temporary file") : LH_OK;
}

/* Complete the queued commits in order: fsync + rename each, then fsync
 * each folder once.  commit = 0 abandons them instead.  Returns the first
 * error; every queued writer is freed either way. */
static lh_rc drain_queue(local_store *ls, int commit, lh_err *err)
{
    lh_rc rc = LH_OK, r;
    size_t i, j, n = ls->n_queued;
    struct stat di[LH_STORE_BATCH_MAX];
    int synced[LH_STORE_BATCH_MAX];
    ls->n_queued = 0;
    for (i = 0; i < n; i++) {
        local_writer *w = ls->queue[i];
        synced[i] = 1; /* nothing to sync unless renamed */
        if (!commit || rc) {
            close(w->fd);
            unlinkat(w->dfd, w->tmp, 0);
            continue;
        }
        r = sync_rename_tmp(w->dfd, w->fd, w->tmp, w->base, w->uri, err);
        if (r) {
            rc = r;
            continue;
        }
        synced[i] = 0;
        if (fstat(w->dfd, &di[i]) != 0)
            memset(&di[i], 0, sizeof di[i]);
    }
    for (i = 0; i < n; i++) {
        local_writer *w = ls->queue[i];
        if (!synced[i]) {
            if (fsync(w->dfd) != 0 && !rc)
                rc = sys_err(err, errno, w->uri, "cannot sync the folder after renaming the object into place");
            for (j = i + 1; j < n; j++) /* the same folder through another descriptor */
                if (!synced[j] && di[j].st_ino == di[i].st_ino && di[j].st_dev == di[i].st_dev && di[i].st_ino)
                    synced[j] = 1;
        }
        close(w->dfd);
        lh_free(w);
    }
    return rc;
}

static lh_rc local_writer_commit(void *wp, lh_err *err)
{
    local_writer *w = wp;
    local_store *ls = w->ls;
    lh_rc rc;
    if (ls->batch) {
        /* Start the writeback now; drain_queue's fsync waits for the rest. */
        (void)sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        ls->queue[ls->n_queued++] = w;
        return ls->n_queued == LH_STORE_BATCH_MAX ? drain_queue(ls, 1, err) : LH_OK;
    }
    rc = finish_tmp(w->dfd, w->fd, w->tmp, w->base, w->uri, err);
    close(w->dfd);
    lh_free(w);
    return rc;
}

static void local_writer_abort(void *wp)
{
    local_writer *w = wp;
    if (!w)
        return;
    close(w->fd);
    unlinkat(w->dfd, w->tmp, 0);
    close(w->dfd);
    lh_free(w);
}

/* copy_file_range from fd until its end: the bytes never visit user space. */
static lh_rc local_writer_copy_fd(void *wp, int fd, uint64_t off, uint64_t *copied, lh_err *err)
{
    local_writer *w = wp;
    loff_t o = (loff_t)off;
    *copied = 0;
    for (;;) {
        ssize_t r = lh_fault_io() ? (errno = EIO, -1) : copy_file_range(fd, &o, w->fd, NULL, (size_t)1 << 30, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (*copied == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP ||
                                 errno == EBADF))
                return lh_errf(err, LH_EUNSUPPORTED, "%s: copy_file_range not available: %s", w->uri,
                               strerror(errno));
            return sys_err(err, errno, w->uri, "cannot copy into the temporary file");
        }
        if (r == 0)
            return LH_OK;
        *copied += (uint64_t)r;
    }
}

static void local_batch_begin(void *st) { ((local_store *)st)->batch = 1; }

static lh_rc local_batch_end(void *st, int commit, lh_err *err)
{
    local_store *ls = st;
    ls->batch = 0;
    return drain_queue(ls, commit, err);
}

/* ---- listing ---- */

typedef struct list_ent {
    char *key;
    uint64_t size;
    int64_t mtime_ms;
} list_ent;

typedef struct list_walk {
    const char *token; /* only keys > token */
    const char *uri;
    size_t keep; /* max_keys + 1: enough to know whether a next page exists */
    list_ent *v;
    size_t n, cap;
    lh_buf path; /* key of the folder being walked, ending in '/' or empty */
    lh_err *err;
} list_walk;

static int ent_cmp(const void *a, const void *b)
{
    return strcmp(((const list_ent *)a)->key, ((const list_ent *)b)->key);
}

/* Keep only the `keep` smallest keys. */
static void trim(list_walk *w)
{
    size_t i;
    if (w->n < 2)
        return;
    qsort(w->v, w->n, sizeof *w->v, ent_cmp);
    for (i = w->keep; i < w->n; i++)
        lh_free(w->v[i].key);
    if (w->n > w->keep)
        w->n = w->keep;
}

static lh_rc add_ent(list_walk *w, const struct stat *sb)
{
    list_ent *e;
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        list_ent *nv = lh_realloc(w->v, nc * sizeof *nv);
        if (!nv)
            return lh_errf(w->err, LH_ENOMEM, "%s: out of memory listing objects", w->uri);
        w->v = nv;
        w->cap = nc;
    }
    e = &w->v[w->n];
    e->key = lh_strndup(w->path.data, w->path.len);
    if (!e->key)
        return lh_errf(w->err, LH_ENOMEM, "%s: out of memory listing objects", w->uri);
    e->size = (uint64_t)sb->st_size;
    e->mtime_ms = (int64_t)sb->st_mtim.tv_sec * 1000 + sb->st_mtim.tv_nsec / 1000000;
    w->n++;
    if (w->n >= 2 * w->keep)
        trim(w);
    return LH_OK;
}

/* Names a listed object may carry: what lh_uri_parse accepts in a key. */
static int listable_name(const char *name)
{
    const unsigned char *p;
    if (!strcmp(name, ".") || !strcmp(name, "..") || lh_store_is_tmp_name(name))
        return 0;
    for (p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return 0;
    return 1;
}

/* Walk the folder fd (taken over), whose key prefix is in w->path.  Only
 * names starting with filter (may be NULL) are visited. */
static lh_rc walk_dir(list_walk *w, int fd, const char *filter)
{
    size_t base = w->path.len, flen = filter ? strlen(filter) : 0;
    struct dirent *de;
    struct stat sb;
    lh_rc rc = LH_OK;
    DIR *d = fdopendir(fd);
    if (!d) {
        rc = sys_err(w->err, errno, w->uri, "cannot read a folder");
        close(fd);
        goto out;
    }
    for (;;) {
        const char *name;
        size_t nl;
        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno)
                rc = sys_err(w->err, errno, w->uri, "cannot read a folder");
            break;
        }
        name = de->d_name;
        if ((flen && strncmp(name, filter, flen) != 0) || !listable_name(name))
            continue;
        nl = strlen(name);
        if (base + nl + 1 > LH_STORE_MAX_KEY_LEN) /* not a key S3 could hold */
            continue;
        if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) /* removed while we looked */
                continue;
            rc = sys_err(w->err, errno, w->uri, "cannot stat an entry while listing");
            break;
        }
        w->path.len = base;
        rc = lh_buf_append(&w->path, name, nl, w->err);
        if (rc) {
            rc = with_uri(w->err, rc, w->uri);
            break;
        }
        if (S_ISDIR(sb.st_mode)) {
            int cfd;
            rc = lh_buf_putc(&w->path, '/', w->err);
            if (rc) {
                rc = with_uri(w->err, rc, w->uri);
                break;
            }
            /* every key below starts with path: all <= token when path
             * sorts before token and is not a prefix of it */
            if (w->token && strncmp(w->path.data, w->token, w->path.len) < 0)
                continue;
            cfd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cfd < 0) {
                if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) /* gone or swapped for a link */
                    continue;
                rc = sys_err(w->err, errno, w->uri, "cannot open a folder while listing");
                break;
            }
            rc = walk_dir(w, cfd, NULL);
            if (rc)
                break;
        } else if (S_ISREG(sb.st_mode)) {
            if (w->token && strcmp(w->path.data, w->token) <= 0)
                continue;
            rc = add_ent(w, &sb);
            if (rc)
                break;
        } /* links and special files are not objects */
    }
    closedir(d);
out:
    w->path.len = base;
    return rc;
}

static lh_rc local_list(void *st, const char *bucket, const char *prefix, const char *token, size_t max_keys,
                        const char *uri, lh_list_page *out, lh_err *err)
{
    local_store *ls = st;
    const char *slash = strrchr(prefix, '/');
    size_t dirlen = slash ? (size_t)(slash - prefix) + 1 : 0, i, page;
    list_walk w;
    lh_err e2;
    int dfd = -1;
    lh_rc rc;
    memset(&w, 0, sizeof w);
    w.token = token;
    w.uri = uri;
    w.keep = max_keys + 1;
    w.err = err;
    lh_buf_init(&w.path, LH_STORE_MAX_KEY_LEN + NAME_MAX + 2);
    rc = open_folder(ls, bucket, prefix, dirlen, 0, uri, &dfd, &e2);
    if (rc == LH_ENOTFOUND) { /* no bucket or no such folder: nothing listed */
        rc = LH_OK;
        goto out;
    }
    if (rc) {
        if (err)
            *err = e2;
        goto out;
    }
    rc = lh_buf_append(&w.path, prefix, dirlen, err);
    if (rc) {
        rc = with_uri(err, rc, uri);
        close(dfd);
        goto out;
    }
    rc = walk_dir(&w, dfd, prefix + dirlen);
    if (rc)
        goto out;
    trim(&w);
    page = w.n < max_keys ? w.n : max_keys;
    if (page == 0)
        goto out;
    out->items = lh_calloc(page, sizeof *out->items);
    if (!out->items) {
        rc = lh_errf(err, LH_ENOMEM, "%s: out of memory listing objects", uri);
        goto out;
    }
    for (i = 0; i < page; i++) {
        out->items[i].uri = lh_aprintf("s3://%s/%s", bucket, w.v[i].key);
        if (!out->items[i].uri) {
            rc = lh_errf(err, LH_ENOMEM, "%s: out of memory listing objects", uri);
            goto out;
        }
        out->items[i].size = w.v[i].size;
        out->items[i].mtime_ms = w.v[i].mtime_ms;
        out->n = i + 1;
    }
    if (w.n > max_keys) {
        out->next_token = lh_strdup(w.v[page - 1].key);
        if (!out->next_token) {
            rc = lh_errf(err, LH_ENOMEM, "%s: out of memory listing objects", uri);
            goto out;
        }
    }
out:
    if (rc)
        lh_list_page_free(out);
    for (i = 0; i < w.n; i++)
        lh_free(w.v[i].key);
    lh_free(w.v);
    lh_buf_free(&w.path);
    return rc;
}

/* ---- temporary files (vacuum) ---- */

typedef struct tmp_walk {
    lh_obj_info *v;
    size_t n, cap;
    lh_buf path; /* key of the folder being walked, ending in '/' or empty */
    const char *bucket;
    lh_err *err;
} tmp_walk;

static lh_rc tmp_add(tmp_walk *w, const char *name, const struct stat *sb)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        lh_obj_info *nv = lh_realloc(w->v, nc * sizeof *nv);
        if (!nv)
            return lh_errf(w->err, LH_ENOMEM, "s3://%s/: out of memory listing temporary files", w->bucket);
        w->v = nv;
        w->cap = nc;
    }
    w->v[w->n].uri = lh_aprintf("s3://%s/%.*s%s", w->bucket, (int)w->path.len, w->path.data, name);
    if (!w->v[w->n].uri)
        return lh_errf(w->err, LH_ENOMEM, "s3://%s/: out of memory listing temporary files", w->bucket);
    w->v[w->n].size = (uint64_t)sb->st_size;
    w->v[w->n].mtime_ms = (int64_t)sb->st_mtim.tv_sec * 1000 + sb->st_mtim.tv_nsec / 1000000;
    w->n++;
    return LH_OK;
}

/* Walk folder fd (taken over) for temporary files; links are never followed. */
static lh_rc tmp_walk_dir(tmp_walk *w, int fd, int depth)
{
    size_t base = w->path.len;
    struct dirent *de;
    struct stat sb;
    lh_rc rc = LH_OK;
    DIR *d = fdopendir(fd);
    if (!d) {
        rc = lh_errf(w->err, errno_rc(errno), "s3://%s/%.*s: cannot read the folder: %s", w->bucket, (int)base,
                     w->path.data, strerror(errno));
        close(fd);
        return rc;
    }
    for (;;) {
        const char *name;
        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno)
                rc = lh_errf(w->err, errno_rc(errno), "s3://%s/%.*s: cannot read the folder: %s", w->bucket,
                             (int)base, w->path.data, strerror(errno));
            break;
        }
        name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) /* renamed into place or removed while we looked */
                continue;
            rc = lh_errf(w->err, errno_rc(errno), "s3://%s/%.*s%s: cannot stat: %s", w->bucket, (int)base,
                         w->path.data, name, strerror(errno));
            break;
        }
        if (S_ISREG(sb.st_mode) && lh_store_is_tmp_name(name)) {
            rc = tmp_add(w, name, &sb);
        } else if (S_ISDIR(sb.st_mode) && listable_name(name) && depth < LH_STORE_MAX_KEY_LEN / 2 &&
                   base + strlen(name) + 1 < LH_STORE_MAX_KEY_LEN) {
            int cfd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cfd < 0) {
                if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) /* gone or swapped for a link */
                    continue;
                rc = lh_errf(w->err, errno_rc(errno), "s3://%s/%.*s%s/: cannot open the folder: %s", w->bucket,
                             (int)base, w->path.data, name, strerror(errno));
                break;
            }
            rc = lh_buf_append(&w->path, name, strlen(name), w->err);
            if (!rc)
                rc = lh_buf_putc(&w->path, '/', w->err);
            if (rc)
                close(cfd);
            else
                rc = tmp_walk_dir(w, cfd, depth + 1);
            w->path.len = base;
        }
        if (rc)
            break;
    }
    closedir(d);
    w->path.len = base;
    return rc;
}

/* Every bucket folder of the root (names lh_uri_parse accepts as a bucket). */
static lh_rc local_list_tmp(void *st, lh_obj_info **items, size_t *n, lh_err *err)
{
    local_store *ls = st;
    tmp_walk w;
    struct dirent *de;
    struct stat sb;
    lh_rc rc = LH_OK;
    DIR *d = NULL;
    int fd = openat(ls->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* an offset of its own */
    memset(&w, 0, sizeof w);
    w.err = err;
    lh_buf_init(&w.path, LH_STORE_MAX_KEY_LEN + NAME_MAX + 2);
    if (fd < 0 || !(d = fdopendir(fd))) {
        rc = lh_errf(err, errno_rc(errno), "lake root %s: cannot read the folder: %s", ls->root, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    for (;;) {
        char probe[NAME_MAX + 8];
        int bfd;
        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno)
                rc = lh_errf(err, errno_rc(errno), "lake root %s: cannot read the folder: %s", ls->root,
                             strerror(errno));
            break;
        }
        snprintf(probe, sizeof probe, "s3://%s/", de->d_name);
        if (de->d_name[0] == '.' || lh_uri_parse(probe, NULL, NULL, NULL) != LH_OK)
            continue; /* not a bucket: the catalog's folder, the user's files */
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        bfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (bfd < 0)
            continue; /* gone, or swapped for a link */
        w.bucket = de->d_name;
        w.path.len = 0;
        rc = tmp_walk_dir(&w, bfd, 0);
        if (rc)
            break;
    }
out:
    if (d)
        closedir(d);
    lh_buf_free(&w.path);
    if (rc) {
        lh_obj_list_free(w.v, w.n);
        w.v = NULL;
        w.n = 0;
    }
    *items = w.v;
    *n = w.n;
    return rc;
}

static lh_rc local_del_tmp(void *st, const char *bucket, const char *key, const char *uri, lh_err *err)
{
    local_store *ls = st;
    const char *slash = strrchr(key, '/');
    const char *base = slash ? slash + 1 : key;
    size_t dirlen = (size_t)(base - key);
    struct stat sb;
    lh_err e2;
    int dfd = -1;
    lh_rc rc = check_segment(base, strlen(base), uri, err);
    if (rc)
        return rc;
    rc = open_folder(ls, bucket, key, dirlen, 0, uri, &dfd, &e2);
    if (rc == LH_ENOTFOUND) {
        rc = LH_OK;
        goto out;
    }
    if (rc) {
        if (err)
            *err = e2;
        goto out;
    }
    if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)
            rc = sys_err(err, errno, uri, "cannot stat the temporary file");
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_EPERM, "%s: not a regular file; only the store's own temporary files are removed", uri);
        goto out;
    }
    rc = unlink_synced(dfd, base, uri, "temporary file", err);
out:
    if (dfd >= 0)
        close(dfd);
    return rc;
}

/* ---- open / close ---- */

static void local_close(void *st)
{
    local_store *ls = st;
    if (!ls)
        return;
    (void)drain_queue(ls, 0, NULL); /* a batch never ended: abandon it */
    if (ls->rootfd >= 0)
        close(ls->rootfd);
    lh_free(ls->root);
    lh_free(ls);
}

static lh_rc local_clone(void *st, lh_store **out, lh_err *err)
{
    return lh_store_open_local(((local_store *)st)->root, out, err);
}

static const lh_store_ops local_ops = {
    .kind = "local",
    .list = local_list,
    .head = local_head,
    .get_range = local_get_range,
    .put = local_put,
    .writer_open = local_writer_open,
    .writer_write = local_writer_write,
    .writer_commit = local_writer_commit,
    .writer_abort = local_writer_abort,
    .del = local_del,
    .writer_copy_fd = local_writer_copy_fd,
    .batch_begin = local_batch_begin,
    .batch_end = local_batch_end,
    .list_tmp = local_list_tmp,
    .del_tmp = local_del_tmp,
    .clone = local_clone,
    .close = local_close,
};

/* mkdir -p path (mutable copy), mode 0777 & ~umask. */
static lh_rc mkdir_p(char *path, lh_err *err)
{
    char *p;
    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            lh_rc rc = lh_errf(err, errno_rc(errno), "lake root %s: cannot create folder %s: %s", path, path,
                               strerror(errno));
            *p = '/';
            return rc;
        }
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return lh_errf(err, errno_rc(errno), "lake root %s: cannot create the folder: %s", path, strerror(errno));
    return LH_OK;
}

lh_rc lh_store_open_local(const char *root, lh_store **out, lh_err *err)
{
    local_store *ls = NULL;
    lh_rc rc;
    *out = NULL;
    if (!root || !*root) {
        rc = lh_errf(err, LH_EINVAL, "lake root folder is empty");
        goto out;
    }
    ls = lh_calloc(1, sizeof *ls);
    if (!ls) {
        rc = lh_errf(err, LH_ENOMEM, "lake root %s: out of memory opening the store", root);
        goto out;
    }
    ls->rootfd = -1;
    ls->root = lh_strdup(root);
    if (!ls->root) {
        rc = lh_errf(err, LH_ENOMEM, "lake root %s: out of memory opening the store", root);
        goto out;
    }
    rc = mkdir_p(ls->root, err);
    if (rc)
        goto out;
    ls->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ls->rootfd < 0) {
        rc = lh_errf(err, errno == ENOTDIR ? LH_EINVAL : errno_rc(errno), "lake root %s: cannot open the folder: %s",
                     root, strerror(errno));
        goto out;
    }
    rc = lh_store_wrap(&local_ops, ls, out, err); /* closes ls on failure */
    ls = NULL;
out:
    local_close(ls);
    return rc;
}
