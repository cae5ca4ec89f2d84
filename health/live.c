/* SPDX-License-Identifier: MIT */
/* The ops of vfbench health on the live system: the doctor's checks for
 * a measurement, validate's loopback pair for the probe, programs run
 * as the doctor runs them (scontrol). On a captured tree: the checks
 * read the tree and nothing is probed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "health.h"
#include "health_live.h"
#include "live.h"
#include "validate.h"

struct ready_sink {
	void (*add)(void *sink, const struct hl_result *r);
	void *sink;
};

static const enum hl_status from_doctor[] = {
	[DR_PASS] = HL_OK,
	[DR_WARN] = HL_WARN,
	[DR_FAIL] = HL_FAIL,
	[DR_SKIP] = HL_OK,
};

static void emit(const struct dr_result *d, void *arg)
{
	struct ready_sink *s = arg;
	struct hl_result r = { .status = from_doctor[d->status], .ratio = NAN };

	snprintf(r.id, sizeof(r.id), "%s", d->id);
	snprintf(r.subject, sizeof(r.subject), "%s", d->subject);
	/* one line: what it read, then the fix, cut to fit */
	if (snprintf(r.text, sizeof(r.text), "%s%s%s%s",
		     d->status == DR_SKIP ? "skip: " : "", d->evidence,
		     d->fix[0] && d->status != DR_PASS ? "; fix: " : "",
		     d->fix) >= (int)sizeof(r.text))
		r.text[sizeof(r.text) - 2] = '~';
	s->add(s->sink, &r);
}

static int ready(void *arg, const struct vfb_fsroot *root,
		 const char *const *devs, int n,
		 void (*add)(void *sink, const struct hl_result *r), void *sink)
{
	static const struct dr_probe_ops tree_ops = { 0 };
	bool live = *(const bool *)arg;
	struct dr_config dc = { .root = root,
				.ops = live ? dr_live_ops() : &tree_ops,
				.devices = devs,
				.ndevices = n,
				.concerns = DR_FOR_RUN };
	struct ready_sink s = { add, sink };
	int ret = dr_run(&dc, emit, &s);

	return ret < 0 ? ret : 0;
}

static int pingpong(void *arg, const char *dev, int port, int gid,
		    uint32_t bytes, int n, double *us, char *why, size_t len)
{
	const struct val_ops *v = val_live_ops();
	struct val_dev *d;
	int ret;

	(void)arg;
	ret = v->open(NULL, dev, port, gid, 2000, &d);
	if (ret) {
		snprintf(why, len, "a loopback RC pair on %s: %s", dev,
			 strerror(-ret));
		return ret;
	}
	/* warm up: the first round trips pay for the caches and the ARP */
	ret = v->pingpong(d, bytes, n < 20 ? n : 20, us, why, len);
	if (!ret)
		ret = v->pingpong(d, bytes, n, us, why, len);
	v->close(d);
	return ret;
}

static int run(void *arg, char *const argv[], char *out, size_t len)
{
	(void)arg;
	return dr_live_ops()->run(NULL, argv, out, len);
}

static const bool yes = true, no = false;

static const struct hl_ops live_ops = {
	.ready = ready,
	.pingpong = pingpong,
	.run = run,
	.arg = (void *)&yes,
};

static const struct hl_ops tree_ops = {
	.ready = ready,
	.run = run,
	.arg = (void *)&no,
};

const struct hl_ops *hl_live_ops(bool live)
{
	return live ? &live_ops : &tree_ops;
}
