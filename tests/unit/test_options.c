/* SPDX-License-Identifier: MIT */
/* The option sets (common/opt), the measurement options (verbs/options)
 * and the help the commands make of them and of the registries. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opt.h"
#include "options.h"
#include "paths.h"
#include "rundir.h"
#include "pathkind.h"
#include "schedule.h"
#include "suites.h"
#include "test.h"

/* A command's config with the measurement options inside, not first. */
struct opts_cfg {
	const char *out;
	long reps;
	struct vt_opts vo;
};

static const struct vfb_opt own_opts[] = {
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = offsetof(struct opts_cfg, out),
	  .metavar = "DIR",
	  .help = "own" },
	{ .name = "reps",
	  .type = VFB_OPT_LONG,
	  .offset = offsetof(struct opts_cfg, reps),
	  .metavar = "N",
	  .help = "own",
	  .min = 1,
	  .max = 9 },
	VFB_OPT_END,
};

static const struct vfb_opt clash_opts[] = {
	{ .name = "x",
	  .key = 'n', /* -n is the table's --iters */
	  .type = VFB_OPT_FLAG,
	  .help = "clash" },
	VFB_OPT_END,
};

static const struct vfb_opt_note notes[] = {
	{ "duration", "NOTE: seconds per size (default 7)" },
	{ NULL, NULL },
};

static int parse_sets(unsigned int mask, int argc, const char *const *argv,
		      struct opts_cfg *c)
{
	const struct vfb_optset sets[] = {
		{ .tab = own_opts },
		{ .tab = vt_opt_table,
		  .base = offsetof(struct opts_cfg, vo),
		  .mask = mask,
		  .notes = notes },
	};

	*c = (struct opts_cfg){ .vo = VT_OPTS_INIT };
	return vfb_opt_parse_sets(sets, 2, "t", "", argc, (char **)argv, c);
}

/* Two sets parse into one config, each at its own offset; a set takes
 * only its categories; a name or key twice is refused; notes replace
 * the table's help for one command. */
static void test_opt_sets(void)
{
	const char *a1[] = { "t",  "-o", "d",	       "--reps", "3",
			     "-n", "50", "--tx-depth", "16",	 NULL };
	const char *a2[] = { "t", "--cq-mod", "4", NULL };
	const struct vfb_optset clash[] = { { .tab = vt_opt_table },
					    { .tab = clash_opts } };
	const struct vfb_optset help[] = {
		{ .tab = vt_opt_table, .mask = VT_OPT_CORE, .notes = notes }
	};
	struct opts_cfg c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_EQUAL(parse_sets(0, 9, a1, &c), 9);
	CU_ASSERT_STRING_EQUAL(c.out, "d");
	CU_ASSERT_EQUAL(c.reps, 3);
	CU_ASSERT_EQUAL(c.vo.iters, 50);
	CU_ASSERT_EQUAL(c.vo.tx_depth, 16);
	CU_ASSERT_EQUAL(parse_sets(0, 3, a2, &c), 3);
	CU_ASSERT_EQUAL(c.vo.cq_mod, 4);
	CU_ASSERT_EQUAL(parse_sets(VT_OPT_CORE, 3, a2, &c), -EINVAL);
	CU_ASSERT_EQUAL(c.vo.cq_mod, 32);
	CU_ASSERT_EQUAL(
		vfb_opt_parse_sets(clash, 2, "t", "", 3, (char **)a2, &c),
		-EEXIST);
	f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vfb_opt_usage_sets(f, help, 1, "t", "");
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(buf, "NOTE: seconds per size (default 7)"));
	CU_ASSERT_PTR_NULL(strstr(buf, "run each size this long"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "--tx-depth"));
	CU_ASSERT_PTR_NULL(strstr(buf, "--cq-mod")); /* not a CORE option */
	free(buf);
}

/* Every measurement option is in a category; the whole table parses
 * (no name or key twice). */
static void test_opt_table(void)
{
	const struct vfb_opt *o;
	const char *argv[] = { "t", NULL };
	struct opts_cfg c;

	for (o = vt_opt_table; o->name; o++)
		CU_ASSERT(o->cat == VT_OPT_CORE || o->cat == VT_OPT_TUNE);
	CU_ASSERT_EQUAL(parse_sets(0, 1, argv, &c), 1);
}

