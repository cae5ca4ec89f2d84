/* SPDX-License-Identifier: MIT */
#ifndef MTX_MATRIX_H
#define MTX_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include <hwloc.h>
#include <json-c/json.h>

#include "clock.h"
#include "locality.h"
#include "options.h"
#include "paths.h"
#include "proto.h"
#include "rundir.h"
#include "session.h"

/* What vfbench run asks for, as its options say it. */
struct mtx_cfg {
	struct host_devsel sel; /* -d or --paths (-i, -x: vo's) */
	const char *numa, *until_stable;
	struct host_peers peers;
	struct host_outs outs;
	long cpu, repeat, max_iters, max_time;
	struct vt_opts vo; /* the measurement options */
};

/* One path of the matrix, with where it goes and where it runs. */
struct mtx_path {
	struct host_path_sel sel;
	char peer[80]; /* HOST[:PORT] */
	struct host_locality loc;
	int failed;    /* preflight or locality: the exit class; 0: it runs */
	char why[512]; /* ... and why, for its error rows */
};

struct mtx {
	struct mtx_path paths[HOST_MAX_PATHS];
	int npaths;
	char tests[256];	     /* comma separated */
	struct vt_params params;     /* test name filled per test */
	struct vt_client_cfg client; /* dev/host/svc filled per path */
	const struct vt_clock *clk;
	hwloc_topology_t topo;
	const char *numa_mode;
	int cpu;
	int repeat; /* --repeat: rounds of every case, paths interleaved */
	int rep;    /* the round running, 1-based */
	/* outputs */
	struct host_rundir *rundir; /* may be NULL */
	FILE *csv;		    /* --csv, may be NULL */
	json_object *rows;	    /* every row, for --json */
	json_object *perftest;	    /* --perftest-json's document, or NULL */
	struct rpt_prom *prom;	    /* --prom's rows, or NULL */
	bool progress;		    /* stderr is a terminal */
	/* bookkeeping */
	int total, done, errors, last_kind;
	time_t t0;
	int worst; /* exit code class so far */
};

/* Number of (path, test, size) cases, times the rounds. */
int mtx_cases(const struct mtx *m);
/* Run every case; returns the exit code (0, 1, 3) or 130/143 when aborted. */
int mtx_run(struct mtx *m, const volatile int *abort_sig);
/* The paths and their locality, for run.json. */
json_object *mtx_paths_json(const struct mtx *m);

/* plan.c: after the command decided the request (C, M->params,
 * M->client.stable_rel): plan the paths, check readiness, open the
 * outputs, run every case, close them; returns the exit code. */
int mtx_main(struct mtx *m, const struct mtx_cfg *c, int argc, char **argv);

#endif
