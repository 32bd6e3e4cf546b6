# A read-only lake is readable (issue 11, point 5): on a read-only bind
# mount, and as another user on a folder they cannot write, `sql` SELECT,
# `verify`, `runs` and `report` work and say once that the lake is
# read-only; `run`, `ingest`, `vacuum`, DDL and CTAS fail naming the reason.
# An old (version 1) catalog reads unmigrated there.  A full disk says "no
# space left on the device holding".  Mounting needs root; each part that
# cannot mount says SKIP with its name.
# The STEDI landing data: the real files when LAKEHOUSE_TEST_DATA has them, else generated.
stedi_or_generated
expected="956 81273 28680 482 40981 482 14460 43681"
W="$PWD"
mounts=()
cleanup() { local m; for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done; chmod -R u+w "$W" 2>/dev/null || true; }
trap cleanup EXIT

# The STEDI lake, built writable in rw/.
L_RW="$W/rw"
mkdir -p "$W/out" && chmod 777 "$W/out" # where reports go (any user may write)
"$LH" --lake "$L_RW" ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null
"$LH" --lake "$L_RW" run "$PIPE" >/dev/null
"$LH" --lake "$L_RW" verify "$PIPE" >/dev/null
snapshot() { (cd "$L_RW" && find . -type f -printf '%p %s %T@\n' | sort | sha256sum); }

# Every read works on the read-only lake at $PWD/lake (the helpers' lake);
# every write fails with the reason.  $1 names the variant in messages.
ro_checks() {
    local v="$1" err
    err=$("$LH" --lake "$W/lake" sql -e "SELECT COUNT(*) FROM stedi.customer_trusted" 2>&1 >/dev/null)
    expect_contains "$err" "is read-only" "$v: sql says the lake is read-only"
    expect_eq "$(grep -c 'is read-only' <<<"$err")" "1" "$v: said once"
    expect_eq "$(stedi_counts)" "$expected" "$v: the eight STEDI counts"
    out=$(lh verify "$PIPE" 2>/dev/null)
    expect_contains "$out" "all 8 tables have the expected row counts" "$v: verify passes"
    out=$(lh runs 2>/dev/null)
    expect_contains "$out" "machine_learning_curated" "$v: runs works"
    expect_contains "$out" "succeeded" "$v: runs lists the runs"
    expect_contains "$(q 'SHOW DATABASES' 2>/dev/null)" "stedi" "$v: SHOW works"
    lh report "$PIPE" -o "$W/out/report-$v.html" >/dev/null 2>&1 || die "$v: report to a writable -o failed"
    grep -q "machine_learning_curated" "$W/out/report-$v.html" || die "$v: report lacks the tables"
    must_fail lh run "$PIPE"
    expect_contains "$OUT" "read-only" "$v: run refused"
    expect_contains "$OUT" "need write access" "$v: run names the fix"
    must_fail lh ingest "$STEDI" s3://stedi-lakehouse/
    expect_contains "$OUT" "read-only" "$v: ingest refused"
    must_fail lh vacuum
    expect_contains "$OUT" "read-only" "$v: vacuum refused"
    must_fail lh sql -e "CREATE DATABASE more"
    expect_contains "$OUT" "read-only" "$v: DDL refused"
    must_fail lh sql -e "CREATE TABLE stedi.x WITH (format='PARQUET') AS SELECT 1 AS a"
    expect_contains "$OUT" "read-only" "$v: CTAS refused"
}

# 1. A read-only bind mount (as root: even root cannot write there).
before=$(snapshot)
mkdir -p "$W/lake"
if mount --bind "$L_RW" "$W/lake" 2>/dev/null; then
    mounts=("$W/lake" "${mounts[@]}")
    mount -o remount,bind,ro "$W/lake" || die "remount read-only failed"
    touch "$W/lake/probe" 2>/dev/null && die "the bind mount is writable"
    ro_checks mount
    umount "$W/lake"
    mounts=()
    echo "read-only bind mount: reads work, writes refused"
elif command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    declare -f ro_checks stedi_counts count q lh must_fail expect_eq expect_contains die > "$W/fns.sh"
    unshare -m bash -c "set -e; W='$W'; LH='$LH'; PIPE='$PIPE'; STEDI='$STEDI'; expected='$expected'; cd '$W';
        source '$W/fns.sh'; mount --bind '$L_RW' '$W/lake'; mount -o remount,bind,ro '$W/lake'; ro_checks unshare"
    echo "read-only bind mount (in a mount namespace): reads work, writes refused"
else
    echo "SKIP readonly-mount: mount --bind and unshare -m are not permitted here"
fi
expect_eq "$(snapshot)" "$before" "the read-only lake is unchanged"

# 2. Another user's lake: chmod -R a-w, read as nobody (root ignores modes).
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    rmdir "$W/lake" 2>/dev/null || true
    ln -sfn "$L_RW" "$W/lake"
    chmod 755 "$W"
    chmod -R a-w "$L_RW"
    LH_REAL="$LH"
    LH="$W/as-nobody"
    printf '#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup --clear-groups "%s" "$@"\n' "$LH_REAL" > "$LH"
    chmod 755 "$LH"
    before=$(snapshot)
    ro_checks nobody
    expect_eq "$(snapshot)" "$before" "the unwritable lake is unchanged"
    LH="$LH_REAL"
    chmod -R u+w "$L_RW"
    rm -f "$W/lake"
    echo "unwritable folder as nobody: reads work, writes refused"
