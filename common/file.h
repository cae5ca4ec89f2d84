/* SPDX-License-Identifier: MIT */
#ifndef VFB_FILE_H
#define VFB_FILE_H

#include <stdio.h>

/*
 * Files that come from elsewhere (results, rules, samples, schedules):
 * only a regular file is read where a file is expected. A FIFO, socket
 * or device is refused rather than blocked on (the open is O_NONBLOCK,
 * the type checked with fstat on the opened file, so a symlink to one is
 * refused too), and a directory is said to be one.
 */

/* Open PATH for reading: an fd, or -EISDIR (a directory), -EINVAL (not a
 * regular file) or another negative errno. O_CLOEXEC, blocking again. */
int vfb_file_open(const char *path);
/* The same as a stdio stream: NULL with errno set. */
FILE *vfb_file_fopen(const char *path);
/* What ERR (a negative errno from the above) means, for a message:
 * "is a directory", "not a regular file", else strerror. */
const char *vfb_file_strerror(int err);

/* Replace PATH whole or not at all: WRITE(f, ARG) fills PATH.tmp.PID
 * (created anew, not through a link), which is flushed, synced and
 * renamed over PATH; on any failure it is removed and PATH left as it
 * was. 0 or a negative errno (WRITE's own, or -EIO where it left the
 * stream in error). */
int vfb_file_replace(const char *path, int (*write)(FILE *f, void *arg),
		     void *arg);

#endif
