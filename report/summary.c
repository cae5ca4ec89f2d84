/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathkind.h"
#include "report.h"
#include "results.h"

#include "doc.h"
#include "escape.h"

/* Markdown: every text through rpt_esc_md (names from rows are another
 * host's; no raw HTML, no table or line broken by them). */
static void md_begin(FILE *f, const char *t)
{
	fputs("# ", f);
	rpt_esc_md(f, t);
	fputs("\n\n", f);
}
static void md_heading(FILE *f, const char *t)
{
	fputs("## ", f);
	rpt_esc_md(f, t);
	fputs("\n\n", f);
}
static void md_para(FILE *f, const char *t)
{
	rpt_esc_md(f, t);
	fputs("\n\n", f);
}
static void md_row(FILE *f, const char *const *c, int n, bool header)
{
	int i;

	for (i = 0; i < n; i++) {
		fputs("| ", f);
		rpt_esc_md(f, c[i]);
		fputc(' ', f);
	}
	fputs("|\n", f);
	if (!header)
		return;
	for (i = 0; i < n; i++)
		fputs(i ? "|---:" : "|---", f);
	fputs("|\n", f);
}
static void md_table_end(FILE *f)
{
	fputc('\n', f);
}
static void md_image(FILE *f, const struct rpt_dir *dir, const char *name)
{
	(void)dir; /* NAME: a plot's, made of slugs (rpt_slug) */
	fputs("![", f);
	rpt_esc_md(f, name);
	fprintf(f, "](plots/%s.png)\n\n", name);
}
static void md_end(FILE *f)
{
	(void)f;
}

static const struct doc_ops md_ops = {
	.begin = md_begin,
	.heading = md_heading,
	.para = md_para,
	.row = md_row,
	.table_end = md_table_end,
	.image = md_image,
	.end = md_end,
};

static void html_begin(FILE *f, const char *t)
{
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>",
	      f);
	rpt_esc_xml(f, t);
	fputs("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
	      "text-align:right}td:first-child,th:first-child{text-align:left}"
	      "svg{max-width:100%;height:auto}</style></head><body>\n<h1>",
	      f);
	rpt_esc_xml(f, t);
	fputs("</h1>\n", f);
}
static void html_heading(FILE *f, const char *t)
{
	fputs("<h2>", f);
	rpt_esc_xml(f, t);
	fputs("</h2>\n", f);
}
static void html_para(FILE *f, const char *t)
{
	fputs("<p>", f);
	rpt_esc_xml(f, t);
	fputs("</p>\n", f);
}
static void html_row(FILE *f, const char *const *c, int n, bool header)
{
	int i;

	fputs(header ? "<table><tr>" : "<tr>", f);
	for (i = 0; i < n; i++) {
		fputs(header ? "<th>" : "<td>", f);
		rpt_esc_xml(f, c[i]);
		fputs(header ? "</th>" : "</td>", f);
	}
	fputs("</tr>\n", f);
}
static void html_table_end(FILE *f)
{
	fputs("</table>\n", f);
}
/* Self-contained: the SVG is copied in, not linked; only a regular file
 * of that name (never what a planted link points to). */
static void html_image(FILE *f, const struct rpt_dir *dir, const char *name)
{
	char file[RPT_SLUG_MAX + 40], buf[8192];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(file, sizeof(file), "%s.svg", name);
	fd = openat(dir->fd, file,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode)) {
		fputs("<figure>\n", f);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, f);
		fputs("</figure>\n", f);
	}
	close(fd);
}
static void html_end(FILE *f)
{
	fputs("</body></html>\n", f);
}

static const struct doc_ops html_ops = {
	.begin = html_begin,
	.heading = html_heading,
	.para = html_para,
	.row = html_row,
	.table_end = html_table_end,
	.image = html_image,
	.end = html_end,
};

static const char *meta_str(json_object *m, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(m, k, &v) && v ?
		       json_object_get_string(v) :
		       "-";
}

