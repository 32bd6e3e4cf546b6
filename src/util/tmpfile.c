/* util/tmpfile.c — anonymous temporary files (tmpfile.h). */
/* O_TMPFILE needs _GNU_SOURCE, which the Makefile defines */
#include "util/tmpfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/fault.h"
#include "util/mem.h"

#define TMP_BUF (256u << 10)
#define TMP_PREFIX "lh-spill-"

struct lh_tmpfile {
    int fd;
    char *dir;
    uint64_t flushed; /* bytes on disk */
    char *buf;
    size_t nbuf;
};

static lh_rc sys_err(lh_err *err, int e, const char *what, const char *dir)
{
    lh_rc rc = (e == ENOSPC || e == EDQUOT) ? LH_ENOSPC : (e == EACCES || e == EPERM) ? LH_EPERM : LH_EIO;
    return lh_errf(err, rc, "%s in %s: %s", what, dir, strerror(e));
}

/* mkdir -p, 0700 for what it creates. */
static lh_rc make_dirs(const char *dir, lh_err *err)
{
    char *p = lh_strdup(dir), *s;
    struct stat st;
    lh_rc rc = LH_OK;
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (s = p + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = 0;
            if (stat(p, &st) != 0) {
                int e = lh_fault_io() ? EIO : mkdir(p, 0700) != 0 && errno != EEXIST ? errno : 0;
                if (e) {
                    rc = sys_err(err, e, "cannot create the spill directory", p);
                    break;
                }
            } else if (!S_ISDIR(st.st_mode)) {
                rc = lh_errf(err, LH_EIO, "spill directory %s: not a directory", p);
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    lh_free(p);
    return rc;
}

/* Files a process left between mkstemp and unlink, over an hour old. */
static void sweep(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    time_t now = time(NULL);
    if (!d)
        return;
    while ((de = readdir(d))) {
        struct stat st;
        if (strncmp(de->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1))
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            now - st.st_mtime > 3600)
            (void)unlinkat(dirfd(d), de->d_name, 0);
    }
    closedir(d);
}

lh_rc lh_tmpfile_create(const char *dir, lh_tmpfile **out, lh_err *err)
{
    lh_tmpfile *f;
    lh_rc rc;
    int fd = -1;
    *out = NULL;
    if (!dir || !*dir)
        return lh_errf(err, LH_EINVAL, "no directory for temporary files");
    if ((rc = make_dirs(dir, err)))
        return rc;
    sweep(dir);
    if (lh_fault_io())
        return sys_err(err, EIO, "cannot create a spill file", dir);
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd < 0) { /* no O_TMPFILE here: a named file, unlinked at once */
        char *path = lh_aprintf("%s/" TMP_PREFIX "XXXXXX", dir);
        if (!path)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        fd = mkostemp(path, O_CLOEXEC);
        if (fd < 0) {
            rc = sys_err(err, errno, "cannot create a spill file", dir);
            lh_free(path);
            return rc;
        }
        (void)unlink(path);
        lh_free(path);
    }
    f = lh_calloc(1, sizeof *f);
    if (f) {
        f->buf = lh_malloc(TMP_BUF);
        f->dir = lh_strdup(dir);
    }
    if (!f || !f->buf || !f->dir) {
        if (f) {
            lh_free(f->buf);
            lh_free(f->dir);
            lh_free(f);
        }
        close(fd);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    f->fd = fd;
    *out = f;
    return LH_OK;
}

static lh_rc flush(lh_tmpfile *f, lh_err *err)
{
    size_t done = 0;
    while (done < f->nbuf) {
        ssize_t w;
        if (lh_fault_io())
            return sys_err(err, EIO, "cannot write a spill file", f->dir);
        w = pwrite(f->fd, f->buf + done, f->nbuf - done, (off_t)(f->flushed + done));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return sys_err(err, errno, "cannot write a spill file", f->dir);
        }
        if (w == 0)
            return sys_err(err, ENOSPC, "cannot write a spill file", f->dir);
        done += (size_t)w;
    }
    f->flushed += f->nbuf;
    f->nbuf = 0;
    return LH_OK;
}

lh_rc lh_tmpfile_write(lh_tmpfile *f, const void *p, size_t n, lh_err *err)
{
    const char *s = p;
    while (n) {
        size_t k = TMP_BUF - f->nbuf;
        lh_rc rc;
        if (k > n)
            k = n;
        memcpy(f->buf + f->nbuf, s, k);
        f->nbuf += k;
        s += k;
        n -= k;
        if (f->nbuf == TMP_BUF && (rc = flush(f, err)))
            return rc;
    }
    return LH_OK;
}

lh_rc lh_tmpfile_pread(lh_tmpfile *f, void *p, size_t n, uint64_t off, lh_err *err)
{
    char *d = p;
    lh_rc rc;
    if (off > lh_tmpfile_size(f) || n > lh_tmpfile_size(f) - off)
        return lh_errf(err, LH_ECORRUPT, "spill file in %s: read past its end (%zu bytes at %llu of %llu)", f->dir, n,
                       (unsigned long long)off, (unsigned long long)lh_tmpfile_size(f));
    if (f->nbuf && off + n > f->flushed && (rc = flush(f, err)))
        return rc;
    while (n) {
        ssize_t r;
        if (lh_fault_io())
            return sys_err(err, EIO, "cannot read a spill file", f->dir);
        r = pread(f->fd, d, n, (off_t)off);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return sys_err(err, errno, "cannot read a spill file", f->dir);
        }
        if (r == 0)
            return lh_errf(err, LH_ECORRUPT, "spill file in %s: shorter than written", f->dir);
        d += r;
        off += (uint64_t)r;
        n -= (size_t)r;
    }
    return LH_OK;
}

uint64_t lh_tmpfile_size(const lh_tmpfile *f) { return f->flushed + f->nbuf; }

void lh_tmpfile_close(lh_tmpfile *f)
{
    if (!f)
        return;
    close(f->fd);
    lh_free(f->buf);
    lh_free(f->dir);
    lh_free(f);
}
