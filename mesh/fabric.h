/* SPDX-License-Identifier: MIT */
#ifndef MSH_FABRIC_H
#define MSH_FABRIC_H

#include <stddef.h>
#include <stdint.h>

/* A fabric as Slurm's topology.conf describes it (topology/tree):
 *
 *   SwitchName=leaf1 Nodes=node[01-32]
 *   SwitchName=spine Switches=leaf[1-4]
 *
 * one switch a line, its hosts (Nodes=) or the switches below it
 * (Switches=) as Slurm hostlists (prefix[1-4,07-09]suffix, comma
 * separated); LinkSpeed= is read and ignored, '#' starts a comment. A
 * switch with hosts is a leaf: the detector judges its hosts within it
 * and across it (its uplink). */
#define MSH_FABRIC_NAME 64

struct msh_fabric_node {
	char name[MSH_FABRIC_NAME];
	uint32_t sw;
	uint32_t line; /* where the file lists it */
};

struct msh_fabric {
	size_t nswitches;
	char (*sw)[MSH_FABRIC_NAME];
	size_t nnodes;
	struct msh_fabric_node *node; /* sorted by name */
};

/* TEXT into F: 0, or -EINVAL with "line N: ..." in ERR, -ENOMEM. */
int msh_fabric_parse(struct msh_fabric *f, const char *text, char *err,
		     size_t len);
/* HOST's leaf switch (its index in F->sw), matched as written or by its
 * short name (up to the first '.'); UINT32_MAX when F does not list it. */
uint32_t msh_fabric_leaf(const struct msh_fabric *f, const char *host);
void msh_fabric_free(struct msh_fabric *f);

/* Expands HOSTLIST, calling FN for each name: 0, -EINVAL (ERR says why)
 * or FN's error. At most MSH_FABRIC_MAX_NAMES names. */
#define MSH_FABRIC_MAX_NAMES 1000000
int msh_hostlist_each(const char *hostlist, int (*fn)(void *, const char *),
		      void *ctx, char *err, size_t len);

#endif
