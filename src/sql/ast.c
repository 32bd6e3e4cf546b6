/* sql/ast.c — AST nodes in one arena, and the canonical dump. */
#include "sql/ast.h"

#include <string.h>

struct lh_ast {
    lh_arena arena;
    lh_ast_node *root;
};

lh_ast *lh_ast_new(void)
{
    lh_ast *a = lh_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    lh_arena_init(&a->arena, 0);
    return a;
}

void lh_ast_free(lh_ast *ast)
{
    if (!ast)
        return;
    lh_arena_free(&ast->arena);
    lh_free(ast);
}

const lh_ast_node *lh_ast_root(const lh_ast *ast) { return ast ? ast->root : NULL; }
void lh_ast_set_root(lh_ast *ast, lh_ast_node *root) { ast->root = root; }

lh_ast_node *lh_ast_node_new(lh_ast *ast, lh_ast_kind kind, lh_pos pos)
{
    lh_ast_node *n = lh_arena_alloc(&ast->arena, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->pos = pos;
    n->height = 1;
    return n;
}

char *lh_ast_strndup(lh_ast *ast, const char *s, size_t n) { return lh_arena_strndup(&ast->arena, s, n); }

lh_rc lh_ast_list_set(lh_ast *ast, lh_ast_list *list, lh_ast_node *const *items, size_t n)
{
    list->items = NULL;
    list->n = 0;
    if (n == 0)
        return LH_OK;
    if (n > ((size_t)-1) / sizeof *items)
        return LH_ENOMEM;
    list->items = lh_arena_alloc(&ast->arena, n * sizeof *items);
    if (!list->items)
        return LH_ENOMEM;
    memcpy(list->items, items, n * sizeof *items);
    list->n = n;
    return LH_OK;
}

void lh_ast_fix_height(lh_ast_node *n)
{
    int h = 0;
    size_t i, j;
    for (i = 0; i < 4; i++)
        if (n->kid[i] && n->kid[i]->height > h)
            h = n->kid[i]->height;
    for (j = 0; j < 2; j++)
        for (i = 0; i < n->list[j].n; i++)
            if (n->list[j].items[i]->height > h)
                h = n->list[j].items[i]->height;
    n->height = h + 1;
}

static const char *const KIND_NAMES[LH_AST_KIND_COUNT] = {
    [LH_AST_EXPLAIN] = "explain", [LH_AST_QUERY] = "query", [LH_AST_WITH] = "with",
    [LH_AST_CTE] = "cte", [LH_AST_SELECT] = "select", [LH_AST_SETOP] = "setop",
    [LH_AST_VALUES] = "values", [LH_AST_TABLE_QUERY] = "table-query", [LH_AST_ITEM] = "as",
    [LH_AST_ALL_COLUMNS] = "star", [LH_AST_SORT] = "sort", [LH_AST_LIMIT] = "limit",
    [LH_AST_OFFSET] = "offset", [LH_AST_FETCH] = "fetch", [LH_AST_GROUP_BY] = "group-by",
    [LH_AST_GROUPING_SETS] = "grouping-sets", [LH_AST_ROLLUP] = "rollup", [LH_AST_CUBE] = "cube",
    [LH_AST_EXPR_LIST] = "set", [LH_AST_WINDOW_DEF] = "def", [LH_AST_WINDOW_LIST] = "window",
    [LH_AST_WINDOW_SPEC] = "spec", [LH_AST_FRAME] = "frame", [LH_AST_BOUND] = "bound",
    [LH_AST_TABLE] = "table", [LH_AST_ALIASED] = "alias", [LH_AST_SUBQUERY] = "subquery",
    [LH_AST_JOIN] = "join", [LH_AST_IDENT] = "ident", [LH_AST_NAME] = "name", [LH_AST_COLUMN] = "col",
    [LH_AST_DEREF] = "deref", [LH_AST_SUBSCRIPT] = "subscript", [LH_AST_NUMBER] = "number",
    [LH_AST_STRING] = "str", [LH_AST_BINARY_LIT] = "bin", [LH_AST_BOOL] = "bool", [LH_AST_NULL] = "null",
    [LH_AST_TYPED_LIT] = "typed", [LH_AST_INTERVAL] = "interval", [LH_AST_PARAM] = "param",
    [LH_AST_UNARY] = "unary", [LH_AST_BINARY] = "binary", [LH_AST_COMPARE] = "compare",
    [LH_AST_AND] = "and", [LH_AST_OR] = "or", [LH_AST_NOT] = "not", [LH_AST_IS_NULL] = "is-null",
    [LH_AST_DISTINCT_FROM] = "distinct-from", [LH_AST_BETWEEN] = "between", [LH_AST_LIKE] = "like",
    [LH_AST_IN_LIST] = "in", [LH_AST_IN_QUERY] = "in", [LH_AST_EXISTS] = "exists",
    [LH_AST_QUANTIFIED] = "quantified", [LH_AST_CASE] = "case", [LH_AST_WHEN] = "when",
    [LH_AST_CAST] = "cast", [LH_AST_TYPE] = "type", [LH_AST_FIELD] = "field", [LH_AST_CALL] = "call",
    [LH_AST_STAR] = "star", [LH_AST_EXTRACT] = "extract", [LH_AST_AT_TIME_ZONE] = "at-time-zone",
    [LH_AST_CURRENT] = "current", [LH_AST_ARRAY] = "array", [LH_AST_ROW] = "row",
    [LH_AST_LAMBDA] = "lambda", [LH_AST_GROUPING_OP] = "grouping",
};

const char *lh_ast_kind_name(lh_ast_kind kind)
{
    if ((int)kind <= 0 || kind >= LH_AST_KIND_COUNT || !KIND_NAMES[kind])
        return "?";
    return KIND_NAMES[kind];
}

/* ---- dump ---- */

typedef struct dumper {
    lh_buf *out;
    unsigned flags;
    lh_err *err;
    lh_rc rc;
} dumper;

static void put(dumper *d, const char *s)
{
    if (!d->rc)
        d->rc = lh_buf_puts(d->out, s, d->err);
}

static void putn(dumper *d, const char *s, size_t n)
{
    if (!d->rc)
        d->rc = lh_buf_append(d->out, s, n, d->err);
}

static void putpos(dumper *d, const lh_ast_node *n)
{
    if ((d->flags & LH_AST_DUMP_POS) && !d->rc)
        d->rc = lh_buf_printf(d->out, d->err, "@%d:%d", n->pos.line, n->pos.col);
}

/* "(" tag [@l:c] */
static void open_(dumper *d, const char *tag, const lh_ast_node *n)
{
    put(d, "(");
    put(d, tag);
    putpos(d, n);
}

static void atom(dumper *d, const char *text, const lh_ast_node *n)
{
    put(d, text);
    putpos(d, n);
}

/* s quoted with q, q doubled inside. */
static void quoted(dumper *d, const char *s, size_t len, char q)
{
    size_t i, start = 0;
    putn(d, &q, 1);
    for (i = 0; i < len; i++) {
        if (s[i] == q) {
            putn(d, s + start, i + 1 - start);
            putn(d, &q, 1);
            start = i + 1;
        }
    }
    putn(d, s + start, len - start);
    putn(d, &q, 1);
}

static void ident(dumper *d, const lh_ast_node *n)
{
    if (n->flags & LH_AST_F_QUOTED)
        quoted(d, n->name, strlen(n->name), '"');
    else
        put(d, n->name);
}

static void name_(dumper *d, const lh_ast_node *n)
{
    size_t i;
    if (n->kind == LH_AST_IDENT) {
        ident(d, n);
        return;
    }
    for (i = 0; i < n->list[0].n; i++) {
        if (i)
            put(d, ".");
        ident(d, n->list[0].items[i]);
    }
}

static void node(dumper *d, const lh_ast_node *n);

static void sp_node(dumper *d, const lh_ast_node *n)
{
    put(d, " ");
    node(d, n);
}

static void items(dumper *d, const lh_ast_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        sp_node(d, l->items[i]);
}

/* " (tag items...)" when the list is not empty. */
static void group(dumper *d, const char *tag, const lh_ast_list *l)
{
    if (!l->n)
        return;
    put(d, " (");
    put(d, tag);
    items(d, l);
    put(d, ")");
}

/* " (tag a b c)" for a non-empty list of identifiers */
static void idents(dumper *d, const char *tag, const lh_ast_list *l)
{
    size_t i;
    if (!l->n)
        return;
    put(d, " (");
    put(d, tag);
    for (i = 0; i < l->n; i++) {
        put(d, " ");
        ident(d, l->items[i]);
    }
    put(d, ")");
}

static void kid_tagged(dumper *d, const char *tag, const lh_ast_node *k)
{
    if (!k)
        return;
    put(d, " (");
    put(d, tag);
    sp_node(d, k);
    put(d, ")");
}

static const char *const OPS[] = {"?", "+", "-", "*", "/", "%", "||"};
static const char *const CMPS[] = {"?", "=", "<>", "<", "<=", ">", ">="};
static const char *const IVF[] = {"?", "year", "month", "day", "hour", "minute", "second"};
static const char *const JOINS[] = {"?", "inner", "left", "right", "full", "cross"};
static const char *const FRAMES[] = {"?", "rows", "range", "groups"};

static const char *pick(const char *const *tab, size_t n, int i) { return i > 0 && (size_t)i < n ? tab[i] : "?"; }
#define PICK(tab, i) pick(tab, sizeof tab / sizeof tab[0], i)

static void quant(dumper *d, unsigned flags)
{
    if (flags & LH_AST_F_DISTINCT)
        put(d, " distinct");
    if (flags & LH_AST_F_ALL)
        put(d, " all");
}

static void neg_tag(dumper *d, const lh_ast_node *n, const char *tag)
{
    put(d, "(");
    if (n->flags & LH_AST_F_NOT)
        put(d, "not-");
    put(d, tag);
    putpos(d, n);
}

static void type_(dumper *d, const lh_ast_node *n)
{
    int bare = n->list[0].n == 0 && !(n->flags & LH_AST_F_WITH_TIME_ZONE) && n->op == 0;
    if (bare) {
        if (n->flags & LH_AST_F_QUOTED) {
            quoted(d, n->name, strlen(n->name), '"');
            putpos(d, n);
        } else {
            atom(d, n->name, n);
        }
        return;
    }
    put(d, "(");
    if (n->flags & LH_AST_F_QUOTED)
        quoted(d, n->name, strlen(n->name), '"');
    else
        put(d, n->name);
    putpos(d, n);
    if (n->op) {
        put(d, " ");
        put(d, PICK(IVF, n->op));
        if (n->ival2) {
            put(d, " ");
            put(d, PICK(IVF, (int)n->ival2));
        }
    }
    items(d, &n->list[0]);
    if (n->flags & LH_AST_F_WITH_TIME_ZONE)
        put(d, " with-time-zone");
    put(d, ")");
}

static void query_(dumper *d, const lh_ast_node *n)
{
    if (!n->kid[0] && !n->list[0].n && !n->kid[2] && !n->kid[3]) {
        node(d, n->kid[1]);
        return;
    }
    open_(d, "query", n);
    if (n->kid[0])
        sp_node(d, n->kid[0]);
    sp_node(d, n->kid[1]);
    group(d, "order", &n->list[0]);
    if (n->kid[2])
        sp_node(d, n->kid[2]);
    if (n->kid[3])
        sp_node(d, n->kid[3]);
    put(d, ")");
}

static void bound(dumper *d, const lh_ast_node *n)
{
    switch (n->op) {
    case LH_BOUND_UNBOUNDED_PRECEDING: atom(d, "unbounded-preceding", n); break;
    case LH_BOUND_UNBOUNDED_FOLLOWING: atom(d, "unbounded-following", n); break;
    case LH_BOUND_CURRENT_ROW: atom(d, "current-row", n); break;
    default:
        open_(d, n->op == LH_BOUND_PRECEDING ? "preceding" : "following", n);
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    }
}

static void node(dumper *d, const lh_ast_node *n)
{
    if (d->rc)
        return;
    if (!n) {
        put(d, "<null>");
        return;
    }
    switch (n->kind) {
    case LH_AST_EXPLAIN:
        open_(d, "explain", n);
        if (n->flags & LH_AST_F_ANALYZE)
            put(d, " analyze");
        if (n->flags & LH_AST_F_VERBOSE)
            put(d, " verbose");
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_QUERY: query_(d, n); break;
    case LH_AST_WITH:
        open_(d, "with", n);
        if (n->flags & LH_AST_F_RECURSIVE)
            put(d, " recursive");
        items(d, &n->list[0]);
        put(d, ")");
        break;
    case LH_AST_CTE:
        open_(d, "cte", n);
        put(d, " ");
        ident(d, n->kid[0]);
        idents(d, "cols", &n->list[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_SELECT:
        open_(d, "select", n);
        quant(d, n->flags);
        group(d, "items", &n->list[0]);
        group(d, "from", &n->list[1]);
        kid_tagged(d, "where", n->kid[0]);
        if (n->kid[1])
            sp_node(d, n->kid[1]);
        kid_tagged(d, "having", n->kid[2]);
        if (n->kid[3])
            sp_node(d, n->kid[3]);
        put(d, ")");
        break;
    case LH_AST_SETOP:
        open_(d, n->op == LH_SET_UNION ? "union" : n->op == LH_SET_INTERSECT ? "intersect" : "except", n);
        quant(d, n->flags);
        if (n->flags & LH_AST_F_CORRESPONDING) {
            put(d, " corresponding");
            idents(d, "by", &n->list[0]);
        }
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_ITEM:
        if (!n->kid[1]) {
            node(d, n->kid[0]);
            break;
        }
        open_(d, "as", n);
        sp_node(d, n->kid[0]);
        put(d, " ");
        ident(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_ALL_COLUMNS:
        open_(d, "star", n);
        if (n->kid[0]) {
            put(d, " ");
            name_(d, n->kid[0]);
        }
        put(d, ")");
        break;
    case LH_AST_SORT:
        open_(d, "sort", n);
        sp_node(d, n->kid[0]);
        if (n->op == LH_SORT_ASC)
            put(d, " asc");
        if (n->op == LH_SORT_DESC)
            put(d, " desc");
        if (n->flags & LH_AST_F_NULLS_FIRST)
            put(d, " nulls-first");
        if (n->flags & LH_AST_F_NULLS_LAST)
            put(d, " nulls-last");
        put(d, ")");
        break;
    case LH_AST_LIMIT:
        open_(d, "limit", n);
        if (n->kid[0])
            sp_node(d, n->kid[0]);
        else
            put(d, " all");
        put(d, ")");
        break;
    case LH_AST_FETCH:
        open_(d, "fetch", n);
        if (n->kid[0])
            sp_node(d, n->kid[0]);
        if (n->flags & LH_AST_F_WITH_TIES)
            put(d, " with-ties");
        put(d, ")");
        break;
    case LH_AST_GROUP_BY:
        open_(d, "group-by", n);
        quant(d, n->flags);
        items(d, &n->list[0]);
        put(d, ")");
        break;
    case LH_AST_EXPR_LIST:
        put(d, "(");
        putpos(d, n);
        if (n->list[0].n) {
            node(d, n->list[0].items[0]);
            {
                size_t i;
                for (i = 1; i < n->list[0].n; i++)
                    sp_node(d, n->list[0].items[i]);
            }
        }
        put(d, ")");
        break;
    case LH_AST_WINDOW_DEF:
        open_(d, "def", n);
        put(d, " ");
        ident(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_WINDOW_SPEC:
        open_(d, "spec", n);
        if (n->kid[0]) {
            put(d, " ");
            ident(d, n->kid[0]);
        }
        group(d, "partition", &n->list[0]);
        group(d, "order", &n->list[1]);
        if (n->kid[1])
            sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_FRAME:
        open_(d, PICK(FRAMES, n->op), n);
        sp_node(d, n->kid[0]);
        if (n->kid[1])
            sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_BOUND: bound(d, n); break;
    case LH_AST_TABLE:
        open_(d, "table", n);
        put(d, " ");
        name_(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_ALIASED:
        open_(d, "alias", n);
        sp_node(d, n->kid[0]);
        put(d, " ");
        ident(d, n->kid[1]);
        idents(d, "cols", &n->list[0]);
        put(d, ")");
        break;
    case LH_AST_JOIN:
        open_(d, "join", n);
        put(d, " ");
        if (n->flags & LH_AST_F_NATURAL)
            put(d, "natural-");
        put(d, PICK(JOINS, n->op));
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        kid_tagged(d, "on", n->kid[2]);
        idents(d, "using", &n->list[0]);
        put(d, ")");
        break;
    case LH_AST_IDENT: ident(d, n); putpos(d, n); break;
    case LH_AST_NAME: name_(d, n); putpos(d, n); break;
    case LH_AST_COLUMN:
        open_(d, "col", n);
        put(d, " ");
        name_(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_DEREF:
        open_(d, "deref", n);
        sp_node(d, n->kid[0]);
        put(d, " ");
        ident(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_NUMBER:
        open_(d, n->op == LH_LIT_INTEGER ? "int" : n->op == LH_LIT_DECIMAL ? "dec" : "double", n);
        put(d, " ");
        put(d, n->text);
        put(d, ")");
        break;
    case LH_AST_STRING:
        open_(d, "str", n); /* U&'..' dumps as its decoded value */
        put(d, " ");
        quoted(d, n->text, (size_t)n->ival, '\'');
        put(d, ")");
        break;
    case LH_AST_BINARY_LIT:
        open_(d, "bin", n);
        put(d, " ");
        quoted(d, n->text, strlen(n->text), '\'');
        put(d, ")");
        break;
    case LH_AST_BOOL: atom(d, n->ival ? "true" : "false", n); break;
    case LH_AST_NULL: atom(d, "null", n); break;
    case LH_AST_PARAM: atom(d, "?", n); break;
    case LH_AST_TYPED_LIT:
        open_(d, "typed", n);
        sp_node(d, n->kid[0]);
        put(d, " ");
        quoted(d, n->text, (size_t)n->ival, '\'');
        put(d, ")");
        break;
    case LH_AST_INTERVAL:
        open_(d, "interval", n);
        if (n->ival < 0)
            put(d, " -");
        put(d, " ");
        quoted(d, n->text, strlen(n->text), '\'');
        put(d, " ");
        put(d, PICK(IVF, n->op));
        if (n->ival2) {
            put(d, " ");
            put(d, PICK(IVF, (int)n->ival2));
        }
        put(d, ")");
        break;
    case LH_AST_UNARY:
        open_(d, n->op == '-' ? "neg" : "pos", n);
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_AND:
    case LH_AST_OR:
        open_(d, n->kind == LH_AST_AND ? "and" : "or", n);
        items(d, &n->list[0]);
        put(d, ")");
        break;
    case LH_AST_BINARY:
    case LH_AST_COMPARE:
        open_(d, n->kind == LH_AST_BINARY ? PICK(OPS, n->op) : PICK(CMPS, n->op), n);
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_NOT:
    case LH_AST_EXISTS:
    case LH_AST_SUBQUERY:
        open_(d, lh_ast_kind_name(n->kind), n);
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_IS_NULL:
        put(d, (n->flags & LH_AST_F_NOT) ? "(is-not-null" : "(is-null");
        putpos(d, n);
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_DISTINCT_FROM:
    case LH_AST_BETWEEN:
    case LH_AST_LIKE:
    case LH_AST_IN_QUERY:
        neg_tag(d, n, lh_ast_kind_name(n->kind));
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        if (n->kid[2])
            sp_node(d, n->kid[2]);
        put(d, ")");
        break;
    case LH_AST_IN_LIST:
        neg_tag(d, n, "in");
        sp_node(d, n->kid[0]);
        put(d, " (list");
        items(d, &n->list[0]);
        put(d, "))");
        break;
    case LH_AST_QUANTIFIED:
        open_(d, "quantified", n);
        put(d, " ");
        put(d, PICK(CMPS, n->op));
        put(d, n->ival == LH_QUANT_ALL ? " all" : n->ival == LH_QUANT_ANY ? " any" : " some");
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_CASE:
        open_(d, "case", n);
        if (n->kid[0])
            sp_node(d, n->kid[0]);
        items(d, &n->list[0]);
        kid_tagged(d, "else", n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_WHEN:
        open_(d, "when", n);
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_CAST:
        open_(d, (n->flags & LH_AST_F_TRY) ? "try_cast" : "cast", n);
        sp_node(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_TYPE: type_(d, n); break;
    case LH_AST_FIELD:
        open_(d, "field", n);
        if (n->kid[0]) {
            put(d, " ");
            ident(d, n->kid[0]);
        }
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_CALL:
        open_(d, "call", n);
        put(d, " ");
        name_(d, n->kid[0]);
        quant(d, n->flags);
        items(d, &n->list[0]);
        group(d, "order", &n->list[1]);
        kid_tagged(d, "filter", n->kid[1]);
        if (n->flags & LH_AST_F_IGNORE_NULLS)
            put(d, " ignore-nulls");
        if (n->flags & LH_AST_F_RESPECT_NULLS)
            put(d, " respect-nulls");
        if (n->kid[2]) {
            put(d, " (over");
            if (n->kid[2]->kind == LH_AST_IDENT) {
                put(d, " ");
                ident(d, n->kid[2]);
            } else {
                sp_node(d, n->kid[2]);
            }
            put(d, ")");
        }
        put(d, ")");
        break;
    case LH_AST_STAR:
        open_(d, "star", n);
        put(d, ")");
        break;
    case LH_AST_EXTRACT:
        open_(d, "extract", n);
        put(d, " ");
        ident(d, n->kid[0]);
        sp_node(d, n->kid[1]);
        put(d, ")");
        break;
    case LH_AST_CURRENT:
        open_(d, n->name, n);
        if (n->kid[0])
            sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    case LH_AST_LAMBDA: {
        size_t i;
        open_(d, "lambda", n);
        put(d, " (");
        for (i = 0; i < n->list[0].n; i++) {
            if (i)
                put(d, " ");
            ident(d, n->list[0].items[i]);
        }
        put(d, ")");
        sp_node(d, n->kid[0]);
        put(d, ")");
        break;
    }
    case LH_AST_VALUES:
    case LH_AST_TABLE_QUERY:
    case LH_AST_OFFSET:
    case LH_AST_GROUPING_SETS:
    case LH_AST_ROLLUP:
    case LH_AST_CUBE:
    case LH_AST_WINDOW_LIST:
    case LH_AST_SUBSCRIPT:
    case LH_AST_AT_TIME_ZONE:
    case LH_AST_ARRAY:
    case LH_AST_ROW:
    case LH_AST_GROUPING_OP:
    default: {
        /* generic: (tag kids... list0... list1...) */
        size_t i;
        open_(d, lh_ast_kind_name(n->kind), n);
        for (i = 0; i < 4; i++)
            if (n->kid[i])
                sp_node(d, n->kid[i]);
        items(d, &n->list[0]);
        items(d, &n->list[1]);
        put(d, ")");
        break;
    }
    }
}

lh_rc lh_ast_dump(const lh_ast_node *n, unsigned flags, lh_buf *out, lh_err *err)
{
    dumper d = {out, flags, err, LH_OK};
    node(&d, n);
    return d.rc;
}
