/* SPDX-License-Identifier: MIT */
#ifndef MSH_MESH_H
#define MSH_MESH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "clock.h"
#include "detect.h"
#include "fabric.h"
#include "options.h"
#include "proto.h"
#include "rendezvous.h"
#include "result.h"
#include "rundir.h"
#include "schedule.h"

#define MSH_MAX_TESTS 8
#define MSH_MAX_PATHS 8

/* What one rank offers the others: one device per path kind, the address
 * its peers reach it at, and the port of the `vfbench serve` it runs for
 * the job. */
struct msh_path {
	char kind[16];
	char dev[64];
	char netdev[32];
	char addr[64];
};

struct msh_host {
	char host[64];
	char svc[8];
	int npaths;
	struct msh_path paths[MSH_MAX_PATHS];
	json_object *env; /* this rank's environment (run.json) */
};

struct msh_cfg {
	const char *schedule, *schedule_file, *paths, *port;
	const char *fabric;    /* --fabric: Slurm's topology.conf */
	struct host_outs outs; /* --out only */
	long round_timeout;
	long rounds, seed; /* a seeded schedule's; 0 and -1: not given */
	const char *flag_lat, *flag_bw;
	bool no_retest;
	struct vt_opts vo; /* the measurement options (VT_OPT_CORE) */
};

/*
 * Rank 0 keeps of each row only what flags it, retests it and judges its
 * hosts: 96 bytes, not the row's 2.8 KB, so that 1,000 hosts' all pairs
 * (999,000 rows a test) fit in 96 MB. results.csv holds the rows; at the
 * end they are read back one at a time and written with their flags
 * (kept.c).
 */
struct msh_kept {
	char path[16], test[16], flag[16];
	uint64_t msg_bytes;
	int src_rank, dst_rank, mesh_round, retest;
	enum vfb_status status;
	bool has_lat, has_bw;
	struct {
		double p50;
	} lat; /* as a row's, so that the same code reads both */
	double bw_avg_gbps;
};

struct msh {
	const struct msh_cfg *c;
	struct msh_pmix px;
	struct vt_params params[MSH_MAX_TESTS];
	int ntests;
	const char *kinds[MSH_MAX_PATHS]; /* --paths; none: every kind */
	int nkinds;
	double flag_lat, flag_bw;
	char *file_text;	/* --schedule-file, read before anything */
	struct msh_host *hosts; /* by rank */
	struct msh_schedule sched;
	struct msh_fabric fabric; /* --fabric, read on every rank */
	uint32_t *leaf;		  /* by rank: its leaf switch in it */
	struct vt_clock clk;
	/* the job's server, in a thread */
	pthread_t server;
	bool serving;
	volatile int stop;
	char server_err[256];
	/* SIGINT/SIGTERM (its number): every wait ends, rank 0 closes the
	 * directory as interrupted */
	const volatile int *abort;
	/* this rank's rows of the current round */
	struct vfb_result *rows;
	size_t nrows, cap;
	/* rank 0: what the outliers and the detector need of every row
	 * (the rows themselves are in results.csv, streamed), and the
	 * results directory */
	struct msh_kept *all;
	size_t nall, capall;
	bool kept_short; /* a row written that could not be kept */
	struct host_rundir rd;
	int round_timeout_s;
	double round_t0;      /* when the round began (CLOCK_MONOTONIC s) */
	bool *dead;	      /* rank 0: ranks that stopped reporting */
	uint32_t rounds_used; /* the schedule's, and rank 0's later ones */
	/* by rank: probes in a row that found its host unreachable */
	unsigned char *unreach;
	bool progress;
};

/* Whether a rank is gone, from what probing its job server gave (PROBE:
 * 0 or vt_probe's -errno) and UNREACH, its count of probes in a row that
 * found its host unreachable (kept here). Gone is what only a dead rank
 * shows: its port refused (the process and its socket are gone), or its
 * host unreachable at MSH_GONE_PROBES probes in a row. A server that
 * accepted but was slow to answer (-ETIMEDOUT) is there: on a busy host
 * a rank can stall for seconds (at load 12 on 2 cores, taking 'no answer
 * in 3 s' for gone made two live ranks of the cluster lab leave a mesh). */
#define MSH_GONE_PROBES 3
bool msh_probe_gone(int probe, unsigned char *unreach);

/* The rendezvous waits this long for every rank of the job. */
#define MSH_RENDEZVOUS_S 120

/* After the command decided the request (M->c, M->params, M->kinds,
 * M->file_text): join the job, measure every round, leave; returns the
 * exit code. */
int msh_main(struct msh *m);
/* kept.c, rank 0: keep what the outliers need of row R (after it was
 * written to results.csv): 0 or -ENOMEM (said; the flags' rewrite is
 * then skipped); and at the end, results.csv
 * once more with the kept rows' flags, replaced only when whole. */
int msh_keep(struct msh *m, const struct vfb_result *r);
void msh_rewrite(struct msh *m);
/* rounds.c: the rounds, the outliers and their retest (every rank). */
int msh_rounds(struct msh *m);
/* RANK's KEY (rank 0's, or a driver's rows), waited for within the
 * round's time: 0, -ESRCH (gone), -ETIMEDOUT; ERR says why. */
int msh_await_key(struct msh *m, uint32_t rank, const char *key, char **text,
		  char *err, size_t len);
/* This rank drives DST (only the path kind ONLY, when given). */
void msh_drive(struct msh *m, uint32_t dst, int round, int retest,
	       const char *only);
/* This rank's rows of the round under KEY, to rank 0; the round ends. */
int msh_gather(struct msh *m, const char *key, const struct msh_pair *p,
	       uint32_t np, int round, int retest);
/* later.c: the adaptive schedule's later rounds, which rank 0 decides
 * from the rows so far and publishes (none for another kind); then the
 * flagged pairs again alone. */
int msh_adaptive(struct msh *m, struct msh_pair *p);
int msh_retest(struct msh *m);

/* outliers.c, rank 0. Flag the rows from FROM on against the fleet (its
 * median latency p50, its best bandwidth, for each case). */
void msh_flag_rows(struct msh *m, size_t from);
/* The flagged pairs, once each: a JSON list of [src, dst, path, round]. */
json_object *msh_flagged_pairs(const struct msh *m);
/* The hosts in at least 2 and more than half of the flagged pairs (a
 * pair measured again alone counts only if flagged again); printed. */
json_object *msh_suspects(struct msh *m);
/* The detector's verdicts over every row (detect.h): its rule, the
 * threshold, the suspects with their evidence, the links; printed. */
json_object *msh_detector(const struct msh *m);
/* The detector's verdicts over every row so far (rank 0): 0 or -errno. */
int msh_verdicts_of(const struct msh *m, struct msh_verdicts *v);

#endif
