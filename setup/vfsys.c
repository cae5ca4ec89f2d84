/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "vfsys.h"

int sup_sys_write(const struct vfb_fsroot *root, const char *bdf,
		  const char *attr, const char *val, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	ret = vfb_fs_write(root, path, val);
	if (ret)
		snprintf(err, errlen, "%s: writing %s = %s: %s", bdf, attr, val,
			 strerror(-ret));
	return ret;
}

int sup_sys_numvfs(const struct vfb_fsroot *root, const char *bdf, long n,
		   char *err, size_t errlen)
{
	char val[24];

	snprintf(val, sizeof(val), "%ld", n);
	return sup_sys_write(root, bdf, "sriov_numvfs", val, err, errlen);
}

int sup_sys_recount(const struct vfb_fsroot *root, const char *bdf, long from,
		    long to, char *err, size_t errlen)
{
	int ret = 0;

	if (from == to)
		return 0;
	if (from)
		ret = sup_sys_numvfs(root, bdf, 0, err, errlen);
	if (!ret && to)
		ret = sup_sys_numvfs(root, bdf, to, err, errlen);
	return ret;
}

int sup_sys_vf_netdev(const struct vfb_fsroot *root, const char *bdf,
		      char name[32])
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", bdf);
	return vfb_fs_first(root, path, name, 32);
}

void sup_sys_driver(const struct vfb_fsroot *root, const char *bdf,
		    char drv[32])
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (vfb_fs_link_name(root, path, drv, 32))
		drv[0] = '\0';
}

int sup_sys_rebind(const struct vfb_fsroot *root, const char *bdf, bool probe,
		   char *err, size_t errlen)
{
	char path[PATH_MAX], drv[32];
	int ret;

	sup_sys_driver(root, bdf, drv);
	if (drv[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
			 drv);
		ret = vfb_fs_write(root, path, bdf);
		if (ret) {
			snprintf(err, errlen, "%s: unbind from %s: %s", bdf,
				 drv, strerror(-ret));
			return ret;
		}
	}
	/* drivers_probe honours driver_override; a refusal is no error here
	 * (verify reports a VF without its driver). */
	if (probe)
		vfb_fs_write(root, "/sys/bus/pci/drivers_probe", bdf);
	return 0;
}
