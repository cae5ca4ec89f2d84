/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "csv.h"
#include "results.h"

int rpt_csv_header(FILE *f)
{
	const struct rpt_col *c;
	size_t n, i;
	int ret = 0;

	c = rpt_cols(&n);
	for (i = 0; i < n && !ret; i++)
		ret = rpt_csv_field(f, c[i].name, i == 0);
	return ret ? ret : fputc('\n', f) == EOF ? -EIO : 0;
}

int rpt_csv_result(FILE *f, const struct vfb_result *r)
{
	const struct rpt_col *c;
	char buf[64];
	size_t n, i;
	int ret = 0;

	c = rpt_cols(&n);
	for (i = 0; i < n && !ret; i++)
		ret = rpt_csv_field(f, rpt_col_text(&c[i], r, buf, sizeof(buf)),
				    i == 0);
	return ret ? ret : fputc('\n', f) == EOF ? -EIO : 0;
}

json_object *rpt_result_json(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	const struct rpt_col *c;
	size_t n, i;

	c = rpt_cols(&n);
	for (i = 0; i < n; i++)
		json_object_object_add(o, c[i].name, rpt_col_json(&c[i], r));
	return o;
}

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
