/* SPDX-License-Identifier: MIT */
/* vfbench drill's events, one after another: traffic started, the phase
 * before, the event, the wait for the target to come back, the phase
 * after; then the host put back as setup left it, and the rows. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drillrun.h"
#include "exitcode.h"
#include "fsroot.h"
#include "log.h"
#include "plan.h"
#include "snapshot.h"

#define POLL_MS 20

static void nap(void)
{
	struct timespec ts = { 0, POLL_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* A wait's condition: whether it holds, and its progress (a count that
 * grows only while what it waits for comes closer). */
struct drl_wait {
	bool (*done)(struct drl *d, const double *a, size_t *progress);
	double a[2];
	const char *what; /* for the progress lines */
	const void *arg;  /* a condition's own */
};

#define PROGRESS_MS 5000 /* a line on stderr this often while waiting */

static void progress_line(struct drl *d, const struct drl_wait *w)
{
	int i;

	fprintf(stderr, "drill: %s:", w->what);
	for (i = 0; i < d->nst; i++)
		fprintf(stderr, " %s %s %zu", d->st[i].dev,
			d->st[i].latency ? "lat" : "bw",
			drl_stream_count(&d->st[i], -INFINITY));
	fprintf(stderr, " intervals\n");
}

/*
 * Wait until W holds. Bounded by progress, never the clock alone:
 * -ETIMEDOUT when W's progress did not grow for STALL_MS (or, LIMIT_MS
 * > 0, when that long passed since SINCE_MS), -EINTR on a signal.
 */
static int wait_for(struct drl *d, const struct drl_wait *w, double stall_ms,
		    double since_ms, double limit_ms)
{
	size_t prog = 0, now_prog = 0;
	double last = drl_now_ms(d), said = last;

	d->wait_arg = w->arg;
	w->done(d, w->a, &prog);
	while (!w->done(d, w->a, &now_prog)) {
		if (*d->abort)
			return -EINTR;
		nap();
		if (now_prog != prog)
			prog = now_prog, last = drl_now_ms(d);
		if (drl_now_ms(d) - said > PROGRESS_MS) {
			progress_line(d, w);
			said = drl_now_ms(d);
		}
		if (drl_now_ms(d) - last > stall_ms)
			return -ETIMEDOUT;
		if (limit_ms > 0 && drl_now_ms(d) - since_ms > limit_ms)
			return -ETIMEDOUT;
	}
	return 0;
}

/* Every stream has A[1] intervals that ended after A[0]; progress: the
 * intervals of those that have not yet. */
static bool each_has(struct drl *d, const double *a, size_t *progress)
{
	bool all = true;
	size_t n;
	int i;

	*progress = 0;
	for (i = 0; i < d->nst; i++) {
		n = drl_stream_count(&d->st[i], a[0]);
		if (n < (size_t)a[1]) {
			all = false;
			*progress += n;
		} else {
			*progress += (size_t)a[1];
		}
	}
	return all;
}

/* The target's streams: each failed and measured again in a new
 * session, or measured AFTER intervals past the event's end without
 * failing (arg: {end_ms, after}). */
static bool target_back(struct drl *d, const double *a, size_t *progress)
{
	int i;

	*progress = 0;
	for (i = 0; i < d->nst; i++) {
		struct drl_stream *s = &d->st[i];
		bool ok;

		if (strcmp(s->role, "target"))
			continue;
		pthread_mutex_lock(&s->mu);
		ok = s->fail.failed ? !isnan(s->fail.ok_ms) : false;
		pthread_mutex_unlock(&s->mu);
		if (!ok && (s->fail.failed ||
			    drl_stream_count(s, a[0]) < (size_t)a[1]))
			return false;
	}
	return true;
}

/* When the target recovered: the latest of its streams' first
 * intervals in a new session; NAN when none failed. */
static double recovered_at(struct drl *d)
{
	double t = NAN;
	int i;

	for (i = 0; i < d->nst; i++) {
		const struct drl_fail *f = &d->st[i].fail;

		if (!strcmp(d->st[i].role, "target") && f->failed &&
		    (isnan(t) || f->ok_ms > t))
			t = f->ok_ms;
	}
	return t;
}

/* Every stream told first, then joined: one in a slow connect does not
 * leave the others running (and failing) meanwhile. The streams that
 * did not stop: their count. */
