/* SPDX-License-Identifier: MIT */
/* --prom: rows in Prometheus' text exposition format, byte for byte
 * against a golden file, label values that would break the format
 * escaped, and every output checked by a strict reader of the format
 * (promtool is not installed here: Debian's prometheus package is 96 MB
 * installed). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "prom.h"
#include "suites.h"

static bool name_ok(const char *s, size_t n, bool colon)
{
	size_t i;

	if (!n || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    !(colon && s[i] == ':'))
			return false;
	return true;
}

/* {a="x",b="y"} at P: past it, or NULL when malformed. */
static const char *labels_ok(const char *p)
{
	const char *n;

	if (*p != '{')
		return p;
	for (p++; *p != '}';) {
		for (n = p; *p && *p != '='; p++)
			;
		if (!name_ok(n, (size_t)(p - n), false) || p[1] != '"')
			return NULL;
		for (p += 2; *p != '"'; p++) {
			if (!*p || *p == '\n')
				return NULL;
			if (*p == '\\' && !strchr("\\\"n", *++p))
				return NULL;
		}
		p++;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return NULL;
	}
	return p + 1;
}

/* The format's rules, strictly: HELP and TYPE once per family and before
 * its samples, a family never split, names and labels well formed,
 * values numbers, no series twice. 0, or the line number at fault. */
static int prom_lint(const char *text)
{
	char fam[128] = "", seen[64][128], series[256][256], name[128];
	const char *line = text, *end, *p;
	int ln = 0, nseen = 0, nseries = 0, i;
	char *num_end;

	for (; *line; line = end + 1) {
		ln++;
		end = strchr(line, '\n');
		if (!end)
			return ln; /* the last line ends too */
		if (!strncmp(line, "# HELP ", 7) ||
		    !strncmp(line, "# TYPE ", 7)) {
			p = line + 7;
			snprintf(name, sizeof(name), "%.*s",
				 (int)strcspn(p, " \n"), p);
			if (!name_ok(name, strlen(name), true))
				return ln;
			if (strcmp(name, fam)) {
				for (i = 0; i < nseen; i++)
					if (!strcmp(seen[i], name))
						return ln; /* split family */
				snprintf(fam, sizeof(fam), "%s", name);
				snprintf(seen[nseen++], 128, "%s", name);
			}
			if (line[2] == 'T' &&
			    strncmp(p + strlen(name), " gauge\n", 7))
				return ln;
			continue;
		}
		p = line + strcspn(line, "{ ");
		if ((size_t)(p - line) != strlen(fam) ||
		    strncmp(line, fam, strlen(fam)))
			return ln; /* a sample outside its family */
		p = labels_ok(p);
		if (!p || *p != ' ')
			return ln;
		strtod(p + 1, &num_end);
		if (num_end == p + 1 || num_end != end)
			return ln;
		for (i = 0; i < nseries; i++)
			if (!strncmp(series[i], line, (size_t)(p - line)) &&
			    !series[i][p - line])
				return ln;
		if (nseries < 256)
			snprintf(series[nseries++], 256, "%.*s",
				 (int)(p - line), line);
	}
	return 0;
}

static void row(struct vfb_result *r, const char *path, const char *dev,
		const char *test, uint64_t size)
{
	vfb_result_init(r);
	snprintf(r->host, sizeof(r->host), "n1");
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->device, sizeof(r->device), "%s", dev);
	snprintf(r->test, sizeof(r->test), "%s", test);
	r->msg_bytes = size;
	r->rep = 1;
}

static char *render(struct rpt_prom *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_EQUAL(rpt_prom_render(f, p, 1764590400), 0);
	fclose(f);
	return buf;
}

/* A latency row, a bandwidth row, an error row, a health check and a
 * probe: the golden file, byte for byte, and the format's rules. */
