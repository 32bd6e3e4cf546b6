# On a terminal, `lakehouse sql` with no -e or FILE opens an interactive
# shell (readline: prompt, multi-line statements, history file).
command -v script >/dev/null || die "script(1) (bsdutils) is needed to fake a terminal"
export HOME="$PWD"
printf 'SELECT 40 +\n  2 AS answer;\nSHOW DATABASES;\n' | script -qec "$LH --lake $PWD/lake sql" /dev/null > out.txt 2>&1
cat out.txt
expect_contains "$(cat out.txt)" "lakehouse SQL shell" "banner"
expect_contains "$(cat out.txt)" "-> " "continuation prompt for a multi-line statement"
expect_contains "$(cat out.txt)" "|     42 |" "multi-line statement ran"
expect_contains "$(cat out.txt)" "default" "second statement ran"
grep -q "SHOW DATABASES" .lakehouse_history || die "history not saved"
# an error in the shell does not end it
printf 'SELECT nosuch;\nSELECT 7 AS seven;\n' | script -qec "$LH --lake $PWD/lake sql" /dev/null > out2.txt 2>&1
expect_contains "$(cat out2.txt)" "<shell>:1:8: Column 'nosuch' cannot be resolved" "error shown, with its position"
expect_contains "$(cat out2.txt)" "|     7 |" "shell goes on after an error"
