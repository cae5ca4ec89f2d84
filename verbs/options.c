/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "options.h"
#include "test.h"

/* The engines' names, from the registry: "write_lat, ...". */
const char *vt_opts_test_choices(void)
{
	static char names[256];
	const struct vt_test_ops *const *t;
	size_t i, n, used = 0;

	if (names[0])
		return names;
	t = vt_tests(&n);
	for (i = 0; i < n && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "", t[i]->name);
	return names;
}

#define O(f) offsetof(struct vt_opts, f)
const struct vfb_opt vt_opt_table[] = {
	{ .name = "tests",
	  .key = 't',
	  .type = VFB_OPT_LIST,
	  .max = 255,
	  .offset = O(tests),
	  .metavar = "TEST,...",
	  .help = "tests to run (default: all; atomics are 8 B)",
	  .cat = VT_OPT_CORE,
	  .choices = vt_opts_test_choices },
	{ .name = "size",
	  .key = 's',
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(sizes),
	  .metavar = "SIZES",
	  .help = "message sizes, e.g. 2,4K,64K",
	  .cat = VT_OPT_CORE },
	{ .name = "all",
	  .key = 'a',
	  .type = VFB_OPT_FLAG,
	  .offset = O(all_sizes),
	  .help = "sweep sizes 2 B .. 8 MiB by powers of two",
	  .cat = VT_OPT_TUNE },
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(iters),
	  .metavar = "N",
	  .help = "iterations per size instead of -D",
	  .min = 1,
	  .max = VT_ITERS_MAX,
	  .cat = VT_OPT_CORE },
	{ .name = "duration",
	  .key = 'D',
	  .type = VFB_OPT_STR,
	  .offset = O(duration),
	  .metavar = "SEC",
	  .help = "run each size this long instead of -n",
	  .cat = VT_OPT_CORE },
	{ .name = "warmup",
	  .type = VFB_OPT_LONG,
	  .offset = O(warmup),
	  .metavar = "N",
	  .help = "unmeasured iterations first (default n/10, at most 100)",
	  .min = 0,
	  .max = VT_WARMUP_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "tx-depth",
	  .type = VFB_OPT_LONG,
	  .offset = O(tx_depth),
	  .metavar = "N",
	  .help = "work requests in flight (bandwidth, default 128)",
	  .min = VT_TX_DEPTH_MIN,
	  .max = VT_TX_DEPTH_MAX,
	  .cat = VT_OPT_CORE },
	{ .name = "cq-mod",
	  .type = VFB_OPT_LONG,
	  .offset = O(cq_mod),
	  .metavar = "N",
	  .help = "signal one send in N (bandwidth, default 32)",
	  .min = 1,
	  .max = VT_TX_DEPTH_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "post-list",
	  .key = 'l',
	  .type = VFB_OPT_LONG,
	  .offset = O(post_list),
	  .metavar = "N",
	  .help = "bandwidth: work requests per ibv_post_send (default 1)",
	  .min = 1,
	  .max = VT_TX_DEPTH_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "qps",
	  .key = 'q',
	  .type = VFB_OPT_LONG,
	  .offset = O(qps),
	  .metavar = "N",
	  .help = "bandwidth: N queue pairs, each its own window and buffer (pins 2 x the largest size each; default 1)",
	  .min = 1,
	  .max = VT_QPS_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "bidirectional",
	  .key = 'b',
	  .type = VFB_OPT_FLAG,
	  .offset = O(bidir),
	  .help = "bandwidth: both sides stream at once (each direction and the sum)",
	  .cat = VT_OPT_TUNE },
	{ .name = "events",
	  .key = 'e',
	  .type = VFB_OPT_FLAG,
	  .offset = O(events),
	  .help = "wait for completions on a completion channel, not by polling",
	  .cat = VT_OPT_CORE },
	{ .name = "inline-size",
	  .key = 'I',
	  .type = VFB_OPT_LONG,
	  .offset = O(inline_size),
	  .metavar = "SIZE",
	  .help = "bytes a send carries inline, capped by the device "
		  "(default as perftest: 220 write_lat, 236 send_lat, else 0)",
	  .min = 0,
	  .max = VT_INLINE_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "use-hugepages",
	  .type = VFB_OPT_FLAG,
	  .offset = O(hugepages),
	  .help = "buffers in huge pages (vm.nr_hugepages must have some free)",
	  .cat = VT_OPT_TUNE },
	{ .name = "atomic",
	  .type = VFB_OPT_STR,
	  .offset = O(atomic),
	  .metavar = "fetch_add|cmp_swap",
	  .help = "the atomic the atomic tests post (default fetch_add)",
	  .cat = VT_OPT_TUNE },
	{ .name = "verify",
	  .type = VFB_OPT_FLAG,
	  .offset = O(verify),
	  .help = "fill a pattern and check every received payload",
	  .cat = VT_OPT_TUNE },
	{ .name = "ib-port",
	  .key = 'i',
	  .type = VFB_OPT_LONG,
	  .offset = O(ib_port),
	  .metavar = "N",
	  .help = "port of the device (default 1)",
	  .min = 1,
	  .max = 255,
	  .cat = VT_OPT_TUNE },
	{ .name = "gid-index",
	  .key = 'x',
	  .type = VFB_OPT_LONG,
	  .offset = O(gid),
	  .metavar = "N",
	  .help = "GID index (default: RoCE v2, IPv4-mapped, the address the "
		  "traffic leaves from; InfiniBand: by LID, no GRH)",
	  .min = 0,
	  .max = 255,
	  .cat = VT_OPT_TUNE },
	{ .name = "pkey-index",
	  .type = VFB_OPT_LONG,
	  .offset = O(pkey_index),
	  .metavar = "N",
	  .help = "P_Key table index of the QPs (default 0)",
	  .min = 0,
	  .max = VT_PKEY_INDEX_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "tclass",
	  .type = VFB_OPT_LONG,
	  .offset = O(tclass),
	  .metavar = "N",
	  .help = "GRH traffic class, e.g. the lossless class on RoCE (DSCP << 2)",
	  .min = 0,
	  .max = VT_TCLASS_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "sl",
	  .type = VFB_OPT_LONG,
	  .offset = O(sl),
	  .metavar = "N",
	  .help = "service level (TCP exchange only)",
	  .min = 0,
	  .max = VT_SL_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "flow-label",
	  .type = VFB_OPT_LONG,
	  .offset = O(flow_label),
	  .metavar = "N",
	  .help = "GRH flow label (TCP exchange only)",
	  .min = 0,
	  .max = VT_FLOW_LABEL_MAX,
	  .cat = VT_OPT_TUNE },
	{ .name = "rdma-cm",
	  .key = 'R',
	  .type = VFB_OPT_FLAG,
	  .offset = O(rdma_cm),
	  .help = "connect the QP with rdma_cm instead of the TCP exchange",
	  .cat = VT_OPT_TUNE },
	{ .name = "clock",
	  .type = VFB_OPT_STR,
	  .offset = O(clock),
	  .metavar = "auto|raw|tsc",
	  .help = "timestamps: auto (TSC if invariant), CLOCK_MONOTONIC_RAW, or the TSC as perftest",
	  .cat = VT_OPT_TUNE },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "give up on a silent peer after SEC (default 10)",
	  .min = 1,
	  .max = 3600,
	  .cat = VT_OPT_CORE },
	VFB_OPT_END,
};
#undef O

