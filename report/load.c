/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "results.h"

#define RUN_SCHEMA "vfbench-run/1"
#define MAX_COLS 64

int rpt_csv_split(char *line, char **f, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		if (n == max)
			return -E2BIG;
		f[n++] = w;
		if (*r == '"') { /* quoted: "" is a quote, ends at a lone quote */
			for (r++;; r++) {
				if (!*r)
					return -EINVAL;
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			r++;
			if (*r && *r != ',')
				return -EINVAL;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
}

struct col {
	const char *name;
	int idx;
};

static void set_str(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s);
}

static int num(const char *s, double *v)
{
	char *end;

	if (!*s) {
		*v = NAN;
		return 0;
	}
	*v = strtod(s, &end);
	return *end ? -EINVAL : 0;
}

/* The floating point columns and where they live in the result model. */
static const struct {
	const char *name;
	size_t off;
} dbl[] = {
	{ "lat_min_us", offsetof(struct vfb_result, lat.min) },
	{ "lat_p50_us", offsetof(struct vfb_result, lat.p50) },
	{ "lat_avg_us", offsetof(struct vfb_result, lat.mean) },
	{ "lat_stdev_us", offsetof(struct vfb_result, lat.stdev) },
	{ "lat_p99_us", offsetof(struct vfb_result, lat.p99) },
	{ "lat_p999_us", offsetof(struct vfb_result, lat.p999) },
	{ "lat_p9999_us", offsetof(struct vfb_result, lat.p9999) },
	{ "lat_max_us", offsetof(struct vfb_result, lat.max) },
	{ "lat_err_bound", offsetof(struct vfb_result, lat.err_bound) },
	{ "bw_avg_gbps", offsetof(struct vfb_result, bw_avg_gbps) },
	{ "bw_peak_gbps", offsetof(struct vfb_result, bw_peak_gbps) },
	{ "bw_avg_MBps", offsetof(struct vfb_result, bw_avg_mbps) },
	{ "msg_rate_mpps", offsetof(struct vfb_result, msg_rate_mpps) },
	{ "seconds", offsetof(struct vfb_result, seconds) },
	{ "ci_rel", offsetof(struct vfb_result, ci_rel) },
};

#define NDBL (sizeof(dbl) / sizeof(dbl[0]))

static int dbl_index(const char *name)
{
	size_t i;

	for (i = 0; i < NDBL; i++)
		if (!strcmp(dbl[i].name, name))
			return (int)i;
	return -1;
}

/* An unsigned count column, exactly (no trip through a double). */
static int put_count(struct vfb_result *r, const char *name, const char *f)
{
	unsigned long long v = 0;
	char *end = (char *)f;

	if (*f) {
		if (*f < '0' || *f > '9')
			return -EINVAL;
		errno = 0;
		v = strtoull(f, &end, 10);
		if (*end || errno)
			return -EINVAL;
	}
	if (!strcmp(name, "msg_bytes"))
		r->msg_bytes = v;
	else if (!strcmp(name, "iters"))
		r->iters = v;
	else if (v > UINT32_MAX)
		return -EINVAL;
	else
		r->signaled_every = (uint32_t)v;
	return 0;
}

/* Put field F (column NAME) into R. */
static int put_field(struct vfb_result *r, const char *name, const char *f)
{
	int i = dbl_index(name);
	double v;

	if (i >= 0) {
		if (num(f, &v))
			return -EINVAL;
		*(double *)((char *)r + dbl[i].off) = v;
		if (!strncmp(name, "lat_", 4) && !isnan(v))
			r->has_lat = true, r->lat.n = 1;
		if (!strncmp(name, "bw_", 3) && !isnan(v))
			r->has_bw = true;
		return 0;
	}
	if (!strcmp(name, "msg_bytes") || !strcmp(name, "iters") ||
	    !strcmp(name, "signaled_every"))
		return put_count(r, name, f);
	if (!strcmp(name, "gid_index") || !strcmp(name, "cpu") ||
	    !strcmp(name, "numa")) {
		if (num(f, &v) || (!isnan(v) && (v < 0 || v > INT32_MAX)))
			return -EINVAL;
		if (!strcmp(name, "gid_index"))
			r->gid_index = isnan(v) ? -1 : (int)v;
		else if (!strcmp(name, "cpu"))
			r->cpu = isnan(v) ? -1 : (int)v;
		else
			r->numa = isnan(v) ? -1 : (int)v;
		return 0;
	}
	if (!strcmp(name, "inline")) {
		if (*f && strcmp(f, "yes") && strcmp(f, "no"))
			return -EINVAL;
		r->inline_data = !*f ? -1 : !strcmp(f, "yes");
		return 0;
	}
	if (!strcmp(name, "status")) {
		if (strcmp(f, "ok") && strcmp(f, "error"))
			return -EINVAL;
		r->status = strcmp(f, "ok") ? VFB_STATUS_ERROR : VFB_STATUS_OK;
		return 0;
	}
#define STR(field) if (!strcmp(name, #field)) { set_str(r->field, sizeof(r->field), f); return 0; }
	STR(run_id) STR(host) STR(path) STR(device) STR(provider) STR(pci)
	STR(netdev) STR(peer) STR(test) STR(stability) STR(error) STR(verify)
#undef STR
	return -ENOENT;
}

static int parse_header(char *line, char **names, int *n, char *err,
			size_t errlen)
{
	size_t ncols, i;
	const char *const *known = rpt_csv_columns(&ncols);
	int k;

	*n = rpt_csv_split(line, names, MAX_COLS);
	if (*n < 0) {
		snprintf(err, errlen, "malformed header");
		return -EINVAL;
	}
	for (k = 0; k < *n; k++) {
		for (i = 0; i < ncols && strcmp(names[k], known[i]); i++)
			;
		if (i == ncols) {
			snprintf(err, errlen, "unknown column '%s'", names[k]);
			return -EINVAL;
		}
	}
	for (const char *need[] = { "path", "test", "msg_bytes", "status", NULL },
	     **p = need; *p; p++) {
		for (k = 0; k < *n && strcmp(names[k], *p); k++)
			;
		if (k == *n) {
			snprintf(err, errlen, "no '%s' column", *p);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * One CSV record (RFC 4180): a quoted field may hold line breaks, so a
 * record goes on while its quotes are unbalanced. The line break that
 * ends it (LF or CRLF) is removed. Returns its length, -1 at the end.
 */
static ssize_t read_record(FILE *f, char **rec, size_t *cap, size_t *lines)
{
	char *line = NULL;
	size_t lcap = 0, len = 0, quotes = 0, i;
	ssize_t n;

	while ((n = getline(&line, &lcap, f)) > 0) {
		char *grown;

		(*lines)++;
		if (len + (size_t)n + 1 > *cap) {
			grown = realloc(*rec, len + (size_t)n + 1);
			if (!grown) {
				free(line);
				return -1;
			}
			*rec = grown;
			*cap = len + (size_t)n + 1;
		}
		memcpy(*rec + len, line, (size_t)n + 1);
		for (i = len; i < len + (size_t)n; i++)
			quotes += (*rec)[i] == '"';
		len += (size_t)n;
		if (quotes % 2 == 0)
			break;
	}
	free(line);
	if (!len)
		return -1;
	if (len && (*rec)[len - 1] == '\n')
		(*rec)[--len] = '\0';
	if (len && (*rec)[len - 1] == '\r')
		(*rec)[--len] = '\0';
	return (ssize_t)len;
}

int rpt_rows_read(FILE *f, struct rpt_run *run, char *err, size_t errlen)
{
	char *line = NULL, *hdr = NULL, *names[MAX_COLS], *fields[MAX_COLS];
	size_t cap = 0, lines = 0, lineno, alloc = 0;
	int ncols = 0, n, k, ret = 0;

	if (read_record(f, &hdr, &cap, &lines) <= 0) {
		snprintf(err, errlen, "empty file");
		ret = -EINVAL;
		goto out;
	}
	ret = parse_header(hdr, names, &ncols, err, errlen);
	cap = 0;
	while (!ret && (lineno = lines + 1, read_record(f, &line, &cap, &lines) >= 0)) {
		struct vfb_result *r;

		if (!line[0])
			continue;
		n = rpt_csv_split(line, fields, MAX_COLS);
		if (n != ncols) {
			snprintf(err, errlen, "line %zu: %d fields, header has %d",
				 lineno, n, ncols);
			ret = -EINVAL;
			break;
		}
		if (run->nrows == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			r = realloc(run->rows, alloc * sizeof(*r));
			if (!r) {
				ret = -ENOMEM;
				break;
			}
			run->rows = r;
		}
		r = &run->rows[run->nrows];
		vfb_result_init(r);
		for (k = 0; k < n && !ret; k++)
			if (put_field(r, names[k], fields[k])) {
				snprintf(err, errlen, "line %zu: bad %s '%s'", lineno,
					 names[k], fields[k]);
				ret = -EINVAL;
			}
		run->nrows++;
	}
	if (!ret && run->nrows == 0) {
		snprintf(err, errlen, "no rows");
		ret = -EINVAL;
	}
out:
	free(line);
	free(hdr);
	return ret;
}

static int load_meta(const char *dir, struct rpt_run *run, char *err,
		     size_t errlen)
{
	char path[600];
	json_object *schema;

	snprintf(path, sizeof(path), "%s/run.json", dir);
	run->meta = json_object_from_file(path);
	if (!run->meta || !json_object_is_type(run->meta, json_type_object)) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(run->meta, "schema", &schema) ||
	    strcmp(json_object_get_string(schema), RUN_SCHEMA)) {
		snprintf(err, errlen, "%s: schema '%s', this vfbench reads '%s'",
			 path, schema ? json_object_get_string(schema) : "none",
			 RUN_SCHEMA);
		return -EINVAL;
	}
	return 0;
}

int rpt_run_load(const char *dir, struct rpt_run *run, char *err,
		 size_t errlen)
{
	char path[600], why[256] = "";
	FILE *f;
	int ret;

	memset(run, 0, sizeof(*run));
	snprintf(run->dir, sizeof(run->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	ret = rpt_rows_read(f, run, why, sizeof(why));
	fclose(f);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	else
		ret = load_meta(dir, run, err, errlen);
	if (ret)
		rpt_run_free(run); /* nothing half-loaded to free for the caller */
	return ret;
}

void rpt_run_free(struct rpt_run *run)
{
	free(run->rows);
	json_object_put(run->meta);
	memset(run, 0, sizeof(*run));
}

bool rpt_metric_known(const char *name)
{
	return dbl_index(name) >= 0;
}

double rpt_metric(const struct vfb_result *r, const char *name)
{
	int i = dbl_index(name);

	return i < 0 ? NAN : *(const double *)((const char *)r + dbl[i].off);
}
