#!/usr/bin/env bash
# Lab 'pair': a VF's VLAN (setup --vlan, IFLA_VF_VLAN) fences it on the
# wire. VM B has 198.18.5.2 on sr0.100 only (peer-vlan.sh). Control: an
# untagged VF reaches B's untagged address and not its VLAN 100 one.
# Then VF 0 in VLAN 100 and VF 1 in VLAN 200: VF 0 reaches B's VLAN 100
# address (ping and an RDMA run), B counts the frames on sr0.100 (they
# came tagged), and VF 0 no longer reaches B untagged; VF 1 reaches
# neither (no frames, no RDMA connection) until it too is put in VLAN
# 100. verify reads the VLANs back and names a wrong one; a failed apply
# puts them back as they were; teardown leaves 0 VFs.
set -u
. "$(dirname "$0")/lib.sh"
ulimit -l unlimited
out=$(mktemp -d)
pf=/sys/bus/pci/devices/$VFB_PF_BDF
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
macs=(--mac-base 52:54:00:aa:00:00)
code() { "$@" >"$out/log" 2>&1; echo $?; }
vfdev() { ls "$pf/virtfn$1/net" 2>/dev/null | head -n1; }
vf_table() { ip -d link show "$VFB_PF_NETDEV" | grep -E '^ +vf [0-9]'; }
peer_rx() { cat "$VFB_OUT/vlan100-rx" 2>/dev/null || echo 0; }
# B's counter once it stopped moving (two reads 1.5 s apart agree; B
# writes it twice a second): what came before is counted in it
peer_rx_settled() {
	local a b i
	a=$(peer_rx)
	for i in $(seq 20); do
		sleep 1.5
		b=$(peer_rx)
		[ "$a" = "$b" ] && break
		a=$b
	done
	echo "$b"
}
reaches() { ping -c 2 -W 2 -I "$1" "$2" >/dev/null 2>&1; }
# ping: a few tries, for a reply that is coming (ARP under a busy host)
reaches_soon() { wait_for 20 reaches "$@"; }

peer_said() { [ -e "$VFB_OUT/vlan-ready" ] || [ -e "$VFB_OUT/vlan-failed" ]; }
if ! wait_for 180 peer_said || [ ! -e "$VFB_OUT/vlan-ready" ]; then
	bad "the peer's sr0.100 is up: $(cat "$VFB_OUT/vlan-failed" 2>/dev/null || echo 'no word from the peer')"
	finish
	exit
fi
ok "the peer's sr0.100 (VLAN 100, 198.18.5.2) is up"
expect "apply 2 VFs with MACs, no VLAN" "${S[@]}" apply -n 2 "${macs[@]}"
both() { rxe_active rxe_vf0 && rxe_active rxe_vf1 && [ -n "$(vfdev 0)" ] && [ -n "$(vfdev 1)" ]; }
expect "  both VFs ACTIVE with rxe devices" wait_for 60 both
vf0=$(vfdev 0) vf1=$(vfdev 1)
echo "VF 0: $vf0, VF 1: $vf1"
ip addr add 198.18.5.10/24 dev "$vf0"
expect "control: VF 0 untagged reaches B's untagged 198.18.3.2" reaches_soon "$vf0" "$VFB_PEER_VF"
expect "control: VF 0 untagged does not reach B's VLAN 100 address" sh -c "! ping -c 2 -W 2 -I $vf0 198.18.5.2 >/dev/null 2>&1"

expect "apply VLAN 100 to VF 0, VLAN 200 to VF 1" "${S[@]}" apply -n 2 "${macs[@]}" --vlan 100,200
vf_table
expect "  verify reads both back" "${S[@]}" verify -n 2 "${macs[@]}" --vlan 100,200
expect "  ip link shows vf 0 vlan 100, vf 1 vlan 200" sh -c \
	"ip link show $VFB_PF_NETDEV | grep -q 'vf 0 .*vlan 100' && ip link show $VFB_PF_NETDEV | grep -q 'vf 1 .*vlan 200'"
expect "verify names a wrong VLAN (exit 1)" test "$(code "${S[@]}" verify -n 2 --vlan 100,300)" = 1
expect "  as vf 1 vlan: wanted 300, found 200" grep -q 'MISMATCH .* vf 1 vlan: wanted 300, found 200' "$out/log"

rx0=$(peer_rx_settled)
expect "VF 0 in VLAN 100 reaches B's 198.18.5.2" reaches_soon "$vf0" 198.18.5.2
expect "  B counted them on sr0.100: the wire carried them tagged 100" \
	wait_for 10 sh -c "[ \$(cat '$VFB_OUT/vlan100-rx') -gt $rx0 ]"
echo "B's sr0.100 rx_packets: $rx0 -> $(peer_rx)"
expect "  VF 0 no longer reaches B's untagged 198.18.3.2" sh -c "! ping -c 2 -W 2 -I $vf0 $VFB_PEER_VF >/dev/null 2>&1"
rc=$(code "$VFBENCH" run -d rxe_vf0 --peer 198.18.5.2 -t write_lat -s 2 -n 200 --out "$out/v100")
n=$(csv_awk "$out/v100/results.csv" '$c["status"] == "ok" { n++ } END { print n + 0 }' 2>/dev/null)
expect "  RDMA from rxe_vf0 to 198.18.5.2 over VLAN 100 (exit $rc, ${n:-0} rows ok)" \
	test "$rc" = 0 -a "${n:-0}" -ge 1
[ "$rc" = 0 ] || cat "$out/log"

ip addr del 198.18.5.10/24 dev "$vf0"
ip addr add 198.18.5.11/24 dev "$vf1"
rx0=$(peer_rx_settled)
expect "VF 1 in VLAN 200 does not reach B's VLAN 100 address" sh -c "! ping -c 3 -W 2 -I $vf1 198.18.5.2 >/dev/null 2>&1"
rc=$(code "$VFBENCH" run -d rxe_vf1 --peer 198.18.5.2 -t write_lat -s 2 -n 100 --timeout 5 --out "$out/v200")
expect "  nor over RDMA: no connection (exit $rc, 3)" test "$rc" = 3
grep -m2 -i 'error\|peer' "$out/log"
expect "  and B's sr0.100 saw none of it" test "$(peer_rx_settled)" = "$rx0"
expect "VF 1 put in VLAN 100 too" "${S[@]}" apply -n 2 "${macs[@]}" --vlan 100
expect "  now reaches B's VLAN 100 address" reaches_soon "$vf1" 198.18.5.2

vf_table >"$out/before"
VFBENCH_FAIL_AT_STEP=2 "${S[@]}" apply -n 2 "${macs[@]}" --vlan 300 >"$out/log" 2>&1
rc=$?
vf_table >"$out/after"
expect "an apply failing at its step 2 (exit $rc): VLANs as they were" \
	sh -c "[ $rc = 3 ] && grep -q 'restored as it was just before this apply' '$out/log' && diff '$out/before' '$out/after'"
cat "$out/after"
expect "teardown: 0 VFs" sh -c "'${S[0]}' setup --pf $VFB_PF_NETDEV teardown --force >/dev/null && [ \$(cat $pf/sriov_numvfs) = 0 ]"
finish
