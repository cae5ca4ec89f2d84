/* SPDX-License-Identifier: MIT */
#ifndef RPT_REPORT_H
#define RPT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"
#include "load.h"
#include "outfile.h"

/*
 * The report of one or more results directories: gnuplot data and script
 * (gnuplot itself is run by the caller), and a summary in Markdown and in
 * self-contained HTML. Runs after the first are overlaid, labelled by
 * their directory's name.
 */
#define RPT_MAX_RUNS 8
/* Tests and paths a report shows at most (more are listed as dropped). */
#define RPT_MAX_TESTS 32
#define RPT_MAX_PATHS 16

struct rpt_point {
	uint64_t size;
	double p50, p99, bw; /* over repetitions: median (bandwidth: mean) */
	unsigned int reps;
	uint64_t samples; /* latency samples of one repetition */
};

/* The ok rows of (TEST, PATH) in RUN, by size. Returns the count. */
size_t rpt_series(const struct rpt_run *run, const char *test, const char *path,
		  struct rpt_point *pts, size_t max);
/*
 * Overhead of PATH relative to the baseline (pf) at SIZE: latency p50
 * ratio (path / pf) for latency tests, bandwidth ratio (pf / path) for
 * bandwidth tests, so that above 1 is worse either way. NAN when either
 * row is missing.
 */
double rpt_overhead(const struct rpt_run *run, const char *test,
		    const char *path, uint64_t size);
/*
 * The same as a comparison with its 95% interval and verdict, over the
 * repetitions (--repeat) of each side: each repetition's own figure is
 * one value (common/compare.h); with fewer than VFB_CMP_MIN_REPS a side,
 * the estimate alone (lo, hi NAN; vfb_cmp_why() says why).
 * 0, or -ENOENT when a side has no row.
 */
int rpt_compare(const struct rpt_run *run, const char *test, const char *path,
		uint64_t size, double threshold, struct vfb_cmp *out);
/* Every latency sample of a case (all its rounds, in order) into a new
 * *V: 0, or -ENOENT (none kept: an older run). */
int rpt_case_samples(const struct rpt_run *run, const char *test,
		     const char *path, uint64_t size, double **v, size_t *n);
/* The gate's comparison: candidate against baseline for one case and
 * METRIC (a column), the ratio above 1 when the candidate is worse
 * (HIGHER_IS_WORSE: cand/base, else base/cand); lo/hi NAN when nothing
 * gives an interval (too few repetitions). 0, or -ENOENT when a side has
 * no row. */
int rpt_compare_runs(const struct rpt_run *base, const struct rpt_run *cand,
		     const struct vfb_result *key, const char *metric,
		     bool higher_is_worse, double threshold,
		     struct vfb_cmp *out);
/* The same for one row a side (a mesh's host pair): an estimate, no
 * interval. */
int rpt_compare_rows(const struct vfb_result *b, const struct vfb_result *c,
		     const char *metric, bool higher_is_worse, double threshold,
		     struct vfb_cmp *out);
/* rpt_compare for N sizes of one test, Holm-corrected across them;
 * HAVE[i]: a comparison was made at SIZES[i]. */
void rpt_compare_sizes(const struct rpt_run *run, const char *test,
		       const char *path, const uint64_t *sizes, size_t n,
		       double threshold, struct vfb_cmp *out, bool *have);
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

/*
 * Write DIR/r<run>.<test>.<path>.dat, DIR/overhead.<test>.dat,
 * DIR/percentiles.<test>.dat and DIR/plots.gp (paths relative to DIR;
 * test and path names as rpt_slug makes them). Returns the number of
 * plots the script draws, or a negative errno.
 */
int rpt_plots_write(const struct rpt_run *runs, int nruns,
		    const struct rpt_dir *dir, uint64_t ref_size, char *err,
		    size_t errlen);
/* The name (no extension) of plot KIND ("lat", "bw", "overhead",
 * "percentiles") of TEST. */
void rpt_plot_name(char *buf, size_t len, const char *kind, const char *test);

/* PLOTS_NOTE: "" when plots were drawn, else why not. */
int rpt_summary_md(FILE *f, const struct rpt_run *runs, int nruns,
		   const char *plots_note);
int rpt_summary_html(FILE *f, const struct rpt_run *runs, int nruns,
		     const struct rpt_dir *plotdir, const char *plots_note);

#endif
