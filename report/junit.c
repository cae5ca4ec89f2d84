/* SPDX-License-Identifier: MIT */
/* The gate's checks as JUnit XML, for a CI to show. */
#include <stdio.h>

#include "escape.h"
#include "gate.h"
#include "outfile.h"

int rpt_gate_junit(const char *path, const struct rpt_check *c, int n)
{
	struct rpt_out o;
	int i, fails = 0, skips = 0, ret;
	FILE *f;

	/* whole or not at all, never through a link (outfile.h); every
	 * text escaped for XML 1.0, whatever bytes the rows held */
	if ((ret = rpt_out_path(&o, path)))
		return ret;
	f = o.f;
	for (i = 0; i < n; i++) {
		fails += !c[i].pass;
		skips += c[i].skipped;
	}
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n"
		"  <testsuite name=\"vfbench gate\" tests=\"%d\" failures=\"%d\" "
		"skipped=\"%d\">\n",
		n, fails, skips, n, fails, skips);
	for (i = 0; i < n; i++) {
		fputs("    <testcase classname=\"vfbench.", f);
		rpt_esc_xml(f, c[i].classname);
		fputs("\" name=\"", f);
		rpt_esc_xml(f, c[i].name);
		if (c[i].skipped) {
			fputs("\">\n      <skipped message=\"", f);
			rpt_esc_xml(f, c[i].detail);
			fputs("\"/>\n    </testcase>\n", f);
			continue;
		}
		if (c[i].pass) {
			fputs("\"/>\n", f);
			continue;
		}
		fputs("\">\n      <failure message=\"", f);
		rpt_esc_xml(f, c[i].detail);
		fputs("\">", f);
		rpt_esc_xml(f, c[i].name);
		fputs(": ", f);
		rpt_esc_xml(f, c[i].detail);
		fputs("</failure>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return rpt_out_commit(&o);
}
