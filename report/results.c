/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "results.h"

static const char *const columns[] = {
	"device", "path", "test", "msg_bytes", "iters", "lat_min_us",
	"lat_p50_us", "lat_avg_us", "lat_stdev_us", "lat_p99_us",
	"lat_p999_us", "lat_p9999_us", "lat_max_us", "lat_err_bound",
	"bw_avg_gbps", "bw_peak_gbps", "bw_avg_MBps", "msg_rate_mpps",
	"seconds", "status", "error",
};

#define NCOLS (sizeof(columns) / sizeof(columns[0]))

int rpt_csv_header(FILE *f)
{
	return rpt_csv_row(f, columns, NCOLS);
}

static void fmt(char *buf, size_t len, bool on, int prec, double v)
{
	if (on)
		snprintf(buf, len, "%.*f", prec, v);
	else
		buf[0] = '\0';
}

int rpt_csv_result(FILE *f, const struct vfb_result *r)
{
	char v[NCOLS][32];
	const char *fields[NCOLS];
	bool ok = r->status == VFB_STATUS_OK;
	bool lat = ok && r->has_lat && r->lat.n;
	bool bw = ok && r->has_bw;
	size_t i;

	snprintf(v[3], 32, "%" PRIu64, r->msg_bytes);
	fmt(v[4], 32, ok, 0, (double)r->iters);
	fmt(v[5], 32, lat, 3, r->lat.min);
	fmt(v[6], 32, lat, 3, r->lat.p50);
	fmt(v[7], 32, lat, 3, r->lat.mean);
	fmt(v[8], 32, lat, 3, r->lat.stdev);
	fmt(v[9], 32, lat, 3, r->lat.p99);
	fmt(v[10], 32, lat, 3, r->lat.p999);
	fmt(v[11], 32, lat, 3, r->lat.p9999);
	fmt(v[12], 32, lat, 3, r->lat.max);
	fmt(v[13], 32, lat, 4, r->lat.err_bound);
	fmt(v[14], 32, bw, 4, r->bw_avg_gbps);
	fmt(v[15], 32, bw, 4, r->bw_peak_gbps);
	fmt(v[16], 32, bw, 3, r->bw_avg_gbps * 1e3 / 8);
	fmt(v[17], 32, bw, 6, r->msg_rate_mpps);
	fmt(v[18], 32, ok, 6, r->seconds);
	for (i = 0; i < NCOLS; i++)
		fields[i] = v[i];
	fields[0] = r->device;
	fields[1] = r->path;
	fields[2] = r->test;
	fields[19] = vfb_status_name(r->status);
	fields[20] = r->error;
	return rpt_csv_row(f, fields, NCOLS);
}

static void add_num(json_object *o, const char *k, bool on, double v)
{
	json_object_object_add(o, k, on ? json_object_new_double(v) : NULL);
}

json_object *rpt_result_json(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	bool ok = r->status == VFB_STATUS_OK;
	bool lat = ok && r->has_lat && r->lat.n;
	bool bw = ok && r->has_bw;

	json_object_object_add(o, "device", json_object_new_string(r->device));
	json_object_object_add(o, "path", json_object_new_string(r->path));
	json_object_object_add(o, "test", json_object_new_string(r->test));
	json_object_object_add(o, "msg_bytes", json_object_new_int64((int64_t)r->msg_bytes));
	json_object_object_add(o, "iters", ok ? json_object_new_int64((int64_t)r->iters) : NULL);
	add_num(o, "lat_min_us", lat, r->lat.min);
	add_num(o, "lat_p50_us", lat, r->lat.p50);
	add_num(o, "lat_avg_us", lat, r->lat.mean);
	add_num(o, "lat_stdev_us", lat, r->lat.stdev);
	add_num(o, "lat_p99_us", lat, r->lat.p99);
	add_num(o, "lat_p999_us", lat, r->lat.p999);
	add_num(o, "lat_p9999_us", lat, r->lat.p9999);
	add_num(o, "lat_max_us", lat, r->lat.max);
	add_num(o, "lat_err_bound", lat, r->lat.err_bound);
	add_num(o, "bw_avg_gbps", bw, r->bw_avg_gbps);
	add_num(o, "bw_peak_gbps", bw, r->bw_peak_gbps);
	add_num(o, "msg_rate_mpps", bw, r->msg_rate_mpps);
	add_num(o, "seconds", ok, r->seconds);
	json_object_object_add(o, "status",
			       json_object_new_string(vfb_status_name(r->status)));
	json_object_object_add(o, "error", r->error[0] ?
			       json_object_new_string(r->error) : NULL);
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
			"#iters", "BW_peak[Gb/s]", "BW_avg[Gb/s]", "MsgRate[Mpps]");
	*last_kind = kind;
	if (r->status != VFB_STATUS_OK) {
		fprintf(f, "%-10s %9" PRIu64 " error: %s\n", r->test,
			r->msg_bytes, r->error);
		return;
	}
	if (r->has_lat)
		fprintf(f, "%-10s %9" PRIu64 " %9" PRIu64
			   " %10.2f %10.2f %10.2f %10.2f %10.2f %11.2f %10.2f\n",
			r->test, r->msg_bytes, r->iters, r->lat.min, r->lat.p50,
			r->lat.mean, r->lat.stdev, r->lat.p99, r->lat.p999,
			r->lat.max);
	else
		fprintf(f, "%-10s %9" PRIu64 " %9" PRIu64 " %14.4f %14.4f %14.6f\n",
			r->test, r->msg_bytes, r->iters, r->bw_peak_gbps,
			r->bw_avg_gbps, r->msg_rate_mpps);
}
