#!/usr/bin/env bash
# Lab 'pair', VM A's igb PF: vfbench setup plan/apply/verify/teardown with
# MACs and trust, idempotent re-apply, refusal of VFs in use, GUIDs that
# igb refuses (exit 3, nothing left applied), 7 VFs timed, bad input.
set -u
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d)
numvfs=/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
want=(-n 3 --mac-base 52:54:00:aa:00:00 --trust on)
code() { "$@" >"$out/log" 2>&1; echo $?; }

expect "plan changes nothing" sh -c "'${S[0]}' setup --pf $VFB_PF_BDF plan ${want[*]} >/dev/null && [ \$(cat $numvfs) = 0 ]"
t0=$(date +%s%N)
expect "apply 3 VFs with planned MACs and trust" "${S[@]}" apply "${want[@]}"
echo "apply took $((($(date +%s%N) - t0) / 1000000)) ms"
expect "  verify passes" "${S[@]}" verify "${want[@]}"
for i in 0 1 2; do
	dev=$(ls "/sys/bus/pci/devices/$VFB_PF_BDF/virtfn$i/net")
	expect "  VF $i netdev $dev carries 52:54:00:aa:00:0$i" \
		test "$(cat "/sys/class/net/$dev/address")" = "52:54:00:aa:00:0$i"
done
ip link show "$VFB_PF_NETDEV" | grep ' vf '
"${S[@]}" apply "${want[@]}" >"$out/re" 2>&1
expect "re-running apply changes nothing" grep -q 'nothing to change' "$out/re"
expect "verify finds a mismatch when asked for other MACs (exit 1)" \
	test "$(code "${S[@]}" verify -n 3 --mac-base 52:54:00:bb:00:00)" = 1
expect "  and names it" grep -q 'MISMATCH .* vf 0 mac' "$out/log"
wait_for 10 sh -c "ip -4 addr show | grep -q 198.18.3.1"
expect "teardown refuses VFs in use (exit 3)" test "$(code "${S[@]}" teardown)" = 3
expect "  saying so" grep -q 'in use; --force' "$out/log"
expect "teardown --force restores sriov_numvfs 0" \
	sh -c "'${S[0]}' setup --pf $VFB_PF_NETDEV teardown --force >/dev/null && [ \$(cat $numvfs) = 0 ]"
expect "  and forgets the recorded state" sh -c '! ls /run/vfbench/setup-* 2>/dev/null'

expect "GUIDs on igb: exit 3" \
	test "$(code "${S[@]}" apply -n 2 --guid-base 0x0002c90300001000)" = 3
expect "  'not supported by driver igb'" grep -q 'node_guid: not supported by driver igb' "$out/log"
expect "  nothing half-applied: 0 VFs, no recorded state" \
	sh -c "[ \$(cat $numvfs) = 0 ] && ! ls /run/vfbench/setup-* 2>/dev/null"

t0=$(date +%s%N)
"${S[@]}" apply -n 7 --mac-base 52:54:00:cc:00:00 >/dev/null &&
	"${S[@]}" verify -n 7 --mac-base 52:54:00:cc:00:00 >/dev/null &&
	"${S[@]}" teardown --force >/dev/null
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect "7 VFs: apply + verify + teardown in $ms ms" test $rc = 0

expect "too many VFs: exit 2" test "$(code "${S[@]}" apply -n 9)" = 2
expect "  naming the limit" grep -q 'allows 0 to 7' "$out/log"
expect "a zero GUID: exit 2" test "$(code "${S[@]}" plan -n 1 --guid-base 00:00:00:00:00:00:00:00)" = 2
expect "a malformed MAC: exit 2" test "$(code "${S[@]}" plan -n 1 --mac-base 52:54:00:zz:00:00)" = 2
expect "a multicast MAC: exit 2" test "$(code "${S[@]}" plan -n 1 --mac-base 01:00:5e:00:00:01)" = 2
expect "an unknown PF: exit 3" test "$(code "$VFBENCH" setup --pf nosuch0 plan -n 1)" = 3
expect "a function without SR-IOV (virtio): exit 3" \
	test "$(code "$VFBENCH" setup --pf "$VFB_PV_NETDEV" plan -n 1)" = 3
expect "  naming it" grep -q 'no SR-IOV capability' "$out/log"
expect "teardown with nothing recorded: exit 2" test "$(code "${S[@]}" teardown)" = 2
"$VFBENCH" setup discover >"$out/disc" 2>&1
cat "$out/disc"
expect "discover (libpci): the igb PF, capability TotalVFs 8, driver limit 7" \
	grep -Eq "^$VFB_PF_BDF +8086:10c9 +igb +8 +8 +0 +128 +2 +10ca +7\$" "$out/disc"
printf '[%s]\nnum_vfs = 2\nmac_base = 52:54:00:dd:00:00\n[%s]\nnum_vfs = 1\n' \
	"$VFB_PF_BDF" "$VFB_PV_NETDEV" >"$out/topo.ini"
