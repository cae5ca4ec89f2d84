/* SPDX-License-Identifier: MIT */
/* Prometheus' text exposition format (prom.h): the families a table,
 * the labels a table, one renderer over both. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "prom.h"

/* What a row says to Prometheus: its labels and its figures. */
struct prom_row {
	char host[64], scenario[16], role[16], path[16], device[64], test[16];
	char src[64], dst[64], check[40], verdict[8];
	uint64_t size;
	uint32_t rep, active;
	int retest;
	bool ok, has_lat, has_bw;
	double lat[3];	 /* seconds: p50, p99, p99.9 (NAN: not supported) */
	double bw, rate; /* bytes and messages per second */
};

struct rpt_prom {
	struct prom_row *rows;
	size_t n, cap;
};

struct rpt_prom *rpt_prom_new(void)
{
	return calloc(1, sizeof(struct rpt_prom));
}

void rpt_prom_free(struct rpt_prom *p)
{
	if (p)
		free(p->rows);
	free(p);
}

#define CP(dst, src) snprintf(dst, sizeof(dst), "%s", src)

int rpt_prom_add(struct rpt_prom *p, const struct vfb_result *r)
{
	struct prom_row *x;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;

		x = realloc(p->rows, cap * sizeof(*x));
		if (!x)
			return -ENOMEM;
		p->rows = x;
		p->cap = cap;
	}
	x = &p->rows[p->n++];
	memset(x, 0, sizeof(*x));
	CP(x->host, r->host), CP(x->scenario, r->scenario);
	CP(x->role, r->role), CP(x->path, r->path), CP(x->device, r->device);
	CP(x->test, r->test), CP(x->src, r->src_host), CP(x->dst, r->dst_host);
	CP(x->check, r->check), CP(x->verdict, r->verdict);
	x->size = r->msg_bytes;
	x->rep = r->rep;
	x->active = r->active;
	x->retest = r->retest;
	x->ok = r->status == VFB_STATUS_OK;
	x->has_lat = x->ok && r->has_lat && r->lat.n;
	x->lat[0] = r->lat.p50 * 1e-6;
	x->lat[1] = r->lat.p99 * 1e-6;
	x->lat[2] = r->lat.p999 * 1e-6;
	x->has_bw = x->ok && r->has_bw && !isnan(r->bw_avg_gbps);
	x->bw = r->bw_avg_gbps * 1e9 / 8;
	x->rate = r->msg_rate_mpps * 1e6;
	return 0;
}

