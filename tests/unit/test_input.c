/* SPDX-License-Identifier: MIT */
/*
 * Untrusted input (issue 23): files from another host are read as data,
 * never blocked on, never trusted for their type, size or content.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "fsroot.h"
#include "suites.h"

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocking open is cut short after 2 s (EINTR): a test that would
 * hang fails instead. */
static void arm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	sigaction(SIGALRM, &sa, NULL);
	alarm(2);
}

/* A scratch directory holding a regular file, a FIFO, a link to the
 * FIFO and a directory. */
static void scratch(char *dir, size_t len)
{
	char p[600];
	FILE *f;

	snprintf(dir, len, "/tmp/vfb-input-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/file", dir);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("42\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink("fifo", p), 0);
	snprintf(p, sizeof(p), "%s/dir", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
}

static void scratch_rm(const char *dir)
{
	static const char *const names[] = { "file", "fifo", "link", "dir" };
	char p[600];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (remove(p))
			perror(p);
	}
	rmdir(dir);
}

static const struct {
	const char *name;
	int ret; /* 0: read */
} kinds[] = {
	{ "file", 0 },
	{ "fifo", -EINVAL },
	{ "link", -EINVAL },
	{ "dir", -EISDIR },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* vfb_file_open: only a regular file, a FIFO refused without blocking. */
static void test_file_open(void)
{
	char dir[64], p[600];
	size_t i;
	int fd;

	scratch(dir, sizeof(dir));
	for (i = 0; i < NKINDS; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, kinds[i].name);
		arm();
		fd = vfb_file_open(p);
		alarm(0);
		CU_ASSERT_EQUAL(fd < 0 ? fd : 0, kinds[i].ret);
		if (fd >= 0) {
			CU_ASSERT_FALSE(fcntl(fd, F_GETFL) & O_NONBLOCK);
			close(fd);
		}
	}
	scratch_rm(dir);
}

/* A sysfs attribute that is a FIFO (or a link to one) under --fsroot:
 * refused, never waited on (doctor and setup plan hung for ever). */
static void test_fsroot_fifo(void)
{
	char dir[64], buf[64];
	struct vfb_fsroot *root;
	size_t i;
	long v;
	int ret;

	scratch(dir, sizeof(dir));
	root = vfb_fsroot_open(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	for (i = 0; i < NKINDS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/%s", kinds[i].name);
		arm();
		ret = vfb_fs_read(root, path, buf, sizeof(buf));
		CU_ASSERT_EQUAL(ret, kinds[i].ret ? kinds[i].ret : 2);
		ret = vfb_fs_read_long(root, path, &v);
		CU_ASSERT_EQUAL(ret, kinds[i].ret);
		ret = vfb_fs_open(root, path, O_RDONLY);
		CU_ASSERT_EQUAL(ret < 0 ? ret : 0, kinds[i].ret);
		if (ret >= 0)
			close(ret);
		ret = vfb_fs_read_all(root, path, buf, sizeof(buf));
		CU_ASSERT_EQUAL(ret, kinds[i].ret ? kinds[i].ret : 3);
		if (kinds[i].ret) { /* a write to a FIFO blocks too */
			ret = vfb_fs_write(root, path, "1");
			CU_ASSERT_EQUAL(ret, kinds[i].ret);
		}
		alarm(0);
	}
	vfb_fsroot_close(root);
	scratch_rm(dir);
}

int test_input_register(void)
{
	CU_pSuite s = CU_add_suite("untrusted input", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "only regular files are opened", test_file_open) ||
	    !CU_add_test(s, "a FIFO in a sysfs tree is refused",
			 test_fsroot_fifo))
		return -1;
	return 0;
}
