/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "pathkind.h"
#include "report.h"

size_t rpt_series(const struct rpt_run *run, const char *test, const char *path,
		  struct rpt_point *pts, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < run->nrows && n < max; i++) {
		const struct vfb_result *r = &run->rows[i];
		struct rpt_point p;

		if (r->status != VFB_STATUS_OK || strcmp(r->test, test) ||
		    strcmp(r->path, path))
			continue;
		p = (struct rpt_point){ r->msg_bytes, r->lat.p50, r->lat.p99,
					r->bw_avg_gbps };
		for (j = n; j > 0 && pts[j - 1].size > p.size; j--)
			pts[j] = pts[j - 1];
		pts[j] = p;
		n++;
	}
	return n;
}

static const struct vfb_result *row(const struct rpt_run *run, const char *test,
				    const char *path, uint64_t size)
{
	size_t i;

	for (i = 0; i < run->nrows; i++)
		if (run->rows[i].status == VFB_STATUS_OK &&
		    run->rows[i].msg_bytes == size &&
		    !strcmp(run->rows[i].test, test) &&
		    !strcmp(run->rows[i].path, path))
			return &run->rows[i];
	return NULL;
}

double rpt_overhead(const struct rpt_run *run, const char *test,
		    const char *path, uint64_t size)
{
	const struct vfb_result *pf =
		row(run, test, vfb_path_baseline()->name, size);
	const struct vfb_result *x = row(run, test, path, size);

	if (!pf || !x)
		return NAN;
	if (x->has_lat)
		return pf->lat.p50 > 0 ? x->lat.p50 / pf->lat.p50 : NAN;
	return x->bw_avg_gbps > 0 ? pf->bw_avg_gbps / x->bw_avg_gbps : NAN;
}

/*
 * The tests (or paths) the rows hold, never one dropped, each once, in the
 * order the rows first show them (a run executes its tests in the engine
 * registry's order, so that order carries over, names this report has
 * never heard of included).
 */
static int present(const struct rpt_run *runs, int nruns, bool tests,
		   const char **out, int max)
{
	int k = 0, r, j;
	size_t i;

	for (r = 0; r < nruns; r++)
		for (i = 0; i < runs[r].nrows && k < max; i++) {
			const char *v = tests ? runs[r].rows[i].test :
						runs[r].rows[i].path;

			if (!v[0])
				continue;
			for (j = 0; j < k && strcmp(out[j], v); j++)
				;
			if (j == k)
				out[k++] = v;
		}
	return k;
}

int rpt_tests(const struct rpt_run *runs, int nruns, const char **out, int max)
{
	return present(runs, nruns, true, out, max);
}

/* Paths in the path-kind table's order (the baseline first), kinds the
 * table does not have after them as found: a stable insertion sort. */
int rpt_paths(const struct rpt_run *runs, int nruns, const char **out, int max)
{
	int k = present(runs, nruns, false, out, max), i, j;

	for (i = 1; i < k; i++) {
		const char *v = out[i];

		for (j = i;
		     j > 0 && vfb_path_rank(out[j - 1]) > vfb_path_rank(v); j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	return k;
}

bool rpt_test_latency(const struct rpt_run *runs, int nruns, const char *test)
{
	size_t i;
	int r;

	for (r = 0; r < nruns; r++)
		for (i = 0; i < runs[r].nrows; i++)
			if (runs[r].rows[i].has_lat &&
			    !strcmp(runs[r].rows[i].test, test))
				return true;
	return false;
}

uint64_t rpt_ref_size(const struct rpt_run *run, uint64_t want)
{
	uint64_t best = 0;
	double d, bd = INFINITY;
	size_t i;

	for (i = 0; i < run->nrows; i++) {
		if (!run->rows[i].has_lat ||
		    run->rows[i].status != VFB_STATUS_OK)
			continue;
		d = fabs(log((double)run->rows[i].msg_bytes) -
			 log((double)want));
		if (d < bd) {
			bd = d;
			best = run->rows[i].msg_bytes;
		}
	}
	return best;
}
