/* SPDX-License-Identifier: MIT */
/*
 * vfbench drill: disruptions an operator causes, each performed while
 * the target VF and its neighbours carry traffic to their peers; every
 * stream measured interval by interval before, during and after.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drill.h"
#include "drillrun.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "rundir.h"
#include "test.h"

#define O(f) offsetof(struct drl_cfg, f)
static const struct vfb_opt base_opts[] = {
	{ .name = "target",
	  .type = VFB_OPT_STR,
	  .offset = O(target),
	  .metavar = "DEV",
	  .help = "the RDMA device of the VF the events act on (required)" },
	{ .name = "neighbour",
	  .type = VFB_OPT_LIST,
	  .max = 511,
	  .offset = O(neighbours),
	  .metavar = "DEV,...",
	  .help = "devices carrying traffic beside it: the PF's, another "
		  "VF's (required, at most 4)" },
	{ .name = "report-interval",
	  .type = VFB_OPT_LONG,
	  .offset = O(interval_ms),
	  .metavar = "MS",
	  .help = "the time series' interval (default 100)",
	  .min = 20,
	  .max = 10000 },
	{ .name = "before",
	  .type = VFB_OPT_LONG,
	  .offset = O(before),
	  .metavar = "N",
	  .help = "intervals every stream measures before the event and "
		  "after recovery (default 10)",
	  .min = 3,
	  .max = 1000 },
	{ .name = "hold",
	  .type = VFB_OPT_LONG,
	  .offset = O(hold_ms),
	  .metavar = "MS",
	  .help = "how long a flap or a removal lasts (default 1000)",
	  .min = 0,
	  .max = 600000 },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "a session with no completion for SEC has hung (default 5)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "recovery-timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(recovery_s),
	  .metavar = "SEC",
	  .help = "the target not back SEC after the event: it did not "
		  "recover (default 120)",
	  .min = 1,
	  .max = 86400 },
	{ .name = "size",
	  .key = 's',
	  .type = VFB_OPT_LONG,
	  .offset = O(bw_size),
	  .metavar = "BYTES",
	  .help = "the bandwidth streams' message size (default 65536)",
	  .min = 1,
	  .max = 1L << 26 },
	{ .name = "tx-depth",
	  .type = VFB_OPT_LONG,
	  .offset = O(tx_depth),
	  .metavar = "N",
	  .help = "work requests in flight per bandwidth stream (default 32)",
	  .min = 1,
	  .max = 8192 },
	VFB_OPT_END,
};
#undef O

static const struct vfb_opt_note peer_notes[] = {
	{ "peer", "'vfbench serve' for every device (port 18515)" },
	{ NULL, NULL },
};

/* Stream parameters: SIZE, the interval a "size", as many as one
 * session holds (a new session follows when they are done). */
static int params(const struct drl_cfg *c, const char *test, long size,
		  struct vt_params *p)
{
	const struct vt_test_ops *ops = vt_test_find(test);
	size_t i;

	vt_params_init(p);
	snprintf(p->test, sizeof(p->test), "%s", test);
	p->duration_s = (double)c->interval_ms / 1e3;
	p->tx_depth = (uint32_t)c->tx_depth;
	p->cq_mod = p->tx_depth < 32 ? p->tx_depth : 32;
	p->qps = 1;
	p->warmup = 0; /* an interval is what it measured, from the first */
	for (i = 0; i < VFB_SIZES_MAX; i++)
		p->sizes.v[i] = (uint64_t)size;
	p->sizes.n = VFB_SIZES_MAX;
	return ops ? 0 : -EINVAL;
}

static int list_count(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == ',';
	return n;
}

static int check(struct drl_cfg *c, struct drl *d)
{
	char err[256];
	int n = drl_events_parse(c->events, d->ev, DRL_MAX_EVENTS, err,
				 sizeof(err));

	if (n < 0) {
		vfb_err("drill: %s", err);
		return -EINVAL;
	}
	d->nev = n;
	if (!c->target || !c->neighbours) {
		vfb_err("drill: say --target DEV (a VF) and --neighbour DEV,...");
		return -EINVAL;
	}
	if (list_count(c->neighbours) > DRL_MAX_NEIGH) {
		vfb_err("drill: --neighbour: at most %d devices",
			DRL_MAX_NEIGH);
		return -EINVAL;
	}
	if (!host_peers_any(&c->peers)) {
		vfb_err("drill: no peer: give --peer HOST or --peer-KIND HOST");
		return -EINVAL;
	}
	if (params(c, "write_bw", c->bw_size, &d->bw) ||
	    params(c, "write_lat", c->lat_size, &d->lat))
		return -EINVAL;
	c->after = c->before;
	return host_outs_check("drill", &c->outs);
}

static int parse(struct drl_cfg *c, struct drl *d, int argc, char **argv)
{
	char names[160], syn[256];
	const struct vfb_optset sets[] = {
		{ .tab = base_opts },
		{ .tab = host_peer_opts(),
		  .base = offsetof(struct drl_cfg, peers),
		  .notes = peer_notes },
		{ .tab = host_out_opts,
		  .base = offsetof(struct drl_cfg, outs),
		  .mask = HOST_OUT_DIR },
	};
	int ret;

	drl_event_names(names, sizeof(names));
	snprintf(syn, sizeof(syn),
		 "EVENT[,EVENT...] --target DEV --neighbour "
		 "DEV,... [OPTIONS]\n  events: %s ('vfbench "
		 "help events')",
		 names);
	ret = vfb_opt_parse_sets(sets, sizeof(sets) / sizeof(sets[0]), "drill",
				 syn, argc, argv, c);
	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret + 1 != argc) {
		vfb_err("drill: say the events (a comma list: %s)%s%s", names,
			ret + 1 < argc ? "; unexpected " : "",
			ret + 1 < argc ? argv[ret + 1] : "");
		return VFB_EXIT_USAGE;
	}
	c->events = argv[ret];
	return check(c, d) ? VFB_EXIT_USAGE : VFB_EXIT_OK;
}

int bench_cmd_drill(int argc, char **argv)
{
	struct drl_cfg c = { .interval_ms = 100,
			     .before = 10,
			     .hold_ms = 1000,
			     .timeout = 5,
			     .recovery_s = 120,
			     .bw_size = 65536,
			     .lat_size = 64,
			     .tx_depth = 32,
			     .limit = 1.1 };
	static struct drl d;
	int ret;

	memset(&d, 0, sizeof(d));
	ret = parse(&c, &d, argc, argv);
	if (ret)
		return ret < 0 ? VFB_EXIT_OK : ret;
	return drl_main(&d, &c, argc, argv);
}
