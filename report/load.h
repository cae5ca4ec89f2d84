/* SPDX-License-Identifier: MIT */
#ifndef RPT_LOAD_H
#define RPT_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "result.h"

struct rpt_index;

/* A results directory read back: its rows and its run.json. */
struct rpt_run {
	char dir[512];
	struct vfb_result *rows; /* the plain run's rows (no scenario) */
	size_t nrows;
	struct vfb_result *share; /* vfbench share's rows, in their order */
	size_t nshare;
	struct vfb_result *mesh; /* vfbench mesh's rows (a host pair each) */
	size_t nmesh;
	struct vfb_result
		*validate; /* vfbench validate's rows (a check each) */
	size_t nvalidate;
	struct vfb_result
		*drill; /* vfbench drill's rows (intervals, summaries) */
	size_t ndrill;
	json_object *meta;	 /* run.json, its keys' types checked */
	size_t nrefused;	 /* rows refused (said on stderr as read) */
	size_t nsamples_bad;	 /* latency rows whose samples are missing or
			      * corrupt (said on stderr as read) */
	struct rpt_index *index; /* the rows by case, built on first use */
};

/* Ranks of a mesh row: 0 .. RPT_MESH_MAX_RANKS - 1 (more refuse the row). */
#define RPT_MESH_MAX_RANKS 65536

/*
 * Read DIR/results.csv and DIR/run.json. Returns 0, or -EINVAL/-ENOENT
 * with ERR naming the file, the line and what is wrong (missing, empty or
 * corrupt CSV, not a regular file, a run.json of another schema or whose
 * keys are of the wrong type). Rows that parse but hold what no
 * measurement gives (a figure nan, inf or negative; mesh ranks missing
 * or out of range) are refused one by one: warned on stderr with
 * file:line and counted in RUN->nrefused. See docs/untrusted-input.md.
 */
int rpt_run_load(const char *dir, struct rpt_run *run, char *err,
		 size_t errlen);
void rpt_run_free(struct rpt_run *run);
/* Only the index of a run whose rows the caller owns (a test's). */
void rpt_index_free(struct rpt_index *index);
/* Only the rows: a results.csv stream (header first) into RUN->rows. */
int rpt_rows_read(FILE *f, struct rpt_run *run, char *err, size_t errlen);
/* The rows of a results.csv stream (header first), one at a time into
 * ROW (CTX, the row; a negative errno stops the read), none held: the
 * same checks as rpt_rows_read, a refused row counted in *NREFUSED and
 * said on stderr naming FILE. 0 or a negative errno, ERR saying why. */
int rpt_rows_each(FILE *f, const char *file,
		  int (*row)(void *ctx, struct vfb_result *r), void *ctx,
		  size_t *nrefused, char *err, size_t errlen);

/* Split one CSV record (RFC 4180) of LINE into at most MAX fields, in place. */
int rpt_csv_split(char *line, char **fields, int max);

/* A field of a row by CSV column name (lat_p50_us, ...): NAN if unset. */
double rpt_metric(const struct vfb_result *r, const char *name);
bool rpt_metric_known(const char *name);

/* The value of key K in the run.json object M as text, "-" when unset. */
const char *rpt_meta_str(json_object *m, const char *k);

#endif
