/* SPDX-License-Identifier: MIT */
/* vfbench mesh: every host pair of a cluster, one rank per host, started
 * by the cluster's launcher (srun --mpi=pmix, mpirun). PMIx is the
 * rendezvous: each rank publishes what it offers, rank 0 publishes the
 * schedule, every rank measures its pairs with the usual engine, and the
 * rows come to rank 0 round by round (meshrun.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "commands.h"
#include "devinfo.h"
#include "env.h"
#include "exitcode.h"
#include "log.h"
#include "mesh.h"
#include "opt.h"
#include "pathkind.h"
#include "rundir.h"
#include "session.h"
#include "sizes.h"
#include "test.h"

#define O(f) offsetof(struct mesh_cfg, f)
static const struct vfb_opt mesh_opts[] = {
	{ .name = "schedule",
	  .type = VFB_OPT_STR,
	  .offset = O(schedule),
	  .metavar = "KIND",
	  .help = "pairs (default), ring, or file (--schedule-file)" },
	{ .name = "schedule-file",
	  .type = VFB_OPT_STR,
	  .offset = O(schedule_file),
	  .metavar = "FILE",
	  .help = "rounds of SRC:DST pairs (ranks or host names), a line a "
		  "round" },
	{ .name = "tests",
	  .key = 't',
	  .type = VFB_OPT_LIST,
	  .max = 255,
	  .offset = O(tests),
	  .metavar = "TEST,...",
	  .help = "tests per pair (default write_lat,write_bw)" },
	{ .name = "size",
	  .key = 's',
	  .type = VFB_OPT_LIST,
	  .max = 1023,
	  .offset = O(sizes),
	  .metavar = "SIZES",
	  .help = "message sizes (default 2 for latency tests, 65536 for "
		  "bandwidth)" },
	{ .name = "duration",
	  .key = 'D',
	  .type = VFB_OPT_STR,
	  .offset = O(duration),
	  .metavar = "SEC",
	  .help = "seconds per size (default 2)" },
	{ .name = "iters",
	  .key = 'n',
	  .type = VFB_OPT_LONG,
	  .offset = O(iters),
	  .metavar = "N",
	  .help = "iterations per size instead of -D",
	  .min = 1,
	  .max = VT_ITERS_MAX },
	{ .name = "paths",
	  .type = VFB_OPT_LIST,
	  .max = 127,
	  .offset = O(paths),
	  .metavar = "KIND,...",
	  .help = "path kinds to pair (pf-pf, vf-vf, ...; default: every "
		  "kind both ends have)" },
	{ .name = "port",
	  .key = 'p',
	  .type = VFB_OPT_PORT,
	  .offset = O(port),
	  .metavar = "PORT",
	  .help = "the job's servers: the k-th rank of a host listens on "
		  "PORT+k (default 18515)" },
	{ .name = "flag-latency",
	  .type = VFB_OPT_STR,
	  .offset = O(flag_lat),
	  .metavar = "K",
	  .help = "flag a pair whose latency p50 exceeds K x the fleet's "
		  "median for its case (default 1.5)" },
	{ .name = "flag-bandwidth",
	  .type = VFB_OPT_STR,
	  .offset = O(flag_bw),
	  .metavar = "F",
	  .help = "flag a pair below F x the fleet's best bandwidth for its "
		  "case (default 0.5)" },
	{ .name = "no-retest",
	  .type = VFB_OPT_FLAG,
	  .offset = O(no_retest),
	  .help = "do not measure flagged pairs again, alone" },
	{ .name = "tx-depth",
	  .type = VFB_OPT_LONG,
	  .offset = O(tx_depth),
	  .metavar = "N",
	  .help = "work requests in flight in a bandwidth test (default 128)",
	  .min = VT_TX_DEPTH_MIN,
	  .max = VT_TX_DEPTH_MAX },
	{ .name = "events",
	  .key = 'e',
	  .type = VFB_OPT_FLAG,
	  .offset = O(events),
	  .help = "wait for completions on a channel instead of spinning" },
	{ .name = "timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(timeout),
	  .metavar = "SEC",
	  .help = "give up on a silent peer after SEC (default 10)",
	  .min = 1,
	  .max = 3600 },
	{ .name = "round-timeout",
	  .type = VFB_OPT_LONG,
	  .offset = O(round_timeout),
	  .metavar = "SEC",
	  .help = "give up on a rank that has not finished a round after "
		  "SEC (default: from the tests, sizes and -D)",
	  .min = 5,
	  .max = 86400 },
	{ .name = "out",
	  .key = 'o',
	  .type = VFB_OPT_STR,
	  .offset = O(out),
	  .metavar = "DIR",
	  .help = "rank 0's results directory (default results/<run id>)" },
	VFB_OPT_END,
};
#undef O

/* The rendezvous waits this long for every rank of the job. */
#define RENDEZVOUS_S 120

