/* sql/parse.c — statements, queries, relations, GROUP BY, windows and
 * types; the token helpers and error reporting shared with parse_expr.c.
 *
 * Hand-written on purpose (see parse.h): Trino's grammar is ANTLR, and no
 * packaged C parser speaks its dialect.  Written from SqlBase.g4's rules;
 * each function names the rule it follows.  Every function returns the
 * node it built, or NULL after recording the first error in p->rc/p->err.
 */
#include "sql/parse_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS ((size_t)1 << 20) /* 40 MiB of tokens; a 100,000-value IN list is 200,000 */

/* Trino's reserved keywords (docs/src/main/sphinx/language/reserved.md),
 * sorted.  AUTO is left out: it is reserved only in recent Trino, not in
 * Athena engine 3, and is a plausible column name. */
static const char *const RESERVED[] = {
    "ALTER", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CONSTRAINT", "CREATE", "CROSS", "CUBE",
    "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_PATH", "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "CURRENT_USER", "DEALLOCATE", "DELETE", "DESCRIBE", "DISTINCT", "DROP", "ELSE",
    "END", "ESCAPE", "EXCEPT", "EXECUTE", "EXISTS", "EXTRACT", "FALSE", "FOR", "FROM", "FULL", "GROUP",
    "GROUPING", "HAVING", "IN", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "JOIN", "JSON_ARRAY",
    "JSON_EXISTS", "JSON_OBJECT", "JSON_QUERY", "JSON_TABLE", "JSON_VALUE", "LEFT", "LIKE", "LISTAGG",
    "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NORMALIZE", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER",
    "PREPARE", "PRIMARY", "RECURSIVE", "RIGHT", "ROLLUP", "SELECT", "SKIP", "TABLE", "THEN", "TRIM", "TRUE",
    "UESCAPE", "UNION", "UNNEST", "USING", "VALUES", "WHEN", "WHERE", "WITH",
};

