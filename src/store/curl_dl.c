/* store/curl_dl.c — see curl_dl.h. */
#include "store/curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static lh_curl_api g_api;
static int g_ok;
static char g_why[512];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* dlsym returns void *; POSIX guarantees it converts to a function pointer. */
#define SYM(field, name)                                                                                               \
    do {                                                                                                               \
        void *p_ = dlsym(h, name);                                                                                     \
        if (!p_) {                                                                                                     \
            snprintf(g_why, sizeof g_why, "libcurl.so.4 has no %s", name);                                            \
            return;                                                                                                    \
        }                                                                                                              \
        memcpy(&g_api.field, &p_, sizeof p_);                                                                          \
    } while (0)

static void load(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "%s", e ? e : "dlopen failed");
        return;
    }
    SYM(global_init, "curl_global_init");
    SYM(global_cleanup, "curl_global_cleanup");
    SYM(easy_init, "curl_easy_init");
    SYM(easy_setopt, "curl_easy_setopt");
    SYM(easy_perform, "curl_easy_perform");
    SYM(easy_getinfo, "curl_easy_getinfo");
    SYM(easy_reset, "curl_easy_reset");
    SYM(easy_cleanup, "curl_easy_cleanup");
    SYM(easy_strerror, "curl_easy_strerror");
    SYM(slist_append, "curl_slist_append");
    SYM(slist_free_all, "curl_slist_free_all");
    SYM(getdate, "curl_getdate");
    SYM(version, "curl_version");
    g_ok = 1; /* the handle stays open for the life of the process */
}

lh_rc lh_curl_load(const lh_curl_api **out, lh_err *err)
{
    *out = NULL;
    if (pthread_once(&g_once, load) != 0)
        return lh_errf(err, LH_EINTERNAL, "cannot load libcurl: pthread_once failed");
    if (!g_ok)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "the S3 store needs libcurl (Debian package libcurl4), which could not be loaded: %s", g_why);
    *out = &g_api;
    return LH_OK;
}