static void environment(const struct doc_ops *d, FILE *f,
			const struct rpt_run *run)
{
	static const char *const keys[][2] = {
		{ "host", "host" },
		{ "kernel", "kernel" },
		{ "rdma-core", "rdma_core" },
		{ "CPU", "cpu_model" },
		{ "CPU governor", "cpu_governor" },
		{ "vfbench", "git_describe" },
		{ "started", "started" },
		{ "ended", "ended" },
		{ "status", "status" },
	};
	const char *hdr[] = { "", "" }, *cells[2];
	size_t i;

	d->heading(f, "Environment");
	d->row(f, hdr, 2, true);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cells[0] = keys[i][0];
		cells[1] = meta_str(run->meta, keys[i][1]);
		d->row(f, cells, 2, false);
	}
	d->table_end(f);
}

/* A run that did not complete says so first (an older run.json without
 * a status is taken as complete). */
static void incomplete(const struct doc_ops *d, FILE *f,
		       const struct rpt_run *run)
{
	const char *st = meta_str(run->meta, "status");
	char line[512];

	if (!strcmp(st, "-") || !strcmp(st, "completed"))
		return;
	snprintf(line, sizeof(line),
		 "INCOMPLETE: this run did not complete (status: %s); "
		 "what follows is from the %zu rows measured before it "
		 "stopped.",
		 st, run->nrows);
	d->para(f, line);
}

static void paths_table(const struct doc_ops *d, FILE *f,
			const struct rpt_run *run)
{
	const char *hdr[] = { "path", "device", "peer", "locality" }, *c[4];
	json_object *paths, *p;
	size_t i;

	if (!json_object_object_get_ex(run->meta, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_array))
		return;
	d->heading(f, "Paths");
	d->row(f, hdr, 4, true);
	for (i = 0; i < json_object_array_length(paths); i++) {
		p = json_object_array_get_idx(paths, i);
		c[0] = meta_str(p, "path");
		c[1] = meta_str(p, "device");
		c[2] = meta_str(p, "peer");
		c[3] = meta_str(p, "locality");
		d->row(f, c, 4, false);
	}
	d->table_end(f);
}

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

/* "p50 / p99" of the repetitions, n/a where the samples did not
 * support the percentile. */
static void lat_cell(const struct rpt_point *pt, char *buf, size_t len)
{
	if (isnan(pt->p99))
		snprintf(buf, len, "%.2f / n/a (%llu samples)", pt->p50,
			 (unsigned long long)pt->samples);
	else
		snprintf(buf, len, "%.2f / %.2f", pt->p50, pt->p99);
}

/* An overhead: estimate, 95% interval, verdict; "~" when not
 * significant; no verdict from too few repetitions (the note under the
 * table says why). */
static void cmp_cell(const struct vfb_cmp *c, char *buf, size_t len)
{
	if (!c) {
		snprintf(buf, len, "-");
		return;
	}
	if (isnan(c->lo)) {
		snprintf(buf, len, "%+.1f%% (no verdict)", (c->est - 1) * 100);
		return;
	}
	vfb_cmp_text(c, buf, len);
}

/* Under a table whose cells have no verdict: why (the first such). */
static void no_verdict_note(const struct doc_ops *d, FILE *f,
			    struct vfb_cmp (*cmp)[8], bool (*have)[8],
			    const char **paths, int np, int ns)
{
	const char *base = vfb_path_baseline()->name;
	char why[128], line[192];
	int p, i;

	for (p = 0; p < np; p++)
		for (i = 0; i < ns && strcmp(paths[p], base); i++)
			if (have[p][i] && isnan(cmp[p][i].lo)) {
				vfb_cmp_why(&cmp[p][i], why, sizeof(why));
				snprintf(line, sizeof(line),
					 "No verdict: %s; run with --repeat %d "
					 "or more.",
					 why, VFB_CMP_MIN_REPS);
				d->para(f, line);
				return;
			}
}

