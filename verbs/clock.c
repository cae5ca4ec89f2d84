/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <time.h>

#include "clock.h"
#include "clock_arch.h"

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t vt_clock_now(const struct vt_clock *c)
{
	if (__builtin_expect(c->fake_now != NULL, 0))
		return c->fake_now(c->fake_arg);
	return c->tsc ? vt_arch_cycles() : raw_ns();
}

/* ns per TSC tick over one interval of about MS milliseconds. */
static double tsc_rate(unsigned int ms)
{
	uint64_t t0 = raw_ns(), c0 = vt_arch_cycles(), t1, c1;

	do {
		t1 = raw_ns();
		c1 = vt_arch_cycles();
	} while (t1 - t0 < (uint64_t)ms * 1000000ULL);
	return c1 > c0 ? (double)(t1 - t0) / (double)(c1 - c0) : 0;
}

static void measure_overhead(struct vt_clock *c)
{
	uint64_t best = UINT64_MAX, a, b;
	int i;

	for (i = 0; i < 1000; i++) {
		a = vt_clock_now(c);
		b = vt_clock_now(c);
		if (b - a < best)
			best = b - a;
	}
	c->overhead_ns = vt_clock_ns(c, best);
}

int vt_clock_init(struct vt_clock *c, enum vt_clock_mode mode)
{
	double r1, r2;

	*c = (struct vt_clock){ .ns_per_tick = 1.0 };
	c->source = "clock_monotonic_raw";
	if (mode == VT_CLOCK_TSC ||
	    (mode == VT_CLOCK_AUTO && vt_arch_invariant_tsc())) {
		r1 = tsc_rate(20);
		r2 = tsc_rate(20);
		/* Two calibrations that disagree by > 0.1%: do not trust it. */
		if (r1 > 0 && r2 > 0 && fabs(r1 - r2) / r1 < 1e-3) {
			c->tsc = true;
			c->ns_per_tick = (r1 + r2) / 2;
			c->source = "tsc";
		}
	}
	measure_overhead(c);
	return mode == VT_CLOCK_TSC && !c->tsc ? -EINVAL : 0;
}