int vt_opts_tests_check(const char *cmd, const char *list)
{
	char buf[256], names[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!vt_test_find(tok)) {
			vt_test_names(names, sizeof(names));
			vfb_err("%s: unknown test '%s' (tests: %s)", cmd, tok,
				names);
			return -EINVAL;
		}
	return 0;
}

enum vt_clock_mode vt_opts_clock(const struct vt_opts *o)
{
	if (!o->clock || !strcmp(o->clock, "auto"))
		return VT_CLOCK_AUTO;
	return !strcmp(o->clock, "raw") ? VT_CLOCK_RAW : VT_CLOCK_TSC;
}

/* The sizes, and -n or -D (the one or the other) per size. */
static int amount(const struct vt_opts *o, const struct vt_opts_use *u,
		  struct vt_params *p)
{
	char err[128];

	if (o->all_sizes && o->sizes) {
		vfb_err("%s: -a and -s exclude each other", u->cmd);
		return -EINVAL;
	}
	if (o->all_sizes)
		vfb_sizes_sweep(2, 8 << 20, &p->sizes);
	else if (vfb_sizes_parse(u->sizes, &p->sizes, err, sizeof(err))) {
		vfb_err("%s: %s: %s", u->cmd, u->size_opt, err);
		return -EINVAL;
	}
	if (o->duration && o->iters) {
		vfb_err("%s: -D and -n exclude each other", u->cmd);
		return -EINVAL;
	}
	if (o->duration) {
		if (vfb_num_parse(o->duration, &p->duration_s) ||
		    p->duration_s <= 0 || p->duration_s > VT_DURATION_MAX_S) {
			vfb_err("%s: -D wants seconds in (0, 3600], not '%s'",
				u->cmd, o->duration);
			return -EINVAL;
		}
	} else if (o->iters || !u->duration_s) {
		p->iters = o->iters ? (uint64_t)o->iters : VT_OPTS_ITERS;
	} else {
		p->duration_s = u->duration_s;
	}
	p->warmup = o->warmup >= 0 ? (uint64_t)o->warmup :
		    p->iters ? (p->iters / 10 < 100 ? p->iters / 10 : 100) :
			       100;
	return 0;
}

