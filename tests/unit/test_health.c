/* SPDX-License-Identifier: MIT */
/* vfbench health: a unit cut at its bound, the probes judged against the
 * PF's, the lines NHC and nagios read, Slurm's drain and resume. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "health.h"
#include "suites.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int hangs(const void *arg, struct hl_result *out, int max)
{
	(void)arg, (void)out, (void)max;
	for (;;)
		pause();
	return 0;
}

static int answers(const void *arg, struct hl_result *out, int max)
{
	(void)arg;
	if (max < 2)
		return 0;
	memset(out, 0, 2 * sizeof(*out));
	snprintf(out[0].id, HL_ID, "one");
	snprintf(out[1].id, HL_ID, "two");
	out[1].status = HL_FAIL;
	return 2;
}

/* A unit that starts a program and hangs: the program's pid in *ARG's
 * file, for the test to see it killed with the unit. */
static int starts_and_hangs(const void *arg, struct hl_result *out, int max)
{
	pid_t pid = fork();
	FILE *f;

	(void)out, (void)max;
	if (pid == 0) {
		execlp("sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	f = fopen(arg, "w");
	if (f) {
		fprintf(f, "%ld\n", (long)pid);
		fclose(f);
	}
	for (;;)
		pause();
	return 0;
}

/* Gone, or a zombie no one reaps yet: not running. */
static bool running(long pid)
{
	char path[64], stat[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	return !strstr(stat, ") Z ");
}

/* What a unit started is cut with it (its process group). */
static void test_bounded_group(void)
{
	char dir[256], file[320];
	struct hl_result r[1];
	long pid = 0;
	FILE *f;
	int i;

	test_scratch(dir, sizeof(dir), "health-group");
	snprintf(file, sizeof(file), "%s/pid", dir);
	CU_ASSERT_EQUAL(hl_bounded(starts_and_hangs, file, 0.5, r, 1),
			-ETIMEDOUT);
	f = fopen(file, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	for (i = 0; i < 50 && pid > 0 && running(pid); i++)
		usleep(20000);
	CU_ASSERT(pid > 0 && !running(pid));
	unlink(file);
	CU_ASSERT_EQUAL(test_rm_tree(dir), 0);
}

/* A unit that never returns is cut at its bound; one that answers
 * brings its results back from its process. */
static void test_bounded(void)
{
	struct hl_result r[4];
	double t0 = now_s();

	CU_ASSERT_EQUAL(hl_bounded(hangs, NULL, 0.3, r, 4), -ETIMEDOUT);
	CU_ASSERT(now_s() - t0 < 2.0);
	CU_ASSERT(now_s() - t0 >= 0.29);
	CU_ASSERT_EQUAL(hl_bounded(answers, NULL, 5, r, 4), 2);
	CU_ASSERT_STRING_EQUAL(r[1].id, "two");
	CU_ASSERT_EQUAL(r[1].status, HL_FAIL);
}

/* The fake device: each one's round trip in microseconds. */
static int fake_pingpong(void *arg, const char *dev, int port, int gid,
			 uint32_t bytes, int n, double *us, char *why,
			 size_t len)
{
	static const struct {
		const char *dev;
		double us;
	} lat[] = { { "rxe_pf", 10 }, { "rxe_vf0", 15 }, { "rxe_vf1", 31 } };
	size_t k;
	int i;

	(void)arg, (void)port, (void)gid, (void)bytes;
	for (k = 0; k < sizeof(lat) / sizeof(lat[0]); k++)
		if (!strcmp(lat[k].dev, dev)) {
			for (i = 0; i < n; i++)
				us[i] = lat[k].us + (i % 3) * 0.1;
			return 0;
		}
	snprintf(why, len, "ibv_open_device(%s): No such device", dev);
	return -ENODEV;
}

static const struct hl_ops fake_ops = { .pingpong = fake_pingpong };

static void config(struct hl_config *c, struct vfb_fsroot *root)
{
	static const char *const t[][2] = { { "pf", "rxe_pf" },
					    { "vf", "rxe_vf0" },
					    { "vf", "rxe_vf1" } };
	size_t i;

	memset(c, 0, sizeof(*c));
	c->root = root;
	c->ops = &fake_ops;
	c->port = 1;
	c->gid = -1;
	c->probe_n = 50;
	c->probe_bytes = 64;
	c->max_ratio = 2;
	c->total_s = 10;
	c->step_s = 5;
	for (i = 0; i < 3; i++) {
		snprintf(c->targets[i].path, 16, "%s", t[i][0]);
		snprintf(c->targets[i].dev, 64, "%s", t[i][1]);
		c->targets[i].baseline = !i;
	}
	c->ntargets = 3;
}

static const struct hl_result *find(const struct hl_report *rep, const char *id,
				    const char *subject)
{
	int i;

	for (i = 0; i < rep->n; i++)
		if (!strcmp(rep->r[i].id, id) &&
		    !strcmp(rep->r[i].subject, subject))
			return &rep->r[i];
	return NULL;
}

/* rxe_vf1's probe is 3.1 times the PF's: over the limit of 2, it fails
 * and is what both lines name; rxe_vf0 at 1.5 times passes. */
static void test_ratio(void)
{
	static struct hl_config c;
	static struct hl_report rep;
	struct vfb_fsroot *root = test_tree("lab-pair");
	const struct hl_result *r;
	char line[1024];

	config(&c, root);
	CU_ASSERT_EQUAL(hl_check(&c, &rep), 0);
	r = find(&rep, "port.state", "rxe_vf1");
	CU_ASSERT(r && r->status == HL_OK);
	r = find(&rep, "probe", "rxe_vf0");
	CU_ASSERT(r && r->status == HL_OK && fabs(r->ratio - 1.5) < 0.02);
	r = find(&rep, "probe", "rxe_vf1");
	CU_ASSERT(r && r->status == HL_FAIL && fabs(r->ratio - 3.1) < 0.05);
	CU_ASSERT_EQUAL(hl_worst(&rep), HL_FAIL);
	hl_line_nhc(&rep, line, sizeof(line));
	CU_ASSERT_NSTRING_EQUAL(line,
				"ERROR: vfbench health: probe rxe_vf1: ", 38);
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "limit 2.00x"));
	hl_line_nagios(&rep, line, sizeof(line));
	CU_ASSERT_NSTRING_EQUAL(line, "VFBENCH CRITICAL - probe rxe_vf1", 32);
	CU_ASSERT_EQUAL(hl_nagios_code(hl_worst(&rep)), 2);
	hl_reason(&rep, line, sizeof(line));
	CU_ASSERT_NSTRING_EQUAL(line, "vfbench: probe rxe_vf1: ", 24);
	/* a looser limit: healthy, one OK line, exit 0 both ways */
	c.max_ratio = 4;
	CU_ASSERT_EQUAL(hl_check(&c, &rep), 0);
	CU_ASSERT_EQUAL(hl_worst(&rep), HL_OK);
	hl_line_nhc(&rep, line, sizeof(line));
	CU_ASSERT_NSTRING_EQUAL(line, "OK: vfbench health: ", 20);
	CU_ASSERT_EQUAL(hl_style_find("nhc")->code(hl_worst(&rep)), 0);
	CU_ASSERT_EQUAL(hl_style_find("nagios")->code(hl_worst(&rep)), 0);
	CU_ASSERT_PTR_NULL(hl_style_find("icinga"));
	vfb_fsroot_close(root);
}

/* A hung probe is cut at the step's bound, UNKNOWN, and each probe after
 * it likewise; a hung first unit that spends the whole bound leaves the
 * rest not run, UNKNOWN as well; the check returns within its bound.
 * No step's length is assumed: a busy host (ASan's children exit slowly)
 * once spent a 0.5 s bound before the probes began. */
static void test_hang(void)
{
	static struct hl_config c;
	static struct hl_report rep;
	struct vfb_fsroot *root = test_tree("lab-pair");
	const struct hl_result *r;
	double t0 = now_s();
	char line[1024];
	int i;

	config(&c, root);
	c.hang = "probe";
	c.step_s = 0.3;
	c.total_s = 120;
	CU_ASSERT_EQUAL(hl_check(&c, &rep), 0);
	CU_ASSERT(now_s() - t0 < c.total_s);
	r = find(&rep, "probe", "rxe_pf");
	CU_ASSERT(r && r->status == HL_UNKNOWN && strstr(r->text, "timed out"));
	for (i = 0; i < rep.n; i++)
		if (!strcmp(rep.r[i].id, "probe"))
			CU_ASSERT(rep.r[i].status == HL_UNKNOWN &&
				  strstr(rep.r[i].text, "timed out: cut after "
							"0.3 s"));
	CU_ASSERT_EQUAL(hl_worst(&rep), HL_UNKNOWN);
	CU_ASSERT_EQUAL(hl_nagios_code(hl_worst(&rep)), 3);
	CU_ASSERT_EQUAL(hl_style_find("nhc")->code(hl_worst(&rep)), 1);
	hl_line_nagios(&rep, line, sizeof(line));
	CU_ASSERT_NSTRING_EQUAL(line, "VFBENCH UNKNOWN - probe rxe_pf: timed",
				37);
	/* the first unit hung for the whole bound: nothing after it runs */
	c.hang = "ready";
	c.step_s = 0.3;
	c.total_s = 0.3;
	t0 = now_s();
	CU_ASSERT_EQUAL(hl_check(&c, &rep), 0);
	CU_ASSERT(now_s() - t0 < c.total_s + 5);
	r = find(&rep, "probe", "rxe_vf1");
	CU_ASSERT(r && r->status == HL_UNKNOWN && strstr(r->text, "not run"));
	r = find(&rep, "probe", "rxe_pf");
	CU_ASSERT(r && r->status == HL_UNKNOWN && strstr(r->text, "not run"));
	CU_ASSERT_EQUAL(hl_worst(&rep), HL_UNKNOWN);
	vfb_fsroot_close(root);
}

static void test_node_parse(void)
{
	static const struct {
		const char *out, *reason;
		bool drained;
	} cases[] = {
		{ "NodeName=n1 Arch=x86_64 State=IDLE+DRAIN Weight=1 "
		  "Reason=vfbench: port.state rxe0: down [root@2026-12-01T10:00:00]\n",
		  "vfbench: port.state rxe0: down", true },
		{ "NodeName=n1 State=MIXED+DRAIN Reason=bad dimm [admin@2026-11-01T01:02:03]",
		  "bad dimm", true },
		{ "NodeName=n1 State=IDLE ThreadsPerCore=1", "", false },
		{ "NodeName=n1 State=DOWN Reason=Not responding",
		  "Not responding", false },
	};
	char reason[256];
	bool drained;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hl_node_parse(cases[i].out, &drained, reason, sizeof(reason));
		CU_ASSERT_EQUAL(drained, cases[i].drained);
		CU_ASSERT_STRING_EQUAL(reason, cases[i].reason);
	}
}

/* A fake Slurm: the node's state and reason, the updates it was sent. */
struct slurm {
	char state[32], reason[256];
	int drains, resumes;
};

static int fake_run(void *arg, char *const argv[], char *out, size_t len)
{
	struct slurm *s = arg;

	if (!strcmp(argv[1], "show")) {
		snprintf(out, len, "NodeName=%s State=%s%s%s\n", argv[3],
			 s->state, s->reason[0] ? " Reason=" : "", s->reason);
		return 0;
	}
	out[0] = '\0';
	if (!strcmp(argv[3], "State=DRAIN")) {
		s->drains++;
		snprintf(s->state, sizeof(s->state), "IDLE+DRAIN");
		snprintf(s->reason, sizeof(s->reason), "%s", argv[4] + 7);
	} else if (!strcmp(argv[3], "State=RESUME")) {
		s->resumes++;
		snprintf(s->state, sizeof(s->state), "IDLE");
		s->reason[0] = '\0';
	}
	return 0;
}

/* Drained when failing, resumed when healthy again, but only what
 * vfbench drained: an admin's drain is neither replaced nor undone. */
static void test_drain(void)
{
	struct slurm s = { .state = "IDLE" };
	struct hl_ops ops = { .run = fake_run, .arg = &s };
	char dir[256], said[320];
	struct hl_drain d = { .ops = &ops, .node = "n1", .state_dir = dir };

	test_scratch(dir, sizeof(dir), "health");
	/* healthy, never drained: nothing sent */
	CU_ASSERT_EQUAL(hl_drain_apply(&d, true, "", said, sizeof(said)), 0);
	CU_ASSERT_EQUAL(s.drains + s.resumes, 0);
	/* failing: drained, with the reason */
	CU_ASSERT_EQUAL(hl_drain_apply(&d, false, "vfbench: probe x: slow",
				       said, sizeof(said)),
			0);
	CU_ASSERT_EQUAL(s.drains, 1);
	CU_ASSERT_STRING_EQUAL(s.reason, "vfbench: probe x: slow");
	/* healthy again: resumed, once */
	CU_ASSERT_EQUAL(hl_drain_apply(&d, true, "", said, sizeof(said)), 0);
	CU_ASSERT_EQUAL(s.resumes, 1);
	CU_ASSERT_STRING_EQUAL(s.state, "IDLE");
	CU_ASSERT_EQUAL(hl_drain_apply(&d, true, "", said, sizeof(said)), 0);
	CU_ASSERT_EQUAL(s.resumes, 1);
	/* an admin drained it: vfbench failing leaves the admin's reason */
	snprintf(s.state, sizeof(s.state), "IDLE+DRAIN");
	snprintf(s.reason, sizeof(s.reason), "bad dimm");
	CU_ASSERT_EQUAL(hl_drain_apply(&d, false, "vfbench: probe x: slow",
				       said, sizeof(said)),
			0);
	CU_ASSERT_EQUAL(s.drains, 1);
	CU_ASSERT_STRING_EQUAL(s.reason, "bad dimm");
	CU_ASSERT_EQUAL(hl_drain_apply(&d, true, "", said, sizeof(said)), 0);
	CU_ASSERT_EQUAL(s.resumes, 1);
	/* vfbench drained, then an admin took the drain over: kept */
	snprintf(s.state, sizeof(s.state), "IDLE");
	CU_ASSERT_EQUAL(hl_drain_apply(&d, false, "vfbench: port.state y", said,
				       sizeof(said)),
			0);
	CU_ASSERT_EQUAL(s.drains, 2);
	snprintf(s.reason, sizeof(s.reason), "replacing the NIC");
	CU_ASSERT_EQUAL(hl_drain_apply(&d, true, "", said, sizeof(said)), 0);
	CU_ASSERT_EQUAL(s.resumes, 1);
	CU_ASSERT_STRING_EQUAL(s.state, "IDLE+DRAIN");
	CU_ASSERT_EQUAL(test_rm_tree(dir), 0);
}

int test_health_register(void)
{
	CU_pSuite s = CU_add_suite("health", NULL, NULL);

	if (!s || !CU_add_test(s, "a unit is cut at its bound", test_bounded) ||
	    !CU_add_test(s, "what a unit started is cut with it",
			 test_bounded_group) ||
	    !CU_add_test(s, "probes judged against the PF's", test_ratio) ||
	    !CU_add_test(s, "a hung probe is UNKNOWN, in time", test_hang) ||
	    !CU_add_test(s, "scontrol show node read", test_node_parse) ||
	    !CU_add_test(s, "drain, and resume only its own", test_drain))
		return -1;
	return 0;
}
