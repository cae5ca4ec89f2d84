/* SPDX-License-Identifier: MIT */
/* The sharing plots (scenario.h): each device alone and together against
 * the fair share, the aggregate against the devices active, the victim's
 * percentiles alone and loaded. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "escape.h"
#include "gnuplot.h"
#include "scn.h"

#define is(r, sc, ro) (!strcmp((r)->scenario, sc) && !strcmp((r)->role, ro))

static const struct vfb_result *first(const struct rpt_run *run,
				      const char *scenario, const char *role)
{
	size_t i;

	for (i = 0; i < run->nshare; i++)
		if (is(&run->share[i], scenario, role))
			return &run->share[i];
	return NULL;
}

const struct vfb_result *rpt_share_find(const struct rpt_run *run,
					const char *scenario,
					const char *device, const char *test,
					uint64_t size)
{
	size_t i;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (!strcmp(r->scenario, scenario) &&
		    !strcmp(r->device, device) && !strcmp(r->test, test) &&
		    r->msg_bytes == size)
			return r;
	}
	return NULL;
}

static double bw(const struct vfb_result *r)
{
	return r && r->has_bw && r->status == VFB_STATUS_OK ? r->bw_avg_gbps :
							      NAN;
}

/* share_fairness.dat: each member alone and together. */
static int fairness_data(const struct rpt_view *v, const struct rpt_dir *dir,
			 char *err, size_t len)
{
	const struct rpt_run *run = v->run;
	const struct vfb_result *a = first(run, "fairness", "aggregate");
	struct rpt_out o;
	char dev[160];
	size_t i;
	FILE *f;
	int ret;

	if (!a || !a->active)
		return 0;
	if ((ret = rpt_plot_open(&o, dir, "share_fairness.dat", err, len)))
		return ret;
	f = o.f;
	fprintf(f, "# device\talone Gb/s\ttogether Gb/s\n");
	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (!is(r, "fairness", "member") || strcmp(r->test, a->test) ||
		    r->msg_bytes != a->msg_bytes)
			continue;
		/* an xtic label: a data field, never gnuplot text */
		fprintf(f, "%s\t",
			rpt_esc_datafield(dev, sizeof(dev), r->device));
		rpt_plot_num(f,
			     bw(rpt_share_find(run, "solo", r->device, r->test,
					       r->msg_bytes)),
			     "\t");
		rpt_plot_num(f, bw(r), "\n");
	}
	ret = rpt_plot_close(&o, dir, err, len);
	return ret ? ret : 1;
}

static void fairness_script(FILE *g, const struct rpt_view *v, const char *term)
{
	const struct vfb_result *a = first(v->run, "fairness", "aggregate");
	char qt[64];

	rpt_plot_terminal(g, term, "share_fairness");
	fprintf(g,
		"set title 'fairness: %s %llu B, %u devices at once (line: the fair share)'\n"
		"unset logscale x\nset format x \"%%g\"\nset xlabel \"device\"\n"
		"set ylabel \"bandwidth [Gb/s]\"\nset yrange [0:*]\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.6 border -1\nset boxwidth 0.9\n"
		"plot \"share_fairness.dat\" using 2:xtic(1) title \"alone\", "
		"\"\" using 3 title \"together\", %.9g with lines lw 2 dt 2 "
		"title \"fair share\"\n"
		"set style data linespoints\nset style fill transparent solid 0.15 noborder\n"
		"unset yrange\nset logscale x 2\nset format x \"%%.0b %%BB\"\n"
		"set xlabel \"message size\"\n",
		rpt_esc_gnuplot(qt, sizeof(qt), a->test),
		(unsigned long long)a->msg_bytes, a->active, bw(a) / a->active);
}

/* share_scaling.dat: the aggregate and its share a device, by devices. */
static int scaling_data(const struct rpt_view *v, const struct rpt_dir *dir,
			char *err, size_t len)
{
	const struct rpt_run *run = v->run;
	const struct vfb_result *a0 = first(run, "scaling", "aggregate");
	struct rpt_out o;
	size_t i;
	FILE *f;
	int ret;

	if (!a0)
		return 0;
	if ((ret = rpt_plot_open(&o, dir, "share_scaling.dat", err, len)))
		return ret;
	f = o.f;
	fprintf(f, "# active\taggregate Gb/s\tper device Gb/s\n");
	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (!is(r, "scaling", "aggregate") ||
		    strcmp(r->test, a0->test) || r->msg_bytes != a0->msg_bytes)
			continue;
		fprintf(f, "%u\t", r->active);
		rpt_plot_num(f, bw(r), "\t");
		rpt_plot_num(f, bw(r) / r->active, "\n");
	}
	ret = rpt_plot_close(&o, dir, err, len);
	return ret ? ret : 1;
}

