#!/usr/bin/env bash
# Lab 'cluster' (4 guests, one switched segment, rxe over virtio, Slurm
# with munge): vfbench mesh started by srun through PMIx.
#   1. every pair of the 4 hosts once, in 3 rounds, into one directory,
#      with its report;
#   2. a 100 ms netem delay on node2's link: node2's pairs are flagged,
#      measured again alone, and node2 alone is named the suspect;
#      the random schedule, 3 rounds: the detector names node2 alone;
#   3. the same under Open MPI's mpirun (salloc -N 4 mpirun --map-by node);
#   4. one rank killed mid-mesh: its pairs become error rows, the others
#      are measured, and rank 0 completes the directory.
set -u
. "$(dirname "$0")/lib.sh"
out=${VFB_OUT:-$(mktemp -d)}
rm -rf "$out/mesh" "$out/delay" "$out/random" "$out/mpi" "$out/kill" "$out/go"
# -e: ranks sleep on completions, each guest has one vCPU
M=("$VFBENCH" mesh --tx-depth 32 -e -p 19000 --flag-bandwidth 0.1)
pairs() { # DIR: the unordered pairs measured in their rounds, "a-b" sorted
	csv_awk "$1/results.csv" '$c["retest"] == "no" && $c["status"] == "ok" {
		a = $c["src_rank"]; b = $c["dst_rank"]; print (a < b ? a "-" b : b "-" a) }' | sort -u | tr '\n' ' '
}

# -n, not -D: with four TCG guests and other work on 2 cores a guest can
# stall for seconds, and a -D window then held no round trip (-D 1: 3 of
# 12 rows errors on a busy host; -D 2: 6 of 12 at load 10). A count of
# iterations takes as long as the host needs: the limit follows progress.
N=(-n 200)
t0=$(date +%s)
srun -N 4 --mpi=pmix "${M[@]}" "${N[@]}" -t write_lat,write_bw --out "$out/mesh" >"$out/mesh.log" 2>&1
rc=$?
cat "$out/mesh.log"
expect "srun -N 4 --mpi=pmix vfbench mesh: exit 0 ($(($(date +%s) - t0)) s)" test $rc = 0
expect "  all 6 pairs measured" test "$(pairs "$out/mesh")" = "0-1 0-2 0-3 1-2 1-3 2-3 "
expect "  in 3 rounds of 2 disjoint pairs, each pair once" test "$(csv_awk "$out/mesh/results.csv" \
	'$c["retest"] == "no" && $c["test"] == "write_lat" { print $c["round"] }' | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" = "0:2 1:2 2:2 "
expect "  every row names its hosts and ranks" test "$(csv_awk "$out/mesh/results.csv" \
	'$c["src_host"] !~ /^node[0-3]$/ || $c["dst_host"] !~ /^node[0-3]$/ || $c["src_rank"] == "" { print }' | wc -l)" = 0
expect "  run.json: 4 ranks, each host's environment" python3 -c "
import json, sys
d = json.load(open('$out/mesh/run.json'))
sys.exit(not (d['ranks'] == 4 and d['rounds'] == 3 and d['status'] == 'completed'
              and sorted(h['host'] for h in d['hosts']) == ['node0', 'node1', 'node2', 'node3']
              and all(h['env'].get('kernel') for h in d['hosts'])))"

srun -w node2 -N1 sh -c 'modprobe sch_netem && tc qdisc add dev cl0 root netem delay 100ms'
expect "netem: 100 ms on node2's link" srun -w node2 -N1 sh -c 'tc qdisc show dev cl0 | grep -q "delay 100"'
srun -N 4 --mpi=pmix "${M[@]}" -n 30 -t write_lat --out "$out/delay" >"$out/delay.log" 2>&1
cat "$out/delay.log"
csv_awk "$out/delay/results.csv" '{ printf "%s -> %s round %s retest %s: p50 %s us %s\n", $c["src_host"], $c["dst_host"], $c["round"], $c["retest"], $c["lat_p50_us"], $c["flag"] }'
expect "  node2's three pairs flagged for latency, the others not" test "$(csv_awk "$out/delay/results.csv" \
	'$c["retest"] == "no" && $c["flag"] == "latency" { print ($c["src_host"] == "node2" || $c["dst_host"] == "node2") }' | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" = "1:3 "
expect "  each measured again alone, and flagged again" test "$(csv_awk "$out/delay/results.csv" \
	'$c["retest"] == "yes" && $c["flag"] == "latency" { print }' | wc -l)" = 3
expect "  node2 named the suspect, alone" sh -c "grep -q '^suspect: node2 (rank 2), in 3 of 3 flagged pairs' '$out/delay.log' &&
	python3 -c \"import json, sys; sys.exit(json.load(open('$out/delay/run.json'))['suspects'] != ['node2'])\""
