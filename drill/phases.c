/* SPDX-License-Identifier: MIT */
/* The drill's bookkeeping: an interval's phase, how the target's QPs
 * ended, a neighbour's penalty. Pure: no clock, no device. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "drill.h"

const char *drl_phase_name(enum drl_phase p)
{
	static const char *const names[] = { "before", "during", "after" };

	return p <= DRL_AFTER ? names[p] : "?";
}

double drl_phase_end(const struct drl_times *tm)
{
	double end = isnan(tm->recovered_ms) ? tm->end_ms : tm->recovered_ms;

	if (!isnan(end) && end < tm->start_ms + tm->min_during_ms)
		end = tm->start_ms + tm->min_during_ms;
	return end;
}

enum drl_phase drl_phase_of(const struct drl_times *tm, double t_ms)
{
	double end = drl_phase_end(tm);

	if (isnan(tm->start_ms) || t_ms < tm->start_ms)
		return DRL_BEFORE;
	if (isnan(end) || t_ms <= end)
		return DRL_DURING;
	return DRL_AFTER;
}

const char *drl_qp_end(const struct drl_fail *f)
{
	if (!f->failed)
		return "survived";
	if (f->err == -ETIMEDOUT)
		return "hang";
	if (strcasestr(f->text, "flush"))
		return "flush";
	if (f->device_gone || f->err == -ENODEV)
		return "gone";
	return "error";
}

/* Values for the comparison: the positive finite ones, as they come. */
static size_t usable(const double *x, size_t n, double *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(x[i]) && x[i] > 0)
			out[k++] = x[i];
	return k;
}

int drl_penalty(const double *before, size_t nb, const double *during,
		size_t nd, bool higher_is_worse, double limit,
		struct vfb_ratio *out, const char **verdict, char *why,
		size_t len)
{
	double *a = calloc(nb + 1, sizeof(*a)), *b = calloc(nd + 1, sizeof(*b));
	struct vfb_cmp c;
	size_t na, nbb;
	int ret = -EINVAL;

	*out = (struct vfb_ratio){ NAN, NAN, NAN };
	*verdict = "skip";
	snprintf(why, len, "too few intervals measured");
	if (!a || !b)
		goto out;
	na = usable(before, nb, a);
	nbb = usable(during, nd, b);
	/* above 1 worse: latency during/before, bandwidth before/during */
	if (!na || !nbb ||
	    (higher_is_worse ? vfb_cmp_reps(a, na, b, nbb, 0, &c) :
			       vfb_cmp_reps(b, nbb, a, na, 0, &c)))
		goto out;
	*out = (struct vfb_ratio){ c.est, c.lo, c.hi };
	ret = 0;
	if (isnan(c.lo)) {
		snprintf(why, len, "%zu before and %zu during: no interval", na,
			 nbb);
		goto out;
	}
	*verdict =
		c.significant && c.est > 1 && c.est > limit ? "fail" : "pass";
	snprintf(why, len, "%.3g [%.3g to %.3g] over %zu before and %zu during",
		 c.est, c.lo, c.hi, na, nbb);
out:
	free(a);
	free(b);
	return ret;
}
