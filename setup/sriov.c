/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

static int pci_attr_long(const struct vfb_fsroot *root, const char *bdf,
			 const char *attr, long *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	return vfb_fs_read_long(root, path, val);
}

int sup_sriov_read(const struct vfb_fsroot *root, const char *bdf,
		   struct sup_sriov *sr)
{
	char path[PATH_MAX];
	long autoprobe = 1;
	int ret;

	memset(sr, 0, sizeof(*sr));
	ret = pci_attr_long(root, bdf, "sriov_totalvfs", &sr->total_vfs);
	if (ret == -ENOENT) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
		return vfb_fs_exists(root, path) ? -ENODEV : -ENOENT;
	}
	if (ret)
		return ret;
	ret = pci_attr_long(root, bdf, "sriov_numvfs", &sr->num_vfs);
	if (ret)
		return ret;
	if (pci_attr_long(root, bdf, "sriov_offset", &sr->offset))
		sr->offset = -1;
	if (pci_attr_long(root, bdf, "sriov_stride", &sr->stride))
		sr->stride = -1;
	pci_attr_long(root, bdf, "sriov_drivers_autoprobe", &autoprobe);
	sr->autoprobe = autoprobe != 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov_vf_device",
		 bdf);
	if (vfb_fs_read(root, path, sr->vf_device, sizeof(sr->vf_device)) < 0)
		sr->vf_device[0] = '\0';
	return 0;
}

struct vf_match {
	const struct vfb_fsroot *root;
	const char *pf_bdf;
	const char *vf_bdf;
	int index;
};

static int match_virtfn(const char *name, void *arg)
{
	struct vf_match *m = arg;
	char path[PATH_MAX], bdf[32];

	if (strncmp(name, "virtfn", 6))
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", m->pf_bdf,
		 name);
	if (vfb_fs_link_name(m->root, path, bdf, sizeof(bdf)))
		return 0;
	if (strcmp(bdf, m->vf_bdf))
		return 0;
	m->index = atoi(name + 6);
	return 1;
}

int sup_vf_index(const struct vfb_fsroot *root, const char *pf_bdf,
		 const char *vf_bdf)
{
	struct vf_match m = { root, pf_bdf, vf_bdf, -1 };
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", pf_bdf);
	ret = vfb_fs_list(root, path, match_virtfn, &m);
	if (ret < 0)
		return ret;
	return m.index >= 0 ? m.index : -ENOENT;
}
