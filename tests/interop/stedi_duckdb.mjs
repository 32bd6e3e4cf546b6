// tests/interop/stedi_duckdb.mjs — DuckDB reads the STEDI trusted and
// curated zones lakehouse wrote, from the snapshot prefixes the catalog
// names, and answers the same aggregates as lakehouse did.
//
//   node stedi_duckdb.mjs CHECKS.tsv
// Each line of CHECKS.tsv: table <TAB> glob <TAB> sql-expr-list <TAB> expected (CSV from lakehouse)
// Prints "PASS table" / "FAIL table: why".
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
let failed = 0;
for (const line of lines) {
  const [table, glob, exprs, expected] = line.split('\t');
  if (table.startsWith('csv:')) { // full rows: DuckDB writes them sorted as CSV for the shell to diff
    await conn.run(`COPY (SELECT * FROM read_parquet('${glob}') ORDER BY ALL) TO '${exprs}' (HEADER false)`);
    console.log(`WROTE ${table.slice(4)}`);
    continue;
  }
  try {
    const r = await conn.runAndReadAll(`SELECT ${exprs} FROM read_parquet('${glob}')`);
    const got = r.getRows()[0].map((v) => Number(v).toFixed(6)).join(',');
    if (got === expected) console.log(`PASS ${table}: ${got}`);
    else { console.log(`FAIL ${table}: duckdb ${got}, lakehouse ${expected}`); failed++; }
  } catch (e) {
    console.log(`FAIL ${table}: ${e.message}`); failed++;
  }
}
process.exit(failed ? 1 : 0);
