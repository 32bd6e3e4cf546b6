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
