#include "util/threads.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static _Atomic int g_on = -1; /* -1: not yet decided */

static int from_env(void)
{
    const char *s = getenv("LH_THREADS");
    long ncpu;
    if (s && *s)
        return strtol(s, NULL, 10) > 1;
    ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return ncpu > 1;
}

int lh_threads_enabled(void)
{
    int on = g_on;
    if (on < 0)
        g_on = on = from_env();
    return on;
}

void lh_threads_set(int on) { g_on = on < 0 ? from_env() : (on != 0); }

int lh_threads_count(void)
{
    const char *s = getenv("LH_THREADS");
    long n = s && *s ? strtol(s, NULL, 10) : 0;
    if (!lh_threads_enabled())
        return 1;
    if (n < 2) /* not set, or threads forced on by lh_threads_set: one per CPU, and at least two */
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2)
        n = 2;
    return n > 64 ? 64 : (int)n;
}
