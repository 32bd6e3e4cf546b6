#!/usr/bin/env python3
# Generates src/functions/fn_casetab.h from Python's Unicode character database:
#   python3 src/functions/fn_casetab.py > src/functions/fn_casetab.h
import unicodedata
def simple_maps():
    lower, upper = {}, {}
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF: continue
        ch = chr(c)
        lo, up = ch.lower(), ch.upper()
        if len(lo) == 1 and lo != ch: lower[c] = ord(lo)
        if len(up) == 1 and up != ch: upper[c] = ord(up)
    # simple mappings where the full mapping is several characters
    lower[0x0130] = 0x0069
    for b in (0x1F80, 0x1F90, 0x1FA0):
        for k in range(8): upper[b + k] = b + 8 + k
    upper[0x1FB3] = 0x1FBC; upper[0x1FC3] = 0x1FCC; upper[0x1FF3] = 0x1FFC
    return lower, upper
def runs(m):
    keys = sorted(m); out = []; i = 0
    while i < len(keys):
        s = keys[i]; d = m[s] - s; e = s; step = 1
        if i + 1 < len(keys) and m[keys[i+1]] - keys[i+1] == d and keys[i+1] - s in (1, 2):
            step = keys[i+1] - s
        j = i
        while j + 1 < len(keys) and keys[j+1] == keys[j] + step and m[keys[j+1]] - keys[j+1] == d:
            j += 1
        out.append((keys[i], keys[j], d, step)); i = j + 1
    return out
lower, upper = simple_maps()
L, U = runs(lower), runs(upper)
def emit(name, rs):
    lines = ["static const crun %s[] = {" % name]
    row = []
    for (s, e, d, st) in rs:
        row.append("{0x%04X, 0x%04X, %d, %d}," % (s, e, d, st))
        if len(row) == 4: lines.append("    " + " ".join(row)); row = []
    if row: lines.append("    " + " ".join(row))
    lines.append("};")
    return "\n".join(lines)
print("""/* functions/fn_casetab.h — simple (one-to-one) Unicode case mappings for
 * lower/upper (fn_string.c), as Java's Character.toLowerCase/toUpperCase
 * apply them: generated from the Unicode %s character database (the
 * UnicodeData simple mappings: every code point whose case mapping is one
 * code point, plus U+0130 -> U+0069 and the Greek iota-subscript letters,
 * whose simple mapping differs from their full one).  No locale, no
 * context (final sigma maps to sigma's capital like every sigma), no
 * one-to-many mapping (upper('ß') stays 'ß').
 *
 * Regenerate: python3 src/functions/fn_casetab.py > src/functions/fn_casetab.h
 *
 * A run {first, last, delta, step} maps first, first + step, ..., last to
 * code point + delta; runs are sorted and disjoint.  Static data only. */
#ifndef LH_FUNCTIONS_FN_CASETAB_H
#define LH_FUNCTIONS_FN_CASETAB_H

#include <stdint.h>

typedef struct crun {
    int32_t first, last, delta, step;
} crun;
""" % unicodedata.unidata_version)
print(emit("LOWER_RUNS", L)); print()
print(emit("UPPER_RUNS", U)); print()
print("#endif")
import sys
print(len(L), len(U), len(lower), len(upper), file=sys.stderr)
