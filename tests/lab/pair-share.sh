#!/usr/bin/env bash
# Lab 'pair' (VM A with 2 vCPUs): vfbench share on the igb PF and three
# of its VFs, capped at 20 Mb/s, against VM B: fairness, scaling and
# isolation in one results directory, with its report. -e: members and
# their server sessions sleep on completion events; spinning, three
# sessions on VM B's one vCPU under a busy host starved the victim of
# every round trip for 2 s in one alternation (an error row, as designed,
# but not what this test is about). -D 4: with -e as well, a victim on a
# host busy with other work once went 2 s without a round trip while
# three aggressors ran; a window twice as long asks the same (every
# window of every member measured, each alternation loaded) of a host
# that stalls the guests for a second or two.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=${VFB_OUT:-$(mktemp -d)}
dir=$out/share
rm -rf "$dir"
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
expect "setup: 3 VFs with MACs, each capped at 20 Mb/s" \
	"${S[@]}" apply -n 3 --mac-base 52:54:00:aa:00:00 --max-tx-rate 20
ip link show "$VFB_PF_NETDEV" | grep ' vf '
expect "  their rxe devices come up" wait_for 60 sh -c "[ \$(rdma link show | grep -c 'rxe_vf.*ACTIVE') = 3 ]"
t0=$(date +%s)
"$VFBENCH" share fairness,scaling,isolation -d rxe_pf,rxe_vf0,rxe_vf1,rxe_vf2 \
	--victim rxe_vf0 --aggressors rxe_vf1,rxe_vf2 \
	--peer-pf "$VFB_PEER_PF" --peer-vf "$VFB_PEER_VF" -D 4 -r 3 \
	-s 16384 --aggressor-size 16384 --tx-depth 32 -e --out "$dir" >"$out/share.log" 2>&1
rc=$?
cat "$out/share.log"
expect "share fairness,scaling,isolation: exit 0 ($(($(date +%s) - t0)) s)" test $rc = 0
csv=$dir/results.csv
n() { csv_awk "$csv" "$1" | wc -l; }
expect "solo: each of 4 devices alone, measured" test "$(n '$c["scenario"] == "solo" && $c["active"] == 1 && $c["status"] == "ok"')" = 4
expect "fairness: 4 members at once, each measured" test "$(n '$c["scenario"] == "fairness" && $c["role"] == "member" && $c["active"] == 4 && $c["status"] == "ok"')" = 4
own=$(csv_awk "$csv" '$c["scenario"] == "fairness" && $c["role"] == "member" && $c["nd_tx_bytes"] > 1000000 { print $c["netdev"] }' | sort -u | wc -l)
expect "  each on its own netdev, which carried its bytes" test "$own" = 4
expect "  the aggregate is the sum of the members" csv_awk "$csv" '
	$c["scenario"] == "fairness" && $c["role"] == "member" { sum += $c["bw_avg_gbps"]; if ($c["skew_us"] > sk) sk = $c["skew_us"] }
	$c["scenario"] == "fairness" && $c["role"] == "aggregate" { agg = $c["bw_avg_gbps"]; j = $c["jain"]; s = $c["skew_us"] }
	END { d = agg - sum; exit !(agg > 0 && d < 1e-6 * agg && -d < 1e-6 * agg && j > 0 && j <= 1 && s == sk) }'
csv_awk "$csv" '$c["role"] == "aggregate" && $c["skew_us"] != "" { printf "start spread, %s with %s at once: %.0f us\n", $c["scenario"], $c["active"], $c["skew_us"] }'
expect "  every member's start offset recorded" test "$(n '$c["role"] == "member" && $c["active"] > 1 && $c["skew_us"] == ""')" = 0
expect "scaling: aggregates at 1, 2 and 4 devices" test "$(csv_awk "$csv" '$c["scenario"] == "scaling" && $c["role"] == "aggregate" && $c["status"] == "ok" { printf "%s,", $c["active"] }')" = "1,2,4,"
expect "isolation: the victim alone and loaded, alternated 3 x 2 sizes" test "$(csv_awk "$csv" '$c["scenario"] == "isolation" && $c["role"] == "victim" { printf "%s", $c["active"] }')" = 131313131313
expect "  the aggressors loaded it each time" test "$(n '$c["scenario"] == "isolation" && $c["role"] == "aggressor" && $c["status"] == "ok" && $c["active"] == 3')" = 12
expect "  a penalty with its interval for each size" test "$(n '$c["scenario"] == "isolation" && $c["role"] == "aggregate" && $c["penalty_p50_lo"] <= $c["penalty_p50"] && $c["penalty_p50"] <= $c["penalty_p50_hi"] && $c["penalty_p50"] > 0')" = 2
csv_awk "$csv" '$c["rate_cap_mbps"] != "" && $c["scenario"] == "solo" { printf "%s capped at %s Mb/s carried %.1f Mb/s: %s\n", $c["device"], $c["rate_cap_mbps"], $c["bw_avg_gbps"] * 1000, $c["cap_verdict"] }'
expect "rate caps: each VF row read its cap, 20 Mb/s, and judged it" test "$(n '$c["path"] == "vf" && $c["test"] == "write_bw" && ($c["rate_cap_mbps"] != 20 || $c["cap_verdict"] !~ /^(enforced|exceeded|not_reached)$/)')" = 0
expect "  the PF has none" test "$(n '$c["path"] == "pf" && $c["test"] == "write_bw" && $c["cap_verdict"] != "none"')" = 0
"$VFBENCH" report "$dir" >"$out/report.log" 2>&1
rc=$?
expect "report: exit 0" test $rc = 0
expect "  a sharing section: fairness, scaling, isolation" sh -c "grep -q 'Sharing one port' '$dir/report.md' && grep -q \"Jain's fairness index\" '$dir/report.md' && grep -q 'Scaling' '$dir/report.md' && grep -q 'loaded/alone' '$dir/report.md'"
expect "  its plots" sh -c "ls '$dir'/plots/share_fairness.png '$dir'/plots/share_scaling.png '$dir'/plots/share_isolation.svg >/dev/null"
printf 'absolute jain >= 0.1\nabsolute penalty_p50 <= 0.5\n' >"$out/rules"
"$VFBENCH" gate --baseline "$dir" --candidate "$dir" --rules "$out/rules" >"$out/gate.log" 2>&1
rc=$?
cat "$out/gate.log"
expect "gate on sharing metrics: jain >= 0.1 passes, a loaded/alone p50 <= 0.5 fails: exit 1" \
	sh -c "test $rc = 1 && grep -q '^ok .*fairness aggregate.*jain >= 0.1' '$out/gate.log' && grep -q '^FAIL .*isolation aggregate.*penalty_p50 <= 0.5' '$out/gate.log'"
"${S[@]}" teardown --force >/dev/null
finish
