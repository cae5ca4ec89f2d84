/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare.h"
#include "deadline.h"
#include "exitcode.h"
#include "log.h"
#include "nl.h"
#include "results.h"
#include "csv.h"
#include "sharemem.h"
#include "test.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void barrier_init(struct shr_barrier *b, int need, int timeout_ms)
{
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->need = need;
	b->arrived = 0;
	b->timeout_ms = timeout_ms;
}

/* The last to arrive sets the common start: a little ahead, so that
 * every member, woken by its own timer, starts at that instant. */
#define START_AHEAD_NS 2000000L

static void release(struct shr_barrier *b)
{
	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	vfb_ts_add_ns(&b->t0, START_AHEAD_NS);
	b->arrived = 0;
	b->gen++;
	pthread_cond_broadcast(&b->cv);
}

/* 0 once every member still in has arrived; -ETIMEDOUT after timeout_ms. */
static int barrier_wait(struct shr_barrier *b)
{
	struct timespec until;
	unsigned long gen;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += b->timeout_ms / 1000;
	pthread_mutex_lock(&b->mu);
	gen = b->gen;
	if (++b->arrived >= b->need)
		release(b);
	while (gen == b->gen && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&b->cv, &b->mu, &until);
	if (gen == b->gen) { /* timed out: no longer waited for */
		b->arrived--;
		pthread_mutex_unlock(&b->mu);
		return -ETIMEDOUT;
	}
	until = b->t0;
	pthread_mutex_unlock(&b->mu);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) ==
	       EINTR)
		;
	return 0;
}

static void barrier_leave(struct shr_barrier *b)
{
	pthread_mutex_lock(&b->mu);
	b->need--;
	if (b->arrived && b->arrived >= b->need)
		release(b);
	pthread_mutex_unlock(&b->mu);
}

static void barrier_destroy(struct shr_barrier *b)
{
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
}

static int on_start(void *arg)
{
	struct shr_member *m = arg;
	int ret = barrier_wait(&m->s->barrier);

	if (!ret && m->nstarted < VFB_SIZES_MAX)
		m->started[m->nstarted++] = now_s();
	return ret;
}

/* In the member's thread: its row, with its counters. */
static void on_row(void *arg, const struct vfb_result *row)
{
	struct shr_member *m = arg;
	const struct vt_test_ops *ops = vt_test_find(row->test);
	struct host_counters now;
	struct vfb_result *r;

	if (m->nrows >= VFB_SIZES_MAX)
		return;
	r = &m->rows[m->nrows++];
	*r = *row;
	/* the proof follows the provider and names the device */
	snprintf(r->provider, sizeof(r->provider), "%s", m->dc.provider);
	snprintf(r->device, sizeof(r->device), "%s", m->dev);
	snprintf(r->netdev, sizeof(r->netdev), "%s", m->dc.netdev);
	if (m->root && r->status == VFB_STATUS_OK) {
		host_counters_read(m->root, m->dc.netdev, m->dev, 1, &now);
		host_counters_delta(&m->before, &now, r);
		m->before = now;
		host_counters_check(r, ops ? vt_test_crossings(ops) : 1);
	}
}

/* The member's link and path MTU: a RoCE port's from its netdev's MTU
 * (as ib_core derives it); an InfiniBand port's is not in sysfs, and
 * whether its address vector has a GRH is the engine's: not known. */
static void wire_of(struct shr_member *m)
{
	char path[PATH_MAX], ll[32] = "";
	long mtu;

	m->link[0] = '\0';
	m->path_mtu = 0;
	snprintf(path, sizeof(path),
		 "/sys/class/infiniband/%s/ports/1/link_layer", m->dev);
	if (vfb_fs_read(m->root, path, ll, sizeof(ll)) <= 0 ||
	    strcmp(ll, "Ethernet"))
		return;
	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", m->dc.netdev);
	if (!m->dc.netdev[0] || vfb_fs_read_long(m->root, path, &mtu))
		return;
	snprintf(m->link, sizeof(m->link), "roce_v2");
	m->path_mtu = shr_roce_mtu(mtu);
}

