/* SPDX-License-Identifier: MIT */
/* Sharing one port (scenario.h): what vfbench share measured, in
 * tables and sentences a qualification report can quote; its plots
 * (scn_sharefig.c). The figures are the rows' (vfbench share computed
 * the aggregates, shares and penalties); nothing is derived here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "pathkind.h"
#include "scn.h"

#define is(r, sc, ro) (!strcmp((r)->scenario, sc) && !strcmp((r)->role, ro))

static const char *gbps(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

/* The next row of SCENARIO and ROLE from *AT into V->key. */
static bool next_of(struct rpt_view *v, size_t *at, const char *scenario,
		    const char *role)
{
	for (; *at < v->run->nshare; ++*at)
		if (is(&v->run->share[*at], scenario, role)) {
			v->key = &v->run->share[(*at)++];
			return true;
		}
	return false;
}

/* Once, about the first row of SCENARIO and ROLE, when there is one. */
static bool once_of(struct rpt_view *v, size_t *at, const char *scenario,
		    const char *role)
{
	bool any = !*at && next_of(v, at, scenario, role);

	*at = v->run->nshare + 1;
	return any;
}

/* The rows of SCENARIO and ROLE (of the key's test and size when SAME)
 * into V->sel. */
static long rows_of(struct rpt_view *v, const char *scenario, const char *role,
		    bool same)
{
	const struct vfb_result *k = v->key;
	long n = 0;
	size_t i;

	if (!(v->sel = malloc((v->run->nshare + 1) * sizeof(*v->sel))))
		return -1;
	for (i = 0; i < v->run->nshare; i++) {
		const struct vfb_result *r = &v->run->share[i];

		if (is(r, scenario, role) &&
		    (!same || (!strcmp(r->test, k->test) &&
			       r->msg_bytes == k->msg_bytes)))
			v->sel[n++] = r;
	}
	return n;
}

static bool fairness_each(struct rpt_view *v, size_t *at)
{
	return next_of(v, at, "fairness", "aggregate");
}

static bool fairness_title(const struct rpt_view *v, size_t *at, char *buf,
			   size_t len)
{
	if ((*at)++)
		return false;
	snprintf(buf, len < 768 ? len : 768, "Fairness: %s, %llu B",
		 v->key->test, (unsigned long long)v->key->msg_bytes);
	return true;
}

static bool not_measured(const struct rpt_view *v, size_t *at, char *buf,
			 size_t len)
{
	if ((*at)++ || v->key->status == VFB_STATUS_OK)
		return false;
	snprintf(buf, len < 768 ? len : 768, "Not measured: %s.",
		 v->key->error);
	return true;
}

/* A member of the path kind comparisons are made against (the PF). */
static bool has_baseline(const struct rpt_run *run,
			 const struct vfb_result *agg)
{
	const struct vfb_path_kind *b = vfb_path_baseline();
	size_t i;

	for (i = 0; b && i < run->nshare; i++)
		if (is(&run->share[i], "fairness", "member") &&
		    !strcmp(run->share[i].path, b->name) &&
		    !strcmp(run->share[i].test, agg->test))
			return true;
	return false;
}

static bool fairness_text(const struct rpt_view *v, size_t *at, char *buf,
			  size_t len)
{
	const struct vfb_result *a = v->key;

	if ((*at)++ || a->status != VFB_STATUS_OK)
		return false;
	snprintf(buf, len < 768 ? len : 768,
		 "%u devices started together (start skew %.0f us) "
		 "and carried %.3f Gb/s in all, %.2f times the %s "
		 "alone (efficiency). Jain's fairness index %.3f "
		 "(1: equal shares, %.2f: one device takes all); each "
		 "device's share of the sum lay between %.1f%% and "
		 "%.1f%% (a fair share is %.1f%%).",
		 a->active, a->skew_us, a->bw_avg_gbps, a->efficiency,
		 has_baseline(v->run, a) ? "PF" : "best device", a->jain,
		 1.0 / a->active, 100 * a->share_min, 100 * a->share_max,
		 100.0 / a->active);
	return true;
}

