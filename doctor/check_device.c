/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"

#define VENDOR_MELLANOX 0x15b3

static int pci_caps(const struct dr_ctx *c, const char *bdf,
		    struct dr_pci_caps *caps)
{
	return c->ops.pci_caps(c->cfg->ops_arg, bdf, caps);
}

static void run_sriov_cap(const struct dr_ctx *c, const char *bdf,
			  struct dr_result *r)
{
	struct dr_pci_caps caps;
	int ret = pci_caps(c, bdf, &caps);

	if (ret)
		dr_set(r, DR_SKIP, "",
		       "%s: configuration space not read (%s): libpci reads "
		       "it live, as root",
		       bdf, strerror(-ret));
	else if (caps.total_vfs < 0)
		dr_set(r, DR_FAIL,
		       "no SR-IOV capability: enable SR-IOV in the BIOS and "
		       "in the NIC firmware",
		       "%s: configuration space has no SR-IOV capability", bdf);
	else
		dr_set(r, DR_PASS, "", "%s: SR-IOV capability, TotalVFs %ld",
		       bdf, caps.total_vfs);
}

static const struct dr_check dr_check_sriov_cap = {
	.id = "sriov.capability",
	.help = "the SR-IOV capability and TotalVFs in configuration space (libpci, root)",
	.scope = DR_PF,
	.run = run_sriov_cap,
};

static void run_totalvfs(const struct dr_ctx *c, const char *bdf,
			 struct dr_result *r)
{
	long total;
	char fix[160];

	if (dr_pci_long(c, bdf, "sriov_totalvfs", &total)) {
		dr_set(r, DR_FAIL, "the PF driver does not do SR-IOV",
		       "%s/sriov_totalvfs unreadable", bdf);
		return;
	}
	snprintf(fix, sizeof(fix),
		 "SR-IOV is off in the NIC firmware: mstconfig -d %s set "
		 "SRIOV_EN=1 NUM_OF_VFS=%ld (Mellanox), then reboot",
		 bdf, c->cfg->want_vfs > 0 ? c->cfg->want_vfs : 8);
	if (total <= 0)
		dr_set(r, DR_FAIL, fix, "%s/sriov_totalvfs: %ld", bdf, total);
	else if (c->cfg->want_vfs > total)
		dr_set(r, DR_FAIL, fix,
		       "%s/sriov_totalvfs: %ld, fewer than the %ld wanted", bdf,
		       total, c->cfg->want_vfs);
	else
		dr_set(r, DR_PASS, "", "%s/sriov_totalvfs: %ld", bdf, total);
}

static const struct dr_check dr_check_totalvfs = {
	.id = "sriov.totalvfs",
	.help = "the driver's sriov_totalvfs, against --vfs",
	.scope = DR_PF,
	.concerns = DR_FOR_SETUP,
	.run = run_totalvfs,
};

static void run_numvfs(const struct dr_ctx *c, const char *bdf,
		       struct dr_result *r)
{
	char path[PATH_MAX], drv[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (vfb_fs_link_name(c->root, path, drv, sizeof(drv))) {
		dr_set(r, DR_FAIL,
		       "bind the PF to its driver (modprobe it): the driver "
		       "creates the VFs",
		       "%s has no driver: sriov_numvfs cannot be written", bdf);
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov_numvfs",
		 bdf);
	fd = vfb_fs_open(c->root, path, O_WRONLY); /* opened, never written */
	if (fd < 0) {
		dr_set(r, DR_FAIL,
		       fd == -EACCES ? "run as root: sriov_numvfs is root's" :
				       "the PF driver does not create VFs",
		       "%s: %s (driver %s)", path, strerror(-fd), drv);
		return;
	}
	close(fd);
	dr_set(r, DR_PASS, "", "%s writable (driver %s)", path, drv);
}

static const struct dr_check dr_check_numvfs = {
	.id = "sriov.numvfs",
	.help = "a driver bound to the PF and its sriov_numvfs writable",
	.scope = DR_PF,
	.concerns = DR_FOR_SETUP,
	.run = run_numvfs,
};

static void run_autoprobe(const struct dr_ctx *c, const char *bdf,
			  struct dr_result *r)
{
	long v;

	if (dr_pci_long(c, bdf, "sriov_drivers_autoprobe", &v))
		dr_set(r, DR_SKIP, "", "%s/sriov_drivers_autoprobe absent",
		       bdf);
	else
		dr_set(r, DR_PASS, "", "%s/sriov_drivers_autoprobe: %ld (%s)",
		       bdf, v,
		       v ? "new VFs bind to their host driver" :
			   "new VFs stay unbound, for vfio-pci");
}

static const struct dr_check dr_check_autoprobe = {
	.id = "sriov.autoprobe",
	.help = "sriov_drivers_autoprobe: whether new VFs bind to their host driver",
	.scope = DR_PF,
	.run = run_autoprobe,
};

static void run_ari(const struct dr_ctx *c, const char *bdf,
		    struct dr_result *r)
{
	struct dr_pci_caps caps;
	long want = c->cfg->want_vfs;
	int ret;

