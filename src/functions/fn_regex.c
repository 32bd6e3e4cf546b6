/* functions/fn_regex.c — regexp_like, regexp_extract, regexp_replace,
 * regexp_count (see scalar.h) with Java's pattern syntax through PCRE2.
 *
 * A constant pattern is compiled once in init (and JIT-compiled when the
 * platform has a JIT; a JIT failure falls back to the interpreter
 * silently); a pattern that varies by row is compiled when it differs from
 * the previous row's (a one-entry cache).  Patterns are UTF-8 (PCRE2_UTF),
 * subjects may hold invalid UTF-8 (PCRE2_MATCH_INVALID_UTF: such bytes
 * never match).  Before compiling, the few Java spellings PCRE2 lacks are
 * rewritten (java_to_pcre2 below; docs/sql-functions.md lists what differs).
 *
 * Semantics follow Trino's (JoniRegexpFunctions): search, not full match;
 * after an empty match the next search starts one code point further;
 * regexp_replace's replacement understands $n (the longest group number
 * that exists), ${name}, \ before any character, and fails as Trino does
 * ("Illegal replacement sequence: ...").  An invalid pattern is LH_EDATA
 * naming the pattern, PCRE2's reason and the (0-based) character offset in
 * the pattern as written.
 *
 * State (init/done): the compiled pattern, its match data, the cached
 * pattern text and a scratch buffer for regexp_replace (grown as needed,
 * capped), all allocated through lh_malloc (so the fault walk covers them)
 * and freed by done.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_strutil.h"
#include "functions/scalar.h"

#define RX_MAX_PATTERN ((size_t)1 << 20)
#define RX_SCRATCH_CAP ((size_t)256 << 20)
#define RX_HEAP_LIMIT_KIB (256u * 1024) /* backtracking memory of one match */

typedef struct rx {
    pcre2_general_context *gc;
    pcre2_compile_context *cc;
    pcre2_match_context *mc; /* heap limit for the interpreter */
    pcre2_code *code;
    pcre2_match_data *md;
    char *pat; /* the pattern text code was compiled from (NUL-less copy) */
    size_t pat_n;
    int is_const;   /* code is the constant pattern's */
    int const_null; /* the constant pattern is NULL: every row is NULL */
    uint32_t ngroups;
    lh_buf scratch;
} rx;

static void *rx_malloc(size_t n, void *u)
{
    (void)u;
    return lh_malloc(n);
}
static void rx_free(void *p, void *u)
{
    (void)u;
    lh_free(p);
}

static void rx_drop_code(rx *r)
{
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->code);
    r->md = NULL;
    r->code = NULL;
    lh_free(r->pat);
    r->pat = NULL;
    r->pat_n = 0;
}

static void rx_done(lh_fn_call *c)
{
    rx *r = c->state;
    if (!r)
        return;
    rx_drop_code(r);
    pcre2_compile_context_free(r->cc);
    pcre2_match_context_free(r->mc);
    pcre2_general_context_free(r->gc);
    lh_buf_free(&r->scratch);
    lh_free(r);
    c->state = NULL;
}

/* ---- Java spellings PCRE2 lacks ---- */

/* Java's POSIX-like \p{Name} classes, as PCRE2's POSIX classes (which
 * PCRE2_UCP makes Unicode-aware, as joni's are in Trino: Java's own are
 * US-ASCII), and java.lang.Character classes as class text. */
