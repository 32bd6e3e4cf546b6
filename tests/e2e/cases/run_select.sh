# run --job, --from and --dry-run: one job (recorded as that job), a job
# and what depends on it, and the plan without running anything.
lh gen stedi --scale 1 --seed 5 d >/dev/null
lh ingest d s3://stedi-lakehouse/ >/dev/null
base="956 81273 28680 482 40981 482 14460 43681"

# --dry-run: the order and each job's reads and writes; nothing happens
out=$(lh run --dry-run "$PIPE")
expect_contains "$out" "dry run" "dry run says so"
expect_contains "$out" "job  machine_learning_curated             runs     writes stedi.machine_learning_curated  reads stedi.step_trainer_trusted, stedi.accelerometer_trusted" "dry run: reads and writes"
expect_eq "$(lh runs | wc -l)" "1" "--dry-run ran nothing (no run recorded)"
out=$(lh run --from step_trainer_trusted --dry-run "$PIPE")
expect_contains "$out" "job  customer_landing_to_trusted          skipped" "dry run --from: upstream skipped"
expect_contains "$out" "job  machine_learning_curated             runs" "dry run --from: downstream runs"

lh run "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$base" "full run"
snap_cur=$(q "SELECT \"\$path\" FROM stedi.customer_curated LIMIT 1")
snap_ml=$(q "SELECT \"\$path\" FROM stedi.machine_learning_curated LIMIT 1")

# --job: that job only, recorded under its name
out=$(lh run --job step_trainer_trusted "$PIPE")
expect_contains "$out" "1 job in order: step_trainer_trusted" "--job runs one job"
expect_not_contains "$out" "machine_learning_curated" "--job runs nothing downstream"
expect_eq "$(lh runs step_trainer_trusted | grep -c succeeded)" "2" "--job recorded as that job"
expect_eq "$(q "SELECT \"\$path\" FROM stedi.machine_learning_curated LIMIT 1")" "$snap_ml" "downstream table untouched"
expect_eq "$(stedi_counts)" "$base" "counts after --job"

# --from: the job and everything downstream of it, nothing upstream
out=$(lh run --from step_trainer_trusted "$PIPE")
expect_contains "$out" "2 jobs in order: step_trainer_trusted, machine_learning_curated" "--from runs downstream"
expect_eq "$(q "SELECT \"\$path\" FROM stedi.customer_curated LIMIT 1")" "$snap_cur" "upstream table untouched"
[ "$(q "SELECT \"\$path\" FROM stedi.machine_learning_curated LIMIT 1")" != "$snap_ml" ] || die "--from did not rerun downstream"
expect_eq "$(stedi_counts)" "$base" "counts after --from"

# a misspelt job name: an error with the near one, nothing run
must_fail lh run --job step_trainer_trustd "$PIPE"
expect_eq "$RC" "2" "unknown job exit code"
expect_contains "$OUT" "no job 'step_trainer_trustd' (did you mean 'step_trainer_trusted'?)" "unknown job suggestion"