	if (!want)
		dr_pci_long(c, bdf, "sriov_numvfs", &want);
	if (want <= 7) {
		dr_set(r, DR_SKIP, "", "%ld VFs wanted: ARI not needed", want);
		return;
	}
	ret = pci_caps(c, bdf, &caps);
	if (ret)
		dr_set(r, DR_SKIP, "", "%s: configuration space not read (%s)",
		       bdf, strerror(-ret));
	else if (caps.ari && caps.upstream_ari == 1)
		dr_set(r, DR_PASS, "",
		       "%s: ARI capability, upstream port forwards ARI", bdf);
	else
		dr_set(r, DR_WARN,
		       "without ARI, VFs past function 7 need bus numbers the "
		       "BIOS may not reserve: enable ARI / SR-IOV in the BIOS, "
		       "or use a slot whose port forwards ARI",
		       "%s: ARI capability %s, upstream ARI forwarding %s (%ld "
		       "VFs wanted)",
		       bdf, caps.ari ? "yes" : "no",
		       caps.upstream_ari < 0 ? "unknown" :
		       caps.upstream_ari     ? "on" :
					       "off",
		       want);
}

static const struct dr_check dr_check_ari = {
	.id = "sriov.ari",
	.help = "beyond 7 VFs: ARI on the device and forwarded by the port above it",
	.scope = DR_PF,
	.concerns = DR_FOR_SETUP,
	.run = run_ari,
};

static void run_link(const struct dr_ctx *c, const char *bdf,
		     struct dr_result *r)
{
	char cs[32] = "", ms[32] = "";
	long cw = 0, mw = 0;

	if (dr_pci_read(c, bdf, "current_link_speed", cs, sizeof(cs)) <= 0 ||
	    dr_pci_read(c, bdf, "max_link_speed", ms, sizeof(ms)) <= 0 ||
	    dr_pci_long(c, bdf, "current_link_width", &cw) ||
	    dr_pci_long(c, bdf, "max_link_width", &mw) || atof(ms) <= 0 ||
	    mw <= 0) {
		dr_set(r, DR_SKIP, "", "%s: no PCIe link attributes", bdf);
		return;
	}
	if (atof(cs) < atof(ms) || cw < mw)
		dr_set(r, DR_WARN,
		       "the link trained below the device's best: reseat "
		       "the card or move it to a full-speed, full-width slot",
		       "%s: link %s x%ld, device max %s x%ld", bdf, cs, cw, ms,
		       mw);
	else
		dr_set(r, DR_PASS, "", "%s: link %s x%ld (the maximum)", bdf,
		       cs, cw);
}

static const struct dr_check dr_check_link = {
	.id = "pcie.link",
	.help = "the PF's trained PCIe link speed and width against their maximum",
	.scope = DR_PF,
	.run = run_link,
};

#define MMIO_MSG "not enough MMIO resources for SR-IOV"

static void run_mmio(const struct dr_ctx *c, const char *subject,
		     struct dr_result *r)
{
	size_t len = 4 << 20;
	char *log = malloc(len), *hit, *end;
	int n;

	(void)subject;
	n = log ? vfb_fs_read_all(c->root, "/dev/kmsg", log, len) : -ENOMEM;
	if (n < 0) {
		dr_set(r, DR_SKIP, "", "/dev/kmsg: %s (dmesg_restrict?)",
		       strerror(-n));
	} else if ((hit = strstr(log, MMIO_MSG))) {
		while (hit > log && hit[-1] != '\n')
			hit--;
		end = strchr(hit, '\n');
		if (end)
			*end = '\0';
		dr_set(r, DR_FAIL,
		       "the BIOS left too little MMIO space for the VFs' BARs: "
		       "enable SR-IOV / above-4G decoding in the BIOS, or boot "
		       "with pci=realloc",
		       "/dev/kmsg: %.200s", hit);
	} else {
		dr_set(r, DR_PASS, "", "/dev/kmsg (%d bytes): no \"%s\"", n,
		       MMIO_MSG);
	}
	free(log);
}

static const struct dr_check dr_check_mmio = {
	.id = "sriov.mmio",
	.help = "the kernel log for \"not enough MMIO resources for SR-IOV\"",
	.scope = DR_HOST,
	.run = run_mmio,
};

/* The group, in the order its checks run. */
const struct dr_check *const dr_checks_device[] = {
	&dr_check_sriov_cap, &dr_check_totalvfs,
	&dr_check_numvfs,    &dr_check_autoprobe,
	&dr_check_ari,	     &dr_check_link,
	&dr_check_mmio,	     NULL,
};
