/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "pci.h"
#include "sriov.h"
#include "vfident.h"

#define PCI_VENDOR_VMWARE "0x15ad"
#define PCI_DEVICE_PVRDMA "0x0820"

static int fail(struct host_devclass *dc, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct host_devclass *dc, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dc->error, sizeof(dc->error), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(dc->error))
		snprintf(dc->error + n, sizeof(dc->error) - n, ": %s",
			 strerror(-err));
	dc->path = vfb_path_unknown();
	return err;
}

/*
 * The netdev under the RDMA device: "parent" for rxe/siw, else the PCI
 * device's net/ directory, else the netdev of GID 0 (RoCE).
 */
static int find_netdev(const struct vfb_fsroot *root, const char *ibdev,
		       struct host_devclass *dc)
{
	char path[PATH_MAX], type[32];

	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/parent", ibdev);
	if (vfb_fs_read(root, path, dc->netdev, sizeof(dc->netdev)) > 0) {
		dc->software = true;
		snprintf(path, sizeof(path),
			 "/sys/class/infiniband/%s/node_type", ibdev);
		/* siw is an iWARP RNIC (node type 4), rxe an IB CA (1). */
		if (vfb_fs_read(root, path, type, sizeof(type)) > 0 &&
		    type[0] == '4')
			snprintf(dc->provider, sizeof(dc->provider), "siw");
		else
			snprintf(dc->provider, sizeof(dc->provider), "rxe");
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/class/infiniband/%s/device/net",
		 ibdev);
	if (!vfb_fs_first(root, path, dc->netdev, sizeof(dc->netdev)))
		return 0;
	snprintf(path, sizeof(path),
		 "/sys/class/infiniband/%s/ports/1/gid_attrs/ndevs/0", ibdev);
	vfb_fs_read(root, path, dc->netdev, sizeof(dc->netdev));
	return 0;
}

/* The device directory whose function we classify, resolved in ROOT. */
static int function_dir(const struct vfb_fsroot *root, const char *ibdev,
			struct host_devclass *dc, char *dir, size_t len)
{
	char path[PATH_MAX];
	int ret;

	if (dc->software)
		snprintf(path, sizeof(path), "/sys/class/net/%s", dc->netdev);
	else
		snprintf(path, sizeof(path), "/sys/class/infiniband/%s", ibdev);
	ret = vfb_fs_resolve(root, path, dir, len);
	if (ret)
		return fail(dc, ret, "%s: %s", ibdev, path);
	strncat(dir, "/device", len - strlen(dir) - 1);
	ret = vfb_fs_resolve(root, dir, dir, len);
	return ret == -ENOENT ? 1 : ret; /* 1: no device (virtual netdev) */
}

static void read_numa(const struct vfb_fsroot *root, const char *dir,
		      struct host_devclass *dc)
{
	char path[PATH_MAX];
	long node;

	snprintf(path, sizeof(path), "%s/numa_node", dir);
	dc->numa_node = vfb_fs_read_long(root, path, &node) ? -1 : (int)node;
}

/*
 * A VF with no physfn link (passed into a guest) is known by its PCI
 * identity: its pci.ids name, a known VF device id, or a VF-only driver.
 */
static bool vf_identity(const struct vfb_fsroot *root, const char *vendor,
			const char *device, struct host_devclass *dc)
{
	unsigned long v = strtoul(vendor, NULL, 16),
		      d = strtoul(device, NULL, 16);
	char name[128], why[160], hv[32], ev[160];

	if (sup_pci_name(v, d, name, sizeof(name)) == 0 &&
	    strstr(name, "Virtual Function"))
		snprintf(why, sizeof(why), "pci.ids: %s", name);
	else if (vfb_vf_id_known(v, d))
		snprintf(why, sizeof(why), "VF device id %04lx:%04lx", v, d);
	else if (vfb_vf_driver(dc->driver))
		snprintf(why, sizeof(why), "VF driver %s", dc->driver);
	else
		return false;
	if (vfb_hypervisor(root, hv, sizeof(hv), ev, sizeof(ev)))
		snprintf(dc->note, sizeof(dc->note),
			 "passthrough VF in a %s guest (%s)", hv, why);
	else
		snprintf(dc->note, sizeof(dc->note),
			 "VF with no PF in sight (%s)", why);
	return true;
}