int lh_sql_is_reserved(const char *word, size_t n)
{
    size_t lo = 0, hi = sizeof RESERVED / sizeof RESERVED[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *r = RESERVED[mid];
        size_t rn = strlen(r);
        int c = strncasecmp(word, r, n < rn ? n : rn);
        if (c == 0)
            c = n < rn ? -1 : n > rn ? 1 : 0;
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* ---- tokens ---- */

const lh_token *ptok(const lh_parser *p, size_t k)
{
    size_t j = p->i + k;
    if (j >= p->ntok)
        j = p->ntok - 1;
    return &p->toks[j];
}

int pkw(const lh_parser *p, size_t k, const char *kw) { return lh_tok_is(p->src, ptok(p, k), kw); }
int ppunct(const lh_parser *p, size_t k, char c) { return lh_tok_punct(p->src, ptok(p, k), c); }

int pop2(const lh_parser *p, size_t k, const char *op)
{
    const lh_token *a = ptok(p, k), *b = ptok(p, k + 1);
    return lh_tok_punct(p->src, a, op[0]) && lh_tok_punct(p->src, b, op[1]) && b->off == a->off + 1;
}

int pident_like(const lh_parser *p, size_t k)
{
    const lh_token *t = ptok(p, k);
    return t->kind == LH_TOK_QIDENT || (t->kind == LH_TOK_WORD && !lh_sql_is_reserved(p->src + t->off, t->len));
}

int accept_kw(lh_parser *p, const char *kw)
{
    if (!pkw(p, 0, kw))
        return 0;
    p->i++;
    return 1;
}

int accept_punct(lh_parser *p, char c)
{
    if (!ppunct(p, 0, c))
        return 0;
    p->i++;
    return 1;
}

lh_pos tpos(const lh_parser *p, size_t k)
{
    const lh_token *t = ptok(p, k);
    lh_pos pos = {t->off, t->line, t->col};
    return pos;
}

int expect_kw(lh_parser *p, const char *kw)
{
    char want[64];
    if (accept_kw(p, kw))
        return 1;
    snprintf(want, sizeof want, "'%s'", kw);
    perr_expect(p, want);
    return 0;
}

int expect_punct(lh_parser *p, char c, const char *expecting)
{
    char want[8];
    if (accept_punct(p, c))
        return 1;
    snprintf(want, sizeof want, "'%c'", c);
    perr_expect(p, expecting ? expecting : want);
    return 0;
}

int pquery_start(const lh_parser *p, size_t k)
{
    while (ppunct(p, k, '(') && k < 100000)
        k++;
    return pkw(p, k, "SELECT") || pkw(p, k, "WITH") || pkw(p, k, "VALUES") || pkw(p, k, "TABLE");
}

/* ---- errors ---- */

N *perr_at(lh_parser *p, lh_rc code, lh_pos pos, const char *fmt, ...)
{
    char body[800];
    va_list ap;
    if (p->rc)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    p->rc = lh_errf(p->err, code, "%s:%d:%d: %s", p->file, pos.line, pos.col, body);
    return NULL;
}

N *perr_expect(lh_parser *p, const char *expecting)
{
    const lh_token *t = ptok(p, 0);
    lh_pos pos = tpos(p, 0);
    if (t->kind == LH_TOK_EOF)
        return perr_at(p, LH_EPARSE, pos, "mismatched input '<EOF>'. Expecting: %s", expecting);
    if (t->kind == LH_TOK_WORD && lh_sql_is_reserved(p->src + t->off, t->len) && strstr(expecting, "<identifier>"))
        return perr_at(p, LH_EPARSE, pos,
                       "mismatched input '%.*s'. Expecting: %s ('%.*s' is a reserved word: write \"%.*s\" to use it "
                       "as a name)",
                       (int)t->len, p->src + t->off, expecting, (int)t->len, p->src + t->off, (int)t->len,
                       p->src + t->off);
    return perr_at(p, LH_EPARSE, pos, "mismatched input '%.*s'. Expecting: %s", t->len > 40 ? 40 : (int)t->len,
                   p->src + t->off, expecting);
}

N *poom(lh_parser *p)
{
    if (!p->rc)
        p->rc = lh_errf(p->err, LH_ENOMEM, "%s: out of memory parsing SQL", p->file);
    return NULL;
}

int penter(lh_parser *p)
{
    if (p->rc)
        return 0;
    if (++p->depth > LH_PARSE_MAX_NESTING) {
        perr_at(p, LH_ELIMIT, tpos(p, 0), "query is nested too deeply (more than %d levels)", LH_PARSE_MAX_NESTING);
        p->depth--;
        return 0;
    }
    return 1;
}

void pleave(lh_parser *p) { p->depth--; }

/* ---- nodes ---- */

N *mk(lh_parser *p, lh_ast_kind kind, lh_pos pos)
{
    N *n;
    if (p->rc)
        return NULL;
    n = lh_ast_node_new(p->ast, kind, pos);
    return n ? n : poom(p);
}

N *fin(lh_parser *p, N *n)
{
    if (!n)
        return NULL;
    lh_ast_fix_height(n);
    if (n->height > LH_AST_MAX_DEPTH)
        return perr_at(p, LH_ELIMIT, n->pos, "expression is too deep (more than %d nested operations)",
                       LH_AST_MAX_DEPTH);
    return n;
}

int push(lh_parser *p, N *n)
{
    if (!n)
        return 0;
    if (p->sp == p->scap) {
        size_t nc = p->scap ? p->scap * 2 : 64;
        N **ns = lh_realloc(p->stack, nc * sizeof *ns);
        if (!ns) {
            poom(p);
            return 0;
        }
        p->stack = ns;
        p->scap = nc;
    }
    p->stack[p->sp++] = n;
    return 1;
}

int list_from(lh_parser *p, N *n, int which, size_t base)
{
    lh_rc rc = lh_ast_list_set(p->ast, &n->list[which], p->sp > base ? p->stack + base : NULL, p->sp - base);
    p->sp = base;
    if (rc) {
        poom(p);
        return 0;
    }
    return fin(p, n) != NULL;
}

char *pstrndup(lh_parser *p, const char *s, size_t n)
{
    char *d = lh_ast_strndup(p->ast, s, n);
    if (!d)
        poom(p);
    return d;
}

/* ---- names ---- */

/* identifier: IDENTIFIER (non-reserved word) | "quoted" | `backquoted` */
N *parse_ident(lh_parser *p)
{
    const lh_token *t = ptok(p, 0);
    N *n;
    size_t i;
    if (!pident_like(p, 0))
        return perr_expect(p, "<identifier>");
    n = mk(p, LH_AST_IDENT, tpos(p, 0));
    if (!n)
        return NULL;
    if (t->kind == LH_TOK_QIDENT) {
        const char *s = p->src + t->off;
        char q = s[0], *o;
        size_t inner = t->len - 2;
        if (inner == 0)
            return perr_at(p, LH_EPARSE, n->pos, "zero-length delimited identifier not allowed");
        o = lh_ast_strndup(p->ast, s + 1, inner);
        if (!o)
            return poom(p);
        {
            size_t r, w = 0;
            for (r = 0; r < inner; r++) {
                o[w++] = o[r];
                if (o[r] == q && r + 1 < inner && o[r + 1] == q)
                    r++;
            }
            o[w] = 0;
        }
        n->name = n->orig = o;
        n->flags |= LH_AST_F_QUOTED;
    } else {
        char *lower;
        n->orig = pstrndup(p, p->src + t->off, t->len);
        lower = pstrndup(p, p->src + t->off, t->len);
        if (!n->orig || !lower)
            return NULL;
        for (i = 0; i < t->len; i++)
            lower[i] = (char)tolower((unsigned char)lower[i]);
        n->name = lower;
    }
    p->i++;
    return n;
}

/* qualifiedName: identifier ('.' identifier)* */
N *parse_qname(lh_parser *p)
{
    size_t base = p->sp;
    N *n = mk(p, LH_AST_NAME, tpos(p, 0));
    if (!n || !push(p, parse_ident(p)))
        goto fail;
    while (ppunct(p, 0, '.') && (pident_like(p, 1) || ptok(p, 1)->kind == LH_TOK_WORD)) {
        p->i++;
        if (!push(p, parse_ident(p)))
            goto fail;
    }
    if (!list_from(p, n, 0, base))
        goto fail;
    return n;
fail:
    p->sp = base;
    return NULL;
}

/* ---- types ---- */

static int interval_field(lh_parser *p)
{
    static const char *const F[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    int i;
    for (i = 0; i < 6; i++)
        if (accept_kw(p, F[i]))
            return i + 1;
    perr_expect(p, "'DAY', 'HOUR', 'MINUTE', 'MONTH', 'SECOND', 'YEAR'");
    return 0;
}

static N *type_name(lh_parser *p, const char *name, lh_pos pos)
{
    N *t = mk(p, LH_AST_TYPE, pos);
    if (!t)
        return NULL;
    t->name = name;
    return t;
}

/* INTEGER_VALUE at the current token (a NUMBER token), else the error
 * "Expecting: <expecting>". */
static N *int_literal(lh_parser *p, const char *expecting)
{
    const lh_token *t = ptok(p, 0);
    size_t i;
    N *n;
    for (i = 0; i < t->len; i++)
        if (!isdigit((unsigned char)p->src[t->off + i]))
            return perr_expect(p, expecting);
    n = mk(p, LH_AST_NUMBER, tpos(p, 0));
    if (!n || !(n->text = pstrndup(p, p->src + t->off, t->len)))
        return NULL;
    n->op = LH_LIT_INTEGER;
    p->i++;
    return n;
}

/* typeParameter: INTEGER_VALUE | type */
static N *type_param(lh_parser *p)
{
    if (ptok(p, 0)->kind == LH_TOK_NUMBER)
        return int_literal(p, "<integer>, <type>");
    return parse_type(p);
}

/* (WITH | WITHOUT) TIME ZONE after TIME / TIMESTAMP */
static int time_zone_suffix(lh_parser *p, N *t)
{
    if (pkw(p, 0, "WITH") && pkw(p, 1, "TIME") && pkw(p, 2, "ZONE")) {
        p->i += 3;
        t->flags |= LH_AST_F_WITH_TIME_ZONE;
    } else if (pkw(p, 0, "WITHOUT") && pkw(p, 1, "TIME") && pkw(p, 2, "ZONE")) {
        p->i += 3;
    }
    return 1;
}

static N *type_base(lh_parser *p)
{
    lh_pos pos = tpos(p, 0);
    size_t base = p->sp;
    N *t;
    if (pkw(p, 0, "ROW") && ppunct(p, 1, '(')) {
        p->i += 2;
        if (!(t = type_name(p, "row", pos)))
            return NULL;
        do {
            N *f = mk(p, LH_AST_FIELD, tpos(p, 0));
            if (!f)
                goto fail;
            /* rowField: type | identifier type ("a array" is the type a ARRAY) */
            if (pident_like(p, 0) && pident_like(p, 1) &&
                !(pkw(p, 1, "ARRAY") && !ppunct(p, 2, '(') && !ppunct(p, 2, '<')) && !(f->kid[0] = parse_ident(p)))
                goto fail;
            if (!(f->kid[1] = parse_type(p)) || !push(p, fin(p, f)))
                goto fail;
        } while (accept_punct(p, ','));
        if (!expect_punct(p, ')', "',', ')'") || !list_from(p, t, 0, base))
            goto fail;
        return t;
    }
    if (pkw(p, 0, "INTERVAL") && !ppunct(p, 1, '(')) {
        p->i++;
        if (!(t = type_name(p, "interval", pos)) || !(t->op = interval_field(p)))
            return NULL;
        if (accept_kw(p, "TO") && !(t->ival2 = interval_field(p)))
            return NULL;
        return t;
    }
    if (pkw(p, 0, "TIMESTAMP") || pkw(p, 0, "TIME")) {
        int ts = pkw(p, 0, "TIMESTAMP");
        p->i++;
        if (!(t = type_name(p, ts ? "timestamp" : "time", pos)))
            return NULL;
        if (accept_punct(p, '(')) {
            if (!push(p, type_param(p)) || !expect_punct(p, ')', NULL) || !list_from(p, t, 0, base))
                goto fail;
        }
        time_zone_suffix(p, t);
        return t;
    }
    if (pkw(p, 0, "DOUBLE") && pkw(p, 1, "PRECISION")) {
        p->i += 2;
        return type_name(p, "double", pos);
    }
    if ((pkw(p, 0, "ARRAY") || pkw(p, 0, "MAP")) && ppunct(p, 1, '<')) {
        int map = pkw(p, 0, "MAP");
        p->i += 2;
        if (!(t = type_name(p, map ? "map" : "array", pos)) || !push(p, parse_type(p)))
            goto fail;
        if (map && (!expect_punct(p, ',', NULL) || !push(p, parse_type(p))))
            goto fail;
        if (!expect_punct(p, '>', NULL) || !list_from(p, t, 0, base))
            goto fail;
        return t;
    }
    /* genericType: identifier ('(' typeParameter (',' typeParameter)* ')')? */
    {
        N *id = parse_ident(p);
        if (!id)
            return NULL;
        if (!(t = type_name(p, id->name, pos)))
            return NULL;
        t->flags |= id->flags & LH_AST_F_QUOTED; /* "row"(x) is a generic type named row */
        if (accept_punct(p, '(')) {
            do {
                if (!push(p, type_param(p)))
                    goto fail;
            } while (accept_punct(p, ','));
            if (!expect_punct(p, ')', "',', ')'") || !list_from(p, t, 0, base))
                goto fail;
        }
        return t;
    }
fail:
    p->sp = base;
    return NULL;
}

/* type: ... | type ARRAY ('[' INTEGER_VALUE ']')? */
N *parse_type(lh_parser *p)
{
    N *t;
    if (!penter(p))
        return NULL;
    t = type_base(p);
    while (t && pkw(p, 0, "ARRAY")) {
        N *a = mk(p, LH_AST_TYPE, tpos(p, 0));
        size_t base = p->sp;
        p->i++;
        if (!a || !push(p, t))
            break;
        a->name = "array";
        if (!list_from(p, a, 0, base)) {
            t = NULL;
            break;
        }
        if (accept_punct(p, '[')) {
            if (ptok(p, 0)->kind != LH_TOK_NUMBER) {
                t = perr_expect(p, "<integer>");
                break;
            }
            p->i++;
            if (!expect_punct(p, ']', NULL)) {
                t = NULL;
                break;
            }
        }
        t = a;
    }
    pleave(p);
    return p->rc ? NULL : fin(p, t);
}

/* ---- ORDER BY, windows ---- */

/* sortItem: expression ordering=(ASC | DESC)? (NULLS nullOrdering=(FIRST | LAST))? */
N *parse_sort_item(lh_parser *p)
{
    N *s = mk(p, LH_AST_SORT, tpos(p, 0));
    if (!s || !(s->kid[0] = parse_expr(p)))
        return NULL;
    if (accept_kw(p, "ASC"))
        s->op = LH_SORT_ASC;
    else if (accept_kw(p, "DESC"))
        s->op = LH_SORT_DESC;
    if (accept_kw(p, "NULLS")) {
        if (accept_kw(p, "FIRST"))
            s->flags |= LH_AST_F_NULLS_FIRST;
        else if (accept_kw(p, "LAST"))
            s->flags |= LH_AST_F_NULLS_LAST;
        else
            return perr_expect(p, "'FIRST', 'LAST'");
    }
    return fin(p, s);
}

static int sort_list(lh_parser *p, N *n, int which)
{
    size_t base = p->sp;
    do {
        if (!push(p, parse_sort_item(p))) {
            p->sp = base;
            return 0;
        }
    } while (accept_punct(p, ','));
    return list_from(p, n, which, base);
}

/* frameBound: UNBOUNDED (PRECEDING | FOLLOWING) | CURRENT ROW | expression (PRECEDING | FOLLOWING) */
static N *frame_bound(lh_parser *p)
{
    N *b = mk(p, LH_AST_BOUND, tpos(p, 0));
    if (!b)
        return NULL;
    if (pkw(p, 0, "UNBOUNDED") && (pkw(p, 1, "PRECEDING") || pkw(p, 1, "FOLLOWING"))) {
        b->op = pkw(p, 1, "PRECEDING") ? LH_BOUND_UNBOUNDED_PRECEDING : LH_BOUND_UNBOUNDED_FOLLOWING;
        p->i += 2;
        return b;
    }
    if (pkw(p, 0, "CURRENT") && pkw(p, 1, "ROW")) {
        b->op = LH_BOUND_CURRENT_ROW;
        p->i += 2;
        return b;
    }
    if (!(b->kid[0] = parse_expr(p)))
        return NULL;
    if (accept_kw(p, "PRECEDING"))
        b->op = LH_BOUND_PRECEDING;
    else if (accept_kw(p, "FOLLOWING"))
        b->op = LH_BOUND_FOLLOWING;
    else
        return perr_expect(p, "'FOLLOWING', 'PRECEDING'");
    return fin(p, b);
}

static int frame_start(const lh_parser *p, size_t k)
{
    return (pkw(p, k, "ROWS") || pkw(p, k, "RANGE") || pkw(p, k, "GROUPS")) && !ppunct(p, k + 1, ')') &&
           !pkw(p, k + 1, "PARTITION") && !pkw(p, k + 1, "ORDER");
}

/* windowSpecification, after '(' (the caller takes the ')') */
N *parse_window_spec(lh_parser *p)
{
    N *s = mk(p, LH_AST_WINDOW_SPEC, tpos(p, 0));
    size_t base = p->sp;
    if (!s)
        return NULL;
    if (pident_like(p, 0) && !(pkw(p, 0, "PARTITION") && pkw(p, 1, "BY")) && !frame_start(p, 0) &&
        !(s->kid[0] = parse_ident(p)))
        return NULL;
    if (pkw(p, 0, "PARTITION") && pkw(p, 1, "BY")) {
        p->i += 2;
        do {
            if (!push(p, parse_expr(p)))
                goto fail;
        } while (accept_punct(p, ','));
        if (!list_from(p, s, 0, base))
            goto fail;
    }
    if (accept_kw(p, "ORDER")) {
        if (!expect_kw(p, "BY") || !sort_list(p, s, 1))
            return NULL;
    }
    if (frame_start(p, 0)) {
        N *f = mk(p, LH_AST_FRAME, tpos(p, 0));
        if (!f)
            return NULL;
        f->op = pkw(p, 0, "ROWS") ? LH_FRAME_ROWS : pkw(p, 0, "RANGE") ? LH_FRAME_RANGE : LH_FRAME_GROUPS;
        p->i++;
        if (accept_kw(p, "BETWEEN")) {
            if (!(f->kid[0] = frame_bound(p)) || !expect_kw(p, "AND") || !(f->kid[1] = frame_bound(p)))
                return NULL;
        } else if (!(f->kid[0] = frame_bound(p))) {
            return NULL;
        }
        if (!(s->kid[1] = fin(p, f)))
            return NULL;
    }
    if (pkw(p, 0, "MEASURES") || pkw(p, 0, "PATTERN") || pkw(p, 0, "AFTER") || pkw(p, 0, "DEFINE"))
        return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "row pattern recognition in windows is not supported");
    return fin(p, s);
fail:
    p->sp = base;
    return NULL;
}

/* ---- queries ---- */

/* Words that are not reserved in Trino but start a clause here, so they
 * are not taken as an alias written without AS (Trino's parser decides
 * the same by looking ahead). */
static int clause_word(const lh_parser *p, size_t k)
{
    const lh_token *n = ptok(p, k + 1);
    if (pkw(p, k, "LIMIT"))
        return n->kind == LH_TOK_NUMBER || pkw(p, k + 1, "ALL") || ppunct(p, k + 1, '?');
    if (pkw(p, k, "OFFSET"))
        return n->kind == LH_TOK_NUMBER || ppunct(p, k + 1, '?');
    if (pkw(p, k, "FETCH"))
        return pkw(p, k + 1, "FIRST") || pkw(p, k + 1, "NEXT");
    if (pkw(p, k, "WINDOW"))
        return pident_like(p, k + 1) && pkw(p, k + 2, "AS");
    if (pkw(p, k, "TABLESAMPLE"))
        return pkw(p, k + 1, "BERNOULLI") || pkw(p, k + 1, "SYSTEM");
    if (pkw(p, k, "MATCH_RECOGNIZE"))
        return ppunct(p, k + 1, '(');
    return 0;
}

static int alias_follows(const lh_parser *p) { return pident_like(p, 0) && !clause_word(p, 0); }

static int ident_list(lh_parser *p, N *n, int which)
{
    size_t base = p->sp;
    do {
        if (!push(p, parse_ident(p))) {
            p->sp = base;
            return 0;
        }
    } while (accept_punct(p, ','));
    if (!expect_punct(p, ')', "',', ')'")) {
        p->sp = base;
        return 0;
    }
    return list_from(p, n, which, base);
}

/* selectItem: expression (AS? identifier)? | primaryExpression '.' ASTERISK | ASTERISK */
static N *select_item(lh_parser *p)
{
    N *it;
    size_t k = 0;
    if (ppunct(p, 0, '*')) {
        N *s = mk(p, LH_AST_ALL_COLUMNS, tpos(p, 0));
        p->i++;
        return s;
    }
    /* name.* */
    while (pident_like(p, k) && ppunct(p, k + 1, '.'))
        k += 2;
    if (k && ppunct(p, k, '*')) {
        N *s = mk(p, LH_AST_ALL_COLUMNS, tpos(p, 0));
        if (!s || !(s->kid[0] = parse_qname(p)) || !expect_punct(p, '.', NULL))
            return NULL;
        p->i++; /* '*' */
        if (pkw(p, 0, "AS") && ppunct(p, 1, '('))
            return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "column aliases for '.*' are not supported");
        return fin(p, s);
    }
    it = mk(p, LH_AST_ITEM, tpos(p, 0));
    if (!it || !(it->kid[0] = parse_expr(p)))
        return NULL;
    if (accept_kw(p, "AS")) {
        if (!(it->kid[1] = parse_ident(p)))
            return NULL;
    } else if (alias_follows(p)) {
        if (!(it->kid[1] = parse_ident(p)))
            return NULL;
    }
    return fin(p, it);
}

static N *parse_relation(lh_parser *p);

/* relationPrimary */
static N *relation_primary(lh_parser *p)
{
    lh_pos pos = tpos(p, 0);
    N *r;
    if (pkw(p, 0, "UNNEST"))
        return perr_at(p, LH_EUNSUPPORTED, pos, "UNNEST is not supported yet (arrays and maps come later)");
    if (pkw(p, 0, "LATERAL") && ppunct(p, 1, '('))
        return perr_at(p, LH_EUNSUPPORTED, pos, "LATERAL is not supported yet");
    if (pkw(p, 0, "TABLE") && ppunct(p, 1, '('))
        return perr_at(p, LH_EUNSUPPORTED, pos, "table functions are not supported");
    if (pkw(p, 0, "JSON_TABLE") && ppunct(p, 1, '('))
        return perr_at(p, LH_EUNSUPPORTED, pos, "JSON_TABLE is not supported yet");
    if (ppunct(p, 0, '(')) {
        if (!penter(p))
            return NULL;
        p->i++;
        if (pquery_start(p, 0)) {
            r = mk(p, LH_AST_SUBQUERY, pos);
            if (r && (r->kid[0] = parse_query(p)))
                r = fin(p, r);
            else
                r = NULL;
        } else {
            r = parse_relation(p);
        }
        pleave(p);
        if (!r || !expect_punct(p, ')', NULL))
            return NULL;
        return r;
    }
    r = mk(p, LH_AST_TABLE, pos);
    if (!r || !pident_like(p, 0))
        return r ? perr_expect(p, "'(', <identifier>") : NULL;
    if (!(r->kid[0] = parse_qname(p)))
        return NULL;
    if (pkw(p, 0, "FOR") && (pkw(p, 1, "TIMESTAMP") || pkw(p, 1, "VERSION") || pkw(p, 1, "SYSTEM_TIME")))
        return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "time travel (FOR ... AS OF) is not supported");
    return fin(p, r);
}

