#!/usr/bin/env bash
# tests/browser/check_report.sh — the run report in a real browser.
#
# Builds a lake from the real STEDI data (LAKEHOUSE_TEST_DATA/stedi),
# runs the pipeline, writes the report to build/artifacts/report.html and
# loads it in headless Chromium through playwright-core
# (tests/browser/check_report.js): no console errors, no network, counts
# first, graph with 8 tables and 5 jobs, the consent figures, a narrow
# window without sideways scrolling, print styles.  Screenshots go to
# build/artifacts/report.png (first screen), report-full.png,
# report-narrow.png, and the printed page to report.pdf.
#
# Needs: LAKEHOUSE_TEST_DATA/stedi (default ../shared/stedi), the real STEDI
# landing JSON (customer, accelerometer, step_trainer landing/*.json) from
# Udacity's nd027-Data-Engineering-Data-Lakes-AWS-Exercises repository,
# folder project/starter (the page's consent figures are the real data's);
# without it: "browser: skipped (needs ...)", exit 77, before anything is
# installed.  See tests/testdata.sh.
#
# Environment: LAKEHOUSE_BIN (default build/lakehouse, built with make if
# missing), LAKEHOUSE_TEST_DATA, CHROMIUM (default /usr/bin/chromium).
# Ends with "browser: N passed, M failed"; exit status 1 if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${LAKEHOUSE_BIN:-build/lakehouse}
source tests/testdata.sh
td_skip_suite browser stedi
STEDI=$(td_path stedi)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=build/artifacts
PW=build/browser

die() {
    echo "browser: error: $*"
    echo "browser: 0 passed, 1 failed"
    exit 1
}

# 1. Chromium (Debian's package)
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "browser: installing chromium (apt-get install -y chromium)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null ||
            die "could not install chromium; run: apt-get install -y chromium"
    else
        die "$CHROMIUM not found; install it with: sudo apt-get install -y chromium"
    fi
    [ -x "$CHROMIUM" ] || die "$CHROMIUM still missing after apt-get install -y chromium"
fi
command -v node >/dev/null || die "node not found; install it with: sudo apt-get install -y nodejs npm"

# 2. playwright-core (driver only: it uses the Chromium above, downloads no browser)
if [ ! -f "$PW/node_modules/playwright-core/package.json" ]; then
    mkdir -p "$PW"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$PW" --no-save --no-audit --no-fund --silent \
        playwright-core@1 >/dev/null || die "npm install playwright-core failed"
fi

# 3. the report of a real-data run
if [ ! -x "$BIN" ]; then
    make >/dev/null || die "make failed"
fi
mkdir -p "$ART"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lhbrowser-XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
"$BIN" --lake "$tmp/lake" ingest "$STEDI" s3://stedi-lakehouse/ >"$tmp/log" 2>&1 || { cat "$tmp/log"; die "ingest failed"; }
"$BIN" --lake "$tmp/lake" run pipelines/stedi >"$tmp/log" 2>&1 || { cat "$tmp/log"; die "run failed"; }
"$BIN" --lake "$tmp/lake" report pipelines/stedi -o "$ART/report.html" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; die "report failed"; }

# 4. the browser checks (prints its own closing line)
HOME=${HOME:-$tmp} NODE_PATH="$PW/node_modules" CHROMIUM="$CHROMIUM" \
    node tests/browser/check_report.js "$ART/report.html" "$ART"
