/* SPDX-License-Identifier: MIT */
/* The summary renderer: every scenario's sections (scenario.h) through a
 * format's doc_ops (md.c, html.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "pathkind.h"
#include "report.h"
#include "scenario.h"

struct walk {
	const struct doc_ops *d;
	FILE *f;
	const struct rpt_dir *plotdir;
	bool plots; /* drawn: figures are shown */
};

static void header(const struct walk *w, const struct rpt_view *v,
		   const struct rpt_table *t)
{
	char buf[RPT_COLS_MAX][RPT_HEAD_MAX];
	const char *cells[RPT_COLS_MAX];
	int n = 0, p;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		const struct rpt_column *col = &t->cols[c];

		if (col->each == RPT_ONCE) {
			if (n < RPT_COLS_MAX)
				cells[n++] = col->header;
			continue;
		}
		for (p = 0; p < v->np && n < RPT_COLS_MAX; p++) {
			if (col->each == RPT_PER_OTHER &&
			    !strcmp(v->paths[p], v->base))
				continue;
			if (!col->header[0]) {
				cells[n++] = v->paths[p];
				continue;
			}
			snprintf(buf[n], RPT_HEAD_MAX, "%s%s", v->paths[p],
				 col->header);
			cells[n] = buf[n];
			n++;
		}
	}
	w->d->row(w->f, cells, n, true);
}

static void row(const struct walk *w, const struct rpt_view *v,
		const struct rpt_table *t, size_t r)
{
	char buf[RPT_COLS_MAX][RPT_CELL_MAX];
	const char *cells[RPT_COLS_MAX];
	int n = 0, p;
	size_t c, width;

	for (c = 0; c < t->ncols; c++) {
		const struct rpt_column *col = &t->cols[c];

		width = col->width ? col->width : RPT_CELL_MAX;
		for (p = 0; p < (col->each == RPT_ONCE ? 1 : v->np) &&
			    n < RPT_COLS_MAX;
		     p++) {
			if (col->each == RPT_PER_OTHER &&
			    !strcmp(v->paths[p], v->base))
				continue;
			cells[n] = col->cell(v, r, p, buf[n], width);
			n++;
		}
	}
	w->d->row(w->f, cells, n, false);
}

static void table(const struct walk *w, struct rpt_view *v,
		  const struct rpt_table *t)
{
	long n, r;

	v->sel = NULL;
	n = t->rows(v);
	if (n > 0 || (n == 0 && t->always)) {
		header(w, v, t);
		for (r = 0; r < n; r++)
			row(w, v, t, (size_t)r);
		w->d->table_end(w->f);
	} else if (n == 0 && t->empty) {
		w->d->para(w->f, t->empty);
	}
	free(v->sel);
	v->sel = NULL;
}

static void block(const struct walk *w, struct rpt_view *v,
		  const struct rpt_block *b)
{
	char text[RPT_TEXT_MAX];
	size_t at = 0;

	if (b->kind == RPT_TABLE) {
		table(w, v, b->table);
		return;
	}
	if (b->kind == RPT_FIGURE && !w->plots)
		return;
	while (b->text || b->say(v, &at, text, sizeof(text))) {
		const char *s = b->text ? b->text : text;

		if (b->kind == RPT_HEADING)
			w->d->heading(w->f, s);
		else if (b->kind == RPT_PARA)
			w->d->para(w->f, s);
		else
			w->d->image(w->f, w->plotdir, s);
		if (b->text || b->kind != RPT_PARA)
			break;
	}
}

/* Sections S[0..N) of a scenario of STATE bytes of scratch: 0, or -1
 * (no memory for it). */
static int sections(const struct walk *w, struct rpt_view v,
		    const struct rpt_section *s, size_t n, size_t state)
{
	size_t i, k, at;

	if (state && !(v.state = calloc(1, state)))
		return -1;
	for (i = 0; i < n; i++)
		for (at = 0; s[i].each ? s[i].each(&v, &at) : at++ == 0;)
			for (k = 0; k < s[i].nblocks; k++)
				block(w, &v, &s[i].blocks[k]);
	free(v.state);
	return 0;
}

static bool present(const struct rpt_scenario *s, const struct rpt_run *run)
{
	return !s->present || s->present(run);
}

static int render(const struct walk *w, const struct rpt_run *runs, int nruns,
		  const char *note)
{
	const char *tests[RPT_MAX_TESTS], *paths[RPT_MAX_PATHS];
	struct rpt_view v = { .run = &runs[0],
			      .runs = runs,
			      .nruns = nruns,
			      .tests = tests,
			      .paths = paths,
			      .base = vfb_path_baseline()->name };
	size_t ns, j;
	const struct rpt_scenario *const *s = rpt_scenarios(&ns);
	char title[512];
	int ret = 0;

	v.nt = rpt_tests(runs, nruns, tests, RPT_MAX_TESTS);
	v.np = rpt_paths(runs, nruns, paths, RPT_MAX_PATHS);
	snprintf(title, sizeof(title), "vfbench report: %s",
		 rpt_meta_str(runs[0].meta, "run_id"));
	w->d->begin(w->f, title);
	for (j = 0; j < ns && !ret; j++)
		if (present(s[j], v.run))
			ret = sections(w, v, s[j]->sections, s[j]->nsections,
				       s[j]->state);
	w->d->heading(w->f, "Plots");
	if (note[0])
		w->d->para(w->f, note);
	for (j = 0; j < ns && !note[0] && !ret; j++)
		if (present(s[j], v.run))
			ret = sections(w, v, s[j]->plots, s[j]->nplots,
				       s[j]->state);
	w->d->end(w->f);
	return ret || ferror(w->f) ? -1 : 0;
}

int rpt_summary_md(FILE *f, const struct rpt_run *runs, int nruns,
		   const char *plots_note)
{
	struct walk w = { &rpt_md_ops, f, NULL, !plots_note[0] };

	return render(&w, runs, nruns, plots_note);
}

int rpt_summary_html(FILE *f, const struct rpt_run *runs, int nruns,
		     const struct rpt_dir *plotdir, const char *plots_note)
{
	struct walk w = { &rpt_html_ops, f, plotdir, !plots_note[0] };

	return render(&w, runs, nruns, plots_note);
}
