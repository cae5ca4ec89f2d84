/* SPDX-License-Identifier: MIT */
/* One case against another as a ratio with its 95% interval and verdict
 * (common/compare.h): a path against the baseline path, a candidate run
 * against a baseline run, one mesh pair against the same pair. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pathkind.h"
#include "ratio.h"
#include "series.h"

/*
 * B against A for METRIC, as a ratio that is above 1 when B is worse
 * (B/A for latency, A/B for bandwidth: B_OVER_A says which), over the
 * repetitions' own figures (common/compare.h: each repetition is one
 * value, its samples already in it); no interval under VFB_CMP_MIN_REPS
 * a side.
 */
static int compare_sides(const struct rpt_case *a, const struct rpt_case *b,
			 const char *metric, bool b_over_a, double threshold,
			 struct vfb_cmp *out)
{
	double *va = NULL, *vb = NULL;
	size_t na, nb;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = rpt_rows_values(a->rows, a->n, metric, &va, &na)) ||
	    (ret = rpt_rows_values(b->rows, b->n, metric, &vb, &nb)))
		goto out;
	ret = -ENOENT;
	if (na && nb)
		ret = b_over_a ? vfb_cmp_reps(va, na, vb, nb, threshold, out) :
				 vfb_cmp_reps(vb, nb, va, na, threshold, out);
out:
	free(va);
	free(vb);
	return ret;
}

/* PATH's case of TEST at SIZE against the baseline path's, for METRIC
 * (NULL: the latency p50 of latency tests, else the bandwidth average,
 * worse upward either way; HIGHER_IS_WORSE is then ignored). */
static int against_baseline(const struct rpt_run *run, const char *test,
			    const char *path, uint64_t size, const char *metric,
			    bool higher_is_worse, double threshold,
			    struct vfb_cmp *out)
{
	struct rpt_case a, b;

	memset(out, 0, sizeof(*out));
	if (rpt_case_find(run, test, vfb_path_baseline()->name, size, &a) ||
	    rpt_case_find(run, test, path, size, &b))
		return -ENOENT;
	if (!metric) {
		higher_is_worse = a.rows[0]->has_lat;
		metric = higher_is_worse ? "lat_p50_us" : "bw_avg_gbps";
	}
	return compare_sides(&a, &b, metric, higher_is_worse, threshold, out);
}

int rpt_compare(const struct rpt_run *run, const char *test, const char *path,
		uint64_t size, double threshold, struct vfb_cmp *out)
{
	return against_baseline(run, test, path, size, NULL, false, threshold,
				out);
}

int rpt_compare_runs(const struct rpt_run *base, const struct rpt_run *cand,
		     const struct vfb_result *key, const char *metric,
		     bool higher_is_worse, double threshold,
		     struct vfb_cmp *out)
{
	struct rpt_case a, b;

	memset(out, 0, sizeof(*out));
	if (rpt_case_find(base, key->test, key->path, key->msg_bytes, &a) ||
	    rpt_case_find(cand, key->test, key->path, key->msg_bytes, &b))
		return -ENOENT;
	return compare_sides(&a, &b, metric, higher_is_worse, threshold, out);
}

int rpt_compare_paths(const struct rpt_run *run, const struct vfb_result *key,
		      const char *metric, bool higher_is_worse,
		      double threshold, struct vfb_cmp *out)
{
	return against_baseline(run, key->test, key->path, key->msg_bytes,
				metric, higher_is_worse, threshold, out);
}

void rpt_compare_sizes(const struct rpt_run *run, const char *test,
		       const char *path, const uint64_t *sizes, size_t n,
		       double threshold, struct vfb_cmp *out, bool *have)
{
	double p[64];
	size_t i;

	for (i = 0; i < n && i < 64; i++) {
		have[i] = !rpt_compare(run, test, path, sizes[i], threshold,
				       &out[i]);
		p[i] = have[i] ? out[i].p : NAN;
	}
	/* the sizes of one test are one family: Holm over their p-values */
	vfb_holm(p, n < 64 ? n : 64);
	for (i = 0; i < n && i < 64; i++)
		if (have[i] && !isnan(out[i].lo))
			vfb_cmp_decide(&out[i], p[i], threshold);
}

int rpt_compare_rows(const struct vfb_result *b, const struct vfb_result *c,
		     const char *metric, bool higher_is_worse, double threshold,
		     struct vfb_cmp *out)
{
	const struct vfb_result *br[1] = { b }, *cr[1] = { c };
	struct rpt_case x = { br, 1 }, y = { cr, 1 };

	return compare_sides(&x, &y, metric, higher_is_worse, threshold, out);
}

double rpt_overhead(const struct rpt_run *run, const char *test,
		    const char *path, uint64_t size)
{
	struct vfb_cmp c;

	return rpt_compare(run, test, path, size, VFB_CMP_THRESHOLD, &c) ?
		       NAN :
		       c.est;
}
