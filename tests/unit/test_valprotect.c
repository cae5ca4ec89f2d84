/* SPDX-License-Identifier: MIT */
/* vfbench validate's protection checks against the fake function
 * (valfake.h): each protection turned off fails its check and only
 * that, a positive control that fails fails every check, a refusal that
 * is not the responder's proves nothing, the rkey sweep, another
 * function's MR. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "valfake.h"
#include "validate.h"

/* Each protection turned off in the fake fails its checks (and only
 * those); a positive control that fails fails every protection check. */
static void test_protect(void)
{
	static const char *const bad_id[] = { "", "rkey", "past_end", "dereg",
					      "no_remote" };
	static const char *const ops[] = { "write", "read", "atomic" };
	char id[64];
	size_t b, k, i;

	for (b = 1; b < 5; b++) {
		fake_honest();
		FK.unfenced[b] = true;
		CU_ASSERT_EQUAL(run_fake("protect"), 3);
		for (k = 0; k < 3; k++) {
			snprintf(id, sizeof(id), "protect.%s.%s", ops[k],
				 bad_id[b]);
			CU_ASSERT_EQUAL(status_of(id), VAL_FAIL);
			CU_ASSERT(strstr(result_of(id)->evidence,
					 "not fenced in") != NULL);
		}
	}
	fake_honest();
	FK.control_fails = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 16);
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_FAIL);
		CU_ASSERT(strstr(got[i].evidence, "positive control") != NULL);
	}
	/* an error that is not the responder's remote access error (a
	 * local protection error, retries exceeded: the operation may never
	 * have reached the target's checks) proves no fence: fail */
	fake_honest();
	FK.other_error = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 16);
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_FAIL);
		CU_ASSERT(strstr(got[i].evidence,
				 "not a remote access error") != NULL);
	}
	/* the control runs before each check: two operations a check,
	 * three past the end (at it, and across it from inside), 21 for
	 * the sweep */
	fake_honest();
	FK.rops = 0;
	run_fake("protect.write");
	CU_ASSERT_EQUAL(ngot, 6);
	CU_ASSERT_EQUAL(FK.rops, 32);
}

/* Another function's MR with its rkey, from this function's QP: let
 * through, only the two cross-function checks fail; the other function
 * not opened, or none in the run: they skip, saying why. */
static void test_foreign(void)
{
	const struct val_config cfg = { .ops = &fake_ops, .timeout_ms = 10 };
	struct val_path p = { .path = "vf", .dev = "fake0", .why = "" };

	fake_honest();
	FK.unfenced[VAL_BAD_FOREIGN] = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 2);
	CU_ASSERT_EQUAL(status_of("protect.write.foreign"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.read.foreign"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("protect.write.foreign")->evidence,
			 "another function's MR") != NULL);
	fake_honest();
	CU_ASSERT_EQUAL(run_fake("protect.write.foreign"), 0);
	CU_ASSERT_EQUAL(status_of("protect.write.foreign"), VAL_PASS);
	CU_ASSERT(strstr(result_of("protect.write.foreign")->evidence,
			 "fake1") != NULL);
	other_fails = true;
	CU_ASSERT_EQUAL(run_fake("protect.read.foreign"), 0);
	other_fails = false;
	CU_ASSERT_EQUAL(status_of("protect.read.foreign"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("protect.read.foreign")->evidence,
			 "fake1, the other function: not opened") != NULL);
	ngot = 0;
	CU_ASSERT_EQUAL(val_run_path(&cfg, &p, collect, NULL), 0);
	CU_ASSERT_EQUAL(status_of("protect.write.foreign"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("protect.write.foreign")->evidence,
			 "one function in this run") != NULL);
}

/* The rkey sweep: a fence that checks an rkey's index and not its key
 * byte lets every near guess through, one MR of another PD at the next
 * index lets that one through: the sweep fails naming the guess, and
 * only the sweep; a fenced device passes all 20. */