/* The one translation into vt_params: the amount per size, the warm-up
 * formula, the queue and what excludes what. */
static void test_opt_params(void)
{
	static const struct {
		const char *argv[7];
		double def_s; /* the scenario's seconds without -n, -D */
		int ret;
		uint64_t iters, warmup;
		double dur;
		uint32_t cq_mod;
	} cases[] = {
		{ { "t" }, 0, 0, 1000, 100, 0, 32 },
		{ { "t", "-n", "50" }, 0, 0, 50, 5, 0, 32 },
		{ { "t", "-n", "5000" }, 3, 0, 5000, 100, 0, 32 },
		{ { "t", "-n", "50", "--warmup", "7" }, 0, 0, 50, 7, 0, 32 },
		{ { "t" }, 3, 0, 0, 100, 3, 32 },
		{ { "t", "-D", "2.5" }, 3, 0, 0, 100, 2.5, 32 },
		{ { "t", "--tx-depth", "16" }, 0, 0, 1000, 100, 0, 16 },
		{ { "t", "-D", "1", "-n", "5" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-D", "0" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-D", "3601" }, 2, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-D", "x" }, 2, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-a", "-s", "2" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-l", "200" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "--clock", "hpet" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "--atomic", "swap" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-R", "--sl", "1" }, 0, -EINVAL, 0, 0, 0, 0 },
		{ { "t", "-q", "2", "-e" }, 0, -EINVAL, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vt_opts_use use = { .cmd = "t",
					   .test = "write_bw",
					   .size_opt = "-s",
					   .duration_s = cases[i].def_s };
		struct opts_cfg c;
		struct vt_params p;
		int argc = 0, ret;

		while (cases[i].argv[argc])
			argc++;
		CU_ASSERT_EQUAL_FATAL(parse_sets(0, argc, cases[i].argv, &c),
				      argc);
		use.sizes = c.vo.sizes ? c.vo.sizes : "2,64";
		ret = vt_opts_params(&c.vo, &use, &p);
		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (ret != cases[i].ret)
			fprintf(stderr, "case %zu: %d\n", i, ret);
		if (ret)
			continue;
		CU_ASSERT_STRING_EQUAL(p.test, "write_bw");
		CU_ASSERT_EQUAL(p.iters, cases[i].iters);
		CU_ASSERT_EQUAL(p.warmup, cases[i].warmup);
		CU_ASSERT_DOUBLE_EQUAL(p.duration_s, cases[i].dur, 1e-12);
		CU_ASSERT_EQUAL(p.cq_mod, cases[i].cq_mod);
		CU_ASSERT_EQUAL(p.sizes.n, 2);
		CU_ASSERT_EQUAL(p.tclass, -1);
	}
}

/* What COMMAND --help prints. */
static char *help_of(int (*cmd)(int, char **), const char *name)
{
	char *argv[] = { (char *)name, "--help", NULL }, *buf;
	int rc;

	buf = test_capture(STDOUT_FILENO, cmd, 2, argv, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	return buf;
}

/* NAME is an item of the "one of: ..." line under --OPT's in HELP. */
static bool listed(const char *help, const char *opt, const char *name)
{
	char want[96], line[512], *tok, *save = NULL;
	const char *at = help, *next;

	snprintf(want, sizeof(want), "--%s ", opt);
	for (; at && (strncmp(at, "  -", 3) || !strstr(at, want) ||
		      strstr(at, want) > strchr(at, '\n'));
	     at = strchr(at, '\n'), at = at ? at + 1 : NULL)
		;
	next = at ? strchr(at, '\n') : NULL;
	if (!next || strncmp(next + 1 + strspn(next + 1, " "), "one of: ", 8))
		return false;
	next += 1 + strspn(next + 1, " ") + 8;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(next, "\n"), next);
	for (tok = strtok_r(line, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save))
		if (!strcmp(tok, name))
			return true;
	fprintf(stderr, "--%s: no %s in '%s'\n", opt, name, line);
	return false;
}