/* The options that do not go together (yet). */
static int conflicts(const struct vt_opts *o, const char *cmd)
{
	if (o->atomic && vt_atomic_parse(o->atomic) < 0) {
		vfb_err("%s: --atomic wants fetch_add or cmp_swap, not '%s'",
			cmd, o->atomic);
		return -EINVAL;
	}
	if (o->post_list > o->tx_depth) {
		vfb_err("%s: --post-list %ld is more than --tx-depth %ld", cmd,
			o->post_list, o->tx_depth);
		return -EINVAL;
	}
	if (o->rdma_cm && (o->sl >= 0 || o->flow_label >= 0)) {
		vfb_err("%s: --sl and --flow-label need the TCP exchange: with "
			"--rdma-cm, rdma_cm sets the address vector (--tclass it takes)",
			cmd);
		return -EINVAL;
	}
	if (o->bidir && (o->verify || o->events)) {
		vfb_err("%s: -b does not go with %s yet", cmd,
			o->verify ? "--verify" : "-e");
		return -EINVAL;
	}
	if (o->qps > 1 && (o->rdma_cm || o->verify || o->events)) {
		vfb_err("%s: -q does not go with %s yet", cmd,
			o->rdma_cm ? "-R" :
			o->verify  ? "--verify" :
				     "-e");
		return -EINVAL;
	}
	if (o->clock && strcmp(o->clock, "auto") && strcmp(o->clock, "raw") &&
	    strcmp(o->clock, "tsc")) {
		vfb_err("%s: --clock wants auto, raw or tsc, not '%s'", cmd,
			o->clock);
		return -EINVAL;
	}
	return 0;
}

int vt_opts_params(const struct vt_opts *o, const struct vt_opts_use *u,
		   struct vt_params *p)
{
	vt_params_init(p);
	if (u->test)
		snprintf(p->test, sizeof(p->test), "%s", u->test);
	if (amount(o, u, p) || conflicts(o, u->cmd))
		return -EINVAL;
	p->rdma_cm = o->rdma_cm;
	p->verify = o->verify;
	p->tx_depth = (uint32_t)o->tx_depth;
	p->cq_mod =
		(uint32_t)(o->cq_mod < o->tx_depth ? o->cq_mod : o->tx_depth);
	p->atomic = o->atomic ? (enum vt_atomic)vt_atomic_parse(o->atomic) :
				VT_ATOMIC_FETCH_ADD;
	p->qps = (uint32_t)o->qps;
	p->bidir = o->bidir;
	p->post_list = (uint32_t)o->post_list;
	p->events = o->events;
	p->hugepages = o->hugepages;
	p->tclass = (int)o->tclass;
	p->sl = (int)o->sl;
	p->flow_label = (int32_t)o->flow_label;
	p->inline_size = (int32_t)o->inline_size;
	p->pkey_index = (uint16_t)o->pkey_index;
	return 0;
}
