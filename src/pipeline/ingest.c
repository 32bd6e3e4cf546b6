/* pipeline/ingest.c — see ingest.h. */
#include "pipeline/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/lock.h"
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

/* The target may reach managed tables' locations: refuse an object that
 * would land inside one (a job's output is the job's alone). */
static lh_rc check_target(lh_catalog *c, const char *uri, lh_err *err)
{
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    lh_rc rc = lh_catalog_location_owner(c, uri, LH_LOC_MANAGED_ONLY | LH_LOC_HOLDING, NULL, NULL, &odb, &oname,
                                         &oloc, err);
    if (!rc && odb)
        rc = lh_errf(err, LH_EEXIST,
                     "ingest would write %s inside the location of table %s.%s (%s), which a job writes; nothing "
                     "was copied. Ingest landing data into a prefix of its own (an EXTERNAL table's location)",
                     uri, odb, oname, oloc);
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}

/* The skip report, carried through the walk; with check set, the walk
 * only checks every target against the catalog and copies nothing. */
typedef struct walker {
    lh_ingest_skip_fn on_skip;
    void *ctx;
    lh_catalog *check;
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
            rc = wk->check ? check_target(wk->check, uri, err) : copy_file(s, path, uri, st, buf, obj, err);
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
    return lh_ingest_lake(s, NULL, src, uri, NULL, NULL, stats, err);
}

lh_rc lh_ingest_ex(lh_store *s, const char *src, const char *uri, lh_ingest_skip_fn on_skip, void *skip_ctx,
                   lh_ingest_stats *stats, lh_err *err)
{
    return lh_ingest_lake(s, NULL, src, uri, on_skip, skip_ctx, stats, err);
}

lh_rc lh_ingest_lake(lh_store *s, lh_catalog *c, const char *src, const char *uri, lh_ingest_skip_fn on_skip,
                     void *skip_ctx, lh_ingest_stats *stats, lh_err *err)
{
    lh_lake_lock *lock = NULL;
    walker wk;
    struct stat sb;
    char *buf = NULL, *target = NULL;
    lh_buf obj;
    lh_ingest_stats local;
    lh_rc rc;
    size_t ul = strlen(uri);
    wk.on_skip = on_skip;
    wk.ctx = skip_ctx;
    wk.check = NULL;
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
    if (S_ISDIR(sb.st_mode))
        target = ul && uri[ul - 1] == '/' ? lh_strdup(uri) : lh_aprintf("%s/", uri);
    else if (S_ISREG(sb.st_mode)) {
        if (ul && uri[ul - 1] == '/') {
            const char *b = strrchr(src, '/');
            target = lh_aprintf("%s%s", uri, b ? b + 1 : src);
        } else
            target = lh_strdup(uri);
    } else
        return lh_errf(err, LH_EINVAL, "%s: not a regular file or folder (%s)", src, lh_file_kind(sb.st_mode));
    if (!target)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (c) {
        char *odb = NULL;
        /* A writer like any other: vacuum, which holds the same lock, then
         * knows every temporary file older than its own start is dead. */
        rc = lh_lake_lock_acquire(lh_catalog_path(c), "lakehouse ingest", 0, &lock, err);
        if (rc)
            goto out;
        rc = lh_catalog_location_owner(c, target, LH_LOC_MANAGED_ONLY, NULL, NULL, &odb, NULL, NULL, err);
        if (!rc && odb) { /* the target reaches a job's prefix: check every object before copying any */
            walker chk = wk;
            lh_ingest_stats scratch;
            memset(&scratch, 0, sizeof scratch);
            chk.on_skip = NULL;
            chk.check = c;
            rc = S_ISDIR(sb.st_mode) ? walk(s, &chk, src, target, &scratch, NULL, NULL, 0, err)
                                     : check_target(c, target, err);
        }
        lh_free(odb);
        if (rc)
            goto out;
    }
    buf = lh_malloc(CHUNK);
    if (!buf) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    /* One durable commit per object, but the fsyncs overlap and each folder
     * is synced once (scale-100 STEDI landing, 1,110 files: see
     * docs/pipeline.md). */
    lh_store_batch_begin(s);
    if (S_ISDIR(sb.st_mode)) {
        rc = walk(s, &wk, src, target, stats, buf, &obj, 0, err);
        if (!rc && stats->files_skipped && !stats->files_copied && !stats->files_unchanged)
            rc = lh_errf(err, LH_EINVAL,
                         "%s: nothing ingested: the folder holds no regular file, only %llu entr%s that %s not (symbolic "
                         "links, FIFOs, sockets or devices are never followed or read)",
                         src, (unsigned long long)stats->files_skipped, stats->files_skipped == 1 ? "y" : "ies",
                         stats->files_skipped == 1 ? "is" : "are");
    } else
        rc = copy_file(s, src, target, stats, buf, &obj, err);
    if (rc)
        (void)lh_store_batch_end(s, 0, NULL);
    else
        rc = lh_store_batch_end(s, 1, err);
out:
    lh_lake_lock_release(lock);
    lh_free(target);
    lh_free(buf);
    lh_buf_free(&obj);
    return rc;
}
