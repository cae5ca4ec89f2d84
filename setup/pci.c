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

static struct pci_dev *find_dev(struct pci_access *a, const char *bdf)
{
	struct pci_filter f;
	struct pci_dev *d;

	pci_filter_init(a, &f);
	if (pci_filter_parse_slot(&f, (char *)bdf))
		return NULL;
	for (d = a->devices; d && !pci_filter_match(&f, d); d = d->next)
		;
	return d;
}

/* ARI forwarding in the Device Control 2 register of the port above D. */
static int upstream_ari(struct pci_dev *d)
{
	struct pci_dev *up = d->parent;
	struct pci_cap *c;

	if (!up)
		return -1; /* on a root bus: no port above it */
	pci_fill_info(up, PCI_FILL_CAPS);
	c = pci_find_cap(up, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (!c)
		return -1;
	return !!(pci_read_word(up, c->addr + PCI_EXP_DEVCTL2) &
		  PCI_EXP_DEVCTL2_ARI);
}

int sup_pci_caps(const char *bdf, struct sup_pci_caps *caps)
{
	struct pci_access *a;
	struct pci_dev *d;
	struct pci_cap *c;

	if (geteuid() != 0)
		return -EACCES;
	a = pci_alloc();
	if (!a)
		return -ENOMEM;
	pci_init(a);
	pci_scan_bus(a);
	d = find_dev(a, bdf);
	if (!d) {
		pci_cleanup(a);
		return -ENODEV;
	}
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CAPS | PCI_FILL_EXT_CAPS |
				 PCI_FILL_PARENT);
	c = pci_find_cap(d, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED);
	caps->total_vfs = c ? pci_read_word(d, c->addr + PCI_IOV_TOTALVF) : -1;
	caps->ari = !!pci_find_cap(d, PCI_EXT_CAP_ID_ARI, PCI_CAP_EXTENDED);
	caps->upstream_ari = upstream_ari(d);
	pci_cleanup(a);
	return 0;
}

/* libpci reports a missing or unreadable pci.ids through these; without
 * pci_init() they are NULL. The lookup answers "not found" instead. */
static void quiet(char *msg, ...)
{
	(void)msg;
}

int sup_pci_name(unsigned int vendor, unsigned int device, char *buf,
		 size_t len)
{
	struct pci_access *a;
	char *name;
	int ret = -ENOENT;

	if (!vendor || vendor == 0xffff)
		return -ENOENT;
	a = pci_alloc();
	if (!a)
		return -ENOMEM;
	a->warning = quiet;
	a->debug = quiet;
	name = pci_lookup_name(a, buf, (int)len,
			       PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
			       vendor, device);
	if (name && name[0]) {
		if (name != buf)
			snprintf(buf, len, "%s", name);
		ret = 0;
	}
	pci_cleanup(a);
	return ret;
}
