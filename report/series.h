/* SPDX-License-Identifier: MIT */
#ifndef RPT_SERIES_H
#define RPT_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"
#include "load.h"

/*
 * The comparisons' first layer: what the rows of a run hold, by case,
 * size, test and path (over the case index, index.h). Renderers read
 * these; they never compute.
 */
/* Tests and paths a report shows at most (more are listed as dropped). */
#define RPT_MAX_TESTS 32
#define RPT_MAX_PATHS 16

struct rpt_point {
	uint64_t size;
	double p50, p99, bw; /* over repetitions: median (bandwidth: mean) */
	unsigned int reps;
	uint64_t samples; /* latency samples of one repetition */
};

/* METRIC (a column) of each of the N ROWS that has it, into a new *V
 * (of *NV): 0 or -ENOMEM. */
int rpt_rows_values(const struct vfb_result *const *rows, size_t n,
		    const char *metric, double **v, size_t *nv);
/* The ok rows of (TEST, PATH) in RUN, by size. Returns the count. */
size_t rpt_series(const struct rpt_run *run, const char *test, const char *path,
		  struct rpt_point *pts, size_t max);
/* Every latency sample of a case (all its rounds, in order) into a new
 * *V: 0, or -ENOENT (none kept: an older run). */
int rpt_case_samples(const struct rpt_run *run, const char *test,
		     const char *path, uint64_t size, double **v, size_t *n);
/* TEST is a latency test: its rows carry latency (no name is parsed). */
bool rpt_test_latency(const struct rpt_run *runs, int nruns, const char *test);
/* Its rows say a latency sample is the whole round trip (lat_basis rtt:
 * READ, atomics), not half a ping-pong's. */
bool rpt_test_round_trip(const struct rpt_run *runs, int nruns,
			 const char *test);
/* Distinct tests and paths present: the known ones in canonical order,
 * then any other as the rows first show it (none is dropped). */
int rpt_tests(const struct rpt_run *runs, int nruns, const char **out, int max);
int rpt_paths(const struct rpt_run *runs, int nruns, const char **out, int max);
/* The size closest to WANT that has latency rows. */
uint64_t rpt_ref_size(const struct rpt_run *run, uint64_t want);

#endif