static int stop_all(struct drl *d)
{
	int i, stuck = 0;

	d->event_on = false; /* failures from here on are the stop's */
	for (i = 0; i < d->nst; i++)
		d->st[i].stop = 1;
	for (i = 0; i < d->nst; i++)
		if (drl_stream_stop(&d->st[i]) && ++stuck)
			vfb_err("drill: the %s %s stream on %s did not stop in "
				"%ld s: blocked in the kernel; no later event "
				"runs",
				d->st[i].role,
				d->st[i].latency ? "latency" : "bandwidth",
				d->st[i].dev, d->st[i].join_ms / 1000);
	return stuck;
}

static int start_all(struct drl *d)
{
	int i, ret;

	for (i = 0; i < d->nst; i++) {
		ret = drl_stream_start(&d->st[i]);
		if (ret) {
			stop_all(d);
			return ret;
		}
	}
	return 0;
}

/* The PF's configuration against what 'setup apply' recorded, as
 * setup's verify says it, into TEXT. Mismatches: their count. */
static int verify(struct drl *d, const struct vfb_fsroot *root, char *text,
		  size_t len)
{
	struct sup_req req = { .pf = d->tgt.pf_bdf,
			       .trust = -1,
			       .link_state = -1,
			       .state_dir = "/run/vfbench" };
	char err[256], *buf = NULL, *nl;
	size_t blen = 0;
	FILE *f;
	int ret;

	if (sup_req_recorded(&req, d->tgt.pf_bdf)) {
		snprintf(text, len,
			 "not checked: no 'setup apply' record for %s",
			 d->tgt.pf_bdf);
		return 0;
	}
	f = open_memstream(&buf, &blen);
	if (!f)
		return 0;
	ret = sup_verify(root, &req, f, err, sizeof(err));
	fclose(f);
	if ((nl = strchr(buf ? buf : "", '\n')))
		*nl = '\0';
	if (ret < 0)
		snprintf(text, len, "not checked: %.100s", err);
	else if (!ret)
		snprintf(text, len, "verified: as setup applied it");
	else
		snprintf(text, len, "%d mismatch%s: %s", ret,
			 ret == 1 ? "" : "es", buf ? buf : "");
	free(buf);
	for (nl = text; (nl = strchr(nl, ','));) /* one CSV field as is */
		*nl = ';';
	return ret > 0 ? ret : 0;
}

/* Undo what the event left, and the settings when the VFs were made
 * again; LEFT says what could not be put back. */
static int put_back(struct drl *d, const struct drl_event *ev,
		    const struct drl_sys *sys, struct drl_undo *u,
		    struct vfb_fsroot *root, struct sup_snap *snap, char *left,
		    size_t len)
{
	char err[256];
	int ret = ev->restore(sys, &d->tgt, u, left, len);

	if (u->reconfigure && snap &&
	    sup_snap_restore(root, snap, err, sizeof(err))) {
		if (!ret)
			snprintf(left, len, "setup's settings: %.200s", err);
		ret = ret ? ret : -EIO;
	}
	if (ret)
		vfb_err("drill %s: not put back: %s", ev->name, left);
	return ret;
}

/* The event, or the repair, in a thread of its own: a write that
 * blocks in the kernel (an unbind waiting for the RDMA device's users)
 * is seen and bounded, and the streams' progress said meanwhile. */
struct drl_perf {
	struct drl *d;
	int (*fn)(struct drl_perf *p);
	const struct drl_event *ev;
	struct drl_undo u;  /* its own until it returns */
	struct drl_sys sys; /* its own copy: it may outlive the caller */
	char outcome[256];
	int ret;
	volatile int done;
	int refs; /* the waiter's and the thread's: the last one frees */
};

static int do_event(struct drl_perf *p)
{
	return p->ev->perform(&p->sys, &p->d->tgt, &p->u, p->outcome,
			      sizeof(p->outcome));
}

static int do_repair(struct drl_perf *p)
{
	return drl_repair(&p->sys, &p->d->tgt, p->outcome, sizeof(p->outcome));
}

static void *perf_main(void *arg)
{
	struct drl_perf *p = arg;

	p->ret = p->fn(p);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	if (!__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL))
		free(p); /* the waiter gave up on it */
	return NULL;
}

static bool performed(struct drl *d, const double *a, size_t *progress)
{
	const struct drl_perf *p = d->wait_arg;

	(void)a;
	*progress = 0;
	return __atomic_load_n(&p->done, __ATOMIC_ACQUIRE);
}

