/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "adaptive.h"
#include "mesh.h"
#include "schedule.h"
#include "suites.h"

#ifndef VFB_TEST_MESH_MAX
#define VFB_TEST_MESH_MAX 4096
#endif

/* Every N from 2 to 4,096: the tournament's N-1 (or N) rounds hold every
 * pair exactly once and no host twice in a round (msh_sched_check walks
 * every pair against a bitmap); each round has floor(N/2) pairs. */
static void test_pairs_every_n(void)
{
	static struct msh_pair buf[4096];
	struct msh_schedule s;
	char err[128] = "";
	uint32_t n, bad = 0;

	for (n = 2; n <= VFB_TEST_MESH_MAX; n++) {
		uint32_t want = n - 1 + (n & 1);

		if (msh_sched_init(&s, "pairs", n, err, sizeof(err)) ||
		    msh_sched_rounds(&s) != want ||
		    msh_sched_round(&s, want - 1, buf) != n / 2 ||
		    msh_sched_check(&s, err, sizeof(err))) {
			if (!bad++)
				fprintf(stderr, "pairs, N=%u: %s\n", n, err);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* Who drives is balanced: with even N each host drives N/2 or N/2-1 of
 * its N-1 pairs. */
static void test_pairs_balance(void)
{
	static struct msh_pair buf[64];
	uint32_t drives[64] = { 0 };
	struct msh_schedule s;
	char err[128];

	CU_ASSERT_FATAL(!msh_sched_init(&s, "pairs", 64, err, sizeof(err)));
	for (uint32_t r = 0; r < msh_sched_rounds(&s); r++) {
		uint32_t np = msh_sched_round(&s, r, buf);

		for (uint32_t i = 0; i < np; i++)
			drives[buf[i].src]++;
	}
	for (uint32_t h = 0; h < 64; h++)
		CU_ASSERT(drives[h] == 31 || drives[h] == 32);
}

/* A kind no entry of the registry can be: all their names joined, and
 * longer than any. */
static const char *unknown_kind(void)
{
	static char name[256];
	const struct msh_sched_kind *k;
	size_t i, n;

	k = msh_sched_kinds(&n);
	snprintf(name, sizeof(name), "x");
	for (i = 0; i < n; i++)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 "-%s", k[i].name);
	return name;
}

/* Every kind of the registry holds what it promises (schedule.h), for
 * every N to 64: a generated kind as generated, a kind that reads its
 * rounds (file) from a text of disjoint rounds meeting every pair once. */
static void test_every_kind(void)
{
	const struct msh_sched_kind *k;
	struct msh_schedule s;
	char err[128] = "";
	uint32_t nh;
	size_t i, n;

	k = msh_sched_kinds(&n);
	CU_ASSERT(n > 0);
	for (i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL(k[i].help);
		CU_ASSERT_PTR_EQUAL(msh_sched_kind_find(k[i].name), &k[i]);
		if (k[i].from_file) {
			CU_ASSERT_EQUAL(msh_sched_init(&s, k[i].name, 4, err,
						       sizeof(err)),
					-EINVAL);
			CU_ASSERT_EQUAL_FATAL(
				msh_sched_parse(&s, k[i].name,
						"0:1 2:3\n0:2 1:3\n0:3 1:2\n",
						4, NULL, NULL, err,
						sizeof(err)),
				0);
			CU_ASSERT_PTR_EQUAL(s.kind, &k[i]);
			CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)),
					0);
			msh_sched_free(&s);
			continue;
		}
		for (nh = 2; nh <= 64; nh++) {
			CU_ASSERT_EQUAL(msh_sched_init(&s, k[i].name, nh, err,
						       sizeof(err)),
					0);
			CU_ASSERT(msh_sched_rounds(&s) > 0);
			if (msh_sched_check(&s, err, sizeof(err)))
				fprintf(stderr, "%s, N=%u: %s\n", k[i].name, nh,
					err);
			CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)),
					0);
		}
	}
}

