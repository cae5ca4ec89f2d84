/* SPDX-License-Identifier: MIT */
/* The drill's traffic: each stream a thread running sessions of
 * intervals (one "size" an interval) one after another, a new session
 * whenever one ends or fails, the target's device found again by its
 * PCI function when it was re-created. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "drillrun.h"
#include "fsroot.h"
#include "log.h"
#include "test.h"

double drl_now_ms(const struct drl *d)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((double)t.tv_sec + (double)t.tv_nsec * 1e-9 - d->t0) * 1e3;
}

struct find {
	const struct vfb_fsroot *root;
	const char *bdf;
	char *dev;
	size_t len;
};

static int find_one(const char *name, void *arg)
{
	struct find *f = arg;
	struct host_devclass dc;

	if (host_classify(f->root, name, &dc) || strcmp(dc.pci, f->bdf))
		return 0;
	snprintf(f->dev, f->len, "%s", name);
	return 1;
}

int drl_find_dev(const struct vfb_fsroot *root, const char *bdf, char *dev,
		 size_t len)
{
	struct find f = { root, bdf, dev, len };

	dev[0] = '\0';
	return vfb_fs_list(root, "/sys/class/infiniband", find_one, &f) == 1 ?
		       0 :
		       -ENODEV;
}

/* R appended to S's rows (S's lock held); dropped when out of memory. */
static void take_row(struct drl_stream *s, const struct vfb_result *r)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct vfb_result *p = realloc(s->rows, cap * sizeof(*p));

		if (!p)
			return;
		s->rows = p, s->cap = cap;
	}
	s->rows[s->n] = *r;
	if (s->fail.failed && s->session > s->fail_session &&
	    isnan(s->fail.ok_ms))
		s->fail.ok_ms = r->t_ms;
	s->n++;
}

/* A row of the stream's thread, its counters read before the lock is
 * taken: a sysfs read of a function in reset may block in the kernel,
 * and a lock held over it would stop the drill's main thread (its
 * waits and the stop read the rows under that lock). */
void drl_stream_row(void *arg, const struct vfb_result *row)
{
	struct drl_stream *s = arg;
	const struct vt_test_ops *ops = vt_test_find(row->test);
	struct host_counters now;
	struct vfb_result one, *r = &one;

	if (row->status != VFB_STATUS_OK)
		return; /* the session's error is its failure, said once */
	*r = *row;
	r->t_ms = drl_now_ms(s->d);
	r->rep = s->session;
	snprintf(r->provider, sizeof(r->provider), "%s", s->dc.provider);
	snprintf(r->device, sizeof(r->device), "%s", s->dev);
	snprintf(r->netdev, sizeof(r->netdev), "%s", s->dc.netdev);
	snprintf(r->pci, sizeof(r->pci), "%s", s->dc.pci);
	snprintf(r->peer, sizeof(r->peer), "%s", s->peer);
	snprintf(r->path, sizeof(r->path), "%s", s->dc.path->name);
	if (s->root) {
		(s->counters ? s->counters : host_counters_read)(
			s->root, s->dc.netdev, s->dev, 1, &now);
		host_counters_delta(&s->before, &now, r);
		s->before = now;
		host_counters_check(r, ops ? vt_test_crossings(ops) : 1);
	}
	pthread_mutex_lock(&s->mu);
	if (!s->stuck) /* given up on: its rows are written already */
		take_row(s, r);
	pthread_mutex_unlock(&s->mu);
}

