/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "suites.h"

/* What the fakes answer for configuration space, programs and the MTU. */
struct fake {
	int caps_ret;
	struct dr_pci_caps caps;
	int run_ret;
	const char *run_out;
	int mtu;
};

static int fake_caps(void *arg, const char *bdf, struct dr_pci_caps *caps)
{
	const struct fake *f = arg;

	(void)bdf;
	*caps = f->caps;
	return f->caps_ret;
}

static int fake_run(void *arg, char *const argv[], char *out, size_t len)
{
	const struct fake *f = arg;

	CU_ASSERT_STRING_EQUAL(argv[0], "mstconfig");
	snprintf(out, len, "%s", f->run_out ? f->run_out : "");
	return f->run_ret;
}

static int fake_mtu(void *arg, const char *ibdev, int port, int *mtu)
{
	const struct fake *f = arg;

	(void)ibdev;
	CU_ASSERT_EQUAL(port, 1);
	*mtu = f->mtu;
	return f->mtu ? 0 : -ENODEV;
}

static const struct dr_probe_ops fake_ops = {
	.pci_caps = fake_caps,
	.run = fake_run,
	.port_mtu = fake_mtu,
};

#define MAX_RESULTS 64

struct collected {
	struct dr_result r[MAX_RESULTS];
	int n;
};

static void collect(const struct dr_result *r, void *arg)
{
	struct collected *c = arg;

	if (c->n < MAX_RESULTS)
		c->r[c->n++] = *r;
}

static const struct dr_result *find(const struct collected *c, const char *id,
				    const char *subject)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->r[i].id, id) &&
		    !strcmp(c->r[i].subject, subject))
			return &c->r[i];
	return NULL;
}

/* mstconfig -e query as mstflint 4.x prints it: Default, Current, Next. */
static const char mst_pending[] =
	"\nDevice #1:\n----------\n\nDevice type:    ConnectX6DX\n"
	"Device:         0000:03:00.0\n\n"
	"Configurations:                              Default         "
	"Current         Next Boot\n"
	"*        SRIOV_EN                            False(0)        True(1)"
	"         True(1)\n"
	"*        NUM_OF_VFS                          0               8      "
	"         16\n"
	"         LINK_TYPE_P1                        ETH(2)          ETH(2)"
	"          ETH(2)\n";
static const char mst_off[] =
	"Configurations:                              Default         "
	"Current         Next Boot\n"
	"         SRIOV_EN                            False(0)        False(0)"
	"        False(0)\n"
	"         NUM_OF_VFS                          0               0      "
	"         0\n";

static const struct fake fk_root = { .caps = { 8, true, 1 },
				     .run_out = mst_pending,
				     .mtu = 1024 };
static const struct fake fk_off = { .caps = { -1, false, 0 },
				    .run_out = mst_off,
				    .mtu = 512 };
static const struct fake fk_none = { .caps_ret = -ENOTSUP, .run_ret = -ENOENT };

/*
 * Every check's status on each documented tree, and a word of its
 * evidence (or of its fix line where it is not a pass).
 */
struct tree_case {
	const char *tree;
	const struct fake *fk;
	long want;
	const char *id, *subject;
	enum dr_status st;
	const char *word;
};

