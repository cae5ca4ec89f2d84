#!/usr/bin/env bash
# Lab 'single': rxe is up, perftest's ib_write_lat and ib_send_lat (rdma_cm)
# complete between two processes on the same device, and vfbench devices
# sees it as a paravirtual path.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
log=$(mktemp -d)

expect "rxe_pv is ACTIVE" wait_for 10 rxe_active rxe_pv
expect "vfbench devices: rxe_pv is path pv" test "$(device_path rxe_pv)" = pv

lat() { # NAME PORT ARGS...
	local name=$1 port=$2
	shift 2
	timeout 60 "$name" -d rxe_pv -p "$port" "$@" >"$log/$name.srv" 2>&1 &
	local srv=$!
	sleep 1
	timeout 60 "$name" -d rxe_pv -p "$port" "$@" "$VFB_PV_ADDR" >"$log/$name.cli" 2>&1
	local rc=$?
	wait $srv
	[ $rc = 0 ] && perftest_ok "$log/$name.cli" || { cat "$log/$name.cli"; return 1; }
	grep -E '^ *2 ' "$log/$name.cli"
}
expect "ib_write_lat on rxe_pv" lat ib_write_lat 18515 -x 1 -s 2 -n 200
expect "ib_send_lat over rdma_cm on rxe_pv" lat ib_send_lat 18516 -R -s 2 -n 200
finish
