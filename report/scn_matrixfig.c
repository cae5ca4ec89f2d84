/* SPDX-License-Identifier: MIT */
/* The path matrix's figures (scenario.h): per test, latency (p50 over a
 * p50..p99 band) or bandwidth against size by path and run, each path's
 * overhead against the baseline, the latency percentiles at one size. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "gnuplot.h"
#include "pathkind.h"
#include "report.h"
#include "scn.h"

#define MAX_PTS 128

static const char *color(const char *path)
{
	return vfb_path_color(path);
}

static void label_of(const struct rpt_run *run, char *buf, size_t len)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", run->dir);
	snprintf(buf, len, "%s", basename(tmp));
}

/* A series' data file: r<run>.<test>.<path>.dat, names made safe. */
static void series_file(char *buf, size_t len, int run, const char *test,
			const char *path)
{
	char t[RPT_SLUG_MAX], p[RPT_SLUG_MAX];

	snprintf(buf, len, "r%d.%s.%s.dat", run, rpt_slug(t, sizeof(t), test),
		 rpt_slug(p, sizeof(p), path));
}

static void test_file(char *buf, size_t len, const char *kind, const char *test)
{
	char t[RPT_SLUG_MAX];

	snprintf(buf, len, "%s.%s.dat", kind, rpt_slug(t, sizeof(t), test));
}

static int write_one_series(const struct rpt_run *run, int r,
			    const struct rpt_dir *dir, const char *test,
			    const char *path, char *err, size_t errlen)
{
	struct rpt_point pts[MAX_PTS];
	char name[256], label[128], l[256], t[64], p[64];
	struct rpt_out o;
	size_t i, n;
	int ret;

	label_of(run, label, sizeof(label));
	series_file(name, sizeof(name), r, test, path);
	if ((ret = rpt_plot_open(&o, dir, name, err, errlen)))
		return ret;
	fprintf(o.f, "# %s %s %s: size p50_us p99_us bw_gbps\n",
		rpt_esc_datafield(l, sizeof(l), label),
		rpt_esc_datafield(t, sizeof(t), test),
		rpt_esc_datafield(p, sizeof(p), path));
	n = rpt_series(run, test, path, pts, MAX_PTS);
	for (i = 0; i < n; i++)
		fprintf(o.f, "%llu\t%.6g\t%.6g\t%.6g\n",
			(unsigned long long)pts[i].size, pts[i].p50, pts[i].p99,
			pts[i].bw);
	return rpt_plot_close(&o, dir, err, errlen);
}

/* overhead.TEST.dat: a column per path against the baseline's sizes. */
static int write_overhead(const struct rpt_run *run, const struct rpt_dir *dir,
			  const char *test, const char *const *paths, int np,
			  char *err, size_t errlen)
{
	const char *base = vfb_path_baseline()->name;
	struct rpt_point pts[MAX_PTS];
	char name[256], pn[64];
	struct rpt_out o;
	struct vfb_cmp c;
	size_t i, n;
	int p, ret;
	double v;
	FILE *f;

	test_file(name, sizeof(name), "overhead", test);
	if ((ret = rpt_plot_open(&o, dir, name, err, errlen)))
		return ret;
	f = o.f;
	/* per path: the ratio and its 95% interval (no interval
	 * known: the ratio itself, a bar of no length) */
	fprintf(f, "size");
	for (p = 0; p < np; p++)
		if (strcmp(paths[p], base))
			fprintf(f, "\t%s\tlo\thi",
				rpt_esc_datafield(pn, sizeof(pn), paths[p]));
	fputc('\n', f);
	n = rpt_series(run, test, base, pts, MAX_PTS);
	for (i = 0; i < n; i++) {
		fprintf(f, "%llu", (unsigned long long)pts[i].size);
		for (p = 0; p < np; p++) {
			if (!strcmp(paths[p], base))
				continue;
			if (rpt_compare(run, test, paths[p], pts[i].size,
					VFB_CMP_THRESHOLD, &c)) {
				fprintf(f, "\t?\t?\t?");
				continue;
			}
			v = c.est;
			fprintf(f, "\t%.4f\t%.4f\t%.4f", v,
				isnan(c.lo) ? v : c.lo, isnan(c.hi) ? v : c.hi);
		}
		fputc('\n', f);
	}
	return rpt_plot_close(&o, dir, err, errlen);
}

