/* SPDX-License-Identifier: MIT */
#ifndef RPT_REPORT_H
#define RPT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "load.h"
#include "outfile.h"
#include "ratio.h"
#include "series.h"

/*
 * The report of one or more results directories: gnuplot data and script
 * (gnuplot itself is run by the caller), and a summary in Markdown and in
 * self-contained HTML. Runs after the first are overlaid, labelled by
 * their directory's name. What a report shows of each scenario (the path
 * matrix, sharing, the mesh) is a table (scenario.h) the renderers walk.
 */
#define RPT_MAX_RUNS 8

/*
 * Write DIR/r<run>.<test>.<path>.dat, DIR/overhead.<test>.dat,
 * DIR/percentiles.<test>.dat and DIR/plots.gp (paths relative to DIR;
 * test and path names as rpt_slug makes them). Returns the number of
 * plots the script draws, or a negative errno.
 */
int rpt_plots_write(const struct rpt_run *runs, int nruns,
		    const struct rpt_dir *dir, uint64_t ref_size, char *err,
		    size_t errlen);

/* PLOTS_NOTE: "" when plots were drawn, else why not. */
int rpt_summary_md(FILE *f, const struct rpt_run *runs, int nruns,
		   const char *plots_note);
int rpt_summary_html(FILE *f, const struct rpt_run *runs, int nruns,
		     const struct rpt_dir *plotdir, const char *plots_note);

#endif
