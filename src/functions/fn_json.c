/* functions/fn_json.c — the JSON functions on varchar Athena queries use
 * most (functions/json.md; there is no json type yet, so these take the
 * JSON text as varchar, as Trino's varchar overloads do), listed in
 * lh_fns_json[]:
 *
 *   json_extract_scalar(json, path)  the scalar at path as varchar: a
 *       string unescaped, a number or true/false as written; NULL for null,
 *       an object, an array, a missing path or malformed JSON
 *   json_array_length(json)          bigint; NULL unless an array
 *   json_size(json, path)            bigint: members of the object or
 *       elements of the array at path, 0 for a scalar, NULL when missing
 *   json_array_contains(json, v)     boolean (bigint, double, boolean or
 *       varchar v; top-level elements of v's kind); NULL unless an array
 *   is_json_scalar(json)             boolean; "Invalid JSON value: x"
 * Paths are Trino's JsonPath subset: $ then .name, ["name"] or [n]; any
 * other is "Invalid JSON path: 'x'" (LH_EINVAL).  A constant path is
 * parsed once in init, a per-row one on every row (no allocation: the
 * path is walked in place).  JSON is scanned, not built: only the values
 * on the way are read, as Jackson's streaming parser does in Trino (a
 * malformed tail after the value found does not matter).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "functions/fn_strutil.h"
#include "functions/scalar.h"

/* ---- path ---- */

typedef struct pstep {
    int is_index;
    int64_t index;
    const char *name; /* raw text of the name in the path (may hold \" in ["..."]) */
    size_t n;
    int quoted;
} pstep;

#define MAX_STEPS 64

static lh_rc bad_path(const char *p, size_t n, lh_err *err)
{
    char m[300];
    return lh_errf(err, LH_EINVAL, "Invalid JSON path: '%s'", u8_for_msg(p, n, m, sizeof m));
}

static lh_rc parse_path(const char *p, size_t n, pstep *st, size_t *ns, lh_err *err)
{
    size_t i = 0, k = 0;
    while (i < n && p[i] == ' ')
        i++;
    if (i >= n || p[i] != '$')
        return bad_path(p, n, err);
    i++;
    while (i < n) {
        pstep s = {0, 0, NULL, 0, 0};
        if (k == MAX_STEPS)
            return bad_path(p, n, err);
        if (p[i] == '.') {
            size_t b = ++i;
            while (i < n && p[i] != '.' && p[i] != '[' && p[i] != ' ')
                i++;
            if (i == b)
                return bad_path(p, n, err);
            s.name = p + b, s.n = i - b;
            if (s.n == 1 && s.name[0] == '*')
                return bad_path(p, n, err);
        } else if (p[i] == '[') {
            i++;
            if (i < n && p[i] == '"') {
                size_t b = ++i;
                while (i < n && p[i] != '"') {
                    if (p[i] == '\\')
                        i++;
                    i++;
                }
                if (i >= n)
                    return bad_path(p, n, err);
                s.name = p + b, s.n = i - b, s.quoted = 1;
                i++;
            } else {
                size_t b = i;
                int64_t v = 0;
                while (i < n && p[i] >= '0' && p[i] <= '9' && v < ((int64_t)1 << 40))
                    v = v * 10 + (p[i++] - '0');
                if (i == b)
                    return bad_path(p, n, err);
                s.is_index = 1, s.index = v;
            }
            if (i >= n || p[i] != ']')
                return bad_path(p, n, err);
            i++;
        } else if (p[i] == ' ') {
            i++;
            continue;
        } else
            return bad_path(p, n, err);
        st[k++] = s;
    }
    *ns = k;
    return LH_OK;
}

/* ---- JSON scanning ---- */

typedef struct js {
    const char *p;
    size_t n, i;
    int depth;
} js;

