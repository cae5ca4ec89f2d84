/* SPDX-License-Identifier: MIT */
#ifndef VFB_TEST_SUITES_H
#define VFB_TEST_SUITES_H

#include <CUnit/CUnit.h>

/* One suite per module; each registers its table-driven cases. */
int test_fsroot_register(void);
int test_opt_register(void);
int test_sriov_register(void);
int test_classify_register(void);
int test_csv_register(void);
int test_stats_register(void);
int test_proto_register(void);
int test_bench_register(void);
int test_report_register(void);
int test_setup_register(void);
int test_engine_register(void);
int test_compare_register(void);
int test_doctor_register(void);
int test_share_register(void);
int test_mesh_register(void);
int test_detect_register(void);
int test_input_register(void);
int test_escape_register(void);
/* test_lists.c's tests, added to test_engine's suite in its order. */
int test_lists_add(CU_pSuite s);
int test_columns_register(void);
int test_help_register(void);
int test_options_register(void);
int test_manual_register(void);
int test_perftest_register(void);
int test_validate_register(void);
int test_valrows_register(void);
int test_valrop_register(void);
int test_valprotect_register(void);
int test_valrun_register(void);
int test_health_register(void);
int test_prom_register(void);
int test_qualify_register(void);
int test_drill_register(void);

/* Open a tree under tests/data/sysfs (aborts the test on failure). */
struct vfb_fsroot *test_tree(const char *name);

/* A new folder NAME-XXXXXX in PATH, under the run's scratch folder
 * ($TMPDIR or /tmp), which the runner removes whole at the end, pass or
 * fail (aborts the test on failure). */
void test_scratch(char *path, size_t len, const char *name);
/* Run CMD (ARGC, ARGV) with FD (STDOUT_FILENO or STDERR_FILENO) going to
 * a temporary file: what it wrote there (the caller frees it); its exit
 * code in *RC. */
char *test_capture(int fd, int (*cmd)(int, char **), int argc, char **argv,
		   int *rc);
/* Remove PATH and all under it, links not followed: 0 or -1 (errno). */
int test_rm_tree(const char *path);

#endif
