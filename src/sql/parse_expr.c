/* sql/parse_expr.c — expressions: Trino's booleanExpression,
 * predicate, valueExpression and primaryExpression rules, by precedence
 * climbing (one function per level, left-associative loops). */
#include "sql/parse_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static N *bin(lh_parser *p, lh_ast_kind kind, int op, lh_pos pos, N *l, N *r)
{
    N *n;
    if (!l || !r)
        return NULL;
    if (!(n = mk(p, kind, pos)))
        return NULL;
    n->op = op;
    n->kid[0] = l;
    n->kid[1] = r;
    return fin(p, n);
}

/* ---- literals ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode U&'...' contents in place (escape char esc). 0 on a bad escape. */
static int unicode_decode(char *s, size_t *len, char esc)
{
    size_t r = 0, w = 0, n = *len;
    while (r < n) {
        if (s[r] != esc) {
            s[w++] = s[r++];
            continue;
        }
        if (r + 1 < n && s[r + 1] == esc) {
            s[w++] = esc;
            r += 2;
            continue;
        }
        {
            int digits = 4, i;
            unsigned long cp = 0;
            r++;
            if (r < n && s[r] == '+') {
                digits = 6;
                r++;
            }
            if (r + (size_t)digits > n)
                return 0;
            for (i = 0; i < digits; i++) {
                int v = hexval((unsigned char)s[r + i]);
                if (v < 0)
                    return 0;
                cp = cp * 16 + (unsigned long)v;
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
                return 0;
            r += (size_t)digits;
            /* an escape is 5 or 8 bytes of input and at most 4 of output */
            w += utf8_put(s + w, cp);
        }
    }
    s[w] = 0;
    *len = w;
    return 1;
}

/* string: STRING (UESCAPE is only for U&'...') | U&'...' (UESCAPE STRING)? */
N *parse_string_lit(lh_parser *p)
{
    const lh_token *t;
    lh_pos pos = tpos(p, 0);
    int unicode = 0;
    N *n;
    char *o;
    size_t r, w, inner;
    if (ptok(p, 0)->kind == LH_TOK_WORD) { /* U&'...' */
        unicode = 1;
        p->i += 2;
    }
    t = ptok(p, 0);
    if (t->kind != LH_TOK_STRING)
        return perr_expect(p, "<string>");
    inner = t->len - 2;
    if (!(n = mk(p, LH_AST_STRING, pos)) || !(o = pstrndup(p, p->src + t->off + 1, inner)))
        return NULL;
    for (r = 0, w = 0; r < inner; r++) {
        o[w++] = o[r];
        if (o[r] == '\'' && r + 1 < inner && o[r + 1] == '\'')
            r++;
    }
    o[w] = 0;
    p->i++;
    if (unicode) {
        char esc = '\\';
        n->flags |= LH_AST_F_UNICODE;
        if (pkw(p, 0, "UESCAPE")) {
            const lh_token *e = ptok(p, 1);
            char c;
            if (e->kind != LH_TOK_STRING || e->len != 3)
                return perr_at(p, LH_EPARSE, tpos(p, 1), "UESCAPE takes a one-character string");
            c = p->src[e->off + 1];
            if (hexval((unsigned char)c) >= 0 || c == '+' || c == '"' || c == '\'' || isspace((unsigned char)c))
                return perr_at(p, LH_EPARSE, tpos(p, 1), "invalid Unicode escape character '%c'", c);
            esc = c;
            p->i += 2;
        }
        if (!unicode_decode(o, &w, esc))
            return perr_at(p, LH_EPARSE, pos, "invalid Unicode escape in U&'...' (use \\XXXX or \\+XXXXXX, hex)");
    } else if (pkw(p, 0, "UESCAPE")) {
        return perr_at(p, LH_EPARSE, tpos(p, 0), "UESCAPE follows only a U&'...' string");
    }
    n->text = o;
    n->ival = (long)w;
    return n;
}

static int is_unicode_start_at(const lh_parser *p, size_t k)
{
    const lh_token *u = ptok(p, k), *a = ptok(p, k + 1), *s = ptok(p, k + 2);
    return u->kind == LH_TOK_WORD && u->len == 1 && (p->src[u->off] == 'u' || p->src[u->off] == 'U') &&
           lh_tok_punct(p->src, a, '&') && a->off == u->off + 1 && s->kind == LH_TOK_STRING && s->off == a->off + 1;
}

static int is_unicode_start(const lh_parser *p) { return is_unicode_start_at(p, 0); }
static int is_string_start_at(const lh_parser *p, size_t k)
{
    return ptok(p, k)->kind == LH_TOK_STRING || is_unicode_start_at(p, k);
}
static int is_string_start(const lh_parser *p) { return is_string_start_at(p, 0); }

/* X'...' */
static N *binary_lit(lh_parser *p)
{
    const lh_token *s = ptok(p, 1);
    lh_pos pos = tpos(p, 0);
    N *n = mk(p, LH_AST_BINARY_LIT, pos);
    char *o;
    size_t i, w = 0;
    if (!n || !(o = pstrndup(p, p->src + s->off + 1, s->len - 2)))
        return NULL;
    for (i = 0; i + 2 < s->len; i++) {
        char c = p->src[s->off + 1 + i];
        if (isspace((unsigned char)c))
            continue;
        if (hexval((unsigned char)c) < 0)
            return perr_at(p, LH_EPARSE, pos, "binary literal can only contain hexadecimal digits");
        o[w++] = (char)tolower((unsigned char)c);
    }
    o[w] = 0;
    if (w % 2)
        return perr_at(p, LH_EPARSE, pos, "binary literal must contain an even number of digits");
    n->text = o;
    p->i += 2;
    return n;
}

static N *number(lh_parser *p)
{
    const lh_token *t = ptok(p, 0);
    N *n = mk(p, LH_AST_NUMBER, tpos(p, 0));
    const char *raw = p->src + t->off;
    char *txt;
    if (!n || !(txt = pstrndup(p, raw, t->len)))
        return NULL;
    n->text = txt;
    if (memchr(raw, '_', t->len) || (t->len > 2 && raw[0] == '0' && strchr("xXoObB", raw[1]))) {
        /* the text as plain decimal digits: underscores dropped, 0x/0o/0b converted */
        size_t i, w = 0;
        for (i = 0; i < t->len; i++)
            if (raw[i] != '_')
                txt[w++] = raw[i];
        txt[w] = 0;
        if (w > 2 && n->text[0] == '0' && strchr("xXoObB", n->text[1])) {
            int base = n->text[1] == 'x' || n->text[1] == 'X' ? 16 : n->text[1] == 'o' || n->text[1] == 'O' ? 8 : 2;
            unsigned long long v = 0;
            for (i = 2; i < w; i++) {
                int c = (unsigned char)n->text[i];
                int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
                if (v > (9223372036854775807ULL - (unsigned)d) / (unsigned)base)
                    return perr_at(p, LH_EPARSE, tpos(p, 0), "Invalid numeric literal: %.*s", (int)t->len, raw);
                v = v * (unsigned)base + (unsigned)d;
            }
            {
                char buf[24];
                int len = snprintf(buf, sizeof buf, "%llu", v);
                if (!(n->text = pstrndup(p, buf, (size_t)len)))
                    return NULL;
            }
            n->op = LH_LIT_INTEGER;
            p->i++;
            return n;
        }
    }
    if (strchr(n->text, 'e') || strchr(n->text, 'E'))
        n->op = LH_LIT_DOUBLE;
    else if (strchr(n->text, '.'))
        n->op = LH_LIT_DECIMAL;
    else
        n->op = LH_LIT_INTEGER;
    p->i++;
    return n;
}

static int ivfield(const lh_parser *p, size_t k)
{
    static const char *const F[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    int i;
    for (i = 0; i < 6; i++)
        if (pkw(p, k, F[i]))
            return i + 1;
    return 0;
}

/* interval: INTERVAL sign=(PLUS | MINUS)? string from=intervalField (TO to=intervalField)? */
static N *interval_lit(lh_parser *p)
{
    N *n = mk(p, LH_AST_INTERVAL, tpos(p, 0)), *s;
    if (!n)
        return NULL;
    p->i++;
    n->ival = 1;
    if (accept_punct(p, '-'))
        n->ival = -1;
    else
        accept_punct(p, '+');
    if (!(s = parse_string_lit(p)))
        return NULL;
    n->text = s->text;
    if (!(n->op = ivfield(p, 0)))
        return perr_expect(p, "'DAY', 'HOUR', 'MINUTE', 'MONTH', 'SECOND', 'YEAR'");
    p->i++;
    if (accept_kw(p, "TO")) {
        if (!(n->ival2 = ivfield(p, 0)))
            return perr_expect(p, "'DAY', 'HOUR', 'MINUTE', 'MONTH', 'SECOND', 'YEAR'");
        p->i++;
    }
    return n;
}

/* ---- calls and special forms ---- */

static N *call_node(lh_parser *p, const char *name, lh_pos pos)
{
    N *c = mk(p, LH_AST_CALL, pos), *nm, *id;
    size_t base = p->sp;
    if (!c || !(nm = mk(p, LH_AST_NAME, pos)) || !(id = mk(p, LH_AST_IDENT, pos)))
        return NULL;
    id->name = id->orig = name;
    if (!push(p, id) || !list_from(p, nm, 0, base))
        return NULL;
    c->kid[0] = nm;
    return c;
}

/* filter? (nullTreatment? over)? after a call's ')' */
static N *call_suffix(lh_parser *p, N *c)
{
    if (pkw(p, 0, "FILTER") && ppunct(p, 1, '(')) {
        p->i += 2;
        if (!expect_kw(p, "WHERE") || !(c->kid[1] = parse_expr(p)) || !expect_punct(p, ')', NULL))
            return NULL;
    }
    if ((pkw(p, 0, "IGNORE") || pkw(p, 0, "RESPECT")) && pkw(p, 1, "NULLS") && pkw(p, 2, "OVER")) {
        c->flags |= pkw(p, 0, "IGNORE") ? LH_AST_F_IGNORE_NULLS : LH_AST_F_RESPECT_NULLS;
        p->i += 2;
    }
    if (pkw(p, 0, "OVER") && (ppunct(p, 1, '(') || pident_like(p, 1))) {
        p->i++;
        if (accept_punct(p, '(')) {
            if (!(c->kid[2] = parse_window_spec(p)) || !expect_punct(p, ')', NULL))
                return NULL;
        } else if (!(c->kid[2] = parse_ident(p))) {
            return NULL;
        }
    }
    return fin(p, c);
}

/* qualifiedName '(' ASTERISK ')' | qualifiedName '(' (setQuantifier? expression (',' expression)*)?
 * (ORDER BY sortItem (',' sortItem)*)? ')', then filter / over */
static N *function_call(lh_parser *p, N *name)
{
    N *c = mk(p, LH_AST_CALL, name->pos);
    size_t base = p->sp;
    int substring = name->list[0].n == 1 && strcmp(name->list[0].items[0]->name, "substring") == 0;
    int overlay = name->list[0].n == 1 && strcmp(name->list[0].items[0]->name, "overlay") == 0;
    if (!c)
        return NULL;
    c->kid[0] = name;
    p->i++; /* '(' */
    if (ppunct(p, 0, '*') && ppunct(p, 1, ')')) {
        N *s = mk(p, LH_AST_STAR, tpos(p, 0));
        if (!push(p, s) || !list_from(p, c, 0, base))
            return NULL;
        p->i += 2;
        return call_suffix(p, c);
    }
    if (!ppunct(p, 0, ')')) {
        if (accept_kw(p, "DISTINCT"))
            c->flags |= LH_AST_F_DISTINCT;
        else if (pkw(p, 0, "ALL") && !ppunct(p, 1, ')') && !ppunct(p, 1, ','))
            p->i++, c->flags |= LH_AST_F_ALL;
        do {
            if (!push(p, parse_expr(p)))
                goto fail;
            if (overlay && p->sp - base == 1 && accept_kw(p, "PLACING")) {
                /* OVERLAY(x PLACING r FROM a [FOR b]) is overlay(x, r, a [, b]) */
                if (!push(p, parse_value_expr(p)) || !expect_kw(p, "FROM") || !push(p, parse_value_expr(p)))
                    goto fail;
                if (accept_kw(p, "FOR") && !push(p, parse_value_expr(p)))
                    goto fail;
                break;
            }
            if (substring && p->sp - base == 1 && accept_kw(p, "FROM")) {
                /* SUBSTRING(x FROM a [FOR b]) is substring(x, a [, b]) */
                if (!push(p, parse_value_expr(p)))
                    goto fail;
                if (accept_kw(p, "FOR") && !push(p, parse_value_expr(p)))
                    goto fail;
                break;
            }
        } while (accept_punct(p, ','));
        if (!list_from(p, c, 0, base))
            goto fail;
        if (pkw(p, 0, "ORDER")) {
            size_t b2 = p->sp;
            p->i++;
            if (!expect_kw(p, "BY"))
                goto fail;
            do {
                if (!push(p, parse_sort_item(p)))
                    goto fail;
            } while (accept_punct(p, ','));
            if (!list_from(p, c, 1, b2))
                goto fail;
        }
    }
    if (!expect_punct(p, ')', c->list[1].n ? "',', ')'" : "',', ')', 'ORDER'"))
        goto fail;
    return call_suffix(p, c);
fail:
    p->sp = base;
    return NULL;
}

/* LISTAGG '(' setQuantifier? expression (',' string)? (ON OVERFLOW ERROR)? ')'
 * WITHIN GROUP '(' ORDER BY sortItem (',' sortItem)* ')' filter?
 * → a call listagg(expression, separator) (separator '' when absent, as
 * Trino) with the ORDER BY in list1.  ON OVERFLOW TRUNCATE is refused. */
static N *listagg_form(lh_parser *p, lh_pos pos)
{
    N *c = call_node(p, "listagg", pos), *sep;
    size_t base;
    if (!c)
        return NULL;
    p->i += 2; /* LISTAGG ( */
    base = p->sp;
    if (accept_kw(p, "DISTINCT"))
        c->flags |= LH_AST_F_DISTINCT;
    else if (accept_kw(p, "ALL"))
        c->flags |= LH_AST_F_ALL;
    if (!push(p, parse_expr(p)))
        goto fail;
    if (accept_punct(p, ',')) {
        if (!is_string_start(p)) { /* Trino: the separator is a string literal */
            perr_expect(p, "<string>");
            goto fail;
        }
        if (!push(p, parse_string_lit(p)))
            goto fail;
    } else {
        if (!(sep = mk(p, LH_AST_STRING, tpos(p, 0))) || !(sep->text = pstrndup(p, "", 0)) || !push(p, sep))
            goto fail;
        sep->ival = 0;
    }
    if (pkw(p, 0, "ON") && pkw(p, 1, "OVERFLOW")) {
        p->i += 2;
        if (pkw(p, 0, "TRUNCATE")) {
            p->sp = base;
            return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "LISTAGG ... ON OVERFLOW TRUNCATE is not supported yet");
        }
        if (!expect_kw(p, "ERROR"))
            goto fail;
    }
    if (!expect_punct(p, ')', "',', ')', 'ON'") || !list_from(p, c, 0, base))
        goto fail;
    if (!expect_kw(p, "WITHIN") || !expect_kw(p, "GROUP") || !expect_punct(p, '(', NULL) || !expect_kw(p, "ORDER") ||
        !expect_kw(p, "BY"))
        goto fail;
    base = p->sp;
    do {
        if (!push(p, parse_sort_item(p)))
            goto fail;
    } while (accept_punct(p, ','));
    if (!list_from(p, c, 1, base) || !expect_punct(p, ')', "',', ')'"))
        goto fail;
    return call_suffix(p, c);
fail:
    p->sp = base;
    return NULL;
}

/* TRIM '(' (BOTH | LEADING | TRAILING)? char? FROM source ')' | TRIM '(' source ',' char ')' */
static N *trim_form(lh_parser *p, lh_pos pos)
{
    const char *name = "trim";
    N *c, *a = NULL, *src = NULL, *chr = NULL;
    size_t base = p->sp;
    p->i += 2;
    if ((pkw(p, 0, "BOTH") || pkw(p, 0, "LEADING") || pkw(p, 0, "TRAILING")) && !ppunct(p, 1, ')') &&
        !ppunct(p, 1, ',')) {
        name = pkw(p, 0, "LEADING") ? "ltrim" : pkw(p, 0, "TRAILING") ? "rtrim" : "trim";
        p->i++;
    }
    if (!pkw(p, 0, "FROM") && !(a = parse_value_expr(p)))
        return NULL;
    if (accept_kw(p, "FROM")) {
        chr = a;
        if (!(src = parse_value_expr(p)))
            return NULL;
    } else if (a && accept_punct(p, ',')) {
        src = a;
        if (!(chr = parse_value_expr(p)))
            return NULL;
    } else if (a) {
        src = a;
    } else {
        return perr_expect(p, "<expression>");
    }
    if (!expect_punct(p, ')', NULL) || !(c = call_node(p, name, pos)))
        return NULL;
    if (!push(p, src) || (chr && !push(p, chr)) || !list_from(p, c, 0, base)) {
        p->sp = base;
        return NULL;
    }
    return c;
}

static N *cast_form(lh_parser *p, int try_)
{
    N *c = mk(p, LH_AST_CAST, tpos(p, 0));
    if (!c)
        return NULL;
    p->i += 2;
    if (try_)
        c->flags |= LH_AST_F_TRY;
    if (!(c->kid[0] = parse_expr(p)) || !expect_kw(p, "AS") || !(c->kid[1] = parse_type(p)) ||
        !expect_punct(p, ')', NULL))
        return NULL;
    return fin(p, c);
}

static N *case_form(lh_parser *p)
{
    N *c = mk(p, LH_AST_CASE, tpos(p, 0));
    size_t base = p->sp;
    if (!c)
        return NULL;
    p->i++;
    if (!pkw(p, 0, "WHEN") && !(c->kid[0] = parse_expr(p)))
        return NULL;
    if (!pkw(p, 0, "WHEN"))
        return perr_expect(p, "'WHEN'");
    while (pkw(p, 0, "WHEN")) {
        N *w = mk(p, LH_AST_WHEN, tpos(p, 0));
        p->i++;
        if (!w || !(w->kid[0] = parse_expr(p)) || !expect_kw(p, "THEN") || !(w->kid[1] = parse_expr(p)) ||
            !push(p, fin(p, w))) {
            p->sp = base;
            return NULL;
        }
    }
    if (!list_from(p, c, 0, base))
        return NULL;
    if (accept_kw(p, "ELSE") && !(c->kid[1] = parse_expr(p)))
        return NULL;
    if (!accept_kw(p, "END"))
        return perr_expect(p, c->kid[1] ? "'END'" : "'ELSE', 'END', 'WHEN'");
    return fin(p, c);
}

static const char *const CURRENT_FORMS[] = {"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
                                            "LOCALTIMESTAMP", "CURRENT_USER", "CURRENT_CATALOG",
                                            "CURRENT_SCHEMA", "CURRENT_PATH"};

static N *current_form(lh_parser *p, int which)
{
    N *c = mk(p, LH_AST_CURRENT, tpos(p, 0));
    const lh_token *t = ptok(p, 0);
    char *name;
    size_t i;
    if (!c || !(name = pstrndup(p, p->src + t->off, t->len)))
        return NULL;
    for (i = 0; name[i]; i++)
        name[i] = (char)tolower((unsigned char)name[i]);
    c->name = name;
    p->i++;
    /* CURRENT_TIME, CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP take (precision) */
    if (which >= 1 && which <= 4 && ppunct(p, 0, '(')) {
        const lh_token *n = ptok(p, 1);
        p->i++;
        if (n->kind != LH_TOK_NUMBER || !(c->kid[0] = mk(p, LH_AST_NUMBER, tpos(p, 0))))
            return p->rc ? NULL : perr_expect(p, "<integer>");
        if (!(c->kid[0]->text = pstrndup(p, p->src + n->off, n->len)))
            return NULL;
        c->kid[0]->op = LH_LIT_INTEGER;
        p->i++;
        if (!expect_punct(p, ')', NULL))
            return NULL;
    }
    return fin(p, c);
}

/* '(' ... ')' in an expression: subquery, lambda parameters, row, or parentheses. */
static N *paren_form(lh_parser *p)
{
    lh_pos pos = tpos(p, 0);
    size_t base = p->sp, k;
    N *e;
    if (pkw(p, 1, "SELECT") || pkw(p, 1, "WITH") || pkw(p, 1, "VALUES") || pkw(p, 1, "TABLE")) {
        N *s = mk(p, LH_AST_SUBQUERY, pos);
        p->i++;
        if (!s || !(s->kid[0] = parse_query(p)) || !expect_punct(p, ')', NULL))
            return NULL;
        return fin(p, s);
    }
    /* '(' (identifier (',' identifier)*)? ')' '->' expression */
    k = 1;
    if (!ppunct(p, 1, ')')) {
        while (pident_like(p, k) && ppunct(p, k + 1, ','))
            k += 2;
        k = pident_like(p, k) ? k + 1 : 0;
    }
    if (k && ppunct(p, k, ')') && pop2(p, k + 1, "->")) {
        N *l = mk(p, LH_AST_LAMBDA, pos);
        p->i++;
        while (l && !ppunct(p, 0, ')')) {
            if (!push(p, parse_ident(p)))
                goto fail;
            accept_punct(p, ',');
        }
        p->i += 3; /* ) -> */
        if (!l || !list_from(p, l, 0, base) || !(l->kid[0] = parse_expr(p)))
            return NULL;
        return fin(p, l);
    }
    p->i++;
    if (!(e = parse_expr(p)))
        return NULL;
    if (e->kind == LH_AST_SUBQUERY && !(e->flags & LH_AST_F_PARENS) &&
        (pkw(p, 0, "UNION") || pkw(p, 0, "EXCEPT") || pkw(p, 0, "INTERSECT") || pkw(p, 0, "ORDER") ||
         pkw(p, 0, "LIMIT") || pkw(p, 0, "OFFSET") || pkw(p, 0, "FETCH"))) {
        /* ((SELECT ...) UNION (SELECT ...)): the inner subquery starts a query */
        N *first = e->kid[0];
        if (first->kind == LH_AST_QUERY && !first->kid[0] && !first->kid[2] && !first->kid[3] &&
            !first->list[0].n)
            first = first->kid[1];
        if (!(e->kid[0] = parse_query_rest(p, first)) || !expect_punct(p, ')', NULL))
            return NULL;
        return fin(p, e);
    }
    if (accept_punct(p, ',')) {
        N *r = mk(p, LH_AST_ROW, pos);
        if (!r || !push(p, e))
            goto fail;
        do {
            if (!push(p, parse_expr(p)))
                goto fail;
        } while (accept_punct(p, ','));
        if (!expect_punct(p, ')', "',', ')'") || !list_from(p, r, 0, base))
            goto fail;
        r->flags |= LH_AST_F_PARENS;
        return r;
    }
    if (!expect_punct(p, ')', NULL))
        return NULL;
    e->flags |= LH_AST_F_PARENS;
    return e;
fail:
    p->sp = base;
    return NULL;
}

/* An expression list in parentheses after the current token: ROW(...), GROUPING(...), ARRAY[...] */
static N *list_form(lh_parser *p, lh_ast_kind kind, char close, int names)
{
    N *n = mk(p, kind, tpos(p, 0));
    size_t base = p->sp;
    if (!n)
        return NULL;
    p->i += 2;
    if (!ppunct(p, 0, close) || kind == LH_AST_ROW) {
        do {
            if (!push(p, names ? parse_qname(p) : parse_expr(p))) {
                p->sp = base;
                return NULL;
            }
        } while (accept_punct(p, ','));
    }
    if (!expect_punct(p, close, close == ')' ? "',', ')'" : "',', ']'")) {
        p->sp = base;
        return NULL;
    }
    return list_from(p, n, 0, base) ? n : NULL;
}

static N *word_form(lh_parser *p)
{
    const lh_token *t = ptok(p, 0);
    lh_pos pos = tpos(p, 0);
    size_t i;
    N *n;
    if (t->kind == LH_TOK_WORD && t->len == 1 && (p->src[t->off] == 'x' || p->src[t->off] == 'X') &&
        ptok(p, 1)->kind == LH_TOK_STRING && ptok(p, 1)->off == t->off + 1)
        return binary_lit(p);
    if (is_unicode_start(p))
        return parse_string_lit(p);
    if (t->kind == LH_TOK_WORD && lh_sql_is_reserved(p->src + t->off, t->len)) {
        if (accept_kw(p, "NULL"))
            return mk(p, LH_AST_NULL, pos);
        if (pkw(p, 0, "TRUE") || pkw(p, 0, "FALSE")) {
            if ((n = mk(p, LH_AST_BOOL, pos)))
                n->ival = pkw(p, 0, "TRUE");
            p->i++;
            return n;
        }
        if (pkw(p, 0, "CASE"))
            return case_form(p);
        if (pkw(p, 0, "CAST") && ppunct(p, 1, '('))
            return cast_form(p, 0);
        if (pkw(p, 0, "EXISTS") && ppunct(p, 1, '(')) {
            n = mk(p, LH_AST_EXISTS, pos);
            p->i += 2;
            if (!n || !(n->kid[0] = parse_query(p)) || !expect_punct(p, ')', NULL))
                return NULL;
            return fin(p, n);
        }
        if (pkw(p, 0, "EXTRACT") && ppunct(p, 1, '(')) {
            n = mk(p, LH_AST_EXTRACT, pos);
            p->i += 2;
            if (!n || !(n->kid[0] = parse_ident(p)) || !expect_kw(p, "FROM") || !(n->kid[1] = parse_value_expr(p)) ||
                !expect_punct(p, ')', NULL))
                return NULL;
            return fin(p, n);
        }
        for (i = 0; i < sizeof CURRENT_FORMS / sizeof CURRENT_FORMS[0]; i++)
            if (pkw(p, 0, CURRENT_FORMS[i]))
                return current_form(p, (int)i);
        if (pkw(p, 0, "GROUPING") && ppunct(p, 1, '('))
            return list_form(p, LH_AST_GROUPING_OP, ')', 1);
        if (pkw(p, 0, "TRIM") && ppunct(p, 1, '('))
            return trim_form(p, pos);
        if (pkw(p, 0, "NORMALIZE") && ppunct(p, 1, '(')) {
            size_t base = p->sp;
            N *c = call_node(p, "normalize", pos);
            p->i += 2;
            if (!c || !push(p, parse_value_expr(p)))
                goto fail;
            if (accept_punct(p, ',')) {
                N *f = mk(p, LH_AST_STRING, tpos(p, 0));
                if (!f || !(pkw(p, 0, "NFC") || pkw(p, 0, "NFD") || pkw(p, 0, "NFKC") || pkw(p, 0, "NFKD"))) {
                    if (f)
                        perr_expect(p, "'NFC', 'NFD', 'NFKC', 'NFKD'");
                    goto fail;
                }
                if (!(f->text = pstrndup(p, p->src + ptok(p, 0)->off, ptok(p, 0)->len)))
                    goto fail;
                for (i = 0; f->text[i]; i++)
                    ((char *)f->text)[i] = (char)toupper((unsigned char)f->text[i]);
                f->ival = (long)i;
                p->i++;
                if (!push(p, f))
                    goto fail;
            }
            if (!expect_punct(p, ')', NULL) || !list_from(p, c, 0, base))
                goto fail;
            return c;
        fail:
            p->sp = base;
            return NULL;
        }
        if (pkw(p, 0, "LISTAGG") && ppunct(p, 1, '('))
            return listagg_form(p, pos);
        if (pkw(p, 0, "LISTAGG") || (t->len > 5 && strncasecmp(p->src + t->off, "JSON_", 5) == 0))
            return perr_at(p, LH_EUNSUPPORTED, pos, "%.*s is not supported yet", (int)t->len, p->src + t->off);
        return perr_expect(p, "<expression>");
    }
    if (t->kind == LH_TOK_WORD) {
        if (pkw(p, 0, "TRY_CAST") && ppunct(p, 1, '('))
            return cast_form(p, 1);
        if (pkw(p, 0, "INTERVAL") &&
            (is_string_start_at(p, 1) || ((ppunct(p, 1, '-') || ppunct(p, 1, '+')) && ptok(p, 2)->kind == LH_TOK_STRING)))
            return interval_lit(p);
        if (pkw(p, 0, "ARRAY") && ppunct(p, 1, '['))
            return list_form(p, LH_AST_ARRAY, ']', 0);
        if (pkw(p, 0, "ROW") && ppunct(p, 1, '('))
            return list_form(p, LH_AST_ROW, ')', 0);
        if (pkw(p, 0, "DOUBLE") && pkw(p, 1, "PRECISION") && ptok(p, 2)->kind == LH_TOK_STRING) {
            N *ty, *s;
            n = mk(p, LH_AST_TYPED_LIT, pos);
            ty = mk(p, LH_AST_TYPE, pos);
            if (!n || !ty)
                return NULL;
            ty->name = "double";
            p->i += 2;
            if (!(s = parse_string_lit(p)))
                return NULL;
            n->kid[0] = ty;
            n->text = s->text;
            n->ival = s->ival;
            return fin(p, n);
        }
        if (pkw(p, 0, "POSITION") && ppunct(p, 1, '(')) {
            /* POSITION(a IN b) is strpos(b, a) */
            size_t base = p->sp;
            N *c = call_node(p, "strpos", pos), *a, *b;
            p->i += 2;
            if (!c || !(a = parse_value_expr(p)) || !expect_kw(p, "IN") || !(b = parse_value_expr(p)) ||
                !expect_punct(p, ')', NULL) || !push(p, b) || !push(p, a) || !list_from(p, c, 0, base)) {
                p->sp = base;
                return NULL;
            }
            return c;
        }
    }
    if (!pident_like(p, 0))
        return perr_expect(p, "<expression>");
    /* identifier string: a typed literal (DATE '...', TIMESTAMP '...', DECIMAL '...') */
    if (ptok(p, 1)->kind == LH_TOK_STRING || (ptok(p, 1)->kind == LH_TOK_WORD && is_unicode_start_at(p, 1))) {
        N *ty = mk(p, LH_AST_TYPE, pos), *id, *s;
        n = mk(p, LH_AST_TYPED_LIT, pos);
        if (!n || !ty || !(id = parse_ident(p)) || !(s = parse_string_lit(p)))
            return NULL;
        ty->name = id->name;
        ty->flags |= id->flags & LH_AST_F_QUOTED;
        n->kid[0] = ty;
        n->text = s->text;
        n->ival = s->ival;
        return fin(p, n);
    }
    /* identifier '->' expression */
    if (pop2(p, 1, "->")) {
        size_t base = p->sp;
        N *l = mk(p, LH_AST_LAMBDA, pos);
        if (!l || !push(p, parse_ident(p)) || !list_from(p, l, 0, base)) {
            p->sp = base;
            return NULL;
        }
        p->i += 2;
        if (!(l->kid[0] = parse_expr(p)))
            return NULL;
        return fin(p, l);
    }
    /* qualifiedName: a function call when '(' follows, else a column */
    {
        N *name = parse_qname(p);
        if (!name)
            return NULL;
        if (ppunct(p, 0, '('))
            return function_call(p, name);
        if (!(n = mk(p, LH_AST_COLUMN, pos)))
            return NULL;
        n->kid[0] = name;
        return fin(p, n);
    }
}

static N *primary(lh_parser *p)
{
    const lh_token *t = ptok(p, 0);
    switch (t->kind) {
    case LH_TOK_NUMBER: return number(p);
    case LH_TOK_STRING: return parse_string_lit(p);
    case LH_TOK_WORD:
    case LH_TOK_QIDENT: return word_form(p);
    case LH_TOK_PUNCT:
        if (ppunct(p, 0, '?')) {
            N *n = mk(p, LH_AST_PARAM, tpos(p, 0));
            p->i++;
            return n;
        }
        if (ppunct(p, 0, '('))
            return paren_form(p);
        break;
    case LH_TOK_EOF: break;
    }
    return perr_expect(p, "<expression>");
}

/* primaryExpression '[' valueExpression ']' | primaryExpression '.' identifier */
static N *postfix(lh_parser *p)
{
    N *b = primary(p);
    while (b) {
        if (ppunct(p, 0, '[')) {
            N *s = mk(p, LH_AST_SUBSCRIPT, tpos(p, 0));
            p->i++;
            if (!s)
                return NULL;
            s->kid[0] = b;
            if (!(s->kid[1] = parse_value_expr(p)) || !expect_punct(p, ']', NULL))
                return NULL;
            b = fin(p, s);
        } else if (ppunct(p, 0, '.') && (pident_like(p, 1) || ptok(p, 1)->kind == LH_TOK_WORD)) {
            /* a reserved word after '.' fails in parse_ident, with the quoting hint */
            lh_pos pos = tpos(p, 0);
            p->i++;
            if (b->kind == LH_AST_COLUMN && !(b->flags & LH_AST_F_PARENS)) {
                /* a.b.c stays one name; the analyzer decides which parts are a table */
                N *name = b->kid[0], *id = parse_ident(p);
                size_t base = p->sp, i;
                if (!id)
                    return NULL;
                for (i = 0; i < name->list[0].n; i++)
                    if (!push(p, name->list[0].items[i]))
                        return NULL;
                if (!push(p, id) || !list_from(p, name, 0, base))
                    return NULL;
                b = fin(p, b);
            } else {
                N *d = mk(p, LH_AST_DEREF, pos);
                if (!d)
                    return NULL;
                d->kid[0] = b;
                if (!(d->kid[1] = parse_ident(p)))
                    return NULL;
                b = fin(p, d);
            }
        } else {
            break;
        }
    }
    return b;
}

/* valueExpression AT timeZoneSpecifier; timeZoneSpecifier: TIME ZONE interval | TIME ZONE string */
static N *at_time_zone(lh_parser *p)
{
    N *v = postfix(p);
    while (v && pkw(p, 0, "AT") && pkw(p, 1, "TIME") && pkw(p, 2, "ZONE")) {
        N *a = mk(p, LH_AST_AT_TIME_ZONE, tpos(p, 0));
        p->i += 3;
        if (!a)
            return NULL;
        a->kid[0] = v;
        if (pkw(p, 0, "INTERVAL"))
            a->kid[1] = interval_lit(p);
        else if (is_string_start(p))
            a->kid[1] = parse_string_lit(p);
        else
            return perr_expect(p, "'INTERVAL', <string>");
        v = a->kid[1] ? fin(p, a) : NULL;
    }
    return v;
}

static int minus_or_plus(const lh_parser *p)
{
    return (ppunct(p, 0, '-') && !pop2(p, 0, "->")) || ppunct(p, 0, '+');
}

static N *unary(lh_parser *p)
{
    N *u;
    if (!minus_or_plus(p))
        return at_time_zone(p);
    if (!penter(p))
        return NULL;
    u = mk(p, LH_AST_UNARY, tpos(p, 0));
    if (u) {
        u->op = p->src[ptok(p, 0)->off];
        p->i++;
        u->kid[0] = unary(p);
        u = u->kid[0] ? fin(p, u) : NULL;
    }
    pleave(p);
    return u;
}

static N *multiplicative(lh_parser *p)
{
    N *l = unary(p);
    while (l && (ppunct(p, 0, '*') || ppunct(p, 0, '/') || ppunct(p, 0, '%'))) {
        char c = p->src[ptok(p, 0)->off];
        lh_pos pos = tpos(p, 0);
        p->i++;
        l = bin(p, LH_AST_BINARY, c == '*' ? LH_BIN_MUL : c == '/' ? LH_BIN_DIV : LH_BIN_MOD, pos, l, unary(p));
    }
    return l;
}

static N *additive(lh_parser *p)
{
    N *l = multiplicative(p);
    while (l && minus_or_plus(p)) {
        int op = ppunct(p, 0, '+') ? LH_BIN_ADD : LH_BIN_SUB;
        lh_pos pos = tpos(p, 0);
        p->i++;
        l = bin(p, LH_AST_BINARY, op, pos, l, multiplicative(p));
    }
    return l;
}

/* valueExpression CONCAT valueExpression (lowest of the value operators) */
N *parse_value_expr(lh_parser *p)
{
    N *l = additive(p);
    while (l && pop2(p, 0, "||")) {
        lh_pos pos = tpos(p, 0);
        p->i += 2;
        l = bin(p, LH_AST_BINARY, LH_BIN_CONCAT, pos, l, additive(p));
    }
    return l;
}

/* comparisonOperator: EQ | NEQ | LT | LTE | GT | GTE; returns LH_CMP_* and its token count */
static int cmp_op(const lh_parser *p, int *ntok)
{
    *ntok = 2;
    if (pop2(p, 0, "<>") || pop2(p, 0, "!="))
        return LH_ACMP_NE;
    if (pop2(p, 0, "<="))
        return LH_ACMP_LE;
    if (pop2(p, 0, ">="))
        return LH_ACMP_GE;
    *ntok = 1;
    if (ppunct(p, 0, '='))
        return LH_ACMP_EQ;
    if (ppunct(p, 0, '<'))
        return LH_ACMP_LT;
    if (ppunct(p, 0, '>'))
        return LH_ACMP_GT;
    return 0;
}

/* valueExpression predicate? — at most one predicate, as in Trino */
static N *predicated(lh_parser *p)
{
    N *v = parse_value_expr(p), *n;
    lh_pos pos;
    int op, ntok, neg = 0;
    if (!v)
        return NULL;
    pos = tpos(p, 0);
    if ((op = cmp_op(p, &ntok)) != 0) {
        p->i += (size_t)ntok;
        if ((pkw(p, 0, "ALL") || pkw(p, 0, "ANY") || pkw(p, 0, "SOME")) && ppunct(p, 1, '(') &&
            (pkw(p, 2, "SELECT") || pkw(p, 2, "WITH") || pkw(p, 2, "VALUES") || pkw(p, 2, "TABLE"))) {
            if (!(n = mk(p, LH_AST_QUANTIFIED, pos)))
                return NULL;
            n->op = op;
            n->ival = pkw(p, 0, "ALL") ? LH_QUANT_ALL : pkw(p, 0, "ANY") ? LH_QUANT_ANY : LH_QUANT_SOME;
            p->i += 2;
            n->kid[0] = v;
            if (!(n->kid[1] = parse_query(p)) || !expect_punct(p, ')', NULL))
                return NULL;
            return fin(p, n);
        }
        return bin(p, LH_AST_COMPARE, op, pos, v, parse_value_expr(p));
    }
    if (pkw(p, 0, "NOT") && (pkw(p, 1, "BETWEEN") || pkw(p, 1, "IN") || pkw(p, 1, "LIKE"))) {
        neg = 1;
        p->i++;
    }
    if (pkw(p, 0, "BETWEEN")) {
        if (!(n = mk(p, LH_AST_BETWEEN, tpos(p, 0))))
            return NULL;
        p->i++;
        n->kid[0] = v;
        if (!(n->kid[1] = parse_value_expr(p)) || !expect_kw(p, "AND") || !(n->kid[2] = parse_value_expr(p)))
            return NULL;
    } else if (pkw(p, 0, "LIKE")) {
        if (!(n = mk(p, LH_AST_LIKE, tpos(p, 0))))
            return NULL;
        p->i++;
        n->kid[0] = v;
        if (!(n->kid[1] = parse_value_expr(p)))
            return NULL;
        if (accept_kw(p, "ESCAPE") && !(n->kid[2] = parse_value_expr(p)))
            return NULL;
    } else if (pkw(p, 0, "IN")) {
        lh_pos ip = tpos(p, 0);
        p->i++;
        if (!expect_punct(p, '(', NULL))
            return NULL;
        if (pkw(p, 0, "SELECT") || pkw(p, 0, "WITH") || pkw(p, 0, "VALUES") || pkw(p, 0, "TABLE")) {
            if (!(n = mk(p, LH_AST_IN_QUERY, ip)))
                return NULL;
            n->kid[0] = v;
            if (!(n->kid[1] = parse_query(p)))
                return NULL;
        } else {
            size_t base = p->sp;
            if (!(n = mk(p, LH_AST_IN_LIST, ip)))
                return NULL;
            n->kid[0] = v;
            do {
                if (!push(p, parse_expr(p))) {
                    p->sp = base;
                    return NULL;
                }
            } while (accept_punct(p, ','));
            if (!list_from(p, n, 0, base))
                return NULL;
        }
        if (!expect_punct(p, ')', n->kind == LH_AST_IN_LIST ? "',', ')'" : NULL))
            return NULL;
    } else if (pkw(p, 0, "IS")) {
        pos = tpos(p, 0);
        p->i++;
        if (accept_kw(p, "NOT"))
            neg = 1;
        if (accept_kw(p, "NULL")) {
            if (!(n = mk(p, LH_AST_IS_NULL, pos)))
                return NULL;
            n->kid[0] = v;
        } else if (accept_kw(p, "DISTINCT")) {
            if (!expect_kw(p, "FROM") || !(n = mk(p, LH_AST_DISTINCT_FROM, pos)))
                return NULL;
            n->kid[0] = v;
            if (!(n->kid[1] = parse_value_expr(p)))
                return NULL;
        } else {
            return perr_expect(p, neg ? "'DISTINCT', 'NULL'" : "'DISTINCT', 'NOT', 'NULL'");
        }
    } else {
        return v;
    }
    if (neg)
        n->flags |= LH_AST_F_NOT;
    return fin(p, n);
}

static N *not_expr(lh_parser *p)
{
    N *n;
    if (!pkw(p, 0, "NOT"))
        return predicated(p);
    if (!penter(p))
        return NULL;
    n = mk(p, LH_AST_NOT, tpos(p, 0));
    if (n) {
        p->i++;
        n->kid[0] = not_expr(p);
        n = n->kid[0] ? fin(p, n) : NULL;
    }
    pleave(p);
    return n;
}

/* left (AND left)* or left (OR left)*: one n-ary node for the chain */
static N *logical_chain(lh_parser *p, lh_ast_kind kind, const char *kw, N *(*term)(lh_parser *))
{
    N *first = term(p), *n;
    size_t base = p->sp;
    if (!first || !pkw(p, 0, kw))
        return first;
    if (!(n = mk(p, kind, tpos(p, 0))) || !push(p, first))
        goto fail;
    while (pkw(p, 0, kw)) {
        p->i++;
        if (!push(p, term(p)))
            goto fail;
    }
    return list_from(p, n, 0, base) ? n : NULL;
fail:
    p->sp = base;
    return NULL;
}

static N *and_expr(lh_parser *p) { return logical_chain(p, LH_AST_AND, "AND", not_expr); }

N *parse_expr(lh_parser *p)
{
    N *l;
    if (!penter(p))
        return NULL;
    l = logical_chain(p, LH_AST_OR, "OR", and_expr);
    pleave(p);
    return p->rc ? NULL : l;
}
