/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsroot.h"
#include "suites.h"

static void test_resolve(void)
{
	static const struct {
		const char *tree, *path, *want;
		int ret;
	} cases[] = {
		{ "lab-pair", "/sys/class/net/pf0/device",
		  "/sys/devices/pci0000:00/0000:00:07.0/0000:01:00.0", 0 },
		{ "lab-pair", "/sys/class/net/pv0/device/..",
		  "/sys/devices/pci0000:00/0000:00:08.0", 0 },
		{ "lab-pair", "/sys/bus/pci/devices/0000:01:10.0/physfn",
		  "/sys/devices/pci0000:00/0000:00:07.0/0000:01:00.0", 0 },
		{ "lab-pair", "/../../../sys/class", "/sys/class", 0 },
		{ "lab-pair", "/", "/", 0 },
		{ "lab-pair", "/sys/class/net/nosuch", NULL, -ENOENT },
		{ "lab-pair", "relative/path", NULL, -EINVAL },
		{ "malformed", "/sys/class/net/eth9", NULL, -ENOENT },
		{ "malformed", "/sys/class/net/loop", NULL, -ELOOP },
	};
	char out[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfb_fsroot *root = test_tree(cases[i].tree);
		int ret = vfb_fs_resolve(root, cases[i].path, out, sizeof(out));

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (cases[i].want && ret == 0)
			CU_ASSERT_STRING_EQUAL(out, cases[i].want);
		vfb_fsroot_close(root);
	}
}

static void test_read(void)
{
	struct vfb_fsroot *root = test_tree("lab-pair");
	char buf[64];
	long v;

	CU_ASSERT_EQUAL(vfb_fs_read(root, "/sys/class/infiniband/rxe_pv/parent",
				    buf, sizeof(buf)),
			3);
	CU_ASSERT_STRING_EQUAL(buf, "pv0");
	CU_ASSERT_EQUAL(
		vfb_fs_read_long(
			root,
			"/sys/bus/pci/devices/0000:01:00.0/sriov_totalvfs", &v),
		0);
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(vfb_fs_read_long(root,
					 "/sys/class/infiniband/rxe_pv/parent",
					 &v),
			-EINVAL);
	CU_ASSERT_EQUAL(vfb_fs_read(root, "/sys/nosuch", buf, sizeof(buf)),
			-ENOENT);
	CU_ASSERT_EQUAL(vfb_fs_link_name(root,
					 "/sys/class/net/pf0/device/driver",
					 buf, sizeof(buf)),
			0);
	CU_ASSERT_STRING_EQUAL(buf, "igb");
	CU_ASSERT_TRUE(vfb_fs_exists(root, "/sys/class/infiniband/rxe_vf1"));
	CU_ASSERT_FALSE(vfb_fs_exists(root, "/sys/class/infiniband/rxe_vf7"));
	vfb_fsroot_close(root);
}

static int collect(const char *name, void *arg)
{
	char *acc = arg;

	strcat(acc, name);
	strcat(acc, " ");
	return 0;
}

static void test_list_write(void)
{
	char dir[256], path[300], buf[32] = "";
	struct vfb_fsroot *root;
	FILE *f;

	test_scratch(dir, sizeof(dir), "fsroot");
	snprintf(path, sizeof(path), "%s/b", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a", dir);
	CU_ASSERT_EQUAL(symlink("b", path), 0);
	root = vfb_fsroot_open(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(vfb_fs_list(root, "/", collect, buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "a b ");
	CU_ASSERT_EQUAL(vfb_fs_write(root, "/a", "42\n"), 0);
	CU_ASSERT_EQUAL(vfb_fs_read(root, "/b", buf, sizeof(buf)), 2);
	CU_ASSERT_STRING_EQUAL(buf, "42");
	CU_ASSERT_EQUAL(vfb_fs_write(root, "/nosuch/x", "1"), -ENOENT);
	/* an empty directory: no entry, no error (nothing to sort) */
	snprintf(path, sizeof(path), "%s/empty", dir);
	CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
	buf[0] = '\0';
	CU_ASSERT_EQUAL(vfb_fs_list(root, "/empty", collect, buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	rmdir(path);
	vfb_fsroot_close(root);
	snprintf(path, sizeof(path), "%s/a", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b", dir);
	unlink(path);
	rmdir(dir);
	CU_ASSERT_PTR_NULL(vfb_fsroot_open(dir));
}

int test_fsroot_register(void)
{
	CU_pSuite s = CU_add_suite("common/fsroot", NULL, NULL);

	if (!s || !CU_add_test(s, "resolve inside the root", test_resolve) ||
	    !CU_add_test(s, "read attributes and links", test_read) ||
	    !CU_add_test(s, "list and write", test_list_write))
		return -1;
	return 0;
}