typedef struct jprop {
    const char *java, *posix, *pcre; /* posix: a [:name:] class; else pcre: class text */
} jprop;
static const jprop JPROPS[] = {
    {"Lower", "lower", NULL},
    {"Upper", "upper", NULL},
    {"ASCII", "ascii", NULL},
    {"Alpha", "alpha", NULL},
    {"Digit", "digit", NULL},
    {"Alnum", "alnum", NULL},
    {"Punct", "punct", NULL},
    {"Graph", "graph", NULL},
    {"Print", "print", NULL},
    {"Blank", "blank", NULL},
    {"Cntrl", "cntrl", NULL},
    {"XDigit", "xdigit", NULL},
    {"Space", "space", NULL},
    {"javaLowerCase", NULL, "\\p{Ll}"},
    {"javaUpperCase", NULL, "\\p{Lu}"},
    {"javaWhitespace", NULL, "\\t-\\r\\x1C- \\x{1680}\\x{2000}-\\x{2006}\\x{2008}-\\x{200A}\\x{2028}\\x{2029}\\x{205F}\\x{3000}"},
    {"javaMirrored", NULL, "\\p{Ps}\\p{Pe}"},
    {"IsAlphabetic", NULL, "\\p{L}\\p{Nl}"},
    {"IsLetter", NULL, "\\p{L}"},
    {"IsDigit", NULL, "\\p{Nd}"},
    {"IsUppercase", NULL, "\\p{Lu}"},
    {"IsLowercase", NULL, "\\p{Ll}"},
    {"IsWhite_Space", NULL, "\\s\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"},
    {"IsPunctuation", NULL, "\\p{P}"},
};

typedef struct xlat {
    lh_buf out;
    uint32_t *map; /* out byte -> pattern byte */
    size_t map_n, map_cap;
} xlat;

static lh_rc xl_put(xlat *x, const char *s, size_t n, size_t src, lh_err *err)
{
    lh_rc rc;
    if (x->map_n + n > x->map_cap) {
        size_t cap = (x->map_n + n) * 2 + 16;
        uint32_t *m = lh_realloc(x->map, cap * sizeof *m);
        if (!m)
            return lh_errf(err, LH_ENOMEM, "out of memory translating a regular expression");
        x->map = m;
        x->map_cap = cap;
    }
    if ((rc = lh_buf_append(&x->out, s, n, err)))
        return rc;
    for (size_t k = 0; k < n; k++)
        x->map[x->map_n++] = (uint32_t)src;
    return LH_OK;
}

static lh_rc rx_unsupported(const char *p, size_t n, size_t at, const char *what, lh_err *err)
{
    return lh_errf(err, LH_EUNSUPPORTED, "Unsupported regular expression '%.*s': %s is not supported at position %zu",
                   (int)(n > 200 ? 200 : n), p, what, u8_count(p, at));
}

