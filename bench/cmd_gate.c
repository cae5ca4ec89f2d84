/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "rundir.h"
#include "exitcode.h"
#include "gate.h"
#include "log.h"
#include "opt.h"

struct gate_cfg {
	const char *baseline, *candidate, *rules, *junit;
};

#define O(f) offsetof(struct gate_cfg, f)
static const struct vfb_opt gate_opts[] = {
	{ .name = "baseline",
	  .key = 'b',
	  .type = VFB_OPT_STR,
	  .offset = O(baseline),
	  .metavar = "DIR",
	  .help = "results directory to compare against" },
	{ .name = "candidate",
	  .key = 'c',
	  .type = VFB_OPT_STR,
	  .offset = O(candidate),
	  .metavar = "DIR",
	  .help = "results directory under test" },
	{ .name = "rules",
	  .key = 'r',
	  .type = VFB_OPT_STR,
	  .offset = O(rules),
	  .metavar = "FILE",
	  .help = "rules (default: p50 +5%, p99 +10%, bw -3%, no errors)" },
	{ .name = "junit",
	  .type = VFB_OPT_STR,
	  .offset = O(junit),
	  .metavar = "FILE",
	  .help = "write JUnit XML, one testcase per check" },
	VFB_OPT_END,
};
#undef O

static int load_rules(const char *path, struct rpt_rule *rules)
{
	char err[256], *text;
	int n;

	if (!path)
		return rpt_rules_default(rules, RPT_MAX_RULES);
	n = host_read_text(path, &text);
	if (n) {
		vfb_err("gate: --rules %s: %s", path, host_read_strerror(n));
		return -EINVAL;
	}
	n = rpt_rules_parse(text, rules, RPT_MAX_RULES, err, sizeof(err));
	free(text);
	if (n < 0)
		vfb_err("gate: --rules %s: %s", path, err);
	return n;
}

int bench_cmd_gate(int argc, char **argv)
{
	struct gate_cfg c = { 0 };
	struct rpt_rule rules[RPT_MAX_RULES];
	struct rpt_run base, cand;
	struct rpt_check *checks = NULL;
	char err[640];
	int ret, n, nrules, i, u, fails = 0;

	ret = vfb_opt_parse(
		gate_opts, "gate",
		"--baseline DIR --candidate DIR [--rules FILE] [--junit FILE]",
		argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc || !c.baseline || !c.candidate) {
		vfb_err("gate: --baseline DIR and --candidate DIR are required");
		return VFB_EXIT_USAGE;
	}
	if (c.junit && host_out_file_check("gate", "--junit", c.junit))
		return VFB_EXIT_USAGE;
	nrules = load_rules(c.rules, rules);
	if (nrules < 0)
		return VFB_EXIT_USAGE;
	if (rpt_run_load(c.baseline, &base, err, sizeof(err))) {
		vfb_err("gate: baseline %s", err);
		return VFB_EXIT_USAGE;
	}
	if (rpt_run_load(c.candidate, &cand, err, sizeof(err))) {
		vfb_err("gate: candidate %s", err);
		rpt_run_free(&base);
		return VFB_EXIT_USAGE;
	}
	n = rpt_gate(&base, &cand, rules, nrules, &checks, err, sizeof(err));
	if (n < 0) {
		vfb_err("gate: %s", err);
		ret = VFB_EXIT_USAGE;
		goto out;
	}
	/* a rule that judges nothing is a mistake in it (a misspelt
	 * filter, a metric no row carries), never a quiet "0 checks";
	 * the default rules stand for every kind of run */
	u = c.rules ? rpt_gate_unmatched(nrules, checks, n) : -1;
	if (u >= 0) {
		vfb_err("gate: --rules %s: line %d: '%s' matches no row of %s and %s",
			c.rules, rules[u].line, rules[u].text, c.baseline,
			c.candidate);
		ret = VFB_EXIT_USAGE;
		goto out;
	}
	rpt_gate_table(stdout, checks, n);
	for (i = 0; i < n; i++)
		fails += !checks[i].pass;
	if (c.junit && (ret = rpt_gate_junit(c.junit, checks, n))) {
		vfb_err("gate: --junit %s: %s", c.junit, strerror(-ret));
		ret = VFB_EXIT_USAGE;
		goto out;
	}
	ret = fails ? VFB_EXIT_FAIL : VFB_EXIT_OK;
out:
	free(checks);
	rpt_run_free(&base);
	rpt_run_free(&cand);
	return ret;
}