/* aliasedRelation: relationPrimary (AS? identifier columnAliases?)? */
static N *aliased_relation(lh_parser *p)
{
    N *r = relation_primary(p), *a;
    if (!r)
        return NULL;
    if (pkw(p, 0, "TABLESAMPLE"))
        return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "TABLESAMPLE is not supported");
    if (pkw(p, 0, "MATCH_RECOGNIZE"))
        return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "MATCH_RECOGNIZE is not supported");
    if (!pkw(p, 0, "AS") && !alias_follows(p))
        return r;
    a = mk(p, LH_AST_ALIASED, r->pos);
    if (!a)
        return NULL;
    a->kid[0] = r;
    accept_kw(p, "AS");
    if (!(a->kid[1] = parse_ident(p)))
        return NULL;
    if (accept_punct(p, '(') && !ident_list(p, a, 0))
        return NULL;
    if (pkw(p, 0, "TABLESAMPLE"))
        return perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "TABLESAMPLE is not supported");
    return fin(p, a);
}

/* joinType: INNER? | LEFT OUTER? | RIGHT OUTER? | FULL OUTER?  (0: not a join) */
static int join_type(lh_parser *p)
{
    int t = 0;
    if (pkw(p, 0, "JOIN"))
        return LH_JOIN_INNER;
    if (pkw(p, 0, "INNER"))
        t = LH_JOIN_INNER;
    else if (pkw(p, 0, "LEFT"))
        t = LH_JOIN_LEFT;
    else if (pkw(p, 0, "RIGHT"))
        t = LH_JOIN_RIGHT;
    else if (pkw(p, 0, "FULL"))
        t = LH_JOIN_FULL;
    if (!t)
        return 0;
    p->i++;
    if (t != LH_JOIN_INNER)
        accept_kw(p, "OUTER");
    return t;
}

