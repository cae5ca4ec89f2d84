/* SPDX-License-Identifier: MIT */
/* vfbench validate's runner and table, without a device: bad input
 * refused first, the check table, a check that sets no verdict. */
#include <errno.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "drive.h"
#include "suites.h"
#include "valcheck.h"
#include "validate.h"

/* Bad input is refused before any device is looked at. */
static void test_bad_input(void)
{
	struct val_request rq = { .sel = { .paths = "pf,vf" } };

	CU_ASSERT_EQUAL(val_request_check(&rq), 0);
	rq.checks = "claims,protect.read.rkey";
	CU_ASSERT_EQUAL(val_request_check(&rq), 0);
	rq.checks = "claims,protect.nope";
	CU_ASSERT_EQUAL(val_request_check(&rq), -EINVAL);
	rq.checks = NULL;
	rq.sel.paths = "pf,bogus";
	CU_ASSERT_EQUAL(val_request_check(&rq), -EINVAL);
	rq.sel.paths = "pf";
	rq.sel.dev = "rxe0";
	CU_ASSERT_EQUAL(val_request_check(&rq), -EINVAL);
	rq.sel.paths = NULL;
	CU_ASSERT_EQUAL(val_request_check(&rq), 0);
	rq.sel.dev = NULL;
	CU_ASSERT_EQUAL(val_request_check(&rq), -EINVAL);
}

static void run_nothing(const struct val_ctx *c, const void *arg,
			struct val_result *r)
{
	(void)c, (void)arg, (void)r; /* forgets its val_set() */
}

/* A check that sets no verdict fails, saying so: a cleared result is
 * VAL_UNSET, never read as a pass. */
static void test_no_verdict(void)
{
	static const struct val_check forgetful = { .id = "claims.forgetful",
						    .group = "claims",
						    .run = run_nothing };
	const struct val_caps caps = { { 0 } };
	const struct val_ctx c = { .caps = &caps };
	struct val_result r;

	memset(&r, 0, sizeof(r));
	CU_ASSERT_STRING_NOT_EQUAL(val_status_name(r.status), "pass");
	val_check_run(&forgetful, &c, &r);
	CU_ASSERT_EQUAL(r.status, VAL_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.evidence, "check set no verdict"));
}

/* Every check has an id of its group, a help line; ids are unique. */
static void test_table(void)
{
	struct val_check_info a, b;
	size_t i, j;

	for (i = 0; !val_check_info(i, &a); i++) {
		CU_ASSERT(strncmp(a.id, a.group, strlen(a.group)) == 0);
		CU_ASSERT(a.help && strlen(a.help) > 10);
		CU_ASSERT_TRUE(val_check_known(a.id));
		for (j = i + 1; !val_check_info(j, &b); j++)
			CU_ASSERT(strcmp(a.id, b.id) != 0);
	}
	CU_ASSERT_FALSE(val_check_known("claims.nope"));
	CU_ASSERT_TRUE(val_check_known("protect"));
}

int test_valrun_register(void)
{
	CU_pSuite s = CU_add_suite("validate runner", NULL, NULL);

	if (!s || !CU_add_test(s, "bad input refused first", test_bad_input) ||
	    !CU_add_test(s, "the check table", test_table) ||
	    !CU_add_test(s, "no verdict is a fail", test_no_verdict))
		return -1;
	return 0;
}
