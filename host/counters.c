/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"

static const char *const nd_files[HOST_ND_N] = {
	[HOST_ND_TX_BYTES] = "tx_bytes",
	[HOST_ND_RX_BYTES] = "rx_bytes",
	[HOST_ND_TX_PACKETS] = "tx_packets",
	[HOST_ND_RX_PACKETS] = "rx_packets",
};

/* The directories of RDMA port counters a device may have. */
static const char *const rdma_dirs[] = { "hw_counters", "counters" };

struct list_ctx {
	const struct vfb_fsroot *root;
	const char *dir, *tag;
	struct host_counters *c;
};

static int add_counter(const char *name, void *arg)
{
	struct list_ctx *x = arg;
	char path[PATH_MAX];
	long v;

	if (x->c->n == HOST_RDMA_COUNTERS_MAX)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", x->dir, name);
	if (vfb_fs_read_long(x->root, path, &v) || v < 0)
		return 0; /* not a counter (lifespan is, but a setting) */
	snprintf(x->c->rdma[x->c->n].name, sizeof(x->c->rdma[0].name), "%s/%s",
		 x->tag, name);
	x->c->rdma[x->c->n++].v = (uint64_t)v;
	return 0;
}

void host_counters_read(const struct vfb_fsroot *root, const char *netdev,
			const char *ibdev, unsigned int port,
			struct host_counters *c)
{
	char path[PATH_MAX], dir[PATH_MAX];
	size_t i;
	long v;

	memset(c, 0, sizeof(*c));
	c->nd_ok = netdev && netdev[0];
	for (i = 0; c->nd_ok && i < HOST_ND_N; i++) {
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

/*
 * The counter sources, one entry each. The unit of the InfiniBand
 * PortCounters data counters (PortXmitData, PortRcvData) is 4 octets
 * (IBTA vol. 1, 16.1.3.5); ib_core's sysfs shows them as the PMA gives
 * them (drivers/infiniband/core/sysfs.c).
 */
enum { SRC_NETDEV, SRC_PMA, SRC_HW_BYTES, SRC_IRDMA, SRC_N };

static const struct host_ctr_source sources[SRC_N] = {
	[SRC_NETDEV] = { .name = "netdev statistics", .netdev = true, .unit = 1 },
	[SRC_PMA] = {
		.name = "port counters",
		.files = {
			[HOST_CTR_TX_BYTES] = { "counters/port_xmit_data" },
			[HOST_CTR_RX_BYTES] = { "counters/port_rcv_data" },
			[HOST_CTR_TX_PACKETS] = { "counters/port_xmit_packets" },
			[HOST_CTR_RX_PACKETS] = { "counters/port_rcv_packets" },
		},
		.unit = 4,
	},
	[SRC_HW_BYTES] = {
		.name = "hw_counters",
		.files = {
			[HOST_CTR_TX_BYTES] = { "hw_counters/tx_bytes" },
			[HOST_CTR_RX_BYTES] = { "hw_counters/rx_bytes" },
			[HOST_CTR_TX_PACKETS] = { "hw_counters/tx_pkts" },
			[HOST_CTR_RX_PACKETS] = { "hw_counters/rx_pkts" },
		},
		.unit = 1,
	},
	[SRC_IRDMA] = {
		.name = "hw_counters (IP)",
		.files = {
			[HOST_CTR_TX_BYTES] = { "hw_counters/ip4OutOctets",
						 "hw_counters/ip6OutOctets" },
			[HOST_CTR_RX_BYTES] = { "hw_counters/ip4InOctets",
						 "hw_counters/ip6InOctets" },
			[HOST_CTR_TX_PACKETS] = { "hw_counters/ip4OutPkts",
						   "hw_counters/ip6OutPkts" },
			[HOST_CTR_RX_PACKETS] = { "hw_counters/ip4InPkts",
						   "hw_counters/ip6InPkts" },
		},
		.unit = 1,
	},
};

/*
 * Which counters each provider updates, from the kernel's sources:
 * - rxe: rxe_net.c sends every packet as an skb through the netdev
 *   (ip_local_out/ip6_local_out), so its statistics count it.
 * - siw: siw_qp_tx.c and siw_qp_rx.c carry iWARP over a kernel TCP
 *   socket: the netdev counts it.
 * - mlx5: traffic bypasses the netdev's rings (mlx5e_get_stats() folds
 *   the software ring counters); hw/mlx5/mad.c answers the PMA from the
 *   function's own vport counters (pma_cnt_ext_assign(): port_xmit_data
 *   = (transmitted_ib_unicast + _multicast octets) >> 2, and packets),
 *   so a VF's counters show only what went through that VF.
 * - mlx4: hw/mlx4/mad.c iboe_process_mad()/edit_counter() fills the PMA
 *   from the port's counter (port_xmit_data = tx_bytes >> 2).
 * - bnxt_re (on bnxt_en): hw/bnxt_re/hw_counters.c "tx_bytes",
 *   "rx_bytes", "tx_pkts", "rx_pkts" (bytes, RoCE traffic).
 * - irdma (on ice, and i40e for X722): hw/irdma/verbs.c
 *   irdma_hw_stat_names "ip4OutOctets", "ip4InOctets", "ip4OutPkts",
 *   "ip4InPkts" and their ip6 twins (bytes).
 * - efa: hw/efa/efa_verbs.c EFA_DEFINE_STATS "tx_bytes", "rx_bytes",
 *   "tx_pkts", "rx_pkts" (bytes).
 * Any other provider (qedr, hns, ocrdma, vmw_pvrdma, mana_ib, erdma...):
 * no rule, so its rows say the proof was not made.
 */
static const struct host_proof_rule rules[] = {
	{ "rxe", "rdma_rxe", &sources[SRC_NETDEV] },
	{ "siw", "siw", &sources[SRC_NETDEV] },
	{ "mlx5_core", "mlx5_ib", &sources[SRC_PMA] },
	{ "mlx4_core", "mlx4_ib", &sources[SRC_PMA] },
	{ "bnxt_en", "bnxt_re", &sources[SRC_HW_BYTES] },
	{ "ice", "irdma", &sources[SRC_IRDMA] },
	{ "i40e", "irdma", &sources[SRC_IRDMA] },
	{ "efa", "efa", &sources[SRC_HW_BYTES] },
};

const struct host_proof_rule *host_proof_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct host_proof_rule *host_proof_find(const char *provider)
{
	size_t i;

	for (i = 0; provider && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].provider, provider))
			return &rules[i];
	return NULL;
}