/* A label value as the format wants it: \ " and newline escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
}

/* The labels: a row's value of each, "" when it has none (left out). */
static const char *lab_num(char *buf, size_t len, uint64_t v, bool set)
{
	if (!set)
		return "";
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static const char *label(const struct prom_row *r, size_t i, char *buf,
			 size_t len)
{
	switch (i) {
	case 0:
		return r->host;
	case 1:
		return r->scenario;
	case 2:
		return r->role;
	case 3:
		return r->path;
	case 4:
		return r->device;
	case 5:
		return r->test;
	case 6:
		return lab_num(buf, len, r->size, r->test[0] != '\0');
	case 7:
		return lab_num(buf, len, r->active, r->active > 0);
	case 8:
		return lab_num(buf, len, r->rep, r->rep > 0);
	case 9:
		return r->src;
	case 10:
		return r->dst;
	case 11:
		return lab_num(buf, len, 1, r->retest == 1);
	case 12:
		return r->check;
	}
	return NULL;
}

static const char *const label_names[] = {
	"host",	  "scenario", "role",	  "path",     "device", "test",	 "size",
	"active", "rep",      "src_host", "dst_host", "retest", "check",
};

/* NAME{labels[,EXTRA="VAL"]} VALUE */
static void sample(FILE *f, const char *name, const struct prom_row *r,
		   const char *extra, const char *val, double v)
{
	const char *sep = "{";
	char buf[32];
	const char *s;
	size_t i;

	fputs(name, f);
	for (i = 0; r && (s = label(r, i, buf, sizeof(buf))); i++) {
		if (!s[0])
			continue;
		fprintf(f, "%s%s=\"", sep, label_names[i]);
		put_escaped(f, s);
		fputc('"', f);
		sep = ",";
	}
	if (extra)
		fprintf(f, "%s%s=\"%s\"", sep, extra, val);
	fprintf(f, "%s %.15g\n", sep[0] == ',' || extra ? "}" : "", v);
}

/* A family's samples of row R into F (F NULL: only counted). */
static int fam_latency(FILE *f, const char *name, const struct prom_row *r)
{
	static const char *const q[] = { "0.5", "0.99", "0.999" };
	int i, n = 0;

	for (i = 0; r->has_lat && i < 3; i++) {
		if (isnan(r->lat[i]))
			continue;
		if (f)
			sample(f, name, r, "quantile", q[i], r->lat[i]);
		n++;
	}
	return n;
}

static int fam_bandwidth(FILE *f, const char *name, const struct prom_row *r)
{
	if (r->has_bw && f)
		sample(f, name, r, NULL, NULL, r->bw);
	return r->has_bw;
}

static int fam_rate(FILE *f, const char *name, const struct prom_row *r)
{
	bool has = r->has_bw && !isnan(r->rate) && r->rate > 0;

	if (has && f)
		sample(f, name, r, NULL, NULL, r->rate);
	return has;
}

static int fam_case(FILE *f, const char *name, const struct prom_row *r)
{
	if (!r->check[0] && f)
		sample(f, name, r, NULL, NULL, r->ok);
	return !r->check[0];
}

static bool check_ok(const struct prom_row *r)
{
	return !strcmp(r->verdict, "pass") || !strcmp(r->verdict, "skip") ||
	       !strcmp(r->verdict, "warn");
}

static int fam_check(FILE *f, const char *name, const struct prom_row *r)
{
	if (r->check[0] && f)
		sample(f, name, r, NULL, NULL, check_ok(r));
	return r->check[0] != '\0';
}

/* Whole-file families: one sample from all the rows. */
static int all_health(FILE *f, const char *name, const struct rpt_prom *p,
		      double now)
{
	bool any = false, ok = true;
	size_t i;

	(void)now;
	for (i = 0; i < p->n; i++)
		if (!strcmp(p->rows[i].scenario, "health")) {
			any = true;
			ok &= check_ok(&p->rows[i]);
		}
	if (any && f)
		sample(f, name, NULL, NULL, NULL, ok);
	return any;
}

static int all_time(FILE *f, const char *name, const struct rpt_prom *p,
		    double now)
{
	(void)p;
	if (f)
		sample(f, name, NULL, NULL, NULL, now);
	return 1;
}

/* The metric families, in the order written: a metric is an entry. */
static const struct prom_family {
	const char *name, *type, *help;
	int (*row)(FILE *f, const char *name, const struct prom_row *r);
	int (*all)(FILE *f, const char *name, const struct rpt_prom *p,
		   double now);
} families[] = {
	{ "vfbench_latency_seconds", "gauge",
	  "Latency of a case by quantile: half the round trip of a "
	  "ping-pong, the whole one of a READ, an atomic or a probe",
	  fam_latency, NULL },
	{ "vfbench_bandwidth_bytes_per_second", "gauge",
	  "Average bandwidth of a case", fam_bandwidth, NULL },
	{ "vfbench_message_rate_per_second", "gauge",
	  "Messages per second of a bandwidth case", fam_rate, NULL },
	{ "vfbench_case_ok", "gauge",
	  "1 when the case was measured, 0 when it failed", fam_case, NULL },
	{ "vfbench_check_ok", "gauge",
	  "1 when the check passed (or skipped, or warned), 0 when not",
	  fam_check, NULL },
	{ "vfbench_health_ok", "gauge",
	  "1 when vfbench health found the node healthy, 0 when not", NULL,
	  all_health },
	{ "vfbench_write_timestamp_seconds", "gauge",
	  "When vfbench wrote this file, seconds since the epoch", NULL,
	  all_time },
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* The family's samples into F (NULL: counted only). */
static int family_out(FILE *f, const struct prom_family *m,
		      const struct rpt_prom *p, double now)
{
	size_t i;
	int n = 0;

	if (m->all)
		return m->all(f, m->name, p, now);
	for (i = 0; i < p->n; i++)
		n += m->row(f, m->name, &p->rows[i]);
	return n;
}

int rpt_prom_render(FILE *f, const struct rpt_prom *p, double now)
{
	size_t i;

	for (i = 0; i < NFAMILIES; i++) {
		if (!family_out(NULL, &families[i], p, now))
			continue;
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", families[i].name,
			families[i].help, families[i].name, families[i].type);
		family_out(f, &families[i], p, now);
	}
	return ferror(f) ? -EIO : 0;
}

static int prom_out(FILE *f, void *p)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return rpt_prom_render(f, p, (double)now.tv_sec);
}

int rpt_prom_write(const struct rpt_prom *p, const char *path)
{
	return vfb_file_replace(path, prom_out, (void *)p);
}
