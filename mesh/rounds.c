/* SPDX-License-Identifier: MIT */
/* vfbench mesh, the rounds: each rank drives its pairs of a round and
 * puts its rows (CSV, the results model's own columns) under a key of
 * the round; rank 0 fetches them (no fence: see end_round), writes them
 * to the results directory and flushes, then lets the others go on to
 * the next round. Then the outliers (outliers.c) measured again alone. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "exitcode.h"
#include "load.h"
#include "log.h"
#include "mesh.h"
#include "results.h"
#include "session.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Whether RANK's job server is still there: a get of a value that a dead
 * rank never put can hang in the launcher's PMIx server, so a rank whose
 * server is gone is not asked (msh_probe_gone says what gone is). */
bool msh_probe_gone(int probe, unsigned char *unreach)
{
	if (!probe || probe == -ETIMEDOUT) { /* answered, or accepted: there */
		*unreach = 0;
		return false;
	}
	if (probe == -EHOSTUNREACH && *unreach < MSH_GONE_PROBES)
		++*unreach;
	return probe != -EHOSTUNREACH || *unreach >= MSH_GONE_PROBES;
}

static int alive(const struct msh *m, uint32_t rank, char *err, size_t len)
{
	const struct msh_host *h = &m->hosts[rank];
	char why[128];

	if (!h->npaths || !msh_probe_gone(vt_probe(h->paths[0].addr, h->svc,
						   3000, why, sizeof(why)),
					  &m->unreach[rank]))
		return 0;
	snprintf(err, len, "rank %u (%.64s) is gone: %s", rank, h->host, why);
	return -ESRCH;
}

/* RANK's KEY, asked again until it is there, RANK is gone (its job
 * server stops answering), or the round's time is up. Neither a
 * launcher's fence nor a get can be trusted to end once a rank is dead
 * (a fence may hang or return at once, a get of a value the dead rank
 * never put may wait minutes), so a get is waited for in slices with the
 * rank's server probed in between. */
int msh_await_key(struct msh *m, uint32_t rank, const char *key, char **text,
		  char *err, size_t len)
{
	double deadline = m->round_t0 + m->round_timeout_s;
	struct msh_pmix_req *req = NULL;
	useconds_t pause = 50000; /* doubling to 1 s: N ranks ask rank 0 */
	double probe = now_s() + 5, asked = now_s();
	int ret = -ENOENT;

	while (now_s() < deadline) {
		if (*m->abort) {
			if (req)
				msh_pmix_get_drop(req);
			snprintf(err, len,
				 "interrupted before rank %u's %s came", rank,
				 key);
			return -EINTR;
		}
		if (!req && (ret = msh_pmix_get_start(&m->px, rank, key, &req,
						      err, len)))
			return ret;
		ret = msh_pmix_get_wait(req, 1000, text, err, len);
		if (ret != -EINPROGRESS) {
			req = NULL;
			asked = now_s();
		} else if (now_s() - asked >= 5) {
			/* the launcher's server may have been stuck on a
			 * dead rank: ask anew */
			msh_pmix_get_drop(req);
			req = NULL;
			asked = now_s();
		}
		if (ret == -ENOENT) {
			usleep(pause);
			pause = pause < 500000 ? 2 * pause : 1000000;
		} else if (ret != -EINPROGRESS) {
			return ret;
		}
		/* a get that hangs, or every 5 s: is RANK still there? */
		if ((ret == -EINPROGRESS || now_s() >= probe) &&
		    (probe = now_s() + 5, alive(m, rank, err, len))) {
			if (req)
				msh_pmix_get_drop(req);
			return -ESRCH;
		}
	}
	if (req)
		msh_pmix_get_drop(req);
	snprintf(err, len,
		 "rank %u (%.64s) did not report within %d s: it hangs", rank,
		 m->hosts[rank].host, m->round_timeout_s);
	return -ETIMEDOUT;
}

struct pair_ctx {
	struct msh *m;
	uint32_t dst;
	int round, retest;
	const struct msh_path *mine, *theirs;
};

static int keep(struct vfb_result **v, size_t *n, size_t *cap,
		const struct vfb_result *r)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		struct vfb_result *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = *r;
	return 0;
}

