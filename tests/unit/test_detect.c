/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#include "adaptive.h"
#include "detect.h"
#include "fabric.h"
#include "load.h"
#include "mesh.h"
#include "results.h"
#include "schedule.h"
#include "suites.h"

/* A fleet of N hosts (leaves of 4 when LEAVES) measured in 10 random
 * rounds: every value 10 us with a +-2% spread of its own (a hash of the
 * pair and round), times the faults of the case. */
struct fault {
	const char *name;
	uint32_t n;
	int slow_host, error_host; /* -1: none */
	int link_a, link_b;	   /* a slow pair, measured in every round */
	int slow_leaf;		   /* its crossings slow */
	bool leaves, bw;
	/* what the detector must say */
	int suspect; /* -1: none */
	uint8_t why;
	int link;  /* 1: the pair link_a:link_b confirmed */
	int named; /* the leaf named; -1: none */
};

static double spread(uint32_t a, uint32_t b, uint32_t r)
{
	uint32_t x = (a * 2654435761u) ^ (b * 40503u) ^ (r * 2246822519u);

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return 1 + 0.02 * ((double)(x % 2001) / 1000 - 1);
}

static void add(struct msh_obs *o, size_t *n, const struct fault *f, uint32_t a,
		uint32_t b, uint32_t r)
{
	double v = 10 * spread(a, b, r);
	bool cross = a / 4 != b / 4;

	if ((int)a == f->slow_host || (int)b == f->slow_host)
		v *= 1.5;
	if ((int)(a ^ b) == (f->link_a ^ f->link_b) &&
	    ((int)a == f->link_a || (int)b == f->link_a))
		v *= 2;
	if (cross &&
	    ((int)(a / 4) == f->slow_leaf || (int)(b / 4) == f->slow_leaf))
		v *= 1.5;
	o[*n] = (struct msh_obs){ .a = a, .b = b, .value = f->bw ? 1 / v : v };
	if (f->bw)
		o[*n].flags |= MSH_OBS_LOWER_WORSE;
	if ((int)a == f->error_host || (int)b == f->error_host)
		o[*n].flags |= MSH_OBS_ERROR;
	(*n)++;
}

static void run_case(const struct fault *f)
{
	static struct msh_obs o[4096];
	struct msh_pair p[64];
	struct msh_schedule s;
	struct msh_verdicts v;
	uint32_t leaf[64], h, r, i, np;
	struct msh_leaves lv = { .nleaves = f->n / 4, .leaf = leaf };
	struct msh_detect_cfg cfg = MSH_DETECT_CFG_INIT;
	char err[128];
	size_t n = 0, l;
	int found = 0;

	for (h = 0; h < f->n; h++)
		leaf[h] = h / 4;
	if (f->leaves)
		cfg.leaves = &lv;
	CU_ASSERT_FATAL(!msh_sched_init(&s, "random", f->n, err, sizeof(err)));
	msh_sched_seed(&s, 10, 5);
	if (f->leaves)
		CU_ASSERT_FATAL(!msh_sched_leaves(&s, leaf, f->n / 4));
	for (r = 0; r < 10; r++) {
		np = msh_sched_round(&s, r, p);
		for (i = 0; i < np; i++)
			add(o, &n, f, p[i].src, p[i].dst, r);
		if (f->link_a >= 0 && r < 3) /* its pair 3 times more */
			add(o, &n, f, (uint32_t)f->link_a, (uint32_t)f->link_b,
			    r);
	}
	CU_ASSERT_EQUAL_FATAL(msh_detect(o, n, f->n, 1, &cfg, &v), 0);
	for (h = 0; h < f->n; h++) {
		bool want = (int)h == f->suspect;

		if ((v.host[h].state == MSH_HOST_SUSPECT) != want)
			fprintf(stderr, "%s: host %u score %.3f (thr %.3f)\n",
				f->name, h, v.host[h].score, v.host_threshold);
		CU_ASSERT_EQUAL(v.host[h].state == MSH_HOST_SUSPECT, want);
		if (want)
			CU_ASSERT_EQUAL(v.host[h].why, f->why);
	}
	for (l = 0; l < v.nlinks; l++)
		found += v.link[l].confirmed && (int)v.link[l].a == f->link_a &&
			 (int)v.link[l].b == f->link_b;
	CU_ASSERT_EQUAL(found, f->link);
	CU_ASSERT_EQUAL(v.nsw, f->named >= 0);
	if (v.nsw)
		CU_ASSERT_EQUAL((int)v.sw[0].leaf, f->named);
	CU_ASSERT(v.host_threshold >= 1.10 * exp(v.center) * (1 - 1e-12));
	msh_verdicts_free(&v);
	msh_sched_free(&s);
}

