#!/usr/bin/env bash
# Lab 'single': vfbench serve and vfbench run on rxe_pv, both in VM A:
# all eight tests over the TCP exchange and over rdma_cm with --verify, a
# size sweep, duration mode, bad input, and a server that outlives bad
# clients.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=$(mktemp -d)
peer=$VFB_PV_ADDR
"$VFBENCH" -v serve --timeout 5 >"$out/serve.log" 2>&1 &
serve_pid=$!
sleep 0.5

# rows_ok CSV N: N data rows, all ok, statistics ordered and positive.
rows_ok() {
	awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++
		  if ($c["status"] != "ok") { print "row " NR ": " $0; bad++ }
		  if ($c["lat_p50_us"] != "" && !($c["lat_min_us"] > 0 && $c["lat_min_us"] <= $c["lat_p50_us"] &&
		      ($c["lat_p99_us"] == "" || ($c["lat_p50_us"] <= $c["lat_p99_us"] && $c["lat_p99_us"] <= $c["lat_max_us"]))))
			{ print "bad latency order: " $0; bad++ }
		  if ($c["bw_avg_gbps"] != "" && !($c["bw_avg_gbps"] > 0 && $c["bw_peak_gbps"] >= $c["bw_avg_gbps"] &&
		      $c["msg_rate_mpps"] > 0)) { print "bad bandwidth: " $0; bad++ } }
		END { if (n != want) { print n " rows, want " want; bad++ } exit bad > 0 }' "$1"
}

run() { "$VFBENCH" run -d "$VFB_PV_RDMA" --peer "$peer" "$@"; }
# In the background, so that $! is vfbench itself (a function run with &
# is a subshell: killing it would leave vfbench running).
run_bg() { "$VFBENCH" run -d "$VFB_PV_RDMA" --peer "$peer" "$@" >/dev/null 2>&1 & }

expect "all eight tests, TCP exchange, --verify" \
	run -n 300 -s 2,4096,65536 --verify --csv "$out/oob.csv" --json "$out/oob.json"
expect "  20 rows (atomics at 8 B only), ordered statistics" rows_ok "$out/oob.csv" 20
expect "  each row names its verb; READ and atomic latency is the whole round trip" \
	csv_awk "$out/oob.csv" 'NR > 1 { op[$c["test"]] = $c["opcode"]; b[$c["test"]] = $c["lat_basis"] }
		END { exit !(op["read_lat"] == "RDMA_READ" && op["read_bw"] == "RDMA_READ" &&
			     op["atomic_lat"] == "ATOMIC_FETCH_AND_ADD" && op["atomic_bw"] == "ATOMIC_FETCH_AND_ADD" &&
			     op["write_lat"] == "RDMA_WRITE_WITH_IMM" && op["send_bw"] == "SEND" &&
			     b["read_lat"] == "rtt" && b["atomic_lat"] == "rtt" && b["write_lat"] == "half_rtt" &&
			     b["write_bw"] == "") }'
expect "  atomics ran at 8 B" \
	csv_awk "$out/oob.csv" '$c["test"] ~ /atomic/ && $c["msg_bytes"] != 8 { bad++ } END { exit bad > 0 }'
expect "compare-and-swap atomics, --verify (each returns the count before it)" \
	run -n 500 -t atomic_lat,atomic_bw --atomic cmp_swap --verify --csv "$out/cas.csv"
expect "  2 rows of ATOMIC_CMP_AND_SWP" \
	sh -c "test \$(grep -c ',ATOMIC_CMP_AND_SWP,' '$out/cas.csv') = 2"
expect "  JSON is valid and says how latency is measured" \
	sh -c "json_pp -t null <'$out/oob.json' && grep -q 'half of each measured round trip' '$out/oob.json'"
expect "all eight tests over rdma_cm, --verify" \
	run -R -n 300 -s 2,65536 --verify --csv "$out/cm.csv"
expect "  14 rows" rows_ok "$out/cm.csv" 14
expect "write_lat sweep 2 B .. 8 MiB on one connection" \
	run -a -n 10 --warmup 2 -t write_lat --csv "$out/sweep.csv"