static void on_row(void *arg, const struct vfb_result *row)
{
	struct pair_ctx *x = arg;
	struct msh *m = x->m;
	struct vfb_result r = *row;

	snprintf(r.host, sizeof(r.host), "%s", m->px.host);
	snprintf(r.device, sizeof(r.device), "%s", x->mine->dev);
	snprintf(r.netdev, sizeof(r.netdev), "%s", x->mine->netdev);
	snprintf(r.path, sizeof(r.path), "%s", x->mine->kind);
	snprintf(r.peer, sizeof(r.peer), "%s:%s", x->theirs->addr,
		 m->hosts[x->dst].svc);
	snprintf(r.src_host, sizeof(r.src_host), "%s", m->px.host);
	snprintf(r.dst_host, sizeof(r.dst_host), "%s", m->hosts[x->dst].host);
	r.src_rank = (int)m->px.rank;
	r.dst_rank = (int)x->dst;
	r.mesh_round = x->round;
	r.retest = x->retest;
	if (keep(&m->rows, &m->nrows, &m->cap, &r))
		vfb_err("mesh: out of memory for a row");
}

static const struct msh_path *find_kind(const struct msh_host *h,
					const char *kind)
{
	int i;

	for (i = 0; i < h->npaths; i++)
		if (!strcmp(h->paths[i].kind, kind))
			return &h->paths[i];
	return NULL;
}

/* This rank drives DST: each path kind both have (or ONLY), each test. */
void msh_drive(struct msh *m, uint32_t dst, int round, int retest,
	       const char *only)
{
	int i, t;
	const struct msh_host *me = &m->hosts[m->px.rank];
	char err[256];

	for (i = 0; i < me->npaths; i++) {
		struct pair_ctx x = {
			m, dst, round, retest, &me->paths[i], NULL
		};

		if (only && strcmp(only, me->paths[i].kind))
			continue;
		x.theirs = find_kind(&m->hosts[dst], me->paths[i].kind);
		if (!x.theirs)
			continue;
		for (t = 0; t < m->ntests; t++) {
			struct vt_client_cfg cfg = {
				.dev = x.mine->dev,
				.port = 1,
				.gid_index = -1,
				.host = x.theirs->addr,
				.svc = m->hosts[dst].svc,
				.timeout_ms = (int)m->c->vo.timeout * 1000,
				.abort = m->abort,
			};

			if (*m->abort)
				return;

			if (vt_client_run(&cfg, &m->params[t], &m->clk, on_row,
					  &x, err, sizeof(err)))
				vfb_warn("mesh: %s -> %s (%s) %s: %s", me->host,
					 m->hosts[dst].host, x.mine->kind,
					 m->params[t].test, err);
		}
	}
}

/* Rank 0: the rows SRC put under KEY, into the directory; ERR says why
 * not. */
static int collect(struct msh *m, uint32_t src, const char *key, char *err,
		   size_t len)
{
	size_t i;
	struct rpt_run run = { .rows = NULL };
	char *text;
	FILE *f;
	int ret;

	if (m->dead[src]) {
		snprintf(err, len, "rank %u (%s) stopped reporting earlier",
			 src, m->hosts[src].host);
		return -ESRCH;
	}
	if (src == m->px.rank) {
		text = NULL;
	} else if (*m->abort) {
		snprintf(err, len, "interrupted before rank %u's rows came",
			 src);
		return -EINTR;
	} else if ((ret = alive(m, src, err, len)) ||
		   (ret = msh_await_key(m, src, key, &text, err, len))) {
		m->dead[src] = ret == -ESRCH; /* its server is gone */
		vfb_err("mesh: rank %u's rows: %s", src, err);
		return ret;
	}
	if (!text) {
		run.rows = m->rows;
		run.nrows = m->nrows;
	} else {
		f = fmemopen(text, strlen(text), "r");
		ret = f ? rpt_rows_read(f, &run, err, len) : -errno;
		if (f)
			fclose(f);
		free(text);
		if (ret) {
			vfb_err("mesh: rank %u's rows: %s", src, err);
			return ret;
		}
	}
	for (i = 0; i < run.nrows; i++) {
		host_rundir_row(&m->rd, &run.rows[i]);
		msh_keep(m, &run.rows[i]);
	}
	if (text)
		free(run.rows);
	return 0;
}

/* The rows of a pair that never came: one error row per test. */
static void lost(struct msh *m, const struct msh_pair *p, int round, int retest,
		 const char *why)
{
	int t;

	for (t = 0; t < m->ntests; t++) {
		struct vfb_result r;

		vfb_result_init(&r);
		snprintf(r.test, sizeof(r.test), "%s", m->params[t].test);
		snprintf(r.src_host, sizeof(r.src_host), "%s",
			 m->hosts[p->src].host);
		snprintf(r.dst_host, sizeof(r.dst_host), "%s",
			 m->hosts[p->dst].host);
		snprintf(r.host, sizeof(r.host), "%s", m->hosts[p->src].host);
		r.src_rank = (int)p->src;
		r.dst_rank = (int)p->dst;
		r.mesh_round = round;
		r.retest = retest;
		r.status = VFB_STATUS_ERROR;
		snprintf(r.error, sizeof(r.error), "%s", why);
		host_rundir_row(&m->rd, &r);
		msh_keep(m, &r);
	}
}

