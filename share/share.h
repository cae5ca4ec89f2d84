/* SPDX-License-Identifier: MIT */
#ifndef SHR_SHARE_H
#define SHR_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

#define SHR_MAX	 16  /* devices in one scenario */
#define SHR_REPS 100 /* isolation: alone/loaded alternations */

/* Jain's fairness index of X: (sum x)^2 / (n sum x^2), 1 when all equal,
 * 1/n when one takes all. NAN for no values or all zero. */
double shr_jain(const double *x, size_t n);

/*
 * The aggregate of N member rows measured at once into AGG: bandwidth
 * and message rate summed, Jain's index, the smallest and largest share
 * of the sum, the sum over BASELINE_GBPS (the best solo device, or the
 * PF's solo figure; <= 0: not known). A member that failed makes the
 * aggregate an error row saying how many were measured.
 */
void shr_aggregate(const struct vfb_result *const *m, size_t n,
		   double baseline_gbps, struct vfb_result *agg);

/* A member's progress: cumulative payload BYTES at times T (seconds, one
 * clock for all members), N stamps from its first to its last. */
struct shr_series {
	const double *t, *bytes;
	size_t n;
};

/*
 * The aggregate of N members over their common window (the overlap of
 * all their windows) into AGG: each member's bandwidth is the bytes it
 * moved inside that window over the window's length, so a member that
 * finished early does not leave the others' figures over windows of
 * their own (the sum, Jain's index and shares of -n would be wrong).
 * Returns 0, -EINVAL (no members, a series with fewer than 2 stamps),
 * -ERANGE (the windows do not overlap).
 */
int shr_window(const struct shr_series *s, size_t n, double baseline_gbps,
	       struct vfb_result *agg);

/* Row J of a member's NROWS ROWS, or, when it has none, MISSING made an
 * error row naming DEV: never another member's row. */
const struct vfb_result *shr_row(const struct vfb_result *rows, size_t nrows,
				 size_t j, const char *dev,
				 struct vfb_result *missing);

/* Bytes on the wire for a message of SIZE posted as OPCODE ("RDMA_WRITE",
 * "SEND", ... as in the rows) on LINK ("roce_v2", "ib", "ib_grh") with a
 * path MTU of MTU bytes: the payload plus every packet's headers. 0 when
 * the opcode, the link or the MTU is not known. */
double shr_wire_bytes(uint64_t size, unsigned int mtu, const char *opcode,
		      const char *link);
/* The RoCE path MTU a netdev MTU allows (as ib_core's iboe_get_mtu()),
 * 0 when under 256. */
unsigned int shr_roce_mtu(long netdev_mtu);

/* Whether traffic kept to a VF's transmit cap: "none" (no cap), "exceeded"
 * (over 110% of it), "not_reached" (under 90%: the cap did not bind),
 * "enforced" (within 10%). Limiters meter bytes on the wire: give the
 * wire rate (shr_wire_bytes), not the payload's. */
const char *shr_cap_verdict(double cap_mbps, double achieved_mbps);

/* The loaded/alone ratio of a percentile over N alternations, with its
 * 95% interval (NAN where fewer than 2 pairs have both values). */
void shr_penalty(const double *alone, const double *loaded, size_t n,
		 struct vfb_ratio *out);

#endif