"$VFBENCH" report "$out/mesh" >"$out/report.log" 2>&1
expect "report: the mesh section and a heatmap per case, PNG and SVG" sh -c "
	grep -q 'A cluster, pair by pair' '$out/mesh/report.md' &&
	ls '$out/mesh/plots/mesh_pv_write_lat_2.png' '$out/mesh/plots/mesh_pv_write_lat_2.svg' \
		'$out/mesh/plots/mesh_pv_write_bw_65536.png' >/dev/null"
"$VFBENCH" report "$out/delay" >>"$out/report.log" 2>&1
expect "  the delayed mesh's report names the suspect" grep -q 'Suspect host .*: node2' "$out/delay/report.md"
# The gate matches rows by host pair, not by rank: each line's two
# figures must be that host pair's in the mesh and in the delayed run.
# The 100 ms delay (+50 ms a write) dwarfs a busy host's noise (p50 of 2-4
# ms; one unrelated pair moved by +1391% between two runs), the others
# are not judged here: the mesh against itself is the gate's control.
echo 'relative lat_p50_us +500% test=write_lat' >"$out/rules"
"$VFBENCH" gate --baseline "$out/mesh" --candidate "$out/delay" --rules "$out/rules" >"$out/gate.log" 2>&1
cat "$out/gate.log"
expect "gate matches host pairs: all 6, each with that pair's two figures" python3 - "$out" <<'EOP'
import csv, re, sys
d = sys.argv[1]
def p50(run):
    with open(f"{d}/{run}/results.csv") as f:
        return {(r["src_host"], r["dst_host"]): float(r["lat_p50_us"])
                for r in csv.DictReader(f) if r["retest"] == "no"
                and r["test"] == "write_lat" and r["status"] == "ok"}
base, cand = p50("mesh"), p50("delay")
seen = {}
for l in open(f"{d}/gate.log"):
    m = re.match(r"^(ok|FAIL) +(node\d)->(node\d) .* lat_p50_us ([0-9.e+]+) -> ([0-9.e+]+) ", l)
    if not m:
        continue
    k = (m[2], m[3])
    b, c = float(m[4]), float(m[5])
    if k not in base or k not in cand or abs(b / base[k] - 1) > 1e-3 or abs(c / cand[k] - 1) > 1e-3:
        sys.exit(f"{k}: gate says {b} -> {c}, the runs say {base.get(k)} -> {cand.get(k)}")
    seen[k] = m[1]
print(seen)
sys.exit(len(seen) != 6)
EOP
expect "  node2's 3 pairs fail" test "$(grep -c '^FAIL .*node2.* write_lat' "$out/gate.log")" = 3
expect "  the mesh against itself passes" "$VFBENCH" gate --baseline "$out/mesh" --candidate "$out/mesh" --rules "$out/rules"
# random, 3 rounds (seed 4: the 3 matchings of 4 hosts, each host's 3
# partners distinct): the detector names node2 alone, for its score
srun -N 4 --mpi=pmix "${M[@]}" -n 30 -t write_lat --schedule random --rounds 3 --seed 4 \
	--no-retest --out "$out/random" >"$out/random.log" 2>&1
rc=$?
cat "$out/random.log"
csv_awk "$out/random/results.csv" '{ print "  round " $c["round"] " " $c["src_host"] " -> " $c["dst_host"] " " $c["status"] " p50 " $c["lat_p50_us"] " us" }'
# The verdict is checked against the rows: node2's score computed here
# (its median p50 over the reference, the median of the hosts' medians).
# With 4 hosts the deviation comes from 3 good scores; where a busy host
# spread them too far for 6 deviations to reach node2 (scale shown), the
# lab could not show the detection: skip, saying so. A wrong host named,
# or node2 above the threshold and not named, fails.
python3 - "$out/random" "$rc" >"$out/random.verdict" <<'EOP'
import csv, json, math, statistics as st, sys
d, rc = sys.argv[1], int(sys.argv[2])
j = json.load(open(f"{d}/run.json"))
det, by = j["detector"], {}
for r in csv.DictReader(open(f"{d}/results.csv")):
    if r["status"] == "ok" and r["test"] == "write_lat":
        for h in (r["src_host"], r["dst_host"]):
            by.setdefault(h, []).append(float(r["lat_p50_us"]))
ref = st.median(st.median(v) for v in by.values())
score = st.median(by.get("node2", [math.nan])) / ref
named = [(x["host"], x["why"]) for x in det["suspects"]]
print(f"exit {rc}, seed {j.get('seed')}, rounds {j.get('rounds')}; node2's score {score:.2f} "
      f"(reference {ref:.1f} us), threshold {det['threshold']}, scale {det['scale']}; named {named}")