/* relation: relation (CROSS JOIN sampled | joinType JOIN relation joinCriteria
 *           | NATURAL joinType JOIN sampled) | sampledRelation */
static N *parse_relation(lh_parser *p)
{
    N *left;
    if (!penter(p))
        return NULL;
    left = aliased_relation(p);
    while (left) {
        lh_pos pos = tpos(p, 0);
        N *j;
        int natural = 0, jt;
        if (pkw(p, 0, "CROSS")) {
            p->i++;
            if (!expect_kw(p, "JOIN") || !(j = mk(p, LH_AST_JOIN, pos))) {
                left = NULL;
                break;
            }
            j->op = LH_JOIN_CROSS;
            j->kid[0] = left;
            left = (j->kid[1] = aliased_relation(p)) ? fin(p, j) : NULL;
            continue;
        }
        if (pkw(p, 0, "NATURAL")) {
            natural = 1;
            p->i++;
            if (!pkw(p, 0, "JOIN") && !pkw(p, 0, "INNER") && !pkw(p, 0, "LEFT") && !pkw(p, 0, "RIGHT") &&
                !pkw(p, 0, "FULL")) {
                left = perr_expect(p, "'FULL', 'INNER', 'JOIN', 'LEFT', 'RIGHT'");
                break;
            }
        }
        if (!(jt = join_type(p)))
            break;
        if (!expect_kw(p, "JOIN") || !(j = mk(p, LH_AST_JOIN, pos))) {
            left = NULL;
            break;
        }
        j->op = jt;
        j->kid[0] = left;
        if (natural) {
            j->flags |= LH_AST_F_NATURAL;
            left = (j->kid[1] = aliased_relation(p)) ? fin(p, j) : NULL;
            continue;
        }
        if (!(j->kid[1] = parse_relation(p))) {
            left = NULL;
            break;
        }
        if (accept_kw(p, "ON")) {
            if (!(j->kid[2] = parse_expr(p))) {
                left = NULL;
                break;
            }
        } else if (accept_kw(p, "USING")) {
            if (!expect_punct(p, '(', NULL) || !ident_list(p, j, 0)) {
                left = NULL;
                break;
            }
        } else {
            left = perr_expect(p, "'ON', 'USING'");
            break;
        }
        left = fin(p, j);
    }
    pleave(p);
    return p->rc ? NULL : left;
}

