/* catalog/lock.c — see lock.h. */
#include "catalog/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"

struct lh_lake_lock {
    int dummy;
};

/* The process's hold on the lock: re-entrant. */
static int g_fd = -1;
static int g_depth;
static char g_path[4096];
static lh_lake_lock g_token;

lh_rc lh_lake_lock_acquire(const char *catalog_path, const char *what, int wait_ms, lh_lake_lock **out, lh_err *err)
{
    char path[4096], holder[512], info[512];
    int fd, waited = 0, n;
    time_t now;
    struct tm tmv;
    *out = NULL;
    if (snprintf(path, sizeof path, "%s.lock", catalog_path) >= (int)sizeof path)
        return lh_errf(err, LH_EINVAL, "catalog path too long");
    if (g_depth > 0) {
        if (strcmp(path, g_path) != 0)
            return lh_errf(err, LH_EINVAL, "this process already holds the lock of another lake (%s)", g_path);
        g_depth++;
        *out = &g_token;
        return LH_OK;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM))
        return lh_errf(err, LH_EPERM,
                       "%s: cannot create the lake lock: %s; the lake is read-only, and %s needs write access "
                       "(reading works without it)",
                       path, strerror(errno), what ? what : "writing");
    if (fd < 0)
        return lh_errf(err, LH_EIO, "%s: cannot open the lake lock: %s", path, strerror(errno));
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            lh_errf(err, LH_EIO, "%s: cannot lock: %s", path, strerror(errno));
            close(fd);
            return LH_EIO;
        }
        if (waited >= wait_ms) {
            ssize_t r = pread(fd, holder, sizeof holder - 1, 0);
            holder[r > 0 ? r : 0] = 0;
            holder[strcspn(holder, "\n")] = 0;
            close(fd);
            return lh_errf(err, LH_EBUSY,
                           "another lakehouse process is writing to this lake (%s); nothing was changed. Wait for "
                           "it to finish and retry",
                           holder[0] ? holder : "holder unknown");
        }
        usleep(50000);
        waited += 50;
    }
    now = time(NULL);
    gmtime_r(&now, &tmv);
    n = snprintf(info, sizeof info, "pid %ld, '%s', since %04d-%02d-%02d %02d:%02d:%02d UTC\n", (long)getpid(),
                 what ? what : "?", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday, tmv.tm_hour, tmv.tm_min,
                 tmv.tm_sec);
    if (ftruncate(fd, 0) != 0 || n < 0 || pwrite(fd, info, (size_t)n, 0) != n) {
        lh_errf(err, LH_EIO, "%s: cannot record the lock holder: %s", path, strerror(errno));
        close(fd);
        return LH_EIO;
    }
    g_fd = fd;
    g_depth = 1;
    snprintf(g_path, sizeof g_path, "%s", path);
    *out = &g_token;
    return LH_OK;
}

void lh_lake_lock_release(lh_lake_lock *l)
{
    if (!l || g_depth <= 0)
        return;
    if (--g_depth == 0) {
        if (ftruncate(g_fd, 0) != 0) {
            /* the holder text is advisory; the flock is what counts */
        }
        close(g_fd); /* releases the flock */
        g_fd = -1;
        g_path[0] = 0;
    }
}

long lh_lake_lock_holder(const char *catalog_path)
{
    char path[4096], line[512];
    struct stat sb;
    FILE *f;
    long holder = 0;
    if (snprintf(path, sizeof path, "%s.lock", catalog_path) >= (int)sizeof path)
        return -1;
    if (stat(path, &sb) != 0)
        return -1; /* no lock file: nobody ever locked, so the lock tells nothing */
    f = fopen("/proc/locks", "re");
    if (!f)
        return -1;
    /* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->" */
    while (fgets(line, sizeof line, f)) {
        char kind[16], mode[16], rw[16];
        long pid;
        unsigned maj, min;
        unsigned long long ino;
        if (strstr(line, "->"))
            continue;
        if (sscanf(line, "%*d: %15s %15s %15s %ld %x:%x:%llu", kind, mode, rw, &pid, &maj, &min, &ino) != 7)
            continue;
        /* the inode alone: overlay and bind mounts report other devices */
        if (!strcmp(kind, "FLOCK") && ino == (unsigned long long)sb.st_ino) {
            holder = pid;
            break;
        }
    }
    fclose(f);
    return holder;
}