/*
 * FN for EV in a thread, waited for LIMIT_MS at most (WHAT names it in
 * the progress lines). Its return, its undo into U and its outcome into
 * OUTCOME; -ETIMEDOUT or -EINTR when it did not return: the thread is
 * then left to finish or not, and frees its state if it ever returns.
 */
static int bounded(struct drl *d, int (*fn)(struct drl_perf *p),
		   const struct drl_event *ev, const struct drl_sys *sys,
		   double limit_ms, const char *what, struct drl_undo *u,
		   char *outcome, size_t len)
{
	struct drl_perf *p = calloc(1, sizeof(*p));
	struct drl_wait w = { performed, { 0, 0 }, what, NULL };
	pthread_t t;
	long k;
	int ret;

	if (!p)
		return -ENOMEM;
	*p = (struct drl_perf){
		.d = d, .fn = fn, .ev = ev, .sys = *sys, .refs = 2
	};
	w.arg = p;
	if (pthread_create(&t, NULL, perf_main, p)) {
		free(p);
		return -EAGAIN;
	}
	ret = wait_for(d, &w, 1e18, drl_now_ms(d), limit_ms);
	/* a signal cuts a hold short: the event finishes its second half
	 * (the link up again), which restore then needs to know of */
	for (k = 0; ret == -EINTR && k < d->c->timeout * 50 &&
		    !__atomic_load_n(&p->done, __ATOMIC_ACQUIRE);
	     k++)
		nap();
	if (ret && !__atomic_load_n(&p->done, __ATOMIC_ACQUIRE)) {
		pthread_detach(t);
		if (!__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL))
			free(p); /* it returned meanwhile */
		return ret == -EINTR ? -EINTR : -ETIMEDOUT;
	}
	pthread_join(t, NULL);
	if (u)
		*u = p->u;
	snprintf(outcome, len, "%s", p->outcome);
	ret = p->ret;
	free(p);
	return ret;
}

static int perform(struct drl *d, struct drl_ev_run *er, struct drl_undo *u,
		   const struct drl_sys *sys)
{
	/* its hold, and as long again as recovery may take */
	int ret =
		bounded(d, do_event, er->ev, sys,
			(double)d->c->recovery_s * 1e3 + (double)d->c->hold_ms,
			"the event", u, er->outcome, sizeof(er->outcome));

	if (ret == -ETIMEDOUT || ret == -EINTR) {
		snprintf(er->outcome, sizeof(er->outcome),
			 "the event did not return in %ld s: blocked in the "
			 "kernel (%s)",
			 d->c->recovery_s,
			 ret == -EINTR ? "interrupted" : "timed out");
		snprintf(d->wedged, sizeof(d->wedged),
			 "%s is blocked in the kernel", er->ev->name);
		er->blocked = true;
	}
	return ret;
}

/* Traffic before, the event, the wait for the target, traffic after. */
static void drive(struct drl *d, struct drl_ev_run *er, struct drl_undo *u,
		  const struct drl_sys *sys)
{
	const struct drl_cfg *c = d->c;
	double stall =
		(double)(c->timeout * 3000 > 15000 ? c->timeout * 3000 : 15000);
	struct drl_wait w = { each_has,
			      { -INFINITY, (double)c->before },
			      "before the event",
			      NULL };

	er->wait_ret = wait_for(d, &w, stall, 0, 0);
	if (er->wait_ret) {
		snprintf(er->outcome, sizeof(er->outcome),
			 "not performed: %s before it",
			 er->wait_ret == -EINTR ? "interrupted" :
						  "not every stream measured");
		er->perform_ret = -ECANCELED;
		return;
	}
	er->tm.start_ms = drl_now_ms(d);
	d->event_on = true;
	er->perform_ret = perform(d, er, u, sys);
	er->tm.end_ms = drl_now_ms(d);
	/* an instant event's neighbours: judged over as many intervals */
	er->tm.min_during_ms = (double)(c->before * c->interval_ms);
	if (er->perform_ret)
		return;
	w = (struct drl_wait){ target_back,
			       { er->tm.end_ms, (double)c->after },
			       "waiting for the target",
			       NULL };
	er->wait_ret = wait_for(d, &w, 1e18, er->tm.start_ms,
				(double)c->recovery_s * 1e3);
	er->tm.recovered_ms = recovered_at(d);
	if (er->wait_ret)
		return;
	w = (struct drl_wait){ each_has,
			       { drl_phase_end(&er->tm), (double)c->after },
			       "after",
			       NULL };
	wait_for(d, &w, stall, 0, 0); /* what it has, at worst */
}

