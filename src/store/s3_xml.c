/* store/s3_xml.c — S3 wire-format helpers: a tolerant XML scanner for the
 * few responses we read, SigV4 canonical encoding, the retry policy.
 * See s3_xml.h. */
#include "store/s3_xml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/types.h"

/* ---- XML scanning ---- */

static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    if (p >= end)
        return NULL;
    return memmem(p, (size_t)(end - p), needle, n);
}

static int name_end(char c) { return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Skip a markup construct at lt that is not an element start: comment,
 * CDATA, processing instruction, declaration or end tag.  NULL when it is
 * an element start; end when the construct is unterminated. */
static const char *skip_markup(const char *lt, const char *end)
{
    const char *q;
    size_t left = (size_t)(end - lt);
    if (left >= 4 && !memcmp(lt, "<!--", 4)) {
        q = find(lt + 4, end, "-->");
        return q ? q + 3 : end;
    }
    if (left >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
        q = find(lt + 9, end, "]]>");
        return q ? q + 3 : end;
    }
    if (left >= 2 && (lt[1] == '?' || lt[1] == '!' || lt[1] == '/')) {
        q = memchr(lt, '>', left);
        return q ? q + 1 : end;
    }
    return NULL;
}

lh_rc lh_xml_next(const char **pos, const char *end, const char *tag, const char **body, size_t *body_len)
{
    const char *p = *pos;
    size_t tl = strlen(tag);
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p)), *gt, *skip;
        if (!lt)
            return LH_ENOTFOUND;
        skip = skip_markup(lt, end);
        if (skip) {
            p = skip;
            continue;
        }
        if ((size_t)(end - lt - 1) < tl + 1 || memcmp(lt + 1, tag, tl) != 0 || !name_end(lt[1 + tl])) {
            p = lt + 1;
            continue;
        }
        gt = memchr(lt + 1 + tl, '>', (size_t)(end - lt - 1 - tl));
        if (!gt)
            return LH_EPARSE;
        if (gt[-1] == '/') { /* <tag/> */
            *body = gt + 1;
            *body_len = 0;
            *pos = gt + 1;
            return LH_OK;
        }
        for (p = gt + 1;;) { /* the matching end tag: "</tag" then blanks then '>' */
            const char *c = find(p, end, "</"), *q;
            if (!c)
                return LH_EPARSE;
            if ((size_t)(end - c - 2) >= tl && !memcmp(c + 2, tag, tl)) {
                q = c + 2 + tl;
                while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
                    q++;
                if (q < end && *q == '>') {
                    *body = gt + 1;
                    *body_len = (size_t)(c - (gt + 1));
                    *pos = q + 1;
                    return LH_OK;
                }
            }
            p = c + 2;
        }
    }
    return LH_ENOTFOUND;
}

static lh_rc put_utf8(lh_buf *b, unsigned long cp, lh_err *err)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return lh_buf_append(b, u, n, err);
}

