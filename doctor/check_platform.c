/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static const char *const acpi_tables[] = { "DMAR", "IVRS" };

static int count_entry(const char *name, void *arg)
{
	(void)name;
	++*(int *)arg;
	return 0;
}

static int count_dir(const struct dr_ctx *c, const char *dir)
{
	int n = 0;

	return vfb_fs_list(c->root, dir, count_entry, &n) < 0 ? -1 : n;
}

static const char *acpi_table(const struct dr_ctx *c)
{
	char path[64];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s",
			 acpi_tables[i]);
		if (vfb_fs_exists(c->root, path))
			return acpi_tables[i];
	}
	return NULL;
}

static void run_acpi(const struct dr_ctx *c, const char *subject,
		     struct dr_result *r)
{
	const char *t = acpi_table(c);

	(void)subject;
	if (t)
		dr_set(r, DR_PASS, "", "/sys/firmware/acpi/tables/%s present",
		       t);
	else if (!vfb_fs_exists(c->root, "/sys/firmware/acpi/tables"))
		dr_set(r, DR_SKIP, "",
		       "/sys/firmware/acpi/tables absent: no ACPI here");
	else
		dr_set(r, DR_FAIL,
		       "IOMMU disabled in BIOS or not supported: enable VT-d "
		       "(Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup",
		       "/sys/firmware/acpi/tables has neither DMAR nor IVRS");
}

static const struct dr_check dr_check_acpi = {
	.id = "iommu.acpi",
	.help = "the firmware's IOMMU table: ACPI DMAR (Intel) or IVRS (AMD)",
	.scope = DR_HOST,
	.run = run_acpi,
};

static void run_iommu_kernel(const struct dr_ctx *c, const char *subject,
			     struct dr_result *r)
{
	int n = count_dir(c, "/sys/kernel/iommu_groups");
	char cmdline[256] = "";

	(void)subject;
	vfb_fs_read(c->root, "/proc/cmdline", cmdline, sizeof(cmdline));
	if (n > 0)
		dr_set(r, DR_PASS, "", "/sys/kernel/iommu_groups: %d groups",
		       n);
	else if (acpi_table(c))
		dr_set(r, DR_FAIL,
		       "disabled in the kernel: add intel_iommu=on (or "
		       "amd_iommu=on) iommu=pt to the kernel command line",
		       "%s present, /sys/kernel/iommu_groups empty; "
		       "/proc/cmdline: %s",
		       acpi_table(c), cmdline);
	else
		dr_set(r, DR_FAIL,
		       "no IOMMU: enable VT-d/AMD-Vi in the BIOS, then "
		       "intel_iommu=on (or amd_iommu=on) iommu=pt",
		       "/sys/kernel/iommu_groups empty, no DMAR/IVRS table");
}

static const struct dr_check dr_check_iommu_kernel = {
	.id = "iommu.groups",
	.help = "the kernel's IOMMU on: /sys/kernel/iommu_groups populated",
	.scope = DR_HOST,
	.run = run_iommu_kernel,
};

/* The function's IOMMU group number, or "" when it has none. */
static int group_of(const struct dr_ctx *c, const char *bdf, char *grp,
		    size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	grp[0] = '\0';
	return vfb_fs_link_name(c->root, path, grp, len);
}

static void run_iommu_mode(const struct dr_ctx *c, const char *bdf,
			   struct dr_result *r)
{
	char grp[32], path[PATH_MAX], type[32] = "";

	if (group_of(c, bdf, grp, sizeof(grp))) {
		dr_set(r, DR_SKIP, "", "%s has no iommu_group (no IOMMU)", bdf);
		return;
	}
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/type", grp);
	if (vfb_fs_read(c->root, path, type, sizeof(type)) <= 0)
		dr_set(r, DR_SKIP, "", "%s unreadable (kernel before 5.11)",
		       path);
	else if (!strcmp(type, "identity") || !strcmp(type, "unmanaged"))
		dr_set(r, DR_PASS, "", "%s: %s%s", path, type,
		       type[0] == 'u' ? " (owned by vfio for a guest)" : "");
	else
		dr_set(r, DR_WARN,
		       "every DMA of a host-driven device is translated: "
		       "boot with iommu=pt (identity mode) for bare-metal "
		       "RDMA",
		       "%s: %s", path, type);
}

static const struct dr_check dr_check_iommu_mode = {
	.id = "iommu.mode",
	.help = "the function's IOMMU domain: identity (iommu=pt) or translated",
	.scope = DR_FN,
	.run = run_iommu_mode,
};

struct group_walk {
	const char *self;
	char others[200];
	int n;
};

static int note_member(const char *name, void *arg)
{
	struct group_walk *g = arg;
	size_t used = strlen(g->others);

	g->n++;
	if (strcmp(name, g->self) && used < sizeof(g->others) - 1)
		snprintf(g->others + used, sizeof(g->others) - used, "%s%s",
			 used ? " " : "", name);
	return 0;
}

static void run_iommu_group(const struct dr_ctx *c, const char *bdf,
			    struct dr_result *r)
{
	struct group_walk g = { .self = bdf };
	char grp[32], path[PATH_MAX];

	if (group_of(c, bdf, grp, sizeof(grp))) {
		dr_set(r, DR_SKIP, "", "%s has no iommu_group (no IOMMU)", bdf);
		return;
	}
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices",
		 grp);
	vfb_fs_list(c->root, path, note_member, &g);
	if (g.n <= 1)
		dr_set(r, DR_PASS, "", "%s: %s alone in IOMMU group %s", path,
		       bdf, grp);
	else
		dr_set(r, DR_WARN,
		       "it cannot be passed to a guest alone: put the NIC "
		       "behind a port with ACS (or enable ACS in the BIOS)",
		       "%s: group %s also holds %s", path, grp, g.others);
}

static const struct dr_check dr_check_iommu_group = {
	.id = "iommu.vf_group",
	.help = "the VF alone in its IOMMU group (ACS on its path)",
	.scope = DR_VF,
	.run = run_iommu_group,
};

/* The group, in the order its checks run. */
const struct dr_check *const dr_checks_platform[] = {
	&dr_check_acpi,
	&dr_check_iommu_kernel,
	&dr_check_iommu_mode,
	&dr_check_iommu_group,
	NULL,
};
