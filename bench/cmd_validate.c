/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdio.h>

#include "commands.h"
#include "drive.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "paths.h"

#define O(f) offsetof(struct val_request, f)
static const struct vfb_opt_note validate_dev_notes[] = {
	{ "ib-dev", "RDMA devices to validate" },
	{ "paths", "validate one device per path kind instead" },
	{ "gid-index", "GID index of the loopback pair (default: the port's "
		       "first RoCE v2 GID, else 0)" },
	{ NULL, NULL },
};

static const struct vfb_opt validate_opts[] = {
	{ .name = "checks",
	  .type = VFB_OPT_LIST,
	  .max = 511,
	  .offset = O(checks),
	  .metavar = "ID|PREFIX,...",
	  .help = "only these checks, or those under a prefix: claims, "
		  "protect.write ('vfbench help valchecks'; "
		  "default all)" },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout_ms),
	  .metavar = "MS",
	  .help = "wait at most MS for each completion (default 2000)",
	  .min = 1,
	  .max = 600000 },
	VFB_OPT_END,
};

int bench_cmd_validate(int argc, char **argv)
{
	struct val_request rq = { .sel = HOST_DEVSEL_INIT, .timeout_ms = 2000 };
	const struct vfb_optset sets[] = {
		{ .tab = host_dev_opts,
		  .base = O(sel),
		  .notes = validate_dev_notes },
		{ .tab = validate_opts },
		{ .tab = host_out_opts, .base = O(outs), .mask = HOST_OUT_DIR },
	};
	int ret;

	ret = vfb_opt_parse_sets(sets, sizeof(sets) / sizeof(sets[0]),
				 "validate",
				 "(-d DEV | --paths auto|KIND,...) "
				 "[--checks ID,...] [OPTIONS]",
				 argc, argv, &rq);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("validate: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (val_request_check(&rq))
		return VFB_EXIT_USAGE;
	return val_main(&rq, NULL, argc, argv);
}
#undef O
