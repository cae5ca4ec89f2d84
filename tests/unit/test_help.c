/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "columns.h"
#include "counters.h"
#include "doctor.h"
#include "help.h"
#include "pathkind.h"
#include "schedule.h"
#include "suites.h"
#include "test.h"
#include "validate.h"

/* TOPIC as 'vfbench help TOPIC [--markdown]' prints it (caller frees). */
static char *help_text(const char *topic, bool markdown)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(bench_help_print(f, topic, markdown), 0);
	fclose(f);
	return buf;
}

/* NAME is a row of the text ("NAME  ...") and of the Markdown table
 * ("| `NAME` |"). */
static void assert_row(const char *topic, const char *name)
{
	char *text = help_text(topic, false), *md = help_text(topic, true);
	char want[160];
	bool found;

	snprintf(want, sizeof(want), "\n%s ", name);
	found = strstr(text, want) != NULL;
	snprintf(want, sizeof(want), "\n| `%s` |", name);
	found = found && strstr(md, want) != NULL;
	if (!found)
		fprintf(stderr, "\n  help %s: no row for %s\n", topic, name);
	CU_ASSERT(found);
	free(text);
	free(md);
}

/* Every entry of every registry is a row of its topic. */
static void test_every_entry(void)
{
	const struct vt_test_ops *const *t;
	const struct host_proof_rule *p;
	const struct msh_sched_kind *s;
	const struct vfb_path_kind *k;
	const struct rpt_col *c;
	struct dr_check_info info;
	struct val_check_info vinfo;
	size_t n, i;

	for (c = rpt_cols(&n), i = 0; i < n; i++)
		assert_row("columns", c[i].name);
	for (k = vfb_path_kinds(&n), i = 0; i < n; i++)
		assert_row("paths", k[i].name);
	for (t = vt_tests(&n), i = 0; i < n; i++)
		assert_row("tests", t[i]->name);
	for (i = 0; !dr_check_info(i, &info); i++)
		assert_row("checks", info.id);
	CU_ASSERT(i > 10);
	for (i = 0; !val_check_info(i, &vinfo); i++)
		assert_row("valchecks", vinfo.id);
	CU_ASSERT(i > 10);
	for (s = msh_sched_kinds(&n), i = 0; i < n; i++)
		assert_row("schedules", s[i].name);
	for (p = host_proof_rules(&n), i = 0; i < n; i++)
		assert_row("proofs", p[i].provider);
}

/* Each check's row says what it checks, from its .help, in both forms. */
static void test_check_help(void)
{
	char *text = help_text("checks", false),
	     *md = help_text("checks", true);
	struct dr_check_info info;
	char want[256];
	size_t i;

	for (i = 0; !dr_check_info(i, &info); i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(info.help);
		snprintf(want, sizeof(want), " %s\n", info.help);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
		snprintf(want, sizeof(want), "| %s |", info.help);
		CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
	}
	CU_ASSERT(strstr(text, "what it checks") != NULL);
	free(text);
	free(md);
}

/* A Markdown table: every line has as many cells as the heading. */
static void test_markdown_shape(void)
{
	static const char *const topics[] = { "columns",   "paths",
					      "tests",	   "checks",
					      "valchecks", "schedules",
					      "proofs" };
	size_t i, want, got;
	char *md, *line, *save = NULL, *p;

	for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		md = help_text(topics[i], true);
		want = 0;
		for (line = strtok_r(md, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			for (got = 0, p = line; *p; p++)
				got += *p == '|' &&
				       (p == line || p[-1] != '\\');
			if (!want)
				want = got;
			CU_ASSERT_EQUAL(got, want);
		}
		CU_ASSERT(want >= 3);
		free(md);
	}
	CU_ASSERT_EQUAL(bench_help_print(stdout, "frobs", false), -ENOENT);
	CU_ASSERT_FALSE(bench_help_is_topic("frobs"));
	CU_ASSERT_TRUE(bench_help_is_topic("columns"));
}

int test_help_register(void)
{
	CU_pSuite s = CU_add_suite("bench/help", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "every registry entry is a row of its topic",
			 test_every_entry) ||
	    !CU_add_test(s, "Markdown tables are well formed",
			 test_markdown_shape) ||
	    !CU_add_test(s, "each check's row says what it checks",
			 test_check_help))
		return -1;
	return 0;
}
