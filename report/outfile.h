/* SPDX-License-Identifier: MIT */
#ifndef RPT_OUTFILE_H
#define RPT_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * Every file report and gate write, written whole or not at all and
 * never through a link: into a new file next to it (O_CREAT | O_EXCL |
 * O_NOFOLLOW), renamed over the name at the end. rename() replaces a
 * symbolic link or a hard link planted under that name, never what it
 * points to, and a report interrupted half-way (SIGINT, a full disk)
 * leaves the previous complete file.
 */
/* An open output folder, and its name for messages. */
struct rpt_dir {
	int fd;
	const char *path;
};

struct rpt_out {
	FILE *f;
	int dirfd;
	bool own_dir; /* rpt_out_path opened DIRFD */
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
};

/* NAME (one path component) in the folder DIRFD: 0 or a negative errno. */
int rpt_out_open(struct rpt_out *o, int dirfd, const char *name);
/* PATH (the folders on the way are the caller's, followed). */
int rpt_out_path(struct rpt_out *o, const char *path);
/* Flush, close and rename into place: 0, or a negative errno with the
 * temporary file removed and the old file left. */
int rpt_out_commit(struct rpt_out *o);
/* Close and remove the temporary file; the old file stays. */
void rpt_out_discard(struct rpt_out *o);

/* The folder NAME in DIRFD, made when CREATE and missing, never through
 * a link: its descriptor, -ELOOP when NAME is a symbolic link, -ENOTDIR
 * when it is not a folder, or another negative errno. */
int rpt_subdir_open(int dirfd, const char *name, bool create);

/*
 * A new private folder in DIRFD (mode 0700, named in NAME) for files a
 * program other than vfbench writes (gnuplot's images): nothing planted
 * can be in it. rpt_stage_publish moves its regular files into DEST
 * (rename: over any link of that name) and removes it.
 */
int rpt_stage_make(int dirfd, char *name, size_t len);
int rpt_stage_publish(int dirfd, const char *name, int stagefd, int destfd);
/* Remove the stage and what is in it (after a failure). */
void rpt_stage_remove(int dirfd, const char *name, int stagefd);

#endif
