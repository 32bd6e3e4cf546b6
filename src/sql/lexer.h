/* sql/lexer.h — the SQL tokenizer behind sql/ddl.c.
 *
 * Splits text into tokens, each with its byte offset, length, and 1-based
 * line and column (columns count bytes).  Whitespace and comments (-- to
 * end of line, / * … * /) are skipped.  Token kinds:
 *   WORD    a bare word: [A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*
 *   QIDENT  "…" or `…` quoted identifier (a doubled quote escapes it)
 *   STRING  '…' string literal ('' escapes a quote; when the lexer's
 *           backslash flag is on, Hive's \' \\ \n \t … escapes too)
 *   NUMBER  digits with an optional fraction and exponent
 *   PUNCT   any other single byte (';', '(', ',', '=', '.', …)
 *   EOF     end of input (off = len)
 * An unterminated string, identifier or comment is LH_EPARSE
 * "FILE:L:C: unterminated string literal" at the opening quote; a NUL
 * byte outside a comment is LH_EPARSE "FILE:L:C: NUL byte in SQL text"
 * (values are C strings, so it could never round-trip).
 *
 * The lexer never allocates; lh_tok_value decodes a token into a fresh
 * lh_malloc'd string.
 */
#ifndef LH_SQL_LEXER_H
#define LH_SQL_LEXER_H

#include <stddef.h>

#include "util/err.h"

typedef enum lh_tok_kind {
    LH_TOK_EOF = 0,
    LH_TOK_WORD,
    LH_TOK_QIDENT,
    LH_TOK_STRING,
    LH_TOK_NUMBER,
    LH_TOK_PUNCT
} lh_tok_kind;

typedef struct lh_token {
    lh_tok_kind kind;
    size_t off, len; /* raw span in the source, quotes included */
    int line, col;
    int backslash; /* STRING lexed with backslash escapes */
} lh_token;

typedef struct lh_lexer {
    const char *src;
    size_t len, pos;
    int line;
    size_t line_start;
    const char *file; /* for messages; never NULL after init */
    int backslash;    /* caller may toggle between tokens */
} lh_lexer;

void lh_lex_init(lh_lexer *lx, const char *src, size_t len, const char *file);
/* Next token into *tok; LH_EPARSE on an unterminated literal or comment. */
lh_rc lh_lex_next(lh_lexer *lx, lh_token *tok, lh_err *err) LH_MUST_CHECK;

/* The token's value: strings and quoted identifiers unquoted and
 * unescaped, other tokens verbatim (no case folding).  NULL on ENOMEM. */
char *lh_tok_value(const char *src, const lh_token *t);
/* 1 if t is a bare WORD equal to kw (case-insensitive). */
int lh_tok_is(const char *src, const lh_token *t, const char *kw);
/* 1 if t is the PUNCT c. */
int lh_tok_punct(const char *src, const lh_token *t, char c);

#endif
