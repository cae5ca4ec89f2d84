/* SPDX-License-Identifier: MIT */
#ifndef VFB_COMPARE_H
#define VFB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether a difference is real: the ratio of a statistic of two sets of
 * results (B over A) with a 95% bootstrap interval, a rank test where the
 * counts allow, and a verdict. Never prints.
 *
 * Two kinds of input:
 *  - repetitions: one value per repetition of a case (each repetition's
 *    median, say), independent of each other: resampled one by one;
 *  - a series: consecutive samples of one repetition, which are not
 *    independent (a slow stretch lasts): resampled in blocks (moving
 *    block bootstrap) whose length follows the series' autocorrelation,
 *    so the interval is not too narrow.
 * The bootstrap is seeded: a report computed twice says the same.
 */
enum vfb_stat {
	VFB_STAT_MEDIAN,
	VFB_STAT_P99,
	VFB_STAT_MEAN,
};

struct vfb_cmp {
	double est;    /* stat(B) / stat(A) */
	double lo, hi; /* its 95% interval */
	double p;      /* Mann-Whitney two-sided p, NAN: too few values */
	size_t block;  /* series: the block length used (1: repetitions) */
	/* the interval excludes 1 and the effect is at least the threshold
	 * (and, where a rank test was made, its p after any correction is
	 * below 0.05) */
	bool significant;
	int verdict; /* +1 B higher, -1 B lower, 0 not significant: ~ */
};

#define VFB_CMP_THRESHOLD 0.02 /* default practical threshold: 2% */
#define VFB_CMP_RESAMPLES 2000

/* The statistic S of X (N values; X is not changed). NAN when N is 0. */
double vfb_stat_of(const double *x, size_t n, enum vfb_stat s);

/* Compare repetitions (independent values). 0, or -EINVAL when either
 * side has fewer than 2 values or a statistic of A is not positive. */
int vfb_cmp_reps(const double *a, size_t na, const double *b, size_t nb,
		 enum vfb_stat s, double threshold, uint64_t seed,
		 struct vfb_cmp *out);

/* Compare two autocorrelated series (consecutive samples). 0, or
 * -EINVAL when either has fewer than 8 samples. */
int vfb_cmp_series(const double *a, size_t na, const double *b, size_t nb,
		   enum vfb_stat s, double threshold, uint64_t seed,
		   struct vfb_cmp *out);

/* The block length the series bootstrap uses for X: at least n^(1/3),
 * and twice the lag at which X's autocorrelation dies out. */
size_t vfb_block_length(const double *x, size_t n);

/*
 * The 95% interval of the median of one series X (consecutive samples),
 * by the same moving-block bootstrap, as a half-width relative to the
 * median: what --until-stable and a row's ci_rel report. 1 when N is too
 * small to say (under 8). The resample count shrinks for very long
 * series (at least 200) to bound the time.
 */
double vfb_median_ci_rel_series(const double *x, size_t n, uint64_t seed);

/* Mann-Whitney U test, two-sided p (normal approximation with tie and
 * continuity correction); NAN when either side has fewer than 3 values. */
double vfb_mann_whitney_p(const double *a, size_t na, const double *b,
			  size_t nb);

/* Holm's step-down correction of N p-values, in place (NAN stay NAN). */
void vfb_holm(double *p, size_t n);

/* The verdict after a family's p-values were corrected: C->p replaced by
 * P_ADJ, significance and verdict decided again. */
void vfb_cmp_decide(struct vfb_cmp *c, double p_adj, double threshold);

/* "+12.3% [+8.1, +16.0]" or "~ (+1.2% [-3.0, +5.5])" into BUF. */
void vfb_cmp_text(const struct vfb_cmp *c, char *buf, size_t len);

#endif
