/* SPDX-License-Identifier: MIT */
#ifndef HOST_LOCALITY_H
#define HOST_LOCALITY_H

#include <stdbool.h>

#include <hwloc.h>

/* Where the measuring thread runs and where its buffers live. */
struct host_locality {
	int cpu;	 /* OS index of the PU the thread is bound to */
	int numa;	 /* OS index of the memory node, -1: no NUMA info */
	int device_numa; /* the device's own node, -1: none reported */
	bool device_local; /* the device reports a locality narrower than the machine */
	char note[128]; /* e.g. "device reports no locality (common in VMs)" */
};

/*
 * Choose from TOPO for a device whose local CPUs are DEVSET:
 * NUMA_MODE "local" (default), "remote" (another node than the device's:
 * shows the NUMA penalty) or a node number; CPU: a PU OS index, or -1 for
 * the first PU local to the device. Pure: binds nothing. Returns 0 or
 * -EINVAL with NOTE saying why.
 */
int host_locality_choose(hwloc_topology_t topo, hwloc_const_cpuset_t devset,
			 const char *numa_mode, int cpu,
			 struct host_locality *loc);

/* Bind the calling thread to LOC->cpu and its memory to LOC->numa. */
int host_locality_apply(hwloc_topology_t topo, const struct host_locality *loc,
			char *err, size_t errlen);

#endif
