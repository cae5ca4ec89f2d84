/* SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "commands.h"
#include "ctrl.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "session.h"
#include "sizes.h"

struct serve_cfg {
	const char *port, *bind, *max_size;
	long timeout, sessions, max_concurrent;
};

#define O(f) offsetof(struct serve_cfg, f)
static const struct vfb_opt serve_opts[] = {
	{ .name = "port",
	  .key = 'p',
	  .type = VFB_OPT_PORT,
	  .offset = O(port),
	  .metavar = "PORT",
	  .help = "TCP (and rdma_cm) port, default 18515" },
	{ .name = "bind",
	  .type = VFB_OPT_STR,
	  .offset = O(bind),
	  .metavar = "ADDR",
	  .help = "listen on ADDR only (default: all)" },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "drop a silent client after SEC (default 10)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "sessions",
	  .type = VFB_OPT_LONG,
	  .offset = O(sessions),
	  .metavar = "N",
	  .help = "exit after N test sessions (default: never)",
	  .min = 1,
	  .max = 1000000000 },
	{ .name = "max-sessions",
	  .type = VFB_OPT_LONG,
	  .offset = O(max_concurrent),
	  .metavar = "N",
	  .help = "sessions at once, more are refused (default 8)",
	  .min = 1,
	  .max = VT_SESSIONS_CAP },
	{ .name = "max-size",
	  .type = VFB_OPT_STR,
	  .offset = O(max_size),
	  .metavar = "SIZE",
	  .help = "largest message a client may ask for; a session "
		  "pins twice this per QP (-q 16 at 8M: 256 MiB), checked "
		  "against the memlock limit (default 8M)" },
	VFB_OPT_END,
};
#undef O

static volatile int serve_stop;

static void on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

int bench_cmd_serve(int argc, char **argv)
{
	struct serve_cfg c = { .port = VT_DEFAULT_PORT,
			       .timeout = 10,
			       .max_concurrent = 8,
			       .max_size = "8M" };
	struct vfb_sizes max;
	struct sigaction sa = { .sa_handler = on_signal };
	struct vt_clock clk;
	char err[256];
	int ret;

	ret = vfb_opt_parse(serve_opts, "serve", "[-p PORT] [--bind ADDR]",
			    argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("serve: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (vfb_sizes_parse(c.max_size, &max, err, sizeof(err)) || max.n != 1) {
		vfb_err("serve: --max-size wants one size in [1, 2G], not '%s'",
			c.max_size);
		return VFB_EXIT_USAGE;
	}
	if (c.bind && !c.bind[0]) {
		vfb_err("serve: --bind wants an address, not ''");
		return VFB_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	vt_clock_init(&clk, VT_CLOCK_AUTO);
	struct vt_server_cfg sc = {
		.bind = c.bind,
		.svc = c.port,
		.timeout_ms = (int)c.timeout * 1000,
		.max_sessions = c.sessions,
		.max_concurrent = (int)c.max_concurrent,
		.max_size = max.v[0],
		.stop = &serve_stop,
	};
	if (vt_serve(&sc, &clk, err, sizeof(err))) {
		vfb_err("serve: %s", err);
		return VFB_EXIT_ENV;
	}
	return VFB_EXIT_OK;
}
