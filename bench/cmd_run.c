/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "classify.h"
#include "commands.h"
#include "env.h"
#include "exitcode.h"
#include "log.h"
#include "matrix.h"
#include "opt.h"
#include "res.h"
#include "results.h"
#include "test.h"

#define DEFAULT_SIZES "2,4096,65536"

#define O(f) offsetof(struct mtx_cfg, f)
static const struct vfb_opt base_opts[] = {
	{ .name = "ib-dev",
	  .key = 'd',
	  .type = VFB_OPT_LIST,
	  .max = 511,
	  .offset = O(dev),
	  .metavar = "DEV[,DEV]",
	  .help = "RDMA devices to measure" },
	{ .name = "paths",
	  .type = VFB_OPT_LIST,
	  .max = 127,
	  .offset = O(paths),
	  .metavar = "auto|pf,vf,pv",
	  .help = "measure one device per path kind instead" },
	{ .name = "peer",
	  .type = VFB_OPT_PEER,
	  .offset = O(peer),
	  .metavar = "HOST[:PORT]",
	  .help = "'vfbench serve' for every path (port 18515)" },
	{ .name = "gid-index",
	  .key = 'x',
	  .type = VFB_OPT_LONG,
	  .offset = O(gid),
	  .metavar = "N",
	  .help = "GID index (default: RoCE v2, IPv4-mapped, the address the "
		  "traffic leaves from; InfiniBand: by LID, no GRH)",
	  .min = 0,
	  .max = 255 },
	{ .name = "pkey-index",
	  .type = VFB_OPT_LONG,
	  .offset = O(pkey_index),
	  .metavar = "N",
	  .help = "P_Key table index of the QPs (default 0)",
	  .min = 0,
	  .max = VT_PKEY_INDEX_MAX },
	{ .name = "inline-size",
	  .key = 'I',
	  .type = VFB_OPT_LONG,
	  .offset = O(inline_size),
	  .metavar = "SIZE",
	  .help = "bytes a send carries inline, capped by the device "
		  "(default as perftest: 220 write_lat, 236 send_lat, else 0)",
	  .min = 0,
	  .max = VT_INLINE_MAX },
	{ .name = "ib-port",
	  .key = 'i',
	  .type = VFB_OPT_LONG,
	  .offset = O(ib_port),
	  .metavar = "N",
	  .help = "port of the device (default 1)",
	  .min = 1,
	  .max = 255 },
	{ .name = "tests",
	  .key = 't',
	  .type = VFB_OPT_LIST,
	  .max = 255,
	  .offset = O(tests),
	  .metavar = "LIST",
	  .help = "tests to run (default: all; atomics are 8 B)" },
	{ .name = "size",
	  .key = 's',
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(sizes),
	  .metavar = "SIZES",
	  .help = "message sizes, e.g. 2,4K,64K (default " DEFAULT_SIZES ")" },
	{ .name = "all",
	  .key = 'a',
	  .type = VFB_OPT_FLAG,
	  .offset = O(all_sizes),
	  .help = "sweep sizes 2 B .. 8 MiB by powers of two" },
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(iters),
	  .metavar = "N",
	  .help = "iterations per size (default 1000)",
	  .min = 1,
	  .max = VT_ITERS_MAX },
	{ .name = "duration",
	  .key = 'D',
	  .type = VFB_OPT_STR,
	  .offset = O(duration),
	  .metavar = "SEC",
	  .help = "run each size this long instead of -n" },
	{ .name = "warmup",
	  .type = VFB_OPT_LONG,
	  .offset = O(warmup),
	  .metavar = "N",
	  .help = "unmeasured iterations first (default n/10, at most 100)",
	  .min = 0,
	  .max = VT_WARMUP_MAX },
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
	{ .name = "rdma-cm",
	  .key = 'R',
	  .type = VFB_OPT_FLAG,
	  .offset = O(rdma_cm),
	  .help = "connect the QP with rdma_cm instead of the TCP exchange" },
	{ .name = "verify",
	  .type = VFB_OPT_FLAG,
	  .offset = O(verify),
	  .help = "fill a pattern and check every received payload" },
	{ .name = "atomic",
	  .type = VFB_OPT_STR,
	  .offset = O(atomic),
	  .metavar = "fetch_add|cmp_swap",
	  .help = "the atomic the atomic tests post (default fetch_add)" },
	{ .name = "tx-depth",
	  .type = VFB_OPT_LONG,
	  .offset = O(tx_depth),
	  .metavar = "N",
	  .help = "work requests in flight (bandwidth, default 128)",
	  .min = VT_TX_DEPTH_MIN,
	  .max = VT_TX_DEPTH_MAX },
	{ .name = "cq-mod",
	  .type = VFB_OPT_LONG,
	  .offset = O(cq_mod),
	  .metavar = "N",
	  .help = "signal one send in N (bandwidth, default 32)",
	  .min = 1,
	  .max = VT_TX_DEPTH_MAX },
	{ .name = "post-list",
	  .key = 'l',
	  .type = VFB_OPT_LONG,
	  .offset = O(post_list),
	  .metavar = "N",
	  .help = "bandwidth: work requests per ibv_post_send (default 1)",
	  .min = 1,
	  .max = VT_TX_DEPTH_MAX },
	{ .name = "qps",
	  .key = 'q',
	  .type = VFB_OPT_LONG,
	  .offset = O(qps),
	  .metavar = "N",
	  .help = "bandwidth: N queue pairs, each its own window and buffer (pins 2 x the largest size each; default 1)",
	  .min = 1,
	  .max = VT_QPS_MAX },
	{ .name = "bidirectional",
	  .key = 'b',
	  .type = VFB_OPT_FLAG,
	  .offset = O(bidir),
	  .help = "bandwidth: both sides stream at once (each direction and the sum)" },
	{ .name = "events",
	  .key = 'e',
	  .type = VFB_OPT_FLAG,
	  .offset = O(events),
	  .help = "wait for completions on a completion channel, not by polling" },
	{ .name = "use-hugepages",
	  .type = VFB_OPT_FLAG,
	  .offset = O(hugepages),
	  .help = "buffers in huge pages (vm.nr_hugepages must have some free)" },
	{ .name = "tclass",
	  .type = VFB_OPT_LONG,
	  .offset = O(tclass),
	  .metavar = "N",
	  .help = "GRH traffic class, e.g. the lossless class on RoCE (DSCP << 2)",
	  .min = 0,
	  .max = VT_TCLASS_MAX },
	{ .name = "sl",
	  .type = VFB_OPT_LONG,
	  .offset = O(sl),
	  .metavar = "N",
	  .help = "service level (TCP exchange only)",
	  .min = 0,
	  .max = VT_SL_MAX },
	{ .name = "flow-label",
	  .type = VFB_OPT_LONG,
	  .offset = O(flow_label),
	  .metavar = "N",
	  .help = "GRH flow label (TCP exchange only)",
	  .min = 0,
	  .max = VT_FLOW_LABEL_MAX },
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
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "give up on a silent peer after SEC (default 10)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "clock",
	  .type = VFB_OPT_STR,
	  .offset = O(clock),
	  .metavar = "auto|raw|tsc",
	  .help = "timestamps: auto (TSC if invariant), CLOCK_MONOTONIC_RAW, or the TSC as perftest" },
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = O(out),
	  .metavar = "DIR",
	  .help = "results directory (default with --paths: results/RUN_ID)" },
	{ .name = "csv",
	  .type = VFB_OPT_STR,
	  .offset = O(csv),
	  .metavar = "FILE",
	  .help = "also write the rows to FILE as CSV" },
	{ .name = "json",
	  .type = VFB_OPT_STR,
	  .offset = O(json),
	  .metavar = "FILE",
	  .help = "also write the rows and the parameters as JSON" },
	VFB_OPT_END,
};
/* The options: the table above, then --peer-KIND for every path kind
 * (the path-kind table's), after --peer. */
