/* SPDX-License-Identifier: MIT */
/* The path matrix (scenario.h): each test's figures by path at key
 * sizes with each path's overhead against the baseline, the error rows,
 * the stability of the figures; its plots (scn_matrixfig.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "ratio.h"
#include "scn.h"
#include "series.h"

#define MAX_PTS	  128
#define KEY_SIZES 8

/* A walk's state: the figures of the test a section is about (the
 * section's table fills it, its cells and the note under it read it). */
struct matrix_state {
	struct rpt_point pts[MAX_PTS], pp[RPT_MAX_PATHS][MAX_PTS];
	size_t npp[RPT_MAX_PATHS];
	uint64_t sizes[KEY_SIZES];
	int ns;
	struct vfb_cmp cmp[RPT_MAX_PATHS][KEY_SIZES];
	bool have[RPT_MAX_PATHS][KEY_SIZES];
	bool lat;
};

static void size_label(uint64_t s, char *buf, size_t len)
{
	if (s >= 1 << 20 && s % (1 << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(s >> 20));
	else if (s >= 1024 && s % 1024 == 0)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(s >> 10));
	else
		snprintf(buf, len, "%llu B", (unsigned long long)s);
}

/* Key sizes: 2 B, 4 KiB, 64 KiB and the largest measured. */
static int key_sizes(const struct rpt_point *pts, size_t n, uint64_t *out)
{
	static const uint64_t want[] = { 2, 4096, 65536 };
	int k = 0;
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < n; j++)
			if (pts[j].size == want[i])
				out[k++] = want[i];
	if (n && (!k || out[k - 1] != pts[n - 1].size))
		out[k++] = pts[n - 1].size;
	return k;
}

static bool title(const struct rpt_view *v, size_t *at, char *buf, size_t len)
{
	bool lat = rpt_test_latency(v->run, 1, v->test);

	if ((*at)++)
		return false;
	snprintf(buf, len < 160 ? len : 160, "%s: %s%s", v->test,
		 lat ? "latency p50 / p99 [us], overhead of p50 vs " :
		       "average bandwidth [Gb/s], overhead vs ",
		 v->base);
	return true;
}

/* The rows: the key sizes; every path against the baseline over them
 * is one family (Holm). */
static long figure_rows(struct rpt_view *v)
{
	struct matrix_state *m = v->state;
	size_t n;
	int p;

	m->lat = rpt_test_latency(v->run, 1, v->test);
	n = rpt_series(v->run, v->test, v->base, m->pts, MAX_PTS);
	for (p = 0; !n && p < v->np; p++)
		n = rpt_series(v->run, v->test, v->paths[p], m->pts, MAX_PTS);
	m->ns = key_sizes(m->pts, n, m->sizes);
	for (p = 0; p < v->np; p++) /* each path's figures, once */
		m->npp[p] = rpt_series(v->run, v->test, v->paths[p], m->pp[p],
				       MAX_PTS);
	for (p = 0; p < v->np; p++)
		if (strcmp(v->paths[p], v->base))
			rpt_compare_sizes(v->run, v->test, v->paths[p],
					  m->sizes, (size_t)m->ns,
					  VFB_CMP_THRESHOLD, m->cmp[p],
					  m->have[p]);
	return m->ns;
}

static const char *size_cell(const struct rpt_view *v, size_t row, int path,
			     char *buf, size_t len)
{
	const struct matrix_state *m = v->state;
	(void)path;
	size_label(m->sizes[row], buf, len);
	return buf;
}

/* "p50 / p99" of the repetitions, n/a where the samples did not
 * support the percentile; a bandwidth; "-" where none was measured. */
static const char *figure_cell(const struct rpt_view *v, size_t row, int p,
			       char *buf, size_t len)
{
	const struct matrix_state *m = v->state;
	const struct rpt_point *pt;
	size_t k;

	snprintf(buf, len, "-");
	for (k = 0; k < m->npp[p]; k++) {
		pt = &m->pp[p][k];
		if (pt->size != m->sizes[row])
			continue;
		if (m->lat && isnan(pt->p99))
			snprintf(buf, len, "%.2f / n/a (%llu samples)", pt->p50,
				 (unsigned long long)pt->samples);
		else if (m->lat)
			snprintf(buf, len, "%.2f / %.2f", pt->p50, pt->p99);
		else
			snprintf(buf, len, "%.4g", pt->bw);
	}
	return buf;
}

