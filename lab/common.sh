# Shared by lab/prepare and lab/lab. Sourced, not run.
# shellcheck shell=bash

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$LAB_DIR/.." && pwd)
LAB_CACHE=${VFB_LAB_CACHE:-$SRC_DIR/build/lab}

# Modules the initramfs loads, in dependency order, to reach 9p and overlay.
LAB_INITRD_MODULES="virtio_pci 9pnet_virtio 9p overlay"

lab_die() {
	local rc=$1
	shift
	echo "lab: $*" >&2
	exit "$rc"
}

lab_log() {
	echo "lab: $*" >&2
}

# Version of the Debian 6.1 kernel that linux-image-amd64 from bookworm
# (not backports: rxe is 3-10x slower under TCG in 6.12) depends on.
lab_kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n1
}

lab_kernel_release() {
	local d
	for d in "$LAB_CACHE"/kernel/lib/modules/*; do
		[ -d "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}
