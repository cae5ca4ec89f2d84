#!/usr/bin/env bash
# Lab 'pair' fault drills: the peer killed in the middle of a latency and
# of a bandwidth test, a VF's link taken down during a matrix, SIGTERM.
# Each is bounded in time; detection times are printed.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
# under --out when there is one, so that the logs outlive a failure
out=${VFB_OUT:+$VFB_OUT/work}
[ -n "$out" ] && rm -rf "$out" && mkdir -p "$out" || out=$(mktemp -d)
peers=(--peer-pf "$VFB_PEER_PF" --peer-vf "$VFB_PEER_VF" --peer-pv "$VFB_PEER_PV")
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rows() { [ -e "$1" ] && [ "$(wc -l <"$1")" -gt "$2" ]; }
# client_qp_rts DEV PID: a QP of process PID on DEV is ready to send
client_qp_rts() { rdma res show qp link "$1/1" 2>/dev/null | grep -q "state RTS .*pid $2 "; }

# 1. peer killed mid-test: the case fails with the reason, the next runs
for t in write_lat write_bw; do
	csv=$out/$t.csv
	"$VFBENCH" run -d "$VFB_PF_RDMA" --peer "$VFB_PEER_PF" --timeout 5 \
		-t "$t,send_lat" -s 64 -n 3000000 --csv "$csv" >"$out/$t.log" 2>&1 &
	pid=$!
	# killed once the client measures (its QP ready to send), not after a
	# fixed sleep: on a busy host the client was still starting 4 s in,
	# met the restarted serve and measured happily (no error row)
	wait_for 120 client_qp_rts "$VFB_PF_RDMA" "$pid"
	sleep 1
	touch "$VFB_OUT/kill-serve"
	t0=$(now_ms)
	wait_for 30 rows "$csv" 1
	expect "peer killed during $t: error row after $(($(now_ms) - t0)) ms" \
		grep -q "^.*,$t,64,.*,error," "$csv"
	grep ",$t," "$csv" | sed 's/.*,error,/  reason: /'
	kill $pid 2>/dev/null # send_lat with 3M iterations is not the point
	wait $pid 2>/dev/null
done
wait_for 10 sh -c "ls '$VFB_OUT/kill-serve' 2>/dev/null; [ ! -e '$VFB_OUT/kill-serve' ]"
sleep 1
expect "the restarted serve answers the next client" \
	"$VFBENCH" run -d "$VFB_PF_RDMA" --peer "$VFB_PEER_PF" -t write_lat,send_bw -s 64 -n 200

# 2. a VF's link goes down during the matrix: its cases fail, the others run
"$VFBENCH" setup --pf "$VFB_PF_NETDEV" apply -n 1 --mac-base 52:54:00:ee:00:00 >/dev/null
wait_for 30 rxe_active rxe_vf0
vfdev=$(ls "/sys/bus/pci/devices/$VFB_PF_BDF/virtfn0/net")
# The link goes down while the pv path runs its first cases, well before
# the vf path's turn (paths run in --paths order: three pv and four pf
# cases of 2000 iterations remain). Taking it down after the pf rows of
# a -n 300 run raced the vf cases on a busy host (they take milliseconds):
# two of four vf rows were measured before the link went. Not -D: on a
# busy host a 1 s window can hold no round trip at all.
# (the client waits longer than the server's --timeout 5: the server,
# which serves one client at a time, must first give up on the dead one)
"$VFBENCH" run --paths pv,pf,vf "${peers[@]}" -t write_lat,send_bw -s 2,4096 -n 2000 \
	--timeout 10 --out "$out/linkdown" >"$out/linkdown.log" 2>&1 &
pid=$!
wait_for 120 rows "$out/linkdown/results.csv" 1 # the pv path's first row
ip link set "$vfdev" down
wait $pid
rc=$?
ip link set "$vfdev" up
cat "$out/linkdown/results.csv" | cut -d, -f3,4,12,13,31,32
# what each row says, and the run's own log
csv_awk "$out/linkdown/results.csv" '{ print $c["path"], $c["test"], $c["msg_bytes"], $c["status"], $c["seconds"], $c["error"] }'
tail -n 20 "$out/linkdown.log"
expect "link down: exit 3 (the environment failed a path)" test $rc = 3
expect "  vf rows are errors" \
	test "$(csv_awk "$out/linkdown/results.csv" '$c["path"] == "vf" && $c["status"] == "error"' | wc -l)" = 4
expect "  pf and pv rows are ok" \
	test "$(csv_awk "$out/linkdown/results.csv" '$c["path"] != "vf" && $c["status"] == "ok"' | wc -l)" = 8
"$VFBENCH" setup --pf "$VFB_PF_NETDEV" teardown --force >/dev/null

# 3. SIGTERM: rows kept, run.json interrupted, exit 143
"$VFBENCH" run --paths pf,pv "${peers[@]}" -n 2000 -s 2,4096,65536 --out "$out/term" >/dev/null 2>&1 &
pid=$!
wait_for 120 rows "$out/term/results.csv" 2
t0=$(now_ms)
kill -TERM $pid
wait $pid
rc=$?
expect "SIGTERM: exit 143 after $(($(now_ms) - t0)) ms" test $rc = 143
expect "  finished rows kept ($(($(wc -l <"$out/term/results.csv") - 1)))" rows "$out/term/results.csv" 2
expect "  run.json says interrupted" grep -Eq '"status" ?: ?"interrupted' "$out/term/run.json"
cat "$VFB_OUT/peer.log" | grep -E 'killed|warning' | head
finish
