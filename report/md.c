/* SPDX-License-Identifier: MIT */
/* The Markdown renderer: a doc_ops (doc.h). */
#include <stdio.h>

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

const struct doc_ops rpt_md_ops = {
	.begin = md_begin,
	.heading = md_heading,
	.para = md_para,
	.row = md_row,
	.table_end = md_table_end,
	.image = md_image,
	.end = md_end,
};