#define PCT_POINTS 48

/*
 * A path's latency percentiles at x = 1/(1-p) (HdrHistogram's axis): from
 * its samples when kept (points up to what their count supports), else
 * the row's p50, p99, p99.9, p99.99 (those it carries).
 */
static int pct_curve(const struct rpt_run *run, const char *test,
		     const char *path, uint64_t size, double *x, double *y)
{
	static const double qs[] = { 0.5, 0.99, 0.999, 0.9999 };
	double *v = NULL;
	size_t n = 0, k, i;
	int m = 0;

	if (!rpt_case_samples(run, test, path, size, &v, &n) && n >= 2) {
		qsort(v, n, sizeof(*v), vfb_cmp_double);
		for (k = 0; k < PCT_POINTS; k++) {
			double xx =
				pow(10, 0.30103 + (double)k / 8); /* from 2 */
			double q = 1 - 1 / xx;

			if (!vfb_pct_supported(q, n) && xx > 2)
				break;
			x[m] = xx;
			y[m++] = v[vfb_rank(n, q)];
		}
		free(v);
		return m;
	}
	free(v);
	for (i = 0; i < run->nrows; i++) {
		const struct vfb_result *r = &run->rows[i];
		double q[4];

		if (r->status != VFB_STATUS_OK || !r->has_lat ||
		    r->msg_bytes != size || strcmp(r->test, test) ||
		    strcmp(r->path, path))
			continue;
		q[0] = r->lat.p50, q[1] = r->lat.p99, q[2] = r->lat.p999;
		q[3] = r->lat.p9999;
		for (k = 0; k < 4; k++)
			if (!isnan(q[k])) {
				x[m] = 1 / (1 - qs[k]);
				y[m++] = q[k];
			}
		break; /* the first round's row stands for them */
	}
	return m;
}

/* percentiles.TEST.dat: x = 1/(1-p), then a latency column per path. */
static int write_percentiles(const struct rpt_run *run,
			     const struct rpt_dir *dir, const char *test,
			     const char *const *paths, int np, uint64_t size,
			     char *err, size_t errlen)
{
	static double x[RPT_MAX_PATHS][PCT_POINTS],
		y[RPT_MAX_PATHS][PCT_POINTS];
	int m[RPT_MAX_PATHS], p, k, found = 0, ret;
	char name[256], pn[64];
	struct rpt_out o;
	FILE *f;

	for (p = 0; p < np; p++)
		found += (m[p] = pct_curve(run, test, paths[p], size, x[p],
					   y[p])) > 0;
	if (!found)
		return 0;
	test_file(name, sizeof(name), "percentiles", test);
	if ((ret = rpt_plot_open(&o, dir, name, err, errlen)))
		return ret;
	f = o.f;
	/* one block per path (gnuplot: index), x and latency */
	for (p = 0; p < np; p++) {
		fprintf(f, "# %s\n",
			rpt_esc_datafield(pn, sizeof(pn), paths[p]));
		for (k = 0; k < m[p]; k++)
			fprintf(f, "%.6g\t%.6g\n", x[p][k], y[p][k]);
		if (!m[p])
			fprintf(f, "?\t?\n");
		fprintf(f, "\n\n");
	}
	ret = rpt_plot_close(&o, dir, err, errlen);
	return ret ? ret : 1;
}

/* A path in a legend: its name, and its kind's label when the path-kind
 * table has it; quoted for a gnuplot single-quoted string. */