static const struct tree_case tree_cases[] = {
	/* bare-metal mlx5 host, IOMMU on */
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.acpi", "", DR_PASS, "DMAR" },
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.groups", "", DR_PASS,
	  "3 groups" },
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.mode", "0000:03:00.0", DR_PASS,
	  "identity" },
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.mode", "0000:03:00.3", DR_WARN,
	  "iommu=pt" },
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.vf_group", "0000:03:00.2",
	  DR_WARN, "ACS" },
	{ "mlx5-host-iommu", &fk_root, 0, "iommu.vf_group", "0000:03:00.3",
	  DR_PASS, "alone" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.capability", "0000:03:00.0",
	  DR_PASS, "TotalVFs 8" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.totalvfs", "0000:03:00.0",
	  DR_PASS, ": 8" },
	{ "mlx5-host-iommu", &fk_root, 9, "sriov.totalvfs", "0000:03:00.0",
	  DR_FAIL, "NUM_OF_VFS=9" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.numvfs", "0000:03:00.0",
	  DR_PASS, "writable" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.autoprobe", "0000:03:00.0",
	  DR_PASS, ": 1" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.ari", "0000:03:00.0", DR_SKIP,
	  "not needed" },
	{ "mlx5-host-iommu", &fk_root, 8, "sriov.ari", "0000:03:00.0", DR_PASS,
	  "forwards ARI" },
	{ "mlx5-host-iommu", &fk_off, 8, "sriov.ari", "0000:03:00.0", DR_WARN,
	  "ARI" },
	{ "mlx5-host-iommu", &fk_root, 0, "pcie.link", "0000:03:00.0", DR_WARN,
	  "full-width" },
	{ "mlx5-host-iommu", &fk_root, 0, "sriov.mmio", "", DR_PASS,
	  "no \"not enough" },
	{ "mlx5-host-iommu", &fk_root, 0, "firmware.sriov", "0000:03:00.0",
	  DR_WARN, "reboot or firmware reset is pending" },
	{ "mlx5-host-iommu", &fk_off, 0, "firmware.sriov", "0000:03:00.0",
	  DR_FAIL, "set SRIOV_EN=1" },
	{ "mlx5-host-iommu", &fk_none, 0, "firmware.sriov", "0000:03:00.0",
	  DR_SKIP, "apt-get install mstflint" },
	{ "mlx5-host-iommu", &fk_none, 0, "sriov.capability", "0000:03:00.0",
	  DR_SKIP, "libpci" },
	{ "mlx5-host-iommu", &fk_off, 0, "sriov.capability", "0000:03:00.0",
	  DR_FAIL, "enable SR-IOV" },
	{ "mlx5-host-iommu", &fk_root, 0, "driver.vf", "0000:03:00.0", DR_PASS,
	  "mlx5_core loaded" },
	{ "mlx5-host-iommu", &fk_root, 0, "driver.vfio", "", DR_PASS,
	  "loaded" },
	{ "mlx5-host-iommu", &fk_root, 0, "stack.modules", "", DR_PASS,
	  "rdma_ucm loaded" },
	{ "mlx5-host-iommu", &fk_root, 0, "stack.netns", "", DR_PASS,
	  "shared" },
	{ "mlx5-host-iommu", &fk_root, 0, "stack.guid", "mlx5_2", DR_SKIP,
	  "not InfiniBand" },
	{ "mlx5-host-iommu", &fk_root, 0, "stack.gid", "mlx5_3", DR_PASS,
	  "RoCE v2 GID 1" },
	{ "mlx5-host-iommu", &fk_root, 0, "stack.mtu", "mlx5_0", DR_PASS,
	  "active MTU 1024" },
	{ "mlx5-host-iommu", &fk_off, 0, "stack.mtu", "mlx5_0", DR_WARN,
	  "smaller MTU" },
	{ "mlx5-host-iommu", &fk_none, 0, "stack.mtu", "mlx5_0", DR_SKIP,
	  "not read" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.memlock", "", DR_WARN,
	  "ulimit -l" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.hugepages", "", DR_PASS,
	  "1024" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.governor", "", DR_WARN,
	  "frequency-set -g performance" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.frequency", "", DR_WARN,
	  "turbo" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.irqbalance", "", DR_WARN,
	  "systemctl stop irqbalance" },
	{ "mlx5-host-iommu", &fk_root, 0, "host.numa", "mlx5_0", DR_PASS,
	  "numa_node 1 (2 nodes)" },
	{ "mlx5-host-iommu", &fk_root, 0, "virt.guest", "", DR_PASS,
	  "bare metal" },
	/* the BIOS has the IOMMU, the kernel has it off */
	{ "igb-iommu-off", &fk_root, 0, "iommu.acpi", "", DR_PASS, "DMAR" },
	{ "igb-iommu-off", &fk_root, 0, "iommu.groups", "", DR_FAIL,
	  "intel_iommu=on (or amd_iommu=on) iommu=pt" },
	{ "igb-iommu-off", &fk_root, 0, "iommu.mode", "0000:01:00.0", DR_SKIP,
	  "no iommu_group" },
	{ "igb-iommu-off", &fk_root, 0, "iommu.vf_group", "", DR_SKIP,
	  "no enabled VF" },
	{ "igb-iommu-off", &fk_root, 0, "sriov.totalvfs", "0000:01:00.0",
	  DR_PASS, ": 7" },
	{ "igb-iommu-off", &fk_root, 8, "sriov.totalvfs", "0000:01:00.0",
	  DR_FAIL, "SRIOV_EN=1" },
	{ "igb-iommu-off", &fk_root, 0, "sriov.mmio", "", DR_FAIL,
	  "pci=realloc" },
	{ "igb-iommu-off", &fk_root, 0, "firmware.sriov", "0000:01:00.0",
	  DR_SKIP, "not Mellanox" },
	{ "igb-iommu-off", &fk_root, 0, "driver.vf", "0000:01:00.0", DR_FAIL,
	  "igbvf module" },
	{ "igb-iommu-off", &fk_root, 0, "driver.vfio", "", DR_WARN,
	  "vfio-pci" },
	{ "igb-iommu-off", &fk_root, 0, "stack.modules", "", DR_FAIL,
	  "modprobe ib_uverbs" },
	{ "igb-iommu-off", &fk_root, 0, "stack.gid", "", DR_SKIP,
	  "no RDMA device" },
	{ "igb-iommu-off", &fk_root, 0, "host.memlock", "", DR_PASS,
	  "unlimited" },
	{ "igb-iommu-off", &fk_root, 0, "host.governor", "", DR_SKIP,
	  "no cpufreq" },
	{ "igb-iommu-off", &fk_root, 0, "host.frequency", "", DR_PASS, "2600" },
	/* guests: no IOMMU, a passthrough VF named, pvrdma */
	{ "guest-mlx5-vf", &fk_root, 0, "iommu.acpi", "", DR_FAIL,
	  "IOMMU disabled in BIOS" },
	{ "guest-mlx5-vf", &fk_root, 0, "iommu.groups", "", DR_FAIL,
	  "enable VT-d" },
	{ "guest-mlx5-vf", &fk_root, 0, "sriov.totalvfs", "", DR_SKIP,
	  "no SR-IOV physical function" },
	{ "guest-mlx5-vf", &fk_root, 0, "virt.guest", "", DR_PASS,
	  "guest of KVM/QEMU" },
	{ "guest-mlx5-vf", &fk_root, 0, "virt.guest", "", DR_PASS,
	  "passthrough VF 0000:00:05.0 (15b3:101e" },
	{ "guest-mlx5-vf", &fk_root, 0, "host.memlock", "", DR_PASS,
	  "CAP_IPC_LOCK" },
	{ "guest-igbvf", &fk_root, 0, "virt.guest", "", DR_PASS,
	  "passthrough VF 0000:00:05.0 (8086:10ca, igbvf)" },
	{ "guest-igbvf", &fk_root, 0, "stack.mtu", "rxe0", DR_PASS,
	  "eth1 MTU 1500" },
	{ "guest-igbvf", &fk_root, 0, "host.numa", "rxe0", DR_PASS,
	  "/sys/class/net/eth1/device" },
	{ "vmware-pvrdma", &fk_root, 0, "virt.guest", "", DR_PASS,
	  "guest of VMware" },
	{ "vmware-pvrdma", &fk_root, 0, "stack.gid", "vmw_pvrdma0", DR_PASS,
	  "RoCE v2" },
};

