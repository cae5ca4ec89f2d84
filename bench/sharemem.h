/* SPDX-License-Identifier: MIT */
#ifndef BENCH_SHAREMEM_H
#define BENCH_SHAREMEM_H

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
#include "proto.h"
#include "rundir.h"
#include "session.h"
#include "share.h"

/* Releases its members together; one that leaves (it failed, or it has
 * no more sizes) stops being waited for. */
struct share_barrier {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int need, arrived;
	unsigned long gen;
	struct timespec t0; /* the released members' common start */
	int timeout_ms;
};

struct share_member {
	int idx;
	char dev[64];
	const char *role; /* member, victim, aggressor */
	struct bench_devclass dc;
	char peer[80], host[256], svc[32];
	struct bench_locality loc;
	double cap_mbps; /* its VF's max_tx_rate, NAN: none read */
	/* its link ("roce_v2", "ib"; "" not known) and path MTU (0: not
	 * known), for the bytes its traffic puts on the wire */
	char link[8];
	unsigned int path_mtu;
	/* one phase */
	struct share *s;
	const struct vt_params *params;
	pthread_t thread;
	struct vfb_result rows[VFB_SIZES_MAX];
	double started[VFB_SIZES_MAX]; /* each size's start, seconds */
	size_t nrows, nstarted;
	struct vfb_fsroot *root;
	struct bench_counters before;
	int ret;
	char err[512];
};

struct share {
	const struct share_mode *modes[3];
	int nmodes;
	bool members, victim; /* some mode uses -d, some --victim */
	struct share_member m[BENCH_SHARE_MAX];
	int n, repeat;
	struct vt_params params, victim_params, agg_params;
	struct vt_client_cfg client;
	struct vt_clock clk;
	hwloc_topology_t topo;
	struct share_barrier barrier;
	struct bench_rundir rd;
	FILE *csv;
	int last_kind, errors, worst;
	double max_skew_us;
	bool progress; /* stderr is a terminal */
	const volatile int *abort;
};

int bench_share_fairness(struct share *s);
int bench_share_isolation(struct share *s);
int bench_share_scaling(struct share *s);

/* A VF's configured max_tx_rate in Mb/s (its PF's netdev over
 * rtnetlink), NAN when DC is no VF or none is reported. */
double bench_share_vf_cap(const struct vfb_fsroot *root,
			  const struct bench_devclass *dc);

#endif