static const char *legend(const char *path, char *buf, size_t len)
{
	const struct vfb_path_kind *k = vfb_path_kind_find(path);
	char raw[128];

	if (k && k != vfb_path_unknown())
		snprintf(raw, sizeof(raw), "%s (%s)", path, k->label);
	else
		snprintf(raw, sizeof(raw), "%s", path);
	return rpt_esc_gnuplot(buf, len, raw);
}

/* Latency (p50 line over a p50..p99 band) or bandwidth vs size, per path. */
static void plot_series(FILE *g, const struct rpt_run *runs, const char *term,
			const char *test, bool lat, int nruns,
			const char *const *paths, int np, char labels[][128])
{
	char name[RPT_SLUG_MAX + 8], file[160], lbl[256], qt[64], ql[256];
	int r, p;

	rpt_plot_name(name, sizeof(name), lat ? "lat" : "bw", test);
	rpt_plot_terminal(g, term, name);
	rpt_esc_gnuplot(qt, sizeof(qt), test);
	if (lat)
		fprintf(g,
			"set title '%s: latency vs message size (%s; line: p50, band: p50 to p99)'\n"
			"set ylabel \"latency [us]\"\n",
			qt,
			rpt_test_round_trip(runs, nruns, test) ?
				"the whole round trip" :
				"half round trip");
	else
		fprintf(g,
			"set title '%s: average bandwidth vs message size'\n"
			"set ylabel \"bandwidth [Gb/s]\"\n",
			qt);
	fprintf(g, "set logscale y\nunset yrange\nplot \\\n");
	for (r = 0; r < nruns; r++)
		for (p = 0; p < np; p++) {
			series_file(file, sizeof(file), r, test, paths[p]);
			if (lat)
				fprintf(g,
					"  '%s' using 1:2:3 with filledcurves lc rgb \"%s\" notitle, \\\n",
					file, color(paths[p]));
			fprintf(g,
				"  '%s' using 1:%d with linespoints lw 2 pt 7 dt %d lc rgb \"%s\" title '%s%s%s'%s\n",
				file, lat ? 2 : 4, r + 1, color(paths[p]),
				legend(paths[p], lbl, sizeof(lbl)),
				nruns > 1 ? " " : "",
				nruns > 1 ? rpt_esc_gnuplot(ql, sizeof(ql),
							    labels[r]) :
					    "",
				r == nruns - 1 && p == np - 1 ? "" : ", \\");
		}
}

static void plot_overhead(FILE *g, const char *term, const char *test, bool lat,
			  const char *const *paths, int np)
{
	const char *base = vfb_path_baseline()->name;
	char name[RPT_SLUG_MAX + 16], file[RPT_SLUG_MAX + 16], what[96];
	char qt[64], qp[64];
	int p, col = 2;

	rpt_plot_name(name, sizeof(name), "overhead", test);
	test_file(file, sizeof(file), "overhead", test);
	rpt_plot_terminal(g, term, name);
	if (lat)
		snprintf(what, sizeof(what), "p50 latency / %s p50 latency",
			 base);
	else
		snprintf(what, sizeof(what), "%s bandwidth / bandwidth", base);
	fprintf(g,
		"set title '%s: overhead relative to %s (%s; above 1 is slower; bars: 95%% interval)'\n"
		"set ylabel \"ratio to %s\"\nunset logscale y\nset yrange [0:*]\n"
		"plot 1 with lines lc rgb \"%s\" dt 2 title '%s'",
		rpt_esc_gnuplot(qt, sizeof(qt), test), base, what, base,
		color(base), base);
	for (p = 0; p < np; p++) {
		if (!strcmp(paths[p], base))
			continue;
		fprintf(g,
			", \\\n  '%s' using 1:%d:%d:%d with yerrorlines "
			"lw 2 pt 7 lc rgb \"%s\" title '%s'",
			file, col, col + 1, col + 2, color(paths[p]),
			rpt_esc_gnuplot(qp, sizeof(qp), paths[p]));
		col += 3;
	}
	fputc('\n', g);
}

