/* SPDX-License-Identifier: MIT */
/* The HTML renderer: a doc_ops (doc.h), self-contained (the plots' SVG
 * copied in). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "escape.h"

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

const struct doc_ops rpt_html_ops = {
	.begin = html_begin,
	.heading = html_heading,
	.para = html_para,
	.row = html_row,
	.table_end = html_table_end,
	.image = html_image,
	.end = html_end,
};
