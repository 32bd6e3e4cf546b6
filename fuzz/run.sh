#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan+UBSan), replay every kept
# regression input, then fuzz each target for FUZZ_SECONDS (default 20)
# (FUZZ_TARGETS="sql ddl" picks some)
# seeded from the corpora.  The json, jsonl and parquet seeds come from
# LAKEHOUSE_TEST_DATA (default ../shared; see tests/testdata.sh):
# corpora/JSONTestSuite/test_parsing (the public nst/JSONTestSuite
# repository) and corpora/parquet-testing/{tier1,bad_data} (files of the
# public apache/parquet-testing repository).  Without them those targets
# still fuzz, from their kept corpus only, and say so ("seeds absent").
# A crashing input is copied into
# fuzz/regressions/<target>/ so it stays a regression test; the script then
# fails.  Prints "fuzz: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
source tests/testdata.sh
secs=${FUZZ_SECONDS:-20}
out=build-fuzz
mkdir -p "$out"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
lib="$(ls src/util/*.c src/store/*.c src/formats/*.c src/sql/ddl.c src/sql/lexer.c src/catalog/*.c)"
lib_all="$(ls src/util/*.c src/store/*.c src/formats/*.c src/sql/*.c src/plan/*.c src/functions/*.c src/exec/*.c src/catalog/*.c)"
pass=0; fail=0
lib_sql="$(ls src/util/*.c src/sql/lexer.c src/sql/ast.c src/sql/ast_sql.c src/sql/parse.c src/sql/parse_expr.c)"
lib_analyze="$lib_sql $(ls src/exec/*.c src/plan/*.c src/functions/*.c src/catalog/*.c src/formats/*.c src/store/*.c)"
for t in ${FUZZ_TARGETS:-json jsonl ddl parquet sql analyze query values avro}; do
    bin="$out/fuzz_$t"
    srcs=$lib; [ $t = sql ] && srcs=$lib_sql; [ $t = analyze ] && srcs=$lib_analyze; [ $t = query ] && srcs=$lib_analyze; [ $t = values ] && srcs="$lib $(ls src/exec/*.c)"
    dict=""; [ -f fuzz/$t.dict ] && dict="-dict=fuzz/$t.dict"; [ $t = analyze ] && dict="-dict=fuzz/sql.dict"; [ $t = query ] && dict="-dict=fuzz/sql.dict"
    if ! clang $CFLAGS -o "$bin" fuzz/fuzz_$t.c $srcs -lpcre2-8 -ljansson -lsqlite3 -lcurl -lcrypto -lsnappy -lzstd -lz -lm -lpthread -ldl 2>"$out/$t.build.log"; then
        echo "fuzz_$t: build failed"; cat "$out/$t.build.log"; fail=$((fail+1)); continue
    fi
    corpus="$out/corpus_$t"; mkdir -p "$corpus"
    case $t in
        json|jsonl) seeds="$(td_path jsontestsuite)"; need=jsontestsuite ;;
        ddl) seeds="pipelines/stedi/ddl pipelines/stedi/jobs"; need= ;;
        values) seeds="fuzz/seeds/values"; need= ;;
        avro) seeds="fuzz/seeds/avro"; need= ;;
        sql) seeds="fuzz/seeds/sql pipelines/stedi/jobs"; need= ;;
        analyze) seeds="fuzz/seeds/sql fuzz/seeds/analyze"; need= ;;
        query) seeds="fuzz/seeds/sql fuzz/seeds/analyze tests/sql"; need= ;;
        parquet) seeds="$(td_path parquet-testing)/tier1 $(td_path parquet-testing)/bad_data"; need=parquet-testing ;;
    esac
    regs=(fuzz/regressions/$t/*)
    if [ -e "${regs[0]}" ] && ! "$bin" "${regs[@]}" >"$out/$t.replay.log" 2>&1; then
        echo "fuzz_$t: a kept regression input fails again"; tail -20 "$out/$t.replay.log"; fail=$((fail+1)); continue
    fi
    seeddirs=""; for s in $seeds; do [ -d "$s" ] && seeddirs="$seeddirs $s"; done
    note=""
    if [ -n "$need" ] && ! miss=$(td_missing $need); then
        note=" (seeds absent: needs $miss)"
        td_note "fuzz_$t seeds" "$miss"
    fi
    if "$bin" -max_total_time="$secs" -max_len=$([ $t = parquet ] && echo 65536 || echo 4096) -timeout=10 -rss_limit_mb=2048 $dict \
         -artifact_prefix="$out/crash_${t}_" "$corpus" $seeddirs >"$out/$t.log" 2>&1; then
        execs=$(grep -o 'Done [0-9]* runs' "$out/$t.log" | tail -1 | awk '{print $2}')
        echo "fuzz_$t: ${execs:-?} executions in ${secs}s, no crash$note"
        pass=$((pass+1))
    else
        echo "fuzz_$t: CRASH"; tail -30 "$out/$t.log"
        for a in "$out"/crash_${t}_*; do [ -e "$a" ] && cp "$a" "fuzz/regressions/$t/" && echo "kept $(basename "$a")"; done
        fail=$((fail+1))
    fi
done
rm -rf /dev/shm/lh-fuzz-* 2>/dev/null
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
