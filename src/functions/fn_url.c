/* functions/fn_url.c — Trino's URL functions (functions/url.md), listed
 * in lh_fns_url[]:
 *
 *   url_extract_protocol, _host, _port (bigint), _path, _query, _fragment,
 *   url_extract_parameter(url, name)
 *       the URL is split as java.net.URI splits it (RFC 2396:
 *       scheme:[//authority]path[?query][#fragment]); a string URI refuses
 *       (a space, a bad % escape, a character outside the URI set) gives
 *       NULL, as Trino returns NULL for a URISyntaxException.  Components
 *       come back raw (percent escapes kept); a missing component is NULL
 *       (the path of "http://a" is ""); the parameter is the first
 *       name=value of the query, "" for a bare name, NULL when absent.
 *   url_encode(s)    java.net.URLEncoder with UTF-8: [A-Za-z0-9.*_-] kept,
 *                    space '+', every other byte %XX (upper-case hex)
 *   url_decode(s)    URLDecoder: '+' is a space, %XX a byte; a bad escape
 *                    is "URLDecoder: Illegal hex characters in escape (%)
 *                    pattern - ..." / "URLDecoder: Incomplete trailing
 *                    escape (%) pattern"
 * NULL in, NULL out.  No state.
 */
#include <string.h>

#include "functions/fn_strutil.h"
#include "functions/scalar.h"

typedef struct span {
    const char *p;
    size_t n;
    int set;
} span;

typedef struct url {
    span scheme, authority, host, port, path, query, fragment;
} url;

static int hexd(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* characters java.net.URI accepts (unreserved, reserved, escapes; other
 * non-ASCII code points are allowed as "other" characters) */
static int uri_ok(const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)p[k];
        if (c >= 0x80)
            continue;
        if (c == '%') {
            if (k + 2 >= n || !hexd((unsigned char)p[k + 1]) || !hexd((unsigned char)p[k + 2]))
                return 0;
            k += 2;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            continue;
        if (!strchr("-_.!~*'();/?:@&=+$,#[]", c) || c == 0)
            return 0;
    }
    return 1;
}

static int parse_url(const char *p, size_t n, url *u)
{
    size_t i = 0, k;
    memset(u, 0, sizeof *u);
    if (!uri_ok(p, n))
        return 0;
    /* fragment */
    for (k = 0; k < n && p[k] != '#'; k++)
        ;
    if (k < n) {
        u->fragment = (span){p + k + 1, n - k - 1, 1};
        if (memchr(p + k + 1, '#', n - k - 1))
            return 0;
        n = k;
    }
    /* scheme: alpha *( alpha | digit | + - . ) ':' before any / ? */
    if (n && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z')) {
        for (k = 1; k < n; k++) {
            char c = p[k];
            if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') && c != '+' && c != '-' &&
                c != '.')
                break;
        }
        if (k < n && p[k] == ':') {
            u->scheme = (span){p, k, 1};
            i = k + 1;
            if (i == n)
                return 0; /* "http:" : expected scheme-specific part */
            if (p[i] != '/') { /* opaque: mailto:x — no components but the scheme */
                return 1;
            }
        }
    }
    if (n - i >= 2 && p[i] == '/' && p[i + 1] == '/') {
        size_t a = i + 2, e = a;
        while (e < n && p[e] != '/' && p[e] != '?')
            e++;
        u->authority = (span){p + a, e - a, 1};
        {
            const char *ap = p + a;
            size_t an = e - a, hs = 0, he;
            const char *at = memchr(ap, '@', an);
            if (at)
                hs = (size_t)(at - ap) + 1;
            he = an;
            if (hs < an && ap[hs] == '[') {
                const char *rb = memchr(ap + hs, ']', an - hs);
                if (!rb)
                    return 0;
                he = (size_t)(rb - ap) + 1;
                if (he < an && ap[he] != ':')
                    return 0;
            } else {
                for (size_t q = hs; q < an; q++)
                    if (ap[q] == ':') {
                        he = q;
                        break;
                    }
            }
            if (he > hs) {
                /* a server host: letters, digits, '-' and '.' (or an IPv6
                 * literal); else the authority is registry-based: no host */
                int okhost = 1;
                for (size_t q = hs; q < he && okhost && ap[hs] != '['; q++) {
                    char c = ap[q];
                    okhost = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                }
                if (okhost)
                    u->host = (span){ap + hs, he - hs, 1};
            }
            if (he < an && ap[he] == ':') {
                size_t ps = he + 1;
                for (size_t q = ps; q < an; q++)
                    if (ap[q] < '0' || ap[q] > '9')
                        return 0;
                if (an > ps)
                    u->port = (span){ap + ps, an - ps, 1};
            }
        }
        i = e;
    }
    for (k = i; k < n && p[k] != '?'; k++)
        ;
    u->path = (span){p + i, k - i, 1};
    if (k < n)
        u->query = (span){p + k + 1, n - k - 1, 1};
    return 1;
}

