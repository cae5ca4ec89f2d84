/* SPDX-License-Identifier: MIT */
#ifndef BENCH_SHARE_H
#define BENCH_SHARE_H

#include <stddef.h>

#include "result.h"

#define BENCH_SHARE_MAX	 16  /* devices in one scenario */
#define BENCH_SHARE_REPS 100 /* isolation: alone/loaded alternations */

/* Jain's fairness index of X: (sum x)^2 / (n sum x^2), 1 when all equal,
 * 1/n when one takes all. NAN for no values or all zero. */
double bench_jain(const double *x, size_t n);

/*
 * The aggregate of N member rows measured at once into AGG: bandwidth
 * and message rate summed, Jain's index, the smallest and largest share
 * of the sum, the sum over BASELINE_GBPS (the best solo device, or the
 * PF's solo figure; <= 0: not known). A member that failed makes the
 * aggregate an error row saying how many were measured.
 */
void bench_share_aggregate(const struct vfb_result *const *m, size_t n,
			   double baseline_gbps, struct vfb_result *agg);

/* Whether traffic kept to a VF's transmit cap: "none" (no cap), "exceeded"
 * (over 110% of it), "not_reached" (under 90%: the cap did not bind),
 * "enforced" (within 10%). */
const char *bench_cap_verdict(double cap_mbps, double achieved_mbps);

/* The loaded/alone ratio of a percentile over N alternations, with its
 * 95% interval (NAN where fewer than 2 pairs have both values). */
void bench_penalty(const double *alone, const double *loaded, size_t n,
		   struct vfb_ratio *out);

int bench_cmd_share(int argc, char **argv);

#endif
