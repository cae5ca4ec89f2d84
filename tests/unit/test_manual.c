/* SPDX-License-Identifier: MIT */
/* The man pages and the bash completion (bench/manual.c, complete.c):
 * made of whatever the tables hold, here a command and options that no
 * line of the generators names. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "manual.h"
#include "opt.h"
#include "suites.h"

struct probe_cfg {
	const char *dir, *mode;
	bool dry;
};

static const char *probe_modes(void)
{
	return "fast, slow";
}

static const struct vfb_opt probe_opts[] = {
	{ .name = "out-dir",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct probe_cfg, dir),
	  .metavar = "DIR",
	  .help = ".where it goes, C:\\tmp" },
	{ .name = "mode",
	  .type = VFB_OPT_LIST,
	  .offset = offsetof(struct probe_cfg, mode),
	  .metavar = "MODE,...",
	  .help = "how",
	  .choices = probe_modes },
	{ .name = "dry-run",
	  .type = VFB_OPT_FLAG,
	  .offset = offsetof(struct probe_cfg, dry),
	  .help = "change nothing" },
	VFB_OPT_END,
};

static int probe_cmd(int argc, char **argv)
{
	struct probe_cfg c = { 0 };

	return vfb_opt_parse(probe_opts, "probe", "plan|check [OPTIONS]", argc,
			     argv, &c) < 0;
}

/* A command that parses nothing: it prints no usage. */
static int silent_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const struct bench_cmd cmds[] = {
	{ "probe", probe_cmd, "probe the thing" },
	{ "silent", silent_cmd, "says nothing" },
	{ "later", NULL, "not built yet" },
};

static const struct bench_gopt gopts[] = {
	{ "loud", 'L', "say more", 0 },
};

static const struct bench_prog prog = {
	.version = "9.9",
	.cmds = cmds,
	.ncmds = 3,
	.gopts = gopts,
	.ngopts = 1,
};

/* What FN printed of P for NAME (the caller frees); its return in *RET. */
static char *render_of(int (*fn)(FILE *, const struct bench_prog *,
				 const char *),
		       const struct bench_prog *p, const char *name, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	*ret = fn(f, p, name);
	fclose(f);
	return buf;
}

#define render(fn, name, ret) render_of(fn, &prog, name, ret)

static int completion_of(FILE *f, const struct bench_prog *p, const char *n)
{
	(void)n;
	return bench_completion(f, p);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fprintf(stderr, "\n  no '%s' in:\n%s\n", want, text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
}

/* The command's page: its synopsis, each option of its table with its
 * value and choices, roff's specials made text. */
static void test_page(void)
{
	int ret;
	char *man = render(bench_man_page, "probe", &ret);

	CU_ASSERT_EQUAL(ret, 0);
	assert_has(man, ".TH VFBENCH\\-PROBE 1 \"\" \"vfbench 9.9\"");
	assert_has(man, "vfbench\\-probe \\- probe the thing\n");
	assert_has(man, "\\fBvfbench probe\\fR plan|check [OPTIONS]\n");
	assert_has(man, "\\fB\\-o\\fR, \\fB\\-\\-out\\-dir\\fR \\fIDIR\\fR\n"
			"\\&.where it goes, C:\\etmp\n");
	assert_has(man, "\\fB\\-\\-mode\\fR \\fIMODE,...\\fR\nhow\n"
			".br\nOne of: fast, slow.\n");
	assert_has(man, "\\fB\\-\\-dry\\-run\\fR\nchange nothing\n");
	assert_has(man, ".SH EXIT STATUS\n");
	free(man);
}

/* vfbench(1): its own options and every built command, with its page. */
static void test_main_page(void)
{
	int ret;
	char *man = render(bench_man_page, "vfbench", &ret);

	CU_ASSERT_EQUAL(ret, 0);
	assert_has(man, "\\fBvfbench\\fR [\\fB\\-L\\fR] \\fICOMMAND\\fR");
	assert_has(man, "\\fB\\-L\\fR, \\fB\\-\\-loud\\fR\nsay more\n");
	assert_has(man, "\\fBprobe\\fR\nprobe the thing (\\fBvfbench\\-probe"
			"\\fR(1))\n");
	assert_has(man, "\\fBvfbench\\-help\\fR(1)");
	CU_ASSERT_PTR_NULL(strstr(man, "later"));
	free(man);
}

/* No page for what is not a command, or not built, or prints no usage;
 * and --help prints text again after each. */
static void test_no_page(void)
{
	char *out, *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	free(render(bench_man_page, "nope", &ret));
	CU_ASSERT_EQUAL(ret, -ENOENT);
	free(render(bench_man_page, "later", &ret));
	CU_ASSERT_EQUAL(ret, -ENOENT);
	out = render(bench_man_page, "silent", &ret);
	CU_ASSERT_EQUAL(ret, -EPROTO);
	free(out);
	f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vfb_opt_usage(f, probe_opts, "probe", "X");
	fclose(f);
	assert_has(buf, "usage: vfbench probe X\n");
	free(buf);
}

/* The completion: the command, its options, how each value completes
 * (a kind its metavar names, its choices item by item), its operands. */
static void test_completion(void)
{
	const struct bench_prog one = { .version = "1",
					.cmds = cmds,
					.ncmds = 1,
					.gopts = gopts,
					.ngopts = 1 };
	int ret;
	char *sh = render(completion_of, NULL, &ret);

	CU_ASSERT_EQUAL(ret, -EPROTO); /* 'silent' prints no usage */
	free(sh);
	sh = render_of(completion_of, &one, NULL, &ret);
	CU_ASSERT_EQUAL(ret, 0);
	assert_has(sh, "\t'')\n\t\topts='-L --loud'\n"
		       "\t\targs='words:probe help' ;;\n");
	assert_has(sh, "\tprobe)\n\t\tcase $prev in\n"
		       "\t\t-o|--out-dir) _vfbench_reply 'dirs' \"$cur\"; "
		       "return ;;\n"
		       "\t\t--mode) _vfbench_reply 'list,words:fast slow' "
		       "\"$cur\"; return ;;\n\t\tesac\n");
	assert_has(sh, "opts='-o --out-dir --mode --dry-run -h --help'\n"
		       "\t\targs='words:plan check' ;;\n");
	assert_has(sh, "\thelp)\n");
	assert_has(sh, "complete -F _vfbench vfbench\n");
	free(sh);
}

int test_manual_register(void)
{
	CU_pSuite s = CU_add_suite("bench/manual", NULL, NULL);

	if (!s || !CU_add_test(s, "a command's page", test_page) ||
	    !CU_add_test(s, "vfbench(1)", test_main_page) ||
	    !CU_add_test(s, "no page", test_no_page) ||
	    !CU_add_test(s, "completion", test_completion))
		return -1;
	return 0;
}
