/* SPDX-License-Identifier: MIT */
/*
 * vfbench share: many functions of one port measured at once. Each
 * member (an RDMA device) runs in a thread of its own, bound to a core
 * of its own, with its own QPs and its own session on the peer; every
 * measurement starts at a barrier, and how far apart the members really
 * started is recorded (skew_us).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hwloc.h>
#include <hwloc/openfabrics-verbs.h>
#include <infiniband/verbs.h>
#include <json-c/json.h>

#include "classify.h"
#include "commands.h"
#include "counters.h"
#include "csv.h"
#include "devinfo.h"
#include "env.h"
#include "exitcode.h"
#include "locality.h"
#include "log.h"
#include "opt.h"
#include "paths.h"
#include "results.h"
#include "rundir.h"
#include "session.h"
#include "share.h"
#include "sharemem.h"
#include "test.h"

#define KINDS_MAX 16

struct share_cfg {
	const char *devs, *victim, *aggressors, *peer, *peer_of[KINDS_MAX];
	const char *tests, *agg_test, *sizes, *agg_size, *duration, *out;
	const char *victim_test, *victim_size;
	const char *csv;
	long iters, repeat, timeout, tx_depth;
	bool events;
};

#define O(f) offsetof(struct share_cfg, f)
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
	{ .name = "peer",
	  .type = VFB_OPT_PEER,
	  .offset = O(peer),
	  .metavar = "HOST[:PORT]",
	  .help = "'vfbench serve' for every device (port 18515)" },
	{ .name = "tests",
	  .key = 't',
	  .type = VFB_OPT_STR,
	  .offset = O(tests),
	  .metavar = "TEST",
	  .help = "fairness, scaling: the members' bandwidth test (write_bw)" },
	{ .name = "victim-test",
	  .type = VFB_OPT_STR,
	  .offset = O(victim_test),
	  .metavar = "TEST",
	  .help = "isolation: the victim's test (write_lat)" },
	{ .name = "aggressor-test",
	  .type = VFB_OPT_STR,
	  .offset = O(agg_test),
	  .metavar = "TEST",
	  .help = "isolation: the aggressors' bandwidth test (write_bw)" },
	{ .name = "size",
	  .key = 's',
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(sizes),
	  .metavar = "SIZES",
	  .help = "fairness, scaling: message sizes (65536)" },
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
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(iters),
	  .metavar = "N",
	  .help = "iterations per size instead of -D",
	  .min = 1,
	  .max = VT_ITERS_MAX },
	{ .name = "duration",
	  .key = 'D',
	  .type = VFB_OPT_STR,
	  .offset = O(duration),
	  .metavar = "SEC",
	  .help = "seconds per size (default 3)" },
	{ .name = "tx-depth",
	  .type = VFB_OPT_LONG,
	  .offset = O(tx_depth),
	  .metavar = "N",
	  .help = "work requests in flight per bandwidth member (default "
		  "128)",
	  .min = VT_TX_DEPTH_MIN,
	  .max = VT_TX_DEPTH_MAX },
	{ .name = "events",
	  .key = 'e',
	  .type = VFB_OPT_FLAG,
	  .offset = O(events),
	  .help = "wait for completions on a channel instead of spinning: "
		  "members that sleep leave the cores to the others" },
	{ .name = "repeat",
	  .key = 'r',
	  .type = VFB_OPT_LONG,
	  .offset = O(repeat),
	  .metavar = "R",
	  .help = "isolation: alone/loaded alternations (default 5)",
	  .min = 2,
	  .max = BENCH_SHARE_REPS },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "give up on a silent peer or barrier after SEC (default 10)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = O(out),
	  .metavar = "DIR",
	  .help = "results directory (default results/<run id>)" },
	{ .name = "csv",
	  .type = VFB_OPT_STR,
	  .offset = O(csv),
	  .metavar = "FILE",
	  .help = "also write the rows to FILE as CSV" },
	VFB_OPT_END,
};

static const struct vfb_opt *share_opts(void)
{
	static struct vfb_opt
		opts[sizeof(base_opts) / sizeof(base_opts[0]) + KINDS_MAX];

	if (!opts[0].name)
		bench_peer_kind_opts(base_opts, "peer", O(peer_of), opts,
				     KINDS_MAX);
	return opts;
}
#undef O

static volatile int share_abort;

static void on_signal(int sig)
{
	share_abort = sig;
}

/* A scenario: its phases. One entry a mode. */
struct share_mode {
	const char *name;
	int (*run)(struct share *s);
	bool victim; /* --victim/--aggressors, not -d */
};

