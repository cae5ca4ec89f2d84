#!/usr/bin/env bash
# Lab 'pair': the path matrix. VM B runs `vfbench serve` (lab/peer-default).
# PF, VF and paravirtual rows for all four tests into a results directory;
# a path whose peer is unreachable gives error rows while the others
# succeed; SIGINT keeps the finished rows and marks run.json interrupted.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=$(mktemp -d)
echo 2 >"/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs"
vf_ready() { rxe_active rxe_vf0 && rxe_active rxe_vf1; }
expect "VFs have ACTIVE rxe devices" wait_for 30 vf_ready

peers=(--peer-pf "$VFB_PEER_PF" --peer-vf "$VFB_PEER_VF" --peer-pv "$VFB_PEER_PV")
col() { # CSV COLUMN: the values of a column
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}

"$VFBENCH" run --paths pf,vf,pv "${peers[@]}" -n 200 -s 2,4096 --out "$out/all" >"$out/all.txt" 2>&1
rc=$?
cat "$out/all.txt"
expect "matrix pf,vf,pv x 4 tests x 2 sizes: 24 rows" \
	test "$(($(wc -l <"$out/all/results.csv") - 1))" = 24
expect "  all ok, exit 0" \
	test "$(csv_awk "$out/all/results.csv" '$c["status"] == "ok"' | wc -l)/$rc" = 24/0
expect "  paths pf, vf, pv" test "$(col "$out/all/results.csv" path | sort -u | tr '\n' ' ')" = "pf pv vf "
expect "  devices rxe_pf, rxe_vf0, rxe_pv" \
	test "$(col "$out/all/results.csv" device | sort -u | tr '\n' ' ')" = "rxe_pf rxe_pv rxe_vf0 "
expect "  every row names host, pci, netdev, peer, gid, cpu" \
	csv_awk "$out/all/results.csv" '$c["status"] == "ok" && ($c["host"] == "" || $c["pci"] == "" || $c["netdev"] == "" || $c["peer"] == "" || $c["gid_index"] == "" || $c["cpu"] == "") { print; bad = 1 } END { exit bad }'
expect "  run.json: completed, valid, with the environment" \
	sh -c "json_pp -t null <'$out/all/run.json' && grep -Eq '\"status\" ?: ?\"completed\"' '$out/all/run.json' && grep -q '\"kernel\"' '$out/all/run.json'"
expect "  run.json records locality (none in a VM)" grep -q 'no locality' "$out/all/run.json"

"$VFBENCH" run --paths pf,vf,pv "${peers[@]}" --peer-vf 198.18.3.99 --timeout 2 \
	-n 100 -s 2 -t write_lat,send_lat --out "$out/unreach" >"$out/unreach.txt" 2>&1
expect "an unreachable vf peer: exit 3 (environment)" test $? = 3
cat "$out/unreach.txt"
expect "  vf rows are errors naming the peer" \
	test "$(csv_awk "$out/unreach/results.csv" '$c["path"] == "vf" && $c["status"] == "error" && /198.18.3.99/' | wc -l)" = 2
expect "  pf and pv rows succeed" \
	test "$(csv_awk "$out/unreach/results.csv" '$c["path"] != "vf" && $c["status"] == "ok"' | wc -l)" = 4

"$VFBENCH" run --paths pf,vf,pv "${peers[@]}" -n 2000 -s 2,4096,65536 --out "$out/int" >/dev/null 2>&1 &
pid=$!
rows() { [ -e "$out/int/results.csv" ] && [ "$(wc -l <"$out/int/results.csv")" -ge 4 ]; }
wait_for 120 rows
kill -INT $pid
wait $pid
expect "SIGINT: exit 130" test $? = 130
kept=$(($(wc -l <"$out/int/results.csv") - 1))
expect "  $kept finished rows kept" test "$kept" -ge 3
expect "  run.json says interrupted" grep -Eq '"status" ?: ?"interrupted"' "$out/int/run.json"
echo 0 >"/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs"
finish
