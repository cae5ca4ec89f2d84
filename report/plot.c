/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pathkind.h"
#include "report.h"

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

static FILE *open_in(const char *dir, const char *name, char *err,
		     size_t errlen)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

static int write_series(const struct rpt_run *runs, int nruns, const char *dir,
			const char **tests, int nt, const char **paths, int np,
			char *err, size_t errlen)
{
	struct rpt_point pts[MAX_PTS];
	char name[256], label[128];
	int r, t, p;
	size_t i, n;
	FILE *f;

	for (r = 0; r < nruns; r++)
		for (t = 0; t < nt; t++)
			for (p = 0; p < np; p++) {
				label_of(&runs[r], label, sizeof(label));
				snprintf(name, sizeof(name), "r%d.%s.%s.dat", r,
					 tests[t], paths[p]);
				f = open_in(dir, name, err, errlen);
				if (!f)
					return -errno;
				fprintf(f,
					"# %s %s %s: size p50_us p99_us bw_gbps\n",
					label, tests[t], paths[p]);
				n = rpt_series(&runs[r], tests[t], paths[p],
					       pts, MAX_PTS);
				for (i = 0; i < n; i++)
					fprintf(f, "%llu\t%.6g\t%.6g\t%.6g\n",
						(unsigned long long)pts[i].size,
						pts[i].p50, pts[i].p99,
						pts[i].bw);
				fclose(f);
			}
	return 0;
}

/* overhead.TEST.dat: a column per path against the baseline's sizes. */
static int write_overhead(const struct rpt_run *run, const char *dir,
			  const char **tests, int nt, const char **paths,
			  int np, char *err, size_t errlen)
{
	const char *base = vfb_path_baseline()->name;
	struct rpt_point pts[MAX_PTS];
	char name[256];
	size_t i, n;
	int t, p;
	double v;
	FILE *f;

	for (t = 0; t < nt; t++) {
		snprintf(name, sizeof(name), "overhead.%s.dat", tests[t]);
		f = open_in(dir, name, err, errlen);
		if (!f)
			return -errno;
		fprintf(f, "size");
		for (p = 0; p < np; p++)
			if (strcmp(paths[p], base))
				fprintf(f, "\t%s", paths[p]);
		fputc('\n', f);
		n = rpt_series(run, tests[t], base, pts, MAX_PTS);
		for (i = 0; i < n; i++) {
			fprintf(f, "%llu", (unsigned long long)pts[i].size);
			for (p = 0; p < np; p++) {
				if (!strcmp(paths[p], base))
					continue;
				v = rpt_overhead(run, tests[t], paths[p],
						 pts[i].size);
				isnan(v) ? fprintf(f, "\t?") :
					   fprintf(f, "\t%.4f", v);
			}
			fputc('\n', f);
		}
		fclose(f);
	}
	return 0;
}

/* percentiles.dat: one row per percentile, one column per (test, path). */
static int write_percentiles(const struct rpt_run *run, const char *dir,
			     uint64_t size, int *ncols, char *err,
			     size_t errlen)
{
	static const char *const pl[] = { "min",   "p50",    "p99",
					  "p99.9", "p99.99", "max" };
	const struct vfb_result *cols[16];
	size_t i;
	int k = 0, c;
	FILE *f = open_in(dir, "percentiles.dat", err, errlen);

	if (!f)
		return -errno;
	fprintf(f, "percentile");
	for (i = 0; i < run->nrows && k < 16; i++)
		if (run->rows[i].msg_bytes == size && run->rows[i].has_lat &&
		    run->rows[i].status == VFB_STATUS_OK) {
			cols[k++] = &run->rows[i];
			fprintf(f, "\t%s/%s", run->rows[i].path,
				run->rows[i].test);
		}
	fputc('\n', f);
	for (c = 0; c < 6; c++) {
		fprintf(f, "%s", pl[c]);
		for (i = 0; i < (size_t)k; i++) {
			const struct vfb_lat_stats *s = &cols[i]->lat;
			double v[] = { s->min,	s->p50,	  s->p99,
				       s->p999, s->p9999, s->max };

			if (isnan(v[c])) /* too few samples for it */
				fprintf(f, "\t?");
			else
				fprintf(f, "\t%.6g", v[c]);
		}
		fputc('\n', f);
	}
	fclose(f);
	*ncols = k;
	return 0;
}

static void terminal(FILE *g, const char *term, const char *name)
{
	if (!strcmp(term, "svg"))
		fprintf(g,
			"set terminal svg size 960,600 dynamic noenhanced font \"sans,12\"\n");
	else
		fprintf(g,
			"set terminal pngcairo size 960,600 noenhanced font \"sans,10\"\n");
	fprintf(g, "set output \"%s.%s\"\n", name,
		strcmp(term, "svg") ? "png" : "svg");
}

