/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <infiniband/verbs.h>
#include <hwloc/openfabrics-verbs.h>

#include "counters.h"
#include "ctrl.h"
#include "exitcode.h"
#include "log.h"
#include "opt.h"
#include "matrix.h"
#include "perftest.h"
#include "prom.h"
#include "results.h"
#include "samples.h"
#include "test.h"

struct row_ctx {
	struct mtx *m;
	const struct mtx_path *p;
	struct vfb_fsroot *root;     /* counters: NULL, none read */
	struct host_counters before; /* at the start of the case */
	bool loopback;		     /* the peer is this host */
};

/* Whether HOST is an address of this host (its traffic then loops back
 * through lo, not through the path's netdev): one we can bind to. */
static bool host_is_local(const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *a;
	bool local = false;
	int fd;

	if (getaddrinfo(host, NULL, &hints, &ai))
		return false;
	for (a = ai; a && !local; a = a->ai_next) {
		fd = socket(a->ai_family, SOCK_DGRAM, 0);
		if (fd < 0)
			continue;
		local = !bind(fd, a->ai_addr, a->ai_addrlen);
		close(fd);
	}
	freeaddrinfo(ai);
	return local;
}

static void counters_read(struct row_ctx *x, struct host_counters *c)
{
	if (x->root)
		host_counters_read(x->root, x->p->sel.dc.netdev, x->p->sel.dev,
				   x->m->client.port ? x->m->client.port : 1,
				   c);
}

/* The counters' deltas since the case began; a case whose netdev did
 * not carry it becomes an error row. The next case begins now. */
static void counters_row(struct row_ctx *x, struct vfb_result *r)
{
	const struct vt_test_ops *ops = vt_test_find(r->test);
	struct host_counters now;

	if (!x->root || r->status != VFB_STATUS_OK)
		return;
	counters_read(x, &now);
	host_counters_delta(&x->before, &now, r);
	x->before = now;
	if (!x->loopback &&
	    host_counters_check(r, ops ? vt_test_crossings(ops) : 1))
		vfb_err("run: %s %s %llu B: %s", r->path, r->test,
			(unsigned long long)r->msg_bytes, r->error);
}

/* The sizes test NAME runs (an atomic test has one). */
static void test_sizes(const struct mtx *m, const char *name,
		       struct vfb_sizes *out)
{
	const struct vt_test_ops *ops = vt_test_find(name);

	if (ops)
		vt_test_sizes(ops, &m->params.sizes, out);
	else
		*out = m->params.sizes;
}

int mtx_cases(const struct mtx *m)
{
	char list[256], *tok, *save = NULL;
	struct vfb_sizes sz;
	int n = 0;

	snprintf(list, sizeof(list), "%s", m->tests);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		test_sizes(m, tok, &sz);
		n += (int)sz.n;
	}
	return m->npaths * n * (m->repeat > 1 ? m->repeat : 1);
}

static void progress(struct mtx *m, const struct vfb_result *r)
{
	long el = (long)(time(NULL) - m->t0);
	long eta = m->done ? el * (m->total - m->done) / m->done : 0;

	if (!m->progress)
		return;
	fprintf(stderr,
		"\r\033[K[%d/%d] %s %s %s %llu B  elapsed %ld:%02ld  ETA %ld:%02ld",
		m->done, m->total, r->path, r->device, r->test,
		(unsigned long long)r->msg_bytes, el / 60, el % 60, eta / 60,
		eta % 60);
	if (m->done == m->total)
		fputc('\n', stderr);
}

static void on_row(void *arg, const struct vfb_result *row)
{
	struct row_ctx *x = arg;
	struct mtx *m = x->m;
	const struct mtx_path *p = x->p;
	struct vfb_result r = *row;

	if (m->rundir) {
		snprintf(r.run_id, sizeof(r.run_id), "%s", m->rundir->run_id);
		snprintf(r.host, sizeof(r.host), "%s", m->rundir->host);
	}
	snprintf(r.path, sizeof(r.path), "%s", p->sel.kind->name);
	snprintf(r.device, sizeof(r.device), "%s", p->sel.dev);
	snprintf(r.provider, sizeof(r.provider), "%s", p->sel.dc.provider);
	snprintf(r.pci, sizeof(r.pci), "%s", p->sel.dc.pci);
	snprintf(r.netdev, sizeof(r.netdev), "%s", p->sel.dc.netdev);
	snprintf(r.peer, sizeof(r.peer), "%s", p->peer);
	if (r.status == VFB_STATUS_OK) {
		r.cpu = p->loc.cpu;
		r.numa = p->loc.numa;
	}
	r.rep = (uint32_t)(m->rep > 0 ? m->rep : 1);
	counters_row(x, &r);
	if (m->progress)
		fprintf(stderr, "\r\033[K");
	rpt_text_result(stdout, &r, &m->last_kind);
	fflush(stdout);
	if (m->csv) {
		rpt_csv_result(m->csv, &r);
		fflush(m->csv);
	}
	if (m->rundir && host_rundir_row(m->rundir, &r))
		vfb_warn("%s/results.csv: %s", m->rundir->dir, strerror(errno));
	json_object_array_add(m->rows, rpt_result_json(&r));
	if (m->perftest)
		rpt_perftest_add(m->perftest, &r);
	if (m->prom && rpt_prom_add(m->prom, &r))
		vfb_warn("run: --prom: a row left out: out of memory");
	m->errors += r.status != VFB_STATUS_OK;
	m->done++;
	progress(m, &r);
}