static int hex4(const char *p)
{
    for (int k = 0; k < 4; k++)
        if (!((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f') || (p[k] >= 'A' && p[k] <= 'F')))
            return 0;
    return 1;
}

/* Rewrite Java-only spellings: \uXXXX (as \x{XXXX}), \p{Alpha} and the other \p{...} names in
 * JPROPS (and \P{...}), Java's octal \0mnn (as \x{..}), \p{IsGreek} / \p{IsLu} (the Is prefix PCRE2 does
 * not take for scripts and categories), \p{javaLowerCase}...  Java syntax
 * PCRE2 would read differently without an error is refused (LH_EUNSUPPORTED):
 * nested classes, class intersection (&&), the (?U) flag.  Everything else
 * is copied as is; \Q...\E is skipped over.  map records, for each
 * output byte, the input byte it came from (for error positions). */
static lh_rc java_to_pcre2(const char *p, size_t n, xlat *x, lh_err *err)
{
    size_t i = 0;
    int in_class = 0;
    lh_rc rc;
    while (i < n) {
        char ch = p[i];
        if (ch == '\\' && i + 1 < n) {
            char e = p[i + 1];
            if (e == 'Q') { /* literal up to \E */
                size_t j = i + 2;
                while (j + 1 < n && !(p[j] == '\\' && p[j + 1] == 'E'))
                    j++;
                j = j + 1 < n ? j + 2 : n;
                if ((rc = xl_put(x, p + i, j - i, i, err)))
                    return rc;
                i = j;
                continue;
            }
            if ((e == 'p' || e == 'P') && i + 2 < n && p[i + 2] == '{') {
                const char *nm = p + i + 3, *close = memchr(nm, '}', n - (i + 3));
                if (close) {
                    size_t nl = (size_t)(close - nm), k;
                    const jprop *jp = NULL;
                    char tmp[80];
                    for (k = 0; k < sizeof JPROPS / sizeof JPROPS[0]; k++) {
                        const char *j = JPROPS[k].java;
                        if ((strlen(j) == nl && !memcmp(j, nm, nl)) ||
                            (nl > 2 && !memcmp(nm, "Is", 2) && strlen(j) == nl - 2 && !memcmp(j, nm + 2, nl - 2))) {
                            jp = &JPROPS[k];
                            break;
                        }
                    }
                    if (jp && jp->posix) { /* [[:alpha:]] outside a class, [:alpha:] inside; \P: [:^alpha:] */
                        int l = snprintf(tmp, sizeof tmp, "%s[:%s%s:]%s", in_class ? "" : "[", e == 'P' ? "^" : "",
                                         jp->posix, in_class ? "" : "]");
                        if ((rc = xl_put(x, tmp, (size_t)l, i, err)))
                            return rc;
                        i = (size_t)(close - p) + 1;
                        continue;
                    }
                    if (jp) {
                        /* [...] outside a class, the bare ranges inside one
                         * (\P: a negated class; inside a class unsupported) */
                        if (in_class && e == 'P')
                            return rx_unsupported(p, n, i, "\\P{...} of a java.lang.Character class inside a class",
                                                  err);
                        if (!in_class && (rc = xl_put(x, e == 'P' ? "[^" : "[", e == 'P' ? 2 : 1, i, err)))
                            return rc;
                        if ((rc = xl_put(x, jp->pcre, strlen(jp->pcre), i, err)))
                            return rc;
                        if (!in_class && (rc = xl_put(x, "]", 1, i, err)))
                            return rc;
                        i = (size_t)(close - p) + 1;
                        continue;
                    }
                    if (nl > 2 && nl < sizeof tmp - 8 && !memcmp(nm, "Is", 2)) { /* \p{IsGreek} -> \p{Greek} */
                        int l = snprintf(tmp, sizeof tmp, "\\%c{%.*s}", e, (int)(nl - 2), nm + 2);
                        if ((rc = xl_put(x, tmp, (size_t)l, i, err)))
                            return rc;
                        i = (size_t)(close - p) + 1;
                        continue;
                    }
                }
            }
            if (e == '0') { /* Java's octal \0n, \0nn, \0mnn (m <= 3); PCRE2 reads at most two digits */
                size_t j = i + 2, maxd = j < n && p[j] >= '0' && p[j] <= '3' ? 3 : 2;
                unsigned v = 0;
                char tmp[16];
                int l;
                while (j < n && j - (i + 2) < maxd && p[j] >= '0' && p[j] <= '7')
                    v = v * 8 + (unsigned)(p[j++] - '0');
                if (j == i + 2)
                    return rx_unsupported(p, n, i, "\\0 without an octal digit (Java: an error; PCRE2: NUL)", err);
                l = snprintf(tmp, sizeof tmp, "\\x{%X}", v);
                if ((rc = xl_put(x, tmp, (size_t)l, i, err)))
                    return rc;
                i = j;
                continue;
            }
            if (e == 'u' && i + 6 <= n && hex4(p + i + 2)) { /* Java's \uXXXX */
                char tmp[12];
                int l = snprintf(tmp, sizeof tmp, "\\x{%.4s}", p + i + 2);
                if ((rc = xl_put(x, tmp, (size_t)l, i, err)))
                    return rc;
                i += 6;
                continue;
            }
            if ((rc = xl_put(x, p + i, 2, i, err)))
                return rc;
            i += 2;
            continue;
        }
        if (!in_class && ch == '[') {
            in_class = 1;
            if ((rc = xl_put(x, p + i, 1, i, err)))
                return rc;
            i++;
            /* a leading ^ and a leading ] are part of the class */
            if (i < n && p[i] == '^') {
                if ((rc = xl_put(x, p + i, 1, i, err)))
                    return rc;
                i++;
            }
            if (i < n && p[i] == ']') {
                if ((rc = xl_put(x, p + i, 1, i, err)))
                    return rc;
                i++;
            }
            continue;
        }
        if (in_class && ch == '[' && i + 1 < n && p[i + 1] == ':') { /* POSIX [:alpha:] inside a class */
            const char *end = NULL;
            for (size_t j = i + 2; j + 1 < n; j++)
                if (p[j] == ':' && p[j + 1] == ']') {
                    end = p + j + 2;
                    break;
                }
            if (end) {
                if ((rc = xl_put(x, p + i, (size_t)(end - (p + i)), i, err)))
                    return rc;
                i = (size_t)(end - p);
                continue;
            }
        }
        if (in_class && ch == '[')
            return rx_unsupported(p, n, i, "a nested character class ([a[b]], Java's union)", err);
        if (in_class && ch == '&' && i + 1 < n && p[i + 1] == '&')
            return rx_unsupported(p, n, i, "a character class intersection (&&)", err);
        if (!in_class && ch == '(' && i + 1 < n && p[i + 1] == '?') {
            /* inline flags: Java's (?U) is UNICODE_CHARACTER_CLASS, PCRE2's ungreedy */
            size_t j = i + 2;
            int has_u = 0;
            while (j < n && ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') || p[j] == '-'))
                has_u |= p[j++] == 'U';
            if (has_u && j < n && (p[j] == ')' || p[j] == ':'))
                return rx_unsupported(p, n, i, "the (?U) flag", err);
        }
        if (in_class && ch == ']')
            in_class = 0;
        if ((rc = xl_put(x, p + i, 1, i, err)))
            return rc;
        i++;
    }
    return LH_OK;
}

/* Compile p[0..n) into r (replacing what r held). */
static lh_rc rx_compile(rx *r, const char *p, size_t n, int jit, lh_err *err)
{
    xlat x;
    int ec;
    PCRE2_SIZE eo;
    lh_rc rc;
    rx_drop_code(r);
    if (n > RX_MAX_PATTERN)
        return lh_errf(err, LH_ELIMIT, "regular expression of %zu bytes is too long (at most %zu)", n, RX_MAX_PATTERN);
    memset(&x, 0, sizeof x);
    lh_buf_init(&x.out, RX_MAX_PATTERN * 8);
    rc = java_to_pcre2(p, n, &x, err);
    if (!rc) {
        r->code = pcre2_compile((PCRE2_SPTR)(x.out.len ? x.out.data : ""), x.out.len,
                                PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C, &ec,
                                &eo, r->cc);
        if (!r->code) {
            if (ec == PCRE2_ERROR_NOMEMORY || ec == PCRE2_ERROR_HEAP_FAILED)
                rc = lh_errf(err, LH_ENOMEM, "out of memory compiling a regular expression");
            else {
                char msg[256];
                size_t src = eo < x.map_n ? x.map[eo] : n, chars;
                if (pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg) < 0)
                    snprintf(msg, sizeof msg, "error %d", ec);
                chars = u8_count(p, src > n ? n : src);
                rc = lh_errf(err, LH_EDATA, "Invalid regular expression '%.*s': %s at position %zu",
                             (int)(n > 200 ? 200 : n), p, msg, chars);
            }
        }
    }
    lh_buf_free(&x.out);
    lh_free(x.map);
    if (rc)
        return rc;
    if (jit)
        (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* no JIT: the interpreter runs */
    r->md = pcre2_match_data_create_from_pattern(r->code, r->gc);
    r->pat = lh_malloc(n ? n : 1);
    if (!r->md || !r->pat) {
        rx_drop_code(r);
        return lh_errf(err, LH_ENOMEM, "out of memory compiling a regular expression");
    }
    memcpy(r->pat, p, n);
    r->pat_n = n;
    (void)pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ngroups);
    return LH_OK;
}

static lh_rc rx_init(lh_fn_call *c, lh_vector *const *k, lh_err *err)
{
    rx *r = lh_calloc(1, sizeof *r);
    c->state = r;
    if (!r)
        return lh_errf(err, LH_ENOMEM, "out of memory preparing a regular expression");
    lh_buf_init(&r->scratch, RX_SCRATCH_CAP);
    r->gc = pcre2_general_context_create(rx_malloc, rx_free, NULL);
    r->cc = r->gc ? pcre2_compile_context_create(r->gc) : NULL;
    r->mc = r->gc ? pcre2_match_context_create(r->gc) : NULL;
    if (!r->cc || !r->mc || pcre2_set_newline(r->cc, PCRE2_NEWLINE_LF) != 0 ||
        pcre2_set_heap_limit(r->mc, RX_HEAP_LIMIT_KIB) != 0) {
        rx_done(c);
        return lh_errf(err, LH_ENOMEM, "out of memory preparing a regular expression");
    }
    if (k && c->nargs >= 2 && k[1]) {
        r->is_const = 1;
        if (!lh_vector_is_valid(k[1], 0)) {
            r->const_null = 1;
        } else {
            const lh_str *s = sarg(k[1], 0);
            lh_rc rc = rx_compile(r, lh_str_ptr(s), lh_str_len(s), 1, err);
            if (rc) {
                rx_done(c);
                return rc;
            }
        }
    }
    return LH_OK;
}

/* The compiled pattern for this row (compiling a row's own pattern when it
 * differs from the cached one). */
static lh_rc rx_for_row(lh_fn_call *c, lh_vector **a, uint32_t row, rx **out, lh_err *err)
{
    rx *r = c->state;
    const lh_str *s;
    if (!r)
        return lh_errf(err, LH_EINTERNAL, "regular expression function called without init");
    *out = r;
    if (r->is_const)
        return LH_OK;
    s = sarg(a[1], row);
    if (r->code && r->pat_n == lh_str_len(s) && !memcmp(r->pat, lh_str_ptr(s), r->pat_n))
        return LH_OK;
    return rx_compile(r, lh_str_ptr(s), lh_str_len(s), 0, err);
}

/* pcre2_match from `start`: 1 match, 0 none, else an error in err. */
static int rx_match(rx *r, const char *p, size_t n, size_t start, lh_err *err)
{
    int m = pcre2_match(r->code, (PCRE2_SPTR)(n ? p : ""), n, start, 0, r->md, r->mc);
    if (m == PCRE2_ERROR_JIT_STACKLIMIT) /* the JIT's stack is small: the interpreter uses the heap */
        m = pcre2_match(r->code, (PCRE2_SPTR)(n ? p : ""), n, start, PCRE2_NO_JIT, r->md, r->mc);
    if (m >= 0)
        return 1;
    if (m == PCRE2_ERROR_NOMATCH)
        return 0;
    if (m == PCRE2_ERROR_NOMEMORY || m == PCRE2_ERROR_HEAP_FAILED) {
        lh_errf(err, LH_ENOMEM, "out of memory matching a regular expression");
        return -1;
    }
    {
        char msg[256];
        if (pcre2_get_error_message(m, (PCRE2_UCHAR *)msg, sizeof msg) < 0)
            snprintf(msg, sizeof msg, "error %d", m);
        lh_errf(err,
                m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT || m == PCRE2_ERROR_HEAPLIMIT ? LH_ELIMIT
                                                                                                        : LH_EDATA,
                "Regular expression '%.*s' failed: %s", (int)(r->pat_n > 200 ? 200 : r->pat_n), r->pat, msg);
    }
    return -1;
}

/* Trino's getNextStart: after an empty match, one code point further. */
static size_t next_start(const char *p, size_t n, size_t b, size_t e)
{
    if (e != b)
        return e;
    return b < n ? e + u8_step(p + b, n - b) : e + 1;
}

static lh_rc f_like(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        rx *r;
        const lh_str *s;
        int m;
        lh_rc rc;
        if (args_null(a, 2, row) || (c->state && ((rx *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = rx_for_row(c, a, row, &r, err)))
            return rc;
        s = sarg(a[0], row);
        if ((m = rx_match(r, lh_str_ptr(s), lh_str_len(s), 0, err)) < 0)
            return err ? err->code : LH_EDATA;
        out_bool(out, row, m);
    }
    return LH_OK;
}

static lh_rc f_count(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        rx *r;
        const lh_str *s;
        const char *p;
        size_t n, at = 0;
        int64_t cnt = 0;
        lh_rc rc;
        if (args_null(a, 2, row) || (c->state && ((rx *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = rx_for_row(c, a, row, &r, err)))
            return rc;
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        while (at <= n) {
            int m = rx_match(r, p, n, at, err);
            PCRE2_SIZE *ov;
            if (m < 0)
                return err ? err->code : LH_EDATA;
            if (!m)
                break;
            ov = pcre2_get_ovector_pointer(r->md);
            cnt++;
            at = next_start(p, n, ov[0], ov[1]);
        }
        out_i64(out, row, cnt);
    }
    return LH_OK;
}

static lh_rc f_extract(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        rx *r;
        const lh_str *s;
        int64_t g = 0;
        int m;
        PCRE2_SIZE *ov;
        lh_rc rc;
        if (args_null(a, c->nargs, row) || (c->state && ((rx *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = rx_for_row(c, a, row, &r, err)))
            return rc;
        if (c->nargs == 3)
            g = iarg(a[2], row);
        if (g < 0)
            return lh_errf(err, LH_EDATA, "Group cannot be negative");
        if (g > (int64_t)r->ngroups)
            return lh_errf(err, LH_EDATA, "Pattern has %u groups. Cannot access group %lld", r->ngroups, (long long)g);
        s = sarg(a[0], row);
        if ((m = rx_match(r, lh_str_ptr(s), lh_str_len(s), 0, err)) < 0)
            return err ? err->code : LH_EDATA;
        ov = pcre2_get_ovector_pointer(r->md);
        if (!m || ov[2 * g] == PCRE2_UNSET) {
            out_null(out, row);
            continue;
        }
        if ((rc = put_str(c, out, row, lh_str_ptr(s) + ov[2 * g], ov[2 * g + 1] - ov[2 * g], err)))
            return rc;
    }
    return LH_OK;
}

/* regexp_position(s, p[, start[, occurrence]]): the 1-based code point
 * position of the occurrence-th match at or after code point `start`, -1
 * when there is none or start is past the end (Trino's regexpPosition). */
static inline int64_t i32arg(const lh_vector *v, uint32_t row) { return ((const int32_t *)v->data)[vrow(v, row)]; }
static lh_rc f_position(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        rx *r;
        const lh_str *s;
        const char *p;
        size_t n, at;
        int64_t start = 1, occ = 1, cnt = 0, pos = -1;
        lh_rc rc;
        if (args_null(a, c->nargs, row) || (c->state && ((rx *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if (c->nargs >= 3)
            start = i32arg(a[2], row);
        if (c->nargs == 4)
            occ = i32arg(a[3], row);
        if (start < 1)
            return lh_errf(err, LH_EINVAL, "start position cannot be smaller than 1");
        if (occ < 1)
            return lh_errf(err, LH_EINVAL, "occurrence cannot be smaller than 1");
        if ((rc = rx_for_row(c, a, row, &r, err)))
            return rc;
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        if ((uint64_t)start > u8_count(p, n)) {
            out_i32(out, row, -1);
            continue;
        }
        at = u8_offset(p, n, 0, (uint64_t)start - 1);
        while (at <= n) {
            int m = rx_match(r, p, n, at, err);
            PCRE2_SIZE *ov;
            if (m < 0)
                return err ? err->code : LH_EDATA;
            if (!m)
                break;
            ov = pcre2_get_ovector_pointer(r->md);
            if (++cnt == occ) {
                pos = (int64_t)u8_count(p, ov[0]) + 1;
                break;
            }
            at = next_start(p, n, ov[0], ov[1]);
        }
        out_i32(out, row, (int32_t)pos);
    }
    return LH_OK;
}

/* Append the replacement for the current match (Trino's appendReplacement). */
static lh_rc append_repl(rx *r, const char *src, const char *rp, size_t rn, lh_err *err)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    uint32_t nregs = r->ngroups + 1;
    size_t k = 0;
    lh_rc rc;
    while (k < rn) {
        char ch = rp[k];
        if (ch == '$') {
            uint32_t g;
            k++;
            if (k == rn)
                return lh_errf(err, LH_EDATA, "Illegal replacement sequence: %.*s", (int)rn, rp);
            if (rp[k] == '{') {
                size_t st = ++k;
                char name[256];
                int num;
                while (k < rn && rp[k] != '}')
                    k++;
                if (k - st >= sizeof name)
                    return lh_errf(err, LH_EDATA, "Illegal replacement sequence: unknown group { %.*s }", (int)(k - st),
                                   rp + st);
                memcpy(name, rp + st, k - st);
                name[k - st] = 0;
                num = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
                if (num < 0)
                    return lh_errf(err, LH_EDATA, "Illegal replacement sequence: unknown group { %s }", name);
                g = (uint32_t)num;
                k++;
            } else {
                if (rp[k] < '0' || rp[k] > '9')
                    return lh_errf(err, LH_EDATA, "Illegal replacement sequence: %.*s", (int)rn, rp);
                g = (uint32_t)(rp[k] - '0');
                if (g >= nregs)
                    return lh_errf(err, LH_EDATA, "Illegal replacement sequence: unknown group %u", g);
                k++;
                while (k < rn && rp[k] >= '0' && rp[k] <= '9') {
                    uint64_t ng = (uint64_t)g * 10 + (uint64_t)(rp[k] - '0');
                    if (ng >= nregs)
                        break;
                    g = (uint32_t)ng;
                    k++;
                }
            }
            if (ov[2 * g] != PCRE2_UNSET && (rc = lh_buf_append(&r->scratch, src + ov[2 * g],
                                                                  ov[2 * g + 1] - ov[2 * g], err)))
                return rc;
        } else {
            if (ch == '\\') {
                k++;
                if (k == rn)
                    return lh_errf(err, LH_EDATA, "Illegal replacement sequence: %.*s", (int)rn, rp);
                ch = rp[k];
            }
            if ((rc = lh_buf_putc(&r->scratch, ch, err)))
                return rc;
            k++;
        }
    }
    return LH_OK;
}

static lh_rc f_replace(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        rx *r;
        const lh_str *s;
        const char *p, *rp = "";
        size_t n, rn = 0, at = 0, last = 0;
        lh_rc rc;
        if (args_null(a, c->nargs, row) || (c->state && ((rx *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = rx_for_row(c, a, row, &r, err)))
            return rc;
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        if (c->nargs == 3) {
            const lh_str *t = sarg(a[2], row);
            rp = lh_str_ptr(t), rn = lh_str_len(t);
        }
        lh_buf_reset(&r->scratch);
        while (at <= n) {
            int m = rx_match(r, p, n, at, err);
            PCRE2_SIZE *ov;
            if (m < 0)
                return err ? err->code : LH_EDATA;
            if (!m)
                break;
            ov = pcre2_get_ovector_pointer(r->md);
            at = next_start(p, n, ov[0], ov[1]);
            if ((rc = lh_buf_append(&r->scratch, p + last, ov[0] - last, err)))
                return rc;
            last = ov[1];
            if ((rc = append_repl(r, p, rp, rn, err)))
                return rc;
        }
        if ((rc = lh_buf_append(&r->scratch, p + last, n - last, err)))
            return rc;
        if ((rc = put_str(c, out, row, r->scratch.data ? r->scratch.data : "", r->scratch.len, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- signatures ---- */
static int acc_like(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_count(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BIGINT;
}
static int acc_extract(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 2 || (n == 3 && ty_big(t[2]))) && ty_str(t[0]) && ty_str(t[1]) && ty_str(r);
}
static int acc_replace(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 2 || (n == 3 && ty_str(t[2]))) && ty_str(t[0]) && ty_str(t[1]) && ty_str(r);
}

static int acc_position(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    size_t k;
    if (n < 2 || n > 4 || !ty_str(t[0]) || !ty_str(t[1]) || r.id != LH_SQL_INTEGER)
        return 0;
    for (k = 2; k < n; k++)
        if (t[k].id != LH_SQL_INTEGER)
            return 0;
    return 1;
}

const lh_scalar_entry lh_fns_regex[] = {
    {"regexp_position", acc_position, {"regexp_position", rx_init, f_position, rx_done}},
    {"regexp_like", acc_like, {"regexp_like", rx_init, f_like, rx_done}},
    {"regexp_count", acc_count, {"regexp_count", rx_init, f_count, rx_done}},
    {"regexp_extract", acc_extract, {"regexp_extract", rx_init, f_extract, rx_done}},
    {"regexp_replace", acc_replace, {"regexp_replace", rx_init, f_replace, rx_done}},
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
