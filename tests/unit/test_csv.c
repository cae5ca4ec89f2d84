/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "suites.h"

static void test_quoting(void)
{
	static const struct {
		const char *fields[3];
		const char *want;
	} cases[] = {
		{ { "rxe0", "pf", "2" }, "rxe0,pf,2\n" },
		{ { "a,b", "", "c" }, "\"a,b\",,c\n" },
		{ { "say \"hi\"", "x", "y" }, "\"say \"\"hi\"\"\",x,y\n" },
		{ { "two\nlines", "cr\r", NULL }, "\"two\nlines\",\"cr\r\",\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(rpt_csv_row(f, cases[i].fields, 3), 0);
		fclose(f);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
		free(buf);
	}
}

int test_csv_register(void)
{
	CU_pSuite s = CU_add_suite("report/csv", NULL, NULL);

	if (!s || !CU_add_test(s, "RFC 4180 quoting", test_quoting))
		return -1;
	return 0;
}
