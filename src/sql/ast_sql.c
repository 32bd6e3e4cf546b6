/* sql/ast_sql.c — print a tree back as SQL text that parses to the same
 * tree (lh_ast_format).
 *
 * The analyzer quotes expressions in its messages, as Trino does ("'a + b'
 * must be an aggregate expression ..."), and the fuzz target checks the
 * round trip parse → format → parse → same dump.  The text is not the
 * user's spelling: keywords are upper case, every compound operand is in
 * parentheses, aliases always take AS. */
#include "sql/ast.h"

#include <string.h>

#include "sql/parse.h"

typedef struct fmt {
    lh_buf *out;
    lh_err *err;
    lh_rc rc;
} fmt;

static void put(fmt *f, const char *s)
{
    if (!f->rc)
        f->rc = lh_buf_puts(f->out, s, f->err);
}

static void putn(fmt *f, const char *s, size_t n)
{
    if (!f->rc)
        f->rc = lh_buf_append(f->out, s, n, f->err);
}

static void quoted(fmt *f, const char *s, size_t len, char q)
{
    size_t i, start = 0;
    putn(f, &q, 1);
    for (i = 0; i < len; i++)
        if (s[i] == q) {
            putn(f, s + start, i + 1 - start);
            putn(f, &q, 1);
            start = i + 1;
        }
    putn(f, s + start, len - start);
    putn(f, &q, 1);
}

static void ident(fmt *f, const lh_ast_node *n)
{
    if (n->flags & LH_AST_F_QUOTED)
        quoted(f, n->name, strlen(n->name), '"');
    else
        put(f, n->name);
}

static void name_(fmt *f, const lh_ast_node *n)
{
    size_t i;
    for (i = 0; i < n->list[0].n; i++) {
        if (i)
            put(f, ".");
        ident(f, n->list[0].items[i]);
    }
}

static void ident_list(fmt *f, const lh_ast_list *l)
{
    size_t i;
    put(f, "(");
    for (i = 0; i < l->n; i++) {
        if (i)
            put(f, ", ");
        ident(f, l->items[i]);
    }
    put(f, ")");
}

static void expr(fmt *f, const lh_ast_node *n);
static void query(fmt *f, const lh_ast_node *n);
static void relation(fmt *f, const lh_ast_node *n);
static void type_(fmt *f, const lh_ast_node *n);

static void expr_list(fmt *f, const lh_ast_list *l, size_t from)
{
    size_t i;
    for (i = from; i < l->n; i++) {
        if (i > from)
            put(f, ", ");
        expr(f, l->items[i]);
    }
}

/* A single unquoted name that means something else before '[', '+ ...',
 * 'PRECEDING' (ARRAY[...], INTERVAL '...', UNBOUNDED PRECEDING, ...). */
static int special_word(const lh_ast_node *col)
{
    static const char *const W[] = {"array", "interval", "unbounded", "current", "row", "double", "position",
                                    "try_cast", "all"};
    const lh_ast_node *nm = col->kid[0];
    size_t i;
    if (nm->list[0].n != 1 || (nm->list[0].items[0]->flags & LH_AST_F_QUOTED))
        return 0;
    for (i = 0; i < sizeof W / sizeof W[0]; i++)
        if (strcmp(nm->list[0].items[0]->name, W[i]) == 0)
            return 1;
    return 0;
}

/* Printed without parentheses as an operand. */
static int primary(const lh_ast_node *n)
{
    switch (n->kind) {
    case LH_AST_COLUMN: /* a special word prints its own parentheses */
    case LH_AST_NUMBER:
    case LH_AST_STRING:
    case LH_AST_BINARY_LIT:
    case LH_AST_BOOL:
    case LH_AST_NULL:
    case LH_AST_TYPED_LIT:
    case LH_AST_INTERVAL:
    case LH_AST_PARAM:
    case LH_AST_CALL:
    case LH_AST_CAST:
    case LH_AST_CASE:
    case LH_AST_EXTRACT:
    case LH_AST_CURRENT:
    case LH_AST_ARRAY:
    case LH_AST_ROW:
    case LH_AST_SUBQUERY:
    case LH_AST_EXISTS:
    case LH_AST_SUBSCRIPT:
    case LH_AST_DEREF:
    case LH_AST_GROUPING_OP: return 1;
    default: return 0;
    }
}