static int classify_pci(const struct vfb_fsroot *root, const char *dir,
			struct host_devclass *dc)
{
	char path[PATH_MAX], vendor[16] = "", device[16] = "";
	struct sup_sriov sr;
	int ret;

	snprintf(path, sizeof(path), "%s/physfn", dir);
	if (vfb_fs_link_name(root, path, dc->pf_pci, sizeof(dc->pf_pci)) == 0) {
		dc->facts.physfn = true;
		ret = sup_vf_index(root, dc->pf_pci, dc->pci);
		dc->vf_index = ret < 0 ? -1 : ret;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/vendor", dir);
	vfb_fs_read(root, path, vendor, sizeof(vendor));
	snprintf(path, sizeof(path), "%s/device", dir);
	vfb_fs_read(root, path, device, sizeof(device));
	if (!strcmp(dc->driver, "vmw_pvrdma") ||
	    (!strcmp(vendor, PCI_VENDOR_VMWARE) &&
	     !strcmp(device, PCI_DEVICE_PVRDMA))) {
		dc->facts.pvrdma = true;
		return 0;
	}
	if (vf_identity(root, vendor, device, dc)) {
		dc->facts.vf_identity = true;
		return 0;
	}
	ret = sup_sriov_read(root, dc->pci, &sr);
	if (ret == 0) {
		dc->sriov = true;
		dc->total_vfs = sr.total_vfs;
		dc->num_vfs = sr.num_vfs;
	}
	return ret == -ENODEV || ret == 0 ? 0 : ret;
}

int host_classify(const struct vfb_fsroot *root, const char *ibdev,
		  struct host_devclass *dc)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	const char *base;
	int ret;

	memset(dc, 0, sizeof(*dc));
	dc->path = vfb_path_unknown();
	dc->vf_index = -1;
	dc->numa_node = -1;
	find_netdev(root, ibdev, dc);
	ret = function_dir(root, ibdev, dc, dir, sizeof(dir));
	if (ret < 0)
		return dc->error[0] ? ret : fail(dc, ret, "%s: device", ibdev);
	if (ret == 1 && !dc->software)
		return fail(dc, -ENODEV, "%s: no parent netdev and no device",
			    ibdev);
	dc->facts.software = dc->software;
	if (ret == 1) { /* a netdev with no device: veth, bridge, ... */
		dc->path = vfb_path_kind_of(&dc->facts);
		return 0;
	}
	dc->facts.function = true;
	snprintf(path, sizeof(path), "%s/driver", dir);
	vfb_fs_link_name(root, path, dc->driver, sizeof(dc->driver));
	base = strrchr(dir, '/') + 1;
	if (!strncmp(base, "virtio", 6)) {
		/* virtio-net: the PCI function is the virtio device's parent. */
		*strrchr(dir, '/') = '\0';
		dc->facts.virtio = true;
		dc->path = vfb_path_kind_of(&dc->facts);
		snprintf(dc->pci, sizeof(dc->pci), "%s", strrchr(dir, '/') + 1);
		read_numa(root, dir, dc);
		return 0;
	}
	snprintf(dc->pci, sizeof(dc->pci), "%s", base);
	if (!dc->software)
		snprintf(dc->provider, sizeof(dc->provider), "%s", dc->driver);
	read_numa(root, dir, dc);
	ret = classify_pci(root, dir, dc);
	if (ret)
		return fail(dc, ret, "%s: SR-IOV attributes of %s", ibdev,
			    dc->pci);
	dc->path = vfb_path_kind_of(&dc->facts);
	return 0;
}