/* Whether the ends of P share a path kind; if not, ERR says what each
 * offers. */
static bool common(const struct msh *m, const struct msh_pair *p, char *err,
		   size_t len)
{
	int i;
	const struct msh_host *a = &m->hosts[p->src], *b = &m->hosts[p->dst];
	char ka[64] = "", kb[64] = "";

	for (i = 0; i < a->npaths; i++)
		if (find_kind(b, a->paths[i].kind))
			return true;
	for (i = 0; i < a->npaths; i++)
		snprintf(ka + strlen(ka), sizeof(ka) - strlen(ka), "%s%s",
			 i ? "," : "", a->paths[i].kind);
	for (i = 0; i < b->npaths; i++)
		snprintf(kb + strlen(kb), sizeof(kb) - strlen(kb), "%s%s",
			 i ? "," : "", b->paths[i].kind);
	snprintf(err, len, "no path kind in common: %s offers %s, %s %s",
		 a->host, ka[0] ? ka : "none", b->host, kb[0] ? kb : "none");
	return false;
}

/* The end of a round, through rank 0 rather than a fence (a launcher's
 * fence can hang, or return at once, once a rank of the job is dead):
 * rank 0 takes each driver's rows as it commits them, writes them, and
 * then publishes KEY.go; the others wait for that before the next round.
 * A pair whose rows do not come is an error row that says why; the mesh
 * goes on, a dead rank costing only its own pairs. */
static int end_round(struct msh *m, const char *key, const struct msh_pair *p,
		     uint32_t np, int round, int retest)
{
	uint32_t i;
	char go[80], err[256], *text = NULL;
	int ret;

	snprintf(go, sizeof(go), "%s.go", key);
	if (!m->px.rank) {
		for (i = 0; i < np; i++)
			if (!common(m, &p[i], err, sizeof(err)) ||
			    collect(m, p[i].src, key, err, sizeof(err)))
				lost(m, &p[i], round, retest, err);
		ret = msh_pmix_put(&m->px, go, "1", err, sizeof(err));
		if (!ret)
			ret = msh_pmix_commit(&m->px, err, sizeof(err));
	} else {
		m->round_t0 += m->round_timeout_s; /* rank 0 may wait for one */
		ret = msh_await_key(m, 0, go, &text, err, sizeof(err));
		free(text);
	}
	if (ret)
		vfb_err("mesh: rank %u, round %d: %s", m->px.rank, round, err);
	m->round_t0 = now_s();
	return ret;
}

/* This rank's rows under KEY, committed; then the round ends. */
int msh_gather(struct msh *m, const char *key, const struct msh_pair *p,
	       uint32_t np, int round, int retest)
{
	size_t i;
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret = f ? 0 : -errno;

	if (f) {
		rpt_csv_header(f);
		for (i = 0; i < m->nrows; i++)
			rpt_csv_result(f, &m->rows[i]);
		fclose(f);
		ret = m->px.rank ? msh_pmix_put(&m->px, key, text, err,
						sizeof(err)) :
				   0;
		if (!ret && m->px.rank)
			ret = msh_pmix_commit(&m->px, err, sizeof(err));
	}
	free(text);
	if (ret) {
		vfb_err("mesh: rank %u, round %d: %s", m->px.rank, round, err);
		m->nrows = 0;
		return ret;
	}
	ret = end_round(m, key, p, np, round, retest);
	m->nrows = 0; /* rank 0 wrote its own at the end of the round */
	return ret;
}

static int run_round(struct msh *m, uint32_t r, struct msh_pair *p)
{
	uint32_t i;
	uint32_t np = msh_sched_round(&m->sched, r, p);
	char key[64];

	if (m->progress && !m->px.rank)
		fprintf(stderr, "\r\033[Kmesh: round %u of %u (%u pairs) ...",
			r + 1, msh_sched_rounds(&m->sched), np);
	for (i = 0; i < np; i++)
		if (p[i].src == m->px.rank)
			msh_drive(m, p[i].dst, (int)r, 0, NULL);
	snprintf(key, sizeof(key), "vfb.mesh.rows.%u", r);
	return msh_gather(m, key, p, np, (int)r, 0);
}

/* The end: each rank says it is done (it has every go from rank 0); rank
 * 0, whose job server and published values the others need until then,
 * leaves only once each has said so or is gone. */
static void farewell(struct msh *m)
{
	uint32_t r;
	char err[256], *text;

	m->round_t0 = now_s();
	if (m->px.rank) {
		if (msh_pmix_put(&m->px, "vfb.mesh.bye", "1", err,
				 sizeof(err)) ||
		    msh_pmix_commit(&m->px, err, sizeof(err)))
			vfb_warn("mesh: rank %u: %s", m->px.rank, err);
		return;
	}
	for (r = 1; r < m->px.size; r++)
		if (!m->dead[r] && !msh_await_key(m, r, "vfb.mesh.bye", &text,
						  err, sizeof(err)))
			free(text);
}

