#!/usr/bin/env bash
# Lab 'pair' (VM A with 2 vCPUs): vfbench drill on VM A's igb VF rxe_vf0
# with the PF (rxe_pf) as its neighbour, both streaming to VM B: every
# event in one results directory, each either performed and recovered
# from (recovery_ms, qp_end, setup's verify, the proof of the path after)
# or skipped with the reason the lab gives; never a pass for an event
# that was not performed. Then SIGINT in the middle of an event: rows
# kept, run.json interrupted, the host as setup left it. Limits follow
# progress: the drill's own waits stop on no new interval, not a clock.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=${VFB_OUT:-$(mktemp -d)}
dir=$out/drill
rm -rf "$dir" "$out/drill-int"
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
peers=(--peer-pf "$VFB_PEER_PF" --peer-vf "$VFB_PEER_VF")
expect "setup: 2 VFs with MACs" "${S[@]}" apply -n 2 --mac-base 52:54:00:dd:00:00
expect "  their rxe devices come up" wait_for 120 sh -c "[ \$(rdma link show | grep -c 'rxe_vf.*ACTIVE') = 2 ]"
events=numvfs-in-use,vf-link-flap,vf-flr,vf-rebind,pf-link-flap,vf-remove
known_fail="vf-flr"
t0=$(date +%s)
# The guest's own kernel can crash under the drill: Debian 6.1's rdma_rxe
# oopsed in rxe_skb_tx_dtor (a NULL QP) as vf-flr reset the VF under its
# traffic, once in CI and once here, and every netlink call (the drill's
# included) then waited for ever on the RTNL lock. That is the lab's
# kernel, not the drill: what it could not show is a skip naming the
# oops, and the rows so far are kept.
oops() { dmesg 2>/dev/null | grep -m1 -E 'BUG: kernel NULL pointer|Oops:|kernel BUG at'; }
("$VFBENCH" drill "$events" --target rxe_vf0 --neighbour rxe_pf "${peers[@]}" \
	--recovery-timeout 90 --timeout 10 -s 16384 --tx-depth 16 --out "$dir" 2>&1 |
	tee "$out/drill.log"; exit "${PIPESTATUS[0]}") &
drill_pid=$!
while kill -0 $drill_pid 2>/dev/null && [ -z "$(oops)" ]; do
	sleep 2