/* groupingSet: '(' (expression (',' expression)*)? ')' | expression */
static N *grouping_set(lh_parser *p)
{
    N *e;
    if (ppunct(p, 0, '(') && ppunct(p, 1, ')')) {
        e = mk(p, LH_AST_EXPR_LIST, tpos(p, 0));
        p->i += 2;
        return e;
    }
    e = parse_expr(p);
    if (e && e->kind == LH_AST_ROW && (e->flags & LH_AST_F_PARENS))
        e->kind = LH_AST_EXPR_LIST; /* (a, b) here is a set of columns, not a row */
    return e;
}

/* groupingElement: groupingSet | ROLLUP (...) | CUBE (...) | GROUPING SETS (...) */
static N *grouping_element(lh_parser *p)
{
    lh_pos pos = tpos(p, 0);
    size_t base = p->sp;
    N *g;
    lh_ast_kind kind;
    if (pkw(p, 0, "ROLLUP") && ppunct(p, 1, '(')) {
        kind = LH_AST_ROLLUP;
        p->i += 2;
    } else if (pkw(p, 0, "CUBE") && ppunct(p, 1, '(')) {
        kind = LH_AST_CUBE;
        p->i += 2;
    } else if (pkw(p, 0, "GROUPING") && pkw(p, 1, "SETS")) {
        kind = LH_AST_GROUPING_SETS;
        p->i += 2;
        if (!expect_punct(p, '(', NULL))
            return NULL;
    } else {
        return grouping_set(p);
    }
    if (!(g = mk(p, kind, pos)))
        return NULL;
    if (kind != LH_AST_GROUPING_SETS && accept_punct(p, ')'))
        return g;
    do {
        N *s = grouping_set(p);
        if (s && kind == LH_AST_GROUPING_SETS && s->kind != LH_AST_EXPR_LIST) {
            /* a single expression is a one-column set */
            N *l = mk(p, LH_AST_EXPR_LIST, s->pos);
            size_t b2 = p->sp;
            if (!l || !push(p, s) || !list_from(p, l, 0, b2))
                s = NULL;
            else
                s = l;
        }
        if (!push(p, s)) {
            p->sp = base;
            return NULL;
        }
    } while (accept_punct(p, ','));
    if (!expect_punct(p, ')', "',', ')'")) {
        p->sp = base;
        return NULL;
    }
    return list_from(p, g, 0, base) ? g : NULL;
}

