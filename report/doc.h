/* SPDX-License-Identifier: MIT */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include <stdbool.h>
#include <stdio.h>

#include "outfile.h"

/* Two output formats, one content: a small document ops table, one a
 * format (md.c, html.c), that doc.c drives as the scenarios say. */
struct doc_ops {
	void (*begin)(FILE *f, const char *title);
	void (*heading)(FILE *f, const char *text);
	void (*para)(FILE *f, const char *text);
	void (*row)(FILE *f, const char *const *cells, int n, bool header);
	void (*table_end)(FILE *f);
	void (*image)(FILE *f, const struct rpt_dir *plotdir, const char *name);
	void (*end)(FILE *f);
};

extern const struct doc_ops rpt_md_ops, rpt_html_ops;

#endif