done
if kill -0 $drill_pid 2>/dev/null; then
	echo "the guest kernel: $(oops)"
	dmesg | grep -A12 -m1 -E 'BUG: kernel NULL pointer|Oops:|kernel BUG at' | grep -E 'RIP|BUG|Oops' | head -4
	for ev in ${events//,/ } "SIGINT case"; do
		# an event that said its outcome before the oops is not skipped
		grep "^drill $ev: " "$out/drill.log" 2>/dev/null | grep -vq 'traffic on' &&
			continue
		skip "$ev: not shown: the guest's kernel oopsed during the drill ($(oops | sed 's/^\[[^]]*\] //'))"
	done
	expect "  the rows measured before it kept" test -s "$dir/results.csv"
	finish
	exit
fi
wait $drill_pid
rc=$?
# a target stream whose verbs call blocked in the kernel after vf-flr
# (igbvf without reset handlers, seen in the lab): the drill bounds it,
# says so and runs no later event (exit 3); those are the lab's skips
stuck=$(grep -c "did not stop in .* blocked in the kernel" "$out/drill.log")
if [ "$stuck" -gt 0 ]; then
	expect "drill $events: a stream stuck in the kernel: exit 3, not $rc ($(($(date +%s) - t0)) s)" test $rc = 3
else
	expect "drill $events: exit 0 or 1 (a neighbour's verdict), not $rc ($(($(date +%s) - t0)) s)" \
		test $rc = 0 -o $rc = 1
fi
csv=$dir/results.csv
n() { csv_awk "$csv" "$1" | wc -l; }
echo "event, role, test: verdict, qp_end, stop_ms, recovery_ms, penalty | config | proof | outcome | error"
csv_awk "$csv" '$c["phase"] == "summary" { print $c["event"], $c["role"], $c["test"] ": " $c["verdict"], $c["qp_end"], $c["stop_ms"], $c["recovery_ms"], $c["penalty"] " | " $c["config"] " | " $c["proof"] " | " $c["evidence"] " | " $c["error"] }'
for ev in ${events//,/ }; do
	v=$(csv_awk "$csv" '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "target" && $c["test"] == "write_bw" { print $c["verdict"] }')
	ns=$(n '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "target" && $c["error"] ~ /^not performed: .*(stuck|blocked) in the kernel/')
	if [ "$stuck" -gt 0 ] && [ "$ns" = 2 ]; then
		skip "$ev: not performed: an earlier event left a stream stuck in the kernel (its rows say so)"
		continue
	fi
	case $v in
	pass)
		expect "$ev: performed; the target measured before, during or after, and after" \
			test "$(n '$c["event"] == "'$ev'" && $c["role"] == "target" && $c["phase"] == "before"')" -ge 10 -a \
			"$(n '$c["event"] == "'$ev'" && $c["role"] == "target" && $c["phase"] == "after"')" -ge 10
		expect "  recovery_ms measured, setup's verify holds, the VF's counters carried it after" \
			test "$(n '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "target" && $c["recovery_ms"] != "" && $c["config"] ~ /^verified/ && $c["proof"] !~ /^(not made|failed)/')" = 2
		;;
	skip)
		expect "$ev: not performed in the lab, said why (a skip, not a pass)" \
			test "$(n '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "target" && $c["verdict"] == "skip" && $c["evidence"] != ""')" = 2
		;;
	fail)
		# vf-flr: igbvf (6.1) has no reset handlers: after the kernel's
		# FLR its VF passes nothing until its driver is bound again
		# (docs/lab.md); the drill says so and repairs it
		# (a stream stuck on the device: its rebind may block, bounded)
		rep='^repaired'
		[ "$stuck" -gt 0 ] && rep='^repair(ed| blocked)'
		nf=$(n '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "target" && $c["status"] == "error" && $c["error"] ~ /did not come back/ && $c["expected"] ~ /'"$rep"'/')
		case " $known_fail " in
		*" $ev "*) expect "$ev: the target did not come back by itself (what the lab does): error rows that say so, a repair said" test "$nf" = 2 ;;
		*) bad "$ev: the target did not come back" ;;
		esac
		;;
	*) bad "$ev: the target's verdict is '$v' (pass, skip or a known failure expected)" ;;
	esac
	expect "  the neighbour's summaries: a penalty and a verdict, or a skip" \
		test "$(n '$c["event"] == "'$ev'" && $c["phase"] == "summary" && $c["role"] == "neighbour" && $c["verdict"] ~ /^(pass|fail|skip)$/')" = 2
done
expect "run.json: completed" grep -Eq '"status" ?: ?"completed' "$dir/run.json"
"${S[@]}" verify -n 2 --mac-base 52:54:00:dd:00:00 >"$out/verify.log" 2>&1
rc=$?
cat "$out/verify.log"
expect "the host as setup left it (verify: 0 mismatches)" test $rc = 0

# SIGINT while the PF is down: the rows so far kept, the PF up again
"$VFBENCH" drill pf-link-flap --hold 600000 --timeout 10 -s 16384 --tx-depth 16 --target rxe_vf0 --neighbour rxe_pf \
	"${peers[@]}" --out "$out/drill-int" >"$out/drill-int.log" 2>&1 &
pid=$!
pf_down() { ! ip link show "$VFB_PF_NETDEV" | grep -q '[<,]UP[,>]'; }
expect "SIGINT case: the PF goes down" wait_for 200 pf_down
kill -INT $pid
wait $pid
rc=$?
cat "$out/drill-int.log"
expect "SIGINT: exit 130" test $rc = 130
expect "  run.json interrupted" grep -Eq '"status" ?: ?"interrupted' "$out/drill-int/run.json"
expect "  the rows before it kept" test "$(csv_awk "$out/drill-int/results.csv" '$c["phase"] == "before"' | wc -l)" -ge 10
expect "  the PF is up again" sh -c "! ip link show $VFB_PF_NETDEV | grep -q 'state DOWN' || ip link show $VFB_PF_NETDEV | grep -q '[<,]UP[,>]'"
expect "  setup's verify holds" "${S[@]}" verify -n 2 --mac-base 52:54:00:dd:00:00
"$VFBENCH" report "$dir" >"$out/report.log" 2>&1
expect "report of the drill: exit 0" test $? = 0
"${S[@]}" teardown --force >/dev/null
finish
