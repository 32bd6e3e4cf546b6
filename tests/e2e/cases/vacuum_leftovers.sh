# vacuum removes every leftover of a killed command (issue 11, point 4):
# SIGKILLed ingests leave .lh-tmp-* files in landing folders, SIGKILLed runs
# leave .lh-tmp-*part-*.parquet in job prefixes; vacuum --dry-run lists them
# with their sizes and removes nothing, vacuum removes them, and what a live
# writer holds is kept.
lh gen stedi --scale 5 --seed 7 data >/dev/null
want="4780 406365 143400 2410 204905 2410 72300 218405"
tmps() { find lake -name '.lh-tmp-*' | sort; }
# kill -9 a command after DELAY seconds (it may finish first)
kill_after() { local delay="$1"; shift; "$LH" --lake "$PWD/lake" "$@" >/dev/null 2>&1 & local pid=$!; sleep "$delay"; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

# SIGKILLed ingests (the 57 files are one batch: nothing is renamed before
# its end).  A whole ingest takes ~60 ms here, so the kills come 10-90 ms in,
# each into a fresh bucket so that every attempt copies (a re-ingest of the
# same bytes copies nothing): at least four, until temporary files are left.
for i in $(seq 1 24); do
    kill_after "0.0$((i % 9 + 1))" ingest data "s3://stedi-killed-$i/"
    [ "$i" -ge 4 ] && [ "$(tmps | wc -l)" -gt 0 ] && break
done
n=$(tmps | wc -l)
echo "after $i killed ingests: $n temporary files"
[ "$n" -gt 0 ] || die "the killed ingests left no temporary file to vacuum"
[ -n "$(tmps | grep /landing/)" ] || die "expected temporary files in the landing folders"
# a temporary file of a live writer is kept: its pid is alive (a writer that takes no lock)
mkdir -p lake/stedi-lakehouse/customer/landing
sleep 60 & live=$!
live_tmp="lake/stedi-lakehouse/customer/landing/.lh-tmp-$live-0123456789abcdef-live.json"
echo '{"live": true}' > "$live_tmp"
# and one of a pid that is gone
dead_tmp="lake/stedi-lakehouse/customer/landing/.lh-tmp-999999999-0123456789abcdef-dead.json"
echo '{"dead": true}' > "$dead_tmp"
before=$(tmps)
out=$(lh vacuum --dry-run)
echo "$out" | tail -5
expect_eq "$(echo "$out" | grep -c '^would remove .*/\.lh-tmp-.* bytes)$')" "$(( $(echo "$before" | wc -l) - 1 ))" "dry run lists every dead temporary file with its size"
expect_contains "$out" "would remove s3://stedi-lakehouse/customer/landing/.lh-tmp-999999999-0123456789abcdef-dead.json (15 bytes)" "the dead pid's file, with its size"
expect_not_contains "$out" "-live.json" "the live writer's file is not listed"
expect_contains "$out" "kept 1 temporary file of live writers" "and said so"
expect_contains "$out" "would free" "a total"
expect_eq "$(tmps)" "$before" "dry run deletes nothing"
out=$(lh vacuum)
echo "$out" | tail -4
expect_contains "$out" "removed s3://stedi-lakehouse/customer/landing/.lh-tmp-999999999-0123456789abcdef-dead.json (15 bytes)" "removed, with its size"
expect_contains "$out" "freed" "a total"
expect_eq "$(tmps)" "$live_tmp" "only the live writer's temporary file is left"
kill "$live" 2>/dev/null || true; wait "$live" 2>/dev/null || true
out=$(lh vacuum)
expect_contains "$out" "1 temporary files (15 bytes) removed" "once its writer is gone, it goes too"
expect_eq "$(find lake -name '.lh-tmp-*')" "" "no temporary file left"
# a re-ingest and run give the right counts
lh ingest data s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
lh verify --scale 5 "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$want" "counts after re-ingest and run"

# SIGKILLed runs leave .lh-tmp-*part-*.parquet in the job prefixes
# (the whole run takes ~0.3 s here: the kills come 20-250 ms in)
for i in $(seq 1 16); do
    kill_after "0.$(printf '%02d' $((RANDOM % 24 + 2)))" run "$PIPE"
    [ "$(tmps | grep -c 'part-.*\.parquet$')" -ge 2 ] && break
done
tmps
[ -n "$(tmps | grep '/\.lh-tmp-[0-9]*-[0-9a-f]*-part-[0-9]*\.parquet$')" ] || die "the killed runs left no .lh-tmp-*part-*.parquet"
before=$(tmps)
out=$(lh vacuum --dry-run)
expect_contains "$out" "would remove s3://stedi-lakehouse/" "dry run lists the killed runs' leftovers"
expect_contains "$out" "-part-" "including temporary part files"
expect_eq "$(tmps)" "$before" "dry run deletes nothing"
lh vacuum >/dev/null
expect_eq "$(find lake -name '.lh-tmp-*')" "" "no temporary file left after vacuum"
out=$(lh vacuum --dry-run)
expect_contains "$out" "0 orphaned (0 bytes) to remove; 0 temporary files (0 bytes) to remove" "nothing left"
lh run "$PIPE" >/dev/null
lh verify --scale 5 "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$want" "counts after vacuum and a re-run"
