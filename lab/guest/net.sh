# Lab guest networking. Sourced by lab/guest/init. Addresses come from
# 198.18.0.0/15 (RFC 2544 benchmark range); MACs are fixed by lab/lab.
# shellcheck shell=bash

LAB_SR_SUBNET=198.18.1   # PF <-> peer, over the emulated igb's wire
LAB_PV_SUBNET=198.18.2   # virtio-net <-> peer
LAB_VF_SUBNET=198.18.3   # VFs <-> peer (same wire as the PF)

lab_netdev_by_mac() {
	local n
	for n in /sys/class/net/*; do
		[ "$(cat "$n/address" 2>/dev/null)" = "$1" ] && { basename "$n"; return 0; }
	done
	return 1
}

# lab_nic MAC NAME ADDR/LEN...: rename, address, up, wait for carrier.
lab_nic() {
	local mac=$1 name=$2 cur a
	shift 2
	cur=$(lab_netdev_by_mac "$mac") || { echo "no netdev with MAC $mac"; return 1; }
	[ "$cur" = "$name" ] || ip link set "$cur" name "$name" || return 1
	for a in "$@"; do
		ip addr add "$a" dev "$name" || return 1
	done
	ip link set "$name" up || return 1
	for _ in $(seq 100); do
		[ "$(cat "/sys/class/net/$name/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	echo "$name: no carrier"
	return 1
}

lab_rxe() {
	rdma link add "$1" type rxe netdev "$2"
}

lab_net_setup() {
	ip link set lo up
	# Several interfaces share the igb wire: answer ARP only for our own
	# address and source it from the right interface.
	sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	case "$VFB_LAB_TOPOLOGY/$VFB_LAB_ROLE" in
	single/a)
		lab_nic 52:54:00:18:02:01 pv0 "$LAB_PV_SUBNET.1/24" &&
			lab_rxe rxe_pv pv0
		;;
	pair/a)
		modprobe -a igb igbvf || return 1
		lab_nic 52:54:00:18:01:01 pf0 "$LAB_SR_SUBNET.1/24" &&
			lab_nic 52:54:00:18:02:01 pv0 "$LAB_PV_SUBNET.1/24" &&
			lab_rxe rxe_pf pf0 && lab_rxe rxe_pv pv0
		;;
	pair/b)
		lab_nic 52:54:00:18:01:02 sr0 "$LAB_SR_SUBNET.2/24" "$LAB_VF_SUBNET.2/24" &&
			lab_nic 52:54:00:18:02:02 pv0 "$LAB_PV_SUBNET.2/24" &&
			lab_rxe rxe_sr sr0 && lab_rxe rxe_pv pv0
		;;
	cluster/*)
		lab_nic "52:54:00:18:04:$(printf %02x "$VFB_LAB_NODE")" cl0 \
			"198.18.4.$((VFB_LAB_NODE + 1))/24" && lab_rxe rxe_cl cl0
		;;
	*) echo "unknown topology/role $VFB_LAB_TOPOLOGY/$VFB_LAB_ROLE"; return 1 ;;
	esac
}

lab_wait_ping() {
	for _ in $(seq 30); do
		ping -c1 -W1 "$1" >/dev/null 2>&1 && return 0
	done
	return 1
}

# The VF index of a VF netdev: which virtfnN of its PF points at it.
# A VF netdev can vanish while this runs (setup rebinds each VF): then
# both links resolve to nothing, and an unmatched glob must not read as
# a match (it gave the index '*', and the watcher died on $((10 + *))).
lab_vf_index() {
	local dev l
	dev=$(readlink -e "/sys/class/net/$1/device") || return 1
	for l in "/sys/class/net/$1/device/physfn/"virtfn*; do
		[ -e "$l" ] || continue
		[ "$(readlink -e "$l")" = "$dev" ] || continue
		[[ ${l##*virtfn} =~ ^[0-9]+$ ]] || continue
		echo "${l##*virtfn}"
		return 0
	done
	return 1
}

# The MAC the PF's VF table holds for VF IDX of PF netdev PFDEV.
lab_vf_admin_mac() {
	ip link show "$1" | awk -v i="$2" '$1 == "vf" && $2 == i { print $4 }'
}

# Whenever a VF netdev appears, give it an address and an rxe device, so
# that a VF of the emulated igb behaves like a VF of an RDMA NIC. igbvf
# gets no carrier until the PF gives the VF a MAC and the VF driver is
# rebound, so a VF without one gets a lab MAC first (its netdev then
# reappears and is attached on the next pass).
lab_vf_attach() {
	local name=$1 idx pfdev bdf mac
	idx=$(lab_vf_index "$name") || return 1
	# Attached already (an rxe stays on a netdev that is renamed or that
	# a pass saw twice): done, and its link state is not ours to touch.
	# Retrying gave "rdma_rxe: already configured" forever and set the
	# link up each time, under a drill that had just set it down.
	rdma link show 2>/dev/null | grep -Eq " netdev $name( |\$)" && return 0
	pfdev=$(ls "/sys/class/net/$name/device/physfn/net" 2>/dev/null | head -n1)
	mac=$(lab_vf_admin_mac "$pfdev" "$idx")
	# While `vfbench setup` manages this PF it assigns the MACs itself.
	if [ "$mac" = 00:00:00:00:00:00 ] && ls /run/vfbench/setup-*.json >/dev/null 2>&1; then
		return 1
	fi
	if [ -n "$pfdev" ] && [ "$mac" = 00:00:00:00:00:00 ]; then
		bdf=$(basename "$(readlink -f "/sys/class/net/$name/device")")
		ip link set "$pfdev" vf "$idx" mac "$(printf '52:54:00:18:03:%02x' "$idx")" &&
			echo "$bdf" >/sys/bus/pci/drivers/igbvf/unbind &&
			echo "$bdf" >/sys/bus/pci/drivers/igbvf/bind
		return 1
	fi
	ip addr add "$LAB_VF_SUBNET.$((10 + idx))/24" dev "$name" 2>/dev/null
	ip link set "$name" up
	rdma link add "rxe_vf$idx" type rxe netdev "$name" &&
		echo "lab: VF $idx: $name $LAB_VF_SUBNET.$((10 + idx)) rxe_vf$idx"
}

lab_vf_watcher() {
	local n name ifx had tick seen=/run/lab-vf
	mkdir -p $seen
	# Builtins only in the loop (read, not cat; a read with a timeout on
	# a FIFO nobody writes, not sleep): four passes a second would
	# otherwise exec from the 9p-shared /usr, and a failing exec (seen:
	# "/usr/bin/sleep: Input/output error" on a busy host) made it spin.
	mkfifo "$seen/.tick" && exec {tick}<>"$seen/.tick" || return 1
	while :; do
		for n in /sys/class/net/*; do
			[ -e "$n/device/physfn" ] || continue
			name=${n##*/}
			read -r ifx <"$n/ifindex" 2>/dev/null || continue
			had=""
			[ -e "$seen/$name" ] && read -r had <"$seen/$name"
			[ "$had" = "$ifx" ] && continue
			# a subshell: nothing one VF does ends the watcher
			(lab_vf_attach "$name") && echo "$ifx" >"$seen/$name"
		done
		for n in "$seen"/*; do
			[ -e "$n" ] || continue
			[ -e "/sys/class/net/${n##*/}" ] || rm -f "$n"
		done
		read -r -t 0.25 -u "$tick" _
	done
}
