/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "compare.h"

/* The active side's measurement: each size run in batches (latency until
 * stable), its row filled from what the engine and the peer said. */

#define EXACT_SAMPLES_MAX 10000000ULL /* beyond: histogram */

static void lat_to_us(struct vfb_lat_stats *st)
{
	st->min /= 1e3, st->max /= 1e3, st->mean /= 1e3, st->stdev /= 1e3;
	st->p50 /= 1e3, st->p99 /= 1e3, st->p999 /= 1e3, st->p9999 /= 1e3;
}

static void fill_bw(const struct client *c, const struct vt_run *run,
		    struct vfb_result *row)
{
	double secs = vt_clock_ns(c->clk, run->t_end - run->t_start) / 1e9;

	row->iters = run->iters;
	row->seconds = secs;
	row->has_bw = true;
	if (secs > 0) {
		row->bw_avg_gbps =
			(double)run->iters * (double)run->size * 8 / secs / 1e9;
		row->msg_rate_mpps = (double)run->iters / secs / 1e6;
		row->bw_avg_mbps = row->bw_avg_gbps * 1e3 / 8;
	}
	row->bw_peak_gbps = run->peak_bps * 8 / 1e9;
	if (row->bw_peak_gbps < row->bw_avg_gbps)
		row->bw_peak_gbps = row->bw_avg_gbps;
	if (run->back_ns > 0 && run->back_iters >= 0) { /* -b */
		row->bw_back_gbps = (double)run->back_iters *
				    (double)run->size * 8 /
				    (double)run->back_ns;
		row->bw_sum_gbps = row->bw_avg_gbps + row->bw_back_gbps;
	}
}

static int alloc_samples(const struct client *c, const struct vt_params *bp,
			 struct vt_run *run)
{
	if (c->ops->latency && bp->iters && bp->iters <= EXACT_SAMPLES_MAX) {
		run->samples = calloc(bp->iters, sizeof(double));
		return run->samples ? 0 : -ENOMEM;
	}
	run->hist = malloc(sizeof(*run->hist));
	if (!run->hist)
		return -ENOMEM;
	vfb_hist_init(run->hist);
	return 0;
}

static int finish_size(struct client *c, struct vt_run *run, uint64_t sent)
{
	json_object *m;
	int64_t recvd, bad;
	int ret;

	ret = vt_client_send(c, vt_msg_new("stop", "sent", (int64_t)sent));
	if (ret || (ret = vt_client_expect(c, "done", &m)))
		return ret;
	recvd = vt_msg_int(m, "received");
	bad = vt_msg_int(m, "verify_errors");
	json_object_put(m);
	if (bad > 0 || run->verify_errors)
		return vt_client_fail(
			c, -EILSEQ,
			"%s: %lld payloads failed verification "
			"(%llu here, %lld at the peer)",
			c->res.dev,
			(long long)(bad + (int64_t)run->verify_errors),
			(unsigned long long)run->verify_errors, (long long)bad);
	if (c->ops->two_sided && !c->ops->latency && recvd != (int64_t)sent)
		return vt_client_fail(c, -EIO,
				      "peer %s received %lld of %llu messages",
				      c->ctrl.peer, (long long)recvd,
				      (unsigned long long)sent);
	return 0;
}

/*
 * -b: our stream is done; the server's may not be. Take its messages (a
 * two-sided test) and keep the heartbeat going until it says tx_done,
 * then until every message it sent has arrived.
 */
