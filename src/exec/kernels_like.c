/* exec/kernels_like.c — LIKE with % and _ and ESCAPE, compiled once per
 * pattern.
 *
 * A pattern is split at % into segments; a segment is a sequence of
 * literal runs and _ (one UTF-8 code point).  The first segment is
 * anchored at the start (unless the pattern starts with %), the last at
 * the end (unless it ends with %), and the ones between are found at
 * their leftmost position, which is enough: a segment has a fixed length
 * in code points, so the leftmost match also ends first and leaves the
 * most room for the rest.  Common shapes get a plain loop: exact
 * ('abc'), prefix ('abc%'), suffix ('%abc'), contains ('%abc%'), any ('%').
 */
#include <string.h>

#include "exec/kernels.h"

typedef enum { IT_LIT, IT_ONE } item_kind;
typedef struct item {
    uint8_t kind;
    uint32_t off, len; /* literal bytes in m->lit */
} item;
typedef struct seg {
    uint32_t first, count; /* items */
} seg;

typedef enum { SH_GENERAL, SH_EXACT, SH_PREFIX, SH_SUFFIX, SH_CONTAINS, SH_ANY } shape;

struct lh_like {
    shape sh;
    int lead_any, trail_any; /* pattern starts / ends with % */
    char *lit;               /* literal bytes, unescaped */
    uint32_t lit_len;
    item *items;
    uint32_t nitems;
    seg *segs;
    uint32_t nsegs;
};

void lh_like_free(lh_like *m)
{
    if (!m)
        return;
    lh_free(m->lit);
    lh_free(m->items);
    lh_free(m->segs);
    lh_free(m);
}

static size_t cp_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

lh_rc lh_like_compile(const char *pat, size_t n, const char *esc, size_t esc_n, lh_like **out, lh_err *err)
{
    lh_like *m;
    size_t i = 0;
    int have_esc = esc != NULL;
    int in_seg = 0, all_lit = 1;
    *out = NULL;
    if (n > (1u << 20))
        return lh_errf(err, LH_ELIMIT, "LIKE pattern of %zu bytes is too long", n);
    if (have_esc && (esc_n == 0 || cp_len(esc, esc_n) != esc_n))
        return lh_errf(err, LH_EDATA, "Escape string must be a single character");
    m = lh_calloc(1, sizeof *m);
    if (!m)
        return lh_errf(err, LH_ENOMEM, "out of memory compiling a LIKE pattern");
    m->lit = lh_malloc(n + 1);
    m->items = lh_malloc((n + 1) * sizeof *m->items);
    m->segs = lh_malloc((n + 2) * sizeof *m->segs);
    if (!m->lit || !m->items || !m->segs) {
        lh_like_free(m);
        return lh_errf(err, LH_ENOMEM, "out of memory compiling a LIKE pattern");
    }
    m->lead_any = n > 0 && pat[0] == '%';
    while (i < n) {
        size_t l = cp_len(pat + i, n - i);
        const char *c = pat + i;
        int literal = 0;
        if (have_esc && l == esc_n && !memcmp(c, esc, l)) {
            size_t l2;
            i += l;
            if (i >= n)
                goto bad_esc;
            l2 = cp_len(pat + i, n - i);
            if (!(l2 == 1 && (pat[i] == '%' || pat[i] == '_')) && !(l2 == esc_n && !memcmp(pat + i, esc, l2)))
                goto bad_esc;
            c = pat + i;
            l = l2;
            literal = 1;
        }
        if (!literal && *c == '%') {
            in_seg = 0;
            i += 1;
            while (i < n && pat[i] == '%') /* %% = % */
                i++;
            m->trail_any = i == n;
            continue;
        }
        m->trail_any = 0;
        if (!in_seg) {
            m->segs[m->nsegs].first = m->nitems;
            m->segs[m->nsegs].count = 0;
            m->nsegs++;
            in_seg = 1;
        }
        if (!literal && *c == '_') {
            m->items[m->nitems].kind = IT_ONE;
            m->items[m->nitems].off = m->items[m->nitems].len = 0;
            m->nitems++;
            m->segs[m->nsegs - 1].count++;
            all_lit = 0;
        } else {
            item *last = m->nitems > m->segs[m->nsegs - 1].first ? &m->items[m->nitems - 1] : NULL;
            if (!last || last->kind != IT_LIT) {
                last = &m->items[m->nitems++];
                last->kind = IT_LIT;
                last->off = m->lit_len;
                last->len = 0;
                m->segs[m->nsegs - 1].count++;
            }
            memcpy(m->lit + m->lit_len, c, l);
            m->lit_len += (uint32_t)l;
            last->len += (uint32_t)l;
        }
        i += l;
    }
    if (n == 0)
        m->sh = SH_EXACT; /* '' matches only '' */
    else if (m->nsegs == 0)
        m->sh = SH_ANY;
    else if (m->nsegs == 1 && all_lit)
        m->sh = !m->lead_any && !m->trail_any ? SH_EXACT
                : !m->lead_any                ? SH_PREFIX
                : !m->trail_any               ? SH_SUFFIX
                                              : SH_CONTAINS;
    else
        m->sh = SH_GENERAL;
    *out = m;
    return LH_OK;
bad_esc:
    lh_like_free(m);
    return lh_errf(err, LH_EDATA, "Escape character must be followed by '%%', '_' or the escape character itself");
}

