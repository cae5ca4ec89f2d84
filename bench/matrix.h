/* SPDX-License-Identifier: MIT */
#ifndef BENCH_MATRIX_H
#define BENCH_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include <hwloc.h>
#include <json-c/json.h>

#include "clock.h"
#include "locality.h"
#include "paths.h"
#include "proto.h"
#include "rundir.h"
#include "session.h"

/* One path of the matrix, with where it goes and where it runs. */
struct bench_mpath {
	struct bench_path_sel sel;
	char peer[80]; /* HOST[:PORT] */
	struct bench_locality loc;
	int failed;    /* preflight or locality: the exit class; 0: it runs */
	char why[512]; /* ... and why, for its error rows */
};

struct bench_matrix {
	struct bench_mpath paths[BENCH_MAX_PATHS];
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
	struct bench_rundir *rundir; /* may be NULL */
	FILE *csv;		     /* --csv, may be NULL */
	json_object *rows;	     /* every row, for --json */
	bool progress;		     /* stderr is a terminal */
	/* bookkeeping */
	int total, done, errors, last_kind;
	time_t t0;
	int worst; /* exit code class so far */
};

/* Number of (path, test, size) cases, times the rounds. */
int bench_matrix_cases(const struct bench_matrix *m);
/* Run every case; returns the exit code (0, 1, 3) or 130/143 when aborted. */
int bench_matrix_run(struct bench_matrix *m, const volatile int *abort_sig);
/* The paths and their locality, for run.json. */
json_object *bench_matrix_paths_json(const struct bench_matrix *m);

#endif
