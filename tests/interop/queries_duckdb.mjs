// tests/interop/queries_duckdb.mjs — DuckDB answers the same SQL queries as
// lakehouse, over the same files (the Parquet snapshots the catalog names,
// and the landing JSON), and the rows are compared as parsed values.
//
//   node queries_duckdb.mjs SPEC.tsv
// Each line of SPEC.tsv is one of
//   view  <TAB> name  <TAB> select-sql          CREATE VIEW name AS select-sql
//   query <TAB> label <TAB> mode <TAB> sql <TAB> lakehouse.csv
// where lakehouse.csv is `lakehouse sql -q -f csv` output without the header
// line and without \r, and mode is
//   exact      every field equal as a value: integers as integers, other
//              numbers as numbers, everything else as text
//   scale=S    as exact, but a non-integer number is compared as a decimal
//              of scale S (the type Trino gives the expression; see stedi.sh):
//              DuckDB's value is rounded half-up to S digits, then compared
//              numerically to 1e-9 relative.
// NULL and the empty string: lakehouse's CSV writes both as an empty field
// (NULL unquoted, as does Trino's CLI CSV), so a DuckDB NULL is taken as ''.
// Prints "PASS query: <label> (<n> rows)" / "FAIL query: <label>: why".
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';

// RFC 4180 CSV: fields may be quoted ("" inside quotes is a quote); a quoted
// field may hold commas and newlines.  Quoted and unquoted give the same
// value, so lakehouse quoting a field (e.g. one with a space) doesn't matter.
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false, any = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; any = true; i++; continue; }
    if (ch === ',') { row.push(field); field = ''; any = true; i++; continue; }
    if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; any = false; i++; continue; }
    field += ch; any = true; i++;
  }
  if (any || field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function duckText(v) {
  if (v === null || v === undefined) return '';
  return String(v); // bigint, number, string, DuckDB*Value all print their value
}

// field equality as values; returns null when equal, else a reason
function sameField(lh, dk, mode) {
  if (lh === dk) return null;
  if (INT.test(lh) && INT.test(dk)) return BigInt(lh) === BigInt(dk) ? null : 'integers differ';
  if (NUM.test(lh) && NUM.test(dk)) {
    const a = Number(lh);
    let b = Number(dk);
    if (mode.startsWith('scale=')) {
      const s = Number(mode.slice(6));
      // round half away from zero (Trino's HALF_UP) at scale s; toFixed rounds
      // the exact binary value of DuckDB's double that way
      b = Number(b.toFixed(s));
      return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? null : `numbers differ at scale ${s}`;
    }
    return a === b ? null : 'numbers differ';
  }
  return 'text differs';
}

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run('CREATE SCHEMA IF NOT EXISTS stedi');
let failed = 0;
for (const line of lines) {
  const f = line.split('\t');
  if (f[0] === 'view') {
    try { await conn.run(`CREATE OR REPLACE VIEW ${f[1]} AS ${f[2]}`); }
    catch (e) { console.log(`FAIL view ${f[1]}: ${e.message}`); failed++; }
    continue;
  }
  const [, label, mode, sql, lhFile] = f;
  try {
    const lh = parseCsv(fs.readFileSync(lhFile, 'utf8'));
    const r = await conn.runAndReadAll(sql);
    const dk = r.getRows().map((row) => row.map(duckText));
    let why = null;
    const n = Math.max(lh.length, dk.length);
    for (let i = 0; i < n && !why; i++) {
      const a = lh[i], b = dk[i];
      if (!a || !b) { why = `row ${i + 1}: lakehouse ${a ? JSON.stringify(a) : '(no row)'}, duckdb ${b ? JSON.stringify(b) : '(no row)'}`; break; }
      if (a.length !== b.length) { why = `row ${i + 1}: ${a.length} vs ${b.length} columns: lakehouse ${JSON.stringify(a)}, duckdb ${JSON.stringify(b)}`; break; }
      for (let j = 0; j < a.length; j++) {
        const d = sameField(a[j], b[j], mode);
        if (d) { why = `row ${i + 1} column ${j + 1} (${d}): lakehouse ${JSON.stringify(a)}, duckdb ${JSON.stringify(b)}`; break; }
      }
    }
    if (why) { console.log(`FAIL query: ${label}: ${why} (lakehouse ${lh.length} rows, duckdb ${dk.length} rows)`); failed++; }
    else console.log(`PASS query: ${label} (${lh.length} rows)` +
      (mode.startsWith('scale=') ? ` [duckdb ${dk.map((x) => x.join(',')).join(';')}, lakehouse ${lh.map((x) => x.join(',')).join(';')}]` : ''));
  } catch (e) {
    console.log(`FAIL query: ${label}: duckdb: ${e.message}`); failed++;
  }
}
process.exit(failed ? 1 : 0);