static void *member_main(void *arg)
{
	struct shr_member *m = arg;
	struct vt_client_cfg cfg = m->s->client;
	char err[256];

	cfg.dev = m->dev;
	cfg.host = m->host;
	cfg.svc = m->svc;
	cfg.start_fn = on_start;
	if (host_locality_apply(m->s->topo, &m->loc, err, sizeof(err)))
		vfb_warn("share: %s: %s", m->dev, err);
	m->root = vfb_fsroot_open("/");
	if (m->root) {
		wire_of(m);
		host_counters_read(m->root, m->dc.netdev, m->dev, 1,
				   &m->before);
	}
	m->ret = vt_client_run(&cfg, m->params, &m->s->clk, on_row, m, m->err,
			       sizeof(m->err));
	barrier_leave(&m->s->barrier);
	vfb_fsroot_close(m->root);
	m->root = NULL;
	return NULL;
}

/* Run ACT[0..N) at once, each with its PARAMS already set. */
static void run_phase(struct shr *s, struct shr_member **act, int n,
		      const char *what)
{
	int i;

	if (s->progress)
		fprintf(stderr, "\r\033[K%s: %d device%s at once (%s%s) ...",
			what, n, n == 1 ? "" : "s", act[0]->dev,
			n > 1 ? ", ..." : "");

	barrier_init(&s->barrier, n, s->client.timeout_ms);
	for (i = 0; i < n; i++) {
		act[i]->s = s;
		act[i]->nrows = act[i]->nstarted = 0;
		act[i]->err[0] = '\0';
		if (pthread_create(&act[i]->thread, NULL, member_main,
				   act[i])) {
			act[i]->ret = -EAGAIN;
			snprintf(act[i]->err, sizeof(act[i]->err),
				 "no thread for it");
			barrier_leave(&s->barrier);
			act[i]->thread = 0;
		}
	}
	for (i = 0; i < n; i++)
		if (act[i]->thread)
			pthread_join(act[i]->thread, NULL);
	barrier_destroy(&s->barrier);
	for (i = 0; i < n; i++)
		if (act[i]->ret) {
			vfb_err("share: %s (%s): %s", act[i]->dev,
				act[i]->dc.path->name, act[i]->err);
			s->worst = VFB_EXIT_ENV;
		}
}

static void ratio_text(FILE *f, const char *name, const struct vfb_ratio *p)
{
	if (!isnan(p->est))
		fprintf(f, "  %s x%.2f [%.2f, %.2f]", name, p->est, p->lo,
			p->hi);
}

/* One line a row: what ran, how many at once, when it started, what it
 * measured. */
static void text(FILE *f, const struct vfb_result *r)
{
	fprintf(f, "%-9s %-9s %-9s %-10s %7llu B  %u at once", r->scenario,
		r->role, r->device[0] ? r->device : "-", r->test,
		(unsigned long long)r->msg_bytes, r->active);
	if (r->status != VFB_STATUS_OK) {
		fprintf(f, "  error: %s\n", r->error);
		return;
	}
	if (!isnan(r->skew_us))
		fprintf(f, "  start %s%.0f us",
			strcmp(r->role, "aggregate") ? "+" : "spread ",
			r->skew_us);
	if (r->has_bw)
		fprintf(f, "  %.4f Gb/s", r->bw_avg_gbps);
	if (r->has_lat && !isnan(r->lat.p50))
		fprintf(f, "  p50 %.1f us", r->lat.p50);
	if (r->has_lat && !isnan(r->lat.p99))
		fprintf(f, "  p99 %.1f us", r->lat.p99);
	if (!isnan(r->jain))
		fprintf(f, "  Jain %.3f  shares %.1f-%.1f%%  efficiency %.2f",
			r->jain, 100 * r->share_min, 100 * r->share_max,
			r->efficiency);
	if (!isnan(r->rate_cap_mbps))
		fprintf(f,
			"  cap %.0f Mb/s: %s (wire %.0f Mb/s, payload %.0f "
			"Mb/s)",
			r->rate_cap_mbps, r->cap_verdict, r->wire_mbps,
			r->bw_avg_gbps * 1000);
	ratio_text(f, "p50", &r->penalty_p50);
	ratio_text(f, "p99", &r->penalty_p99);
	ratio_text(f, "p99.9", &r->penalty_p999);
	fputc('\n', f);
}

static void emit(struct shr *s, struct vfb_result *r)
{
	if (s->progress)
		fprintf(stderr, "\r\033[K");
	snprintf(r->run_id, sizeof(r->run_id), "%s", s->rd.run_id);
	snprintf(r->host, sizeof(r->host), "%s", s->rd.host);
	text(stdout, r);
	fflush(stdout);
	if (s->csv) {
		rpt_csv_result(s->csv, r);
		fflush(s->csv);
	}
	if (host_rundir_row(&s->rd, r))
		vfb_warn("%s/results.csv: %s", s->rd.dir, strerror(errno));
	s->errors += r->status != VFB_STATUS_OK;
}