static N *group_by(lh_parser *p, lh_pos pos)
{
    N *g = mk(p, LH_AST_GROUP_BY, pos);
    size_t base = p->sp;
    if (!g)
        return NULL;
    if (accept_kw(p, "DISTINCT")) {
        g->flags |= LH_AST_F_DISTINCT;
    } else if (pkw(p, 0, "ALL") && !ppunct(p, 1, ',') && !ppunct(p, 1, ')') && !ppunct(p, 1, ';') &&
               ptok(p, 1)->kind != LH_TOK_EOF && !pkw(p, 1, "HAVING") && !pkw(p, 1, "ORDER") &&
               !pkw(p, 1, "UNION") && !pkw(p, 1, "EXCEPT") && !pkw(p, 1, "INTERSECT") && !clause_word(p, 1)) {
        p->i++;
        g->flags |= LH_AST_F_ALL;
    }
    if (pkw(p, 0, "AUTO") && (ppunct(p, 1, ')') || ppunct(p, 1, ';') || ptok(p, 1)->kind == LH_TOK_EOF ||
                              pkw(p, 1, "HAVING") || pkw(p, 1, "ORDER") || pkw(p, 1, "UNION") || pkw(p, 1, "EXCEPT") ||
                              pkw(p, 1, "INTERSECT") || clause_word(p, 1))) {
        p->i++; /* GROUP BY AUTO: the analyzer groups by every select item that is not an aggregate */
        g->flags |= LH_AST_F_AUTO;
        return fin(p, g);
    }
    do {
        if (!push(p, grouping_element(p))) {
            p->sp = base;
            return NULL;
        }
    } while (accept_punct(p, ','));
    return list_from(p, g, 0, base) ? g : NULL;
}

static N *window_clause(lh_parser *p, lh_pos pos)
{
    N *w = mk(p, LH_AST_WINDOW_LIST, pos);
    size_t base = p->sp;
    if (!w)
        return NULL;
    do {
        N *d = mk(p, LH_AST_WINDOW_DEF, tpos(p, 0));
        if (!d || !(d->kid[0] = parse_ident(p)) || !expect_kw(p, "AS") || !expect_punct(p, '(', NULL) ||
            !(d->kid[1] = parse_window_spec(p)) || !expect_punct(p, ')', NULL) || !push(p, fin(p, d))) {
            p->sp = base;
            return NULL;
        }
    } while (accept_punct(p, ','));
    return list_from(p, w, 0, base) ? w : NULL;
}

#define AFTER_ITEMS "',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', " \
                    "'UNION', 'WHERE', 'WINDOW', <EOF>"
#define AFTER_FROM "',', 'CROSS', 'EXCEPT', 'FETCH', 'FULL', 'GROUP', 'HAVING', 'INNER', 'INTERSECT', 'JOIN', " \
                   "'LEFT', 'LIMIT', 'NATURAL', 'OFFSET', 'ORDER', 'RIGHT', 'UNION', 'WHERE', 'WINDOW', <EOF>"
#define AFTER_WHERE "'AND', 'EXCEPT', 'FETCH', 'GROUP', 'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'OR', 'ORDER', " \
                    "'UNION', 'WINDOW', <EOF>"
#define AFTER_QUERY "'EXCEPT', 'FETCH', 'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', <EOF>"

/* querySpecification */
static N *query_spec(lh_parser *p)
{
    N *s = mk(p, LH_AST_SELECT, tpos(p, 0));
    size_t base = p->sp;
    if (!s)
        return NULL;
    p->i++; /* SELECT */
    if (accept_kw(p, "DISTINCT"))
        s->flags |= LH_AST_F_DISTINCT;
    else if (pkw(p, 0, "ALL") && !ppunct(p, 1, ',') && !ppunct(p, 1, ')') && !pkw(p, 1, "FROM") &&
             !pkw(p, 1, "AS") && ptok(p, 1)->kind != LH_TOK_EOF) {
        p->i++; /* SELECT ALL x; but SELECT all FROM t names a column */
        s->flags |= LH_AST_F_ALL;
    }
    do {
        if (!push(p, select_item(p)))
            goto fail;
    } while (accept_punct(p, ','));
    if (!list_from(p, s, 0, base))
        goto fail;
    p->hint = AFTER_ITEMS;
    if (accept_kw(p, "FROM")) {
        do {
            if (!push(p, parse_relation(p)))
                goto fail;
        } while (accept_punct(p, ','));
        if (!list_from(p, s, 1, base))
            goto fail;
        p->hint = AFTER_FROM;
    }
    if (accept_kw(p, "WHERE")) {
        if (!(s->kid[0] = parse_expr(p)))
            goto fail;
        p->hint = AFTER_WHERE;
    }
    if (pkw(p, 0, "GROUP")) {
        lh_pos gp = tpos(p, 0);
        p->i++;
        if (!expect_kw(p, "BY") || !(s->kid[1] = group_by(p, gp)))
            goto fail;
        p->hint = AFTER_WHERE;
    }
    if (accept_kw(p, "HAVING")) {
        if (!(s->kid[2] = parse_expr(p)))
            goto fail;
        p->hint = AFTER_WHERE;
    }
    if (pkw(p, 0, "WINDOW") && clause_word(p, 0)) {
        lh_pos wp = tpos(p, 0);
        p->i++;
        if (!(s->kid[3] = window_clause(p, wp)))
            goto fail;
        p->hint = AFTER_QUERY;
    }
    return fin(p, s);
fail:
    p->sp = base;
    return NULL;
}

static N *query_primary(lh_parser *p)
{
    lh_pos pos = tpos(p, 0);
    size_t base = p->sp;
    N *n;
    if (pkw(p, 0, "SELECT"))
        return query_spec(p);
    if (pkw(p, 0, "TABLE")) {
        p->i++;
        n = mk(p, LH_AST_TABLE_QUERY, pos);
        if (!n || !(n->kid[0] = parse_qname(p)))
            return NULL;
        p->hint = AFTER_QUERY;
        return fin(p, n);
    }
    if (pkw(p, 0, "VALUES")) {
        p->i++;
        if (!(n = mk(p, LH_AST_VALUES, pos)))
            return NULL;
        do {
            if (!push(p, parse_expr(p))) {
                p->sp = base;
                return NULL;
            }
        } while (accept_punct(p, ','));
        p->hint = "',', " AFTER_QUERY;
        return list_from(p, n, 0, base) ? n : NULL;
    }
    if (ppunct(p, 0, '(')) {
        if (!penter(p))
            return NULL;
        p->i++;
        n = parse_query(p);
        pleave(p);
        if (!n || !expect_punct(p, ')', NULL))
            return NULL;
        p->hint = AFTER_QUERY;
        if (n->kind == LH_AST_QUERY && !n->kid[0] && !n->kid[2] && !n->kid[3] && !n->list[0].n)
            n = n->kid[1]; /* (SELECT ...) is just the SELECT */
        return n;
    }
    return perr_expect(p, "'(', 'SELECT', 'TABLE', 'VALUES'");
}

/* queryTerm: INTERSECT binds tighter than UNION and EXCEPT; all left-associative.
 * setQuantifier? (CORRESPONDING (BY '(' identifier (',' identifier)* ')')?)? */
static N *set_quant(lh_parser *p, N *s)
{
    if (accept_kw(p, "ALL"))
        s->flags |= LH_AST_F_ALL;
    else if (accept_kw(p, "DISTINCT"))
        s->flags |= LH_AST_F_DISTINCT;
    if (accept_kw(p, "CORRESPONDING")) {
        s->flags |= LH_AST_F_CORRESPONDING;
        if (accept_kw(p, "BY") && (!expect_punct(p, '(', NULL) || !ident_list(p, s, 0)))
            return NULL;
    }
    return s;
}