static void ws(js *j)
{
    while (j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' || j->p[j->i] == '\n' || j->p[j->i] == '\r'))
        j->i++;
}

/* past a string starting at '"' ; 0 if malformed */
static int skip_str(js *j)
{
    j->i++;
    while (j->i < j->n) {
        char c = j->p[j->i];
        if (c == '"') {
            j->i++;
            return 1;
        }
        if ((unsigned char)c < 0x20)
            return 0;
        j->i += c == '\\' ? 2 : 1;
    }
    return 0;
}

static int skip_value(js *j);

static int skip_container(js *j, char close)
{
    int first = 1;
    if (++j->depth > 1000)
        return 0;
    j->i++;
    for (;;) {
        ws(j);
        if (j->i >= j->n)
            return 0;
        if (j->p[j->i] == close && first) {
            j->i++;
            j->depth--;
            return 1;
        }
        if (close == '}') {
            if (j->p[j->i] != '"' || !skip_str(j))
                return 0;
            ws(j);
            if (j->i >= j->n || j->p[j->i] != ':')
                return 0;
            j->i++;
        }
        if (!skip_value(j))
            return 0;
        ws(j);
        if (j->i >= j->n)
            return 0;
        if (j->p[j->i] == ',') {
            j->i++;
            first = 0;
            continue;
        }
        if (j->p[j->i] == close) {
            j->i++;
            j->depth--;
            return 1;
        }
        return 0;
    }
}

static int lit(js *j, const char *w)
{
    size_t l = strlen(w);
    if (j->n - j->i < l || memcmp(j->p + j->i, w, l))
        return 0;
    j->i += l;
    return 1;
}

static int skip_number(js *j)
{
    size_t b = j->i;
    if (j->i < j->n && j->p[j->i] == '-')
        j->i++;
    if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
        return 0;
    while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
        j->i++;
    if (j->i < j->n && j->p[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
            return 0;
        while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
            j->i++;
    }
    if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-'))
            j->i++;
        if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
            return 0;
        while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
            j->i++;
    }
    return j->i > b;
}

static int skip_value(js *j)
{
    ws(j);
    if (j->i >= j->n)
        return 0;
    switch (j->p[j->i]) {
    case '{':
        return skip_container(j, '}');
    case '[':
        return skip_container(j, ']');
    case '"':
        return skip_str(j);
    case 't':
        return lit(j, "true");
    case 'f':
        return lit(j, "false");
    case 'n':
        return lit(j, "null");
    default:
        return skip_number(j);
    }
}

/* does the JSON string at j (between quotes, raw) equal the path name? */
static int hex4(const char *p, int32_t *v)
{
    int32_t x = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            x |= (c | 0x20) - 'a' + 10;
        else
            return 0;
    }
    *v = x;
    return 1;
}

/* Unescape raw JSON string text p[0..n) into o (o may be NULL to measure);
 * -1 when malformed. */
static long unescape(const char *p, size_t n, char *o)
{
    size_t i = 0, m = 0;
    while (i < n) {
        char c = p[i];
        if (c != '\\') {
            if (o)
                o[m] = c;
            m++, i++;
            continue;
        }
        if (i + 1 >= n)
            return -1;
        c = p[i + 1];
        i += 2;
        switch (c) {
        case '"': case '\\': case '/':
            break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            int32_t cp, lo;
            char tmp[4];
            size_t l;
            if (n - i < 4 || !hex4(p + i, &cp))
                return -1;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && n - i >= 6 && p[i] == '\\' && p[i + 1] == 'u' &&
                hex4(p + i + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            l = u8_encode(cp, tmp);
            if (o)
                memcpy(o + m, tmp, l);
            m += l;
            continue;
        }
        default:
            return -1;
        }
        if (o)
            o[m] = c;
        m++;
    }
    return (long)m;
}

static int key_eq(const char *raw, size_t rn, const pstep *s)
{
    char a[512], b[512];
    long la, lb;
    if (!memchr(raw, '\\', rn) && !(s->quoted && memchr(s->name, '\\', s->n)))
        return rn == s->n && !memcmp(raw, s->name, rn);
    if (rn > sizeof a || s->n > sizeof b)
        return 0;
    la = unescape(raw, rn, a);
    lb = s->quoted ? unescape(s->name, s->n, b) : (long)s->n;
    if (!s->quoted)
        memcpy(b, s->name, s->n);
    return la >= 0 && la == lb && !memcmp(a, b, (size_t)la);
}