static long members(struct rpt_view *v)
{
	if (v->key->status != VFB_STATUS_OK)
		return -1;
	return rows_of(v, "fairness", "member", true);
}

static const struct vfb_result *solo_of(const struct rpt_view *v,
					const struct vfb_result *r)
{
	return rpt_share_find(v->run, "solo", r->device, r->test, r->msg_bytes);
}

static const char *member_cell(const struct rpt_view *v, size_t row, int col,
			       char *buf, size_t len)
{
	const struct vfb_result *r = v->sel[row], *agg = v->key;
	const struct vfb_result *solo = solo_of(v, r);

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", r->device);
		return buf;
	case 1:
		snprintf(buf, len, "%s", r->path);
		return buf;
	case 2:
		return gbps(solo && solo->has_bw ? solo->bw_avg_gbps : NAN, buf,
			    len);
	case 3:
		return gbps(r->has_bw ? r->bw_avg_gbps : NAN, buf, len);
	case 4:
		snprintf(buf, len, "%.1f%%",
			 r->has_bw && agg->bw_avg_gbps > 0 ?
				 100 * r->bw_avg_gbps / agg->bw_avg_gbps :
				 NAN);
		return buf;
	case 5:
		return gbps(r->rate_cap_mbps, buf, len);
	}
	/* a cap binds, or not, where the device runs alone: together the
	 * others' load could pass for it */
	snprintf(buf, len, "%.63s",
		 r->status != VFB_STATUS_OK ? r->error :
		 solo && solo->has_bw	    ? solo->cap_verdict :
					      r->cap_verdict);
	return buf;
}

#define CELL(fn, name, k)                                                      \
	static const char *fn##_##name(const struct rpt_view *v, size_t row,   \
				       int path, char *buf, size_t len)        \
	{                                                                      \
		(void)path;                                                    \
		return fn(v, row, k, buf, len);                                \
	}
CELL(member_cell, device, 0)
CELL(member_cell, path, 1)
CELL(member_cell, alone, 2)
CELL(member_cell, together, 3)
CELL(member_cell, share, 4)
CELL(member_cell, cap, 5)
CELL(member_cell, verdict, 6)

static const struct rpt_column member_cols[] = {
	{ "device", RPT_ONCE, member_cell_device, 64 },
	{ "path", RPT_ONCE, member_cell_path, 64 },
	{ "alone Gb/s", RPT_ONCE, member_cell_alone, 64 },
	{ "together Gb/s", RPT_ONCE, member_cell_together, 64 },
	{ "share", RPT_ONCE, member_cell_share, 64 },
	{ "cap Mb/s", RPT_ONCE, member_cell_cap, 64 },
	{ "cap verdict (alone)", RPT_ONCE, member_cell_verdict, 64 },
};

static const struct rpt_table member_table = {
	.rows = members,
	.cols = member_cols,
	.ncols = RPT_LEN(member_cols),
	.always = true,
};

/* Each VF cap in words: what the device carried alone against it. */
static bool caps(const struct rpt_view *v, size_t *at, char *buf, size_t len)
{
	const struct vfb_result *agg = v->key;

	for (; agg->status == VFB_STATUS_OK && *at < v->run->nshare; ++*at) {
		const struct vfb_result *r = &v->run->share[*at];

		if (strcmp(r->scenario, "solo") || strcmp(r->test, agg->test) ||
		    r->msg_bytes != agg->msg_bytes || isnan(r->rate_cap_mbps) ||
		    r->rate_cap_mbps <= 0 || !r->has_bw)
			continue;
		snprintf(buf, len < 512 ? len : 512,
			 "%s: capped at %.0f Mb/s (max_tx_rate), it carried "
			 "%.1f Mb/s alone: %s%s",
			 r->device, r->rate_cap_mbps, r->bw_avg_gbps * 1000,
			 r->cap_verdict,
			 !strcmp(r->cap_verdict, "exceeded") ?
				 " - the driver took the cap, the traffic "
				 "ignored it." :
			 !strcmp(r->cap_verdict, "enforced") ?
				 " - the traffic kept to it." :
				 " - it did not reach the cap, which so "
				 "says nothing of enforcement.");
		++*at;
		return true;
	}
	return false;
}