/* NAME=V appended to the row's map; false once it no longer fits. */
static bool map_add(struct vfb_result *row, size_t *used, const char *name,
		    uint64_t v)
{
	size_t room = sizeof(row->rdma_counters) - *used;
	int n = snprintf(row->rdma_counters + *used, room, "%s%s=%" PRIu64,
			 *used ? " " : "", name, v);

	if (n < 0 || (size_t)n >= room) {
		row->rdma_counters[*used] = '\0'; /* the first ones stay */
		return false;
	}
	*used += (size_t)n;
	return true;
}

static const struct host_ctr_source *row_source(const struct vfb_result *r)
{
	const struct host_proof_rule *rule = host_proof_find(r->provider);

	return rule && !rule->src->netdev ? rule->src : NULL;
}

static bool proof_file(const struct host_ctr_source *src, const char *name)
{
	size_t i, j;

	for (i = 0; src && i < HOST_CTR_N; i++)
		for (j = 0; j < HOST_CTR_NAMES; j++)
			if (src->files[i][j] && !strcmp(src->files[i][j], name))
				return true;
	return false;
}

void host_counters_delta(const struct host_counters *before,
			 const struct host_counters *after,
			 struct vfb_result *row)
{
	int64_t *nd[HOST_ND_N] = {
		[HOST_ND_TX_BYTES] = &row->nd_tx_bytes,
		[HOST_ND_RX_BYTES] = &row->nd_rx_bytes,
		[HOST_ND_TX_PACKETS] = &row->nd_tx_packets,
		[HOST_ND_RX_PACKETS] = &row->nd_rx_packets,
	};
	const struct host_ctr_source *src = row_source(row);
	size_t i, j, used = 0;
	int pass;

	for (i = 0; i < HOST_ND_N; i++)
		*nd[i] = before->nd_ok && after->nd_ok &&
					 after->nd[i] >= before->nd[i] ?
				 (int64_t)(after->nd[i] - before->nd[i]) :
				 -1;
	row->rdma_counters[0] = '\0';
	/* pass 0: the proof's counters, moved or not; pass 1: the rest */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < after->n; i++) {
			bool mine = proof_file(src, after->rdma[i].name);

			for (j = 0;
			     j < before->n &&
			     strcmp(before->rdma[j].name, after->rdma[i].name);
			     j++)
				;
			if (j == before->n || mine != !pass ||
			    after->rdma[i].v < before->rdma[j].v ||
			    (!mine && after->rdma[i].v == before->rdma[j].v))
				continue;
			if (!map_add(row, &used, after->rdma[i].name,
				     after->rdma[i].v - before->rdma[j].v))
				return;
		}
}