static int wait_back(struct client *c, struct vt_run *run)
{
	uint64_t since = 0, now;
	json_object *m;
	int64_t sent;
	int ret;

	for (;;) {
		if (run->rx_too && (ret = vt_rx_service(run)))
			return vt_client_fail(c, ret, "%s", run->err);
		if (vt_ctrl_pending(&c->ctrl) > 0) {
			ret = vt_ctrl_recv(&c->ctrl, &m, -1);
			if (ret)
				return vt_client_fail(
					c, ret,
					"peer %s: %s while waiting for "
					"'tx_done'",
					c->ctrl.peer, strerror(-ret));
			if (!strcmp(vt_msg_type(m), "tx_done"))
				break;
			if (strcmp(vt_msg_type(m), "hb")) {
				ret = vt_client_fail(c, -EPROTO,
						     "peer %s: '%s' instead of "
						     "'tx_done'",
						     c->ctrl.peer,
						     vt_msg_type(m));
				json_object_put(m);
				return ret;
			}
			json_object_put(m);
			since = 0; /* it is alive: its stream goes on */
		}
		now = vt_clock_now(c->clk);
		ret = vt_heartbeat(run, now);
		if (!ret)
			ret = vt_spin_check(run, &since);
		if (ret)
			return vt_client_fail(c, ret, "%s", run->err);
	}
	sent = vt_msg_int(m, "sent");
	run->back_iters = vt_msg_int(m, "iters");
	run->back_ns = vt_msg_int(m, "ns");
	json_object_put(m);
	since = 0;
	while (run->rx_too && sent > 0 && (int64_t)run->received < sent) {
		if ((ret = vt_rx_service(run)) ||
		    (ret = vt_spin_check(run, &since)))
			return vt_client_fail(
				c, ret,
				"%s: %llu of the peer's %lld messages "
				"arrived: %s",
				c->res.dev, (unsigned long long)run->received,
				(long long)sent, run->err);
	}
	return 0;
}

/* -q: a run for each other QP, driven along with RUN. */
static int sibling_runs(struct client *c, struct vt_run *run)
{
	unsigned int i;

	if (!c->nx)
		return 0;
	run->sib = calloc(c->nx, sizeof(*run->sib));
	if (!run->sib)
		return vt_client_fail(c, -ENOMEM, "out of memory");
	run->nsib = c->nx;
	for (i = 0; i < c->nx; i++) {
		run->sib[i] = (struct vt_run){
			.res = &c->xres[i],
			.remote = c->xremote[i],
			.p = run->p,
			.clk = c->clk,
			.size = run->size,
			.timeout_ms = run->timeout_ms,
			.abort = run->abort,
		};
		memset(vt_res_recv_buf(&c->xres[i]), 0, run->size);
	}
	return 0;
}

/* One size cycle with the server: size -> ready, measure, stop -> done. */
static int run_batch(struct client *c, const struct vt_params *bp,
		     uint64_t size, struct vt_run *run)
{
	uint64_t base = vt_res_sq_posted(&c->res, c->xres, c->nx);
	json_object *m;
	int ret;

	*run = (struct vt_run){
		.res = &c->res,
		.remote = c->remote,
		.p = bp,
		.clk = c->clk,
		.size = size,
		.timeout_ms = c->cfg->timeout_ms,
		.abort = c->cfg->abort,
		.peer_ctrl = &c->ctrl,
		.rx_too = vt_test_bidir(c->ops, bp) && c->ops->two_sided,
	};
	/* cleared before the peer may write into it (-b: at once) */
	memset(vt_res_recv_buf(&c->res), 0, size);
	if ((ret = sibling_runs(c, run)))
		return ret;
	ret = vt_client_send(c, vt_msg_new("size", "size", (int64_t)size));
	if (ret || (ret = vt_client_expect(c, "ready", &m)))
		return ret;
	json_object_put(m);
	ret = alloc_samples(c, bp, run);
	if (ret)
		return vt_client_fail(c, ret, "out of memory for %llu samples",
				      (unsigned long long)bp->iters);
	if (c->cfg->start_fn && (ret = c->cfg->start_fn(c->arg)))
		return vt_client_fail(c, ret, "start barrier: %s",
				      strerror(-ret));
	ret = c->ops->client(run);
	if (ret)
		return vt_client_fail(c, ret, "%s", run->err);
	if (vt_test_bidir(c->ops, bp) && (ret = wait_back(c, run)))
		return ret;
	return finish_size(c, run,
			   vt_res_sq_posted(&c->res, c->xres, c->nx) - base);
}

static void free_run(struct vt_run *run)
{
	free(run->samples);
	free(run->hist);
	free(run->sib);
	run->samples = NULL;
	run->hist = NULL;
	run->sib = NULL;
	run->nsib = 0;
}

