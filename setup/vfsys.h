/* SPDX-License-Identifier: MIT */
#ifndef SUP_VFSYS_H
#define SUP_VFSYS_H

#include <stdbool.h>
#include <stddef.h>

#include "fsroot.h"

/*
 * The sysfs side of a PF and its VFs, through the fsroot (tests point it
 * at a captured tree). Errors: a negative errno, ERR naming the device,
 * the attribute and the value.
 */
int sup_sys_write(const struct vfb_fsroot *root, const char *bdf,
		  const char *attr, const char *val, char *err, size_t errlen);
int sup_sys_numvfs(const struct vfb_fsroot *root, const char *bdf, long n,
		   char *err, size_t errlen);
/* FROM VFs to TO, through 0 as the kernel wants (nothing when equal). */
int sup_sys_recount(const struct vfb_fsroot *root, const char *bdf, long from,
		    long to, char *err, size_t errlen);
/* The netdev of function BDF into NAME (32 bytes): 0, or -ENOENT. */
int sup_sys_vf_netdev(const struct vfb_fsroot *root, const char *bdf,
		      char name[32]);
/* The driver bound to BDF ("" none) into DRV (32 bytes). */
void sup_sys_driver(const struct vfb_fsroot *root, const char *bdf,
		    char drv[32]);
/* Unbind BDF from its driver; PROBE: then let the kernel probe it again
 * (driver_override is honoured). */
int sup_sys_rebind(const struct vfb_fsroot *root, const char *bdf, bool probe,
		   char *err, size_t errlen);

#endif
