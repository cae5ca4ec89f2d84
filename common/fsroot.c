/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsroot.h"

#define FS_MAX_LINKS 40

struct vfb_fsroot {
	int fd;
	char *dir;
};

struct vfb_fsroot *vfb_fsroot_open(const char *dir)
{
	struct vfb_fsroot *root;

	root = calloc(1, sizeof(*root));
	if (!root)
		return NULL;
	root->dir = strdup(dir);
	if (!root->dir)
		goto err_free;
	root->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0)
		goto err_dir;
	return root;

err_dir:
	free(root->dir);
err_free:
	free(root);
	return NULL;
}

void vfb_fsroot_close(struct vfb_fsroot *root)
{
	if (!root)
		return;
	close(root->fd);
	free(root->dir);
	free(root);
}

const char *vfb_fsroot_dir(const struct vfb_fsroot *root)
{
	return root->dir;
}

/* "/a/b" -> "a/b", "/" -> "." : a path for the *at() calls. */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* Drop the last component of the canonical path in BUF ("/" stays). */
static void pop_component(char *buf)
{
	char *slash = strrchr(buf, '/');

	if (slash)
		*slash = '\0';
}

/*
 * Resolve one component NAME appended to OUT; when it is a symlink, the
 * link target is pushed in front of REST, to be walked next.
 */
static int resolve_step(const struct vfb_fsroot *root, char *out, size_t len,
			const char *name, char *rest, int *links)
{
	char target[PATH_MAX], joined[PATH_MAX];
	struct stat st;
	size_t used = strlen(out);
	ssize_t n;

	if (used + 1 + strlen(name) + 1 > len)
		return -ENAMETOOLONG;
	snprintf(out + used, len - used, "/%s", name);
	if (fstatat(root->fd, rel(out), &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode))
		return 0;
	if (++*links > FS_MAX_LINKS)
		return -ELOOP;
	n = readlinkat(root->fd, rel(out), target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	out[used] = '\0';
	if (target[0] == '/')
		out[0] = '\0';
	if (snprintf(joined, sizeof(joined), "%s/%s", target, rest) >=
	    (int)sizeof(joined))
		return -ENAMETOOLONG;
	strcpy(rest, joined);
	return 0;
}

int vfb_fs_resolve(const struct vfb_fsroot *root, const char *path, char *out,
		   size_t len)
{
	char rest[PATH_MAX], name[NAME_MAX + 1];
	int links = 0, ret;

	if (path[0] != '/' || strlen(path) >= sizeof(rest) || len < 2)
		return -EINVAL;
	strcpy(rest, path);
	out[0] = '\0';
	while (rest[0]) {
		char *p = rest + strspn(rest, "/");
		size_t n = strcspn(p, "/");

		if (n == 0)
			break;
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, p, n);
		name[n] = '\0';
		memmove(rest, p + n, strlen(p + n) + 1);
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			pop_component(out);
			continue;
		}
		ret = resolve_step(root, out, len, name, rest, &links);
		if (ret)
			return ret;
	}
	if (!out[0])
		strcpy(out, "/");
	return 0;
}

static int open_in(const struct vfb_fsroot *root, const char *path, int flags)
{
	char real[PATH_MAX];
	int ret, fd;

	ret = vfb_fs_resolve(root, path, real, sizeof(real));
	if (ret)
		return ret;
	fd = openat(root->fd, rel(real), flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * Open a file where a file is expected: O_NONBLOCK, so that a FIFO (or a
 * link to one) planted in a tree cannot block the open, then fstat on
 * what was opened. Attributes in sysfs and files in procfs are regular
 * files; DEV_OK lets a character device through (/dev/kmsg), which then
 * stays non-blocking. -EISDIR, -EINVAL (another type) or an fd.
 */
static int open_file(const struct vfb_fsroot *root, const char *path, int flags,
		     bool dev_ok)
{
	struct stat st;
	int fd, ret;

	fd = open_in(root, path, flags | O_NONBLOCK);
	if (fd == -ENXIO) /* written, a FIFO no one reads (or a device) */
		return -EINVAL;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto err;
	}
	if (dev_ok && S_ISCHR(st.st_mode))
		return fd;
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto err;
	}
	if (fcntl(fd, F_SETFL, flags & ~(O_ACCMODE | O_CREAT | O_EXCL))) {
		ret = -errno;
		goto err;
	}
	return fd;

err:
	close(fd);
	return ret;
}

int vfb_fs_read(const struct vfb_fsroot *root, const char *path, char *buf,
		size_t len)
{
	ssize_t n;
	int fd;

	if (len == 0)
		return -EINVAL;
	fd = open_file(root, path, O_RDONLY, false);
	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return n;
}

int vfb_fs_open(const struct vfb_fsroot *root, const char *path, int flags)
{
	return open_file(root, path, flags, false);
}

int vfb_fs_read_all(const struct vfb_fsroot *root, const char *path, char *buf,
		    size_t len)
{
	size_t used = 0;
	ssize_t n;
	int fd;

	if (len == 0)
		return -EINVAL;
	fd = open_file(root, path, O_RDONLY, true);
	if (fd < 0)
		return fd;
	/* /dev/kmsg gives a record a read, EPIPE when one was overwritten
	 * and EAGAIN at its end; a file or a seq_file gives EOF. */
	while (used + 1 < len) {
		n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return (int)used;
}

int vfb_fs_read_long(const struct vfb_fsroot *root, const char *path, long *val)
{
	char buf[64], *end;
	int ret;

	ret = vfb_fs_read(root, path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	*val = strtol(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int vfb_fs_write(const struct vfb_fsroot *root, const char *path,
		 const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret = 0;

	fd = open_file(root, path, O_WRONLY, false);
	if (fd < 0)
		return fd;
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

int vfb_fs_link_name(const struct vfb_fsroot *root, const char *path, char *out,
		     size_t len)
{
	char real[PATH_MAX];
	const char *base;
	int ret;

	ret = vfb_fs_resolve(root, path, real, sizeof(real));
	if (ret)
		return ret;
	base = strrchr(real, '/') + 1;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(out, base);
	return 0;
}

bool vfb_fs_exists(const struct vfb_fsroot *root, const char *path)
{
	char real[PATH_MAX];

	return vfb_fs_resolve(root, path, real, sizeof(real)) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vfb_fs_list(const struct vfb_fsroot *root, const char *path,
		vfb_fs_dir_fn fn, void *arg)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	int fd, ret = 0;
	DIR *dir;

	fd = open_in(root, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				ret = -ENOMEM;
				goto out;
			}
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			ret = -ENOMEM;
			goto out;
		}
		n++;
	}
	if (n) /* an empty directory: no array to sort */
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !ret; i++)
		ret = fn(names[i], arg);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return ret;
}

struct first_arg {
	char *out;
	size_t len;
};

static int take_first(const char *name, void *arg)
{
	struct first_arg *a = arg;

	snprintf(a->out, a->len, "%s", name);
	return 1;
}

int vfb_fs_first(const struct vfb_fsroot *root, const char *path, char *out,
		 size_t len)
{
	struct first_arg a = { out, len };
	int ret;

	out[0] = '\0';
	ret = vfb_fs_list(root, path, take_first, &a);
	return ret > 0 ? 0 : ret < 0 ? ret : -ENOENT;
}
