#!/usr/bin/env bash
# Lab 'pair': `setup apply` SIGKILLed after each of its steps in turn
# (VFBENCH_KILL_AFTER_STEP): apply again converges to the planned state,
# verify passes, teardown restores the PF as it was found.
set -u
. "$(dirname "$0")/lib.sh"
numvfs=/sys/bus/pci/devices/$VFB_PF_BDF/sriov_numvfs
S=("$VFBENCH" setup --pf "$VFB_PF_NETDEV")
want=(-n 2 --mac-base 52:54:00:ab:00:00 --trust on)
steps=$("${S[@]}" plan "${want[@]}" | grep -c '^  ')
echo "apply has $steps steps"
log=$(mktemp)
for k in $(seq 1 $((steps - 1))); do
	VFBENCH_KILL_AFTER_STEP=$k "${S[@]}" apply "${want[@]}" >/dev/null 2>&1
	rc=$?
	"${S[@]}" apply "${want[@]}" >"$log.apply" 2>&1 &&
		"${S[@]}" verify "${want[@]}" >"$log.verify" 2>&1
	conv=$?
	"${S[@]}" teardown --force >"$log.teardown" 2>&1
	got="$rc/$conv/$(cat $numvfs)/$([ -e "/run/vfbench/setup-$VFB_PF_BDF.json" ] && echo state-left || echo no-state)"
	expect "killed after step $k (exit $rc): apply again converges, teardown restores 0 VFs" \
		test "$got" = "137/0/0/no-state"
	if [ "$got" != "137/0/0/no-state" ]; then
		# kill exit / apply+verify / VFs after teardown / state file
		echo "  got $got; apply, verify and teardown said:"
		tail -n 8 "$log.apply" "$log.verify" "$log.teardown" 2>/dev/null | sed 's/^/    /'
	fi
done
finish