expect "  23 rows" rows_ok "$out/sweep.csv" 23
expect "  10 samples a size: p99 and beyond are n/a (empty), not the maximum" \
	csv_awk "$out/sweep.csv" '$c["lat_p99_us"] != "" || $c["lat_p999_us"] != "" { bad++ } END { exit bad > 0 || NR != 24 }'
# -D 2, not 1: a busy host (two suites side by side) once stalled the
# guest past a 1 s window, which then held no round trip (an error row)
expect "duration mode (-D 2): latency from the histogram, bandwidth" \
	run -D 2 -s 64 -t send_lat,send_bw --csv "$out/dur.csv"
expect "  2 rows" rows_ok "$out/dur.csv" 2
expect "  duration latency states its error bound" \
	csv_awk "$out/dur.csv" 'NR == 2 { exit !($c["lat_err_bound"] > 0 && $c["lat_err_bound"] < 0.01) }'
expect "--until-stable 0.02: latency sampled until its median is known" \
	run --until-stable 0.02 --max-iters 20000 --max-time 30 -n 200 -s 2 -t write_lat --csv "$out/st.csv"
cat "$out/st.csv"
# A busy host reaches the 30 s cap first (6,400 samples in one run with
# the other core busy): a cap either way, said in the row.
expect "  stable with ci_rel <= 0.02, or capped at 20000 samples or 30 s" \
	csv_awk "$out/st.csv" 'NR == 2 { exit !(($c["stability"] == "stable" && $c["ci_rel"] <= 0.02) || ($c["stability"] == "cap" && ($c["iters"] == 20000 || $c["seconds"] >= 30))) }'
cat "$out/oob.csv"

# The options perftest users reach for, each recorded in the row.
expect "-e: all eight tests on completion events" \
	run -e -n 200 -s 2,4096 --csv "$out/ev.csv"
expect "  14 rows, ordered statistics" rows_ok "$out/ev.csv" 14
expect "  events=yes in every row" \
	csv_awk "$out/ev.csv" '$c["events"] != "yes" || $c["status"] != "ok" { bad++ } END { exit bad > 0 || NR != 15 }'
expect "-l 8: bandwidth tests post lists of 8" \
	run -l 8 -n 1000 -s 4096 -t write_bw,send_bw,read_bw,atomic_bw --csv "$out/pl.csv"
expect "  4 rows with post_list 8" \
	csv_awk "$out/pl.csv" '$c["post_list"] != 8 || $c["status"] != "ok" { bad++ } END { exit bad > 0 || NR != 5 }'
expect "-b: the four bandwidth tests both ways at once" \
	run -b -n 1000 -s 64,4096 -t write_bw,send_bw,read_bw,atomic_bw --csv "$out/bi.csv"
expect "  7 rows, each direction and the sum (sum = both)" \
	csv_awk "$out/bi.csv" '{ s = $c["bw_avg_gbps"] + $c["bw_back_gbps"]
		if ($c["status"] != "ok" || !($c["bw_back_gbps"] > 0) ||
		    $c["bw_sum_gbps"] < 0.999 * s || $c["bw_sum_gbps"] > 1.001 * s) { print; bad++ } }
		END { exit bad > 0 || NR != 8 }'
expect "-b -D 1: duration mode both ways" \
	run -b -D 1 -s 4096 -t send_bw,write_bw --csv "$out/bid.csv"
expect "  2 rows" rows_ok "$out/bid.csv" 2
expect "-q 4: the four bandwidth tests on 4 QPs (send_bw: the server got every message)" \
	run -q 4 -n 2000 -s 4096 -t write_bw,send_bw,read_bw,atomic_bw --csv "$out/q4.csv"
expect "  4 rows, qps 4" \
	csv_awk "$out/q4.csv" '$c["qps"] != 4 || $c["status"] != "ok" || $c["iters"] != 2000 { print; bad++ } END { exit bad > 0 || NR != 5 }'
expect "-q 3 -l 4 -D 1: duration mode, lists, 3 QPs" \
	run -q 3 -l 4 -D 1 -s 1024 -t write_bw,send_bw --csv "$out/q3.csv"
