/* store/curl_dl.c — see curl_dl.h. */
#include "store/curl_dl.h"

#include <pthread.h>

#include "util/dl.h"

static lh_curl_api g_api;
static int g_ok;
static char g_why[512];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    const lh_dl_sym syms[] = {
        {"curl_global_init", &g_api.global_init},       {"curl_global_cleanup", &g_api.global_cleanup},
        {"curl_easy_init", &g_api.easy_init},           {"curl_easy_setopt", &g_api.easy_setopt},
        {"curl_easy_perform", &g_api.easy_perform},     {"curl_easy_getinfo", &g_api.easy_getinfo},
        {"curl_easy_reset", &g_api.easy_reset},         {"curl_easy_cleanup", &g_api.easy_cleanup},
        {"curl_easy_strerror", &g_api.easy_strerror},   {"curl_slist_append", &g_api.slist_append},
        {"curl_slist_free_all", &g_api.slist_free_all}, {"curl_getdate", &g_api.getdate},
        {"curl_version", &g_api.version},
    };
    g_ok = lh_dl_load("libcurl.so.4", syms, sizeof syms / sizeof syms[0], g_why, sizeof g_why);
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
