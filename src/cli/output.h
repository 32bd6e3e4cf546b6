/* cli/output.h — result formatting for the CLI: an lh_sink that prints an
 * aligned grid (like Athena's result pane), RFC 4180 CSV (header row, NULL
 * as an empty field) or JSON lines (one object per row).
 *
 * The grid buffers up to LH_GRID_CHUNK rows to size its columns, then
 * prints and starts again, so memory stays bounded on big results.
 */
#ifndef LH_CLI_OUTPUT_H
#define LH_CLI_OUTPUT_H

#include <stdio.h>

#include "sql/engine.h"

#define LH_GRID_CHUNK 10000

typedef enum lh_outfmt { LH_OUT_TABLE = 0, LH_OUT_CSV, LH_OUT_JSON } lh_outfmt;

typedef struct lh_printer lh_printer;

lh_rc lh_printer_new(lh_outfmt fmt, FILE *out, FILE *notices, lh_printer **p, lh_err *err) LH_MUST_CHECK;
const lh_sink *lh_printer_sink(lh_printer *p);
void lh_printer_free(lh_printer *p);
/* "table", "csv" or "json" -> fmt; -1 if unknown. */
int lh_outfmt_parse(const char *s);

/* Print a grid of text cells (used by verify and run summaries). */
lh_rc lh_print_grid(FILE *out, size_t ncols, const char *const *names, const char *const *cells, size_t nrows,
                    lh_err *err) LH_MUST_CHECK;

#endif