/* walk the path: j->i at the value found, 1; 0 missing or malformed */
static int walk(js *j, const pstep *st, size_t ns)
{
    for (size_t k = 0; k < ns; k++) {
        const pstep *s = &st[k];
        ws(j);
        if (j->i >= j->n)
            return 0;
        if (j->p[j->i] == '{' && !s->is_index) {
            int found = 0, first = 1;
            j->i++;
            for (;;) {
                size_t kb;
                ws(j);
                if (j->i < j->n && j->p[j->i] == '}' && first)
                    return 0;
                if (j->i >= j->n || j->p[j->i] != '"')
                    return 0;
                kb = j->i + 1;
                if (!skip_str(j))
                    return 0;
                found = key_eq(j->p + kb, j->i - 1 - kb, s);
                ws(j);
                if (j->i >= j->n || j->p[j->i] != ':')
                    return 0;
                j->i++;
                if (found)
                    break;
                if (!skip_value(j))
                    return 0;
                ws(j);
                if (j->i < j->n && j->p[j->i] == ',') {
                    j->i++;
                    first = 0;
                    continue;
                }
                return 0; /* '}' or malformed: not found */
            }
        } else if (j->p[j->i] == '[' && s->is_index) {
            int64_t idx = 0;
            j->i++;
            ws(j);
            if (j->i < j->n && j->p[j->i] == ']')
                return 0;
            while (idx < s->index) {
                if (!skip_value(j))
                    return 0;
                ws(j);
                if (j->i >= j->n || j->p[j->i] != ',')
                    return 0;
                j->i++;
                idx++;
            }
        } else
            return 0;
    }
    ws(j);
    return j->i < j->n;
}

/* ---- state: a constant path ---- */

typedef struct jstate {
    int is_const, const_null;
    pstep st[MAX_STEPS];
    size_t ns;
} jstate;

static lh_rc jinit(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    jstate *s;
    if (c->nargs < 2)
        return LH_OK;
    if (!(s = lh_calloc(1, sizeof *s)))
        return lh_errf(err, LH_ENOMEM, "out of memory preparing a JSON path");
    c->state = s;
    if (ca && ca[1]) {
        s->is_const = 1;
        if (!lh_vector_get_valid(ca[1], 0))
            s->const_null = 1;
        else {
            const lh_str *p = sarg(ca[1], 0);
            lh_rc rc = parse_path(lh_str_ptr(p), lh_str_len(p), s->st, &s->ns, err);
            if (rc) {
                lh_free(s);
                c->state = NULL;
                return rc;
            }
        }
    }
    return LH_OK;
}
static void jdone(lh_fn_call *c)
{
    lh_free(c->state);
    c->state = NULL;
}

/* the path of this row (constant: the parsed one) */
static lh_rc path_at(lh_fn_call *c, lh_vector **a, uint32_t row, pstep *tmp, const pstep **st, size_t *ns,
                     lh_err *err)
{
    jstate *s = c->state;
    const lh_str *p;
    if (!s)
        return lh_errf(err, LH_EINTERNAL, "JSON function evaluated before init");
    if (s->is_const) {
        *st = s->st, *ns = s->ns;
        return LH_OK;
    }
    p = sarg(a[1], row);
    *st = tmp;
    return parse_path(lh_str_ptr(p), lh_str_len(p), tmp, ns, err);
}

