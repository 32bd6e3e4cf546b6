// bench/duckdb_queries.mjs — bench/queries.sql in DuckDB over the same
// Parquet objects lakehouse reads (the lake's committed snapshots).
// Timed in-process; each query runs REPS times, the median is printed.
//   node duckdb_queries.mjs TABLES.json QUERIES.sql REPS
// TABLES.json: {"stedi.customer_trusted": ["/abs/part-00000.parquet", ...], ...}
// Prints one JSON line per query: {name, ms, rows}.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';

const [tablesFile, queriesFile, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const tables = JSON.parse(fs.readFileSync(tablesFile, 'utf8'));
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run('CREATE SCHEMA stedi');
for (const [name, files] of Object.entries(tables)) {
  const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
  await c.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet([${list}])`);
}
for (const line of fs.readFileSync(queriesFile, 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const bar = line.indexOf('|');
  const name = line.slice(0, bar), sql = line.slice(bar + 1);
  const times = [];
  let rows = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = await c.runAndReadAll(sql);
    times.push(performance.now() - t0);
    rows = r.getRows().length;
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ name, ms: times[Math.floor(times.length / 2)], rows }));
}