expect "  2 rows" rows_ok "$out/q3.csv" 2
"$VFBENCH" run -d "$VFB_PV_RDMA" --peer "$peer" --tclass 106 --sl 3 --flow-label 4660 \
	-n 100 -s 64 -t write_lat,read_bw --csv "$out/av.csv" >/dev/null 2>"$out/av.err"
expect "--tclass 106 --sl 3 --flow-label 4660: exit 0" test $? = 0
expect "  rows carry what the QP holds (read back): tclass 106, flow_label 4660" \
	csv_awk "$out/av.csv" '$c["tclass"] != 106 || $c["flow_label"] != 4660 { print; bad++ } END { exit bad > 0 || NR != 3 }'
# rxe is RoCE: no SL on the wire, and its QP keeps none: said, and recorded
sl_said() {
	[ "$(csv_awk "$out/av.csv" '{ print $c["sl"] }' | sort -u)" = 3 ] ||
		grep -q 'asked for service level 3, the QP holds' "$out/av.err"
}
expect "  and sl as the QP holds it, with a warning when that is not 3" sl_said
expect "  without them, the device's defaults (tclass 0)" \
	csv_awk "$out/oob.csv" '$c["tclass"] != 0 { bad++ } END { exit bad > 0 }'
expect "--tclass over rdma_cm (its type of service)" \
	run -R --tclass 32 -n 100 -s 64 -t send_lat --csv "$out/avcm.csv"
expect "  the row says tclass 32" csv_awk "$out/avcm.csv" 'NR == 2 { exit $c["tclass"] != 32 }'
echo 0 >/proc/sys/vm/nr_hugepages
run --use-hugepages -n 100 -s 64 -t write_lat >"$out/err" 2>&1
expect "--use-hugepages with none reserved: exit 3" test $? = 3
expect "  saying so (vm.nr_hugepages)" grep -q 'nr_hugepages' "$out/err"
echo 8 >/proc/sys/vm/nr_hugepages
expect "--use-hugepages with 8 reserved: all eight tests" \
	run --use-hugepages -n 100 -s 64 --csv "$out/huge.csv" --json "$out/huge.json"
expect "  run.json records hugepages" grep -Eq '"hugepages" ?: ?true' "$out/huge.json"
echo 0 >/proc/sys/vm/nr_hugepages

"$VFBENCH" run -d nosuch --peer "$peer" >"$out/err" 2>&1
expect "unknown device: exit 3" test $? = 3
expect "  naming the devices that exist" grep -q "devices: .*rxe_pv" "$out/err"
t0=$SECONDS
"$VFBENCH" run -d "$VFB_PV_RDMA" --peer 198.18.2.99 --timeout 2 -t write_lat >"$out/err" 2>&1
rc=$?
expect "unreachable peer: exit 3 within 15 s (took $((SECONDS - t0)) s)" \
	test "$rc" = 3 -a $((SECONDS - t0)) -lt 15
expect "  with an error naming the peer" grep -q '198.18.2.99' "$out/err"
cat "$out/err"

# A server facing garbage, a wrong version and a vanished client stays up.
exec 3<>"/dev/tcp/$peer/18515" && printf 'GARBAGE!' >&3 && exec 3>&-
exec 3<>"/dev/tcp/$peer/18515" && printf '\0\0\0\x1b{"v":99,"type":"hello"}   ' >&3 && sleep 0.5 && exec 3>&-
started=$(grep -c 'write_lat, 1 sizes' "$out/serve.log")
run_bg -n 100000 -s 2 -t write_lat
killed=$!
wait_for 60 sh -c "test \$(grep -c 'write_lat, 1 sizes' '$out/serve.log') -gt $started"
sleep 1
kill -9 $killed
wait $killed 2>/dev/null
expect "serve answers a real client after garbage and a killed client" \
	run -n 100 -s 2 -t write_lat,send_bw