static lh_rc f_extract_scalar(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    pstep tmp[MAX_STEPS];
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const pstep *st;
        size_t ns, b;
        js j;
        lh_rc rc;
        if (args_null(a, 2, row) || (c->state && ((jstate *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = path_at(c, a, row, tmp, &st, &ns, err)))
            return rc;
        s = sarg(a[0], row);
        j = (js){lh_str_ptr(s), lh_str_len(s), 0, 0};
        if (!walk(&j, st, ns)) {
            out_null(out, row);
            continue;
        }
        b = j.i;
        if (j.p[b] == '"') {
            long m;
            obuf ob;
            char *d;
            if (!skip_str(&j) || (m = unescape(j.p + b + 1, j.i - b - 2, NULL)) < 0) {
                out_null(out, row);
                continue;
            }
            if (!(d = out_begin(c, &ob, (size_t)m, err)))
                return err ? err->code : LH_ENOMEM;
            unescape(j.p + b + 1, j.i - b - 2, d);
            out_end(out, row, &ob);
            continue;
        }
        if (j.p[b] == '{' || j.p[b] == '[' || j.p[b] == 'n' || !skip_value(&j)) {
            out_null(out, row);
            continue;
        }
        if ((rc = put_str(c, out, row, j.p + b, j.i - b, err)))
            return rc;
    }
    return LH_OK;
}

/* members / elements of the container at j->i (-1 malformed) */
static int64_t count_items(js *j)
{
    char close = j->p[j->i] == '{' ? '}' : ']';
    int64_t cnt = 0;
    j->i++;
    ws(j);
    if (j->i < j->n && j->p[j->i] == close)
        return 0;
    for (;;) {
        if (close == '}') {
            ws(j);
            if (j->i >= j->n || j->p[j->i] != '"' || !skip_str(j))
                return -1;
            ws(j);
            if (j->i >= j->n || j->p[j->i] != ':')
                return -1;
            j->i++;
        }
        if (!skip_value(j))
            return -1;
        cnt++;
        ws(j);
        if (j->i >= j->n)
            return -1;
        if (j->p[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->p[j->i] == close)
            return cnt;
        return -1;
    }
}

static lh_rc f_array_length(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        js j;
        int64_t n;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        j = (js){lh_str_ptr(s), lh_str_len(s), 0, 0};
        ws(&j);
        if (j.i >= j.n || j.p[j.i] != '[' || (n = count_items(&j)) < 0) {
            out_null(out, row);
            continue;
        }
        out_i64(out, row, n);
    }
    return LH_OK;
}

static lh_rc f_json_size(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    pstep tmp[MAX_STEPS];
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const pstep *st;
        size_t ns;
        js j;
        int64_t n;
        lh_rc rc;
        if (args_null(a, 2, row) || (c->state && ((jstate *)c->state)->const_null)) {
            out_null(out, row);
            continue;
        }
        if ((rc = path_at(c, a, row, tmp, &st, &ns, err)))
            return rc;
        s = sarg(a[0], row);
        j = (js){lh_str_ptr(s), lh_str_len(s), 0, 0};
        if (!walk(&j, st, ns)) {
            out_null(out, row);
            continue;
        }
        if (j.p[j.i] != '{' && j.p[j.i] != '[') {
            out_i64(out, row, 0);
            continue;
        }
        if ((n = count_items(&j)) < 0) {
            out_null(out, row);
            continue;
        }
        out_i64(out, row, n);
    }
    return LH_OK;
}

/* json_array_contains(json, value): a top-level element of the value's
 * kind equal to it (bigint: an integer token; double: any number; boolean;
 * varchar: a string, unescaped); NULL unless an array, or malformed
 * before a match */
static int num_is_int(const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] == '.' || p[k] == 'e' || p[k] == 'E')
            return 0;
    return 1;
}

