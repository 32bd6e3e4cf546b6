#!/usr/bin/env bash
# tests/s3/run.sh — integration tests of the S3 backend against a real
# S3-compatible server on loopback: s3rver (npm) behind the strict SigV4
# verifier LAKEHOUSE_TEST_DATA/tools/s3/sigv4proxy.js (s3rver checks no
# signatures).
#
# Needs (under LAKEHOUSE_TEST_DATA, default ../shared; see tests/testdata.sh):
#   tools/s3/sigv4proxy.js  the verifier; it comes with the team's shared
#                           folder (tools/s3/).  Without it the whole suite
#                           says "s3 integration: skipped (needs ...)" and
#                           exits 77.
#   stedi/                  the real STEDI landing JSON (Udacity's
#                           nd027-Data-Engineering-Data-Lakes-AWS-Exercises
#                           repository, folder project/starter) for the CLI
#                           checks (3.); without it they are skipped by name.
#
#   bash tests/s3/run.sh            # from anywhere; SAN=1 builds with ASan+UBSan
#
# Installs s3rver@3.7.1 once into build/s3-tools (npm), picks free ports,
# starts both servers, stops them by PID on exit, and runs:
#   1. tests/s3/test_s3_live.c (store API: put/get/range/head/delete, 1,100-key
#      pagination, multipart, abort, 403/404/network errors);
#   2. a grep for the secret in every output and server log;
#   3. when the lakehouse binary ($LAKEHOUSE_BIN, else build/lakehouse) knows
#      --s3: the STEDI pipeline with its lake in the bucket (ingest, run,
#      verify), a wrong secret (non-zero exit, nothing written), and a grep
#      for the secret in the catalog.  Otherwise those checks are skipped.
# Ends with "s3 integration: N passed, M failed, K skipped" (K: the CLI
# checks, as one, when stedi/ is absent); exits 1 if any failed.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
source "$REPO/tests/testdata.sh"
td_skip_suite "s3 integration" s3tools
TOOLS=${S3_TOOLS_DIR:-$REPO/build/s3-tools}
PROXY_JS=$(td_path s3tools)/sigv4proxy.js
BUCKET=stedi-lakehouse
CC=${CC:-cc}