static const char synopsis[] =
	"[--schedule pairs|ring|file] [-t TESTS] [-s SIZES] [-D SEC]\n"
	"one rank per host: srun -N HOSTS --mpi=pmix vfbench mesh ...\n"
	"               or: mpirun -np HOSTS --map-by node vfbench mesh ...";

static int positive(const char *opt, const char *s, double def, double *out)
{
	*out = def;
	if (!s)
		return 0;
	if (vfb_num_parse(s, out) || !(*out > 0) || *out > 1e6) {
		vfb_err("mesh: %s wants a number > 0, not '%s'", opt, s);
		return -EINVAL;
	}
	return 0;
}

/* One vt_params per test of -t. */
static int build_tests(struct mesh *m, const struct mesh_cfg *c)
{
	char list[256], *save = NULL, *t, err[128], names[256];
	double dur;

	snprintf(list, sizeof(list), "%s",
		 c->tests ? c->tests : "write_lat,write_bw");
	if (positive("-D", c->duration, 2, &dur))
		return -EINVAL;
	if (c->duration && c->iters) {
		vfb_err("mesh: -D and -n exclude each other");
		return -EINVAL;
	}
	for (t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		const struct vt_test_ops *ops = vt_test_find(t);
		struct vt_params *p = &m->params[m->ntests];

		if (!ops || m->ntests == MESH_MAX_TESTS) {
			vt_test_names(names, sizeof(names));
			vfb_err("mesh: -t: '%s' is not one of %s%s", t, names,
				ops ? " (8 at most)" : "");
			return -EINVAL;
		}
		vt_params_init(p);
		snprintf(p->test, sizeof(p->test), "%s", t);
		p->events = c->events;
		p->tx_depth = (uint32_t)c->tx_depth; /* run's defaults */
		p->cq_mod = p->tx_depth < 32 ? p->tx_depth : 32;
		if (vfb_sizes_parse(c->sizes	 ? c->sizes :
				    ops->latency ? "2" :
						   "65536",
				    &p->sizes, err, sizeof(err))) {
			vfb_err("mesh: -s: %s", err);
			return -EINVAL;
		}
		p->iters = (uint64_t)c->iters;
		p->duration_s = c->iters ? 0 : dur;
		p->warmup =
			p->iters && p->iters / 10 < 100 ? p->iters / 10 : 100;
		m->ntests++;
	}
	return m->ntests ? 0 : -EINVAL;
}

static int check_kinds(struct mesh *m, const struct mesh_cfg *c)
{
	static char list[128];
	char *save = NULL, *k;

	if (!c->paths)
		return 0;
	snprintf(list, sizeof(list), "%s", c->paths);
	for (k = strtok_r(list, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		if (!vfb_path_kind_find(k) || m->nkinds == MESH_MAX_PATHS) {
			vfb_err("mesh: --paths: '%s' is not a path kind", k);
			return -EINVAL;
		}
		m->kinds[m->nkinds++] = k;
	}
	return 0;
}

/* Everything about the request is decided here, before the launcher's
 * rendezvous and before any device is opened. */
static int parse(struct mesh_cfg *c, struct mesh *m, int argc, char **argv)
{
	int ret = vfb_opt_parse(mesh_opts, "mesh", synopsis, argc, argv, c);

	if (ret <= 0)
		return ret == 0 ? -1 : VFB_EXIT_USAGE;
	if (ret < argc) {
		vfb_err("mesh: unexpected argument '%s'", argv[ret]);
		return VFB_EXIT_USAGE;
	}
	if (!vfb_sched_kind_find(c->schedule)) {
		vfb_err("mesh: --schedule '%s': not one of %s", c->schedule,
			vfb_sched_kind_names());
		return VFB_EXIT_USAGE;
	}
	if (!strcmp(c->schedule, "file") != !!c->schedule_file) {
		vfb_err("mesh: --schedule-file goes with --schedule file");
		return VFB_EXIT_USAGE;
	}
	if (c->schedule_file &&
	    (ret = bench_read_text(c->schedule_file, &m->file_text))) {
		vfb_err("mesh: --schedule-file %s: %s", c->schedule_file,
			bench_read_strerror(ret));
		return VFB_EXIT_USAGE;
	}

	if (build_tests(m, c) || check_kinds(m, c) ||
	    positive("--flag-latency", c->flag_lat, 1.5, &m->flag_lat) ||
	    positive("--flag-bandwidth", c->flag_bw, 0.5, &m->flag_bw))
		return VFB_EXIT_USAGE;
	if (m->flag_bw >= 1) {
		vfb_err("mesh: --flag-bandwidth wants a fraction below 1, not "
			"'%s'",
			c->flag_bw);
		return VFB_EXIT_USAGE;
	}
	/* rank 0's directory: only rank 0 (or a command about to be
	 * refused for want of a launcher) can look at it */
	if ((!vfb_pmix_launched() || vfb_pmix_env_rank() == 0) && c->out &&
	    bench_out_dir_check("mesh", "--out", c->out))
		return VFB_EXIT_USAGE;
	if (!vfb_pmix_launched()) {
		vfb_err("mesh: not started by a launcher: run one rank per "
			"host with 'srun -N HOSTS --mpi=pmix vfbench mesh ...' "
			"or 'mpirun -np HOSTS --map-by node vfbench mesh ...'");
		return VFB_EXIT_USAGE;
	}
	return 0;
}

/* The first IPv4 address of NETDEV into ADDR; -ENOENT when it has none. */
static int netdev_addr(const char *netdev, char *addr, size_t len)
{
	struct ifaddrs *ifa, *i;
	int ret = -ENOENT;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i && ret; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, netdev) &&
		    inet_ntop(AF_INET,
			      &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
			      addr, (socklen_t)len))
			ret = 0;
	freeifaddrs(ifa);
	return ret;
}