/* Size J's start spread over ACT, in us (NAN: fewer than two started). */
static double spread_us(struct shr_member **act, int n, size_t j, double *first)
{
	double lo = INFINITY, hi = -INFINITY;
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (j < act[i]->nstarted) {
			lo = fmin(lo, act[i]->started[j]);
			hi = fmax(hi, act[i]->started[j]);
			k++;
		}
	*first = lo;
	return k >= 2 ? (hi - lo) * 1e6 : NAN;
}

/* Where a member row came from, how many ran, how late it started. */
static void label(struct shr *s, struct shr_member *m, struct vfb_result *r,
		  const char *scenario, int active, double first, int rep)
{
	size_t j = (size_t)(r - m->rows);

	snprintf(r->path, sizeof(r->path), "%s", m->dc.path->name);
	snprintf(r->device, sizeof(r->device), "%s", m->dev);
	snprintf(r->provider, sizeof(r->provider), "%s", m->dc.provider);
	snprintf(r->pci, sizeof(r->pci), "%s", m->dc.pci);
	snprintf(r->netdev, sizeof(r->netdev), "%s", m->dc.netdev);
	snprintf(r->peer, sizeof(r->peer), "%s", m->peer);
	snprintf(r->scenario, sizeof(r->scenario), "%s", scenario);
	snprintf(r->role, sizeof(r->role), "%s", m->role);
	r->active = (uint32_t)active;
	r->rep = (uint32_t)(rep > 0 ? rep : 1);
	if (r->status == VFB_STATUS_OK) {
		r->cpu = m->loc.cpu;
		r->numa = m->loc.numa;
		if (j < m->nstarted && !isinf(first))
			r->skew_us = (m->started[j] - first) * 1e6;
	}
	if (r->has_bw) {
		double wire = shr_wire_bytes(r->msg_bytes, m->path_mtu,
					     r->opcode, m->link);

		/* a cap meters the wire: judge the wire rate where it is
		 * known, else the payload's (wire_mbps stays NAN) */
		r->wire_mbps = wire > 0 ? r->bw_avg_gbps * 1000 * wire /
						  (double)r->msg_bytes :
					  NAN;
		r->rate_cap_mbps = m->cap_mbps;
		snprintf(r->cap_verdict, sizeof(r->cap_verdict), "%s",
			 shr_cap_verdict(m->cap_mbps,
					 isnan(r->wire_mbps) ?
						 r->bw_avg_gbps * 1000 :
						 r->wire_mbps));
	}
	(void)s;
}

/* Label and write the members' rows of a phase; the largest spread. */
static double finish_phase(struct shr *s, struct shr_member **act, int n,
			   const char *scenario, int rep)
{
	double first, sp, worst = NAN;
	size_t j;
	int i;

	for (j = 0; j < VFB_SIZES_MAX; j++) {
		int any = 0;

		sp = spread_us(act, n, j, &first);
		worst = isnan(worst) || sp > worst ? sp : worst;
		for (i = 0; i < n; i++)
			if (j < act[i]->nrows) {
				label(s, act[i], &act[i]->rows[j], scenario, n,
				      first, rep);
				any = 1;
			}
		if (!any)
			break;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < act[i]->nrows; j++)
			emit(s, &act[i]->rows[j]);
	if (!isnan(worst) && (isnan(s->max_skew_us) || worst > s->max_skew_us))
		s->max_skew_us = worst;
	return worst;
}

/* One aggregate row per size of a bandwidth phase; a member with no row
 * for a size makes that size's aggregate an error row. */
