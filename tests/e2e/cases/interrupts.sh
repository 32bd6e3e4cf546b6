# Interrupts (issue 11, point 6).  The shell, driven through a
# pseudo-terminal: Ctrl-C cancels a long cross join, prints "cancelled" and
# the shell answers the next statement; Ctrl-C at the prompt drops a
# half-typed line (and a half-typed multi-line statement); each statement
# is in the history file as soon as it ran; Ctrl-D exits.  `run`: SIGINT
# mid-job ends that job 'cancelled' with none of its objects left, the
# previous snapshot intact, no further job run, exit 130 (SIGTERM: 143); a
# SIGKILLed run shows 'abandoned', and vacuum records it so.
command -v python3 >/dev/null || die "python3 is needed to drive the shell through a pseudo-terminal"
# The STEDI landing data: the real files when LAKEHOUSE_TEST_DATA has them, else generated.
stedi_or_generated
export HOME="$PWD"

# A small pty driver: stdin holds "send TEXT" (Python escapes), "wait REGEX
# SECONDS" (from after the last match), "sleep S", "file PATH TEXT" (PATH
# holds TEXT now); the exit code is the program's.
cat > drive.py <<'EOF'
import codecs, os, pty, re, select, sys, time
log = open(sys.argv[1], 'wb')
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
buf, mark = b'', 0
def pump(t):
    global buf
    r, _, _ = select.select([fd], [], [], max(t, 0))
    if r:
        try:
            d = os.read(fd, 65536)
        except OSError:
            d = b''
        buf += d; log.write(d); log.flush()
for line in sys.stdin:
    op, _, arg = line.rstrip('\n').partition(' ')
    if op == 'send':
        os.write(fd, codecs.decode(arg, 'unicode_escape').encode())
    elif op == 'sleep':
        end = time.time() + float(arg)
        while time.time() < end:
            pump(end - time.time())
    elif op == 'wait':
        rx, _, to = arg.rpartition(' ')
        t0 = time.time()
        while not re.search(rx.encode(), buf[mark:]):
            if time.time() - t0 > float(to):
                sys.stderr.write('timeout after %ss waiting for %r\n' % (to, rx)); os.kill(pid, 9); sys.exit(3)
            pump(t0 + float(to) - time.time())
        mark += re.search(rx.encode(), buf[mark:]).end()
        sys.stderr.write('got %r after %.2f s\n' % (rx, time.time() - t0))
    elif op == 'file':
        path, _, text = arg.partition(' ')
        if text not in open(path).read():
            sys.stderr.write('%s lacks %r\n' % (path, text)); os.kill(pid, 9); sys.exit(4)
t0 = time.time()
while time.time() - t0 < 5:
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
    pump(0.05)
sys.stderr.write('the shell did not exit\n'); os.kill(pid, 9); sys.exit(5)
EOF

lh ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null

# --- the shell ---
set +e
python3 drive.py shell.log "$LH" --lake "$PWD/lake" sql 2> drive.err <<'EOF'
wait lakehouse> 10
send SELECT COUNT(*) FROM stedi.accelerometer_landing a, stedi.accelerometer_landing b;\r
sleep 1
send \x03
wait cancelled 3
wait lakehouse> 3
file .lakehouse_history stedi.accelerometer_landing b;
send SELECT 1 AS one;\r
wait \(1 row\) 5
wait lakehouse> 3
file .lakehouse_history SELECT 1 AS one;
send SELECT half typed
sleep 0.3
send \x03
wait lakehouse> 3
send SELECT 2 AS two;\r
wait \(1 row\) 5
wait lakehouse> 3
send SELECT\r
wait -> 3
send \x03
wait lakehouse> 3
send 3 AS three FROM (SELECT 1);\r
wait lakehouse> 5
send \x04
EOF
rc=$?
set -e
cat drive.err
tr -d '\r' < shell.log > shell.txt
cat shell.txt
[ "$rc" -eq 0 ] || die "shell session failed (driver exit $rc)"
expect_contains "$(cat shell.txt)" "cancelled" "Ctrl-C cancels the running statement"
cancel_s=$(sed -n "s/^got 'cancelled' after \([0-9.]*\) s$/\1/p" drive.err)
awk -v s="$cancel_s" 'BEGIN { exit !(s < 2.0) }' || die "cancelling took ${cancel_s}s (want < 2 s)"
expect_contains "$(cat shell.txt)" "|   1 |" "the shell answers after a cancel"
expect_contains "$(cat shell.txt)" "|   2 |" "the shell answers after Ctrl-C at the prompt"
# the typed text was echoed; it must not have reached the engine
expect_not_contains "$(grep -i error shell.txt)" "half" "a half-typed line is dropped by Ctrl-C"
# "SELECT" then Ctrl-C on the continuation line: the statement is dropped,
# so "3 AS three ..." alone is an error
expect_contains "$(cat shell.txt)" "error: <shell>:1:1" "Ctrl-C drops a half-typed multi-line statement"
expect_not_contains "$(cat .lakehouse_history)" "half" "dropped lines are not history"
expect_eq "$(grep -c . .lakehouse_history)" "4" "each statement appended to the history"