if rc != 0 or j.get("seed") != 4 or j.get("rounds") != 3 or len(by.get("node2", [])) != 3:
    print("fail: the run"); sys.exit(1)
if named == [("node2", "slow")]:
    sys.exit(0)
if not named and det["threshold"] and score <= det["threshold"] * 1.0001 and \
        det["scale"] * 6 > math.log(1.10):
    print("skip: the 3 good hosts' spread put the threshold above node2's score"); sys.exit(0)
print("fail: the verdict"); sys.exit(1)
EOP
vrc=$?
cat "$out/random.verdict"
if [ $vrc = 0 ] && grep -q '^skip:' "$out/random.verdict"; then
	skip "random, 3 rounds: the detector names node2 alone: the busy host spread the good hosts' scores beyond what 4 hosts can judge"
else
	expect "random, 3 rounds: exit 0, the detector names node2 alone (slow)" test $vrc = 0
fi
srun -w node2 -N1 tc qdisc del dev cl0 root

# Open MPI's mpirun across the guests: in a Slurm allocation it starts its
# daemons through Slurm (no ssh), and its own PMIx server answers
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_oob_tcp_if_include=cl0 \
	salloc -N 4 mpirun --map-by node -np 4 "${M[@]}" "${N[@]}" -t write_lat --out "$out/mpi" >"$out/mpi.log" 2>&1
rc=$?
cat "$out/mpi.log"
expect "salloc -N 4 mpirun --map-by node vfbench mesh: exit 0, all 6 pairs" sh -c \
	"[ $rc = 0 ] && [ '$(pairs "$out/mpi" 2>/dev/null)' = '0-1 0-2 0-3 1-2 1-3 2-3 ' ]"

# rank 3 killed once the first round is in; a killer job waits on node3.
# Slurm's PMIx plugin may answer a rank's death by cancelling the whole
# step with SIGKILL (its server's error handler, "_errhandler status =
# -61", then "STEP n.0 CANCELLED"; a race with slurmstepd reaping the
# task, lost more often on a busy host): nothing in the step can then
# finish. That run still must have kept every row it had; the case is
# run once more, and if Slurm cancels that one too what rank 0 does
# without rank 3 is a skip, never a pass.
kill_case() { # DIR
	rm -rf "$1" "$out/go"
	srun -N 4 --mpi=pmix --kill-on-bad-exit=0 "${M[@]}" "${N[@]}" --round-timeout 120 \
		-t write_lat,write_bw --out "$1" >"$1.log" 2>&1 &
	local mesh=$! killer
	srun -w node3 -N1 sh -c "while [ ! -e '$out/go' ]; do sleep 0.2; done; pkill -9 -x vfbench" &
	killer=$!
	wait_for 120 sh -c "[ \$(awk 'END { print NR }' '$1/results.csv' 2>/dev/null || echo 0) -ge 5 ]"
	kept=$(awk 'END { print NR - 1 }' "$1/results.csv" 2>/dev/null || echo 0)
	touch "$out/go"
	wait "$killer"
	wait "$mesh"
	cat "$1.log"
	# cancelled: rank 0 never closed its directory, and Slurm says why
	! { grep -q '"status": *"running"' "$1/run.json" && grep -q "CANCELLED" "$1.log"; }
}
cancelled=0
for try in 1 2; do
	kill_case "$out/kill" && break
	cancelled=$try
	expect "a rank killed, Slurm cancelled the step (try $try): the $kept rows measured before are kept" \
		test "$(awk 'END { print NR - 1 }' "$out/kill/results.csv")" -ge "$kept"
done
if [ "$cancelled" = 2 ]; then
	skip "a rank killed mid-mesh, rank 0 going on without it: Slurm's PMIx plugin cancelled the step twice"
else
	expect "a rank killed mid-mesh: rank 0 completed the directory" python3 -c "
import json, sys
d = json.load(open('$out/kill/run.json'))
sys.exit(not (d['status'] == 'interrupted' and d['rows'] >= 12 and d['error_rows'] > 0))"
	expect "  rank 3's later pairs are error rows" test "$(csv_awk "$out/kill/results.csv" \
		'$c["status"] == "error" && $c["src_rank"] != 3 && $c["dst_rank"] != 3 { print }' | wc -l)" = 0
	expect "  the pairs without it were measured in every round" test "$(csv_awk "$out/kill/results.csv" \
		'$c["retest"] == "no" && $c["src_rank"] != 3 && $c["dst_rank"] != 3 && $c["status"] == "ok" { print $c["round"] }' | sort -u | tr '\n' ' ')" = "0 1 2 "
fi
finish
