#!/usr/bin/env bash
# Lab 'cluster' (4 guests, rxe_cl over virtio on each, Slurm with munge):
# vfbench health as Slurm's HealthCheckProgram.
#   1. run by hand on every node (srun): healthy, one OK line, exit 0,
#      within its bound; nagios style exit 0 too;
#   2. node2's rxe link removed (by a job that stays on node2), then
#      HealthCheckProgram set on every node (slurm.conf, scontrol
#      reconfigure): Slurm's own health check drains node2 with a reason
#      "vfbench: ...", and node0, node1 and node3 are not drained;
#   3. the link back: the next check resumes node2 (vfbench drained it).
set -u
. "$(dirname "$0")/lib.sh"
out=${VFB_OUT:-$(mktemp -d)}
d=$out/health
rm -rf "$d"
mkdir -p "$d"
H="$VFBENCH health --paths pv --timeout 20 -n 50"
nodes="node0 node1 node2 node3"
drained() { scontrol show node "$1" -o | grep -q 'State=[A-Z+]*DRAIN'; }

for n in $nodes; do
	srun -w "$n" -N1 sh -c "$H; echo rc=\$?" >"$d/$n.byhand" 2>&1
	cat "$d/$n.byhand"
	expect "$n: health by hand: healthy, exit 0" sh -c \
		"grep -q '^OK: vfbench health: .* 1 paths probed' '$d/$n.byhand' && grep -qx rc=0 '$d/$n.byhand'"
done
srun -w node1 -N1 sh -c "$H --exit-style nagios; echo rc=\$?" >"$d/nagios" 2>&1
cat "$d/nagios"
expect "node1: nagios style: VFBENCH OK, exit 0" sh -c \
	"grep -q '^VFBENCH OK - ' '$d/nagios' && grep -qx rc=0 '$d/nagios'"

# node2's path broken by a job that stays there (a drained node takes no
# new job) and puts the link back when told
srun -w node2 -N1 sh -c "rdma link delete rxe_cl && touch '$d/broken';
	while [ ! -e '$d/restore' ]; do sleep 0.5; done;
	rdma link add rxe_cl type rxe netdev cl0" >"$d/breaker.log" 2>&1 &
breaker=$!
expect "node2: rxe_cl removed" wait_for 120 test -e "$d/broken"

# Slurm runs it: the program takes no arguments, so a wrapper
cat >"$d/hc.sh" <<HC
#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
n=\$(hostname)
exec $H --drain --state-dir /run/vfbench --prom "$d/\$n.prom" >>"$d/\$n.hc.log" 2>&1
HC
chmod +x "$d/hc.sh"
srun -N 4 sh -c "printf 'HealthCheckProgram=%s\nHealthCheckInterval=5\n' '$d/hc.sh' >>/etc/slurm/slurm.conf"
scontrol reconfigure
expect "HealthCheckProgram set on every node" sh -c \
	"scontrol show config | grep -q 'HealthCheckProgram *= $d/hc.sh'"
expect "Slurm's health check drained node2" wait_for 300 drained node2
scontrol show node node2 -o | tr ' ' '\n' | grep -E '^(State|Reason)='
expect "  with the reason: vfbench: path pv: ..." sh -c \
	"scontrol show node node2 -o | grep -q 'Reason=vfbench: path pv: '"
# the others ran the same check (its log and its file) and stay undrained
for n in node0 node1 node3; do
	expect "$n: checked by Slurm, not drained" sh -c \
		"wait_for() { for i in \$(seq 600); do \"\$@\" && return 0; sleep 0.5; done; return 1; };
		wait_for grep -q '^OK: vfbench health' '$d/$n.hc.log' && ! scontrol show node $n -o | grep -q DRAIN"
	expect "  $n.prom: vfbench_health_ok 1" grep -qx 'vfbench_health_ok 1' "$d/$n.prom"
done
expect "node2.prom: vfbench_health_ok 0" grep -qx 'vfbench_health_ok 0' "$d/node2.prom"
grep -h . "$d"/node*.hc.log | sort | uniq -c

touch "$d/restore"
wait "$breaker"
rc=$?
cat "$d/breaker.log"
expect "node2: rxe_cl back (the breaking job's exit 0)" test "$rc" = 0
expect "node2 resumed by the next check (vfbench had drained it)" wait_for 300 sh -c "! scontrol show node node2 -o | grep -q DRAIN"
sinfo -N
finish
