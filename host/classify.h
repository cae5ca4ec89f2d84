/* SPDX-License-Identifier: MIT */
#ifndef HOST_CLASSIFY_H
#define HOST_CLASSIFY_H

#include <stdbool.h>

#include "fsroot.h"
#include "pathkind.h"

/* The path an RDMA device offers: what the comparison is about. */
struct host_devclass {
	const struct vfb_path_kind *path; /* never NULL: "unknown" at worst */
	struct vfb_fn_facts facts;	  /* what recognised it */
	bool software;			  /* rxe or siw over a netdev */
	char provider[32]; /* "rxe", "siw", or the PCI driver (mlx5_core) */
	char netdev[32];   /* the netdev under the device, "" if none */
	char pci[32];	   /* PCI function (BDF) behind it, "" if none */
	char driver[32];   /* that function's driver (igb, igbvf, virtio_net) */
	char pf_pci[32];   /* for a VF: its PF's BDF */
	int vf_index;	   /* for a VF: index under its PF, else -1 */
	bool sriov;	   /* the function has an SR-IOV capability */
	long total_vfs, num_vfs;
	int numa_node;	 /* -1: no locality reported */
	char note[224];	 /* how it was recognised, when that is not plain
			  * ("passthrough VF in a KVM/QEMU guest: ...") */
	char error[160]; /* why the path is not known */
};

/*
 * Classify RDMA device IBDEV from the sysfs tree under ROOT. For software
 * providers the netdev's function is classified, not the RDMA device's
 * (which has none). The kind is the path-kind table's (common/pathkind).
 * Returns 0, or a negative errno with dc->error set and the unknown kind;
 * it never aborts on a malformed tree.
 */
int host_classify(const struct vfb_fsroot *root, const char *ibdev,
		  struct host_devclass *dc);

#endif