/* An overhead: estimate, 95% interval, verdict; "~" when not
 * significant; no verdict from too few repetitions (the note under the
 * table says why). */
static const char *overhead_cell(const struct rpt_view *v, size_t row, int p,
				 char *buf, size_t len)
{
	const struct matrix_state *m = v->state;
	const struct vfb_cmp *c = m->have[p][row] ? &m->cmp[p][row] : NULL;

	if (!c)
		snprintf(buf, len, "-");
	else if (isnan(c->lo))
		snprintf(buf, len, "%+.1f%% (no verdict)", (c->est - 1) * 100);
	else
		vfb_cmp_text(c, buf, len);
	return buf;
}

static const struct rpt_column figure_cols[] = {
	{ .header = "size", .cell = size_cell, .width = 48 },
	{ .header = "",
	  .each = RPT_PER_PATH,
	  .cell = figure_cell,
	  .width = 48 },
	{ .header = " overhead",
	  .each = RPT_PER_OTHER,
	  .cell = overhead_cell,
	  .width = 80 },
};

static const struct rpt_table figure_table = {
	.rows = figure_rows,
	.cols = figure_cols,
	.ncols = RPT_LEN(figure_cols),
	.always = true,
};

/* Under a table whose cells have no verdict: why (the first such). */
static bool no_verdict(const struct rpt_view *v, size_t *at, char *buf,
		       size_t len)
{
	const struct matrix_state *m = v->state;
	char why[128];
	int p, i;

	for (p = 0; !*at && p < v->np; p++)
		for (i = 0; i < m->ns && strcmp(v->paths[p], v->base); i++)
			if (m->have[p][i] && isnan(m->cmp[p][i].lo)) {
				vfb_cmp_why(&m->cmp[p][i], why, sizeof(why));
				snprintf(buf, len < 192 ? len : 192,
					 "No verdict: %s; run with --repeat %d "
					 "or more.",
					 why, VFB_CMP_MIN_REPS);
				return ++*at;
			}
	return false;
}

static long error_rows(struct rpt_view *v)
{
	const struct rpt_run *run = v->run;
	long n = 0;
	size_t i;

	if (!(v->sel = malloc((run->nrows + 1) * sizeof(*v->sel))))
		return -1;
	for (i = 0; i < run->nrows; i++)
		if (run->rows[i].status != VFB_STATUS_OK)
			v->sel[n++] = &run->rows[i];
	return n;
}

static const char *error_cell(const struct rpt_view *v, size_t row, int col,
			      char *buf, size_t len)
{
	const struct vfb_result *r = v->sel[row];

	if (col == 0)
		return r->path;
	if (col == 1)
		return r->test;
	if (col == 3)
		return r->error;
	size_label(r->msg_bytes, buf, len);
	return buf;
}

#define ERROR_CELL(name, k)                                                    \
	static const char *error_##name(const struct rpt_view *v, size_t row,  \
					int path, char *buf, size_t len)       \
	{                                                                      \
		(void)path;                                                    \
		return error_cell(v, row, k, buf, len);                        \
	}
ERROR_CELL(path, 0)
ERROR_CELL(test, 1)
ERROR_CELL(size, 2)
ERROR_CELL(text, 3)

static const struct rpt_column error_cols[] = {
	{ .header = "path", .cell = error_path },
	{ .header = "test", .cell = error_test },
	{ .header = "size", .cell = error_size, .width = 32 },
	{ .header = "error", .cell = error_text },
};

static const struct rpt_table error_table = {
	.rows = error_rows,
	.cols = error_cols,
	.ncols = RPT_LEN(error_cols),
	.empty = "No error rows.",
};