lh_rc lh_xml_text(const char *s, size_t n, char **out, lh_err *err)
{
    lh_buf b;
    const char *p = s, *end = s + n;
    lh_rc rc = LH_OK;
    *out = NULL;
    lh_buf_init(&b, 0);
    while (p < end && !rc) {
        if (*p == '&') {
            const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
            size_t el;
            if (!semi) {
                rc = lh_errf(err, LH_EPARSE, "XML text: '&' without a ';' within 12 bytes");
                break;
            }
            el = (size_t)(semi - p - 1);
            if (el == 3 && !memcmp(p + 1, "amp", 3))
                rc = lh_buf_putc(&b, '&', err);
            else if (el == 2 && !memcmp(p + 1, "lt", 2))
                rc = lh_buf_putc(&b, '<', err);
            else if (el == 2 && !memcmp(p + 1, "gt", 2))
                rc = lh_buf_putc(&b, '>', err);
            else if (el == 4 && !memcmp(p + 1, "quot", 4))
                rc = lh_buf_putc(&b, '"', err);
            else if (el == 4 && !memcmp(p + 1, "apos", 4))
                rc = lh_buf_putc(&b, '\'', err);
            else if (el >= 1 && p[1] == '#') {
                int hex = p[2] == 'x' || p[2] == 'X';
                const char *ds = p + 2 + hex;
                char *ep;
                unsigned long cp;
                if (ds == semi || !(hex ? strchr("0123456789abcdefABCDEF", *ds) : strchr("0123456789", *ds))) {
                    rc = lh_errf(err, LH_EPARSE, "XML text: malformed character reference \"%.*s\"",
                                 (int)(semi - p + 1), p);
                    break;
                }
                cp = strtoul(ds, &ep, hex ? 16 : 10);
                if (ep != semi || cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                    rc = lh_errf(err, LH_EPARSE, "XML text: bad character reference \"%.*s\"", (int)(semi - p + 1),
                                 p);
                    break;
                }
                rc = put_utf8(&b, cp, err);
            } else {
                rc = lh_errf(err, LH_EPARSE, "XML text: unknown entity \"%.*s\"", (int)(semi - p + 1), p);
                break;
            }
            p = semi + 1;
        } else if (*p == '<') {
            const char *q;
            if ((size_t)(end - p) < 9 || memcmp(p, "<![CDATA[", 9) != 0) {
                rc = lh_errf(err, LH_EPARSE, "XML text: unexpected markup '<' inside a text element");
                break;
            }
            q = find(p + 9, end, "]]>");
            if (!q) {
                rc = lh_errf(err, LH_EPARSE, "XML text: unterminated CDATA section");
                break;
            }
            rc = lh_buf_append(&b, p + 9, (size_t)(q - p - 9), err);
            p = q + 3;
        } else if (*p == 0) {
            rc = lh_errf(err, LH_EPARSE, "XML text: NUL byte");
        } else {
            const char *q = p;
            while (q < end && *q != '&' && *q != '<' && *q != 0)
                q++;
            rc = lh_buf_append(&b, p, (size_t)(q - p), err);
            p = q;
        }
    }
    if (!rc) {
        *out = b.len ? lh_buf_detach(&b) : lh_strdup("");
        if (!*out)
            rc = lh_errf(err, LH_ENOMEM, "out of memory decoding XML text");
    }
    lh_buf_free(&b);
    return rc;
}

lh_rc lh_xml_escape(lh_buf *out, const char *s, lh_err *err)
{
    lh_rc rc = LH_OK;
    for (; *s && !rc; s++) {
        switch (*s) {
        case '&': rc = lh_buf_puts(out, "&amp;", err); break;
        case '<': rc = lh_buf_puts(out, "&lt;", err); break;
        case '>': rc = lh_buf_puts(out, "&gt;", err); break;
        default: rc = lh_buf_putc(out, *s, err); break;
        }
    }
    return rc;
}

/* Text of the first <tag> in [p, end): *out NULL when absent. */
static lh_rc child_text(const char *p, const char *end, const char *tag, const char *what, char **out, lh_err *err)
{
    const char *body;
    size_t bl;
    lh_rc rc = lh_xml_next(&p, end, tag, &body, &bl);
    *out = NULL;
    if (rc == LH_ENOTFOUND)
        return LH_OK;
    if (rc)
        return lh_errf(err, LH_EPARSE, "%s: element <%s> is not closed", what, tag);
    rc = lh_xml_text(body, bl, out, err);
    if (rc && err)
        lh_err_prefix(err, "%s: <%s>", what, tag);
    return rc;
}

void lh_s3_list_result_free(lh_s3_list_result *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        lh_free(r->items[i].key);
    lh_free(r->items);
    lh_free(r->next_token);
    memset(r, 0, sizeof *r);
}

static lh_rc parse_contents(const char *p, const char *end, lh_s3_list_item *it, lh_err *err)
{
    static const char what[] = "ListObjectsV2 response: <Contents>";
    char *size = NULL, *lm = NULL, *ep;
    lh_rc rc = child_text(p, end, "Key", what, &it->key, err);
    if (!rc && !it->key)
        rc = lh_errf(err, LH_EPARSE, "%s without a <Key>", what);
    if (!rc)
        rc = child_text(p, end, "Size", what, &size, err);
    if (!rc && size) {
        errno = 0;
        it->size = strtoull(size, &ep, 10);
        if (!*size || *ep || size[0] == '-' || errno == ERANGE)
            rc = lh_errf(err, LH_EPARSE, "%s <Size> \"%.40s\" of key \"%.200s\" is not a byte count", what, size,
                         it->key);
    }
    if (!rc)
        rc = child_text(p, end, "LastModified", what, &lm, err);
    if (!rc && lm && lh_parse_timestamp_ms(lm, strlen(lm), &it->mtime_ms) != 0)
        it->mtime_ms = 0; /* tolerated: the time is informational */
    if (rc) {
        lh_free(it->key);
        it->key = NULL;
    }
    lh_free(size);
    lh_free(lm);
    return rc;
}

