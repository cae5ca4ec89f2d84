/* SPDX-License-Identifier: MIT */
#ifndef VT_OPTIONS_H
#define VT_OPTIONS_H

#include <stdbool.h>

#include "clock.h"
#include "opt.h"
#include "proto.h"

/*
 * The measurement options every scenario takes, as fio's options.c: one
 * table (vt_opt_table, a struct vfb_opt per option, each in a category)
 * storing into struct vt_opts, which a command embeds in its config and
 * parses as one more option set; one function turns them into the
 * engines' vt_params. A command adds only its own options, and says
 * through notes (struct vfb_opt_note) what a default is for it.
 */
enum vt_opt_cat {
	VT_OPT_CORE = 1 << 0, /* every scenario: tests, sizes, -n, -D, ... */
	VT_OPT_TUNE = 1 << 1, /* the engines' knobs: depth, QPs, the AV, ... */
};

struct vt_opts {
	const char *tests, *sizes, *duration, *atomic, *clock;
	long iters, warmup, tx_depth, cq_mod, post_list, qps, timeout;
	long inline_size, tclass, sl, flow_label, gid, pkey_index, ib_port;
	bool events, hugepages, all_sizes, rdma_cm, verify, bidir;
};

/* Nothing given: every default as the engines take it. */
#define VT_OPTS_INIT                                                           \
	{                                                                      \
		.warmup = -1, .tx_depth = 128, .cq_mod = 32, .post_list = 1,   \
		.qps = 1, .timeout = 10, .inline_size = -1, .tclass = -1,      \
		.sl = -1, .flow_label = -1, .gid = -1, .ib_port = 1,           \
	}

extern const struct vfb_opt vt_opt_table[];

/* The engines' names, from their registry, for --help: "write_lat, ...". */
const char *vt_opts_test_choices(void);

/* How a scenario uses the options for one vt_params. */
struct vt_opts_use {
	const char *cmd;      /* "run": the errors' prefix */
	const char *test;     /* the engine, or NULL (filled later) */
	const char *sizes;    /* the sizes to parse: the option or a default */
	const char *size_opt; /* their option, for errors ("-s") */
	double duration_s;    /* without -n or -D: seconds per size; 0: the
			       * iterations of VT_OPTS_ITERS */
};

#define VT_OPTS_ITERS 1000 /* per size, when neither -n nor -D is given */

/*
 * Check O and fill P (vt_params_init first): the sizes, -n or -D, the
 * warm-up (--warmup, else a tenth of -n, at most 100), the queue and the
 * address vector. 0, or -EINVAL after one error line naming the option.
 */
int vt_opts_params(const struct vt_opts *o, const struct vt_opts_use *u,
		   struct vt_params *p);
/* --clock as vt_clock_init takes it (checked by vt_opts_params). */
enum vt_clock_mode vt_opts_clock(const struct vt_opts *o);
/* Each name of the comma list LIST is a test: 0, or -EINVAL after
 * "CMD: unknown test 'X' (tests: ...)". */
int vt_opts_tests_check(const char *cmd, const char *list);

#endif