static void nap(unsigned int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

static void note_fail(struct drl_stream *s, int ret, const char *err)
{
	pthread_mutex_lock(&s->mu);
	if (s->d->event_on && !s->fail.failed) {
		s->fail.failed = true;
		s->fail.fail_ms = drl_now_ms(s->d);
		s->fail.err = ret;
		snprintf(s->fail.text, sizeof(s->fail.text), "%s", err);
		/* one field in results.csv for the lab's plain awk */
		for (char *p = s->fail.text; (p = strchr(p, ','));)
			*p = ';';
		s->fail_session = s->session;
		s->fail_ifindex = s->ifindex;
	}
	pthread_mutex_unlock(&s->mu);
}

static long ifindex_of(const struct drl_stream *s, const char *netdev)
{
	char path[96];
	long v = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", netdev);
	if (!netdev[0] || vfb_fs_read_long(s->root, path, &v))
		return -1;
	return v;
}

/*
 * The target's device, found again by its VF after it was re-created.
 * After a failure in the event the same instance (its netdev's ifindex
 * unchanged) is left alone for --timeout: reopening it keeps a device
 * that is being removed in use (rxe's removal waits for its users, and
 * an unbind with it), so a new session waits for the new one, or for
 * the old one to have stayed.
 */
static bool locate(struct drl_stream *s)
{
	char dev[64];
	struct host_devclass dc;
	bool recovering;

	if (!s->bdf[0])
		return true;
	if (drl_find_dev(s->root, s->bdf, dev, sizeof(dev))) {
		pthread_mutex_lock(&s->mu);
		if (s->fail.failed)
			s->fail.device_gone = true;
		pthread_mutex_unlock(&s->mu);
		return false;
	}
	/* again each time: its netdev may have been re-created too */
	if (host_classify(s->root, dev, &dc))
		return false;
	pthread_mutex_lock(&s->mu);
	recovering = s->fail.failed && isnan(s->fail.ok_ms) &&
		     drl_now_ms(s->d) - s->fail.fail_ms <
			     (double)s->d->client.timeout_ms;
	pthread_mutex_unlock(&s->mu);
	if (recovering && ifindex_of(s, dc.netdev) == s->fail_ifindex)
		return false;
	snprintf(s->dev, sizeof(s->dev), "%s", dev);
	s->dc = dc;
	return true;
}

static void *stream_main(void *arg)
{
	struct drl_stream *s = arg;
	struct vt_client_cfg cfg = s->d->client;
	char err[256];
	int ret;

	cfg.host = s->host;
	cfg.svc = s->svc;
	cfg.abort = &s->stop;
	while (!s->stop) {
		if (!locate(s)) {
			nap(50);
			continue;
		}
		cfg.dev = s->dev;
		s->session++;
		s->ifindex = ifindex_of(s, s->dc.netdev);
		host_counters_read(s->root, s->dc.netdev, s->dev, 1,
				   &s->before);
		err[0] = '\0';
		ret = vt_client_run(&cfg, s->params, &s->d->clk, drl_stream_row,
				    s, err, sizeof(err));
		if (ret && !s->stop) {
			note_fail(s, ret, err);
			vfb_dbg("drill: %s: %s", s->dev, err);
			nap(50);
		}
	}
	return NULL;
}

int drl_stream_start(struct drl_stream *s)
{
	if (s->stuck)
		return -EBUSY;
	s->stop = 0;
	s->n = 0;
	s->session = s->fail_session = 0;
	s->fail = (struct drl_fail){ .ok_ms = NAN, .fail_ms = NAN };
	s->root = vfb_fsroot_open("/");
	if (!s->root)
		return -ENOMEM;
	if (pthread_create(&s->thread, NULL, s->main ? s->main : stream_main,
			   s)) {
		vfb_fsroot_close(s->root);
		s->root = NULL;
		return -EAGAIN;
	}
	s->running = true;
	return 0;
}

int drl_stream_stop(struct drl_stream *s)
{
	struct timespec until;

	if (!s->running)
		return 0;
	s->stop = 1;
	s->running = false;
	until = vfb_deadline_ms(s->join_ms);
	if (pthread_timedjoin_np(s->thread, NULL, &until) == ETIMEDOUT) {
		pthread_mutex_lock(&s->mu);
		s->stuck = true;
		pthread_mutex_unlock(&s->mu);
		pthread_detach(s->thread);
		return -ETIMEDOUT;
	}
	vfb_fsroot_close(s->root);
	s->root = NULL;
	return 0;
}

size_t drl_stream_count(struct drl_stream *s, double t_ms)
{
	size_t i, k = 0;

	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->n; i++)
		k += s->rows[i].t_ms > t_ms;
	pthread_mutex_unlock(&s->mu);
	return k;
}
