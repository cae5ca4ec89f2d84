/* SPDX-License-Identifier: MIT */
/* The text renderer: a row as perftest prints it, the gate's table. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "gate.h"
#include "results.h"

void rpt_text_result(FILE *f, const struct vfb_result *r, int *last_kind)
{
	int kind = r->has_bw ? 2 : r->has_lat ? 1 : *last_kind;

	if (kind != *last_kind && kind == 1)
		fprintf(f, "%-10s %9s %9s %10s %10s %10s %10s %10s %11s %10s\n",
			"test", "#bytes", "#iters", "t_min[us]", "t_p50[us]",
			"t_avg[us]", "t_stdev[us]", "t_p99[us]", "t_p99.9[us]",
			"t_max[us]");
	else if (kind != *last_kind && kind == 2)
		fprintf(f, "%-10s %9s %9s %14s %14s %14s\n", "test", "#bytes",
			"#iters", "BW_peak[Gb/s]", "BW_avg[Gb/s]",
			"MsgRate[Mpps]");
	*last_kind = kind;
	if (r->status != VFB_STATUS_OK) {
		fprintf(f, "%-10s %9" PRIu64 " error: %s\n", r->test,
			r->msg_bytes, r->error);
		return;
	}
	if (r->has_lat) {
		char p99[16], p999[16];

		/* a percentile the samples do not support: n/a */
		snprintf(p99, sizeof(p99), isnan(r->lat.p99) ? "n/a" : "%.2f",
			 r->lat.p99);
		snprintf(p999, sizeof(p999),
			 isnan(r->lat.p999) ? "n/a" : "%.2f", r->lat.p999);
		fprintf(f,
			"%-10s %9" PRIu64 " %9" PRIu64
			" %10.2f %10.2f %10.2f %10.2f %10s %11s %10.2f\n",
			r->test, r->msg_bytes, r->iters, r->lat.min, r->lat.p50,
			r->lat.mean, r->lat.stdev, p99, p999, r->lat.max);
	} else
		fprintf(f,
			"%-10s %9" PRIu64 " %9" PRIu64
			" %14.4f %14.4f %14.6f\n",
			r->test, r->msg_bytes, r->iters, r->bw_peak_gbps,
			r->bw_avg_gbps, r->msg_rate_mpps);
}

void rpt_gate_table(FILE *f, const struct rpt_check *c, int n)
{
	int i, fails = 0, skips = 0;

	for (i = 0; i < n; i++) {
		skips += c[i].skipped;
		fprintf(f, "%-4s  %-58s %s\n",
			c[i].skipped ? "skip" :
			c[i].pass    ? "ok" :
				       "FAIL",
			c[i].name, c[i].detail);
		fails += !c[i].pass;
	}
	fprintf(f, "gate: %d checks, %d passed, %d failed, %d skipped\n", n,
		n - fails - skips, fails, skips);
}
