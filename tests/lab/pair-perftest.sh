#!/usr/bin/env bash
# Lab 'pair': writing sriov_numvfs yields VF netdevs with rxe devices, the
# three paths classify as pf, vf and pv, perftest runs from VM A's PF, VF
# and paravirtual rxe devices to VM B, and sriov_numvfs=0 removes them.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
log=$(mktemp -d)
numvfs=/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs

expect "rxe_pf, rxe_pv ACTIVE" wait_for 10 rxe_active rxe_pf
expect "sriov_numvfs=2 accepted" sh -c "echo 2 > $numvfs"
both_vfs_active() { rxe_active rxe_vf0 && rxe_active rxe_vf1; }
no_vf_rxe() { ! rdma link | grep -q rxe_vf; }
t0=$SECONDS
expect "VF 0 and VF 1 get ACTIVE rxe devices" wait_for 30 both_vfs_active
echo "VF rxe devices ACTIVE $((SECONDS - t0))s after sriov_numvfs=2"
rdma link
for p in pf:rxe_pf vf:rxe_vf0 vf:rxe_vf1 pv:rxe_pv; do
	expect "vfbench devices: ${p#*:} is path ${p%%:*}" \
		test "$(device_path "${p#*:}")" = "${p%%:*}"
done

lat() { # DEV PEER PORT
	local try
	# The peer restarts its ib_write_lat server after each client (the PF
	# run just used this port), and under load its servers start late: a
	# client that dials before the server listens gets "Unable to init
	# the socket connection", or, over rdma_cm, REJECTED (no listener),
	# and perftest then often crashes with its output lost; a server left
	# waiting by a crashed client restarts within 20 s (peer-perftest.sh).
	# Dial again, for up to 45 s, before calling it a failure.
	for try in $(seq 15); do
		# (a run under load may also print inf everywhere: its clock
		# rate measurement failed)
		timeout 90 ib_write_lat -R -d "$1" -p "$3" -s 2 -n 100 "$2" >"$log/$1" 2>&1 &&
			perftest_ok "$log/$1" && break
		echo "$1 -> $2: no run (try $try, exit $?): $(grep -Eo 'Unable to init the socket connection|RDMA_CM_EVENT_[A-Z_]+' "$log/$1" | head -1)"
		sleep 3
	done
	perftest_ok "$log/$1" || { cat "$log/$1"; return 1; }
	echo "$1 -> $2: $(grep -E '^ *2 ' "$log/$1")"
}
expect "ib_write_lat PF -> B" lat rxe_pf "$VFB_PEER_PF" 18515
expect "ib_write_lat VF -> B" lat rxe_vf0 "$VFB_PEER_VF" 18515
expect "ib_write_lat PV -> B" lat rxe_pv "$VFB_PEER_PV" 18516

# perftest's --out_json beside vfbench's --perftest-json, one reader for
# both (as a script written for perftest reads it): vfbench's valid JSON,
# every key of perftest's result entry and test_info's test name in
# vfbench's, one vfbench entry per case. Debian 12's perftest (4.5+0.17)
# writes its keys bare and leaves trailing commas: its file is read as
# scripts must read it, quoted first, and the line says which it was.
pt_json() {
	local try
	for try in $(seq 15); do
		rm -f "$log/pt.json"
		timeout 90 ib_write_lat -R -d "$VFB_PF_RDMA" -p 18515 -s 2 -n 100 \
			--out_json --out_json_file="$log/pt.json" "$VFB_PEER_PF" >"$log/ptj" 2>&1 &&
			[ -s "$log/pt.json" ] && return 0
		sleep 3
	done
	cat "$log/ptj"
	return 1
}
expect "ib_write_lat --out_json PF -> B" pt_json
vf_json() {
	"$VFBENCH" run -d "$VFB_PF_RDMA" --peer "$VFB_PEER_PF:18600" -t write_lat -s 2,64 -n 200 \
		--perftest-json "$log/vf.json" --out "$log/vfrun" >"$log/vfrun.txt" 2>&1 ||
		{ cat "$log/vfrun.txt"; return 1; }
}
expect "vfbench run --perftest-json PF -> B (write_lat, 2 and 64 B)" vf_json
cat "$log/pt.json"
expect "  one reader: the same keys, the same test name, an entry per size" \
	python3 - "$log/pt.json" "$log/vf.json" <<'PY'
import json, re, sys
def entries(doc):  # perftest: one object; vfbench: one per case
    r = doc["results"]
    return r if isinstance(r, list) else [r]
def loose(text):  # bare keys and words quoted, trailing commas dropped
    text = re.sub(r'(^|[{,])(\s*)([A-Za-z_][\w.]*)\s*:', r'\1\2"\3":', text, flags=re.M)
    text = re.sub(r':\s*([A-Za-z_][\w.-]*)\s*(?=[,}]|$)', r': "\1"', text, flags=re.M)
    return json.loads(re.sub(r',(\s*[}\]])', r'\1', text))
raw = open(sys.argv[1]).read()
try:
    pt = json.loads(raw)
    print("perftest's --out_json: valid JSON")
except ValueError as e:
    pt = loose(raw)
    print("perftest's --out_json: not JSON (%s); read after quoting" % e)
vf = json.load(open(sys.argv[2]))  # vfbench's: strictly
want = set(entries(pt)[0])
got = [set(e) for e in entries(vf)]
print("perftest results keys:", sorted(want))
print("vfbench entries:", len(got), "missing:", sorted(want - got[0]) if got else "-")
ok = (len(got) == 2 and all(want <= g for g in got)
      and pt["test_info"]["test"] == vf["test_info"]["test"]
      and [e["MsgSize"] for e in entries(vf)] == [2, 64]
      and all(e["t_typical"] > 0 for e in entries(vf)))
sys.exit(0 if ok else 1)
PY

expect "sriov_numvfs=0 accepted" sh -c "echo 0 > $numvfs"
expect "VF rxe devices are gone" wait_for 10 no_vf_rxe
finish
