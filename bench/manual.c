/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "exitcode.h"
#include "help.h"
#include "log.h"
#include "manual.h"

/*
 * The man pages, in roff (man(7)): vfbench(1) from main()'s tables and
 * the help topics, vfbench-NAME(1) from what command NAME's --help
 * renders (its option sets, their notes, their choices).
 */

static const struct {
	int code;
	const char *what;
} exit_codes[] = {
	{ VFB_EXIT_OK, "success" },
	{ VFB_EXIT_FAIL, "a gate or a test failed" },
	{ VFB_EXIT_USAGE, "bad usage or bad input, refused before anything "
			  "is touched" },
	{ VFB_EXIT_ENV, "environment: no device, no permission" },
};

#define NEXITS (sizeof(exit_codes) / sizeof(exit_codes[0]))

/* S as roff text: backslashes and hyphens escaped, and a '.' or '\''
 * that would start a line made text (BOL: S starts a line). */
static void roff(FILE *f, const char *s, bool bol)
{
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		bol = *s == '\n';
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* S, each line without its indent (.nf keeps it, after its own). */
static void roff_lines(FILE *f, const char *s)
{
	char line[512];
	size_t n;

	for (; *s; s += n + (s[n] == '\n')) {
		s += strspn(s, " ");
		n = strcspn(s, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		roff(f, line, true);
		fputc('\n', f);
	}
}

/* S in bold or in italics (FONT 'B' or 'I'). */
static void roff_font(FILE *f, char font, const char *s)
{
	fprintf(f, "\\f%c", font);
	roff(f, s, false);
	fputs("\\fR", f);
}

static void man_header(FILE *f, const struct bench_prog *p, const char *cmd,
		       const char *summary)
{
	const char *s;

	fputs(".TH VFBENCH", f);
	if (cmd)
		fputs("\\-", f);
	for (s = cmd; s && *s; s++)
		if (*s == '-')
			fputs("\\-", f);
		else
			fputc(toupper((unsigned char)*s), f);
	fprintf(f, " 1 \"\" \"vfbench %s\" \"vfbench manual\"\n", p->version);
	fputs(".nh\n.ad l\n", f); /* no hyphens in names, ragged right */
	fputs(".SH NAME\nvfbench", f);
	if (cmd) {
		fputs("\\-", f);
		roff(f, cmd, false);
	}
	fputs(" \\- ", f);
	roff(f, summary, false);
	fputc('\n', f);
}

static void man_exit_status(FILE *f)
{
	size_t i;

	fputs(".SH EXIT STATUS\n", f);
	for (i = 0; i < NEXITS; i++) {
		fprintf(f, ".TP\n%d\n", exit_codes[i].code);
		roff(f, exit_codes[i].what, true);
		fputc('\n', f);
	}
}

/* An option: its names and value, then its help and the values it takes. */
static void man_option(FILE *f, const struct vfb_opt *o, const char *help)
{
	fputs(".TP\n", f);
	if (o->key)
		fprintf(f, "\\fB\\-%c\\fR, ", o->key);
	fputs("\\fB\\-\\-", f);
	roff(f, o->name, false);
	fputs("\\fR", f);
	if (o->metavar) {
		fputc(' ', f);
		roff_font(f, 'I', o->metavar);
	}
	fputc('\n', f);
	roff(f, help ? help : "", true);
	fputc('\n', f);
	if (o->choices) {
		fputs(".br\nOne of: ", f);
		roff(f, o->choices(), false);
		fputs(".\n", f);
	}
}

struct man_ctx {
	FILE *f;
	const struct bench_prog *p;
	const char *summary;
};

/* Command U->cmd's page, from the usage its --help renders. */
static void man_command(void *ctx, const struct vfb_usage *u)
{
	const struct man_ctx *m = ctx;
	const struct vfb_opt help = { .name = "help", .key = 'h' };
	FILE *f = m->f;
	size_t i;

	man_header(f, m->p, u->cmd, m->summary);
	fputs(".SH SYNOPSIS\n.nf\n\\fBvfbench ", f);
	roff(f, u->cmd, false);
	fputs("\\fR ", f);
	roff_lines(f, u->synopsis);
	fputs(".fi\n.SH DESCRIPTION\n", f);
	fprintf(f, "\\fBvfbench %s\\fR: ", u->cmd);
	roff(f, m->summary, false);
	fputs(".\nThe tables its options refer to are printed by "
	      "\\fBvfbench help\\fR \\fITOPIC\\fR;\nsee \\fBvfbench\\fR(1)."
	      "\n.SH OPTIONS\n",
	      f);
	for (i = 0; i < u->n; i++)
		man_option(f, u->opts[i].o, u->opts[i].help);
	man_option(f, &help, "show this help");
	man_exit_status(f);
	fputs(".SH SEE ALSO\n\\fBvfbench\\fR(1)\n", f);
}

static void man_synopsis(FILE *f, const struct bench_prog *p)
{
	size_t i;

	fputs(".SH SYNOPSIS\n.nf\n\\fBvfbench\\fR", f);
	for (i = 0; i < p->ngopts; i++) {
		if (p->gopts[i].key)
			fprintf(f, " [\\fB\\-%c\\fR]", p->gopts[i].key);
		else
			fprintf(f, " [\\fB\\-\\-%s\\fR]", p->gopts[i].name);
	}
	fputs(" \\fICOMMAND\\fR [\\fIARGS\\fR]\n.fi\n", f);
	fputs(".SH DESCRIPTION\n\\fBvfbench\\fR measures RDMA over the "
	      "physical and virtual functions of\nSR\\-IOV devices, and "
	      "compares, reports and gates what it measured.\nEach command "
	      "has its page, \\fBvfbench\\-\\fR\\fICOMMAND\\fR(1).\n"
	      ".SH OPTIONS\n",
	      f);
	for (i = 0; i < p->ngopts; i++) {
		const struct vfb_opt o = { .name = p->gopts[i].name,
					   .key = p->gopts[i].key };

		man_option(f, &o, p->gopts[i].help);
	}
}

static void man_item(FILE *f, const char *name, const char *summary, bool page)
{
	fputs(".TP\n", f);
	roff_font(f, 'B', name);
	fputc('\n', f);
	roff(f, summary, true);
	if (page) {
		fputs(" (\\fBvfbench\\-", f);
		roff(f, name, false);
		fputs("\\fR(1))", f);
	}
	fputc('\n', f);
}

/* vfbench(1): the options before a command, the commands, the topics. */
static void man_main(FILE *f, const struct bench_prog *p)
{
	const char *name, *summary;
	size_t i;

	man_header(f, p, NULL, "qualify RDMA over SR-IOV virtual functions");
	man_synopsis(f, p);
	fputs(".SH COMMANDS\n", f);
	for (i = 0; i < p->ncmds; i++)
		if (p->cmds[i].fn)
			man_item(f, p->cmds[i].name, p->cmds[i].summary, true);
	man_item(f, "help", BENCH_HELP_SUMMARY, true);
	fputs(".SH TOPICS\n\\fBvfbench help\\fR \\fITOPIC\\fR "
	      "[\\fB\\-\\-markdown\\fR] prints one of these tables:\n",
	      f);
	for (i = 0; (name = bench_help_topic(i, &summary)); i++)
		man_item(f, name, summary, false);
	man_exit_status(f);
	fputs(".SH SEE ALSO\n", f);
	for (i = 0; i < p->ncmds; i++)
		if (p->cmds[i].fn)
			fprintf(f, "\\fBvfbench\\-%s\\fR(1),\n",
				p->cmds[i].name);
	fputs("\\fBvfbench\\-help\\fR(1)\n", f);
}

static const struct bench_cmd *cmd_find(const struct bench_prog *p,
					const char *name)
{
	size_t i;

	for (i = 0; i < p->ncmds; i++)
		if (!strcmp(p->cmds[i].name, name))
			return p->cmds[i].fn ? &p->cmds[i] : NULL;
	return NULL;
}

struct usage_probe {
	vfb_usage_fn *fn;
	void *ctx;
	bool seen;
};

static void probe(void *ctx, const struct vfb_usage *u)
{
	struct usage_probe *q = ctx;

	q->seen = true;
	q->fn(q->ctx, u);
}

int bench_cmd_usage(const struct bench_prog *p, const char *name,
		    vfb_usage_fn *fn, void *ctx)
{
	const struct bench_cmd *c = cmd_find(p, name);
	struct usage_probe q = { .fn = fn, .ctx = ctx };
	char cmd[64], help[] = "--help";
	char *argv[] = { cmd, help, NULL };

	if (!c && strcmp(name, "help"))
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "%s", name);
	vfb_opt_set_renderer(probe, &q);
	if (c)
		c->fn(2, argv);
	else
		bench_cmd_help(p, 2, argv);
	vfb_opt_set_renderer(NULL, NULL);
	return q.seen ? 0 : -EPROTO;
}

int bench_man_page(FILE *f, const struct bench_prog *p, const char *name)
{
	const struct bench_cmd *c = cmd_find(p, name);
	struct man_ctx m = { .f = f, .p = p, .summary = BENCH_HELP_SUMMARY };

	if (!strcmp(name, "vfbench")) {
		man_main(f, p);
		return 0;
	}
	if (c)
		m.summary = c->summary;
	return bench_cmd_usage(p, name, man_command, &m);
}

static int man_write_one(const struct bench_prog *p, const char *dir,
			 const char *name)
{
	char path[4096];
	FILE *f;
	int ret;

	if (!strcmp(name, "vfbench"))
		snprintf(path, sizeof(path), "%s/vfbench.1", dir);
	else
		snprintf(path, sizeof(path), "%s/vfbench-%s.1", dir, name);
	f = fopen(path, "w");
	if (!f) {
		ret = -errno;
		vfb_err("help --man: %s: %s", path, strerror(errno));
		return ret;
	}
	ret = bench_man_page(f, p, name);
	if (ret)
		vfb_err("help --man: %s: no usage from 'vfbench %s --help'",
			path, name);
	if (fclose(f) && !ret) {
		ret = -errno;
		vfb_err("help --man: %s: %s", path, strerror(errno));
	}
	return ret;
}

int bench_man_write(const struct bench_prog *p, const char *dir)
{
	size_t i;
	int ret = man_write_one(p, dir, "vfbench");

	for (i = 0; i < p->ncmds && !ret; i++)
		if (p->cmds[i].fn)
			ret = man_write_one(p, dir, p->cmds[i].name);
	return ret ? ret : man_write_one(p, dir, "help");
}
