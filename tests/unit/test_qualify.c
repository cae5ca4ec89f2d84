/* SPDX-License-Identifier: MIT */
/* qualify/: the plan refused whole with the line and key that say why,
 * and the stage graph on a fake child (what ran, in what order, what
 * came of it, the verdict and the exit code). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <infiniband/verbs.h>

#include "qualify.h"
#include "suites.h"

static char root[4096]; /* a sysroot with sys/class/net/pf0 */
static struct qfy_plan plan;

static void make_root(void)
{
	char path[4200];

	if (root[0])
		return;
	test_scratch(root, sizeof(root), "qroot");
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/class", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/class/net", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/class/net/pf0", root);
	mkdir(path, 0755);
}

/* argv[1]: the plan file; 0 or 2. */
static int read_cmd(int argc, char **argv)
{
	(void)argc;
	return qfy_plan_read(argv[1], root, &plan) ? 2 : 0;
}

/* TEXT as a plan file: what qfy_plan_read said, its code in *RC. */
static char *read_plan(const char *text, int *rc)
{
	char dir[4096], file[4200];
	char *argv[] = { "read", file, NULL };
	FILE *f;

	make_root();
	test_scratch(dir, sizeof(dir), "plan");
	snprintf(file, sizeof(file), "%s/plan.ini", dir);
	f = fopen(file, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
	char *said = test_capture(STDERR_FILENO, read_cmd, 2, argv, rc);

	test_rm_tree(dir);
	return said;
}

static const struct {
	const char *text, *said; /* said NULL: accepted */
} plans[] = {
	{ "[qualify]\npaths = pf\npeer = h\n", NULL },
	{ "# none\n[pf0]\nnum_vfs = 2\ntrust = on\n", NULL },
	{ "[qualify]\npath = pf\n",
	  "plan.ini:2: unknown key 'path' in [qualify]" },
	{ "[qualify]\niters = 5\niters = 6\n",
	  "plan.ini:3: iters given twice in [qualify]" },
	{ "[qualify]\niters = 5x\n",
	  "plan.ini:2: bad value for 'iters': '5x' is not a count" },
	{ "[qualify]\nrepeat = 0\n", "plan.ini:2: bad value for 'repeat'" },
	{ "[qualify]\n[qualify]\n",
	  "plan.ini:2: [qualify] given twice (line 1)" },
	{ "[qualify]\niters =\n", "plan.ini:2: no value for 'iters'" },
	{ "iters = 3\n", "plan.ini:1: expected [PF] or key = value" },
	{ "[qualify]\npaths = pf,nope\npeer = h\n",
	  "plan.ini:2: bad value for 'paths': 'nope' is no path kind" },
	{ "[qualify]\ntests = write_lat,,send_lat\n",
	  "plan.ini:2: bad value for 'tests'" },
	{ "[qualify]\n\npaths = vf\npeer_pf = h\n",
	  "plan.ini:3: paths: path vf has no peer" },
	{ "[qualify]\nrules = no-error-rows\n",
	  "plan.ini:2: rules: rules judge the run's rows" },
	{ "[qualify]\npaths = pf\npeer = h\nrules = relative lat_p50_us +5%\n",
	  "plan.ini:4: rules: 'relative lat_p50_us +5%' compares with a "
	  "baseline" },
	{ "[qualify]\nrules = absolute lat_p50_us <= x\n",
	  "plan.ini:2: bad value for 'rules': line 1" },
	{ "[qualify]\nshare = fairness\npeer = h\n",
	  "plan.ini:2: share: fairness and scaling need share_devices" },
	{ "[qualify]\nshare = fairness,bogus\n",
	  "plan.ini:2: bad value for 'share'" },
	{ "[qualify]\nbaseline = /nonexistent\n",
	  "plan.ini:2: bad value for 'baseline'" },
	{ "[qualify]\ndoctor = maybe\n", "plan.ini:2: bad value for 'doctor'" },
	{ "[qualfy]\npaths = pf\n",
	  "plan.ini:2: unknown key 'paths' in [qualfy]" },
	{ "[pf9]\nnum_vfs = 1\n", "plan.ini:1: [pf9]: no such PF" },
	{ "[../pf0]\nnum_vfs = 1\n", "[../pf0]: no such PF" },
	{ "[pf0]\nnum_vfs = 99999\n", "plan.ini:2: bad value for 'num_vfs'" },
	{ "[pf0]\ntrust = on\n", "plan.ini:1: [pf0] has no num_vfs" },
	{ "[qualify]\npaths = pf\npeer = h\nvalidate = nope.nope\n",
	  "plan.ini:4: bad value for 'validate'" },
};
static void test_plan_hostile(void)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		char *said = read_plan(plans[i].text, &rc);

		CU_ASSERT_PTR_NOT_NULL_FATAL(said);
		if (rc != (plans[i].said ? 2 : 0) ||
		    (plans[i].said && !strstr(said, plans[i].said)) ||
		    (plans[i].said &&
		     strchr(said, '\n') != strrchr(said, '\n')))
			fprintf(stderr, "\ncase %zu: rc %d, said '%s'\n", i, rc,
				said);
		CU_ASSERT_EQUAL(rc, plans[i].said ? 2 : 0);
		if (plans[i].said) {
			CU_ASSERT_PTR_NOT_NULL(strstr(said, plans[i].said));
			/* one line */
			CU_ASSERT_PTR_EQUAL(strchr(said, '\n'),
					    strrchr(said, '\n'));
		}
		free(said);
	}
}

