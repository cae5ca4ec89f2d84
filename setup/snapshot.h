/* SPDX-License-Identifier: MIT */
#ifndef SUP_SNAPSHOT_H
#define SUP_SNAPSHOT_H

#include <stddef.h>

#include "fsroot.h"
#include "plan.h"

/*
 * Everything about a PF's VFs that setup can change, read just before a
 * change: the VF count and driver autoprobe; for each VF its MAC, trust,
 * spoofchk, link state, VLAN and rate limits (rtnetlink), mlx5's sysfs GUIDs,
 * driver_override, the bound driver and the VF netdev's own MAC; and
 * whether apply's record (the state teardown restores) existed.
 * Restoring puts back exactly that, setting by setting, so a failed
 * change leaves the host as it was just before it, not as it was before
 * vfbench first touched it. (GUIDs that only netlink knows cannot be read
 * back with libnl 3.7; they are not in the snapshot.)
 */
struct sup_snap;

struct sup_snap *sup_snap_take(const struct vfb_fsroot *root,
			       const struct sup_req *req, char *err,
			       size_t errlen);
/* Put it back; keeps going past a failure, returns the first (ERR). */
int sup_snap_restore(const struct vfb_fsroot *root, const struct sup_snap *s,
		     char *err, size_t errlen);
void sup_snap_free(struct sup_snap *s);

#endif
