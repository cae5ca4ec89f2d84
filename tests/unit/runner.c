/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "fsroot.h"
#include "suites.h"

struct vfb_fsroot *test_tree(const char *name)
{
	char path[512];
	struct vfb_fsroot *root;

	snprintf(path, sizeof(path), "%s/sysfs/%s", VFB_TEST_DATA, name);
	root = vfb_fsroot_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	return root;
}

int main(void)
{
	static int (*const suites[])(void) = {
		test_fsroot_register, test_opt_register,
		test_sriov_register,  test_classify_register,
		test_csv_register,    test_stats_register,
		test_proto_register,  test_bench_register,
		test_report_register, test_setup_register,
		test_engine_register, test_compare_register,
		test_doctor_register, test_share_register,
		test_mesh_register,   test_input_register,
		test_escape_register, test_columns_register,
		test_help_register,
	};
	unsigned int failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i]()) {
			fprintf(stderr, "suite registration failed: %s\n",
				CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
