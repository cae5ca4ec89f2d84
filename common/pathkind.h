/* SPDX-License-Identifier: MIT */
#ifndef VFB_PATHKIND_H
#define VFB_PATHKIND_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The kinds of path vfbench compares, as one table: how a device is
 * recognised as one, the word for it (rows' path column, --paths, the
 * --peer-KIND option), its label and colour in plots, and which kind the
 * others are compared with. A new kind is one entry; nothing downstream
 * names a kind.
 */

/* What classification found out about an RDMA device's function. */
struct vfb_fn_facts {
	bool function;	  /* a PCI function stands behind it */
	bool physfn;	  /* that function has a physfn link: an SR-IOV VF */
	bool vf_identity; /* no physfn, but its PCI identity is a VF's: a VF
			   * passed through into this guest */
	bool virtio;	  /* a virtio device */
	bool pvrdma;	  /* VMware's paravirtual RDMA (driver or PCI ids) */
	bool software;	  /* a software provider (rxe, siw) over a netdev */
};

struct vfb_path_kind {
	const char *name;  /* "vf" */
	const char *label; /* "SR-IOV virtual function" */
	const char *color; /* plots: "#ff7f0e" */
	bool baseline;	   /* the kind overheads are relative to */
	bool in_auto;	   /* --paths auto takes one device of it */
	/* recognition: the first kind, in table order, that matches */
	bool (*match)(const struct vfb_fn_facts *f);
};

const struct vfb_path_kind *vfb_path_kinds(size_t *n);
/* By name; NULL when no kind has it. */
const struct vfb_path_kind *vfb_path_kind_find(const char *name);
/* The kind a device with facts F is (never NULL: "unknown" matches all). */
const struct vfb_path_kind *vfb_path_kind_of(const struct vfb_fn_facts *f);
/* The kind of a device that could not be classified. */
const struct vfb_path_kind *vfb_path_unknown(void);
/* The kind comparisons are made against (the table's baseline). */
const struct vfb_path_kind *vfb_path_baseline(void);
/* The plot colour of a path name, a kind's or grey for one not known. */
const char *vfb_path_color(const char *name);
/* The kinds a user can name (all but unknown; see the table), in plot
 * order, ", " between. */
void vfb_path_kind_names(char *buf, size_t len);
/* Where NAME goes in plots and tables: the baseline 0, the others in
 * table order, a name no kind has last. */
size_t vfb_path_rank(const char *name);

#endif