/* Every entry of the registries appears in the help of the commands that
 * take it: path kinds (run, mesh), tests (run, share, mesh), schedules
 * (mesh); the help names no entry by hand. */
static void test_help_registries(void)
{
	char *run = help_of(bench_cmd_run, "run");
	char *share = help_of(bench_cmd_share, "share");
	char *mesh = help_of(bench_cmd_mesh, "mesh");
	const struct vfb_path_kind *pk;
	const struct vt_test_ops *const *t;
	const struct msh_sched_kind *sk;
	size_t i, n;

	pk = vfb_path_kinds(&n);
	for (i = 0; i < n; i++) {
		if (&pk[i] == vfb_path_unknown())
			continue;
		CU_ASSERT(listed(run, "paths", pk[i].name));
		CU_ASSERT(listed(mesh, "paths", pk[i].name));
	}
	CU_ASSERT(listed(run, "paths", "auto"));
	t = vt_tests(&n);
	for (i = 0; i < n; i++) {
		CU_ASSERT(listed(run, "tests", t[i]->name));
		CU_ASSERT(listed(share, "tests", t[i]->name));
		CU_ASSERT(listed(share, "victim-test", t[i]->name));
		CU_ASSERT(listed(mesh, "tests", t[i]->name));
	}
	sk = msh_sched_kinds(&n);
	for (i = 0; i < n; i++)
		CU_ASSERT(listed(mesh, "schedule", sk[i].name));
	free(run);
	free(share);
	free(mesh);
}

struct po_cfg {
	struct host_peers peers;
	struct host_outs outs;
};

/* The peers and the outputs, one table each for every scenario: --peer-K
 * before --peer for kind K; the outputs checked alike. */
static void test_peers_outs(void)
{
	struct po_cfg c = { 0 };
	const struct vfb_optset sets[] = {
		{ .tab = host_peer_opts(),
		  .base = offsetof(struct po_cfg, peers) },
		{ .tab = host_out_opts, .base = offsetof(struct po_cfg, outs) },
	};
	const char *argv[] = { "t",	     "--peer", "h",
			       "--peer-vf",  "h2:1",   "--csv",
			       "/tmp/x.csv", "--json", "/tmp/x.csv",
			       NULL };
	const struct vfb_optset mesh = { .tab = host_out_opts,
					 .mask = HOST_OUT_DIR };
	const char *csv[] = { "t", "--csv", "f", NULL };

	CU_ASSERT_FALSE(host_peers_any(&c.peers));
	CU_ASSERT_EQUAL(
		vfb_opt_parse_sets(sets, 2, "t", "", 9, (char **)argv, &c), 9);
	CU_ASSERT_STRING_EQUAL(host_peer_of(&c.peers, vfb_path_kind_find("vf")),
			       "h2:1");
	CU_ASSERT_STRING_EQUAL(host_peer_of(&c.peers, vfb_path_kind_find("pf")),
			       "h");
	CU_ASSERT_TRUE(host_peers_any(&c.peers));
	CU_ASSERT_EQUAL(host_outs_check("t", &c.outs), -EINVAL); /* one file */
	c.outs.json = "/tmp/x.json";
	CU_ASSERT_EQUAL(host_outs_check("t", &c.outs), 0);
	c.outs.csv = "/nonexistent-dir/x.csv";
	CU_ASSERT_EQUAL(host_outs_check("t", &c.outs), -EINVAL);
	/* a command that writes no CSV does not take --csv */
	CU_ASSERT_EQUAL(
		vfb_opt_parse_sets(&mesh, 1, "t", "", 3, (char **)csv, &c.outs),
		-EINVAL);
}

int test_options_register(void)
{
	CU_pSuite s;

	s = CU_add_suite("options", NULL, NULL);
	if (!s ||
	    !CU_add_test(s, "option sets: offsets, categories, notes",
			 test_opt_sets) ||
	    !CU_add_test(s, "measurement table: categories, no clash",
			 test_opt_table) ||
	    !CU_add_test(s, "measurement options into vt_params",
			 test_opt_params) ||
	    !CU_add_test(s, "help lists every registry's entries",
			 test_help_registries) ||
	    !CU_add_test(s, "peers and outputs: one table each",
			 test_peers_outs))
		return -1;
	return 0;
}
