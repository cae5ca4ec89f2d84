/* SPDX-License-Identifier: MIT */
/* vfbench validate's checks against a fake device (struct val_ops): a
 * claim that fails and a feature that works unclaimed are failures, a
 * path without a device skips (the protection checks: test_valprotect.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "drive.h"
#include "suites.h"
#include "valfake.h"
#include "validate.h"

/* The honest fake passes every check, each with evidence. */
static void test_honest(void)
{
	size_t i;

	fake_honest();
	CU_ASSERT_EQUAL(run_fake(NULL), 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++) {
		if (got[i].status != VAL_PASS)
			fprintf(stderr, "\n  %s: %s: %s\n", got[i].id,
				val_status_name(got[i].status),
				got[i].evidence);
		CU_ASSERT_EQUAL(got[i].status, VAL_PASS);
		CU_ASSERT(got[i].evidence[0] != '\0');
		CU_ASSERT_STRING_EQUAL(got[i].path, "vf");
	}
}

/* Claimed but failing, and working but unclaimed: both fail. */
static void test_claims(void)
{
	fake_honest();
	FK.srq_works = false; /* max_srq 16 claimed */
	CU_ASSERT_EQUAL(run_fake("claims.srq"), 1);
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.srq")->evidence, "claimed") != NULL);
	FK.caps.v[VAL_MAX_SRQ] = 0; /* and refused: as claimed */
	run_fake("claims.srq");
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_PASS);
	FK.srq_works = true; /* works unclaimed */
	run_fake("claims.srq");
	CU_ASSERT_EQUAL(status_of("claims.srq"), VAL_FAIL);

	fake_honest();
	FK.atomic_works = false;
	run_fake("claims");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_FAIL);
	FK.caps.v[VAL_ATOMIC_CAP] = VAL_ATOMIC_NONE;
	run_fake(NULL);
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_PASS);
	/* nothing to fence in: the atomic protections skip, saying why */
	CU_ASSERT_EQUAL(status_of("protect.atomic.rkey"), VAL_SKIP);
	CU_ASSERT(strstr(result_of("protect.atomic.rkey")->evidence, "NONE") !=
		  NULL);
	FK.atomic_works = true; /* atomics that work unclaimed */
	run_fake("claims.atomic.fetch_add");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);

	fake_honest();
	FK.mw_works = false;
	FK.mr_works = false;
	run_fake("claims.mw,claims.mr");
	CU_ASSERT_EQUAL(ngot, 2);
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_FAIL);
	CU_ASSERT_EQUAL(status_of("claims.mr"), VAL_FAIL);
	FK.caps.v[VAL_MW] = 0;
	run_fake("claims.mw");
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_PASS);
	FK.mw_works = true; /* a window bound though no flag claims one */
	run_fake("claims.mw");
	CU_ASSERT_EQUAL(status_of("claims.mw"), VAL_FAIL);

	fake_honest(); /* ODP not claimed, and refused: as claimed */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_PASS);
	FK.odp_works = true; /* works unclaimed */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);
	FK.caps.v[VAL_ODP] = 1;
	FK.caps.v[VAL_ODP_RC] = 0x2;
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_PASS);
	FK.odp_works = false; /* claimed, refused */
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);
}

/* A feature not claimed passes only when refused as unsupported
 * (EOPNOTSUPP or EINVAL at create; an atomic's invalid request): out of
 * memory, a timeout or a general error fail, saying what was seen. */
static void test_refusal_kind(void)
{
	static const char *const ids[] = { "claims.srq", "claims.mw",
					   "claims.odp" };
	size_t i;

	fake_honest();
	FK.caps.v[VAL_MAX_SRQ] = 0;
	FK.caps.v[VAL_MW] = 0;
	FK.srq_works = FK.mw_works = false;
	run_fake("claims.srq,claims.mw,claims.odp");
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(status_of(ids[i]), VAL_PASS);
	FK.refuse_err = -ENOMEM;
	CU_ASSERT_EQUAL(run_fake("claims.srq,claims.mw,claims.odp"), 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(status_of(ids[i]), VAL_FAIL);
		CU_ASSERT(strstr(result_of(ids[i])->evidence,
				 "Cannot allocate memory") != NULL);
	}
	FK.refuse_err = -ETIMEDOUT;
	run_fake("claims.odp");
	CU_ASSERT_EQUAL(status_of("claims.odp"), VAL_FAIL);

	fake_honest(); /* atomics neither claimed nor working */
	FK.caps.v[VAL_ATOMIC_CAP] = VAL_ATOMIC_NONE;
	FK.atomic_works = false;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_PASS);
	FK.atomic_general = true;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.fetch_add"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.atomic.cmp_swap")->evidence,
			 "general error") != NULL);
	FK.atomic_post_err = -EOPNOTSUPP; /* refused at the post */
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_PASS);
	FK.atomic_post_err = -ENOMEM;
	run_fake("claims.atomic");
	CU_ASSERT_EQUAL(status_of("claims.atomic.cmp_swap"), VAL_FAIL);
}

