/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"

static const char *const nd_files[BENCH_ND_N] = {
	[BENCH_ND_TX_BYTES] = "tx_bytes",
	[BENCH_ND_RX_BYTES] = "rx_bytes",
	[BENCH_ND_TX_PACKETS] = "tx_packets",
	[BENCH_ND_RX_PACKETS] = "rx_packets",
};

/* The directories of RDMA port counters a device may have. */
static const char *const rdma_dirs[] = { "hw_counters", "counters" };

struct list_ctx {
	const struct vfb_fsroot *root;
	const char *dir, *tag;
	struct bench_counters *c;
};

static int add_counter(const char *name, void *arg)
{
	struct list_ctx *x = arg;
	char path[PATH_MAX];
	long v;

	if (x->c->n == BENCH_RDMA_COUNTERS_MAX)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", x->dir, name);
	if (vfb_fs_read_long(x->root, path, &v) || v < 0)
		return 0; /* not a counter (lifespan is, but a setting) */
	snprintf(x->c->rdma[x->c->n].name, sizeof(x->c->rdma[0].name), "%s/%s",
		 x->tag, name);
	x->c->rdma[x->c->n++].v = (uint64_t)v;
	return 0;
}

void bench_counters_read(const struct vfb_fsroot *root, const char *netdev,
			 const char *ibdev, unsigned int port,
			 struct bench_counters *c)
{
	char path[PATH_MAX], dir[PATH_MAX];
	size_t i;
	long v;

	memset(c, 0, sizeof(*c));
	c->nd_ok = netdev && netdev[0];
	for (i = 0; c->nd_ok && i < BENCH_ND_N; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
			 netdev, nd_files[i]);
		if (vfb_fs_read_long(root, path, &v) || v < 0)
			c->nd_ok = false;
		else
			c->nd[i] = (uint64_t)v;
	}
	for (i = 0;
	     ibdev && ibdev[0] && i < sizeof(rdma_dirs) / sizeof(rdma_dirs[0]);
	     i++) {
		struct list_ctx x = { root, dir, rdma_dirs[i], c };

		snprintf(dir, sizeof(dir),
			 "/sys/class/infiniband/%s/ports/%u/%s", ibdev, port,
			 rdma_dirs[i]);
		vfb_fs_list(root, dir, add_counter, &x);
	}
}

void bench_counters_delta(const struct bench_counters *before,
			  const struct bench_counters *after,
			  struct vfb_result *row)
{
	int64_t *nd[BENCH_ND_N] = {
		[BENCH_ND_TX_BYTES] = &row->nd_tx_bytes,
		[BENCH_ND_RX_BYTES] = &row->nd_rx_bytes,
		[BENCH_ND_TX_PACKETS] = &row->nd_tx_packets,
		[BENCH_ND_RX_PACKETS] = &row->nd_rx_packets,
	};
	size_t i, j, used = 0;

	for (i = 0; i < BENCH_ND_N; i++)
		*nd[i] = before->nd_ok && after->nd_ok &&
					 after->nd[i] >= before->nd[i] ?
				 (int64_t)(after->nd[i] - before->nd[i]) :
				 -1;
	row->rdma_counters[0] = '\0';
	for (i = 0; i < after->n; i++) {
		for (j = 0; j < before->n &&
			    strcmp(before->rdma[j].name, after->rdma[i].name);
		     j++)
			;
		if (j == before->n || after->rdma[i].v <= before->rdma[j].v)
			continue;
		used += (size_t)snprintf(
			row->rdma_counters + used,
			used < sizeof(row->rdma_counters) ?
				sizeof(row->rdma_counters) - used :
				0,
			"%s%s=%" PRIu64, used ? " " : "", after->rdma[i].name,
			after->rdma[i].v - before->rdma[j].v);
		if (used >= sizeof(row->rdma_counters))
			break; /* the rest does not fit: the first ones stay */
	}
	if (used >= sizeof(row->rdma_counters)) {
		/* cut at the last whole entry */
		char *sp = strrchr(row->rdma_counters, ' ');

		if (sp)
			*sp = '\0';
	}
}

#define CARRIED_MIN 0.9

bool bench_counters_check(struct vfb_result *row, unsigned int crossings)
{
	double dirs = crossings;
	double want_b = (double)row->iters * (double)row->msg_bytes * dirs;
	double want_p = (double)row->iters * dirs;
	double got_b, got_p;

	if (row->status != VFB_STATUS_OK || row->nd_tx_bytes < 0 ||
	    row->nd_rx_bytes < 0 || row->nd_tx_packets < 0 ||
	    row->nd_rx_packets < 0 || !row->netdev[0])
		return false;
	got_b = (double)(row->nd_tx_bytes + row->nd_rx_bytes);
	got_p = (double)(row->nd_tx_packets + row->nd_rx_packets);
	if (got_b >= CARRIED_MIN * want_b && got_p >= CARRIED_MIN * want_p)
		return false;
	row->status = VFB_STATUS_ERROR;
	snprintf(
		row->error, sizeof(row->error),
		"traffic did not take netdev %s: it carried %.0f bytes in %.0f "
		"packets, the case put at least %.0f bytes in %.0f messages on "
		"the wire",
		row->netdev, got_b, got_p, want_b, want_p);
	return true;
}