/* Run the checklist on case K's tree: its result for K's check. */
static void check_tree_case(const struct tree_case *k)
{
	struct vfb_fsroot *root = test_tree(k->tree);
	struct dr_config cfg = { .root = root,
				 .ops = &fake_ops,
				 .ops_arg = (void *)k->fk,
				 .want_vfs = k->want };
	struct collected c = { .n = 0 };
	const struct dr_result *r;
	int fails = dr_run(&cfg, collect, &c), j, nfail = 0;

	for (j = 0; j < c.n; j++)
		nfail += c.r[j].status == DR_FAIL;
	CU_ASSERT_EQUAL(fails, nfail);
	r = find(&c, k->id, k->subject);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	if (r->status != k->st ||
	    (!strstr(r->evidence, k->word) && !strstr(r->fix, k->word)))
		fprintf(stderr, "\n%s %s %s: %s [%s] fix: %s\n", k->tree, k->id,
			k->subject, dr_status_name(r->status), r->evidence,
			r->fix);
	CU_ASSERT_EQUAL(r->status, k->st);
	CU_ASSERT(strstr(r->evidence, k->word) || strstr(r->fix, k->word));
	vfb_fsroot_close(root);
}

static void test_trees(void)
{
	size_t i;

	for (i = 0; i < sizeof(tree_cases) / sizeof(tree_cases[0]); i++)
		check_tree_case(&tree_cases[i]);
}