static N *setop_intersect(lh_parser *p, N *first)
{
    N *left = first ? first : query_primary(p);
    while (left && pkw(p, 0, "INTERSECT")) {
        N *s = mk(p, LH_AST_SETOP, tpos(p, 0));
        p->i++;
        if (!s)
            return NULL;
        s->op = LH_SET_INTERSECT;
        if (!set_quant(p, s))
            return NULL;
        s->kid[0] = left;
        if (!(s->kid[1] = query_primary(p)))
            return NULL;
        left = fin(p, s);
    }
    return left;
}

static N *setop_union(lh_parser *p, N *first)
{
    N *left = setop_intersect(p, first);
    while (left && (pkw(p, 0, "UNION") || pkw(p, 0, "EXCEPT"))) {
        N *s = mk(p, LH_AST_SETOP, tpos(p, 0));
        if (!s)
            return NULL;
        s->op = pkw(p, 0, "UNION") ? LH_SET_UNION : LH_SET_EXCEPT;
        p->i++;
        if (!set_quant(p, s))
            return NULL;
        s->kid[0] = left;
        if (!(s->kid[1] = setop_intersect(p, NULL)))
            return NULL;
        left = fin(p, s);
    }
    return left;
}

/* rowCount: INTEGER_VALUE | QUESTION_MARK */
static N *row_count(lh_parser *p)
{
    const lh_token *t = ptok(p, 0);
    N *n;
    if (ppunct(p, 0, '?')) {
        n = mk(p, LH_AST_PARAM, tpos(p, 0));
        p->i++;
        return n;
    }
    if (t->kind != LH_TOK_NUMBER)
        return perr_expect(p, "'?', <integer>");
    return int_literal(p, "'?', <integer>");
}

/* queryNoWith's tail: ORDER BY, OFFSET, LIMIT | FETCH */
static N *query_tail(lh_parser *p, N *q)
{
    if (pkw(p, 0, "ORDER")) {
        p->i++;
        if (!expect_kw(p, "BY") || !sort_list(p, q, 0))
            return NULL;
        p->hint = "',', 'ASC', 'DESC', 'FETCH', 'LIMIT', 'NULLS', 'OFFSET', <EOF>";
    }
    if (pkw(p, 0, "OFFSET")) {
        N *o = mk(p, LH_AST_OFFSET, tpos(p, 0));
        p->i++;
        if (!o || !(o->kid[0] = row_count(p)) || !(q->kid[2] = fin(p, o)))
            return NULL;
        if (!accept_kw(p, "ROW"))
            accept_kw(p, "ROWS");
        p->hint = "'FETCH', 'LIMIT', <EOF>";
    }
    if (pkw(p, 0, "LIMIT")) {
        N *l = mk(p, LH_AST_LIMIT, tpos(p, 0));
        p->i++;
        if (!l)
            return NULL;
        if (!accept_kw(p, "ALL") && !(l->kid[0] = row_count(p)))
            return NULL;
        if (!(q->kid[3] = fin(p, l)))
            return NULL;
        p->hint = "<EOF>";
    } else if (pkw(p, 0, "FETCH")) {
        N *f = mk(p, LH_AST_FETCH, tpos(p, 0));
        p->i++;
        if (!f)
            return NULL;
        if (!accept_kw(p, "FIRST") && !accept_kw(p, "NEXT"))
            return perr_expect(p, "'FIRST', 'NEXT'");
        if (!pkw(p, 0, "ROW") && !pkw(p, 0, "ROWS") && !(f->kid[0] = row_count(p)))
            return NULL;
        if (!accept_kw(p, "ROW") && !accept_kw(p, "ROWS"))
            return perr_expect(p, "'ROW', 'ROWS'");
        if (pkw(p, 0, "WITH") && pkw(p, 1, "TIES")) {
            p->i += 2;
            f->flags |= LH_AST_F_WITH_TIES;
        } else if (!accept_kw(p, "ONLY")) {
            return perr_expect(p, "'ONLY', 'WITH'");
        }
        if (!(q->kid[3] = fin(p, f)))
            return NULL;
        p->hint = "<EOF>";
    }
    return fin(p, q);
}

N *parse_query_rest(lh_parser *p, N *first)
{
    N *q = mk(p, LH_AST_QUERY, first->pos);
    if (!q || !(q->kid[1] = setop_union(p, first)))
        return NULL;
    return query_tail(p, q);
}

/* cte: identifier columnAliases? AS '(' query ')' */
static N *cte(lh_parser *p)
{
    N *c = mk(p, LH_AST_CTE, tpos(p, 0));
    if (!c || !(c->kid[0] = parse_ident(p)))
        return NULL;
    if (accept_punct(p, '(') && !ident_list(p, c, 0))
        return NULL;
    if (!expect_kw(p, "AS") || !expect_punct(p, '(', NULL) || !(c->kid[1] = parse_query(p)) ||
        !expect_punct(p, ')', NULL))
        return NULL;
    return fin(p, c);
}

/* query: with? queryNoWith */
N *parse_query(lh_parser *p)
{
    N *q = NULL;
    if (!penter(p))
        return NULL;
    q = mk(p, LH_AST_QUERY, tpos(p, 0));
    if (q && pkw(p, 0, "WITH")) {
        N *w = mk(p, LH_AST_WITH, tpos(p, 0));
        size_t base = p->sp;
        p->i++;
        if (w && accept_kw(p, "RECURSIVE"))
            w->flags |= LH_AST_F_RECURSIVE;
        do {
            if (!w || !push(p, cte(p))) {
                p->sp = base;
                q = NULL;
                break;
            }
        } while (accept_punct(p, ','));
        if (q && (!list_from(p, w, 0, base) || !(q->kid[0] = w)))
            q = NULL;
    }
    if (q && !(q->kid[1] = setop_union(p, NULL)))
        q = NULL;
    if (q)
        q = query_tail(p, q);
    pleave(p);
    return p->rc ? NULL : q;
}

/* statement: EXPLAIN ANALYZE? VERBOSE? statement | query */
static N *statement(lh_parser *p)
{
    N *e, *inner;
    if (!pkw(p, 0, "EXPLAIN")) {
        if (!pquery_start(p, 0))
            return perr_expect(p, "'(', 'EXPLAIN', 'SELECT', 'TABLE', 'VALUES', 'WITH'");
        return parse_query(p);
    }
    if (!penter(p))
        return NULL;
    e = mk(p, LH_AST_EXPLAIN, tpos(p, 0));
    p->i++;
    if (e && accept_kw(p, "ANALYZE"))
        e->flags |= LH_AST_F_ANALYZE;
    if (e && accept_kw(p, "VERBOSE"))
        e->flags |= LH_AST_F_VERBOSE;
    if (e && ppunct(p, 0, '(') && !pquery_start(p, 0))
        e = perr_at(p, LH_EUNSUPPORTED, tpos(p, 0), "EXPLAIN options (TYPE, FORMAT) are not supported");
    inner = e ? statement(p) : NULL;
    pleave(p);
    if (!inner)
        return NULL;
    e->kid[0] = inner;
    return fin(p, e);
}

