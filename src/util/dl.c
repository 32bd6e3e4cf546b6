#include "util/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int lh_dl_load(const char *soname, const lh_dl_sym *syms, size_t n, char *why, size_t why_len)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    size_t i;
    if (!h) {
        const char *e = dlerror();
        snprintf(why, why_len, "%s", e ? e : "dlopen failed");
        return 0;
    }
    for (i = 0; i < n; i++) {
        void *p = dlsym(h, syms[i].name); /* dependencies' symbols too (libgvc -> libcgraph) */
        if (!p) {
            snprintf(why, why_len, "%s has no %s", soname, syms[i].name);
            return 0;
        }
        memcpy(syms[i].slot, &p, sizeof p); /* POSIX: a dlsym address converts to a function pointer */
    }
    return 1;
}
