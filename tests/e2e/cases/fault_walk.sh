# Allocation failure and I/O failure at the Nth call, for every N, over the
# whole STEDI pipeline on small data: each attempt fails cleanly (exit 2, a
# message, no crash) and every table keeps a whole snapshot.
lh gen stedi --scale 1 --seed 11 full >/dev/null
mkdir -p small/customer/landing small/accelerometer/landing small/step_trainer/landing
a=$(ls full/accelerometer/landing/* | head -1)
head -300 "$a" > small/accelerometer/landing/a.json
users=$(grep -o '"user":"[^"]*"' small/accelerometer/landing/a.json | sort -u | cut -d'"' -f4)
for u in $users; do grep -h "\"$u\"" full/customer/landing/*.json; done > small/customer/landing/c.json
head -20 full/customer/landing/*.json | grep '^{' >> small/customer/landing/c.json   # some without readings
serials=$(grep -o '"serialNumber": "[^"]*"' small/customer/landing/c.json | cut -d'"' -f4)
for s in $serials; do grep -h "\"$s\"" full/step_trainer/landing/*.json; done > small/step_trainer/landing/s.json
lh ingest small s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
base=$(stedi_counts)
echo "small data counts: $base"
case "$base" in *" 0 "*|*" 0") die "small data must give rows in every table: $base" ;; esac
walk() { # VAR
    local var=$1 n=0 rc
    while :; do
        n=$((n+1))
        [ "$n" -le 20000 ] || die "$var walk did not finish"
        set +e; env "$var=$n" "$LH" --lake "$PWD/lake" run "$PIPE" >walk.log 2>&1; rc=$?; set -e
        [ "$rc" -eq 0 ] && break
        [ "$rc" -eq 2 ] || { cat walk.log; die "$var=$n: exit $rc, expected a clean error (2)"; }
        grep -q "error:" walk.log || { cat walk.log; die "$var=$n: no error message"; }
        if [ $((n % 97)) -eq 0 ]; then   # spot-check the snapshots (a full check every N is slow)
            expect_eq "$(stedi_counts)" "$base" "$var=$n: tables keep whole snapshots"
        fi
    done
    expect_eq "$(stedi_counts)" "$base" "$var walk end"
    echo "$var: $((n-1)) failure points, every one a clean error"
}
walk LH_FAULT_ALLOC
walk LH_FAULT_IO
lh verify "$PIPE" >/dev/null 2>&1 || true   # (the expected counts are for full data)
