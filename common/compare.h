/* SPDX-License-Identifier: MIT */
#ifndef VFB_COMPARE_H
#define VFB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether a difference is real: the ratio of a statistic of two sets of
 * results (B over A) with a 95% interval and a verdict. Never prints.
 *
 * The unit of variation is the repetition. Runs of one case differ by a
 * percent or two however many samples each holds (a warmer cache, another
 * placement, the emulator's scheduling), so resampling the pooled samples
 * of all repetitions calls that difference significant, and a percentile
 * bootstrap over 2-5 repetitions cannot cover. Each repetition is reduced
 * to its own statistic (its median, p99 or mean, computed from all of its
 * samples, so the noise within it is inside that value), and the two sets
 * of per-repetition values are compared on the log scale with Welch's
 * t interval (conservative degrees of freedom, min(na, nb) - 1): the
 * summary-statistics treatment of clustered data, at most its nominal 5%
 * for normal between-run variation and checked on heavy-tailed synthetic
 * runs (tests/unit/test_compare.c: false positives and coverage).
 *
 * No verdict from fewer than VFB_CMP_MIN_REPS repetitions a side: the
 * variation between runs cannot be estimated (the estimate is still
 * given, its interval NAN, and vfb_cmp_why() says so). The cost is
 * linear in the values and needs no resampling.
 *
 * A series (consecutive samples of one repetition, autocorrelated) is
 * compared by batch means: cut into VFB_CMP_BATCHES contiguous batches,
 * the statistic of each batch is one value. It accounts for the variation
 * within that one run, not between runs (vfb_cmp_why() says so too).
 */
enum vfb_stat {
	VFB_STAT_MEDIAN,
	VFB_STAT_P99,
	VFB_STAT_MEAN,
};

struct vfb_cmp {
	double est;    /* stat(B) / stat(A) */
	double lo, hi; /* its 95% interval; NAN: no interval (too few) */
	double p;      /* two-sided p of no difference (Welch), NAN: none */
	double df;     /* the t interval's degrees of freedom */
	size_t na, nb; /* repetitions (series: batches) a side */
	bool series;   /* from batches of one run a side */
	/* the interval excludes 1, the effect is at least the threshold and
	 * p after any correction is below 0.05 */
	bool significant;
	int verdict; /* +1 B higher, -1 B lower, 0 not significant: ~ */
};

#define VFB_CMP_THRESHOLD 0.02 /* default practical threshold: 2% */
#define VFB_CMP_MIN_REPS  3    /* a verdict needs this many a side */
#define VFB_CMP_BATCHES	  20   /* a series: batches of consecutive samples */
#define VFB_CMP_BATCH_MIN 10   /* samples a batch holds at least */

/* The statistic S of X (N values; X is not changed). NAN when N is 0. */
double vfb_stat_of(const double *x, size_t n, enum vfb_stat s);
/* The same, reordering X (no copy). */
double vfb_stat_inplace(double *x, size_t n, enum vfb_stat s);

/*
 * Compare repetitions: A[i], B[i] one positive value per repetition (its
 * median, p99, mean...). 0 with OUT filled (no interval, no verdict under
 * VFB_CMP_MIN_REPS a side), or -EINVAL when a side is empty or a value is
 * not a positive finite number.
 */
int vfb_cmp_reps(const double *a, size_t na, const double *b, size_t nb,
		 double threshold, struct vfb_cmp *out);

/* Compare two series (consecutive samples of one run each) by batch
 * means. 0, or -EINVAL when either has fewer than VFB_CMP_BATCH_MIN x 5
 * samples or a statistic is not positive. */
int vfb_cmp_series(const double *a, size_t na, const double *b, size_t nb,
		   enum vfb_stat s, double threshold, struct vfb_cmp *out);

/*
 * The 95% interval of the median of one series X (consecutive samples),
 * by the same batch means, as a half-width relative to the median: what
 * --until-stable and a row's ci_rel report. 1 when N is too small to say.
 */
double vfb_median_ci_rel_series(const double *x, size_t n);

/* Student's t: two-sided p of |T| >= T with DF degrees of freedom, and
 * the quantile Q (0.975: the 95% two-sided critical value). */
double vfb_t_p2(double t, double df);
double vfb_t_quantile(double q, double df);

/* Holm's step-down correction of N p-values, in place (NAN stay NAN). */
void vfb_holm(double *p, size_t n);

/* The verdict after a family's p-values were corrected: C->p replaced by
 * P_ADJ, significance and verdict decided again. */
void vfb_cmp_decide(struct vfb_cmp *c, double p_adj, double threshold);

/* "+12.3% [+8.1, +16.0]", "~ (+1.2% [-3.0, +5.5])", or without interval
 * "+1.2% (no verdict: 1 repetition a side: ...)" into BUF. */
void vfb_cmp_text(const struct vfb_cmp *c, char *buf, size_t len);
/* Why C has no verdict ("1 repetition a side: run-to-run variation
 * unknown"), or what its interval leaves out (a series: "within one run
 * a side: run-to-run variation not included"); "" otherwise. */
void vfb_cmp_why(const struct vfb_cmp *c, char *buf, size_t len);

#endif
