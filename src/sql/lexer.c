#include "sql/lexer.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

void lh_lex_init(lh_lexer *lx, const char *src, size_t len, const char *file)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->file = file ? file : "<sql>";
}

static int word_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int word_char(unsigned char c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/* Advance one byte, tracking lines. */
static void adv(lh_lexer *lx)
{
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->line_start = lx->pos + 1;
    }
    lx->pos++;
}

static int peek(const lh_lexer *lx, size_t k) { return lx->pos + k < lx->len ? (unsigned char)lx->src[lx->pos + k] : -1; }

static lh_rc unterminated(lh_lexer *lx, int line, int col, const char *what, lh_err *err)
{
    return lh_errf(err, LH_EPARSE, "%s:%d:%d: unterminated %s", lx->file, line, col, what);
}

static lh_rc nul_byte(lh_lexer *lx, lh_err *err)
{
    return lh_errf(err, LH_EPARSE, "%s:%d:%d: NUL byte in SQL text", lx->file, lx->line,
                   (int)(lx->pos - lx->line_start) + 1);
}

lh_rc lh_lex_next(lh_lexer *lx, lh_token *tok, lh_err *err)
{
    int c, line, col;
    memset(tok, 0, sizeof *tok);
    /* Skip whitespace and comments. */
    for (;;) {
        c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            adv(lx);
        } else if (c == '-' && peek(lx, 1) == '-') {
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
                adv(lx);
        } else if (c == '/' && peek(lx, 1) == '*') {
            line = lx->line;
            col = (int)(lx->pos - lx->line_start) + 1;
            adv(lx);
            adv(lx);
            for (;;) {
                if (lx->pos >= lx->len)
                    return unterminated(lx, line, col, "/* comment", err);
                if (lx->src[lx->pos] == '*' && peek(lx, 1) == '/') {
                    adv(lx);
                    adv(lx);
                    break;
                }
                adv(lx);
            }
        } else {
            break;
        }
    }
    tok->off = lx->pos;
    tok->line = lx->line;
    tok->col = (int)(lx->pos - lx->line_start) + 1;
    if (lx->pos >= lx->len) {
        tok->kind = LH_TOK_EOF;
        return LH_OK;
    }
    c = peek(lx, 0);
    if (c == '\'' || c == '"' || c == '`') {
        int q = c;
        tok->kind = q == '\'' ? LH_TOK_STRING : LH_TOK_QIDENT;
        tok->backslash = q == '\'' && lx->backslash;
        adv(lx);
        for (;;) {
            if (lx->pos >= lx->len)
                return unterminated(lx, tok->line, tok->col,
                                    q == '\'' ? "string literal" : "quoted identifier", err);
            c = peek(lx, 0);
            if (c == 0)
                return nul_byte(lx, err);
            if (c == '\\' && tok->backslash && lx->pos + 1 < lx->len) {
                adv(lx);
                adv(lx);
            } else if (c == q) {
                adv(lx);
                if (peek(lx, 0) == q)
                    adv(lx); /* doubled quote: escaped */
                else
                    break;
            } else {
                adv(lx);
            }
        }
    } else if (word_start((unsigned char)c)) {
        tok->kind = LH_TOK_WORD;
        while (lx->pos < lx->len && word_char((unsigned char)lx->src[lx->pos]))
            adv(lx);
    } else if (isdigit(c) || (c == '.' && peek(lx, 1) >= 0 && isdigit(peek(lx, 1)))) {
        tok->kind = LH_TOK_NUMBER;
        while (peek(lx, 0) >= 0 && isdigit(peek(lx, 0)))
            adv(lx);
        if (peek(lx, 0) == '.') {
            adv(lx);
            while (peek(lx, 0) >= 0 && isdigit(peek(lx, 0)))
                adv(lx);
        }
        if ((peek(lx, 0) == 'e' || peek(lx, 0) == 'E') &&
            ((peek(lx, 1) >= 0 && isdigit(peek(lx, 1))) ||
             ((peek(lx, 1) == '+' || peek(lx, 1) == '-') && peek(lx, 2) >= 0 && isdigit(peek(lx, 2))))) {
            adv(lx);
            adv(lx);
            while (peek(lx, 0) >= 0 && isdigit(peek(lx, 0)))
                adv(lx);
        }
    } else if (c == 0) {
        return nul_byte(lx, err);
    } else {
        tok->kind = LH_TOK_PUNCT;
        adv(lx);
    }
    tok->len = lx->pos - tok->off;
    return LH_OK;
}

char *lh_tok_value(const char *src, const lh_token *t)
{
    const char *p = src + t->off;
    char *out, *o;
    size_t i, n;
    if (t->kind != LH_TOK_STRING && t->kind != LH_TOK_QIDENT)
        return lh_strndup(p, t->len);
    n = t->len >= 2 ? t->len - 2 : 0; /* contents between the quotes */
    out = lh_malloc(n + 1);
    if (!out)
        return NULL;
    o = out;
    for (i = 1; i <= n; i++) {
        char c = p[i];
        if (t->backslash && c == '\\' && i + 1 <= n) {
            char e = p[++i];
            switch (e) {
            case '\'': case '"': case '\\': *o++ = e; break;
            case 'n': *o++ = '\n'; break;
            case 't': *o++ = '\t'; break;
            case 'r': *o++ = '\r'; break;
            case 'b': *o++ = '\b'; break;
            case 'Z': *o++ = '\032'; break;
            default: /* \% \_ and anything else are kept verbatim */
                *o++ = '\\';
                *o++ = e;
                break;
            }
        } else if (c == p[0] && i + 1 <= n && p[i + 1] == p[0]) {
            *o++ = c;
            i++;
        } else {
            *o++ = c;
        }
    }
    *o = 0;
    return out;
}

int lh_tok_is(const char *src, const lh_token *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->kind == LH_TOK_WORD && t->len == n && strncasecmp(src + t->off, kw, n) == 0;
}

int lh_tok_punct(const char *src, const lh_token *t, char c)
{
    return t->kind == LH_TOK_PUNCT && src[t->off] == c;
}