static bool scaling_each(struct rpt_view *v, size_t *at)
{
	return once_of(v, at, "scaling", "aggregate");
}

static long scaling_rows(struct rpt_view *v)
{
	return rows_of(v, "scaling", "aggregate", false);
}

static const char *scaling_cell(const struct rpt_view *v, size_t row, int col,
				char *buf, size_t len)
{
	const struct vfb_result *a = v->sel[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%u", a->active);
		return buf;
	case 1:
		snprintf(buf, len, "%s", a->test);
		return buf;
	case 2:
		snprintf(buf, len, "%llu", (unsigned long long)a->msg_bytes);
		return buf;
	case 3:
		return gbps(a->has_bw ? a->bw_avg_gbps : NAN, buf, len);
	case 4:
		return gbps(a->has_bw ? a->bw_avg_gbps / a->active : NAN, buf,
			    len);
	case 5:
		snprintf(buf, len, "%.2f", a->efficiency);
		return buf;
	}
	if (isnan(a->skew_us))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", a->skew_us);
	return buf;
}
CELL(scaling_cell, active, 0)
CELL(scaling_cell, test, 1)
CELL(scaling_cell, size, 2)
CELL(scaling_cell, sum, 3)
CELL(scaling_cell, each, 4)
CELL(scaling_cell, efficiency, 5)
CELL(scaling_cell, skew, 6)

static const struct rpt_column scaling_cols[] = {
	{ "devices active", RPT_ONCE, scaling_cell_active, 64 },
	{ "test", RPT_ONCE, scaling_cell_test, 64 },
	{ "size", RPT_ONCE, scaling_cell_size, 64 },
	{ "aggregate Gb/s", RPT_ONCE, scaling_cell_sum, 64 },
	{ "per device Gb/s", RPT_ONCE, scaling_cell_each, 64 },
	{ "efficiency", RPT_ONCE, scaling_cell_efficiency, 64 },
	{ "start skew us", RPT_ONCE, scaling_cell_skew, 64 },
};

static const struct rpt_table scaling_table = {
	.rows = scaling_rows,
	.cols = scaling_cols,
	.ncols = RPT_LEN(scaling_cols),
};

static bool isolation_each(struct rpt_view *v, size_t *at)
{
	return once_of(v, at, "isolation", "aggregate");
}

/* The aggressors' mean bandwidth while loading the victim. */
static double aggressor_gbps(const struct rpt_run *run)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (is(r, "isolation", "aggressor") && r->has_bw &&
		    r->status == VFB_STATUS_OK) {
			sum += r->bw_avg_gbps;
			n++;
		}
	}
	return n ? sum / (double)n : NAN;
}

static bool isolation_text(const struct rpt_view *v, size_t *at, char *buf,
			   size_t len)
{
	if ((*at)++)
		return false;
	snprintf(buf, len < 512 ? len : 512,
		 "The victim alone and under load, alternated; "
		 "each penalty is its percentile loaded over "
		 "alone with the 95%% interval over the "
		 "alternations ('~': not significant). The %u "
		 "aggressors carried %.3f Gb/s each on average "
		 "while loading it.",
		 v->key->active - 1, aggressor_gbps(v->run));
	return true;
}

static long isolation_rows(struct rpt_view *v)
{
	return rows_of(v, "isolation", "aggregate", false);
}

static const char *ratio_cell(const struct vfb_ratio *p, char *buf, size_t len)
{
	if (isnan(p->est))
		snprintf(buf, len, "n/a");
	else if (isnan(p->lo))
		snprintf(buf, len, "x%.2f", p->est);
	else
		snprintf(buf, len, "%sx%.2f [%.2f, %.2f]",
			 p->lo <= 1 && p->hi >= 1 ? "~ " : "", p->est, p->lo,
			 p->hi);
	return buf;
}

