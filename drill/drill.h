/* SPDX-License-Identifier: MIT */
#ifndef DRL_DRILL_H
#define DRL_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"

/*
 * vfbench drill: disruptions an operator causes (a VF's reset, rebind,
 * link flap, removal; the PF's link; a VF count change) performed while
 * traffic runs on the target VF and on its neighbours, each measured as
 * a time series before, during and after.
 */

#define DRL_MAX_EVENTS 8
#define DRL_MAX_NEIGH  4

/* The function an event acts on, as sysfs names it. */
struct drl_target {
	char vf_bdf[32], pf_bdf[32];
	char pf_netdev[32];
	char driver[32]; /* the VF's driver (igbvf, mlx5_core) */
	unsigned int vf; /* its index under the PF */
	long num_vfs, total_vfs;
	unsigned int hold_ms; /* how long a flap keeps the link down */
};

/* How events reach the host: sysfs through a root, netlink for a VF's
 * link state. The live ops and the tests' fakes fill it. */
struct drl_sys {
	int (*write)(void *ctx, const char *path, const char *val);
	int (*read)(void *ctx, const char *path, char *buf, size_t len);
	bool (*exists)(void *ctx, const char *path);
	/* a VF's link state: 0 auto, 1 enable, 2 disable */
	int (*vf_link_get)(void *ctx, const char *pf, unsigned int vf);
	int (*vf_link_set)(void *ctx, const char *pf, unsigned int vf,
			   int state);
	/* a hold: cut short once *abort is set (a signal) */
	void (*sleep_ms)(void *ctx, unsigned int ms);
	void *ctx;
	const volatile int *abort;
};

/* What an event changed and has not put back yet: restore undoes it. */
struct drl_undo {
	bool unbound;	  /* the VF is unbound from drl_target.driver */
	bool removed;	  /* the VF was removed from the bus */
	bool link_down;	  /* its link state is not what it was */
	int link_was;	  /* ... which was this */
	bool pf_down;	  /* the PF's netdev is administratively down */
	long flags_was;	  /* ... its flags before */
	bool numvfs;	  /* sriov_numvfs is not num_vfs */
	long numvfs_now;  /* ... it is this */
	bool reconfigure; /* the VFs were created again: setup's settings
			   * must be put back (the snapshot) */
};

/*
 * An event: what it does, how it is undone, what recovery means. PERFORM
 * does it whole (both halves of a flap, the rescan after a removal),
 * filling U as it goes and OUTCOME with what the host said; a negative
 * errno when the host refused (-EOPNOTSUPP: this host cannot perform it,
 * OUTCOME says why). RESTORE undoes what U says is left, keeping going
 * past a failure; it returns the first error with ERR naming what stays.
 */
struct drl_event {
	const char *name;
	const char *help;
	const char *how;      /* how it is performed */
	const char *undo;     /* how it is undone */
	const char *recovery; /* what recovery means */
	bool target_down;     /* the target's traffic is expected to stop */
	int (*perform)(const struct drl_sys *sys, const struct drl_target *t,
		       struct drl_undo *u, char *outcome, size_t len);
	int (*restore)(const struct drl_sys *sys, const struct drl_target *t,
		       struct drl_undo *u, char *err, size_t errlen);
};

/* The last resort for a target that did not come back by itself: its
 * driver unbound and bound again (OUT says what was done). */
int drl_repair(const struct drl_sys *sys, const struct drl_target *t, char *out,
	       size_t len);

const struct drl_event *drl_events(size_t *n);
const struct drl_event *drl_event_find(const char *name);
/* A comma list of events, each once, into OUT (at most MAX): their
 * number, or -EINVAL with ERR naming the bad item. */
int drl_events_parse(const char *list, const struct drl_event **out, size_t max,
		     char *err, size_t errlen);
/* "vf-flr, vf-rebind, ..." into BUF. */
void drl_event_names(char *buf, size_t len);

/* The live ops, through the host's sysfs under ROOT and rtnetlink; a
 * hold ends early once *ABORT is set. */
struct vfb_fsroot;
void drl_sys_live(struct drl_sys *sys, struct vfb_fsroot *root,
		  const volatile int *abort);

/* ---- the time series (phases.c: pure) ---- */

enum drl_phase { DRL_BEFORE, DRL_DURING, DRL_AFTER };
const char *drl_phase_name(enum drl_phase p);

/* One interval of one stream: when it ended (ms on the drill's clock),
 * its figure (bandwidth Gb/s or latency p50 us), the session it was in. */
struct drl_sample {
	double t_ms;
	double value;
	unsigned int session;
};

/* An event's times on the drill's clock (ms): the event's start and end
 * (perform returned), when the target recovered (NAN: not yet); during
 * lasts at least MIN_DURING_MS (an instant event's neighbours are judged
 * over that long). */
struct drl_times {
	double start_ms, end_ms, recovered_ms;
	double min_during_ms;
};

/* When during ends: the target's recovery, or when its traffic never
 * stopped the event's end; at least MIN_DURING_MS after the start. */
double drl_phase_end(const struct drl_times *tm);
/* The phase of an interval that ended at T_MS. Before: it ended before
 * the event started (or the event never started); during: from then
 * until drl_phase_end; after. */
enum drl_phase drl_phase_of(const struct drl_times *tm, double t_ms);

/*
 * A stream's failures, as its thread saw them: the first session error
 * after the event started (its time, errno, text) and the first interval
 * measured by a later session.
 */
struct drl_fail {
	bool failed;
	double fail_ms; /* the failing session's error, drill clock */
	int err;	/* its negative errno */
	char text[200];
	bool device_gone; /* the device vanished before a new session */
	double ok_ms;	  /* first interval of a session after it; NAN */
};

/* How the target's QPs ended: "error", "flush", "hang", "gone",
 * "survived" (from its failure). */
const char *drl_qp_end(const struct drl_fail *f);

/* The neighbour's penalty: its intervals DURING against BEFORE (their
 * values), the ratio above 1 when worse (HIGHER_IS_WORSE: latency), its
 * interval and a verdict against LIMIT (pass: no significant penalty
 * over LIMIT; fail; skip: too few intervals, WHY says). 0 or -EINVAL. */
int drl_penalty(const double *before, size_t nb, const double *during,
		size_t nd, bool higher_is_worse, double limit,
		struct vfb_ratio *out, const char **verdict, char *why,
		size_t len);

#endif