else
    echo "SKIP readonly-chmod: setpriv or the user nobody is missing"
fi

# 3. A version-1 catalog (before 'cancelled'/'abandoned') with a run left
# 'running' by a dead process: read-only it reads unmigrated and shows the
# run abandoned; writable it is migrated in place and keeps every run.
cp -a "$L_RW" "$W/old"
deadpid=999999
while kill -0 "$deadpid" 2>/dev/null; do deadpid=$((deadpid - 1)); done
python3 - "$W/old/.lakehouse/catalog.db" "$deadpid" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""PRAGMA foreign_keys=OFF; BEGIN;
CREATE TABLE j1(id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, target TEXT,
 status TEXT NOT NULL CHECK(status IN ('running','succeeded','failed')), started_at TEXT NOT NULL, ended_at TEXT,
 started_ms INTEGER NOT NULL, ended_ms INTEGER, pid INTEGER, rows_read INTEGER, rows_written INTEGER,
 snapshot_id INTEGER, error TEXT);
INSERT INTO j1 SELECT id, job, target, status, started_at, ended_at, started_ms, ended_ms, pid, rows_read,
 rows_written, snapshot_id, error FROM job_runs;
DROP TABLE job_runs; ALTER TABLE j1 RENAME TO job_runs; CREATE INDEX job_runs_job ON job_runs(job, id);
PRAGMA user_version=1; COMMIT;""")
c.execute("INSERT INTO job_runs(job, status, started_at, started_ms, pid) VALUES('killed_job','running','2026-01-01T00:00:00.000Z',0,?)", (int(sys.argv[2]),))
c.commit()
c.close()
EOF
nruns=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from job_runs').fetchone()[0])" "$W/old/.lakehouse/catalog.db")
mkdir -p "$W/oldro"
if mount --bind "$W/old" "$W/oldro" 2>/dev/null; then
    mounts=("$W/oldro" "${mounts[@]}")
    mount -o remount,bind,ro "$W/oldro"
    out=$("$LH" --lake "$W/oldro" runs --limit 1000 2>/dev/null)
    expect_contains "$out" "killed_job" "v1 read-only: runs lists the old runs"
    expect_contains "$(grep killed_job <<<"$out")" "abandoned" "v1 read-only: a dead run shows abandoned"
    expect_eq "$("$LH" --lake "$W/oldro" sql -q --format csv -e 'SELECT COUNT(*) FROM stedi.customer_trusted' 2>/dev/null | tail -1 | tr -d '\r')" "482" "v1 read-only: reads"
    umount "$W/oldro"
    mounts=()
else
    echo "SKIP readonly-v1-mount: mount --bind is not permitted here"
fi
out=$("$LH" --lake "$W/old" vacuum)
expect_contains "$out" "1 abandoned runs recorded" "v1 migrated: vacuum records the dead run"
ver=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma user_version').fetchone()[0])" "$W/old/.lakehouse/catalog.db")
expect_eq "$ver" "2" "the writable v1 catalog was migrated"
n2=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from job_runs').fetchone()[0])" "$W/old/.lakehouse/catalog.db")
expect_eq "$n2" "$nruns" "migration kept every run"
"$LH" --lake "$W/old" run "$PIPE" >/dev/null
expect_contains "$("$LH" --lake "$W/old" runs | grep killed_job)" "abandoned" "the migrated catalog records abandoned runs"

# 4. A read-only catalog with a write-ahead log a killed writer left and no
# -shm: cannot be read, and says what to do.
mkdir -p "$W/walro"
if mount --bind "$W/old" "$W/walro" 2>/dev/null; then
    mounts=("$W/walro" "${mounts[@]}")
    python3 -c "
import sqlite3, os, sys
c = sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO databases VALUES('walonly', NULL, 'x')\"); c.commit(); os._exit(0)" "$W/old/.lakehouse/catalog.db"
    rm -f "$W/old/.lakehouse/catalog.db-shm"
    mount -o remount,bind,ro "$W/walro"
    must_fail "$LH" --lake "$W/walro" sql -e "SHOW DATABASES"
    expect_contains "$OUT" "write-ahead log" "a WAL left on a read-only lake is named"
    expect_contains "$OUT" "open the lake once with write access" "and the fix"
    umount "$W/walro"
    mounts=()
else
    echo "SKIP readonly-wal-mount: mount --bind is not permitted here"
fi

# 5. A full disk: a 2 MB tmpfs holding a lake, a 3 MB ingest.
mkdir -p "$W/full"
if mount -t tmpfs -o size=2m tmpfs "$W/full" 2>/dev/null; then
    mounts=("$W/full" "${mounts[@]}")
    head -c 3000000 /dev/urandom > "$W/big.json"
    must_fail "$LH" --lake "$W/full/lake" ingest "$W/big.json" s3://bucket/big.json
    expect_contains "$OUT" "no space left on the device holding $W/full/lake" "ingest on a full disk names the device"
    expect_eq "$(find "$W/full" -name '.lh-tmp*' | wc -l)" "0" "the failed copy left no temporary object"
    dd if=/dev/zero of="$W/full/filler" bs=4k 2>/dev/null || true
    must_fail "$LH" --lake "$W/full/lake" sql -e "CREATE DATABASE d"
    expect_contains "$OUT" "no space left on the device holding" "the catalog on a full disk names the device"
    umount "$W/full"
    mounts=()
else
    echo "SKIP readonly-diskfull: mount -t tmpfs is not permitted here"
fi
