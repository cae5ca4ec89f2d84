#!/usr/bin/env bash
# Peer for pair-perftest.sh, in VM B: perftest servers over rdma_cm, one
# per link and bound to that link's device (a server without -d serves
# only connections that arrive on the first device it finds), restarted
# after each client.
ulimit -l unlimited
serve() { while :; do ib_write_lat -R -d "$1" -p "$2" -s 2 -n 100 >/dev/null 2>&1; sleep 0.1; done; }
serve "$VFB_SR_RDMA" 18515 &
serve "$VFB_PV_RDMA" 18516 &
wait