static void test_ring(void)
{
	const struct msh_sched_kind *k;
	struct msh_pair buf[5];
	struct msh_schedule s;
	char err[128];
	size_t i, n;

	k = msh_sched_kinds(&n);

	CU_ASSERT_FATAL(!msh_sched_init(&s, "ring", 5, err, sizeof(err)));
	CU_ASSERT_EQUAL(msh_sched_rounds(&s), 1);
	CU_ASSERT_EQUAL(msh_sched_round(&s, 0, buf), 5);
	CU_ASSERT(buf[4].src == 4 && buf[4].dst == 0);
	CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(msh_sched_init(&s, "ring", 1, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT(strstr(err, "a mesh needs 2") != NULL);
	CU_ASSERT_EQUAL(msh_sched_init(&s, unknown_kind(), 4, err, sizeof(err)),
			-EINVAL);
	for (i = 0; i < n; i++) /* the refusal names every kind */
		CU_ASSERT(strstr(err, k[i].name) != NULL);
	for (i = 0; i < n; i++) /* a generated kind is not read from a file */
		if (!k[i].from_file)
			CU_ASSERT_EQUAL(msh_sched_parse(&s, k[i].name, "0:1\n",
							4, NULL, NULL, err,
							sizeof(err)),
					-EINVAL);
}

static int lookup(void *ctx, const char *name, uint32_t *rank)
{
	static const char *const hosts[] = { "node-a", "node-b", "node-c",
					     "node-d" };

	(void)ctx;
	for (uint32_t i = 0; i < 4; i++)
		if (!strcmp(hosts[i], name)) {
			*rank = i;
			return 0;
		}
	return -ENOENT;
}

/* The first kind read from a file: its format is the one below. */
static const char *file_kind(void)
{
	const struct msh_sched_kind *k;
	size_t i, n;

	for (k = msh_sched_kinds(&n), i = 0; i < n; i++)
		if (k[i].from_file)
			return k[i].name;
	CU_FAIL_FATAL("no schedule kind is read from a file");
	return NULL;
}

static void test_file(void)
{
	static const struct {
		const char *text, *err;
		uint32_t rounds, pairs_last;
	} cases[] = {
		{ "0:1 2:3\n# comment\n\n0:2 1:3  # trailing\nnode-a:node-d "
		  "node-c:node-b\n",
		  NULL, 3, 2 },
		{ "node-a:node-b", NULL, 1, 1 },
		{ "0:1\n1:4\n", "line 2: rank 4: the mesh has 4 (0-3)", 0, 0 },
		{ "0:1 0:2\n", "line 1: '0:2': rank 0 drives two pairs", 0, 0 },
		{ "2:2\n", "line 1: '2:2': a host paired with itself", 0, 0 },
		{ "0-1\n", "line 1: '0-1': a pair is SRC:DST", 0, 0 },
		{ "0:\n", "line 1: '': a pair is SRC:DST", 0, 0 },
		{ "0:node-x\n", "line 1: host 'node-x' is not in the mesh", 0,
		  0 },
		{ "# nothing\n\n", "no pairs in it", 0, 0 },
	};
	struct msh_pair buf[4];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msh_schedule s;
		char err[256] = "";
		int ret = msh_sched_parse(&s, file_kind(), cases[i].text, 4,
					  lookup, NULL, err, sizeof(err));

		if (!cases[i].err) {
			CU_ASSERT_EQUAL_FATAL(ret, 0);
			CU_ASSERT_EQUAL(msh_sched_rounds(&s), cases[i].rounds);
			CU_ASSERT_EQUAL(
				msh_sched_round(&s, s.nfile_rounds - 1, buf),
				cases[i].pairs_last);
			CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)),
					0);
			msh_sched_free(&s);
			continue;
		}
		CU_ASSERT_EQUAL(ret, -EINVAL);
		if (!strstr(err, cases[i].err))
			fprintf(stderr, "case %zu: '%s'\n", i, err);
		CU_ASSERT(strstr(err, cases[i].err) != NULL);
	}
}

/* What 'mesh --schedule KIND [--schedule-file FILE]' says on stderr
 * (the caller frees it); its exit code in *RC. */
static char *mesh_says(const char *kind, const char *file, int *rc)
{
	char *argv[] = { "mesh",       "--schedule",
			 (char *)kind, "--schedule-file",
			 (char *)file, NULL };

	return test_capture(STDERR_FILENO, bench_cmd_mesh, file ? 5 : 3, argv,
			    rc);
}

/* mesh wants --schedule-file with exactly the kinds the table marks as
 * read from a file, before anything is launched: a kind so marked
 * without one, or another kind with one, is bad usage naming them. */
