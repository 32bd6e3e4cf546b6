/* util/dl.h — load a shared library on first use and bind its functions.
 *
 * For libraries only some commands need (libcurl for S3, Graphviz for the
 * job graph): linking them made every process map and relocate them
 * before main (see store/curl_dl.h for the figures).
 *
 * lh_dl_load dlopens soname (RTLD_NOW | RTLD_LOCAL) and stores each
 * symbol's address in its slot (the address of a function pointer).  It
 * returns 1 on success; 0 with why filled (dlerror's text, or the missing
 * symbol) otherwise.  The library stays loaded for the life of the process.
 * Not synchronised: call it under pthread_once.
 */
#ifndef LH_UTIL_DL_H
#define LH_UTIL_DL_H

#include <stddef.h>

typedef struct lh_dl_sym {
    const char *name;
    void *slot; /* a pointer to a function pointer, filled on success */
} lh_dl_sym;

int lh_dl_load(const char *soname, const lh_dl_sym *syms, size_t n, char *why, size_t why_len);

#endif
