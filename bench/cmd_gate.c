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
	  .help = "results directory to compare against (needed by relative "
		  "and absolute rules)" },
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

/* The first rule that compares with a baseline, or -1. */
static int needs_base(const struct rpt_rule *rules, int n)
{
	for (int i = 0; i < n; i++)
		if (rules[i].needs_base)
			return i;
	return -1;
}

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

/* The runs: CAND, and BASE when a baseline is given (else BASE is left
 * empty and CAND stands for both: only rules that judge it alone run). */
static int load_runs(const struct gate_cfg *c, struct rpt_run *base,
		     struct rpt_run *cand)
{
	char err[640];

	memset(base, 0, sizeof(*base));
	if (c->baseline && rpt_run_load(c->baseline, base, err, sizeof(err))) {
		vfb_err("gate: baseline %s", err);
		return -EINVAL;
	}
	if (rpt_run_load(c->candidate, cand, err, sizeof(err))) {
		vfb_err("gate: candidate %s", err);
		rpt_run_free(base);
		return -EINVAL;
	}
	return 0;
}

/* Judge and say: exit 0 pass, 1 a check failed, 2 a rule or file wrong. */
static int judge(const struct gate_cfg *c, const struct rpt_rule *rules,
		 int nrules, const struct rpt_run *base,
		 const struct rpt_run *cand)
{
	struct rpt_check *checks = NULL;
	int ret, n, i, u, fails = 0;
	char err[640];

	n = rpt_gate(c->baseline ? base : cand, cand, rules, nrules, &checks,
		     err, sizeof(err));
	if (n < 0) {
		vfb_err("gate: %s", err);
		return VFB_EXIT_USAGE;
	}
	/* a rule that judges nothing is a mistake in it (a misspelt
	 * filter, a metric no row carries), never a quiet "0 checks";
	 * the default rules stand for every kind of run */
	u = c->rules ? rpt_gate_unmatched(nrules, checks, n) : -1;
	if (u >= 0) {
		vfb_err("gate: --rules %s: line %d: '%s' matches no row of %s%s%s",
			c->rules, rules[u].line, rules[u].text,
			c->baseline ? c->baseline : "",
			c->baseline ? " and " : "", c->candidate);
		free(checks);
		return VFB_EXIT_USAGE;
	}
	rpt_gate_table(stdout, checks, n);
	for (i = 0; i < n; i++)
		fails += !checks[i].pass;
	ret = fails ? VFB_EXIT_FAIL : VFB_EXIT_OK;
	if (c->junit && (u = rpt_gate_junit(c->junit, checks, n))) {
		vfb_err("gate: --junit %s: %s", c->junit, strerror(-u));
		ret = VFB_EXIT_USAGE;
	}
	free(checks);
	return ret;
}

int bench_cmd_gate(int argc, char **argv)
{
	struct gate_cfg c = { 0 };
	struct rpt_rule rules[RPT_MAX_RULES];
	struct rpt_run base, cand;
	int ret, nrules, u;

	ret = vfb_opt_parse(
		gate_opts, "gate",
		"[--baseline DIR] --candidate DIR [--rules FILE] [--junit FILE]",
		argc, argv, &c);
	if (ret <= 0)
		return ret == 0 ? VFB_EXIT_OK : VFB_EXIT_USAGE;
	if (ret < argc || !c.candidate) {
		vfb_err("gate: --candidate DIR is required");
		return VFB_EXIT_USAGE;
	}
	if (c.junit && host_out_file_check("gate", "--junit", c.junit))
		return VFB_EXIT_USAGE;
	nrules = load_rules(c.rules, rules);
	if (nrules < 0)
		return VFB_EXIT_USAGE;
	/* a rule that compares needs a baseline; the others judge the
	 * candidate alone (decided before anything is read) */
	u = needs_base(rules, nrules);
	if (!c.baseline && u >= 0) {
		vfb_err("gate: --baseline DIR is required: rule '%s' compares with one",
			rules[u].text);
		return VFB_EXIT_USAGE;
	}
	if (load_runs(&c, &base, &cand))
		return VFB_EXIT_USAGE;
	ret = judge(&c, rules, nrules, &base, &cand);
	rpt_run_free(&base);
	rpt_run_free(&cand);
	return ret;
}
