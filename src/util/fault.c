#include "util/fault.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long g_io_at = -1, g_io_count;
static long g_crash_at = -1, g_crash_count;

static long env_long(const char *name)
{
    const char *s = getenv(name);
    return s ? strtol(s, NULL, 10) : 0;
}

int lh_fault_io(void)
{
    if (g_io_at < 0)
        g_io_at = env_long("LH_FAULT_IO");
    g_io_count++;
    return g_io_at > 0 && g_io_count >= g_io_at;
}

void lh_fault_io_set(long n)
{
    g_io_at = n;
    g_io_count = 0;
}

long lh_fault_io_count(void) { return g_io_count; }

void lh_crashpoint(const char *where)
{
    if (g_crash_at < 0)
        g_crash_at = env_long("LH_CRASH_AT");
    if (g_crash_at <= 0)
        return;
    if (++g_crash_count == g_crash_at) {
        /* Say where, for the test's log, then die as kill -9 would. */
        char msg[256];
        int n = snprintf(msg, sizeof msg, "lakehouse: LH_CRASH_AT=%ld: killed at %s\n", g_crash_at, where);
        if (n > 0 && write(2, msg, (size_t)n) < 0)
            n = 0;
        raise(SIGKILL);
    }
}