/* A latency case's samples, beside results.csv (report compares with
 * them). */
static void on_samples(void *arg, const struct vfb_result *row,
		       const double *us, size_t n)
{
	struct row_ctx *x = arg;
	struct mtx *m = x->m;
	int ret;

	if (!m->rundir)
		return;
	ret = rpt_samples_write(m->rundir->dir, x->p->sel.kind->name, row->test,
				row->msg_bytes,
				(unsigned int)(m->rep > 0 ? m->rep : 1), us, n);
	if (ret)
		vfb_warn("%s/%s: %s", m->rundir->dir, RPT_SAMPLES_DIR,
			 strerror(-ret));
}

/* Every (test, size) of a path that cannot run becomes an error row. */
static void error_rows(struct mtx *m, const struct mtx_path *p,
		       const char *test_only, const char *why)
{
	struct row_ctx x = { .m = m, .p = p };
	char list[256], *tok, *save = NULL;
	struct vfb_sizes sz;
	struct vfb_result r;
	size_t i;

	snprintf(list, sizeof(list), "%s", test_only ? test_only : m->tests);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		test_sizes(m, tok, &sz);
		for (i = 0; i < sz.n; i++) {
			vfb_result_init(&r);
			snprintf(r.test, sizeof(r.test), "%s", tok);
			r.msg_bytes = sz.v[i];
			r.status = VFB_STATUS_ERROR;
			snprintf(r.error, sizeof(r.error), "%.255s", why);
			on_row(&x, &r);
		}
	}
}

/* The peer was checked when the options were parsed. */
static void split_peer(const char *peer, char *host, size_t hl, char *svc,
		       size_t sl)
{
	if (vfb_peer_split(peer, VT_DEFAULT_PORT, host, hl, svc, sl))
		snprintf(svc, sl, "%s", VT_DEFAULT_PORT);
}

/* Preflight: the port, a GID, a node GUID, a peer that answers. */
static int preflight(struct mtx *m, struct mtx_path *p, char *why, size_t len)
{
	char host[256], svc[32], err[256];
	int ret;

	if (p->sel.why[0]) {
		snprintf(why, len, "preflight: %s", p->sel.why);
		return -ENODEV;
	}
	if (!p->peer[0]) {
		snprintf(why, len,
			 "preflight: no peer for path %s (--peer-%s or --peer)",
			 p->sel.kind->name, p->sel.kind->name);
		return -EINVAL;
	}
	split_peer(p->peer, host, sizeof(host), svc, sizeof(svc));
	ret = vt_probe(host, svc, m->client.timeout_ms, err, sizeof(err));
	if (ret) {
		snprintf(why, len, "preflight: %s", err);
		/* another protocol version or a refusal: the peer, not us */
		return ret == -EPROTONOSUPPORT || ret == -EREMOTEIO ?
			       ret :
			       -EHOSTUNREACH;
	}
	return 0;
}

static int locate(struct mtx *m, struct mtx_path *p, char *why, size_t len)
{
	struct ibv_device **list;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int n, i, ret;

	hwloc_bitmap_zero(set);
	list = ibv_get_device_list(&n);
	for (i = 0; list && i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), p->sel.dev))
			hwloc_ibv_get_device_cpuset(m->topo, list[i], set);
	if (list)
		ibv_free_device_list(list);
	ret = host_locality_choose(m->topo, set, m->numa_mode, m->cpu, &p->loc);
	hwloc_bitmap_free(set);
	if (ret) {
		snprintf(why, len, "%s", p->loc.note);
		return ret;
	}
	ret = host_locality_apply(m->topo, &p->loc, why, len);
	return ret;
}

static int exit_class(int err)
{
	switch (-err) {
	case ENODEV:
	case EHOSTUNREACH:
	case ECONNREFUSED:
	case ENETDOWN:
	case ENETUNREACH:
	case EPERM:
	case EACCES:
	case ENOMEM:
	case ECONNRESET:
	case EPIPE:
	case ETIMEDOUT: /* the peer went away */
	case EREMOTEIO:
	case EMSGSIZE:	      /* the peer refused (busy, its limits) */
	case EPROTONOSUPPORT: /* the peer speaks another protocol version */
	case EOPNOTSUPP:      /* the device cannot (atomics) */
		return VFB_EXIT_ENV;
	}
	return VFB_EXIT_FAIL;
}