/* Every target stream that failed measured again. */
static bool target_came_back(struct drl *d)
{
	int i;

	for (i = 0; i < d->nst; i++)
		if (!strcmp(d->st[i].role, "target") && d->st[i].fail.failed &&
		    isnan(d->st[i].fail.ok_ms))
			return false;
	return true;
}

/* A target that did not come back by itself: its driver rebound, so
 * that the host is left as setup left it; the rows say so. A repair
 * that blocks in the kernel is bounded as the event is: nothing after
 * it runs (d->wedged says why). */
void drl_run_repair(struct drl *d, const struct drl_sys *sys,
		    struct drl_ev_run *er)
{
	char out[160] = "";
	int ret = bounded(d, do_repair, er->ev, sys,
			  (double)d->c->recovery_s * 1e3, "the repair", NULL,
			  out, sizeof(out));

	if (ret == -ETIMEDOUT || ret == -EINTR) {
		snprintf(er->repair, sizeof(er->repair),
			 "repair blocked: the rebind of %s did not return in "
			 "%ld s (%s)",
			 d->tgt.vf_bdf, d->c->recovery_s,
			 ret == -EINTR ? "interrupted" : "in the kernel");
		snprintf(d->wedged, sizeof(d->wedged),
			 "%s's repair is blocked in the kernel", er->ev->name);
		er->blocked = true;
	} else {
		snprintf(er->repair, sizeof(er->repair), "%s: %.120s",
			 ret ? "repair failed" : "repaired", out);
	}
	fprintf(stderr, "drill %s: the target did not come back; %s\n",
		er->ev->name, er->repair);
}

static int run_event(struct drl *d, const struct drl_event *ev,
		     struct vfb_fsroot *root)
{
	struct drl_ev_run er = { .ev = ev, .tm = { NAN, NAN, NAN, 0 } };
	struct sup_req req = { .pf = d->tgt.pf_bdf,
			       .state_dir = "/run/vfbench" };
	struct drl_undo u = { 0 };
	struct drl_sys sys;
	struct sup_snap *snap;
	char err[256];
	int ret;

	drl_sys_live(&sys, root, d->abort);
	d->event_on = false;
	snap = sup_snap_take(root, &req, err, sizeof(err));
	if (!snap) {
		vfb_err("drill %s: no snapshot of %s: %s", ev->name,
			d->tgt.pf_bdf, err);
		return VFB_EXIT_ENV;
	}
	fprintf(stderr, "drill %s: traffic on %d streams ...\n", ev->name,
		d->nst);
	ret = *d->wedged ? -ECANCELED : start_all(d);
	if (!ret) {
		drive(d, &er, &u, &sys);
	} else {
		er.perform_ret = ret;
		snprintf(er.outcome, sizeof(er.outcome), "not performed: %s",
			 ret == -ECANCELED ? d->wedged :
			 ret == -EBUSY	   ? "a stream of an earlier event is "
					     "stuck in the kernel" :
					     strerror(-ret));
	}
	if (stop_all(d)) {
		size_t k = strlen(er.outcome);

		snprintf(er.outcome + k, sizeof(er.outcome) - k,
			 "%sa stream did not stop (blocked in the kernel)",
			 k ? "; " : "");
		ret = ret ? ret : -EBUSY;
	}
	d->event_on = false;
	if (!er.perform_ret && !*d->abort && !target_came_back(d))
		drl_run_repair(d, &sys, &er);
	if (er.blocked) {
		snprintf(er.left, sizeof(er.left),
			 "%s is still blocked in the kernel: what it changed "
			 "is not known and not put back",
			 *er.repair ? "its repair" : "the event");
		er.restore_ret = -EBUSY;
	} else if (er.perform_ret != -ECANCELED) {
		er.restore_ret = put_back(d, ev, &sys, &u, root, snap, er.left,
					  sizeof(er.left));
	}
	sup_snap_free(snap);
	er.mismatches = verify(d, root, er.config, sizeof(er.config));
	drl_rows(d, &er);
	fprintf(stderr, "drill %s: %s\n", ev->name, er.outcome);
	if (ret || er.restore_ret)
		return VFB_EXIT_ENV;
	return VFB_EXIT_OK;
}

int drl_events_run(struct drl *d, struct vfb_fsroot *root)
{
	int i, ret = 0, r;

	for (i = 0; i < d->nev && !*d->abort; i++) {
		r = run_event(d, d->ev[i], root);
		ret = r > ret ? r : ret;
	}
	return ret;
}