expect "a topology whose second PF fails: exit 3" \
	test "$(code "$VFBENCH" setup apply --topology "$out/topo.ini")" = 3
cat "$out/log"
expect "  the first PF rolled back: 0 VFs, nothing recorded" \
	sh -c "[ \$(cat $numvfs) = 0 ] && ! ls /run/vfbench/setup-* 2>/dev/null"
head -3 "$out/topo.ini" >"$out/one.ini"
expect "a one-PF topology: apply, verify, teardown" sh -c \
	"'$VFBENCH' setup apply --topology '$out/one.ini' >/dev/null && '$VFBENCH' setup verify --topology '$out/one.ini' && '$VFBENCH' setup teardown --force --topology '$out/one.ini' >/dev/null"
expect "the PF is as found: 0 VFs" test "$(cat $numvfs)" = 0

# Rate limits (IFLA_VF_RATE): igb takes max_tx_rate, refuses min_tx_rate.
expect "apply 2 VFs capped at 50 Mb/s" "${S[@]}" apply -n 2 --max-tx-rate 50
expect "  verify reads the cap back" "${S[@]}" verify -n 2 --max-tx-rate 50
ip link show "$VFB_PF_NETDEV" | grep ' vf '
expect "  ip link shows it on both VFs" test "$(ip link show "$VFB_PF_NETDEV" | grep -c 'max_tx_rate 50Mbps')" = 2
expect "verify finds another cap a mismatch (exit 1)" test "$(code "${S[@]}" verify -n 2 --max-tx-rate 80)" = 1
expect "min_tx_rate on igb: exit 3" test "$(code "${S[@]}" apply -n 2 --max-tx-rate 50 --min-tx-rate 10)" = 3
cat "$out/log"
expect "  rolled back: the caps as they were" "${S[@]}" verify -n 2 --max-tx-rate 50
expect "teardown: 0 VFs" sh -c "'${S[0]}' setup --pf $VFB_PF_NETDEV teardown --force >/dev/null && [ \$(cat $numvfs) = 0 ]"

# Readiness on VM A: a vIOMMU (intel-iommu, iommu=pt) and the igb PF.
"${S[@]}" apply -n 2 >/dev/null
"$VFBENCH" doctor --pf "$VFB_PF_NETDEV" >"$out/doctor" 2>&1
cat "$out/doctor"
st() { doctor_status "$out/doctor" "$@"; }
vf0=$(basename "$(readlink "/sys/bus/pci/devices/$VFB_PF_BDF/virtfn0")")
expect "doctor: iommu.acpi passes (DMAR from the vIOMMU)" test "$(st iommu.acpi)" = pass
expect "  iommu.groups passes" test "$(st iommu.groups)" = pass
expect "  iommu.mode: the PF is in identity mode (iommu=pt)" test "$(st iommu.mode "$VFB_PF_BDF")" = pass
expect "  iommu.vf_group: VF $vf0 alone in its group" test "$(st iommu.vf_group "$vf0")" = pass
expect "  sriov.capability: TotalVFs 8 in configuration space (igb's driver allows 7)" sh -c "grep '^pass sriov.capability' '$out/doctor' | grep -q 'TotalVFs 8'"
expect "  sriov.totalvfs, sriov.numvfs pass" test "$(st sriov.totalvfs "$VFB_PF_BDF")$(st sriov.numvfs "$VFB_PF_BDF")" = passpass
expect "  driver.vf: igbvf" sh -c "grep '^pass driver.vf' '$out/doctor' | grep -q igbvf"
expect "  firmware.sriov skips: not Mellanox" test "$(st firmware.sriov "$VFB_PF_BDF")" = skip
expect "  virt.guest: KVM/QEMU" sh -c "grep '^pass virt.guest' '$out/doctor' | grep -q 'KVM/QEMU'"
"$VFBENCH" doctor --pf "$VFB_PF_NETDEV" --vfs 8 >"$out/doctor8" 2>&1
rc=$?
expect "doctor --vfs 8 on igb (TotalVFs 7): exit 1" test $rc = 1
expect "  sriov.totalvfs fails" grep -q '^fail sriov.totalvfs' "$out/doctor8"
"${S[@]}" teardown --force >/dev/null
# setup apply runs its checks first: a PF without its driver stops it.
echo "$VFB_PF_BDF" >/sys/bus/pci/drivers/igb/unbind
expect "setup apply on a PF with no driver: exit 3" test "$(code "$VFBENCH" setup --pf "$VFB_PF_BDF" apply -n 1)" = 3
cat "$out/log"
expect "  naming the check and its fix" grep -q 'readiness check sriov.numvfs failed.*fix: bind the PF' "$out/log"
expect "  nothing applied" test "$(cat $numvfs 2>/dev/null || echo 0)" = 0
echo "$VFB_PF_BDF" >/sys/bus/pci/drivers/igb/bind
finish