static const struct vfb_opt *run_opts(void)
{
	static struct vfb_opt
		opts[sizeof(base_opts) / sizeof(base_opts[0]) + MTX_KINDS_MAX];

	if (!opts[0].name)
		host_peer_kind_opts(base_opts, "peer", O(peer_of), opts,
				    MTX_KINDS_MAX);
	return opts;
}
#undef O

static int build_params(const struct mtx_cfg *c, struct vt_params *p)
{
	char err[128];

	vt_params_init(p);
	if (c->all_sizes && c->sizes) {
		vfb_err("run: -a and -s exclude each other");
		return -EINVAL;
	}
	if (c->all_sizes)
		vfb_sizes_sweep(2, 8 << 20, &p->sizes);
	else if (vfb_sizes_parse(c->sizes ? c->sizes : DEFAULT_SIZES, &p->sizes,
				 err, sizeof(err))) {
		vfb_err("run: -s: %s", err);
		return -EINVAL;
	}
	if (c->duration) {
		if (vfb_num_parse(c->duration, &p->duration_s) ||
		    p->duration_s <= 0 || p->duration_s > VT_DURATION_MAX_S ||
		    c->iters || c->until_stable) {
			vfb_err("run: -D wants seconds in (0, 3600], without -n or --until-stable, not '%s'",
				c->duration);
			return -EINVAL;
		}
	} else {
		p->iters = c->iters ? (uint64_t)c->iters : 1000;
	}
	p->warmup = c->warmup >= 0 ? (uint64_t)c->warmup :
		    p->iters ? (p->iters / 10 < 100 ? p->iters / 10 : 100) :
			       100;
	p->rdma_cm = c->rdma_cm;
	p->verify = c->verify;
	p->tx_depth = (uint32_t)c->tx_depth;
	p->cq_mod =
		(uint32_t)(c->cq_mod < c->tx_depth ? c->cq_mod : c->tx_depth);
	if (c->atomic && vt_atomic_parse(c->atomic) < 0) {
		vfb_err("run: --atomic wants fetch_add or cmp_swap, not '%s'",
			c->atomic);
		return -EINVAL;
	}
	p->atomic = c->atomic ? (enum vt_atomic)vt_atomic_parse(c->atomic) :
				VT_ATOMIC_FETCH_ADD;
	if (c->post_list > c->tx_depth) {
		vfb_err("run: --post-list %ld is more than --tx-depth %ld",
			c->post_list, c->tx_depth);
		return -EINVAL;
	}
	if (c->rdma_cm && (c->sl >= 0 || c->flow_label >= 0)) {
		vfb_err("run: --sl and --flow-label need the TCP exchange: with "
			"--rdma-cm, rdma_cm sets the address vector (--tclass it takes)");
		return -EINVAL;
	}
	if (c->bidir && (c->verify || c->events)) {
		vfb_err("run: -b does not go with %s yet",
			c->verify ? "--verify" : "-e");
		return -EINVAL;
	}
	if (c->qps > 1 && (c->rdma_cm || c->verify || c->events)) {
		vfb_err("run: -q does not go with %s yet",
			c->rdma_cm ? "-R" :
			c->verify  ? "--verify" :
				     "-e");
		return -EINVAL;
	}
	p->qps = (uint32_t)c->qps;
	p->bidir = c->bidir;
	p->post_list = (uint32_t)c->post_list;
	p->events = c->events;
	p->hugepages = c->hugepages;
	p->tclass = (int)c->tclass;
	p->sl = (int)c->sl;
	p->flow_label = (int32_t)c->flow_label;
	p->inline_size = (int32_t)c->inline_size;
	p->pkey_index = (uint16_t)c->pkey_index;
	return 0;
}