/* On every tree: each result has evidence, each warn or fail a fix. */
static void test_contract(void)
{
	static const char *const trees[] = { "mlx5-host-iommu", "igb-iommu-off",
					     "guest-mlx5-vf",	"guest-igbvf",
					     "vmware-pvrdma",	"malformed",
					     "lab-pair" };
	size_t i;
	int j;

	for (i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct vfb_fsroot *root = test_tree(trees[i]);
		struct dr_config cfg = { .root = root,
					 .ops = &fake_ops,
					 .ops_arg = (void *)&fk_off };
		struct collected c = { .n = 0 };

		CU_ASSERT(dr_run(&cfg, collect, &c) >= 0);
		CU_ASSERT(c.n >= 26); /* every check answers at least once */
		for (j = 0; j < c.n; j++) {
			CU_ASSERT(c.r[j].evidence[0] != '\0');
			if (c.r[j].status == DR_WARN ||
			    c.r[j].status == DR_FAIL) {
				CU_ASSERT(c.r[j].fix[0] != '\0');
			}
		}
		vfb_fsroot_close(root);
	}
}

/* --pf by netdev or BDF narrows the subjects; an unknown one is -ENODEV;
 * a command's concerns pick its checks. */
static void test_scope(void)
{
	struct vfb_fsroot *root = test_tree("mlx5-host-iommu");
	struct dr_config cfg = { .root = root,
				 .ops = &fake_ops,
				 .ops_arg = (void *)&fk_root,
				 .pf = "eth0" };
	struct collected c = { .n = 0 };
	int j;

	CU_ASSERT(dr_run(&cfg, collect, &c) >= 0);
	CU_ASSERT_PTR_NOT_NULL(find(&c, "sriov.totalvfs", "0000:03:00.0"));
	CU_ASSERT_PTR_NOT_NULL(find(&c, "stack.gid", "mlx5_3"));
	cfg.pf = "0000:03:00.1"; /* a function, but not an SR-IOV PF */
	CU_ASSERT_EQUAL(dr_run(&cfg, collect, &c), -ENODEV);
	cfg.pf = "nosuch0";
	CU_ASSERT_EQUAL(dr_run(&cfg, collect, &c), -ENODEV);
	cfg.pf = NULL;
	cfg.concerns = DR_FOR_RUN;
	c.n = 0;
	CU_ASSERT_EQUAL(dr_run(&cfg, collect, &c), 0);
	for (j = 0; j < c.n; j++)
		CU_ASSERT(!strcmp(c.r[j].id, "stack.modules") ||
			  !strcmp(c.r[j].id, "stack.gid"));
	CU_ASSERT_EQUAL(c.n, 4); /* modules once, gid for 3 devices */
	cfg.concerns = DR_FOR_SETUP;
	cfg.want_vfs = 16;
	cfg.ops_arg = (void *)&fk_off;
	c.n = 0;
	CU_ASSERT(dr_run(&cfg, collect, &c) >= 2); /* totalvfs, firmware */
	CU_ASSERT_PTR_NULL(find(&c, "host.memlock", ""));
	vfb_fsroot_close(root);
}

/* A probe table without an op (or none at all): the op is the default,
 * and its checks skip saying "not supported", as they did when they
 * tested for NULL themselves. */
