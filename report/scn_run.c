/* SPDX-License-Identifier: MIT */
/* The run (scenario.h): what a report says first of any run, from its
 * run.json: whether it completed, how to read it, where it ran. */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "scn.h"

/* A run that did not complete says so first (an older run.json without
 * a status is taken as complete). */
static bool incomplete(const struct rpt_view *v, size_t *at, char *buf,
		       size_t len)
{
	const char *st = rpt_meta_str(v->run->meta, "status");

	if ((*at)++ || !strcmp(st, "-") || !strcmp(st, "completed"))
		return false;
	snprintf(buf, len < 512 ? len : 512,
		 "INCOMPLETE: this run did not complete (status: %s); "
		 "what follows is from the %zu rows measured before it "
		 "stopped.",
		 st, v->run->nrows);
	return true;
}

static bool method(const struct rpt_view *v, size_t *at, char *buf, size_t len)
{
	if ((*at)++)
		return false;
	snprintf(buf, len < 512 ? len : 512,
		 "Overhead compares each path with %s at the same size: "
		 "above 0%% is slower. Each carries its 95%% confidence "
		 "interval over the --repeat rounds (each round's own figure "
		 "one value: Welch's t on their logs, so the variation "
		 "between runs is in it) and is '~' unless the interval "
		 "excludes 0, the effect is at least 2%% and its p-value, "
		 "Holm-corrected across the sizes of a test, is below 0.05. "
		 "Fewer than %d rounds a side give no verdict.",
		 v->base, VFB_CMP_MIN_REPS);
	return true;
}

/* The environment: run.json's keys, by their label. */
static const char *const env_keys[][2] = {
	{ "host", "host" },
	{ "kernel", "kernel" },
	{ "rdma-core", "rdma_core" },
	{ "CPU", "cpu_model" },
	{ "CPU governor", "cpu_governor" },
	{ "vfbench", "git_describe" },
	{ "started", "started" },
	{ "ended", "ended" },
	{ "status", "status" },
};

static long env_rows(struct rpt_view *v)
{
	(void)v;
	return (long)RPT_LEN(env_keys);
}

static const char *env_label(const struct rpt_view *v, size_t row, int path,
			     char *buf, size_t len)
{
	(void)v, (void)path, (void)buf, (void)len;
	return env_keys[row][0];
}

static const char *env_value(const struct rpt_view *v, size_t row, int path,
			     char *buf, size_t len)
{
	(void)path, (void)buf, (void)len;
	return rpt_meta_str(v->run->meta, env_keys[row][1]);
}

static const struct rpt_column env_cols[] = {
	{ .header = "", .cell = env_label },
	{ .header = "", .cell = env_value },
};

static const struct rpt_table env_table = {
	.rows = env_rows,
	.cols = env_cols,
	.ncols = RPT_LEN(env_cols),
};

/* The paths: run.json's "paths", when it has them. */
static json_object *paths_of(const struct rpt_run *run)
{
	json_object *paths;

	if (!json_object_object_get_ex(run->meta, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_array))
		return NULL;
	return paths;
}

static bool has_paths(struct rpt_view *v, size_t *at)
{
	return !(*at)++ && paths_of(v->run);
}

static long paths_rows(struct rpt_view *v)
{
	return (long)json_object_array_length(paths_of(v->run));
}

static const char *path_key(const struct rpt_view *v, size_t row,
			    const char *key)
{
	return rpt_meta_str(json_object_array_get_idx(paths_of(v->run), row),
			    key);
}

#define PATH_CELL(name)                                                        \
	static const char *path_##name(const struct rpt_view *v, size_t row,   \
				       int path, char *buf, size_t len)        \
	{                                                                      \
		(void)path, (void)buf, (void)len;                              \
		return path_key(v, row, #name);                                \
	}
PATH_CELL(path)
PATH_CELL(device)
PATH_CELL(peer)
PATH_CELL(locality)

static const struct rpt_column paths_cols[] = {
	{ .header = "path", .cell = path_path },
	{ .header = "device", .cell = path_device },
	{ .header = "peer", .cell = path_peer },
	{ .header = "locality", .cell = path_locality },
};

static const struct rpt_table paths_table = {
	.rows = paths_rows,
	.cols = paths_cols,
	.ncols = RPT_LEN(paths_cols),
};

static const struct rpt_block front[] = {
	{ .kind = RPT_PARA, .say = incomplete },
	{ .kind = RPT_PARA,
	  .text = "Latency is as perftest reports it: half of each measured "
		  "round trip of a ping-pong (WRITE, SEND), the whole round "
		  "trip of a READ or an atomic (the lat_basis column)." },
	{ .kind = RPT_PARA, .say = method },
	{ .kind = RPT_HEADING, .text = "Environment" },
	{ .kind = RPT_TABLE, .table = &env_table },
};

static const struct rpt_block paths[] = {
	{ .kind = RPT_HEADING, .text = "Paths" },
	{ .kind = RPT_TABLE, .table = &paths_table },
};

static const struct rpt_section sections[] = {
	{ .blocks = front, .nblocks = RPT_LEN(front) },
	{ .each = has_paths, .blocks = paths, .nblocks = RPT_LEN(paths) },
};

const struct rpt_scenario rpt_scn_run = {
	.name = "run",
	.sections = sections,
	.nsections = RPT_LEN(sections),
};
