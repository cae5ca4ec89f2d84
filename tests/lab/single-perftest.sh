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

# One client/server run of perftest's NAME; 0 when it printed its row.
lat_once() { # NAME PORT ARGS...
	local name=$1 port=$2 srv rc
	shift 2
	timeout 60 "$name" -d rxe_pv -p "$port" "$@" >"$log/$name.srv" 2>&1 &
	srv=$!
	sleep 1
	timeout 60 "$name" -d rxe_pv -p "$port" "$@" "$VFB_PV_ADDR" >"$log/$name.cli" 2>&1
	rc=$?
	wait $srv
	[ $rc = 0 ] && perftest_ok "$log/$name.cli"
}

# perftest times with the CPU's cycle counter after measuring its clock
# rate; with the other core busy that measurement can fail ("Correlation
# coefficient r^2 < 0.9") and every figure comes out inf. Run it again,
# a few times, before calling it a failure.
lat() { # NAME PORT ARGS...
	local try
	for try in 1 2 3 4 5; do
		lat_once "$@" && { grep -E '^ *2 ' "$log/$1.cli"; return 0; }
		echo "$1: no result (try $try): $(grep -Eo 'r\^2: [0-9.]+ < 0.9|inf' "$log/$1.cli" | head -1)"
		sleep 1
	done
	cat "$log/$1.cli"
	return 1
}
expect "ib_write_lat on rxe_pv" lat ib_write_lat 18515 -x 1 -s 2 -n 200
expect "ib_send_lat over rdma_cm on rxe_pv" lat ib_send_lat 18516 -R -s 2 -n 200
finish
