/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pathkind.h"
#include "report.h"
#include "samples.h"

/* The ok rows of (TEST, PATH, SIZE): one per repetition. */
static size_t reps_of(const struct rpt_run *run, const char *test,
		      const char *path, uint64_t size,
		      const struct vfb_result **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < run->nrows && n < max; i++) {
		const struct vfb_result *r = &run->rows[i];

		if (r->status == VFB_STATUS_OK && r->msg_bytes == size &&
		    !strcmp(r->test, test) && !strcmp(r->path, path))
			out[n++] = r;
	}
	return n;
}

#define REPS_MAX 1000

/* METRIC (a column) of each repetition that has it, into V. */
static size_t metric_values(const struct vfb_result *const *rows, size_t n,
			    const char *metric, double *v)
{
	size_t i, k = 0;
	double x;

	for (i = 0; i < n; i++)
		if (!isnan(x = rpt_metric(rows[i], metric)))
			v[k++] = x;
	return k;
}

size_t rpt_series(const struct rpt_run *run, const char *test, const char *path,
		  struct rpt_point *pts, size_t max)
{
	static const struct vfb_result *rows[REPS_MAX];
	double v[REPS_MAX];
	size_t i, j, n = 0, k, m;

	for (i = 0; i < run->nrows && n < max; i++) {
		const struct vfb_result *r = &run->rows[i];
		struct rpt_point p = { r->msg_bytes, NAN, NAN, NAN, 0, 0 };

		if (r->status != VFB_STATUS_OK || strcmp(r->test, test) ||
		    strcmp(r->path, path))
			continue;
		for (j = 0; j < n && pts[j].size != p.size; j++)
			;
		if (j < n)
			continue; /* this size is in already, all its reps */
		k = reps_of(run, test, path, p.size, rows, REPS_MAX);
		p.reps = (unsigned int)k;
		p.samples = r->iters;
		/* over repetitions: the median of their figures (bandwidth:
		 * the mean) */
		if (r->has_lat) {
			m = metric_values(rows, k, "lat_p50_us", v);
			p.p50 = vfb_stat_of(v, m, VFB_STAT_MEDIAN);
			m = metric_values(rows, k, "lat_p99_us", v);
			p.p99 = m ? vfb_stat_of(v, m, VFB_STAT_MEDIAN) : NAN;
		} else {
			m = metric_values(rows, k, "bw_avg_gbps", v);
			p.bw = vfb_stat_of(v, m, VFB_STAT_MEAN);
		}
		for (j = n; j > 0 && pts[j - 1].size > p.size; j--)
			pts[j] = pts[j - 1];
		pts[j] = p;
		n++;
	}
	return n;
}

double rpt_overhead(const struct rpt_run *run, const char *test,
		    const char *path, uint64_t size)
{
	struct vfb_cmp c;

	return rpt_compare(run, test, path, size, VFB_CMP_THRESHOLD, &c) ?
		       NAN :
		       c.est;
}

/* Every sample of the rows' repetitions, in order; -ENOENT when any is
 * missing (an older run, or one without a results directory). */
static int all_samples(const struct rpt_run *run,
		       const struct vfb_result *const *rows, size_t n,
		       double **v, size_t *nv)
{
	size_t i;
	int ret;

	*v = NULL;
	*nv = 0;
	for (i = 0; i < n; i++) {
		ret = rpt_samples_read(run->dir, rows[i]->path, rows[i]->test,
				       rows[i]->msg_bytes, rows[i]->rep, v, nv);
		if (ret) {
			free(*v);
			*v = NULL;
			return ret;
		}
	}
	return 0;
}

int rpt_case_samples(const struct rpt_run *run, const char *test,
		     const char *path, uint64_t size, double **v, size_t *n)
{
	static const struct vfb_result *rows[REPS_MAX];
	size_t k = reps_of(run, test, path, size, rows, REPS_MAX);

	*v = NULL;
	*n = 0;
	return k ? all_samples(run, rows, k, v, n) : -ENOENT;
}

/* One side of a comparison: a run and its rows of one case. */
struct side {
	const struct rpt_run *run;
	const struct vfb_result *const *rows;
	size_t n;
	double v[REPS_MAX]; /* the metric of each repetition */
	size_t nv;
};

/* A latency percentile's samples, block-bootstrapped; a rank test on
 * the repetitions too where both sides have 4 or more. */
static int by_samples(const struct side *a, const struct side *b,
		      enum vfb_stat st, bool b_over_a, double threshold,
		      uint64_t seed, struct vfb_cmp *out)
{
	double *as, *bs;
	size_t nas, nbs;
	int ret;

	if (all_samples(a->run, a->rows, a->n, &as, &nas))
		return -ENOENT;
	if (all_samples(b->run, b->rows, b->n, &bs, &nbs)) {
		free(as);
		return -ENOENT;
	}
	ret = b_over_a ? vfb_cmp_series(as, nas, bs, nbs, st, threshold, seed,
					out) :
			 vfb_cmp_series(bs, nbs, as, nas, st, threshold, seed,
					out);
	free(as);
	free(bs);
	if (!ret)
		vfb_cmp_decide(
			out,
			a->nv >= 4 && b->nv >= 4 ?
				vfb_mann_whitney_p(a->v, a->nv, b->v, b->nv) :
				NAN,
			threshold);
	return ret;
}