static const char *isolation_cell(const struct rpt_view *v, size_t row, int col,
				  char *buf, size_t len)
{
	const struct vfb_result *a = v->sel[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s (%s)", a->device, a->path);
		return buf;
	case 1:
		snprintf(buf, len, "%s", a->test);
		return buf;
	case 2:
		snprintf(buf, len, "%llu", (unsigned long long)a->msg_bytes);
		return buf;
	case 3:
		return ratio_cell(&a->penalty_p50, buf, len);
	case 4:
		return ratio_cell(&a->penalty_p99, buf, len);
	}
	return ratio_cell(&a->penalty_p999, buf, len);
}
CELL(isolation_cell, victim, 0)
CELL(isolation_cell, test, 1)
CELL(isolation_cell, size, 2)
CELL(isolation_cell, p50, 3)
CELL(isolation_cell, p99, 4)
CELL(isolation_cell, p999, 5)

static const struct rpt_column isolation_cols[] = {
	{ "victim", RPT_ONCE, isolation_cell_victim, 96 },
	{ "test", RPT_ONCE, isolation_cell_test, 96 },
	{ "size", RPT_ONCE, isolation_cell_size, 96 },
	{ "p50 loaded/alone", RPT_ONCE, isolation_cell_p50, 96 },
	{ "p99 loaded/alone", RPT_ONCE, isolation_cell_p99, 96 },
	{ "p99.9 loaded/alone", RPT_ONCE, isolation_cell_p999, 96 },
};

static const struct rpt_table isolation_table = {
	.rows = isolation_rows,
	.cols = isolation_cols,
	.ncols = RPT_LEN(isolation_cols),
};

static const struct rpt_block intro[] = {
	{ .kind = RPT_HEADING, .text = "Sharing one port (vfbench share)" },
};

static const struct rpt_block fairness[] = {
	{ .kind = RPT_HEADING, .say = fairness_title },
	{ .kind = RPT_PARA, .say = not_measured },
	{ .kind = RPT_PARA, .say = fairness_text },
	{ .kind = RPT_TABLE, .table = &member_table },
	{ .kind = RPT_PARA, .say = caps },
};

static const struct rpt_block scaling[] = {
	{ .kind = RPT_HEADING, .text = "Scaling" },
	{ .kind = RPT_PARA,
	  .text = "The first N devices at once, N = 1, 2, 4, ... all: the "
		  "aggregate against N, and its ratio to one device alone "
		  "(efficiency; N is perfect scaling)." },
	{ .kind = RPT_TABLE, .table = &scaling_table },
};

static const struct rpt_block isolation[] = {
	{ .kind = RPT_HEADING, .text = "Isolation" },
	{ .kind = RPT_PARA, .say = isolation_text },
	{ .kind = RPT_TABLE, .table = &isolation_table },
};

static const struct rpt_block plots[] = {
	{ .kind = RPT_FIGURE, .text = "share_fairness" },
	{ .kind = RPT_FIGURE, .text = "share_scaling" },
	{ .kind = RPT_FIGURE, .text = "share_isolation" },
};

static const struct rpt_section sections[] = {
	{ .blocks = intro, .nblocks = RPT_LEN(intro) },
	{ .each = fairness_each,
	  .blocks = fairness,
	  .nblocks = RPT_LEN(fairness) },
	{ .each = scaling_each,
	  .blocks = scaling,
	  .nblocks = RPT_LEN(scaling) },
	{ .each = isolation_each,
	  .blocks = isolation,
	  .nblocks = RPT_LEN(isolation) },
	{ .blocks = plots, .nblocks = RPT_LEN(plots) },
};

static bool present(const struct rpt_run *run)
{
	return run->nshare > run->ndrill; /* drill's rows are there too */
}

const struct rpt_scenario rpt_scn_share = {
	.name = "share",
	.present = present,
	.sections = sections,
	.nsections = RPT_LEN(sections),
	.figures = rpt_share_figures,
	.nfigures = RPT_SHARE_FIGURES,
};
