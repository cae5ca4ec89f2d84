/* SPDX-License-Identifier: MIT */
#ifndef HOST_COUNTERS_H
#define HOST_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "fsroot.h"
#include "result.h"

/*
 * Counters that prove which path carried a case: the netdev's statistics
 * (/sys/class/net/X/statistics) and the RDMA port's counters
 * (ports/N/hw_counters and ports/N/counters), read before and after.
 */
#define HOST_RDMA_COUNTERS_MAX 128

enum {
	HOST_ND_TX_BYTES,
	HOST_ND_RX_BYTES,
	HOST_ND_TX_PACKETS,
	HOST_ND_RX_PACKETS,
	HOST_ND_N
};

struct host_counters {
	bool nd_ok; /* the netdev's statistics were read */
	uint64_t nd[HOST_ND_N];
	size_t n; /* RDMA counters read */
	struct {
		char name[48]; /* "hw_counters/sent_pkts" */
		uint64_t v;
	} rdma[HOST_RDMA_COUNTERS_MAX];
};

/* Read NETDEV's (may be "") and IBDEV's port PORT counters under ROOT. */
void host_counters_read(const struct vfb_fsroot *root, const char *netdev,
			const char *ibdev, unsigned int port,
			struct host_counters *c);
/* AFTER - BEFORE into ROW: the nd_* columns, the RDMA counters that moved;
 * those of ROW->provider's source come first and also when they did not
 * move, so that the proof can tell "not moved" from "not read". */
void host_counters_delta(const struct host_counters *before,
			 const struct host_counters *after,
			 struct vfb_result *row);
/*
 * Where a provider counts the traffic of its queue pairs: the netdev's
 * statistics (software providers send through the netdev), or files of
 * the RDMA port ("counters/port_xmit_data"), each a sum of up to two
 * files (IPv4 + IPv6), in units of UNIT bytes for the byte counters.
 */
#define HOST_CTR_NAMES 2

enum {
	HOST_CTR_TX_BYTES,
	HOST_CTR_RX_BYTES,
	HOST_CTR_TX_PACKETS,
	HOST_CTR_RX_PACKETS,
	HOST_CTR_N
};

struct host_ctr_source {
	const char *name; /* "netdev statistics", "port counters", ... */
	bool netdev;	  /* the nd_* columns; else the files below */
	const char *files[HOST_CTR_N][HOST_CTR_NAMES];
	unsigned int unit; /* bytes a byte counter's count stands for */
};

/* A provider (host_devclass.provider: "rxe", "siw" or the PCI driver
 * of the RDMA device) and the source it updates. */
struct host_proof_rule {
	const char *provider;
	const char *rdma; /* the RDMA driver, for people: "mlx5_ib" */
	const struct host_ctr_source *src;
};

const struct host_proof_rule *host_proof_rules(size_t *n);
/* PROVIDER's rule, NULL when no source is known for it. */
const struct host_proof_rule *host_proof_find(const char *provider);

/*
 * The path proof of a measured row, by its provider's rule: at least 90%
 * of the payload bytes and of the messages the case put on the wire must
 * show in the counters that provider updates, or the row becomes an
 * error row (it ran elsewhere). CROSSINGS: how often an iteration's
 * payload crosses the wire (a ping-pong 2, a READ or a stream 1).
 * Headers only add. The row's proof column says what was shown, or
 * "not made: ..." when no source is known for the provider or its
 * counters were not read (the row stays as it was). Returns whether the
 * row failed.
 */
bool host_counters_check(struct vfb_result *row, unsigned int crossings);

#endif