static void test_plan_missing(void)
{
	char *argv[] = { "read", "/nonexistent/plan.ini", NULL };
	int rc;
	char *said = test_capture(STDERR_FILENO, read_cmd, 2, argv, &rc);

	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(said, "qualify: /nonexistent/plan.ini"));
	free(said);
}

/* The fake child: what it was asked ("run", "setup apply", "gate
 * rule-2"), in order; the exit code CODES gives it; "run" sets the stop
 * flag and dies of SIG when SIG is set. Measuring stages leave a run. */
struct fake {
	char calls[1024];
	const char *codes; /* "what=N;what=N;" */
	int sig;
	volatile int flag;
};

static void fake_what(char *const argv[], char *what, size_t len)
{
	const char *rule;
	int i;

	snprintf(what, len, "%s", argv[1]);
	if (!strcmp(argv[1], "setup"))
		snprintf(what, len, "setup %s", argv[2]);
	for (i = 1; !strcmp(argv[1], "gate") && argv[i]; i++)
		if ((rule = strstr(argv[i], "rule-")) && strstr(rule, ".txt"))
			snprintf(what, len, "gate %.*s",
				 (int)strcspn(rule, "."), rule);
}

static void fake_results(char *const argv[])
{
	char path[4300];
	FILE *f;
	int i;

	for (i = 1; argv[i] && argv[i + 1]; i++)
		if (!strcmp(argv[i], "--out")) {
			mkdir(argv[i + 1], 0755);
			snprintf(path, sizeof(path), "%s/run.json",
				 argv[i + 1]);
			f = fopen(path, "w");
			if (f) {
				fputs("{\"schema\":\"vfbench-run/1\"}\n", f);
				fclose(f);
			}
		}
}

