/* SPDX-License-Identifier: MIT */
/* The units of vfbench health, in the order they run: the readiness
 * checks, each device's port, each path's loopback probe; then each
 * probe judged against the PF's. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "health.h"
#include "pathkind.h"

#define PROBE_MAX 10000

static const char *const status_names[] = {
	[HL_OK] = "ok",
	[HL_WARN] = "warn",
	[HL_UNKNOWN] = "unknown",
	[HL_FAIL] = "fail",
};

const char *hl_status_name(enum hl_status s)
{
	return (unsigned)s <= HL_FAIL ? status_names[s] : "?";
}

/* What a unit runs with: the config, and its target (probes). */
struct unit {
	const struct hl_config *cfg;
	const struct hl_target *t;
	char id[HL_ID];
	hl_unit_fn fn;
};

struct sink {
	struct hl_result *out;
	int n, max;
};

static void sink_add(void *arg, const struct hl_result *r)
{
	struct sink *s = arg;

	if (s->n < s->max)
		s->out[s->n++] = *r;
}

static void set(struct hl_result *r, const char *id, const char *subject,
		enum hl_status st, const char *text)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->subject, sizeof(r->subject), "%s", subject);
	r->status = st;
	snprintf(r->text, sizeof(r->text), "%s", text);
	r->ratio = NAN;
}

static int unit_ready(const void *arg, struct hl_result *out, int max)
{
	const struct unit *u = arg;
	const struct hl_config *c = u->cfg;
	const char *devs[HL_MAX_TARGETS];
	struct sink s = { out, 0, max };
	int i, n = 0, ret;

	for (i = 0; i < c->ntargets; i++)
		if (c->targets[i].dev[0])
			devs[n++] = c->targets[i].dev;
	if (!c->ops->ready || !n)
		return 0;
	ret = c->ops->ready(c->ops->arg, c->root, devs, n, sink_add, &s);
	if (ret < 0 && s.n < max) {
		set(&out[s.n], "ready", "", HL_UNKNOWN, "");
		snprintf(out[s.n++].text, HL_TEXT,
			 "the readiness checks did not run: %s",
			 strerror(-ret));
	}
	return s.n;
}

static int unit_port(const void *arg, struct hl_result *out, int max)
{
	const struct unit *u = arg;
	const struct hl_config *c = u->cfg;
	char path[160], state[32];
	int i, n = 0;

	for (i = 0; i < c->ntargets && n < max; i++) {
		if (!c->targets[i].dev[0])
			continue;
		snprintf(path, sizeof(path),
			 "/sys/class/infiniband/%s/ports/%d/state",
			 c->targets[i].dev, c->port);
		if (vfb_fs_read(c->root, path, state, sizeof(state)) <= 0)
			snprintf(state, sizeof(state), "unreadable");
		set(&out[n], "port.state", c->targets[i].dev,
		    strstr(state, "ACTIVE") ? HL_OK : HL_FAIL, "");
		snprintf(out[n].path, sizeof(out[n].path), "%s",
			 c->targets[i].path);
		snprintf(out[n++].text, HL_TEXT, "port %d is %s%s", c->port,
			 state, strstr(state, "ACTIVE") ? "" : ", not ACTIVE");
	}
	return n;
}

static int unit_probe(const void *arg, struct hl_result *out, int max)
{
	const struct unit *u = arg;
	const struct hl_config *c = u->cfg;
	double *us = calloc((size_t)c->probe_n, sizeof(*us));
	char why[160] = "";
	int ret;

	if (max < 1 || !us) {
		free(us);
		return 0;
	}
	set(out, "probe", u->t->dev, HL_OK, "");
	snprintf(out->path, sizeof(out->path), "%s", u->t->path);
	out->bytes = c->probe_bytes;
	ret = c->ops->pingpong(c->ops->arg, u->t->dev, c->port, c->gid,
			       c->probe_bytes, c->probe_n, us, why,
			       sizeof(why));
	if (ret) {
		out->status = HL_FAIL;
		snprintf(out->text, HL_TEXT, "loopback probe: %s", why);
	} else {
		out->has_lat = true;
		vfb_lat_stats_exact(us, (size_t)c->probe_n, &out->lat);
		snprintf(out->text, HL_TEXT,
			 "loopback RDMA WRITE of %u B: p50 %.2f us over %d",
			 c->probe_bytes, out->lat.p50, c->probe_n);
	}
	free(us);
	return 1;
}

