/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "share.h"

double shr_jain(const double *x, size_t n)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	return n && sq > 0 ? sum * sum / ((double)n * sq) : NAN;
}

/* The aggregate figures of K member bandwidths BW (K <= N members). */
static void aggregate_of(const double *bw, size_t k, size_t n,
			 double baseline_gbps, struct vfb_result *agg)
{
	double sum = 0, lo = INFINITY, hi = 0;
	size_t i;

	for (i = 0; i < k; i++)
		sum += bw[i];
	agg->has_bw = k > 0;
	agg->bw_avg_gbps = sum;
	agg->bw_avg_mbps = sum * 125;
	agg->bw_peak_gbps = NAN;
	for (i = 0; i < k && sum > 0; i++) {
		lo = fmin(lo, bw[i] / sum);
		hi = fmax(hi, bw[i] / sum);
	}
	agg->jain = shr_jain(bw, k);
	agg->share_min = k && sum > 0 ? lo : NAN;
	agg->share_max = k && sum > 0 ? hi : NAN;
	agg->efficiency = baseline_gbps > 0 ? sum / baseline_gbps : NAN;
	agg->status = k == n && k ? VFB_STATUS_OK : VFB_STATUS_ERROR;
}

/* "1 of 2 members measured (vf1: no row for 65536 B)" */
static void missing_text(const struct vfb_result *const *m, size_t n, size_t k,
			 struct vfb_result *agg)
{
	size_t i, used;

	used = (size_t)snprintf(agg->error, sizeof(agg->error),
				"%zu of %zu members measured", k, n);
	for (i = 0; i < n && used < sizeof(agg->error); i++)
		if (m[i]->status != VFB_STATUS_OK && m[i]->device[0])
			used += (size_t)snprintf(
				agg->error + used, sizeof(agg->error) - used,
				"%s%s: %.60s", used ? "; " : "", m[i]->device,
				m[i]->error);
}

void shr_aggregate(const struct vfb_result *const *m, size_t n,
		   double baseline_gbps, struct vfb_result *agg)
{
	double bw[SHR_MAX], rate = 0;
	size_t i, k = 0;

	for (i = 0; i < n && i < SHR_MAX; i++) {
		if (m[i]->status != VFB_STATUS_OK || !m[i]->has_bw)
			continue;
		bw[k++] = m[i]->bw_avg_gbps;
		rate += m[i]->msg_rate_mpps;
	}
	aggregate_of(bw, k, n, baseline_gbps, agg);
	agg->msg_rate_mpps = rate;
	if (agg->status != VFB_STATUS_OK)
		missing_text(m, n, k, agg);
}

/* Bytes of a series at time T, linearly between its stamps. */
static double bytes_at(const struct shr_series *s, double t)
{
	size_t i;

	if (!s->n || t <= s->t[0])
		return 0;
	for (i = 1; i < s->n; i++)
		if (t <= s->t[i])
			return s->bytes[i - 1] +
			       (s->bytes[i] - s->bytes[i - 1]) *
				       (t - s->t[i - 1]) /
				       (s->t[i] - s->t[i - 1]);
	return s->bytes[s->n - 1];
}

int shr_window(const struct shr_series *s, size_t n, double baseline_gbps,
	       struct vfb_result *agg)
{
	double bw[SHR_MAX], from = -INFINITY, to = INFINITY;
	size_t i;

	if (!n || n > SHR_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i].n < 2)
			return -EINVAL;
		from = fmax(from, s[i].t[0]);
		to = fmin(to, s[i].t[s[i].n - 1]);
	}
	if (!(to > from))
		return -ERANGE; /* the windows do not overlap */
	for (i = 0; i < n; i++)
		bw[i] = (bytes_at(&s[i], to) - bytes_at(&s[i], from)) * 8 /
			(to - from) / 1e9;
	aggregate_of(bw, n, n, baseline_gbps, agg);
	agg->msg_rate_mpps = NAN;
	agg->seconds = to - from;
	return 0;
}

const struct vfb_result *shr_row(const struct vfb_result *rows, size_t nrows,
				 size_t j, const char *dev,
				 struct vfb_result *missing)
{
	if (j < nrows)
		return &rows[j];
	vfb_result_init(missing);
	snprintf(missing->device, sizeof(missing->device), "%s", dev);
	missing->status = VFB_STATUS_ERROR;
	snprintf(missing->error, sizeof(missing->error),
		 "no row for this size");
	return missing;
}