lh_rc lh_s3_parse_list(const char *xml, size_t n, lh_s3_list_result *out, lh_err *err)
{
    static const char what[] = "ListObjectsV2 response";
    const char *p = xml, *end = xml + n, *root, *body;
    size_t rl, bl, cap = 0;
    char *trunc = NULL;
    lh_rc rc;
    memset(out, 0, sizeof *out);
    rc = lh_xml_next(&p, end, "ListBucketResult", &root, &rl);
    if (rc) {
        rc = lh_errf(err, LH_EPARSE, "%s: %s", what,
                     rc == LH_ENOTFOUND ? "no <ListBucketResult> element" : "<ListBucketResult> is not closed");
        goto out;
    }
    end = root + rl;
    for (p = root;;) {
        lh_s3_list_item it = {0};
        rc = lh_xml_next(&p, end, "Contents", &body, &bl);
        if (rc == LH_ENOTFOUND) {
            rc = LH_OK;
            break;
        }
        if (rc) {
            rc = lh_errf(err, LH_EPARSE, "%s: <Contents> is not closed", what);
            goto out;
        }
        rc = parse_contents(body, body + bl, &it, err);
        if (rc)
            goto out;
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            lh_s3_list_item *ni = lh_realloc(out->items, nc * sizeof *ni);
            if (!ni) {
                lh_free(it.key);
                rc = lh_errf(err, LH_ENOMEM, "%s: out of memory", what);
                goto out;
            }
            out->items = ni;
            cap = nc;
        }
        out->items[out->n++] = it;
    }
    rc = child_text(root, end, "IsTruncated", what, &trunc, err);
    if (!rc)
        rc = child_text(root, end, "NextContinuationToken", what, &out->next_token, err);
    if (rc)
        goto out;
    out->truncated = trunc && !strcmp(trunc, "true");
    if (out->truncated && (!out->next_token || !*out->next_token)) {
        rc = lh_errf(err, LH_EPARSE, "%s: <IsTruncated> is true but there is no <NextContinuationToken>", what);
        goto out;
    }
    if (!out->truncated) { /* a token on the last page would loop forever */
        lh_free(out->next_token);
        out->next_token = NULL;
    }
out:
    lh_free(trunc);
    if (rc)
        lh_s3_list_result_free(out);
    return rc;
}

lh_rc lh_s3_parse_upload_id(const char *xml, size_t n, char **upload_id, lh_err *err)
{
    static const char what[] = "CreateMultipartUpload response";
    const char *p = xml, *root;
    size_t rl;
    lh_rc rc;
    *upload_id = NULL;
    rc = lh_xml_next(&p, xml + n, "InitiateMultipartUploadResult", &root, &rl);
    if (rc)
        return lh_errf(err, LH_EPARSE, "%s: %s", what,
                       rc == LH_ENOTFOUND ? "no <InitiateMultipartUploadResult> element"
                                          : "<InitiateMultipartUploadResult> is not closed");
    rc = child_text(root, root + rl, "UploadId", what, upload_id, err);
    if (!rc && (!*upload_id || !**upload_id)) {
        lh_free(*upload_id);
        *upload_id = NULL;
        rc = lh_errf(err, LH_EPARSE, "%s: no <UploadId>", what);
    }
    return rc;
}

lh_rc lh_s3_parse_error(const char *xml, size_t n, char **code, char **message, lh_err *err)
{
    static const char what[] = "S3 error response";
    const char *p = xml, *root;
    size_t rl;
    lh_rc rc;
    *code = *message = NULL;
    if (!xml || !n)
        return LH_ENOTFOUND;
    rc = lh_xml_next(&p, xml + n, "Error", &root, &rl);
    if (rc == LH_ENOTFOUND)
        return rc;
    if (rc)
        return lh_errf(err, LH_EPARSE, "%s: <Error> is not closed", what);
    rc = child_text(root, root + rl, "Code", what, code, err);
    if (!rc)
        rc = child_text(root, root + rl, "Message", what, message, err);
    if (rc) {
        lh_free(*code);
        lh_free(*message);
        *code = *message = NULL;
    }
    return rc;
}

