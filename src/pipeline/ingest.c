/* pipeline/ingest.c — see ingest.h. */
#include "pipeline/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/filekind.h"
#include "util/mem.h"

#define CHUNK ((size_t)8 << 20)

static lh_rc read_chunk(int fd, const char *path, uint64_t off, char *buf, size_t len, size_t *got, lh_err *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return lh_errf(err, LH_EIO, "%s: read failed: %s", path, strerror(errno));
        }
        if (r == 0)
            break;
        done += (size_t)r;
    }
    *got = done;
    return LH_OK;
}

/* 1 if the object holds exactly the file's bytes. */
static lh_rc same_bytes(lh_store *s, int fd, const char *path, uint64_t size, const char *uri, char *buf,
                        lh_buf *obj, int *same, lh_err *err)
{
    lh_obj_info info;
    uint64_t off = 0;
    lh_rc rc;
    *same = 0;
    memset(&info, 0, sizeof info);
    uint64_t osize;
    rc = lh_store_head(s, uri, &info, err);
    osize = info.size;
    lh_obj_info_free(&info);
    if (rc == LH_ENOTFOUND)
        return LH_OK;
    if (rc)
        return rc;
    if (osize != size)
        return LH_OK;
    while (off < size) {
        size_t got = 0, ogot = 0;
        rc = read_chunk(fd, path, off, buf, CHUNK, &got, err);
        if (rc)
            return rc;
        lh_buf_reset(obj);
        rc = lh_store_get_range(s, uri, off, got, obj, &ogot, err);
        if (rc)
            return rc;
        if (ogot != got || memcmp(obj->data, buf, got) != 0)
            return LH_OK;
        off += got;
        if (got == 0)
            break;
    }
    *same = 1;
    return LH_OK;
}

static lh_rc copy_file(lh_store *s, const char *path, const char *uri, lh_ingest_stats *st, char *buf, lh_buf *obj,
                       lh_err *err)
{
    /* O_NONBLOCK: a FIFO swapped in after the listing opens at once (and is
     * refused below) instead of waiting for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    lh_store_writer *w = NULL;
    uint64_t off = 0;
    int same = 0;
    lh_rc rc = LH_OK;
    if (fd < 0 && errno == ELOOP)
        return lh_errf(err, LH_EINVAL, "%s: a symbolic link; links are not followed, ingest the file it names", path);
    if (fd < 0)
        return lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0) {
        rc = lh_errf(err, LH_EIO, "%s: cannot stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_EINVAL, "%s: not a regular file (%s)", path, lh_file_kind(sb.st_mode));
        goto out;
    }
    rc = same_bytes(s, fd, path, (uint64_t)sb.st_size, uri, buf, obj, &same, err);
    if (rc)
        goto out;
    if (same) {
        st->files_unchanged++;
        goto out;
    }
    rc = lh_store_writer_open(s, uri, &w, err);
    if (rc)
        goto out;
    rc = lh_store_writer_copy_fd(w, fd, 0, &off, err); /* in-kernel copy where the store can */
    if (rc == LH_OK)
        goto commit;
    if (rc != LH_EUNSUPPORTED || off != 0)
        goto out;
    lh_err_clear(err);
    for (;;) {
        size_t got = 0;
        rc = read_chunk(fd, path, off, buf, CHUNK, &got, err);
        if (rc)
            goto out;
        if (got == 0)
            break;
        rc = lh_store_writer_write(w, buf, got, err);
        if (rc)
            goto out;
        off += got;
    }
commit:
    rc = lh_store_writer_commit(w, err);
    w = NULL;
    if (rc)
        goto out;
    st->files_copied++;
    st->bytes_copied += off;
out:
    if (w)
        lh_store_writer_abort(w);
    close(fd);
    return rc;
}

/* The skip report, carried through the walk. */
typedef struct walker {
    lh_ingest_skip_fn on_skip;
    void *ctx;
} walker;

