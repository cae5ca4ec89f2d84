/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "log.h"
#include "pathkind.h"
#include "columns.h"
#include "series.h"
#include "samples.h"

int rpt_rows_values(const struct vfb_result *const *rows, size_t n,
		    const char *metric, double **v, size_t *nv)
{
	const struct rpt_col *col = rpt_col_find(metric); /* once */
	size_t i;
	double x;

	*nv = 0;
	if (!(*v = malloc((n + 1) * sizeof(**v))))
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!isnan(x = rpt_col_value(col, rows[i])))
			(*v)[(*nv)++] = x;
	return 0;
}

/* The statistic S over the repetitions' METRIC; NAN when none has it. */
static double over_reps(const struct rpt_case *c, const char *metric,
			enum vfb_stat s)
{
	double *v, x;
	size_t n;

	if (rpt_rows_values(c->rows, c->n, metric, &v, &n))
		return NAN;
	x = vfb_stat_inplace(v, n, s);
	free(v);
	return x;
}

size_t rpt_series(const struct rpt_run *run, const char *test, const char *path,
		  struct rpt_point *pts, size_t max)
{
	struct rpt_case *cases = malloc((max + 1) * sizeof(*cases));
	int n = cases ? rpt_cases_of(run, test, path, cases, max) : -ENOMEM;
	int i;

	for (i = 0; i < n; i++) {
		const struct vfb_result *r = cases[i].rows[0];
		struct rpt_point *p = &pts[i];

		*p = (struct rpt_point){ .size = r->msg_bytes,
					 .p50 = NAN,
					 .p99 = NAN,
					 .bw = NAN,
					 .reps = (unsigned int)cases[i].n,
					 .samples = r->iters };
		/* over repetitions: the median of their figures (bandwidth:
		 * the mean) */
		if (r->has_lat) {
			p->p50 = over_reps(&cases[i], "lat_p50_us",
					   VFB_STAT_MEDIAN);
			p->p99 = over_reps(&cases[i], "lat_p99_us",
					   VFB_STAT_MEDIAN);
		} else {
			p->bw = over_reps(&cases[i], "bw_avg_gbps",
					  VFB_STAT_MEAN);
		}
	}
	free(cases);
	return n > 0 ? (size_t)n : 0;
}

int rpt_case_samples(const struct rpt_run *run, const char *test,
		     const char *path, uint64_t size, double **v, size_t *n)
{
	struct rpt_case c;
	size_t i;
	int ret;

	*v = NULL;
	*n = 0;
	if ((ret = rpt_case_find(run, test, path, size, &c)))
		return ret;
	for (i = 0; i < c.n; i++) {
		ret = rpt_samples_read(run->dir, c.rows[i]->path,
				       c.rows[i]->test, c.rows[i]->msg_bytes,
				       c.rows[i]->rep, v, n);
		if (ret) {
			free(*v);
			*v = NULL;
			*n = 0;
			return ret;
		}
	}
	return 0;
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
	int k = 0, r, j, more = 0;
	size_t i;

	for (r = 0; r < nruns; r++)
		for (i = 0; i < runs[r].nrows; i++) {
			const char *v = tests ? runs[r].rows[i].test :
						runs[r].rows[i].path;

			if (!v[0])
				continue;
			for (j = 0; j < k && strcmp(out[j], v); j++)
				;
			if (j < k)
				continue;
			if (k < max)
				out[k++] = v;
			else
				more++; /* rows of it, beyond what fits */
		}
	if (more)
		vfb_warn("report: more %s than the %d a report shows: %d rows "
			 "are in results.csv but not in the report",
			 tests ? "tests" : "paths", max, more);
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

bool rpt_test_round_trip(const struct rpt_run *runs, int nruns,
			 const char *test)
{
	size_t i;
	int r;

	for (r = 0; r < nruns; r++)
		for (i = 0; i < runs[r].nrows; i++)
			if (!strcmp(runs[r].rows[i].test, test) &&
			    !strcmp(runs[r].rows[i].lat_basis, "rtt"))
				return true;
	return false;
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