# --- run interrupted ---
"$LH" gen stedi --scale 10 gen >/dev/null
rm -rf lake
lh ingest gen s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
before=$(stedi_counts)
ml_before=$(q "SELECT \"\$path\" FROM stedi.machine_learning_curated LIMIT 1")

# run_until LINE SIGNAL: start a run, send SIGNAL once LINE is printed (the
# next job has just started); sets RC.
run_until() {
    rm -f run.out run.err
    "$LH" --lake "$PWD/lake" run "$PIPE" > run.out 2> run.err &
    local pid=$! i
    for i in $(seq 400); do grep -q "$1" run.out 2>/dev/null && break; sleep 0.02; done
    grep -q "$1" run.out || die "the run never printed $1"
    kill -"$2" "$pid"
    set +e; wait "$pid"; RC=$?; set -e
    cat run.out run.err
}
run_until "step_trainer_trusted .* rows out" INT
expect_eq "$RC" "130" "run interrupted by SIGINT exits 130"
expect_contains "$(cat run.err)" "machine_learning_curated" "the running job is named"
expect_contains "$(cat run.err)" "CANCELLED" "the job is shown cancelled"
expect_contains "$(cat run.err)" "run cancelled" "the run says it was cancelled"
last=$(lh runs --limit 1 | tail -1)
expect_contains "$last" "machine_learning_curated" "the last run is the interrupted job"
expect_contains "$last" "cancelled" "runs shows it cancelled"
rid=$(awk '{print $1}' <<<"$last")
expect_eq "$(find lake -path "*run-$(printf %06d "$rid")-*" -type f | wc -l)" "0" "no object of the cancelled run is left"
expect_eq "$(find lake -name '.lh-tmp*' | wc -l)" "0" "no temporary object is left"
expect_eq "$(q "SELECT \"\$path\" FROM stedi.machine_learning_curated LIMIT 1")" "$ml_before" "previous snapshot kept"
expect_eq "$(stedi_counts)" "$before" "counts unchanged after the cancelled run"

run_until "customer_landing_to_trusted .* rows out" TERM
expect_eq "$RC" "143" "run stopped by SIGTERM exits 143"
last=$(lh runs --limit 1 | tail -1)
expect_contains "$last" "accelerometer_landing_to_trusted" "SIGTERM: the running job"
expect_contains "$last" "cancelled" "SIGTERM: recorded cancelled"
expect_not_contains "$(grep "^  job" run.out)" "customer_trusted_to_curated" "no further job ran"
expect_eq "$(stedi_counts)" "$before" "counts unchanged after SIGTERM"

# --- a killed run is abandoned ---
run_until "customer_landing_to_trusted .* rows out" KILL
last=$(lh runs --limit 1 | tail -1)
expect_contains "$last" "abandoned" "a SIGKILLed run shows abandoned"
expect_contains "$(lh graph "$PIPE")" 'class="job abandoned"' "the graph shows it abandoned"
lh report "$PIPE" -o report.html >/dev/null
grep -q "abandoned" report.html || die "the report shows it abandoned"
out=$(lh vacuum)
expect_contains "$out" "1 abandoned runs recorded" "vacuum records the abandoned run"
last=$(lh runs --limit 1 | tail -1)
expect_contains "$last" "abandoned" "recorded abandoned"
expect_contains "$last" "recorded by vacuum" "with who found it"
out=$(lh vacuum)
expect_contains "$out" "0 abandoned runs recorded" "recorded once"
# a running job holding the lock shows running; a pid reused by a process
# that does not hold the lock, and a run of another boot, show abandoned
"$LH" --lake "$PWD/lake" run "$PIPE" > run.out 2>&1 &
rpid=$!
for i in $(seq 400); do grep -q "step_trainer_trusted .* rows out" run.out 2>/dev/null && break; sleep 0.02; done
mid=$(lh runs --limit 1 | tail -1)
wait "$rpid"
expect_contains "$mid" "machine_learning_curated" "mid-run: the running job"
expect_contains "$mid" "running" "a live run holding the lake lock shows running"
sleep 30 &
spid=$!
python3 - lake/.lakehouse/catalog.db "$spid" "$$" <<'EOF2'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
boot = open('/proc/sys/kernel/random/boot_id').read().strip()
ins = "INSERT INTO job_runs(job, status, started_at, started_ms, pid, boot_id) VALUES(?, 'running', '2026-01-01T00:00:00.000Z', 0, ?, ?)"
c.execute(ins, ('reused_pid', int(sys.argv[2]), boot))
c.execute(ins, ('other_boot', int(sys.argv[3]), '00000000-0000-0000-0000-000000000000'))
c.commit()
EOF2
out=$(lh runs --limit 2)
expect_contains "$(grep reused_pid <<<"$out")" "abandoned" "a live pid not holding the lock: abandoned"
expect_contains "$(grep other_boot <<<"$out")" "abandoned" "a run of another boot: abandoned"
out=$(lh vacuum)
expect_contains "$out" "2 abandoned runs recorded" "vacuum records both"
kill "$spid"; wait "$spid" 2>/dev/null || true
lh run "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$before" "a re-run after all this verifies"
