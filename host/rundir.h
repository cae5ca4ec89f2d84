/* SPDX-License-Identifier: MIT */
#ifndef HOST_RUNDIR_H
#define HOST_RUNDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "opt.h"
#include "result.h"

/*
 * A results directory: results.csv written row by row and flushed, so an
 * interrupted run keeps every finished row; run.json (the environment and
 * how the run ended) replaced atomically (write, fsync, rename) at the
 * start and at the end.
 */
struct rpt_prom;
struct host_rundir {
	char dir[PATH_MAX];
	char run_id[64];
	char host[64];
	FILE *csv;
	json_object *meta;
	int rows, errors;
	struct rpt_prom *prom; /* --prom: every row, written at the close */
	const char *prom_path;
};

/* DIR NULL: results/<run-id> under the current directory. */
/* OPT PATH (of command CMD) names a file (not a directory) in an
 * existing folder; else one error line and -EINVAL. */
/* The outputs a scenario writes, one option table in categories (a
 * command takes those it writes): --out, --csv, --json, --perftest-json. */
enum host_out_cat {
	HOST_OUT_DIR = 1 << 0,
	HOST_OUT_CSV = 1 << 1,
	HOST_OUT_JSON = 1 << 2,
	HOST_OUT_PERFTEST = 1 << 3, /* --perftest-json */
	HOST_OUT_PROM = 1 << 4,	    /* --prom: Prometheus' text format */
};
struct host_outs {
	const char *dir, *csv, *json, *perftest, *prom;
};
extern const struct vfb_opt host_out_opts[];
/* Decided before any device is looked at: each file given the right kind
 * of thing, not two outputs in one file, a results directory that holds
 * no run. 0, or -EINVAL after one line naming the option (CMD: ...). */
int host_outs_check(const char *cmd, const struct host_outs *o);

int host_out_file_check(const char *cmd, const char *opt, const char *path);
/* OPT DIR (of CMD) names a results directory to create or fill: not a
 * file, no file on its path, not holding a run; else one error line and
 * -EINVAL. */
int host_out_dir_check(const char *cmd, const char *opt, const char *dir);
/* DIR holds a run already (results.csv or run.json). */
bool host_rundir_taken(const char *dir);
int host_rundir_open(struct host_rundir *rd, const char *dir, json_object *meta,
		     char *err, size_t errlen);
int host_rundir_row(struct host_rundir *rd, const struct vfb_result *r);
/* --prom PATH (NULL: none): the rows also kept for Prometheus, written
 * to PATH at the close (prom.h). 0 or -ENOMEM. */
int host_rundir_prom(struct host_rundir *rd, const char *path);
/* STATUS: "completed" or "interrupted..."; writes run.json (and --prom's
 * file, a failure logged naming it), closes. */
int host_rundir_close(struct host_rundir *rd, const char *status);
/* The status of a run stopped by signal SIG: "interrupted: SIGTERM", and
 * the first line of the file $VFB_STOP_REASON_FILE names, where the one
 * that sent the signal left a reason there (lab/lab does). */
void host_rundir_interrupted(int sig, char *buf, size_t len);

/* The whole of the text file at PATH into *TEXT, NUL-terminated (the
 * caller frees it): 0, or a negative errno (errno set as well): -EISDIR,
 * -EINVAL (not a regular file: a FIFO is never waited on), -EBADMSG (a
 * NUL byte inside), ... An empty file is "". */
int host_read_text(const char *path, char **text);
/* ERR from host_read_text, for a message. */
const char *host_read_strerror(int err);

/* Write OBJ to PATH atomically (PATH.tmp, fsync, rename). */
int host_json_write_atomic(const char *path, json_object *obj);
/* "2026-11-25T09:10:11Z" */
void host_iso_time(time_t t, char *buf, size_t len);

#endif
