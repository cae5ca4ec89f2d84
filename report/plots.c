/* SPDX-License-Identifier: MIT */
/* The plots renderer: every scenario's figures (scenario.h), their data
 * files first, then plots.gp with each drawn figure for both terminals. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "pathkind.h"
#include "report.h"
#include "scenario.h"

static const char *const terms[] = { "pngcairo", "svg" };

/* Whether each figure of each instance was drawn, in walking order. */
struct drawn {
	bool *v;
	size_t n, cap;
};

static int drawn_add(struct drawn *d, bool yes)
{
	bool *g;

	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		if (!(g = realloc(d->v, d->cap * sizeof(*g))))
			return -ENOMEM;
		d->v = g;
	}
	d->v[d->n++] = yes;
	return 0;
}

/* The next instance of S's figures from *AT into V (once: NULL each). */
static bool next(const struct rpt_scenario *s, struct rpt_view *v, size_t *at)
{
	if (s->fig_each)
		return s->fig_each(v, at);
	return (*at)++ == 0;
}

static int write_data(const struct rpt_scenario *s, struct rpt_view v,
		      const struct rpt_dir *dir, struct drawn *d, char *err,
		      size_t errlen)
{
	size_t at = 0, k;
	int ret = 0;

	if (s->state && !(v.state = calloc(1, s->state)))
		return -ENOMEM;
	while (!ret && next(s, &v, &at))
		for (k = 0; k < s->nfigures && !ret; k++) {
			ret = s->figures[k].data(&v, dir, err, errlen);
			if (ret >= 0)
				ret = drawn_add(d, ret > 0);
		}
	free(v.state);
	return ret;
}

/* S's drawn figures for TERM (from D's *I on): how many, or -ENOMEM. */
static int write_script(FILE *g, const struct rpt_scenario *s,
			struct rpt_view v, const char *term,
			const struct drawn *d, size_t *i)
{
	size_t at = 0, k;
	int n = 0;

	if (s->state && !(v.state = calloc(1, s->state)))
		return -ENOMEM;
	while (next(s, &v, &at))
		for (k = 0; k < s->nfigures; k++)
			if (d->v[(*i)++]) {
				s->figures[k].script(g, &v, term);
				n++;
			}
	if (n && s->gp_after)
		fputs(s->gp_after, g);
	free(v.state);
	return n;
}

static bool present(const struct rpt_scenario *s, const struct rpt_run *run)
{
	return !s->present || s->present(run);
}

static int plots(const struct rpt_view *v, const struct rpt_dir *dir, char *err,
		 size_t errlen)
{
	size_t ns, j, i, t;
	const struct rpt_scenario *const *s = rpt_scenarios(&ns);
	struct drawn d = { 0 };
	struct rpt_out g;
	int ret = 0, nplots = 0, n = 0;

	for (j = 0; j < ns && !ret; j++)
		if (present(s[j], v->run))
			ret = write_data(s[j], *v, dir, &d, err, errlen);
	if (ret || (ret = rpt_plot_open(&g, dir, "plots.gp", err, errlen)))
		goto out;
	rpt_plot_preamble(g.f);
	for (t = 0; t < RPT_LEN(terms) && n >= 0; t++)
		for (j = 0, i = 0; j < ns && n >= 0; j++)
			if (present(s[j], v->run) &&
			    (n = write_script(g.f, s[j], *v, terms[t], &d,
					      &i)) > 0)
				nplots += n;
	if (n < 0) {
		rpt_out_discard(&g);
		snprintf(err, errlen, "%s/plots.gp: %s", dir->path,
			 strerror(-n));
		ret = n;
		goto out;
	}
	ret = rpt_plot_close(&g, dir, err, errlen);
out:
	free(d.v);
	return ret ? ret : nplots / 2;
}

int rpt_plots_write(const struct rpt_run *runs, int nruns,
		    const struct rpt_dir *dir, uint64_t ref_size, char *err,
		    size_t errlen)
{
	const char *tests[RPT_MAX_TESTS], *paths[RPT_MAX_PATHS];
	struct rpt_view v = { .run = &runs[0],
			      .runs = runs,
			      .nruns = nruns,
			      .tests = tests,
			      .paths = paths,
			      .base = vfb_path_baseline()->name,
			      .ref_size = ref_size };

	v.nt = rpt_tests(runs, nruns, tests, RPT_MAX_TESTS);
	v.np = rpt_paths(runs, nruns, paths, RPT_MAX_PATHS);
	return plots(&v, dir, err, errlen);
}