static void test_sweep(void)
{
	fake_honest();
	FK.unfenced[VAL_BAD_NEAR] = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 2);
	CU_ASSERT_EQUAL(status_of("protect.write.rkey_sweep"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.read.rkey_sweep"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.write.rkey"), VAL_PASS);
	fake_honest();
	FK.near_open = 256;
	CU_ASSERT_EQUAL(run_fake("protect.write.rkey_sweep"), 1);
	CU_ASSERT(strstr(result_of("protect.write.rkey_sweep")->evidence,
			 "(the valid rkey +256)") != NULL);
	fake_honest();
	FK.rops = 0;
	CU_ASSERT_EQUAL(run_fake("protect.read.rkey_sweep"), 0);
	CU_ASSERT_EQUAL(status_of("protect.read.rkey_sweep"), VAL_PASS);
	CU_ASSERT_EQUAL(FK.rops, 21);
}

/* An access from inside the MR across its end let through (a fence that
 * checks the start address alone): past_end fails for WRITE and READ;
 * an atomic (aligned, it cannot cross) tries the end alone. */
static void test_cross_end(void)
{
	fake_honest();
	FK.unfenced[VAL_BAD_CROSS] = true;
	CU_ASSERT_EQUAL(run_fake("protect"), 2);
	CU_ASSERT_EQUAL(status_of("protect.write.past_end"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("protect.read.past_end"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("protect.write.past_end")->evidence,
			 "across its end") != NULL);
	CU_ASSERT_EQUAL(status_of("protect.atomic.past_end"), VAL_PASS);
	fake_honest();
	run_fake("protect.read.past_end");
	CU_ASSERT_EQUAL(status_of("protect.read.past_end"), VAL_PASS);
	CU_ASSERT(strstr(result_of("protect.read.past_end")->evidence,
			 "and one at its end") != NULL);
}

/* What the PF keeps for its VF: spoof checking off, or the VF trusted,
 * fails its check with the fix line, and only its check; a PF that does
 * not report the setting, or cannot be read, and a function that is no
 * VF: skip, saying why (never a pass). */
static void test_fence(void)
{
	const struct val_config cfg = { .ops = &fake_ops, .timeout_ms = 10 };
	struct val_path pf = { .path = "pf", .dev = "fake0", .vf = -1 };

	fake_honest();
	CU_ASSERT_EQUAL(run_fake("fence"), 0);
	CU_ASSERT_EQUAL(ngot, 2);
	CU_ASSERT_EQUAL(status_of("fence.spoofchk"), VAL_PASS);
	CU_ASSERT_EQUAL(status_of("fence.trust"), VAL_PASS);
	FK.vf.spoofchk = 0;
	CU_ASSERT_EQUAL(run_fake(NULL), 1);
	CU_ASSERT_EQUAL(status_of("fence.spoofchk"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("fence.spoofchk")->evidence,
			 "fix: ip link set pf0 vf 1 spoofchk on") != NULL);
	fake_honest();
	FK.vf.trust = 1;
	CU_ASSERT_EQUAL(run_fake("fence"), 1);
	CU_ASSERT_EQUAL(status_of("fence.trust"), VAL_FAIL);
	CU_ASSERT_STRING_EQUAL(result_of("fence.trust")->observed, "on");
	FK.vf = (struct val_vf_state){ -1, -1, -1 };
	CU_ASSERT_EQUAL(run_fake("fence"), 0);
	CU_ASSERT_EQUAL(status_of("fence.spoofchk"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("fence.trust")->evidence,
			 "does not report trust") != NULL);
	fake_honest();
	FK.vf_err = -EPERM;
	CU_ASSERT_EQUAL(run_fake("fence"), 0);
	CU_ASSERT_EQUAL(status_of("fence.trust"), VAL_SKIP);
	ngot = 0;
	fake_honest();
	CU_ASSERT_EQUAL(val_run_path(&cfg, &pf, collect, NULL), 0);
	CU_ASSERT_EQUAL(status_of("fence.spoofchk"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("fence.spoofchk")->evidence, "not a VF") !=
		  NULL);
}

int test_valprotect_register(void)
{
	CU_pSuite s = CU_add_suite("validate protect", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "a protection off fails its check", test_protect) ||
	    !CU_add_test(s, "past the end: across it from inside",
			 test_cross_end) ||
	    !CU_add_test(s, "rkeys around a valid one", test_sweep) ||
	    !CU_add_test(s, "another function's MR", test_foreign) ||
	    !CU_add_test(s, "what the PF keeps for its VF", test_fence))
		return -1;
	return 0;
}