/* What the device was asked to do, so a reader can compare settings. */
static void fill_asked(const struct client *c, const struct vt_run *run,
		       struct vfb_result *row)
{
	row->signaled_every = run->sig_every;
	row->inline_data = run->inlined;
	row->inline_size = (int)c->res.max_inline;
	row->grh = c->res.grh;
	if (run->posted_any)
		snprintf(row->opcode, sizeof(row->opcode), "%s",
			 vt_opcode_name(run->opcode));
	if (c->ops->latency)
		snprintf(row->lat_basis, sizeof(row->lat_basis), "%s",
			 c->ops->round_trip ? "rtt" : "half_rtt");
	else
		row->post_list = c->p->post_list, row->qps = c->nx + 1;
	row->events = c->p->events;
	row->tclass = c->res.av_tclass;
	row->sl = c->res.av_sl;
	row->flow_label = c->res.av_flow_label;
	snprintf(row->verify, sizeof(row->verify), "%s",
		 c->p->verify ? c->ops->verify_method : "off");
}

/* Latency samples gathered over batches, for --until-stable. */
struct lat_acc {
	double *v;
	size_t n;
	double secs;
};

static int acc_add(struct lat_acc *a, const struct client *c,
		   const struct vt_run *run)
{
	double *grown = realloc(a->v, (a->n + run->iters) * sizeof(double));

	if (!grown)
		return -ENOMEM;
	a->v = grown;
	memcpy(a->v + a->n, run->samples, run->iters * sizeof(double));
	a->n += run->iters;
	a->secs += vt_clock_ns(c->clk, run->t_end - run->t_start) / 1e9;
	return 0;
}

/* The exact statistics of every sample gathered so far. */
static int acc_stats(const struct lat_acc *a, struct vfb_result *row)
{
	double *sorted = malloc(a->n * sizeof(double));

	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, a->v, a->n * sizeof(double));
	vfb_lat_stats_exact(sorted, a->n, &row->lat);
	free(sorted);
	/* autocorrelation-aware: consecutive samples are not independent */
	row->ci_rel = vfb_median_ci_rel_series(a->v, a->n);
	row->iters = a->n;
	row->seconds = a->secs;
	return 0;
}

/* Whether the samples so far end the size (--until-stable: ROW says
 * why, "stable" or "cap"; without it, one batch does). */
static bool acc_settled(const struct client *c, const struct lat_acc *a,
			uint64_t t0, struct vfb_result *row)
{
	if (c->cfg->stable_rel <= 0)
		return true;
	if (row->ci_rel <= c->cfg->stable_rel) {
		snprintf(row->stability, sizeof(row->stability), "stable");
		return true;
	}
	if (a->n >= c->cfg->stable_max_iters ||
	    vt_clock_ns(c->clk, vt_clock_now(c->clk) - t0) >=
		    c->cfg->stable_max_s * 1e9) {
		snprintf(row->stability, sizeof(row->stability), "cap");
		return true;
	}
	return false;
}

/*
 * Latency until the 95% confidence interval of the median is within
 * cfg->stable_rel of it, doubling the samples, or until the caps.
 */
static int run_lat(struct client *c, uint64_t size, struct vfb_result *row)
{
	struct vt_params bp = *c->p;
	struct lat_acc a = { 0 };
	struct vt_run run;
	uint64_t t0 = vt_clock_now(c->clk);
	int ret;

	for (;;) {
		ret = run_batch(c, &bp, size, &run);
		if (!ret && run.hist) { /* duration mode or huge -n */
			vfb_hist_stats(run.hist, &row->lat);
			row->iters = run.iters;
			row->seconds =
				vt_clock_ns(c->clk, run.t_end - run.t_start) /
				1e9;
		} else if (!ret) {
			ret = acc_add(&a, c, &run);
		}
		if (!ret)
			fill_asked(c, &run, row);
		free_run(&run);
		if (ret || !a.v || (ret = acc_stats(&a, row)) ||
		    acc_settled(c, &a, t0, row))
			break;
		bp.warmup = 0;
		bp.iters = a.n < c->cfg->stable_max_iters - a.n ?
				   a.n :
				   c->cfg->stable_max_iters - a.n;
	}
	if (!ret && a.v && c->cfg->samples_fn) {
		for (size_t k = 0; k < a.n; k++)
			a.v[k] /= 1e3;
		c->cfg->samples_fn(c->arg, row, a.v, a.n);
	}
	free(a.v);
	if (!ret && !row->lat.n) /* -D too short for one round trip */
		return vt_client_fail(c, -ETIMEDOUT,
				      "no round trip completed in %.3g s (-D)",
				      c->p->duration_s);
	if (!ret) {
		row->has_lat = true;
		lat_to_us(&row->lat);
	}
	return ret;
}

