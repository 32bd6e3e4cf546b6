/* sql/parse_int.h — shared between parse.c (statements, queries,
 * relations, types) and parse_expr.c (expressions).  Not a public header. */
#ifndef LH_SQL_PARSE_INT_H
#define LH_SQL_PARSE_INT_H

#include "sql/ast.h"
#include "sql/lexer.h"
#include "sql/parse.h"

/* Short names inside the parser; the linker sees lhp_*. */
#define ptok lhp_ptok
#define pkw lhp_pkw
#define ppunct lhp_ppunct
#define pop2 lhp_pop2
#define pident_like lhp_pident_like
#define accept_kw lhp_accept_kw
#define accept_punct lhp_accept_punct
#define expect_kw lhp_expect_kw
#define expect_punct lhp_expect_punct
#define tpos lhp_tpos
#define pquery_start lhp_pquery_start
#define perr_expect lhp_perr_expect
#define perr_at lhp_perr_at
#define poom lhp_poom
#define penter lhp_penter
#define pleave lhp_pleave
#define mk lhp_mk
#define fin lhp_fin
#define push lhp_push
#define list_from lhp_list_from
#define pstrndup lhp_pstrndup
#define parse_ident lhp_parse_ident
#define parse_qname lhp_parse_qname
#define parse_type lhp_parse_type
#define parse_query lhp_parse_query
#define parse_query_rest lhp_parse_query_rest
#define parse_sort_item lhp_parse_sort_item
#define parse_window_spec lhp_parse_window_spec
#define parse_expr lhp_parse_expr
#define parse_value_expr lhp_parse_value_expr
#define parse_string_lit lhp_parse_string_lit

typedef lh_ast_node N;

typedef struct lh_parser {
    const char *src;
    size_t len;
    const char *file;
    int line0, col0;
    lh_token *toks; /* every token, EOF last */
    size_t ntok, i;
    lh_ast *ast;
    lh_err *err;
    lh_rc rc; /* first error; sticky */
    int depth;
    N **stack; /* scratch for building lists */
    size_t sp, scap;
    const char *hint; /* what may follow the last complete clause (statement-end errors) */
} lh_parser;

/* tokens */
const lh_token *ptok(const lh_parser *p, size_t k); /* k tokens ahead (EOF past the end) */
int pkw(const lh_parser *p, size_t k, const char *kw);  /* WORD kw */
int ppunct(const lh_parser *p, size_t k, char c);
int pop2(const lh_parser *p, size_t k, const char *op); /* two adjacent PUNCT bytes, e.g. "<>" */
int pident_like(const lh_parser *p, size_t k);          /* non-reserved WORD or QIDENT */
int accept_kw(lh_parser *p, const char *kw);
int accept_punct(lh_parser *p, char c);
int expect_kw(lh_parser *p, const char *kw); /* 1, or 0 after recording the error */
int expect_punct(lh_parser *p, char c, const char *expecting);
lh_pos tpos(const lh_parser *p, size_t k);
int pquery_start(const lh_parser *p, size_t k); /* SELECT/WITH/VALUES/TABLE, after any '(' */

/* errors: all return NULL so callers can `return fail(...)` */
N *perr_expect(lh_parser *p, const char *expecting);
N *perr_at(lh_parser *p, lh_rc code, lh_pos pos, const char *fmt, ...) LH_PRINTF(4, 5);
N *poom(lh_parser *p);
int penter(lh_parser *p);
void pleave(lh_parser *p);

/* nodes */
N *mk(lh_parser *p, lh_ast_kind kind, lh_pos pos);
N *fin(lh_parser *p, N *n); /* recompute height, check the limit; NULL on error */
int push(lh_parser *p, N *n);
int list_from(lh_parser *p, N *n, int which, size_t base); /* stack[base..] → n->list[which] */
char *pstrndup(lh_parser *p, const char *s, size_t n);

N *parse_ident(lh_parser *p);
N *parse_qname(lh_parser *p); /* ident (. ident)* */
N *parse_type(lh_parser *p);
N *parse_query(lh_parser *p);
/* Continue a query whose first primary (a parenthesised query) is
 * already parsed: set operations, ORDER BY, OFFSET, LIMIT/FETCH. */
N *parse_query_rest(lh_parser *p, N *first);
N *parse_sort_item(lh_parser *p);
N *parse_window_spec(lh_parser *p); /* after '(' , up to ')' excluded */

N *parse_expr(lh_parser *p);
N *parse_value_expr(lh_parser *p);
N *parse_string_lit(lh_parser *p); /* STRING or U&'..' at the current token */

#endif