/* ---- canonical encoding ---- */

lh_rc lh_s3_uri_encode(lh_buf *out, const char *s, size_t n, int keep_slash, lh_err *err)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    lh_rc rc = lh_buf_reserve(out, n, err);
    for (i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || (c == '/' && keep_slash)) {
            rc = lh_buf_putc(out, (char)c, err);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = lh_buf_append(out, e, 3, err);
        }
    }
    return rc;
}

typedef struct qpair {
    char *k, *v;
} qpair;

static int qpair_cmp(const void *a, const void *b)
{
    const qpair *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : strcmp(x->v, y->v);
}

static char *encode_dup(const char *s, lh_err *err)
{
    lh_buf b;
    char *r = NULL;
    lh_buf_init(&b, 0);
    if (lh_s3_uri_encode(&b, s, strlen(s), 0, err) == LH_OK)
        r = b.len ? lh_buf_detach(&b) : lh_strdup("");
    lh_buf_free(&b);
    return r;
}

lh_rc lh_s3_canonical_query(lh_buf *out, const char *const *kv, size_t npairs, lh_err *err)
{
    qpair *q = NULL;
    size_t i;
    lh_rc rc = LH_OK;
    if (!npairs)
        return LH_OK;
    q = lh_calloc(npairs, sizeof *q);
    if (!q)
        return lh_errf(err, LH_ENOMEM, "out of memory building a query string");
    for (i = 0; i < npairs; i++) {
        q[i].k = encode_dup(kv[2 * i], err);
        q[i].v = q[i].k ? encode_dup(kv[2 * i + 1] ? kv[2 * i + 1] : "", err) : NULL;
        if (!q[i].k || !q[i].v) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory building a query string");
            goto out;
        }
    }
    qsort(q, npairs, sizeof *q, qpair_cmp);
    for (i = 0; i < npairs && !rc; i++)
        rc = lh_buf_printf(out, err, "%s%s=%s", i ? "&" : "", q[i].k, q[i].v);
out:
    for (i = 0; i < npairs; i++) { /* calloc'd: unset entries are NULL */
        lh_free(q[i].k);
        lh_free(q[i].v);
    }
    lh_free(q);
    return rc;
}

/* ---- retry policy ---- */

int lh_s3_http_retryable(long status, const char *code)
{
    if (code && (!strcmp(code, "SlowDown") || !strcmp(code, "RequestTimeout") || !strcmp(code, "InternalError") ||
                 !strcmp(code, "ServiceUnavailable") || !strcmp(code, "Throttling") ||
                 !strcmp(code, "ThrottlingException")))
        return 1;
    return status == 429 || (status >= 500 && status <= 599);
}

uint64_t lh_s3_backoff_ms(unsigned attempt, uint64_t base_ms, uint64_t cap_ms, uint64_t rnd)
{
    uint64_t ceil = base_ms;
    unsigned i;
    for (i = 0; i < attempt && ceil < cap_ms; i++)
        ceil = ceil > UINT64_MAX / 2 ? UINT64_MAX : ceil * 2;
    if (ceil > cap_ms)
        ceil = cap_ms;
    return ceil == UINT64_MAX ? rnd : rnd % (ceil + 1);
}

lh_rc lh_s3_status_rc(long status, const char *code)
{
    static const char *const auth[] = {"AccessDenied",          "SignatureDoesNotMatch", "InvalidAccessKeyId",
                                       "ExpiredToken",          "InvalidToken",          "TokenRefreshRequired",
                                       "RequestTimeTooSkewed",  "AuthorizationHeaderMalformed",
                                       "XAmzContentSHA256Mismatch", "InvalidSecurity",  "AllAccessDisabled",
                                       "AccountProblem"};
    size_t i;
    for (i = 0; code && i < sizeof auth / sizeof *auth; i++)
        if (!strcmp(code, auth[i]))
            return LH_EAUTH;
    if (code && (!strcmp(code, "NoSuchKey") || !strcmp(code, "NoSuchBucket") || !strcmp(code, "NoSuchUpload")))
        return LH_ENOTFOUND;
    if (status == 401 || status == 403)
        return LH_EAUTH;
    if (status == 404)
        return LH_ENOTFOUND;
    if (status == 400 || (status >= 300 && status < 400))
        return LH_EINVAL;
    return LH_EIO;
}
