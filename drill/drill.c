/* SPDX-License-Identifier: MIT */
/* vfbench drill: the target and its neighbours resolved (bad ones
 * refused before anything is touched), the streams, the outputs, the
 * events; SIGINT/SIGTERM stop the drill, which still puts the host back
 * and keeps its rows. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "drillrun.h"
#include "env.h"
#include "exitcode.h"
#include "fsroot.h"
#include "log.h"
#include "opt.h"
#include "plan.h"
#include "ctrl.h"

static volatile int drill_abort;

static void on_signal(int sig)
{
	drill_abort = sig;
}

/* A stream pair (bandwidth, latency) on device DEV in ROLE. */
static int add_dev(struct drl *d, const struct vfb_fsroot *root,
		   const char *dev, const char *role)
{
	struct drl_stream *s = &d->st[d->nst];
	const char *peer;
	int k;

	if (host_classify(root, dev, &s->dc)) {
		vfb_err("drill: %s", s->dc.error);
		return VFB_EXIT_USAGE;
	}
	peer = host_peer_of(&d->c->peers, s->dc.path);
	if (!peer) {
		vfb_err("drill: %s (%s path): no peer (--peer-%s or --peer)",
			dev, s->dc.path->name, s->dc.path->name);
		return VFB_EXIT_USAGE;
	}
	for (k = 0; k < 2; k++, s++) {
		if (k)
			s->dc = s[-1].dc;
		s->d = d;
		s->role = role;
		s->latency = k == 1;
		s->params = k ? &d->lat : &d->bw;
		snprintf(s->dev, sizeof(s->dev), "%s", dev);
		snprintf(s->peer, sizeof(s->peer), "%s", peer);
		if (vfb_peer_split(peer, VT_DEFAULT_PORT, s->host,
				   sizeof(s->host), s->svc, sizeof(s->svc)))
			snprintf(s->svc, sizeof(s->svc), VT_DEFAULT_PORT);
		/* its calls time out in --timeout: twice that, and 10 s */
		s->join_ms = 2 * d->c->timeout * 1000 + 10000;
		pthread_mutex_init(&s->mu, NULL);
	}
	d->nst += 2;
	return 0;
}

/* The target: a VF whose PF is an SR-IOV PF with a netdev. */
static int resolve_target(struct drl *d, const struct vfb_fsroot *root)
{
	struct drl_target *t = &d->tgt;
	const struct host_devclass *dc = &d->st[0].dc;
	struct sup_pf pf;
	char err[256];

	if (dc->vf_index < 0 || !dc->pf_pci[0] || !dc->pci[0]) {
		vfb_err("drill: --target %s is not a VF (%s path): say the "
			"RDMA device of a VF",
			d->c->target, dc->path->name);
		return VFB_EXIT_USAGE;
	}
	if (sup_pf_resolve(root, dc->pf_pci, &pf, err, sizeof(err)) ||
	    !pf.netdev[0]) {
		vfb_err("drill: --target %s: its PF %s: %s", d->c->target,
			dc->pf_pci, pf.netdev[0] ? err : "no netdev");
		return VFB_EXIT_USAGE;
	}
	snprintf(t->vf_bdf, sizeof(t->vf_bdf), "%s", dc->pci);
	snprintf(t->pf_bdf, sizeof(t->pf_bdf), "%s", pf.bdf);
	snprintf(t->pf_netdev, sizeof(t->pf_netdev), "%s", pf.netdev);
	snprintf(t->driver, sizeof(t->driver), "%s", dc->driver);
	t->vf = (unsigned int)dc->vf_index;
	t->num_vfs = pf.sr.num_vfs;
	t->total_vfs = pf.sr.total_vfs;
	t->hold_ms = (unsigned int)d->c->hold_ms;
	snprintf(d->st[0].bdf, sizeof(d->st[0].bdf), "%s", dc->pci);
	snprintf(d->st[1].bdf, sizeof(d->st[1].bdf), "%s", dc->pci);
	return 0;
}

static int resolve(struct drl *d, const struct drl_cfg *c)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	char buf[512], *tok, *save = NULL;
	int ret;

	if (!root)
		return VFB_EXIT_ENV;
	ret = add_dev(d, root, c->target, "target");
	if (!ret)
		ret = resolve_target(d, root);
	snprintf(buf, sizeof(buf), "%s", c->neighbours);
	for (tok = strtok_r(buf, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save))
		ret = add_dev(d, root, tok, "neighbour");
	vfb_fsroot_close(root);
	return ret;
}

static int open_outputs(struct drl *d, int argc, char **argv)
{
	struct vfb_fsroot *root = vfb_fsroot_open("/");
	json_object *meta = host_env_json(root, argc, argv), *list;
	char err[512];
	int i;

	vfb_fsroot_close(root);
	list = json_object_new_array();
	json_object_array_add(list, json_object_new_string("drill"));
	json_object_object_add(meta, "scenarios", list);
	list = json_object_new_array();
	for (i = 0; i < d->nev; i++)
		json_object_array_add(list,
				      json_object_new_string(d->ev[i]->name));
	json_object_object_add(meta, "events", list);
	json_object_object_add(meta, "report_interval_ms",
			       json_object_new_int64(d->c->interval_ms));
	if (host_rundir_open(&d->rd, d->c->outs.dir, meta, err, sizeof(err))) {
		json_object_put(meta);
		vfb_err("drill: %s", err);
		return VFB_EXIT_ENV;
	}
	json_object_put(meta);
	return VFB_EXIT_OK;
}

static void close_outputs(struct drl *d)
{
	char status[256];

	if (drill_abort)
		host_rundir_interrupted(drill_abort, status, sizeof(status));
	else
		snprintf(status, sizeof(status), "completed");
	host_rundir_close(&d->rd, status);
	printf("results: %s\n", d->rd.dir);
}

int drl_main(struct drl *d, const struct drl_cfg *c, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct vfb_fsroot *root;
	int ret, i;

	d->c = c;
	ret = resolve(d, c);
	if (ret)
		return ret;
	if (vt_clock_init(&d->clk, VT_CLOCK_AUTO)) {
		vfb_err("drill: no clock");
		return VFB_EXIT_ENV;
	}
	d->client = (struct vt_client_cfg){
		.port = 1, .gid_index = -1, .timeout_ms = (int)c->timeout * 1000
	};
	d->t0 = drl_now_ms(d) / 1e3;
	d->abort = &drill_abort;
	ret = open_outputs(d, argc, argv);
	if (ret)
		return ret;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	root = vfb_fsroot_open("/");
	ret = root ? drl_events_run(d, root) : VFB_EXIT_ENV;
	vfb_fsroot_close(root);
	close_outputs(d);
	for (i = 0; i < d->nst; i++) {
		if (d->st[i].stuck)
			continue; /* its thread may still take the lock */
		free(d->st[i].rows);
		pthread_mutex_destroy(&d->st[i].mu);
	}
	if (drill_abort)
		return 128 + drill_abort;
	return ret > d->worst ? ret : d->worst;
}