static int run_size(struct client *c, uint64_t size, struct vfb_result *row)
{
	struct vt_run run;
	int ret;

	if (c->ops->latency)
		return run_lat(c, size, row);
	ret = run_batch(c, c->p, size, &run);
	if (!ret) {
		fill_bw(c, &run, row);
		fill_asked(c, &run, row);
	}
	free_run(&run);
	return ret;
}

static void row_init(const struct client *c, uint64_t size,
		     struct vfb_result *row)
{
	vfb_result_init(row);
	snprintf(row->stability, sizeof(row->stability), "fixed");
	row->gid_index = c->res.ctx ? c->res.gid_index : -1;
	snprintf(row->device, sizeof(row->device), "%s", c->cfg->dev);
	snprintf(row->test, sizeof(row->test), "%s", c->p->test);
	row->msg_bytes = size;
}

static void error_row(struct vfb_result *row, const char *why)
{
	row->status = VFB_STATUS_ERROR;
	snprintf(row->error, sizeof(row->error), "%s", why);
}

int vt_client_run(const struct vt_client_cfg *cfg, const struct vt_params *p,
		  const struct vt_clock *clk, vt_row_fn row_fn, void *arg,
		  char *err, size_t errlen)
{
	struct client c = {
		.cfg = cfg, .clk = clk, .err = err, .errlen = errlen, .arg = arg
	};
	struct vt_params tp = *p;
	struct vfb_result row;
	size_t i = 0;
	int ret;

	c.ops = vt_test_find(p->test);
	if (!c.ops)
		return vt_client_fail(&c, -EINVAL, "unknown test '%s'",
				      p->test);
	vt_test_sizes(c.ops, &p->sizes, &tp.sizes); /* atomics: 8 B only */
	tp.grh = cfg->gid_index >= 0; /* -x: a GRH on InfiniBand too */
	c.p = p = &tp;
	/* what the buffers pin, before any device is touched */
	c.ctrl.fd = -1; /* not connected yet */
	ret = vt_pin_check(vfb_sizes_max(&p->sizes),
			   1 + vt_test_extra_qps(c.ops, p), c.err, c.errlen);
	if (ret)
		goto rows;
	ret = vt_ctrl_connect(&c.ctrl, cfg->host, cfg->svc, cfg->timeout_ms);
	if (ret == -ETIMEDOUT)
		ret = -EHOSTUNREACH; /* nobody answered: the peer is unreachable */
	if (ret) {
		vt_client_fail(&c, ret, "peer %s:%s: %s", cfg->host, cfg->svc,
			       strerror(-ret));
		goto rows;
	}
	ret = vt_client_handshake(&c);
	for (; !ret && i < p->sizes.n; i++) {
		row_init(&c, p->sizes.v[i], &row);
		ret = run_size(&c, p->sizes.v[i], &row);
		if (ret)
			break;
		row_fn(arg, &row);
	}
	if (!ret)
		vt_client_send(&c, vt_msg_new("bye", NULL, 0));
rows:
	/* The failing size and those not reached become error rows. */
	for (; ret && i < p->sizes.n; i++) {
		row_init(&c, p->sizes.v[i], &row);
		error_row(&row, err);
		row_fn(arg, &row);
	}
	while (c.nx)
		vt_res_close(&c.xres[--c.nx]);
	free(c.xres);
	free(c.xremote);
	vt_res_close(&c.res);
	vt_cm_close(&c.cm);
	if (c.ctrl.fd >= 0)
		vt_ctrl_close(&c.ctrl);
	return ret;
}