static lh_rc walk(lh_store *s, const walker *wk, const char *dir, const char *uri_prefix, lh_ingest_stats *st,
                  char *buf, lh_buf *obj, int depth, lh_err *err)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, a = 0, i;
    lh_rc rc = LH_OK;
    if (depth > 64)
        return lh_errf(err, LH_ELIMIT, "%s: folders nested deeper than 64 levels", dir);
    d = opendir(dir);
    if (!d)
        return lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot open folder: %s", dir,
                       strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == a) {
            size_t na = a ? a * 2 : 32;
            char **nn = lh_realloc(names, na * sizeof *nn);
            if (!nn) {
                rc = lh_errf(err, LH_ENOMEM, "out of memory");
                goto out;
            }
            names = nn;
            a = na;
        }
        names[n] = lh_strdup(de->d_name);
        if (!names[n]) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        n++;
    }
    if (n) /* qsort must not be given NULL, even for no elements */
        qsort(names, n, sizeof *names, lh_strp_cmp);
    for (i = 0; i < n && !rc; i++) {
        char *path = lh_aprintf("%s/%s", dir, names[i]);
        char *uri = lh_aprintf("%s%s", uri_prefix, names[i]);
        struct stat sb;
        if (!path || !uri)
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
        else if (lstat(path, &sb) != 0)
            rc = lh_errf(err, LH_EIO, "%s: cannot stat: %s", path, strerror(errno));
        else if (S_ISDIR(sb.st_mode)) {
            char *sub = lh_aprintf("%s/", uri);
            if (!sub)
                rc = lh_errf(err, LH_ENOMEM, "out of memory");
            else
                rc = walk(s, wk, path, sub, st, buf, obj, depth + 1, err);
            lh_free(sub);
        } else if (S_ISREG(sb.st_mode)) {
            rc = copy_file(s, path, uri, st, buf, obj, err);
        } else { /* a link, FIFO, socket or device: never followed or read, but said */
            st->files_skipped++;
            if (wk->on_skip)
                wk->on_skip(wk->ctx, path, lh_file_kind(sb.st_mode));
        }
        lh_free(path);
        lh_free(uri);
    }
out:
    for (i = 0; i < n; i++)
        lh_free(names[i]);
    lh_free(names);
    closedir(d);
    return rc;
}

lh_rc lh_ingest(lh_store *s, const char *src, const char *uri, lh_ingest_stats *stats, lh_err *err)
{
    return lh_ingest_ex(s, src, uri, NULL, NULL, stats, err);
}

lh_rc lh_ingest_ex(lh_store *s, const char *src, const char *uri, lh_ingest_skip_fn on_skip, void *skip_ctx,
                   lh_ingest_stats *stats, lh_err *err)
{
    walker wk;
    struct stat sb;
    char *buf = NULL, *target = NULL;
    lh_buf obj;
    lh_ingest_stats local;
    lh_rc rc;
    size_t ul = strlen(uri);
    wk.on_skip = on_skip;
    wk.ctx = skip_ctx;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    lh_buf_init(&obj, CHUNK + 1);
    if (lstat(src, &sb) != 0)
        return lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: %s", src, strerror(errno));
    if (S_ISLNK(sb.st_mode)) { /* a link to a folder is followed; to anything else it is refused */
        struct stat tb;
        if (stat(src, &tb) != 0)
            return lh_errf(err, LH_EINVAL, "%s: a symbolic link that does not resolve: %s", src, strerror(errno));
        if (!S_ISDIR(tb.st_mode))
            return lh_errf(err, LH_EINVAL,
                           "%s: a symbolic link (to %s); links are not followed, ingest the file it names instead",
                           src, lh_file_kind(tb.st_mode));
        sb = tb;
    }
    rc = lh_uri_parse(uri, NULL, NULL, err);
    if (rc)
        return rc;
    buf = lh_malloc(CHUNK);
    if (!buf)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    /* One durable commit per object, but the fsyncs overlap and each folder
     * is synced once (scale-100 STEDI landing, 1,110 files: see
     * docs/pipeline.md). */
    lh_store_batch_begin(s);
    if (S_ISDIR(sb.st_mode)) {
        target = ul && uri[ul - 1] == '/' ? lh_strdup(uri) : lh_aprintf("%s/", uri);
        if (!target)
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
        else
            rc = walk(s, &wk, src, target, stats, buf, &obj, 0, err);
        if (!rc && stats->files_skipped && !stats->files_copied && !stats->files_unchanged)
            rc = lh_errf(err, LH_EINVAL,
                         "%s: nothing ingested: the folder holds no regular file, only %llu entr%s that %s not (symbolic "
                         "links, FIFOs, sockets or devices are never followed or read)",
                         src, (unsigned long long)stats->files_skipped, stats->files_skipped == 1 ? "y" : "ies",
                         stats->files_skipped == 1 ? "is" : "are");
    } else if (S_ISREG(sb.st_mode)) {
        if (ul && uri[ul - 1] == '/') {
            const char *b = strrchr(src, '/');
            target = lh_aprintf("%s%s", uri, b ? b + 1 : src);
        } else
            target = lh_strdup(uri);
        if (!target)
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
        else
            rc = copy_file(s, src, target, stats, buf, &obj, err);
    } else
        rc = lh_errf(err, LH_EINVAL, "%s: not a regular file or folder (%s)", src, lh_file_kind(sb.st_mode));
    if (rc)
        (void)lh_store_batch_end(s, 0, NULL);
    else
        rc = lh_store_batch_end(s, 1, err);
    lh_free(target);
    lh_free(buf);
    lh_buf_free(&obj);
    return rc;
}
