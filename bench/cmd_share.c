/* SPDX-License-Identifier: MIT */
/*
 * vfbench share: many functions of one port measured at once. Each
 * member (an RDMA device) runs in a thread of its own, bound to a core
 * of its own, with its own QPs and its own session on the peer; every
 * measurement starts at a barrier, and how far apart the members really
 * started is recorded (skew_us).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "options.h"
#include "paths.h"
#include "rundir.h"
#include "share.h"
#include "sharemem.h"
#include "test.h"

#define O(f) offsetof(struct shr_cfg, f)
static const struct vfb_opt base_opts[] = {
	{ .name = "ib-dev",
	  .key = 'd',
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(devs),
	  .metavar = "DEV,DEV,...",
	  .help = "fairness, scaling: the devices sharing the port" },
	{ .name = "victim",
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(victim),
	  .metavar = "DEV",
	  .help = "isolation: the device whose latency is measured" },
	{ .name = "aggressors",
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(aggressors),
	  .metavar = "DEV,DEV",
	  .help = "isolation: the devices loading the port" },
	{ .name = "victim-test",
	  .type = VFB_OPT_STR,
	  .offset = O(victim_test),
	  .metavar = "TEST",
	  .help = "isolation: the victim's test (write_lat)",
	  .choices = vt_opts_test_choices },
	{ .name = "aggressor-test",
	  .type = VFB_OPT_STR,
	  .offset = O(agg_test),
	  .metavar = "TEST",
	  .help = "isolation: the aggressors' bandwidth test (write_bw)",
	  .choices = vt_opts_test_choices },
	{ .name = "victim-size",
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(victim_size),
	  .metavar = "SIZES",
	  .help = "isolation: the victim's message sizes (2,4096)" },
	{ .name = "aggressor-size",
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(agg_size),
	  .metavar = "SIZE",
	  .help = "isolation: the aggressors' message size (65536)" },
	{ .name = "repeat",
	  .key = 'r',
	  .type = VFB_OPT_LONG,
	  .offset = O(repeat),
	  .metavar = "R",
	  .help = "isolation: alone/loaded alternations (default 5)",
	  .min = 2,
	  .max = SHR_REPS },
	VFB_OPT_END,
};

#undef O

/* What the measurement options are for share. */
static const struct vfb_opt_note share_notes[] = {
	{ "tests",
	  "fairness, scaling: the members' bandwidth test (write_bw)" },
	{ "size", "fairness, scaling: message sizes (65536)" },
	{ "duration", "seconds per size (default 3)" },
	{ "tx-depth",
	  "work requests in flight per bandwidth member (default 128)" },
	{ "events", "wait for completions on a channel instead of spinning: "
		    "members that sleep leave the cores to the others" },
	{ "timeout",
	  "give up on a silent peer or barrier after SEC (default 10)" },
	{ NULL, NULL },
};

static const struct vfb_opt_note share_peer_notes[] = {
	{ "peer", "'vfbench serve' for every device (port 18515)" },
	{ NULL, NULL },
};

static int by_role_count(const struct shr *s, const char *role)
{
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += !strcmp(s->m[i].role, role);
	return n;
}

static int check_test(const char *opt, const char *name, bool want_bw)
{
	const struct vt_test_ops *ops = vt_test_find(name);
	char names[256];

	if (!ops || (want_bw && ops->latency)) {
		vt_test_names(names, sizeof(names));
		vfb_err("share: %s wants one %stest (%s), not '%s'", opt,
			want_bw ? "bandwidth " : "", names, name);
		return -EINVAL;
	}
	return 0;
}

static int build_params(const struct shr_cfg *c, const char *test,
			const char *sizes, const char *size_opt,
			struct vt_params *p)
{
	const struct vt_opts_use use = { .cmd = "share",
					 .test = test,
					 .sizes = sizes,
					 .size_opt = size_opt,
					 .duration_s = 3 };

	return vt_opts_params(&c->vo, &use, p);
}

/* Split a device list into members; duplicates and too many refused. */
static int add_members(struct shr *s, const char *list, const char *role,
		       const char *opt)
{
	char buf[1024], *tok, *save = NULL;
	int i;

	if (vfb_list_check(list)) {
		vfb_err("share: say the modes as a comma list without empty "
			"items, not '%s'",
			list);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < s->n; i++)
			if (!strcmp(s->m[i].dev, tok) &&
			    (!strcmp(s->m[i].role, role) ||
			     (strcmp(role, "member") &&
			      strcmp(s->m[i].role, "member")))) {
				vfb_err("share: %s: device %s given twice", opt,
					tok);
				return -EINVAL;
			}
		if (s->n == SHR_MAX || strlen(tok) >= 64) {
			vfb_err("share: %s: at most %d devices of up to 63 "
				"characters",
				opt, SHR_MAX);
			return -EINVAL;
		}
		snprintf(s->m[s->n].dev, sizeof(s->m[s->n].dev), "%s", tok);
		s->m[s->n].role = role;
		s->m[s->n].idx = s->n;
		s->n++;
	}
	return 0;
}

/* MODES: a comma list of modes, each once. */
static int parse_modes(struct shr *s, const char *list)
{
	char buf[128], *tok, *save = NULL;
	const struct shr_mode *m;
	int i;

	if (vfb_list_check(list)) {
		vfb_err("share: say the modes as a comma list without empty "
			"items, not '%s'",
			list);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		m = shr_mode_find(tok);
		for (i = 0; m && i < s->nmodes && s->modes[i] != m; i++)
			;
		if (!m || i < s->nmodes) {
			vfb_err("share: modes are fairness, isolation, scaling, "
				"each once: not '%s'",
				tok);
			return -EINVAL;
		}
		s->modes[s->nmodes++] = m;
		s->victim |= m->victim;
		s->members |= !m->victim;
	}
	return 0;
}