/* The inline size read back below what was asked; the largest found. */
static void test_inline(void)
{
	fake_honest();
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.inline")->observed, "256 B");
	FK.inline_readback_cut = 64;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_FAIL);
	/* no inline at all: a pass only when a QP without inline is made
	 * (the control); no QP at all proves nothing about inline */
	fake_honest();
	FK.inline_max = 0;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.inline")->observed, "0 B");
	FK.qp_fails = true;
	run_fake("claims.inline");
	CU_ASSERT_EQUAL(status_of("claims.inline"), VAL_FAIL);
}

/* Fewer objects than claimed, and more: both fail; bounded at 256. */
static void test_counts(void)
{
	fake_honest();
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_PASS);
	CU_ASSERT_STRING_EQUAL(result_of("claims.count.qp")->observed, "256");
	FK.gives[VAL_OBJ_QP] = 100;
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_FAIL);
	FK.caps.v[VAL_MAX_QP] = 102; /* 2 held by the pair: 100 left */
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_PASS);
	FK.caps.v[VAL_MAX_QP] = 50; /* gives 100 where 48 are claimed */
	run_fake("claims.count.qp");
	CU_ASSERT_EQUAL(status_of("claims.count.qp"), VAL_FAIL);
	CU_ASSERT(strstr(result_of("claims.count.qp")->evidence, "more") !=
		  NULL);
	FK.caps.v[VAL_MAX_CQ] = 11;
	FK.gives[VAL_OBJ_CQ] = 10;
	run_fake("claims.count.cq");
	CU_ASSERT_EQUAL(status_of("claims.count.cq"), VAL_PASS);
}

/* No device, or one whose pair is not made: every check skips, saying
 * why; nothing is tried. */
static void test_skip(void)
{
	const struct val_config cfg = { .ops = &fake_ops, .timeout_ms = 10 };
	struct val_path p = { .path = "pv",
			      .dev = "",
			      .why = "no pv device with an active port" };
	size_t i;

	fake_honest();
	ngot = 0;
	CU_ASSERT_EQUAL(val_run_path(&cfg, &p, collect, NULL), 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++) {
		CU_ASSERT_EQUAL(got[i].status, VAL_SKIP);
		CU_ASSERT_STRING_EQUAL(got[i].evidence, p.why);
	}
	CU_ASSERT_FALSE(p.queried);
	FK.open_fails = true;
	p.dev = "fake0";
	ngot = 0;
	CU_ASSERT(val_run_path(&cfg, &p, collect, NULL) < 0);
	CU_ASSERT_EQUAL(ngot, nchecks());
	CU_ASSERT_EQUAL(got[0].status, VAL_SKIP);
	CU_ASSERT(strstr(got[0].evidence, "fake0") != NULL);
	CU_ASSERT_EQUAL(FK.rops, 0);
}

/* Ops a config lacks answer not supported: the checks skip or fail,
 * never pass. */
static void test_no_ops(void)
{
	const struct val_ops only_open = { .open = fake_ops.open,
					   .query = fake_ops.query };
	const struct val_config cfg = { .ops = &only_open, .timeout_ms = 10 };
	struct val_path p = { .path = "pf", .dev = "fake0", .why = "" };
	size_t i;

	fake_honest();
	ngot = 0;
	val_run_path(&cfg, &p, collect, NULL);
	CU_ASSERT_EQUAL(ngot, nchecks());
	for (i = 0; i < ngot; i++)
		if (got[i].status == VAL_PASS)
			fprintf(stderr, "\n  %s passed without ops\n",
				got[i].id);
	for (i = 0; i < ngot; i++)
		CU_ASSERT_NOT_EQUAL(got[i].status, VAL_PASS);
}

static volatile int stop_sig;

static void collect_then_stop(const struct val_result *r, void *arg)
{
	collect(r, arg);
	if (ngot == 3)
		stop_sig = 2;
}

/* A signal stops the run before the next check: what ran is kept. */
static void test_abort(void)
{
	const struct val_config cfg = { .ops = &fake_ops,
					.timeout_ms = 10,
					.abort = &stop_sig };
	struct val_path p = { .path = "pf", .dev = "fake0", .why = "" };

	fake_honest();
	stop_sig = 0;
	ngot = 0;
	CU_ASSERT_EQUAL(val_run_path(&cfg, &p, collect_then_stop, NULL), 0);
	CU_ASSERT_EQUAL(ngot, 3);
	CU_ASSERT(nchecks() > 3);
}

int test_validate_register(void)
{
	CU_pSuite s = CU_add_suite("validate", NULL, NULL);

	if (!s || !CU_add_test(s, "an honest function passes", test_honest) ||
	    !CU_add_test(s, "claims that fail, features unclaimed",
			 test_claims) ||
	    !CU_add_test(s, "unclaimed: only refused as unsupported passes",
			 test_refusal_kind) ||
	    !CU_add_test(s, "inline read back", test_inline) ||
	    !CU_add_test(s, "objects counted", test_counts) ||
	    !CU_add_test(s, "no device: skip with the reason", test_skip) ||
	    !CU_add_test(s, "missing ops never pass", test_no_ops) ||
	    !CU_add_test(s, "a signal stops before the next check", test_abort))
		return -1;
	return 0;
}