/*
 * B against A for METRIC, as a ratio that is above 1 when B is worse
 * (B/A for latency, A/B for bandwidth: B_OVER_A says which). In order:
 * the samples (latency p50/p99), the repetitions (two or more a side),
 * the rows' own median intervals (p50: marked block 0, not
 * autocorrelation-aware), or an estimate without an interval.
 */
static int compare_sides(struct side *a, struct side *b, const char *metric,
			 bool b_over_a, double threshold, uint64_t seed,
			 struct vfb_cmp *out)
{
	bool p50 = !strcmp(metric, "lat_p50_us"),
	     p99 = !strcmp(metric, "lat_p99_us");
	enum vfb_stat st = p50 || p99 ? VFB_STAT_MEDIAN : VFB_STAT_MEAN;
	double va, vb, rel;

	memset(out, 0, sizeof(*out));
	a->nv = metric_values(a->rows, a->n, metric, a->v);
	b->nv = metric_values(b->rows, b->n, metric, b->v);
	if (!a->nv || !b->nv)
		return -ENOENT;
	if ((p50 || p99) &&
	    !by_samples(a, b, p50 ? VFB_STAT_MEDIAN : VFB_STAT_P99, b_over_a,
			threshold, seed, out))
		return 0;
	if (a->nv >= 2 && b->nv >= 2)
		return b_over_a ? vfb_cmp_reps(a->v, a->nv, b->v, b->nv, st,
					       threshold, seed, out) :
				  vfb_cmp_reps(b->v, b->nv, a->v, a->nv, st,
					       threshold, seed, out);
	va = a->v[0];
	vb = b->v[0];
	if (!(va > 0) || !(vb > 0))
		return -EINVAL;
	out->est = b_over_a ? vb / va : va / vb;
	out->lo = out->hi = out->p = NAN;
	if (p50 && !isnan(a->rows[0]->ci_rel) && !isnan(b->rows[0]->ci_rel)) {
		rel = sqrt(a->rows[0]->ci_rel * a->rows[0]->ci_rel +
			   b->rows[0]->ci_rel * b->rows[0]->ci_rel);
		out->lo = out->est * (1 - rel);
		out->hi = out->est * (1 + rel);
		out->block = 0;
		vfb_cmp_decide(out, NAN, threshold);
	}
	return 0;
}

static uint64_t seed_of(const char *test, const char *path, uint64_t size)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *test; test++)
		h = (h ^ (uint8_t)*test) * 1099511628211ULL;
	for (; *path; path++)
		h = (h ^ (uint8_t)*path) * 1099511628211ULL;
	return h ^ size;
}

int rpt_compare(const struct rpt_run *run, const char *test, const char *path,
		uint64_t size, double threshold, struct vfb_cmp *out)
{
	static const struct vfb_result *br[REPS_MAX], *xr[REPS_MAX];
	static struct side a, b;

	a = (struct side){ .run = run, .rows = br };
	b = (struct side){ .run = run, .rows = xr };
	a.n = reps_of(run, test, vfb_path_baseline()->name, size, br, REPS_MAX);
	b.n = reps_of(run, test, path, size, xr, REPS_MAX);
	memset(out, 0, sizeof(*out));
	if (!a.n || !b.n)
		return -ENOENT;
	return compare_sides(
		&a, &b, br[0]->has_lat ? "lat_p50_us" : "bw_avg_gbps",
		br[0]->has_lat, threshold, seed_of(test, path, size), out);
}

int rpt_compare_runs(const struct rpt_run *base, const struct rpt_run *cand,
		     const struct vfb_result *key, const char *metric,
		     bool higher_is_worse, double threshold,
		     struct vfb_cmp *out)
{
	static const struct vfb_result *br[REPS_MAX], *cr[REPS_MAX];
	static struct side a, b;

	a = (struct side){ .run = base, .rows = br };
	b = (struct side){ .run = cand, .rows = cr };
	a.n = reps_of(base, key->test, key->path, key->msg_bytes, br, REPS_MAX);
	b.n = reps_of(cand, key->test, key->path, key->msg_bytes, cr, REPS_MAX);
	memset(out, 0, sizeof(*out));
	if (!a.n || !b.n)
		return -ENOENT;
	return compare_sides(&a, &b, metric, higher_is_worse, threshold,
			     seed_of(key->test, key->path, key->msg_bytes),
			     out);
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
	/* the sizes of one test are one family: Holm over their rank tests */
	vfb_holm(p, n < 64 ? n : 64);
	for (i = 0; i < n && i < 64; i++)
		if (have[i] && !isnan(out[i].lo))
			vfb_cmp_decide(&out[i], p[i], threshold);
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

int rpt_compare_rows(const struct rpt_run *base, const struct vfb_result *b,
		     const struct rpt_run *cand, const struct vfb_result *c,
		     const char *metric, bool higher_is_worse, double threshold,
		     struct vfb_cmp *out)
{
	static const struct vfb_result *br[1], *cr[1];
	static struct side x, y;

	br[0] = b;
	cr[0] = c;
	x = (struct side){ .run = base, .rows = br, .n = 1 };
	y = (struct side){ .run = cand, .rows = cr, .n = 1 };
	return compare_sides(&x, &y, metric, higher_is_worse, threshold,
			     seed_of(c->test, c->path, c->msg_bytes), out);
}