static void figures(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		    const char *test, const char **paths, int np)
{
	const char *base = vfb_path_baseline()->name;
	static struct rpt_point pts[128], pp[RPT_MAX_PATHS][128];
	size_t npp[RPT_MAX_PATHS];
	char cells[2 * RPT_MAX_PATHS + 1][32], title[160];
	const char *hdr[2 * RPT_MAX_PATHS + 1], *row[2 * RPT_MAX_PATHS + 1];
	bool lat = rpt_test_latency(run, 1, test);
	uint64_t sizes[8];
	static struct vfb_cmp cmp[RPT_MAX_PATHS][8];
	static bool have[RPT_MAX_PATHS][8];
	int ns, i, p, c;
	size_t n, k;

	n = rpt_series(run, test, base, pts, 128);
	for (p = 0; !n && p < np; p++)
		n = rpt_series(run, test, paths[p], pts, 128);
	ns = key_sizes(pts, n, sizes);
	snprintf(title, sizeof(title), "%s: %s%s", test,
		 lat ? "latency p50 / p99 [us], overhead of p50 vs " :
		       "average bandwidth [Gb/s], overhead vs ",
		 base);
	d->heading(f, title);
	c = 0;
	hdr[c++] = "size";
	for (p = 0; p < np; p++)
		hdr[c++] = paths[p];
	for (p = 0; p < np; p++)
		if (strcmp(paths[p], base)) {
			snprintf(cells[c], 32, "%s overhead", paths[p]);
			hdr[c] = cells[c];
			c++;
		}
	d->row(f, hdr, c, true);
	for (p = 0; p < np; p++) /* each path's figures, once */
		npp[p] = rpt_series(run, test, paths[p], pp[p], 128);
	/* every path against the baseline over the key sizes: one family */
	for (p = 0; p < np; p++)
		if (strcmp(paths[p], base))
			rpt_compare_sizes(run, test, paths[p], sizes,
					  (size_t)ns, VFB_CMP_THRESHOLD, cmp[p],
					  have[p]);
	for (i = 0; i < ns; i++) {
		char rc[2 * RPT_MAX_PATHS + 1][80];

		c = 0;
		size_label(sizes[i], rc[c], 48);
		row[c] = rc[c];
		c++;
		for (p = 0; p < np; p++, c++) {
			snprintf(rc[c], 48, "-");
			for (k = 0; k < npp[p]; k++)
				if (pp[p][k].size == sizes[i] && lat)
					lat_cell(&pp[p][k], rc[c], 48);
				else if (pp[p][k].size == sizes[i])
					snprintf(rc[c], 48, "%.4g",
						 pp[p][k].bw);
			row[c] = rc[c];
		}
		for (p = 0; p < np; p++)
			if (strcmp(paths[p], base)) {
				cmp_cell(have[p][i] ? &cmp[p][i] : NULL, rc[c],
					 sizeof(rc[c]));
				row[c] = rc[c];
				c++;
			}
		d->row(f, row, c, false);
	}
	d->table_end(f);
	no_verdict_note(d, f, cmp, have, paths, np, ns);
}

static void errors_and_stability(const struct doc_ops *d, FILE *f,
				 const struct rpt_run *run)
{
	const char *hdr[] = { "path", "test", "size", "error" }, *c[4];
	char size[32], line[256];
	int errors = 0, capped = 0, hist = 0;
	double worst_ci = 0;
	size_t i;

	d->heading(f, "Errors");
	for (i = 0; i < run->nrows; i++) {
		const struct vfb_result *r = &run->rows[i];

		if (r->status == VFB_STATUS_OK) {
			capped += !strcmp(r->stability, "cap");
			hist += r->has_lat && r->lat.err_bound > 0;
			if (!isnan(r->ci_rel) && r->ci_rel > worst_ci)
				worst_ci = r->ci_rel;
			continue;
		}
		if (!errors++)
			d->row(f, hdr, 4, true);
		size_label(r->msg_bytes, size, sizeof(size));
		c[0] = r->path, c[1] = r->test, c[2] = size, c[3] = r->error;
		d->row(f, c, 4, false);
	}
	if (errors)
		d->table_end(f);
	else
		d->para(f, "No error rows.");
	if (run->nrefused || run->nsamples_bad) {
		/* untrusted input: what was left out, never silently */
		snprintf(line, sizeof(line),
			 "Left out on reading: %zu rows refused (a figure not "
			 "finite or negative, a bad rank), %zu latency rows "
			 "without usable samples; each was named on stderr "
			 "(docs/untrusted-input.md).",
			 run->nrefused, run->nsamples_bad);
		d->para(f, line);
	}
	d->heading(f, "Stability");
	snprintf(
		line, sizeof(line),
		"%zu rows. Widest 95%% confidence interval of a latency median: +/- %.1f%%. "
		"%d rows stopped at the --until-stable cap; %d latency rows come from the "
		"duration-mode histogram (percentiles within its stated bound).",
		run->nrows, worst_ci * 100, capped, hist);
	d->para(f, line);
}

