/* SPDX-License-Identifier: MIT */
/* The mesh's rendezvous: every rank publishes what it offers, starts the
 * job's server, and builds the schedule rank 0 published; then the rounds
 * (rounds.c). */
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
#include "devinfo.h"
#include "env.h"
#include "exitcode.h"
#include "log.h"
#include "mesh.h"
#include "pathkind.h"
#include "session.h"
#include "stop.h"

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

static bool kind_wanted(const struct msh *m, const char *kind)
{
	int i;

	if (!m->nkinds)
		return true;
	for (i = 0; i < m->nkinds; i++)
		if (!strcmp(m->kinds[i], kind))
			return true;
	return false;
}

/* This rank's offer: per path kind, the first device with an active port
 * and an address. */
static int offer(struct msh *m, struct msh_host *me, int local_rank)
{
	int i, j;
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
	for (i = 0; i < n && me->npaths < MSH_MAX_PATHS; i++) {
		struct host_devclass dc;
		struct msh_path *p = &me->paths[me->npaths];
		bool dup = false;

		if (host_classify(root, devs[i].name, &dc) || !dc.netdev[0] ||
		    !devs[i].nports || strcmp(devs[i].ports[0].state, "active"))
			continue;
		for (j = 0; j < me->npaths; j++)
			dup |= !strcmp(me->paths[j].kind, dc.path->name);
		if (dup || !kind_wanted(m, dc.path->name) ||
		    netdev_addr(dc.netdev, p->addr, sizeof(p->addr)))
			continue;
		snprintf(p->kind, sizeof(p->kind), "%s", dc.path->name);
		snprintf(p->dev, sizeof(p->dev), "%s", devs[i].name);
		snprintf(p->netdev, sizeof(p->netdev), "%s", dc.netdev);
		me->npaths++;
	}
	me->env = host_env_json(root, 0, NULL);
	vt_devinfo_free(devs, n);
	vfb_fsroot_close(root);
	return VFB_EXIT_OK;
}

