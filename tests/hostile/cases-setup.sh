# setup --topology INI files, GUID allocation, and the captured sysfs
# trees that setup plan and doctor read under --fsroot (sourced by
# make-corpus). Plans only: nothing here writes to a device.
# shellcheck shell=bash

tree=$sys/mlx5-pf-vfs # PF 0000:03:00.0, 2 of 8 VFs
sec='[0000:03:00.0]'
topo() { # NAME WANT MUST MUSTNOT: setup plan on $C/topo over the mlx5 tree
	add "$1" "$2" "$3" "$4" - @B@ setup plan --topology "$C/topo" --fsroot "$tree"
}

dir topo-seed; printf '%s\nnum_vfs = 2\n' "$sec" >"$C/topo"
topo topo-seed 0 "2 wanted" -
for k in empty blank comments dir fifo link-fifo devzero missing nul nul-key crlf bom \
	invalid-utf8 control no-newline; do
	dir "topo-$k"
	f=$C/topo
	case $k in
	empty) : >"$f" ;;
	blank) printf '\n \n\t\n' >"$f" ;;
	comments) printf '# only\n' >"$f" ;;
	dir) mkdir "$f" ;;
	fifo) mkfifo "$f" ;;
	link-fifo) mkfifo "$C/fifo"; ln -s fifo "$f" ;;
	devzero) ln -s /dev/zero "$f" ;;
	missing) ;;
	nul) printf '%s\nnum_vfs = 2\0\nnum_vfs = 5\n' "$sec" >"$f" ;;
	nul-key) printf '%s\nnum_\0vfs = 2\n' "$sec" >"$f" ;;
	crlf) printf '%s\r\nnum_vfs = 2\r\n' "$sec" >"$f" ;;
	bom) printf '\xef\xbb\xbf%s\nnum_vfs = 2\n' "$sec" >"$f" ;;
	invalid-utf8) printf '[0000:03:00.0\xff]\nnum_vfs = 2\n' >"$f" ;;
	control) printf '%s\nnum_vfs = 2\ndriver = \x1b[31m\n' "$sec" >"$f" ;;
	no-newline) printf '%s\nnum_vfs = 2' "$sec" >"$f" ;;
	esac
	case $k in
	crlf | no-newline) topo "topo-$k" 0 "2 wanted" - ;;
	nul) topo "topo-$k" "0|2" - - ;;
	bom) topo "topo-$k" "0|2" - "5 wanted" ;;
	invalid-utf8) topo "topo-$k" "2|3" - - ;; # a PF of that name: none
	*) topo "topo-$k" 2 "topo|driver" - ;;
	esac
done
# lines of any length: a comment's tail is never applied, line numbers
# stay right, long values are refused whole (never cut into others)
for len in 509 510 511 512 4096 1048576; do
	dir "topo-comment-$len"
	printf '%s\nnum_vfs = 2\n#%s num_vfs = 5\n' "$sec" "$(rep "$len" x)" >"$C/topo"
	topo "topo-comment-$len" 0 "2 wanted" "5 wanted"
	dir "topo-lineno-$len"
	printf '%s\n#%s\nnum_vfs = 2\nfrob = 1\n' "$sec" "$(rep "$len" x)" >"$C/topo"
	topo "topo-lineno-$len" 2 "topo:4:|line 4" -
done
for len in 254 255 256 1000 100000; do
	dir "topo-value-$len"
	printf '%s\nnum_vfs = 2\ndriver = %s\n' "$sec" "$(rep "$len" d)" >"$C/topo"
	topo "topo-value-$len" "0|2" - -
	dir "topo-guids-$len"
	g=0x0002c90300001000
	printf '%s\nnum_vfs = 2\nguids = 0x0002c90300002000,%s%s\n' "$sec" "$(rep "$len" ' ')" "$g" >"$C/topo"
	topo "topo-guids-$len" "0|2" - "node_guid 00:02:c9:03:00:00:10:0[^0]"
done
for v in -1 257 99999999999999999999 nan 2x '' 0x2; do
	tag=$(printf '%s' "${v:-empty}" | tr -c 'a-zA-Z0-9-' '_')
	dir "topo-numvfs-$tag"; printf '%s\nnum_vfs = %s\n' "$sec" "$v" >"$C/topo"
	case $v in
	0x2) topo "topo-numvfs-$tag" "0|2" - - ;; # integers take 0x hex
	*) topo "topo-numvfs-$tag" 2 "num_vfs" - ;;
	esac
done
for n in 16 17 100; do
	dir "topo-sections-$n"
	for ((i = 0; i < n; i++)); do printf '[0000:%02x:00.0]\nnum_vfs = 1\n' "$i"; done >"$C/topo"
	if [ "$n" -gt 16 ]; then topo "topo-sections-$n" 2 "16|sections|PF" "expected \[PF\]"
	else topo "topo-sections-$n" "2|3" - -; fi
