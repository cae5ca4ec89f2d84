/* SPDX-License-Identifier: MIT */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "columns.h"
#include "results.h"
#include "suites.h"

/* A unit is one word ("us", "Gb/s") or "-"; a meaning is a sentence of
 * one line ('vfbench help columns' and docs/results.md print it as is). */
static int described(const struct rpt_col *c)
{
	if (!c->unit || !c->unit[0] || strpbrk(c->unit, " \t\n|"))
		return 0;
	if (!c->meaning || strlen(c->meaning) < 12)
		return 0;
	return !strpbrk(c->meaning, "\t\n\r|");
}

static void test_every_column_described(void)
{
	const struct rpt_col *c;
	size_t n, i;

	c = rpt_cols(&n);
	CU_ASSERT_FATAL(n > 30);
	for (i = 0; i < n; i++) {
		if (!described(&c[i]))
			fprintf(stderr, "\n  column %s: no unit or meaning\n",
				c[i].name);
		CU_ASSERT(described(&c[i]));
	}
}

/* Each name of the header line LINE is a column, and described. */
static size_t check_header(const char *what, char *line)
{
	const struct rpt_col *c;
	char *tok, *save = NULL;
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (tok = strtok_r(line, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), n++) {
		c = rpt_col_find(tok);
		if (!c || !described(c))
			fprintf(stderr, "\n  %s: column %s not described\n",
				what, tok);
		CU_ASSERT(c && described(c));
	}
	return n;
}

/* Real results files: the lab's fixtures and the fuzzer's seeds. */
static void test_real_files_described(void)
{
	static const char *const patterns[] = {
		VFB_TEST_DATA "/results/*/results.csv",
		VFB_TEST_DATA "/../fuzz/corpus/csv/*.csv",
	};
	char line[8192];
	size_t i, j, files = 0;
	glob_t g;
	FILE *f;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (glob(patterns[i], 0, NULL, &g))
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			f = fopen(g.gl_pathv[j], "r");
			CU_ASSERT_PTR_NOT_NULL_FATAL(f);
			if (fgets(line, sizeof(line), f) &&
			    !strncmp(line, "run_id,", 7)) {
				CU_ASSERT(check_header(g.gl_pathv[j], line) >
					  10);
				files++;
			}
			fclose(f);
		}
		globfree(&g);
	}
	CU_ASSERT(files >= 2); /* it must have found something to check */
}

/* What every run writes: the writer's header. */
static void test_written_header_described(void)
{
	char *hdr = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&hdr, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	rpt_csv_header(f);
	fclose(f);
	rpt_cols(&n);
	CU_ASSERT_EQUAL(check_header("rpt_csv_header", hdr), n);
	free(hdr);
}

int test_columns_register(void)
{
	CU_pSuite s = CU_add_suite("report/columns", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "every column has a unit and a meaning",
			 test_every_column_described) ||
	    !CU_add_test(s, "every column of real results.csv is described",
			 test_real_files_described) ||
	    !CU_add_test(s, "the written header is described",
			 test_written_header_described))
		return -1;
	return 0;
}
