#include "util/fault.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Atomic, as in mem.c: background threads do I/O-free work but may reach
 * a crashpoint or an injected fault from either thread. */
static _Atomic long g_io_at = -1, g_io_count;
static _Atomic long g_crash_at = -1, g_crash_count;

static long env_long(const char *name)
{
    const char *s = getenv(name);
    return s ? strtol(s, NULL, 10) : 0;
}

int lh_fault_io(void)
{
    long at = g_io_at;
    if (at < 0)
        g_io_at = at = env_long("LH_FAULT_IO");
    return at > 0 && ++g_io_count >= at;
}

void lh_fault_io_set(long n)
{
    g_io_at = n;
    g_io_count = 0;
}

long lh_fault_io_count(void) { return g_io_count; }

void lh_crashpoint(const char *where)
{
    long at = g_crash_at;
    if (at < 0)
        g_crash_at = at = env_long("LH_CRASH_AT");
    if (at <= 0)
        return;
    if (++g_crash_count == at) {
        /* Say where, for the test's log, then die as kill -9 would. */
        char msg[256];
        int n = snprintf(msg, sizeof msg, "lakehouse: LH_CRASH_AT=%ld: killed at %s\n", at, where);
        if (n > 0 && write(2, msg, (size_t)n) < 0)
            n = 0;
        raise(SIGKILL);
    }
}