static void test_missing_probe(void)
{
	static const struct dr_probe_ops run_only = { .run = fake_run };
	struct vfb_fsroot *root = test_tree("mlx5-host-iommu");
	struct dr_config cfg = { .root = root,
				 .ops = &run_only,
				 .ops_arg = (void *)&fk_root };
	struct collected c = { .n = 0 };
	struct dr_probe_ops o;
	struct dr_pci_caps caps;
	const struct dr_result *r;
	char out[8] = "x";
	int mtu;

	dr_probe_ops_set(&o, &run_only);
	CU_ASSERT(o.run == fake_run);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.pci_caps);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.port_mtu);
	CU_ASSERT_EQUAL(o.pci_caps(NULL, "0000:03:00.0", &caps), -ENOTSUP);
	CU_ASSERT_EQUAL(o.port_mtu(NULL, "mlx5_0", 1, &mtu), -ENOTSUP);
	dr_probe_ops_set(&o, NULL);
	CU_ASSERT_EQUAL(o.run(NULL, NULL, out, sizeof(out)), -ENOTSUP);
	CU_ASSERT_STRING_EQUAL(out, "");

	CU_ASSERT(dr_run(&cfg, collect, &c) >= 0);
	r = find(&c, "sriov.capability", "0000:03:00.0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->status, DR_SKIP);
	CU_ASSERT_PTR_NOT_NULL(strstr(r->evidence, strerror(ENOTSUP)));
	r = find(&c, "stack.mtu", "mlx5_0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->status, DR_SKIP);
	CU_ASSERT_PTR_NOT_NULL(strstr(r->evidence, strerror(ENOTSUP)));
	r = find(&c, "firmware.sriov", "0000:03:00.0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->status, DR_WARN); /* run was given: it ran */

	cfg.ops = NULL;
	c.n = 0;
	CU_ASSERT(dr_run(&cfg, collect, &c) >= 0);
	r = find(&c, "firmware.sriov", "0000:03:00.0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->status, DR_SKIP);
	CU_ASSERT_PTR_NOT_NULL(strstr(r->evidence, strerror(ENOTSUP)));
	vfb_fsroot_close(root);
}

/* Every check says what it checks: one line, for help and docs, and no
 * two checks the same. */
static void test_help_lines(void)
{
	struct dr_check_info info, other;
	size_t i, j;

	for (i = 0; !dr_check_info(i, &info); i++) {
		if (!info.help || !info.help[0] || strchr(info.help, '\n') ||
		    strchr(info.help, '|') || strlen(info.help) > 100)
			fprintf(stderr, "\n  check %s: help line '%s'\n",
				info.id, info.help ? info.help : "(null)");
		CU_ASSERT_FATAL(info.help && info.help[0]);
		CU_ASSERT_PTR_NULL(strchr(info.help, '\n'));
		CU_ASSERT_PTR_NULL(strchr(info.help, '|'));
		CU_ASSERT(strlen(info.help) <= 100);
		for (j = 0; j < i && !dr_check_info(j, &other); j++)
			CU_ASSERT(strcmp(info.help, other.help) != 0);
	}
	CU_ASSERT(i >= 26);
}

/* The ids in the order they answer, each once. */
struct order {
	const char *id[MAX_RESULTS];
	size_t n;
};

static void note_id(const struct dr_result *r, void *arg)
{
	struct order *o = arg;

	if (o->n && !strcmp(o->id[o->n - 1], r->id))
		return;
	if (o->n < MAX_RESULTS)
		o->id[o->n++] = r->id;
}

/* The checks run group by group in the registry's order, each group in
 * its file's table order: a check entered in a group's table answers at
 * its place there, and help lists it at the same place. */
static void test_group_order(void)
{
	struct vfb_fsroot *root = test_tree("lab-pair");
	struct dr_config cfg = { .root = root,
				 .ops = &fake_ops,
				 .ops_arg = (void *)&fk_off };
	const struct dr_check *const *g;
	struct dr_check_info info;
	struct order o = { .n = 0 };
	size_t i, j, n = 0;

	CU_ASSERT(dr_run(&cfg, note_id, &o) >= 0);
	for (i = 0; (g = dr_group(i)); i++)
		for (j = 0; g[j]; j++, n++) {
			CU_ASSERT_FATAL(n < o.n);
			CU_ASSERT_STRING_EQUAL(o.id[n], g[j]->id);
			CU_ASSERT_FATAL(!dr_check_info(n, &info));
			CU_ASSERT_STRING_EQUAL(info.id, g[j]->id);
		}
	CU_ASSERT(i >= 5);
	CU_ASSERT_EQUAL(o.n, n);
	CU_ASSERT_EQUAL(dr_check_info(n, &info), -ENOENT);
	vfb_fsroot_close(root);
}

int test_doctor_register(void)
{
	CU_pSuite s = CU_add_suite("doctor", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "every check on documented trees", test_trees) ||
	    !CU_add_test(s, "evidence always, a fix for warn and fail",
			 test_contract) ||
	    !CU_add_test(s, "--pf and a command's concerns", test_scope) ||
	    !CU_add_test(s, "a missing probe answers not supported",
			 test_missing_probe) ||
	    !CU_add_test(s, "every check has a help line", test_help_lines) ||
	    !CU_add_test(s, "checks run by group, each in its table's order",
			 test_group_order))
		return -1;
	return 0;
}