static int check_tests(const char *list)
{
	char buf[256], names[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!vt_test_find(tok)) {
			vt_test_names(names, sizeof(names));
			vfb_err("run: unknown test '%s' (tests: %s)", tok,
				names);
			return -EINVAL;
		}
	return 0;
}

/* Outputs are decided before any device is looked at; a results
 * directory that already holds a run is never written over. */
static int check_outputs(const struct mtx_cfg *c)
{
	if ((c->csv && host_out_file_check("run", "--csv", c->csv)) ||
	    (c->json && host_out_file_check("run", "--json", c->json)))
		return -EINVAL;
	if (c->csv && c->json && !strcmp(c->csv, c->json)) {
		vfb_err("run: --csv and --json both name %s", c->csv);
		return -EINVAL;
	}
	if (c->out && host_out_dir_check("run", "--out", c->out))
		return -EINVAL;
	return 0;
}

static int parse(struct mtx_cfg *c, int argc, char **argv, struct mtx *m)
{
	long node;
	int ret;

	ret = vfb_opt_parse(
		run_opts(), "run",
		"(-d DEV | --paths auto|pf,vf,pv) --peer HOST[:PORT] [OPTIONS]",
		argc, argv, c);
	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("run: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (!c->dev == !c->paths) {
		vfb_err("run: give one of -d DEV and --paths");
		return VFB_EXIT_USAGE;
	}
	if (build_params(c, &m->params) || (c->tests && check_tests(c->tests)))
		return VFB_EXIT_USAGE;
	if (c->until_stable) {
		if (vfb_num_parse(c->until_stable, &m->client.stable_rel) ||
		    m->client.stable_rel <= 0 || m->client.stable_rel >= 1) {
			vfb_err("run: --until-stable wants a fraction in (0, 1), not '%s'",
				c->until_stable);
			return VFB_EXIT_USAGE;
		}
	}
	if (check_outputs(c))
		return VFB_EXIT_USAGE;
	if (c->clock && strcmp(c->clock, "auto") && strcmp(c->clock, "raw") &&
	    strcmp(c->clock, "tsc")) {
		vfb_err("run: --clock wants auto, raw or tsc, not '%s'",
			c->clock);
		return VFB_EXIT_USAGE;
	}
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
	struct mtx_cfg c = { .gid = -1,
			     .ib_port = 1,
			     .warmup = -1,
			     .timeout = 10,
			     .tx_depth = 128,
			     .cq_mod = 32,
			     .cpu = -1,
			     .post_list = 1,
			     .tclass = -1,
			     .sl = -1,
			     .flow_label = -1,
			     .inline_size = -1,
			     .qps = 1,
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
