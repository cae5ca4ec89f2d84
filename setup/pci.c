/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pci.h"

#define PCI_IOV_VF_DEVICE 0x1a /* VF Device ID, in the SR-IOV capability */

static void read_cap(struct pci_dev *d, const struct pci_cap *c,
		     struct sup_pci_sriov *s)
{
	const char *drv = pci_get_string_property(d, PCI_FILL_DRIVER);

	snprintf(s->bdf, sizeof(s->bdf), "%04x:%02x:%02x.%x", d->domain, d->bus,
		 d->dev, d->func);
	snprintf(s->driver, sizeof(s->driver), "%s", drv ? drv : "");
	s->vendor = d->vendor_id;
	s->device = d->device_id;
	s->initial_vfs = pci_read_word(d, c->addr + PCI_IOV_INITIALVF);
	s->total_vfs = pci_read_word(d, c->addr + PCI_IOV_TOTALVF);
	s->num_vfs = pci_read_word(d, c->addr + PCI_IOV_NUMVF);
	s->offset = pci_read_word(d, c->addr + PCI_IOV_OFFSET);
	s->stride = pci_read_word(d, c->addr + PCI_IOV_STRIDE);
	s->vf_device = pci_read_word(d, c->addr + PCI_IOV_VF_DEVICE);
}

int sup_pci_scan(const char *sysfs_bus_pci, struct sup_pci_sriov *out, int max)
{
	struct pci_access *a = pci_alloc();
	struct pci_dev *d;
	struct pci_cap *c;
	int n = 0;

	if (!a)
		return -ENOMEM;
	if (sysfs_bus_pci)
		pci_set_param(a, "sysfs.path", (char *)sysfs_bus_pci);
	pci_init(a);
	pci_scan_bus(a);
	for (d = a->devices; d && n < max; d = d->next) {
		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_EXT_CAPS |
					 PCI_FILL_DRIVER);
		c = pci_find_cap(d, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED);
		if (c)
			read_cap(d, c, &out[n++]);
	}
	pci_cleanup(a);
	return n == 0 && geteuid() != 0 ? -EACCES : n;
}
