#!/usr/bin/env bash
# lab/lab itself, from the host: exit codes (SCRIPT's, 124 when stopped
# at the idle limit or the cap, 125 when the lab cannot come up, 2 on bad
# usage), the idle limit following progress, the documented environment,
# and nothing left behind.
#   tests/lab/harness.sh SRC_DIR
set -u
src=${1:?usage: harness.sh SRC_DIR}
lab=$src/lab/lab
cache=${VFB_LAB_CACHE:-$src/build/lab}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # DESCRIPTION WANT GOT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok: $1"; else
		fail=$((fail + 1)); echo "FAIL: $1: got '$3', want '$2'"; fi
}

# one boot for what any SCRIPT sees: its exit code, its environment, its
# stderr on stderr, and progress lines ('\033[K') only where they reach a
# terminal (its stderr is none when lab/lab's is none)
"$lab" run -- bash -c 'echo "env:$VFB_LAB_TOPOLOGY:$VFB_PV_NETDEV:$VFB_PV_RDMA:$VFB_SRC"
	[ -t 2 ] && echo stderr-tty || echo stderr-not-tty
	echo to-stderr >&2; exit 7' >"$tmp/out" 2>"$tmp/err"
check "SCRIPT's exit code comes back" 7 $?
check "SCRIPT sees the environment" "env:single:pv0:rxe_pv:$src" "$(grep '^env:' "$tmp/out")"
check "SCRIPT's stderr reaches stderr" 1 "$(grep -c to-stderr "$tmp/err")"
check "  and not stdout" 0 "$(grep -c to-stderr "$tmp/out")"
check "SCRIPT's stderr is no terminal when lab/lab's is none" stderr-not-tty "$(grep '^stderr-' "$tmp/out")"
"$lab" run --timeout 25 -- sleep 600 >/dev/null 2>&1
check "a SCRIPT past the --timeout cap gives 124" 124 $?
# the idle limit follows progress, not the clock
"$lab" run --idle 20 -- bash -c 'for i in $(seq 12); do echo "$i"; sleep 4; done; exit 5' >/dev/null 2>&1
check "a SCRIPT that keeps printing outlives --idle" 5 $?
out=$("$lab" run --idle 20 -- bash -c 'trap "echo stopped: \$(cat \$VFB_STOP_REASON_FILE); exit 9" TERM; sleep 600 & wait' 2>/dev/null)
check "a silent SCRIPT past --idle gives 124" 124 $?
check "it is stopped by SIGTERM, with the reason" "stopped: lab: no progress for 20s (--idle)" "$out"
VFB_LAB_ACCEL=nosuch "$lab" run -- true >/dev/null 2>&1
check "a lab that cannot boot gives 125" 125 $?
# QEMU aborting while the guests boot (an emulator bug, not SCRIPT's): the
# lab boots again, three boots at most, and says so
shim=$(mktemp -d)
real=$(command -v qemu-system-x86_64)
cat >"$shim/qemu-system-x86_64" <<EOS
#!/bin/sh
case " \$* " in *" -name vfb-a "*)
	if [ ! -e "$shim/aborted" ] || [ -e "$shim/always" ]; then
		: >"$shim/aborted"
		echo "qemu-system-x86_64: system/physmem.c:2678: iotlb_to_section: Assertion \\\`section_index < d->map.sections_nb' failed." >&2
		kill -ABRT \$\$
	fi ;;
esac
exec "$real" "\$@"
EOS
chmod +x "$shim/qemu-system-x86_64"
out=$(PATH=$shim:$PATH "$lab" run -- bash -c 'exit 6' 2>&1)
check "QEMU aborting at boot: the lab boots again and SCRIPT's code comes back" 6 $?
check "  and says so" 1 "$(grep -c 'QEMU aborted before the guests were up.*booting again (2 of 3)' <<<"$out")"
: >"$shim/always"
out=$(PATH=$shim:$PATH "$lab" run -- true 2>&1)
check "QEMU aborting at every boot gives 125" 125 $?
check "  after three boots" 3 "$(grep -c 'booting single' <<<"$out")"
rm -rf "$shim"
"$lab" run --topology triple -- true >/dev/null 2>&1
check "an unknown topology is bad usage" 2 $?
# this lab's QEMUs only (their kernel is under $cache): another checkout's
# lab may be running beside this one (six were counted once)
check "no QEMU left running" 0 "$(pgrep -c -f "qemu-system-x86_64 -name vfb-.* $cache/")"
check "no run directory left behind" 0 "$(find "$cache/runs" -mindepth 1 -maxdepth 1 | wc -l)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