/* The map entry NAME's value; false when the map does not hold it. */
static bool map_get(const char *map, const char *name, uint64_t *v)
{
	size_t len = strlen(name);
	const char *p = map;

	while ((p = strstr(p, name))) {
		if ((p == map || p[-1] == ' ') && p[len] == '=') {
			*v = strtoull(p + len + 1, NULL, 10);
			return true;
		}
		p += len;
	}
	return false;
}

/* What SRC shows the row carried, scaled to bytes; NULL when it is all
 * there, else the first thing that was not read. */
static const char *carried(const struct host_ctr_source *src,
			   const struct vfb_result *r, double got[HOST_CTR_N])
{
	const int64_t nd[HOST_CTR_N] = { r->nd_tx_bytes, r->nd_rx_bytes,
					 r->nd_tx_packets, r->nd_rx_packets };
	size_t i, j;

	for (i = 0; i < HOST_CTR_N; i++) {
		bool found = false;
		uint64_t v;

		got[i] = 0;
		if (src->netdev) {
			if (nd[i] < 0 || !r->netdev[0])
				return "its statistics";
			got[i] = (double)nd[i];
			continue;
		}
		for (j = 0; j < HOST_CTR_NAMES && src->files[i][j]; j++)
			if (map_get(r->rdma_counters, src->files[i][j], &v)) {
				got[i] += (double)v;
				found = true;
			}
		if (!found)
			return src->files[i][0];
		if (i == HOST_CTR_TX_BYTES || i == HOST_CTR_RX_BYTES)
			got[i] *= src->unit;
	}
	return NULL;
}

#define CARRIED_MIN 0.9

static void fail_text(struct vfb_result *row,
		      const struct host_proof_rule *rule, double got_b,
		      double got_p, double want_b, double want_p)
{
	if (rule->src->netdev)
		snprintf(row->error, sizeof(row->error),
			 "traffic did not take netdev %s: it carried %.0f "
			 "bytes in %.0f packets, the case put at least %.0f "
			 "bytes in %.0f messages on the wire",
			 row->netdev, got_b, got_p, want_b, want_p);
	else
		snprintf(row->error, sizeof(row->error),
			 "traffic did not take %s: its %s (%s) carried %.0f "
			 "bytes in %.0f packets, the case put at least %.0f "
			 "bytes in %.0f messages on the wire",
			 row->device[0] ? row->device : "the device",
			 rule->src->name, rule->rdma, got_b, got_p, want_b,
			 want_p);
}

bool host_counters_check(struct vfb_result *row, unsigned int crossings)
{
	const struct host_proof_rule *rule = host_proof_find(row->provider);
	double dirs = crossings;
	double want_b = (double)row->iters * (double)row->msg_bytes * dirs;
	double want_p = (double)row->iters * dirs;
	double got[HOST_CTR_N], got_b, got_p;
	const char *missing;

	if (row->status != VFB_STATUS_OK)
		return false;
	if (!rule) {
		snprintf(row->proof, sizeof(row->proof),
			 "not made: no counter source known for provider %s",
			 row->provider[0] ? row->provider : "(unknown)");
		return false;
	}
	missing = carried(rule->src, row, got);
	if (missing && rule->src->netdev)
		snprintf(row->proof, sizeof(row->proof),
			 "not made: statistics of netdev %s not read",
			 row->netdev[0] ? row->netdev : "(none)");
	else if (missing)
		snprintf(row->proof, sizeof(row->proof),
			 "not made: %s not read", missing);
	if (missing)
		return false;
	got_b = got[HOST_CTR_TX_BYTES] + got[HOST_CTR_RX_BYTES];
	got_p = got[HOST_CTR_TX_PACKETS] + got[HOST_CTR_RX_PACKETS];
	if (got_b >= CARRIED_MIN * want_b && got_p >= CARRIED_MIN * want_p) {
		/* no comma: a results.csv field a shell's awk -F, can read */
		snprintf(row->proof, sizeof(row->proof),
			 "%s: %.0f%% of the payload bytes; %.2f packets a "
			 "message",
			 rule->src->name, want_b > 0 ? 100 * got_b / want_b : 0,
			 want_p > 0 ? got_p / want_p : 0);
		return false;
	}
	row->status = VFB_STATUS_ERROR;
	snprintf(row->proof, sizeof(row->proof), "failed: %s", rule->src->name);
	fail_text(row, rule, got_b, got_p, want_b, want_p);
	return true;
}
