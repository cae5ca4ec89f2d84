/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "results.h"

static const char *const columns[] = {
	"run_id", "host", "path", "device", "provider", "pci", "netdev",
	"peer", "gid_index", "cpu", "numa", "test", "msg_bytes", "iters",
	"lat_min_us", "lat_p50_us", "lat_avg_us", "lat_stdev_us", "lat_p99_us",
	"lat_p999_us", "lat_p9999_us", "lat_max_us", "lat_err_bound",
	"bw_avg_gbps", "bw_peak_gbps", "bw_avg_MBps", "msg_rate_mpps",
	"signaled_every", "inline", "verify",
	"seconds", "stability", "ci_rel", "status", "error",
};

#define NCOLS (sizeof(columns) / sizeof(columns[0]))

int rpt_csv_header(FILE *f)
{
	return rpt_csv_row(f, columns, NCOLS);
}

const char *const *rpt_csv_columns(size_t *n)
{
	*n = NCOLS;
	return columns;
}

struct row_buf {
	const char *f[NCOLS];
	char v[NCOLS][32];
	size_t n;
};

static void put_str(struct row_buf *b, const char *s)
{
	b->f[b->n++] = s;
}

/* Every figure with 9 significant digits: what is written reads back
 * as the same text, and no small value rounds to 0. */
static void put_num(struct row_buf *b, bool on, double v)
{
	if (on)
		snprintf(b->v[b->n], sizeof(b->v[0]), "%.9g", v);
	else
		b->v[b->n][0] = '\0';
	b->f[b->n] = b->v[b->n];
	b->n++;
}

static void put_int(struct row_buf *b, bool on, uint64_t v)
{
	if (on)
		snprintf(b->v[b->n], sizeof(b->v[0]), "%" PRIu64, v);
	else
		b->v[b->n][0] = '\0';
	b->f[b->n] = b->v[b->n];
	b->n++;
}

static void put_idx(struct row_buf *b, int v)
{
	put_int(b, v >= 0, (uint64_t)v);
}

int rpt_csv_result(FILE *f, const struct vfb_result *r)
{
	struct row_buf b = { .n = 0 };
	bool ok = r->status == VFB_STATUS_OK;
	bool lat = ok && r->has_lat && r->lat.n;
	bool bw = ok && r->has_bw;

	put_str(&b, r->run_id);
	put_str(&b, r->host);
	put_str(&b, r->path);
	put_str(&b, r->device);
	put_str(&b, r->provider);
	put_str(&b, r->pci);
	put_str(&b, r->netdev);
	put_str(&b, r->peer);
	put_idx(&b, r->gid_index);
	put_idx(&b, r->cpu);
	put_idx(&b, r->numa);
	put_str(&b, r->test);
	put_int(&b, true, r->msg_bytes);
	put_int(&b, ok, r->iters);
	put_num(&b, lat, r->lat.min);
	put_num(&b, lat, r->lat.p50);
	put_num(&b, lat, r->lat.mean);
	put_num(&b, lat, r->lat.stdev);
	put_num(&b, lat, r->lat.p99);
	put_num(&b, lat, r->lat.p999);
	put_num(&b, lat, r->lat.p9999);
	put_num(&b, lat, r->lat.max);
	put_num(&b, lat, r->lat.err_bound);
	put_num(&b, bw, r->bw_avg_gbps);
	put_num(&b, bw, r->bw_peak_gbps);
	put_num(&b, bw, r->bw_avg_mbps);
	put_num(&b, bw, r->msg_rate_mpps);
	put_int(&b, ok && r->signaled_every, r->signaled_every);
	put_str(&b, !ok || r->inline_data < 0 ? "" : r->inline_data ? "yes" : "no");
	put_str(&b, ok ? r->verify : "");
	put_num(&b, ok, r->seconds);
	put_str(&b, ok ? r->stability : "");
	put_num(&b, ok && r->ci_rel >= 0, r->ci_rel);
	put_str(&b, vfb_status_name(r->status));
	put_str(&b, r->error);
	return rpt_csv_row(f, b.f, (int)b.n);
}

static void add_num(json_object *o, const char *k, bool on, double v)
{
	json_object_object_add(o, k, on ? json_object_new_double(v) : NULL);
}

static json_object *str_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

static json_object *idx_or_null(int v)
{
	return v >= 0 ? json_object_new_int(v) : NULL;
}

json_object *rpt_result_json(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	bool ok = r->status == VFB_STATUS_OK;
	bool lat = ok && r->has_lat && r->lat.n;
	bool bw = ok && r->has_bw;

	json_object_object_add(o, "run_id", str_or_null(r->run_id));
	json_object_object_add(o, "host", str_or_null(r->host));
	json_object_object_add(o, "path", json_object_new_string(r->path));
	json_object_object_add(o, "device", json_object_new_string(r->device));
	json_object_object_add(o, "provider", str_or_null(r->provider));
	json_object_object_add(o, "pci", str_or_null(r->pci));
	json_object_object_add(o, "netdev", str_or_null(r->netdev));
	json_object_object_add(o, "peer", str_or_null(r->peer));
	json_object_object_add(o, "gid_index", idx_or_null(r->gid_index));
	json_object_object_add(o, "cpu", idx_or_null(r->cpu));
	json_object_object_add(o, "numa", idx_or_null(r->numa));
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
	add_num(o, "bw_avg_MBps", bw, r->bw_avg_mbps);
	add_num(o, "msg_rate_mpps", bw, r->msg_rate_mpps);
	json_object_object_add(o, "signaled_every", ok && r->signaled_every ?
			       json_object_new_int64(r->signaled_every) : NULL);
	json_object_object_add(o, "inline", !ok || r->inline_data < 0 ? NULL :
			       json_object_new_boolean(r->inline_data));
	json_object_object_add(o, "verify", ok ? str_or_null(r->verify) : NULL);
	add_num(o, "seconds", ok, r->seconds);
	json_object_object_add(o, "stability", ok ? str_or_null(r->stability) : NULL);
	add_num(o, "ci_rel", ok && r->ci_rel >= 0, r->ci_rel);
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

void rpt_xml_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}
