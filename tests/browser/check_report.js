// tests/browser/check_report.js — load the run report in headless Chromium
// (through playwright-core) and check what a reader sees.
// usage: node check_report.js REPORT.html ARTIFACT_DIR
// Prints one "ok - ..." / "not ok - ..." line per check, then
// "browser: N passed, M failed"; exit status 1 if any check failed.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

const report = path.resolve(process.argv[2] || 'build/artifacts/report.html');
const artifacts = path.resolve(process.argv[3] || 'build/artifacts');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`);
  }
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = 'file://' + report;
    const resp = await page.goto(url, { waitUntil: 'load' });
    check('the page loads', resp === null || resp.ok(), resp ? `status ${resp.status()}` : '');
    check('no console errors or warnings', problems.length === 0, problems.join('; '));
    const others = requests.filter((u) => u !== url);
    check('no request besides the page itself (self-contained)', others.length === 0, others.join(', '));

    const facts = await page.evaluate(() => {
      const first = document.querySelector('main table');
      const counts = Array.from(document.querySelectorAll('table.counts tbody tr'));
      const svg = document.querySelector('#graph svg');
      const text = (sel) => {
        const el = document.querySelector(sel);
        return el ? el.textContent.trim() : null;
      };
      return {
        firstClass: first ? first.className : null,
        countRows: counts.length,
        countOk: counts.filter((r) => r.className === 'pass' && /ok/.test(r.lastElementChild.textContent)).length,
        countsTop: (() => {
          const t = document.querySelector('table.counts');
          return t ? t.getBoundingClientRect().bottom : 1e9;
        })(),
        scripts: document.scripts.length,
        svgTables: svg ? svg.querySelectorAll('g.node[id^="table_"]').length : -1,
        svgJobs: svg ? svg.querySelectorAll('g.node[id^="job_"]').length : -1,
        svgWidth: svg ? svg.getBoundingClientRect().width : 0,
        zones: Array.from(document.querySelectorAll('section[id^="zone-"]')).map((s) => s.id),
        previews: document.querySelectorAll('table.preview').length,
        consented: text('#fact-consented .value'),
        cross: text('#fact-ml-cross-customer .value'),
        before: text('#fact-readings-before-consent .value'),
        zeroFails: document.querySelectorAll('#consent tr.fail').length,
      };
    });
    check('the first table is the table of counts', facts.firstClass === 'counts', String(facts.firstClass));
    check('the table of counts is in the first screen', facts.countsTop <= 900, `bottom at ${facts.countsTop}px`);
    check('8 count rows, all marked ok', facts.countRows === 8 && facts.countOk === 8,
      `${facts.countRows} rows, ${facts.countOk} ok`);
    check('no scripts in the page', facts.scripts === 0, `${facts.scripts} scripts`);
    check('the graph shows 8 tables and 5 jobs', facts.svgTables === 8 && facts.svgJobs === 5,
      `${facts.svgTables} tables, ${facts.svgJobs} jobs`);
    check('the graph is drawn', facts.svgWidth > 300, `width ${facts.svgWidth}`);
    check('zones landing, trusted, curated in order',
      facts.zones.join(',') === 'zone-landing,zone-trusted,zone-curated', facts.zones.join(','));
    check('a preview for each of the 8 tables', facts.previews === 8, `${facts.previews} previews`);
    check('consent facts: 482 consented, 2,700 cross-customer ML rows, 8,956 readings before consent',
      facts.consented === '482' && facts.cross === '2,700' && facts.before === '8,956',
      `${facts.consented} / ${facts.cross} / ${facts.before}`);
    check('no consent check failed', facts.zeroFails === 0, `${facts.zeroFails} failing rows`);

    await page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: false });
    await page.screenshot({ path: path.join(artifacts, 'report-full.png'), fullPage: true });
    check('screenshot written', fs.existsSync(path.join(artifacts, 'report.png')));

    await page.setViewportSize({ width: 375, height: 800 });
    const narrow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    check('a 375px window needs no sideways page scroll (tables scroll in their boxes)',
      narrow.scroll <= narrow.client + 1, `page is ${narrow.scroll}px wide in ${narrow.client}px`);
    await page.screenshot({ path: path.join(artifacts, 'report-narrow.png'), fullPage: false });

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => getComputedStyle(document.querySelector('nav')).display);
    check('print style applies (navigation hidden)', printed === 'none', printed);
    await page.pdf({ path: path.join(artifacts, 'report.pdf'), format: 'A4', printBackground: false });
    check('print to PDF works', fs.statSync(path.join(artifacts, 'report.pdf')).size > 1000);
    check('still no console errors after resizing and printing', problems.length === 0, problems.join('; '));
  } finally {
    await browser.close();
  }
}

main()
  .catch((e) => check('the browser run completes', false, e && e.message ? e.message.split('\n')[0] : String(e)))
  .finally(() => {
    console.log(`browser: ${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
