/* store/curl_dl.h — libcurl, loaded when the first S3 store opens.
 *
 * libcurl and its 31 dependencies (TLS, Kerberos, LDAP, SSH, HTTP/2, ...)
 * made every lakehouse process spend about 6 ms mapping and relocating
 * libraries before main, local commands included: `lakehouse --help` took
 * 9.7 ms against 3.4 ms for the same binary without them (perf: mostly
 * ld.so symbol lookup and page faults).  So the S3 backend reaches libcurl
 * through this table, filled once with dlopen("libcurl.so.4") + dlsym; the
 * library is Debian's libcurl4 as before, only loaded later.
 *
 * lh_curl_load is thread-safe and idempotent; the table lives until the
 * process ends.  When libcurl cannot be loaded it is LH_EUNSUPPORTED with
 * dlerror's text and the package to install.
 */
#ifndef LH_STORE_CURL_DL_H
#define LH_STORE_CURL_DL_H

#define CURL_DISABLE_TYPECHECK /* the setopt/getinfo type-check macros would hide the table's calls */
#include <curl/curl.h>
#include <time.h>

#include "util/err.h"

typedef struct lh_curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *c);
    CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
    void (*easy_reset)(CURL *c);
    void (*easy_cleanup)(CURL *c);
    const char *(*easy_strerror)(CURLcode cc);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
    time_t (*getdate)(const char *s, const time_t *unused);
    char *(*version)(void);
} lh_curl_api;

lh_rc lh_curl_load(const lh_curl_api **out, lh_err *err) LH_MUST_CHECK;

#endif
