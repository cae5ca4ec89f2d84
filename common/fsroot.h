/* SPDX-License-Identifier: MIT */
#ifndef VFB_FSROOT_H
#define VFB_FSROOT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Every sysfs/procfs access goes through a root directory, as hwloc's
 * fsroot does: "/" on a live system, a captured tree in tests. Paths are
 * absolute ("/sys/class/net/eth0/device") and are resolved inside the
 * root, symlinks included: a link can never escape it.
 *
 * Error contract: functions returning int give 0 (or a length) on
 * success and a negative errno on failure; they never log.
 *
 * Where a file is expected (read, read_long, write, open) only a regular
 * file is opened, as every sysfs attribute and procfs file is: a
 * directory gives -EISDIR, a FIFO, socket or device (or a link to one)
 * -EINVAL, without blocking on it. read_all also takes a character
 * device (/dev/kmsg).
 */
struct vfb_fsroot;

struct vfb_fsroot *vfb_fsroot_open(const char *dir);
void vfb_fsroot_close(struct vfb_fsroot *root);
const char *vfb_fsroot_dir(const struct vfb_fsroot *root);

/* Read a whole small file, trailing newlines stripped; returns length. */
int vfb_fs_read(const struct vfb_fsroot *root, const char *path, char *buf,
		size_t len);
/* Open PATH inside the root (O_CLOEXEC added); an fd or a negative errno. */
int vfb_fs_open(const struct vfb_fsroot *root, const char *path, int flags);
/* Read a whole file of any size up to LEN - 1 bytes, as it is (a /proc
 * file, /dev/kmsg's records up to its end); returns the length. */
int vfb_fs_read_all(const struct vfb_fsroot *root, const char *path, char *buf,
		    size_t len);
/* Read a file holding one integer (decimal, or 0x hex). */
int vfb_fs_read_long(const struct vfb_fsroot *root, const char *path,
		     long *val);
/* Write a value to a file (a sysfs attribute), as one write. */
int vfb_fs_write(const struct vfb_fsroot *root, const char *path,
		 const char *val);
/* Canonical path of PATH inside the root, every symlink followed. */
int vfb_fs_resolve(const struct vfb_fsroot *root, const char *path, char *out,
		   size_t len);
/* Last component of the resolved target of a symlink ("igb" for .../driver). */
int vfb_fs_link_name(const struct vfb_fsroot *root, const char *path, char *out,
		     size_t len);
bool vfb_fs_exists(const struct vfb_fsroot *root, const char *path);

/*
 * Call FN for each entry of directory PATH (not "." nor ".."), in name
 * order; stops at the first non-zero return of FN and returns it.
 */
typedef int (*vfb_fs_dir_fn)(const char *name, void *arg);
int vfb_fs_list(const struct vfb_fsroot *root, const char *path,
		vfb_fs_dir_fn fn, void *arg);

/* The first entry of directory PATH in name order, into OUT. */
int vfb_fs_first(const struct vfb_fsroot *root, const char *path, char *out,
		 size_t len);

#endif
