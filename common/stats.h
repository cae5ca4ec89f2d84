/* SPDX-License-Identifier: MIT */
#ifndef VFB_STATS_H
#define VFB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Latency statistics in floating point over every sample, as perftest does
 * not (its stdev is an int, truncating sub-microsecond deviations).
 * Stats code never prints.
 *
 * Percentiles use the nearest-rank definition: pX is the smallest sample
 * with at least X% of the samples at or below it (sorted[ceil(X*n) - 1]);
 * p50 of an even count is the lower middle sample, as perftest's
 * t_typical.
 */
/*
 * A percentile is reported only where the sample count supports it:
 * p99 from 100 samples, p99.9 from 10,000, p99.99 from 100,000 (ten
 * samples beyond it); below that it is NAN ("n/a (N samples)"), never
 * the maximum under another name.
 */
size_t vfb_pct_min_samples(double q);
bool vfb_pct_supported(double q, size_t n);

/* qsort's comparison of doubles, ascending. */
int vfb_cmp_double(const void *a, const void *b);
/* Nearest rank: the index of the P percentile in N sorted values (the
 * smallest with at least P of them at or below it). */
size_t vfb_rank(size_t n, double p);

struct vfb_lat_stats {
	size_t n; /* samples; 0 means "no samples", all else unset */
	double min, max, mean, stdev; /* stdev: sample (n - 1) */
	double p50, p99, p999, p9999;
	double err_bound; /* max relative error of the percentiles, 0: exact */
};

/* Exact statistics over SAMPLES (sorted in place). */
void vfb_lat_stats_exact(double *samples, size_t n, struct vfb_lat_stats *st);

/*
 * Log-linear histogram for duration mode, where the sample count is not
 * known in advance. Values (nanoseconds) fall into 2^k octaves split into
 * VFB_HIST_SUB linear buckets each, so a bucket spans at most 1/VFB_HIST_SUB
 * of its lower bound; a percentile is reported as its bucket's midpoint,
 * within +/- 1/(2*VFB_HIST_SUB) = 0.78% relative error. min, max, mean
 * and stdev are exact (Welford's running algorithm).
 */
#define VFB_HIST_SUB	 64
#define VFB_HIST_OCTAVES 48

struct vfb_hist {
	uint64_t count[VFB_HIST_OCTAVES][VFB_HIST_SUB];
	size_t n;
	double min, max, mean, m2;
};

void vfb_hist_init(struct vfb_hist *h);
void vfb_hist_add(struct vfb_hist *h, double ns);
void vfb_hist_stats(const struct vfb_hist *h, struct vfb_lat_stats *st);

#endif
