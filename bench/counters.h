/* SPDX-License-Identifier: MIT */
#ifndef BENCH_COUNTERS_H
#define BENCH_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "fsroot.h"
#include "result.h"

/*
 * Counters that prove which path carried a case: the netdev's statistics
 * (/sys/class/net/X/statistics) and the RDMA port's counters
 * (ports/N/hw_counters and ports/N/counters), read before and after.
 */
#define BENCH_RDMA_COUNTERS_MAX 128

enum {
	BENCH_ND_TX_BYTES,
	BENCH_ND_RX_BYTES,
	BENCH_ND_TX_PACKETS,
	BENCH_ND_RX_PACKETS,
	BENCH_ND_N
};

struct bench_counters {
	bool nd_ok; /* the netdev's statistics were read */
	uint64_t nd[BENCH_ND_N];
	size_t n; /* RDMA counters read */
	struct {
		char name[48]; /* "hw_counters/sent_pkts" */
		uint64_t v;
	} rdma[BENCH_RDMA_COUNTERS_MAX];
};

/* Read NETDEV's (may be "") and IBDEV's port PORT counters under ROOT. */
void bench_counters_read(const struct vfb_fsroot *root, const char *netdev,
			 const char *ibdev, unsigned int port,
			 struct bench_counters *c);
/* AFTER - BEFORE into ROW: the nd_* columns, the RDMA counters that moved. */
void bench_counters_delta(const struct bench_counters *before,
			  const struct bench_counters *after,
			  struct vfb_result *row);
/*
 * A measured row whose own netdev did not carry its traffic becomes an
 * error row: at least 90% of the payload bytes and of the messages the
 * case put on the wire must show on the netdev. CROSSINGS: how often an
 * iteration's payload crosses the wire (a ping-pong 2, a READ or a
 * stream 1). Headers only add. Returns whether it failed.
 */
bool bench_counters_check(struct vfb_result *row, unsigned int crossings);

#endif