# Sessions run concurrently: two clients at once are both served.
run_bg -n 300 -s 2,4096 -t write_lat,write_bw
c1=$!
run -n 300 -s 2,4096 -t send_lat,send_bw --csv "$out/c2.csv" >/dev/null 2>&1
c2=$?
wait $c1
c1=$?
expect "two clients at once: both served (exit $c1 and $c2)" test "$c1/$c2" = 0/0
# A client frozen (SIGSTOP: its kernel still ACKs, only heartbeats tell)
# in the middle of a bandwidth test: the next client is served at once,
# and the stale session ends (serve's --timeout 5 s plus one heartbeat
# interval; a minute allowed for a loaded emulator).
started=$(grep -c 'write_bw, 1 sizes' "$out/serve.log")
run_bg -D 30 -s 65536 -t write_bw
frozen=$!
wait_for 60 sh -c "test \$(grep -c 'write_bw, 1 sizes' '$out/serve.log') -gt $started"
sleep 2 # in the bandwidth test now
before=$(grep -c 'no answer from the peer\|silent' "$out/serve.log")
kill -STOP $frozen
t0=$SECONDS
lat0=$(grep -c 'write_lat, 1 sizes' "$out/serve.log")
expect "a client frozen mid write_bw: the next client is served" \
	run -n 100 -s 2 -t write_lat,send_bw
# at once: its session began before serve gave up on the frozen one (an
# order in serve's log, not a time: at load 11 the run took 7 s)
new_at=$(grep -n 'write_lat, 1 sizes' "$out/serve.log" | sed -n "$((lat0 + 1))p" | cut -d: -f1)
end_at=$(grep -n 'no answer from the peer\|silent' "$out/serve.log" | sed -n "$((before + 1))p" | cut -d: -f1)
expect "  at once: it began before the frozen session ended (log lines ${new_at:-none}, ${end_at:-not yet}; $((SECONDS - t0)) s)" \
	test -n "$new_at" -a \( -z "$end_at" -o "${new_at:-0}" -lt "${end_at:-0}" \)
ended=no
while [ $((SECONDS - t0)) -le 60 ]; do
	if [ "$(grep -c 'no answer from the peer\|silent' "$out/serve.log")" -gt "$before" ]; then
		ended=yes
		break
	fi
	sleep 0.2
done
expect "  the frozen client's session ended (serve --timeout 5; after $((SECONDS - t0)) s)" test $ended = yes
kill -CONT $frozen
wait $frozen
expect "  and the frozen client, thawed, finds its session gone: exit 3" test $? = 3
# A flood of connections and a few silent ones: bounded memory, and the
# next real client is served once the silent ones time out.
rss() { awk '/VmRSS/ { print $2 }' "/proc/$serve_pid/status"; }
rss0=$(rss)
for i in $(seq 200); do exec 3<>"/dev/tcp/$peer/18515" && exec 3>&-; done
for i in 1 2 3; do exec {fd}<>"/dev/tcp/$peer/18515"; idle+=($fd); done
expect "after a 200-connection flood and 3 silent clients, a real client is served" \
	run --timeout 60 -n 100 -s 2 -t write_lat