static json_object *host_json(const struct msh_host *h)
{
	int i;
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "host", json_object_new_string(h->host));
	json_object_object_add(o, "port", json_object_new_string(h->svc));
	for (i = 0; i < h->npaths; i++) {
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

static int host_from_json(const char *text, struct msh_host *h)
{
	size_t i;
	json_object *o = json_tokener_parse(text), *a, *env;

	if (!o || !json_object_object_get_ex(o, "paths", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(o);
		return -EPROTO;
	}
	snprintf(h->host, sizeof(h->host), "%s", jstr(o, "host"));
	snprintf(h->svc, sizeof(h->svc), "%s", jstr(o, "port"));
	for (i = 0;
	     i < json_object_array_length(a) && h->npaths < MSH_MAX_PATHS;
	     i++) {
		json_object *p = json_object_array_get_idx(a, i);
		struct msh_path *mp = &h->paths[h->npaths++];

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
static int start_server(struct msh *m)
{
	int i;
	const char *svc = m->hosts[m->px.rank].svc;
	char err[256] = "";

	if (pthread_create(&m->server, NULL, serve_main, m)) {
		vfb_err("mesh: rank %u: no thread for the server", m->px.rank);
		return VFB_EXIT_ENV;
	}
	m->serving = true;
	for (i = 0; i < 100; i++) {
		if (!vt_probe("127.0.0.1", svc, 1000, err, sizeof(err)))
			return VFB_EXIT_OK;
		usleep(50000);
	}
	vfb_err("mesh: rank %u: the server on port %s does not answer: %s",
		m->px.rank, svc, m->server_err[0] ? m->server_err : err);
	return VFB_EXIT_ENV;
}

/* Every rank's offer, after the first fence. */
static int exchange(struct msh *m, int local_rank)
{
	uint32_t r;
	char err[256], *text;
	json_object *o;
	int ret = offer(m, &m->hosts[m->px.rank], local_rank);

	if (ret)
		return ret;
	if ((ret = start_server(m)))
		return ret;
	o = host_json(&m->hosts[m->px.rank]);
	ret = msh_pmix_put(&m->px, "vfb.mesh.host",
			   json_object_to_json_string(o), err, sizeof(err));
	json_object_put(o);
	if (!ret)
		ret = msh_pmix_fence(&m->px, true, m->round_timeout_s, err,
				     sizeof(err));
	for (r = 0; !ret && r < m->px.size; r++) {
		if (r == m->px.rank)
			continue;
		ret = msh_pmix_get(&m->px, r, "vfb.mesh.host", false,
				   MSH_RENDEZVOUS_S, &text, err, sizeof(err));
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
	uint32_t r;
	const struct msh *m = ctx;

	for (r = 0; r < m->px.size; r++)
		if (!strcmp(m->hosts[r].host, name)) {
			*rank = r;
			return 0;
		}
	return -ENOENT;
}

/* Each rank's leaf switch in --fabric; a seeded schedule pairs hosts
 * within their leaves every other round. */
static int place(struct msh *m)
{
	uint32_t r, missing = 0, first = 0;
	char more[32];

	if (!m->fabric.nnodes)
		return VFB_EXIT_OK;
	m->leaf = calloc(m->px.size, sizeof(*m->leaf));
	if (!m->leaf)
		return VFB_EXIT_ENV;
	for (r = 0; r < m->px.size; r++) {
		m->leaf[r] = msh_fabric_leaf(&m->fabric, m->hosts[r].host);
		if (m->leaf[r] == UINT32_MAX && !missing++)
			first = r;
	}
	snprintf(more, sizeof(more), " and %u more", missing - 1);
	if (missing && !m->px.rank) /* once, however many */
		vfb_warn("mesh: --fabric %s does not list %s (rank %u)%s: "
			 "judged outside every switch",
			 m->c->fabric, m->hosts[first].host, first,
			 missing > 1 ? more : "");
	if (m->sched.kind->seeded &&
	    msh_sched_leaves(&m->sched, m->leaf, (uint32_t)m->fabric.nswitches))
		return VFB_EXIT_ENV;
	return VFB_EXIT_OK;
}

/* Every rank builds the schedule from the same inputs (the kind, the
 * ranks' host names, the file rank 0 read and published). */
static int plan(struct msh *m)
{
	char err[256], *text = NULL;
	int ret;

	if (!msh_sched_kind_find(m->c->schedule)->from_file) {
		ret = msh_sched_init(&m->sched, m->c->schedule, m->px.size, err,
				     sizeof(err));
		if (!ret)
			msh_sched_seed(&m->sched, (uint32_t)m->c->rounds,
				       m->c->seed >= 0 ? (uint64_t)m->c->seed :
							 msh_sched_default_seed(
								 m->px.nspace));
	} else {
		ret = m->px.rank ? msh_pmix_get(&m->px, 0, "vfb.mesh.plan",
						false, MSH_RENDEZVOUS_S, &text,
						err, sizeof(err)) :
				   0;
		if (!ret)
			ret = msh_sched_parse(&m->sched, m->c->schedule,
					      text ? text : m->file_text,
					      m->px.size, lookup_host, m, err,
					      sizeof(err));
		free(text);
	}
	if (ret) {
		vfb_err("mesh: schedule %s: %s", m->c->schedule, err);
		return VFB_EXIT_USAGE;
	}
	return place(m);
}

static void *serve_main(void *arg)
{
	struct msh *m = arg;
	struct msh_host *me = &m->hosts[m->px.rank];
	struct vt_server_cfg sc = {
		.svc = me->svc,
		.timeout_ms = (int)m->c->vo.timeout * 1000,
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
static int round_timeout(const struct msh *m)
{
	uint32_t r;
	int i;
	double s = 30;
	int kinds = 1;

	if (m->c->round_timeout)
		return (int)m->c->round_timeout;
	for (r = 0; r < m->px.size; r++)
		kinds = m->hosts[r].npaths > kinds ? m->hosts[r].npaths : kinds;
	for (i = 0; i < m->ntests; i++)
		s += (double)m->params[i].sizes.n *
		     (m->params[i].duration_s + 10) * kinds;
	return (int)(2 * s);
}

static int join(struct msh *m)
{
	char err[256];
	int ret, local = 0;

	if (msh_pmix_init(&m->px, err, sizeof(err))) {
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
	    msh_pmix_put(&m->px, "vfb.mesh.plan", m->file_text, err,
			 sizeof(err))) {
		vfb_err("mesh: publishing the schedule: %s", err);
		return VFB_EXIT_ENV;
	}
	if (msh_pmix_fence(&m->px, true, m->round_timeout_s, err,
			   sizeof(err))) {
		vfb_err("mesh: rank %u: the rendezvous: %s", m->px.rank, err);
		return VFB_EXIT_ENV;
	}
	return plan(m);
}

static void leave(struct msh *m)
{
	uint32_t r;

	m->stop = 1;
	if (m->serving)
		pthread_join(m->server, NULL);
	if (m->hosts)
		for (r = 0; r < m->px.size; r++)
			json_object_put(m->hosts[r].env);
	free(m->hosts);
	free(m->rows);
	free(m->all);
	free(m->file_text);
	msh_sched_free(&m->sched);
	msh_fabric_free(&m->fabric);
	free(m->leaf);
}

int msh_main(struct msh *m)
{
	int ret;

	signal(SIGPIPE, SIG_IGN);
	m->round_timeout_s = m->c->round_timeout ? (int)m->c->round_timeout :
						   MSH_RENDEZVOUS_S;
	m->progress = isatty(STDERR_FILENO);
	if (vt_clock_init(&m->clk, VT_CLOCK_AUTO)) {
		vfb_err("mesh: no clock");
		return VFB_EXIT_ENV;
	}
	ret = join(m);
	if (!ret) { /* from here on a signal closes the directory */
		m->abort = host_stop_install();
		ret = msh_rounds(m);
	}
	leave(m);
	msh_pmix_fini(&m->px);
	return ret;
}
