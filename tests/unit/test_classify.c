/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "classify.h"
#include "suites.h"

static void test_classify(void)
{
	static const struct {
		const char *tree, *ibdev;
		int ret;
		const char *path;
		const char *provider, *netdev, *pci, *driver, *pf_pci;
		int vf_index, numa;
		bool software, sriov;
	} cases[] = {
		/* captured in the lab: rxe over the igb PF, its VFs, virtio */
		{ "lab-pair", "rxe_pf", 0, "pf", "rxe", "pf0", "0000:01:00.0",
		  "igb", "", -1, -1, true, true },
		{ "lab-pair", "rxe_vf0", 0, "vf", "rxe", "eth0", "0000:01:10.0",
		  "igbvf", "0000:01:00.0", 0, -1, true, false },
		{ "lab-pair", "rxe_vf1", 0, "vf", "rxe", "eth1", "0000:01:10.2",
		  "igbvf", "0000:01:00.0", 1, -1, true, false },
		{ "lab-pair", "rxe_pv", 0, "pv", "rxe", "pv0", "0000:00:08.0",
		  "virtio_net", "", -1, -1, true, false },
		/* hardware provider: mlx5 PF with VFs, from the documented ABI */
		{ "mlx5-pf-vfs", "mlx5_0", 0, "pf", "mlx5_core", "eth0",
		  "0000:03:00.0", "mlx5_core", "", -1, 1, false, true },
		{ "mlx5-pf-vfs", "mlx5_3", 0, "vf", "mlx5_core", "eth3",
		  "0000:03:00.3", "mlx5_core", "0000:03:00.0", 1, 1, false,
		  false },
		/* guests: a passthrough VF has no physfn; pvrdma stays pv */
		{ "guest-mlx5-vf", "mlx5_0", 0, "vf", "mlx5_core", "ens5",
		  "0000:00:05.0", "mlx5_core", "", -1, -1, false, false },
		{ "guest-igbvf", "rxe0", 0, "vf", "rxe", "eth1", "0000:00:05.0",
		  "igbvf", "", -1, -1, true, false },
		{ "vmware-pvrdma", "vmw_pvrdma0", 0, "pv", "vmw_pvrdma",
		  "ens192", "0000:00:05.0", "vmw_pvrdma", "", -1, -1, false,
		  false },
		/* malformed trees: an error for that device, never a crash */
		{ "malformed", "rxe_gone", -ENOENT, "unknown", "rxe", "eth9",
		  "", "", "", -1, -1, true, false },
		{ "malformed", "rxe_bare", -ENODEV, "unknown", "", "", "", "",
		  "", -1, -1, false, false },
		{ "malformed", "hw_0", -EINVAL, "unknown", "", "",
		  "0000:00:05.0", "", "", -1, -1, false, false },
		{ "malformed", "rxe_loop", -ELOOP, "unknown", "rxe", "loop", "",
		  "", "", -1, -1, true, false },
		{ "malformed", "nosuch", -ENOENT, "unknown", "", "", "", "", "",
		  -1, -1, false, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfb_fsroot *root = test_tree(cases[i].tree);
		struct host_devclass dc;
		int ret = host_classify(root, cases[i].ibdev, &dc);

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		CU_ASSERT_STRING_EQUAL(dc.path->name, cases[i].path);
		CU_ASSERT_STRING_EQUAL(dc.provider, cases[i].provider);
		CU_ASSERT_STRING_EQUAL(dc.netdev, cases[i].netdev);
		CU_ASSERT_STRING_EQUAL(dc.pci, cases[i].pci);
		CU_ASSERT_STRING_EQUAL(dc.driver, cases[i].driver);
		CU_ASSERT_STRING_EQUAL(dc.pf_pci, cases[i].pf_pci);
		CU_ASSERT_EQUAL(dc.vf_index, cases[i].vf_index);
		CU_ASSERT_EQUAL(dc.numa_node, cases[i].numa);
		CU_ASSERT_EQUAL(dc.software, cases[i].software);
		CU_ASSERT_EQUAL(dc.sriov, cases[i].sriov);
		/* an error names the device */
		CU_ASSERT_EQUAL(ret != 0,
				strstr(dc.error, cases[i].ibdev) != NULL);
		vfb_fsroot_close(root);
	}
}

/* How a device was recognised, where it is not plain: a VF in a guest
 * says so, with the hypervisor and what told it. */
static void test_notes(void)
{
	static const struct {
		const char *tree, *ibdev, *note;
	} cases[] = {
		{ "guest-mlx5-vf", "mlx5_0",
		  "passthrough VF in a KVM/QEMU guest (" },
		{ "guest-igbvf", "rxe0",
		  "passthrough VF in a KVM/QEMU guest (" },
		{ "vmware-pvrdma", "vmw_pvrdma0", "" },
		{ "mlx5-pf-vfs", "mlx5_2", "" }, /* a VF on its host: plain */
		{ "lab-pair", "rxe_pf", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfb_fsroot *root = test_tree(cases[i].tree);
		struct host_devclass dc;

		host_classify(root, cases[i].ibdev, &dc);
		if (cases[i].note[0]) {
			CU_ASSERT_PTR_NOT_NULL(strstr(dc.note, cases[i].note));
		} else {
			CU_ASSERT_STRING_EQUAL(dc.note, "");
		}
		vfb_fsroot_close(root);
	}
}

/* What vfb_path_kind_names must say, from the table itself: the baseline,
 * then every other kind a user can name (all but unknown) in table order,
 * ", " between. */
static void want_names(char *buf, size_t len)
{
	const struct vfb_path_kind *k, *base = vfb_path_baseline();
	size_t i, n, used;

	k = vfb_path_kinds(&n);
	used = (size_t)snprintf(buf, len, "%s", base->name);
	for (i = 0; i < n && used < len; i++)
		if (&k[i] != base && &k[i] != vfb_path_unknown())
			used += (size_t)snprintf(buf + used, len - used, ", %s",
						 k[i].name);
}

/* The path-kind table: recognition by facts, the most specific kind
 * first; order for plots with the baseline first; unknown names. */
static void test_kinds(void)
{
	static const struct {
		struct vfb_fn_facts f;
		const char *kind;
	} cases[] = {
		{ { .function = true }, "pf" },
		{ { .function = true, .physfn = true }, "vf" },
		{ { .function = true, .vf_identity = true }, "vf" },
		{ { .function = true, .pvrdma = true }, "pv" },
		{ { .function = true, .virtio = true, .software = true },
		  "pv" },
		{ { .software = true }, "pv" }, /* rxe over a veth */
		{ { 0 }, "unknown" },
	};
	char names[64], want[64], unknown[80];
	size_t i;

	/* a name no kind of the table can have: all of theirs joined */
	vfb_path_kind_names(names, sizeof(names));
	snprintf(unknown, sizeof(unknown), "x-%s", names);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_STRING_EQUAL(vfb_path_kind_of(&cases[i].f)->name,
				       cases[i].kind);
	CU_ASSERT_STRING_EQUAL(vfb_path_baseline()->name, "pf");
	CU_ASSERT_EQUAL(vfb_path_rank("pf"), 0);
	CU_ASSERT(vfb_path_rank("vf") < vfb_path_rank("pv"));
	CU_ASSERT(vfb_path_rank("pv") < vfb_path_rank("unknown"));
	CU_ASSERT(vfb_path_rank("unknown") < vfb_path_rank(unknown));
	CU_ASSERT_PTR_NULL(vfb_path_kind_find(unknown));
	CU_ASSERT_STRING_EQUAL(vfb_path_color(unknown), "#7f7f7f");
	CU_ASSERT_STRING_NOT_EQUAL(vfb_path_color("vf"), vfb_path_color("pf"));
	vfb_path_kind_names(names, sizeof(names));
	want_names(want, sizeof(want));
	CU_ASSERT_STRING_EQUAL(names, want);
}

int test_classify_register(void)
{
	CU_pSuite s = CU_add_suite("bench/classify", NULL, NULL);

	if (!s || !CU_add_test(s, "classify captured trees", test_classify) ||
	    !CU_add_test(s, "path-kind table: recognition, order, names",
			 test_kinds) ||
	    !CU_add_test(s, "notes: a VF passed into a guest", test_notes))
		return -1;
	return 0;
}
