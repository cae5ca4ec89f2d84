/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

int vfb_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

size_t vfb_rank(size_t n, double p)
{
	double r = ceil(p * (double)n);

	if (r < 1)
		r = 1;
	return (size_t)r - 1 < n ? (size_t)r - 1 : n - 1;
}

void vfb_lat_stats_exact(double *s, size_t n, struct vfb_lat_stats *st)
{
	double mean = 0, m2 = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	st->n = n;
	if (n == 0)
		return;
	qsort(s, n, sizeof(*s), vfb_cmp_double);
	for (i = 0; i < n; i++) { /* Welford: stable for large n */
		double d = s[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (s[i] - mean);
	}
	st->min = s[0];
	st->max = s[n - 1];
	st->mean = mean;
	st->stdev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
	st->p50 = s[vfb_rank(n, 0.50)];
	st->p99 = vfb_pct_supported(0.99, n) ? s[vfb_rank(n, 0.99)] : NAN;
	st->p999 = vfb_pct_supported(0.999, n) ? s[vfb_rank(n, 0.999)] : NAN;
	st->p9999 = vfb_pct_supported(0.9999, n) ? s[vfb_rank(n, 0.9999)] : NAN;
}

size_t vfb_pct_min_samples(double q)
{
	/* p99: 100 samples (one beyond it); p99.9 and p99.99: ten beyond */
	return q <= 0.99 ? (size_t)ceil(1 / (1 - q) - 1e-9) :
			   (size_t)ceil(10 / (1 - q) - 1e-6);
}

bool vfb_pct_supported(double q, size_t n)
{
	return n >= vfb_pct_min_samples(q);
}

void vfb_hist_init(struct vfb_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Octave k holds [2^k, 2^(k+1)) (octave 0 also holds [0, 1)). */
static void bucket_of(double v, int *oct, int *sub)
{
	int e;
	double f;

	if (v < 1) {
		*oct = 0;
		*sub = (int)(v * VFB_HIST_SUB);
		return;
	}
	f = frexp(v, &e); /* v = f * 2^e, f in [0.5, 1) */
	*oct = e - 1;
	if (*oct >= VFB_HIST_OCTAVES) {
		*oct = VFB_HIST_OCTAVES - 1;
		*sub = VFB_HIST_SUB - 1;
		return;
	}
	*sub = (int)((f * 2 - 1) * VFB_HIST_SUB);
}

void vfb_hist_add(struct vfb_hist *h, double v)
{
	int oct, sub;
	double d;

	bucket_of(v, &oct, &sub);
	h->count[oct][sub]++;
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (h->n == 0 || v > h->max)
		h->max = v;
	h->n++;
	d = v - h->mean;
	h->mean += d / (double)h->n;
	h->m2 += d * (v - h->mean);
}

static double bucket_mid(int oct, int sub)
{
	double lo = oct == 0 ? 0 : ldexp(1, oct), width;

	width = (oct == 0 ? 1 : lo) / VFB_HIST_SUB;
	if (oct == 0)
		return (sub + 0.5) * width;
	return lo + (sub + 0.5) * width;
}

static double hist_pct(const struct vfb_hist *h, double p)
{
	uint64_t want = vfb_rank(h->n, p) + 1, seen = 0;
	int o, s;

	for (o = 0; o < VFB_HIST_OCTAVES; o++)
		for (s = 0; s < VFB_HIST_SUB; s++) {
			seen += h->count[o][s];
			if (seen >= want)
				return bucket_mid(o, s);
		}
	return h->max;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void vfb_hist_stats(const struct vfb_hist *h, struct vfb_lat_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->n = h->n;
	if (h->n == 0)
		return;
	st->min = h->min;
	st->max = h->max;
	st->mean = h->mean;
	st->stdev = h->n > 1 ? sqrt(h->m2 / (double)(h->n - 1)) : 0;
	/* A midpoint can fall outside the observed range: clamp to it. */
	st->p50 = clamp(hist_pct(h, 0.50), h->min, h->max);
	st->p99 = vfb_pct_supported(0.99, h->n) ?
			  clamp(hist_pct(h, 0.99), h->min, h->max) :
			  NAN;
	st->p999 = vfb_pct_supported(0.999, h->n) ?
			   clamp(hist_pct(h, 0.999), h->min, h->max) :
			   NAN;
	st->p9999 = vfb_pct_supported(0.9999, h->n) ?
			    clamp(hist_pct(h, 0.9999), h->min, h->max) :
			    NAN;
	st->err_bound = 1.0 / (2 * VFB_HIST_SUB);
}