/* Latency (p50 line over a p50..p99 band) or bandwidth vs size, per path. */
static void plot_series(FILE *g, const char *term, const char *test, bool lat,
			int nruns, const char **paths, int np, char **labels)
{
	char name[64];
	int r, p;

	snprintf(name, sizeof(name), "%s_%s", lat ? "lat" : "bw", test);
	terminal(g, term, name);
	if (lat)
		fprintf(g,
			"set title \"%s: latency vs message size (half round trip; line: p50, band: p50 to p99)\"\n"
			"set ylabel \"latency [us]\"\n",
			test);
	else
		fprintf(g,
			"set title \"%s: average bandwidth vs message size\"\n"
			"set ylabel \"bandwidth [Gb/s]\"\n",
			test);
	fprintf(g, "set logscale y\nunset yrange\nplot \\\n");
	for (r = 0; r < nruns; r++)
		for (p = 0; p < np; p++) {
			if (lat)
				fprintf(g,
					"  \"r%d.%s.%s.dat\" using 1:2:3 with filledcurves lc rgb \"%s\" notitle, \\\n",
					r, test, paths[p], color(paths[p]));
			fprintf(g,
				"  \"r%d.%s.%s.dat\" using 1:%d with linespoints lw 2 pt 7 dt %d lc rgb \"%s\" title \"%s%s%s\"%s\n",
				r, test, paths[p], lat ? 2 : 4, r + 1,
				color(paths[p]), paths[p], nruns > 1 ? " " : "",
				nruns > 1 ? labels[r] : "",
				r == nruns - 1 && p == np - 1 ? "" : ", \\");
		}
}

static void plot_overhead(FILE *g, const char *term, const char *test, bool lat,
			  const char **paths, int np)
{
	const char *base = vfb_path_baseline()->name;
	char name[256], what[96];
	int p, col = 2;

	snprintf(name, sizeof(name), "overhead_%s", test);
	terminal(g, term, name);
	if (lat)
		snprintf(what, sizeof(what), "p50 latency / %s p50 latency",
			 base);
	else
		snprintf(what, sizeof(what), "%s bandwidth / bandwidth", base);
	fprintf(g,
		"set title \"%s: overhead relative to %s (%s; above 1 is slower)\"\n"
		"set ylabel \"ratio to %s\"\nunset logscale y\nset yrange [0:*]\n"
		"plot 1 with lines lc rgb \"%s\" dt 2 title \"%s\"",
		test, base, what, base, color(base), base);
	for (p = 0; p < np; p++)
		if (strcmp(paths[p], base))
			fprintf(g,
				", \\\n  \"overhead.%s.dat\" using 1:%d with linespoints "
				"lw 2 pt 7 lc rgb \"%s\" title \"%s\"",
				test, col++, color(paths[p]), paths[p]);
	fputc('\n', g);
}

static void plot_percentiles(FILE *g, const char *term, uint64_t size,
			     int ncols)
{
	terminal(g, term, "percentiles");
	fprintf(g,
		"set title \"latency percentiles at %llu B, every path and test\"\n"
		"set xlabel \"percentile\"\nset ylabel \"latency [us]\"\nunset logscale x\n"
		"set logscale y\nunset yrange\nset format x \"%%g\"\n"
		"plot for [c=2:%d] \"percentiles.dat\" using c:xtic(1) with linespoints lw 2 pt 7 title columnheader(c)\n"
		"set xlabel \"message size\"\nset logscale x 2\nset format x \"%%.0b %%BB\"\n",
		(unsigned long long)size, ncols + 1);
}

int rpt_plots_write(const struct rpt_run *runs, int nruns, const char *dir,
		    uint64_t ref_size, char *err, size_t errlen)
{
	static const char *const terms[] = { "pngcairo", "svg" };
	const char *tests[RPT_MAX_TESTS], *paths[RPT_MAX_PATHS];
	char *labels[RPT_MAX_RUNS], lbuf[RPT_MAX_RUNS][128];
	int nt = rpt_tests(runs, nruns, tests, RPT_MAX_TESTS);
	int np = rpt_paths(runs, nruns, paths, RPT_MAX_PATHS);
	int ncols = 0, ret, t, k, nplots = 0, i;
	FILE *g;

	for (i = 0; i < nruns; i++) {
		label_of(&runs[i], lbuf[i], sizeof(lbuf[i]));
		labels[i] = lbuf[i];
	}
	if ((ret = write_series(runs, nruns, dir, tests, nt, paths, np, err,
				errlen)) ||
	    (ret = write_overhead(&runs[0], dir, tests, nt, paths, np, err,
				  errlen)) ||
	    (ret = write_percentiles(&runs[0], dir, ref_size, &ncols, err,
				     errlen)))
		return ret;
	g = open_in(dir, "plots.gp", err, errlen);
	if (!g)
		return -errno;
	fprintf(g,
		"# Generated by 'vfbench report'; run in this folder: gnuplot plots.gp\n"
		"set datafile separator \"\\t\"\nset datafile missing \"?\"\n"
		"set grid\nset key outside right top\n"
		"set style fill transparent solid 0.15 noborder\n"
		"set logscale x 2\nset format x \"%%.0b %%BB\"\nset xlabel \"message size\"\n");
	for (k = 0; k < 2; k++) {
		for (t = 0; t < nt; t++) {
			bool lat = rpt_test_latency(runs, nruns, tests[t]);

			plot_series(g, terms[k], tests[t], lat, nruns, paths,
				    np, labels);
			plot_overhead(g, terms[k], tests[t], lat, paths, np);
			nplots += 2;
		}
		if (ncols) {
			plot_percentiles(g, terms[k], ref_size, ncols);
			nplots++;
		}
	}
	fclose(g);
	return nplots / 2;
}
