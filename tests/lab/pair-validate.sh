#!/usr/bin/env bash
# Lab 'pair', VM A: vfbench validate on the igb PF, a VF and the virtio
# path (rxe over each): every check runs (no peer: a loopback pair of RC
# QPs on each device), a row each into the results directory, the
# capability table PF / VF / PV, the report's Validation section; bad
# input exits 2 before any device is looked at.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=$(mktemp -d)
echo 1 >"/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs"
expect "the VF has an ACTIVE rxe device" wait_for 30 rxe_active rxe_vf0
nchecks=$("$VFBENCH" help valchecks | tail -n +2 | wc -l)

"$VFBENCH" validate --paths pf,vf,pv --out "$out/v" >"$out/v.txt" 2>&1
rc=$?
cat "$out/v.txt"
csv=$out/v/results.csv
expect "validate pf,vf,pv: exit 0 or 1 (ran), a row per check and path ($nchecks x 3)" \
	test "$rc/$(($(wc -l <"$csv") - 1))" = "$rc/$((nchecks * 3))" -a "$rc" -le 1
expect "  every row: scenario validate, a verdict, evidence" \
	csv_awk "$csv" '$c["scenario"] != "validate" || $c["verdict"] !~ /^(pass|fail|skip)$/ || $c["evidence"] == "" { print; bad = 1 } END { exit bad }'
expect "  paths pf, vf, pv on rxe_pf, rxe_vf0, rxe_pv" \
	test "$(csv_awk "$csv" '{ print $c["path"] "/" $c["device"] }' | sort -u | tr '\n' ' ')" = "pf/rxe_pf pv/rxe_pv vf/rxe_vf0 "
expect "  no check skipped on rxe (each device made its pair), but what a PF keeps for a VF on pf and pv" \
	test "$(csv_awk "$csv" '$c["verdict"] == "skip" && !($c["check"] ~ /^fence\./ && $c["path"] != "vf" && $c["evidence"] ~ /is not a VF/)' | wc -l)" = 0
expect "  the VF fenced by its PF: spoofchk on, trust off (igb's defaults)" \
	test "$(csv_awk "$csv" '$c["check"] ~ /^fence\./ && $c["path"] == "vf" && $c["verdict"] == "pass"' | wc -l)" = 2
expect "  every protection check passes (rxe refuses, the control works)" \
	csv_awk "$csv" '$c["check"] ~ /^protect\./ && $c["verdict"] != "pass" { print; bad = 1 } END { exit bad }'
expect "  the exit code says whether a check failed" \
	test "$rc" = "$(csv_awk "$csv" '$c["verdict"] == "fail" { f = 1 } END { print f + 0 }')"
expect "  the capability table: a column a path, max_qp known on each" \
	grep -Eq '^max_qp +[0-9]+ +[0-9]+ +[0-9]+' "$out/v.txt"
expect "  run.json: completed, capabilities of three paths" \
	sh -c "json_pp -t null <'$out/v/run.json' && grep -Eq '\"status\" ?: ?\"completed\"' '$out/v/run.json' && [ \$(grep -o '\"max_qp_wr\"' '$out/v/run.json' | wc -l) = 3 ]"
"$VFBENCH" report "$out/v" >"$out/report.txt" 2>&1
expect "  report: exit 0, a Validation section with the capabilities" \
	sh -c "grep -q '^## Validation' '$out/v/report.md' && grep -q 'max_qp_rd_atom' '$out/v/report.md'"
sed -n '/^## Validation/,$p' "$out/v/report.md" | head -60

"$VFBENCH" validate --paths pf,bogus --out "$out/b1" >"$out/b1.txt" 2>&1
expect "--paths pf,bogus: exit 2, nothing written" test "$?/$(ls "$out/b1" 2>/dev/null | wc -l)" = 2/0
"$VFBENCH" validate -d rxe_pf --checks claims.srq,nope --out "$out/b2" >"$out/b2.txt" 2>&1
expect "--checks with an unknown id: exit 2, nothing written" test "$?/$(ls "$out/b2" 2>/dev/null | wc -l)" = 2/0
nw=$("$VFBENCH" help valchecks | grep -c '^protect\.write\.')
"$VFBENCH" validate -d rxe_pf --checks protect.write --out "$out/w" >"$out/w.txt" 2>&1
expect "-d rxe_pf --checks protect.write: exit 0, its $nw checks" \
	test "$?/$(($(wc -l <"$out/w/results.csv") - 1))" = 0/$nw

# What the PF keeps for its VF, each protection taken off in turn: its
# check fails with the fix line, the other passes; put back, both pass.
fence() { # NAME SETTING...: the fence checks with the PF's VF 0 so set
	local name=$1
	shift
	ip link set "$VFB_PF_NETDEV" vf 0 "$@"
	"$VFBENCH" validate -d rxe_vf0 --checks fence --out "$out/$name" >"$out/$name.txt" 2>&1
	echo $?
}
verdicts() { csv_awk "$out/$1/results.csv" '{ printf "%s=%s ", $c["check"], $c["verdict"] }'; }
rc=$(fence f-spoof spoofchk off trust off)
cat "$out/f-spoof.txt"
expect "spoofchk off: exit 1, fence.spoofchk fails naming the fix, fence.trust passes ($(verdicts f-spoof))" \
	test "$rc/$(verdicts f-spoof)/$(csv_awk "$out/f-spoof/results.csv" '$c["evidence"] ~ /fix: ip link set '"$VFB_PF_NETDEV"' vf 0 spoofchk on/' | wc -l)" = "1/fence.spoofchk=fail fence.trust=pass /1"
rc=$(fence f-trust spoofchk on trust on)
expect "trust on: exit 1, fence.trust fails ($(verdicts f-trust))" \
	test "$rc/$(verdicts f-trust)" = "1/fence.spoofchk=pass fence.trust=fail "
rc=$(fence f-back trust off)
expect "  put back: exit 0, both pass ($(verdicts f-back))" \
	test "$rc/$(verdicts f-back)" = "0/fence.spoofchk=pass fence.trust=pass "

# SIGINT mid-way: the rows so far kept, run.json says interrupted, 130.
"$VFBENCH" validate --paths pf,vf,pv --out "$out/int" >"$out/int.txt" 2>&1 &
pid=$!
rows() { [ "$(wc -l <"$out/int/results.csv" 2>/dev/null || echo 0)" -ge 3 ]; }
wait_for 60 rows
kill -INT "$pid"
wait "$pid"
rc=$?
n=$(($(wc -l <"$out/int/results.csv") - 1))
echo "interrupted after $n rows, exit $rc"
expect "SIGINT mid-way: exit 130, fewer rows than a whole run, run.json interrupted" \
	sh -c "[ $rc = 130 ] && [ $n -ge 2 ] && [ $n -lt $((nchecks * 3)) ] && grep -q 'interrupted: SIGINT' '$out/int/run.json'"
finish
