// bench/duckdb_stedi.mjs — the STEDI pipeline in DuckDB, the same SQL as
// pipelines/stedi: read_json over the landing zone, the five jobs as CTAS,
// Parquet (SNAPPY) output, and the eight counts.  Timed in-process (no node
// start-up).  Prints one JSON line: {wall_ms, cpu_ms, max_rss_kb, counts}.
//   node duckdb_stedi.mjs LANDING_DIR OUT_DIR
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';

const [landing, out] = process.argv.slice(2);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const run = (sql) => c.run(sql);
const cols = {
  customer: "{customerName:'VARCHAR', email:'VARCHAR', phone:'VARCHAR', birthDay:'VARCHAR', serialNumber:'VARCHAR', registrationDate:'BIGINT', lastUpdateDate:'BIGINT', shareWithResearchAsOfDate:'BIGINT', shareWithPublicAsOfDate:'BIGINT', shareWithFriendsAsOfDate:'BIGINT'}",
  accelerometer: "{user:'VARCHAR', timestamp:'BIGINT', x:'DOUBLE', y:'DOUBLE', z:'DOUBLE'}",
  step_trainer: "{sensorReadingTime:'BIGINT', serialNumber:'VARCHAR', distanceFromObject:'INTEGER'}",
};
for (const t of ['customer', 'accelerometer', 'step_trainer'])
  await run(`CREATE VIEW ${t}_landing AS SELECT * FROM read_json('${landing}/${t}/landing/*.json', format='newline_delimited', columns=${cols[t]})`);
const ctas = async (name, sql) => {
  await run(`CREATE TABLE ${name} AS ${sql}`);
  await run(`COPY ${name} TO '${out}/${name}.parquet' (FORMAT PARQUET, COMPRESSION SNAPPY)`);
};
await ctas('customer_trusted', 'SELECT * FROM customer_landing WHERE shareWithResearchAsOfDate IS NOT NULL');
await ctas('accelerometer_trusted', 'SELECT a.* FROM accelerometer_landing a JOIN customer_trusted c ON a.user = c.email');
await ctas('customer_curated', 'SELECT c.* FROM customer_trusted c WHERE c.email IN (SELECT DISTINCT user FROM accelerometer_trusted)');
await ctas('step_trainer_trusted', 'SELECT s.* FROM step_trainer_landing s WHERE s.serialNumber IN (SELECT serialNumber FROM customer_curated)');
await ctas('machine_learning_curated', 'SELECT s.sensorReadingTime, s.serialNumber, s.distanceFromObject, a.timestamp, a.x, a.y, a.z FROM step_trainer_trusted s JOIN accelerometer_trusted a ON s.sensorReadingTime = a.timestamp');
const counts = [];
for (const t of ['customer_landing', 'accelerometer_landing', 'step_trainer_landing', 'customer_trusted', 'accelerometer_trusted', 'customer_curated', 'step_trainer_trusted', 'machine_learning_curated']) {
  const r = await c.runAndReadAll(`SELECT count(*) FROM ${t}`);
  counts.push(Number(r.getRows()[0][0]));
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ wall_ms: wall, cpu_ms: (cpu.user + cpu.system) / 1000, max_rss_kb: process.resourceUsage().maxRSS, counts }));
