/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The run's scratch folder, in $TMPDIR or /tmp: every test's files go
 * under it, and main() removes it whole, whatever the tests did. */
static char scratch_root[256];

char *test_capture(int fd, int (*cmd)(int, char **), int argc, char **argv,
		   int *rc)
{
	FILE *f = tmpfile();
	int saved = dup(fd);
	char *buf;
	long len;

	CU_ASSERT_FATAL(f && saved >= 0);
	fflush(fd == STDOUT_FILENO ? stdout : stderr);
	dup2(fileno(f), fd);
	*rc = cmd(argc, argv);
	fflush(fd == STDOUT_FILENO ? stdout : stderr);
	dup2(saved, fd);
	close(saved);
	len = ftell(f);
	buf = calloc(1, (size_t)len + 1);
	rewind(f);
	CU_ASSERT_FATAL(buf && fread(buf, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	return buf;
}

void test_scratch(char *path, size_t len, const char *name)
{
	CU_ASSERT_FATAL(scratch_root[0] != '\0');
	CU_ASSERT_FATAL(snprintf(path, len, "%s/%s-XXXXXX", scratch_root,
				 name) < (int)len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(path));
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) ? -1 : 0;
	return unlink(path) ? -1 : 0;
}

int test_rm_tree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int scratch_begin(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch_root, sizeof(scratch_root), "%s/vfb-unit.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(scratch_root))
		return 0;
	perror(scratch_root);
	return -1;
}

/* Each test removes what it made: whatever is left is listed, then
 * removed, and the run fails. */
static int scratch_end(void)
{
	struct dirent *e;
	char path[512];
	DIR *d;

	if (!rmdir(scratch_root))
		return 0;
	d = opendir(scratch_root);
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", scratch_root,
				 e->d_name);
			fprintf(stderr, "left behind by a test: %s\n", path);
		}
	if (d)
		closedir(d);
	if (test_rm_tree(scratch_root))
		perror(scratch_root);
	return -1;
}

int main(int argc, char **argv)
{
	static int (*const suites[])(void) = {
		test_fsroot_register,	  test_opt_register,
		test_sriov_register,	  test_classify_register,
		test_csv_register,	  test_stats_register,
		test_proto_register,	  test_bench_register,
		test_report_register,	  test_setup_register,
		test_engine_register,	  test_compare_register,
		test_doctor_register,	  test_share_register,
		test_mesh_register,	  test_detect_register,
		test_input_register,	  test_escape_register,
		test_columns_register,	  test_help_register,
		test_options_register,	  test_manual_register,
		test_perftest_register,	  test_validate_register,
		test_valrows_register,	  test_valrop_register,
		test_valprotect_register, test_valrun_register,
		test_health_register,	  test_prom_register,
		test_qualify_register,	  test_drill_register,
	};
	unsigned int failed;
	size_t i;

	if (scratch_begin())
		return 2;
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
	if (argc > 1) /* one suite, by name: vfb_unit mesh/detect */
		CU_basic_run_suite(CU_get_suite(argv[1]));
	else
		CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	if (scratch_end())
		return 1;
	return failed ? 1 : 0;
}
