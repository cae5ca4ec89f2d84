#!/usr/bin/env bash
# Peer for the fault drills, in VM B: vfbench serve, restarted when it
# exits; whenever VM A creates $VFB_OUT/kill-serve, serve is SIGKILLed in
# the middle of whatever it does (the file is removed, the log says when).
bin=$VFB_BUILD/bench/vfbench
ulimit -l unlimited
log=$VFB_OUT/peer.log
while :; do
	"$bin" serve --timeout 5 >>"$log" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ -e "$VFB_OUT/kill-serve" ]; then
			kill -9 $pid
			rm -f "$VFB_OUT/kill-serve"
			echo "peer: serve killed at $(date +%s.%N)" >>"$log"
		fi
		sleep 0.1
	done
	wait $pid
done