static void test_detect_cases(void)
{
	static const struct fault cases[] = {
		{ "healthy", 16, -1, -1, -1, -1, -1, false, false, -1, 0, 0,
		  -1 },
		{ "slow host", 16, 5, -1, -1, -1, -1, false, false, 5,
		  MSH_WHY_SLOW, 0, -1 },
		{ "slow host, bandwidth", 32, 9, -1, -1, -1, -1, false, true, 9,
		  MSH_WHY_SLOW, 0, -1 },
		{ "erroring host", 16, -1, 3, -1, -1, -1, false, false, 3,
		  MSH_WHY_ERRORS, 0, -1 },
		{ "slow link", 16, -1, -1, 1, 6, -1, false, false, -1, 0, 1,
		  -1 },
		{ "slow uplink of leaf 2", 32, -1, -1, -1, -1, 2, true, false,
		  -1, 0, 0, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* The median of odd and even counts, none; bad observations refused. */
static void test_detect_edges(void)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 };
	struct msh_obs o[] = { { .a = 0, .b = 3, .value = 1 } };
	struct msh_detect_cfg cfg = MSH_DETECT_CFG_INIT;
	struct msh_verdicts v;

	CU_ASSERT_DOUBLE_EQUAL(msh_median(a, 3), 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(msh_median(b, 4), 2.5, 1e-12);
	CU_ASSERT(isnan(msh_median(a, 0)));
	CU_ASSERT_EQUAL(msh_detect(o, 1, 3, 1, &cfg, &v), -EINVAL);
	o[0].b = 1;
	o[0].kase = 1;
	CU_ASSERT_EQUAL(msh_detect(o, 1, 3, 1, &cfg, &v), -EINVAL);
	o[0].kase = 0;
	CU_ASSERT_EQUAL(msh_detect(o, 1, 3, 1, &cfg, &v), 0);
	CU_ASSERT_EQUAL(v.host[0].state, MSH_HOST_UNJUDGED);
	msh_verdicts_free(&v);
}

/* The lab's fleet (lab_cluster_mesh, random, 3 rounds): 4 hosts, node 2
 * behind a 100 ms delay, so in half the pairs. The case's median fell
 * between the slow and the good values: node 2's score read 1.98 and a
 * pair threshold of 35 million made none of its pairs slow. */
static void test_detect_small_fleet(void)
{
	static const struct msh_obs o[] = {
		{ .a = 0, .b = 1, .value = 675.2 },
		{ .a = 2, .b = 3, .value = 51533.1 },
		{ .a = 3, .b = 0, .value = 494.4 },
		{ .a = 1, .b = 2, .value = 51691.2 },
		{ .a = 0, .b = 2, .value = 51841.1 },
		{ .a = 3, .b = 1, .value = 757.4 },
	};
	struct msh_detect_cfg cfg = MSH_DETECT_CFG_INIT;
	struct msh_verdicts v;
	uint32_t h;

	CU_ASSERT_EQUAL_FATAL(msh_detect(o, 6, 4, 1, &cfg, &v), 0);
	for (h = 0; h < 4; h++)
		CU_ASSERT_EQUAL(v.host[h].state == MSH_HOST_SUSPECT, h == 2);
	CU_ASSERT(v.host[2].score > 50 && v.host[2].score < 110);
	CU_ASSERT_EQUAL(v.host[2].slow, 3);
	CU_ASSERT(v.pair_threshold > 1.1 && v.pair_threshold < 5);
	CU_ASSERT_EQUAL(v.nlinks, 0);
	msh_verdicts_free(&v);
}

/* topology.conf: hostlists, short names, comments; each refusal names
 * its line. */
static void test_fabric(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "Nodes=a\n", "line 1: 'Nodes=a': a line is SwitchName=" },
		{ "# x\nSwitchName=s Nodes=a[3-1]\n",
		  "line 2: '[3-1]': 3-1 runs backwards" },
		{ "SwitchName=s Nodes=a[1-2\n",
		  "line 1: 'a[1-2': '[' without" },
		{ "SwitchName=s Nodes=a[x]\n", "line 1: '[x]': a range is N" },
		{ "SwitchName=s Foo=1\n",
		  "line 1: 'Foo': not Nodes, Switches" },
		{ "SwitchName=s Nodes=a,,b\n",
		  "line 1: 'a,,b': an empty name" },
		{ "SwitchName=s Nodes=a\nSwitchName=t Nodes=b,a\n",
		  "line 2: host 'a' is in switch 's' and (line 1) 't'" },
		{ "SwitchName=s Nodes=a\nSwitchName=s Nodes=b\n",
		  "line 2: switch 's' again" },
		{ "SwitchName=s Nodes=a\nSwitchName=t Switches=s,zz\n",
		  "line 2: switch 'zz' is not listed" },
		{ "# nothing\n", "no Nodes= in it" },
	};
	struct msh_fabric f;
	char err[256];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(
		msh_fabric_parse(
			&f,
			"SwitchName=s1 Nodes=node[01-03],x\n"
			"switchname=s2 nodes=n[1-2]-a[7,9] # racks\n"
			"\n"
			"SwitchName=top Switches=s[1-2] LinkSpeed=100\n",
			err, sizeof(err)),
		0);
	CU_ASSERT_EQUAL(f.nswitches, 3);
	CU_ASSERT_EQUAL(f.nnodes, 8);
	CU_ASSERT_EQUAL(msh_fabric_leaf(&f, "node02"), 0);
	CU_ASSERT_EQUAL(msh_fabric_leaf(&f, "x.lab.example"), 0);
	CU_ASSERT_EQUAL(msh_fabric_leaf(&f, "n2-a9"), 1);
	CU_ASSERT_EQUAL(msh_fabric_leaf(&f, "node4"), UINT32_MAX);
	CU_ASSERT_STRING_EQUAL(f.sw[1], "s2");
	msh_fabric_free(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(
			msh_fabric_parse(&f, bad[i].text, err, sizeof(err)),
			-EINVAL);
		if (!strstr(err, bad[i].err))
			fprintf(stderr, "'%s': said '%s'\n", bad[i].text, err);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].err));
		CU_ASSERT_PTR_NULL(f.node);
	}
}

