/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "sriov.h"
#include "suites.h"

static void test_read(void)
{
	static const struct {
		const char *tree, *bdf;
		int ret;
		long total, num, offset, stride;
		const char *vf_device;
	} cases[] = {
		/* captured in the lab: QEMU igb with 2 VFs */
		{ "lab-pair", "0000:01:00.0", 0, 7, 2, 128, 2, "10ca" },
		{ "mlx5-pf-vfs", "0000:03:00.0", 0, 8, 2, 2, 1, "101e" },
		{ "mlx5-pf-vfs", "0000:03:00.2", -ENODEV, 0, 0, 0, 0, "" },
		{ "lab-pair", "0000:09:00.0", -ENOENT, 0, 0, 0, 0, "" },
		{ "malformed", "0000:00:05.0", -EINVAL, 0, 0, 0, 0, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfb_fsroot *root = test_tree(cases[i].tree);
		struct sup_sriov sr;
		int ret = sup_sriov_read(root, cases[i].bdf, &sr);

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (ret == 0) {
			CU_ASSERT_EQUAL(sr.total_vfs, cases[i].total);
			CU_ASSERT_EQUAL(sr.num_vfs, cases[i].num);
			CU_ASSERT_EQUAL(sr.offset, cases[i].offset);
			CU_ASSERT_EQUAL(sr.stride, cases[i].stride);
			CU_ASSERT_STRING_EQUAL(sr.vf_device,
					       cases[i].vf_device);
		}
		vfb_fsroot_close(root);
	}
}

static void test_vf_index(void)
{
	struct vfb_fsroot *root = test_tree("mlx5-pf-vfs");

	CU_ASSERT_EQUAL(sup_vf_index(root, "0000:03:00.0", "0000:03:00.2"), 0);
	CU_ASSERT_EQUAL(sup_vf_index(root, "0000:03:00.0", "0000:03:00.3"), 1);
	CU_ASSERT_EQUAL(sup_vf_index(root, "0000:03:00.0", "0000:03:00.4"),
			-ENOENT);
	CU_ASSERT_EQUAL(sup_vf_index(root, "0000:07:00.0", "0000:03:00.2"),
			-ENOENT);
	vfb_fsroot_close(root);
}

int test_sriov_register(void)
{
	CU_pSuite s = CU_add_suite("setup/sriov", NULL, NULL);

	if (!s || !CU_add_test(s, "SR-IOV attributes", test_read) ||
	    !CU_add_test(s, "VF index under its PF", test_vf_index))
		return -1;
	return 0;
}
