/* sql/rewrite.c — see rewrite.h. */
#include "sql/rewrite.h"

#include <string.h>

#include "sql/lexer.h"
#include "util/mem.h"

static const char NULLS_LAST[] = " NULLS LAST";
static const char QUOTE[] = "\"";

static int ends_order_by(const char *src, const lh_token *t)
{
    static const char *const kws[] = {"LIMIT", "OFFSET", "FETCH", "ROWS", "RANGE", "GROUPS", "UNION",
                                      "INTERSECT", "EXCEPT", "WINDOW", "FOR", NULL};
    size_t i;
    if (t->kind == LH_TOK_EOF || lh_tok_punct(src, t, ';'))
        return 1;
    for (i = 0; kws[i]; i++)
        if (lh_tok_is(src, t, kws[i]))
            return 1;
    return 0;
}

lh_rc lh_sql_athenaize(const char *sql, size_t len, lh_rewrite *out, lh_err *err)
{
    lh_lexer lx;
    lh_token *toks = NULL;
    size_t n = 0, a = 0, i, *ins = NULL, nins = 0, *lens = NULL;
    const char **itx = NULL;
    lh_buf b;
    lh_rc rc = LH_OK;
    memset(out, 0, sizeof *out);
    lh_buf_init(&b, 0);
    lh_lex_init(&lx, sql, len, "<sql>");
    for (;;) {
        lh_token t;
        if (lh_lex_next(&lx, &t, NULL) != LH_OK) { /* leave it to SQLite to report */
            n = 0;
            break;
        }
        if (n == a) {
            size_t na = a ? a * 2 : 64;
            lh_token *nt = lh_realloc(toks, na * sizeof *nt);
            if (!nt) {
                rc = lh_errf(err, LH_ENOMEM, "out of memory");
                goto out;
            }
            toks = nt;
            a = na;
        }
        toks[n++] = t;
        if (t.kind == LH_TOK_EOF)
            break;
    }
    /* each token gives at most two insertions (a quote before and after) */
    ins = lh_calloc(2 * n + 1, sizeof *ins);
    itx = lh_calloc(2 * n + 1, sizeof *itx);
    lens = lh_calloc(2 * n + 1, sizeof *lens);
    if (!ins || !itx || !lens) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i + 1 < n; i++) {
        size_t j, term_start; /* nested ORDER BYs (window definitions) are visited by later i */
        int depth = 0, has_nulls = 0, done = 0;
        if (!lh_tok_is(sql, &toks[i], "ORDER") || !lh_tok_is(sql, &toks[i + 1], "BY"))
            continue;
        term_start = i + 2;
        for (j = i + 2; j < n && !done; j++) {
            const lh_token *t = &toks[j];
            int end_term = 0;
            if (lh_tok_punct(sql, t, '('))
                depth++;
            else if (lh_tok_punct(sql, t, ')')) {
                if (depth == 0)
                    end_term = done = 1;
                else
                    depth--;
            } else if (depth == 0 && lh_tok_punct(sql, t, ','))
                end_term = 1;
            else if (depth == 0 && ends_order_by(sql, t))
                end_term = done = 1;
            else if (depth == 0 && lh_tok_is(sql, t, "NULLS"))
                has_nulls = 1;
            if (end_term) {
                if (j > term_start && !has_nulls) {
                    itx[nins] = NULLS_LAST;
                    ins[nins++] = toks[j - 1].off + toks[j - 1].len;
                }
                has_nulls = 0;
                term_start = j + 1;
            }
        }
    }
    for (i = 0; i + 1 < n; i++)
        if (toks[i].kind == LH_TOK_WORD && lh_tok_is(sql, &toks[i], "DEFAULT")) {
            itx[nins] = QUOTE;
            ins[nins++] = toks[i].off;
            itx[nins] = QUOTE;
            ins[nins++] = toks[i].off + toks[i].len;
        }
    /* insertion points can repeat only if scans overlapped; keep them
     * unique (same point and text) and sorted, stable for equal points */
    {
        size_t k, m = 0;
        for (k = 0; k < nins; k++) {
            size_t x = ins[k], p = m, q;
            const char *tx = itx[k];
            int dup = 0;
            for (q = 0; q < m; q++)
                if (ins[q] == x && itx[q] == tx && tx != QUOTE)
                    dup = 1;
            if (dup)
                continue;
            while (p > 0 && ins[p - 1] > x) {
                ins[p] = ins[p - 1];
                itx[p] = itx[p - 1];
                p--;
            }
            ins[p] = x;
            itx[p] = tx;
            m++;
        }
        nins = m;
    }
    {
        size_t prev = 0, k;
        for (k = 0; k < nins && !rc; k++) {
            rc = lh_buf_append(&b, sql + prev, ins[k] - prev, err);
            if (!rc)
                rc = lh_buf_puts(&b, itx[k], err);
            lens[k] = strlen(itx[k]);
            prev = ins[k];
        }
        if (!rc)
            rc = lh_buf_append(&b, sql + prev, len - prev, err);
    }
    if (rc)
        goto out;
    out->len = b.len;
    out->text = lh_buf_detach(&b);
    if (!out->text) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    out->inserts = ins;
    out->insert_lens = lens;
    out->n_inserts = nins;
    ins = NULL;
    lens = NULL;
out:
    lh_free(toks);
    lh_free(ins);
    lh_free(lens);
    lh_free(itx);
    lh_buf_free(&b);
    return rc;
}

size_t lh_sql_map_offset(const lh_rewrite *rw, size_t off)
{
    size_t k, shift = 0;
    for (k = 0; k < rw->n_inserts; k++) {
        size_t at = rw->inserts[k] + shift; /* position of insertion k in the new text */
        if (off < at)
            break;
        if (off < at + rw->insert_lens[k])
            return rw->inserts[k];
        shift += rw->insert_lens[k];
    }
    return off - shift;
}

void lh_rewrite_free(lh_rewrite *rw)
{
    lh_free(rw->text);
    lh_free(rw->inserts);
    lh_free(rw->insert_lens);
    memset(rw, 0, sizeof *rw);
}