for fd in "${idle[@]}"; do exec {fd}>&-; done
expect "  serve's memory stays bounded ($rss0 kB -> $(rss) kB)" test "$(rss)" -lt $((rss0 + 20000))
expect "serve is still the same process" kill -0 $serve_pid
# An ordinary user: run/devices/report work, a small locked-memory limit
# gives an error that says so, setup apply asks for root.
chmod 666 /dev/infiniband/* # what rdma-core's udev rules do
user() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all bash -c "$1"; }
expect "an ordinary user lists devices" user "'$VFBENCH' devices --json >/dev/null"
expect "an ordinary user measures" user "ulimit -l unlimited 2>/dev/null; '$VFBENCH' run -d $VFB_PV_RDMA --peer $peer -n 100 -s 2 -t write_lat >/dev/null"
user "ulimit -l 64; '$VFBENCH' run -d $VFB_PV_RDMA --peer $peer -n 10 -s 1M -t write_bw" >"$out/memlock" 2>&1
expect "  with ulimit -l 64 and 1 MiB buffers: exit 3" test $? = 3
expect "  saying to raise ulimit -l" grep -Eq "raise the locked-memory limit \\(ulimit -l\\)|raise 'ulimit -l'" "$out/memlock"
user "'$VFBENCH' setup --pf $VFB_PV_NETDEV apply -n 1" >"$out/noroot" 2>&1
expect "  setup apply as a user: exit 3, needs root" sh -c "test $? = 3 && grep -q 'needs root' '$out/noroot'"
# A preflight probe, over IPv6 (the listener is dual-stack), is answered
# and is not a session: `serve --sessions 1` still serves one real client.
"$VFBENCH" serve -p 18600 --sessions 1 >"$out/serve1.log" 2>&1 &
serve1=$!
probe_ok() { # HOST PORT: a probe frame is answered "ok"
	local p ans
	exec {p}<>"/dev/tcp/$1/$2" || return 1
	printf '\0\0\0\x16{"v":2,"type":"probe"}' >&$p
	ans=$(timeout 5 head -c 64 <&$p | tr -d '\0')
	exec {p}>&-
	grep -q '"type": *"ok"' <<<"$ans"
}
wait_for 50 probe_ok 127.0.0.1 18600 2>/dev/null
expect "a probe over IPv6 (::1) is answered ok" probe_ok ::1 18600
expect "a probe over IPv4 is answered ok" probe_ok "$peer" 18600
expect "  probes are not sessions: serve --sessions 1 still runs" kill -0 $serve1
expect "  and serves a real client" "$VFBENCH" run -d "$VFB_PV_RDMA" --peer "$peer:18600" -n 100 -s 2 -t write_lat
wait_for 50 sh -c "! kill -0 $serve1 2>/dev/null"
expect "  then exits, its one session done" sh -c "! kill -0 $serve1 2>/dev/null"

# SIGTERM in the middle of a session: every session ends at once.
started=$(grep -c 'write_bw, 1 sizes' "$out/serve.log")
run_bg -D 30 -s 4096 -t write_bw
busy=$!
wait_for 60 sh -c "test \$(grep -c 'write_bw, 1 sizes' '$out/serve.log') -gt $started"
sleep 1
t0=$(date +%s%N)
kill $serve_pid
wait $serve_pid
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect "serve exits 0 on SIGTERM during a test, within 3 s (took $ms ms)" test $rc = 0 -a $ms -lt 3000
wait $busy
expect "  and its client says so: exit 3" test $? = 3
cat "$out/serve.log"

# Readiness in 'single': a KVM/QEMU guest with no vIOMMU and no SR-IOV.
"$VFBENCH" doctor >"$out/doctor" 2>&1
rc=$?
cat "$out/doctor"
st() { doctor_status "$out/doctor" "$@"; }
expect "doctor: exit 1, a check fails" test $rc = 1
expect "  iommu.acpi fails (no DMAR: no vIOMMU here)" test "$(st iommu.acpi)" = fail
expect "  iommu.groups fails, with its fix line" sh -c "grep -q '^fail iommu.groups' '$out/doctor' && grep -q 'fix: no IOMMU: enable VT-d' '$out/doctor'"
expect "  virt.guest names the hypervisor" sh -c "grep '^pass virt.guest' '$out/doctor' | grep -q 'guest of KVM/QEMU'"
expect "  no SR-IOV PF: the PF checks skip, saying so" sh -c "grep '^skip sriov.totalvfs' '$out/doctor' | grep -q 'no SR-IOV physical function'"
expect "  stack.modules passes" test "$(st stack.modules)" = pass
expect "  stack.gid passes on $VFB_PV_RDMA" test "$(st stack.gid "$VFB_PV_RDMA")" = pass
expect "  stack.mtu read from the live port" sh -c "grep '^pass stack.mtu *$VFB_PV_RDMA' '$out/doctor' | grep -q 'active MTU [0-9]'"
"$VFBENCH" doctor --json >"$out/doctor.json" 2>/dev/null
expect "  --json: a list of {id, status, evidence, fix}" doctor_json_ok "$out/doctor.json"
finish