static void operand(fmt *f, const lh_ast_node *n)
{
    if (primary(n)) {
        expr(f, n);
        return;
    }
    put(f, "(");
    expr(f, n);
    put(f, ")");
}

/* 1 if n's text would begin with the bare word ALL (then SELECT ALL, GROUP BY
 * ALL and f(ALL ...) would read it as a quantifier). */
static int starts_with_all(const lh_ast_node *n)
{
    const lh_ast_node *nm = NULL;
    while (n) {
        switch (n->kind) {
        case LH_AST_COLUMN:
            if (special_word(n))
                return 0; /* already "(all)" */
            nm = n->kid[0];
            break;
        case LH_AST_CALL: nm = n->kid[0]; break;
        case LH_AST_TYPED_LIT:
            return !(n->kid[0]->flags & LH_AST_F_QUOTED) && strcmp(n->kid[0]->name, "all") == 0;
        case LH_AST_BINARY:
        case LH_AST_COMPARE:
        case LH_AST_IS_NULL:
        case LH_AST_DISTINCT_FROM:
        case LH_AST_BETWEEN:
        case LH_AST_LIKE:
        case LH_AST_IN_LIST:
        case LH_AST_IN_QUERY:
        case LH_AST_QUANTIFIED:
        case LH_AST_AT_TIME_ZONE:
        case LH_AST_SUBSCRIPT:
            if (!primary(n->kid[0]) && n->kind != LH_AST_SUBSCRIPT)
                return 0;
            n = n->kid[0];
            continue;
        case LH_AST_AND:
        case LH_AST_OR: n = n->list[0].items[0]; continue;
        default: return 0;
        }
        break;
    }
    return nm && nm->list[0].n >= 1 && !(nm->list[0].items[0]->flags & LH_AST_F_QUOTED) &&
           strcmp(nm->list[0].items[0]->name, "all") == 0;
}

/* An expression right after a place where ALL is a quantifier. */
static void first_expr(fmt *f, const lh_ast_node *n)
{
    if (starts_with_all(n)) {
        put(f, "(");
        expr(f, n);
        put(f, ")");
    } else {
        expr(f, n);
    }
}

static const char *const OPS[] = {"?", " + ", " - ", " * ", " / ", " % ", " || "};
static const char *const CMPS[] = {"?", " = ", " <> ", " < ", " <= ", " > ", " >= "};
static const char *const IVF[] = {"?", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};

static const char *pick(const char *const *t, size_t n, long i) { return i > 0 && (size_t)i < n ? t[i] : "?"; }
#define PICK(t, i) pick(t, sizeof t / sizeof t[0], i)

static void sort_items(fmt *f, const lh_ast_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) {
        const lh_ast_node *s = l->items[i];
        if (i)
            put(f, ", ");
        expr(f, s->kid[0]);
        if (s->op == LH_SORT_ASC)
            put(f, " ASC");
        if (s->op == LH_SORT_DESC)
            put(f, " DESC");
        if (s->flags & LH_AST_F_NULLS_FIRST)
            put(f, " NULLS FIRST");
        if (s->flags & LH_AST_F_NULLS_LAST)
            put(f, " NULLS LAST");
    }
}

static void bound(fmt *f, const lh_ast_node *b)
{
    switch (b->op) {
    case LH_BOUND_UNBOUNDED_PRECEDING: put(f, "UNBOUNDED PRECEDING"); break;
    case LH_BOUND_UNBOUNDED_FOLLOWING: put(f, "UNBOUNDED FOLLOWING"); break;
    case LH_BOUND_CURRENT_ROW: put(f, "CURRENT ROW"); break;
    default:
        operand(f, b->kid[0]);
        put(f, b->op == LH_BOUND_PRECEDING ? " PRECEDING" : " FOLLOWING");
        break;
    }
}

static void window_spec(fmt *f, const lh_ast_node *s)
{
    const char *sep = "";
    if (s->kid[0]) {
        ident(f, s->kid[0]);
        sep = " ";
    }
    if (s->list[0].n) {
        put(f, sep);
        put(f, "PARTITION BY ");
        expr_list(f, &s->list[0], 0);
        sep = " ";
    }
    if (s->list[1].n) {
        put(f, sep);
        put(f, "ORDER BY ");
        sort_items(f, &s->list[1]);
        sep = " ";
    }
    if (s->kid[1]) {
        const lh_ast_node *fr = s->kid[1];
        put(f, sep);
        put(f, fr->op == LH_FRAME_ROWS ? "ROWS " : fr->op == LH_FRAME_RANGE ? "RANGE " : "GROUPS ");
        if (fr->kid[1]) {
            put(f, "BETWEEN ");
            bound(f, fr->kid[0]);
            put(f, " AND ");
            bound(f, fr->kid[1]);
        } else {
            bound(f, fr->kid[0]);
        }
    }
}