static void scaling_script(FILE *g, const struct rpt_view *v, const char *term)
{
	const struct vfb_result *a0 = first(v->run, "scaling", "aggregate");
	char qt[64];

	rpt_plot_terminal(g, term, "share_scaling");
	fprintf(g,
		"set title 'scaling: %s %llu B against the devices active'\n"
		"unset logscale x\nset format x \"%%g\"\nset xlabel \"devices active\"\n"
		"set ylabel \"bandwidth [Gb/s]\"\nset yrange [0:*]\n"
		"plot \"share_scaling.dat\" using 1:2 with linespoints lw 2 pt 7 title \"aggregate\", "
		"\"\" using 1:3 with linespoints lw 2 pt 5 title \"per device\"\n"
		"unset yrange\nset logscale x 2\nset format x \"%%.0b %%BB\"\n"
		"set xlabel \"message size\"\n",
		rpt_esc_gnuplot(qt, sizeof(qt), a0->test),
		(unsigned long long)a0->msg_bytes);
}

/* The median over the alternations of the victim's percentile Q of SIZE,
 * alone (LOADED false) or loaded. */
static double victim_pct(const struct rpt_run *run, uint64_t size, bool loaded,
			 int q)
{
	double v[256];
	size_t i, n = 0;

	for (i = 0; i < run->nshare && n < 256; i++) {
		const struct vfb_result *r = &run->share[i];
		double x;

		if (!is(r, "isolation", "victim") || r->msg_bytes != size ||
		    (r->active > 1) != loaded || !r->has_lat ||
		    r->status != VFB_STATUS_OK)
			continue;
		x = q == 0 ? r->lat.p50 : q == 1 ? r->lat.p99 : r->lat.p999;
		if (!isnan(x))
			v[n++] = x;
	}
	return n ? vfb_stat_of(v, n, VFB_STAT_MEDIAN) : NAN;
}

/* The sizes of the isolation aggregates (16 at most). */
static size_t victim_sizes(const struct rpt_run *run, uint64_t *sizes)
{
	size_t i, n = 0;

	for (i = 0; i < run->nshare && n < 16; i++)
		if (is(&run->share[i], "isolation", "aggregate"))
			sizes[n++] = run->share[i].msg_bytes;
	return n;
}

static int isolation_data(const struct rpt_view *v, const struct rpt_dir *dir,
			  char *err, size_t len)
{
	static const double x[] = { 2, 100, 1000 }; /* 1/(1-p) */
	uint64_t sizes[16];
	size_t n = victim_sizes(v->run, sizes), k;
	struct rpt_out o;
	int q, ret;
	FILE *f;

	if (!n)
		return 0;
	if ((ret = rpt_plot_open(&o, dir, "share_isolation.dat", err, len)))
		return ret;
	f = o.f;
	for (k = 0; k < n; k++) {
		fprintf(f, "# %llu B: 1/(1-p)\talone us\tloaded us\n",
			(unsigned long long)sizes[k]);
		for (q = 0; q < 3; q++) {
			fprintf(f, "%g\t", x[q]);
			rpt_plot_num(f, victim_pct(v->run, sizes[k], false, q),
				     "\t");
			rpt_plot_num(f, victim_pct(v->run, sizes[k], true, q),
				     "\n");
		}
		fprintf(f, "\n\n");
	}
	ret = rpt_plot_close(&o, dir, err, len);
	return ret ? ret : 1;
}

static void isolation_script(FILE *g, const struct rpt_view *v,
			     const char *term)
{
	uint64_t sizes[16];
	size_t n = victim_sizes(v->run, sizes), k;

	rpt_plot_terminal(g, term, "share_isolation");
	fprintf(g,
		"set title \"isolation: the victim's latency percentiles alone and loaded\"\n"
		"set xlabel \"percentile\"\nset ylabel \"latency [us]\"\n"
		"set logscale x 10\nset logscale y\nunset yrange\n"
		"set xtics (\"50%%%%\" 2, \"99%%%%\" 100, \"99.9%%%%\" 1000)\nplot ");
	for (k = 0; k < n; k++)
		fprintf(g,
			"%s\"share_isolation.dat\" index %zu using 1:2 with linespoints lw 2 pt 7 title \"%llu B alone\", "
			"\"\" index %zu using 1:3 with linespoints lw 2 pt 5 dt 2 title \"%llu B loaded\"",
			k ? ", \\\n  " : "", k, (unsigned long long)sizes[k], k,
			(unsigned long long)sizes[k]);
	fprintf(g,
		"\nunset logscale y\nset xtics auto\nset xlabel \"message size\"\n"
		"set logscale x 2\nset format x \"%%.0b %%BB\"\n");
}

const struct rpt_figure rpt_share_figures[RPT_SHARE_FIGURES] = {
	{ .data = fairness_data, .script = fairness_script },
	{ .data = scaling_data, .script = scaling_script },
	{ .data = isolation_data, .script = isolation_script },
};
