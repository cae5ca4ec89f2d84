/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "share.h"

double bench_jain(const double *x, size_t n)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	return n && sq > 0 ? sum * sum / ((double)n * sq) : NAN;
}

void bench_share_aggregate(const struct vfb_result *const *m, size_t n,
			   double baseline_gbps, struct vfb_result *agg)
{
	double bw[BENCH_SHARE_MAX], sum = 0, rate = 0, lo = INFINITY, hi = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (m[i]->status != VFB_STATUS_OK || !m[i]->has_bw)
			continue;
		bw[k] = m[i]->bw_avg_gbps;
		sum += bw[k];
		rate += m[i]->msg_rate_mpps;
		k++;
	}
	agg->has_bw = k > 0;
	agg->bw_avg_gbps = sum;
	agg->bw_avg_mbps = sum * 125;
	agg->msg_rate_mpps = rate;
	agg->bw_peak_gbps = NAN;
	for (i = 0; i < k && sum > 0; i++) {
		lo = fmin(lo, bw[i] / sum);
		hi = fmax(hi, bw[i] / sum);
	}
	agg->jain = bench_jain(bw, k);
	agg->share_min = k && sum > 0 ? lo : NAN;
	agg->share_max = k && sum > 0 ? hi : NAN;
	agg->efficiency = baseline_gbps > 0 ? sum / baseline_gbps : NAN;
	agg->status = k == n && k ? VFB_STATUS_OK : VFB_STATUS_ERROR;
	if (agg->status != VFB_STATUS_OK)
		snprintf(agg->error, sizeof(agg->error),
			 "%zu of %zu members measured", k, n);
}

const char *bench_cap_verdict(double cap_mbps, double achieved_mbps)
{
	if (isnan(cap_mbps) || cap_mbps <= 0)
		return "none";
	if (achieved_mbps > cap_mbps * 1.10)
		return "exceeded";
	if (achieved_mbps < cap_mbps * 0.90)
		return "not_reached";
	return "enforced";
}

void bench_penalty(const double *alone, const double *loaded, size_t n,
		   struct vfb_ratio *out)
{
	double a[BENCH_SHARE_REPS], b[BENCH_SHARE_REPS];
	struct vfb_cmp c;
	size_t i, k = 0;

	*out = (struct vfb_ratio){ NAN, NAN, NAN };
	for (i = 0; i < n && k < BENCH_SHARE_REPS; i++)
		if (!isnan(alone[i]) && !isnan(loaded[i])) {
			a[k] = alone[i];
			b[k++] = loaded[i];
		}
	if (vfb_cmp_reps(a, k, b, k, VFB_CMP_THRESHOLD, &c))
		return;
	*out = (struct vfb_ratio){ c.est, c.lo, c.hi };
}
