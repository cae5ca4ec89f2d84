#!/usr/bin/env bash
# Lab 'pair', VM A: vfbench qualify on the shipped lab plan
# (lab/plans/pair.ini): doctor, setup of two VFs on the igb PF, settle
# until their rxe devices are active, run pf/vf/pv against VM B's serve,
# validate, report, the gate's rule, teardown: PASS, exit 0, the PF as
# before. The same plan with a rule that fails: FAIL, exit 1, the JUnit
# naming the rule. SIGINT while run measures: INCOMPLETE, exit 130, the
# PF put back by teardown.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=$(mktemp -d)
plan=$VFB_SRC/lab/plans/pair.ini
numvfs=/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs
before=$(cat "$numvfs")

"$VFBENCH" qualify "$plan" --out "$out/pass" >"$out/pass.txt" 2>&1
rc=$?
cat "$out/pass.txt"
# settle's last look, and the guest's devices, when it did not settle
if grep -q '^fail  *settle' "$out/pass.txt"; then
	cat "$out/pass/settle/settle.log"
	rdma link show
	ip -br link
fi
expect "the lab plan: PASS, exit 0" sh -c "[ $rc = 0 ] && grep -q '^qualify: PASS' '$out/pass.txt'"
expect "  run: rows of pf, pv and vf, all ok" \
	test "$(csv_awk "$out/pass/run/results.csv" '$c["status"] == "ok" { print $c["path"] }' | sort -u | tr '\n' ' ')" = "pf pv vf "
expect "  validate: a row per check and path" test "$(($(wc -l <"$out/pass/validate/results.csv") - 1))" -ge 3
expect "  report.md: the qualification's and the run's" \
	sh -c "grep -q '^# Qualification: PASS' '$out/pass/report.md' && test -s '$out/pass/run/report.md'"
expect "  the host from run.json, the doctor's table" \
	sh -c "grep -q '| kernel |' '$out/pass/report.md' && grep -q 'iommu.acpi' '$out/pass/report.md'"
expect "  JUnit: the rule a passing testcase" grep -q 'name="gate: no-error-rows" time="[0-9.]*"/>' "$out/pass/junit.xml"
expect "  teardown passed, the PF as before ($before VFs)" \
	sh -c "grep -q '^pass  *setup-teardown' '$out/pass.txt' && [ \$(cat $numvfs) = $before ]"

sed 's/^rules = .*/rules = no-error-rows, absolute lat_p50_us <= 0.001 test=write_lat/' "$plan" >"$out/fail.ini"
"$VFBENCH" qualify "$out/fail.ini" --out "$out/fail" >"$out/fail.txt" 2>&1
rc=$?
cat "$out/fail.txt"
expect "a rule that fails: FAIL, exit 1, naming it" \
	sh -c "[ $rc = 1 ] && grep -q '^qualify: FAIL: gate fail: 1 of 2: gate: absolute lat_p50_us <= 0.001 test=write_lat' '$out/fail.txt'"
expect "  JUnit: that rule a failure, the other a pass" \
	sh -c "grep -A1 'name=\"gate: absolute lat_p50_us &lt;= 0.001 test=write_lat\"' '$out/fail/junit.xml' | grep -q '<failure' && grep -q 'name=\"gate: no-error-rows\" time=\"[0-9.]*\"/>' '$out/fail/junit.xml'"
expect "  the PF as before" test "$(cat "$numvfs")" = "$before"

"$VFBENCH" qualify "$plan" --out "$out/int" >"$out/int.txt" 2>&1 &
pid=$!
rows() { # 3 rows measured, or qualify gone
	[ "$(cat "$out/int/run/results.csv" 2>/dev/null | wc -l)" -ge 3 ] || ! kill -0 "$pid" 2>/dev/null
}
wait_for 300 rows
kill -INT "$pid"
wait "$pid"
rc=$?
cat "$out/int.txt"
expect "SIGINT while run measures: exit 130, INCOMPLETE" \
	sh -c "[ $rc = 130 ] && grep -q '^qualify: INCOMPLETE: interrupted by INT' '$out/int.txt'"
expect "  run interrupted (its run.json says so), teardown passed" \
	sh -c "grep -q '^interrupted run' '$out/int.txt' && grep -q 'interrupted: SIGINT' '$out/int/run/run.json' && grep -q '^pass  *setup-teardown' '$out/int.txt'"
expect "  the PF as before" test "$(cat "$numvfs")" = "$before"
finish