static void type_name(fmt *f, const lh_ast_node *t)
{
    if (t->flags & LH_AST_F_QUOTED)
        quoted(f, t->name, strlen(t->name), '"');
    else
        put(f, t->name);
}

static void type_(fmt *f, const lh_ast_node *t)
{
    size_t i;
    if (t->kind == LH_AST_NUMBER) {
        put(f, t->text);
        return;
    }
    if (t->kind == LH_AST_FIELD) {
        if (t->kid[0]) {
            ident(f, t->kid[0]);
            put(f, " ");
        }
        type_(f, t->kid[1]);
        return;
    }
    if (t->op) { /* interval day to second */
        put(f, "INTERVAL ");
        put(f, PICK(IVF, t->op));
        if (t->ival2) {
            put(f, " TO ");
            put(f, PICK(IVF, t->ival2));
        }
        return;
    }
    type_name(f, t);
    if (t->list[0].n) {
        put(f, "(");
        for (i = 0; i < t->list[0].n; i++) {
            if (i)
                put(f, ", ");
            type_(f, t->list[0].items[i]);
        }
        put(f, ")");
    }
    if (t->flags & LH_AST_F_WITH_TIME_ZONE)
        put(f, " WITH TIME ZONE");
}

static void string_lit(fmt *f, const char *text, size_t len) { quoted(f, text, len, '\''); }

static void call(fmt *f, const lh_ast_node *c)
{
    const lh_ast_node *nm = c->kid[0];
    int normalize = nm->list[0].n == 1 && !(nm->list[0].items[0]->flags & LH_AST_F_QUOTED) &&
                    strcmp(nm->list[0].items[0]->name, "normalize") == 0 && c->list[0].n == 2 &&
                    c->list[0].items[1]->kind == LH_AST_STRING;
    int listagg = nm->list[0].n == 1 && !(nm->list[0].items[0]->flags & LH_AST_F_QUOTED) &&
                  strcmp(nm->list[0].items[0]->name, "listagg") == 0 && c->list[1].n;
    name_(f, nm);
    put(f, "(");
    if (c->flags & LH_AST_F_DISTINCT)
        put(f, "DISTINCT ");
    if (c->flags & LH_AST_F_ALL)
        put(f, "ALL ");
    if (c->list[0].n == 1 && c->list[0].items[0]->kind == LH_AST_STAR) {
        put(f, "*");
    } else if (normalize) {
        expr(f, c->list[0].items[0]);
        put(f, ", ");
        put(f, c->list[0].items[1]->text); /* NORMALIZE(x, NFC): a keyword, not a string */
    } else if (c->list[0].n) {
        first_expr(f, c->list[0].items[0]);
        if (c->list[0].n > 1) {
            put(f, ", ");
            expr_list(f, &c->list[0], 1);
        }
    }
    if (c->list[1].n && !listagg) {
        put(f, " ORDER BY ");
        sort_items(f, &c->list[1]);
    }
    put(f, ")");
    if (listagg) { /* LISTAGG(x, sep) WITHIN GROUP (ORDER BY ...): its own form (LISTAGG is reserved) */
        put(f, " WITHIN GROUP (ORDER BY ");
        sort_items(f, &c->list[1]);
        put(f, ")");
    }
    if (c->kid[1]) {
        put(f, " FILTER (WHERE ");
        expr(f, c->kid[1]);
        put(f, ")");
    }
    if (c->flags & LH_AST_F_IGNORE_NULLS)
        put(f, " IGNORE NULLS");
    if (c->flags & LH_AST_F_RESPECT_NULLS)
        put(f, " RESPECT NULLS");
    if (c->kid[2]) {
        put(f, " OVER ");
        if (c->kid[2]->kind == LH_AST_IDENT) {
            ident(f, c->kid[2]);
        } else {
            put(f, "(");
            window_spec(f, c->kid[2]);
            put(f, ")");
        }
    }
}

