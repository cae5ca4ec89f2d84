/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "matrix.h"
#include "paths.h"
#include "opt.h"
#include "options.h"
#include "test.h"

#define DEFAULT_SIZES "2,4096,65536"

#define O(f) offsetof(struct mtx_cfg, f)
static const struct vfb_opt_note run_dev_notes[] = {
	{ "ib-dev", "RDMA devices to measure" },
	{ "paths", "measure one device per path kind instead" },
	{ NULL, NULL },
};

/* How run measures and where its rows go. */
static const struct vfb_opt run_out_opts[] = {
	{ .name = "until-stable",
	  .type = VFB_OPT_STR,
	  .offset = O(until_stable),
	  .metavar = "FRAC",
	  .help = "latency: sample until the median's 95% CI is within FRAC (0.01)" },
	{ .name = "repeat",
	  .key = 'r',
	  .type = VFB_OPT_LONG,
	  .offset = O(repeat),
	  .metavar = "R",
	  .help = "every case R times with fresh QPs, the paths taking turns (default 1)",
	  .min = 1,
	  .max = 1000 },
	{ .name = "max-iters",
	  .type = VFB_OPT_LONG,
	  .offset = O(max_iters),
	  .metavar = "N",
	  .help = "--until-stable cap on samples (default 100000)",
	  .min = 1,
	  .max = 100000000 },
	{ .name = "max-time",
	  .type = VFB_OPT_LONG,
	  .offset = O(max_time),
	  .metavar = "SEC",
	  .help = "--until-stable cap on time per size (default 30)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "cpu",
	  .type = VFB_OPT_LONG,
	  .offset = O(cpu),
	  .metavar = "N",
	  .help = "pin the measuring thread to CPU N (default: device-local)",
	  .min = 0,
	  .max = 65535 },
	{ .name = "numa",
	  .type = VFB_OPT_STR,
	  .offset = O(numa),
	  .metavar = "local|remote|N",
	  .help = "memory node of the buffers (default local)" },
	VFB_OPT_END,
};
/* The options: the table above, then --peer-KIND for every path kind
 * (the path-kind table's), after --peer. */
/* What the measurement options' defaults are for run. */
static const struct vfb_opt_note run_notes[] = {
	{ "size", "message sizes, e.g. 2,4K,64K (default " DEFAULT_SIZES ")" },
	{ "iters", "iterations per size (default 1000)" },
	{ NULL, NULL },
};

static const struct vfb_opt_note run_out_notes[] = {
	{ "out", "results directory (default with --paths: results/RUN_ID)" },
	{ NULL, NULL },
};

static int build_params(const struct mtx_cfg *c, struct vt_params *p)
{
	const struct vt_opts_use use = {
		.cmd = "run",
		.sizes = c->vo.sizes ? c->vo.sizes : DEFAULT_SIZES,
		.size_opt = "-s",
	};

	if (c->vo.duration && c->until_stable) {
		vfb_err("run: -D and --until-stable exclude each other");
		return -EINVAL;
	}
	if (vt_opts_params(&c->vo, &use, p))
		return -EINVAL;
	return c->vo.tests ? vt_opts_tests_check("run", c->vo.tests) : 0;
}

static int parse(struct mtx_cfg *c, int argc, char **argv, struct mtx *m)
{
	long node;
	int ret;

	const struct vfb_optset sets[] = {
		{ .tab = host_dev_opts,
		  .base = O(sel),
		  .mask = HOST_DEV_LIST,
		  .notes = run_dev_notes },
		{ .tab = host_peer_opts(), .base = O(peers) },
		{ .tab = vt_opt_table, .base = O(vo), .notes = run_notes },
		{ .tab = run_out_opts },
		{ .tab = host_out_opts,
		  .base = O(outs),
		  .notes = run_out_notes },
	};

	ret = vfb_opt_parse_sets(
		sets, sizeof(sets) / sizeof(sets[0]), "run",
		"(-d DEV | --paths auto|KIND,...) --peer HOST[:PORT] [OPTIONS]",
		argc, argv, c);
	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("run: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (host_devsel_check("run", &c->sel, true))
		return VFB_EXIT_USAGE;
	if (build_params(c, &m->params))
		return VFB_EXIT_USAGE;
	if (c->until_stable) {
		if (vfb_num_parse(c->until_stable, &m->client.stable_rel) ||
		    m->client.stable_rel <= 0 || m->client.stable_rel >= 1) {
			vfb_err("run: --until-stable wants a fraction in (0, 1), not '%s'",
				c->until_stable);
			return VFB_EXIT_USAGE;
		}
	}
	if (host_outs_check("run", &c->outs))
		return VFB_EXIT_USAGE;
	if (c->numa && strcmp(c->numa, "local") && strcmp(c->numa, "remote") &&
	    (vfb_long_parse(c->numa, &node) || node < 0 || node > 65535)) {
		vfb_err("run: --numa wants local, remote or a node number in [0, 65535], not '%s'",
			c->numa);
		return VFB_EXIT_USAGE;
	}
	return VFB_EXIT_OK;
}

int bench_cmd_run(int argc, char **argv)
{
	struct mtx_cfg c = { .vo = VT_OPTS_INIT,
			     .cpu = -1,
			     .repeat = 1,
			     .max_iters = 100000,
			     .max_time = 30 };
	static struct mtx m;
	int ret;

	memset(&m, 0, sizeof(m));
	ret = parse(&c, argc, argv, &m);
	if (ret)
		return ret < 0 ? VFB_EXIT_OK : ret;
	return mtx_main(&m, &c, argc, argv);
}
#undef O
