/* SPDX-License-Identifier: MIT */
#ifndef VT_CLOCK_H
#define VT_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Per-iteration timestamps. The cycle counter (x86 TSC) is used when the
 * CPU says it is invariant and a calibration against CLOCK_MONOTONIC_RAW
 * agrees with itself; otherwise CLOCK_MONOTONIC_RAW itself, in ns.
 * Either way vt_clock_now() returns ticks and vt_clock_ns() converts.
 */
struct vt_clock {
	bool tsc;	    /* ticks are TSC cycles */
	double ns_per_tick; /* 1.0 for CLOCK_MONOTONIC_RAW */
	double overhead_ns; /* cost of one vt_clock_now(), measured */
	const char *source; /* "tsc" or "clock_monotonic_raw" */
	/* tests: a recording clock instead of the hardware (NULL: none) */
	uint64_t (*fake_now)(void *arg);
	void *fake_arg;
};

enum vt_clock_mode {
	VT_CLOCK_AUTO, /* TSC when CPUID says invariant and calibration agrees */
	VT_CLOCK_RAW,  /* always CLOCK_MONOTONIC_RAW */
	VT_CLOCK_TSC,  /* TSC whenever two calibrations agree, as perftest
			* always reads it (VMs often hide the invariant bit) */
};

/* Calibrate (about 50 ms). -EINVAL: TSC asked for and not consistent. */
int vt_clock_init(struct vt_clock *c, enum vt_clock_mode mode);
uint64_t vt_clock_now(const struct vt_clock *c);

static inline double vt_clock_ns(const struct vt_clock *c, uint64_t ticks)
{
	return (double)ticks * c->ns_per_tick;
}

#endif
