/* SPDX-License-Identifier: MIT */
#ifndef RPT_SCENARIO_H
#define RPT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "load.h"
#include "outfile.h"

/*
 * What a report shows of each scenario (the run, the path matrix,
 * sharing, the mesh), as data: a scenario is a table of sections, a
 * section a table of blocks (a heading, paragraphs, a table of columns,
 * a figure), and a table of figures (their data files and gnuplot
 * commands). The renderers walk these tables: doc.c with a format's
 * doc_ops (md.c, html.c), plots.c into plots.gp (gnuplot.c). A scenario
 * names no format, and no renderer names a scenario: adding one is an
 * entry in scenario.c and a file of its tables.
 */

/* What a section, a table's cell or a figure reads. */
struct rpt_view {
	const struct rpt_run *run; /* runs[0]: the run it is about */
	const struct rpt_run *runs;
	int nruns;		  /* runs after the first are overlaid */
	const char *const *tests; /* the tests and paths the report shows */
	int nt;
	const char *const *paths;
	int np;
	const char *base;	       /* the baseline path kind's name */
	uint64_t ref_size;	       /* the size of the percentile plot */
	const struct vfb_result *key;  /* the row of a repeated section */
	const char *test;	       /* the test of a repeated section */
	const struct vfb_result **sel; /* a table's rows (its rows() sets) */
	void *state; /* the scenario's scratch for one walk (zeroed) */
};

/*
 * A text of V into BUF (LEN: RPT_TEXT_MAX) from the cursor *AT (0 at
 * first): false when there is none (more). A block that can say several
 * (paragraphs) is asked again with *AT where the last one left it.
 */
typedef bool (*rpt_say_fn)(const struct rpt_view *v, size_t *at, char *buf,
			   size_t len);
#define RPT_TEXT_MAX 1024

/* A column made once, once per path, or once per path but the baseline. */
enum rpt_col_each { RPT_ONCE, RPT_PER_PATH, RPT_PER_OTHER };

struct rpt_column {
	/* the header, or after the path's name (per path) */
	const char *header;
	enum rpt_col_each each;
	/* the cell of row ROW (and path PATH): BUF (WIDTH, at most
	 * RPT_CELL_MAX), or a text of the row's own */
	const char *(*cell)(const struct rpt_view *v, size_t row, int path,
			    char *buf, size_t width);
	size_t width;
};
#define RPT_CELL_MAX 128
#define RPT_HEAD_MAX 32 /* a per-path header */
#define RPT_COLS_MAX 40

struct rpt_table {
	/* its rows (into V->sel, a new array the walker frees, where they
	 * are result rows): their count, or -1: no table at all */
	long (*rows)(struct rpt_view *v);
	const struct rpt_column *cols;
	size_t ncols;
	bool always;	   /* the header even with no row */
	const char *empty; /* else this paragraph, when not NULL */
};

enum rpt_block_kind { RPT_HEADING, RPT_PARA, RPT_TABLE, RPT_FIGURE };

struct rpt_block {
	enum rpt_block_kind kind;
	const char *text; /* a fixed heading, paragraph or figure name */
	rpt_say_fn say;	  /* else these (a figure's name: the first) */
	const struct rpt_table *table;
};

struct rpt_section {
	/* repeated: the next instance from *AT into V (false: no more);
	 * NULL: once */
	bool (*each)(struct rpt_view *v, size_t *at);
	const struct rpt_block *blocks;
	size_t nblocks;
};

struct rpt_figure {
	/* its data files into DIR: 1 (it is drawn), 0 (nothing to draw),
	 * or a negative errno with ERR naming the file */
	int (*data)(const struct rpt_view *v, const struct rpt_dir *dir,
		    char *err, size_t len);
	/* its gnuplot commands for terminal TERM (gnuplot.h) */
	void (*script)(FILE *g, const struct rpt_view *v, const char *term);
};

struct rpt_scenario {
	const char *name;
	bool (*present)(const struct rpt_run *run); /* NULL: always */
	const struct rpt_section *sections;	    /* the summary's */
	size_t nsections;
	const struct rpt_section *plots; /* the figures listed under Plots */
	size_t nplots;
	/* the figures, for each instance (NULL: once) */
	bool (*fig_each)(struct rpt_view *v, size_t *at);
	const struct rpt_figure *figures;
	size_t nfigures;
	const char *gp_after; /* gnuplot commands after its figures */
	size_t state;	      /* bytes of V->state a walk gives it */
};

#define RPT_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Every scenario, in the order a report shows them (scenario.c). */
const struct rpt_scenario *const *rpt_scenarios(size_t *n);

#endif