static void test_cmd_file_kinds(void)
{
	static const char goes[] = "--schedule-file goes with --schedule ";
	const char *missing = "/nonexistent/vfb-schedule";
	const struct msh_sched_kind *k;
	size_t i, n;
	char *said;
	int rc;

	for (k = msh_sched_kinds(&n), i = 0; i < n; i++) {
		said = mesh_says(k[i].name, missing, &rc);
		CU_ASSERT_EQUAL(rc, 2);
		CU_ASSERT_EQUAL(!strstr(said, goes), k[i].from_file);
		if (k[i].from_file)
			CU_ASSERT_PTR_NOT_NULL(strstr(said, missing));
		free(said);
		if (!k[i].from_file)
			continue;
		said = mesh_says(k[i].name, NULL, &rc);
		CU_ASSERT_EQUAL(rc, 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(said, goes));
		CU_ASSERT_PTR_NOT_NULL(strstr(said, k[i].name));
		free(said);
	}
}

/* random: K rounds from msh_sched_seed; every host in a pair of every
 * round for even N, exactly one idle for odd N and never the same one
 * twice running; the same seed gives the same rounds, another seed
 * others; who drives is not always the lower rank. */
static uint32_t random_busy(const struct msh_schedule *s, uint32_t r,
			    struct msh_pair *buf, uint32_t *idle)
{
	uint8_t in[65] = { 0 };
	uint32_t i, np = msh_sched_round(s, r, buf), busy = 0;

	for (i = 0; i < np; i++)
		in[buf[i].src] = in[buf[i].dst] = 1;
	for (i = 0; i < s->nhosts; i++)
		if (in[i])
			busy++;
		else
			*idle = i;
	return busy;
}

static void test_random(void)
{
	struct msh_pair a[65], b[65];
	struct msh_schedule s, t;
	char err[128];
	uint32_t nh, r, idle = 0, last, up = 0;

	for (nh = 2; nh <= 65; nh++) {
		CU_ASSERT_FATAL(
			!msh_sched_init(&s, "random", nh, err, sizeof(err)));
		CU_ASSERT_EQUAL(msh_sched_rounds(&s), MSH_SCHED_ROUNDS);
		msh_sched_seed(&s, 7, 42);
		CU_ASSERT_EQUAL(msh_sched_rounds(&s), 7);
		last = nh;
		for (r = 0; r < 7; r++) {
			CU_ASSERT_EQUAL(random_busy(&s, r, a, &idle),
					nh - (nh & 1));
			if (nh & 1)
				CU_ASSERT(idle != last);
			last = idle;
		}
		CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)), 0);
	}
	CU_ASSERT_FATAL(!msh_sched_init(&s, "random", 64, err, sizeof(err)));
	CU_ASSERT_FATAL(!msh_sched_init(&t, "random", 64, err, sizeof(err)));
	msh_sched_seed(&s, 3, 42);
	msh_sched_seed(&t, 3, 42);
	msh_sched_round(&s, 2, a);
	msh_sched_round(&t, 2, b);
	CU_ASSERT_EQUAL(memcmp(a, b, 32 * sizeof(*a)), 0);
	msh_sched_round(&t, 1, b); /* another round, another matching */
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, 32 * sizeof(*a)), 0);
	msh_sched_seed(&t, 3, 43);
	msh_sched_round(&t, 2, b);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, 32 * sizeof(*a)), 0);
	for (r = 0; r < 32; r++)
		up += a[r].src < a[r].dst;
	CU_ASSERT(up > 4 && up < 28);
	CU_ASSERT_EQUAL(msh_sched_default_seed("slurm.pmix.12.0"),
			msh_sched_default_seed("slurm.pmix.12.0"));
	CU_ASSERT_NOT_EQUAL(msh_sched_default_seed("slurm.pmix.12.0"),
			    msh_sched_default_seed("slurm.pmix.13.0"));
	CU_ASSERT(msh_sched_default_seed("x") <= 0xffffffffull);
	CU_ASSERT_FATAL(!msh_sched_init(&s, "adaptive", 8, err, sizeof(err)));
	CU_ASSERT_EQUAL(msh_sched_rounds(&s), MSH_ADAPT_FIRST);
	CU_ASSERT(s.kind->adaptive && s.kind->seeded);
}

