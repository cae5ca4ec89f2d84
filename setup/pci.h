/* SPDX-License-Identifier: MIT */
#ifndef SUP_PCI_H
#define SUP_PCI_H

#include <stddef.h>
#include <stdint.h>

/* An SR-IOV capability as libpci reads it from configuration space. */
struct sup_pci_sriov {
	char bdf[32];
	char driver[32];
	uint16_t vendor, device;
	unsigned int total_vfs, initial_vfs, num_vfs, offset, stride;
	uint16_t vf_device;
};

/*
 * Every PCI function with an SR-IOV extended capability. Reading
 * extended configuration space needs root; without it the capability is
 * invisible and the list comes back empty with -EACCES. SYSFS_BUS_PCI:
 * libpci's sysfs.path (NULL: /sys/bus/pci). Returns the count.
 */
int sup_pci_scan(const char *sysfs_bus_pci, struct sup_pci_sriov *out, int max);

#endif
