#!/usr/bin/env bash
# Peer for the VLAN fence, in VM B: an 802.1Q interface sr0.100 on the
# igb wire, 198.18.5.2/24, whose receive counter (frames the wire carried
# tagged 100, and only those) is published in $VFB_OUT twice a second;
# then vfbench serve, restarted when it exits.
bin=$VFB_BUILD/bench/vfbench
ulimit -l unlimited
ip link add link sr0 name sr0.100 type vlan id 100 &&
	ip addr add 198.18.5.2/24 dev sr0.100 &&
	ip link set sr0.100 up || { echo "peer-vlan: no sr0.100" >"$VFB_OUT/vlan-failed"; exit 1; }
touch "$VFB_OUT/vlan-ready"
(
	while :; do
		cat /sys/class/net/sr0.100/statistics/rx_packets >"$VFB_OUT/.vlan100-rx" &&
			mv "$VFB_OUT/.vlan100-rx" "$VFB_OUT/vlan100-rx"
		sleep 0.5
	done
) &
while :; do
	"$bin" serve >>"$VFB_OUT/peer.log" 2>&1
	sleep 0.5
done