static const struct share_mode modes[] = {
	{ "fairness", bench_share_fairness, false },
	{ "isolation", bench_share_isolation, true },
	{ "scaling", bench_share_scaling, false },
};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

static int by_role_count(const struct share *s, const char *role)
{
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += !strcmp(s->m[i].role, role);
	return n;
}

static const struct share_mode *find_mode(const char *name)
{
	size_t i;

	for (i = 0; name && i < NMODES; i++)
		if (!strcmp(modes[i].name, name))
			return &modes[i];
	return NULL;
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

static int build_params(const struct share_cfg *c, const char *test,
			const char *sizes, const char *size_opt,
			struct vt_params *p)
{
	char err[128];

	vt_params_init(p);
	snprintf(p->test, sizeof(p->test), "%s", test);
	p->tx_depth = (uint32_t)c->tx_depth; /* run's defaults */
	p->cq_mod = p->tx_depth < 32 ? p->tx_depth : 32;
	p->events = c->events;
	if (vfb_sizes_parse(sizes, &p->sizes, err, sizeof(err))) {
		vfb_err("share: %s: %s", size_opt, err);
		return -EINVAL;
	}
	if (c->duration && c->iters) {
		vfb_err("share: -D and -n exclude each other");
		return -EINVAL;
	}
	if (c->iters) {
		p->iters = (uint64_t)c->iters;
	} else {
		p->duration_s = 3;
		if ((c->duration &&
		     vfb_num_parse(c->duration, &p->duration_s)) ||
		    p->duration_s <= 0 || p->duration_s > VT_DURATION_MAX_S) {
			vfb_err("share: -D wants seconds in (0, 3600], not '%s'",
				c->duration);
			return -EINVAL;
		}
	}
	p->warmup =
		p->iters ? (p->iters / 10 < 100 ? p->iters / 10 : 100) : 100;
	return 0;
}

/* Split a device list into members; duplicates and too many refused. */
static int add_members(struct share *s, const char *list, const char *role,
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
		if (s->n == BENCH_SHARE_MAX || strlen(tok) >= 64) {
			vfb_err("share: %s: at most %d devices of up to 63 "
				"characters",
				opt, BENCH_SHARE_MAX);
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
static int parse_modes(struct share *s, const char *list)
{
	char buf[128], *tok, *save = NULL;
	const struct share_mode *m;
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
		m = find_mode(tok);
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
static int check_roles(const struct share_cfg *c, struct share *s)
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

static int check_params(const struct share_cfg *c, struct share *s)
{
	const char *t = c->tests ? c->tests : "write_bw";
	const char *vt = c->victim_test ? c->victim_test : "write_lat";
	const char *at = c->agg_test ? c->agg_test : "write_bw";

	if (check_test("-t", t, true) ||
	    build_params(c, t, c->sizes ? c->sizes : "65536", "-s",
			 &s->params) ||
	    check_test("--victim-test", vt, false) ||
	    build_params(c, vt, c->victim_size ? c->victim_size : "2,4096",
			 "--victim-size", &s->victim_params) ||
	    check_test("--aggressor-test", at, true) ||
	    build_params(c, at, c->agg_size ? c->agg_size : "65536",
			 "--aggressor-size", &s->agg_params))
		return -EINVAL;
	if (c->iters && s->members) {
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
static int check_outputs(const struct share_cfg *c)
{
	bool peer = c->peer;

	for (size_t i = 0; i < KINDS_MAX; i++)
		peer |= c->peer_of[i] != NULL;
	if (!peer) {
		vfb_err("share: no peer: give --peer HOST or --peer-KIND HOST");
		return -EINVAL;
	}
	if (c->csv && bench_out_file_check("share", "--csv", c->csv))
		return -EINVAL;
	return c->out ? bench_out_dir_check("share", "--out", c->out) : 0;
}

static int parse(struct share_cfg *c, struct share *s, int argc, char **argv)
{
	int ret = vfb_opt_parse(share_opts(), "share",
				"fairness|isolation|scaling[,...] [OPTIONS]",
				argc, argv, c);

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

/* Each member: known to libibverbs, classified, its peer by its kind. */
static int resolve(struct share *s, const struct share_cfg *c)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	size_t nk;
	const struct vfb_path_kind *all = vfb_path_kinds(&nk);
	const char *peer;
	int i;

	if (!root)
		return VFB_EXIT_ENV;
	for (i = 0; i < s->n; i++) {
		struct share_member *m = &s->m[i];

		if (bench_classify(root, m->dev, &m->dc)) {
			vfb_err("share: %s", m->dc.error);
			vfb_fsroot_close(root);
			return VFB_EXIT_ENV;
		}
		peer = c->peer_of[m->dc.path - all] ?
			       c->peer_of[m->dc.path - all] :
			       c->peer;
		if (!peer) {
			vfb_err("share: %s (%s path): no peer (--peer-%s or "
				"--peer)",
				m->dev, m->dc.path->name, m->dc.path->name);
			vfb_fsroot_close(root);
			return VFB_EXIT_USAGE;
		}
		snprintf(m->peer, sizeof(m->peer), "%s", peer);
		if (vfb_peer_split(peer, VT_DEFAULT_PORT, m->host,
				   sizeof(m->host), m->svc, sizeof(m->svc)))
			snprintf(m->svc, sizeof(m->svc), VT_DEFAULT_PORT);
		m->cap_mbps = bench_share_vf_cap(root, &m->dc);
	}
	vfb_fsroot_close(root);
	return VFB_EXIT_OK;
}

/* The readiness checks that concern a run, on the devices measured. */
static int ready(const struct share *s)
{
	const char *devs[BENCH_SHARE_MAX];
	int i;

	for (i = 0; i < s->n; i++)
		devs[i] = s->m[i].dev;
	return bench_doctor_ready("share", devs, s->n);
}

/* The PU for a member: the first free one local to its device, else any
 * free one, else (more members than PUs) round robin over those not
 * RESERVED (the victim's: it never shares its core). */
static int pick_pu(struct share *s, struct ibv_device **list, int n,
		   const char *dev, hwloc_bitmap_t used,
		   hwloc_const_bitmap_t reserved, int i)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int j, pu, k;

	hwloc_bitmap_zero(set);
	for (j = 0; list && j < n; j++)
		if (!strcmp(ibv_get_device_name(list[j]), dev))
			hwloc_ibv_get_device_cpuset(s->topo, list[j], set);
	hwloc_bitmap_andnot(set, set, used);
	pu = hwloc_bitmap_first(set);
	if (pu < 0) {
		hwloc_bitmap_not(set, used);
		hwloc_bitmap_and(set, set,
				 hwloc_topology_get_topology_cpuset(s->topo));
		pu = hwloc_bitmap_first(set);
	}
	if (pu < 0) {
		hwloc_bitmap_andnot(set,
				    hwloc_topology_get_topology_cpuset(s->topo),
				    reserved);
		if (hwloc_bitmap_iszero(set))
			hwloc_bitmap_copy(
				set,
				hwloc_topology_get_topology_cpuset(s->topo));
		k = i % hwloc_bitmap_weight(set);
		for (pu = hwloc_bitmap_first(set); k-- > 0;
		     pu = hwloc_bitmap_next(set, pu))
			;
	}
	hwloc_bitmap_free(set);
	return pu;
}

/* Distinct cores for the devices that run at once: the -d members, and
 * apart from them the victim with its aggressors. With fewer PUs than
 * devices at once they share, which is said. */
static void place(struct share *s)
{
	static const char *const groups[][2] = { { "member", NULL },
						 { "victim", "aggressor" } };
	hwloc_bitmap_t used = hwloc_bitmap_alloc(), one = hwloc_bitmap_alloc();
	hwloc_bitmap_t victim = hwloc_bitmap_alloc();
	int npu = hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PU);
	struct ibv_device **list;
	int n = 0, i, g, k, pu;

	list = ibv_get_device_list(&n);
	for (g = 0; g < 2; g++) {
		hwloc_bitmap_zero(used);
		for (i = k = 0; i < s->n; i++) {
			if (strcmp(s->m[i].role, groups[g][0]) &&
			    (!groups[g][1] ||
			     strcmp(s->m[i].role, groups[g][1])))
				continue;
			pu = pick_pu(s, list, n, s->m[i].dev, used, victim,
				     k++);
			hwloc_bitmap_set(used, (unsigned)pu);
			if (!strcmp(s->m[i].role, "victim"))
				hwloc_bitmap_set(victim, (unsigned)pu);
			hwloc_bitmap_only(one, (unsigned)pu);
			bench_locality_choose(s->topo, one, "local", pu,
					      &s->m[i].loc);
		}
		if (k > npu)
			vfb_warn("share: %d devices at once on %d cores: "
				 "they share cores, and their measurements "
				 "disturb each other",
				 k, npu);
	}
	if (list)
		ibv_free_device_list(list);
	hwloc_bitmap_free(used);
	hwloc_bitmap_free(one);
	hwloc_bitmap_free(victim);
}

static int open_outputs(struct share *s, const struct share_cfg *c, int argc,
			char **argv)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *meta = bench_env_json(root, argc, argv), *list;
	char err[512];
	int i;

	vfb_fsroot_close(root);
	list = json_object_new_array();
	for (i = 0; i < s->nmodes; i++)
		json_object_array_add(
			list, json_object_new_string(s->modes[i]->name));
	json_object_object_add(meta, "scenarios", list);
	if (c->csv) {
		s->csv = fopen(c->csv, "w");
		if (!s->csv) {
			json_object_put(meta);
			vfb_err("share: --csv %s: %s", c->csv, strerror(errno));
			return VFB_EXIT_USAGE;
		}
		rpt_csv_header(s->csv);
	}
	if (bench_rundir_open(&s->rd, c->out, meta, err, sizeof(err))) {
		json_object_put(meta);
		vfb_err("share: %s", err);
		return VFB_EXIT_ENV;
	}
	json_object_put(meta);
	return VFB_EXIT_OK;
}

static void close_outputs(struct share *s)
{
	json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < s->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "device",
				       json_object_new_string(s->m[i].dev));
		json_object_object_add(
			o, "path",
			json_object_new_string(s->m[i].dc.path->name));
		json_object_object_add(o, "role",
				       json_object_new_string(s->m[i].role));
		json_object_object_add(o, "peer",
				       json_object_new_string(s->m[i].peer));
		json_object_object_add(o, "cpu",
				       json_object_new_int(s->m[i].loc.cpu));
		json_object_object_add(
			o, "rate_cap_mbps",
			isnan(s->m[i].cap_mbps) ?
				NULL :
				json_object_new_double(s->m[i].cap_mbps));
		json_object_array_add(arr, o);
	}
	json_object_object_add(s->rd.meta, "members", arr);
	if (s->csv)
		fclose(s->csv);
	bench_rundir_close(&s->rd, share_abort ? "interrupted" : "completed");
	printf("results: %s\n", s->rd.dir);
}

int bench_cmd_share(int argc, char **argv)
{
	struct share_cfg c = { .timeout = 10, .tx_depth = 128 };
	struct sigaction sa = { .sa_handler = on_signal };
	static struct share s;
	int ret, i;

	memset(&s, 0, sizeof(s));
	ret = parse(&c, &s, argc, argv);
	if (ret)
		return ret < 0 ? VFB_EXIT_OK : ret;
	ret = resolve(&s, &c);
	if (!ret)
		ret = ready(&s);
	if (ret)
		return ret;
	if (vt_clock_init(&s.clk, VT_CLOCK_AUTO) ||
	    hwloc_topology_init(&s.topo) || hwloc_topology_load(s.topo)) {
		vfb_err("share: no clock or no hwloc topology");
		return VFB_EXIT_ENV;
	}
	place(&s);
	s.client = (struct vt_client_cfg){ .port = 1,
					   .gid_index = -1,
					   .timeout_ms = (int)c.timeout * 1000,
					   .abort = &share_abort };
	ret = open_outputs(&s, &c, argc, argv);
	if (!ret) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		s.abort = &share_abort;
		s.progress = isatty(STDERR_FILENO);
		s.max_skew_us = NAN;
		for (i = 0; i < s.nmodes && !share_abort; i++) {
			int r = s.modes[i]->run(&s);

			ret = r > ret ? r : ret;
		}
		close_outputs(&s);
		if (share_abort)
			ret = 128 + share_abort;
	}
	hwloc_topology_destroy(s.topo);
	return ret;
}
