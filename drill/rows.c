/* SPDX-License-Identifier: MIT */
/* vfbench drill's rows: each interval of each stream with its phase,
 * and a summary a stream (the target's stop and recovery, a neighbour's
 * penalty and verdict). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drillrun.h"
#include "exitcode.h"
#include "log.h"

static void emit(struct drl *d, const struct vfb_result *r)
{
	if (host_rundir_row(&d->rd, r))
		vfb_warn("%s/results.csv: %s", d->rd.dir, strerror(errno));
}

static double value_of(const struct drl_stream *s, const struct vfb_result *r)
{
	return s->latency ? r->lat.p50 : r->bw_avg_gbps;
}

static void label(const struct drl_stream *s, const struct drl_ev_run *er,
		  struct vfb_result *r)
{
	snprintf(r->scenario, sizeof(r->scenario), "drill");
	snprintf(r->run_id, sizeof(r->run_id), "%s", s->d->rd.run_id);
	snprintf(r->host, sizeof(r->host), "%s", s->d->rd.host);
	snprintf(r->event, sizeof(r->event), "%s", er->ev->name);
	snprintf(r->role, sizeof(r->role), "%s", s->role);
}

/* The stream's figures of phase P into OUT (N at most): their count. */
static size_t phase_values(const struct drl_stream *s,
			   const struct drl_ev_run *er, enum drl_phase p,
			   double *out)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++)
		if (drl_phase_of(&er->tm, s->rows[i].t_ms) == p)
			out[k++] = value_of(s, &s->rows[i]);
	return k;
}

static void intervals(struct drl *d, struct drl_stream *s,
		      const struct drl_ev_run *er)
{
	struct vfb_result r;
	size_t i;

	for (i = 0; i < s->n; i++) {
		r = s->rows[i];
		label(s, er, &r);
		snprintf(r.phase, sizeof(r.phase), "%s",
			 drl_phase_name(drl_phase_of(&er->tm, r.t_ms)));
		r.event_ms = er->tm.start_ms;
		emit(d, &r);
	}
}

/* The summary's base: what the stream is, its first row's identity. */
static void summary_base(const struct drl_stream *s,
			 const struct drl_ev_run *er, struct vfb_result *r)
{
	vfb_result_init(r);
	snprintf(r->test, sizeof(r->test), "%s", s->params->test);
	r->msg_bytes = s->params->sizes.v[0];
	snprintf(r->device, sizeof(r->device), "%s", s->dev);
	snprintf(r->provider, sizeof(r->provider), "%s", s->dc.provider);
	snprintf(r->netdev, sizeof(r->netdev), "%s", s->dc.netdev);
	snprintf(r->pci, sizeof(r->pci), "%s", s->dc.pci);
	snprintf(r->path, sizeof(r->path), "%s", s->dc.path->name);
	snprintf(r->peer, sizeof(r->peer), "%s", s->peer);
	snprintf(r->run_id, sizeof(r->run_id), "%s", s->d->rd.run_id);
	snprintf(r->host, sizeof(r->host), "%s", s->d->rd.host);
	label(s, er, r);
	snprintf(r->phase, sizeof(r->phase), "summary");
	r->event_ms = er->tm.start_ms;
	snprintf(r->evidence, sizeof(r->evidence), "%.250s", er->outcome);
	r->status = VFB_STATUS_OK;
}

static void fail_row(struct vfb_result *r, const char *why, const char *what)
{
	r->status = VFB_STATUS_ERROR;
	snprintf(r->verdict, sizeof(r->verdict), "fail");
	snprintf(r->error, sizeof(r->error), "%.96s%s%.150s", why,
		 what[0] ? ": " : "", what);
}

/* The first interval after recovery: its counters prove the path. */
static void proof_after(const struct drl_stream *s, const struct drl_ev_run *er,
			struct vfb_result *r)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (drl_phase_of(&er->tm, s->rows[i].t_ms) == DRL_AFTER) {
			const struct vfb_result *a = &s->rows[i];

			snprintf(r->proof, sizeof(r->proof), "%s", a->proof);
			memcpy(r->rdma_counters, a->rdma_counters,
			       sizeof(r->rdma_counters));
			r->nd_tx_bytes = a->nd_tx_bytes;
			r->nd_rx_bytes = a->nd_rx_bytes;
			r->nd_tx_packets = a->nd_tx_packets;
			r->nd_rx_packets = a->nd_rx_packets;
			snprintf(r->device, sizeof(r->device), "%s", a->device);
			snprintf(r->netdev, sizeof(r->netdev), "%s", a->netdev);
			return;
		}
	snprintf(r->proof, sizeof(r->proof), "not made: no interval after");
}

