/* SPDX-License-Identifier: MIT */
#ifndef VFB_RESULT_H
#define VFB_RESULT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "stats.h"

/*
 * The result model: one row per (path, test, message size). Producers
 * (the verbs engine) fill it, renderers (report/) only read it.
 * Latencies are in microseconds, as perftest reports them: half the round
 * trip of a ping-pong, the whole one of a READ or an atomic (lat_basis).
 */
enum vfb_status {
	VFB_STATUS_OK,
	VFB_STATUS_ERROR,
};

/* A ratio with its 95% confidence interval. */
struct vfb_ratio {
	double est, lo, hi;
};

struct vfb_result {
	/* where: filled by the runner (bench/), empty when not known */
	char run_id[64];
	char host[64];
	char provider[32];
	char pci[32];
	char netdev[32];
	char peer[80];
	int gid_index; /* -1: not chosen */
	int cpu,
		numa; /* measuring thread's core and memory node, -1: unbound */
	/* what */
	char device[64];
	char path[16]; /* a path kind's name (see common/pathkind.c's table) */
	char test[16]; /* an engine's name: write_lat, read_bw, ... */
	uint64_t msg_bytes;
	uint32_t rep;	/* --repeat: the round, 1-based (0: not known) */
	uint64_t iters; /* measured iterations (warm-up excluded) */
	double seconds; /* wall time of the measured iterations */
	bool has_lat;
	struct vfb_lat_stats lat; /* microseconds */
	bool has_bw;
	double bw_avg_gbps, bw_peak_gbps, msg_rate_mpps;
	double bw_avg_mbps; /* MB/s (10^6 bytes), as perftest's BW average */
	/* -b: the peer's direction as the peer measured it, and the sum
	 * (NAN: one direction only) */
	double bw_back_gbps, bw_sum_gbps;
	/* what the device was asked: one send signaled in this many (0: not
	 * known), payload inline (-1: not known), how payloads were verified
	 * ("off", or the method: write_imm, recv_cqe, after_completion) */
	uint32_t signaled_every;
	char opcode[24]; /* the verb posted: RDMA_WRITE, SEND, RDMA_READ, ... */
	/* latency rows: "half_rtt" (ping-pongs, as perftest halves them) or
	 * "rtt" (READ and atomics: the whole round trip, as perftest) */
	char lat_basis[12];
	uint32_t post_list; /* bandwidth: WRs per post (0: not known) */
	uint32_t qps;	    /* bandwidth: queue pairs (0: not known) */
	int events;	    /* completions by channel (1) or polling (0), -1 */
	/* the QP's address vector as the device held it: -1 not known */
	int tclass, sl, flow_label;
	int inline_data;
	/* inline bytes the QP was given (-I or the test's default, capped
	 * by the device; -1 not known) and whether its address vector
	 * carries a GRH (InfiniBand: only with -x; -1 not known) */
	int inline_size, grh;
	char verify[20];
	/* what the path's netdev carried during the case (-1: not read), and
	 * the RDMA port counters that moved ("hw_counters/sent_pkts=330 ...") */
	int64_t nd_tx_bytes, nd_rx_bytes, nd_tx_packets, nd_rx_packets;
	char rdma_counters[512];
	/* the path proof by the provider's counters (bench/counters.c):
	 * "port counters: 103% of the payload bytes, ...", "failed: ...",
	 * "not made: ..." (no source known, or not read); "" not tried */
	char proof[96];
	char stability
		[8];   /* "fixed" (-n/-D), "stable" or "cap" (--until-stable) */
	double ci_rel; /* 95% CI half-width of the median / median, NAN: n/a */
	/* vfbench share: the scenario (solo, fairness, isolation, scaling),
	 * the row's role (member, aggregate, victim, aggressor) and how many
	 * devices ran at that moment; "" and 0 in a plain run */
	char scenario[16], role[16];
	uint32_t active;
	/* the measurement's start after the common barrier: a member's own
	 * offset from the first member's, an aggregate's spread, in us */
	double skew_us;
	/* aggregate rows: Jain's index over the members' bandwidths, the
	 * smallest and largest member's share of the sum, the sum over the
	 * best solo device (or the PF's, when the PF is a member) */
	double jain, share_min, share_max, efficiency;
	/* a VF's configured max_tx_rate (Mb/s, NAN: not read) and whether
	 * the traffic kept to it: enforced, exceeded, not_reached, none */
	double rate_cap_mbps;
	char cap_verdict[16];
	/* the bandwidth on the wire, every packet's headers counted (what a
	 * cap meters, and what cap_verdict judges), Mb/s; NAN: not known */
	double wire_mbps;
	/* isolation: the victim's percentiles loaded over alone, with the
	 * 95% interval over the alternations (NAN: not enough samples) */
	struct vfb_ratio penalty_p50, penalty_p99, penalty_p999;
	/* vfbench mesh: the pair (client host and rank, server host and
	 * rank; -1: not a mesh row), the schedule's round (-1), the outlier
	 * flag ("latency", "bandwidth" or "") and whether the row is the
	 * pair measured again alone (1) or in its round (0; -1: not known) */
	char src_host[64], dst_host[64];
	int src_rank, dst_rank, mesh_round;
	char flag[16];
	int retest;
	/* vfbench validate (scenario "validate"): the check, its verdict
	 * (pass, fail, skip), what it expected and observed, and the
	 * evidence; "" elsewhere */
	char check[40], verdict[8];
	char expected[160], observed[160], evidence[320];
	/* vfbench drill (scenario "drill"): the event, the phase (before,
	 * during, after; summary for a stream's verdict), the interval's end
	 * and the event's start on the drill's clock (ms since it began;
	 * NAN: the event never started), when the target's traffic stopped
	 * (ms after the event; NAN: it did not), how its QPs ended (error,
	 * flush, hang, survived), the time until a new session measured
	 * again (ms; NAN: none did) and what setup's verify said of the
	 * VF's configuration afterwards */
	char event[16], phase[8];
	double t_ms, event_ms, stop_ms, recovery_ms;
	char qp_end[16], config[128];
	/* drill summary, neighbour: its figure during the event over before
	 * (bandwidth: before/during, latency: during/before; above 1 worse)
	 * with its 95% interval, the intervals taken as repetitions */
	struct vfb_ratio penalty;
	enum vfb_status status;
	char error[256]; /* why, when status is VFB_STATUS_ERROR */
};

