/* SPDX-License-Identifier: MIT */
/*
 * -l: the streams' post lists against the recording fake provider, and
 * the signaling arithmetic they rest on (a list must always find room).
 */
#include <stdint.h>
#include <stdlib.h>

#include "fake_verbs.h"
#include "suites.h"

/* -l: lists of N WRs in one ibv_post_send, signaling and the window as
 * without; iterations not a multiple of N end with a shorter list. */
static void test_post_lists(void)
{
	static const struct {
		uint32_t tx_depth, cq_mod, list;
		uint64_t iters;
	} cases[] = {
		{ 128, 32, 8, 10000 },
		{ 128, 32, 16, 1001 }, /* a last list of 9 */
		{ 64, 64, 64, 5000 },  /* one list fills the queue */
		{ 128, 1, 4, 400 },    /* every WR signaled */
	};
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_stream, eng);

	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t n = cases[c].iters;
			uint64_t size = engine_size(ops, 4096);
			double want = (double)n / cases[c].cq_mod;
			struct vt_run run;
			struct fake f;

			fake_init(&f, size, cases[c].tx_depth, cases[c].cq_mod,
				  n, 0);
			f.p.post_list = cases[c].list;
			f.want_op = vt_test_opcode(ops, &f.p);
			fake_run(&f, &run, size, NULL);
			if (ops->two_sided)
				f.recvs_posted = n;
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(f.posts, n);
			CU_ASSERT_EQUAL(f.wrong_op, 0);
			CU_ASSERT_EQUAL(f.max_list, cases[c].list);
			CU_ASSERT_EQUAL(f.post_calls, (n + cases[c].list - 1) /
							      cases[c].list);
			CU_ASSERT(f.signaled >= want - 1 &&
				  f.signaled <= want + 2);
			CU_ASSERT(f.max_outstanding <= cases[c].tx_depth);
			CU_ASSERT_EQUAL(f.overflows, 0);
			CU_ASSERT_EQUAL(run.iters, n);
			CU_ASSERT_PTR_NULL(run.wrs); /* freed */
			free(f.res.buf);
		}
}

/*
 * A stream of COUNT WRs in lists of LIST on a queue of DEPTH, one in MOD
 * signaled, as the stream loop posts it (a whole list or wait for room)
 * against a device that completes at once but reports only the signaled
 * ones. Returns the WRs posted before it could go no further (COUNT: it
 * never got stuck).
 */
static uint64_t list_model(uint32_t depth, uint32_t mod, uint32_t list,
			   uint64_t count)
{
	uint64_t posted = 0, done = 0, last_sig = 0, j, n;

	while (posted < count) {
		n = count - posted < list ? count - posted : list;
		if (depth - (posted - done) < n) {
			if (last_sig == done)
				return posted; /* nothing left to complete */
			done = last_sig;
			continue;
		}
		for (j = 1; j <= n; j++)
			if (vt_list_signal(depth, list, posted + j, last_sig,
					   (posted + j) % mod == 0 ||
						   posted + j == count,
					   j == n))
				last_sig = posted + j;
		posted += n;
	}
	return last_sig == count ? count : 0;
}

/*
 * -l: every list length from 1 to tx_depth, for several cq_mod: a list
 * always finds room (it hung for -l 99-127 at cq_mod 32, and for 94 of
 * 127 lengths at cq_mod 100), the tail is signaled, and the signaling
 * stays about one in cq_mod. On the arithmetic, then on the engines.
 */
static void test_list_lengths(void)
{
	static const uint32_t depths[] = { 128, 64, 16 };
	static const uint32_t mods[] = { 1, 7, 32, 100, 128 };
	const struct vt_test_ops *eng[16];
	size_t d, m, t, ne = engines(is_stream, eng);
	uint32_t l, stuck;

	for (d = 0; d < 3; d++)
		for (m = 0; m < 5; m++) {
			uint32_t depth = depths[d];
			uint32_t mod = mods[m] < depth ? mods[m] : depth;
			uint64_t count = 64 * (uint64_t)depth + 3;

			for (l = 1, stuck = 0; l <= depth; l++)
				stuck += list_model(depth, mod, l, count) !=
					 count;
			CU_ASSERT_EQUAL(stuck, 0);
		}
	for (t = 0; t < ne; t++)
		for (m = 0; m < 5; m++)
			for (l = 1, stuck = 0; l <= 128; l++) {
				uint64_t size = engine_size(eng[t], 64),
					 n = 643;
				struct vt_run run;
				struct fake f;

				fake_init(&f, size, 128, mods[m], n, 0);
				f.p.post_list = l;
				f.want_op = vt_test_opcode(eng[t], &f.p);
				fake_run(&f, &run, size, NULL);
				run.timeout_ms = 1; /* stuck: fail fast */
				if (eng[t]->two_sided)
					f.recvs_posted = n;
				stuck += eng[t]->client(&run) != 0 ||
					 f.posts != n || f.overflows;
				/* about one in cq_mod (one per list at most) */
				CU_ASSERT(f.signaled <=
					  n / mods[m] + n / l + 2);
				free(f.res.buf);
				if (l == 128)
					CU_ASSERT_EQUAL(stuck, 0);
			}
}

int test_lists_add(CU_pSuite s)
{
	if (!CU_add_test(s,
			 "streams with -l: lists of N per post, same signaling",
			 test_post_lists) ||
	    !CU_add_test(s,
			 "-l 1..tx_depth at several cq_mod: a list always "
			 "finds room",
			 test_list_lengths))
		return -1;
	return 0;
}