static void aggregate(struct shr *s, struct shr_member **act, int n,
		      const char *scenario, const double *baseline_gbps)
{
	static struct vfb_result missing[SHR_MAX + 1];
	const struct vfb_result *rows[SHR_MAX + 1];
	struct vfb_result agg;
	size_t j, most = 0;
	double first;
	int i;

	for (i = 0; i < n; i++)
		most = act[i]->nrows > most ? act[i]->nrows : most;
	for (j = 0; j < most; j++) {
		const struct vfb_result *any = NULL;

		for (i = 0; i < n; i++) {
			rows[i] = shr_row(act[i]->rows, act[i]->nrows, j,
					  act[i]->dev, &missing[i]);
			any = any || j >= act[i]->nrows ? any : rows[i];
		}
		vfb_result_init(&agg);
		snprintf(agg.path, sizeof(agg.path), "all");
		snprintf(agg.test, sizeof(agg.test), "%s", any->test);
		agg.msg_bytes = any->msg_bytes;
		snprintf(agg.scenario, sizeof(agg.scenario), "%s", scenario);
		snprintf(agg.role, sizeof(agg.role), "aggregate");
		agg.active = (uint32_t)n;
		agg.rep = 1;
		shr_aggregate(rows, (size_t)n, baseline_gbps[j], &agg);
		agg.skew_us = spread_us(act, n, j, &first);
		emit(s, &agg);
	}
}

double shr_vf_cap(const struct vfb_fsroot *root, const struct host_devclass *dc)
{
	struct sup_vf_state st;
	char path[PATH_MAX], pfnet[32];

	if (!dc->facts.physfn || dc->vf_index < 0)
		return NAN;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", dc->pf_pci);
	if (vfb_fs_first(root, path, pfnet, sizeof(pfnet)) ||
	    sup_nl_vf_get(pfnet, (unsigned)dc->vf_index, &st) ||
	    !st.max_tx_rate) /* 0: no cap */
		return NAN;
	return (double)st.max_tx_rate;
}

static struct shr_member *by_role(struct shr *s, const char *role, int k)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].role, role) && k-- == 0)
			return &s->m[i];
	return NULL;
}

static int outcome(const struct shr *s)
{
	if (*s->abort)
		return 128 + *s->abort;
	return s->worst ? s->worst : s->errors ? VFB_EXIT_FAIL : VFB_EXIT_OK;
}

static double bw_of(const struct shr_member *m, size_t j)
{
	return j < m->nrows && m->rows[j].status == VFB_STATUS_OK &&
			       m->rows[j].has_bw ?
		       m->rows[j].bw_avg_gbps :
		       0;
}

/* Each device alone, then all at once: shares, Jain, efficiency over the
 * PF alone when the PF is a member, else over the best device alone. */
int shr_fairness(struct shr *s)
{
	struct shr_member *all[SHR_MAX + 1], *one;
	double base[VFB_SIZES_MAX] = { 0 }, pf[VFB_SIZES_MAX] = { 0 };
	bool has_pf = false;
	size_t j;
	int i;

	for (i = 0; (all[i] = by_role(s, "member", i)) && !*s->abort; i++) {
		one = all[i];
		one->params = &s->params;
		run_phase(s, &one, 1, "solo");
		finish_phase(s, &one, 1, "solo", 1);
		for (j = 0; j < one->nrows; j++) {
			base[j] = fmax(base[j], bw_of(one, j));
			if (one->dc.path->baseline)
				pf[j] = bw_of(one, j);
		}
		has_pf |= one->dc.path->baseline;
	}
	if (*s->abort)
		return outcome(s);
	run_phase(s, all, i, "fairness");
	finish_phase(s, all, i, "fairness", 1);
	aggregate(s, all, i, "fairness", has_pf ? pf : base);
	return outcome(s);
}

/* 1, 2, 4, ... devices at once, then all of them. */
int shr_scaling(struct shr *s)
{
	struct shr_member *act[SHR_MAX + 1];
	double base[VFB_SIZES_MAX] = { 0 };
	bool bw = !vt_test_find(s->params.test)->latency;
	size_t j;
	int n, k;

	for (n = 0; (act[n] = by_role(s, "member", n)); n++)
		act[n]->params = &s->params;
	for (k = 1; !*s->abort; k = k * 2 < n ? k * 2 : n) {
		run_phase(s, act, k, "scaling");
		finish_phase(s, act, k, "scaling", 1);
		if (k == 1)
			for (j = 0; j < act[0]->nrows; j++)
				base[j] = bw_of(act[0], j);
		if (bw)
			aggregate(s, act, k, "scaling", base);
		if (k == n)
			break;
	}
	return outcome(s);
}

enum { P50, P99, P999, NPCT };

static void pcts(const struct vfb_result *r, double *out)
{
	bool ok = r->status == VFB_STATUS_OK && r->has_lat;

	out[P50] = ok ? r->lat.p50 : NAN;
	out[P99] = ok ? r->lat.p99 : NAN;
	out[P999] = ok ? r->lat.p999 : NAN;
}