/* Once per path: can it run at all (port, GID, peer, locality)? */
static void prepare_path(struct mtx *m, struct mtx_path *p)
{
	int ret;

	if ((ret = preflight(m, p, p->why, sizeof(p->why))) ||
	    (ret = locate(m, p, p->why, sizeof(p->why)))) {
		vfb_err("run: path %s: %s", p->sel.kind->name, p->why);
		p->failed = exit_class(ret);
		m->worst = m->worst > p->failed ? m->worst : p->failed;
		return;
	}
	if (p->loc.note[0])
		vfb_info("run: %s (%s): %s", p->sel.kind->name, p->sel.dev,
			 p->loc.note);
}

/* One round of a path: every test, every size, fresh QPs. */
static void run_path(struct mtx *m, struct mtx_path *p,
		     const volatile int *abort_sig)
{
	char list[256], err[512], host[256], svc[32], *tok, *save = NULL;
	struct row_ctx x = { .m = m, .p = p };
	int ret;

	if (p->failed) {
		error_rows(m, p, NULL, p->why);
		return;
	}
	/* the measuring thread goes back to this path's core (the paths of
	 * a round take turns) */
	if (m->rep > 1 || m->npaths > 1) {
		ret = host_locality_apply(m->topo, &p->loc, err, sizeof(err));
		if (ret)
			vfb_warn("run: path %s: %s", p->sel.kind->name, err);
	}
	split_peer(p->peer, host, sizeof(host), svc, sizeof(svc));
	x.loopback = host_is_local(host);
	if (x.loopback && p->sel.dc.netdev[0] && m->rep <= 1)
		vfb_warn("run: path %s: the peer %s is this host: the traffic "
			 "loops back (lo), not through %s, whose counters are "
			 "recorded but not checked",
			 p->sel.kind->name, host, p->sel.dc.netdev);
	m->client.dev = p->sel.dev;
	m->client.host = host;
	m->client.svc = svc;
	m->client.samples_fn = on_samples;
	snprintf(list, sizeof(list), "%s", m->tests);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*abort_sig)
			return;
		snprintf(m->params.test, sizeof(m->params.test), "%s", tok);
		x.root = vfb_fsroot_open("/");
		counters_read(&x, &x.before);
		ret = vt_client_run(&m->client, &m->params, m->clk, on_row, &x,
				    err, sizeof(err));
		vfb_fsroot_close(x.root);
		x.root = NULL;
		if (!ret)
			continue;
		vfb_err("run: %s %s on %s: %s", p->sel.kind->name, tok,
			p->sel.dev, err);
		if (ret != -EINTR)
			m->worst = m->worst > exit_class(ret) ? m->worst :
								exit_class(ret);
	}
}

int mtx_run(struct mtx *m, const volatile int *abort_sig)
{
	int i, rounds = m->repeat > 1 ? m->repeat : 1;

	m->total = mtx_cases(m);
	m->t0 = time(NULL);
	m->client.abort = abort_sig;
	for (i = 0; i < m->npaths && !*abort_sig; i++)
		prepare_path(m, &m->paths[i]);
	/* round by round, the paths in turn: drift hits them all alike */
	for (m->rep = 1; m->rep <= rounds && !*abort_sig; m->rep++)
		for (i = 0; i < m->npaths && !*abort_sig; i++)
			run_path(m, &m->paths[i], abort_sig);
	if (*abort_sig)
		return 128 + *abort_sig;
	if (m->worst == VFB_EXIT_OK && m->errors)
		return VFB_EXIT_FAIL;
	return m->worst;
}

json_object *mtx_paths_json(const struct mtx *m)
{
	json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < m->npaths; i++) {
		const struct mtx_path *p = &m->paths[i];
		json_object *o = json_object_new_object();

		json_object_object_add(
			o, "path", json_object_new_string(p->sel.kind->name));
		json_object_object_add(
			o, "device",
			p->sel.dev[0] ? json_object_new_string(p->sel.dev) :
					NULL);
		json_object_object_add(
			o, "peer",
			p->peer[0] ? json_object_new_string(p->peer) : NULL);
		json_object_object_add(
			o, "note",
			p->sel.dc.note[0] ?
				json_object_new_string(p->sel.dc.note) :
				NULL);
		json_object_object_add(
			o, "not_run_because",
			p->sel.why[0] ? json_object_new_string(p->sel.why) :
					NULL);
		json_object_object_add(o, "cpu",
				       p->loc.cpu >= 0 && p->loc.numa >= 0 ?
					       json_object_new_int(p->loc.cpu) :
					       NULL);
		json_object_object_add(
			o, "numa",
			p->loc.numa >= 0 ? json_object_new_int(p->loc.numa) :
					   NULL);
		json_object_object_add(
			o, "device_numa",
			p->loc.device_numa >= 0 ?
				json_object_new_int(p->loc.device_numa) :
				NULL);
		json_object_object_add(
			o, "locality",
			json_object_new_string(
				p->loc.note[0] ? p->loc.note : "device-local"));
		json_object_array_add(arr, o);
	}
	return arr;
}