/* run.json: rank 0's environment (the schema with it), the mesh, and
 * every host's environment. */
static json_object *meta(struct msh *m)
{
	uint32_t r;
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *o = host_env_json(root, 0, NULL), *hosts;

	vfb_fsroot_close(root);

	json_object_object_add(o, "command", json_object_new_string("mesh"));
	json_object_object_add(o, "schedule",
			       json_object_new_string(m->c->schedule));
	json_object_object_add(o, "ranks", json_object_new_int64(m->px.size));
	json_object_object_add(
		o, "rounds",
		json_object_new_int64(msh_sched_rounds(&m->sched)));
	if (m->c->fabric)
		json_object_object_add(o, "fabric",
				       json_object_new_string(m->c->fabric));
	if (m->sched.kind->seeded)
		json_object_object_add(
			o, "seed",
			json_object_new_int64((int64_t)m->sched.seed));
	hosts = json_object_new_array();
	for (r = 0; r < m->px.size; r++) {
		json_object *h = json_object_new_object();

		json_object_object_add(h, "rank", json_object_new_int64(r));
		json_object_object_add(
			h, "host", json_object_new_string(m->hosts[r].host));
		json_object_object_add(h, "env",
				       json_object_get(m->hosts[r].env));
		json_object_array_add(hosts, h);
	}
	json_object_object_add(o, "hosts", hosts);
	return o;
}

/* Rank 0: run.json says how the mesh ended: completed, or interrupted
 * (by a signal: which, and why where the launcher said). */
static void close_dir(struct msh *m, int ret)
{
	char status[320] = "completed";

	if (*m->abort)
		host_rundir_interrupted(*m->abort, status, sizeof(status));
	else if (ret)
		snprintf(status, sizeof(status), "interrupted");
	host_rundir_close(&m->rd, status);
	printf("results: %s\n", m->rd.dir);
}

int msh_rounds(struct msh *m)
{
	uint32_t r;
	struct msh_pair *p = calloc(m->px.size, sizeof(*p));
	json_object *md;
	char err[512];
	size_t flagged = 0;
	int ret = p ? 0 : -ENOMEM;

	m->dead = calloc(m->px.size, sizeof(*m->dead));
	m->unreach = calloc(m->px.size, sizeof(*m->unreach));
	if (!m->dead || !m->unreach)
		ret = -ENOMEM;
	m->round_t0 = now_s();

	if (!ret && !m->px.rank) {
		md = meta(m);
		ret = host_rundir_open(&m->rd, m->c->outs.dir, md, err,
				       sizeof(err));
		if (!ret && (ret = host_rundir_prom(&m->rd, m->c->outs.prom)))
			snprintf(err, sizeof(err), "--prom: out of memory");
		json_object_put(md);
		if (ret) {
			vfb_err("mesh: %s", err);
			msh_pmix_abort(&m->px, VFB_EXIT_ENV, err);
		}
	}
	for (r = 0; !ret && !*m->abort && r < msh_sched_rounds(&m->sched); r++)
		ret = run_round(m, r, p);
	m->rounds_used = r;
	if (!ret && !*m->abort)
		ret = msh_adaptive(m, p);
	if (!ret && !m->px.rank) {
		msh_flag_rows(m, 0);
		flagged = m->nall; /* the retest's rows are flagged after it */
	}
	if (!ret && !*m->abort && !m->c->no_retest)
		ret = msh_retest(m);
	farewell(m);
	if (!m->px.rank && m->rd.meta) {
		if (m->progress)
			fprintf(stderr, "\r\033[K");
		msh_flag_rows(m, flagged);
		msh_rewrite(m);
		json_object_object_add(m->rd.meta, "suspects", msh_suspects(m));
		json_object_object_add(m->rd.meta, "detector", msh_detector(m));
		json_object_object_add(m->rd.meta, "rounds_used",
				       json_object_new_int64(m->rounds_used));
		if (!ret && m->rd.errors) { /* pairs that were not measured */
			vfb_err("mesh: %d of %d rows are errors%s: the reasons "
				"are in %s/results.csv",
				m->rd.errors, m->rd.rows,
				m->rd.errors == m->rd.rows ?
					", no pair was measured" :
					"",
				m->rd.dir);
			ret = -EIO;
		}
		close_dir(m, ret);
	}
	free(p);
	free(m->dead);
	free(m->unreach);
	if (*m->abort)
		return 128 + *m->abort;
	return ret ? VFB_EXIT_ENV : VFB_EXIT_OK;
}