/* Untrusted input: what was left out, never silently. */
static bool left_out(const struct rpt_view *v, size_t *at, char *buf,
		     size_t len)
{
	if ((*at)++ || !(v->run->nrefused || v->run->nsamples_bad))
		return false;
	snprintf(buf, len < 256 ? len : 256,
		 "Left out on reading: %zu rows refused (a figure not "
		 "finite or negative, a bad rank), %zu latency rows "
		 "without usable samples; each was named on stderr "
		 "(docs/untrusted-input.md).",
		 v->run->nrefused, v->run->nsamples_bad);
	return true;
}

static bool stability(const struct rpt_view *v, size_t *at, char *buf,
		      size_t len)
{
	int capped = 0, hist = 0;
	double worst_ci = 0;
	size_t i;

	if ((*at)++)
		return false;
	for (i = 0; i < v->run->nrows; i++) {
		const struct vfb_result *r = &v->run->rows[i];

		if (r->status != VFB_STATUS_OK)
			continue;
		capped += !strcmp(r->stability, "cap");
		hist += r->has_lat && r->lat.err_bound > 0;
		if (!isnan(r->ci_rel) && r->ci_rel > worst_ci)
			worst_ci = r->ci_rel;
	}
	snprintf(
		buf, len < 256 ? len : 256,
		"%zu rows. Widest 95%% confidence interval of a latency median: +/- %.1f%%. "
		"%d rows stopped at the --until-stable cap; %d latency rows come from the "
		"duration-mode histogram (percentiles within its stated bound).",
		v->run->nrows, worst_ci * 100, capped, hist);
	return true;
}

static const struct rpt_block figures[] = {
	{ .kind = RPT_HEADING, .say = title },
	{ .kind = RPT_TABLE, .table = &figure_table },
	{ .kind = RPT_PARA, .say = no_verdict },
};

static const struct rpt_block errors[] = {
	{ .kind = RPT_HEADING, .text = "Errors" },
	{ .kind = RPT_TABLE, .table = &error_table },
	{ .kind = RPT_PARA, .say = left_out },
	{ .kind = RPT_HEADING, .text = "Stability" },
	{ .kind = RPT_PARA, .say = stability },
};

static const struct rpt_section sections[] = {
	{ .each = rpt_each_test,
	  .blocks = figures,
	  .nblocks = RPT_LEN(figures) },
	{ .blocks = errors, .nblocks = RPT_LEN(errors) },
};

/* Under Plots: each test's latency or bandwidth, overhead and (latency)
 * percentiles. */
static bool plot_of(const struct rpt_view *v, size_t *at, char *buf, size_t len,
		    const char *kind)
{
	bool lat = rpt_test_latency(v->runs, v->nruns, v->test);

	if ((*at)++)
		return false;
	if (!kind)
		kind = lat ? "lat" : "bw";
	else if (!strcmp(kind, "percentiles") && !lat)
		return false;
	rpt_plot_name(buf, len < 300 ? len : 300, kind, v->test);
	return true;
}

static bool series_plot(const struct rpt_view *v, size_t *at, char *buf,
			size_t len)
{
	return plot_of(v, at, buf, len, NULL);
}

static bool overhead_plot(const struct rpt_view *v, size_t *at, char *buf,
			  size_t len)
{
	return plot_of(v, at, buf, len, "overhead");
}

static bool percentiles_plot(const struct rpt_view *v, size_t *at, char *buf,
			     size_t len)
{
	return plot_of(v, at, buf, len, "percentiles");
}

static const struct rpt_block plot_blocks[] = {
	{ .kind = RPT_FIGURE, .say = series_plot },
	{ .kind = RPT_FIGURE, .say = overhead_plot },
	{ .kind = RPT_FIGURE, .say = percentiles_plot },
};

static const struct rpt_section plots[] = {
	{ .each = rpt_each_test,
	  .blocks = plot_blocks,
	  .nblocks = RPT_LEN(plot_blocks) },
};

const struct rpt_scenario rpt_scn_matrix = {
	.name = "matrix",
	.sections = sections,
	.nsections = RPT_LEN(sections),
	.plots = plots,
	.nplots = RPT_LEN(plots),
	.fig_each = rpt_each_test,
	.figures = rpt_matrix_figures,
	.nfigures = RPT_MATRIX_FIGURES,
	.state = sizeof(struct matrix_state),
};
