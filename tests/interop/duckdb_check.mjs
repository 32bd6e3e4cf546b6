// tests/interop/duckdb_check.mjs — DuckDB as the interop peer of the
// lakehouse Parquet codec.
//
//   node duckdb_check.mjs GEN_DIR DUCK_DIR
//
// 1. Every GEN_DIR/NAME.parquet (written by pq_gen) must be readable by
//    DuckDB with the expected column types, and its rows must equal
//    GEN_DIR/NAME.jsonl (canonical form, see pq_gen.c).
// 2. DuckDB writes DUCK_DIR/duck_*.parquet (types x codecs x page format
//    V1/V2 x row-group sizes) and DUCK_DIR/duck_*.jsonl with the same
//    canonical rows, for pq_read_check to read back.
// Prints one "PASS name" / "FAIL name: why" line per file.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const [genDir, duckDir] = process.argv.slice(2);
if (!genDir || !duckDir) {
  console.error('usage: node duckdb_check.mjs GEN_DIR DUCK_DIR');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
let failed = 0;

const q = (s) => "'" + s.replace(/'/g, "''") + "'";
const qi = (s) => '"' + s.replace(/"/g, '""') + '"';

// The canonical form of a column of DuckDB type t (see pq_gen.c).
function canon(col, t) {
  const c = qi(col);
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT)$/.test(t)) return { kind: 'int', sql: `CAST(${c} AS VARCHAR)` };
  if (/^(FLOAT|DOUBLE)$/.test(t)) return { kind: 'real', sql: `CAST(${c} AS DOUBLE)` };
  if (t === 'BOOLEAN') return { kind: 'bool', sql: `CAST(${c} AS INTEGER)` };
  if (t === 'DATE') return { kind: 'date', sql: `date_diff('day', DATE '1970-01-01', ${c})` };
  if (/^TIMESTAMP/.test(t)) return { kind: 'ts', sql: `CAST(epoch_ms(${c}) AS VARCHAR)` };
  if (/^DECIMAL/.test(t)) return { kind: 'dec', sql: `CAST(${c} AS VARCHAR)` };
  return { kind: 'str', sql: c };
}

function same(kind, want, got) {
  if (want === null || got === null) return want === got;
  switch (kind) {
    case 'real':
      if (want === 'NaN') return Number.isNaN(got);
      return got === want;
    case 'bool':
    case 'date':
      return Number(got) === Number(want);
    default:
      return String(got) === String(want);
  }
}

const expectedTypes = {
  s: 'VARCHAR', ti: 'TINYINT', si: 'SMALLINT', i: 'INTEGER', b: 'BIGINT', f: 'FLOAT', d: 'DOUBLE',
  bo: 'BOOLEAN', dt: 'DATE', ts: 'TIMESTAMP', dc: 'DECIMAL(10,2)', ds: 'DECIMAL(5,1)', db: 'DECIMAL(30,4)',
  inf: 'BIGINT',
};

// ---- 1. DuckDB reads our files ----
const genFiles = fs.readdirSync(genDir).filter((f) => f.endsWith('.parquet')).sort();
if (genFiles.length === 0) {
  console.log(`FAIL ${genDir}: no files`);
  failed++;
}
for (const f of genFiles) {
  const file = path.join(genDir, f);
  const name = f.replace(/\.parquet$/, '');
  try {
    const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${q(file)})`)).getRowObjects();
    const cols = desc.map((r) => ({ name: r.column_name, type: r.column_type }));
    for (const c of cols) {
      if (expectedTypes[c.name] && expectedTypes[c.name] !== c.type)
        throw new Error(`column ${c.name}: DuckDB type ${c.type}, expected ${expectedTypes[c.name]}`);
    }
    const cs = cols.map((c) => ({ ...c, ...canon(c.name, c.type) }));
    const rows = (await conn.runAndReadAll(
      `SELECT ${cs.map((c) => c.sql).join(', ')} FROM read_parquet(${q(file)})`)).getRows();
    const want = fs.readFileSync(path.join(genDir, name + '.jsonl'), 'utf8').split('\n').filter((l) => l.length)
      .map((l) => JSON.parse(l));
    if (rows.length !== want.length) throw new Error(`DuckDB read ${rows.length} rows, expected ${want.length}`);
    for (let i = 0; i < rows.length; i++) {
      for (let k = 0; k < cs.length; k++) {
        const w = want[i][cs[k].name];
        if (!same(cs[k].kind, w === undefined ? null : w, rows[i][k]))
          throw new Error(`row ${i} column ${cs[k].name}: DuckDB ${String(rows[i][k])}, expected ${JSON.stringify(w)}`);
      }
    }
    console.log(`PASS duckdb-reads ${name} (${rows.length} rows)`);
  } catch (e) {
    console.log(`FAIL duckdb-reads ${name}: ${e.message}`);
    failed++;
  }
}

// ---- 2. DuckDB writes files for our reader ----
fs.mkdirSync(duckDir, { recursive: true });
await conn.run(`CREATE TABLE src AS SELECT
    i::BIGINT AS id,
    CASE WHEN i % 7 = 3 THEN NULL ELSE 'str_' || (i % 60) || CASE WHEN i % 5 = 0 THEN '_é€' ELSE '' END END AS s,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ((i % 250) - 125)::TINYINT END AS ti,
    ((i * 37) % 60000 - 30000)::SMALLINT AS si,
    CASE WHEN (i // 40) % 3 = 1 THEN NULL ELSE ((hash(i) % 2000000000)::BIGINT - 1000000000)::INTEGER END AS ii,
    ((hash(i * 3) % 9223372036854775807)::BIGINT - 4611686018427387904) AS b,
    CASE WHEN i % 13 = 0 THEN NULL ELSE ((i % 1000) / 8.0)::FLOAT END AS f,
    CASE WHEN i % 17 = 0 THEN 'NaN'::DOUBLE ELSE ((hash(i) % 1000000)::BIGINT - 500000) / 7.0 END AS d,
    CASE WHEN i % 9 = 0 THEN NULL ELSE i % 2 = 0 END AS bo,
    (DATE '1990-01-01' + (i * 3 % 20000)::INTEGER) AS dt,
    CASE WHEN i % 19 = 0 THEN NULL ELSE TIMESTAMP '2020-01-01 00:00:00' + to_milliseconds(i * 1234567) END AS ts,
    ((i % 200000) / 100.0 - 1000)::DECIMAL(10,2) AS dc,
    ((i % 9999) / 10.0)::DECIMAL(5,1) AS ds,
    (((hash(i) % 100000000000)::BIGINT - 50000000000)::DECIMAL(30,4) / 7)::DECIMAL(30,4) AS db,
    CASE WHEN i % 23 = 0 THEN NULL ELSE (i % 3000)::DECIMAL(18,3) END AS d18
  FROM range(6000) t(i)`);
const srcCols = (await conn.runAndReadAll('DESCRIBE src')).getRowObjects()
  .map((r) => ({ name: r.column_name, type: r.column_type }));
const srcCanon = srcCols.map((c) => ({ ...c, ...canon(c.name, c.type) }));
const srcRows = (await conn.runAndReadAll(`SELECT ${srcCanon.map((c) => c.sql).join(', ')} FROM src`)).getRows();
const jsonl = srcRows.map((r) => {
  const o = {};
  srcCanon.forEach((c, k) => {
    let v = r[k];
    if (typeof v === 'bigint') v = Number(v);
    if (c.kind === 'real' && typeof v === 'number' && Number.isNaN(v)) v = 'NaN';
    o[c.name] = v;
  });
  return JSON.stringify(o);
}).join('\n') + '\n';

let written = 0;
for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd']) {
  for (const ver of ['V1', 'V2']) {
    for (const rg of [0, 1000]) {
      const name = `duck_${codec}_${ver}_${rg ? 'rg' + rg : 'default'}`;
      const file = path.join(duckDir, name + '.parquet');
      const opts = [`FORMAT parquet`, `COMPRESSION ${codec}`, `PARQUET_VERSION ${ver}`];
      if (rg) opts.push(`ROW_GROUP_SIZE ${rg}`);
      try {
        await conn.run(`COPY src TO ${q(file)} (${opts.join(', ')})`);
        fs.writeFileSync(path.join(duckDir, name + '.jsonl'), jsonl);
        written++;
      } catch (e) {
        console.log(`FAIL duckdb-writes ${name}: ${e.message}`);
        failed++;
      }
    }
  }
}
console.error(`duckdb_check: ${genFiles.length} files checked, ${written} files written, ${failed} failures`);
process.exit(failed ? 1 : 0);
