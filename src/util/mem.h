/* util/mem.h — allocation with fault injection, growable capped buffers,
 * and a bump arena.
 *
 * lh_malloc/lh_calloc/lh_realloc/lh_strdup return NULL on failure (never
 * abort).  When the environment variable LH_FAULT_ALLOC=N is set, the Nth
 * allocation (counting from 1) and every one after it fails, so tests can
 * walk N over a whole run (curl's "torture" mode).
 *
 * lh_buf: a growable byte buffer with a hard cap; growth past the cap is
 * LH_ELIMIT, so hostile input cannot exhaust memory.  The buffer owns its
 * bytes; lh_buf_free releases them.  data is always NUL-terminated when
 * len > 0 or after lh_buf_cstr().
 *
 * lh_arena: a bump allocator; everything allocated from it is released by
 * one lh_arena_reset/lh_arena_free.  Pointers stay valid until then.
 */
#ifndef LH_UTIL_MEM_H
#define LH_UTIL_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

void *lh_malloc(size_t n);
void *lh_calloc(size_t count, size_t size);
void *lh_realloc(void *p, size_t n);
void lh_free(void *p);
char *lh_strdup(const char *s);
char *lh_strndup(const char *s, size_t n);
/* qsort/bsearch comparator for arrays of C strings (char *), bytewise. */
int lh_strp_cmp(const void *a, const void *b);
/* printf into a fresh allocation; NULL on failure. */
char *lh_aprintf(const char *fmt, ...) LH_PRINTF(1, 2);

/* A memory size as users write it: "4GB", "512MiB", "800M", "1.5g",
 * "2048" (bytes), or "75%" of ram.  Units are binary (KB = KiB, as
 * DuckDB's memory_limit).  0 < *out; LH_EINVAL names the text. */
lh_rc lh_parse_mem_size(const char *s, uint64_t ram, uint64_t *out, lh_err *err) LH_MUST_CHECK;

/* Fault injection control (tests): fail allocation n and after; 0 = off.
 * Returns the number of allocations attempted since the last reset. */
void lh_fault_alloc_set(long n);
long lh_fault_alloc_count(void);

#define LH_BUF_DEFAULT_CAP ((size_t)1 << 30) /* 1 GiB */

typedef struct lh_buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap; /* hard limit on len; 0 means LH_BUF_DEFAULT_CAP */
} lh_buf;

void lh_buf_init(lh_buf *b, size_t cap);
void lh_buf_free(lh_buf *b);
void lh_buf_reset(lh_buf *b); /* len = 0, keeps memory */
lh_rc lh_buf_reserve(lh_buf *b, size_t extra, lh_err *err) LH_MUST_CHECK;
lh_rc lh_buf_append(lh_buf *b, const void *p, size_t n, lh_err *err) LH_MUST_CHECK;
lh_rc lh_buf_puts(lh_buf *b, const char *s, lh_err *err) LH_MUST_CHECK;
lh_rc lh_buf_putc(lh_buf *b, char c, lh_err *err) LH_MUST_CHECK;
lh_rc lh_buf_printf(lh_buf *b, lh_err *err, const char *fmt, ...) LH_PRINTF(3, 4) LH_MUST_CHECK;
/* NUL-terminate and return data ("" when empty); NULL only on ENOMEM. */
const char *lh_buf_cstr(lh_buf *b);
/* Hand the bytes to the caller (NUL-terminated, lh_free them); b is reset. */
char *lh_buf_detach(lh_buf *b);

typedef struct lh_arena_block lh_arena_block;
typedef struct lh_arena {
    lh_arena_block *head;
    size_t used_total;
    size_t cap; /* hard limit on bytes handed out; 0 = 4 GiB */
    size_t first; /* size of the first block (later ones double); 64 KiB unless set */
} lh_arena;

void lh_arena_init(lh_arena *a, size_t cap);
/* An arena for a few small things (a constant's bytes): its first block
 * is `first` bytes, not 64 KiB, so thousands of them stay small. */
void lh_arena_init_small(lh_arena *a, size_t first);
void *lh_arena_alloc(lh_arena *a, size_t n); /* 8-byte aligned; NULL on ENOMEM/cap */
char *lh_arena_strndup(lh_arena *a, const char *s, size_t n);
void lh_arena_reset(lh_arena *a); /* release everything */
void lh_arena_free(lh_arena *a);

#endif