static int render(const struct doc_ops *d, FILE *f, const struct rpt_run *runs,
		  int nruns, const struct rpt_dir *plotdir, const char *note)
{
	const char *tests[RPT_MAX_TESTS], *paths[RPT_MAX_PATHS];
	int nt = rpt_tests(runs, nruns, tests, RPT_MAX_TESTS);
	int np = rpt_paths(runs, nruns, paths, RPT_MAX_PATHS);
	char title[512], name[300];
	int t;

	snprintf(title, sizeof(title), "vfbench report: %s",
		 meta_str(runs[0].meta, "run_id"));
	d->begin(f, title);
	incomplete(d, f, &runs[0]);
	snprintf(title, sizeof(title),
		 "Overhead compares each path with %s at the same size: "
		 "above 0%% is slower. Each carries its 95%% confidence "
		 "interval over the --repeat rounds (each round's own figure "
		 "one value: Welch's t on their logs, so the variation "
		 "between runs is in it) and is '~' unless the interval "
		 "excludes 0, the effect is at least 2%% and its p-value, "
		 "Holm-corrected across the sizes of a test, is below 0.05. "
		 "Fewer than %d rounds a side give no verdict.",
		 vfb_path_baseline()->name, VFB_CMP_MIN_REPS);
	d->para(f,
		"Latency is as perftest reports it: half of each measured round "
		"trip of a ping-pong (WRITE, SEND), the whole round trip of a "
		"READ or an atomic (the lat_basis column).");
	d->para(f, title);
	environment(d, f, &runs[0]);
	paths_table(d, f, &runs[0]);
	for (t = 0; t < nt; t++)
		figures(d, f, &runs[0], tests[t], paths, np);
	errors_and_stability(d, f, &runs[0]);
	rpt_share_doc(d, f, &runs[0], plotdir, !note[0]);
	rpt_mesh_doc(d, f, &runs[0], plotdir, !note[0]);
	d->heading(f, "Plots");
	if (note[0]) {
		d->para(f, note);
	} else {
		for (t = 0; t < nt; t++) {
			rpt_plot_name(name, sizeof(name),
				      rpt_test_latency(runs, nruns, tests[t]) ?
					      "lat" :
					      "bw",
				      tests[t]);
			d->image(f, plotdir, name);
			rpt_plot_name(name, sizeof(name), "overhead", tests[t]);
			d->image(f, plotdir, name);
			rpt_plot_name(name, sizeof(name), "percentiles",
				      tests[t]);
			if (rpt_test_latency(runs, nruns, tests[t]))
				d->image(f, plotdir, name);
		}
	}
	d->end(f);
	return ferror(f) ? -1 : 0;
}

int rpt_summary_md(FILE *f, const struct rpt_run *runs, int nruns,
		   const char *plots_note)
{
	return render(&md_ops, f, runs, nruns, NULL, plots_note);
}

int rpt_summary_html(FILE *f, const struct rpt_run *runs, int nruns,
		     const struct rpt_dir *plotdir, const char *plots_note)
{
	return render(&html_ops, f, runs, nruns, plotdir, plots_note);
}
