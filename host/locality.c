/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locality.h"

static hwloc_obj_t node_of_set(hwloc_topology_t topo, hwloc_const_cpuset_t set)
{
	hwloc_obj_t node = NULL;

	while ((node = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE,
						  node)))
		if (hwloc_bitmap_intersects(node->cpuset, set))
			return node;
	return NULL;
}

static hwloc_obj_t node_by_index(hwloc_topology_t topo, unsigned int os)
{
	hwloc_obj_t node = NULL;

	while ((node = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE,
						  node)))
		if (node->os_index == os)
			return node;
	return NULL;
}

static hwloc_obj_t pick_node(hwloc_topology_t topo, hwloc_obj_t dev_node,
			     const char *mode, struct host_locality *loc)
{
	hwloc_obj_t n = NULL;
	char *end;
	long v;

	if (!mode || !strcmp(mode, "local"))
		return dev_node;
	if (!strcmp(mode, "remote")) {
		while ((n = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE,
						       n)))
			if (n != dev_node)
				return n;
		snprintf(loc->note, sizeof(loc->note),
			 "--numa remote: this machine has one NUMA node");
		return NULL;
	}
	v = strtol(mode, &end, 10);
	if (*end || v < 0 || !(n = node_by_index(topo, (unsigned int)v)))
		snprintf(
			loc->note, sizeof(loc->note),
			"--numa %s: no such NUMA node (local, remote or a node number)",
			mode);
	return n;
}

int host_locality_choose(hwloc_topology_t topo, hwloc_const_cpuset_t devset,
			 const char *numa_mode, int cpu,
			 struct host_locality *loc)
{
	hwloc_const_cpuset_t all = hwloc_topology_get_complete_cpuset(topo);
	hwloc_obj_t dev_node, node;

	memset(loc, 0, sizeof(*loc));
	loc->device_local = !hwloc_bitmap_iszero(devset) &&
			    !hwloc_bitmap_isincluded(all, devset);
	if (!loc->device_local) {
		devset = all;
		snprintf(loc->note, sizeof(loc->note),
			 "device reports no locality (common in VMs)");
	}
	dev_node = node_of_set(topo, devset);
	loc->device_numa =
		loc->device_local && dev_node ? (int)dev_node->os_index : -1;
	node = pick_node(topo, dev_node, numa_mode, loc);
	if (!node)
		return -EINVAL;
	loc->numa = (int)node->os_index;
	if (cpu >= 0) {
		if (!hwloc_bitmap_isset(all, (unsigned int)cpu)) {
			snprintf(loc->note, sizeof(loc->note),
				 "--cpu %d: no such CPU", cpu);
			return -EINVAL;
		}
		loc->cpu = cpu;
	} else {
		/* The first CPU both local to the device and on its node. */
		hwloc_bitmap_t s = hwloc_bitmap_dup(devset);

		if (dev_node)
			hwloc_bitmap_and(s, s, dev_node->cpuset);
		loc->cpu =
			hwloc_bitmap_first(hwloc_bitmap_iszero(s) ? devset : s);
		hwloc_bitmap_free(s);
	}
	return 0;
}

int host_locality_apply(hwloc_topology_t topo, const struct host_locality *loc,
			char *err, size_t errlen)
{
	hwloc_bitmap_t cpus = hwloc_bitmap_alloc(),
		       nodes = hwloc_bitmap_alloc();
	int ret = 0;

	hwloc_bitmap_only(cpus, (unsigned int)loc->cpu);
	hwloc_bitmap_only(nodes, (unsigned int)loc->numa);
	if (hwloc_set_cpubind(topo, cpus, HWLOC_CPUBIND_THREAD)) {
		ret = -errno;
		snprintf(err, errlen, "bind to CPU %d: %s", loc->cpu,
			 strerror(errno));
	} else if (hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE) > 1 &&
		   hwloc_set_membind(topo, nodes, HWLOC_MEMBIND_BIND,
				     HWLOC_MEMBIND_THREAD |
					     HWLOC_MEMBIND_BYNODESET)) {
		ret = -errno;
		snprintf(err, errlen, "bind memory to node %d: %s", loc->numa,
			 strerror(errno));
	}
	hwloc_bitmap_free(cpus);
	hwloc_bitmap_free(nodes);
	return ret;
}