static bool kind_wanted(const struct mesh *m, const char *kind)
{
	if (!m->nkinds)
		return true;
	for (int i = 0; i < m->nkinds; i++)
		if (!strcmp(m->kinds[i], kind))
			return true;
	return false;
}

/* This rank's offer: per path kind, the first device with an active port
 * and an address. */
static int offer(struct mesh *m, struct mesh_host *me, int local_rank)
{
	struct vfb_fsroot *root;
	struct vt_devinfo *devs;
	int n, port = atoi(m->c->port) + local_rank;

	if (port > 65535) { /* -p is checked; its sum with the local rank
			     * can be known only now */
		vfb_err("mesh: rank %u: -p %s + local rank %d is port %d, past "
			"65535: give a lower -p",
			m->px.rank, m->c->port, local_rank, port);
		return VFB_EXIT_USAGE;
	}
	root = vfb_fsroot_open("/");
	n = vt_devinfo_list(&devs);
	if (n < 0 || !root) {
		vfb_fsroot_close(root);
		vfb_err("mesh: rank %u: listing RDMA devices: %s", m->px.rank,
			strerror(n < 0 ? -n : errno));
		return VFB_EXIT_ENV;
	}
	snprintf(me->host, sizeof(me->host), "%s", m->px.host);
	snprintf(me->svc, sizeof(me->svc), "%u", (unsigned int)port & 0xffff);
	for (int i = 0; i < n && me->npaths < MESH_MAX_PATHS; i++) {
		struct bench_devclass dc;
		struct mesh_path *p = &me->paths[me->npaths];
		bool dup = false;

		if (bench_classify(root, devs[i].name, &dc) || !dc.netdev[0] ||
		    !devs[i].nports || strcmp(devs[i].ports[0].state, "active"))
			continue;
		for (int j = 0; j < me->npaths; j++)
			dup |= !strcmp(me->paths[j].kind, dc.path->name);
		if (dup || !kind_wanted(m, dc.path->name) ||
		    netdev_addr(dc.netdev, p->addr, sizeof(p->addr)))
			continue;
		snprintf(p->kind, sizeof(p->kind), "%s", dc.path->name);
		snprintf(p->dev, sizeof(p->dev), "%s", devs[i].name);
		snprintf(p->netdev, sizeof(p->netdev), "%s", dc.netdev);
		me->npaths++;
	}
	me->env = bench_env_json(root, 0, NULL);
	vt_devinfo_free(devs, n);
	vfb_fsroot_close(root);
	return VFB_EXIT_OK;
}