/* Match segment g at s[pos..]; returns the end offset or -1. */
static long seg_at(const lh_like *m, const seg *g, const char *s, size_t n, size_t pos)
{
    uint32_t k;
    for (k = 0; k < g->count; k++) {
        const item *it = &m->items[g->first + k];
        if (it->kind == IT_ONE) {
            if (pos >= n)
                return -1;
            pos += cp_len(s + pos, n - pos);
        } else {
            if (n - pos < it->len || memcmp(s + pos, m->lit + it->off, it->len))
                return -1;
            pos += it->len;
        }
    }
    return (long)pos;
}

static int general(const lh_like *m, const char *s, size_t n)
{
    size_t pos = 0;
    uint32_t g = 0, last = m->nsegs - 1;
    if (!m->lead_any) {
        long e = seg_at(m, &m->segs[0], s, n, 0);
        if (e < 0)
            return 0;
        if (m->nsegs == 1)
            return m->trail_any || (size_t)e == n;
        pos = (size_t)e;
        g = 1;
    }
    for (; g < m->nsegs; g++) {
        if (g == last && !m->trail_any) {
            /* anchored at the end: try the starts from the right place(s) */
            size_t st;
            for (st = pos; st <= n; st++) {
                long e;
                if (st > pos && st < n && ((unsigned char)s[st] & 0xC0) == 0x80)
                    continue;
                e = seg_at(m, &m->segs[g], s, n, st);
                if (e >= 0 && (size_t)e == n)
                    return 1;
            }
            return 0;
        }
        {
            size_t st;
            long e = -1;
            for (st = pos; st <= n; st++) {
                if (st > pos && st < n && ((unsigned char)s[st] & 0xC0) == 0x80)
                    continue; /* start on a code point */
                e = seg_at(m, &m->segs[g], s, n, st);
                if (e >= 0)
                    break;
            }
            if (e < 0)
                return 0;
            pos = (size_t)e;
        }
    }
    return 1;
}

int lh_like_match(const lh_like *m, const char *s, size_t n)
{
    uint32_t L = m->lit_len;
    switch (m->sh) {
    case SH_ANY:
        return 1;
    case SH_EXACT:
        return n == L && (L == 0 || !memcmp(s, m->lit, L));
    case SH_PREFIX:
        return n >= L && !memcmp(s, m->lit, L);
    case SH_SUFFIX:
        return n >= L && !memcmp(s + n - L, m->lit, L);
    case SH_CONTAINS:
        return L == 0 || (n >= L && memmem(s, n, m->lit, L) != NULL);
    default:
        return general(m, s, n);
    }
}

lh_rc lh_k_like(const lh_like *m, lh_vector *s, lh_vector *out, lh_rows rows, lh_err *err)
{
    const lh_str *S;
    uint8_t *O = out->data;
    uint32_t k, sm;
    lh_k_prepare(s, rows);
    if (s->phys != LH_P_STR || out->phys != LH_P_U8)
        return lh_errf(err, LH_EINTERNAL, "LIKE kernel needs a string input and a boolean output");
    S = s->data;
    sm = s->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
    out->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(out);
    for (k = 0; k < rows.n; k++) {
        uint32_t i = rows.sel ? rows.sel[k] : k;
        const lh_str *x = &S[i & sm];
        if (s->may_null && !lh_vector_is_valid(s, i & sm)) {
            lh_vector_set_null(out, i);
            O[i] = 0;
            continue;
        }
        O[i] = (uint8_t)lh_like_match(m, lh_str_ptr(x), lh_str_len(x));
    }
    return LH_OK;
}
