#include "util/mem.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Atomic: background threads (JSON read-ahead, Parquet encoding) allocate
 * too, so a fault walk may land in either thread; relaxed order suffices
 * for a counter. */
static _Atomic long g_fail_at = -1; /* -1: not yet read from the environment */
static _Atomic long g_count;

static int alloc_should_fail(void)
{
    long at = atomic_load_explicit(&g_fail_at, memory_order_relaxed), n;
    if (at < 0) {
        const char *s = getenv("LH_FAULT_ALLOC");
        at = s ? strtol(s, NULL, 10) : 0;
        atomic_store_explicit(&g_fail_at, at, memory_order_relaxed);
    }
    n = atomic_fetch_add_explicit(&g_count, 1, memory_order_relaxed) + 1;
    return at > 0 && n >= at;
}

void lh_fault_alloc_set(long n)
{
    atomic_store(&g_fail_at, n);
    atomic_store(&g_count, 0);
}

long lh_fault_alloc_count(void) { return atomic_load(&g_count); }

void *lh_malloc(size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *lh_calloc(size_t count, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *lh_realloc(void *p, size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void lh_free(void *p) { free(p); }

char *lh_strndup(const char *s, size_t n)
{
    char *d = lh_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *lh_strdup(const char *s) { return lh_strndup(s, strlen(s)); }

int lh_strp_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char *lh_aprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *d;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    d = lh_malloc((size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

/* ---- lh_buf ---- */

void lh_buf_init(lh_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = b->alloc = 0;
    b->cap = cap ? cap : LH_BUF_DEFAULT_CAP;
}

void lh_buf_free(lh_buf *b)
{
    lh_free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

void lh_buf_reset(lh_buf *b) { b->len = 0; }

lh_rc lh_buf_reserve(lh_buf *b, size_t extra, lh_err *err)
{
    size_t need, na;
    char *nd;
    size_t cap = b->cap ? b->cap : LH_BUF_DEFAULT_CAP;
    if (extra > cap || b->len > cap - extra)
        return lh_errf(err, LH_ELIMIT, "buffer limit of %zu bytes exceeded", cap);
    need = b->len + extra + 1; /* room for a NUL */
    if (need <= b->alloc)
        return LH_OK;
    na = b->alloc ? b->alloc : 256;
    while (na < need)
        na = na * 2;
    nd = lh_realloc(b->data, na);
    if (!nd)
        return lh_errf(err, LH_ENOMEM, "out of memory growing a buffer to %zu bytes", na);
    b->data = nd;
    b->alloc = na;
    return LH_OK;
}

lh_rc lh_buf_append(lh_buf *b, const void *p, size_t n, lh_err *err)
{
    lh_rc rc = lh_buf_reserve(b, n, err);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return LH_OK;
}

lh_rc lh_buf_puts(lh_buf *b, const char *s, lh_err *err) { return lh_buf_append(b, s, strlen(s), err); }

lh_rc lh_buf_putc(lh_buf *b, char c, lh_err *err) { return lh_buf_append(b, &c, 1, err); }

lh_rc lh_buf_printf(lh_buf *b, lh_err *err, const char *fmt, ...)
{
    va_list ap;
    int n;
    lh_rc rc;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return lh_errf(err, LH_EINTERNAL, "bad format");
    rc = lh_buf_reserve(b, (size_t)n, err);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return LH_OK;
}

const char *lh_buf_cstr(lh_buf *b)
{
    if (!b->data && lh_buf_reserve(b, 0, NULL))
        return NULL;
    b->data[b->len] = 0;
    return b->data;
}

char *lh_buf_detach(lh_buf *b)
{
    char *d;
    if (!lh_buf_cstr(b))
        return NULL;
    d = b->data;
    b->data = NULL;
    b->len = b->alloc = 0;
    return d;
}

/* ---- lh_arena ---- */

struct lh_arena_block {
    lh_arena_block *next;
    size_t size, used;
    /* payload follows, 16-byte aligned by the allocator */
    max_align_t payload[];
};

void lh_arena_init(lh_arena *a, size_t cap)
{
    a->head = NULL;
    a->used_total = 0;
    a->cap = cap ? cap : ((size_t)4 << 30);
    a->first = 65536;
}

void lh_arena_init_small(lh_arena *a, size_t first)
{
    lh_arena_init(a, 0);
    a->first = first ? first : 64;
}

void *lh_arena_alloc(lh_arena *a, size_t n)
{
    lh_arena_block *b = a->head;
    void *p;
    n = (n + 7) & ~(size_t)7;
    if (n > a->cap || a->used_total > a->cap - n)
        return NULL;
    if (!b || b->size - b->used < n) {
        size_t first = a->first ? a->first : 65536, sz = n > first ? n : first;
        if (b && b->size * 2 > sz && b->size < ((size_t)1 << 24))
            sz = b->size * 2;
        b = lh_malloc(sizeof *b + sz);
        if (!b)
            return NULL;
        b->size = sz;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    p = (char *)b->payload + b->used;
    b->used += n;
    a->used_total += n;
    return p;
}

char *lh_arena_strndup(lh_arena *a, const char *s, size_t n)
{
    char *d = lh_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

void lh_arena_reset(lh_arena *a)
{
    lh_arena_block *b = a->head;
    while (b) {
        lh_arena_block *n = b->next;
        lh_free(b);
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}

void lh_arena_free(lh_arena *a) { lh_arena_reset(a); }

lh_rc lh_parse_mem_size(const char *s, uint64_t ram, uint64_t *out, lh_err *err)
{
    static const struct {
        const char *u;
        double m;
    } units[] = {{"", 1},          {"b", 1},          {"k", 1024.0},     {"kb", 1024.0},    {"kib", 1024.0},
                 {"m", 1048576.0}, {"mb", 1048576.0}, {"mib", 1048576.0}, {"g", 1073741824.0}, {"gb", 1073741824.0},
                 {"gib", 1073741824.0}, {"t", 1099511627776.0}, {"tb", 1099511627776.0}, {"tib", 1099511627776.0}};
    char *end;
    double v;
    size_t i;
    *out = 0;
    if (!s || !*s)
        return lh_errf(err, LH_EINVAL, "empty memory size (expected e.g. 4GB, 512MB or 75%%)");
    v = strtod(s, &end);
    if (end == s || !(v > 0) || v > 1e18)
        return lh_errf(err, LH_EINVAL, "bad memory size '%s' (expected e.g. 4GB, 512MB or 75%%)", s);
    while (*end == ' ')
        end++;
    if (!strcmp(end, "%")) {
        if (v > 100 || !ram)
            return lh_errf(err, LH_EINVAL, "bad memory size '%s' (a percentage of RAM is at most 100%%)", s);
        *out = (uint64_t)((double)ram * v / 100.0);
        return *out ? LH_OK : lh_errf(err, LH_EINVAL, "memory size '%s' is 0 bytes", s);
    }
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcasecmp(end, units[i].u)) {
            *out = (uint64_t)(v * units[i].m);
            return *out ? LH_OK : lh_errf(err, LH_EINVAL, "memory size '%s' is 0 bytes", s);
        }
    return lh_errf(err, LH_EINVAL, "bad memory size '%s': unknown unit '%s' (expected KB, MB, GB, TB or %%)", s, end);
}
