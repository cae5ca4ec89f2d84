/* SPDX-License-Identifier: MIT */
#ifndef SUP_SRIOV_H
#define SUP_SRIOV_H

#include <stdbool.h>

#include "fsroot.h"

/* A PCI function's SR-IOV state as sysfs shows it. */
struct sup_sriov {
	long total_vfs;	   /* sriov_totalvfs */
	long num_vfs;	   /* sriov_numvfs */
	long offset;	   /* sriov_offset, -1 when not shown */
	long stride;	   /* sriov_stride, -1 when not shown */
	char vf_device[8]; /* sriov_vf_device, "" when not shown */
	bool autoprobe;	   /* sriov_drivers_autoprobe */
};

/*
 * Read the SR-IOV attributes of PCI function BDF. Returns 0, -ENODEV when
 * the function has no SR-IOV capability, or another negative errno.
 */
int sup_sriov_read(const struct vfb_fsroot *root, const char *bdf,
		   struct sup_sriov *sr);

/* VF index of VF function VF_BDF under its PF, or a negative errno. */
int sup_vf_index(const struct vfb_fsroot *root, const char *pf_bdf,
		 const char *vf_bdf);

#endif