/* mesh's suspects from its flagged rows (kept in sorted pairs, not an
 * N x N matrix): a pair retested and not flagged again does not count. */
static void test_suspects_rows(void)
{
	static struct msh m;
	static struct msh_host hosts[4] = { { .host = "n0" },
					    { .host = "n1" },
					    { .host = "n2" },
					    { .host = "n3" } };
	static const int pairs[][4] = {
		/* src, dst, retest, flagged */
		{ 0, 2, 0, 1 }, { 2, 1, 0, 1 }, { 3, 2, 0, 1 },
		{ 2, 0, 1, 1 }, { 1, 2, 1, 0 }, { 0, 1, 0, 0 },
	};
	struct msh_kept rows[6] = { 0 };
	json_object *s;
	size_t i;

	for (i = 0; i < 6; i++) {
		rows[i].src_rank = pairs[i][0];
		rows[i].dst_rank = pairs[i][1];
		rows[i].retest = pairs[i][2];
		if (pairs[i][3])
			snprintf(rows[i].flag, sizeof(rows[i].flag), "latency");
	}
	m.all = rows;
	m.nall = 6;
	m.px.size = 4;
	m.hosts = hosts;
	s = msh_suspects(&m);
	CU_ASSERT_EQUAL(json_object_array_length(s), 1);
	CU_ASSERT_STRING_EQUAL(
		json_object_get_string(json_object_array_get_idx(s, 0)), "n2");
	json_object_put(s);
	rows[3].flag[0] = '\0'; /* (0, 2) not flagged again: n2 in 1 of 1 */
	s = msh_suspects(&m);
	CU_ASSERT_EQUAL(json_object_array_length(s), 0);
	json_object_put(s);
}

