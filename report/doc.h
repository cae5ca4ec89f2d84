/* SPDX-License-Identifier: MIT */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "load.h"
#include "outfile.h"

/* Two output formats, one content: a small document ops table
 * (summary.c has the Markdown and HTML ones). */
struct doc_ops {
	void (*begin)(FILE *f, const char *title);
	void (*heading)(FILE *f, const char *text);
	void (*para)(FILE *f, const char *text);
	void (*row)(FILE *f, const char *const *cells, int n, bool header);
	void (*table_end)(FILE *f);
	void (*image)(FILE *f, const struct rpt_dir *plotdir, const char *name);
	void (*end)(FILE *f);
};

/* The sharing scenarios of RUN (vfbench share), when it has any: tables,
 * sentences a qualification report can quote, and their plots. */
void rpt_share_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		   const struct rpt_dir *plotdir, bool plots);

/* Data files and gnuplot commands for the sharing plots of RUN into G
 * (DIR: the plots folder), for terminal TERM; the number of plots. */
int rpt_share_plots(FILE *g, const struct rpt_run *run,
		    const struct rpt_dir *dir, const char *term, char *err,
		    size_t errlen);

/* A mesh's section (vfbench mesh) and its heatmaps, when RUN has one. */
void rpt_mesh_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		  const struct rpt_dir *plotdir, bool plots);
int rpt_mesh_plots(FILE *g, const struct rpt_run *run,
		   const struct rpt_dir *dir, const char *term, char *err,
		   size_t errlen);

/* DIR/NAME for writing (outfile.h: written whole, never through a link):
 * 0, or a negative errno with ERR naming the file. */
int rpt_plot_open(struct rpt_out *o, const struct rpt_dir *dir,
		  const char *name, char *err, size_t errlen);
/* It in place: 0, or a negative errno with ERR naming it. */
int rpt_plot_close(struct rpt_out *o, const struct rpt_dir *dir, char *err,
		   size_t errlen);
/* The sharing row of DEVICE in SCENARIO for TEST and SIZE (the first). */
const struct vfb_result *rpt_share_find(const struct rpt_run *run,
					const char *scenario,
					const char *device, const char *test,
					uint64_t size);

/* The name (no extension) of plot KIND ("lat", "bw", "overhead",
 * "percentiles") of TEST. */
void rpt_plot_name(char *buf, size_t len, const char *kind, const char *test);

/* gnuplot: TERM ("pngcairo" or "svg") into NAME.png or NAME.svg. Names
 * from rows reach gnuplot only through escape.h: a file name as a slug,
 * text in a single-quoted string (rpt_esc_gnuplot). */
void rpt_plot_terminal(FILE *g, const char *term, const char *name);

#endif
