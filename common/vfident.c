/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "vfident.h"

struct vf_id {
	unsigned short vendor, device;
};

/* Device ids whose pci.ids name is "... Virtual Function" (pciutils'
 * pci.ids), for systems whose pci.ids is older than the device. */
static const struct vf_id vf_ids[] = {
	{ 0x8086, 0x10ca }, /* 82576 (igbvf) */
	{ 0x8086, 0x1520 }, /* I350 (igbvf) */
	{ 0x8086, 0x10ed }, /* 82599 (ixgbevf) */
	{ 0x8086, 0x1515 }, /* X540 (ixgbevf) */
	{ 0x8086, 0x1565 }, /* X550 (ixgbevf) */
	{ 0x8086, 0x154c }, /* 700 series (iavf) */
	{ 0x8086, 0x1889 }, /* Adaptive VF (iavf) */
	{ 0x15b3, 0x1004 }, /* ConnectX-3 (mlx4) */
	{ 0x15b3, 0x1012 }, /* Connect-IB */
	{ 0x15b3, 0x1014 }, /* ConnectX-4 */
	{ 0x15b3, 0x1016 }, /* ConnectX-4 Lx */
	{ 0x15b3, 0x1018 }, /* ConnectX-5 */
	{ 0x15b3, 0x101a }, /* ConnectX-5 Ex */
	{ 0x15b3, 0x101c }, /* ConnectX-6 */
	{ 0x15b3, 0x101e }, /* mlx5Gen (ConnectX-6 Dx and later) */
	{ 0x14e4, 0x16c1 }, /* NetXtreme-E RDMA (bnxt) */
	{ 0x14e4, 0x16cb }, /* NetXtreme-C */
	{ 0x14e4, 0x16d3 }, /* NetXtreme-E */
	{ 0x14e4, 0x16dc }, /* NetXtreme-E */
	{ 0x14e4, 0x16e5 }, /* NetXtreme-C RDMA */
	{ 0x14e4, 0x1806 }, /* BCM5750X */
	{ 0x14e4, 0x1807 }, /* BCM5750X RDMA */
	{ 0x14e4, 0x1808 }, /* BCM5750X */
	{ 0x14e4, 0x1809 }, /* BCM5750X RDMA */
};

struct vf_driver {
	const char *pf, *vf;
	bool vf_only; /* the VF driver binds VFs and nothing else */
};

static const struct vf_driver vf_drivers[] = {
	{ "igb", "igbvf", true },
	{ "ixgbe", "ixgbevf", true },
	{ "i40e", "iavf", true },
	{ "ice", "iavf", true },
	{ "mlx5_core", "mlx5_core", false },
	{ "mlx4_core", "mlx4_core", false },
	{ "bnxt_en", "bnxt_en", false },
	{ "qede", "qede", false },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

bool vfb_vf_id_known(unsigned int vendor, unsigned int device)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vf_ids); i++)
		if (vf_ids[i].vendor == vendor && vf_ids[i].device == device)
			return true;
	return false;
}

bool vfb_vf_driver(const char *driver)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vf_drivers); i++)
		if (vf_drivers[i].vf_only && !strcmp(vf_drivers[i].vf, driver))
			return true;
	return !strcmp(driver, "i40evf"); /* iavf's name before 5.2 */
}

const char *vfb_vf_driver_of(const char *pf_driver)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vf_drivers); i++)
		if (!strcmp(vf_drivers[i].pf, pf_driver))
			return vf_drivers[i].vf;
	return NULL;
}

struct hv_sign {
	const char *file;  /* under ROOT */
	const char *match; /* a substring of its content */
	const char *name;
};

/* In order: the first that matches names the hypervisor. */
static const struct hv_sign hv_signs[] = {
	{ "/sys/hypervisor/type", "xen", "Xen" },
	{ "/sys/class/dmi/id/sys_vendor", "VMware", "VMware" },
	{ "/sys/class/dmi/id/product_name", "VMware", "VMware" },
	{ "/sys/class/dmi/id/sys_vendor", "Microsoft", "Hyper-V" },
	{ "/sys/class/dmi/id/product_name", "KVM", "KVM" },
	{ "/sys/class/dmi/id/sys_vendor", "QEMU", "KVM/QEMU" },
	{ "/sys/class/dmi/id/sys_vendor", "Amazon EC2", "KVM (Nitro)" },
	{ "/sys/class/dmi/id/sys_vendor", "Google", "KVM (GCE)" },
	{ "/sys/class/dmi/id/product_name", "VirtualBox", "VirtualBox" },
};

bool vfb_hypervisor(const struct vfb_fsroot *root, char *name, size_t len,
		    char *evidence, size_t elen)
{
	char buf[128], cpuinfo[8192]; /* the first CPU's record is enough */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hv_signs); i++) {
		if (vfb_fs_read(root, hv_signs[i].file, buf, sizeof(buf)) <=
			    0 ||
		    !strstr(buf, hv_signs[i].match))
			continue;
		snprintf(name, len, "%s", hv_signs[i].name);
		snprintf(evidence, elen, "%s: %s", hv_signs[i].file, buf);
		return true;
	}
	if (vfb_fs_read(root, "/proc/cpuinfo", cpuinfo, sizeof(cpuinfo)) > 0 &&
	    strstr(cpuinfo, " hypervisor")) {
		snprintf(name, len, "an unnamed hypervisor");
		snprintf(evidence, elen, "/proc/cpuinfo: flag hypervisor");
		return true;
	}
	snprintf(name, len, "none");
	snprintf(
		evidence, elen,
		"no hypervisor flag in /proc/cpuinfo, DMI names no hypervisor");
	return false;
}