pass=0
fail=0
skipped=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() {
    echo "s3 integration: $pass passed, $fail failed, $skipped skipped"
    [ "$fail" -eq 0 ]
    exit $?
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lh-s3.XXXXXX")
S3RVER_PID=
PROXY_PID=
cleanup() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
    [ -n "$S3RVER_PID" ] && kill "$S3RVER_PID" 2>/dev/null && wait "$S3RVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v node >/dev/null || { bad "node is not installed"; finish; }
[ -f "$PROXY_JS" ] || { bad "no SigV4 proxy at $PROXY_JS"; finish; }

# ---- s3rver, once ----
S3RVER_JS=$TOOLS/node_modules/s3rver/bin/s3rver.js
if [ ! -f "$S3RVER_JS" ]; then
    mkdir -p "$TOOLS"
    if ! npm install --prefix "$TOOLS" --no-audit --no-fund s3rver@3.7.1 >"$WORK/npm.log" 2>&1; then
        cat "$WORK/npm.log"
        bad "npm install s3rver@3.7.1"
        finish
    fi
fi

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_port() { # port, pid: up to 15 s
    local i
    for i in $(seq 1 150); do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

S3_PORT=$(free_port)
PROXY_PORT=$(free_port)
while [ "$PROXY_PORT" = "$S3_PORT" ]; do PROXY_PORT=$(free_port); done
ACCESS_KEY=S3RVER # s3rver checks the key id (not signatures)
# a fresh random secret, unlike any other string in the output
SECRET="lhS3cr3t$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

mkdir -p "$WORK/data"
node --openssl-legacy-provider "$S3RVER_JS" -d "$WORK/data" -a 127.0.0.1 -p "$S3_PORT" \
    --no-vhost-buckets --configure-bucket "$BUCKET" >"$WORK/s3rver.log" 2>&1 &
S3RVER_PID=$!
node "$PROXY_JS" "$PROXY_PORT" "$S3_PORT" "$ACCESS_KEY" "$SECRET" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
if wait_port "$S3_PORT" "$S3RVER_PID" && wait_port "$PROXY_PORT" "$PROXY_PID"; then
    ok "s3rver on 127.0.0.1:$S3_PORT (pid $S3RVER_PID), SigV4 proxy on 127.0.0.1:$PROXY_PORT (pid $PROXY_PID)"
else
    cat "$WORK/s3rver.log" "$WORK/proxy.log"
    bad "servers did not start"
    finish
fi

ENDPOINT=http://127.0.0.1:$PROXY_PORT
export AWS_ENDPOINT_URL=$ENDPOINT AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1
export LH_S3_BUCKET=$BUCKET
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL_S3
export HOME=$WORK/home # no stray ~/.aws from the machine
mkdir -p "$HOME"

# ---- 1. the store API against the live endpoint ----
CFLAGS_LIVE="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -I$REPO/src -g"
if [ "${SAN:-0}" = 1 ]; then
    CFLAGS_LIVE="$CFLAGS_LIVE -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
else
    CFLAGS_LIVE="$CFLAGS_LIVE -O2"
fi
LIVE=$TOOLS/test_s3_live
# shellcheck disable=SC2086
if $CC $CFLAGS_LIVE -o "$LIVE" "$REPO/tests/s3/test_s3_live.c" "$REPO"/src/store/*.c "$REPO"/src/util/*.c \
    -lcurl -lcrypto -lm -lpthread 2>"$WORK/cc.log"; then
    ok "build tests/s3/test_s3_live.c"
    "$LIVE" >"$WORK/live.out" 2>&1
    live_rc=$?
    sed 's/^/    /' "$WORK/live.out"
    lp=$(grep -c '^ok - ' "$WORK/live.out")
    lf=$(grep -c '^not ok - ' "$WORK/live.out")
    pass=$((pass + lp))
    fail=$((fail + lf))
    if [ "$live_rc" -ne 0 ] && [ "$lf" -eq 0 ]; then
        bad "test_s3_live exited $live_rc without a failed check (crash?)"
    fi
else
    cat "$WORK/cc.log"
    bad "build tests/s3/test_s3_live.c"
fi

# ---- 3. the CLI, when it knows --s3 ----
BIN=${LAKEHOUSE_BIN:-$REPO/build/lakehouse}
if ! stedi_missing=$(td_missing stedi); then
    echo "# skipped: CLI checks (needs $stedi_missing)"
    td_note "s3 integration CLI checks" "$stedi_missing"
    skipped=$((skipped + 1))
elif [ -x "$BIN" ] && "$BIN" --help 2>&1 | grep -q -- '--s3'; then
    LAKE=$WORK/lake
    STEDI=$(td_path stedi)
    PIPE=$REPO/pipelines/stedi
    cli() { "$BIN" --lake "$LAKE" --s3 --endpoint "$ENDPOINT" "$@"; }
    if cli ingest "$STEDI" "s3://$BUCKET/" >"$WORK/cli-ingest.out" 2>&1; then
        ok "CLI: ingest $STEDI to s3://$BUCKET/"
    else
        sed 's/^/    /' "$WORK/cli-ingest.out"
        bad "CLI: ingest"
    fi
    if cli run "$PIPE" >"$WORK/cli-run.out" 2>&1; then
        ok "CLI: run the STEDI pipeline on S3"
    else
        sed 's/^/    /' "$WORK/cli-run.out"
        bad "CLI: run"
    fi
    if cli verify "$PIPE" >"$WORK/cli-verify.out" 2>&1; then
        ok "CLI: verify (the eight counts)"
    else
        sed 's/^/    /' "$WORK/cli-verify.out"
        bad "CLI: verify"
    fi
    # a job over several objects runs on two workers, each with its own S3 handle
    parts=$(cli sql -q -f csv -e 'SELECT count(DISTINCT "$path") FROM stedi.accelerometer_trusted' 2>&1 | tail -1 | tr -d '\r')
    if [ "$parts" = "2" ]; then
        ok "CLI: accelerometer_trusted was written by two workers on two S3 handles (2 objects)"
    else
        bad "CLI: accelerometer_trusted: expected 2 objects (a parallel job), got [$parts]"
    fi
    if [ -z "$(find "$LAKE" -path "$LAKE/.lakehouse" -prune -o -type f -print 2>/dev/null | head -1)" ]; then
        ok "CLI: no data objects in the local lake folder (they are in the bucket)"
    else
        bad "CLI: data objects were written to the local lake folder"
    fi
    # a wrong secret: clear 403, non-zero exit, nothing written
    before=$(find "$WORK/data" -type f | wc -l)
    AWS_SECRET_ACCESS_KEY="WrongSecret$SECRET" "$BIN" --lake "$WORK/lake2" --s3 --endpoint "$ENDPOINT" \
        ingest "$STEDI" "s3://$BUCKET/wrong/" >"$WORK/cli-wrong.out" 2>&1
    wrong_rc=$?
    after=$(find "$WORK/data" -type f | wc -l)
    if [ "$wrong_rc" -ne 0 ] && grep -q '403' "$WORK/cli-wrong.out" && [ "$before" = "$after" ]; then
        ok "CLI: wrong secret -> exit $wrong_rc, a 403 message, nothing written"
    else
        sed 's/^/    /' "$WORK/cli-wrong.out"
        bad "CLI: wrong secret (exit $wrong_rc, files $before -> $after)"
    fi
    if grep -rqaF "WrongSecret" "$WORK/cli-wrong.out"; then
        bad "CLI: the wrong secret appears in the output"
    else
        ok "CLI: the wrong secret is not in the output"
    fi
    # unreachable endpoint: bounded
    t0=$(date +%s)
    "$BIN" --lake "$WORK/lake3" --s3 --endpoint http://127.0.0.1:1 ingest "$STEDI" "s3://$BUCKET/x/" \
        >"$WORK/cli-unreach.out" 2>&1
    unreach_rc=$?
    t1=$(date +%s)
    if [ "$unreach_rc" -ne 0 ] && [ $((t1 - t0)) -le 15 ]; then
        ok "CLI: unreachable endpoint -> exit $unreach_rc after $((t1 - t0)) s"
    else
        sed 's/^/    /' "$WORK/cli-unreach.out"
        bad "CLI: unreachable endpoint (exit $unreach_rc after $((t1 - t0)) s)"
    fi
else
    echo "# skipped: CLI checks ($BIN does not know --s3 yet)"
fi

# ---- 2. the secret never shows: outputs, server logs, the catalog ----
if grep -rqaF "$SECRET" "$WORK"/*.out "$WORK"/*.log "$WORK"/lake* 2>/dev/null; then
    grep -rlaF "$SECRET" "$WORK"/*.out "$WORK"/*.log "$WORK"/lake* 2>/dev/null | sed 's/^/    found in: /'
    bad "the secret appears in an output, a log or the catalog"
else
    ok "the secret appears in no output, log or catalog"
fi
# the proxy refuses only the deliberately wrong keys; every other request verified
odd_rejects=$(grep '^REJECT' "$WORK/proxy.log" | grep -cv 'REJECT \(SignatureDoesNotMatch\|InvalidAccessKeyId\)$')
verified=$(grep -c '^OK ' "$WORK/proxy.log")
if [ "$odd_rejects" -eq 0 ] && [ "$verified" -gt 0 ]; then
    ok "proxy: $verified requests verified (signature, payload SHA-256), no unexpected rejection"
else
    grep '^REJECT' "$WORK/proxy.log" | sort | uniq -c | sed 's/^/    /'
    bad "proxy: $odd_rejects unexpected rejections, $verified verified"
fi

finish
