/* SPDX-License-Identifier: MIT */
#ifndef RPT_RATIO_H
#define RPT_RATIO_H

#include <stdbool.h>
#include <stdint.h>

#include "compare.h"
#include "load.h"

/*
 * The comparisons: one case against another as a ratio above 1 when
 * the second is worse, with its 95% interval and verdict over the
 * repetitions (--repeat) of each side: each repetition's own figure is
 * one value (common/compare.h); with fewer than VFB_CMP_MIN_REPS a side,
 * the estimate alone (lo, hi NAN; vfb_cmp_why() says why).
 */
/*
 * Overhead of PATH relative to the baseline (pf) at SIZE: latency p50
 * ratio (path / pf) for latency tests, bandwidth ratio (pf / path) for
 * bandwidth tests, so that above 1 is worse either way. NAN when either
 * row is missing.
 */
double rpt_overhead(const struct rpt_run *run, const char *test,
		    const char *path, uint64_t size);
/* The same as a comparison: 0, or -ENOENT when a side has no row. */
int rpt_compare(const struct rpt_run *run, const char *test, const char *path,
		uint64_t size, double threshold, struct vfb_cmp *out);
/* The gate's comparison: candidate against baseline for one case and
 * METRIC (a column), the ratio above 1 when the candidate is worse
 * (HIGHER_IS_WORSE: cand/base, else base/cand); lo/hi NAN when nothing
 * gives an interval (too few repetitions). 0, or -ENOENT when a side has
 * no row. */
int rpt_compare_runs(const struct rpt_run *base, const struct rpt_run *cand,
		     const struct vfb_result *key, const char *metric,
		     bool higher_is_worse, double threshold,
		     struct vfb_cmp *out);
/* The same within one run: KEY's case against the baseline path's case
 * of its test and size (path-relative rules). */
int rpt_compare_paths(const struct rpt_run *run, const struct vfb_result *key,
		      const char *metric, bool higher_is_worse,
		      double threshold, struct vfb_cmp *out);
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

#endif