/* Trino's numeric literals with '_' between digits (1_000_000, 1_000.5)
 * and 0x / 0o / 0b integers: the shared lexer splits them into adjacent
 * NUMBER and WORD tokens, which are merged back when the whole is one. */
static int digits_ok(const char *s, size_t n, int base, int lead_us)
{
    size_t i;
    int prev_digit = 0, any = 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i], d;
        if (c == '_') {
            if (!prev_digit && !(lead_us && i == 0))
                return 0;
            prev_digit = 0;
            continue;
        }
        d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
        if (d >= base)
            return 0;
        prev_digit = any = 1;
    }
    return any && prev_digit;
}

static int lh_sql_number_ok(const char *s, size_t n)
{
    const char *dot;
    if (n >= 2 && s[0] == '0' && strchr("xXoObB", s[1]) && s[1]) {
        int base = s[1] == 'x' || s[1] == 'X' ? 16 : s[1] == 'o' || s[1] == 'O' ? 8 : 2;
        return digits_ok(s + 2, n - 2, base, 1);
    }
    dot = memchr(s, '.', n);
    if (!dot)
        return digits_ok(s, n, 10, 0);
    if (dot == s)
        return digits_ok(s + 1, n - 1, 10, 0);
    return digits_ok(s, (size_t)(dot - s), 10, 0) &&
           ((size_t)(dot - s) == n - 1 || digits_ok(dot + 1, n - (size_t)(dot - s) - 1, 10, 0));
}

static lh_rc tokenize(lh_parser *p)
{
    lh_lexer lx;
    lh_rc rc = LH_OK;
    size_t cap = 0;
    lh_lex_init(&lx, p->src, p->len, p->file);
    for (;;) {
        lh_token t;
        if ((rc = lh_lex_next(&lx, &t, p->err)) != LH_OK)
            break;
        if (t.line == 1)
            t.col += p->col0 - 1;
        t.line += p->line0 - 1;
        if (p->ntok && (t.kind == LH_TOK_WORD || t.kind == LH_TOK_NUMBER) &&
            p->toks[p->ntok - 1].kind == LH_TOK_NUMBER && p->toks[p->ntok - 1].off + p->toks[p->ntok - 1].len == t.off &&
            lh_sql_number_ok(p->src + p->toks[p->ntok - 1].off, p->toks[p->ntok - 1].len + t.len)) {
            p->toks[p->ntok - 1].len += t.len; /* 1_000, 0x1F, 123_456.789_123 */
            continue;
        }
        if (p->ntok && t.kind == LH_TOK_WORD && p->toks[p->ntok - 1].kind == LH_TOK_NUMBER &&
            p->toks[p->ntok - 1].off + p->toks[p->ntok - 1].len == t.off) {
            rc = lh_errf(p->err, LH_EPARSE,
                         "%s:%d:%d: identifiers must not start with a digit; surround the identifier with double "
                         "quotes",
                         p->file, p->toks[p->ntok - 1].line, p->toks[p->ntok - 1].col);
            break;
        }
        if (t.kind == LH_TOK_WORD) {
            /* Trino's IDENTIFIER is (LETTER | '_') (LETTER | DIGIT | '_')*, ASCII
             * only; the shared lexer also takes '$' and UTF-8 bytes (for Hive DDL) */
            size_t k;
            for (k = 0; k < t.len; k++) {
                unsigned char c = (unsigned char)p->src[t.off + k];
                if (c == '$' || c >= 0x80)
                    break;
            }
            if (k < t.len) {
                rc = lh_errf(p->err, LH_EPARSE,
                             "%s:%d:%d: identifier '%.*s' must be quoted: unquoted identifiers are letters, digits "
                             "and '_' (write \"%.*s\")",
                             p->file, t.line, t.col, t.len > 40 ? 40 : (int)t.len, p->src + t.off,
                             t.len > 40 ? 40 : (int)t.len, p->src + t.off);
                break;
            }
        }
        if (p->ntok == cap) {
            size_t nc = cap ? cap * 2 : 256;
            lh_token *nt;
            if (nc > MAX_TOKENS) {
                rc = lh_errf(p->err, LH_ELIMIT, "%s: query has more than %zu tokens", p->file, MAX_TOKENS);
                break;
            }
            nt = lh_realloc(p->toks, nc * sizeof *nt);
            if (!nt) {
                rc = lh_errf(p->err, LH_ENOMEM, "%s: out of memory parsing SQL", p->file);
                break;
            }
            p->toks = nt;
            cap = nc;
        }
        p->toks[p->ntok++] = t;
        if (t.kind == LH_TOK_EOF)
            break;
    }
    return rc;
}

lh_rc lh_parse_query_at(const char *src, size_t len, const char *file, int line, int col, lh_ast **out,
                        lh_err *err)
{
    lh_parser p;
    lh_rc rc;
    N *root = NULL;
    memset(&p, 0, sizeof p);
    *out = NULL;
    p.src = src;
    p.len = len;
    p.file = file ? file : "<sql>";
    p.line0 = line > 0 ? line : 1;
    p.col0 = col > 0 ? col : 1;
    p.err = err;
    if ((rc = tokenize(&p)) != LH_OK)
        goto out;
    if (!(p.ast = lh_ast_new())) {
        rc = lh_errf(err, LH_ENOMEM, "%s: out of memory parsing SQL", p.file);
        goto out;
    }
    root = statement(&p);
    if (root && !p.rc) {
        accept_punct(&p, ';');
        if (ptok(&p, 0)->kind != LH_TOK_EOF)
            perr_expect(&p, p.hint ? p.hint : "<EOF>");
    }
    rc = p.rc;
    if (!rc && !root)
        rc = lh_errf(err, LH_EINTERNAL, "%s: parser returned no tree and no error", p.file);
    if (!rc) {
        lh_ast_set_root(p.ast, root);
        *out = p.ast;
        p.ast = NULL;
    }
out:
    lh_ast_free(p.ast);
    lh_free(p.toks);
    lh_free(p.stack);
    return rc;
}

lh_rc lh_parse_query(const char *src, size_t len, const char *file, lh_ast **out, lh_err *err)
{
    return lh_parse_query_at(src, len, file, 1, 1, out, err);
}