/* The options each mode needs, and only those. */
static int check_roles(const struct shr_cfg *c, struct shr *s)
{
	if (s->members && !c->devs) {
		vfb_err("share: fairness and scaling need -d DEV,DEV,...");
		return -EINVAL;
	}
	if (s->victim && (!c->victim || !c->aggressors)) {
		vfb_err("share: isolation needs --victim DEV and --aggressors "
			"DEV,...");
		return -EINVAL;
	}
	if ((!s->members && c->devs) ||
	    (!s->victim && (c->victim || c->aggressors))) {
		vfb_err("share: %s is for %s",
			c->devs && !s->members ? "-d" : "--victim/--aggressors",
			c->devs && !s->members ? "fairness and scaling" :
						 "isolation");
		return -EINVAL;
	}
	if ((c->devs && add_members(s, c->devs, "member", "-d")) ||
	    (c->victim && add_members(s, c->victim, "victim", "--victim")) ||
	    (c->aggressors &&
	     add_members(s, c->aggressors, "aggressor", "--aggressors")))
		return -EINVAL;
	if (s->members && by_role_count(s, "member") < 2) {
		vfb_err("share: -d wants at least two devices");
		return -EINVAL;
	}
	if (s->victim && by_role_count(s, "victim") != 1) {
		vfb_err("share: --victim wants one device");
		return -EINVAL;
	}
	return 0;
}

static int check_params(const struct shr_cfg *c, struct shr *s)
{
	const char *t = c->vo.tests ? c->vo.tests : "write_bw";
	const char *vt = c->victim_test ? c->victim_test : "write_lat";
	const char *at = c->agg_test ? c->agg_test : "write_bw";

	if (check_test("-t", t, true) ||
	    build_params(c, t, c->vo.sizes ? c->vo.sizes : "65536", "-s",
			 &s->params) ||
	    check_test("--victim-test", vt, false) ||
	    build_params(c, vt, c->victim_size ? c->victim_size : "2,4096",
			 "--victim-size", &s->victim_params) ||
	    check_test("--aggressor-test", at, true) ||
	    build_params(c, at, c->agg_size ? c->agg_size : "65536",
			 "--aggressor-size", &s->agg_params))
		return -EINVAL;
	if (c->vo.iters && s->members) {
		/* per-member progress stamps do not reach the share: a common
		 * window cannot be made from -n's own-window figures */
		vfb_err("share: -n is not for fairness and scaling: each member "
			"would be measured over its own window, one that "
			"finishes first leaving the others to run alone (sum, "
			"Jain's index, shares, efficiency wrong); -D SECONDS "
			"measures them over one window");
		return -EINVAL;
	}
	if (s->agg_params.sizes.n != 1) {
		vfb_err("share: --aggressor-size wants one size");
		return -EINVAL;
	}
	s->repeat = c->repeat ? (int)c->repeat : 5;
	return 0;
}

/* Decided before any device is looked at: a peer for the members, the
 * outputs the right kind of thing, a results directory not holding a
 * run already. */
static int check_outputs(const struct shr_cfg *c)
{
	if (!host_peers_any(&c->peers)) {
		vfb_err("share: no peer: give --peer HOST or --peer-KIND HOST");
		return -EINVAL;
	}
	return host_outs_check("share", &c->outs);
}

static int parse(struct shr_cfg *c, struct shr *s, int argc, char **argv)
{
	const struct vfb_optset sets[] = {
		{ .tab = base_opts },
		{ .tab = host_peer_opts(),
		  .base = offsetof(struct shr_cfg, peers),
		  .notes = share_peer_notes },
		{ .tab = vt_opt_table,
		  .base = offsetof(struct shr_cfg, vo),
		  .mask = VT_OPT_CORE,
		  .notes = share_notes },
		{ .tab = host_out_opts,
		  .base = offsetof(struct shr_cfg, outs),
		  .mask = HOST_OUT_DIR | HOST_OUT_CSV | HOST_OUT_PROM },
	};
	int ret = vfb_opt_parse_sets(
		sets, sizeof(sets) / sizeof(sets[0]), "share",
		"fairness|isolation|scaling[,...] [OPTIONS]", argc, argv, c);

	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret + 1 != argc) {
		vfb_err("share: say the modes: fairness, isolation, scaling "
			"(a comma list)%s%s",
			ret + 1 < argc ? "; unexpected " : "",
			ret + 1 < argc ? argv[ret + 1] : "");
		return VFB_EXIT_USAGE;
	}
	if (parse_modes(s, argv[ret]) || check_roles(c, s) ||
	    check_params(c, s) || check_outputs(c))
		return VFB_EXIT_USAGE;
	return VFB_EXIT_OK;
}

int bench_cmd_share(int argc, char **argv)
{
	struct shr_cfg c = { .vo = VT_OPTS_INIT };
	static struct shr s;
	int ret;

	memset(&s, 0, sizeof(s));
	ret = parse(&c, &s, argc, argv);
	if (ret)
		return ret < 0 ? VFB_EXIT_OK : ret;
	return shr_main(&s, &c, argc, argv);
}
