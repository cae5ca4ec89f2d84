/* SPDX-License-Identifier: MIT */
#ifndef RPT_GATE_H
#define RPT_GATE_H

#include <stdbool.h>
#include <stdio.h>

#include "load.h"

/*
 * Gate rules, one per line of a rules file ('#' starts a comment); the
 * kinds are the table of rules.c ('vfbench help rules'):
 *
 *   relative METRIC +PCT%   METRIC may grow by at most PCT percent
 *   relative METRIC -PCT%   METRIC may drop by at most PCT percent
 *   path-relative METRIC +PCT%|-PCT%
 *                           each path's METRIC against the baseline
 *                           path's (the PF) in the same run
 *   absolute METRIC <= VALUE
 *   absolute METRIC >= VALUE
 *   no-error-rows           the candidate has no error row
 *   no-validate-failures    no check of the candidate's validate rows failed
 *
 * followed by optional filters "test=NAME" and "path=NAME". METRIC is a
 * results.csv column: lat_p50_us, lat_p99_us, bw_avg_gbps, ...
 *
 * Noise: a relative check on lat_p50_us fails only when the change is
 * beyond PCT plus both runs' 95% CI half-width of the median (ci_rel
 * from --until-stable, else 1.2533 * stdev / sqrt(iters) / p50, the
 * normal approximation). Other metrics carry no spread estimate per row:
 * PCT alone applies.
 */
enum rpt_rule_kind {
	RPT_RULE_REL_UP,
	RPT_RULE_REL_DOWN,
	RPT_RULE_ABS_MAX,
	RPT_RULE_ABS_MIN,
	RPT_RULE_NO_ERRORS,
	RPT_RULE_NO_VAL_FAILS,
	RPT_RULE_PATH_UP, /* path-relative +PCT%: the candidate alone */
	RPT_RULE_PATH_DOWN,
};

struct rpt_rule {
	enum rpt_rule_kind kind;
	char metric[32];
	double limit;  /* fraction for relative rules, value for absolute */
	char test[16]; /* filter, "" for any */
	char path[16];
	char text[96];	 /* as written, for messages (cut) */
	int line;	 /* in the rules file, 0: a default rule */
	bool needs_base; /* judged against a baseline's rows */
};

/*
 * A kind of rule (rules.c, one table): the word that starts it, its
 * form and meaning (for 'vfbench help rules'), whether it names a
 * METRIC (checked before PARSE runs) and compares with a baseline
 * (the gate needs --baseline only for those). PARSE reads the words
 * after the metric into R (KIND when there is no PARSE).
 */
struct rpt_rule_kind_info {
	const char *word, *form, *meaning;
	bool metric, needs_base;
	int (*parse)(char **tok, int n, struct rpt_rule *r, char *why,
		     size_t len);
	enum rpt_rule_kind kind;
};

const struct rpt_rule_kind_info *rpt_rule_kinds(size_t *n);

#define RPT_MAX_RULES 32

/*
 * Parse rules TEXT (LF or CRLF lines) into at most MAX RULES: their
 * count, or -EINVAL with ERR naming the line and what is wrong (a limit
 * that is not a finite number, a filter longer than its field, more
 * than MAX rules, ...). Nothing is cut to fit.
 */
int rpt_rules_parse(const char *text, struct rpt_rule *rules, int max,
		    char *err, size_t errlen);
int rpt_rules_default(struct rpt_rule *rules, int max);

struct rpt_check {
	char name[288];	    /* "vf write_lat 4096 B: relative lat_p50_us +5%" */
	char classname[64]; /* "vf.write_lat" */
	bool pass;
	bool skipped;	  /* no ratio to judge (baseline 0 or missing): not
			     * a failure, said as such (JUnit <skipped>) */
	char detail[768]; /* the figures; a validate row's observed,
			   * expected and evidence */
	int rule;	  /* the index of the rule that made it */
};

/*
 * Compare CAND with BASE under RULES into CHECKS (allocated). Returns the
 * number of checks, or -EINVAL when a rule needs_base and the runs have
 * no row in common. Rules that judge the candidate alone (no-error-rows,
 * no-validate-failures) may be given CAND as BASE.
 */
int rpt_gate(const struct rpt_run *base, const struct rpt_run *cand,
	     const struct rpt_rule *rules, int nrules,
	     struct rpt_check **checks, char *err, size_t errlen);

/* The first of NRULES rules that made none of the N CHECKS (its filters match
 * no row, or no row carries its metric): its index, or -1. */
int rpt_gate_unmatched(int nrules, const struct rpt_check *checks, int n);

/* The checks as text (text.c) and as JUnit XML (junit.c). */
void rpt_gate_table(FILE *f, const struct rpt_check *c, int n);
int rpt_gate_junit(const char *path, const struct rpt_check *c, int n);

#endif
