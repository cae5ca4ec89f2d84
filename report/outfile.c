/* SPDX-License-Identifier: MIT */
/* Output files written whole and never through a link (outfile.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

#define TRIES 64

/* One path component of a file of ours: not empty, no '/', not a dot
 * folder, room left for the temporary name. */
static bool component(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..") && strlen(name) <= NAME_MAX - 32;
}

int rpt_out_open(struct rpt_out *o, int dirfd, const char *name)
{
	static unsigned int seq;
	int fd = -1, i;

	memset(o, 0, sizeof(*o));
	o->dirfd = dirfd;
	if (!component(name))
		return -EINVAL;
	snprintf(o->name, sizeof(o->name), "%s", name);
	for (i = 0; i < TRIES && fd < 0; i++) {
		snprintf(o->tmp, sizeof(o->tmp), ".%s.%ld.%u.tmp", name,
			 (long)getpid(), seq++);
		fd = openat(dirfd, o->tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    0666);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int ret = -errno;

		close(fd);
		unlinkat(dirfd, o->tmp, 0);
		return ret;
	}
	return 0;
}

int rpt_out_path(struct rpt_out *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd, ret;

	if (!slash)
		return rpt_out_open(o, AT_FDCWD, path);
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(slash == path ? "/" : dir,
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = rpt_out_open(o, fd, slash + 1);
	if (ret) {
		close(fd);
		return ret;
	}
	o->own_dir = true;
	return 0;
}

static void release(struct rpt_out *o)
{
	if (o->own_dir)
		close(o->dirfd);
	o->own_dir = false;
	o->f = NULL;
}

int rpt_out_commit(struct rpt_out *o)
{
	int ret = 0;

	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		ret = errno ? -errno : -EIO;
	if (fclose(o->f) && !ret)
		ret = -errno;
	if (!ret && renameat(o->dirfd, o->tmp, o->dirfd, o->name))
		ret = -errno;
	if (ret)
		unlinkat(o->dirfd, o->tmp, 0);
	release(o);
	return ret;
}

void rpt_out_discard(struct rpt_out *o)
{
	if (!o->f)
		return;
	fclose(o->f);
	unlinkat(o->dirfd, o->tmp, 0);
	release(o);
}

int rpt_subdir_open(int dirfd, const char *name, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdirat(dirfd, name, 0755) && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno != ELOOP && errno != ENOTDIR)
		return -errno;
	if (!fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISLNK(st.st_mode))
		return -ELOOP;
	return -ENOTDIR;
}

int rpt_stage_make(int dirfd, char *name, size_t len)
{
	static unsigned int seq;
	int i, fd;

	for (i = 0; i < TRIES; i++) {
		snprintf(name, len, ".stage.%ld.%u", (long)getpid(), seq++);
		if (!mkdirat(dirfd, name, 0700))
			break;
		if (errno != EEXIST)
			return -errno;
	}
	if (i == TRIES)
		return -EEXIST;
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		unlinkat(dirfd, name, AT_REMOVEDIR);
	}
	return fd;
}

/* Each entry of the stage: its regular files renamed into DESTFD (< 0:
 * removed), anything else removed. The first error. */
static int empty_stage(int stagefd, int destfd)
{
	struct dirent *e;
	struct stat st;
	int fd = dup(stagefd), ret = 0;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (destfd >= 0 &&
		    !fstatat(stagefd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    S_ISREG(st.st_mode)) {
			if (!renameat(stagefd, e->d_name, destfd, e->d_name))
				continue;
			ret = ret ? ret : -errno;
		}
		unlinkat(stagefd, e->d_name, 0);
	}
	closedir(d);
	return ret;
}

int rpt_stage_publish(int dirfd, const char *name, int stagefd, int destfd)
{
	int ret = empty_stage(stagefd, destfd);

	close(stagefd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) && !ret)
		ret = -errno;
	return ret;
}

void rpt_stage_remove(int dirfd, const char *name, int stagefd)
{
	empty_stage(stagefd, -1);
	close(stagefd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}