/*
 * Headers on the wire, per packet, by link. RoCE v2 counts the Ethernet
 * frame (header 14 + FCS 4; not the preamble and inter-frame gap, 20 B,
 * which sit below what a VF rate limiter meters), IPv4 20, UDP 8, BTH 12,
 * ICRC 4. InfiniBand: LRH 8, GRH 40 when the address vector has one,
 * BTH 12, ICRC 4, VCRC 2.
 */
static const struct {
	const char *name;
	unsigned int per_pkt;
} wire_links[] = {
	{ "roce_v2", 14 + 4 + 20 + 8 + 12 + 4 },
	{ "ib", 8 + 12 + 4 + 2 },
	{ "ib_grh", 8 + 40 + 12 + 4 + 2 },
};

/*
 * Extended headers by opcode (IBTA vol. 1, 9.2-9.4): on the first packet,
 * on the last one, and on an only packet. WRITE: RETH 16 on the first;
 * with immediate: ImmDt 4 on the last. READ responses: AETH 4 on the
 * first and the last (once on an only one).
 */
static const struct {
	const char *opcode;
	unsigned int first, last, only;
} wire_ops[] = {
	{ "RDMA_WRITE", 16, 0, 16 }, { "RDMA_WRITE_WITH_IMM", 16, 4, 20 },
	{ "SEND", 0, 0, 0 },	     { "SEND_WITH_IMM", 0, 4, 4 },
	{ "RDMA_READ", 4, 4, 4 },
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

double shr_wire_bytes(uint64_t size, unsigned int mtu, const char *opcode,
		      const char *link)
{
	size_t l, o;
	uint64_t pkts;

	for (l = 0;
	     link && l < NELEMS(wire_links) && strcmp(wire_links[l].name, link);
	     l++)
		;
	for (o = 0; opcode && o < NELEMS(wire_ops) &&
		    strcmp(wire_ops[o].opcode, opcode);
	     o++)
		;
	if (!link || !opcode || l == NELEMS(wire_links) ||
	    o == NELEMS(wire_ops) || !mtu || !size)
		return 0;
	pkts = (size + mtu - 1) / mtu;
	return (double)size + (double)pkts * wire_links[l].per_pkt +
	       (pkts == 1 ? wire_ops[o].only :
			    wire_ops[o].first + wire_ops[o].last);
}

unsigned int shr_roce_mtu(long netdev_mtu)
{
	/* include/rdma/ib_addr.h iboe_get_mtu(): the netdev's MTU less
	 * GRH 40, UDP 8, BTH 12, XRC ext 4, AtomicETH 28, ICRC 4 */
	static const unsigned int ib_mtus[] = { 4096, 2048, 1024, 512, 256 };
	long room = netdev_mtu - (40 + 8 + 12 + 4 + 28 + 4);
	size_t i;

	for (i = 0; i < NELEMS(ib_mtus); i++)
		if (room >= (long)ib_mtus[i])
			return ib_mtus[i];
	return 0;
}

const char *shr_cap_verdict(double cap_mbps, double achieved_mbps)
{
	if (isnan(cap_mbps) || cap_mbps <= 0)
		return "none";
	if (achieved_mbps > cap_mbps * 1.10)
		return "exceeded";
	if (achieved_mbps < cap_mbps * 0.90)
		return "not_reached";
	return "enforced";
}

void shr_penalty(const double *alone, const double *loaded, size_t n,
		 struct vfb_ratio *out)
{
	double a[SHR_REPS], b[SHR_REPS];
	struct vfb_cmp c;
	size_t i, k = 0;

	*out = (struct vfb_ratio){ NAN, NAN, NAN };
	for (i = 0; i < n && k < SHR_REPS; i++)
		if (!isnan(alone[i]) && !isnan(loaded[i])) {
			a[k] = alone[i];
			b[k++] = loaded[i];
		}
	if (vfb_cmp_reps(a, k, b, k, VFB_CMP_THRESHOLD, &c))
		return;
	*out = (struct vfb_ratio){ c.est, c.lo, c.hi };
}