static lh_rc f_array_contains(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_sqltype_id vt = (lh_sqltype_id)c->arg_types[1].id;
    (void)err;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        js j;
        int found = 0, bad = 0;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        j = (js){lh_str_ptr(s), lh_str_len(s), 0, 0};
        ws(&j);
        if (j.i >= j.n || j.p[j.i] != '[') {
            out_null(out, row);
            continue;
        }
        j.i++;
        ws(&j);
        if (j.i < j.n && j.p[j.i] == ']') {
            out_bool(out, row, 0);
            continue;
        }
        for (;;) {
            size_t b;
            ws(&j);
            b = j.i;
            if (!skip_value(&j)) {
                bad = 1;
                break;
            }
            {
                const char *e = j.p + b;
                size_t en = j.i - b;
                char buf[64];
                switch (vt) {
                case LH_SQL_BIGINT:
                    if ((e[0] == '-' || (e[0] >= '0' && e[0] <= '9')) && num_is_int(e, en) && en < sizeof buf) {
                        char *end;
                        long long v;
                        memcpy(buf, e, en);
                        buf[en] = 0;
                        errno = 0;
                        v = strtoll(buf, &end, 10);
                        found = errno == 0 && v == iarg(a[1], row);
                    }
                    break;
                case LH_SQL_DOUBLE:
                    if ((e[0] == '-' || (e[0] >= '0' && e[0] <= '9')) && en < sizeof buf) {
                        memcpy(buf, e, en);
                        buf[en] = 0;
                        found = strtod(buf, NULL) == ((const double *)a[1]->data)[vrow(a[1], row)];
                    }
                    break;
                case LH_SQL_BOOLEAN:
                    if (e[0] == 't' || e[0] == 'f')
                        found = (e[0] == 't') == (((const uint8_t *)a[1]->data)[vrow(a[1], row)] != 0);
                    break;
                default:
                    if (e[0] == '"') {
                        const lh_str *v = sarg(a[1], row);
                        long m = unescape(e + 1, en - 2, NULL);
                        if (m == (long)lh_str_len(v)) {
                            if (!memchr(e + 1, '\\', en - 2))
                                found = !memcmp(e + 1, lh_str_ptr(v), (size_t)m);
                            else if (m <= 4096) {
                                char tmp[4096];
                                unescape(e + 1, en - 2, tmp);
                                found = !memcmp(tmp, lh_str_ptr(v), (size_t)m);
                            }
                        }
                    }
                    break;
                }
            }
            if (found)
                break;
            ws(&j);
            if (j.i < j.n && j.p[j.i] == ',') {
                j.i++;
                continue;
            }
            if (j.i < j.n && j.p[j.i] == ']')
                break;
            bad = 1;
            break;
        }
        if (bad && !found)
            out_null(out, row);
        else
            out_bool(out, row, found);
    }
    return LH_OK;
}

/* is_json_scalar(json): "Invalid JSON value: x" when not one JSON value */
static lh_rc f_is_scalar(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        js j;
        int ok;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        j = (js){lh_str_ptr(s), lh_str_len(s), 0, 0};
        ws(&j);
        ok = skip_value(&j);
        ws(&j);
        if (!ok || j.i != j.n) {
            char m[300];
            return lh_errf(err, LH_EINVAL, "Invalid JSON value: %s", u8_for_msg(lh_str_ptr(s), lh_str_len(s), m, sizeof m));
        }
        {
            js k = {lh_str_ptr(s), lh_str_len(s), 0, 0};
            ws(&k);
            out_bool(out, row, k.p[k.i] != '{' && k.p[k.i] != '[');
        }
    }
    return LH_OK;
}

static int acc_extract(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && ty_str(r);
}
static int acc_len(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_big(r); }
static int acc_size(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && ty_big(r);
}

static int acc_contains(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) &&
           (t[1].id == LH_SQL_BIGINT || t[1].id == LH_SQL_DOUBLE || t[1].id == LH_SQL_BOOLEAN || ty_str(t[1])) &&
           r.id == LH_SQL_BOOLEAN;
}
static int acc_is_scalar(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ty_str(t[0]) && r.id == LH_SQL_BOOLEAN;
}

const lh_scalar_entry lh_fns_json[] = {
    {"json_array_contains", acc_contains, {"json_array_contains", NULL, f_array_contains, NULL}},
    {"is_json_scalar", acc_is_scalar, {"is_json_scalar", NULL, f_is_scalar, NULL}},
    {"json_extract_scalar", acc_extract, {"json_extract_scalar", jinit, f_extract_scalar, jdone}},
    {"json_array_length", acc_len, {"json_array_length", NULL, f_array_length, NULL}},
    {"json_size", acc_size, {"json_size", jinit, f_json_size, jdone}},
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