/* devices --json: a pf device with an active port, or none. */
static void fake_devices(const char *log, bool none)
{
	char dir[4400];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", log);
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	f = fopen(log, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	/* the shape `vfbench devices --json` prints (an array alone was
	 * what the first fake said, and the lab's settle never settled),
	 * its state the word libibverbs gives ("PORT_ACTIVE", ibv_devinfo's
	 * word, was what settle looked for: never found in the lab) */
	if (none)
		fputs("{\"devices\":[]}\n", f);
	else
		fprintf(f,
			"{\"devices\":[{\"name\":\"d\",\"path\":\"pf\","
			"\"ports\":[{\"state\":\"%s\"}]}]}\n",
			ibv_port_state_str(IBV_PORT_ACTIVE));
	fclose(f);
}

static int fake_run(void *ctx, char *const argv[], const char *log,
		    const volatile int *stop)
{
	struct fake *f = ctx;
	char what[64], key[80];

	const char *c;

	fake_what(argv, what, sizeof(what));
	snprintf(f->calls + strlen(f->calls),
		 sizeof(f->calls) - strlen(f->calls), "%s%s",
		 f->calls[0] ? "," : "", what);
	fake_results(argv);
	if (!strcmp(what, "devices"))
		fake_devices(log,
			     f->codes && strstr(f->codes, "devices-none;"));
	if (f->sig && !strcmp(what, "run")) {
		CU_ASSERT_PTR_EQUAL(stop, &f->flag); /* passed on to it */
		f->flag = f->sig;
		return 128 + f->sig;
	}
	if (!strncmp(what, "setup teardown", 14))
		CU_ASSERT_PTR_NULL(stop); /* never stopped */
	snprintf(key, sizeof(key), "%s=", what);
	c = f->codes ? strstr(f->codes, key) : NULL;
	return c ? atoi(c + strlen(key)) : 0;
}

static const char *const graph_plan =
	"[qualify]\npaths = pf\npeer = h\n"
	"rules = absolute lat_p50_us <= 100, no-error-rows\n"
	"[pf0]\nnum_vfs = 2\n";

static const struct {
	const char *codes, *plan_extra;
	int sig;
	const char *calls, *states;
	int exit;
} graphs[] = {
	{ NULL, "", 0,
	  "doctor,setup apply,devices,run,report,gate rule-1,gate rule-2,"
	  "setup teardown",
	  "pass pass pass pass skipped skipped pass pass pass", 0 },
	/* a run whose rows failed: still reported and gated */
	{ "run=1;", "", 0,
	  "doctor,setup apply,devices,run,report,gate rule-1,gate rule-2,"
	  "setup teardown",
	  "pass pass pass fail skipped skipped pass pass pass", 1 },
	/* a run that could not measure: its rows reported, not gated */
	{ "run=3;", "", 0,
	  "doctor,setup apply,devices,run,report,setup teardown",
	  "pass pass pass error skipped skipped pass blocked pass", 3 },
	/* the doctor failed: nothing applied, nothing to undo */
	{ "doctor=1;", "", 0, "doctor",
	  "fail blocked blocked blocked skipped skipped blocked blocked "
	  "skipped",
	  1 },
	/* advisory: recorded, the rest runs */
	{ "doctor=1;", "doctor = advisory\n", 0,
	  "doctor,setup apply,devices,run,report,gate rule-1,gate rule-2,"
	  "setup teardown",
	  "warn pass pass pass skipped skipped pass pass pass", 0 },
	/* apply failed half-way: teardown still runs */
	{ "setup apply=3;", "", 0, "doctor,setup apply,setup teardown",
	  "pass error blocked blocked skipped skipped blocked blocked pass",
	  3 },
	/* the VFs' devices never came: nothing measured, teardown */
	{ "devices-none;", "settle = 1\n", 0,
	  "doctor,setup apply,devices,devices,setup teardown",
	  "pass pass fail blocked skipped skipped blocked blocked pass", 1 },
	/* one rule fails: the gate fails, the other rule passes */
	{ "gate rule-2=1;", "", 0,
	  "doctor,setup apply,devices,run,report,gate rule-1,gate rule-2,"
	  "setup teardown",
	  "pass pass pass pass skipped skipped pass fail pass", 1 },
	/* SIGTERM while run runs: passed on, teardown after it */
	{ NULL, "", SIGTERM, "doctor,setup apply,devices,run,setup teardown",
	  "pass pass pass interrupted skipped skipped blocked blocked pass",
	  128 + SIGTERM },
};
/* Graph I on the fake: what ran, what came of each stage, the exit. */
static void graph_case(size_t i)
{
	struct fake f = { .codes = graphs[i].codes, .sig = graphs[i].sig };
	struct qfy_exec ex = { .run = fake_run, .ctx = &f };
	struct qfy_run r = { .plan = &plan, .exe = "vfbench", .ex = &ex };
	char text[512], states[256] = "";
	char *said;
	int rc, k;

	/* the extra key goes into [qualify] */
	snprintf(text, sizeof(text), "%s", graph_plan);
	snprintf(strstr(text, "[pf0]"), sizeof(text) - 40,
		 "%s[pf0]\nnum_vfs = 2\n", graphs[i].plan_extra);
	said = read_plan(text, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(said);
	r.stop = &f.flag;
	test_scratch(r.out, sizeof(r.out), "qout");
	CU_ASSERT_EQUAL_FATAL(qfy_prepare(&r), 0);
	qfy_execute(&r);
	for (k = 0; k < r.nstages; k++)
		snprintf(states + strlen(states),
			 sizeof(states) - strlen(states), "%s%s", k ? " " : "",
			 qfy_status_name(r.stages[k].st));
	if (strcmp(f.calls, graphs[i].calls) ||
	    strcmp(states, graphs[i].states) ||
	    qfy_exit_code(&r) != graphs[i].exit)
		fprintf(stderr, "\ncase %zu: calls %s\n  states %s, exit %d\n",
			i, f.calls, states, qfy_exit_code(&r));
	CU_ASSERT_STRING_EQUAL(f.calls, graphs[i].calls);
	CU_ASSERT_STRING_EQUAL(states, graphs[i].states);
	CU_ASSERT_EQUAL(qfy_exit_code(&r), graphs[i].exit);
	qfy_free(&r);
	test_rm_tree(r.out);
}

static void test_graph(void)
{
	size_t i;

	for (i = 0; i < sizeof(graphs) / sizeof(graphs[0]); i++)
		graph_case(i);
}

/* The verdict names what failed: the stage and the rule. */
static void test_verdict_names(void)
{
	struct fake f = { .codes = "gate rule-1=1;" };
	struct qfy_exec ex = { .run = fake_run, .ctx = &f };
	struct qfy_run r = { .plan = &plan, .exe = "vfbench", .ex = &ex };
	char *said;
	int rc;

	said = read_plan(graph_plan, &rc);
	free(said);
	test_scratch(r.out, sizeof(r.out), "qout");
	CU_ASSERT_EQUAL_FATAL(qfy_prepare(&r), 0);
	qfy_execute(&r);
	CU_ASSERT_EQUAL(r.verdict, QFY_V_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.why, "gate fail: 1 of 2: gate: "
					     "absolute lat_p50_us <= 100"));
	qfy_free(&r);
	test_rm_tree(r.out);
	test_rm_tree(root);
	root[0] = '\0';
}

int test_qualify_register(void)
{
	CU_pSuite s = CU_add_suite("qualify", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "hostile plans: one line, file, line, key",
			 test_plan_hostile) ||
	    !CU_add_test(s, "a missing plan", test_plan_missing) ||
	    !CU_add_test(s, "the stage graph on a fake child", test_graph) ||
	    !CU_add_test(s, "the verdict names the failed rule",
			 test_verdict_names))
		return -1;
	return 0;
}