static json_object *host_json(const struct mesh_host *h)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "host", json_object_new_string(h->host));
	json_object_object_add(o, "port", json_object_new_string(h->svc));
	for (int i = 0; i < h->npaths; i++) {
		json_object *p = json_object_new_object();

		json_object_object_add(
			p, "path", json_object_new_string(h->paths[i].kind));
		json_object_object_add(p, "device",
				       json_object_new_string(h->paths[i].dev));
		json_object_object_add(
			p, "netdev",
			json_object_new_string(h->paths[i].netdev));
		json_object_object_add(
			p, "addr", json_object_new_string(h->paths[i].addr));
		json_object_array_add(a, p);
	}
	json_object_object_add(o, "paths", a);
	json_object_object_add(o, "env", json_object_get(h->env));
	return o;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_string(v) :
		       "";
}

static int host_from_json(const char *text, struct mesh_host *h)
{
	json_object *o = json_tokener_parse(text), *a, *env;

	if (!o || !json_object_object_get_ex(o, "paths", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(o);
		return -EPROTO;
	}
	snprintf(h->host, sizeof(h->host), "%s", jstr(o, "host"));
	snprintf(h->svc, sizeof(h->svc), "%s", jstr(o, "port"));
	for (size_t i = 0;
	     i < json_object_array_length(a) && h->npaths < MESH_MAX_PATHS;
	     i++) {
		json_object *p = json_object_array_get_idx(a, i);
		struct mesh_path *mp = &h->paths[h->npaths++];

		snprintf(mp->kind, sizeof(mp->kind), "%s", jstr(p, "path"));
		snprintf(mp->dev, sizeof(mp->dev), "%s", jstr(p, "device"));
		snprintf(mp->netdev, sizeof(mp->netdev), "%s",
			 jstr(p, "netdev"));
		snprintf(mp->addr, sizeof(mp->addr), "%s", jstr(p, "addr"));
	}
	if (json_object_object_get_ex(o, "env", &env))
		h->env = json_object_get(env);
	json_object_put(o);
	return 0;
}

static void *serve_main(void *arg);

/* The job's server for this rank, answering before the others learn of
 * it. */
static int start_server(struct mesh *m)
{
	const char *svc = m->hosts[m->px.rank].svc;
	char err[256] = "";

	if (pthread_create(&m->server, NULL, serve_main, m)) {
		vfb_err("mesh: rank %u: no thread for the server", m->px.rank);
		return VFB_EXIT_ENV;
	}
	m->serving = true;
	for (int i = 0; i < 100; i++) {
		if (!vt_probe("127.0.0.1", svc, 1000, err, sizeof(err)))
			return VFB_EXIT_OK;
		usleep(50000);
	}
	vfb_err("mesh: rank %u: the server on port %s does not answer: %s",
		m->px.rank, svc, m->server_err[0] ? m->server_err : err);
	return VFB_EXIT_ENV;
}

/* Every rank's offer, after the first fence. */
static int exchange(struct mesh *m, int local_rank)
{
	char err[256], *text;
	json_object *o;
	int ret = offer(m, &m->hosts[m->px.rank], local_rank);

	if (ret)
		return ret;
	if ((ret = start_server(m)))
		return ret;
	o = host_json(&m->hosts[m->px.rank]);
	ret = vfb_pmix_put(&m->px, "vfb.mesh.host",
			   json_object_to_json_string(o), err, sizeof(err));
	json_object_put(o);
	if (!ret)
		ret = vfb_pmix_fence(&m->px, true, m->round_timeout_s, err,
				     sizeof(err));
	for (uint32_t r = 0; !ret && r < m->px.size; r++) {
		if (r == m->px.rank)
			continue;
		ret = vfb_pmix_get(&m->px, r, "vfb.mesh.host", false,
				   RENDEZVOUS_S, &text, err, sizeof(err));
		if (!ret && host_from_json(text, &m->hosts[r])) {
			snprintf(err, sizeof(err), "rank %u: a malformed offer",
				 r);
			ret = -EPROTO;
		}
		free(text);
	}
	if (ret)
		vfb_err("mesh: rank %u: the rendezvous: %s", m->px.rank, err);
	return ret ? VFB_EXIT_ENV : VFB_EXIT_OK;
}

static int lookup_host(void *ctx, const char *name, uint32_t *rank)
{
	const struct mesh *m = ctx;

	for (uint32_t r = 0; r < m->px.size; r++)
		if (!strcmp(m->hosts[r].host, name)) {
			*rank = r;
			return 0;
		}
	return -ENOENT;
}

/* Every rank builds the schedule from the same inputs (the kind, the
 * ranks' host names, the file rank 0 read and published). */
static int plan(struct mesh *m)
{
	char err[256], *text = NULL;
	int ret;

	if (strcmp(m->c->schedule, "file"))
		ret = vfb_sched_init(&m->sched, m->c->schedule, m->px.size, err,
				     sizeof(err));
	else {
		ret = m->px.rank ? vfb_pmix_get(&m->px, 0, "vfb.mesh.plan",
						false, RENDEZVOUS_S, &text, err,
						sizeof(err)) :
				   0;
		if (!ret)
			ret = vfb_sched_parse(
				&m->sched, text ? text : m->file_text,
				m->px.size, lookup_host, m, err, sizeof(err));
		free(text);
	}
	if (ret) {
		vfb_err("mesh: schedule %s: %s", m->c->schedule, err);
		return VFB_EXIT_USAGE;
	}
	return VFB_EXIT_OK;
}

static void *serve_main(void *arg)
{
	struct mesh *m = arg;
	struct mesh_host *me = &m->hosts[m->px.rank];
	struct vt_server_cfg sc = {
		.svc = me->svc,
		.timeout_ms = (int)m->c->timeout * 1000,
		.max_concurrent = 8,
		.max_size = 8 << 20,
		.stop = &m->stop,
	};

	if (vt_serve(&sc, &m->clk, m->server_err, sizeof(m->server_err)))
		vfb_err("mesh: rank %u: serve on port %s: %s", m->px.rank,
			me->svc, m->server_err);
	return NULL;
}

/* A round's time limit: every test, size and path kind of one pair, with
 * room for connecting. */
static int round_timeout(const struct mesh *m)
{
	double s = 30;
	int kinds = 1;

	if (m->c->round_timeout)
		return (int)m->c->round_timeout;
	for (uint32_t r = 0; r < m->px.size; r++)
		kinds = m->hosts[r].npaths > kinds ? m->hosts[r].npaths : kinds;
	for (int i = 0; i < m->ntests; i++)
		s += (double)m->params[i].sizes.n *
		     (m->params[i].duration_s + 10) * kinds;
	return (int)(2 * s);
}

static int join(struct mesh *m)
{
	char err[256];
	int ret, local = 0;

	if (vfb_pmix_init(&m->px, err, sizeof(err))) {
		vfb_err("mesh: joining the job: %s", err);
		return VFB_EXIT_ENV;
	}
	local = (int)m->px.local_rank;
	m->hosts = calloc(m->px.size, sizeof(*m->hosts));
	if (!m->hosts)
		return VFB_EXIT_ENV;
	if (m->px.size < 2) {
		vfb_err("mesh: 1 rank: a mesh needs one rank on each of 2 "
			"hosts or more");
		return VFB_EXIT_USAGE;
	}
	if ((ret = exchange(m, local)))
		return ret;
	m->round_timeout_s = round_timeout(m);
	if (!m->px.rank && m->file_text &&
	    vfb_pmix_put(&m->px, "vfb.mesh.plan", m->file_text, err,
			 sizeof(err))) {
		vfb_err("mesh: publishing the schedule: %s", err);
		return VFB_EXIT_ENV;
	}
	if (vfb_pmix_fence(&m->px, true, m->round_timeout_s, err,
			   sizeof(err))) {
		vfb_err("mesh: rank %u: the rendezvous: %s", m->px.rank, err);
		return VFB_EXIT_ENV;
	}
	return plan(m);
}

static void leave(struct mesh *m)
{
	m->stop = 1;
	if (m->serving)
		pthread_join(m->server, NULL);
	if (m->hosts)
		for (uint32_t r = 0; r < m->px.size; r++)
			json_object_put(m->hosts[r].env);
	free(m->hosts);
	free(m->rows);
	free(m->all);
	free(m->file_text);
	vfb_sched_free(&m->sched);
}

int bench_cmd_mesh(int argc, char **argv)
{
	struct mesh_cfg c = { .schedule = "pairs",
			      .port = VT_DEFAULT_PORT,
			      .timeout = 10,
			      .tx_depth = 128 };
	static struct mesh m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.c = &c;
	ret = parse(&c, &m, argc, argv);
	if (ret) {
		free(m.file_text);
		return ret < 0 ? VFB_EXIT_OK : ret;
	}
	signal(SIGPIPE, SIG_IGN);
	m.round_timeout_s =
		m.c->round_timeout ? (int)m.c->round_timeout : RENDEZVOUS_S;
	m.progress = isatty(STDERR_FILENO);
	if (vt_clock_init(&m.clk, VT_CLOCK_AUTO)) {
		vfb_err("mesh: no clock");
		return VFB_EXIT_ENV;
	}
	ret = join(&m);
	if (!ret)
		ret = bench_mesh_rounds(&m);
	leave(&m);
	vfb_pmix_fini(&m.px);
	return ret;
}