/* The victim's figures loaded over alone across the alternations. */
static void penalty_row(struct shr *s, const struct shr_member *v, size_t j,
			int nagg, double (*alone)[NPCT], double (*loaded)[NPCT],
			const uint64_t *nsamples)
{
	struct vfb_result r;
	double col[SHR_REPS], lcol[SHR_REPS], fin[SHR_REPS];
	struct vfb_ratio *pen[NPCT] = { &r.penalty_p50, &r.penalty_p99,
					&r.penalty_p999 };
	double *fig[NPCT] = { &r.lat.p50, &r.lat.p99, &r.lat.p999 };
	int k, q, nf;

	vfb_result_init(&r);
	r.lat = (struct vfb_lat_stats){
		.min = NAN, .max = NAN, .mean = NAN, .stdev = NAN, .p9999 = NAN
	};
	snprintf(r.path, sizeof(r.path), "%s", v->dc.path->name);
	snprintf(r.device, sizeof(r.device), "%s", v->dev);
	snprintf(r.test, sizeof(r.test), "%s", s->victim_params.test);
	r.msg_bytes = s->victim_params.sizes.v[j];
	snprintf(r.scenario, sizeof(r.scenario), "isolation");
	snprintf(r.role, sizeof(r.role), "aggregate");
	r.active = (uint32_t)(1 + nagg);
	r.has_lat = true;
	for (k = 0; k < s->repeat; k++)
		r.lat.n += nsamples[k];
	for (q = 0; q < NPCT; q++) {
		for (k = 0; k < s->repeat; k++) {
			col[k] = alone[k][q];
			lcol[k] = loaded[k][q];
		}
		shr_penalty(col, lcol, (size_t)s->repeat, pen[q]);
		for (k = nf = 0; k < s->repeat; k++)
			if (!isnan(lcol[k]))
				fin[nf++] = lcol[k];
		*fig[q] = nf ? vfb_stat_of(fin, (size_t)nf, VFB_STAT_MEDIAN) :
			       NAN;
	}
	if (isnan(r.penalty_p50.est)) {
		r.status = VFB_STATUS_ERROR;
		snprintf(r.error, sizeof(r.error),
			 "fewer than 2 alternations measured alone and loaded");
	}
	emit(s, &r);
}

/* The victim alone, then with the aggressors, each of its sizes, REPEAT
 * times: drift hits alone and loaded alike. The aggressors run longer
 * than the victim, so that it is loaded all the time it measures. */
int shr_isolation(struct shr *s)
{
	static double alone[VFB_SIZES_MAX][SHR_REPS][NPCT],
		loaded[VFB_SIZES_MAX][SHR_REPS][NPCT];
	static uint64_t nloaded[VFB_SIZES_MAX][SHR_REPS];
	struct shr_member *act[SHR_MAX + 1], *v = by_role(s, "victim", 0);
	struct vt_params vp, ap = s->agg_params;
	int n = 1, rep, i;
	size_t j;

	act[0] = v;
	while ((act[n] = by_role(s, "aggressor", n - 1)))
		act[n++]->params = &ap;
	for (rep = 1; rep <= s->repeat && !*s->abort; rep++)
		for (j = 0; j < s->victim_params.sizes.n && !*s->abort; j++) {
			vp = s->victim_params;
			vp.sizes.n = 1;
			vp.sizes.v[0] = s->victim_params.sizes.v[j];
			v->params = &vp;
			run_phase(s, act, 1, "isolation, alone");
			finish_phase(s, act, 1, "isolation", rep);
			pcts(&v->rows[0], alone[j][rep - 1]);
			ap.iters = 0;
			ap.duration_s =
				fmax(v->rows[0].seconds * 3, vp.duration_s) + 2;
			run_phase(s, act, n, "isolation, loaded");
			finish_phase(s, act, n, "isolation", rep);
			pcts(&v->rows[0], loaded[j][rep - 1]);
			nloaded[j][rep - 1] =
				v->rows[0].has_lat ? v->rows[0].lat.n : 0;
		}
	for (j = 0; j < s->victim_params.sizes.n && !*s->abort; j++)
		penalty_row(s, v, j, n - 1, alone[j], loaded[j], nloaded[j]);
	for (i = 0; i < n; i++)
		act[i]->params = NULL;
	return outcome(s);
}
