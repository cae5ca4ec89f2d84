/* SPDX-License-Identifier: MIT */
#ifndef VFB_VFIDENT_H
#define VFB_VFIDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "fsroot.h"

/*
 * What tells a virtual function by its PCI identity alone, for a VF passed
 * into a guest (no physfn link there): known VF device ids and VF-only
 * drivers. The PCI name ("... Virtual Function") is libpci's, not here.
 */
bool vfb_vf_id_known(unsigned int vendor, unsigned int device);
bool vfb_vf_driver(const char *driver);
/* The driver a PF driver's VFs bind to ("igb" -> "igbvf"), or NULL. */
const char *vfb_vf_driver_of(const char *pf_driver);

/*
 * The hypervisor this system runs under, from what the kernel shows in
 * ROOT: /sys/hypervisor/type, DMI vendor and product, the CPU's
 * "hypervisor" flag. Writes its name ("KVM", "VMware", "Hyper-V", "Xen",
 * "QEMU") and the evidence; returns true in a guest.
 */
bool vfb_hypervisor(const struct vfb_fsroot *root, char *name, size_t len,
		    char *evidence, size_t elen);

#endif