/* DIR/results.csv of N rows, a pair each (rank i -> i + 1). */
static void write_rows(const char *dir, int n)
{
	char path[512];
	struct vfb_result r;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	rpt_csv_header(f);
	for (i = 0; i < n; i++) {
		vfb_result_init(&r);
		snprintf(r.test, sizeof(r.test), "write_lat");
		snprintf(r.src_host, sizeof(r.src_host), "n%d", i);
		snprintf(r.dst_host, sizeof(r.dst_host), "n%d", i + 1);
		r.src_rank = i;
		r.dst_rank = i + 1;
		rpt_csv_result(f, &r);
	}
	fclose(f);
}

/* The flags of DIR/results.csv, joined by '|'. */
static void read_flags(const char *dir, char *out, size_t len)
{
	struct rpt_run run = { .rows = NULL };
	char path[512], err[256];
	size_t i, o = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(rpt_rows_read(f, &run, err, sizeof(err)), 0);
	fclose(f);
	out[0] = '\0';
	for (i = 0; i < run.nrows && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? "|" : "",
				      run.rows[i].flag);
	free(run.rows);
}

/* Rank 0's rewrite: results.csv read back a row at a time, each row with
 * its kept flag; a file that does not match the kept rows one for one
 * is left as it is. */
static void test_rewrite(void)
{
	char dir[] = "/tmp/vfb-kept-XXXXXX", flags[256], path[600];
	struct msh_kept kept[3] = {
		{ .src_rank = 0, .dst_rank = 1, .flag = "latency" },
		{ .src_rank = 1, .dst_rank = 2, .flag = "" },
		{ .src_rank = 2, .dst_rank = 3, .flag = "bandwidth" }
	};
	size_t i;
	struct msh m = { .all = kept, .nall = 3 };

	for (i = 0; i < 3; i++) { /* as write_rows writes them */
		snprintf(kept[i].test, sizeof(kept[i].test), "write_lat");
		kept[i].mesh_round = -1;
		kept[i].retest = -1;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(m.rd.dir, sizeof(m.rd.dir), "%s", dir);
	write_rows(dir, 3);
	msh_rewrite(&m);
	read_flags(dir, flags, sizeof(flags));
	CU_ASSERT_STRING_EQUAL(flags, "latency||bandwidth");
	kept[1].dst_rank = 5; /* the file's second row is not this one */
	write_rows(dir, 3);
	msh_rewrite(&m);
	read_flags(dir, flags, sizeof(flags));
	CU_ASSERT_STRING_EQUAL(flags, "||");
	kept[1].dst_rank = 2;
	write_rows(dir, 4); /* a row more than kept: not flagged at all */
	msh_rewrite(&m);
	read_flags(dir, flags, sizeof(flags));
	CU_ASSERT_STRING_EQUAL(flags, "|||");
	snprintf(path, sizeof(path), "%s/results.csv.tmp", dir);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	unlink(path);
	rmdir(dir);
}

int test_detect_register(void)
{
	CU_pSuite s = CU_add_suite("mesh/detect", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "hosts, links, switches found, nothing else",
			 test_detect_cases) ||
	    !CU_add_test(s, "a small fleet: one slow host in half the pairs",
			 test_detect_small_fleet) ||
	    !CU_add_test(s, "medians and bad observations",
			 test_detect_edges) ||
	    !CU_add_test(s, "topology.conf: switches, hostlists, errors",
			 test_fabric) ||
	    !CU_add_test(s, "rank 0's rows flagged, read back one at a time",
			 test_rewrite) ||
	    !CU_add_test(s, "mesh's suspects from flagged rows",
			 test_suspects_rows))
		return -1;
	return 0;
}