done
dir topo-section-long; printf '[%s]\nnum_vfs = 1\n' "$(rep 5000 p)" >"$C/topo"
topo topo-section-long "2|3" - -
dir topo-section-empty; printf '[]\nnum_vfs = 1\n' >"$C/topo"
topo topo-section-empty "2|3" - -
dir topo-section-dup; printf '%s\nnum_vfs = 1\n%s\nnum_vfs = 3\n' "$sec" "$sec" >"$C/topo"
topo topo-section-dup "0|2" - -
dir topo-key-before-section; printf 'num_vfs = 1\n%s\n' "$sec" >"$C/topo"
topo topo-key-before-section 2 "topo:1:|line 1" -
dir topo-pf-traversal; printf '[../../../outside]\nnum_vfs = 1\n' >"$C/topo"
topo topo-pf-traversal "2|3" - -

# GUIDs the README says are refused, before planning
g() { add "$1" 2 "GUID|guid" "RTM_SETLINK" - @B@ setup plan --pf 0000:03:00.0 --fsroot "$tree" "${@:2}"; }
g guid-all-ones -n 3 --guid-base 0xfffffffffffffffa
g guid-wraps -n 3 --guid-base 0xfffffffffffffffd
g guid-port-is-next-node -n 2 --guids 0x0002c90300001000,0x0002c90300001001
g guid-duplicate -n 2 --guids 0x0002c90300001000,0x0002c90300001000
g guid-zero-in-list -n 2 --guids 0x0002c90300001000,0
g guid-list-short -n 3 --guids 0x0002c90300001000,0x0002c90300002000
dir topo-guid-all-ones
printf '%s\nnum_vfs = 3\nguid_base = 0xfffffffffffffffa\n' "$sec" >"$C/topo"
topo topo-guid-all-ones 2 "GUID|guid" "RTM_SETLINK"
dir topo-guid-overlap
printf '%s\nnum_vfs = 2\nguids = 0x0002c90300001000,0x0002c90300001001\n' "$sec" >"$C/topo"
topo topo-guid-overlap 2 "GUID|guid" "RTM_SETLINK"

# sysfs trees: a FIFO, a directory, a link or garbage where an attribute is
plan_doc() { # NAME: setup plan and doctor --json on the tree in $C
	add "$1" "0|2|3" - - ML @B@ setup plan --pf 0000:03:00.0 -n 2 --fsroot "$C"
	add "$1.doctor" "0|1|2|3" - - ML @B@ doctor --json --fsroot "$C"
	case $1 in *-fifo | *-link-fifo | sys-seed)
		add "$1.doctor-pf" "0|1|2|3" - - ML @B@ doctor --pf 0000:03:00.0 --vfs 2 --fsroot "$C" ;;
	esac
}
sdir sys-seed; plan_doc sys-seed
for a in sriov_totalvfs sriov_numvfs vendor device numa_node sriov_offset sriov_stride \
	infiniband/mlx5_0/node_guid sriov/0/node net/eth0/ifindex; do
	kinds="fifo link-fifo dir empty huge garbage"
	[ "$a" = sriov_totalvfs ] && kinds+=" nul devzero"
	for k in $kinds; do
		tag=${a//\//-}
		sdir "sys-$tag-$k"
		f=$PF/$a
		rm -rf "$f"
		case $k in
		fifo) mkfifo "$f" ;;
		link-fifo) mkfifo "$C/fifo"; ln -s "$(realpath --relative-to="$(dirname "$f")" "$C/fifo")" "$f" ;;
		dir) mkdir "$f" ;;
		empty) : >"$f" ;;
		nul) printf '8\0\n' >"$f" ;;
		huge) rep 1048576 9 >"$f" ;;
		garbage) printf '\xff\x1b[2J-99999999999999999999\n' >"$f" ;;
		devzero) ln -s /dev/zero "$f" ;;
		esac
		plan_doc "sys-$tag-$k"
	done
done
sdir sys-virtfn-loop; rm "$PF/virtfn0"; ln -s virtfn0 "$PF/virtfn0"
plan_doc sys-virtfn-loop
sdir sys-physfn-escape; vf=$C/sys/devices/pci0000:00/0000:00:02.0/0000:03:00.2
rm "$vf/physfn"; ln -s / "$vf/physfn"
plan_doc sys-physfn-escape
sdir sys-driver-escape; rm "$PF/driver"; ln -s ../../../../../../../../../../../../etc "$PF/driver"
plan_doc sys-driver-escape
sdir sys-devices-fifo; rm -rf "$C/sys/bus/pci/devices"; mkfifo "$C/sys/bus/pci/devices"
plan_doc sys-devices-fifo
for a in proc/cmdline proc/meminfo proc/cpuinfo dev/kmsg; do
	for k in fifo link-fifo dir; do
		tag=${a//\//-}
		sdir "proc-$tag-$k" igb-iommu-off
		f=$C/$a
		rm -rf "$f"
		case $k in
		fifo) mkfifo "$f" ;;
		link-fifo) mkfifo "$C/fifo"; ln -s ../fifo "$f" ;;
		dir) mkdir "$f" ;;
		esac
		add "proc-$tag-$k" "0|1|2|3" - - ML @B@ doctor --json --fsroot "$C"
	done
done
