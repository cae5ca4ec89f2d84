/* SPDX-License-Identifier: MIT */
#ifndef SHR_SHAREMEM_H
#define SHR_SHAREMEM_H

/* vfbench share's own state: share.c parses and sets up, sharerun.c runs
 * the phases. Not for other commands. */

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <hwloc.h>
#include <json-c/json.h>

#include "classify.h"
#include "clock.h"
#include "counters.h"
#include "locality.h"
#include "options.h"
#include "paths.h"
#include "proto.h"
#include "rundir.h"
#include "session.h"
#include "share.h"

/* Releases its members together; one that leaves (it failed, or it has
 * no more sizes) stops being waited for. */
struct shr_barrier {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int need, arrived;
	unsigned long gen;
	struct timespec t0; /* the released members' common start */
	int timeout_ms;
};

struct shr_member {
	int idx;
	char dev[64];
	const char *role; /* member, victim, aggressor */
	struct host_devclass dc;
	char peer[80], host[256], svc[32];
	struct host_locality loc;
	double cap_mbps; /* its VF's max_tx_rate, NAN: none read */
	/* its link ("roce_v2", "ib"; "" not known) and path MTU (0: not
	 * known), for the bytes its traffic puts on the wire */
	char link[8];
	unsigned int path_mtu;
	/* one phase */
	struct shr *s;
	const struct vt_params *params;
	pthread_t thread;
	struct vfb_result rows[VFB_SIZES_MAX];
	double started[VFB_SIZES_MAX]; /* each size's start, seconds */
	size_t nrows, nstarted;
	struct vfb_fsroot *root;
	struct host_counters before;
	int ret;
	char err[512];
};

struct shr;

/* What vfbench share asks for, as its options say it. */
struct shr_cfg {
	const char *devs, *victim, *aggressors;
	const char *agg_test, *agg_size;
	const char *victim_test, *victim_size;
	struct host_peers peers;
	struct host_outs outs;
	long repeat;
	struct vt_opts vo; /* the measurement options (VT_OPT_CORE) */
};

/* A scenario: its phases. One entry a mode. */
struct shr_mode {
	const char *name;
	int (*run)(struct shr *s);
	bool victim; /* --victim/--aggressors, not -d */
};

struct shr {
	const struct shr_mode *modes[3];
	int nmodes;
	bool members, victim; /* some mode uses -d, some --victim */
	struct shr_member m[SHR_MAX];
	int n, repeat;
	struct vt_params params, victim_params, agg_params;
	struct vt_client_cfg client;
	struct vt_clock clk;
	hwloc_topology_t topo;
	struct shr_barrier barrier;
	struct host_rundir rd;
	FILE *csv;
	int last_kind, errors, worst;
	double max_skew_us;
	bool progress; /* stderr is a terminal */
	const volatile int *abort;
};

int shr_fairness(struct shr *s);
int shr_isolation(struct shr *s);
int shr_scaling(struct shr *s);

/* A VF's configured max_tx_rate in Mb/s (its PF's netdev over
 * rtnetlink), NAN when DC is no VF or none is reported. */
double shr_vf_cap(const struct vfb_fsroot *root,
		  const struct host_devclass *dc);

/* The mode of NAME (fairness, isolation, scaling), NULL if none. */
const struct shr_mode *shr_mode_find(const char *name);
/* After the command decided the request (C, S's modes, members and
 * params): resolve and place the members, open the outputs, run every
 * mode, close them; returns the exit code. */
int shr_main(struct shr *s, const struct shr_cfg *c, int argc, char **argv);

#endif
