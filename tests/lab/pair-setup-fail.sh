#!/usr/bin/env bash
# Lab 'pair': over an already-configured igb PF (3 VFs with MACs and trust
# on), a second `setup apply` fails at each of its steps in turn
# (VFBENCH_FAIL_AT_STEP), for a change that keeps the VF count (trust
# changed, trust kept on) and for one that changes it, and once for igb's
# own refusal (node GUIDs). Every time, the PF's VF table (ip -d link
# show) and the sysfs attributes are exactly as they were just before
# that apply. Then a topology whose
# second PF fails puts the first back as it was, not as vfbench found it.
set -u
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d)
pf=/sys/bus/pci/devices/$VFB_PF_BDF
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
first=(-n 3 --mac-base 52:54:00:aa:00:00 --trust on)

# What must not change: the VF table and every attribute setup touches.
state() {
	ip -d link show "$VFB_PF_NETDEV" | grep -E '^ +vf [0-9]'
	echo "numvfs $(cat $pf/sriov_numvfs) autoprobe $(cat $pf/sriov_drivers_autoprobe)"
	for vf in "$pf"/virtfn*; do
		[ -e "$vf" ] || continue
		printf '%s override=%s driver=%s mac=%s\n' "${vf##*/}" \
			"$(cat "$vf/driver_override")" \
			"$(basename "$(readlink "$vf/driver" 2>/dev/null)")" \
			"$(cat "$vf"/net/*/address 2>/dev/null)"
	done
	ls /run/vfbench 2>/dev/null
}

expect "first apply: 3 VFs with MACs and trust" "${S[@]}" apply "${first[@]}"
wait_for 20 sh -c "[ \$(ls $pf/virtfn*/net 2>/dev/null | grep -c .) -ge 3 ]"
state >"$out/before"
cat "$out/before"

# fail_each NAME ARGS...: fail the apply of ARGS at each step in turn.
fail_each() {
	local name=$1 k steps rc
	shift
	steps=$("${S[@]}" plan "$@" | grep -c '^  ')
	for k in $(seq 1 "$steps"); do
		VFBENCH_FAIL_AT_STEP=$k "${S[@]}" apply --force "$@" >"$out/log" 2>&1
		rc=$?
		state >"$out/after"
		expect "$name, step $k of $steps fails (exit $rc): restored exactly" \
			sh -c "[ $rc = 3 ] && grep -q 'restored as it was just before this apply' '$out/log' && diff '$out/before' '$out/after'"
	done
}
fail_each "same count, other MACs, trust off" -n 3 --mac-base 52:54:00:bb:00:00 --trust off
# trust stays on: an igbvf unbound after the MAC is put back sends the PF
# the MAC it holds, which igb takes from a trusted VF
fail_each "same count, other MACs, trust kept on" -n 3 --mac-base 52:54:00:bb:00:00 --trust on
fail_each "4 VFs instead of 3" -n 4 --mac-base 52:54:00:cc:00:00 --trust off

"${S[@]}" apply --force -n 3 --mac-base 52:54:00:aa:00:00 --trust on \
	--guid-base 0x0002c90300001000 >"$out/log" 2>&1
rc=$?
state >"$out/after"
expect "node GUIDs refused by igb (exit $rc): restored exactly" \
	sh -c "[ $rc = 3 ] && grep -q 'node_guid: not supported by driver igb' '$out/log' && diff '$out/before' '$out/after'"
cat "$out/log"

printf '[%s]\nnum_vfs = 2\nmac_base = 52:54:00:dd:00:00\n[%s]\nnum_vfs = 1\n' \
	"$VFB_PF_BDF" "$VFB_PV_NETDEV" >"$out/topo.ini"
"$VFBENCH" setup apply --force --topology "$out/topo.ini" >"$out/log" 2>&1
rc=$?
state >"$out/after"
expect "a topology whose second PF fails (exit $rc): the first as it was just before" \
	sh -c "[ $rc = 3 ] && diff '$out/before' '$out/after'"
cat "$out/log"
expect "teardown still restores what vfbench found: 0 VFs" \
	sh -c "'${S[0]}' setup --pf $VFB_PF_NETDEV teardown --force >/dev/null && [ \$(cat $pf/sriov_numvfs) = 0 ] && ! ls /run/vfbench/setup-* 2>/dev/null"
finish
