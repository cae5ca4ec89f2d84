/* SPDX-License-Identifier: MIT */
/* The sharing section of a report: what vfbench share measured, in
 * tables, sentences and plots. The figures are the rows' (vfbench share
 * computed the aggregates, shares and penalties); nothing is derived
 * here but medians for the plots. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "doc.h"
#include "pathkind.h"

#define is(r, sc, ro) (!strcmp((r)->scenario, sc) && !strcmp((r)->role, ro))

static void gbps(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
}

/* The row of DEVICE in SCENARIO for TEST and SIZE (the first one). */
const struct vfb_result *rpt_share_find(const struct rpt_run *run,
					const char *scenario,
					const char *device, const char *test,
					uint64_t size)
{
	size_t i;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (!strcmp(r->scenario, scenario) &&
		    !strcmp(r->device, device) && !strcmp(r->test, test) &&
		    r->msg_bytes == size)
			return r;
	}
	return NULL;
}

static void fairness_table(const struct doc_ops *d, FILE *f,
			   const struct rpt_run *run,
			   const struct vfb_result *agg)
{
	static const char *const hdr[] = {
		"device", "path",     "alone Gb/s",	    "together Gb/s",
		"share",  "cap Mb/s", "cap verdict (alone)"
	};
	char c[7][64];
	const char *cells[7];
	size_t i;
	int k;

	d->row(f, hdr, 7, true);
	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i], *solo;

		if (!is(r, "fairness", "member") ||
		    strcmp(r->test, agg->test) ||
		    r->msg_bytes != agg->msg_bytes)
			continue;
		solo = rpt_share_find(run, "solo", r->device, r->test,
				      r->msg_bytes);
		snprintf(c[0], 64, "%s", r->device);
		snprintf(c[1], 64, "%s", r->path);
		gbps(solo && solo->has_bw ? solo->bw_avg_gbps : NAN, c[2], 64);
		gbps(r->has_bw ? r->bw_avg_gbps : NAN, c[3], 64);
		snprintf(c[4], 64, "%.1f%%",
			 r->has_bw && agg->bw_avg_gbps > 0 ?
				 100 * r->bw_avg_gbps / agg->bw_avg_gbps :
				 NAN);
		gbps(r->rate_cap_mbps, c[5], 64);
		/* a cap binds, or not, where the device runs alone: together
		 * the others' load could pass for it */
		snprintf(c[6], 64, "%.63s",
			 r->status != VFB_STATUS_OK ? r->error :
			 solo && solo->has_bw	    ? solo->cap_verdict :
						      r->cap_verdict);
		for (k = 0; k < 7; k++)
			cells[k] = c[k];
		d->row(f, cells, 7, false);
	}
	d->table_end(f);
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

/* Each VF cap in words: what the device carried alone against it. */
static void caps(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		 const struct vfb_result *agg)
{
	char line[512];
	size_t i;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (strcmp(r->scenario, "solo") || strcmp(r->test, agg->test) ||
		    r->msg_bytes != agg->msg_bytes || isnan(r->rate_cap_mbps) ||
		    r->rate_cap_mbps <= 0 || !r->has_bw)
			continue;
		snprintf(line, sizeof(line),
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
		d->para(f, line);
	}
}

static void fairness(const struct doc_ops *d, FILE *f,
		     const struct rpt_run *run)
{
	char line[768];
	size_t i;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *a = &run->share[i];

		if (!is(a, "fairness", "aggregate"))
			continue;
		snprintf(line, sizeof(line), "Fairness: %s, %llu B", a->test,
			 (unsigned long long)a->msg_bytes);
		d->heading(f, line);
		if (a->status != VFB_STATUS_OK) {
			snprintf(line, sizeof(line), "Not measured: %s.",
				 a->error);
			d->para(f, line);
			continue;
		}
		snprintf(line, sizeof(line),
			 "%u devices started together (start skew %.0f us) "
			 "and carried %.3f Gb/s in all, %.2f times the %s "
			 "alone (efficiency). Jain's fairness index %.3f "
			 "(1: equal shares, %.2f: one device takes all); each "
			 "device's share of the sum lay between %.1f%% and "
			 "%.1f%% (a fair share is %.1f%%).",
			 a->active, a->skew_us, a->bw_avg_gbps, a->efficiency,
			 has_baseline(run, a) ? "PF" : "best device", a->jain,
			 1.0 / a->active, 100 * a->share_min,
			 100 * a->share_max, 100.0 / a->active);
		d->para(f, line);
		fairness_table(d, f, run, a);
		caps(d, f, run, a);
	}
}