/* random over a fabric (leaves of 5): still disjoint, every host busy;
 * its odd rounds within the leaves but for one leftover of each. */
static void test_random_leaves(void)
{
	struct msh_pair p[65];
	struct msh_schedule s;
	uint32_t leaf[65], nh, r, i, np, across;
	char err[128];

	for (nh = 2; nh <= 65; nh++) {
		for (i = 0; i < nh; i++)
			leaf[i] = i == 7 ? UINT32_MAX : i % ((nh + 4) / 5);
		CU_ASSERT_FATAL(
			!msh_sched_init(&s, "random", nh, err, sizeof(err)));
		CU_ASSERT_FATAL(!msh_sched_leaves(&s, leaf, (nh + 4) / 5));
		CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)), 0);
		for (r = 0; r < msh_sched_rounds(&s); r++) {
			np = msh_sched_round(&s, r, p);
			CU_ASSERT_EQUAL(np, nh / 2);
			for (across = 0, i = 0; i < np; i++)
				across += leaf[p[i].src] != leaf[p[i].dst];
			if (r & 1)
				CU_ASSERT(across <= (nh + 4) / 5 / 2 + 1);
		}
		msh_sched_free(&s);
	}
}

/* The checker itself fails what breaks a promise: a tournament with a
 * pair met twice, a round with a host in two pairs. */
static uint32_t twice_round(const struct msh_schedule *s, uint32_t r,
			    struct msh_pair *out)
{
	(void)s;
	out[0] = (struct msh_pair){ 0, 1 };
	out[1] = r ? (struct msh_pair){ 2, 3 } : (struct msh_pair){ 3, 1 };
	return 2;
}

static uint32_t three_rounds(const struct msh_schedule *s)
{
	(void)s;
	return 3;
}

static void test_check_fails(void)
{
	struct msh_sched_kind bad = { .name = "bad",
				      .disjoint = true,
				      .every_pair_once = true,
				      .rounds = three_rounds,
				      .round = twice_round };
	struct msh_schedule s = { .kind = &bad, .nhosts = 4 };
	char err[128] = "";

	CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err, "round 0: host 1 in two pairs");
	bad.disjoint = false;
	CU_ASSERT_EQUAL(msh_sched_check(&s, err, sizeof(err)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err, "round 1: 0 and 1 meet again");
}

/* Gone is only what a dead rank shows: a refused port at once, an
 * unreachable host three probes in a row. A rank whose server accepted
 * but answered late is there (before: any failed probe was gone, and a
 * stalled live rank left the mesh). */
static void test_probe_gone(void)
{
	unsigned char u = 0;

	CU_ASSERT_FALSE(msh_probe_gone(0, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-ETIMEDOUT, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-ETIMEDOUT, &u));
	CU_ASSERT_TRUE(msh_probe_gone(-ECONNREFUSED, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_FALSE(
		msh_probe_gone(0, &u)); /* back: the count starts anew */
	CU_ASSERT_EQUAL(u, 0);
	CU_ASSERT_FALSE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-ETIMEDOUT, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_FALSE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_TRUE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_TRUE(msh_probe_gone(-EHOSTUNREACH, &u));
	CU_ASSERT_TRUE(msh_probe_gone(-EPROTO, &u)); /* not our server */
}

int test_mesh_register(void)
{
	CU_pSuite s = CU_add_suite("mesh/schedule", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "pairs: every N to 4096, each pair once",
			 test_pairs_every_n) ||
	    !CU_add_test(s, "pairs: who drives is balanced",
			 test_pairs_balance) ||
	    !CU_add_test(s, "ring", test_ring) ||
	    !CU_add_test(s, "random: seeded matchings, one idle in turn",
			 test_random) ||
	    !CU_add_test(s, "random over a fabric: rounds within leaves",
			 test_random_leaves) ||
	    !CU_add_test(s, "every kind keeps its promises", test_every_kind) ||
	    !CU_add_test(s, "file: rounds, ranks, names, errors", test_file) ||
	    !CU_add_test(s,
			 "mesh wants --schedule-file for a kind read "
			 "from a file",
			 test_cmd_file_kinds) ||
	    !CU_add_test(s, "the checker fails a broken schedule",
			 test_check_fails) ||
	    !CU_add_test(s, "a rank is gone only when it is: probes",
			 test_probe_gone))
		return -1;
	return 0;
}