static void target_summary(struct drl *d, const struct drl_stream *s,
			   const struct drl_ev_run *er)
{
	const struct drl_fail *f = &s->fail;
	struct vfb_result r;

	summary_base(s, er, &r);
	snprintf(r.qp_end, sizeof(r.qp_end), "%s", drl_qp_end(f));
	snprintf(r.config, sizeof(r.config), "%s", er->config);
	if (f->failed)
		r.stop_ms = f->fail_ms - er->tm.start_ms;
	if (er->perform_ret == -EOPNOTSUPP) {
		snprintf(r.verdict, sizeof(r.verdict), "skip");
		snprintf(r.qp_end, sizeof(r.qp_end), "-");
	} else if (er->perform_ret) {
		const char *o = er->outcome, *pre = "not performed: ";

		fail_row(&r, "not performed",
			 strncmp(o, pre, strlen(pre)) ? o : o + strlen(pre));
	} else if (f->failed && isnan(f->ok_ms)) {
		fail_row(&r,
			 f->device_gone ?
				 "did not come back (its device missing)" :
				 "did not come back (sessions failing)",
			 f->text);
		snprintf(r.expected, sizeof(r.expected), "%s", er->repair);
	} else if (!f->failed && er->wait_ret) {
		fail_row(&r,
			 er->wait_ret == -EINTR ?
				 "interrupted" :
				 "hang: no interval after the event",
			 "");
	} else {
		r.recovery_ms = f->failed ? f->ok_ms - er->tm.start_ms : 0;
		snprintf(r.verdict, sizeof(r.verdict), "%s",
			 er->mismatches ? "fail" : "pass");
		proof_after(s, er, &r);
	}
	if (f->failed)
		snprintf(r.observed, sizeof(r.observed), "%.150s", f->text);
	if (er->restore_ret)
		fail_row(&r, "not put back", er->left);
	if (r.status == VFB_STATUS_ERROR || !strcmp(r.verdict, "fail"))
		d->worst = d->worst > 1 ? d->worst : 1;
	emit(d, &r);
}

static void neighbour_summary(struct drl *d, const struct drl_stream *s,
			      const struct drl_ev_run *er)
{
	double *b = calloc(s->n + 1, sizeof(*b)),
	       *g = calloc(s->n + 1, sizeof(*g));
	const char *verdict = "skip";
	struct vfb_result r;
	size_t nb, ng;

	summary_base(s, er, &r);
	if (b && g && !er->perform_ret) {
		nb = phase_values(s, er, DRL_BEFORE, b);
		ng = phase_values(s, er, DRL_DURING, g);
		drl_penalty(b, nb, g, ng, s->latency, d->c->limit, &r.penalty,
			    &verdict, r.observed, sizeof(r.observed));
	}
	snprintf(r.verdict, sizeof(r.verdict), "%s", verdict);
	if (s->fail.failed) {
		snprintf(r.qp_end, sizeof(r.qp_end), "%s",
			 drl_qp_end(&s->fail));
		r.stop_ms = s->fail.fail_ms - er->tm.start_ms;
		if (!isnan(s->fail.ok_ms))
			r.recovery_ms = s->fail.ok_ms - er->tm.start_ms;
		snprintf(r.verdict, sizeof(r.verdict), "fail");
		snprintf(r.observed, sizeof(r.observed),
			 "its traffic stopped too: %.120s", s->fail.text);
	}
	if (!strcmp(r.verdict, "fail"))
		d->worst = d->worst > 1 ? d->worst : 1;
	emit(d, &r);
	free(b);
	free(g);
}

void drl_rows(struct drl *d, const struct drl_ev_run *er)
{
	int i;

	for (i = 0; i < d->nst; i++)
		intervals(d, &d->st[i], er);
	for (i = 0; i < d->nst; i++) {
		if (!strcmp(d->st[i].role, "target"))
			target_summary(d, &d->st[i], er);
		else
			neighbour_summary(d, &d->st[i], er);
	}
}
