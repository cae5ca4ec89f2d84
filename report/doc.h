/* SPDX-License-Identifier: MIT */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "load.h"

/* Two output formats, one content: a small document ops table
 * (summary.c has the Markdown and HTML ones). */
struct doc_ops {
	void (*begin)(FILE *f, const char *title);
	void (*heading)(FILE *f, const char *text);
	void (*para)(FILE *f, const char *text);
	void (*row)(FILE *f, const char *const *cells, int n, bool header);
	void (*table_end)(FILE *f);
	void (*image)(FILE *f, const char *plotdir, const char *name);
	void (*end)(FILE *f);
};

/* The sharing scenarios of RUN (vfbench share), when it has any: tables,
 * sentences a qualification report can quote, and their plots. */
void rpt_share_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		   const char *plotdir, bool plots);

/* Data files and gnuplot commands for the sharing plots of RUN into G
 * (DIR: the plots folder), for terminal TERM; the number of plots. */
int rpt_share_plots(FILE *g, const struct rpt_run *run, const char *dir,
		    const char *term, char *err, size_t errlen);

/* A mesh's section (vfbench mesh) and its heatmaps, when RUN has one. */
void rpt_mesh_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		  const char *plotdir, bool plots);
int rpt_mesh_plots(FILE *g, const struct rpt_run *run, const char *dir,
		   const char *term, char *err, size_t errlen);

/* Create DIR/NAME for writing; NULL with ERR naming the file. */
FILE *rpt_plot_open(const char *dir, const char *name, char *err,
		    size_t errlen);
/* The sharing row of DEVICE in SCENARIO for TEST and SIZE (the first). */
const struct vfb_result *rpt_share_find(const struct rpt_run *run,
					const char *scenario,
					const char *device, const char *test,
					uint64_t size);

/* gnuplot: TERM ("pngcairo" or "svg") into NAME.png or NAME.svg. */
void rpt_plot_terminal(FILE *g, const char *term, const char *name);

#endif