static void scaling(const struct doc_ops *d, FILE *f, const struct rpt_run *run)
{
	static const char *const hdr[] = { "devices active",
					   "test",
					   "size",
					   "aggregate Gb/s",
					   "per device Gb/s",
					   "efficiency",
					   "start skew us" };
	char c[7][64];
	const char *cells[7];
	bool any = false;
	size_t i;
	int k;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *a = &run->share[i];

		if (!is(a, "scaling", "aggregate"))
			continue;
		if (!any) {
			d->heading(f, "Scaling");
			d->para(f, "The first N devices at once, N = 1, 2, 4, "
				   "... all: the aggregate against N, and its "
				   "ratio to one device alone (efficiency; N "
				   "is perfect scaling).");
			d->row(f, hdr, 7, true);
			any = true;
		}
		snprintf(c[0], 64, "%u", a->active);
		snprintf(c[1], 64, "%s", a->test);
		snprintf(c[2], 64, "%llu", (unsigned long long)a->msg_bytes);
		gbps(a->has_bw ? a->bw_avg_gbps : NAN, c[3], 64);
		gbps(a->has_bw ? a->bw_avg_gbps / a->active : NAN, c[4], 64);
		snprintf(c[5], 64, "%.2f", a->efficiency);
		if (isnan(a->skew_us))
			snprintf(c[6], 64, "-");
		else
			snprintf(c[6], 64, "%.0f", a->skew_us);
		for (k = 0; k < 7; k++)
			cells[k] = c[k];
		d->row(f, cells, 7, false);
	}
	if (any)
		d->table_end(f);
}

static void ratio_cell(const struct vfb_ratio *p, char *buf, size_t len)
{
	if (isnan(p->est))
		snprintf(buf, len, "n/a");
	else if (isnan(p->lo))
		snprintf(buf, len, "x%.2f", p->est);
	else
		snprintf(buf, len, "%sx%.2f [%.2f, %.2f]",
			 p->lo <= 1 && p->hi >= 1 ? "~ " : "", p->est, p->lo,
			 p->hi);
}

/* The aggressors' mean bandwidth while loading the victim. */
static double aggressor_gbps(const struct rpt_run *run, uint64_t *n)
{
	double sum = 0;
	size_t i;

	*n = 0;
	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *r = &run->share[i];

		if (is(r, "isolation", "aggressor") && r->has_bw &&
		    r->status == VFB_STATUS_OK) {
			sum += r->bw_avg_gbps;
			++*n;
		}
	}
	return *n ? sum / (double)*n : NAN;
}

static void isolation(const struct doc_ops *d, FILE *f,
		      const struct rpt_run *run)
{
	static const char *const hdr[] = { "victim",
					   "test",
					   "size",
					   "p50 loaded/alone",
					   "p99 loaded/alone",
					   "p99.9 loaded/alone" };
	char c[6][96], line[512];
	const char *cells[6];
	uint64_t nagg;
	bool any = false;
	size_t i;
	int k;

	for (i = 0; i < run->nshare; i++) {
		const struct vfb_result *a = &run->share[i];

		if (!is(a, "isolation", "aggregate"))
			continue;
		if (!any) {
			d->heading(f, "Isolation");
			snprintf(line, sizeof(line),
				 "The victim alone and under load, alternated; "
				 "each penalty is its percentile loaded over "
				 "alone with the 95%% interval over the "
				 "alternations ('~': not significant). The %u "
				 "aggressors carried %.3f Gb/s each on average "
				 "while loading it.",
				 a->active - 1, aggressor_gbps(run, &nagg));
			d->para(f, line);
			d->row(f, hdr, 6, true);
			any = true;
		}
		snprintf(c[0], 96, "%s (%s)", a->device, a->path);
		snprintf(c[1], 96, "%s", a->test);
		snprintf(c[2], 96, "%llu", (unsigned long long)a->msg_bytes);
		ratio_cell(&a->penalty_p50, c[3], 96);
		ratio_cell(&a->penalty_p99, c[4], 96);
		ratio_cell(&a->penalty_p999, c[5], 96);
		for (k = 0; k < 6; k++)
			cells[k] = c[k];
		d->row(f, cells, 6, false);
	}
	if (any)
		d->table_end(f);
}

void rpt_share_doc(const struct doc_ops *d, FILE *f, const struct rpt_run *run,
		   const struct rpt_dir *plotdir, bool plots)
{
	static const char *const names[] = { "share_fairness", "share_scaling",
					     "share_isolation" };
	size_t i;

	if (!run->nshare)
		return;
	d->heading(f, "Sharing one port (vfbench share)");
	fairness(d, f, run);
	scaling(d, f, run);
	isolation(d, f, run);
	for (i = 0; plots && i < 3; i++)
		d->image(f, plotdir, names[i]);
}
