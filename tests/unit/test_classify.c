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
		enum bench_path path;
		const char *provider, *netdev, *pci, *driver, *pf_pci;
		int vf_index, numa;
		bool software, sriov;
	} cases[] = {
		/* captured in the lab: rxe over the igb PF, its VFs, virtio */
		{ "lab-pair", "rxe_pf", 0, BENCH_PATH_PF, "rxe", "pf0",
		  "0000:01:00.0", "igb", "", -1, -1, true, true },
		{ "lab-pair", "rxe_vf0", 0, BENCH_PATH_VF, "rxe", "eth0",
		  "0000:01:10.0", "igbvf", "0000:01:00.0", 0, -1, true, false },
		{ "lab-pair", "rxe_vf1", 0, BENCH_PATH_VF, "rxe", "eth1",
		  "0000:01:10.2", "igbvf", "0000:01:00.0", 1, -1, true, false },
		{ "lab-pair", "rxe_pv", 0, BENCH_PATH_PV, "rxe", "pv0",
		  "0000:00:08.0", "virtio_net", "", -1, -1, true, false },
		/* hardware provider: mlx5 PF with VFs, from the documented ABI */
		{ "mlx5-pf-vfs", "mlx5_0", 0, BENCH_PATH_PF, "mlx5_core", "eth0",
		  "0000:03:00.0", "mlx5_core", "", -1, 1, false, true },
		{ "mlx5-pf-vfs", "mlx5_3", 0, BENCH_PATH_VF, "mlx5_core", "eth3",
		  "0000:03:00.3", "mlx5_core", "0000:03:00.0", 1, 1, false,
		  false },
		/* malformed trees: an error for that device, never a crash */
		{ "malformed", "rxe_gone", -ENOENT, BENCH_PATH_UNKNOWN, "rxe",
		  "eth9", "", "", "", -1, -1, true, false },
		{ "malformed", "rxe_bare", -ENODEV, BENCH_PATH_UNKNOWN, "", "",
		  "", "", "", -1, -1, false, false },
		{ "malformed", "hw_0", -EINVAL, BENCH_PATH_UNKNOWN, "", "",
		  "0000:00:05.0", "", "", -1, -1, false, false },
		{ "malformed", "rxe_loop", -ELOOP, BENCH_PATH_UNKNOWN, "rxe",
		  "loop", "", "", "", -1, -1, true, false },
		{ "malformed", "nosuch", -ENOENT, BENCH_PATH_UNKNOWN, "", "",
		  "", "", "", -1, -1, false, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfb_fsroot *root = test_tree(cases[i].tree);
		struct bench_devclass dc;
		int ret = bench_classify(root, cases[i].ibdev, &dc);

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		CU_ASSERT_EQUAL(dc.path, cases[i].path);
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
		CU_ASSERT_EQUAL(ret != 0, strstr(dc.error, cases[i].ibdev) != NULL);
		vfb_fsroot_close(root);
	}
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(bench_path_name(BENCH_PATH_PF), "pf");
	CU_ASSERT_STRING_EQUAL(bench_path_name(BENCH_PATH_VF), "vf");
	CU_ASSERT_STRING_EQUAL(bench_path_name(BENCH_PATH_PV), "pv");
	CU_ASSERT_STRING_EQUAL(bench_path_name((enum bench_path)42), "unknown");
}

int test_classify_register(void)
{
	CU_pSuite s = CU_add_suite("bench/classify", NULL, NULL);

	if (!s || !CU_add_test(s, "classify captured trees", test_classify) ||
	    !CU_add_test(s, "path names", test_names))
		return -1;
	return 0;
}
