/* SPDX-License-Identifier: MIT */
#ifndef RPT_GNUPLOT_H
#define RPT_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

#include "outfile.h"

/*
 * The plots' format: gnuplot data files and commands. Names from rows
 * reach gnuplot only through escape.h: a file name as a slug, text in a
 * single-quoted string (rpt_esc_gnuplot), a data field
 * (rpt_esc_datafield).
 */
/* DIR/NAME for writing (outfile.h: written whole, never through a link):
 * 0, or a negative errno with ERR naming the file. */
int rpt_plot_open(struct rpt_out *o, const struct rpt_dir *dir,
		  const char *name, char *err, size_t errlen);
/* It in place: 0, or a negative errno with ERR naming it. */
int rpt_plot_close(struct rpt_out *o, const struct rpt_dir *dir, char *err,
		   size_t errlen);
/* The name (no extension) of plot KIND ("lat", "bw", "overhead",
 * "percentiles") of TEST. */
void rpt_plot_name(char *buf, size_t len, const char *kind, const char *test);
/* TERM ("pngcairo" or "svg") into NAME.png or NAME.svg. */
void rpt_plot_terminal(FILE *g, const char *term, const char *name);
/* The settings every plot starts from (plots.gp's first lines). */
void rpt_plot_preamble(FILE *g);
/* A figure in a data file, then END: '?' (missing) when NAN. */
void rpt_plot_num(FILE *f, double v, const char *end);

#endif
