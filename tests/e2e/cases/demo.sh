# `lakehouse demo`: the main job on a fresh machine.
out=$("$LH" demo --dir "$PWD/demo")
echo "$out"
expect_contains "$out" "all 8 tables have the expected row counts" "demo verifies"
expect_contains "$out" "stedi.machine_learning_curated |    43681 |  43681 | ok" "demo table"
# a second demo starts from a fresh lake
out=$("$LH" demo --dir "$PWD/demo")
expect_contains "$out" "all 8 tables have the expected row counts" "second demo"
n=$("$LH" --lake "$PWD/demo/lake" runs | grep -c succeeded)
expect_eq "$n" "5" "fresh lake: only this demo's runs"