static void plot_percentiles(FILE *g, const char *term, const char *test,
			     uint64_t size, const char *const *paths, int np)
{
	char name[RPT_SLUG_MAX + 16], file[RPT_SLUG_MAX + 16], qt[64], qp[64];
	int p;

	rpt_plot_name(name, sizeof(name), "percentiles", test);
	test_file(file, sizeof(file), "percentiles", test);
	rpt_plot_terminal(g, term, name);
	fprintf(g,
		"set title '%s: latency percentiles at %llu B (x: 1/(1-p), as HdrHistogram plots them)'\n"
		"set xlabel \"percentile\"\nset ylabel \"latency [us]\"\n"
		"set logscale x 10\nset logscale y\nunset yrange\n"
		"set xtics (\"50%%%%\" 2, \"90%%%%\" 10, \"99%%%%\" 100, \"99.9%%%%\" 1000, \"99.99%%%%\" 10000, \"99.999%%%%\" 100000)\n" /* a tic label is a format: %% */
		"plot ",
		rpt_esc_gnuplot(qt, sizeof(qt), test),
		(unsigned long long)size);
	for (p = 0; p < np; p++)
		fprintf(g,
			"%s'%s' index %d using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb \"%s\" title '%s'",
			p ? ", \\\n  " : "", file, p, color(paths[p]),
			rpt_esc_gnuplot(qp, sizeof(qp), paths[p]));
	fprintf(g, "\nset xtics auto\nset xlabel \"message size\"\n"
		   "set logscale x 2\nset format x \"%%.0b %%BB\"\n");
}

bool rpt_each_test(struct rpt_view *v, size_t *at)
{
	if (*at >= (size_t)v->nt)
		return false;
	v->test = v->tests[(*at)++];
	return true;
}

static int series_data(const struct rpt_view *v, const struct rpt_dir *dir,
		       char *err, size_t len)
{
	int r, p, ret;

	for (r = 0; r < v->nruns; r++)
		for (p = 0; p < v->np; p++)
			if ((ret = write_one_series(&v->runs[r], r, dir,
						    v->test, v->paths[p], err,
						    len)))
				return ret;
	return 1;
}

static void series_script(FILE *g, const struct rpt_view *v, const char *term)
{
	char labels[RPT_MAX_RUNS][128];
	int i;

	for (i = 0; i < v->nruns; i++)
		label_of(&v->runs[i], labels[i], sizeof(labels[i]));
	plot_series(g, v->runs, term, v->test,
		    rpt_test_latency(v->runs, v->nruns, v->test), v->nruns,
		    v->paths, v->np, labels);
}

static int overhead_data(const struct rpt_view *v, const struct rpt_dir *dir,
			 char *err, size_t len)
{
	int ret =
		write_overhead(v->run, dir, v->test, v->paths, v->np, err, len);

	return ret ? ret : 1;
}

static void overhead_script(FILE *g, const struct rpt_view *v, const char *term)
{
	plot_overhead(g, term, v->test,
		      rpt_test_latency(v->runs, v->nruns, v->test), v->paths,
		      v->np);
}

static int percentiles_data(const struct rpt_view *v, const struct rpt_dir *dir,
			    char *err, size_t len)
{
	if (!rpt_test_latency(v->runs, v->nruns, v->test))
		return 0;
	return write_percentiles(v->run, dir, v->test, v->paths, v->np,
				 v->ref_size, err, len);
}

static void percentiles_script(FILE *g, const struct rpt_view *v,
			       const char *term)
{
	plot_percentiles(g, term, v->test, v->ref_size, v->paths, v->np);
}

const struct rpt_figure rpt_matrix_figures[RPT_MATRIX_FIGURES] = {
	{ .data = series_data, .script = series_script },
	{ .data = overhead_data, .script = overhead_script },
	{ .data = percentiles_data, .script = percentiles_script },
};