static void test_golden(void)
{
	struct rpt_prom *p = rpt_prom_new();
	char path[512], want[8192] = "", *got;
	struct vfb_result r;
	size_t n;
	FILE *f;

	row(&r, "vf", "mlx5_2", "write_lat", 2);
	r.has_lat = true;
	r.lat = (struct vfb_lat_stats){
		.n = 1000, .p50 = 1.25, .p99 = 2.5, .p999 = NAN
	};
	rpt_prom_add(p, &r);
	row(&r, "pf", "mlx5_0", "write_bw", 65536);
	r.has_bw = true;
	r.bw_avg_gbps = 96;
	r.msg_rate_mpps = 0.183;
	rpt_prom_add(p, &r);
	row(&r, "vf", "mlx5_2", "read_bw", 65536);
	r.status = VFB_STATUS_ERROR;
	rpt_prom_add(p, &r);
	row(&r, "vf", "rxe_vf1", "", 0);
	snprintf(r.scenario, sizeof(r.scenario), "health");
	snprintf(r.check, sizeof(r.check), "port.state");
	snprintf(r.verdict, sizeof(r.verdict), "fail");
	r.rep = 0;
	rpt_prom_add(p, &r);
	got = render(p);
	CU_ASSERT_EQUAL(prom_lint(got), 0);
	snprintf(path, sizeof(path), "%s/golden/prom.txt", VFB_TEST_DATA);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	want[n] = '\0';
	fclose(f);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	rpt_prom_free(p);
}

/* Quotes, backslashes and newlines in a label value are escaped; the
 * output still reads as the format; the reader refuses them raw. */
static void test_hostile(void)
{
	struct rpt_prom *p = rpt_prom_new();
	struct vfb_result r;
	char *got;

	row(&r, "vf", "a\"b\\c\nd", "write_lat", 2);
	snprintf(r.host, sizeof(r.host), "h\"}\n# TYPE x gauge\nx 1");
	r.has_lat = true;
	r.lat = (struct vfb_lat_stats){
		.n = 100, .p50 = 1, .p99 = 2, .p999 = NAN
	};
	rpt_prom_add(p, &r);
	got = render(p);
	CU_ASSERT_EQUAL(prom_lint(got), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "device=\"a\\\"b\\\\c\\nd\""));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(got, "host=\"h\\\"}\\n# TYPE x gauge\\nx 1\""));
	free(got);
	/* the reader is strict: what it must refuse, it refuses */
	CU_ASSERT_NOT_EQUAL(prom_lint("x{a=\"b\nc\"} 1\n"), 0);
	CU_ASSERT_NOT_EQUAL(prom_lint("# TYPE x gauge\nx{a=\"\\q\"} 1\n"), 0);
	CU_ASSERT_NOT_EQUAL(prom_lint("# TYPE x gauge\nx 1\nx 2\n"), 0);
	CU_ASSERT_NOT_EQUAL(
		prom_lint("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n"
			  "# TYPE x gauge\nx{a=\"1\"} 1\n"),
		0);
	CU_ASSERT_NOT_EQUAL(prom_lint("# TYPE x gauge\nx one\n"), 0);
	CU_ASSERT_EQUAL(prom_lint("# TYPE x gauge\nx{a=\"1\"} 1\n"), 0);
	rpt_prom_free(p);
}

/* Written to FILE.tmp.PID and renamed: the file is whole, no temporary
 * is left. */
static void test_write(void)
{
	struct rpt_prom *p = rpt_prom_new();
	char dir[256], path[320], tmp[400];
	struct vfb_result r;

	test_scratch(dir, sizeof(dir), "prom");
	snprintf(path, sizeof(path), "%s/vfbench.prom", dir);
	row(&r, "pf", "x", "write_bw", 2);
	rpt_prom_add(p, &r);
	CU_ASSERT_EQUAL(rpt_prom_write(p, path), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	CU_ASSERT_EQUAL(access(path, R_OK), 0);
	CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
	CU_ASSERT_EQUAL(rpt_prom_write(p, "/nonexistent-dir/x.prom"), -ENOENT);
	rpt_prom_free(p);
	CU_ASSERT_EQUAL(test_rm_tree(dir), 0);
}

int test_prom_register(void)
{
	CU_pSuite s = CU_add_suite("report/prom", NULL, NULL);

	if (!s || !CU_add_test(s, "rows as the golden file", test_golden) ||
	    !CU_add_test(s, "hostile label values escaped", test_hostile) ||
	    !CU_add_test(s, "written whole, then renamed", test_write))
		return -1;
	return 0;
}