/* The test hook: the unit named --hang never returns (a hung device). */
static int unit_run(const void *arg, struct hl_result *out, int max)
{
	const struct unit *u = arg;

	while (u->cfg->hang && !strcmp(u->cfg->hang, u->id))
		pause();
	return u->fn(arg, out, max);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void add(struct hl_report *rep, const struct hl_result *r)
{
	if (rep->n < HL_MAX_RESULTS)
		rep->r[rep->n++] = *r;
}

/* Run unit U within what is left of the bound (from START). */
static int run_unit(const struct unit *u, double start, struct hl_report *rep)
{
	const struct hl_config *c = u->cfg;
	double left = c->total_s - (now_s() - start), lim;
	struct hl_result r;
	int n;

	set(&r, u->id, u->t ? u->t->dev : "", HL_UNKNOWN, "");
	if (u->t)
		snprintf(r.path, sizeof(r.path), "%s", u->t->path);
	if (left < 0.05) {
		snprintf(r.text, HL_TEXT, "not run: the %g s bound was spent",
			 c->total_s);
		add(rep, &r);
		return 0;
	}
	lim = left < c->step_s ? left : c->step_s;
	n = hl_bounded(unit_run, u, lim, rep->r + rep->n,
		       HL_MAX_RESULTS - rep->n);
	if (n >= 0) {
		rep->n += n;
		return 0;
	}
	if (n == -ETIMEDOUT)
		snprintf(r.text, HL_TEXT, "timed out: cut after %.1f s", lim);
	else
		snprintf(r.text, HL_TEXT, "its process failed: %s",
			 strerror(-n));
	add(rep, &r);
	return n == -ETIMEDOUT || n == -ECHILD ? 0 : n;
}

/* Each probe's p50 over the baseline's: above the limit fails. */
static void judge(const struct hl_config *c, struct hl_report *rep)
{
	struct hl_result *base = NULL, *r;
	int i;

	for (i = 0; i < rep->n; i++)
		if (!strcmp(rep->r[i].id, "probe") && rep->r[i].has_lat &&
		    !strcmp(rep->r[i].path, vfb_path_baseline()->name))
			base = &rep->r[i];
	for (i = 0; base && i < rep->n; i++) {
		r = &rep->r[i];
		if (strcmp(r->id, "probe") || !r->has_lat || r == base)
			continue;
		r->ratio = r->lat.p50 / base->lat.p50;
		if (r->ratio <= c->max_ratio)
			continue;
		r->status = HL_FAIL;
		snprintf(r->text, HL_TEXT,
			 "loopback p50 %.2f us is %.2fx the %s's %.2f us "
			 "(%s, limit %.2fx)",
			 r->lat.p50, r->ratio, base->path, base->lat.p50,
			 base->subject, c->max_ratio);
	}
}

/* A path without a device fails at once: nothing to probe. */
static void no_device(const struct hl_target *t, struct hl_report *rep)
{
	struct hl_result r;

	set(&r, "path", t->path, HL_FAIL, t->why);
	snprintf(r.path, sizeof(r.path), "%s", t->path);
	add(rep, &r);
}

int hl_check(const struct hl_config *cfg, struct hl_report *rep)
{
	struct unit u = { .cfg = cfg, .id = "ready", .fn = unit_ready };
	double start = now_s();
	int i, ret;

	memset(rep, 0, sizeof(*rep));
	ret = run_unit(&u, start, rep);
	u = (struct unit){ .cfg = cfg, .id = "port.state", .fn = unit_port };
	if (!ret)
		ret = run_unit(&u, start, rep);
	for (i = 0; !ret && i < cfg->ntargets; i++) {
		u = (struct unit){ .cfg = cfg,
				   .t = &cfg->targets[i],
				   .id = "probe",
				   .fn = unit_probe };
		if (!cfg->targets[i].dev[0])
			no_device(&cfg->targets[i], rep);
		else if (cfg->ops->pingpong)
			ret = run_unit(&u, start, rep);
	}
	judge(cfg, rep);
	rep->seconds = now_s() - start;
	return ret;
}

enum hl_status hl_worst(const struct hl_report *rep)
{
	enum hl_status w = HL_OK;
	int i;

	for (i = 0; i < rep->n; i++)
		if (rep->r[i].status > w)
			w = rep->r[i].status;
	return w;
}
