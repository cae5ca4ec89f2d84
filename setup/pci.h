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

/* What configuration space says of one function, for readiness checks. */
struct sup_pci_caps {
	long total_vfs;	  /* the SR-IOV capability's TotalVFs, -1: none */
	int ari;	  /* an ARI extended capability: 1 or 0 */
	int upstream_ari; /* the port above forwards ARI: 1, 0, -1 unknown */
};

/*
 * Read BDF's capabilities from the live system's configuration space.
 * -EACCES unless root (extended space reads as zeros otherwise),
 * -ENODEV when libpci does not see BDF.
 */
int sup_pci_caps(const char *bdf, struct sup_pci_caps *caps);

/* The device's name in pci.ids ("82576 Virtual Function"); 0, or -ENOENT
 * when pci.ids does not know it. */
int sup_pci_name(unsigned int vendor, unsigned int device, char *buf,
		 size_t len);

#endif