/* A row with nothing known yet: indexes -1, strings empty. */
static inline void vfb_result_init(struct vfb_result *r)
{
	*r = (struct vfb_result){ .gid_index = -1,
				  .cpu = -1,
				  .numa = -1,
				  .inline_data = -1,
				  .inline_size = -1,
				  .grh = -1,
				  .ci_rel = NAN,
				  .bw_back_gbps = NAN,
				  .bw_sum_gbps = NAN,
				  .events = -1,
				  .tclass = -1,
				  .sl = -1,
				  .flow_label = -1,
				  .nd_tx_bytes = -1,
				  .nd_rx_bytes = -1,
				  .nd_tx_packets = -1,
				  .nd_rx_packets = -1,
				  .skew_us = NAN,
				  .src_rank = -1,
				  .dst_rank = -1,
				  .mesh_round = -1,
				  .retest = -1,
				  .jain = NAN,
				  .share_min = NAN,
				  .share_max = NAN,
				  .efficiency = NAN,
				  .rate_cap_mbps = NAN,
				  .wire_mbps = NAN,
				  .t_ms = NAN,
				  .event_ms = NAN,
				  .stop_ms = NAN,
				  .recovery_ms = NAN,
				  .penalty = { NAN, NAN, NAN },
				  .penalty_p50 = { NAN, NAN, NAN },
				  .penalty_p99 = { NAN, NAN, NAN },
				  .penalty_p999 = { NAN, NAN, NAN } };
}

static inline const char *vfb_status_name(enum vfb_status s)
{
	return s == VFB_STATUS_OK ? "ok" : "error";
}

#endif