enum part { U_PROTO, U_HOST, U_PORT, U_PATH, U_QUERY, U_FRAG, U_PARAM };

static lh_rc extract(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, enum part w, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        url u;
        span sp;
        lh_rc rc;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (!parse_url(lh_str_ptr(s), lh_str_len(s), &u)) {
            out_null(out, row);
            continue;
        }
        switch (w) {
        case U_PROTO:
            sp = u.scheme;
            break;
        case U_HOST:
            sp = u.host;
            break;
        case U_PORT: {
            int64_t v = 0;
            if (!u.port.set || u.port.n > 9) {
                out_null(out, row);
                continue;
            }
            for (size_t k = 0; k < u.port.n; k++)
                v = v * 10 + (u.port.p[k] - '0');
            out_i64(out, row, v);
            continue;
        }
        case U_PATH:
            sp = u.path;
            break;
        case U_QUERY:
            sp = u.query;
            break;
        case U_FRAG:
            sp = u.fragment;
            break;
        default: {
            const lh_str *nm = sarg(a[1], row);
            size_t k = 0, nn = lh_str_len(nm);
            sp.set = 0;
            while (u.query.set && k <= u.query.n) {
                size_t e = k, eq;
                while (e < u.query.n && u.query.p[e] != '&')
                    e++;
                for (eq = k; eq < e && u.query.p[eq] != '='; eq++)
                    ;
                if (eq - k == nn && !memcmp(u.query.p + k, lh_str_ptr(nm), nn)) {
                    sp = eq < e ? (span){u.query.p + eq + 1, e - eq - 1, 1} : (span){"", 0, 1};
                    break;
                }
                k = e + 1;
            }
            break;
        }
        }
        if (!sp.set) {
            out_null(out, row);
            continue;
        }
        if ((rc = put_str(c, out, row, sp.p, sp.n, err)))
            return rc;
    }
    return LH_OK;
}
#define X(NAME, W)                                                                                                     \
    static lh_rc NAME(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e)                                \
    {                                                                                                                  \
        return extract(c, a, o, r, W, e);                                                                              \
    }
X(f_proto, U_PROTO)
X(f_host, U_HOST)
X(f_port, U_PORT)
X(f_path, U_PATH)
X(f_query, U_QUERY)
X(f_frag, U_FRAG)
X(f_param, U_PARAM)

static lh_rc f_encode(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char HEX[] = "0123456789ABCDEF";
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        size_t n, m = 0, k, j = 0;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = (const unsigned char *)lh_str_ptr(s), n = lh_str_len(s);
        for (k = 0; k < n; k++) {
            unsigned char ch = p[k];
            int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                       ch == '.' || ch == '-' || ch == '*' || ch == '_' || ch == ' ';
            m += keep ? 1 : 3;
        }
        if (!(d = out_begin(c, &b, m, err)))
            return err ? err->code : LH_ENOMEM;
        for (k = 0; k < n; k++) {
            unsigned char ch = p[k];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                ch == '-' || ch == '*' || ch == '_')
                d[j++] = (char)ch;
            else if (ch == ' ')
                d[j++] = '+';
            else
                d[j++] = '%', d[j++] = HEX[ch >> 4], d[j++] = HEX[ch & 15];
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

static int hexv(unsigned char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

static lh_rc f_decode(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, k, j = 0;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        for (k = 0; k < n; k++)
            if (p[k] == '%') {
                if (n - k < 3)
                    return lh_errf(err, LH_EINVAL, "URLDecoder: Incomplete trailing escape (%%) pattern");
                if (!hexd((unsigned char)p[k + 1]) || !hexd((unsigned char)p[k + 2]))
                    return lh_errf(err, LH_EINVAL,
                                   "URLDecoder: Illegal hex characters in escape (%%) pattern - Error at index 0 in: \"%.2s\"",
                                   p + k + 1);
                k += 2;
            }
        if (!(d = out_begin(c, &b, n, err)))
            return err ? err->code : LH_ENOMEM;
        for (k = 0; k < n; k++) {
            if (p[k] == '+')
                d[j++] = ' ';
            else if (p[k] == '%') {
                d[j++] = (char)(hexv((unsigned char)p[k + 1]) << 4 | hexv((unsigned char)p[k + 2]));
                k += 2;
            } else
                d[j++] = p[k];
        }
        b.n = j;
        out_end(out, row, &b);
    }
    return LH_OK;
}

static int acc_s(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_str(r); }
static int acc_port(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_big(r); }
static int acc_param(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && ty_str(r);
}

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_url[] = {
    E("url_extract_protocol", acc_s, f_proto),
    E("url_extract_host", acc_s, f_host),
    E("url_extract_port", acc_port, f_port),
    E("url_extract_path", acc_s, f_path),
    E("url_extract_query", acc_s, f_query),
    E("url_extract_fragment", acc_s, f_frag),
    E("url_extract_parameter", acc_param, f_param),
    E("url_encode", acc_s, f_encode),
    E("url_decode", acc_s, f_decode),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
