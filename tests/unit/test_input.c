/* SPDX-License-Identifier: MIT */
/*
 * Untrusted input (issue 23): files from another host are read as data,
 * never blocked on, never trusted for their type, size or content.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "fsroot.h"
#include "gate.h"
#include "load.h"
#include "rundir.h"
#include "samples.h"
#include "suites.h"

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocking open is cut short after 2 s (EINTR): a test that would
 * hang fails instead. */
static void arm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	sigaction(SIGALRM, &sa, NULL);
	alarm(2);
}

/* A scratch directory holding a regular file, a FIFO, a link to the
 * FIFO and a directory. */
static void scratch(char *dir, size_t len)
{
	char p[600];
	FILE *f;

	test_scratch(dir, len, "input");
	snprintf(p, sizeof(p), "%s/file", dir);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("42\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink("fifo", p), 0);
	snprintf(p, sizeof(p), "%s/dir", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
}

static void scratch_rm(const char *dir)
{
	static const char *const names[] = { "file", "fifo", "link", "dir" };
	char p[600];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (remove(p))
			perror(p);
	}
	rmdir(dir);
}

static const struct {
	const char *name;
	int ret; /* 0: read */
} kinds[] = {
	{ "file", 0 },
	{ "fifo", -EINVAL },
	{ "link", -EINVAL },
	{ "dir", -EISDIR },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* vfb_file_open: only a regular file, a FIFO refused without blocking. */
static void test_file_open(void)
{
	char dir[64], p[600];
	size_t i;
	int fd;

	scratch(dir, sizeof(dir));
	for (i = 0; i < NKINDS; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, kinds[i].name);
		arm();
		fd = vfb_file_open(p);
		alarm(0);
		CU_ASSERT_EQUAL(fd < 0 ? fd : 0, kinds[i].ret);
		if (fd >= 0) {
			CU_ASSERT_FALSE(fcntl(fd, F_GETFL) & O_NONBLOCK);
			close(fd);
		}
	}
	scratch_rm(dir);
}

/* A sysfs attribute that is a FIFO (or a link to one) under --fsroot:
 * refused, never waited on (doctor and setup plan hung for ever). */
static void test_fsroot_fifo(void)
{
	char dir[64], buf[64];
	struct vfb_fsroot *root;
	size_t i;
	long v;
	int ret;

	scratch(dir, sizeof(dir));
	root = vfb_fsroot_open(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	for (i = 0; i < NKINDS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/%s", kinds[i].name);
		arm();
		ret = vfb_fs_read(root, path, buf, sizeof(buf));
		CU_ASSERT_EQUAL(ret, kinds[i].ret ? kinds[i].ret : 2);
		ret = vfb_fs_read_long(root, path, &v);
		CU_ASSERT_EQUAL(ret, kinds[i].ret);
		ret = vfb_fs_open(root, path, O_RDONLY);
		CU_ASSERT_EQUAL(ret < 0 ? ret : 0, kinds[i].ret);
		if (ret >= 0)
			close(ret);
		ret = vfb_fs_read_all(root, path, buf, sizeof(buf));
		CU_ASSERT_EQUAL(ret, kinds[i].ret ? kinds[i].ret : 3);
		if (kinds[i].ret) { /* a write to a FIFO blocks too */
			ret = vfb_fs_write(root, path, "1");
			CU_ASSERT_EQUAL(ret, kinds[i].ret);
		}
		alarm(0);
	}
	vfb_fsroot_close(root);
	scratch_rm(dir);
}

static void put(const char *dir, const char *name, const char *text, size_t len)
{
	char p[600];
	FILE *f;

	CU_ASSERT_FATAL(snprintf(p, sizeof(p), "%s/%s", dir, name) <
			(int)sizeof(p));
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite(text, 1, len, f);
	fclose(f);
}

/* host_read_text: an empty file is "" (it was left unterminated: a heap
 * overflow), a NUL byte refused (it cut the text), only regular files. */
static void test_read_text(void)
{
	char dir[64], p[600], *text;
	size_t i;

	scratch(dir, sizeof(dir));
	put(dir, "empty", "", 0);
	put(dir, "nul", "no-error-rows\n\0relative x\n", 26);
	snprintf(p, sizeof(p), "%s/empty", dir);
	CU_ASSERT_EQUAL(host_read_text(p, &text), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
	snprintf(p, sizeof(p), "%s/nul", dir);
	CU_ASSERT_EQUAL(host_read_text(p, &text), -EBADMSG);
	CU_ASSERT_PTR_NULL(text);
	for (i = 0; i < NKINDS; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, kinds[i].name);
		arm();
		CU_ASSERT_EQUAL(host_read_text(p, &text), kinds[i].ret);
		alarm(0);
		if (!kinds[i].ret)
			CU_ASSERT_STRING_EQUAL(text, "42\n");
		free(text);
	}
	unlink(strcat(strcpy(p, dir), "/empty"));
	unlink(strcat(strcpy(p, dir), "/nul"));
	scratch_rm(dir);
}

/* Rules: a limit is a finite number, a filter whole or refused, CRLF
 * read as LF, the rule past the limit said as such. */
static void test_rules_refused(void)
{
	static const struct {
		const char *text;
		int ret;
	} cases[] = {
		{ "relative lat_p50_us nan%", -EINVAL },
		{ "relative lat_p50_us +inf%", -EINVAL },
		{ "absolute lat_p50_us <= nan", -EINVAL },
		{ "absolute lat_p50_us >= -inf", -EINVAL },
		{ "absolute lat_p50_us <= 1e999", -EINVAL },
		{ "absolute lat_p50_us <=", -EINVAL },
		{ "relative lat_p50_us +5% test=", -EINVAL },
		{ "relative lat_p50_us +5% test=0123456789abcdef", -EINVAL },
		{ "relative lat_p50_us +5% test=0123456789abcde", 1 },
		{ "relative lat_p50_us +5% test=write_lat\r\n", 1 },
		{ "no-error-rows\r\nrelative lat_p50_us +5%\r\n", 2 },
	};
	struct rpt_rule r[RPT_MAX_RULES];
	char err[256], *many;
	size_t i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = rpt_rules_parse(cases[i].text, r, RPT_MAX_RULES, err,
				    sizeof(err));
		CU_ASSERT_EQUAL(n, cases[i].ret);
		if (n != cases[i].ret)
			fprintf(stderr, "%s: %d %s\n", cases[i].text, n, err);
	}
	n = rpt_rules_parse(cases[9].text, r, RPT_MAX_RULES, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(r[0].test, "write_lat");
	/* a million-character filter: refused, not cut to fit */
	many = malloc(1000064);
	CU_ASSERT_PTR_NOT_NULL_FATAL(many);
	strcpy(many, "relative lat_p50_us +5% test=");
	memset(many + strlen(many), 'x', 1000000);
	many[29 + 1000000] = '\0';
	CU_ASSERT_EQUAL(
		rpt_rules_parse(many, r, RPT_MAX_RULES, err, sizeof(err)),
		-EINVAL);
	/* 33 rules: the message names the limit and the line past it */
	many[0] = '\0';
	for (i = 0; i < 33; i++)
		strcat(many, "# a comment\nno-error-rows\n");
	CU_ASSERT_EQUAL(
		rpt_rules_parse(many, r, RPT_MAX_RULES, err, sizeof(err)),
		-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 66: more than 32 rules"));
	CU_ASSERT_EQUAL(
		rpt_rules_parse(many, r, RPT_MAX_RULES, err, sizeof(err)) < 0 ?
			r[31].line :
			0,
		64);
	free(many);
}

static struct vfb_result mkrow(const char *test, bool ok)
{
	struct vfb_result r;

	vfb_result_init(&r);
	snprintf(r.path, sizeof(r.path), "pf");
	snprintf(r.test, sizeof(r.test), "%s", test);
	r.msg_bytes = 2;
	r.has_lat = true;
	r.lat.n = 1;
	r.lat.p50 = 3;
	r.status = ok ? VFB_STATUS_OK : VFB_STATUS_ERROR;
	if (!ok)
		snprintf(r.error, sizeof(r.error), "died");
	return r;
}

/* A failing no-error-rows check is a failure, never a skip (its slot
 * kept realloc's garbage: 0xbe under ASan, "load of value 190"); a rule
 * whose filter matches no row is found. */
static void test_gate_checks(void)
{
	struct vfb_result b[] = { mkrow("write_lat", true) },
			  c[] = { mkrow("write_lat", true),
				  mkrow("write_lat", false) };
	struct rpt_run base = { .rows = b, .nrows = 1 },
		       cand = { .rows = c, .nrows = 2 };
	struct rpt_rule rules[3];
	struct rpt_check *k;
	char err[256];
	int n, i, fails = 0;

	CU_ASSERT_EQUAL_FATAL(rpt_rules_parse("no-error-rows\n"
					      "no-error-rows test=wirte_lat\n"
					      "relative lat_p50_us +5%\n",
					      rules, 3, err, sizeof(err)),
			      3);
	n = rpt_gate(&base, &cand, rules, 3, &k, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(n, 2);
	for (i = 0; i < n; i++) {
		CU_ASSERT_FALSE(k[i].skipped);
		fails += !k[i].pass;
	}
	CU_ASSERT_EQUAL(fails, 1);
	CU_ASSERT_EQUAL(k[0].rule, 0);
	CU_ASSERT_EQUAL(k[1].rule, 2);
	CU_ASSERT_EQUAL(rpt_gate_unmatched(3, k, n), 1);
	free(k);
}

/* Read TEXT as results.csv: rpt_rows_read's return, ERR said. */
static int rows(const char *text, struct rpt_run *run, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	memset(run, 0, sizeof(*run));
	ret = rpt_rows_read(f, run, err, len);
	fclose(f);
	return ret;
}

/* Figures no measurement gives, and mesh ranks that index nothing: the
 * row refused (counted), the others kept. */
static void test_rows_refused(void)
{
	static const char *const bad[] = {
		"pf,write_lat,2,ok,-1,,",
		"pf,write_lat,2,ok,nan,,",
		"pf,write_lat,2,ok,inf,,",
		"pf,write_lat,2,ok,-inf,,",
		"pf,write_lat,2,ok,1e999,,",
		"pf,write_lat,2,ok,3,0,",
		"pf,write_lat,2,ok,3,,1",
		"pf,write_lat,2,ok,3,0,65536",
		"pf,write_lat,2,ok,3,2147483647,0",
	};
	char text[512], err[256];
	struct rpt_run run;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "path,test,msg_bytes,status,lat_p50_us,src_rank,"
			 "dst_rank\n%s\npf,write_lat,64,ok,3.5,0,1\n",
			 bad[i]);
		CU_ASSERT_EQUAL(rows(text, &run, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(run.nrows, 1);
		CU_ASSERT_EQUAL(run.nrefused, 1);
		if (run.nrows == 1)
			CU_ASSERT_EQUAL(run.rows[0].msg_bytes, 64);
		free(run.rows);
	}
	/* every row refused: no rows, said */
	CU_ASSERT_EQUAL(rows("path,test,msg_bytes,status,lat_p50_us\n"
			     "pf,write_lat,2,ok,-3\n",
			     &run, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "every one refused"));
	free(run.rows);
	/* a record that does not split: what is wrong, not an errno */
	CU_ASSERT_EQUAL(rows("path,test,msg_bytes,status\n"
			     "pf,\"write_lat,2,ok\n",
			     &run, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NULL(strstr(err, "-22"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2: a quoted field"));
	free(run.rows);
}

static const char csv[] = "path,test,msg_bytes,status,lat_p50_us,rep\n"
			  "pf,write_lat,2,ok,3,1\n";

/* A results directory of CSV and JSON (NULL: none of that file). */
static void rundir(char *dir, size_t len, const char *rows_text,
		   const char *json)
{
	test_scratch(dir, len, "run");
	if (rows_text)
		put(dir, "results.csv", rows_text, strlen(rows_text));
	if (json)
		put(dir, "run.json", json, strlen(json));
}

static void rundir_rm(const char *dir)
{
	CU_ASSERT_EQUAL(test_rm_tree(dir), 0);
}

/* run.json of the wrong types: refused on load, naming the key ("schema":
 * null was a SEGV, 'suspects' not a list a json-c assertion). */
static void test_meta_types(void)
{
	static const struct {
		const char *json, *says;
	} cases[] = {
		{ "{\"schema\": null}", "schema none" },
		{ "{\"schema\": 1}", "schema not a string" },
		{ "{\"schema\": [\"vfbench-run/1\"]}", "schema not a string" },
		{ "{}", "schema none" },
		{ "[\"vfbench-run/1\"]", "not a JSON object" },
		{ "{\"schema\": \"vfbench-run/1\", \"suspects\": {\"a\": 1}}",
		  "'suspects' is not a list of strings" },
		{ "{\"schema\": \"vfbench-run/1\", \"suspects\": [1]}",
		  "'suspects' is not a list of strings" },
		{ "{\"schema\": \"vfbench-run/1\", \"paths\": \"pf\"}",
		  "'paths' is not a list" },
		{ "{\"schema\": \"vfbench-run/1\", \"paths\": [\"pf\"]}",
		  "'paths' is not a list" },
		{ "{\"schema\": \"vfbench-run/1\", \"paths\": "
		  "[{\"device\": {}}]}",
		  "'paths' is not a list" },
		{ "{\"schema\": \"vfbench-run/1\", \"host\": {}}",
		  "'host' is not a string" },
		{ "{\"schema\": \"vfbench-run/1\", \"host\": \"a\", "
		  "\"suspects\": [\"b\"], \"paths\": [{\"path\": \"pf\"}]}",
		  NULL },
	};
	char dir[64], err[700];
	struct rpt_run run;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rundir(dir, sizeof(dir), csv, cases[i].json);
		ret = rpt_run_load(dir, &run, err, sizeof(err));
		CU_ASSERT_EQUAL(ret, cases[i].says ? -EINVAL : 0);
		if (ret && cases[i].says && !strstr(err, cases[i].says)) {
			CU_FAIL("message");
			fprintf(stderr, "%s: %s\n", cases[i].json, err);
		}
		if (!ret)
			rpt_run_free(&run);
		rundir_rm(dir);
	}
}

/* results.csv and run.json as a directory or a FIFO: said to be one,
 * never read as empty nor waited on. */
static void test_run_files(void)
{
	static const struct {
		const char *file, *says;
		bool fifo;
	} cases[] = {
		{ "results.csv", "results.csv: is a directory", false },
		{ "run.json", "run.json: is a directory", false },
		{ "results.csv", "results.csv: not a regular file", true },
		{ "run.json", "run.json: not a regular file", true },
	};
	char dir[64], p[600], err[700];
	struct rpt_run run;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rundir(dir, sizeof(dir), csv,
		       "{\"schema\": \"vfbench-run/1\"}");
		snprintf(p, sizeof(p), "%s/%s", dir, cases[i].file);
		unlink(p);
		CU_ASSERT_EQUAL_FATAL(
			cases[i].fifo ? mkfifo(p, 0600) : mkdir(p, 0700), 0);
		arm();
		CU_ASSERT_TRUE(rpt_run_load(dir, &run, err, sizeof(err)) < 0);
		alarm(0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].says));
		rundir_rm(dir);
	}
}

/* Samples: whole lines (one over 63 characters was split into several
 * values), a bad file refused whole and counted on load. */
static void test_samples(void)
{
	static const struct {
		const char *text;
		int ret;
		size_t n;
	} cases[] = {
		{ "1.5\n2\n", 0, 2 },
		{ "1.5\n2", 0, 2 },
		{ "1.5\n-2\n", -EINVAL, 0 },
		{ "1.5\nnan\n", -EINVAL, 0 },
		{ "1.5\n2 3\n", -EINVAL, 0 },
		{ "1.5\n\n", -EINVAL, 0 },
		{ "1234567890123456789012345678901234567890"
		  "123456789012345678901234567890\n",
		  -EINVAL, 0 },
	};
	char dir[64], p[600], err[700];
	struct rpt_run run;
	double *v;
	size_t i, n;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rundir(dir, sizeof(dir), csv,
		       "{\"schema\": \"vfbench-run/1\"}");
		snprintf(p, sizeof(p), "%s/samples", dir);
		CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
		put(p, "pf.write_lat.2.r1", cases[i].text,
		    strlen(cases[i].text));
		v = NULL;
		n = 0;
		ret = rpt_samples_read(dir, "pf", "write_lat", 2, 1, &v, &n);
		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (!ret)
			CU_ASSERT_EQUAL(n, cases[i].n);
		free(v);
		CU_ASSERT_EQUAL_FATAL(rpt_run_load(dir, &run, err, sizeof(err)),
				      0);
		CU_ASSERT_EQUAL(run.nsamples_bad, cases[i].ret ? 1 : 0);
		rpt_run_free(&run);
		rundir_rm(dir);
	}
}

int test_input_register(void)
{
	CU_pSuite s = CU_add_suite("untrusted input", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "only regular files are opened", test_file_open) ||
	    !CU_add_test(s, "a FIFO in a sysfs tree is refused",
			 test_fsroot_fifo) ||
	    !CU_add_test(s, "whole text files, never cut", test_read_text) ||
	    !CU_add_test(s, "rules that judge nothing are refused",
			 test_rules_refused) ||
	    !CU_add_test(s, "gate checks start cleared, unmatched rules found",
			 test_gate_checks) ||
	    !CU_add_test(s, "impossible rows refused one by one",
			 test_rows_refused) ||
	    !CU_add_test(s, "run.json keys of the wrong type refused",
			 test_meta_types) ||
	    !CU_add_test(s, "results files that are not files",
			 test_run_files) ||
	    !CU_add_test(s, "samples read whole or refused", test_samples))
		return -1;
	return 0;
}