static void not_prefix(fmt *f, const lh_ast_node *n, const char *word)
{
    put(f, (n->flags & LH_AST_F_NOT) ? " NOT " : " ");
    put(f, word);
    put(f, " ");
}

static void expr(fmt *f, const lh_ast_node *n)
{
    size_t i;
    if (f->rc)
        return;
    switch (n->kind) {
    case LH_AST_COLUMN:
        if (special_word(n))
            put(f, "(");
        name_(f, n->kid[0]);
        if (special_word(n))
            put(f, ")");
        break;
    case LH_AST_DEREF:
        put(f, "(");
        expr(f, n->kid[0]);
        put(f, ").");
        ident(f, n->kid[1]);
        break;
    case LH_AST_SUBSCRIPT:
        operand(f, n->kid[0]);
        put(f, "[");
        expr(f, n->kid[1]);
        put(f, "]");
        break;
    case LH_AST_NUMBER: put(f, n->text); break;
    case LH_AST_STRING: string_lit(f, n->text, (size_t)n->ival); break;
    case LH_AST_BINARY_LIT:
        put(f, "X");
        string_lit(f, n->text, strlen(n->text));
        break;
    case LH_AST_BOOL: put(f, n->ival ? "TRUE" : "FALSE"); break;
    case LH_AST_NULL: put(f, "NULL"); break;
    case LH_AST_PARAM: put(f, "?"); break;
    case LH_AST_TYPED_LIT:
        type_name(f, n->kid[0]);
        put(f, " ");
        string_lit(f, n->text, (size_t)n->ival);
        break;
    case LH_AST_INTERVAL:
        put(f, n->ival < 0 ? "INTERVAL -" : "INTERVAL ");
        string_lit(f, n->text, strlen(n->text));
        put(f, " ");
        put(f, PICK(IVF, n->op));
        if (n->ival2) {
            put(f, " TO ");
            put(f, PICK(IVF, n->ival2));
        }
        break;
    case LH_AST_UNARY:
        put(f, n->op == '-' ? "-" : "+");
        operand(f, n->kid[0]);
        break;
    case LH_AST_BINARY:
        operand(f, n->kid[0]);
        put(f, PICK(OPS, n->op));
        operand(f, n->kid[1]);
        break;
    case LH_AST_COMPARE:
        operand(f, n->kid[0]);
        put(f, PICK(CMPS, n->op));
        operand(f, n->kid[1]);
        break;
    case LH_AST_AND:
    case LH_AST_OR:
        for (i = 0; i < n->list[0].n; i++) {
            if (i)
                put(f, n->kind == LH_AST_AND ? " AND " : " OR ");
            operand(f, n->list[0].items[i]);
        }
        break;
    case LH_AST_NOT:
        put(f, "NOT ");
        operand(f, n->kid[0]);
        break;
    case LH_AST_IS_NULL:
        operand(f, n->kid[0]);
        put(f, (n->flags & LH_AST_F_NOT) ? " IS NOT NULL" : " IS NULL");
        break;
    case LH_AST_DISTINCT_FROM:
        operand(f, n->kid[0]);
        put(f, (n->flags & LH_AST_F_NOT) ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
        operand(f, n->kid[1]);
        break;
    case LH_AST_BETWEEN:
        operand(f, n->kid[0]);
        not_prefix(f, n, "BETWEEN");
        operand(f, n->kid[1]);
        put(f, " AND ");
        operand(f, n->kid[2]);
        break;
    case LH_AST_LIKE:
        operand(f, n->kid[0]);
        not_prefix(f, n, "LIKE");
        operand(f, n->kid[1]);
        if (n->kid[2]) {
            put(f, " ESCAPE ");
            operand(f, n->kid[2]);
        }
        break;
    case LH_AST_IN_LIST:
        operand(f, n->kid[0]);
        not_prefix(f, n, "IN");
        put(f, "(");
        expr_list(f, &n->list[0], 0);
        put(f, ")");
        break;
    case LH_AST_IN_QUERY:
        operand(f, n->kid[0]);
        not_prefix(f, n, "IN");
        put(f, "(");
        query(f, n->kid[1]);
        put(f, ")");
        break;
    case LH_AST_QUANTIFIED:
        operand(f, n->kid[0]);
        put(f, PICK(CMPS, n->op));
        put(f, n->ival == LH_QUANT_ALL ? "ALL (" : n->ival == LH_QUANT_ANY ? "ANY (" : "SOME (");
        query(f, n->kid[1]);
        put(f, ")");
        break;
    case LH_AST_EXISTS:
        put(f, "EXISTS (");
        query(f, n->kid[0]);
        put(f, ")");
        break;
    case LH_AST_SUBQUERY:
        put(f, "(");
        query(f, n->kid[0]);
        put(f, ")");
        break;
    case LH_AST_CASE:
        put(f, "CASE");
        if (n->kid[0]) {
            put(f, " ");
            expr(f, n->kid[0]);
        }
        for (i = 0; i < n->list[0].n; i++) {
            put(f, " WHEN ");
            expr(f, n->list[0].items[i]->kid[0]);
            put(f, " THEN ");
            expr(f, n->list[0].items[i]->kid[1]);
        }
        if (n->kid[1]) {
            put(f, " ELSE ");
            expr(f, n->kid[1]);
        }
        put(f, " END");
        break;
    case LH_AST_CAST:
        put(f, (n->flags & LH_AST_F_TRY) ? "TRY_CAST(" : "CAST(");
        expr(f, n->kid[0]);
        put(f, " AS ");
        type_(f, n->kid[1]);
        put(f, ")");
        break;
    case LH_AST_CALL: call(f, n); break;
    case LH_AST_STAR: put(f, "*"); break;
    case LH_AST_EXTRACT:
        put(f, "EXTRACT(");
        ident(f, n->kid[0]);
        put(f, " FROM ");
        expr(f, n->kid[1]);
        put(f, ")");
        break;
    case LH_AST_AT_TIME_ZONE:
        operand(f, n->kid[0]);
        put(f, " AT TIME ZONE ");
        expr(f, n->kid[1]);
        break;
    case LH_AST_CURRENT:
        put(f, n->name);
        if (n->kid[0]) {
            put(f, "(");
            put(f, n->kid[0]->text);
            put(f, ")");
        }
        break;
    case LH_AST_ARRAY:
        put(f, "ARRAY[");
        expr_list(f, &n->list[0], 0);
        put(f, "]");
        break;
    case LH_AST_ROW:
        put(f, "ROW(");
        expr_list(f, &n->list[0], 0);
        put(f, ")");
        break;
    case LH_AST_EXPR_LIST:
        put(f, "(");
        expr_list(f, &n->list[0], 0);
        put(f, ")");
        break;
    case LH_AST_LAMBDA:
        ident_list(f, &n->list[0]);
        put(f, " -> ");
        expr(f, n->kid[0]);
        break;
    case LH_AST_GROUPING_OP:
        put(f, "GROUPING(");
        for (i = 0; i < n->list[0].n; i++) {
            if (i)
                put(f, ", ");
            name_(f, n->list[0].items[i]);
        }
        put(f, ")");
        break;
    case LH_AST_ROLLUP:
    case LH_AST_CUBE:
    case LH_AST_GROUPING_SETS:
        put(f, n->kind == LH_AST_ROLLUP ? "ROLLUP (" : n->kind == LH_AST_CUBE ? "CUBE (" : "GROUPING SETS (");
        expr_list(f, &n->list[0], 0);
        put(f, ")");
        break;
    default: /* a query or relation node where an expression was expected */
        if (!f->rc)
            f->rc = lh_errf(f->err, LH_EINTERNAL, "lh_ast_format: %s is not an expression",
                            lh_ast_kind_name(n->kind));
        break;
    }
}

static void relation(fmt *f, const lh_ast_node *r)
{
    if (f->rc)
        return;
    switch (r->kind) {
    case LH_AST_TABLE: name_(f, r->kid[0]); break;
    case LH_AST_SUBQUERY:
        put(f, "(");
        query(f, r->kid[0]);
        put(f, ")");
        break;
    case LH_AST_ALIASED:
        if (r->kid[0]->kind == LH_AST_JOIN || r->kid[0]->kind == LH_AST_ALIASED) { /* ((t) a) b */
            put(f, "(");
            relation(f, r->kid[0]);
            put(f, ")");
        } else {
            relation(f, r->kid[0]);
        }
        put(f, " AS ");
        ident(f, r->kid[1]);
        if (r->list[0].n)
            ident_list(f, &r->list[0]);
        break;
    case LH_AST_JOIN: {
        static const char *const J[] = {"?", " JOIN ", " LEFT JOIN ", " RIGHT JOIN ", " FULL JOIN ", " CROSS JOIN "};
        relation(f, r->kid[0]);
        if (r->flags & LH_AST_F_NATURAL)
            put(f, " NATURAL");
        put(f, PICK(J, r->op));
        if (r->kid[1]->kind == LH_AST_JOIN) {
            put(f, "(");
            relation(f, r->kid[1]);
            put(f, ")");
        } else {
            relation(f, r->kid[1]);
        }
        if (r->kid[2]) {
            put(f, " ON ");
            expr(f, r->kid[2]);
        } else if (r->list[0].n) {
            put(f, " USING ");
            ident_list(f, &r->list[0]);
        }
        break;
    }
    default:
        if (!f->rc)
            f->rc = lh_errf(f->err, LH_EINTERNAL, "lh_ast_format: %s is not a relation", lh_ast_kind_name(r->kind));
        break;
    }
}

static void select_(fmt *f, const lh_ast_node *s)
{
    size_t i;
    put(f, "SELECT ");
    if (s->flags & LH_AST_F_DISTINCT)
        put(f, "DISTINCT ");
    if (s->flags & LH_AST_F_ALL)
        put(f, "ALL ");
    for (i = 0; i < s->list[0].n; i++) {
        const lh_ast_node *it = s->list[0].items[i];
        if (i)
            put(f, ", ");
        if (it->kind == LH_AST_ALL_COLUMNS) {
            if (it->kid[0]) {
                name_(f, it->kid[0]);
                put(f, ".");
            }
            put(f, "*");
            continue;
        }
        if (i == 0)
            first_expr(f, it->kid[0]);
        else
            expr(f, it->kid[0]);
        if (it->kid[1]) {
            put(f, " AS ");
            ident(f, it->kid[1]);
        }
    }
    if (s->list[1].n) {
        put(f, " FROM ");
        for (i = 0; i < s->list[1].n; i++) {
            if (i)
                put(f, ", ");
            relation(f, s->list[1].items[i]);
        }
    }
    if (s->kid[0]) {
        put(f, " WHERE ");
        expr(f, s->kid[0]);
    }
    if (s->kid[1]) {
        const lh_ast_node *g = s->kid[1];
        put(f, " GROUP BY ");
        if (g->flags & LH_AST_F_DISTINCT)
            put(f, "DISTINCT ");
        if (g->flags & LH_AST_F_ALL)
            put(f, "ALL ");
        if (g->flags & LH_AST_F_AUTO)
            put(f, "AUTO");
        for (i = 0; i < g->list[0].n; i++) {
            if (i)
                put(f, ", ");
            if (i == 0)
                first_expr(f, g->list[0].items[i]);
            else
                expr(f, g->list[0].items[i]);
        }
    }
    if (s->kid[2]) {
        put(f, " HAVING ");
        expr(f, s->kid[2]);
    }
    if (s->kid[3]) {
        put(f, " WINDOW ");
        for (i = 0; i < s->kid[3]->list[0].n; i++) {
            const lh_ast_node *d = s->kid[3]->list[0].items[i];
            if (i)
                put(f, ", ");
            ident(f, d->kid[0]);
            put(f, " AS (");
            window_spec(f, d->kid[1]);
            put(f, ")");
        }
    }
}

static int prec(const lh_ast_node *n) { return n->kind != LH_AST_SETOP ? 3 : n->op == LH_SET_INTERSECT ? 2 : 1; }

/* A query body: SELECT, set operation, VALUES, TABLE, or a QUERY with clauses. */
static void body(fmt *f, const lh_ast_node *b)
{
    if (f->rc)
        return;
    switch (b->kind) {
    case LH_AST_SELECT: select_(f, b); break;
    case LH_AST_VALUES:
        put(f, "VALUES ");
        expr_list(f, &b->list[0], 0);
        break;
    case LH_AST_TABLE_QUERY:
        put(f, "TABLE ");
        name_(f, b->kid[0]);
        break;
    case LH_AST_SETOP: {
        const lh_ast_node *l = b->kid[0], *r = b->kid[1];
        /* left-associative: the left operand needs parentheses only when it
         * binds looser, the right one whenever it is itself a set operation */
        int lp = l->kind == LH_AST_QUERY || prec(l) < prec(b);
        int rp = r->kind == LH_AST_QUERY || r->kind == LH_AST_SETOP;
        if (lp)
            put(f, "(");
        body(f, l);
        if (lp)
            put(f, ")");
        put(f, b->op == LH_SET_UNION ? " UNION " : b->op == LH_SET_INTERSECT ? " INTERSECT " : " EXCEPT ");
        if (b->flags & LH_AST_F_ALL)
            put(f, "ALL ");
        if (b->flags & LH_AST_F_DISTINCT)
            put(f, "DISTINCT ");
        if (b->flags & LH_AST_F_CORRESPONDING) {
            put(f, "CORRESPONDING ");
            if (b->list[0].n) {
                put(f, "BY ");
                ident_list(f, &b->list[0]);
                put(f, " ");
            }
        }
        if (rp)
            put(f, "(");
        body(f, r);
        if (rp)
            put(f, ")");
        break;
    }
    case LH_AST_QUERY: query(f, b); break;
    default:
        if (!f->rc)
            f->rc = lh_errf(f->err, LH_EINTERNAL, "lh_ast_format: %s is not a query", lh_ast_kind_name(b->kind));
        break;
    }
}

static void query(fmt *f, const lh_ast_node *q)
{
    size_t i;
    if (f->rc)
        return;
    if (q->kind != LH_AST_QUERY) {
        body(f, q);
        return;
    }
    if (q->kid[0]) {
        const lh_ast_node *w = q->kid[0];
        put(f, (w->flags & LH_AST_F_RECURSIVE) ? "WITH RECURSIVE " : "WITH ");
        for (i = 0; i < w->list[0].n; i++) {
            const lh_ast_node *c = w->list[0].items[i];
            if (i)
                put(f, ", ");
            ident(f, c->kid[0]);
            if (c->list[0].n)
                ident_list(f, &c->list[0]);
            put(f, " AS (");
            query(f, c->kid[1]);
            put(f, ")");
        }
        put(f, " ");
    }
    /* a body that is itself a QUERY keeps its parentheses (and its clauses) */
    if (q->kid[1]->kind == LH_AST_QUERY) {
        put(f, "(");
        query(f, q->kid[1]);
        put(f, ")");
    } else {
        body(f, q->kid[1]);
    }
    if (q->list[0].n) {
        put(f, " ORDER BY ");
        sort_items(f, &q->list[0]);
    }
    if (q->kid[2]) {
        put(f, " OFFSET ");
        expr(f, q->kid[2]->kid[0]);
        put(f, " ROWS");
    }
    if (q->kid[3] && q->kid[3]->kind == LH_AST_LIMIT) {
        put(f, " LIMIT ");
        if (q->kid[3]->kid[0])
            expr(f, q->kid[3]->kid[0]);
        else
            put(f, "ALL");
    } else if (q->kid[3]) {
        put(f, " FETCH FIRST ");
        if (q->kid[3]->kid[0]) {
            expr(f, q->kid[3]->kid[0]);
            put(f, " ");
        }
        put(f, (q->kid[3]->flags & LH_AST_F_WITH_TIES) ? "ROWS WITH TIES" : "ROWS ONLY");
    }
}

lh_rc lh_ast_format(const lh_ast_node *n, lh_buf *out, lh_err *err)
{
    fmt f = {out, err, LH_OK};
    if (!n)
        return lh_errf(err, LH_EINVAL, "lh_ast_format: no node");
    switch (n->kind) {
    case LH_AST_EXPLAIN:
        put(&f, "EXPLAIN ");
        if (n->flags & LH_AST_F_ANALYZE)
            put(&f, "ANALYZE ");
        if (n->flags & LH_AST_F_VERBOSE)
            put(&f, "VERBOSE ");
        if (!f.rc)
            f.rc = lh_ast_format(n->kid[0], out, err);
        break;
    case LH_AST_QUERY:
    case LH_AST_SELECT:
    case LH_AST_SETOP:
    case LH_AST_VALUES:
    case LH_AST_TABLE_QUERY: query(&f, n); break;
    case LH_AST_TABLE:
    case LH_AST_ALIASED:
    case LH_AST_JOIN: relation(&f, n); break;
    case LH_AST_TYPE:
    case LH_AST_FIELD: type_(&f, n); break;
    default: expr(&f, n); break;
    }
    return f.rc;
}
