#!/usr/bin/env bash
# Peer for pair-perftest.sh, in VM B: perftest servers over rdma_cm, one
# per link and bound to that link's device (a server without -d serves
# only connections that arrive on the first device it finds), restarted
# after each client and after 20 s.
ulimit -l unlimited
# A server that a crashed client left waiting would wait for ever: each
# one lives 20 s at most, then the next listens.
serve() { while :; do timeout 20 ib_write_lat -R -d "$1" -p "$2" -s 2 -n 100 >/dev/null 2>&1; sleep 0.1; done; }
serve "$VFB_SR_RDMA" 18515 &
serve "$VFB_PV_RDMA" 18516 &
# and vfbench's own, for --perftest-json beside perftest's --out_json
while :; do "$VFB_BUILD/bench/vfbench" serve -p 18600 >/dev/null 2>&1; sleep 0.5; done &
wait
